from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Callable, ClassVar, Optional

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.strip import Strip

from swr_tui.swr.manifest import parse_manifest
from swr_tui.ui.widgets.json_view import (
    DEFAULT_MAX_LINE_LENGTH,
    ManifestView,
    display_line,
    display_width,
    document_width,
    manifest_document,
    marker_text,
)

SIZE = (160, 30)
# What must never reach the terminal raw: C0 (tab and newline included: a line has none), DEL, C1,
# bidi controls, line/paragraph separators and lone surrogates.
UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)

MANIFEST = {
    "schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {"size": 7023, "digest": "sha256:" + "a" * 64, "ready": True, "labels": None},
    "layers": [{"size": -1.5e3, "digest": "sha256:" + "b" * 64, "empty": False}],
}
NUMBERED_LINES = "\n".join(f"line {index}" for index in range(200))


class ViewApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("down", "app_down", "App down")]

    def __init__(self, max_line_length: int = DEFAULT_MAX_LINE_LENGTH) -> None:
        super().__init__()
        self.max_line_length = max_line_length
        self.app_down_pressed = 0

    def compose(self) -> ComposeResult:
        yield ManifestView(max_line_length=self.max_line_length)

    def on_mount(self) -> None:
        self.query_one(ManifestView).focus()

    def action_app_down(self) -> None:
        self.app_down_pressed += 1


def rendered(view: ManifestView, count: Optional[int] = None) -> list[str]:
    height = view.scrollable_content_region.height if count is None else count
    return [view.render_line(y).text.rstrip() for y in range(height)]


@dataclass
class Shown:
    app: ViewApp
    pilot: Pilot[None]
    view: ManifestView

    async def load(self, text: str, *, highlight: bool = True) -> None:
        self.view.load(text, highlight=highlight)
        await self.pilot.pause()


Show = Callable[..., AbstractAsyncContextManager[Shown]]


@pytest.fixture
def show() -> Show:
    """``async with show(text) as shown``: a focused ManifestView in a running app, ``text`` loaded."""

    @asynccontextmanager
    async def showing(
        text: Optional[str] = None,
        *,
        highlight: bool = True,
        size: tuple[int, int] = SIZE,
        max_line_length: int = DEFAULT_MAX_LINE_LENGTH,
    ) -> AsyncIterator[Shown]:
        app = ViewApp(max_line_length)
        async with app.run_test(size=size) as pilot:
            shown = Shown(app, pilot, app.query_one(ManifestView))
            if text is not None:
                await shown.load(text, highlight=highlight)
            yield shown

    return showing


def styled(strip: Strip, text: str) -> Style:
    """The style of the segment whose text is exactly ``text``."""
    for segment in strip:
        if segment.text == text:
            assert segment.style is not None
            return segment.style
    raise AssertionError(f"no segment {text!r} in {[segment.text for segment in strip]}")


def component(view: ManifestView, name: str) -> Style:
    return view.get_component_rich_style(f"json-view--{name}")


def assert_safe(strip: Strip) -> None:
    for segment in strip:
        assert not UNSAFE.search(segment.text), repr(segment.text)
        segment.text.encode("utf-8")


async def test_load_shows_the_lines(show: Show) -> None:
    text = json.dumps(MANIFEST, indent=2)
    async with show(text) as shown:
        view = shown.view
        expected = text.split("\n")
        assert view.line_count == len(expected)
        assert view.document == text
        assert rendered(view, len(expected)) == expected
        assert view.render_line(len(expected)).text.strip() == ""
        assert view.virtual_size.width == max(len(line) for line in expected)
        assert view.virtual_size.height == len(expected)


