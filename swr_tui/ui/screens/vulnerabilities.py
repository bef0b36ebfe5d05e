"""``v``: an artifact's vulnerability report, one line per CVE (severity, id, package, version, fix
version, score), most severe first, under a header with the counts as badges, the scanner and the
total; the highlighted CVE's description and links below.

``/`` narrows the list as you type (id, package, versions, severity; "N of M" in the header), ``c``
copies the highlighted CVE id, ``enter`` gives the description more room, ``r`` reads the report
again after a failure, ``escape`` clears the filter, then closes. The list is virtual: 10,000 CVEs
open as fast as 10. Registry text is only ever shown escaped.
"""

from __future__ import annotations

import asyncio
import re
from bisect import bisect_left
from collections.abc import Awaitable, Sequence
from typing import Any, Callable, ClassVar, Optional

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import Worker

from ...references import clip, quoted
from ...safe_text import scrub
from ...swr.enterprise.scans import Findings, Vulnerability, VulnerabilityReport
from ...swr.errors import SwrError
from ...swr.models import field_text
from ..toasts import say
from ..widgets.scan_badges import badges, scan_time, severity_counts, severity_word
from ..widgets.vulnerability_list import VulnerabilityList
from ..worker_errors import ReportsWorkerFailures

ReportLoader = Callable[[], Awaitable[tuple[VulnerabilityReport, ...]]]

# A description is cut here in the pane: some scanners send 10 kB of advisory text, and the pane is
# laid out again on every cursor move.
DESCRIPTION_CHARS = 4_000
LINKS_SHOWN = 10  # links listed under a description; the rest are counted
ERROR_CHARS = 300  # a failure is one line: the error's text is cut here
# What a vulnerability id may be to reach the clipboard (CVE-2024-1234, GHSA-xxxx-xxxx-xxxx,
# RHSA-2024:1234): no space, quote, line break or control character to paste into a shell.
VULNERABILITY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def open_vulnerabilities(app: App[Any], title: str, load: ReportLoader) -> None:
    """Push the Vulnerabilities view of ``title`` (e.g. ``ns/repo:tag``); ``load`` reads the report."""
    app.push_screen(VulnerabilitiesScreen(title, load))


# What the filter searches in: the fields of a Vulnerability, which are also the answer's keys.
SEARCHED = ("id", "package", "version", "fix_version", "severity")


def haystack(item: Vulnerability) -> str:
    """What the filter searches in, case-folded: id, package, version, fix version, severity."""
    return "\n".join([getattr(item, key) for key in SEARCHED]).casefold()


def haystacks(findings: Findings) -> list[str]:
    """``haystack`` of every CVE, read from the answer's records: no record is made for it."""
    return ["\n".join([field_text(raw, key) for key in SEARCHED]).casefold() for raw in findings.raw()]


class Picked(Sequence[Vulnerability]):
    """The filter's matches: positions in the whole list, whose records are made when drawn."""

    def __init__(self, findings: Findings, positions: list[int]) -> None:
        self.findings, self.positions = findings, positions

    def __len__(self) -> int:
        return len(self.positions)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return tuple(self.findings[position] for position in self.positions[index])
        return self.findings[self.positions[index]]


def detail_text(item: Optional[Vulnerability]) -> Text:
    """The highlighted CVE: id, severity, score, package and fix, CWEs, description, links."""
    if item is None:
        return Text("")
    text = Text(scrub(item.id) or "(no id)", style="bold")
    score = "-" if item.score is None else f"{item.score:g}"
    text.append(f"  {severity_word(item.severity)} · score {score}")
    package = scrub(item.package) or "(package not named)"
    version = f" {scrub(item.version)}" if item.version else ""
    fix = f" · fixed in {scrub(item.fix_version)}" if item.fix_version else " · no fix version"
    text.append(f"\n{package}{version}{fix}")
    if item.cwe_ids:
        text.append("\n" + ", ".join(scrub(cwe) for cwe in item.cwe_ids), style="dim")
    description = item.description or "(no description)"
    if len(description) > DESCRIPTION_CHARS:
        hidden = len(description) - DESCRIPTION_CHARS
        description = f"{description[:DESCRIPTION_CHARS]} … +{hidden:,} chars"
    text.append("\n" + scrub(description, keep_newlines=True))
    for link in item.links[:LINKS_SHOWN]:
        text.append("\n" + scrub(link), style="underline")
    if len(item.links) > LINKS_SHOWN:
        text.append(f"\n… {len(item.links) - LINKS_SHOWN:,} more links", style="dim")
    return text


