"""Watching a listing: poll its newest page now and then and fold what changed into the tag table.

Off by default (no request at all until ``w``). A poll is one request: offset 0, newest first, the
listing's filter, the call the table makes for its first page. The table compares it with what it
holds (``PageCache.apply_newest``), puts new and re-pushed tags at the top with a flash and keeps
the cursor on its tag; this module decides when to poll: at once when switched on, then every
``watch_interval_s`` seconds, later and later after errors, and not while the terminal says the
app is in the background (a poll that fell due meanwhile runs when it comes back).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, NamedTuple, Optional

from rich.text import Text
from textual.timer import Timer
from textual.worker import Worker

from ..formatting import counted
from ..safe_text import scrub
from ..swr.errors import ResponseFormatError, SwrError
from ..swr.models import Tag
from ..swr.paging import Page, short_of_total
from .tag_pages import NewestChange, NewestPage, TagQuery

if TYPE_CHECKING:
    from textual.widget import Widget

    from .browsing import Browser

WATCH_GROUP = "watch"
MAX_BACKOFF_S = 300.0  # the longest wait after errors, unless the interval itself is longer
TOAST_NAMES = 3  # tag names a toast lists before "and N more"


def backoff_s(interval_s: float, failures: int) -> float:
    """The wait before the next poll: the interval, doubled per failure in a row, capped."""
    if failures <= 0:
        return interval_s
    return min(interval_s * 2.0 ** min(failures, 32), max(MAX_BACKOFF_S, interval_s))


def short_duration(seconds: float) -> str:
    """'0.5s', '30s', '1m', '5m', '2h': for a status line, rounded."""
    if seconds < 1:
        return f"{seconds:.2g}s"
    if seconds < 60:
        return f"{round(seconds)}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    return f"{round(seconds / 3600)}h"


def clock_time(moment: datetime) -> str:
    """HH:MM:SS in local time."""
    return moment.astimezone().strftime("%H:%M:%S")


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(scrub(name) for name in names[:TOAST_NAMES])
    more = len(names) - TOAST_NAMES
    return shown + (f" and {more} more" if more > 0 else "")


def change_message(query: TagQuery, change: NewestChange) -> Optional[str]:
    """'2 new tags in acme/webapp: v1.5.0, v1.5.0-rc1' / 'latest moved': what a poll found."""
    repository = scrub(query.full_name)
    parts = []
    added = [tag.name for tag in change.added]
    moved = [tag.name for tag in change.moved]
    if added:
        count = counted(len(added), "new tag")
        if change.out_of_sight:  # the whole newest page is new: there may be more below it
            count = f"{len(added):,}+ new tags"
        parts.append(f"{count} in {repository}: {_names(added)}")
    if moved:
        parts.append(f"{_names(moved)} moved" + ("" if added else f" in {repository}"))
    if change.removed:
        parts.append(f"{counted(len(change.removed), 'tag')} gone: {_names(change.removed)}")
    if not parts and change.total_changed:
        assert change.old_total is not None
        assert change.new_total is not None
        parts.append(f"{repository} now has {counted(change.new_total, 'tag')} (was {change.old_total:,})")
    if not parts:
        return None
    message = "; ".join(parts)
    if query.order == "asc" and (change.added or change.moved):
        message += " (at the end: sorted oldest first)"
    return message


def _check_complete(page: Page[Tag], limit: int) -> None:
    """A short first page would leave rows no request fills: the same rule as the table's pages."""
    if short_of_total(page, limit):
        raise ResponseFormatError(
            f"The registry sent {counted(len(page.items), 'tag')} for the newest page though it reported "
            f"{page.total} in all"
        )


class WatchLabel(NamedTuple):
    """The watch's part of the status line, in full and for a narrow line."""

    long: Text
    short: Text


