"""A fake registry with real config blobs over loopback: management API and data plane on one
address, an SwrClient and a RegistryClient on it, and Inspectors built from them."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

from swr_tui.content_cache import ContentCache
from swr_tui.fake import DEMO_TOKEN, FakeRegistry
from swr_tui.fake.credentials import DEMO_AK, DEMO_REGION, DEMO_SK
from swr_tui.inspection import Inspector
from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.client import DEFAULT_TIMEOUT_S, SwrClient
from swr_tui.swr.models import Tag
from swr_tui.swr.registry import LoginChain, RegistryClient, long_term_login
from swr_tui.swr.registry.login import fixed
from swr_tui.swr.retry import RetryPolicy

MakeInspector = Callable[..., Inspector]


async def _no_sleep(delay: float) -> None:
    return None


def _retry() -> RetryPolicy:
    return RetryPolicy(retries=1, base_s=0.01, cap_s=0.02, rng=random.Random(0))


@pytest.fixture
def cache(tmp_path: Path) -> ContentCache:
    return ContentCache(tmp_path / "cache")


@pytest.fixture
async def make_inspector(plane_url: str) -> AsyncIterator[MakeInspector]:
    """``make_inspector(registry=False)`` has no registry client; ``cache=`` one or None."""
    opened: list[Any] = []

    def make(*, registry: bool = True, cache: Optional[ContentCache] = None, **options: Any) -> Inspector:
        client = SwrClient(
            plane_url, TokenAuth(DEMO_TOKEN), timeout=DEFAULT_TIMEOUT_S, retry=_retry(), sleep=_no_sleep
        )
        opened.append(client)
        plane_client = None
        if registry:
            login = long_term_login(DEMO_REGION, DEMO_AK, DEMO_SK)
            plane_client = RegistryClient(
                plane_url,
                LoginChain([fixed(login)]),
                timeout=DEFAULT_TIMEOUT_S,
                retry=_retry(),
                sleep=_no_sleep,
            )
            opened.append(plane_client)
        return Inspector(client, plane_client, cache, **options)

    yield make
    for item in opened:
        await item.aclose()


async def show(inspector: Inspector, tag: str, repository: str = "webapp") -> Tag:
    """The tag record as the UI holds it (manifest included); not counted by the inspector."""
    return await inspector.client.show_tag("acme", repository, tag)


def add_faults(registry: FakeRegistry, spec: str) -> None:
    for rule in registry.faults.parse(spec).rules:
        registry.faults.add(rule)
