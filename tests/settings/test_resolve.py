"""swr_tui.settings (resolve, sources, config_file): precedence, every credential source, the
plain-http rule, and no secret ever shown."""

from __future__ import annotations

import json
import os
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import httpx
import pytest

from swr_tui.settings import config_paths
from swr_tui.settings.config_file import ConfigFile, load_profiles
from swr_tui.settings.config_paths import config_path
from swr_tui.settings.endpoints import NO_REGION_MESSAGE
from swr_tui.settings.model import CliOptions, Credentials, Settings
from swr_tui.settings.resolve import build_client, resolve_settings
from swr_tui.swr.auth import AkSkAuth, PasswordAuth, TokenAuth
from swr_tui.swr.errors import ConfigurationError
from swr_tui.swr.regions import REGIONS

# Distinctive values: none may ever show up in a repr, a str, a label, a warning or an error message.
TOKEN = "TOKEN-SECRET-7f3a9c"
AK = "AKSECRETQ2W9Z7"
SK = "SK-SECRET-d81c44"
STS = "STS-SECRET-0e5b12"
PASSWORD = "PW-SECRET-44aa90"
TF_AK = "TFAKSECRET3X8"
TF_SK = "TF-SK-SECRET-91bd"
INI_AK = "INIAKSECRET5K2"
INI_SK = "INI-SK-SECRET-7e21"
KOO_AK = "KOOAKSECRET8P1"
KOO_SK = "KOO-SK-SECRET-c3f0"
ALL_SECRETS = (TOKEN, AK, SK, STS, PASSWORD, TF_AK, TF_SK, INI_AK, INI_SK, KOO_AK, KOO_SK)

AKSK_ENV = {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK}
TF_ENV = {"HW_ACCESS_KEY": TF_AK, "HW_SECRET_KEY": TF_SK}
PASSWORD_ENV = {"SWR_TUI_USERNAME": "alice", "SWR_TUI_DOMAIN": "acme", "SWR_TUI_PASSWORD": PASSWORD}
posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")


@pytest.fixture(autouse=True)
def _private_platform_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """platformdirs must never point at the real user's config dir in these tests."""
    monkeypatch.setattr(config_paths, "user_config_dir", lambda app: str(tmp_path / "platform" / app))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


def resolve(
    home: Path,
    env: Optional[dict[str, str]] = None,
    prompt: Any = None,
    **options: Any,
) -> Settings:
    return resolve_settings(
        CliOptions(**options), env if env is not None else {}, home, prompt_password=prompt
    )


def config_error(home: Path, env: Optional[dict[str, str]] = None, prompt: Any = None, **options: Any) -> str:
    with pytest.raises(ConfigurationError) as caught:
        resolve(home, env, prompt, **options)
    return str(caught.value)


def write_config(home: Path, text: str) -> Path:
    path = config_path({}, home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_sdk_ini(
    home: Path, text: Optional[str] = None, mode: int = 0o600, name: str = "credentials"
) -> Path:
    path = home / ".huaweicloud" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if text is None:
        text = f"[basic]\nak = {INI_AK}\nsk = {INI_SK}\nproject_id = ini-project\n"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def write_koocli(
    home: Path,
    *,
    encrypted: bool = False,
    profiles: Optional[list[dict[str, Any]]] = None,
    current: str = "default",
    raw: Optional[str] = None,
    mode: int = 0o600,
) -> Path:
    path = home / ".hcloud" / "config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    if raw is None:
        if profiles is None:
            profiles = [koocli_profile("default")]
        raw = json.dumps(
            {"authEncrypt": "true" if encrypted else "false", "current": current, "profiles": profiles}
        )
    path.write_text(raw, encoding="utf-8")
    path.chmod(mode)
    return path


def koocli_profile(name: str, **fields: Any) -> dict[str, Any]:
    entry = {
        "name": name,
        "mode": "AKSK",
        "accessKeyId": KOO_AK,
        "secretAccessKey": KOO_SK,
        "securityToken": "",
        "region": "cn-east-3",
        "projectId": "koo-project",
        "readTimeout": 10,
    }
    entry.update(fields)
    return entry


def assert_no_secret(*texts: object) -> None:
    for text in texts:
        for secret in ALL_SECRETS:
            assert secret not in str(text), f"secret leaked into {text!r}"
            assert secret not in repr(text), f"secret leaked into {text!r}"


# -- region and endpoint ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "endpoint"),
    [
        ("cn-north-4", "https://swr-api.cn-north-4.myhuaweicloud.com"),
        ("ap-southeast-1", "https://swr-api.ap-southeast-1.myhuaweicloud.com"),
        ("eu-west-101", "https://swr-api.eu-west-101.myhuaweicloud.eu"),
    ],
)
def test_region_gives_the_sdk_endpoint(home: Path, region: str, endpoint: str) -> None:
    settings = resolve(home, {"SWR_TUI_TOKEN": TOKEN}, region=region)
    assert settings.endpoint == endpoint
    assert settings.region == region
    assert settings.endpoint_source == f"region {region}"
    assert settings.region_source == "--region"
    assert settings.warnings == ()


def test_eu_west_101_iam_endpoint_is_on_the_eu_domain(home: Path) -> None:
    settings = resolve(home, {"SWR_TUI_TOKEN": TOKEN}, region="eu-west-101")
    assert settings.iam_endpoint == "https://iam.eu-west-101.myhuaweicloud.eu"


def test_sdk_region_override_variable_wins_over_the_pattern(home: Path) -> None:
    env = {
        "SWR_TUI_TOKEN": TOKEN,
        "HUAWEICLOUD_SDK_REGION_SWR_CN_NORTH_4": "https://swr.internal.example:8443/, https://other",
    }
    settings = resolve(home, env, region="cn-north-4")
    assert settings.endpoint == "https://swr.internal.example:8443"
    assert settings.endpoint_source == "HUAWEICLOUD_SDK_REGION_SWR_CN_NORTH_4"


def test_no_region_and_no_endpoint_is_an_error(home: Path) -> None:
    assert config_error(home, {"SWR_TUI_TOKEN": TOKEN}) == NO_REGION_MESSAGE
    assert "--region" in NO_REGION_MESSAGE
    assert "SWR_TUI_ENDPOINT" in NO_REGION_MESSAGE


