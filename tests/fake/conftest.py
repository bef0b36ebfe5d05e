from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Callable, Optional

import httpx
import pytest

from swr_tui.fake import DEMO_AK, DEMO_SK, DEMO_TOKEN, FakeRegistry
from swr_tui.fake.loopback import RunningServer
from swr_tui.swr import signer


@pytest.fixture(scope="module")
def registry() -> FakeRegistry:
    """Shared by the read-only tests of a module; tests that add faults or expire tokens use ``fresh``."""
    return FakeRegistry(seed=0)


@pytest.fixture(scope="module")
def server(registry: FakeRegistry) -> Iterator[RunningServer]:
    with registry.serve() as running:
        yield running


@pytest.fixture
def client(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, headers={"X-Auth-Token": DEMO_TOKEN}, timeout=10) as http:
        yield http


@pytest.fixture
def fresh() -> Iterator[tuple[FakeRegistry, RunningServer]]:
    registry = FakeRegistry(seed=0)
    with registry.serve() as running:
        yield registry, running


@pytest.fixture
def sign() -> Callable[..., dict[str, str]]:
    """Headers for an AK/SK request to ``url``, signed as the official SDK signs."""

    def make(
        url: str,
        method: str = "GET",
        body: bytes = b"",
        access_key: str = DEMO_AK,
        secret_key: str = DEMO_SK,
        when: Optional[datetime] = None,
        extra: Optional[dict[str, str]] = None,
    ) -> dict[str, str]:
        parsed = httpx.URL(url)
        raw_path, _, raw_query = parsed.raw_path.decode("ascii").partition("?")
        headers = {
            "Host": parsed.netloc.decode("ascii"),
            "X-Sdk-Date": signer.sdk_date(when),
            "Content-Type": "application/json",
            **(extra or {}),
        }
        headers["Authorization"] = signer.sign(
            method, raw_path, raw_query, headers, body, access_key, secret_key
        )
        return headers

    return make
