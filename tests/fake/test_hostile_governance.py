"""Hostile text in every governance field (the hostile registry's ``hostile/tags``): the calls keep
it as data, exactly, and the commands print it escaped in every format, never raw."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from typing import Any

import pytest

from swr_tui.cli import main
from swr_tui.fake import DEMO_TOKEN
from swr_tui.fake.hostile import HostileRegistry
from swr_tui.fake.hostile_corpus import CORPUS, HOSTILE_NAMESPACE, TAGS_REPO
from swr_tui.swr import governance_api as api
from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.client import SwrClient
from swr_tui.swr.retention import plan_retentions

TEXTS = [entry.text for entry in CORPUS]
RAW = [raw for entry in CORPUS for raw in entry.raw]


@pytest.fixture(scope="module")
def hostile_live() -> Iterator[str]:
    with HostileRegistry(seed=0).serve() as server:
        yield server.url


def test_every_governance_field_keeps_the_hostile_text(hostile_live: str) -> None:
    async def read() -> dict[str, Any]:
        async with SwrClient(hostile_live, TokenAuth(DEMO_TOKEN)) as client:
            return {
                "retentions": await api.list_retentions(client, HOSTILE_NAMESPACE, TAGS_REPO),
                "log": await api.list_retention_histories(client, HOSTILE_NAMESPACE, TAGS_REPO),
                "sync": await api.show_sync_repos(client, HOSTILE_NAMESPACE, TAGS_REPO),
                "jobs": await api.list_sync_jobs(client, HOSTILE_NAMESPACE, TAGS_REPO),
                "triggers": await api.list_triggers(client, HOSTILE_NAMESPACE, TAGS_REPO),
                "access": await api.show_repository_access(client, HOSTILE_NAMESPACE, TAGS_REPO),
                "ns_access": await api.show_namespace_access(client, HOSTILE_NAMESPACE),
                "shares": await api.list_repository_shares(client, HOSTILE_NAMESPACE, TAGS_REPO),
            }

    found = asyncio.run(read())
    assert [s.pattern for s in found["retentions"][0].rules[0].tag_selectors][:-1] == TEXTS
    assert [row.tag for row in found["log"].items] == TEXTS
    assert [row.remote_region_id for row in found["sync"]] == TEXTS
    assert [(job.status, job.sync_operator_name) for job in found["jobs"].items] == list(zip(TEXTS, TEXTS))
    assert [t.cluster_name for t in found["triggers"]] == TEXTS
    assert [h.detail for h in found["triggers"][0].history] == TEXTS
    assert [o.user_name for o in found["access"].others] == TEXTS
    assert [o.user_name for o in found["ns_access"].others] == TEXTS
    assert [s.access_domain for s in found["shares"]] == TEXTS
    plan = plan_retentions(found["retentions"])
    assert plan.evaluable  # labels are exact names: any text will do
    assert TEXTS[0] in plan.rules[0].labels


@pytest.mark.parametrize("fmt", ["table", "json", "tsv", "csv"])
@pytest.mark.parametrize("history", [False, True])
def test_the_commands_print_it_escaped(
    fmt: str, history: bool, hostile_live: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    out, err = io.StringIO(), io.StringIO()
    argv = ["retention", f"{HOSTILE_NAMESPACE}/{TAGS_REPO}", "--endpoint", hostile_live, "-o", fmt]
    code = main([*argv, "--history"] if history else argv, out=out, err=err)
    assert code == 0, err.getvalue()
    printed = (out.getvalue() + err.getvalue()).encode("utf-8", "backslashreplace")
    assert out.getvalue()
    for raw in RAW:
        assert raw not in printed
    if history or fmt in ("table", "json"):  # the log's fields, or the rule with its exceptions
        assert "PWNED-TITLE" in out.getvalue()
    if fmt == "table" and not history:
        first = out.getvalue().splitlines()[0]
        assert first.startswith("retention: keep 3 newest, except ")
        assert "LONG-TAIL" not in first  # the 10,000-character label is shown cut
