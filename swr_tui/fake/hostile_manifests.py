"""Manifests for the hostile data set: corpus strings wherever a manifest kind has text, 5 MB
documents (tens of thousands of layers, one long line) and deeply nested ones."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Optional

from swr_tui.fake.entropy import rng, sha256_digest
from swr_tui.fake.hostile_corpus import BIG_MANIFEST_BYTES, CORPUS, Hostile
from swr_tui.fake.manifests import (
    DOCKER_CONFIG,
    DOCKER_LAYER,
    DOCKER_LIST,
    DOCKER_V2,
    OCI_CONFIG,
    OCI_INDEX,
    OCI_LAYER,
    OCI_MANIFEST,
    Built,
)


def _built(text: str, schema: int, tag_type: int, total: int, image_id: str = "") -> Built:
    # surrogatepass: a manifest holding a lone surrogate still has bytes to hash.
    digest = "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return Built(text, digest, image_id or digest[len("sha256:") :], schema, tag_type, total)


def _dumps(document: Any, ascii_only: bool, indent: Optional[int] = None) -> str:
    separators = None if indent else (",", ":")
    return json.dumps(document, ensure_ascii=ascii_only, indent=indent, separators=separators)


def _texts_map(entries: tuple[Hostile, ...]) -> dict[str, str]:
    """Annotations: each entry under its own (plain) key, and once as a key itself."""
    found: dict[str, str] = {}
    for entry in entries:
        found[f"org.hostile.{entry.name}"] = entry.text
        found[entry.text] = f"key-{entry.name}"
    return found


def hostile_manifest(kind: str, entries: tuple[Hostile, ...], seed: str) -> Built:
    """A manifest of ``kind`` carrying every string of ``entries`` wherever that kind has text."""
    generator = rng("hostile", seed, kind)
    texts = [entry.text for entry in entries]
    first = texts[0]
    # Alternate how strings travel inside the manifest: raw UTF-8 (C1, bidi, surrogates unescaped)
    # or \\uXXXX escapes (a lone surrogate as "\\ud800").
    ascii_only = generator.random() < 0.5
    oci = kind in ("oci", "oci-index")
    if kind in ("docker", "oci"):
        layers: list[dict[str, Any]] = [
            {
                "mediaType": OCI_LAYER if oci else DOCKER_LAYER,
                "size": generator.randint(1_000, 9_000_000),
                "digest": sha256_digest(generator),
                "annotations": {"org.opencontainers.image.title": text},
            }
            for text in texts
        ]
        # One layer whose digest and media type are hostile too.
        layers.append({"mediaType": first, "size": 1, "digest": first})
        document: dict[str, Any] = {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST if oci else DOCKER_V2,
            "config": {
                "mediaType": OCI_CONFIG if oci else DOCKER_CONFIG,
                "size": generator.randint(1_000, 9_000),
                "digest": sha256_digest(generator),
                "annotations": {"org.opencontainers.image.description": first},
            },
            "layers": layers,
            "annotations": _texts_map(entries),
        }
        text = _dumps(document, ascii_only, indent=3 if kind == "docker" else None)
        return _built(text, 2, 0, sum(layer["size"] for layer in layers), image_id=first)
    if kind in ("docker-list", "oci-index"):
        manifests = []
        for entry in entries:
            manifests.append(
                {
                    "mediaType": OCI_MANIFEST if oci else DOCKER_V2,
                    "size": generator.randint(400, 4_000),
                    "digest": sha256_digest(generator),
                    "platform": {
                        "os": "linux",
                        "architecture": entry.text,
                        "variant": entry.text,
                        "os.version": entry.text,
                    },
                    "annotations": {"org.hostile.name": entry.text},
                }
            )
        if oci:  # an attestation whose subject digest is hostile
            manifests.append(
                {
                    "mediaType": OCI_MANIFEST,
                    "size": 500,
                    "digest": sha256_digest(generator),
                    "annotations": {
                        "vnd.docker.reference.digest": first,
                        "vnd.docker.reference.type": "attestation-manifest",
                    },
                    "platform": {"architecture": "unknown", "os": "unknown"},
                }
            )
        document = {
            "schemaVersion": 2,
            "mediaType": OCI_INDEX if oci else DOCKER_LIST,
            "manifests": manifests,
            "annotations": _texts_map(entries),
        }
        return _built(_dumps(document, ascii_only), 2, 1, generator.randint(10**6, 10**8))
    if kind == "schema1":
        document = {
            "schemaVersion": 1,
            "name": first,
            "tag": first,
            "architecture": first,
            "fsLayers": [{"blobSum": text} for text in texts],
            "history": [
                {"v1Compatibility": _dumps({"id": first, "config": {"Labels": {"hostile": text}}}, False)}
                for text in texts
            ],
            "signatures": [],
        }
        return _built(_dumps(document, ascii_only, indent=3), 1, 0, 0)
    if kind == "unknown":
        document = {"schemaVersion": 2, "mediaType": first, "hostile": texts}
        return _built(_dumps(document, ascii_only), 2, 0, 0)
    if kind == "invalid":
        # Not JSON: raw strings (control characters included) in a truncated document.
        text = '{"schemaVersion": 2, "mediaType": "' + '", "'.join(texts) + '", "layers": [{"dig'
        return _built(text, 2, 0, 0)
    if kind == "empty":
        return _built("", 2, 0, 0)
    raise ValueError(f"unknown manifest kind {kind!r}")


def plain_image(seed: str) -> Built:
    generator = rng("hostile-plain", seed)
    document: dict[str, Any] = {
        "schemaVersion": 2,
        "mediaType": DOCKER_V2,
        "config": {"mediaType": DOCKER_CONFIG, "size": 1_234, "digest": sha256_digest(generator)},
        "layers": [
            {
                "mediaType": DOCKER_LAYER,
                "size": generator.randint(10**5, 10**7),
                "digest": sha256_digest(generator),
            }
            for _ in range(3)
        ],
    }
    text = _dumps(document, False)
    return _built(text, 2, 0, sum(layer["size"] for layer in document["layers"]))


def big_layers_manifest(target_bytes: int = BIG_MANIFEST_BYTES) -> Built:
    """An OCI image manifest of tens of thousands of layers, about ``target_bytes`` long."""
    generator = rng("hostile-big-layers")
    layer = {"mediaType": OCI_LAYER, "size": 0, "digest": ""}
    per_layer = len(json.dumps(layer, separators=(",", ":"))) + 64 + 10
    count = target_bytes // per_layer
    layers: list[dict[str, Any]] = [
        {"mediaType": OCI_LAYER, "size": 1_000 + index, "digest": f"sha256:{generator.getrandbits(256):064x}"}
        for index in range(count)
    ]
    document = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "size": 1_500, "digest": sha256_digest(generator)},
        "layers": layers,
        "annotations": {"org.hostile.marker": "PWNED-BIG-LAYERS"},
    }
    text = _dumps(document, True)
    return _built(text, 2, 0, sum(item["size"] for item in layers))


def big_line_manifest(target_bytes: int = BIG_MANIFEST_BYTES) -> Built:
    """An image manifest on one line, most of it a single annotation value of corpus strings."""
    generator = rng("hostile-big-line")
    unit = "".join(entry.text for entry in CORPUS if entry.name not in ("long", "lone-surrogate"))
    unit_bytes = len(json.dumps(unit, ensure_ascii=False).encode("utf-8")) - 2  # as it travels
    value = "PWNED-BIG-LINE " + unit * (target_bytes // unit_bytes + 1)
    document = {
        "schemaVersion": 2,
        "mediaType": DOCKER_V2,
        "config": {"mediaType": DOCKER_CONFIG, "size": 1_500, "digest": sha256_digest(generator)},
        "layers": [{"mediaType": DOCKER_LAYER, "size": 5_000_000, "digest": sha256_digest(generator)}],
        "annotations": {"org.hostile.big": value},
    }
    return _built(_dumps(document, False), 2, 0, 5_001_500)


def nested_manifest(depth: int) -> Built:
    """A manifest whose annotations hold a list nested ``depth`` levels deep."""
    head = f'{{"schemaVersion":2,"mediaType":"{DOCKER_V2}","annotations":{{"org.hostile.deep":'
    text = head + "[" * depth + '"PWNED-DEEP"' + "]" * depth + "}}"
    return _built(text, 2, 0, 0)
