"""Failures become inline errors with a retry key and a toast, never a traceback; r recovers."""

from __future__ import annotations

from swr_tui.fake import FakeRegistry, FaultRule
from swr_tui.ui.widgets.catalog import ProblemEntry
from swr_tui.ui.widgets.tag_table import TagTable

from .conftest import Start


async def test_a_failed_first_page_shows_inline_and_r_recovers(start: Start, registry: FakeRegistry) -> None:
    registry.faults.add(FaultRule("tags", "status", 500, times=1))
    async with start(repository="acme/webapp") as ui:
        lines = ui.table_lines(0, 6)
        assert lines[2] == " Could not load the tags of acme/webapp:"
        assert lines[3].startswith(" The registry failed with HTTP 500 while loading the tags of acme/webap")
        assert lines[4] == " Press r to retry."
        # The error does not fit after the rest: it has the status's second line.
        assert ui.status.startswith("acme/webapp · newest first\n⚠ The registry failed with HTTP 500")
        assert ui.status.endswith(" (r to retry)")
        error = ui.notes[-1]
        assert (error.title, error.severity) == ("Registry error", "error")
        assert error.message.startswith(
            "The registry failed with HTTP 500 while loading the tags of acme/webapp"
        )
        assert ui.app.table.highlighted_tag is None
        assert ui.rows() == []

        await ui.press("r")
        assert ui.tag_offsets() == [0, 0]
        assert len(ui.rows()) == 32
        assert ui.status == "acme/webapp · row 1 of 32 · newest first"
        assert ui.app.table.cache.failed == {}
        assert ui.app.detail.tag.name == ui.rows()[0]
        assert isinstance(ui.app.focused, TagTable)


async def test_an_expired_token_says_how_to_fix_the_credentials(start: Start, registry: FakeRegistry) -> None:
    async with start(repository="acme/webapp") as ui:
        registry.expire_tokens()
        await ui.press("r")
        error = ui.notes[-1]
        assert (error.title, error.severity) == ("Check the credentials", "error")
        assert "the token has expired" in error.message
        assert "SWR_TUI_TOKEN" in error.message
        assert "HUAWEICLOUD_SDK_AK" in error.message
        assert "Authentication failed: the token has expired" in ui.status
        assert registry.requests[-1].status == 401
        assert len(ui.rows()) == 32  # a failed reload keeps the rows it had


async def test_an_expired_token_at_start_fails_the_sidebar_and_the_table(
    start: Start, registry: FakeRegistry
) -> None:
    registry.expire_tokens()
    async with start(repository="acme/webapp", unawaited=("reveal",)) as ui:
        assert ui.table_lines(3, 4)[0].startswith(" Authentication failed: the token has expired")
        assert isinstance(ui.app.catalog.root.children[0].data, ProblemEntry)
        assert len(ui.notes) == 2  # the namespaces and the tags
        assert {note.title for note in ui.notes} == {"Check the credentials"}
        assert all("SWR_TUI_TOKEN" in note.message for note in ui.notes)


async def test_namespaces_failing_at_start_show_in_the_tree_and_r_recovers(
    start: Start, registry: FakeRegistry
) -> None:
    registry.faults.add(FaultRule("namespaces", "status", 503, times=1))
    async with start() as ui:
        labels = ui.tree_labels()
        assert len(labels) == 1
        assert labels[0].startswith("⚠ The registry failed with HTTP 503 while loading the namespace list")
        assert labels[0].endswith("(r to retry)")
        assert isinstance(ui.app.catalog.root.children[0].data, ProblemEntry)
        assert ui.notes[-1].severity == "error"
        assert ui.app.focused is ui.app.catalog

        await ui.press("r")
        assert ui.tree_labels()[0] == "acme  manage"
        assert len(ui.tree_labels()) == 5
        assert ui.registry.count("namespaces") == 2


async def test_a_namespace_whose_repositories_fail_retries_with_r(
    start: Start, registry: FakeRegistry
) -> None:
    registry.faults.add(FaultRule("repos", "status", 500, times=1))
    async with start() as ui:
        await ui.press("enter")
        acme = ui.namespace_node("acme")
        problem = acme.children[-1]
        assert isinstance(problem.data, ProblemEntry)
        assert str(problem.label).startswith("⚠ The registry failed with HTTP 500")
        assert ui.notes[-1].severity == "error"

        await ui.press("r")
        assert "webapp  32" in ui.tree_labels(acme)
        assert not any(isinstance(child.data, ProblemEntry) for child in acme.children)


