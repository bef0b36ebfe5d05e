"""[keys] for real: ``python -m swr_tui --demo`` in a pseudo-terminal with ``copy_path = "x"`` in its
config.toml. ``x`` sends the highlighted tag's pull path to the terminal's clipboard (OSC 52), ``c`` no
longer does, and a clash in the same file is a warning the user sees."""

from __future__ import annotations

import base64
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .pty_kit import Terminal, spawn

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pty and the Linux driver")

ROWS, COLUMNS = 40, 160
STARTUP_TIMEOUT_S = 15.0
STEP_TIMEOUT_S = 8.0
OSC52 = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]+)\x07")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\ncopy_path = "x"\ncopy_digest = "s"\n', encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "SWR_TUI_CONFIG": str(config),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "TZ": "UTC",
    }
    session = spawn(
        [sys.executable, "-m", "swr_tui", "--demo", "--repo", "acme/webapp"],
        env,
        ROWS,
        COLUMNS,
        STEP_TIMEOUT_S,
    )
    try:
        yield session
    finally:
        session.kill()


def copied(term: Terminal, start: int) -> list[str]:
    return [base64.b64decode(found).decode() for found in OSC52.findall(bytes(term.output[start:]))]


def test_a_rebound_key_copies_the_pull_path_and_a_clash_is_shown(terminal: Terminal) -> None:
    term = terminal
    term.wait_for_text("row 1 of", timeout=STARTUP_TIMEOUT_S)
    term.wait_for_text("s is also sort's key")  # copy_digest = "s": refused, named, d kept
    term.pump(0.5)

    mark = len(term.output)
    term.send("c")
    term.pump(1.0)
    assert copied(term, mark) == []  # c is no longer the copy key

    term.send("x")
    term.wait_for_bytes(b"\x1b]52;c;", start=mark)
    [path] = copied(term, mark)
    assert re.fullmatch(r"swr\.cn-north-4\.myhuaweicloud\.com/acme/webapp:\S+", path), path
    term.wait_for_text("Copied pull path", start=mark)

    term.send("q")
    assert term.wait_exit(STEP_TIMEOUT_S) == 0, term.text()[-2000:]
    assert "Traceback" not in term.text()
