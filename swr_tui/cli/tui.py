"""The TUI command: config.toml's commands and watch interval, then the app on the demo registry or on
the configured one."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple, Optional, TextIO

from ..safe_text import scrub
from ..swr.errors import ConfigurationError
from .clients import cli_options, demo_client, demo_connection, option, resolve
from .startup import CollectorPause, TlsPreload

DEMO_ACTIVITY_S = 20.0  # the demo pushes a CI build this often, so that watching (w) shows something


class TuiConfig(NamedTuple):
    commands: tuple[Any, ...] = ()
    watch_interval_s: Optional[float] = None
    warnings: tuple[str, ...] = ()
    keys: Mapping[str, str] = MappingProxyType({})
    cache_max_mb: Optional[int] = None  # [cache] max_mb (a real session reads it from its settings)
    platform: Optional[str] = None  # [ui] platform (likewise)


def _tui_config(args: argparse.Namespace, err: TextIO) -> TuiConfig:
    """The external commands, watch interval, warnings, [keys], [cache] and [ui] from config.toml.
    With no file there is nothing to parse (the demo then imports none of the settings code); a
    broken file stops a real session but only warns in the demo, which needs no configuration."""
    from ..settings.config_paths import config_path, display_path

    demo = option(args, "demo", False)
    path = config_path()
    if demo and not path.exists():
        return TuiConfig()
    from ..settings.config_file import load_profiles

    try:
        config = load_profiles()
    except ConfigurationError as exc:
        if not demo:
            raise
        warning = f"{scrub(str(exc))}; the demo runs without it"
        err.write(f"swr-tui: warning: {warning}\n")
        return TuiConfig(warnings=(warning,))
    warnings: tuple[str, ...] = ()
    if config.commands:
        from ..settings.config_writer import commands_warning

        found = commands_warning(path, shown=display_path(path))
        if found:
            err.write(f"swr-tui: warning: {scrub(found)}\n")
            warnings = (found,)
    return TuiConfig(
        config.commands,
        config.watch_interval_s,
        warnings,
        dict(config.keys),
        config.cache_max_mb,
        config.ui_platform,
    )


def cmd_tui(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    collector = CollectorPause()
    collector.pause()
    try:
        _start_tui(args, err)
    finally:
        collector.resume()


def _start_tui(args: argparse.Namespace, err: TextIO) -> None:
    namespace, repository = option(args, "namespace"), option(args, "repo")
    if repository:
        from ..swr.client import split_repository

        try:
            split_repository(repository)
        except ValueError as exc:
            raise ConfigurationError(f"--repo: {exc}") from None
    commands, watch_interval_s, warnings, keys, cache_max_mb, ui_platform = _tui_config(args, err)
    watch_interval_s = option(args, "watch_interval") or watch_interval_s
    if watch_interval_s is not None:
        from ..settings.config_file import check_watch_interval

        check_watch_interval(watch_interval_s, "--watch-interval")
    extras: dict[str, Any] = {"commands": commands, "warnings": warnings, "keys": dict(keys)}
    no_cache, platform = bool(option(args, "no_cache", False)), option(args, "platform")
    if watch_interval_s is not None:
        extras["watch_interval_s"] = watch_interval_s
    if option(args, "demo", False):
        from ..fake.credentials import DEMO_REGION
        from ..settings.profiles import DemoSwitcher
        from ..ui.app import run_app

        def demo_in(region: str) -> Any:
            return demo_client(region=region, activity_s=DEMO_ACTIVITY_S)

        def demo_pair(region: str) -> tuple[Any, Any]:
            return demo_connection(
                region=region,
                activity_s=DEMO_ACTIVITY_S,
                no_cache=no_cache,
                platform=platform or ui_platform,
                cache_max_mb=cache_max_mb,
            )

        switcher = DemoSwitcher(DEMO_REGION, demo_in, demo_pair)
        client, inspector = demo_pair(DEMO_REGION)
        status = run_app(
            client,
            inspector=inspector,
            label=switcher.label,
            namespace=namespace,
            repository=repository,
            instance=_instance(args, None),
            switcher=switcher,
            **extras,
        )
        _exit_if_crashed(status)
        return
    from ..settings.inspector_setup import build_inspector
    from ..settings.profiles import ProfileSwitcher, header_label
    from ..settings.resolve import build_client

    settings = resolve(args, err)
    # Printed before the screen opens, and hidden by it: said again in the app.
    extras["warnings"] = (*settings.warnings, *warnings)
    tls = TlsPreload(settings.verify())  # read while the interface is imported, just below
    from ..ui.app import run_app

    client = build_client(settings, verify=tls.result())
    status = run_app(
        client,
        inspector=build_inspector(settings, client, no_cache, platform),
        label=header_label(settings),
        namespace=namespace,
        repository=repository,
        instance=_instance(args, settings),
        insecure=settings.insecure,
        switcher=ProfileSwitcher(cli_options(args), settings),
        **extras,
    )
    _exit_if_crashed(status)


def _instance(args: argparse.Namespace, settings: Any) -> Optional[str]:
    """--instance, SWR_TUI_INSTANCE or the profile's ``instance``."""
    from .enterprise import chosen_instance

    return chosen_instance(args, settings)


def _exit_if_crashed(status: int) -> None:
    """A TUI that crashed (Textual printed the traceback) must not look like a clean quit."""
    if status:
        raise SystemExit(status)
