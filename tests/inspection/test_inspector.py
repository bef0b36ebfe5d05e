"""The Inspector over real loopback HTTP against the fake registry (real config blobs): where each
image comes from, how many requests it costs, and what it says when it cannot."""

from __future__ import annotations

import dataclasses

import pytest

from swr_tui.content_cache import ContentCache
from swr_tui.fake import FakeRegistry
from swr_tui.fake.data_plane_routes import BLOB, MANIFEST, REFERRERS, REGISTRY, TOKEN
from swr_tui.fake.routes import ACCESSORIES, CONFIG, TAG
from swr_tui.inspection import Platform
from swr_tui.inspection.inspector import RegistryNeeded
from swr_tui.swr.errors import ConfigurationError, SwrError
from swr_tui.swr.image_config import ConfigApiUnavailable, command_line
from swr_tui.swr.registry import DigestMismatchError

from .conftest import MakeInspector, add_faults, show


def plane_counts(registry: FakeRegistry) -> dict[str, int]:
    return {route: registry.count(route) for route in (REGISTRY, TOKEN, MANIFEST, BLOB)}


async def test_a_single_arch_tag_costs_one_management_request_then_none(
    make_inspector: MakeInspector, plane: FakeRegistry, cache: ContentCache
) -> None:
    inspector = make_inspector(cache=cache)
    tag = await show(inspector, "v1.2.0")
    plane.clear_requests()
    first = await inspector.image("acme", "webapp", tag)
    assert (inspector.requests, plane.count(CONFIG), first.source) == (1, 1, "management API")
    again = await inspector.image("acme", "webapp", tag)
    assert (inspector.requests, plane.count(CONFIG), again.source) == (1, 1, "cache")
    assert plane_counts(plane) == {REGISTRY: 0, TOKEN: 0, MANIFEST: 0, BLOB: 0}
    assert first.config == again.config
    assert first.reference == "acme/webapp:v1.2.0"
    assert first.manifest_digest == tag.digest
    assert first.platform is None
    assert first.layers
    assert first.history.matches
    paired = [step.layer for step in first.history.steps if not step.entry.empty_layer]
    assert paired == list(first.layers)
    assert first.config.os == "linux"


async def test_each_platform_costs_at_most_a_token_a_manifest_and_a_blob_then_nothing(
    make_inspector: MakeInspector, plane: FakeRegistry, cache: ContentCache
) -> None:
    inspector = make_inspector(cache=cache)
    tag = await show(inspector, "v2.4.1")
    platforms = inspector.platforms(tag)
    images = [platform for platform in platforms if not platform.attestation]
    assert [platform.label for platform in images] == ["linux/amd64", "linux/arm64", "linux/arm/v7"]
    assert any(platform.attestation and platform.label == "attestation" for platform in platforms)
    plane.clear_requests()
    amd64 = await inspector.image("acme", "webapp", tag, images[0])
    assert plane_counts(plane) == {REGISTRY: 1, TOKEN: 1, MANIFEST: 1, BLOB: 1}
    arm64 = await inspector.image("acme", "webapp", tag, images[1])
    # The token is per repository: the second platform needs only its manifest and blob.
    assert plane_counts(plane) == {REGISTRY: 1, TOKEN: 1, MANIFEST: 2, BLOB: 2}
    assert inspector.requests == 6
    assert plane.count(CONFIG) == 0
    assert (amd64.source, arm64.source) == ("registry", "registry")
    assert (arm64.config.os, arm64.config.architecture) == ("linux", "arm64")
    assert arm64.manifest_digest == images[1].digest
    assert arm64.platform == images[1]
    assert arm64.history.matches
    assert arm64.layers
    for platform in images[:2]:
        again = await inspector.image("acme", "webapp", tag, platform)
        assert again.source == "cache"
    assert inspector.requests == 6


async def test_the_cache_outlives_the_inspector(
    make_inspector: MakeInspector, plane: FakeRegistry, cache: ContentCache
) -> None:
    first = make_inspector(cache=cache)
    tag = await show(first, "v1.3.0")
    view = await first.image("acme", "webapp", tag)
    second = make_inspector(cache=ContentCache(cache.path))
    again = await second.image("acme", "webapp", tag)
    assert (second.requests, again.source, again.config) == (0, "cache", view.config)


