"""Driving a running app under Textual's Pilot: the waits every Pilot suite needs.

Settling waits for the app's workers as well as its message queues, which ``pilot.pause()``
alone does not; the UI, hostile-data and secrets suites all drive the app through these.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Collection
from typing import Any, Callable

from textual.app import App


async def settle(app: App[Any], pilot: Any, unawaited: Collection[str] = (), timeout: float = 15.0) -> None:
    """Until no worker runs (but those of the ``unawaited`` groups) and the message queues are empty
    (timers are not waited for)."""

    async def drain() -> None:
        await pilot.pause()
        while True:
            busy = [
                worker for worker in app.workers if not worker.is_finished and worker.group not in unawaited
            ]
            if not busy:
                return
            await app.workers.wait_for_complete(busy)
            await pilot.pause()

    await asyncio.wait_for(drain(), timeout)


async def poll_until(pilot: Any, condition: Callable[[], bool], timeout: float) -> None:
    """For what a timer starts (a debounce, the palette's search): look every 50 ms."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the app"
        await pilot.pause(0.05)
