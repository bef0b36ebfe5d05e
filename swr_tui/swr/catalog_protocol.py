"""ImageCatalog: what browsing needs from a registry, whichever SWR edition serves it.

Namespaces, a namespace's repositories, a page of tags and one tag's details, as the basic edition's
records (``Namespace``, ``Repository``, ``Tag``), so the table, export, diff and watch work unchanged.
``BasicCatalog`` adapts the basic edition's ``SwrClient``; ``swr.enterprise.catalog.EnterpriseCatalog``
serves an Enterprise Edition instance. (``Registry`` names the data-plane package ``swr.registry``.)
"""

from __future__ import annotations

from typing import Optional, Protocol

from .bulk import DEFAULT_CONCURRENCY, fetch_all_stable
from .client import SwrClient
from .models import Namespace, Repository, Tag
from .paging import MAX_LIMIT, Page

BASIC = "basic"
ENTERPRISE = "enterprise"


class ImageCatalog(Protocol):
    edition: str  # BASIC or ENTERPRISE
    page_limit: int  # the largest page ``tag_page`` accepts
    pull_host: str  # where images are pulled from ("" when the catalog cannot tell)

    async def namespaces(self) -> list[Namespace]: ...

    async def repositories(self, namespace: str) -> list[Repository]: ...

    async def tag_page(
        self,
        namespace: str,
        repository: str,
        *,
        offset: int = 0,
        limit: int = 100,
        order: str = "desc",
        name_filter: Optional[str] = None,
    ) -> Page[Tag]: ...

    async def tag_details(self, namespace: str, repository: str, tag: str) -> Tag: ...


class BasicCatalog:
    """The basic edition through the existing ``SwrClient`` (whose methods stay as they are)."""

    edition = BASIC
    page_limit = MAX_LIMIT

    def __init__(self, client: SwrClient, pull_host: str = "") -> None:
        self.client = client
        self.pull_host = pull_host

    async def namespaces(self) -> list[Namespace]:
        return await self.client.list_namespaces()

    async def repositories(self, namespace: str) -> list[Repository]:
        async def fetch(offset: int, limit: int) -> Page[Repository]:
            return await self.client.list_repositories(namespace, offset=offset, limit=limit)

        what = f"the repositories of namespace {namespace}"
        return await fetch_all_stable(fetch, MAX_LIMIT, DEFAULT_CONCURRENCY, what)

    async def tag_page(
        self,
        namespace: str,
        repository: str,
        *,
        offset: int = 0,
        limit: int = 100,
        order: str = "desc",
        name_filter: Optional[str] = None,
    ) -> Page[Tag]:
        return await self.client.list_tags(
            namespace, repository, offset=offset, limit=limit, order=order, tag=name_filter
        )

    async def tag_details(self, namespace: str, repository: str, tag: str) -> Tag:
        return await self.client.show_tag(namespace, repository, tag)
