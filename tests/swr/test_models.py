"""Namespace, Repository, Tag: tolerant building from whatever JSON the registry sends."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tag_output import TAG_OUTPUT_KEYS

from swr_tui.swr.models import Namespace, Repository, Tag

LIST_TAG = {
    "id": 7,
    "repo_id": 3,
    "Tag": "v1.2.3",
    "image_id": "sha256:abc",
    "manifest": '{"schemaVersion": 2, "layers": []}',
    "digest": "sha256:0123",
    "schema": 2,
    "path": "swr.cn-north-4.myhuaweicloud.com/ns/app:v1.2.3",
    "internal_path": "swr.cn-north-4.myhuaweicloud.com/ns/app:v1.2.3-internal",
    "size": 2048,
    "is_trusted": True,
    "created": "2024-01-02T03:04:05Z",
    "updated": "2024-02-03T04:05:06Z",
    "deleted": "",
    "domain_id": "dom",
    "scanned": False,
    "tag_type": 0,
}


# -- Tag --------------------------------------------------------------------------------------------


def test_tag_from_v2_list_item() -> None:
    tag = Tag.from_api(LIST_TAG)
    assert tag == Tag(
        name="v1.2.3",
        digest="sha256:0123",
        image_id="sha256:abc",
        manifest='{"schemaVersion": 2, "layers": []}',
        size=2048,
        schema=2,
        tag_type=0,
        path="swr.cn-north-4.myhuaweicloud.com/ns/app:v1.2.3",
        internal_path="swr.cn-north-4.myhuaweicloud.com/ns/app:v1.2.3-internal",
        created="2024-01-02T03:04:05Z",
        updated="2024-02-03T04:05:06Z",
        is_trusted=True,
        scanned=False,
        id=7,
        repo_id=3,
        domain_id="dom",
    )
    assert tag.kind == "image"
    assert tag.is_manifest_list is False


def test_tag_lowercase_key_from_show_repo_tag() -> None:
    data = {k: v for k, v in LIST_TAG.items() if k != "Tag"}
    data["tag"] = "latest"
    assert Tag.from_api(data).name == "latest"


def test_tag_capital_key_wins_over_lowercase() -> None:
    assert Tag.from_api({"Tag": "upper", "tag": "lower"}).name == "upper"


def test_tag_null_capital_key_falls_back_to_lowercase() -> None:
    assert Tag.from_api({"Tag": None, "tag": "lower"}).name == "lower"


def test_tag_manifest_list() -> None:
    tag = Tag.from_api({"Tag": "multi", "tag_type": 1})
    assert tag.is_manifest_list is True
    assert tag.kind == "manifest list"


def test_tag_manifest_kept_as_raw_string() -> None:
    raw = '{\n  "schemaVersion" : 2 ,\n  "x": "\\u00fc"\n}'
    assert Tag.from_api({"Tag": "t", "manifest": raw}).manifest == raw


@pytest.mark.parametrize("manifest", [{"schemaVersion": 2}, ["a"], 12, True, None])
def test_tag_non_string_manifest_is_empty(manifest: object) -> None:
    assert Tag.from_api({"Tag": "t", "manifest": manifest}).manifest == ""


def test_tag_missing_fields_default() -> None:
    assert Tag.from_api({}) == Tag(name="")
    assert Tag.from_api({"Tag": "x"}) == Tag(
        name="x", digest="", size=0, schema=0, tag_type=0, created="", is_trusted=False
    )


def test_tag_nulls_default() -> None:
    data: dict[str, Any] = dict.fromkeys(LIST_TAG)
    assert Tag.from_api(data) == Tag(name="")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("12.0", 12),
        (12.0, 12),
        (12, 12),
        ("12.5", 0),
        (12.5, 0),
        ("abc", 0),
        ("", 0),
        (True, 0),
        ([12], 0),
        ({"v": 12}, 0),
        ("1e3", 1000),
        ("nan", 0),
        ("inf", 0),
        (float("inf"), 0),
        ("9" * 5000, 0),  # longer than int()'s default digit limit: no crash
    ],
)
def test_numbers_tolerant(raw: object, expected: int) -> None:
    assert Tag.from_api({"Tag": "t", "size": raw}).size == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        ("True", True),
        (" yes ", True),
        ("1", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("", False),
        (1, True),
        (0, False),
        (2.0, True),
        (None, False),
        ([True], False),
    ],
)
def test_bools_tolerant(raw: object, expected: bool) -> None:
    assert Tag.from_api({"Tag": "t", "is_trusted": raw}).is_trusted is expected


def test_text_fields_from_numbers_and_bools() -> None:
    tag = Tag.from_api({"Tag": 42, "digest": 1.5, "image_id": True, "domain_id": False, "path": {"x": 1}})
    assert tag.name == "42"
    assert tag.digest == "1.5"
    assert tag.image_id == "true"
    assert tag.domain_id == "false"
    assert tag.path == ""


def test_tag_unknown_extra_fields_ignored() -> None:
    data = {**LIST_TAG, "brand_new_field": {"nested": [1, 2]}, "Another": None}
    assert Tag.from_api(data) == Tag.from_api(LIST_TAG)


@pytest.mark.parametrize("data", [None, [], ["Tag", "x"], "Tag", 12, 3.5, True, b"{}"])
def test_non_dict_input(data: object) -> None:
    assert Tag.from_api(data) == Tag(name="")
    assert Repository.from_api(data) == Repository(namespace="", name="")
    assert Repository.from_api(data, "fallback-ns").namespace == "fallback-ns"
    assert Namespace.from_api(data) == Namespace(name="")


def test_tag_to_output_keys_exactly() -> None:
    record = Tag.from_api(LIST_TAG).to_output()
    assert list(record) == TAG_OUTPUT_KEYS
    assert record == {
        "tag": "v1.2.3",
        "digest": "sha256:0123",
        "size": 2048,
        "created": "2024-01-02T03:04:05Z",
        "updated": "2024-02-03T04:05:06Z",
        "path": "swr.cn-north-4.myhuaweicloud.com/ns/app:v1.2.3",
        "internal_path": "swr.cn-north-4.myhuaweicloud.com/ns/app:v1.2.3-internal",
        "image_id": "sha256:abc",
        "schema": 2,
        "tag_type": 0,
    }


def test_tag_to_output_with_manifest() -> None:
    record = Tag.from_api(LIST_TAG).to_output(with_manifest=True)
    assert list(record) == [*TAG_OUTPUT_KEYS, "manifest"]
    assert record["manifest"] == LIST_TAG["manifest"]
    # The record is plain JSON.
    assert json.loads(json.dumps(record)) == record


def test_tag_to_output_times_exactly_as_given() -> None:
    record = Tag.from_api({"Tag": "t", "created": "2024-01-02 03:04:05.123456", "updated": "odd"}).to_output()
    assert (record["created"], record["updated"]) == ("2024-01-02 03:04:05.123456", "odd")


def test_models_are_frozen() -> None:
    tag = Tag.from_api(LIST_TAG)
    with pytest.raises(AttributeError):
        tag.name = "other"  # type: ignore[misc]
    assert tag.name == "v1.2.3"


# -- Repository -------------------------------------------------------------------------------------


def test_repository_from_list_item() -> None:
    repo = Repository.from_api(
        {
            "name": "team/app",
            "category": "linux",
            "description": "d",
            "size": "1024",
            "is_public": "true",
            "num_images": 3.0,
            "num_download": "7",
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-02T00:00:00Z",
            "path": "swr.cn-north-4.myhuaweicloud.com/ns/team/app",
            "internal_path": "swr.internal/ns/team/app",
            "domain_name": "acme",
            "namespace": "ns",
            "tags": ["v1", None, 2, {"x": 1}, ["y"], "v2"],
            "status": False,
            "total_range": 40,
        }
    )
    assert repo == Repository(
        namespace="ns",
        name="team/app",
        category="linux",
        description="d",
        size=1024,
        is_public=True,
        num_images=3,
        num_download=7,
        created="2024-01-01T00:00:00Z",
        updated="2024-01-02T00:00:00Z",
        path="swr.cn-north-4.myhuaweicloud.com/ns/team/app",
        internal_path="swr.internal/ns/team/app",
        domain_name="acme",
        status=False,
    )
    assert repo.full_name == "ns/team/app"


def test_repository_detail_uses_created_and_updated() -> None:
    repo = Repository.from_api({"name": "app", "created": "c-time", "updated": "u-time"}, "ns")
    assert (repo.created, repo.updated, repo.namespace) == ("c-time", "u-time", "ns")


def test_repository_created_at_preferred_over_created() -> None:
    repo = Repository.from_api({"name": "a", "created_at": "list", "created": "detail"})
    assert repo.created == "list"


def test_repository_v3_namespace_name() -> None:
    repo = Repository.from_api({"name": "app", "namespace_name": "v3ns"}, "fallback")
    assert repo.namespace == "v3ns"
    assert repo.full_name == "v3ns/app"


def test_repository_namespace_argument_is_fallback() -> None:
    assert Repository.from_api({"name": "app"}, "given").namespace == "given"
    assert Repository.from_api({"name": "app", "namespace": None}, "given").namespace == "given"
    assert Repository.from_api({"name": "app", "namespace": "body"}, "given").namespace == "body"


def test_repository_status_optional() -> None:
    assert Repository.from_api({"name": "a"}).status is None
    assert Repository.from_api({"name": "a", "status": None}).status is None
    assert Repository.from_api({"name": "a", "status": "true"}).status is True
    assert Repository.from_api({"name": "a", "status": 0}).status is False


@pytest.mark.parametrize("tags", [None, "v1,v2", {"v1": 1}, 5, ["v1", "v2"]])
def test_repository_tag_names_in_a_list_call_are_not_kept(tags: object) -> None:
    repository = Repository.from_api({"name": "a", "tags": tags})
    assert repository.name == "a"
    assert not hasattr(repository, "tags")


# -- Namespace --------------------------------------------------------------------------------------


def test_namespace_from_doc_example() -> None:
    ns = Namespace.from_api({"id": 1343008, "name": "group", "creator_name": "username", "auth": 7})
    assert ns == Namespace(name="group", id=1343008, creator_name="username", auth=7)


@pytest.mark.parametrize(
    ("auth", "access"),
    [(7, "manage"), (3, "edit"), (1, "read"), ("7", "manage"), (5, "5"), (0, "unknown"), (None, "unknown")],
)
def test_namespace_access_labels(auth: object, access: str) -> None:
    assert Namespace.from_api({"name": "n", "auth": auth}).access == access


def test_namespace_tolerates_strings_and_extras() -> None:
    ns = Namespace.from_api({"name": "n", "id": "12", "auth": "3.0", "creator_name": None, "new": [1]})
    assert ns == Namespace(name="n", id=12, creator_name="", auth=3)


# -- never raise --------------------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["12", "12.0", " 7 ", "1e400", "-0", "true", "nan", "9" * 5000]),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
FIELD_NAMES = sorted(
    set(LIST_TAG)
    | {"tag", "name", "namespace", "namespace_name", "created_at", "updated_at", "tags", "status", "auth"}
    | {"category", "description", "is_public", "num_images", "num_download", "domain_name", "creator_name"}
)
api_dicts = st.dictionaries(
    st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8)), json_values, max_size=12
)


@settings(max_examples=150, deadline=None)
@given(data=st.one_of(api_dicts, json_values))
def test_from_api_never_raises(data: object) -> None:
    tag = Tag.from_api(data)
    repo = Repository.from_api(data, "ns")
    namespace = Namespace.from_api(data)
    assert isinstance(tag.name, str)
    assert isinstance(tag.manifest, str)
    assert isinstance(tag.size, int)
    assert not isinstance(tag.size, bool)
    assert isinstance(tag.is_trusted, bool)
    assert isinstance(repo.namespace, str)
    assert repo.namespace
    assert repo.status is None or isinstance(repo.status, bool)
    assert isinstance(namespace.access, str)
    assert namespace.access
    assert list(tag.to_output(with_manifest=True)) == [*TAG_OUTPUT_KEYS, "manifest"]
    assert isinstance(json.dumps(tag.to_output(with_manifest=True)), str)
