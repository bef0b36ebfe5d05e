"""RetryPolicy: capped full-jitter backoff, Retry-After, and which failures are worth a retry."""

from __future__ import annotations

import random
import ssl

import httpx
import pytest

from swr_tui.swr.retry import RETRYABLE_STATUSES, RetryPolicy, is_retryable_exception

REQUEST = httpx.Request("GET", "https://swr-api.cn-north-4.myhuaweicloud.com/v2/manage/namespaces")


def _policy(seed: int = 1234, **kwargs: float) -> RetryPolicy:
    return RetryPolicy(rng=random.Random(seed), **kwargs)  # type: ignore[arg-type]


def test_defaults() -> None:
    policy = RetryPolicy()
    assert (policy.retries, policy.base_s, policy.cap_s, policy.max_retry_after_s) == (3, 0.5, 8.0, 30.0)
    assert frozenset({429, 500, 502, 503, 504}) == RETRYABLE_STATUSES


@pytest.mark.parametrize("attempt", [0, 1, 2, 3, 4, 5, 10, 60, 1100])
def test_backoff_never_above_bound_or_cap(attempt: int) -> None:
    policy = _policy()
    bound = min(policy.cap_s, policy.base_s * 2 ** min(attempt, 64))
    samples = [policy.backoff(attempt) for _ in range(300)]
    assert all(0.0 <= value <= bound <= policy.cap_s for value in samples)
    # Full jitter: the samples spread over most of the range.
    assert max(samples) > 0.9 * bound
    assert min(samples) < 0.1 * bound


def test_backoff_grows_with_attempt() -> None:
    policy = _policy()
    highest = [max(policy.backoff(attempt) for _ in range(300)) for attempt in range(6)]
    assert highest[0] <= 0.5
    assert highest[1] <= 1.0
    assert highest[1] > 0.5
    assert highest[2] <= 2.0
    assert highest[2] > 1.0
    assert highest[3] <= 4.0
    assert highest[3] > 2.0
    assert highest[4] <= 8.0
    assert highest[4] > 4.0
    assert highest[5] <= 8.0  # capped: attempt 5 would be 16 s uncapped
    mean = [sum(_policy(seed=n).backoff(attempt) for n in range(200)) / 200 for attempt in range(5)]
    assert mean == sorted(mean)


def test_backoff_is_reproducible_with_a_seed() -> None:
    first = [_policy(seed=7).backoff(n) for n in range(5)]
    second = [_policy(seed=7).backoff(n) for n in range(5)]
    assert first == second
    assert first != [_policy(seed=8).backoff(n) for n in range(5)]


def test_custom_cap() -> None:
    policy = _policy(base_s=1.0, cap_s=2.0)
    assert all(policy.backoff(10) <= 2.0 for _ in range(100))


def test_delay_for_status_uses_backoff_until_retries_exhausted() -> None:
    policy = _policy()
    delays = [policy.delay_for_status(attempt, None) for attempt in range(3)]
    assert all(delay is not None and 0 <= delay <= min(8.0, 0.5 * 2**n) for n, delay in enumerate(delays))
    assert policy.delay_for_status(3, None) is None
    assert policy.delay_for_status(4, 1.0) is None


def test_delay_for_status_honours_retry_after() -> None:
    policy = _policy()
    assert policy.delay_for_status(0, 12.5) == 12.5
    assert policy.delay_for_status(2, 0.0) == 0.0
    assert policy.delay_for_status(0, 30.0) == 30.0


def test_retry_after_over_limit_gives_up() -> None:
    policy = _policy()
    assert policy.delay_for_status(0, 30.5) is None
    assert policy.delay_for_status(0, 3600.0) is None
    assert _policy(max_retry_after_s=3600.0).delay_for_status(0, 3600.0) == 3600.0


def test_zero_retries_never_retries() -> None:
    policy = _policy(retries=0)
    assert policy.delay_for_status(0, None) is None
    assert policy.delay_for_status(0, 1.0) is None
    assert policy.delay_for_exception(0, httpx.ConnectError("refused", request=REQUEST)) is None


def _certificate_error() -> httpx.ConnectError:
    cause = ssl.SSLCertVerificationError(
        1,
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer",
    )
    exc = httpx.ConnectError(str(cause), request=REQUEST)
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize(
    ("exc", "retryable"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused", request=REQUEST), True),
        (httpx.ConnectTimeout("timed out", request=REQUEST), True),
        (httpx.RemoteProtocolError("Server disconnected without sending a response.", request=REQUEST), True),
        (httpx.ReadError("[Errno 104] Connection reset by peer", request=REQUEST), True),
        (httpx.WriteError("broken pipe", request=REQUEST), True),
        (httpx.ReadTimeout("timed out", request=REQUEST), False),
        (httpx.WriteTimeout("timed out", request=REQUEST), False),
        (httpx.PoolTimeout("timed out", request=REQUEST), False),
        (_certificate_error(), False),
        (httpx.ConnectError("certificate verify failed: hostname mismatch", request=REQUEST), False),
        (httpx.UnsupportedProtocol("ftp://", request=REQUEST), False),
    ],
)
def test_is_retryable_exception(exc: httpx.TransportError, retryable: bool) -> None:
    assert is_retryable_exception(exc) is retryable
    delay = _policy().delay_for_exception(0, exc)
    assert (delay is not None) is retryable


def test_delay_for_exception_bounded_and_exhausted() -> None:
    policy = _policy()
    exc = httpx.ReadError("reset", request=REQUEST)
    delays = [policy.delay_for_exception(attempt, exc) for attempt in range(3)]
    assert all(delay is not None and 0 <= delay <= 0.5 * 2**n for n, delay in enumerate(delays))
    assert policy.delay_for_exception(3, exc) is None
