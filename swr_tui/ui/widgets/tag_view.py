"""What the tag table shows and how it is drawn: the held rows, the cursor, the rows flashing after a
watch, the diff mark and the digest groups, rendered line by line (only the visible lines).

``TagTable`` (tag_table.py) changes this state: listings, fetched pages, watch polls and keys.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, ClassVar, Optional, Protocol

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...safe_text import scrub
from ...swr.cosign import signature_kind
from ...swr.models import Tag
from ..digests import COLOURS, DigestIndex
from ..table_state import DiffMark, RowState, TableStatus
from ..tag_pages import PageCache, TagQuery
from .tag_rows import columns_for, listing_message, row_strip, tag_cells, truncate

Clock = Callable[[], datetime]
DOOMED = Style(dim=True)  # a row the retention rule would delete


class RetentionMarker(Protocol):
    """Which rows the listing's retention rule would delete (ui/retention_marks.py)."""

    def shows_marks(self, query: TagQuery) -> bool: ...

    def deleted(self, query: TagQuery, row: int, tag: Tag) -> bool: ...


class TagTableView(ScrollView):
    """The tag table's state as shown, and its rendering; TagTable is the widget built on it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tag-table--header",
        "tag-table--cursor",
        "tag-table--placeholder",
        "tag-table--message",
        "tag-table--error",
        "tag-table--list",
        "tag-table--signature",
        "tag-table--new",
        *(f"tag-table--group-{index}" for index in range(COLOURS)),
    }

    # The watcher repaints (two lines when the view did not scroll), not the reactive (the whole table).
    cursor_row: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    def __init__(
        self,
        *,
        clock: Clock,
        name: Optional[str] = None,
        id: Optional[str] = None,
        classes: Optional[str] = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._clock = clock
        self.cache: Optional[PageCache] = None
        self.digests = DigestIndex()  # the loaded rows by digest: group marks, the detail's links
        # After a watch moved rows: the highlighted tag and its new row, until that row's page is in.
        self._pinned: Optional[tuple[int, Tag]] = None
        self._flash: dict[str, float] = {}  # tag name -> when its highlight ends (monotonic)
        self.diff_mark: Optional[DiffMark] = None
        self.retention: Optional[RetentionMarker] = None  # the ⌫ column, when the listing has a rule
        self.show_pulled = False  # P: the Pulled column

    # Shadows DOMNode.query (a selector query) while the app reads table.query; a rename frees it.
    @property
    def query(self) -> Optional[TagQuery]:  # type: ignore[override]
        return self.cache.query if self.cache else None

    @property
    def total(self) -> Optional[int]:
        return self.cache.total if self.cache else None

    @property
    def highlighted_tag(self) -> Optional[Tag]:
        return self._tag_at(self.cursor_row)

    @property
    def flashing(self) -> frozenset[str]:
        """Names of the rows highlighted as new or re-pushed right now."""
        return frozenset(self._flash)

    def _tag_at(self, row: int) -> Optional[Tag]:
        if self.cache is None:
            return None
        tag = self.cache.row(row)
        if tag is None and self._pinned is not None and self._pinned[0] == row:
            return self._pinned[1]
        return tag

    def _is_diff_marked(self, tag: Tag) -> bool:
        mark = self.diff_mark
        return (
            mark is not None
            and mark.tag.name == tag.name
            and self.cache is not None
            and mark.query.same_repository(self.cache.query)
        )

    def highlighted_state(self) -> RowState:
        """The highlighted row's tag, or why there is none."""
        tag = self.highlighted_tag
        cache = self.cache
        if tag is not None or cache is None:
            return RowState(tag)
        return RowState(None, cache.failed.get(cache.page_of(self.cursor_row)), cache.total == 0)

    def status(self) -> TableStatus:
        cache = self.cache
        if cache is None:
            return TableStatus(None, 0, None, True, False, None)
        return TableStatus(
            cache.query,
            self.cursor_row,
            cache.total,
            cache.total_is_exact,
            bool(cache.pending),
            cache.first_error,
        )

    def _update_virtual_size(self) -> None:
        rows = self.cache.row_count if self.cache else 0
        self.virtual_size = Size(self.scrollable_content_region.width, rows + 1)

    # -- rendering ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        marker, listing = self.retention, self.query
        marks = marker is not None and listing is not None and marker.shows_marks(listing)
        columns = columns_for(width, marks, self.show_pulled)
        if y == 0:
            header = self.get_component_rich_style("tag-table--header")
            return row_strip([c.title for c in columns], columns, base + header).extend_cell_length(
                width, base
            )
        cache = self.cache
        message = listing_message(cache)
        if message is not None:
            return self._message(y, message.lines, width, message.component)
        assert cache is not None  # listing_message covers a table with no listing
        row = int(self.scroll_offset.y) + y - 1
        if row >= cache.row_count:
            return Strip.blank(width, base)
        tag = self._tag_at(row)
        style = base
        group = None
        if tag is None:
            error = cache.failed.get(cache.page_of(row))
            if error is not None:
                cells = [""] * marks + ["⚠ " + str(error)] + [""] * (len(columns) - 1 - marks)
                style = base + self.get_component_rich_style("tag-table--error")
            else:
                dots = "·" * min(24, columns[marks].width)
                cells = [""] * marks + [dots] + [""] * (len(columns) - 1 - marks)
                style = base + self.get_component_rich_style("tag-table--placeholder")
        else:
            doomed = marks and marker is not None and marker.deleted(cache.query, row, tag)
            cells = tag_cells(tag, columns, self._clock(), self._is_diff_marked(tag), doomed)
            group = self.digests.mark(tag.digest)
            if signature_kind(tag.name) is not None:
                style = base + self.get_component_rich_style("tag-table--signature")
            elif tag.is_manifest_list:
                style = base + self.get_component_rich_style("tag-table--list")
            if tag.name in self._flash and row != self.cursor_row:
                style = style + self.get_component_rich_style("tag-table--new")
            if doomed:
                style = style + DOOMED
        if row == self.cursor_row:
            style = style + self.get_component_rich_style("tag-table--cursor")
        mark = None
        if group is not None:
            mark = (group.glyph, style + self.get_component_rich_style(group.component))
        return row_strip(cells, columns, style, mark).extend_cell_length(width, style).crop(0, width)

    def _message(self, y: int, lines: list[str], width: int, component: str) -> Strip:
        index = y - 2
        if not 0 <= index < len(lines):
            return Strip.blank(width, self.rich_style)
        style = self.rich_style + self.get_component_rich_style(component)
        text = truncate(" " + scrub(lines[index]), width)
        return Strip([Segment(text, style)]).extend_cell_length(width, style).crop(0, width)
