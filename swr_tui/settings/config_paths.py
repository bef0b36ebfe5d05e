"""Where config.toml lives, without loading the settings machinery.

Kept apart from ``config.py`` so that the demo can see there is no config file at all without
importing the parsers and credential readers it would not use (start-up time counts).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Optional

from platformdirs import user_config_dir

APP_NAME = "swr-tui"
CONFIG_FILE_NAME = "config.toml"


def config_path(environ: Mapping[str, str] = os.environ, home: Optional[Path] = None) -> Path:
    """``SWR_TUI_CONFIG``, else ``config.toml`` in platformdirs' user config dir for swr-tui.

    With an explicit ``home``, a config dir under the real home is moved under that home, so tests
    (and callers with another home) never read the real user's file.
    """
    home = Path.home() if home is None else Path(home)
    override = (environ.get("SWR_TUI_CONFIG") or "").strip()
    if override:
        return expand_path(override, home, base=None)
    directory = Path(user_config_dir(APP_NAME))
    with contextlib.suppress(ValueError):  # not under the real home: keep it as it is
        directory = home / directory.relative_to(Path.home())
    return directory / CONFIG_FILE_NAME


def expand_path(text: str, home: Path, base: Optional[Path]) -> Path:
    """``~`` means ``home``; a relative path is taken from ``base`` (the config file's folder) if given."""
    if text == "~" or text.startswith(("~/", "~\\")):
        path = home / text[2:] if len(text) > 1 else home
    else:
        path = Path(text)
    if base is not None and not path.is_absolute():
        path = base / path
    return path


def display_path(path: Path, home: Optional[Path] = None) -> str:
    """A path as messages show it: ``~/...`` under ``home`` (the user's by default), else whole."""
    home = Path.home() if home is None else Path(home)
    try:
        return "~/" + Path(path).relative_to(home).as_posix()
    except ValueError:
        return str(path)


# config.toml, SDK credentials files and KooCLI's config.json are a few KiB; anything this big is
# the wrong file (SWR_TUI_CONFIG=/dev/zero would otherwise be read until memory runs out).
MAX_SETTINGS_FILE_BYTES = 1024 * 1024


class SettingsFileTooLarge(OSError):
    """A settings or credentials file is over ``MAX_SETTINGS_FILE_BYTES``; ``strerror`` says so."""


def read_settings_file(path: Path) -> bytes:
    """The bytes of a small settings file; ``SettingsFileTooLarge`` past the cap (a device such as
    /dev/zero included), other ``OSError``s (missing, a directory, no permission) as ``open`` raises."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_SETTINGS_FILE_BYTES + 1)
    if len(data) > MAX_SETTINGS_FILE_BYTES:
        raise SettingsFileTooLarge(
            errno.EFBIG,
            f"it is larger than {MAX_SETTINGS_FILE_BYTES // (1024 * 1024)} MiB, so not a settings file",
        )
    return data


def read_settings_text(path: Path) -> str:
    """``read_settings_file`` as UTF-8 text with ``\\r\\n`` and ``\\r`` read as ``\\n`` (as ``open``
    does); ``UnicodeDecodeError`` if it is not UTF-8."""
    text = read_settings_file(path).decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")
