"""Enterprise Edition records: instances, namespaces, repositories, artifacts and what hangs off them.

Field names are the SDK's (``huaweicloudsdkswr`` v2 models ``Instance``, ``Namespace``,
``NamespaceMetadata``, ``Repository``, ``Artifact``, ``ArtifactTag``, ``BuildHistory``,
``Accessory``, ``ListInstanceStatisticsResponse``); built as tolerantly as ``swr.models``: a missing
field, a null or a number sent as a string falls back to an empty default, never raises.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Optional

from ..models import Namespace, Repository, Tag, as_mapping, field_bool, field_int, field_text
from .scans import ScanOverview, scan_overviews

RUNNING = "Running"
# An artifact without a tag is still an image (pushed by digest, or its tags moved away): it is
# listed as one row under this name, with its digest.
UNTAGGED = "<untagged>"
UNTAGGED_DIGEST_CHARS = 12  # of the digest's hex, after "sha256:", in an untagged row's name


def untagged_name(digest: str) -> str:
    """``<untagged sha256:3f2a9c1b0d4e>``: an artifact without a tag, in a table of artifacts."""
    algorithm, _, hex_part = digest.partition(":")
    short = f"{algorithm}:{hex_part[:UNTAGGED_DIGEST_CHARS]}" if hex_part else digest[:UNTAGGED_DIGEST_CHARS]
    return f"<untagged {short}>" if short else UNTAGGED


# Media types of an image index / manifest list (a multi-arch image): such rows get tag_type 1,
# as the basic edition's manifest lists do.
INDEX_MEDIA_TYPES = frozenset(
    {
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    }
)


def _list(data: Any, key: str) -> list[Any]:
    value = as_mapping(data).get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


@dataclass(frozen=True)
class Instance:
    """An Enterprise Edition instance; ``access_address`` is its pull host."""

    id: str
    name: str = ""
    status: str = ""
    spec: str = ""
    version: str = ""
    access_address: str = ""
    vpc_name: str = ""
    subnet_name: str = ""
    description: str = ""
    charge_mode: str = ""
    created: str = ""
    expires: str = ""
    project_id: str = ""

    @property
    def running(self) -> bool:
        return self.status == RUNNING

    @classmethod
    def from_api(cls, data: object) -> Instance:
        data = as_mapping(data)
        return cls(
            id=field_text(data, "id"),
            name=field_text(data, "name"),
            status=field_text(data, "status"),
            spec=field_text(data, "spec"),
            version=field_text(data, "version"),
            access_address=field_text(data, "access_address"),
            vpc_name=field_text(data, "vpc_name"),
            subnet_name=field_text(data, "subnet_name"),
            description=field_text(data, "description"),
            charge_mode=field_text(data, "charge_mode"),
            created=field_text(data, "created_at"),
            expires=field_text(data, "expires_at"),
            project_id=field_text(data, "project_id"),
        )

    def pull_host(self) -> str:
        """``access_address`` without a scheme or a trailing ``/`` (the API may send either)."""
        host = self.access_address.strip()
        for scheme in ("https://", "http://"):
            if host.lower().startswith(scheme):
                host = host[len(scheme) :]
        return host.rstrip("/")


@dataclass(frozen=True)
class InstanceStatistics:
    storage_used: int = 0
    namespaces: int = 0
    images: int = 0
    namespace_quota: int = 0
    repository_quota: int = 0

    @classmethod
    def from_api(cls, data: object) -> InstanceStatistics:
        data = as_mapping(data)
        return cls(
            storage_used=field_int(data, "storage_used"),
            namespaces=field_int(data, "total_namespace_count"),
            images=field_int(data, "total_image_count"),
            namespace_quota=field_int(data, "namespace_quota"),
            repository_quota=field_int(data, "image_repo_quota"),
        )


@dataclass(frozen=True)
class EnterpriseNamespace:
    name: str
    id: int = 0
    repo_count: int = 0
    public: str = ""  # NamespaceMetadata's values are strings ("true"/"false", severities)
    auto_scan: str = ""
    prevent_vul: str = ""
    severity: str = ""
    created: str = ""
    updated: str = ""

    @classmethod
    def from_api(cls, data: object) -> EnterpriseNamespace:
        data = as_mapping(data)
        metadata = as_mapping(data.get("metadata"))
        return cls(
            name=field_text(data, "name"),
            id=field_int(data, "namespace_id"),
            repo_count=field_int(data, "repo_count"),
            public=field_text(metadata, "public"),
            auto_scan=field_text(metadata, "auto_scan"),
            prevent_vul=field_text(metadata, "prevent_vul"),
            severity=field_text(metadata, "severity"),
            created=field_text(data, "created_at"),
            updated=field_text(data, "updated_at"),
        )

    def to_namespace(self) -> Namespace:
        return Namespace(name=self.name, id=self.id)


@dataclass(frozen=True)
class EnterpriseRepository:
    namespace: str
    name: str
    id: int = 0
    tag_count: int = 0
    artifact_count: int = 0
    pull_count: int = 0
    description: str = ""
    created: str = ""
    updated: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.namespace}/{self.name}"

    @classmethod
    def from_api(cls, data: object, namespace: str = "") -> EnterpriseRepository:
        data = as_mapping(data)
        return cls(
            namespace=field_text(data, "namespace_name") or namespace,
            name=field_text(data, "name"),
            id=field_int(data, "id"),
            tag_count=field_int(data, "tag_count"),
            artifact_count=field_int(data, "artifact_count"),
            pull_count=field_int(data, "pull_count"),
            description=field_text(data, "description"),
            created=field_text(data, "created_at"),
            updated=field_text(data, "updated_at"),
        )

    def to_repository(self, pull_host: str = "") -> Repository:
        """The basic edition's record, so the sidebar and ``repos`` output work unchanged."""
        return Repository(
            namespace=self.namespace,
            name=self.name,
            description=self.description,
            num_images=self.tag_count,
            num_download=self.pull_count,
            created=self.created,
            updated=self.updated,
            path=f"{pull_host}/{self.full_name}" if pull_host else "",
        )


