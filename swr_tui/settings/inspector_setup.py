"""The Inspector of a real session, built in one place: the content cache as config.toml sizes it
(or none with ``--no-cache``), the registry's data plane with its logins, the platform to open on."""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

from ..content_cache import DEFAULT_MAX_BYTES, ContentCache, max_bytes_from_mb
from ..inspection import Inspector
from ..swr.client import SwrClient
from .model import Settings
from .registry_login import build_registry_client


def open_cache(
    max_mb: Optional[int], no_cache: bool = False, directory: Union[str, Path, None] = None
) -> Optional[ContentCache]:
    """The content cache under the user cache dir; None with ``--no-cache`` or ``[cache] max_mb = 0``."""
    max_bytes = DEFAULT_MAX_BYTES if max_mb is None else max_bytes_from_mb(max_mb)
    if no_cache or max_bytes == 0:
        return None
    return ContentCache(directory, max_bytes=max_bytes)


def build_inspector(
    settings: Settings, client: SwrClient, no_cache: bool = False, platform: Optional[str] = None
) -> Inspector:
    """``platform`` (``--platform``) wins over ``[ui] platform``. Without a registry endpoint (an
    ``--endpoint`` with no region) the Inspector has no data plane, and says so when it needs one."""
    registry = (
        build_registry_client(settings, management_auth=client.auth) if settings.registry_endpoint else None
    )
    cache = open_cache(settings.cache_max_mb, no_cache)
    return Inspector(client, registry, cache, platform=platform or settings.platform)
