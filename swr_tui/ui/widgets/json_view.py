"""ManifestView: a Line-API viewer for big (5 MB, or one 5 MB line) JSON documents.

Only the lines on screen are scrubbed, highlighted and turned into strips, so loading costs one split
of the text and one pass over the line lengths. Each line shows at most ``max_line_length`` source
characters, then a "… +N chars" marker. Untrusted text only ever becomes plain Segments: it is never
parsed as markup, and control, bidi and lone-surrogate characters are shown as escapes.
"""

from __future__ import annotations

import re
from typing import ClassVar, Optional

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...formatting import counted
from ...safe_text import scrub
from ...swr.manifest import ManifestSummary

DEFAULT_MAX_LINE_LENGTH = 2_000
TAB_SIZE = 4

# One alternation, tried left to right at each position: a string (also one cut off by the line
# cap) swallows any digits or words inside it before the number and literal patterns can see them.
_TOKEN = re.compile(
    r'(?P<string>"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z))'
    r"|(?P<number>(?<![\w.])-?(?:\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|Infinity)(?![\w.])|\bNaN\b)"
    r"|(?P<bool>\b(?:true|false)\b)"
    r"|(?P<null>\bnull\b)"
)
_KEY_FOLLOWS = re.compile(r"[ \t]*:")
_SURROGATE = re.compile("[\ud800-\udfff]")

_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\n"

_COMPONENTS = ("key", "string", "number", "bool", "null", "marker")


