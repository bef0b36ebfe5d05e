from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swr_tui.swr import manifest as manifest_module
from swr_tui.swr.manifest import (
    DOCKER_LIST,
    DOCKER_V2,
    OCI_INDEX,
    OCI_MANIFEST,
    ManifestSummary,
    count_lines,
    parse_manifest,
)

DIGEST_A = "sha256:" + "a" * 64
DIGEST_B = "sha256:" + "b" * 64
DIGEST_C = "sha256:" + "c" * 64
DIGEST_D = "sha256:" + "d" * 64
DIGEST_E = "sha256:" + "e" * 64

DOCKER_V2_MANIFEST = {
    "schemaVersion": 2,
    "mediaType": DOCKER_V2,
    "config": {
        "mediaType": "application/vnd.docker.container.image.v1+json",
        "size": 7023,
        "digest": DIGEST_A,
    },
    "layers": [
        {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 32654, "digest": DIGEST_B},
        {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 16724, "digest": DIGEST_C},
        {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 73109, "digest": DIGEST_D},
    ],
}

OCI_MANIFEST_DOC = {
    "schemaVersion": 2,
    "mediaType": OCI_MANIFEST,
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 1470, "digest": DIGEST_A},
    "layers": [
        {
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "size": 3623807,
            "digest": DIGEST_B,
            "annotations": {"org.opencontainers.image.title": "rootfs.tar.gz"},
        },
        {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 1024, "digest": DIGEST_C},
    ],
    "annotations": {
        "org.opencontainers.image.created": "2024-05-01T10:00:00Z",
        "org.opencontainers.image.source": "https://example.com/app",
    },
}

DOCKER_LIST_DOC = {
    "schemaVersion": 2,
    "mediaType": DOCKER_LIST,
    "manifests": [
        {
            "mediaType": DOCKER_V2,
            "size": 1152,
            "digest": DIGEST_A,
            "platform": {"architecture": "amd64", "os": "linux"},
        },
        {
            "mediaType": DOCKER_V2,
            "size": 1152,
            "digest": DIGEST_B,
            "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"},
        },
        {
            "mediaType": DOCKER_V2,
            "size": 1152,
            "digest": DIGEST_C,
            "platform": {"architecture": "arm", "os": "linux", "variant": "v7"},
        },
        {
            "mediaType": DOCKER_V2,
            "size": 2397,
            "digest": DIGEST_D,
            "platform": {"architecture": "amd64", "os": "windows", "os.version": "10.0.20348.2527"},
        },
    ],
}

OCI_INDEX_DOC = {
    "schemaVersion": 2,
    "mediaType": OCI_INDEX,
    "manifests": [
        {
            "mediaType": OCI_MANIFEST,
            "size": 1015,
            "digest": DIGEST_A,
            "platform": {"architecture": "amd64", "os": "linux"},
        },
        {
            "mediaType": OCI_MANIFEST,
            "size": 1015,
            "digest": DIGEST_B,
            "platform": {"architecture": "arm64", "os": "linux"},
        },
        {
            "mediaType": OCI_MANIFEST,
            "size": 839,
            "digest": DIGEST_C,
            "annotations": {
                "vnd.docker.reference.digest": DIGEST_A,
                "vnd.docker.reference.type": "attestation-manifest",
            },
            "platform": {"architecture": "unknown", "os": "unknown"},
        },
        {
            "mediaType": OCI_MANIFEST,
            "size": 839,
            "digest": DIGEST_D,
            "annotations": {
                "vnd.docker.reference.digest": DIGEST_B,
                "vnd.docker.reference.type": "attestation-manifest",
            },
            "platform": {"architecture": "unknown", "os": "unknown"},
        },
    ],
    "annotations": {"org.opencontainers.image.ref.name": "latest"},
}

