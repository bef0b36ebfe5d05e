"""The Textual application: sidebar, virtual tag table, detail pane, copy keys, help and palette."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Optional

from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Horizontal, Vertical
from textual.filter import LineFilter
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Static
from textual.worker import Worker, get_current_worker

from ..safe_text import scrub
from ..swr.client import SwrClient
from ..swr.errors import AuthenticationError, InvalidFilterValue, NotFoundError, SwrError
from ..swr.models import Tag
from ..swr.paging import filter_string
from . import browser_actions, clipboard, theme, zoom
from .footer import FittingFooter
from .quit_key import ASK_AGAIN, SECOND_PRESS_WINDOW_S, QuitKey
from .source import RegistrySource
from .status_line import status_text
from .table_state import DiffMark, TableStatus
from .tag_facts import CopyChoice
from .tag_pages import TagQuery
from .watch import TagWatch
from .widgets.catalog import CatalogSource, CatalogTree
from .widgets.json_view import ManifestView
from .widgets.tag_detail import TagDetail
from .widgets.tag_table import TagTable
from .worker_errors import WorkerFailed, failure_of

if TYPE_CHECKING:
    from ..commands import ExternalCommand
    from ..settings.profiles import Switcher
    from .screens.profiles import Switched

FILTER_DEBOUNCE_S = 0.3
DEFAULT_WATCH_INTERVAL_S = 30.0
NARROW_WIDTH = 120
Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _go_to_provider() -> type[Provider]:
    """The palette's provider, imported when the palette first opens."""
    from .commands import GoToProvider

    return GoToProvider


class SwrApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "swr-tui"
    COMMANDS: ClassVar = App.COMMANDS | {_go_to_provider}
    NOTIFICATION_TIMEOUT = 4
    # Every screen gets -narrow below NARROW_WIDTH columns, at every resize (app.tcss stacks the panes):
    # Textual applies these from the resize event itself, also to the screens under a modal one.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (NARROW_WIDTH, "-wide")]
    ALLOW_IN_MAXIMIZED_VIEW = zoom.KEPT_WHEN_ZOOMED
    ESCAPE_TO_MINIMIZE = False  # escape keeps its meaning while zoomed (back to the tags); z unzooms

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Keys"),
        Binding("slash", "filter", "Filter"),
        Binding("s", "sort", "Sort"),
        Binding("r", "reload", "Reload"),
        Binding("c", "copy('path')", "Copy pull"),
        Binding("i", "copy('internal')", "Copy internal", show=False),
        Binding("d", "copy('digest')", "Copy digest", show=False),
        Binding("y", "copy_menu", "Copy…"),
        Binding("t", "toggle_time", "UTC/local", show=False),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("ctrl+s", "export", "Export", show=False),
        Binding("space", "mark", "Mark for diff", show=False),
        Binding("equals_sign", "diff", "Diff with mark", show=False),
        Binding("w", "toggle_watch", "Watch", show=False),
        Binding("p", "switch_profile", "Profile", show=False),
        Binding("z", "zoom", "Zoom"),
    ]

    # The browser's own keys act on the main screen only: over help, the copy menu or a diff they
    # would change what is underneath without the user seeing it.
    BROWSER_ACTIONS = frozenset(
        {
            "filter",
            "sort",
            "reload",
            "copy",
            "copy_menu",
            "toggle_time",
            "clear_filter",
            "mark",
            "diff",
            "export",
            "toggle_watch",
            "switch_profile",
            "run_command",
            "zoom",
        }
    )

    def __init__(
        self,
        client: SwrClient,
        *,
        label: str = "",
        namespace: Optional[str] = None,
        repository: Optional[str] = None,
        insecure: bool = False,
        clock: Clock = _utc_now,
        environ: Optional[Mapping[str, str]] = None,
        page_size: int = 100,
        watch_interval_s: float = DEFAULT_WATCH_INTERVAL_S,
        commands: Sequence[ExternalCommand] = (),
        switcher: Optional[Switcher] = None,
        warnings: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.source = RegistrySource(client)  # every view reads the registry through it
        self.label = label
        self.insecure = insecure
        self.initial_namespace = namespace
        self.initial_repository = repository
        self.clock = clock
        self.environ = os.environ if environ is None else environ
        self.page_size = page_size
        self.watch_interval_s = watch_interval_s
        self.commands = tuple(commands)
        self.switcher = switcher
        self.start_warnings = tuple(warnings)  # settings warnings, also shown as toasts on start
        if self.commands:  # imported only when there are some: start-up time counts
            from .external import install_bindings

            install_bindings(self)
        self.sub_title = _header_line(label, insecure)
        self._filter_timer: Optional[Timer] = None
        self.copied: list[str] = []
        self.watcher = TagWatch(self)  # w: poll the listing's newest page (watch.py)
        self.quit_key = QuitKey()
        if theme.few_colours(self.environ):
            self.theme = theme.FEW_COLOURS_THEME

    def get_line_filters(self) -> Sequence[LineFilter]:
        return theme.readable_filters(super().get_line_filters(), self.native_ansi_color)

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="⎈")
        with Horizontal(id="main"):
            source = self.source
            yield CatalogTree(
                CatalogSource(source.namespaces, source.repositories, source.shared), id="catalog"
            )
            with Vertical(id="center"):
                yield Input(
                    placeholder="filter tags by name (server-side) · enter keeps · escape clears", id="filter"
                )
                table = TagTable(self.source.tags, page_size=self.page_size, clock=self.clock, id="tags")
                yield table
                yield Static(status_text(TableStatus(None, 0, None, True, False, None)), id="status")
            # The table's digest index, then each change of it with TagTable.DigestsChanged.
            yield TagDetail(clock=self.clock, digests=table.digests, id="detail")
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
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    def on_resize(self) -> None:
        self.call_after_refresh(self.refresh_status)  # what fits on the status line depends on the width

    def on_mount(self) -> None:
        for warning in self.start_warnings:
            self.say(scrub(warning), title="Warning", severity="warning", timeout=10)
        self.catalog.load_namespaces()
        if self.initial_repository:
            namespace, _, name = self.initial_repository.partition("/")
            self.open_repository(namespace, name)
            self._reveal_in_catalog(namespace, name)
        elif self.initial_namespace:
            self.go_to_namespace(self.initial_namespace)
        else:
            self.catalog.focus()

    async def on_unmount(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()  # a debounce due after exit would find no table
        await self.source.drop_early()
        await self.client.aclose()

    @property
    def client(self) -> SwrClient:
        return self.source.client

    def on_load(self) -> None:
        """Ask for what the first screen shows while the screen is still being built."""
        opening = None
        if self.initial_repository:
            namespace, _, name = self.initial_repository.partition("/")
            opening = TagQuery(namespace, name)
        self.source.start_early(opening, self.page_size)

    # -- navigation ---------------------------------------------------------------------------

    def open_repository(self, namespace: str, repository: str) -> None:
        current = self.table.query
        if current is not None and (current.namespace, current.repository) == (namespace, repository):
            self.table.focus()
            return
        self._set_filter_text("")
        self.table.show(TagQuery(namespace, repository))
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

    def action_focus(self, widget_id: str) -> None:
        self.query_one(f"#{widget_id}").focus()

    def action_zoom(self) -> None:
        zoom.toggle_zoom(self.screen)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        zoom.follow_focus(event.widget.screen, event.widget)

    # -- table events -------------------------------------------------------------------------

    @on(CatalogTree.RepositoryChosen)
    def _repository_chosen(self, event: CatalogTree.RepositoryChosen) -> None:
        self.open_repository(event.repository.namespace, event.repository.name)

    @on(TagTable.Highlighted)
    def _tag_highlighted(self, event: TagTable.Highlighted) -> None:
        """The detail pane follows the cursor: the tag, or why there is none."""
        if event.query != self.table.query:
            return
        state = event.state
        if state.tag is not None:
            self.detail.show_tag(state.tag)
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
        self.query_one(ManifestView).focus()

    @on(TagTable.StatusChanged)
    def _status_changed(self, event: TagTable.StatusChanged) -> None:
        self.watcher.follow(event.status.query)
        self.catalog.learn_tag_count(event.status)
        self.refresh_status(event.status)

    @on(TagTable.LoadFailed)
    def _tags_failed(self, event: TagTable.LoadFailed) -> None:
        self.report_error(event.error)

    @on(CatalogTree.LoadFailed)
    def _catalog_failed(self, event: CatalogTree.LoadFailed) -> None:
        self.report_error(event.error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers: a bug shows as a toast, never as a traceback."""
        error = failure_of(event)
        if error is not None:
            self._worker_failed(error)

    @on(WorkerFailed)
    def _widget_worker_failed(self, event: WorkerFailed) -> None:
        """A widget's or a screen's worker: shown as the app's own are."""
        self._worker_failed(event.error)

    def _worker_failed(self, error: BaseException) -> None:
        if isinstance(error, SwrError):
            self.report_error(error)
        else:
            self.say(
                f"{type(error).__name__}: {scrub(str(error))[:200]}",
                title="Unexpected error",
                severity="error",
            )

    def say(self, message: str, **options: Any) -> None:
        """Every toast goes through here: registry text in a message is never read as markup."""
        self.notify(message, markup=False, **options)

    def report_error(self, error: SwrError) -> None:
        title = "Check the credentials" if isinstance(error, AuthenticationError) else "Registry error"
        self.say(scrub(str(error)), title=title, severity="error", timeout=8)

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
        if not self.query(TagTable):  # the app is closing
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
        order = "asc" if query.order == "desc" else "desc"
        self.table.show(replace(query, order=order), keep_highlighted=True)
        self.say(f"Sorted {replace(query, order=order).order_label}", timeout=2)

    def action_reload(self) -> None:
        if self.table.query is None:
            self.catalog.action_reload()
        else:
            self.table.reload()

    def action_toggle_time(self) -> None:
        utc_first = self.detail.toggle_time_zone()
        self.say("Times in UTC first" if utc_first else "Times in local time first", timeout=2)

    def action_help(self) -> None:
        from .screens.help import HelpScreen  # screens load when first opened: a faster start

        self.push_screen(HelpScreen())

    def action_help_quit(self) -> None:
        """ctrl+c with nothing to copy (quit_key.py): the first asks, a second soon after quits."""
        if self.quit_key.press():
            self.exit()
        else:
            self.say(ASK_AGAIN, timeout=SECOND_PRESS_WINDOW_S)

    def on_key(self, event: events.Key) -> None:
        # Over a modal screen the app's bindings do not run, so ctrl+c bubbles up to here unhandled.
        if event.key == "ctrl+c" and self.screen.is_modal:
            event.stop()
            self.action_help_quit()

    # -- copying ------------------------------------------------------------------------------

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
        self.copy_text(choice.text, choice.label)

    def copy_text(self, text: str, what: str) -> None:
        self.copy_to_clipboard(text)
        self.copied.append(text)
        self.say(scrub(text), title=f"Copied {what}", timeout=3)

    def copy_to_clipboard(self, text: str) -> None:
        """OSC 52 (plain, plus tmux/screen passthrough), and the local clipboard where there is one."""
        self._clipboard = text
        driver = self._driver
        if driver is not None:
            for sequence in clipboard.clipboard_sequences(text, self.environ):
                driver.write(sequence)
        if clipboard.local_clipboard_plausible(self.environ):
            self.run_worker(
                partial(clipboard.copy_locally, text), thread=True, group="clipboard", exit_on_error=False
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> Optional[bool]:
        return not (action in self.BROWSER_ACTIONS and self.screen is not self.screen_stack[0])

    # -- same digest --------------------------------------------------------------------------

    def action_digest_search(self) -> None:
        browser_actions.digest_search(self)

    # -- export -------------------------------------------------------------------------------

    def action_export(self) -> None:
        browser_actions.export(self)

    # -- diff ---------------------------------------------------------------------------------

    @property
    def marked(self) -> Optional[DiffMark]:
        """The tag marked for a diff (the table shows it and drops it when another repository opens)."""
        return self.table.diff_mark

    def action_mark(self, across_repositories: bool = False) -> None:
        browser_actions.mark(self, across_repositories)

    def refresh_status(self, status: Optional[TableStatus] = None) -> None:
        line = self.query_one("#status", Static)
        watch = self.watcher.label()
        text = status_text(status or self.table.status(), self.marked, watch, line.content_region.width)
        line.update(text)

    def action_toggle_watch(self) -> None:
        self.watcher.toggle()

    def action_diff(self) -> None:
        browser_actions.diff(self)

    @work(thread=True, group="tag-diff", exclusive=True, exit_on_error=False)
    def open_diff(self, title: str, left: Tag, right: Tag) -> None:
        """Parsing two big manifests and diffing them is CPU work: off the UI thread."""
        from ..swr.diff import diff_tags
        from ..swr.manifest import parse_manifest

        result = diff_tags(left, parse_manifest(left.manifest), right, parse_manifest(right.manifest))
        if get_current_worker().is_cancelled:  # another diff, a switch or quitting came first
            return
        self.call_from_thread(self._show_diff, title, result)

    def _show_diff(self, title: str, result: Any) -> None:
        from .screens.diff import DiffScreen

        self.push_screen(DiffScreen(title, result))

    # -- external commands --------------------------------------------------------------------

    def action_run_command(self, name: str) -> None:
        from .external import run_command

        run_command(self, name)

    # -- profiles and regions -----------------------------------------------------------------

    def action_switch_profile(self) -> None:
        if self.switcher is None:
            self.say("Switching needs a registry connection", severity="warning")
            return
        from .screens.profiles import ProfileScreen

        self.push_screen(ProfileScreen(self.switcher), self._switched)

    def _switched(self, switched: Optional[Switched]) -> None:
        """Move everything to the new connection: the old one's views and requests are dropped."""
        if switched is None or self.switcher is None:
            return
        connection = switched.connection
        self.switcher.accept(connection)
        previous = self.table.query
        self.label, self.insecure = connection.label, connection.insecure
        self.sub_title = _header_line(self.label, self.insecure)
        for group in ("reveal", "tag-diff"):
            self.workers.cancel_group(self, group)
        self.catalog.workers.cancel_node(self.catalog)
        self.watcher.follow(None)  # a poll in flight went to the old registry: drop it
        self._set_filter_text("")
        self.table.clear()
        self.detail.show_tag(None, "Choose a repository.")
        old_client = self.source.reconnect(connection.client, switched.namespaces)
        self.catalog.load_namespaces()
        self.run_worker(old_client.aclose(), group="close-client", exit_on_error=False)
        self.say(scrub(connection.label), title="Switched", timeout=4)
        for warning in connection.warnings:
            self.say(scrub(warning), title="Warning", severity="warning", timeout=8)
        if previous is not None:
            self._reopen_after_switch(previous.namespace, previous.repository)
        else:
            self.catalog.focus()

    @work(group="reveal", exclusive=True, exit_on_error=False)
    async def _reopen_after_switch(self, namespace: str, repository: str) -> None:
        """Comparing regions is the common case: stay on the same repository when it exists there
        (asked for by name: it may be beyond the first page of the namespace)."""
        try:
            found = await self.client.list_repositories(namespace, name=repository)
            exists = any(repo.name == repository for repo in found.items)
        except NotFoundError:  # no such namespace there
            exists = False
        except SwrError as error:
            self.report_error(error)
            self.catalog.focus()
            return
        if exists:
            self.open_repository(namespace, repository)
            await self.catalog.ensure_repositories(namespace)
            self.catalog.select_repository(namespace, repository)
        else:
            self.catalog.focus()
            self.say(f"{scrub(namespace)}/{scrub(repository)} is not in {scrub(self.label)}", timeout=5)

    # -- palette ------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from .commands import (
            browser_commands,
            with_our_help,
        )  # the palette's module: loaded when it first opens

        yield from with_our_help(super().get_system_commands(screen), self.action_help)
        yield from browser_commands(self)


def _header_line(label: str, insecure: bool) -> str:
    # The warning first: a narrow header cuts the end of the line, never this. The label may
    # carry a profile name from config.toml: scrubbed like registry text.
    return ("⚠ TLS NOT VERIFIED (--insecure) · " if insecure else "") + scrub(label)


def run_app(client: SwrClient, **options: Any) -> int:
    """The TUI until the user quits; ``options`` are SwrApp's (label, namespace, switcher...).

    The exit status: Textual's ``run()`` returns normally after an unhandled exception (it prints
    the traceback itself), leaving 1 in ``return_code``; a clean quit leaves None, i.e. 0.
    """
    app = SwrApp(client, **options)
    app.run()
    return app.return_code or 0
