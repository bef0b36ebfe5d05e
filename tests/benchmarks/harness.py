"""Shared plumbing for the in-process benchmarks: the fake registry over loopback HTTP with latency,
a client on it, the app at 120x40, and a probe that timestamps the frame in which text appears.

Headless Textual still composes every frame (it only skips the write to the terminal), so the probe
wraps ``App._display``: each composed update is turned into the bytes a terminal would get and
searched for the text.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator
from typing import Any, Callable, Optional

from swr_tui.fake import DEMO_TOKEN, FakeRegistry
from swr_tui.fake.loopback import RunningServer
from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.client import SwrClient
from swr_tui.ui.app import SwrApp
from swr_tui.ui.tag_pages import PageCache
from swr_tui.ui.widgets.tag_table import SCROLL_SETTLE_S, TagTable

SIZE = (120, 40)
TAGS_ROUTE = "tags"
ENVIRON = {"TERM": "xterm-256color", "COLORTERM": "truecolor"}


@contextlib.contextmanager
def served_registry(latency_ms: float) -> Iterator[tuple[FakeRegistry, RunningServer]]:
    registry = FakeRegistry(seed=0, latency_ms=latency_ms)
    with registry.serve() as server:
        yield registry, server


def make_client(url: str) -> SwrClient:
    return SwrClient(url, TokenAuth(DEMO_TOKEN))


def make_app(client: SwrClient, repository: Optional[str] = None) -> SwrApp:
    return SwrApp(client, label="benchmark", repository=repository, environ=ENVIRON, page_size=100)


class FrameProbe:
    """Timestamps (perf_counter) the first composed frame after ``expect`` that contains ``text``."""

    def __init__(self, app: SwrApp) -> None:
        self.app = app
        self.frames = 0
        self._text: Optional[str] = None
        self._ready: Optional[Callable[[], bool]] = None
        self._seen: Optional[asyncio.Future[float]] = None
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None or app._batch_count:
                return
            self.frames += 1
            self._check(renderable)

        app._display = display  # type: ignore[method-assign]

    def expect(self, text: str, ready: Optional[Callable[[], bool]] = None) -> None:
        """Watch for ``text`` in frames composed from now on (once ``ready()`` holds, if given)."""
        self._text = text
        self._ready = ready
        self._seen = asyncio.get_running_loop().create_future()

    def _check(self, renderable: Any) -> None:
        seen = self._seen
        if seen is None or seen.done() or self._text is None:
            return
        if self._ready is not None and not self._ready():
            return
        if self._text in renderable.render_segments(self.app.console):
            seen.set_result(time.perf_counter())

    async def wait(self, timeout_s: float = 15.0) -> float:
        assert self._seen is not None, "call expect() first"
        try:
            return await asyncio.wait_for(asyncio.shield(self._seen), timeout_s)
        except asyncio.TimeoutError:
            raise TimeoutError(f"no frame showed {self._text!r} within {timeout_s:g} s") from None


async def settle(table: TagTable, quiet_s: float = SCROLL_SETTLE_S + 0.15, timeout_s: float = 15.0) -> None:
    """Wait until no page is on its way and the scroll-settle timer has had time to fire."""
    deadline = time.perf_counter() + timeout_s
    while True:
        await asyncio.sleep(quiet_s)
        cache = table.cache
        if cache is None or not cache.pending:
            await asyncio.sleep(0.02)
            if cache is None or not cache.pending:
                return
        if time.perf_counter() > deadline:
            raise TimeoutError("the tag table never settled")


def page_loaded(table: TagTable, page: int, repository: Optional[str] = None) -> Callable[[], bool]:
    def ready() -> bool:
        cache: Optional[PageCache] = table.cache
        if cache is None or page not in cache.pages:
            return False
        return repository is None or cache.query.full_name == repository

    return ready


def visible_pages(table: TagTable) -> set[tuple[Any, int]]:
    """(query, page) for every page with a row in the viewport."""
    cache = table.cache
    if cache is None or not cache.total:
        return set() if cache is None else {(cache.query, 0)}
    first = int(table.scroll_offset.y)
    last = min(first + max(1, table.size.height - 1) - 1, cache.row_count - 1)
    return {(cache.query, page) for page in range(cache.page_of(first), cache.page_of(last) + 1)}


def tag_requests(registry: FakeRegistry, since: int = 0) -> list[Any]:
    return [request for request in registry.requests[since:] if request.route == TAGS_ROUTE]
