"""The result table: one row per figure, printed as aligned text or as Markdown."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Optional

PASS, FAIL, ERROR = "PASS", "FAIL", "ERROR"


@dataclass
class Paired:
    """Samples of a figure and of its baseline, measured alternately in one run."""

    figure: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Row:
    what: str
    figure: str
    baseline: str
    ratio: str
    goal: str
    status: str
    notes: list[str] = field(default_factory=list)


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def paired_ratios(figure: Sequence[float], baseline: Sequence[float]) -> list[float]:
    return [f / b for f, b in zip(figure, baseline) if b > 0]


def paired_differences(figure: Sequence[float], baseline: Sequence[float]) -> list[float]:
    return [f - b for f, b in zip(figure, baseline)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.2f} ms"


def spread(samples: Sequence[float], unit: str = "ms", scale: float = 1000.0) -> str:
    """'n=9, 81-148 ms': how many samples and their range, for the notes."""
    if not samples:
        return "n=0"
    low, high = min(samples) * scale, max(samples) * scale
    digits = 0 if high >= 10 else 2
    return f"n={len(samples)}, {low:.{digits}f}-{high:.{digits}f} {unit}"


def status(passed: Optional[bool]) -> str:
    return ERROR if passed is None else (PASS if passed else FAIL)


HEADERS = ("what", "figure (median)", "baseline (same run)", "ratio", "goal", "result")


def _cells(row: Row) -> tuple[str, ...]:
    return (row.what, row.figure, row.baseline, row.ratio, row.goal, row.status)


def text_table(rows: Sequence[Row]) -> str:
    table = [HEADERS, *(_cells(row) for row in rows)]
    widths = [max(len(line[column]) for line in table) for column in range(len(HEADERS))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(HEADERS), rule, *(line(cells) for cells in table[1:])])


def markdown_table(rows: Sequence[Row]) -> str:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    out = [line(HEADERS), "|" + "|".join("---" for _ in HEADERS) + "|"]
    out += [line(_cells(row)) for row in rows]
    return "\n".join(out)


def notes_text(rows: Sequence[Row], markdown: bool = False) -> str:
    lines = []
    for row in rows:
        for note in row.notes:
            lines.append(f"- {row.what}: {note}" if markdown else f"  {row.what}: {note}")
    return "\n".join(lines)
