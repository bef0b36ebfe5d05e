"""Which data-plane API a request path names: the OCI distribution API (``/v2/...``), SWR's token
realm, CreateSecret on the management API, and the object storage blobs are redirected to."""

from __future__ import annotations

from typing import Optional
from urllib.parse import unquote

REGISTRY = "registry"  # GET /v2/ (the ping that answers 401 with the challenge)
TOKEN = "token"  # noqa: S105 (a route name) GET /swr/auth/v2/registry/auth/
MANIFEST = "manifest"
BLOB = "blob"
REFERRERS = "referrers"
SECRET = "secret"  # noqa: S105 (a route name) POST /v2/manage/utils/secret (CreateSecret)
OBJECTS = "objects"  # where blobs are redirected to (reached in-process only; see object_storage)

DATA_PLANE_ROUTES = (REGISTRY, TOKEN, MANIFEST, BLOB, REFERRERS, SECRET, OBJECTS)
TOKEN_PATH = "/swr/auth/v2/registry/auth/"  # noqa: S105 (a path)
SECRET_PATH = "/v2/manage/utils/secret"  # noqa: S105 (a path)
OBJECTS_PREFIX = "/object-storage/"
_KINDS = {"manifests": MANIFEST, "blobs": BLOB, "referrers": REFERRERS}


def match_data_plane(raw_path: str) -> Optional[tuple[str, dict[str, str]]]:
    """(route, params) for a data-plane path, None for any other. ``name`` is ``ns/repo``."""
    if raw_path == "/v2/":
        return REGISTRY, {}
    if raw_path.rstrip("/") == TOKEN_PATH.rstrip("/"):
        return TOKEN, {}
    if raw_path == SECRET_PATH:
        return SECRET, {}
    if raw_path.startswith(OBJECTS_PREFIX):
        return OBJECTS, {"key": raw_path[len(OBJECTS_PREFIX) :]}
    segments = raw_path.split("/")[1:]
    if len(segments) < 5 or segments[0] != "v2" or segments[1] == "manage":
        return None
    kind = _KINDS.get(segments[-2])
    name = [unquote(part) for part in segments[1:-2]]
    if kind is None or len(name) < 2 or "" in name or not segments[-1]:
        return None
    return kind, {"name": "/".join(name), "reference": unquote(segments[-1])}
