"""Synced to, deployed by, and shares near their deadline: from the demo's governance answers over
loopback, and at their edges."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from swr_tui.fake import FakeRegistry
from swr_tui.swr import governance_api as api
from swr_tui.swr.client import SwrClient
from swr_tui.swr.governance_models import RepositoryShare, SyncJob, SyncRepo, Trigger
from swr_tui.swr.governance_views import deadline_near, deployed_by, synced_to

NOW = datetime(2026, 11, 1, 12, 0, 0, tzinfo=timezone.utc)


async def test_the_demo_webapp_tags(make_client: Callable[..., SwrClient], registry: FakeRegistry) -> None:
    async with make_client() as client:
        rules = await api.show_sync_repos(client, "acme", "webapp")
        jobs = (await api.list_sync_jobs(client, "acme", "webapp", limit=100)).items
        triggers = await api.list_triggers(client, "acme", "webapp")
        shares = await api.list_repository_shares(client, "acme", "webapp")
    assert [(s.region, s.namespace, s.status) for s in synced_to(rules, jobs, "latest")] == [
        ("cn-east-3", "acme", "failed"),
        ("ap-southeast-1", "acme-sg", "running"),
    ]
    assert [s.status for s in synced_to(rules, jobs, "v0.9.0")] == ["", ""]  # no job for an old tag
    (deployment,) = deployed_by(triggers, "v2.4.1")
    assert (deployment.trigger, deployment.mode, deployment.cluster, deployment.result) == (
        "deploy-webapp-prod",
        "cce",
        "prod-cluster",
        "failed",
    )
    assert deployed_by(triggers, "v0.9.0") == []
    anchor = registry.dataset.anchor
    assert [deadline_near(share, anchor) for share in shares] == [True, False]  # 3 days left; forever


def test_the_latest_job_per_region_wins_and_unknown_regions_follow() -> None:
    rules = [SyncRepo.from_api({"remoteRegionId": "r1", "remoteNamespace": "n1"})]
    jobs = [
        SyncJob.from_api(
            {"tag": "t", "remoteRegionId": "r1", "status": "failed", "createdAt": "2026-10-01T00:00:00Z"}
        ),
        SyncJob.from_api(
            {"tag": "t", "remoteRegionId": "r1", "status": "success", "createdAt": "2026-10-02T00:00:00Z"}
        ),
        SyncJob.from_api({"tag": "t", "remoteRegionId": "r1", "status": "odd", "createdAt": "not a time"}),
        SyncJob.from_api(
            {"tag": "u", "remoteRegionId": "r1", "status": "running", "createdAt": "2026-10-03T00:00:00Z"}
        ),
        SyncJob.from_api({"tag": "t", "remoteRegionId": "r9", "remoteNamespace": "n9", "status": "waiting"}),
    ]
    states = synced_to(rules, jobs, "t")
    assert [(s.region, s.namespace, s.status) for s in states] == [
        ("r1", "n1", "success"),
        ("r9", "n9", "waiting"),
    ]


def test_deployments_newest_first_over_every_trigger() -> None:
    triggers = [
        Trigger.from_api(
            {
                "name": "a",
                "trigger_history": [{"tag": "t", "result": "success", "created_at": "2026-10-01T00:00:00Z"}],
            }
        ),
        Trigger.from_api(
            {
                "name": "b",
                "trigger_history": [{"tag": "t", "result": "failed", "created_at": "2026-10-05T00:00:00Z"}],
            }
        ),
    ]
    assert [(d.trigger, d.result) for d in deployed_by(triggers, "t")] == [("b", "failed"), ("a", "success")]


def test_deadlines() -> None:
    def near(deadline: str) -> object:
        return deadline_near(RepositoryShare.from_api({"deadline": deadline}), NOW)

    assert near("2026-11-08T12:00:00Z") is True  # exactly 7 days
    assert near("2026-11-08T12:00:01Z") is False
    assert near("2026-10-01T00:00:00Z") is True  # past
    assert near("Forever") is False
    assert near("someday") is None
    assert near("") is None
