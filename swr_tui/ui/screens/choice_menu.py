"""A modal list of choices (the copy menu, the platform menu): arrows or j/k and enter, or the
choice's number 1-9, choose; escape or q cancel (the result is then None)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Generic, Optional, TypeVar

from textual import events
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList

T = TypeVar("T")


class ChoiceMenu(ModalScreen[Optional[T]], Generic[T]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Cancel"),
        Binding("k", "focused.cursor_up", "Up", show=False),
        Binding("j", "focused.cursor_down", "Down", show=False),
    ]

    choices: Sequence[T] = ()

    def choosable(self, choice: T) -> bool:
        """Whether a number key may choose ``choice`` (its option is disabled otherwise)."""
        return True

    def on_key(self, event: events.Key) -> None:
        key = event.key
        if key.isdigit() and 1 <= int(key) <= min(9, len(self.choices)):
            event.stop()
            choice = self.choices[int(key) - 1]
            if self.choosable(choice):
                self.dismiss(choice)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
