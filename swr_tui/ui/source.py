"""The one object through which the app's views read the registry.

The catalog, the tag table, the watch, export, the digest search and the image's depth (config,
history, platforms, signatures, through an ``Inspector``) all ask through a
``RegistrySource``, never the client directly, so that what the first screen shows can be asked for
while the screen is still being built (``start_early``): over a slow link that hides a round trip of
start-up, and locally it puts data in the first frame. Switching connection replaces the source.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Collection, Sequence
from typing import TYPE_CHECKING, Any, Callable, Optional

from ..swr.client import SwrClient
from ..swr.models import Repository, Tag
from ..swr.paging import Page
from .tag_pages import TagQuery

if TYPE_CHECKING:  # imported when an image is first inspected: start-up time counts
    from ..inspection.inspector import Inspector
    from ..inspection.model import ImageView, Platform, Signature
    from ..settings.profiles import Connection
    from ..swr.enterprise.account import EnterpriseAccount
    from ..swr.enterprise.catalog import EnterpriseCatalog


class RegistrySource:
    def __init__(self, client: SwrClient, inspector: Optional[Inspector] = None) -> None:
        self.client = client
        self._inspector = inspector
        self._early: dict[object, asyncio.Future[Any]] = {}
        # The Enterprise Edition on this connection: set by the screen, which knows the project id's
        # sources (a TagQuery with an ``instance`` is read through it).
        self.enterprise: Optional[EnterpriseAccount] = None

    def for_connection(self, connection: Connection) -> RegistrySource:
        """The source of another connection (a profile or region switch): its own inspector, or one
        on its settings' registry, with this one's disk cache (digests do not change) and platform."""
        if connection.inspector is not None:
            return RegistrySource(connection.client, connection.inspector)
        from ..inspection.inspector import Inspector
        from ..settings.registry_login import build_registry_client

        client, settings, old = connection.client, connection.settings, self._inspector
        registry = None
        if settings is not None and settings.registry_endpoint:
            registry = build_registry_client(settings, management_auth=client.auth)
        cache, platform = (old.cache, old.platform) if old is not None else (None, None)
        return RegistrySource(client, Inspector(client, registry, cache, platform=platform))

    async def aclose(self) -> None:
        """Close this connection's clients (the registry's too, when an inspector has one)."""
        if self._inspector is not None:
            await self._inspector.aclose()
        await self.client.aclose()

    # -- the first screen's requests ----------------------------------------------------------

    def start_early(self, repository: Optional[TagQuery], page_size: int) -> None:
        """Ask now for the namespaces and, if one opens at start, the first page of its tags."""
        self._early["namespaces"] = asyncio.ensure_future(self.client.list_namespaces())
        if repository is not None:
            key = (repository, 0, page_size)
            self._early[key] = asyncio.ensure_future(self.fresh_tags(repository, 0, page_size))

    def known_namespaces(self, namespaces: Any) -> None:
        """The namespaces are known already (a profile switch listed them): served from memory."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        future.set_result(namespaces)
        self._early["namespaces"] = future

    def reconnect(self, client: SwrClient, namespaces: Any) -> SwrClient:
        """Read another connection from now on (a profile or region switch), its namespaces known
        already; returns the old client, for the caller to close once nothing uses it."""
        for request in self._early.values():
            request.cancel()  # the old registry's answers: nobody awaits them now
        self._early = {}
        old, self.client = self.client, client
        self.known_namespaces(namespaces)
        return old

    async def _early_or(self, key: object, fetch: Callable[[], Awaitable[Any]]) -> Any:
        """The request started early for ``key`` if there is one (used once), else a new one."""
        early = self._early.pop(key, None)
        if early is not None:
            return await early
        return await fetch()

    async def drop_early(self) -> None:
        """Cancel the early requests nobody asked for (the app closes or the connection changes)."""
        early, self._early = list(self._early.values()), {}
        for request in early:
            request.cancel()
        await asyncio.gather(*early, return_exceptions=True)

    # -- reading ------------------------------------------------------------------------------

    async def namespaces(self) -> list[Any]:
        return await self._early_or("namespaces", self.client.list_namespaces)

    async def repositories(self, namespace: str, offset: int, limit: int) -> Page[Repository]:
        return await self.client.list_repositories(namespace, offset=offset, limit=limit)

    async def shared(self, offset: int, limit: int) -> Page[Repository]:
        return await self.client.list_shared_repositories(offset=offset, limit=limit)

    async def tags(self, query: TagQuery, offset: int, limit: int) -> Page[Tag]:
        """A page of a listing: the early one if this is the page asked for at start."""
        page: Page[Tag] = await self._early_or(
            (query, offset, limit), lambda: self.fresh_tags(query, offset, limit)
        )
        return page

    async def fresh_tags(self, query: TagQuery, offset: int, limit: int) -> Page[Tag]:
        """A page of a listing asked for now (a watch's poll wants today's page, not the early one)."""
        if query.instance:
            catalog = await self.enterprise_catalog(query.instance)
            return await catalog.table_page(
                query.namespace,
                query.repository,
                offset=offset,
                limit=limit,
                name_filter=query.tag_filter or None,
                by_artifact=query.artifacts,
            )
        return await self.client.list_tags(
            query.namespace,
            query.repository,
            offset=offset,
            limit=limit,
            order=query.order,
            tag=query.tag_filter or None,
        )

    # -- the Enterprise Edition ---------------------------------------------------------------

    async def enterprise_catalog(self, instance_id: str) -> EnterpriseCatalog:
        if self.enterprise is None:
            from ..swr.errors import ConfigurationError

            raise ConfigurationError("This connection has no Enterprise Edition access")
        return await self.enterprise.catalog(instance_id)

    async def instance_repositories(
        self, instance_id: str, namespace: str, offset: int, limit: int
    ) -> Page[Repository]:
        catalog = await self.enterprise_catalog(instance_id)
        return await catalog.repository_page(namespace, offset, limit)

    # -- an image in depth ----------------------------------------------------------------------

    @property
    def inspector(self) -> Inspector:
        """The one given, or the management API's only (no registry data plane, no disk cache)."""
        if self._inspector is None:
            from ..inspection.inspector import Inspector

            self._inspector = Inspector(self.client, None, None)
        return self._inspector

    async def image(self, query: TagQuery, tag: Tag, platform: Optional[Platform]) -> ImageView:
        if query.instance:  # the Enterprise Edition serves the build history itself
            from ..inspection.enterprise import image_from_build_history

            catalog = await self.enterprise_catalog(query.instance)
            steps = await catalog.client.build_history(
                catalog.instance.id, query.namespace, query.repository, tag.digest
            )
            return image_from_build_history(f"{query.full_name}:{tag.name}", tag.digest, steps)
        return await self.inspector.image(query.namespace, query.repository, tag, platform)

    async def signatures(
        self, query: TagQuery, tag: Tag, known_tags: Collection[str]
    ) -> tuple[Signature, ...]:
        if query.instance:  # the artifact's accessories: signatures, SBOMs
            from ..inspection.enterprise import accessory_signature

            catalog = await self.enterprise_catalog(query.instance)
            found = await catalog.client.list_accessories(
                catalog.instance.id, query.namespace, query.repository, tag.digest
            )
            return tuple(accessory_signature(item) for item in found.items)
        return await self.inspector.signatures(query.namespace, query.repository, tag, known_tags)

    def platforms(self, tag: Tag) -> tuple[Platform, ...]:
        return self.inspector.platforms(tag)

    def default_platform(self, platforms: Sequence[Platform], wanted: Optional[str]) -> Optional[Platform]:
        return self.inspector.default_platform(platforms, wanted)
