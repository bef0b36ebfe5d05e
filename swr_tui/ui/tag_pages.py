"""What the tag table knows about one listing: which pages it holds, awaits or failed to get.

Kept free of widgets so that the paging rules (never ask twice for a page that is held or on its
way, keep shown rows through a reload, drop everything when the total moves, fold in what a watch
saw at the top of the listing) are tested directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Optional

from ..swr.errors import SwrError
from ..swr.models import Tag
from ..swr.paging import Page

ORDER_LABELS = {"desc": "newest first", "asc": "oldest first"}
# Rows a listing keeps (a page of 100 tags with their manifests is ~0.3 MB): browsing 60 pages of a
# 1,000,000-tag repository held all of them (+19 MB). Past this, the pages farthest from the one
# just stored go (page 0, which the watch compares with, stays); going back reads them again.
HELD_ROWS = 3_000
MIN_HELD_PAGES = 8  # whatever the page size, more than a screenful and its neighbours


@dataclass(frozen=True)
class TagQuery:
    """One listing: a repository, a sort and a server-side tag filter."""

    namespace: str
    repository: str
    order: str = "desc"
    tag_filter: str = ""
    instance: str = ""  # an Enterprise Edition instance's id; "" for the basic edition
    artifacts: bool = False  # an instance's listing by artifact (untagged ones too), not by tag

    @property
    def full_name(self) -> str:
        return f"{self.namespace}/{self.repository}"

    @property
    def order_label(self) -> str:
        return ORDER_LABELS.get(self.order, self.order)

    def same_repository(self, other: TagQuery) -> bool:
        return (self.namespace, self.repository, self.instance) == (
            other.namespace,
            other.repository,
            other.instance,
        )


@dataclass
class PageCache:
    query: TagQuery
    page_size: int
    total: Optional[int] = None
    total_is_exact: bool = True
    generation: int = 0
    pages: dict[int, tuple[Tag, ...]] = field(default_factory=dict)
    stale: set[int] = field(default_factory=set)
    pending: set[int] = field(default_factory=set)
    failed: dict[int, SwrError] = field(default_factory=dict)

    def page_of(self, row: int) -> int:
        return row // self.page_size

    def row(self, row: int) -> Optional[Tag]:
        rows = self.pages.get(self.page_of(row))
        if rows is None:
            return None
        index = row - self.page_of(row) * self.page_size
        return rows[index] if 0 <= index < len(rows) else None

    @property
    def row_count(self) -> int:
        """Rows the table shows: the total, or 0 until the first page tells it."""
        return self.total or 0

    def wanted(self, pages: list[int]) -> list[int]:
        """The pages among ``pages`` that are neither held fresh, nor on their way, nor failed."""
        limit = None if self.total is None else max(0, -(-self.total // self.page_size))
        wanted = []
        for page in pages:
            if page < 0 or (limit is not None and page >= limit and not (page == 0 and self.total == 0)):
                continue
            if page in self.pending or page in self.failed:
                continue
            if page in self.pages and page not in self.stale:
                continue
            if page not in wanted:  # a page asked for twice in one call (reload asks for 0 and the view)
                wanted.append(page)
        return wanted

    def begin(self, page: int) -> int:
        self.pending.add(page)
        return self.generation

    def store(self, page: int, generation: int, result: Page[Tag]) -> Optional[int]:
        """Keep a page; returns the previous total when the total moved (other pages were dropped)."""
        if generation != self.generation:
            return None
        self.pending.discard(page)
        self.failed.pop(page, None)
        moved_from = None
        new_total = result.total
        exact = new_total is not None
        if new_total is None:
            new_total = result.end if result.is_last else result.end + 1
        if self.total is not None and self.total_is_exact and exact and new_total != self.total:
            moved_from = self.total
            self.pages.clear()
            self.stale.clear()
        self.total = new_total
        self.total_is_exact = exact or result.is_last
        self.pages[page] = result.items
        self.stale.discard(page)
        self._bound(page)
        return moved_from

    @property
    def held_pages(self) -> int:
        return max(MIN_HELD_PAGES, HELD_ROWS // max(1, self.page_size))

    def _bound(self, near: int) -> None:
        """Drop the pages farthest from ``near`` (the one just stored) beyond ``held_pages``."""
        excess = len(self.pages) - self.held_pages
        if excess <= 0:
            return
        far = sorted((p for p in self.pages if p not in (0, near)), key=lambda p: abs(p - near), reverse=True)
        for page in far[:excess]:
            del self.pages[page]
            self.stale.discard(page)

    def fail(self, page: int, generation: int, error: SwrError) -> bool:
        if generation != self.generation:
            return False
        self.pending.discard(page)
        self.failed[page] = error
        return True

    def revalidate(self) -> None:
        """For a reload: held rows stay on screen, marked stale, until fresh ones replace them."""
        self.generation += 1
        self.stale = set(self.pages)
        self.pending.clear()
        self.failed.clear()

    def retry_failed(self) -> list[int]:
        failed = sorted(self.failed)
        self.failed.clear()
        return failed

    @property
    def first_error(self) -> Optional[SwrError]:
        return self.failed[min(self.failed)] if self.failed else None

    # -- a watch's poll of the newest page ------------------------------------------------------

    def newest(self) -> Optional[NewestPage]:
        """The newest page as held, when the listing is newest first and one is held to compare with."""
        if self.query.order != "desc" or self.total is None or not self.total_is_exact:
            return None
        rows = self.pages.get(0)
        return None if rows is None else NewestPage(rows, self.total)

    def apply_newest(self, result: Page[Tag], previous: Optional[NewestPage] = None) -> NewestChange:
        """Fold in a poll of the newest page (offset 0, newest first, this listing's filter).

        The poll is compared with the newest page held, else with ``previous`` (the last poll).
        Newest first, when anything changed: page 0 becomes the polled rows and the total the
        polled total; every other held page moves down by the rows inserted at the top when that
        is knowable (re-chunked, complete pages only, marked stale so each is fetched again when
        seen) and is dropped when it is not; pages on their way are forgotten (a new generation).
        Oldest first, new tags belong at the end: the total grows and the held pages stay, unless
        rows moved or went (then they stay for display, stale). Before the first page has told
        the total nothing is changed. The change returned counts totals against the table's.
        """
        held = self.newest()
        before = held if held is not None else previous
        change = compare_newest(before, NewestPage(result.items, result.total), self.page_size)
        if self.total is None:
            return change
        new_total, exact = _total_of(result)
        comparable = before is not None and self.total_is_exact and before.total == self.total
        change = replace(
            change,
            old_total=self.total if self.total_is_exact else None,
            new_total=new_total if exact else None,
            shift=change.shift if comparable else None,
        )
        if self.query.order == "desc":
            self._apply_newest_first(result.items, change, held, new_total, exact)
        else:
            self._apply_oldest_first(change, new_total, exact)
        return change

    def _apply_newest_first(
        self,
        rows: tuple[Tag, ...],
        change: NewestChange,
        held: Optional[NewestPage],
        new_total: int,
        exact: bool,
    ) -> None:
        if (
            held is not None
            and exact
            and new_total == self.total
            and [_key(tag) for tag in held.rows] == [_key(tag) for tag in rows]
        ):
            self.pages[0] = rows  # the same rows, fresh: in-flight pages stay valid
            self.stale.discard(0)
            self.failed.pop(0, None)
            return
        old_first = self.pages.get(0, ())
        old_pages = {page: held_rows for page, held_rows in self.pages.items() if page != 0}
        self.generation += 1
        self.pending.clear()
        self.failed.clear()
        self.stale.clear()
        self.pages.clear()
        self.pages[0] = rows
        self.total, self.total_is_exact = new_total, exact
        shift = change.shift
        if shift is None:
            return
        size = self.page_size
        placed: dict[int, Tag] = {}
        fallen = set(change.fallen)
        for index, tag in enumerate(old_first):
            if tag.name in fallen:
                placed[index + shift] = tag
        for page, held_rows in old_pages.items():
            for index, tag in enumerate(held_rows):
                placed[page * size + index + shift] = tag
        for page in sorted({row // size for row in placed if row >= size}):
            start, end = page * size, min((page + 1) * size, new_total)
            if start < end and all(row in placed for row in range(start, end)):
                self.pages[page] = tuple(placed[row] for row in range(start, end))
                self.stale.add(page)

    def _apply_oldest_first(self, change: NewestChange, new_total: int, exact: bool) -> None:
        assert self.total is not None
        if not change.changed and new_total == self.total:
            return
        old_total = self.total
        # A page on its way may carry the old total, which would read as the list moving again.
        self.generation += 1
        self.pending.clear()
        only_added = (
            change.compared
            and change.added
            and not change.moved
            and not change.removed
            and self.total_is_exact
            and exact
            and new_total - old_total == len(change.added)
        )
        if only_added:
            last = (old_total - 1) // self.page_size
            if old_total % self.page_size and last in self.pages:
                self.stale.add(last)  # it was short: the first new rows belong in it
        else:
            self.failed.clear()
            pages = -(-new_total // self.page_size)
            for page in [page for page in self.pages if page >= pages]:
                del self.pages[page]
            self.stale = set(self.pages)
        self.total, self.total_is_exact = new_total, exact

    # -- the cursor through a watch's poll or a reload -------------------------------------------

    def newest_page_moved(self, page: int, generation: int, result: Page[Tag]) -> bool:
        """The newest page, newest first, come back (a reload) with another total than the one
        held: it is to be folded in as a watch's poll would be, not stored as a page."""
        return (
            page == 0
            and generation == self.generation
            and self.query.order == "desc"
            and 0 in self.pages
            and self.total is not None
            and self.total_is_exact
            and result.total is not None
            and result.total != self.total
        )

    def cursor_after_poll(
        self,
        tag: Optional[Tag],
        row: int,
        old_first: tuple[Tag, ...],
        polled: tuple[Tag, ...],
        change: NewestChange,
    ) -> tuple[int, Optional[Tag]]:
        """Where the cursor goes once ``apply_newest`` moved rows, from ``row`` on ``tag``; and the
        tag to pin on that row (shown there until its page is in) when the row is not held fresh.

        Newest first, the tag keeps its place: its row in the polled page, else moved by the rows
        inserted above it. Oldest first, new rows go at the end and the row stays."""
        if self.query.order == "desc":
            row = row_after_poll(tag, old_first, polled, change.removed, row + change.offset)
        row = max(0, min(row, self.row_count - 1))
        moved_or_missing = self.row(row) is None or self.page_of(row) in self.stale
        if tag is not None and tag.name not in change.removed and moved_or_missing:
            return row, tag
        return row, None

    def settles_pin(self, pinned_row: int, page: int, rows: tuple[Tag, ...]) -> bool:
        """True when ``page`` has just been stored with ``rows`` and holds the pinned row."""
        return self.page_of(pinned_row) == page and self.pages.get(page) is rows

    def row_named(self, page: int, name: str) -> Optional[int]:
        """The row of the tag called ``name`` in held ``page``, if it is there."""
        for index, tag in enumerate(self.pages.get(page, ())):
            if tag.name == name:
                return page * self.page_size + index
        return None


def row_after_poll(
    tag: Optional[Tag],
    before: tuple[Tag, ...],
    after: tuple[Tag, ...],
    removed: tuple[str, ...],
    default: int,
) -> int:
    """The highlighted tag's row once a poll is in: its row in the polled page; if it was deleted,
    the row of the next tag still there (it takes the place); else ``default``."""
    if tag is None:
        return default
    rows = {polled.name: index for index, polled in enumerate(after)}
    if tag.name in rows:
        return rows[tag.name]
    if tag.name in removed:
        names = [held.name for held in before]
        if tag.name in names:
            for name in names[names.index(tag.name) + 1 :]:
                if name in rows:
                    return rows[name]
    return default


def _total_of(result: Page[Tag]) -> tuple[int, bool]:
    """A page's total, or what the page proves when the registry did not tell it; and whether exact."""
    if result.total is not None:
        return result.total, True
    return (result.end if result.is_last else result.end + 1), result.is_last


# -- watching the newest page ----------------------------------------------------------------------


@dataclass(frozen=True)
class NewestPage:
    """The newest tags of a listing (page 0, newest first) and its total, as one poll saw them."""

    rows: tuple[Tag, ...]
    total: Optional[int]

    @property
    def is_complete(self) -> bool:
        """True when the rows are the whole listing."""
        return self.total is not None and len(self.rows) >= self.total


@dataclass(frozen=True)
class NewestChange:
    """What changed at the top of a listing between two looks at its newest page.

    ``shift`` is how many rows were inserted at the top, net, for every row past the newest page,
    when that is knowable (None when something happened out of sight, such as a deletion further
    down); ``fallen`` names the rows that slid out of the newest page onto the next one.
    """

    added: tuple[Tag, ...] = ()
    moved: tuple[Tag, ...] = ()
    removed: tuple[str, ...] = ()
    old_total: Optional[int] = None
    new_total: Optional[int] = None
    shift: Optional[int] = None
    fallen: tuple[str, ...] = ()
    compared: bool = False  # False: nothing to compare with, so this look is the baseline
    # True when the two looks share no row and neither is the whole listing: more may have been
    # added than the newest page shows, and where the older rows went is unknown.
    out_of_sight: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.moved or self.removed) or self.total_changed

    @property
    def total_changed(self) -> bool:
        return self.old_total is not None and self.new_total is not None and self.old_total != self.new_total

    @property
    def flashed(self) -> tuple[str, ...]:
        """Names of the rows to point out: new, and re-pushed (moved to the top)."""
        return tuple(tag.name for tag in (*self.added, *self.moved))

    @property
    def offset(self) -> int:
        """Rows to move a position past the newest page by: the shift, else the change of total."""
        if self.shift is not None:
            return self.shift
        if self.old_total is not None and self.new_total is not None:
            return self.new_total - self.old_total
        return 0


