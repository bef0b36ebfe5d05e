"""A request and a response as plain values, the same for the loopback server and the transport."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class FakeRequest:
    method: str
    raw_path: str  # exactly as on the wire, still percent-encoded
    raw_query: str
    headers: tuple[tuple[str, str], ...]
    body: bytes = b""

    def header(self, name: str) -> Optional[str]:
        wanted = name.lower()
        found = None
        for key, value in self.headers:
            if key.lower() == wanted:
                found = value
        return found

    def header_map(self) -> dict[str, str]:
        """Lower-cased names; a repeated header keeps its last value."""
        return {key.lower(): value for key, value in self.headers}


@dataclass(frozen=True)
class FakeResponse:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> Optional[str]:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)
