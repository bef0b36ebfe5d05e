"""Columns and records of the governance commands' output (table, json, tsv, csv)."""

from __future__ import annotations

from typing import Any, Optional

from ..formatting import human_size
from ..output import Column, record_column
from ..swr.governance_models import Overview, Quota, RetentionLogEntry
from ..swr.retention import RulePlan, TagVerdict

BYTES = "bytes"


def verdict_record(verdict: TagVerdict, pushed: str) -> dict[str, Any]:
    return {
        "tag": verdict.tag,
        "updated": pushed,
        "verdict": "delete" if verdict.deleted else "unknown",
        "reason": verdict.reason,
    }


def rule_record(rule: RulePlan) -> dict[str, Any]:
    return {
        "rule": rule.words,
        "template": rule.template,
        "amount": rule.amount,
        "evaluable": rule.evaluable,
        "problem": rule.problem,
    }


def _verdict_row(row: tuple[TagVerdict, str]) -> dict[str, Any]:
    """The record of a ``(verdict, pushed)`` row."""
    return verdict_record(*row)


RETENTION_COLUMNS = tuple(
    record_column(_verdict_row, name, shrinkable=name == "reason")
    for name in ("tag", "updated", "verdict", "reason")
)


def history_record(entry: RetentionLogEntry) -> dict[str, Any]:
    return {
        "tag": entry.tag,
        "deleted_at": entry.created_at,
        "rule_type": entry.rule_type,
        "retention_id": entry.retention_id,
        "id": entry.id,
        "namespace": entry.namespace,
        "repo": entry.repo,
    }


HISTORY_COLUMNS = (
    Column("TAG", lambda e: e.tag, lambda e: e.tag),
    Column("DELETED_AT", lambda e: e.created_at, lambda e: e.created_at),
    Column("RULE_TYPE", lambda e: e.rule_type, lambda e: e.rule_type),
    Column("RETENTION_ID", lambda e: e.retention_id, lambda e: str(e.retention_id), align_right=True),
)


def _row(kind: str, name: str, used: float, limit: Optional[int], unit: str) -> dict[str, Any]:
    return {"kind": kind, "name": name, "used": used, "limit": limit, "unit": unit}


def overview_rows(overview: Overview) -> list[dict[str, Any]]:
    return [
        _row("overview", "namespaces", overview.namespace_num, None, ""),
        _row("overview", "repositories", overview.repo_num, None, ""),
        _row("overview", "images", overview.image_num, None, ""),
        _row("overview", "storage", overview.store_space, None, BYTES),
        _row("overview", "downloaded", overview.downflow_size, None, BYTES),
    ]


def quota_record(quota: Quota) -> dict[str, Any]:
    return _row("quota", quota.key, quota.used, quota.limit, quota.unit)


def _used(row: dict[str, Any]) -> str:
    used = row["used"]
    if row["unit"] == BYTES:
        return human_size(int(used))
    return f"{used:g}" if isinstance(used, float) else str(used)


def _share(row: dict[str, Any]) -> str:
    limit = row["limit"]
    return f"{100 * row['used'] / limit:.0f}%" if limit else ""


QUOTA_COLUMNS = (
    Column("KIND", lambda row: row["kind"], lambda row: row["kind"]),
    Column("NAME", lambda row: row["name"], lambda row: row["name"]),
    Column("USED", lambda row: row["used"], _used, align_right=True),
    Column("LIMIT", lambda row: row["limit"], lambda row: "" if row["limit"] is None else str(row["limit"]),
           align_right=True),
    Column("USE", _share, _share, align_right=True),
    Column("UNIT", lambda row: row["unit"], lambda row: row["unit"]),
)  # fmt: skip
