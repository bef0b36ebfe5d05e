"""The browser's footer: one line of keys, the most used first, only keys whose whole label fits.

Textual's footer lists the focused widget's keys first and cuts the last one that does not fit in
the middle ("c Copy pu" at 80 columns). This one puts the keys a new user needs first and leaves
out those that do not fit whole (they are all in ? and ctrl+p).

It is one widget drawing one line, not a widget per key: the keys change whenever the focus moves
(opening a repository moves it from the sidebar to the tags), and making a widget per key again
laid out the whole screen, some 20 ms of the time to open a repository. Redrawing one line lays out
nothing. A key is clicked, hovered and has its tooltip as in Textual's footer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, NamedTuple, Optional

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

from ..safe_text import scrub
from .actions import ACTIONS, APP

# Most used first (action names, without arguments or namespace); the others follow in Textual's order.
# select_cursor is the sidebar's enter (Open).
FIRST_ACTIONS = ("help", "quit", "select_cursor", "filter", "copy", "copy_menu", "zoom", "sort", "reload")
PALETTE_SEPARATOR = "▏"  # before the palette key on the right, as Textual's footer draws it

EVERY_SCREEN = frozenset(action.action for action in ACTIONS if action.scope == APP)


def action_name(action: str) -> str:
    """``app.copy('path')`` -> ``copy``."""
    return action.split("(", 1)[0].rsplit(".", 1)[-1]


class FooterKey(NamedTuple):
    """One key as the footer shows it."""

    key: str  # what a click presses
    key_display: str
    description: str
    action: str
    enabled: bool = True
    tooltip: str = ""

    @property
    def label(self) -> str:
        """The key's cells: `` ? Keys ``."""
        return f" {self.key_display} {self.description} " if self.description else f" {self.key_display} "

    @property
    def palette_label(self) -> str:
        """The palette key's cells, as Textual's footer draws it on the right: ``^p palette ``."""
        return f"{self.key_display} {self.description} " if self.description else f"{self.key_display} "


def most_used_first(keys: Iterable[FooterKey]) -> list[FooterKey]:
    def rank(key: FooterKey) -> int:
        name = action_name(key.action)
        return FIRST_ACTIONS.index(name) if name in FIRST_ACTIONS else len(FIRST_ACTIONS)

    return sorted(keys, key=rank)  # stable: equal ranks keep Textual's order


def fitting(widths: Sequence[int], room: int) -> list[bool]:
    """Which of ``widths``, taken in order, fit side by side in ``room`` cells (one that does not is
    skipped, a shorter one after it may still fit)."""
    shown = []
    for width in widths:
        shown.append(width <= room)
        if shown[-1]:
            room -= width
    return shown


def screen_keys(screen: Screen[Any]) -> tuple[list[FooterKey], Optional[FooterKey]]:
    """The keys ``screen`` shows in its footer, most used first (one per action, as Textual's
    footer shows them), and the command palette's key; only the keys of every screen while a
    dialog is open over it."""
    app = screen.app
    active = screen.active_bindings
    by_action: dict[str, FooterKey] = {}
    for _, binding, enabled, tooltip in active.values():
        if binding.show and binding.action not in by_action:
            by_action[binding.action] = FooterKey(
                binding.key,
                scrub(app.get_key_display(binding)),  # one line whatever a keymap or a label holds
                scrub(binding.description),
                binding.action,
                enabled,
                tooltip,
            )
    keys = list(by_action.values())
    if screen is not app.screen:  # a dialog is open over this screen: only these keys still work
        keys = [key for key in keys if action_name(key.action) in EVERY_SCREEN]
    palette = None
    found = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
    if found is not None:
        _, binding, enabled, _ = found
        palette = FooterKey(
            binding.key,
            scrub(app.get_key_display(binding)),
            scrub(binding.description),
            binding.action,
            enabled,
            binding.tooltip or binding.description,
        )
    return most_used_first(keys), palette


class Placed(NamedTuple):
    key: FooterKey
    x: int  # the first cell of its label
    width: int


class FittingFooter(Widget, can_focus=False):
    """The keys of its screen on one line; the palette's key on the right."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "fitting-footer--key",
        "fitting-footer--description",
        "fitting-footer--hover",
        "fitting-footer--separator",
    }
    DEFAULT_CSS = """
    FittingFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .fitting-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .fitting-footer--description {
            text-style: none;
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .fitting-footer--hover {
            background: $block-hover-background;
        }
        & > .fitting-footer--separator {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, id: Optional[str] = None) -> None:
        super().__init__(id=id)
        self.placed: list[Placed] = []  # the keys drawn, left to right, the palette's last
        self._hovered: Optional[FooterKey] = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if self.is_attached and screen is self.screen:
            self._hovered, self.tooltip = None, None  # the key under the mouse may be another now
            self.refresh()  # one line again: no layout

    # -- drawing --------------------------------------------------------------------------------

    def place(self, width: int) -> list[Placed]:
        """Where each key goes at ``width``: the keys from the left, as many as fit whole, and the
        palette's last, on the right after its separator."""
        keys, palette = screen_keys(self.screen)
        room, on_the_right = width, None
        if palette is not None and cell_len(palette.palette_label) + cell_len(PALETTE_SEPARATOR) <= width:
            cells = cell_len(palette.palette_label)
            on_the_right = Placed(palette, width - cells, cells)
            room = on_the_right.x - cell_len(PALETTE_SEPARATOR)
        placed, x = [], 0
        widths = [cell_len(key.label) for key in keys]  # a rebound key may be shown wide
        for key, cells, shown in zip(keys, widths, fitting(widths, room)):
            if shown:
                placed.append(Placed(key, x, cells))
                x += cells
        return placed if on_the_right is None else [*placed, on_the_right]

    def render(self) -> Text:
        self.placed = self.place(self.size.width)
        key_style = self.get_component_rich_style("fitting-footer--key")
        description_style = self.get_component_rich_style("fitting-footer--description")
        hover = self.get_component_rich_style("fitting-footer--hover")
        line = Text(no_wrap=True, overflow="crop", end="")
        for placed in self.placed:
            if placed.x > line.cell_len:  # the palette's key, on the right
                line.append(" " * (placed.x - line.cell_len - cell_len(PALETTE_SEPARATOR)))
                line.append(PALETTE_SEPARATOR, self.get_component_rich_style("fitting-footer--separator"))
                line.append_text(self._key_text(placed.key, key_style, description_style, hover, ""))
            else:
                line.append_text(self._key_text(placed.key, key_style, description_style, hover))
        line.stylize_before(self.rich_style)
        return line

    def _key_text(
        self, key: FooterKey, key_style: Style, description_style: Style, hover: Style, padding: str = " "
    ) -> Text:
        """`` ? `` in the key's style, ``Keys `` in the description's (without ``padding`` around the
        key: the palette's)."""
        extra = Style(dim=True) if not key.enabled else Style()
        if key == self._hovered:
            extra += hover
        text = Text()
        text.append(f"{padding}{key.key_display}{padding}", key_style + extra)
        if key.description:
            text.append(f"{' ' if not padding else ''}{key.description} ", description_style + extra)
        return text

    # -- the mouse ------------------------------------------------------------------------------

    def key_at(self, x: int) -> Optional[FooterKey]:
        return next((placed.key for placed in self.placed if placed.x <= x < placed.x + placed.width), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(self.key_at(event.x))

    def on_leave(self) -> None:
        self._hover(None)

    def _hover(self, key: Optional[FooterKey]) -> None:
        if key != self._hovered:
            self._hovered = key
            self.tooltip = (key.tooltip or None) if key is not None else None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self.key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
