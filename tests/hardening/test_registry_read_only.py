"""The registry data plane with each kind of credentials: only GETs, besides the IAM login and
CreateSecret, and the read-only check itself fails on any other request that is not a GET."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from pathlib import Path

import httpx
import pytest

from swr_tui.fake import DEMO_TOKEN, FakeRegistry
from swr_tui.fake.credentials import DEMO_REGION
from swr_tui.settings.model import CliOptions
from swr_tui.settings.registry_login import build_registry_client
from swr_tui.settings.resolve import resolve_settings

from .test_secrets_transport import KINDS, assert_read_only, credentials_env, secret_values


def changing(registry: FakeRegistry) -> list[tuple[str, str]]:
    return [(request.method, request.path) for request in registry.requests if request.method != "GET"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_data_plane_sends_only_gets_besides_the_iam_login_and_create_secret(
    kind: str, registry: FakeRegistry, live: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    env = credentials_env(kind, live, accepted=True)
    settings = resolve_settings(
        CliOptions(region=DEMO_REGION, registry_endpoint=live), environ=env, home=Path(os.environ["HOME"])
    )

    async def browse() -> None:
        async with build_registry_client(settings) as client:
            index = json.loads((await client.get_manifest("acme/webapp", "latest")).content)
            await client.get_manifest("acme/webapp", index["manifests"][0]["digest"])
            await client.referrers("acme/webapp", index["manifests"][0]["digest"])
            await client.get_manifest("acme/team/app", "latest")

    asyncio.run(browse())
    assert_read_only(registry, kind)
    expected = {
        "token": [("POST", "/v2/manage/utils/secret")],
        # AK/SK with a security token (temporary keys) has no long-term login: CreateSecret, signed.
        "aksk": [("POST", "/v2/manage/utils/secret")],
        "password": [("POST", "/v3/auth/tokens"), ("POST", "/v2/manage/utils/secret")],
    }[kind]
    assert changing(registry) == expected
    assert {request.route for request in registry.requests if request.method == "GET"} >= {
        "registry",
        "token",
        "manifest",
        "referrers",
    }
    for secret in secret_values(env):
        assert secret not in caplog.text


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v2/acme/webapp/blobs/uploads/"),
        ("PUT", "/v2/acme/webapp/manifests/latest"),
        ("DELETE", "/v2/manage/namespaces/acme/repos/webapp/tags/latest"),
        ("POST", "/v2/manage/utils/authorizationtoken"),
        ("POST", "/v3/auth/tokens/extra"),
    ],
)
def test_the_read_only_check_fails_on_any_other_request(
    registry: FakeRegistry, live: str, method: str, path: str
) -> None:
    with httpx.Client(base_url=live) as http:
        http.get("/v2/manage/namespaces", headers={"X-Auth-Token": DEMO_TOKEN})
        http.post("/v2/manage/utils/secret", headers={"X-Auth-Token": DEMO_TOKEN})
        assert_read_only(registry, "token")  # GET and CreateSecret: fine
        http.request(method, path, headers={"X-Auth-Token": DEMO_TOKEN})
    with pytest.raises(AssertionError, match="requests that are not GET"):
        assert_read_only(registry, "token")
