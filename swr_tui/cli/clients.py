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
    from ..fake import DEMO_TOKEN, FakeRegistry
    from ..fake.credentials import DEMO_REGION
    from ..swr.auth import TokenAuth
    from ..swr.client import SwrClient

    now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    registry = FakeRegistry(
        now=now, latency_ms=latency_ms, region=region or DEMO_REGION, activity_s=activity_s
    )
    return SwrClient(DEMO_ENDPOINT, TokenAuth(DEMO_TOKEN), timeout=timeout, transport=registry.transport())


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

    settings = resolve(args, err)
    async with build_client(settings) as client:
        try:
            await work(client, settings)
        except TransportError as exc:  # say where the unreachable address came from
            raise TransportError(settings.explain(exc)) from None
