"""Fetch every tag of a repository: the first page tells the total, the rest go out concurrently."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Callable, Optional, TypeVar

from .client import SwrClient
from .errors import ResponseFormatError
from .models import Tag
from .paging import MAX_LIMIT, Page

T = TypeVar("T")
Progress = Callable[[int, Optional[int]], None]

DEFAULT_CONCURRENCY = 4
MAX_ATTEMPTS = 3


class ListChangedError(ResponseFormatError):
    """The list changed under us (tags pushed or deleted) while its pages were being read."""


async def fetch_all_tags(
    client: SwrClient,
    namespace: str,
    repository: str,
    *,
    order: str = "desc",
    tag: Optional[str] = None,
    page_size: int = MAX_LIMIT,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_progress: Optional[Progress] = None,
) -> list[Tag]:
    """Every tag, in order, complete.

    If the total moves between pages (a push or a delete meanwhile), the offsets no longer line up
    and the result could skip or repeat tags, so the whole read starts again, up to three times.
    """

    async def fetch(offset: int, limit: int) -> Page[Tag]:
        return await client.list_tags(namespace, repository, offset=offset, limit=limit, order=order, tag=tag)

    return await fetch_all_stable(
        fetch, page_size, concurrency, f"the tags of {namespace}/{repository}", on_progress
    )


async def fetch_all_stable(
    fetch: Callable[[int, int], Awaitable[Page[T]]],
    page_size: int,
    concurrency: int,
    what: str,
    on_progress: Optional[Progress] = None,
) -> list[T]:
    """``fetch_all``, read again (up to three times in all) while the list moves under it."""
    last_error: Optional[ListChangedError] = None
    for _ in range(MAX_ATTEMPTS):
        try:
            return await fetch_all(fetch, page_size, concurrency, what, on_progress)
        except ListChangedError as error:
            last_error = error
    assert last_error is not None
    raise last_error


async def fetch_all(
    fetch: Callable[[int, int], Awaitable[Page[T]]],
    page_size: int,
    concurrency: int,
    what: str,
    on_progress: Optional[Progress] = None,
) -> list[T]:
    """Every item of a paged list: ``fetch(offset, limit)`` is called for the first page, then for
    the others concurrently once the first has told the total."""
    first = await fetch(0, page_size)
    done = len(first.items)
    if on_progress:
        on_progress(done, first.total)
    if first.total is None:
        return await _fetch_sequentially(fetch, first, page_size, on_progress)

    total = first.total
    if first.items and len(first.items) < min(page_size, total):
        # The server serves smaller pages than asked for (an undocumented cap): page by its size.
        page_size = len(first.items)
    # The later offsets assume a full first page: an empty one would silently lose rows.
    _check_page(first, 0, page_size, total, what)
    semaphore = asyncio.Semaphore(max(1, concurrency))

    async def fetch_checked(offset: int) -> Page[T]:
        nonlocal done
        async with semaphore:
            page = await fetch(offset, page_size)
        _check_page(page, offset, page_size, total, what)
        done += len(page.items)
        if on_progress:
            on_progress(done, total)
        return page

    pages = await gather_or_cancel([fetch_checked(offset) for offset in range(page_size, total, page_size)])
    items = list(first.items)
    for page in pages:
        items.extend(page.items)
    return items


def _check_page(page: Page[T], offset: int, page_size: int, total: int, what: str) -> None:
    expected = min(page_size, total - offset)
    if page.total != total or len(page.items) != expected:
        raise ListChangedError(
            f"{what[0].upper()}{what[1:]} changed while being read (expected {expected} rows at "
            f"offset {offset} of {total}, got {len(page.items)} of {page.total}). Run it again"
        )


async def _fetch_sequentially(
    fetch: Callable[[int, int], Awaitable[Page[T]]],
    first: Page[T],
    page_size: int,
    on_progress: Optional[Progress],
) -> list[T]:
    """Without a Content-Range total, page until a short or empty page (as Terraform does)."""
    items = list(first.items)
    page = first
    while not page.is_last:
        page = await fetch(page.end, page_size)
        items.extend(page.items)
        if on_progress:
            on_progress(len(items), page.total)
    return items


async def gather_or_cancel(coroutines: list[Awaitable[T]]) -> list[T]:
    """``asyncio.gather`` that cancels the siblings as soon as one fails (3.9 has no TaskGroup)."""
    tasks = [asyncio.ensure_future(coroutine) for coroutine in coroutines]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
