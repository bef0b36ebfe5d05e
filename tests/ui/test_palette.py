"""The command palette as a k9s/lazygit user meets it: it changes nothing by opening, ranks commands
first for a command's name, finds help, and counts in good English."""

from __future__ import annotations

from typing import NoReturn

import pytest
from textual.command import CommandPalette

from swr_tui.ui.commands import names_a_command
from swr_tui.ui.screens.help import HelpScreen
from swr_tui.ui.widgets.catalog import CatalogTree

from .conftest import UI, Start


def palette_prompts(ui: UI) -> list[list[str]]:
    """Each hit's lines: its title, then its help text."""
    options = ui.app.screen.query_one("CommandList").options
    return [str(option.prompt).splitlines() for option in options]


def titles(ui: UI) -> list[str]:
    return [lines[0] for lines in palette_prompts(ui)]


async def open_palette(ui: UI, query: str) -> None:
    await ui.press("ctrl+p")
    assert isinstance(ui.app.screen, CommandPalette)
    await ui.settle()  # the first page of each namespace's repositories
    await ui.pilot.press(*query)


async def test_opening_and_closing_the_palette_changes_nothing_in_the_sidebar(start: Start) -> None:
    async with start() as ui:
        catalog = ui.app.catalog
        lines_before = catalog.last_line
        await ui.press("ctrl+p")
        await ui.settle()
        assert ui.registry.count("repos") == 4  # the palette has the names to match...
        await ui.press("escape")

        assert not isinstance(ui.app.screen, CommandPalette)
        assert [node.is_expanded for node in catalog.root.children] == [False] * 5  # ...and shows none
        assert catalog.last_line == lines_before == 4
        assert ui.cursor_namespace() == "acme"
        assert ui.app.focused is catalog

        await ui.press("enter")  # a namespace the palette loaded opens without asking again
        assert ui.namespace_node("acme").is_expanded
        assert ui.registry.count("repos", namespace="acme") == 1
        assert "webapp  32" in ui.tree_labels(ui.namespace_node("acme"))


def scores(ui: UI) -> dict[str, float]:
    options = ui.app.screen.query_one("CommandList").options
    return {str(option.prompt).splitlines()[0]: option.hit.score for option in options}


async def test_a_commands_name_ranks_the_command_above_repositories(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await open_palette(ui, "export")
        await ui.wait_until(lambda: "repository acme-dev/catalog-exporter" in titles(ui))
        assert titles(ui)[0] == "Export tags"
        # Strictly above: the fuzzy match alone scores "…/catalog-exporter" the same, and ties go by
        # which provider answers first.
        ranked = scores(ui)
        assert ranked["Export tags"] > max(
            score for title, score in ranked.items() if title.startswith("repository")
        )


async def test_a_repository_still_wins_for_its_own_name(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await open_palette(ui, "catalog-exporter")
        await ui.wait_until(lambda: bool(titles(ui)))
        assert titles(ui)[0] == "repository acme-dev/catalog-exporter"


async def test_a_repository_found_opens_and_no_record_is_made_per_name(
    start: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    def each_record(self: CatalogTree) -> NoReturn:
        raise AssertionError("the palette made a Repository for each of the sidebar's names")

    monkeypatch.setattr(CatalogTree, "loaded_repositories", each_record)  # 10,000 records, once
    async with start() as ui:
        await open_palette(ui, "postgres-backup")
        await ui.wait_until(lambda: bool(titles(ui)))
        assert titles(ui)[0] == "repository acme/postgres-backup"
        await ui.press("enter")
        await ui.wait_until(lambda: ui.app.table.query is not None and ui.app.table.total is not None)
        assert ui.app.table.query.full_name == "acme/postgres-backup"


async def test_help_finds_the_keys_screen(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await open_palette(ui, "help")
        await ui.wait_until(lambda: bool(titles(ui)))
        assert titles(ui)[0] == "Keys and help"
        await ui.press("enter")
        assert isinstance(ui.app.screen, HelpScreen)


async def test_repository_counts_are_singular_for_one(start: Start) -> None:
    async with start() as ui:
        await open_palette(ui, "postgres-backup")
        await ui.wait_until(lambda: "repository acme/postgres-backup" in titles(ui))
        prompts = {lines[0]: lines[1:] for lines in palette_prompts(ui)}
        assert prompts["repository acme/postgres-backup"] == ["1 tag"]


def test_names_a_command_is_a_word_start_of_a_title() -> None:
    command_titles = ["Export tags", "Copy pull path", "Sort"]
    assert names_a_command("export", command_titles)
    assert names_a_command("Exp", command_titles)
    assert names_a_command(" pull ", command_titles)
    assert not names_a_command("xport", command_titles)
    assert not names_a_command("webapp", command_titles)
    assert not names_a_command("", command_titles)
    assert not names_a_command("copy pull", command_titles)
