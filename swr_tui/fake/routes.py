"""Which API a request path names, with its path parameters decoded."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote

from swr_tui.fake.data_plane_routes import DATA_PLANE_ROUTES, match_data_plane

NAMESPACES = "namespaces"
NAMESPACE = "namespace"
REPOS = "repos"
REPO = "repo"
SHARED = "shared"
TAGS = "tags"
TAG = "tag"
IAM = "iam"
UNKNOWN = "unknown"

SWR_ROUTES = (NAMESPACES, NAMESPACE, REPOS, REPO, SHARED, TAGS, TAG)
ALL_ROUTES = (*SWR_ROUTES, IAM, *DATA_PLANE_ROUTES)

# Under /v2/manage, literal and variable segments alternate: namespaces/{ns}/repos/{repo}/tags/{tag}.
_LITERALS = ("namespaces", "repos", "tags")
_VARIABLES = ("namespace", "repository", "tag")
_BY_DEPTH = {1: NAMESPACES, 2: NAMESPACE, 4: REPO, 5: TAGS, 6: TAG}


@dataclass(frozen=True)
class Route:
    name: str
    params: dict[str, str] = field(default_factory=dict)


def repository_from_segment(segment: str) -> str:
    """``a$b``, ``a%24b`` and ``a%2Fb`` all name repository ``a/b``."""
    return unquote(segment).replace("$", "/")


def match(raw_path: str) -> Route:
    # Split before decoding, so an encoded %2F stays inside its segment.
    segments = raw_path.split("/")[1:]
    if segments == ["v3", "auth", "tokens"]:
        return Route(IAM)
    data_plane = match_data_plane(raw_path)
    if data_plane is not None:
        return Route(*data_plane)
    if segments[:2] != ["v2", "manage"]:
        return Route(UNKNOWN)
    rest = segments[2:]
    if rest == ["repos"]:
        return Route(REPOS)
    if rest == ["shared-repositories"]:
        return Route(SHARED)
    name = _BY_DEPTH.get(len(rest))
    literals = tuple(rest[0::2])
    if name is None or "" in rest or literals != _LITERALS[: len(literals)]:
        return Route(UNKNOWN)
    params = {}
    for key, value in zip(_VARIABLES, rest[1::2]):
        params[key] = repository_from_segment(value) if key == "repository" else unquote(value)
    return Route(name, params)
