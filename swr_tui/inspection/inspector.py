"""``Inspector``: one image at depth (config, history with layers, platforms, signatures) for the UI
and the ``inspect`` command. No Textual.

A single-arch tag's config comes from the management API (ShowRepoTagConfig) through the cache,
its layers from the tag's manifest; where that API is missing in the region, from the registry's
data plane instead. A platform of a list is always read from the data plane: its child manifest
by digest, then its config blob, both through the content cache, so a second visit costs nothing.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Collection, Sequence
from typing import Optional

from ..content_cache import ContentCache
from ..formatting import short_digest
from ..image_depth import load_image_config
from ..safe_text import scrub
from ..swr.client import SwrClient
from ..swr.errors import SwrError
from ..swr.image_config import ConfigApiUnavailable, ImageConfig, pair_history
from ..swr.manifest import Descriptor, ManifestSummary, parse_manifest_streaming
from ..swr.models import Tag
from ..swr.registry import RegistryClient
from . import platforms as platform_rules
from .counting import CountingClient
from .data_plane import CachedPlane
from .model import SOURCE_CACHE, SOURCE_MANAGEMENT, SOURCE_REGISTRY, ImageView, Platform, Signature
from .signatures import find_signatures

INLINE_PARSE_CHARS = 64 * 1024  # smaller manifests parse in well under a millisecond
KEPT_SUMMARIES = 16  # parsed manifests kept: the highlighted tag's, and a few to go back to

NEEDS_REGISTRY = (
    "swr-tui reads them from the registry itself (the pull host), and none is set up: pass --region "
    "(the registry is swr.REGION.myhuaweicloud.com) or --registry-endpoint URL, with AK/SK, a docker "
    "login for that host, or a token for a temporary login"
)


# Summary kinds of a tag record whose manifest gives no layers: then the registry's copy is read.
_UNREAD_KINDS = ("empty", "invalid", "unknown")


class RegistryNeeded(SwrError):
    """What was asked for comes only from the registry's data plane, and there is no registry client."""


