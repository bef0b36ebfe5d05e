"""The v2 list calls' ``filter`` string, the ``Content-Range`` header and the page object."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, Optional, TypeVar

from .errors import InvalidFilterValue, ResponseFormatError

T = TypeVar("T")
U = TypeVar("U")

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
# The largest list total believed. SWR has no documented cap, but an account's image quota is far
# below this and the biggest repositories seen hold around 10**5 tags; reading 10**7 at 1000 a page
# is 10,000 requests. A bigger total is a broken header (issue 15: 0-999/1000000000000 had
# ``tags --all`` plan a billion pages), so it is refused rather than paged through.
MAX_LIST_TOTAL = 10_000_000
# Digits read from a Content-Range number: a 5,000-digit total must not reach int(), which refuses
# more than 4,300 digits on current Pythons (and is quadratic before that).
_MAX_DIGITS = 30
# How a filter key is named in messages (the keys themselves mean nothing to a user).
_FILTER_WORDS = {"name": "name filter", "tag": "tag filter", "namespace": "namespace"}


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
            raise InvalidFilterValue(
                f"The {_FILTER_WORDS.get(key, key)} {text!r} contains '|', which SWR's filter syntax "
                "cannot carry: leave it out (no SWR name contains '|')"
            )
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


class ImplausibleTotalError(ResponseFormatError):
    """A ``Content-Range`` total past ``MAX_LIST_TOTAL``: the header, not the list, is broken."""


def parse_content_range(value: Optional[str]) -> Optional[ContentRange]:
    """None when the header is absent or unreadable (the caller then falls back to page sizes).

    Raises ImplausibleTotalError for a total past ``MAX_LIST_TOTAL``."""
    if not value:
        return None
    match = _CONTENT_RANGE.match(value)
    if not match:
        return None
    start, middle, total = match.groups()
    if total != "*":
        check_total(total)
    if len(start) > _MAX_DIGITS or (middle is not None and len(middle) > _MAX_DIGITS):
        return None
    return ContentRange(
        start=int(start),
        middle=int(middle) if middle is not None else None,
        total=int(total) if total != "*" else None,
    )


def check_total(digits: str) -> None:
    if len(digits) <= _MAX_DIGITS and int(digits) <= MAX_LIST_TOTAL:
        return
    said = f"{int(digits):,}" if len(digits) <= _MAX_DIGITS else f"a {len(digits):,}-digit number of"
    raise ImplausibleTotalError(
        f"The registry says the list holds {said} items, more than the {MAX_LIST_TOTAL:,} swr-tui "
        "believes: its Content-Range header looks broken, so nothing more was read. "
        "Check --endpoint, or report it to the registry's operator"
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

    def with_items(self, items: tuple[U, ...]) -> Page[U]:
        """This page's place in the list (offset, limit, total) holding ``items``: the rows made
        of what it held."""
        return Page(items=items, offset=self.offset, limit=self.limit, total=self.total)

    @property
    def is_last(self) -> bool:
        """True when no further page can hold anything."""
        if not self.items:
            return True
        if self.total is not None:
            return self.end >= self.total
        return len(self.items) < self.limit


def short_of_total(page: Page[T], rows_wanted: int = 1) -> bool:
    """True when ``page`` contradicts its own total: it holds fewer than ``rows_wanted`` rows (or
    fewer than the rest of the list past its offset) though the total says they exist. Taken at its
    word, such a page would leave rows that no request can ever fill. ``rows_wanted`` is the page
    size asked for, or 1 where a server may serve smaller pages and only an empty page is proof."""
    if page.total is None:
        return False
    return len(page.items) < min(rows_wanted, page.total - page.offset)


def page_total(content_range: Optional[ContentRange], offset: int, count: int, limit: int) -> Optional[int]:
    """The total from the header, or what the page itself proves when the header is missing."""
    if content_range is not None and content_range.total is not None:
        # A total smaller than what we already hold is impossible; trust the rows over the header.
        return max(content_range.total, offset + count)
    if count < limit:
        return offset + count
    return None
