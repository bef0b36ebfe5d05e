"""Plumbing for the fault matrix: a fake registry on a fixed loopback port (so "connection refused"
can come and go), the running app and what it shows, the headless commands, and the ground truth
from a second registry that never has faults.

Nothing here knows which faults or views exist; ``test_fault_matrix.py`` holds the tables.
"""

from __future__ import annotations

import asyncio
import io
import json
import random
import re
import time
from collections.abc import Awaitable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any, Callable, Optional

from app_harness import SETTLE_TIMEOUT_S, AppUI, Note, launch
from textual.widgets import Static
from textual.worker import Worker

from swr_tui.cli import main
from swr_tui.fake import DEMO_TOKEN, FakeRegistry
from swr_tui.fake.faults import parse_spec
from swr_tui.fake.loopback import RunningServer
from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.client import DEFAULT_TIMEOUT_S, SwrClient
from swr_tui.swr.retry import RetryPolicy
from swr_tui.ui import app as app_module
from swr_tui.ui.app import SwrApp
from swr_tui.ui.widgets.catalog import NamespaceEntry, ProblemEntry, RepositoryEntry
from swr_tui.ui.widgets.tag_table import SCROLL_SETTLE_S
from swr_tui.ui.worker_errors import WorkerFailed, failure_of

APP_SIZE = (120, 40)
# The client's timeout for every request a cell does not mean to time out (the app's default): on a
# loaded machine an unfaulted request over loopback took over 5 s.
UNHURRIED_TIMEOUT_S = DEFAULT_TIMEOUT_S
RETRIES = 2  # the app's and the headless client's, with a recording sleep: retried, never waited
# A class name followed by a colon ("ReadTimeout: ...", "KeyError: 'x'"), as tracebacks and
# f"{type(error).__name__}: {error}" toasts print them.
CLASS_DUMP = re.compile(r"\b[A-Z][A-Za-z]*(?:Error|Exception|Timeout|Warning)\b:")
# How the app says it is waiting: "Loading…", "Loading the tags of x…", "… · loading…" in the status.
LOADING = re.compile(r"^\s*Loading\b|· loading…", re.MULTILINE)
NEVER_SHOWN = ("Traceback", "Unexpected error", "<html", "<!DOCTYPE", "nginx", DEMO_TOKEN)


# -- the registry on a port that can stop answering ------------------------------------------------


class Sleeps(list):  # type: ignore[type-arg]
    """The client's ``sleep``: records each delay (Retry-After, backoff) and returns at once."""

    async def __call__(self, delay: float) -> None:
        self.append(delay)


def fast_retry() -> RetryPolicy:
    return RetryPolicy(retries=RETRIES, base_s=0.01, cap_s=0.05, rng=random.Random(0))


class Bench:
    """A FakeRegistry served on one loopback port for the whole test; ``stop`` makes that port
    refuse connections, ``start`` serves the same registry there again."""

    def __init__(self) -> None:
        self.registry = FakeRegistry(seed=0)
        self.sleeps = Sleeps()
        self.server: Optional[RunningServer] = self.registry.serve()
        self.port = self.server.port
        self.url = self.server.url

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def start(self) -> None:
        if self.server is None:
            deadline = time.monotonic() + 5.0
            while True:
                try:
                    self.server = self.registry.serve(port=self.port)
                    return
                except OSError:  # the old socket is still being torn down
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)

    def close(self) -> None:
        self.stop()

    def arm(self, route: str, kind: str) -> None:
        for rule in parse_spec(f"{route}:{kind}"):
            self.registry.faults.add(rule)

    def clear(self) -> None:
        """The fault passes: no more fault rules, and the port answers again."""
        self.registry.faults.clear()
        self.start()

    def client(self, timeout: float) -> SwrClient:
        return SwrClient(
            self.url,
            TokenAuth(DEMO_TOKEN),
            timeout=timeout,
            retry=fast_retry(),
            sleep=self.sleeps,
        )


# -- the truth: the same data set, never faulted -----------------------------------------------------

_TRUTH = FakeRegistry(seed=0)


def _truth_call(call: Callable[[SwrClient], Awaitable[Any]]) -> Any:
    """In a thread of its own: the tests ask from inside their event loop."""

    async def run() -> Any:
        async with SwrClient(
            "https://truth.invalid", TokenAuth(DEMO_TOKEN), transport=_TRUTH.transport()
        ) as c:
            return await call(c)

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


@cache
def truth_namespaces() -> tuple[str, ...]:
    return tuple(sorted(ns.name for ns in _truth_call(lambda c: c.list_namespaces())))


@cache
def truth_repositories(namespace: str, offset: int, limit: int) -> tuple[str, ...]:
    page = _truth_call(lambda c: c.list_repositories(namespace, offset=offset, limit=limit))
    return tuple(repo.name for repo in page.items)


@cache
def truth_tags(namespace: str, repository: str, offset: int, limit: int) -> tuple[tuple[str, str], ...]:
    page = _truth_call(lambda c: c.list_tags(namespace, repository, offset=offset, limit=limit))
    return tuple((tag.name, tag.digest) for tag in page.items)


# -- the app ------------------------------------------------------------------------------------------


