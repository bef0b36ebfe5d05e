"""Typed errors with messages a person can act on. No message ever contains a secret."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any, Optional
from urllib.parse import quote

import httpx

from ..safe_text import scrub

CLOCK_SKEW_LIMIT_S = 15 * 60
# A request id is 32 to 64 characters; a header value longer than this is shown cut, not whole.
MAX_SHOWN_HEADER_CHARS = 120
IAM_LOGIN_PATH = "/v3/auth/tokens"


class SwrError(Exception):
    """Base class: ``str(error)`` is one line that says what failed and what to do."""

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        code: Optional[str] = None,
        request_id: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.request_id = request_id

    def __str__(self) -> str:
        details = [part for part in (self.code, self.request_id and f"request {self.request_id}") if part]
        return f"{self.message} ({', '.join(details)})" if details else self.message


class ConfigurationError(SwrError):
    """Settings or credentials are missing or invalid; nothing was sent."""


class InvalidFilterValue(ConfigurationError, ValueError):
    """A filter or name holds ``|``, which SWR's ``filter=key::value|...`` syntax cannot escape;
    nothing was sent. Also a ValueError, as ``filter_string`` raised before it had a type."""


class TransportError(SwrError):
    """The request did not get an HTTP answer: connection refused, reset, DNS, TLS."""


class RequestTimeoutError(TransportError):
    """No answer within the configured timeout."""


class ResponseFormatError(SwrError):
    """The registry answered, but not with the JSON the API promises."""


class HttpError(SwrError):
    """The registry answered with an error status."""


class BadRequestError(HttpError):
    pass


class AuthenticationError(HttpError):
    pass


class PermissionDeniedError(HttpError):
    pass


class NotFoundError(HttpError):
    pass


class ApiUnavailableError(HttpError):
    """The API itself is missing here (405, or 404 from the gateway rather than from SWR): a region
    without it, not a missing namespace or repository."""


def names_a_missing_api(error: HttpError) -> bool:
    """A 405, or a 404 without SWR's own error code (the API gateway's "the API does not exist"):
    the path itself is unknown here, as in a region without the API. SWR's 404 for a missing
    namespace, repository or tag carries an ``SVCSTG.SWR.*`` code."""
    code = error.code or ""
    return error.status == 405 or (error.status == 404 and not code.startswith("SVCSTG.SWR."))


class RateLimitedError(HttpError):
    def __init__(self, message: str, *, retry_after: Optional[float] = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(HttpError):
    def __init__(self, message: str, *, retry_after: Optional[float] = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after  # a 503 may carry Retry-After too (RFC 9110 10.2.3)


def loads_lenient(body: bytes) -> Any:
    """JSON from bytes; a byte that is not UTF-8 becomes a lone surrogate (``\\udcff`` once
    scrubbed for display) instead of failing the whole document. ValueError if it is not JSON,
    RecursionError if it is nested deeper than Python can parse."""
    try:
        return json.loads(body)
    except UnicodeDecodeError:
        return json.loads(body.decode("utf-8", "surrogateescape"))


def parse_error_body(body: bytes) -> tuple[Optional[str], Optional[str]]:
    """(code, message) from any of SWR's error shapes, the gateway's, or IAM's; (None, None) if none."""
    try:
        data = loads_lenient(body)
    except (ValueError, RecursionError):
        return None, None
    return _find_code_and_message(data, depth=0)


def _find_code_and_message(data: Any, depth: int) -> tuple[Optional[str], Optional[str]]:
    if depth > 4:
        return None, None
    if isinstance(data, list):
        for item in data:
            code, message = _find_code_and_message(item, depth + 1)
            if code or message:
                return code, message
        return None, None
    if not isinstance(data, dict):
        return None, None
    for code_key, message_keys in (
        ("error_code", ("error_msg",)),
        ("errorCode", ("errorMessage", "errorMsg")),
        ("code", ("message",)),
    ):
        code = data.get(code_key)
        texts = [data.get(key) for key in message_keys]
        message = next((text for text in texts if isinstance(text, str) and text), None)
        if message is None:
            message = next((text for text in texts if isinstance(text, str)), None)
        if isinstance(code, (str, int)) or isinstance(message, str):
            return (
                str(code) if code is not None else None,
                message if isinstance(message, str) and message else None,
            )
    for value in data.values():
        if isinstance(value, (dict, list)):
            code, message = _find_code_and_message(value, depth + 1)
            if code or message:
                return code, message
    return None, None


