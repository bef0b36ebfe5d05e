"""Switching profile or region (settings.profiles) and saving profiles (settings.config_writer).

Connections are checked against fake registries served over loopback, one per "region".
"""

from __future__ import annotations

import asyncio
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import pytest

from swr_tui.fake import DEMO_TOKEN, FakeRegistry
from swr_tui.settings.config_file import load_profiles
from swr_tui.settings.config_writer import save_profile, set_default_profile
from swr_tui.settings.model import CliOptions
from swr_tui.settings.profiles import DemoSwitcher, PasswordNeeded, ProfileSwitcher, header_label
from swr_tui.settings.resolve import build_client, resolve_settings
from swr_tui.swr.errors import ConfigurationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@pytest.fixture
def two_regions() -> Iterator[dict[str, Any]]:
    """A fake registry per region, served over loopback: the URLs go into config.toml profiles."""
    north = FakeRegistry(seed=0, region="cn-north-4")
    south = FakeRegistry(seed=0, region="cn-south-1")
    with north.serve() as north_server, south.serve() as south_server:
        yield {
            "north": (north, north_server.url),
            "south": (south, south_server.url),
        }


# A profile that logs in as alice@acme with a password (asked for, or from SWR_TUI_PASSWORD).
LOGIN_PROFILE = """[profiles.login]
region = "cn-north-4"
credentials = "password"
username = "alice"
domain = "acme"
"""


def write_config(home: Path, text: str) -> Path:
    path = home / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def switcher_for(
    home: Path, environ: dict[str, str], options: Optional[CliOptions] = None
) -> ProfileSwitcher:
    options = options or CliOptions()
    settings = resolve_settings(options, environ, home)
    return ProfileSwitcher(options, settings, environ=environ, home=home)


def base_env(home: Path) -> dict[str, str]:
    return {"SWR_TUI_CONFIG": str(home / "config.toml"), "SWR_TUI_TOKEN": DEMO_TOKEN}


def config_with_two_profiles(home: Path, regions: dict[str, Any]) -> Path:
    return write_config(
        home,
        f"""
default_profile = "north"

[profiles.north]
endpoint = "{regions["north"][1]}"
region = "cn-north-4"

[profiles.south]
endpoint = "{regions["south"][1]}"
region = "cn-south-1"
""",
    )


def test_lists_the_profiles_with_the_current_and_default_marked(tmp_path: Path, two_regions: dict) -> None:
    config_with_two_profiles(tmp_path, two_regions)
    switcher = switcher_for(tmp_path, base_env(tmp_path))
    choices = {choice.name: choice for choice in switcher.profiles()}
    assert set(choices) == {"north", "south"}
    assert choices["north"].current
    assert choices["north"].default
    assert not choices["south"].current
    assert not choices["south"].default
    assert choices["south"].summary.startswith("cn-south-1 via 127.0.0.1:")
    assert switcher.label.startswith("profile north · 127.0.0.1:")
    regions = switcher.regions()
    assert len(regions) == 35
    assert [r.region for r in regions if r.current] == ["cn-north-4"]
    assert (
        next(r for r in regions if r.region == "eu-west-101").host == "swr-api.eu-west-101.myhuaweicloud.eu"
    )


def test_connecting_to_another_profile_reaches_its_registry(tmp_path: Path, two_regions: dict) -> None:
    config_with_two_profiles(tmp_path, two_regions)
    switcher = switcher_for(tmp_path, base_env(tmp_path))
    connection = switcher.connect_profile("south")
    assert connection.profile == "south"
    assert connection.region == "cn-south-1"
    assert connection.label.startswith("profile south")
    assert connection.label.endswith("token from environment (SWR_TUI_TOKEN)")

    async def pull_host() -> str:
        try:
            page = await connection.client.list_tags("acme", "webapp", limit=1)
        finally:
            await connection.client.aclose()
        return page.items[0].path.split("/")[0]

    assert asyncio.run(pull_host()) == "swr.cn-south-1.myhuaweicloud.com"
    assert two_regions["south"][0].count("tags") == 1
    assert two_regions["north"][0].count("tags") == 0
    # Not accepted yet: the switcher still starts from north.
    assert next(c for c in switcher.profiles() if c.current).name == "north"
    switcher.accept(connection)
    assert next(c for c in switcher.profiles() if c.current).name == "south"


