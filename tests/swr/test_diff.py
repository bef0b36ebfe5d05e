"""diff_tags on the fake registry's webapp manifests (and edits of them)."""

from __future__ import annotations

import difflib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from swr_tui.fake import FakeRegistry
from swr_tui.swr import diff as diff_module
from swr_tui.swr.diff import TagDiff, diff_tags
from swr_tui.swr.manifest import ManifestSummary, parse_manifest
from swr_tui.swr.models import Tag

Side = tuple[Tag, ManifestSummary]


@pytest.fixture(scope="module")
def registry() -> FakeRegistry:
    return FakeRegistry(seed=0)


def webapp(registry: FakeRegistry, name: str) -> Side:
    record = registry.dataset.tag("acme", "webapp", name)
    assert record is not None
    tag = Tag(name=record.name, digest=record.digest, size=record.size, manifest=record.manifest)
    return tag, parse_manifest(tag.manifest)


def edited(name: str, document: dict[str, Any], size: int) -> Side:
    text = json.dumps(document)
    return Tag(name=name, digest="sha256:" + "e" * 64, size=size, manifest=text), parse_manifest(text)


def between(left: Side, right: Side) -> TagDiff:
    return diff_tags(left[0], left[1], right[0], right[1])


def digest(char: str) -> str:
    return "sha256:" + char * 64


def test_identical_tags_have_no_changes(registry: FakeRegistry) -> None:
    result = between(webapp(registry, "v2.4.1"), webapp(registry, "latest"))
    assert (result.left, result.right) == ("v2.4.1", "latest")
    assert result.identical
    assert result.same_manifest
    assert result.size_delta == 0
    assert not result.config_changed
    assert result.manifest_diff == []
    assert result.platforms_added == result.platforms_removed == ()
    assert len(result.platforms_shared) == 6
    assert result.notes == ()


def test_the_same_image_against_itself(registry: FakeRegistry) -> None:
    side = webapp(registry, "v1.0.0")
    result = between(side, side)
    assert result.identical
    assert result.layers_shared == side[1].layers
    assert result.shared_size == side[1].total_layer_size
    assert result.layers_added == result.layers_removed == ()
    assert result.added_size == result.removed_size == result.layer_size_delta == 0


def test_images_sharing_base_layers(registry: FakeRegistry) -> None:
    left = webapp(registry, "v1.0.0")
    document = json.loads(left[0].manifest)
    base = document["layers"][:-1]
    new_layers = [
        {"mediaType": base[0]["mediaType"], "digest": digest("a"), "size": 5_000_000},
        {"mediaType": base[0]["mediaType"], "digest": digest("b"), "size": 1_000},
    ]
    document["layers"] = base + new_layers
    document["config"]["digest"] = digest("c")
    dropped = left[1].layers[-1]
    right = edited("v1.0.0-patched", document, left[0].size - dropped.size + 5_001_000)

    result = between(left, right)

    assert [layer.digest for layer in result.layers_shared] == [layer["digest"] for layer in base]
    assert [layer.digest for layer in result.layers_added] == [digest("a"), digest("b")]
    assert result.layers_removed == (dropped,)
    assert result.added_size == 5_001_000
    assert result.removed_size == dropped.size
    assert result.shared_size == sum(layer["size"] for layer in base)
    assert result.layer_size_delta == 5_001_000 - dropped.size
    assert result.size_delta == 5_001_000 - dropped.size
    assert result.config_changed
    assert result.left_config == left[1].config.digest  # type: ignore[union-attr]
    assert result.right_config == digest("c")
    assert result.kinds == ("docker-v2", "docker-v2")
    assert not result.identical


def test_manifest_diff_is_a_unified_diff_of_the_pretty_texts(registry: FakeRegistry) -> None:
    result = between(webapp(registry, "v1.0.0"), webapp(registry, "v1.0.1"))
    assert result.manifest_diff[:2] == ["--- v1.0.0", "+++ v1.0.1"]
    assert result.manifest_diff[2].startswith("@@ -")
    assert all("\n" not in line for line in result.manifest_diff)
    added = [line[1:] for line in result.manifest_diff if line.startswith("+") and line != "+++ v1.0.1"]
    assert f'      "digest": "{result.layers_added[0].digest}"' in added
    # unchanged lines around a change are kept as context, with a leading space
    assert any(line.startswith(" ") for line in result.manifest_diff)


@pytest.mark.parametrize(("left", "right"), [("v1.0.0", "v1.0.1"), ("v1.0.1", "v1.0.0")])
def test_size_delta_sign(registry: FakeRegistry, left: str, right: str) -> None:
    left_side, right_side = webapp(registry, left), webapp(registry, right)
    result = between(left_side, right_side)
    assert result.size_delta == right_side[0].size - left_side[0].size
    assert (result.size_delta > 0) == (right_side[0].size > left_side[0].size)
    assert result.size_delta != 0


def test_two_docker_images_with_nothing_in_common(registry: FakeRegistry) -> None:
    left, right = webapp(registry, "v1.0.0"), webapp(registry, "v1.1.0")
    result = between(left, right)
    assert result.layers_removed == left[1].layers
    assert result.layers_added == right[1].layers
    assert result.layers_shared == ()
    assert result.notes == ()


