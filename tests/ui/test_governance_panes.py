"""The governance panes (issue 12): a tag's *Synced to* and *Deployed by* under its Config section,
and the repository summary the detail pane shows while the sidebar has the focus on a repository.
Over the fake registry's sync, trigger, retention, access and share APIs, on loopback HTTP."""

from __future__ import annotations

import pytest
from app_harness import plain

from swr_tui.fake import FakeRegistry
from swr_tui.ui import governance_cache
from swr_tui.ui.governance_cache import SYNC_JOB_PAGE
from swr_tui.ui.widgets import tag_governance
from swr_tui.ui.widgets.repository_summary import SHOWING

from .conftest import UI, Start, client_for

TAG_ROUTES = ("sync-repos", "sync-jobs", "triggers")
SUMMARY_ROUTES = ("retentions", "sync-repos", "triggers", "repo-access", "namespace-access", "shares")


def lines(renderable: object) -> list[str]:
    """A section as lines of words (runs of spaces folded)."""
    return [" ".join(line.split()) for line in plain(renderable).splitlines() if line.strip()]


def tag_lines(ui: UI) -> list[str]:
    pane = ui.app.browser.tag_governance
    assert pane is not None
    return lines(pane.content) if pane.display else []


def summary_lines(ui: UI) -> list[str]:
    summary = ui.app.browser.repository_summary
    assert summary is not None
    return lines(summary.content)


async def tag_sections_shown(ui: UI) -> list[str]:
    await ui.wait_until(lambda: bool(tag_lines(ui)))
    return tag_lines(ui)


async def summary_loaded(ui: UI) -> list[str]:
    await ui.wait_until(lambda: not any("loading…" in line for line in summary_lines(ui)))
    return summary_lines(ui)


def counts(registry: FakeRegistry, routes: tuple[str, ...]) -> dict[str, int]:
    return {route: registry.count(route) for route in routes}


def repository_counts(registry: FakeRegistry, routes: tuple[str, ...], repository: str) -> dict[str, int]:
    return {
        route: sum(
            1 for r in registry.requests if r.route == route and r.path_params.get("repository") == repository
        )
        for route in routes
    }


async def focus_repository(ui: UI, namespace: str, name: str) -> None:
    """The sidebar's cursor on the repository, the sidebar focused (no key that opens it)."""
    await ui.app.catalog.ensure_repositories(namespace)
    ui.app.catalog.focus()
    await ui.settle()  # the tree's lines are laid out again once the namespace is expanded
    ui.app.catalog.move_cursor(ui.repository_node(namespace, name))
    await ui.settle()


# -- a tag -----------------------------------------------------------------------------------------