SCHEMA1_DOC = {
    "schemaVersion": 1,
    "name": "library/hello",
    "tag": "v1",
    "architecture": "amd64",
    "fsLayers": [{"blobSum": DIGEST_A}, {"blobSum": DIGEST_B}, {"blobSum": DIGEST_A}],
    "history": [
        {"v1Compatibility": '{"id":"3","parent":"2","created":"2016-01-01T00:00:00Z"}'},
        {"v1Compatibility": '{"id":"2","parent":"1","created":"2016-01-01T00:00:00Z"}'},
        {"v1Compatibility": '{"id":"1","created":"2016-01-01T00:00:00Z"}'},
    ],
    "signatures": [
        {
            "header": {
                "jwk": {"crv": "P-256", "kid": "ABCD:EFGH", "kty": "EC", "x": "x", "y": "y"},
                "alg": "ES256",
            },
            "signature": "c2lnbmF0dXJl",
            "protected": "eyJmb3JtYXRMZW5ndGgiOjEyMzR9",
        }
    ],
}


def parse(document: Any, indent: Any = None) -> ManifestSummary:
    return parse_manifest(json.dumps(document, indent=indent))


def test_docker_v2_manifest() -> None:
    summary = parse(DOCKER_V2_MANIFEST, indent=3)

    assert summary.kind == "docker-v2"
    assert summary.kind_label == "Docker image manifest v2"
    assert summary.media_type == DOCKER_V2
    assert summary.schema_version == 2
    assert summary.error is None
    assert summary.config is not None
    assert summary.config.digest == DIGEST_A
    assert summary.config.size == 7023
    assert [layer.digest for layer in summary.layers] == [DIGEST_B, DIGEST_C, DIGEST_D]
    assert summary.total_layer_size == 32654 + 16724 + 73109
    assert summary.platforms == ()
    assert summary.pretty == json.dumps(DOCKER_V2_MANIFEST, indent=2, ensure_ascii=False)
    assert summary.line_count == summary.pretty.count("\n") + 1


def test_oci_manifest_with_annotations() -> None:
    summary = parse(OCI_MANIFEST_DOC)

    assert summary.kind == "oci-manifest"
    assert summary.kind_label == "OCI image manifest"
    assert summary.error is None
    assert summary.total_layer_size == 3623807 + 1024
    assert summary.layers[0].annotations == (("org.opencontainers.image.title", "rootfs.tar.gz"),)
    assert summary.layers[1].annotations == ()
    assert dict(summary.annotations)["org.opencontainers.image.source"] == "https://example.com/app"


@pytest.mark.parametrize(
    ("document", "kind", "layers", "platforms"),
    [(OCI_MANIFEST_DOC, "oci-manifest", 2, 0), (OCI_INDEX_DOC, "oci-index", 0, 4)],
    ids=["manifest-by-its-config-and-layers", "index-by-its-manifests"],
)
def test_oci_without_media_type_is_known_by_its_fields(
    document: dict[str, Any], kind: str, layers: int, platforms: int
) -> None:
    untyped = {key: value for key, value in document.items() if key != "mediaType"}

    summary = parse(untyped)

    assert summary.kind == kind
    assert summary.media_type == ""
    assert summary.error is None
    assert len(summary.layers) == layers
    assert len(summary.platforms) == platforms


def test_docker_manifest_list_platforms() -> None:
    summary = parse(DOCKER_LIST_DOC)

    assert summary.kind == "docker-manifest-list"
    assert summary.kind_label == "Docker manifest list"
    assert summary.is_list
    assert summary.error is None
    assert [entry.label for entry in summary.platforms] == [
        "linux/amd64",
        "linux/arm64/v8",
        "linux/arm/v7",
        "windows/amd64 (10.0.20348.2527)",
    ]
    assert summary.platforms[3].os_version == "10.0.20348.2527"
    assert summary.platforms[1].variant == "v8"
    assert summary.platforms[0].media_type == DOCKER_V2
    assert summary.platforms[0].size == 1152
    assert not any(entry.is_attestation for entry in summary.platforms)
    assert summary.layers == ()
    assert summary.total_layer_size == 0


def test_oci_index_detects_attestations() -> None:
    summary = parse(OCI_INDEX_DOC)

    assert summary.kind == "oci-index"
    assert summary.kind_label == "OCI image index"
    assert summary.error is None
    assert [entry.label for entry in summary.platforms] == [
        "linux/amd64",
        "linux/arm64",
        "attestation",
        "attestation",
    ]
    assert [entry.is_attestation for entry in summary.platforms] == [False, False, True, True]
    assert [entry.attests for entry in summary.platforms] == ["", "", DIGEST_A, DIGEST_B]
    assert [entry.digest for entry in summary.images] == [DIGEST_A, DIGEST_B]
    assert [entry.digest for entry in summary.attestations] == [DIGEST_C, DIGEST_D]
    assert summary.annotations == (("org.opencontainers.image.ref.name", "latest"),)


