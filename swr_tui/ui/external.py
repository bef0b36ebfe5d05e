"""External commands in the app: their keys, their palette entries, and running one on the
highlighted tag (the app suspends, the command has the terminal, the app comes back).

What may run and how it is expanded is decided in ``swr_tui/commands/``; this module
finds the tag, says why nothing ran, and hands the terminal over (``suspend_and_run``, the app's
default command runner; tests give the app another, as the headless driver cannot suspend).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Optional

from textual.app import SuspendNotSupported, SystemCommand
from textual.binding import Binding
from textual.content import Content

from ..commands import (
    CommandRefused,
    ExternalCommand,
    check_values,
    describe_exit,
    expand,
    program_missing,
    run_foreground,
    values_for,
)
from ..safe_text import scrub
from . import toasts

if TYPE_CHECKING:
    from textual.app import App

    from .browsing import Browser


def command_bindings(commands: Iterable[ExternalCommand]) -> list[Binding]:
    """Each command's key bound to ``run_command(NAME)`` (hidden from the footer; help lists them)."""
    return [
        Binding(
            command.key,
            f"run_command({command.name!r})",
            command.description or f"Run {command.name}",
            show=False,
        )
        for command in commands
        if command.key is not None
    ]


def palette_commands(browser: Browser) -> Iterable[SystemCommand]:
    """One ``Run: NAME`` entry per command, the command line as its help (Content: never markup)."""
    for command in browser.commands:
        help_text = scrub(command.display)
        yield SystemCommand(
            f"Run: {command.name}",
            Content(help_text),  # type: ignore[arg-type]  # the palette parses a str as markup
            partial(run_command, browser, command.name),
        )


def find_command(browser: Browser, name: str) -> Optional[ExternalCommand]:
    return next((command for command in browser.commands if command.name == name), None)


def run_command(browser: Browser, name: str) -> None:
    """Run the command ``name`` on the highlighted tag, or say (a toast) why it did not run."""
    command = find_command(browser, name)
    if command is None:
        browser.say(f"No command named {scrub(name)} in config.toml", severity="error")
        return
    tag, query = browser.table.highlighted_tag, browser.table.query
    if tag is None or query is None:
        browser.say(
            f"No tag highlighted: open a repository and pick a tag to run {name} on", severity="warning"
        )
        return
    try:
        values = values_for(tag, query.namespace, query.repository)
        argv = expand(command, values)  # names what is missing or unsafe to quote, first
        check_values(command, values)
    except CommandRefused as refusal:
        browser.say(str(refusal), title="Command not run", severity="error", timeout=8)
        return
    missing = program_missing(argv)
    if missing is not None:
        browser.say(scrub(missing), title=f"{name} not run", severity="error", timeout=8)
        return
    status = browser.run_command_line(argv, command)
    if status is None:
        return
    if status == 0:
        browser.say(describe_exit(name, status), timeout=2)
    else:
        browser.say(describe_exit(name, status), severity="warning", timeout=6)


def suspend_and_run(app: App[Any], argv: Sequence[str], command: ExternalCommand) -> Optional[int]:
    """Hand the terminal to the command and take it back; None when the app cannot suspend here."""
    try:
        with app.suspend():
            return run_foreground(argv, pause=command.pause, name=command.name)
    except SuspendNotSupported:
        toasts.say(
            app,
            f"{command.name} not run: swr-tui cannot hand over the terminal here "
            "(it is not running in a terminal of its own, e.g. in a browser)",
            severity="error",
            timeout=8,
        )
        return None
