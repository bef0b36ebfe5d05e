"""Arming the fake registry with fault rules written as `--demo-faults` specs, and shortening a
client's timeout only while a fault strikes."""

from __future__ import annotations

import httpx

from swr_tui.fake import FakeRegistry
from swr_tui.fake.faults import parse_spec
from swr_tui.swr.client import SwrClient


def arm(registry: FakeRegistry, spec: str) -> None:
    """Add every rule of ``spec`` (e.g. ``"tags:503+2x1"`` or ``"tags:500,iam:429"``) to ``registry``."""
    for rule in parse_spec(spec):
        registry.faults.add(rule)


def set_timeout(client: SwrClient, seconds: float) -> None:
    """The client's timeout for the requests it starts from now on. SwrClient takes it when built; a
    test shortens it only for the request its fault strikes, so that a loaded machine cannot time
    out the requests before and after it too."""
    client.timeout = seconds
    client._http.timeout = httpx.Timeout(seconds, connect=min(seconds, 10.0))  # type: ignore[attr-defined]
