"""SDK-HMAC-SHA256: the worked vector of swr-api.md section 6, then byte-for-byte agreement with the
official SDK's signer (``huaweicloudsdkcore``, an optional test dependency)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable
from datetime import datetime, timezone
from typing import Callable, Optional
from urllib.parse import urlsplit

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from swr_tui.swr import signer
from swr_tui.swr.auth import AkSkAuth
from swr_tui.swr.client import USER_AGENT, SwrClient

HOST = "swr-api.cn-north-4.myhuaweicloud.com"
ENDPOINT = f"https://{HOST}"
DATE = "20260101T000000Z"
MOMENT = datetime(2026, 1, 1, tzinfo=timezone.utc)
AK = "HPUAEXAMPLEACCESSKEY"
SK = "sEcReT/Key+With=Odd&Chars"


def _fixed_clock() -> datetime:
    return MOMENT


# -- section 6: the worked vector ------------------------------------------------------------------

VECTOR_PATH = "/v2/manage/namespaces/ns/repos/r/tags"
VECTOR_QUERY = "filter=offset%3A%3A0%7Climit%3A%3A10"
VECTOR_HEADERS = {"X-Sdk-Date": DATE, "Host": HOST}
VECTOR_CANONICAL = (
    "GET\n/v2/manage/namespaces/ns/repos/r/tags/\nfilter=offset%3A%3A0%7Climit%3A%3A10\n"
    f"host:{HOST}\nx-sdk-date:{DATE}\n\nhost;x-sdk-date\n"
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)
VECTOR_STRING_TO_SIGN = (
    "SDK-HMAC-SHA256\n20260101T000000Z\ncbb4c6e567e14b53752813ce4aec0b8e8d0d9168ec74f5e9d245cd39fe965279"
)
VECTOR_AUTHORIZATION = (
    "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, "
    "Signature=26f15a4c6d65e1ec8c16f4cb94ba8eb74ba446f02437bc9b033dd464f10eaab6"
)


def test_worked_vector_wire_query() -> None:
    assert signer.canonical_query([("filter", "offset::0|limit::10")]) == VECTOR_QUERY


def test_worked_vector_canonical_request() -> None:
    names = signer.signed_header_names(VECTOR_HEADERS)
    assert names == ["host", "x-sdk-date"]
    canonical = signer.canonical_request("get", VECTOR_PATH, VECTOR_QUERY, VECTOR_HEADERS, names, b"")
    assert canonical == VECTOR_CANONICAL


def test_worked_vector_string_to_sign() -> None:
    assert signer.string_to_sign(VECTOR_CANONICAL, DATE) == VECTOR_STRING_TO_SIGN


def test_worked_vector_authorization() -> None:
    assert (
        signer.sign("GET", VECTOR_PATH, VECTOR_QUERY, VECTOR_HEADERS, b"", "AK", "SK") == VECTOR_AUTHORIZATION
    )


def test_worked_vector_through_aksk_auth() -> None:
    request = httpx.Request("GET", f"{ENDPOINT}{VECTOR_PATH}?{VECTOR_QUERY}")
    AkSkAuth("AK", "SK", clock=_fixed_clock).sign(request)
    assert request.headers["X-Sdk-Date"] == DATE
    assert request.headers["Authorization"] == VECTOR_AUTHORIZATION
    assert request.url.raw_path == f"{VECTOR_PATH}?{VECTOR_QUERY}".encode()


# -- the pure pieces -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw_path", "expected"),
    [
        ("/v2/manage/namespaces", "/v2/manage/namespaces/"),
        ("/v2/manage/namespaces/", "/v2/manage/namespaces/"),
        ("/v2/manage/namespaces/ns/repos/a$b", "/v2/manage/namespaces/ns/repos/a%24b/"),
        ("/v2/manage/namespaces/ns/repos/a%24b", "/v2/manage/namespaces/ns/repos/a%24b/"),
        ("/v2/manage/namespaces/ns/repos/a%2Fb", "/v2/manage/namespaces/ns/repos/a/b/"),
        ("/v2/x/tags/v1%3Aa~b", "/v2/x/tags/v1%3Aa~b/"),
        ("/v2/x/my%20ns", "/v2/x/my%20ns/"),
        ("/v2/x/%E4%B8%AD", "/v2/x/%E4%B8%AD/"),
        ("", "/"),
    ],
)
def test_canonical_uri(raw_path: str, expected: str) -> None:
    assert signer.canonical_uri(raw_path) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ([("b", "2"), ("a", "1")], "a=1&b=2"),
        ([("k", "2"), ("k", "1"), ("k", "10")], "k=1&k=10&k=2"),
        ([("q", "a b")], "q=a%20b"),
        ([("f", "a::b|c")], "f=a%3A%3Ab%7Cc"),
        ([("t", "~x-y_z.")], "t=~x-y_z."),
        ([("e", "")], "e="),
        ([("u", "ü")], "u=%C3%BC"),
        ([("p", "a+b&c=d/e$")], "p=a%2Bb%26c%3Dd%2Fe%24"),
        ([], ""),
    ],
)
def test_canonical_query(params: list[tuple[str, str]], expected: str) -> None:
    assert signer.canonical_query(params) == expected


def test_canonical_query_from_raw_reparses_and_sorts() -> None:
    assert signer.canonical_query_from_raw("b=2&a=x%20y&e=&k=2&k=1") == "a=x%20y&b=2&e=&k=1&k=2"


def test_signed_header_names_drop_underscores_and_dedupe() -> None:
    names = signer.signed_header_names(["X-Sdk-Date", "Host", "X_Trace_Id", "host", "Content-Type"])
    assert names == ["content-type", "host", "x-sdk-date"]


def test_payload_hash() -> None:
    assert signer.payload_hash(b"", {}) == hashlib.sha256(b"").hexdigest()
    assert signer.payload_hash(b"{}", {}) == hashlib.sha256(b"{}").hexdigest()
    assert signer.payload_hash(b"\x00", {"X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD"}) == "UNSIGNED-PAYLOAD"
    # An empty body wins over the unsigned-payload header, as in the SDK.
    assert signer.payload_hash(b"", {"X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD"}) == signer.EMPTY_BODY_SHA256


def test_sdk_date_round_trip() -> None:
    assert signer.sdk_date(MOMENT) == DATE
    assert signer.parse_sdk_date(DATE) == MOMENT


def test_sign_without_date_header_raises() -> None:
    with pytest.raises(ValueError, match="X-Sdk-Date"):
        signer.sign("GET", "/", "", {"Host": HOST}, b"", "AK", "SK")


def test_parse_authorization() -> None:
    parsed = signer.ParsedAuthorization.parse(VECTOR_AUTHORIZATION)
    assert parsed is not None
    assert parsed.access_key == "AK"
    assert parsed.signed_headers == ["host", "x-sdk-date"]
    assert parsed.signature == "26f15a4c6d65e1ec8c16f4cb94ba8eb74ba446f02437bc9b033dd464f10eaab6"
    assert signer.ParsedAuthorization.parse("Bearer abc") is None
    assert signer.ParsedAuthorization.parse("SDK-HMAC-SHA256 Access=AK, Signature=x") is None
    assert signer.ParsedAuthorization.parse("") is None


# -- verify() --------------------------------------------------------------------------------------


def _signed_request() -> httpx.Request:
    request = httpx.Request(
        "GET",
        f"{ENDPOINT}/v2/manage/namespaces/ns/repos/team%24app/tags?filter=offset%3A%3A0%7Climit%3A%3A10",
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
    )
    AkSkAuth(AK, SK, project_id="proj-1", clock=_fixed_clock).sign(request)
    return request


def _verify(
    request: httpx.Request, secret: str, path: Optional[str] = None, query: Optional[str] = None
) -> bool:
    raw_path, _, raw_query = request.url.raw_path.decode("ascii").partition("?")
    parsed = signer.ParsedAuthorization.parse(request.headers["Authorization"])
    assert parsed is not None
    return signer.verify(
        request.method,
        raw_path if path is None else path,
        raw_query if query is None else query,
        dict(request.headers),
        request.content,
        secret,
        parsed,
    )


def test_verify_accepts_good_signature() -> None:
    assert _verify(_signed_request(), SK) is True


def test_verify_accepts_equivalent_query_spelling() -> None:
    request = _signed_request()
    # The same pair spelled without percent-encoding: verify compares canonical forms.
    assert _verify(request, SK, query="filter=offset::0|limit::10") is True


def test_verify_rejects_wrong_secret() -> None:
    assert _verify(_signed_request(), SK + "x") is False


def test_verify_rejects_tampered_query() -> None:
    assert _verify(_signed_request(), SK, query="filter=offset%3A%3A0%7Climit%3A%3A11") is False


def test_verify_rejects_tampered_path() -> None:
    assert _verify(_signed_request(), SK, path="/v2/manage/namespaces/ns/repos/other/tags") is False


@pytest.mark.parametrize("header", ["X-Project-Id", "Host", "X-Sdk-Date", "User-Agent", "Content-Type"])
def test_verify_rejects_tampered_signed_header(header: str) -> None:
    request = _signed_request()
    request.headers[header] = request.headers[header] + "0"
    assert _verify(request, SK) is False


def test_verify_ignores_unsigned_header() -> None:
    request = _signed_request()
    request.headers["Accept-Encoding"] = "identity"
    request.headers["X_Trace_Id"] = "changed"
    assert _verify(request, SK) is True


def test_verify_without_date_header_is_false() -> None:
    request = _signed_request()
    del request.headers["X-Sdk-Date"]
    assert _verify(request, SK) is False


# -- byte-for-byte agreement with the official SDK ------------------------------------------------


def _sdk_sign(
    method: str,
    resource_path: str,
    query_params: list[tuple[str, str]],
    headers: dict[str, str],
    body: bytes = b"",
    *,
    project_id: Optional[str] = None,
    security_token: Optional[str] = None,
    host: str = HOST,
    ak: str = AK,
    sk: str = SK,
) -> tuple[str, str, dict[str, str]]:
    """(Authorization, wire uri, final headers) as the SDK's BasicCredentials signs the request."""
    pytest.importorskip("huaweicloudsdkcore")
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest

    credentials = BasicCredentials(ak, sk, project_id)
    if security_token:
        credentials.with_security_token(security_token)
    request = SdkRequest(
        method=method,
        schema="https",
        host=host,
        resource_path=resource_path,
        query_params=list(query_params),
        header_params={"X-Sdk-Date": DATE, **headers},
        body=body,
    )
    signed = credentials.sign_request(request)
    return signed.header_params["Authorization"], signed.uri, dict(signed.header_params)


