"""Command line: the TUI (default), the headless commands, and the fake registry."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import Callable, Optional, TextIO, cast

from ..output_guard import GuardedOutput, OutputError
from ..safe_text import scrub
from ..swr.errors import ConfigurationError, SwrError
from .cache import cmd_cache
from .exit_codes import EXIT_OK, EXIT_REGISTRY, EXIT_USAGE
from .governance import cmd_quotas, cmd_retention
from .inspect import cmd_inspect
from .listing import cmd_fake_registry, cmd_namespaces, cmd_repos, cmd_tags
from .parser import build_parser
from .tui import cmd_tui


def cmd_instances(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    from .enterprise import cmd_instances as run  # lazily: the TUI's start never needs it

    run(args, out, err)


def cmd_vulns(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .enterprise import cmd_vulns as run

    return run(args, out, err)


# A command returns None, or an exit status of its own (vulns --fail-on: 3).
COMMANDS: dict[Optional[str], Callable[[argparse.Namespace, TextIO, TextIO], Optional[int]]] = {
    None: cmd_tui,
    "namespaces": cmd_namespaces,
    "repos": cmd_repos,
    "tags": cmd_tags,
    "inspect": cmd_inspect,
    "cache": cmd_cache,
    "fake-registry": cmd_fake_registry,
    "retention": cmd_retention,
    "quotas": cmd_quotas,
    "instances": cmd_instances,
    "vulns": cmd_vulns,
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
        status = COMMANDS[args.command](args, out, err)
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
    return status or EXIT_OK


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
