"""Fixtures for the TUI tests: SwrApp on the fake registry, driven by Pilot, settled and observed.

``start(**app_options)`` is an async context manager yielding a ``UI``: the app harness's ``AppUI``
(``tests/app_harness.py``: the running app, its pilot, every byte the app wrote to the terminal
driver and every toast it raised) with the registry and the tag table's views. Apps get a fixed
clock (the fake registry's anchor), ``environ={}`` and TZ=UTC, so what they show is the same on
every machine. ``make_app`` builds an app the same way for the snapshot tests, which run it
themselves.
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any, Callable, Optional

import pytest
from app_harness import WIDE, AppUI, build_app, client_for, launch

from swr_tui.fake import FakeRegistry
from swr_tui.swr.client import SwrClient
from swr_tui.swr.models import Tag
from swr_tui.ui import clipboard
from swr_tui.ui.app import SwrApp
from swr_tui.ui.widgets.catalog import NamespaceEntry, RepositoryEntry
from swr_tui.ui.widgets.json_view import ManifestView

NARROW = (80, 24)


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


AppFactory = Callable[..., SwrApp]


@pytest.fixture
def make_app(registry: FakeRegistry) -> AppFactory:
    def make(*, client: Optional[SwrClient] = None, **options: Any) -> SwrApp:
        return build_app(client if client is not None else client_for(registry), **options)

    return make


class UI(AppUI):
    """The harness's view of a running app, with the registry and the tag table's views."""

    def __init__(self, app: SwrApp, registry: FakeRegistry) -> None:
        super().__init__(app)
        self.registry = registry

    async def highlight(self, name: str) -> Tag:
        """Move the table's cursor onto the fetched tag ``name`` (without key presses)."""
        self.app.table.cursor_row = self.rows().index(name)
        await self.settle()
        tag = self.app.table.highlighted_tag
        assert tag is not None
        assert tag.name == name
        return tag

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

    def tag_requests(self) -> list[dict[str, str]]:
        return [request.params for request in self.registry.requests if request.route == "tags"]

    def tag_offsets(self) -> list[int]:
        return [int(params["offset"]) for params in self.tag_requests()]

    def manifest_lines(self, count: int) -> list[str]:
        view = self.app.browser.query_one("#detail-manifest", ManifestView)
        return [view.render_line(y).text.rstrip() for y in range(count)]

    def tree_labels(self, node: Any = None) -> list[str]:
        node = self.app.catalog.root if node is None else node
        return [str(child.label) for child in node.children]

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
        driven = partial(UI, registry=registry)
        async with launch(make_app(**options), driven, size=size, unawaited=unawaited) as ui:
            yield ui

    return run
