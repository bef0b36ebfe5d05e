"""What the settings resolve to: the command line's options, one set of credentials, and the
settings a client is built from. Every value records where it came from; no repr, str or message
ever shows a secret.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import Optional, Union
from urllib.parse import urlsplit

import httpx

from ..swr import regions
from ..swr.auth import AkSkAuth, PasswordAuth, TokenAuth
from ..swr.client import DEFAULT_TIMEOUT_S, tls_verify
from ..swr.errors import ConfigurationError, TransportError

LOGIN_NEEDS_REGION = (
    "Password login needs a region to scope its IAM token: pass --region (e.g. cn-north-4) "
    "or set SWR_TUI_REGION"
)


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
    registry_endpoint: Optional[str] = None  # the registry's pull host (its data plane)
    instance: Optional[str] = None  # an Enterprise Edition instance's name or id


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
            raise ConfigurationError(LOGIN_NEEDS_REGION)
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
    # The registry's data plane (its pull host): "" when neither a region nor an override names it.
    registry_endpoint: str = ""
    registry_endpoint_source: str = ""
    use_credential_helpers: bool = False  # [registry] use_credential_helpers in config.toml
    cache_max_mb: Optional[int] = None  # [cache] max_mb in config.toml (None: the default size)
    platform: Optional[str] = None  # [ui] platform in config.toml
    # The configured IAM project id (HUAWEICLOUD_SDK_PROJECT_ID or the profile's project_id), whatever
    # the credentials: what ListQuotas is asked about (swr/project_id.py).
    project_id: Optional[str] = None
    # The Enterprise Edition instance to browse (name or id): --instance, SWR_TUI_INSTANCE or the
    # profile's ``instance``; None for the basic edition.
    instance: Optional[str] = None
    instance_source: str = ""

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
