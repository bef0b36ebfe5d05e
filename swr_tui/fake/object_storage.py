"""Where the fake registry redirects a blob (``blob-redirect``): a second tiny server on another
loopback host, as SWR hands blobs to object storage. It records whether each request carried an
``Authorization`` header, which a client must never send to another host."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

from swr_tui.fake import effects
from swr_tui.fake.data_plane_routes import OBJECTS_PREFIX
from swr_tui.fake.loopback import RunningServer
from swr_tui.fake.outcome import Outcome
from swr_tui.fake.replies import Reply, finish
from swr_tui.fake.wire import FakeRequest

DEFAULT_HOST = "127.0.0.2"  # another loopback address: another host as far as a client can tell
MAX_HELD_BLOBS = 256  # blobs handed out and not fetched yet; a test fetches a handful


@dataclass(frozen=True)
class ObjectRequest:
    path: str
    host: str
    authorization: Optional[str]


class ObjectStorage:
    """Serves each blob it is handed at an unguessable path; ``requests`` is what arrived."""

    def __init__(self, host: str = DEFAULT_HOST) -> None:
        self.host = host
        self._lock = threading.Lock()
        self._blobs: dict[str, bytes] = {}
        self._requests: list[ObjectRequest] = []
        self._server: Optional[RunningServer] = None
        self.url = ""

    def start(self) -> str:
        """Listen on ``host`` (once); the base URL."""
        with self._lock:
            if self._server is None:
                server = RunningServer(self, self.host, 0)
                self._server = server
                self.url = server.url
        return self.url

    def stop(self) -> None:
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            server.stop()

    def put(self, blob: bytes) -> str:
        """The URL the blob can be fetched from, with a query like a presigned URL's."""
        key = secrets.token_hex(16)
        with self._lock:
            self._blobs[key] = blob
            while len(self._blobs) > MAX_HELD_BLOBS:
                self._blobs.pop(next(iter(self._blobs)))
        return f"{self.start()}{OBJECTS_PREFIX}{key}?X-Obs-Signature={secrets.token_hex(8)}"

    @property
    def requests(self) -> list[ObjectRequest]:
        with self._lock:
            return list(self._requests)

    def answer(self, request: FakeRequest) -> Reply:
        with self._lock:
            self._requests.append(
                ObjectRequest(request.raw_path, request.header("Host") or "", request.header("Authorization"))
            )
            blob = self._blobs.get(request.raw_path[len(OBJECTS_PREFIX) :])
        if request.method != "GET" or blob is None:
            return Reply(404, raw=b"NoSuchKey", content_type="text/plain")
        return Reply(200, raw=blob, content_type="application/octet-stream")

    def handle(self, request: FakeRequest) -> Outcome:
        response = finish(self.answer(request), secrets.token_hex(8), datetime.now(timezone.utc))
        return Outcome(effects.RESPOND, response)
