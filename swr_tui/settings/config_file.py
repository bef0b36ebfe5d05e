"""config.toml, parsed: profiles, [watch], [commands.NAME], [keys], [registry], [cache] and [ui].
Secrets are refused here.

Nothing is resolved: a profile says where to connect and which credential source to use, and
``resolve`` decides what wins. A missing file is an empty config; a broken one a ConfigurationError.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from ..swr.errors import ConfigurationError
from .config_paths import config_path, display_path, expand_path, read_settings_file

if TYPE_CHECKING:
    from ..commands.model import ExternalCommand

CREDENTIAL_CHOICES = ("env", "token", "aksk", "password", "sdk", "terraform", "koocli")
PROFILE_KEYS = (
    "region",
    "endpoint",
    "iam_endpoint",
    "credentials",
    "credentials_file",
    "project_id",
    "username",
    "domain",
    "ca_bundle",
    "insecure",
    "timeout",
    "registry_endpoint",
    "instance",
)
# Keys that would hold a secret; config.toml is no place for them (normalised: lower case, "-" -> "_").
SECRET_KEYS = frozenset(
    {
        "ak",
        "sk",
        "access_key",
        "secret_key",
        "access_key_id",
        "secret_access_key",
        "accesskeyid",
        "secretaccesskey",
        "security_token",
        "securitytoken",
        "token",
        "auth_token",
        "password",
        "secret",
    }
)


@dataclass(frozen=True)
class Profile:
    """One ``[profiles.NAME]`` table of config.toml; paths are already made absolute."""

    name: str
    region: Optional[str] = None
    endpoint: Optional[str] = None
    iam_endpoint: Optional[str] = None
    credentials: Optional[str] = None
    credentials_file: Optional[str] = None
    project_id: Optional[str] = None
    username: Optional[str] = None
    domain: Optional[str] = None
    ca_bundle: Optional[str] = None
    insecure: bool = False
    timeout: Optional[float] = None
    registry_endpoint: Optional[str] = None
    instance: Optional[str] = None  # an Enterprise Edition instance's name or id


@dataclass(frozen=True)
class ConfigFile:
    """The parsed config.toml (``exists`` is False, and there are no profiles, when it is missing)."""

    path: Path
    exists: bool = False
    default_profile: Optional[str] = None
    profiles: Mapping[str, Profile] = field(default_factory=dict)
    watch_interval_s: Optional[float] = None  # [watch] interval
    commands: tuple[ExternalCommand, ...] = ()  # [commands.NAME] tables
    # [keys]: action id -> keys as written ("q,ctrl+q"); checked and applied by the UI's action registry.
    keys: Mapping[str, str] = field(default_factory=dict)
    use_credential_helpers: bool = False  # [registry] use_credential_helpers
    cache_max_mb: Optional[int] = None  # [cache] max_mb (0: no cache)
    ui_platform: Optional[str] = None  # [ui] platform: the one a multi-arch tag opens on

    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self.profiles))

    def get(self, name: str) -> Optional[Profile]:
        return self.profiles.get(name)


def load_profiles(environ: Mapping[str, str] = os.environ, home: Optional[Path] = None) -> ConfigFile:
    """Parse config.toml. A missing file is an empty config; a broken one a ConfigurationError."""
    home = Path.home() if home is None else Path(home)
    path = config_path(environ, home)
    shown = display_path(path, home)
    try:
        raw = read_settings_file(path)
    except FileNotFoundError:
        return ConfigFile(path=path)
    except IsADirectoryError:
        raise ConfigurationError(f"Config file {shown} is a directory, not a file") from None
    except OSError as exc:
        raise ConfigurationError(f"Cannot read config file {shown}: {exc.strerror or exc}") from None
    # Imported here, as a missing file needs no parser. vermin sees version guards only at module
    # level, hence its marker on the 3.11 branch.
    if sys.version_info >= (3, 11):
        import tomllib  # novermin
    else:  # pragma: no cover - exercised on 3.9 / 3.10 only
        import tomli as tomllib
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigurationError(f"Config file {shown} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"Config file {shown} is not valid TOML: {exc}. Fix that line") from None
    return parse_config(data, path, shown, home)


def parse_config(data: Mapping[str, Any], path: Path, shown: str, home: Path) -> ConfigFile:
    default_profile: Optional[str] = None
    profiles: dict[str, Profile] = {}
    watch_interval_s: Optional[float] = None
    commands: tuple[ExternalCommand, ...] = ()
    keys: dict[str, str] = {}
    use_credential_helpers = False
    cache_max_mb: Optional[int] = None
    ui_platform: Optional[str] = None
    secrets = sorted(key for key in data if _normal_key(key) in SECRET_KEYS)
    if secrets:
        raise ConfigurationError(_secrets_message(f"Config file {shown}", secrets))
    for key, value in data.items():
        if key == "default_profile":
            if not isinstance(value, str) or not value.strip():
                raise ConfigurationError(f"In {shown}: default_profile must be a profile name (a string)")
            default_profile = value.strip()
        elif key == "profiles":
            if not isinstance(value, dict):
                raise ConfigurationError(f"In {shown}: profiles must be tables, written [profiles.NAME]")
            for name, table in value.items():
                if not isinstance(table, dict):
                    raise ConfigurationError(
                        f"In {shown}: profiles.{name} must be a table, written [profiles.{name}]"
                    )
                profiles[name] = _parse_profile(name, table, path.parent, shown, home)
        elif key == "watch":
            watch_interval_s = _parse_watch(value, shown)
        elif key == "commands":
            from ..commands.parsing import parse_commands

            commands = parse_commands(value, shown)
        elif key == "keys":
            keys = _parse_keys(value, shown)
        elif key == "registry":
            use_credential_helpers = _parse_registry(value, shown)
        elif key == "cache":
            cache_max_mb = _parse_cache(value, shown)
        elif key == "ui":
            ui_platform = _parse_ui(value, shown)
        else:
            raise ConfigurationError(
                f"In {shown}: unknown top-level key {key!r}. The file holds default_profile, "
                "[profiles.NAME], [watch] and [commands.NAME] tables, [keys], [registry], [cache] and [ui]"
            )
    return ConfigFile(
        path=path,
        exists=True,
        default_profile=default_profile,
        profiles=profiles,
        watch_interval_s=watch_interval_s,
        commands=commands,
        keys=keys,
        use_credential_helpers=use_credential_helpers,
        cache_max_mb=cache_max_mb,
        ui_platform=ui_platform,
    )


MIN_WATCH_INTERVAL_S = 2.0
# A day: longer is no longer "watching", and a huge value (1e308) overflows the event loop's timers.
MAX_WATCH_INTERVAL_S = 24 * 60 * 60.0
# An hour: no registry answer is worth waiting longer for, and a huge value overflows socket timeouts.
MAX_TIMEOUT_S = 60 * 60.0


def _one_key_table(value: Any, table: str, key: str, shown: str) -> Any:
    """The value of ``key`` in a ``[table]`` that holds only that key (None when it is absent)."""
    if not isinstance(value, dict):
        raise ConfigurationError(f"In {shown}: {table} must be a table, written [{table}]")
    unknown = sorted(name for name in value if name != key)
    if unknown:
        raise ConfigurationError(f"In {shown}: unknown key {unknown[0]!r} in [{table}]. Known keys: {key}")
    return value.get(key)


def _parse_watch(value: Any, shown: str) -> Optional[float]:
    interval = _one_key_table(value, "watch", "interval", shown)
    if interval is None:
        return None
    return check_watch_interval(interval, f"In {shown}: [watch] interval")


def _parse_registry(value: Any, shown: str) -> bool:
    """``[registry] use_credential_helpers``: whether docker's credential helpers may be run."""
    helpers = _one_key_table(value, "registry", "use_credential_helpers", shown)
    if helpers is None:
        return False
    if not isinstance(helpers, bool):
        raise ConfigurationError(f"In {shown}: [registry] use_credential_helpers must be true or false")
    return helpers


