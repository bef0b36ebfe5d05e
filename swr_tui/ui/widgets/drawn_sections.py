"""Sections of the detail pane (the facts, the manifest summary, the Config section) drawn once and
kept, so that going back to a tag costs neither a render nor a layout.

Textual draws a Rich table held by a height-auto ``Static`` twice per change (once to measure its
height in the layout, once to draw it), and the whole screen is laid out again whenever a ``Static``
is updated. ``DrawnSection`` renders its table once per width and keeps the lines; ``SectionCache``
keeps the sections of the tags seen last; ``show_section`` updates a ``Static`` without a layout when
the new section is exactly as tall as the one it replaces.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterator
from typing import Callable, Optional

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Static

# The pane's width changes only on a resize, a zoom or the narrow layout: the width shown now and
# the one before are enough for going back and forth between them.
WIDTHS_KEPT = 2
# Sections of the tags seen last, per kind (facts, summary, Config). Going back is mostly to one of
# the last few tags; a facts section kept costs ~20 kB (its table and its lines), so 8 of each kind
# stay near 0.5 MB (64 Strip-holding ones cost 4.6 MB in the million-tag memory row).
SECTIONS_KEPT = 8

Line = list[Segment]


class DrawnSection:
    """A Rich renderable (a facts table, a summary) rendered at most once per width.

    Textual shows it through ``visualize()``; Rich (tests, exports) prints the renderable itself.
    """

    def __init__(self, renderable: RenderableType, console: Console, options: ConsoleOptions) -> None:
        self.renderable = renderable
        self._console = console
        self._options = options.update(highlight=False)
        # Segments, not Strips: a Strip carries caches of its own (three times the memory).
        self._lines: OrderedDict[int, list[Line]] = OrderedDict()
        self._visual = _SectionVisual(self)
        self.renders = 0  # how many times the renderable was rendered (one per width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[RenderableType]:
        yield self.renderable

    def visualize(self) -> Visual:
        return self._visual

    def lines(self, width: int) -> list[Line]:
        """The section's lines at ``width`` cells, without the widget's style."""
        lines = self._lines.get(width)
        if lines is None:
            self.renders += 1
            segments = self._console.render(self.renderable, self._options.update_width(width))
            lines = list(Segment.split_and_crop_lines(segments, width, include_new_lines=False, pad=False))
            self._lines[width] = lines
            while len(self._lines) > WIDTHS_KEPT:
                self._lines.popitem(last=False)
        return lines

    def height(self, width: int) -> int:
        return len(self.lines(width))


class _SectionVisual(Visual):
    """Textual's side of a ``DrawnSection``: its kept lines, with the widget's style underneath (as
    Textual's own ``RichVisual`` applies it)."""

    def __init__(self, section: DrawnSection) -> None:
        self._section = section

    def render_strips(
        self, width: int, height: Optional[int], style: Style, options: RenderOptions
    ) -> list[Strip]:
        base = style.rich_style
        lines = self._section.lines(width)
        return [
            Strip(Segment.apply_style(line, base)) for line in (lines if height is None else lines[:height])
        ]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        lines = self._section.lines(container_width)
        return max((Segment.get_line_length(line) for line in lines), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._section.height(width)


class Same:
    """A key part that is equal only to the very same object (and keeps it alive, so that its id is
    never another object's while the key is kept)."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.value is self.value


class SectionCache:
    """The sections drawn last, by a key naming everything they show (least recently used out)."""

    def __init__(self, size: int = SECTIONS_KEPT) -> None:
        self._size = size
        self._sections: OrderedDict[Hashable, DrawnSection] = OrderedDict()

    def __len__(self) -> int:
        return len(self._sections)

    def get(self, key: Hashable, widget: Static, make: Callable[[], RenderableType]) -> DrawnSection:
        """The section kept for ``key``, or ``make()``'s renderable drawn for ``widget``'s app."""
        section = self._sections.get(key)
        if section is not None:
            self._sections.move_to_end(key)
            return section
        app = widget.app
        section = DrawnSection(make(), app.console, app.console_options)
        self._sections[key] = section
        while len(self._sections) > self._size:
            self._sections.popitem(last=False)
        return section


def show_section(widget: Static, content: RenderableType) -> None:
    """``widget.update(content)``, without laying the screen out again when ``content`` is a section
    as tall as the section shown (at the width the last layout gave the widget)."""
    shown = widget.content
    width = widget.size.width
    same_height = (
        width > 0
        and isinstance(shown, DrawnSection)
        and isinstance(content, DrawnSection)
        and shown.height(width) == content.height(width)
    )
    widget.update(content, layout=not same_height)