def parse_retry_after(value: Optional[str], now: Optional[datetime] = None) -> Optional[float]:
    """Seconds to wait, from either form of Retry-After (delta-seconds or an HTTP date)."""
    from email.utils import parsedate_to_datetime  # only on errors: keeps it off start-up

    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def clock_skew_seconds(response: httpx.Response, now: Optional[datetime] = None) -> Optional[float]:
    """How far the local clock is from the server's ``Date`` header, if it tells."""
    from email.utils import parsedate_to_datetime

    header = response.headers.get("date")
    if not header:
        return None
    try:
        server_time = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return None
    if server_time is None:
        return None
    if server_time.tzinfo is None:
        server_time = server_time.replace(tzinfo=timezone.utc)
    return ((now or datetime.now(timezone.utc)) - server_time).total_seconds()


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Request headers whose values are secrets; a server that echoes one back must not get it printed.
_SECRET_HEADERS = ("x-auth-token", "x-security-token", "x-subject-token", "authorization")
_MIN_SECRET_LENGTH = 6


def _request_secrets(source: object, extra: Sequence[str] = ()) -> list[str]:
    """Secret header values of the request behind a response or an httpx exception, and ``extra``
    (e.g. a password sent in the body), each also URL-encoded (a redirect may carry one in its
    query), longest first."""
    try:
        request = source.request  # type: ignore[attr-defined]
    except (RuntimeError, AttributeError):  # a Response or exception without a request
        request = None
    return request_secrets(request if isinstance(request, httpx.Request) else None, extra)


def request_secrets(request: Optional[httpx.Request], extra: Sequence[str] = ()) -> list[str]:
    """What ``_request_secrets`` finds, for a request itself."""
    secrets = list(extra)
    values = (
        [value for name in _SECRET_HEADERS for value in request.headers.get_list(name)] if request else []
    )
    for value in values:
        secrets.append(value.strip())
        for part in value.replace(",", " ").split():
            # The signature or the access key alone, in case a gateway quotes just that part.
            for prefix in ("Signature=", "Access="):
                if part.startswith(prefix):
                    secrets.append(part[len(prefix) :])
    forms = {form for item in secrets for form in (item, quote(item, safe=""))}
    return sorted({item for item in forms if len(item) >= _MIN_SECRET_LENGTH}, key=len, reverse=True)


def mask_secrets(text: str, source: object, extra: Sequence[str] = ()) -> str:
    """``text`` with every secret of the request behind ``source`` (and ``extra``) as ``***``."""
    return _redact(text, _request_secrets(source, extra)) or ""


def shown_header(response: httpx.Response, name: str, extra: Sequence[str] = ()) -> Optional[str]:
    """A response header as it may be shown: the request's secrets masked, control characters
    escaped, then cut to length."""
    value = response.headers.get(name)
    if value is None:
        return None
    return _clip(scrub(mask_secrets(value, response, extra)), MAX_SHOWN_HEADER_CHARS)


def _redact(text: Optional[str], secrets: list[str]) -> Optional[str]:
    if not text:
        return text
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def error_from_response(
    response: httpx.Response, what: str, auth_kind: str = "", secrets: Sequence[str] = ()
) -> HttpError:
    """Map an error response to a typed error; ``what`` names what was asked for ("repository acme/web").

    Secrets the request carried, and ``secrets`` (e.g. a password sent in the body), are masked in
    anything the server says back."""
    status = response.status_code
    code, server_message = parse_error_body(response.content)
    hidden = _request_secrets(response, secrets)
    server_message = _redact(server_message, hidden)
    code = _redact(code, hidden)
    request_id = shown_header(response, "x-request-id", secrets)
    detail = f": {_clip(server_message)}" if server_message else ""
    common: dict[str, Any] = {"status": status, "code": code, "request_id": request_id}

    if response.is_redirect:
        location = shown_header(response, "location", secrets)
        return HttpError(
            f"The request for {what} was redirected (HTTP {status}) to {location}, and swr-tui follows no "
            "redirect: it could take the credentials elsewhere. Check that the endpoint is the API's "
            "exact URL (https://, no path)",
            **common,
        )
    if status == 400:
        return BadRequestError(f"The registry rejected the request for {what}{detail}", **common)
    if status == 401:
        return AuthenticationError(_authentication_message(response, server_message, auth_kind), **common)
    if status == 403:
        return PermissionDeniedError(
            f"Permission denied for {what}{detail}. Ask the namespace's admin for read access, "
            "or check the IAM user's SWR permissions",
            **common,
        )
    if status == 404:
        return NotFoundError(f"Not found: {what}{detail}. Check the name, or reload the list", **common)
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = f"; the registry asks to wait {retry_after:g} s" if retry_after is not None else ""
        return RateLimitedError(
            f"Too many requests for {what}{wait}. Try again in a moment",
            retry_after=retry_after,
            **common,
        )
    if status >= 500:
        return ServerError(
            f"The registry failed with HTTP {status} while loading {what}{detail}. "
            "It may be a passing fault: try again",
            retry_after=parse_retry_after(response.headers.get("retry-after")),
            **common,
        )
    return HttpError(f"Unexpected HTTP {status} while loading {what}{detail}", **common)


