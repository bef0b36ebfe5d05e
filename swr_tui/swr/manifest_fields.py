"""Reading a manifest's fields leniently: an odd value becomes a problem (described briefly,
quoted safely) and a fallback, never an exception."""

from __future__ import annotations

import json
import re
from typing import Any, Optional

MAX_PROBLEMS = 5
SHORT = 60
SURROGATE = re.compile("[\ud800-\udfff]")
Pairs = tuple[tuple[str, str], ...]


class Problems:
    """Collects what is odd about a document; the summary shows the first few."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        self.items.append(message)

    def text(self) -> Optional[str]:
        if not self.items:
            return None
        shown = "; ".join(self.items[:MAX_PROBLEMS])
        hidden = len(self.items) - MAX_PROBLEMS
        return f"{shown} (and {hidden} more)" if hidden > 0 else shown


def read_annotations(value: Any, where: str, problems: Problems) -> Pairs:
    if value is None:
        return ()
    if not isinstance(value, dict):
        problems.add(f"{where} is {describe(value)}, not an object")
        return ()
    pairs = []
    for key, item in value.items():
        if not isinstance(item, str):
            problems.add(f"{where}[{short(key)}] is {describe(item)}, not a string")
            item = scalar_text(item)
        pairs.append((key, item))
    return tuple(pairs)


def read_string(data: dict[str, Any], key: str, where: str, problems: Problems) -> str:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value or ""
    problems.add(f"{where} is {describe(value)}, not a string")
    return scalar_text(value)


def read_required_string(data: dict[str, Any], key: str, where: str, problems: Problems) -> str:
    if data.get(key) is None:
        problems.add(f"{where} is missing")
        return ""
    return read_string(data, key, where, problems)


def read_size(data: dict[str, Any], where: str, problems: Problems) -> int:
    value = data.get("size")
    if value is None:
        problems.add(f"{where} is missing")
        return 0
    number = read_integer(value)
    if number is None:
        problems.add(f"{where} is {describe(value)}, not a number")
        return 0
    if not is_int(value):
        problems.add(f"{where} is {describe(value)}, not an integer")
    if number < 0:
        problems.add(f"{where} is negative")
        return 0
    return number


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read_integer(value: Any) -> Optional[int]:
    """An integer from a number or a numeric string; None when there is none."""
    if is_int(value):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and len(value) <= 40:
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return value
    return ""


def describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        number = repr(value)
        return f"the number {number if len(number) <= SHORT else number[: SHORT - 1] + '…'}"
    if isinstance(value, str):
        return f"the string {short(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def short(text: str) -> str:
    """Quote a value for an error message, cut so a 5 MB string cannot flood it."""
    if len(text) > SHORT:
        text = text[: SHORT - 1] + "…"
    return escape_surrogates(json.dumps(text, ensure_ascii=False))


def escape_surrogates(text: str) -> str:
    return SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
