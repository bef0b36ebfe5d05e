"""Who signed an image, from the first source that answers: SWR's accessories (through the cache),
the registry's OCI referrers, then cosign's tag-name convention (``sha256-<hex>.sig``)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Any, Optional

from ..content_cache import ContentCache
from ..image_depth import load_accessories
from ..swr.accessories import Accessory
from ..swr.cosign import cosign_tags, signature_kind
from ..swr.errors import HttpError, NotFoundError
from ..swr.registry import RegistryClient
from .counting import CountingClient
from .model import FROM_ACCESSORIES, FROM_REFERRERS, FROM_TAG_NAME, SIGNATURE_KINDS, Signature

# The artifact types cosign gives its referrers (and the fake serves), by kind.
ARTIFACT_KINDS = {
    "application/vnd.dev.cosign.artifact.sig.v1+json": "signature",
    "application/vnd.dsse.envelope.v1+json": "attestation",
    "application/vnd.in-toto+json": "attestation",
    "application/vnd.dev.cosign.artifact.sbom.v1+json": "sbom",
    "application/spdx+json": "sbom",
    "application/vnd.cyclonedx+json": "sbom",
}
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


def api_missing(error: HttpError) -> bool:
    """A 405, or a 404 without SWR's own error code: the path itself does not exist in this region
    (as ``get_image_config_body`` tells them apart), not the tag."""
    code = error.code or ""
    return error.status == 405 or (error.status == 404 and not code.startswith("SVCSTG.SWR."))


async def find_signatures(
    client: CountingClient,
    registry: Optional[RegistryClient],
    cache: Optional[ContentCache],
    namespace: str,
    repository: str,
    tag: str,
    digest: str,
    known_tags: Collection[str],
) -> tuple[Signature, ...]:
    if not _DIGEST.fullmatch(digest):
        return ()  # no digest (a broken record): nothing can be attached to it
    try:
        accessories = await load_accessories(client, cache, namespace, repository, tag, digest)
    except HttpError as error:
        if not api_missing(error):
            raise
    else:
        return tuple(_from_accessory(item) for item in accessories)
    if registry is not None:
        referrers = await registry.referrers(f"{namespace}/{repository}", digest)
        if referrers:
            return tuple(_from_referrer(item) for item in referrers)
    return await _from_tag_names(client, namespace, repository, digest, known_tags)


def _from_accessory(item: Accessory) -> Signature:
    kind = item.kind.strip().lower()
    if kind not in SIGNATURE_KINDS:
        named = signature_kind(item.sig_tag)
        kind = named[0] if named else "signature"
    return Signature(item.sig_tag, item.sig_digest, kind, FROM_ACCESSORIES)


def _from_referrer(item: dict[str, Any]) -> Signature:
    artifact = item.get("artifactType")
    kind = ARTIFACT_KINDS.get(artifact, "signature") if isinstance(artifact, str) else "signature"
    digest = item.get("digest")
    return Signature("", digest if isinstance(digest, str) else "", kind, FROM_REFERRERS)


async def _from_tag_names(
    client: CountingClient, namespace: str, repository: str, digest: str, known_tags: Collection[str]
) -> tuple[Signature, ...]:
    """Among the tags already known; when the ``.sig`` is not among them, one lookup by its name."""
    names = cosign_tags(digest)
    found: Sequence[Signature] = [
        Signature(name, "", kind, FROM_TAG_NAME) for name, kind in names.items() if name in known_tags
    ]
    signature_tag = next(iter(names))
    if signature_tag in known_tags:
        return tuple(found)
    try:
        looked_up = await client.show_tag(namespace, repository, signature_tag)
    except NotFoundError:
        return tuple(found)
    return (Signature(signature_tag, looked_up.digest, "signature", FROM_TAG_NAME), *found)