def _our_sign(
    method: str,
    resource_path: str,
    query_params: list[tuple[str, str]],
    headers: dict[str, str],
    body: bytes = b"",
    *,
    project_id: Optional[str] = None,
    security_token: Optional[str] = None,
) -> httpx.Request:
    query = signer.canonical_query(query_params)
    url = f"{ENDPOINT}{resource_path}" + (f"?{query}" if query else "")
    request = httpx.Request(method, url, headers=headers, content=body or None)
    AkSkAuth(AK, SK, project_id=project_id, security_token=security_token, clock=_fixed_clock).sign(request)
    return request


JSON = {"Content-Type": "application/json", "User-Agent": USER_AGENT}

SDK_CASES = {
    "sorting": ("GET", "/v2/manage/repos", [("namespace", "ns"), ("limit", "10"), ("category", "app")], JSON),
    "spaces": ("GET", "/v2/manage/repos", [("name", "a b  c")], JSON),
    "filter-pipe-colon": ("GET", "/v2/manage/repos", [("filter", "namespace::ns|name::a$b|limit::5")], JSON),
    "tilde": ("GET", "/v2/manage/repos", [("name", "~a.b-c_d~")], JSON),
    "unicode": ("GET", "/v2/manage/repos", [("name", "中文/ü é"), ("z", "∑")], JSON),
    "empty-value": ("GET", "/v2/manage/repos", [("name", ""), ("a", "1")], JSON),
    "repeated-keys": ("GET", "/v2/manage/repos", [("k", "b"), ("k", "a"), ("k", "10"), ("k", "")], JSON),
    "reserved-chars": ("GET", "/v2/manage/repos", [("a&b", "c=d+e#f?g%h"), ("*", "'()!")], JSON),
    "no-trailing-slash": ("GET", "/v2/manage/namespaces", [], JSON),
    "trailing-slash": ("GET", "/v2/manage/namespaces/", [], JSON),
    "dollar-raw": ("GET", "/v2/manage/namespaces/ns/repos/team$app/tags", [], JSON),
    "dollar-encoded": ("GET", "/v2/manage/namespaces/ns/repos/team%24app/tags", [], JSON),
    "slash-encoded": ("GET", "/v2/manage/namespaces/ns/repos/team%2Fapp/tags", [], JSON),
    "tag-specials": ("GET", "/v2/manage/namespaces/ns/repos/r/tags/v1.0-rc%2B1~x%3Ay", [], JSON),
    "unicode-path": ("GET", "/v2/manage/namespaces/%E4%B8%AD%20ns/repos/r", [], JSON),
    "delete": ("DELETE", "/v2/manage/namespaces/ns/repos/r/tags/v1", [], JSON),
    "no-headers": ("GET", "/v2/manage/namespaces/ns/repos/r/tags", [("filter", "offset::0|limit::10")], {}),
    "underscore-header": ("GET", "/v2/manage/repos", [], {**JSON, "X_Trace_Id": "abc", "X-Custom": " pad "}),
    "charset-json": ("GET", "/v2/manage/repos", [], {"Content-Type": "application/json;charset=utf-8"}),
}


