"""The layout at the terminal's size: it follows every resize (issue 16.2); z zooms a pane (16.11)."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widget import Widget

from swr_tui.ui.screens.help import HelpScreen
from swr_tui.ui.widgets.json_view import ManifestView

from .conftest import UI, Start

BIG = (200, 60)
SMALL = (80, 24)


def assert_stacked(ui: UI) -> None:
    """Narrow: the details under the tags, as wide as they are, and the table shows its columns."""
    app = ui.app
    table, detail = app.table.region, app.detail.region
    assert app.screen.has_class("-narrow")
    assert detail.y >= table.bottom
    assert detail.x == table.x
    assert detail.width == table.width
    header = ui.table_lines(0, 1)[0]
    assert "Tag" in header
    assert "Updated" in header


def assert_side_by_side(ui: UI) -> None:
    """Wide: sidebar | tags | details, each column a useful width."""
    app = ui.app
    catalog, table, detail = app.catalog.region, app.table.region, app.detail.region
    assert not app.screen.has_class("-narrow")
    assert catalog.right <= table.x
    assert detail.x >= table.right
    assert detail.y == app.catalog.region.y
    assert detail.width > 40
    assert "Updated" in ui.table_lines(0, 1)[0]


@pytest.mark.parametrize(("first", "then"), [(BIG, SMALL), (SMALL, BIG)], ids=["shrink", "grow"])
async def test_the_layout_follows_every_resize(
    start: Start, first: tuple[int, int], then: tuple[int, int]
) -> None:
    check = {BIG: assert_side_by_side, SMALL: assert_stacked}
    async with start(repository="acme/webapp", size=first) as ui:
        check[first](ui)
        for size in (then, first, then):
            await ui.pilot.resize_terminal(*size)
            await ui.settle()
            check[size](ui)


async def test_a_resize_under_the_help_screen_reaches_the_browser(start: Start) -> None:
    async with start(repository="acme/webapp", size=BIG) as ui:
        await ui.press("question_mark")
        await ui.pilot.resize_terminal(*SMALL)
        await ui.settle()
        await ui.press("escape")
        assert_stacked(ui)


def visible(widget: Widget) -> bool:
    return widget.region.area > 0


async def test_z_gives_the_focused_pane_the_whole_body_and_back(start: Start) -> None:
    async with start(repository="acme/webapp", size=SMALL) as ui:
        app = ui.app
        manifest = app.browser.query_one(ManifestView)
        await ui.press("enter")  # from the tags to the manifest
        assert app.focused is manifest
        before = {widget: widget.region for widget in (app.catalog, app.table, app.detail, manifest)}
        assert before[manifest].height <= 4  # what 80x24 leaves it

        await ui.press("z")
        width, height = SMALL
        assert app.detail.region == Region(0, 1, width, height - 2)  # all but the header and footer
        assert manifest.region.height >= 8
        assert not visible(app.catalog)
        assert not visible(app.table)
        assert app.focused is manifest
        assert ui.manifest_lines(1)[0].strip() == "{"

        await ui.press("z")
        assert {widget: widget.region for widget in before} == before
        assert app.focused is manifest


async def test_the_zoom_follows_the_focus_to_another_pane(start: Start) -> None:
    async with start(repository="acme/webapp", size=SMALL) as ui:
        app = ui.app
        await ui.press("z")
        assert app.table.region.width == SMALL[0]
        assert app.browser.query_one("#status").region.width == SMALL[0]  # the status line comes along
        assert not visible(app.detail)

        await ui.press("enter")  # the manifest: the details are zoomed now
        assert visible(app.detail)
        assert app.detail.region.height == SMALL[1] - 2
        assert not visible(app.table)

        await ui.press("escape")  # back to the tags, still zoomed
        assert app.focused is app.table
        assert app.table.region.width == SMALL[0]
        assert not visible(app.detail)


async def test_z_types_into_the_filter_and_does_nothing_over_help(start: Start) -> None:
    async with start(repository="acme/webapp", size=SMALL) as ui:
        app = ui.app
        await ui.press("slash", "z")
        assert app.filter_input.value == "z"
        assert app.screen.maximized is None
        await ui.press("escape", "question_mark", "z")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen_stack[0].maximized is None