class Inspector:
    """``platform``: the platform a list opens on (``--platform``, ``[ui] platform``)."""

    def __init__(
        self,
        client: SwrClient,
        registry: Optional[RegistryClient],
        cache: Optional[ContentCache],
        *,
        platform: Optional[str] = None,
    ) -> None:
        self.client = client
        self.registry = registry
        self.cache = cache
        self.platform = platform_rules.check_platform(platform) if platform is not None else None
        self._summaries: OrderedDict[tuple[str, int, int], ManifestSummary] = OrderedDict()
        self._summaries_lock = threading.Lock()  # the UI parses big manifests in a thread
        self._management = CountingClient(client)
        self._registry_base = registry.request_count if registry is not None else 0
        self._config_api_missing = False

    def __repr__(self) -> str:
        return f"Inspector(client={self.client!r}, registry={self.registry!r}, cache={self.cache!r})"

    async def aclose(self) -> None:
        """Close the registry client (the SwrClient belongs to whoever passed it in)."""
        if self.registry is not None:
            await self.registry.aclose()

    @property
    def management_requests(self) -> int:
        return self._management.calls

    @property
    def registry_requests(self) -> int:
        """Every request to the registry host and its token realm (the /v2/ ping included)."""
        return self.registry.request_count - self._registry_base if self.registry is not None else 0

    @property
    def requests(self) -> int:
        """Requests this inspector has sent (for tests and benchmarks)."""
        return self.management_requests + self.registry_requests

    def _summary(self, tag: Tag) -> ManifestSummary:
        """The tag record's manifest, parsed once: ``platforms`` and ``image`` both need it."""
        key = (tag.digest, len(tag.manifest), hash(tag.manifest))
        with self._summaries_lock:
            summary = self._summaries.get(key)
            if summary is not None:
                self._summaries.move_to_end(key)
                return summary
        summary = _parse_summary(tag.manifest)
        with self._summaries_lock:
            self._summaries[key] = summary
            while len(self._summaries) > KEPT_SUMMARIES:
                self._summaries.popitem(last=False)
        return summary

    # -- platforms ----------------------------------------------------------------------------

    def platforms(self, tag: Tag) -> tuple[Platform, ...]:
        """The children of a list, from ``tag.manifest`` (no request); () for an image."""
        summary = self._summary(tag)
        if not summary.is_list:
            return ()
        return tuple(
            Platform(
                entry.os, entry.architecture, entry.variant, entry.digest, entry.size, entry.is_attestation
            )
            for entry in summary.platforms
        )

    def default_platform(self, platforms: Sequence[Platform], wanted: Optional[str]) -> Optional[Platform]:
        """``wanted`` (or this inspector's platform) if present, else linux/amd64, else the first
        image that is no attestation."""
        return platform_rules.default_platform(platforms, wanted or self.platform)

    # -- one image ----------------------------------------------------------------------------

    async def image(
        self, namespace: str, repository: str, tag: Tag, platform: Optional[Platform] = None
    ) -> ImageView:
        reference = f"{namespace}/{repository}:{tag.name}"
        if len(tag.manifest) > INLINE_PARSE_CHARS:  # a 5 MB manifest parses for ~100 ms: not on the loop
            summary = await asyncio.to_thread(self._summary, tag)
        else:
            summary = self._summary(tag)
        if summary.is_list or platform is not None:
            if platform is None:
                platform = self.default_platform(self.platforms(tag), None)
                if platform is None:
                    raise SwrError(f"The manifest list {scrub(reference)} holds no image to show")
            if platform.attestation:
                raise SwrError(
                    f"{short_digest(platform.digest)} of {scrub(reference)} is an attestation (build "
                    "provenance or an SBOM for another platform), not an image: it has no config or "
                    "history to show. Choose one of the image platforms"
                )
            return await self._from_plane(namespace, repository, reference, platform.digest, platform)
        unread = summary.kind in _UNREAD_KINDS  # the record's manifest is missing or unreadable
        if (self._config_api_missing or unread) and self.registry is not None:
            return await self._from_plane(namespace, repository, reference, tag.digest, None)
        before = self._management.calls
        try:
            config = await load_image_config(
                self._management, self.cache, namespace, repository, tag.name, tag.digest
            )
        except ConfigApiUnavailable as missing:
            if self.registry is None:
                raise ConfigApiUnavailable(
                    f"{missing.message}, and its config can then only be read from the registry: "
                    f"{NEEDS_REGISTRY}",
                    status=missing.status,
                    code=missing.code,
                    request_id=missing.request_id,
                ) from None
            self._config_api_missing = True  # the region lacks it: ask no more
            return await self._from_plane(namespace, repository, reference, tag.digest, None)
        source = SOURCE_MANAGEMENT if self._management.calls > before else SOURCE_CACHE
        return _view(reference, tag.digest, None, summary.layers, config, source)

    async def _from_plane(
        self,
        namespace: str,
        repository: str,
        reference: str,
        digest: str,
        platform: Optional[Platform],
    ) -> ImageView:
        if self.registry is None:
            what = f"The platforms of the multi-arch tag {scrub(reference)}"
            raise RegistryNeeded(f"{what} are not in the management API: {NEEDS_REGISTRY}")
        plane = CachedPlane(self.registry, self.cache)
        path = f"{namespace}/{repository}"
        manifest = await plane.manifest(path, digest)
        config = await plane.config(path, manifest)
        source = SOURCE_REGISTRY if plane.from_network else SOURCE_CACHE
        return _view(reference, digest, platform, manifest.layers, config, source)

    # -- signatures ---------------------------------------------------------------------------

    async def signatures(
        self, namespace: str, repository: str, tag: Tag, known_tags: Collection[str] = ()
    ) -> tuple[Signature, ...]:
        return await find_signatures(
            self._management,
            self.registry,
            self.cache,
            namespace,
            repository,
            tag.name,
            tag.digest,
            known_tags,
        )


def _parse_summary(manifest: str) -> ManifestSummary:
    summary, _ = parse_manifest_streaming(manifest)  # the pretty text is never built here
    return summary


def _view(
    reference: str,
    digest: str,
    platform: Optional[Platform],
    layers: tuple[Descriptor, ...],
    config: ImageConfig,
    source: str,
) -> ImageView:
    return ImageView(reference, digest, platform, layers, config, pair_history(config, layers), source)
