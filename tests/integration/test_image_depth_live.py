"""get_image_config and list_accessories against the fake registry over real loopback HTTP: the
documented JSON-string body, the API missing in a region, every bad config the issue lists, the
hostile corpus in env/labels/history, and the accessories' own paging."""

from __future__ import annotations

import json
from typing import Callable

import pytest

from swr_tui.fake import DEMO_AK, DEMO_PROJECT_ID, DEMO_SK, FakeRegistry
from swr_tui.fake.hostile import CORPUS, HOSTILE_NAMESPACE, TAGS_REPO, HostileRegistry
from swr_tui.fake.image_configs import BIG_LABELS_BYTES, LONG_HISTORY_STEPS
from swr_tui.fake.routes import ACCESSORIES, CONFIG
from swr_tui.swr.accessories import ACCESSORY_MAX_LIMIT
from swr_tui.swr.auth import AkSkAuth
from swr_tui.swr.client import SwrClient
from swr_tui.swr.errors import NotFoundError, ResponseFormatError, SwrError
from swr_tui.swr.image_config import (
    ConfigApiUnavailable,
    ImageConfigError,
    command_line,
    env_file_text,
    labels_json,
    pair_history,
)
from swr_tui.swr.manifest import parse_manifest

MakeClient = Callable[..., SwrClient]
SIGNED = "v2.4.1"  # webapp's tag with a cosign signature (and ``latest`` on the same digest)


def add_faults(registry: FakeRegistry, spec: str) -> None:
    for rule in registry.faults.parse(spec).rules:
        registry.faults.add(rule)


def one_line(error: BaseException) -> str:
    text = str(error)
    assert text
    assert "\n" not in text
    assert "Traceback" not in text
    return text


# -- the image config -----------------------------------------------------------------------------


