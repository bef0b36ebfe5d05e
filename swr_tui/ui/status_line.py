"""The line under the tag table: the listing, the cursor's row, the filter, errors and the watch."""

from __future__ import annotations

from typing import Optional

from rich.text import Text

from ..safe_text import scrub
from .table_state import DiffMark, TableStatus
from .watch import WatchLabel


def status_text(
    status: TableStatus,
    marked: Optional[DiffMark] = None,
    watch: Optional[WatchLabel] = None,
    width: int = 0,
) -> Text:
    """'acme/web · row 3 of 1,204 · newest first · filter "rc" · loading…' and the watch's part last:
    in short if the line is ``width`` cells, and right after the name if even that is cut off. An
    error that does not fit in ``width`` gets a second line of its own (#status grows for it)."""
    if status.query is None:
        return Text("Choose a repository (enter) · ? for keys", style="dim")
    query = status.query
    text = Text(scrub(query.full_name), style="bold")
    if status.total is None:
        text.append(" · loading…" if status.error is None else "")
    elif status.total == 0:
        text.append(" · no tags")
    else:
        total = f"{status.total:,}" if status.total_is_exact else f"{status.total - 1:,}+"
        text.append(f" · row {status.row + 1:,} of {total}")
    text.append(f" · {query.order_label}")
    if query.artifacts:
        text.append(" · by artifact")
    if query.tag_filter:
        text.append(" · filter ")
        text.append(f'"{scrub(query.tag_filter)}"', style="bold")  # the README's quotes
    if status.loading and status.total is not None:
        text.append(" · loading…", style="dim")
    problem = None
    if status.error is not None:
        problem = Text.assemble(
            ("⚠ ", "bold red"), (scrub(str(status.error)), "red"), (" (r to retry)", "dim")
        )
        if not width or text.cell_len + 3 + problem.cell_len <= width:
            text.append(" · ").append_text(problem)
            problem = None
    if marked is not None:
        text.append(" · marked ", style="dim")
        where = "" if marked.query.full_name == query.full_name else f"{marked.query.full_name}:"
        text.append(scrub(where + marked.tag.name), style="bold")
    line = _with_watch(text, watch, width, len(scrub(query.full_name)))
    return line if problem is None else line.append("\n").append_text(problem)


def _with_watch(text: Text, watch: Optional[WatchLabel], width: int, name_length: int) -> Text:
    if watch is None:
        return text
    for label in watch:
        if not width or text.cell_len + 3 + label.cell_len <= width:
            return text.append(" · ").append_text(label)
    name, rest = text.divide([name_length])
    return name.append(" · ").append_text(watch.short).append_text(rest)
