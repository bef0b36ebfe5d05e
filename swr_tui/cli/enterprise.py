"""The Enterprise Edition commands: ``instances``, ``vulns NS/REPO:TAG``, and what ``namespaces``,
``repos`` and ``tags`` do with ``--instance``. Read-only (GET)."""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Awaitable, Sequence
from typing import Any, Callable, Optional, TextIO

from ..safe_text import scrub
from ..swr.errors import ConfigurationError, SwrError
from .clients import option, with_settings_client
from .exit_codes import EXIT_OK, EXIT_VULNERABLE

INSTANCE_ENV = "SWR_TUI_INSTANCE"

# Artifact pages in flight for tags --all: the bulk read's window, with the API's 100-per-page cap.
ENTERPRISE_WINDOW = 4


def chosen_instance(args: argparse.Namespace, settings: Any) -> Optional[str]:
    """--instance, SWR_TUI_INSTANCE or the profile's ``instance`` (the settings resolved those;
    the demo has no settings)."""
    if settings is not None:
        return settings.instance or None
    return (option(args, "instance") or os.environ.get(INSTANCE_ENV) or "").strip() or None


def _resolver(settings: Any) -> Any:
    from ..swr.project_id import ProjectIdResolver, configured_project_id

    if settings is None:  # the demo
        from ..fake.credentials import DEMO_PROJECT_ID, DEMO_REGION

        return ProjectIdResolver(configured_project_id(os.environ, DEMO_PROJECT_ID), DEMO_REGION, None)
    configured = settings.project_id or settings.credentials.project_id
    return ProjectIdResolver(
        configured_project_id(os.environ, configured), settings.region, settings.iam_endpoint
    )


async def enterprise_client(client: Any, settings: Any) -> Any:
    from ..swr.enterprise.client import open_enterprise

    return await open_enterprise(client, _resolver(settings))


async def enterprise_catalog(args: argparse.Namespace, client: Any, settings: Any) -> Any:
    """The chosen instance as an ``EnterpriseCatalog``; None when no instance was chosen."""
    from ..swr.enterprise.catalog import EnterpriseCatalog

    name = chosen_instance(args, settings)
    if name is None:
        return None
    enterprise = await enterprise_client(client, settings)
    return EnterpriseCatalog(enterprise, await enterprise.open_instance(name))


