"""The action registry (swr_tui/ui/actions.py): the one declaration behind the bindings, the ? help,
the palette, the keys a user command may not take and the README's key table; and [keys] rebinding,
with clashes refused by name."""

from __future__ import annotations

import re

import pytest
from app_harness import plain
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from swr_tui.commands import RESERVED_KEYS, ExternalCommand
from swr_tui.ui.actions import (
    ACTIONS,
    APP,
    BROWSER,
    BY_ID,
    FIXED_KEYS,
    Keymap,
    bindings,
    default_keys,
    keys_shown,
    resolve_keymap,
    split_keys,
)
from swr_tui.ui.app import SwrApp
from swr_tui.ui.footer import FittingFooter
from swr_tui.ui.screens.browser import BrowserScreen
from swr_tui.ui.screens.help import HelpScreen
from swr_tui.ui.widgets.catalog import CatalogTree
from swr_tui.ui.widgets.tag_detail import TagDetail
from swr_tui.ui.widgets.tag_table import TagTable

from .conftest import Start
from .readme_keys import readme_key_rows


def keys_of(bindings_list: list[Binding]) -> set[str]:
    return {key for binding in bindings_list for key in split_keys(binding.key)}


# -- one declaration ---------------------------------------------------------------------------


def test_the_app_and_the_browser_screen_bind_exactly_the_registry() -> None:
    app_ids = {b.id for b in SwrApp.BINDINGS if isinstance(b, Binding) and b.id}
    screen_ids = {b.id for b in BrowserScreen.BINDINGS if isinstance(b, Binding) and b.id}
    assert app_ids == {a.id for a in ACTIONS if a.scope == APP and a.keys}
    assert screen_ids == {a.id for a in ACTIONS if a.scope == BROWSER and a.keys}
    for binding in [*bindings(APP), *bindings(BROWSER)]:
        assert (binding.key, binding.action) == (BY_ID[binding.id].keys, BY_ID[binding.id].action)


def test_the_default_keys_never_clash() -> None:
    seen: dict[str, str] = {}
    for action in ACTIONS:
        for key in split_keys(action.keys):
            assert key not in seen, f"{key} is {seen[key]}'s and {action.id}'s"
            assert key not in FIXED_KEYS, f"{action.id} takes the fixed key {key}"
            seen[key] = action.id


def test_a_user_command_may_take_no_key_of_the_registry_nor_of_the_widgets() -> None:
    assert default_keys() | FIXED_KEYS == RESERVED_KEYS
    widget_keys = keys_of(
        [*TagTable.BINDINGS, *CatalogTree.BINDINGS, *TagDetail.BINDINGS, *Screen.BINDINGS, *App.BINDINGS]  # type: ignore[list-item]
    )
    assert widget_keys - {"ctrl+c", "ctrl+q"} <= RESERVED_KEYS


def test_every_action_method_exists_where_it_is_bound() -> None:
    for action in ACTIONS:
        owner = SwrApp if action.scope == APP else BrowserScreen
        name = action.action.split("(", 1)[0]
        assert callable(getattr(owner, f"action_{name}", None)), f"{owner.__name__} has no action_{name}"


def test_the_readme_key_table_is_the_registry() -> None:
    rows = readme_key_rows()
    named = [row.id for row in rows if row.id]
    assert sorted(named) == sorted(BY_ID), "the README names each action id exactly once"
    for row in rows:
        if not row.id:
            continue
        action = BY_ID[row.id]
        if action.keys:
            assert re.findall(r"`([^`]+)`", row.keys) == keys_shown(action.keys).split(), row
        else:
            assert row.keys == "palette", row


# -- [keys] ------------------------------------------------------------------------------------


def test_a_rebinding_replaces_the_default_and_several_keys_are_allowed() -> None:
    keymap, messages = resolve_keymap({"copy_path": "x", "quit": "q, ctrl+q", "filter": "F"})
    assert messages == []
    assert keymap.rebound == {"copy_path": "x", "quit": "q,ctrl+q", "filter": "F"}
    assert keymap.shown("copy_path") == "x"
    assert keymap.shown("sort") == "s"
    rows = {row.action: row.keys for row in keymap.help_rows()}
    assert rows["copy the pull path of the highlighted tag"] == "x"
    assert rows["quit"] == "q ctrl+q"


