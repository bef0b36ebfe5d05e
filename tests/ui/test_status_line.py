"""The status line at 80 columns keeps an error readable: on a line of its own when it does not fit,
and whole in a toast (issue 16.11)."""

from __future__ import annotations

from textual.widgets import Static

from swr_tui.fake import FakeRegistry, FaultRule

from .conftest import UI, Start

SMALL = (80, 24)
ERROR_START = "⚠ The registry failed with HTTP 500"


def status_lines(ui: UI) -> tuple[list[str], int]:
    line = ui.app.browser.query_one("#status", Static)
    return ui.status.split("\n"), line.region.height


async def test_an_error_that_does_not_fit_gets_its_own_line(start: Start, registry: FakeRegistry) -> None:
    registry.faults.add(FaultRule("tags", "status", 500, times=1, after=1))  # the first page works
    async with start(repository="acme/ci-builds", size=SMALL) as ui:
        await ui.press("end")  # the last page: the second request, which fails
        assert ui.app.table.cache.failed

        lines, height = status_lines(ui)
        width = ui.app.browser.query_one("#status", Static).content_region.width
        assert len(lines) == 2
        assert lines[0].startswith("acme/ci-builds · row ")
        assert len(lines[0]) <= width
        assert lines[1].startswith(ERROR_START)
        assert lines[1].endswith("(r to retry)")
        assert height >= 2
        error = ui.notes[-1]
        assert error.severity == "error"
        assert any(error.message in text for text in ui.toast_texts())

        await ui.press("r")
        lines, height = status_lines(ui)
        assert lines == ["acme/ci-builds · row 100,000 of 100,000 · newest first"]
        assert height == 1
