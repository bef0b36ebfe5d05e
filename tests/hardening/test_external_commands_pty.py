"""External commands for real: ``python -m swr_tui --demo`` in a pseudo-terminal, with a config file
whose commands are bound to keys. The app must hand the terminal over (leave the alternate screen),
run the command with the highlighted tag's values as argv, and come back drawing the table again.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

import pytest

from swr_tui.ui.app import SwrApp

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pty and the Linux driver"),
    pytest.mark.skipif(
        not hasattr(SwrApp, "action_run_command"),
        reason="swr_tui/ui/app.py does not wire external commands yet (no SwrApp.action_run_command)",
    ),
]

ROWS, COLUMNS = 40, 160
STARTUP_TIMEOUT_S = 15.0
STEP_TIMEOUT_S = 8.0
ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN = b"\x1b[?1049h", b"\x1b[?1049l"
ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")


class Terminal:
    """The parent end of a pty with the app on the other end; every byte it writes is kept."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.fd = fd
        self.output = bytearray()
        self.exit_status: Optional[int] = None

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not chunk:
            return False
        self.output.extend(chunk)
        return True

    def pump(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self._read(deadline - time.monotonic()):
            pass

    def text(self, start: int = 0) -> str:
        """What was written from ``start``, without escape sequences (a frame's words run together
        where the cursor jumped, so markers are matched without spaces)."""
        return ESCAPES.sub(b"", bytes(self.output[start:])).decode("utf-8", "replace")

    def wait_for(self, marker: str, start: int = 0, timeout: float = STEP_TIMEOUT_S) -> None:
        wanted = marker.replace(" ", "")
        deadline = time.monotonic() + timeout
        while wanted not in self.text(start).replace(" ", ""):
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{marker!r} never appeared; last output: {self.text(start)[-800:]!r}"
            if not self._read(min(remaining, 0.2)):
                raise AssertionError(f"the app ended before {marker!r}: {self.text(start)[-2000:]!r}")

    def wait_for_bytes(self, marker: bytes, start: int = 0, timeout: float = STEP_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while marker not in self.output[start:]:
            assert time.monotonic() < deadline, f"{marker!r} never appeared: {bytes(self.output[-800:])!r}"
            if not self._read(0.2):
                raise AssertionError(f"the app ended before {marker!r}")

    def send(self, keys: str, pause: float = 0.05) -> None:
        os.write(self.fd, keys.encode("utf-8"))
        self.pump(pause)

    def wait_exit(self, timeout: float) -> Optional[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._read(0.1)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.exit_status = os.waitstatus_to_exitcode(status)
                return self.exit_status
        return None

    def kill(self) -> None:
        if self.exit_status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        os.close(self.fd)


def toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid TOML basic string


def write_config(tmp_path: Path, out: Path) -> Path:
    dump_args = f"import json, sys; json.dump(sys.argv[1:], open({str(out)!r}, 'w'))"
    greet = "print('HELLO-FROM-THE-COMMAND')"
    config = tmp_path / "config.toml"
    config.write_text(
        "\n".join(
            [
                "[commands.pty-args]",
                'key = "X"',
                f"run = [{toml_string(sys.executable)}, {toml_string('-c')}, {toml_string(dump_args)},",
                '  "{tag}", "{path}"]',
                "pause = false",
                "",
                "[commands.pty-pause]",
                'key = "Y"',
                f'run = [{toml_string(sys.executable)}, "-c", {toml_string(greet)}, "{{tag}}"]',
                "",
            ]
        ),
        encoding="utf-8",
    )
    return config


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    out = tmp_path / "argv.json"
    config = write_config(tmp_path, out)
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "SWR_TUI_CONFIG": str(config),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "TZ": "UTC",
    }
    argv = [sys.executable, "-m", "swr_tui", "--demo", "--repo", "acme/webapp"]
    pid, fd = pty.fork()
    if pid == 0:  # the child: size its terminal, then become the app
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
            os.execve(sys.executable, argv, env)  # noqa: S606
        finally:
            os._exit(127)
    session = Terminal(pid, fd)
    try:
        yield session, out
    finally:
        session.kill()


TAG_PATH = re.compile(r"[a-z0-9.-]+/acme/webapp:(.+)")


def test_a_key_runs_the_command_on_the_highlighted_tag_and_the_app_comes_back(
    terminal: tuple[Terminal, Path],
) -> None:
    term, out = terminal
    term.wait_for("row 1 of", timeout=STARTUP_TIMEOUT_S)
    term.pump(0.5)

    mark = len(term.output)
    term.send("X")
    deadline = time.monotonic() + STEP_TIMEOUT_S
    while not (out.exists() and out.read_text(encoding="utf-8").endswith("]")):
        assert time.monotonic() < deadline, f"the command never ran: {term.text(mark)[-800:]!r}"
        term.pump(0.1)
    tag, path = json.loads(out.read_text(encoding="utf-8"))
    match = TAG_PATH.fullmatch(path)
    assert match is not None, path
    assert match.group(1) == tag  # the highlighted tag, whichever is newest in the demo right now

    # The app gave the terminal up (left the alternate screen) and took it back, then drew again.
    term.wait_for("pty-args exited with status 0", start=mark)
    term.wait_for("row 1 of", start=mark)
    after = bytes(term.output[mark:])
    assert LEAVE_ALT_SCREEN in after
    assert ENTER_ALT_SCREEN in after[after.index(LEAVE_ALT_SCREEN) :]
    assert tag[:12] in term.text(mark)  # the tag's row is drawn again (long names are cut)

    # With pause (the default), the output stays until Enter.
    mark = len(term.output)
    term.send("Y")
    term.wait_for("HELLO-FROM-THE-COMMAND", start=mark)
    term.wait_for("[swr-tui] pty-pause exited with status 0. Press Enter to return to swr-tui.", start=mark)
    term.pump(0.5)
    assert ENTER_ALT_SCREEN not in bytes(term.output[mark:])  # still waiting
    prompt_end = len(term.output)
    term.send("\r")
    term.wait_for_bytes(ENTER_ALT_SCREEN, start=prompt_end)
    term.wait_for("row 1 of", start=prompt_end)

    term.send("q")
    assert term.wait_exit(STEP_TIMEOUT_S) == 0, term.text()[-2000:]
    assert "Traceback" not in term.text()
