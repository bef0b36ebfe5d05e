"""An SWR stand-in that behaves like SWR: generated data, real paging and filters, token and
AK/SK auth, IAM login, seeded fault injection, and tags pushed, moved and deleted at run time
(``FakeRegistry.push_tag``, ``delete_tag``, ``activity_s``); served in-process (an httpx
transport) or over loopback HTTP. Used by ``swr-tui --demo``, ``swr-tui fake-registry``, the tests
and the benchmarks.
"""

from __future__ import annotations

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
from swr_tui.fake.faults import FaultPlan, FaultRule
from swr_tui.fake.registry import FakeRegistry, RecordedRequest

__all__ = [
    "DEMO_AK",
    "DEMO_DOMAIN",
    "DEMO_PASSWORD",
    "DEMO_PROJECT_ID",
    "DEMO_REGION",
    "DEMO_SK",
    "DEMO_TOKEN",
    "DEMO_USER",
    "FakeRegistry",
    "FaultPlan",
    "FaultRule",
    "RecordedRequest",
]
