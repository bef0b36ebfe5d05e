"""A fake registry with real config blobs, served over loopback, and registry clients on it."""

from __future__ import annotations

import random
from typing import Any, Callable, Optional

import pytest

from swr_tui.fake.credentials import DEMO_AK, DEMO_REGION, DEMO_SK
from swr_tui.swr.client import DEFAULT_TIMEOUT_S
from swr_tui.swr.registry import LoginChain, RegistryClient, RegistryLogin, long_term_login
from swr_tui.swr.registry.login import fixed
from swr_tui.swr.retry import RetryPolicy

WEBAPP = "acme/webapp"

MakeRegistryClient = Callable[..., RegistryClient]


def demo_login() -> RegistryLogin:
    return long_term_login(DEMO_REGION, DEMO_AK, DEMO_SK)


async def _no_sleep(delay: float) -> None:
    return None


@pytest.fixture
def make_registry_client(plane_url: str) -> MakeRegistryClient:
    def make(
        login: Optional[RegistryLogin] = None, *, logins: Optional[LoginChain] = None, **options: Any
    ) -> RegistryClient:
        chain = logins if logins is not None else LoginChain([fixed(login or demo_login())])
        options.setdefault("timeout", DEFAULT_TIMEOUT_S)
        options.setdefault("retry", RetryPolicy(retries=1, base_s=0.01, cap_s=0.02, rng=random.Random(0)))
        options.setdefault("sleep", _no_sleep)
        return RegistryClient(options.pop("endpoint", plane_url), chain, **options)

    return make
