"""``RegistryClient``: the OCI distribution API of one registry host (SWR's pull host), read only.

The token dance: ``GET /v2/`` answers 401 with a Bearer challenge; its realm (checked by
``hosts.check_realm``) gives a token for ``repository:NS/REPO:pull`` in exchange for the Basic
login (``login.LoginChain``); manifests, blobs and referrers are then fetched with
``Authorization: Bearer``. Tokens are kept per repository until shortly before they expire and
renewed once when the registry answers 401 anyway. Every manifest fetched by digest and every blob
is checked against its digest. Only GET is ever sent.
"""

from __future__ import annotations

import asyncio
import json
import re
import ssl
import time
from collections.abc import Sequence
from typing import Any, Callable, NamedTuple, Optional, Union
from urllib.parse import quote

import httpx

from ...safe_text import scrub
from .. import log_redaction
from ..body import MAX_BODY_BYTES, BodyTooLargeError, read_capped, size_text
from ..client import DEADLINE_GRACE_S, DEFAULT_TIMEOUT_S, USER_AGENT, Sleep
from ..errors import (
    HttpError,
    NotFoundError,
    RequestTimeoutError,
    ResponseFormatError,
    SwrError,
    describe_transport_error,
    error_from_response,
    loads_lenient,
    shown_header,
)
from ..retry import RETRYABLE_STATUSES, RetryPolicy
from . import digests, hosts
from .challenge import Challenge, bearer_challenge
from .errors import RegistryAuthError
from .login import LoginChain, RegistryLogin
from .tokens import BearerTokens

MANIFEST_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
MANIFEST_ACCEPT = ", ".join(MANIFEST_TYPES)
# The OCI distribution spec has registries accept manifests of at least 4 MiB; the app shows
# 5 MB ones from the management API. Twice that holds any real manifest.
MAX_MANIFEST_BYTES = 8 * 1024 * 1024
# Image configs are a few KiB; one with 10,000 history steps and 2 MB of labels is about 5 MB.
MAX_CONFIG_BLOB_BYTES = 16 * 1024 * 1024
# A token answer is a JWT of a kilobyte or two.
MAX_TOKEN_ANSWER_BYTES = 256 * 1024
BODY_LIMIT = "swr_tui.body_limit"  # a request extension: the body cap for that answer
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_TOKEN_TEXT = re.compile(r"[\x21-\x7e]+")
_MEDIA_TYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}")


class Manifest(NamedTuple):
    media_type: str
    digest: str
    content: bytes