def test_a_swap_of_two_actions_is_no_clash() -> None:
    keymap, messages = resolve_keymap({"copy_path": "s", "sort": "c"})
    assert messages == []
    assert (keymap.keys("copy_path"), keymap.keys("sort")) == ("s", "c")


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ({"copy_path": "s"}, '[keys] copy_path = "s": s is also sort\'s key; copy_path keeps c'),
        ({"copy_path": "j"}, '[keys] copy_path = "j": j is taken (move down); it keeps c'),
        ({"zoom": "enter"}, '[keys] zoom = "enter": enter is taken (open / select); it keeps z'),
        (
            {"copy_path": "ctrl+p"},
            '[keys] copy_path = "ctrl+p": ctrl+p is taken (command palette); it keeps c',
        ),
        ({"copy_pth": "x"}, "[keys] copy_pth is no action (did you mean copy_path?)"),
        ({"copy_path": ""}, '[keys] copy_path = "": it names no key; it keeps c'),
        (
            {"copy_path": "ctrl+X"},
            '[keys] copy_path = "ctrl+X": write ctrl+x (add shift+ for shift); it keeps c',
        ),
        ({"copy_path": "\x1b[31m"}, '[keys] copy_path = "\\x1b[31m": '),
    ],
)
def test_a_rebinding_that_cannot_work_is_refused_by_name_and_the_default_stays(
    written: dict[str, str], message: str
) -> None:
    keymap, messages = resolve_keymap(written)
    assert len(messages) == 1
    assert messages[0].startswith(message)
    assert "\x1b" not in messages[0]
    assert keymap.rebound == {}
    assert keymap.keys("copy_path") == "c"


def test_two_rebindings_on_one_key_are_both_refused() -> None:
    keymap, messages = resolve_keymap({"copy_path": "x", "copy_digest": "x", "sort": "o"})
    assert messages == [
        '[keys] copy_path = "x": x is also copy_digest\'s key; copy_path keeps c',
        '[keys] copy_digest = "x": x is also copy_path\'s key; copy_digest keeps d',
    ]
    assert keymap.rebound == {"sort": "o"}


def test_a_user_commands_key_is_refused_and_named() -> None:
    keymap, messages = resolve_keymap({"copy_path": "D"}, {"D": "dive"})
    assert messages == ['[keys] copy_path = "D": D is your command dive\'s key; it keeps c']
    assert keymap.rebound == {}


def test_the_palette_says_the_key_as_rebound() -> None:
    keymap, _ = resolve_keymap({"export": "ctrl+e"})
    assert keymap.palette_description(BY_ID["export"]).endswith("(ctrl+e)")
    assert Keymap().palette_description(BY_ID["digest_search"]).endswith("repository")  # no key: none shown


# -- in the running app ------------------------------------------------------------------------

PATH = "swr.cn-north-4.myhuaweicloud.com/acme/webapp:v2.4.1"


async def test_a_rebound_key_copies_and_the_old_one_no_longer_does(start: Start) -> None:
    async with start(repository="acme/webapp", keys={"copy_path": "x"}) as ui:
        await ui.highlight("v2.4.1")
        await ui.press("c")
        assert ui.app.system_clipboard.copied == []
        await ui.press("x")
        assert ui.app.system_clipboard.copied == [PATH]
        assert (ui.notes[-1].title, ui.notes[-1].message) == ("Copied pull path", PATH)


async def test_help_and_the_footer_show_the_rebound_key(start: Start) -> None:
    async with start(repository="acme/webapp", keys={"copy_path": "x", "filter": "f"}) as ui:
        await ui.settle()
        footer = ui.app.browser.query_one(FittingFooter).render_line(0).text
        assert "x Copy pull" in " ".join(footer.split())
        await ui.press("question_mark")
        assert isinstance(ui.app.screen, HelpScreen)
        lines = [
            " ".join(line.split())
            for line in plain(ui.app.screen.query_one("#help-keys").content).splitlines()
        ]
        assert "x copy the pull path of the highlighted tag everywhere" in lines
        assert "f filter tags by name on the server tags" in lines


async def test_a_clash_is_a_warning_toast_at_start_and_the_default_works(start: Start) -> None:
    commands = (ExternalCommand(name="dive", template=("dive", "{path}"), key="D"),)
    async with start(repository="acme/webapp", keys={"copy_path": "s", "sort": "D"}, commands=commands) as ui:
        warnings = [(note.title, note.message) for note in ui.notes if note.severity == "warning"]
        assert ("Warning", '[keys] copy_path = "s": s is also sort\'s key; copy_path keeps c') in warnings
        assert ("Warning", '[keys] sort = "D": D is your command dive\'s key; it keeps s') in warnings
        await ui.highlight("v2.4.1")
        await ui.press("c")
        assert ui.app.system_clipboard.copied == [PATH]
