"""Snapshots of the main states (the main screen and a manifest list at 80x24 and 160x48, the copy
menu at 80x24, the help screen and the Retention screen at 160x48), each also asserting the state it pictures.

A snapshot passes even when the app raised inside an action (textual-notes.md), so every snapshot's
``run_before`` records what the app holds (through the same helpers as the Pilot tests) and the
test asserts it after the picture is compared. Deterministic: fixed clock and data, environ={}
(no theme from TERM), TZ=UTC, and every worker finished before the picture is taken.

Update with ``pytest tests/ui/test_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest
from textual.pilot import Pilot

from swr_tui.fake import FakeRegistry
from swr_tui.ui.screens.copy_menu import CopyMenu
from swr_tui.ui.screens.help import HelpScreen
from swr_tui.ui.screens.retention import RetentionScreen
from swr_tui.ui.widgets.tag_table import TagTable

from .conftest import NARROW, UI, WIDE, AppFactory

SIZES = pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "160x48"])
Steps = Callable[[UI], Any]


def snapshot(
    snap_compare: Any, make_app: AppFactory, registry: FakeRegistry, size: tuple[int, int], steps: Steps
) -> dict[str, Any]:
    """Run ``steps`` on a settled app, take the picture, and return what ``steps`` recorded."""
    app = make_app(repository="acme/webapp")
    app.theme = "textual-dark"  # Textual's default, unless TEXTUAL_THEME is set where the tests run
    seen: dict[str, Any] = {}

    async def run_before(pilot: Pilot) -> None:
        ui = UI(app, registry)
        ui.pilot = pilot
        await ui.settle()
        seen.update(await steps(ui))
        await ui.settle()
        seen["screen"] = type(app.screen).__name__
        seen["status"] = ui.status
        seen["focused"] = type(app.focused).__name__

    assert snap_compare(app, terminal_size=size, run_before=run_before)
    assert app.return_code in (None, 0)
    assert seen, "run_before did not run"
    return seen


@SIZES
def test_main_screen_with_webapp_open(
    snap_compare: Any, make_app: AppFactory, registry: FakeRegistry, size: tuple[int, int]
) -> None:
    async def steps(ui: UI) -> dict[str, Any]:
        # The sidebar reveals the open repository once its namespace's list is in, a few message
        # rounds after the workers end: on a loaded machine that can be after the first settle.
        await ui.wait_until(lambda: ui.cursor_repository() is not None)
        return {
            "rows": ui.rows(),
            "tag": ui.app.detail.tag.name,
            "tree": ui.cursor_repository(),
            "requests": len(ui.tag_requests()),
        }

    seen = snapshot(snap_compare, make_app, registry, size, steps)
    assert seen["screen"] == "BrowserScreen"
    assert seen["focused"] == TagTable.__name__
    assert seen["status"] == "acme/webapp · row 1 of 32 · newest first"
    assert len(seen["rows"]) == 32
    assert seen["tag"] == seen["rows"][0]
    assert seen["tree"] == "acme/webapp"
    assert seen["requests"] == 1


@SIZES
def test_manifest_list_detail(
    snap_compare: Any, make_app: AppFactory, registry: FakeRegistry, size: tuple[int, int]
) -> None:
    async def steps(ui: UI) -> dict[str, Any]:
        await ui.press("down", "down")
        return {
            "tag": ui.app.detail.tag.name,
            "facts": ui.facts(),
            "summary": ui.detail_text("detail-summary"),
        }

    seen = snapshot(snap_compare, make_app, registry, size, steps)
    assert seen["tag"] == "v2.4.1"
    assert seen["facts"]["Type"] == "manifest list"
    assert seen["status"] == "acme/webapp · row 3 of 32 · newest first"
    assert "OCI image index" in seen["summary"]
    assert seen["summary"].count("attestation for ") == 3


@pytest.mark.parametrize("size", [NARROW], ids=["80x24"])
def test_copy_menu_open(
    snap_compare: Any, make_app: AppFactory, registry: FakeRegistry, size: tuple[int, int]
) -> None:
    async def steps(ui: UI) -> dict[str, Any]:
        await ui.press("down", "down", "y")
        menu = ui.app.screen
        assert isinstance(menu, CopyMenu)
        return {"choices": [choice.label for choice in menu.choices], "clipboard": ui.app.clipboard}

    seen = snapshot(snap_compare, make_app, registry, size, steps)
    assert seen["screen"] == CopyMenu.__name__
    assert seen["choices"] == [
        "Pull path",
        "Internal (in-VPC) pull path",
        "Digest",
        "repo@digest",
        "repo:tag@digest",
        "docker pull command",
    ]
    assert seen["clipboard"] == ""  # opening the menu copies nothing


@pytest.mark.parametrize("size", [WIDE], ids=["160x48"])
def test_help_screen(
    snap_compare: Any, make_app: AppFactory, registry: FakeRegistry, size: tuple[int, int]
) -> None:
    async def steps(ui: UI) -> dict[str, Any]:
        await ui.press("question_mark")
        return {"title": str(ui.app.screen.query_one("#help-title").content)}

    seen = snapshot(snap_compare, make_app, registry, size, steps)
    assert seen["screen"] == HelpScreen.__name__
    assert seen["title"] == "swr-tui keys"


@pytest.mark.parametrize("size", [WIDE], ids=["160x48"])
def test_retention_screen(
    snap_compare: Any, make_app: AppFactory, registry: FakeRegistry, size: tuple[int, int]
) -> None:
    async def steps(ui: UI) -> dict[str, Any]:
        await ui.press("R")
        screen = ui.app.screen
        assert isinstance(screen, RetentionScreen)
        return {
            "counted": screen.counted,
            "doomed": [verdict.tag for verdict in screen.doomed],
            "log": [entry.tag for entry in screen.log_shown],
            "error": (screen.count_error, screen.log_error),
        }

    seen = snapshot(snap_compare, make_app, registry, size, steps)
    assert seen["screen"] == RetentionScreen.__name__
    assert seen["counted"] == (len(seen["doomed"]), 32)
    assert seen["doomed"]
    assert seen["log"] == [f"v0.8.{n}" for n in range(6, 0, -1)]
    assert seen["error"] == (None, None)