async def test_the_config_of_an_image_tag_pairs_with_its_layers(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        tag = await client.show_tag("acme", "webapp", "v1.2.0")
        config = await client.get_image_config("acme", "webapp", "v1.2.0")
    request = registry.requests[-1]
    assert request.route == CONFIG
    assert request.method == "GET"
    assert request.path == "/v2/manage/namespaces/acme/repos/webapp/tags/v1.2.0/config"
    assert config.platform == "linux/amd64"
    assert config.cmd == ("/usr/local/bin/webapp", "--config", "/etc/webapp/config.yaml")
    assert config.working_dir == "/app"
    assert any(item.startswith("PATH=") for item in config.env)
    assert dict(config.labels)["org.opencontainers.image.source"] == "https://git.example.com/acme/webapp"
    assert config.error is None
    layers = parse_manifest(tag.manifest).layers
    pairing = pair_history(config, layers)
    assert pairing.matches
    assert [step.layer for step in pairing.steps if step.layer] == list(layers)
    assert any(step.entry.empty_layer for step in pairing.steps)
    assert all("#(nop)" not in step.instruction for step in pairing.steps)
    assert "/usr/local/bin/webapp --config /etc/webapp/config.yaml" in command_line(config)


async def test_the_answer_is_the_documented_json_string(live: str, registry: FakeRegistry) -> None:
    from tests.integration.test_client_live import raw_get

    response = await raw_get(live, "/v2/manage/namespaces/acme/repos/webapp/tags/v1.0.0/config")
    body = response.json()
    assert isinstance(body, str)
    assert json.loads(body)["rootfs"]["type"] == "layers"


async def test_a_nested_repository_name_travels_with_a_dollar(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        config = await client.get_image_config("acme", "team/app", "v0.3.1")
    assert registry.requests[-1].path == "/v2/manage/namespaces/acme/repos/team%24app/tags/v0.3.1/config"
    assert registry.requests[-1].path_params["repository"] == "team/app"
    assert config.cmd[0] == "/usr/local/bin/app"


async def test_tags_on_one_digest_share_one_config(make_client: MakeClient) -> None:
    async with make_client() as client:
        signed = await client.get_image_config("acme", "webapp", SIGNED)
        latest = await client.get_image_config("acme", "webapp", "latest")
    assert signed == latest


async def test_a_plain_object_body_gives_the_same_config(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        as_string = await client.get_image_config("acme", "webapp", "v1.0.0")
        add_faults(registry, "config:odd-config=object")
        as_object = await client.get_image_config("acme", "webapp", "v1.0.0")
    assert as_object == as_string


async def test_aksk_signing_covers_the_config_path(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client(auth=AkSkAuth(DEMO_AK, DEMO_SK, project_id=DEMO_PROJECT_ID)) as client:
        config = await client.get_image_config("acme", "team/app", "v0.3.1")
    assert config.platform == "linux/amd64"
    assert registry.requests[-1].status == 200


@pytest.mark.parametrize(("spec", "status"), [("config:config-missing", 404), ("config:405", 405)])
async def test_a_region_without_the_api_raises_config_api_unavailable(
    make_client: MakeClient, registry: FakeRegistry, spec: str, status: int
) -> None:
    add_faults(registry, spec)
    async with make_client() as client:
        with pytest.raises(ConfigApiUnavailable) as caught:
            await client.get_image_config("acme", "webapp", "v1.0.0")
        tag = await client.show_tag("acme", "webapp", "v1.0.0")  # only the config API is missing
    assert tag.name == "v1.0.0"
    assert caught.value.status == status
    assert "no image config API" in one_line(caught.value)
    assert registry.count(CONFIG) == 1  # no retry: a missing API stays missing


@pytest.mark.parametrize(
    ("namespace", "repository", "tag"),
    [("acme", "webapp", "no-such-tag"), ("acme", "no-such-repo", "v1"), ("no-such-ns", "app", "v1")],
)
async def test_a_missing_tag_is_not_found_not_a_missing_api(
    make_client: MakeClient, namespace: str, repository: str, tag: str
) -> None:
    async with make_client() as client:
        with pytest.raises(NotFoundError) as caught:
            await client.get_image_config(namespace, repository, tag)
    assert not isinstance(caught.value, ConfigApiUnavailable)
    assert caught.value.code is not None
    assert caught.value.code.startswith("SVCSTG.SWR.404")
    one_line(caught.value)


@pytest.mark.parametrize(
    ("spec", "error_type", "said"),
    [
        ("config:malformed", ResponseFormatError, "is not JSON"),
        ("config:odd-config=text", ImageConfigError, "The image config the registry sent is not JSON"),
        ("config:odd-config=list", ImageConfigError, "is a list, not a config object"),
        ("config:wrong-shape", ImageConfigError, "is a list, not a config object"),
        ("config:deep-json", ResponseFormatError, "nested too deeply"),
    ],
)
async def test_a_bad_config_answer_is_one_clear_error(
    make_client: MakeClient, registry: FakeRegistry, spec: str, error_type: type, said: str
) -> None:
    add_faults(registry, spec)
    async with make_client() as client:
        with pytest.raises(error_type) as caught:
            await client.get_image_config("acme", "webapp", "v1.0.0")
    assert isinstance(caught.value, SwrError)
    assert said in one_line(caught.value)


async def test_ten_thousand_history_steps_arrive_and_still_pair(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    add_faults(registry, "config:odd-config=history")
    async with make_client() as client:
        tag = await client.show_tag("acme", "webapp", "v1.2.0")
        config = await client.get_image_config("acme", "webapp", "v1.2.0")
    assert len(config.history) == LONG_HISTORY_STEPS
    assert config.history_dropped == 0
    assert pair_history(config, parse_manifest(tag.manifest).layers).matches


@pytest.mark.parametrize("how", ["longer", "shorter"])
async def test_a_history_longer_or_shorter_than_the_layers_is_marked(
    make_client: MakeClient, registry: FakeRegistry, how: str
) -> None:
    add_faults(registry, f"config:odd-config={how}")
    async with make_client() as client:
        tag = await client.show_tag("acme", "webapp", "v1.2.0")
        config = await client.get_image_config("acme", "webapp", "v1.2.0")
    pairing = pair_history(config, parse_manifest(tag.manifest).layers)
    assert not pairing.matches
    assert "does not match" in pairing.mismatch
    assert all(step.layer is None for step in pairing.steps)


async def test_two_megabytes_of_labels_arrive_whole(make_client: MakeClient, registry: FakeRegistry) -> None:
    add_faults(registry, "config:odd-config=labels")
    async with make_client() as client:
        config = await client.get_image_config("acme", "webapp", "v1.0.0")
    assert sum(len(key) + len(value) for key, value in config.labels) >= BIG_LABELS_BYTES
    assert config.labels_dropped == 0
    assert len(json.loads(labels_json(config))) == len(config.labels)


async def test_hostile_text_in_env_labels_and_history_is_kept_as_data() -> None:
    registry = HostileRegistry(seed=0)
    tag_name = registry.dataset.repository(HOSTILE_NAMESPACE, TAGS_REPO).tags.name(0)
    with registry.serve() as server:
        async with SwrClient(server.url, _token_auth()) as client:
            config = await client.get_image_config(HOSTILE_NAMESPACE, TAGS_REPO, tag_name)
            tag = await client.show_tag(HOSTILE_NAMESPACE, TAGS_REPO, tag_name)
    labels = dict(config.labels)
    created_by = [entry.created_by for entry in config.history]
    for entry in CORPUS:
        assert labels[entry.text] == entry.text
        assert any(item.endswith(f"={entry.text}") for item in config.env)
        assert f"/bin/sh -c #(nop)  LABEL {entry.text}" in created_by
    assert config.cmd == ("echo", *(entry.text for entry in CORPUS))
    # Helpers keep every variable on its own line and escape what could act on a terminal.
    assert env_file_text(config).count("\n") == len(config.env)
    assert "\x1b" not in env_file_text(config)
    assert "\x1b" not in labels_json(config)
    pairing = pair_history(config, parse_manifest(tag.manifest).layers)
    assert pairing.matches
    assert len(pairing.steps) == len(config.history)


def _token_auth() -> object:
    from swr_tui.fake import DEMO_TOKEN
    from swr_tui.swr.auth import TokenAuth

    return TokenAuth(DEMO_TOKEN)


# -- accessories ----------------------------------------------------------------------------------


async def test_the_signed_tag_lists_its_cosign_signature(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        tag = await client.show_tag("acme", "webapp", SIGNED)
        page = await client.list_accessories("acme", "webapp", SIGNED)
        same_digest = await client.list_accessories("acme", "webapp", "latest")
    request = registry.requests[-2]
    assert request.route == ACCESSORIES
    assert request.path == f"/v2/manage/namespaces/acme/repos/webapp/{SIGNED}/accessories"
    assert request.params == {"limit": "10", "offset": "0"}
    assert page.total == 1
    assert page.is_last
    (accessory,) = page.items
    assert accessory.sig_tag == f"sha256-{tag.digest[len('sha256:') :]}.sig"
    assert accessory.target_digest == tag.digest
    assert accessory.kind == "signature"
    assert accessory.sig_digest.startswith("sha256:")
    assert accessory.size > 0
    assert (accessory.namespace, accessory.repository) == ("acme", "webapp")
    assert accessory.created
    assert same_digest.items == page.items


async def test_an_unsigned_tag_has_none(make_client: MakeClient) -> None:
    async with make_client() as client:
        page = await client.list_accessories("acme", "team/app", "v0.3.1")
    assert page.items == ()
    assert page.total == 0
    assert page.is_last


async def test_accessory_pages_follow_offset_and_limit(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        first = await client.list_accessories("acme", "webapp", SIGNED, limit=1)
        second = await client.list_accessories("acme", "webapp", SIGNED, offset=1, limit=1)
    assert len(first.items) == 1
    assert first.total == 1
    assert first.is_last
    assert second.items == ()
    assert registry.requests[-1].params == {"limit": "1", "offset": "1"}


@pytest.mark.parametrize(("offset", "limit"), [(0, 0), (0, ACCESSORY_MAX_LIMIT + 1), (-1, 10)])
async def test_bad_paging_is_refused_before_sending(
    make_client: MakeClient, registry: FakeRegistry, offset: int, limit: int
) -> None:
    async with make_client() as client:
        with pytest.raises(ValueError, match="must"):
            await client.list_accessories("acme", "webapp", SIGNED, offset=offset, limit=limit)
    assert registry.count(ACCESSORIES) == 0


async def test_accessories_of_a_missing_tag_are_not_found(make_client: MakeClient) -> None:
    async with make_client() as client:
        with pytest.raises(NotFoundError) as caught:
            await client.list_accessories("acme", "webapp", "no-such-tag")
    assert "the accessories of acme/webapp:no-such-tag" in one_line(caught.value)


@pytest.mark.parametrize("spec", ["accessories:wrong-shape", "accessories:malformed"])
async def test_a_bad_accessory_answer_is_one_clear_error(
    make_client: MakeClient, registry: FakeRegistry, spec: str
) -> None:
    add_faults(registry, spec)
    async with make_client() as client:
        with pytest.raises(ResponseFormatError) as caught:
            await client.list_accessories("acme", "webapp", SIGNED)
    assert "the accessories of acme/webapp:v2.4.1" in one_line(caught.value)
