"""Resolve settings and credentials: flags > environment > profile file > SDK / Terraform / KooCLI files.

Secrets (AK, SK, security token, token, password) come only from the environment or from files,
never from flags or ``config.toml``. Every setting records where it came from, and no repr, str or
error message ever contains a secret value. Nothing here touches the network.
"""

from __future__ import annotations

import ipaddress
import json
import math
import os
import re
import ssl
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Union
from urllib.parse import urlsplit

import httpx

from .config_paths import config_path, display_path, read_settings_file, read_settings_text
from .config_paths import expand_path as _expand
from .swr import regions
from .swr.auth import AkSkAuth, PasswordAuth, TokenAuth
from .swr.client import DEFAULT_TIMEOUT_S, SwrClient, tls_verify
from .swr.errors import ConfigurationError, TransportError

if TYPE_CHECKING:
    import configparser

    from .external_commands import ExternalCommand


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

NO_REGION_MESSAGE = (
    "No region or endpoint: pass --region (e.g. cn-north-4) or set SWR_TUI_REGION, "
    "or --endpoint URL / SWR_TUI_ENDPOINT"
)
KOOCLI_ENCRYPTED_HINT = (
    "KooCLI's {path} stores its keys encrypted, which swr-tui cannot read: run "
    "`hcloud configure set --cli-auth-encrypt=false` to store them in plaintext, "
    "or use the environment variables above"
)

# The question asked for an IAM password; the in-app switcher keys remembered passwords by it.
PASSWORD_PROMPT = "IAM password for user {user} of account {domain}: "  # noqa: S105 (a prompt, not a password)

_REGION_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_HOST_NAME = re.compile(r"[A-Za-z0-9._-]+")


# -- public data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CliOptions:
    """What argparse gives; every field is optional. Secrets are never flags."""

    region: Optional[str] = None
    endpoint: Optional[str] = None
    profile: Optional[str] = None
    timeout: Optional[float] = None
    ca_bundle: Optional[str] = None
    insecure: bool = False
    username: Optional[str] = None  # IAM user for password login (not secret)
    domain: Optional[str] = None  # the account (domain) name of that user (not secret)
    iam_endpoint: Optional[str] = None  # where password login asks for a token


@dataclass(frozen=True)
class Credentials:
    """One way to authenticate, and where it came from. ``repr``/``str`` never show a secret."""

    kind: str  # "token" | "aksk" | "password"
    source: str  # human text: where the secret was found (never the secret)
    token: Optional[str] = field(default=None, repr=False)
    ak: Optional[str] = field(default=None, repr=False)
    sk: Optional[str] = field(default=None, repr=False)
    security_token: Optional[str] = field(default=None, repr=False)
    password: Optional[str] = field(default=None, repr=False)
    project_id: Optional[str] = None
    username: Optional[str] = None
    domain: Optional[str] = None
    # The profile's ``credentials`` value that finds this source again (token, aksk, password, sdk,
    # terraform, koocli or a file's path): what saving the connection as a profile writes.
    choice: Optional[str] = None

    def __post_init__(self) -> None:
        needed = {"token": ("token",), "aksk": ("ak", "sk"), "password": ("username", "domain", "password")}
        if self.kind not in needed:
            raise ConfigurationError(f"Unknown credentials kind {self.kind!r}: use token, aksk or password")
        missing = [name for name in needed[self.kind] if not getattr(self, name)]
        if missing:
            raise ConfigurationError(f"{self.kind} credentials from {self.source} lack {', '.join(missing)}")

    def __repr__(self) -> str:
        extra = "".join(
            f", {name}={value!r}"
            for name, value in (
                ("project_id", self.project_id),
                ("username", self.username),
                ("domain", self.domain),
            )
            if value
        )
        return f"Credentials(kind={self.kind!r}, source={self.source!r}{extra})"

    __str__ = __repr__

    def auth(self, settings: Settings) -> httpx.Auth:
        if self.kind == "token":
            assert self.token is not None
            return TokenAuth(self.token)
        if self.kind == "aksk":
            assert self.ak is not None
            assert self.sk is not None
            return AkSkAuth(self.ak, self.sk, security_token=self.security_token, project_id=self.project_id)
        if not settings.region:
            raise ConfigurationError(_LOGIN_NEEDS_REGION)
        if not settings.iam_endpoint:
            raise ConfigurationError(
                "Password login needs an IAM endpoint: pass --iam-endpoint or set "
                "HUAWEICLOUD_SDK_IAM_ENDPOINT, or a region"
            )
        assert self.username is not None
        assert self.domain is not None
        assert self.password is not None
        return PasswordAuth(
            settings.iam_endpoint, self.username, self.domain, self.password, project_name=settings.region
        )


