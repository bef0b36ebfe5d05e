"""Digest groups and signature tags in the table and the detail pane; the digest search screen.

The app hands the detail pane the table's digest index (``TagTable.DigestsChanged``); ``wire`` is
kept as a no-op-safe explicit hand-over so each test states what it relies on.
"""

from __future__ import annotations

import re

from app_harness import plain
from pilot_support import poll_until
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.widgets import ProgressBar, Static

from swr_tui.fake import FakeRegistry, FaultRule
from swr_tui.swr.models import Tag
from swr_tui.swr.paging import Page
from swr_tui.ui.digests import GLYPHS
from swr_tui.ui.screens.digest_search import DigestSearchScreen
from swr_tui.ui.tag_pages import TagQuery
from swr_tui.ui.widgets.tag_detail import TagDetail
from swr_tui.ui.widgets.tag_table import TagTable

from .conftest import NARROW, UI, Start

SIGNATURE = re.compile(r"sha256-[0-9a-f]{64}\.sig")


def wire(ui: UI) -> None:
    ui.app.detail.set_digests(ui.app.table.digests)


def row_strip(ui: UI, name: str) -> list[Segment]:
    row = ui.rows().index(name)
    return list(ui.app.table.render_line(row + 1 - int(ui.app.table.scroll_offset.y)))


def detail_rows(ui: UI) -> dict[str, str]:
    found = {}
    for line in ui.detail_text("detail-facts").splitlines():
        for label in ("Same digest", "Signs", "Signed by"):
            if line.startswith(label + " "):
                found[label] = line[len(label) :].strip()
    return found


def signature_name(ui: UI) -> str:
    return next(name for name in ui.rows() if SIGNATURE.fullmatch(name))


