"""The registry client a command talks to: the embedded demo, or the one the settings describe."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Awaitable
from datetime import datetime, timezone
from typing import Any, Callable, Optional, TextIO

from ..safe_text import scrub
from ..swr.errors import TransportError

DEMO_ENDPOINT = "https://swr-api.demo.swr-tui.invalid"


def option(args: argparse.Namespace, name: str, default: Any = None) -> Any:
    return getattr(args, name, default)


def cli_options(args: argparse.Namespace) -> Any:
    from ..settings.model import CliOptions

    return CliOptions(
        region=option(args, "region"),
        endpoint=option(args, "endpoint"),
        profile=option(args, "profile"),
        timeout=option(args, "timeout"),
        ca_bundle=option(args, "ca_bundle"),
        insecure=bool(option(args, "insecure", False)),
        username=option(args, "username"),
        domain=option(args, "domain"),
        iam_endpoint=option(args, "iam_endpoint"),
        registry_endpoint=option(args, "registry_endpoint"),
        instance=option(args, "instance"),
    )


def resolve(args: argparse.Namespace, err: TextIO) -> Any:
    """Settings for a real registry (imported lazily: the demo and --help need none of it);
    their warnings, such as a credentials file others can read, go to ``err``."""
    from ..settings.resolve import resolve_settings

    options = cli_options(args)
    prompt = getpass.getpass if sys.stdin is not None and sys.stdin.isatty() else None
    settings = resolve_settings(options, prompt_password=prompt)
    for warning in settings.warnings:
        err.write(f"swr-tui: warning: {scrub(warning)}\n")
    return settings


def make_client(args: argparse.Namespace, err: TextIO) -> Any:
    """An SwrClient on the demo registry or on the configured one; warnings go to ``err``."""
    if option(args, "demo", False):
        return demo_client(timeout=option(args, "timeout") or 20.0)
    from ..settings.resolve import build_client

    settings = resolve(args, err)
    return build_client(settings)


def demo_client(
    timeout: float = 20.0,
    latency_ms: float = 0.0,
    region: Optional[str] = None,
    activity_s: Optional[float] = None,
) -> Any:
    """A client on an in-process demo registry; ``activity_s`` makes it push a build that often."""
    return _demo_client(_demo_registry(latency_ms, region, activity_s), timeout)


def demo_connection(
    timeout: float = 20.0,
    latency_ms: float = 0.0,
    region: Optional[str] = None,
    activity_s: Optional[float] = None,
    *,
    no_cache: bool = False,
    platform: Optional[str] = None,
    cache_max_mb: Optional[int] = None,
) -> tuple[Any, Any]:
    """(SwrClient, Inspector) on one in-process demo registry, its data plane included (real config
    blobs, logged in with the demo AK/SK's long-term login), so the demo shows every depth."""
    from ..fake.demo_plane import demo_registry_client
    from ..inspection import Inspector
    from ..settings.inspector_setup import open_cache

    registry = _demo_registry(latency_ms, region, activity_s)
    client = _demo_client(registry, timeout)
    cache = open_cache(cache_max_mb, no_cache)
    inspector = Inspector(client, demo_registry_client(registry, timeout), cache, platform=platform)
    return client, inspector


def _demo_registry(latency_ms: float, region: Optional[str], activity_s: Optional[float]) -> Any:
    """The demo's fake registry, with real config blobs so that its data plane can serve them."""
    from ..fake import FakeRegistry
    from ..fake.credentials import DEMO_REGION

    now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    return FakeRegistry(
        now=now, latency_ms=latency_ms, region=region or DEMO_REGION, activity_s=activity_s, real_configs=True
    )


def _demo_client(registry: Any, timeout: float) -> Any:
    from ..fake import DEMO_TOKEN
    from ..swr.auth import TokenAuth
    from ..swr.client import SwrClient

    return SwrClient(DEMO_ENDPOINT, TokenAuth(DEMO_TOKEN), timeout=timeout, transport=registry.transport())


async def with_inspector(
    args: argparse.Namespace, err: TextIO, work: Callable[[Any, Any], Awaitable[None]]
) -> None:
    """``work(client, inspector)`` on the demo or the configured registry; both closed after."""
    no_cache, platform = bool(option(args, "no_cache", False)), option(args, "platform")
    if option(args, "demo", False):
        client, inspector = demo_connection(
            timeout=option(args, "timeout") or 20.0, no_cache=no_cache, platform=platform
        )
        async with client:
            try:
                await work(client, inspector)
            finally:
                await inspector.aclose()
        return
    from ..settings.inspector_setup import build_inspector
    from ..settings.resolve import build_client

    settings = resolve(args, err)
    async with build_client(settings) as client:
        inspector = build_inspector(settings, client, no_cache, platform)
        try:
            await work(client, inspector)
        except TransportError as exc:  # say where the unreachable address came from
            raise TransportError(settings.explain(exc)) from None
        finally:
            await inspector.aclose()


async def with_client(args: argparse.Namespace, err: TextIO, work: Callable[[Any], Awaitable[None]]) -> None:
    await with_settings_client(args, err, lambda client, settings: work(client))


async def with_settings_client(
    args: argparse.Namespace, err: TextIO, work: Callable[[Any, Any], Awaitable[None]]
) -> None:
    """``work(client, settings)``; settings are None for the demo."""
    if option(args, "demo", False):
        async with make_client(args, err) as client:
            await work(client, None)
        return
    from ..settings.resolve import build_client
    from .startup import TlsPreload

    settings = resolve(args, err)
    tls = TlsPreload(settings.verify())  # the trust store is read while httpx's transport is imported
    import httpcore  # noqa: F401 - what httpx imports when it builds its transport, here in parallel

    async with build_client(settings, verify=tls.result()) as client:
        try:
            await work(client, settings)
        except TransportError as exc:  # say where the unreachable address came from
            raise TransportError(settings.explain(exc)) from None