def test_image_against_manifest_list(registry: FakeRegistry) -> None:
    image, index = webapp(registry, "v1.2.0"), webapp(registry, "v1.4.0")
    result = between(image, index)
    assert result.kinds == ("oci-manifest", "oci-index")
    assert result.layers_removed == image[1].layers
    assert result.layers_added == ()
    assert result.platforms_added == index[1].platforms
    assert result.platforms_removed == ()
    assert result.config_changed
    assert result.right_config == ""
    assert result.is_list_diff
    assert any("layers are those of the image only" in note for note in result.notes)


def test_lists_with_different_platforms(registry: FakeRegistry) -> None:
    left = webapp(registry, "v1.4.0")
    document = json.loads(left[0].manifest)
    arm = document["manifests"].pop()  # linux/arm/v7
    assert arm["platform"]["variant"] == "v7"
    s390x = {
        "mediaType": arm["mediaType"],
        "digest": digest("5"),
        "size": 1234,
        "platform": {"os": "linux", "architecture": "s390x"},
    }
    document["manifests"].append(s390x)
    right = edited("v1.4.0-s390x", document, left[0].size)

    result = between(left, right)

    assert [entry.label for entry in result.platforms_added] == ["linux/s390x"]
    assert [entry.label for entry in result.platforms_removed] == ["linux/arm/v7"]
    assert [entry.label for entry in result.platforms_shared] == ["linux/amd64", "linux/arm64"]
    assert result.size_delta == 0
    assert not result.config_changed  # neither list has a config
    assert result.layers_added == result.layers_removed == result.layers_shared == ()


def test_same_platform_with_a_new_digest_is_shared_and_changed(registry: FakeRegistry) -> None:
    left, right = webapp(registry, "v1.3.0"), webapp(registry, "v1.3.1")
    result = between(left, right)
    assert result.platforms_added == result.platforms_removed == ()
    assert [change.label for change in result.platforms_shared] == [
        "linux/amd64",
        "linux/arm64",
        "linux/arm/v7",
    ]
    assert [change.left for change in result.platforms_shared] == list(left[1].platforms)
    assert [change.right for change in result.platforms_shared] == list(right[1].platforms)
    assert result.platforms_changed == result.platforms_shared  # every image rebuilt
    assert [change.size_delta for change in result.platforms_shared] == [
        new.size - old.size for old, new in zip(left[1].platforms, right[1].platforms)
    ]


def test_two_releases_with_attestations_match_platform_by_platform(registry: FakeRegistry) -> None:
    # Two releases of linux/amd64, arm64 and arm/v7, each image with its attestation: was
    # "Platforms 6 added, 6 removed, 0 shared".
    result = between(webapp(registry, "v2.3.0"), webapp(registry, "v2.4.0"))
    assert result.platforms_added == result.platforms_removed == ()
    assert len(result.platforms_shared) == len(result.platforms_changed) == 6
    attestations = [change for change in result.platforms_shared if change.right.is_attestation]
    assert len(attestations) == 3
    for change in attestations:  # each attestation paired with the one of the same platform's image
        left_image = next(c.left for c in result.platforms_shared if c.left.digest == change.left.attests)
        right_image = next(c.right for c in result.platforms_shared if c.right.digest == change.right.attests)
        assert left_image.label == right_image.label


def test_unchanged_platforms_are_shared_and_not_changed(registry: FakeRegistry) -> None:
    left = webapp(registry, "v1.4.0")
    document = json.loads(left[0].manifest)
    document["manifests"][1]["digest"] = digest("7")  # linux/arm64 rebuilt
    document["manifests"][1]["size"] += 10
    right = edited("v1.4.0-arm64", document, left[0].size)
    result = between(left, right)
    assert [change.label for change in result.platforms_shared] == [
        "linux/amd64",
        "linux/arm64",
        "linux/arm/v7",
    ]
    assert [change.label for change in result.platforms_changed] == ["linux/arm64"]
    assert result.platforms_changed[0].right.digest == digest("7")
    assert result.platforms_changed[0].size_delta == 10


def test_attestations_are_marked(registry: FakeRegistry) -> None:
    result = between(webapp(registry, "v1.4.0"), webapp(registry, "v1.4.2"))
    attestations = [entry for entry in result.platforms_added if entry.is_attestation]
    assert len(attestations) == 3
    assert result.platforms_removed == ()
    assert all(entry.attests for entry in attestations)
    images = [change.right for change in result.platforms_shared]
    assert {entry.attests for entry in attestations} == {entry.digest for entry in images}


