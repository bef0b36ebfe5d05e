"""SWR region ids and their API endpoints (the SDK's ``SwrRegion`` table)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Optional

REGIONS: tuple[str, ...] = (
    "af-south-1", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "cn-east-2", "cn-east-3", "cn-east-4",
    "cn-north-1", "cn-north-2", "cn-north-4",
    "cn-south-1", "cn-south-2", "cn-southwest-2",
    "ru-northwest-2", "la-south-2", "sa-brazil-1",
    "cn-north-9", "cn-north-11", "na-mexico-1", "la-north-2", "tr-west-1", "ae-ad-1",
    "eu-west-101", "ru-moscow-1", "my-kualalumpur-1", "me-east-1", "eu-west-0",
    "ap-southeast-5", "cn-east-5", "af-north-1", "ap-southeast-4", "cn-south-4",
    "cn-southwest-3", "cn-north-12", "sa-peru-1",
)  # fmt: skip

_DOMAIN_EXCEPTIONS = {"eu-west-101": "myhuaweicloud.eu"}


def _domain(region: str) -> str:
    return _DOMAIN_EXCEPTIONS.get(region, "myhuaweicloud.com")


def endpoint_for(region: str, environ: Optional[Mapping[str, str]] = None) -> str:
    """The API endpoint of a region, honouring the SDK's ``HUAWEICLOUD_SDK_REGION_SWR_<ID>`` override.

    Unknown regions follow the common host pattern so that new regions work before this table knows
    them; ``is_known_region`` lets the caller warn about a likely typo.
    """
    environ = os.environ if environ is None else environ
    override = environ.get("HUAWEICLOUD_SDK_REGION_SWR_" + region.upper().replace("-", "_"), "")
    first = override.split(",")[0].strip()
    if first:
        return first.rstrip("/")
    return f"https://swr-api.{region}.{_domain(region)}"


def iam_endpoint_for(region: str) -> str:
    return f"https://iam.{region}.{_domain(region)}"


def pull_host_for(region: str) -> str:
    return f"swr.{region}.{_domain(region)}"


def is_known_region(region: str) -> bool:
    return region in REGIONS
