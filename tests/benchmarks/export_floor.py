"""The network floor of a headless export (issue 14), run by run.py as a child process and timed
whole: Python's start, ``import httpx``, then the very requests ``swr-tui tags NS/REPO --all`` makes
(the first page, which tells the total, then the others with at most CONCURRENCY in flight), each
body read and nothing else done with it: no parsing, no output.

    SWR_TUI_TOKEN=... python export_floor.py http://127.0.0.1:PORT NAMESPACE REPOSITORY PAGE CONCURRENCY

Prints how many bytes and pages it read. It imports nothing but httpx, on purpose.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys

import httpx

_TOTAL = re.compile(r"/\s*(\d+)\s*$")


def tags_url(namespace: str, repository: str, offset: int, limit: int) -> str:
    filters = f"offset::{offset}|limit::{limit}|order_column::updated_at|order_type::desc"
    return f"/v2/manage/namespaces/{namespace}/repos/{repository.replace('/', '$')}/tags?filter={filters}"


async def export(
    endpoint: str, namespace: str, repository: str, page: int, concurrency: int
) -> tuple[int, int]:
    headers = {"X-Auth-Token": os.environ["SWR_TUI_TOKEN"], "Accept": "application/json"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=endpoint, headers=headers, limits=limits) as client:
        first = await client.get(tags_url(namespace, repository, 0, page))
        first.raise_for_status()
        match = _TOTAL.search(first.headers.get("Content-Range", ""))
        total = int(match.group(1)) if match else 0
        gate = asyncio.Semaphore(concurrency)

        async def one(offset: int) -> int:
            async with gate:
                response = await client.get(tags_url(namespace, repository, offset, page))
                response.raise_for_status()
                return len(response.content)

        sizes = await asyncio.gather(*(one(offset) for offset in range(page, total, page)))
    return len(first.content) + sum(sizes), 1 + len(sizes)


def main() -> None:
    endpoint, namespace, repository, page, concurrency = sys.argv[1:6]
    size, pages = asyncio.run(export(endpoint, namespace, repository, int(page), int(concurrency)))
    print(f"{size} bytes in {pages} pages")


if __name__ == "__main__":
    main()
