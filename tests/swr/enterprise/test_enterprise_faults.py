"""The Enterprise Edition client under faults, over real loopback HTTP: a body ``total`` missing,
drifting or absurd, every route's 403/500/HTML/malformed/wrong-shape answers, and vulnerability
reports with missing fields, 2,000 and 10,000 records."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Callable

import pytest
from fault_rules import arm

from swr_tui.fake import DEMO_PROJECT_ID, FakeRegistry
from swr_tui.fake import enterprise_data as ee
from swr_tui.swr.bulk import ListChangedError, fetch_all_stable
from swr_tui.swr.client import SwrClient
from swr_tui.swr.enterprise.client import EnterpriseClient
from swr_tui.swr.enterprise.scans import VulnerabilityReport, reports_from_api, severity_rank
from swr_tui.swr.errors import PermissionDeniedError, ResponseFormatError, ServerError
from swr_tui.swr.paging import ImplausibleTotalError

MakeClient = Callable[..., SwrClient]
Call = Callable[[EnterpriseClient], Awaitable[Any]]
SHOWCASE = ee.digest_of(ee.SHOWCASE_REPO, "v2")
ID = ee.RUNNING_ID

CALLS: dict[str, Call] = {
    "instances": lambda c: c.list_instances(),
    "instance": lambda c: c.show_instance(ID),
    "instance-statistics": lambda c: c.statistics(ID),
    "instance-namespaces": lambda c: c.list_namespaces(ID),
    "instance-repos": lambda c: c.list_repositories(ID, ee.APPS),
    "artifacts": lambda c: c.list_artifacts(ID, ee.APPS, ee.SHOWCASE_REPO),
    "artifact": lambda c: c.show_artifact(ID, ee.APPS, ee.SHOWCASE_REPO, SHOWCASE),
    "vulnerabilities": lambda c: c.list_vulnerabilities(ID, ee.APPS, ee.SHOWCASE_REPO, SHOWCASE),
    "build-history": lambda c: c.build_history(ID, ee.APPS, ee.SHOWCASE_REPO, SHOWCASE),
    "instance-accessories": lambda c: c.list_accessories(ID, ee.APPS, ee.SHOWCASE_REPO, SHOWCASE),
    "instance-tags": lambda c: c.list_tags(ID, ee.APPS, ee.SHOWCASE_REPO),
}
LISTS = (
    "instances",
    "instance-namespaces",
    "instance-repos",
    "artifacts",
    "instance-accessories",
    "instance-tags",
)


async def read_all(
    enterprise: EnterpriseClient, namespace: str, repository: str, *, page_size: int, window: int
) -> list[Any]:
    """Every artifact through the bulk read, as ``tags --all`` reads them."""

    async def fetch(offset: int, limit: int) -> Any:
        return await enterprise.list_artifacts(ID, namespace, repository, offset=offset, limit=limit)

    return await fetch_all_stable(fetch, page_size, window, f"the artifacts of {namespace}/{repository}")


def one_line(error: BaseException) -> str:
    text = str(error)
    assert text
    assert "\n" not in text
    assert "Traceback" not in text
    return text


@pytest.mark.parametrize("route", sorted(CALLS))
async def test_every_call_answers_and_is_a_get(
    route: str, make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        answer = await CALLS[route](EnterpriseClient(client, DEMO_PROJECT_ID))
    assert answer
    assert [(request.route, request.method, request.status) for request in registry.requests] == [
        (route, "GET", 200)
    ]


@pytest.mark.parametrize(
    ("fault", "error", "words"),
    [
        ("403", PermissionDeniedError, "Permission denied"),
        ("502", ServerError, "HTTP 502"),
        ("malformed", ResponseFormatError, "is not JSON"),
        ("wrong-shape", ResponseFormatError, "is JSON but not"),
    ],
)
@pytest.mark.parametrize("route", sorted(CALLS))
async def test_every_route_fails_in_one_clear_line(
    route: str, fault: str, error: type, words: str, make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, f"{route}:{fault}")
    async with make_client(retries=1) as client:
        with pytest.raises(error) as raised:
            await CALLS[route](EnterpriseClient(client, DEMO_PROJECT_ID))
    assert words in one_line(raised.value)


@pytest.mark.parametrize("route", LISTS)
async def test_a_missing_total_falls_back_to_the_page(
    route: str, make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, f"{route}:no-content-range")
    async with make_client() as client:
        page = await CALLS[route](EnterpriseClient(client, DEMO_PROJECT_ID))
    assert page.items
    assert page.total == len(page.items)  # a short page proves the end
    assert all('"total"' not in request.path for request in registry.requests)


async def test_without_a_total_every_artifact_is_still_read_page_by_page(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, "artifacts:no-content-range")
    async with make_client() as client:
        enterprise = EnterpriseClient(client, DEMO_PROJECT_ID)
        found = await read_all(enterprise, ee.APPS, ee.SHOWCASE_REPO, page_size=1, window=4)
    assert len(found) == 4
    assert registry.count(route="artifacts") == 5  # the fifth page is empty: the end


async def test_a_total_that_moves_between_pages_stops_the_read(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, "artifacts:total-drift=3")
    async with make_client() as client:
        enterprise = EnterpriseClient(client, DEMO_PROJECT_ID)
        with pytest.raises(ListChangedError) as moved:
            await read_all(enterprise, ee.CI, ee.BIG_REPO, page_size=100, window=4)
    assert "changed while being read" in one_line(moved.value)


async def test_a_total_below_the_rows_held_is_raised_to_them(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, "artifacts:total-drift=-4")
    async with make_client() as client:
        page = await EnterpriseClient(client, DEMO_PROJECT_ID).list_artifacts(ID, ee.APPS, ee.SHOWCASE_REPO)
    assert (len(page.items), page.total) == (4, 4)  # the body said 0


@pytest.mark.parametrize("size", ["", "=long"], ids=["trillion", "5000-digits"])
async def test_an_absurd_total_is_refused(size: str, make_client: MakeClient, registry: FakeRegistry) -> None:
    arm(registry, f"artifacts:huge-total{size}")
    async with make_client() as client:
        with pytest.raises(ResponseFormatError) as refused:
            await EnterpriseClient(client, DEMO_PROJECT_ID).list_artifacts(ID, ee.CI, ee.BIG_REPO)
    text = one_line(refused.value)
    assert isinstance(refused.value, ImplausibleTotalError) or "not JSON" in text
    assert registry.count(route="artifacts") == 1


async def test_an_empty_page_below_the_total_makes_the_bulk_read_start_again(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, "artifacts:empty-page+1x1")
    async with make_client() as client:
        enterprise = EnterpriseClient(client, DEMO_PROJECT_ID)
        found = await read_all(enterprise, ee.APPS, ee.SHOWCASE_REPO, page_size=2, window=1)
    assert [artifact.id for artifact in found] == [1001, 1002, 1003, 1004]
    assert [request.params["offset"] for request in registry.requests] == ["0", "2", "0", "2"]


async def test_two_thousand_cves_with_missing_fields_sorted_by_severity(make_client: MakeClient) -> None:
    digest = ee.digest_of(ee.CVE_REPO)
    async with make_client() as client:
        (report,) = await EnterpriseClient(client, DEMO_PROJECT_ID).list_vulnerabilities(
            ID, ee.LEGACY, ee.CVE_REPO, digest
        )
    found = report.vulnerabilities
    assert len(found) == ee.MANY_CVES
    assert (report.severity, str(report.scanner), report.mime_type) == (
        "Critical",
        "Trivy v0.50.1",
        ee.REPORT_TYPE,
    )
    ranks = [item.rank for item in found]
    assert ranks == sorted(ranks, reverse=True)
    assert {item.severity for item in found} == {"Critical", "High", "Medium", "Low", "Unknown"}
    sparse = next(item for item in found if item.id.endswith("-10010"))  # only id and severity were sent
    assert (sparse.package, sparse.version, sparse.fix_version, sparse.score, sparse.links) == (
        "",
        "",
        "",
        None,
        (),
    )
    assert sum(1 for item in found if not item.fix_version) >= ee.MANY_CVES // 5
    assert len(report.at_least("high")) == 800


async def test_an_artifact_never_scanned_has_no_report(make_client: MakeClient) -> None:
    untagged = ee.digest_of(ee.SHOWCASE_REPO, "untagged")
    async with make_client() as client:
        enterprise = EnterpriseClient(client, DEMO_PROJECT_ID)
        reports = await enterprise.list_vulnerabilities(ID, ee.APPS, ee.SHOWCASE_REPO, untagged)
        artifact = await enterprise.show_artifact(ID, ee.APPS, ee.SHOWCASE_REPO, untagged)
    assert reports == ()
    assert artifact.scan_overview == ()


def test_ten_thousand_cves_and_records_of_every_wrong_type_parse() -> None:
    records: list[Any] = [
        {"id": f"CVE-2024-{n:05d}", "severity": ("Low", "Critical", "High", "Medium")[n % 4],
         "preferred_cvss": {"score_v3": n % 10}, "package": f"p{n}"}
        for n in range(10_000)
    ]  # fmt: skip
    records += [
        {},
        {"id": None, "severity": 7, "preferred_cvss": "high", "links": "x", "cwe_ids": [None, 3]},
        {"id": "CVE-X", "severity": "CRITICAL", "preferred_cvss": {"score_v3": "nan", "score_v2": "6.1"}},
        "not a record",
    ]
    (report,) = reports_from_api({ee.REPORT_TYPE: {"vulnerabilities": records, "scanner": "trivy"}})
    assert isinstance(report, VulnerabilityReport)
    assert len(report.vulnerabilities) == 10_003
    assert report.vulnerabilities[0].id == "CVE-2024-00009"  # critical, score 9, the lowest id
    shouting = next(item for item in report.vulnerabilities if item.id == "CVE-X")
    assert (shouting.rank, shouting.score) == (severity_rank("critical"), 6.1)
    odd = next(item for item in report.vulnerabilities if item.severity == "7")
    assert (odd.id, odd.score, odd.links, odd.cwe_ids, odd.rank) == ("", None, (), ("3",), 0)
    assert report.vulnerabilities[-1].rank == 0
    assert reports_from_api(["not", "an", "object"]) == ()
