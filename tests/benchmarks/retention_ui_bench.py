"""The retention marks in the TUI and the Retention screen's count, in process against the fake
registry over loopback HTTP.

- Marks per visible page: the tag table of acme/ci-builds (100,000 tags, rule: keep 50 newest with
  an exception) drawn at pages spread over the list, each drawn with the marks and without them
  (alternately, same run); the figure is the difference. Requests are counted: one for the rules,
  and none per page beyond the page's own.
- The Retention screen's full count against the same concurrent fetch ``tags --all`` does
  (``fetch_all_tags``), alternately, at a round trip of ``latency_ms``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from functools import partial

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
                assert any("⌫" in strip.text for strip in strips[1:]), "no row marked"
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


async def count_vs_tags_all(runs: int, repository: str, latency_ms: float = 20.0) -> Paired:
    """Seconds from ``R`` to the count on screen, and of the ``tags --all`` fetch, alternately."""
    namespace, _, name = repository.partition("/")
    result = Paired()
    with served_registry(latency_ms) as (_, server):
        client = make_client(server.url)
        app = make_app(client, repository=repository)
        async with app.run_test(size=SIZE) as pilot:
            table, marks = app.table, app.browser.retention
            await _until(lambda: table.total is not None and marks.loaded(table.query) is not None)
            for _ in range(runs):
                start = time.perf_counter()
                tags = await fetch_all_tags(client, namespace, name)
                result.baseline.append(time.perf_counter() - start)
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
        "the concurrent read of `tags --all`, in the same process and run"
    )
    return result
