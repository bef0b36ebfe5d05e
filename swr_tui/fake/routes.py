"""Which API a request path names, with its path parameters decoded."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import unquote

from swr_tui.fake.data_plane_routes import DATA_PLANE_ROUTES, match_data_plane
from swr_tui.fake.enterprise_routes import ENTERPRISE_ROUTES, match_enterprise
from swr_tui.fake.governance_routes import GOVERNANCE_ROUTES, match_governance

NAMESPACES = "namespaces"
NAMESPACE = "namespace"
REPOS = "repos"
REPO = "repo"
SHARED = "shared"
TAGS = "tags"
TAG = "tag"
CONFIG = "config"  # ShowRepoTagConfig: .../tags/{tag}/config
ACCESSORIES = "accessories"  # ListRepoAccessories: .../repos/{repository}/{tag}/accessories (no "tags")
IAM = "iam"
UNKNOWN = "unknown"

SWR_ROUTES = (NAMESPACES, NAMESPACE, REPOS, REPO, SHARED, TAGS, TAG, CONFIG, ACCESSORIES)
ALL_ROUTES = (*SWR_ROUTES, IAM, *DATA_PLANE_ROUTES, *GOVERNANCE_ROUTES, *ENTERPRISE_ROUTES)

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
    governance = match_governance(segments)
    if governance is not None:
        return Route(*governance)
    enterprise = match_enterprise(segments)
    if enterprise is not None:
        return Route(*enterprise)
    if segments[:2] != ["v2", "manage"]:
        return Route(UNKNOWN)
    rest = segments[2:]
    if rest == ["repos"]:
        return Route(REPOS)
    if rest == ["shared-repositories"]:
        return Route(SHARED)
    tag_route = _tag_subroute(rest)
    if tag_route is not None:
        return tag_route
    name = _BY_DEPTH.get(len(rest))
    literals = tuple(rest[0::2])
    if name is None or "" in rest or literals != _LITERALS[: len(literals)]:
        return Route(UNKNOWN)
    params = {}
    for key, value in zip(_VARIABLES, rest[1::2]):
        params[key] = repository_from_segment(value) if key == "repository" else unquote(value)
    return Route(name, params)


def _tag_subroute(rest: list[str]) -> Optional[Route]:
    """CONFIG and ACCESSORIES: a tag named ``tags`` keeps meaning the tag route, as in SWR's paths."""
    if "" in rest or rest[:1] != ["namespaces"] or rest[2:3] != ["repos"]:
        return None
    if len(rest) == 7 and rest[4] == "tags" and rest[6] == "config":
        name, tag = CONFIG, rest[5]
    elif len(rest) == 6 and rest[4] != "tags" and rest[5] == "accessories":
        name, tag = ACCESSORIES, rest[4]
    else:
        return None
    return Route(
        name,
        {"namespace": unquote(rest[1]), "repository": repository_from_segment(rest[3]), "tag": unquote(tag)},
    )