async def test_json_tokens_are_highlighted_with_the_component_styles(show: Show) -> None:
    async with show(json.dumps(MANIFEST, indent=2)) as shown:
        view = shown.view
        lines = {view.render_line(y).text.strip(): view.render_line(y) for y in range(view.line_count)}

        key = styled(lines['"schemaVersion": 2,'], '"schemaVersion"')
        number = styled(lines['"schemaVersion": 2,'], "2")
        string = styled(lines[f'"digest": "sha256:{"a" * 64}",'], f'"sha256:{"a" * 64}"')
        true = styled(lines['"ready": true,'], "true")
        false = styled(lines['"empty": false'], "false")
        null = styled(lines['"labels": null'], "null")
        negative = styled(lines['"size": -1500.0,'], "-1500.0")

        assert key.color == component(view, "key").color
        assert key.bold
        assert string.color == component(view, "string").color
        assert number.color == negative.color == component(view, "number").color
        assert true.color == false.color == component(view, "bool").color
        assert null.color == component(view, "null").color
        assert len({key.color, string.color, number.color, true.color, null.color}) == 5
        assert styled(lines['"schemaVersion": 2,'], ": ").color == view.rich_style.color


async def test_digits_and_words_inside_strings_stay_strings(show: Show) -> None:
    async with show('{"a": "true 12 null \\" still 3"}') as shown:
        strip = shown.view.render_line(0)

        assert styled(strip, '"true 12 null \\" still 3"').color == component(shown.view, "string").color


async def test_highlight_off_uses_one_style(show: Show) -> None:
    async with show(json.dumps(MANIFEST, indent=2), highlight=False) as shown:
        view = shown.view
        colors = {segment.style.color for y in range(view.line_count) for segment in view.render_line(y)}

        assert not view.highlight
        assert colors == {view.rich_style.color}


async def test_long_lines_are_capped_with_a_marker(show: Show) -> None:
    async with show("short\n" + '"' + "x" * 499 + "\nend", max_line_length=40) as shown:
        view = shown.view
        capped = view.render_line(1)

        assert capped.text.rstrip() == '"' + "x" * 39 + " … +460 chars"
        marker = styled(capped, " … +460 chars")
        assert marker.dim
        assert marker.italic
        assert marker.color == component(view, "marker").color
        assert marker.color != view.rich_style.bgcolor
        assert view.render_line(0).text.rstrip() == "short"
        assert view.virtual_size.width == 40 + len(" … +460 chars")


async def test_control_characters_are_shown_escaped(show: Show) -> None:
    hostile = (
        '{"osc": "\x1b]52;c;aGVsbG8=\x07", "csi": "\x9b31m", "bidi": "\u202etxt.exe", '
        '"nul": "\x00\x7f", "cr": "a\rb", "sep": "\u2028", "lone": "\ud800"}'
    )
    async with show(hostile, size=(220, 10)) as shown:
        strip = shown.view.render_line(0)
        assert_safe(strip)
        assert strip.text.rstrip() == (
            '{"osc": "\\x1b]52;c;aGVsbG8=\\x07", "csi": "\\x9b31m", "bidi": "\\u202etxt.exe", '
            '"nul": "\\x00\\x7f", "cr": "a\\rb", "sep": "\\u2028", "lone": "\\ud800"}'
        )
        assert shown.view.virtual_size.width == len(strip.text.rstrip())


async def test_control_characters_in_a_pretty_printed_manifest(show: Show) -> None:
    summary = parse_manifest(json.dumps({"name": "\x1b]0;pwned\x07\x9b2J\u202e", "lone": "\ud800"}))
    async with show(summary.pretty) as shown:
        view = shown.view
        for y in range(view.line_count):
            assert_safe(view.render_line(y))
        assert rendered(view, 4) == [
            "{",
            '  "name": "\\u001b]0;pwned\\u0007\\x9b2J\\u202e",',
            '  "lone": "\\ud800"',
            "}",
        ]


async def test_markup_like_text_is_shown_literally(show: Show) -> None:
    text = "[red]x[/] [@click=app.quit]q[/] $var [link=https://evil.example]l[/link] [/]"
    async with show(text) as shown:
        strip = shown.view.render_line(0)
        assert strip.text.rstrip() == text
        for segment in strip:
            assert segment.style is not None
            assert segment.style.link is None
            assert "@click" not in (segment.style.meta or {})
        await shown.pilot.click(ManifestView, offset=(12, 0))
        assert shown.app.is_running


