"""Vulnerability scan results: the overview on an artifact and the full report, with severities ranked.

Field names are the SDK's (``NativeReportSummary``, ``VulnerabilitySummary``, ``Scanner``,
``VulnerabilityReports``, ``Vulnerability``, ``VulnerabilityPreferredCvss``). Both the overview and
the report are objects keyed by the report's MIME type. A record with fields missing, null or of the
wrong type keeps what it has; an unknown severity ranks below ``Low``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple, Optional, Union, overload

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


SortKey = tuple[int, float, str, str, str]


def _sort_key(data: Mapping[str, Any]) -> SortKey:
    """Most severe first, then the highest score, then by id and package; read from the answer's
    record as ``Vulnerability.from_api`` reads it (the severity last: how it was spelled)."""
    cvss = as_mapping(data.get("preferred_cvss"))
    v3 = _score(cvss, "score_v3")
    score = v3 if v3 is not None else _score(cvss, "score_v2")
    severity = field_text(data, "severity")
    return (
        -severity_rank(severity),
        -(score if score is not None else -1.0),
        field_text(data, "id"),
        field_text(data, "package"),
        severity,
    )


_KEY = itemgetter(0)


class Findings(Sequence[Vulnerability]):
    """CVEs, most severe first, each made into a ``Vulnerability`` only when first read.

    Sorting needs five fields of each record, making the record all nine: the Vulnerabilities view's
    first frame shows 40 of a report's 10,000 CVEs, and making all of them took longer than decoding
    the answer. ``severities`` (as sent, in order) serves the counts without making any record.
    """

    __slots__ = ("__weakref__", "_keys", "_made", "_raw")

    def __init__(self, pairs: Sequence[tuple[SortKey, Mapping[str, Any]]] = ()) -> None:
        """``pairs``: (sort key, the answer's record), sorted by key."""
        self._keys = [key for key, _ in pairs]
        self._raw = [raw for _, raw in pairs]
        self._made: list[Optional[Vulnerability]] = [None] * len(pairs)

    @classmethod
    def from_api(cls, data: object) -> Findings:
        """The ``vulnerabilities`` list of a report; anything in it that is not an object is left out."""
        items = data if isinstance(data, list) else []
        return cls(sorted(((_sort_key(item), item) for item in items if isinstance(item, dict)), key=_KEY))

    @classmethod
    def merged(cls, parts: Iterable[Findings]) -> Findings:
        """Several reports' CVEs as one list, most severe first."""
        parts = list(parts)
        if len(parts) == 1:
            return parts[0]
        pairs = [pair for part in parts for pair in zip(part._keys, part._raw)]
        return cls(sorted(pairs, key=_KEY))

    @property
    def severities(self) -> list[str]:
        return [key[4] for key in self._keys]

    def raw(self) -> list[Mapping[str, Any]]:
        """The answer's records, in order."""
        return self._raw

    def made(self) -> int:
        """How many records have been made so far."""
        return len(self._made) - self._made.count(None)

    def ranks(self) -> Iterator[int]:
        return (-key[0] for key in self._keys)

    def __len__(self) -> int:
        return len(self._raw)

    @overload
    def __getitem__(self, index: int) -> Vulnerability: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Vulnerability, ...]: ...

    def __getitem__(self, index: Union[int, slice]) -> Union[Vulnerability, tuple[Vulnerability, ...]]:
        if isinstance(index, slice):
            return tuple(self[position] for position in range(*index.indices(len(self))))
        made = self._made[index]
        if made is None:
            made = self._made[index] = Vulnerability.from_api(self._raw[index])
        return made

    def __iter__(self) -> Iterator[Vulnerability]:
        for position in range(len(self._raw)):
            yield self[position]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (Findings, tuple, list)):
            return NotImplemented
        return len(self) == len(other) and all(mine == theirs for mine, theirs in zip(self, other))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Findings({len(self):,} vulnerabilities)"


@dataclass(frozen=True)
class VulnerabilityReport:
    """One scanner's report; ``vulnerabilities`` sorted by severity, most severe first."""

    mime_type: str
    generated_at: str = ""
    severity: str = ""
    scanner: Scanner = Scanner()
    vulnerabilities: Findings = field(default_factory=Findings)

    @classmethod
    def from_api(cls, mime_type: str, data: object) -> VulnerabilityReport:
        data = as_mapping(data)
        return cls(
            mime_type=mime_type,
            generated_at=field_text(data, "generated_at"),
            severity=field_text(data, "severity"),
            scanner=Scanner.from_api(data.get("scanner")),
            vulnerabilities=Findings.from_api(data.get("vulnerabilities")),
        )

    def at_least(self, severity: str) -> tuple[Vulnerability, ...]:
        return at_least(self.vulnerabilities, severity)


def at_least(findings: Findings, severity: str) -> tuple[Vulnerability, ...]:
    """The CVEs of ``severity`` and above, most severe first (only those are made into records)."""
    floor = severity_rank(severity)
    return tuple(findings[position] for position, rank in enumerate(findings.ranks()) if rank >= floor)


def reports_from_api(data: object) -> tuple[VulnerabilityReport, ...]:
    return tuple(VulnerabilityReport.from_api(str(key), value) for key, value in as_mapping(data).items())
