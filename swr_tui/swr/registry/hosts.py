"""Where the registry client may send a request, and with which credentials.

The rule for the token realm (where the Basic login goes): the registry's own origin (scheme,
host and port, as ``--registry-endpoint`` or the region gave it, whose plain http the settings
already limit to loopback unless ``--insecure``), or ``https`` on a documented auth host of the
registry. SWR documents its realm on the pull host itself
(``https://swr.{region}.myhuaweicloud.com/swr/auth/v2/registry/auth/``), so the registry's host
on another port is its only documented auth host. Any other realm is refused before anything is
sent: a registry (or whoever answers in its name) cannot have the login sent elsewhere.

Redirects (blobs handed to object storage) are followed by hand, at most ``MAX_REDIRECTS``, to
https anywhere, or plain http only on this machine (or anywhere with ``--insecure``); the bearer
token goes only to the registry's own origin, never to another host.
"""

from __future__ import annotations

from typing import Optional

import httpx

from ...safe_text import scrub
from ..hosts import is_loopback_host
from .errors import RealmRefusedError

# Docker and regctl follow about ten; a blob is handed on once (to object storage), rarely twice.
MAX_REDIRECTS = 3


def same_origin(url: httpx.URL, other: httpx.URL) -> bool:
    return (url.scheme, url.host, url.port) == (other.scheme, other.host, other.port)


def documented_auth_hosts(registry: httpx.URL) -> frozenset[str]:
    """Hosts SWR documents as serving the token realm of this registry: the pull host itself."""
    return frozenset({registry.host})


def parse_url(text: str, what: str) -> httpx.URL:
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise RealmRefusedError(f"{what} {scrub(text[:120])!r} is not a URL") from None
    if url.scheme not in ("http", "https") or not url.host or url.userinfo:
        raise RealmRefusedError(f"{what} {scrub(text[:120])!r} is not an http(s) URL without a user name")
    return url


def check_realm(realm: str, registry: httpx.URL) -> httpx.URL:
    url = parse_url(realm, f"The token realm the registry {registry.host} named")
    if same_origin(url, registry):
        return url
    shown = f"{url.scheme}://{scrub(url.netloc.decode('ascii', 'replace'))}"
    if url.host not in documented_auth_hosts(registry):
        raise RealmRefusedError(
            f"The registry {registry.host} asks for the login to be sent to {shown}, which is neither "
            "the registry nor its documented auth host: refused, nothing was sent. Check "
            "--registry-endpoint"
        )
    if url.scheme != "https":
        raise RealmRefusedError(
            f"The registry {registry.host} asks for the login to be sent to {shown} over plain http: "
            "refused, nothing was sent (a realm off the registry's own address must use https)"
        )
    return url


def check_redirect(location: Optional[str], current: httpx.URL, insecure: bool, what: str) -> httpx.URL:
    if not location:
        raise RealmRefusedError(f"The registry redirected the request for {what} without saying where to")
    try:
        target = current.join(location)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise RealmRefusedError(
            f"The registry redirected the request for {what} to something not a URL"
        ) from None
    if target.scheme not in ("http", "https") or not target.host:
        raise RealmRefusedError(
            f"The registry redirected the request for {what} to a URL that is not http(s)"
        )
    if target.scheme == "http" and not insecure and not is_loopback_host(target.host):
        raise RealmRefusedError(
            f"The registry redirected the request for {what} to plain http on {scrub(target.host)}: "
            "refused (pass --insecure to allow it)"
        )
    return target
