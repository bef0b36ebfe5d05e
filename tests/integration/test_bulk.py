"""fetch_all_tags / fetch_all over loopback HTTP: complete and in order, concurrent after the first
page (measured at the registry, not by the clock), retried when the list moves, cancelled on error."""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Callable, Optional

import httpx
import pytest
from fault_rules import arm

from swr_tui.fake import DEMO_TOKEN, FakeRegistry
from swr_tui.fake.faults import parse_spec
from swr_tui.fake.outcome import Outcome
from swr_tui.fake.wire import FakeRequest
from swr_tui.swr.bulk import (
    DEFAULT_PAGE_SIZE,
    MAX_ATTEMPTS,
    EndlessListError,
    ListChangedError,
    RepeatedPageError,
    fetch_all_tags,
    stream_all,
    stream_tags,
)
from swr_tui.swr.client import SwrClient
from swr_tui.swr.errors import NotFoundError, ServerError
from swr_tui.swr.models import Tag
from swr_tui.swr.paging import MAX_LIST_TOTAL, ImplausibleTotalError, Page

MakeClient = Callable[..., SwrClient]


class InFlight:
    """Wraps ``registry.handle`` to count the requests the registry is working on at once.

    With ``gate_at`` every request after the first is held until ``gate_at`` of them are in flight
    together (or ``wait_s`` passes), so "they ran concurrently" is proved by a count, not a clock.
    """

    def __init__(
        self, registry: FakeRegistry, gate_at: int = 0, hold_s: float = 0.0, wait_s: float = 5.0
    ) -> None:
        self._handle = registry.handle
        self._gate_at = gate_at
        self._hold_s = hold_s
        self._wait_s = wait_s
        self._lock = threading.Lock()
        self._gate = threading.Event()
        self._pause = threading.Event()  # never set: a cancellable sleep for hold_s
        self.now = 0
        self.max = 0
        self.seen = 0
        self.events: list[tuple[str, int]] = []
        registry.handle = self.handle  # type: ignore[method-assign]

    def handle(self, request: FakeRequest) -> Outcome:
        with self._lock:
            self.seen += 1
            number = self.seen
            self.now += 1
            self.max = max(self.max, self.now)
            self.events.append(("start", number))
            if self._gate_at and self.now >= self._gate_at:
                self._gate.set()
        try:
            if self._gate_at and number > 1:
                self._gate.wait(self._wait_s)
            if self._hold_s:
                self._pause.wait(self._hold_s)
            return self._handle(request)
        finally:
            with self._lock:
                self.now -= 1
                self.events.append(("end", number))


async def sequential(client: SwrClient, repository: str, page_size: int, **kwargs: Any) -> list[Tag]:
    """The reference: plain paging, one page after another, until the registry says it was the last."""
    tags: list[Tag] = []
    offset = 0
    while True:
        page = await client.list_tags("acme", repository, offset=offset, limit=page_size, **kwargs)
        tags.extend(page.items)
        if page.is_last:
            return tags
        offset = page.end


def tag_offsets(registry: FakeRegistry) -> list[int]:
    return sorted(int(request.params["offset"]) for request in registry.requests if request.route == "tags")


@pytest.mark.parametrize(
    ("repository", "page_size", "kwargs", "count"),
    [
        pytest.param("webapp", 5, {}, 32, id="webapp"),
        pytest.param("webapp", 7, {"order": "asc"}, 32, id="webapp-asc"),
        pytest.param("webapp", 4, {"tag": "v1."}, 19, id="webapp-filtered"),
        pytest.param("team/app", 3, {}, 8, id="nested"),
        pytest.param("postgres-backup", 10, {}, 1, id="single"),
        pytest.param("new-service", 10, {}, 0, id="empty"),
        pytest.param("ci-builds", 100, {"tag": "build-099"}, 1000, id="ci-builds-1000"),
    ],
)
async def test_fetch_all_equals_sequential_paging(
    make_client: MakeClient,
    registry: FakeRegistry,
    repository: str,
    page_size: int,
    kwargs: dict[str, Any],
    count: int,
) -> None:
    async with make_client() as client:
        expected = await sequential(client, repository, page_size, **kwargs)
        registry.clear_requests()
        tags = await fetch_all_tags(client, "acme", repository, page_size=page_size, **kwargs)
    assert tags == expected
    assert len(tags) == count
    assert len({tag.name for tag in tags}) == count
    # Each page exactly once (an empty repository still needs its one request).
    assert tag_offsets(registry) == list(range(0, max(count, 1), page_size))


