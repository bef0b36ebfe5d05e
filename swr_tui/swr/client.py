"""SwrClient: one async method per SWR operation, over one ``httpx.AsyncClient``."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable
from typing import Any, Callable, Optional, Union
from urllib.parse import quote

import httpx

from .. import __version__
from ..safe_text import scrub
from . import log_redaction, signer
from .accessories import ACCESSORY_DEFAULT_LIMIT, ACCESSORY_MAX_LIMIT, Accessory
from .body import BodyTooLargeError, read_capped, size_text
from .errors import (
    ApiUnavailableError,
    ConfigurationError,
    HttpError,
    RequestTimeoutError,
    ResponseFormatError,
    SwrError,
    describe_transport_error,
    error_from_response,
    loads_lenient,
    names_a_missing_api,
    request_secrets,
    shown_header,
)
from .image_config import ConfigApiUnavailable, ImageConfig, parse_image_config
from .models import Namespace, Repository, Tag, field_int
from .paging import DEFAULT_LIMIT, Page, check_limit, filter_string, page_total, parse_content_range
from .retry import RetryPolicy

USER_AGENT = f"swr-tui/{__version__}"
DEFAULT_TIMEOUT_S = 20.0
# The timeout is also one deadline for each attempt, body included (a server can send a byte just
# before every read timeout for ever). It ends this much after the timeout, so that httpx's own,
# more precise timeouts (connect, read) speak first when they apply.
DEADLINE_GRACE_S = 0.1
ORDERS = ("desc", "asc")

Sleep = Callable[[float], Awaitable[None]]


def repo_segment(repository: str) -> str:
    """A repository name as a path segment: ``/`` becomes ``$``, then percent-encoded (``a%24b``)."""
    return name_segment(repository.replace("/", "$"))


def name_segment(value: str) -> str:
    """Percent-encoded, and ``.``/``..`` escaped too: an HTTP library would resolve them as a path."""
    segment = url_quote(value)
    return {".": "%2E", "..": "%2E%2E"}.get(segment, segment)


def url_quote(value: str, safe: str = "") -> str:
    try:
        return quote(value, safe=safe)
    except UnicodeEncodeError:
        raise SwrError(
            f"{scrub(value)!r} cannot be put in a URL: it holds an unpaired surrogate, which has no "
            "UTF-8 form. The registry sent a broken name"
        ) from None


def split_repository(full_name: str) -> tuple[str, str]:
    """``NS/team/app`` -> (``NS``, ``team/app``); ValueError without a namespace and a name."""
    namespace, sep, repository = full_name.strip().strip("/").partition("/")
    if not sep or not namespace or not repository:
        raise ValueError(f"expected NAMESPACE/REPOSITORY, got {full_name!r}")
    return namespace, repository


def tls_verify(ca_bundle: Optional[str], insecure: bool) -> Union[bool, ssl.SSLContext]:
    """ConfigurationError when ``ca_bundle`` is not a PEM file of certificates."""
    if insecure:
        return False
    if ca_bundle:
        try:
            return ssl.create_default_context(cafile=ca_bundle)
        except (ssl.SSLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or type(exc).__name__
            raise ConfigurationError(
                f"The CA bundle {scrub(ca_bundle)} could not be used ({reason}): --ca-bundle needs a "
                "PEM file holding one or more certificates (-----BEGIN CERTIFICATE-----)"
            ) from None
    return True


class SwrClient:
    """Talks to one SWR endpoint. Use as ``async with SwrClient(...) as client``.

    Every method raises ``SwrError`` subclasses only; GETs are retried per ``retry``.
    """

    def __init__(
        self,
        endpoint: str,
        auth: Optional[httpx.Auth] = None,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        retry: Optional[RetryPolicy] = None,
        verify: Union[bool, ssl.SSLContext] = True,
        transport: Optional[httpx.AsyncBaseTransport] = None,
        sleep: Sleep = asyncio.sleep,
        max_connections: int = 8,
        direct_origins: tuple[str, ...] = (),
    ) -> None:
        log_redaction.install()
        self.endpoint = endpoint.rstrip("/")
        self.auth_kind = getattr(auth, "kind", "")
        self.timeout = timeout
        self._auth = auth
        self.retry = retry or RetryPolicy()
        self.request_count = 0
        self._sleep = sleep
        self._http = httpx.AsyncClient(
            base_url=self.endpoint,
            auth=auth,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            verify=verify,
            transport=transport,
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
            },
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            follow_redirects=False,
            trust_env=True,
            # Origins such as http://127.0.0.1:8080 reached without any HTTP_PROXY/ALL_PROXY: plain
            # http to this machine must not hand the credentials to a proxy (config.direct_origins).
            mounts={origin: None for origin in direct_origins},
            # Every answer's body, the IAM login's included, is read here with a cap on its size.
            event_hooks={"request": [_remember_secrets], "response": [read_capped]},
        )

    def __repr__(self) -> str:
        return f"SwrClient(endpoint={self.endpoint!r}, auth={self.auth_kind or 'none'})"

    @property
    def auth(self) -> Optional[httpx.Auth]:
        """The auth this client sends with: the registry's temporary login (CreateSecret) reuses it,
        so a password login is not made twice."""
        return self._auth

    async def __aenter__(self) -> SwrClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- operations ---------------------------------------------------------------------------

    async def list_namespaces(self, name: Optional[str] = None, visible: bool = False) -> list[Namespace]:
        """Namespaces the user has rights on; ``visible`` adds those seen only through a repo grant."""
        filters = filter_string(namespace=name, mode="visible" if visible else None)
        data = await self._get_json("/v2/manage/namespaces", filters, "the namespace list")
        items = data.get("namespaces") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise wrong_shape("the namespace list", 'an object with a "namespaces" array')
        return [Namespace.from_api(item) for item in objects_only(items, "the namespace list")]

    async def list_repositories(
        self,
        namespace: Optional[str] = None,
        *,
        name: Optional[str] = None,
        category: Optional[str] = None,
        offset: int = 0,
        limit: int = DEFAULT_LIMIT,
        order_column: str = "name",
        order_type: str = "asc",
    ) -> Page[Repository]:
        filters = filter_string(
            namespace=namespace,
            name=name.replace("/", "$") if name else None,
            category=category,
            offset=offset,
            limit=check_limit(limit),
            order_column=order_column,
            order_type=_order(order_type),
        )
        what = f"the repositories of namespace {namespace}" if namespace else "the repository list"
        return await self._get_page(
            "/v2/manage/repos",
            filters,
            what,
            offset,
            limit,
            lambda item: Repository.from_api(item, namespace or ""),
        )

    async def list_shared_repositories(
        self,
        *,
        center: str = "thirdparty",
        namespace: Optional[str] = None,
        name: Optional[str] = None,
        offset: int = 0,
        limit: int = DEFAULT_LIMIT,
        order_column: str = "name",
        order_type: str = "asc",
    ) -> Page[Repository]:
        """Repositories shared with this account (``thirdparty``) or shared out by it (``self``)."""
        filters = filter_string(
            center=center,
            namespace=namespace,
            name=name.replace("/", "$") if name else None,
            offset=offset,
            limit=check_limit(limit),
            order_column=order_column,
            order_type=_order(order_type),
        )
        return await self._get_page(
            "/v2/manage/shared-repositories",
            filters,
            "the shared repositories",
            offset,
            limit,
            Repository.from_api,
        )

    async def show_repository(self, namespace: str, repository: str) -> Repository:
        path = f"/v2/manage/namespaces/{name_segment(namespace)}/repos/{repo_segment(repository)}"
        what = f"repository {namespace}/{repository}"
        data = await self._get_json(path, "", what)
        if not isinstance(data, dict):
            raise wrong_shape(what, "an object")
        return Repository.from_api(data, namespace)

    async def list_tags(
        self,
        namespace: str,
        repository: str,
        *,
        offset: int = 0,
        limit: int = DEFAULT_LIMIT,
        order: str = "desc",
        tag: Optional[str] = None,
    ) -> Page[Tag]:
        """One page of tags ordered by update time; ``tag`` filters by tag name on the server."""
        filters = filter_string(
            offset=offset,
            limit=check_limit(limit),
            order_column="updated_at",
            order_type=_order(order),
            tag=tag or None,
        )
        path = f"/v2/manage/namespaces/{name_segment(namespace)}/repos/{repo_segment(repository)}/tags"
        what = f"the tags of {namespace}/{repository}"
        return await self._get_page(path, filters, what, offset, limit, Tag.from_api)

    async def show_tag(self, namespace: str, repository: str, tag: str) -> Tag:
        path = self._tag_path(namespace, repository, tag)
        what = f"tag {namespace}/{repository}:{tag}"
        data = await self._get_json(path, "", what)
        if not isinstance(data, dict):
            raise wrong_shape(what, "an object")
        return Tag.from_api(data)

    async def get_image_config(self, namespace: str, repository: str, tag: str) -> ImageConfig:
        """ShowRepoTagConfig, parsed: see ``get_image_config_body``."""
        return parse_image_config(await self.get_image_config_body(namespace, repository, tag))

    async def get_image_config_body(self, namespace: str, repository: str, tag: str) -> bytes:
        """ShowRepoTagConfig's answer as it came: a JSON string holding the config (as documented)
        or the config object; ``parse_image_config`` reads either (a cache keeps these bytes).

        A region without this API answers from the API gateway: 404 with ``APIGW.0101`` ("the API
        does not exist"), or 405. SWR's own "no such tag, repository or namespace" is a 404 whose
        code is ``SVCSTG.SWR.*``. So a 405, or a 404 without an SWR code, raises
        ``ConfigApiUnavailable`` (the caller falls back to the registry's data plane); a 404 with
        one stays ``NotFoundError``."""
        path = f"{self._tag_path(namespace, repository, tag)}/config"
        what = f"{namespace}/{repository}:{tag}"
        response = await self.get_optional_api(path, what, "image config", unavailable=ConfigApiUnavailable)
        return response.content

    async def list_accessories(
        self,
        namespace: str,
        repository: str,
        tag: str,
        *,
        offset: int = 0,
        limit: int = ACCESSORY_DEFAULT_LIMIT,
    ) -> Page[Accessory]:
        """ListRepoAccessories: one page of what is attached to the tag's digest (signatures...)."""
        if not 1 <= limit <= ACCESSORY_MAX_LIMIT:
            raise ValueError(f"limit must be between 1 and {ACCESSORY_MAX_LIMIT}, not {limit}")
        if offset < 0:
            raise ValueError(f"offset must not be negative, not {offset}")
        path = (
            f"/v2/manage/namespaces/{name_segment(namespace)}/repos/{repo_segment(repository)}"
            f"/{name_segment(tag)}/accessories"
        )
        what = f"the accessories of {namespace}/{repository}:{tag}"
        params = [("limit", str(limit)), ("offset", str(offset))]
        data = decode_json(await self.get_raw(path, "", what, params), what)
        items = data.get("accessories") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise wrong_shape(what, 'an object with an "accessories" array')
        accessories = tuple(Accessory.from_api(item) for item in objects_only(items, what))
        stated = field_int(data, "total") if data.get("total") is not None else None
        total = (
            page_total(None, offset, len(accessories), limit)
            if stated is None
            else max(stated, offset + len(accessories))
        )
        return Page(items=accessories, offset=offset, limit=limit, total=total)

    def _tag_path(self, namespace: str, repository: str, tag: str) -> str:
        return (
            f"/v2/manage/namespaces/{name_segment(namespace)}/repos/{repo_segment(repository)}"
            f"/tags/{name_segment(tag)}"
        )

    # -- plumbing -----------------------------------------------------------------------------

    async def _get_page(
        self,
        path: str,
        filters: str,
        what: str,
        offset: int,
        limit: int,
        build: Callable[[Any], Any],
    ) -> Page[Any]:
        response = await self.get_raw(path, filters, what)
        data = decode_json(response, what)
        if not isinstance(data, list):
            raise wrong_shape(what, "an array")
        items = tuple(build(item) for item in objects_only(data, what))
        content_range = parse_content_range(response.headers.get("content-range"))
        total = page_total(content_range, offset, len(items), limit)
        return Page(items=items, offset=offset, limit=limit, total=total)

    async def _get_json(self, path: str, filters: str, what: str) -> Any:
        return decode_json(await self.get_raw(path, filters, what), what)

    async def get_optional_api(
        self,
        path: str,
        what: str,
        api: str,
        params: Optional[list[tuple[str, str]]] = None,
        unavailable: type[ApiUnavailableError] = ApiUnavailableError,
    ) -> httpx.Response:
        """A GET on an API some regions lack: where the path itself is unknown (``names_a_missing_api``)
        it raises ``unavailable``, so the caller can fall back or say so; any other error as ``_get``."""
        try:
            return await self.get_raw(path, "", what, params)
        except HttpError as error:
            if names_a_missing_api(error):
                raise unavailable(
                    f"This registry has no {api} API (HTTP {error.status} for the path itself, not for "
                    f"{what}): the region may not offer it",
                    status=error.status,
                    code=error.code,
                    request_id=error.request_id,
                ) from None
            raise

    async def get_raw(
        self, path: str, filters: str, what: str, params: Optional[list[tuple[str, str]]] = None
    ) -> httpx.Response:
        """``filters``: the v2 lists' ``filter`` string; ``params``: plain query parameters instead."""
        try:
            if params:
                query = signer.canonical_query(params)
            else:
                query = signer.canonical_query([("filter", filters)]) if filters else ""
        except UnicodeEncodeError:
            raise SwrError(f"The filter for {what} holds an unpaired surrogate and cannot be sent") from None
        url = f"{path}?{query}" if query else path
        attempt = 0
        while True:
            self.request_count += 1
            try:
                response = await asyncio.wait_for(self._http.get(url), self.timeout + DEADLINE_GRACE_S)
            except asyncio.TimeoutError:
                raise self._deadline_passed() from None
            except BodyTooLargeError as exc:
                raise _too_large(exc, what) from None
            except httpx.TransportError as exc:
                delay = self.retry.delay_for_exception(attempt, exc)
                if delay is None:
                    # ``from None``: the httpx error may quote a header value; tracebacks print causes.
                    raise describe_transport_error(exc, self.endpoint) from None
            except SwrError:
                raise
            except httpx.DecodingError:
                raise ResponseFormatError(
                    f"The registry's answer for {what} could not be decompressed (its Content-Encoding "
                    "does not match the body). A proxy may be in the way: check --endpoint and the proxy "
                    "settings"
                ) from None
            except httpx.HTTPError as exc:  # e.g. a malformed URL or an invalid header value
                raise SwrError(f"Could not send the request for {what}: {type(exc).__name__}") from None
            else:
                if not response.is_error and not response.is_redirect:
                    return response
                error = error_from_response(response, what, self.auth_kind)
                if response.status_code not in (429, 500, 502, 503, 504):
                    raise error
                delay = self.retry.delay_for_status(attempt, getattr(error, "retry_after", None))
                if delay is None:
                    raise error
            attempt += 1
            await self._sleep(delay)

    def _login_pending(self) -> bool:
        return bool(getattr(self._auth, "login_pending", False))

    def _deadline_passed(self) -> RequestTimeoutError:
        iam = getattr(self._auth, "iam_endpoint", "") if self._login_pending() else ""
        where = f"the IAM endpoint {iam} (logging in)" if iam else self.endpoint
        return RequestTimeoutError(
            f"Timed out waiting for an answer from {where}: nothing complete within {self.timeout:g} s. "
            "The link may be slow: retry, or raise --timeout"
        )


async def _remember_secrets(request: httpx.Request) -> None:
    """A server may echo a secret in any header, which httpcore's DEBUG trace would log."""
    log_redaction.remember(request_secrets(request))


def _order(order: str) -> str:
    if order not in ORDERS:
        raise ValueError(f"order must be 'desc' or 'asc', not {order!r}")
    return order


def decode_json(response: httpx.Response, what: str) -> Any:
    """The JSON of an answer; a byte that is not UTF-8 spoils one string, not the whole answer."""
    request_id = shown_header(response, "x-request-id")
    try:
        return loads_lenient(response.content)
    except RecursionError:
        raise ResponseFormatError(
            f"The registry's answer for {what} is JSON nested too deeply to read "
            f"({len(response.content)} bytes). A proxy or gateway may be in the way: check --endpoint",
            status=response.status_code,
            request_id=request_id,
        ) from None
    except ValueError:
        content_type = shown_header(response, "content-type") or "no content type"
        raise ResponseFormatError(
            f"The registry's answer for {what} is not JSON ({content_type}, {len(response.content)} bytes). "
            "A proxy or gateway may be in the way: check --endpoint and the proxy settings",
            status=response.status_code,
            request_id=request_id,
        ) from None


def _too_large(exc: BodyTooLargeError, what: str) -> ResponseFormatError:
    if exc.iam_endpoint:
        whose = f"The answer of the IAM endpoint {exc.iam_endpoint} to the login"
        setting = "the IAM endpoint setting"
    else:
        whose, setting = f"The registry's answer for {what}", "--endpoint"
    return ResponseFormatError(
        f"{whose} is over {size_text(exc.limit)} once decompressed, so swr-tui stopped reading it. "
        f"Something other than the API may be answering: check {setting} and the proxy settings"
    )


def objects_only(items: list[Any], what: str) -> list[Any]:
    if not all(isinstance(item, dict) for item in items):
        raise wrong_shape(what, "an array of objects")
    return items


def wrong_shape(what: str, expected: str) -> ResponseFormatError:
    return ResponseFormatError(
        f"The registry's answer for {what} is JSON but not {expected} as the SWR API promises. "
        "Check that --endpoint points at an SWR API"
    )