class VulnerabilitiesScreen(ReportsWorkerFailures, Screen[None]):
    DEFAULT_CSS = """
    VulnerabilitiesScreen {
        layout: vertical;
    }
    VulnerabilitiesScreen > #vulns-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    VulnerabilitiesScreen > #vulns-header {
        height: auto;
        padding: 0 1;
        border-bottom: solid $primary-muted;
    }
    VulnerabilitiesScreen > #vulns-header.-error {
        color: $text-error;
    }
    VulnerabilitiesScreen > #vulns-filter {
        display: none;
    }
    VulnerabilitiesScreen > #vulns-filter.-visible {
        display: block;
    }
    VulnerabilitiesScreen > #vulns-detail-box {
        height: 8;
        padding: 0 1;
        border-top: solid $primary-muted;
    }
    VulnerabilitiesScreen > #vulns-detail-box.-expanded {
        height: 2fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
        Binding("c", "copy_id", "Copy CVE id"),
        Binding("enter", "expand", "Description"),
        Binding("r", "retry", "Retry", show=False),
        Binding("escape", "back", "Back"),
        Binding("q", "close", "Back", show=False),
    ]

    def __init__(self, title: str, load: ReportLoader) -> None:
        super().__init__()
        self.report_title = title
        self._read_report = load
        self.reports: Optional[tuple[VulnerabilityReport, ...]] = None  # once read
        self.error: Optional[str] = None  # the last read's failure, shown in the header
        self.vulnerabilities = Findings()  # the whole report, most severe first
        self._haystacks: Optional[list[str]] = None  # built at the first filter
        self._positions: Optional[list[int]] = None  # the filter's matches in ``vulnerabilities``
        self.reading: Optional[Worker[None]] = None

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Vulnerabilities of {scrub(self.report_title)}"), id="vulns-title")
        yield Static("", id="vulns-header")
        yield Input(
            placeholder="CVE, package, version or severity · enter keeps it, escape clears it",
            id="vulns-filter",
        )
        yield VulnerabilityList(id="vulns-list")
        with VerticalScroll(id="vulns-detail-box", can_focus=False):
            yield Static("", id="vulns-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.cve_list.focus()
        self._start()

    def on_unmount(self) -> None:
        """Let go of the report: a screen is freed by the cycle collector, whenever it next runs a
        full pass, and a report of 10,000 CVEs made that pass take some 100 ms longer. Dropped
        here, it is freed at once, by reference counting."""
        self.reports, self._haystacks, self._positions = None, None, None
        self.vulnerabilities = Findings()  # the list lets go of its rows itself

    @property
    def cve_list(self) -> VulnerabilityList:
        return self.query_one("#vulns-list", VulnerabilityList)

    @property
    def filter_text(self) -> str:
        return self.query_one("#vulns-filter", Input).value.strip()

    # -- reading the report ---------------------------------------------------------------------

    def _start(self) -> None:
        self.error = None
        self._header(Text("Reading the vulnerability report…", style="dim"))
        worker: Worker[None] = self.run_worker(
            self._read, group="vulnerabilities", exclusive=True, exit_on_error=False
        )
        self.reading = worker

    async def _read(self) -> None:
        try:
            reports = await self._read_report()
        except asyncio.CancelledError:
            raise
        except SwrError as error:
            self._failed(f"{scrub(str(error)).rstrip('.')}.")
            return
        except Exception as error:  # a bug must not take the app down, nor show a traceback
            self._failed(f"Unexpected error: {type(error).__name__}.")
            return
        self.show_reports(reports)

    def _failed(self, why: str) -> None:
        self.error = f"The vulnerabilities could not be read: {clip(why, ERROR_CHARS)} Press r to try again."
        self._header(Text(self.error), error=True)

    def show_reports(self, reports: tuple[VulnerabilityReport, ...]) -> None:
        """Show what was read (the benchmark hands a report over here)."""
        self.reports = reports
        self.vulnerabilities = Findings.merged(report.vulnerabilities for report in reports)
        self._haystacks = self._positions = None
        self._show_rows()

    def _show_rows(self) -> None:
        everything = self.vulnerabilities
        wanted = self.filter_text.casefold()
        shown = self._shown_position()
        rows: Sequence[Vulnerability] = everything
        self._positions = None
        if wanted:
            if self._haystacks is None:
                self._haystacks = haystacks(everything)
            self._positions = [position for position, hay in enumerate(self._haystacks) if wanted in hay]
            rows = Picked(everything, self._positions)
        cursor = 0
        if shown is not None:  # the cursor stays on its CVE while it is listed
            if self._positions is None:
                cursor = shown
            else:
                at = bisect_left(self._positions, shown)
                cursor = at if at < len(self._positions) and self._positions[at] == shown else 0
        message = ""
        if not rows:
            if wanted:
                message = f'No vulnerability matches "{quoted(self.filter_text)}": escape clears the filter.'
            elif self.reports == ():
                message = "Never scanned: there is no vulnerability report for this artifact."
            else:
                message = "No vulnerabilities found."
        self.cve_list.show(rows, message, cursor)
        self._header(self._summary(len(rows)))

    def _shown_position(self) -> Optional[int]:
        """Where the highlighted CVE is in the whole list, if one is highlighted."""
        listed = self.cve_list
        if not 0 <= listed.cursor < len(listed.rows):
            return None
        if isinstance(listed.rows, Picked):
            return (
                listed.rows.positions[listed.cursor] if listed.rows.findings is self.vulnerabilities else None
            )
        return listed.cursor if listed.rows is self.vulnerabilities else None

    def _summary(self, shown: int) -> Text:
        reports = self.reports or ()
        if not reports:
            return Text("Not scanned: this artifact has no vulnerability report.")
        total = len(self.vulnerabilities)
        line = badges(severity_counts(self.vulnerabilities.severities))
        if line:
            line.append("  ")
        if self.filter_text:
            line.append(f'{shown:,} of {total:,} vulnerabilities match "{quoted(self.filter_text)}"')
        elif total:
            line.append(f"{total:,} vulnerabilit{'y' if total == 1 else 'ies'}")
        else:
            line.append("No vulnerabilities found")
        scanners = sorted({clip(scrub(str(report.scanner)), 60) for report in reports} - {""})
        if scanners:
            line.append(f" · {', '.join(scanners)}")
        when = next((report.generated_at for report in reports if report.generated_at), "")
        if when:
            line.append(f" · scanned {scan_time(when)}", style="dim")
        return line

    def _header(self, text: Text, error: bool = False) -> None:
        header = self.query_one("#vulns-header", Static)
        header.set_class(error, "-error")
        header.update(text)

    # -- the highlighted CVE --------------------------------------------------------------------

    @on(VulnerabilityList.Highlighted)
    def _highlighted(self, event: VulnerabilityList.Highlighted) -> None:
        self.query_one("#vulns-detail", Static).update(detail_text(event.vulnerability))
        self.query_one("#vulns-detail-box", VerticalScroll).scroll_home(animate=False)

    def action_copy_id(self) -> None:
        item = self.cve_list.highlighted
        if item is None or not item.id:
            say(self, "No CVE id to copy here", severity="warning")
            return
        if not VULNERABILITY_ID.fullmatch(item.id):
            say(
                self,
                f"The CVE id '{quoted(item.id)}' is not copied: only letters, digits and . _ - : make one",
                title="Not copied",
                severity="error",
                timeout=8,
            )
            return
        self.app.copy_to_clipboard(item.id)
        say(self, item.id, title="Copied the CVE id", timeout=3)

    def action_expand(self) -> None:
        self.query_one("#vulns-detail-box", VerticalScroll).toggle_class("-expanded")

    # -- the filter -----------------------------------------------------------------------------

    def action_filter(self) -> None:
        field = self.query_one("#vulns-filter", Input)
        field.add_class("-visible")
        field.focus()

    @on(Input.Changed, "#vulns-filter")
    def _filter_changed(self) -> None:
        if self.reports is not None:
            self._show_rows()

    @on(Input.Submitted, "#vulns-filter")
    def _filter_kept(self) -> None:
        field = self.query_one("#vulns-filter", Input)
        if not field.value.strip():
            field.remove_class("-visible")
        self.cve_list.focus()

    def _clear_filter(self) -> None:
        field = self.query_one("#vulns-filter", Input)
        field.value = ""  # Input.Changed shows every row again
        field.remove_class("-visible")
        self.cve_list.focus()

    # -- leaving --------------------------------------------------------------------------------

    def action_back(self) -> None:
        """escape: leave the filter (clearing it), then clear a kept filter, then close."""
        field = self.query_one("#vulns-filter", Input)
        if field.has_focus or field.value:
            self._clear_filter()
            return
        self.action_close()

    def action_retry(self) -> None:
        if self.error is not None:
            self._start()

    def action_close(self) -> None:
        self.workers.cancel_group(self, "vulnerabilities")
        self.dismiss(None)
