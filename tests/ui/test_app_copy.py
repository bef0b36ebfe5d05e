"""Copy keys: the clipboard text, the exact OSC 52 bytes (plain, tmux, screen), the local clipboard
only where one plausibly exists, and the toast that says what was copied."""

from __future__ import annotations

import base64
import sys

import pytest

from swr_tui.ui.clipboard import local_clipboard_plausible
from swr_tui.ui.screens.copy_menu import CopyMenu

from .conftest import UI, Start

PATH = "swr.cn-north-4.myhuaweicloud.com/acme/webapp:v2.4.1"
INTERNAL = "100.125.0.198:20202/acme/webapp:v2.4.1"
DIGEST = "sha256:fa775daff5254280b244c3d5fe0dd5f6b4de1d008a30dddea75b23f773162f96"
LINUX = sys.platform.startswith("linux")


def osc52(text: str) -> str:
    return "\x1b]52;c;" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "\x07"


def tmux_form(text: str) -> str:
    return "\x1bPtmux;" + osc52(text).replace("\x1b", "\x1b\x1b") + "\x1b\\"


def screen_form(text: str) -> str:
    plain = osc52(text)
    return "".join("\x1bP" + plain[i : i + 76] + "\x1b\\" for i in range(0, len(plain), 76))


async def on_v241(ui: UI) -> None:
    await ui.highlight("v2.4.1")
    ui.written.clear()


async def test_c_i_d_copy_the_pull_path_internal_path_and_digest(
    start: Start, local_copies: list[str]
) -> None:
    async with start(repository="acme/webapp") as ui:
        await on_v241(ui)
        for key, text, what in (
            ("c", PATH, "pull path"),
            ("i", INTERNAL, "internal pull path"),
            ("d", DIGEST, "digest"),
        ):
            await ui.press(key)
            assert ui.app.clipboard == text, key
            assert ui.clipboard_writes == [osc52(text)], key
            assert ui.notes[-1].title == f"Copied {what}", key
            assert ui.notes[-1].message == text, key
            assert ui.notes[-1].severity == "information", key
            ui.written.clear()
        assert ui.app.system_clipboard.copied == [PATH, INTERNAL, DIGEST]
        assert f"Copied digest\n{DIGEST}" in ui.toast_texts()  # the toast is on screen
        if LINUX:
            assert local_copies == []  # no DISPLAY: no local clipboard to try


MENU = [
    ("1", "Pull path", PATH),
    ("2", "Internal (in-VPC) pull path", INTERNAL),
    ("3", "Digest", DIGEST),
    ("4", "repo@digest", f"swr.cn-north-4.myhuaweicloud.com/acme/webapp@{DIGEST}"),
    ("5", "repo:tag@digest", f"{PATH}@{DIGEST}"),
    ("6", "docker pull command", f"docker pull {PATH}"),
]


async def test_y_menu_copies_each_entry_by_number(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await on_v241(ui)
        for number, label, text in MENU:
            await ui.pilot.press("y")
            assert isinstance(ui.app.screen, CopyMenu)
            assert [choice.label for choice in ui.app.screen.choices] == [label for _, label, _ in MENU]
            await ui.press(number)
            assert not isinstance(ui.app.screen, CopyMenu), number
            assert ui.app.clipboard == text, number
            assert ui.clipboard_writes == [osc52(text)], number
            assert ui.notes[-1].title == f"Copied {label}", number
            assert ui.notes[-1].message == text, number
            ui.written.clear()
        assert ui.app.system_clipboard.copied == [text for _, _, text in MENU]


async def test_y_menu_by_arrows_and_enter_and_escape_cancels(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await on_v241(ui)
        await ui.press("y", "down", "down", "enter")
        assert ui.app.clipboard == DIGEST
        assert ui.clipboard_writes == [osc52(DIGEST)]

        ui.written.clear()
        await ui.press("y", "escape")
        assert not isinstance(ui.app.screen, CopyMenu)
        assert ui.app.clipboard == DIGEST
        assert ui.clipboard_writes == []
        assert ui.app.system_clipboard.copied == [DIGEST]


@pytest.mark.parametrize(
    ("environ", "forms"),
    [
        ({"TMUX": "/tmp/tmux-1000/default,1234,0"}, [osc52, tmux_form]),
        ({"STY": "4321.pts-0.host"}, [osc52, screen_form]),
        (
            {"TMUX": "/tmp/tmux-1000/default,1234,0", "STY": "4321.pts-0.host"},
            [osc52, tmux_form, screen_form],
        ),
    ],
    ids=["tmux", "screen", "tmux-in-screen"],
)
async def test_inside_a_multiplexer_the_sequence_is_also_wrapped(
    start: Start, environ: dict[str, str], forms: list
) -> None:
    async with start(repository="acme/webapp", environ=environ) as ui:
        await on_v241(ui)
        await ui.press("c")
        assert ui.app.clipboard == PATH
        assert ui.clipboard_writes == [form(PATH) for form in forms]


def test_screen_form_splits_long_sequences_into_short_chunks() -> None:
    text = f"docker pull {PATH}"
    chunks = screen_form(text).split("\x1b\\")[:-1]
    assert len(chunks) > 1
    assert all(len(chunk) <= 2 + 76 for chunk in chunks)


@pytest.mark.parametrize(
    ("environ", "local"),
    [
        ({"DISPLAY": ":0"}, True),
        ({"DISPLAY": ":0", "SSH_CONNECTION": "10.0.0.2 51234 10.0.0.9 22"}, False),
    ],
    ids=["display", "display-over-ssh"],
)
async def test_local_clipboard_only_where_plausible(
    start: Start, local_copies: list[str], environ: dict[str, str], local: bool
) -> None:
    async with start(repository="acme/webapp", environ=environ) as ui:
        await on_v241(ui)
        await ui.press("c", "d")
        assert ui.clipboard_writes == [osc52(PATH), osc52(DIGEST)]  # OSC 52 always
        assert local_copies == ([PATH, DIGEST] if local else [])


@pytest.mark.parametrize(
    ("environ", "platform", "plausible"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"DISPLAY": ":0", "SSH_TTY": "/dev/pts/3"}, "linux", False),
        ({}, "darwin", True),
        ({}, "win32", True),
        ({"SSH_CONNECTION": "10.0.0.2 51234 10.0.0.9 22"}, "darwin", False),
        ({"SSH_CONNECTION": "10.0.0.2 51234 10.0.0.9 22"}, "win32", False),
    ],
)
def test_local_clipboard_plausible(environ: dict[str, str], platform: str, plausible: bool) -> None:
    assert local_clipboard_plausible(environ, platform) is plausible


async def test_copy_with_no_tag_highlighted_warns_and_copies_nothing(
    start: Start, local_copies: list[str]
) -> None:
    async with start(environ={"DISPLAY": ":0"}) as ui:  # no repository open
        ui.app.copy_to_clipboard("kept")  # what the clipboard held before
        ui.written.clear()
        for key in ("c", "i", "d", "y"):
            ui.notes.clear()
            await ui.press(key)
            assert ui.app.table.highlighted_tag is None
            assert [(note.message, note.severity) for note in ui.notes] == [
                ("No tag highlighted: open a repository and pick a tag", "warning")
            ], key
            assert ui.app.clipboard == "kept", key
            assert ui.clipboard_writes == [], key
            assert not isinstance(ui.app.screen, CopyMenu), key
        assert local_copies == ["kept"]
        assert ui.app.system_clipboard.copied == ["kept"]  # the copy before the keys, and no other
