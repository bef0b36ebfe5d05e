"""What a jump-host terminal shows (issue 16.1): readable in every colour mode, NO_COLOR or not.

``swr-tui --demo`` runs in a real pseudo-terminal under each of {xterm, xterm-256color, truecolour}
x {NO_COLOR unset, set}; the bytes it writes are replayed into pyte (a VT emulator) to get the cells
a terminal would show. Every cell with text must have a foreground that differs from its background
on a dark terminal (default colours: light on black), the cursor row must stand out, and signature
rows must look dimmer than image rows (by colour, or SGR 2 where there are too few colours).

And ctrl+c, which a real terminal in raw mode sends as a key (0x03), quits on a second press (16.15).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple, Optional

import pyte
import pytest
from wcwidth import wcwidth

from .pty_kit import Terminal, spawn

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pty and the Linux driver")

ROWS, COLUMNS = 24, 80
STARTUP_TIMEOUT_S = 15.0
STEP_TIMEOUT_S = 5.0
QUIET_S = 0.5  # no output for this long: the frame is complete
EXIT_TIMEOUT_S = 5.0

SIGNATURE = "sha256-bd673a076"  # acme/webapp's newest tag in the demo (real configs), a cosign signature
CURSOR_TAG = "latest"  # the second tag: the cursor after one step down
IMAGE_TAG = "dev-3f9c2ab"  # a single-platform image: the plain row style
CTRL_C = "\x03"

# The kitty keyboard protocol's "pop" (CSI < u), which Textual writes on exit: pyte does not know it
# and would draw its final "u" as text.
UNKNOWN_TO_PYTE = re.compile(rb"\x1b\[<[0-9;]*u")

# A dark terminal, the common case on a jump host: what the "default" colours look like.
DEFAULT_FOREGROUND, DEFAULT_BACKGROUND = "white", "black"


class Look(NamedTuple):
    """How one cell looks: its colours after reverse video, and whether it is dim."""

    foreground: str
    background: str
    dim: bool


class DimAwareScreen(pyte.Screen):  # type: ignore[misc]
    """pyte's screen, also remembering which cells were drawn dim (SGR 2, which pyte drops)."""

    def __init__(self, columns: int, lines: int) -> None:
        super().__init__(columns, lines)
        self.dim_now = False
        self.dim_cells: set[tuple[int, int]] = set()

    def select_graphic_rendition(self, *attrs: int, **options: Any) -> None:
        for attr in attrs or (0,):
            if attr in (0, 22):
                self.dim_now = False
            elif attr == 2:
                self.dim_now = True
        super().select_graphic_rendition(*attrs, **options)

    def draw(self, data: str) -> None:
        for char in data:
            super().draw(char)
            width = wcwidth(char)
            if width > 0:
                cell = (self.cursor.y, self.cursor.x - width)
                if self.dim_now:
                    self.dim_cells.add(cell)
                else:
                    self.dim_cells.discard(cell)

    def look(self, y: int, x: int) -> Look:
        char = self.buffer[y][x]
        foreground = DEFAULT_FOREGROUND if char.fg == "default" else char.fg
        background = DEFAULT_BACKGROUND if char.bg == "default" else char.bg
        if char.reverse:
            foreground, background = background, foreground
        return Look(foreground, background, (y, x) in self.dim_cells)

    def line(self, y: int) -> str:
        return "".join(self.buffer[y][x].data for x in range(self.columns))

    def find(self, text: str) -> tuple[int, int]:
        """The first (top) place ``text`` is shown."""
        for y in range(self.lines):
            x = self.line(y).find(text)
            if x >= 0:
                return y, x
        raise AssertionError(f"{text!r} is not on the screen:\n" + "\n".join(self.display))


def child_environment(home: Path, term: str, colorterm: Optional[str], no_color: bool) -> dict[str, str]:
    env = {name: os.environ[name] for name in ("PATH", "SYSTEMROOT", "TMPDIR") if name in os.environ}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), TERM=term, LANG="C.UTF-8", TZ="UTC")
    if colorterm:
        env["COLORTERM"] = colorterm
    if no_color:
        env["NO_COLOR"] = "1"
    return env


@pytest.fixture
def demo_terminal(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Terminal]:
    term, colorterm, no_color = request.param
    env = child_environment(tmp_path, term, colorterm, no_color)
    argv = [sys.executable, "-m", "swr_tui", "--demo", "--repo", "acme/webapp"]
    session = spawn(argv, env, ROWS, COLUMNS, STEP_TIMEOUT_S)
    try:
        yield session
    finally:
        session.kill()


MODES = [
    (term, colorterm, no_color)
    for term, colorterm in (("xterm", None), ("xterm-256color", None), ("xterm-256color", "truecolor"))
    for no_color in (False, True)
]
MODE_IDS = [f"{term}{'+' + ct if ct else ''}{'+NO_COLOR' if nc else ''}" for term, ct, nc in MODES]


@pytest.mark.parametrize("demo_terminal", MODES, ids=MODE_IDS, indirect=True)
def test_every_cell_with_text_is_readable(demo_terminal: Terminal) -> None:
    terminal = demo_terminal
    terminal.wait_for_text(IMAGE_TAG, timeout=STARTUP_TIMEOUT_S)
    mark = len(terminal.output)
    terminal.send("j")  # the cursor off the signature row, so both can be seen
    # The key's frame first: a loaded machine can be silent for longer than QUIET_S before it.
    terminal.wait_for_text("row 2 of", start=mark)
    terminal.wait_quiet(QUIET_S)

    screen = DimAwareScreen(COLUMNS, ROWS)
    pyte.ByteStream(screen).feed(UNKNOWN_TO_PYTE.sub(b"", bytes(terminal.output)))

    unreadable = [
        (y, x, screen.buffer[y][x].data, screen.look(y, x))
        for y in range(ROWS)
        for x in range(COLUMNS)
        if screen.buffer[y][x].data.strip() and screen.look(y, x).foreground == screen.look(y, x).background
    ]
    assert not unreadable, f"{len(unreadable)} cells drawn in their background colour: {unreadable[:8]}"

    signature, cursor, image = (
        screen.look(*screen.find(name)) for name in (SIGNATURE, CURSOR_TAG, IMAGE_TAG)
    )
    assert cursor[:2] != image[:2], "the cursor row looks like any other row"
    assert signature != image, "signature rows are not dimmed"
    assert signature.dim or signature.foreground != image.foreground

    terminal.send("q")
    assert terminal.wait_exit(EXIT_TIMEOUT_S) == 0


@pytest.mark.parametrize(
    "demo_terminal", [("xterm-256color", None, False)], ids=["xterm-256color"], indirect=True
)
def test_ctrl_c_twice_quits_a_real_terminal(demo_terminal: Terminal) -> None:
    terminal = demo_terminal
    terminal.wait_for_text(IMAGE_TAG, timeout=STARTUP_TIMEOUT_S)
    mark = len(terminal.output)
    terminal.send(CTRL_C)
    terminal.wait_for_text("press ctrl+c again to quit", start=mark)
    assert terminal.exit_status is None
    terminal.send(CTRL_C)
    assert terminal.wait_exit(EXIT_TIMEOUT_S) == 0
