"""The Vulnerabilities view of 10,000 CVEs: the first frame with rows, from the moment the answer's
body has arrived (then decoded and made into records, as the client does) to the first composed
frame that shows its first CVE. The screen is open and waiting on its load when the body is handed
over, as it is when the registry's answer arrives; a headless app composes every frame
(harness.FrameProbe)."""

from __future__ import annotations

import asyncio
import json
import time

from harness import SIZE, FrameProbe, make_app, make_client, served_registry, settle
from report import Paired

from swr_tui.fake import enterprise_data as ee
from swr_tui.fake.dataset import DEFAULT_ANCHOR
from swr_tui.swr.collector import collector_paused
from swr_tui.swr.enterprise.scans import VulnerabilityReport, reports_from_api
from swr_tui.swr.errors import loads_lenient
from swr_tui.ui.screens.vulnerabilities import VulnerabilitiesScreen, open_vulnerabilities

CVES = 10_000


def many_cves() -> tuple[bytes, tuple[VulnerabilityReport, ...]]:
    """The fake's report (missing fields, every severity) with 10,000 records: the answer's body as it
    arrives, and the reports the client makes of it."""
    artifact = ee.FakeArtifact(1, ee.digest_of("bench"), DEFAULT_ANCHOR, ("bench",), cves=CVES)
    body = json.dumps(ee.vulnerability_report(artifact)).encode()
    return body, read_reports(body)


def read_reports(body: bytes) -> tuple[VulnerabilityReport, ...]:
    """What the client does with the body once it has arrived: decode it, then make the records."""
    with collector_paused():  # as EnterpriseClient.list_vulnerabilities does
        return reports_from_api(loads_lenient(body))


class HandOver:
    """The screen's load: says when the screen waits on it, and answers when ``arrived`` is set."""

    def __init__(self) -> None:
        self.waiting = asyncio.Event()
        self.arrived: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()

    async def load(self) -> tuple[VulnerabilityReport, ...]:
        self.waiting.set()
        return read_reports(await self.arrived)


async def first_frame(runs: int) -> Paired:
    result = Paired()
    body, reports = many_cves()
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
                hand_over.arrived.set_result(body)
                result.figure.append(await probe.wait() - start)
                assert len(screen.cve_list.rows) == CVES
                app.pop_screen()
                await pilot.pause()
    result.notes.append(
        f"{CVES:,} CVEs (the fake's record shapes, a {len(body) / 1e6:.1f} MB answer), from the body handed "
        "to the open screen's load (which decodes it and makes the records, as the client does) to the "
        "first composed frame showing its first CVE; headless app at 120x40"
    )
    return result


def run_first_frame(runs: int) -> Paired:
    return asyncio.run(first_frame(runs))
