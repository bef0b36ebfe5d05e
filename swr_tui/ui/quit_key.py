"""ctrl+c quits on a second press, as in most TUIs; the first only asks (a stray one loses nothing).

Textual binds ctrl+c to copying: a focused input with selected text, or text selected with the mouse,
is copied and the key goes no further. Only when there is nothing to copy does it reach the app's
``help_quit`` action, which calls ``QuitKey.press``.
"""

from __future__ import annotations

from time import monotonic
from typing import Optional

# Long enough to press the key again on purpose, short enough that two stray presses a while
# apart do not add up to a quit.
SECOND_PRESS_WINDOW_S = 2.0
ASK_AGAIN = "press ctrl+c again to quit"


class QuitKey:
    """Remembers the last ctrl+c: ``press()`` is True for a second one within the window."""

    def __init__(self, window_s: float = SECOND_PRESS_WINDOW_S) -> None:
        self.window_s = window_s
        self._first_at: Optional[float] = None

    def press(self) -> bool:
        now = monotonic()
        if self._first_at is not None and now - self._first_at <= self.window_s:
            self._first_at = None
            return True
        self._first_at = now
        return False
