"""PageCache.apply_newest and compare_newest: folding a watch's poll of the newest page into what
the tag table holds (new rows at the top, pages shifted and re-chunked, stale and generation rules)."""

from __future__ import annotations

from typing import Optional

from swr_tui.swr.models import Tag
from swr_tui.swr.paging import Page
from swr_tui.ui import tag_pages
from swr_tui.ui.tag_pages import (
    NewestChange,
    NewestPage,
    PageCache,
    TagQuery,
    compare_newest,
    row_after_poll,
)

SIZE = 10


def tag(name: str, updated: str = "2026-01-01T00:00:00Z", digest: str = "") -> Tag:
    return Tag(name=name, digest=digest or f"sha256:{name}", updated=updated)


def listing(count: int) -> list[Tag]:
    """``count`` tags newest first: t{count-1} ... t0."""
    return [
        tag(f"t{index:03d}", updated=f"2026-01-01T00:{index // 60:02d}:{index % 60:02d}Z")
        for index in reversed(range(count))
    ]


def new(name: str) -> Tag:
    return tag(name, updated="2027-01-01T00:00:00Z")


def held(rows: list[Tag], pages: list[int], order: str = "desc") -> PageCache:
    """A cache for a listing of ``rows`` (in ``order``) holding ``pages``."""
    cache = PageCache(TagQuery("acme", "app", order=order), SIZE)
    for page in pages:
        items = tuple(rows[page * SIZE : (page + 1) * SIZE])
        cache.store(page, cache.begin(page), Page(items, page * SIZE, SIZE, len(rows)))
    return cache


def poll(rows: list[Tag]) -> Page[Tag]:
    return Page(tuple(rows[:SIZE]), 0, SIZE, len(rows))


def names(rows: Optional[tuple[Tag, ...]]) -> list[str]:
    assert rows is not None
    return [row.name for row in rows]


# -- compare_newest ------------------------------------------------------------------------------


def test_nothing_to_compare_with_makes_a_baseline() -> None:
    change = compare_newest(None, NewestPage(tuple(listing(3)), 3), SIZE)
    assert change == NewestChange(new_total=3)
    assert not change.compared
    assert not change.changed


def test_the_same_page_is_no_change() -> None:
    rows = tuple(listing(25)[:SIZE])
    change = compare_newest(NewestPage(rows, 25), NewestPage(rows, 25), SIZE)
    assert change.compared
    assert not change.changed
    assert change.shift == 0
    assert change.offset == 0


def test_new_tags_push_the_bottom_rows_onto_the_next_page() -> None:
    old = listing(25)
    now = [new("b"), new("a"), *old]
    change = compare_newest(NewestPage(tuple(old[:SIZE]), 25), NewestPage(tuple(now[:SIZE]), 27), SIZE)
    assert names(change.added) == ["b", "a"]
    assert change.moved == ()
    assert change.removed == ()
    assert change.shift == 2
    assert change.fallen == (old[8].name, old[9].name)  # slid onto page 1, not gone
    assert change.flashed == ("b", "a")


def test_a_repushed_tag_is_moved_not_new() -> None:
    old = listing(25)
    repushed = tag(old[5].name, updated="2027-01-01T00:00:00Z", digest="sha256:other")
    now = [repushed, *old[:5], *old[6:]]
    change = compare_newest(NewestPage(tuple(old[:SIZE]), 25), NewestPage(tuple(now[:SIZE]), 25), SIZE)
    assert change.added == ()
    assert names(change.moved) == [old[5].name]
    assert change.removed == ()
    assert change.shift == 0
    assert change.changed


def test_a_deleted_tag_pulls_a_row_up_from_the_next_page() -> None:
    old = listing(25)
    now = [*old[:3], *old[4:]]
    change = compare_newest(NewestPage(tuple(old[:SIZE]), 25), NewestPage(tuple(now[:SIZE]), 24), SIZE)
    assert change.added == ()  # old[10] came up from page 1: not new
    assert change.removed == (old[3].name,)
    assert change.shift == -1


