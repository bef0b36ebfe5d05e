"""The governance commands: ``retention NS/REPO [--history]`` and ``quotas``. Read-only (GET)."""

from __future__ import annotations

import argparse
import asyncio
import os
from datetime import datetime, timezone
from typing import Any, Optional, TextIO

from ..safe_text import scrub
from ..swr.errors import ConfigurationError, SwrError
from .clients import with_client

# Rows of the retention log asked for per page: the API's maximum for this call is not documented,
# and 100 is the page size SWR's other v2 lists accept everywhere.
HISTORY_PAGE_SIZE = 100
HISTORY_CONCURRENCY = 4


def _repository(args: argparse.Namespace) -> tuple[str, str]:
    from ..swr.client import split_repository

    try:
        return split_repository(args.repository)
    except ValueError as exc:
        raise ConfigurationError(f"{exc} (e.g. retention myns/team/app)") from None


def cmd_retention(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    namespace, repository = _repository(args)
    show = _history if args.history else _verdicts
    asyncio.run(with_client(args, err, lambda client: show(client, namespace, repository, args.output, out)))


async def _verdicts(client: Any, namespace: str, repository: str, output: str, out: TextIO) -> None:
    from ..output import write_items, write_json
    from ..swr.bulk import fetch_all_tags
    from ..swr.governance_api import list_retentions
    from ..swr.retention import evaluate_tags, plan_retentions
    from .governance_output import RETENTION_COLUMNS, rule_record, verdict_record

    plan = plan_retentions(await list_retentions(client, namespace, repository))
    full = f"{namespace}/{repository}"
    if (plan.rules and not any(rule.evaluable for rule in plan.rules)) or plan.problems:
        problems = list(plan.problems) + [rule.problem for rule in plan.rules if rule.problem]
        raise SwrError(
            f"The retention rule of {full} ({plan.words}) cannot be evaluated: {'; '.join(problems)}. "
            "SWR is the authority on what it deletes"
        )
    # Without a rule nothing is deleted, and the tags are not read.
    tags = await fetch_all_tags(client, namespace, repository) if plan.rules else []
    total = len(tags)
    now = datetime.now(timezone.utc)
    verdicts = [v for v in evaluate_tags(plan, tags, now) if v.deleted or not v.known]
    pushed = {tag.name: tag.updated for tag in tags}
    deleted = sum(1 for v in verdicts if v.deleted)
    unknown = len(verdicts) - deleted
    if output == "json":
        write_json(
            [
                {
                    "repository": full,
                    "rules": [rule_record(rule) for rule in plan.rules],
                    "tags": total,
                    "deleted": deleted,
                    "unknown": unknown,
                    "verdicts": [verdict_record(v, pushed.get(v.tag, "")) for v in verdicts],
                }
            ],
            out,
        )
        return
    rows = [(v, pushed.get(v.tag, "")) for v in verdicts]
    if output == "table":
        if not plan.rules:
            out.write(f"No retention rule on {scrub(full)}: it deletes nothing.\n")
            return
        out.write(f"retention: {scrub(plan.words)}\n")
        undecided = f"; {unknown} unknown (see why below)" if unknown else ""
        out.write(f"would delete {deleted} of {total} tags{undecided} (SWR is the authority)\n")
        if not rows:
            return
    write_items(rows, RETENTION_COLUMNS, lambda row: verdict_record(*row), output, out)


async def _history(client: Any, namespace: str, repository: str, output: str, out: TextIO) -> None:
    from ..output import write_items
    from ..swr.bulk import fetch_all_stable
    from ..swr.governance_api import list_retention_histories
    from .governance_output import HISTORY_COLUMNS, history_record

    async def fetch(offset: int, limit: int) -> Any:
        return await list_retention_histories(client, namespace, repository, offset=offset, limit=limit)

    what = f"the retention log of {namespace}/{repository}"
    entries = await fetch_all_stable(fetch, HISTORY_PAGE_SIZE, HISTORY_CONCURRENCY, what)
    write_items(entries, HISTORY_COLUMNS, history_record, output, out)


def cmd_quotas(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    from ..swr.project_id import ProjectIdResolver, configured_project_id
    from .clients import with_settings_client

    async def work(client: Any, settings: Any) -> None:
        if settings is None:  # the demo
            from ..fake.credentials import DEMO_PROJECT_ID, DEMO_REGION

            resolver = ProjectIdResolver(
                configured_project_id(os.environ, DEMO_PROJECT_ID), DEMO_REGION, None
            )
        else:
            resolver = ProjectIdResolver(
                configured_project_id(os.environ, settings.project_id or settings.credentials.project_id),
                settings.region,
                settings.iam_endpoint,
            )
        await _quotas(client, resolver, args.output, out, err)

    asyncio.run(with_settings_client(args, err, work))


async def _quotas(client: Any, resolver: Any, output: str, out: TextIO, err: TextIO) -> None:
    from ..output import write_items, write_json
    from ..swr.governance_api import list_quotas, show_overview
    from ..swr.project_id import PROJECT_ID_ENV
    from .governance_output import QUOTA_COLUMNS, overview_rows, quota_record

    overview = await show_overview(client)
    project_id = await resolver.resolve(client)
    quotas: Optional[list[Any]] = None
    failure: Optional[SwrError] = None
    if project_id is not None:
        try:
            quotas = await list_quotas(client, project_id)
        except SwrError as exc:
            failure = exc
    rows = overview_rows(overview) + [quota_record(quota) for quota in quotas or ()]
    if output == "json":
        write_json(rows, out)
    else:
        write_items(rows, QUOTA_COLUMNS, dict, output, out)
    if failure is not None:
        raise SwrError(f"The overview is above, but the quotas could not be read: {failure}")
    if project_id is None:
        err.write(
            "swr-tui: quotas not shown: no project id (set project_id in the profile, or "
            f"{PROJECT_ID_ENV}; with AK/SK it is looked up from IAM when a region is set)\n"
        )