class TagWatch:
    """Polls the table's listing while on. The browser screen owns one (``watcher``); ``w`` toggles it.
    Its timer and its worker belong to ``node`` (the screen): they end with it."""

    def __init__(self, browser: Browser, node: Widget) -> None:
        self._browser = browser
        self._node = node
        self.enabled = False
        self.polls = 0  # successful polls, for tests and curiosity
        self.failures = 0  # in a row
        self.checked_at: Optional[datetime] = None
        self.failed_at: Optional[datetime] = None
        self.delay_s = 0.0  # the wait before the poll now scheduled
        self.overdue = False  # a poll fell due while the app was in the background
        self._timer: Optional[Timer] = None
        self._worker: Optional[Worker[None]] = None
        self._query: Optional[TagQuery] = None  # the listing being followed
        self._previous: Optional[tuple[TagQuery, NewestPage]] = None
        self._observing_focus = False

    @property
    def interval_s(self) -> float:
        return max(0.01, float(self._browser.watch_interval_s))

    @property
    def polling(self) -> bool:
        return self._worker is not None and not self._worker.is_finished

    # -- switching ------------------------------------------------------------------------------

    def toggle(self) -> None:
        if self.enabled:
            self.stop()
            self._browser.say("Stopped watching", title="Watch", timeout=2)
            return
        query = self._browser.table.query
        if query is None:
            self._browser.say("Open a repository first", severity="warning")
            return
        self.start(query)
        self._browser.say(
            f"Watching {scrub(query.full_name)} every {self.interval_s:g} s", title="Watch", timeout=3
        )

    def start(self, query: TagQuery) -> None:
        if not self._observing_focus:
            self._observing_focus = True
            self._node.watch(self._node.app, "app_focus", self._focus_changed, init=False)
        self.enabled = True
        self._reset(query)
        self.poll_now()
        self._browser.refresh_status()

    def stop(self) -> None:
        self.enabled = False
        self._stop_timer()
        self._node.workers.cancel_group(self._node, WATCH_GROUP)
        self._worker = None
        self._reset(self._query)
        self._browser.refresh_status()

    def _reset(self, query: Optional[TagQuery]) -> None:
        self._query = query
        self._previous = None
        self.failures = 0
        self.checked_at = self.failed_at = None
        self.overdue = False

    def follow(self, query: Optional[TagQuery]) -> None:
        """The table shows another listing: watch that one from now on (it has just loaded its
        first page itself, so the next poll comes an interval later)."""
        if query == self._query:
            return
        if not self.enabled:
            self._query = query
            return
        self._node.workers.cancel_group(self._node, WATCH_GROUP)
        self._worker = None
        self._reset(query)
        self._schedule(self.interval_s)

    # -- timing ---------------------------------------------------------------------------------

    def poll_now(self) -> bool:
        """Poll at once, unless off, with no listing open, or a poll is already on its way."""
        query = self._browser.table.query
        if not self.enabled or query is None or self.polling:
            return False
        self._stop_timer()
        self.overdue = False
        self._query = query
        self._worker = self._node.run_worker(
            partial(self._poll, query),
            group=WATCH_GROUP,
            exclusive=True,
            exit_on_error=False,
            description=f"watch {query.full_name}",
        )
        return True

    def _schedule(self, delay_s: float) -> None:
        self._stop_timer()
        self.delay_s = delay_s
        self._timer = self._node.set_timer(delay_s, self._due, name="watch")

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _due(self) -> None:
        self._timer = None
        if not self.enabled or not self._node.is_running:  # a timer may fire while the app closes
            return
        if not self._node.app.app_focus:
            self.overdue = True  # polled when the app comes back to the foreground
            self._browser.refresh_status()
            return
        if not self.poll_now() and not self.polling:
            self._schedule(self.interval_s)  # no listing open: look again later

    def _focus_changed(self, focused: bool) -> None:
        if not self.enabled or not self._node.is_running:
            return
        self._browser.refresh_status()
        if focused and self.overdue:
            self.poll_now()

    # -- polling --------------------------------------------------------------------------------

    async def _poll(self, query: TagQuery) -> None:
        browser = self._browser
        try:
            page = await browser.source.fresh_tags(replace(query, order="desc"), 0, browser.page_size)
            _check_complete(page, browser.page_size)
        except asyncio.CancelledError:
            raise
        except SwrError as error:
            self._failed(query, error)
            return
        except Exception as error:  # a bug must not end the watch silently, nor the app
            self._failed(query, SwrError(f"Unexpected error: {type(error).__name__}"))
            return
        self._succeeded(query, page)

    def _current(self, query: TagQuery) -> bool:
        return self.enabled and self._node.is_running and query == self._browser.table.query

    def _succeeded(self, query: TagQuery, page: Page[Tag]) -> None:
        if not self._current(query):
            return  # the table moved on; ``follow`` has scheduled the next poll
        self.polls += 1
        self.failures = 0
        self.failed_at = None
        self.checked_at = self._browser.clock()
        previous = self._previous[1] if self._previous is not None and self._previous[0] == query else None
        change = self._browser.table.apply_newest(query, page, previous)
        self._previous = (query, NewestPage(page.items, page.total))
        if change is not None and change.changed:
            message = change_message(query, change)
            if message is not None:
                self._browser.say(message, title="Watch", timeout=6)
        self._schedule(self.interval_s)
        self._browser.refresh_status()

    def _failed(self, query: TagQuery, error: SwrError) -> None:
        if not self._current(query):
            return
        self.failures += 1
        self.failed_at = self._browser.clock()
        delay = backoff_s(self.interval_s, self.failures)
        if self.failures == 1:  # one toast per run of failures; the status line keeps count
            self._browser.say(
                f"{scrub(str(error))} Next try in {short_duration(delay)}.",
                title=f"Watching {scrub(query.full_name)} failed",
                severity="warning",
                timeout=6,
            )
        self._schedule(delay)
        self._browser.refresh_status()

    # -- status ---------------------------------------------------------------------------------

    def label(self) -> Optional[WatchLabel]:
        if not self.enabled or self._browser.table.query is None:
            return None
        if not self._node.app.app_focus:
            return WatchLabel(
                Text("watch paused (in background)", style="yellow"), Text("↻ paused", style="yellow")
            )
        if self.failures and self.failed_at is not None:
            retry = short_duration(self.delay_s)
            return WatchLabel(
                Text(f"watch: failed {clock_time(self.failed_at)}, next try in {retry}", style="red"),
                Text(f"↻ failed, retry {retry}", style="red"),
            )
        if self.checked_at is not None:
            checked = clock_time(self.checked_at)
            return WatchLabel(Text(f"watching, checked {checked}"), Text(f"↻ {checked}"))
        return WatchLabel(Text("watching"), Text("↻ watching"))