async def test_a_page_failing_in_the_middle_keeps_the_rows_shown(
    start: Start, registry: FakeRegistry
) -> None:
    registry.faults.add(FaultRule("tags", "status", 500, times=1, after=1))  # the first page works
    async with start(repository="acme/ci-builds") as ui:
        table = ui.app.table
        page_rows = table.size.height - 2  # before the error takes a second status line
        await ui.press("pagedown", "pagedown", "pagedown")  # into page 1, which fails
        assert table.cursor_row == 3 * page_rows == 126  # the retention rule has a line of its own

        assert ui.tag_offsets() == [0, 100]
        assert sorted(table.cache.pages) == [0]
        assert sorted(table.cache.failed) == [1]
        assert table.highlighted_tag is None
        assert "⚠ The registry failed with HTTP 500" in ui.status
        assert ui.notes[-1].severity == "error"
        failed_rows = [line for line in ui.table_lines(1) if line.startswith("    ⚠ The registry failed")]
        assert failed_rows  # the failed page's rows say why, instead of placeholders
        assert len(ui.rows()) == 100  # page 0 is still there

        await ui.press("home")
        assert table.highlighted_tag.name == "build-100000"
        assert ui.table_lines(1, 2)[0].startswith("    build-100000")
        assert ui.tag_offsets() == [0, 100]  # moving does not retry by itself

        await ui.press("r")  # retries the failed page, wherever the cursor is
        assert ui.tag_offsets() == [0, 100, 100]
        assert sorted(table.cache.pages) == [0, 1]
        assert table.cache.failed == {}
        assert len(ui.rows()) == 200
        assert ui.status == "acme/ci-builds · row 1 of 100,000 · newest first"


async def test_a_dropped_connection_is_an_error_not_a_crash(start: Start, registry: FakeRegistry) -> None:
    registry.faults.add(FaultRule("tags", "drop", times=1))
    async with start(repository="acme/webapp") as ui:
        assert ui.app.is_running
        assert ui.notes[-1].severity == "error"
        assert "⚠" in ui.status
        await ui.press("r")
        assert len(ui.rows()) == 32


async def test_repo_at_start_is_revealed_once_failed_namespaces_load(
    start: Start, registry: FakeRegistry
) -> None:
    registry.faults.add(FaultRule("namespaces", "status", 503, times=1))
    async with start(repository="acme/team/app", unawaited=("reveal",)) as ui:
        assert len(ui.rows()) == 8  # the tags do not wait for the sidebar
        assert ui.cursor_repository() is None
        await ui.press("shift+tab", "r")
        await ui.app.workers.wait_for_complete()
        await ui.settle()
        assert ui.tree_labels()[0] == "acme  manage"
        assert ui.cursor_repository() == "acme/team/app"


async def test_start_up_warnings_are_shown_as_toasts(start: Start) -> None:
    warning = (
        "~/.huaweicloud/credentials holds secrets but other users can read it (mode 644): run chmod 600 …"
    )
    async with start(warnings=(warning, "[b]not markup[/b]")) as ui:
        shown = [note for note in ui.notes if note.title == "Warning"]
        assert [note.message for note in shown] == [warning, "[b]not markup[/b]"]
        assert {note.severity for note in shown} == {"warning"}


async def _raises_a_bug() -> None:
    raise RuntimeError("a bug in a widget's worker")


async def _raises_a_registry_error() -> None:
    from swr_tui.swr.errors import SwrError

    raise SwrError("the registry said no")


async def test_a_widgets_or_screens_worker_that_raises_is_reported_like_the_apps_own(start: Start) -> None:
    async with start() as ui:
        ui.app.catalog.run_worker(_raises_a_bug, exit_on_error=False)
        await ui.wait_until(lambda: any(note.title == "Unexpected error" for note in ui.notes))
        bug = [note for note in ui.notes if note.title == "Unexpected error"][-1]
        assert (bug.message, bug.severity) == ("RuntimeError: a bug in a widget's worker", "error")

        ui.app.detail.run_worker(_raises_a_registry_error, exit_on_error=False)
        await ui.wait_until(lambda: any(note.title == "Registry error" for note in ui.notes))
        assert ui.notes[-1].message == "the registry said no"
        assert ui.app.is_running
