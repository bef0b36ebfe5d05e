"""What a carrier (the loopback server, the in-process transport) gets from the registry: the
outcome of one request. The carriers know only this, not the registry, so the registry can offer
them (``FakeRegistry.serve``, ``transport``) without an import cycle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Protocol

from swr_tui.fake.wire import FakeRequest, FakeResponse


@dataclass(frozen=True)
class Outcome:
    """What the carrier does: wait ``delay_s``, then respond, hang, drop or reset."""

    action: str
    response: Optional[FakeResponse]
    delay_s: float = 0.0
    hang_s: float = 0.0


class RequestHandler(Protocol):
    """Anything that answers a request as the registry does (``FakeRegistry``, a test's wrapper)."""

    def handle(self, request: FakeRequest) -> Outcome: ...
