"""Races: random sequences of user actions against a registry whose answers arrive in random order.

Hypothesis draws a list of actions (open a repository directly or through the sidebar, scroll, end,
home, filter with the debounce or with enter, clear the filter, sort, reload, go to a namespace, a
short wait), whether the app starts on a repository (``--repo``, whose first page is asked for
before the screen exists), a page size, a terminal size and a seed for a per-request latency of
0-80 ms. The actions fire one after another without waiting for answers; then the test waits until
nothing is on its way and checks that

1. the table shows the last choice (repository, order, filter), as ``Model`` predicts it;
2. every cached row is the tag the registry lists at that place for that choice;
3. the status line names the choice, the cursor's row and the registry's total;
4. the detail pane shows the highlighted row's tag (or, for an empty listing, says so);
5. no page was requested while the table held it fresh, none for a listing the table had left,
   and none twice in one stretch (one ``PageCache``, one generation: a new listing or a reload
   starts a new stretch); the registry saw no tag request the client did not send.

Between actions, (4) and the status line's listing are checked too (the detail pane shows the
highlighted tag or nothing; the status names the listing shown).

How a request is tied to a stretch: the client's transport is wrapped, and each tag-list request is
stamped, when it is sent, with the table's current ``PageCache`` and its generation. ``show()``
makes a new cache and ``reload()`` a new generation, and both cancel the old workers first, so a
request sent while stretch S is current was asked for by stretch S. (The registry's own log is not
enough on its own: a cancelled request whose thread had already started is logged after the
switch, and would be counted against the next stretch.)

Bugs it found are kept as regression tests at the end.
CI runs 8 derandomized examples without shrinking (each costs ~3 s of the CI budget); see
``EXAMPLES`` for hunting locally.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Optional, Union

import httpx
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from rich.console import Console
from textual.css.query import NoMatches
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import NoActiveWorker, get_current_worker

from swr_tui.fake import DEMO_TOKEN, FakeRegistry, routes
from swr_tui.fake.dataset import DEFAULT_ANCHOR
from swr_tui.fake.query import parse_query
from swr_tui.fake.registry import RecordedRequest
from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.client import SwrClient
from swr_tui.swr.retry import RetryPolicy
from swr_tui.ui.app import SwrApp
from swr_tui.ui.screens.browser import FILTER_DEBOUNCE_S
from swr_tui.ui.tag_pages import PageCache, TagQuery
from swr_tui.ui.widgets.catalog import RepositoryEntry
from swr_tui.ui.widgets.tag_table import SCROLL_SETTLE_S, TagTable

ENDPOINT = "https://swr-api.races.invalid"
NAMESPACE = "acme"
REPOSITORIES = ("webapp", "team/app", "ci-builds", "nightly", "new-service")
# Substrings the fake matches case-insensitively: a few rows, many rows, none, and padding to strip.
FILTERS = ("v1", "v2.4", "sig", "LATEST", " v1.3 ", "0999", "build-0099", "1", "zzz")
NAMESPACES = ("acme", "partners", "sandbox", "no-such-namespace")
MAX_LATENCY_MS = 80
QUIET_TIMEOUT_S = 20.0
EMPTY_DETAIL = "No tags in this view."  # the detail pane of a listing without tags
# Both were bugs, kept as regression tests at the end: an empty listing whose first page answered
# late kept saying "Loading…", and keys pressed before (or just as) the first page landed were lost.
TOLERATED_EMPTY_DETAIL: tuple[str, ...] = ()
WAIT_FOR_ROWS_BEFORE_KEYS = False  # keys race the first page too

# Knobs for hunting locally (CI runs the defaults: 8 derandomized examples, no shrinking):
#   RACES_EXAMPLES=400 RACES_RANDOM=1 RACES_SHRINK=1 pytest tests/hardening/test_races.py -k random
EXAMPLES = int(os.environ.get("RACES_EXAMPLES", "8"))
RANDOM = os.environ.get("RACES_RANDOM", "") == "1"
SHRINK = os.environ.get("RACES_SHRINK", "") == "1"


# -- actions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Open:
    """Choose acme/<repository>: ``app.open_repository`` or enter on its node in the sidebar."""

    repository: str
    via_tree: bool = False


@dataclass(frozen=True)
class Scroll:
    key: str  # pagedown, pageup, down, up
    times: int = 1


@dataclass(frozen=True)
class End:
    pass


@dataclass(frozen=True)
class Home:
    pass


@dataclass(frozen=True)
class Filter:
    """``/``, then the text set on the input (its Changed starts the debounce); enter if ``submit``."""

    text: str
    submit: bool = False


@dataclass(frozen=True)
class ClearFilter:
    pass


@dataclass(frozen=True)
class Sort:
    pass


@dataclass(frozen=True)
class Reload:
    pass


@dataclass(frozen=True)
class GoToNamespace:
    namespace: str


@dataclass(frozen=True)
class Wait:
    """Let some answers land between two actions."""

    ms: int


@dataclass(frozen=True)
class EndAsRowsAppear:
    """End the instant the table learns its total, before the screen lays out again (yielding to
    the event loop only): the frame in which the scroll range is not laid out yet."""


Action = Union[
    Open, Scroll, End, Home, Filter, ClearFilter, Sort, Reload, GoToNamespace, Wait, EndAsRowsAppear
]

_open = st.builds(Open, st.sampled_from(REPOSITORIES), st.booleans())
ACTION = st.one_of(
    _open,
    st.builds(Scroll, st.sampled_from(("pagedown", "pageup", "down", "up")), st.integers(1, 4)),
    st.just(End()),
    st.just(EndAsRowsAppear()),
    st.just(Home()),
    st.builds(Filter, st.sampled_from(FILTERS), st.booleans()),
    st.just(ClearFilter()),
    st.just(Sort()),
    st.just(Reload()),
    st.builds(GoToNamespace, st.sampled_from(NAMESPACES)),
    # 350 ms outlasts the filter's debounce, so a debounced filter also lands between two actions.
    st.builds(Wait, st.sampled_from((5, 20, 60, 120, 350))),
)
# Most races need a listing to race against: every sequence starts by opening one (the app may
# also start on one, as with --repo). Nothing here runs before a listing is open.
ACTIONS = st.builds(lambda first, rest: [first, *rest], _open, st.lists(ACTION, min_size=2, max_size=11))


# -- the model: what the last choice is -------------------------------------------------------


@dataclass
class Model:
    """The listing the user last chose. Only open, filter, clear and sort change it.

    A debounced filter is applied at once here: whatever comes before it fires either commutes with
    it (sort, reload, reopening the open repository) or stops its timer and overrides it (opening
    another repository, escape).
    """

    query: Optional[TagQuery] = None

    def apply(self, action: Action) -> None:
        query = self.query
        if isinstance(action, Open):
            if query is None or query.repository != action.repository:
                self.query = TagQuery(NAMESPACE, action.repository)
        elif query is None:
            return
        elif isinstance(action, Filter):
            self.query = replace(query, tag_filter=action.text.strip())
        elif isinstance(action, ClearFilter):
            self.query = replace(query, tag_filter="")
        elif isinstance(action, Sort):
            self.query = replace(query, order="asc" if query.order == "desc" else "desc")


def last_choice(actions: Sequence[Action], start: Optional[str] = None) -> Optional[TagQuery]:
    model = Model(None if start is None else TagQuery(NAMESPACE, start))
    for action in actions:
        model.apply(action)
    return model.query


# -- latency and the request stamps -----------------------------------------------------------


class SeededLatency:
    """0-``max_ms`` per request, drawn from (seed, the request, how often it was seen): the same
    request sequence gets the same delays whichever thread the registry answers it on."""

    def __init__(self, seed: int, max_ms: float = MAX_LATENCY_MS) -> None:
        self.seed = seed
        self.max_ms = max_ms
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()

    def __call__(self, request: RecordedRequest) -> float:
        key = f"{request.route}|{request.path}|{sorted(request.params.items())}"
        with self._lock:
            count = self._seen[key]
            self._seen[key] += 1
        return random.Random(f"{self.seed}|{key}|{count}").uniform(0, self.max_ms)


@dataclass(frozen=True)
class Sent:
    """One tag-list request as the client sent it, and the table's state at that moment."""

    stretch: tuple[int, int]  # (which PageCache, its generation): one listing without a reload
    cache_query: Optional[TagQuery]
    query: TagQuery  # what the request asked for
    offset: int
    limit: int
    held_fresh: bool  # the table already held this page, not stale, when it asked for it