async def test_without_a_cache_every_visit_asks_again(
    make_inspector: MakeInspector, plane: FakeRegistry
) -> None:
    inspector = make_inspector(cache=None)
    tag = await show(inspector, "v1.4.0")
    plane.clear_requests()
    for _ in range(2):
        view = await inspector.image("acme", "webapp", tag)
        assert view.source == "registry"
    assert (plane.count(MANIFEST), plane.count(BLOB)) == (2, 2)


async def test_a_list_opens_on_linux_amd64_or_the_platform_asked_for(make_inspector: MakeInspector) -> None:
    inspector = make_inspector()
    tag = await show(inspector, "v2.4.1")
    assert (await inspector.image("acme", "webapp", tag)).config.architecture == "amd64"
    arm = make_inspector(platform="linux/arm64/v8")
    view = await arm.image("acme", "webapp", tag)
    assert view.platform is not None
    assert view.platform.label == "linux/arm64"
    assert view.config.architecture == "arm64"


def test_the_default_platform_rules(make_inspector: MakeInspector) -> None:
    inspector = make_inspector(registry=False)
    attestation = Platform("unknown", "unknown", "", "sha256:" + "a" * 64, 1, True)
    arm = Platform("linux", "arm64", "v8", "sha256:" + "b" * 64, 2, False)
    amd = Platform("linux", "amd64", "", "sha256:" + "c" * 64, 3, False)
    assert inspector.default_platform((attestation, arm, amd), None) == amd
    assert inspector.default_platform((attestation, arm, amd), "linux/arm64") == arm
    assert inspector.default_platform((attestation, arm), "linux/s390x") == arm
    assert inspector.default_platform((attestation,), None) is None


async def test_a_region_without_the_config_api_falls_back_to_the_registry(
    make_inspector: MakeInspector, plane: FakeRegistry, cache: ContentCache
) -> None:
    add_faults(plane, "config:config-missing")
    inspector = make_inspector(cache=cache)
    tag = await show(inspector, "v1.2.0")
    first = await inspector.image("acme", "webapp", tag)
    assert first.source == "registry"
    assert first.config.os == "linux"
    assert first.history.matches
    other = await show(inspector, "v1.5.1")
    plane.clear_requests()
    await inspector.image("acme", "webapp", other)
    # Once missing, the management API is not asked again in this session.
    assert (plane.count(CONFIG), plane.count(MANIFEST), plane.count(BLOB)) == (0, 1, 1)


async def test_without_the_config_api_and_without_a_registry_the_error_says_what_to_give(
    make_inspector: MakeInspector, plane: FakeRegistry
) -> None:
    add_faults(plane, "config:config-missing")
    inspector = make_inspector(registry=False)
    tag = await show(inspector, "v1.2.0")
    with pytest.raises(ConfigApiUnavailable) as caught:
        await inspector.image("acme", "webapp", tag)
    assert "no image config API" in str(caught.value)
    assert "--registry-endpoint" in str(caught.value)


async def test_a_list_without_a_registry_says_the_platforms_need_it(
    make_inspector: MakeInspector, plane: FakeRegistry
) -> None:
    inspector = make_inspector(registry=False)
    tag = await show(inspector, "v2.4.1")
    plane.clear_requests()
    with pytest.raises(RegistryNeeded) as caught:
        await inspector.image("acme", "webapp", tag)
    message = str(caught.value)
    assert "acme/webapp:v2.4.1" in message
    assert "--registry-endpoint" in message
    assert "AK/SK" in message
    assert plane.requests == []


async def test_a_blob_that_does_not_match_its_digest_is_refused_and_not_cached(
    make_inspector: MakeInspector, plane: FakeRegistry, cache: ContentCache
) -> None:
    add_faults(plane, "blob:blob-mismatchx1")
    inspector = make_inspector(cache=cache)
    tag = await show(inspector, "v1.4.0")
    with pytest.raises(DigestMismatchError, match="sha256"):
        await inspector.image("acme", "webapp", tag)
    assert cache.info().entries == 1  # the child manifest (verified); not the blob
    view = await inspector.image("acme", "webapp", tag)
    assert view.source == "registry"
    assert view.config.os == "linux"


