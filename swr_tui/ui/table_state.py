"""What the tag table tells the rest of the app: its status, the highlighted row, the diff mark.

Plain data, free of Textual: the status line, the catalog and the app read these from messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Optional

from ..swr.errors import SwrError
from ..swr.models import Tag
from .tag_pages import TagQuery


class DiffMark(NamedTuple):
    """The tag marked for a diff, and whether the mark stays when another repository opens."""

    query: TagQuery
    tag: Tag
    across_repositories: bool = False


@dataclass(frozen=True)
class RowState:
    """What the highlighted row holds: its tag, or why there is none (its page failed with
    ``error``, the listing is ``empty``, or else the page is on its way)."""

    tag: Optional[Tag]
    error: Optional[SwrError] = None
    empty: bool = False


@dataclass(frozen=True)
class TableStatus:
    query: Optional[TagQuery]
    row: int
    total: Optional[int]
    total_is_exact: bool
    loading: bool
    error: Optional[SwrError]
