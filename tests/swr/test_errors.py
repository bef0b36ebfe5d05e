"""Error bodies (swr-api.md section 5), status mapping, 401 diagnosis, Retry-After, transport errors."""

from __future__ import annotations

import json
import ssl
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any, Optional

import httpx
import pytest

from swr_tui.swr.errors import (
    AuthenticationError,
    BadRequestError,
    HttpError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    SwrError,
    TransportError,
    clock_skew_seconds,
    describe_transport_error,
    error_from_response,
    parse_error_body,
    parse_retry_after,
)

ENDPOINT = "https://swr-api.cn-north-4.myhuaweicloud.com"
TOKEN = "MIIZ-secret-token-value-0123456789"
SECURITY_TOKEN = "sts-temporary-secret-abcdef"
SIGNATURE = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
AUTHORIZATION = f"SDK-HMAC-SHA256 Access=HPUAKEY, SignedHeaders=host;x-sdk-date, Signature={SIGNATURE}"
SECRETS = (TOKEN, SECURITY_TOKEN, SIGNATURE)

NEW_SWR = {
    "errors": [
        {
            "errorCode": "SVCSTG.SWR.4030170",
            "errorMessage": "Insufficient permissions",
            "detail": "",
            "encoded_authorization_message": "enc",
        }
    ],
    "error_code": "SVCSTG.SWR.4030170",
    "error_msg": "Insufficient permissions",
    "details": [{"error_code": "SVCSTG.SWR.4030170", "error_msg": ""}],
    "encoded_authorization_message": "enc",
}
OLD_SWR = [
    {"errorCode": "SVCSTG.SWR.4001048", "errorMessage": "Failed to get Token from Context", "detail": ""}
]
APIGW = {
    "error_code": "APIGW.0301",
    "error_msg": "Incorrect IAM authentication information: verify aksk signature fail",
    "request_id": "abc",
}
IAM = {"error": {"code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"}}


def _response(
    status: int,
    body: Any = None,
    *,
    headers: Optional[dict[str, str]] = None,
    request_headers: Optional[dict[str, str]] = None,
) -> httpx.Response:
    content = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else b"")
    request = httpx.Request("GET", f"{ENDPOINT}/v2/manage/repos", headers=request_headers or {})
    return httpx.Response(status, content=content, headers=headers or {}, request=request)


# -- parse_error_body ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (NEW_SWR, ("SVCSTG.SWR.4030170", "Insufficient permissions")),
        (OLD_SWR, ("SVCSTG.SWR.4001048", "Failed to get Token from Context")),
        (APIGW, ("APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail")),
        ({"error_code": "APIG.0301", "error_msg": "token expires"}, ("APIG.0301", "token expires")),
        (IAM, ("401", "The username or password is wrong.")),
        ({"errorCode": "X.1", "errorMsg": "old style msg"}, ("X.1", "old style msg")),
        ({"errorCode": "X.2", "errorMessage": "m2", "errorMsg": "m3"}, ("X.2", "m2")),
        ({"code": "C", "message": "plain"}, ("C", "plain")),
        ({"message": "only a message"}, (None, "only a message")),
        ({"error_code": "ONLY.CODE"}, ("ONLY.CODE", None)),
        ({"error_code": "E", "error_msg": ""}, ("E", None)),
        ({"outer": {"inner": {"error_code": "DEEP", "error_msg": "nested"}}}, ("DEEP", "nested")),
        ({"wrapper": [{"noise": 1}, {"errorCode": "L", "errorMessage": "in list"}]}, ("L", "in list")),
        ([], (None, None)),
        ({}, (None, None)),
        ({"a": {"b": {"c": {"d": {"e": {"f": {"error_code": "TOO.DEEP"}}}}}}}, (None, None)),
        (42, (None, None)),
        ("a string", (None, None)),
    ],
)
def test_parse_error_body(body: Any, expected: tuple[Optional[str], Optional[str]]) -> None:
    assert parse_error_body(json.dumps(body).encode()) == expected


@pytest.mark.parametrize("raw", [b"", b"<html>502 Bad Gateway</html>", b"\xff\xfe\x00", b"{", b"null"])
def test_parse_error_body_non_json(raw: bytes) -> None:
    assert parse_error_body(raw) == (None, None)


def test_parse_error_body_nested_past_the_recursion_limit() -> None:
    assert parse_error_body(b"[" * 100_000 + b"]" * 100_000) == (None, None)


