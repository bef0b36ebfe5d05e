"""The fake's ShowRepoTagConfig and ListRepoAccessories paths, their faults' grammar, and the
configs it derives: history matching the manifest, one config per digest."""

from __future__ import annotations

import json

import pytest

from swr_tui.fake import FakeRegistry
from swr_tui.fake.faults import parse_spec
from swr_tui.fake.image_configs import bend_config, image_config, layer_count
from swr_tui.fake.routes import ACCESSORIES, CONFIG, TAG, match


@pytest.mark.parametrize(
    ("path", "name", "params"),
    [
        (
            "/v2/manage/namespaces/acme/repos/team%24app/tags/v1/config",
            CONFIG,
            {"namespace": "acme", "repository": "team/app", "tag": "v1"},
        ),
        (
            "/v2/manage/namespaces/acme/repos/web$app/v2.4.1/accessories",
            ACCESSORIES,
            {"namespace": "acme", "repository": "web/app", "tag": "v2.4.1"},
        ),
        # A tag named "accessories" is a tag, as in SWR's own paths.
        (
            "/v2/manage/namespaces/acme/repos/webapp/tags/accessories",
            TAG,
            {"namespace": "acme", "repository": "webapp", "tag": "accessories"},
        ),
        ("/v2/manage/namespaces/acme/repos/webapp/tags/config", TAG, None),
    ],
)
def test_paths(path: str, name: str, params: dict[str, str] | None) -> None:
    route = match(path)
    assert route.name == name
    if params is not None:
        assert route.params == params


@pytest.mark.parametrize(
    "path",
    [
        "/v2/manage/namespaces/acme/repos/webapp/tags//config",
        "/v2/manage/namespaces/acme/repos/webapp/v1/accessories/x",
        "/v2/manage/namespaces/acme/other/webapp/v1/accessories",
    ],
)
def test_near_misses_are_unknown(path: str) -> None:
    assert match(path).name == "unknown"


@pytest.mark.parametrize(
    "spec", ["config:config-missing", "config:odd-config", "config:odd-config=history x2", "accessories:500"]
)
def test_the_new_fault_rules_round_trip(spec: str) -> None:
    (rule,) = parse_spec(spec.replace(" ", ""))
    assert parse_spec(str(rule)) == [rule]


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        ("config:odd-config=wat", "odd-config takes one of text, list"),
        ("config:config-missing=1", "takes no argument"),
    ],
)
def test_bad_new_fault_rules_are_refused(spec: str, said: str) -> None:
    with pytest.raises(ValueError, match=said):
        parse_spec(spec)


def test_every_image_tag_config_matches_its_layers() -> None:
    repo = FakeRegistry(seed=0).dataset.repository("acme", "webapp")
    assert repo is not None
    for index in range(repo.tags.count):
        tag = repo.tags.record(index)
        config = image_config("acme/webapp", tag.digest, tag.manifest, tag.created)
        layers = layer_count(tag.manifest)
        if layers:
            building = (
                [step for step in config["history"] if not step.get("empty_layer")]
                if "history" in config
                else []
            )
            assert len(config["rootfs"]["diff_ids"]) == layers
            assert len(building) == layers or "history" not in config  # cosign's config has none


def test_a_list_tag_gets_its_first_platform() -> None:
    repo = FakeRegistry(seed=0).dataset.repository("acme", "webapp")
    assert repo is not None
    tag = repo.tags.record(repo.tags.index_of("v1.6.0") or 0)
    config = image_config("acme/webapp", tag.digest, tag.manifest, tag.created)
    assert (config["os"], config["architecture"]) == ("linux", "amd64")


def test_bend_config_kinds() -> None:
    base = json.dumps(
        {"os": "linux", "history": [{"created_by": "a"}, {"created_by": "b", "empty_layer": True}]}
    )
    assert json.loads(bend_config(base, "list")) == [json.loads(base)]
    assert bend_config(base, "object") == json.loads(base)
    with pytest.raises(json.JSONDecodeError, match=r"Unterminated|Expecting"):
        json.loads(bend_config(base, "text"))
    assert len(json.loads(bend_config(base, "history"))["history"]) == 10_000
    assert len(json.loads(bend_config(base, "longer"))["history"]) == 3
    assert [step["created_by"] for step in json.loads(bend_config(base, "shorter"))["history"]] == ["b"]
    assert bend_config({"not": "a string"}, "list") == {"not": "a string"}