def test_unknown_but_well_formed_region_uses_the_pattern_and_warns(home: Path) -> None:
    settings = resolve(home, {"SWR_TUI_TOKEN": TOKEN}, region="xx-newplace-9")
    assert settings.endpoint == "https://swr-api.xx-newplace-9.myhuaweicloud.com"
    assert any("xx-newplace-9" in warning for warning in settings.warnings)


@pytest.mark.parametrize("region", ["CN-North-4", "cn north 4", "cn-north-4.evil.com", "cn_north_4", "-cn"])
def test_malformed_region_lists_valid_ids(home: Path, region: str) -> None:
    message = config_error(home, {"SWR_TUI_TOKEN": TOKEN}, region=region)
    assert "not a region id" in message
    assert "cn-north-4" in message
    assert all(known in message for known in REGIONS)


def test_malformed_region_from_environment_names_the_variable(home: Path) -> None:
    message = config_error(home, {"SWR_TUI_TOKEN": TOKEN, "SWR_TUI_REGION": "Beijing 4"})
    assert "SWR_TUI_REGION" in message


def test_region_precedence_flag_env_profile_terraform_koocli(home: Path) -> None:
    write_config(home, 'default_profile = "p"\n[profiles.p]\nregion = "cn-south-1"\n')
    write_koocli(home, profiles=[koocli_profile("default", region="ap-southeast-3")])
    env = {"SWR_TUI_TOKEN": TOKEN, "SWR_TUI_REGION": "cn-east-3", "HW_REGION_NAME": "la-south-2"}

    settings = resolve(home, env, region="cn-north-4")
    assert (settings.region, settings.region_source) == ("cn-north-4", "--region")
    settings = resolve(home, env)
    assert (settings.region, settings.region_source) == ("cn-east-3", "SWR_TUI_REGION")
    del env["SWR_TUI_REGION"]
    settings = resolve(home, env)
    assert (settings.region, settings.region_source) == ("cn-south-1", "profile 'p'")
    write_config(home, 'default_profile = "p"\n[profiles.p]\n')
    settings = resolve(home, env)
    assert (settings.region, settings.region_source) == ("la-south-2", "HW_REGION_NAME")
    del env["HW_REGION_NAME"]
    settings = resolve(home, env)
    assert (settings.region, settings.region_source) == ("ap-southeast-3", "KooCLI profile 'default'")
    assert settings.endpoint == "https://swr-api.ap-southeast-3.myhuaweicloud.com"


def test_endpoint_precedence_flag_env_profile_region(home: Path) -> None:
    write_config(home, '[profiles.p]\nendpoint = "swr.profile.example"\nregion = "cn-north-4"\n')
    env = {"SWR_TUI_TOKEN": TOKEN, "SWR_TUI_ENDPOINT": "https://swr.env.example/"}

    settings = resolve(home, env, profile="p", endpoint="https://swr.flag.example")
    assert (settings.endpoint, settings.endpoint_source) == ("https://swr.flag.example", "--endpoint")
    settings = resolve(home, env, profile="p")
    assert (settings.endpoint, settings.endpoint_source) == ("https://swr.env.example", "SWR_TUI_ENDPOINT")
    del env["SWR_TUI_ENDPOINT"]
    settings = resolve(home, env, profile="p")
    assert (settings.endpoint, settings.endpoint_source) == ("https://swr.profile.example", "profile 'p'")
    settings = resolve(home, env, region="cn-north-4")
    assert settings.endpoint == "https://swr-api.cn-north-4.myhuaweicloud.com"


def test_endpoint_alone_is_enough_and_label_shows_its_host(home: Path) -> None:
    settings = resolve(home, {"SWR_TUI_TOKEN": TOKEN}, endpoint="http://127.0.0.1:8080")
    assert settings.region is None
    assert settings.endpoint == "http://127.0.0.1:8080"
    assert settings.label() == "127.0.0.1:8080"
    assert settings.iam_endpoint == ""


def test_endpoint_without_scheme_gets_https(home: Path) -> None:
    settings = resolve(home, {"SWR_TUI_TOKEN": TOKEN}, endpoint="swr-api.cn-north-4.myhuaweicloud.com/")
    assert settings.endpoint == "https://swr-api.cn-north-4.myhuaweicloud.com"


@pytest.mark.parametrize(
    "endpoint",
    [
        "ftp://swr.example",
        "https://",
        "not a url",
        "https://swr.example/?q=1",
        "https://host:99999",
        "https://a b",
    ],
)
def test_endpoint_that_is_not_a_url_is_refused(home: Path, endpoint: str) -> None:
    message = config_error(home, {"SWR_TUI_TOKEN": TOKEN}, endpoint=endpoint)
    assert "--endpoint" in message


def test_endpoint_with_user_info_is_refused_without_echoing_it(home: Path) -> None:
    message = config_error(home, {"SWR_TUI_TOKEN": TOKEN}, endpoint=f"https://user:{PASSWORD}@swr.example")
    assert "user name or password" in message
    assert_no_secret(message)


# -- plain http -------------------------------------------------------------------------------------


def test_plain_http_to_a_remote_host_is_refused(home: Path) -> None:
    message = config_error(home, {"SWR_TUI_TOKEN": TOKEN}, endpoint="http://swr.example.com")
    assert "in clear" in message
    assert "https://" in message
    assert "--insecure" in message


@pytest.mark.parametrize(
    "endpoint", ["http://127.0.0.1:5000", "http://127.8.9.10", "http://localhost:8080", "http://[::1]:9000"]
)
def test_plain_http_to_loopback_is_allowed(home: Path, endpoint: str) -> None:
    settings = resolve(home, {"SWR_TUI_TOKEN": TOKEN}, endpoint=endpoint)
    assert settings.endpoint == endpoint
    assert settings.insecure is False


def test_plain_http_to_a_remote_host_is_allowed_with_insecure(home: Path) -> None:
    settings = resolve(home, {"SWR_TUI_TOKEN": TOKEN}, endpoint="http://10.1.2.3:8080", insecure=True)
    assert settings.endpoint == "http://10.1.2.3:8080"
    assert settings.verify() is False


def test_insecure_from_the_profile_allows_plain_http(home: Path) -> None:
    write_config(home, '[profiles.lab]\nendpoint = "http://swr.lab"\ninsecure = true\n')
    settings = resolve(home, {"SWR_TUI_TOKEN": TOKEN}, profile="lab")
    assert settings.insecure is True
    assert settings.endpoint == "http://swr.lab"


