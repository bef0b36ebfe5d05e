"""The sidebar holds a listed repository in little memory (issue 14: a namespace of 10,000
repositories), and gives back the repository as it was listed."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from app_harness import client_for
from textual.app import App, ComposeResult
from textual.widgets.tree import TreeNode

from swr_tui.fake import FakeRegistry
from swr_tui.swr.client import SwrClient
from swr_tui.swr.models import Repository
from swr_tui.ui.table_state import TableStatus
from swr_tui.ui.tag_pages import TagQuery
from swr_tui.ui.widgets.catalog import CatalogSource, CatalogTree, MoreEntry, RepositoryEntry

# What the sidebar may keep per listed repository, its record's strings included (traced bytes,
# from the response to the tree's lines). It kept ~2,350 (a Text label with its spans, a line
# object and a path list, a list of children, the strings all repositories share once each); the
# benchmark's 10,000 repositories must fit in +15 MB of RSS with Textual's render caches on top.
BYTES_PER_REPOSITORY = 1_300
NAMESPACE = "acme-dev"  # 250 repositories: a first page of 100


class SidebarApp(App[None]):
    def __init__(self, client: SwrClient) -> None:
        super().__init__()
        self.client = client

    def compose(self) -> ComposeResult:
        client = self.client

        async def repositories(namespace: str, offset: int, limit: int):  # type: ignore[no-untyped-def]
            return await client.list_repositories(namespace, offset=offset, limit=limit)

        async def shared(offset: int, limit: int):  # type: ignore[no-untyped-def]
            return await client.list_shared_repositories(offset=offset, limit=limit)

        yield CatalogTree(CatalogSource(client.list_namespaces, repositories, shared))

    def on_mount(self) -> None:
        self.query_one(CatalogTree).load_namespaces()


@asynccontextmanager
async def sidebar(
    registry: FakeRegistry,
) -> AsyncIterator[tuple[SwrClient, CatalogTree, TreeNode[Any], Any]]:
    """The sidebar with its namespaces listed: its client, the tree, NAMESPACE's node (its
    repositories not asked for yet), the pilot."""
    async with client_for(registry) as client:
        app = SidebarApp(client)
        async with app.run_test(size=(60, 30)) as pilot:
            tree = app.query_one(CatalogTree)
            await tree.namespaces_loaded.wait()
            node = tree.namespace_node(NAMESPACE)
            assert node is not None
            yield client, tree, node, pilot


@asynccontextmanager
async def listed_namespace(registry: FakeRegistry) -> AsyncIterator[tuple[CatalogTree, TreeNode[Any], Any]]:
    """The sidebar with NAMESPACE's first page listed: the tree, the namespace's node, the pilot."""
    async with sidebar(registry) as (_, tree, node, pilot):
        await tree.ensure_loaded(node)
        yield tree, node, pilot


async def test_a_listed_repository_costs_little_memory_and_is_given_back_as_listed(
    registry: FakeRegistry,
) -> None:
    async with sidebar(registry) as (client, tree, node, pilot):
        listed = (await client.list_repositories(NAMESPACE, limit=100)).items
        await pilot.pause()
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.take_snapshot()
            await tree.ensure_loaded(node)  # the request, the records, the nodes
            node.expand()
            assert tree.last_line == len(tree.namespaces) + 1 + len(listed)  # the lines, built
            gc.collect()
            after = tracemalloc.take_snapshot()
        finally:
            tracemalloc.stop()
        grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
        entries = [child.data for child in node.children if isinstance(child.data, RepositoryEntry)]
        assert [entry.repository for entry in entries] == list(listed)
        assert isinstance(node.children[-1].data, MoreEntry)
        assert grown / len(listed) <= BYTES_PER_REPOSITORY, f"{grown / len(listed):.0f} bytes each"


def test_an_entry_gives_back_any_repository_unchanged() -> None:
    odd = [
        Repository("ns", "app", path="swr.example.com/ns/app", internal_path="10.0.0.1:5000/ns/app"),
        Repository("ns", "app", path="swr.example.com/ns/webapp", internal_path="app"),  # not "…/app"
        Repository("ns", "", path="swr.example.com/ns/"),
        Repository("n[s]", "a\x1b[31mb", description="d", size=2**40, status=None, is_public=True),
    ]
    for repository in odd:
        entry = RepositoryEntry(repository, "instance-id")
        assert entry.repository == repository
        assert entry.instance == "instance-id"
        assert entry == RepositoryEntry(repository, "instance-id")
        assert hash(entry) == hash(RepositoryEntry(repository, "instance-id"))
    assert RepositoryEntry(odd[0]) != RepositoryEntry(odd[1])


async def test_a_reload_clears_a_listed_namespace_in_one_pass(
    registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual removes a node's children one at a time, each found by a search of the list (half
    a second for 10,000 repositories): the sidebar clears a folder without that, to the same tree."""
    async with listed_namespace(registry) as (tree, node, pilot):
        node.expand()
        await pilot.pause()
        names = [
            child.data.repository.name for child in node.children if isinstance(child.data, RepositoryEntry)
        ]
        assert len(names) == 100
        known = set(tree._tree_nodes)
        children = {child.id for child in node.children}

        # A reload through the tree: the same list again, and no node left behind.
        tree.select_node(node)
        tree.action_reload()
        # Until the reload's answer is in: the old list stays on screen while it is on its way, and
        # a loaded machine can take longer than a few pauses for it.
        await tree.app.workers.wait_for_complete()
        await pilot.pause()
        assert not [child for child in node.children if str(child.label) == "Reloading…"]
        again = [
            child.data.repository.name for child in node.children if isinstance(child.data, RepositoryEntry)
        ]
        assert again == names
        assert len(tree._tree_nodes) == len(known)  # as many nodes as before, none stale
        assert set(tree._tree_nodes).isdisjoint(children)

        def one_at_a_time(self: TreeNode[object]) -> None:
            raise AssertionError("a child removed on its own, after a search of its parent's list")

        monkeypatch.setattr(TreeNode, "_remove", one_at_a_time)
        children = {child.id for child in node.children}
        before = set(tree._tree_nodes)
        tree.clear_children(node)
        assert list(node.children) == []
        assert set(tree._tree_nodes) == before - children
        await pilot.pause()
        assert tree.last_line == len(tree.namespaces)  # the last line: Shared with me, after them


