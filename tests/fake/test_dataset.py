from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

import pytest

from swr_tui.fake import FakeRegistry, shapes
from swr_tui.fake.dataset import (
    BIG_REPO,
    BIG_REPO_TAGS,
    DEFAULT_ANCHOR,
    DEV_NAMESPACE,
    EMPTY_REPO,
    MAIN_NAMESPACE,
    NESTED_REPO,
    NIGHTLY_REPO,
    NIGHTLY_REPO_TAGS,
    SHOWCASE_REPO,
    SINGLE_TAG_REPO,
    Dataset,
    Repository,
    build_dataset,
)
from swr_tui.fake.entropy import rng
from swr_tui.fake.manifests import ATTESTATION_TYPE, DOCKER_LIST, OCI_INDEX, SCHEMA1_SIGNED, broken_manifest
from swr_tui.fake.tags import TagRecord


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return FakeRegistry(seed=0).dataset


def repo(dataset: Dataset, name: str, namespace: str = MAIN_NAMESPACE) -> Repository:
    found = dataset.repository(namespace, name)
    assert found is not None, name
    return found


def tags_by_name(repository: Repository) -> dict[str, TagRecord]:
    return {
        record.name: record for record in (repository.tags.record(i) for i in range(repository.tags.count))
    }


def fingerprint(dataset: Dataset) -> str:
    """Everything a client could see of a data set, sampled, as one hash."""
    parts = [json.dumps([shapes.namespace(ns) for ns in dataset.namespaces])]
    for repository in dataset.repositories:
        parts.append(json.dumps(shapes.repository_detail(repository, dataset.region)))
        for index in {0, repository.tags.count // 2, repository.tags.count - 1}:
            if 0 <= index < repository.tags.count:
                parts.append(
                    json.dumps(shapes.tag_item(repository, repository.tags.record(index), dataset.region))
                )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def test_same_seed_gives_the_same_data_and_another_seed_does_not() -> None:
    first, again, other = build_dataset(0), build_dataset(0), build_dataset(1)
    assert first is not again
    assert fingerprint(first) == fingerprint(again)
    assert fingerprint(first) != fingerprint(other)
    # Names tests rely on do not depend on the seed.
    assert {ns.name for ns in other.namespaces} == {ns.name for ns in first.namespaces}
    assert other.repository(MAIN_NAMESPACE, BIG_REPO).tags.count == BIG_REPO_TAGS


def test_namespaces_cover_every_permission_level(dataset: Dataset) -> None:
    auth = {ns.name: (ns.auth, ns.visible_only) for ns in dataset.namespaces}
    assert auth == {
        "acme": (7, False),
        "acme-dev": (3, False),
        "partners": (1, False),
        "sandbox": (7, False),
        "vendor-shared": (1, True),
    }
    assert len(dataset.repositories_in(DEV_NAMESPACE)) == 250
    assert len({r.name for r in dataset.repositories_in(DEV_NAMESPACE)}) == 250
    assert dataset.repositories_in("sandbox") == []


def test_special_repositories(dataset: Dataset) -> None:
    assert repo(dataset, EMPTY_REPO).tags.count == 0
    assert repo(dataset, SINGLE_TAG_REPO).tags.count == 1
    assert repo(dataset, BIG_REPO).tags.count == 100_000
    assert repo(dataset, BIG_REPO).num_images == 100_000
    assert repo(dataset, NESTED_REPO).tags.count == 8
    assert repo(dataset, NIGHTLY_REPO).tags.count == NIGHTLY_REPO_TAGS == 10_000
    categories = {r.category for r in dataset.repositories}
    assert categories == {
        "app_server",
        "linux",
        "framework_app",
        "database",
        "lang",
        "other",
        "windows",
        "arm",
    }
    assert {r.is_public for r in dataset.repositories} == {True, False}


def test_showcase_repository_has_every_manifest_kind(dataset: Dataset) -> None:
    tags = tags_by_name(repo(dataset, SHOWCASE_REPO))
    assert 30 <= len(tags) <= 40

    def media_type(record: TagRecord) -> str:
        return json.loads(record.manifest).get("mediaType", SCHEMA1_SIGNED)

    assert tags["v0.9.0"].built.schema == 1
    schema1 = json.loads(tags["v0.9.0"].manifest)
    assert schema1["schemaVersion"] == 1
    assert schema1["fsLayers"]
    assert schema1["history"]
    assert schema1["signatures"]
    assert media_type(tags["v1.0.0"]) == "application/vnd.docker.distribution.manifest.v2+json"
    assert media_type(tags["v1.2.0"]) == "application/vnd.oci.image.manifest.v1+json"
    assert media_type(tags["v1.3.0"]) == DOCKER_LIST
    assert tags["v1.3.0"].built.tag_type == 1
    assert media_type(tags["v1.4.0"]) == OCI_INDEX
    assert tags["v1.4.0"].built.tag_type == 1

    index = json.loads(tags["v2.4.1"].manifest)
    platforms = [
        (m["platform"]["os"], m["platform"]["architecture"], m["platform"].get("variant"))
        for m in index["manifests"]
    ]
    assert platforms[:3] == [("linux", "amd64", None), ("linux", "arm64", None), ("linux", "arm", "v7")]
    attestations = [
        m for m in index["manifests"] if m["platform"] == {"architecture": "unknown", "os": "unknown"}
    ]
    assert len(attestations) == 3
    assert attestations[0]["annotations"]["vnd.docker.reference.type"] == ATTESTATION_TYPE
    assert attestations[0]["annotations"]["vnd.docker.reference.digest"] == index["manifests"][0]["digest"]

    with pytest.raises(json.JSONDecodeError):
        json.loads(tags["v1.4.1"].manifest)

    assert tags["latest"].digest == tags["v2.4.1"].digest
    assert tags["latest"].manifest == tags["v2.4.1"].manifest
    signature_tag = "sha256-" + tags["v2.4.1"].digest.removeprefix("sha256:") + ".sig"
    cosign = json.loads(tags[signature_tag].manifest)
    assert cosign["layers"][0]["mediaType"] == "application/vnd.dev.cosign.simplesigning.v1+json"
    assert "dev.cosignproject.cosign/signature" in cosign["layers"][0]["annotations"]


def test_digests_ids_and_sizes_follow_from_the_manifest(dataset: Dataset) -> None:
    for record in tags_by_name(repo(dataset, SHOWCASE_REPO)).values():
        assert record.digest == "sha256:" + hashlib.sha256(record.manifest.encode()).hexdigest()
        assert len(record.digest) == len("sha256:") + 64
        assert len(record.built.image_id) == 64
    image = tags_by_name(repo(dataset, SHOWCASE_REPO))["v1.0.0"]
    manifest = json.loads(image.manifest)
    assert image.built.image_id == manifest["config"]["digest"].removeprefix("sha256:")
    assert image.size == manifest["config"]["size"] + sum(layer["size"] for layer in manifest["layers"])
    assert 1_000_000 < image.size < 2_000_000_000


def test_times_newest_last_created_not_after_updated(dataset: Dataset) -> None:
    for repository in (repo(dataset, SHOWCASE_REPO), repo(dataset, "nginx"), repo(dataset, NESTED_REPO)):
        records = [repository.tags.record(i) for i in range(repository.tags.count)]
        assert all(r.created <= r.updated <= DEFAULT_ANCHOR for r in records)
        assert [r.updated for r in records] == sorted(r.updated for r in records)
        assert repository.updated == records[-1].updated
        assert repository.created <= records[0].created
    big = repo(dataset, BIG_REPO).tags
    assert big.record(0).updated < big.record(1).updated < big.record(99_999).updated <= DEFAULT_ANCHOR


def test_big_repository_builds_tags_on_demand(dataset: Dataset) -> None:
    big = repo(dataset, BIG_REPO).tags
    assert big.name(0) == "build-000001"
    assert big.name(99_999) == "build-100000"
    assert big.index_of("build-054321") == 54_320
    assert big.index_of("build-100001") is None
    assert big.index_of("latest") is None
    record = big.record(54_320)
    assert record.name == "build-054321"
    assert (record.created, record.updated) == big.times(54_320)
    # A tag is built from its index alone: a data set that built its neighbours first agrees.
    browsed = build_dataset(0).repository(MAIN_NAMESPACE, BIG_REPO).tags
    neighbours_first = [browsed.record(index) for index in range(54_330, 54_319, -1)][-1]
    assert neighbours_first is not record
    assert neighbours_first == record
    assert big.record(54_321) != record
    with pytest.raises(IndexError):
        big.record(100_000)


def test_anchor_moves_every_time() -> None:
    anchor = datetime(2030, 1, 2, 3, 0, tzinfo=timezone.utc)
    moved = build_dataset(0, anchor)
    newest = moved.repository(MAIN_NAMESPACE, BIG_REPO).tags.record(BIG_REPO_TAGS - 1)
    assert anchor.replace(hour=2) < newest.updated <= anchor


def test_broken_manifest_is_never_json() -> None:
    for seed in range(50):
        with pytest.raises(json.JSONDecodeError):
            json.loads(broken_manifest(rng("broken", seed)).text)
