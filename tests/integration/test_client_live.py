"""SwrClient against the fake registry over real loopback HTTP: every read operation, paging, the
nested-name encoding, 404s, and the three kinds of authentication (including token expiry)."""

from __future__ import annotations

import asyncio
from typing import Any, Callable

import httpx
import pytest

from swr_tui.fake import (
    DEMO_AK,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_PROJECT_ID,
    DEMO_REGION,
    DEMO_SK,
    DEMO_TOKEN,
    DEMO_USER,
    FakeRegistry,
)
from swr_tui.swr.auth import AkSkAuth, PasswordAuth, TokenAuth
from swr_tui.swr.client import SwrClient
from swr_tui.swr.errors import AuthenticationError, NotFoundError

MakeClient = Callable[..., SwrClient]

PULL_HOST = "swr.cn-north-4.myhuaweicloud.com"


async def raw_get(live: str, path: str, filters: str = "") -> httpx.Response:
    """The registry's own answer, read without SwrClient, to compare the client's parsing against."""
    async with httpx.AsyncClient(base_url=live, headers={"X-Auth-Token": DEMO_TOKEN}) as http:
        response = await http.get(path, params={"filter": filters} if filters else None)
    response.raise_for_status()
    return response


def one_line(text: str) -> None:
    assert text
    assert "\n" not in text
    assert "Traceback" not in text


# -- namespaces ----------------------------------------------------------------------------------