@dataclass(frozen=True)
class Settings:
    """Everything needed to build a client, each part with its source. Build it with keywords."""

    endpoint: str
    credentials: Credentials
    region: Optional[str] = None
    profile: Optional[str] = None
    timeout: float = DEFAULT_TIMEOUT_S
    ca_bundle: Optional[str] = None
    insecure: bool = False
    endpoint_source: str = ""  # "--endpoint", "SWR_TUI_ENDPOINT", "region cn-north-4", "profile 'prod'"
    iam_endpoint: str = ""
    region_source: Optional[str] = None  # "--region", "SWR_TUI_REGION", "HW_REGION_NAME", ...
    config_shown: str = ""  # config.toml as messages show it, for "profile 'prod' in ~/.config/..."
    warnings: tuple[str, ...] = ()

    def endpoint_origin(self) -> str:
        """Where the endpoint came from, in words: "the --endpoint flag", "profile 'prod' in FILE"..."""
        source = self.endpoint_source
        if source == "--endpoint":
            return "the --endpoint flag"
        if source.startswith(("SWR_TUI_", "HUAWEICLOUD_SDK_")):
            return f"the environment variable {source}"
        if source.startswith("profile ") and self.config_shown:
            return f"{source} in {self.config_shown}"
        if source.startswith("region "):
            return f"{source} (from {self.region_source})" if self.region_source else source
        return source

    def explain(self, error: Exception) -> str:
        """``error`` as one line; a failure to reach the registry also says where its address came
        from (a stopped server behind a profile is otherwise hard to tell from a typo'd flag)."""
        text = str(error).rstrip()
        if isinstance(error, TransportError) and self.endpoint in text and "IAM endpoint" not in text:
            text = f"{text.rstrip('.')}. The endpoint {self.endpoint} is from {self.endpoint_origin()}"
        return text

    def label(self) -> str:
        """For the UI header: ``profile prod · cn-north-4``, or the endpoint's host."""
        standard = bool(self.region) and self.endpoint == regions.endpoint_for(self.region or "", {})
        if self.region and (self.endpoint_source.startswith("region ") or standard):
            where = self.region
        else:
            where = urlsplit(self.endpoint).netloc or self.endpoint
        return f"profile {self.profile} · {where}" if self.profile else where

    def verify(self) -> Union[bool, ssl.SSLContext]:
        """What ``httpx`` takes as ``verify``: True, False, or an ``ssl.SSLContext`` for --ca-bundle."""
        return tls_verify(self.ca_bundle, self.insecure)


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


@dataclass(frozen=True)
class ConfigFile:
    """The parsed config.toml (``exists`` is False, and there are no profiles, when it is missing)."""

    path: Path
    exists: bool = False
    default_profile: Optional[str] = None
    profiles: Mapping[str, Profile] = field(default_factory=dict)
    watch_interval_s: Optional[float] = None  # [watch] interval
    commands: tuple[ExternalCommand, ...] = ()  # [commands.NAME] tables

    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self.profiles))

    def get(self, name: str) -> Optional[Profile]:
        return self.profiles.get(name)


# -- config.toml ------------------------------------------------------------------------------------


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
    return _parse_config(data, path, shown, home)


def _parse_config(data: Mapping[str, Any], path: Path, shown: str, home: Path) -> ConfigFile:
    default_profile: Optional[str] = None
    profiles: dict[str, Profile] = {}
    watch_interval_s: Optional[float] = None
    commands: tuple[ExternalCommand, ...] = ()
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
            from .external_commands import parse_commands

            commands = parse_commands(value, shown)
        else:
            raise ConfigurationError(
                f"In {shown}: unknown top-level key {key!r}. The file holds default_profile, "
                "[profiles.NAME], [watch] and [commands.NAME] tables"
            )
    return ConfigFile(
        path=path,
        exists=True,
        default_profile=default_profile,
        profiles=profiles,
        watch_interval_s=watch_interval_s,
        commands=commands,
    )


MIN_WATCH_INTERVAL_S = 2.0
# A day: longer is no longer "watching", and a huge value (1e308) overflows the event loop's timers.
MAX_WATCH_INTERVAL_S = 24 * 60 * 60.0
# An hour: no registry answer is worth waiting longer for, and a huge value overflows socket timeouts.
MAX_TIMEOUT_S = 60 * 60.0


def _parse_watch(value: Any, shown: str) -> Optional[float]:
    if not isinstance(value, dict):
        raise ConfigurationError(f"In {shown}: watch must be a table, written [watch]")
    unknown = sorted(key for key in value if key != "interval")
    if unknown:
        raise ConfigurationError(f"In {shown}: unknown key {unknown[0]!r} in [watch]. Known keys: interval")
    if "interval" not in value:
        return None
    return check_watch_interval(value["interval"], f"In {shown}: [watch] interval")


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
                text = str(_expand(text, home, base))
            elif key == "credentials" and text not in CREDENTIAL_CHOICES:
                if not _looks_like_path(text):
                    raise ConfigurationError(
                        f"In {where}: credentials = {text!r} is neither one of "
                        f"{', '.join(CREDENTIAL_CHOICES)} nor a path to an SDK credentials file"
                    )
                text = str(_expand(text, home, base))
            values[key] = text
    return Profile(name=name, **values)