def test_the_in_app_choice_beats_the_start_up_region_and_endpoint(tmp_path: Path, two_regions: dict) -> None:
    config_with_two_profiles(tmp_path, two_regions)
    environ = {**base_env(tmp_path), "SWR_TUI_REGION": "cn-east-3", "SWR_TUI_PROFILE": "north"}
    switcher = switcher_for(tmp_path, environ, CliOptions(endpoint=two_regions["north"][1]))
    connection = switcher.connect_profile("south")
    asyncio.run(connection.client.aclose())
    assert connection.settings is not None
    assert connection.settings.endpoint == two_regions["south"][1]
    assert connection.region == "cn-south-1"


def test_switching_region_keeps_the_profile_and_uses_the_regions_endpoint(
    tmp_path: Path, two_regions: dict
) -> None:
    config_with_two_profiles(tmp_path, two_regions)
    switcher = switcher_for(tmp_path, base_env(tmp_path))
    connection = switcher.connect_region("ap-southeast-1")
    asyncio.run(connection.client.aclose())
    assert connection.settings is not None
    assert connection.settings.profile == "north"
    assert connection.settings.endpoint == "https://swr-api.ap-southeast-1.myhuaweicloud.com"
    assert connection.label.startswith("profile north · ap-southeast-1")


def test_a_region_flag_beats_the_profiles_endpoint_at_start_up_too(tmp_path: Path, two_regions: dict) -> None:
    config_with_two_profiles(tmp_path, two_regions)
    settings = resolve_settings(CliOptions(region="cn-east-3"), base_env(tmp_path), tmp_path)
    assert settings.endpoint == "https://swr-api.cn-east-3.myhuaweicloud.com"
    settings = resolve_settings(CliOptions(), base_env(tmp_path), tmp_path)
    assert settings.endpoint == two_regions["north"][1]


def test_an_unknown_profile_is_a_clear_error(tmp_path: Path, two_regions: dict) -> None:
    config_with_two_profiles(tmp_path, two_regions)
    switcher = switcher_for(tmp_path, base_env(tmp_path))
    (tmp_path / "config.toml").write_text('[profiles.other]\nregion = "cn-north-4"\n')
    with pytest.raises(ConfigurationError, match=r"Profile 'south' .* not found: .* has 'other'"):
        switcher.connect_profile("south")


def test_a_password_profile_asks_once_and_the_password_is_remembered(tmp_path: Path) -> None:
    write_config(tmp_path, LOGIN_PROFILE + '\n[profiles.tok]\nregion = "cn-north-4"\n')
    environ = {"SWR_TUI_CONFIG": str(tmp_path / "config.toml"), "SWR_TUI_TOKEN": DEMO_TOKEN}
    switcher = switcher_for(tmp_path, environ, CliOptions(profile="tok"))
    environ_without_token = {"SWR_TUI_CONFIG": str(tmp_path / "config.toml")}
    switcher.environ = environ_without_token
    with pytest.raises(PasswordNeeded) as asked:
        switcher.connect_profile("login")
    assert asked.value.prompt == "IAM password for user alice of account acme: "
    connection = switcher.connect_profile("login", password="s3cret-Pa55")
    assert connection.settings is not None
    assert connection.settings.credentials.kind == "password"
    assert "s3cret-Pa55" not in repr(connection)
    assert "s3cret-Pa55" not in connection.label
    asyncio.run(connection.client.aclose())
    switcher.accept(connection)
    again = switcher.connect_region("cn-south-1")  # same user: no second question
    assert again.settings is not None
    assert again.settings.region == "cn-south-1"
    asyncio.run(again.client.aclose())


