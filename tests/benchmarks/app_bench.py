"""Benchmarks that drive the real SwrApp (headless, 120x40) against the fake registry served over
loopback HTTP with injected latency. Each returns raw samples; run.py turns them into the table."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Callable

from harness import (
    SIZE,
    FrameProbe,
    make_app,
    make_client,
    page_loaded,
    served_registry,
    settle,
    tag_requests,
    visible_pages,
)
from report import Paired
from textual.geometry import Region

from swr_tui.swr.models import Tag
from swr_tui.ui.widgets.json_view import ManifestView

NAMESPACE = "acme"
BIG = "ci-builds"
BIG_TAGS = 100_000
SMALL_REPOS = ("webapp", "nginx", "redis", "mysql", "ubuntu", "alpine", "python", "golang")
LAST_TAG = "build-000001"  # the oldest tag: the last row of ci-builds, newest first


async def _open_and_wait(app: Any, probe: FrameProbe, repository: str, client: Any) -> float:
    """Open acme/<repository>; seconds until a frame shows its first row."""
    table = app.table
    page = await client.list_tags(NAMESPACE, repository, limit=100)
    probe.expect(page.items[0].name[:12], ready=page_loaded(table, 0, f"{NAMESPACE}/{repository}"))
    start = time.perf_counter()
    app.open_repository(NAMESPACE, repository)
    return await probe.wait() - start


async def started(app: Any, pilot: Any) -> FrameProbe:
    probe = FrameProbe(app)
    await asyncio.wait_for(app.catalog.namespaces_loaded.wait(), 15)
    await pilot.pause(0.2)
    return probe


# -- repository opened to first rows -----------------------------------------------------------


async def open_repository(runs: int, latency_ms: float = 50.0) -> Paired:
    """From open_repository() (focus in the sidebar, as after enter there) to the frame showing the
    first row; baseline: the same list_tags call made bare, just before, on the same connection."""
    result = Paired()
    with served_registry(latency_ms) as (_, server):
        client = make_client(server.url)
        app = make_app(client)
        async with app.run_test(size=SIZE) as pilot:
            probe = await started(app, pilot)
            for repository in SMALL_REPOS:  # warm the connection and the registry's pages
                await client.list_tags(NAMESPACE, repository, limit=100)
            for run in range(runs):
                repository = SMALL_REPOS[run % len(SMALL_REPOS)]
                if app.table.query is not None and app.table.query.repository == repository:
                    repository = SMALL_REPOS[(run + 1) % len(SMALL_REPOS)]
                # As when a repository is chosen in the sidebar: the focus moves from it to the table.
                app.catalog.focus()
                await pilot.pause(0.2)
                start = time.perf_counter()
                page = await client.list_tags(NAMESPACE, repository, limit=100)
                result.baseline.append(time.perf_counter() - start)
                probe.expect(page.items[0].name[:12], ready=page_loaded(app.table, 0, f"acme/{repository}"))
                start = time.perf_counter()
                app.open_repository(NAMESPACE, repository)
                result.figure.append(await probe.wait() - start)
                await settle(app.table)
    return result


# -- jump to the end of 100,000 tags ------------------------------------------------------------


async def jump_to_end(runs: int, latency_ms: float = 50.0) -> Paired:
    result = Paired()
    with served_registry(latency_ms) as (registry, server):
        client = make_client(server.url)
        app = make_app(client)
        async with app.run_test(size=SIZE) as pilot:
            probe = await started(app, pilot)
            last_offset = BIG_TAGS - 100
            await client.list_tags(NAMESPACE, BIG, offset=last_offset, limit=100)  # warm
            for run in range(runs):
                # A fresh listing each run, so the last page is not cached.
                other = SMALL_REPOS[run % len(SMALL_REPOS)]
                await _open_and_wait(app, probe, other, client)
                await settle(app.table)
                await _open_and_wait(app, probe, BIG, client)
                await settle(app.table)
                start = time.perf_counter()
                await client.list_tags(NAMESPACE, BIG, offset=last_offset, limit=100)
                result.baseline.append(time.perf_counter() - start)
                since = len(registry.requests)
                last_page = (BIG_TAGS - 1) // 100
                probe.expect(LAST_TAG, ready=page_loaded(app.table, last_page, f"{NAMESPACE}/{BIG}"))
                start = time.perf_counter()
                await pilot.press("end")
                result.figure.append(await probe.wait() - start)
                await settle(app.table)
                await asyncio.sleep(0.2)  # anything the jump would still ask for
                requests = tag_requests(registry, since)
                result.counts.append(len(requests))
                if len(requests) != 1:
                    offsets = [request.params.get("offset") for request in requests]
                    result.notes.append(f"run {run}: {len(requests)} requests, offsets {offsets}")
    return result


# -- scroll repaint ------------------------------------------------------------------------------


async def scroll_repaint(offsets: int, cached_pages: int = 5, latency_ms: float = 0.0) -> Paired:
    """CPU time to repaint the whole TagTable at successive scroll offsets within cached pages."""
    result = Paired()
    with served_registry(latency_ms) as (_, server):
        client = make_client(server.url)
        app = make_app(client)
        async with app.run_test(size=SIZE) as pilot:
            probe = await started(app, pilot)
            table = app.table
            await _open_and_wait(app, probe, BIG, client)
            await settle(table)
            for page in range(cached_pages):
                table.cursor_row = page * 100 + 50
                await settle(table)
            assert all(page in table.cache.pages for page in range(cached_pages)), "pages not cached"
            table.cursor_row = 0
            await pilot.pause()
            width, height = table.region.size
            region = Region(0, 0, width, height)
            last_top = cached_pages * 100 - (height - 1)
            tops = [1 + (index % last_top) for index in range(offsets)]
            for top in tops:
                start = time.process_time()
                table.scroll_to(y=top, animate=False, immediate=True)
                table.refresh()
                strips = table.render_lines(region)
                result.figure.append(time.process_time() - start)
                if "build-" not in strips[1].text:
                    raise AssertionError(f"row {top} was not rendered from the cache: {strips[1].text!r}")
            await pilot.pause()
    return result


# -- manifest view -------------------------------------------------------------------------------


def five_megabyte_manifest() -> str:
    """A compact OCI image manifest of ~5 MB (as the API sends it): many annotated layers."""
    layers = [
        {
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "digest": f"sha256:{index * 7919:064x}",
            "size": 1_000 + index * 37,
            "annotations": {
                "org.opencontainers.image.title": f"layer-{index:05d}.tar.gz",
                "com.example.build.step": f"RUN make -C /src/module-{index % 97} install",
            },
        }
        for index in range(17_500)
    ]
    document = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": "sha256:" + "c" * 64,
            "size": 7_023,
        },
        "layers": layers,
        "annotations": {"org.opencontainers.image.source": "https://example.com/monorepo"},
    }
    return json.dumps(document, separators=(",", ":"))


async def manifest_view(runs: int) -> Paired:
    """First frame of a 5 MB manifest, parse included: the detail pane's own path (summary and the
    first screenful of pretty JSON first, the rest streamed after) until the frame shows it.

    Baseline: json.loads + json.dumps(indent=2) of the same text (what a viewer that pretty-prints
    everything before its first paint pays at least).
    """
    result = Paired()
    text = five_megabyte_manifest()
    assert len(text) >= 5_000_000, len(text)
    result.notes.append(f"{len(text) / 1e6:.1f} MB compact JSON")
    with served_registry(0.0) as (_, server):
        client = make_client(server.url)
        app = make_app(client)
        async with app.run_test(size=SIZE) as pilot:
            probe = await started(app, pilot)
            view = app.browser.query_one("#detail-manifest", ManifestView)
            for _ in range(runs):
                start = time.perf_counter()
                json.dumps(json.loads(text), indent=2)
                result.baseline.append(time.perf_counter() - start)
                view.clear()
                await pilot.pause()
                probe.expect('"schemaVersion"', ready=lambda: view.line_count > 0)
                start = time.perf_counter()
                app.detail.show_tag(
                    Tag(name=f"big-{len(result.figure)}", digest="sha256:" + "d" * 64, manifest=text)
                )
                result.figure.append(await probe.wait() - start)
                await app.workers.wait_for_complete()
                summary = app.detail.summary
                if summary is None or summary.kind != "oci-manifest" or summary.line_count < 100_000:
                    raise AssertionError(f"the manifest was not shown whole: {summary}")
    return result


# -- requests per page viewed --------------------------------------------------------------------


@dataclass
class Browse:
    requests: int
    pages_viewed: int
    duplicates: int
    steps: list[str]


async def walk(
    pilot: Any, table: Any, asked: Callable[[], list[Any]], jumps: Sequence[str], filter_text: str
) -> Browse:
    """The scripted browse of a listing already open: 8x pagedown, ``jumps`` (keys), a filter and
    4x pagedown in it; ``asked`` lists the listing's requests since it opened."""
    viewed: set[tuple[Any, int]] = set()
    steps: list[str] = []

    async def step(name: str) -> None:
        await settle(table)
        viewed.update(visible_pages(table))
        steps.append(f"{name}:{len(asked())}")

    await step("open")
    for index in range(8):
        await pilot.press("pagedown")
        await step(f"pagedown{index + 1}")
    for key in jumps:
        await pilot.press(key)
        await step(key)
    await pilot.press("slash", *filter_text, "enter")
    await step("filter")
    await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
    await step("filter+pagedown")
    await asyncio.sleep(0.4)  # past the filter debounce: it must not ask again
    await step("idle")
    requests = asked()
    keys = [
        (request.path, tuple(sorted(request.params.items()))) for request in requests if request.status == 200
    ]
    return Browse(len(requests), len(viewed), len(keys) - len(set(keys)), steps)


async def scripted_browse(latency_ms: float = 50.0) -> Browse:
    """Open ci-builds, page down, end, home, sort, filter (and page down in it); count tag requests."""
    with served_registry(latency_ms) as (registry, server):
        client = make_client(server.url)
        app = make_app(client)
        async with app.run_test(size=SIZE) as pilot:
            probe = await started(app, pilot)
            table = app.table
            since = len(registry.requests)
            probe.expect("build-100000", ready=page_loaded(table, 0, f"{NAMESPACE}/{BIG}"))
            app.open_repository(NAMESPACE, BIG)
            await probe.wait()
            return await walk(
                pilot, table, lambda: tag_requests(registry, since), ("end", "home", "s"), "0999"
            )
