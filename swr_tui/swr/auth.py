"""Authentication as ``httpx.Auth`` classes: a ready token, AK/SK signing, IAM password login.

``repr`` never shows a secret, and neither does any error raised here.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import AsyncGenerator, Generator
from datetime import datetime, timezone
from typing import Callable, Optional

import httpx

from . import log_redaction, signer
from .errors import (
    AuthenticationError,
    ConfigurationError,
    HttpError,
    ResponseFormatError,
    error_from_response,
    request_secrets,
)

# Transport-level headers the HTTP library adds or proxies may rewrite. The official SDK does not
# sign them either (it signs only the headers it sets itself; requests adds these later).
UNSIGNED_HEADERS = frozenset(
    {
        "accept",
        "accept-encoding",
        "connection",
        "content-length",
        "transfer-encoding",
        "authorization",
        "cookie",
    }
)


_CONTROL = re.compile("[\x00-\x1f\x7f]")
# IAM project ids are 32 hex digits; a login answer's value that is not a short plain id (letters,
# digits, - and _) is not taken as one: it goes into a URL path.
PROJECT_ID_PATTERN = re.compile(r"[0-9A-Za-z_-]{1,64}")


def _header_safe(value: str, what: str) -> str:
    """A secret as a header value: a stray newline (a token pasted from a file) would be refused by
    the HTTP library with an error quoting the whole value, and a non-ASCII character (a letter
    with an accent, a typographic quote or dash) cannot be encoded in a header at all, so say it
    here without quoting it."""
    if _CONTROL.search(value):
        raise ConfigurationError(
            f"{what} contains a line break or another control character: set it again without one"
        )
    if not value.isascii():
        raise ConfigurationError(
            f"{what} contains a non-ASCII character (an accented letter, or a typographic quote or "
            "dash from a copy and paste?): credentials are plain ASCII, set it again"
        )
    return value


class TokenAuth(httpx.Auth):
    """A ready IAM token, sent as ``X-Auth-Token``."""

    kind = "token"

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "TokenAuth(token=***)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["X-Auth-Token"] = _header_safe(self._token, "The token (SWR_TUI_TOKEN)")
        yield request


class AkSkAuth(httpx.Auth):
    """SDK-HMAC-SHA256 signing, byte for byte as the official SDK's ``BasicCredentials`` signs."""

    kind = "aksk"
    requires_request_body = True

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        *,
        security_token: Optional[str] = None,
        project_id: Optional[str] = None,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self.access_key = access_key
        self._secret_key = secret_key
        self._security_token = security_token or None
        self.project_id = project_id or None
        self._clock = clock

    def __repr__(self) -> str:
        return (
            f"AkSkAuth(access_key={_mask(self.access_key)}, secret_key=***, project_id={self.project_id!r})"
        )

    def sign(self, request: httpx.Request) -> None:
        _header_safe(self.access_key, "The access key")
        _header_safe(self._secret_key, "The secret key")
        if self.project_id:
            request.headers["X-Project-Id"] = _header_safe(self.project_id, "The project id")
        if self._security_token:
            request.headers["X-Security-Token"] = _header_safe(self._security_token, "The security token")
        if "x-sdk-date" not in request.headers:
            request.headers["X-Sdk-Date"] = signer.sdk_date(self._clock())
        content_type = request.headers.get("content-type", "")
        if content_type and not content_type.startswith(("application/json", "application/bson")):
            request.headers["X-Sdk-Content-Sha256"] = "UNSIGNED-PAYLOAD"
        to_sign = {
            name: value for name, value in request.headers.items() if name.lower() not in UNSIGNED_HEADERS
        }
        raw_path = request.url.raw_path.decode("ascii")
        path, _, query = raw_path.partition("?")
        request.headers["Authorization"] = signer.sign(
            request.method, path, query, to_sign, request.content, self.access_key, self._secret_key
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign(request)
        yield request


class PasswordAuth(httpx.Auth):
    """Logs in to IAM with a user's password, sends the region-scoped token, renews it before expiry.

    The token comes from the ``X-Subject-Token`` header of ``POST {iam}/v3/auth/tokens``. It is
    renewed ``refresh_margin_s`` before ``expires_at``, and once more if SWR answers 401 anyway
    (a password change or a permission change revokes tokens early).
    """

    kind = "password"

    def __init__(
        self,
        iam_endpoint: str,
        username: str,
        domain: str,
        password: str,
        project_name: str,
        *,
        refresh_margin_s: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.iam_endpoint = iam_endpoint.rstrip("/")
        self.username = username
        self.domain = domain
        self._password = password
        log_redaction.remember(request_secrets(None, (password,)))  # IAM may echo it in a header
        self.project_name = project_name
        self._refresh_margin_s = refresh_margin_s
        self._clock = clock
        self._token: Optional[str] = None
        self._expires_at = 0.0
        self._login_error: Optional[HttpError] = None
        # The token's project (``token.project.id`` of the login answer): what ListQuotas needs.
        self.project_id: Optional[str] = None
        # True from sending a login until its answer is handled: a request that times out meanwhile
        # was waiting for IAM, not for the registry.
        self.login_pending = False
        self._async_lock: Optional[asyncio.Lock] = None
        self._sync_lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"PasswordAuth(iam_endpoint={self.iam_endpoint!r}, username={self.username!r}, "
            f"domain={self.domain!r}, password=***, project_name={self.project_name!r})"
        )

    @property
    def token_expires_at(self) -> float:
        return self._expires_at

    def _needs_login(self) -> bool:
        return self._token is None or self._clock() >= self._expires_at - self._refresh_margin_s

    def login_request(self, timeout: Optional[dict[str, Optional[float]]] = None) -> httpx.Request:
        body = {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {
                            "name": self.username,
                            "password": self._password,
                            "domain": {"name": self.domain},
                        }
                    },
                },
                "scope": {"project": {"name": self.project_name}},
            }
        }
        return httpx.Request(
            "POST",
            f"{self.iam_endpoint}/v3/auth/tokens?nocatalog=true",
            headers={"Content-Type": "application/json;charset=utf8", "Accept": "application/json"},
            content=json.dumps(body).encode("utf-8"),
            # The client's timeouts: a bare Request would wait for a stalled IAM forever.
            extensions={"timeout": timeout} if timeout else None,
        )

    def accept_login(self, response: httpx.Response) -> None:
        self.login_pending = False
        if response.status_code != 201:
            error = error_from_response(
                response,
                f"IAM login for user {self.username} at {self.iam_endpoint}",
                auth_kind="iam-login",
                secrets=(self._password,),
            )
            if response.status_code in (400, 401, 403):
                # Refused credentials are remembered: later requests fail at once instead of sending
                # the same wrong password again (IAM locks users after repeated failures). An outage
                # (5xx, 429) is not: the next request tries again.
                self._login_error = error
            raise error
        token = response.headers.get("x-subject-token")
        if not token:
            raise ResponseFormatError(
                f"IAM ({self.iam_endpoint}) answered the login without an X-Subject-Token header"
            )
        if _CONTROL.search(token) or not token.isascii():
            raise ResponseFormatError(
                f"IAM ({self.iam_endpoint}) answered the login with a token that is not plain ASCII text"
            )
        self._token = token
        self._expires_at = self._clock() + _seconds_left(response)
        self.project_id = _token_project_id(response) or self.project_id

    def _must_login(self, sent_token: Optional[str]) -> bool:
        """Log in unless another request already did since ``sent_token`` was refused or expired."""
        if self._login_error is not None:
            raise self._login_error
        if sent_token is None:
            return self._needs_login()
        return self._token is None or self._token == sent_token

    def _authorise(self, request: httpx.Request) -> str:
        assert self._token is not None
        request.headers["X-Auth-Token"] = self._token
        return self._token

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._async_lock is None:
            self._async_lock = asyncio.Lock()
        fresh = False
        if self._login_error is not None or self._needs_login():
            async with self._async_lock:
                if self._must_login(None):
                    self.login_pending = True
                    login = yield self.login_request(request.extensions.get("timeout"))
                    await login.aread()
                    self.accept_login(login)
                    fresh = True
        sent = self._authorise(request)
        response = yield request
        if response.status_code == 401 and not fresh:
            async with self._async_lock:
                if self._must_login(sent):
                    self.login_pending = True
                    login = yield self.login_request(request.extensions.get("timeout"))
                    await login.aread()
                    self.accept_login(login)
            if self._token != sent:
                self._authorise(request)
                yield request

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        fresh = False
        if self._login_error is not None or self._needs_login():
            with self._sync_lock:
                if self._must_login(None):
                    login = yield self.login_request(request.extensions.get("timeout"))
                    login.read()
                    self.accept_login(login)
                    fresh = True
        sent = self._authorise(request)
        response = yield request
        if response.status_code == 401 and not fresh:
            with self._sync_lock:
                if self._must_login(sent):
                    login = yield self.login_request(request.extensions.get("timeout"))
                    login.read()
                    self.accept_login(login)
            if self._token != sent:
                self._authorise(request)
                yield request


