"""Well-named tags with malformed fields (``hostile/fields``), and the copy keys on hostile values.

A pull path, internal path or digest that carries a second command line (paste injection) or an
escape sequence is never copied, by any copy key or menu entry: the clipboard (OSC 52 and the local
one) is left as it was and a toast says why, quoting the value escaped. Times that cannot be put in
UTC (year 1 at +14:00, year 9999 at -14:00) show as sent, in the TUI and in the headless table.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from textual.widgets import OptionList

from swr_tui.fake import DEMO_TOKEN
from swr_tui.fake.hostile import HostileRegistry
from swr_tui.fake.hostile_corpus import (
    BY_NAME,
    EARLIEST_TIME,
    FIELDS_REPO,
    HOSTILE_NAMESPACE,
    LATEST_TIME,
    LONG_LENGTH,
    LONGEST_TAG,
    PASTE_DIGEST,
    PASTE_INTERNAL_PATH,
    PASTE_PATH,
    TAGS_REPO,
)
from swr_tui.safe_text import scrub
from swr_tui.ui import clipboard
from swr_tui.ui.screens.copy_menu import SHOWN_CHARS, CopyMenu

from .hostile_kit import HostileUI, Start, make_start, texts, widget_strips

FIELDS = f"{HOSTILE_NAMESPACE}/{FIELDS_REPO}"
TAGS = f"{HOSTILE_NAMESPACE}/{TAGS_REPO}"
BEFORE = "what the clipboard held before"
DISPLAY = {"DISPLAY": ":0"}  # a local clipboard is plausible: it must not be tried either


@pytest.fixture
def start() -> Start:
    return make_start(HostileRegistry(seed=0))


@pytest.fixture
def local_copies(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def record(text: str, timeout: float = 3.0) -> None:
        calls.append(text)

    monkeypatch.setattr(clipboard, "copy_locally", record)
    return calls


async def highlight(ui: HostileUI, name: str) -> None:
    table = ui.app.table
    rows = [table.cache.row(index).name for index in range(table.total or 0)]
    table.cursor_row = rows.index(name)
    await ui.settle()
    assert table.highlighted_tag is not None
    assert table.highlighted_tag.name == name


async def fill_clipboard(ui: HostileUI) -> None:
    ui.app.copy_to_clipboard(BEFORE)
    await ui.settle()
    ui.written.clear()
    ui.notes.clear()


def assert_refused(ui: HostileUI, local_copies: list[str], value: str, kind: str) -> None:
    assert ui.app.clipboard == BEFORE
    assert ui.clipboard_writes == []
    assert local_copies == [BEFORE]
    assert ui.app.system_clipboard.copied == [BEFORE]  # the copy before the key, and no other
    note = ui.notes[-1]
    assert (note.title, note.severity) == ("Not copied", "error")
    assert f"is not a valid {kind}" in note.message
    assert scrub(value)[:40] in note.message  # quoted escaped...
    assert "\n" not in note.message
    assert "\x1b" not in note.message
    assert any(scrub(value)[:40] in text for text in ui.toast_texts())


PASTE_KEYS = [
    ("c", PASTE_PATH, "image reference"),
    ("i", PASTE_INTERNAL_PATH, "image reference"),
    ("d", PASTE_DIGEST, "digest"),
]


@pytest.mark.parametrize(("key", "value", "kind"), PASTE_KEYS, ids=["c", "i", "d"])
async def test_copy_keys_refuse_a_value_with_a_second_command_line(
    start: Start, local_copies: list[str], key: str, value: str, kind: str
) -> None:
    async with start(repository=FIELDS, environ=DISPLAY) as ui:
        await highlight(ui, "paste")
        await fill_clipboard(ui)
        await ui.press(key)
        assert_refused(ui, local_copies, value, kind)
        assert "line breaks" in ui.notes[-1].message


MENU = [
    ("1", "Pull path", PASTE_PATH, "image reference"),
    ("2", "Internal (in-VPC) pull path", PASTE_INTERNAL_PATH, "image reference"),
    ("3", "Digest", PASTE_DIGEST, "digest"),
    # (no repo@digest entries: the pull path does not end with ":paste", so it names no repository)
    ("4", "docker pull command", PASTE_PATH, "image reference"),
]


CONFIG_ENTRIES = {"Env as a .env file", "Labels as JSON"}


async def config_settled(ui: HostileUI) -> None:
    """The highlighted image's config is in (or failed): the copy menu's entries no longer change."""
    depth = ui.app.browser.depth
    await ui.wait_until(lambda: depth.view is not None or "could not be read" in str(depth.content))


async def test_no_copy_menu_entry_copies_a_value_with_a_second_command_line(
    start: Start, local_copies: list[str]
) -> None:
    async with start(repository=FIELDS, environ=DISPLAY) as ui:
        await highlight(ui, "paste")
        await config_settled(ui)
        await fill_clipboard(ui)
        await ui.press("y")
        assert isinstance(ui.app.screen, CopyMenu)
        labels = [choice.label for choice in ui.app.screen.choices]
        assert labels[: len(MENU)] == [label for _, label, _, _ in MENU]
        assert set(labels[len(MENU) :]) <= CONFIG_ENTRIES  # free text of the config, after the references
        shown = "\n".join(texts(ui.assert_screen_safe()))
        assert shown.count("will not be copied") == len(MENU)
        await ui.press("escape")
        for number, _, value, kind in MENU:
            await ui.press("y", number)
            assert not isinstance(ui.app.screen, CopyMenu), number
            assert_refused(ui, local_copies, value, kind)


async def test_an_escape_sequence_in_a_pull_path_or_digest_is_not_copied(
    start: Start, local_copies: list[str]
) -> None:
    async with start(repository=TAGS, environ=DISPLAY) as ui:
        osc52 = BY_NAME["osc52"].text
        await highlight(ui, osc52)
        await fill_clipboard(ui)
        await ui.press("c")
        assert_refused(ui, local_copies, ui.app.table.highlighted_tag.path, "image reference")
        assert "control or invisible characters" in ui.notes[-1].message
        await ui.press("y", "6")
        assert_refused(ui, local_copies, ui.app.table.highlighted_tag.path, "image reference")

        await highlight(ui, "hostile-digest")  # its digest is "sha256:" + an OSC 52 sequence
        await ui.press("d")
        assert_refused(ui, local_copies, f"sha256:{osc52}", "digest")
        for number in ("3", "4", "5"):  # Digest, repo@digest, repo:tag@digest
            await ui.press("y", number)
            assert_refused(ui, local_copies, f"sha256:{osc52}", "digest")
        await ui.press("y", "1")  # its pull path is well-formed
        assert ui.app.clipboard == ui.app.table.highlighted_tag.path
        ui.assert_screen_safe()


async def test_a_well_formed_value_next_to_them_is_copied(start: Start, local_copies: list[str]) -> None:
    async with start(repository=FIELDS, environ=DISPLAY) as ui:
        await highlight(ui, "year-1")
        await fill_clipboard(ui)
        await ui.press("c")
        path = f"swr.cn-north-4.myhuaweicloud.com/{FIELDS}:year-1"
        assert ui.app.clipboard == path
        assert len(ui.clipboard_writes) == 1
        assert local_copies == [BEFORE, path]
        assert ui.notes[-1].title == "Copied pull path"


async def test_a_10000_character_tag_does_not_fill_the_copy_menu(
    start: Start, local_copies: list[str]
) -> None:
    async with start(repository=TAGS) as ui:
        long_name = BY_NAME["long"].text
        await highlight(ui, long_name)
        await config_settled(ui)
        await fill_clipboard(ui)
        await ui.press("y")
        menu = ui.app.screen
        assert isinstance(menu, CopyMenu)
        options = menu.query_one(OptionList)
        extra = sum(1 for choice in menu.choices if choice.label in CONFIG_ENTRIES)
        assert options.option_count == 6 + extra
        lines = [line.strip(" ▊▎") for line in texts(widget_strips(options))]  # inside the border
        assert options.max_scroll_y == 0  # every entry in view, none scrolled away
        for number, label in enumerate([choice.label for choice in menu.choices], start=1):
            assert any(line.startswith(f"{number}  {label}") for line in lines), (label, lines)
        assert sum(line.endswith("…") for line in lines) == 4  # the values that hold the name, cut
        assert len(lines) <= 2 + (6 + extra) * 3  # borders; a label and at most two lines of value each
        title = texts(widget_strips(menu.query_one("#copy-title")))
        assert any(line.rstrip().endswith("…") for line in title)
        assert len(title) <= 3

        await ui.press("1")  # a 10,000-character tag is no valid reference: not copied
        assert ui.app.clipboard == BEFORE
        assert ui.notes[-1].title == "Not copied"
        assert len(ui.notes[-1].message) < 300
        assert len(long_name) == LONG_LENGTH


async def test_a_long_valid_reference_is_cut_in_the_menu_and_copied_whole(start: Start) -> None:
    async with start(repository=FIELDS) as ui:
        await highlight(ui, LONGEST_TAG)
        path = ui.app.table.highlighted_tag.path
        assert len(path) > SHOWN_CHARS
        await ui.press("y")
        lines = [line.strip(" ▊▎") for line in texts(widget_strips(ui.app.screen.query_one(OptionList)))]
        assert any(line.endswith("…") for line in lines)
        await ui.press("1")
        assert ui.app.clipboard == path
        assert ui.notes[-1].title == "Copied Pull path"


@pytest.mark.parametrize(("name", "sent"), [("year-1", EARLIEST_TIME), ("year-9999", LATEST_TIME)])
async def test_a_time_utc_cannot_hold_shows_as_sent(start: Start, name: str, sent: str) -> None:
    async with start(repository=FIELDS) as ui:
        await highlight(ui, name)
        times = [
            line.split() for line in ui.facts_text().splitlines() if line.startswith(("Created", "Updated"))
        ]
        assert times == [["Created", sent], ["Updated", sent]]
        table = ui.app.table
        row = table.render_line(table.cursor_row - int(table.scroll_offset.y) + 1).text
        assert f" {sent[:8]}…" in row  # as sent, cut to the column
        assert "y ago" not in row
        assert "in 7978y" not in row
        await ui.press("t")  # local time first: still as sent, still running
        assert sent in ui.facts_text()


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    registry = HostileRegistry(seed=0)
    with registry.serve() as server:
        yield server.url


def test_the_headless_table_shows_such_times_as_sent(served: str) -> None:
    env = {**os.environ, "SWR_TUI_TOKEN": DEMO_TOKEN, "PYTHONIOENCODING": "utf-8"}
    env.pop("SWR_TUI_ENDPOINT", None)
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "swr_tui", "tags", FIELDS, "--output", "table", "--endpoint", served],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines()[1:]}
    assert EARLIEST_TIME in lines["year-1"]
    assert LATEST_TIME in lines["year-9999"]
    assert "y ago" not in done.stdout
    assert "in 7978y" not in done.stdout


async def test_zero_width_characters_show_as_escapes_everywhere_in_the_tui(start: Start) -> None:
    """U+200B, U+200D, U+2060 and U+FEFF stay raw in ``-o json`` but are escapes on screen: the
    table, the detail pane, the copy menu and the toast (``assert_screen_safe`` now refuses them)."""
    async with start(repository=TAGS) as ui:
        entry = BY_NAME["zero-width"]
        await highlight(ui, entry.text)
        ui.assert_screen_safe()
        facts = ui.facts_text()
        for char in "\u200b\u200d\u2060\ufeff":
            assert char not in facts
            assert f"\\u{ord(char):04x}" in facts
        await ui.press("y")
        assert isinstance(ui.app.screen, CopyMenu)
        menu = "\n".join(texts(ui.assert_screen_safe()))
        assert "\\u200b" in menu
        await ui.press("1")  # invisible characters are no image reference: refused, shown escaped
        assert ui.notes[-1].title == "Not copied"
        assert "\\u200b" in ui.notes[-1].message
        ui.assert_screen_safe()