async def test_a_tag_shows_where_it_was_synced_and_which_trigger_deployed_it(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(repository="acme/webapp") as ui:
        assert await tag_sections_shown(ui) == [
            "Synced to cn-east-3 → acme · success · 25d ago",
            "ap-southeast-1 → acme-sg · success · 25d ago",
            "Deployed by deploy-webapp-prod (cce prod-cluster/webapp) · success · 25d ago",
        ]
        # One read of each per repository: the jobs are the newest page (ShowSyncJob filters by
        # nothing else), found for the tag here.
        assert counts(registry, TAG_ROUTES) == {"sync-repos": 1, "sync-jobs": 1, "triggers": 1}
        jobs = [request.params for request in registry.requests if request.route == "sync-jobs"]
        assert jobs == [{"limit": str(SYNC_JOB_PAGE), "offset": "0", "order": "desc"}]

        rows = ui.rows()
        await ui.highlight(rows[2])  # the third newest: its deployment failed, its syncs went on
        assert tag_lines(ui) == [
            "Synced to cn-east-3 → acme · waiting · 25d ago",
            "ap-southeast-1 → acme-sg · timeout · 25d ago",
            "Deployed by deploy-webapp-prod (cce prod-cluster/webapp) · failed · 25d ago · "
            "deployment webapp: image pull failed (ErrImagePull)",
        ]
        await ui.highlight(rows[20])  # older than any job read, and than the trigger's history
        assert tag_lines(ui) == [
            "Synced to cn-east-3 → acme · no sync job for this tag",  # all 24 jobs were read
            "ap-southeast-1 → acme-sg · no sync job for this tag",
            "Deployed by no trigger fired for this tag",
        ]
        assert counts(registry, TAG_ROUTES) == {"sync-repos": 1, "sync-jobs": 1, "triggers": 1}


async def test_a_tag_older_than_the_jobs_read_says_how_many_were_read(
    start: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(governance_cache, "SYNC_JOB_PAGE", 10)  # webapp has 24: not all are read
    async with start(repository="acme/webapp") as ui:
        await tag_sections_shown(ui)
        await ui.highlight(ui.rows()[20])
        assert tag_lines(ui)[:2] == [
            "Synced to cn-east-3 → acme · no job for this tag in the newest 10",
            "ap-southeast-1 → acme-sg · no job for this tag in the newest 10",
        ]


async def test_a_repository_without_sync_or_triggers_says_so_in_one_dim_line_each(start: Start) -> None:
    async with start(repository="acme/nginx") as ui:
        assert await tag_sections_shown(ui) == ["Synced to no sync rule", "Deployed by no trigger"]


async def test_rows_passed_over_ask_for_nothing_and_the_rest_reads_once(
    start: Start, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tag_governance, "REST_S", 30.0)  # the cursor never rests while it moves
    async with start(repository="acme/ci-builds") as ui:
        table = ui.app.table
        for _ in range(100):
            table.action_cursor(1)  # as fast as key repeat
        await ui.settle()
        assert table.cursor_row == 100
        assert counts(registry, TAG_ROUTES) == {"sync-repos": 0, "sync-jobs": 0, "triggers": 0}
        assert tag_lines(ui) == []  # nothing shows (nor jumps) while waiting
        monkeypatch.setattr(tag_governance, "REST_S", 0.01)
        await ui.press("down")
        shown = await tag_sections_shown(ui)
        assert shown[0].startswith("Synced to cn-east-3 → acme")
        assert counts(registry, TAG_ROUTES) == {"sync-repos": 1, "sync-jobs": 1, "triggers": 1}


async def test_a_second_visit_costs_nothing_and_r_reads_again(start: Start, registry: FakeRegistry) -> None:
    async with start(repository="acme/webapp") as ui:
        first = await tag_sections_shown(ui)
        ui.app.open_repository("acme", "nginx")
        await tag_sections_shown(ui)
        ui.app.open_repository("acme", "webapp")
        await ui.wait_until(lambda: ui.app.table.highlighted_tag is not None)
        assert tag_lines(ui) == first  # drawn from memory, at once
        webapp = repository_counts(registry, TAG_ROUTES, "webapp")
        assert webapp == {"sync-repos": 1, "sync-jobs": 1, "triggers": 1}
        await ui.press("r")
        assert await tag_sections_shown(ui) == first
        webapp = repository_counts(registry, TAG_ROUTES, "webapp")
        assert webapp == {"sync-repos": 2, "sync-jobs": 2, "triggers": 2}


# -- the repository summary ------------------------------------------------------------------------

WEBAPP_SUMMARY = [
    "Repository acme/webapp",
    "Description Customer-facing web application (multi-arch, cosign-signed)",
    "Category app_server",
    "Public no",
    "Size 2.3 GiB",
    "Tags 32",
    "Retention keep 90 days, except 'v1.0.0'",
    "Sync cn-east-3 → acme (auto)",
    "ap-southeast-1 → acme-sg (auto, override)",
    "Triggers deploy-webapp-prod · cce prod-cluster/default/webapp · all: .* · last success 25d ago",
    "deploy-webapp-staging · cce staging-cluster/default/webapp · regular: ^v2\\. · never fired · disabled",
    "Access you (demo-user) · manage",
    "ci-bot · edit",
    "Namespace you (demo-user) · manage",
    "acme-admin · manage",
    "ci-bot · edit",
    "auditor · read",
    "Shares partner-a · read · until 2026-11-04 12:00 UTC (in 3d) · ⚠ ends within a week",
    "partner-b · read · no end",
]


async def test_the_sidebar_on_a_repository_shows_its_summary_and_the_tags_bring_the_tag_back(
    start: Start, registry: FakeRegistry
) -> None:
    async with start() as ui:
        await focus_repository(ui, "acme", "webapp")
        detail = ui.app.detail
        assert detail.has_class(SHOWING)
        assert await summary_loaded(ui) == WEBAPP_SUMMARY
        assert counts(registry, SUMMARY_ROUTES) == dict.fromkeys(SUMMARY_ROUTES, 1)
        await ui.press("enter")  # still opens its tags
        assert ui.app.table.query is not None
        assert ui.app.table.query.full_name == "acme/webapp"
        assert ui.app.focused is ui.app.table
        assert not detail.has_class(SHOWING)
        assert ui.app.detail.tag is not None  # the tag's details are back
        await ui.press("shift+tab")  # the sidebar again, still on acme/webapp
        assert detail.has_class(SHOWING)
        assert summary_lines(ui) == WEBAPP_SUMMARY  # from memory
        assert counts(registry, SUMMARY_ROUTES) == dict.fromkeys(SUMMARY_ROUTES, 1)


async def test_an_expired_share_and_a_repository_with_nothing_set_up(start: Start) -> None:
    async with start() as ui:
        await focus_repository(ui, "acme", "mysql")
        shown = await summary_loaded(ui)
        assert shown[6:] == [
            "Retention no rule: nothing is deleted",
            "Sync no sync rule",
            "Triggers no trigger",
            "Access you (demo-user) · manage",
            "ci-bot · edit",
            "Namespace you (demo-user) · manage",
            "acme-admin · manage",
            "ci-bot · edit",
            "auditor · read",
            "Shares old-vendor · read · until 2026-10-22 12:00 UTC (10d ago) · ⚠ ended · not in force",
        ]


async def test_moving_over_repositories_asks_for_nothing_until_the_cursor_rests(
    start: Start, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    from swr_tui.ui.widgets import repository_summary

    monkeypatch.setattr(repository_summary, "REST_S", 30.0)
    async with start() as ui:
        await focus_repository(ui, "acme", "webapp")
        for _ in range(4):
            await ui.press("down")
        assert summary_lines(ui)[0].startswith("Repository acme/")
        assert "Retention loading…" in summary_lines(ui)
        assert counts(registry, SUMMARY_ROUTES) == dict.fromkeys(SUMMARY_ROUTES, 0)


async def test_r_reads_the_summary_again(start: Start, registry: FakeRegistry) -> None:
    async with start() as ui:
        await focus_repository(ui, "acme", "webapp")
        await summary_loaded(ui)
        await ui.press("r")
        assert await summary_loaded(ui) == WEBAPP_SUMMARY
        assert counts(registry, SUMMARY_ROUTES) == dict.fromkeys(SUMMARY_ROUTES, 2)


# -- faults: each section says so in one dim line, the others still show -------------------------

FAULTS = {
    "403": ("403", "could not be read: "),
    "404": ("config-missing", "not available in this region"),
    "html": ("502", "could not be read: "),
    "bad JSON": ("malformed", "could not be read: "),
}
# Two halves, so that every new route meets every fault while the other half shows.
HALVES = {
    "jobs, retention, namespace access, shares": ("sync-jobs", "retentions", "namespace-access", "shares"),
    "rules, triggers, access": ("sync-repos", "triggers", "repo-access"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("half", list(HALVES))
async def test_a_failing_api_is_one_line_in_its_section(start: Start, fault: str, half: str) -> None:
    kind, said = FAULTS[fault]
    routes = HALVES[half]
    broken = FakeRegistry(seed=0, faults=",".join(f"{route}:{kind}" for route in routes))
    async with start(repository="acme/webapp", client=client_for(broken)) as ui:
        shown = await tag_sections_shown(ui)
        synced = next(line for line in shown if line.startswith("Synced to"))
        deployed = next(line for line in shown if line.startswith("Deployed by"))
        sync_failed = "sync-jobs" in routes or "sync-repos" in routes
        assert (said in synced) == sync_failed
        assert (said in deployed) == ("triggers" in routes)
        if not sync_failed:
            assert synced == "Synced to cn-east-3 → acme · success · 25d ago"
        if "triggers" not in routes:
            assert deployed.startswith("Deployed by deploy-webapp-prod (cce prod-cluster/webapp) · success")

        await focus_repository(ui, "acme", "webapp")
        summary = await summary_loaded(ui)
        assert summary[:6] == WEBAPP_SUMMARY[:6]  # the facts come with the sidebar
        sections = {line.split(" ", 1)[0]: line for line in summary if line.split(" ", 1)[0] in (
            "Retention", "Sync", "Triggers", "Access", "Namespace", "Shares")}  # fmt: skip
        failing = {
            "Retention": "retentions" in routes,
            "Sync": "sync-repos" in routes,
            "Triggers": "triggers" in routes,
            "Access": "repo-access" in routes,
            "Namespace": "namespace-access" in routes,
            "Shares": "shares" in routes,
        }
        for section, fails in failing.items():
            assert (said in sections[section]) == fails, sections[section]
        healthy = [line for line in WEBAPP_SUMMARY[6:] if line.split(" ", 1)[0] in sections]
        assert [line for line in healthy if not failing[line.split(" ", 1)[0]]] == [
            sections[name] for name, fails in failing.items() if not fails
        ]
        failed_lines = [line for line in summary if said in line]
        assert len(failed_lines) == sum(failing.values())  # one line each
        assert ui.app.is_running
        assert not [note for note in ui.notes if note.severity == "error"]  # no toast: the section says it
