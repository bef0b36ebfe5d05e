"""Who may pull from the fake registry's data plane: the Basic logins its token realm accepts, and
the bearer tokens it issues.

Logins: the long-term login derived from the demo AK/SK (user ``{region}@{AK}``, password the hex
HMAC-SHA256 of the AK keyed with the SK), a temporary login CreateSecret issued (until it expires),
and ``DEMO_DOCKER_USER`` (what a ``docker login`` saved in ``~/.docker/config.json`` holds).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Optional

from swr_tui.fake.credentials import DEMO_AK, DEMO_SK

DEMO_DOCKER_USER = "cn-north-4@DEMODOCKERLOGIN"
DEMO_DOCKER_PASSWORD = "demo-docker-login-password-0001"  # noqa: S105 (only the fake accepts it)
# SWR's bearer tokens are JWTs of about 900 s (swr-api.md); temporary logins last 6 hours.
BEARER_TTL_S = 900
SECRET_TTL = timedelta(hours=6)


def long_term_password(access_key: str, secret_key: str) -> str:
    return hmac.new(secret_key.encode("utf-8"), access_key.encode("utf-8"), hashlib.sha256).hexdigest()


def basic_credentials(header: Optional[str]) -> Optional[tuple[str, str]]:
    """(user, password) from ``Authorization: Basic ...``; None when absent or malformed."""
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        user, sep, password = (
            base64.b64decode(header[6:].strip(), validate=True).decode("utf-8").partition(":")
        )
    except (binascii.Error, ValueError):
        return None
    return (user, password) if sep else None


@dataclass
class _Bearer:
    repositories: frozenset[str]
    expires: datetime
    uses: int = 0
    revoked: bool = False


@dataclass
class DataPlaneAuth:
    """Issued temporary logins and bearer tokens; thread-safe."""

    region: str
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _logins: dict[str, tuple[str, datetime]] = field(default_factory=dict)  # user -> (password, expiry)
    _bearers: dict[str, _Bearer] = field(default_factory=dict)

    def login_ok(self, user: str, password: str, now: datetime) -> bool:
        if user == f"{self.region}@{DEMO_AK}" and hmac.compare_digest(
            password, long_term_password(DEMO_AK, DEMO_SK)
        ):
            return True
        if user == DEMO_DOCKER_USER and hmac.compare_digest(password, DEMO_DOCKER_PASSWORD):
            return True
        with self._lock:
            issued = self._logins.get(user)
        return issued is not None and now < issued[1] and hmac.compare_digest(password, issued[0])

    def issue_login(self, now: datetime) -> tuple[str, str, datetime]:
        """A temporary login, as CreateSecret gives: (user, password, expiry)."""
        user = f"{self.region}@{secrets.token_hex(8).upper()}"
        password = secrets.token_hex(32)
        expires = now + SECRET_TTL
        with self._lock:
            self._logins[user] = (password, expires)
        return user, password, expires

    def issue_bearer(self, repositories: frozenset[str], now: datetime) -> str:
        token = "dp." + secrets.token_urlsafe(32)
        with self._lock:
            self._bearers[token] = _Bearer(repositories, now + timedelta(seconds=BEARER_TTL_S))
        return token

    def bearer_problem(
        self, token: str, repository: Optional[str], now: datetime, max_uses: Optional[int]
    ) -> str:
        """ "" when the token may read ``repository`` (None: any, for the ping), else the reason.
        ``max_uses``: a token used that many times is refused from then on (bearer-expired)."""
        with self._lock:
            bearer = self._bearers.get(token)
            if bearer is None:
                return "unknown token"
            if bearer.revoked or now >= bearer.expires:
                return "token expired"
            if max_uses is not None and bearer.uses >= max_uses:
                bearer.revoked = True
                return "token expired"
            if repository is not None and repository not in bearer.repositories:
                return f"token does not grant pull on {repository}"
            bearer.uses += 1
        return ""
