"""Namespaces, repositories and shared repositories over loopback HTTP."""

from __future__ import annotations

import httpx

from swr_tui.fake import FakeRegistry
from swr_tui.fake.tags import swr_time

REPOS = "/v2/manage/repos"


def total_of(response: httpx.Response) -> int:
    return int(response.headers["Content-Range"].rpartition("/")[2])


def test_namespaces_hide_grant_only_namespace_unless_visible_mode(client: httpx.Client) -> None:
    plain = client.get("/v2/manage/namespaces")
    assert plain.status_code == 200
    assert plain.headers["Content-Type"].startswith("application/json")
    assert "Content-Range" not in plain.headers
    names = [ns["name"] for ns in plain.json()["namespaces"]]
    assert names == ["acme", "acme-dev", "partners", "sandbox"]
    visible = client.get("/v2/manage/namespaces", params={"filter": "mode::visible"}).json()["namespaces"]
    assert [ns["name"] for ns in visible] == [*names, "vendor-shared"]
    assert visible[0].keys() == {"id", "name", "creator_name", "auth"}
    assert {ns["name"]: ns["auth"] for ns in visible}["acme-dev"] == 3


def test_namespace_filter_and_show(client: httpx.Client, registry: FakeRegistry) -> None:
    found = client.get("/v2/manage/namespaces", params={"filter": "namespace::partners"}).json()
    assert [ns["name"] for ns in found["namespaces"]] == ["partners"]
    shown = client.get("/v2/manage/namespaces/acme-dev").json()
    expected = registry.dataset.namespace("acme-dev")
    assert shown == {"id": expected.id, "name": "acme-dev", "creator_name": "acme-admin", "auth": 3}
    missing = client.get("/v2/manage/namespaces/nope")
    assert missing.status_code == 404
    assert missing.json()["error_code"] == missing.json()["errors"][0]["errorCode"] == "SVCSTG.SWR.4040002"


def test_repository_paging_walks_all_250(client: httpx.Client, registry: FakeRegistry) -> None:
    seen: list[str] = []
    offset = 0
    while True:
        response = client.get(REPOS, params={"filter": f"namespace::acme-dev|offset::{offset}|limit::100"})
        page = response.json()
        assert response.headers["Content-Range"] == f"{offset}-{len(page)}/250"
        assert all(item["total_range"] == 250 for item in page)
        seen += [item["name"] for item in page]
        offset += len(page)
        if not page or offset >= total_of(response):
            break
    assert len(seen) == len(set(seen)) == 250
    assert set(seen) == {r.name for r in registry.dataset.repositories_in("acme-dev")}
    # Default order is most recently updated first.
    updated = [r.updated for r in registry.dataset.repositories_in("acme-dev")]
    first = client.get(REPOS, params={"filter": "namespace::acme-dev|offset::0|limit::1"}).json()[0]
    assert first["updated_at"] == swr_time(max(updated))


def test_repository_item_fields(client: httpx.Client, registry: FakeRegistry) -> None:
    items = client.get(REPOS, params={"filter": "namespace::acme|name::team$app|offset::0|limit::10"}).json()
    assert [item["name"] for item in items] == ["team/app"]
    item = items[0]
    repo = registry.dataset.repository("acme", "team/app")
    assert item["path"] == "swr.cn-north-4.myhuaweicloud.com/acme/team/app"
    assert item["internal_path"] == "100.125.0.198:20202/acme/team/app"
    assert item["num_images"] == 8
    assert item["tags"][0] == "latest"
    assert item["created_at"] == swr_time(repo.created)
    assert item["updated_at"] == swr_time(repo.updated)
    assert item["domain_name"] == "acme-corp"
    assert item["namespace"] == "acme"
    assert item["category"] == "app_server"
    assert item["is_public"] == repo.is_public


def test_filter_wins_over_plain_params(client: httpx.Client, registry: FakeRegistry) -> None:
    response = client.get(
        REPOS,
        params={
            "namespace": "acme-dev",
            "limit": "3",
            "offset": "0",
            "filter": "namespace::partners|offset::0|limit::2",
        },
    )
    assert response.headers["Content-Range"] == "0-2/3"
    assert {item["namespace"] for item in response.json()} == {"partners"}
    assert registry.count("repos", namespace="partners", limit=2) >= 1
    plain = client.get(REPOS, params={"namespace": "partners", "offset": "2", "limit": "2"})
    assert plain.headers["Content-Range"] == "2-1/3"


