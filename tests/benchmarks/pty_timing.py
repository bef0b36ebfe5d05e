"""Time a program's first frame in a real pseudo-terminal: start it under a pty of a given size and
timestamp its output until a marker string appears (headless Textual never writes a frame)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Mapping, Sequence
from typing import Optional


class MarkerNotSeen(RuntimeError):
    """The program exited or timed out before printing the marker."""


def _set_size(fd: int, columns: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def time_to_marker(
    argv: Sequence[str],
    marker: str,
    *,
    env: Optional[Mapping[str, str]] = None,
    columns: int = 120,
    rows: int = 40,
    timeout_s: float = 30.0,
) -> float:
    """Seconds from fork to the first output containing ``marker``; the program is then killed."""
    wanted = marker.encode()
    environment = dict(os.environ if env is None else env)
    start = time.perf_counter()
    pid, master = pty.fork()
    if pid == 0:  # the child: the slave side is already its controlling terminal and stdio
        try:
            _set_size(0, columns, rows)
            os.execve(argv[0], list(argv), environment)  # noqa: S606 (our own command line)
        finally:
            os._exit(127)
    seen = bytearray()
    try:
        deadline = start + timeout_s
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise MarkerNotSeen(f"{marker!r} not seen within {timeout_s:g} s from {argv}")
            ready, _, _ = select.select([master], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal (it exited)
                chunk = b""
            if not chunk:
                tail = bytes(seen[-600:]).decode(errors="replace")
                raise MarkerNotSeen(f"{argv} exited before printing {marker!r}; last output: {tail!r}")
            # Search the joined tail, so a marker split across two reads is still found.
            search_from = max(0, len(seen) - len(wanted) + 1)
            seen += chunk
            if seen.find(wanted, search_from) != -1:
                return time.perf_counter() - start
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(master)


def terminal_env(extra: Optional[Mapping[str, str]] = None) -> dict[str, str]:
    """A plain truecolour xterm environment, the same for every program compared."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SWR_TUI_", "HUAWEICLOUD_SDK_", "HW_", "TEXTUAL"))
    }
    env.update({"TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8"})
    env.pop("NO_COLOR", None)
    if extra:
        env.update(extra)
    return env


if __name__ == "__main__":  # python pty_timing.py MARKER PROGRAM ARGS...
    print(f"{time_to_marker(sys.argv[2:], sys.argv[1], env=terminal_env()) * 1000:.0f} ms")
