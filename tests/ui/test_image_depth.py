"""The detail pane's depth (issue 11): the highlighted image's Config section, its history (h), the
platforms of a manifest list ([ and ]), signatures, and the copy menu's env and labels. Over the
fake registry's ShowRepoTagConfig and ListRepoAccessories, through the app's inspector."""

from __future__ import annotations

from app_harness import plain
from textual.widgets import OptionList

from swr_tui.fake import FakeRegistry
from swr_tui.fake.demo_plane import demo_registry_client
from swr_tui.inspection import Inspector
from swr_tui.swr.image_config import command_line, env_file_text, parse_image_config
from swr_tui.ui.screens.copy_menu import CopyMenu
from swr_tui.ui.screens.history import EMPTY_MARK, HistoryScreen, HistoryView
from swr_tui.ui.screens.platform_menu import PlatformMenu
from swr_tui.ui.widgets.image_depth import REST_S
from swr_tui.ui.widgets.json_view import ManifestView

from .conftest import UI, Start, client_for


def depth_text(ui: UI) -> str:
    """The depth section as one line of words (a long message wraps at any width)."""
    return plain(ui.app.browser.depth.content)


def words(text: str) -> str:
    return " ".join(text.split())


async def config_shown(ui: UI) -> str:
    await ui.wait_until(lambda: "Runs" in depth_text(ui) or "could not be read" in depth_text(ui))
    return depth_text(ui)


async def test_the_config_section_shows_what_the_image_runs(start: Start, registry: FakeRegistry) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.1.0")
        text = await config_shown(ui)
        view = ui.app.browser.depth.view
        assert view is not None
        config = view.config
        lines = [" ".join(line.split()) for line in text.splitlines()]
        assert "Config" in lines[0]
        assert any(line.startswith("Runs ") and command_line(config)[:40] in line for line in lines)
        assert any(line.startswith("History ") and "h opens it" in line for line in lines)
        # v2.1.0's, and the first row's if the cursor rested there long enough at the start
        assert registry.count("config") in (1, 2)


