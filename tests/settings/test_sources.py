"""swr_tui.settings.sources on their own: each reader takes ``environ`` and ``home`` and reports into
the lists it is given, so one source is tested without the precedence around it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from swr_tui.settings import sources
from swr_tui.swr.errors import ConfigurationError

AK = "AKSECRETSOURCES1"
SK = "SK-SECRET-SOURCES-2"


def test_a_token_in_the_environment() -> None:
    assert sources.token_from_environment({}) is None
    found = sources.token_from_environment({"SWR_TUI_TOKEN": "  tok  "})
    assert found is not None
    assert (found.kind, found.token, found.choice) == ("token", "tok", "token")


def test_half_a_key_pair_is_refused_by_name() -> None:
    with pytest.raises(ConfigurationError, match="HW_ACCESS_KEY is set but HW_SECRET_KEY is not"):
        sources.key_pair({"HW_ACCESS_KEY": AK}, "HW_ACCESS_KEY", "HW_SECRET_KEY")


def test_a_project_id_given_outranks_the_sources_own() -> None:
    environ = {"HW_ACCESS_KEY": AK, "HW_SECRET_KEY": SK, "HW_PROJECT_ID": "own"}
    own = sources.terraform_credentials(environ, required=False, profile_label="", project_id=None)
    given = sources.terraform_credentials(environ, required=False, profile_label="", project_id="given")
    assert own is not None
    assert own.project_id == "own"
    assert given is not None
    assert given.project_id == "given"


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_an_ini_file_others_can_read_is_a_warning_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / ".huaweicloud" / "credentials"
    path.parent.mkdir()
    path.write_text(f"[basic]\nak = {AK}\nsk = {SK}\n")
    path.chmod(0o644)
    warnings: list[str] = []
    found = sources.read_sdk_ini(path, "", tmp_path, warnings, [], required=False, project_id=None)
    assert found is not None
    assert found.ak == AK
    assert warnings == [
        "~/.huaweicloud/credentials holds secrets but other users can read it (mode 644): "
        "run chmod 600 ~/.huaweicloud/credentials"
    ]
    assert not any(secret in warnings[0] for secret in (AK, SK))


def test_an_ini_file_without_keys_is_a_note_when_not_required(tmp_path: Path) -> None:
    path = tmp_path / "credentials"
    path.write_text("[other]\nx = 1\n")
    notes: list[str] = []
    assert sources.read_sdk_ini(path, "", tmp_path, [], notes, required=False, project_id=None) is None
    assert notes == ["~/credentials has no [basic] section with ak and sk"]


def test_koocli_absent_says_nothing_malformed_leaves_a_note(tmp_path: Path) -> None:
    def look(koocli: sources.KooCli, notes: list[str]) -> None:
        found = sources.koocli_credentials(
            koocli,
            tmp_path,
            [],
            notes,
            wanted=None,
            region=None,
            required=False,
            profile_label="",
            project_id=None,
        )
        assert found is None

    notes: list[str] = []
    look(sources.read_koocli(tmp_path), notes)
    assert notes == []
    (tmp_path / ".hcloud").mkdir()
    (tmp_path / ".hcloud" / "config.json").write_text("[1, 2]")
    look(sources.read_koocli(tmp_path), notes)
    assert notes == ["KooCLI's ~/.hcloud/config.json was ignored: it is not a JSON object"]


def test_koocli_prefers_the_profile_named_like_the_wanted_one(tmp_path: Path) -> None:
    (tmp_path / ".hcloud").mkdir()
    entries = [
        {"name": name, "mode": "AKSK", "accessKeyId": f"{AK}{name}", "secretAccessKey": SK}
        for name in ("default", "work")
    ]
    (tmp_path / ".hcloud" / "config.json").write_text(json.dumps({"current": "default", "profiles": entries}))
    koocli = sources.read_koocli(tmp_path)
    assert koocli.profile("work")[0] == "work"
    assert koocli.profile("missing")[0] == "default"


def test_a_password_from_the_environment_or_the_prompt() -> None:
    from_env = sources.password_credentials({"SWR_TUI_PASSWORD": "pw"}, "alice", "acme", None)
    assert from_env.source == "IAM login as 'alice' of account 'acme' (password from SWR_TUI_PASSWORD)"
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return "pw"

    typed = sources.password_credentials({}, "alice", "acme", ask)
    assert typed.source.endswith("(password typed at the prompt)")
    assert asked == [sources.PASSWORD_PROMPT.format(user="alice", domain="acme")]
    with pytest.raises(ConfigurationError, match="needs a password"):
        sources.password_credentials({}, "alice", "acme", None)
