"""Hostile text in the Enterprise Edition's fields (the hostile registry's instances, tags and scan
reports): the client keeps it as data, exactly, and the commands print it escaped in every format."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest

from swr_tui.cli import main
from swr_tui.fake import DEMO_PROJECT_ID, DEMO_TOKEN
from swr_tui.fake.hostile import HostileRegistry
from swr_tui.fake.hostile_corpus import CORPUS, HOSTILE_NAMESPACE, TAGS_REPO
from swr_tui.fake.hostile_enterprise import HOSTILE_INSTANCE, hostile_artifact_digest
from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.client import SwrClient
from swr_tui.swr.enterprise.catalog import EnterpriseCatalog
from swr_tui.swr.enterprise.client import EnterpriseClient

TEXTS = [entry.text for entry in CORPUS]
RAW = [raw for entry in CORPUS for raw in entry.raw]
REPO = f"{HOSTILE_NAMESPACE}/{TAGS_REPO}"


@pytest.fixture(scope="module")
def hostile_live() -> Iterator[str]:
    with HostileRegistry(seed=0).serve() as server:
        yield server.url


def test_the_client_keeps_every_hostile_field_as_data(hostile_live: str) -> None:
    async def read() -> dict[str, Any]:
        async with SwrClient(hostile_live, TokenAuth(DEMO_TOKEN)) as client:
            enterprise = EnterpriseClient(client, DEMO_PROJECT_ID)
            catalog = EnterpriseCatalog(enterprise, await enterprise.open_instance(HOSTILE_INSTANCE))
            page = await catalog.tag_page(HOSTILE_NAMESPACE, TAGS_REPO)
            (report,) = await enterprise.list_vulnerabilities(
                catalog.instance.id, HOSTILE_NAMESPACE, TAGS_REPO, hostile_artifact_digest(0)
            )
            return {"instances": await enterprise.all_instances(), "rows": page.items, "report": report}

    found = asyncio.run(read())
    named = found["instances"][-len(TEXTS) :]
    assert [item.name for item in named] == TEXTS
    assert [(item.spec, item.description) for item in named] == list(zip(TEXTS, TEXTS))
    assert [row.name for row in found["rows"]] == TEXTS
    ids = {item.id for item in found["report"].vulnerabilities}
    assert all(any(cve.endswith(text) for cve in ids) for text in TEXTS)


@pytest.mark.parametrize("fmt", ["table", "json", "tsv", "csv"])
@pytest.mark.parametrize(
    "argv",
    [
        ("instances",),
        ("tags", REPO, "--instance", HOSTILE_INSTANCE),
        ("vulns", f"{REPO}@{hostile_artifact_digest(3)}", "--instance", HOSTILE_INSTANCE, "--fail-on", "low"),
    ],
    ids=["instances", "tags", "vulns"],
)
def test_the_commands_print_it_escaped(
    fmt: str, argv: tuple[str, ...], hostile_live: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("SWR_TUI_PROJECT_ID", DEMO_PROJECT_ID)
    out, err = io.StringIO(), io.StringIO()
    code = main([*argv, "--endpoint", hostile_live, "-o", fmt], out=out, err=err)
    assert code == (3 if argv[0] == "vulns" else 0), err.getvalue()
    printed = (out.getvalue() + err.getvalue()).encode("utf-8", "backslashreplace")
    for raw in RAW:
        assert raw not in printed
    assert "PWNED-TITLE" in out.getvalue()
    if fmt == "json":
        records = json.loads(out.getvalue())
        key = {"instances": "name", "tags": "tag", "vulns": "id"}[argv[0]]
        assert any(record[key].endswith("\x1b]0;PWNED-TITLE\x07") for record in records)  # data, exactly
