"""The fake registry's data plane over real loopback HTTP, spoken to by hand (no client code)."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from swr_tui.fake import DEMO_TOKEN, FakeRegistry
from swr_tui.fake.credentials import DEMO_AK, DEMO_REGION, DEMO_SK
from swr_tui.fake.data_plane_auth import DEMO_DOCKER_PASSWORD, DEMO_DOCKER_USER, long_term_password
from swr_tui.fake.faults import FaultPlan
from swr_tui.fake.manifests import DOCKER_LIST, OCI_INDEX

TOKEN_PATH = "/swr/auth/v2/registry/auth/"
LONG_TERM = (f"{DEMO_REGION}@{DEMO_AK}", long_term_password(DEMO_AK, DEMO_SK))


@pytest.fixture
def plane() -> Iterator[tuple[FakeRegistry, httpx.Client]]:
    registry = FakeRegistry(seed=0, real_configs=True)
    with registry.serve() as server, httpx.Client(base_url=server.url, timeout=10) as http:
        yield registry, http
    if registry.data_plane.object_storage is not None:
        registry.data_plane.object_storage.stop()


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def token(http: httpx.Client, repository: str = "acme/webapp", login: tuple[str, str] = LONG_TERM) -> str:
    answer = http.get(
        TOKEN_PATH,
        params={"service": "dockyard", "scope": f"repository:{repository}:pull"},
        headers=basic(*login),
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def add(registry: FakeRegistry, spec: str) -> None:
    for rule in FaultPlan.parse(spec).rules:
        registry.faults.add(rule)


def test_v2_challenges_for_a_bearer_token(plane: tuple[FakeRegistry, httpx.Client]) -> None:
    _, http = plane
    answer = http.get("/v2/")
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == (
        f'Bearer realm="{http.base_url.scheme}://{http.base_url.netloc.decode()}{TOKEN_PATH}",service="dockyard"'
    )
    assert answer.json()["errors"][0]["code"] == "UNAUTHORIZED"
    assert http.get("/v2/", headers=bearer(token(http))).status_code == 200


@pytest.mark.parametrize(
    "login",
    [LONG_TERM, (DEMO_DOCKER_USER, DEMO_DOCKER_PASSWORD)],
    ids=["long-term AK/SK login", "docker login"],
)
def test_the_realm_accepts_the_demo_logins(
    plane: tuple[FakeRegistry, httpx.Client], login: tuple[str, str]
) -> None:
    _, http = plane
    answer = http.get(
        TOKEN_PATH,
        params={"service": "dockyard", "scope": "repository:acme/webapp:pull"},
        headers=basic(*login),
    )
    assert answer.status_code == 200
    assert answer.json()["expires_in"] == 900


@pytest.mark.parametrize(
    "headers",
    [
        {},
        basic(f"{DEMO_REGION}@{DEMO_AK}", "0" * 64),
        basic(f"cn-south-1@{DEMO_AK}", LONG_TERM[1]),
        basic(DEMO_DOCKER_USER, "wrong"),
        {"Authorization": "Basic not-base64!"},
        {"X-Auth-Token": DEMO_TOKEN},
    ],
    ids=["none", "wrong password", "wrong region", "wrong docker password", "garbled", "an IAM token"],
)
def test_the_realm_rejects_other_logins(
    plane: tuple[FakeRegistry, httpx.Client], headers: dict[str, str]
) -> None:
    _, http = plane
    answer = http.get(
        TOKEN_PATH, params={"service": "dockyard", "scope": "repository:acme/webapp:pull"}, headers=headers
    )
    assert answer.status_code == 401
    assert "token" not in answer.json()


def test_create_secret_gives_a_login_the_realm_takes_until_it_expires(
    plane: tuple[FakeRegistry, httpx.Client],
) -> None:
    _, http = plane
    assert http.post("/v2/manage/utils/secret", params={"projectname": DEMO_REGION}).status_code == 401
    answer = http.post(
        "/v2/manage/utils/secret", params={"projectname": DEMO_REGION}, headers={"X-Auth-Token": DEMO_TOKEN}
    )
    assert answer.status_code == 200
    # Field and header names as the official SDK's CreateSecretResponse maps them.
    from huaweicloudsdkswr.v2.model.auth_info import AuthInfo
    from huaweicloudsdkswr.v2.model.create_secret_response import CreateSecretResponse

    assert set(answer.json()) == {CreateSecretResponse.attribute_map["auths"]}
    ((host, entry),) = answer.json()["auths"].items()
    assert host == f"swr.{DEMO_REGION}.myhuaweicloud.com"
    assert set(entry) == set(AuthInfo.attribute_map.values())
    user, _, password = base64.b64decode(entry["auth"]).decode().partition(":")
    assert answer.headers[CreateSecretResponse.attribute_map["x_swr_dockerlogin"]] == (
        f"docker login -u {user} -p {password} {host}"
    )
    assert answer.headers[CreateSecretResponse.attribute_map["x_swr_expireat"]].endswith("Z")
    assert token(http, login=(user, password))
    assert http.get("/v2/manage/utils/secret", headers={"X-Auth-Token": DEMO_TOKEN}).status_code == 405


def test_manifests_are_the_tags_bytes_and_list_children_are_served(
    plane: tuple[FakeRegistry, httpx.Client],
) -> None:
    registry, http = plane
    checked = 0
    for repo in registry.dataset.repositories_in("acme"):
        if repo.tags.count > 40:
            continue
        grant = bearer(token(http, f"acme/{repo.name}"))
        for index in range(repo.tags.count):
            record = repo.tags.record(index)
            answer = http.get(f"/v2/acme/{repo.name}/manifests/{record.name}", headers=grant)
            assert answer.status_code == 200
            assert answer.content == record.manifest.encode("utf-8")
            assert answer.headers["docker-content-digest"] == record.digest
            assert "sha256:" + hashlib.sha256(answer.content).hexdigest() == record.digest
            if answer.headers["content-type"] in (OCI_INDEX, DOCKER_LIST):
                for entry in json.loads(answer.content)["manifests"]:
                    child = http.get(f"/v2/acme/{repo.name}/manifests/{entry['digest']}", headers=grant)
                    assert child.status_code == 200
                    assert "sha256:" + hashlib.sha256(child.content).hexdigest() == entry["digest"]
                    assert len(child.content) == entry["size"]
                    checked += 1
    assert checked >= 6


def image_of(registry: FakeRegistry, http: httpx.Client, grant: dict[str, str]) -> dict[str, object]:
    """The image manifest of acme/webapp:v2.4.1, or of its first platform when it is a list."""
    record = registry.dataset.tag("acme", "webapp", "v2.4.1")
    assert record is not None
    document: dict[str, object] = json.loads(record.manifest)
    if "config" in document:
        return document
    child = document["manifests"][0]["digest"]  # type: ignore[index]
    return json.loads(http.get(f"/v2/acme/webapp/manifests/{child}", headers=grant).content)  # type: ignore[no-any-return]


def test_config_blobs_are_real_and_match_their_descriptors(plane: tuple[FakeRegistry, httpx.Client]) -> None:
    registry, http = plane
    grant = bearer(token(http))
    image: dict[str, Any] = image_of(registry, http, grant)
    config = image["config"]
    blob = http.get(f"/v2/acme/webapp/blobs/{config['digest']}", headers=grant)
    assert blob.status_code == 200
    assert "sha256:" + hashlib.sha256(blob.content).hexdigest() == config["digest"]
    assert len(blob.content) == config["size"]
    parsed = json.loads(blob.content)
    assert len(parsed["rootfs"]["diff_ids"]) == len(image["layers"])
    assert sum(1 for step in parsed["history"] if not step.get("empty_layer")) == len(image["layers"])
    layer = http.get(f"/v2/acme/webapp/blobs/{image['layers'][0]['digest']}", headers=grant)
    assert layer.status_code == 404
    assert layer.json()["errors"][0]["code"] == "BLOB_UNKNOWN"


def test_the_default_data_set_keeps_its_digests() -> None:
    default = FakeRegistry(seed=0).dataset.tag("acme", "webapp", "v2.4.1")
    real = FakeRegistry(seed=0, real_configs=True).dataset.tag("acme", "webapp", "v2.4.1")
    assert default is not None
    assert real is not None
    assert default.digest == "sha256:fa775daff5254280b244c3d5fe0dd5f6b4de1d008a30dddea75b23f773162f96"
    assert real.digest != default.digest
    assert default.built.config_blob is None


def test_tokens_are_scoped_to_their_repository(plane: tuple[FakeRegistry, httpx.Client]) -> None:
    _, http = plane
    answer = http.get("/v2/acme/api-gateway/manifests/latest", headers=bearer(token(http, "acme/webapp")))
    assert answer.status_code == 401
    assert 'scope="repository:acme/api-gateway:pull"' in answer.headers["www-authenticate"]
    assert http.post("/v2/acme/webapp/manifests/latest", headers=bearer(token(http))).status_code == 405


@pytest.mark.parametrize(
    ("spec", "check"),
    [
        ("registry:no-www-authenticate", lambda answer: "www-authenticate" not in answer.headers),
        ("registry:bad-www-authenticate", lambda answer: answer.headers["www-authenticate"].count('"') == 1),
        (
            "registry:realm-elsewhere",
            lambda answer: 'realm="http://127.0.0.2:9/' in answer.headers["www-authenticate"],
        ),
    ],
)
def test_challenge_faults(plane: tuple[FakeRegistry, httpx.Client], spec: str, check: object) -> None:
    registry, http = plane
    add(registry, spec)
    answer = http.get("/v2/")
    assert answer.status_code == 401
    assert check(answer)  # type: ignore[operator]


def test_token_and_blob_faults(plane: tuple[FakeRegistry, httpx.Client]) -> None:
    registry, http = plane
    grant = bearer(token(http))
    config = image_of(registry, http, grant)["config"]["digest"]  # type: ignore[index]
    grant = bearer(token(http))
    add(registry, "token:no-tokenx1,manifest:bearer-expired=2,blob:blob-mismatch,blob:blob-redirect")
    assert (
        "token"
        not in http.get(
            TOKEN_PATH,
            params={"service": "dockyard", "scope": "repository:acme/webapp:pull"},
            headers=basic(*LONG_TERM),
        ).json()
    )
    statuses = [http.get("/v2/acme/webapp/manifests/latest", headers=grant).status_code for _ in range(3)]
    assert statuses == [200, 200, 401]
    redirected = http.get(f"/v2/acme/webapp/blobs/{config}", headers=bearer(token(http)))
    assert redirected.status_code == 302
    storage = registry.data_plane.object_storage
    assert storage is not None
    assert redirected.headers["location"].startswith(f"{storage.url}/object-storage/")
    fetched = httpx.get(redirected.headers["location"], headers={"Authorization": "Bearer leak"})
    assert "sha256:" + hashlib.sha256(fetched.content).hexdigest() != config  # blob-mismatch bent it
    assert [request.authorization for request in storage.requests] == ["Bearer leak"]


def test_fake_registry_command_serves_the_data_plane_with_real_configs() -> None:
    import io
    import threading
    import time

    from swr_tui.fake.server import run

    out = io.StringIO()
    stop = threading.Event()
    runner = threading.Thread(target=lambda: run("127.0.0.1", 0, 0.0, None, out, stop=stop))
    runner.start()
    try:
        deadline = time.monotonic() + 5
        while "Ctrl+C" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
        banner = out.getvalue()
        url = banner.split("listening on ", 1)[1].split()[0]
        assert f"registry   {url}/v2/" in banner
        assert f"user {DEMO_REGION}@{DEMO_AK}   password {LONG_TERM[1]}" in banner
        assert f"user {DEMO_DOCKER_USER}   password {DEMO_DOCKER_PASSWORD}" in banner
        with httpx.Client(base_url=url, timeout=10) as http:
            grant = bearer(token(http))
            document = json.loads(http.get("/v2/acme/webapp/manifests/v2.4.1", headers=grant).content)
            image = (
                document
                if "config" in document
                else json.loads(
                    http.get(
                        f"/v2/acme/webapp/manifests/{document['manifests'][0]['digest']}", headers=grant
                    ).content
                )
            )
            blob = http.get(f"/v2/acme/webapp/blobs/{image['config']['digest']}", headers=grant)
            assert blob.status_code == 200
            assert "sha256:" + hashlib.sha256(blob.content).hexdigest() == image["config"]["digest"]
    finally:
        stop.set()
        runner.join(5)
