"""The browser's frames: the frame that follows another comes at most one frame interval later.

Textual (8.2) draws a screen from a timer of 1/60 s that pauses while nothing changes. After a tick
that came late (the timer had been paused), it schedules the next one 1 to 2 intervals away, not 0
to 1 (``count = int(elapsed / interval + 1)``, then ``start + (count + 1) * interval``). A key
whose change takes two frames (the table's cursor first; the detail pane as the highlight message
reaches the screen a moment later) had its second frame 17-33 ms after the first: half of the time
of going back to a tag read before. ``PacedTimer`` is Textual's timer with that slot 0 to 1
interval away; it still ticks at most once per slot.
"""

from __future__ import annotations

from time import perf_counter
from typing import Optional

from textual.screen import UPDATE_PERIOD
from textual.timer import EventTargetGone, Timer, sleep  # Textual's sleep: precise on Windows too


def next_slot(start: float, now: float, interval: float) -> int:
    """The number of the first slot boundary after ``now``, slots being ``interval`` apart from ``start``."""
    return int((now - start) / interval) + 1


class PacedTimer(Timer):
    async def _run(self) -> None:
        """Textual's ``Timer._run``, the slot after a late tick taken from ``next_slot``."""
        count = 0
        interval = self._interval
        await self._active.wait()
        start = perf_counter()
        while self._repeat is None or count <= self._repeat:
            next_timer = start + (count + 1) * interval
            now = perf_counter()
            if self._skip and next_timer < now:
                count = next_slot(start, now, interval) - 1
                continue
            await sleep(max(0.0, next_timer - now))
            count += 1
            await self._active.wait()
            if self._reset:
                start = perf_counter()
                count = 0
                self._reset = False
                continue
            try:
                await self._tick(next_timer=next_timer, count=count)
            except EventTargetGone:
                break


class PacedFrames:
    """Mixed into a ``Screen`` (before it): its update timer is a ``PacedTimer``."""

    _paced_timer: Optional[PacedTimer] = None

    @property
    def _update_timer(self) -> Timer:
        if self._paced_timer is None:
            screen: object = self
            timer = PacedTimer(
                self,  # type: ignore[arg-type]
                UPDATE_PERIOD,
                name="screen_update",
                callback=screen._on_timer_update,  # type: ignore[attr-defined]
                pause=True,
            )
            timer._start()
            screen._timers.add(timer)  # type: ignore[attr-defined]  # stopped with the screen's timers
            self._paced_timer = timer
        return self._paced_timer
