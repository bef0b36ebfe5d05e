"""Arming the fake registry with fault rules written as `--demo-faults` specs."""

from __future__ import annotations

from swr_tui.fake import FakeRegistry
from swr_tui.fake.faults import parse_spec


def arm(registry: FakeRegistry, spec: str) -> None:
    """Add every rule of ``spec`` (e.g. ``"tags:503+2x1"`` or ``"tags:500,iam:429"``) to ``registry``."""
    for rule in parse_spec(spec):
        registry.faults.add(rule)
