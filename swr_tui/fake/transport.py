"""The fake registry as an httpx transport: no sockets, same semantics, faults raised as the
exceptions httpx would raise for them over a network."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx

from swr_tui.fake import effects
from swr_tui.fake.outcome import RequestHandler
from swr_tui.fake.wire import FakeRequest, FakeResponse


class _CutOffStream(httpx.AsyncByteStream):
    """Yields the start of a body, then fails as a reset connection would."""

    def __init__(self, part: bytes, request: httpx.Request) -> None:
        self._part = part
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._part:
            yield self._part
        raise httpx.ReadError("connection reset by peer (fake registry reset fault)", request=self._request)


# What one socket read gives: an encoded body (a gzip bomb) is unpacked a read at a time, not whole.
WIRE_CHUNK_BYTES = 64 * 1024


class _BodyStream(httpx.AsyncByteStream):
    """Yields a body in ``size``-byte parts, ``pause_s`` apart (a trickle: size 1). A stream, not
    ``content=``: httpx reads and decodes ``content`` at once, which a gzip bomb must not get."""

    def __init__(self, body: bytes, size: int, pause_s: float = 0.0) -> None:
        self._body = body
        self._size = max(size, 1)
        self._pause_s = pause_s

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self._body), self._size):
            yield self._body[start : start + self._size]
            if self._pause_s:
                await asyncio.sleep(self._pause_s)


class FakeTransport(httpx.AsyncBaseTransport):
    def __init__(self, registry: RequestHandler) -> None:
        self.registry = registry

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        raw_path, _, raw_query = request.url.raw_path.decode("ascii").partition("?")
        headers = tuple(
            (key.decode("latin-1"), value.decode("latin-1")) for key, value in request.headers.raw
        )
        fake = FakeRequest(request.method, raw_path, raw_query, headers, body)
        # A 1000-tag page takes tens of milliseconds to build: keep that off the caller's event loop.
        outcome = await asyncio.to_thread(self.registry.handle, fake)
        if outcome.delay_s > 0:
            await asyncio.sleep(outcome.delay_s)
        if outcome.action == effects.HANG:
            read_timeout = request.extensions.get("timeout", {}).get("read")
            if read_timeout is not None and read_timeout <= outcome.hang_s:
                await asyncio.sleep(read_timeout)
                raise httpx.ReadTimeout("timed out (fake registry timeout fault)", request=request)
            await asyncio.sleep(outcome.hang_s)
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        if outcome.action == effects.DROP or outcome.response is None:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        response = outcome.response
        if outcome.action == effects.RESET:
            cut_off = _CutOffStream(response.body[: len(response.body) // 2], request)
            return httpx.Response(
                response.status, headers=_with_length(response), stream=cut_off, request=request
            )
        if outcome.action == effects.TRICKLE or response.header("Content-Encoding"):
            trickled = outcome.action == effects.TRICKLE
            parts = _BodyStream(response.body, 1 if trickled else WIRE_CHUNK_BYTES, outcome.hang_s)
            return httpx.Response(
                response.status, headers=_with_length(response), stream=parts, request=request
            )
        return httpx.Response(
            response.status, headers=list(response.headers), content=response.body, request=request
        )


def _with_length(response: FakeResponse) -> list[tuple[str, str]]:
    """The headers of a body handed over as a stream, with the Content-Length a server sends."""
    return [*response.headers, ("Content-Length", str(len(response.body)))]
