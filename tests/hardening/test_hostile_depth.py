"""The hostile registry's image configs (issue 11): every string of the hostile corpus in the env,
labels, cmd, user, working dir and ``created_by`` of each ``hostile/tags`` config. The Config section
and the History screen show them escaped, never as markup or terminal control, and stay up."""

from __future__ import annotations

import pytest

from swr_tui.fake.hostile import HostileRegistry
from swr_tui.ui.screens.history import HistoryScreen

from .hostile_kit import Start, make_start

ROWS_VISITED = 12


@pytest.fixture
def start() -> Start:
    return make_start(HostileRegistry(seed=0))


async def test_hostile_configs_are_shown_escaped_in_the_pane_and_the_history(start: Start) -> None:
    async with start(repository="hostile/tags") as ui:
        depth = ui.app.browser.depth
        table = ui.app.table
        loaded = 0
        for row in range(min(ROWS_VISITED, table.total or 0)):
            table.cursor_row = row
            await ui.wait_until(lambda: depth.view is not None or "could not be read" in str(depth.content))
            ui.assert_screen_safe()
            if depth.view is None:
                continue
            loaded += 1
            await ui.press("h")
            assert isinstance(ui.app.screen, HistoryScreen)
            ui.assert_screen_safe()
            await ui.press("escape")
        assert loaded > 0, "no hostile config loaded: the test would prove nothing"
        ui.assert_alive()