def test_a_deleted_bottom_row_is_gone_when_rows_come_up() -> None:
    old = listing(25)
    now = [*old[:9], *old[10:]]
    change = compare_newest(NewestPage(tuple(old[:SIZE]), 25), NewestPage(tuple(now[:SIZE]), 24), SIZE)
    assert change.removed == (old[9].name,)
    assert change.shift == -1


def test_a_change_out_of_sight_leaves_the_shift_unknown() -> None:
    old = listing(25)
    now = [new("a"), *old[:20], *old[21:]]  # one pushed, one deleted further down: total unchanged
    change = compare_newest(NewestPage(tuple(old[:SIZE]), 25), NewestPage(tuple(now[:SIZE]), 25), SIZE)
    assert names(change.added) == ["a"]
    assert change.shift is None
    assert change.offset == 0
    assert not change.total_changed


def test_on_a_small_listing_missing_tags_are_gone() -> None:
    old = listing(5)
    now = [new("a"), *old[:2], *old[3:]]
    change = compare_newest(NewestPage(tuple(old), 5), NewestPage(tuple(now), 5), SIZE)
    assert names(change.added) == ["a"]
    assert change.removed == (old[2].name,)
    assert change.shift == 0


# -- PageCache.apply_newest, newest first --------------------------------------------------------


def test_an_unchanged_poll_refreshes_page_0_and_keeps_everything_else() -> None:
    rows = listing(35)
    cache = held(rows, [0, 1, 3])
    cache.revalidate()  # a reload is on its way: page 0 stale
    pending = cache.begin(1)
    change = cache.apply_newest(poll(rows))
    assert not change.changed
    assert cache.generation == pending  # in-flight pages stay valid
    assert cache.stale == {1, 3}  # only page 0 was made fresh
    assert cache.pending == {1}
    assert sorted(cache.pages) == [0, 1, 3]
    assert cache.wanted([0, 1, 2, 3]) == [2, 3]


def test_new_tags_go_in_at_the_top_and_held_pages_move_down() -> None:
    old = listing(35)
    cache = held(old, [0, 1, 2])
    cache.begin(3)
    generation = cache.generation
    now = [new("b"), new("a"), *old]
    change = cache.apply_newest(poll(now))
    assert names(change.added) == ["b", "a"]
    assert (change.old_total, change.new_total, change.shift) == (35, 37, 2)
    assert cache.total == 37
    assert cache.generation == generation + 1
    assert cache.pending == set()
    assert names(cache.pages[0]) == [row.name for row in now[:10]]
    # Re-chunked by the shift: page 1 is old rows 8-17 (two slid from page 0), page 2 old 18-27.
    assert names(cache.pages[1]) == [row.name for row in old[8:18]]
    assert names(cache.pages[2]) == [row.name for row in old[18:28]]
    assert 3 not in cache.pages  # rows 30-36 would need old page 3, never held: placeholders
    assert cache.stale == {1, 2}
    assert cache.wanted([0, 1, 2, 3]) == [1, 2, 3]


def test_a_last_page_that_ends_with_the_total_is_complete() -> None:
    old = listing(35)
    cache = held(old, [0, 3])
    change = cache.apply_newest(poll([new("a"), *old]))
    assert change.shift == 1
    # New page 3 is rows 30-35: old rows 29-34, and old 29 is on page 2, not held.
    assert sorted(cache.pages) == [0]
    cache = held(old, [0, 2, 3])
    cache.apply_newest(poll([new("a"), *old]))
    assert names(cache.pages[3]) == [row.name for row in old[29:35]]
    assert 2 not in cache.pages  # needs old row 19 (page 1)
    assert cache.stale == {3}


def test_a_repush_keeps_held_pages_in_place_but_stale() -> None:
    old = listing(35)
    cache = held(old, [0, 1, 2])
    repushed = tag(old[4].name, updated="2027-01-01T00:00:00Z", digest="sha256:moved")
    change = cache.apply_newest(poll([repushed, *old[:4], *old[5:]]))
    assert names(change.moved) == [old[4].name]
    assert change.shift == 0
    assert cache.total == 35
    assert names(cache.pages[1]) == [row.name for row in old[10:20]]
    assert cache.stale == {1, 2}


