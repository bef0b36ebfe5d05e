"""When and how long to wait before retrying a GET."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Optional

import httpx

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with full jitter; ``Retry-After`` wins when the server sends it.

    A read timeout is not retried: the user already waited the whole timeout once, and a slow link
    is better answered by a clear message and ``r`` than by silently tripling the wait.
    """

    retries: int = 3
    base_s: float = 0.5
    cap_s: float = 8.0
    max_retry_after_s: float = 30.0
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def backoff(self, attempt: int) -> float:
        # The exponent is bounded: 2**1100 does not fit a float, and the cap is reached long before.
        return self.rng.uniform(0, min(self.cap_s, self.base_s * (2 ** min(max(attempt, 0), 64))))

    def delay_for_status(self, attempt: int, retry_after: Optional[float]) -> Optional[float]:
        """Seconds to wait before the next try, or None to give up now."""
        if attempt >= self.retries:
            return None
        if retry_after is not None:
            return retry_after if retry_after <= self.max_retry_after_s else None
        return self.backoff(attempt)

    def delay_for_exception(self, attempt: int, exc: httpx.TransportError) -> Optional[float]:
        if attempt >= self.retries or not is_retryable_exception(exc):
            return None
        return self.backoff(attempt)


def is_retryable_exception(exc: httpx.TransportError) -> bool:
    if isinstance(exc, httpx.ConnectTimeout):
        return True
    if isinstance(exc, httpx.TimeoutException):
        return False
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        return False  # retrying cannot fix a certificate (same test as errors.describe_transport_error)
    return isinstance(exc, (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError))
