"""The Enterprise Edition in the TUI (issue 13): the sidebar's *Enterprise instances*, ``--instance``,
the tag table on an instance's repository (ListInstanceTags; a filter on the artifacts), the build
history in the depth section, the Pulled column and fact, and what an enterprise tag does not offer.
Over the fake registry's Enterprise Edition (``fake/enterprise*.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from app_harness import plain
from textual.command import CommandPalette

from swr_tui.fake import FakeRegistry
from swr_tui.fake.credentials import DEMO_PROJECT_ID
from swr_tui.fake.enterprise_data import (
    APPS,
    CREATING_NAME,
    DEEP_REPO,
    RUNNING_ID,
    RUNNING_NAME,
    SHOWCASE_REPO,
    digest_of,
)
from swr_tui.ui.screens import browser as browser_screen
from swr_tui.ui.widgets.catalog_enterprise import InstanceEntry, InstanceNamespaceEntry, InstancesEntry
from swr_tui.ui.widgets.tag_rows import NEVER_PULLED

from .conftest import UI, Start

PROJECT = {"SWR_TUI_PROJECT_ID": DEMO_PROJECT_ID}
WEBAPP = "apps/webapp"
WEBAPP_TAGS = ["v2.4.1", "latest", "stable", "v2.4.0-multiarch", "v1.0.0"]
ENTERPRISE_ROUTES = ("instances", "instance-namespaces", "instance-repos", "instance-tags", "artifacts")


@asynccontextmanager
async def webapp_listed(start: Start) -> AsyncIterator[UI]:
    """The app opened with --instance and --repo on the instance's webapp, its tags listed."""
    async with start(environ=PROJECT, instance=RUNNING_NAME, repository=WEBAPP) as ui:
        await ui.wait_until(lambda: ui.rows() == WEBAPP_TAGS)
        yield ui


@pytest.fixture
def registry(request: pytest.FixtureRequest) -> FakeRegistry:
    """The fake registry; parametrized indirectly with a fault plan for the fault cases."""
    return FakeRegistry(seed=0, faults=getattr(request, "param", None))


def enterprise_requests(registry: FakeRegistry) -> dict[str, int]:
    return {route: registry.count(route) for route in ENTERPRISE_ROUTES if registry.count(route)}


def folder(ui: UI) -> Any:
    return next(
        (node for node in ui.app.catalog.root.children if isinstance(node.data, InstancesEntry)), None
    )


def labels(node: Any) -> list[str]:
    return [" ".join(str(child.label).split()) for child in node.children]


async def instance_folder(ui: UI) -> Any:
    await ui.app.catalog.instances_loaded.wait()
    await ui.settle()
    return folder(ui)


# -- the sidebar -----------------------------------------------------------------------------------


