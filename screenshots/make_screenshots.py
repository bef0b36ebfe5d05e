"""Regenerate the README's screenshots from the embedded demo registry.

    .venv/bin/python screenshots/make_screenshots.py [NAME ...]   # all, or the named ones

Deterministic: the demo data's fixed anchor time, a fixed clock and a fixed terminal size, so a
re-run only changes the images when the app's look changes.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from textual.pilot import Pilot

from swr_tui.cli.clients import demo_client
from swr_tui.fake import DEMO_TOKEN, FakeRegistry
from swr_tui.fake.credentials import DEMO_REGION
from swr_tui.fake.demo_plane import demo_registry_client
from swr_tui.inspection import Inspector
from swr_tui.settings.profiles import DemoSwitcher
from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.client import SwrClient
from swr_tui.ui.app import SwrApp
from swr_tui.ui.widgets.tag_table import TagTable

HERE = Path(__file__).resolve().parent
ANCHOR = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)
SIZE = (150, 42)

Steps = Callable[[SwrApp, Pilot[None], FakeRegistry], Awaitable[None]]


async def settle(app: SwrApp, pilot: Pilot[None]) -> None:
    await pilot.pause(0.2)
    await app.workers.wait_for_complete()
    await pilot.pause(0.1)


async def highlight(app: SwrApp, pilot: Pilot[None], tag: str) -> None:
    table = app.browser.query_one(TagTable)
    for _ in range(table.total or 0):
        current = table.highlighted_tag
        if current is not None and current.name == tag:
            return
        await pilot.press("down")
    raise RuntimeError(f"tag {tag} not found")


async def main_screen(app: SwrApp, pilot: Pilot[None], registry: FakeRegistry) -> None:
    await highlight(app, pilot, "v2.1.0")


async def manifest_list(app: SwrApp, pilot: Pilot[None], registry: FakeRegistry) -> None:
    await highlight(app, pilot, "v2.4.1")


async def copy_menu(app: SwrApp, pilot: Pilot[None], registry: FakeRegistry) -> None:
    await highlight(app, pilot, "v2.4.1")
    await pilot.press("y")


async def profiles(app: SwrApp, pilot: Pilot[None], registry: FakeRegistry) -> None:
    await pilot.press("p", *"cn-s")


async def watching(app: SwrApp, pilot: Pilot[None], registry: FakeRegistry) -> None:
    registry.push_tag("acme", "webapp", "v2.5.0-rc1", at=ANCHOR - timedelta(minutes=3))
    registry.push_tag("acme", "webapp", "v2.5.0", at=ANCHOR - timedelta(minutes=1))
    await pilot.press("w")


async def diff(app: SwrApp, pilot: Pilot[None], registry: FakeRegistry) -> None:
    await highlight(app, pilot, "v2.4.0")
    await pilot.press("space")
    await highlight(app, pilot, "v2.3.0")
    await pilot.press("equals_sign")


async def narrow(app: SwrApp, pilot: Pilot[None], registry: FakeRegistry) -> None:
    await highlight(app, pilot, "v2.1.0")


async def rested(app: SwrApp, pilot: Pilot[None]) -> None:
    """Until the highlighted image's Config section is in (it loads once the cursor rests)."""
    for _ in range(100):
        await pilot.pause(0.05)
        if app.browser.depth.view is not None:
            await pilot.pause(0.1)
            app.browser.depth.scroll_visible(top=True, animate=False)  # the section, in the picture
            return
    raise RuntimeError("the Config section never loaded")


async def config(app: SwrApp, pilot: Pilot[None], registry: FakeRegistry) -> None:
    await highlight(app, pilot, "v2.1.0")
    await rested(app, pilot)


async def history(app: SwrApp, pilot: Pilot[None], registry: FakeRegistry) -> None:
    await config(app, pilot, registry)
    await pilot.press("h")


async def multi_arch(app: SwrApp, pilot: Pilot[None], registry: FakeRegistry) -> None:
    await highlight(app, pilot, "v2.4.1")
    await rested(app, pilot)
    await pilot.press("right_square_bracket")
    await rested(app, pilot)


async def retention(app: SwrApp, pilot: Pilot[None], registry: FakeRegistry) -> None:
    await highlight(app, pilot, "v1.0.0")  # the rule's exception
    await pilot.press("R")
    await settle(app, pilot)
    await pilot.press("slash", *"v0.8.")


