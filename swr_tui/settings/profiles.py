"""Switching where the app is connected, without restarting: another config.toml profile or region.

UI-free: the ``p`` screen lists ``profiles()`` and ``regions()``, calls ``connect_*`` (which builds
a client but does not use it), checks the client answers, then ``accept``s it. A failed switch
therefore leaves the app on the connection it had.

Switching to profile X gives what ``swr-tui --profile X`` would, keeping the command line's
other flags (--timeout, --ca-bundle, --insecure, --username, --domain); the in-app choice replaces
--region/--endpoint and SWR_TUI_PROFILE/REGION/ENDPOINT, which only said where to start.
Credentials come from the source the profile names (``credentials = ...``), else in the usual order
(environment first); the header says which source is used, and saving writes that source.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Protocol

from ..swr import regions
from ..swr.client import SwrClient
from ..swr.errors import ConfigurationError

if TYPE_CHECKING:
    from .config_file import ConfigFile
    from .model import CliOptions, Settings

# The settings machinery (resolve, config_file) is imported where a real registry needs it, not at import:
# the demo uses DemoSwitcher alone, and start-up time counts.
ClientFactory = Callable[["Settings"], SwrClient]
# Where-to-start choices that an explicit choice in the app replaces.
PLACE_VARIABLES = ("SWR_TUI_PROFILE", "SWR_TUI_REGION", "SWR_TUI_ENDPOINT")


def header_label(settings: Settings) -> str:
    """What the header says: where, and which credentials (their source, never their value)."""
    credentials = settings.credentials
    if credentials.kind == "password":  # "IAM login as … (password from …)" says it once already
        return f"{settings.label()} · {credentials.source}"
    return f"{settings.label()} · {credentials.kind} from {credentials.source}"


class PasswordNeeded(Exception):
    """The chosen profile logs in with a password nobody has typed yet; ask, then connect again."""

    def __init__(self, prompt: str) -> None:
        super().__init__(prompt)
        self.prompt = prompt


@dataclass(frozen=True)
class Connection:
    """A client for a new place, not yet in use; ``label`` is what the header shows."""

    client: SwrClient
    label: str
    insecure: bool
    profile: Optional[str]
    region: Optional[str]
    warnings: tuple[str, ...] = ()
    settings: Optional[Settings] = field(default=None, repr=False)
    inspector: Optional[Any] = field(default=None, repr=False)  # one made for it (the demo's data plane)


@dataclass(frozen=True)
class ProfileChoice:
    name: str
    summary: str  # "cn-north-4 · credentials sdk"
    current: bool
    default: bool


@dataclass(frozen=True)
class RegionChoice:
    region: str
    host: str
    current: bool


class Switcher(Protocol):
    """What the ``p`` screen needs: ``ProfileSwitcher`` for a real registry, ``DemoSwitcher`` for --demo."""

    can_save: bool

    @property
    def label(self) -> str: ...

    def profiles(self) -> list[ProfileChoice]: ...

    def regions(self) -> list[RegionChoice]: ...

    def config_shown(self) -> str: ...

    def connect_profile(self, name: str, password: Optional[str] = None) -> Connection: ...

    def connect_region(self, region: str, password: Optional[str] = None) -> Connection: ...

    def accept(self, connection: Connection) -> None: ...

    def forget_password(self) -> None: ...

    def save_current(self, name: str, *, make_default: bool = False) -> str: ...

    def make_default(self, name: str) -> str: ...

    def config_warning(self) -> Optional[str]: ...


class ProfileSwitcher:
    """Profiles and regions for a real registry, resolved exactly as at start-up."""

    can_save = True

    def __init__(
        self,
        options: CliOptions,
        settings: Settings,
        *,
        environ: Optional[Mapping[str, str]] = None,
        home: Optional[Path] = None,
        client_factory: Optional[ClientFactory] = None,
    ) -> None:
        from .resolve import build_client

        self.options = options
        self.current = settings
        self.environ: Mapping[str, str] = dict(os.environ if environ is None else environ)
        self.home = home
        self.client_factory = client_factory or build_client
        self._passwords: dict[str, str] = {}  # prompt -> password, in memory for this session only
        self._last_prompt: Optional[str] = None
        self._remember(settings)

    # -- what can be chosen --------------------------------------------------------------------

    def config(self) -> ConfigFile:
        """Read again each time: the user may have edited it while the app ran."""
        from .config_file import load_profiles

        return load_profiles(self.environ, self.home)

    def config_shown(self) -> str:
        from .config_paths import display_path

        return display_path(self.config_path(), self.home)

    def config_path(self) -> Path:
        from .config_paths import config_path

        return config_path(self.environ, self.home)

    def profiles(self) -> list[ProfileChoice]:
        config = self.config()
        choices = []
        for name in config.names():
            profile = config.profiles[name]
            summary = _summary(profile.region, profile.endpoint, profile.credentials)
            choices.append(
                ProfileChoice(name, summary, self._at_profile(name), name == config.default_profile)
            )
        return choices

    def _at_profile(self, name: str) -> bool:
        """Connected as that profile says, not merely under its name with another region."""
        settings = self.current
        return (
            settings.profile == name
            and settings.region_source not in ("--region", "SWR_TUI_REGION")
            and settings.endpoint_source not in ("--endpoint", "SWR_TUI_ENDPOINT")
        )

    def regions(self) -> list[RegionChoice]:
        return [
            RegionChoice(
                region, _host(regions.endpoint_for(region, self.environ)), region == self.current.region
            )
            for region in regions.REGIONS
        ]

    @property
    def label(self) -> str:
        return header_label(self.current)

    # -- connecting -----------------------------------------------------------------------------

    def connect_profile(self, name: str, password: Optional[str] = None) -> Connection:
        options = replace(self.options, profile=name, region=None, endpoint=None)
        return self._connect(options, password)

    def connect_region(self, region: str, password: Optional[str] = None) -> Connection:
        # The region's own endpoint, explicitly: a profile's custom endpoint belongs to its region.
        endpoint = regions.endpoint_for(region, self.environ)
        options = replace(self.options, profile=self.current.profile, region=region, endpoint=endpoint)
        return self._connect(options, password)

    def accept(self, connection: Connection) -> None:
        """The app now uses ``connection``: later switches start from it, and a password that
        worked is remembered (in memory, for this session)."""
        if connection.settings is not None:
            self.current = connection.settings
            self._remember(connection.settings)

    def forget_password(self) -> None:
        """The last connection's password was refused: ask again next time rather than resend it."""
        if self._last_prompt is not None:
            self._passwords.pop(self._last_prompt, None)

    def _connect(self, options: CliOptions, password: Optional[str]) -> Connection:
        from .resolve import resolve_settings

        environ = {key: value for key, value in self.environ.items() if key not in PLACE_VARIABLES}
        self._last_prompt = None

        def ask(prompt: str) -> str:
            self._last_prompt = prompt
            # A typed password is used for this attempt only; it is remembered once accepted.
            known = password or self._passwords.get(prompt)
            if known is None:
                raise PasswordNeeded(prompt)
            return known

        settings = resolve_settings(options, environ, self.home, prompt_password=ask)
        client = self.client_factory(settings)
        return Connection(
            client,
            header_label(settings),
            settings.insecure,
            settings.profile,
            settings.region,
            settings.warnings,
            settings,
        )

    def _remember(self, settings: Settings) -> None:
        from .sources import PASSWORD_PROMPT

        credentials = settings.credentials
        if credentials.kind == "password" and credentials.password:
            prompt = PASSWORD_PROMPT.format(user=credentials.username, domain=credentials.domain)
            self._passwords[prompt] = credentials.password

    # -- saving ---------------------------------------------------------------------------------

    def save_current(self, name: str, *, make_default: bool = False) -> str:
        """Save where the app is connected as ``[profiles.NAME]``; returns the file as shown."""
        from .config_writer import save_profile

        save_profile(
            self.config_path(),
            name,
            self.profile_values(),
            make_default=make_default,
            shown=self.config_shown(),
        )
        return self.config_shown()

    def config_warning(self) -> Optional[str]:
        """Said after a save: a config folder others can write to could gain [commands] that run."""
        from .config_writer import directory_warning

        return directory_warning(self.config_path(), shown=self.config_shown())

    def make_default(self, name: str) -> str:
        from .config_writer import set_default_profile

        set_default_profile(self.config_path(), name, shown=self.config_shown())
        return self.config_shown()

    def profile_values(self) -> dict[str, Any]:
        """The current place as profile keys: where, and where the credentials come from (never
        what they are). One-off flags such as --insecure or --timeout are not made permanent;
        a profile's own settings are carried over."""
        settings = self.current
        profile = self.config().get(settings.profile) if settings.profile else None
        values: dict[str, Any] = {}
        if settings.region and settings.endpoint_source.startswith("region "):
            values["region"] = settings.region
        else:
            values["endpoint"] = settings.endpoint
            if settings.region:
                values["region"] = settings.region
        credentials = settings.credentials
        if profile is not None:
            for key in ("iam_endpoint", "project_id", "ca_bundle"):
                values[key] = getattr(profile, key)
            if profile.credentials_file and credentials.choice == "sdk":
                values["credentials_file"] = profile.credentials_file
            if profile.timeout is not None:  # 10, as the user wrote it, not 10.0
                values["timeout"] = int(profile.timeout) if profile.timeout.is_integer() else profile.timeout
            if profile.insecure:
                values["insecure"] = True
        # The source in use, which may not be the profile's setting (an unsaved place has none).
        values["credentials"] = credentials.choice
        if credentials.kind == "password":
            values["username"] = credentials.username
            values["domain"] = credentials.domain
        return {key: value for key, value in values.items() if value is not None}