@pytest.mark.parametrize("invalid_on_left", [True, False])
def test_invalid_manifest_on_one_side(registry: FakeRegistry, invalid_on_left: bool) -> None:
    image, broken = webapp(registry, "v1.2.0"), webapp(registry, "v1.4.1")
    assert broken[1].kind == "invalid"
    left, right = (broken, image) if invalid_on_left else (image, broken)
    result = between(left, right)
    assert result.kinds == (left[1].kind, right[1].kind)
    assert result.size_delta == right[0].size - left[0].size
    assert any(note.startswith("v1.4.1: the manifest could not be read") for note in result.notes)
    # the raw text still diffs, line by line
    assert result.manifest_diff[:2] == [f"--- {left[0].name}", f"+++ {right[0].name}"]
    raw_line = ("-" if invalid_on_left else "+") + broken[0].manifest.splitlines()[0]
    assert raw_line in result.manifest_diff


def test_schema1_against_docker_v2(registry: FakeRegistry) -> None:
    result = between(webapp(registry, "v0.9.0"), webapp(registry, "v1.0.0"))
    assert result.kinds == ("schema1", "docker-v2")
    assert len(result.layers_removed) == 4
    assert result.left_config == ""
    assert result.config_changed


def test_empty_manifest_gets_a_note(registry: FakeRegistry) -> None:
    empty = (Tag(name="blank"), parse_manifest(""))
    result = between(empty, webapp(registry, "v1.0.0"))
    assert "blank: the manifest is empty" in result.notes
    assert result.manifest_diff[0] == "--- blank"


def big_index(count: int, char: str) -> Side:
    document = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": f"sha256:{char * 56}{number:08x}",
                "size": number,
                "platform": {"os": "linux", "architecture": "amd64"},
            }
            for number in range(count)
        ],
    }
    text = json.dumps(document)
    return Tag(name=f"big-{char}", manifest=text), parse_manifest(text)


def test_huge_manifests_are_cut() -> None:
    # ~30k pretty lines each, every digest line different and every size line the same: difflib's
    # worst case, ~10 s uncut
    left, right = big_index(3_000, "a"), big_index(3_000, "b")
    assert left[1].line_count > 5 * diff_module.MAX_DIFF_LINES
    result = between(left, right)
    assert any(note.startswith("manifest diff covers lines 4 to 5,003 only") for note in result.notes)
    removed = [line for line in result.manifest_diff if line.startswith("-") and not line.startswith("---")]
    assert 0 < len(removed) <= diff_module.MAX_DIFF_LINES
    assert len(result.platforms_changed) == 3_000  # linux/amd64 3,000 times: matched in order
    assert result.platforms_removed == result.platforms_added == ()


def test_a_change_deep_in_a_big_manifest_is_found() -> None:
    left = big_index(3_000, "a")
    document = json.loads(left[0].manifest)
    document["manifests"][2_000]["platform"]["architecture"] = "arm64"
    text = json.dumps(document)
    right = (Tag(name="changed", manifest=text), parse_manifest(text))
    result = between(left, right)
    assert result.notes == ()
    expected = difflib.unified_diff(
        left[1].pretty.split("\n"), right[1].pretty.split("\n"), "big-a", "changed", n=3, lineterm=""
    )
    assert result.manifest_diff == list(expected)
    assert result.manifest_diff[2] == "@@ -18008,7 +18008,7 @@"  # entry 2,000 of 9-line entries
    assert '-        "architecture": "amd64"' in result.manifest_diff
    assert '+        "architecture": "arm64"' in result.manifest_diff


@pytest.mark.parametrize(
    ("left", "right"), [("v1.0.0", "v1.0.1"), ("v1.3.0", "v1.4.2"), ("v1.2.0", "v1.4.1")]
)
def test_same_lines_as_difflib_on_the_whole_texts(registry: FakeRegistry, left: str, right: str) -> None:
    left_side, right_side = webapp(registry, left), webapp(registry, right)
    expected = difflib.unified_diff(
        left_side[1].pretty.split("\n"), right_side[1].pretty.split("\n"), left, right, n=3, lineterm=""
    )
    assert between(left_side, right_side).manifest_diff == list(expected)


def test_hunk_headers_are_shifted_back() -> None:
    assert diff_module._shift_hunk("@@ -1,7 +1,8 @@", 100) == "@@ -101,7 +101,8 @@"
    assert diff_module._shift_hunk("@@ -4 +3,0 @@", 10) == "@@ -14 +13,0 @@"
    assert diff_module._shift_hunk("@@ odd @@", 10) == "@@ odd @@"


def test_hostile_names_stay_on_one_header_line() -> None:
    left = (Tag(name="a\nb"), parse_manifest('{"x": 1}'))
    right = (Tag(name="c"), parse_manifest('{"x": 2}'))
    result = between(left, right)
    assert result.manifest_diff[0] == "--- a\\nb"


@given(
    st.lists(st.sampled_from("abcd"), max_size=8),
    st.lists(st.sampled_from("abcd"), max_size=8),
)
def test_split_partitions_both_sides(left: list[str], right: list[str]) -> None:
    only_left, shared, only_right = diff_module._split(tuple(left), tuple(right), lambda item: item)
    assert sorted(only_left + shared) == sorted(left)
    assert sorted(only_right + shared) == sorted(right)
    assert not set(only_left) & set(only_right)
    assert [item for item in left if item in shared or item in only_left] == left
