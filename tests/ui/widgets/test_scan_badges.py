"""The scan badges: severity counts most severe first, each badge spelling its severity (colour is
never the only carrier), one line per report with totals, scanner, status and end time; registry
text escaped and cut."""

from __future__ import annotations

from typing import Any

import pytest
from rich.style import Style
from rich.text import Text

from swr_tui.fake import enterprise_data as ee
from swr_tui.fake.dataset import DEFAULT_ANCHOR
from swr_tui.swr.enterprise.scans import ScanOverview, scan_overviews
from swr_tui.ui.widgets.scan_badges import (
    SEVERITY_WORD_CHARS,
    badges,
    scan_lines,
    severity_badges,
    severity_counts,
)

EVERY_SEVERITY = {"Low": 1, "Critical": 3, "High": 5, "Medium": 2, "Unknown": 1}
TRIVY = {"name": "Trivy", "vendor": "Aqua Security", "version": "v0.50.1"}


def overview(status: str = "Success", counts: Any = None, **fields: Any) -> ScanOverview:
    data = {
        "scan_status": status,
        "summary": {"total": 12, "fixable": 9, "summary": EVERY_SEVERITY if counts is None else counts},
        "scanner": TRIVY,
        "complete_percent": 40,
        **fields,
    }
    return ScanOverview.from_api(ee.REPORT_TYPE, data)


def styled(text: Text) -> list[tuple[str, Style]]:
    """Each styled run of ``text``: its characters and its style."""
    return [(text.plain[span.start : span.end], Style.parse(str(span.style))) for span in text.spans]


def test_every_severity_most_severe_first_each_spelled_and_coloured() -> None:
    line = severity_badges(overview())
    assert line.plain == " 3 critical   5 high   2 medium   1 low   1 unknown "
    runs = styled(line)
    assert [run for run, _ in runs] == [" 3 critical ", " 5 high ", " 2 medium ", " 1 low ", " 1 unknown "]
    critical, high, medium, low, unknown = (style for _, style in runs)
    assert (critical.color.name, critical.bgcolor.name, critical.bold) == ("bright_white", "red", True)
    assert (high.color.name, high.bgcolor) == ("red", None)
    assert medium.color.name == "yellow"
    assert low.color.name == "cyan"
    assert (unknown.dim, unknown.color) == (True, None)


def test_the_detail_line_for_each_status() -> None:
    ended = "2026-12-01T09:01:12Z"
    expected = {
        "Success": " 3 critical   5 high   2 medium   1 low   1 unknown   12 total, 9 fixable · "
        "Trivy v0.50.1 · Success · ended 2026-12-01 09:01:12 UTC",
        "Running": " 3 critical   5 high   2 medium   1 low   1 unknown   12 total, 9 fixable · "
        "Trivy v0.50.1 · Running 40% · ended 2026-12-01 09:01:12 UTC",
    }
    for status, line in expected.items():
        assert scan_lines([overview(status, end_time=ended)]).plain == line
    empty: dict[str, int] = {}
    pending = overview("Pending", counts=empty, summary={})
    assert scan_lines([pending]).plain == "Trivy v0.50.1 · Pending"
    failed = scan_lines([overview("ERROR", counts=empty, summary={})])
    assert failed.plain == "Trivy v0.50.1 · Error"
    assert styled(failed)[-1] == ("Error", Style(color="red"))
    never = ScanOverview.from_api(ee.REPORT_TYPE, {})
    assert scan_lines([never]).plain == "not scanned"
    assert scan_lines([]).plain == "not scanned"
    clean = overview("Success", counts={"Low": 0}, summary={"total": 0, "fixable": 0, "summary": {}})
    expected = "no vulnerabilities found  0 total, 0 fixable · Trivy v0.50.1 · Success"
    assert scan_lines([clean]).plain == expected


def test_the_fakes_showcase_artifact_as_the_api_sends_it() -> None:
    artifact = ee.FakeArtifact(1, "sha256:" + "a" * 64, DEFAULT_ANCHOR, ("v1",), cves=12)
    (found,) = scan_overviews(ee.scan_overview(artifact))
    assert scan_lines([found]).plain.startswith(
        " 3 critical   3 high   2 medium   2 low   2 unknown   12 total, 10 fixable · Trivy v0.50.1 · Success"
    )


def test_unknown_and_hostile_severities_rank_last_escaped_and_cut() -> None:
    hostile = "\x1b]52;c;aGk=\x07[bold]x" + "y" * 10_000
    line = badges([("Negligible", 4), (hostile, 1), ("HIGH", 2), ("Low", 0)])
    assert line.plain.startswith(" 2 high   4 negligible   1 \\x1b]52;c;")
    assert "\x1b" not in line.plain
    assert "\x07" not in line.plain
    assert len(line.plain) < 60 + 2 * SEVERITY_WORD_CHARS
    assert "low" not in line.plain  # counted 0: left out
    assert badges([]).plain == ""


def test_a_hostile_scanner_and_status_are_escaped() -> None:
    named = overview("\u202eSuccess", scanner={"name": "Trivy\x1b[2J", "version": "[link=x]v1[/]"})
    text = scan_lines([named]).plain
    assert "Trivy\\x1b[2J [link=x]v1[/]" in text
    assert "\\u202eSuccess" in text
    assert "\x1b" not in text
    assert "\u202e" not in text


@pytest.mark.parametrize(
    ("severities", "expected"),
    [
        (["High", "HIGH", "low", "", "Bogus"], [("high", 2), ("low", 1), ("bogus", 1), ("unknown", 1)]),
        ([], []),
    ],
)
def test_severity_counts_of_a_report(severities: list[str], expected: list[tuple[str, int]]) -> None:
    found = severity_counts(severities)
    assert list(found) == expected
