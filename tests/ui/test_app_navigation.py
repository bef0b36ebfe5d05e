"""The sidebar and opening listings: namespaces, repositories, --namespace/--repo, rapid switching."""

from __future__ import annotations

import gc
import warnings

from app_harness import client_for

from swr_tui.fake import FakeRegistry, RecordedRequest
from swr_tui.ui.widgets.catalog import MoreEntry, RepositoryEntry
from swr_tui.ui.widgets.json_view import ManifestView
from swr_tui.ui.widgets.tag_table import TagTable

from .conftest import UI, Start

WEBAPP_NEWEST = "sha256-fa775daff5254280b244c3d5fe0dd5f6b4de1d008a30dddea75b23f773162f96.sig"


def repo_names(ui: UI, namespace: str) -> list[str]:
    return [
        child.data.repository.name
        for child in ui.namespace_node(namespace).children
        if isinstance(child.data, RepositoryEntry)
    ]


async def test_namespaces_load_at_start_and_the_tree_has_focus(start: Start) -> None:
    async with start() as ui:
        assert ui.tree_labels() == [
            "acme  manage",
            "acme-dev  edit",
            "partners  read",
            "sandbox  manage",
            "Shared with me",
        ]
        assert ui.app.focused is ui.app.catalog
        assert ui.cursor_namespace() == "acme"
        assert ui.registry.count("namespaces") == 1
        assert ui.registry.count("repos") == 0  # a namespace's repositories load when it expands
        assert ui.status == "Choose a repository (enter) · ? for keys"


async def test_enter_on_a_namespace_lists_its_repositories_with_tag_counts(start: Start) -> None:
    async with start() as ui:
        await ui.press("enter")

        acme = ui.namespace_node("acme")
        assert acme.is_expanded
        labels = ui.tree_labels(acme)
        for label in (
            "webapp  32",
            "team/app  8",
            "ci-builds  100000",
            "new-service  0",
            "postgres-backup  1",
        ):
            assert label in labels
        names = repo_names(ui, "acme")
        assert names == sorted(names)
        assert ui.registry.count("repos", namespace="acme", offset="0") == 1
        assert ui.app.table.query is None  # expanding opens nothing


async def test_enter_on_a_repository_opens_its_tags(start: Start) -> None:
    async with start() as ui:
        await ui.press("enter")
        ui.app.catalog.move_cursor(ui.repository_node("acme", "webapp"))
        await ui.press("enter")

        query = ui.app.table.query
        assert (query.namespace, query.repository) == ("acme", "webapp")
        assert isinstance(ui.app.focused, TagTable)
        assert ui.app.table.cursor_row == 0
        assert ui.app.table.highlighted_tag.name == WEBAPP_NEWEST
        assert ui.app.detail.tag.name == WEBAPP_NEWEST
        assert ui.status == "acme/webapp · row 1 of 32 · newest first"
        header, first_row = ui.table_lines(0, 2)
        assert header.split() == ["⌫", "Tag", "Updated", "Size", "Digest", "Type"]
        assert first_row.startswith("    " + WEBAPP_NEWEST[:20])  # after the group mark and retention columns
        assert first_row.split()[-1] == "sig"  # the newest tag is v2.4.1's cosign signature


