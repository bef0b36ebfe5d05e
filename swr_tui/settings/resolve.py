"""Resolve settings and credentials: flags > environment > profile file > SDK / Terraform / KooCLI files.

Secrets (AK, SK, security token, token, password) come only from the environment or from files,
never from flags or ``config.toml``. Every setting records where it came from, and no repr, str or
error message ever contains a secret value. Nothing here touches the network.
"""

from __future__ import annotations

import math
import os
import ssl
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Optional, Union

import httpx

from ..swr import regions
from ..swr.client import DEFAULT_TIMEOUT_S, SwrClient
from ..swr.errors import ConfigurationError
from . import sources
from .config_file import MAX_TIMEOUT_S, Profile, load_profiles
from .config_paths import display_path, expand_path
from .endpoints import (
    NO_REGION_MESSAGE,
    REGION_ID,
    check_plain_http,
    check_region,
    direct_origins,
    normalise_endpoint,
    normalise_endpoint_lenient,
)
from .model import LOGIN_NEEDS_REGION, CliOptions, Credentials, Settings


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
    settings: Settings,
    transport: Optional[httpx.AsyncBaseTransport] = None,
    verify: Optional[Union[bool, ssl.SSLContext]] = None,
    **client_options: Any,
) -> SwrClient:
    """An ``SwrClient`` for these settings; ``client_options`` go to SwrClient (retry, sleep...).
    ``verify``: ``settings.verify()`` made ahead (the TUI reads the trust store while it starts)."""
    return SwrClient(
        settings.endpoint,
        settings.credentials.auth(settings),
        timeout=settings.timeout,
        verify=settings.verify() if verify is None else verify,
        transport=transport,
        direct_origins=direct_origins((settings.endpoint, settings.iam_endpoint)),
        **client_options,
    )


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
        self._koocli: Optional[sources.KooCli] = None
        self.config = load_profiles(environ, home)
        self.profile_name: Optional[str] = None
        self.profile: Optional[Profile] = None
        self.region: Optional[str] = None
        self.iam: tuple[str, str, bool] = ("", "", False)  # IAM endpoint, its source, insecure

    def env(self, name: str) -> Optional[str]:
        return sources.env(self.environ, name)

    # -- profile, region, endpoint ----------------------------------------------------------------

    def run(self) -> Settings:
        self.select_profile()
        self.region, region_source = self.resolve_region()
        endpoint, endpoint_source = self.resolve_endpoint(region_source)
        insecure = self.options.insecure or bool(self.profile and self.profile.insecure)
        check_plain_http(endpoint, insecure, f"The endpoint {endpoint} (from {endpoint_source})")
        timeout = self.resolve_timeout()
        ca_bundle = self.resolve_ca_bundle(insecure)
        iam_endpoint, iam_source = self.resolve_iam_endpoint()
        credentials = self.resolve_credentials(iam_endpoint, iam_source, insecure)
        registry_endpoint, registry_source = self.resolve_registry_endpoint()
        instance, instance_source = self.resolve_instance()
        if registry_endpoint:
            where = f"The registry endpoint {registry_endpoint} (from {registry_source})"
            check_plain_http(registry_endpoint, insecure, where)
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
            iam_endpoint=normalise_endpoint_lenient(iam_endpoint) if iam_endpoint else "",
            region_source=region_source,
            warnings=tuple(dict.fromkeys(self.warnings)),
            registry_endpoint=registry_endpoint,
            registry_endpoint_source=registry_source,
            use_credential_helpers=self.config.use_credential_helpers,
            cache_max_mb=self.config.cache_max_mb,
            platform=self.config.ui_platform,
            project_id=self.project_id(),
            instance=instance,
            instance_source=instance_source,
        )

    def select_profile(self) -> None:
        from_environment = self.env("SWR_TUI_PROFILE")
        name: str
        if self.options.profile and self.options.profile.strip():
            name, origin = self.options.profile.strip(), "--profile"
        elif from_environment:
            name, origin = from_environment, "SWR_TUI_PROFILE"
        elif self.config.default_profile:
            name, origin = self.config.default_profile, f"default_profile in {self.shown(self.config.path)}"
        else:
            return
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
            text = sources.clean(value)
            if text:
                return check_region(text, origin), origin
        name, entry = self.koocli().profile(self.profile_name)
        text = sources.clean(sources.string(entry.get("region"))) if entry else None
        if text and REGION_ID.fullmatch(text):
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
            text = sources.clean(value)
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

    def resolve_registry_endpoint(self) -> tuple[str, str]:
        """The pull host: --registry-endpoint, SWR_TUI_REGISTRY_ENDPOINT, the profile's
        registry_endpoint, else ``https://swr.{region}.myhuaweicloud.com``; ("", "") without any."""
        candidates = (
            (self.options.registry_endpoint, "--registry-endpoint"),
            (self.env("SWR_TUI_REGISTRY_ENDPOINT"), "SWR_TUI_REGISTRY_ENDPOINT"),
            (
                self.profile.registry_endpoint if self.profile else None,
                f"registry_endpoint in {self.profile_label()}",
            ),
        )
        for value, origin in candidates:
            text = sources.clean(value)
            if text:
                return normalise_endpoint(text, f"The registry endpoint (from {origin})"), origin
        if not self.region:
            return "", ""
        return f"https://{regions.pull_host_for(self.region)}", f"region {self.region}"

    def resolve_instance(self) -> tuple[Optional[str], str]:
        """The Enterprise Edition instance: --instance, SWR_TUI_INSTANCE, the profile's instance."""
        candidates = (
            (self.options.instance, "--instance"),
            (self.env("SWR_TUI_INSTANCE"), "SWR_TUI_INSTANCE"),
            (self.profile.instance if self.profile else None, f"instance in {self.profile_label()}"),
        )
        for value, origin in candidates:
            text = sources.clean(value)
            if text:
                return text, origin
        return None, ""

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
            path, origin = expand_path(self.options.ca_bundle.strip(), self.home, None), "--ca-bundle"
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
        raise ConfigurationError(sources.no_credentials_message(self.notes))

    def user_and_domain(self, include_profile: bool) -> tuple[Optional[str], Optional[str]]:
        profile = self.profile if include_profile else None
        username = _first(self.options.username, self.env("SWR_TUI_USERNAME"), profile and profile.username)
        domain = _first(self.options.domain, self.env("SWR_TUI_DOMAIN"), profile and profile.domain)
        return username, domain

    def from_environment(self, username: Optional[str], domain: Optional[str]) -> Optional[Credentials]:
        found = sources.token_from_environment(self.environ) or sources.aksk_from_environment(
            self.environ, self.project_id()
        )
        if found is not None:
            return found
        if username or domain:
            return self.password_login(username, domain)
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
            raise ConfigurationError(LOGIN_NEEDS_REGION)
        iam_endpoint, iam_source, insecure = self.iam
        iam = normalise_endpoint(iam_endpoint, f"The IAM endpoint (from {iam_source})")
        check_plain_http(iam, insecure, f"The IAM endpoint {iam} (from {iam_source})")
        return sources.password_credentials(self.environ, username, domain, self.prompt_password)

    def from_choice(self, choice: str) -> Credentials:
        where = f"{self.profile_label()} (credentials = {choice!r})"
        if choice == "env":
            raise ConfigurationError(
                f"{where} takes credentials from the environment, but none are set: set SWR_TUI_TOKEN, "
                "or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or SWR_TUI_USERNAME and SWR_TUI_DOMAIN"
            )
        if choice == "token":
            token = sources.token_from_environment(self.environ)
            if token is None:
                raise ConfigurationError(f"{where} needs SWR_TUI_TOKEN, which is not set")
            return token
        if choice == "aksk":
            aksk = sources.aksk_from_environment(self.environ, self.project_id())
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
            found = sources.read_sdk_ini(
                Path(choice),
                f"credentials in {self.profile_label()}",
                self.home,
                self.warnings,
                self.notes,
                required=True,
                project_id=self.project_id(),
            )
            found = _with_choice(found, choice)
        assert found is not None
        return found

    def from_sdk_file(self, required: bool) -> Optional[Credentials]:
        return sources.sdk_file_credentials(
            self.environ,
            self.home,
            self.warnings,
            self.notes,
            credentials_file=self.profile.credentials_file if self.profile else None,
            profile_label=self.profile_label(),
            required=required,
            project_id=self.project_id(),
        )

    def from_terraform(self, required: bool) -> Optional[Credentials]:
        return sources.terraform_credentials(
            self.environ, required=required, profile_label=self.profile_label(), project_id=self.project_id()
        )

    def from_koocli(self, required: bool) -> Optional[Credentials]:
        return sources.koocli_credentials(
            self.koocli(),
            self.home,
            self.warnings,
            self.notes,
            wanted=self.profile_name,
            region=self.region,
            required=required,
            profile_label=self.profile_label(),
            project_id=self.project_id(),
        )

    def project_id(self) -> Optional[str]:
        """HUAWEICLOUD_SDK_PROJECT_ID > the profile's project_id; else the credential source's own."""
        return _first(self.env("HUAWEICLOUD_SDK_PROJECT_ID"), self.profile and self.profile.project_id)

    # -- helpers ----------------------------------------------------------------------------------

    def koocli(self) -> sources.KooCli:
        if self._koocli is None:
            self._koocli = sources.read_koocli(self.home)
        return self._koocli

    def profile_label(self) -> str:
        if self.profile is None:
            return "the profile"
        return f"profile {self.profile.name!r}"

    def shown(self, path: Path) -> str:
        return display_path(path, self.home)


def _with_choice(found: Optional[Credentials], choice: str) -> Optional[Credentials]:
    return replace(found, choice=choice) if found is not None else None


def _first(*values: Any) -> Optional[str]:
    for value in values:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None
