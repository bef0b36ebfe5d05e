"""Where the registry login comes from, in order, each over loopback against the fake registry:
AK/SK (the long-term login, no request), ~/.docker/config.json (and credential helpers when
allowed), then CreateSecret with the session's token."""

from __future__ import annotations

import base64
import json
import os
import stat
import sys
from pathlib import Path
from typing import Optional

import pytest

from swr_tui.fake import DEMO_TOKEN, FakeRegistry
from swr_tui.fake.credentials import DEMO_AK, DEMO_REGION, DEMO_SK
from swr_tui.fake.data_plane_auth import DEMO_DOCKER_PASSWORD, DEMO_DOCKER_USER, long_term_password
from swr_tui.settings.model import CliOptions, Settings
from swr_tui.settings.registry_login import build_registry_client
from swr_tui.settings.resolve import resolve_settings
from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.client import DEFAULT_TIMEOUT_S
from swr_tui.swr.errors import ConfigurationError
from swr_tui.swr.registry import LoginChain, TemporaryLogin

from .conftest import WEBAPP

posix_only = pytest.mark.skipif(os.name == "nt", reason="a shell-script credential helper")


def settings_for(url: str, environ: dict[str, str], home: Path, **options: object) -> Settings:
    cli = CliOptions(endpoint=url, region=DEMO_REGION, registry_endpoint=url, **options)  # type: ignore[arg-type]
    return resolve_settings(cli, environ=environ, home=home)


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def token_logins(registry: FakeRegistry) -> list[str]:
    return [
        request.headers.get("authorization", "") for request in registry.requests if request.route == "token"
    ]


def secrets_asked(registry: FakeRegistry) -> list[tuple[str, dict[str, str]]]:
    return [(request.method, request.params) for request in registry.requests if request.route == "secret"]


