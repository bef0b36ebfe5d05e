"""Enterprise Edition paging: ``offset``/``limit`` query parameters and the total in the body.

The rules are the SDK's request models' (``ListInstanceArtifactsRequest`` and the other lists):
``limit`` at most 100, ``offset`` 0 or a multiple of ``limit``. A total that is missing, not a
number, or smaller than the rows already held is treated as the basic edition treats a missing or
drifting ``Content-Range``: the rows are trusted over it, and a total past ``MAX_LIST_TOTAL`` is
refused as broken.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Optional

from ..paging import check_total, page_total

# The API refuses a larger limit with a 400; its documented maximum for every enterprise list.
MAX_PAGE_SIZE = 100
_DIGITS = re.compile(r"\s*\d+\s*")


def check_window(offset: int, limit: int) -> list[tuple[str, str]]:
    """The query parameters of one page; ValueError for a window the API would refuse."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE_SIZE}, not {limit}")
    if offset < 0 or offset % limit:
        raise ValueError(f"offset must be 0 or a multiple of limit ({limit}), not {offset}")
    return [("offset", str(offset)), ("limit", str(limit))]


def body_total(data: Mapping[str, Any], offset: int, count: int, limit: int) -> Optional[int]:
    """The list's total from the body's ``total``; what the page proves when it is missing or not
    a whole number. ``ImplausibleTotalError`` for a total past ``MAX_LIST_TOTAL``."""
    raw = data.get("total")
    digits: Optional[str] = None
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        digits = str(raw)
    elif isinstance(raw, str) and _DIGITS.fullmatch(raw):
        digits = raw.strip()
    if digits is None:
        return page_total(None, offset, count, limit)
    check_total(digits)
    return max(int(digits), offset + count)
