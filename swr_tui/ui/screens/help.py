"""The ``?`` screen: every key as bound now (the action registry, [keys] applied) and the user's commands."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...commands import ExternalCommand, key_label
from ...safe_text import scrub
from ..actions import Keymap


def keymap_table(keymap: Keymap) -> Table:
    table = Table(box=None, expand=True, padding=(0, 2), show_header=True, header_style="bold")
    table.add_column("Key", no_wrap=True, style="bold")
    table.add_column("Action")
    table.add_column("Where", style="dim", no_wrap=True)
    for entry in keymap.help_rows():
        table.add_row(Text(entry.keys), Text(entry.action), Text(entry.where))
    return table


def commands_table(commands: Iterable[ExternalCommand]) -> Table:
    """The [commands.NAME] tables of config.toml: key (or "palette"), name, what runs. The file's
    text is shown as Text (never markup), scrubbed of control characters."""
    table = Table(box=None, expand=True, padding=(0, 2), show_header=True, header_style="bold")
    table.add_column("Key", no_wrap=True, style="bold")
    table.add_column("Name", no_wrap=True)
    table.add_column("Runs on the highlighted tag")
    for command in commands:
        runs = Text(scrub(command.display))
        if command.description:
            runs.append(f"  {scrub(command.description)}", style="dim")
        table.add_row(Text(key_label(command.key) if command.key else "palette"), Text(command.name), runs)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
        Binding("k", "scroll_body(-1)", "Up", show=False),
        Binding("j", "scroll_body(1)", "Down", show=False),
    ]

    def __init__(self, keymap: Keymap, commands: Sequence[ExternalCommand] = ()) -> None:
        super().__init__()
        self.keymap = keymap
        self.commands = tuple(commands)

    def compose(self) -> ComposeResult:
        commands = self.commands
        with VerticalScroll(id="help-body"):
            yield Static(Text("swr-tui keys", style="bold"), id="help-title")
            yield Static(keymap_table(self.keymap), id="help-keys")
            if commands:
                title = Static(
                    Text.assemble(
                        ("Your commands (config.toml)", "bold"),
                        ("  also in ctrl+p as Run: NAME", "dim"),
                    ),
                    id="help-commands-title",
                )
                title.styles.margin = (1, 0, 0, 0)  # app.tcss spaces the other titles
                yield title
                yield Static(commands_table(commands), id="help-commands")
            yield Static(
                Text(
                    "Copying uses OSC 52, so it works over SSH; inside tmux set `set -g set-clipboard on` "
                    "(or `allow-passthrough on`). Escape or ? closes this screen.",
                    style="dim",
                ),
                id="help-footer",
            )

    def action_scroll_body(self, lines: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
