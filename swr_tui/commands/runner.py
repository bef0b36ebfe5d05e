"""Running a command on the terminal the app has handed over: ctrl+c goes to the command, not to
swr-tui, and with ``pause`` the output stays until Enter is pressed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Callable, Optional, TextIO


def program_missing(argv: Sequence[str], path: Optional[str] = None) -> Optional[str]:
    """A message when argv's program is not on PATH (or not executable), else None.

    Checked before the app suspends, so a typo is a toast, not a flash of the bare terminal.
    """
    program = argv[0]
    if shutil.which(program, path=path) is not None:
        return None
    if os.sep in program:
        return f"{program}: no such program (or it is not executable)"
    return f"{program}: command not found on PATH"


def describe_exit(name: str, status: int) -> str:
    if status < 0:
        try:
            signal_name = signal.Signals(-status).name
        except ValueError:
            signal_name = f"signal {-status}"
        return f"{name} was ended by {signal_name}"
    return f"{name} exited with status {status}"


def run_foreground(
    argv: Sequence[str],
    *,
    pause: bool = True,
    name: str = "",
    terminal_in: Optional[int] = None,
    terminal_out: Optional[TextIO] = None,
) -> int:
    """Run ``argv`` on the inherited terminal (never through a shell unless argv is one) and return
    its exit status (negative: the signal that ended it).

    ``ctrl+c`` reaches the command, not swr-tui. With ``pause``, ask for Enter before returning,
    so the output can be read; EOF returns at once. ``terminal_in`` (a file descriptor) and
    ``terminal_out`` default to the process's stdin and stdout, which is the terminal once the app
    has suspended.
    """
    name = name or os.path.basename(argv[0])
    out = sys.__stdout__ if terminal_out is None else terminal_out
    with _interrupts_go_to_the_child():
        try:
            status = subprocess.run(list(argv), check=False).returncode  # noqa: S603 - no shell
        except OSError as exc:  # vanished since the PATH check, not executable, not a program
            _say(out, f"\n[swr-tui] {name}: {exc.strerror or exc}")
            status = 126 if isinstance(exc, PermissionError) else 127
    if pause:
        _say(out, f"\n[swr-tui] {describe_exit(name, status)}. Press Enter to return to swr-tui.")
        _wait_for_enter(terminal_in)
    return status


def _say(out: Optional[TextIO], text: str) -> None:
    if out is None:
        return
    try:
        out.write(text)
        out.flush()
    except (OSError, ValueError):
        pass


class _Interrupted(Exception):
    pass


def _raise_interrupted(signum: int, frame: Any) -> None:
    raise _Interrupted


def _ignore(signum: int, frame: Any) -> None:
    """A handler that does nothing. Unlike SIG_IGN, a handler is reset to the default in the
    child at exec, so the command itself still stops on ctrl+c."""


def _on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def _interrupts_go_to_the_child(handler: Callable[[int, Any], None] = _ignore) -> Iterator[None]:
    """While the command runs, ctrl+c (SIGINT) and ctrl+\\ (SIGQUIT) go to the whole foreground
    process group: the command should stop, swr-tui should not. (Signals can only be handled on
    the main thread; elsewhere nothing changes.)"""
    saved: dict[int, Any] = {}
    if _on_main_thread():
        for signum in (signal.SIGINT, getattr(signal, "SIGQUIT", None)):
            if signum is not None:
                saved[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, previous in saved.items():
            signal.signal(signum, previous)


def _wait_for_enter(terminal_in: Optional[int]) -> None:
    """Read up to a newline (or a carriage return, should the command have left the terminal raw);
    EOF, an error or ctrl+c return at once."""
    if terminal_in is None:
        stream = sys.__stdin__
        if stream is None:
            return
        try:
            terminal_in = stream.fileno()
        except (OSError, ValueError):
            return
    with _interrupts_go_to_the_child(_raise_interrupted):
        try:
            for byte in _bytes(terminal_in):
                if byte in (b"\n", b"\r"):
                    return
        except (_Interrupted, OSError):
            return


def _bytes(fd: int) -> Iterator[bytes]:
    while True:
        byte = os.read(fd, 1)
        if not byte:
            return
        yield byte