async def test_arrow_and_page_keys_scroll(show: Show) -> None:
    async with show(NUMBERED_LINES) as shown:
        view, pilot = shown.view, shown.pilot
        page = view.scrollable_content_region.height

        await pilot.press("down", "down")
        assert view.scroll_offset.y == 2
        assert view.render_line(0).text.rstrip() == "line 2"

        await pilot.press("up")
        assert view.scroll_offset.y == 1

        await pilot.press("pagedown")
        assert view.scroll_offset.y == 1 + page

        await pilot.press("pageup")
        assert view.scroll_offset.y == 1
        assert shown.app.app_down_pressed == 0


async def test_end_and_home(show: Show) -> None:
    async with show(NUMBERED_LINES) as shown:
        view, pilot = shown.view, shown.pilot

        await pilot.press("end")
        await pilot.pause()
        assert view.scroll_offset.y == view.max_scroll_y == 200 - view.scrollable_content_region.height
        assert view.render_line(view.scrollable_content_region.height - 1).text.rstrip() == "line 199"

        await pilot.press("home")
        await pilot.pause()
        assert view.scroll_offset.y == 0
        assert view.render_line(0).text.rstrip() == "line 0"


async def test_home_and_end_are_in_the_footer_bindings(show: Show) -> None:
    async with show() as shown:
        shown_keys = {
            key: active.binding.description
            for key, active in shown.app.active_bindings.items()
            if active.binding.show
        }

        assert shown_keys["home"] == "Top"
        assert shown_keys["end"] == "Bottom"


async def test_horizontal_scroll(show: Show) -> None:
    async with show("0123456789" * 30 + "\nshort") as shown:
        view, pilot = shown.view, shown.pilot

        await pilot.press("right", "right", "right")
        assert view.scroll_offset.x == 3
        assert view.render_line(0).text.startswith("3456789")
        assert view.render_line(1).text.startswith("rt")

        await pilot.press("left")
        assert view.scroll_offset.x == 2

        await pilot.press("ctrl+pagedown")
        assert view.scroll_offset.x == view.max_scroll_x == 300 - view.scrollable_content_region.width


async def test_keys_reach_the_app_when_there_is_nothing_to_scroll(show: Show) -> None:
    async with show("{}") as shown:
        await shown.pilot.press("down")

        assert shown.app.app_down_pressed == 1
        assert shown.view.scroll_offset.y == 0


async def test_load_replaces_the_document_and_scrolls_home(show: Show) -> None:
    async with show("\n".join(f"first {index}" for index in range(100))) as shown:
        view = shown.view
        await shown.pilot.press("pagedown", "right")
        assert view.scroll_offset.y > 0

        await shown.load("second\ndocument")

        assert view.scroll_offset == (0, 0)
        assert rendered(view, 3) == ["second", "document", ""]

        view.clear()
        await shown.pilot.pause()
        assert view.line_count == 0
        assert view.document == ""
        assert view.virtual_size == (0, 0)
        assert view.render_line(0).text.strip() == ""


async def test_crlf_tabs_and_a_final_newline(show: Show) -> None:
    async with show("a\r\nb\tc\r\n") as shown:
        assert shown.view.line_count == 2
        assert rendered(shown.view, 2) == ["a", "b   c"]
        assert shown.view.virtual_size.width == 5


async def test_wide_characters_count_as_two_cells(show: Show) -> None:
    async with show('{"描述": "镜像"}') as shown:
        assert shown.view.render_line(0).text.rstrip() == '{"描述": "镜像"}'
        assert shown.view.virtual_size.width == cell_len('{"描述": "镜像"}') == 16


async def test_five_megabyte_document(show: Show) -> None:
    layers = [
        {
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "size": index,
            "digest": f"sha256:{index:064x}",
        }
        for index in range(40_000)
    ]
    text = json.dumps({"schemaVersion": 2, "layers": layers}, indent=2)
    assert len(text) > 5_000_000
    async with show(text) as shown:
        view = shown.view
        assert view.line_count == text.count("\n") + 1
        assert rendered(view, 4) == ["{", '  "schemaVersion": 2,', '  "layers": [', "    {"]
        await shown.pilot.press("end")
        await shown.pilot.pause()
        bottom = rendered(view)
        assert bottom[-3:] == ["    }", "  ]", "}"]
        assert f'"sha256:{39_999:064x}"' in bottom[-4]


