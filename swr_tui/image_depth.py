"""An image's config and accessories, read through the content cache: a tag digest seen before costs
no request (the same tag again, or another tag on the same digest).

Only what parsed cleanly is cached: a config that is not JSON, of the wrong shape, or an error
answer is never stored, so the next visit asks the registry again. The UI's workers and the
``inspect`` command call these; pass ``cache=None`` for ``--no-cache``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Optional, Protocol

from .content_cache import ContentCache
from .swr.accessories import ACCESSORY_MAX_LIMIT, Accessory
from .swr.image_config import ImageConfig, ImageConfigError, parse_image_config
from .swr.paging import Page

CONFIG_KIND = "image-config"
ACCESSORIES_KIND = "accessories"
# A digest with more accessories than this is not one a person reads in a pane (cosign adds one
# signature per signing); the pages past it are not fetched.
MAX_ACCESSORIES = 1_000


class DepthSource(Protocol):
    """What these loaders call: ``SwrClient``, or a wrapper that counts its calls."""

    async def get_image_config_body(self, namespace: str, repository: str, tag: str) -> bytes: ...

    async def list_accessories(
        self, namespace: str, repository: str, tag: str, *, offset: int = ..., limit: int = ...
    ) -> Page[Accessory]: ...


async def load_image_config(
    client: DepthSource,
    cache: Optional[ContentCache],
    namespace: str,
    repository: str,
    tag: str,
    digest: str,
) -> ImageConfig:
    """The tag's image config; ``digest`` is the tag's manifest digest (the cache key)."""
    if cache is not None:
        stored = cache.get_keyed(CONFIG_KIND, digest)
        if stored is not None:
            try:
                return parse_image_config(stored)
            except ImageConfigError:  # stored by an older version that read it differently
                pass
    body = await client.get_image_config_body(namespace, repository, tag)
    config = parse_image_config(body)  # raises before anything is stored
    if cache is not None:
        cache.put_keyed(CONFIG_KIND, digest, body)
    return config


async def load_accessories(
    client: DepthSource,
    cache: Optional[ContentCache],
    namespace: str,
    repository: str,
    tag: str,
    digest: str,
) -> tuple[Accessory, ...]:
    """Every accessory of the tag's digest (up to MAX_ACCESSORIES), all pages read."""
    if cache is not None:
        stored = cache.get_keyed(ACCESSORIES_KIND, digest)
        if stored is not None:
            restored = _restore(stored)
            if restored is not None:
                return restored
    found: list[Accessory] = []
    offset = 0
    while len(found) < MAX_ACCESSORIES:
        page = await client.list_accessories(
            namespace, repository, tag, offset=offset, limit=ACCESSORY_MAX_LIMIT
        )
        found.extend(page.items)
        if page.is_last:
            break
        offset = page.end
    accessories = tuple(found[:MAX_ACCESSORIES])
    if cache is not None:
        cache.put_keyed(ACCESSORIES_KIND, digest, json.dumps([asdict(item) for item in accessories]).encode())
    return accessories


def _restore(stored: bytes) -> Optional[tuple[Accessory, ...]]:
    try:
        return tuple(Accessory(**item) for item in json.loads(stored))
    except (ValueError, TypeError):  # written by a version with other fields: refetch
        return None
