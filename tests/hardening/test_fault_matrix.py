"""Issue #4, faults: every view against every fault, over real loopback HTTP.

A cell arms one fault where its view asks the registry, then checks that
- the app is still up (no exit, no escaped exception, no worker dead of one);
- what it shows inline (the sidebar row, the status line) and in its error toast names the problem
  in words a person can act on, and never a traceback, a class dump, HTML or the token;
- nothing shown before is lost, and nothing shown differs from the registry's real data;
- once the fault clears, ``r`` brings the view back (for an expired token: fails again, cleanly).
A headless command under a fault exits 1 with one line on stderr naming the problem, or, when the
fault is tolerated, exits 0 with the same output as without it.

Faults are armed once a view's ``prepare`` is done, so on the deep page (page 0 already in) they
strike only the later request, as ``FaultRule(after=1)`` would, and "refused" can be armed the same way.

Adding a fault or a view is one line in ``FAULTS`` or ``VIEWS``; a combination that means nothing,
or that shows a known bug, is one line in ``CELLS``.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator, Awaitable, Mapping
from dataclasses import dataclass
from typing import Any, Callable, Optional, Union

import pytest
from fault_rules import set_timeout

import swr_tui.settings.resolve
from swr_tui.fake import DEMO_TOKEN

from .faultkit import (
    UI,
    UNHURRIED_TIMEOUT_S,
    Bench,
    fast_retry,
    run_cli,
    running_app,
    shows_words,
    truth_namespaces,
    truth_repositories,
    truth_tags,
    unfit_for_people,
)

PAGE = 100  # the app's tag page size (SwrApp's default) and the sidebar's repository page size
BAD_UTF8_SHOWN = "\udcff"  # the byte 0xff that is not UTF-8, as the decoded name holds it

# -- outcomes ------------------------------------------------------------------------------------------

ERROR, TOLERATED, WARNED = "error", "tolerated", "warned"


@dataclass(frozen=True)
class Outcome:
    kind: str
    words: tuple[str, ...] = ()  # all of them, case-insensitive, inline and in the toast / on stderr
    names_only: bool = False  # tolerated: compare names only (the fault blanked the other fields)
    recovers: bool = True  # error: r (or a re-run) succeeds once the fault is cleared
    garbled: str = ""  # tolerated: the fault appended this to one name; compared without it


def error(*words: str, recovers: bool = True) -> Outcome:
    return Outcome(ERROR, words, recovers=recovers)


def tolerated(names_only: bool = False, garbled: str = "") -> Outcome:
    return Outcome(TOLERATED, names_only=names_only, garbled=garbled)


def warned(*words: str) -> Outcome:
    """The data are right, and a warning toast says what happened (e.g. the list changed)."""
    return Outcome(WARNED, words)


# -- faults: one line each -------------------------------------------------------------------------------


def refuse(bench: Bench) -> None:
    bench.stop()  # nothing listens on the port until the fault clears


def expire_tokens(bench: Bench) -> None:
    bench.registry.expire_tokens()


@dataclass(frozen=True)
class Fault:
    id: str
    kind: Optional[str]  # a fault kind of swr_tui/fake/faults.py, armed on the view's route
    outcome: Outcome
    arm: Optional[Callable[[Bench], None]] = None  # or this, for what is not a fault rule
    mid_session: bool = False  # strikes a view that has loaded once (see View.again)
    timeout: float = UNHURRIED_TIMEOUT_S  # the client's while the fault strikes (the app's default)


FAULTS = [
    Fault("refused", None, error("cannot connect", "check the network"), arm=refuse),
    Fault("reset mid-body", "reset", error("broke before the answer was complete", "try again")),
    # A client timeout of 1 s while the fault strikes keeps the matrix quick; the requests before
    # and after it (the namespace list before a repository fault, r once it passed) have the
    # unhurried one, so that a loaded machine cannot time them out too.
    Fault("read timeout", "timeout=3", error("timed out", "retry"), timeout=1.0),
    Fault("429", "429", error("too many requests", "try again")),
    Fault("429 Retry-After", "429=2", error("too many requests", "wait 2 s")),
    Fault("500", "500", error("HTTP 500", "try again")),
    Fault("502 html", "502", error("HTTP 502", "try again")),
    Fault("503 html", "503", error("HTTP 503", "try again")),
    Fault("401 mid-session", None, error("expired", "SWR_TUI_TOKEN", recovers=False), expire_tokens, True),
    Fault("403", "403", error("permission denied", "read access")),
    Fault("404 deleted while open", "404", error("not found", "reload"), mid_session=True),
    Fault("not JSON", "malformed", error("not JSON", "proxy")),
    Fault("object for array", "wrong-shape=container", error("JSON but not", "--endpoint")),
    Fault("strings for numbers", "wrong-shape=strings", tolerated()),
    Fault("nulls", "wrong-shape=nulls", tolerated(names_only=True)),
    Fault("no Content-Range", "no-content-range", tolerated()),
    Fault("bad Content-Range", "bad-content-range", tolerated()),
    Fault("empty page", "empty-page", error("sent no tags", "press r")),
    Fault("total drift", "total-drift=5x1", warned("tag list changed"), mid_session=True),  # 5 pushed, once
    # a hostile server or proxy (issue 15)
    Fault("request id echoes token", "echo-token=403", error("permission denied", "read access")),
    Fault("JSON 100,000 deep", "deep-json", error("nested too deeply", "--endpoint")),
    Fault("500 with JSON 100,000 deep", "deep-error", error("HTTP 500", "try again")),
    # Unpacking 256 MiB takes a second, more on a loaded machine: a timeout well past that.
    Fault("gzip bomb", "gzip-bomb", error("over 256 MiB", "stopped reading"), timeout=30.0),
    Fault("not gzip, labelled gzip", "bad-gzip", error("could not be decompressed", "proxy")),
    Fault("trickled body", "trickle=300", error("timed out", "retry"), timeout=1.0),
    Fault("redirect elsewhere", "redirect", error("redirected (HTTP 302)", "sso.example.invalid")),
    Fault("a byte not UTF-8", "bad-utf8", tolerated(garbled=BAD_UTF8_SHOWN)),
]

# -- views: one line each ------------------------------------------------------------------------------

Step = Callable[[UI], Awaitable[None]]
Shown = Mapping[Any, tuple[Any, ...]]


async def nothing(ui: UI) -> None:
    return None


async def on_acme_dev(ui: UI) -> None:
    await ui.until(lambda: ui.app.catalog.namespace_node("acme-dev") is not None)
    node = ui.app.catalog.namespace_node("acme-dev")
    assert node is not None
    ui.app.catalog.move_cursor(node)
    ui.app.catalog.focus()


async def expand_acme_dev(ui: UI) -> None:
    node = ui.app.catalog.namespace_node("acme-dev")
    assert node is not None
    node.expand()
    await ui.settle()


async def open_webapp(ui: UI) -> None:
    ui.app.open_repository("acme", "webapp")
    await ui.settle()


async def open_ci_builds(ui: UI) -> None:
    ui.app.open_repository("acme", "ci-builds")
    await ui.settle()


async def press_end(ui: UI) -> None:
    await ui.press("end", timers=True)


async def press_r(ui: UI) -> None:
    await ui.press("r")


def sidebar_message(ui: UI) -> str:
    return "\n".join(ui.problems())


def table_message(ui: UI) -> str:
    return ui.status + "\n" + ui.table_text()


def catalog_shown(ui: UI) -> Shown:
    return {"namespaces": tuple(ui.namespaces()), "acme-dev": tuple(ui.repositories("acme-dev"))}


def tags_shown(ui: UI) -> Shown:
    return ui.cached_pages()


def shown_namespaces(ui: UI) -> tuple[str, ...]:
    # The app sorts namespaces by name: one with a garbled name sorts elsewhere.
    return tuple(sorted(ui.namespaces())) if ui.garbled else tuple(ui.namespaces())


def catalog_wrong(ui: UI, names_only: bool) -> list[str]:
    wrong = []
    if ui.namespaces() and shown_namespaces(ui) != truth_namespaces():
        wrong.append(f"namespaces {ui.namespaces()} != {list(truth_namespaces())}")
    repos = tuple(ui.repositories("acme-dev"))
    if repos and repos != truth_repositories("acme-dev", 0, len(repos)):
        wrong.append(f"acme-dev shows {len(repos)} repositories that are not the registry's first ones")
    return wrong


def tags_wrong(ui: UI, names_only: bool) -> list[str]:
    query = ui.app.table.query
    wrong = []
    stuck = [line for line in ui.table_text().splitlines() if line.startswith("  ·")]
    if stuck:  # called when no worker runs: these placeholders wait for nothing
        wrong.append(f"{len(stuck)} placeholder rows that never load")
    for page, rows in ui.cached_pages().items():
        assert query is not None
        truth = truth_tags(query.namespace, query.repository, page * PAGE, PAGE)
        if names_only:
            rows, truth = tuple(name for name, _ in rows), tuple(name for name, _ in truth)
        if rows != truth:
            wrong.append(f"page {page} of {query.full_name} differs from the registry's")
    return wrong


def namespaces_loaded(ui: UI) -> bool:
    return shown_namespaces(ui) == truth_namespaces()


def acme_dev_loaded(ui: UI) -> bool:
    return len(ui.repositories("acme-dev")) == PAGE


def cursor_row_loaded(ui: UI) -> bool:
    return ui.app.table.highlighted_tag is not None


@dataclass(frozen=True)
class Reader:
    """Where a view shows its problems and its rows."""

    message: Callable[[UI], str]  # the words show here inline (besides the toast)
    shown: Callable[[UI], Shown]  # what must survive a fault
    wrong: Callable[[UI, bool], list[str]]  # what is shown that the registry did not say


SIDEBAR = Reader(sidebar_message, catalog_shown, catalog_wrong)
TABLE = Reader(table_message, tags_shown, tags_wrong)


@dataclass(frozen=True)
class View:
    id: str
    route: str  # the fake registry's route the fault is armed on
    prepare: Step  # after the app started, before the fault is armed
    trigger: Step  # the request the fault strikes (at_start: the app's start did it)
    again: Optional[Step]  # mid-session faults: trigger loads once, the fault, then this; None: as others
    loaded: Callable[[UI], bool]  # the view shows what it asked for
    reader: Reader
    at_start: bool = False  # the fault is armed before the app starts


@dataclass(frozen=True)
class Headless:
    id: str
    route: str
    argv: tuple[str, ...]  # run with --endpoint, --timeout and -o json
    key: str  # the JSON record field that names a row


VIEWS: list[Union[View, Headless]] = [
    View("namespaces", "namespaces", nothing, nothing, None, namespaces_loaded, SIDEBAR, at_start=True),
    View("repositories", "repos", on_acme_dev, expand_acme_dev, press_r, acme_dev_loaded, SIDEBAR),
    View("tag page", "tags", nothing, open_webapp, press_r, cursor_row_loaded, TABLE),
    View("deep page", "tags", open_ci_builds, press_end, None, cursor_row_loaded, TABLE),
    Headless("headless namespaces", "namespaces", ("namespaces",), "name"),
    Headless("headless repos", "repos", ("repos", "acme"), "name"),
    Headless("headless tags", "tags", ("tags", "acme/webapp"), "tag"),
    Headless("headless tags --all", "tags", ("tags", "acme/webapp", "--all"), "tag"),
]

# -- cells that differ from their fault's line: one line each ------------------------------------------------


@dataclass(frozen=True)
class Skip:
    reason: str


@dataclass(frozen=True)
class Bug:
    reason: str  # "BUG <file>: <what>"
    outcome: Optional[Outcome] = None  # what should happen, when it is not the fault's line


NOT_PAGED = Skip("the namespace list is not paged: no Content-Range, no pages")
NO_REPO_OPEN = Skip("no repository is open in this view: nothing can be deleted while open")
CHANGED = error("changed while being read", "run it again")

CELLS: dict[tuple[str, str], Union[Skip, Bug, Outcome]] = {
    ("namespaces", "404 deleted while open"): NO_REPO_OPEN,
    ("namespaces", "no Content-Range"): NOT_PAGED,
    ("namespaces", "bad Content-Range"): NOT_PAGED,
    ("namespaces", "empty page"): NOT_PAGED,
    ("namespaces", "total drift"): NOT_PAGED,
    ("repositories", "404 deleted while open"): NO_REPO_OPEN,
    ("repositories", "empty page"): error("reload"),
    ("repositories", "total drift"): tolerated(),  # the reload shows the new count; no row moved
    ("tag page", "total drift"): error("may be changing", "press r"),  # a short page is named, not left blank
    ("headless namespaces", "404 deleted while open"): NO_REPO_OPEN,
    ("headless namespaces", "no Content-Range"): NOT_PAGED,
    ("headless namespaces", "bad Content-Range"): NOT_PAGED,
    ("headless namespaces", "empty page"): NOT_PAGED,
    ("headless namespaces", "total drift"): NOT_PAGED,
    ("headless repos", "404 deleted while open"): NO_REPO_OPEN,
    ("headless repos", "empty page"): CHANGED,
    ("headless repos", "total drift"): tolerated(),  # it reads again from the start, like tags --all
    ("headless tags", "empty page"): error("again"),
    ("headless tags", "total drift"): tolerated(),  # one page: nothing to drift between
    ("headless tags --all", "empty page"): CHANGED,
    ("headless tags --all", "total drift"): tolerated(),  # it reads again from the start, as promised
}


def _cells() -> list[Any]:
    params = []
    for view in VIEWS:
        for fault in FAULTS:
            cell = CELLS.get((view.id, fault.id), fault.outcome)
            marks: list[Any] = []
            outcome = fault.outcome
            if isinstance(cell, Skip):
                marks.append(pytest.mark.skip(reason=cell.reason))
            elif isinstance(cell, Bug):
                marks.append(pytest.mark.xfail(strict=True, reason=cell.reason))
                outcome = cell.outcome or fault.outcome
            else:
                outcome = cell
            params.append(pytest.param(view, fault, outcome, id=f"{view.id}|{fault.id}", marks=marks))
    return params


# -- the test --------------------------------------------------------------------------------------------


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("view", "fault", "outcome"), _cells())
async def test_fault(
    view: Union[View, Headless], fault: Fault, outcome: Outcome, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = Bench()
    try:
        if isinstance(view, Headless):
            await _headless_cell(view, fault, outcome, bench, monkeypatch)
        else:
            await _app_cell(view, fault, outcome, bench)
    finally:
        bench.close()


def _arm(bench: Bench, route: str, fault: Fault) -> None:
    if fault.arm is not None:
        fault.arm(bench)
    if fault.kind is not None:
        bench.arm(route, fault.kind)


def _lost(before: Shown, after: Shown) -> list[str]:
    return [
        f"{key!r} changed or went away" for key, rows in before.items() if rows and after.get(key) != rows
    ]


@contextlib.asynccontextmanager
async def _struck(view: View, fault: Fault, bench: Bench) -> AsyncIterator[tuple[UI, Shown]]:
    """The app once ``fault`` struck ``view``, and what the view showed just before."""
    mid_session = fault.mid_session and view.again is not None
    before: Shown = {}
    struck_at_start = view.at_start and not mid_session
    if struck_at_start:
        _arm(bench, view.route, fault)
    async with running_app(bench, fault.timeout if struck_at_start else UNHURRIED_TIMEOUT_S) as ui:
        await view.prepare(ui)
        if mid_session:
            await view.trigger(ui)
            assert view.loaded(ui), "the view did not load before the fault"
        if not struck_at_start:
            before = view.reader.shown(ui)
            set_timeout(ui.app.client, fault.timeout)
            _arm(bench, view.route, fault)
            await (view.again if mid_session and view.again else view.trigger)(ui)
        set_timeout(ui.app.client, max(fault.timeout, UNHURRIED_TIMEOUT_S))  # for r, once it passed
        yield ui, before


async def _app_cell(view: View, fault: Fault, outcome: Outcome, bench: Bench) -> None:
    async with _struck(view, fault, bench) as (ui, before):
        ui.garbled = outcome.garbled
        assert ui.crashed() == []
        texts = [view.reader.message(ui)] + [note.text for note in ui.notes]
        for text in texts:
            assert unfit_for_people(text) == [], text
        assert view.reader.wrong(ui, outcome.names_only) == []
        if outcome.kind == ERROR:
            await ui.until(ui.error_notes)
        errors = ui.error_notes()

        if outcome.kind == ERROR:
            assert errors, "no error toast"
            assert any(shows_words(note.text, outcome.words) == [] for note in errors), [
                n.text for n in errors
            ]
            assert any(shows_words(toast, outcome.words) == [] for toast in ui.toast_texts()), (
                ui.toast_texts()
            )
            assert shows_words(view.reader.message(ui), outcome.words) == [], view.reader.message(ui)
            assert _lost(before, view.reader.shown(ui)) == []

            bench.clear()
            seen = len(errors)
            await ui.press("r")
            assert ui.crashed() == []
            assert view.reader.wrong(ui, False) == []
            if outcome.recovers:
                assert view.loaded(ui), view.reader.message(ui)
                assert "⚠" not in view.reader.message(ui)
            else:
                later = ui.error_notes()[seen:]
                assert later, "r did not try again"
                assert shows_words(later[-1].text, outcome.words) == []
                assert shows_words(view.reader.message(ui), outcome.words) == []
                assert _lost(before, view.reader.shown(ui)) == []
        else:
            assert errors == [], [note.text for note in errors]
            assert "⚠" not in view.reader.message(ui)
            assert view.loaded(ui)
            warnings = [note for note in ui.notes if note.severity == "warning"]
            if outcome.kind == WARNED:
                # The total moved, so the rows' offsets may have too: dropping them is by design.
                assert any(shows_words(note.text, outcome.words) == [] for note in warnings)
            else:
                assert warnings == []
                assert _lost(before, view.reader.shown(ui)) == []


async def _headless_cell(
    view: Headless, fault: Fault, outcome: Outcome, bench: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    fast = functools.partial(swr_tui.settings.resolve.build_client, retry=fast_retry(), sleep=bench.sleeps)
    monkeypatch.setattr(swr_tui.settings.resolve, "build_client", fast)
    argv = [*view.argv, "--endpoint", bench.url, "-o", "json"]
    unhurried = [*argv, "--timeout", str(max(fault.timeout, UNHURRIED_TIMEOUT_S))]  # before and after it
    baseline = await run_cli(unhurried)
    assert (baseline.code, baseline.err) == (0, "")

    _arm(bench, view.route, fault)
    result = await run_cli([*argv, "--timeout", str(fault.timeout)])

    assert "Traceback" not in result.err
    if outcome.kind == ERROR:
        assert result.code == 1, result
        assert result.err.count("\n") == 1, result.err
        assert result.err.endswith("\n")
        assert result.err.startswith("swr-tui: ")
        assert shows_words(result.err, outcome.words) == [], result.err
        assert unfit_for_people(result.err) == [], result.err
        assert result.out == ""
        bench.clear()
        again = await run_cli(unhurried)
        if outcome.recovers:
            assert (again.code, again.out) == (0, baseline.out)
        else:
            assert again.code == 1
            assert shows_words(again.err, outcome.words) == [], again.err
    else:
        assert (result.code, result.err) == (0, ""), result
        if outcome.names_only:
            names = [record[view.key] for record in result.json()]
            assert names == [record[view.key] for record in baseline.json()]
        elif outcome.garbled:
            records = result.json()
            assert outcome.garbled in records[0][view.key]  # the first name, shown with its bad byte
            records[0][view.key] = records[0][view.key].replace(outcome.garbled, "")
            assert records == baseline.json()
        else:
            assert result.json() == baseline.json()


# -- after a fault, nothing claims to be loading ------------------------------------------------------------

SETTLED: dict[str, Bug] = {}
HTTP_500 = next(fault for fault in FAULTS if fault.id == "500")


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "view",
    [
        pytest.param(view, id=view.id, marks=[pytest.mark.xfail(strict=True, reason=SETTLED[view.id].reason)])
        if view.id in SETTLED
        else pytest.param(view, id=view.id)
        for view in VIEWS
        if isinstance(view, View)
    ],
)
async def test_nothing_says_loading_once_a_fault_settled(view: View) -> None:
    bench = Bench()
    try:
        async with _struck(view, HTTP_500, bench) as (ui, _):
            assert ui.crashed() == []
            assert ui.claims_to_load() == []
    finally:
        bench.close()
