"""NO_COLOR's filter fits the theme in use, also after the palette switches theme (issue 16.1).

Textual picks Monochrome (for truecolour themes) or NoColor (for ANSI themes) once, for the theme it
starts with; Monochrome over the ANSI theme a 16-colour terminal gets draws black on black. The real
terminal's cells are checked in tests/hardening/test_terminal_colours.py.
"""

from __future__ import annotations

import pytest
from textual.app import App
from textual.filter import Monochrome, NoColor

from .conftest import Start


def colour_filters(app: App[None]) -> list[str]:
    filters = app.get_line_filters()
    return [type(entry).__name__ for entry in filters if isinstance(entry, (Monochrome, NoColor))]


async def test_no_color_on_a_16_colour_terminal_follows_the_theme(
    start: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    async with start(repository="acme/webapp", environ={"TERM": "xterm"}) as ui:
        app = ui.app
        assert app.theme == "ansi-dark"
        assert colour_filters(app) == ["NoColor"]

        app.theme = "textual-dark"  # as the palette's theme command does
        await ui.settle()
        assert colour_filters(app) == ["Monochrome"]

        app.theme = "ansi-light"
        await ui.settle()
        assert colour_filters(app) == ["NoColor"]


async def test_colours_are_left_alone_without_no_color(start: Start) -> None:
    async with start(repository="acme/webapp", environ={"TERM": "xterm"}) as ui:
        assert ui.app.theme == "ansi-dark"
        assert colour_filters(ui.app) == []
