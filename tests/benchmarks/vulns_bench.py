"""The Vulnerabilities view of 10,000 CVEs: the first frame with rows, from the moment the report is
handed over (parsed, as the client returns it) to the first composed frame that shows its first
CVE. The screen is open and waiting on its load when the report is handed over, as it is when the
registry's answer arrives; a headless app composes every frame (harness.FrameProbe)."""

from __future__ import annotations

import asyncio
import time

from harness import SIZE, FrameProbe, make_app, make_client, served_registry, settle
from report import Paired

from swr_tui.fake import enterprise_data as ee
from swr_tui.fake.dataset import DEFAULT_ANCHOR
from swr_tui.swr.enterprise.scans import VulnerabilityReport, reports_from_api
from swr_tui.ui.screens.vulnerabilities import VulnerabilitiesScreen, open_vulnerabilities

CVES = 10_000


def many_cves() -> tuple[tuple[VulnerabilityReport, ...], float]:
    """The fake's report shape (missing fields, every severity) with 10,000 records, parsed as the
    client parses the answer; and the seconds the parse took (before the hand-over: not counted)."""
    artifact = ee.FakeArtifact(1, ee.digest_of("bench"), DEFAULT_ANCHOR, ("bench",), cves=CVES)
    answer = ee.vulnerability_report(artifact)
    start = time.perf_counter()
    reports = reports_from_api(answer)
    return reports, time.perf_counter() - start


class HandOver:
    """The screen's load: says when the screen waits on it, and answers when ``arrived`` is set."""

    def __init__(self) -> None:
        self.waiting = asyncio.Event()
        self.arrived: asyncio.Future[tuple[VulnerabilityReport, ...]] = (
            asyncio.get_running_loop().create_future()
        )

    async def load(self) -> tuple[VulnerabilityReport, ...]:
        self.waiting.set()
        return await self.arrived


async def first_frame(runs: int) -> Paired:
    result = Paired()
    reports, parsed_s = many_cves()
    first = reports[0].vulnerabilities[0].id
    with served_registry(0.0) as (_, server):
        app = make_app(make_client(server.url))
        async with app.run_test(size=SIZE) as pilot:
            probe = FrameProbe(app)
            await settle(app.table)
            for _ in range(runs):
                hand_over = HandOver()
                open_vulnerabilities(app, "legacy/base:bench", hand_over.load)
                await hand_over.waiting.wait()
                await pilot.pause()
                screen = app.screen
                assert isinstance(screen, VulnerabilitiesScreen)
                probe.expect(first)
                start = time.perf_counter()
                hand_over.arrived.set_result(reports)
                result.figure.append(await probe.wait() - start)
                assert len(screen.cve_list.rows) == CVES
                app.pop_screen()
                await pilot.pause()
    result.notes.append(
        f"{CVES:,} CVEs (the fake's record shapes), from the parsed report handed to the open screen to the "
        f"first composed frame showing its first CVE; headless app at 120x40; the client's parse of the "
        f"answer, before the hand-over, took {parsed_s * 1000:.0f} ms"
    )
    return result


def run_first_frame(runs: int) -> Paired:
    return asyncio.run(first_frame(runs))
