"""A snapshot of the Vulnerabilities view at 160x48 (the fake's report of 40 CVEs, the cursor on the
third, the filter open on "lib1"), paired with the state it pictures (test_snapshots.py's helper)."""

from __future__ import annotations

from typing import Any

from swr_tui.fake import FakeRegistry
from swr_tui.fake import enterprise_data as ee
from swr_tui.fake.dataset import DEFAULT_ANCHOR
from swr_tui.swr.enterprise.scans import VulnerabilityReport, reports_from_api
from swr_tui.ui.screens.vulnerabilities import VulnerabilitiesScreen, open_vulnerabilities

from .conftest import UI, WIDE, AppFactory
from .test_snapshots import snapshot

ARTIFACT = ee.FakeArtifact(7, ee.digest_of("snapshot"), DEFAULT_ANCHOR, ("2019",), cves=40)


async def load() -> tuple[VulnerabilityReport, ...]:
    return reports_from_api(ee.vulnerability_report(ARTIFACT))


def test_vulnerabilities_view(snap_compare: Any, make_app: AppFactory, registry: FakeRegistry) -> None:
    async def steps(ui: UI) -> dict[str, Any]:
        open_vulnerabilities(ui.app, "legacy/base:2019", load)
        await ui.settle()
        await ui.press("j", "j", "slash", "l", "i", "b", "1")
        screen = ui.app.screen
        assert isinstance(screen, VulnerabilitiesScreen)
        highlighted = screen.cve_list.highlighted
        return {
            "rows": [item.id for item in screen.cve_list.rows],
            "total": len(screen.vulnerabilities),
            "highlighted": highlighted.id if highlighted else None,
            "error": screen.error,
        }

    seen = snapshot(snap_compare, make_app, registry, WIDE, steps)
    assert seen["screen"] == VulnerabilitiesScreen.__name__
    assert seen["focused"] == "Input"
    assert seen["total"] == 40
    assert seen["error"] is None
    packages = {number: f"lib{number % 37}" for number in range(40)}
    expected = {
        f"CVE-{2019 + n % 5}-{10000 + n}" for n, name in packages.items() if "lib1" in name and n % 11 != 10
    }  # every 11th names no package
    assert set(seen["rows"]) == expected
    assert seen["highlighted"] == seen["rows"][0]
