"""Endpoint URLs, region ids and the loopback rules: which http:// is allowed, which bypasses a proxy."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from ..swr import regions
from ..swr.errors import ConfigurationError
from ..swr.hosts import is_loopback_host as is_loopback_host  # the rule lives with the client

NO_REGION_MESSAGE = (
    "No region or endpoint: pass --region (e.g. cn-north-4) or set SWR_TUI_REGION, "
    "or --endpoint URL / SWR_TUI_ENDPOINT"
)

REGION_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_HOST_NAME = re.compile(r"[A-Za-z0-9._-]+")


def normalise_endpoint(value: str, what: str = "The endpoint") -> str:
    """``host`` -> ``https://host``; trailing ``/`` removed; ConfigurationError if not an http(s) URL."""
    text = value.strip()
    if not text:
        raise ConfigurationError(f"{what} is empty")
    if "://" not in text:
        text = "https://" + text
    shown = repr(value.strip())
    if any(not ch.isprintable() for ch in text):
        raise ConfigurationError(f"{what} {shown} contains a control character: use https://HOST[:PORT]")
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:  # an unclosed "[", or a bracketed host that is not an IPv6 address
        raise ConfigurationError(f"{what} {shown} is not a URL: use https://HOST[:PORT]") from None
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ConfigurationError(f"{what} {shown} has an invalid port") from None
    if "@" in parts.netloc:
        raise ConfigurationError(
            f"{what} must not contain a user name or password: give credentials through the environment"
        )
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ConfigurationError(f"{what} {shown} is not a URL: use https://HOST[:PORT]")
    bracketed = "[" in parts.netloc or "]" in parts.netloc
    bad_host = (
        not host or (not _HOST_NAME.fullmatch(host) and not _is_ip(host)) or (bracketed and ":" not in host)
    )
    if bad_host or any(ch.isspace() for ch in text) or parts.query or parts.fragment:
        raise ConfigurationError(f"{what} {shown} is not a URL: use https://HOST[:PORT]")
    return f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def normalise_endpoint_lenient(value: str) -> str:
    """``normalise_endpoint``, or the text as given when it is no URL (refused later, if it is used)."""
    try:
        return normalise_endpoint(value)
    except ConfigurationError:
        return value.strip()


def check_plain_http(url: str, insecure: bool, what: str) -> None:
    """Refuse http:// to another machine unless --insecure: credentials would cross the network in clear."""
    parts = urlsplit(url)
    if parts.scheme != "http" or insecure or is_loopback_host(parts.hostname or ""):
        return
    raise ConfigurationError(
        f"{what} uses plain http:// to a host that is not this machine, so credentials would cross the "
        "network in clear. Use https://, or pass --insecure if you really mean it"
    )


def check_region(region: str, origin: str) -> str:
    if REGION_ID.fullmatch(region):
        return region
    known = ", ".join(sorted(regions.REGIONS))
    raise ConfigurationError(f"Region {region!r} (from {origin}) is not a region id. Valid ids: {known}")


def direct_origins(urls: Iterable[str]) -> tuple[str, ...]:
    """The plain-http loopback origins among ``urls`` (the endpoint, the IAM endpoint), which
    bypass any proxy.

    Plain http is allowed to loopback without --insecure because the bytes never leave this
    machine; a proxy from HTTP_PROXY/ALL_PROXY would carry them (and the token) elsewhere in clear.
    """
    origins = []
    for url in urls:
        try:
            parts = urlsplit(url)
            host = parts.hostname or ""
        except ValueError:  # an IAM endpoint that is not a URL is refused if password login uses it
            continue
        if parts.scheme == "http" and is_loopback_host(host):
            origins.append(f"http://{parts.netloc}")
    return tuple(dict.fromkeys(origins))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
