"""Exact request counts of a scripted browse (the benchmark's, on the in-process fake, no latency):
no page of a listing is requested twice, ``end`` on 100,000 tags costs one request, and paging asks
only for the pages shown plus the one the table prefetches ahead of the viewport."""

from __future__ import annotations

import asyncio
import time

import pytest
from textual.pilot import Pilot

from swr_tui.fake import DEMO_TOKEN, FakeRegistry
from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.client import SwrClient
from swr_tui.ui.app import SwrApp
from swr_tui.ui.screens import browser as browser_module
from swr_tui.ui.widgets.tag_table import SCROLL_SETTLE_S, TagTable

ENDPOINT = "https://swr-api.request-counts.invalid"
SIZE = (120, 40)
PAGE = 100
BIG_TAGS = 100_000

Request = tuple[str, str, int]  # (order, tag filter, offset) of one tag-list request


async def settled(pilot: Pilot[None], table: TagTable, registry: FakeRegistry) -> None:
    """No page on its way, the scroll-settle timer has fired, and no request came in meanwhile."""
    deadline = time.monotonic() + 10
    before = -1
    while True:
        await asyncio.sleep(SCROLL_SETTLE_S + 0.04)
        await pilot.pause()
        count = len(registry.requests)
        if (table.cache is None or not table.cache.pending) and count == before:
            return
        before = count
        assert time.monotonic() < deadline, "the tag table never settled"


def tag_requests(registry: FakeRegistry) -> list[Request]:
    return [
        (request.params.get("order_type", ""), request.params.get("tag", ""), int(request.params["offset"]))
        for request in registry.requests
        if request.route == "tags"
    ]


def viewport_rows(table: TagTable) -> tuple[int, int]:
    first = int(table.scroll_offset.y)
    return first, first + table.size.height - 2  # one line is the header


async def test_scripted_browse_requests_each_page_once(
    registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only enter applies the filter: on a loaded machine the typing can pause longer than the
    # debounce, and the prefix "0" would be asked for first.
    monkeypatch.setattr(browser_module, "FILTER_DEBOUNCE_S", 30.0)
    client = SwrClient(ENDPOINT, TokenAuth(DEMO_TOKEN), transport=registry.transport())
    app = SwrApp(client, environ={}, page_size=PAGE)
    async with app.run_test(size=SIZE) as pilot:
        await asyncio.wait_for(app.catalog.namespaces_loaded.wait(), 10)
        table = app.table
        seen: list[Request] = []

        def new_requests() -> list[Request]:
            now = tag_requests(registry)
            fresh = now[len(seen) :]
            seen.extend(fresh)
            return fresh

        app.open_repository("acme", "ci-builds")
        await settled(pilot, table, registry)
        assert table.total == BIG_TAGS
        assert new_requests() == [("desc", "", 0)]

        # Page down: only the pages that came into view, plus the one prefetched below the view.
        last_seen = 0
        for _ in range(6):
            await pilot.press("pagedown")
            await settled(pilot, table, registry)
            last_seen = max(last_seen, viewport_rows(table)[1])
        height = table.size.height - 1
        viewed = last_seen // PAGE
        ahead = (last_seen + height) // PAGE  # the prefetch rule: a screen below the view
        assert viewed >= 2, "the browse should cross at least two page boundaries"
        expected_pages = range(1, max(viewed, ahead) + 1)
        assert new_requests() == [("desc", "", page * PAGE) for page in expected_pages]

        await pilot.press("end")
        await settled(pilot, table, registry)
        assert table.cursor_row == BIG_TAGS - 1
        assert new_requests() == [("desc", "", BIG_TAGS - PAGE)]  # one request, the last page only

        await pilot.press("home")
        await settled(pilot, table, registry)
        assert new_requests() == []  # page 0 is still held

        await pilot.press("s")
        await settled(pilot, table, registry)
        # the cursor keeps the newest tag, now the last row: only its page is asked for
        assert table.cursor_row == BIG_TAGS - 1
        assert new_requests() == [("asc", "", BIG_TAGS - PAGE)]

        await pilot.press("slash", "0", "9", "9", "9", "enter")
        await settled(pilot, table, registry)
        assert new_requests() == [("asc", "0999", 0)]
        assert table.total is not None
        assert PAGE < table.total <= 2 * PAGE

        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        await settled(pilot, table, registry)
        await asyncio.sleep(0.4)  # past the filter's debounce, which must not ask again
        await settled(pilot, table, registry)
        assert new_requests() == [("asc", "0999", PAGE)]

        assert len(seen) == len(set(seen)), f"a page was requested twice: {seen}"
        assert all(request.status == 200 for request in registry.requests)