def _secrets_message(where: str, keys: list[str]) -> str:
    return (
        f"{where} holds secret keys ({', '.join(keys)}); swr-tui does not read secrets from config.toml. "
        "Remove them and move them to the environment (SWR_TUI_TOKEN, HUAWEICLOUD_SDK_AK / "
        "HUAWEICLOUD_SDK_SK, SWR_TUI_PASSWORD) or to an SDK credentials file such as "
        '~/.huaweicloud/credentials (then set credentials = "sdk" or a path in the profile)'
    )


# -- resolution -------------------------------------------------------------------------------------


def resolve_settings(
    options: CliOptions,
    environ: Mapping[str, str] = os.environ,
    home: Optional[Path] = None,
    prompt_password: Optional[Callable[[str], str]] = None,
) -> Settings:
    """Settings from flags, environment, config.toml and credential files; ConfigurationError if unusable.

    ``prompt_password`` (given only when a terminal is attached) asks for the IAM password when
    password login is chosen and SWR_TUI_PASSWORD is not set.
    """
    return _Resolver(options, environ, Path.home() if home is None else Path(home), prompt_password).run()


def build_client(
    settings: Settings, transport: Optional[httpx.AsyncBaseTransport] = None, **client_options: Any
) -> SwrClient:
    """An ``SwrClient`` for these settings; ``client_options`` go to SwrClient (retry, sleep...)."""
    return SwrClient(
        settings.endpoint,
        settings.credentials.auth(settings),
        timeout=settings.timeout,
        verify=settings.verify(),
        transport=transport,
        direct_origins=direct_origins(settings),
        **client_options,
    )


def direct_origins(settings: Settings) -> tuple[str, ...]:
    """The plain-http loopback origins (the endpoint, the IAM endpoint) that bypass any proxy.

    Plain http is allowed to loopback without --insecure because the bytes never leave this
    machine; a proxy from HTTP_PROXY/ALL_PROXY would carry them (and the token) elsewhere in clear.
    """
    origins = []
    for url in (settings.endpoint, settings.iam_endpoint):
        try:
            parts = urlsplit(url)
            host = parts.hostname or ""
        except ValueError:  # an IAM endpoint that is not a URL is refused if password login uses it
            continue
        if parts.scheme == "http" and is_loopback_host(host):
            origins.append(f"http://{parts.netloc}")
    return tuple(dict.fromkeys(origins))


_LOGIN_NEEDS_REGION = (
    "Password login needs a region to scope its IAM token: pass --region (e.g. cn-north-4) "
    "or set SWR_TUI_REGION"
)


@dataclass(frozen=True)
class _KooCli:
    """What ``~/.hcloud/config.json`` holds, read defensively (its format is not documented)."""

    path: Path
    shown: str
    state: str  # "absent" | "malformed" | "ok"
    problem: str = ""
    encrypted: bool = False
    current: Optional[str] = None
    profiles: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


