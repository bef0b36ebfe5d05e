"""The tag table: first page and request counts, end on 100,000 tags, filter, sort, reload."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from swr_tui.fake import FakeRegistry
from swr_tui.ui.screens import browser as browser_module
from swr_tui.ui.widgets.tag_table import TagTable

from .conftest import NARROW, UI, WIDE, Start

WEBAPP_NEWEST = "sha256-fa775daff5254280b244c3d5fe0dd5f6b4de1d008a30dddea75b23f773162f96.sig"
WEBAPP_OLDEST = "v0.9.0"


async def filter_by(ui: UI, text: str) -> None:
    """Open the filter, put ``text`` in it and press enter (typing is tested once, key by key)."""
    await ui.pilot.press("slash")
    ui.app.filter_input.value = text
    await ui.press("enter")


def assert_no_offset_twice(ui: UI) -> None:
    keys = Counter(
        (params["offset"], params["order_type"], params.get("tag", "")) for params in ui.tag_requests()
    )
    assert [key for key, count in keys.items() if count > 1] == []


async def test_a_small_repository_takes_exactly_one_request(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        assert ui.tag_requests() == [
            {"offset": "0", "limit": "100", "order_column": "updated_at", "order_type": "desc"}
        ]
        assert len(ui.rows()) == 32
        assert ui.rows()[0] == WEBAPP_NEWEST
        assert ui.rows()[-1] == WEBAPP_OLDEST
        assert ui.status == "acme/webapp · row 1 of 32 · newest first"
        await ui.press("end", "home")  # moving inside a held page fetches nothing
        assert len(ui.tag_requests()) == 1


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "160x48"])
async def test_the_big_repository_starts_with_one_request(start: Start, size: tuple[int, int]) -> None:
    async with start(repository="acme/ci-builds", size=size) as ui:
        # The first page (100 rows) covers the viewport and the next screenful: no prefetch yet.
        assert ui.tag_offsets() == [0]
        assert ui.app.table.total == 100_000
        assert ui.rows()[:3] == ["build-100000", "build-099999", "build-099998"]
        assert len(ui.rows()) == 100
        assert ui.status == "acme/ci-builds · row 1 of 100,000 · newest first"
        assert ui.app.table.virtual_size.height == 100_001  # header + every row, fetched or not


async def test_paging_down_fetches_each_page_as_it_comes_into_view(start: Start) -> None:
    """No prefetch: every request is for a page that is on screen (requests per page viewed = 1)."""
    async with start(repository="acme/ci-builds", size=WIDE) as ui:
        table = ui.app.table
        seen = {0}
        for _ in range(6):
            await ui.press("pagedown")
            first = int(table.scroll_offset.y)
            last = first + table.size.height - 2
            seen |= {first // 100, last // 100}
            assert ui.tag_offsets() == sorted(page * 100 for page in seen)
        assert len(seen) >= 3
        await ui.press("home")  # back over held pages: nothing is fetched again
        assert ui.tag_offsets() == sorted(page * 100 for page in seen)
        assert table.highlighted_tag.name == "build-100000"
        assert_no_offset_twice(ui)


async def test_end_on_100000_tags_fetches_only_the_last_page(start: Start) -> None:
    async with start(repository="acme/ci-builds") as ui:
        await ui.press("end")
        await ui.pilot.pause(0.1)  # the scroll-settle timer may ask again: it must not refetch
        await ui.settle()

        assert ui.tag_offsets() == [0, 99_900]
        assert ui.app.table.cursor_row == 99_999
        assert ui.app.table.highlighted_tag.name == "build-000001"
        assert ui.app.detail.tag.name == "build-000001"
        assert ui.status == "acme/ci-builds · row 100,000 of 100,000 · newest first"
        last_line = ui.table_lines(ui.app.table.size.height - 1)[0]
        assert last_line.startswith("  ⌫ build-000001")  # the oldest: the retention rule deletes it

        await ui.press("home")
        assert ui.app.table.highlighted_tag.name == "build-100000"
        assert ui.tag_offsets() == [0, 99_900]
        assert ui.status == "acme/ci-builds · row 1 of 100,000 · newest first"

        await ui.press("s")  # oldest first: the cursor's tag, the newest, is now at the end
        assert ui.app.table.highlighted_tag.name == "build-100000"
        await ui.press("end")
        assert ui.app.table.highlighted_tag.name == "build-100000"
        # The new order asks only for the page the cursor's tag is on: it carries the total too.
        assert sorted((p["offset"], p["order_type"]) for p in ui.tag_requests()) == [
            ("0", "desc"),
            ("99900", "asc"),
            ("99900", "desc"),
        ]
        assert ui.status == "acme/ci-builds · row 100,000 of 100,000 · oldest first"


async def test_filter_is_debounced_and_applied_on_the_server(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("slash")
        assert ui.app.filter_input.has_class("-visible")
        assert ui.app.focused is ui.app.filter_input

        await ui.pilot.press(*"v1.4")
        await ui.wait_until(lambda: ui.app.table.query.tag_filter == "v1.4")

        assert ui.rows() == ["v1.4.2", "v1.4.1", "v1.4.0"]
        filters = [params["tag"] for params in ui.tag_requests() if "tag" in params]
        assert filters[-1] == "v1.4"
        assert filters.count("v1.4") == 1
        assert all("v1.4".startswith(text) for text in filters)  # at most a pause mid-typing
        assert ui.status == 'acme/webapp · row 1 of 3 · newest first · filter "v1.4"'
        assert ui.app.detail.tag.name == "v1.4.2"

        await ui.press("escape")
        assert ui.app.filter_input.value == ""
        assert not ui.app.filter_input.has_class("-visible")
        assert isinstance(ui.app.focused, TagTable)
        assert len(ui.rows()) == 32
        assert ui.app.table.query.tag_filter == ""
        assert ui.tag_requests()[-1].get("tag") is None
        assert ui.status == "acme/webapp · row 1 of 32 · newest first"


async def test_typing_a_filter_sends_nothing_until_it_pauses_or_enter(
    start: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browser_module, "FILTER_DEBOUNCE_S", 30.0)
    async with start(repository="acme/webapp") as ui:
        await ui.press("slash", *"v2.")
        assert len(ui.tag_requests()) == 1  # still only the unfiltered first page
        assert ui.app.table.query.tag_filter == ""

        await ui.press("enter")
        assert [params.get("tag") for params in ui.tag_requests()] == [None, "v2."]
        assert ui.rows() == [
            "v2.4.1",
            "v2.4.0",
            "v2.3.1",
            "v2.3.0",
            "v2.2.0",
            "v2.1.0",
            "v2.0.0",
            "v2.0.0-rc.1",
        ]
        assert isinstance(ui.app.focused, TagTable)  # enter keeps the filter and goes back to the list
        assert ui.app.filter_input.has_class("-visible")
        assert ui.status == 'acme/webapp · row 1 of 8 · newest first · filter "v2."'

        await ui.press("s")  # sorting keeps the filter
        assert ui.rows()[:2] == ["v2.0.0-rc.1", "v2.0.0"]
        assert ui.tag_requests()[-1]["tag"] == "v2."
        assert ui.tag_requests()[-1]["order_type"] == "asc"
        assert ui.status == 'acme/webapp · row 8 of 8 · oldest first · filter "v2."'


async def test_a_filter_without_matches_shows_the_empty_state(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await filter_by(ui, "zzz")

        assert ui.app.table.total == 0
        assert ui.rows() == []
        assert 'No tags match "zzz". Press escape to clear the filter.' in ui.table_lines()[2]
        assert ui.status == 'acme/webapp · no tags · newest first · filter "zzz"'
        assert ui.app.table.highlighted_tag is None
        assert ui.app.detail.tag is None

        await ui.press("escape")
        assert len(ui.rows()) == 32
        assert ui.status == "acme/webapp · row 1 of 32 · newest first"


async def test_filter_before_opening_a_repository_warns(start: Start) -> None:
    async with start() as ui:
        await ui.press("slash")
        assert ui.notes[-1].message == "Open a repository first"
        assert ui.notes[-1].severity == "warning"
        assert not ui.app.filter_input.has_class("-visible")
        assert ui.tag_requests() == []


async def test_sort_flips_between_newest_and_oldest_first_and_keeps_the_cursors_tag(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("down", "s")
        second_newest = ui.rows()[-2]

        assert ui.rows()[0] == WEBAPP_OLDEST
        assert ui.rows()[-1] == WEBAPP_NEWEST
        assert ui.app.table.cursor_row == 30  # the tag highlighted before, in its new place
        assert ui.app.table.highlighted_tag.name == second_newest
        assert ui.app.detail.tag.name == second_newest
        assert ui.tag_requests()[-1]["order_type"] == "asc"
        assert ui.status == "acme/webapp · row 31 of 32 · oldest first"
        assert ui.notes[-1].message == "Sorted oldest first"

        await ui.press("s")
        assert ui.rows()[0] == WEBAPP_NEWEST
        assert ui.app.table.cursor_row == 1
        assert ui.app.table.highlighted_tag.name == second_newest
        assert ui.tag_requests()[-1]["order_type"] == "desc"
        assert ui.status == "acme/webapp · row 2 of 32 · newest first"
        assert ui.notes[-1].message == "Sorted newest first"
        assert len(ui.tag_requests()) == 3


async def test_sort_on_100000_tags_goes_straight_to_the_cursors_tag(start: Start) -> None:
    async with start(repository="acme/ci-builds") as ui:
        await ui.press("down", "down", "down")
        assert ui.app.table.highlighted_tag.name == "build-099997"
        await ui.press("s")

        table = ui.app.table
        assert table.cursor_row == 99_996
        assert table.highlighted_tag.name == "build-099997"
        assert ui.status == "acme/ci-builds · row 99,997 of 100,000 · oldest first"
        # Only the tag's page, which carries the total too: one round trip, nothing between.
        asc = sorted(int(params["offset"]) for params in ui.tag_requests() if params["order_type"] == "asc")
        assert asc == [99_900]
        assert table.scroll_offset.y <= table.cursor_row < table.scroll_offset.y + table.size.height - 1


async def test_sort_with_a_small_page_finds_the_tag_on_a_later_page(start: Start) -> None:
    async with start(repository="acme/webapp", page_size=10) as ui:
        await ui.press("down", "down")
        tag = ui.app.table.highlighted_tag.name
        await ui.press("s")
        assert ui.app.table.cursor_row == 29
        assert ui.app.table.highlighted_tag.name == tag
        await ui.press("s")
        assert ui.app.table.cursor_row == 2
        assert ui.app.table.highlighted_tag.name == tag


async def test_reload_refetches_what_is_shown_and_keeps_the_rows(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("down", "down", "r")
        assert ui.tag_offsets() == [0, 0]
        assert len(ui.rows()) == 32
        assert ui.app.table.cursor_row == 2
        assert ui.app.table.highlighted_tag.name == "v2.4.1"


async def test_an_empty_repository_says_so(start: Start) -> None:
    async with start(repository="acme/new-service") as ui:
        assert ui.app.table.total == 0
        assert "No tags in this repository." in ui.table_lines()[2]
        assert ui.status == "acme/new-service · no tags · newest first"
        assert ui.detail_text("detail-facts") == "No tags in this view."
        await ui.press("c")
        assert ui.notes[-1].message == "No tag highlighted: open a repository and pick a tag"
        assert ui.app.clipboard == ""


async def test_sort_flipped_quickly_ends_at_the_last_choice(start: Start, registry: FakeRegistry) -> None:
    registry.latency_ms = 120  # every answer arrives after the next key press
    async with start(repository="acme/webapp") as ui:
        await ui.pilot.press("s", "s", "s")
        await ui.settle()

        assert ui.app.table.query.order == "asc"
        assert ui.rows()[0] == WEBAPP_OLDEST
        assert len(ui.rows()) == 32
        # Each flip before the last one's answer still knows the tag: it ends on it, at the end.
        assert ui.status == "acme/webapp · row 32 of 32 · oldest first"
        assert ui.app.detail.tag.name == WEBAPP_NEWEST
        assert set(ui.app.table.cache.pages) == {0}


async def test_filter_changed_quickly_ends_at_the_last_choice(start: Start, registry: FakeRegistry) -> None:
    registry.latency_ms = 120
    async with start(repository="acme/webapp") as ui:
        await ui.pilot.press("slash")
        ui.app.filter_input.value = "v1.3"
        await ui.pilot.press("enter", "escape", "slash")
        ui.app.filter_input.value = "v2.4"
        await ui.pilot.press("enter")
        await ui.settle()

        assert ui.app.table.query.tag_filter == "v2.4"
        assert ui.rows() == ["v2.4.1", "v2.4.0"]
        assert ui.status == 'acme/webapp · row 1 of 2 · newest first · filter "v2.4"'
        assert ui.app.detail.tag.name == "v2.4.1"
        cached = [tag.name for page in ui.app.table.cache.pages.values() for tag in page]
        assert cached == ["v2.4.1", "v2.4.0"]


async def test_a_cursor_move_on_screen_redraws_two_rows_and_the_new_one_is_highlighted(start: Start) -> None:
    async with start(repository="acme/ci-builds") as ui:
        table = ui.app.table
        drawn: list[int] = []
        draw = table.render_line

        def counting(y: int) -> Any:
            drawn.append(y)
            return draw(y)

        table.render_line = counting  # type: ignore[method-assign]
        await ui.settle()
        drawn.clear()
        await ui.press("down")
        assert table.cursor_row == 1
        assert sorted(set(drawn)) == [1, 2]  # the rows left and reached, not the whole table
        cursor = table.get_component_rich_style("tag-table--cursor")
        assert cursor.bgcolor is not None
        assert next(iter(draw(2))).style.bgcolor == cursor.bgcolor
        assert next(iter(draw(1))).style.bgcolor != cursor.bgcolor
        drawn.clear()
        await ui.press("pagedown")  # the view scrolls: every line is new
        assert len(set(drawn)) > 10
