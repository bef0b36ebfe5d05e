"""The command line run in-process for the CLI suites: exit status, what it wrote to stdout and
stderr, and the checks every run gets (no secret on either stream; an error is one clear line)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from swr_tui.cli import main
from swr_tui.fake import DEMO_SK, DEMO_TOKEN

SECRETS = (DEMO_TOKEN, DEMO_SK)


class Run:
    def __init__(self, *argv: str) -> None:
        out, err = io.StringIO(), io.StringIO()
        self.argv = list(argv)
        self.code = main(self.argv, out=out, err=err)
        self.out = out.getvalue()
        self.err = err.getvalue()
        for secret in SECRETS:
            assert secret not in self.out
            assert secret not in self.err

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    def json(self) -> Any:
        return json.loads(self.out)

    def rows(self, delimiter: str = ",") -> list[list[str]]:
        return list(csv.reader(io.StringIO(self.out), delimiter=delimiter))

    def error_line(self, prefix: str = "swr-tui: ") -> str:
        """The one line on stderr, checked to be one clear line without a traceback."""
        assert self.err.endswith("\n")
        assert self.err.count("\n") == 1, self.err
        assert "Traceback" not in self.err
        assert self.err.startswith(prefix)
        return self.err.rstrip("\n")


def ok(result: Run) -> Run:
    assert result.code == 0, result.err
    return result