def test_unknown_platform_without_attestation_annotation_is_not_an_attestation() -> None:
    document = {
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [
            {
                "mediaType": OCI_MANIFEST,
                "size": 10,
                "digest": DIGEST_A,
                "platform": {"os": "unknown", "architecture": "unknown"},
            },
            {"mediaType": OCI_MANIFEST, "size": 10, "digest": DIGEST_B},
        ],
    }

    summary = parse(document)

    assert [entry.is_attestation for entry in summary.platforms] == [False, False]
    assert [entry.label for entry in summary.platforms] == ["unknown/unknown", "no platform"]


def test_schema1_manifest() -> None:
    summary = parse(SCHEMA1_DOC, indent=3)

    assert summary.kind == "schema1"
    assert summary.kind_label == "Docker schema 1 (deprecated)"
    assert summary.schema_version == 1
    assert summary.error is None
    assert summary.schema1_name == "library/hello"
    assert summary.schema1_tag == "v1"
    assert summary.schema1_architecture == "amd64"
    assert summary.history_count == 3
    assert [layer.digest for layer in summary.layers] == [DIGEST_A, DIGEST_B, DIGEST_A]
    assert all(layer.size == 0 for layer in summary.layers)
    assert summary.total_layer_size == 0
    assert summary.config is None


def test_schema1_signed_media_type() -> None:
    document = dict(SCHEMA1_DOC, mediaType="application/vnd.docker.distribution.manifest.v1+prettyjws")

    assert parse(document).kind == "schema1"


def test_invalid_json_keeps_the_raw_text_and_says_where() -> None:
    raw = json.dumps(DOCKER_V2_MANIFEST)[:200]

    summary = parse_manifest(raw)

    assert summary.kind == "invalid"
    assert summary.kind_label == "Invalid JSON"
    assert summary.pretty == raw
    assert summary.line_count == 1
    assert summary.error is not None
    assert "line 1 column" in summary.error
    assert summary.layers == ()


def test_invalid_json_error_reads_like_json_module() -> None:
    summary = parse_manifest('{"schemaVersion": 2 "mediaType": "x"}')

    assert summary.error == "Expecting ',' delimiter at line 1 column 21"


def test_multiline_invalid_json_counts_lines_like_the_viewer() -> None:
    raw = '{\n  "a": 1,\n  "b": \n}\n'

    summary = parse_manifest(raw)

    assert summary.kind == "invalid"
    assert summary.error is not None
    assert "line 4" in summary.error
    assert summary.line_count == 4


@pytest.mark.parametrize("raw", ["", "   ", "\n\t\n"])
def test_empty(raw: str) -> None:
    summary = parse_manifest(raw)

    assert summary.kind == "empty"
    assert summary.kind_label == "Empty manifest"
    assert summary.error is None
    assert summary.pretty == raw


@pytest.mark.parametrize(
    ("raw", "described"),
    [
        ("[1, 2]", "a list"),
        ('"text"', "the string"),
        ("42", "the number 42"),
        ("null", "null"),
        ("true", "true"),
    ],
)
def test_json_that_is_not_an_object(raw: str, described: str) -> None:
    summary = parse_manifest(raw)

    assert summary.kind == "unknown"
    assert summary.kind_label == "Unknown manifest"
    assert summary.error is not None
    assert described in summary.error
    assert "not a JSON object" in summary.error
    assert summary.pretty == json.dumps(json.loads(raw), indent=2)


def test_object_without_manifest_fields_is_unknown() -> None:
    summary = parse_manifest('{"hello": "world"}')

    assert summary.kind == "unknown"
    assert summary.error is not None
    assert "not an image manifest" in summary.error


def test_unrecognised_media_type_is_unknown_but_still_read() -> None:
    document = dict(OCI_MANIFEST_DOC, mediaType="application/vnd.oci.artifact.manifest.v1+json")

    summary = parse(document)

    assert summary.kind == "unknown"
    assert summary.error is not None
    assert "unrecognised media type" in summary.error
    assert summary.total_layer_size == 3623807 + 1024


