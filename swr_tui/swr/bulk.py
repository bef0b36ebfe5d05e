"""Every item of a paged list, in order, streamed: the first page tells the total, then the next pages
go out concurrently within a bounded window and are handed on in order as they arrive.

Memory is bounded by the window, not by the list: a 1,000,000-tag export holds a few pages at a
time. Three things a broken or moving registry can do are caught rather than followed:

- a total past ``MAX_LIST_TOTAL`` (``paging``), or a list without a total that never ends;
- a page that repeats the one before it (a server that ignores ``offset``): stopped with an error
  instead of emitting every tag again, or paging for ever;
- a total or a page size that moves between pages (tags pushed or deleted meanwhile): the offsets
  no longer line up, so the read starts again where the consumer can start again (a list in memory,
  a temporary file) and fails with "changed while being read" where it cannot (rows already printed).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Iterator
from typing import Callable, Generic, Optional, TypeVar

from .client import SwrClient
from .errors import ResponseFormatError
from .models import Tag
from .paging import MAX_LIST_TOTAL, Page

T = TypeVar("T")
Progress = Callable[[int, Optional[int]], None]
Fetch = Callable[[int, int], Awaitable[Page[T]]]
Consume = Callable[[tuple[T, ...]], Awaitable[None]]
Restart = Callable[[], Awaitable[None]]

# Pages requested and not yet handed on, at most, and their size: together they bound the memory
# of an export. Measured with tests/benchmarks/window_probe.py against a loopback fake in another
# process (peak RSS over the RSS before; the goal is +50 MB for 1,000,000 tags):
#   1,000,000 tags, 20 ms:  1000 x 4: +64 MB;  1000 x 3: +53;  500 x 6: +43;  500 x 5: +39;  500 x 4: +34
#   100,000 tags, 100 ms:   1000 x 1: 18.3 s;  1000 x 2: 9.8 s;  1000 x 4: 8.9 s;  500 x 4: 14.3 s;
#                           500 x 8: 11.0 s
#   10,000 tags, 20 ms (issue 14, 3 runs each, in-process stream):  250 x 4: 0.4-2.2 s, +10 MB;
#                           250 x 8: 0.4-0.5 s;  500 x 2: 0.5 s;  500 x 4: 0.4 s, +17 MB;  500 x 6: 0.4 s;
#                           500 x 8: 0.4-0.7 s, +20-24 MB;  1000 x 2: 0.4-0.5 s, +23 MB;  1000 x 3: 0.4-0.5 s
# Memory grows with the bytes in flight and more with 1000-tag pages than with 500 (bigger parse
# buffers), so 500 x 4 is the fastest shape measured that keeps the goal with room for the TUI; at
# 20 ms nothing wider is faster (the registry's time per page bounds it, not the round trips).
DEFAULT_CONCURRENCY = 4
DEFAULT_PAGE_SIZE = 500
MAX_ATTEMPTS = 3


class ListChangedError(ResponseFormatError):
    """The list changed under us (tags pushed or deleted) while its pages were being read."""


class RepeatedPageError(ResponseFormatError):
    """A page repeated the previous one: the registry ignores ``offset``."""


class EndlessListError(ResponseFormatError):
    """A list without a total went on past ``MAX_LIST_TOTAL`` items."""


async def fetch_all_tags(
    client: SwrClient,
    namespace: str,
    repository: str,
    *,
    order: str = "desc",
    tag: Optional[str] = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_progress: Optional[Progress] = None,
) -> list[Tag]:
    """Every tag, in order, complete, in one list (read again, up to three times, if it moves)."""
    fetch = _tag_pages(client, namespace, repository, order, tag)
    return await fetch_all_stable(fetch, page_size, concurrency, _tags_of(namespace, repository), on_progress)


async def stream_tags(
    client: SwrClient,
    namespace: str,
    repository: str,
    consume: Consume[Tag],
    *,
    restart: Optional[Restart] = None,
    order: str = "desc",
    tag: Optional[str] = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_progress: Optional[Progress] = None,
) -> int:
    """Every tag, page by page in order, to ``consume``; how many there were. ``restart`` undoes
    what ``consume`` did so that a list that moved can be read again (without it, it cannot)."""
    return await stream_all_stable(
        _tag_pages(client, namespace, repository, order, tag),
        consume,
        restart=restart,
        page_size=page_size,
        window=concurrency,
        what=_tags_of(namespace, repository),
        on_progress=on_progress,
    )


def _tag_pages(
    client: SwrClient, namespace: str, repository: str, order: str, tag: Optional[str]
) -> Fetch[Tag]:
    async def fetch(offset: int, limit: int) -> Page[Tag]:
        return await client.list_tags(namespace, repository, offset=offset, limit=limit, order=order, tag=tag)

    return fetch


def _tags_of(namespace: str, repository: str) -> str:
    return f"the tags of {namespace}/{repository}"


async def fetch_all_stable(
    fetch: Fetch[T],
    page_size: int,
    concurrency: int,
    what: str,
    on_progress: Optional[Progress] = None,
) -> list[T]:
    """``fetch_all``, read again (up to three times in all) while the list moves under it."""
    items: list[T] = []

    async def keep(page: tuple[T, ...]) -> None:
        items.extend(page)

    async def forget() -> None:
        items.clear()

    await stream_all_stable(
        fetch,
        keep,
        restart=forget,
        page_size=page_size,
        window=concurrency,
        what=what,
        on_progress=on_progress,
    )
    return items


async def fetch_all(
    fetch: Fetch[T],
    page_size: int,
    concurrency: int,
    what: str,
    on_progress: Optional[Progress] = None,
) -> list[T]:
    """Every item of a paged list in one list, read once."""
    items: list[T] = []

    async def keep(page: tuple[T, ...]) -> None:
        items.extend(page)

    await stream_all(fetch, keep, page_size=page_size, window=concurrency, what=what, on_progress=on_progress)
    return items


async def stream_all_stable(
    fetch: Fetch[T],
    consume: Consume[T],
    *,
    restart: Optional[Restart],
    page_size: int,
    window: int,
    what: str,
    on_progress: Optional[Progress] = None,
) -> int:
    """``stream_all``, started again (up to MAX_ATTEMPTS in all) when the list moves under it, as long
    as nothing was consumed yet or ``restart`` can undo what was.

    Without ``restart`` the first page is held back until the second has been checked (or the list
    has ended), so a move seen on the second page, or on the only one, can still be read again."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        handover = _Handover(consume, hold_first=restart is None)
        try:
            count = await stream_all(
                fetch, handover, page_size=page_size, window=window, what=what, on_progress=on_progress
            )
            await handover.flush()
            return count
        except ListChangedError:
            if attempt == MAX_ATTEMPTS or (handover.consumed and restart is None):
                raise
            if handover.consumed and restart is not None:
                await restart()
    raise AssertionError("unreachable")  # the last attempt returns or raises


