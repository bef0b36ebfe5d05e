"""What the tag table knows about one listing: which pages it holds, awaits or failed to get.

Kept free of widgets so that the paging rules (never ask twice for a page that is held or on its
way, keep shown rows through a reload, drop everything when the total moves) are tested directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..swr.errors import SwrError
from ..swr.models import Tag
from ..swr.paging import Page

ORDER_LABELS = {"desc": "newest first", "asc": "oldest first"}


@dataclass(frozen=True)
class TagQuery:
    """One listing: a repository, a sort and a server-side tag filter."""

    namespace: str
    repository: str
    order: str = "desc"
    tag_filter: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.namespace}/{self.repository}"

    @property
    def order_label(self) -> str:
        return ORDER_LABELS.get(self.order, self.order)


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
        return moved_from

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
