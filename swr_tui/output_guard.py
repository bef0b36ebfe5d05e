"""Standard output for the headless commands, with a failed write said in one line, not a traceback.

Kept apart from ``output.py`` so that wrapping the stream costs no import (the TUI and ``--version``
pass through here too).
"""

from __future__ import annotations

from typing import Any, TextIO

from .swr.errors import SwrError


class OutputError(SwrError):
    """Standard output cannot be written (a full disk, /dev/full, a closed descriptor)."""


class GuardedOutput:
    """The stream the commands print to, turning a failed write into ``OutputError`` (one line,
    exit 1) rather than a traceback. ``BrokenPipeError`` passes through: the reader has gone (``| head``),
    which is no error. Everything else is the wrapped stream's."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:  # ValueError: "I/O operation on closed file"
            raise _output_error(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            raise _output_error(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _output_error(exc: Exception) -> OutputError:
    reason = getattr(exc, "strerror", None) or str(exc)
    return OutputError(f"Cannot write the output: {reason}")