def test_saving_creates_a_private_file_in_a_private_directory(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "swr-tui" / "config.toml"
    environ = {"SWR_TUI_CONFIG": str(path), "SWR_TUI_TOKEN": DEMO_TOKEN}
    switcher = switcher_for(tmp_path, environ, CliOptions(region="cn-south-1"))
    shown = switcher.save_current("south", make_default=True)
    assert shown == "~/deep/swr-tui/config.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    data = tomllib.loads(path.read_text())
    assert data == {
        "default_profile": "south",
        "profiles": {"south": {"region": "cn-south-1", "credentials": "token"}},
    }
    assert DEMO_TOKEN not in path.read_text()
    # What was saved resolves to the same place.
    assert load_profiles(environ, tmp_path).get("south") is not None
    settings = resolve_settings(CliOptions(), environ, tmp_path)
    assert (settings.profile, settings.region) == ("south", "cn-south-1")


def test_saving_keeps_comments_and_other_tables(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        '# mine\n[watch]\ninterval = 10  # seconds\n\n[profiles.dev]\n# dev box\nregion = "cn-east-3"\n',
    )
    os.chmod(path, 0o644)
    save_profile(path, "prod", {"region": "cn-north-4", "insecure": None, "timeout": 12.5})
    text = path.read_text()
    assert "# mine" in text
    assert "interval = 10  # seconds" in text
    assert "# dev box" in text
    assert tomllib.loads(text)["profiles"]["prod"] == {"region": "cn-north-4", "timeout": 12.5}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # tightened on the way
    set_default_profile(path, "dev")
    data = tomllib.loads(path.read_text())
    assert data["default_profile"] == "dev"
    assert text.splitlines()[0] == path.read_text().splitlines()[0] == "# mine"
    set_default_profile(path, "prod")
    assert tomllib.loads(path.read_text())["default_profile"] == "prod"
    assert path.read_text().count("default_profile") == 1


@pytest.mark.parametrize("name", ["", "has space", "a]b", "ünï", "x\ny"])
def test_unusable_profile_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigurationError, match="is not usable"):
        save_profile(tmp_path / "c.toml", name, {"region": "cn-north-4"})
    assert not (tmp_path / "c.toml").exists()


def test_a_broken_file_is_not_overwritten(tmp_path: Path) -> None:
    path = write_config(tmp_path, "[profiles.x\nregion=")
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        save_profile(path, "y", {"region": "cn-north-4"})
    assert path.read_text() == "[profiles.x\nregion="


def test_saving_where_it_cannot_write_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")  # a path under a regular file fails for root too
    with pytest.raises(ConfigurationError, match=r"Cannot save .*not a folder"):
        save_profile(blocker / "config.toml", "p", {"region": "cn-north-4"})


def test_the_profile_values_hold_no_secret_and_name_the_source(tmp_path: Path, two_regions: dict) -> None:
    config_with_two_profiles(tmp_path, two_regions)
    environ = {**base_env(tmp_path), "HUAWEICLOUD_SDK_AK": "AKVALUE123", "HUAWEICLOUD_SDK_SK": "SKVALUE456"}
    switcher = switcher_for(tmp_path, environ)
    values = switcher.profile_values()
    assert values["endpoint"] == two_regions["north"][1]
    assert values["region"] == "cn-north-4"
    flat = repr(values)
    for secret in ("AKVALUE123", "SKVALUE456", DEMO_TOKEN):
        assert secret not in flat


def test_header_label_says_where_and_which_credentials() -> None:
    settings = resolve_settings(
        CliOptions(region="cn-north-4"), {"SWR_TUI_TOKEN": "tok"}, Path("/nonexistent")
    )
    assert header_label(settings) == "cn-north-4 · token from environment (SWR_TUI_TOKEN)"


def test_demo_switcher_moves_the_demo_between_regions() -> None:
    made: list[str] = []

    def make(region: str) -> Any:
        made.append(region)
        from swr_tui.cli.clients import demo_client

        return demo_client(region=region)

    switcher = DemoSwitcher("cn-north-4", make)
    assert switcher.profiles() == []
    assert not switcher.can_save
    assert [r.region for r in switcher.regions() if r.current] == ["cn-north-4"]
    connection = switcher.connect_region("cn-south-1")
    assert connection.label == "demo · cn-south-1"

    async def first_path() -> str:
        try:
            return (await connection.client.list_tags("acme", "webapp", limit=1)).items[0].path
        finally:
            await connection.client.aclose()

    assert asyncio.run(first_path()).startswith("swr.cn-south-1.myhuaweicloud.com/acme/webapp:")
    switcher.accept(connection)
    assert switcher.label == "demo · cn-south-1"
    with pytest.raises(ConfigurationError, match="demo"):
        switcher.save_current("x")


