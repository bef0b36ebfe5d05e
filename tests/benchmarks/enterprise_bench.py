"""Issue 13's table figures on an Enterprise Edition instance: the same goals as the basic edition's
table, against the fake's ``acme-prod`` served over loopback HTTP with injected latency.

- ``end`` on ``ci/builds`` (100,000 tags): one ListInstanceTags request, and its first frame against
  the bare request for the same last page (the baseline, measured in the same run).
- A scripted browse of ``ci/builds`` (open, 8x pagedown, end, home, a filter, 4x pagedown in it):
  requests per page viewed, with the Enterprise Edition's 100-row page cap, and none duplicated.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from app_bench import Browse, started, walk
from harness import (
    ENVIRON,
    SIZE,
    FrameProbe,
    make_client,
    page_loaded,
    served_registry,
    settle,
)
from report import Paired, Row, median, ms, paired_differences, spread, status

from swr_tui.fake.credentials import DEMO_PROJECT_ID
from swr_tui.fake.enterprise_data import APPS, BIG_COUNT, BIG_REPO, CI, RUNNING_ID, SHOWCASE_REPO
from swr_tui.swr.enterprise.client import EnterpriseClient
from swr_tui.ui.app import SwrApp

PAGE = 100  # the Enterprise Edition's page cap, which the table's pages follow
ROUTES = ("instance-tags", "artifacts")  # the two lists an instance's table reads
LAST_TAG = f"build-{0:06d}"  # the oldest build: the last row, newest first
SMALL_NAMESPACE, SMALL_REPO = APPS, SHOWCASE_REPO  # opened between runs: the big one anew each time
ROUND_TRIP_SLACK_S = 0.100  # the basic table's goal: one round trip + 100 ms
FILTER = "0999"  # builds 000999, 009990-009999, ...: a few pages of matching artifacts


def table_requests(registry: Any, since: int) -> list[Any]:
    return [request for request in registry.requests[since:] if request.route in ROUTES]


def make_app(client: Any) -> SwrApp:
    environ = {**ENVIRON, "SWR_TUI_PROJECT_ID": DEMO_PROJECT_ID}
    return SwrApp(client, label="benchmark", environ=environ, page_size=PAGE)


async def _open(app: SwrApp, probe: FrameProbe, namespace: str, repository: str, first: str) -> None:
    probe.expect(first, ready=page_loaded(app.table, 0, f"{namespace}/{repository}"))
    app.browser.open_repository(namespace, repository, RUNNING_ID)
    await probe.wait()
    await settle(app.table)


async def _open_builds(app: SwrApp, probe: FrameProbe) -> None:
    await _open(app, probe, CI, BIG_REPO, f"build-{BIG_COUNT - 1:06d}")


async def enterprise_end(runs: int, latency_ms: float = 50.0) -> Paired:
    result = Paired()
    last_offset = (BIG_COUNT - 1) // PAGE * PAGE
    with served_registry(latency_ms) as (registry, server):
        client = make_client(server.url)
        bare = EnterpriseClient(client, DEMO_PROJECT_ID)
        app = make_app(client)
        async with app.run_test(size=SIZE) as pilot:
            probe = await started(app, pilot)
            await bare.list_tags(RUNNING_ID, CI, BIG_REPO, offset=last_offset, limit=PAGE)  # warm
            for run in range(runs):
                # A fresh listing each run, so the last page is not held.
                await _open(app, probe, SMALL_NAMESPACE, SMALL_REPO, "v2.4.1")
                await _open_builds(app, probe)
                start = time.perf_counter()
                await bare.list_tags(RUNNING_ID, CI, BIG_REPO, offset=last_offset, limit=PAGE)
                result.baseline.append(time.perf_counter() - start)
                since = len(registry.requests)
                probe.expect(LAST_TAG, ready=page_loaded(app.table, last_offset // PAGE, f"{CI}/{BIG_REPO}"))
                start = time.perf_counter()
                await pilot.press("end")
                result.figure.append(await probe.wait() - start)
                await settle(app.table)
                await asyncio.sleep(0.2)  # anything the jump would still ask for
                requests = table_requests(registry, since)
                result.counts.append(len(requests))
                if len(requests) != 1:
                    offsets = [request.params.get("offset") for request in requests]
                    result.notes.append(f"run {run}: {len(requests)} requests, offsets {offsets}")
    return result


async def enterprise_browse(latency_ms: float = 50.0) -> Browse:
    with served_registry(latency_ms) as (registry, server):
        app = make_app(make_client(server.url))
        async with app.run_test(size=SIZE) as pilot:
            probe = await started(app, pilot)
            since = len(registry.requests)
            await _open_builds(app, probe)
            # No sort key: the Enterprise Edition lists newest first only.
            return await walk(
                pilot, app.table, lambda: table_requests(registry, since), ("end", "home"), FILTER
            )


# -- the table's rows ------------------------------------------------------------------------------


def enterprise_rows(runs: int, browses: int) -> list[Row]:
    jump = asyncio.run(enterprise_end(runs))
    counts = sorted(set(jump.counts))
    overhead = median(paired_differences(jump.figure, jump.baseline))
    rows = [
        Row(
            "enterprise: end of 100,000 tags: requests, time (50 ms)",
            f"{'/'.join(map(str, counts))} request(s), {ms(median(jump.figure))}",
            f"{ms(median(jump.baseline))} (1 round trip)",
            f"+{overhead * 1000:.0f} ms",
            "exactly 1 request, <= 1 round trip + 100 ms",
            status(counts == [1] and overhead <= ROUND_TRIP_SLACK_S),
            [*jump.notes, f"acme-prod ci/builds, ListInstanceTags; app {spread(jump.figure)}"],
        )
    ]
    if not browses:  # --smoke: the browse takes ~10 s (a filter over 100,000 artifacts on the fake)
        return rows
    walks = [asyncio.run(enterprise_browse()) for _ in range(browses)]
    worst = max(walks, key=lambda walk: (walk.requests / max(1, walk.pages_viewed), walk.duplicates))
    rows.append(
        Row(
            "enterprise: requests per page viewed (scripted browse, 100-row pages)",
            f"{worst.requests / max(1, worst.pages_viewed):.2f} ({worst.requests} requests / "
            f"{worst.pages_viewed} pages viewed, {worst.duplicates} duplicated)",
            "-",
            "-",
            "1.0, none duplicated",
            status(worst.requests == worst.pages_viewed and worst.duplicates == 0),
            [
                f"open ci/builds, 8x pagedown, end, home, filter {FILTER!r} (artifacts), 4x pagedown; "
                "requests after each step: " + " ".join(worst.steps)
            ],
        )
    )
    return rows
