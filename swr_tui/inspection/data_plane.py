"""Manifests and config blobs from the registry's data plane, through the content cache: a digest
held on disk costs no request, and only bytes that match their digest are ever stored."""

from __future__ import annotations

from typing import Optional

from ..content_cache import ContentCache
from ..safe_text import scrub
from ..swr.errors import ResponseFormatError
from ..swr.image_config import ImageConfig, parse_image_config
from ..swr.manifest import ManifestSummary, parse_manifest_streaming
from ..swr.registry import RegistryClient


class CachedPlane:
    """``from_network`` counts what had to be fetched (0 when everything came from the cache)."""

    def __init__(self, registry: RegistryClient, cache: Optional[ContentCache]) -> None:
        self.registry = registry
        self.cache = cache
        self.from_network = 0

    async def manifest(self, repository: str, digest: str) -> ManifestSummary:
        """The image manifest ``digest`` of ``repository`` (NS/REPO), summarised."""
        content = self._cached(digest)
        if content is None:
            content = (await self.registry.get_manifest(repository, digest)).content
            self._store(digest, content)
        summary, _ = parse_manifest_streaming(content.decode("utf-8", "replace"))
        if summary.is_list:
            raise ResponseFormatError(
                f"The manifest {digest[:19]}… of {scrub(repository)} is itself a list, where an image "
                "was expected: a list inside a list is not something swr-tui can show"
            )
        if summary.config is None:
            problem = f" ({summary.error})" if summary.error else ""
            raise ResponseFormatError(
                f"The manifest {digest[:19]}… of {scrub(repository)} names no config blob{scrub(problem)}: "
                "it is not an image manifest swr-tui can read a config from"
            )
        return summary

    async def config(self, repository: str, summary: ManifestSummary) -> ImageConfig:
        assert summary.config is not None  # manifest() refuses one without
        digest = summary.config.digest
        content = self._cached(digest)
        fetched = content is None
        if content is None:
            content = await self.registry.get_blob(repository, digest)
        config = parse_image_config(content)  # raises before anything is stored
        if fetched:
            self._store(digest, content)
        return config

    def _cached(self, digest: str) -> Optional[bytes]:
        content = self.cache.get(digest) if self.cache is not None else None
        if content is None:
            self.from_network += 1
        return content

    def _store(self, digest: str, content: bytes) -> None:
        if self.cache is not None:
            self.cache.put(digest, content)  # checks the sha256 itself; a mismatch is not stored
