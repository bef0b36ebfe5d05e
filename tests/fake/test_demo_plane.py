"""The demo's data plane works in process, without credentials."""

from __future__ import annotations

import json

from swr_tui.fake import FakeRegistry
from swr_tui.fake.demo_plane import demo_registry_client


async def test_the_demo_shows_platforms_and_configs_without_credentials() -> None:
    registry = FakeRegistry(seed=0, real_configs=True)
    async with demo_registry_client(registry) as client:
        index = json.loads((await client.get_manifest("acme/webapp", "latest")).content)
        child = json.loads(
            (await client.get_manifest("acme/webapp", index["manifests"][1]["digest"])).content
        )
        config = json.loads(await client.get_blob("acme/webapp", child["config"]["digest"]))
    assert (config["os"], config["architecture"]) == ("linux", "arm64")
    hosts = {request.headers.get("host") for request in registry.requests}
    assert hosts == {"swr.demo.swr-tui.invalid"}
    assert [request.route for request in registry.requests][:2] == ["registry", "token"]
