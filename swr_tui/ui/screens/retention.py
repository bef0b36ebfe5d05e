"""``R``: the open repository's retention rule in words, what it would delete over the whole repository
(every tag read with the concurrent bulk fetch, as ``tags --all`` does, with a progress bar), and the
retention log, which ``/`` filters by tag name: "where did my tag go?". Read-only: GETs only.

``escape`` cancels what is being read (the requests stop) and closes; ``r`` tries a failed part
again. Each part that fails says so in a line of its own; the others still show. SWR is the
authority on what it deletes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Callable, ClassVar, Optional, Protocol

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Static

from ...safe_text import scrub
from ...swr.bulk import DEFAULT_PAGE_SIZE, fetch_all_stable, stream_tags
from ...swr.client import SwrClient
from ...swr.errors import SwrError
from ...swr.governance_api import list_retention_histories, list_retentions
from ...swr.governance_models import RetentionLogEntry
from ...swr.models import Tag
from ...swr.paging import Page
from ...swr.retention import TagVerdict, plan_retentions
from ...swr.retention_stream import StreamedVerdicts
from ..browsing import Browser
from ..retention_marks import RetentionRules, read_rules
from ..tag_pages import TagQuery
from ..worker_errors import ReportsWorkerFailures

if TYPE_CHECKING:
    from ..retention_marks import RetentionMarks


class RetentionBrowser(Browser, Protocol):
    """The browser screen, as ``R`` needs it (a Protocol: the browser imports this module)."""

    retention: RetentionMarks


COUNT_PAGE_SIZE = DEFAULT_PAGE_SIZE  # tags per request of the count: what `tags --all` asks for
LISTED_LIMIT = 500  # tags listed with their reasons: the count covers them all, a screen need not
LOG_PAGE_SIZE = 100  # rows of the log a request asks for (the page size SWR's v2 lists all accept)
LOG_CONCURRENCY = 4  # log pages in flight while the whole log is read for the filter (as the CLI)
# The progress bar is redrawn at most this often: each redraw repaints the screen, and one per page
# (200 pages for 100,000 tags) made the count a third slower than `tags --all`.
PROGRESS_REFRESH_S = 0.25
LOG_ROWS_SHOWN = 200  # log rows (or matches) listed; the filter narrows the rest down


def open_retention(browser: RetentionBrowser) -> None:
    query = browser.table.query
    if query is None:
        browser.say("Open a repository first", severity="warning")
        return
    if query.instance:
        browser.say(
            "R shows the basic edition's retention rules: an Enterprise instance keeps its own, "
            "which swr-tui does not read",
            severity="warning",
            timeout=5,
        )
        return
    known = browser.retention.loaded(query)
    rules = known if isinstance(known, RetentionRules) else None
    browser.app.push_screen(RetentionScreen(browser.source.client, query, browser.clock, rules))


def _failure(error: BaseException) -> str:
    if isinstance(error, SwrError):
        return f"{str(error).rstrip('.')}. Press r to try again."
    return f"Unexpected error: {type(error).__name__}. Press r to try again."


class RetentionScreen(ReportsWorkerFailures, ModalScreen[None]):
    """The rule, its verdicts over every tag, and the log of what it deleted, for ``query``."""

    DEFAULT_CSS = """
    RetentionScreen {
        align: center middle;
    }
    #retention {
        width: 94%;
        max-width: 130;
        height: auto;
        max-height: 94%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    #retention-rule, #retention-progress, #retention-log-title {
        margin-top: 1;
    }
    .retention-note {
        color: $text-muted;
    }
    .retention-note.-error {
        color: $text-error;
    }
    #retention-list-box, #retention-log-box {
        height: auto;
        max-height: 10;
    }
    #retention-log-filter {
        display: none;
    }
    #retention-log-filter.-visible {
        display: block;
    }
    #retention-footer {
        margin-top: 1;
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close (stops reading)"),
        Binding("slash", "filter_log", "Filter the log"),
        Binding("r", "retry", "Retry", show=False),
    ]

    def __init__(
        self,
        client: SwrClient,
        query: TagQuery,
        clock: Callable[[], datetime],
        rules: Optional[RetentionRules] = None,
    ) -> None:
        super().__init__()
        self.client = client
        self.tag_query = query
        self.clock = clock
        self.rules = rules  # read by the browser already, or read here
        self.progress: tuple[int, Optional[int]] = (0, None)
        self._progress_shown = 0.0  # when the bar was last redrawn (monotonic)
        self.counted: Optional[tuple[int, int]] = None  # (would delete, tags), once every tag is read
        self.doomed: list[TagVerdict] = []
        self.count_error: Optional[str] = None
        self.log_page: Optional[Page[RetentionLogEntry]] = None
        self.whole_log: Optional[tuple[RetentionLogEntry, ...]] = None  # read for the filter
        self.log_error: Optional[str] = None
        self.log_shown: list[RetentionLogEntry] = []
        self._reading_log = False
        self._rule_words: dict[int, str] = {}  # a retention's id -> its rules in words

    def compose(self) -> ComposeResult:
        with Vertical(id="retention"):
            title = Text("Retention of ", style="bold").append(scrub(self.tag_query.full_name))
            yield Static(title, id="retention-title")
            yield Static(Text("Reading the rule…"), id="retention-rule")
            yield ProgressBar(total=None, show_eta=False, id="retention-progress")
            yield Static("", id="retention-status", classes="retention-note")
            with VerticalScroll(id="retention-list-box"):
                yield Static("", id="retention-list")
            yield Static(Text("Retention log: the tags it deleted", style="bold"), id="retention-log-title")
            yield Input(
                placeholder="tag name (reads the whole log) · escape closes", id="retention-log-filter"
            )
            yield Static(Text("Reading the log…"), id="retention-log-status", classes="retention-note")
            with VerticalScroll(id="retention-log-box"):
                yield Static("", id="retention-log")
            footer = "/ finds a tag in the log · escape closes (and stops reading) · SWR is the authority"
            yield Static(Text(footer), id="retention-footer")

    def on_mount(self) -> None:
        self._start_count()
        self._start_log()

    # -- the rule and its count -----------------------------------------------------------------

    def _start_count(self) -> None:
        self.counted, self.doomed, self.count_error, self.progress = None, [], None, (0, None)
        self._note("#retention-status", "")
        self.query_one("#retention-progress", ProgressBar).update(total=None, progress=0)
        self.run_worker(self._count(), group="retention-count", exclusive=True, exit_on_error=False)

    async def _count(self) -> None:
        query = self.tag_query
        try:
            if self.rules is None:
                self.rules = read_rules(await list_retentions(self.client, query.namespace, query.repository))
            rules = self.rules
            self._show_rule(rules)
            plan = rules.plan
            if not plan.rules or plan.problems or not any(rule.evaluable for rule in plan.rules):
                self._not_counted(rules)
                return
            # Each page is evaluated as it arrives, while the next ones are on their way.
            streamed = StreamedVerdicts(plan, self.clock())

            async def consume(page: tuple[Tag, ...]) -> None:
                streamed.add(page)

            async def restart() -> None:
                streamed.reset()

            await stream_tags(
                self.client,
                query.namespace,
                query.repository,
                consume,
                restart=restart,
                page_size=COUNT_PAGE_SIZE,
                on_progress=self._progressed,
            )
            if streamed.needs_full_evaluation:
                verdicts = await asyncio.to_thread(streamed.result)
            else:
                verdicts = streamed.result()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # an SwrError, or a bug that must not take the app down
            self.count_error = _failure(error)
            if self.rules is None:
                self.query_one("#retention-rule", Static).update(Text("The rule could not be read."))
            self._note("#retention-status", self.count_error, error=True)
            return
        self._counted(verdicts, len(streamed.tags))

    def _show_rule(self, rules: RetentionRules) -> None:
        words = rules.plan.words
        line = Text("retention: ", style="bold").append(scrub(words)) if words else Text("No retention rule.")
        self.query_one("#retention-rule", Static).update(line)

    def _not_counted(self, rules: RetentionRules) -> None:
        bar = self.query_one("#retention-progress", ProgressBar)
        bar.update(total=1, progress=1)
        plan = rules.plan
        if not plan.rules:
            self._note("#retention-status", "No retention rule: it deletes nothing (no tag was read).")
            return
        problems = [*plan.problems, *(rule.problem for rule in plan.rules if rule.problem)]
        self.count_error = f"The rule cannot be evaluated: {'; '.join(problems)}. SWR is the authority."
        self._note("#retention-status", self.count_error, error=True)

    def _progressed(self, done: int, total: Optional[int]) -> None:
        self.progress = (done, total)
        now = time.monotonic()
        if done != total and now - self._progress_shown < PROGRESS_REFRESH_S:
            return
        self._progress_shown = now
        self.query_one("#retention-progress", ProgressBar).update(total=total, progress=done)
        of = f" of {total:,}" if total is not None else ""
        self._note("#retention-status", f"Read {done:,}{of} tags…")

    def _counted(self, verdicts: Sequence[TagVerdict], total: int) -> None:
        self.doomed = [verdict for verdict in verdicts if verdict.deleted]
        unknown = sum(1 for verdict in verdicts if not verdict.known)
        self.counted = (len(self.doomed), total)
        self.query_one("#retention-progress", ProgressBar).update(total=max(total, 1), progress=max(total, 1))
        line = f"Would delete {len(self.doomed):,} of {total:,} tags"
        if unknown:
            line += f"; {unknown:,} unknown"
        self._note("#retention-status", line + " (SWR is the authority).")
        listing = Text()
        for verdict in self.doomed[:LISTED_LIMIT]:
            listing.append(scrub(verdict.tag) or "(no name)").append(f"  {scrub(verdict.reason)}\n", "dim")
        if len(self.doomed) > LISTED_LIMIT:
            listing.append(f"… {len(self.doomed) - LISTED_LIMIT:,} more\n", style="dim")
        listing.rstrip()
        self.query_one("#retention-list", Static).update(listing)

    # -- the log --------------------------------------------------------------------------------

    def _start_log(self) -> None:
        self.log_error = None
        self.run_worker(self._first_log_page(), group="retention-log", exclusive=True, exit_on_error=False)

    async def _first_log_page(self) -> None:
        query = self.tag_query
        try:
            page = await list_retention_histories(
                self.client, query.namespace, query.repository, limit=LOG_PAGE_SIZE
            )
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self._log_failed(error)
            return
        self.log_page = page
        self._show_log()

    async def _read_whole_log(self) -> None:
        query = self.tag_query

        async def page(offset: int, limit: int) -> Page[RetentionLogEntry]:
            return await list_retention_histories(
                self.client, query.namespace, query.repository, offset=offset, limit=limit
            )

        what = f"the retention log of {query.full_name}"
        try:
            entries = await fetch_all_stable(page, LOG_PAGE_SIZE, LOG_CONCURRENCY, what)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self._log_failed(error)
            return
        finally:
            self._reading_log = False
        self.whole_log = tuple(entries)
        self._show_log()

    def _log_failed(self, error: BaseException) -> None:
        self.log_error = f"The retention log could not be read: {_failure(error)}"
        self._note("#retention-log-status", self.log_error, error=True)

    @property
    def log_filter(self) -> str:
        return self.query_one("#retention-log-filter", Input).value.strip()

    def _show_log(self) -> None:
        wanted = self.log_filter.casefold()
        if wanted and self.whole_log is None:
            self._note("#retention-log-status", "Reading the whole log…")
            if self._reading_log:
                return  # the read under way shows the filter as it is when it ends
            self._reading_log = True
            self.run_worker(
                self._read_whole_log(), group="retention-log", exclusive=True, exit_on_error=False
            )
            return
        if wanted and self.whole_log is not None:
            shown = [entry for entry in self.whole_log if wanted in entry.tag.casefold()]
            count = "1 deleted tag matches" if len(shown) == 1 else f"{len(shown):,} deleted tags match"
            status = (
                f'{count} "{self.log_filter}"' if shown else f'No deleted tag matches "{self.log_filter}".'
            )
        else:
            entries = (
                self.whole_log if self.whole_log is not None else self.log_page.items if self.log_page else ()
            )
            shown = list(entries)
            total = (
                len(entries) if self.whole_log is not None else (self.log_page.total if self.log_page else 0)
            )
            status = (
                f"{total or len(shown):,} tags deleted, newest first" if shown else "Nothing deleted yet."
            )
        self.log_shown = shown
        self._note("#retention-log-status", status)
        listing = Text()
        for entry in shown[:LOG_ROWS_SHOWN]:
            listing.append(scrub(entry.tag) or "(no name)", style="bold")
            listing.append(f"  deleted {scrub(entry.created_at)} by {scrub(self._rule_of(entry))}\n")
        if len(shown) > LOG_ROWS_SHOWN:
            listing.append(f"… {len(shown) - LOG_ROWS_SHOWN:,} more (/ narrows them down)\n", style="dim")
        listing.rstrip()
        self.query_one("#retention-log", Static).update(listing)

    def _rule_of(self, entry: RetentionLogEntry) -> str:
        """Which rule deleted it: its words when the rule is still there, else its kind and id."""
        kind = scrub(entry.rule_type) or "a rule"
        words = self._rule_words.get(entry.retention_id)
        if words is None and self.rules is not None:
            for retention in self.rules.retentions:
                if retention.id == entry.retention_id:
                    words = self._rule_words[retention.id] = plan_retentions([retention]).words
        return f"{kind} #{entry.retention_id} ({words or 'no longer configured'})"

    @on(Input.Changed, "#retention-log-filter")
    def _filter_changed(self) -> None:
        if self.log_error is None or self.whole_log is not None:
            self._show_log()

    # -- keys -----------------------------------------------------------------------------------

    def _note(self, selector: str, message: str, error: bool = False) -> None:
        note = self.query_one(selector, Static)
        note.set_class(error, "-error")
        note.update(Text(scrub(message)))

    def action_filter_log(self) -> None:
        field = self.query_one("#retention-log-filter", Input)
        field.add_class("-visible")
        field.focus()

    def action_retry(self) -> None:
        if self.count_error is not None and self.counted is None:
            self._start_count()
        if self.log_error is not None:
            if self.log_page is None:
                self._start_log()
            else:  # the whole log, read for the filter, failed
                self.log_error = None
                self._show_log()

    def action_close(self) -> None:
        self.workers.cancel_group(self, "retention-count")
        self.workers.cancel_group(self, "retention-log")
        self.dismiss(None)
