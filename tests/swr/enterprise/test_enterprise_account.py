"""What the browser reads the Enterprise Edition through (swr/enterprise/account.py and the catalog's
table pages), against the fake registry over real loopback HTTP: the instances for the sidebar, one
instance opened by name or id, a table page counting exactly its rows, a filter's one row per
artifact, and the build history and accessories as the depth views show them."""

from __future__ import annotations

from typing import Callable

import pytest

from swr_tui.fake import DEMO_PROJECT_ID, FakeRegistry
from swr_tui.fake import enterprise_data as ee
from swr_tui.inspection.enterprise import accessory_signature, image_from_build_history
from swr_tui.swr.client import SwrClient
from swr_tui.swr.enterprise.account import EnterpriseAccount
from swr_tui.swr.enterprise.client import InstanceNotRunningError
from swr_tui.swr.enterprise.models import UNTAGGED, Artifact, ArtifactAccessory, ArtifactTag
from swr_tui.swr.project_id import ProjectIdResolver

MakeClient = Callable[..., SwrClient]


def account_on(client: SwrClient, project_id: str = DEMO_PROJECT_ID) -> EnterpriseAccount:
    return EnterpriseAccount(client, ProjectIdResolver(project_id or None, None, None))


async def test_no_project_id_means_no_instances_and_no_request(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        assert await account_on(client, "").instances() == ()
    assert registry.count("instances") == 0


async def test_the_sidebar_s_instances_serve_their_catalogs_without_another_request(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        account = account_on(client)
        found = await account.instances()
        catalog = await account.catalog(ee.RUNNING_ID)
        assert [item.name for item in found] == [ee.RUNNING_NAME, ee.CREATING_NAME]
        assert catalog.instance.name == ee.RUNNING_NAME
        assert registry.count("instances") == 1
        with pytest.raises(InstanceNotRunningError, match="acme-next is Creating, not Running"):
            await account.catalog(ee.CREATING_ID)


async def test_a_table_page_is_one_row_per_tag_with_the_instance_pull_path(
    make_client: MakeClient, registry: FakeRegistry
) -> None:
    async with make_client() as client:
        catalog = await account_on(client).open(ee.RUNNING_NAME)
        page = await catalog.table_page("apps", "webapp", offset=0, limit=100)
        big = await catalog.table_page("ci", "builds", offset=99_900, limit=100)
    assert [tag.name for tag in page.items] == ["v2.4.1", "latest", "stable", "v2.4.0-multiarch", "v1.0.0"]
    assert page.total == 5  # tags, exactly: the untagged artifact is not in this list
    assert page.items[0].path == f"{catalog.pull_host}/apps/webapp:v2.4.1"
    assert page.items[3].is_manifest_list
    assert (big.total, len(big.items), big.is_last) == (ee.BIG_COUNT, 100, True)
    assert registry.count("instance-tags") == 2
    assert registry.count("artifacts") == 0


async def test_a_filtered_table_page_is_one_row_per_matching_artifact(make_client: MakeClient) -> None:
    async with make_client() as client:
        catalog = await account_on(client).open(ee.RUNNING_NAME)
        page = await catalog.table_page("apps", "webapp", name_filter="a")
    # v2.4.1/latest/stable is one artifact: one row, named by its first tag holding "a"
    assert [tag.name for tag in page.items] == ["latest", "v2.4.0-multiarch"]
    assert page.total == 2


def test_row_named_picks_the_matching_tag_or_says_untagged() -> None:
    tagged = Artifact("sha256:" + "a" * 64, tags=(ArtifactTag("v1"), ArtifactTag("prod-v1")))
    assert tagged.row_named("prod").name == "prod-v1"
    assert tagged.row_named("zzz").name == "v1"  # the server matched it: its first tag names it
    untagged = Artifact("sha256:" + "b" * 64).row_named("x")
    assert untagged.name == "<untagged sha256:bbbbbbbbbbbb>"  # rows of one table differ by name
    assert Artifact("sha256:" + "c" * 64).row_named("x").name != untagged.name
    assert Artifact("").row_named("x").name == UNTAGGED  # no digest to tell it by


async def test_build_history_and_accessories_become_the_depth_views(make_client: MakeClient) -> None:
    async with make_client() as client:
        catalog = await account_on(client).open(ee.RUNNING_NAME)
        digest = ee.digest_of(ee.SHOWCASE_REPO, "v2")
        steps = await catalog.client.build_history(catalog.instance.id, "apps", "webapp", digest)
        accessories = await catalog.client.list_accessories(catalog.instance.id, "apps", "webapp", digest)
    view = image_from_build_history("apps/webapp:v2.4.1", digest, steps)
    assert [step.instruction for step in view.history.steps][-2:] == ["COPY app /app", 'ENTRYPOINT ["/app"]']
    assert [step.layer is not None for step in view.history.steps] == [True, False, True, True, False]
    assert view.history.matches
    assert len(view.layers) == 3
    assert [accessory_signature(item).kind for item in accessories.items] == ["signature", "sbom"]
    assert accessory_signature(ArtifactAccessory(kind="attestation.in-toto")).kind == "attestation"