class DemoSwitcher:
    """The embedded demo: no profiles; each region gets its own demo registry."""

    can_save = False

    def __init__(
        self,
        region: str,
        make_client: Callable[[str], SwrClient],
        connect: Optional[Callable[[str], tuple[SwrClient, Any]]] = None,
    ) -> None:
        """``connect``: a region's client and inspector (its demo data plane), where the app has one."""
        self.region = region
        self.make_client = make_client
        self.connect = connect

    def profiles(self) -> list[ProfileChoice]:
        return []

    def config_shown(self) -> str:
        return "the demo has no profiles"

    def regions(self) -> list[RegionChoice]:
        return [RegionChoice(region, "demo registry", region == self.region) for region in regions.REGIONS]

    @property
    def label(self) -> str:
        return demo_label(self.region)

    def connect_profile(self, name: str, password: Optional[str] = None) -> Connection:
        raise ConfigurationError("The demo has no profiles: run swr-tui without --demo to use config.toml")

    def connect_region(self, region: str, password: Optional[str] = None) -> Connection:
        if self.connect is not None:
            client, inspector = self.connect(region)
            return Connection(client, demo_label(region), False, None, region, inspector=inspector)
        return Connection(self.make_client(region), demo_label(region), False, None, region)

    def accept(self, connection: Connection) -> None:
        if connection.region:
            self.region = connection.region

    def forget_password(self) -> None:
        """The demo logs in with a token: there is no password to forget."""

    def save_current(self, name: str, *, make_default: bool = False) -> str:
        raise ConfigurationError("The demo is not saved as a profile: it needs no configuration")

    def make_default(self, name: str) -> str:
        raise ConfigurationError("The demo has no profiles")

    def config_warning(self) -> Optional[str]:
        return None


def demo_label(region: str) -> str:
    return f"demo · {region}"


def _summary(region: Optional[str], endpoint: Optional[str], credentials: Optional[str]) -> str:
    where = region or (_host(endpoint) if endpoint else "no region")
    if region and endpoint:
        where = f"{region} via {_host(endpoint)}"
    return f"{where} · credentials {credentials or 'auto'}"


def _host(url: str) -> str:
    """The host[:port] to show for ``url``; the text itself when it is no URL (such as an
    unclosed ``[``: connecting to it is refused with a message, listing it must not fail)."""
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).netloc or url
    except ValueError:
        return url
