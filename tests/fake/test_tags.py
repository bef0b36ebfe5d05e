"""Tag listing and tag detail over loopback HTTP."""

from __future__ import annotations

import httpx
import pytest

from swr_tui.fake import FakeRegistry
from swr_tui.fake.tags import swr_time

WEBAPP = "/v2/manage/namespaces/acme/repos/webapp/tags"
BIG = "/v2/manage/namespaces/acme/repos/ci-builds/tags"


def names(response: httpx.Response) -> list[str]:
    return [item["Tag"] for item in response.json()]


def all_names(registry: FakeRegistry, repo: str) -> list[str]:
    """Oldest first, as the data set orders them."""
    return list(registry.dataset.repository("acme", repo).tags.names())


def test_pages_and_content_range(client: httpx.Client, registry: FakeRegistry) -> None:
    expected = all_names(registry, "webapp")[::-1]
    total = len(expected)
    first = client.get(WEBAPP, params={"filter": "offset::0|limit::10"})
    assert first.status_code == 200
    assert first.headers["Content-Range"] == f"0-10/{total}"
    assert names(first) == expected[:10]
    last = client.get(WEBAPP, params={"filter": "offset::30|limit::10"})
    assert last.headers["Content-Range"] == f"30-{total - 30}/{total}"
    assert names(last) == expected[30:]
    beyond = client.get(WEBAPP, params={"offset": "100", "limit": "10"})
    assert beyond.json() == []
    assert beyond.headers["Content-Range"] == f"100-0/{total}"


def test_no_content_range_without_offset_and_limit_and_default_limit_100(client: httpx.Client) -> None:
    response = client.get(BIG)
    assert "Content-Range" not in response.headers
    assert len(response.json()) == 100
    assert names(response)[0] == "build-100000"


def test_order_both_ways(client: httpx.Client, registry: FakeRegistry) -> None:
    oldest_first = all_names(registry, "webapp")
    asc = client.get(
        WEBAPP, params={"filter": "offset::0|limit::100|order_column::updated_at|order_type::asc"}
    )
    desc = client.get(
        WEBAPP, params={"filter": "offset::0|limit::100|order_column::updated_at|order_type::desc"}
    )
    assert names(asc) == oldest_first
    assert names(desc) == oldest_first[::-1]
    updated = [item["updated"] for item in desc.json()]
    assert updated == sorted(updated, reverse=True)
    assert client.get(WEBAPP, params={"filter": "order_type::sideways"}).status_code == 400
    assert client.get(WEBAPP, params={"filter": "order_column::size"}).status_code == 400


def test_tag_filter(client: httpx.Client, registry: FakeRegistry) -> None:
    response = client.get(WEBAPP, params={"filter": "offset::0|limit::100|tag::v2."})
    expected = [name for name in all_names(registry, "webapp")[::-1] if "v2." in name]
    assert names(response) == expected
    assert len(expected) == 8
    assert response.headers["Content-Range"] == "0-8/8"
    plain = client.get(WEBAPP, params={"tag": "LATEST", "offset": "0", "limit": "5"})
    assert names(plain) == ["latest"]
    none = client.get(WEBAPP, params={"tag": "no-such", "offset": "0", "limit": "5"})
    assert none.json() == []
    assert none.headers["Content-Range"] == "0-0/0"