@dataclass(frozen=True)
class ArtifactTag:
    name: str
    pushed: str = ""
    pulled: str = ""

    @classmethod
    def from_api(cls, data: object) -> ArtifactTag:
        data = as_mapping(data)
        return cls(
            name=field_text(data, "name"),
            pushed=field_text(data, "push_time"),
            pulled=field_text(data, "pull_time"),
        )


@dataclass(frozen=True)
class Artifact:
    digest: str
    id: int = 0
    kind: str = ""  # the wire's ``type`` (IMAGE, CHART, ...)
    media_type: str = ""
    manifest_media_type: str = ""
    size: int = 0
    pushed: str = ""
    pulled: str = ""
    repository: str = ""
    tags: tuple[ArtifactTag, ...] = ()
    scan_overview: tuple[ScanOverview, ...] = ()

    @property
    def is_index(self) -> bool:
        return self.manifest_media_type in INDEX_MEDIA_TYPES or self.media_type in INDEX_MEDIA_TYPES

    @classmethod
    def from_api(cls, data: object) -> Artifact:
        data = as_mapping(data)
        return cls(
            digest=field_text(data, "digest"),
            id=field_int(data, "id"),
            kind=field_text(data, "type"),
            media_type=field_text(data, "media_type"),
            manifest_media_type=field_text(data, "manifest_media_type"),
            size=field_int(data, "size"),
            pushed=field_text(data, "push_time"),
            pulled=field_text(data, "pull_time"),
            repository=field_text(data, "repository_name"),
            tags=tuple(ArtifactTag.from_api(item) for item in _list(data, "tags")),
            scan_overview=scan_overviews(data.get("scan_overview")),
        )

    def rows(self, path_prefix: str = "") -> tuple[Tag, ...]:
        """One ``Tag`` row per tag (an untagged artifact: one row named ``<untagged>``), so the tag
        table, export and diff work unchanged. ``path_prefix``: ``host/ns/repo`` for pull paths."""
        tag_type = 1 if self.is_index else 0
        if not self.tags:
            path = f"{path_prefix}@{self.digest}" if path_prefix and self.digest else ""
            return (self._row(UNTAGGED, self.pushed, self.pulled, path, tag_type),)
        return tuple(
            self._row(
                tag.name,
                tag.pushed or self.pushed,
                tag.pulled or self.pulled,
                f"{path_prefix}:{tag.name}" if path_prefix else "",
                tag_type,
            )
            for tag in self.tags
        )

    def row_named(self, needle: str, path_prefix: str = "") -> Tag:
        """The one row of an artifact in a table of one row per artifact: its first tag containing
        ``needle`` (the API's ``tags`` match), else its first tag; without a tag, ``<untagged>``
        with the start of its digest, as the table tells rows apart by name."""
        rows = self.rows(path_prefix)
        if not self.tags:
            return replace(rows[0], name=untagged_name(self.digest))
        return next((row for row in rows if needle in row.name), rows[0])

    def _row(self, name: str, pushed: str, pulled: str, path: str, tag_type: int) -> Tag:
        return Tag(
            name=name,
            digest=self.digest,
            size=self.size,
            tag_type=tag_type,
            path=path,
            created=pushed,
            updated=pushed,
            id=self.id,
            pulled=pulled,
        )


@dataclass(frozen=True)
class BuildStep:
    """One entry of an artifact's build history (the SDK's ``BuildHistory``)."""

    created: str = ""
    created_by: str = ""
    empty_layer: bool = False
    media_type: str = ""
    size: int = 0
    digest: str = ""

    @classmethod
    def from_api(cls, data: object) -> BuildStep:
        data = as_mapping(data)
        return cls(
            created=field_text(data, "created_at"),
            created_by=field_text(data, "created_by"),
            empty_layer=field_bool(data, "empty_layer"),
            media_type=field_text(data, "mediaType", "media_type"),  # the SDK maps it to mediaType
            size=field_int(data, "size"),
            digest=field_text(data, "digest"),
        )


@dataclass(frozen=True)
class ArtifactAccessory:
    """A signature, SBOM or other accessory of an artifact (the SDK's ``Accessory``)."""

    digest: str = ""
    kind: str = ""
    size: int = 0
    created: str = ""
    id: int = 0
    artifact_id: int = 0
    subject_artifact_id: int = 0

    @classmethod
    def from_api(cls, data: object) -> ArtifactAccessory:
        data = as_mapping(data)
        return cls(
            digest=field_text(data, "digest"),
            kind=field_text(data, "type"),
            size=field_int(data, "size"),
            created=field_text(data, "created_at"),
            id=field_int(data, "id"),
            artifact_id=field_int(data, "artifact_id"),
            subject_artifact_id=field_int(data, "subject_artifact_id"),
        )


def find_instance(instances: list[Instance], name_or_id: str) -> Optional[Instance]:
    """By id first (ids are unique), then by name."""
    wanted = name_or_id.strip()
    for instance in instances:
        if instance.id == wanted:
            return instance
    for instance in instances:
        if instance.name == wanted:
            return instance
    return None
