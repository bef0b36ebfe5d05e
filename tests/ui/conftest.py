"""Fixtures for the TUI tests: SwrApp on the fake registry, driven by Pilot, settled and observed.

``start(**app_options)`` is an async context manager yielding a ``UI``: the running app, its pilot,
the registry, every byte the app wrote to the terminal driver and every toast it raised. Apps get a
fixed clock (the fake registry's anchor), ``environ={}`` and TZ=UTC, so what they show is the same
on every machine. ``make_app`` builds an app the same way for the snapshot tests, which run it
themselves.
"""

from __future__ import annotations

import io
import os
import re
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Optional

import pytest
from app_harness import RecordingClipboard
from pilot_support import poll_until, settle
from rich.console import Console
from textual.widgets import Static

from swr_tui.fake import DEMO_TOKEN, FakeRegistry
from swr_tui.fake.dataset import DEFAULT_ANCHOR
from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.client import SwrClient
from swr_tui.swr.models import Tag
from swr_tui.swr.retry import RetryPolicy
from swr_tui.ui import clipboard
from swr_tui.ui.app import SwrApp
from swr_tui.ui.widgets.catalog import NamespaceEntry, RepositoryEntry
from swr_tui.ui.widgets.json_view import ManifestView

ANCHOR: datetime = DEFAULT_ANCHOR  # the fake registry's data time, also the apps' clock
ENDPOINT = "https://swr-api.ui-tests.invalid"
WIDE = (160, 48)
NARROW = (80, 24)
SETTLE_TIMEOUT_S = 15.0

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
)
_FACT_LINE = re.compile(r"^({})\s+(.*)$".format("|".join(re.escape(label) for label in FACT_LABELS)))


def set_time_zone(zone: str) -> None:
    """The process's local time zone, until the test ends (``utc_time_zone`` restores it)."""
    os.environ["TZ"] = zone
    time.tzset()


@pytest.fixture(autouse=True)
def utc_time_zone() -> Iterator[None]:
    """Local time is UTC (the detail pane shows local times only when they differ); restored after."""
    saved = os.environ.get("TZ")
    set_time_zone("UTC")
    yield
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    time.tzset()


