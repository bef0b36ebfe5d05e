"""The browser's update timer (ui/frame_pacing.py): after a late tick, the next frame's slot is at
most one interval away (Textual's own timer waits 1 to 2 intervals). A fake clock: no real time."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
import textual.timer
from textual import _time
from textual._context import active_app

from swr_tui.ui import frame_pacing
from swr_tui.ui.frame_pacing import PacedTimer, next_slot
from swr_tui.ui.screens.browser import BrowserScreen

from .conftest import Start

INTERVAL = 1 / 60


class Target:
    """What a timer is attached to (held through a weak reference)."""


async def spin() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def wait_after_a_late_tick(
    timer_class: type[textual.timer.Timer], monkeypatch: pytest.MonkeyPatch
) -> float:
    """How long the timer sleeps before the slot that follows a tick that came 10 s late."""
    clock = [100.0]
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock[0] += seconds
        await asyncio.sleep(0)

    monkeypatch.setattr(_time, "get_time", lambda: clock[0])  # Textual's timer
    monkeypatch.setattr(textual.timer, "sleep", fake_sleep)
    monkeypatch.setattr(frame_pacing, "perf_counter", lambda: clock[0])  # the paced one
    monkeypatch.setattr(frame_pacing, "sleep", fake_sleep)
    errors: list[BaseException] = []
    app = SimpleNamespace(_exit=False, features=frozenset(), _handle_exception=errors.append)
    active_app.set(app)  # type: ignore[arg-type]
    ticks: list[float] = []
    target = Target()

    def tick() -> None:  # as the screen's update does: pause until something changes again
        ticks.append(clock[0])
        timer.pause()

    timer = timer_class(target, INTERVAL, callback=tick, pause=True)  # type: ignore[arg-type]
    timer._start()
    try:
        timer.resume()
        await spin()
        assert len(ticks) == 1
        clock[0] += 10.004  # nothing changed for 10 s, then a key
        sleeps.clear()
        timer.resume()
        await spin()
        assert len(ticks) == 2  # the late tick comes at once
        assert ticks[1] == pytest.approx(clock[0] - sleeps[-1])
        assert errors == []
        return sleeps[-1]  # then the wait for the slot of the frame after it
    finally:
        timer.stop()


async def test_the_frame_after_a_late_one_waits_at_most_one_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    assert await wait_after_a_late_tick(PacedTimer, monkeypatch) <= INTERVAL


async def test_textuals_own_timer_waits_longer_than_an_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    """Why PacedTimer exists: if this fails, Textual fixed its timer and frame_pacing can go."""
    assert await wait_after_a_late_tick(textual.timer.Timer, monkeypatch) > INTERVAL


def test_the_next_slot_is_the_first_boundary_after_now() -> None:
    assert next_slot(10.0, 10.0, 0.5) == 1
    assert next_slot(10.0, 10.2, 0.5) == 1
    assert next_slot(10.0, 10.5, 0.5) == 2
    assert next_slot(10.0, 13.1, 0.5) == 7


async def test_the_browser_draws_with_the_paced_timer(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        screen = ui.app.browser
        assert isinstance(screen, BrowserScreen)
        assert isinstance(screen._update_timer, PacedTimer)
        await ui.press("down")
        assert ui.app.table.highlighted_tag.name == ui.rows()[1]
        assert "row 2 of 32" in ui.status
