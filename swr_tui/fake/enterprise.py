"""The Enterprise Edition read APIs over ``enterprise_data``: instances, namespaces, repositories,
artifacts, scan reports, build history, accessories and tags. GET only, like the rest.

Paging is the enterprise kind: ``offset``/``limit`` query parameters, ``limit`` at most 100 (a larger
one gets a 400, as the API answers), ``offset`` 0 or a multiple of ``limit``, the total in the body.
"""

from __future__ import annotations

from typing import Any, Callable, Union

from swr_tui.fake import enterprise_data as data
from swr_tui.fake import enterprise_routes as names
from swr_tui.fake import routes
from swr_tui.fake.credentials import DEMO_PROJECT_ID
from swr_tui.fake.query import QueryError, int_param
from swr_tui.fake.replies import Page, Reply, invalid_param, swr_error

DEFAULT_LIMIT = 10  # the SDK request models' default
MAX_LIMIT = 100  # the SDK request models' maximum; the API refuses more with a 400
INSTANCE_DEFAULT_LIMIT = 100  # ListInstance defaults to 100 (its request model)

Handler = Callable[[data.Enterprise, dict[str, str], dict[str, str]], Reply]


def respond(enterprise: data.Enterprise, route: routes.Route, params: dict[str, str]) -> Reply:
    if "project_id" in route.params and route.params["project_id"] != DEMO_PROJECT_ID:
        return swr_error(
            403, "SVCSTG.SWR.4030000", f"Project {route.params['project_id']} is not this account's"
        )
    try:
        return HANDLERS[route.name](enterprise, route.params, params)
    except QueryError as error:
        return invalid_param(str(error))


def _window(params: dict[str, str], default: int = DEFAULT_LIMIT) -> tuple[int, int]:
    offset = int_param(params, "offset", 0, 0, None)
    limit = int_param(params, "limit", default, 1, MAX_LIMIT)
    if offset % limit:
        raise QueryError(f"offset must be 0 or a multiple of limit, got offset {offset} and limit {limit}")
    return offset, limit


def _paged(key: str, items: list[Any], offset: int, total: int) -> Reply:
    return Reply(200, {key: items}, page=Page(offset, len(items), total, list_key=key))


def _not_found(what: str) -> Reply:
    return swr_error(404, "SVCSTG.SWR.4040000", f"{what} not found")


def _running(enterprise: data.Enterprise, path: dict[str, str]) -> Union[data.FakeInstance, Reply]:
    instance = enterprise.instance(path["instance_id"])
    if instance is None:
        return _not_found(f"Instance {path['instance_id']}")
    if instance.status != "Running":
        return swr_error(409, "SVCSTG.SWR.4090000", f"Instance {instance.name} is {instance.status}")
    return instance


def _repository(
    enterprise: data.Enterprise, path: dict[str, str]
) -> Union[tuple[data.FakeInstance, data.FakeRepository], Reply]:
    instance = _running(enterprise, path)
    if isinstance(instance, Reply):
        return instance
    if instance.namespace(path["namespace"]) is None:
        return _not_found(f"Namespace {path['namespace']}")
    repo = instance.repository(path["namespace"], path["repository"])
    if repo is None:
        return _not_found(f"Repository {path['namespace']}/{path['repository']}")
    return instance, repo


def _artifact(
    enterprise: data.Enterprise, path: dict[str, str]
) -> Union[tuple[data.FakeRepository, data.FakeArtifact], Reply]:
    found = _repository(enterprise, path)
    if isinstance(found, Reply):
        return found
    _, repo = found
    reference = path["reference"]
    artifact = repo.find(reference)
    if artifact is not None:
        return repo, artifact
    return _not_found(f"Artifact {reference}")


def list_instances(enterprise: data.Enterprise, path: dict[str, str], params: dict[str, str]) -> Reply:
    offset, limit = _window(params, INSTANCE_DEFAULT_LIMIT)
    status = params.get("status", "")
    found = [item for item in enterprise.instances if not status or item.status == status]
    window = found[offset : offset + limit]
    shapes = [data.instance_shape(item, enterprise.region, path["project_id"]) for item in window]
    return _paged("instances", shapes, offset, len(found))


def show_instance(enterprise: data.Enterprise, path: dict[str, str], params: dict[str, str]) -> Reply:
    instance = enterprise.instance(path["instance_id"])
    if instance is None:
        return _not_found(f"Instance {path['instance_id']}")
    return Reply(200, data.instance_shape(instance, enterprise.region, path["project_id"]))


def statistics(enterprise: data.Enterprise, path: dict[str, str], params: dict[str, str]) -> Reply:
    instance = _running(enterprise, path)
    if isinstance(instance, Reply):
        return instance
    return Reply(
        200,
        {
            "storage_used": sum(repo.artifact(0).size * repo.count for repo in instance.repositories),
            "total_namespace_count": len(instance.namespaces),
            "total_image_count": sum(repo.count for repo in instance.repositories),
            "namespace_quota": 100,
            "image_repo_quota": 1000,
        },
    )


