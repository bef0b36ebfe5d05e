"""Replies before they become bytes, and the error bodies of each layer SWR sits behind.

A reply stays structured (payload, page) until the end so faults can bend it, then ``finish``
turns it into status, headers and body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from typing import Any, Optional

from swr_tui.fake.wire import FakeResponse

JSON_TYPE = "application/json;charset=utf-8"
HTML_TYPE = "text/html"


@dataclass
class Page:
    offset: int
    count: int
    total: int
    # The Enterprise Edition's lists: the items under this key of an object, the total in its
    # ``total`` (added by ``finish``, so the page faults bend it) instead of a Content-Range header.
    list_key: str = ""

    def content_range(self) -> str:
        # The documented meaning is offset-count/total; the middle number is unverified.
        return f"{self.offset}-{self.count}/{self.total}"


@dataclass
class Reply:
    status: int
    payload: Any = None
    raw: Optional[bytes] = None
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)
    page: Optional[Page] = None

    def body(self) -> bytes:
        if self.raw is not None:
            return self.raw
        if self.payload is None:
            return b""
        return json.dumps(self.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def finish(reply: Reply, request_id: str, moment: datetime) -> FakeResponse:
    in_body = reply.page is not None and bool(reply.page.list_key)
    if in_body and reply.page is not None and isinstance(reply.payload, dict):
        reply.payload = {**reply.payload, "total": reply.page.total}
    body = reply.body()
    headers = [("Date", format_datetime(moment, usegmt=True)), ("X-Request-Id", request_id)]
    if body or reply.raw is not None or reply.payload is not None:
        headers.append(("Content-Type", reply.content_type))
    if reply.page is not None and not in_body:
        headers.append(("Content-Range", reply.page.content_range()))
    headers.extend(reply.headers.items())
    return FakeResponse(reply.status, tuple(headers), body)


def swr_error(status: int, code: str, message: str) -> Reply:
    """SWR's current error body, which carries the old and the new field sets together."""
    return Reply(
        status,
        {
            "errors": [{"errorCode": code, "errorMessage": message, "detail": ""}],
            "error_code": code,
            "error_msg": message,
            "details": [{"error_code": code, "error_msg": ""}],
        },
    )


def gateway_error(status: int, code: str, message: str, request_id: str) -> Reply:
    """The API gateway's body: bad or expired credentials, unknown API, throttling."""
    return Reply(status, {"error_code": code, "error_msg": message, "request_id": request_id})


def iam_error(status: int, title: str, message: str) -> Reply:
    return Reply(status, {"error": {"code": status, "message": message, "title": title}})


def gateway_html(status: int, reason: str) -> Reply:
    """What an nginx-style gateway in front of SWR sends for 502/503/504: HTML, not JSON."""
    page = (
        f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    )
    return Reply(status, raw=page.encode("ascii"), content_type=HTML_TYPE)


def invalid_param(message: str) -> Reply:
    return swr_error(400, "SVCSTG.SWR.4001025", f"Invalid query param: {message}")
