"""Requests per tag inspected: the Inspector against the fake registry (real config blobs) over
loopback HTTP, counted by route on the server, first visit and second visit (with the cache)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from swr_tui.content_cache import ContentCache
from swr_tui.fake import DEMO_TOKEN, FakeRegistry
from swr_tui.fake.credentials import DEMO_AK, DEMO_REGION, DEMO_SK
from swr_tui.fake.data_plane_routes import BLOB, MANIFEST, REGISTRY, TOKEN
from swr_tui.fake.routes import CONFIG
from swr_tui.inspection import Inspector, Platform
from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.client import SwrClient
from swr_tui.swr.models import Tag
from swr_tui.swr.registry import LoginChain, RegistryClient, long_term_login
from swr_tui.swr.registry.login import fixed

SINGLE_ARCH = "v1.2.0"  # acme/webapp: an OCI image
MULTI_ARCH = "v2.4.1"  # acme/webapp: an OCI index with three platforms and their attestations
ROUTES = (CONFIG, REGISTRY, TOKEN, MANIFEST, BLOB)


@dataclass(frozen=True)
class InspectCounts:
    """Requests by route (config, /v2/ ping, token, manifest, blob) for each step."""

    management_first: dict[str, int]
    management_second: dict[str, int]
    platform_first: dict[str, int]
    other_platform_first: dict[str, int]
    platforms_second: dict[str, int]


async def requests_per_tag() -> InspectCounts:
    registry = FakeRegistry(seed=0, real_configs=True)
    with registry.serve() as server, tempfile.TemporaryDirectory() as folder:
        cache = ContentCache(Path(folder) / "cache")
        login = LoginChain([fixed(long_term_login(DEMO_REGION, DEMO_AK, DEMO_SK))])
        async with SwrClient(server.url, TokenAuth(DEMO_TOKEN)) as client:
            inspector = Inspector(client, RegistryClient(server.url, login), cache)
            single = await client.show_tag("acme", "webapp", SINGLE_ARCH)
            listed = await client.show_tag("acme", "webapp", MULTI_ARCH)
            images = [platform for platform in inspector.platforms(listed) if not platform.attestation]

            async def counted(*visits: tuple[Tag, Optional[Platform]]) -> dict[str, int]:
                registry.clear_requests()
                for tag, platform in visits:
                    await inspector.image("acme", "webapp", tag, platform)
                return {route: registry.count(route) for route in ROUTES}

            counts = InspectCounts(
                await counted((single, None)),
                await counted((single, None)),
                await counted((listed, images[0])),
                await counted((listed, images[1])),
                await counted((listed, images[0]), (listed, images[1])),
            )
            await inspector.aclose()
    return counts


def plane_text(counts: dict[str, int]) -> str:
    ping = f" + {counts[REGISTRY]} /v2/ ping" if counts[REGISTRY] else ""
    return f"{counts[TOKEN]} token + {counts[MANIFEST]} manifest + {counts[BLOB]} blob{ping}"
