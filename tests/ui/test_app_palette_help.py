"""The ? help screen (every key of the keymap) and the command palette (go to, copy, sort, theme...)."""

from __future__ import annotations

from app_harness import plain
from textual.command import CommandPalette

from swr_tui.ui.actions import Keymap
from swr_tui.ui.screens.help import HelpScreen
from swr_tui.ui.widgets.tag_table import TagTable

from .conftest import UI, Start


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
        for entry in Keymap().help_rows():
            row = " ".join(f"{entry.keys} {entry.action} {entry.where}".split())
            assert row in lines, f"{row!r} not on the help screen"

        await ui.press("escape")
        assert not isinstance(ui.app.screen, HelpScreen)
        assert isinstance(ui.app.focused, TagTable)
        assert ui.app.table.query.tag_filter == ""

        await ui.press("question_mark", "q")  # q closes help; it does not quit the app
        assert not isinstance(ui.app.screen, HelpScreen)
        assert ui.app.is_running


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
