"""RegistryClient against the fake registry's data plane over real loopback HTTP."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from pathlib import Path

import pytest

from swr_tui.fake import FakeRegistry
from swr_tui.fake.data_plane_auth import DEMO_DOCKER_PASSWORD, DEMO_DOCKER_USER
from swr_tui.fake.data_plane_faults import DATA_PLANE_KINDS
from swr_tui.fake.faults import FaultPlan
from swr_tui.swr.errors import NotFoundError, SwrError
from swr_tui.swr.registry import (
    DigestMismatchError,
    LoginChain,
    RealmRefusedError,
    RegistryAuthError,
    RegistryLogin,
)

from .conftest import WEBAPP, MakeRegistryClient, demo_login


def routes(registry: FakeRegistry) -> list[str]:
    return [request.route for request in registry.requests]


def webapp_latest(registry: FakeRegistry) -> str:
    record = registry.dataset.tag("acme", "webapp", "latest")
    assert record is not None
    return record.digest


def set_faults(registry: FakeRegistry, spec: str) -> None:
    for rule in FaultPlan.parse(spec).rules:
        registry.faults.add(rule)


async def test_the_token_dance_gets_a_manifest_with_its_real_digest(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient
) -> None:
    async with make_registry_client() as client:
        manifest = await client.get_manifest(WEBAPP, "latest")
    assert manifest.digest == webapp_latest(plane)
    assert manifest.digest == "sha256:" + hashlib.sha256(manifest.content).hexdigest()
    assert manifest.media_type == json.loads(manifest.content)["mediaType"]
    assert routes(plane) == ["registry", "token", "manifest"]
    ping, token, fetched = plane.requests
    assert "authorization" not in ping.headers
    assert token.headers["authorization"] == f"Basic {demo_login().basic_value()}"
    assert token.params == {"service": "dockyard", "scope": "repository:acme/webapp:pull"}
    assert fetched.headers["authorization"].startswith("Bearer dp.")
    assert "application/vnd.oci.image.index.v1+json" in fetched.headers["accept"]
    assert {request.method for request in plane.requests} == {"GET"}


async def test_children_and_config_blobs_of_every_platform_are_fetched_and_checked(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient
) -> None:
    async with make_registry_client() as client:
        index = json.loads((await client.get_manifest(WEBAPP, "latest")).content)
        platforms = []
        for entry in index["manifests"]:
            child = await client.get_manifest(WEBAPP, entry["digest"])
            assert child.digest == entry["digest"]
            document = json.loads(child.content)
            if entry["platform"]["os"] == "unknown":
                continue  # an attestation: its config is not an image's
            config = json.loads(await client.get_blob(WEBAPP, document["config"]["digest"]))
            platforms.append((config["os"], config["architecture"], config.get("variant")))
            assert len(config["rootfs"]["diff_ids"]) == len(document["layers"])
    assert platforms == [("linux", "amd64", None), ("linux", "arm64", None), ("linux", "arm", "v7")]


async def test_the_token_is_cached_per_repository(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient
) -> None:
    async with make_registry_client() as client:
        await client.get_manifest(WEBAPP, "latest")
        await client.get_manifest(WEBAPP, "v2.4.1")
        await client.get_manifest("acme/ci-builds", "build-000001")
        assert client.token_requests == 2
    assert routes(plane) == ["registry", "token", "manifest", "manifest", "token", "manifest"]
    scopes = [request.params["scope"] for request in plane.requests if request.route == "token"]
    assert scopes == ["repository:acme/webapp:pull", "repository:acme/ci-builds:pull"]


async def test_an_expired_token_is_renewed_once(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient
) -> None:
    set_faults(plane, "manifest:bearer-expired=1")
    async with make_registry_client() as client:
        first = await client.get_manifest(WEBAPP, "latest")
        second = await client.get_manifest(WEBAPP, "latest")
    assert first == second
    statuses = [(request.route, request.status) for request in plane.requests]
    assert statuses == [
        ("registry", 401),
        ("token", 200),
        ("manifest", 200),
        ("manifest", 401),
        ("token", 200),
        ("manifest", 200),
    ]


async def test_a_token_refused_again_after_renewal_is_an_error(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient
) -> None:
    set_faults(plane, "manifest:bearer-expired=0")
    async with make_registry_client() as client:
        with pytest.raises(RegistryAuthError, match="refused the token it issued") as caught:
            await client.get_manifest(WEBAPP, "latest")
    assert routes(plane).count("token") == 2
    assert routes(plane).count("manifest") == 2
    assert "\n" not in str(caught.value)


async def test_a_redirected_blob_reaches_object_storage_without_authorization(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient
) -> None:
    set_faults(plane, "blob:blob-redirect")
    async with make_registry_client() as client:
        child = json.loads((await client.get_manifest(WEBAPP, "latest")).content)["manifests"][0]["digest"]
        config_digest = json.loads((await client.get_manifest(WEBAPP, child)).content)["config"]["digest"]
        blob = await client.get_blob(WEBAPP, config_digest)
    assert "sha256:" + hashlib.sha256(blob).hexdigest() == config_digest
    blob_request = next(request for request in plane.requests if request.route == "blob")
    assert blob_request.status == 302
    assert blob_request.headers["authorization"].startswith("Bearer ")
    storage = plane.data_plane.object_storage
    assert storage is not None
    assert storage.host == "127.0.0.2"
    assert len(storage.requests) == 1
    assert storage.requests[0].host.startswith("127.0.0.2:")
    assert storage.requests[0].authorization is None


async def test_a_blob_that_does_not_match_its_digest_is_refused(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient
) -> None:
    set_faults(plane, "blob:blob-mismatch")
    async with make_registry_client() as client:
        child = json.loads((await client.get_manifest(WEBAPP, "latest")).content)["manifests"][0]["digest"]
        config_digest = json.loads((await client.get_manifest(WEBAPP, child)).content)["config"]["digest"]
        with pytest.raises(DigestMismatchError, match="do not match its digest") as caught:
            await client.get_blob(WEBAPP, config_digest)
    assert config_digest[:19] in str(caught.value)
    assert "refused" in str(caught.value)


async def test_a_manifest_by_digest_that_does_not_match_is_refused(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient
) -> None:
    set_faults(plane, "manifest:malformed")  # the body cut in half: bytes that do not hash to the digest
    async with make_registry_client() as client:
        with pytest.raises(DigestMismatchError, match="do not match its digest"):
            await client.get_manifest(WEBAPP, webapp_latest(plane))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("registry:no-www-authenticate", "sent no WWW-Authenticate header"),
        ("registry:bad-www-authenticate", "WWW-Authenticate header swr-tui cannot parse"),
        ("token:no-token", 'holds no token \\(neither "token" nor "access_token"\\)'),
    ],
)
async def test_a_broken_token_dance_is_a_clear_error(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient, spec: str, message: str
) -> None:
    set_faults(plane, spec)
    async with make_registry_client() as client:
        with pytest.raises(RegistryAuthError, match=message) as caught:
            await client.get_manifest(WEBAPP, "latest")
    assert "\n" not in str(caught.value)
    assert "manifest" not in routes(plane)


async def test_a_realm_on_another_host_gets_no_credentials(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient
) -> None:
    set_faults(plane, "registry:realm-elsewhere")
    async with make_registry_client() as client:
        with pytest.raises(
            RealmRefusedError, match="neither the registry nor its documented auth host"
        ) as caught:
            await client.get_manifest(WEBAPP, "latest")
    assert "http://127.0.0.2:9" in str(caught.value)
    assert "nothing was sent" in str(caught.value)
    assert routes(plane) == ["registry"]


async def test_refused_login_names_its_source_not_its_secret(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = RegistryLogin(DEMO_DOCKER_USER, "wrong-password-probe-71c3", "a test login")
    async with make_registry_client(wrong) as client:
        with pytest.raises(RegistryAuthError, match="refused the login from a test login") as caught:
            await client.get_manifest(WEBAPP, "latest")
    assert "wrong-password-probe-71c3" not in str(caught.value)
    assert wrong.basic_value() not in str(caught.value)
    assert "wrong-password-probe-71c3" not in repr(wrong)
    assert "HTTP Request: GET" in caplog.text  # the DEBUG logs were captured
    assert "wrong-password-probe-71c3" not in caplog.text
    assert wrong.basic_value() not in caplog.text


async def test_no_bearer_token_or_login_reaches_the_debug_logs(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    login = RegistryLogin(DEMO_DOCKER_USER, DEMO_DOCKER_PASSWORD, "a test login")
    async with make_registry_client(login) as client:
        await client.get_manifest(WEBAPP, "latest")
    sent = [
        request.headers["authorization"] for request in plane.requests if "authorization" in request.headers
    ]
    bearer = next(value for value in sent if value.startswith("Bearer "))[len("Bearer ") :]
    assert "receive_response_headers.complete" in caplog.text  # httpcore DEBUG trace captured
    for secret in (DEMO_DOCKER_PASSWORD, login.basic_value(), bearer):
        assert secret not in caplog.text


async def test_referrers_list_the_signatures_and_404_means_unsupported(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient
) -> None:
    signed = webapp_latest(plane)
    async with make_registry_client() as client:
        referrers = await client.referrers(WEBAPP, signed)
        assert referrers is not None
        assert [item["artifactType"] for item in referrers] == [
            "application/vnd.dev.cosign.artifact.sig.v1+json"
        ]
        signature = plane.dataset.tag("acme", "webapp", signed.replace(":", "-") + ".sig")
        assert signature is not None
        assert referrers[0]["digest"] == signature.digest
        set_faults(plane, "referrers:404")
        assert await client.referrers(WEBAPP, signed) is None


async def test_unknown_manifests_and_bad_references_are_clear_errors(
    make_registry_client: MakeRegistryClient,
) -> None:
    async with make_registry_client() as client:
        with pytest.raises(
            NotFoundError, match="Not found on the registry: the manifest of acme/webapp:nope"
        ):
            await client.get_manifest(WEBAPP, "nope")
        with pytest.raises(SwrError, match="is neither a tag nor a digest"):
            await client.get_manifest(WEBAPP, "../../v2/")
        with pytest.raises(SwrError, match="is not a content digest"):
            await client.get_blob(WEBAPP, "sha256:xyz")
        with pytest.raises(SwrError, match="is not NAMESPACE/REPOSITORY"):
            await client.get_manifest("webapp", "latest")


async def test_a_blob_over_its_limit_is_refused(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient
) -> None:
    async with make_registry_client() as client:
        child = json.loads((await client.get_manifest(WEBAPP, "latest")).content)["manifests"][0]["digest"]
        config_digest = json.loads((await client.get_manifest(WEBAPP, child)).content)["config"]["digest"]
        with pytest.raises(SwrError, match="stopped reading it"):
            await client.get_blob(WEBAPP, config_digest, limit=100)


async def test_without_a_login_the_realm_refusal_says_where_logins_come_from(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient
) -> None:
    async with make_registry_client(logins=LoginChain([])) as client:
        with pytest.raises(
            RegistryAuthError, match="wants a login and none was found: set HUAWEICLOUD_SDK_AK"
        ):
            await client.get_manifest(WEBAPP, "latest")
    token = next(request for request in plane.requests if request.route == "token")
    assert "authorization" not in token.headers


async def test_a_token_is_renewed_before_it_expires(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient
) -> None:
    now = [1000.0]
    async with make_registry_client(clock=lambda: now[0]) as client:
        await client.get_manifest(WEBAPP, "latest")
        now[0] += 900 - 31  # expires_in 900, renewed 30 s early
        await client.get_manifest(WEBAPP, "latest")
        assert client.token_requests == 1
        now[0] += 2
        await client.get_manifest(WEBAPP, "latest")
        assert client.token_requests == 2
    assert routes(plane).count("registry") == 1  # the challenge is asked for once


async def test_concurrent_requests_share_one_token_request(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient
) -> None:
    async with make_registry_client() as client:
        results = await asyncio.gather(*(client.get_manifest(WEBAPP, "latest") for _ in range(5)))
        assert client.token_requests == 1
    assert len({result.digest for result in results}) == 1
    assert routes(plane).count("token") == 1


def test_every_data_plane_fault_kind_is_exercised_here() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    specs = re.findall(r'"((?:registry|token|manifest|blob|referrers|secret):[a-z0-9=-]+)"', source)
    covered = {rule.kind for spec in specs for rule in FaultPlan.parse(spec).rules}
    assert covered >= set(DATA_PLANE_KINDS)


@pytest.mark.parametrize("status", [400, 500])
async def test_a_server_echoing_the_credentials_gets_them_masked(
    plane: FakeRegistry, make_registry_client: MakeRegistryClient, status: int
) -> None:
    set_faults(plane, f"token:echo-token={status}x1,manifest:echo-token={status}")
    login = demo_login()
    async with make_registry_client(login) as client:
        with pytest.raises(SwrError) as refused_login:
            await client.get_manifest(WEBAPP, "latest")
        with pytest.raises(SwrError) as refused_manifest:
            await client.get_manifest(WEBAPP, "latest")
    bearer = next(
        request.headers["authorization"] for request in plane.requests if request.route == "manifest"
    )[len("Bearer ") :]
    for error in (refused_login.value, refused_manifest.value):
        assert "***" in str(error)  # the echoed request id, masked
        for secret in (login.password, login.basic_value(), bearer):
            assert secret not in str(error)
            assert secret not in repr(error)
