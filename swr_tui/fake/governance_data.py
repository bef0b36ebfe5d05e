"""The demo's governance data: retention rules and their logs, sync rules and jobs, triggers,
shares. Field names are the SDK's wire names; everything derives from the data set, so a seed
repeats it.

Unverified against a live SWR (stand-ins, said here once): the quota units, the value of
``scope``, the trigger ``result`` strings beyond success/failed, and the share ``deadline`` format
(SWR's console shows a UTC time or ``forever``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from swr_tui.fake.dataset import BIG_REPO, MAIN_NAMESPACE, NIGHTLY_REPO, SHOWCASE_REPO, Dataset, Repository
from swr_tui.fake.tags import swr_time

# (namespace, repository) -> the ListRetentions body. ``num`` arrives as a string on purpose:
# SWR's params values may be strings.
RETENTIONS: dict[tuple[str, str], list[dict[str, Any]]] = {
    (MAIN_NAMESPACE, BIG_REPO): [
        {
            "id": 101,
            "algorithm": "or",
            "scope": "",
            "rules": [
                {
                    "template": "tag_rule",
                    "params": {"num": "50"},
                    "tag_selectors": [{"kind": "regexp", "pattern": r"^build-\d{3}000$"}],
                }
            ],
        }
    ],
    (MAIN_NAMESPACE, SHOWCASE_REPO): [
        {
            "id": 102,
            "algorithm": "or",
            "scope": "",
            "rules": [
                {
                    "template": "date_rule",
                    "params": {"days": 90},
                    "tag_selectors": [{"kind": "label", "pattern": "v1.0.0"}],
                }
            ],
        }
    ],
    (MAIN_NAMESPACE, NIGHTLY_REPO): [
        {
            "id": 103,
            "algorithm": "or",
            "scope": "",
            "rules": [{"template": "tag_rule", "params": {"num": 10000}, "tag_selectors": []}],
        }
    ],
}
# (namespace, repository) -> (rows in the retention log, tag name format, rule type)
RETENTION_LOGS: dict[tuple[str, str], tuple[int, str, str]] = {
    (MAIN_NAMESPACE, BIG_REPO): (1250, "pr-{:05d}", "tag_rule"),
    (MAIN_NAMESPACE, SHOWCASE_REPO): (6, "v0.8.{}", "date_rule"),
    (MAIN_NAMESPACE, NIGHTLY_REPO): (10_000, "nightly-old-{:05d}", "tag_rule"),
}
SYNC_REGIONS = (("cn-east-3", MAIN_NAMESPACE, False), ("ap-southeast-1", "acme-sg", True))
SYNCED_REPOS = (SHOWCASE_REPO, BIG_REPO)
SYNCED_TAGS = 12  # the newest tags of a synced repository that have jobs
SYNC_STATUSES = ("success", "success", "failed", "running", "waiting", "timeout", "cancel", "existed")
TRIGGERED_TAGS = 6  # the newest tags of the showcase repository its trigger fired for
OTHERS = (("acme-admin", 7), ("ci-bot", 3), ("auditor", 1))


def retentions(namespace: str, repository: str) -> list[dict[str, Any]]:
    return RETENTIONS.get((namespace, repository), [])


def retention_log(dataset: Dataset, repo: Repository) -> list[dict[str, Any]]:
    """Newest first: one deleted tag an hour before the anchor, going back."""
    count, name, rule_type = RETENTION_LOGS.get((repo.namespace, repo.name), (0, "", ""))
    retention_id = RETENTIONS[(repo.namespace, repo.name)][0]["id"] if count else 0
    return [
        {
            "id": retention_id * 100_000 + count - row,
            "retention_id": retention_id,
            "namespace": repo.namespace,
            "repo": repo.name,
            "tag": name.format(count - row),
            "rule_type": rule_type,
            "created_at": swr_time(dataset.anchor - timedelta(hours=row + 1)),
        }
        for row in range(count)
    ]


def sync_repos(dataset: Dataset, repo: Repository) -> list[dict[str, Any]]:
    if repo.namespace != MAIN_NAMESPACE or repo.name not in SYNCED_REPOS:
        return []
    return [
        {
            "createdAt": swr_time(repo.created + timedelta(days=1)),
            "domainID": dataset.domain_id,
            "domainName": dataset.domain_name,
            "id": 500 + number,
            "namespace": repo.namespace,
            "override": override,
            "remoteNamespace": remote_namespace,
            "remoteRegionId": region,
            "repoName": repo.name,
            "syncAuto": True,
            "updatedAt": swr_time(repo.created + timedelta(days=1)),
        }
        for number, (region, remote_namespace, override) in enumerate(SYNC_REGIONS)
    ]


def sync_jobs(dataset: Dataset, repo: Repository) -> list[dict[str, Any]]:
    """Newest first: each of the newest tags synced to each region, in several states."""
    jobs = []
    count = repo.tags.count
    for age, index in enumerate(range(count - 1, max(-1, count - 1 - SYNCED_TAGS), -1)):
        tag = repo.tags.record(index)
        for number, (region, remote_namespace, override) in enumerate(SYNC_REGIONS):
            status = SYNC_STATUSES[(age * len(SYNC_REGIONS) + number) % len(SYNC_STATUSES)]
            moment = swr_time(tag.updated + timedelta(minutes=2 + number))
            jobs.append(
                {
                    "createdAt": moment,
                    "domainID": dataset.domain_id,
                    "domainName": dataset.domain_name,
                    "id": 90_000 + index * len(SYNC_REGIONS) + number,
                    "namespace": repo.namespace,
                    "override": override,
                    "remoteNamespace": remote_namespace,
                    "remoteRegionId": region,
                    "repoName": repo.name,
                    "status": status,
                    "syncOperatorId": "",
                    "syncOperatorName": "auto-sync",
                    "tag": tag.name,
                    "updatedAt": moment,
                }
            )
    return jobs if repo.namespace == MAIN_NAMESPACE and repo.name in SYNCED_REPOS else []


def triggers(repo: Repository) -> list[dict[str, Any]]:
    if (repo.namespace, repo.name) != (MAIN_NAMESPACE, SHOWCASE_REPO):
        return []
    common = {
        "action": "update",
        "app_type": "deployments",
        "application": "webapp",
        "cluster_id": "5c1f7e0a-cce0-11ee-a1b2-0255ac100b03",
        "cluster_name": "prod-cluster",
        "cluster_ns": "default",
        "condition": ".*",
        "container": "webapp",
        "creator_name": "alice.wang",
    }
    history = []
    count = repo.tags.count
    for age, index in enumerate(range(count - 1, max(-1, count - 1 - TRIGGERED_TAGS), -1)):
        tag = repo.tags.record(index)
        failed = age == 2
        history.append(
            {
                **common,
                "created_at": swr_time(tag.updated + timedelta(minutes=1)),
                "detail": "deployment webapp: image pull failed (ErrImagePull)" if failed else "",
                "result": "failed" if failed else "success",
                "tag": tag.name,
            }
        )
    deploy = {
        **common,
        "created_at": swr_time(repo.created + timedelta(days=2)),
        "enable": "true",
        "name": "deploy-webapp-prod",
        "trigger_history": history,
        "trigger_mode": "cce",
        "trigger_type": "all",
    }
    staging = {
        **common,
        "cluster_name": "staging-cluster",
        "condition": "^v2\\.",
        "created_at": swr_time(repo.created + timedelta(days=3)),
        "enable": "false",
        "name": "deploy-webapp-staging",
        "trigger_history": [],
        "trigger_mode": "cce",
        "trigger_type": "regular",
    }
    return [deploy, staging]


def shares(dataset: Dataset, repo: Repository) -> list[dict[str, Any]]:
    """Own shares of the main namespace (dataset.OWN_SHARES): one near its deadline, one expired."""
    if repo.namespace != MAIN_NAMESPACE or not any(
        share.center == "self" and share.repository is repo for share in dataset.shared
    ):
        return []
    plans = {
        SHOWCASE_REPO: (("partner-a", 3, True), ("partner-b", None, True)),
        "nginx": (("partner-a", 200, True),),
        "mysql": (("old-vendor", -10, False),),
    }
    return [
        {
            "namespace": repo.namespace,
            "repository": repo.name,
            "access_domain": domain,
            "permit": "read",
            "deadline": "forever" if days is None else swr_time(dataset.anchor + timedelta(days=days)),
            "description": f"shared with {domain}",
            "creator_id": repo.creator_id,
            "creator_name": repo.creator_name,
            "created": swr_time(repo.created),
            "updated": swr_time(repo.created),
            "status": in_force,
        }
        for domain, days, in_force in plans.get(repo.name, ())
    ]
