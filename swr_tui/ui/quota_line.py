"""The quota line in the sidebar's foot: the quota closest to its limit and the storage used,
``repos 312/1000 · 41.2 GiB``. Read once per connection, after the first frame.

The project ListQuotas is asked about comes from ``swr/project_id.py`` (configured, the token's, or
one IAM lookup with AK/SK). Without one there is no line; a failure shows none either: the quota is
a glance, not something to be warned about.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any, Optional

from ..formatting import human_size
from ..swr.errors import SwrError

QUOTA_LABELS = {"namespace": "namespaces", "repository": "repos", "tag": "tags"}
# Equally full quotas: the repositories' is shown first, the one people ask about most.
QUOTA_PRIORITY = {"repository": 2, "namespace": 1, "tag": 0}
COMPACT_FROM = 10_000  # counts from here on are shortened (12.3k), so two fit in a 24-column sidebar


def compact(count: int) -> str:
    """9999, 12.3k, 118k, 1M: at most four digits, so two counts fit a 24-column sidebar."""
    if count < COMPACT_FROM:
        return str(count)
    for divisor, unit in ((1_000, "k"), (1_000_000, "M"), (1_000_000_000, "G")):
        value = count / divisor
        text = f"{value:.1f}" if value < 100 else f"{value:.0f}"
        if float(text) < 1000 or unit == "G":
            return f"{text.removesuffix('.0')}{unit}"
    raise AssertionError("unreachable")


def quota_line(quotas: Sequence[Any], overview: Optional[Any], width: int) -> str:
    """The fullest known quota, and the storage when it fits in ``width``; "" without a quota."""
    known = [quota for quota in quotas if quota.key in QUOTA_LABELS and quota.limit > 0]
    if not known:
        return ""
    fullest = max(known, key=lambda quota: (quota.used / quota.limit, QUOTA_PRIORITY[quota.key]))
    head = f"{QUOTA_LABELS[fullest.key]} {compact(fullest.used)}/{compact(fullest.limit)}"
    if overview is not None and overview.store_space > 0:
        line = f"{head} · {human_size(int(overview.store_space))}"
        if len(line) <= width:
            return line
    return head


def project_resolver(switcher: Any, environ: Mapping[str, str]) -> Any:
    """The ``ProjectIdResolver`` of the connection ``switcher`` is on (the demo's project in the demo)."""
    from ..settings.profiles import DemoSwitcher, ProfileSwitcher
    from ..swr.project_id import ProjectIdResolver, configured_project_id

    if isinstance(switcher, ProfileSwitcher):
        settings = switcher.current
        configured = settings.project_id or settings.credentials.project_id
        return ProjectIdResolver(
            configured_project_id(environ, configured), settings.region, settings.iam_endpoint
        )
    if isinstance(switcher, DemoSwitcher):
        from ..fake.credentials import DEMO_PROJECT_ID

        return ProjectIdResolver(configured_project_id(environ, DEMO_PROJECT_ID), switcher.region, None)
    return ProjectIdResolver(configured_project_id(environ, None), None, None)


async def read_quota_line(client: Any, resolver: Any, width: int) -> str:
    """The line for this connection; "" when there is no project id or the quotas cannot be read."""
    from ..swr.governance_api import list_quotas, show_overview

    project_id = await resolver.resolve(client)
    if project_id is None:
        return ""
    quotas, overview = await asyncio.gather(
        list_quotas(client, project_id), show_overview(client), return_exceptions=True
    )
    for outcome in (quotas, overview):
        if isinstance(outcome, BaseException) and not isinstance(outcome, SwrError):
            raise outcome
    if isinstance(quotas, BaseException):
        return ""
    return quota_line(quotas, None if isinstance(overview, BaseException) else overview, width)
