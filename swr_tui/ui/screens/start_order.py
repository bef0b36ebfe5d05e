"""What waits at start for the repository the command line opens (issue 14).

The parts of the browser a user does not look at first (the quota line, the Enterprise folder) read
the registry, and import the code that reads it, only once the first page of tags that ``--repo``
asked for is drawn or has failed: they would otherwise compete with that page for the first frame.
Without a repository to open at start, they start after the first refresh.

A browser screen never suspended is not restyled whole when it is resumed: Textual does that to catch
up with what changed while a screen was away, and sends a new mode's screen two resumes in a row, two
restyles of every widget styled moments before at mount, with the same stylesheet.
"""

from __future__ import annotations

from typing import Any, Callable

from textual import events

Later = Callable[[], None]


class StartOrder:
    """For ``BrowserScreen`` only (it uses its ``opening`` and Textual's ``call_after_refresh``)."""

    _first_page_in = False
    _waiting: tuple[Later, ...] = ()
    _suspended_once = False

    def on_screen_suspend(self) -> None:
        self._suspended_once = True

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        screen: Any = self
        if not self._suspended_once and screen._css_update_count == screen.app._css_update_count:
            event.refresh_styles = False  # read by Screen's own handler, which runs after this one

    def _holds_for_first_page(self) -> bool:
        screen: Any = self
        opening = screen.opening
        if self._first_page_in or not opening.repository:
            return False
        # An instance is looked up first, and a reopen after a switch may not find the repository:
        # neither is sure to draw a first page.
        return not opening.instance and not opening.after_switch

    def after_first_page(self, callback: Later) -> None:
        """``callback`` once the opening repository's first page is in, or after the next refresh."""
        screen: Any = self
        if self._holds_for_first_page():
            self._waiting = (*self._waiting, callback)
        else:
            screen.call_after_refresh(callback)

    def on_tag_table_status_changed(self, event: Any) -> None:
        status = event.status
        if self._first_page_in or (status.total is None and status.error is None):
            return
        self._first_page_in = True
        waiting, self._waiting = self._waiting, ()
        screen: Any = self
        for callback in waiting:
            screen.call_after_refresh(callback)
