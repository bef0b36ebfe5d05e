"""Watch (w): poll the listing's newest page, fold new, re-pushed and deleted tags into the table.

Polls are driven with ``app.watcher.poll_now()`` or a short interval and waited for with the
conftest's ``settle``/``wait_until``; tags change on the fake registry with ``push_tag``/``delete_tag``.
"""

from __future__ import annotations

import time
from typing import Any, Optional

import pytest
from rich.text import Text
from textual import events

from swr_tui.fake import FakeRegistry
from swr_tui.fake.faults import FaultRule
from swr_tui.swr.models import Tag
from swr_tui.ui.status_line import status_text
from swr_tui.ui.table_state import TableStatus
from swr_tui.ui.tag_pages import NewestChange, TagQuery
from swr_tui.ui.watch import WATCH_GROUP, WatchLabel, backoff_s, change_message, short_duration
from swr_tui.ui.widgets import tag_table

from .conftest import NARROW, UI, Start

WEBAPP_NEWEST = "sha256-fa775daff5254280b244c3d5fe0dd5f6b4de1d008a30dddea75b23f773162f96.sig"
CHECKED = "watching, checked 12:00:00"  # the apps' clock is the fake registry's anchor, TZ=UTC
WIDER = (240, 50)  # the status line has room for the longest watch labels


def tag_requests(ui: UI, repository: str = "webapp") -> list[dict[str, str]]:
    return [
        request.params
        for request in ui.registry.requests
        if request.route == "tags" and request.path_params.get("repository") == repository
    ]


def watch_notes(ui: UI) -> list[str]:
    return [note.message for note in ui.notes if note.title.startswith("Watch")]


async def poll(ui: UI) -> None:
    assert ui.app.watcher.poll_now()
    await ui.settle()


async def watching(ui: UI) -> None:
    """Switch the watch on and let its first poll (the baseline) land."""
    polls = ui.app.watcher.polls
    await ui.press("w")
    await ui.wait_until(lambda: ui.app.watcher.polls > polls, timeout=10)


def record_details(ui: UI) -> list[Optional[str]]:
    """Every tag the detail pane is asked to show from now on (None: a placeholder)."""
    shown: list[Optional[str]] = []
    detail = ui.app.detail
    original = detail.show_tag

    def show_tag(tag: Optional[Tag], *args: Any, **kwargs: Any) -> None:
        shown.append(None if tag is None else tag.name)
        original(tag, *args, **kwargs)

    detail.show_tag = show_tag  # type: ignore[method-assign]
    return shown


# -- off, on, off ------------------------------------------------------------------------------


async def test_watch_is_off_by_default_and_costs_nothing(start: Start) -> None:
    async with start(repository="acme/webapp", watch_interval_s=0.05) as ui:
        await ui.pilot.pause(0.4)
        await ui.settle()
        assert not ui.app.watcher.enabled
        assert ui.registry.count("tags") == 1
        assert ui.status == "acme/webapp · row 1 of 32 · newest first"


async def test_w_without_a_repository_warns(start: Start) -> None:
    async with start() as ui:
        await ui.press("w")
        assert not ui.app.watcher.enabled
        assert ui.notes[-1].message == "Open a repository first"
        assert ui.notes[-1].severity == "warning"
        assert ui.registry.count("tags") == 0


