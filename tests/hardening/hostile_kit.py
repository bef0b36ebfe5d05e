"""Helpers for the hostile-data tests: SwrApp on the hostile fake registry, and what is on screen.

``make_start(registry)`` gives ``start(**app_options)``, which runs a settled app on
``HostileRegistry`` through the app harness (``tests/app_harness.py``: fixed clock, ``environ={}``
unless given, every toast and every string the app hands the driver recorded) and yields a
``HostileUI``, checking when it ends that the app is still alive. ``screen_strips`` renders every
visible widget of every screen the way the compositor does (``Widget.render_lines``), so a test can
look at each segment's text and style. (A helper module, not a conftest: other tests share this folder.)
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any, Callable, Optional

from app_harness import AppUI, client_for, launch
from rich.segment import Segment
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from swr_tui.fake.hostile import HostileRegistry
from swr_tui.safe_text import scrub
from swr_tui.ui.app import SwrApp
from swr_tui.ui.widgets.catalog import NamespaceEntry
from swr_tui.ui.widgets.json_view import ManifestView, display_width

SIZE = (200, 50)  # wide enough that a 20-character escape fits every column
SETTLE_TIMEOUT_S = 20.0

# What must never be in a rendered segment: C0 controls (newlines included: a segment is one line),
# DEL, C1, bidi controls, line/paragraph separators, lone surrogates, and invisible characters
# (zero-width spaces and joiners, BOM, soft hyphen: ``latest\u200b`` must not pass for ``latest``).
UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff"
    "\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]"
)


def clip(text: str, limit: int = 200) -> str:
    """What an error message keeps of the server's words (whitespace runs folded, cut at 200)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_shown(text: str) -> str:
    """How a string inside a valid JSON manifest shows in the manifest viewer (C0 as \\u00XX)."""
    return scrub(json.dumps(text, ensure_ascii=False)[1:-1])


def widget_strips(widget: Widget) -> list[Strip]:
    width, height = widget.region.size
    if width <= 0 or height <= 0:
        return []
    return widget.render_lines(Region(0, 0, width, height))


def screen_widgets(app: SwrApp) -> Iterator[Widget]:
    for screen in app.screen_stack:
        for widget in screen.walk_children(with_self=True):
            if isinstance(widget, Widget) and widget.display and widget.visible:
                yield widget


def screen_strips(app: SwrApp) -> list[Strip]:
    strips: list[Strip] = []
    for widget in screen_widgets(app):
        strips.extend(widget_strips(widget))
    return strips


def unsafe_segments(strips: Iterable[Strip]) -> list[str]:
    """Segment texts holding a character that must not reach a terminal, or markup that came alive:
    a hyperlink to the data's URL, or a click action from the data."""
    found = []
    for strip in strips:
        for segment in strip:
            assert isinstance(segment, Segment)
            if UNSAFE.search(segment.text):
                found.append(segment.text)
            style = segment.style
            if style is not None and style.link and "evil.example" in style.link:
                found.append(f"link {style.link!r}: {segment.text}")
            meta = style.meta if style is not None else {}
            if meta and "PWNED" in segment.text and any(key.startswith("@") for key in meta):
                found.append(f"action {meta!r}: {segment.text}")
    return found


def texts(strips: Iterable[Strip]) -> list[str]:
    return [strip.text for strip in strips]


def view_strips(view: ManifestView) -> list[Strip]:
    """Every line of the manifest viewer as it scrolls over the whole document, in overlapping
    horizontal steps so that any 20-character run lies whole within one strip."""
    height = max(1, view.scrollable_content_region.height)
    width = max(1, view.scrollable_content_region.width)
    step_x = max(1, width - 45)
    lines = view.document.replace("\r\n", "\n").split("\n") if view.document else []
    strips = []
    for top in range(0, max(1, len(lines)), height):
        # Only as far right as the widest line of this screenful.
        widest = max(
            (display_width(line, view.max_line_length) for line in lines[top : top + height]), default=0
        )
        for left in range(0, max(1, widest - width + step_x), step_x):
            view.scroll_to(left, top, animate=False, immediate=True)
            strips.extend(view.render_line(y) for y in range(height))
    view.scroll_to(0, 0, animate=False, immediate=True)
    return strips


class HostileUI(AppUI):
    settle_timeout_s = SETTLE_TIMEOUT_S

    def __init__(self, app: SwrApp, registry: HostileRegistry) -> None:
        super().__init__(app)
        self.registry = registry

    def assert_alive(self) -> None:
        assert self.app.is_running
        assert self.app._exception is None  # Textual keeps a crash here
        assert self.app.return_code is None

    def assert_screen_safe(self) -> list[Strip]:
        strips = screen_strips(self.app)
        assert unsafe_segments(strips) == []
        return strips

    def namespace_names(self) -> list[str]:
        return [
            node.data.namespace.name
            for node in self.app.catalog.root.children
            if isinstance(node.data, NamespaceEntry)
        ]


Start = Callable[..., Any]


def make_start(hostile: HostileRegistry) -> Start:
    @asynccontextmanager
    async def run(*, size: tuple[int, int] = SIZE, **options: Any) -> AsyncIterator[HostileUI]:
        driven = partial(HostileUI, registry=hostile)
        async with launch(client_for(hostile), driven, size=size, **options) as ui:
            yield ui
            ui.assert_alive()

    return run


def find(lines: Iterable[str], needle: str) -> Optional[str]:
    return next((line for line in lines if needle in line), None)
