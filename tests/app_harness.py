"""What every test that runs the app gives it instead of the real terminal's clipboard and the real
hand-over of the terminal to a user command: recorders, so a test reads what was copied or run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Optional

from swr_tui.commands import ExternalCommand
from swr_tui.ui.clipboard import Clipboard


class RecordingClipboard(Clipboard):
    """The real clipboard (OSC 52 to the terminal, the local one where plausible), and a record of
    every text the app copied, in order."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        super().__init__(environ)
        self.copied: list[str] = []

    def copy(self, text, write, in_background) -> None:  # type: ignore[no-untyped-def]
        self.copied.append(text)
        super().copy(text, write, in_background)


class RecordingRunner:
    """Runs no command: records each command line and answers with ``status``."""

    def __init__(self, status: Optional[int] = 0) -> None:
        self.status = status
        self.ran: list[tuple[list[str], ExternalCommand]] = []

    def __call__(self, argv: Sequence[str], command: ExternalCommand) -> Optional[int]:
        self.ran.append((list(argv), command))
        return self.status
