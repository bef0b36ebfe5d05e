"""The filter input refuses a value SWR's filter syntax cannot carry (``|``), with a clear message."""

from __future__ import annotations

import pytest

from swr_tui.ui.screens import browser as browser_module

from .conftest import Start


async def test_a_filter_with_a_bar_is_refused_with_a_clear_message(
    start: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only enter applies the filter here: on a loaded machine the debounce could otherwise apply the
    # prefix "v1" between two key presses, before the "|" is typed.
    monkeypatch.setattr(browser_module, "FILTER_DEBOUNCE_S", 30.0)
    async with start(repository="acme/webapp") as ui:
        requests_before = len(ui.tag_requests())
        await ui.press("slash", *"v1|x", "enter")
        await ui.settle()
        assert ui.app.table.query is not None
        assert ui.app.table.query.tag_filter == ""  # the view is left as it was
        assert len(ui.tag_requests()) == requests_before  # nothing was sent
        titles = [note.title for note in ui.notes]
        assert "Unexpected error" not in titles
        assert "Registry error" not in titles
        note = ui.notes[-1]
        assert (note.title, note.severity) == ("Filter not applied", "warning")
        assert "'v1|x' contains '|'" in note.message
        assert note.message.count("\n") == 0

        assert ui.app.focused is ui.app.filter_input  # still there to be corrected
        await ui.press("backspace", "backspace", "enter")  # "v1" is fine
        assert ui.app.table.query.tag_filter == "v1"
        assert ui.app.focused is ui.app.table
