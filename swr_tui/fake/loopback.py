"""The fake registry over real loopback HTTP/1.1 (keep-alive, Content-Length), in a background
thread: ``RunningServer``, which ``FakeRegistry.serve`` starts."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from swr_tui.fake import effects
from swr_tui.fake.outcome import RequestHandler
from swr_tui.fake.wire import FakeRequest

IDLE_CONNECTION_S = 30.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    # The default backlog of 5 drops connections when a client opens many at once (a SYN retry
    # then costs a whole second).
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], registry: RequestHandler) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.registry = registry
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host name, which can stall on a machine without DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake handler threads waiting on idle keep-alive connections."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = IDLE_CONNECTION_S
    # Headers and body leave in one write, and without Nagle's delay: otherwise every response on
    # a keep-alive connection waits ~40 ms for a delayed ACK.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        # A client that gave up mid-answer (a gzip bomb, a trickle) resets the connection.
        with contextlib.suppress(ConnectionError):
            super().handle()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        raw_path, _, raw_query = self.path.partition("?")
        request = FakeRequest(self.command, raw_path, raw_query, tuple(self.headers.items()), body)
        outcome = self.server.registry.handle(request)
        stopping = self.server.stopping
        if outcome.delay_s > 0 and stopping.wait(outcome.delay_s):
            self.close_connection = True
            return
        if outcome.action == effects.HANG:
            stopping.wait(outcome.hang_s)
            self.close_connection = True
            return
        response = outcome.response
        if outcome.action == effects.DROP or response is None:
            self.close_connection = True
            return
        self.send_response_only(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if outcome.action == effects.RESET:
            self.wfile.write(response.body[: len(response.body) // 2])
            self.wfile.flush()
            self._reset_connection()
            return
        if self.command == "HEAD":
            return
        try:
            if outcome.action == effects.TRICKLE:
                self._trickle(response.body, outcome.hang_s)
            else:
                self.wfile.write(response.body)
        except OSError:  # the client gave up (a bomb it stopped reading, a trickle it timed out)
            self.close_connection = True

    def _trickle(self, body: bytes, pause_s: float) -> None:
        self.wfile.flush()  # the headers go at once
        for index in range(len(body)):
            self.wfile.write(body[index : index + 1])
            self.wfile.flush()
            if self.server.stopping.wait(pause_s):
                self.close_connection = True
                return

    def _reset_connection(self) -> None:
        # Linger 0 plus closing the descriptor now sends RST rather than FIN, so the client sees a
        # reset (ECONNRESET) and not a clean end of stream.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        socket.close(self.connection.detach())
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve


class RunningServer:
    """A started server; use it as a context manager or call ``stop``."""

    def __init__(self, registry: RequestHandler, host: str = "127.0.0.1", port: int = 0) -> None:
        self.registry = registry
        self._httpd = _Server((host, port), registry)
        self.host = host
        self.port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-swr-server",
            daemon=True,
        )
        self._thread.start()
        self._stopped = False

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._httpd.stopping.set()
        self._httpd.shutdown()
        self._httpd.close_connections()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
