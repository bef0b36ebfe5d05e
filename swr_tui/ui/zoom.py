"""z: the focused pane takes the whole body (the header and footer stay), and back, as in lazygit.

At 80x24 the stacked layout leaves the details a few rows; zoomed, the manifest gets most of the
screen. While zoomed the zoom follows the focus: enter on a tag zooms the details, escape zooms the
tags again. Textual's ``Screen.maximized`` does the layout: only that widget (and the widgets named in
``ALLOW_IN_MAXIMIZED_VIEW``) is arranged, over the whole screen.
"""

from __future__ import annotations

from typing import Any, Optional

from textual.screen import Screen
from textual.widget import Widget

# The panes of the browser (ids in app.py's compose): the sidebar, the tags with their filter and
# status line, the details with the manifest.
PANE_IDS = ("catalog", "center", "detail")
# What stays on screen around a zoomed pane.
KEPT_WHEN_ZOOMED = "Header, Footer, FittingFooter"


def pane_of(widget: Optional[Widget]) -> Optional[Widget]:
    """The pane holding ``widget``, or None when it is in none of them."""
    if widget is None:
        return None
    for node in widget.ancestors_with_self:
        if isinstance(node, Widget) and node.id in PANE_IDS:
            return node
    return None


def toggle_zoom(screen: Screen[Any]) -> Optional[Widget]:
    """Zoom the pane with the focus, or unzoom; the zoomed pane (None when back to normal)."""
    if screen.maximized is not None:
        screen.minimize()
        return None
    pane = pane_of(screen.focused)
    if pane is not None:
        screen.maximized = pane
    return pane


def follow_focus(screen: Screen[Any], focused: Widget) -> None:
    """Focus moved to another pane while zoomed: that pane is zoomed instead."""
    if screen.maximized is None:
        return
    pane = pane_of(focused)
    if pane is not None and pane is not screen.maximized:
        screen.maximized = pane