def write_docker_config(folder: Path, document: dict[str, object]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def docker_auth(user: str, password: str) -> dict[str, str]:
    return {"auth": base64.b64encode(f"{user}:{password}".encode()).decode("ascii")}


def host_of(url: str) -> str:
    return url.split("://", 1)[1]


AKSK_ENV = {"HUAWEICLOUD_SDK_AK": DEMO_AK, "HUAWEICLOUD_SDK_SK": DEMO_SK}
TOKEN_ENV = {"SWR_TUI_TOKEN": DEMO_TOKEN}


async def fetch(settings: Settings) -> str:
    async with build_registry_client(settings) as client:
        return (await client.get_manifest(WEBAPP, "latest")).digest


async def test_aksk_gives_the_long_term_login_first_without_a_request(
    plane: FakeRegistry, plane_url: str, tmp_path: Path
) -> None:
    home = Path(os.environ["HOME"])
    write_docker_config(
        home / ".docker", {"auths": {host_of(plane_url): docker_auth(DEMO_DOCKER_USER, "unused")}}
    )
    await fetch(settings_for(plane_url, AKSK_ENV, home))
    assert token_logins(plane) == [basic(f"{DEMO_REGION}@{DEMO_AK}", long_term_password(DEMO_AK, DEMO_SK))]
    assert secrets_asked(plane) == []
    assert {request.method for request in plane.requests} == {"GET"}


async def test_the_docker_config_comes_next(plane: FakeRegistry, plane_url: str) -> None:
    home = Path(os.environ["HOME"])
    auths = {f"https://{host_of(plane_url)}/v1/": docker_auth(DEMO_DOCKER_USER, DEMO_DOCKER_PASSWORD)}
    write_docker_config(home / ".docker", {"auths": auths})
    await fetch(settings_for(plane_url, TOKEN_ENV, home))
    assert token_logins(plane) == [basic(DEMO_DOCKER_USER, DEMO_DOCKER_PASSWORD)]
    assert secrets_asked(plane) == []


async def test_docker_config_env_names_the_folder(
    plane: FakeRegistry, plane_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "elsewhere"
    write_docker_config(
        folder, {"auths": {host_of(plane_url): docker_auth(DEMO_DOCKER_USER, DEMO_DOCKER_PASSWORD)}}
    )
    monkeypatch.setenv("DOCKER_CONFIG", str(folder))
    await fetch(settings_for(plane_url, TOKEN_ENV, Path(os.environ["HOME"])))
    assert token_logins(plane) == [basic(DEMO_DOCKER_USER, DEMO_DOCKER_PASSWORD)]


async def test_a_token_alone_asks_create_secret_once_and_keeps_the_login(
    plane: FakeRegistry, plane_url: str
) -> None:
    settings = settings_for(plane_url, TOKEN_ENV, Path(os.environ["HOME"]))
    async with build_registry_client(settings) as client:
        await client.get_manifest(WEBAPP, "latest")
        await client.get_manifest("acme/ci-builds", "build-000001")  # a second scope: a second token
    assert secrets_asked(plane) == [("POST", {"projectname": DEMO_REGION})]
    secret = next(request for request in plane.requests if request.route == "secret")
    assert secret.headers["x-auth-token"] == DEMO_TOKEN
    logins = token_logins(plane)
    assert len(logins) == 2
    assert logins[0] == logins[1]
    user = base64.b64decode(logins[0][len("Basic ") :]).decode().partition(":")[0]
    assert user.startswith(f"{DEMO_REGION}@")


async def test_a_temporary_login_is_made_again_once_it_expires(plane_url: str) -> None:
    now = [0.0]
    temporary = TemporaryLogin(
        plane_url, TokenAuth(DEMO_TOKEN), DEMO_REGION, host_of(plane_url), timeout=DEFAULT_TIMEOUT_S
    )
    chain = LoginChain([temporary], clock=lambda: now[0])
    now[0] = 1_000_000_000.0  # well before the fake's expiry (6 hours from today)
    first = await chain()
    assert await chain() is first
    assert temporary.calls == 1
    assert first is not None
    assert first.expires_at is not None
    now[0] = first.expires_at + 1
    second = await chain()
    assert temporary.calls == 2
    assert second is not None
    assert second.username != first.username


async def test_aksk_with_a_security_token_uses_create_secret_signed_with_it(
    plane: FakeRegistry, plane_url: str
) -> None:
    environ = {**AKSK_ENV, "HUAWEICLOUD_SDK_SECURITY_TOKEN": "sts-token-probe"}
    await fetch(settings_for(plane_url, environ, Path(os.environ["HOME"])))
    secret = next(request for request in plane.requests if request.route == "secret")
    assert secret.method == "POST"
    assert secret.headers["authorization"].startswith("SDK-HMAC-SHA256 Access=")
    assert token_logins(plane)[0] != basic(f"{DEMO_REGION}@{DEMO_AK}", long_term_password(DEMO_AK, DEMO_SK))


def _helper(folder: Path, marker: Path) -> None:
    folder.mkdir()
    script = folder / "docker-credential-swrtest"
    answer = json.dumps({"Username": DEMO_DOCKER_USER, "Secret": DEMO_DOCKER_PASSWORD})
    body = f"import sys\nopen({str(marker)!r}, 'w').write(sys.argv[1] + ' ' + sys.stdin.read())\n"
    script.write_text(f"#!{sys.executable}\n{body}print({answer!r})\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


@posix_only
@pytest.mark.parametrize("allowed", [False, True])
async def test_credential_helpers_run_only_when_allowed(
    plane: FakeRegistry, plane_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, allowed: bool
) -> None:
    marker = tmp_path / "helper-ran"
    _helper(tmp_path / "bin", marker)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    home = Path(os.environ["HOME"])
    write_docker_config(home / ".docker", {"auths": {}, "credsStore": "swrtest"})
    config = tmp_path / "config.toml"
    config.write_text(f"[registry]\nuse_credential_helpers = {str(allowed).lower()}\n", encoding="utf-8")
    settings = settings_for(plane_url, {**TOKEN_ENV, "SWR_TUI_CONFIG": str(config)}, home)
    assert settings.use_credential_helpers is allowed
    await fetch(settings)
    if allowed:
        assert marker.read_text() == f"get {host_of(plane_url)}"
        assert token_logins(plane) == [basic(DEMO_DOCKER_USER, DEMO_DOCKER_PASSWORD)]
        assert secrets_asked(plane) == []
    else:
        assert not marker.exists()
        assert len(secrets_asked(plane)) == 1  # fell through to CreateSecret


@pytest.mark.parametrize(
    ("options", "environ", "profile", "expected", "source"),
    [
        ({}, {}, None, "https://swr.cn-north-4.myhuaweicloud.com", "region cn-north-4"),
        (
            {"registry_endpoint": "http://127.0.0.1:5000"},
            {},
            None,
            "http://127.0.0.1:5000",
            "--registry-endpoint",
        ),
        (
            {},
            {"SWR_TUI_REGISTRY_ENDPOINT": "reg.example"},
            None,
            "https://reg.example",
            "SWR_TUI_REGISTRY_ENDPOINT",
        ),
        (
            {},
            {},
            "https://reg.profile.example",
            "https://reg.profile.example",
            "registry_endpoint in profile 'p'",
        ),
        (
            {"registry_endpoint": "https://flag.example"},
            {"SWR_TUI_REGISTRY_ENDPOINT": "https://env.example"},
            "https://reg.profile.example",
            "https://flag.example",
            "--registry-endpoint",
        ),
    ],
)
def test_the_registry_endpoint_and_where_it_came_from(
    tmp_path: Path,
    options: dict[str, str],
    environ: dict[str, str],
    profile: Optional[str],
    expected: str,
    source: str,
) -> None:
    config = tmp_path / "config.toml"
    table = f'registry_endpoint = "{profile}"\n' if profile else ""
    config.write_text(
        f'default_profile = "p"\n[profiles.p]\nregion = "cn-north-4"\n{table}', encoding="utf-8"
    )
    env = {**TOKEN_ENV, **environ, "SWR_TUI_CONFIG": str(config)}
    settings = resolve_settings(CliOptions(**options), environ=env, home=tmp_path)  # type: ignore[arg-type]
    assert (settings.registry_endpoint, settings.registry_endpoint_source) == (expected, source)


def test_plain_http_registry_elsewhere_needs_insecure(tmp_path: Path) -> None:
    options = {"region": DEMO_REGION, "registry_endpoint": "http://reg.example"}
    with pytest.raises(
        ConfigurationError,
        match=r"registry endpoint http://reg\.example \(from --registry-endpoint\) uses plain http",
    ):
        resolve_settings(CliOptions(**options), environ=TOKEN_ENV, home=tmp_path)  # type: ignore[arg-type]
    insecure = resolve_settings(CliOptions(insecure=True, **options), environ=TOKEN_ENV, home=tmp_path)  # type: ignore[arg-type]
    assert insecure.registry_endpoint == "http://reg.example"


def test_a_bad_registry_table_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[registry]\nuse_credential_helpers = "yes"\n', encoding="utf-8")
    with pytest.raises(ConfigurationError, match="use_credential_helpers must be true or false"):
        resolve_settings(
            CliOptions(region=DEMO_REGION),
            environ={**TOKEN_ENV, "SWR_TUI_CONFIG": str(config)},
            home=tmp_path,
        )


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("2025-11-01T12:18:44.382000Z", 1761999524.382),  # the CreateSecret page's example
        ("2024-12-26T11:22:50.769Z", 1735212170.769),
        ("not a time", None),
        (None, None),
    ],
)
def test_the_expiry_of_a_temporary_login(header: Optional[str], expected: Optional[float]) -> None:
    from swr_tui.swr.registry.login import parse_expiry

    assert parse_expiry(header) == expected
