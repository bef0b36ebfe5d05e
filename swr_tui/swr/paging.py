"""The v2 list calls' ``filter`` string, the ``Content-Range`` header and the page object."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, Optional, TypeVar

T = TypeVar("T")

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100


def filter_string(**fields: object) -> str:
    """``key::value`` pairs joined by ``|`` in the given order; ``None`` values are left out.

    >>> filter_string(offset=0, limit=100, order_column="updated_at", order_type="desc", tag=None)
    'offset::0|limit::100|order_column::updated_at|order_type::desc'
    """
    parts = []
    for key, value in fields.items():
        if value is None:
            continue
        text = str(value).lower() if isinstance(value, bool) else str(value)
        if "|" in text:
            raise ValueError(f"{key} cannot contain '|': the filter syntax has no escape for it")
        parts.append(f"{key}::{text}")
    return "|".join(parts)


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    return limit


@dataclass(frozen=True)
class ContentRange:
    """``start-middle/total``. The docs call the middle number a count; it may also be an end index,
    so only ``start`` and ``total`` are relied on."""

    start: int
    middle: Optional[int]
    total: Optional[int]


_CONTENT_RANGE = re.compile(r"^\s*(?:[A-Za-z]+\s+)?(\d+)\s*-\s*(\d+)?\s*/\s*(\d+|\*)\s*$")


def parse_content_range(value: Optional[str]) -> Optional[ContentRange]:
    """None when the header is absent or unreadable (the caller then falls back to page sizes)."""
    if not value:
        return None
    match = _CONTENT_RANGE.match(value)
    if not match:
        return None
    start, middle, total = match.groups()
    return ContentRange(
        start=int(start),
        middle=int(middle) if middle is not None else None,
        total=int(total) if total != "*" else None,
    )


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list call. ``total`` is None when the registry did not tell it."""

    items: tuple[T, ...]
    offset: int
    limit: int
    total: Optional[int]

    @property
    def end(self) -> int:
        return self.offset + len(self.items)

    @property
    def is_last(self) -> bool:
        """True when no further page can hold anything."""
        if not self.items:
            return True
        if self.total is not None:
            return self.end >= self.total
        return len(self.items) < self.limit


def page_total(content_range: Optional[ContentRange], offset: int, count: int, limit: int) -> Optional[int]:
    """The total from the header, or what the page itself proves when the header is missing."""
    if content_range is not None and content_range.total is not None:
        # A total smaller than what we already hold is impossible; trust the rows over the header.
        return max(content_range.total, offset + count)
    if count < limit:
        return offset + count
    return None
