"""The image's depth in the detail pane (issue 11): the highlight resting on a new tag until its Config
section is drawn (against one bare ShowRepoTagConfig round trip, in the same run), the same on a
digest already read (no request at all), and the first frame of a 1,000-step history."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from harness import SIZE, FrameProbe, make_app, make_client, served_registry, settle
from report import Paired

from swr_tui.inspection.model import ImageView
from swr_tui.swr.image_config import HistoryEntry, pair_history
from swr_tui.swr.manifest import Descriptor
from swr_tui.ui.screens.history import HistoryScreen
from swr_tui.ui.widgets.image_depth import REST_S

NAMESPACE, REPOSITORY = "acme", "ci-builds"  # many tags with digests of their own
HISTORY_STEPS = 1_000


def _config_drawn(app: object, name: str):  # type: ignore[no-untyped-def]
    depth = app.browser.depth  # type: ignore[attr-defined]

    def ready() -> bool:
        return depth.view is not None and depth.tag is not None and depth.tag.name == name

    return ready


async def config_section(runs: int, latency_ms: float = 50.0) -> tuple[Paired, Paired]:
    """(new tag: figure vs one bare config round trip; the same tag again: figure, requests)."""
    fresh, again = Paired(), Paired()
    with served_registry(latency_ms) as (registry, server):
        client = make_client(server.url)
        app = make_app(client, repository=f"{NAMESPACE}/{REPOSITORY}")
        async with app.run_test(size=SIZE) as pilot:
            probe = FrameProbe(app)
            await settle(app.table)
            await pilot.pause(0.5)
            table = app.table
            for run in range(runs):
                row = 2 + run * 2
                tag = table.cache.row(row) if table.cache else None
                assert tag is not None
                start = time.perf_counter()
                await client.get_image_config_body(NAMESPACE, REPOSITORY, tag.name)  # the floor
                fresh.baseline.append(time.perf_counter() - start)
                # The first frame composed once the section holds this tag's config (the section may
                # be below the fold of the detail pane: the tag's name in the table is always drawn).
                probe.expect(tag.name, ready=_config_drawn(app, tag.name))
                start = time.perf_counter()
                table.cursor_row = row
                # The rest before the load is deliberate (rows only passed over cost nothing).
                fresh.figure.append(await probe.wait() - start - REST_S)
                await pilot.pause(0.1)
                table.cursor_row = row + 1
                await pilot.pause(REST_S * 3)
                await settle(table)
                since = len(registry.requests)
                probe.expect(tag.name, ready=_config_drawn(app, tag.name))
                start = time.perf_counter()
                table.cursor_row = row  # back: the depth is in memory (and on disk with a cache)
                again.figure.append(await probe.wait() - start)
                await pilot.pause(REST_S * 3)
                again.counts.append(
                    sum(1 for r in registry.requests[since:] if r.route in ("config", "accessories"))
                )
    return fresh, again


def _long_history(view: ImageView, steps: int) -> ImageView:
    layers = tuple(
        Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", f"sha256:{i:064x}", 1000 + i)
        for i in range(steps // 2)
    )
    history = tuple(
        HistoryEntry(
            created="2026-11-01T00:00:00Z",
            created_by=f"/bin/sh -c #(nop) ENV STEP={i}",
            empty_layer=i % 2 == 1,
        )
        for i in range(steps)
    )
    config = replace(view.config, history=history)
    return replace(view, config=config, layers=layers, history=pair_history(config, layers))


async def history_first_frame(runs: int) -> Paired:
    """Pushing the History screen of a 1,000-step image until its first frame shows the last line
    of the first screenful."""
    result = Paired()
    with served_registry(0.0) as (_, server):
        client = make_client(server.url)
        app = make_app(client, repository=f"{NAMESPACE}/{REPOSITORY}")
        async with app.run_test(size=SIZE) as pilot:
            probe = FrameProbe(app)
            await settle(app.table)
            await pilot.pause(REST_S * 4)
            view = app.browser.depth.view
            assert view is not None, "the first tag's config did not load"
            long = _long_history(view, HISTORY_STEPS)
            for _ in range(runs):
                probe.expect("ENV STEP=30")
                start = time.perf_counter()
                app.push_screen(HistoryScreen("acme/ci-builds:bench", long))
                result.figure.append(await probe.wait() - start)
                app.pop_screen()
                await pilot.pause(0.1)
    return result


def run_config(runs: int) -> tuple[Paired, Paired]:
    return asyncio.run(config_section(runs))


def run_history(runs: int) -> Paired:
    return asyncio.run(history_first_frame(runs))
