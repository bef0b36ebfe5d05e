"""DrawnSection and SectionCache (ui/widgets/drawn_sections.py): one render per width, bounded."""

from __future__ import annotations

import io
from functools import partial
from types import SimpleNamespace
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from swr_tui.ui.widgets.drawn_sections import WIDTHS_KEPT, DrawnSection, Same, SectionCache


def console() -> Console:
    return Console(width=200, file=io.StringIO(), color_system=None)


def facts(value: str) -> Table:
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    table.add_row(Text("Digest"), Text(value))
    return table


def test_a_section_is_rendered_once_per_width_and_keeps_the_last_widths() -> None:
    screen = console()
    drawn = DrawnSection(facts("sha256:" + "a" * 64), screen, screen.options)

    assert drawn.height(40) == 3  # "Digest" and 71 characters folded into 33 cells
    assert drawn.height(40) == len(drawn.lines(40)) == 3
    assert drawn.height(100) == 1
    assert drawn.renders == 2
    assert ["".join(segment.text for segment in line).split() for line in drawn.lines(100)] == [
        ["Digest", "sha256:" + "a" * 64]
    ]

    for width in range(50, 50 + WIDTHS_KEPT):
        drawn.height(width)
    assert drawn.renders == 2 + WIDTHS_KEPT
    drawn.height(40)  # no longer kept
    assert drawn.renders == 3 + WIDTHS_KEPT


def test_rich_prints_the_section_as_its_renderable() -> None:
    screen = Console(width=60, file=io.StringIO(), record=True, color_system=None)
    screen.print(DrawnSection(facts("v1"), screen, screen.options))
    assert screen.export_text().split() == ["Digest", "v1"]


def test_same_is_equal_to_the_very_same_object_only() -> None:
    first, equal = [1, 2], [1, 2]
    assert Same(first) == Same(first)
    assert hash(Same(first)) == hash(Same(first))
    assert Same(first) != Same(equal)
    assert Same(None) == Same(None)


def test_the_cache_keeps_the_sections_used_last() -> None:
    screen = console()
    widget: Any = SimpleNamespace(app=SimpleNamespace(console=screen, console_options=screen.options))
    cache = SectionCache(size=3)
    made: list[str] = []

    def make(name: str) -> Table:
        made.append(name)
        return facts(name)

    kept = {name: cache.get(name, widget, partial(make, name)) for name in ("a", "b", "c")}
    assert cache.get("a", widget, partial(make, "a")) is kept["a"]  # "a" is now the newest
    cache.get("d", widget, partial(make, "d"))  # "b", the oldest, goes

    assert len(cache) == 3
    assert cache.get("c", widget, partial(make, "c")) is kept["c"]
    assert cache.get("b", widget, partial(make, "b")) is not kept["b"]
    assert made == ["a", "b", "c", "d", "b"]