def _token_project_id(response: httpx.Response) -> Optional[str]:
    """``token.project.id`` of a login answer when it is a plain id; None otherwise."""
    try:
        project = json.loads(response.content)["token"]["project"]["id"]
    except (ValueError, KeyError, TypeError, RecursionError):
        return None
    if isinstance(project, str) and PROJECT_ID_PATTERN.fullmatch(project):
        return project
    return None


def _seconds_left(response: httpx.Response) -> float:
    """Lifetime from ``expires_at`` relative to ``issued_at`` (immune to local clock skew); 24 h if absent."""
    try:
        token = response.json().get("token", {})
        expires = parse_time(token["expires_at"])
        issued = parse_time(token["issued_at"]) if token.get("issued_at") else datetime.now(timezone.utc)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return 24 * 3600.0
    return max(0.0, (expires - issued).total_seconds())


def parse_time(value: str) -> datetime:
    text = value.strip().replace("Z", "+00:00")
    if "." in text:
        head, _, tail = text.partition(".")
        digits = "".join(ch for ch in tail if ch.isdigit())
        zone = tail[len(digits) :]
        text = f"{head}.{digits[:6].ljust(6, '0')}{zone}"
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _mask(value: str) -> str:
    """An access key id is not secret on its own, but show only enough to tell keys apart."""
    return f"{value[:4]}***" if len(value) > 8 else "***"


__all__ = ["AkSkAuth", "AuthenticationError", "PasswordAuth", "TokenAuth"]