def test_a_deletion_moves_held_pages_up() -> None:
    old = listing(35)
    cache = held(old, [0, 1, 2])
    change = cache.apply_newest(poll([*old[:3], *old[4:]]))
    assert change.removed == (old[3].name,)
    assert (change.new_total, change.shift) == (34, -1)
    assert names(cache.pages[1]) == [row.name for row in old[11:21]]
    assert 2 not in cache.pages  # needs old row 30 (page 3)
    assert cache.row_count == 34


def test_an_unknowable_shift_drops_the_other_pages() -> None:
    old = listing(35)
    cache = held(old, [0, 1, 2])
    cache.fail(3, cache.generation, _error())
    change = cache.apply_newest(poll([new("a"), *old[:20], *old[21:]]))
    assert change.shift is None
    assert sorted(cache.pages) == [0]
    assert cache.failed == {}
    assert cache.stale == set()


def test_without_page_0_the_last_poll_is_the_baseline() -> None:
    old = listing(35)
    cache = held(old, [3])
    previous = NewestPage(tuple(old[:SIZE]), 35)
    change = cache.apply_newest(poll([new("a"), *old]), previous)
    assert names(change.added) == ["a"]
    assert change.shift == 1
    assert names(cache.pages[0])[0] == "a"
    assert sorted(cache.pages) == [0]  # page 3 moved to rows 31-35, needing old row 29: dropped


def test_nothing_changes_before_the_first_page_is_in() -> None:
    cache = PageCache(TagQuery("acme", "app"), SIZE)
    cache.begin(0)
    change = cache.apply_newest(poll(listing(3)))
    assert cache.total is None
    assert cache.pages == {}
    assert cache.pending == {0}
    assert not change.changed


# -- PageCache.apply_newest, oldest first --------------------------------------------------------


def test_oldest_first_new_tags_extend_the_end() -> None:
    desc = listing(35)
    cache = held(list(reversed(desc)), [0, 1, 3], order="asc")
    generation = cache.generation
    previous = NewestPage(tuple(desc[:SIZE]), 35)
    change = cache.apply_newest(poll([new("a"), *desc]), previous)
    assert names(change.added) == ["a"]
    assert cache.total == 36
    assert cache.generation == generation + 1  # a page on its way carries the old total
    assert sorted(cache.pages) == [0, 1, 3]
    assert cache.stale == {3}  # it was short: the new row belongs in it
    assert cache.wanted([0, 1, 2, 3]) == [2, 3]


def test_oldest_first_a_moved_tag_makes_held_pages_stale() -> None:
    desc = listing(35)
    cache = held(list(reversed(desc)), [0, 1, 3], order="asc")
    repushed = tag(desc[20].name, updated="2027-01-01T00:00:00Z", digest="sha256:moved")
    change = cache.apply_newest(poll([repushed, *desc[:20], *desc[21:]]))  # no previous poll
    assert not change.compared
    assert not change.changed  # nothing known to compare, same total: the baseline
    assert cache.stale == set()
    change = cache.apply_newest(poll([repushed, *desc[:20], *desc[21:]]), NewestPage(tuple(desc[:SIZE]), 35))
    assert names(change.added) == [desc[20].name]  # not in the last poll's page: looks new
    assert cache.stale == {0, 1, 3}  # yet the total did not grow: rows moved somewhere
    assert cache.total == 35


def test_oldest_first_deletions_shrink_and_drop_pages_past_the_end() -> None:
    desc = listing(35)
    cache = held(list(reversed(desc)), [0, 1, 3], order="asc")
    change = cache.apply_newest(poll(desc[:5] + desc[10:]))
    assert change.total_changed
    assert cache.total == 30
    assert sorted(cache.pages) == [0, 1]
    assert cache.stale == {0, 1}


def _error() -> Exception:
    from swr_tui.swr.errors import SwrError

    return SwrError("boom")


# -- the cursor through a poll or a reload (the table's decisions, without the table) -------------