EARLY = (-1, -1)  # the stretch of a request sent before the table had a listing


def _in_a_worker() -> bool:
    try:
        get_current_worker()
    except NoActiveWorker:
        return False
    return True


class StampingTransport(httpx.AsyncBaseTransport):
    """Stamps each tag-list request with the table's listing when it is sent, then passes it on.

    ``SwrApp(repository=...)`` asks for that repository's first page in ``on_load``, outside any
    worker and before the table exists (the table's first page worker then awaits that answer):
    such a request is stamped ``EARLY`` and counted as part of the table's first listing."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.app: Optional[SwrApp] = None
        self.sent: list[Sent] = []
        self._caches: list[PageCache] = []

    def current_cache(self) -> Optional[PageCache]:
        try:
            return None if self.app is None else self.app.table.cache
        except NoMatches:  # the screen is not built yet
            return None

    def stretch_of(self, cache: PageCache) -> tuple[int, int]:
        return (self._serial(cache), cache.generation)

    def _serial(self, cache: PageCache) -> int:
        for serial, known in enumerate(self._caches):
            if known is cache:
                return serial
        self._caches.append(cache)
        return len(self._caches) - 1

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raw_path, _, raw_query = request.url.raw_path.decode("ascii").partition("?")
        route = routes.match(raw_path)
        if route.name == routes.TAGS:
            params = parse_query(raw_query).merged
            cache = self.current_cache()
            offset, limit = int(params["offset"]), int(params["limit"])
            held = False
            stretch = EARLY
            if cache is not None and _in_a_worker():
                stretch = self.stretch_of(cache)
                page = offset // cache.page_size
                held = page in cache.pages and page not in cache.stale
            self.sent.append(
                Sent(
                    stretch,
                    cache.query if stretch != EARLY else None,
                    TagQuery(
                        route.params["namespace"],
                        route.params["repository"],
                        params.get("order_type", "desc"),
                        params.get("tag", ""),
                    ),
                    offset,
                    limit,
                    held,
                )
            )
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


# -- what the registry holds ------------------------------------------------------------------


def expected_names(registry: FakeRegistry, query: TagQuery) -> Callable[[int], str]:
    """Row -> tag name for ``query``, as the fake lists it (index 0 is the oldest tag)."""
    repo = registry.dataset.repository(query.namespace, query.repository)
    assert repo is not None
    indexes = repo.tags.matching(query.tag_filter)
    count = len(indexes)

    def name(row: int) -> str:
        index = indexes[count - 1 - row] if query.order == "desc" else indexes[row]
        return repo.tags.name(index)

    return name


def expected_total(registry: FakeRegistry, query: TagQuery) -> int:
    repo = registry.dataset.repository(query.namespace, query.repository)
    assert repo is not None
    return len(repo.tags.matching(query.tag_filter))


def expected_status(query: Optional[TagQuery], total: int, row: int) -> str:
    if query is None:
        return "Choose a repository (enter) · ? for keys"
    where = " · no tags" if total == 0 else f" · row {row + 1:,} of {total:,}"
    order = "newest first" if query.order == "desc" else "oldest first"
    text = f"{query.namespace}/{query.repository}{where} · {order}"
    if query.tag_filter:
        text += f' · filter "{query.tag_filter}"'
    return text


def plain(renderable: Any, width: int = 240) -> str:
    console = Console(width=width, color_system=None, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    with console.file:
        console.print(renderable)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


# -- driving the app --------------------------------------------------------------------------


def laid_out(table: TagTable) -> bool:
    """The table was laid out since its height last changed: its scrollbar agrees with its rows."""
    return table.show_vertical_scrollbar == (table.virtual_size.height > table.container_size.height)


@dataclass
class Run:
    app: SwrApp
    pilot: Pilot[None]
    registry: FakeRegistry
    transport: StampingTransport
    first_query: Optional[TagQuery] = None  # SwrApp(repository=...)'s listing
    first_listing: Optional[tuple[int, int]] = None  # its stretch, where EARLY requests belong
    errors: list[str] = field(default_factory=list)  # error toasts
    last_filter_at: float = 0.0

    async def focus(self, widget: Widget) -> None:
        widget.focus()
        await self.until(lambda: self.app.focused is widget, f"focus on {widget!r}")

    async def until(self, condition: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            await self.pilot.pause()

    async def keys_to_table(self, *keys: str) -> None:
        await self.focus(self.app.table)
        if WAIT_FOR_ROWS_BEFORE_KEYS:
            table = self.app.table
            await self.until(
                lambda: table.cache is None or (table.total is not None and laid_out(table)),
                "the first page and the layout that follows it",
            )
        await self.pilot.press(*keys)

    async def do(self, action: Action) -> None:
        app = self.app
        if isinstance(action, Open):
            node = self._tree_node(action.repository) if action.via_tree else None
            if node is not None:
                await self.focus(app.catalog)
                app.catalog.select_node(node)  # as enter on it: NodeSelected -> RepositoryChosen
            else:
                app.open_repository(NAMESPACE, action.repository)
            await self.until(lambda: app.focused is app.table, "the table to take focus after open")
        elif isinstance(action, Scroll):
            await self.keys_to_table(*([action.key] * action.times))
        elif isinstance(action, End):
            await self.keys_to_table("end")
        elif isinstance(action, Home):
            await self.keys_to_table("home")
        elif isinstance(action, Filter):
            await self.keys_to_table("slash")
            if app.table.query is None:
                return  # a warning toast, and the input stays hidden
            await self.until(lambda: app.focused is app.filter_input, "the filter input")
            app.filter_input.value = action.text
            self.last_filter_at = time.monotonic()
            await self.pilot.pause()
            if action.submit:
                await self.pilot.press("enter")
                await self.until(lambda: app.focused is app.table, "the table after enter")
        elif isinstance(action, ClearFilter):
            await self.pilot.press("escape")
        elif isinstance(action, Sort):
            if app.focused is app.filter_input:
                await self.focus(app.table)
            await self.pilot.press("s")
        elif isinstance(action, Reload):
            await self.keys_to_table("r")  # the table's r, not the sidebar's
        elif isinstance(action, GoToNamespace):
            # Its worker moves the focus to the sidebar when the namespace's repositories are in;
            # waited for here so that later keys go where the action meant them to.
            worker = app.go_to_namespace(action.namespace)
            await asyncio.wait_for(worker.wait(), QUIET_TIMEOUT_S)
            await self.pilot.pause()
        elif isinstance(action, Wait):
            await self.pilot.pause(action.ms / 1000)
        elif isinstance(action, EndAsRowsAppear):
            deadline = time.monotonic() + QUIET_TIMEOUT_S
            while app.table.cache is not None and app.table.total is None:
                assert time.monotonic() < deadline, "the first page never came"
                await asyncio.sleep(0)
            app.table.action_last()

    def _tree_node(self, repository: str) -> Any:
        namespace = self.app.catalog.namespace_node(NAMESPACE)
        for child in namespace.children if namespace is not None else ():
            if isinstance(child.data, RepositoryEntry) and child.data.repository.name == repository:
                return child
        return None

    def _filter_pending(self) -> bool:
        query = self.app.table.query
        return query is not None and self.app.filter_input.value.strip() != query.tag_filter

    async def quiet(self) -> None:
        """Until the filter's debounce and the scroll-settle timer have fired, no worker runs, no
        page is on its way and no request came in during one more settle period."""

        async def drain() -> None:
            debounce_left = self.last_filter_at + FILTER_DEBOUNCE_S + 0.05 - time.monotonic()
            if debounce_left > 0:
                await asyncio.sleep(debounce_left)
            # On a loaded machine the debounce timer fires late: wait for it, not for the clock.
            while self._filter_pending():  # noqa: ASYNC110 - polls the app from outside
                await asyncio.sleep(0.02)
            before = -1
            while True:
                await asyncio.sleep(SCROLL_SETTLE_S + 0.04)
                await self.pilot.pause()
                busy = [worker for worker in self.app.workers if not worker.is_finished]
                if busy:
                    await self.app.workers.wait_for_complete(busy)
                    continue
                cache = self.app.table.cache
                count = len(self.registry.requests)
                if (cache is None or not cache.pending) and count == before:
                    return
                before = count

        await asyncio.wait_for(drain(), QUIET_TIMEOUT_S)


def mismatch_between(run: Run) -> Optional[str]:
    """While answers are still on their way: the detail pane shows the highlighted tag or nothing,
    and the status line names the listing the table shows. Returns what is wrong, if anything."""
    table, detail = run.app.table, run.app.detail
    if detail.tag is not None and detail.tag != table.highlighted_tag:
        highlighted = table.highlighted_tag
        return f"detail shows {detail.tag.name!r}, the table highlights {highlighted and highlighted.name!r}"
    status = str(run.app.browser.query_one("#status", Static).content)
    query = table.query
    if query is not None and not (
        status.startswith(f"{query.full_name} · ")
        and f" · {query.order_label}" in status
        and (f' · filter "{query.tag_filter}"' in status) == bool(query.tag_filter)
    ):
        return f"status {status!r} for {query}"
    return None


async def check_between(run: Run) -> None:
    """``mismatch_between`` must clear within a few message rounds (StatusChanged and Highlighted
    bubble up one node per round, so right after an action they may still be on their way)."""
    for _ in range(5):
        problem = mismatch_between(run)
        if problem is None:
            return
        await run.pilot.pause()
    assert mismatch_between(run) is None


def check(run: Run, expected: Optional[TagQuery]) -> None:
    """Everything on screen belongs to ``expected``, and no page was asked for twice per listing."""
    app, registry = run.app, run.registry
    table, detail = app.table, app.detail
    status = str(app.browser.query_one("#status", Static).content)
    assert run.errors == [], f"error toasts: {run.errors}"

    # (1) the table shows the last choice
    assert table.query == expected
    if expected is None:
        assert status == expected_status(None, 0, 0)
        assert detail.tag is None
        return
    cache = table.cache
    assert cache is not None
    total = expected_total(registry, expected)
    assert not cache.pending, f"still waiting for pages {sorted(cache.pending)}"
    assert cache.failed == {}
    assert cache.total == total
    assert cache.total_is_exact

    # (2) every cached row is what the registry lists at that place for that listing
    name = expected_names(registry, expected)
    for page, rows in sorted(cache.pages.items()):
        first = page * cache.page_size
        wanted = [name(row) for row in range(first, min(first + cache.page_size, total))]
        assert [tag.name for tag in rows] == wanted, f"page {page} holds rows of another listing"
    # the rows in view are all there (no placeholder left once nothing is on its way)
    top = int(table.scroll_offset.y)
    for row in range(top, min(total, top + max(1, table.size.height - 1))):
        assert cache.row(row) is not None, f"row {row} is in view but its page was never fetched"

    # (3) the status line names the listing, the cursor's row and the registry's total
    assert 0 <= table.cursor_row < max(1, total)
    assert status == expected_status(expected, total, table.cursor_row)

    # (4) the detail pane shows the highlighted row's tag
    facts = plain(app.browser.query_one("#detail-facts", Static).content)
    if total == 0:
        assert table.highlighted_tag is None
        assert detail.tag is None
        assert facts == EMPTY_DETAIL or facts in TOLERATED_EMPTY_DETAIL, facts
    else:
        highlighted = table.highlighted_tag
        assert highlighted is not None, "the cursor's page was never fetched"
        assert highlighted.name == name(table.cursor_row)
        assert detail.tag == highlighted, f"detail shows {detail.tag and detail.tag.name!r}"
        assert highlighted.name in facts

    check_requests(run)


def check_requests(run: Run) -> None:
    """(5) No request for a page already held, none for a listing the table had left, and at most
    one per page per stretch (one cache, one generation); the registry saw only what was sent."""
    sent = [
        replace(s, stretch=run.first_listing, cache_query=s.query) if s.stretch == EARLY else s
        for s in run.transport.sent
    ]
    early = [s for s in run.transport.sent if s.stretch == EARLY]
    assert len(early) <= 1, early
    assert all((s.query, s.offset) == (run.first_query, 0) for s in early), early
    held = [s for s in sent if s.held_fresh]
    assert held == [], f"pages requested while already held fresh: {held}"
    foreign = [s for s in sent if s.query != s.cache_query]
    assert foreign == [], f"requests for a listing the table was not showing: {foreign}"
    per_stretch = Counter((s.stretch, s.offset) for s in sent)
    twice = sorted(key for key, count in per_stretch.items() if count > 1)
    assert twice == [], f"a page requested twice in one stretch: {twice}"
    for s in sent:
        assert s.offset % s.limit == 0
    logged = Counter(
        (
            request.path_params["repository"],
            request.params.get("order_type", "desc"),
            request.params.get("tag", ""),
            int(request.params["offset"]),
        )
        for request in run.registry.requests
        if request.route == routes.TAGS
    )
    stamped = Counter((s.query.repository, s.query.order, s.query.tag_filter, s.offset) for s in sent)
    assert logged - stamped == Counter(), "the registry saw tag requests the client never sent"
    assert all(request.status == 200 for request in run.registry.requests)


async def play(
    actions: Sequence[Action],
    latency: Callable[[RecordedRequest], float],
    *,
    start: Optional[str] = None,
    page_size: int = 100,
    size: tuple[int, int] = (120, 40),
    then: Optional[Callable[[Run], None]] = None,
) -> None:
    """Start the app (on acme/``start`` if given), fire ``actions`` without waiting for answers,
    wait for quiet, check, then ``then(run)`` while the app still runs."""
    registry = FakeRegistry(seed=0, latency_ms=latency)
    transport = StampingTransport(registry.transport())
    client = SwrClient(ENDPOINT, TokenAuth(DEMO_TOKEN), transport=transport, retry=RetryPolicy(retries=0))
    app = SwrApp(
        client,
        clock=lambda: DEFAULT_ANCHOR,
        environ={},
        page_size=page_size,
        repository=None if start is None else f"{NAMESPACE}/{start}",
    )
    transport.app = app
    async with app.run_test(size=size) as pilot:
        run = Run(app, pilot, registry, transport)
        if start is not None:
            cache = app.table.cache
            assert cache is not None
            assert cache.query == TagQuery(NAMESPACE, start)
            run.first_query = cache.query
            run.first_listing = transport.stretch_of(cache)
        original_notify = app.notify

        def notify(message: str, **options: Any) -> None:
            if options.get("severity") == "error":
                run.errors.append(f"{options.get('title', '')}: {message}")
            original_notify(message, **options)

        app.notify = notify  # type: ignore[method-assign]
        for action in actions:
            await run.do(action)
            await check_between(run)
        await run.quiet()
        check(run, last_choice(actions, start))
        if then is not None:
            then(run)


# -- the property -----------------------------------------------------------------------------


@pytest.mark.timeout(180 if EXAMPLES <= 25 and not SHRINK else 0)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    database=None,
    # Without shrinking a failure is reported at once, as drawn (12 actions at most); shrinking a
    # timing-dependent failure takes minutes and would hit the timeout.
    phases=(Phase.explicit, Phase.generate, *((Phase.shrink,) if SHRINK else ())),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    actions=ACTIONS,
    start=st.sampled_from((None, None, "webapp", "ci-builds", "team/app", "new-service")),
    seed=st.integers(0, 2**16),
    page_size=st.sampled_from((100, 10)),
    size=st.sampled_from(((120, 40), (80, 24))),
)
@example(actions=[Open("webapp"), Open("team/app")], start=None, seed=0, page_size=100, size=(120, 40))
@example(
    actions=[Open("ci-builds"), End(), Sort(), Sort(), Home()],
    start=None,
    seed=1,
    page_size=100,
    size=(120, 40),
)
@example(
    actions=[Open("webapp"), Filter("v1"), Sort(), Open("webapp", via_tree=True), Reload()],
    start=None,
    seed=2,
    page_size=10,
    size=(120, 40),
)
@example(
    actions=[Open("nightly"), Filter("1", submit=True), End(), ClearFilter(), Reload(), Reload()],
    start=None,
    seed=3,
    page_size=100,
    size=(80, 24),
)
@example(
    actions=[Open("webapp"), Open("team/app", via_tree=True), Reload(), Sort()],
    start="team/app",
    seed=4,
    page_size=10,
    size=(120, 40),
)
def test_random_actions_end_on_the_last_choice(
    actions: list[Action], start: Optional[str], seed: int, page_size: int, size: tuple[int, int]
) -> None:
    asyncio.run(play(actions, SeededLatency(seed), start=start, page_size=page_size, size=size))


# -- the nastiest interleavings, with the answers' order forced -------------------------------


def slow(where: Callable[[RecordedRequest], bool], ms: float = 250) -> Callable[[RecordedRequest], float]:
    """``ms`` for the tag requests ``where`` picks, none for everything else."""
    return lambda request: ms if request.route == routes.TAGS and where(request) else 0.0


def of(
    repository: str, offset: int = 0, order: str = "desc", tag: str = ""
) -> Callable[[RecordedRequest], bool]:
    def picks(request: RecordedRequest) -> bool:
        return (
            request.path_params.get("repository") == repository
            and request.params.get("offset") == str(offset)
            and request.params.get("order_type", "desc") == order
            and request.params.get("tag", "") == tag
        )

    return picks


async def test_the_first_repository_answering_last_is_dropped() -> None:
    def then(run: Run) -> None:
        assert [s.query.repository for s in run.transport.sent] == ["webapp", "team/app"]
        assert run.app.table.cache.pages[0][-1].name == "v0.1.0"
        assert run.app.detail.tag.name == "latest"

    await play([Open("webapp"), Open("team/app")], slow(of("webapp")), then=then)


async def test_back_to_the_first_repository_while_its_old_answer_is_on_the_way() -> None:
    """webapp's first page 0 answers last, after the second webapp listing got its own page 0."""
    calls: Counter[str] = Counter()

    def latency(request: RecordedRequest) -> float:
        if request.route != routes.TAGS:
            return 0.0
        calls[request.path] += 1
        return 250.0 if of("webapp")(request) and calls[request.path] == 1 else 0.0

    def then(run: Run) -> None:
        sent = [(s.stretch[0], s.query.repository) for s in run.transport.sent]
        assert sent == [(0, "webapp"), (1, "team/app"), (2, "webapp")]

    await play([Open("webapp"), Open("team/app"), Wait(30), Open("webapp")], latency, then=then)