@pytest.mark.parametrize("case", sorted(SDK_CASES))
@pytest.mark.parametrize(
    ("project_id", "security_token"),
    [(None, None), ("0a1b2c3d4e5f", None), (None, "temp-token/+="), ("proj", "temp")],
)
def test_matches_sdk_signer(case: str, project_id: Optional[str], security_token: Optional[str]) -> None:
    method, path, query, headers = SDK_CASES[case]
    expected, sdk_uri, sdk_headers = _sdk_sign(
        method, path, query, headers, project_id=project_id, security_token=security_token
    )
    ours = _our_sign(method, path, query, headers, project_id=project_id, security_token=security_token)
    assert ours.headers["Authorization"] == expected
    # What goes on the wire is what the SDK sends (and what both signed).
    assert ours.url.raw_path.decode("ascii") == sdk_uri
    assert ours.headers.get("X-Project-Id") == sdk_headers.get("X-Project-Id")
    assert ours.headers.get("X-Security-Token") == sdk_headers.get("X-Security-Token")


def test_underscore_header_sent_but_unsigned() -> None:
    method, path, query, headers = SDK_CASES["underscore-header"]
    ours = _our_sign(method, path, query, headers)
    assert ours.headers["X_Trace_Id"] == "abc"
    assert "SignedHeaders=content-type;host;user-agent;x-custom;x-sdk-date," in ours.headers["Authorization"]


