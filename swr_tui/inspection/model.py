"""What the inspector hands to the UI and the ``inspect`` command: frozen values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..swr.image_config import HistoryPairing, ImageConfig
from ..swr.manifest import Descriptor

SOURCE_MANAGEMENT = "management API"
SOURCE_REGISTRY = "registry"
SOURCE_CACHE = "cache"
SOURCE_ENTERPRISE = "Enterprise Edition build history"  # inspection/enterprise.py

SIGNATURE_KINDS = ("signature", "attestation", "sbom")
FROM_ACCESSORIES = "accessories"
FROM_REFERRERS = "referrers"
FROM_TAG_NAME = "tag name"


@dataclass(frozen=True)
class Platform:
    """One child of a manifest list / OCI index."""

    os: str
    architecture: str
    variant: str
    digest: str
    size: int
    attestation: bool

    @property
    def label(self) -> str:
        """``linux/arm64/v8``; ``attestation`` for an attestation child."""
        if self.attestation:
            return "attestation"
        return "/".join(part for part in (self.os, self.architecture, self.variant) if part) or "no platform"


@dataclass(frozen=True)
class ImageView:
    """One image: a single-arch tag, or one platform of a list."""

    reference: str  # NS/REPO:TAG
    manifest_digest: str  # this image's manifest digest (the child's for a platform)
    platform: Optional[Platform]  # None for a single-arch tag
    layers: tuple[Descriptor, ...]
    config: ImageConfig
    history: HistoryPairing
    source: str  # SOURCE_MANAGEMENT | SOURCE_REGISTRY | SOURCE_CACHE

    @property
    def total_layer_size(self) -> int:
        return sum(layer.size for layer in self.layers)


@dataclass(frozen=True)
class Signature:
    tag: str  # the cosign tag (sha256-<hex>.sig); empty for a referrer, which has none
    digest: str  # the signature's own manifest digest; empty when only its name is known
    kind: str  # one of SIGNATURE_KINDS
    source: str  # FROM_ACCESSORIES | FROM_REFERRERS | FROM_TAG_NAME
