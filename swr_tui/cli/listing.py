"""The headless commands: namespaces, repos and tags printed as a table, JSON, TSV or CSV, and the
fake registry served over HTTP."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any, TextIO

from ..swr.errors import ConfigurationError, SwrError
from .clients import with_settings_client


def cmd_namespaces(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    from ..output import NAMESPACE_COLUMNS, namespace_record, write_items
    from .enterprise import enterprise_catalog, write_namespaces

    async def work(client: Any, settings: Any) -> None:
        catalog = await enterprise_catalog(args, client, settings)
        if catalog is not None:
            await write_namespaces(catalog, args.output, out)
            return
        namespaces = await client.list_namespaces()
        write_items(namespaces, NAMESPACE_COLUMNS, namespace_record, args.output, out)

    asyncio.run(with_settings_client(args, err, work))


def cmd_repos(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    from ..output import REPOSITORY_COLUMNS, repository_record, write_items
    from ..swr.bulk import fetch_all_stable
    from ..swr.paging import MAX_LIMIT
    from .enterprise import enterprise_catalog, enterprise_repositories

    async def work(client: Any, settings: Any) -> None:
        catalog = await enterprise_catalog(args, client, settings)
        if catalog is not None:
            repos = await enterprise_repositories(catalog, args)
            write_items(repos, REPOSITORY_COLUMNS, repository_record, args.output, out)
            return
        list_call = client.list_shared_repositories if args.shared else client.list_repositories
        kwargs = {"namespace": args.namespace, "name": args.name_filter}

        async def fetch(offset: int, limit: int) -> Any:
            return await list_call(offset=offset, limit=limit, **kwargs)

        repos = await fetch_all_stable(fetch, MAX_LIMIT, 4, "the repository list")
        if not repos and args.namespace and not args.shared:
            await _check_namespace_exists(client, args.namespace)
        write_items(repos, REPOSITORY_COLUMNS, repository_record, args.output, out)

    asyncio.run(with_settings_client(args, err, work))


async def _check_namespace_exists(client: Any, namespace: str) -> None:
    """An empty list is also what SWR sends for a namespace that does not exist: ask (one request,
    made only when the list is empty) so that a typo is not mistaken for an empty namespace."""
    from ..swr.errors import NotFoundError

    found = await client.list_namespaces(name=namespace)
    if not any(item.name == namespace for item in found):
        raise NotFoundError(
            f"Namespace {namespace!r} does not exist, or this account cannot see it: "
            "run swr-tui namespaces for the list"
        )


def cmd_tags(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    from ..export import TagWriter, tag_columns
    from ..output import terminal_width, write_table
    from ..swr.bulk import ListChangedError, stream_tags
    from ..swr.client import split_repository
    from ..swr.paging import DEFAULT_LIMIT, short_of_total
    from .enterprise import enterprise_catalog, enterprise_tags

    try:
        namespace, repository = split_repository(args.repository)
    except ValueError as exc:
        raise ConfigurationError(f"{exc} (e.g. tags myns/team/app)") from None
    if args.all and (args.limit is not None or args.offset):
        raise ConfigurationError(
            "--all prints every tag, and --limit/--offset choose one page: use one or the other"
        )
    columns = tag_columns(args.with_manifest)
    width = terminal_width(out) if args.output == "table" else 0
    writer = TagWriter(args.output, out, args.with_manifest) if args.output != "table" else None
    started = False

    async def write(tags: Sequence[Any]) -> None:
        """One page, in order; the table is aligned page by page (it cannot wait for them all)."""
        nonlocal started
        if writer is not None:
            writer.write(tags)
        else:
            write_table(tags, columns, out, width, header=not started)
        started = True

    async def work(client: Any, settings: Any) -> None:
        catalog = await enterprise_catalog(args, client, settings)
        if catalog is not None:
            try:
                await enterprise_tags(catalog, namespace, repository, args, write, err)
            except SwrError as exc:
                if not started:
                    raise
                raise SwrError(f"{exc}; the output stopped part way and is incomplete") from exc
        elif args.all:
            try:
                # Streamed: pages are printed as they arrive, so memory does not grow with the list.
                await stream_tags(client, namespace, repository, write, order=args.order, tag=args.tag_filter)
            except SwrError as exc:
                if not started:
                    raise
                raise SwrError(f"{exc}; the output stopped part way and is incomplete") from exc
        else:
            page = await client.list_tags(
                namespace,
                repository,
                offset=args.offset,
                limit=DEFAULT_LIMIT if args.limit is None else args.limit,
                order=args.order,
                tag=args.tag_filter,
            )
            if short_of_total(page):
                raise ListChangedError(
                    f"The registry sent no tags at offset {args.offset} though it reported {page.total}: "
                    "the list may be changing. Run it again"
                )
            if page.total is not None and page.end < page.total and args.output == "table":
                err.write(
                    f"swr-tui: showing {page.offset + 1}-{page.end} of {page.total} tags; "
                    "use --offset, --limit or --all for more\n"
                )
            await write(page.items)
        if writer is not None:
            writer.finish()
        elif not started:
            write_table((), columns, out, width)

    asyncio.run(with_settings_client(args, err, work))


def cmd_fake_registry(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    from ..fake import server

    try:
        now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
        server.run(
            args.host, args.port, args.latency_ms, args.faults or None, out=out, now=now, hostile=args.hostile
        )
    except ValueError as exc:
        raise ConfigurationError(f"--faults: {exc}") from None
    except server.BindError as exc:
        if exc.usage:
            raise ConfigurationError(str(exc)) from None
        raise SwrError(str(exc)) from None
