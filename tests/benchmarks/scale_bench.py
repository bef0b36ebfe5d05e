"""Scale and slow links (issue 14, items 4 and 5): a 1,000,000-tag repository (``acme/million`` of
``big_registry.py``) and a 300 ms round trip.

- ``end`` on 1,000,000 tags: one request, and the frame showing the last tag within a round trip
  of the bare request;
- memory: the RSS after browsing the first page, 60 pages spread over the million and the last,
  against the RSS before opening it, in a child process of its own (``python scale_bench.py URL
  PAGES`` prints one JSON line);
- scroll repaint: CPU per whole-table repaint at offsets spread over cached pages of the million;
- at 300 ms: a key that moves the cursor into rows not loaded yet gets its frame (placeholders)
  without waiting on the network, and the first frame with data arrives within two round trips of
  the same start with no latency.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from big_registry import MANY_NAMESPACE, MILLION_REPO, MILLION_TAGS, big_registry
from export_memory import big_registry_process
from harness import SIZE, FrameProbe, make_app, make_client, page_loaded, settle, tag_requests
from memory_probe import proc_status
from report import Paired
from textual.geometry import Region

from swr_tui.ui.widgets.catalog import MoreEntry

NAMESPACE = "acme"
MILLION = f"{NAMESPACE}/{MILLION_REPO}"
PLACEHOLDER = "·" * 12  # the start of a row whose page is not in yet (tag_view.render_line)
SLOW_MS = 300.0
TRACE = os.environ.get("SCALE_TRACE") == "1"  # where the sidebar's memory goes (slow; diagnosis only)
WEBAPP_ROW = "v2.4.1"  # a tag on acme/webapp's first screen (its newest, a .sig, is drawn cut)


async def _open_million(app: Any, probe: FrameProbe, client: Any) -> None:
    page = await client.list_tags(NAMESPACE, MILLION_REPO, limit=100)
    probe.expect(page.items[0].name, ready=page_loaded(app.table, 0, MILLION))
    app.open_repository(NAMESPACE, MILLION_REPO)
    await probe.wait()
    await settle(app.table)


async def million_end(runs: int, latency_ms: float = 50.0) -> Paired:
    """``end`` on the million: frame with the last tag (figure) vs the bare last-page request."""
    result = Paired()
    registry = big_registry(latency_ms)
    with registry.serve() as server:
        client = make_client(server.url)
        app = make_app(client)
        async with app.run_test(size=SIZE):
            probe = FrameProbe(app)
            await asyncio.wait_for(app.catalog.namespaces_loaded.wait(), 15)
            last_offset = MILLION_TAGS - 100
            last = (await client.list_tags(NAMESPACE, MILLION_REPO, offset=last_offset, limit=100)).items[-1]
            for _ in range(runs):
                await _open_million(app, probe, client)  # a fresh listing: the last page not cached
                start = time.perf_counter()
                await client.list_tags(NAMESPACE, MILLION_REPO, offset=last_offset, limit=100)
                result.baseline.append(time.perf_counter() - start)
                since = len(registry.requests)
                probe.expect(last.name, ready=page_loaded(app.table, (MILLION_TAGS - 1) // 100, MILLION))
                start = time.perf_counter()
                app.table.action_last()
                result.figure.append(await probe.wait() - start)
                await settle(app.table)
                result.counts.append(len(tag_requests(registry, since)))
                app.open_repository(NAMESPACE, "webapp")
                await settle(app.table)
    return result


async def million_scroll_repaint(offsets: int, cached_pages: int = 3) -> Paired:
    """CPU per whole-table repaint at offsets within cached pages near the middle of the million."""
    result = Paired()
    with big_registry(0.0).serve() as server:
        client = make_client(server.url)
        app = make_app(client)
        async with app.run_test(size=SIZE) as pilot:
            probe = FrameProbe(app)
            await asyncio.wait_for(app.catalog.namespaces_loaded.wait(), 15)
            await _open_million(app, probe, client)
            table = app.table
            first_page = MILLION_TAGS // 200  # the middle
            for page in range(first_page, first_page + cached_pages):
                table.cursor_row = page * 100 + 50
                await settle(table)
            assert table.cache is not None
            width, height = table.region.size
            region = Region(0, 0, width, height)
            span = cached_pages * 100 - height
            for index in range(offsets):
                top = first_page * 100 + 1 + index % span
                start = time.process_time()
                table.scroll_to(y=top, animate=False, immediate=True)
                table.refresh()
                strips = table.render_lines(region)
                result.figure.append(time.process_time() - start)
                if "build-" not in strips[1].text:
                    raise AssertionError(f"row {top} was not drawn from the cache: {strips[1].text!r}")
            await pilot.pause()
    return result


@contextlib.contextmanager
def registry_apart(latency_ms: float) -> Iterator[str]:
    """The big registry in a process of its own: serving pages must not take the app's GIL."""
    with (
        tempfile.TemporaryDirectory(prefix="swr-tui-bench-") as home,
        big_registry_process(latency_ms, home, "") as url,
    ):
        yield url