class _Resolver:
    def __init__(
        self,
        options: CliOptions,
        environ: Mapping[str, str],
        home: Path,
        prompt_password: Optional[Callable[[str], str]],
    ) -> None:
        self.options = options
        self.environ = environ
        self.home = home
        self.prompt_password = prompt_password
        self.warnings: list[str] = []
        self.notes: list[str] = []  # why a fallback source was skipped, for the no-credentials message
        self._koocli: Optional[_KooCli] = None
        self.config = load_profiles(environ, home)
        self.profile_name: Optional[str] = None
        self.profile: Optional[Profile] = None
        self.region: Optional[str] = None
        self.iam: tuple[str, str, bool] = ("", "", False)  # IAM endpoint, its source, insecure

    def env(self, name: str) -> Optional[str]:
        return _clean(self.environ.get(name))

    # -- profile, region, endpoint ----------------------------------------------------------------

    def run(self) -> Settings:
        self.select_profile()
        self.region, region_source = self.resolve_region()
        endpoint, endpoint_source = self.resolve_endpoint(region_source)
        insecure = self.options.insecure or bool(self.profile and self.profile.insecure)
        _check_plain_http(endpoint, insecure, f"The endpoint {endpoint} (from {endpoint_source})")
        timeout = self.resolve_timeout()
        ca_bundle = self.resolve_ca_bundle(insecure)
        iam_endpoint, iam_source = self.resolve_iam_endpoint()
        credentials = self.resolve_credentials(iam_endpoint, iam_source, insecure)
        return Settings(
            endpoint=endpoint,
            credentials=credentials,
            region=self.region,
            profile=self.profile_name,
            timeout=timeout,
            ca_bundle=ca_bundle,
            insecure=insecure,
            endpoint_source=endpoint_source,
            config_shown=self.shown(self.config.path),
            iam_endpoint=_normalise_endpoint_lenient(iam_endpoint) if iam_endpoint else "",
            region_source=region_source,
            warnings=tuple(dict.fromkeys(self.warnings)),
        )

    def select_profile(self) -> None:
        if self.options.profile and self.options.profile.strip():
            name, origin = self.options.profile.strip(), "--profile"
        elif self.env("SWR_TUI_PROFILE"):
            name, origin = self.env("SWR_TUI_PROFILE"), "SWR_TUI_PROFILE"
        elif self.config.default_profile:
            name, origin = self.config.default_profile, f"default_profile in {self.shown(self.config.path)}"
        else:
            return
        assert name is not None
        self.profile_name = name
        self.profile = self.config.get(name)
        if self.profile is not None:
            return
        koocli = self.koocli()
        if name in koocli.profiles:
            return  # a KooCLI profile of that name: its region and keys are used below
        shown = self.shown(self.config.path)
        if not self.config.exists:
            found = f"{shown} does not exist"
        elif self.config.profiles:
            found = f"{shown} has {', '.join(repr(n) for n in self.config.names())}"
        else:
            found = f"{shown} has no [profiles.NAME] tables"
        if koocli.profiles:
            found += f"; KooCLI's {koocli.shown} has {', '.join(repr(n) for n in sorted(koocli.profiles))}"
        raise ConfigurationError(f"Profile {name!r} (from {origin}) not found: {found}")

    def resolve_region(self) -> tuple[Optional[str], Optional[str]]:
        candidates = (
            (self.options.region, "--region"),
            (self.env("SWR_TUI_REGION"), "SWR_TUI_REGION"),
            (self.profile.region if self.profile else None, self.profile_label()),
            (self.env("HW_REGION_NAME"), "HW_REGION_NAME"),
        )
        for value, origin in candidates:
            text = _clean(value)
            if text:
                return _check_region(text, origin), origin
        name, entry = self.koocli_profile()
        text = _clean(_string(entry.get("region"))) if entry else None
        if text and _REGION_ID.fullmatch(text):
            return text, f"KooCLI profile {name!r}"
        return None, None

    def resolve_endpoint(self, region_source: Optional[str]) -> tuple[str, str]:
        # A region given on the command line or in the environment outranks the profile: when it
        # differs from the profile's own region, the profile's endpoint (which serves that region)
        # gives way too, so `--profile prod --region cn-south-1` means cn-south-1. A profile with an
        # endpoint and no region keeps its endpoint (the region then only scopes the IAM login).
        profile = self.profile
        region_outranks_profile = bool(
            profile is not None
            and profile.endpoint
            and profile.region
            and region_source in ("--region", "SWR_TUI_REGION")
            and self.region != profile.region
        )
        if region_outranks_profile:
            assert profile is not None
            self.warnings.append(
                f"{region_source} {self.region} differs from the region of {self.profile_label()} "
                f"({profile.region}), so its endpoint {profile.endpoint} is not used"
            )
        candidates = (
            (self.options.endpoint, "--endpoint"),
            (self.env("SWR_TUI_ENDPOINT"), "SWR_TUI_ENDPOINT"),
            (
                self.profile.endpoint if self.profile and not region_outranks_profile else None,
                self.profile_label(),
            ),
        )
        for value, origin in candidates:
            text = _clean(value)
            if text:
                return normalise_endpoint(text, f"The endpoint (from {origin})"), origin
        if not self.region:
            raise ConfigurationError(NO_REGION_MESSAGE)
        override = "HUAWEICLOUD_SDK_REGION_SWR_" + self.region.upper().replace("-", "_")
        if self.env(override):
            origin = override
        else:
            origin = f"region {self.region}"
            if not regions.is_known_region(self.region):
                self.warnings.append(
                    f"Region {self.region!r} is not one swr-tui knows; assuming its endpoint follows the "
                    f"usual pattern. Check the spelling if it cannot connect"
                )
        return normalise_endpoint(
            regions.endpoint_for(self.region, self.environ), f"The endpoint ({origin})"
        ), origin

    def resolve_timeout(self) -> float:
        if self.options.timeout is not None:
            value, origin = float(self.options.timeout), "--timeout"
        elif self.profile and self.profile.timeout is not None:
            value, origin = self.profile.timeout, f"timeout in {self.profile_label()}"
        else:
            return DEFAULT_TIMEOUT_S
        if not math.isfinite(value) or value <= 0:
            raise ConfigurationError(f"{origin} must be a positive number of seconds")
        if value > MAX_TIMEOUT_S:
            raise ConfigurationError(f"{origin} is {value:g} s; the most is {MAX_TIMEOUT_S:g} s (an hour)")
        return value

    def resolve_ca_bundle(self, insecure: bool) -> Optional[str]:
        if self.options.ca_bundle and self.options.ca_bundle.strip():
            path, origin = _expand(self.options.ca_bundle.strip(), self.home, None), "--ca-bundle"
        elif self.profile and self.profile.ca_bundle:
            path, origin = Path(self.profile.ca_bundle), f"ca_bundle in {self.profile_label()}"
        else:
            return None
        if not insecure and not path.is_file():
            raise ConfigurationError(f"CA bundle {path} (from {origin}) is not a readable file")
        return str(path)

    def resolve_iam_endpoint(self) -> tuple[str, str]:
        if self.options.iam_endpoint and self.options.iam_endpoint.strip():
            return self.options.iam_endpoint.strip(), "--iam-endpoint"
        if self.env("HUAWEICLOUD_SDK_IAM_ENDPOINT"):
            return self.env("HUAWEICLOUD_SDK_IAM_ENDPOINT") or "", "HUAWEICLOUD_SDK_IAM_ENDPOINT"
        if self.profile and self.profile.iam_endpoint:
            return self.profile.iam_endpoint, f"iam_endpoint in {self.profile_label()}"
        if self.region:
            return regions.iam_endpoint_for(self.region), f"region {self.region}"
        return "", ""

    # -- credentials ------------------------------------------------------------------------------

    def resolve_credentials(self, iam_endpoint: str, iam_source: str, insecure: bool) -> Credentials:
        self.iam = (iam_endpoint, iam_source, insecure)
        choice = self.profile.credentials if self.profile else None
        username, domain = self.user_and_domain(include_profile=choice in (None, "env", "password"))
        flags_ask_for_password = bool(self.options.username or self.options.domain)

        if flags_ask_for_password:  # flags beat the environment and the profile
            return self.password_login(username, domain)
        if choice is not None and choice != "env":
            # A profile that names its credentials gets those, whatever else the environment holds.
            return self.from_choice(choice)
        found = self.from_environment(username, domain)
        if found is not None:
            return found
        if choice is not None:
            return self.from_choice(choice)
        for finder in (self.from_sdk_file, self.from_terraform, self.from_koocli):
            found = finder(False)
            if found is not None:
                return found
        raise ConfigurationError(self.no_credentials_message())

    def user_and_domain(self, include_profile: bool) -> tuple[Optional[str], Optional[str]]:
        profile = self.profile if include_profile else None
        username = _first(self.options.username, self.env("SWR_TUI_USERNAME"), profile and profile.username)
        domain = _first(self.options.domain, self.env("SWR_TUI_DOMAIN"), profile and profile.domain)
        return username, domain

    def from_environment(self, username: Optional[str], domain: Optional[str]) -> Optional[Credentials]:
        found = self.token_from_environment() or self.aksk_from_environment()
        if found is not None:
            return found
        if username or domain:
            return self.password_login(username, domain)
        return None

    def token_from_environment(self) -> Optional[Credentials]:
        token = self.env("SWR_TUI_TOKEN")
        if token:
            source = "environment (SWR_TUI_TOKEN)"
            return Credentials(kind="token", source=source, token=token, choice="token")
        return None

    def aksk_from_environment(self) -> Optional[Credentials]:
        aksk = self.key_pair("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK")
        if aksk:
            return Credentials(
                kind="aksk",
                choice="aksk",
                source="environment (HUAWEICLOUD_SDK_AK/SK)",
                ak=aksk[0],
                sk=aksk[1],
                security_token=self.env("HUAWEICLOUD_SDK_SECURITY_TOKEN"),
                project_id=self.project_id(None),
            )
        return None

    def key_pair(self, ak_name: str, sk_name: str) -> Optional[tuple[str, str]]:
        ak, sk = self.env(ak_name), self.env(sk_name)
        if ak and sk:
            return ak, sk
        if ak or sk:
            have, missing = (ak_name, sk_name) if ak else (sk_name, ak_name)
            raise ConfigurationError(f"{have} is set but {missing} is not: set both, or unset {have}")
        return None

    def password_login(self, username: Optional[str], domain: Optional[str]) -> Credentials:
        if not username:
            raise ConfigurationError(
                "Password login needs the IAM user name: pass --username or set SWR_TUI_USERNAME "
                "(or username in the profile)"
            )
        if not domain:
            raise ConfigurationError(
                "Password login needs the account (domain) name: pass --domain or set SWR_TUI_DOMAIN "
                "(or domain in the profile)"
            )
        if not self.region:
            raise ConfigurationError(_LOGIN_NEEDS_REGION)
        iam_endpoint, iam_source, insecure = self.iam
        iam = normalise_endpoint(iam_endpoint, f"The IAM endpoint (from {iam_source})")
        _check_plain_http(iam, insecure, f"The IAM endpoint {iam} (from {iam_source})")
        password = _clean(self.environ.get("SWR_TUI_PASSWORD"))
        origin = "SWR_TUI_PASSWORD"
        if not password:
            if self.prompt_password is None:
                raise ConfigurationError(
                    f"Password login for user {username!r} needs a password: set SWR_TUI_PASSWORD, "
                    "or run swr-tui in a terminal to be asked for it"
                )
            try:
                password = self.prompt_password(PASSWORD_PROMPT.format(user=username, domain=domain))
            except EOFError:
                password = ""
            origin = "typed at the prompt"
            if not password:
                raise ConfigurationError("No password given: password login cancelled")
        return Credentials(
            kind="password",
            source=f"IAM login as {username!r} of account {domain!r} (password {_from(origin)})",
            password=password,
            username=username,
            domain=domain,
            choice="password",
        )

    def from_choice(self, choice: str) -> Credentials:
        where = f"{self.profile_label()} (credentials = {choice!r})"
        if choice == "env":
            raise ConfigurationError(
                f"{where} takes credentials from the environment, but none are set: set SWR_TUI_TOKEN, "
                "or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or SWR_TUI_USERNAME and SWR_TUI_DOMAIN"
            )
        if choice == "token":
            token = self.token_from_environment()
            if token is None:
                raise ConfigurationError(f"{where} needs SWR_TUI_TOKEN, which is not set")
            return token
        if choice == "aksk":
            aksk = self.aksk_from_environment()
            if aksk is None:
                raise ConfigurationError(
                    f"{where} needs HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, which are not set"
                )
            return aksk
        if choice == "password":
            username, domain = self.user_and_domain(include_profile=True)
            return self.password_login(username, domain)
        if choice == "sdk":
            found = self.from_sdk_file(True)
        elif choice == "terraform":
            found = self.from_terraform(True)
        elif choice == "koocli":
            found = self.from_koocli(True)
        else:
            found = self.read_sdk_ini(Path(choice), f"credentials in {self.profile_label()}", required=True)
            found = replace(found, choice=choice) if found is not None else None
        assert found is not None
        return found

    def from_sdk_file(self, required: bool) -> Optional[Credentials]:
        found = self.find_sdk_file(required)
        return replace(found, choice="sdk") if found is not None else None

    def find_sdk_file(self, required: bool) -> Optional[Credentials]:
        named = self.env("HUAWEICLOUD_SDK_CREDENTIALS_FILE")
        if named:
            return self.read_sdk_ini(
                _expand(named, self.home, None), "HUAWEICLOUD_SDK_CREDENTIALS_FILE", True
            )
        if self.profile and self.profile.credentials_file:
            origin = f"credentials_file in {self.profile_label()}"
            return self.read_sdk_ini(Path(self.profile.credentials_file), origin, True)
        origin = f"credentials = 'sdk' in {self.profile_label()}" if required else ""
        return self.read_sdk_ini(self.home / ".huaweicloud" / "credentials", origin, required)

    def read_sdk_ini(self, path: Path, origin: str, required: bool) -> Optional[Credentials]:
        shown = self.shown(path)
        named = f"{shown} (from {origin})" if origin else shown
        if not path.is_file():
            if required:
                raise ConfigurationError(f"SDK credentials file {named} does not exist")
            return None
        import configparser  # only when there is an SDK file to read

        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(read_settings_text(path), str(path))
        except configparser.Error as exc:
            raise ConfigurationError(
                f"SDK credentials file {named} is not a valid INI file{_ini_line(exc)}: it needs a [basic] "
                "section with ak = ... and sk = ..."
            ) from None
        except UnicodeDecodeError:
            raise ConfigurationError(f"SDK credentials file {named} is not UTF-8 text") from None
        except OSError as exc:
            raise ConfigurationError(
                f"Cannot read SDK credentials file {named}: {exc.strerror or 'error'}"
            ) from None
        self.check_private(path)
        for section in ("basic", "global"):
            if not parser.has_section(section):
                continue
            ak = _clean(parser.get(section, "ak", fallback=None))
            sk = _clean(parser.get(section, "sk", fallback=None))
            if ak and sk:
                return Credentials(
                    kind="aksk",
                    source=f"{shown} [{section}]",
                    ak=ak,
                    sk=sk,
                    security_token=_clean(parser.get(section, "security_token", fallback=None)),
                    project_id=self.project_id(_clean(parser.get(section, "project_id", fallback=None))),
                )
            if ak or sk:
                have, missing = ("ak", "sk") if ak else ("sk", "ak")
                raise ConfigurationError(f"{named} [{section}] has {have} but no {missing}: add it")
        if required:
            raise ConfigurationError(f"{named} has no [basic] or [global] section with ak and sk")
        self.notes.append(f"{shown} has no [basic] section with ak and sk")
        return None

    def from_terraform(self, required: bool) -> Optional[Credentials]:
        pair = self.key_pair("HW_ACCESS_KEY", "HW_SECRET_KEY")
        if pair is None:
            if required:
                raise ConfigurationError(
                    f"{self.profile_label()} (credentials = 'terraform') needs HW_ACCESS_KEY and "
                    "HW_SECRET_KEY, which are not set"
                )
            return None
        return Credentials(
            kind="aksk",
            source="environment (Terraform's HW_ACCESS_KEY/HW_SECRET_KEY)",
            choice="terraform",
            ak=pair[0],
            sk=pair[1],
            security_token=self.env("HW_SECURITY_TOKEN"),
            project_id=self.project_id(self.env("HW_PROJECT_ID")),
        )

    def from_koocli(self, required: bool) -> Optional[Credentials]:
        koocli = self.koocli()
        problem: Optional[str] = None
        if koocli.state == "absent":
            problem = f"KooCLI's {koocli.shown} does not exist"
        elif koocli.state == "malformed":
            problem = f"KooCLI's {koocli.shown} was ignored: {koocli.problem}"
        elif koocli.encrypted:
            problem = KOOCLI_ENCRYPTED_HINT.format(path=koocli.shown)
        name, entry = self.koocli_profile()
        if problem is None and entry is None:
            wanted = koocli.current or "default"
            problem = f"KooCLI's {koocli.shown} has no profile {wanted!r}"
        if problem is None and entry is not None:
            mode = (_string(entry.get("mode")) or "AKSK").strip().upper()
            ak = _clean(_string(entry.get("accessKeyId")))
            sk = _clean(_string(entry.get("secretAccessKey")))
            if mode != "AKSK":
                problem = f"KooCLI profile {name!r} uses mode {mode}, and only AKSK can be read"
            elif not (ak and sk):
                problem = f"KooCLI profile {name!r} in {koocli.shown} has no access key and secret key"
            else:
                self.check_private(koocli.path)
                koo_region = _clean(_string(entry.get("region")))
                own_project = _clean(_string(entry.get("projectId")))
                if koo_region and koo_region != self.region:
                    own_project = None  # a project id belongs to one region; KooCLI's is for another
                return Credentials(
                    kind="aksk",
                    source=f"KooCLI profile {name!r} ({koocli.shown})",
                    choice="koocli",
                    ak=ak,
                    sk=sk,
                    security_token=_clean(_string(entry.get("securityToken"))),
                    project_id=self.project_id(own_project),
                )
        assert problem is not None
        if required:
            raise ConfigurationError(f"{self.profile_label()} (credentials = 'koocli'): {problem}")
        if koocli.state != "absent":
            self.notes.append(problem)
        return None

    def project_id(self, from_source: Optional[str]) -> Optional[str]:
        """HUAWEICLOUD_SDK_PROJECT_ID > the profile's project_id > the credential source's own."""
        return _first(
            self.env("HUAWEICLOUD_SDK_PROJECT_ID"), self.profile and self.profile.project_id, from_source
        )

    def no_credentials_message(self) -> str:
        message = (
            "No credentials found. Set SWR_TUI_TOKEN to an IAM token, or HUAWEICLOUD_SDK_AK and "
            "HUAWEICLOUD_SDK_SK for AK/SK signing, or SWR_TUI_USERNAME and SWR_TUI_DOMAIN for password "
            "login (with SWR_TUI_PASSWORD, or type it when asked), or put ak and sk in the [basic] "
            "section of ~/.huaweicloud/credentials"
        )
        return ". ".join([message, *dict.fromkeys(self.notes)])

    # -- KooCLI -----------------------------------------------------------------------------------

    def koocli(self) -> _KooCli:
        if self._koocli is None:
            self._koocli = _read_koocli(self.home / ".hcloud" / "config.json", self.shown)
        return self._koocli

    def koocli_profile(self) -> tuple[Optional[str], Optional[Mapping[str, Any]]]:
        """The KooCLI profile named like the selected profile if it exists there, else ``current``."""
        koocli = self.koocli()
        if self.profile_name and self.profile_name in koocli.profiles:
            return self.profile_name, koocli.profiles[self.profile_name]
        name = koocli.current or ("default" if "default" in koocli.profiles else None)
        if name and name in koocli.profiles:
            return name, koocli.profiles[name]
        return name, None

    # -- helpers ----------------------------------------------------------------------------------

    def profile_label(self) -> str:
        if self.profile is None:
            return "the profile"
        return f"profile {self.profile.name!r}"

    def shown(self, path: Path) -> str:
        return display_path(path, self.home)

    def check_private(self, path: Path) -> None:
        """Warn (do not fail) when a file holding secrets is readable by group or others."""
        if os.name == "nt":
            return
        try:
            mode = path.stat().st_mode
        except OSError:
            return
        if mode & 0o044:
            shown = self.shown(path)
            self.warnings.append(
                f"{shown} holds secrets but other users can read it (mode {mode & 0o777:o}): "
                f"run chmod 600 {shown}"
            )


