"""What each fault kind does to an answer."""

from __future__ import annotations

from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import Any, Optional

from swr_tui.fake import faults, hostile_wire, routes
from swr_tui.fake.image_configs import bend_config
from swr_tui.fake.replies import Page, Reply, gateway_error, gateway_html, iam_error, swr_error
from swr_tui.fake.wire import FakeRequest

RESPOND = "respond"
HANG = "hang"
DROP = "drop"
RESET = "reset"
TRICKLE = "trickle"  # send the body a byte at a time; Decided.hang_s is the pause between bytes

DEFAULT_HANG_S = 30.0
DEFAULT_DRIFT = 5
DEFAULT_HUGE_TOTAL = 1_000_000_000_000
LONG_TOTAL_DIGITS = 5_000
BAD_CONTENT_RANGE = "items {first}-{last}/abc"

_SWR_CODES = {
    400: ("SVCSTG.SWR.4000014", "Invalid request params"),
    401: ("SVCSTG.SWR.4010000", "Authentication failed"),
    403: ("SVCSTG.SWR.4030170", "Insufficient permissions"),
    404: ("SVCSTG.SWR.4040009", "Image list not found"),
    409: ("SVCSTG.SWR.4090023", "System busy, please try again later"),
    500: ("SVCSTG.SWR.5000001", "Internal error"),
}
# Fields that keep their values under wrong-shape=nulls, so a row can still be told apart.
_KEPT_UNDER_NULLS = frozenset({"Tag", "tag", "name", "namespace"})


@dataclass(frozen=True)
class Decided:
    action: str
    reply: Optional[Reply] = None
    hang_s: float = 0.0


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def decide(firing: faults.Firing, route: str, request_id: str) -> Decided:
    """The answer for a rule that fires before the registry is asked."""
    rule = firing.rule
    if rule.kind == faults.TIMEOUT:
        return Decided(HANG, hang_s=float(rule.arg) if rule.arg is not None else DEFAULT_HANG_S)
    if rule.kind == faults.DROP:
        return Decided(DROP)
    if rule.kind == faults.DEEP_ERROR:
        return Decided(RESPOND, hostile_wire.deep_error(int(rule.arg or 500)))
    if rule.kind == faults.CONFIG_MISSING:
        return Decided(RESPOND, api_missing(request_id))
    if rule.kind == faults.THROTTLE:
        reply = gateway_error(
            429,
            "APIGW.0308",
            "The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute",
            request_id,
        )
        if rule.arg is not None:
            reply.headers["Retry-After"] = str(rule.arg)
        return Decided(RESPOND, reply)
    status = int(rule.arg or 500)
    if status in (502, 503, 504):
        return Decided(RESPOND, gateway_html(status, _phrase(status)))
    if route == routes.IAM:
        return Decided(RESPOND, iam_error(status, _phrase(status), _phrase(status)))
    code, message = _SWR_CODES.get(status, (f"SVCSTG.SWR.{status}0000", _phrase(status)))
    return Decided(RESPOND, swr_error(status, code, message))


def api_missing(request_id: str) -> Reply:
    """What the API gateway answers for a path it has no API for (also a region without one)."""
    return gateway_error(
        404, "APIGW.0101", "The API does not exist or has not been published in the environment", request_id
    )


def bend(reply: Reply, firing: faults.Firing, request: Optional[FakeRequest] = None) -> Decided:
    """Apply a rule that alters a real answer, in place; returns the action for the connection."""
    rule = firing.rule
    if rule.kind == faults.RESET:
        return Decided(RESET)
    if rule.kind == faults.TRICKLE:
        return Decided(TRICKLE, hang_s=float(rule.arg or 0) / 1000.0)
    if rule.kind == faults.DEEP_JSON:
        reply.raw = hostile_wire.deep_json(int(rule.arg or hostile_wire.DEFAULT_DEPTH))
    elif rule.kind == faults.GZIP_BOMB:
        hostile_wire.bomb(reply)
    elif rule.kind == faults.BAD_GZIP:
        reply.headers["Content-Encoding"] = "gzip"
    elif rule.kind == faults.REDIRECT:
        hostile_wire.redirect(reply, request, int(rule.arg) if rule.arg is not None else None)
    elif rule.kind == faults.BAD_UTF8:
        hostile_wire.bad_utf8(reply)
    elif rule.kind == faults.ECHO_TOKEN:
        hostile_wire.echo(reply, request, int(rule.arg) if rule.arg is not None else None)
    elif rule.kind == faults.MALFORMED:
        whole = reply.body()
        reply.status = 200
        reply.raw = whole[: len(whole) // 2] if len(whole) > 2 else b"{"
    elif rule.kind == faults.WRONG_SHAPE:
        reply.payload = _reshape(reply.payload, str(rule.arg or "container"))
    elif rule.kind == faults.ODD_CONFIG:
        reply.payload = bend_config(reply.payload, str(rule.arg or "list"))
    elif reply.page is not None:
        _bend_page(reply, reply.page, rule, firing.number)
    return Decided(RESPOND)


def _bend_page(reply: Reply, page: Page, rule: faults.FaultRule, number: int) -> None:
    if rule.kind == faults.NO_CONTENT_RANGE:
        reply.page = None
    elif rule.kind == faults.BAD_CONTENT_RANGE:
        reply.page = None
        reply.headers["Content-Range"] = BAD_CONTENT_RANGE.format(
            first=page.offset, last=page.offset + max(page.count, 1) - 1
        )
    elif rule.kind == faults.EMPTY_PAGE:
        reply.payload = {**reply.payload, page.list_key: []} if page.list_key else []
        reply.page = replace(page, count=0, total=max(page.total, 1))
    elif rule.kind == faults.TOTAL_DRIFT:
        drift = int(rule.arg) if rule.arg is not None else DEFAULT_DRIFT
        reply.page = replace(page, total=max(0, page.total + drift * number))
    elif rule.kind == faults.HUGE_TOTAL:
        if rule.arg == faults.LONG_TOTAL and page.list_key and isinstance(reply.payload, dict):
            # Written as bytes: Python will not turn a 5,000-digit int into text.
            reply.page = None
            reply.raw = reply.body()[:-1] + b',"total":1' + b"0" * (LONG_TOTAL_DIGITS - 1) + b"}"
        elif rule.arg == faults.LONG_TOTAL:
            reply.page = None
            reply.headers["Content-Range"] = f"{page.offset}-{page.count}/1{'0' * (LONG_TOTAL_DIGITS - 1)}"
        else:
            total = int(rule.arg) if rule.arg is not None else DEFAULT_HUGE_TOTAL
            reply.page = replace(page, total=total)


def rewrite_query(params: dict[str, str], firings: list[faults.Firing]) -> dict[str, str]:
    """The query the registry answers once the query kinds have fired (ignore-offset: offset 0)."""
    if any(firing.rule.kind == faults.IGNORE_OFFSET for firing in firings):
        return {**params, "offset": "0"}
    return params


def _reshape(payload: Any, how: str) -> Any:
    if how == "strings":
        return _numbers_as_strings(payload)
    if how == "nulls":
        return _nulls(payload)
    if isinstance(payload, list):
        return {"items": payload, "total": len(payload)}
    if isinstance(payload, dict) and len(payload) == 1 and isinstance(next(iter(payload.values())), list):
        return next(iter(payload.values()))
    return [payload]


def _numbers_as_strings(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _numbers_as_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_numbers_as_strings(item) for item in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: item
            if key in _KEPT_UNDER_NULLS
            else (_nulls(item) if isinstance(item, (dict, list)) else None)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_nulls(item) for item in value]
    return value
