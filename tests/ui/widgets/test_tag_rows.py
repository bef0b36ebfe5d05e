"""Row rendering of the tag table, without a widget: columns for a width, cells, the cut."""

from __future__ import annotations

from datetime import datetime, timezone

from rich.style import Style

from swr_tui.swr.models import Tag
from swr_tui.ui.widgets.tag_rows import DIFF_MARK, MARK_WIDTH, columns_for, row_strip, tag_cells, truncate

NOW = datetime(2026, 1, 2, tzinfo=timezone.utc)


def test_truncate_pads_and_cuts_counting_wide_characters_as_two() -> None:
    assert truncate("abc", 5) == "abc  "
    assert truncate("abcdef", 4) == "abc…"
    assert truncate("日本語", 4) == "日… "
    assert truncate("anything", 0) == ""


def test_wide_tables_show_every_column_and_narrow_ones_drop_the_digest_first() -> None:
    assert [c.title for c in columns_for(120)] == ["Tag", "Updated", "Size", "Digest", "Type"]
    assert [c.title for c in columns_for(50)] == ["Tag", "Updated", "Size", "Type"]
    wide = columns_for(120)
    assert sum(c.width + 1 for c in wide) - 1 == 120 - MARK_WIDTH


def test_cells_name_the_kind_and_the_diff_mark() -> None:
    tag = Tag(name="v1", digest="sha256:" + "a" * 64, size=2048, updated="2026-01-01T00:00:00Z")
    columns = columns_for(120)
    cells = tag_cells(tag, columns, NOW, diff_marked=True)
    assert cells[0] == f"{DIFF_MARK} v1"
    assert cells[-1] == "image"
    assert tag_cells(tag, columns, NOW, diff_marked=False)[0] == "v1"


def test_a_row_is_the_mark_then_the_cells_in_their_widths() -> None:
    columns = columns_for(60)
    strip = row_strip(["v1"] + [""] * (len(columns) - 1), columns, Style())
    assert strip.text.startswith(" " * MARK_WIDTH + "v1")
    assert strip.cell_length == 60


def test_a_listing_without_rows_to_show_says_why() -> None:
    from swr_tui.swr.errors import SwrError
    from swr_tui.swr.paging import Page
    from swr_tui.ui.tag_pages import PageCache, TagQuery
    from swr_tui.ui.widgets.tag_rows import listing_message

    assert listing_message(None) == (["Choose a repository to list its tags."], "tag-table--message")
    cache = PageCache(TagQuery("acme", "web", tag_filter="rc"), 10)
    assert listing_message(cache) == (["Loading the tags of acme/web…"], "tag-table--message")
    cache.fail(0, cache.begin(0), SwrError("boom"))
    message = listing_message(cache)
    assert message is not None
    assert message.lines == ["Could not load the tags of acme/web:", "boom", "Press r to retry."]
    assert message.component == "tag-table--error"
    cache.retry_failed()
    cache.store(0, cache.begin(0), Page((), 0, 10, 0))
    assert listing_message(cache) == (
        ['No tags match "rc". Press escape to clear the filter.'],
        "tag-table--message",
    )
    cache = PageCache(TagQuery("acme", "web"), 10)
    cache.store(0, cache.begin(0), Page((Tag(name="v1"),), 0, 10, 1))
    assert listing_message(cache) is None