async def test_five_megabyte_single_line(show: Show) -> None:
    text = json.dumps(
        {"layers": [{"size": index, "digest": f"sha256:{index:064x}"} for index in range(60_000)]}
    )
    assert len(text) > 5_000_000
    async with show(text) as shown:
        view = shown.view
        assert view.line_count == 1
        assert view.render_line(0).text.startswith('{"layers": [{"size": 0, "digest": "sha256:')
        marker = f" … +{len(text) - DEFAULT_MAX_LINE_LENGTH:,} chars"
        assert view.virtual_size.width == DEFAULT_MAX_LINE_LENGTH + len(marker)
        view.scroll_to(x=view.max_scroll_x, animate=False)
        await shown.pilot.pause()
        assert view.render_line(0).text.rstrip().endswith(marker)


async def test_theme_change_recolours_the_lines(show: Show) -> None:
    async with show('{"key": 1}') as shown:
        view = shown.view
        before = styled(view.render_line(0), '"key"').color

        shown.app.theme = "textual-light"
        await shown.pilot.pause()

        after = styled(view.render_line(0), '"key"').color
        assert after != before
        assert after == component(view, "key").color


async def test_focus_change_restyles_the_background(show: Show) -> None:
    async with show('{"key": 1}') as shown:
        view = shown.view
        focused = styled(view.render_line(0), '"key"').bgcolor

        view.blur()
        await shown.pilot.pause()

        assert styled(view.render_line(0), '"key"').bgcolor != focused


@pytest.mark.parametrize(
    ("raw", "text", "highlight"),
    [
        ('{"a":1}', '{\n  "a": 1\n}', True),
        ('{"a":', '{"a":', False),
        ("", "", False),
    ],
)
def test_manifest_document(raw: str, text: str, highlight: bool) -> None:
    assert manifest_document(parse_manifest(raw)) == (text, highlight)


def test_display_line() -> None:
    assert display_line("plain", 10) == ("plain", 0)
    assert display_line("x" * 15, 10) == ("x" * 10, 5)
    # Tabs expand at the source columns, before the escapes widen the line.
    assert display_line("\x1b[2J\tz", 20) == ("\\x1b[2J    z", 0)
    assert display_line("\x1b" * 20, 3) == ("\\x1b" * 3, 17)


def test_document_width_matches_the_lines() -> None:
    lines = ["ab", "x" * 30, "\x1b"]
    assert document_width("\n".join(lines), lines, 100) == 30
    assert document_width("\n".join(lines[:2]), lines[:2], 100) == 30
    assert document_width("\n".join(lines[:2]), lines[:2], 10) == 10 + len(" … +20 chars")
    assert document_width("", [], 10) == 0


risky_text = st.text(
    st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Zs", "Lo", "Ll", "Mn", "Po", "So"])
)


@given(risky_text.filter(lambda text: "\n" not in text), st.integers(min_value=1, max_value=50))
def test_display_line_is_always_safe_and_its_width_is_known(line: str, limit: int) -> None:
    """A line never holds a newline: ``load`` splits on them."""
    shown, hidden = display_line(line, limit)

    assert not UNSAFE.search(shown)
    assert hidden == max(0, len(line) - limit)
    lines = [line]
    assert display_width(line, limit) == cell_len(shown) + (cell_len(marker_text(hidden)) if hidden else 0)
    assert document_width(line, lines, limit) == display_width(line, limit)


class PreloadedApp(App[None]):
    def compose(self) -> ComposeResult:
        view = ManifestView()
        view.load('{"loaded": "before mount"}')
        yield view


async def test_load_before_mount() -> None:
    app = PreloadedApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ManifestView)

        assert view.render_line(0).text.rstrip() == '{"loaded": "before mount"}'
        assert view.virtual_size == (26, 1)


def test_the_marker_counts_one_char_in_the_singular() -> None:
    assert marker_text(1) == " … +1 char"
    assert marker_text(1_204) == " … +1,204 chars"
