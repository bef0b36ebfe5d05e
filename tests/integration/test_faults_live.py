"""Every fault kind of the fake registry (swr_tui/fake/faults.py) against SwrClient over loopback HTTP.

One row of ``CASES`` per fault: the spec, the call, and the exact outcome, either an error (its class
and words a person can act on) or the tolerated result, plus how many requests reached the registry
(which proves the retries) and, where it matters, the delays the client slept.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Union

import pytest
from fault_rules import arm, set_timeout

from swr_tui.fake import (
    DEMO_AK,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_REGION,
    DEMO_SK,
    DEMO_TOKEN,
    DEMO_USER,
    FakeRegistry,
)
from swr_tui.fake.faults import parse_spec
from swr_tui.swr.auth import PasswordAuth
from swr_tui.swr.client import SwrClient
from swr_tui.swr.errors import (
    AuthenticationError,
    BadRequestError,
    HttpError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RequestTimeoutError,
    ResponseFormatError,
    ServerError,
    SwrError,
    TransportError,
)
from swr_tui.swr.image_config import ConfigApiUnavailable, ImageConfigError
from swr_tui.swr.paging import ImplausibleTotalError, Page

MakeClient = Callable[..., SwrClient]
Call = Callable[[SwrClient], Awaitable[Any]]
RETRIES = 3  # the make_client default
SECRETS = (DEMO_TOKEN, DEMO_SK, DEMO_PASSWORD)
ACME_REPOS = len(FakeRegistry(seed=0).dataset.repositories_in("acme"))


# -- the calls -----------------------------------------------------------------------------------


def _named(name: str, call: Call) -> Call:
    call.__name__ = name  # type: ignore[attr-defined]
    return call


def tags(limit: int = 10) -> Call:
    return _named(f"list_tags{limit}", lambda client: client.list_tags("acme", "webapp", limit=limit))


def namespaces() -> Call:
    return _named("list_namespaces", lambda client: client.list_namespaces())


def repos(limit: int = 10) -> Call:
    return _named(f"list_repositories{limit}", lambda client: client.list_repositories("acme", limit=limit))


def repo() -> Call:
    return _named("show_repository", lambda client: client.show_repository("acme", "team/app"))


def tag() -> Call:
    return _named("show_tag", lambda client: client.show_tag("acme", "webapp", "v2.4.1"))


def config() -> Call:
    return _named("get_image_config", lambda client: client.get_image_config("acme", "webapp", "v1.2.0"))


def accessories() -> Call:
    return _named("list_accessories", lambda client: client.list_accessories("acme", "webapp", "v2.4.1"))


# -- the outcomes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fails:
    error: type[SwrError]
    says: tuple[str, ...]
    never_says: tuple[str, ...] = ()


def fails(error: type[SwrError], *says: str, never_says: tuple[str, ...] = ()) -> Fails:
    return Fails(error, says, never_says)


Check = Callable[[Any, Any], None]  # (result under the fault, the same call's result without it)


def same(result: Any, baseline: Any) -> None:
    assert result == baseline


def same_items_total(total: Optional[int]) -> Check:
    def check(result: Page[Any], baseline: Page[Any]) -> None:
        assert result.items == baseline.items
        assert result.total == total

    return check


def no_items_total(total: int) -> Check:
    def check(result: Page[Any], baseline: Page[Any]) -> None:
        assert result.items == ()
        assert result.total == total
        assert result.is_last  # nothing more can be read from here; the caller sees a short list

    return check


def first_name_spoiled(result: Page[Any], baseline: Page[Any]) -> None:
    """The byte that is not UTF-8 shows in that one name (as a lone surrogate); the rest is intact."""
    assert result.items[0].name == baseline.items[0].name + "\udcff"
    assert result.items[1:] == baseline.items[1:]
    assert result.total == baseline.total


def nulls_tolerated(result: Page[Any], baseline: Page[Any]) -> None:
    assert [tag.name for tag in result.items] == [tag.name for tag in baseline.items]
    assert all(t.digest == "" and t.size == 0 and t.manifest == "" and t.updated == "" for t in result.items)
    assert result.total == baseline.total


@dataclass(frozen=True)
class Case:
    spec: str
    call: Call
    outcome: Union[Fails, Check]
    requests: int  # at the registry, on the faulted route
    route: str = "tags"
    sleeps: Optional[list[float]] = None  # exact delays slept, when the server dictates them
    timeout: Optional[float] = None  # the client's for the faulted call only; None: make_client's
    marks: tuple[Any, ...] = field(default=())


HTTP_500 = ("HTTP 500", "the tags of acme/webapp", "Internal error", "try again", "SVCSTG.SWR.5000001")
BROKE = ("The connection to http://127.0.0.1:", "broke before the answer was complete", "Try again")
NOT_JSON = ("answer for the tags of acme/webapp is not JSON", "check --endpoint")
THROTTLED = ("Too many requests for the tags of acme/webapp", "Try again in a moment", "APIGW.0308")
TIMED_OUT = ("Timed out waiting for an answer from http://127.0.0.1:", "raise --timeout")
HTML = ("<", "html", "nginx")

CASES = [
    # statuses: 5xx retried, then a message that says it may pass; HTML bodies are not quoted
    Case("tags:500", tags(), fails(ServerError, *HTTP_500), 1 + RETRIES),
    Case("tags:500x2", tags(), same, 3),
    Case("tags:status=500x1", tags(), same, 2),
    Case("tags:502", tags(), fails(ServerError, "HTTP 502", "try again", never_says=HTML), 1 + RETRIES),
    Case("tags:502x2", tags(), same, 3),
    Case("tags:503", tags(), fails(ServerError, "HTTP 503", "try again", never_says=HTML), 1 + RETRIES),
    Case("tags:503x2", tags(), same, 3),
    Case("tags:504x1", tags(), same, 2),
    # 4xx: not retried
    Case("tags:400", tags(), fails(BadRequestError, "rejected the request for the tags of acme/webapp"), 1),
    Case("tags:401", tags(), fails(AuthenticationError, "Authentication failed", "SWR_TUI_TOKEN"), 1),
    Case("tags:403", tags(), fails(PermissionDeniedError, "Permission denied", "admin for read access"), 1),
    Case("tags:404", tags(), fails(NotFoundError, "Not found: the tags of acme/webapp"), 1),
    # throttling: backoff without Retry-After, the server's delay with it, give up on an absurd one
    Case("tags:429", tags(), fails(RateLimitedError, *THROTTLED), 1 + RETRIES),
    Case("tags:429x2", tags(), same, 3),
    Case("tags:429=1x2", tags(), same, 3, sleeps=[1.0, 1.0]),
    Case(
        "tags:429=2",
        tags(),
        fails(RateLimitedError, *THROTTLED, "asks to wait 2 s"),
        1 + RETRIES,
        sleeps=[2.0] * RETRIES,
    ),
    Case("tags:429=120", tags(), fails(RateLimitedError, "asks to wait 120 s"), 1, sleeps=[]),
    # the connection
    Case("tags:drop", tags(), fails(TransportError, *BROKE), 1 + RETRIES),
    Case("tags:dropx2", tags(), same, 3),
    Case("tags:reset", tags(), fails(TransportError, *BROKE), 1 + RETRIES),
    Case("tags:resetx1", tags(), same, 2),
    Case("tags:timeout=3", tags(), fails(RequestTimeoutError, *TIMED_OUT), 1, sleeps=[], timeout=0.5),
    Case("tags:slow=3000", tags(), fails(RequestTimeoutError, *TIMED_OUT), 1, sleeps=[], timeout=0.5),
    Case("tags:slow=20", tags(), same, 1, sleeps=[]),
    # the body
    Case("tags:malformed", tags(), fails(ResponseFormatError, *NOT_JSON), 1, sleeps=[]),
    Case("tags:wrong-shape", tags(), fails(ResponseFormatError, "is JSON but not an array"), 1),
    Case("tags:wrong-shape=container", tags(), fails(ResponseFormatError, "is JSON but not an array"), 1),
    Case("tags:wrong-shape=strings", tags(), same, 1),
    Case("tags:wrong-shape=nulls", tags(), nulls_tolerated, 1),
    # a hostile server or proxy
    Case(
        "tags:deep-json",
        tags(),
        fails(ResponseFormatError, "is JSON nested too deeply to read"),
        1,
        sleeps=[],
    ),
    Case("tags:deep-json=50", tags(), fails(ResponseFormatError, "is JSON but not an array"), 1, sleeps=[]),
    Case("tags:deep-error", tags(), fails(ServerError, "HTTP 500", "try again"), 1 + RETRIES),
    Case("tags:deep-error=404", tags(), fails(NotFoundError, "Not found: the tags of acme/webapp"), 1),
    Case(
        "tags:gzip-bomb",
        tags(),
        fails(ResponseFormatError, "over 256 MiB once decompressed"),
        1,
        sleeps=[],
        timeout=30.0,  # unpacking 256 MiB takes a second, more on a loaded machine
    ),
    Case(
        "tags:bad-gzip",
        tags(),
        fails(ResponseFormatError, "could not be decompressed", "proxy"),
        1,
        sleeps=[],
    ),
    Case("tags:trickle=1000", tags(), fails(RequestTimeoutError, *TIMED_OUT), 1, sleeps=[], timeout=0.5),
    Case("namespaces:trickle=1", namespaces(), same, 1, route="namespaces", sleeps=[]),
    Case("tags:redirect", tags(), fails(HttpError, "redirected (HTTP 302) to https://", "ticket=***"), 1),
    Case("tags:redirect=308", tags(), fails(HttpError, "redirected (HTTP 308)"), 1, sleeps=[]),
    Case("tags:bad-utf8", tags(), first_name_spoiled, 1),
    Case("tags:echo-token", tags(), same, 1),
    Case("tags:echo-token=403", tags(), fails(PermissionDeniedError, "Permission denied", ", rid-***)"), 1),
    # Content-Range
    Case("tags:no-content-range", tags(10), same_items_total(None), 1),  # a full page proves nothing
    Case("tags:no-content-range", tags(100), same_items_total(32), 1),  # a short page is the last
    Case("tags:bad-content-range", tags(10), same_items_total(None), 1),
    Case("tags:bad-content-range", tags(100), same_items_total(32), 1),
    Case("tags:empty-page", tags(), no_items_total(32), 1),
    Case("tags:total-drift", tags(), same_items_total(37), 1),
    Case("tags:total-drift=-3", tags(), same_items_total(29), 1),
    Case("tags:total-drift=-30", tags(), same_items_total(10), 1),  # never less than the rows held
    Case("tags:huge-total", tags(), fails(ImplausibleTotalError, "1,000,000,000,000 items"), 1),
    Case("tags:huge-total=long", tags(), fails(ImplausibleTotalError, "5,000-digit number of items"), 1),
    Case("tags:ignore-offset", tags(), same, 1),  # the first page is the first page either way
    # other routes
    Case("namespaces:503x1", namespaces(), same, 2, route="namespaces"),
    Case("namespaces:drop", namespaces(), fails(TransportError, *BROKE), 1 + RETRIES, route="namespaces"),
    Case(
        "namespaces:wrong-shape",
        namespaces(),
        fails(ResponseFormatError, 'the namespace list is JSON but not an object with a "namespaces" array'),
        1,
        route="namespaces",
    ),
    Case("namespaces:wrong-shape=strings", namespaces(), same, 1, route="namespaces"),
    Case(
        "namespaces:malformed",
        namespaces(),
        fails(ResponseFormatError, "the namespace list is not JSON"),
        1,
        route="namespaces",
    ),
    Case("repos:429=1x1", repos(), same, 2, route="repos", sleeps=[1.0]),
    Case(
        "repos:500",
        repos(),
        fails(ServerError, "HTTP 500 while loading the repositories of namespace acme"),
        1 + RETRIES,
        route="repos",
    ),
    Case("repos:empty-page", repos(), no_items_total(ACME_REPOS), 1, route="repos"),
    Case("repos:no-content-range", repos(100), same_items_total(ACME_REPOS), 1, route="repos"),
    Case("repos:wrong-shape=strings", repos(), same, 1, route="repos"),
    Case("repo:wrong-shape", repo(), fails(ResponseFormatError, "repository acme/team/app"), 1, route="repo"),
    Case("repo:resetx1", repo(), same, 2, route="repo"),
    Case("tag:wrong-shape", tag(), fails(ResponseFormatError, "is JSON but not an object"), 1, route="tag"),
    Case("tag:wrong-shape=strings", tag(), same, 1, route="tag"),
    Case("*:503x1", namespaces(), same, 2, route="namespaces"),
    # the image config (ShowRepoTagConfig) and the accessories (ListRepoAccessories)
    Case(
        "config:config-missing",
        config(),
        fails(ConfigApiUnavailable, "no image config API", "HTTP 404", "APIGW.0101"),
        1,
        route="config",
    ),
    Case("config:503x1", config(), same, 2, route="config"),
    Case(
        "config:odd-config",
        config(),
        fails(ImageConfigError, "is a list, not a config object"),
        1,
        route="config",
    ),
    Case("config:odd-config=object", config(), same, 1, route="config"),
    Case("config:odd-config=text", config(), fails(ImageConfigError, "sent is not JSON"), 1, route="config"),
    Case("accessories:500x1", accessories(), same, 2, route="accessories"),
    Case(
        "accessories:wrong-shape",
        accessories(),
        fails(
            ResponseFormatError,
            'accessories of acme/webapp:v2.4.1 is JSON but not an object with an "accessories"',
        ),
        1,
        route="accessories",
    ),
]


def _case_id(case: Case) -> str:
    return f"{case.spec}/{case.call.__name__}"


@pytest.mark.parametrize("case", [pytest.param(case, id=_case_id(case), marks=case.marks) for case in CASES])
async def test_fault(
    case: Case, make_client: MakeClient, registry: FakeRegistry, sleeps: list[float]
) -> None:
    async with make_client() as client:
        baseline = await case.call(client)
        registry.clear_requests()
        arm(registry, case.spec)
        if case.timeout is not None:
            set_timeout(client, case.timeout)  # for the faulted call only, not for the baseline
        if isinstance(case.outcome, Fails):
            with pytest.raises(case.outcome.error) as caught:
                await case.call(client)
            result: Any = caught.value
        else:
            result = await case.call(client)

    if isinstance(case.outcome, Fails):
        assert type(result) is case.outcome.error
        message = str(result)
        assert "\n" not in message
        assert "Traceback" not in message
        assert message[:1].isupper()
        for words in case.outcome.says:
            assert words in message
        for words in case.outcome.never_says:
            assert words not in message
        for secret in SECRETS:
            assert secret not in message
            assert secret not in repr(result)
    else:
        case.outcome(result, baseline)

    assert registry.count(route=case.route) == case.requests
    if case.sleeps is not None:
        assert list(sleeps) == case.sleeps
    else:
        # Every retry waited first (the backoff of make_client: at most 0.05 s), and only retries did.
        assert len(sleeps) == case.requests - 1
        assert all(0 <= delay <= 0.05 for delay in sleeps)


def test_every_fault_kind_is_in_the_matrix() -> None:
    from swr_tui.fake import faults
    from swr_tui.fake.data_plane_faults import DATA_PLANE_KINDS

    covered = {rule.kind for case in CASES for rule in parse_spec(case.spec)}
    # The registry data plane's kinds are exercised against its client in tests/swr/registry.
    assert covered >= set(faults.KINDS) - set(DATA_PLANE_KINDS)


async def test_retry_after_is_honoured_before_the_next_try(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    """The delay slept equals Retry-After, and the retry goes out only after it (order of events)."""
    events: list[str] = []

    async def sleep(delay: float) -> None:
        events.append(f"sleep {delay:g} after {registry.count(route='tags')} request(s)")

    arm(registry, "tags:429=3x1")
    async with make_client(sleep=sleep) as client:
        page = await client.list_tags("acme", "webapp")
    assert events == ["sleep 3 after 1 request(s)"]
    assert registry.count(route="tags") == 2
    assert [request.status for request in registry.requests] == [429, 200]
    assert page.total == 32


async def test_aksk_requests_are_signed_afresh_on_retry(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    from swr_tui.swr.auth import AkSkAuth

    arm(registry, "tags:503x1")
    async with make_client(AkSkAuth(DEMO_AK, DEMO_SK)) as client:
        page = await client.list_tags("acme", "team/app")
    assert page.total == 8
    assert [request.status for request in registry.requests] == [503, 200]


async def test_a_passing_iam_outage_is_not_remembered(
    make_client: MakeClient, registry: FakeRegistry, live: str
) -> None:
    arm(registry, "iam:503x1")
    auth = PasswordAuth(live, DEMO_USER, DEMO_DOMAIN, DEMO_PASSWORD, DEMO_REGION)
    async with make_client(auth) as client:
        with pytest.raises(ServerError) as caught:
            await client.list_namespaces()
        assert "HTTP 503" in str(caught.value)
        namespaces = await client.list_namespaces()  # IAM is back: this must log in and work
    assert len(namespaces) == 4
    assert registry.count(route="iam") == 2
