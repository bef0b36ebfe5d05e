"""The Basic login the registry's token realm takes, and where it comes from.

``RegistryLogin`` never shows its password (repr, str); ``LoginChain`` tries its sources in order
and keeps the first login found. The sources that need no settings live here: the long-term
login derived from AK/SK (no request) and the temporary login of CreateSecret (one POST to the
management API, kept in memory until it expires). ``~/.docker/config.json`` is read by
``swr_tui.settings.docker_config``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Callable, Optional

from .. import log_redaction
from ..auth import parse_time  # IAM's ISO 8601 times, the same format
from ..errors import request_secrets

LoginSource = Callable[[], Awaitable[Optional["RegistryLogin"]]]


@dataclass(frozen=True)
class RegistryLogin:
    username: str
    password: str = field(repr=False)
    source: str  # where it came from, in words: "the AK/SK (long-term login)", "~/.docker/config.json"
    expires_at: Optional[float] = None  # time.time() when a temporary login runs out

    def __post_init__(self) -> None:
        log_redaction.remember(request_secrets(None, (self.password, self.basic_value())))

    def __repr__(self) -> str:
        return f"RegistryLogin(username={_shown_user(self.username)!r}, password=***, source={self.source!r})"

    __str__ = __repr__

    def basic_value(self) -> str:
        return base64.b64encode(f"{self.username}:{self.password}".encode()).decode("ascii")

    def secrets(self) -> tuple[str, ...]:
        """What must never be shown: the password and the header value carrying it."""
        return (self.password, self.basic_value())

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at


def _shown_user(username: str) -> str:
    """``region@AK``: the AK is not secret on its own, but show only enough to tell logins apart."""
    region, sep, rest = username.partition("@")
    return f"{region}@{rest[:4]}***" if sep else username


def long_term_login(region: str, access_key: str, secret_key: str) -> RegistryLogin:
    """SWR's documented long-term login: user ``{region}@{AK}``, password the lower-case hex
    HMAC-SHA256 of the AK keyed with the SK. Made here, no request sent."""
    password = hmac.new(secret_key.encode("utf-8"), access_key.encode("utf-8"), hashlib.sha256).hexdigest()
    return RegistryLogin(f"{region}@{access_key}", password, "the AK/SK (long-term login)")


def decode_auth(value: str) -> Optional[tuple[str, str]]:
    """(user, password) from a base64 ``user:password`` (docker config and CreateSecret); None if not one."""
    try:
        user, sep, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, ValueError):
        return None
    return (user, password) if sep and user and password else None


def parse_expiry(value: Optional[str]) -> Optional[float]:
    """``X-Swr-Expireat`` (``2025-11-01T12:18:44.382000Z``) as time.time() seconds; None if absent
    or not a time (the login is then kept until the registry refuses it)."""
    if not value:
        return None
    try:
        return parse_time(value).timestamp()
    except ValueError:
        return None


def login_from_secret(body: bytes, host: str, expires_at: Optional[float]) -> Optional[RegistryLogin]:
    """The login in a CreateSecret answer (``{"auths": {host: {"auth": base64}}}``): the entry for
    ``host``, else the only entry (SWR names its own pull host, which an override may not be)."""
    try:
        auths = json.loads(body).get("auths")
    except (ValueError, AttributeError, RecursionError):
        return None
    if not isinstance(auths, dict) or not auths:
        return None
    entry = auths.get(host) if host in auths else (next(iter(auths.values())) if len(auths) == 1 else None)
    auth = entry.get("auth") if isinstance(entry, dict) else None
    pair = decode_auth(auth) if isinstance(auth, str) else None
    if pair is None:
        return None
    return RegistryLogin(pair[0], pair[1], "a temporary login (CreateSecret)", expires_at)


class LoginChain:
    """Sources tried in order; the first login found is kept (a temporary one until it expires)."""

    def __init__(self, sources: Sequence[LoginSource], clock: Callable[[], float] = time.time) -> None:
        self._sources = tuple(sources)
        self._clock = clock
        self._found: Optional[RegistryLogin] = None
        self.tried = False

    def __repr__(self) -> str:
        return f"LoginChain({len(self._sources)} sources, found={self._found!r})"

    async def __call__(self) -> Optional[RegistryLogin]:
        if self._found is not None and not self._found.expired(self._clock()):
            return self._found
        self._found = None
        for source in self._sources:
            login = await source()
            if login is not None:
                self._found = login
                break
        self.tried = True
        return self._found

    def forget(self, login: RegistryLogin) -> None:
        """A login the realm refused: look again next time (a temporary one is made anew)."""
        if self._found is login:
            self._found = None


def fixed(login: Optional[RegistryLogin]) -> LoginSource:
    async def source() -> Optional[RegistryLogin]:
        return login

    return source