def test_repository_ordering_both_ways(client: httpx.Client, registry: FakeRegistry) -> None:
    names = sorted(r.name for r in registry.dataset.repositories_in("acme"))
    asc = client.get(
        REPOS, params={"filter": "namespace::acme|order_column::name|order_type::asc|offset::0|limit::100"}
    )
    desc = client.get(
        REPOS, params={"filter": "namespace::acme|order_column::name|order_type::desc|offset::0|limit::100"}
    )
    assert [item["name"] for item in asc.json()] == names
    assert [item["name"] for item in desc.json()] == names[::-1]
    by_tags = client.get(
        REPOS, params={"filter": "namespace::acme|order_column::tag_count|offset::0|limit::3"}
    ).json()
    assert next(item["name"] for item in by_tags) == "ci-builds"
    assert by_tags[0]["num_images"] == 100_000 >= by_tags[1]["num_images"] >= by_tags[2]["num_images"]


def test_repository_category_and_fuzzy_name(client: httpx.Client) -> None:
    db = client.get(
        REPOS, params={"filter": "namespace::acme|category::database|offset::0|limit::100"}
    ).json()
    assert sorted(item["name"] for item in db) == ["mysql", "postgres-backup", "redis"]
    fuzzy = client.get(REPOS, params={"filter": "name::TEAM|offset::0|limit::100"}).json()
    assert [item["name"] for item in fuzzy] == ["team/app"]
    everything = client.get(REPOS, params={"offset": "0", "limit": "1000"})
    assert total_of(everything) == 17 + 250 + 3 + 1


def test_repository_paging_errors(client: httpx.Client) -> None:
    assert client.get(REPOS, params={"offset": "0", "limit": "1001"}).status_code == 400
    bad = client.get(REPOS, params={"filter": "order_column::size"})
    assert bad.status_code == 400
    assert bad.json()["error_code"] == "SVCSTG.SWR.4001025"
    assert client.get(REPOS, params={"filter": "namespace:acme"}).status_code == 400
    assert "Content-Range" not in client.get(REPOS, params={"namespace": "partners"}).headers


def test_show_repository(client: httpx.Client, registry: FakeRegistry) -> None:
    shown = client.get("/v2/manage/namespaces/acme/repos/postgres-backup").json()
    repo = registry.dataset.repository("acme", "postgres-backup")
    assert shown["id"] == repo.id
    assert shown["ns_id"] == registry.dataset.namespace("acme").id
    assert shown["created"] == swr_time(repo.created)
    assert shown["updated"] == swr_time(repo.updated)
    assert "created_at" not in shown
    assert shown["num_images"] == 1
    assert shown["priority"] == 0
    assert shown["domain_id"] == registry.dataset.domain_id


def test_shared_repositories_by_center(client: httpx.Client) -> None:
    url = "/v2/manage/shared-repositories"
    theirs = client.get(
        url, params={"filter": "center::thirdparty|order_column::name|order_type::asc|offset::0|limit::10"}
    )
    assert theirs.headers["Content-Range"] == "0-3/3"
    assert [(i["namespace"], i["name"], i["status"]) for i in theirs.json()] == [
        ("contractor-x", "legacy-api", False),
        ("bigvendor", "log-shipper", True),
        ("bigvendor", "monitoring-agent", True),
    ]
    assert theirs.json()[1]["domain_name"] == "bigvendor-intl"
    mine = client.get(
        url, params={"filter": "center::self|order_column::name|order_type::asc|offset::0|limit::10"}
    )
    assert [(i["name"], i["status"]) for i in mine.json()] == [
        ("mysql", False),
        ("nginx", True),
        ("webapp", True),
    ]
    assert total_of(client.get(url, params={"offset": "0", "limit": "10"})) == 6
    # A repository shared with this account can be browsed.
    tags = client.get(
        "/v2/manage/namespaces/bigvendor/repos/log-shipper/tags", params={"offset": "0", "limit": "100"}
    )
    assert tags.headers["Content-Range"] == "0-6/6"
    assert client.get(url, params={"filter": "center::everyone"}).status_code == 400
