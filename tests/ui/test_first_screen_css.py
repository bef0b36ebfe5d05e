"""The first screen's styles (issue 14): the browser screen a mode brings in is styled from the
stylesheet already parsed, not after two full re-parses of every CSS source; a theme change still
re-parses and restyles it."""

from __future__ import annotations

from typing import Any

import pytest
from textual.color import Color
from textual.css.stylesheet import Stylesheet

from .conftest import Start


@pytest.fixture
def reparses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        calls.append(1)
        original(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    return calls


def panel(app: Any) -> Color:
    return Color.parse(app.get_css_variables()["panel"])


async def test_the_first_screen_is_styled_without_reparsing_the_css_and_a_theme_change_restyles_it(
    start: Start, reparses: list[int]
) -> None:
    async with start(repository="acme/webapp") as ui:
        status = ui.app.browser.query_one("#status")
        assert reparses == []
        assert status.styles.background == panel(ui.app)  # app.tcss: #status { background: $panel }
        assert status.styles.max_height is not None
        assert status.styles.max_height.value == 2
        before = status.styles.background
        ui.app.theme = "textual-light"
        await ui.wait_until(lambda: status.styles.background != before)
        assert reparses != []
        assert status.styles.background == panel(ui.app)
