"""Bearer tokens, one per repository scope, kept until shortly before they expire."""

from __future__ import annotations

import time
from typing import Callable, Optional

# SWR's tokens are JWTs of about 900 s (the answer's ``expires_in``); that is assumed when absent.
DEFAULT_TOKEN_LIFETIME_S = 900.0
# Renewed this long before the expiry, so a token does not run out between check and use.
TOKEN_REFRESH_MARGIN_S = 30.0
# A repository name is at most a few hundred characters; a session reads a few hundred at most.
MAX_CACHED_SCOPES = 512


class BearerTokens:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._tokens: dict[str, tuple[str, float]] = {}

    def __repr__(self) -> str:
        return f"BearerTokens({len(self._tokens)} scopes, tokens=***)"

    def get(self, scope: str) -> Optional[str]:
        held = self._tokens.get(scope)
        if held is None or self._clock() >= held[1]:
            return None
        return held[0]

    def keep(self, scope: str, token: str, expires_in: Optional[float]) -> None:
        lifetime = expires_in if expires_in and expires_in > 0 else DEFAULT_TOKEN_LIFETIME_S
        self._tokens[scope] = (token, self._clock() + max(0.0, lifetime - TOKEN_REFRESH_MARGIN_S))
        while len(self._tokens) > MAX_CACHED_SCOPES:
            self._tokens.pop(next(iter(self._tokens)))

    def drop(self, scope: str, token: str) -> None:
        """Forget ``token`` (refused by the registry) unless another request renewed it already."""
        held = self._tokens.get(scope)
        if held is not None and held[0] == token:
            del self._tokens[scope]