async def test_ci_builds_slice_is_complete_and_ordered(make_client: MakeClient) -> None:
    async with make_client() as client:
        tags = await fetch_all_tags(client, "acme", "ci-builds", tag="build-0999", page_size=30)
    assert [tag.name for tag in tags] == [f"build-{n:06d}" for n in range(99_999, 99_899, -1)]


async def test_pages_after_the_first_go_out_concurrently(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    flight = InFlight(registry, gate_at=4)
    async with make_client() as client:
        tags = await fetch_all_tags(client, "acme", "webapp", page_size=4, concurrency=4)
    assert len(tags) == 32
    assert flight.seen == 8
    assert flight.max == 4  # the gate only opens when four are in flight together; never more
    # The first page (which tells the total) is answered before any other page is asked for.
    assert flight.events.index(("end", 1)) < flight.events.index(("start", 2))


@pytest.mark.parametrize("concurrency", [1, 2])
async def test_concurrency_is_bounded(
    make_client: MakeClient, registry: FakeRegistry, concurrency: int
) -> None:
    flight = InFlight(registry, hold_s=0.01)
    async with make_client() as client:
        tags = await fetch_all_tags(client, "acme", "webapp", page_size=4, concurrency=concurrency)
    assert len({tag.name for tag in tags}) == 32
    assert flight.max <= concurrency


async def test_progress_rises_to_the_total(make_client: MakeClient) -> None:
    calls: list[tuple[int, Optional[int]]] = []
    async with make_client() as client:
        tags = await fetch_all_tags(
            client, "acme", "webapp", page_size=5, on_progress=lambda done, total: calls.append((done, total))
        )
    assert len(tags) == 32
    counts = [done for done, _ in calls]
    assert counts == sorted(set(counts))  # strictly increasing
    assert counts[0] == 5
    assert calls[-1] == (32, 32)
    assert {total for _, total in calls} == {32}
    assert len(calls) == 7


async def test_without_content_range_it_pages_sequentially(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, "tags:no-content-range")
    calls: list[tuple[int, Optional[int]]] = []
    async with make_client() as client:
        tags = await fetch_all_tags(
            client, "acme", "webapp", page_size=8, on_progress=lambda done, total: calls.append((done, total))
        )
        offsets = tag_offsets(registry)
        registry.faults.clear()
        expected = await sequential(client, "webapp", 8)
    assert tags == expected
    # 32 = 4 full pages; only the empty fifth proves the end.
    assert offsets == [0, 8, 16, 24, 32]
    assert [done for done, _ in calls] == [8, 16, 24, 32, 32]


async def test_total_drift_keeps_drifting(make_client: MakeClient, registry: FakeRegistry) -> None:
    arm(registry, "tags:total-drift")
    async with make_client() as client:
        with pytest.raises(ListChangedError) as caught:
            await fetch_all_tags(client, "acme", "webapp", page_size=10)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("The tags of acme/webapp changed while being read")
    assert message.endswith("Run it again")
    assert registry.count(route="tags", offset=0) == MAX_ATTEMPTS == 3


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param("tags:total-drift+1x1", id="drift-once"),
        pytest.param("tags:empty-page+1x1", id="empty-middle-page-once"),
        pytest.param("tags:empty-pagex1", id="empty-first-page-once"),
        pytest.param("tags:total-drift=-4x1", id="first-page-shrinks-once"),
    ],
)
async def test_a_list_that_moves_once_is_read_again(
    make_client: MakeClient, registry: FakeRegistry, spec: str
) -> None:
    async with make_client() as client:
        expected = await sequential(client, "webapp", 10)
        registry.clear_requests()
        arm(registry, spec)
        tags = await fetch_all_tags(client, "acme", "webapp", page_size=10)
    assert tags == expected
    assert registry.count(route="tags", offset=0) == 2


async def test_an_error_on_one_page_cancels_the_rest(make_client: MakeClient, registry: FakeRegistry) -> None:
    InFlight(registry, hold_s=0.02)
    arm(registry, "tags:404+3x1")
    async with make_client() as client:
        with pytest.raises(NotFoundError):
            await fetch_all_tags(client, "acme", "webapp", page_size=1, concurrency=4)
        leftovers = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    # Without cancelling, all 32 pages would be asked for. With it: the three before the failing
    # fourth, plus those in flight (at most four at a time) when it failed, and a little slack.
    assert registry.count(route="tags") <= 12
    assert leftovers == []


async def test_an_error_on_the_first_page_raises_at_once(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, "tags:500")
    async with make_client(retries=0) as client:
        with pytest.raises(ServerError):
            await fetch_all_tags(client, "acme", "webapp", page_size=5)
    assert registry.count(route="tags") == 1