async def test_a_folder_cleared_with_its_parent_can_be_cleared_again(registry: FakeRegistry) -> None:
    """A namespace's own load may end after the whole list was reloaded: clearing it then is a no-op,
    not a KeyError for nodes its parent's clearing already took out."""
    async with listed_namespace(registry) as (tree, node, pilot):
        await pilot.pause()
        assert len(node.children) == 101
        tree.clear_children(tree.root)
        assert list(node.children) == []  # emptied with its parent
        tree.clear_children(node)
        assert list(tree.root.children) == []
        assert set(tree._tree_nodes) == {tree.root.id}


async def test_an_instance_repository_s_count_is_not_written_on_a_basic_one(registry: FakeRegistry) -> None:
    async with listed_namespace(registry) as (tree, node, pilot):
        await pilot.pause()
        entry = node.children[0].data
        assert isinstance(entry, RepositoryEntry)
        name, count = entry.repository.name, entry.repository.num_images

        def status(instance: str) -> TableStatus:
            query = TagQuery(NAMESPACE, name, instance=instance)
            return TableStatus(query, 0, count + 7, True, False, None)

        tree.learn_tag_count(status("3c1d8e6a-instance"))  # the same names in an instance
        assert node.children[0].data.repository.num_images == count
        tree.learn_tag_count(status(""))  # the basic edition's own listing
        assert node.children[0].data.repository.num_images == count + 7
