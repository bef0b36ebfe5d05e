"""The governance paths the fake registry answers (exactly as the SDK's swr_client.py spells them),
its answers' paging, and the fault grammar's new route names."""

from __future__ import annotations

import pytest

from swr_tui.fake import governance_routes as names
from swr_tui.fake import routes
from swr_tui.fake.faults import parse_spec


@pytest.mark.parametrize(
    ("path", "name", "params"),
    [
        ("/v2/manage/namespaces/acme/repos/webapp/retentions", names.RETENTIONS, {"repository": "webapp"}),
        (
            "/v2/manage/namespaces/acme/repos/team$app/retentions/histories",
            names.RETENTION_LOG,
            {"repository": "team/app"},
        ),
        (
            "/v2/manage/namespaces/acme/repos/team%24app/sync_repo",
            names.SYNC_REPOS,
            {"repository": "team/app"},
        ),
        ("/v2/manage/namespaces/acme/repos/webapp/sync_job", names.SYNC_JOBS, {"repository": "webapp"}),
        ("/v2/manage/namespaces/acme/repos/webapp/triggers", names.TRIGGERS, {"repository": "webapp"}),
        ("/v2/manage/namespaces/acme/repos/webapp/access", names.REPO_ACCESS, {"repository": "webapp"}),
        (
            "/v2/manage/namespaces/acme/repositories/webapp/access-domains",
            names.SHARES,
            {"repository": "webapp"},
        ),
        ("/v2/manage/namespaces/acme/access", names.NAMESPACE_ACCESS, {}),
    ],
)
def test_repository_and_namespace_paths(path: str, name: str, params: dict[str, str]) -> None:
    route = routes.match(path)
    assert route.name == name
    assert route.params == {"namespace": "acme", **params}


def test_account_paths_and_iam_projects() -> None:
    assert routes.match("/v2/manage/overview") == routes.Route(names.OVERVIEW, {})
    assert routes.match("/v2/manage/projects/p%2F1/quotas") == routes.Route(
        names.QUOTAS, {"project_id": "p/1"}
    )
    assert routes.match("/v3/projects").name == names.PROJECTS


@pytest.mark.parametrize(
    "path",
    [
        "/v2/manage/namespaces/acme/repos/webapp/retentions/histories/x",
        "/v2/manage/namespaces/acme/repos/webapp/retention",
        "/v2/manage/namespaces//access",
        "/v2/manage/projects/quotas",
    ],
)
def test_near_misses_are_unknown(path: str) -> None:
    assert routes.match(path).name == routes.UNKNOWN


def test_tag_routes_still_win_for_tags_named_like_the_new_leaves() -> None:
    assert routes.match("/v2/manage/namespaces/acme/repos/webapp/tags/retentions").name == routes.TAG
    assert (
        routes.match("/v2/manage/namespaces/acme/repos/webapp/triggers/accessories").name
        == routes.ACCESSORIES
    )


@pytest.mark.parametrize("name", names.GOVERNANCE_ROUTES)
def test_every_new_route_takes_faults(name: str) -> None:
    (rule,) = parse_spec(f"{name}:403x2")
    assert (rule.route, rule.kind, rule.times) == (name, "status", 2)
