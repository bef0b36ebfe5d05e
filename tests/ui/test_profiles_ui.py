"""``p``: switch profile or region in the app, on fake registries (one per place)."""

from __future__ import annotations

import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_harness import plain
from pilot_support import poll_until
from textual.command import CommandPalette
from textual.widgets import Input, OptionList

from swr_tui.cli.clients import demo_client
from swr_tui.fake import DEMO_TOKEN, FakeRegistry
from swr_tui.fake.credentials import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_USER
from swr_tui.fake.outcome import Outcome
from swr_tui.fake.wire import FakeRequest
from swr_tui.settings.model import CliOptions, Settings
from swr_tui.settings.profiles import DemoSwitcher, ProfileSwitcher, header_label
from swr_tui.settings.resolve import build_client, resolve_settings
from swr_tui.swr.client import SwrClient
from swr_tui.swr.retry import RetryPolicy
from swr_tui.ui.screens.profiles import ProfileScreen
from swr_tui.ui.widgets.tag_table import TagTable

from .conftest import UI, Start

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

NORTH = "https://swr-api.north.ui-tests.invalid"
SOUTH = "https://swr-api.south.ui-tests.invalid"
BROKEN = "https://swr-api.broken.ui-tests.invalid"
AP = "https://swr-api.ap-southeast-1.myhuaweicloud.com"


class Places:
    """Fake registries by endpoint, and a switcher whose clients reach them in process."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.registries = {
            NORTH: FakeRegistry(seed=0, region="cn-north-4"),
            SOUTH: FakeRegistry(seed=0, region="cn-south-1"),
            AP: FakeRegistry(seed=0, region="ap-southeast-1"),
            BROKEN: FakeRegistry(seed=0, faults="namespaces:401"),
        }
        self.clients: list[SwrClient] = []
        self.config = home / "config.toml"
        self.config.write_text(
            f"""
default_profile = "north"

[profiles.north]
endpoint = "{NORTH}"
region = "cn-north-4"

[profiles.south]
endpoint = "{SOUTH}"
region = "cn-south-1"

[profiles.broken]
endpoint = "{BROKEN}"
""",
            encoding="utf-8",
        )
        self.environ = {"SWR_TUI_CONFIG": str(self.config), "SWR_TUI_TOKEN": DEMO_TOKEN}

    def client(self, settings: Settings) -> SwrClient:
        registry = self.registries[settings.endpoint]
        client = build_client(settings, transport=registry.transport(), retry=RetryPolicy(retries=0))
        self.clients.append(client)
        return client

    def switcher(self) -> ProfileSwitcher:
        settings = resolve_settings(CliOptions(), self.environ, self.home)
        return ProfileSwitcher(
            CliOptions(), settings, environ=self.environ, home=self.home, client_factory=self.client
        )


@pytest.fixture
def places(tmp_path: Path) -> Iterator[Places]:
    return Places(tmp_path)


def password_profile_switcher(places: Places, url: str) -> ProfileSwitcher:
    """A ``login`` profile on the registry served at ``url``, logging in with the demo user's
    password, and a switcher whose environment has no token (it would win over the profile's
    password login, as at start-up)."""
    places.config.write_text(
        places.config.read_text()
        + f"""