async def test_w_polls_at_once_and_again_w_stops(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await watching(ui)
        assert "Watching acme/webapp every 30 s" in watch_notes(ui)
        requests = tag_requests(ui)
        assert len(requests) == 2
        assert requests[1] == {
            "offset": "0",
            "limit": "100",
            "order_column": "updated_at",
            "order_type": "desc",
        }
        assert ui.status == f"acme/webapp · row 1 of 32 · newest first · {CHECKED}"
        assert ui.app.watcher.delay_s == 30
        await ui.press("w")
        assert ui.notes[-1].message == "Stopped watching"
        assert not ui.app.watcher.enabled
        assert ui.app.watcher._timer is None
        assert not ui.app.watcher.poll_now()
        assert ui.status == "acme/webapp · row 1 of 32 · newest first"
        assert ui.registry.count("tags") == 2


async def test_the_palette_has_a_watch_command(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        commands = {command.title: command for command in ui.app.get_system_commands(ui.app.screen)}
        commands["Watch"].callback()
        await ui.wait_until(lambda: ui.app.watcher.polls == 1)
        assert ui.app.watcher.enabled


async def test_w_does_nothing_over_a_modal_screen_but_polling_goes_on(start: Start) -> None:
    async with start(repository="acme/webapp", watch_interval_s=0.1) as ui:
        # Polls every 0.1 s: a settle that waited for them could chase them for ever on a loaded
        # machine (each pause long enough for the next one to start); the test counts them instead.
        ui.unawaited_groups.add(WATCH_GROUP)
        await ui.press("question_mark")
        await ui.press("w")
        assert not ui.app.watcher.enabled
        await ui.press("escape")
        await watching(ui)
        await ui.press("question_mark")
        polls = ui.app.watcher.polls
        await ui.wait_until(lambda: ui.app.watcher.polls >= polls + 2, timeout=10)


# -- what one poll costs -----------------------------------------------------------------------


async def test_an_unchanged_poll_is_one_request_per_interval(start: Start) -> None:
    interval = 0.2
    async with start(repository="acme/ci-builds", watch_interval_s=interval) as ui:
        watcher, table = ui.app.watcher, ui.app.table
        schedule = watcher._schedule

        def record(delay_s: float) -> None:
            # After the fourth poll, none is due while the test looks: w cannot land while a poll's
            # request has reached the registry but the poll is not counted yet.
            schedule(600 if watcher.polls >= 4 else delay_s)

        watcher._schedule = record  # type: ignore[method-assign]
        began = time.monotonic()
        await watching(ui)
        await ui.wait_until(lambda: watcher.polls >= 4, timeout=15)
        elapsed = time.monotonic() - began
        await ui.press("w")
        assert ui.registry.count("tags") == 1 + watcher.polls
        assert watcher.polls <= 1 + elapsed / interval  # one poll per interval, never more
        assert ui.registry.count("tags", offset=0, order_type="desc", limit=100) == 1 + watcher.polls
        assert table.cache is not None
        assert table.cache.generation == 0
        assert table.flashing == frozenset()
        assert watch_notes(ui) == ["Watching acme/ci-builds every 0.2 s", "Stopped watching"]


# -- changes -----------------------------------------------------------------------------------


async def test_a_pushed_tag_appears_at_the_top_flashes_and_the_cursor_keeps_its_tag(
    start: Start, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Short, so the test sees the flash end; long enough to outlast the checks on a loaded machine.
    monkeypatch.setattr(tag_table, "FLASH_S", 3.0)
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.4.1")
        await watching(ui)
        shown = record_details(ui)
        registry.push_tag("acme", "webapp", "v2.5.0")
        await poll(ui)
        table = ui.app.table
        assert ui.rows()[:3] == ["v2.5.0", WEBAPP_NEWEST, "latest"]
        assert table.total == 33
        assert table.highlighted_tag is not None
        assert table.highlighted_tag.name == "v2.4.1"
        assert table.cursor_row == 3
        assert ui.facts()["Tag"] == "v2.4.1"
        assert None not in shown  # the details never went back to "Loading…"
        assert ui.status == f"acme/webapp · row 4 of 33 · newest first · {CHECKED}"
        assert "1 new tag in acme/webapp: v2.5.0" in watch_notes(ui)
        assert table.flashing == {"v2.5.0"}
        assert table.scroll_offset.y == 0  # the view was at the top: the new row is seen
        flash = table.get_component_rich_style("tag-table--new")
        assert flash.reverse
        assert flash.bold
        line = table.render_line(1)  # row 0, under the header
        assert "v2.5.0" in line.text
        assert all(
            segment.style is not None and segment.style.reverse for segment in line if segment.text.strip()
        )
        assert len(tag_requests(ui)) == 3  # the first page and two polls: nothing else was re-read
        await ui.wait_until(lambda: not table.flashing, timeout=10)
        assert not any(
            segment.style is not None and segment.style.reverse for segment in table.render_line(1)
        )


async def test_a_repushed_tag_moves_to_the_top_and_the_total_stays(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(repository="acme/webapp") as ui:
        await watching(ui)
        registry.push_tag("acme", "webapp", "latest", like="v2.4.0")
        await poll(ui)
        table = ui.app.table
        assert ui.rows()[:3] == ["latest", WEBAPP_NEWEST, "v2.4.1"]
        assert ui.rows().count("latest") == 1
        assert table.total == 32
        assert table.highlighted_tag is not None
        assert table.highlighted_tag.name == WEBAPP_NEWEST
        assert table.cursor_row == 1
        assert "latest moved in acme/webapp" in watch_notes(ui)
        assert table.flashing == {"latest"}


async def test_a_deleted_tag_shrinks_the_listing(start: Start, registry: FakeRegistry) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.3.0")
        await watching(ui)
        registry.delete_tag("acme", "webapp", "v2.4.1")
        await poll(ui)
        table = ui.app.table
        assert "v2.4.1" not in ui.rows()
        assert table.total == 31
        assert table.highlighted_tag is not None
        assert table.highlighted_tag.name == "v2.3.0"
        assert "1 tag gone: v2.4.1" in watch_notes(ui)
        assert ui.status == f"acme/webapp · row 6 of 31 · newest first · {CHECKED}"


async def test_when_the_highlighted_tag_is_deleted_the_next_takes_its_place(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.4.1")
        await watching(ui)
        registry.push_tag("acme", "webapp", "v2.5.0")
        registry.delete_tag("acme", "webapp", "v2.4.1")
        await poll(ui)
        table = ui.app.table
        assert table.highlighted_tag is not None
        assert table.highlighted_tag.name == "v2.4.0"
        assert table.cursor_row == 3  # v2.5.0 came in above
        assert ui.facts()["Tag"] == "v2.4.0"
        assert "1 new tag in acme/webapp: v2.5.0; 1 tag gone: v2.4.1" in watch_notes(ui)


async def test_oldest_first_new_tags_go_to_the_end(start: Start, registry: FakeRegistry) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("s")
        await ui.highlight("v1.0.0")
        row = ui.app.table.cursor_row
        await watching(ui)
        shown = record_details(ui)
        registry.push_tag("acme", "webapp", "v2.5.0")
        await poll(ui)
        table = ui.app.table
        assert table.total == 33
        assert table.cursor_row == row
        assert table.highlighted_tag is not None
        assert table.highlighted_tag.name == "v1.0.0"
        assert ui.rows()[-1] == "v2.5.0"  # its page was on screen: read again at once
        assert ui.rows()[0] == "v0.9.0"
        assert None not in shown
        assert "1 new tag in acme/webapp: v2.5.0 (at the end: sorted oldest first)" in watch_notes(ui)
        polls = [params for params in tag_requests(ui) if params["order_type"] == "desc"]
        assert len(polls) == 3  # the first page before sorting, then two polls: always newest first
        assert ui.status.startswith("acme/webapp · row 3 of 33 · oldest first · watching")


async def test_the_poll_carries_the_filter(start: Start, registry: FakeRegistry) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("slash")
        ui.app.filter_input.value = "v2"
        await ui.press("enter")
        await watching(ui)
        assert tag_requests(ui)[-1]["tag"] == "v2"
        registry.push_tag("acme", "webapp", "v9.0.0")  # not matching: unseen
        registry.push_tag("acme", "webapp", "v2.9.0")
        await poll(ui)
        assert tag_requests(ui)[-1]["tag"] == "v2"
        assert ui.rows()[0] == "v2.9.0"
        assert "v9.0.0" not in ui.rows()
        assert ui.app.table.flashing == {"v2.9.0"}


# -- timing: errors, background ----------------------------------------------------------------


async def test_errors_back_off_and_a_success_resets(start: Start, registry: FakeRegistry) -> None:
    async with start(repository="acme/webapp", size=WIDER) as ui:
        await watching(ui)
        rule = registry.faults.add(FaultRule("tags", "status", 503, times=2))
        await poll(ui)
        watcher = ui.app.watcher
        assert (watcher.failures, watcher.delay_s) == (1, 60)
        assert ui.status.endswith("watch: failed 12:00:00, next try in 1m")
        await poll(ui)
        assert (watcher.failures, watcher.delay_s) == (2, 120)
        assert ui.status.endswith("next try in 2m")
        failures = [note for note in ui.notes if note.title == "Watching acme/webapp failed"]
        assert len(failures) == 1  # one toast per run of failures
        assert failures[0].severity == "warning"
        assert registry.faults.fired(rule) == 2
        assert ui.rows()[0] == WEBAPP_NEWEST  # the rows stay
        await poll(ui)
        assert (watcher.failures, watcher.delay_s) == (0, 30)
        assert ui.status.endswith(CHECKED)


async def test_backoff_timer_waits_longer_after_each_failure(start: Start, registry: FakeRegistry) -> None:
    async with start(repository="acme/webapp", watch_interval_s=0.1) as ui:
        registry.faults.add(FaultRule("tags", "status", 503, times=3))  # the first three polls
        watcher = ui.app.watcher
        scheduled: list[float] = []
        schedule = watcher._schedule

        def record(delay_s: float) -> None:
            scheduled.append(delay_s)
            if watcher.failures == 0 and watcher.polls:
                ui.app.browser.watch_interval_s = 600  # recovered: no more polls while the test looks
                delay_s = 600
            schedule(delay_s)

        watcher._schedule = record  # type: ignore[method-assign]
        began = time.monotonic()
        await ui.press("w")
        await ui.wait_until(lambda: watcher.polls >= 1, timeout=15)
        assert time.monotonic() - began >= 0.2 + 0.4 + 0.8  # it waited 2, 4, 8 intervals
        assert scheduled[:3] == [pytest.approx(0.2), pytest.approx(0.4), pytest.approx(0.8)]
        assert watcher.failures == 0
        assert ui.registry.count("tags") == 1 + 3 + 1  # the table's page, three failures, one success


async def test_in_the_background_polls_wait_and_run_on_return(start: Start) -> None:
    async with start(repository="acme/webapp", watch_interval_s=0.1, size=WIDER) as ui:
        ui.unawaited_groups.add(WATCH_GROUP)  # polls every 0.1 s until blurred: counted, not settled
        await watching(ui)
        watcher = ui.app.watcher
        ui.app.post_message(events.AppBlur())
        await ui.wait_until(lambda: not ui.app.app_focus)
        assert ui.status.endswith("watch paused (in background)")
        await ui.wait_until(lambda: watcher.overdue, timeout=10)
        polls, requests = watcher.polls, ui.registry.count("tags")
        await ui.pilot.pause(0.5)
        await ui.settle()
        assert (watcher.polls, ui.registry.count("tags")) == (polls, requests)
        ui.app.browser.watch_interval_s = 600  # a poll now can only be the overdue one
        ui.app.post_message(events.AppFocus())
        await ui.wait_until(lambda: watcher.polls == polls + 1, timeout=10)
        assert ui.registry.count("tags") == requests + 1
        assert not watcher.overdue
        assert ui.status.endswith(CHECKED)


# -- following the listing ---------------------------------------------------------------------


async def test_switching_repository_or_sort_keeps_watching_the_new_listing(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(repository="acme/webapp") as ui:
        await watching(ui)
        ui.app.open_repository("acme", "ci-builds")
        await ui.settle()
        watcher = ui.app.watcher
        assert watcher.enabled
        assert ui.status == "acme/ci-builds · row 1 of 100,000 · newest first · watching"
        assert len(tag_requests(ui, "ci-builds")) == 1  # its first page; the next poll is an interval away
        assert watcher.delay_s == 30
        registry.push_tag("acme", "ci-builds", "build-100001")
        await poll(ui)
        assert len(tag_requests(ui, "ci-builds")) == 2
        assert len(tag_requests(ui, "webapp")) == 2
        assert ui.rows()[0] == "build-100001"
        await ui.press("s")
        assert ui.status.endswith("oldest first · watching")
        await poll(ui)
        assert tag_requests(ui, "ci-builds")[-1]["order_type"] == "desc"
        assert ui.app.table.total == 100_001


async def test_a_push_to_100000_tags_keeps_the_view_at_the_end(start: Start, registry: FakeRegistry) -> None:
    async with start(repository="acme/ci-builds", size=NARROW) as ui:
        await ui.press("end")
        table = ui.app.table
        assert table.highlighted_tag is not None
        assert table.highlighted_tag.name == "build-000001"
        await watching(ui)
        top = int(table.scroll_offset.y)
        shown = record_details(ui)
        before = len(ui.registry.requests)
        registry.push_tag("acme", "ci-builds", "build-100001")
        await poll(ui)
        assert table.total == 100_001
        assert table.cache is not None
        assert table.cache.row(0) is not None
        assert table.cache.row(0).name == "build-100001"
        assert table.cursor_row == 100_000
        assert table.highlighted_tag is not None
        assert table.highlighted_tag.name == "build-000001"
        assert int(table.scroll_offset.y) == top + 1  # the rows moved down one: so did the view
        assert table.cache.row(99_999) is not None
        assert table.cache.row(99_999).name == "build-000002"
        assert None not in shown
        assert ui.status.startswith("acme/ci-builds · ↻ 12:00:00 · row 100,001 of 100,001")
        # Tag pages only: the rested row's own reads (Config, Synced to) may come at any time.
        offsets = [
            int(request.params["offset"])
            for request in ui.registry.requests[before:]
            if request.route == "tags"
        ]
        assert offsets[0] == 0  # the poll, then only the pages on screen
        assert set(offsets[1:]) <= {99_900, 100_000}
        await ui.press("home")
        assert ui.rows()[:2] == ["build-100001", "build-100000"]
        assert ui.status.startswith("acme/ci-builds · ↻ 12:00:00 · row 1 of 100,001")


# -- the status line ---------------------------------------------------------------------------


async def test_at_80_columns_the_watch_status_is_shown_in_short(start: Start, registry: FakeRegistry) -> None:
    async with start(repository="acme/webapp", size=NARROW) as ui:
        await watching(ui)
        assert ui.status == "acme/webapp · row 1 of 32 · newest first · ↻ 12:00:00"
        width = ui.app.browser.query_one("#status").content_region.width
        assert len(ui.status) <= width
        registry.faults.add(FaultRule("tags", "status", 503, times=1))
        await poll(ui)
        assert ui.status == "acme/webapp · ↻ failed, retry 1m · row 1 of 32 · newest first"


def test_status_text_places_the_watch_where_it_fits() -> None:
    status = TableStatus(TagQuery("acme", "webapp"), 0, 32, True, False, None)
    label = WatchLabel(Text(CHECKED), Text("↻ 12:00:00"))
    base = "acme/webapp · row 1 of 32 · newest first"
    assert str(status_text(status)) == base
    assert str(status_text(status, watch=label)) == f"{base} · {CHECKED}"
    assert str(status_text(status, watch=label, width=200)) == f"{base} · {CHECKED}"
    assert str(status_text(status, watch=label, width=60)) == f"{base} · ↻ 12:00:00"
    assert (
        str(status_text(status, watch=label, width=40))
        == "acme/webapp · ↻ 12:00:00 · row 1 of 32 · newest first"
    )
    empty = TableStatus(None, 0, None, True, False, None)
    assert str(status_text(empty, watch=label)) == "Choose a repository (enter) · ? for keys"


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff_s(30, failures) for failures in range(6)] == [30, 60, 120, 240, 300, 300]
    assert backoff_s(600, 3) == 600  # an interval longer than the cap is the cap
    assert backoff_s(0.1, 2) == pytest.approx(0.4)
    assert backoff_s(30, 10_000) == 300
    assert [short_duration(seconds) for seconds in (0.05, 5, 60, 90, 300, 7200)] == [
        "0.05s",
        "5s",
        "1m",
        "2m",
        "5m",
        "2h",
    ]


def test_change_messages_are_scrubbed_and_capped() -> None:
    query = TagQuery("acme", "webapp")
    added = tuple(Tag(name=f"v{index}\x1b[31m") for index in range(5))
    message = change_message(query, NewestChange(added=added, old_total=1, new_total=6))
    assert message == r"5 new tags in acme/webapp: v0\x1b[31m, v1\x1b[31m, v2\x1b[31m and 2 more"
    moved = change_message(query, NewestChange(moved=(Tag(name="latest"),), old_total=3, new_total=3))
    assert moved == "latest moved in acme/webapp"
    total = change_message(query, NewestChange(old_total=3, new_total=2, compared=True))
    assert total == "acme/webapp now has 2 tags (was 3)"
    assert change_message(query, NewestChange(old_total=3, new_total=3)) is None


async def test_pushes_and_deletes_with_no_row_in_common_keep_the_cursor_on_its_tag(
    start: Start, registry: FakeRegistry
) -> None:
    """Fifteen pushes and five deletions between two polls: the newest pages share no row, so
    where the older rows went is unknown; the cursor's tag is found again, never guessed."""
    async with start(repository="acme/webapp", page_size=10) as ui:
        table = ui.app.table
        want = ui.rows()[2]
        await ui.highlight(want)
        await watching(ui)
        for index in range(15):
            registry.push_tag("acme", "webapp", f"n{index:02d}")
        for name in ("v0.9.0", "v0.9.1", "v1.0.0", "v1.0.1", "v1.0.2"):
            registry.delete_tag("acme", "webapp", name)
        await poll(ui)
        await ui.wait_until(
            lambda: table.highlighted_tag is not None and table.cache.row(table.cursor_row) is not None
        )
        assert table.highlighted_tag.name == want
        assert table.cursor_row == 17  # 15 new above it, and it was third
        names = [table.cache.row(row).name for row in range(table.total) if table.cache.row(row) is not None]
        assert len(names) == len(set(names))  # no row shown twice
        assert watch_notes(ui)[-1].startswith("10+ new tags in acme/webapp: ")


@pytest.mark.parametrize("change", ["delete", "re-push"])
async def test_oldest_first_a_change_above_the_cursor_keeps_its_tag(
    start: Start, registry: FakeRegistry, change: str
) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("s")
        rows = ui.rows()
        await ui.highlight(rows[5])
        await watching(ui)
        if change == "delete":
            registry.delete_tag("acme", "webapp", rows[2])
        else:
            registry.push_tag("acme", "webapp", rows[2], like=rows[3])  # moves to the end
        await poll(ui)
        table = ui.app.table
        await ui.wait_until(lambda: not table.cache.stale and not table.cache.pending)
        assert table.highlighted_tag.name == rows[5]
        assert table.cursor_row == 4
        assert ui.facts()["Tag"] == rows[5]


@pytest.mark.parametrize("watch", [True, False])
async def test_a_reload_that_finds_new_tags_keeps_the_cursors_tag_and_flashes_them(
    start: Start, registry: FakeRegistry, watch: bool
) -> None:
    async with start(repository="acme/webapp") as ui:
        table = ui.app.table
        want = ui.rows()[3]
        await ui.highlight(want)
        if watch:
            await watching(ui)
        registry.push_tag("acme", "webapp", "v9.9.9")
        await ui.press("r")
        await ui.wait_until(lambda: not table.cache.stale and not table.cache.pending)
        assert table.highlighted_tag.name == want
        assert table.cursor_row == 4
        assert ui.rows()[0] == "v9.9.9"
        assert table.flashing == frozenset({"v9.9.9"})
        assert ui.notes[-1].message == "The tag list changed on the registry (32 → 33 tags)"
        names = ui.rows()
        assert len(names) == len(set(names)) == 33
