"""Namespace, Repository, Tag: frozen dataclasses built tolerantly from API dicts.

A missing field, a null, a number sent as a string or an unknown extra field never raises: the value
falls back to an empty default. The manifest stays the raw string it came as.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

ACCESS_LEVELS = {7: "manage", 3: "edit", 1: "read"}


def _text(data: Mapping[str, Any], *keys: str) -> str:
    for key in keys:
        value = data.get(key)
        if value.__class__ is str:  # the common case first: 10,000-tag exports build 160,000 fields
            return value
        if value is None or isinstance(value, (dict, list)):
            continue
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)
    return ""


def _int(data: Mapping[str, Any], *keys: str) -> int:
    for key in keys:
        value = data.get(key)
        if value.__class__ is int:
            return value
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                try:
                    number = float(value.strip())
                except ValueError:
                    continue
                if number.is_integer():
                    return int(number)
    return 0


def _bool(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key)
    if value is True or value is False:
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    return False


def _optional_bool(data: Mapping[str, Any], key: str) -> Optional[bool]:
    return None if data.get(key) is None else _bool(data, key)


def _mapping(data: object) -> Mapping[str, Any]:
    return data if isinstance(data, Mapping) else {}


@dataclass(frozen=True)
class Namespace:
    name: str
    id: int = 0
    creator_name: str = ""
    auth: int = 0

    @property
    def access(self) -> str:
        """'manage', 'edit', 'read', or the raw number when SWR sends one we do not know."""
        return ACCESS_LEVELS.get(self.auth, str(self.auth) if self.auth else "unknown")

    @classmethod
    def from_api(cls, data: object) -> Namespace:
        data = _mapping(data)
        return cls(
            name=_text(data, "name"),
            id=_int(data, "id"),
            creator_name=_text(data, "creator_name"),
            auth=_int(data, "auth"),
        )


@dataclass(frozen=True)
class Repository:
    """A repository from the list calls (``*_at`` times) or ShowRepository (``created``/``updated``)."""

    namespace: str
    name: str
    category: str = ""
    description: str = ""
    size: int = 0
    is_public: bool = False
    num_images: int = 0
    num_download: int = 0
    created: str = ""
    updated: str = ""
    path: str = ""
    internal_path: str = ""
    domain_name: str = ""
    status: Optional[bool] = None
    # The list calls also send every tag name of each repository ("tags"): not kept, as nothing
    # shows them (the tag table reads them page by page), and 10,000 repositories of 40 tags held
    # 400,000 strings, most of the sidebar's memory.

    @property
    def full_name(self) -> str:
        return f"{self.namespace}/{self.name}"

    @classmethod
    def from_api(cls, data: object, namespace: str = "") -> Repository:
        data = _mapping(data)
        return cls(
            namespace=_text(data, "namespace", "namespace_name") or namespace,
            name=_text(data, "name"),
            category=_text(data, "category"),
            description=_text(data, "description"),
            size=_int(data, "size"),
            is_public=_bool(data, "is_public"),
            num_images=_int(data, "num_images"),
            num_download=_int(data, "num_download"),
            created=_text(data, "created_at", "created"),
            updated=_text(data, "updated_at", "updated"),
            path=_text(data, "path"),
            internal_path=_text(data, "internal_path"),
            domain_name=_text(data, "domain_name"),
            status=_optional_bool(data, "status"),
        )


@dataclass(frozen=True)
class Tag:
    """One image tag; ``name`` comes from ``Tag`` in the v2 list and ``tag`` in ShowRepoTag."""

    name: str
    digest: str = ""
    image_id: str = ""
    manifest: str = ""
    size: int = 0
    schema: int = 0
    tag_type: int = 0
    path: str = ""
    internal_path: str = ""
    created: str = ""
    updated: str = ""
    is_trusted: bool = False
    scanned: bool = False
    id: int = 0
    repo_id: int = 0
    domain_id: str = ""
    # Last pull time: only the Enterprise Edition tells it (its artifacts' ``pull_time``).
    pulled: str = ""

    @property
    def is_manifest_list(self) -> bool:
        return self.tag_type == 1

    @property
    def kind(self) -> str:
        return "manifest list" if self.is_manifest_list else "image"

    @classmethod
    def from_api(cls, data: object) -> Tag:
        data = _mapping(data)
        manifest = data.get("manifest")
        return cls(
            name=_text(data, "Tag", "tag"),
            digest=_text(data, "digest"),
            image_id=_text(data, "image_id"),
            manifest=manifest if isinstance(manifest, str) else "",
            size=_int(data, "size"),
            schema=_int(data, "schema"),
            tag_type=_int(data, "tag_type"),
            path=_text(data, "path"),
            internal_path=_text(data, "internal_path"),
            created=_text(data, "created"),
            updated=_text(data, "updated"),
            is_trusted=_bool(data, "is_trusted"),
            scanned=_bool(data, "scanned"),
            id=_int(data, "id"),
            repo_id=_int(data, "repo_id"),
            domain_id=_text(data, "domain_id"),
        )

    def to_output(self, with_manifest: bool = False) -> dict[str, Any]:
        """The headless ``--output json`` record (design.md); times exactly as the API gave them."""
        record: dict[str, Any] = {
            "tag": self.name,
            "digest": self.digest,
            "size": self.size,
            "created": self.created,
            "updated": self.updated,
            "path": self.path,
            "internal_path": self.internal_path,
            "image_id": self.image_id,
            "schema": self.schema,
            "tag_type": self.tag_type,
        }
        if with_manifest:
            record["manifest"] = self.manifest
        return record
