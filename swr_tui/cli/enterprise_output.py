"""Columns and records of the Enterprise Edition commands' output (table, json, tsv, csv)."""

from __future__ import annotations

from typing import Any

from ..output import Column, record_column
from ..swr.enterprise.models import EnterpriseNamespace, Instance
from ..swr.enterprise.scans import Vulnerability


def instance_record(instance: Instance) -> dict[str, Any]:
    return {
        "name": instance.name,
        "id": instance.id,
        "status": instance.status,
        "spec": instance.spec,
        "version": instance.version,
        "access_address": instance.access_address,
        "vpc_name": instance.vpc_name,
        "subnet_name": instance.subnet_name,
        "created": instance.created,
        "expires": instance.expires,
        "description": instance.description,
    }


INSTANCE_COLUMNS = tuple(
    record_column(instance_record, name)
    for name in ("name", "id", "status", "spec", "version", "access_address")
)


def namespace_record(namespace: EnterpriseNamespace) -> dict[str, Any]:
    return {
        "name": namespace.name,
        "id": namespace.id,
        "repo_count": namespace.repo_count,
        "public": namespace.public,
        "auto_scan": namespace.auto_scan,
        "prevent_vul": namespace.prevent_vul,
        "severity": namespace.severity,
        "created": namespace.created,
        "updated": namespace.updated,
    }


NAMESPACE_COLUMNS = tuple(
    record_column(namespace_record, name)
    for name in ("name", "repo_count", "public", "auto_scan", "severity")
)


def vulnerability_record(vulnerability: Vulnerability) -> dict[str, Any]:
    return {
        "id": vulnerability.id,
        "severity": vulnerability.severity,
        "score": vulnerability.score,
        "package": vulnerability.package,
        "version": vulnerability.version,
        "fix_version": vulnerability.fix_version,
        "description": vulnerability.description,
        "links": list(vulnerability.links),
        "cwe_ids": list(vulnerability.cwe_ids),
    }


def _score(vulnerability: Vulnerability) -> str:
    return "" if vulnerability.score is None else f"{vulnerability.score:g}"


VULNERABILITY_COLUMNS = (
    Column("CVE", lambda v: v.id, lambda v: v.id),
    Column("SEVERITY", lambda v: v.severity, lambda v: v.severity),
    Column("SCORE", lambda v: v.score, _score, align_right=True),
    Column("PACKAGE", lambda v: v.package, lambda v: v.package, shrinkable=True),
    Column("VERSION", lambda v: v.version, lambda v: v.version),
    Column("FIX_VERSION", lambda v: v.fix_version, lambda v: v.fix_version),
)
