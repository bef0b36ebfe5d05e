"""The demo's registry data plane: a RegistryClient on the in-process fake registry, logged in
with the long-term login derived from the demo AK/SK, so ``--demo`` needs no credentials."""

from __future__ import annotations

from swr_tui.fake.credentials import DEMO_AK, DEMO_SK
from swr_tui.fake.registry import FakeRegistry
from swr_tui.swr.registry import LoginChain, RegistryClient, long_term_login
from swr_tui.swr.registry.login import fixed

DEMO_REGISTRY_ENDPOINT = "https://swr.demo.swr-tui.invalid"


def demo_registry_client(registry: FakeRegistry, timeout: float = 20.0) -> RegistryClient:
    """Build ``registry`` with ``real_configs=True`` so that its config blobs can be fetched."""
    login = long_term_login(registry.dataset.region, DEMO_AK, DEMO_SK)
    return RegistryClient(
        DEMO_REGISTRY_ENDPOINT, LoginChain([fixed(login)]), timeout=timeout, transport=registry.transport()
    )
