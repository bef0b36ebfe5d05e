"""The sidebar keeps up with what the app learns, and long names fit: cut with '…', count kept."""

from __future__ import annotations

from rich.cells import cell_len

from swr_tui.fake import FakeRegistry
from swr_tui.ui.widgets.catalog import RepositoryEntry

from .conftest import NARROW, UI, Start


def webapp_label(ui: UI) -> str:
    return str(ui.repository_node("acme", "webapp").label)


async def test_a_reload_that_finds_a_pushed_tag_updates_the_sidebar_count(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(repository="acme/webapp") as ui:
        assert webapp_label(ui) == "webapp  32"
        registry.push_tag("acme", "webapp", "v9.9.9")
        await ui.press("r")
        await ui.wait_until(lambda: ui.app.table.total == 33 and not ui.app.table.cache.stale)

        assert webapp_label(ui) == "webapp  33"
        assert ui.repository_node("acme", "webapp").data.repository.num_images == 33  # the palette's too
        assert "row 2 of 33" in ui.status  # the cursor kept its tag, one row down
        assert ui.registry.count("repos") == 1  # learned from the tags, not by listing again


async def test_a_watch_poll_updates_the_sidebar_count(start: Start, registry: FakeRegistry) -> None:
    async with start(repository="acme/webapp") as ui:
        polls = ui.app.watcher.polls
        await ui.press("w")
        await ui.wait_until(lambda: ui.app.watcher.polls > polls)
        registry.push_tag("acme", "webapp", "v9.9.9")
        registry.push_tag("acme", "webapp", "v9.9.10")
        assert ui.app.watcher.poll_now()
        await ui.settle()
        assert ui.app.table.total == 34
        assert webapp_label(ui) == "webapp  34"


async def test_a_filtered_listing_leaves_the_count_alone(start: Start, registry: FakeRegistry) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.pilot.press("slash")
        ui.app.filter_input.value = "v2"
        await ui.press("enter")
        assert ui.app.table.query.tag_filter == "v2"
        assert 0 < (ui.app.table.total or 0) < 32
        assert webapp_label(ui) == "webapp  32"


GUIDES = " │├└─▶▼"  # the tree's guides and expand icons, around a label


def sidebar_lines(ui: UI) -> list[str]:
    """The sidebar as drawn, line by line (right-stripped)."""
    catalog = ui.app.catalog
    return [catalog.render_line(y).text.rstrip() for y in range(catalog.size.height)]


async def test_long_names_end_with_an_ellipsis_and_keep_their_count(start: Start) -> None:
    async with start(namespace="acme-dev", size=NARROW) as ui:
        catalog = ui.app.catalog
        width = catalog.scrollable_content_region.width
        repositories = {
            child.data.repository.name: child.data.repository.num_images
            for child in ui.namespace_node("acme-dev").children
            if isinstance(child.data, RepositoryEntry)
        }
        long_names = [name for name in repositories if len(name) + 6 > width]
        assert long_names, "the data set has names too long for the narrow sidebar"
        drawn = {line.strip(GUIDES): line for line in sidebar_lines(ui) if line.strip()}
        cut = [line for line in drawn if "…" in line]
        assert cut
        for line in sidebar_lines(ui):
            assert cell_len(line) <= width
        for label in cut:
            name, count = label.rsplit("  ", 1)
            assert name.endswith("…")
            full = [full for full in long_names if full.startswith(name[:-1])]
            assert full, label
            assert int(count) == repositories[full[0]]


async def test_names_that_fit_are_not_cut_and_a_wider_sidebar_shows_more(start: Start) -> None:
    async with start(namespace="acme-dev", size=NARROW) as ui:
        narrow_cut = sum("…" in line for line in sidebar_lines(ui))
        await ui.pilot.resize_terminal(160, 48)
        await ui.settle()
        wide_cut = sum("…" in line for line in sidebar_lines(ui))
        assert wide_cut < narrow_cut
        assert any(line.strip(GUIDES) == "acme-dev  edit" for line in sidebar_lines(ui))
