"""A virtual table of a repository's tags: as tall as the total, filled page by page on demand.

DataTable measures every row it holds (100k rows freeze the app for seconds), so this is a
Line-API widget: it renders only the visible lines (tag_view.py), keeps fetched pages in a
``PageCache`` and asks for a page only when it comes into view. This module changes what is shown:
listings, pages fetched, watch polls, the diff mark and the keys.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Iterable
from dataclasses import replace
from datetime import datetime, timezone
from functools import partial
from typing import Callable, ClassVar, Optional

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer

from ...formatting import counted
from ...safe_text import scrub
from ...swr.errors import ResponseFormatError, SwrError
from ...swr.models import Tag
from ...swr.paging import Page, short_of_total
from .. import toasts
from ..digests import DigestIndex
from ..table_state import DiffMark, RowState, TableStatus
from ..tag_pages import NewestChange, NewestPage, PageCache, TagQuery
from ..worker_errors import ReportsWorkerFailures
from .tag_view import Clock, TagTableView

PageLoader = Callable[[TagQuery, int, int], Awaitable[Page[Tag]]]

SCROLL_SETTLE_S = 0.06  # after a scrollbar drag, fetch only the pages the view settles on
FLASH_S = 5.0  # how long rows a watch found new or re-pushed stay highlighted


class TagTable(ReportsWorkerFailures, TagTableView, can_focus=True):
    """Tags of one repository; ``show(query)`` switches listing, ``reload()`` refreshes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last tag"),
        Binding("enter", "select", "Details", show=False),
    ]

    class Highlighted(Message):
        """The cursor is on ``row``, in the state ``state`` tells (a tag, loading, failed or empty)."""

        def __init__(self, query: TagQuery, row: int, state: RowState) -> None:
            super().__init__()
            self.query, self.row, self.state = query, row, state

        @property
        def tag(self) -> Optional[Tag]:
            return self.state.tag

    class DigestsChanged(Message):
        """The loaded rows' digest index moved (rows came or went): group marks and links may differ."""

        def __init__(self, digests: DigestIndex) -> None:
            super().__init__()
            self.digests = digests

    class Selected(Message):
        def __init__(self, query: TagQuery, row: int, tag: Tag) -> None:
            super().__init__()
            self.query, self.row, self.tag = query, row, tag

    class StatusChanged(Message):
        def __init__(self, status: TableStatus) -> None:
            super().__init__()
            self.status = status

    class LoadFailed(Message):
        def __init__(self, query: TagQuery, error: SwrError) -> None:
            super().__init__()
            self.query, self.error = query, error

    def __init__(
        self,
        loader: PageLoader,
        *,
        page_size: int = 100,
        clock: Clock = lambda: datetime.now(timezone.utc),
        name: Optional[str] = None,
        id: Optional[str] = None,
        classes: Optional[str] = None,
    ) -> None:
        super().__init__(clock=clock, name=name, id=id, classes=classes)
        self._loader = loader
        self._page_size = page_size
        self._digests_posted = self.digests.version
        self._settle_timer: Optional[Timer] = None
        self._announced: tuple[object, ...] = ()
        self._pending_row: Optional[int] = None
        self._seeking: Optional[tuple[int, int, Tag]] = None  # a re-sort's total, row and tag

    # -- public -------------------------------------------------------------------------------

    def show(self, query: TagQuery, *, keep_highlighted: bool = False) -> None:
        """Switch to a listing: in-flight work for the old one is cancelled and its answers dropped.

        ``keep_highlighted`` (the same tags in the other order): the cursor goes to the highlighted
        tag's row in the new order, looked for in the page the old order puts it in."""
        seek = self._row_reversed(query) if keep_highlighted else None
        self._drop_mark_for(query)
        self.workers.cancel_group(self, "tags")
        self.cache = PageCache(query, self._page_size)
        self._pending_row = None
        self._pinned = None
        self._flash.clear()
        self.digests.clear()
        self._announced = ()
        self._update_virtual_size()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.cursor_row = 0
        self._seeking = seek
        if seek is None:
            self._request_pages([0])
        else:
            # Moved there once the total is in, and shown there until its page tells where the
            # tag really is. Only that page is asked for: it carries the total too, and page 0 is
            # out of view (one round trip on a slow link, not two).
            _, row, tag = seek
            self._pending_row, self._pinned = row, (row, tag)
            self._request_pages([self.cache.page_of(row)])
        self.refresh()

    def _row_reversed(self, query: TagQuery) -> Optional[tuple[int, int, Tag]]:
        """The total, and the highlighted tag with its row once the listing is sorted the other way."""
        cache = self.cache
        if (
            cache is None
            or replace(cache.query, order=query.order) != query
            or cache.query.order == query.order
        ):
            return None
        if cache.total is not None and cache.total_is_exact:
            total, row, tag = cache.total, self.cursor_row, self.highlighted_tag
        elif cache.total is None and self._seeking is not None:
            total, row, tag = self._seeking  # sorted again before the last sort's first answer
        else:
            return None
        return None if tag is None else (total, total - 1 - row, tag)

    def clear(self) -> None:
        self.workers.cancel_group(self, "tags")
        self.diff_mark = None
        self.cache = None
        self._pinned = None
        self._flash.clear()
        self.digests.clear()
        self._update_virtual_size()
        self.refresh()
        self._post_status()

    def reload(self) -> None:
        """Retry failed pages if any; otherwise refresh what is on screen, keeping it until replaced."""
        if self.cache is None:
            return
        if self.cache.failed:
            self._request_pages(self.cache.retry_failed())
            self._fetch_visible()
        else:
            self.workers.cancel_group(self, "tags")
            self.cache.revalidate()
            self._request_pages([0, *self._visible_pages()])
        self.refresh()
        self._post_status()

    # -- the diff mark ------------------------------------------------------------------------

    def toggle_diff_mark(self, across_repositories: bool = False) -> Optional[DiffMark]:
        """Mark the highlighted tag for a diff, or unmark it if it is the one marked (marking it
        across repositories upgrades the mark); returns the mark now held."""
        tag, cache, mark = self.highlighted_tag, self.cache, self.diff_mark
        if tag is None or cache is None:
            return mark
        upgrade = across_repositories and mark is not None and not mark.across_repositories
        if mark is not None and mark.tag == tag and not upgrade:
            self.diff_mark = None
        else:
            self.diff_mark = DiffMark(cache.query, tag, across_repositories)
        self.refresh()
        return self.diff_mark

    def _drop_mark_for(self, query: TagQuery) -> None:
        """Another repository opens: a mark not kept across repositories goes, with a word on how
        to keep one."""
        mark = self.diff_mark
        if mark is None or mark.across_repositories or mark.query.same_repository(query):
            return
        self.diff_mark = None
        toasts.say(
            self,
            f"Unmarked {scrub(mark.tag.name)} of {scrub(mark.query.full_name)}. To diff across "
            "repositories, mark with ctrl+p: Mark for diff across repositories",
            timeout=6,
        )

    # -- fetching -----------------------------------------------------------------------------

    def _visible_rows(self) -> tuple[int, int]:
        first = int(self.scroll_offset.y)
        return first, first + max(1, self.size.height - 1) - 1

    def _visible_pages(self) -> list[int]:
        """The pages with a row on screen. No prefetch: a page is asked for when it is seen, so
        on a 100,000-tag repository every request is a page the user looked at."""
        if self.cache is None or self.cache.total is None:
            return [0]
        first, last = self._visible_rows()
        last = min(last, max(0, self.cache.row_count - 1))
        return list(range(self.cache.page_of(first), self.cache.page_of(last) + 1))

    def _fetch_visible(self) -> None:
        if self.cache is not None and self.cache.total is not None:
            self._request_pages(self._visible_pages())

    def _request_pages(self, pages: list[int]) -> None:
        cache = self.cache
        if cache is None:
            return
        for page in cache.wanted(pages):
            generation = cache.begin(page)
            # A callable, not a coroutine: a worker cancelled before it starts (the listing moved on)
            # must not leave a never-awaited coroutine behind.
            load: Callable[[], Awaitable[None]] = partial(self._load, cache, page, generation)
            self.run_worker(
                load,
                group="tags",
                exit_on_error=False,
                description=f"tags {cache.query.full_name} page {page}",
            )
        self._post_status()

    async def _load(self, cache: PageCache, page: int, generation: int) -> None:
        offset = page * cache.page_size
        try:
            result = await self._loader(cache.query, offset, cache.page_size)
            if short_of_total(result, cache.page_size):
                sent = counted(len(result.items), "tag") if result.items else "no tags"
                raise ResponseFormatError(
                    f"The registry sent {sent} at offset {offset} though it reported {result.total} in all. "
                    "The list may be changing: press r to reload"
                )
        except asyncio.CancelledError:
            raise
        except SwrError as error:
            self._failed(cache, page, generation, error)
            return
        except Exception as error:  # a bug must not take the app down: show it, keep the rows
            self._failed(cache, page, generation, SwrError(f"Unexpected error: {type(error).__name__}"))
            return
        if cache is not self.cache:
            return
        if cache.newest_page_moved(page, generation, result):
            # A reload found the newest page changed: fold it in as a watch's poll would, so the
            # cursor keeps its tag and the new rows flash, rather than dropping every row.
            old_total = cache.total
            cache.pending.discard(page)
            self.apply_newest(cache.query, result)
            message = (
                f"The tag list changed on the registry ({old_total:,} → {counted(cache.row_count, 'tag')})"
            )
            toasts.say(self, message, severity="information")
            return
        moved_from = cache.store(page, generation, result)
        self.digests.sync(cache.pages, cache.page_size)
        if moved_from is not None:
            message = (
                f"The tag list changed on the registry ({moved_from:,} → {counted(cache.row_count, 'tag')}); "
                "reloading rows"
            )
            toasts.say(self, message, severity="warning")
        self._update_virtual_size()
        pending, self._pending_row = self._pending_row, None
        if pending is not None:  # a key pressed (or a re-sort) before the total was known
            self._jump(cache.row_count - 1 if pending < 0 else pending)
        if pending is None or self._pinned is not None:
            self.cursor_row = min(self._unpin(cache, page, result.items), max(0, cache.row_count - 1))
        self.refresh()
        self._announce()
        self._post_status()
        if moved_from is not None or page == 0:
            self.call_after_refresh(self._fetch_visible)

    def _unpin(self, cache: PageCache, page: int, rows: tuple[Tag, ...]) -> int:
        """The cursor's row once ``page`` is in: where the pinned tag turned up, if it is in it."""
        pinned = self._pinned
        if pinned is None or not cache.settles_pin(pinned[0], page, rows):
            return self.cursor_row
        self._pinned = None
        found = cache.row_named(page, pinned[1].name)
        return self.cursor_row if found is None else found

    def _failed(self, cache: PageCache, page: int, generation: int, error: SwrError) -> None:
        if cache is not self.cache or not cache.fail(page, generation, error):
            return
        self.refresh()
        self._announce()
        self._post_status()
        self.post_message(self.LoadFailed(cache.query, error))

    # -- cursor and scrolling -----------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._settle_timer is not None:
            self._settle_timer.stop()
        if abs(new_value - old_value) < max(1, self.size.height - 1):
            self._fetch_visible()  # stepping or wheeling: the next rows are wanted now
        else:
            # A long drag of the scrollbar passes over many pages: ask only for where it stops.
            self._settle_timer = self.set_timer(SCROLL_SETTLE_S, self._fetch_visible)

    # -- watching -----------------------------------------------------------------------------

    def apply_newest(
        self, query: TagQuery, result: Page[Tag], previous: Optional[NewestPage] = None
    ) -> Optional[NewestChange]:
        """Fold in a watch's poll of the newest page; None if the table shows another listing now.

        Newest first, new rows go in at the top and the cursor keeps its tag: on its new row if
        the tag is in the polled page, else moved down by the rows inserted above it; the view
        stays at the top if it was there (the new rows are seen), else moves with the rows (it
        does not jump). Oldest first, new rows belong at the end and the view stays as it is.
        Rows that changed get a highlight for ``FLASH_S`` seconds.
        """
        cache = self.cache
        if cache is None or cache.query != query:
            return None
        generation, row, top = cache.generation, self.cursor_row, int(self.scroll_offset.y)
        tag, old_first = self.highlighted_tag, cache.pages.get(0, ())
        change = cache.apply_newest(result, previous)
        if cache.generation == generation:  # nothing moved: at most page 0 is fresher
            self.digests.sync(cache.pages, cache.page_size)
            self.refresh()
            self._post_status()
            return change
        self.workers.cancel_group(self, "tags")  # pages asked for before are of the old order
        self.digests.sync(cache.pages, cache.page_size)
        self._update_virtual_size()
        self._pinned = None
        if query.order == "desc":
            self.scroll_to(y=0 if top == 0 else max(0, top + change.offset), animate=False, immediate=True)
        row, pinned = cache.cursor_after_poll(tag, row, old_first, result.items, change)
        # A pinned tag is shown until its page is in (the details do not flicker), and looked for in
        # it then: rows above it may have moved or gone, in either order.
        self._pinned = None if pinned is None else (row, pinned)
        self.cursor_row = row
        self.flash(change.flashed)
        self.refresh()
        self._announce()
        self._post_status()
        self._fetch_visible()
        self.call_after_refresh(self._fetch_visible)
        return change

    def flash(self, names: Iterable[str]) -> None:
        """Highlight the rows of these tags for ``FLASH_S`` seconds."""
        names = list(names)
        if not names:
            return
        until = time.monotonic() + FLASH_S
        self._flash.update(dict.fromkeys(names, until))
        self.set_timer(FLASH_S, self._end_flash)
        self.refresh()

    def _end_flash(self) -> None:
        now = time.monotonic()
        self._flash = {name: until for name, until in self._flash.items() if until > now + 0.05}
        if self._flash:  # a later flash has its own timer; this only guards against an early tick
            self.set_timer(max(0.05, min(self._flash.values()) - now), self._end_flash)
        self.refresh()

    # -- cursor -------------------------------------------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        count = self.cache.row_count if self.cache else 0
        return max(0, min(row, count - 1)) if count else 0

    def watch_cursor_row(self, old: int, row: int) -> None:
        if self._pinned is not None and self._pinned[0] != row:
            self._pinned = None  # the user moved on
        top = self.scroll_offset.y
        self._scroll_cursor_into_view()
        if self.scroll_offset.y == top:  # only the two rows' lines change (the header is line 0)
            self.refresh_line(old + 1)
            self.refresh_line(row + 1)
        else:
            self.refresh()
        self._announce()
        self._post_status()

    def _scroll_cursor_into_view(self) -> None:
        height = max(1, self.size.height - 1)
        top = int(self.scroll_offset.y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False, immediate=True)

    def _jump(self, row: int) -> None:
        """Move and fetch what is now visible at once: a deliberate jump does not wait to settle."""
        self.cursor_row = row
        if self.cache is not None and self.cache.total is not None:
            # Right after the first page lands the scroll range is not laid out yet and the scroll
            # above may fall short (what looks visible now may be rows the view is leaving): the
            # cursor's own page is wanted anyway, and the view's pages once it has followed.
            self._request_pages([self.cache.page_of(self.cursor_row)])
            self.call_after_refresh(self._scroll_cursor_into_view)
            self.call_after_refresh(self._fetch_visible)

    def _waiting_for_total(self, row: int) -> bool:
        """Before the first page tells the total, remember where the user wants to go (-1: last)."""
        if self.cache is not None and self.cache.total is None:
            self._pending_row = row
            self._pinned = None  # the user moves on from where a re-sort was taking the cursor
            return True
        return False

    def action_cursor(self, delta: int) -> None:
        base = (
            self._pending_row if self._pending_row is not None and self._pending_row >= 0 else self.cursor_row
        )
        if not self._waiting_for_total(max(0, base + delta)):
            self.cursor_row += delta

    def action_page(self, direction: int) -> None:
        step = direction * max(1, self.size.height - 2)
        base = (
            self._pending_row if self._pending_row is not None and self._pending_row >= 0 else self.cursor_row
        )
        if not self._waiting_for_total(max(0, base + step)):
            self._jump(self.cursor_row + step)

    def action_first(self) -> None:
        if not self._waiting_for_total(0):
            self._jump(0)

    def action_last(self) -> None:
        if self.cache is not None and not self._waiting_for_total(-1):
            self._jump(self.cache.row_count - 1)

    def action_select(self) -> None:
        tag = self.highlighted_tag
        if tag is not None and self.cache is not None:
            self.post_message(self.Selected(self.cache.query, self.cursor_row, tag))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1 and self.cache is not None:
            self.cursor_row = int(self.scroll_offset.y) + event.y - 1
            if event.chain >= 2:
                self.action_select()

    def on_resize(self) -> None:
        self._update_virtual_size()
        self._fetch_visible()

    def _announce(self) -> None:
        if self.cache is None:
            return
        state = self.highlighted_state()
        current = (self.cache.query, self.cursor_row, state)
        if current != self._announced:
            self._announced = current
            self.post_message(self.Highlighted(self.cache.query, self.cursor_row, state))

    def _post_status(self) -> None:
        self.post_message(self.StatusChanged(self.status()))
        if self.digests.version != self._digests_posted:
            self._digests_posted = self.digests.version
            self.post_message(self.DigestsChanged(self.digests))