def test_region_override_to_plain_http_is_refused(home: Path) -> None:
    env = {"SWR_TUI_TOKEN": TOKEN, "HUAWEICLOUD_SDK_REGION_SWR_CN_NORTH_4": "http://swr.proxy.example"}
    message = config_error(home, env, region="cn-north-4")
    assert "HUAWEICLOUD_SDK_REGION_SWR_CN_NORTH_4" in message
    assert "in clear" in message


# -- profiles and config.toml -----------------------------------------------------------------------


def test_missing_config_file_is_empty(home: Path) -> None:
    loaded = load_profiles({}, home)
    assert isinstance(loaded, ConfigFile)
    assert loaded.exists is False
    assert loaded.profiles == {}
    assert loaded.default_profile is None


def test_config_file_is_parsed(home: Path) -> None:
    write_config(
        home,
        'default_profile = "prod"\n'
        "[profiles.prod]\n"
        'region = "cn-north-4"\nproject_id = "p1"\ntimeout = 5\ninsecure = false\n'
        'ca_bundle = "certs/ca.pem"\n'
        "[profiles.dev]\n"
        'endpoint = "http://127.0.0.1:9000"\n',
    )
    loaded = load_profiles({}, home)
    assert loaded.exists is True
    assert loaded.default_profile == "prod"
    assert loaded.names() == ("dev", "prod")
    prod = loaded.get("prod")
    assert prod is not None
    assert prod.region == "cn-north-4"
    assert prod.timeout == 5.0
    assert prod.ca_bundle == str(loaded.path.parent / "certs" / "ca.pem")


def test_swr_tui_config_overrides_the_path_and_expands_home(home: Path) -> None:
    custom = home / "elsewhere" / "swr.toml"
    custom.parent.mkdir()
    custom.write_text('[profiles.x]\nregion = "cn-east-3"\n', encoding="utf-8")
    env = {"SWR_TUI_CONFIG": "~/elsewhere/swr.toml", "SWR_TUI_TOKEN": TOKEN}
    assert config_path(env, home) == custom
    assert resolve(home, env, profile="x").region == "cn-east-3"


