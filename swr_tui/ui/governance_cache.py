"""What the governance sections read, once per repository per session: sync rules and jobs,
triggers, retention rules, access and shares. ``r`` forgets a repository's, and they are read again.

A failure is kept as well (the section says so in one line until ``r``), so moving back and forth
over a repository whose API answers 403 asks nothing more. The widgets get ``load`` and ``cached``
only: they never see the client.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, Union

from ..swr.errors import SwrError
from .widgets.governance_text import (
    ACCESS,
    NAMESPACE_ACCESS,
    RETENTION,
    SHARES,
    SYNC_JOBS,
    SYNC_RULES,
    TRIGGERS,
)

# ShowSyncJob filters by nothing but limit, offset and order (the SDK's ShowSyncJobRequest), so a
# tag's jobs are found among the repository's newest: one page, read once per repository. A tag
# whose last job is older than these says so rather than guessing.
SYNC_JOB_PAGE = 100
# Repositories whose reads are kept (the least recently used go first): a session that walks a
# thousand repositories keeps a bounded amount, and one looked at again in a while costs a read.
KEPT_REPOSITORIES = 256


Outcome = Union[Any, SwrError]  # what was read, or why it could not be


async def _read(client: Any, kind: str, namespace: str, repository: str) -> Any:
    from ..swr import governance_api as api

    if kind == SYNC_RULES:
        return await api.show_sync_repos(client, namespace, repository)
    if kind == SYNC_JOBS:
        return await api.list_sync_jobs(client, namespace, repository, limit=SYNC_JOB_PAGE)
    if kind == TRIGGERS:
        return await api.list_triggers(client, namespace, repository)
    if kind == RETENTION:
        return await api.list_retentions(client, namespace, repository)
    if kind == ACCESS:
        return await api.show_repository_access(client, namespace, repository)
    if kind == NAMESPACE_ACCESS:
        return await api.show_namespace_access(client, namespace)
    if kind == SHARES:
        return await api.list_repository_shares(client, namespace, repository)
    raise ValueError(f"no governance read named {kind!r}")


class GovernanceCache:
    """One per browser screen (so per connection): ``client`` gives that connection's client."""

    def __init__(self, client: Callable[[], Any]) -> None:
        self._client = client
        self._held: OrderedDict[tuple[str, str], dict[str, Outcome]] = OrderedDict()

    def cached(self, kind: str, namespace: str, repository: str) -> Any:
        """What was read (or the SwrError), None when nothing was yet."""
        return self._held.get((namespace, repository), {}).get(kind)

    async def load(self, kind: str, namespace: str, repository: str) -> Outcome:
        found = self.cached(kind, namespace, repository)
        if found is not None:
            self._held.move_to_end((namespace, repository))
            return found
        try:
            outcome: Outcome = await _read(self._client(), kind, namespace, repository)
        except SwrError as error:
            outcome = error
        self._held.setdefault((namespace, repository), {})[kind] = outcome
        self._held.move_to_end((namespace, repository))
        while len(self._held) > KEPT_REPOSITORIES:
            self._held.popitem(last=False)
        return outcome

    def forget(self, namespace: str, repository: str) -> None:
        self._held.pop((namespace, repository), None)
