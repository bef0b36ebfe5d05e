"""Query strings as SWR reads them: ``filter=k::v|k::v`` or plain params, and filter wins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional
from urllib.parse import parse_qsl


class QueryError(ValueError):
    """A query SWR rejects with 400."""


@dataclass(frozen=True)
class Query:
    params: dict[str, str]  # what the handler obeys
    merged: dict[str, str]  # plain and filter params together (filter wins), for the request log


def parse_filter(value: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for part in value.split("|"):
        if not part:
            continue
        key, sep, item = part.partition("::")
        if not sep or not key:
            raise QueryError(f"filter part {part!r} is not key::value")
        pairs[key] = item
    return pairs


def parse_query(raw_query: str) -> Query:
    plain = dict(parse_qsl(raw_query, keep_blank_values=True))
    raw_filter = plain.pop("filter", None)
    if raw_filter is None:
        return Query(plain, dict(plain))
    filtered = parse_filter(raw_filter)
    return Query(filtered, {**plain, **filtered})


def int_param(params: dict[str, str], name: str, default: int, minimum: int, maximum: Optional[int]) -> int:
    text = params.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise QueryError(f"{name} must be an integer, got {text!r}") from None
    if value < minimum:
        raise QueryError(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise QueryError(f"{name} must be at most {maximum}, got {value}")
    return value


def choice_param(params: dict[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = params.get(name) or default
    if value not in allowed:
        raise QueryError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value
