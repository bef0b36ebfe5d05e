"""``swr-tui inspect NS/REPO:TAG``: one image's config, history with layers, platforms and signatures."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any, TextIO

from ..safe_text import scrub
from ..swr.errors import ConfigurationError, NotFoundError
from .clients import option, with_inspector


def split_reference(text: str) -> tuple[str, str, str]:
    """``myns/team/app:v1`` -> (``myns``, ``team/app``, ``v1``); ConfigurationError if malformed."""
    from ..swr.client import split_repository

    name, colon, tag = text.rpartition(":")
    if not colon or not tag or "/" in tag:
        raise ConfigurationError(
            f"{scrub(text[:200])!r} is not NAMESPACE/REPO:TAG (e.g. inspect myns/team/app:v1.2.0)"
        )
    try:
        namespace, repository = split_repository(name)
    except ValueError as exc:
        raise ConfigurationError(f"{exc} (e.g. inspect myns/team/app:v1.2.0)") from None
    return namespace, repository, tag


def cmd_inspect(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    from ..inspection.platforms import matching_platform, platform_names
    from ..inspection.report import inspect_json, inspect_record, inspect_table
    from ..swr.manifest import parse_manifest_streaming

    namespace, repository, tag_name = split_reference(args.reference)
    wanted = option(args, "platform")

    async def work(client: Any, inspector: Any) -> None:
        tag = await client.show_tag(namespace, repository, tag_name)
        platforms = inspector.platforms(tag)
        chosen = None
        if platforms:
            chosen = (
                matching_platform(platforms, wanted)
                if wanted
                else inspector.default_platform(platforms, None)
            )
            if chosen is None:
                raise NotFoundError(
                    f"{namespace}/{repository}:{tag_name} has no {wanted or 'image'} platform; it has "
                    f"{scrub(platform_names(platforms))}"
                )
        view = await inspector.image(namespace, repository, tag, chosen)
        if wanted and not platforms and matching_platform([_as_platform(view)], wanted) is None:
            raise NotFoundError(
                f"{namespace}/{repository}:{tag_name} is a single-platform image for "
                f"{scrub(view.config.platform or 'no stated platform')}, not {wanted}"
            )
        signatures = await inspector.signatures(namespace, repository, tag)
        media_type = parse_manifest_streaming(tag.manifest)[0].media_type
        parts = (view, tag.digest, media_type, platforms, signatures)
        if args.output == "json":
            out.write(inspect_json(inspect_record(*parts)))
        else:
            out.write(inspect_table(*parts))

    asyncio.run(with_inspector(args, err, work))


def _as_platform(view: Any) -> Any:
    from ..inspection.model import Platform

    config = view.config
    return Platform(config.os, config.architecture, config.variant, view.manifest_digest, 0, False)
