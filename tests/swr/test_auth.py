"""TokenAuth, AkSkAuth and PasswordAuth as httpx.Auth classes (unit level, httpx.MockTransport)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone
from typing import Any, Optional

import httpx
import pytest

from swr_tui.swr import signer
from swr_tui.swr.auth import AkSkAuth, PasswordAuth, TokenAuth
from swr_tui.swr.client import SwrClient
from swr_tui.swr.errors import AuthenticationError, ResponseFormatError

SWR_HOST = "swr-api.cn-north-4.myhuaweicloud.com"
SWR = f"https://{SWR_HOST}"
IAM_HOST = "iam.cn-north-4.myhuaweicloud.com"
IAM = f"https://{IAM_HOST}"
MOMENT = datetime(2026, 1, 1, 8, 30, 15, tzinfo=timezone.utc)
AK = "HPUAEXAMPLEKEY123"
SK = "very-secret-sk-value"
PASSWORD = "Pa$$w0rd-do-not-print"


def _fixed_clock() -> datetime:
    return MOMENT


def _signed_headers(request: httpx.Request) -> list[str]:
    parsed = signer.ParsedAuthorization.parse(request.headers["Authorization"])
    assert parsed is not None
    return parsed.signed_headers


# -- TokenAuth --------------------------------------------------------------------------------------


def test_token_auth_sets_header() -> None:
    request = httpx.Request("GET", f"{SWR}/v2/manage/namespaces")
    flow = TokenAuth("tok-123456").auth_flow(request)
    sent = next(flow)
    assert sent is request
    assert request.headers["X-Auth-Token"] == "tok-123456"
    assert "Authorization" not in request.headers


def test_token_auth_repr_and_kind() -> None:
    auth = TokenAuth("tok-secret-987")
    assert repr(auth) == "TokenAuth(token=***)"
    assert "tok-secret-987" not in repr(auth) + str(auth)
    assert auth.kind == "token"


async def test_token_auth_through_client() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"namespaces": []})

    async with SwrClient(SWR, TokenAuth("tok-abc"), transport=httpx.MockTransport(handler)) as client:
        assert await client.list_namespaces() == []
    assert seen[0].headers["X-Auth-Token"] == "tok-abc"


# -- AkSkAuth ---------------------------------------------------------------------------------------


def test_aksk_without_project_id_or_token() -> None:
    for project_id in (None, ""):
        request = httpx.Request("GET", f"{SWR}/v2/manage/namespaces")
        AkSkAuth(AK, SK, project_id=project_id, clock=_fixed_clock).sign(request)
        assert "X-Project-Id" not in request.headers
        assert "X-Security-Token" not in request.headers
        assert request.headers["X-Sdk-Date"] == "20260101T083015Z"
        assert _signed_headers(request) == ["host", "x-sdk-date"]
        assert request.headers["Authorization"].startswith(f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders=")


def test_aksk_with_project_id() -> None:
    request = httpx.Request("GET", f"{SWR}/v2/manage/namespaces")
    AkSkAuth(AK, SK, project_id="0123abcd", clock=_fixed_clock).sign(request)
    assert request.headers["X-Project-Id"] == "0123abcd"
    assert _signed_headers(request) == ["host", "x-project-id", "x-sdk-date"]


def test_aksk_with_security_token() -> None:
    request = httpx.Request("GET", f"{SWR}/v2/manage/namespaces")
    AkSkAuth(AK, SK, security_token="sts-token", clock=_fixed_clock).sign(request)
    assert request.headers["X-Security-Token"] == "sts-token"
    assert _signed_headers(request) == ["host", "x-sdk-date", "x-security-token"]


def test_aksk_keeps_existing_date_header() -> None:
    request = httpx.Request("GET", f"{SWR}/v2/manage/namespaces", headers={"X-Sdk-Date": "20250505T050505Z"})
    AkSkAuth(AK, SK, clock=_fixed_clock).sign(request)
    assert request.headers["X-Sdk-Date"] == "20250505T050505Z"


def test_aksk_leaves_transport_headers_unsigned() -> None:
    with httpx.Client() as client:
        request = client.build_request(
            "POST",
            f"{SWR}/v2/manage/namespaces",
            headers={"Content-Type": "application/json", "X_Request_Trace": "t-1"},
            content=b'{"namespace": "ns"}',
        )
    for name in ("accept", "accept-encoding", "connection", "user-agent", "content-length"):
        assert name in request.headers
    AkSkAuth(AK, SK, clock=_fixed_clock).sign(request)
    assert _signed_headers(request) == ["content-type", "host", "user-agent", "x-sdk-date"]
    assert request.headers["X_Request_Trace"] == "t-1"


def test_aksk_non_json_content_type_unsigned_payload() -> None:
    request = httpx.Request(
        "PUT", f"{SWR}/v2/x", headers={"Content-Type": "application/octet-stream"}, content=b"\x00bin"
    )
    AkSkAuth(AK, SK, clock=_fixed_clock).sign(request)
    assert request.headers["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
    assert "x-sdk-content-sha256" in _signed_headers(request)


def test_aksk_auth_flow_yields_signed_request() -> None:
    request = httpx.Request("GET", f"{SWR}/v2/manage/namespaces")
    sent = next(AkSkAuth(AK, SK, clock=_fixed_clock).auth_flow(request))
    assert sent is request
    assert "Authorization" in request.headers


def test_aksk_repr_hides_secret() -> None:
    auth = AkSkAuth(AK, SK, security_token="sts-secret-token", project_id="proj")
    text = repr(auth)
    assert SK not in text
    assert "sts-secret-token" not in text
    assert AK not in text
    assert text == "AkSkAuth(access_key=HPUA***, secret_key=***, project_id='proj')"
    assert repr(AkSkAuth("short", SK)) == "AkSkAuth(access_key=***, secret_key=***, project_id=None)"
    assert auth.kind == "aksk"


async def test_aksk_signature_verifies_on_what_the_server_receives() -> None:
    verdicts: list[bool] = []

    def handler(request: httpx.Request) -> httpx.Response:
        raw_path, _, raw_query = request.url.raw_path.decode("ascii").partition("?")
        parsed = signer.ParsedAuthorization.parse(request.headers["Authorization"])
        assert parsed is not None
        assert parsed.access_key == AK
        verdicts.append(
            signer.verify(request.method, raw_path, raw_query, request.headers, request.content, SK, parsed)
        )
        body: Any = [] if request.url.path.endswith(("/tags", "/repos")) else {"tag": "v1:β"}
        return httpx.Response(200, json=body, headers={"Content-Range": "0-0/0"})

    auth = AkSkAuth(AK, SK, project_id="p1", security_token="sts")
    async with SwrClient(SWR, auth, transport=httpx.MockTransport(handler)) as client:
        await client.list_tags("ns", "team/app", tag="v 1")
        tag = await client.show_tag("ns", "team/app", "v1:β")
        await client.list_repositories("ns", name="team/app")
    assert tag.name == "v1:β"
    assert verdicts == [True, True, True]


# -- PasswordAuth -----------------------------------------------------------------------------------


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class FakeCloud:
    """IAM (password login) and SWR (token check) behind one MockTransport handler."""

    def __init__(self, *, password: str = PASSWORD, lifetime: str = "2026-01-02T00:00:00.000000Z") -> None:
        self.password = password
        self.expires_at = lifetime
        self.iam_delay = 0.0
        self.swr_delay = 0.0
        self.logins: list[tuple[httpx.Request, Any]] = []
        self.swr_tokens: list[Optional[str]] = []
        self.valid: set[str] = set()
        self.subject_token_header = True
        self.reject_all = False

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == IAM_HOST:
            body = json.loads(request.content)
            self.logins.append((request, body))
            if body["auth"]["identity"]["password"]["user"]["password"] != self.password:
                return httpx.Response(
                    401,
                    json={
                        "error": {"code": 401, "message": "The username or password is wrong.", "title": "x"}
                    },
                )
            token = f"token-{len(self.logins)}"
            self.valid.add(token)
            token_body = {
                "token": {"expires_at": self.expires_at, "issued_at": "2026-01-01T00:00:00.000000Z"}
            }
            headers = {"X-Subject-Token": token} if self.subject_token_header else {}
            return httpx.Response(201, json=token_body, headers=headers)
        token = request.headers.get("X-Auth-Token")
        self.swr_tokens.append(token)
        if self.reject_all or token not in self.valid:
            return httpx.Response(
                401, json={"error_code": "APIGW.0301", "error_msg": "The token must be updated"}
            )
        return httpx.Response(200, json={"namespaces": [{"name": "ns", "auth": 7}]})

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        delay = self.iam_delay if request.url.host == IAM_HOST else self.swr_delay
        if delay:
            await asyncio.sleep(delay)
        return self.handle(request)

    def revoke_all(self) -> None:
        self.valid.clear()


def _password_auth(clock: FakeClock, password: str = PASSWORD) -> PasswordAuth:
    return PasswordAuth(
        IAM, "alice", "acme-account", password, "cn-north-4", refresh_margin_s=300, clock=clock
    )


def _client(cloud: FakeCloud, auth: PasswordAuth) -> SwrClient:
    return SwrClient(SWR, auth, transport=httpx.MockTransport(cloud.handle_async))


async def test_first_request_logs_in_once_with_documented_body() -> None:
    cloud, clock = FakeCloud(), FakeClock()
    async with _client(cloud, _password_auth(clock)) as client:
        namespaces = await client.list_namespaces()
    assert [ns.name for ns in namespaces] == ["ns"]
    assert len(cloud.logins) == 1
    request, body = cloud.logins[0]
    assert request.method == "POST"
    assert str(request.url) == f"{IAM}/v3/auth/tokens?nocatalog=true"
    assert request.headers["Content-Type"].startswith("application/json")
    assert body == {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {"name": "alice", "password": PASSWORD, "domain": {"name": "acme-account"}}
                },
            },
            "scope": {"project": {"name": "cn-north-4"}},
        }
    }
    assert cloud.swr_tokens == ["token-1"]


async def test_token_reused_for_later_requests() -> None:
    cloud, clock = FakeCloud(), FakeClock()
    async with _client(cloud, _password_auth(clock)) as client:
        for _ in range(4):
            await client.list_namespaces()
    assert len(cloud.logins) == 1
    assert cloud.swr_tokens == ["token-1"] * 4


async def test_token_lifetime_from_issued_and_expires() -> None:
    cloud, clock = FakeCloud(lifetime="2026-01-01T02:00:00.123456789Z"), FakeClock(5000.0)
    auth = _password_auth(clock)
    async with _client(cloud, auth) as client:
        await client.list_namespaces()
    assert auth.token_expires_at == pytest.approx(5000.0 + 7200.123456, abs=1e-3)


async def test_token_without_expiry_lasts_24h() -> None:
    cloud, clock = FakeCloud(lifetime="garbage"), FakeClock(100.0)
    auth = _password_auth(clock)
    async with _client(cloud, auth) as client:
        await client.list_namespaces()
    assert auth.token_expires_at == 100.0 + 24 * 3600


async def test_token_renewed_when_clock_passes_expiry_margin() -> None:
    cloud, clock = FakeCloud(), FakeClock(1_000.0)
    auth = _password_auth(clock)
    async with _client(cloud, auth) as client:
        await client.list_namespaces()
        assert auth.token_expires_at == 1_000.0 + 86_400
        clock.now = 1_000.0 + 86_400 - 300 - 1  # still inside the margin
        await client.list_namespaces()
        assert len(cloud.logins) == 1
        clock.now = 1_000.0 + 86_400 - 300  # margin reached
        await client.list_namespaces()
    assert len(cloud.logins) == 2
    assert cloud.swr_tokens == ["token-1", "token-1", "token-2"]
    assert auth.token_expires_at == 1_000.0 + 86_400 - 300 + 86_400


async def test_renewed_once_on_401_and_request_retried() -> None:
    cloud, clock = FakeCloud(), FakeClock()
    async with _client(cloud, _password_auth(clock)) as client:
        await client.list_namespaces()
        cloud.revoke_all()  # e.g. the password was changed elsewhere
        namespaces = await client.list_namespaces()
        assert client.request_count == 2
    assert [ns.name for ns in namespaces] == ["ns"]
    assert len(cloud.logins) == 2
    assert cloud.swr_tokens == ["token-1", "token-1", "token-2"]


async def test_401_after_renewal_gives_up() -> None:
    cloud, clock = FakeCloud(), FakeClock()
    async with _client(cloud, _password_auth(clock)) as client:
        await client.list_namespaces()
        cloud.reject_all = True
        with pytest.raises(AuthenticationError) as info:
            await client.list_namespaces()
    assert len(cloud.logins) == 2  # one renewal, no loop
    assert cloud.swr_tokens == ["token-1", "token-1", "token-2"]
    assert info.value.status == 401


async def test_fresh_token_refused_is_not_renewed_again() -> None:
    cloud, clock = FakeCloud(), FakeClock()
    cloud.reject_all = True
    async with _client(cloud, _password_auth(clock)) as client:
        with pytest.raises(AuthenticationError):
            await client.list_namespaces()
    assert len(cloud.logins) == 1
    assert cloud.swr_tokens == ["token-1"]


async def test_concurrent_requests_log_in_once() -> None:
    cloud, clock = FakeCloud(), FakeClock()
    cloud.iam_delay = 0.02
    cloud.swr_delay = 0.005
    async with _client(cloud, _password_auth(clock)) as client:
        results = await asyncio.gather(*(client.list_namespaces() for _ in range(10)))
    assert len(results) == 10
    assert all(r[0].name == "ns" for r in results)
    assert len(cloud.logins) == 1
    assert cloud.swr_tokens == ["token-1"] * 10


async def test_concurrent_401s_renew_once() -> None:
    cloud, clock = FakeCloud(), FakeClock()
    cloud.iam_delay = 0.02
    async with _client(cloud, _password_auth(clock)) as client:
        await client.list_namespaces()
        cloud.revoke_all()
        cloud.swr_delay = 0.01  # all ten are in flight with the revoked token, as on a real network
        results = await asyncio.gather(*(client.list_namespaces() for _ in range(10)))
    assert len(results) == 10
    assert len(cloud.logins) == 2


async def test_wrong_password_raises_authentication_error_without_password() -> None:
    cloud, clock = FakeCloud(password="the-right-one"), FakeClock()
    auth = _password_auth(clock, password=PASSWORD)
    async with _client(cloud, auth) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.list_namespaces()
    error = info.value
    rendered = f"{error} {error!r} {error.args} {error.message}"
    assert PASSWORD not in rendered
    assert "IAM refused the user name, account or password" in str(error)
    assert error.status == 401
    assert len(cloud.logins) == 1
    assert cloud.swr_tokens == []


async def test_concurrent_requests_with_wrong_password_try_iam_once() -> None:
    cloud, clock = FakeCloud(password="the-right-one"), FakeClock()
    cloud.iam_delay = 0.01
    async with _client(cloud, _password_auth(clock, password=PASSWORD)) as client:
        results = await asyncio.gather(*(client.list_namespaces() for _ in range(10)), return_exceptions=True)
    assert all(isinstance(result, AuthenticationError) for result in results)
    assert len(cloud.logins) == 1


async def test_login_without_subject_token_is_format_error() -> None:
    cloud, clock = FakeCloud(), FakeClock()
    cloud.subject_token_header = False
    async with _client(cloud, _password_auth(clock)) as client:
        with pytest.raises(ResponseFormatError, match="X-Subject-Token"):
            await client.list_namespaces()
    assert cloud.swr_tokens == []


def test_password_auth_repr_hides_password() -> None:
    auth = _password_auth(FakeClock())
    text = repr(auth)
    assert PASSWORD not in text
    assert "password=***" in text
    assert "alice" in text
    assert "cn-north-4" in text
    assert auth.kind == "password"


def test_password_auth_sync_flow() -> None:
    cloud, clock = FakeCloud(), FakeClock()
    with httpx.Client(auth=_password_auth(clock), transport=httpx.MockTransport(cloud.handle)) as client:
        first = client.get(f"{SWR}/v2/manage/namespaces")
        second = client.get(f"{SWR}/v2/manage/namespaces")
        cloud.revoke_all()
        third = client.get(f"{SWR}/v2/manage/namespaces")
    assert [r.status_code for r in (first, second, third)] == [200, 200, 200]
    assert len(cloud.logins) == 2
    assert cloud.swr_tokens == ["token-1", "token-1", "token-1", "token-2"]
