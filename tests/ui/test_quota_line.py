"""The quota line in the sidebar's foot (issue 12): the fullest quota and the storage, read once per
connection; no line without a project id, nor when the quotas cannot be read."""

from __future__ import annotations

import pytest
from textual.geometry import Region

from swr_tui.fake import FakeRegistry
from swr_tui.fake.credentials import DEMO_PROJECT_ID, DEMO_REGION
from swr_tui.settings.profiles import DemoSwitcher
from swr_tui.swr.governance_models import Overview, Quota
from swr_tui.ui.quota_line import compact, quota_line

from .conftest import UI, Start, client_for

DEMO_LINE = "tags 118k/120k · 1.2 TiB"


def shown(ui: UI) -> str:
    catalog = ui.app.catalog
    return str(catalog.border_subtitle) if catalog.has_class("-quota") else ""


def demo_switcher(registry: FakeRegistry) -> DemoSwitcher:
    return DemoSwitcher(DEMO_REGION, lambda region: client_for(registry))


async def test_the_demo_shows_the_fullest_quota_and_the_storage(start: Start, registry: FakeRegistry) -> None:
    async with start(switcher=demo_switcher(registry)) as ui:
        await ui.wait_until(lambda: bool(shown(ui)))
        assert shown(ui) == DEMO_LINE
        catalog = ui.app.catalog
        drawn = catalog.render_lines(Region(0, 0, *catalog.outer_size))
        assert drawn[-1].text.startswith(f"▁{DEMO_LINE} ▁")  # the sidebar's last line, its foot
        assert (registry.count("quotas"), registry.count("overview"), registry.count("projects")) == (1, 1, 0)
        request = next(request for request in registry.requests if request.route == "quotas")
        assert request.path_params["project_id"] == DEMO_PROJECT_ID


async def test_a_configured_project_id_shows_it_too(start: Start, registry: FakeRegistry) -> None:
    async with start(environ={"SWR_TUI_PROJECT_ID": DEMO_PROJECT_ID}) as ui:
        await ui.wait_until(lambda: bool(shown(ui)))
        assert shown(ui) == DEMO_LINE


async def test_without_a_project_id_there_is_no_line_and_no_request(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(repository="acme/webapp") as ui:
        assert shown(ui) == ""
        assert not ui.app.catalog.has_class("-quota")
        assert (registry.count("quotas"), registry.count("overview")) == (0, 0)


@pytest.mark.parametrize("kind", ["403", "config-missing", "502", "malformed"])
async def test_quotas_that_cannot_be_read_show_no_line_and_no_toast(start: Start, kind: str) -> None:
    broken = FakeRegistry(seed=0, faults=f"quotas:{kind}")
    async with start(client=client_for(broken), switcher=demo_switcher(broken)) as ui:
        await ui.wait_until(lambda: broken.count("quotas") == 1)
        assert shown(ui) == ""
        assert ui.notes == []
        assert ui.app.is_running


@pytest.mark.parametrize("kind", ["403", "config-missing", "502", "malformed"])
async def test_an_overview_that_cannot_be_read_leaves_the_quota_alone(start: Start, kind: str) -> None:
    broken = FakeRegistry(seed=0, faults=f"overview:{kind}")
    async with start(client=client_for(broken), switcher=demo_switcher(broken)) as ui:
        await ui.wait_until(lambda: bool(shown(ui)))
        assert shown(ui) == "tags 118k/120k"
        assert ui.notes == []


def quota(key: str, used: int, limit: int) -> Quota:
    return Quota(key=key, limit=limit, used=used, unit="")


OVERVIEW = Overview("d", "acme", 5, 312, 100_000, float(41.2 * 2**30), 0.0)


@pytest.mark.parametrize(
    ("quotas", "width", "line"),
    [
        ([quota("repository", 312, 1000), quota("tag", 10, 120_000)], 26, "repos 312/1000 · 41.2 GiB"),
        ([quota("repository", 312, 1000)], 20, "repos 312/1000"),  # the storage does not fit
        ([quota("namespace", 3, 6), quota("repository", 150, 300)], 26, "repos 150/300 · 41.2 GiB"),  # tie
        ([quota("tag", 99_950, 100_000), quota("repository", 1, 10)], 40, "tags 100k/100k · 41.2 GiB"),
        ([quota("tag", 1_234_567, 2_000_000)], 40, "tags 1.2M/2M · 41.2 GiB"),
        ([quota("tag", 5, 0), quota("bogus", 5, 6)], 40, ""),  # no limit, unknown key: nothing
        ([], 40, ""),
    ],
)
def test_quota_line_picks_the_fullest_quota_and_fits(quotas: list[Quota], width: int, line: str) -> None:
    assert quota_line(quotas, OVERVIEW, width) == line


def test_compact_counts() -> None:
    assert [compact(n) for n in (0, 9_999, 10_000, 12_345, 118_000, 999_999, 5_000_000)] == [
        "0", "9999", "10k", "12.3k", "118k", "1M", "5M"
    ]  # fmt: skip
