"""The Textual application: the connection, settings, theme, clipboard, toasts and the browser screen.

Browsing itself (sidebar, tag table, details and their keys) is ``screens/browser.py``. The app shows
one ``BrowserScreen`` per connection, each in an app mode of its own: switching profile or region adds
a mode with a new screen and removes the old mode, and with its screen go its workers and timers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Optional

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.filter import LineFilter
from textual.screen import Screen
from textual.worker import Worker

from ..safe_text import scrub
from ..swr.client import SwrClient
from . import actions, theme, toasts
from .browsing import CommandRunner
from .clipboard import Clipboard
from .quit_key import ASK_AGAIN, SECOND_PRESS_WINDOW_S, QuitKey
from .screens.browser import DEFAULT_WATCH_INTERVAL_S, BrowserScreen, BrowserSettings, Opening
from .source import RegistrySource
from .tag_pages import TagQuery
from .worker_errors import WorkerFailed, failure_of

if TYPE_CHECKING:
    from ..commands import ExternalCommand
    from ..inspection.inspector import Inspector
    from ..settings.profiles import Switcher

NARROW_WIDTH = 120
Clock = Callable[[], datetime]


def _suspend_and_run(app: App[Any], argv: Sequence[str], command: ExternalCommand) -> Optional[int]:
    from .external import suspend_and_run  # with the first external command: start-up time counts

    return suspend_and_run(app, argv, command)


def breakpoint_classes(width: int, breakpoints: Sequence[tuple[int, str]]) -> dict[str, bool]:
    """Each breakpoint's class, on for the widest breakpoint ``width`` reaches, as Textual's Screen
    sets them on a Resize."""
    reached = [name for least, name in sorted(breakpoints, reverse=True) if width >= least][:1]
    return {name: name in reached for _, name in breakpoints}


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class SwrApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "swr-tui"
    NOTIFICATION_TIMEOUT = 4
    # Every screen gets -narrow below NARROW_WIDTH columns, at every resize (app.tcss stacks the panes):
    # Textual applies these from the resize event itself, also to the screens under a modal one.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_WIDTH, "-wide")]  # noqa: RUF012 - as Textual types it
    BINDINGS: ClassVar[list[BindingType]] = list(actions.bindings(actions.APP))

    def __init__(
        self,
        client: SwrClient,
        *,
        label: str = "",
        namespace: Optional[str] = None,
        repository: Optional[str] = None,
        instance: Optional[str] = None,
        insecure: bool = False,
        clock: Clock = _utc_now,
        environ: Optional[Mapping[str, str]] = None,
        page_size: int = 100,
        watch_interval_s: float = DEFAULT_WATCH_INTERVAL_S,
        commands: Sequence[ExternalCommand] = (),
        keys: Optional[Mapping[str, str]] = None,  # config.toml's [keys]
        switcher: Optional[Switcher] = None,
        warnings: Sequence[str] = (),
        clipboard: Optional[Clipboard] = None,
        command_runner: Optional[CommandRunner] = None,
        inspector: Optional[Inspector] = None,
        platform: Optional[str] = None,
    ) -> None:
        super().__init__()
        self.source = RegistrySource(client, inspector)  # the current connection's; each screen its own
        self.label, self.insecure = label, insecure
        self.environ = os.environ if environ is None else environ
        commands = tuple(commands)
        self.keymap, key_warnings = actions.resolve_keymap(
            keys or {}, {command.key: command.name for command in commands if command.key}
        )
        self.browsing = BrowserSettings(
            clock,
            self.keymap,
            page_size,
            watch_interval_s,
            commands,
            switcher=switcher,
            platform=platform,
        )
        self.opening = Opening(namespace, repository, instance=instance or "")
        self.start_warnings = (*warnings, *key_warnings)  # also shown as toasts on start
        self.system_clipboard = clipboard or Clipboard(self.environ)
        self.command_runner: CommandRunner = command_runner or partial(_suspend_and_run, self)
        self.sub_title = _header_line(label, insecure)
        self.quit_key = QuitKey()
        self._browsers = 0  # the modes made so far: each connection's screen has a mode of its own
        if theme.few_colours(self.environ):
            self.theme = theme.FEW_COLOURS_THEME

    def get_line_filters(self) -> Sequence[LineFilter]:
        return theme.readable_filters(super().get_line_filters(), self.native_ansi_color)

    def on_load(self) -> None:
        """Ask for what the first screen shows while the screen is still being built."""
        opening = None
        if self.opening.repository and not self.opening.instance:  # an instance is looked up first
            namespace, _, name = self.opening.repository.partition("/")
            opening = TagQuery(namespace, name)
        self.source.start_early(opening, self.browsing.page_size)

    def on_mount(self) -> None:
        self.set_keymap(dict(self.keymap.rebound))
        self._show_browser(self.opening)
        for warning in self.start_warnings:
            toasts.say(self, scrub(warning), title="Warning", severity="warning", timeout=10)

    async def on_unmount(self) -> None:
        await self.source.drop_early()
        await self.source.aclose()

    def _show_browser(self, opening: Opening) -> None:
        """A new browser screen for the current source, in a mode of its own; the previous mode (and
        its screen, workers and timers) goes."""
        previous = self.current_mode
        self._browsers += 1
        mode = f"browser-{self._browsers}"
        screen = BrowserScreen(self.source, self.browsing, self.command_runner, opening)
        # A new screen gets its styles from the current stylesheet when it mounts; marked as up to
        # date, it spares the two full re-parses of every CSS source switch_mode would otherwise do
        # for it (~20 ms before the first frame, issue 14). A pending theme change still refreshes.
        screen._css_update_count = self._css_update_count
        # The breakpoint class its first Resize would give it, given now: the screen is styled once
        # with it, not styled and then restyled whole when the Resize changes its classes.
        screen.update_classes(breakpoint_classes(self.size.width, self.HORIZONTAL_BREAKPOINTS), update=False)
        self.add_mode(mode, lambda: screen)
        self.switch_mode(mode)
        if previous != "_default":
            self.remove_mode(previous)

    @property
    def client(self) -> SwrClient:
        return self.source.client

    @property
    def browser(self) -> BrowserScreen:
        """The browser screen of the current connection (under any dialog open over it)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, BrowserScreen)
        return screen

    # The browser's parts, for tests and the palette: the current screen's.
    table = property(lambda self: self.browser.table)
    catalog = property(lambda self: self.browser.catalog)
    detail = property(lambda self: self.browser.detail)
    filter_input = property(lambda self: self.browser.filter_input)
    watcher = property(lambda self: self.browser.watcher)
    marked = property(lambda self: self.browser.marked)

    def open_repository(self, namespace: str, repository: str) -> None:
        self.browser.open_repository(namespace, repository)

    def go_to_namespace(self, namespace: str) -> Worker[None]:
        return self.browser.go_to_namespace(namespace)

    # -- failures and toasts ------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers: a bug shows as a toast, never as a traceback."""
        error = failure_of(event)
        if error is not None:
            toasts.report_failure(self, error)

    @on(WorkerFailed)
    def _widget_worker_failed(self, event: WorkerFailed) -> None:
        """A widget's or a screen's worker: shown as the app's own are."""
        toasts.report_failure(self, event.error)

    # -- keys of every screen -----------------------------------------------------------------

    def action_help(self) -> None:
        from .screens.help import HelpScreen  # screens load when first opened: a faster start

        self.push_screen(HelpScreen(self.keymap, self.browsing.commands))

    def action_help_quit(self) -> None:
        """ctrl+c with nothing to copy (quit_key.py): the first asks, a second soon after quits."""
        if self.quit_key.press():
            self.exit()
        else:
            toasts.say(self, ASK_AGAIN, timeout=SECOND_PRESS_WINDOW_S)

    def on_key(self, event: events.Key) -> None:
        # Over a modal screen the app's bindings do not run, so ctrl+c bubbles up to here unhandled.
        if event.key == "ctrl+c" and self.screen.is_modal:
            event.stop()
            self.action_help_quit()

    def copy_to_clipboard(self, text: str) -> None:
        """OSC 52 (plain, plus tmux/screen passthrough), and the local clipboard where there is one."""
        self._clipboard = text  # Textual's own copy (``App.clipboard``), as its copy_to_clipboard keeps
        self.system_clipboard.copy(text, self._write_to_terminal, self._copy_in_background)

    def _write_to_terminal(self, sequence: str) -> None:
        if self._driver is not None:
            self._driver.write(sequence)

    def _copy_in_background(self, copy: Callable[[], object]) -> None:
        self.run_worker(copy, thread=True, group="clipboard", exit_on_error=False)

    # -- profiles and regions -----------------------------------------------------------------

    @on(BrowserScreen.Switched)
    def _switched(self, event: BrowserScreen.Switched) -> None:
        """Move to the new connection: a new browser screen; the old one's views and requests go."""
        connection, reopen = event.switched.connection, event.reopen
        self.label, self.insecure = connection.label, connection.insecure
        self.sub_title = _header_line(self.label, self.insecure)
        old = self.source
        self.source = self.source.for_connection(connection)
        self.source.known_namespaces(event.switched.namespaces)
        # An Enterprise instance's repository belongs to this connection's instances: not reopened.
        if reopen is not None and reopen.instance:
            reopen = None
        repository = f"{reopen.namespace}/{reopen.repository}" if reopen is not None else None
        self._show_browser(Opening(repository=repository, after_switch=True, label=connection.label))
        self.run_worker(old.aclose(), group="close-client", exit_on_error=False)
        toasts.say(self, scrub(connection.label), title="Switched", timeout=4)
        for warning in connection.warnings:
            toasts.say(self, scrub(warning), title="Warning", severity="warning", timeout=8)

    # -- palette ------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from .commands import browser_commands, with_our_help  # the palette's: loaded when it opens

        yield from with_our_help(super().get_system_commands(screen), self.action_help)
        if isinstance(screen, BrowserScreen):
            yield from browser_commands(screen, self.keymap)


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
