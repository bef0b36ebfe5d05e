"""EnterpriseCatalog: one Enterprise Edition instance as an ``ImageCatalog``.

Its tag pages are pages of artifacts, each artifact giving one ``Tag`` row per tag (an untagged one
a single ``<untagged>`` row with its digest): a page's ``offset``, ``limit`` and ``total`` count
artifacts, and it may hold more rows than ``limit`` when artifacts carry several tags. The API lists
artifacts newest push first only, so only ``order="desc"`` is served.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from ..bulk import DEFAULT_CONCURRENCY, fetch_all_stable
from ..catalog_protocol import ENTERPRISE
from ..errors import ConfigurationError, NotFoundError
from ..models import Namespace, Repository, Tag
from ..paging import Page
from .client import EnterpriseClient, is_digest
from .models import Artifact, EnterpriseNamespace, Instance
from .paging import MAX_PAGE_SIZE


class EnterpriseCatalog:
    edition = ENTERPRISE
    page_limit = MAX_PAGE_SIZE

    def __init__(self, client: EnterpriseClient, instance: Instance) -> None:
        self.client = client
        self.instance = instance
        self.pull_host = instance.pull_host()

    def path_prefix(self, namespace: str, repository: str) -> str:
        return f"{self.pull_host}/{namespace}/{repository}" if self.pull_host else ""

    async def enterprise_namespaces(self) -> list[EnterpriseNamespace]:
        """The namespaces with what the Enterprise Edition adds (public, auto scan, repo count)."""
        return await fetch_all_stable(
            lambda offset, limit: self.client.list_namespaces(self.instance.id, offset=offset, limit=limit),
            MAX_PAGE_SIZE,
            DEFAULT_CONCURRENCY,
            f"the namespaces of enterprise instance {self.instance.name}",
        )

    async def namespaces(self) -> list[Namespace]:
        return [item.to_namespace() for item in await self.enterprise_namespaces()]

    async def repositories(self, namespace: str) -> list[Repository]:
        found = await fetch_all_stable(
            lambda offset, limit: self.client.list_repositories(
                self.instance.id, namespace, offset=offset, limit=limit
            ),
            MAX_PAGE_SIZE,
            DEFAULT_CONCURRENCY,
            f"the repositories of namespace {namespace}",
        )
        return [item.to_repository(self.pull_host) for item in found]

    async def artifact_page(
        self,
        namespace: str,
        repository: str,
        *,
        offset: int = 0,
        limit: int = MAX_PAGE_SIZE,
        name_filter: Optional[str] = None,
    ) -> Page[Artifact]:
        return await self.client.list_artifacts(
            self.instance.id, namespace, repository, offset=offset, limit=limit, tags=name_filter or None
        )

    def rows(self, namespace: str, repository: str, artifacts: tuple[Artifact, ...]) -> tuple[Tag, ...]:
        prefix = self.path_prefix(namespace, repository)
        return tuple(row for artifact in artifacts for row in artifact.rows(prefix))

    async def tag_page(
        self,
        namespace: str,
        repository: str,
        *,
        offset: int = 0,
        limit: int = MAX_PAGE_SIZE,
        order: str = "desc",
        name_filter: Optional[str] = None,
    ) -> Page[Tag]:
        check_order(order)
        page = await self.artifact_page(
            namespace, repository, offset=offset, limit=min(limit, MAX_PAGE_SIZE), name_filter=name_filter
        )
        return page.with_items(self.rows(namespace, repository, page.items))

    async def repository_page(self, namespace: str, offset: int, limit: int) -> Page[Repository]:
        """One page of a namespace's repositories, as the sidebar reads them (page by page)."""
        page = await self.client.list_repositories(self.instance.id, namespace, offset=offset, limit=limit)
        return page.with_items(tuple(item.to_repository(self.pull_host) for item in page.items))

    async def table_page(
        self,
        namespace: str,
        repository: str,
        *,
        offset: int = 0,
        limit: int = MAX_PAGE_SIZE,
        name_filter: Optional[str] = None,
        by_artifact: bool = False,
    ) -> Page[Tag]:
        """A page for the tag table, which counts rows: exactly one row per counted item.

        Unfiltered, ListInstanceTags: one row per tag, its total the tags' (untagged artifacts are
        not in it). Filtered or ``by_artifact``, ListInstanceArtifacts (with ``tags`` when filtered):
        each artifact is one row, named by its first tag that matches (the artifact's other tags
        show in its details) or ``<untagged>``, and the total counts artifacts.
        """
        prefix = self.path_prefix(namespace, repository)
        if name_filter or by_artifact:
            found = await self.artifact_page(
                namespace, repository, offset=offset, limit=limit, name_filter=name_filter or None
            )
            return found.with_items(tuple(item.row_named(name_filter or "", prefix) for item in found.items))
        instance = self.instance.id
        page = await self.client.list_tags(instance, namespace, repository, offset=offset, limit=limit)
        if not prefix:
            return page
        return page.with_items(tuple(replace(tag, path=f"{prefix}:{tag.name}") for tag in page.items))

    async def tag_details(self, namespace: str, repository: str, tag: str) -> Tag:
        """``tag`` may also be a digest (``sha256:...``), which an ``<untagged>`` row has instead."""
        artifact = await self.client.find_artifact(self.instance.id, namespace, repository, tag)
        rows = artifact.rows(self.path_prefix(namespace, repository))
        for row in rows:
            if row.name == tag:
                return row
        if is_digest(tag) and rows:
            return rows[0]
        raise NotFoundError(f"Not found: tag {namespace}/{repository}:{tag}")

    async def artifact(self, namespace: str, repository: str, tag: str) -> Artifact:
        """The artifact a tag (or digest) names, with its scan overview."""
        return await self.client.find_artifact(self.instance.id, namespace, repository, tag)


def check_order(order: str) -> None:
    if order != "desc":
        raise ConfigurationError(
            "The Enterprise Edition lists artifacts newest first only: --order asc is not available "
            "with --instance"
        )
