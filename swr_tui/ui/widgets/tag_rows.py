"""How a tag becomes a line of the tag table: the columns that fit a width, the cells, the cut."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, Optional

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from ...formatting import age_text, human_size, short_digest
from ...safe_text import scrub
from ...swr.cosign import signature_kind
from ...swr.models import Tag
from ..tag_pages import PageCache

MARK_WIDTH = 2  # the digest group's glyph and a space, before the Tag column
SHORT_KINDS = {"signature": "sig", "attestation": "att", "sbom": "sbom"}
DIFF_MARK = "⇄"  # before the name of the tag marked for a diff (space), on its row
PULLED = "Pulled"  # P: the last pull's age (the Enterprise Edition's pull_time)
NEVER_PULLED = "—"  # no pull time: never pulled, or the registry does not tell
RETENTION_MARK = "⌫"  # in the narrow first column: the repository's retention rule would delete this tag


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    align_right: bool = False


def truncate(text: str, width: int) -> str:
    """Cut to ``width`` cells with '…', counting double-width characters as two."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    out, used = [], 0
    for char in text:
        size = cell_len(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…" + " " * (width - used - 1)


def columns_for(width: int, retention: bool = False, pulled: bool = False) -> list[Column]:
    """The columns after the group mark (which takes ``MARK_WIDTH`` cells before them); with
    ``retention``, a one-cell column first for the retention mark; with ``pulled`` (``P``), the
    last pull's age after the push's, kept while narrower widths drop the others."""
    if retention:
        return [Column(RETENTION_MARK, 1), *columns_for(width - 2, pulled=pulled)]
    width -= MARK_WIDTH
    wide = width >= 90 - MARK_WIDTH
    columns = [
        Column("Updated", 9),
        *([Column(PULLED, 9)] if pulled else []),
        Column("Size", 9, align_right=True),
        Column("Digest", 12),
        Column("Type", 13 if wide else 5),
    ]
    first_dropped = 3 if pulled else 2
    while columns and width - sum(c.width + 1 for c in columns) < 16:
        columns.pop(first_dropped if len(columns) > first_dropped else -1)
    return [Column("Tag", max(4, width - sum(c.width + 1 for c in columns))), *columns]


def tag_cells(
    tag: Tag, columns: list[Column], now: datetime, diff_marked: bool, doomed: bool = False
) -> list[str]:
    wide = columns[-1].width > 5
    signed = signature_kind(tag.name)
    if signed is not None:
        kind = signed[0] if wide else SHORT_KINDS[signed[0]]
    elif tag.is_manifest_list:
        kind = "manifest list" if wide else "list"
    else:
        kind = "image"
    values = {
        "Tag": (f"{DIFF_MARK} " if diff_marked else "") + (scrub(tag.name) or "(no name)"),
        "Updated": age_text(tag.updated, now),
        PULLED: age_text(tag.pulled, now) if tag.pulled else NEVER_PULLED,
        "Size": human_size(tag.size),
        "Digest": scrub(short_digest(tag.digest)),
        "Type": kind,
        RETENTION_MARK: RETENTION_MARK if doomed else "",
    }
    return [values[column.title] for column in columns]


def row_strip(
    cells: list[str], columns: list[Column], style: Style, mark: Optional[tuple[str, Style]] = None
) -> Strip:
    """One line: ``mark`` (a digest group's glyph and its style) or blanks, then the cells."""
    parts = []
    for cell, column in zip(cells, columns):
        text = truncate(cell, column.width)
        if column.align_right:
            text = text.rstrip()
            text = " " * (column.width - cell_len(text)) + text
        parts.append(text)
    if mark is None:
        lead = Segment(" " * MARK_WIDTH, style)
    else:
        lead = Segment(truncate(mark[0], MARK_WIDTH), mark[1])
    return Strip([lead, Segment(" ".join(parts), style)])


class ListingMessage(NamedTuple):
    """What the table shows instead of rows, and the component class that styles it."""

    lines: list[str]
    component: str


def listing_message(cache: Optional[PageCache]) -> Optional[ListingMessage]:
    """The message a listing with no rows to show puts in the table; None once it has rows."""
    if cache is None:
        return ListingMessage(["Choose a repository to list its tags."], "tag-table--message")
    name = cache.query.full_name
    if cache.total is None:
        error = cache.failed.get(0)
        if error is not None:
            lines = [f"Could not load the tags of {name}:", str(error), "Press r to retry."]
            return ListingMessage(lines, "tag-table--error")
        return ListingMessage([f"Loading the tags of {name}…"], "tag-table--message")
    if cache.total == 0:
        text = (
            f'No tags match "{cache.query.tag_filter}". Press escape to clear the filter.'
            if cache.query.tag_filter
            else "No tags in this repository."
        )
        return ListingMessage([text], "tag-table--message")
    return None
