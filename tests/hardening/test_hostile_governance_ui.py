"""Hostile governance answers in the TUI (issue 12): the hostile registry's ``hostile/tags`` sends a
corpus string in every string field of its sync rules and jobs, triggers, retention, access and
shares. The tag's *Synced to* / *Deployed by* and the repository summary show each literally and
visibly (escaped), never as markup or terminal control, and the app keeps running."""

from __future__ import annotations

import pytest
from app_harness import plain

from swr_tui.fake.hostile import HostileRegistry
from swr_tui.fake.hostile_corpus import CORPUS, HOSTILE_NAMESPACE, TAGS_REPO
from swr_tui.ui.widgets.catalog import RepositoryEntry
from swr_tui.ui.widgets.governance_text import NO_JOB, SECTION_ROWS

from .hostile_kit import Start, make_start, unsafe_segments, widget_strips

LOOKED_AT = ("markup-link", "long")  # tags moved to: a job past SECTION_ROWS, and a cut one
WIDE_ENOUGH = 5000  # no line of a section folds: each corpus string stays in one piece


@pytest.fixture
def start() -> Start:
    return make_start(HostileRegistry(seed=0))


def text_of(renderable: object) -> str:
    return plain(renderable, width=WIDE_ENOUGH)


async def test_a_hostile_tag_s_sync_jobs_and_deployments_show_escaped(start: Start) -> None:
    async with start(repository=f"{HOSTILE_NAMESPACE}/{TAGS_REPO}") as ui:
        pane = ui.app.browser.tag_governance
        assert pane is not None
        await ui.wait_until(lambda: pane.display)
        shown = text_of(pane.content)
        synced, deployed = shown.split("\nDeployed by", 1)
        # Every rule's region and namespace, and every trigger that fired for the tag: one per
        # corpus string, listed up to SECTION_ROWS.
        for entry in CORPUS[:SECTION_ROWS]:
            assert f"{entry.shown}" in synced, entry.name
            assert f"{entry.shown}" in deployed, entry.name
        assert unsafe_segments(widget_strips(pane)) == []
        table = ui.app.table
        for name in LOOKED_AT:
            row = next(index for index, entry in enumerate(CORPUS) if entry.name == name)
            table.cursor_row = row  # from memory after the first rest: no waiting
            await ui.settle()
            assert table.highlighted_tag is not None
            assert table.highlighted_tag.name == CORPUS[row].text
            # The tag's own job comes first, its region and status the corpus string too.
            first = text_of(pane.content).splitlines()[0]
            assert first.startswith("Synced to"), name
            assert CORPUS[row].shown in first, name
            assert NO_JOB not in first, name
            assert unsafe_segments(widget_strips(pane)) == [], name
        ui.assert_screen_safe()
        assert ui.notes == []


async def test_a_hostile_repository_summary_shows_escaped(start: Start) -> None:
    async with start() as ui:
        catalog = ui.app.catalog
        await catalog.ensure_repositories(HOSTILE_NAMESPACE)
        catalog.focus()
        await ui.settle()
        node = next(
            child
            for child in ui.namespace_node(HOSTILE_NAMESPACE).children
            if isinstance(child.data, RepositoryEntry) and child.data.repository.name == TAGS_REPO
        )
        catalog.move_cursor(node)
        summary = ui.app.browser.repository_summary
        assert summary is not None
        await ui.wait_until(
            lambda: "loading…" not in text_of(summary.content) and "Shares" in text_of(summary.content)
        )
        shown = text_of(summary.content)
        for entry in CORPUS[:SECTION_ROWS]:  # triggers, users and shares are listed up to SECTION_ROWS
            for section in ("Sync", "Triggers", "Access", "Shares"):
                block = shown.split(f"\n{section}", 1)[1]
                assert entry.shown in block, (section, entry.name)
        assert f"… {len(CORPUS) - SECTION_ROWS:,} more" in shown
        assert unsafe_segments(widget_strips(summary)) == []
        ui.assert_screen_safe()
        assert ui.notes == []