def _parse_cache(value: Any, shown: str) -> Optional[int]:
    """``[cache] max_mb``: the content cache's size in megabytes (0 turns it off)."""
    from ..content_cache import MEGABYTE, max_bytes_from_mb

    max_mb = _one_key_table(value, "cache", "max_mb", shown)
    if max_mb is None:
        return None
    try:
        return max_bytes_from_mb(max_mb) // MEGABYTE
    except ConfigurationError as exc:
        raise ConfigurationError(f"In {shown}: {exc}") from None


def _parse_ui(value: Any, shown: str) -> Optional[str]:
    """``[ui] platform``: the platform a multi-arch tag opens on (os/architecture[/variant])."""
    from ..inspection.platforms import check_platform

    platform = _one_key_table(value, "ui", "platform", shown)
    return None if platform is None else check_platform(platform, f"In {shown}: [ui] platform")


def _parse_keys(value: Any, shown: str) -> dict[str, str]:
    """``[keys]`` as written: each action id with its keys (one string, comma-separated). Which ids
    and keys are valid is the action registry's to say, not this parser's."""
    if not isinstance(value, dict):
        raise ConfigurationError(f'In {shown}: keys must be a table, written [keys] with copy_path = "x"')
    keys: dict[str, str] = {}
    for action, spelled in value.items():
        if not isinstance(spelled, str):
            raise ConfigurationError(
                f'In {shown}: [keys] {action} must be a string of keys, such as "x" or "q,ctrl+q"'
            )
        keys[action] = spelled
    return keys