def test_wrong_types_never_raise_and_are_explained() -> None:
    document = {
        "schemaVersion": "2",
        "mediaType": DOCKER_V2,
        "config": None,
        "layers": [
            {"mediaType": 5, "size": "1234", "digest": DIGEST_A},
            None,
            "garbage",
            [1, 2],
            {"size": -4, "digest": None},
            {"size": 12.0, "digest": DIGEST_B, "annotations": {"k": 1, "b": None}},
            {"size": "lots", "digest": DIGEST_C, "annotations": ["x"]},
        ],
        "annotations": "not a map",
    }

    summary = parse(document)

    assert summary.kind == "docker-v2"
    assert summary.schema_version == 2
    assert summary.config is None
    assert [layer.size for layer in summary.layers] == [1234, 0, 12, 0]
    assert summary.layers[0].media_type == "5"
    assert summary.layers[2].annotations == (("k", "1"), ("b", ""))
    assert summary.total_layer_size == 1246
    assert summary.annotations == ()
    assert summary.error is not None
    assert 'schemaVersion is the string "2"' in summary.error
    assert "config is null, not an object" in summary.error
    assert summary.error.endswith(" more)")


def test_wrong_container_types() -> None:
    document = {"mediaType": OCI_INDEX, "manifests": {"not": "a list"}, "layers": "nope", "config": [1]}

    summary = parse(document)

    assert summary.kind == "oci-index"
    assert summary.platforms == ()
    assert summary.layers == ()
    assert summary.config is None
    assert summary.error is not None
    assert "manifests is an object, not a list" in summary.error


def test_garbage_manifest_entries() -> None:
    document = {
        "schemaVersion": 2,
        "mediaType": DOCKER_LIST,
        "manifests": [None, 3, {"platform": "linux/amd64", "size": "7", "digest": DIGEST_A}],
    }

    summary = parse(document)

    assert len(summary.platforms) == 1
    assert summary.platforms[0].label == "no platform"
    assert summary.platforms[0].size == 7
    assert summary.error is not None
    assert "manifests[0] is null" in summary.error


def test_schema1_with_garbage_fs_layers() -> None:
    document = {"schemaVersion": 1, "fsLayers": [{"blobSum": 3}, "x", {}], "history": "no", "name": ["x"]}

    summary = parse(document)

    assert summary.kind == "schema1"
    assert [layer.digest for layer in summary.layers] == ["3", ""]
    assert summary.history_count == 0
    assert summary.schema1_name == ""
    assert summary.error is not None
    assert "history is the string" in summary.error


def test_huge_strings_do_not_flood_the_error() -> None:
    summary = parse({"mediaType": "x" * 1_000_000})

    assert summary.kind == "unknown"
    assert summary.error is not None
    assert len(summary.error) < 200


@pytest.mark.parametrize("depth", [100_000, 5_000])
def test_deep_nesting_is_reported_not_raised(depth: int) -> None:
    raw = "[" * depth + "]" * depth

    summary = parse_manifest(raw)

    assert summary.kind == "invalid"
    assert summary.error == "the JSON is nested too deeply to read"
    assert summary.pretty == raw


def test_deep_nesting_in_a_worker_thread() -> None:
    raw = '{"a":' * 100_000 + "1" + "}" * 100_000
    results: list[ManifestSummary] = []
    thread = threading.Thread(target=lambda: results.append(parse_manifest(raw)))

    thread.start()
    thread.join()

    assert [summary.kind for summary in results] == ["invalid"]


def test_json_too_deep_to_pretty_print_falls_back_to_the_raw_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(manifest_module.json, "dumps", refuse)
    raw = json.JSONEncoder().encode(DOCKER_V2_MANIFEST)

    summary = parse_manifest(raw)

    assert summary.kind == "docker-v2"
    assert summary.pretty == raw
    assert summary.error == "the JSON is nested too deeply to pretty-print"


def test_integer_beyond_the_digit_limit_is_invalid() -> None:
    summary = parse_manifest('{"size": ' + "9" * 5000 + "}")

    assert summary.kind == "invalid"
    assert summary.error is not None
    assert "digits" in summary.error