@pytest.fixture(autouse=True)
def _no_colour_override(monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR in the developer's shell would change every picture; the apps read it when built."""
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(autouse=True)
def local_copies(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the app hands to the local clipboard (pyperclip in a child): recorded, never run."""
    calls: list[str] = []

    def record(text: str, timeout: float = 3.0) -> Optional[str]:
        calls.append(text)
        return None

    monkeypatch.setattr(clipboard, "copy_locally", record)
    return calls


@pytest.fixture
def registry() -> FakeRegistry:
    return FakeRegistry(seed=0)


def client_for(registry: FakeRegistry, endpoint: str = ENDPOINT, over_loopback: bool = False) -> SwrClient:
    """A client without retries; in process unless ``endpoint`` is a served registry's URL."""
    transport = None if over_loopback else registry.transport()
    return SwrClient(endpoint, TokenAuth(DEMO_TOKEN), transport=transport, retry=RetryPolicy(retries=0))


AppFactory = Callable[..., SwrApp]


@pytest.fixture
def make_app(registry: FakeRegistry) -> AppFactory:
    def make(
        *, client: Optional[SwrClient] = None, environ: Optional[dict[str, str]] = None, **options: Any
    ) -> SwrApp:
        environ = {} if environ is None else environ
        options.setdefault("clipboard", RecordingClipboard(environ))
        return SwrApp(
            client if client is not None else client_for(registry),
            clock=lambda: ANCHOR,
            environ=environ,
            **options,
        )

    return make


@dataclass(frozen=True)
class Note:
    message: str
    title: str
    severity: str


def plain(renderable: Any, width: int = 240) -> str:
    """A Rich renderable as plain text, wide enough that nothing wraps."""
    console = Console(width=width, color_system=None, record=True, file=io.StringIO())
    console.print(renderable)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


class UI:
    """One running app and what can be observed about it."""

    def __init__(self, app: SwrApp, pilot: Any, registry: FakeRegistry) -> None:
        self.app = app
        self.pilot = pilot
        self.registry = registry
        self.written: list[str] = []
        self.notes: list[Note] = []
        # Worker groups settle() does not wait for, e.g. "reveal" while it waits for namespaces
        # that failed to load (it goes on once they do).
        self.unawaited_groups: set[str] = set()

    # -- driving ------------------------------------------------------------------------------

    async def settle(self) -> None:
        """Until no worker runs and the message queues are empty (timers are not waited for)."""
        await settle(self.app, self.pilot, self.unawaited_groups, SETTLE_TIMEOUT_S)

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """For what a timer starts (the filter's debounce, the palette's search): poll, then settle."""
        await poll_until(self.pilot, condition, timeout)
        await self.settle()

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.settle()

    async def highlight(self, name: str) -> Tag:
        """Move the table's cursor onto the fetched tag ``name`` (without key presses)."""
        self.app.table.cursor_row = self.rows().index(name)
        await self.settle()
        tag = self.app.table.highlighted_tag
        assert tag is not None
        assert tag.name == name
        return tag

    # -- observing ----------------------------------------------------------------------------

    @property
    def status(self) -> str:
        return str(self.app.browser.query_one("#status", Static).content)

    def rows(self) -> list[str]:
        """Tag names the table holds, in table order, up to the first row not fetched."""
        table = self.app.table
        names = []
        for row in range(table.total or 0):
            tag = table.cache.row(row) if table.cache else None
            if tag is None:
                break
            names.append(tag.name)
        return names

    def table_lines(self, first: int = 0, last: Optional[int] = None) -> list[str]:
        """What the tag table draws (header is line 0), right-stripped."""
        table = self.app.table
        end = table.size.height if last is None else last
        return [table.render_line(y).text.rstrip() for y in range(first, end)]

    @property
    def clipboard_writes(self) -> list[str]:
        """What the app wrote to the terminal for the clipboard: OSC 52, plain or in a DCS passthrough
        (Textual itself also writes, e.g. OSC 22 to set the pointer shape when a screen changes)."""
        return [data for data in self.written if data.startswith(("\x1b]52;", "\x1bP"))]

    def tag_requests(self) -> list[dict[str, str]]:
        return [request.params for request in self.registry.requests if request.route == "tags"]

    def tag_offsets(self) -> list[int]:
        return [int(params["offset"]) for params in self.tag_requests()]

    def facts(self) -> dict[str, str]:
        text = plain(self.app.browser.query_one("#detail-facts", Static).content)
        found = {}
        for line in text.splitlines():
            match = _FACT_LINE.match(line)
            if match:
                found[match.group(1)] = match.group(2).strip()
        return found

    def detail_text(self, widget_id: str) -> str:
        return plain(self.app.browser.query_one(f"#{widget_id}", Static).content)

    def manifest_lines(self, count: int) -> list[str]:
        view = self.app.browser.query_one("#detail-manifest", ManifestView)
        return [view.render_line(y).text.rstrip() for y in range(count)]

    def toast_texts(self) -> list[str]:
        return [str(toast.render()) for toast in self.app.screen.query("Toast")]

    def tree_labels(self, node: Any = None) -> list[str]:
        node = self.app.catalog.root if node is None else node
        return [str(child.label) for child in node.children]

    def namespace_node(self, name: str) -> Any:
        node = self.app.catalog.namespace_node(name)
        assert node is not None, f"no namespace {name} in the tree"
        return node

    def repository_node(self, namespace: str, name: str) -> Any:
        for child in self.namespace_node(namespace).children:
            if isinstance(child.data, RepositoryEntry) and child.data.repository.name == name:
                return child
        raise AssertionError(f"no repository {namespace}/{name} in the tree")

    def cursor_entry(self) -> Any:
        node = self.app.catalog.cursor_node
        return None if node is None else node.data

    def cursor_repository(self) -> Optional[str]:
        entry = self.cursor_entry()
        return entry.repository.full_name if isinstance(entry, RepositoryEntry) else None

    def cursor_namespace(self) -> Optional[str]:
        entry = self.cursor_entry()
        return entry.namespace.name if isinstance(entry, NamespaceEntry) else None


Start = Callable[..., Any]


@pytest.fixture
def start(registry: FakeRegistry, make_app: AppFactory) -> Start:
    """``async with start(repository="acme/webapp", size=NARROW) as ui:`` runs a settled app."""

    @asynccontextmanager
    async def run(
        *, size: tuple[int, int] = WIDE, unawaited: tuple[str, ...] = (), **options: Any
    ) -> AsyncIterator[UI]:
        app = make_app(**options)
        ui = UI(app, None, registry)
        ui.unawaited_groups.update(unawaited)
        original_notify = app.notify

        def notify(message: str, **kwargs: Any) -> None:
            title, severity = kwargs.get("title", ""), kwargs.get("severity", "information")
            ui.notes.append(Note(str(message), str(title), str(severity)))
            original_notify(message, **kwargs)

        app.notify = notify  # type: ignore[method-assign]
        async with app.run_test(size=size, notifications=True) as pilot:
            ui.pilot = pilot
            driver = app._driver
            assert driver is not None
            driver.write = ui.written.append  # type: ignore[method-assign]
            await ui.settle()
            yield ui

    return run
