"""A child process on a real pseudo-terminal, for the tests that check what reaches a terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Mapping, Sequence
from typing import Optional

# CSI, OSC, DCS/SOS/PM/APC strings and two-byte escapes.
ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")


class Terminal:
    """The parent end of a pty with a child process on the other end; every byte it writes is kept."""

    def __init__(self, pid: int, fd: int, step_timeout_s: float) -> None:
        self.pid = pid
        self.fd = fd
        self.step_timeout_s = step_timeout_s
        self.output = bytearray()
        self.exit_status: Optional[int] = None

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not chunk:
            return False
        self.output.extend(chunk)
        return True

    def pump(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self._read(deadline - time.monotonic()):
            pass

    def text(self, start: int = 0) -> str:
        """What was written from ``start``, without escape sequences (a frame's words run together
        where the cursor jumped, so markers are matched without spaces)."""
        return ESCAPES.sub(b"", bytes(self.output[start:])).decode("utf-8", "replace")

    def wait_for_bytes(self, marker: bytes, start: int = 0, timeout: Optional[float] = None) -> None:
        deadline = time.monotonic() + (self.step_timeout_s if timeout is None else timeout)
        while marker not in self.output[start:]:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{marker!r} never appeared; last output: {bytes(self.output[-600:])!r}"
            if not self._read(min(remaining, 0.2)):
                raise AssertionError(f"the app ended before {marker!r}: {bytes(self.output[-2000:])!r}")

    def wait_for_text(self, marker: str, start: int = 0, timeout: Optional[float] = None) -> None:
        wanted = marker.replace(" ", "")
        deadline = time.monotonic() + (self.step_timeout_s if timeout is None else timeout)
        while wanted not in self.text(start).replace(" ", ""):
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{marker!r} never appeared; last output: {self.text(start)[-800:]!r}"
            if not self._read(min(remaining, 0.2)):
                raise AssertionError(f"the app ended before {marker!r}: {self.text(start)[-2000:]!r}")

    def wait_quiet(self, quiet_s: float, timeout: Optional[float] = None) -> None:
        """Until the child has written nothing for ``quiet_s`` (a frame is complete), or ``timeout``."""
        deadline = time.monotonic() + (self.step_timeout_s if timeout is None else timeout)
        while time.monotonic() < deadline:
            before = len(self.output)
            if not self._read(min(quiet_s, deadline - time.monotonic())):
                return
            if len(self.output) == before:
                return
        raise AssertionError(f"the output never paused for {quiet_s} s")

    def send(self, keys: str, pause: float = 0.03) -> None:
        os.write(self.fd, keys.encode("utf-8"))
        self.pump(pause)

    def wait_exit(self, timeout: float) -> Optional[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._read(0.1)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.pump(0.1)
                self.exit_status = os.waitstatus_to_exitcode(status)
                return self.exit_status
        return None

    def kill(self) -> None:
        if self.exit_status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        os.close(self.fd)


def spawn(
    argv: Sequence[str], env: Mapping[str, str], rows: int, columns: int, step_timeout_s: float
) -> Terminal:
    """Run ``argv`` on a new pty of ``rows`` x ``columns``; the caller kills it when done."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: size its terminal, then become the program
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            os.execve(argv[0], list(argv), dict(env))  # noqa: S606
        finally:
            os._exit(127)
    return Terminal(pid, fd, step_timeout_s)