@pytest.mark.parametrize("content_type", ["application/json", "application/json;charset=utf-8"])
def test_post_json_body_matches_sdk(content_type: str) -> None:
    body = b'{"namespace": "ns", "\xc3\xbc": [1, 2.5, null]}'
    headers = {"Content-Type": content_type, "User-Agent": USER_AGENT}
    expected, _, _ = _sdk_sign("POST", "/v2/manage/namespaces", [], headers, body, project_id="p")
    ours = _our_sign("POST", "/v2/manage/namespaces", [], headers, body, project_id="p")
    assert ours.headers["Authorization"] == expected
    assert "X-Sdk-Content-Sha256" not in ours.headers


@pytest.mark.parametrize("content_type", ["application/octet-stream", "text/plain", "multipart/form-data"])
def test_non_json_body_is_unsigned_payload_like_sdk(content_type: str) -> None:
    body = b"\x00\x01binary\xff"
    headers = {"Content-Type": content_type}
    expected, _, sdk_headers = _sdk_sign("PUT", "/v2/upload", [("part", "1")], headers, body)
    ours = _our_sign("PUT", "/v2/upload", [("part", "1")], headers, body)
    assert sdk_headers["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
    assert ours.headers["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
    assert ours.headers["Authorization"] == expected
    assert "x-sdk-content-sha256" in ours.headers["Authorization"]


def test_real_sdk_swr_request_assembly_matches_client() -> None:
    """The SDK's own ListRepositoryTags assembly (path params, query params) signs like SwrClient."""
    pytest.importorskip("huaweicloudsdkcore")
    pytest.importorskip("huaweicloudsdkswr")
    from huaweicloudsdkswr.v2 import ListRepositoryTagsRequest
    from huaweicloudsdkswr.v2 import SwrClient as SdkSwrClient

    filters = "offset::0|limit::50|order_column::updated_at|order_type::desc|tag::v1 rc"
    info = SdkSwrClient._list_repository_tags_http_info(
        ListRepositoryTagsRequest(namespace="my-ns", repository="team$app", filter=filters)
    )
    resource_path, query_params = _sdk_path_and_query(
        info["resource_path"], info["path_params"], info["query_params"]
    )
    expected, sdk_uri, _ = _sdk_sign("GET", resource_path, query_params, dict(JSON), project_id="p")
    captured = _capture_client_request(
        lambda client: client.list_tags("my-ns", "team/app", limit=50, tag="v1 rc"), project_id="p"
    )
    assert captured.url.raw_path.decode("ascii") == sdk_uri
    assert captured.headers["Authorization"] == expected


# -- property: SwrClient's requests sign exactly like the SDK ---------------------------------------


def _sdk_path_and_query(
    template: str, path_params: dict[str, str], query_params: list[tuple[str, object]]
) -> tuple[str, list[tuple[str, str]]]:
    """Path and query as ``huaweicloudsdkcore.client.Client`` assembles them (quote(v, safe=''))."""
    from huaweicloudsdkcore.client import Client

    bare = Client.__new__(Client)  # the two helpers only use class-level utilities
    path = Client._parse_path_params(bare, {}, dict(path_params), template, {})
    query = Client._parse_query_params(bare, {}, list(query_params))
    return path, list(query)


def _capture_client_request(
    call: Callable[[SwrClient], Awaitable[object]],
    *,
    project_id: Optional[str] = None,
    security_token: Optional[str] = None,
) -> httpx.Request:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = b"[]" if request.url.path.endswith(("/tags", "/repos")) else b"{}"
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    async def run() -> None:
        auth = AkSkAuth(AK, SK, project_id=project_id, security_token=security_token, clock=_fixed_clock)
        async with SwrClient(ENDPOINT, auth, transport=httpx.MockTransport(handler)) as client:
            await call(client)

    asyncio.run(run())
    assert len(seen) == 1
    return seen[0]


NAME_ALPHABET = st.characters(
    codec="utf-8",
    exclude_categories=("Cs",),
    exclude_characters="\x00",
)
names = st.text(alphabet=NAME_ALPHABET, min_size=1, max_size=12)
simple_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_./ $~:%+", min_size=1, max_size=12)
any_name = st.one_of(simple_names, names)


def _not_dot_segment(value: str) -> bool:
    # httpx removes "." and ".." path segments (RFC 3986 5.2.4); no SWR name can be one of them.
    return value.strip() not in {".", ".."} and value not in {".", ".."}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    operation=st.sampled_from(["list_tags", "show_tag", "show_repository", "list_repositories"]),
    namespace=any_name,
    repository=any_name,
    tag=st.one_of(st.none(), any_name.filter(lambda text: "|" not in text)),
    offset=st.integers(min_value=0, max_value=10_000),
    limit=st.integers(min_value=1, max_value=1000),
    order=st.sampled_from(["desc", "asc"]),
    project_id=st.one_of(st.none(), st.text(alphabet="0123456789abcdef", min_size=1, max_size=32)),
    security_token=st.one_of(st.none(), st.text(alphabet="ABCdef012+/=", min_size=1, max_size=20)),
)
def test_property_client_requests_sign_like_sdk(
    operation: str,
    namespace: str,
    repository: str,
    tag: Optional[str],
    offset: int,
    limit: int,
    order: str,
    project_id: Optional[str],
    security_token: Optional[str],
) -> None:
    pytest.importorskip("huaweicloudsdkcore")
    repo_param = repository.replace("/", "$")
    assume(_not_dot_segment(namespace) and _not_dot_segment(repo_param))
    assume(tag is None or _not_dot_segment(tag))
    assume("|" not in repository)

    path_params = {"namespace": namespace, "repository": repo_param}
    if operation == "list_tags":
        template = "/v2/manage/namespaces/{namespace}/repos/{repository}/tags"
        parts = [f"offset::{offset}", f"limit::{limit}", "order_column::updated_at", f"order_type::{order}"]
        if tag:
            parts.append(f"tag::{tag}")
        query: list[tuple[str, object]] = [("filter", "|".join(parts))]

        def call(client: SwrClient) -> Awaitable[object]:
            return client.list_tags(namespace, repository, offset=offset, limit=limit, order=order, tag=tag)

    elif operation == "show_tag":
        assume(tag is not None)
        template = "/v2/manage/namespaces/{namespace}/repos/{repository}/tags/{tag}"
        path_params["tag"] = tag or ""
        query = []

        def call(client: SwrClient) -> Awaitable[object]:
            return client.show_tag(namespace, repository, tag or "")

    elif operation == "show_repository":
        template = "/v2/manage/namespaces/{namespace}/repos/{repository}"
        query = []

        def call(client: SwrClient) -> Awaitable[object]:
            return client.show_repository(namespace, repository)

    else:
        assume("|" not in namespace)
        template = "/v2/manage/repos"
        parts = [f"namespace::{namespace}", f"name::{repo_param}", f"offset::{offset}", f"limit::{limit}"]
        parts += ["order_column::name", f"order_type::{order}"]
        query = [("filter", "|".join(parts))]

        def call(client: SwrClient) -> Awaitable[object]:
            return client.list_repositories(
                namespace, name=repository, offset=offset, limit=limit, order_type=order
            )

    resource_path, query_params = _sdk_path_and_query(template, path_params, query)
    captured = _capture_client_request(call, project_id=project_id, security_token=security_token)
    host = urlsplit(ENDPOINT).netloc
    sdk_headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    expected, sdk_uri, _ = _sdk_sign(
        "GET",
        resource_path,
        query_params,
        sdk_headers,
        project_id=project_id,
        security_token=security_token,
        host=host,
    )
    assert captured.headers["Host"] == host
    assert captured.url.raw_path.decode("ascii") == sdk_uri
    assert captured.headers["Authorization"] == expected
