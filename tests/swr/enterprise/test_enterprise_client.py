"""The Enterprise Edition client (swr/enterprise/) against the fake registry over real loopback HTTP:
each call's parsed answer, the catalog's tag rows, the paging rules, ``%252F`` on the wire, the
instance checks (by name or id, Running only, 403 on the list)."""

from __future__ import annotations

from typing import Callable

import httpx
import pytest
from fault_rules import arm

from swr_tui.fake import DEMO_AK, DEMO_PROJECT_ID, DEMO_REGION, DEMO_SK, DEMO_TOKEN, FakeRegistry
from swr_tui.fake import enterprise_data as ee
from swr_tui.swr.auth import AkSkAuth
from swr_tui.swr.bulk import fetch_all_stable
from swr_tui.swr.catalog_protocol import ENTERPRISE, BasicCatalog, ImageCatalog
from swr_tui.swr.client import SwrClient
from swr_tui.swr.enterprise.catalog import EnterpriseCatalog
from swr_tui.swr.enterprise.client import (
    EnterpriseClient,
    InstanceNotFoundError,
    InstanceNotRunningError,
    enterprise_repo_segment,
    instances_for_sidebar,
    open_enterprise,
    sidebar_instances,
)
from swr_tui.swr.enterprise.models import UNTAGGED
from swr_tui.swr.errors import ConfigurationError, PermissionDeniedError
from swr_tui.swr.project_id import ProjectIdResolver

MakeClient = Callable[..., SwrClient]
PREFIX = f"/v2/{DEMO_PROJECT_ID}/instances/{ee.RUNNING_ID}"


async def catalog_of(client: SwrClient) -> EnterpriseCatalog:
    enterprise = EnterpriseClient(client, DEMO_PROJECT_ID)
    return EnterpriseCatalog(enterprise, await enterprise.open_instance(ee.RUNNING_NAME))