async def test_namespaces_names_and_access_labels(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client() as client:
        namespaces = await client.list_namespaces()
    assert [ns.name for ns in namespaces] == ["acme", "acme-dev", "partners", "sandbox"]
    assert {ns.name: ns.access for ns in namespaces} == {
        "acme": "manage",
        "acme-dev": "edit",
        "partners": "read",
        "sandbox": "manage",
    }
    expected_ids = {ns.name: ns.id for ns in registry.dataset.namespaces}
    assert all(ns.id == expected_ids[ns.name] for ns in namespaces)
    assert {ns.name: ns.creator_name for ns in namespaces}["partners"] == "partner-admin"
    assert "mode" not in registry.requests[-1].params


async def test_visible_mode_adds_namespaces_seen_through_a_repository_grant(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        visible = await client.list_namespaces(visible=True)
    assert [ns.name for ns in visible] == ["acme", "acme-dev", "partners", "sandbox", "vendor-shared"]
    assert visible[-1].access == "read"
    assert registry.requests[-1].params["mode"] == "visible"


# -- repositories --------------------------------------------------------------------------------


async def test_repositories_of_acme(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client() as client:
        page = await client.list_repositories("acme")
    expected = sorted(repo.name for repo in registry.dataset.repositories_in("acme"))
    assert [repo.name for repo in page.items] == expected
    assert {"webapp", "team/app", "ci-builds", "new-service", "postgres-backup"} <= set(expected)
    assert page.total == len(expected)
    assert page.offset == 0
    assert page.is_last
    by_name = {repo.name: repo for repo in page.items}
    assert {repo.namespace for repo in page.items} == {"acme"}
    assert by_name["webapp"].num_images == 32
    assert by_name["ci-builds"].num_images == 100_000
    assert by_name["new-service"].num_images == 0
    assert by_name["postgres-backup"].num_images == 1
    assert by_name["team/app"].full_name == "acme/team/app"
    assert by_name["team/app"].path == f"{PULL_HOST}/acme/team/app"
    assert by_name["webapp"].internal_path.endswith("/acme/webapp")
    assert by_name["webapp"].updated.endswith("Z")


async def test_paging_through_acme_dev(make_client: MakeClient, registry: FakeRegistry) -> None:
    pages = []
    async with make_client() as client:
        for offset in (0, 100, 200):
            pages.append(await client.list_repositories("acme-dev", offset=offset, limit=100))
    assert [len(page.items) for page in pages] == [100, 100, 50]
    assert [page.total for page in pages] == [250, 250, 250]
    assert [page.is_last for page in pages] == [False, False, True]
    names = [repo.name for page in pages for repo in page.items]
    assert len(set(names)) == 250
    assert names == sorted(names)
    assert names == sorted(repo.name for repo in registry.dataset.repositories_in("acme-dev"))
    sent = [(request.params["offset"], request.params["limit"]) for request in registry.requests]
    assert sent == [("0", "100"), ("100", "100"), ("200", "100")]


async def test_repository_name_filter(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client() as client:
        page = await client.list_repositories("acme", name="app")
        nested = await client.list_repositories("acme", name="team/app")
    expected = sorted(repo.name for repo in registry.dataset.repositories_in("acme") if "app" in repo.name)
    assert [repo.name for repo in page.items] == expected
    assert {"webapp", "team/app"} <= set(expected)
    assert page.total == len(expected)
    assert [repo.name for repo in nested.items] == ["team/app"]
    assert registry.requests[-1].params["name"] == "team$app"


async def test_show_repository_with_a_nested_name(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client() as client:
        repo = await client.show_repository("acme", "team/app")
    assert registry.requests[-1].path == "/v2/manage/namespaces/acme/repos/team%24app"
    assert repo.namespace == "acme"
    assert repo.name == "team/app"
    assert repo.num_images == 8
    assert repo.category == "app_server"
    assert repo.path == f"{PULL_HOST}/acme/team/app"
    source = registry.dataset.repository("acme", "team/app")
    assert source is not None
    assert repo.created == source.created.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert repo.updated == source.updated.strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_shared_repositories_both_centers(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client() as client:
        mine = await client.list_shared_repositories(center="self")
        theirs = await client.list_shared_repositories(center="thirdparty")
    assert [(repo.full_name, repo.status) for repo in mine.items] == [
        ("acme/mysql", False),
        ("acme/nginx", True),
        ("acme/webapp", True),
    ]
    assert mine.total == 3
    assert [(repo.full_name, repo.status) for repo in theirs.items] == [
        ("contractor-x/legacy-api", False),
        ("bigvendor/log-shipper", True),
        ("bigvendor/monitoring-agent", True),
    ]
    assert theirs.total == 3
    assert {repo.domain_name for repo in theirs.items} == {"contractor-x", "bigvendor-intl"}
    assert registry.requests[-1].params["center"] == "thirdparty"


# -- tags ----------------------------------------------------------------------------------------


async def test_first_page_of_webapp_matches_the_wire(make_client: MakeClient, live: str) -> None:
    async with make_client() as client:
        page = await client.list_tags("acme", "webapp", limit=10)
    raw = (
        await raw_get(
            live,
            "/v2/manage/namespaces/acme/repos/webapp/tags",
            "offset::0|limit::10|order_column::updated_at|order_type::desc",
        )
    ).json()
    assert page.total == 32
    assert len(page.items) == 10
    assert [tag.name for tag in page.items] == [item["Tag"] for item in raw]
    for tag, item in zip(page.items, raw):
        assert tag.digest == item["digest"]
        assert tag.digest.startswith("sha256:")
        assert tag.path == item["path"] == f"{PULL_HOST}/acme/webapp:{tag.name}"
        assert tag.internal_path == item["internal_path"]
        assert tag.size == item["size"]
        assert tag.updated == item["updated"]
        assert tag.created == item["created"]
        assert tag.tag_type == item["tag_type"]
        assert tag.schema == item["schema"]
        assert tag.image_id == item["image_id"]
        assert isinstance(tag.manifest, str)
        assert tag.manifest == item["manifest"]  # kept byte for byte, not re-serialised
    names = [tag.name for tag in page.items]
    assert names[1:3] == ["latest", "v2.4.1"]
    assert names[0].startswith("sha256-")  # the cosign signature, pushed last
    assert names[0].endswith(".sig")
    by_name = {tag.name: tag for tag in page.items}
    assert by_name["latest"].digest == by_name["v2.4.1"].digest


async def test_tag_order_desc_and_asc(make_client: MakeClient) -> None:
    async with make_client() as client:
        desc = await client.list_tags("acme", "webapp", order="desc")
        asc = await client.list_tags("acme", "webapp", order="asc")
    assert len(desc.items) == len(asc.items) == 32
    assert asc.items[0] == desc.items[-1]
    assert asc.items[0].name == "v0.9.0"
    assert list(asc.items) == list(reversed(desc.items))
    updated = [tag.updated for tag in asc.items]
    assert updated == sorted(updated)


async def test_tag_filter(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client() as client:
        page = await client.list_tags("acme", "webapp", tag="v1.4")
    assert [tag.name for tag in page.items] == ["v1.4.2", "v1.4.1", "v1.4.0"]
    assert page.total == 3
    assert registry.requests[-1].params["tag"] == "v1.4"


async def test_nested_repository_tags(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client() as client:
        page = await client.list_tags("acme", "team/app")
    assert registry.requests[-1].path == "/v2/manage/namespaces/acme/repos/team%24app/tags"
    assert page.total == 8
    assert {tag.name for tag in page.items} == {
        "v0.1.0",
        "v0.1.1",
        "v0.2.0",
        "v0.2.1",
        "v0.3.0",
        "v0.3.1",
        "main",
        "latest",
    }
    assert all(tag.path == f"{PULL_HOST}/acme/team/app:{tag.name}" for tag in page.items)


async def test_show_tag_agrees_with_the_list(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client() as client:
        listed = {tag.name: tag for tag in (await client.list_tags("acme", "webapp")).items}
        shown = await client.show_tag("acme", "webapp", "v2.4.1")
        latest = await client.show_tag("acme", "webapp", "latest")
    assert registry.requests[-1].path == "/v2/manage/namespaces/acme/repos/webapp/tags/latest"
    assert shown.name == "v2.4.1"  # from the lower-case "tag" key of ShowRepoTag
    for field in ("digest", "manifest", "size", "updated", "created", "path", "internal_path", "tag_type"):
        assert getattr(shown, field) == getattr(listed["v2.4.1"], field), field
    assert latest.digest == shown.digest


async def test_the_hundred_thousand_tag_repository(make_client: MakeClient) -> None:
    async with make_client() as client:
        first = await client.list_tags("acme", "ci-builds", limit=100)
        last = await client.list_tags("acme", "ci-builds", offset=99_900, limit=100)
        big = await client.list_tags("acme", "ci-builds", limit=1000)
    assert first.total == last.total == big.total == 100_000
    assert [tag.name for tag in first.items] == [f"build-{n:06d}" for n in range(100_000, 99_900, -1)]
    assert [tag.name for tag in last.items] == [f"build-{n:06d}" for n in range(100, 0, -1)]
    assert last.is_last
    assert not first.is_last
    assert len(big.items) == 1000
    assert big.items[0].name == "build-100000"
    assert big.items[-1].name == "build-099001"
    assert len({tag.name for tag in big.items}) == 1000


async def test_empty_and_single_tag_repositories(make_client: MakeClient) -> None:
    async with make_client() as client:
        empty = await client.list_tags("acme", "new-service")
        single = await client.list_tags("acme", "postgres-backup")
    assert empty.items == ()
    assert empty.total == 0
    assert empty.is_last
    assert [tag.name for tag in single.items] == ["15.4-alpine"]
    assert single.total == 1


# -- not found -----------------------------------------------------------------------------------


async def test_unknown_namespace_is_not_found(make_client: MakeClient) -> None:
    async with make_client() as client:
        with pytest.raises(NotFoundError) as caught:
            await client.list_tags("no-such-ns", "webapp")
    message = str(caught.value)
    one_line(message)
    assert caught.value.status == 404
    assert "the tags of no-such-ns/webapp" in message
    assert "Namespace not found: no-such-ns" in message
    assert "Check the name" in message


async def test_unknown_repository_is_not_found(make_client: MakeClient) -> None:
    async with make_client() as client:
        with pytest.raises(NotFoundError) as caught:
            await client.show_repository("acme", "nope")
        with pytest.raises(NotFoundError) as tags_caught:
            await client.list_tags("acme", "team/nope")
        with pytest.raises(NotFoundError) as tag_caught:
            await client.show_tag("acme", "webapp", "v9.9.9")
    message = str(caught.value)
    one_line(message)
    assert "repository acme/nope" in message
    assert "Repository not found: acme/nope" in message
    assert "SVCSTG.SWR.4040004" in message
    assert "acme/team/nope" in str(tags_caught.value)
    assert "acme/webapp:v9.9.9" in str(tag_caught.value)


# -- authentication ------------------------------------------------------------------------------


async def test_token_auth_sends_the_token(make_client: MakeClient, registry: FakeRegistry) -> None:
    auth = TokenAuth(DEMO_TOKEN)
    async with make_client(auth) as client:
        assert len(await client.list_namespaces()) == 4
    assert registry.requests[-1].headers["x-auth-token"] == DEMO_TOKEN
    assert DEMO_TOKEN not in repr(auth)
    assert DEMO_TOKEN not in repr(client)


async def test_aksk_auth(make_client: MakeClient, registry: FakeRegistry) -> None:
    auth = AkSkAuth(DEMO_AK, DEMO_SK, project_id=DEMO_PROJECT_ID)
    async with make_client(auth) as client:
        namespaces = await client.list_namespaces()
        nested = await client.list_tags("acme", "team/app", tag="v0.")  # `$`, `|`, `:` all signed
    assert [ns.name for ns in namespaces][:1] == ["acme"]
    assert [tag.name for tag in nested.items] == ["v0.3.1", "v0.3.0", "v0.2.1", "v0.2.0", "v0.1.1", "v0.1.0"]
    headers = registry.requests[-1].headers
    assert headers["x-project-id"] == DEMO_PROJECT_ID
    assert headers["authorization"].startswith(f"SDK-HMAC-SHA256 Access={DEMO_AK}, SignedHeaders=")
    assert "x-sdk-date" in headers
    assert "x-auth-token" not in headers
    assert DEMO_SK not in repr(auth)


async def test_aksk_with_a_wrong_secret_key(make_client: MakeClient) -> None:
    wrong = "WrongSecretKeyValue-123456"
    auth = AkSkAuth(DEMO_AK, wrong)
    async with make_client(auth) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.list_namespaces()
    message = str(caught.value)
    one_line(message)
    assert caught.value.status == 401
    assert "AK/SK signature was refused" in message
    assert "HUAWEICLOUD_SDK_SK" in message
    for text in (message, repr(caught.value), repr(auth)):
        assert wrong not in text


def password_auth(live: str, password: str = DEMO_PASSWORD) -> PasswordAuth:
    return PasswordAuth(live, DEMO_USER, DEMO_DOMAIN, password, DEMO_REGION)


async def test_password_auth_logs_in_once(make_client: MakeClient, registry: FakeRegistry, live: str) -> None:
    auth = password_auth(live)
    async with make_client(auth) as client:
        # Concurrent first calls still share one login.
        results: list[Any] = await asyncio.gather(
            client.list_namespaces(), client.list_repositories("acme"), client.list_namespaces()
        )
        tags = await client.list_tags("acme", "webapp", limit=5)
    assert [ns.name for ns in results[0]] == ["acme", "acme-dev", "partners", "sandbox"]
    assert results[1].total == len(registry.dataset.repositories_in("acme"))
    assert len(tags.items) == 5
    assert registry.count(route="iam") == 1
    login = next(request for request in registry.requests if request.route == "iam")
    assert login.method == "POST"
    issued = registry.requests[-1].headers["x-auth-token"]
    assert issued != DEMO_TOKEN
    assert issued.startswith("MII")
    assert DEMO_PASSWORD not in repr(auth)


async def test_password_auth_with_a_wrong_password(
    make_client: MakeClient, registry: FakeRegistry, live: str
) -> None:
    wrong = "not-the-password-9f8e7d"
    auth = password_auth(live, wrong)
    async with make_client(auth) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.list_namespaces()
        with pytest.raises(AuthenticationError):
            await client.list_namespaces()  # remembered: IAM is not asked again with the same password
    message = str(caught.value)
    one_line(message)
    assert "IAM refused the user name, account or password" in message
    for text in (message, repr(caught.value), repr(auth), str(caught.value.args)):
        assert wrong not in text
    assert registry.count(route="iam") == 1
    assert registry.count(route="namespaces") == 0


async def test_expired_token_fails_with_advice(make_client: MakeClient, registry: FakeRegistry) -> None:
    async with make_client(TokenAuth(DEMO_TOKEN)) as client:
        assert len(await client.list_namespaces()) == 4
        registry.expire_tokens()
        with pytest.raises(AuthenticationError) as caught:
            await client.list_namespaces()
    message = str(caught.value)
    one_line(message)
    assert "token has expired" in message
    assert "SWR_TUI_TOKEN" in message
    assert DEMO_TOKEN not in message


async def test_password_auth_logs_in_again_after_expiry(
    make_client: MakeClient, registry: FakeRegistry, live: str
) -> None:
    async with make_client(password_auth(live)) as client:
        assert len(await client.list_namespaces()) == 4
        first_token = registry.requests[-1].headers["x-auth-token"]
        registry.expire_tokens()
        page = await client.list_tags("acme", "webapp", limit=3)
    assert [tag.name for tag in page.items][1:] == ["latest", "v2.4.1"]
    assert registry.count(route="iam") == 2
    tags_requests = [request for request in registry.requests if request.route == "tags"]
    assert [request.status for request in tags_requests] == [401, 200]
    assert tags_requests[0].headers["x-auth-token"] == first_token
    assert tags_requests[1].headers["x-auth-token"] != first_token
