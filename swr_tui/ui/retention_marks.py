"""The open repository's retention rule, in the browser: read once per repository and session (a
worker; ``r`` reads it again with the tags), shown in words on a line of its own under the status
line (only for a repository with a rule), the loaded rows it would delete marked in the tag table
(``⌫``, dim), and the reason in the detail pane.

A row's rank in push order is its row number while the table lists every tag newest first; with a
filter on or sorted oldest first the rank is unknown, so a ``tag_rule`` marks nothing and the pane
says so (a ``date_rule`` needs only the tag's own time). Nothing here asks for more than the rules:
the marks of a page cost no request. SWR is the authority on what it deletes.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Optional, Protocol, Union

from rich.text import Text
from textual.widgets import Static

from ..safe_text import scrub
from ..swr.errors import ApiUnavailableError, NotFoundError, PermissionDeniedError, SwrError
from ..swr.models import Tag
from .tag_pages import TagQuery
from .widgets.governance_text import RETENTION

if TYPE_CHECKING:  # the evaluator is imported with the first rule read: start-up time counts
    from ..swr.governance_models import Retention
    from ..swr.retention import RetentionPlan, TagVerdict

KEPT_RULES = 64  # repositories whose rules stay in memory for the session: going back costs no request
RANK_UNKNOWN_OLDEST_FIRST = "unknown sorted oldest first (s sorts newest first)"
FACT_LABEL = "Retention"


@dataclass(frozen=True)
class RetentionRules:
    """A repository's retentions as read, and the plan made of them."""

    retentions: tuple[Retention, ...]
    plan: RetentionPlan

    @property
    def evaluable(self) -> bool:
        return self.plan.evaluable


Loaded = Union[RetentionRules, SwrError]


def read_rules(retentions: list[Retention]) -> RetentionRules:
    from ..swr.retention import plan_retentions

    return RetentionRules(tuple(retentions), plan_retentions(retentions))


def short_failure(error: SwrError) -> str:
    """A few words on why the rules could not be read, for a status line."""
    if isinstance(error, PermissionDeniedError):
        return "no permission to read them"
    if isinstance(error, ApiUnavailableError):
        return "not offered in this region"
    if isinstance(error, NotFoundError):
        return "not found"
    return "could not be read"


def rank_of(query: TagQuery, row: int) -> tuple[Optional[int], str]:
    """A row's rank in newest-first push order over the whole repository, or None and why."""
    from ..swr.retention import RANK_UNKNOWN_WITH_A_FILTER

    if query.tag_filter:
        return None, RANK_UNKNOWN_WITH_A_FILTER
    if query.order != "desc":
        return None, RANK_UNKNOWN_OLDEST_FIRST
    return row, ""


def tag_verdict(rules: RetentionRules, query: TagQuery, row: int, tag: Tag, now: datetime) -> TagVerdict:
    from ..swr.retention import RANK_UNKNOWN_WITHOUT_A_TIME, pushed_at, verdict_for_rank

    rank, why = rank_of(query, row)
    if rank is not None and pushed_at(tag.updated) is None:  # sorted last by the evaluator, not here
        rank, why = None, RANK_UNKNOWN_WITHOUT_A_TIME
    return verdict_for_rank(rules.plan, tag.name, tag.updated, rank, now, why)


def verdict_words(verdict: TagVerdict) -> str:
    """The detail pane's line: 'would be deleted: 51st newest; rule keeps 50', 'kept by …'."""
    if not verdict.known:
        return verdict.reason if verdict.reason.startswith("unknown") else f"unknown: {verdict.reason}"
    if verdict.deleted:
        return f"would be deleted: {verdict.reason}"
    return verdict.reason if verdict.reason.startswith("kept") else f"kept: {verdict.reason}"


def rule_words(loaded: Optional[Loaded]) -> Optional[Text]:
    """The status line's part: ``retention: keep 20 newest, except /^release-/``; None without a rule."""
    if loaded is None:
        return None
    if isinstance(loaded, SwrError):
        return Text(f"retention rules {short_failure(loaded)}", style="dim")
    plan = loaded.plan
    if not plan.rules:
        return None
    text = Text("retention: ", style="dim").append(scrub(plan.words))
    if not plan.evaluable:
        text.append(" (cannot be evaluated; R says why)", style="dim")
    return text


