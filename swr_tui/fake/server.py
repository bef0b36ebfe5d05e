"""``run`` for ``swr-tui fake-registry``: the fake registry served over loopback HTTP until Ctrl+C.
The server itself is ``swr_tui.fake.loopback``."""

from __future__ import annotations

import errno
import socket
import sys
import threading
from datetime import datetime
from typing import Optional, TextIO

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
from swr_tui.fake.data_plane_auth import DEMO_DOCKER_PASSWORD, DEMO_DOCKER_USER, long_term_password
from swr_tui.fake.faults import FaultPlan
from swr_tui.fake.loopback import RunningServer
from swr_tui.fake.registry import FakeRegistry


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
    plan = FaultPlan.parse(faults_spec, seed=seed)
    registry_class: type[FakeRegistry] = FakeRegistry
    if hostile:
        from swr_tui.fake.hostile import HostileRegistry

        registry_class = HostileRegistry
    if hostile:
        registry = registry_class(seed=seed, latency_ms=latency_ms, faults=plan, now=now)
    else:  # config blobs with real bytes, so the data plane (/v2/) serves every image's config
        registry = FakeRegistry(seed=seed, latency_ms=latency_ms, faults=plan, now=now, real_configs=True)
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
        f"  registry   {server.url}/v2/   (the pull host, for --registry-endpoint)",
        f"  login      user {DEMO_REGION}@{DEMO_AK}   password {long_term_password(DEMO_AK, DEMO_SK)}",
        f"             or user {DEMO_DOCKER_USER}   password {DEMO_DOCKER_PASSWORD}",
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
