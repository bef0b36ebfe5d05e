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

from .models import ACCESS_LEVELS, _bool, _int, _mapping, _text

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
        data = _mapping(data)
        return cls(kind=_text(data, "kind"), pattern=_text(data, "pattern"))


@dataclass(frozen=True)
class RetentionRule:
    """``params`` as it came (values may be strings); ``retention.evaluate`` reads and checks it."""

    template: str
    params: Mapping[str, Any]
    tag_selectors: tuple[TagSelector, ...] = ()

    @classmethod
    def from_api(cls, data: object) -> RetentionRule:
        data = _mapping(data)
        return cls(
            template=_text(data, "template"),
            params=dict(_mapping(data.get("params"))),
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
        data = _mapping(data)
        return cls(
            id=_int(data, "id"),
            algorithm=_text(data, "algorithm"),
            scope=_text(data, "scope"),
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
        data = _mapping(data)
        return cls(
            id=_int(data, "id"),
            retention_id=_int(data, "retention_id", "retentionId"),
            namespace=_text(data, "namespace"),
            repo=_text(data, "repo"),
            tag=_text(data, "tag"),
            rule_type=_text(data, "rule_type", "ruleType"),
            created_at=_text(data, "created_at", "createdAt"),
        )


@dataclass(frozen=True)
class Quota:
    key: str
    limit: int
    used: int
    unit: str

    @classmethod
    def from_api(cls, data: object) -> Quota:
        data = _mapping(data)
        return cls(
            key=_text(data, "quota_key", "quotaKey"),
            limit=_int(data, "quota_limit", "quotaLimit"),
            used=_int(data, "used"),
            unit=_text(data, "unit"),
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
        data = _mapping(data)
        return cls(
            domain_id=_text(data, "domain_id", "domainID"),
            domain_name=_text(data, "domain_name", "domainName"),
            namespace_num=_int(data, "namspace_num", "namespace_num"),
            repo_num=_int(data, "repo_num"),
            image_num=_int(data, "image_num"),
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
        data = _mapping(data)
        return cls(
            id=_int(data, "id"),
            remote_region_id=_text(data, "remoteRegionId", "remote_region_id"),
            remote_namespace=_text(data, "remoteNamespace", "remote_namespace"),
            sync_auto=_bool(data, "syncAuto") if "syncAuto" in data else _bool(data, "sync_auto"),
            override=_bool(data, "override"),
            created_at=_text(data, "createdAt", "created_at"),
            updated_at=_text(data, "updatedAt", "updated_at"),
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
        data = _mapping(data)
        return cls(
            id=_int(data, "id"),
            tag=_text(data, "tag"),
            remote_region_id=_text(data, "remoteRegionId", "remote_region_id"),
            remote_namespace=_text(data, "remoteNamespace", "remote_namespace"),
            status=_text(data, "status"),
            sync_operator_name=_text(data, "syncOperatorName", "sync_operator_name"),
            created_at=_text(data, "createdAt", "created_at"),
            updated_at=_text(data, "updatedAt", "updated_at"),
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
        data = _mapping(data)
        return cls(
            tag=_text(data, "tag"),
            result=_text(data, "result"),
            detail=_text(data, "detail"),
            created_at=_text(data, "created_at", "createdAt"),
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
        data = _mapping(data)
        return cls(
            name=_text(data, "name"),
            enabled=_bool(data, "enable"),
            trigger_type=_text(data, "trigger_type", "triggerType"),
            condition=_text(data, "condition"),
            trigger_mode=_text(data, "trigger_mode", "triggerMode"),
            cluster_name=_text(data, "cluster_name", "clusterName"),
            cluster_ns=_text(data, "cluster_ns", "clusterNs"),
            application=_text(data, "application"),
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
        data = _mapping(data)
        return cls(
            user_id=_text(data, "user_id", "userId"),
            user_name=_text(data, "user_name", "userName"),
            auth=_int(data, "auth"),
        )


@dataclass(frozen=True)
class Access:
    """ShowNamespaceAuth or ShowUserRepositoryAuth: this user's rights and everyone else's."""

    name: str
    self_auth: Optional[UserAuth]
    others: tuple[UserAuth, ...] = ()

    @classmethod
    def from_api(cls, data: object) -> Access:
        data = _mapping(data)
        own = data.get("self_auth", data.get("selfAuth"))
        return cls(
            name=_text(data, "name"),
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
        data = _mapping(data)
        return cls(
            access_domain=_text(data, "access_domain", "accessDomain"),
            permit=_text(data, "permit"),
            deadline=_text(data, "deadline"),
            description=_text(data, "description"),
            status=_bool(data, "status"),
            creator_name=_text(data, "creator_name", "creatorName"),
        )
