"""The detail pane's depth (issue 11): the highlighted image's Config section, its history (h), the
platforms of a manifest list ([ and ]), signatures, and the copy menu's env and labels. Over the
fake registry's ShowRepoTagConfig and ListRepoAccessories, through the app's inspector."""

from __future__ import annotations

from swr_tui.fake import FakeRegistry
from swr_tui.swr.image_config import command_line, env_file_text, parse_image_config
from swr_tui.ui.screens.copy_menu import CopyMenu
from swr_tui.ui.screens.history import EMPTY_MARK, HistoryScreen, HistoryView
from swr_tui.ui.widgets.image_depth import REST_S

from .conftest import UI, Start, client_for, plain


def depth_text(ui: UI) -> str:
    return plain(ui.app.browser.depth.render())


async def config_shown(ui: UI) -> str:
    await ui.wait_until(lambda: "Runs" in depth_text(ui) or "could not be read" in depth_text(ui))
    return depth_text(ui)


async def test_the_config_section_shows_what_the_image_runs(start: Start, registry: FakeRegistry) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.4.1")
        text = await config_shown(ui)
        view = ui.app.browser.depth.view
        assert view is not None
        config = view.config
        lines = [" ".join(line.split()) for line in text.splitlines()]
        assert "Config" in lines[0]
        assert any(line.startswith("Runs ") and command_line(config)[:40] in line for line in lines)
        assert any(line.startswith("History ") and "h opens it" in line for line in lines)
        assert registry.count("config") == 1


async def test_passing_over_rows_asks_for_nothing_and_going_back_costs_nothing(
    start: Start, registry: FakeRegistry
) -> None:
    async with start(repository="acme/ci-builds") as ui:
        for _ in range(15):
            await ui.pilot.press("down")  # faster than the rest: no load starts for these rows
        await ui.settle()
        await ui.pilot.pause(REST_S * 3)
        await config_shown(ui)
        assert registry.count("config") == 1  # only the row the cursor rested on
        first = ui.app.table.highlighted_tag
        await ui.press("up")
        await config_shown(ui)
        await ui.press("down")
        await ui.wait_until(lambda: ui.app.browser.depth.view is not None)
        assert ui.app.table.highlighted_tag is first
        assert registry.count("config") == 2  # the row above, once; back again: from memory


async def test_h_opens_the_history_with_each_step_and_escape_returns(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.4.1")
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
        await ui.highlight("v2.4.1")
        text = await config_shown(ui)
        assert "Config: could not be read." in text
        assert "Press r to retry" in text
        assert broken.count("config") == 1
        await ui.press("r")
        await config_shown(ui)
        assert broken.count("config") == 2  # asked again, not served from memory
        assert ui.app.is_running


async def test_the_copy_menu_offers_the_env_as_a_dotenv_file(start: Start) -> None:
    async with start(repository="acme/webapp") as ui:
        await ui.highlight("v2.4.1")
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