def test_byte_order_mark_is_ignored() -> None:
    summary = parse_manifest("\ufeff" + json.dumps(DOCKER_V2_MANIFEST))

    assert summary.kind == "docker-v2"
    assert summary.error is None


def test_lone_surrogates_are_escaped_in_pretty_text() -> None:
    summary = parse_manifest('{"mediaType": "\\ud800", "name": "caf\\u00e9 \\udfff"}')

    assert "\\ud800" in summary.pretty
    assert "café \\udfff" in summary.pretty
    summary.pretty.encode("utf-8")
    assert summary.error is not None
    summary.error.encode("utf-8")


def test_non_ascii_is_kept_readable() -> None:
    summary = parse({"mediaType": OCI_MANIFEST, "config": {}, "layers": [], "annotations": {"描述": "镜像"}})

    assert '"描述": "镜像"' in summary.pretty
    assert summary.annotations == (("描述", "镜像"),)


def test_bytes_and_none_are_tolerated() -> None:
    assert parse_manifest(json.dumps(DOCKER_V2_MANIFEST).encode()).kind == "docker-v2"  # type: ignore[arg-type]
    assert parse_manifest(None).kind == "empty"  # type: ignore[arg-type]


def test_five_megabyte_index() -> None:
    entry = OCI_INDEX_DOC["manifests"][0]
    document = dict(OCI_INDEX_DOC, manifests=[entry] * 24_000 + OCI_INDEX_DOC["manifests"][2:])
    raw = json.dumps(document)
    assert len(raw) > 5_000_000

    summary = parse_manifest(raw)

    assert summary.kind == "oci-index"
    assert summary.error is None
    assert len(summary.platforms) == 24_002
    assert len(summary.attestations) == 2
    assert summary.line_count == count_lines(summary.pretty) > 200_000


@pytest.mark.parametrize(
    ("text", "lines"), [("", 0), ("a", 1), ("a\n", 1), ("a\nb", 2), ("\n", 1), ("a\n\n", 2)]
)
def test_count_lines(text: str, lines: int) -> None:
    assert count_lines(text) == lines


def check_invariants(raw: str, summary: ManifestSummary) -> None:
    assert summary.kind in manifest_module.KIND_LABELS
    assert summary.kind_label == manifest_module.KIND_LABELS[summary.kind]
    assert summary.line_count == count_lines(summary.pretty)
    assert summary.total_layer_size == sum(layer.size for layer in summary.layers)
    assert all(layer.size >= 0 for layer in summary.layers)
    summary.pretty.encode("utf-8")
    if summary.kind in ("invalid", "empty"):
        assert summary.pretty == raw


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_arbitrary_text(raw: str) -> None:
    check_invariants(raw, parse_manifest(raw))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_never_raises_on_arbitrary_json(value: Any) -> None:
    raw = json.dumps(value)

    summary = parse_manifest(raw)

    check_invariants(raw, summary)
    assert json.loads(summary.pretty) == value


media_types = st.sampled_from([DOCKER_V2, OCI_MANIFEST, DOCKER_LIST, OCI_INDEX, "application/x-other", None])
manifest_shaped = st.fixed_dictionaries(
    {},
    optional={
        "schemaVersion": json_values | st.sampled_from([1, 2]),
        "mediaType": media_types | json_values,
        "config": json_values,
        "layers": st.lists(json_values, max_size=4) | json_values,
        "manifests": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "digest": json_values,
                    "size": json_values,
                    "platform": st.fixed_dictionaries(
                        {},
                        optional={"os": json_values, "architecture": json_values, "os.version": json_values},
                    )
                    | json_values,
                    "annotations": st.dictionaries(st.text(max_size=30), json_values, max_size=3)
                    | json_values,
                },
            )
            | json_values,
            max_size=4,
        ),
        "fsLayers": st.lists(st.fixed_dictionaries({"blobSum": json_values}) | json_values, max_size=3)
        | json_values,
        "history": json_values,
        "annotations": json_values,
        "name": json_values,
    },
)


@settings(max_examples=150, deadline=None)  # ~5 s: the CI budget
@given(manifest_shaped)
def test_never_raises_on_manifest_shaped_garbage(document: dict[str, Any]) -> None:
    raw = json.dumps(document)

    summary = parse_manifest(raw)

    check_invariants(raw, summary)
    assert summary.kind != "invalid"
