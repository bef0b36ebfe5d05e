"""The fake's Enterprise Edition paths (as the SDK's ``swr_client.py`` writes them) and the rule that
a repository name travels escaped twice: a single ``%2F`` or a bare ``/`` names no API."""

from __future__ import annotations

import pytest

from swr_tui.fake import routes

P = "/v2/pid/instances/iid"


@pytest.mark.parametrize(
    ("path", "route", "params"),
    [
        ("/v2/pid/instances", "instances", {"project_id": "pid"}),
        (P, "instance", {"project_id": "pid", "instance_id": "iid"}),
        (f"{P}/statistics", "instance-statistics", {"project_id": "pid", "instance_id": "iid"}),
        (f"{P}/namespaces", "instance-namespaces", {"project_id": "pid", "instance_id": "iid"}),
        (f"{P}/namespaces/ns/repositories", "instance-repos", {"namespace": "ns"}),
        (f"{P}/namespaces/ns/repositories/a%252Fb%252Fc/artifacts", "artifacts", {"repository": "a/b/c"}),
        (f"{P}/namespaces/ns/repositories/app/artifacts/sha256%3Aab", "artifact", {"reference": "sha256:ab"}),
        (
            f"{P}/namespaces/ns/repositories/app/artifacts/d/vulnerabilities",
            "vulnerabilities",
            {"reference": "d"},
        ),
        (
            f"{P}/namespaces/ns/repositories/app/artifacts/d/accessories",
            "instance-accessories",
            {"reference": "d"},
        ),
        (
            f"{P}/namespaces/ns/repositories/app/artifacts/d/additions/build_history",
            "build-history",
            {"addition": "build_history"},
        ),
        (
            "/v2/instances/iid/namespaces/ns/repositories/a%252Fb/tags",
            "instance-tags",
            {"instance_id": "iid", "namespace": "ns", "repository": "a/b"},
        ),
    ],
)
def test_each_path_names_its_route(path: str, route: str, params: dict[str, str]) -> None:
    matched = routes.match(path)
    assert matched.name == route
    assert params.items() <= matched.params.items()


@pytest.mark.parametrize(
    "path",
    [
        f"{P}/namespaces/ns/repositories/a%2Fb/artifacts",  # escaped once
        f"{P}/namespaces/ns/repositories/a/b/artifacts",  # not escaped
        "/v2/instances/iid/namespaces/ns/repositories/a%2Fb/tags",
        f"{P}/namespaces/ns/repositories/app/artifacts/d/elsewhere",
        f"{P}/other",
        "/v2/pid/instances/",
    ],
)
def test_other_paths_name_no_api(path: str) -> None:
    assert routes.match(path).name == routes.UNKNOWN


def test_the_basic_paths_are_untouched() -> None:
    assert routes.match("/v2/manage/namespaces/acme/repos/team%24app/tags").name == routes.TAGS
    assert routes.match("/v2/manage/repos").name == routes.REPOS