def test_parse_error_body_with_a_byte_that_is_not_utf8() -> None:
    body = b'{"error_code": "SVCSTG.SWR.4030170", "error_msg": "no access to ns\xff"}'
    assert parse_error_body(body) == ("SVCSTG.SWR.4030170", "no access to ns\udcff")


# -- error_from_response: status mapping --------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls", "fragment"),
    [
        (400, BadRequestError, "rejected the request for repository ns/app"),
        (401, AuthenticationError, "Authentication failed"),
        (403, PermissionDeniedError, "Permission denied for repository ns/app"),
        (404, NotFoundError, "Not found: repository ns/app"),
        (429, RateLimitedError, "Too many requests for repository ns/app"),
        (500, ServerError, "failed with HTTP 500 while loading repository ns/app"),
        (502, ServerError, "HTTP 502"),
        (503, ServerError, "HTTP 503"),
        (504, ServerError, "HTTP 504"),
        (409, HttpError, "Unexpected HTTP 409 while loading repository ns/app"),
        (406, HttpError, "Unexpected HTTP 406"),
    ],
)
def test_status_mapping(status: int, cls: type, fragment: str) -> None:
    body = {"error_code": f"SVCSTG.SWR.{status}0001", "error_msg": "server says no"}
    error = error_from_response(
        _response(status, body, headers={"X-Request-Id": "req-123"}), "repository ns/app", "token"
    )
    assert type(error) is cls
    assert isinstance(error, HttpError)
    assert isinstance(error, SwrError)
    assert error.status == status
    assert error.code == f"SVCSTG.SWR.{status}0001"
    assert error.request_id == "req-123"
    assert fragment in error.message
    text = str(error)
    assert text.endswith(f"(SVCSTG.SWR.{status}0001, request req-123)")
    assert "\n" not in text


def test_server_message_is_included_and_clipped() -> None:
    long = "word " * 200
    error = error_from_response(_response(400, {"error_msg": long}), "x")
    assert error.message.startswith("The registry rejected the request for x: word word")
    assert error.message.endswith("…")
    assert len(error.message) < 300


def test_server_message_whitespace_collapsed() -> None:
    error = error_from_response(_response(404, {"error_msg": "line1\n\n\tline2\r\nline3"}), "x")
    assert "line1 line2 line3" in error.message
    assert "\n" not in str(error)


def test_error_without_body_or_request_id() -> None:
    error = error_from_response(_response(404, b"<html>nope</html>"), "tag ns/app:v1")
    assert error.code is None
    assert error.request_id is None
    assert str(error) == "Not found: tag ns/app:v1. Check the name, or reload the list"


def test_response_without_request_is_handled() -> None:
    error = error_from_response(httpx.Response(400, json={"error_msg": "bare"}), "x")
    assert str(error) == "The registry rejected the request for x: bare"


# -- 401 diagnosis -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Incorrect IAM authentication information: token expires", "The token must be updated"]
)
def test_401_expired_token(text: str) -> None:
    error = error_from_response(_response(401, {"error_code": "APIGW.0301", "error_msg": text}), "x", "token")
    assert isinstance(error, AuthenticationError)
    assert "token has expired" in error.message
    assert error.code == "APIGW.0301"


def test_401_bad_signature() -> None:
    error = error_from_response(_response(401, APIGW), "x", "aksk")
    assert "AK/SK signature was refused" in error.message
    assert "HUAWEICLOUD_SDK_SK" in error.message


def test_401_signature_text_without_auth_kind() -> None:
    error = error_from_response(_response(401, APIGW), "x")
    assert "AK/SK signature was refused" in error.message


@pytest.mark.parametrize(
    ("offset", "direction"), [(timedelta(hours=-1), "ahead of"), (timedelta(hours=1), "behind")]
)
def test_401_clock_skew_from_date_header(offset: timedelta, direction: str) -> None:
    server_time = datetime.now(timezone.utc) + offset
    response = _response(401, APIGW, headers={"Date": format_datetime(server_time, usegmt=True)})
    error = error_from_response(response, "x", "aksk")
    assert isinstance(error, AuthenticationError)
    assert "clock" in error.message
    assert f"60 min {direction} the registry's" in error.message
    assert "15 min" in error.message