def test_platform_config_dir_is_moved_under_an_explicit_home(
    monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    monkeypatch.setattr(config_paths, "user_config_dir", lambda app: str(Path.home() / ".config" / app))
    assert config_path({}, home) == home / ".config" / "swr-tui" / "config.toml"


def test_profile_precedence_flag_env_default(home: Path) -> None:
    write_config(
        home,
        'default_profile = "a"\n'
        '[profiles.a]\nregion = "cn-north-1"\n'
        '[profiles.b]\nregion = "cn-north-2"\n'
        '[profiles.c]\nregion = "cn-north-4"\n',
    )
    env = {"SWR_TUI_TOKEN": TOKEN, "SWR_TUI_PROFILE": "b"}
    assert resolve(home, env, profile="c").profile == "c"
    assert resolve(home, env, profile="c").region == "cn-north-4"
    assert resolve(home, env).profile == "b"
    del env["SWR_TUI_PROFILE"]
    settings = resolve(home, env)
    assert (settings.profile, settings.region) == ("a", "cn-north-1")
    assert settings.label() == "profile a · cn-north-1"


def test_unknown_profile_lists_the_profiles_found(home: Path) -> None:
    write_config(home, '[profiles.prod]\nregion = "cn-north-4"\n[profiles.dev]\nregion = "cn-north-4"\n')
    message = config_error(home, {"SWR_TUI_TOKEN": TOKEN}, profile="staging")
    assert "'staging'" in message
    assert "--profile" in message
    assert "'prod'" in message
    assert "'dev'" in message


def test_unknown_profile_without_a_config_file(home: Path) -> None:
    message = config_error(home, {"SWR_TUI_TOKEN": TOKEN, "SWR_TUI_PROFILE": "nope"})
    assert "SWR_TUI_PROFILE" in message
    assert "does not exist" in message


def test_unknown_default_profile_is_an_error(home: Path) -> None:
    write_config(home, 'default_profile = "gone"\n[profiles.here]\nregion = "cn-north-4"\n')
    message = config_error(home, {"SWR_TUI_TOKEN": TOKEN})
    assert "'gone'" in message
    assert "'here'" in message


@pytest.mark.parametrize("key", ["sk", "ak", "token", "password", "security_token", "secret-key"])
def test_secrets_in_a_profile_are_refused(home: Path, key: str) -> None:
    write_config(home, f'[profiles.prod]\nregion = "cn-north-4"\n{key} = "{SK}"\n')
    message = config_error(home, {}, profile="prod")
    assert key in message
    assert "environment" in message
    assert "credentials" in message
    assert_no_secret(message)


def test_top_level_secret_is_refused(home: Path) -> None:
    write_config(home, f'token = "{TOKEN}"\n')
    message = config_error(home, {}, region="cn-north-4")
    assert "token" in message
    assert_no_secret(message)


def test_bad_toml_names_the_file_and_line(home: Path) -> None:
    path = write_config(home, '[profiles.prod]\nregion = "cn-north-4"\nendpoint = \n')
    message = config_error(home, {"SWR_TUI_TOKEN": TOKEN}, region="cn-north-4")
    assert str(path) in message
    assert "line 3" in message


def test_unknown_profile_key_is_refused(home: Path) -> None:
    write_config(home, '[profiles.prod]\nregoin = "cn-north-4"\n')
    message = config_error(home, {"SWR_TUI_TOKEN": TOKEN}, profile="prod")
    assert "regoin" in message
    assert "region" in message


@pytest.mark.parametrize(
    ("line", "expected"),
    [('timeout = "fast"', "timeout"), ('insecure = "yes"', "insecure"), ("region = 4", "region")],
)
def test_profile_values_of_the_wrong_type_are_refused(home: Path, line: str, expected: str) -> None:
    write_config(home, f"[profiles.prod]\n{line}\n")
    assert expected in config_error(home, {"SWR_TUI_TOKEN": TOKEN}, profile="prod")


def test_top_level_table_that_is_not_under_profiles_is_refused(home: Path) -> None:
    write_config(home, '[prod]\nregion = "cn-north-4"\n')
    assert "[profiles.NAME]" in config_error(home, {"SWR_TUI_TOKEN": TOKEN}, region="cn-north-4")


def test_unknown_credentials_choice_is_refused(home: Path) -> None:
    write_config(home, '[profiles.prod]\nregion = "cn-north-4"\ncredentials = "kooCLI"\n')
    message = config_error(home, {"SWR_TUI_TOKEN": TOKEN}, profile="prod")
    assert "koocli" in message


# -- timeout and TLS --------------------------------------------------------------------------------


def test_timeout_precedence_flag_profile_default(home: Path) -> None:
    write_config(home, '[profiles.p]\nregion = "cn-north-4"\ntimeout = 7.5\n')
    env = {"SWR_TUI_TOKEN": TOKEN}
    assert resolve(home, env, profile="p", timeout=3.0).timeout == 3.0
    assert resolve(home, env, profile="p").timeout == 7.5
    assert resolve(home, env, region="cn-north-4").timeout == 20.0


@pytest.mark.parametrize("timeout", [0.0, -1.0, float("nan"), float("inf")])
def test_timeout_must_be_positive(home: Path, timeout: float) -> None:
    assert "--timeout" in config_error(home, {"SWR_TUI_TOKEN": TOKEN}, region="cn-north-4", timeout=timeout)


def test_profile_timeout_must_be_positive(home: Path) -> None:
    write_config(home, '[profiles.p]\nregion = "cn-north-4"\ntimeout = 0\n')
    assert "timeout" in config_error(home, {"SWR_TUI_TOKEN": TOKEN}, profile="p")


def test_ca_bundle_gives_an_ssl_context(home: Path) -> None:
    import certifi

    settings = resolve(home, {"SWR_TUI_TOKEN": TOKEN}, region="cn-north-4", ca_bundle=certifi.where())
    assert settings.ca_bundle == certifi.where()
    assert isinstance(settings.verify(), ssl.SSLContext)
    assert resolve(home, {"SWR_TUI_TOKEN": TOKEN}, region="cn-north-4").verify() is True


def test_missing_ca_bundle_is_an_error(home: Path) -> None:
    message = config_error(
        home, {"SWR_TUI_TOKEN": TOKEN}, region="cn-north-4", ca_bundle=str(home / "no.pem")
    )
    assert "--ca-bundle" in message


# -- credentials: environment -----------------------------------------------------------------------


def test_environment_token(home: Path) -> None:
    settings = resolve(home, {"SWR_TUI_TOKEN": f"  {TOKEN}\n"}, region="cn-north-4")
    assert settings.credentials.kind == "token"
    assert settings.credentials.token == TOKEN
    assert settings.credentials.source == "environment (SWR_TUI_TOKEN)"
    assert isinstance(settings.credentials.auth(settings), TokenAuth)


def test_environment_aksk_with_security_token_and_project_id(home: Path) -> None:
    env = {**AKSK_ENV, "HUAWEICLOUD_SDK_SECURITY_TOKEN": STS, "HUAWEICLOUD_SDK_PROJECT_ID": "proj-123"}
    settings = resolve(home, env, region="cn-north-4")
    credentials = settings.credentials
    assert (credentials.kind, credentials.ak, credentials.sk) == ("aksk", AK, SK)
    assert credentials.security_token == STS
    assert credentials.project_id == "proj-123"
    assert credentials.source == "environment (HUAWEICLOUD_SDK_AK/SK)"
    auth = credentials.auth(settings)
    assert isinstance(auth, AkSkAuth)
    request = httpx.Request("GET", "https://swr-api.cn-north-4.myhuaweicloud.com/v2/manage/namespaces")
    auth.sign(request)
    assert request.headers["X-Project-Id"] == "proj-123"
    assert request.headers["X-Security-Token"] == STS
    assert request.headers["Authorization"].startswith(f"SDK-HMAC-SHA256 Access={AK}, ")


def test_aksk_without_project_id_omits_it(home: Path) -> None:
    settings = resolve(home, dict(AKSK_ENV), region="cn-north-4")
    assert settings.credentials.project_id is None
    request = httpx.Request("GET", "https://swr-api.cn-north-4.myhuaweicloud.com/v2/manage/namespaces")
    auth = settings.credentials.auth(settings)
    assert isinstance(auth, AkSkAuth)
    auth.sign(request)
    assert "X-Project-Id" not in request.headers
    assert "X-Security-Token" not in request.headers


def test_profile_project_id_is_used_for_environment_keys(home: Path) -> None:
    write_config(home, '[profiles.p]\nregion = "cn-north-4"\nproject_id = "from-profile"\n')
    assert resolve(home, dict(AKSK_ENV), profile="p").credentials.project_id == "from-profile"
    env = {**AKSK_ENV, "HUAWEICLOUD_SDK_PROJECT_ID": "from-env"}
    assert resolve(home, env, profile="p").credentials.project_id == "from-env"


@pytest.mark.parametrize(
    ("env", "present", "missing"),
    [
        ({"HUAWEICLOUD_SDK_AK": AK}, "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"),
        ({"HUAWEICLOUD_SDK_SK": SK}, "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_AK"),
        ({"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": "  "}, "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"),
        ({"HW_ACCESS_KEY": TF_AK}, "HW_ACCESS_KEY", "HW_SECRET_KEY"),
        ({"HW_SECRET_KEY": TF_SK}, "HW_SECRET_KEY", "HW_ACCESS_KEY"),
    ],
)
def test_only_half_a_key_pair_names_the_missing_half(
    home: Path, env: dict[str, str], present: str, missing: str
) -> None:
    message = config_error(home, env, region="cn-north-4")
    assert f"{present} is set but {missing} is not" in message
    assert_no_secret(message)


def test_token_beats_aksk_in_the_environment(home: Path) -> None:
    settings = resolve(home, {"SWR_TUI_TOKEN": TOKEN, **AKSK_ENV}, region="cn-north-4")
    assert settings.credentials.kind == "token"


def test_environment_beats_every_file(home: Path) -> None:
    write_sdk_ini(home)
    write_koocli(home)
    settings = resolve(home, {**AKSK_ENV, **TF_ENV}, region="cn-north-4")
    assert settings.credentials.ak == AK


@pytest.mark.parametrize(
    ("choice", "kind", "source"),
    [
        ("sdk", "aksk", "~/.huaweicloud/credentials [basic]"),
        ("aksk", "aksk", "environment (HUAWEICLOUD_SDK_AK/SK)"),
        ("token", "token", "environment (SWR_TUI_TOKEN)"),
        ("env", "token", "environment (SWR_TUI_TOKEN)"),  # "env": the usual order, token first
    ],
)
def test_a_profile_that_names_its_credentials_uses_them(
    home: Path, choice: str, kind: str, source: str
) -> None:
    """The environment holds a token too: it does not outrank what the profile names."""
    write_config(home, f'[profiles.p]\nregion = "cn-north-4"\ncredentials = "{choice}"\n')
    write_sdk_ini(home)
    settings = resolve(home, {"SWR_TUI_TOKEN": TOKEN, **AKSK_ENV}, profile="p")
    assert (settings.credentials.kind, settings.credentials.source) == (kind, source)
    assert settings.credentials.choice == ("token" if choice == "env" else choice)


# -- credentials: files -----------------------------------------------------------------------------


def test_sdk_ini_basic_section(home: Path) -> None:
    write_sdk_ini(
        home, f"[basic]\nak = {INI_AK}\nsk = {INI_SK}\nsecurity_token = {STS}\nproject_id = ini-p\n"
    )
    credentials = resolve(home, {}, region="cn-north-4").credentials
    assert (credentials.kind, credentials.ak, credentials.sk) == ("aksk", INI_AK, INI_SK)
    assert credentials.security_token == STS
    assert credentials.project_id == "ini-p"
    assert credentials.source == "~/.huaweicloud/credentials [basic]"


def test_sdk_ini_global_section(home: Path) -> None:
    write_sdk_ini(home, f"[global]\nak = {INI_AK}\nsk = {INI_SK}\n")
    credentials = resolve(home, {}, region="cn-north-4").credentials
    assert credentials.ak == INI_AK
    assert credentials.source == "~/.huaweicloud/credentials [global]"
    assert credentials.project_id is None


def test_sdk_ini_secret_with_percent_sign_is_read_verbatim(home: Path) -> None:
    write_sdk_ini(home, f"[basic]\nak = {INI_AK}\nsk = {INI_SK}%(x)s\n")
    assert resolve(home, {}, region="cn-north-4").credentials.sk == f"{INI_SK}%(x)s"


def test_sdk_ini_from_the_sdk_variable(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "other.ini"
    path.write_text(f"[basic]\nak = {INI_AK}\nsk = {INI_SK}\n", encoding="utf-8")
    path.chmod(0o600)
    credentials = resolve(
        home, {"HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(path)}, region="cn-north-4"
    ).credentials
    assert credentials.source == f"{path} [basic]"


def test_sdk_variable_naming_a_missing_file_is_an_error(home: Path) -> None:
    env = {"HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(home / "nope")}
    message = config_error(home, env, region="cn-north-4")
    assert "HUAWEICLOUD_SDK_CREDENTIALS_FILE" in message
    assert "does not exist" in message


def test_profile_credentials_file_and_path_choice(home: Path) -> None:
    write_sdk_ini(home, f"[basic]\nak = {INI_AK}\nsk = {INI_SK}\n", name="prod.ini")
    write_config(
        home,
        '[profiles.a]\nregion = "cn-north-4"\ncredentials_file = "~/.huaweicloud/prod.ini"\n'
        '[profiles.b]\nregion = "cn-north-4"\ncredentials = "~/.huaweicloud/prod.ini"\n',
    )
    assert resolve(home, {}, profile="a").credentials.source == "~/.huaweicloud/prod.ini [basic]"
    # the path choice restricts to that file: Terraform variables are not consulted
    assert resolve(home, dict(TF_ENV), profile="b").credentials.ak == INI_AK


def test_sdk_ini_with_only_ak_names_the_missing_key(home: Path) -> None:
    write_sdk_ini(home, f"[basic]\nak = {INI_AK}\n")
    message = config_error(home, {}, region="cn-north-4")
    assert "has ak but no sk" in message
    assert_no_secret(message)


def test_malformed_sdk_ini_is_an_error_without_its_content(home: Path) -> None:
    write_sdk_ini(home, f"ak = {INI_AK}\nsk {INI_SK}\n")
    message = config_error(home, {}, region="cn-north-4")
    assert "not a valid INI file" in message
    assert "line 1" in message
    assert_no_secret(message)


def test_terraform_variables(home: Path) -> None:
    env = {**TF_ENV, "HW_SECURITY_TOKEN": STS, "HW_PROJECT_ID": "tf-project", "HW_REGION_NAME": "cn-east-3"}
    settings = resolve(home, env)
    credentials = settings.credentials
    assert (credentials.kind, credentials.ak, credentials.sk) == ("aksk", TF_AK, TF_SK)
    assert credentials.security_token == STS
    assert credentials.project_id == "tf-project"
    assert "HW_ACCESS_KEY" in credentials.source
    assert settings.region == "cn-east-3"


def test_koocli_plaintext_current_profile(home: Path) -> None:
    write_koocli(
        home,
        current="work",
        profiles=[koocli_profile("default"), koocli_profile("work", securityToken=STS, region="cn-north-4")],
    )
    settings = resolve(home, {})
    credentials = settings.credentials
    assert (credentials.ak, credentials.sk, credentials.security_token) == (KOO_AK, KOO_SK, STS)
    assert credentials.source == "KooCLI profile 'work' (~/.hcloud/config.json)"
    assert credentials.project_id == "koo-project"
    assert settings.region == "cn-north-4"


def test_koocli_profile_named_like_profile_flag(home: Path) -> None:
    write_koocli(home, profiles=[koocli_profile("default"), koocli_profile("ops", region="cn-south-1")])
    settings = resolve(home, {}, profile="ops")
    assert settings.profile == "ops"
    assert settings.region == "cn-south-1"
    assert settings.credentials.source.startswith("KooCLI profile 'ops'")


def test_koocli_project_id_is_dropped_for_another_region(home: Path) -> None:
    write_koocli(home, profiles=[koocli_profile("default", region="cn-east-3")])
    assert resolve(home, {}, region="cn-north-4").credentials.project_id is None
    assert resolve(home, {}, region="cn-east-3").credentials.project_id == "koo-project"


def test_koocli_encrypted_is_skipped_with_the_hint(home: Path) -> None:
    write_koocli(home, encrypted=True)
    message = config_error(home, {}, region="cn-north-4")
    assert "No credentials found" in message
    assert "encrypted" in message
    assert "hcloud configure set --cli-auth-encrypt=false" in message
    assert_no_secret(message)


def test_koocli_encrypted_falls_through_to_nothing_but_other_sources_still_win(home: Path) -> None:
    write_koocli(home, encrypted=True)
    settings = resolve(home, dict(TF_ENV), region="cn-north-4")
    assert settings.credentials.ak == TF_AK


@pytest.mark.parametrize(
    "raw",
    [
        "{not json",
        "[1, 2, 3]",
        '{"profiles": "oops"}',
        '{"current": "default", "profiles": [42, {"name": 7}]}',
        '{"current": "default", "profiles": [{"name": "default", "mode": "AKSK", "accessKeyId": 5}]}',
        "\udcff",
    ],
)
def test_koocli_malformed_never_crashes(home: Path, raw: str) -> None:
    path = home / ".hcloud" / "config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw.encode("utf-8", "surrogateescape"))
    message = config_error(home, {}, region="cn-north-4")
    assert "No credentials found" in message
    assert "~/.hcloud/config.json" in message


def test_koocli_malformed_is_ignored_when_another_source_exists(home: Path) -> None:
    write_koocli(home, raw="{broken")
    write_sdk_ini(home)
    assert resolve(home, {}, region="cn-north-4").credentials.ak == INI_AK


def test_koocli_non_aksk_mode_is_skipped(home: Path) -> None:
    write_koocli(home, profiles=[koocli_profile("default", mode="SSO")])
    message = config_error(home, {}, region="cn-north-4")
    assert "mode SSO" in message


def test_file_sources_in_order_ini_terraform_koocli(home: Path) -> None:
    ini = write_sdk_ini(home)
    write_koocli(home)
    assert resolve(home, dict(TF_ENV), region="cn-north-4").credentials.ak == INI_AK
    ini.unlink()
    assert resolve(home, dict(TF_ENV), region="cn-north-4").credentials.ak == TF_AK
    assert resolve(home, {}, region="cn-north-4").credentials.ak == KOO_AK


@pytest.mark.parametrize(
    ("choice", "expected_ak"), [("sdk", INI_AK), ("terraform", TF_AK), ("koocli", KOO_AK)]
)
def test_profile_credentials_choice_restricts_the_source(home: Path, choice: str, expected_ak: str) -> None:
    write_sdk_ini(home)
    write_koocli(home)
    write_config(home, f'[profiles.p]\nregion = "cn-north-4"\ncredentials = "{choice}"\n')
    assert resolve(home, dict(TF_ENV), profile="p").credentials.ak == expected_ak


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("env", "SWR_TUI_TOKEN"),
        ("token", "SWR_TUI_TOKEN"),
        ("aksk", "HUAWEICLOUD_SDK_AK"),
        ("sdk", "does not exist"),
        ("terraform", "HW_ACCESS_KEY"),
        ("koocli", "does not exist"),
    ],
)
def test_profile_credentials_choice_without_that_source_is_an_error(
    home: Path, choice: str, expected: str
) -> None:
    write_config(home, f'[profiles.p]\nregion = "cn-north-4"\ncredentials = "{choice}"\n')
    message = config_error(home, {}, profile="p")
    assert "profile 'p'" in message
    assert expected in message


def test_profile_koocli_choice_with_encrypted_file_gives_the_hint(home: Path) -> None:
    write_koocli(home, encrypted=True)
    write_config(home, '[profiles.p]\nregion = "cn-north-4"\ncredentials = "koocli"\n')
    assert "--cli-auth-encrypt=false" in config_error(home, {}, profile="p")


def test_no_credentials_message_names_what_to_set(home: Path) -> None:
    message = config_error(home, {}, region="cn-north-4")
    for name in (
        "SWR_TUI_TOKEN",
        "HUAWEICLOUD_SDK_AK",
        "HUAWEICLOUD_SDK_SK",
        "SWR_TUI_USERNAME",
        "SWR_TUI_DOMAIN",
        "~/.huaweicloud/credentials",
    ):
        assert name in message
    assert "encrypted" not in message


# -- permissions ------------------------------------------------------------------------------------


@posix_only
def test_group_readable_sdk_ini_gives_a_warning(home: Path) -> None:
    write_sdk_ini(home, mode=0o644)
    settings = resolve(home, {}, region="cn-north-4")
    assert settings.credentials.ak == INI_AK
    assert len(settings.warnings) == 1
    assert "~/.huaweicloud/credentials" in settings.warnings[0]
    assert "chmod 600" in settings.warnings[0]


@posix_only
def test_group_readable_koocli_config_gives_a_warning(home: Path) -> None:
    write_koocli(home, mode=0o640)
    settings = resolve(home, {}, region="cn-north-4")
    assert any("~/.hcloud/config.json" in warning for warning in settings.warnings)


@posix_only
def test_private_files_give_no_warning(home: Path) -> None:
    write_sdk_ini(home, mode=0o600)
    assert resolve(home, {}, region="cn-north-4").warnings == ()


# -- password login ---------------------------------------------------------------------------------


def test_password_from_the_environment(home: Path) -> None:
    settings = resolve(home, dict(PASSWORD_ENV), region="cn-north-4")
    credentials = settings.credentials
    assert (credentials.kind, credentials.username, credentials.domain) == ("password", "alice", "acme")
    assert credentials.password == PASSWORD
    assert "SWR_TUI_PASSWORD" in credentials.source
    auth = credentials.auth(settings)
    assert isinstance(auth, PasswordAuth)
    assert auth.iam_endpoint == "https://iam.cn-north-4.myhuaweicloud.com"
    assert auth.project_name == "cn-north-4"
    assert (auth.username, auth.domain) == ("alice", "acme")


def test_password_prompt_is_used_without_swr_tui_password(home: Path) -> None:
    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return PASSWORD

    env = {"SWR_TUI_USERNAME": "alice", "SWR_TUI_DOMAIN": "acme"}
    settings = resolve(home, env, prompt=prompt, region="cn-north-4")
    assert settings.credentials.password == PASSWORD
    assert len(asked) == 1
    assert "alice" in asked[0]
    assert "acme" in asked[0]
    assert "prompt" in settings.credentials.source


def test_password_prompt_is_not_used_when_the_variable_is_set(home: Path) -> None:
    def prompt(text: str) -> str:
        raise AssertionError("must not prompt")

    settings = resolve(home, dict(PASSWORD_ENV), prompt=prompt, region="cn-north-4")
    assert settings.credentials.password == PASSWORD


def test_password_prompt_is_not_used_for_other_credentials(home: Path) -> None:
    def prompt(text: str) -> str:
        raise AssertionError("must not prompt")

    assert resolve(home, dict(AKSK_ENV), prompt=prompt, region="cn-north-4").credentials.kind == "aksk"


def test_password_without_variable_or_terminal_is_an_error(home: Path) -> None:
    message = config_error(home, {"SWR_TUI_USERNAME": "alice", "SWR_TUI_DOMAIN": "acme"}, region="cn-north-4")
    assert "SWR_TUI_PASSWORD" in message


def test_empty_prompt_answer_cancels(home: Path) -> None:
    env = {"SWR_TUI_USERNAME": "alice", "SWR_TUI_DOMAIN": "acme"}
    assert "No password" in config_error(home, env, prompt=lambda text: "", region="cn-north-4")


def test_username_without_domain_names_the_missing_part(home: Path) -> None:
    assert "SWR_TUI_DOMAIN" in config_error(home, {"SWR_TUI_USERNAME": "alice"}, region="cn-north-4")
    assert "SWR_TUI_USERNAME" in config_error(home, {"SWR_TUI_DOMAIN": "acme"}, region="cn-north-4")


def test_username_and_domain_flags_beat_environment_keys(home: Path) -> None:
    env = {**AKSK_ENV, "SWR_TUI_TOKEN": TOKEN, "SWR_TUI_PASSWORD": PASSWORD}
    settings = resolve(home, env, region="cn-north-4", username="bob", domain="acme")
    assert settings.credentials.kind == "password"
    assert settings.credentials.username == "bob"


def test_username_and_domain_from_the_profile(home: Path) -> None:
    write_config(home, '[profiles.p]\nregion = "cn-north-4"\nusername = "carol"\ndomain = "acme"\n')
    settings = resolve(home, {"SWR_TUI_PASSWORD": PASSWORD}, profile="p")
    assert (settings.credentials.kind, settings.credentials.username) == ("password", "carol")


def test_password_login_needs_a_region(home: Path) -> None:
    def prompt(text: str) -> str:
        raise AssertionError("must not prompt before the settings are known to work")

    message = config_error(home, dict(PASSWORD_ENV), prompt=prompt, endpoint="https://swr.example.com")
    assert "region" in message
    assert "--region" in message


def test_iam_endpoint_precedence(home: Path) -> None:
    write_config(home, '[profiles.p]\nregion = "cn-north-4"\niam_endpoint = "iam.profile.example"\n')
    settings = resolve(home, dict(PASSWORD_ENV), profile="p")
    assert settings.iam_endpoint == "https://iam.profile.example"
    env = {**PASSWORD_ENV, "HUAWEICLOUD_SDK_IAM_ENDPOINT": "https://iam.myhuaweicloud.com/"}
    settings = resolve(home, env, profile="p")
    assert settings.iam_endpoint == "https://iam.myhuaweicloud.com"
    auth = settings.credentials.auth(settings)
    assert isinstance(auth, PasswordAuth)
    assert auth.iam_endpoint == "https://iam.myhuaweicloud.com"


def test_plain_http_iam_endpoint_is_refused_for_password_login(home: Path) -> None:
    env = {**PASSWORD_ENV, "HUAWEICLOUD_SDK_IAM_ENDPOINT": "http://iam.example.com"}
    message = config_error(home, env, region="cn-north-4")
    assert "IAM endpoint" in message
    assert "in clear" in message
    assert_no_secret(message)


# -- secrets never shown ----------------------------------------------------------------------------


def _every_kind_of_settings(home: Path) -> Iterator[Settings]:
    yield resolve(home, {"SWR_TUI_TOKEN": TOKEN}, region="cn-north-4")
    yield resolve(
        home,
        {**AKSK_ENV, "HUAWEICLOUD_SDK_SECURITY_TOKEN": STS, "HUAWEICLOUD_SDK_PROJECT_ID": "p"},
        region="cn-north-4",
    )
    yield resolve(home, dict(PASSWORD_ENV), region="cn-north-4")
    yield resolve(home, dict(TF_ENV), region="cn-north-4")
    ini = write_sdk_ini(home, mode=0o644)
    yield resolve(home, {}, region="cn-north-4")
    ini.unlink()
    write_koocli(home, mode=0o644, profiles=[koocli_profile("default", securityToken=STS)])
    yield resolve(home, {}, region="cn-north-4")


def test_secrets_never_appear_in_repr_str_or_label(home: Path) -> None:
    for settings in _every_kind_of_settings(home):
        credentials = settings.credentials
        auth = credentials.auth(settings)
        assert_no_secret(
            settings, credentials, credentials.source, settings.label(), auth, *settings.warnings
        )


def test_secrets_never_appear_in_error_messages(home: Path) -> None:
    loaded = {
        **AKSK_ENV,
        "HUAWEICLOUD_SDK_SECURITY_TOKEN": STS,
        "SWR_TUI_PASSWORD": PASSWORD,
        "HW_ACCESS_KEY": TF_AK,
    }
    messages = [
        config_error(home, {**loaded, "SWR_TUI_TOKEN": TOKEN}),  # no region
        config_error(home, {**loaded, "SWR_TUI_TOKEN": TOKEN}, endpoint="http://swr.example.com"),
        config_error(home, {"HUAWEICLOUD_SDK_AK": AK}, region="cn-north-4"),
        config_error(home, {"HUAWEICLOUD_SDK_SK": SK}, region="cn-north-4"),
        config_error(home, {"HW_SECRET_KEY": TF_SK}, region="cn-north-4"),
        config_error(home, {"SWR_TUI_USERNAME": "alice", "SWR_TUI_PASSWORD": PASSWORD}, region="cn-north-4"),
        config_error(home, dict(PASSWORD_ENV), endpoint="https://swr.example.com"),
    ]
    write_koocli(home, encrypted=True, profiles=[koocli_profile("default")])
    messages.append(config_error(home, {}, region="cn-north-4"))
    write_sdk_ini(home, f"[basic]\nak {INI_AK}\nsk = {INI_SK}\n")
    messages.append(config_error(home, {}, region="cn-north-4"))
    assert_no_secret(*messages)


def test_credentials_repr_and_str_leave_secrets_out() -> None:
    credentials = Credentials(
        kind="aksk", source="test", ak=AK, sk=SK, security_token=STS, project_id="p", username=None
    )
    assert_no_secret(repr(credentials), str(credentials), f"{credentials}", f"{credentials!r}")
    assert "project_id='p'" in repr(credentials)
    password = Credentials(kind="password", source="t", username="u", domain="d", password=PASSWORD)
    assert_no_secret(repr(password), str(password))


def test_credentials_refuse_an_unknown_kind_or_missing_secret() -> None:
    with pytest.raises(ConfigurationError):
        Credentials(kind="magic", source="test")
    with pytest.raises(ConfigurationError) as caught:
        Credentials(kind="aksk", source="test", ak=AK)
    assert "sk" in str(caught.value)
    assert_no_secret(str(caught.value))


# -- build_client -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "auth_class"),
    [({"SWR_TUI_TOKEN": TOKEN}, TokenAuth), (AKSK_ENV, AkSkAuth), (PASSWORD_ENV, PasswordAuth)],
)
async def test_build_client_has_the_endpoint_and_auth(
    home: Path, env: dict[str, str], auth_class: type
) -> None:
    settings = resolve(home, dict(env), region="cn-north-4", timeout=4.0)
    client = build_client(settings)
    try:
        assert client.endpoint == "https://swr-api.cn-north-4.myhuaweicloud.com"
        assert isinstance(client._http.auth, auth_class)
        assert client.auth_kind == auth_class.kind
        assert client._http.timeout.read == 4.0
    finally:
        await client.aclose()


async def test_build_client_sends_through_the_given_transport(home: Path) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"namespaces": []})

    settings = resolve(home, {"SWR_TUI_TOKEN": TOKEN}, endpoint="http://127.0.0.1:9")
    async with build_client(settings, transport=httpx.MockTransport(answer)) as client:
        assert await client.list_namespaces() == []
    assert seen[0].url.host == "127.0.0.1"
    assert seen[0].headers["X-Auth-Token"] == TOKEN


