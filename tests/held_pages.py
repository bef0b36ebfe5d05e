"""``HeldPages``: the fake registry answers the first pages of tags, then holds the rest until the
test releases them. A key press then meets the app still waiting however long a loaded machine
takes to deliver it, and "nothing else was asked meanwhile" is a list, not a race."""

from __future__ import annotations

import threading

from swr_tui.fake import FakeRegistry, routes
from swr_tui.fake.outcome import Outcome
from swr_tui.fake.wire import FakeRequest

HOLD_AT_MOST_S = 30.0  # a test that fails before release() still ends


class HeldPages:
    """Wraps ``registry.handle``: the first ``answered`` tag pages are answered, later ones are held
    until ``release()``. ``arrived`` lists every request's route, in the order they came in."""

    def __init__(self, registry: FakeRegistry, answered: int = 0) -> None:
        self._handle = registry.handle
        self._answered = answered
        self._lock = threading.Lock()
        self._released = threading.Event()
        self.arrived: list[str] = []
        self.pages = 0
        self.held = 0
        registry.handle = self.handle  # type: ignore[method-assign]

    def handle(self, request: FakeRequest) -> Outcome:
        route = routes.match(request.raw_path).name
        hold = False
        with self._lock:
            self.arrived.append(route)
            if route == "tags":
                self.pages += 1
                hold = self.pages > self._answered
                self.held += int(hold)
        try:
            if hold:
                self._released.wait(HOLD_AT_MOST_S)
            return self._handle(request)
        finally:
            if hold:
                with self._lock:
                    self.held -= 1

    def release(self) -> None:
        self._released.set()
