"""``WWW-Authenticate`` parsed as RFC 9110 11.6.1 has it: ``scheme param=value, param="quoted,
value"``, several challenges in one header, case-insensitive names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ...safe_text import scrub
from .errors import RegistryAuthError

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_TOKEN68 = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
# A challenge is a few hundred characters; a longer header is not one, and is not parsed.
MAX_CHALLENGE_CHARS = 8 * 1024
_SHOWN_CHARS = 80


@dataclass(frozen=True)
class Challenge:
    scheme: str  # lower-cased
    params: dict[str, str] = field(default_factory=dict)  # names lower-cased

    @property
    def realm(self) -> Optional[str]:
        return self.params.get("realm")

    @property
    def service(self) -> Optional[str]:
        return self.params.get("service")


class _Malformed(ValueError):
    pass


def parse_challenges(header: str) -> list[Challenge]:
    """Every challenge in the header; ValueError when it is not the RFC's grammar."""
    if len(header) > MAX_CHALLENGE_CHARS:
        raise _Malformed(f"{len(header)} characters long")
    challenges: list[Challenge] = []
    position, end = 0, len(header)
    while True:
        position = _skip(header, position, " \t,")
        if position >= end:
            break
        scheme = _TOKEN.match(header, position)
        if scheme is None:
            raise _Malformed(f"no scheme at character {position + 1}")
        params: dict[str, str] = {}
        challenges.append(Challenge(scheme.group().lower(), params))
        position = _skip(header, scheme.end(), " \t")
        token68 = _TOKEN68.match(header, position)
        if token68 is not None and _at_boundary(header, token68.end()):
            position = token68.end()  # a token68 (``Negotiate dXNlcg==``), not parameters
            continue
        while position < end:
            name = _TOKEN.match(header, position)
            after = _skip(header, name.end(), " \t") if name else position
            if name is None or after >= end or header[after] != "=":
                break  # the next challenge's scheme
            value, position = _value(header, _skip(header, after + 1, " \t"))
            key = name.group().lower()
            if key in params:
                raise _Malformed(f"{key} given twice")
            params[key] = value
            position = _skip(header, position, " \t")
            if position < end and header[position] != ",":
                raise _Malformed(f"unexpected {header[position]!r} after {key}")
            position = _skip(header, position, " \t,")
    if not challenges:
        raise _Malformed("empty")
    return challenges


def _at_boundary(text: str, position: int) -> bool:
    """True at the end of the header or before a comma (spaces skipped)."""
    position = _skip(text, position, " \t")
    return position >= len(text) or text[position] == ","


def _skip(text: str, position: int, chars: str) -> int:
    while position < len(text) and text[position] in chars:
        position += 1
    return position


def _value(text: str, position: int) -> tuple[str, int]:
    if position < len(text) and text[position] == '"':
        out = []
        position += 1
        while position < len(text):
            char = text[position]
            if char == "\\" and position + 1 < len(text):
                out.append(text[position + 1])
                position += 2
                continue
            if char == '"':
                return "".join(out), position + 1
            out.append(char)
            position += 1
        raise _Malformed("a quoted value is not closed")
    token = _TOKEN.match(text, position)
    if token is None:
        raise _Malformed(f"no value at character {position + 1}")
    return token.group(), token.end()


def bearer_challenge(header: Optional[str], registry: str) -> Challenge:
    """The Bearer challenge of a 401 from ``GET /v2/``; RegistryAuthError when there is none."""
    if header is None or not header.strip():
        raise RegistryAuthError(
            f"The registry {registry} asked for authentication but sent no WWW-Authenticate header, so "
            "swr-tui cannot tell where to log in. Check --registry-endpoint: it should be the pull host"
        )
    try:
        challenges = parse_challenges(header)
    except ValueError as exc:
        raise RegistryAuthError(
            f"The registry {registry} sent a WWW-Authenticate header swr-tui cannot parse ({exc}): "
            f"{scrub(header[:_SHOWN_CHARS])!r}. Check --registry-endpoint"
        ) from None
    bearer = next((challenge for challenge in challenges if challenge.scheme == "bearer"), None)
    if bearer is None:
        schemes = ", ".join(sorted({scrub(challenge.scheme) for challenge in challenges}))
        raise RegistryAuthError(
            f"The registry {registry} asks for {schemes} authentication, not a bearer token as SWR "
            "does; swr-tui sends no password to it directly. Check --registry-endpoint"
        )
    if not bearer.realm:
        raise RegistryAuthError(
            f"The registry {registry} sent a Bearer challenge without a realm, so swr-tui cannot tell "
            "where to get a token. Check --registry-endpoint"
        )
    return bearer
