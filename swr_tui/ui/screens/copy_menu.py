"""The ``y`` menu: choose which reference of the highlighted tag to copy."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...references import clip
from ...safe_text import scrub
from ..tag_facts import CopyChoice
from .choice_menu import ChoiceMenu

# Characters of a value (or of the title) the menu shows: two lines of the menu at its widest (100
# columns, app.tcss), so a 10,000-character tag cannot push the other choices out of view; longer
# ones end in an ellipsis. What is copied is the whole value.
SHOWN_CHARS = 160


class CopyMenu(ChoiceMenu[CopyChoice]):
    def __init__(self, title: str, choices: list[CopyChoice]) -> None:
        super().__init__()
        self._title = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="copy-menu"):
            title = Text(f"Copy from {clip(scrub(self._title), SHOWN_CHARS)}", style="bold")
            yield Static(title, id="copy-title")
            options = []
            for number, choice in enumerate(self.choices, start=1):
                prompt = Text(f"{number}  {choice.label}", style="bold")
                if choice.refusal is not None:
                    prompt.append("  not a valid reference: will not be copied", style="red")
                prompt.append("\n")
                prompt.append(f"   {clip(scrub(choice.preview or choice.text), SHOWN_CHARS)}", style="dim")
                options.append(Option(prompt, id=str(number)))
            yield OptionList(*options, id="copy-options")
