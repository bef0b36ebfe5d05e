"""Logins read from docker's config.json: which entry is used, and what is skipped and why."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from swr_tui.settings.docker_config import HELPER_TIMEOUT_S, docker_login

HOST = "swr.cn-north-4.myhuaweicloud.com"


def auth(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def write(home: Path, document: Any) -> None:
    (home / ".docker").mkdir(parents=True, exist_ok=True)
    text = document if isinstance(document, str) else json.dumps(document)
    (home / ".docker" / "config.json").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    "key",
    [HOST, f"https://{HOST}", f"https://{HOST}/v1/", HOST.upper()],
    ids=["bare", "https", "v1", "upper"],
)
def test_the_auths_entry_for_the_host_in_any_spelling(tmp_path: Path, key: str) -> None:
    write(
        tmp_path,
        {"auths": {"other.example": {"auth": auth("x", "y")}, key: {"auth": auth("u@AK", "pw:with:colons")}}},
    )
    login, note = docker_login(HOST, {}, tmp_path, use_helpers=False)
    assert login is not None
    assert (login.username, login.password) == ("u@AK", "pw:with:colons")
    assert login.source == "~/.docker/config.json (docker login)"
    assert note is None
    assert "pw:with:colons" not in repr(login)


def test_username_and_password_fields_too(tmp_path: Path) -> None:
    write(tmp_path, {"auths": {HOST: {"username": "u", "password": "p"}}})
    login, _ = docker_login(HOST, {}, tmp_path, use_helpers=False)
    assert login is not None
    assert (login.username, login.password) == ("u", "p")


@pytest.mark.parametrize(
    ("document", "note"),
    [
        ("{not json", "could not be read as JSON"),
        ("[1, 2]", "is not a JSON object"),
        ({"auths": {HOST: {"identitytoken": "t"}}}, None),
        ({"auths": {HOST: {"auth": "not base64!"}}}, None),
        ({"auths": {"other.example": {"auth": auth("x", "y")}}}, None),
    ],
)
def test_nothing_usable_is_no_login(tmp_path: Path, document: Any, note: Any) -> None:
    write(tmp_path, document)
    login, why = docker_login(HOST, {}, tmp_path, use_helpers=False)
    assert login is None
    if note is None:
        assert why is None
    else:
        assert why is not None
        assert note in why


def test_no_file_is_no_login_and_no_note(tmp_path: Path) -> None:
    assert docker_login(HOST, {}, tmp_path, use_helpers=False) == (None, None)


def test_docker_config_names_another_folder(tmp_path: Path) -> None:
    folder = tmp_path / "dc"
    folder.mkdir()
    (folder / "config.json").write_text(
        json.dumps({"auths": {HOST: {"auth": auth("a", "b")}}}), encoding="utf-8"
    )
    login, _ = docker_login(HOST, {"DOCKER_CONFIG": str(folder)}, tmp_path / "home", use_helpers=False)
    assert login is not None
    assert login.username == "a"


class Runs(list):  # type: ignore[type-arg]
    def __init__(self, answer: Any) -> None:
        super().__init__()
        self.answer = answer

    def __call__(self, argv: list[str], **options: Any) -> Any:
        self.append((argv, options))
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer


def test_a_helper_is_not_run_without_the_opt_in(tmp_path: Path) -> None:
    write(tmp_path, {"credHelpers": {HOST: "swr"}})
    runs = Runs(None)
    login, note = docker_login(HOST, {}, tmp_path, use_helpers=False, run=runs)
    assert login is None
    assert runs == []
    assert note is not None
    assert "use_credential_helpers = true" in note


def test_a_helper_runs_without_a_shell_with_the_host_on_stdin(tmp_path: Path) -> None:
    write(tmp_path, {"credsStore": "desktop", "credHelpers": {HOST: "swr"}})
    answer = subprocess.CompletedProcess([], 0, json.dumps({"Username": "u", "Secret": "s"}).encode(), b"")
    runs = Runs(answer)
    login, _ = docker_login(HOST, {}, tmp_path, use_helpers=True, run=runs)
    assert login is not None
    assert (login.username, login.password, login.source) == (
        "u",
        "s",
        "the credential helper docker-credential-swr",
    )
    ((argv, options),) = runs
    assert argv == ["docker-credential-swr", "get"]
    assert options["input"] == HOST.encode()
    assert options["timeout"] == HELPER_TIMEOUT_S
    assert "shell" not in options


@pytest.mark.parametrize(
    ("helper", "answer", "note"),
    [
        ("swr", FileNotFoundError(), "is not installed"),
        ("swr", subprocess.TimeoutExpired("x", 10), "did not answer within 10 s"),
        ("swr", subprocess.CompletedProcess([], 1, b"", b"credentials not found"), "has no login for"),
        ("swr", subprocess.CompletedProcess([], 0, b"{}", b""), "without a user name and secret"),
        ("../../bin/sh", None, "not a plain program name"),
    ],
)
def test_a_failing_helper_is_a_note_not_a_crash(tmp_path: Path, helper: str, answer: Any, note: str) -> None:
    write(tmp_path, {"credsStore": helper})
    login, why = docker_login(HOST, {}, tmp_path, use_helpers=True, run=Runs(answer))
    assert login is None
    assert why is not None
    assert note in why