class _Handover(Generic[T]):
    """Pages on to ``consume``; with ``hold_first``, the first waits until the second has been
    checked (or the list has ended), so a list seen moving then can still be read again."""

    def __init__(self, consume: Consume[T], hold_first: bool) -> None:
        self._consume = consume
        self._hold_first = hold_first
        self._held: Optional[tuple[T, ...]] = None
        self.consumed = False

    async def __call__(self, items: tuple[T, ...]) -> None:
        if self._hold_first and not self.consumed and self._held is None:
            self._held = items
            return
        await self.flush()
        await self._pass(items)

    async def flush(self) -> None:
        if self._held is not None:
            first, self._held = self._held, None
            await self._pass(first)

    async def _pass(self, items: tuple[T, ...]) -> None:
        self.consumed = True
        await self._consume(items)


async def stream_all(
    fetch: Fetch[T],
    consume: Consume[T],
    *,
    page_size: int,
    window: int,
    what: str,
    on_progress: Optional[Progress] = None,
) -> int:
    """Every item of a paged list, page by page in order, to ``consume``; how many there were.

    ``fetch(offset, limit)`` is called for the first page, then, once it has told the total, for the
    others concurrently: at most ``window`` requested and not yet consumed at any time."""
    done = 0

    async def emit(page: Page[T], total: Optional[int]) -> None:
        nonlocal done
        await consume(page.items)
        done += len(page.items)
        if on_progress:
            on_progress(done, total)

    first = await fetch(0, page_size)
    if first.total is None:
        await _stream_sequentially(fetch, first, page_size, what, emit)
        return done

    total = first.total
    if first.items and len(first.items) < min(page_size, total):
        # The server serves smaller pages than asked for (an undocumented cap): page by its size.
        page_size = len(first.items)
    # The later offsets assume a full first page: an empty one would silently lose rows.
    _check_page(first, 0, page_size, total, what)
    await emit(first, total)

    offsets = iter(range(page_size, total, page_size))
    pending: deque[tuple[int, asyncio.Future[Page[T]]]] = deque()
    previous = first
    try:
        _top_up(pending, offsets, fetch, page_size, max(1, window))
        while pending:
            offset, head = pending[0]
            page = await head
            pending.popleft()
            _check_repeat(previous, page, what)
            _check_page(page, offset, page_size, total, what)
            # The window counts this page until it is handed on: that bounds what is held.
            _top_up(pending, offsets, fetch, page_size, max(1, window) - 1)
            await emit(page, total)
            _top_up(pending, offsets, fetch, page_size, max(1, window))
            previous = page
    finally:
        for _, task in pending:
            task.cancel()
        await asyncio.gather(*(task for _, task in pending), return_exceptions=True)
    return done


