"""The governance sections' reads (ui/governance_cache.py): once per repository, failures kept until
``r``, and a bounded number of repositories kept."""

from __future__ import annotations

import pytest

from swr_tui.fake import FakeRegistry
from swr_tui.swr.errors import PermissionDeniedError
from swr_tui.ui import governance_cache
from swr_tui.ui.governance_cache import GovernanceCache
from swr_tui.ui.widgets.governance_text import SYNC_JOBS, TRIGGERS

from .conftest import client_for


async def test_a_read_is_asked_once_and_a_failure_is_kept_until_forgotten() -> None:
    registry = FakeRegistry(seed=0, faults="triggers:403")
    cache = GovernanceCache(lambda: client_for(registry))
    first = await cache.load(TRIGGERS, "acme", "webapp")
    assert isinstance(first, PermissionDeniedError)
    assert await cache.load(TRIGGERS, "acme", "webapp") is first
    assert cache.cached(TRIGGERS, "acme", "webapp") is first
    assert registry.count("triggers") == 1
    jobs = await cache.load(SYNC_JOBS, "acme", "webapp")
    assert (len(jobs.items), jobs.total) == (24, 24)  # the 12 newest tags, to each of 2 regions
    cache.forget("acme", "webapp")
    assert cache.cached(SYNC_JOBS, "acme", "webapp") is None
    await cache.load(TRIGGERS, "acme", "webapp")
    assert registry.count("triggers") == 2


async def test_the_least_recently_used_repository_goes_past_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(governance_cache, "KEPT_REPOSITORIES", 2)
    registry = FakeRegistry(seed=0)
    cache = GovernanceCache(lambda: client_for(registry))
    for repository in ("webapp", "nginx", "webapp", "mysql"):  # webapp used again: nginx is the oldest
        await cache.load(TRIGGERS, "acme", repository)
    assert cache.cached(TRIGGERS, "acme", "nginx") is None
    assert cache.cached(TRIGGERS, "acme", "webapp") is not None
    assert cache.cached(TRIGGERS, "acme", "mysql") is not None
    assert registry.count("triggers") == 3
