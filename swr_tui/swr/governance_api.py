"""The governance read calls: retention, quotas and overview, sync, triggers, access. All GET.

Free functions over an ``SwrClient`` (they share its retries, deadlines, size caps and error
mapping). A 405, or a 404 without an SWR error code (the API gateway's "the API does not exist"),
raises ``ApiUnavailableError``: the region has no such API. SWR's own 404 for a missing namespace
or repository stays ``NotFoundError``, and a 403 ``PermissionDeniedError``.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, TypeVar

import httpx

from .client import SwrClient, decode_json, name_segment, objects_only, repo_segment, wrong_shape
from .governance_models import (
    Access,
    Overview,
    Quota,
    RepositoryShare,
    Retention,
    RetentionLogEntry,
    SyncJob,
    SyncRepo,
    Trigger,
)
from .models import field_int
from .paging import DEFAULT_LIMIT, Page, check_limit, filter_string, page_total, parse_content_range

T = TypeVar("T")


def _repo_path(namespace: str, repository: str) -> str:
    return f"/v2/manage/namespaces/{name_segment(namespace)}/repos/{repo_segment(repository)}"


async def _get(
    client: SwrClient, path: str, what: str, api: str, params: Optional[list[tuple[str, str]]] = None
) -> httpx.Response:
    return await client.get_optional_api(path, what, api, params)


async def _get_list(client: SwrClient, path: str, what: str, api: str, build: Callable[[Any], T]) -> list[T]:
    data = decode_json(await _get(client, path, what, api), what)
    if not isinstance(data, list):
        raise wrong_shape(what, "an array")
    return [build(item) for item in objects_only(data, what)]


async def _get_object(client: SwrClient, path: str, what: str, api: str) -> dict[str, Any]:
    data = decode_json(await _get(client, path, what, api), what)
    if not isinstance(data, dict):
        raise wrong_shape(what, "an object")
    return data


async def list_retentions(client: SwrClient, namespace: str, repository: str) -> list[Retention]:
    """ListRetentions: the repository's retention rules (usually one, or none)."""
    what = f"the retention rules of {namespace}/{repository}"
    path = f"{_repo_path(namespace, repository)}/retentions"
    return await _get_list(client, path, what, "retention", Retention.from_api)


async def list_retention_histories(
    client: SwrClient, namespace: str, repository: str, *, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> Page[RetentionLogEntry]:
    """ListRetentionHistories: one page of the log of tags retention deleted."""
    if offset < 0:
        raise ValueError(f"offset must not be negative, not {offset}")
    what = f"the retention log of {namespace}/{repository}"
    path = f"{_repo_path(namespace, repository)}/retentions/histories"
    params = [("limit", str(check_limit(limit))), ("offset", str(offset))]
    response = await _get(client, path, what, "retention history", params)
    data = decode_json(response, what)
    items = data.get("retention_log") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise wrong_shape(what, 'an object with a "retention_log" array')
    entries = tuple(RetentionLogEntry.from_api(item) for item in objects_only(items, what))
    content_range = parse_content_range(response.headers.get("content-range"))
    if content_range is None and data.get("total") is not None:
        total: Optional[int] = max(field_int(data, "total"), offset + len(entries))
    else:
        total = page_total(content_range, offset, len(entries), limit)
    return Page(items=entries, offset=offset, limit=limit, total=total)


async def list_quotas(client: SwrClient, project_id: str) -> list[Quota]:
    """ListQuotas: namespace, repository and tag quotas of the project."""
    what = "the quotas"
    path = f"/v2/manage/projects/{name_segment(project_id)}/quotas"
    data = await _get_object(client, path, what, "quota")
    items = data.get("quotas")
    if not isinstance(items, list):
        raise wrong_shape(what, 'an object with a "quotas" array')
    return [Quota.from_api(item) for item in objects_only(items, what)]


async def show_overview(client: SwrClient) -> Overview:
    """ShowDomainOverview: the account's namespace, repository and image counts and storage."""
    return Overview.from_api(
        await _get_object(client, "/v2/manage/overview", "the account overview", "overview")
    )


async def show_sync_repos(client: SwrClient, namespace: str, repository: str) -> list[SyncRepo]:
    """ListImageAutoSyncReposDetails: the repository's automatic sync rules to other regions."""
    what = f"the sync rules of {namespace}/{repository}"
    path = f"{_repo_path(namespace, repository)}/sync_repo"
    return await _get_list(client, path, what, "image sync", SyncRepo.from_api)


async def list_sync_jobs(
    client: SwrClient,
    namespace: str,
    repository: str,
    *,
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
    order: str = "desc",
) -> Page[SyncJob]:
    """ShowSyncJob: one page of sync jobs, newest first by default (``filter`` with Content-Range)."""
    if order not in ("desc", "asc"):
        raise ValueError(f"order must be 'desc' or 'asc', not {order!r}")
    if offset < 0:
        raise ValueError(f"offset must not be negative, not {offset}")
    what = f"the sync jobs of {namespace}/{repository}"
    path = f"{_repo_path(namespace, repository)}/sync_job"
    query = filter_string(limit=check_limit(limit), offset=offset, order=order)
    response = await _get(client, path, what, "image sync", [("filter", query)])
    data = decode_json(response, what)
    if not isinstance(data, list):
        raise wrong_shape(what, "an array")
    jobs = tuple(SyncJob.from_api(item) for item in objects_only(data, what))
    total = page_total(parse_content_range(response.headers.get("content-range")), offset, len(jobs), limit)
    return Page(items=jobs, offset=offset, limit=limit, total=total)


async def list_triggers(client: SwrClient, namespace: str, repository: str) -> list[Trigger]:
    """ListTriggersDetails: the repository's deployment triggers, each with its history."""
    what = f"the triggers of {namespace}/{repository}"
    path = f"{_repo_path(namespace, repository)}/triggers"
    return await _get_list(client, path, what, "trigger", Trigger.from_api)


async def show_namespace_access(client: SwrClient, namespace: str) -> Access:
    """ShowNamespaceAuth: who holds which rights on the namespace."""
    what = f"the access rights of namespace {namespace}"
    path = f"/v2/manage/namespaces/{name_segment(namespace)}/access"
    return Access.from_api(await _get_object(client, path, what, "namespace access"))


async def show_repository_access(client: SwrClient, namespace: str, repository: str) -> Access:
    """ShowUserRepositoryAuth: who holds which rights on the repository."""
    what = f"the access rights of {namespace}/{repository}"
    path = f"{_repo_path(namespace, repository)}/access"
    return Access.from_api(await _get_object(client, path, what, "repository access"))


async def list_repository_shares(client: SwrClient, namespace: str, repository: str) -> list[RepositoryShare]:
    """ListRepoDomains: the accounts the repository is shared with, and until when."""
    what = f"the shares of {namespace}/{repository}"
    path = (
        f"/v2/manage/namespaces/{name_segment(namespace)}/repositories/{repo_segment(repository)}"
        "/access-domains"
    )
    return await _get_list(client, path, what, "repository sharing", RepositoryShare.from_api)
