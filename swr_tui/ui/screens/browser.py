"""The browser: namespaces and repositories on the left, the tags of one repository, the details of the
highlighted tag, and every key that acts on them.

One screen per connection: switching profile or region replaces it with a new one (``Switched``, handled
by the app), so the old connection's workers, timers and watch end with the old screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Optional

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Static

from ...safe_text import scrub
from ...swr.errors import InvalidFilterValue
from ...swr.image_config import ImageConfig
from ...swr.models import Tag
from ...swr.paging import filter_string
from .. import actions, toasts, zoom
from ..actions import Keymap
from ..browsing import CommandRunner
from ..footer import FittingFooter
from ..frame_pacing import PacedFrames
from ..governance_panes import GovernancePanes
from ..retention_marks import RetentionMarks
from ..source import RegistrySource
from ..status_line import status_text
from ..table_state import DiffMark, TableStatus
from ..tag_facts import CopyChoice
from ..tag_pages import TagQuery
from ..watch import TagWatch
from ..widgets.catalog import CatalogSource, CatalogTree
from ..widgets.image_depth import ImageDepth
from ..widgets.json_view import ManifestView
from ..widgets.tag_detail import TagDetail
from ..widgets.tag_table import TagTable
from ..worker_errors import ReportsWorkerFailures

if TYPE_CHECKING:
    from textual.command import Provider  # the palette's module: imported when it first opens

    from ...commands import ExternalCommand
    from ...inspection.model import Signature
    from ...settings.profiles import Switcher
    from .profiles import Switched as SwitchedTo
from . import browser_actions
from .enterprise_panes import UNLISTED_MANIFEST, EnterprisePanes
from .platform_menu import choose_platform
from .start_order import StartOrder

FILTER_DEBOUNCE_S = 0.3
TOAST_CHARS = 200  # a copied text longer than this is cut in the toast (the clipboard gets it whole)
DEFAULT_WATCH_INTERVAL_S = 30.0


def _go_to_provider() -> type[Provider]:
    """The palette's go-to provider, imported when the palette first opens."""
    from ..commands import GoToProvider

    return GoToProvider


@dataclass(frozen=True)
class Opening:
    """Where the screen opens: a repository, a namespace, or the sidebar. ``after_switch``: the
    repository was open on the previous connection, and is opened only if it exists on this one."""

    namespace: Optional[str] = None
    repository: Optional[str] = None  # NS/REPO
    after_switch: bool = False
    label: str = ""  # the connection's, for "NS/REPO is not in LABEL"
    instance: str = ""  # --instance: the namespace or repository is in this Enterprise instance


@dataclass(frozen=True)
class BrowserSettings:
    """What every browser screen of the app shares, whatever the connection."""

    clock: Callable[[], datetime]
    keymap: Keymap
    page_size: int = 100
    watch_interval_s: float = DEFAULT_WATCH_INTERVAL_S
    commands: tuple[ExternalCommand, ...] = ()
    switcher: Optional[Switcher] = None  # p: other profiles and regions (None: no real connection)
    platform: Optional[str] = None  # --platform / [ui] platform: a list's platform shown first


