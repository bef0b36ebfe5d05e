"""Retention, quota, overview, sync, trigger and access records: frozen dataclasses built tolerantly.

Field names are the SDK's wire names (``huaweicloudsdkswr`` 3.1.219 ``v2/model``). Sync records
come in camelCase (``remoteRegionId``); the snake_case spelling is read too, in case a gateway or a
later API version sends it. As in ``models``, a missing field, a null or a number sent as a string
never raises, and text is kept exactly as it came (hostile text is data, escaped where shown).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

from .models import ACCESS_LEVELS, as_mapping, field_bool, field_int, field_text

TAG_RULE = "tag_rule"
DATE_RULE = "date_rule"
LABEL = "label"
REGEXP = "regexp"


def _list(data: Mapping[str, Any], *keys: str) -> list[Any]:
    for key in keys:
        value = data.get(key)
        if isinstance(value, list):
            return value
    return []


def _number(data: Mapping[str, Any], *keys: str) -> float:
    """A float sent as a number or a string; 0 for anything else."""
    for key in keys:
        value = data.get(key)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                continue
    return 0.0


@dataclass(frozen=True)
class TagSelector:
    """An exception to a rule: ``label`` is an exact tag name, ``regexp`` a pattern over tag names."""

    kind: str
    pattern: str

    @classmethod
    def from_api(cls, data: object) -> TagSelector:
        data = as_mapping(data)
        return cls(kind=field_text(data, "kind"), pattern=field_text(data, "pattern"))


@dataclass(frozen=True)
class RetentionRule:
    """``params`` as it came (values may be strings); ``retention.evaluate`` reads and checks it."""

    template: str
    params: Mapping[str, Any]
    tag_selectors: tuple[TagSelector, ...] = ()

    @classmethod
    def from_api(cls, data: object) -> RetentionRule:
        data = as_mapping(data)
        return cls(
            template=field_text(data, "template"),
            params=dict(as_mapping(data.get("params"))),
            tag_selectors=tuple(
                TagSelector.from_api(item)
                for item in _list(data, "tag_selectors", "tagSelectors")
                if isinstance(item, Mapping)
            ),
        )


@dataclass(frozen=True)
class Retention:
    id: int
    algorithm: str
    scope: str
    rules: tuple[RetentionRule, ...]

    @classmethod
    def from_api(cls, data: object) -> Retention:
        data = as_mapping(data)
        return cls(
            id=field_int(data, "id"),
            algorithm=field_text(data, "algorithm"),
            scope=field_text(data, "scope"),
            rules=tuple(
                RetentionRule.from_api(item) for item in _list(data, "rules") if isinstance(item, Mapping)
            ),
        )


@dataclass(frozen=True)
class RetentionLogEntry:
    """One tag a retention rule deleted."""

    id: int
    retention_id: int
    namespace: str
    repo: str
    tag: str
    rule_type: str
    created_at: str

    @classmethod
    def from_api(cls, data: object) -> RetentionLogEntry:
        data = as_mapping(data)
        return cls(
            id=field_int(data, "id"),
            retention_id=field_int(data, "retention_id", "retentionId"),
            namespace=field_text(data, "namespace"),
            repo=field_text(data, "repo"),
            tag=field_text(data, "tag"),
            rule_type=field_text(data, "rule_type", "ruleType"),
            created_at=field_text(data, "created_at", "createdAt"),
        )


@dataclass(frozen=True)
class Quota:
    key: str
    limit: int
    used: int
    unit: str

    @classmethod
    def from_api(cls, data: object) -> Quota:
        data = as_mapping(data)
        return cls(
            key=field_text(data, "quota_key", "quotaKey"),
            limit=field_int(data, "quota_limit", "quotaLimit"),
            used=field_int(data, "used"),
            unit=field_text(data, "unit"),
        )


@dataclass(frozen=True)
class Overview:
    """ShowDomainOverview; SWR spells the namespace count ``namspace_num``."""

    domain_id: str
    domain_name: str
    namespace_num: int
    repo_num: int
    image_num: int
    store_space: float
    downflow_size: float

    @classmethod
    def from_api(cls, data: object) -> Overview:
        data = as_mapping(data)
        return cls(
            domain_id=field_text(data, "domain_id", "domainID"),
            domain_name=field_text(data, "domain_name", "domainName"),
            namespace_num=field_int(data, "namspace_num", "namespace_num"),
            repo_num=field_int(data, "repo_num"),
            image_num=field_int(data, "image_num"),
            store_space=_number(data, "store_space"),
            downflow_size=_number(data, "downflow_size"),
        )


@dataclass(frozen=True)
class SyncRepo:
    """An automatic sync rule to another region."""

    id: int
    remote_region_id: str
    remote_namespace: str
    sync_auto: bool
    override: bool
    created_at: str = ""
    updated_at: str = ""

    @classmethod
    def from_api(cls, data: object) -> SyncRepo:
        data = as_mapping(data)
        return cls(
            id=field_int(data, "id"),
            remote_region_id=field_text(data, "remoteRegionId", "remote_region_id"),
            remote_namespace=field_text(data, "remoteNamespace", "remote_namespace"),
            sync_auto=field_bool(data, "syncAuto") if "syncAuto" in data else field_bool(data, "sync_auto"),
            override=field_bool(data, "override"),
            created_at=field_text(data, "createdAt", "created_at"),
            updated_at=field_text(data, "updatedAt", "updated_at"),
        )


@dataclass(frozen=True)
class SyncJob:
    """One sync of one tag; ``status`` is waiting, running, success, failed, timeout, cancel or existed."""

    id: int
    tag: str
    remote_region_id: str
    remote_namespace: str
    status: str
    sync_operator_name: str
    created_at: str
    updated_at: str = ""

    @classmethod
    def from_api(cls, data: object) -> SyncJob:
        data = as_mapping(data)
        return cls(
            id=field_int(data, "id"),
            tag=field_text(data, "tag"),
            remote_region_id=field_text(data, "remoteRegionId", "remote_region_id"),
            remote_namespace=field_text(data, "remoteNamespace", "remote_namespace"),
            status=field_text(data, "status"),
            sync_operator_name=field_text(data, "syncOperatorName", "sync_operator_name"),
            created_at=field_text(data, "createdAt", "created_at"),
            updated_at=field_text(data, "updatedAt", "updated_at"),
        )


@dataclass(frozen=True)
class TriggerFiring:
    """One entry of a trigger's ``trigger_history``."""

    tag: str
    result: str
    detail: str
    created_at: str

    @classmethod
    def from_api(cls, data: object) -> TriggerFiring:
        data = as_mapping(data)
        return cls(
            tag=field_text(data, "tag"),
            result=field_text(data, "result"),
            detail=field_text(data, "detail"),
            created_at=field_text(data, "created_at", "createdAt"),
        )


