"""External commands in the app (Pilot, fake registry): keys and palette entries run the command on the
highlighted tag with the exact argv; refusals, a missing program and no tag are toasts and run nothing;
the help screen lists the commands.

The headless driver cannot suspend, so the tests hand the app a runner (``command_runner=``) that
records the argv; the real hand-over is tested in a pty (tests/hardening/test_external_commands_pty.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from app_harness import plain
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from swr_tui.commands import RESERVED_KEYS, ExternalCommand, parse_commands
from swr_tui.fake.hostile import HostileRegistry
from swr_tui.fake.hostile_corpus import BY_NAME
from swr_tui.ui import external
from swr_tui.ui.app import SwrApp
from swr_tui.ui.screens.browser import BrowserScreen
from swr_tui.ui.screens.help import HelpScreen
from swr_tui.ui.widgets.catalog import CatalogTree
from swr_tui.ui.widgets.tag_table import TagTable

from .conftest import UI, Start

WEBAPP = "swr.cn-north-4.myhuaweicloud.com/acme/webapp"
WEBAPP_INTERNAL = "100.125.0.198:20202/acme/webapp"

COMMANDS = parse_commands(
    {
        "dive": {"key": "D", "run": ["dive", "{path}"], "description": "Explore the layers", "pause": False},
        "facts": {"key": "F", "run": "dive {namespace} {repo} {tag} {digest} {internal_path} --path={path}"},
        "bang": {"key": "!", "run": ["dive", "--tag={tag}"]},
        "labels": {"shell": "skopeo inspect docker://{path} | jq .Labels | less"},
    },
    "config.toml",
)


@pytest.fixture
def on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ``dive`` on PATH (the app checks the program exists before it suspends)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "dive"
    program.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return program


class Runner:
    """Stands in for suspend-and-run: records each argv and answers with ``status``."""

    def __init__(self, status: int = 0) -> None:
        self.status = status
        self.calls: list[tuple[list[str], str]] = []

    def __call__(self, argv: Sequence[str], command: ExternalCommand) -> int:
        self.calls.append((list(argv), command.name))
        return self.status


@pytest.fixture
def runner() -> Runner:
    return Runner()


def notes(ui: UI) -> list[tuple[str, str]]:
    return [(note.severity, note.message) for note in ui.notes]


def palette_hits(ui: UI) -> list[list[str]]:
    options = ui.app.screen.query_one("CommandList").options
    return [str(option.prompt).splitlines() for option in options]


# -- keys ------------------------------------------------------------------------------------------


async def test_the_key_runs_the_command_on_the_highlighted_tag(
    start: Start, runner: Runner, on_path: Path
) -> None:
    async with start(repository="acme/webapp", commands=COMMANDS, command_runner=runner) as ui:
        await ui.highlight("v2.4.1")
        await ui.press("D")
        assert runner.calls == [(["dive", f"{WEBAPP}:v2.4.1"], "dive")]
        assert notes(ui)[-1] == ("information", "dive exited with status 0")

        await ui.highlight("latest")
        await ui.press("D")
        assert runner.calls[-1] == (["dive", f"{WEBAPP}:latest"], "dive")
        assert ui.app.is_running


async def test_every_placeholder_gets_the_tags_value(start: Start, runner: Runner, on_path: Path) -> None:
    async with start(repository="acme/webapp", commands=COMMANDS, command_runner=runner) as ui:
        tag = await ui.highlight("v2.4.1")
        await ui.press("F")
        assert runner.calls == [
            (
                [
                    "dive",
                    "acme",
                    "webapp",
                    "v2.4.1",
                    tag.digest,
                    f"{WEBAPP_INTERNAL}:v2.4.1",
                    f"--path={WEBAPP}:v2.4.1",
                ],
                "facts",
            )
        ]
        assert tag.digest.startswith("sha256:")


async def test_a_punctuation_key_and_the_bindings_installed(
    start: Start, runner: Runner, on_path: Path
) -> None:
    async with start(repository="acme/webapp", commands=COMMANDS, command_runner=runner) as ui:
        bindings = ui.app.browser._bindings.key_to_bindings
        assert [(b.action, b.description, b.show) for b in bindings["D"]] == [
            ("run_command('dive')", "Explore the layers", False)
        ]
        assert [b.action for b in bindings["exclamation_mark"]] == ["run_command('bang')"]
        assert not any("labels" in b.action for key in bindings for b in bindings[key])  # palette only
        await ui.highlight("v2.4.1")
        await ui.press("exclamation_mark")
        assert runner.calls == [(["dive", "--tag=v2.4.1"], "bang")]


async def test_a_nonzero_exit_is_a_warning(start: Start, on_path: Path) -> None:
    runner = Runner(status=3)
    async with start(repository="acme/webapp", commands=COMMANDS, command_runner=runner) as ui:
        await ui.press("D")
        assert len(runner.calls) == 1
        assert notes(ui)[-1] == ("warning", "dive exited with status 3")
        runner.status = -2
        await ui.press("D")
        assert notes(ui)[-1] == ("warning", "dive was ended by SIGINT")


async def test_no_tag_highlighted_is_a_warning_and_runs_nothing(
    start: Start, runner: Runner, on_path: Path
) -> None:
    async with start(commands=COMMANDS, command_runner=runner) as ui:
        await ui.press("D")
        assert runner.calls == []
        assert notes(ui) == [
            ("warning", "No tag highlighted: open a repository and pick a tag to run dive on")
        ]


async def test_a_program_not_on_path_is_an_error_before_anything_runs(
    start: Start, runner: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no dive here
    async with start(repository="acme/webapp", commands=COMMANDS, command_runner=runner) as ui:
        await ui.press("D")
        assert runner.calls == []
        assert ui.notes[-1].message == "dive: command not found on PATH"
        assert ui.notes[-1].severity == "error"
        assert ui.notes[-1].title == "dive not run"


async def test_without_a_terminal_to_hand_over_it_says_so(start: Start, on_path: Path) -> None:
    """No runner given: the real suspend, which the headless driver (like a browser) cannot do."""
    async with start(repository="acme/webapp", commands=COMMANDS) as ui:
        await ui.press("D")
        assert ui.notes[-1].severity == "error"
        assert ui.notes[-1].message.startswith("dive not run: swr-tui cannot hand over the terminal here")
        assert ui.app.is_running


async def test_typing_the_key_in_the_filter_does_not_run_it(
    start: Start, runner: Runner, on_path: Path
) -> None:
    async with start(repository="acme/webapp", commands=COMMANDS, command_runner=runner) as ui:
        await ui.press("slash", "D")
        assert runner.calls == []
        assert ui.app.focused is not None
        assert getattr(ui.app.focused, "value", None) == "D"


async def test_the_key_does_nothing_over_the_help_screen(start: Start, runner: Runner, on_path: Path) -> None:
    async with start(repository="acme/webapp", commands=COMMANDS, command_runner=runner) as ui:
        await ui.press("question_mark", "D")
        assert isinstance(ui.app.screen, HelpScreen)
        assert runner.calls == []


# -- refusals --------------------------------------------------------------------------------------


@pytest.mark.parametrize("registry", [HostileRegistry(seed=0)])
async def test_a_hostile_tag_name_is_refused_and_runs_nothing(
    start: Start, runner: Runner, on_path: Path
) -> None:
    async with start(repository="hostile/tags", commands=COMMANDS, command_runner=runner) as ui:
        for entry in ("osc52", "c0", "bidi-rlo", "zero-width"):
            await ui.highlight(BY_NAME[entry].text)
            await ui.press("exclamation_mark")
            note = ui.notes[-1]
            assert note.severity == "error", entry
            assert note.title == "Command not run"
            assert note.message.startswith("bang not run: the tag name holds control or invisible characters")
        assert runner.calls == []

        # Markup, $variables and format fields are no image tags: refused too, and said so as
        # plain text (a program that parses its arguments again could be fooled by them).
        for entry in ("format", "markup-click", "variables"):
            text = BY_NAME[entry].text
            await ui.highlight(text)
            await ui.press("exclamation_mark")
            note = ui.notes[-1]
            assert note.title == "Command not run"
            assert note.message.startswith("bang not run: the tag name ")
            assert note.message.endswith(
                "is not a valid image reference, so it is not handed to a command "
                "(only letters, digits and . _ - : / @ are)"
            )
        assert runner.calls == []


async def test_an_option_like_tag_or_a_missing_value_is_refused_with_the_reason(
    start: Start, runner: Runner, on_path: Path
) -> None:
    commands = parse_commands(
        {
            "scan": {"key": "S", "run": ["dive", "{tag}"]},
            "pull": {"key": "U", "run": ["dive", "pull", "{internal_path}"]},
        },
        "config.toml",
    )
    async with start(repository="acme/webapp", commands=commands, command_runner=runner) as ui:
        tag = await ui.highlight("v2.4.1")
        cache = ui.app.table.cache
        assert cache is not None
        # Tags the fake registry would not serve (a proxy might): shown through the table's cache.
        odd = replace(tag, name="--output=/etc/x", internal_path="")
        cache.row = lambda row: odd  # type: ignore[method-assign]
        await ui.press("S")
        assert (ui.notes[-1].severity, ui.notes[-1].message) == (
            "error",
            "scan not run: the tag name --output=/etc/x starts with '-' and would be read as an option",
        )
        await ui.press("U")
        assert (ui.notes[-1].severity, ui.notes[-1].message) == (
            "error",
            "pull not run: it needs the tag's internal (in-VPC) pull path ({internal_path}), "
            "and this tag has none",
        )
        assert runner.calls == []


# -- the palette -----------------------------------------------------------------------------------


async def test_the_palette_lists_and_runs_the_commands(start: Start, runner: Runner, on_path: Path) -> None:
    async with start(repository="acme/webapp", commands=COMMANDS, command_runner=runner) as ui:
        await ui.highlight("v2.4.1")
        await ui.press("ctrl+p")
        assert isinstance(ui.app.screen, CommandPalette)
        await ui.pilot.press(*"run lab")
        await ui.wait_until(
            lambda: (
                palette_hits(ui)[:1]
                == [["Run: labels", "skopeo inspect docker://{path} | jq .Labels | less"]]
            )
        )
        await ui.press("enter")
        assert not isinstance(ui.app.screen, CommandPalette)
        assert runner.calls == [
            (["/bin/sh", "-c", f"skopeo inspect docker://{WEBAPP}:v2.4.1 | jq .Labels | less"], "labels")
        ]


async def test_every_command_has_a_palette_entry_with_its_command_line(start: Start) -> None:
    async with start(repository="acme/webapp", commands=COMMANDS) as ui:
        entries = [(str(c.title), str(c.help)) for c in external.palette_commands(ui.app.browser)]
        assert entries == [
            ("Run: dive", "dive {path}"),
            ("Run: facts", "dive {namespace} {repo} {tag} {digest} {internal_path} --path={path}"),
            ("Run: bang", "dive --tag={tag}"),
            ("Run: labels", "skopeo inspect docker://{path} | jq .Labels | less"),
        ]
        titles = [command.title for command in ui.app.get_system_commands(ui.app.screen)]
        assert {"Run: dive", "Run: labels"} <= set(titles)


# -- help ------------------------------------------------------------------------------------------


def help_lines(ui: UI, widget_id: str) -> list[str]:
    return [" ".join(line.split()) for line in plain(ui.app.screen.query_one(widget_id).content).splitlines()]


async def test_help_lists_the_commands_as_plain_text(start: Start) -> None:
    commands = (
        *COMMANDS,
        *parse_commands(
            {
                "odd": {
                    "run": ["dive", "[bold]{tag}[/]"],
                    "description": "$accent [@click=app.quit]x[/] \x1b[2J",
                }
            },
            "config.toml",
        ),
    )
    async with start(repository="acme/webapp", commands=commands) as ui:
        await ui.press("question_mark")
        assert isinstance(ui.app.screen, HelpScreen)
        assert help_lines(ui, "#help-commands-title") == [
            "Your commands (config.toml) also in ctrl+p as Run: NAME"
        ]
        assert help_lines(ui, "#help-commands") == [
            "Key Name Runs on the highlighted tag",
            "D dive dive {path} Explore the layers",
            "F facts dive {namespace} {repo} {tag} {digest} {internal_path} --path={path}",
            "! bang dive --tag={tag}",
            "palette labels skopeo inspect docker://{path} | jq .Labels | less",
            "palette odd dive '[bold]{tag}[/]' $accent [@click=app.quit]x[/] \\x1b[2J",
        ]


async def test_help_has_no_commands_section_without_commands(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("question_mark")
        assert isinstance(ui.app.screen, HelpScreen)
        assert not ui.app.screen.query("#help-commands")
        assert not ui.app.screen.query("#help-commands-title")


# -- the reserved keys -----------------------------------------------------------------------------


def bound_keys(bindings: Iterable[Any]) -> Iterator[str]:
    for binding in Binding.make_bindings(bindings):
        yield binding.key


def test_every_key_swr_tui_binds_is_reserved() -> None:
    """A command may not take a key of the app; when the app binds a new key, RESERVED_KEYS must
    grow too (swr_tui/commands/keys.py)."""
    bound = {
        *bound_keys(SwrApp.BINDINGS),
        *bound_keys(BrowserScreen.BINDINGS),
        *bound_keys(TagTable.BINDINGS),
        *bound_keys(CatalogTree.BINDINGS),
        *bound_keys(App.BINDINGS),
        *bound_keys(Screen.BINDINGS),
        App.COMMAND_PALETTE_BINDING,
    }
    assert bound - RESERVED_KEYS == set()
