"""The ? help screen (every key of the keymap) and the command palette (go to, copy, sort, theme...)."""

from __future__ import annotations

import re

from textual.binding import Binding
from textual.command import CommandPalette

from swr_tui.ui.app import SwrApp
from swr_tui.ui.keys import KEYMAP, KeyHelp
from swr_tui.ui.screens.help import HelpScreen
from swr_tui.ui.widgets.catalog import CatalogTree
from swr_tui.ui.widgets.tag_detail import TagDetail
from swr_tui.ui.widgets.tag_table import TagTable

from .conftest import UI, Start, plain

# How a binding's key is spelled in the keymap.
KEY_SPELLING = {"question_mark": "?", "slash": "/", "up": "↑", "down": "↓", "equals_sign": "="}


def palette_hits(ui: UI) -> list[str]:
    """The palette's hits, first line of each (the title; the help text follows)."""
    options = ui.app.screen.query_one("CommandList").options
    return [str(option.prompt).splitlines()[0] for option in options]


def help_text(ui: UI) -> str:
    return plain(ui.app.screen.query_one("#help-keys").content)


async def test_question_mark_shows_every_key_and_escape_closes(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("question_mark")
        assert isinstance(ui.app.screen, HelpScreen)
        lines = [" ".join(line.split()) for line in help_text(ui).splitlines()]
        for entry in KEYMAP:
            row = f"{entry.keys} {entry.action} {entry.where}"
            assert row in lines, f"{row!r} not on the help screen"

        await ui.press("escape")
        assert not isinstance(ui.app.screen, HelpScreen)
        assert isinstance(ui.app.focused, TagTable)
        assert ui.app.table.query.tag_filter == ""

        await ui.press("question_mark", "q")  # q closes help; it does not quit the app
        assert not isinstance(ui.app.screen, HelpScreen)
        assert ui.app.is_running


# The keymap row that documents each bound action, by the start of the row's description.
DOCUMENTED_BY = {
    "quit": "quit",
    "help": "this help",
    "filter": "filter tags by name",
    "clear_filter": "filter tags by name",
    "sort": "sort by update time",
    "reload": "reload the current view",
    "copy('path')": "copy the pull path",
    "copy('internal')": "copy the internal",
    "copy('digest')": "copy the digest",
    "copy_menu": "copy menu",
    "toggle_time": "times in UTC",
    "export": "export this view",
    "mark": "mark the highlighted tag",
    "diff": "diff the highlighted tag",
    "toggle_watch": "watch",
    "switch_profile": "switch profile",
    "zoom": "zoom",
    "cursor(-1)": "move",
    "cursor(1)": "move",
    "cursor_up": "move",
    "cursor_down": "move",
    "page(-1)": "move a screen",
    "page(1)": "move a screen",
    "first": "first / last tag",
    "last": "first / last tag",
    "select": "expand a namespace",
    "select_cursor": "expand a namespace",
    "back": "back to the tag list",
}
# Keys a row names in its description instead of its keys column.
IN_DESCRIPTION = {("clear_filter", "escape"): "escape clears it"}


def keymap_row(description_start: str) -> KeyHelp:
    rows = [entry for entry in KEYMAP if entry.action == description_start] or [
        entry for entry in KEYMAP if entry.action.startswith(description_start)
    ]
    assert len(rows) == 1, f"{description_start!r} names {len(rows)} keymap rows"
    return rows[0]


def test_the_keymap_documents_every_binding_on_its_own_row() -> None:
    bindings = [*SwrApp.BINDINGS, *TagTable.BINDINGS, *CatalogTree.BINDINGS, *TagDetail.BINDINGS]
    for binding in bindings:
        assert isinstance(binding, Binding)
        assert binding.action in DOCUMENTED_BY, f"{binding.action} is bound but no keymap row documents it"
        row = keymap_row(DOCUMENTED_BY[binding.action])
        documented = {token for token in re.split(r"[\s()]+", row.keys) if token}
        for key in binding.key.split(","):
            spelled = KEY_SPELLING.get(key, key)
            where = f"{key} ({binding.action}) is not on the keymap row {row.keys!r} {row.action!r}"
            if (binding.action, key) in IN_DESCRIPTION:
                assert IN_DESCRIPTION[binding.action, key] in row.action, where
            else:
                assert spelled in documented, where


async def test_palette_goes_to_a_repository_by_fuzzy_name(start: Start) -> None:
    async with start() as ui:
        await ui.press("ctrl+p")
        assert isinstance(ui.app.screen, CommandPalette)
        await ui.settle()  # opening the palette loads each namespace's first page of repositories
        assert {
            request.params.get("namespace") for request in ui.registry.requests if request.route == "repos"
        } == {
            "acme",
            "acme-dev",
            "partners",
            "sandbox",
        }
        await ui.pilot.press(*"tmapp")
        # The palette searches in a worker as the query changes; the best hit ends up first.
        await ui.wait_until(lambda: palette_hits(ui)[:1] == ["repository acme/team/app"])

        await ui.press("enter")
        assert not isinstance(ui.app.screen, CommandPalette)
        assert ui.app.table.query.full_name == "acme/team/app"
        assert isinstance(ui.app.focused, TagTable)
        assert len(ui.rows()) == 8
        assert ui.status == "acme/team/app · row 1 of 8 · newest first"


async def test_palette_has_copy_sort_time_zone_and_theme_commands(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        titles = [command.title for command in ui.app.get_system_commands(ui.app.screen)]
        for title in (
            "Copy pull path",
            "Copy internal pull path",
            "Copy digest",
            "Copy…",
            "Sort",
            "Time zone",
            "Reload",
            "Filter tags",
            "Theme",
            "Keys and help",
            "Quit",
        ):
            assert title in titles

        await ui.press("ctrl+p")
        await ui.pilot.press(*"sort")
        await ui.wait_until(lambda: palette_hits(ui)[:1] == ["Sort"])
        await ui.press("enter")
        assert ui.app.table.query.order == "asc"
        assert ui.rows()[0] == "v0.9.0"
        assert ui.status == "acme/webapp · row 32 of 32 · oldest first"  # still on the newest tag