def test_a_bad_platform_is_refused(make_inspector: MakeInspector) -> None:
    with pytest.raises(ConfigurationError, match="os/architecture"):
        make_inspector(platform="amd64")


async def test_the_command_line_of_a_platform(make_inspector: MakeInspector) -> None:
    inspector = make_inspector()
    view = await inspector.image("acme", "webapp", await show(inspector, "v1.4.0"))
    assert command_line(view.config).startswith("/app/bin/server")


# -- signatures ---------------------------------------------------------------------------------


async def test_signatures_from_the_accessories_api_once_then_from_the_cache(
    make_inspector: MakeInspector, plane: FakeRegistry, cache: ContentCache
) -> None:
    inspector = make_inspector(cache=cache)
    tag = await show(inspector, "v2.4.1")
    plane.clear_requests()
    found = await inspector.signatures("acme", "webapp", tag)
    again = await inspector.signatures("acme", "webapp", tag)
    assert found == again
    assert [(item.kind, item.source) for item in found] == [("signature", "accessories")]
    assert found[0].tag == "sha256-" + tag.digest[len("sha256:") :] + ".sig"
    assert found[0].digest.startswith("sha256:")
    assert (plane.count(ACCESSORIES), plane.count(REFERRERS), inspector.requests) == (1, 0, 1)


async def test_signatures_from_referrers_where_the_accessories_api_is_missing(
    make_inspector: MakeInspector, plane: FakeRegistry
) -> None:
    add_faults(plane, "accessories:config-missing")
    inspector = make_inspector()
    tag = await show(inspector, "v2.4.1")
    found = await inspector.signatures("acme", "webapp", tag)
    assert [(item.kind, item.source) for item in found] == [("signature", "referrers")]
    assert found[0].digest.startswith("sha256:")
    assert found[0].tag == ""
    assert plane.count(REFERRERS) == 1


async def test_signatures_from_the_tag_names_without_a_registry(
    make_inspector: MakeInspector, plane: FakeRegistry
) -> None:
    add_faults(plane, "accessories:config-missing")
    inspector = make_inspector(registry=False)
    tag = await show(inspector, "v2.4.1")
    signature_tag = "sha256-" + tag.digest[len("sha256:") :] + ".sig"
    known = await inspector.signatures("acme", "webapp", tag, known_tags={"v2.4.1", signature_tag})
    assert [(item.tag, item.kind, item.source) for item in known] == [
        (signature_tag, "signature", "tag name")
    ]
    plane.clear_requests()
    looked_up = await inspector.signatures("acme", "webapp", tag)
    assert [(item.tag, item.source) for item in looked_up] == [(signature_tag, "tag name")]
    assert looked_up[0].digest.startswith("sha256:")
    assert plane.count(TAG) == 1
    unsigned = await show(inspector, "v1.2.0")
    assert await inspector.signatures("acme", "webapp", unsigned) == ()


async def test_an_attestation_child_is_refused_without_a_request(
    make_inspector: MakeInspector, plane: FakeRegistry
) -> None:
    inspector = make_inspector()
    tag = await show(inspector, "v2.4.1")
    attestation = next(platform for platform in inspector.platforms(tag) if platform.attestation)
    plane.clear_requests()
    with pytest.raises(SwrError, match=r"is an attestation .* Choose one of the image platforms"):
        await inspector.image("acme", "webapp", tag, attestation)
    assert plane.requests == []


async def test_a_record_without_its_manifest_reads_the_registrys_copy(
    make_inspector: MakeInspector, plane: FakeRegistry
) -> None:
    inspector = make_inspector()
    full = await show(inspector, "v1.2.0")
    bare = dataclasses.replace(full, manifest="")
    view = await inspector.image("acme", "webapp", bare)
    assert view.source == "registry"
    assert [layer.digest for layer in view.layers] == [
        layer.digest for layer in (await inspector.image("acme", "webapp", full)).layers
    ]
    assert view.history.matches