def _read_koocli(path: Path, shown: Callable[[Path], str]) -> _KooCli:
    where = shown(path)
    try:
        text = read_settings_text(path)
    except FileNotFoundError:
        return _KooCli(path, where, "absent")
    except UnicodeDecodeError:
        return _KooCli(path, where, "malformed", "it is not UTF-8 text")
    except OSError as exc:
        return _KooCli(path, where, "malformed", f"it cannot be read ({exc.strerror or 'error'})")
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        return _KooCli(path, where, "malformed", "it is not valid JSON" + (f" (line {line})" if line else ""))
    if not isinstance(data, dict):
        return _KooCli(path, where, "malformed", "it is not a JSON object")
    entries = data.get("profiles", [])
    if not isinstance(entries, list):
        return _KooCli(path, where, "malformed", '"profiles" is not a list')
    profiles: dict[str, Mapping[str, Any]] = {}
    for entry in entries:
        if isinstance(entry, dict):
            name = _clean(_string(entry.get("name")))
            if name and name not in profiles:
                profiles[name] = entry
    encrypted = str(data.get("authEncrypt", "")).strip().lower() == "true"
    current = _clean(_string(data.get("current")))
    return _KooCli(path, where, "ok", encrypted=encrypted, current=current, profiles=profiles)


# -- values -----------------------------------------------------------------------------------------