def list_namespaces(enterprise: data.Enterprise, path: dict[str, str], params: dict[str, str]) -> Reply:
    instance = _running(enterprise, path)
    if isinstance(instance, Reply):
        return instance
    offset, limit = _window(params)
    wanted = params.get("name", "")
    found = [ns for ns in instance.namespaces if wanted in ns.name]
    window = found[offset : offset + limit]
    shapes = [data.namespace_shape(instance, ns, instance.created) for ns in window]
    return _paged("namespaces", shapes, offset, len(found))


def list_repositories(enterprise: data.Enterprise, path: dict[str, str], params: dict[str, str]) -> Reply:
    instance = _running(enterprise, path)
    if isinstance(instance, Reply):
        return instance
    namespace = instance.namespace(path["namespace"])
    if namespace is None:
        return _not_found(f"Namespace {path['namespace']}")
    offset, limit = _window(params)
    found = [repo for repo in instance.repositories if repo.namespace == namespace.name]
    window = found[offset : offset + limit]
    return _paged(
        "repositories",
        [data.repository_shape(instance, repo, namespace.id) for repo in window],
        offset,
        len(found),
    )


def _matching(repo: data.FakeRepository, needle: str) -> list[int]:
    return [index for index in range(repo.count) if any(needle in tag for tag in repo.names(index))]


def list_artifacts(enterprise: data.Enterprise, path: dict[str, str], params: dict[str, str]) -> Reply:
    found = _repository(enterprise, path)
    if isinstance(found, Reply):
        return found
    _, repo = found
    offset, limit = _window(params)
    needle = params.get("tags", "")
    if needle:
        indexes = _matching(repo, needle)
        window = [repo.artifact(index) for index in indexes[offset : offset + limit]]
        total = len(indexes)
    else:
        window, total = repo.artifacts(offset, limit), repo.count
    return _paged("artifacts", [data.artifact_shape(repo, item) for item in window], offset, total)


def show_artifact(enterprise: data.Enterprise, path: dict[str, str], params: dict[str, str]) -> Reply:
    found = _artifact(enterprise, path)
    if isinstance(found, Reply):
        return found
    repo, artifact = found
    return Reply(200, data.artifact_shape(repo, artifact, params.get("with_scan_overview") == "true"))


def vulnerabilities(enterprise: data.Enterprise, path: dict[str, str], params: dict[str, str]) -> Reply:
    found = _artifact(enterprise, path)
    if isinstance(found, Reply):
        return found
    return Reply(200, data.vulnerability_report(found[1]))


def build_history(enterprise: data.Enterprise, path: dict[str, str], params: dict[str, str]) -> Reply:
    found = _artifact(enterprise, path)
    if isinstance(found, Reply):
        return found
    if path["addition"] != "build_history":
        return _not_found(f"Addition {path['addition']}")
    steps = data.build_history(found[1])
    return Reply(200, {"build_histories": steps, "total": len(steps)})


def list_accessories(enterprise: data.Enterprise, path: dict[str, str], params: dict[str, str]) -> Reply:
    found = _artifact(enterprise, path)
    if isinstance(found, Reply):
        return found
    offset, limit = _window(params)
    every = data.accessories(found[1])
    return _paged("accessories", every[offset : offset + limit], offset, len(every))


def list_tags(enterprise: data.Enterprise, path: dict[str, str], params: dict[str, str]) -> Reply:
    found = _repository(enterprise, path)
    if isinstance(found, Reply):
        return found
    _, repo = found
    offset, limit = _window(params)
    rows: list[dict[str, Any]] = []
    total = 0
    for index in range(repo.count) if repo.count <= MAX_LIMIT else ():
        for name in repo.artifact(index).tags:
            if offset <= total < offset + limit:
                rows.append(_tag_shape(repo, repo.artifact(index), name))
            total += 1
    if repo.count > MAX_LIMIT:  # one tag per artifact there
        rows = [_tag_shape(repo, item, item.tags[0]) for item in repo.artifacts(offset, limit)]
        total = repo.count
    return _paged("tags", rows, offset, total)


def _tag_shape(repo: data.FakeRepository, artifact: data.FakeArtifact, name: str) -> dict[str, Any]:
    shape = data.artifact_shape(repo, artifact)
    return {
        "name": name,
        "artifact_id": artifact.id,
        "digest": artifact.digest,
        "id": artifact.id,
        "repository_id": repo.id,
        "type": shape["type"],
        "namespace_id": 0,
        "media_type": shape["media_type"],
        "manifest_media_type": shape["manifest_media_type"],
        "pull_time": shape["pull_time"],
        "push_time": shape["push_time"],
        "size": artifact.size,
    }


HANDLERS: dict[str, Handler] = {
    names.INSTANCES: list_instances,
    names.INSTANCE: show_instance,
    names.INSTANCE_STATISTICS: statistics,
    names.INSTANCE_NAMESPACES: list_namespaces,
    names.INSTANCE_REPOS: list_repositories,
    names.ARTIFACTS: list_artifacts,
    names.ARTIFACT: show_artifact,
    names.VULNERABILITIES: vulnerabilities,
    names.BUILD_HISTORY: build_history,
    names.INSTANCE_ACCESSORIES: list_accessories,
    names.INSTANCE_TAGS: list_tags,
}