def _top_up(
    pending: deque[tuple[int, asyncio.Future[Page[T]]]],
    offsets: Iterator[int],
    fetch: Fetch[T],
    page_size: int,
    window: int,
) -> None:
    while len(pending) < window:
        offset = next(offsets, None)
        if offset is None:
            return
        pending.append((offset, asyncio.ensure_future(fetch(offset, page_size))))


def _check_page(page: Page[T], offset: int, page_size: int, total: int, what: str) -> None:
    expected = min(page_size, total - offset)
    if page.total != total or len(page.items) != expected:
        raise ListChangedError(
            f"{what[0].upper()}{what[1:]} changed while being read (expected {expected} rows at "
            f"offset {offset} of {total}, got {len(page.items)} of {page.total}). Run it again"
        )


def _check_repeat(previous: Page[T], page: Page[T], what: str) -> None:
    """Two pages with the same rows: the registry ignored ``offset`` (no list repeats its rows)."""
    if page.items and page.items == previous.items:
        raise RepeatedPageError(
            f"The registry sent the same {len(page.items):,} rows for offset {page.offset:,} of {what} "
            f"as for offset {previous.offset:,}: it ignores the offset, so the list cannot be read "
            "completely (stopped rather than repeat them). Check --endpoint"
        )


async def _stream_sequentially(
    fetch: Fetch[T],
    first: Page[T],
    page_size: int,
    what: str,
    emit: Callable[[Page[T], Optional[int]], Awaitable[None]],
) -> None:
    """Without a Content-Range total, page until a short or empty page (as Terraform does)."""
    page = first
    await emit(page, page.total)
    while not page.is_last:
        if page.end >= MAX_LIST_TOTAL:
            raise EndlessListError(
                f"{what[0].upper()}{what[1:]} went on past {MAX_LIST_TOTAL:,} rows without a total or a "
                "last page: stopped. Check --endpoint"
            )
        following = await fetch(page.end, page_size)
        _check_repeat(page, following, what)
        page = following
        await emit(page, page.total)