def normalise_endpoint(value: str, what: str = "The endpoint") -> str:
    """``host`` -> ``https://host``; trailing ``/`` removed; ConfigurationError if not an http(s) URL."""
    text = value.strip()
    if not text:
        raise ConfigurationError(f"{what} is empty")
    if "://" not in text:
        text = "https://" + text
    shown = repr(value.strip())
    if any(not ch.isprintable() for ch in text):
        raise ConfigurationError(f"{what} {shown} contains a control character: use https://HOST[:PORT]")
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:  # an unclosed "[", or a bracketed host that is not an IPv6 address
        raise ConfigurationError(f"{what} {shown} is not a URL: use https://HOST[:PORT]") from None
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ConfigurationError(f"{what} {shown} has an invalid port") from None
    if "@" in parts.netloc:
        raise ConfigurationError(
            f"{what} must not contain a user name or password: give credentials through the environment"
        )
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ConfigurationError(f"{what} {shown} is not a URL: use https://HOST[:PORT]")
    bracketed = "[" in parts.netloc or "]" in parts.netloc
    bad_host = (
        not host or (not _HOST_NAME.fullmatch(host) and not _is_ip(host)) or (bracketed and ":" not in host)
    )
    if bad_host or any(ch.isspace() for ch in text) or parts.query or parts.fragment:
        raise ConfigurationError(f"{what} {shown} is not a URL: use https://HOST[:PORT]")
    return f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _normalise_endpoint_lenient(value: str) -> str:
    try:
        return normalise_endpoint(value)
    except ConfigurationError:
        return value.strip()


