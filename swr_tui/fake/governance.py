"""The governance read APIs over the data set: retention and its log, quotas, the overview, sync
rules and jobs, triggers, access and shares, and IAM's project lookup. GET only, like the rest."""

from __future__ import annotations

from typing import Any, Callable

from swr_tui.fake import governance_data as data
from swr_tui.fake import governance_routes as names
from swr_tui.fake import routes
from swr_tui.fake.api import find_repository, namespace_missing, page_window
from swr_tui.fake.credentials import DEMO_DOMAIN_ID, DEMO_PROJECT_ID, DEMO_USER, DEMO_USER_ID
from swr_tui.fake.dataset import Dataset
from swr_tui.fake.entropy import hex_id
from swr_tui.fake.query import QueryError, choice_param
from swr_tui.fake.replies import Page, Reply, invalid_param, swr_error

# Quota limits: each a little above what the data set uses, so the demo shows them near full.
NAMESPACE_QUOTA = 6
REPOSITORY_QUOTA = 300
TAG_QUOTA = 120_000
ORDERS = ("desc", "asc")

Handler = Callable[[Dataset, dict[str, str], dict[str, str]], Reply]


def respond(dataset: Dataset, route: routes.Route, params: dict[str, str]) -> Reply:
    try:
        return HANDLERS[route.name](dataset, route.params, params)
    except QueryError as error:
        return invalid_param(str(error))


def _repo_list(build: Callable[[Dataset, Any], Any]) -> Handler:
    def handler(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
        repo = find_repository(dataset, path)
        if isinstance(repo, Reply):
            return repo
        return Reply(200, build(dataset, repo))

    return handler


def list_retention_log(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
    repo = find_repository(dataset, path)
    if isinstance(repo, Reply):
        return repo
    offset, limit, paged = page_window(params)
    rows = data.retention_log(dataset, repo)
    window = rows[offset : offset + limit]
    return Reply(
        200,
        {"retention_log": window, "total": len(rows)},
        page=Page(offset, len(window), len(rows)) if paged else None,
    )


def list_sync_jobs(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
    repo = find_repository(dataset, path)
    if isinstance(repo, Reply):
        return repo
    offset, limit, paged = page_window(params)
    jobs = data.sync_jobs(dataset, repo)
    if choice_param(params, "order", "desc", ORDERS) == "asc":
        jobs.reverse()
    window = jobs[offset : offset + limit]
    return Reply(200, window, page=Page(offset, len(window), len(jobs)) if paged else None)


def list_quotas(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
    if path["project_id"] != DEMO_PROJECT_ID:
        # What SWR answers for another account's project is unverified; a 403 is the likely one.
        return swr_error(403, "SVCSTG.SWR.4030000", f"Project {path['project_id']} is not this account's")
    tags = sum(repo.num_images for repo in dataset.repositories)
    used = (("namespace", len(dataset.namespaces), NAMESPACE_QUOTA),
            ("repository", len(dataset.repositories), REPOSITORY_QUOTA),
            ("tag", tags, TAG_QUOTA))  # fmt: skip
    return Reply(
        200,
        {"quotas": [{"quota_key": k, "quota_limit": limit, "used": n, "unit": ""} for k, n, limit in used]},
    )


def show_overview(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
    return Reply(
        200,
        {
            "domain_id": dataset.domain_id,
            "domain_name": dataset.domain_name,
            "namspace_num": len(dataset.namespaces),
            "repo_num": len(dataset.repositories),
            "image_num": sum(repo.num_images for repo in dataset.repositories),
            "store_space": float(sum(repo.size for repo in dataset.repositories)),
            "downflow_size": float(sum(repo.num_download for repo in dataset.repositories) * 25_000_000),
        },
    )


def _auth(name: str, auth: int, seed: int) -> dict[str, Any]:
    user_id = DEMO_USER_ID if name == DEMO_USER else hex_id(seed, "user", name)
    return {"user_id": user_id, "user_name": name, "auth": auth}


def show_namespace_access(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
    namespace = dataset.namespace(path["namespace"])
    if namespace is None:
        return namespace_missing(path["namespace"])
    return Reply(
        200,
        {
            "id": namespace.id,
            "name": namespace.name,
            "creator_name": namespace.creator_name,
            "self_auth": _auth(DEMO_USER, namespace.auth, dataset.seed),
            "others_auths": [_auth(name, auth, dataset.seed) for name, auth in data.OTHERS],
        },
    )


def show_repository_access(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
    repo = find_repository(dataset, path)
    if isinstance(repo, Reply):
        return repo
    namespace = dataset.namespace(repo.namespace)
    return Reply(
        200,
        {
            "id": repo.id,
            "name": repo.name,
            "self_auth": _auth(DEMO_USER, namespace.auth if namespace else 1, dataset.seed),
            "others_auths": [_auth("ci-bot", 3, dataset.seed)],
        },
    )


def list_projects(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
    """IAM KeystoneListProjects: the account's project named after the region (and its parent)."""
    projects: list[dict[str, Any]] = [
        {"id": DEMO_PROJECT_ID, "name": dataset.region, "domain_id": DEMO_DOMAIN_ID, "enabled": True},
        {"id": hex_id(dataset.seed, "project", "main"), "name": "MOS", "domain_id": DEMO_DOMAIN_ID},
    ]
    wanted = params.get("name")
    found = [project for project in projects if wanted is None or project["name"] == wanted]
    return Reply(200, {"projects": found, "links": {"self": "", "previous": None, "next": None}})


HANDLERS: dict[str, Handler] = {
    names.RETENTIONS: _repo_list(lambda dataset, repo: data.retentions(repo.namespace, repo.name)),
    names.RETENTION_LOG: list_retention_log,
    names.QUOTAS: list_quotas,
    names.OVERVIEW: show_overview,
    names.SYNC_REPOS: _repo_list(data.sync_repos),
    names.SYNC_JOBS: list_sync_jobs,
    names.TRIGGERS: _repo_list(lambda dataset, repo: data.triggers(repo)),
    names.NAMESPACE_ACCESS: show_namespace_access,
    names.REPO_ACCESS: show_repository_access,
    names.SHARES: _repo_list(data.shares),
    names.PROJECTS: list_projects,
}
