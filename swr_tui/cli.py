"""Command line: the TUI (default), the headless commands, and the fake registry."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import math
import os
import sys
from collections.abc import Awaitable, Sequence
from datetime import datetime, timezone
from typing import Any, Callable, Optional, TextIO, cast

from . import __version__
from .output_guard import GuardedOutput, OutputError
from .safe_text import scrub
from .swr.errors import ConfigurationError, SwrError, TransportError

EXIT_OK, EXIT_REGISTRY, EXIT_USAGE = 0, 1, 2
DEMO_ENDPOINT = "https://swr-api.demo.swr-tui.invalid"
DEMO_ACTIVITY_S = 20.0  # the demo pushes a CI build this often, so that watching (w) shows something


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr, exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _common_options() -> argparse.ArgumentParser:
    """Options every command takes, before or after the command name."""
    common = _Parser(add_help=False, argument_default=argparse.SUPPRESS)
    group = common.add_argument_group("connection")
    group.add_argument("--region", help="SWR region id, e.g. cn-north-4 (env SWR_TUI_REGION)")
    group.add_argument("--endpoint", help="SWR API URL, overrides the region's (env SWR_TUI_ENDPOINT)")
    group.add_argument("--profile", help="profile in the config file (env SWR_TUI_PROFILE)")
    group.add_argument("--demo", action="store_true", help="use the embedded demo registry, no credentials")
    group.add_argument("--timeout", type=_timeout_seconds, help="seconds to wait for an answer (default 20)")
    group.add_argument("--ca-bundle", dest="ca_bundle", help="PEM file of CA certificates for a private CA")
    group.add_argument("--insecure", action="store_true", help="do not verify TLS; allow http to any host")
    group.add_argument("--username", help="IAM user for password login (env SWR_TUI_USERNAME)")
    group.add_argument("--domain", help="account (domain) name for password login (env SWR_TUI_DOMAIN)")
    group.add_argument(
        "--iam-endpoint",
        dest="iam_endpoint",
        help="IAM URL for password login, overrides the region's (env HUAWEICLOUD_SDK_IAM_ENDPOINT)",
    )
    group.add_argument(
        "--registry-endpoint",
        dest="registry_endpoint",
        help="registry (pull host) URL, overrides the region's (env SWR_TUI_REGISTRY_ENDPOINT)",
    )
    return common


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _timeout_seconds(text: str) -> float:
    from .settings.config_file import MAX_TIMEOUT_S

    value = _positive_float(text)
    if value > MAX_TIMEOUT_S:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_TIMEOUT_S:g} seconds (an hour)")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


MAX_PORT = 65535  # TCP port numbers are 16 bits


def _port(text: str) -> int:
    value = _non_negative_int(text)
    if value > MAX_PORT:
        raise argparse.ArgumentTypeError(f"must be between 0 and {MAX_PORT} (0 picks a free port)")
    return value


def _page_limit(text: str) -> int:
    value = _non_negative_int(text)
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("must be between 1 and 1000 (the API's maximum page size)")
    return value


def build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = _Parser(
        prog="swr-tui",
        description="Browse Huawei Cloud SWR: namespaces, repositories, image tags and their manifests.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"swr-tui {__version__}")
    parser.add_argument("--namespace", help="open the TUI on this namespace")
    parser.add_argument("--repo", help="open the TUI on this repository (NAMESPACE/REPO)")
    parser.add_argument(
        "--watch-interval",
        type=_positive_float,
        metavar="SECONDS",
        help="seconds between polls when watching a repository with w (default 30, or [watch] interval)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    output = _Parser(add_help=False)
    output.add_argument("--output", "-o", choices=("table", "json", "tsv", "csv"), default="table")

    commands.add_parser("namespaces", parents=[common, output], help="list namespaces")
    repos = commands.add_parser("repos", parents=[common, output], help="list repositories")
    repos.add_argument("namespace", nargs="?", help="only this namespace")
    repos.add_argument("--filter", dest="name_filter", help="repository name contains TEXT")
    repos.add_argument("--shared", action="store_true", help="repositories shared with this account")

    tags = commands.add_parser("tags", parents=[common, output], help="list the tags of a repository")
    tags.add_argument("repository", metavar="NAMESPACE/REPO")
    tags.add_argument("--limit", type=_page_limit, help="tags per page, 1-1000 (default 100); not with --all")
    tags.add_argument("--offset", type=_non_negative_int, default=0)
    tags.add_argument("--all", action="store_true", help="every tag (pages fetched concurrently)")
    tags.add_argument("--filter", dest="tag_filter", help="tag name contains TEXT (server-side)")
    tags.add_argument("--order", choices=("desc", "asc"), default="desc", help="by update time")
    tags.add_argument("--with-manifest", action="store_true", help="include each manifest (json/tsv/csv)")

    fake = commands.add_parser("fake-registry", help="serve the demo registry over HTTP for testing")
    fake.add_argument("--host", default="127.0.0.1")
    fake.add_argument("--port", type=_port, default=0, help="0 picks a free port")
    fake.add_argument("--latency-ms", type=float, default=0.0, help="added to every request")
    fake.add_argument("--faults", default="", help="fault spec, e.g. 'tags:503x2,repos:429=1'")
    fake.add_argument(
        "--hostile", action="store_true", help="add namespaces, repositories and tags named with hostile text"
    )
    return parser


def _option(args: argparse.Namespace, name: str, default: Any = None) -> Any:
    return getattr(args, name, default)


def cli_options(args: argparse.Namespace) -> Any:
    from .settings.model import CliOptions

    return CliOptions(
        region=_option(args, "region"),
        endpoint=_option(args, "endpoint"),
        profile=_option(args, "profile"),
        timeout=_option(args, "timeout"),
        ca_bundle=_option(args, "ca_bundle"),
        insecure=bool(_option(args, "insecure", False)),
        username=_option(args, "username"),
        domain=_option(args, "domain"),
        iam_endpoint=_option(args, "iam_endpoint"),
        registry_endpoint=_option(args, "registry_endpoint"),
    )


def resolve(args: argparse.Namespace, err: TextIO) -> Any:
    """Settings for a real registry (imported lazily: the demo and --help need none of it);
    their warnings, such as a credentials file others can read, go to ``err``."""
    from .settings.resolve import resolve_settings

    options = cli_options(args)
    prompt = getpass.getpass if sys.stdin is not None and sys.stdin.isatty() else None
    settings = resolve_settings(options, prompt_password=prompt)
    for warning in settings.warnings:
        err.write(f"swr-tui: warning: {scrub(warning)}\n")
    return settings


def make_client(args: argparse.Namespace, err: TextIO) -> Any:
    """An SwrClient on the demo registry or on the configured one; warnings go to ``err``."""
    if _option(args, "demo", False):
        return demo_client(timeout=_option(args, "timeout") or 20.0)
    from .settings.resolve import build_client

    settings = resolve(args, err)
    return build_client(settings)


def demo_client(
    timeout: float = 20.0,
    latency_ms: float = 0.0,
    region: Optional[str] = None,
    activity_s: Optional[float] = None,
) -> Any:
    """A client on an in-process demo registry; ``activity_s`` makes it push a build that often."""
    from .fake import DEMO_TOKEN, FakeRegistry
    from .fake.credentials import DEMO_REGION
    from .swr.auth import TokenAuth
    from .swr.client import SwrClient

    now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    registry = FakeRegistry(
        now=now, latency_ms=latency_ms, region=region or DEMO_REGION, activity_s=activity_s
    )
    return SwrClient(DEMO_ENDPOINT, TokenAuth(DEMO_TOKEN), timeout=timeout, transport=registry.transport())


async def _with_client(args: argparse.Namespace, err: TextIO, work: Callable[[Any], Awaitable[None]]) -> None:
    if _option(args, "demo", False):
        async with make_client(args, err) as client:
            await work(client)
        return
    from .settings.resolve import build_client

    settings = resolve(args, err)
    async with build_client(settings) as client:
        try:
            await work(client)
        except TransportError as exc:  # say where the unreachable address came from
            raise TransportError(settings.explain(exc)) from None


def cmd_namespaces(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    from .output import NAMESPACE_COLUMNS, namespace_record, write_items

    async def work(client: Any) -> None:
        namespaces = await client.list_namespaces()
        write_items(namespaces, NAMESPACE_COLUMNS, namespace_record, args.output, out)

    asyncio.run(_with_client(args, err, work))


def cmd_repos(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    from .output import REPOSITORY_COLUMNS, repository_record, write_items
    from .swr.bulk import fetch_all_stable
    from .swr.paging import MAX_LIMIT

    async def work(client: Any) -> None:
        list_call = client.list_shared_repositories if args.shared else client.list_repositories
        kwargs = {"namespace": args.namespace, "name": args.name_filter}

        async def fetch(offset: int, limit: int) -> Any:
            return await list_call(offset=offset, limit=limit, **kwargs)

        repos = await fetch_all_stable(fetch, MAX_LIMIT, 4, "the repository list")
        if not repos and args.namespace and not args.shared:
            await _check_namespace_exists(client, args.namespace)
        write_items(repos, REPOSITORY_COLUMNS, repository_record, args.output, out)

    asyncio.run(_with_client(args, err, work))


async def _check_namespace_exists(client: Any, namespace: str) -> None:
    """An empty list is also what SWR sends for a namespace that does not exist: ask (one request,
    made only when the list is empty) so that a typo is not mistaken for an empty namespace."""
    from .swr.errors import NotFoundError

    found = await client.list_namespaces(name=namespace)
    if not any(item.name == namespace for item in found):
        raise NotFoundError(
            f"Namespace {namespace!r} does not exist, or this account cannot see it: "
            "run swr-tui namespaces for the list"
        )


def cmd_tags(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    from .export import TagWriter, tag_columns
    from .output import terminal_width, write_table
    from .swr.bulk import ListChangedError, stream_tags
    from .swr.client import split_repository
    from .swr.paging import DEFAULT_LIMIT, short_of_total

    try:
        namespace, repository = split_repository(args.repository)
    except ValueError as exc:
        raise ConfigurationError(f"{exc} (e.g. tags myns/team/app)") from None
    if args.all and (args.limit is not None or args.offset):
        raise ConfigurationError(
            "--all prints every tag, and --limit/--offset choose one page: use one or the other"
        )
    columns = tag_columns(args.with_manifest)
    width = terminal_width(out) if args.output == "table" else 0
    writer = TagWriter(args.output, out, args.with_manifest) if args.output != "table" else None
    started = False

    async def write(tags: Sequence[Any]) -> None:
        """One page, in order; the table is aligned page by page (it cannot wait for them all)."""
        nonlocal started
        if writer is not None:
            writer.write(tags)
        else:
            write_table(tags, columns, out, width, header=not started)
        started = True

    async def work(client: Any) -> None:
        if args.all:
            try:
                # Streamed: pages are printed as they arrive, so memory does not grow with the list.
                await stream_tags(client, namespace, repository, write, order=args.order, tag=args.tag_filter)
            except SwrError as exc:
                if not started:
                    raise
                raise SwrError(f"{exc}; the output stopped part way and is incomplete") from exc
        else:
            page = await client.list_tags(
                namespace,
                repository,
                offset=args.offset,
                limit=DEFAULT_LIMIT if args.limit is None else args.limit,
                order=args.order,
                tag=args.tag_filter,
            )
            if short_of_total(page):
                raise ListChangedError(
                    f"The registry sent no tags at offset {args.offset} though it reported {page.total}: "
                    "the list may be changing. Run it again"
                )
            if page.total is not None and page.end < page.total and args.output == "table":
                err.write(
                    f"swr-tui: showing {page.offset + 1}-{page.end} of {page.total} tags; "
                    "use --offset, --limit or --all for more\n"
                )
            await write(page.items)
        if writer is not None:
            writer.finish()
        elif not started:
            write_table((), columns, out, width)

    asyncio.run(_with_client(args, err, work))


def cmd_fake_registry(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    from .fake import server

    try:
        now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
        server.run(
            args.host, args.port, args.latency_ms, args.faults or None, out=out, now=now, hostile=args.hostile
        )
    except ValueError as exc:
        raise ConfigurationError(f"--faults: {exc}") from None
    except server.BindError as exc:
        if exc.usage:
            raise ConfigurationError(str(exc)) from None
        raise SwrError(str(exc)) from None


def _tui_config(
    args: argparse.Namespace, err: TextIO
) -> tuple[tuple[Any, ...], Optional[float], tuple[str, ...]]:
    """The external commands, watch interval and warnings from config.toml. With no file there is
    nothing to parse (the demo then imports none of the settings code); a broken file stops a real
    session but only warns in the demo, which needs no configuration."""
    from .settings.config_paths import config_path, display_path

    demo = _option(args, "demo", False)
    path = config_path()
    if demo and not path.exists():
        return (), None, ()
    from .settings.config_file import load_profiles

    try:
        config = load_profiles()
    except ConfigurationError as exc:
        if not demo:
            raise
        warning = f"{scrub(str(exc))}; the demo runs without it"
        err.write(f"swr-tui: warning: {warning}\n")
        return (), None, (warning,)
    warnings: tuple[str, ...] = ()
    if config.commands:
        from .settings.config_writer import commands_warning

        found = commands_warning(path, shown=display_path(path))
        if found:
            err.write(f"swr-tui: warning: {scrub(found)}\n")
            warnings = (found,)
    return config.commands, config.watch_interval_s, warnings


def cmd_tui(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    from .ui.app import run_app

    namespace, repository = _option(args, "namespace"), _option(args, "repo")
    if repository:
        from .swr.client import split_repository

        try:
            split_repository(repository)
        except ValueError as exc:
            raise ConfigurationError(f"--repo: {exc}") from None
    commands, watch_interval_s, warnings = _tui_config(args, err)
    watch_interval_s = _option(args, "watch_interval") or watch_interval_s
    if watch_interval_s is not None:
        from .settings.config_file import check_watch_interval

        check_watch_interval(watch_interval_s, "--watch-interval")
    extras: dict[str, Any] = {"commands": commands, "warnings": warnings}
    if watch_interval_s is not None:
        extras["watch_interval_s"] = watch_interval_s
    if _option(args, "demo", False):
        from .fake.credentials import DEMO_REGION
        from .settings.profiles import DemoSwitcher

        def demo_in(region: str) -> Any:
            return demo_client(region=region, activity_s=DEMO_ACTIVITY_S)

        switcher = DemoSwitcher(DEMO_REGION, demo_in)
        status = run_app(
            demo_in(DEMO_REGION),
            label=switcher.label,
            namespace=namespace,
            repository=repository,
            switcher=switcher,
            **extras,
        )
        _exit_if_crashed(status)
        return
    from .settings.profiles import ProfileSwitcher, header_label
    from .settings.resolve import build_client

    settings = resolve(args, err)
    # Printed before the screen opens, and hidden by it: said again in the app.
    extras["warnings"] = (*settings.warnings, *warnings)
    status = run_app(
        build_client(settings),
        label=header_label(settings),
        namespace=namespace,
        repository=repository,
        insecure=settings.insecure,
        switcher=ProfileSwitcher(cli_options(args), settings),
        **extras,
    )
    _exit_if_crashed(status)


def _exit_if_crashed(status: int) -> None:
    """A TUI that crashed (Textual printed the traceback) must not look like a clean quit."""
    if status:
        raise SystemExit(status)


COMMANDS: dict[Optional[str], Callable[[argparse.Namespace, TextIO, TextIO], None]] = {
    None: cmd_tui,
    "namespaces": cmd_namespaces,
    "repos": cmd_repos,
    "tags": cmd_tags,
    "fake-registry": cmd_fake_registry,
}


def main(
    argv: Optional[Sequence[str]] = None, out: Optional[TextIO] = None, err: Optional[TextIO] = None
) -> int:
    err = err or sys.stderr or _nowhere()  # sys.stderr is None when started with 2>&-
    stream = out or sys.stdout
    if stream is None:  # started with >&-
        _say(err, "swr-tui: standard output is closed, so nothing can be printed: run it without >&-")
        return EXIT_REGISTRY
    out = cast(TextIO, GuardedOutput(stream))
    words = list(sys.argv[1:] if argv is None else argv)
    not_utf8 = next((word for word in words if not _is_utf8(word)), None)
    if not_utf8 is not None:
        shown = not_utf8.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        _say(err, f"swr-tui: the argument '{scrub(shown)}' is not valid UTF-8 text: type it again")
        return EXIT_USAGE
    try:
        return _run(words, out, err)
    except OutputError as exc:
        _say(err, f"swr-tui: {scrub(str(exc))}")
        return EXIT_REGISTRY
    except BrokenPipeError:
        # `swr-tui tags ... | head` is normal use; keep the interpreter's final flush quiet too.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
        return EXIT_OK


def _run(argv: list[str], out: TextIO, err: TextIO) -> int:
    parser = build_parser()
    try:
        # argparse prints usage errors, --help and --version to sys.stderr / sys.stdout itself.
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(argv)
    except SystemExit as exit_:
        out.flush()
        return int(exit_.code or 0)
    try:
        COMMANDS[args.command](args, out, err)
        out.flush()  # here, not at exit: a full disk is then a message, not a traceback
    except OutputError:
        raise
    except ConfigurationError as exc:
        _say(err, f"swr-tui: {scrub(str(exc))}")
        return EXIT_USAGE
    except SwrError as exc:
        _say(err, f"swr-tui: {scrub(str(exc))}")
        return EXIT_REGISTRY
    except KeyboardInterrupt:
        _say(err, "swr-tui: interrupted")
        return 130
    return EXIT_OK


def _is_utf8(word: str) -> bool:
    """False for bytes that were not UTF-8 in argv (Python keeps them as lone surrogates)."""
    try:
        word.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _say(err: TextIO, line: str) -> None:
    """One line on stderr; a stderr that cannot be written is no reason for a traceback."""
    with contextlib.suppress(OSError, ValueError):
        err.write(line + "\n")
        err.flush()


def _nowhere() -> TextIO:
    return open(os.devnull, "w", encoding="utf-8")  # lives as long as the process
