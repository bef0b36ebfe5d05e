"""The app harness: every suite that drives SwrApp under Textual's Pilot starts it here.

``launch(app_or_client, ...)`` is the one launcher: an async context manager that builds the app
(from a client: fixed clock at the fake registry's anchor, ``environ={}``, a ``RecordingClipboard``)
or takes one built by the test, runs it under ``run_test(size=..., notifications=True)``, records
every toast as a ``Note`` and every string the app hands the terminal driver, and yields a settled
``AppUI``. ``AppUI`` is what a test drives and observes; a suite's own class extends it with what
only that suite needs and is passed as ``ui=``.

The app also gets recorders instead of the terminal's clipboard and the hand-over of the terminal
to a user command: ``RecordingClipboard`` and ``RecordingRunner``.
"""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Callable, Optional, TypeVar, Union

from pilot_support import poll_until, settle
from rich.console import Console
from textual.geometry import Region
from textual.widgets import Static

from swr_tui.commands import ExternalCommand
from swr_tui.fake import DEMO_TOKEN, FakeRegistry
from swr_tui.fake.dataset import DEFAULT_ANCHOR
from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.client import SwrClient
from swr_tui.swr.retry import RetryPolicy
from swr_tui.ui.app import SwrApp
from swr_tui.ui.clipboard import Clipboard
from swr_tui.ui.widgets.catalog import RepositoryEntry

ANCHOR = DEFAULT_ANCHOR  # the fake registry's data time, also the apps' clock
ENDPOINT = "https://swr-api.tests.invalid"  # the in-process clients' (nothing listens there)
WIDE = (160, 48)
SETTLE_TIMEOUT_S = 15.0  # a settle that takes longer is a hang, even on a loaded 2-core machine

FACT_LABELS = (
    "Tag",
    "Digest",
    "Image ID",
    "Size",
    "Created",
    "Updated",
    "Pull",
    "Internal",
    "Schema",
    "Type",
    "Trusted",
    "Pulled",
)
_FACT_LINE = re.compile(r"^({})\s+(.*)$".format("|".join(re.escape(label) for label in FACT_LABELS)))


class RecordingClipboard(Clipboard):
    """The real clipboard (OSC 52 to the terminal, the local one where plausible), and a record of
    every text the app copied, in order."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        super().__init__(environ)
        self.copied: list[str] = []

    def copy(self, text, write, in_background) -> None:  # type: ignore[no-untyped-def]
        self.copied.append(text)
        super().copy(text, write, in_background)


class RecordingRunner:
    """Runs no command: records each command line and answers with ``status``."""

    def __init__(self, status: Optional[int] = 0) -> None:
        self.status = status
        self.ran: list[tuple[list[str], ExternalCommand]] = []

    def __call__(self, argv: Sequence[str], command: ExternalCommand) -> Optional[int]:
        self.ran.append((list(argv), command))
        return self.status


@dataclass(frozen=True)
class Note:
    """One toast the app raised, as it asked for it (before any markup or wrapping)."""

    message: str
    title: str
    severity: str

    @property
    def text(self) -> str:
        return f"{self.title}: {self.message}" if self.title else self.message


def plain(renderable: Any, width: int = 240) -> str:
    """A Rich renderable as plain text, wide enough that nothing wraps."""
    console = Console(width=width, color_system=None, record=True, file=io.StringIO())
    console.print(renderable)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


def client_for(registry: FakeRegistry, endpoint: str = ENDPOINT, over_loopback: bool = False) -> SwrClient:
    """A client without retries; in process unless ``endpoint`` is a served registry's URL."""
    transport = None if over_loopback else registry.transport()
    return SwrClient(endpoint, TokenAuth(DEMO_TOKEN), transport=transport, retry=RetryPolicy(retries=0))


def build_app(
    client: SwrClient,
    *,
    app_class: type[SwrApp] = SwrApp,
    environ: Optional[Mapping[str, str]] = None,
    **options: Any,
) -> SwrApp:
    """The app as every suite builds it: the anchor as its clock, ``environ={}`` and a recording
    clipboard unless the options say otherwise."""
    environ = {} if environ is None else environ
    options.setdefault("clock", lambda: ANCHOR)
    options.setdefault("clipboard", RecordingClipboard(environ))
    return app_class(client, environ=environ, **options)