async def slow_cursor(runs: int, latency_ms: float = SLOW_MS) -> Paired:
    """At 300 ms: pagedown into rows whose page is not loaded, until the frame with placeholders."""
    result = Paired()
    with registry_apart(latency_ms) as url:
        client = make_client(url)
        app = make_app(client)
        async with app.run_test(size=SIZE) as pilot:
            probe = FrameProbe(app)
            await asyncio.wait_for(app.catalog.namespaces_loaded.wait(), 30)
            await _open_million(app, probe, client)
            app.table.focus()
            for run in range(runs):
                app.table.cursor_row = 10_000 * (run + 1)  # far from anything loaded
                await pilot.pause(0.05)
                probe.expect(PLACEHOLDER)
                start = time.perf_counter()
                await pilot.press("pagedown")
                result.figure.append(await probe.wait() - start)
    return result


async def _first_frame(latency_ms: float) -> float:
    with registry_apart(latency_ms) as url:
        client = make_client(url)
        app = make_app(client, repository=f"{NAMESPACE}/webapp")
        probe = FrameProbe(app)
        probe.expect(WEBAPP_ROW)
        start = time.perf_counter()
        async with app.run_test(size=SIZE):
            return await probe.wait(30) - start


async def slow_first_frame(runs: int, latency_ms: float = SLOW_MS) -> Paired:
    """In-process start to the first frame with tag rows: at 300 ms (figure) and at 0 ms (baseline),
    alternately."""
    result = Paired()
    for _ in range(runs):
        result.figure.append(await _first_frame(latency_ms))
        result.baseline.append(await _first_frame(0.0))
    return result


# -- a namespace of 10,000 repositories ------------------------------------------------------------


def _many_requests(registry: Any, since: int = 0) -> int:
    return sum(
        1
        for request in registry.requests[since:]
        if request.route == "repos" and request.params.get("namespace") == MANY_NAMESPACE
    )


def _shorter_than(node: Any, lines: int) -> bool:
    return len(node.children) < lines


