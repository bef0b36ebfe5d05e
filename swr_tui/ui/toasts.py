"""Every toast goes through here: registry text in a message is never read as markup."""

from __future__ import annotations

from typing import Any, Union

from textual.app import App
from textual.widget import Widget

from ..safe_text import scrub
from ..swr.errors import AuthenticationError, SwrError


def say(node: Union[App[Any], Widget], message: str, **options: Any) -> None:
    node.notify(message, markup=False, **options)


def report_error(node: Union[App[Any], Widget], error: SwrError) -> None:
    title = "Check the credentials" if isinstance(error, AuthenticationError) else "Registry error"
    say(node, scrub(str(error)), title=title, severity="error", timeout=8)


def report_failure(node: Union[App[Any], Widget], error: BaseException) -> None:
    """A worker's failure: a registry error as such, anything else as the bug it is (never a traceback)."""
    if isinstance(error, SwrError):
        report_error(node, error)
    else:
        say(
            node,
            f"{type(error).__name__}: {scrub(str(error))[:200]}",
            title="Unexpected error",
            severity="error",
        )
