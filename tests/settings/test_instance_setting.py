"""The Enterprise Edition instance setting: ``--instance``, then ``SWR_TUI_INSTANCE``, then the
profile's ``instance`` key, each with its source; a key of the wrong type is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest

from swr_tui.settings.config_file import parse_config
from swr_tui.settings.model import CliOptions, Settings
from swr_tui.settings.resolve import resolve_settings
from swr_tui.swr.errors import ConfigurationError

TOKEN = {"SWR_TUI_TOKEN": "t0ken-for-the-test"}


def resolve(tmp_path: Path, env: dict[str, str], instance: Optional[str] = None) -> Settings:
    config = tmp_path / "config.toml"
    config.write_text('[profiles.ee]\nregion = "cn-north-4"\ninstance = " acme-prod "\n', encoding="utf-8")
    return resolve_settings(
        CliOptions(profile="ee", instance=instance), {**TOKEN, "SWR_TUI_CONFIG": str(config), **env}, tmp_path
    )


def test_the_flag_then_the_environment_then_the_profile(tmp_path: Path) -> None:
    profile = resolve(tmp_path, {})
    assert (profile.instance, profile.instance_source) == ("acme-prod", "instance in profile 'ee'")
    env = resolve(tmp_path, {"SWR_TUI_INSTANCE": "acme-next"})
    assert (env.instance, env.instance_source) == ("acme-next", "SWR_TUI_INSTANCE")
    flag = resolve(tmp_path, {"SWR_TUI_INSTANCE": "acme-next"}, instance="3c1d8e6a")
    assert (flag.instance, flag.instance_source) == ("3c1d8e6a", "--instance")
    blank = resolve(tmp_path, {"SWR_TUI_INSTANCE": "  "})  # blank is unset
    assert blank.instance == "acme-prod"


def test_no_instance_is_the_basic_edition(tmp_path: Path) -> None:
    settings = resolve_settings(CliOptions(region="cn-north-4"), dict(TOKEN), tmp_path)
    assert (settings.instance, settings.instance_source) == (None, "")


def test_an_instance_that_is_not_text_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="instance must be a string"):
        parse_config({"profiles": {"ee": {"instance": 5}}}, tmp_path / "config.toml", "config.toml", tmp_path)