def _authentication_message(response: httpx.Response, server_message: Optional[str], auth_kind: str) -> str:
    """Advice for the credentials actually in use; the server's words only refine it."""
    text = (server_message or "").lower()
    expired = "expire" in text or "must be updated" in text
    if auth_kind == "aksk" or (not auth_kind and ("signature" in text or "aksk" in text)):
        skew = clock_skew_seconds(response)
        if skew is not None and abs(skew) > CLOCK_SKEW_LIMIT_S:
            return (
                f"Authentication failed: this machine's clock is {abs(skew) / 60:.0f} min "
                f"{'ahead of' if skew > 0 else 'behind'} the registry's, and AK/SK signatures are only "
                "valid within 15 min. Fix the clock (e.g. enable NTP) and retry"
            )
        return (
            "Authentication failed: the AK/SK signature was refused. Check HUAWEICLOUD_SDK_AK and "
            "HUAWEICLOUD_SDK_SK (and HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary keys) and that "
            "the clock is right"
        )
    if auth_kind == "iam-login":
        iam = iam_endpoint_of(response)
        where = f" (IAM endpoint {iam})" if iam else ""
        return (
            f"Authentication failed: IAM refused the user name, account or password{where}. Check "
            "SWR_TUI_USERNAME / SWR_TUI_DOMAIN and the password"
        )
    if auth_kind == "password":
        return (
            "Authentication failed: the registry refused the token IAM issued for this user. The user "
            "may lack SWR permissions in this region, or the token was revoked: check the IAM user"
        )
    if expired:
        return (
            "Authentication failed: the token has expired. Get a new one (tokens last 24 h) and set "
            "SWR_TUI_TOKEN, or use AK/SK (HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK)"
        )
    return (
        "Authentication failed: the registry refused the credentials. Set SWR_TUI_TOKEN to a valid "
        "IAM token, or HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK"
    )


def iam_endpoint_of(source: object) -> Optional[str]:
    """The IAM endpoint when ``source`` (a response or an httpx exception) is about an IAM login."""
    try:
        url = source.request.url  # type: ignore[attr-defined]
    except (RuntimeError, AttributeError):
        return None
    if not isinstance(url, httpx.URL) or not url.path.endswith(IAM_LOGIN_PATH):
        return None
    return str(url.copy_with(query=None, fragment=None))[: -len(IAM_LOGIN_PATH)]


def describe_transport_error(exc: httpx.TransportError, endpoint: str) -> TransportError:
    """``endpoint`` is the registry's; an error of the IAM login names the IAM endpoint instead."""
    iam = iam_endpoint_of(exc)
    if iam:
        endpoint = f"the IAM endpoint {iam}"
    if isinstance(exc, httpx.TimeoutException):
        kind = {
            httpx.ConnectTimeout: "connecting to",
            httpx.ReadTimeout: "waiting for an answer from",
            httpx.WriteTimeout: "sending to",
            httpx.PoolTimeout: "waiting for a free connection to",
        }.get(type(exc), "talking to")
        return RequestTimeoutError(
            f"Timed out {kind} {endpoint}. The link may be slow: retry, or raise --timeout"
        )
    if isinstance(exc, httpx.LocalProtocolError):
        # httpcore quotes the offending header value, which may be a token with a stray newline.
        return TransportError(
            f"The request to {endpoint} could not be sent: a header value is not valid HTTP. Check the "
            "credentials and settings for stray spaces, newlines or other control characters"
        )
    secrets = _request_secrets(exc)
    if isinstance(exc, httpx.ConnectError):
        reason = _clip(_redact(str(exc), secrets) or "", 120) or "connection failed"
        if "CERTIFICATE_VERIFY_FAILED" in str(exc) or "certificate verify failed" in str(exc):
            return TransportError(
                f"TLS certificate of {endpoint} could not be verified. For a private CA pass --ca-bundle FILE"
            )
        setting = "the IAM endpoint setting" if iam else "--endpoint"
        return TransportError(
            f"Cannot connect to {endpoint} ({reason}). Check the network, proxy settings and {setting}"
        )
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return TransportError(f"The connection to {endpoint} broke before the answer was complete. Try again")
    reason = _clip(_redact(str(exc), secrets) or "", 120)
    return TransportError(f"Network error talking to {endpoint}: {reason}")