def is_loopback_host(host: str) -> bool:
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def _check_plain_http(url: str, insecure: bool, what: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "http" or insecure or is_loopback_host(parts.hostname or ""):
        return
    raise ConfigurationError(
        f"{what} uses plain http:// to a host that is not this machine, so credentials would cross the "
        "network in clear. Use https://, or pass --insecure if you really mean it"
    )


def _check_region(region: str, origin: str) -> str:
    if _REGION_ID.fullmatch(region):
        return region
    known = ", ".join(sorted(regions.REGIONS))
    raise ConfigurationError(f"Region {region!r} (from {origin}) is not a region id. Valid ids: {known}")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _ini_line(exc: configparser.Error) -> str:
    line = getattr(exc, "lineno", None)
    if line is None:
        errors = getattr(exc, "errors", None)
        if errors:
            line = errors[0][0]
    return f" (line {line})" if line else ""


def _clean(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    text = value.strip()
    return text or None


def _string(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None


def _first(*values: Any) -> Optional[str]:
    for value in values:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _from(origin: str) -> str:
    return origin if origin.startswith("typed") else f"from {origin}"


def _normal_key(key: str) -> str:
    return key.strip().lower().replace("-", "_")


def _looks_like_path(text: str) -> bool:
    return any(mark in text for mark in ("/", "\\", ".")) or text.startswith("~")


__all__ = [
    "CREDENTIAL_CHOICES",
    "NO_REGION_MESSAGE",
    "CliOptions",
    "ConfigFile",
    "Credentials",
    "Profile",
    "Settings",
    "build_client",
    "config_path",
    "is_loopback_host",
    "load_profiles",
    "normalise_endpoint",
    "resolve_settings",
]