def _escape_surrogate(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def display_line(line: str, limit: int) -> tuple[str, int]:
    """The text to show for one source line, and how many source characters were left off."""
    hidden = max(0, len(line) - limit)
    if hidden:
        line = line[:limit]
    if "\t" in line:
        line = line.expandtabs(TAB_SIZE)
    if not line.isprintable():
        line = scrub(line)
        if not line.isascii():
            line = _SURROGATE.sub(_escape_surrogate, line)
    return line, hidden


def marker_text(hidden: int) -> str:
    return f" … +{counted(hidden, 'char')}"


def display_width(line: str, limit: int) -> int:
    """Cells ``line`` takes once shown; the common case (printable ASCII) costs two C calls."""
    if len(line) <= limit and line.isascii() and line.isprintable():
        return len(line)
    text, hidden = display_line(line, limit)
    width = len(text) if text.isascii() else cell_len(text)
    return width + (cell_len(marker_text(hidden)) if hidden else 0)


def document_width(text: str, lines: list[str], limit: int) -> int:
    """The widest line of ``text`` (already split into ``lines``) once shown."""
    # Printable ASCII throughout (the usual pretty JSON): widths are lengths, found in C.
    if text.isascii() and not text.encode("ascii").translate(None, _PRINTABLE_ASCII):
        longest = max(map(len, lines), default=0)
        return longest if longest <= limit else limit + cell_len(marker_text(longest - limit))
    return max((display_width(line, limit) for line in lines), default=0)


def manifest_document(summary: ManifestSummary) -> tuple[str, bool]:
    """What a ManifestView should show for a summary, and whether to highlight it as JSON."""
    if summary.kind == "empty":
        return "", False
    return summary.pretty, summary.kind != "invalid"


class ManifestView(ScrollView, can_focus=True):
    """Shows a document line by line, highlighting only what is on screen."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"json-view--{name}" for name in _COMPONENTS}

    DEFAULT_CSS = """
    ManifestView {
        background: $surface;
        color: $foreground;
        overflow: auto auto;
        &:focus {
            background-tint: $foreground 5%;
        }
        & > .json-view--key {
            color: $text-primary;
            text-style: bold;
        }
        & > .json-view--string {
            color: $text-success;
        }
        & > .json-view--number {
            color: $text-warning;
        }
        & > .json-view--bool {
            color: $text-secondary;
        }
        & > .json-view--null {
            color: $text-error;
            text-style: italic;
        }
        & > .json-view--marker {
            color: $text-muted;
            text-style: dim italic;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "line_up", "Up", show=False),
        Binding("down,j", "line_down", "Down", show=False),
        Binding("left", "column_left", "Left", show=False),
        Binding("right", "column_right", "Right", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+pageup", "page_left", "Page left", show=False),
        Binding("ctrl+pagedown", "page_right", "Page right", show=False),
        Binding("home", "top", "Top"),
        Binding("end", "bottom", "Bottom"),
    ]

    def __init__(
        self,
        *,
        max_line_length: int = DEFAULT_MAX_LINE_LENGTH,
        name: Optional[str] = None,
        id: Optional[str] = None,
        classes: Optional[str] = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.max_line_length = max(1, max_line_length)
        self._document = ""
        self._lines: list[str] = []
        self._highlight = True
        # Whole highlighted lines, and the same lines cropped to the viewport.
        self._line_cache: LRUCache[int, Strip] = LRUCache(512)
        self._crop_cache: LRUCache[tuple[int, int, int], Strip] = LRUCache(256)
        self._styles: Optional[dict[str, Style]] = None

    @property
    def document(self) -> str:
        return self._document

    @property
    def line_count(self) -> int:
        return len(self._lines)

    @property
    def highlight(self) -> bool:
        return self._highlight

    def load(self, text: str, *, highlight: bool = True, keep_position: bool = False) -> None:
        """Show ``text`` (replacing what was shown), from the top unless ``keep_position`` (used when
        the rest of a document that is already on screen arrives)."""
        position = self.scroll_offset
        self._document = text
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        lines = text.split("\n") if text else []
        if len(lines) > 1 and lines[-1] == "":
            lines.pop()
        self._lines = lines
        self._highlight = highlight
        self._clear_caches()
        width = document_width(text, lines, self.max_line_length)
        self.virtual_size = Size(width, len(lines))
        if keep_position:
            self.scroll_to(position.x, position.y, animate=False, force=True)
        else:
            self.scroll_to(0, 0, animate=False, force=True)
        self.refresh()

    def clear(self) -> None:
        self.load("")

    def _clear_caches(self) -> None:
        self._line_cache.clear()
        self._crop_cache.clear()

    def notify_style_update(self) -> None:
        """The theme or CSS changed: forget styles and every strip drawn with them."""
        super().notify_style_update()
        self._styles = None
        self._clear_caches()

    def _get_styles(self) -> dict[str, Style]:
        if self._styles is None:
            base = self.rich_style
            styles = {"base": base}
            for name in _COMPONENTS:
                # The full style has translucent theme colours (such as $text-muted) blended; keep
                # only its colour and attributes, so the line background stays the widget's own.
                full = self.get_component_rich_style(f"json-view--{name}")
                styles[name] = base + full.without_color + Style(color=full.color)
            self._styles = styles
        return self._styles

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        key = (index, scroll_x, width)
        cropped = self._crop_cache.get(key)
        if cropped is None:
            styles = self._get_styles()
            if index >= len(self._lines):
                cropped = Strip.blank(width, styles["base"])
            else:
                strip = self._full_line(index)
                cropped = strip.crop_extend(scroll_x, scroll_x + width, styles["base"])
            cropped = cropped.apply_offsets(scroll_x, index)
            self._crop_cache[key] = cropped
        return cropped

    def _full_line(self, index: int) -> Strip:
        strip = self._line_cache.get(index)
        if strip is None:
            strip = self._build_line(self._lines[index])
            self._line_cache[index] = strip
        return strip

    def _build_line(self, line: str) -> Strip:
        styles = self._get_styles()
        text, hidden = display_line(line, self.max_line_length)
        segments = self._highlighted(text, styles) if self._highlight else [Segment(text, styles["base"])]
        if hidden:
            segments.append(Segment(marker_text(hidden), styles["marker"]))
        return Strip(segments)

    @staticmethod
    def _highlighted(text: str, styles: dict[str, Style]) -> list[Segment]:
        base = styles["base"]
        segments: list[Segment] = []
        position = 0
        for match in _TOKEN.finditer(text):
            start, end = match.span()
            if start > position:
                segments.append(Segment(text[position:start], base))
            kind = match.lastgroup or "string"
            if kind == "string" and _KEY_FOLLOWS.match(text, end):
                kind = "key"
            segments.append(Segment(text[start:end], styles[kind]))
            position = end
        if position < len(text):
            segments.append(Segment(text[position:], base))
        return segments

    # -- movement: immediate (no animation), so a held key never queues up a long glide ----------

    def action_line_up(self) -> None:
        self._scroll_by(dy=-1)

    def action_line_down(self) -> None:
        self._scroll_by(dy=1)

    def action_column_left(self) -> None:
        self._scroll_by(dx=-1)

    def action_column_right(self) -> None:
        self._scroll_by(dx=1)

    def action_page_up(self) -> None:
        self._scroll_by(dy=-self._page_height())

    def action_page_down(self) -> None:
        self._scroll_by(dy=self._page_height())

    def action_page_left(self) -> None:
        self._scroll_by(dx=-self._page_width())

    def action_page_right(self) -> None:
        self._scroll_by(dx=self._page_width())

    def action_top(self) -> None:
        self.scroll_to(0, 0, animate=False)

    def action_bottom(self) -> None:
        self.scroll_to(0, self.max_scroll_y, animate=False)

    def _page_height(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def _page_width(self) -> int:
        return max(1, self.scrollable_content_region.width)

    def _scroll_by(self, dx: int = 0, dy: int = 0) -> None:
        # Nothing to scroll that way: let the key reach the pane or app that hosts the view.
        if (dy and not self.allow_vertical_scroll) or (dx and not self.allow_horizontal_scroll):
            raise SkipAction()
        self.scroll_to(self.scroll_x + dx, self.scroll_y + dy, animate=False)