def test_401_small_skew_is_not_blamed_on_the_clock() -> None:
    server_time = datetime.now(timezone.utc) - timedelta(minutes=5)
    response = _response(401, APIGW, headers={"Date": format_datetime(server_time, usegmt=True)})
    error = error_from_response(response, "x", "aksk")
    assert "machine's clock" not in error.message
    assert "signature was refused" in error.message


def test_401_skew_ignored_for_token_auth() -> None:
    server_time = datetime.now(timezone.utc) + timedelta(hours=1)
    response = _response(
        401, {"error_msg": "bad token"}, headers={"Date": format_datetime(server_time, usegmt=True)}
    )
    error = error_from_response(response, "x", "token")
    assert "clock" not in error.message
    assert "SWR_TUI_TOKEN" in error.message


def test_401_password_kind() -> None:
    error = error_from_response(_response(401, IAM), "IAM login for user alice", "iam-login")
    assert "IAM refused the user name, account or password" in error.message
    assert error.code == "401"


def test_401_for_a_token_iam_issued_points_at_the_users_permissions() -> None:
    error = error_from_response(_response(401, APIGW), "the namespace list", "password")
    assert "refused the token IAM issued" in error.message
    assert "IAM refused the user name" not in error.message


def test_clock_skew_seconds() -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
    response = _response(200, headers={"Date": "Thu, 01 Jan 2026 11:00:00 GMT"})
    assert clock_skew_seconds(response, now) == 3600.0
    assert clock_skew_seconds(_response(200), now) is None
    assert clock_skew_seconds(_response(200, headers={"Date": "not a date"}), now) is None


# -- Retry-After -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5", 5.0),
        (" 2.5 ", 2.5),
        ("0", 0.0),
        ("-3", 0.0),
        ("Thu, 01 Jan 2026 12:00:30 GMT", 30.0),
        ("Thu, 01 Jan 2026 11:59:00 GMT", 0.0),
        (None, None),
        ("", None),
        ("soon", None),
    ],
)
def test_parse_retry_after(value: Optional[str], expected: Optional[float]) -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
    assert parse_retry_after(value, now) == expected


def test_429_retry_after_seconds() -> None:
    error = error_from_response(_response(429, {}, headers={"Retry-After": "7"}), "the tags of ns/app")
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == 7.0
    assert "wait 7 s" in error.message


def test_429_retry_after_http_date() -> None:
    when = datetime.now(timezone.utc) + timedelta(seconds=120)
    error = error_from_response(
        _response(429, {}, headers={"Retry-After": format_datetime(when, usegmt=True)}), "x"
    )
    assert isinstance(error, RateLimitedError)
    assert error.retry_after is not None
    assert 100 <= error.retry_after <= 121


def test_429_without_retry_after() -> None:
    error = error_from_response(_response(429, {}), "x")
    assert isinstance(error, RateLimitedError)
    assert error.retry_after is None
    assert "wait" not in error.message


def test_503_carries_retry_after() -> None:
    error = error_from_response(_response(503, {}, headers={"Retry-After": "4"}), "x")
    assert isinstance(error, ServerError)
    assert error.retry_after == 4.0
    assert error_from_response(_response(500, {}), "x").retry_after is None  # type: ignore[attr-defined]


# -- secrets never appear -------------------------------------------------------------------------------

SECRET_HEADERS = {"X-Auth-Token": TOKEN, "X-Security-Token": SECURITY_TOKEN, "Authorization": AUTHORIZATION}
ECHO = f"bad request: token={TOKEN} sts={SECURITY_TOKEN} auth={AUTHORIZATION} sig {SIGNATURE}"


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 429, 500, 503])
@pytest.mark.parametrize("auth_kind", ["", "token", "aksk", "password"])
def test_no_secret_in_messages(status: int, auth_kind: str) -> None:
    for body in (
        ECHO.encode(),
        {"error_code": "E", "error_msg": ECHO},
        [{"errorCode": "E", "errorMessage": ECHO}],
    ):
        response = _response(status, body, headers={"X-Request-Id": "r1"}, request_headers=SECRET_HEADERS)
        error = error_from_response(response, "repository ns/app", auth_kind)
        rendered = f"{error} {error!r} {error.message} {error.args}"
        for secret in SECRETS:
            assert secret not in rendered
        assert "repository ns/app" in rendered or status == 401


