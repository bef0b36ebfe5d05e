"""What a tag's detail pane and a repository's Access section show, from the governance records:
where a tag is synced (the last job per region), which triggers deployed it, and which shares end
soon. Pure functions, no requests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from .governance_models import RepositoryShare, SyncJob, SyncRepo, Trigger
from .retention import pushed_at

# A share whose deadline is this close (or past, while SWR still lists it as in force) is marked:
# a week leaves time to renew it before the other account loses access.
NEAR_DEADLINE_DAYS = 7
FOREVER = "forever"


@dataclass(frozen=True)
class SyncState:
    """A remote region of the repository, and the last sync job of one tag to it (``status`` is ""
    when there is none among the jobs read)."""

    region: str
    namespace: str
    status: str
    when: str


@dataclass(frozen=True)
class Deployment:
    trigger: str
    mode: str  # cce or cci
    cluster: str
    application: str
    result: str
    detail: str
    when: str


def _moment(text: str) -> tuple[int, float, str]:
    """A sort key: readable times in order, unreadable ones first (older), then by text."""
    moment = pushed_at(text) if text else None
    return (0, 0.0, text) if moment is None else (1, moment.timestamp(), text)


def synced_to(rules: Sequence[SyncRepo], jobs: Iterable[SyncJob], tag: str) -> list[SyncState]:
    """Each region the rules sync to (and any other region a job of the tag went to), with the
    latest job of ``tag`` there, in the rules' order."""
    latest: dict[str, SyncJob] = {}
    for job in jobs:
        if job.tag != tag:
            continue
        held = latest.get(job.remote_region_id)
        if held is None or _moment(job.created_at) >= _moment(held.created_at):
            latest[job.remote_region_id] = job
    states = []
    for rule in rules:
        last: Optional[SyncJob] = latest.pop(rule.remote_region_id, None)
        status, when = (last.status, last.created_at) if last else ("", "")
        states.append(SyncState(rule.remote_region_id, rule.remote_namespace, status, when))
    states += [
        SyncState(region, job.remote_namespace, job.status, job.created_at) for region, job in latest.items()
    ]
    return states


def deployed_by(triggers: Iterable[Trigger], tag: str) -> list[Deployment]:
    """Every firing of every trigger for ``tag``, newest first."""
    found = [
        Deployment(
            trigger.name,
            trigger.trigger_mode,
            trigger.cluster_name,
            trigger.application,
            firing.result,
            firing.detail,
            firing.created_at,
        )
        for trigger in triggers
        for firing in trigger.history
        if firing.tag == tag
    ]
    return sorted(found, key=lambda deployment: _moment(deployment.when), reverse=True)


def deadline_near(share: RepositoryShare, now: datetime, days: int = NEAR_DEADLINE_DAYS) -> Optional[bool]:
    """True when the share ends within ``days`` (or has ended); False for ``forever`` or later;
    None when the deadline cannot be read (shown as sent, never guessed)."""
    if share.deadline.strip().lower() == FOREVER:
        return False
    moment = pushed_at(share.deadline)
    if moment is None:
        return None
    return moment - now <= timedelta(days=days)
