"""Which governance API a request path names (paths exactly as the SDK's ``swr_client.py``):
retention, quotas, overview, sync, triggers, access, shares, and IAM's project lookup."""

from __future__ import annotations

from typing import Optional
from urllib.parse import unquote

RETENTIONS = "retentions"  # ListRetentions .../repos/{repository}/retentions
RETENTION_LOG = "retention-log"  # ListRetentionHistories .../retentions/histories
QUOTAS = "quotas"  # ListQuotas /v2/manage/projects/{project_id}/quotas
OVERVIEW = "overview"  # ShowDomainOverview /v2/manage/overview
SYNC_REPOS = "sync-repos"  # ListImageAutoSyncReposDetails .../repos/{repository}/sync_repo
SYNC_JOBS = "sync-jobs"  # ShowSyncJob .../repos/{repository}/sync_job
TRIGGERS = "triggers"  # ListTriggersDetails .../repos/{repository}/triggers
NAMESPACE_ACCESS = "namespace-access"  # ShowNamespaceAuth /v2/manage/namespaces/{namespace}/access
REPO_ACCESS = "repo-access"  # ShowUserRepositoryAuth .../repos/{repository}/access
SHARES = "shares"  # ListRepoDomains .../namespaces/{ns}/repositories/{repository}/access-domains
PROJECTS = "projects"  # IAM KeystoneListProjects GET /v3/projects?name={region}

GOVERNANCE_ROUTES = (
    RETENTIONS,
    RETENTION_LOG,
    QUOTAS,
    OVERVIEW,
    SYNC_REPOS,
    SYNC_JOBS,
    TRIGGERS,
    NAMESPACE_ACCESS,
    REPO_ACCESS,
    SHARES,
    PROJECTS,
)
_REPO_LEAVES = {
    ("retentions",): RETENTIONS,
    ("retentions", "histories"): RETENTION_LOG,
    ("sync_repo",): SYNC_REPOS,
    ("sync_job",): SYNC_JOBS,
    ("triggers",): TRIGGERS,
    ("access",): REPO_ACCESS,
}


def _repository(segment: str) -> str:
    return unquote(segment).replace("$", "/")


def match_governance(segments: list[str]) -> Optional[tuple[str, dict[str, str]]]:
    """(route, params) for a governance path split on ``/`` (before decoding), None for any other."""
    if segments == ["v3", "projects"]:
        return PROJECTS, {}
    if segments[:2] != ["v2", "manage"] or "" in segments:
        return None
    rest = segments[2:]
    if rest == ["overview"]:
        return OVERVIEW, {}
    if len(rest) == 3 and rest[0] == "projects" and rest[2] == "quotas":
        return QUOTAS, {"project_id": unquote(rest[1])}
    if len(rest) < 3 or rest[0] != "namespaces":
        return None
    namespace = unquote(rest[1])
    if len(rest) == 3 and rest[2] == "access":
        return NAMESPACE_ACCESS, {"namespace": namespace}
    if len(rest) == 5 and rest[2] == "repositories" and rest[4] == "access-domains":
        return SHARES, {"namespace": namespace, "repository": _repository(rest[3])}
    if len(rest) >= 5 and rest[2] == "repos":
        name = _REPO_LEAVES.get(tuple(rest[4:]))
        if name is not None:
            return name, {"namespace": namespace, "repository": _repository(rest[3])}
    return None