async def test_a_passing_error_on_one_page_is_retried_by_the_client(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, "tags:503+2x1")
    async with make_client() as client:
        tags = await fetch_all_tags(client, "acme", "webapp", page_size=5)
    assert len(tags) == 32
    assert registry.count(route="tags") == 7 + 1


async def test_a_server_that_caps_pages_below_the_asked_size_is_paged_by_its_cap() -> None:
    """Some list calls have an undocumented maximum: the first page's size tells it."""
    from swr_tui.swr.bulk import fetch_all
    from swr_tui.swr.paging import Page

    rows = list(range(2_345))
    asked: list[tuple[int, int]] = []

    async def capped(offset: int, limit: int) -> Page[int]:
        asked.append((offset, limit))
        served = rows[offset : offset + min(limit, 500)]
        return Page(items=tuple(served), offset=offset, limit=limit, total=len(rows))

    result = await fetch_all(capped, 1000, 4, "the repository list")
    assert result == rows
    assert asked[0] == (0, 1000)
    assert sorted(asked[1:]) == [(500, 500), (1000, 500), (1500, 500), (2000, 500)]


async def test_an_empty_first_page_with_a_total_is_a_changed_list() -> None:
    from swr_tui.swr.bulk import fetch_all
    from swr_tui.swr.paging import Page

    async def empty(offset: int, limit: int) -> Page[int]:
        return Page(items=(), offset=offset, limit=limit, total=40)

    with pytest.raises(ListChangedError, match="changed while being read"):
        await fetch_all(empty, 100, 4, "the repository list")


# -- streaming: pages handed on in order, a bounded window of pages in flight ------------------------


