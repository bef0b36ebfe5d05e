"""The footer: the most used keys first, and only keys whose whole label fits.

Textual's footer lists the focused widget's keys first and cuts the last one that does not fit in
the middle ("c Copy pu" at 80 columns). This one puts the keys a new user needs first and hides
those that do not fit whole (they are all in ? and ctrl+p).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Optional

from textual.app import ComposeResult
from textual.dom import NoScreen
from textual.widget import Widget
from textual.widgets import Footer

from .actions import ACTIONS, APP

# Most used first (action names, without arguments or namespace); the others follow in Textual's order.
# select_cursor is the sidebar's enter (Open).
FIRST_ACTIONS = ("help", "quit", "select_cursor", "filter", "copy", "copy_menu", "zoom", "sort", "reload")
PALETTE_CLASS = "-command-palette"  # Textual's class for the palette key, docked on the right


EVERY_SCREEN = frozenset(action.action for action in ACTIONS if action.scope == APP)


def _action_of(widget: Widget) -> str:
    return action_name(str(getattr(widget, "action", "")))


def action_name(action: str) -> str:
    """``app.copy('path')`` -> ``copy``."""
    return action.split("(", 1)[0].rsplit(".", 1)[-1]


def most_used_first(widgets: Iterable[Widget]) -> list[Widget]:
    def rank(widget: Widget) -> int:
        name = _action_of(widget)
        return FIRST_ACTIONS.index(name) if name in FIRST_ACTIONS else len(FIRST_ACTIONS)

    return sorted(widgets, key=rank)  # stable: equal ranks keep Textual's order


def fitting(widths: Sequence[int], room: int) -> list[bool]:
    """Which of ``widths``, taken in order, fit side by side in ``room`` cells (one that does not is
    skipped, a shorter one after it may still fit)."""
    shown = []
    for width in widths:
        shown.append(width <= room)
        if shown[-1]:
            room -= width
    return shown


class FittingFooter(Footer):
    _made_from: Optional[Hashable] = None  # what the shown keys were made from (``keys_signature``)

    def keys_signature(self) -> Hashable:
        """What the keys are made from: the screen's shown bindings and whether a dialog is over it."""
        screen = self.screen
        shown = tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for _, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        )
        return (screen is self.app.screen, self.compact, shown)

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        if self.screen is not self.app.screen:
            # A dialog is open over this screen: only the keys of every screen still work.
            widgets = [w for w in widgets if w.has_class(PALETTE_CLASS) or _action_of(w) in EVERY_SCREEN]
        yield from most_used_first(widget for widget in widgets if not widget.has_class(PALETTE_CLASS))
        yield from (widget for widget in widgets if widget.has_class(PALETTE_CLASS))

    async def recompose(self) -> None:
        # Opening a repository moves the focus and says the bindings changed twice, with the same
        # keys the second time: making them again only cost a layout of the screen.
        if not self.is_attached:
            return  # its screen is going (a profile switch replaces it): nothing to show
        try:
            made_from = self.keys_signature()
        except NoScreen:  # detached between the check and now
            return
        if made_from == self._made_from and self.children:
            return
        self._made_from = made_from
        async with self.batch():  # no frame between the new keys and hiding those that do not fit
            await super().recompose()
            self.fit()

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        if not self.size.width:
            return
        palette = [child for child in self.children if child.has_class(PALETTE_CLASS)]
        keys = [child for child in self.children if not child.has_class(PALETTE_CLASS)]
        room = self.size.width - sum(self._outer_width(widget) for widget in palette)
        for widget, shown in zip(keys, fitting([self._outer_width(widget) for widget in keys], room)):
            widget.display = shown

    def _outer_width(self, widget: Widget) -> int:
        styles = widget.styles
        content = widget.get_content_width(self.size, self.app.size)
        return content + styles.gutter.width + styles.margin.width
