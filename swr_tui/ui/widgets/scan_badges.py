"""A scan's results at a glance: the severity counts as coloured badges, most severe first, and a
line per report with the totals, the scanner, the status and when the scan ended.

Colour is never the only carrier: each badge spells its severity, so the line reads the same in 16
colours and under NO_COLOR. Severity names and scanner names come from the registry: scrubbed and
cut. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timezone

from rich.style import Style
from rich.text import Text

from ...formatting import plausible_time
from ...references import clip
from ...safe_text import scrub
from ...swr.enterprise.scans import ScanOverview, severity_rank

# A severity the registry names is shown at most this long: a 10 kB "severity" must not push the
# other badges off the line.
SEVERITY_WORD_CHARS = 16
SCANNER_CHARS = 60  # the scanner's name and version, cut: one line in the detail pane
NOT_SCANNED = "not scanned"

# Readable in 16 colours: a background only where the foreground is white on it.
SEVERITY_STYLES = {
    4: Style(color="bright_white", bgcolor="red", bold=True),  # critical
    3: Style(color="red", bold=True),  # high
    2: Style(color="yellow"),  # medium
    1: Style(color="cyan"),  # low
}
UNKNOWN_STYLE = Style(dim=True)
ERROR_STYLE = Style(color="red")

SeverityCounts = Sequence[tuple[str, int]]


def severity_word(severity: str) -> str:
    """How a severity is named on screen: lower case, escaped, cut; ``unknown`` when empty."""
    word = scrub(severity.strip().lower()) or "unknown"
    return clip(word, SEVERITY_WORD_CHARS)


def severity_style(severity: str) -> Style:
    return SEVERITY_STYLES.get(severity_rank(severity), UNKNOWN_STYLE)


def severity_counts(severities: Iterable[str]) -> tuple[tuple[str, int], ...]:
    """(severity, count) over a report's severities as sent, most severe first; spellings of one
    severity ("High", "HIGH") count together under the word shown."""
    sent: dict[str, int] = {}
    for severity in severities:  # a report has a few spellings and thousands of CVEs
        sent[severity] = sent.get(severity, 0) + 1
    counts: dict[str, int] = {}
    for severity, count in sent.items():
        word = severity_word(severity)
        counts[word] = counts.get(word, 0) + count
    return tuple(sorted(counts.items(), key=lambda pair: (-severity_rank(pair[0]), pair[0])))


def badges(counts: SeverityCounts) -> Text:
    """`` 3 critical `` `` 5 high `` …, most severe first; severities counted 0 left out."""
    text = Text()
    for severity, count in sorted(counts, key=lambda pair: -severity_rank(pair[0])):
        if count <= 0:
            continue
        if text:
            text.append(" ")
        text.append(f" {count:,} {severity_word(severity)} ", style=severity_style(severity))
    return text


def severity_badges(overview: ScanOverview) -> Text:
    return badges(overview.counts)


def scan_status(overview: ScanOverview) -> Text:
    """Success, Running n%, Pending, Error (in red), not scanned; any other status as sent."""
    status = overview.scan_status.strip()
    known = status.lower()
    if not status:
        return Text(NOT_SCANNED, style="dim")
    if known == "running":
        return Text(f"Running {overview.complete_percent}%")
    if known == "error":
        return Text("Error", style=ERROR_STYLE)
    if known in ("success", "pending"):
        return Text(status.capitalize())
    return Text(clip(scrub(status), SEVERITY_WORD_CHARS))


def scan_time(value: str) -> str:
    """A scan time in UTC; the value as sent (escaped) when it is no plausible time."""
    moment = plausible_time(value)
    if moment is None:
        return clip(scrub(value), SEVERITY_WORD_CHARS * 2)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def scan_line(overview: ScanOverview) -> Text:
    """The badges (or why there are none), then totals · scanner · status · end time."""
    done = overview.scan_status.strip().lower() == "success"
    line = badges(overview.counts)
    if not line and done:
        line = Text("no vulnerabilities found", style="dim")
    facts: list[Text] = []
    if done or overview.total:
        facts.append(Text(f"{overview.total:,} total, {overview.fixable:,} fixable"))
    scanner = clip(scrub(str(overview.scanner)), SCANNER_CHARS)
    if scanner:
        facts.append(Text(scanner))
    facts.append(scan_status(overview))
    if overview.end_time:
        facts.append(Text(f"ended {scan_time(overview.end_time)}"))
    if line:
        line.append("  ")
    return line.append_text(Text(" · ").join(facts))


def scan_lines(overviews: Sequence[ScanOverview]) -> Text:
    """One line per report (usually one); ``not scanned`` when the artifact has none."""
    if not overviews:
        return Text(NOT_SCANNED, style="dim")
    return Text("\n").join(scan_line(overview) for overview in overviews)
