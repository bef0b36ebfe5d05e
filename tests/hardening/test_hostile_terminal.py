"""What reaches a real terminal (issue #4): no byte sequence from hostile registry data.

``test_the_tui_in_a_pty_writes_no_hostile_sequence`` runs SwrApp with Textual's real Linux driver in
a pseudo-terminal, on the hostile fake registry in-process, scripts it with keystrokes and records
every byte it writes: the escaped renderings of the corpus must be there (the data was on screen),
its raw sequences (OSC 52, OSC 0, CSI, DCS, C1, bidi controls...) never.

The headless commands are run as processes against the hostile registry served over loopback:
no raw control bytes on stdout, and JSON that round-trips to the registry's very strings.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

import pyte
import pytest

from swr_tui.fake import DEMO_TOKEN
from swr_tui.fake.hostile import HostileRegistry
from swr_tui.fake.hostile_corpus import (
    BROKEN_NAMESPACE,
    BY_NAME,
    COMBINED_MESSAGE,
    CORPUS,
    ERRORS_NAMESPACE,
    HOSTILE_NAMESPACE,
    MANIFEST_KINDS,
    TAGS_REPO,
    error_repository,
)
from swr_tui.output import spreadsheet_safe
from swr_tui.safe_text import scrub

from .pty_kit import Terminal, spawn

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pty and the Linux driver")

ROWS, COLUMNS = 60, 200
STARTUP_TIMEOUT_S = 12.0
STEP_TIMEOUT_S = 5.0
EXIT_TIMEOUT_S = 5.0

# Bytes no terminal output may hold, whatever the data: C1 controls as UTF-8 (U+0080-U+009F), bidi
# controls, line/paragraph separators, and lone surrogates (which UTF-8 cannot even encode).
FORBIDDEN = re.compile(
    rb"\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]|\xed[\xa0-\xbf]"
)
OSC = re.compile(rb"\x1b\](\d*);([^\x07\x1b]*)(?:\x07|\x1b\\)")

CHILD = textwrap.dedent(
    """
    from swr_tui.fake import DEMO_TOKEN
    from swr_tui.fake.dataset import DEFAULT_ANCHOR
    from swr_tui.fake.hostile import HostileRegistry
    from swr_tui.swr.auth import TokenAuth
    from swr_tui.swr.client import SwrClient
    from swr_tui.swr.retry import RetryPolicy
    from swr_tui.ui.app import SwrApp

    registry = HostileRegistry(seed=0)
    client = SwrClient(
        "https://swr-api.pty.invalid",
        TokenAuth(DEMO_TOKEN),
        transport=registry.transport(),
        retry=RetryPolicy(retries=0),
    )
    app = SwrApp(client, repository="hostile/tags", clock=lambda: DEFAULT_ANCHOR, environ={})
    app.run()
    print("APP-EXITED", app.return_code, app._exception is None, flush=True)
    """
)

DOWN, HOME, SHIFT_TAB, ESCAPE, CTRL_P = "\x1b[B", "\x1b[H", "\x1b[Z", "\x1b", "\x10"


def child_environment() -> dict[str, str]:
    keep = ("PATH", "HOME", "SYSTEMROOT", "TMPDIR")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        LANG="C.UTF-8",
        PYTHONIOENCODING="utf-8",
        TZ="UTC",
    )
    return env


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    script = tmp_path / "hostile_app.py"
    script.write_text(CHILD, encoding="utf-8")
    env = child_environment()
    session = spawn([sys.executable, str(script)], env, ROWS, COLUMNS, STEP_TIMEOUT_S)
    try:
        yield session
    finally:
        session.kill()


def test_the_corpus_carries_what_the_tests_look_for() -> None:
    """Each raw sequence is really in its string; its safe form holds the marker and no raw bytes."""
    assert len({entry.name for entry in CORPUS}) == len({entry.text for entry in CORPUS}) == len(CORPUS)
    for entry in CORPUS:
        data = entry.text.encode("utf-8", "surrogatepass")
        safe = scrub(entry.text).encode("utf-8")
        assert entry.marker in scrub(entry.text), entry.name
        for raw in entry.raw:
            assert raw in data, (entry.name, raw)
            assert raw not in safe, (entry.name, raw)


def tags_of_tags_repo() -> list[str]:
    """The tags repository newest first, as the table lists it."""
    repo = HostileRegistry(seed=0).dataset.repository(HOSTILE_NAMESPACE, TAGS_REPO)
    assert repo is not None
    return [repo.tags.name(index) for index in reversed(range(repo.tags.count))]


def osc_sequences(output: bytes) -> list[tuple[bytes, bytes]]:
    return [(match.group(1), match.group(2)) for match in OSC.finditer(output)]


def quit_app(terminal: Terminal, tries: int = 3) -> Optional[int]:
    """``q``; on a loaded machine the app can read an escape and the ``q`` after it as one alt+q
    (or still have the palette open), so the escape and ``q`` are sent again until it exits."""
    for _ in range(tries):
        terminal.send("q")
        status = terminal.wait_exit(EXIT_TIMEOUT_S)
        if status is not None:
            return status
        terminal.send(ESCAPE, pause=0.4)
    return None


class Shown:
    """What the terminal shows, as pyte draws the output so far (fed as it grows)."""

    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.fed = 0

    def text(self) -> str:
        output = bytes(self.terminal.output)
        self.stream.feed(output[self.fed :])
        self.fed = len(output)
        return "\n".join(self.screen.display)


def close_modal(terminal: Terminal, shown: Shown, title: str) -> None:
    """Escape, then wait until ``title`` is off the screen before the next key: on a loaded machine
    the app can read an escape and the key after it in one read, as alt+key (a pause is no cure)."""
    terminal.send(ESCAPE)
    deadline = time.monotonic() + STEP_TIMEOUT_S
    while title in shown.text():
        assert time.monotonic() < deadline, f"{title!r} is still on the screen after escape"
        terminal.pump(0.05)


def test_the_tui_in_a_pty_writes_no_hostile_sequence(terminal: Terminal) -> None:
    tags = tags_of_tags_repo()
    assert len(tags) == len(CORPUS) + len(MANIFEST_KINDS) + 1
    # First frame with the tag list: the newest tag is the OSC 52 one, the last one "hostile-digest".
    shown = Shown(terminal)
    terminal.wait_for_bytes(b"hostile-digest", timeout=STARTUP_TIMEOUT_S)
    terminal.wait_for_bytes(CORPUS[0].shown.encode("utf-8"))
    terminal.pump(0.5)

    for _ in range(len(tags) - 1):  # the cursor over every tag: the detail pane shows each
        terminal.send(DOWN)
    terminal.pump(1.0)
    mark = len(terminal.output)
    terminal.send(HOME)
    terminal.pump(0.5)

    terminal.send("y")  # the copy menu of the OSC 52 tag
    terminal.wait_for_bytes(b"Copy from", start=mark)
    close_modal(terminal, shown, "Copy from")
    terminal.send("c")  # its pull path holds an escape sequence: refused, nothing is copied
    terminal.wait_for_bytes(b"Not copied", start=mark)

    terminal.send(SHIFT_TAB)  # the sidebar: over the hostile repositories
    for _ in range(6):
        terminal.send(DOWN)
    terminal.send("?")
    terminal.wait_for_bytes(b"swr-tui keys", start=mark)
    close_modal(terminal, shown, "swr-tui keys")
    terminal.send(CTRL_P)
    terminal.pump(0.5)
    terminal.send("PWNED-LI", pause=0.1)
    terminal.pump(1.0)
    terminal.send(ESCAPE, pause=0.4)
    status = quit_app(terminal)
    output = bytes(terminal.output)
    assert status == 0, output[-3000:]
    assert b"APP-EXITED 0 True" in output, output[-3000:]
    assert b"Traceback" not in output

    # Nothing from the data reached the terminal raw.
    for entry in CORPUS:
        for raw in entry.raw:
            assert raw not in output, (entry.name, raw)
    assert FORBIDDEN.findall(output) == []
    for number, payload in osc_sequences(output):  # no OSC 52 at all: the one copy was refused
        assert b"PWNED" not in payload, (number, payload)
        assert number in (b"22", b"8", b"10", b"11"), (number, payload)  # pointer shape, links, colours
    assert b"\x1bP+q" not in output  # the data's DCS query

    # ...while every corpus string was on screen, escaped.
    for entry in CORPUS:
        assert entry.shown.encode("utf-8") in output, entry.name
        assert entry.marker.encode("utf-8") in output, entry.name


# -- the headless commands over loopback --------------------------------------------------------

UNSAFE_STDOUT = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|" + FORBIDDEN.pattern)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[HostileRegistry, str]]:
    registry = HostileRegistry(seed=0)
    with registry.serve() as server:
        yield registry, server.url


def run_all(url: str, commands: list[list[str]]) -> list[subprocess.CompletedProcess[bytes]]:
    """The commands at once (each is a new interpreter); their results in order."""
    env = {**os.environ, "SWR_TUI_TOKEN": DEMO_TOKEN, "PYTHONIOENCODING": "utf-8"}
    env.pop("SWR_TUI_ENDPOINT", None)
    processes = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "swr_tui", *command, "--endpoint", url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for command in commands
    ]
    results = []
    for command, process in zip(commands, processes):
        try:
            out, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
        results.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    return results


def assert_clean(result: subprocess.CompletedProcess[bytes]) -> str:
    assert result.returncode == 0, (result.args, result.stderr.decode("utf-8", "replace"))
    assert result.stderr == b"", result.stderr
    assert UNSAFE_STDOUT.findall(result.stdout) == [], result.args
    return result.stdout.decode("utf-8")


def test_headless_commands_print_hostile_data_safely(served: tuple[HostileRegistry, str]) -> None:
    registry, url = served
    repository = f"{HOSTILE_NAMESPACE}/{TAGS_REPO}"
    commands = [
        ["tags", repository, "--output", "json", "--with-manifest"],
        ["tags", repository, "--output", "table"],
        ["tags", repository, "--output", "tsv"],
        ["tags", repository, "--output", "csv"],
        ["repos", HOSTILE_NAMESPACE, "--output", "json"],
        ["repos", HOSTILE_NAMESPACE, "--output", "table"],
        ["namespaces", "--output", "json"],
        ["namespaces", "--output", "tsv"],
        ["tags", f"{ERRORS_NAMESPACE}/{error_repository(BY_NAME['osc52'])}"],
        ["repos", BROKEN_NAMESPACE],
    ]
    results = run_all(url, commands)
    tags_json, tags_table, tags_tsv, tags_csv, repos_json, repos_table, ns_json, ns_tsv = results[:8]
    dataset = registry.dataset
    repo = dataset.repository(HOSTILE_NAMESPACE, TAGS_REPO)
    assert repo is not None
    records = [repo.tags.record(index) for index in reversed(range(repo.tags.count))]

    # JSON: valid, and the registry's strings come back exactly (escapes, surrogates and all).
    tags = json.loads(assert_clean(tags_json))
    assert [item["tag"] for item in tags] == [record.name for record in records]
    assert [item["manifest"] for item in tags] == [record.manifest for record in records]
    assert [item["digest"] for item in tags] == [record.digest for record in records]
    repos = json.loads(assert_clean(repos_json))
    expected_repos = {r.name: r for r in dataset.repositories_in(HOSTILE_NAMESPACE)}
    assert {item["name"] for item in repos} == set(expected_repos)
    for item in repos:
        assert item["description"] == expected_repos[item["name"]].description
        assert item["category"] == expected_repos[item["name"]].category
    namespaces = json.loads(assert_clean(ns_json))
    assert {item["name"] for item in namespaces} >= {entry.text for entry in CORPUS}

    # Table, TSV, CSV: escaped and aligned, one record per line (CSV may quote a newline).
    table = assert_clean(tags_table)
    for entry in CORPUS:
        assert entry.shown in table, entry.name
    assert len(table.splitlines()) == len(records) + 1
    tsv = assert_clean(tags_tsv).splitlines()
    assert len(tsv) == len(records) + 1
    assert {line.count("\t") for line in tsv} == {tsv[0].count("\t")}
    # A name a spreadsheet would run as a formula (=..., @..., -...) gets a leading "'".
    assert [line.split("\t")[0] for line in tsv[1:]] == [scrub(spreadsheet_safe(r.name)) for r in records]
    rows = list(csv.reader(io.StringIO(assert_clean(tags_csv))))
    cells = [scrub(spreadsheet_safe(record.name), keep_newlines=True) for record in records]
    assert [row[0] for row in rows[1:]] == cells
    repos_text = assert_clean(repos_table)
    for entry in CORPUS:
        if entry.in_url and entry.in_repo_name:
            assert scrub(entry.text)[:12] in repos_text, entry.name
    ns_lines = assert_clean(ns_tsv).splitlines()
    for entry in CORPUS:
        assert scrub(spreadsheet_safe(entry.text)) in {line.split("\t")[0] for line in ns_lines}, entry.name

    # Hostile error bodies: one escaped line on stderr, exit status 1.
    for result, needle in zip(results[8:], (BY_NAME["osc52"].shown, scrub(COMBINED_MESSAGE)[:40])):
        assert result.returncode == 1, result
        assert result.stdout == b""
        assert UNSAFE_STDOUT.findall(result.stderr) == [], result.stderr
        err = result.stderr.decode("utf-8")
        assert err.startswith("swr-tui: ")
        assert err.count("\n") == 1
        assert needle in err, err
