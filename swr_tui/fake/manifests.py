"""Manifest strings of every kind SWR stores, built from seeded randomness.

Each builder returns a ``Built``: the manifest text exactly as the ``manifest`` field carries it,
plus the values SWR derives from it (digest of the text, image id, compressed total size).
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Optional

from swr_tui.fake import config_blobs
from swr_tui.fake.entropy import hex_digest, sha256_digest

DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
DOCKER_FOREIGN_LAYER = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws"
IN_TOTO_LAYER = "application/vnd.in-toto+json"
COSIGN_LAYER = "application/vnd.dev.cosign.simplesigning.v1+json"

ATTESTATION_TYPE = "attestation-manifest"


@dataclass(frozen=True)
class Platform:
    os: str
    architecture: str
    variant: Optional[str] = None

    def as_json(self) -> dict[str, str]:
        value = {"architecture": self.architecture, "os": self.os}
        if self.variant:
            value["variant"] = self.variant
        return value


LINUX_AMD64 = Platform("linux", "amd64")
LINUX_ARM64 = Platform("linux", "arm64")
LINUX_ARM_V7 = Platform("linux", "arm", "v7")
MULTI_ARCH = (LINUX_AMD64, LINUX_ARM64, LINUX_ARM_V7)


@dataclass(frozen=True)
class Blob:
    media_type: str
    size: int
    digest: str

    def descriptor(self) -> dict[str, Any]:
        return {"mediaType": self.media_type, "size": self.size, "digest": self.digest}


@dataclass(frozen=True)
class Built:
    text: str
    digest: str
    image_id: str
    schema: int
    tag_type: int
    total_size: int
    # What the registry's data plane serves besides the manifest: the child manifests of a list,
    # and the config blob's bytes when they were made real (``config_blobs.image_config``).
    children: tuple[Built, ...] = ()
    config_blob: Optional[bytes] = None

    @property
    def size(self) -> int:
        """The length of the manifest itself, as a descriptor pointing at it records."""
        return len(self.text.encode("utf-8"))


def _built(
    text: str,
    image_id: str,
    schema: int,
    tag_type: int,
    total_size: int,
    children: tuple[Built, ...] = (),
    config_blob: Optional[bytes] = None,
) -> Built:
    digest = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Built(
        text,
        digest,
        image_id or digest[len("sha256:") :],
        schema,
        tag_type,
        total_size,
        children,
        config_blob,
    )


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def random_layers(generator: random.Random, count: int, media_type: str) -> list[Blob]:
    """A base layer of a few MB, then smaller ones with the occasional big dependency layer."""
    layers = [Blob(media_type, generator.randint(2_000_000, 32_000_000), sha256_digest(generator))]
    for _ in range(count - 1):
        size = int(10 ** generator.uniform(2.5, 7.8))
        layers.append(Blob(media_type, size, sha256_digest(generator)))
    return layers


def random_config(generator: random.Random, media_type: str) -> Blob:
    return Blob(media_type, generator.randint(1_200, 14_000), sha256_digest(generator))


def image_manifest(
    config: Blob,
    layers: list[Blob],
    oci: bool,
    annotations: Optional[dict[str, str]] = None,
    indent: Optional[int] = None,
    config_blob: Optional[bytes] = None,
) -> Built:
    document: dict[str, Any] = {"schemaVersion": 2, "mediaType": OCI_MANIFEST if oci else DOCKER_V2}
    document["config"] = config.descriptor()
    document["layers"] = [layer.descriptor() for layer in layers]
    if annotations:
        document["annotations"] = annotations
    text = json.dumps(document, indent=indent) if indent else _compact(document)
    total = config.size + sum(layer.size for layer in layers)
    return _built(text, config.digest[len("sha256:") :], 2, 0, total, config_blob=config_blob)


def random_image(
    generator: random.Random,
    oci: bool,
    layer_count: Optional[int] = None,
    docker_cli_share: float = 0.0,
    real_config: Optional[Platform] = None,
) -> Built:
    """``docker_cli_share``: how often a docker image comes with the 3-space indentation the docker
    CLI pushes (buildkit pushes compact JSON, which is also much cheaper to generate).
    ``real_config``: the image's config blob is made for this platform (real bytes, real digest)
    instead of a random descriptor; the random stream is drawn the same either way."""
    count = layer_count if layer_count is not None else generator.randint(2, 9)
    config = random_config(generator, OCI_CONFIG if oci else DOCKER_CONFIG)
    layers = random_layers(generator, count, OCI_LAYER if oci else DOCKER_LAYER)
    indent = 3 if not oci and generator.random() < docker_cli_share else None
    blob = None
    if real_config is not None:
        blob = config_blobs.image_config(
            config.digest, real_config.os, real_config.architecture, real_config.variant, len(layers)
        )
        config = Blob(config.media_type, len(blob), "sha256:" + hashlib.sha256(blob).hexdigest())
    return image_manifest(config, layers, oci, indent=indent, config_blob=blob)


def attestation_for(generator: random.Random, subject: Built) -> Built:
    """A buildx provenance/SBOM attestation manifest attached to one platform image."""
    config = Blob(OCI_CONFIG, generator.randint(160, 260), sha256_digest(generator))
    sbom = Blob(IN_TOTO_LAYER, generator.randint(20_000, 400_000), sha256_digest(generator))
    provenance = Blob(IN_TOTO_LAYER, generator.randint(2_000, 12_000), sha256_digest(generator))
    document = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": config.descriptor(),
        "layers": [
            dict(sbom.descriptor(), annotations={"in-toto.io/predicate-type": "https://spdx.dev/Document"}),
            dict(
                provenance.descriptor(),
                annotations={"in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"},
            ),
        ],
    }
    return _built(_compact(document), "", 2, 0, config.size + sbom.size + provenance.size)


def manifest_list(
    generator: random.Random,
    oci: bool,
    platforms: tuple[Platform, ...] = MULTI_ARCH,
    with_attestations: bool = False,
    real_configs: bool = False,
) -> Built:
    """A docker manifest list or OCI index over one image per platform.

    Attestation entries (platform unknown/unknown) only come with OCI indexes, as buildx only adds
    them when it pushes OCI media types.
    """
    entries: list[dict[str, Any]] = []
    total = 0
    images = []
    for platform in platforms:
        real_config = platform if real_configs else None
        image = random_image(generator, oci, generator.randint(3, 7), real_config=real_config)
        images.append(image)
        total += image.total_size
        media_type = OCI_MANIFEST if oci else DOCKER_V2
        entries.append(
            {
                "mediaType": media_type,
                "size": image.size,
                "digest": image.digest,
                "platform": platform.as_json(),
            }
        )
    children = list(images)
    if oci and with_attestations:
        for image in images:
            attestation = attestation_for(generator, image)
            children.append(attestation)
            total += attestation.total_size
            entries.append(
                {
                    "mediaType": OCI_MANIFEST,
                    "size": attestation.size,
                    "digest": attestation.digest,
                    "annotations": {
                        "vnd.docker.reference.digest": image.digest,
                        "vnd.docker.reference.type": ATTESTATION_TYPE,
                    },
                    "platform": {"architecture": "unknown", "os": "unknown"},
                }
            )
    document = {"schemaVersion": 2, "mediaType": OCI_INDEX if oci else DOCKER_LIST, "manifests": entries}
    # The image id of a list tag is not documented; the list's own digest is the closest stable id.
    return _built(_compact(document), "", 2, 1, total, children=tuple(children))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def schema1_manifest(
    generator: random.Random, repository: str, tag: str, created: datetime, layer_count: int = 4
) -> Built:
    """A legacy signed schema 1 manifest (fsLayers, history with v1Compatibility, a JWS signature)."""
    layers = random_layers(generator, layer_count, DOCKER_LAYER)
    ids = [hex_digest(generator) for _ in layers]
    history = []
    # fsLayers and history list the top layer first.
    for position in range(len(layers) - 1, -1, -1):
        compat: dict[str, Any] = {
            "id": ids[position],
            "created": (created - timedelta(minutes=len(layers) - position)).strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ"
            ),
            "container_config": {"Cmd": ["/bin/sh", "-c", f"#(nop) layer {position}"]},
        }
        if position:
            compat["parent"] = ids[position - 1]
        if position == len(layers) - 1:
            compat["architecture"] = "amd64"
            compat["os"] = "linux"
        history.append({"v1Compatibility": _compact(compat)})
    document = {
        "schemaVersion": 1,
        "name": repository,
        "tag": tag,
        "architecture": "amd64",
        "fsLayers": [{"blobSum": layer.digest} for layer in reversed(layers)],
        "history": history,
        "signatures": [
            {
                "header": {
                    "jwk": {
                        "crv": "P-256",
                        "kid": ":".join(hex_digest(generator)[i : i + 4].upper() for i in range(0, 48, 4)),
                        "kty": "EC",
                        "x": _b64url(generator.getrandbits(256).to_bytes(32, "big")),
                        "y": _b64url(generator.getrandbits(256).to_bytes(32, "big")),
                    },
                    "alg": "ES256",
                },
                "signature": _b64url(generator.getrandbits(512).to_bytes(64, "big")),
                "protected": _b64url(
                    _compact(
                        {"formatLength": 2000 + generator.randint(0, 900), "formatTail": "Cn0", "time": ""}
                    ).encode("ascii")
                ),
            }
        ],
    }
    text = json.dumps(document, indent=3)
    return _built(text, ids[-1], 1, 0, sum(layer.size for layer in layers))


def cosign_signature(generator: random.Random, subject: Built, reference: str) -> Built:
    """What ``cosign sign`` pushes as ``sha256-<hex>.sig``: an OCI manifest of simple-signing layers."""
    payload = _compact(
        {
            "critical": {
                "identity": {"docker-reference": reference},
                "image": {"docker-manifest-digest": subject.digest},
                "type": "cosign container image signature",
            },
            "optional": None,
        }
    ).encode("utf-8")
    config = Blob(OCI_CONFIG, generator.randint(230, 260), sha256_digest(generator))
    layer = Blob(COSIGN_LAYER, len(payload), "sha256:" + hashlib.sha256(payload).hexdigest())
    signature = base64.b64encode(generator.getrandbits(560).to_bytes(70, "big")).decode("ascii")
    document = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": config.descriptor(),
        "layers": [dict(layer.descriptor(), annotations={"dev.cosignproject.cosign/signature": signature})],
    }
    return _built(_compact(document), config.digest[len("sha256:") :], 2, 0, config.size + layer.size)


def broken_manifest(generator: random.Random) -> Built:
    """A manifest string that is not valid JSON (a truncated upload, as seen from old registries)."""
    whole = random_image(generator, oci=False, layer_count=3).text
    text = whole[: len(whole) * 2 // 3]
    return _built(text, "", 2, 0, generator.randint(5_000_000, 40_000_000))
