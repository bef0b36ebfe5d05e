"""swr_tui.settings.config_file and endpoints: the parts of config.toml read before any resolving."""

from __future__ import annotations

from pathlib import Path

import pytest

from swr_tui.settings.config_file import ConfigFile, parse_config
from swr_tui.settings.endpoints import direct_origins
from swr_tui.swr.errors import ConfigurationError

SHOWN = "~/.config/swr-tui/config.toml"


def parse(data: dict[str, object], tmp_path: Path) -> ConfigFile:
    return parse_config(data, tmp_path / "config.toml", SHOWN, tmp_path)


def test_keys_are_kept_as_written_for_the_action_registry(tmp_path: Path) -> None:
    config = parse({"keys": {"copy_path": "x", "quit": "q,ctrl+q"}}, tmp_path)
    assert dict(config.keys) == {"copy_path": "x", "quit": "q,ctrl+q"}
    assert dict(parse({}, tmp_path).keys) == {}


@pytest.mark.parametrize(
    ("keys", "message"),
    [("x", "keys must be a table"), ({"quit": 1}, r"\[keys\] quit must be a string of keys")],
)
def test_keys_of_the_wrong_shape_are_refused(tmp_path: Path, keys: object, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        parse({"keys": keys}, tmp_path)


def test_only_plain_http_to_loopback_bypasses_a_proxy() -> None:
    urls = ("http://127.0.0.1:8080", "https://localhost", "http://example.com", "http://[::1]:9", "http://[")
    assert direct_origins(urls) == ("http://127.0.0.1:8080", "http://[::1]:9")
