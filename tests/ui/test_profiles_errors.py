"""``p`` on profiles whose registry cannot be reached or whose endpoint is no URL: the message says
where the endpoint came from, in separate sentences, and the app stays up where it was."""

from __future__ import annotations

import socket
from pathlib import Path

from swr_tui.settings.model import Settings
from swr_tui.settings.resolve import build_client
from swr_tui.swr.client import SwrClient
from swr_tui.swr.retry import RetryPolicy
from swr_tui.ui.screens.profiles import ProfileScreen

from .conftest import Start
from .test_profiles_ui import Places, app_options, message, open_and_choose, screen_lines


def stopped_url() -> str:
    """A loopback URL nothing listens on (a port just freed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class WithStopped(Places):
    """``Places`` plus real loopback clients for the endpoints it does not serve in process."""

    def client(self, settings: Settings) -> SwrClient:
        if settings.endpoint in self.registries:
            return super().client(settings)
        client = build_client(settings, retry=RetryPolicy(retries=0))
        self.clients.append(client)
        return client


async def test_a_stopped_profile_says_where_its_endpoint_came_from(start: Start, tmp_path: Path) -> None:
    places = WithStopped(tmp_path)
    url = stopped_url()
    places.config.write_text(places.config.read_text() + f'\n[profiles.lab]\nendpoint = "{url}"\n')
    async with start(**app_options(places)) as ui:
        before = ui.app.sub_title
        await open_and_choose(ui, "lab")
        await ui.wait_until(lambda: message(ui).startswith("Could not switch"), timeout=10)
        text = message(ui)
        assert text.startswith(f"Could not switch: Cannot connect to {url} (")
        assert f". The endpoint {url} is from profile 'lab' in ~/config.toml. The app stays on " in text
        assert ". ." not in text
        assert isinstance(ui.app.screen, ProfileScreen)
        assert ui.app.sub_title == before


async def test_a_profile_whose_endpoint_is_no_url_is_listed_and_refused(start: Start, tmp_path: Path) -> None:
    places = WithStopped(tmp_path)
    places.config.write_text(places.config.read_text() + '\n[profiles.bad]\nendpoint = "http://[::1"\n')
    async with start(**app_options(places)) as ui:
        await ui.press("p")
        assert any("bad" in line and "http://[::1" in line for line in screen_lines(ui))
        await ui.pilot.press(*"bad")
        await ui.press("enter")
        await ui.wait_until(lambda: message(ui).startswith("Could not switch"), timeout=10)
        assert "The endpoint (from profile 'bad') 'http://[::1' is not a URL" in message(ui)
        assert isinstance(ui.app.screen, ProfileScreen)