async def governance(app: SwrApp, pilot: Pilot[None], registry: FakeRegistry) -> None:
    """The third newest tag: its syncs still waiting and timed out, its deployment failed."""
    table = app.browser.query_one(TagTable)
    await pilot.press("down", "down")
    assert table.highlighted_tag is not None
    pane = app.browser.tag_governance
    assert pane is not None
    for _ in range(100):
        await pilot.pause(0.05)
        if pane.display and app.browser.depth.view is not None:
            await pilot.pause(0.1)
            pane.scroll_visible(top=True, animate=False)
            return
    raise RuntimeError("the Synced to section never loaded")


async def repository_summary(app: SwrApp, pilot: Pilot[None], registry: FakeRegistry) -> None:
    """The sidebar has the focus, on acme/webapp: the detail pane summarises the repository."""
    await pilot.press("shift+tab")
    from swr_tui.ui.widgets.repository_summary import SUMMARY_READS

    reads = app.browser.governance
    assert reads is not None
    for _ in range(100):
        await pilot.pause(0.05)
        if all(reads.cached(kind, "acme", "webapp") is not None for kind in SUMMARY_READS):
            await pilot.pause(0.1)
            return
    raise RuntimeError("the repository summary never loaded")


async def scanned(app: SwrApp, pilot: Pilot[None]) -> None:
    """Until the highlighted enterprise tag's scan overview is in (it loads once the cursor rests)."""
    section = app.browser.artifact_section
    assert section is not None
    for _ in range(100):
        await pilot.pause(0.05)
        if section.display and app.browser.depth.view is not None:
            await pilot.pause(0.1)
            section.scroll_visible(top=True, animate=False)
            return
    raise RuntimeError("the scan overview never loaded")


async def enterprise(app: SwrApp, pilot: Pilot[None], registry: FakeRegistry) -> None:
    """An Enterprise Edition instance beside the basic namespaces: its repository's tags, the
    highlighted tag's scan badges, the Pulled column."""
    await pilot.press("P")
    await scanned(app, pilot)


async def vulnerabilities(app: SwrApp, pilot: Pilot[None], registry: FakeRegistry) -> None:
    await pilot.press("v")
    screen = app.screen
    for _ in range(100):
        await pilot.pause(0.05)
        if getattr(screen, "reports", None) is not None:
            return
    raise RuntimeError("the vulnerability report never loaded")


SHOTS: dict[str, Steps] = {
    "main": main_screen,
    "manifest-list": manifest_list,
    "copy-menu": copy_menu,
    "profiles": profiles,
    "watch": watching,
    "diff": diff,
    "narrow": narrow,
    "config": config,
    "history": history,
    "multi-arch": multi_arch,
    "retention": retention,
    "governance": governance,
    "repository-summary": repository_summary,
    "enterprise": enterprise,
    "vulnerabilities": vulnerabilities,
}
SIZES: dict[str, tuple[int, int]] = {"narrow": (80, 24)}  # the jump host's terminal
# Where a picture opens, when not on the basic edition's acme/webapp: an Enterprise instance's.
OPENINGS: dict[str, dict[str, str]] = {
    "enterprise": {"instance": "acme-prod", "repository": "apps/webapp"},
    "vulnerabilities": {"instance": "acme-prod", "repository": "legacy/base"},
}


async def shoot(name: str, steps: Steps) -> Path:
    registry = FakeRegistry(seed=0, real_configs=True)  # as the demo: config blobs with real digests
    client = SwrClient(
        "https://swr-api.cn-north-4.myhuaweicloud.com", TokenAuth(DEMO_TOKEN), transport=registry.transport()
    )
    inspector = Inspector(client, demo_registry_client(registry), None)  # no disk cache: the same each run
    switcher = DemoSwitcher(DEMO_REGION, lambda region: demo_client(region=region))
    app = SwrApp(
        client,
        label=switcher.label,
        **OPENINGS.get(name, {"repository": "acme/webapp"}),
        clock=lambda: ANCHOR,
        environ={},
        switcher=switcher,
        inspector=inspector,
    )
    async with app.run_test(size=SIZES.get(name, SIZE)) as pilot:
        await settle(app, pilot)
        await steps(app, pilot, registry)
        await settle(app, pilot)
        path = HERE / f"{name}.svg"
        app.save_screenshot(filename=path.name, path=str(HERE))
    return path


async def run(names: list[str]) -> None:
    for name, steps in SHOTS.items():
        if not names or name in names:
            print(await shoot(name, steps))


if __name__ == "__main__":
    asyncio.run(run(sys.argv[1:]))
