"""Token, AK/SK and IAM password authentication, and the read-only rule, over loopback HTTP."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Callable

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
from swr_tui.fake.loopback import RunningServer
from swr_tui.swr import signer

Signer = Callable[..., dict[str, str]]

TAGS = "/v2/manage/namespaces/acme/repos/team%24app/tags"


def login_body(password: str = DEMO_PASSWORD, user: str = DEMO_USER, domain: str = DEMO_DOMAIN) -> dict:
    return {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {"name": user, "password": password, "domain": {"name": domain}}},
            },
            "scope": {"project": {"name": DEMO_REGION}},
        }
    }


def assert_gateway_401(response: httpx.Response, message: str) -> None:
    assert response.status_code == 401
    body = response.json()
    assert body["error_code"] == "APIGW.0301"
    assert message in body["error_msg"]
    assert body["request_id"] == response.headers["X-Request-Id"]


def test_token_ok_and_every_response_has_date_and_request_id(client: httpx.Client) -> None:
    response = client.get("/v2/manage/namespaces")
    assert response.status_code == 200
    date = parsedate_to_datetime(response.headers["Date"])
    assert abs(datetime.now(timezone.utc) - date) < timedelta(minutes=1)
    assert len(response.headers["X-Request-Id"]) == 32
    assert response.headers["X-Request-Id"] != client.get("/v2/manage/namespaces").headers["X-Request-Id"]


def test_missing_and_unknown_token(server: RunningServer) -> None:
    with httpx.Client(base_url=server.url) as anonymous:
        assert_gateway_401(anonymous.get("/v2/manage/namespaces"), "Incorrect IAM authentication information")
        unknown = anonymous.get("/v2/manage/namespaces", headers={"X-Auth-Token": "MIIforged"})
        assert_gateway_401(unknown, "decrypt token fail")


def test_expired_tokens_are_refused(fresh: tuple[FakeRegistry, RunningServer]) -> None:
    registry, server = fresh
    with httpx.Client(base_url=server.url, headers={"X-Auth-Token": DEMO_TOKEN}) as client:
        assert client.get("/v2/manage/namespaces").status_code == 200
        registry.expire_tokens()
        assert_gateway_401(client.get("/v2/manage/namespaces"), "token expires")
        # A new login still works after everything issued before expired.
        login = client.post("/v3/auth/tokens", json=login_body())
        renewed = client.get(
            "/v2/manage/namespaces", headers={"X-Auth-Token": login.headers["X-Subject-Token"]}
        )
        assert renewed.status_code == 200


def test_aksk_signed_request_is_accepted(server: RunningServer, sign: Signer) -> None:
    query = signer.canonical_query([("filter", "offset::0|limit::3|order_type::asc")])
    url = f"{server.url}{TAGS}?{query}"
    with httpx.Client() as client:
        response = client.get(url, headers=sign(url))
    assert response.status_code == 200
    assert [item["Tag"] for item in response.json()] == ["v0.1.0", "v0.1.1", "v0.2.0"]


def test_aksk_with_project_header_and_plain_dollar(server: RunningServer, sign: Signer) -> None:
    url = f"{server.url}/v2/manage/namespaces/acme/repos/team$app"
    headers = sign(url, extra={"X-Project-Id": DEMO_PROJECT_ID})
    assert "x-project-id" in headers["Authorization"]
    with httpx.Client() as client:
        assert client.get(url, headers=headers).json()["name"] == "team/app"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"secret_key": "WRONG" + DEMO_SK[5:]}, "verify aksk signature fail"),
        ({"access_key": "UNKNOWNAK00000000000"}, "verify aksk signature fail"),
        ({"skew": -timedelta(minutes=20)}, "request time"),
        ({"skew": timedelta(minutes=16)}, "request time"),
    ],
)
def test_aksk_failures(server: RunningServer, sign: Signer, change: dict, message: str) -> None:
    url = f"{server.url}{TAGS}"
    if "skew" in change:  # the signing time is taken now, not when the tests were collected
        change = {"when": datetime.now(timezone.utc) + change["skew"]}
    with httpx.Client() as client:
        assert_gateway_401(client.get(url, headers=sign(url, **change)), message)


def test_aksk_small_skew_is_tolerated_and_tampering_is_not(server: RunningServer, sign: Signer) -> None:
    url = f"{server.url}{TAGS}?limit=1&offset=0"
    with httpx.Client() as client:
        headers = sign(url, when=datetime.now(timezone.utc) - timedelta(minutes=10))
        assert client.get(url, headers=headers).status_code == 200
        assert_gateway_401(
            client.get(f"{server.url}{TAGS}?limit=2&offset=0", headers=headers), "signature fail"
        )
        headers.pop("X-Sdk-Date")
        assert_gateway_401(client.get(url, headers=headers), "x-sdk-date")


def test_aksk_hostile_authorization_values(server: RunningServer, sign: Signer) -> None:
    url = f"{server.url}{TAGS}"
    headers = sign(url)
    with httpx.Client() as client:
        for value in (
            "Basic Zm9vOmJhcg==",
            "SDK-HMAC-SHA256 Access=x",
            headers["Authorization"][:-64] + "é" * 64,
        ):
            hostile = {**headers, "Authorization": value.encode("latin-1")}
            assert_gateway_401(client.get(url, headers=hostile), "verify aksk signature fail")


def test_iam_login_issues_a_working_token(server: RunningServer) -> None:
    with httpx.Client(base_url=server.url) as client:
        response = client.post("/v3/auth/tokens", params={"nocatalog": "true"}, json=login_body())
        assert response.status_code == 201
        token = response.headers["X-Subject-Token"]
        body = response.json()["token"]
        assert body["project"] == {
            "name": DEMO_REGION,
            "id": DEMO_PROJECT_ID,
            "domain": {"name": DEMO_DOMAIN, "id": body["project"]["domain"]["id"]},
        }
        assert "catalog" not in body
        issued = datetime.strptime(body["issued_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
        expires = datetime.strptime(body["expires_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
        assert expires - issued == timedelta(hours=24)
        listed = client.get("/v2/manage/namespaces", headers={"X-Auth-Token": token})
        assert listed.status_code == 200
        with_catalog = client.post("/v3/auth/tokens", json=login_body()).json()["token"]
        assert with_catalog["catalog"][0]["type"] == "swr"


@pytest.mark.parametrize(
    "body", [login_body(password="nope"), login_body(user="mallory"), login_body(domain="other-corp")]
)
def test_iam_login_wrong_credentials(server: RunningServer, body: dict) -> None:
    with httpx.Client(base_url=server.url) as client:
        response = client.post("/v3/auth/tokens", json=body)
    assert response.status_code == 401
    assert "X-Subject-Token" not in response.headers
    assert response.json() == {
        "error": {"code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"}
    }


def test_iam_login_bad_requests(server: RunningServer) -> None:
    with httpx.Client(base_url=server.url) as client:
        broken = client.post(
            "/v3/auth/tokens", content=b"{not json", headers={"Content-Type": "application/json"}
        )
        assert broken.status_code == 400
        assert broken.json()["error"]["code"] == 400
        no_method = login_body()
        no_method["auth"]["identity"]["methods"] = ["token"]
        assert client.post("/v3/auth/tokens", json=no_method).status_code == 400
        assert client.get("/v3/auth/tokens").status_code == 405


def test_iam_tokens_expire_after_their_ttl() -> None:
    moment = [datetime(2026, 11, 1, 12, tzinfo=timezone.utc)]
    registry = FakeRegistry(token_ttl_s=60, clock=lambda: moment[0])
    with registry.serve() as server, httpx.Client(base_url=server.url) as client:
        token = client.post("/v3/auth/tokens", json=login_body()).headers["X-Subject-Token"]
        login_request = registry.requests[-1]
        assert login_request.route == "iam"
        assert login_request.status == 201
        moment[0] += timedelta(seconds=59)
        assert client.get("/v2/manage/namespaces", headers={"X-Auth-Token": token}).status_code == 200
        moment[0] += timedelta(seconds=1)
        assert_gateway_401(
            client.get("/v2/manage/namespaces", headers={"X-Auth-Token": token}), "token expires"
        )
        assert client.get("/v2/manage/namespaces", headers={"X-Auth-Token": DEMO_TOKEN}).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/v2/manage/namespaces/acme/repos/webapp/tags/latest"),
        ("DELETE", "/v2/manage/namespaces/acme/repos/webapp"),
        ("POST", "/v2/manage/namespaces"),
        ("PUT", "/v2/manage/namespaces/acme/repos/team%24app"),
        ("PATCH", "/v2/manage/repos"),
    ],
)
def test_registry_refuses_changes(
    client: httpx.Client, registry: FakeRegistry, method: str, path: str
) -> None:
    response = client.request(method, path, content=json.dumps({"is_public": True}))
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"
    assert response.json()["error_code"] == "SVCSTG.SWR.4050000"
    # Nothing changed: the tag is still there.
    assert client.get("/v2/manage/namespaces/acme/repos/webapp/tags/latest").status_code == 200


def test_changes_are_refused_for_aksk_too_and_need_auth_first(server: RunningServer, sign: Signer) -> None:
    url = f"{server.url}/v2/manage/namespaces/acme/repos/webapp/tags/latest"
    with httpx.Client() as client:
        assert client.delete(url, headers=sign(url, method="DELETE")).status_code == 405
        assert client.delete(url).status_code == 401


def test_demo_credentials_are_consistent() -> None:
    assert len(DEMO_AK) == 20
    assert DEMO_AK.isupper()
    assert len(DEMO_SK) == 40
    # A Huawei Cloud project id is 32 lower-case hex digits (int(x, 16) also takes "0x", "_", upper case).
    assert re.fullmatch("[0-9a-f]{32}", DEMO_PROJECT_ID)