# -- [watch] and [commands] ---------------------------------------------------------------------------


def test_watch_interval_is_read_from_the_config(home: Path) -> None:
    write_config(home, "[watch]\ninterval = 45\n")
    assert load_profiles({}, home).watch_interval_s == 45.0
    write_config(home, '[profiles.p]\nregion = "cn-north-4"\n')
    assert load_profiles({}, home).watch_interval_s is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("watch = 5\n", "watch must be a table"),
        ("[watch]\ninterval = 'soon'\n", r"\[watch\] interval must be a number of seconds"),
        ("[watch]\ninterval = true\n", "must be a number of seconds"),
        ("[watch]\ninterval = 0.5\n", r"is 0.5 s; the least is 2 s"),
        ("[watch]\nevery = 5\n", "unknown key 'every' in \\[watch\\]"),
        ("[colours]\nx = 1\n", "unknown top-level key 'colours'.*\\[watch\\] and \\[commands.NAME\\]"),
    ],
)
def test_a_bad_watch_table_is_a_clear_error(home: Path, text: str, message: str) -> None:
    write_config(home, text)
    with pytest.raises(ConfigurationError, match=message):
        load_profiles({}, home)


def test_a_region_from_flag_or_environment_beats_the_profiles_endpoint(home: Path) -> None:
    write_config(home, '[profiles.p]\nendpoint = "swr.profile.example"\nregion = "cn-north-4"\n')
    env = {"SWR_TUI_TOKEN": TOKEN}
    settings = resolve(home, env, profile="p", region="cn-south-1")
    assert (settings.endpoint, settings.region) == (
        "https://swr-api.cn-south-1.myhuaweicloud.com",
        "cn-south-1",
    )
    settings = resolve(home, {**env, "SWR_TUI_REGION": "cn-east-3"}, profile="p")
    assert settings.endpoint == "https://swr-api.cn-east-3.myhuaweicloud.com"
    settings = resolve(home, {**env, "HW_REGION_NAME": "cn-east-3"}, profile="p")
    assert settings.endpoint == "https://swr.profile.example"  # the profile outranks Terraform's region


