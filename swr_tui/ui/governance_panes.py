"""The browser's governance panes, mixed into ``BrowserScreen``: the quota line in the sidebar's foot,
a tag's *Synced to* and *Deployed by* under its Config section, and the repository summary the
detail pane shows while the sidebar has the focus on a repository.

A mixin of plain ``on_*`` handlers: Textual calls the handlers of every class of the screen's MRO,
so the browser's own handlers of the same messages still run, and the browser needs no more than
the mixin and one line in its reload. Everything they read goes through one ``GovernanceCache``
per screen, i.e. per connection, so the tag section and the summary share what they read.
"""

from __future__ import annotations

from typing import Any, Optional

from rich.text import Text
from textual import events
from textual.widgets import Tree

from .governance_cache import GovernanceCache
from .widgets.catalog import RepositoryEntry
from .widgets.repository_summary import SHOWING, RepositorySummary
from .widgets.tag_governance import TagGovernance

QUOTA_CLASS = "-quota"  # the sidebar's class while it shows the quota line (app.tcss)
QUOTA_MARGIN = 4  # the sidebar's border corners and the title's padding around the quota line


class GovernancePanes:
    """For ``BrowserScreen`` only (it uses its ``catalog``, ``table``, ``detail``, ``source``...)."""

    governance: Optional[GovernanceCache] = None
    tag_governance: Optional[TagGovernance] = None
    repository_summary: Optional[RepositorySummary] = None

    def on_mount(self) -> None:
        screen: Any = self
        self.governance = GovernanceCache(lambda: screen.source.client)
        self.tag_governance = TagGovernance(self.governance, screen.clock, id="detail-governance")
        self.repository_summary = RepositorySummary(self.governance, screen.clock, id="repository-summary")
        screen.detail.query_one("#detail-info").mount(self.tag_governance)  # under the Config section
        screen.detail.mount(self.repository_summary)
        screen.after_first_page(self._start_quota)  # the least urgent part of the screen (StartOrder)

    def on_tag_table_highlighted(self, event: Any) -> None:
        screen: Any = self
        if self.tag_governance is not None and event.query == screen.table.query:
            # Sync and triggers are the basic edition's: an enterprise tag has none of them.
            self.tag_governance.show(event.query, None if event.query.instance else event.state.tag)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Any]) -> None:
        self._follow_sidebar(None)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._follow_sidebar(event.widget)

    def _follow_sidebar(self, focused: Any) -> None:
        """The summary while the sidebar has the focus on a repository; else the tag's details."""
        screen: Any = self
        summary = self.repository_summary
        if summary is None:
            return
        focused = focused if focused is not None else screen.focused
        node = screen.catalog.cursor_node
        entry = node.data if node is not None else None
        if focused is screen.catalog and isinstance(entry, RepositoryEntry) and not entry.instance:
            summary.show(entry.repository)
            screen.detail.add_class(SHOWING)
        elif screen.detail.has_class(SHOWING):
            screen.detail.remove_class(SHOWING)
            summary.show(None)

    def governance_reload(self) -> None:
        """``r`` outside the sidebar: the highlighted tag's sections are read again."""
        if self.tag_governance is not None:
            self.tag_governance.forget()

    def on_catalog_tree_reload_asked(self, event: Any) -> None:
        """``r`` in the sidebar: the repository summary's sections are read again, as its list is."""
        screen: Any = self
        if self.repository_summary is not None and screen.detail.has_class(SHOWING):
            self.repository_summary.forget()

    # -- the quota line ---------------------------------------------------------------------------

    def _start_quota(self) -> None:
        screen: Any = self
        screen.run_worker(self._load_quota, group="quota", exit_on_error=False)

    async def _load_quota(self) -> None:
        from .quota_line import project_resolver, read_quota_line

        screen: Any = self
        resolver = project_resolver(screen.settings.switcher, screen.app.environ)
        catalog = screen.catalog
        line = await read_quota_line(screen.source.client, resolver, catalog.size.width - QUOTA_MARGIN)
        if line:
            catalog.border_subtitle = Text(line)
            catalog.add_class(QUOTA_CLASS)
