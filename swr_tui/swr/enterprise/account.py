"""EnterpriseAccount: the account's Enterprise Edition instances for a browsing session.

The browser reads the basic edition through an ``SwrClient``; this opens the Enterprise Edition on
the same client once a project id is known (configured, the token's, or one IAM lookup: the
``ProjectIdResolver``), lists the instances for the sidebar and keeps one ``EnterpriseCatalog`` per
instance, so that a tag page, a namespace or an artifact is read without asking for the instance
again. Nothing here is asked for before the sidebar or ``--instance`` needs it.
"""

from __future__ import annotations

import asyncio
from typing import Optional

from ..client import SwrClient
from ..errors import ConfigurationError
from ..project_id import ProjectIdResolver
from .catalog import EnterpriseCatalog
from .client import EnterpriseClient, instances_for_sidebar, not_running, open_enterprise
from .models import Instance


class EnterpriseAccount:
    def __init__(self, client: SwrClient, resolver: ProjectIdResolver) -> None:
        self.client = client
        self.resolver = resolver
        self._enterprise: Optional[EnterpriseClient] = None
        self._catalogs: dict[str, EnterpriseCatalog] = {}
        self._opening = asyncio.Lock()  # the sidebar and --instance may both ask at start

    def __repr__(self) -> str:
        return f"EnterpriseAccount(project resolved={self._enterprise is not None})"

    async def enterprise(self) -> EnterpriseClient:
        """The Enterprise Edition client; ConfigurationError when no project id can be had."""
        async with self._opening:
            if self._enterprise is None:
                self._enterprise = await open_enterprise(self.client, self.resolver)
            return self._enterprise

    async def instances(self) -> tuple[Instance, ...]:
        """For the sidebar: none when there is no project id, no permission or no such API here."""
        try:
            enterprise = await self.enterprise()
        except ConfigurationError:
            return ()
        found = await instances_for_sidebar(enterprise)
        for instance in found:
            known = self._catalogs.get(instance.id)
            if known is None or known.instance != instance:
                self._catalogs[instance.id] = EnterpriseCatalog(enterprise, instance)
        return found

    async def open(self, name_or_id: str) -> EnterpriseCatalog:
        """The instance ``--instance`` names, by id or name; it must be Running."""
        enterprise = await self.enterprise()
        instance = await enterprise.open_instance(name_or_id)
        catalog = EnterpriseCatalog(enterprise, instance)
        self._catalogs[instance.id] = catalog
        return catalog

    async def catalog(self, instance_id: str) -> EnterpriseCatalog:
        """The catalog of an instance the sidebar listed (or ``open`` opened); read once otherwise."""
        known = self._catalogs.get(instance_id)
        if known is not None:
            if not known.instance.running:
                raise not_running(known.instance)
            return known
        return await self.open(instance_id)