async def test_instances_with_their_fields(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client() as client:
        page = await EnterpriseClient(client, DEMO_PROJECT_ID).list_instances()
    running, creating = page.items
    assert page.total == 2
    assert (running.id, running.name, running.status, running.spec, running.version) == (
        ee.RUNNING_ID,
        ee.RUNNING_NAME,
        "Running",
        "swr_ee_pro",
        "v2",
    )
    assert running.pull_host() == f"acme-prod-3c1d8e6a.swr-ee.{registry.dataset.region}.myhuaweicloud.com"
    assert (creating.name, creating.status, creating.access_address) == (ee.CREATING_NAME, "Creating", "")
    assert registry.requests[-1].path == f"/v2/{DEMO_PROJECT_ID}/instances"
    assert registry.requests[-1].params == {"offset": "0", "limit": "100"}


async def test_an_instance_by_name_or_id_and_only_when_running(make_client: MakeClient) -> None:
    async with make_client() as client:
        enterprise = EnterpriseClient(client, DEMO_PROJECT_ID)
        assert (await enterprise.open_instance(ee.RUNNING_NAME)).id == ee.RUNNING_ID
        assert (await enterprise.open_instance(ee.RUNNING_ID)).name == ee.RUNNING_NAME
        with pytest.raises(InstanceNotRunningError) as not_running:
            await enterprise.open_instance(ee.CREATING_NAME)
        with pytest.raises(InstanceNotFoundError) as missing:
            await enterprise.open_instance("acme-typo")
        with pytest.raises(ConfigurationError):
            await enterprise.open_instance("  ")
    assert str(not_running.value) == (
        "Enterprise instance acme-next is Creating, not Running: it cannot be browsed until it is "
        "(see swr-tui instances)"
    )
    assert "No enterprise instance named 'acme-typo'" in str(missing.value)
    assert "acme-next, acme-prod" in str(missing.value)


async def test_403_on_the_instance_list_is_no_instances_for_the_sidebar_only(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, "instances:403")
    async with make_client() as client:
        enterprise = EnterpriseClient(client, DEMO_PROJECT_ID)
        assert await instances_for_sidebar(enterprise) == ()
        with pytest.raises(PermissionDeniedError) as denied:
            await enterprise.all_instances()
    assert "Permission denied for the enterprise instances" in str(denied.value)


async def test_the_sidebar_lists_instances_and_nothing_where_the_api_is_missing(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        found = await instances_for_sidebar(EnterpriseClient(client, DEMO_PROJECT_ID))
        arm(registry, "instances:config-missing")  # the API gateway's 404: a region without the API
        missing = await instances_for_sidebar(EnterpriseClient(client, DEMO_PROJECT_ID))
    assert [item.name for item in found] == [ee.RUNNING_NAME, ee.CREATING_NAME]
    assert missing == ()


async def test_artifacts_become_tag_rows(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client() as client:
        catalog = await catalog_of(client)
        page = await catalog.tag_page(ee.APPS, ee.SHOWCASE_REPO)
    rows = page.items
    assert [row.name for row in rows] == [
        "v2.4.1",
        "latest",
        "stable",
        UNTAGGED,
        "v2.4.0-multiarch",
        "v1.0.0",
    ]
    assert page.total == 4  # artifacts
    assert len({row.digest for row in rows[:3]}) == 1
    assert rows[3].digest == ee.digest_of(ee.SHOWCASE_REPO, "untagged")
    assert rows[3].path.endswith(f"/apps/webapp@{rows[3].digest}")
    assert [row.tag_type for row in rows] == [0, 0, 0, 0, 1, 0]
    assert rows[0].path == f"{catalog.pull_host}/apps/webapp:v2.4.1"
    assert (rows[0].updated, rows[0].pulled) == ("2026-11-01T10:00:00Z", "2026-11-01T11:55:00Z")
    assert rows[3].pulled == ""
    as_protocol: ImageCatalog = catalog  # mypy checks that it implements the protocol
    assert (as_protocol.edition, as_protocol.page_limit) == (ENTERPRISE, 100)
    assert registry.requests[-1].path == f"{PREFIX}/namespaces/apps/repositories/webapp/artifacts"


async def test_namespaces_and_repositories_as_the_basic_records(make_client: MakeClient) -> None:
    async with make_client() as client:
        catalog = await catalog_of(client)
        namespaces = await catalog.namespaces()
        repos = await catalog.repositories(ee.APPS)
        raw = await catalog.client.list_namespaces(ee.RUNNING_ID)
    assert [(ns.name, ns.id) for ns in namespaces] == [("apps", 11), ("ci", 12), ("legacy", 13)]
    legacy = raw.items[2]
    assert (legacy.public, legacy.auto_scan, legacy.severity, legacy.repo_count) == (
        "true",
        "true",
        "high",
        1,
    )
    assert [(r.full_name, r.num_images) for r in repos] == [
        ("apps/webapp", 5),
        ("apps/team/tools/builder", 1),
    ]
    assert repos[0].path == f"{catalog.pull_host}/apps/webapp"


async def test_a_name_with_several_slashes_goes_out_as_percent_252f(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        catalog = await catalog_of(client)
        page = await catalog.tag_page(ee.APPS, ee.DEEP_REPO)
        tags = await catalog.client.list_tags(ee.RUNNING_ID, ee.APPS, ee.DEEP_REPO)
    assert enterprise_repo_segment("team/tools/builder") == "team%252Ftools%252Fbuilder"
    assert [row.name for row in page.items] == ["v1"]
    assert [row.name for row in tags.items] == ["v1"]
    paths = [request.path for request in registry.requests[-2:]]
    assert paths == [
        f"{PREFIX}/namespaces/apps/repositories/team%252Ftools%252Fbuilder/artifacts",
        f"/v2/instances/{ee.RUNNING_ID}/namespaces/apps/repositories/team%252Ftools%252Fbuilder/tags",
    ]


@pytest.mark.parametrize(
    "segment",
    ["team%2Ftools%2Fbuilder", "team/tools/builder"],
    ids=["single-escaped", "bare-slash"],
)
async def test_the_fake_refuses_a_repository_not_escaped_twice(live: str, segment: str) -> None:
    url = f"{live}{PREFIX}/namespaces/apps/repositories/{segment}/artifacts"
    async with httpx.AsyncClient() as http:
        refused = await http.get(url, headers={"X-Auth-Token": DEMO_TOKEN})
        served = await http.get(
            url.replace(segment, "team%252Ftools%252Fbuilder"), headers={"X-Auth-Token": DEMO_TOKEN}
        )
    assert refused.status_code == 404
    assert served.status_code == 200
    assert served.json()["total"] == 1


async def test_the_fake_enforces_the_page_rules(live: str) -> None:
    url = f"{live}{PREFIX}/namespaces/ci/repositories/builds/artifacts"
    headers = {"X-Auth-Token": DEMO_TOKEN}
    async with httpx.AsyncClient() as http:
        too_big = await http.get(url, params={"offset": "0", "limit": "101"}, headers=headers)
        misaligned = await http.get(url, params={"offset": "50", "limit": "100"}, headers=headers)
        fine = await http.get(url, params={"offset": "200", "limit": "100"}, headers=headers)
    assert too_big.status_code == 400
    assert too_big.json()["error_code"] == "SVCSTG.SWR.4001025"
    assert "limit must be at most 100" in too_big.json()["error_msg"]
    assert misaligned.status_code == 400
    assert "multiple of limit" in misaligned.json()["error_msg"]
    assert fine.status_code == 200
    assert "content-range" not in fine.headers
    assert fine.json()["total"] == ee.BIG_COUNT
    assert len(fine.json()["artifacts"]) == 100


async def test_the_client_refuses_windows_the_api_would(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        enterprise = EnterpriseClient(client, DEMO_PROJECT_ID)
        with pytest.raises(ValueError, match="between 1 and 100"):
            await enterprise.list_artifacts(ee.RUNNING_ID, ee.CI, ee.BIG_REPO, limit=101)
        with pytest.raises(ValueError, match="multiple of limit"):
            await enterprise.list_artifacts(ee.RUNNING_ID, ee.CI, ee.BIG_REPO, offset=150)
    assert registry.requests == []


async def test_the_end_of_100000_tags_is_one_request(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client() as client:
        catalog = await catalog_of(client)
        registry.clear_requests()
        page = await catalog.tag_page(ee.CI, ee.BIG_REPO, offset=ee.BIG_COUNT - 100, limit=100)
    assert page.total == ee.BIG_COUNT
    assert [page.items[0].name, page.items[-1].name] == ["build-000099", "build-000000"]
    assert len(registry.requests) == 1
    assert registry.requests[0].params == {"offset": "99900", "limit": "100"}


async def test_ascending_order_is_refused_before_sending(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        catalog = await catalog_of(client)
        registry.clear_requests()
        with pytest.raises(ConfigurationError, match="newest first only"):
            await catalog.tag_page(ee.APPS, ee.SHOWCASE_REPO, order="asc")
    assert registry.requests == []


async def test_tag_details_by_name_and_by_digest(make_client: MakeClient, registry: FakeRegistry) -> None:
    untagged = ee.digest_of(ee.SHOWCASE_REPO, "untagged")
    async with make_client() as client:
        catalog = await catalog_of(client)
        stable = await catalog.tag_details(ee.APPS, ee.SHOWCASE_REPO, "stable")
        bare = await catalog.tag_details(ee.APPS, ee.SHOWCASE_REPO, untagged)
        artifact = await catalog.artifact(ee.APPS, ee.SHOWCASE_REPO, "latest")
        big = await catalog.tag_details(ee.CI, ee.BIG_REPO, "build-012345")
    assert (stable.name, stable.digest) == ("stable", ee.digest_of(ee.SHOWCASE_REPO, "v2"))
    assert (bare.name, bare.digest) == (UNTAGGED, untagged)
    (overview,) = artifact.scan_overview
    assert (overview.scan_status, overview.severity, overview.total, str(overview.scanner)) == (
        "Success",
        "Critical",
        10,
        "Trivy v0.50.1",
    )
    assert overview.counts == (("Critical", 2), ("High", 2), ("Medium", 2), ("Low", 2), ("Unknown", 2))
    assert big.name == "build-012345"
    assert registry.requests[-1].params == {"with_scan_overview": "true"}


async def test_build_history_accessories_and_statistics(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    digest = ee.digest_of(ee.SHOWCASE_REPO, "v2")
    async with make_client() as client:
        enterprise = EnterpriseClient(client, DEMO_PROJECT_ID)
        steps = await enterprise.build_history(ee.RUNNING_ID, ee.APPS, ee.SHOWCASE_REPO, digest)
        accessories = await enterprise.list_accessories(ee.RUNNING_ID, ee.APPS, ee.SHOWCASE_REPO, digest)
        statistics = await enterprise.statistics(ee.RUNNING_ID)
    assert [(step.empty_layer, step.size) for step in steps][:3] == [
        (False, 3_000_000),
        (True, 0),
        (False, 1_200_000),
    ]
    assert steps[0].media_type == "application/vnd.docker.image.rootfs.diff.tar.gzip"
    assert [(item.kind, item.subject_artifact_id) for item in accessories.items] == [
        ("signature.cosign", 1001),
        ("sbom.spdx", 1001),
    ]
    assert accessories.total == 2
    assert (statistics.namespaces, statistics.images) == (3, ee.BIG_COUNT + 6)
    assert {request.method for request in registry.requests} == {"GET"}


async def test_every_tag_of_an_enterprise_repository_through_the_bulk_fetch(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        catalog = await catalog_of(client)
        registry.clear_requests()

        async def fetch(offset: int, limit: int):  # type: ignore[no-untyped-def]
            return await catalog.artifact_page(ee.APPS, ee.SHOWCASE_REPO, offset=offset, limit=limit)

        artifacts = await fetch_all_stable(fetch, 2, 4, "the artifacts")
    rows = catalog.rows(ee.APPS, ee.SHOWCASE_REPO, tuple(artifacts))
    assert len(rows) == 6
    assert [request.params for request in registry.requests] == [
        {"offset": "0", "limit": "2"},
        {"offset": "2", "limit": "2"},
    ]


async def test_the_basic_catalog_is_the_basic_client(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client() as client:
        catalog: ImageCatalog = BasicCatalog(client)
        namespaces = await catalog.namespaces()
        repos = await catalog.repositories("acme")
        page = await catalog.tag_page("acme", "webapp", limit=5)
        tag = await catalog.tag_details("acme", "webapp", page.items[0].name)
    assert "acme" in [ns.name for ns in namespaces]
    assert "webapp" in [repo.name for repo in repos]
    assert len(page.items) == 5
    assert tag.digest == page.items[0].digest
    assert registry.requests[-1].route == "tag"


async def test_aksk_signs_the_double_escaped_path_and_finds_the_project_in_iam(
    make_client: MakeClient, registry: FakeRegistry, live: str
) -> None:
    resolver = ProjectIdResolver(None, DEMO_REGION, live)
    async with make_client(AkSkAuth(DEMO_AK, DEMO_SK)) as client:
        enterprise = await open_enterprise(client, resolver)
        page = await enterprise.list_artifacts(ee.RUNNING_ID, ee.APPS, ee.DEEP_REPO)
    assert enterprise.project_id == DEMO_PROJECT_ID
    assert [artifact.tags[0].name for artifact in page.items] == ["v1"]
    signed = registry.requests[-1]
    assert signed.path.endswith("/repositories/team%252Ftools%252Fbuilder/artifacts")
    assert signed.headers["authorization"].startswith("SDK-HMAC-SHA256")
    assert signed.status == 200  # the fake checked the signature
    assert [r.route for r in registry.requests] == ["projects", "artifacts"]


async def test_no_project_id_is_a_configuration_error_before_any_request(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:  # a bare token: no project in it, no IAM lookup
        with pytest.raises(ConfigurationError, match="needs the IAM project id"):
            await open_enterprise(client, ProjectIdResolver(None, DEMO_REGION, None))
    assert registry.requests == []


async def test_the_sidebar_without_a_project_id_shows_no_instances(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        none = await sidebar_instances(client, ProjectIdResolver(None, DEMO_REGION, None))
        some = await sidebar_instances(client, ProjectIdResolver(DEMO_PROJECT_ID, DEMO_REGION, None))
    assert none == ()
    assert [item.status for item in some] == ["Running", "Creating"]
    assert [request.route for request in registry.requests] == ["instances"]
