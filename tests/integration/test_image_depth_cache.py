"""The config and accessories read through the content cache, over loopback against the fake:
a digest seen before costs no request, and nothing that failed is ever cached."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from swr_tui.content_cache import ContentCache
from swr_tui.fake import FakeRegistry
from swr_tui.fake.routes import ACCESSORIES, CONFIG
from swr_tui.image_depth import ACCESSORIES_KIND, CONFIG_KIND, load_accessories, load_image_config
from swr_tui.swr.client import SwrClient
from swr_tui.swr.errors import ResponseFormatError
from swr_tui.swr.image_config import ConfigApiUnavailable, ImageConfigError

MakeClient = Callable[..., SwrClient]


@pytest.fixture
def cache(tmp_path: Path) -> ContentCache:
    return ContentCache(tmp_path / "cache")


def add_faults(registry: FakeRegistry, spec: str) -> None:
    for rule in registry.faults.parse(spec).rules:
        registry.faults.add(rule)


async def test_a_digest_seen_before_costs_no_request(
    make_client: MakeClient, registry: FakeRegistry, cache: ContentCache
) -> None:
    async with make_client() as client:
        signed = await client.show_tag("acme", "webapp", "v2.4.1")
        first = await load_image_config(client, cache, "acme", "webapp", "v2.4.1", signed.digest)
        signatures = await load_accessories(client, cache, "acme", "webapp", "v2.4.1", signed.digest)
        assert (registry.count(CONFIG), registry.count(ACCESSORIES)) == (1, 1)
        again = await load_image_config(client, cache, "acme", "webapp", "v2.4.1", signed.digest)
        # ``latest`` shares the digest: its config and signatures are already known.
        latest = await load_image_config(client, cache, "acme", "webapp", "latest", signed.digest)
        latest_signatures = await load_accessories(client, cache, "acme", "webapp", "latest", signed.digest)
    assert (registry.count(CONFIG), registry.count(ACCESSORIES)) == (1, 1)
    assert first == again == latest
    assert signatures == latest_signatures
    assert len(signatures) == 1
    assert signatures[0].target_digest == signed.digest
    assert cache.info().entries == 2


async def test_a_fresh_cache_on_the_same_folder_still_knows_it(
    make_client: MakeClient, registry: FakeRegistry, cache: ContentCache
) -> None:
    async with make_client() as client:
        tag = await client.show_tag("acme", "webapp", "v1.2.0")
        first = await load_image_config(client, cache, "acme", "webapp", "v1.2.0", tag.digest)
        reopened = ContentCache(cache.path)
        second = await load_image_config(client, reopened, "acme", "webapp", "v1.2.0", tag.digest)
    assert first == second
    assert registry.count(CONFIG) == 1


async def test_without_a_cache_every_visit_asks(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client() as client:
        tag = await client.show_tag("acme", "webapp", "v1.2.0")
        for _ in range(2):
            await load_image_config(client, None, "acme", "webapp", "v1.2.0", tag.digest)
            await load_accessories(client, None, "acme", "webapp", "v1.2.0", tag.digest)
    assert (registry.count(CONFIG), registry.count(ACCESSORIES)) == (2, 2)


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ("config:odd-config=textx1", ImageConfigError),
        ("config:odd-configx1", ImageConfigError),
        ("config:config-missingx1", ConfigApiUnavailable),
    ],
)
async def test_a_failed_config_is_not_cached(
    make_client: MakeClient, registry: FakeRegistry, cache: ContentCache, spec: str, error: type
) -> None:
    add_faults(registry, spec)
    async with make_client() as client:
        tag = await client.show_tag("acme", "webapp", "v1.2.0")
        with pytest.raises(error):
            await load_image_config(client, cache, "acme", "webapp", "v1.2.0", tag.digest)
        assert cache.info().entries == 0
        config = await load_image_config(client, cache, "acme", "webapp", "v1.2.0", tag.digest)
    assert config.platform == "linux/amd64"
    assert registry.count(CONFIG) == 2
    assert cache.info().entries == 1


async def test_a_corrupted_entry_is_refetched_not_shown(
    make_client: MakeClient, registry: FakeRegistry, cache: ContentCache
) -> None:
    async with make_client() as client:
        tag = await client.show_tag("acme", "webapp", "v1.2.0")
        first = await load_image_config(client, cache, "acme", "webapp", "v1.2.0", tag.digest)
        (entry,) = [path for path in cache.path.rglob("*") if path.is_file()]
        entry.write_bytes(entry.read_bytes().replace(b"linux", b"Linux"))
        second = await load_image_config(client, cache, "acme", "webapp", "v1.2.0", tag.digest)
    assert second == first
    assert second.os == "linux"
    assert cache.corrupt_dropped == 1
    assert registry.count(CONFIG) == 2


async def test_a_failed_accessory_list_is_not_cached(
    make_client: MakeClient, registry: FakeRegistry, cache: ContentCache
) -> None:
    add_faults(registry, "accessories:wrong-shapex1")
    async with make_client() as client:
        tag = await client.show_tag("acme", "webapp", "v2.4.1")
        with pytest.raises(ResponseFormatError, match=r"accessories of acme/webapp:v2\.4\.1"):
            await load_accessories(client, cache, "acme", "webapp", "v2.4.1", tag.digest)
        assert cache.get_keyed(ACCESSORIES_KIND, tag.digest) is None
        found = await load_accessories(client, cache, "acme", "webapp", "v2.4.1", tag.digest)
    assert len(found) == 1
    assert cache.get_keyed(ACCESSORIES_KIND, tag.digest) is not None
    assert cache.get_keyed(CONFIG_KIND, tag.digest) is None


async def test_every_accessory_page_is_read(
    make_client: MakeClient, registry: FakeRegistry, cache: ContentCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    from swr_tui import image_depth

    async with make_client() as client:
        tag = await client.show_tag("acme", "webapp", "v2.4.1")
        hex_digest = tag.digest[len("sha256:") :]
        for suffix in (".att", ".sbom"):
            registry.push_tag("acme", "webapp", f"sha256-{hex_digest}{suffix}")
        monkeypatch.setattr(image_depth, "ACCESSORY_MAX_LIMIT", 1)
        found = await load_accessories(client, cache, "acme", "webapp", "v2.4.1", tag.digest)
    assert [item.kind for item in found] == ["signature", "attestation", "sbom"]
    assert [request.params for request in registry.requests if request.route == ACCESSORIES] == [
        {"limit": "1", "offset": "0"},
        {"limit": "1", "offset": "1"},
        {"limit": "1", "offset": "2"},
    ]
