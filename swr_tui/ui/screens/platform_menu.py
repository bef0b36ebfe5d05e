"""Enter on a manifest list: choose which of its platforms the detail pane shows (``[``/``]`` step)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Callable, Optional

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...formatting import human_size, short_digest
from ...inspection.model import Platform
from ...references import clip
from ...safe_text import scrub
from .choice_menu import ChoiceMenu

if TYPE_CHECKING:
    from ..widgets.image_depth import ImageDepth

TITLE_CHARS = 160  # the title's reference is cut here (two lines of the menu at its widest)


def platform_prompt(number: int, platform: Platform, shown: Optional[Platform]) -> Text:
    mark = "•" if shown is not None and platform.digest == shown.digest else " "
    prompt = Text(f"{mark} {number}  " if number <= 9 else f"{mark}    ", style="bold")
    prompt.append(scrub(platform.label), style="" if not platform.attestation else "dim")
    prompt.append(f"  {short_digest(platform.digest)}  {human_size(platform.size)}", style="dim")
    return prompt


class PlatformMenu(ChoiceMenu[Platform]):
    """The list's children, one row each; attestations are listed, dim, and cannot be chosen."""

    def __init__(self, title: str, platforms: Sequence[Platform], shown: Optional[Platform]) -> None:
        super().__init__()
        self._title = title
        self.choices: tuple[Platform, ...] = tuple(platforms)
        self.shown = shown

    def compose(self) -> ComposeResult:
        with Vertical(id="platform-menu"):
            title = Text(f"Platform of {clip(scrub(self._title), TITLE_CHARS)}", style="bold")
            yield Static(title, id="platform-title")
            options = [
                Option(
                    platform_prompt(number, platform, self.shown),
                    id=str(number),
                    disabled=platform.attestation,
                )
                for number, platform in enumerate(self.platforms, start=1)
            ]
            yield OptionList(*options, id="platform-options")
            hint = "enter shows it · 1-9 choose · [ and ] step from the table · escape back"
            yield Static(Text(hint, style="dim"), id="platform-hint")

    @property
    def platforms(self) -> tuple[Platform, ...]:
        return tuple(self.choices)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        shown = self.shown
        index = next(
            (i for i, p in enumerate(self.platforms) if shown is not None and p.digest == shown.digest), 0
        )
        options.highlighted = index
        options.focus()

    def choosable(self, choice: Platform) -> bool:
        return not choice.attestation


def choose_platform(app: App[Any], depth: ImageDepth, title: str, then: Callable[[], object]) -> bool:
    """Enter on a list of two or more images: the menu opens, and a choice shows that platform, then
    ``then`` runs (the details take the focus). False, with nothing opened, for any other tag."""
    platforms = depth.list_platforms()
    if sum(1 for platform in platforms if not platform.attestation) < 2:
        return False

    def chosen(platform: Optional[Platform]) -> None:
        if platform is not None and depth.choose_platform(platform) is not None:
            then()

    app.push_screen(PlatformMenu(title, platforms, depth.platform), chosen)
    return True
