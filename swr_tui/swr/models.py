"""Namespace, Repository, Tag: frozen dataclasses built tolerantly from API dicts.

A missing field, a null, a number sent as a string or an unknown extra field never raises: the value
falls back to an empty default. The manifest stays the raw string it came as.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

ACCESS_LEVELS = {7: "manage", 3: "edit", 1: "read"}


def field_text(data: Mapping[str, Any], *keys: str) -> str:
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


def field_int(data: Mapping[str, Any], *keys: str) -> int:
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


def field_bool(data: Mapping[str, Any], key: str) -> bool:
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
    return None if data.get(key) is None else field_bool(data, key)


def field_strings(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list):
        return ()
    if all(item.__class__ is str for item in value):  # the common case: 10,000 CVEs carry 20,000 lists
        return tuple(value)
    return tuple(str(item) for item in value if item is not None and not isinstance(item, (dict, list)))


def as_mapping(data: object) -> Mapping[str, Any]:
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
        data = as_mapping(data)
        return cls(
            name=field_text(data, "name"),
            id=field_int(data, "id"),
            creator_name=field_text(data, "creator_name"),
            auth=field_int(data, "auth"),
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
        data = as_mapping(data)
        return cls(
            namespace=field_text(data, "namespace", "namespace_name") or namespace,
            name=field_text(data, "name"),
            category=field_text(data, "category"),
            description=field_text(data, "description"),
            size=field_int(data, "size"),
            is_public=field_bool(data, "is_public"),
            num_images=field_int(data, "num_images"),
            num_download=field_int(data, "num_download"),
            created=field_text(data, "created_at", "created"),
            updated=field_text(data, "updated_at", "updated"),
            path=field_text(data, "path"),
            internal_path=field_text(data, "internal_path"),
            domain_name=field_text(data, "domain_name"),
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
        data = as_mapping(data)
        manifest = data.get("manifest")
        return cls(
            name=field_text(data, "Tag", "tag"),
            digest=field_text(data, "digest"),
            image_id=field_text(data, "image_id"),
            manifest=manifest if isinstance(manifest, str) else "",
            size=field_int(data, "size"),
            schema=field_int(data, "schema"),
            tag_type=field_int(data, "tag_type"),
            path=field_text(data, "path"),
            internal_path=field_text(data, "internal_path"),
            created=field_text(data, "created"),
            updated=field_text(data, "updated"),
            is_trusted=field_bool(data, "is_trusted"),
            scanned=field_bool(data, "scanned"),
            id=field_int(data, "id"),
            repo_id=field_int(data, "repo_id"),
            domain_id=field_text(data, "domain_id"),
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