def cmd_instances(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    from ..output import write_items
    from .enterprise_output import INSTANCE_COLUMNS, instance_record

    async def work(client: Any, settings: Any) -> None:
        enterprise = await enterprise_client(client, settings)
        write_items(await enterprise.all_instances(), INSTANCE_COLUMNS, instance_record, args.output, out)

    asyncio.run(with_settings_client(args, err, work))


def split_reference(text: str) -> tuple[str, str, str]:
    """``NS/REPO:TAG`` or ``NS/REPO@sha256:...`` -> (namespace, repository, tag or digest)."""
    from ..swr.client import split_repository

    name, at, digest = text.partition("@")
    if at:
        reference = digest
    else:
        name, colon, reference = text.rpartition(":")
        if not colon or "/" in reference:
            name, reference = text, ""
    try:
        namespace, repository = split_repository(name)
    except ValueError:
        namespace = repository = ""
    if not namespace or not reference.strip():
        raise ConfigurationError(
            f"expected NAMESPACE/REPO:TAG or NAMESPACE/REPO@DIGEST, got {text!r} (e.g. vulns apps/web:v1)"
        )
    return namespace, repository, reference.strip()


def cmd_vulns(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The CVE list of one image; EXIT_VULNERABLE when one is at or above ``--fail-on``."""
    from ..output import write_items
    from ..swr.enterprise.scans import Findings, at_least, severity_rank
    from .enterprise_output import VULNERABILITY_COLUMNS, vulnerability_record

    namespace, repository, reference = split_reference(args.reference)
    code = EXIT_OK

    async def work(client: Any, settings: Any) -> None:
        nonlocal code
        catalog = await enterprise_catalog(args, client, settings)
        if catalog is None:
            raise ConfigurationError(
                "vulns reads an Enterprise Edition instance's scan results: give --instance NAME_OR_ID "
                f"(or {INSTANCE_ENV}, or instance in the profile); swr-tui instances lists them"
            )
        artifact = await catalog.artifact(namespace, repository, reference)
        reports = await catalog.client.list_vulnerabilities(
            catalog.instance.id, namespace, repository, artifact.digest
        )
        if not reports:
            status = ", ".join(item.scan_status for item in artifact.scan_overview if item.scan_status)
            raise SwrError(
                f"{namespace}/{repository}:{reference} has no scan report"
                + (f" (scan status: {status})" if status else " (it was never scanned)")
                + ": scan it in the console, or turn on auto scan for its namespace"
            )
        found = Findings.merged(report.vulnerabilities for report in reports)
        write_items(
            at_least(found, args.severity) if args.severity else found,
            VULNERABILITY_COLUMNS,
            vulnerability_record,
            args.output,
            out,
        )
        if args.fail_on:
            over = sum(1 for rank in found.ranks() if rank >= severity_rank(args.fail_on))
            if over:
                found_words = f"{over} vulnerabilit{'y' if over == 1 else 'ies'} at or above {args.fail_on}"
                err.write(f"swr-tui: {found_words} in {scrub(args.reference)} (--fail-on)\n")
                code = EXIT_VULNERABLE

    asyncio.run(with_settings_client(args, err, work))
    return code


# -- namespaces, repos and tags with --instance ---------------------------------------------------


async def write_namespaces(catalog: Any, output: str, out: TextIO) -> None:
    from ..output import write_items
    from .enterprise_output import NAMESPACE_COLUMNS, namespace_record

    write_items(await catalog.enterprise_namespaces(), NAMESPACE_COLUMNS, namespace_record, output, out)


async def enterprise_repositories(catalog: Any, args: argparse.Namespace) -> list[Any]:
    if args.shared:
        raise ConfigurationError("--shared is a basic edition list: leave it out with --instance")
    names = [args.namespace] if args.namespace else [ns.name for ns in await catalog.namespaces()]
    found = [repo for name in names for repo in await catalog.repositories(name)]
    wanted = (args.name_filter or "").lower()
    return [repo for repo in found if wanted in repo.name.lower()]


async def enterprise_tags(
    catalog: Any,
    namespace: str,
    repository: str,
    args: argparse.Namespace,
    write: Callable[[Sequence[Any]], Awaitable[None]],
    err: TextIO,
) -> None:
    """``tags`` on an instance: one page of artifacts as rows, or with ``--all`` every page, read
    concurrently (``ENTERPRISE_WINDOW`` in flight, 100 a page) and written in order as they come."""
    from ..swr.bulk import stream_all_stable
    from ..swr.enterprise.catalog import check_order
    from ..swr.enterprise.paging import MAX_PAGE_SIZE

    check_order(args.order)
    if args.all:

        async def fetch(offset: int, limit: int) -> Any:
            return await catalog.artifact_page(
                namespace, repository, offset=offset, limit=limit, name_filter=args.tag_filter
            )

        async def consume(artifacts: tuple[Any, ...]) -> None:
            await write(catalog.rows(namespace, repository, artifacts))

        what = f"the artifacts of {namespace}/{repository}"
        await stream_all_stable(
            fetch, consume, restart=None, page_size=MAX_PAGE_SIZE, window=ENTERPRISE_WINDOW, what=what
        )
        return
    limit = MAX_PAGE_SIZE if args.limit is None else args.limit
    if limit > MAX_PAGE_SIZE or args.offset % limit:
        raise ConfigurationError(
            f"With --instance, --limit is at most {MAX_PAGE_SIZE} and --offset a multiple of it "
            "(the Enterprise Edition's paging)"
        )
    page = await catalog.tag_page(
        namespace, repository, offset=args.offset, limit=limit, name_filter=args.tag_filter
    )
    if page.total is not None and page.end < page.total and args.output == "table":
        err.write(
            f"swr-tui: showing artifacts {page.offset + 1}-{page.end} of {page.total}; "
            "use --offset, --limit or --all for more\n"
        )
    await write(page.items)
