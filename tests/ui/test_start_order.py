"""The start's order (issue 14): the quota line and the Enterprise folder ask the registry only once
the first page of the repository --repo opens is in (without --repo, at once); the browser has its
breakpoint class before it is first styled."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from held_pages import HeldPages
from pilot_support import poll_until
from textual import events
from textual.screen import Screen

from swr_tui.fake import FakeRegistry
from swr_tui.fake.credentials import DEMO_REGION
from swr_tui.settings.profiles import DemoSwitcher
from swr_tui.ui.app import SwrApp, breakpoint_classes
from swr_tui.ui.screens.browser import BrowserScreen

from .conftest import NARROW, WIDE, Start, client_for

LATER = ("quotas", "instances")  # what StartOrder holds back


def demo(registry: FakeRegistry) -> DemoSwitcher:
    """The demo's connection: it has a project id, so the quota line and the Enterprise folder."""
    return DemoSwitcher(DEMO_REGION, lambda region: client_for(registry))


async def test_the_quota_and_the_enterprise_folder_wait_for_the_first_page(
    start: Start, registry: FakeRegistry
) -> None:
    held = HeldPages(registry)
    # The first page's worker waits for the registry: the start settles everything else.
    async with start(repository="acme/webapp", switcher=demo(registry), unawaited=("tags",)) as ui:
        await poll_until(ui.pilot, lambda: "tags" in held.arrived and "loading" in ui.status, 5.0)
        assert "namespaces" in held.arrived  # the sidebar's own list does not wait
        for _ in range(10):  # frames drawn while the page is out
            await asyncio.sleep(0.02)
            await ui.pilot.pause()
        assert not set(LATER) & set(held.arrived)
        held.release()
        await ui.wait_until(lambda: ui.app.catalog.has_class("-quota"))
        assert all(held.arrived.index(route) > held.arrived.index("tags") for route in LATER)
        assert (registry.count("quotas"), registry.count("instances")) == (1, 1)


async def test_without_a_repository_to_open_nothing_waits(start: Start, registry: FakeRegistry) -> None:
    held = HeldPages(registry)
    async with start(switcher=demo(registry)) as ui:
        await ui.wait_until(lambda: ui.app.catalog.instances_loaded.is_set())
        assert held.arrived[:2] == ["namespaces", "instances"]  # the folder after the first refresh


@pytest.mark.parametrize("width", [0, 1, 79, 80, 119, 120, 121, 500])
def test_breakpoint_classes_are_the_ones_textual_sets_on_a_resize(width: int) -> None:
    breakpoints = SwrApp.HORIZONTAL_BREAKPOINTS
    textuals = Screen()._get_breakpoint_classes(width, breakpoints)
    assert breakpoint_classes(width, breakpoints) == {name: name in textuals for _, name in breakpoints}


@pytest.mark.parametrize(("size", "wanted"), [(NARROW, "-narrow"), (WIDE, "-wide")])
async def test_the_browser_has_its_breakpoint_class_before_its_first_style(
    start: Start, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], wanted: str
) -> None:
    """Set by the first Resize only, the class would restyle the whole screen once more before the
    first frame (issue 14)."""
    composed_with: list[set[str]] = []
    compose = BrowserScreen.compose

    def recording(screen: BrowserScreen) -> Any:
        composed_with.append(set(screen.classes))
        return compose(screen)

    monkeypatch.setattr(BrowserScreen, "compose", recording)
    async with start(size=size) as ui:
        assert composed_with == [{wanted}]
        assert set(ui.app.browser.classes) == {wanted}


async def test_a_browser_is_restyled_on_resume_only_after_it_was_away(
    start: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its first resumes (two in a row for a new mode) would restyle every widget styled at mount."""
    seen: list[tuple[str, bool]] = []
    resume = Screen._on_screen_resume

    def recording(screen: Screen[Any], event: events.ScreenResume) -> None:
        seen.append((type(screen).__name__, event.refresh_styles))
        resume(screen, event)

    monkeypatch.setattr(Screen, "_on_screen_resume", recording)
    async with start(repository="acme/webapp") as ui:
        browser_resumes = [refresh for name, refresh in seen if name == "BrowserScreen"]
        assert browser_resumes == [False, False]  # a new mode's screen gets two
        await ui.press("question_mark")
        assert type(ui.app.screen).__name__ == "HelpScreen"
        await ui.press("escape")
        assert ui.app.screen is ui.app.browser
        # Once it has been away, a resume that asks for a restyle gets it.
        resumed = events.ScreenResume()
        ui.app.browser.on_screen_resume(resumed)
        assert resumed.refresh_styles
