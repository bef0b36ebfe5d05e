"""Which Enterprise Edition API a request path names (paths exactly as the SDK's ``swr_client.py``).

A repository name travels percent-encoded twice (``team%252Fapp``). A segment that decodes to a
``/`` at the first decoding (a single ``%2F``), or a bare ``/`` that splits the name into more
segments, names no API: the gateway's 404, as for any unknown path.
"""

from __future__ import annotations

from typing import Optional
from urllib.parse import unquote

INSTANCES = "instances"  # ListInstance /v2/{project_id}/instances
INSTANCE = "instance"  # ShowInstance /v2/{project_id}/instances/{instance_id}
INSTANCE_STATISTICS = "instance-statistics"  # ListInstanceStatistics .../{instance_id}/statistics
INSTANCE_NAMESPACES = "instance-namespaces"  # ListInstanceNamespaces .../{instance_id}/namespaces
INSTANCE_REPOS = "instance-repos"  # ListNamespaceRepositories .../namespaces/{ns}/repositories
ARTIFACTS = "artifacts"  # ListInstanceArtifacts .../repositories/{repo}/artifacts
ARTIFACT = "artifact"  # ShowInstanceArtifact .../artifacts/{reference}
VULNERABILITIES = "vulnerabilities"  # ListInstanceArtifactVulnerabilities .../{reference}/vulnerabilities
BUILD_HISTORY = "build-history"  # ShowInstanceArtifactAddition .../{reference}/additions/{addition}
INSTANCE_ACCESSORIES = "instance-accessories"  # ListInstanceAccessories .../{reference}/accessories
INSTANCE_TAGS = (
    "instance-tags"  # ListInstanceTags /v2/instances/{id}/namespaces/{ns}/repositories/{repo}/tags
)

ENTERPRISE_ROUTES = (
    INSTANCES,
    INSTANCE,
    INSTANCE_STATISTICS,
    INSTANCE_NAMESPACES,
    INSTANCE_REPOS,
    ARTIFACTS,
    ARTIFACT,
    VULNERABILITIES,
    BUILD_HISTORY,
    INSTANCE_ACCESSORIES,
    INSTANCE_TAGS,
)
_ARTIFACT_LEAVES = {
    (): ARTIFACT,
    ("vulnerabilities",): VULNERABILITIES,
    ("accessories",): INSTANCE_ACCESSORIES,
}


def repository_from_enterprise_segment(segment: str) -> Optional[str]:
    """``a%252Fb`` -> ``a/b``; None for a segment whose first decoding already holds a ``/``."""
    once = unquote(segment)
    if "/" in once:
        return None
    return unquote(once)


def match_enterprise(segments: list[str]) -> Optional[tuple[str, dict[str, str]]]:
    """(route, params) for an enterprise path split on ``/`` (before decoding), None for any other."""
    if "" in segments or segments[:1] != ["v2"]:
        return None
    if segments[1:2] == ["instances"]:
        return _tags(segments[2:])
    if segments[2:3] != ["instances"]:
        return None
    params = {"project_id": unquote(segments[1])}
    rest = segments[3:]
    if not rest:
        return INSTANCES, params
    params["instance_id"] = unquote(rest[0])
    rest = rest[1:]
    if not rest:
        return INSTANCE, params
    if rest == ["statistics"]:
        return INSTANCE_STATISTICS, params
    if rest[0] != "namespaces":
        return None
    if len(rest) == 1:
        return INSTANCE_NAMESPACES, params
    params["namespace"] = unquote(rest[1])
    if rest[2:] == ["repositories"]:
        return INSTANCE_REPOS, params
    if len(rest) < 5 or rest[2] != "repositories" or rest[4] != "artifacts":
        return None
    repository = repository_from_enterprise_segment(rest[3])
    if repository is None:
        return None
    params["repository"] = repository
    leaf = rest[5:]
    if not leaf:
        return ARTIFACTS, params
    params["reference"] = unquote(leaf[0])
    if len(leaf) == 3 and leaf[1] == "additions":
        params["addition"] = unquote(leaf[2])
        return BUILD_HISTORY, params
    name = _ARTIFACT_LEAVES.get(tuple(leaf[1:]))
    return (name, params) if name is not None else None


def _tags(rest: list[str]) -> Optional[tuple[str, dict[str, str]]]:
    if len(rest) != 6 or rest[1] != "namespaces" or rest[3] != "repositories" or rest[5] != "tags":
        return None
    repository = repository_from_enterprise_segment(rest[4])
    if repository is None:
        return None
    return INSTANCE_TAGS, {
        "instance_id": unquote(rest[0]),
        "namespace": unquote(rest[2]),
        "repository": repository,
    }