async def test_pages_stream_in_order_with_a_bounded_window(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    """Requests made but not yet handed on never exceed the window, however long the list."""
    # The gate holds the second request until another is in flight: the registry may answer each
    # before the next arrives, and "they went out concurrently" needs a count, not luck.
    flight = InFlight(registry, gate_at=2)
    pages: list[tuple[Tag, ...]] = []
    ahead: list[int] = []

    async def slow_consumer(page: tuple[Tag, ...]) -> None:
        pages.append(page)
        ahead.append(flight.seen - len(pages))  # asked for, not yet handed on
        await asyncio.sleep(0.005)

    async with make_client() as client:
        count = await stream_tags(
            client, "acme", "ci-builds", slow_consumer, tag="build-09", page_size=100, concurrency=3
        )
    names = [tag.name for page in pages for tag in page]
    assert count == len(names) == 10_000
    assert names == [f"build-{n:06d}" for n in range(99_999, 89_999, -1)]
    assert flight.seen == 100
    assert max(ahead) <= 3
    assert flight.max >= 2  # pages still go out concurrently


async def test_a_huge_total_is_refused_after_one_request(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, "tags:huge-total")
    async with make_client() as client:
        with pytest.raises(ImplausibleTotalError) as caught:
            await fetch_all_tags(client, "acme", "ci-builds")
    message = str(caught.value)
    assert "1,000,000,000,000 items" in message
    assert f"more than the {MAX_LIST_TOTAL:,}" in message
    assert "looks broken" in message
    assert registry.count(route="tags") == 1


async def test_a_five_thousand_digit_total_is_refused(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, "tags:huge-total=long")
    async with make_client() as client:
        with pytest.raises(ImplausibleTotalError, match="a 5,000-digit number of items"):
            await fetch_all_tags(client, "acme", "webapp")
    assert registry.count(route="tags") == 1


async def test_a_total_under_the_cap_is_paged(make_client: MakeClient, registry: FakeRegistry) -> None:
    arm(registry, "tags:huge-total=32")  # the true total, through the same path
    async with make_client() as client:
        tags = await fetch_all_tags(client, "acme", "webapp", page_size=10)
    assert len(tags) == 32


async def test_a_server_ignoring_offset_with_a_total_is_stopped(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    """It used to exit 0 with every tag three times."""
    arm(registry, "tags:ignore-offset")
    emitted: list[str] = []

    async def keep(page: tuple[Tag, ...]) -> None:
        emitted.extend(tag.name for tag in page)

    async with make_client() as client:
        with pytest.raises(RepeatedPageError) as caught:
            await stream_tags(client, "acme", "webapp", keep, page_size=10)
    message = str(caught.value)
    assert "\n" not in message
    assert "same 10 rows for offset 10 of the tags of acme/webapp as for offset 0" in message
    assert "ignores the offset" in message
    assert emitted == []  # nothing repeated: the first page waits until the second is checked
    assert registry.count(route="tags") <= 4  # the first page and the window: 10 + 20 + 30 (+ none)


async def test_a_server_ignoring_offset_without_a_total_is_stopped(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    """It used to page for ever (1,763 requests and 2.2 GB in 40 s)."""
    arm(registry, "tags:ignore-offset")
    arm(registry, "tags:no-content-range")
    async with make_client() as client:
        with pytest.raises(RepeatedPageError, match="ignores the offset"):
            await fetch_all_tags(client, "acme", "ci-builds")
    assert tag_offsets(registry) == [0, DEFAULT_PAGE_SIZE]


async def test_a_list_without_a_total_that_never_ends_is_stopped() -> None:
    """Full pages of new rows for ever, and no Content-Range: stopped at the cap, not paged for ever."""
    asked: list[int] = []

    async def endless(offset: int, limit: int) -> Page[int]:
        asked.append(offset)
        return Page(items=tuple(range(offset, offset + limit)), offset=offset, limit=limit, total=None)

    async def nowhere(page: tuple[int, ...]) -> None:
        return None

    with pytest.raises(EndlessListError, match=f"past {MAX_LIST_TOTAL:,} rows without a total"):
        await stream_all(endless, nowhere, page_size=1000, window=4, what="the repository list")
    assert len(asked) == MAX_LIST_TOTAL // 1000


async def test_a_stream_that_cannot_restart_fails_when_the_list_moves(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    """Rows already printed cannot be taken back: no second read, a clear error instead."""
    arm(registry, "tags:total-drift+3x1")
    emitted: list[Tag] = []

    async def keep(page: tuple[Tag, ...]) -> None:
        emitted.extend(page)

    async with make_client() as client:
        with pytest.raises(ListChangedError, match="changed while being read"):
            await stream_tags(client, "acme", "webapp", keep, page_size=5, concurrency=1)
        assert registry.count(route="tags", offset=0) == 1
        registry.faults.clear()
        expected = await sequential(client, "webapp", 5)
    # Pages 0, 5 and 10 were handed on, and page 15 showed the move.
    assert emitted == expected[:15]


async def test_a_move_seen_on_the_second_page_is_read_again_even_without_restart(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    """The first page is held until the second confirms the total, so a printed stream can still
    start again then (the common case: a one-page list whose total moved)."""
    emitted: list[Tag] = []

    async def keep(page: tuple[Tag, ...]) -> None:
        emitted.extend(page)

    async with make_client() as client:
        expected = await sequential(client, "webapp", 100)
        registry.clear_requests()
        arm(registry, "tags:total-drift=5x1")
        count = await stream_tags(client, "acme", "webapp", keep)
    assert count == 32
    assert emitted == expected
    assert registry.count(route="tags", offset=0) == 2


async def test_a_stream_that_can_restart_is_read_again(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    arm(registry, "tags:total-drift+2x1")
    emitted: list[Tag] = []
    restarts: list[int] = []

    async def keep(page: tuple[Tag, ...]) -> None:
        emitted.extend(page)

    async def restart() -> None:
        restarts.append(len(emitted))
        emitted.clear()

    async with make_client() as client:
        count = await stream_tags(
            client, "acme", "webapp", keep, restart=restart, page_size=10, concurrency=1
        )
        expected = await sequential(client, "webapp", 10)
    assert restarts == [20]  # two pages were handed on before the third showed the move
    assert count == 32
    assert emitted == expected


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("tags:huge-total=abc", "huge-total needs a non-negative integer or long"),
        ("tags:huge-total=-5", "huge-total needs a non-negative integer or long"),
        ("tags:ignore-offset=3", "ignore-offset takes no argument"),
    ],
)
def test_the_page_fault_kinds_refuse_bad_arguments(spec: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_spec(spec)


def test_ignore_offset_is_logged_as_sent(registry: FakeRegistry) -> None:
    """The request log keeps the offset the client asked for; only the answer ignores it."""
    arm(registry, "tags:ignore-offset")
    with registry.serve() as server:
        url = f"{server.url}/v2/manage/namespaces/acme/repos/webapp/tags"
        headers = {"X-Auth-Token": DEMO_TOKEN}
        first = httpx.get(url, params={"offset": "0", "limit": "5"}, headers=headers)
        later = httpx.get(url, params={"offset": "10", "limit": "5"}, headers=headers)
    assert later.json() == first.json()
    assert later.headers["content-range"] == "0-5/32"
    assert tag_offsets(registry) == [0, 10]