def test_the_highlighted_tag_keeps_its_row_in_the_polled_page() -> None:
    before = tuple(listing(5))
    after = (new("n1"), *before)
    assert row_after_poll(before[2], before, after, (), default=99) == 3


def test_a_deleted_highlighted_tag_gives_its_place_to_the_next_one_still_there() -> None:
    before = tuple(listing(5))
    after = tuple(row for row in before if row.name not in {"t002", "t001"})
    assert row_after_poll(before[2], before, after, ("t002", "t001"), default=99) == 2


def test_without_a_tag_or_a_trace_of_it_the_row_is_the_default() -> None:
    before = tuple(listing(5))
    assert row_after_poll(None, before, before, (), default=7) == 7
    assert row_after_poll(tag("elsewhere"), before, before, (), default=7) == 7


def test_newest_first_the_cursor_follows_its_tag_past_the_new_rows() -> None:
    rows = listing(25)
    cache = held(rows, [0, 1])
    highlighted, old_first = rows[3], cache.pages[0]
    moved = [new("n2"), new("n1"), *rows]
    change = cache.apply_newest(poll(moved))
    row, pinned = cache.cursor_after_poll(highlighted, 3, old_first, poll(moved).items, change)
    assert row == 5
    assert cache.row(row) == highlighted
    assert pinned is None  # its row is held fresh: nothing to pin


def test_a_tag_pushed_onto_a_page_not_held_fresh_is_pinned_until_that_page_is_in() -> None:
    rows = listing(25)
    cache = held(rows, [0, 1])
    highlighted, old_first = rows[9], cache.pages[0]
    moved = [new("n2"), new("n1"), *rows]
    change = cache.apply_newest(poll(moved))
    row, pinned = cache.cursor_after_poll(highlighted, 9, old_first, poll(moved).items, change)
    assert row == 11
    assert pinned == highlighted
    rows_now = tuple(moved[SIZE : 2 * SIZE])
    cache.pending.discard(1)
    cache.store(1, cache.begin(1), Page(rows_now, SIZE, SIZE, len(moved)))
    assert cache.settles_pin(row, 1, rows_now)
    assert not cache.settles_pin(row, 0, cache.pages[0])
    assert cache.row_named(1, highlighted.name) == 11
    assert cache.row_named(1, "nowhere") is None


def test_oldest_first_the_cursor_row_stays_where_it_was() -> None:
    rows = list(reversed(listing(25)))
    cache = held(rows, [0], order="asc")
    newest = [new("n1"), *listing(25)]
    change = cache.apply_newest(poll(newest))
    row, _ = cache.cursor_after_poll(rows[4], 4, cache.pages.get(0, ()), poll(newest).items, change)
    assert row == 4


def test_a_reload_of_the_newest_page_with_another_total_is_folded_in_not_stored() -> None:
    rows = listing(25)
    cache = held(rows, [0, 1])
    generation = cache.begin(0)
    grown = poll([new("n1"), *rows])
    assert cache.newest_page_moved(0, generation, grown)
    assert not cache.newest_page_moved(1, generation, grown)  # only the newest page
    assert not cache.newest_page_moved(0, generation, poll(rows))  # the same total
    assert not held(rows, [0], order="asc").newest_page_moved(0, 0, grown)  # oldest first: stored


def test_a_long_browse_keeps_the_pages_near_where_it_is_and_the_newest() -> None:
    cache = PageCache(TagQuery("acme", "app"), 100)
    total = 1_000_000
    bound = cache.held_pages
    assert bound == tag_pages.HELD_ROWS // 100
    for page in [0, *range(100, 100 + 3 * bound)]:
        generation = cache.begin(page)
        rows = tuple(Tag(name=f"t{page * 100 + i}") for i in range(100))
        cache.store(page, generation, Page(rows, page * 100, 100, total))
    last = 100 + 3 * bound - 1
    assert len(cache.pages) == bound
    assert 0 in cache.pages  # the newest page: the watch compares with it
    assert set(cache.pages) == {0, *range(last - bound + 2, last + 1)}  # the nearest to the last read
    assert cache.wanted([100]) == [100]  # a page dropped is read again when it is wanted
    assert cache.wanted([last]) == []