def check_watch_interval(value: Any, where: str) -> float:
    """Seconds between two polls of the watched page: a number, at least ``MIN_WATCH_INTERVAL_S``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigurationError(f"{where} must be a number of seconds")
    if value < MIN_WATCH_INTERVAL_S:
        raise ConfigurationError(
            f"{where} is {value:g} s; the least is {MIN_WATCH_INTERVAL_S:g} s, to spare the registry"
        )
    if value > MAX_WATCH_INTERVAL_S:
        raise ConfigurationError(f"{where} is {value:g} s; the most is {MAX_WATCH_INTERVAL_S:g} s (a day)")
    return float(value)


def _parse_profile(name: str, table: Mapping[str, Any], base: Path, shown: str, home: Path) -> Profile:
    where = f"profile {name!r} in {shown}"
    secrets = sorted(key for key in table if _normal_key(key) in SECRET_KEYS)
    if secrets:
        raise ConfigurationError(_secrets_message(where.capitalize(), secrets))
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in PROFILE_KEYS:
            raise ConfigurationError(f"Unknown key {key!r} in {where}. Known keys: {', '.join(PROFILE_KEYS)}")
        if key == "insecure":
            if not isinstance(value, bool):
                raise ConfigurationError(f"In {where}: insecure must be true or false")
            values[key] = value
        elif key == "timeout":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigurationError(f"In {where}: timeout must be a number of seconds")
            values[key] = float(value)
        else:
            if not isinstance(value, str):
                raise ConfigurationError(f"In {where}: {key} must be a string")
            text = value.strip()
            if not text:
                continue
            if key in ("ca_bundle", "credentials_file"):
                text = str(expand_path(text, home, base))
            elif key == "credentials" and text not in CREDENTIAL_CHOICES:
                if not _looks_like_path(text):
                    raise ConfigurationError(
                        f"In {where}: credentials = {text!r} is neither one of "
                        f"{', '.join(CREDENTIAL_CHOICES)} nor a path to an SDK credentials file"
                    )
                text = str(expand_path(text, home, base))
            values[key] = text
    return Profile(name=name, **values)


def _secrets_message(where: str, keys: list[str]) -> str:
    return (
        f"{where} holds secret keys ({', '.join(keys)}); swr-tui does not read secrets from config.toml. "
        "Remove them and move them to the environment (SWR_TUI_TOKEN, HUAWEICLOUD_SDK_AK / "
        "HUAWEICLOUD_SDK_SK, SWR_TUI_PASSWORD) or to an SDK credentials file such as "
        '~/.huaweicloud/credentials (then set credentials = "sdk" or a path in the profile)'
    )


def _normal_key(key: str) -> str:
    return key.strip().lower().replace("-", "_")


def _looks_like_path(text: str) -> bool:
    return any(mark in text for mark in ("/", "\\", ".")) or text.startswith("~")
