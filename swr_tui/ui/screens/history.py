"""``h``: how the highlighted image was built, read like a Dockerfile: one line per step, the shell
noise cleaned from it, each step that made a layer beside that layer (short digest, compressed size),
steps that made none dimmed, and the total.

The lines are a text document in the virtual viewer the manifest uses, so 10,000 steps open as fast
as 10 and long steps scroll sideways rather than wrap.
"""

from __future__ import annotations

from typing import ClassVar, Optional

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Footer, Static

from ...formatting import human_size, short_digest
from ...inspection.model import ImageView
from ...safe_text import scrub
from ..widgets.json_view import ManifestView

EMPTY_MARK = "—"  # the layer column of a step that made no layer
LAYER_COLUMN = 5  # where the layer column starts: after the step number and two spaces


def history_lines(view: ImageView) -> list[str]:
    """One line per step: number, layer (or the empty mark), size, the cleaned instruction."""
    lines = []
    for number, step in enumerate(view.history.steps, start=1):
        if step.layer is not None:
            layer, size = short_digest(step.layer.digest, 12), human_size(step.layer.size)
        elif step.entry.empty_layer:
            layer, size = EMPTY_MARK, ""
        else:
            layer, size = "?", ""  # a layer the history names but could not be paired (see the note)
        instruction = scrub(step.instruction) or "(no instruction recorded)"
        lines.append(f"{number:>3}  {scrub(layer):<12}  {size:>9}  {instruction}")
    return lines


def history_summary(view: ImageView) -> Text:
    steps = view.history.steps
    layers = [step.layer for step in steps if step.layer is not None]
    text = Text()
    text.append(f"{len(steps):,} steps", style="bold")
    text.append(f" · {len(view.layers):,} layers, {human_size(sum(layer.size for layer in view.layers))}")
    if view.platform is not None:
        text.append(f" · {scrub(view.platform.label)}")
    text.append(f" · from the {view.source}", style="dim")
    if view.history.mismatch:
        text.append(f"\n{scrub(view.history.mismatch)}", style="italic")
    elif not layers and view.layers:
        text.append("\nThe history names no layer-making step.", style="italic")
    return text


class HistoryView(ManifestView):
    """The history's lines; the steps that made no layer are dimmed."""

    _dim: Optional[Style] = None

    def _build_line(self, line: str) -> Strip:
        strip = super()._build_line(line)
        if line[LAYER_COLUMN : LAYER_COLUMN + len(EMPTY_MARK)] != EMPTY_MARK:
            return strip
        if self._dim is None:
            self._dim = Style(dim=True)
        return Strip(Segment.apply_style(strip, post_style=self._dim), strip.cell_length)


class HistoryScreen(Screen[None]):
    DEFAULT_CSS = """
    HistoryScreen {
        layout: vertical;
    }
    HistoryScreen > #history-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    HistoryScreen > #history-summary {
        height: auto;
        padding: 0 1;
        border-bottom: solid $primary-muted;
    }
    HistoryScreen > #history-lines {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,h", "close", "Back")]

    def __init__(self, reference: str, view: ImageView) -> None:
        super().__init__()
        self.reference = reference
        self.view = view

    def compose(self) -> ComposeResult:
        yield Static(Text(f"History of {scrub(self.reference)}"), id="history-title")
        yield Static(history_summary(self.view), id="history-summary")
        yield HistoryView(id="history-lines")
        yield Footer()

    def on_mount(self) -> None:
        lines = self.query_one("#history-lines", HistoryView)
        header = f"{'#':>3}  {'layer':<12}  {'size':>9}  step"
        lines.load("\n".join([header, *history_lines(self.view)]), highlight=False)
        lines.focus()

    def action_close(self) -> None:
        self.app.pop_screen()
