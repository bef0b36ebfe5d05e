"""The TUI's exit status, for real: ``swr-tui --demo`` (the console script's body) in a pseudo-terminal.

Textual's ``App.run()`` returns normally after an unhandled exception: it prints the traceback and
leaves 1 in ``return_code``. The command must pass that on, so a crash never exits 0. The crash is
planted by the child script (a key action that raises), the way a bug in any handler would raise.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from .pty_kit import Terminal, spawn

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pty and the Linux driver")

ROWS, COLUMNS = 40, 160
STARTUP_TIMEOUT_S = 15.0
STEP_TIMEOUT_S = 8.0
EXIT_TIMEOUT_S = 10.0

CHILD = textwrap.dedent(
    """
    import sys

    from swr_tui.cli import main
    from swr_tui.ui.app import SwrApp

    def crash(self):
        raise RuntimeError("PLANTED-CRASH")

    SwrApp.action_help = crash  # "?" raises inside the running app
    sys.exit(main(["--demo", "--repo", "acme/webapp"]))
    """
)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    script = tmp_path / "crashing_tui.py"
    script.write_text(CHILD, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "SWR_TUI_CONFIG": str(tmp_path / "no-config.toml"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "TZ": "UTC",
    }
    session = spawn([sys.executable, str(script)], env, ROWS, COLUMNS, STEP_TIMEOUT_S)
    try:
        yield session
    finally:
        session.kill()


def test_a_crash_in_the_tui_exits_non_zero(terminal: Terminal) -> None:
    terminal.wait_for_text("row 1 of", timeout=STARTUP_TIMEOUT_S)
    terminal.send("?")
    status = terminal.wait_exit(EXIT_TIMEOUT_S)
    assert status == 1, terminal.text()[-2000:]
    assert "PLANTED-CRASH" in terminal.text()  # Textual's own report of the crash


def test_quitting_the_tui_exits_zero(terminal: Terminal) -> None:
    terminal.wait_for_text("row 1 of", timeout=STARTUP_TIMEOUT_S)
    terminal.send("q")
    assert terminal.wait_exit(EXIT_TIMEOUT_S) == 0, terminal.text()[-2000:]
    assert "PLANTED-CRASH" not in terminal.text()