class RetentionLine(Static):
    """The status line's second line: the open repository's retention rule, or why it is unknown."""

    DEFAULT_CSS = """
    RetentionLine {
        display: none;
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        background: $panel;
        color: $text-muted;
    }
    RetentionLine.-shown {
        display: block;
    }
    """

    def show_words(self, words: Optional[Text]) -> None:
        self.set_class(words is not None, "-shown")
        self.update(words or "", layout=False)  # one line high (CSS): no layout on each status change


class RetentionHost(Protocol):
    """What the marks need of the browser screen."""

    @property
    def table(self) -> Any: ...

    @property
    def detail(self) -> Any: ...

    source: Any
    governance: Any  # the screen's GovernanceCache

    def clock(self) -> datetime: ...

    @property
    def run_worker(self) -> Callable[..., Any]: ...


class RetentionMarks:
    """The rules of every repository opened this session, and what they say about a row."""

    def __init__(self, host: RetentionHost) -> None:
        self.host = host
        self._rules: OrderedDict[str, Loaded] = OrderedDict()
        self._reading: set[str] = set()
        self._attached = False

    def _attach(self) -> None:
        """On the first listing (the screen is composed by then): mark the host's table, add the
        verdict to its detail pane and the rule's line under its status line."""
        self._attached = True
        table = self.host.table
        table.retention = self
        self.host.detail.extra_facts.append(self.facts)
        table.parent.mount(RetentionLine(id="retention-line"), after="#status")

    # -- reading --------------------------------------------------------------------------------

    def loaded(self, query: Optional[TagQuery]) -> Optional[Loaded]:
        """The basic edition's rules (the Enterprise Edition has retention of its own, not read)."""
        return None if query is None or query.instance else self._rules.get(query.full_name)

    def follow(self, query: Optional[TagQuery]) -> None:
        """A repository is listed: read its rules, unless known or being read."""
        if not self._attached:
            self._attach()
        if query is None:
            return
        self._show_line(query)
        if query.instance:
            return
        if query.full_name in self._rules:
            self._rules.move_to_end(query.full_name)
        else:
            self._start_reading(query)

    def forget(self, query: Optional[TagQuery]) -> None:
        """``r``: the rules are read again (what is shown stays until the answer replaces it)."""
        if query is not None:
            self.host.governance.forget(query.namespace, query.repository)
            self._start_reading(query)

    def _start_reading(self, query: TagQuery) -> None:
        key = query.full_name
        if key not in self._reading:
            self._reading.add(key)
            read = partial(self._read, key, query.namespace, query.repository)
            self.host.run_worker(read, group="retention", exit_on_error=False)

    async def _read(self, key: str, namespace: str, repository: str) -> None:
        # Through the screen's governance reads: the repository summary shows the same rules, and
        # one request serves both.
        loaded: Loaded
        try:
            found = await self.host.governance.load(RETENTION, namespace, repository)
            loaded = found if isinstance(found, SwrError) else read_rules(found)
        finally:
            self._reading.discard(key)
        self.keep(key, loaded)
        table = self.host.table
        if table.query is not None and table.query.full_name == key:
            table.refresh()
            self._show_line(table.query)
            self.host.detail.refresh_facts()

    def keep(self, key: str, loaded: Loaded) -> None:
        self._rules[key] = loaded
        while len(self._rules) > KEPT_RULES:
            self._rules.popitem(last=False)

    # -- what a row shows -----------------------------------------------------------------------

    def _evaluable(self, query: TagQuery) -> Optional[RetentionRules]:
        loaded = self.loaded(query)
        if isinstance(loaded, RetentionRules) and loaded.plan.rules:
            return loaded
        return None

    def shows_marks(self, query: TagQuery) -> bool:
        return self._evaluable(query) is not None

    def deleted(self, query: TagQuery, row: int, tag: Tag) -> bool:
        rules = self._evaluable(query)
        return rules is not None and tag_verdict(rules, query, row, tag, self.host.clock()).deleted

    def _show_line(self, query: Optional[TagQuery]) -> None:
        for line in self.host.table.screen.query(RetentionLine):
            line.show_words(rule_words(self.loaded(query)))

    def facts(self, tag: Tag) -> list[tuple[str, str]]:
        """The detail pane's retention line for the highlighted tag (none without a rule)."""
        table = self.host.table
        query = table.query
        rules = None if query is None else self._evaluable(query)
        if rules is None or table.highlighted_tag is not tag:
            return []
        verdict = tag_verdict(rules, query, table.cursor_row, tag, self.host.clock())
        return [(FACT_LABEL, verdict_words(verdict))]
