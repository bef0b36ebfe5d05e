"""``swr-tui cache info`` and ``swr-tui cache clear``: the content cache of manifests and configs."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ..safe_text import scrub


def cmd_cache(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    from ..content_cache import ContentCache, max_bytes_from_mb
    from ..formatting import human_size
    from ..settings.config_file import load_profiles

    max_mb = load_profiles().cache_max_mb
    cache = ContentCache() if max_mb is None else ContentCache(max_bytes=max_bytes_from_mb(max_mb))
    if args.cache_command == "clear":
        removed = cache.clear()
        out.write(f"Removed {removed:,} entries from {scrub(str(cache.path))}\n")
        return
    info = cache.info()
    if args.output == "json":
        record = {
            "path": info.path,
            "entries": info.entries,
            "bytes": info.bytes,
            "max_bytes": info.max_bytes,
        }
        out.write(json.dumps(record, ensure_ascii=True) + "\n")
        return
    limit = human_size(info.max_bytes) if info.max_bytes else "0 (the cache is off: [cache] max_mb = 0)"
    out.write(
        f"Path     {scrub(info.path)}\n"
        f"Entries  {info.entries:,}\n"
        f"Size     {human_size(info.bytes)}\n"
        f"Limit    {limit}\n"
    )
