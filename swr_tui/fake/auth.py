"""Who may call: IAM tokens this registry issued, or AK/SK signatures made with the demo keys.

Failures answer the way the API gateway in front of SWR does (APIGW.0301 with a request id).
"""

from __future__ import annotations

import re
import secrets
import threading
from datetime import datetime, timedelta
from typing import Optional

from swr_tui.fake.credentials import DEMO_AK, DEMO_SK, DEMO_TOKEN
from swr_tui.fake.replies import Reply, gateway_error
from swr_tui.fake.wire import FakeRequest
from swr_tui.swr import signer

AUTH_FAILED = "APIGW.0301"
_HEX_SIGNATURE = re.compile(r"[0-9a-f]{64}")
MAX_CLOCK_SKEW = timedelta(minutes=15)


class TokenStore:
    """Issued tokens and when each expires; DEMO_TOKEN never expires until ``expire_all``."""

    def __init__(self, ttl_s: float) -> None:
        self.ttl = timedelta(seconds=ttl_s)
        self._lock = threading.Lock()
        self._expiry: dict[str, Optional[datetime]] = {DEMO_TOKEN: None}
        self._revoked: set[str] = set()

    def issue(self, now: datetime) -> tuple[str, datetime]:
        token = "MII" + secrets.token_urlsafe(96)
        expires = now + self.ttl
        with self._lock:
            self._expiry[token] = expires
        return token, expires

    def problem(self, token: str, now: datetime) -> Optional[str]:
        """None for a valid token, else what the gateway says about it."""
        with self._lock:
            if token not in self._expiry:
                return "Incorrect IAM authentication information: decrypt token fail"
            expires = self._expiry[token]
            if token in self._revoked or (expires is not None and now >= expires):
                return "Incorrect IAM authentication information: token expires"
        return None

    def expire_all(self) -> None:
        with self._lock:
            self._revoked.update(self._expiry)


def authenticate(request: FakeRequest, tokens: TokenStore, now: datetime, request_id: str) -> Optional[Reply]:
    """None when the caller is allowed, else the 401 to send."""
    token = request.header("X-Auth-Token")
    if token is not None:
        problem = tokens.problem(token.strip(), now)
    elif request.header("Authorization") is not None:
        problem = _aksk_problem(request, now)
    else:
        problem = "Incorrect IAM authentication information: Authorization not found"
    return gateway_error(401, AUTH_FAILED, problem, request_id) if problem else None


def _aksk_problem(request: FakeRequest, now: datetime) -> Optional[str]:
    signature_fail = "Incorrect IAM authentication information: verify aksk signature fail"
    parsed = signer.ParsedAuthorization.parse(request.header("Authorization") or "")
    if parsed is None:
        return signature_fail
    date = request.header(signer.DATE_HEADER)
    if date is None:
        return "Incorrect IAM authentication information: x-sdk-date not found"
    try:
        signed_at = signer.parse_sdk_date(date.strip())
    except ValueError:
        return f"Incorrect IAM authentication information: invalid x-sdk-date {date!r}"
    if abs(now - signed_at) > MAX_CLOCK_SKEW:
        return (
            "Incorrect IAM authentication information: the request time (X-Sdk-Date) differs from the "
            "server time by more than 15 minutes"
        )
    # signer.verify raises TypeError on a non-ASCII signature (hmac.compare_digest), so screen it.
    if parsed.access_key != DEMO_AK or not _HEX_SIGNATURE.fullmatch(parsed.signature):
        return signature_fail
    headers = request.header_map()
    if not signer.verify(
        request.method, request.raw_path, request.raw_query, headers, request.body, DEMO_SK, parsed
    ):
        return signature_fail
    return None