async def test_passing_over_rows_asks_for_nothing_and_going_back_costs_nothing(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(repository="acme/ci-builds") as ui:
        await config_shown(ui)  # the first row's, where the cursor rests at the start
        table = ui.app.table
        for _ in range(15):
            table.action_cursor(1)  # as fast as key repeat: no load starts for the rows passed over
        await ui.settle()
        await ui.pilot.pause(REST_S * 3)
        await config_shown(ui)
        # Only the rows the cursor rested on: the first (at the start) and the 16th.
        assert registry.count("config") == 2
        first = ui.app.table.highlighted_tag
        await ui.press("up")
        await config_shown(ui)
        await ui.press("down")
        await ui.wait_until(lambda: ui.app.browser.depth.view is not None)
        assert ui.app.table.highlighted_tag is first
        assert registry.count("config") == 3  # the row above, once; back again: from memory


async def test_h_opens_the_history_with_each_step_and_escape_returns(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.1.0")
        await config_shown(ui)
        view = ui.app.browser.depth.view
        assert view is not None
        await ui.press("h")
        assert isinstance(ui.app.screen, HistoryScreen)
        lines = ui.app.screen.query_one(HistoryView).document.splitlines()
        assert len(lines) == len(view.history.steps) + 1  # a header, then one line per step
        empty = [line for line in lines[1:] if line[5:6] == EMPTY_MARK]
        assert len(empty) == sum(1 for step in view.history.steps if step.entry.empty_layer)
        layered = [step for step in view.history.steps if step.layer is not None]
        assert layered, "the fake's history pairs every layer"
        await ui.press("escape")
        assert not isinstance(ui.app.screen, HistoryScreen)


async def test_a_config_the_registry_sends_wrongly_is_a_clear_line_and_r_retries(start: Start) -> None:
    broken = FakeRegistry(seed=0, faults="config:odd-config=text")
    async with start(repository="acme/webapp", client=client_for(broken)) as ui:
        await config_shown(ui)
        before = broken.count("config")
        await ui.highlight("v2.1.0")
        text = await config_shown(ui)
        assert "Config: could not be read." in words(text)
        assert "Press r to retry" in words(text)
        assert broken.count("config") == before + 1
        await ui.press("r")
        await config_shown(ui)
        assert broken.count("config") == before + 2  # asked again, not served from memory
        assert ui.app.is_running


async def test_the_copy_menu_offers_the_env_as_a_dotenv_file(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.1.0")
        await config_shown(ui)
        view = ui.app.browser.depth.view
        assert view is not None
        await ui.press("y")
        assert isinstance(ui.app.screen, CopyMenu)
        labels = [choice.label for choice in ui.app.screen.choices]
        assert "Env as a .env file" in labels
        await ui.press(str(labels.index("Env as a .env file") + 1))
        assert ui.app.system_clipboard.copied[-1] == env_file_text(view.config)
        assert parse_image_config(view.config.to_output()) is not None


async def test_a_manifest_list_shows_one_platform_and_the_brackets_step_through_them(start: Start) -> None:
    registry = FakeRegistry(seed=0, real_configs=True)
    client = client_for(registry)
    inspector = Inspector(client, demo_registry_client(registry), None)
    async with start(repository="acme/webapp", client=client, inspector=inspector) as ui:
        await config_shown(ui)
        before = registry.count("config")
        await ui.highlight("v2.4.1")
        await config_shown(ui)
        depth = ui.app.browser.depth
        images = [platform for platform in depth.platforms if not platform.attestation]
        assert len(images) >= 2
        assert depth.view is not None
        assert depth.view.platform == images[0]
        assert images[0].label == "linux/amd64"
        assert f"Platform linux/amd64 (1 of {len(images)}; [ and ] step)" in words(depth_text(ui))
        assert registry.count("config") == before  # a platform's config is the registry's config blob
        await ui.press("right_square_bracket")
        await ui.wait_until(lambda: depth.view is not None and depth.view.platform == images[1])
        assert f"Platform {images[1].label} (2 of {len(images)};" in words(depth_text(ui))
        await ui.press("left_square_bracket")
        await ui.wait_until(lambda: depth.view is not None and depth.view.platform == images[0])
        await ui.highlight("v2.1.0")
        await ui.press("right_square_bracket")
        assert ui.notes[-1].message == "The highlighted tag is no manifest list: it has one platform"


async def test_without_a_registry_a_list_says_where_its_platforms_come_from(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.4.1")
        text = words(await config_shown(ui))
        assert "Config: could not be read." in text
        assert "registry" in text
        assert ui.app.is_running


async def test_enter_on_a_manifest_list_chooses_its_platform_from_a_menu(start: Start) -> None:
    registry = FakeRegistry(seed=0, real_configs=True)
    client = client_for(registry)
    inspector = Inspector(client, demo_registry_client(registry), None)
    async with start(repository="acme/webapp", client=client, inspector=inspector) as ui:
        await ui.highlight("v2.4.1")
        await config_shown(ui)
        depth = ui.app.browser.depth
        images = [platform for platform in depth.platforms if not platform.attestation]
        attestations = [i for i, platform in enumerate(depth.platforms) if platform.attestation]
        await ui.press("enter")
        menu = ui.app.screen
        assert isinstance(menu, PlatformMenu)
        assert menu.platforms == depth.platforms
        options = menu.query_one(OptionList)
        assert options.highlighted == 0  # the platform shown now
        prompts = [plain(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts[0].startswith("• 1  linux/amd64")
        assert all(options.get_option_at_index(i).disabled for i in attestations)
        if attestations and attestations[0] < 9:  # an attestation's number chooses nothing
            await ui.press(str(attestations[0] + 1))
            assert ui.app.screen is menu
        await ui.press("down", "enter")
        await ui.wait_until(lambda: depth.view is not None and depth.view.platform == images[1])
        assert not isinstance(ui.app.screen, PlatformMenu)
        assert isinstance(ui.app.focused, ManifestView)  # then the details, as enter on any tag
        assert f"Platform {images[1].label} (2 of {len(images)};" in words(depth_text(ui))
        ui.app.table.focus()
        await ui.press("enter", "escape")  # escape: back to the table, the platform unchanged
        assert ui.app.focused is ui.app.table
        assert depth.platform == images[1]


async def test_enter_on_a_single_image_goes_straight_to_its_details(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.1.0")
        await config_shown(ui)
        await ui.press("enter")
        assert not isinstance(ui.app.screen, PlatformMenu)
        assert isinstance(ui.app.focused, ManifestView)
