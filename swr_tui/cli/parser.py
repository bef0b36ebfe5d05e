"""The command line's grammar: options every command takes, the subcommands and their arguments."""

from __future__ import annotations

import argparse
import math

from .. import __version__
from .exit_codes import EXIT_USAGE

MAX_PORT = 65535  # TCP port numbers are 16 bits
SEVERITIES = ("low", "medium", "high", "critical")  # vulns --severity / --fail-on, lowest first


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr, exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _common_options() -> _Parser:
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
    group.add_argument(
        "--no-cache",
        dest="no_cache",
        action="store_true",
        help="neither read nor write the content cache of manifests and configs (everything is asked again)",
    )
    return common


def _platform(text: str) -> str:
    from ..inspection.platforms import check_platform
    from ..swr.errors import ConfigurationError

    try:
        return check_platform(text, "the platform")
    except ConfigurationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
    from ..settings.config_file import MAX_TIMEOUT_S

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
        "--instance",
        metavar="NAME_OR_ID",
        help="open the TUI in this Enterprise Edition instance; --namespace and --repo are then in it "
        "(env SWR_TUI_INSTANCE, profile key instance)",
    )
    parser.add_argument(
        "--watch-interval",
        type=_positive_float,
        metavar="SECONDS",
        help="seconds between polls when watching a repository with w (default 30, or [watch] interval)",
    )
    parser.add_argument(
        "--platform",
        type=_platform,
        metavar="OS/ARCH[/VARIANT]",
        help="the platform a multi-arch tag opens on (default linux/amd64, or [ui] platform)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    output = _Parser(add_help=False)
    output.add_argument("--output", "-o", choices=("table", "json", "tsv", "csv"), default="table")

    # --instance NAME_OR_ID: an Enterprise Edition instance (env SWR_TUI_INSTANCE, profile key instance).
    instance = _Parser(add_help=False, argument_default=argparse.SUPPRESS)
    instance.add_argument(
        "--instance", metavar="NAME_OR_ID", help="an Enterprise Edition instance (env SWR_TUI_INSTANCE)"
    )

    commands.add_parser("namespaces", parents=[common, output, instance], help="list namespaces")
    repos = commands.add_parser("repos", parents=[common, output, instance], help="list repositories")
    repos.add_argument("namespace", nargs="?", help="only this namespace")
    repos.add_argument("--filter", dest="name_filter", help="repository name contains TEXT")
    repos.add_argument("--shared", action="store_true", help="repositories shared with this account")

    tags = commands.add_parser(
        "tags", parents=[common, output, instance], help="list the tags of a repository"
    )
    tags.add_argument("repository", metavar="NAMESPACE/REPO")
    tags.add_argument("--limit", type=_page_limit, help="tags per page, 1-1000 (default 100); not with --all")
    tags.add_argument("--offset", type=_non_negative_int, default=0)
    tags.add_argument("--all", action="store_true", help="every tag (pages fetched concurrently)")
    tags.add_argument("--filter", dest="tag_filter", help="tag name contains TEXT (server-side)")
    tags.add_argument("--order", choices=("desc", "asc"), default="desc", help="by update time")
    tags.add_argument("--with-manifest", action="store_true", help="include each manifest (json/tsv/csv)")

    inspect = commands.add_parser(
        "inspect", parents=[common], help="an image's config, history, platforms and signatures"
    )
    inspect.add_argument("reference", metavar="NAMESPACE/REPO:TAG")
    inspect.add_argument(
        "--platform",
        type=_platform,
        default=argparse.SUPPRESS,  # the one given before the command name stays
        metavar="OS/ARCH[/VARIANT]",
        help="for a multi-arch tag: which platform (default linux/amd64, or [ui] platform)",
    )
    inspect.add_argument("--output", "-o", choices=("table", "json"), default="table")

    cache = commands.add_parser("cache", parents=[common], help="the content cache: info, clear")
    cache_commands = cache.add_subparsers(dest="cache_command", metavar="info|clear", parser_class=_Parser)
    cache_commands.required = True
    cache_info = cache_commands.add_parser("info", help="where the cache is, its entries, size and limit")
    cache_info.add_argument("--output", "-o", choices=("table", "json"), default="table")
    cache_commands.add_parser("clear", help="delete every entry")

    retention = commands.add_parser(
        "retention", parents=[common, output], help="what the retention rule would delete, or its log"
    )
    retention.add_argument("repository", metavar="NAMESPACE/REPO")
    retention.add_argument("--history", action="store_true", help="the tags retention deleted")
    commands.add_parser("quotas", parents=[common, output], help="quotas and the account overview")

    commands.add_parser("instances", parents=[common, output], help="Enterprise Edition instances")
    vulns = commands.add_parser(
        "vulns", parents=[common, output, instance], help="an image's vulnerabilities (Enterprise Edition)"
    )
    vulns.add_argument("reference", metavar="NAMESPACE/REPO:TAG")
    vulns.add_argument("--severity", type=str.lower, choices=SEVERITIES, help="only this severity and above")
    vulns.add_argument(
        "--fail-on",
        dest="fail_on",
        type=str.lower,
        choices=SEVERITIES,
        help="exit 3 if one is at or above this",
    )

    fake = commands.add_parser("fake-registry", help="serve the demo registry over HTTP for testing")
    fake.add_argument("--host", default="127.0.0.1")
    fake.add_argument("--port", type=_port, default=0, help="0 picks a free port")
    fake.add_argument("--latency-ms", type=float, default=0.0, help="added to every request")
    fake.add_argument("--faults", default="", help="fault spec, e.g. 'tags:503x2,repos:429=1'")
    fake.add_argument(
        "--hostile", action="store_true", help="add namespaces, repositories and tags named with hostile text"
    )
    return parser