class BrowserScreen(
    PacedFrames, StartOrder, EnterprisePanes, GovernancePanes, ReportsWorkerFailures, Screen[None]
):
    BINDINGS: ClassVar[list[BindingType]] = list(actions.bindings(actions.BROWSER))
    COMMANDS: ClassVar = {_go_to_provider}
    ALLOW_IN_MAXIMIZED_VIEW = zoom.KEPT_WHEN_ZOOMED
    ESCAPE_TO_MINIMIZE = False  # escape keeps its meaning while zoomed (back to the tags); z unzooms

    class Switched(Message):
        """``p`` connected elsewhere: the app replaces this screen with one on the new connection,
        which reopens ``reopen`` if that repository is there too."""

        def __init__(self, switched: SwitchedTo, reopen: Optional[TagQuery]) -> None:
            super().__init__()
            self.switched, self.reopen = switched, reopen

    def __init__(
        self,
        source: RegistrySource,
        settings: BrowserSettings,
        run_command_line: CommandRunner,
        opening: Opening = Opening(),
    ) -> None:
        super().__init__()
        self.source = source  # every view of this screen reads the registry through it
        self.settings = settings
        self.clock = settings.clock
        self.page_size = settings.page_size
        self.watch_interval_s = settings.watch_interval_s
        self.commands = settings.commands
        self.opening = opening
        self._run_command_line = run_command_line
        self._filter_timer: Optional[Timer] = None
        self._status_lines = 0  # line breaks in the status line: it needs a layout when they change
        self.watcher = TagWatch(self, self)  # w: poll the listing's newest page (watch.py)
        self.retention = RetentionMarks(self)  # the rule in words, the ⌫ marks, the reason (R: more)
        if self.commands:  # imported only when there are some: start-up time counts
            from ..external import command_bindings

            for binding in command_bindings(self.commands):
                self._bindings.bind(binding.key, binding.action, binding.description, show=False)

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="⎈")
        with Horizontal(id="main"):
            source = self.source
            yield CatalogTree(
                CatalogSource(
                    source.namespaces, source.repositories, source.shared, **self.enterprise_loaders()
                ),
                id="catalog",
                instances_later=self.after_first_page,
            )
            with Vertical(id="center"):
                yield Input(
                    placeholder="filter tags by name (server-side) · enter keeps · escape clears", id="filter"
                )
                table = TagTable(source.tags, page_size=self.page_size, clock=self.clock, id="tags")
                yield table
                yield Static(status_text(TableStatus(None, 0, None, True, False, None)), id="status")
            depth = ImageDepth(
                source.image,
                self._signatures,
                source.platforms,
                lambda platforms: source.default_platform(platforms, self.settings.platform),
                id="detail-depth",
            )
            # The table's digest index, then each change of it with TagTable.DigestsChanged.
            yield TagDetail(clock=self.clock, digests=table.digests, depth=depth, id="detail")
        yield FittingFooter()  # the most used keys first, none cut in half

    @property
    def catalog(self) -> CatalogTree:
        return self.query_one(CatalogTree)

    @property
    def table(self) -> TagTable:
        return self.query_one(TagTable)

    @property
    def detail(self) -> TagDetail:
        return self.query_one(TagDetail)

    @property
    def depth(self) -> ImageDepth:
        return self.query_one(ImageDepth)

    async def _signatures(self, query: TagQuery, tag: Tag) -> Sequence[Signature]:
        """The tag's signatures; the loaded signature tags naming its digest count as found."""
        known = [name for _, name, _ in self.table.digests.signers(tag.digest)]
        return await self.source.signatures(query, tag, known)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    def on_mount(self) -> None:
        self.catalog.load_namespaces()
        opening = self.opening
        if opening.instance:
            self.open_instance()
        elif opening.repository:
            namespace, _, name = opening.repository.partition("/")
            if opening.after_switch:
                self.run_worker(
                    browser_actions.reopen_after_switch(self, namespace, name, opening.label),
                    group="reveal",
                    exclusive=True,
                    exit_on_error=False,
                )
            else:
                self.open_repository(namespace, name)
                self._reveal_in_catalog(namespace, name)
        elif opening.namespace:
            self.go_to_namespace(opening.namespace)
        else:
            self.catalog.focus()

    def on_unmount(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()  # a debounce due after the screen went would find no table

    def on_resize(self) -> None:
        self.call_after_refresh(self.refresh_status)  # what fits on the status line depends on the width

    def say(self, message: str, **options: Any) -> None:
        toasts.say(self, message, **options)

    # -- navigation ---------------------------------------------------------------------------

    def open_repository(self, namespace: str, repository: str, instance: str = "") -> None:
        """``instance``: an Enterprise Edition instance's id ("" for the basic edition)."""
        query = TagQuery(
            namespace, repository, instance=instance, artifacts=bool(instance) and self.by_artifact
        )
        current = self.table.query
        if current is not None and current.same_repository(query):
            self.table.focus()
            return
        self._set_filter_text("")
        self.table.show(query)
        self.detail.show_tag(None, "Loading tags…")
        self.table.focus()

    @work(group="reveal", exclusive=True, exit_on_error=False)
    async def _reveal_in_catalog(self, namespace: str, repository: str) -> None:
        await self.catalog.ensure_repositories(namespace)
        self.catalog.select_repository(namespace, repository)

    @work(group="reveal", exclusive=True, exit_on_error=False)
    async def go_to_namespace(self, namespace: str) -> None:
        repos = await self.catalog.ensure_repositories(namespace)
        node = self.catalog.namespace_node(namespace)
        if node is None:
            self.say(f"No namespace named {scrub(namespace)!r} is visible", severity="warning")
            return
        self.catalog.move_cursor(node)
        self.catalog.focus()
        if not repos:
            self.say(f"Namespace {scrub(namespace)} has no repositories")

    def action_zoom(self) -> None:
        zoom.toggle_zoom(self)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        zoom.follow_focus(self, event.widget)

    # -- what the widgets say -----------------------------------------------------------------

    @on(CatalogTree.RepositoryChosen)
    def _repository_chosen(self, event: CatalogTree.RepositoryChosen) -> None:
        self.open_repository(event.repository.namespace, event.repository.name, event.instance)

    @on(TagTable.Highlighted)
    def _tag_highlighted(self, event: TagTable.Highlighted) -> None:
        """The detail pane follows the cursor: the tag, or why there is none."""
        if event.query != self.table.query:
            return
        state = event.state
        self.depth.show(event.query, state.tag)
        if state.tag is not None:
            self.detail.show_tag(state.tag, unlisted=UNLISTED_MANIFEST if event.query.instance else "")
        elif state.error is not None:
            why = scrub(str(state.error))
            self.detail.show_tag(None, f"Could not load this tag: {why} Press r to retry.")
        elif state.empty:
            self.detail.show_tag(None, "No tags in this view.")
        else:
            self.detail.show_tag(None, "Loading…")

    @on(TagTable.DigestsChanged)
    def _digests_changed(self, event: TagTable.DigestsChanged) -> None:
        self.detail.digests_changed(event.digests)  # tags sharing a digest may now be known

    @on(TagTable.Selected)
    def _tag_selected(self, event: TagTable.Selected) -> None:
        """Enter on a tag: its details; on a manifest list, which of its platforms first."""
        details, query, tag = self.query_one(ManifestView).focus, self.table.query, self.table.highlighted_tag
        title = f"{query.full_name}:{tag.name}" if query is not None and tag is not None else ""
        if not choose_platform(self.app, self.depth, title, then=details):
            details()

    @on(TagTable.StatusChanged)
    def _status_changed(self, event: TagTable.StatusChanged) -> None:
        self.watcher.follow(event.status.query)
        self.retention.follow(event.status.query)
        self.catalog.learn_tag_count(event.status)
        self.refresh_status(event.status)

    @on(TagTable.LoadFailed)
    def _tags_failed(self, event: TagTable.LoadFailed) -> None:
        toasts.report_error(self, event.error)

    @on(CatalogTree.LoadFailed)
    def _catalog_failed(self, event: CatalogTree.LoadFailed) -> None:
        toasts.report_error(self, event.error)

    def refresh_status(self, status: Optional[TableStatus] = None) -> None:
        line = self.query_one("#status", Static)
        watch = self.watcher.label()
        text = status_text(status or self.table.status(), self.marked, watch, line.content_region.width)
        lines = text.plain.count("\n")
        line.update(text, layout=lines != self._status_lines)  # same height: no layout on each move
        self._status_lines = lines

    # -- filter and sort ----------------------------------------------------------------------

    def action_filter(self) -> None:
        if self.table.query is None:
            self.say("Open a repository first", severity="warning")
            return
        self.filter_input.add_class("-visible")
        self.filter_input.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DEBOUNCE_S, self._apply_filter)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        if self._apply_filter():
            self.table.focus()

    def _apply_filter(self) -> bool:
        """Show the filtered view; False (and a toast saying why) for a value SWR cannot filter by."""
        if not self.is_attached:  # the screen is going
            return True
        query = self.table.query
        value = self.filter_input.value.strip()
        if query is not None and value != query.tag_filter:
            try:
                filter_string(tag=value)  # what the request would carry: "|" cannot travel
            except InvalidFilterValue as exc:
                self.say(scrub(str(exc)), title="Filter not applied", severity="warning")
                return False
            self.table.show(replace(query, tag_filter=value))
        return True

    def _set_filter_text(self, value: str) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        with self.filter_input.prevent(Input.Changed):
            self.filter_input.value = value
        if not value:
            self.filter_input.remove_class("-visible")

    def action_clear_filter(self) -> None:
        query = self.table.query
        was_filtering = self.filter_input.has_class("-visible")
        self._set_filter_text("")
        if query is not None and query.tag_filter:
            self.table.show(replace(query, tag_filter=""))
        if was_filtering or self.focused is self.filter_input:
            self.table.focus()

    def action_sort(self) -> None:
        query = self.table.query
        if query is None:
            return
        if query.instance:
            self.say("The Enterprise Edition lists tags newest first only", severity="warning", timeout=3)
            return
        order = "asc" if query.order == "desc" else "desc"
        self.table.show(replace(query, order=order), keep_highlighted=True)
        self.say(f"Sorted {replace(query, order=order).order_label}", timeout=2)

    def action_reload(self) -> None:
        self.governance_reload()  # the highlighted tag's Synced to and Deployed by
        if self.table.query is None:
            self.catalog.action_reload()
        else:
            self.table.reload()
            self.depth.forget()
            self.retention.forget(self.table.query)

    def action_toggle_time(self) -> None:
        utc_first = self.detail.toggle_time_zone()
        self.say("Times in UTC first" if utc_first else "Times in local time first", timeout=2)

    # -- the highlighted tag ------------------------------------------------------------------

    def action_copy(self, which: str) -> None:
        browser_actions.copy_value(self, which)

    def action_copy_menu(self) -> None:
        browser_actions.copy_menu(self)

    def copy_choice(self, choice: CopyChoice) -> None:
        """Copy a registry value, unless it is no well-formed reference: then nothing is copied."""
        refusal = choice.refusal
        if refusal is not None:
            self.say(refusal, title="Not copied", severity="error", timeout=8)
            return
        self.app.copy_to_clipboard(choice.text)
        shown = scrub(choice.text)
        if len(shown) > TOAST_CHARS:  # a .env or the labels can be megabytes
            shown = f"{shown[:TOAST_CHARS]} … ({len(choice.text):,} characters in all)"
        self.say(shown, title=f"Copied {choice.label}", timeout=3)

    def image_config(self) -> Optional[ImageConfig]:
        """The highlighted image's config, once loaded (the copy menu offers its env and labels)."""
        view, tag = self.depth.view, self.table.highlighted_tag
        if view is None or tag is None or self.depth.tag is not tag:
            return None
        return view.config

    def action_digest_search(self) -> None:
        browser_actions.digest_search(self)

    def action_export(self) -> None:
        browser_actions.export(self)

    @property
    def marked(self) -> Optional[DiffMark]:
        """The tag marked for a diff (the table shows it and drops it when another repository opens)."""
        return self.table.diff_mark

    def action_mark(self, across_repositories: bool = False) -> None:
        browser_actions.mark(self, across_repositories)

    def action_diff(self) -> None:
        browser_actions.diff(self)

    def open_diff(self, title: str, left: Tag, right: Tag) -> None:
        from .diff import diff_in_background

        diff_in_background(self, title, left, right)

    def action_history(self) -> None:
        view, tag, query = self.depth.view, self.table.highlighted_tag, self.table.query
        if tag is None or query is None:
            self.say("No tag highlighted: open a repository and pick a tag", severity="warning")
            return
        if view is None:
            self.say("The image's config is still loading (or failed: r retries)", severity="warning")
            return
        from .history import HistoryScreen

        self.app.push_screen(HistoryScreen(f"{query.full_name}:{tag.name}", view))

    def action_retention(self) -> None:
        from .retention import open_retention

        open_retention(self)

    def action_platform(self, delta: int) -> None:
        if self.depth.step_platform(delta) is None:
            self.say("The highlighted tag is no manifest list: it has one platform", timeout=3)

    def action_toggle_watch(self) -> None:
        self.watcher.toggle()

    def action_run_command(self, name: str) -> None:
        from ..external import run_command

        run_command(self, name)

    def run_command_line(self, argv: Sequence[str], command: ExternalCommand) -> Optional[int]:
        return self._run_command_line(argv, command)

    def action_switch_profile(self) -> None:
        switcher = self.settings.switcher
        if switcher is None:
            self.say("Switching needs a registry connection", severity="warning")
            return
        from .profiles import ProfileScreen

        def switched(to: Optional[SwitchedTo]) -> None:
            if to is not None:
                switcher.accept(to.connection)
                self.post_message(self.Switched(to, self.table.query))

        self.app.push_screen(ProfileScreen(switcher), switched)
