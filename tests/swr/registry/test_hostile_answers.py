"""A registry that lies in its headers, over real loopback HTTP: the fake's answers rewritten."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest

from swr_tui.fake import FakeRegistry
from swr_tui.fake.loopback import RunningServer
from swr_tui.fake.outcome import Outcome
from swr_tui.fake.wire import FakeRequest
from swr_tui.swr.client import DEFAULT_TIMEOUT_S
from swr_tui.swr.errors import ResponseFormatError
from swr_tui.swr.registry import LoginChain, RegistryAuthError, RegistryClient
from swr_tui.swr.registry.login import fixed

from .conftest import WEBAPP, demo_login


class Rewriting:
    """The fake registry with some response headers replaced on one route."""

    def __init__(
        self, registry: FakeRegistry, route: str, headers: dict[str, str], body: bytes = b""
    ) -> None:
        self.registry = registry
        self.route = route
        self.headers = {name.lower(): value for name, value in headers.items()}
        self.body = body

    def handle(self, request: FakeRequest) -> Outcome:
        outcome = self.registry.handle(request)
        if outcome.response is None or self.registry.requests[-1].route != self.route:
            return outcome
        kept = tuple(
            (name, value) for name, value in outcome.response.headers if name.lower() not in self.headers
        )
        response = replace(
            outcome.response,
            headers=kept + tuple(self.headers.items()),
            body=self.body or outcome.response.body,
        )
        return replace(outcome, response=response)


@pytest.fixture
def serve() -> Iterator[object]:
    servers: list[RunningServer] = []

    def start(route: str, headers: dict[str, str], body: bytes = b"") -> tuple[FakeRegistry, str]:
        registry = FakeRegistry(seed=0, real_configs=True)
        server = RunningServer(Rewriting(registry, route, headers, body))
        servers.append(server)
        return registry, server.url

    yield start
    for server in servers:
        server.stop()


def client(url: str) -> RegistryClient:
    return RegistryClient(url, LoginChain([fixed(demo_login())]), timeout=DEFAULT_TIMEOUT_S)


async def test_a_hostile_content_type_is_not_passed_on(serve: object) -> None:
    _, url = serve("manifest", {"Content-Type": "text/x\x1b]52;c;aGk=\x07"})  # type: ignore[operator]
    async with client(url) as registry_client:
        manifest = await registry_client.get_manifest(WEBAPP, "latest")
    assert manifest.media_type == json.loads(manifest.content)["mediaType"]
    assert "\x1b" not in manifest.media_type


async def test_an_announced_digest_that_is_not_one_is_refused(serve: object) -> None:
    _, url = serve("manifest", {"Docker-Content-Digest": "md5:\x1b[2Jabc"})  # type: ignore[operator]
    async with client(url) as registry_client:
        with pytest.raises(ResponseFormatError, match="Docker-Content-Digest that is not a digest") as caught:
            await registry_client.get_manifest(WEBAPP, "latest")
    assert "\x1b" not in str(caught.value)


async def test_an_announced_digest_that_does_not_match_is_refused(serve: object) -> None:
    wrong = "sha256:" + "0" * 64
    _, url = serve("manifest", {"Docker-Content-Digest": wrong})  # type: ignore[operator]
    async with client(url) as registry_client:
        with pytest.raises(ResponseFormatError, match="do not match its digest sha256:000000000000"):
            await registry_client.get_manifest(WEBAPP, "latest")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[1, 2]", "is not a JSON object"),
        (b'{"token": "caf\\u00e9 \\n x"}', "not plain ASCII text"),
        (b'{"access_token": 12}', "holds no token"),
    ],
)
async def test_odd_token_answers_are_refused(serve: object, body: bytes, message: str) -> None:
    _, url = serve("token", {"Content-Type": "application/json"}, body)  # type: ignore[operator]
    async with client(url) as registry_client:
        with pytest.raises(RegistryAuthError, match=message):
            await registry_client.get_manifest(WEBAPP, "latest")


async def test_access_token_is_accepted_as_well(serve: object) -> None:
    registry, _ = serve("token", {}, b"")  # type: ignore[operator]

    class AccessToken(Rewriting):
        def handle(self, request: FakeRequest) -> Outcome:
            outcome = self.registry.handle(request)
            if outcome.response is not None and self.registry.requests[-1].route == "token":
                document = json.loads(outcome.response.body)
                body = json.dumps({"access_token": document["token"], "expires_in": 300}).encode()
                return replace(outcome, response=replace(outcome.response, body=body))
            return outcome

    with RunningServer(AccessToken(registry, "token", {})) as server:
        async with client(server.url) as registry_client:
            manifest = await registry_client.get_manifest(WEBAPP, "latest")
    assert manifest.digest.startswith("sha256:")
