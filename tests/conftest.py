"""Fixtures shared by every test: an isolated environment, the fake registry, and fast clients.

Fixture names here are ``registry``, ``live``, ``sleeps``, ``make_client``, and ``plane`` /
``plane_url`` (a registry with real config blobs, served with its data plane). ``tests/fake``
defines its own module-scoped ``registry`` (and ``server``, ``client``, ``fresh``, ``sign``), which
wins inside that folder.
"""

from __future__ import annotations

import os
import random
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import Callable, Optional

import httpx
import pytest

from swr_tui.fake import DEMO_TOKEN, FakeRegistry
from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.client import DEFAULT_TIMEOUT_S, SwrClient
from swr_tui.swr.retry import RetryPolicy

# Variables that would let a test reach a real account, a real config file or a proxy.
_ISOLATED_PREFIXES = ("SWR_TUI_", "HUAWEICLOUD_SDK_", "HW_")
_PROXY_VARIABLES = frozenset({"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"})


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the real user's credentials, config files, home directory or proxies."""
    for name in list(os.environ):
        if name.upper().startswith(_ISOLATED_PREFIXES) or name.upper() in _PROXY_VARIABLES:
            monkeypatch.delenv(name)
    home = tmp_path / "isolated-home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("SWR_TUI_CONFIG", str(tmp_path / "no-such-dir" / "config.toml"))


@pytest.fixture
def registry() -> FakeRegistry:
    """A fresh fake registry per test (the data set itself is cached, so this is cheap)."""
    return FakeRegistry(seed=0)


@pytest.fixture
def live(registry: FakeRegistry) -> Iterator[str]:
    """``registry`` served over real loopback HTTP; yields its base URL (``http://127.0.0.1:PORT``)."""
    with registry.serve() as server:
        yield server.url


class Sleeps(list):  # type: ignore[type-arg]
    """An injected ``sleep`` that records each delay and returns at once."""

    async def __call__(self, delay: float) -> None:
        self.append(delay)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


MakeClient = Callable[..., SwrClient]


@pytest.fixture
def make_client(live: str, sleeps: Sleeps) -> MakeClient:
    """SwrClient on ``live`` with a token, fast retries and the recording ``sleeps``.

    Use it as ``async with make_client() as client``; pass ``auth=``, ``timeout=``, ``retries=``,
    ``endpoint=`` or ``sleep=`` to change one thing.
    """

    def make(
        auth: Optional[httpx.Auth] = None,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,  # the app's: a loaded machine took 5 s for a 0.06 s login
        retries: int = 3,
        endpoint: Optional[str] = None,
        sleep: Optional[Callable[[float], Awaitable[None]]] = None,
        **options: object,
    ) -> SwrClient:
        return SwrClient(
            endpoint or live,
            auth if auth is not None else TokenAuth(DEMO_TOKEN),
            timeout=timeout,
            retry=RetryPolicy(retries=retries, base_s=0.01, cap_s=0.05, rng=random.Random(0)),
            sleep=sleep if sleep is not None else sleeps,
            **options,  # type: ignore[arg-type]
        )

    return make


@pytest.fixture
def plane() -> Iterator[FakeRegistry]:
    registry = FakeRegistry(seed=0, real_configs=True)
    yield registry
    if registry.data_plane.object_storage is not None:
        registry.data_plane.object_storage.stop()


@pytest.fixture
def plane_url(plane: FakeRegistry) -> Iterator[str]:
    with plane.serve() as server:
        yield server.url