async def test_the_sidebar_lists_the_instances_under_the_basic_namespaces(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(environ=PROJECT) as ui:
        found = await instance_folder(ui)
        assert found is not None
        assert ui.tree_labels()[-1] == "Enterprise instances"  # below the namespaces and Shared
        assert labels(found) == [
            f"{RUNNING_NAME} Running · swr_ee_pro",
            f"{CREATING_NAME} Creating · swr_ee_basic",
        ]
        running, creating = found.children
        assert not running.is_expanded
        assert isinstance(running.data, InstanceEntry)

        registry.clear_requests()
        creating.expand()
        await ui.settle()
        assert labels(creating) == ["Creating: browsable once Running"]
        assert enterprise_requests(registry) == {}  # the API would refuse it: nothing is asked

        running.expand()
        await ui.wait_until(lambda: any(isinstance(c.data, InstanceNamespaceEntry) for c in running.children))
        assert labels(running) == ["apps 2", "ci 1", "legacy 1 · public"]
        apps = running.children[0]
        apps.expand()
        await ui.wait_until(lambda: len(apps.children) == 2 and "Loading" not in labels(apps)[0])
        assert labels(apps) == ["webapp 5", "team/tools/builder 1"]
        assert enterprise_requests(registry) == {"instance-namespaces": 1, "instance-repos": 1}


async def test_choosing_an_instance_repository_lists_its_tags_with_pull_paths_on_the_instance(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(environ=PROJECT) as ui:
        running = (await instance_folder(ui)).children[0]
        running.expand()
        await ui.wait_until(lambda: len(running.children) == 3)
        apps = running.children[0]
        apps.expand()
        await ui.wait_until(lambda: len(apps.children) == 2 and "Loading" not in labels(apps)[0])
        ui.app.catalog.focus()
        ui.app.catalog.move_cursor(apps.children[1])  # team/tools/builder: "/" twice in its name
        await ui.settle()
        await ui.press("enter")
        await ui.wait_until(lambda: ui.rows() == ["v1"])
        query = ui.app.table.query
        assert (query.namespace, query.repository, query.instance) == (
            "apps",
            "team/tools/builder",
            RUNNING_ID,
        )
        tag = ui.app.table.highlighted_tag
        assert tag is not None
        assert tag.path.endswith(".swr-ee.cn-north-4.myhuaweicloud.com/apps/team/tools/builder:v1")
        assert registry.count("tags") == 0  # the basic edition's list is never asked for an instance


async def test_without_a_project_id_there_is_no_enterprise_folder_and_no_request(
    start: Start, registry: FakeRegistry
) -> None:
    async with start() as ui:
        await ui.app.catalog.instances_loaded.wait()
        assert folder(ui) is None
        assert enterprise_requests(registry) == {}


# 403: no right to list them; config-missing: the API gateway's 404, a region without the API.
@pytest.mark.parametrize("registry", ["instances:403", "instances:config-missing"], indirect=True)
async def test_an_account_that_may_not_list_instances_sees_nothing_extra_and_no_error(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(environ=PROJECT) as ui:
        assert await instance_folder(ui) is None
        assert registry.count("instances") == 1
        assert ui.notes == []


@pytest.mark.parametrize("registry", ["instances:500x1"], indirect=True)
async def test_a_failing_instance_list_is_a_problem_row_that_r_retries(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(environ=PROJECT) as ui:
        found = await instance_folder(ui)
        assert found is not None
        [problem] = labels(found)
        assert problem.startswith("⚠ ")
        assert problem.endswith("(r to retry)")
        ui.app.catalog.focus()
        ui.app.catalog.move_cursor(found.children[0])
        await ui.settle()
        await ui.press("r")
        await ui.wait_until(lambda: folder(ui) is not None and len(folder(ui).children) == 2)
        assert labels(folder(ui))[0] == f"{RUNNING_NAME} Running · swr_ee_pro"
        assert ui.notes == []


# -- --instance ------------------------------------------------------------------------------------


async def test_instance_and_repo_open_the_instance_repository_and_reveal_it(
    start: Start, registry: FakeRegistry
) -> None:
    async with webapp_listed(start) as ui:
        assert ui.app.table.query.instance == RUNNING_ID
        assert ui.status.startswith(f"{WEBAPP} · row 1 of 5 · newest first")
        await ui.wait_until(
            lambda: ui.cursor_entry() is not None and hasattr(ui.cursor_entry(), "repository")
        )
        assert ui.cursor_entry().repository.full_name == WEBAPP
        assert ui.cursor_entry().instance == RUNNING_ID
        assert registry.count("tags") == 0  # no early basic request for what is an instance's repository
        assert registry.count("instance-tags") == 1


async def test_instance_alone_expands_the_instance(start: Start) -> None:
    async with start(environ=PROJECT, instance=RUNNING_ID) as ui:
        await ui.wait_until(lambda: isinstance(ui.cursor_entry(), InstanceEntry))
        node = ui.app.catalog.cursor_node
        assert node.is_expanded
        assert labels(node) == ["apps 2", "ci 1", "legacy 1 · public"]
        assert ui.app.focused is ui.app.catalog


@pytest.mark.parametrize(
    ("instance", "said"),
    [
        (CREATING_NAME, f"Enterprise instance {CREATING_NAME} is Creating, not Running"),
        ("nope", "No enterprise instance named 'nope' in this project (its instances: acme-next, acme-prod)"),
    ],
)
async def test_an_instance_that_cannot_be_browsed_says_why(start: Start, instance: str, said: str) -> None:
    async with start(environ=PROJECT, instance=instance, repository=WEBAPP) as ui:
        await ui.wait_until(lambda: bool(ui.notes))
        assert said in ui.notes[0].text
        assert ui.app.table.query is None
        assert ui.app.focused is ui.app.catalog


# -- the table --------------------------------------------------------------------------------------


async def test_a_filter_lists_matching_artifacts_each_named_by_its_matching_tag(
    start: Start, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browser_screen, "FILTER_DEBOUNCE_S", 30)
    async with webapp_listed(start) as ui:
        await ui.press("slash")
        ui.app.browser.filter_input.value = "a"  # typed at once: the debounce is 30 s here
        await ui.press("enter")
        # v2.4.1/latest/stable is one artifact: one row, named by its first tag holding "a"
        await ui.wait_until(lambda: ui.rows() == ["latest", "v2.4.0-multiarch"])
        assert [r.params.get("tags") for r in registry.requests if r.route == "artifacts"] == ["a"]


async def test_a_lists_by_artifact_with_the_untagged_one_and_keeps_it_for_the_next_repository(
    start: Start, registry: FakeRegistry
) -> None:
    async with webapp_listed(start) as ui:
        registry.clear_requests()
        await ui.press("A")
        # v2.4.1/latest/stable is one artifact, named by its first tag; the untagged one is listed
        untagged_digest = digest_of(SHOWCASE_REPO, "untagged")
        untagged_row = f"<untagged sha256:{untagged_digest.split(':')[1][:12]}>"
        await ui.wait_until(lambda: ui.rows() == ["v2.4.1", untagged_row, "v2.4.0-multiarch", "v1.0.0"])
        assert ui.notes[-1].text.startswith("By artifact: one row each")
        artifact_lists = [r for r in registry.requests if r.route == "artifacts"]
        assert len(artifact_lists) == 1
        assert "tags" not in artifact_lists[0].params
        assert ui.status.startswith(f"{WEBAPP} · row 1 of 4 · newest first · by artifact")
        await ui.highlight(untagged_row)
        untagged = ui.app.table.highlighted_tag
        assert untagged.digest == untagged_digest
        assert untagged.path.endswith(f"/{WEBAPP}@{untagged.digest}")  # pulled by digest
        await ui.press("c")
        assert ui.copied[-1] == untagged.path
        ui.app.browser.open_repository(APPS, DEEP_REPO, RUNNING_ID)  # another repository of the instance
        await ui.wait_until(lambda: ui.app.table.total is not None)
        assert ui.app.table.query.artifacts
        await ui.press("A")
        await ui.wait_until(lambda: ui.app.table.total is not None)
        assert not ui.app.table.query.artifacts
        assert ui.notes[-1].text == "By tag: one row per tag (untagged artifacts are not listed)"


async def test_a_on_a_basic_edition_repository_says_it_lists_tags(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("A")
        assert ui.notes[-1].text.startswith("Listing by artifact is the Enterprise Edition's")
        assert not ui.app.table.query.artifacts


async def test_sort_is_refused_for_an_instance_which_lists_newest_first_only(start: Start) -> None:
    async with webapp_listed(start) as ui:
        await ui.press("s")
        assert ui.notes[-1].text == "The Enterprise Edition lists tags newest first only"
        assert ui.app.table.query.order == "desc"


async def test_p_shows_when_each_tag_was_last_pulled_and_the_detail_pane_says_it(start: Start) -> None:
    async with webapp_listed(start) as ui:
        assert "Pulled" not in ui.table_lines(0, 1)[0]
        await ui.press("P")
        header, first, *_ = ui.table_lines(0, 6)
        assert header.split()[:3] == ["Tag", "Updated", "Pulled"]
        assert first.split()[1:6] == ["v2.4.1", "2h", "ago", "5m", "ago"]  # after the digest group's mark
        assert ui.table_lines(5, 6)[0].split()[3] == NEVER_PULLED  # v1.0.0 (no group mark): never pulled
        assert ui.facts()["Pulled"] == "2026-11-01 11:55:00 UTC · 5m ago"
        await ui.highlight("v1.0.0")
        assert ui.facts()["Pulled"] == "never"
        await ui.press("P")
        assert "Pulled" not in ui.table_lines(0, 1)[0]


async def test_the_depth_section_shows_the_build_history_and_the_accessories(start: Start) -> None:
    async with start(environ=PROJECT, instance=RUNNING_NAME, repository=WEBAPP) as ui:
        await ui.wait_until(lambda: "History" in ui.detail_text("detail-depth"))
        shown = ui.detail_text("detail-depth")
        assert "5 steps, 3 with a layer · h opens it" in shown
        assert "Layers 3 · " in " ".join(shown.split())
        assert "root (default)" not in shown
        assert "(signature, from accessories)" in shown
        assert "(sbom, from accessories)" in shown
        # The instance lists no manifest: the pane says so, never "Empty manifest".
        summary = " ".join(ui.detail_text("detail-summary").split())
        assert (
            summary == "Manifest not read: an instance's tag list carries none (the build history is under h)"
        )
        await ui.press("h")
        history = ui.app.screen
        assert type(history).__name__ == "HistoryScreen"
        steps = [step.instruction for step in history.view.history.steps]
        assert [bool(step.layer) for step in history.view.history.steps] == [True, False, True, True, False]
        assert steps == [
            "ADD file:0a1b2c in /",
            'CMD ["sh"]',
            "RUN apk add --no-cache ca-certificates",
            "COPY app /app",
            'ENTRYPOINT ["/app"]',
        ]


# -- what works the same, and what an enterprise tag does not offer ----------------------------------


async def test_export_writes_the_instance_listing_through_its_own_pages(
    start: Start, registry: FakeRegistry, tmp_path: Any
) -> None:
    async with webapp_listed(start) as ui:
        await ui.press("ctrl+s")
        target = tmp_path / "webapp.csv"
        field = ui.app.screen.query_one("#export-path")
        field.value = str(target)
        await ui.press("enter")
        await ui.wait_until(lambda: target.exists())
        names = [line.split(",")[0] for line in target.read_text().splitlines()[1:]]
        assert names == WEBAPP_TAGS
        assert registry.count("tags") == 0


async def test_export_under_a_writes_every_tag_not_one_row_per_artifact(
    start: Start, registry: FakeRegistry, tmp_path: Any
) -> None:
    async with webapp_listed(start) as ui:
        await ui.press("A")
        await ui.wait_until(lambda: len(ui.rows()) == 4)  # one row per artifact
        await ui.press("ctrl+s")
        said = " ".join(plain(ui.app.screen.query_one("#export-what").content).split())
        assert "(4 tags)" not in said  # the table's total counts artifacts, not tags
        target = tmp_path / "webapp.csv"
        ui.app.screen.query_one("#export-path").value = str(target)
        await ui.press("enter")
        await ui.wait_until(lambda: target.exists())
        names = [line.split(",")[0] for line in target.read_text().splitlines()[1:]]
        assert names == WEBAPP_TAGS  # the listing by tag: every tag of the artifacts


async def test_same_digest_is_one_artifact_request_on_an_instance(
    start: Start, registry: FakeRegistry
) -> None:
    async with webapp_listed(start) as ui:
        registry.clear_requests()
        ui.app.browser.action_digest_search()
        screen = ui.app.screen
        await ui.wait_until(lambda: screen.matches is not None)
        assert screen.matches == ["v2.4.1", "latest", "stable"]
        # One artifact read without its scan overview (the detail pane's own reads, resting on the
        # tag, ask with it), and no tag list read at all.
        lists = ("tags", "instance-tags", "artifacts")
        assert [r.route for r in registry.requests if r.route in lists] == []
        searched = [
            r
            for r in registry.requests
            if r.route == "artifact" and r.params == {"with_scan_overview": "false"}
        ]
        assert len(searched) == 1


async def test_retention_is_not_offered_for_an_instance(start: Start, registry: FakeRegistry) -> None:
    async with webapp_listed(start) as ui:
        await ui.press("R")
        assert "an Enterprise instance keeps its own" in ui.notes[-1].text
        assert registry.count("retentions") == 0
        assert type(ui.app.screen).__name__ == "BrowserScreen"


# -- the scan section and v ------------------------------------------------------------------------


def artifact_text(ui: UI) -> str:
    section = ui.app.browser.artifact_section
    assert section is not None
    return " ".join(plain(section.content).split()) if section.display else ""


async def test_the_scan_overview_shows_as_badges_with_the_artifact_s_tags(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(environ=PROJECT, instance=RUNNING_NAME, repository=WEBAPP) as ui:
        await ui.wait_until(lambda: bool(artifact_text(ui)))
        shown = artifact_text(ui)
        assert shown.startswith(
            "Scan 2 critical 2 high 2 medium 2 low 2 unknown 10 total, 8 fixable · Trivy v0.50.1"
        )
        assert "Tags v2.4.1, latest, stable" in shown
        assert registry.count("artifact") == 1
        await ui.press("down")  # latest: the same artifact, from memory
        await ui.settle()
        assert artifact_text(ui) == shown
        assert registry.count("artifact") == 1
        await ui.highlight("v1.0.0")
        await ui.wait_until(lambda: "not scanned" in artifact_text(ui))
        assert "Tags v1.0.0" in artifact_text(ui)


@pytest.mark.parametrize("registry", ["artifact:500x1"], indirect=True)
async def test_a_failed_artifact_read_is_one_dim_line_and_r_reads_it_again(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(environ=PROJECT, instance=RUNNING_NAME, repository=WEBAPP) as ui:
        await ui.wait_until(lambda: bool(artifact_text(ui)))
        assert artifact_text(ui).startswith("Scan could not be read: ")
        assert artifact_text(ui).endswith("(r retries)")
        await ui.press("r")
        await ui.wait_until(lambda: "critical" in artifact_text(ui))
        assert ui.rows() == WEBAPP_TAGS


async def test_v_opens_the_highlighted_tag_s_vulnerabilities(start: Start) -> None:
    async with start(environ=PROJECT, instance=RUNNING_NAME, repository="legacy/base") as ui:
        await ui.wait_until(lambda: ui.rows() == ["2019"])
        await ui.press("v")
        screen = ui.app.screen
        assert type(screen).__name__ == "VulnerabilitiesScreen"
        assert screen.report_title == "legacy/base:2019"
        await ui.wait_until(lambda: screen.reports is not None)
        assert len(screen.vulnerabilities) == 2_000
        assert screen.vulnerabilities[0].severity == "Critical"


async def test_v_on_a_basic_edition_tag_says_where_reports_come_from(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("v")
        assert ui.notes[-1].text.startswith("Vulnerability reports are the Enterprise Edition's")
        assert type(ui.app.screen).__name__ == "BrowserScreen"


@pytest.mark.parametrize("registry", ["instance-tags:no-content-range"], indirect=True)
async def test_a_missing_total_still_lists_every_tag(start: Start) -> None:
    async with start(environ=PROJECT, instance=RUNNING_NAME, repository=WEBAPP) as ui:
        await ui.wait_until(lambda: ui.rows() == WEBAPP_TAGS)  # the short page proves the total
        assert "row 1 of 5" in ui.status


@pytest.mark.parametrize("registry", ["instance-tags:total-drift=7x1"], indirect=True)
async def test_a_lying_total_says_so_and_r_reads_the_list_again(start: Start) -> None:
    async with start(environ=PROJECT, instance=RUNNING_NAME, repository=WEBAPP) as ui:
        await ui.wait_until(lambda: bool(ui.notes))
        assert "sent 5 tags at offset 0 though it reported 12 in all" in ui.notes[0].text
        await ui.press("r")
        await ui.wait_until(lambda: ui.rows() == WEBAPP_TAGS)
        assert "row 1 of 5" in ui.status


async def test_the_palette_goes_to_an_instance_repository_the_sidebar_has_listed(start: Start) -> None:
    async with start(environ=PROJECT, instance=RUNNING_NAME, repository=WEBAPP) as ui:
        await ui.wait_until(lambda: ui.rows() == WEBAPP_TAGS)  # the sidebar lists apps' repositories
        await ui.press("ctrl+p")
        assert isinstance(ui.app.screen, CommandPalette)
        await ui.settle()
        await ui.pilot.press(*"builder")
        await ui.wait_until(lambda: bool(ui.app.screen.query_one("CommandList").options))
        options = ui.app.screen.query_one("CommandList").options
        first = str(options[0].prompt).splitlines()
        assert first == [f"repository {APPS}/{DEEP_REPO} in {RUNNING_NAME}", "1 tag, Enterprise Edition"]
        await ui.press("enter")
        await ui.wait_until(
            lambda: ui.app.table.query.repository == DEEP_REPO and ui.app.table.total is not None
        )
        assert ui.app.table.query.instance == RUNNING_ID
        assert ui.app.table.highlighted_tag.path.startswith(f"{RUNNING_NAME}")
