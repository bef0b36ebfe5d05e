"""Answers a hostile server or proxy gives, for the fault kinds of the same names (``effects``):
JSON nested past any parser's limit, a gzip bomb, a redirect to another host, a byte that is not
UTF-8, and a request id that echoes the caller's secret back.
"""

from __future__ import annotations

import json
import zlib
from functools import lru_cache
from http import HTTPStatus
from typing import Any, Optional
from urllib.parse import quote

from swr_tui.fake import routes
from swr_tui.fake.replies import HTML_TYPE, Reply, iam_error, swr_error
from swr_tui.fake.wire import FakeRequest

# Far past CPython's default recursion limit (1,000), as the report had it.
DEFAULT_DEPTH = 100_000
# 3,000 copies of one compressed MiB of zeros: about 3 MB on the wire, 3 GB once unpacked.
BOMB_CHUNK_BYTES = 1 << 20
BOMB_CHUNKS = 3_000
DEFAULT_REDIRECT = 302
REDIRECT_HOST = "sso.example.invalid"
BAD_BYTE = b"\xff"  # never valid anywhere in UTF-8
_BAD_MARKER = "@@bad-utf8@@"
_NAME_KEYS = ("Tag", "name", "namespace")


def deep_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def deep_error(status: int, depth: int = DEFAULT_DEPTH) -> Reply:
    """An error status whose JSON body is nested ``depth`` arrays deep."""
    return Reply(status, raw=deep_json(depth))


@lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """A gzip stream of BOMB_CHUNKS MiB of zeros. After a full flush the compressor starts afresh,
    so one flushed block repeated is valid deflate; the trailer's CRC covers only the first MiB
    (a client that reads that far has already failed)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    zeros = bytes(BOMB_CHUNK_BYTES)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first + again * (BOMB_CHUNKS - 1) + compressor.flush()


def bomb(reply: Reply) -> None:
    reply.raw = gzip_bomb()
    reply.headers["Content-Encoding"] = "gzip"


def caller_secret(request: Optional[FakeRequest]) -> str:
    """What the caller authenticated with: its token, its AK/SK Authorization, or (IAM) its password."""
    if request is None:
        return ""
    for name in ("X-Auth-Token", "Authorization"):
        value = request.header(name)
        if value:
            return value
    try:
        user = json.loads(request.body)["auth"]["identity"]["password"]["user"]
        return str(user["password"])
    except (ValueError, KeyError, TypeError):
        return ""


def _header_text(value: str) -> str:
    return value.encode("ascii", "replace").decode("ascii")  # the server writes headers as Latin-1


def echo(reply: Reply, request: Optional[FakeRequest], status: Optional[int]) -> None:
    """X-Request-Id carries the caller's secret; with ``status``, the answer is that error too."""
    reply.headers["X-Request-Id"] = _header_text(f"rid-{caller_secret(request)}")
    if status is None:
        return
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    is_iam = request is not None and routes.match(request.raw_path).name == routes.IAM
    error = (
        iam_error(status, phrase, phrase) if is_iam else swr_error(status, f"SVCSTG.SWR.{status}0000", phrase)
    )
    reply.status, reply.payload, reply.raw, reply.page = error.status, error.payload, None, None


def redirect(reply: Reply, request: Optional[FakeRequest], status: Optional[int]) -> None:
    """A redirect to a single-sign-on page on another host, as a proxy in front of an API sends."""
    path = request.raw_path if request is not None else "/"
    ticket = quote(caller_secret(request), safe="")
    reply.status = status or DEFAULT_REDIRECT
    reply.payload, reply.page, reply.content_type = None, None, HTML_TYPE
    reply.raw = b"<html><body>Moved</body></html>"
    reply.headers["Location"] = _header_text(
        f"https://{REDIRECT_HOST}/login?next={quote(path, safe='')}&ticket={ticket}"
    )


def bad_utf8(reply: Reply) -> None:
    """One byte that is not UTF-8 at the end of the first name in a JSON answer."""
    if reply.raw is not None or reply.payload is None:
        return
    payload = json.loads(reply.body())  # a copy: the payload may be shared with the data set
    found = _first_named(payload)
    if found is None:
        return
    holder, key = found
    holder[key] += _BAD_MARKER
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    reply.raw = body.replace(_BAD_MARKER.encode("ascii"), BAD_BYTE, 1)


def _first_named(value: Any) -> Optional[tuple[dict[str, Any], str]]:
    if isinstance(value, dict):
        for key in _NAME_KEYS:
            if isinstance(value.get(key), str):
                return value, key
        children: Any = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return None
    for child in children:
        found = _first_named(child)
        if found is not None:
            return found
    return None
