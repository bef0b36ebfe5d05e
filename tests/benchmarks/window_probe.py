"""How page size and pages in flight trade time for memory in ``tags --all`` (the figures behind
``swr_tui.swr.bulk.DEFAULT_CONCURRENCY`` and ``DEFAULT_PAGE_SIZE``).

    python tests/benchmarks/window_probe.py [REPO] [LATENCY_MS]

Starts ``swr-tui fake-registry`` in a subprocess, then for each (page size, window) runs a child
process that streams every tag of REPO (default acme/ci-builds) to nowhere and prints its time and
its peak RSS above where it started.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export_bench import fake_registry_process
from memory_probe import proc_status

CONFIGS = ((1000, 1), (1000, 2), (1000, 3), (1000, 4), (1000, 8), (500, 4), (500, 8))


def reset_peak() -> None:
    """Make VmHWM start again from the current RSS (Linux 4.0+; a no-op elsewhere)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


async def child(url: str, repository: str, page_size: int, window: int) -> dict[str, float]:
    from swr_tui.fake import DEMO_TOKEN
    from swr_tui.swr.auth import TokenAuth
    from swr_tui.swr.bulk import stream_tags
    from swr_tui.swr.client import SwrClient

    namespace, _, name = repository.partition("/")

    async def nowhere(tags: tuple[object, ...]) -> None:
        return None

    async with SwrClient(url, TokenAuth(DEMO_TOKEN)) as client:
        await client.list_tags(namespace, name, limit=1)  # connection and imports warmed
        start_kib = proc_status().get("VmRSS", 0)
        reset_peak()
        started = time.perf_counter()
        count = await stream_tags(client, namespace, name, nowhere, page_size=page_size, concurrency=window)
        elapsed = time.perf_counter() - started
    peak_kib = proc_status().get("VmHWM", 0)
    return {"count": count, "seconds": elapsed, "growth_mb": (peak_kib - start_kib) / 1024}


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        url, repository, page_size, window = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
        print(json.dumps(asyncio.run(child(url, repository, page_size, window))))
        return
    repository = sys.argv[1] if len(sys.argv) > 1 else "acme/ci-builds"
    latency = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0
    with tempfile.TemporaryDirectory() as home, fake_registry_process(latency, home) as url:
        for page_size, window in CONFIGS:
            command = [sys.executable, __file__, "--child", url, repository, str(page_size), str(window)]
            done = subprocess.run(command, capture_output=True, check=True)  # noqa: S603
            result = json.loads(done.stdout)
            print(
                f"page {page_size:>4}, window {window}: {result['count']:,} tags in "
                f"{result['seconds']:.1f} s, peak +{result['growth_mb']:.1f} MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