async def test_enter_on_the_open_repository_only_moves_focus(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("shift+tab")
        assert ui.app.focused is ui.app.catalog
        await ui.press("enter")
        assert isinstance(ui.app.focused, TagTable)
        assert len(ui.tag_requests()) == 1


async def test_start_with_a_repository_focuses_its_tags_and_selects_it_in_the_tree(start: Start) -> None:
    async with start(repository="acme/team/app") as ui:
        assert isinstance(ui.app.focused, TagTable)
        assert ui.app.table.cursor_row == 0
        assert ui.app.table.highlighted_tag.name == "latest"
        assert ui.rows() == ["latest", "main", "v0.3.1", "v0.3.0", "v0.2.1", "v0.2.0", "v0.1.1", "v0.1.0"]
        assert ui.status == "acme/team/app · row 1 of 8 · newest first"
        # The sidebar reveals the repository a few message rounds after its list is in.
        await ui.wait_until(lambda: ui.cursor_repository() is not None)
        assert ui.namespace_node("acme").is_expanded
        assert ui.cursor_repository() == "acme/team/app"
        assert ui.tag_requests() == [
            {"offset": "0", "limit": "100", "order_column": "updated_at", "order_type": "desc"}
        ]


async def test_start_with_a_namespace_expands_it_and_puts_the_cursor_on_it(start: Start) -> None:
    async with start(namespace="partners") as ui:
        assert ui.app.focused is ui.app.catalog
        assert ui.cursor_namespace() == "partners"
        assert ui.namespace_node("partners").is_expanded
        assert repo_names(ui, "partners") == ["connector", "docs-site", "sdk-samples"]
        assert ui.app.table.query is None
        assert ui.notes == []


async def test_start_with_an_unknown_namespace_warns(start: Start) -> None:
    async with start(namespace="no-such-ns") as ui:
        assert ui.notes[-1].message == "No namespace named 'no-such-ns' is visible"
        assert ui.notes[-1].severity == "warning"
        assert ui.app.focused is ui.app.catalog


async def test_an_empty_namespace_says_so(start: Start) -> None:
    async with start(namespace="sandbox") as ui:
        assert ui.tree_labels(ui.namespace_node("sandbox")) == ["No repositories"]
        assert ui.notes[-1].message == "Namespace sandbox has no repositories"


async def test_a_big_namespace_pages_its_repositories(start: Start) -> None:
    async with start(namespace="acme-dev") as ui:
        node = ui.namespace_node("acme-dev")
        assert len(repo_names(ui, "acme-dev")) == 100
        more = node.children[-1]
        assert isinstance(more.data, MoreEntry)
        assert str(more.label) == "… 150 more"
        assert ui.registry.count("repos", namespace="acme-dev") == 1  # only what is in view

        ui.app.catalog.move_cursor(more)  # the cursor reaching the end of the list loads the next page
        await ui.settle()

        assert len(repo_names(ui, "acme-dev")) == 200
        assert len(set(repo_names(ui, "acme-dev"))) == 200
        assert str(node.children[-1].label) == "… 50 more"
        assert ui.registry.count("repos", namespace="acme-dev", offset="100") == 1
        assert ui.registry.count("repos", namespace="acme-dev") == 2
        cursor = ui.app.catalog.cursor_node
        assert cursor is not None
        assert isinstance(cursor.data, RepositoryEntry)  # on the first of the new page
        assert cursor.data.repository.name == repo_names(ui, "acme-dev")[100]

        ui.app.catalog.move_cursor(node.children[-1])
        await ui.settle()
        assert len(repo_names(ui, "acme-dev")) == 250
        assert ui.registry.count("repos", namespace="acme-dev") == 3
        assert not isinstance(node.children[-1].data, MoreEntry)


async def test_tab_and_enter_move_between_panes(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("enter")  # enter on a tag focuses its manifest
        assert isinstance(ui.app.focused, ManifestView)
        await ui.press("escape")
        assert isinstance(ui.app.focused, TagTable)
        await ui.press("shift+tab")
        assert ui.app.focused is ui.app.catalog
        await ui.press("tab")
        assert isinstance(ui.app.focused, TagTable)


async def _switch_rapidly(ui: UI) -> None:
    await ui.settle()
    for name in ("webapp", "team/app", "postgres-backup"):
        ui.app.catalog.select_node(ui.repository_node("acme", name))
    await ui.settle()


def assert_shows_postgres_backup(ui: UI) -> None:
    table = ui.app.table
    assert table.query.full_name == "acme/postgres-backup"
    assert ui.rows() == ["15.4-alpine"]
    assert ui.status == "acme/postgres-backup · row 1 of 1 · newest first"
    assert ui.app.detail.tag.name == "15.4-alpine"
    assert ui.facts()["Pull"] == "swr.cn-north-4.myhuaweicloud.com/acme/postgres-backup:15.4-alpine"
    for page in table.cache.pages.values():  # nothing of the repositories left behind
        assert all("/acme/postgres-backup:" in tag.path for tag in page)
    assert not table.cache.pending
    assert not table.cache.failed


async def test_rapid_switching_ends_on_the_last_repository(start: Start, registry: FakeRegistry) -> None:
    # The first repositories answer slowest, so their answers would land last if they were kept.
    slow_first_ms = {"webapp": 250.0, "team/app": 150.0}

    def latency(request: RecordedRequest) -> float:
        return slow_first_ms.get(request.path_params.get("repository", ""), 20.0)

    registry.latency_ms = latency
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with start(namespace="acme") as ui:
            await _switch_rapidly(ui)
            assert_shows_postgres_backup(ui)
            await ui.pilot.pause(0.3)  # longer than the slowest answer: nothing late may change the table
            await ui.settle()
            assert_shows_postgres_backup(ui)
            assert ui.app.focused is ui.app.table
        gc.collect()
    # Work for the abandoned listings is cancelled cleanly, even before it started.
    assert [str(warning.message) for warning in caught if "never awaited" in str(warning.message)] == []


async def test_rapid_switching_over_loopback_http(start: Start, registry: FakeRegistry) -> None:
    registry.latency_ms = 80
    with registry.serve() as server:
        client = client_for(registry, server.url, over_loopback=True)
        async with start(namespace="acme", client=client) as ui:
            await _switch_rapidly(ui)
            assert_shows_postgres_backup(ui)
            await ui.pilot.pause(0.2)
            await ui.settle()
            assert_shows_postgres_backup(ui)
