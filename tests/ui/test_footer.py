"""The footer at 80 columns: the most used keys first, no label cut in half (issue 16.11); one line
that follows the focus without laying the screen out; a key clicked is pressed."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType

from swr_tui.ui.footer import PALETTE_SEPARATOR, FittingFooter
from swr_tui.ui.screens.copy_menu import CopyMenu
from swr_tui.ui.screens.help import HelpScreen

from .conftest import UI, Start

SMALL = (80, 24)


def footer_of(ui: UI) -> FittingFooter:
    return ui.app.browser.query_one(FittingFooter)


async def shown_keys(ui: UI) -> list[str]:
    """The footer's keys as drawn, left to right, each checked to be whole where the footer says it
    is, and clear of the palette key on the right; the palette key itself is left out."""
    await ui.settle()
    footer = footer_of(ui)
    line = footer.render_line(0).text
    assert len(line) == footer.size.width
    *keys, palette = footer.placed
    assert palette.key.action.endswith("command_palette")
    assert line[palette.x - 1 :] == f"{PALETTE_SEPARATOR}^p palette "
    labels = []
    for placed in keys:
        label = f"{placed.key.key_display} {placed.key.description}"
        assert line[placed.x : placed.x + placed.width] == f" {label} ", f"{label!r} is not drawn whole"
        assert placed.x + placed.width < palette.x, f"{label!r} runs under the palette key"
        labels.append(label)
    assert [placed.x for placed in keys] == sorted(placed.x for placed in keys)
    return labels


async def test_the_tags_footer_at_80_columns_starts_with_the_most_used_keys(start: Start) -> None:
    async with start(repository="acme/webapp", size=SMALL) as ui:
        labels = await shown_keys(ui)
        assert labels[:6] == ["? Keys", "q Quit", "/ Filter", "c Copy pull", "y Copy…", "z Zoom"]


async def test_no_footer_label_is_cut_whatever_has_the_focus_or_the_size(start: Start) -> None:
    async with start(repository="acme/webapp", size=(200, 30)) as ui:
        wide = await shown_keys(ui)
        await ui.pilot.resize_terminal(*SMALL)
        await ui.settle()
        narrow = await shown_keys(ui)
        assert narrow == wide[: len(narrow)]
        assert len(narrow) < len(wide)

        await ui.press("shift+tab")  # the sidebar
        assert ui.app.focused is ui.app.catalog
        assert (await shown_keys(ui))[:3] == ["? Keys", "q Quit", "⏎ Open"]
        await ui.press("tab", "enter")  # the manifest
        assert (await shown_keys(ui))[:2] == ["? Keys", "q Quit"]


async def test_the_keys_follow_the_focus_on_one_line_without_a_layout(
    start: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    layouts: list[bool] = []
    refresh = FittingFooter.refresh

    def counted(self: FittingFooter, *regions: Any, layout: bool = False, **options: Any) -> Any:
        layouts.append(layout)
        return refresh(self, *regions, layout=layout, **options)

    monkeypatch.setattr(FittingFooter, "refresh", counted)
    async with start() as ui:
        ui.app.catalog.focus()
        await ui.settle()
        assert "⏎ Open" in await shown_keys(ui)
        layouts.clear()
        ui.app.open_repository("acme", "webapp")  # the focus moves to the tags
        await ui.settle()
        assert "/ Filter" in await shown_keys(ui)
        assert layouts
        assert not any(layouts)  # its line is drawn again; nothing is laid out
        assert not footer_of(ui).children


async def test_a_dialog_over_the_browser_leaves_the_keys_of_every_screen(start: Start) -> None:
    async with start(repository="acme/webapp", size=SMALL) as ui:
        await ui.highlight("v2.4.1")
        await ui.press("y")
        assert isinstance(ui.app.screen, CopyMenu)
        assert await shown_keys(ui) == ["? Keys", "q Quit"]
        await ui.press("escape")
        assert (await shown_keys(ui))[:3] == ["? Keys", "q Quit", "/ Filter"]


async def test_a_key_clicked_is_pressed_and_hovering_it_says_what_it_does(start: Start) -> None:
    async with start(repository="acme/webapp", size=SMALL) as ui:
        await shown_keys(ui)
        footer = footer_of(ui)
        palette = footer.placed[-1]
        await ui.pilot.hover(FittingFooter, offset=(palette.x + 1, 0))
        assert footer.tooltip == "Open the command palette"
        assert "^p" in footer.render_line(0).text
        await ui.press("shift+tab")  # the keys change under the resting mouse: no stale tooltip
        await ui.settle()
        assert footer.tooltip is None
        await ui.press("tab")
        await ui.settle()
        keys = footer.placed[0]
        assert keys.key.description == "Keys"
        await ui.pilot.click(FittingFooter, offset=(keys.x + 1, 0))
        await ui.settle()
        assert isinstance(ui.app.screen, HelpScreen)


class _Keys(App[None]):
    """A footer on its own, with labels a keymap or a careless label could bring."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "first", "two\nlines\x1b[2J", show=True),
        Binding("w", "second", "复制路径", show=True),  # 8 cells in 4 characters
        Binding("z", "third", "last", show=True),
    ]

    def compose(self) -> ComposeResult:
        yield FittingFooter()


async def test_a_label_with_a_line_break_or_wide_characters_keeps_one_whole_line() -> None:
    app = _Keys()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(FittingFooter)
        line = footer.render_line(0).text
        assert "\n" not in line
        assert "\x1b" not in line
        assert cell_len(line) == 60
        labels = {placed.key.key: placed for placed in footer.placed}
        wide = labels["w"]
        assert wide.width == cell_len(" w 复制路径 ") == 12
        assert labels["z"].x == wide.x + wide.width  # placed after the wide label's cells
        assert " z last " in line
