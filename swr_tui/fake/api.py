"""SWR's read API over the data set: filtering, ordering, paging and 404s, one function per route.

Error codes for a missing namespace or repository are not in the documented excerpt of SWR's code
table (only 4040010, image does not exist, is), so those two codes are plausible stand-ins.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Callable, Union

from swr_tui.fake import routes, shapes
from swr_tui.fake.dataset import Dataset, Repository
from swr_tui.fake.image_configs import image_config
from swr_tui.fake.query import QueryError, choice_param, int_param
from swr_tui.fake.replies import Page, Reply, invalid_param, swr_error
from swr_tui.fake.tags import TagRecord

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
ORDER_TYPES = ("desc", "asc")
REPO_ORDER_COLUMNS = ("updated_time", "name", "tag_count")
SHARE_CENTERS = ("self", "thirdparty")
# ListRepoAccessories: limit defaults to 10 and may be at most 100 (SDK request model, API reference).
# How many older tags are checked for the same digest when dating a config: the data set pushes
# tags that share a digest next to each other, and reading further would build many tag records.
SAME_DIGEST_NEIGHBOURS = 4
ACCESSORY_DEFAULT_LIMIT = 10
ACCESSORY_MAX_LIMIT = 100
# cosign's tag-name convention for what it attaches to a digest: sha256-<hex>.sig|.att|.sbom. The
# ``type`` values SWR sends are not documented; these names are stand-ins.
ACCESSORY_SUFFIXES = ((".sig", "signature"), (".att", "attestation"), (".sbom", "sbom"))


def respond(dataset: Dataset, route: routes.Route, params: dict[str, str]) -> Reply:
    handler = _HANDLERS[route.name]
    try:
        return handler(dataset, route.params, params)
    except QueryError as error:
        return invalid_param(str(error))


def page_window(params: dict[str, str]) -> tuple[int, int, bool]:
    offset = int_param(params, "offset", 0, 0, None)
    limit = int_param(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    # SWR documents offset as a multiple of limit but any offset works here; the header is only
    # added when both were sent.
    return offset, limit, "offset" in params and "limit" in params


def _contains(haystack: str, needle: str) -> bool:
    return needle.lower() in haystack.lower()


def list_namespaces(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
    mode = params.get("mode", "")
    if mode not in ("", "visible"):
        raise QueryError(f"mode must be visible, got {mode!r}")
    # Whether SWR matches the namespace filter exactly or as a substring is unverified.
    wanted = params.get("namespace", "")
    found = [
        shapes.namespace(ns)
        for ns in dataset.namespaces
        if (mode == "visible" or not ns.visible_only) and _contains(ns.name, wanted)
    ]
    return Reply(200, {"namespaces": found})


def show_namespace(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
    ns = dataset.namespace(path["namespace"])
    if ns is None:
        return namespace_missing(path["namespace"])
    return Reply(200, shapes.namespace(ns))


def _repository_order(params: dict[str, str]) -> tuple[Callable[[Repository], tuple[object, ...]], bool]:
    column = choice_param(params, "order_column", "updated_time", REPO_ORDER_COLUMNS)
    descending = choice_param(params, "order_type", "desc", ORDER_TYPES) == "desc"
    keys: dict[str, Callable[[Repository], tuple[object, ...]]] = {
        "updated_time": lambda repo: (repo.updated, repo.namespace, repo.name),
        "name": lambda repo: (repo.name, repo.namespace),
        "tag_count": lambda repo: (repo.num_images, repo.namespace, repo.name),
    }
    return keys[column], descending


def _repository_filter(params: dict[str, str]) -> Callable[[Repository], bool]:
    namespace = params.get("namespace", "")
    name = params.get("name", "").replace("$", "/")
    category = params.get("category", "")

    def keep(repo: Repository) -> bool:
        return (
            (not namespace or repo.namespace == namespace)
            and _contains(repo.name, name)
            and (not category or repo.category == category)
        )

    return keep


def list_repositories(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
    offset, limit, paged = page_window(params)
    keep = _repository_filter(params)
    key, descending = _repository_order(params)
    matched = sorted((repo for repo in dataset.repositories if keep(repo)), key=key, reverse=descending)
    total = len(matched)
    items = [shapes.repository_item(repo, dataset.region, total) for repo in matched[offset : offset + limit]]
    return Reply(200, items, page=Page(offset, len(items), total) if paged else None)


def list_shared(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
    offset, limit, paged = page_window(params)
    center = params.get("center", "")
    if center and center not in SHARE_CENTERS:
        raise QueryError(f"center must be self or thirdparty, got {center!r}")
    keep = _repository_filter(params)
    key, descending = _repository_order(params)
    # Without a center both directions are listed; which one SWR picks by default is unverified.
    matched = sorted(
        (
            share
            for share in dataset.shared
            if (not center or share.center == center) and keep(share.repository)
        ),
        key=lambda share: key(share.repository),
        reverse=descending,
    )
    total = len(matched)
    items = [shapes.shared_item(share, dataset.region, total) for share in matched[offset : offset + limit]]
    return Reply(200, items, page=Page(offset, len(items), total) if paged else None)


def find_repository(dataset: Dataset, path: dict[str, str]) -> Union[Repository, Reply]:
    repo = dataset.repository(path["namespace"], path["repository"])
    if repo is not None:
        return repo
    if dataset.namespace(path["namespace"]) is None:
        return namespace_missing(path["namespace"])
    return swr_error(
        404, "SVCSTG.SWR.4040004", f"Repository not found: {path['namespace']}/{path['repository']}"
    )


def show_repository(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
    repo = find_repository(dataset, path)
    if isinstance(repo, Reply):
        return repo
    return Reply(200, shapes.repository_detail(repo, dataset.region))


def list_tags(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
    repo = find_repository(dataset, path)
    if isinstance(repo, Reply):
        return repo
    offset, limit, paged = page_window(params)
    choice_param(params, "order_column", "updated_at", ("updated_at",))
    descending = choice_param(params, "order_type", "desc", ORDER_TYPES) == "desc"
    # Real SWR's tag matching (exact, prefix or substring; case) is unverified: a case-insensitive
    # substring is the most forgiving guess.
    indexes = repo.tags.matching(params.get("tag", ""))
    ordered = indexes[::-1] if descending else indexes
    items = [
        shapes.tag_item(repo, repo.tags.record(index), dataset.region)
        for index in ordered[offset : offset + limit]
    ]
    return Reply(200, items, page=Page(offset, len(items), len(indexes)) if paged else None)


def _find_tag(dataset: Dataset, path: dict[str, str]) -> Union[tuple[Repository, TagRecord], Reply]:
    repo = find_repository(dataset, path)
    if isinstance(repo, Reply):
        return repo
    index = repo.tags.index_of(path["tag"])
    if index is None:
        return swr_error(
            404, "SVCSTG.SWR.4040010", f"Image does not exist: {repo.namespace}/{repo.name}:{path['tag']}"
        )
    return repo, repo.tags.record(index)


def show_tag(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
    found = _find_tag(dataset, path)
    if isinstance(found, Reply):
        return found
    repo, tag = found
    return Reply(200, shapes.tag_detail(repo, tag, dataset.region))


def show_tag_config(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
    """ShowRepoTagConfig: the documented 200 body is a JSON string whose content is the config."""
    found = _find_tag(dataset, path)
    if isinstance(found, Reply):
        return found
    repo, tag = found
    config = image_config(f"{repo.namespace}/{repo.name}", tag.digest, tag.manifest, _first_push(repo, tag))
    return Reply(200, json.dumps(config, separators=(",", ":")))


def _first_push(repo: Repository, tag: TagRecord) -> datetime:
    """When the tag's digest was first pushed to the repository: its oldest tag's creation time.
    Tags that share a digest are pushed together (``same:``), so only near neighbours are read."""
    first = tag.created
    for index in range(tag.index - 1, max(-1, tag.index - SAME_DIGEST_NEIGHBOURS - 1), -1):
        earlier = repo.tags.record(index)
        if earlier.digest == tag.digest:
            first = min(first, earlier.created)
    return first


def list_accessories(dataset: Dataset, path: dict[str, str], params: dict[str, str]) -> Reply:
    """ListRepoAccessories: what is attached to the tag's digest, ``{total, accessories}``."""
    found = _find_tag(dataset, path)
    if isinstance(found, Reply):
        return found
    repo, tag = found
    offset = int_param(params, "offset", 0, 0, None)
    limit = int_param(params, "limit", ACCESSORY_DEFAULT_LIMIT, 1, ACCESSORY_MAX_LIMIT)
    attached = []
    for suffix, kind in ACCESSORY_SUFFIXES:
        index = repo.tags.index_of(f"sha256-{tag.digest[len('sha256:') :]}{suffix}")
        if index is not None:
            attached.append(shapes.accessory_item(repo, repo.tags.record(index), tag, kind))
    return Reply(200, {"total": len(attached), "accessories": attached[offset : offset + limit]})


def namespace_missing(name: str) -> Reply:
    return swr_error(404, "SVCSTG.SWR.4040002", f"Namespace not found: {name}")


_HANDLERS: dict[str, Callable[[Dataset, dict[str, str], dict[str, str]], Reply]] = {
    routes.NAMESPACES: list_namespaces,
    routes.NAMESPACE: show_namespace,
    routes.REPOS: list_repositories,
    routes.REPO: show_repository,
    routes.SHARED: list_shared,
    routes.TAGS: list_tags,
    routes.TAG: show_tag,
    routes.CONFIG: show_tag_config,
    routes.ACCESSORIES: list_accessories,
}
