"""The tag marked for a diff: shown on its row, dropped when another repository opens unless it was
marked across repositories (ctrl+p), and kept through a sort or filter of the same repository."""

from __future__ import annotations

from textual.command import CommandPalette

from swr_tui.ui.screens.diff import DiffScreen
from swr_tui.ui.widgets.tag_rows import DIFF_MARK

from .conftest import UI, Start


def marked_rows(ui: UI) -> list[str]:
    """The table lines carrying the diff mark, as drawn."""
    return [line.strip() for line in ui.table_lines(1) if DIFF_MARK in line]


async def open_repository(ui: UI, namespace: str, name: str) -> None:
    ui.app.open_repository(namespace, name)
    await ui.settle()


async def test_the_marked_tag_carries_a_glyph_on_its_row(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.1.0")
        await ui.press("space")
        [row] = marked_rows(ui)
        assert row.split()[:2] == [DIFF_MARK, "v2.1.0"]

        await ui.press("down", "down")  # the mark stays on its row, not on the cursor's
        [row] = marked_rows(ui)
        assert row.split()[1] == "v2.1.0"

        await ui.highlight("v2.1.0")
        await ui.press("space")
        assert marked_rows(ui) == []
        assert ui.app.marked is None


async def test_opening_another_repository_drops_the_mark_and_says_how_to_keep_one(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.1.0")
        await ui.press("space")
        await open_repository(ui, "acme", "team/app")

        assert ui.app.marked is None
        assert "marked" not in ui.status
        assert ui.notes[-1].message == (
            "Unmarked v2.1.0 of acme/webapp. To diff across repositories, mark with ctrl+p: "
            "Mark for diff across repositories"
        )
        await ui.press("equals_sign")
        assert ui.notes[-1].message == "Mark a tag with space first, then press = on another"

        await open_repository(ui, "acme", "webapp")
        assert marked_rows(ui) == []


async def test_sort_and_filter_keep_the_mark(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.1.0")
        await ui.press("space", "s")
        assert ui.app.marked is not None
        assert [row.split()[1] for row in marked_rows(ui)] == ["v2.1.0"]
        assert "marked v2.1.0" in ui.status


async def test_a_mark_across_repositories_survives_and_diffs_across(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.1.0")
        await ui.press("ctrl+p")
        await ui.pilot.press(*"mark for diff across")
        await ui.wait_until(
            lambda: str(ui.app.screen.query_one("CommandList").options[0].prompt).startswith(
                "Mark for diff across repositories"
            )
        )
        await ui.press("enter")
        assert not isinstance(ui.app.screen, CommandPalette)
        assert ui.notes[-1].message == (
            "Marked v2.1.0: press = on another tag to compare (kept when you open another repository)"
        )

        await open_repository(ui, "acme", "team/app")
        assert ui.app.marked is not None
        assert ui.app.marked.tag.name == "v2.1.0"
        assert "marked acme/webapp:v2.1.0" in ui.status
        assert marked_rows(ui) == []  # team/app has no such row to mark

        await ui.press("equals_sign")
        await ui.wait_until(lambda: isinstance(ui.app.screen, DiffScreen))
        screen = ui.app.screen
        assert isinstance(screen, DiffScreen)
        assert screen.diff.left == "v2.1.0"
        assert screen.diff.right == ui.app.table.highlighted_tag.name
