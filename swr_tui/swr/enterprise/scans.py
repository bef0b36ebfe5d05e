"""Vulnerability scan results: the overview on an artifact and the full report, with severities ranked.

Field names are the SDK's (``NativeReportSummary``, ``VulnerabilitySummary``, ``Scanner``,
``VulnerabilityReports``, ``Vulnerability``, ``VulnerabilityPreferredCvss``). Both the overview and
the report are objects keyed by the report's MIME type. A record with fields missing, null or of the
wrong type keeps what it has; an unknown severity ranks below ``Low``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, Optional

from ..models import as_mapping, field_int, field_strings, field_text

# Lowest to highest. The SDK documents Low, Medium, High and Critical for vulnerabilities; the
# overview's severity adds None and Security ("nothing found"), which rank as nothing.
SEVERITIES = ("low", "medium", "high", "critical")
_RANKS = {name: rank for rank, name in enumerate(SEVERITIES, start=1)}
UNKNOWN_RANK = 0


def severity_rank(severity: str) -> int:
    """1 (low) to 4 (critical); 0 for anything else (None, Unknown, Negligible, garbage)."""
    return _RANKS.get(severity.strip().lower(), UNKNOWN_RANK)


def _score(data: Mapping[str, Any], key: str) -> Optional[float]:
    value = data.get(key)
    if value.__class__ is float:  # the common case first: a report may hold 10,000 scores
        return value if math.isfinite(value) else None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class Scanner:
    name: str = ""
    vendor: str = ""
    version: str = ""

    @classmethod
    def from_api(cls, data: object) -> Scanner:
        data = as_mapping(data)
        return cls(
            name=field_text(data, "name"),
            vendor=field_text(data, "vendor"),
            version=field_text(data, "version"),
        )

    def __str__(self) -> str:
        return " ".join(part for part in (self.name, self.version) if part)


@dataclass(frozen=True)
class ScanOverview:
    """One report's summary on an artifact (``scan_overview[mime_type]``)."""

    mime_type: str
    scan_status: str = ""  # Pending, Running, Error, Success
    severity: str = ""
    total: int = 0
    fixable: int = 0
    counts: tuple[tuple[str, int], ...] = ()  # (severity, count), highest severity first
    scanner: Scanner = Scanner()
    start_time: str = ""
    end_time: str = ""
    complete_percent: int = 0

    @classmethod
    def from_api(cls, mime_type: str, data: object) -> ScanOverview:
        data = as_mapping(data)
        summary = as_mapping(data.get("summary"))
        raw_counts = as_mapping(summary.get("summary"))
        counts = sorted(
            ((str(name), field_int(raw_counts, name)) for name in raw_counts),
            key=lambda pair: (-severity_rank(pair[0]), pair[0]),
        )
        return cls(
            mime_type=mime_type,
            scan_status=field_text(data, "scan_status"),
            severity=field_text(data, "severity"),
            total=field_int(summary, "total"),
            fixable=field_int(summary, "fixable"),
            counts=tuple(counts),
            scanner=Scanner.from_api(data.get("scanner")),
            start_time=field_text(data, "start_time"),
            end_time=field_text(data, "end_time"),
            complete_percent=field_int(data, "complete_percent"),
        )


def scan_overviews(data: object) -> tuple[ScanOverview, ...]:
    return tuple(ScanOverview.from_api(str(key), value) for key, value in as_mapping(data).items())


class Vulnerability(NamedTuple):
    """One CVE of a report. A NamedTuple, not a frozen dataclass: a report may hold 10,000 and more,
    and the Vulnerabilities view's first frame waits for all of them (a NamedTuple is built about
    three times faster)."""

    id: str = ""  # the CVE id
    package: str = ""
    version: str = ""
    fix_version: str = ""
    severity: str = ""
    score: Optional[float] = None  # CVSS v3, else v2
    description: str = ""
    links: tuple[str, ...] = ()
    cwe_ids: tuple[str, ...] = ()

    @property
    def rank(self) -> int:
        return severity_rank(self.severity)

    @classmethod
    def from_api(cls, data: object) -> Vulnerability:
        data = as_mapping(data)
        cvss = as_mapping(data.get("preferred_cvss"))
        v3 = _score(cvss, "score_v3")
        return cls(  # positional: the fields' order (a NamedTuple builds faster so)
            field_text(data, "id"),
            field_text(data, "package"),
            field_text(data, "version"),
            field_text(data, "fix_version"),
            field_text(data, "severity"),
            v3 if v3 is not None else _score(cvss, "score_v2"),
            field_text(data, "description"),
            field_strings(data, "links"),
            field_strings(data, "cwe_ids"),
        )


def by_severity(vulnerability: Vulnerability) -> tuple[int, float, str, str]:
    """Sort key: the most severe first, then the highest score, then by id and package."""
    score = vulnerability.score if vulnerability.score is not None else -1.0
    return (-vulnerability.rank, -score, vulnerability.id, vulnerability.package)


@dataclass(frozen=True)
class VulnerabilityReport:
    """One scanner's report; ``vulnerabilities`` sorted by severity, most severe first."""

    mime_type: str
    generated_at: str = ""
    severity: str = ""
    scanner: Scanner = Scanner()
    vulnerabilities: tuple[Vulnerability, ...] = ()

    @classmethod
    def from_api(cls, mime_type: str, data: object) -> VulnerabilityReport:
        data = as_mapping(data)
        raw = data.get("vulnerabilities")
        items = raw if isinstance(raw, list) else []
        found = sorted(
            (Vulnerability.from_api(item) for item in items if isinstance(item, dict)), key=by_severity
        )
        return cls(
            mime_type=mime_type,
            generated_at=field_text(data, "generated_at"),
            severity=field_text(data, "severity"),
            scanner=Scanner.from_api(data.get("scanner")),
            vulnerabilities=tuple(found),
        )

    def at_least(self, severity: str) -> tuple[Vulnerability, ...]:
        floor = severity_rank(severity)
        return tuple(item for item in self.vulnerabilities if item.rank >= floor)


def reports_from_api(data: object) -> tuple[VulnerabilityReport, ...]:
    return tuple(VulnerabilityReport.from_api(str(key), value) for key, value in as_mapping(data).items())