async def test_reload_twice_while_the_first_page_is_on_the_way() -> None:
    def then(run: Run) -> None:
        assert len({s.stretch for s in run.transport.sent}) == 3

    await play([Open("webapp"), Reload(), Reload()], slow(of("webapp"), 150), then=then)


async def test_sort_there_and_back_while_the_old_order_answers_last() -> None:
    await play(
        [Open("ci-builds"), End(), Sort(), Sort()],
        slow(lambda request: request.params.get("order_type") == "desc", 120),
    )


async def test_debounced_filter_lands_after_sort_and_reopening_the_same_repository() -> None:
    def then(run: Run) -> None:
        assert run.app.table.query == TagQuery(NAMESPACE, "webapp", "asc", "v1")

    await play(
        [Open("webapp"), Filter("v1"), Sort(), Open("webapp", via_tree=True)],
        slow(of("webapp", order="asc"), 100),
        page_size=10,
        then=then,
    )


async def test_started_on_a_repository_whose_early_answer_lands_after_the_user_moved_on() -> None:
    """``--repo`` asks for page 0 before the screen exists; the user leaves and comes back first."""

    def then(run: Run) -> None:
        early = [s for s in run.transport.sent if s.stretch == EARLY]
        assert [(s.query.repository, s.offset) for s in early] == [("webapp", 0)]

    await play(
        [Open("team/app"), Open("webapp"), Sort(), Sort()],
        slow(of("webapp"), 200),
        start="webapp",
        then=then,
    )


