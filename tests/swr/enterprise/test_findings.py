"""A report's CVEs (``Findings``): sorted from the answer's records as the records themselves sort,
made into records only when read, merged across reports, counted and cut by severity without making
any."""

from __future__ import annotations

import math
from typing import Any

from swr_tui.swr.enterprise.scans import Findings, Vulnerability, VulnerabilityReport, at_least
from swr_tui.ui.widgets.scan_badges import severity_counts

ODD_SCORES: list[Any] = [9.8, "7.5", True, None, float("nan"), "high", 10, -1, [1], {"x": 1}, 1e308, 5]
ODD_SEVERITIES: list[Any] = [
    "Critical",
    "HIGH",
    " high ",
    "Medium",
    "low",
    "Negligible",
    "",
    None,
    7,
    "Unknown",
]


def odd_records(count: int) -> list[Any]:
    """Records with every field missing, null or of the wrong type somewhere, ties included."""
    records: list[Any] = []
    for n in range(count):
        record: dict[str, Any] = {"package": f"p{n % 7}"}
        if n % 5:
            record["id"] = f"CVE-2024-{n % 40:04d}"
        if n % 11:
            record["severity"] = ODD_SEVERITIES[n % len(ODD_SEVERITIES)]
        score = ODD_SCORES[n % len(ODD_SCORES)]
        if n % 3 == 0:
            record["preferred_cvss"] = {"score_v3": score}
        elif n % 3 == 1:
            record["preferred_cvss"] = {"score_v3": None, "score_v2": score}
        records.append(record)
    return [*records, "not a record", None, 42]


def record_order(item: Vulnerability) -> tuple[int, float, str, str]:
    score = item.score if item.score is not None else -1.0
    return (-item.rank, -score, item.id, item.package)


def test_the_answers_records_sort_as_the_records_made_of_them() -> None:
    raw = odd_records(400)
    findings = Findings.from_api(raw)
    made = [Vulnerability.from_api(item) for item in raw if isinstance(item, dict)]
    assert len(findings) == 400
    assert [record_order(item) for item in findings] == sorted(record_order(item) for item in made)
    assert sorted(findings, key=repr) == sorted(made, key=repr)  # the same records
    assert all(not math.isnan(item.score) for item in findings if item.score is not None)


def test_records_are_made_when_read_and_made_once() -> None:
    findings = Findings.from_api([{"id": f"CVE-{n}", "severity": "High"} for n in range(1_000)])
    assert findings.made() == 0
    first = findings[0]
    assert findings[0] is first
    assert findings[-1].id == "CVE-999"
    assert findings.made() == 2
    assert findings[1:3] == (findings[1], findings[2])
    assert findings.made() == 4
    assert findings == tuple(findings)
    assert findings != tuple(findings)[:-1]


def test_several_reports_merge_most_severe_first() -> None:
    trivy = Findings.from_api([{"id": "CVE-1", "severity": "Low"}, {"id": "CVE-2", "severity": "High"}])
    clair = Findings.from_api([{"id": "CVE-3", "severity": "Critical"}, {"id": "CVE-4", "severity": "High"}])
    merged = Findings.merged([trivy, clair])
    assert [item.id for item in merged] == ["CVE-3", "CVE-2", "CVE-4", "CVE-1"]
    assert Findings.merged([trivy]) is trivy
    assert len(Findings.merged([])) == 0


def test_counts_and_the_severity_floor_make_no_record_they_do_not_return() -> None:
    raw = [
        {"id": f"CVE-{n}", "severity": ("Critical", "HIGH", "High", "low", "Negligible")[n % 5]}
        for n in range(50)
    ]
    findings = VulnerabilityReport.from_api(
        "application/vnd.security.vulnerability.report", {"vulnerabilities": raw}
    )
    found = findings.vulnerabilities
    assert severity_counts(found.severities) == (
        ("critical", 10),
        ("high", 20),
        ("low", 10),
        ("negligible", 10),
    )
    assert found.made() == 0
    high = at_least(found, "high")
    assert [item.severity for item in high[:10]] == ["Critical"] * 10
    assert {item.severity for item in high[10:]} == {"HIGH", "High"}
    assert len(high) == 30
    assert found.made() == 30
    assert list(found.ranks()).count(0) == 10