async def test_tags_sharing_a_digest_share_a_glyph(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        marks = {name: row_strip(ui, name)[0].text[0] for name in ui.rows()}
        assert marks["latest"] in GLYPHS
        assert marks["latest"] == marks["v2.4.1"]
        assert {mark for name, mark in marks.items() if name not in ("latest", "v2.4.1")} == {" "}
        table = ui.app.table
        group = table.digests.mark(ui.app.table.cache.row(ui.rows().index("latest")).digest)
        assert group is not None
        colour = table.get_component_rich_style(group.component).color
        assert row_strip(ui, "latest")[0].style.color == colour
        assert row_strip(ui, "v2.4.1")[0].style.color == colour
        assert ui.table_lines(0, 1)[0].startswith("  ⌫ Tag ")  # the group mark column has no title


async def test_signature_rows_are_dimmed_and_typed(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        table = ui.app.table
        name = signature_name(ui)
        await ui.highlight("v2.4.1")  # keep the cursor off the row
        line = "".join(segment.text for segment in row_strip(ui, name)).rstrip()
        assert line.split()[-1] == "sig"  # the Type column is 5 cells wide below 90 columns
        muted = table.get_component_rich_style("tag-table--signature").color
        assert row_strip(ui, name)[1].style.color == muted
        assert row_strip(ui, "v2.4.1")[1].style.color != muted


async def test_signature_type_in_full_on_a_wide_table(start: Start) -> None:
    async with start(repository="acme/webapp", size=(240, 50)) as ui:
        assert ui.app.table.size.width >= 90
        await ui.highlight("v2.4.1")
        assert "".join(s.text for s in row_strip(ui, signature_name(ui))).split()[-1] == "signature"
        assert ui.table_lines(0, 1)[0].split()[-1] == "Type"


async def test_detail_lists_same_digest_and_signature_links(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        wire(ui)
        signature = signature_name(ui)
        await ui.highlight("latest")
        assert detail_rows(ui) == {"Same digest": "v2.4.1", "Signed by": f"{signature} (signature)"}
        await ui.highlight("v2.4.1")
        assert detail_rows(ui) == {"Same digest": "latest", "Signed by": f"{signature} (signature)"}
        await ui.highlight(signature)
        assert detail_rows(ui) == {"Signs": "latest, v2.4.1 (signature)"}
        await ui.highlight("v2.4.0")
        assert detail_rows(ui) == {}
        assert ui.facts()["Tag"] == "v2.4.0"  # the usual facts are still there


async def test_the_app_gives_the_detail_pane_the_table_s_digest_index(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:  # no wire(ui): SwrApp does it
        await ui.highlight("latest")
        assert detail_rows(ui)["Same digest"] == "v2.4.1"
        assert detail_rows(ui)["Signed by"].endswith(".sig (signature)")


async def test_team_app_group(start: Start) -> None:
    async with start(repository="acme/team/app") as ui:
        wire(ui)
        await ui.highlight("latest")
        assert detail_rows(ui) == {"Same digest": "v0.3.1"}
        marks = {name: row_strip(ui, name)[0].text[0] for name in ui.rows()}
        assert marks["latest"] == marks["v0.3.1"] != " "


async def search(ui: UI, name: str) -> DigestSearchScreen:
    tag = await ui.highlight(name)
    table = ui.app.table
    assert table.query is not None
    screen = DigestSearchScreen(ui.app.client, table.query, tag.digest, tag.name)
    await ui.app.push_screen(screen)
    await ui.settle()
    return screen


async def test_digest_search_finds_every_tag(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        screen = await search(ui, "latest")
        assert screen.matches == ["latest", "v2.4.1"]
        assert screen.error is None
        assert screen.progress == (32, 32)
        bar = screen.query_one(ProgressBar)
        assert bar.total == 32
        assert bar.progress == 32
        text = plain(screen.query_one("#digest-search-list", Static).content)
        assert text.splitlines() == ["latest  (this tag)", "v2.4.1"]
        assert "2 tags of 32 point at this digest." in plain(
            screen.query_one("#digest-search-status", Static).content
        )
        await ui.press("escape")
        assert not isinstance(ui.app.screen, DigestSearchScreen)


async def test_digest_search_on_team_app(start: Start) -> None:
    async with start(repository="acme/team/app") as ui:
        screen = await search(ui, "v0.3.1")
        assert screen.matches == ["latest", "v0.3.1"]
        assert screen.progress == (8, 8)


async def test_digest_search_reads_past_the_loaded_pages(start: Start) -> None:
    """With 5-row pages the table holds one page; the search reads the whole repository."""
    async with start(repository="acme/webapp", page_size=5, size=NARROW) as ui:
        assert len(ui.rows()) < 32
        screen = await search(ui, "v2.4.1")
        assert screen.matches == ["latest", "v2.4.1"]
        assert screen.progress[0] == 32


async def test_digest_search_cancels_on_escape(start: Start, registry: FakeRegistry) -> None:
    async with start(repository="acme/webapp") as ui:
        tag = await ui.highlight("latest")
        # Answers that never come (the in-process transport sleeps: a cancelled read ends at once),
        # so escape finds the search reading however long a loaded machine takes to press it.
        registry.latency_ms = 600_000
        screen = DigestSearchScreen(ui.app.client, ui.app.table.query, tag.digest, tag.name)
        await ui.app.push_screen(screen)
        await ui.pilot.pause(0.1)
        (worker,) = [w for w in screen.workers if w.group == "digest-search"]
        assert worker.is_running
        await ui.pilot.press("escape")
        await ui.pilot.pause()
        assert not isinstance(ui.app.screen, DigestSearchScreen)
        # Ended by the cancel, not by an answer (the app's other reads are not waited for).
        await poll_until(ui.pilot, lambda: worker.is_finished, 5)
        assert worker.is_cancelled
        assert screen.matches is None


async def test_digest_search_error_is_inline_and_retryable(start: Start, registry: FakeRegistry) -> None:
    async with start(repository="acme/webapp") as ui:
        registry.faults.add(FaultRule("tags", "status", 500, times=1))
        screen = await search(ui, "latest")
        assert screen.matches is None
        assert screen.error is not None
        status = " ".join(plain(screen.query_one("#digest-search-status", Static).content).split())
        assert "HTTP 500 while loading the tags of acme/webapp" in status
        assert "Press r to try again or escape to close." in status
        await ui.press("r")
        assert screen.error is None
        assert screen.matches == ["latest", "v2.4.1"]


# -- hostile names ------------------------------------------------------------------------------

HOSTILE = "[/]PWNED\x1b]52;c;cHduZWQ=\x07[link=https://x.invalid]$x"
DIGEST = "sha256:" + "e" * 64


class TableAndDetail(App[None]):
    def __init__(self, tags: list[Tag]) -> None:
        super().__init__()
        self.tags = tags

    async def load(self, query: TagQuery, offset: int, limit: int) -> Page[Tag]:
        return Page(tuple(self.tags[offset : offset + limit]), offset, limit, len(self.tags))

    def compose(self) -> ComposeResult:
        table = TagTable(self.load, id="tags")
        yield table
        yield TagDetail(digests=table.digests, id="detail")


async def test_hostile_names_in_a_group_are_escaped() -> None:
    tags = [
        Tag(name="latest", digest=DIGEST),
        Tag(name=HOSTILE, digest=DIGEST),
        Tag(name="x", digest="sha256:1"),
    ]
    app = TableAndDetail(tags)
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.query_one(TagTable)
        table.show(TagQuery("ns", "repo"))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        line = table.render_line(2).text
        assert "\x1b" not in line
        assert "\x07" not in line
        assert line.startswith(table.digests.mark(DIGEST).glyph + " [/]PWNED\\x1b]52")  # type: ignore[union-attr]
        detail = app.query_one(TagDetail)
        detail.show_tag(tags[0])
        await pilot.pause()
        text = " ".join(plain(app.query_one("#detail-facts", Static).content).split())
        assert "\x1b" not in text
        assert "Same digest [/]PWNED\\x1b]52;c;cHduZWQ=\\x07[link=https://x.invalid]$x" in text
