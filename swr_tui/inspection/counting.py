"""The management API calls the inspector makes, counted (the ``requests`` tests and benchmarks read)."""

from __future__ import annotations

from ..swr.accessories import ACCESSORY_DEFAULT_LIMIT, Accessory
from ..swr.client import SwrClient
from ..swr.models import Tag
from ..swr.paging import Page


class CountingClient:
    """Forwards the calls ``image_depth`` and the inspector make, one count per call sent."""

    def __init__(self, client: SwrClient) -> None:
        self.client = client
        self.calls = 0

    async def get_image_config_body(self, namespace: str, repository: str, tag: str) -> bytes:
        self.calls += 1
        return await self.client.get_image_config_body(namespace, repository, tag)

    async def list_accessories(
        self,
        namespace: str,
        repository: str,
        tag: str,
        *,
        offset: int = 0,
        limit: int = ACCESSORY_DEFAULT_LIMIT,
    ) -> Page[Accessory]:
        self.calls += 1
        return await self.client.list_accessories(namespace, repository, tag, offset=offset, limit=limit)

    async def show_tag(self, namespace: str, repository: str, tag: str) -> Tag:
        self.calls += 1
        return await self.client.show_tag(namespace, repository, tag)