def test_built_clients_are_closed_by_their_user(tmp_path: Path, two_regions: dict) -> None:
    """The factory is injectable: the app's tests route each profile to its own fake."""
    config_with_two_profiles(tmp_path, two_regions)
    environ = base_env(tmp_path)
    built: list[str] = []

    def factory(settings: Any) -> Any:
        built.append(settings.endpoint)
        return build_client(settings)

    settings = resolve_settings(CliOptions(), environ, tmp_path)
    switcher = ProfileSwitcher(CliOptions(), settings, environ=environ, home=tmp_path, client_factory=factory)
    connection = switcher.connect_profile("south")
    asyncio.run(connection.client.aclose())
    assert built == [two_regions["south"][1]]


def test_one_off_flags_are_not_saved_but_the_profiles_own_settings_are(tmp_path: Path) -> None:
    write_config(tmp_path, LOGIN_PROFILE + 'project_id = "p-123"\ntimeout = 45\n')
    environ = {"SWR_TUI_CONFIG": str(tmp_path / "config.toml"), "SWR_TUI_PASSWORD": "pw-not-saved"}
    options = CliOptions(profile="login", insecure=True, timeout=99.0, ca_bundle=str(tmp_path / "ca.pem"))
    switcher = switcher_for(tmp_path, environ, options)
    values = switcher.profile_values()
    assert values == {
        "region": "cn-north-4",
        "credentials": "password",
        "username": "alice",
        "domain": "acme",
        "project_id": "p-123",
        "timeout": 45.0,
    }


def test_a_password_given_at_start_up_is_reused_for_the_same_user(tmp_path: Path) -> None:
    write_config(tmp_path, LOGIN_PROFILE)
    environ = {"SWR_TUI_CONFIG": str(tmp_path / "config.toml")}
    settings = resolve_settings(
        CliOptions(profile="login"), environ, tmp_path, prompt_password=lambda _: "typed"
    )
    switcher = ProfileSwitcher(CliOptions(profile="login"), settings, environ=environ, home=tmp_path)
    connection = switcher.connect_region("cn-south-1")  # no PasswordNeeded: remembered from start-up
    assert connection.settings is not None
    assert connection.settings.credentials.password == "typed"
    asyncio.run(connection.client.aclose())
    switcher.forget_password()  # e.g. IAM refused it
    with pytest.raises(PasswordNeeded):
        switcher.connect_region("cn-south-1")


def test_a_typed_password_is_remembered_only_once_accepted(tmp_path: Path) -> None:
    write_config(tmp_path, LOGIN_PROFILE)
    environ = {"SWR_TUI_CONFIG": str(tmp_path / "config.toml"), "SWR_TUI_TOKEN": DEMO_TOKEN}
    switcher = switcher_for(tmp_path, environ, CliOptions(region="cn-north-4"))
    switcher.environ = {"SWR_TUI_CONFIG": str(tmp_path / "config.toml")}
    connection = switcher.connect_profile("login", password="first-try")
    asyncio.run(connection.client.aclose())
    with pytest.raises(PasswordNeeded):  # not accepted: not remembered
        switcher.connect_profile("login")
    connection = switcher.connect_profile("login", password="second-try")
    switcher.accept(connection)
    asyncio.run(connection.client.aclose())
    again = switcher.connect_region("cn-south-1")
    assert again.settings is not None
    assert again.settings.credentials.password == "second-try"
    assert "second-try" not in repr(again)
    asyncio.run(again.client.aclose())


def test_saving_writes_the_credential_source_in_use_and_numbers_as_written(tmp_path: Path) -> None:
    """The profile said "env"; the keys in use were AK/SK from the environment: that is saved."""
    path = write_config(tmp_path, '[profiles.p]\nregion = "cn-north-4"\ncredentials = "env"\ntimeout = 10\n')
    environ = {
        "SWR_TUI_CONFIG": str(path),
        "HUAWEICLOUD_SDK_AK": "AKVALUE123",
        "HUAWEICLOUD_SDK_SK": "SKVALUE456",
    }
    switcher = switcher_for(tmp_path, environ, CliOptions(profile="p"))
    assert switcher.label == "profile p · cn-north-4 · aksk from environment (HUAWEICLOUD_SDK_AK/SK)"
    switcher.save_current("copy")
    text = path.read_text()
    copy = text[text.index("[profiles.copy]") :]
    assert 'credentials = "aksk"' in copy
    assert "timeout = 10\n" in copy
    assert "SKVALUE456" not in text
    saved = resolve_settings(CliOptions(profile="copy"), environ, tmp_path)
    assert (saved.credentials.kind, saved.timeout) == ("aksk", 10.0)