async def sidebar_many(
    runs: int, pages: int = 99, keystrokes: str = "service-0734", latency_ms: float = 50.0
) -> dict[str, Paired]:
    """Expanding ``bulk`` (figure: to the frame with its first repository; baseline: the bare first
    page), then the RSS growth and the palette's search per keystroke once all 10,000 are loaded,
    and ``r`` on it then (to the frame with the list read again)."""
    expand, search, memory, reload = Paired(), Paired(), Paired(), Paired()
    registry = big_registry(latency_ms)
    with registry.serve() as server:
        for run in range(runs + 1):  # a fresh app each time: nothing of the namespace is held yet
            client = make_client(server.url)  # the app closes its client when it ends
            app = make_app(client)
            async with app.run_test(size=SIZE) as pilot:
                probe = FrameProbe(app)
                catalog = app.catalog
                await asyncio.wait_for(catalog.namespaces_loaded.wait(), 15)
                node = catalog.namespace_node(MANY_NAMESPACE)
                assert node is not None
                await pilot.pause(0.3)  # the first screen's own requests are over
                start = time.perf_counter()
                first = (await client.list_repositories(MANY_NAMESPACE, limit=100)).items[0].name
                baseline = time.perf_counter() - start
                since = len(registry.requests)
                probe.expect(first)
                catalog.move_cursor(node)
                start = time.perf_counter()
                node.expand()  # as enter on it does: the first page is asked for
                figure = await probe.wait() - start
                await pilot.pause(0.3)
                if run < runs:
                    expand.baseline.append(baseline)
                    expand.figure.append(figure)
                    expand.counts.append(_many_requests(registry, since))
                    continue
                gc.collect()
                before = proc_status().get("VmRSS", 0)
                if TRACE:
                    tracemalloc.start(8)
                    snapshot = tracemalloc.take_snapshot()
                for _ in range(pages):
                    if not isinstance(node.children[-1].data, MoreEntry):
                        break
                    catalog.move_cursor(node.children[-1])  # the "… N more" row: the next page loads
                    await pilot.pause()
                    await app.workers.wait_for_complete()
                gc.collect()
                memory.figure.append((proc_status().get("VmRSS", 0) - before) / 1024)
                if TRACE:
                    top = tracemalloc.take_snapshot().compare_to(snapshot, "filename")[:8]
                    memory.notes += [str(stat) for stat in top]
                    tracemalloc.stop()
                memory.counts.append(sum(1 for child in node.children if child.data is not None))
                # r on the namespace holding all of them: the list is read again from its first page
                held_lines = len(node.children)
                catalog.move_cursor(node)
                await pilot.pause()
                start = time.perf_counter()
                await client.list_repositories(MANY_NAMESPACE, limit=100)
                reload.baseline.append(time.perf_counter() - start)
                probe.expect(first, ready=partial(_shorter_than, node, held_lines))
                start = time.perf_counter()
                catalog.action_reload()
                reload.figure.append(await probe.wait() - start)
                reload.counts.append(sum(1 for child in node.children if child.data is not None))
                await pilot.pause(0.3)
                from swr_tui.ui.commands import GoToProvider

                provider = GoToProvider(app.browser)
                for end in range(1, len(keystrokes) + 1):
                    start = time.process_time()
                    hits = [hit async for hit in provider.search(keystrokes[:end])]
                    search.figure.append(time.process_time() - start)
                    search.counts.append(len(hits))
    return {"expand": expand, "search": search, "memory": memory, "reload": reload}


# -- memory, in a child process -------------------------------------------------------------------


async def _browse_million(url: str, pages: int) -> dict[str, Any]:
    client = make_client(url)
    app = make_app(client, repository=f"{NAMESPACE}/webapp")
    report: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        probe = FrameProbe(app)
        table = app.table
        probe.expect(WEBAPP_ROW, ready=page_loaded(table, 0, f"{NAMESPACE}/webapp"))
        await probe.wait()
        await settle(table)
        await pilot.pause(0.3)
        gc.collect()
        report["start"] = proc_status()
        await _open_million(app, probe, client)
        last_page = (MILLION_TAGS - 1) // 100
        for index in range(1, pages + 1):
            page = index * last_page // (pages + 1)
            table.cursor_row = page * 100 + 50
            await settle(table, quiet_s=0.1)
        await pilot.press("end")
        await settle(table)
        report["pages_held"] = len(table.cache.pages) if table.cache else 0
        await asyncio.sleep(0.5)
        gc.collect()
        report["end"] = proc_status()
    return report


def million_memory(pages: int, env: dict[str, str]) -> Paired:
    """RSS growth in MB after browsing (figure); baseline: the RSS at the start, for the note."""
    result = Paired()
    with big_registry(0.0).serve() as server:
        command = [sys.executable, os.path.abspath(__file__), server.url, str(pages)]
        done = subprocess.run(command, capture_output=True, env=env, timeout=300, check=False)  # noqa: S603
        if done.returncode != 0:
            raise RuntimeError(f"memory child exited {done.returncode}: {done.stderr.decode()[-800:]}")
        report = json.loads(done.stdout.decode().strip().splitlines()[-1])
    start, end = report["start"].get("VmRSS", 0), report["end"].get("VmRSS", 0)
    result.figure.append((end - start) / 1024)
    result.baseline.append(start / 1024)
    result.counts.append(report["pages_held"])
    return result


def main() -> None:
    url, pages = sys.argv[1], int(sys.argv[2])
    print(json.dumps(asyncio.run(_browse_million(url, pages))))


if __name__ == "__main__":
    main()
