"""The retention marks in the TUI and the Retention screen's count, in process against the fake
registry over loopback HTTP.

- Marks per visible page: the tag table of acme/ci-builds (100,000 tags, rule: keep 50 newest with
  an exception) drawn at pages spread over the list, each drawn with the marks and without them
  (alternately, same run); the figure is the difference. Requests are counted: one for the rules,
  and none per page beyond the page's own.
- The Retention screen's full count against the same concurrent fetch ``tags --all`` does
  (``fetch_all_tags``), alternately, at a round trip of ``latency_ms``. The registry runs in a
  process of its own (``swr-tui fake-registry``), as a remote one would: in this process it would
  compete with the client for the interpreter, and count the client's CPU twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

from export_bench import fake_registry_process
from harness import SIZE, make_app, make_client, served_registry, settle
from report import Paired
from textual.geometry import Region

from swr_tui.swr.bulk import fetch_all_tags
from swr_tui.ui.screens.retention import RetentionScreen

BIG = "acme/ci-builds"
ROUTES = ("tags", "retentions")


@dataclass
class MarkedPages:
    timing: Paired = field(default_factory=Paired)
    pages: int = 0
    tag_requests: int = 0
    rule_requests: int = 0


async def _until(condition: object, timeout_s: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition():  # type: ignore[operator]
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there")
        await asyncio.sleep(0.005)


async def marks_per_visible_page(pages: int) -> MarkedPages:
    result = MarkedPages()
    with served_registry(0.0) as (registry, server):
        app = make_app(make_client(server.url), repository=BIG)
        async with app.run_test(size=SIZE) as pilot:
            table = app.table
            marks = app.browser.retention
            await _until(lambda: table.total is not None and marks.loaded(table.query) is not None)
            await settle(table)
            width, height = table.region.size
            region = Region(0, 0, width, height)
            for number in range(pages):
                table.cursor_row = (number * 997 % 1000) * 100 + 50
                await settle(table)
                for marked in (False, True):  # the baseline first, then with the marks
                    table.retention = marks if marked else None
                    table.refresh()
                    start = time.process_time()
                    strips = table.render_lines(region)
                    spent = time.process_time() - start
                    (result.timing.figure if marked else result.timing.baseline).append(spent)
                rows = [strip.text for strip in strips[1:]]
                assert any("⌫" in row for row in rows), (
                    f"no row marked: {marks.loaded(table.query)!r} {rows[:3]}"
                )
            await pilot.pause()
            result.pages = len(table.cache.pages) if table.cache else 0
    result.tag_requests = registry.count("tags")
    result.rule_requests = registry.count("retentions")
    result.timing.notes.append(
        f"{pages} visible pages of {BIG} (100,000 tags) drawn with and without the marks; "
        f"{result.rule_requests} request for the rules, {result.tag_requests} tag requests for "
        f"{result.pages} pages held"
    )
    return result


def _counted(screen: RetentionScreen) -> bool:
    return screen.counted is not None or screen.count_error is not None


@contextlib.contextmanager
def _registry_url(latency_ms: float, own_process: bool) -> Iterator[str]:
    if not own_process:  # --smoke: proves the code runs, without a process to start
        with served_registry(latency_ms) as (_, server):
            yield server.url
        return
    with tempfile.TemporaryDirectory() as home, fake_registry_process(latency_ms, home) as url:
        yield url


async def count_vs_tags_all(
    runs: int, repository: str, latency_ms: float = 20.0, own_process: bool = True
) -> Paired:
    """Seconds from ``R`` to the count on screen, and of the ``tags --all`` fetch, alternately."""
    namespace, _, name = repository.partition("/")
    result = Paired()
    with _registry_url(latency_ms, own_process) as url:
        client = make_client(url)
        app = make_app(client, repository=repository)
        async with app.run_test(size=SIZE) as pilot:
            table, marks = app.table, app.browser.retention
            await _until(lambda: table.total is not None and marks.loaded(table.query) is not None)
            tags = await fetch_all_tags(client, namespace, name)  # warm-up: connections, the server's pages
            for run in range(runs):
                for screen_turn in (False, True) if run % 2 == 0 else (True, False):  # ABBA order
                    if not screen_turn:
                        start = time.perf_counter()
                        tags = await fetch_all_tags(client, namespace, name)
                        result.baseline.append(time.perf_counter() - start)
                        continue
                    start = time.perf_counter()
                    await pilot.press("R")
                    screen = app.screen
                    assert isinstance(screen, RetentionScreen)
                    await _until(partial(_counted, screen), 120.0)
                    result.figure.append(time.perf_counter() - start)
                    counted = screen.counted
                    assert counted is not None, screen.count_error
                    assert counted[1] == len(tags)
                    result.counts.append(counted[0])
                    await pilot.press("escape")
    result.notes.append(
        f"{repository} ({len(tags):,} tags) at {latency_ms:g} ms round trip; baseline: fetch_all_tags, "
        "the concurrent read of `tags --all`, in the same process and run, in ABBA order after a warm-up "
        f"read; the registry in {'another process' if own_process else 'this process'}"
    )
    return result