class RegistryClient:
    """One registry host. ``login`` gives the Basic login for the token realm (None: anonymous)."""

    def __init__(
        self,
        endpoint: str,
        login: Optional[LoginChain] = None,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        verify: Union[bool, ssl.SSLContext] = True,
        insecure: bool = False,
        transport: Optional[httpx.AsyncBaseTransport] = None,
        retry: Optional[RetryPolicy] = None,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        direct_origins: tuple[str, ...] = (),
    ) -> None:
        log_redaction.install()
        self.endpoint = endpoint.rstrip("/")
        self.registry = httpx.URL(self.endpoint)
        self.host = self.registry.netloc.decode("ascii")  # host[:port], as messages name it
        self.timeout = timeout
        self.insecure = insecure
        self.retry = retry or RetryPolicy()
        self.request_count = 0
        self.token_requests = 0
        self._login = login
        self._sleep = sleep
        self._tokens = BearerTokens(clock)
        self._challenge: Optional[Challenge] = None
        self._anonymous = False  # GET /v2/ answered 200: this registry wants no token
        self._locks: dict[str, asyncio.Lock] = {}
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            verify=verify,
            transport=transport,
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
            trust_env=True,
            mounts={origin: None for origin in direct_origins},
            event_hooks={"request": [_remember_secrets], "response": [_read_capped]},
        )

    def __repr__(self) -> str:
        return f"RegistryClient(endpoint={self.endpoint!r})"

    async def __aenter__(self) -> RegistryClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- operations ---------------------------------------------------------------------------

    async def get_manifest(self, repository: str, reference: str) -> Manifest:
        """A manifest by tag or digest: (media type, digest, bytes). By digest, the bytes are
        checked against it; by tag, against the ``Docker-Content-Digest`` the registry sent."""
        by_digest = reference.startswith(("sha256:", "sha512:"))
        if by_digest:
            digests.check_digest(reference)
        elif not _TAG.fullmatch(reference):
            raise SwrError(f"{scrub(reference[:80])!r} is neither a tag nor a digest")
        what = f"the manifest of {scrub(repository)}{'@' if by_digest else ':'}{scrub(reference)}"
        response = await self._get(
            repository, f"manifests/{quote(reference, safe=':')}", what, MAX_MANIFEST_BYTES, MANIFEST_ACCEPT
        )
        content = response.content
        announced = response.headers.get("docker-content-digest", "").strip()
        if announced and not digests.DIGEST.fullmatch(announced):
            raise ResponseFormatError(
                f"The registry announced {what} with a Docker-Content-Digest that is not a digest: "
                f"{scrub(announced[:80])!r}"
            )
        digest = reference if by_digest else (announced or digests.digest_of(content))
        digests.verify(content, digest, what)
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        if not _MEDIA_TYPE.fullmatch(media_type):
            media_type = _declared_type(content)
        return Manifest(media_type, digest, content)

    async def get_blob(self, repository: str, digest: str, limit: int = MAX_CONFIG_BLOB_BYTES) -> bytes:
        """A blob (an image config), checked against its digest; at most ``limit`` bytes."""
        digests.check_digest(digest)
        what = f"blob {digest[:19]}… of {scrub(repository)}"
        response = await self._get(repository, f"blobs/{digest}", what, limit, "*/*")
        digests.verify(response.content, digest, what)
        return response.content

    async def referrers(self, repository: str, digest: str) -> Optional[list[dict[str, Any]]]:
        """The descriptors of the manifests that refer to ``digest`` (signatures, attestations);
        None where the registry does not offer the referrers API (404)."""
        digests.check_digest(digest)
        what = f"the referrers of {scrub(repository)}@{digest[:19]}…"
        try:
            response = await self._get(
                repository,
                f"referrers/{digest}",
                what,
                MAX_MANIFEST_BYTES,
                "application/vnd.oci.image.index.v1+json",
            )
        except NotFoundError:
            return None
        try:
            document = loads_lenient(response.content)
        except (ValueError, RecursionError):
            document = None
        items = document.get("manifests") if isinstance(document, dict) else None
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise ResponseFormatError(f"The registry's answer for {what} is not an OCI index of descriptors")
        return items

    # -- the token dance ----------------------------------------------------------------------

    async def _get(self, repository: str, tail: str, what: str, limit: int, accept: str) -> httpx.Response:
        scope = f"repository:{_repository_path(repository)}:pull"
        url = self.registry.join(f"/v2/{_repository_path(repository)}/{tail}")
        renewed = False
        attempt = 0
        while True:
            token = await self._token(scope)
            headers = {"Accept": accept}
            if token:
                headers["Authorization"] = f"Bearer {token}"
            response = await self._send(url, headers, limit, what, (token,) if token else ())
            if response.status_code == 401 and token and not renewed:
                self._tokens.drop(scope, token)  # expired or revoked early: renew once
                renewed = True
                continue
            if response.status_code == 401:
                raise RegistryAuthError(
                    f"The registry {self.host} refused the token it issued for {what}: the "
                    "login may lack pull permission on this repository",
                    status=401,
                )
            if response.status_code in RETRYABLE_STATUSES:
                error = error_from_response(response, what, secrets=(token,) if token else ())
                delay = self.retry.delay_for_status(attempt, getattr(error, "retry_after", None))
                if delay is None:
                    raise error
                attempt += 1
                await self._sleep(delay)
                continue
            if response.is_error:
                raise _registry_error(response, what, (token,) if token else ())
            return response

    async def _token(self, scope: str) -> Optional[str]:
        token = self._tokens.get(scope)
        if token is not None or self._anonymous:
            return token
        lock = self._locks.setdefault(scope, asyncio.Lock())
        async with lock:
            token = self._tokens.get(scope)
            if token is not None:
                return token
            challenge = await self._ping()
            if challenge is None:
                return None
            return await self._fetch_token(challenge, scope)

    async def _ping(self) -> Optional[Challenge]:
        if self._challenge is not None or self._anonymous:
            return self._challenge
        response = await self._send(
            self.registry.join("/v2/"), {}, MAX_TOKEN_ANSWER_BYTES, "the registry's /v2/", ()
        )
        if response.status_code == 200:
            self._anonymous = True
            return None
        if response.status_code != 401:
            raise _registry_error(response, f"the registry's /v2/ at {self.host}", ())
        self._challenge = bearer_challenge(response.headers.get("www-authenticate"), self.host)
        return self._challenge

    async def _fetch_token(self, challenge: Challenge, scope: str) -> str:
        realm = hosts.check_realm(challenge.realm or "", self.registry)
        login = await self._login() if self._login is not None else None
        params = {"scope": scope}
        if challenge.service:
            params["service"] = challenge.service
        headers = {"Accept": "application/json"}
        secrets: Sequence[str] = ()
        if login is not None:
            headers["Authorization"] = f"Basic {login.basic_value()}"
            secrets = login.secrets()
        self.token_requests += 1
        what = f"a token for {scope} from {realm.host}"
        response = await self._send(
            realm.copy_merge_params(params), headers, MAX_TOKEN_ANSWER_BYTES, what, secrets, follow=False
        )
        if response.status_code in (401, 403):
            if login is not None and self._login is not None:
                self._login.forget(login)
            raise RegistryAuthError(_refused(login, self.host), status=response.status_code)
        if response.is_error or response.is_redirect:
            raise _registry_error(response, what, secrets)
        token, expires_in = _token_from(response, what)
        log_redaction.remember([token])
        self._tokens.keep(scope, token, expires_in)
        return token

    # -- one request, redirects followed by hand ----------------------------------------------

    async def _send(
        self,
        url: httpx.URL,
        headers: dict[str, str],
        limit: int,
        what: str,
        secrets: Sequence[str],
        follow: bool = True,
    ) -> httpx.Response:
        current = url
        for _ in range(hosts.MAX_REDIRECTS + 1):
            sent = dict(headers)
            if not hosts.same_origin(current, url):
                sent.pop("Authorization", None)  # never to another host (object storage)
            response = await self._one(current, sent, limit, what)
            if not response.is_redirect or not follow:
                return response
            location = response.headers.get("location")
            current = hosts.check_redirect(location, current, self.insecure, what)
        raise HttpError(
            f"The registry redirected the request for {what} more than {hosts.MAX_REDIRECTS} times"
        )

    async def _one(self, url: httpx.URL, headers: dict[str, str], limit: int, what: str) -> httpx.Response:
        self.request_count += 1
        attempt = 0
        while True:
            try:
                return await asyncio.wait_for(
                    self._http.get(url, headers=headers, extensions={BODY_LIMIT: limit}),
                    self.timeout + DEADLINE_GRACE_S,
                )
            except asyncio.TimeoutError:
                raise RequestTimeoutError(
                    f"Timed out waiting for {url.host} ({what}): nothing complete within {self.timeout:g} s. "
                    "The link may be slow: retry, or raise --timeout"
                ) from None
            except BodyTooLargeError as exc:
                raise ResponseFormatError(
                    f"The registry's answer for {what} is over {size_text(exc.limit)}, so swr-tui stopped "
                    "reading it: it is not what was asked for"
                ) from None
            except httpx.TransportError as exc:
                delay = self.retry.delay_for_exception(attempt, exc)
                if delay is None:
                    raise describe_transport_error(
                        exc, f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}"
                    ) from None
            except httpx.HTTPError as exc:
                raise SwrError(f"Could not send the request for {what}: {type(exc).__name__}") from None
            attempt += 1
            await self._sleep(delay)