def test_tag_filter_on_the_big_repository(client: httpx.Client) -> None:
    response = client.get(BIG, params={"filter": "offset::0|limit::5|tag::99999"})
    assert names(response) == ["build-099999"]
    second = client.get(BIG, params={"filter": "offset::10|limit::10|tag::0999"})
    # 0999xx (100 names), 00999x (10) and xx0999 (10) contain 0999.
    assert second.headers["Content-Range"] == "10-10/120"
    assert names(second)[0] == "build-099989"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"offset": "0", "limit": "1001"}, "limit must be at most 1000"),
        ({"filter": "offset::0|limit::1001"}, "limit must be at most 1000"),
        ({"offset": "0", "limit": "ten"}, "limit must be an integer"),
        ({"offset": "-1", "limit": "10"}, "offset must be at least 0"),
        ({"offset": "0", "limit": "0"}, "limit must be at least 1"),
    ],
)
def test_bad_paging_is_400_with_swr_body(client: httpx.Client, params: dict[str, str], message: str) -> None:
    response = client.get(WEBAPP, params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["error_code"] == "SVCSTG.SWR.4001025"
    assert message in body["error_msg"]
    assert body["errors"][0]["errorCode"] == "SVCSTG.SWR.4001025"


def test_limit_1000_is_allowed(client: httpx.Client) -> None:
    response = client.get(BIG, params={"offset": "0", "limit": "1000"})
    assert response.status_code == 200
    assert len(response.json()) == 1000


def test_first_and_last_pages_of_100000_tags(client: httpx.Client, registry: FakeRegistry) -> None:
    first = client.get(
        BIG, params={"filter": "offset::0|limit::1000|order_column::updated_at|order_type::desc"}
    )
    assert first.headers["Content-Range"] == "0-1000/100000"
    assert names(first)[0] == "build-100000"
    assert names(first)[-1] == "build-099001"
    last = client.get(
        BIG, params={"filter": "offset::99000|limit::1000|order_column::updated_at|order_type::desc"}
    )
    assert last.headers["Content-Range"] == "99000-1000/100000"
    assert names(last)[0] == "build-001000"
    assert names(last)[-1] == "build-000001"
    oldest = registry.dataset.repository("acme", "ci-builds").tags.record(0)
    assert last.json()[-1]["updated"] == swr_time(oldest.updated)
    assert last.json()[-1]["digest"] == oldest.digest
    asc_tail = client.get(BIG, params={"filter": "offset::99999|limit::1000|order_type::asc"})
    assert names(asc_tail) == ["build-100000"]
    assert asc_tail.headers["Content-Range"] == "99999-1/100000"


def test_list_item_fields(client: httpx.Client, registry: FakeRegistry) -> None:
    item = next(
        i for i in client.get(WEBAPP, params={"offset": "0", "limit": "100"}).json() if i["Tag"] == "v1.0.0"
    )
    repo = registry.dataset.repository("acme", "webapp")
    record = repo.tags.record(repo.tags.index_of("v1.0.0"))
    assert item == {
        "id": record.id,
        "repo_id": repo.id,
        "Tag": "v1.0.0",
        "image_id": record.built.image_id,
        "manifest": record.manifest,
        "digest": record.digest,
        "schema": 2,
        "path": "swr.cn-north-4.myhuaweicloud.com/acme/webapp:v1.0.0",
        "internal_path": "100.125.0.198:20202/acme/webapp:v1.0.0",
        "size": record.size,
        "is_trusted": False,
        "created": swr_time(record.created),
        "updated": swr_time(record.updated),
        "deleted": None,
        "domain_id": registry.dataset.domain_id,
        "scanned": record.scanned,
        "tag_type": 0,
    }
    assert isinstance(item["manifest"], str)


def test_show_tag_uses_lower_case_key_and_drops_list_only_fields(client: httpx.Client) -> None:
    listed = client.get(WEBAPP, params={"tag": "latest"}).json()[0]
    shown = client.get(f"{WEBAPP}/latest").json()
    assert shown["tag"] == "latest"
    assert "Tag" not in shown
    assert "deleted" not in shown
    assert "scanned" not in shown
    assert {key: value for key, value in listed.items() if key not in ("Tag", "deleted", "scanned")} == {
        key: value for key, value in shown.items() if key != "tag"
    }
    assert shown["tag_type"] == 1


@pytest.mark.parametrize("segment", ["team$app", "team%24app", "team%2Fapp", "team%2fapp"])
def test_nested_repository_name_encodings(client: httpx.Client, segment: str) -> None:
    response = client.get(
        f"/v2/manage/namespaces/acme/repos/{segment}/tags", params={"offset": "0", "limit": "3"}
    )
    assert response.status_code == 200
    assert names(response) == ["latest", "main", "v0.3.1"]
    assert response.json()[0]["path"] == "swr.cn-north-4.myhuaweicloud.com/acme/team/app:latest"
    shown = client.get(f"/v2/manage/namespaces/acme/repos/{segment}/tags/main")
    assert shown.json()["internal_path"] == "100.125.0.198:20202/acme/team/app:main"
    assert client.get(f"/v2/manage/namespaces/acme/repos/{segment}").json()["name"] == "team/app"


def test_a_raw_slash_is_not_a_repository(client: httpx.Client) -> None:
    response = client.get("/v2/manage/namespaces/acme/repos/team/app/tags")
    assert response.status_code == 404
    assert response.json()["error_code"] == "APIGW.0101"


def test_404s_carry_swr_bodies(client: httpx.Client) -> None:
    for path, code in [
        ("/v2/manage/namespaces/nope/repos/webapp/tags", "SVCSTG.SWR.4040002"),
        ("/v2/manage/namespaces/acme/repos/nope/tags", "SVCSTG.SWR.4040004"),
        ("/v2/manage/namespaces/acme/repos/webapp/tags/v9.9.9", "SVCSTG.SWR.4040010"),
        ("/v2/manage/namespaces/acme/repos/ci-builds/tags/build-100001", "SVCSTG.SWR.4040010"),
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        body = response.json()
        assert body["error_code"] == code
        assert body["errors"][0]["errorCode"] == code
        assert body["error_msg"]
        assert body["errors"][0]["errorMessage"] == body["error_msg"]
    unknown = client.get("/v2/manage/everything")
    assert unknown.status_code == 404
    assert unknown.json()["error_code"] == "APIGW.0101"
    assert unknown.json()["request_id"] == unknown.headers["X-Request-Id"]


def test_empty_and_single_tag_repositories(client: httpx.Client) -> None:
    empty = client.get(
        "/v2/manage/namespaces/acme/repos/new-service/tags", params={"offset": "0", "limit": "10"}
    )
    assert empty.json() == []
    assert empty.headers["Content-Range"] == "0-0/0"
    single = client.get(
        "/v2/manage/namespaces/acme/repos/postgres-backup/tags", params={"offset": "0", "limit": "10"}
    )
    assert names(single) == ["15.4-alpine"]
    assert single.headers["Content-Range"] == "0-1/1"


def test_requests_are_recorded_with_decoded_merged_params(
    client: httpx.Client, registry: FakeRegistry
) -> None:
    registry.clear_requests()
    client.get(
        "/v2/manage/namespaces/acme/repos/team%24app/tags", params={"filter": "offset::20|limit::10|tag::v0"}
    )
    client.get("/v2/manage/namespaces/acme/repos/team%24app/tags", params={"offset": "30", "limit": "10"})
    assert registry.count("tags") == 2
    assert registry.count("tags", offset=20, limit=10, tag="v0") == 1
    assert registry.count("tags", offset="30") == 1
    assert registry.count("repos") == 0
    first = registry.requests[0]
    assert first.path == "/v2/manage/namespaces/acme/repos/team%24app/tags"
    assert first.path_params == {"namespace": "acme", "repository": "team/app"}
    assert first.status == 200
    assert first.method == "GET"
    assert first.route == "tags"
