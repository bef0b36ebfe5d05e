"""The fake registry over real loopback HTTP/1.1 (keep-alive, Content-Length), in a background
thread, plus ``run`` for ``swr-tui fake-registry``."""

from __future__ import annotations

import contextlib
import errno
import socket
import socketserver
import struct
import sys
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Optional, TextIO

from swr_tui.fake import effects
from swr_tui.fake.credentials import (
    DEMO_AK,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_PROJECT_ID,
    DEMO_REGION,
    DEMO_SK,
    DEMO_TOKEN,
    DEMO_USER,
)
from swr_tui.fake.faults import FaultPlan
from swr_tui.fake.wire import FakeRequest

if TYPE_CHECKING:
    from swr_tui.fake.registry import FakeRegistry

IDLE_CONNECTION_S = 30.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    # The default backlog of 5 drops connections when a client opens many at once (a SYN retry
    # then costs a whole second).
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], registry: FakeRegistry) -> None:
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

    def __init__(self, registry: FakeRegistry, host: str = "127.0.0.1", port: int = 0) -> None:
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


class BindError(Exception):
    """The server could not listen where asked. ``usage`` is True when the address itself is wrong
    (a name that does not resolve, an address of another machine), False when it is busy or barred."""

    def __init__(self, message: str, usage: bool) -> None:
        super().__init__(message)
        self.usage = usage

    @classmethod
    def from_os_error(cls, exc: OSError, host: str, port: int) -> BindError:
        if isinstance(exc, socket.gaierror):
            return cls(f"--host {host!r} is not a host name or address this machine can resolve", True)
        if exc.errno == errno.EADDRNOTAVAIL:
            return cls(f"--host {host!r} is not an address of this machine: use 127.0.0.1", True)
        if exc.errno == errno.EADDRINUSE:
            return cls(f"Port {port} on {host} is in use: choose another --port, or 0 for a free one", False)
        if exc.errno == errno.EACCES:
            return cls(f"Not allowed to listen on port {port} on {host}: use a port above 1023", False)
        return cls(f"Cannot listen on {host} port {port}: {exc.strerror or exc}", False)


def run(
    host: str = "127.0.0.1",
    port: int = 0,
    latency_ms: float = 0.0,
    faults_spec: Optional[str] = None,
    out: TextIO = sys.stdout,
    *,
    seed: int = 0,
    now: Optional[datetime] = None,
    stop: Optional[threading.Event] = None,
    hostile: bool = False,
) -> int:
    """Serve until Ctrl+C (or until ``stop`` is set). A bad ``faults_spec`` raises ValueError
    before anything is bound. ``hostile`` serves the hostile data set (``swr_tui.fake.hostile``)."""
    from swr_tui.fake.registry import FakeRegistry

    plan = FaultPlan.parse(faults_spec, seed=seed)
    registry_class = FakeRegistry
    if hostile:
        from swr_tui.fake.hostile import HostileRegistry

        registry_class = HostileRegistry
    registry = registry_class(seed=seed, latency_ms=latency_ms, faults=plan, now=now)
    try:
        running = registry.serve(host, port)
    except OSError as exc:
        raise BindError.from_os_error(exc, host, port) from None
    with running as server:
        _print_banner(server, plan, latency_ms, out)
        waiter = stop or threading.Event()
        try:
            while not waiter.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    print("fake SWR registry stopped", file=out, flush=True)
    return 0


def _print_banner(server: RunningServer, plan: FaultPlan, latency_ms: float, out: TextIO) -> None:
    lines = [
        f"fake SWR registry listening on {server.url}",
        "",
        f"  endpoint   {server.url}   (region {DEMO_REGION}, project {DEMO_PROJECT_ID})",
        f"  token      X-Auth-Token: {DEMO_TOKEN}",
        f"  AK/SK      AK {DEMO_AK}   SK {DEMO_SK}",
        f"  IAM login  POST {server.url}/v3/auth/tokens   user {DEMO_USER}, domain {DEMO_DOMAIN}, "
        f"password {DEMO_PASSWORD}",
        "",
        f"  try: SWR_TUI_ENDPOINT={server.url} SWR_TUI_TOKEN={DEMO_TOKEN} swr-tui",
        "  or log in with the password (this server is the IAM endpoint too):",
        f"       SWR_TUI_PASSWORD={DEMO_PASSWORD} swr-tui --endpoint {server.url} "
        f"--iam-endpoint {server.url} --region {DEMO_REGION} --username {DEMO_USER} --domain {DEMO_DOMAIN}",
    ]
    if latency_ms:
        lines.append(f"  latency    {latency_ms:g} ms per request")
    for rule in plan.rules:
        lines.append(f"  fault      {rule}")
    if server.host not in ("127.0.0.1", "::1", "localhost"):
        lines.append(
            f"  warning    bound to {server.host}: anyone who can reach it can use the demo credentials"
        )
    lines.append("")
    lines.append("Press Ctrl+C to stop.")
    print("\n".join(lines), file=out, flush=True)