def test_echoed_secret_is_masked_but_message_kept() -> None:
    response = _response(400, {"error_msg": ECHO}, request_headers=SECRET_HEADERS)
    error = error_from_response(response, "x")
    assert "bad request: token=*** sts=*** auth=*** sig ***" in error.message


# -- transport errors ------------------------------------------------------------------------------------

REQUEST = httpx.Request("GET", f"{ENDPOINT}/v2/manage/namespaces")


def test_connect_error() -> None:
    error = describe_transport_error(
        httpx.ConnectError("[Errno 111] Connection refused", request=REQUEST), ENDPOINT
    )
    assert type(error) is TransportError
    assert str(error) == (
        f"Cannot connect to {ENDPOINT} ([Errno 111] Connection refused). "
        "Check the network, proxy settings and --endpoint"
    )


@pytest.mark.parametrize(
    ("exc_type", "phrase"),
    [
        (httpx.ConnectTimeout, "Timed out connecting to"),
        (httpx.ReadTimeout, "Timed out waiting for an answer from"),
        (httpx.WriteTimeout, "Timed out sending to"),
        (httpx.PoolTimeout, "Timed out waiting for a free connection to"),
        (httpx.TimeoutException, "Timed out talking to"),
    ],
)
def test_timeouts(exc_type: type[httpx.TimeoutException], phrase: str) -> None:
    error = describe_transport_error(exc_type("timed out", request=REQUEST), ENDPOINT)
    assert isinstance(error, RequestTimeoutError)
    assert isinstance(error, TransportError)
    assert error.message.startswith(f"{phrase} {ENDPOINT}.")
    assert "--timeout" in error.message


@pytest.mark.parametrize("exc_type", [httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError])
def test_broken_connection(exc_type: type[httpx.TransportError]) -> None:
    error = describe_transport_error(exc_type("peer closed connection", request=REQUEST), ENDPOINT)
    assert type(error) is TransportError
    assert error.message == f"The connection to {ENDPOINT} broke before the answer was complete. Try again"


def test_tls_verify_failure() -> None:
    cause = ssl.SSLCertVerificationError(
        1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)"
    )
    exc = httpx.ConnectError(str(cause), request=REQUEST)
    exc.__cause__ = cause
    error = describe_transport_error(exc, ENDPOINT)
    assert type(error) is TransportError
    assert error.message == (
        f"TLS certificate of {ENDPOINT} could not be verified. For a private CA pass --ca-bundle FILE"
    )


def test_local_protocol_error_does_not_quote_the_header_value() -> None:
    # What httpcore/h11 raise for a token read with a trailing newline.
    request = httpx.Request("GET", f"{ENDPOINT}/v2/manage/namespaces", headers={"X-Auth-Token": "x"})
    exc = httpx.LocalProtocolError(f"Illegal header value b'{TOKEN}\\n'", request=request)
    error = describe_transport_error(exc, ENDPOINT)
    assert type(error) is TransportError
    assert TOKEN not in f"{error} {error!r} {error.args}"
    assert "header value is not valid HTTP" in str(error)
    assert "newlines" in str(error)


def test_transport_error_text_redacts_request_secrets() -> None:
    request = httpx.Request("GET", f"{ENDPOINT}/v2/manage/namespaces", headers=SECRET_HEADERS)
    for exc in (
        httpx.ConnectError(f"proxy refused header {TOKEN}", request=request),
        httpx.ProxyError(f"proxy said: bad X-Security-Token {SECURITY_TOKEN}", request=request),
        httpx.UnsupportedProtocol(f"odd {SIGNATURE}", request=request),
    ):
        error = describe_transport_error(exc, ENDPOINT)
        rendered = f"{error} {error!r} {error.args}"
        for secret in SECRETS:
            assert secret not in rendered
        assert "***" in rendered


def test_other_transport_error() -> None:
    error = describe_transport_error(
        httpx.UnsupportedProtocol("Request URL has an unsupported protocol"), ENDPOINT
    )
    assert type(error) is TransportError
    assert error.message.startswith(f"Network error talking to {ENDPOINT}: Request URL has")


def test_swr_error_str_formats() -> None:
    assert str(SwrError("m")) == "m"
    assert str(SwrError("m", code="C")) == "m (C)"
    assert str(SwrError("m", request_id="r")) == "m (request r)"
    assert str(SwrError("m", code="C", request_id="r", status=500)) == "m (C, request r)"