class UI(AppUI):
    """The harness's view of the app, with the bench it runs on and the workers that died."""

    def __init__(self, app: SwrApp, bench: Bench) -> None:
        super().__init__(app)
        self.bench = bench
        self.garbled = ""  # what a fault appended to a name (bad-utf8): left out when names are compared

    @property
    def dead_workers(self) -> list[str]:
        """The workers that ended in an exception."""
        assert isinstance(self.app, WatchedApp)
        return self.app.dead_workers

    async def settle(self, unawaited: Collection[str] = (), timers: bool = False) -> None:
        """Until no worker runs; with ``timers``, also until the table's scroll-settle timer fired."""
        await super().settle(unawaited)
        while timers:
            await self.pilot.pause(SCROLL_SETTLE_S + 0.04)
            if all(worker.is_finished for worker in self.app.workers):
                return
            await super().settle(unawaited)

    async def press(self, *keys: str, timers: bool = False) -> None:
        await self.pilot.press(*keys)
        await self.settle(timers=timers)

    async def until(self, condition: Callable[[], object], timeout_s: float = SETTLE_TIMEOUT_S) -> None:
        """Until ``condition()`` holds: a failed worker's message reaches the app's toast a few
        message hops after the worker ended, which a loaded machine can stretch past one pause."""
        deadline = time.monotonic() + timeout_s
        while not condition() and time.monotonic() < deadline:
            await self.pilot.pause(0.02)

    # -- what it shows -----------------------------------------------------------------------------

    def table_text(self) -> str:
        table = self.app.table
        return "\n".join(table.render_line(y).text.rstrip() for y in range(table.size.height))

    def problems(self) -> list[str]:
        """Labels of the error rows in the sidebar (the namespace list's or a folder's)."""
        found = []
        for node in [self.app.catalog.root, *self.app.catalog.root.children]:
            for child in node.children:
                if isinstance(child.data, ProblemEntry):
                    found.append(str(child.label))
        return found

    def name(self, shown: str) -> str:
        return shown.replace(self.garbled, "") if self.garbled else shown

    def namespaces(self) -> list[str]:
        return [
            self.name(child.data.namespace.name)
            for child in self.app.catalog.root.children
            if isinstance(child.data, NamespaceEntry)
        ]

    def repositories(self, namespace: str) -> list[str]:
        node = self.app.catalog.namespace_node(namespace)
        if node is None:
            return []
        return [
            self.name(child.data.repository.name)
            for child in node.children
            if isinstance(child.data, RepositoryEntry)
        ]

    def cached_pages(self) -> dict[int, tuple[tuple[str, str], ...]]:
        cache = self.app.table.cache
        if cache is None:
            return {}
        return {
            page: tuple((self.name(tag.name), tag.digest) for tag in rows)
            for page, rows in cache.pages.items()
        }

    def claims_to_load(self) -> list[str]:
        """Every place that says it is loading: once no worker runs, each one is a lie."""
        texts = [
            ("status", self.status),
            ("table", self.table_text()),
            ("detail", str(self.app.browser.query_one("#detail-facts", Static).content)),
        ]
        nodes = [*self.app.catalog.root.children]
        nodes += [child for node in self.app.catalog.root.children for child in node.children]
        texts += [("sidebar", str(node.label)) for node in nodes]
        return [f"{where}: {text.strip()[:80]!r}" for where, text in texts if LOADING.search(text)]

    def error_notes(self) -> list[Note]:
        return [note for note in self.notes if note.severity == "error"]

    def crashed(self) -> list[str]:
        """Why the app is not fine: it exited, an exception escaped, or a worker died of one."""
        reasons = []
        if self.app.return_code is not None:
            reasons.append(f"the app exited with {self.app.return_code}")
        if self.app._exception is not None:
            reasons.append(f"the app raised {self.app._exception!r}")
        reasons.extend(self.dead_workers)
        return reasons


class WatchedApp(SwrApp):
    """The app, noting every worker that died of an exception (its own, a screen's or a widget's:
    those reach it as ``WorkerFailed``) besides showing it as the app does."""

    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))  # relative paths follow the subclass

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dead_workers: list[str] = []

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        error = failure_of(event)
        if error is not None:
            self.dead_workers.append(
                f"worker {event.worker.description or event.worker.name!r} raised {error!r}"
            )
        super().on_worker_state_changed(event)

    def on_worker_failed(self, event: WorkerFailed) -> None:
        self.dead_workers.append(f"worker {event.description!r} raised {event.error!r}")


def running_app(bench: Bench, timeout: float) -> AbstractAsyncContextManager[UI]:
    return launch(bench.client(timeout), partial(UI, bench=bench), app_class=WatchedApp, size=APP_SIZE)


# -- the headless commands ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


async def run_cli(argv: Sequence[str]) -> Run:
    """``swr-tui ARGV`` in a thread (it runs its own event loop)."""
    out, err = io.StringIO(), io.StringIO()
    code = await asyncio.to_thread(main, list(argv), out, err)
    return Run(code, out.getvalue(), err.getvalue())


def shows_words(text: str, words: Sequence[str]) -> list[str]:
    """The words (case-insensitive) that ``text`` lacks."""
    lowered = text.lower()
    return [word for word in words if word.lower() not in lowered]


def unfit_for_people(text: str) -> list[str]:
    """What a message must never contain: tracebacks, class dumps, HTML, the token."""
    found = [bad for bad in NEVER_SHOWN if bad in text]
    found.extend(CLASS_DUMP.findall(text))
    return found
