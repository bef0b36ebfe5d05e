"""The temporary login of CreateSecret (``POST /v2/manage/utils/secret?projectname={region}``,
the SDK's ``CreateSecretRequest``/``CreateSecretResponse``), asked of the management API with the
session's own credentials. With the IAM login, this POST is the only request swr-tui ever sends
that is not a GET; it creates a login that expires by itself (``X-Swr-Expireat``) and changes
nothing in the registry."""

from __future__ import annotations

import asyncio
import ssl
from typing import Optional, Union

import httpx

from ..body import BodyTooLargeError, read_capped
from ..client import DEADLINE_GRACE_S, USER_AGENT
from ..errors import (
    RequestTimeoutError,
    ResponseFormatError,
    SwrError,
    describe_transport_error,
    error_from_response,
)
from .login import RegistryLogin, login_from_secret, parse_expiry

SECRET_PATH = "/v2/manage/utils/secret"  # noqa: S105 (a path, not a secret)
# The answer is one small JSON object; anything bigger is not CreateSecret's.
MAX_SECRET_BYTES = 64 * 1024
WHAT = "a temporary registry login (CreateSecret)"


class TemporaryLogin:
    """A login source: one CreateSecret per call (``LoginChain`` keeps the login until it expires)."""

    def __init__(
        self,
        endpoint: str,
        auth: httpx.Auth,
        region: str,
        registry_host: str,
        *,
        timeout: float,
        verify: Union[bool, ssl.SSLContext] = True,
        transport: Optional[httpx.AsyncBaseTransport] = None,
        direct_origins: tuple[str, ...] = (),
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self._auth = auth
        self.region = region
        self.registry_host = registry_host
        self.timeout = timeout
        self._verify = verify
        self._transport = transport
        self._direct_origins = direct_origins
        self.calls = 0

    def __repr__(self) -> str:
        return f"TemporaryLogin(endpoint={self.endpoint!r}, region={self.region!r})"

    async def __call__(self) -> Optional[RegistryLogin]:
        self.calls += 1
        async with httpx.AsyncClient(
            base_url=self.endpoint,
            auth=self._auth,
            timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
            verify=self._verify,
            transport=self._transport,
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
            },
            follow_redirects=False,
            trust_env=True,
            mounts={origin: None for origin in self._direct_origins},
            event_hooks={"response": [_capped]},
        ) as http:
            try:
                response = await asyncio.wait_for(
                    http.post(SECRET_PATH, params={"projectname": self.region}),
                    self.timeout + DEADLINE_GRACE_S,
                )
            except asyncio.TimeoutError:
                raise RequestTimeoutError(
                    f"Timed out asking {self.endpoint} for {WHAT}: nothing within {self.timeout:g} s"
                ) from None
            except BodyTooLargeError:
                raise ResponseFormatError(
                    f"The answer of {self.endpoint} for {WHAT} is far too large"
                ) from None
            except httpx.TransportError as exc:
                raise describe_transport_error(exc, self.endpoint) from None
            except httpx.HTTPError as exc:
                raise SwrError(f"Could not ask for {WHAT}: {type(exc).__name__}") from None
        if response.status_code != 200:
            raise error_from_response(response, WHAT, getattr(self._auth, "kind", ""))
        expires_at = parse_expiry(response.headers.get("x-swr-expireat"))
        login = login_from_secret(response.content, self.registry_host, expires_at)
        if login is None:
            raise ResponseFormatError(
                f'The answer of {self.endpoint} for {WHAT} holds no login (an "auths" entry with a '
                "base64 user:password) for the registry"
            )
        return login


async def _capped(response: httpx.Response) -> None:
    await read_capped(response, MAX_SECRET_BYTES)
