"""Hostile Enterprise Edition answers in the TUI (issue 13): the hostile registry's instances are named
and spec'd with every corpus string, and its Running instance ``hostile-ee`` holds ``hostile/tags``,
one artifact per corpus string tagged with it. The sidebar and the tag table show each literally and
visibly (escaped), never as markup or terminal control, and the app keeps running."""

from __future__ import annotations

import pytest

from swr_tui.fake import DEMO_PROJECT_ID
from swr_tui.fake.hostile import HostileRegistry
from swr_tui.fake.hostile_corpus import CORPUS, HOSTILE_NAMESPACE, TAGS_REPO
from swr_tui.fake.hostile_enterprise import HOSTILE_INSTANCE
from swr_tui.ui.widgets.catalog_enterprise import InstanceEntry, InstancesEntry

from .hostile_kit import Start, make_start, unsafe_segments, widget_strips

PROJECT = {"SWR_TUI_PROJECT_ID": DEMO_PROJECT_ID}


@pytest.fixture
def start() -> Start:
    return make_start(HostileRegistry(seed=0))


async def test_hostile_instance_names_and_specs_show_escaped_in_the_sidebar(start: Start) -> None:
    async with start(environ=PROJECT) as ui:
        catalog = ui.app.catalog
        await catalog.instances_loaded.wait()
        await ui.settle()
        folder = next(node for node in catalog.root.children if isinstance(node.data, InstancesEntry))
        names = [node.data.instance.name for node in folder.children if isinstance(node.data, InstanceEntry)]
        assert [entry.text for entry in CORPUS] == [
            n for n in names if n not in ("acme-prod", "acme-next", HOSTILE_INSTANCE)
        ]
        folder.expand()
        catalog.focus()
        for node in (folder.children[3], folder.children[-1]):  # the first screenful, then the last
            catalog.move_cursor(node)
            await ui.settle()
            assert unsafe_segments(widget_strips(catalog)) == [], str(node.label)
        unavailable = folder.children[-1]
        unavailable.expand()
        await ui.settle()
        assert [str(child.label) for child in unavailable.children] == ["Unavailable: browsable once Running"]
        ui.assert_screen_safe()


async def test_a_hostile_instance_repository_lists_every_tag_escaped(start: Start) -> None:
    repository = f"{HOSTILE_NAMESPACE}/{TAGS_REPO}"
    async with start(environ=PROJECT, instance=HOSTILE_INSTANCE, repository=repository) as ui:
        table = ui.app.table
        await ui.wait_until(lambda: table.total == len(CORPUS) and table.highlighted_tag is not None)
        names = [table.cache.row(row).name for row in range(len(CORPUS))]
        assert names == [entry.text for entry in CORPUS]
        assert unsafe_segments(widget_strips(table)) == []
        for row in (0, len(CORPUS) // 2, len(CORPUS) - 1):
            table.cursor_row = row
            await ui.settle()
            ui.assert_screen_safe()
        assert [note.severity for note in ui.notes if note.severity == "error"] == []
