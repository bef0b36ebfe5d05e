"""The registry client for resolved settings, with its logins in order: the long-term login from
AK/SK (no request), ``~/.docker/config.json``, then a temporary login from CreateSecret made with
the session's own credentials (a token, a password login, or AK/SK with a security token)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Optional

import httpx

from ..swr.errors import ConfigurationError
from ..swr.registry import LoginChain, RegistryClient, RegistryLogin, TemporaryLogin, long_term_login
from ..swr.registry.login import LoginSource, fixed
from .docker_config import docker_login
from .endpoints import direct_origins
from .model import Settings


def registry_logins(
    settings: Settings,
    management_auth: Optional[httpx.Auth] = None,
    environ: Mapping[str, str] = os.environ,
    home: Optional[Path] = None,
    transport: Optional[httpx.AsyncBaseTransport] = None,
) -> LoginChain:
    """``management_auth``: the SwrClient's own auth, so a password login is not made twice."""
    credentials = settings.credentials
    registry = httpx.URL(settings.registry_endpoint)
    sources: list[LoginSource] = []
    if credentials.kind == "aksk" and not credentials.security_token and settings.region:
        assert credentials.ak is not None
        assert credentials.sk is not None
        sources.append(fixed(long_term_login(settings.region, credentials.ak, credentials.sk)))
    where = Path.home() if home is None else home
    sources.append(_from_docker_config(registry.netloc.decode("ascii"), environ, where, settings))
    if settings.region:
        sources.append(
            TemporaryLogin(
                settings.endpoint,
                management_auth or credentials.auth(settings),
                settings.region,
                registry.netloc.decode("ascii"),
                timeout=settings.timeout,
                verify=settings.verify(),
                transport=transport,
                direct_origins=direct_origins((settings.endpoint, settings.iam_endpoint)),
            )
        )
    return LoginChain(sources)


def build_registry_client(
    settings: Settings,
    management_auth: Optional[httpx.Auth] = None,
    transport: Optional[httpx.AsyncBaseTransport] = None,
    **client_options: Any,
) -> RegistryClient:
    if not settings.registry_endpoint:
        raise ConfigurationError(
            "No registry endpoint: pass --region (the registry is swr.REGION.myhuaweicloud.com) or "
            "--registry-endpoint URL / SWR_TUI_REGISTRY_ENDPOINT"
        )
    logins = registry_logins(settings, management_auth, transport=transport)
    return RegistryClient(
        settings.registry_endpoint,
        logins,
        timeout=settings.timeout,
        verify=settings.verify(),
        insecure=settings.insecure,
        transport=transport,
        direct_origins=direct_origins((settings.registry_endpoint,)),
        **client_options,
    )


def _from_docker_config(host: str, environ: Mapping[str, str], home: Path, settings: Settings) -> LoginSource:
    async def source() -> Optional[RegistryLogin]:
        login, _note = await asyncio.to_thread(
            docker_login, host, environ, home, settings.use_credential_helpers
        )
        return login

    return source