def _identity(tag: Tag) -> tuple[str, str]:
    return (tag.digest, tag.updated)


def _key(tag: Tag) -> tuple[str, str, str]:
    return (tag.name, tag.digest, tag.updated)


def compare_newest(before: Optional[NewestPage], after: NewestPage, page_size: int) -> NewestChange:
    """Compare two looks at a listing's newest page (newest first).

    A name not seen before is new when it sits above a row both looks share (or the earlier look
    held the whole listing); one below them was pulled up from the next page by a deletion. A name
    with another digest or update time was re-pushed. A name missing with a shared row below it is
    gone; missing ones below every shared row may only have slid onto the next page.
    """
    if before is None:
        return NewestChange(new_total=after.total)
    old_by_name = {tag.name: tag for tag in before.rows}
    new_names = {tag.name for tag in after.rows}
    kept = {
        tag.name
        for tag in after.rows
        if tag.name in old_by_name and _identity(old_by_name[tag.name]) == _identity(tag)
    }
    last_kept_new = max((i for i, tag in enumerate(after.rows) if tag.name in kept), default=-1)
    last_kept_old = max((i for i, tag in enumerate(before.rows) if tag.name in kept), default=-1)
    added: list[Tag] = []
    moved: list[Tag] = []
    pulled: list[Tag] = []
    for index, tag in enumerate(after.rows):
        old = old_by_name.get(tag.name)
        if old is None:
            new = before.is_complete or last_kept_new < 0 or index < last_kept_new
            (added if new else pulled).append(tag)
        elif _identity(old) != _identity(tag):
            moved.append(tag)
    after_complete = after.is_complete or len(after.rows) < page_size
    removed: list[str] = []
    tail: list[str] = []
    for index, tag in enumerate(before.rows):
        if tag.name not in new_names:
            (removed if after_complete or index < last_kept_old else tail).append(tag.name)
    shift: Optional[int] = None
    fallen: tuple[str, ...] = ()
    if before.total is not None and after.total is not None:
        delta = after.total - before.total
        if before.is_complete or after_complete:
            shift = delta  # nothing lies past the newest page on one side: no row to shift
        elif last_kept_new < 0:
            pass  # no row in common: a total that happens to add up proves nothing
        elif pulled:
            # Rows came up from the next page: the missing ones at the bottom were deleted.
            candidate = len(added) - len(removed) - len(tail)
            if delta == candidate and len(pulled) == -candidate:
                shift, removed, tail = candidate, removed + tail, []
        else:
            # The missing ones at the bottom slid onto the next page, pushed by the new rows.
            candidate = len(added) - len(removed)
            if delta == candidate and len(tail) == candidate:
                shift, fallen = candidate, tuple(tail)
    return NewestChange(
        added=tuple(added),
        moved=tuple(moved),
        removed=tuple(removed),
        old_total=before.total,
        new_total=after.total,
        shift=shift,
        fallen=fallen,
        compared=True,
        out_of_sight=last_kept_new < 0 and not before.is_complete and not after_complete,
    )
