"""The JSON objects SWR returns, field for field (names as the SDK's attribute_map spells them)."""

from __future__ import annotations

from typing import Any

from swr_tui.fake.dataset import Namespace, Repository, SharedRepository
from swr_tui.fake.tags import TagRecord, swr_time

# SWR lists tag names on each repository item; how many for a huge repository is unverified, and
# sending all 100,000 would make every repository page enormous, so the newest ones stand in.
REPO_ITEM_TAG_NAMES = 50


def namespace(ns: Namespace) -> dict[str, Any]:
    return {"id": ns.id, "name": ns.name, "creator_name": ns.creator_name, "auth": ns.auth}


def repository_item(repo: Repository, region: str, total: int, status: bool = False) -> dict[str, Any]:
    count = repo.tags.count
    newest = range(count - 1, max(-1, count - 1 - REPO_ITEM_TAG_NAMES), -1)
    return {
        "name": repo.name,
        "category": repo.category,
        "description": repo.description,
        "size": repo.size,
        "is_public": repo.is_public,
        "num_images": repo.num_images,
        "num_download": repo.num_download,
        "created_at": swr_time(repo.created),
        "updated_at": swr_time(repo.updated),
        "logo": "",
        "url": "",
        "path": repo.pull_path(region),
        "internal_path": repo.internal_path(),
        "domain_name": repo.domain_name,
        "namespace": repo.namespace,
        "tags": [repo.tags.name(index) for index in newest],
        "status": status,
        "total_range": total,
    }


def shared_item(share: SharedRepository, region: str, total: int) -> dict[str, Any]:
    return repository_item(share.repository, region, total, status=share.status)


def repository_detail(repo: Repository, region: str) -> dict[str, Any]:
    return {
        "id": repo.id,
        "ns_id": repo.ns_id,
        "name": repo.name,
        "category": repo.category,
        "description": repo.description,
        "creator_id": repo.creator_id,
        "creator_name": repo.creator_name,
        "size": repo.size,
        "is_public": repo.is_public,
        "num_images": repo.num_images,
        "num_download": repo.num_download,
        "url": "",
        "path": repo.pull_path(region),
        "internal_path": repo.internal_path(),
        "created": swr_time(repo.created),
        "updated": swr_time(repo.updated),
        "domain_id": repo.domain_id,
        "priority": 0,
    }


def _tag_fields(repo: Repository, tag: TagRecord, region: str) -> dict[str, Any]:
    fields = _derived_tag_fields(repo, tag, region)
    fields.update(tag.wire)
    return fields


def _derived_tag_fields(repo: Repository, tag: TagRecord, region: str) -> dict[str, Any]:
    return {
        "id": tag.id,
        "repo_id": repo.id,
        "image_id": tag.built.image_id,
        "manifest": tag.manifest,
        "digest": tag.digest,
        "schema": tag.built.schema,
        "path": f"{repo.pull_path(region)}:{tag.name}",
        "internal_path": f"{repo.internal_path()}:{tag.name}",
        "size": tag.size,
        "is_trusted": tag.is_trusted,
        "created": swr_time(tag.created),
        "updated": swr_time(tag.updated),
    }


def tag_item(repo: Repository, tag: TagRecord, region: str) -> dict[str, Any]:
    """A ListRepositoryTags element: note the capital ``Tag`` key."""
    fields = _tag_fields(repo, tag, region)
    item = {"id": fields.pop("id"), "repo_id": fields.pop("repo_id"), "Tag": tag.name}
    item.update(fields)
    item.update(
        {"deleted": None, "domain_id": repo.domain_id, "scanned": tag.scanned, "tag_type": tag.built.tag_type}
    )
    return item


def tag_detail(repo: Repository, tag: TagRecord, region: str) -> dict[str, Any]:
    """A ShowRepoTag body: lower-case ``tag``, and no ``deleted`` or ``scanned``."""
    fields = _tag_fields(repo, tag, region)
    item = {"id": fields.pop("id"), "repo_id": fields.pop("repo_id"), "tag": tag.name}
    item.update(fields)
    item.update({"domain_id": repo.domain_id, "tag_type": tag.built.tag_type})
    return item


def accessory_item(repo: Repository, accessory: TagRecord, subject: TagRecord, kind: str) -> dict[str, Any]:
    """A ListRepoAccessories element (fields of the SDK's AccessoryListAccessories)."""
    return {
        "id": accessory.id,
        "domain_id": repo.domain_id,
        "namespace_name": repo.namespace,
        "repo_name": repo.name,
        "sig_tag": accessory.name,
        "sig_digest": accessory.digest,
        "target_digest": subject.digest,
        "size": accessory.size,
        "type": kind,
        "created_at": swr_time(accessory.created),
        "updated_at": swr_time(accessory.updated),
    }