def _repository_path(repository: str) -> str:
    parts = repository.strip().strip("/").split("/")
    if len(parts) < 2 or any(part in ("", ".", "..") for part in parts):
        raise SwrError(f"{scrub(repository[:120])!r} is not NAMESPACE/REPOSITORY")
    return "/".join(quote(part, safe="") for part in parts)


def _declared_type(content: bytes) -> str:
    try:
        declared = json.loads(content).get("mediaType")
    except (ValueError, AttributeError, RecursionError):
        return ""
    return declared if isinstance(declared, str) and _MEDIA_TYPE.fullmatch(declared) else ""


def _token_from(response: httpx.Response, what: str) -> tuple[str, Optional[float]]:
    try:
        document = loads_lenient(response.content)
    except (ValueError, RecursionError):
        document = None
    if not isinstance(document, dict):
        raise RegistryAuthError(f"The answer to {what} is not a JSON object, so it holds no token")
    token = document.get("token") or document.get("access_token")
    if not isinstance(token, str) or not token:
        raise RegistryAuthError(
            f'The answer to {what} holds no token (neither "token" nor "access_token"): the registry\'s '
            "token service is not answering as SWR's does"
        )
    if not _TOKEN_TEXT.fullmatch(token):
        raise RegistryAuthError(f"The answer to {what} holds a token that is not plain ASCII text")
    expires_in = document.get("expires_in")
    lifetime = (
        float(expires_in)
        if isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool)
        else None
    )
    return token, lifetime


def _refused(login: Optional[RegistryLogin], host: str) -> str:
    if login is None:
        return (
            f"The registry {host} wants a login and none was found: set HUAWEICLOUD_SDK_AK and "
            "HUAWEICLOUD_SDK_SK, run docker login for it, or use a token (SWR_TUI_TOKEN) so swr-tui "
            "can ask for a temporary login"
        )
    return (
        f"The registry {host} refused the login from {login.source}. Check those credentials (a "
        "temporary login expires; a long-term one needs the AK/SK of this account)"
    )


def _registry_error(response: httpx.Response, what: str, secrets: Sequence[str]) -> HttpError:
    if response.status_code == 404:
        request_id = shown_header(response, "x-request-id", secrets)
        return NotFoundError(f"Not found on the registry: {what}", status=404, request_id=request_id)
    return error_from_response(response, what, secrets=secrets)


async def _remember_secrets(request: httpx.Request) -> None:
    value = request.headers.get("authorization", "")
    _, _, credential = value.partition(" ")
    if credential:
        log_redaction.remember([credential.strip()])


async def _read_capped(response: httpx.Response) -> None:
    await read_capped(response, int(response.request.extensions.get(BODY_LIMIT, MAX_BODY_BYTES)))