def test_the_profiles_endpoint_gives_way_only_to_a_different_region_and_says_so(home: Path) -> None:
    write_config(
        home,
        '[profiles.p]\nendpoint = "swr.profile.example"\nregion = "cn-north-4"\n\n'
        '[profiles.vpc]\nendpoint = "swr.vpc.example"\n',
    )
    env = {"SWR_TUI_TOKEN": TOKEN}
    settings = resolve(home, env, profile="p", region="cn-south-1")
    assert settings.warnings == (
        "--region cn-south-1 differs from the region of profile 'p' (cn-north-4), so its endpoint "
        "swr.profile.example is not used",
    )
    same = resolve(home, env, profile="p", region="cn-north-4")
    assert (same.endpoint, same.warnings) == ("https://swr.profile.example", ())
    # A profile with an endpoint and no region: the region only scopes the login.
    vpc = resolve(home, {**env, "SWR_TUI_REGION": "cn-south-1"}, profile="vpc")
    assert (vpc.endpoint, vpc.region) == ("https://swr.vpc.example", "cn-south-1")


def test_the_label_names_the_region_when_its_standard_endpoint_is_used(home: Path) -> None:
    env = {"SWR_TUI_TOKEN": TOKEN}
    settings = resolve(
        home, env, region="cn-south-1", endpoint="https://swr-api.cn-south-1.myhuaweicloud.com"
    )
    assert settings.label() == "cn-south-1"
    settings = resolve(home, env, region="cn-south-1", endpoint="https://swr.private.example")
    assert settings.label() == "swr.private.example"