@dataclass(frozen=True)
class Trigger:
    """A deployment trigger; SWR sends ``enable`` as a string ("true"/"false")."""

    name: str
    enabled: bool
    trigger_type: str
    condition: str
    trigger_mode: str
    cluster_name: str
    cluster_ns: str
    application: str
    history: tuple[TriggerFiring, ...] = ()

    @classmethod
    def from_api(cls, data: object) -> Trigger:
        data = as_mapping(data)
        return cls(
            name=field_text(data, "name"),
            enabled=field_bool(data, "enable"),
            trigger_type=field_text(data, "trigger_type", "triggerType"),
            condition=field_text(data, "condition"),
            trigger_mode=field_text(data, "trigger_mode", "triggerMode"),
            cluster_name=field_text(data, "cluster_name", "clusterName"),
            cluster_ns=field_text(data, "cluster_ns", "clusterNs"),
            application=field_text(data, "application"),
            history=tuple(
                TriggerFiring.from_api(item)
                for item in _list(data, "trigger_history", "triggerHistory")
                if isinstance(item, Mapping)
            ),
        )


@dataclass(frozen=True)
class UserAuth:
    user_id: str
    user_name: str
    auth: int

    @property
    def access(self) -> str:
        return ACCESS_LEVELS.get(self.auth, str(self.auth) if self.auth else "unknown")

    @classmethod
    def from_api(cls, data: object) -> UserAuth:
        data = as_mapping(data)
        return cls(
            user_id=field_text(data, "user_id", "userId"),
            user_name=field_text(data, "user_name", "userName"),
            auth=field_int(data, "auth"),
        )


@dataclass(frozen=True)
class Access:
    """ShowNamespaceAuth or ShowUserRepositoryAuth: this user's rights and everyone else's."""

    name: str
    self_auth: Optional[UserAuth]
    others: tuple[UserAuth, ...] = ()

    @classmethod
    def from_api(cls, data: object) -> Access:
        data = as_mapping(data)
        own = data.get("self_auth", data.get("selfAuth"))
        return cls(
            name=field_text(data, "name"),
            self_auth=UserAuth.from_api(own) if isinstance(own, Mapping) else None,
            others=tuple(
                UserAuth.from_api(item)
                for item in _list(data, "others_auths", "othersAuths")
                if isinstance(item, Mapping)
            ),
        )


@dataclass(frozen=True)
class RepositoryShare:
    """A share of a repository with another account (ListRepoDomains)."""

    access_domain: str
    permit: str
    deadline: str
    description: str
    status: bool
    creator_name: str = ""

    @classmethod
    def from_api(cls, data: object) -> RepositoryShare:
        data = as_mapping(data)
        return cls(
            access_domain=field_text(data, "access_domain", "accessDomain"),
            permit=field_text(data, "permit"),
            deadline=field_text(data, "deadline"),
            description=field_text(data, "description"),
            status=field_bool(data, "status"),
            creator_name=field_text(data, "creator_name", "creatorName"),
        )