class AppUI:
    """One running app, its pilot, and what can be observed about it."""

    settle_timeout_s = SETTLE_TIMEOUT_S

    def __init__(self, app: SwrApp) -> None:
        self.app = app
        self.pilot: Any = None  # the launcher's, once the app runs
        self.notes: list[Note] = []
        self.written: list[str] = []  # every string the app handed the terminal driver
        # Worker groups settle() does not wait for, e.g. "reveal" while it waits for namespaces
        # that failed to load (it goes on once they do).
        self.unawaited_groups: set[str] = set()

    # -- driving ------------------------------------------------------------------------------

    async def settle(self, unawaited: Collection[str] = ()) -> None:
        """Until no worker runs (but those of the unawaited groups) and the message queues are empty
        (timers are not waited for), then the layout of what the last messages changed."""
        await settle(self.app, self.pilot, {*self.unawaited_groups, *unawaited}, self.settle_timeout_s)
        await self.pilot.pause()

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.settle()

    async def wait_until(self, condition: Callable[[], bool], timeout: float = SETTLE_TIMEOUT_S) -> None:
        """For what a timer starts (the filter's debounce, the palette's search): poll, then settle.
        As long as a settle may take: what follows a rest timer (a repository's summary) took over
        5 s on a loaded machine."""
        await poll_until(self.pilot, condition, timeout)
        await self.settle()

    # -- observing ----------------------------------------------------------------------------

    @property
    def copied(self) -> list[str]:
        """Every text the app copied, in order."""
        clipboard = self.app.system_clipboard
        assert isinstance(clipboard, RecordingClipboard)
        return clipboard.copied

    @property
    def clipboard_writes(self) -> list[str]:
        """What the app wrote to the terminal for the clipboard: OSC 52, plain or in a DCS passthrough
        (Textual itself also writes, e.g. OSC 22 to set the pointer shape when a screen changes)."""
        return [data for data in self.written if data.startswith(("\x1b]52;", "\x1bP"))]

    @property
    def status(self) -> str:
        return str(self.app.browser.query_one("#status", Static).content)

    def detail_text(self, widget_id: str) -> str:
        """What a detail pane (``detail-facts``, ``detail-summary``...) holds, unwrapped."""
        return plain(self.app.browser.query_one(f"#{widget_id}", Static).content)

    def drawn_text(self, widget_id: str) -> str:
        """What a detail pane draws, line by line, as wide as it is on screen."""
        widget = self.app.browser.query_one(f"#{widget_id}", Static)
        width, height = widget.region.size
        if width <= 0 or height <= 0:
            return ""
        return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))

    def facts(self) -> dict[str, str]:
        """The detail pane's facts, label -> value."""
        found = {}
        for line in self.detail_text("detail-facts").splitlines():
            match = _FACT_LINE.match(line)
            if match:
                found[match.group(1)] = match.group(2).strip()
        return found

    def facts_text(self) -> str:
        return self.drawn_text("detail-facts")

    def summary_text(self) -> str:
        return self.drawn_text("detail-summary")

    def toast_texts(self) -> list[str]:
        """The toasts on screen (Textual shows them on the active screen only)."""
        return [str(toast.render()) for toast in self.app.screen.query("Toast")]

    def namespace_node(self, name: str) -> Any:
        node = self.app.catalog.namespace_node(name)
        assert node is not None, f"no namespace {name!r} in the tree"
        return node

    def repository_node(self, namespace: str, name: str) -> Any:
        for child in self.namespace_node(namespace).children:
            if isinstance(child.data, RepositoryEntry) and child.data.repository.name == name:
                return child
        raise AssertionError(f"no repository {namespace}/{name!r} in the tree")


UI = TypeVar("UI", bound=AppUI)


@asynccontextmanager
async def launch(
    app_or_client: Union[SwrApp, SwrClient],
    ui: Callable[[SwrApp], UI] = AppUI,  # type: ignore[assignment]
    *,
    size: tuple[int, int] = WIDE,
    unawaited: Collection[str] = (),
    **app_options: Any,
) -> AsyncIterator[UI]:
    """Run the app (``app_or_client`` itself, or ``build_app(client, **app_options)``) and yield
    ``ui(app)`` once it settled. A given app without a recording clipboard gets one."""
    if isinstance(app_or_client, SwrApp):
        assert not app_options, "options are for an app the harness builds"
        app = app_or_client
        if not isinstance(app.system_clipboard, RecordingClipboard):
            app.system_clipboard = RecordingClipboard(app.environ)
    else:
        app = build_app(app_or_client, **app_options)
    driven = ui(app)
    driven.unawaited_groups.update(unawaited)
    original_notify = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        title, severity = kwargs.get("title", ""), kwargs.get("severity", "information")
        driven.notes.append(Note(str(message), str(title), str(severity)))
        original_notify(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=size, notifications=True) as pilot:
        driven.pilot = pilot
        driver = app._driver
        assert driver is not None
        driver.write = driven.written.append  # type: ignore[method-assign]
        await driven.settle()
        yield driven
