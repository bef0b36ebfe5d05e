"""The governance calls (swr/governance_api.py) against the fake registry over real loopback HTTP:
every call's parsed answer, and for every route the faults a section must survive (403, an API the
region lacks, SWR's own 404, HTML from a gateway, malformed JSON, the wrong shape)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Callable

import pytest
from fault_rules import arm

from swr_tui.fake import (
    DEMO_AK,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_PROJECT_ID,
    DEMO_REGION,
    DEMO_SK,
    DEMO_USER,
    FakeRegistry,
)
from swr_tui.swr import governance_api as api
from swr_tui.swr.auth import AkSkAuth, PasswordAuth
from swr_tui.swr.bulk import fetch_all_stable
from swr_tui.swr.client import SwrClient
from swr_tui.swr.errors import (
    ApiUnavailableError,
    NotFoundError,
    PermissionDeniedError,
    ResponseFormatError,
    ServerError,
)
from swr_tui.swr.project_id import ProjectIdResolver

MakeClient = Callable[..., SwrClient]
Call = Callable[[SwrClient], Awaitable[Any]]

CALLS: dict[str, Call] = {
    "retentions": lambda c: api.list_retentions(c, "acme", "webapp"),
    "retention-log": lambda c: api.list_retention_histories(c, "acme", "webapp"),
    "quotas": lambda c: api.list_quotas(c, DEMO_PROJECT_ID),
    "overview": api.show_overview,
    "sync-repos": lambda c: api.show_sync_repos(c, "acme", "webapp"),
    "sync-jobs": lambda c: api.list_sync_jobs(c, "acme", "webapp"),
    "triggers": lambda c: api.list_triggers(c, "acme", "webapp"),
    "namespace-access": lambda c: api.show_namespace_access(c, "acme"),
    "repo-access": lambda c: api.show_repository_access(c, "acme", "webapp"),
    "shares": lambda c: api.list_repository_shares(c, "acme", "webapp"),
}


def one_line(text: str) -> None:
    assert text
    assert "\n" not in text
    assert "Traceback" not in text


# -- each call ---------------------------------------------------------------------------------


async def test_retentions_of_the_demo_repositories(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client() as client:
        webapp = await api.list_retentions(client, "acme", "webapp")
        builds = await api.list_retentions(client, "acme", "ci-builds")
        none = await api.list_retentions(client, "acme", "team/app")
    (rule,) = webapp[0].rules
    assert (webapp[0].id, webapp[0].algorithm, rule.template, dict(rule.params)) == (
        102,
        "or",
        "date_rule",
        {"days": 90},
    )
    assert [(s.kind, s.pattern) for s in rule.tag_selectors] == [("label", "v1.0.0")]
    assert builds[0].rules[0].params == {"num": "50"}
    assert builds[0].rules[0].tag_selectors[0].kind == "regexp"
    assert none == []
    assert registry.requests[-1].path == "/v2/manage/namespaces/acme/repos/team%24app/retentions"
    assert {request.method for request in registry.requests} == {"GET"}


async def test_retention_log_pages_with_content_range(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        page = await api.list_retention_histories(client, "acme", "ci-builds", offset=1000, limit=100)
    assert page.total == 1250
    assert len(page.items) == 100
    first = page.items[0]
    assert (first.tag, first.retention_id, first.rule_type, first.namespace, first.repo) == (
        "pr-00250",
        101,
        "tag_rule",
        "acme",
        "ci-builds",
    )
    assert registry.requests[-1].params == {"limit": "100", "offset": "1000"}


async def test_ten_thousand_history_rows_through_the_bulk_fetch(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:

        async def fetch(offset: int, limit: int) -> Any:
            return await api.list_retention_histories(client, "acme", "nightly", offset=offset, limit=limit)

        rows = await fetch_all_stable(fetch, 500, 4, "the retention log")
    assert len(rows) == 10_000
    assert len({row.id for row in rows}) == 10_000
    assert rows[0].tag == "nightly-old-10000"
    assert rows[-1].tag == "nightly-old-00001"
    assert registry.count(route="retention-log") == 20


async def test_quotas_and_overview(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client() as client:
        quotas = await api.list_quotas(client, DEMO_PROJECT_ID)
        overview = await api.show_overview(client)
    dataset = registry.dataset
    assert [(q.key, q.used, q.limit) for q in quotas] == [
        ("namespace", len(dataset.namespaces), 6),
        ("repository", len(dataset.repositories), 300),
        ("tag", sum(r.num_images for r in dataset.repositories), 120_000),
    ]
    assert all(q.used / q.limit > 0.8 for q in quotas)  # near their limits
    assert overview.namespace_num == len(dataset.namespaces)  # read from SWR's "namspace_num"
    assert overview.repo_num == len(dataset.repositories)
    assert overview.store_space == float(sum(r.size for r in dataset.repositories))


async def test_quotas_of_another_project_are_refused(make_client: MakeClient) -> None:
    async with make_client() as client:
        with pytest.raises(PermissionDeniedError) as caught:
            await api.list_quotas(client, "someone-elses-project")
    one_line(str(caught.value))
    assert "Permission denied for the quotas" in str(caught.value)


async def test_sync_rules_and_jobs(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client() as client:
        rules = await api.show_sync_repos(client, "acme", "webapp")
        page = await api.list_sync_jobs(client, "acme", "webapp", offset=2, limit=5)
        oldest = await api.list_sync_jobs(client, "acme", "webapp", limit=1, order="asc")
    assert [(r.remote_region_id, r.remote_namespace, r.sync_auto, r.override) for r in rules] == [
        ("cn-east-3", "acme", True, False),
        ("ap-southeast-1", "acme-sg", True, True),
    ]
    assert page.total == 24
    assert [job.status for job in page.items] == ["failed", "running", "waiting", "timeout", "cancel"]
    assert page.items[0].tag == "latest"
    assert page.items[0].remote_region_id == "cn-east-3"
    assert registry.requests[-2].params == {"limit": "5", "offset": "2", "order": "desc"}
    assert oldest.items[0].created_at < page.items[0].created_at


async def test_triggers_with_their_history(make_client: MakeClient) -> None:
    async with make_client() as client:
        triggers = await api.list_triggers(client, "acme", "webapp")
        none = await api.list_triggers(client, "acme", "nginx")
    prod, staging = triggers
    assert (prod.name, prod.enabled, prod.trigger_mode, prod.cluster_name) == (
        "deploy-webapp-prod",
        True,
        "cce",
        "prod-cluster",
    )
    assert staging.enabled is False  # "enable": "false", a string
    assert [(h.tag, h.result) for h in prod.history][1:3] == [("latest", "success"), ("v2.4.1", "failed")]
    assert "ErrImagePull" in prod.history[2].detail
    assert none == []


async def test_access_and_shares(make_client: MakeClient) -> None:
    async with make_client() as client:
        namespace = await api.show_namespace_access(client, "partners")
        repository = await api.show_repository_access(client, "acme", "team/app")
        shares = await api.list_repository_shares(client, "acme", "webapp")
        expired = await api.list_repository_shares(client, "acme", "mysql")
    assert namespace.self_auth is not None
    assert (namespace.name, namespace.self_auth.user_name, namespace.self_auth.access) == (
        "partners",
        DEMO_USER,
        "read",
    )
    assert [(o.user_name, o.access) for o in namespace.others] == [
        ("acme-admin", "manage"),
        ("ci-bot", "edit"),
        ("auditor", "read"),
    ]
    assert repository.name == "team/app"
    assert [(s.access_domain, s.permit, s.status) for s in shares] == [
        ("partner-a", "read", True),
        ("partner-b", "read", True),
    ]
    assert shares[1].deadline == "forever"
    assert [(s.access_domain, s.status) for s in expired] == [("old-vendor", False)]


async def test_a_missing_repository_is_swrs_404_not_a_missing_api(make_client: MakeClient) -> None:
    async with make_client() as client:
        with pytest.raises(NotFoundError) as caught:
            await api.list_retentions(client, "acme", "no-such-repo")
    assert not isinstance(caught.value, ApiUnavailableError)
    assert caught.value.code == "SVCSTG.SWR.4040004"
    one_line(str(caught.value))


# -- faults, per route -----------------------------------------------------------------------------


@pytest.mark.parametrize("route", sorted(CALLS))
async def test_403_says_permission_denied(
    route: str, make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, f"{route}:403")
    async with make_client() as client:
        with pytest.raises(PermissionDeniedError) as caught:
            await CALLS[route](client)
    one_line(str(caught.value))
    assert "Permission denied for the" in str(caught.value)
    assert registry.count(route=route) == 1


@pytest.mark.parametrize("route", sorted(CALLS))
@pytest.mark.parametrize("spec", ["config-missing", "405"])
async def test_a_region_without_the_api(
    route: str, spec: str, make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, f"{route}:{spec}")
    async with make_client() as client:
        with pytest.raises(ApiUnavailableError) as caught:
            await CALLS[route](client)
    one_line(str(caught.value))
    assert "This registry has no" in str(caught.value)
    assert "the region may not offer it" in str(caught.value)


@pytest.mark.parametrize("route", sorted(CALLS))
async def test_gateway_html_after_retries(
    route: str, make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, f"{route}:503")
    async with make_client() as client:
        with pytest.raises(ServerError) as caught:
            await CALLS[route](client)
    one_line(str(caught.value))
    assert "HTTP 503" in str(caught.value)
    assert registry.count(route=route) == 4  # the first try and three retries


@pytest.mark.parametrize("route", sorted(CALLS))
@pytest.mark.parametrize(("spec", "says"), [("malformed", "is not JSON"), ("wrong-shape", "is JSON but not")])
async def test_bodies_that_are_not_the_promised_json(
    route: str, spec: str, says: str, make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, f"{route}:{spec}")
    async with make_client() as client:
        with pytest.raises(ResponseFormatError) as caught:
            await CALLS[route](client)
    one_line(str(caught.value))
    assert says in str(caught.value)


# -- the project id for quotas ------------------------------------------------------------------------


async def test_aksk_looks_the_project_up_once_per_session(
    make_client: MakeClient, registry: FakeRegistry, live: str
) -> None:
    resolver = ProjectIdResolver(None, DEMO_REGION, live)
    async with make_client(AkSkAuth(DEMO_AK, DEMO_SK)) as client:
        first = await resolver.resolve(client)
        second = await resolver.resolve(client)
        quotas = await api.list_quotas(client, first or "")
    assert first == second == DEMO_PROJECT_ID
    assert len(quotas) == 3
    (lookup,) = [r for r in registry.requests if r.route == "projects"]
    assert (lookup.method, lookup.path, lookup.params) == ("GET", "/v3/projects", {"name": DEMO_REGION})
    assert lookup.headers["authorization"].startswith("SDK-HMAC-SHA256")
    assert lookup.status == 200


async def test_a_failed_lookup_hides_the_quotas_and_is_not_repeated(
    make_client: MakeClient, registry: FakeRegistry, live: str
) -> None:
    arm(registry, "projects:403")
    resolver = ProjectIdResolver(None, DEMO_REGION, live)
    async with make_client(AkSkAuth(DEMO_AK, DEMO_SK)) as client:
        assert await resolver.resolve(client) is None
        assert await resolver.resolve(client) is None
    assert registry.count(route="projects") == 1


async def test_password_login_uses_the_tokens_project(
    make_client: MakeClient, registry: FakeRegistry, live: str
) -> None:
    resolver = ProjectIdResolver(None, DEMO_REGION, live)
    auth = PasswordAuth(live, DEMO_USER, DEMO_DOMAIN, DEMO_PASSWORD, DEMO_REGION)
    async with make_client(auth) as client:
        await api.show_overview(client)
        assert await resolver.resolve(client) == DEMO_PROJECT_ID
    assert registry.count(route="projects") == 0


async def test_configured_project_wins_and_a_token_alone_has_none(
    make_client: MakeClient, registry: FakeRegistry, live: str
) -> None:
    async with make_client(AkSkAuth(DEMO_AK, DEMO_SK)) as client:
        assert await ProjectIdResolver(" p-123 ", DEMO_REGION, live).resolve(client) == "p-123"
    async with make_client() as client:
        assert await ProjectIdResolver(None, DEMO_REGION, live).resolve(client) is None
    assert registry.count(route="projects") == 0
