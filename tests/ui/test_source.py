"""RegistrySource: the first screen's requests start early and are used once; a switch replaces
the connection and drops what the old one was still answering."""

from __future__ import annotations

import asyncio
from typing import Any

from swr_tui.swr.paging import Page
from swr_tui.ui.source import RegistrySource
from swr_tui.ui.tag_pages import TagQuery


class Client:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    async def list_namespaces(self) -> list[str]:
        self.calls.append(("namespaces",))
        return ["acme"]

    async def list_tags(self, namespace: str, repository: str, **options: Any) -> Page[Any]:
        self.calls.append(("tags", namespace, repository, options["offset"]))
        return Page((), options["offset"], options["limit"], 0)


async def test_the_early_requests_are_answered_once_then_asked_afresh() -> None:
    client = Client()
    source = RegistrySource(client)  # type: ignore[arg-type]
    query = TagQuery("acme", "web")
    source.start_early(query, 100)
    assert await source.namespaces() == ["acme"]
    await source.tags(query, 0, 100)
    assert client.calls == [("namespaces",), ("tags", "acme", "web", 0)]
    await source.namespaces()
    await source.tags(query, 0, 100)
    assert len(client.calls) == 4


async def test_a_watch_poll_is_never_served_the_early_page() -> None:
    client = Client()
    source = RegistrySource(client)  # type: ignore[arg-type]
    query = TagQuery("acme", "web")
    source.start_early(query, 100)
    await asyncio.sleep(0)
    await source.fresh_tags(query, 0, 100)
    await source.drop_early()
    assert client.calls.count(("tags", "acme", "web", 0)) == 2


async def test_reconnect_swaps_the_client_and_serves_the_known_namespaces() -> None:
    old, new = Client(), Client()
    source = RegistrySource(old)  # type: ignore[arg-type]
    source.start_early(None, 100)
    assert source.reconnect(new, ["other"]) is old  # type: ignore[arg-type]
    assert source.client is new
    assert await source.namespaces() == ["other"]
    assert new.calls == []
