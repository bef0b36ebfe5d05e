"""External commands for real: ``python -m swr_tui --demo`` in a pseudo-terminal, with a config file
whose commands are bound to keys. The app must hand the terminal over (leave the alternate screen),
run the command with the highlighted tag's values as argv, and come back drawing the table again.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .pty_kit import Terminal, spawn

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pty and the Linux driver")

ROWS, COLUMNS = 40, 160
STARTUP_TIMEOUT_S = 15.0
STEP_TIMEOUT_S = 8.0
ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN = b"\x1b[?1049h", b"\x1b[?1049l"


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
    session = spawn(argv, env, ROWS, COLUMNS, STEP_TIMEOUT_S)
    try:
        yield session, out
    finally:
        session.kill()


TAG_PATH = re.compile(r"[a-z0-9.-]+/acme/webapp:(.+)")


def test_a_key_runs_the_command_on_the_highlighted_tag_and_the_app_comes_back(
    terminal: tuple[Terminal, Path],
) -> None:
    term, out = terminal
    term.wait_for_text("row 1 of", timeout=STARTUP_TIMEOUT_S)
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
    term.wait_for_text("pty-args exited with status 0", start=mark)
    term.wait_for_text("row 1 of", start=mark)
    after = bytes(term.output[mark:])
    assert LEAVE_ALT_SCREEN in after
    assert ENTER_ALT_SCREEN in after[after.index(LEAVE_ALT_SCREEN) :]
    assert tag[:12] in term.text(mark)  # the tag's row is drawn again (long names are cut)

    # With pause (the default), the output stays until Enter.
    mark = len(term.output)
    term.send("Y")
    term.wait_for_text("HELLO-FROM-THE-COMMAND", start=mark)
    term.wait_for_text(
        "[swr-tui] pty-pause exited with status 0. Press Enter to return to swr-tui.", start=mark
    )
    term.pump(0.5)
    assert ENTER_ALT_SCREEN not in bytes(term.output[mark:])  # still waiting
    prompt_end = len(term.output)
    term.send("\r")
    term.wait_for_bytes(ENTER_ALT_SCREEN, start=prompt_end)
    term.wait_for_text("row 1 of", start=prompt_end)

    term.send("q")
    assert term.wait_exit(STEP_TIMEOUT_S) == 0, term.text()[-2000:]
    assert "Traceback" not in term.text()
