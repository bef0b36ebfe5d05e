"""Copy text to the user's clipboard from wherever the terminal is.

OSC 52 always: the terminal sets its own clipboard, which is what works over SSH on a jump host.
Inside tmux or GNU screen the sequence is also wrapped for passthrough, so it reaches the outer
terminal even when the multiplexer does not handle OSC 52 itself. The local clipboard (pyperclip)
is tried only where one plausibly exists, in a child process so that a broken xclip can neither
print over the screen nor hang the app.
"""

from __future__ import annotations

import base64
import subprocess
import sys
from collections.abc import Mapping
from functools import partial
from typing import Callable, Optional

SCREEN_CHUNK = 76  # GNU screen truncates long DCS strings; vim-oscyank uses the same size


def osc52(text: str) -> str:
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"\x1b]52;c;{payload}\x07"


def tmux_passthrough(sequence: str) -> str:
    """DCS passthrough: tmux forwards it to the outer terminal (needs ``allow-passthrough on``)."""
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"


def screen_passthrough(sequence: str) -> str:
    chunks = [sequence[i : i + SCREEN_CHUNK] for i in range(0, len(sequence), SCREEN_CHUNK)]
    return "".join(f"\x1bP{chunk}\x1b\\" for chunk in chunks)


def clipboard_sequences(text: str, environ: Mapping[str, str]) -> list[str]:
    """Everything to write to the terminal, plain OSC 52 first."""
    plain = osc52(text)
    sequences = [plain]
    if environ.get("TMUX"):
        sequences.append(tmux_passthrough(plain))
    if environ.get("STY"):
        sequences.append(screen_passthrough(plain))
    return sequences


def local_clipboard_plausible(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """A local clipboard exists on macOS and Windows, or under a display; never across SSH, where
    the machine's clipboard is not the user's (OSC 52 reaches the user's terminal instead)."""
    if environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"):
        return False
    if platform == "darwin" or platform.startswith(("win", "cygwin")):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


_CHILD = "import sys, pyperclip; pyperclip.copy(sys.stdin.read())"


def copy_locally(text: str, timeout: float = 3.0) -> Optional[str]:
    """Copy through pyperclip in a child process; None on success, else why it failed."""
    try:
        result = subprocess.run(  # noqa: S603 - fixed argv, the text goes through stdin
            [sys.executable, "-c", _CHILD],
            input=text.encode("utf-8"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"local clipboard unavailable ({type(exc).__name__})"
    if result.returncode != 0:
        last_line = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["failed"]
        return f"local clipboard unavailable ({last_line[0][:120]})"
    return None


class Clipboard:
    """Where copied text goes: the terminal (OSC 52, written by the app) and, where one plausibly
    exists, the local clipboard (in the background). The app is given one; tests give it one that
    records what was copied."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ

    def copy_locally(self, text: str) -> Optional[str]:
        """pyperclip, in a child process; None on success, else why it failed."""
        return copy_locally(text)

    def copy(
        self, text: str, write: Callable[[str], None], in_background: Callable[[Callable[[], object]], None]
    ) -> None:
        for sequence in clipboard_sequences(text, self.environ):
            write(sequence)
        if local_clipboard_plausible(self.environ):
            in_background(partial(self.copy_locally, text))