async def test_started_on_a_repository_and_reloaded_before_its_early_answer() -> None:
    def then(run: Run) -> None:
        first = run.transport.sent[0]  # the early request (stamped EARLY if sent before the table)
        assert (first.query, first.offset) == (TagQuery(NAMESPACE, "team/app"), 0)
        assert first.stretch in (EARLY, run.first_listing)
        assert run.transport.sent[-1].query.order == "asc"

    await play([Reload(), Reload(), Sort()], slow(of("team/app"), 150), start="team/app", then=then)


# -- bugs the property found (fixed in d3a8510), kept as regression tests ----------------------


def detail_facts(run: Run) -> str:
    return plain(run.app.browser.query_one("#detail-facts", Static).content)


@pytest.mark.parametrize(
    ("actions", "latency"),
    [
        ([Open("new-service")], slow(of("new-service"), 100)),
        ([Open("webapp"), Filter("zzz", submit=True)], slow(of("webapp", tag="zzz"), 100)),
    ],
    ids=["empty-repository", "filter-without-matches"],
)
async def test_an_empty_listing_does_not_keep_saying_loading(
    actions: list[Action], latency: Callable[[RecordedRequest], float]
) -> None:
    def then(run: Run) -> None:
        assert run.app.table.total == 0
        assert detail_facts(run) == EMPTY_DETAIL

    await play(actions, latency, then=then)


async def test_end_as_the_first_rows_appear_scrolls_to_the_last_tag() -> None:
    def then(run: Run) -> None:
        assert run.app.table.cursor_row == 99_999
        assert run.app.table.highlighted_tag is not None
        assert run.app.detail.tag.name == "build-000001"

    await play([EndAsRowsAppear()], slow(of("ci-builds"), 100), start="ci-builds", then=then)


async def test_started_on_a_repository_reloaded_then_end_before_the_first_page() -> None:
    """As the property first drew it: End raced the reloaded first page and the layout after it."""

    def then(run: Run) -> None:
        assert run.app.table.cursor_row == 99_999
        assert run.app.detail.tag.name == "build-000001"

    await play([Reload(), End()], slow(of("ci-builds"), 150), start="ci-builds", then=then)


async def test_end_pressed_while_the_first_page_loads_still_reaches_the_last_tag(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "WAIT_FOR_ROWS_BEFORE_KEYS", False)

    def then(run: Run) -> None:
        assert run.app.table.cursor_row == 99_999
        assert run.app.detail.tag.name == "build-000001"

    await play([Open("ci-builds"), End()], slow(of("ci-builds"), 600), then=then)
