"""The browser's Enterprise Edition, mixed into ``BrowserScreen``: the sidebar's instances, opening
straight into one (``--instance``), and the keys only an enterprise tag has an answer for.

Like ``governance_panes.py``, a mixin of plain handlers and helpers, so that the browser itself only
says where an enterprise repository opens. Everything is read through the screen's
``RegistrySource``, whose ``enterprise`` (an ``EnterpriseAccount``) is made here on first use: the
project id it needs comes from the same places as the quota line's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Optional

from ...safe_text import scrub
from ...swr.errors import SwrError
from ...swr.models import Tag
from .. import toasts
from ..tag_facts import format_time
from ..tag_pages import TagQuery
from ..widgets.artifact_section import ArtifactSection
from ..widgets.tag_rows import NEVER_PULLED

PULLED_FACT = "Pulled"  # the detail pane's row for an enterprise tag's last pull
# The manifest section of an enterprise tag: the instance's tag list carries no manifest, and the
# instance's registry is not read; what the instance tells of the image is in the other sections.
UNLISTED_MANIFEST = "not read: an instance's tag list carries none (the build history is under h)"

if TYPE_CHECKING:
    from ...swr.enterprise.account import EnterpriseAccount
    from ...swr.enterprise.models import Artifact, EnterpriseNamespace, Instance
    from ...swr.models import Repository
    from ...swr.paging import Page


class EnterprisePanes:
    """For ``BrowserScreen`` only (it uses its ``source``, ``catalog``, ``table``, ``opening``...)."""

    by_artifact = False  # A: an instance's repositories listed by artifact, not by tag

    def enterprise_account(self) -> EnterpriseAccount:
        screen: Any = self
        source = screen.source
        if source.enterprise is None:
            from ...swr.enterprise.account import EnterpriseAccount
            from ..quota_line import project_resolver

            resolver = project_resolver(screen.settings.switcher, screen.app.environ)
            source.enterprise = EnterpriseAccount(source.client, resolver)
        account: EnterpriseAccount = source.enterprise
        return account

    def enterprise_loaders(self) -> dict[str, Any]:
        """The sidebar's ``CatalogSource`` arguments for the *Enterprise instances* folder."""
        return {
            "instances": self._instances,
            "instance_namespaces": self._instance_namespaces,
            "instance_repositories": self._instance_repositories,
        }

    async def _instances(self) -> tuple[Instance, ...]:
        return await self.enterprise_account().instances()

    async def _instance_namespaces(
        self, instance: Instance, offset: int, limit: int
    ) -> Page[EnterpriseNamespace]:
        catalog = await self.enterprise_account().catalog(instance.id)
        return await catalog.client.list_namespaces(instance.id, offset=offset, limit=limit)

    async def _instance_repositories(
        self, instance: Instance, namespace: str, offset: int, limit: int
    ) -> Page[Repository]:
        screen: Any = self
        source = screen.source
        result: Page[Repository] = await source.instance_repositories(instance.id, namespace, offset, limit)
        return result

    artifact_section: Optional[ArtifactSection] = None

    def on_mount(self) -> None:
        screen: Any = self
        screen.detail.extra_facts.append(self._pulled_fact)
        self.artifact_section = ArtifactSection(self._artifact, id="detail-artifact")
        screen.detail.query_one("#detail-info").mount(self.artifact_section)  # under the Config section

    def on_tag_table_highlighted(self, event: Any) -> None:
        screen: Any = self
        if self.artifact_section is not None and event.query == screen.table.query:
            self.artifact_section.show(event.query, event.state.tag)

    def governance_reload(self) -> None:
        """``r`` outside the sidebar: the highlighted tag's artifact too (then the governance panes')."""
        if self.artifact_section is not None:
            self.artifact_section.forget()
        super().governance_reload()  # type: ignore[misc]

    async def _artifact(self, query: TagQuery, tag: Tag) -> Artifact:
        screen: Any = self
        catalog = await screen.source.enterprise_catalog(query.instance)
        artifact: Artifact = await catalog.client.show_artifact(
            catalog.instance.id, query.namespace, query.repository, tag.digest
        )
        return artifact

    def _pulled_fact(self, tag: Tag) -> list[tuple[str, str]]:
        """An enterprise tag's last pull (the basic edition does not tell it)."""
        screen: Any = self
        query = screen.table.query
        if query is None or not query.instance:
            return []
        when = format_time(tag.pulled, screen.detail.utc_first, screen.clock()) if tag.pulled else "never"
        return [(PULLED_FACT, when)]

    # -- keys ---------------------------------------------------------------------------------------

    def action_toggle_pulled(self) -> None:
        screen: Any = self
        table = screen.table
        table.show_pulled = not table.show_pulled
        table.refresh()
        query = table.query
        if not table.show_pulled:
            screen.say("Pulled column hidden", timeout=2)
        elif query is not None and query.instance:
            screen.say("Pulled column shown: when each tag was last pulled", timeout=2)
        else:
            screen.say(
                "Pulled column shown: pull times come from the Enterprise Edition only, so basic "
                f"edition tags show {NEVER_PULLED}",
                timeout=4,
            )

    def action_toggle_artifacts(self) -> None:
        """``A``: an instance's listing by artifact (untagged ones too) or by tag; kept for the other
        repositories opened in an instance."""
        screen: Any = self
        query = screen.table.query
        if query is None or not query.instance:
            screen.say(
                "Listing by artifact is the Enterprise Edition's: open a repository under Enterprise "
                "instances (a basic edition repository lists its tags, which are its artifacts)",
                severity="warning",
                timeout=5,
            )
            return
        self.by_artifact = not query.artifacts
        screen.table.show(replace(query, artifacts=self.by_artifact))
        if self.by_artifact:
            screen.say(
                "By artifact: one row each, named by its first tag, or <untagged sha256:…> without one",
                timeout=3,
            )
        else:
            screen.say("By tag: one row per tag (untagged artifacts are not listed)", timeout=3)

    def action_vulnerabilities(self) -> None:
        screen: Any = self
        query, tag = screen.table.query, screen.table.highlighted_tag
        if query is None or tag is None:
            screen.say("No tag highlighted: open a repository and pick a tag", severity="warning")
            return
        if not query.instance:
            screen.say(
                "Vulnerability reports are the Enterprise Edition's: open a repository under "
                "Enterprise instances",
                severity="warning",
                timeout=5,
            )
            return
        if not tag.digest:
            screen.say("This tag has no digest recorded, so it has no report to read", severity="warning")
            return
        from .vulnerabilities import open_vulnerabilities

        source, digest = screen.source, tag.digest

        async def load() -> Any:
            catalog = await source.enterprise_catalog(query.instance)
            return await catalog.client.list_vulnerabilities(
                catalog.instance.id, query.namespace, query.repository, digest
            )

        open_vulnerabilities(screen.app, f"{query.full_name}:{tag.name}", load)

    # -- --instance ------------------------------------------------------------------------------

    def open_instance(self) -> None:
        """Open the screen's opening in its Enterprise instance (named by name or id)."""
        screen: Any = self
        screen.run_worker(self._open_instance(), group="reveal", exclusive=True, exit_on_error=False)

    async def _open_instance(self) -> None:
        from ..widgets.catalog_enterprise import reveal

        screen: Any = self
        opening = screen.opening
        try:
            catalog = await self.enterprise_account().open(opening.instance)
        except SwrError as error:
            toasts.report_error(screen, error)
            screen.catalog.focus()
            return
        instance = catalog.instance
        if opening.repository:
            namespace, _, name = opening.repository.partition("/")
            screen.open_repository(namespace, name, instance.id)
            await reveal(screen.catalog, instance.id, namespace, name)
            return
        screen.catalog.focus()
        if not await reveal(screen.catalog, instance.id, opening.namespace or "") and opening.namespace:
            where = f"{scrub(instance.name or instance.id)}"
            screen.say(f"No namespace named {scrub(opening.namespace)!r} in {where}", severity="warning")
