"""An Enterprise Edition artifact as the depth views show an image: its build history as the History
(``h``) and Config section read it, its accessories as its signatures.

The Enterprise Edition serves the build history itself (ShowInstanceArtifactAddition), each step with
the layer it made, so no config blob or manifest is read and every step is paired with its own layer
rather than by counting. The image's config fields (env, labels, entrypoint) are not in that answer:
the view's config holds the history alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..swr.enterprise.models import ArtifactAccessory, BuildStep
from ..swr.image_config import HistoryEntry, HistoryPairing, HistoryStep, ImageConfig, clean_created_by
from ..swr.manifest import Descriptor
from .model import FROM_ACCESSORIES, SOURCE_ENTERPRISE, ImageView, Signature

# Accessory types (``type``) by the kind of signature they are; anything else is a signature.
ACCESSORY_KINDS = (("sbom", "sbom"), ("attest", "attestation"))


def image_from_build_history(reference: str, digest: str, steps: Sequence[BuildStep]) -> ImageView:
    entries = tuple(HistoryEntry(step.created, step.created_by, "", step.empty_layer) for step in steps)
    layers = tuple(
        Descriptor(step.media_type, step.digest, step.size) for step in steps if not step.empty_layer
    )
    paired = tuple(
        HistoryStep(
            entry,
            clean_created_by(entry.created_by),
            None if step.empty_layer else Descriptor(step.media_type, step.digest, step.size),
        )
        for entry, step in zip(entries, steps)
    )
    config = ImageConfig(history=entries, diff_ids=tuple(layer.digest for layer in layers))
    return ImageView(reference, digest, None, layers, config, HistoryPairing(paired), SOURCE_ENTERPRISE)


def accessory_signature(accessory: ArtifactAccessory) -> Signature:
    kind = accessory.kind.strip().lower()
    found = next((name for marker, name in ACCESSORY_KINDS if marker in kind), "signature")
    return Signature("", accessory.digest, found, FROM_ACCESSORIES)
