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


def test_cache_and_ui_tables_are_read(tmp_path: Path) -> None:
    config = parse({"cache": {"max_mb": 50}, "ui": {"platform": "linux/arm64/v8"}}, tmp_path)
    assert (config.cache_max_mb, config.ui_platform) == (50, "linux/arm64/v8")
    empty = parse({"cache": {}, "ui": {}}, tmp_path)
    assert (empty.cache_max_mb, empty.ui_platform) == (None, None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"cache": 5}, r"cache must be a table, written \[cache\]"),
        (
            {"cache": {"max_mb": -1}},
            r"In ~/.config/swr-tui/config.toml: \[cache\] max_mb must be a whole number",
        ),
        ({"cache": {"max_mb": 1.5}}, r"\[cache\] max_mb must be a whole number"),
        ({"cache": {"max_mb": True}}, r"\[cache\] max_mb must be a whole number"),
        ({"cache": {"size": 5}}, r"unknown key 'size' in \[cache\]. Known keys: max_mb"),
        ({"ui": "x"}, r"ui must be a table, written \[ui\]"),
        ({"ui": {"platform": "amd64"}}, r"\[ui\] platform must be os/architecture\[/variant\]"),
        ({"ui": {"platform": 7}}, r"\[ui\] platform must be os/architecture"),
        ({"ui": {"theme": "dark"}}, r"unknown key 'theme' in \[ui\]. Known keys: platform"),
    ],
)
def test_bad_cache_and_ui_tables_are_refused(tmp_path: Path, data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        parse(data, tmp_path)
