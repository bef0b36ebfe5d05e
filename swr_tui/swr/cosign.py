"""Cosign's tag-name convention: ``sha256-<64 hex>.sig|.att|.sbom`` names the signature,
attestation or SBOM of the image ``sha256:<hex>``. One rule for the tag table's marks, the digest
search and the inspector's last fallback for *Signed by*."""

from __future__ import annotations

import re
from typing import Optional

COSIGN_SUFFIXES = {".sig": "signature", ".att": "attestation", ".sbom": "sbom"}
_COSIGN_TAG = re.compile(r"sha256-([0-9a-f]{64})(\.sig|\.att|\.sbom)")


def signature_kind(tag_name: str) -> Optional[tuple[str, str]]:
    """(kind, "sha256:<hex>") for a cosign tag name, else None."""
    match = _COSIGN_TAG.fullmatch(tag_name)
    if match is None:
        return None
    return COSIGN_SUFFIXES[match.group(2)], f"sha256:{match.group(1)}"


def cosign_tags(digest: str) -> dict[str, str]:
    """Cosign's tag names for ``digest``, each with its kind."""
    stem = digest.replace(":", "-", 1)
    return {stem + suffix: kind for suffix, kind in COSIGN_SUFFIXES.items()}
