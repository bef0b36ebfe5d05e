"""The tag keys added on the main screen: space/= (diff), ctrl+s (export), and their guard."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input

from swr_tui.ui.screens.diff import DiffScreen

from .conftest import Start


async def test_mark_then_diff_opens_the_diff_screen_and_escape_returns(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.1.0")
        await ui.press("space")
        assert ui.app.marked is not None
        assert ui.app.marked[1].name == "v2.1.0"
        assert "marked v2.1.0" in ui.status

        await ui.highlight("v2.0.0")
        await ui.press("equals_sign")
        await ui.settle()
        await ui.wait_until(lambda: isinstance(ui.app.screen, DiffScreen))
        screen = ui.app.screen
        assert isinstance(screen, DiffScreen)
        assert screen.diff.left == "v2.1.0"
        assert screen.diff.right == "v2.0.0"
        assert screen.diff.manifest_diff  # two different images: the manifests differ

        await ui.press("escape")
        assert not isinstance(ui.app.screen, DiffScreen)
        assert ui.app.table.highlighted_tag.name == "v2.0.0"  # back where you were


async def test_diff_without_a_mark_says_how(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("equals_sign")
        assert ui.notes[-1].message == "Mark a tag with space first, then press = on another"
        assert len(ui.app.screen_stack) == 1


async def test_space_again_unmarks(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("space")
        assert ui.app.marked is not None
        await ui.press("space")
        assert ui.app.marked is None
        assert "marked" not in ui.status


async def test_browser_keys_do_nothing_over_another_screen(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.press("question_mark")
        order = ui.app.table.query.order
        await ui.press("s")  # would re-sort the table hidden under the help screen
        assert ui.app.table.query.order == order


async def test_ctrl_s_exports_the_view_and_toasts_the_count(start: Start, tmp_path: Path) -> None:
    from swr_tui.ui.screens.export import ExportScreen

    async with start(repository="acme/team/app") as ui:
        await ui.press("ctrl+s")
        screen = ui.app.screen
        assert isinstance(screen, ExportScreen)
        target = tmp_path / "team-app.json"
        screen.query_one(Input).value = str(target)
        await ui.press("enter")
        await ui.wait_until(lambda: not isinstance(ui.app.screen, ExportScreen))
        records = json.loads(target.read_text())
        assert [record["tag"] for record in records] == ui.rows()
        assert ui.notes[-1].message == f"Exported {len(records)} tags to {target}"
