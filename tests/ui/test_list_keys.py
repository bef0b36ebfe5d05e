"""j/k move in every list the keymap says they do: the sidebar, the manifest, help and the copy menu."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import OptionList

from swr_tui.ui.screens.copy_menu import CopyMenu
from swr_tui.ui.screens.help import HelpScreen
from swr_tui.ui.widgets.json_view import ManifestView

from .conftest import NARROW, Start


async def test_j_and_k_move_the_sidebar_cursor(start: Start) -> None:
    async with start() as ui:
        assert ui.cursor_namespace() == "acme"
        await ui.press("j", "j")
        assert ui.cursor_namespace() == "partners"
        await ui.press("k")
        assert ui.cursor_namespace() == "acme-dev"


async def test_j_and_k_scroll_the_manifest(start: Start) -> None:
    async with start(repository="acme/webapp", size=NARROW) as ui:
        await ui.press("enter")
        manifest = ui.app.browser.query_one("#detail-manifest", ManifestView)
        assert ui.app.focused is manifest
        assert manifest.max_scroll_y > 2  # a manifest taller than its pane
        await ui.press("j", "j", "j")
        assert manifest.scroll_y == 3
        await ui.press("k")
        assert manifest.scroll_y == 2


async def test_j_and_k_scroll_the_help_screen(start: Start) -> None:
    async with start(repository="acme/webapp", size=NARROW) as ui:
        await ui.press("question_mark")
        assert isinstance(ui.app.screen, HelpScreen)
        body = ui.app.screen.query_one("#help-body", VerticalScroll)
        assert body.max_scroll_y > 2  # the keymap is taller than 24 lines
        await ui.press("j", "j")
        assert body.scroll_y == 2
        await ui.press("k")
        assert body.scroll_y == 1


async def test_j_and_k_move_in_the_copy_menu(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("y")
        assert isinstance(ui.app.screen, CopyMenu)
        options = ui.app.screen.query_one(OptionList)
        assert options.highlighted == 0
        await ui.press("j", "j")
        assert options.highlighted == 2
        await ui.press("k")
        assert options.highlighted == 1