def test_an_endless_koocli_file_is_reported_not_read_to_the_end(home: Path) -> None:
    folder = home / ".hcloud"
    folder.mkdir(exist_ok=True)
    (folder / "config.json").symlink_to("/dev/zero")
    write_config(home, '[profiles.p]\nregion = "cn-north-4"\ncredentials = "koocli"\n')
    message = config_error(home, {}, profile="p")
    assert message == (
        "profile 'p' (credentials = 'koocli'): KooCLI's ~/.hcloud/config.json was ignored: it cannot be "
        "read (it is larger than 1 MiB, so not a settings file)"
    )
    assert "larger than 1 MiB" in config_error(home, {}, region="cn-north-4")  # as a fallback, a note


def test_a_keys_table_is_the_apps_to_check_not_a_settings_warning(home: Path) -> None:
    write_config(home, '[keys]\ncopy_path = "x"\nno_such_action = "y"\n')
    settings = resolve(home, {"SWR_TUI_TOKEN": TOKEN}, region="cn-north-4")
    assert settings.warnings == ()  # the app's action registry checks [keys] (tests/ui/test_actions.py)


def test_no_keys_table_no_warning(home: Path) -> None:
    write_config(home, "[watch]\ninterval = 30\n")
    assert resolve(home, {"SWR_TUI_TOKEN": TOKEN}, region="cn-north-4").warnings == ()