[profiles.login]
endpoint = "{url}"
iam_endpoint = "{url}"
region = "cn-north-4"
credentials = "password"
username = "{DEMO_USER}"
domain = "{DEMO_DOMAIN}"
"""
    )
    switcher = places.switcher()
    switcher.environ = {"SWR_TUI_CONFIG": str(places.config)}
    return switcher


def app_options(places: Places) -> dict[str, Any]:
    switcher = places.switcher()
    return {
        "client": places.client(switcher.current),
        "switcher": switcher,
        "label": switcher.label,
        "repository": "acme/webapp",
    }


def screen_lines(ui: UI) -> list[str]:
    option_list = ui.app.screen.query_one("#profiles-options", OptionList)
    return [plain(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]


def message(ui: UI) -> str:
    return " ".join(plain(ui.app.screen.query_one("#profiles-message").content).split())


async def open_and_choose(ui: UI, needle: str) -> None:
    await ui.press("p")
    assert isinstance(ui.app.screen, ProfileScreen)
    await ui.pilot.press(*needle)
    await ui.press("enter")


async def test_p_lists_profiles_and_regions_with_the_current_marked(start: Start, places: Places) -> None:
    async with start(**app_options(places)) as ui:
        assert ui.app.sub_title.startswith("profile north · swr-api.north.ui-tests.invalid")
        await ui.press("p")
        assert isinstance(ui.app.screen, ProfileScreen)
        lines = screen_lines(ui)
        assert lines[0] == "Profiles · ~/config.toml"  # the tests' home is the config's folder
        profiles = lines[1:4]
        assert profiles[0].startswith("  broken")
        assert profiles[1].startswith("● north")
        assert profiles[1].split()[:3] == ["●", "north", "default"]
        assert profiles[2].startswith("  south")
        assert "Regions" in lines
        assert any(line.startswith("  cn-south-1") for line in lines)
        # The current profile is highlighted first; typing narrows both lists.
        assert ui.app.screen.highlighted.name == "north"
        await ui.pilot.press(*"southeast-3")
        await ui.settle()
        assert [line.split()[0] for line in screen_lines(ui) if line.startswith("  ")] == [
            "none",
            "ap-southeast-3",
        ]
        await ui.press("escape")
        assert not isinstance(ui.app.screen, ProfileScreen)
        assert ui.app.table.query.full_name == "acme/webapp"


async def test_switching_profile_moves_everything_and_keeps_the_repository(
    start: Start, places: Places
) -> None:
    async with start(**app_options(places)) as ui:
        old_client = ui.app.client
        await ui.press("space")  # a mark belongs to the old registry
        assert ui.app.marked is not None
        await open_and_choose(ui, "south")
        await ui.settle()
        assert not isinstance(ui.app.screen, ProfileScreen)
        assert (
            ui.app.sub_title
            == "profile south · swr-api.south.ui-tests.invalid · token from environment (SWR_TUI_TOKEN)"
        )
        assert ui.app.client is not old_client
        assert old_client._http.is_closed  # type: ignore[attr-defined]
        assert ui.app.marked is None
        south = places.registries[SOUTH]
        assert south.count("namespaces") == 1  # listed once, by the screen's check, and reused
        assert ui.app.table.query.full_name == "acme/webapp"
        assert isinstance(ui.app.focused, TagTable)
        assert ui.facts()["Pull"].startswith("swr.cn-south-1.myhuaweicloud.com/acme/webapp:")
        assert ui.cursor_repository() == "acme/webapp"
        assert any(note.title == "Switched" for note in ui.notes)
        # The next p starts from south.
        await ui.press("p")
        assert ui.app.screen.highlighted.name == "south"


async def test_switching_region_keeps_the_profile(start: Start, places: Places) -> None:
    async with start(**app_options(places)) as ui:
        await open_and_choose(ui, "ap-southeast-1")
        await ui.settle()
        assert ui.app.sub_title.startswith("profile north · ap-southeast-1 · token")
        assert places.registries[AP].count("namespaces") == 1
        assert ui.facts()["Pull"].startswith("swr.ap-southeast-1.myhuaweicloud.com/")


async def test_a_failed_switch_keeps_the_app_where_it_was(start: Start, places: Places) -> None:
    async with start(**app_options(places)) as ui:
        before_client, before_title = ui.app.client, ui.app.sub_title
        await open_and_choose(ui, "broken")
        await ui.settle()
        assert isinstance(ui.app.screen, ProfileScreen)
        text = message(ui)
        assert text.startswith(
            "Could not switch: Authentication failed: the registry refused the credentials."
        )
        assert text.endswith("The app stays on " + before_title + ".")
        assert DEMO_TOKEN not in text
        assert places.clients[-1]._http.is_closed  # type: ignore[attr-defined]
        await ui.press("escape")
        assert ui.app.client is before_client
        assert ui.app.sub_title == before_title
        north = places.registries[NORTH]
        before = north.count("tags")
        await ui.press("r")
        assert north.count("tags") > before  # still working on north
        assert ui.status.startswith("acme/webapp · row 1 of")


async def test_an_unreachable_profile_is_explained_and_retrying_works(start: Start, places: Places) -> None:
    places.config.write_text(places.config.read_text() + '\n[profiles.typo]\nregion = "cn-nowhere-9"\n')
    async with start(**app_options(places)) as ui:
        await open_and_choose(ui, "typo")
        await ui.settle()
        assert isinstance(ui.app.screen, ProfileScreen)
        assert message(ui).startswith("Could not switch:")
        # Choosing a working one afterwards still switches.
        filter_input = ui.app.screen.query_one("#profiles-filter", Input)
        filter_input.value = ""
        await ui.pilot.press(*"south")
        await ui.press("enter")
        await ui.settle()
        assert ui.app.sub_title.startswith("profile south")


async def test_saving_the_connection_as_a_profile(start: Start, places: Places) -> None:
    places.config.unlink()
    places.environ["SWR_TUI_CONFIG"] = str(places.home / "fresh" / "swr-tui" / "config.toml")
    switcher = ProfileSwitcher(
        CliOptions(region="cn-south-1"),
        resolve_settings(CliOptions(region="cn-south-1"), places.environ, places.home),
        environ=places.environ,
        home=places.home,
        client_factory=places.client,
    )
    places.registries["https://swr-api.cn-south-1.myhuaweicloud.com"] = places.registries[SOUTH]
    async with start(client=places.client(switcher.current), switcher=switcher, label=switcher.label) as ui:
        await ui.press("p")
        assert "none yet" in "\n".join(screen_lines(ui))
        await ui.press("ctrl+s")
        prompt = ui.app.screen.query_one("#profiles-prompt", Input)
        assert ui.app.focused is prompt
        await ui.pilot.press(*"bad name")
        await ui.press("enter")
        assert "is not usable" in message(ui)
        prompt.value = ""
        await ui.pilot.press(*"south-prod")
        await ui.press("ctrl+d")  # save and make it the default
        path = places.home / "fresh" / "swr-tui" / "config.toml"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        data = tomllib.loads(path.read_text())
        saved = {"region": "cn-south-1", "credentials": "token"}  # the source in use: SWR_TUI_TOKEN
        assert data == {"default_profile": "south-prod", "profiles": {"south-prod": saved}}
        assert "Saved profile south-prod as the default" in message(ui)
        assert any(line.split()[:2] == ["south-prod", "default"] for line in screen_lines(ui))


async def test_a_password_profile_asks_for_the_password_in_the_app(start: Start, places: Places) -> None:
    served = FakeRegistry(seed=0)
    with served.serve() as server:
        switcher = password_profile_switcher(places, server.url)
        switcher.client_factory = lambda settings: (
            build_client(settings) if settings.endpoint == server.url else places.client(settings)
        )
        async with start(
            client=places.client(switcher.current), switcher=switcher, label=switcher.label
        ) as ui:
            await open_and_choose(ui, "login")
            await ui.settle()
            prompt = ui.app.screen.query_one("#profiles-prompt", Input)
            assert prompt.password
            assert ui.app.focused is prompt
            assert "IAM password for user demo-user of account acme-corp" in message(ui)
            await ui.pilot.press(*DEMO_PASSWORD)
            await ui.press("enter")
            await ui.wait_until(lambda: not isinstance(ui.app.screen, ProfileScreen), timeout=10)
            host = server.url.split("//", 1)[1]
            assert ui.app.sub_title == (
                f"profile login · {host} · IAM login as 'demo-user' of account 'acme-corp' "
                "(password typed at the prompt)"
            )
            assert DEMO_PASSWORD not in ui.app.sub_title
            assert ui.app.sub_title.count("password") == 1  # said once, not three times
            assert served.count("namespaces") == 1
            assert not any(DEMO_PASSWORD in note.message for note in ui.notes)


async def test_the_demo_switches_region(start: Start) -> None:
    switcher = DemoSwitcher("cn-north-4", lambda region: demo_client(region=region))
    async with start(switcher=switcher, label=switcher.label, repository="acme/webapp") as ui:
        await open_and_choose(ui, "cn-south-1")
        await ui.settle()
        assert ui.app.sub_title == "demo · cn-south-1"
        assert ui.facts()["Pull"].startswith("swr.cn-south-1.myhuaweicloud.com/acme/webapp:")
        await ui.press("p")
        assert "  none: the demo switches regions only" in screen_lines(ui)
        assert (
            plain(ui.app.screen.query_one("#profiles-hint").content)
            == "enter switch · type to narrow · esc close"
        )
        await ui.press("ctrl+s")
        assert "demo is not saved" in message(ui)


async def test_without_a_switcher_p_says_why(start: Start) -> None:
    async with start() as ui:
        await ui.press("p")
        assert not isinstance(ui.app.screen, ProfileScreen)
        assert ui.notes[-1].message == "Switching needs a registry connection"


def test_header_label_matches_the_cli() -> None:
    settings = resolve_settings(CliOptions(endpoint=NORTH), {"SWR_TUI_TOKEN": "x"}, Path("/nonexistent"))
    assert header_label(settings) == "swr-api.north.ui-tests.invalid · token from environment (SWR_TUI_TOKEN)"


async def test_a_refused_password_is_asked_for_again_never_resent(start: Start, places: Places) -> None:
    served = FakeRegistry(seed=0)
    with served.serve() as server:
        switcher = password_profile_switcher(places, server.url)
        switcher.client_factory = lambda settings: build_client(settings, retry=RetryPolicy(retries=0))
        async with start(
            client=places.client(switcher.current), switcher=switcher, label=switcher.label
        ) as ui:
            await open_and_choose(ui, "login")
            await ui.pilot.press(*"wrong-password")
            await ui.press("enter")
            await ui.wait_until(lambda: message(ui).startswith("Could not switch"), timeout=10)
            assert served.count("iam") == 1
            assert "wrong-password" not in message(ui)
            # Choosing it again asks again: the refused password is not sent a second time.
            await ui.press("enter")
            prompt = ui.app.screen.query_one("#profiles-prompt", Input)
            assert ui.app.focused is prompt
            assert prompt.password
            assert served.count("iam") == 1
            await ui.pilot.press(*DEMO_PASSWORD)
            await ui.press("enter")
            await ui.wait_until(lambda: not isinstance(ui.app.screen, ProfileScreen), timeout=10)
            assert served.count("iam") == 2
            assert ui.app.sub_title.startswith("profile login")


async def test_escape_while_connecting_closes_the_new_client_and_stays(start: Start, places: Places) -> None:
    # The new place never answers (the transport sleeps, so the cancelled request ends at once):
    # escape finds it connecting however long a loaded machine takes to press it.
    places.registries[SOUTH] = FakeRegistry(seed=0, region="cn-south-1", latency_ms=600_000)
    async with start(**app_options(places)) as ui:
        before = ui.app.client
        ui.unawaited_groups.add("connect")
        await ui.press("p")
        await ui.pilot.press(*"south", "enter")
        await ui.wait_until(lambda: "Connecting to profile south" in message(ui))
        candidate = places.clients[-1]
        assert not candidate._http.is_closed  # type: ignore[attr-defined]
        await ui.press("escape")
        await ui.wait_until(lambda: candidate._http.is_closed)  # type: ignore[attr-defined]
        assert not isinstance(ui.app.screen, ProfileScreen)
        assert ui.app.client is before
        assert ui.app.sub_title.startswith("profile north")
        assert ui.app.table.query.full_name == "acme/webapp"


async def test_a_palette_opened_while_connecting_does_not_strand_the_screen(
    start: Start, places: Places
) -> None:
    # The new place answers once the palette is open, not after a delay a loaded machine could
    # outlast between enter and ctrl+p (the palette would then open over the new browser).
    south = places.registries[SOUTH]
    palette_open = threading.Event()
    answer = south.handle

    def held(request: FakeRequest) -> Outcome:
        palette_open.wait(10)
        return answer(request)

    south.handle = held  # type: ignore[method-assign]
    async with start(**app_options(places)) as ui:
        await ui.press("p")
        try:
            await ui.pilot.press(*"south", "enter")
            await ui.pilot.press("ctrl+p")
            await poll_until(ui.pilot, lambda: isinstance(ui.app.screen, CommandPalette), 10)
            assert south.count("namespaces") == 0  # still connecting
        finally:
            palette_open.set()
        await ui.wait_until(lambda: ui.app.sub_title.startswith("profile south"), timeout=10)
        assert len(ui.app.screen_stack) == 1
        assert not isinstance(ui.app.screen, (ProfileScreen, CommandPalette))


async def test_a_repository_missing_in_the_new_place_is_said_and_the_tree_shown(
    start: Start, places: Places
) -> None:
    places.registries[SOUTH] = FakeRegistry(seed=1, region="cn-south-1")  # other acme-dev repositories
    options = {**app_options(places), "repository": "acme-dev/analytics-consumer"}
    async with start(**options) as ui:
        assert ui.app.table.query.full_name == "acme-dev/analytics-consumer"
        await open_and_choose(ui, "south")
        await ui.settle()
        assert ui.app.table.query is None
        assert ui.notes[-1].message.startswith("acme-dev/analytics-consumer is not in profile south")
        assert ui.app.focused is ui.app.catalog


async def test_a_repository_beyond_the_first_page_is_reopened(start: Start, places: Places) -> None:
    deep = sorted(repo.name for repo in places.registries[SOUTH].dataset.repositories_in("acme-dev"))[-1]
    async with start(**{**app_options(places), "repository": f"acme-dev/{deep}"}) as ui:
        await open_and_choose(ui, "south")
        await ui.settle()
        assert ui.app.table.query.full_name == f"acme-dev/{deep}"
        assert ui.facts()["Pull"].startswith(f"swr.cn-south-1.myhuaweicloud.com/acme-dev/{deep}:")


async def test_insecure_profiles_and_warnings_are_shown(start: Start, places: Places) -> None:
    # No endpoint: it follows the region's pattern, with a warning that the region is unknown.
    places.registries["https://swr-api.cn-nowhere-9.myhuaweicloud.com"] = FakeRegistry(seed=0)
    places.config.write_text(
        places.config.read_text() + '\n[profiles.lan]\ninsecure = true\nregion = "cn-nowhere-9"\n'
    )
    async with start(**app_options(places)) as ui:
        await open_and_choose(ui, "lan")
        await ui.settle()
        assert ui.app.sub_title.startswith(
            "⚠ TLS NOT VERIFIED (--insecure) · profile lan · cn-nowhere-9 · token"
        )
        assert ui.app.insecure
        warnings = [note.message for note in ui.notes if note.title == "Warning"]
        assert warnings == [
            "Region 'cn-nowhere-9' is not one swr-tui knows; assuming its endpoint follows the usual "
            "pattern. Check the spelling if it cannot connect"
        ]


async def test_back_to_a_profile_after_switching_its_region(start: Start, places: Places) -> None:
    async with start(**app_options(places)) as ui:
        await open_and_choose(ui, "ap-southeast-1")
        await ui.settle()
        assert ui.app.sub_title.startswith("profile north · ap-southeast-1")
        await ui.press("p")
        north = next(choice for choice in ui.app.screen.profile_choices if choice.name == "north")
        assert not north.current
        await ui.pilot.press(*"north")
        await ui.press("enter")
        await ui.settle()
        assert ui.app.sub_title.startswith("profile north · swr-api.north.ui-tests.invalid")
        await ui.press("p")
        await ui.pilot.press(*"north")
        await ui.press("enter")
        assert message(ui) == "Already connected there. Esc closes."


async def test_saving_over_an_existing_profile_asks_first_and_ctrl_d_sets_the_default(
    start: Start, places: Places
) -> None:
    places.config.write_text(
        places.config.read_text().replace("[profiles.south]", "[profiles.south]\n# keep me")
    )
    async with start(**app_options(places)) as ui:
        await ui.press("p")
        await ui.press("ctrl+s")
        prompt = ui.app.screen.query_one("#profiles-prompt", Input)
        assert prompt.value == ""  # never pre-filled with a name that would be overwritten
        await ui.pilot.press(*"south")
        await ui.press("enter")
        assert message(ui).startswith("Profile south exists: press the same key again")
        assert tomllib.loads(places.config.read_text())["profiles"]["south"]["endpoint"] == SOUTH
        await ui.press("enter")
        data = tomllib.loads(places.config.read_text())
        assert data["profiles"]["south"]["endpoint"] == NORTH
        assert "# keep me" in places.config.read_text()
        assert message(ui).startswith("Saved profile south in ")
        # ctrl+d on a highlighted profile makes it the default.
        await ui.pilot.press(*"broken")
        await ui.settle()
        assert ui.app.screen.highlighted.name == "broken"
        await ui.press("ctrl+d")
        assert tomllib.loads(places.config.read_text())["default_profile"] == "broken"
        assert message(ui) == "broken is now the default profile in ~/config.toml."
        assert any(line.split()[:2] == ["broken", "default"] for line in screen_lines(ui))


async def test_a_broken_config_is_explained_and_fixing_it_is_enough(start: Start, places: Places) -> None:
    async with start(**app_options(places)) as ui:
        good = places.config.read_text()
        places.config.write_text("[profiles.x\n")
        await ui.press("p")
        assert message(ui).startswith("Config file ~/config.toml is not valid TOML: Expected ']'")
        assert "none yet" in "\n".join(screen_lines(ui))
        await ui.pilot.press(*"ap-southeast-1")
        await ui.press("enter")
        assert message(ui).startswith("Could not switch: Config file ~/config.toml is not valid TOML")
        assert ui.app.sub_title.startswith("profile north · swr-api.north")
        places.config.write_text(good)  # fixed while the app runs: no restart needed
        await ui.press("enter")
        await ui.settle()
        assert ui.app.sub_title.startswith("profile north · ap-southeast-1")


async def test_the_start_up_endpoint_variable_does_not_pin_every_switch(start: Start, places: Places) -> None:
    places.environ["SWR_TUI_ENDPOINT"] = NORTH
    async with start(**app_options(places)) as ui:
        await open_and_choose(ui, "south")
        await ui.settle()
        assert places.registries[SOUTH].count("namespaces") == 1
        assert ui.app.sub_title.startswith("profile south · swr-api.south")


async def test_a_hostile_profile_name_is_shown_escaped(start: Start, places: Places) -> None:
    places.config.write_text(
        places.config.read_text() + f'\n[profiles."ev\\u001b]0;PWNED\\u0007[b]il"]\nendpoint = "{SOUTH}"\n'
    )
    async with start(**app_options(places)) as ui:
        await ui.press("p")
        lines = "\n".join(screen_lines(ui))
        assert "\x1b" not in lines
        assert "\x07" not in lines
        assert "[b]il" in lines  # shown as text, never read as markup
        await ui.pilot.press(*"PWNED")
        await ui.press("enter")
        await ui.settle()
        assert "\x1b" not in ui.app.sub_title
        assert "\x07" not in ui.app.sub_title
        assert "PWNED" in ui.app.sub_title


async def test_saving_into_a_folder_others_can_write_warns(start: Start, places: Places) -> None:
    places.home.chmod(0o777)
    try:
        async with start(**app_options(places)) as ui:
            await ui.press("p", "ctrl+s")
            await ui.pilot.press(*"copy")
            await ui.press("enter")
            text = message(ui)
            assert text.startswith("Saved profile copy in ~/config.toml (mode 0600). ⚠ ")
            assert "is writable by other users (mode 777)" in text
            assert "chmod 700" in text
    finally:
        places.home.chmod(0o700)
