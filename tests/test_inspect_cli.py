"""``swr-tui inspect`` and ``swr-tui cache`` over real loopback HTTP against the fake registry (its
management API and data plane on one address), and on the embedded demo."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from fault_rules import arm

from swr_tui.cli import main
from swr_tui.fake import DEMO_AK, DEMO_SK, DEMO_TOKEN, FakeRegistry
from swr_tui.fake.credentials import DEMO_REGION
from swr_tui.fake.data_plane_routes import BLOB, MANIFEST, TOKEN
from swr_tui.fake.routes import CONFIG

INSPECT_KEYS = ["reference", "digest", "media_type", "platforms", "config", "history", "signatures"]
CONFIG_KEYS = [
    "os",
    "architecture",
    "entrypoint",
    "cmd",
    "env",
    "user",
    "working_dir",
    "exposed_ports",
    "volumes",
    "labels",
]
HISTORY_KEYS = ["created", "created_by", "empty_layer", "layer_digest", "layer_size"]


class Run:
    def __init__(self, *argv: str) -> None:
        out, err = io.StringIO(), io.StringIO()
        self.code = main(list(argv), out=out, err=err)
        self.out, self.err = out.getvalue(), err.getvalue()
        for secret in (DEMO_TOKEN, DEMO_SK):
            assert secret not in self.out + self.err

    def json(self) -> Any:
        assert self.code == 0, self.err
        return json.loads(self.out)


@pytest.fixture
def registry() -> FakeRegistry:
    """The shared ``live`` server, on a registry whose images have real config blobs."""
    return FakeRegistry(seed=0, real_configs=True)


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder / "swr-tui" / "content"


@pytest.fixture
def real(live: str, monkeypatch: pytest.MonkeyPatch, cache_home: Path) -> tuple[str, ...]:
    """A real session's options: AK/SK (so the registry login is the long-term one, no request)."""
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", DEMO_AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", DEMO_SK)
    return ("--region", DEMO_REGION, "--endpoint", live, "--registry-endpoint", live)


def test_json_has_the_keys_the_issue_lists_with_real_fields(real: tuple[str, ...]) -> None:
    record = Run("inspect", "acme/webapp:v2.4.1", "-o", "json", *real).json()
    assert list(record) == INSPECT_KEYS
    assert record["reference"] == "acme/webapp:v2.4.1"
    assert record["media_type"] == "application/vnd.oci.image.index.v1+json"
    assert record["digest"].startswith("sha256:")
    labels = [(item["os"], item["architecture"], item["attestation"]) for item in record["platforms"]]
    assert labels[:3] == [("linux", "amd64", False), ("linux", "arm64", False), ("linux", "arm", False)]
    assert [item["shown"] for item in record["platforms"]][:2] == [True, False]
    config = record["config"]
    assert list(config) == CONFIG_KEYS
    assert (config["os"], config["architecture"], config["user"]) == ("linux", "amd64", "app")
    assert config["entrypoint"] == ["/app/bin/server"]
    assert config["exposed_ports"] == ["8080/tcp"]
    assert "APP_ENV=production" in config["env"]
    assert all(list(step) == HISTORY_KEYS for step in record["history"])
    building = [step for step in record["history"] if not step["empty_layer"]]
    assert building
    assert all(step["layer_digest"].startswith("sha256:") and step["layer_size"] > 0 for step in building)
    assert all(step["layer_digest"] is None for step in record["history"] if step["empty_layer"])
    assert record["history"][0]["created_by"].startswith("/bin/sh -c #(nop) ADD")  # kept as sent
    [signature] = record["signatures"]
    assert signature["kind"] == "signature"
    assert signature["source"] == "accessories"
    assert signature["tag"] == "sha256-" + record["digest"][len("sha256:") :] + ".sig"


def test_table_reads_top_to_bottom(real: tuple[str, ...]) -> None:
    result = Run("inspect", "acme/webapp:v2.4.1", "--platform", "linux/arm64", *real)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    headings = [line for line in lines if line and not line.startswith(" ") and " " not in line.strip()]
    assert headings == ["Config", "Signatures"]
    assert lines[0] == "Reference    acme/webapp:v2.4.1"
    assert any(line.startswith("  * linux/arm64 ") for line in lines)
    order = [
        next(i for i, line in enumerate(lines) if line.startswith(f"  {label}"))
        for label in ("Platform", "Command", "User", "Working dir", "Ports", "Volumes", "Env", "Labels")
    ]
    assert order == sorted(order)
    assert "  Platform     linux/arm64" in lines
    assert "  Command      /app/bin/server --port 8080" in lines
    history = lines.index(next(line for line in lines if line.startswith("History (")))
    assert lines[history + 1].startswith("  ADD file:4f1c2a9b0e3d in /")
    assert lines[history + 2].startswith('  CMD ["/bin/sh"]')
    assert lines[history + 2].endswith("(no layer)")
    total = next(line for line in lines if line.startswith("  Total "))
    assert total.split()[-2:][1] in ("KiB", "MiB")
    assert any("(from accessories)" in line for line in lines)


def test_the_second_run_costs_nothing_but_the_tag_and_no_cache_asks_again(
    real: tuple[str, ...], registry: FakeRegistry, cache_home: Path
) -> None:
    first = Run("inspect", "acme/webapp:v1.4.0", "-o", "json", *real).json()
    counted = (registry.count(MANIFEST), registry.count(BLOB))
    assert counted == (1, 1)
    assert cache_home.is_dir()
    second = Run("inspect", "acme/webapp:v1.4.0", "-o", "json", *real).json()
    assert second == first
    assert (registry.count(MANIFEST), registry.count(BLOB)) == counted
    Run("inspect", "acme/webapp:v1.4.0", "-o", "json", "--no-cache", *real).json()
    assert (registry.count(MANIFEST), registry.count(BLOB)) == (2, 2)


def test_a_single_arch_tag_from_the_management_api_or_the_registry_when_it_is_missing(
    real: tuple[str, ...], registry: FakeRegistry
) -> None:
    management = Run("inspect", "acme/webapp:v1.2.0", "-o", "json", "--no-cache", *real).json()
    assert (registry.count(CONFIG), registry.count(MANIFEST)) == (1, 0)
    arm(registry, "config:config-missing")
    fallback = Run("inspect", "acme/webapp:v1.2.0", "-o", "json", "--no-cache", *real).json()
    assert (registry.count(TOKEN), registry.count(MANIFEST), registry.count(BLOB)) == (1, 1, 1)
    assert fallback["config"]["os"] == management["config"]["os"] == "linux"
    assert all(list(step) == HISTORY_KEYS for step in fallback["history"])


def test_a_list_without_registry_credentials_exits_1_saying_what_to_give(
    live: str, monkeypatch: pytest.MonkeyPatch, cache_home: Path
) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    result = Run("inspect", "acme/webapp:v2.4.1", "--endpoint", live)
    assert result.code == 1
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert "acme/webapp:v2.4.1" in result.err
    assert "--registry-endpoint" in result.err


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (("inspect", "acme/webapp:v2.4.1", "--platform", "amd64"), 2, "os/architecture[/variant]"),
        (("--platform", "linux/AMD64", "inspect", "acme/webapp:v2.4.1"), 2, "lower case"),
        (("inspect", "acme/webapp:v2.4.1", "--platform", "linux/s390x"), 1, "has no linux/s390x platform"),
        (("inspect", "acme/webapp:v1.2.0", "--platform", "linux/arm64"), 1, "single-platform image"),
        (("inspect", "acme/webapp"), 2, "is not NAMESPACE/REPO:TAG"),
        (("inspect", "acme/webapp:nope"), 1, "nope"),
        (("inspect", "acme/webapp:v2.4.1", "-o", "csv"), 2, "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_the_usual_exit_code(
    argv: tuple[str, ...], code: int, message: str, cache_home: Path
) -> None:
    result = Run(*argv, "--demo")
    assert result.code == code
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert "Traceback" not in result.err
    assert message in result.err


def test_the_demo_inspects_every_platform_without_credentials(cache_home: Path) -> None:
    record = Run("--demo", "--platform", "linux/arm/v7", "inspect", "acme/webapp:latest", "-o", "json").json()
    assert (record["config"]["architecture"], record["config"]["os"]) == ("arm", "linux")
    assert record["signatures"][0]["source"] == "accessories"


def test_hostile_text_is_scrubbed_in_the_table_and_kept_in_json(
    real: tuple[str, ...], registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    import swr_tui.fake.api as fake_api

    hostile = "\x1b]52;c;ZXZpbA==\x07\u202eevil\x1b[2J"
    original = fake_api.image_config

    def poisoned(*args: Any) -> dict[str, Any]:
        config = original(*args)
        config["config"]["Env"] = [f"HOSTILE={hostile}"]
        config["config"]["Labels"] = {"x": hostile}
        config["history"][0]["created_by"] = hostile
        return config

    monkeypatch.setattr(fake_api, "image_config", poisoned)
    table = Run("inspect", "acme/webapp:v1.2.0", "--no-cache", *real)
    assert table.code == 0, table.err
    assert not any(raw in table.out for raw in ("\x1b", "\u202e", "\x07"))
    assert "HOSTILE=\\x1b]52;c;ZXZpbA==\\x07\\u202eevil\\x1b[2J" in table.out
    record = Run("inspect", "acme/webapp:v1.2.0", "--no-cache", "-o", "json", *real)
    assert "\x1b" not in record.out
    data = record.json()
    assert data["config"]["env"] == [f"HOSTILE={hostile}"]
    assert data["config"]["labels"] == {"x": hostile}
    assert data["history"][0]["created_by"] == hostile


# -- cache info / clear ---------------------------------------------------------------------------


def test_cache_info_and_clear(
    real: tuple[str, ...], cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = Run("cache", "info", "-o", "json").json()
    assert empty == {"path": str(cache_home), "entries": 0, "bytes": 0, "max_bytes": 200 * 1024 * 1024}
    Run("inspect", "acme/webapp:v1.4.0", "-o", "json", *real).json()
    filled = Run("cache", "info", "-o", "json").json()
    assert filled["entries"] == 3  # the platform's manifest and config, the tag's accessories
    assert filled["bytes"] > 0
    table = Run("cache", "info")
    assert table.out.splitlines()[:2] == [f"Path     {cache_home}", "Entries  3"]
    config = tmp_path / "config.toml"
    config.write_text("[cache]\nmax_mb = 5\n")
    monkeypatch.setenv("SWR_TUI_CONFIG", str(config))
    assert Run("cache", "info", "-o", "json").json()["max_bytes"] == 5 * 1024 * 1024
    cleared = Run("cache", "clear")
    assert (cleared.code, cleared.out) == (0, f"Removed 3 entries from {cache_home}\n")
    assert Run("cache", "info", "-o", "json").json()["entries"] == 0


def test_cache_needs_a_subcommand(cache_home: Path) -> None:
    result = Run("cache")
    assert result.code == 2
    assert "info|clear" in result.err or "required" in result.err


def test_max_mb_zero_turns_the_cache_off(
    real: tuple[str, ...],
    registry: FakeRegistry,
    cache_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[cache]\nmax_mb = 0\n[ui]\nplatform = "linux/arm64"\n')
    monkeypatch.setenv("SWR_TUI_CONFIG", str(config))
    for _ in range(2):
        record = Run("inspect", "acme/webapp:v1.4.0", "-o", "json", *real).json()
        assert record["config"]["architecture"] == "arm64"  # [ui] platform
    assert (registry.count(MANIFEST), registry.count(BLOB)) == (2, 2)
    assert not cache_home.exists()


# -- the TUI is given an Inspector ----------------------------------------------------------------


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, dict[str, Any]]]:
    from swr_tui.ui import app as app_module

    calls: list[tuple[Any, dict[str, Any]]] = []

    def record(client: Any, **options: Any) -> int:
        import asyncio

        calls.append((client, options))

        async def close() -> None:
            await options["inspector"].aclose()
            await client.aclose()

        asyncio.run(close())
        return 0

    monkeypatch.setattr(app_module, "run_app", record)
    return calls


def test_the_demo_tui_gets_an_inspector_on_its_own_data_plane(
    launched: list[tuple[Any, dict[str, Any]]],
    cache_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from swr_tui.fake.demo_plane import DEMO_REGISTRY_ENDPOINT
    from swr_tui.inspection import Inspector

    assert Run("--demo").code == 0
    client, options = launched[-1]
    inspector = options["inspector"]
    assert isinstance(inspector, Inspector)
    assert inspector.client is client
    assert inspector.registry is not None
    assert inspector.registry.endpoint == DEMO_REGISTRY_ENDPOINT
    assert inspector.cache is not None
    assert inspector.cache.path == cache_home
    assert inspector.platform is None
    config = tmp_path / "config.toml"
    config.write_text('[ui]\nplatform = "linux/arm/v7"\n[cache]\nmax_mb = 3\n')
    monkeypatch.setenv("SWR_TUI_CONFIG", str(config))
    assert Run("--demo").code == 0
    from_file = launched[-1][1]["inspector"]
    assert (from_file.platform, from_file.cache.max_bytes) == ("linux/arm/v7", 3 * 1024 * 1024)
    assert Run("--demo", "--no-cache", "--platform", "linux/arm64").code == 0
    flagged = launched[-1][1]["inspector"]
    assert (flagged.platform, flagged.cache) == ("linux/arm64", None)


def test_the_real_tui_gets_an_inspector_built_from_its_settings(
    launched: list[tuple[Any, dict[str, Any]]], cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    assert Run("--region", "cn-south-1", "--platform", "linux/arm64").code == 0
    client, options = launched[-1]
    inspector = options["inspector"]
    assert inspector.client is client
    assert inspector.registry.endpoint == "https://swr.cn-south-1.myhuaweicloud.com"
    assert inspector.platform == "linux/arm64"
    assert DEMO_TOKEN not in repr(options)


def test_a_bad_platform_for_the_tui_is_a_usage_error(launched: list[tuple[Any, dict[str, Any]]]) -> None:
    result = Run("--demo", "--platform", "linux")
    assert result.code == 2
    assert "os/architecture[/variant]" in result.err
    assert launched == []


def test_a_token_session_reads_the_platforms_with_a_temporary_login(
    live: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch, cache_home: Path
) -> None:
    from swr_tui.fake.data_plane_routes import SECRET

    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    argv = ("--region", DEMO_REGION, "--endpoint", live, "--registry-endpoint", live)
    record = Run("inspect", "acme/webapp:v2.4.1", "-o", "json", *argv).json()
    assert record["config"]["architecture"] == "amd64"
    assert registry.count(SECRET) == 1
    assert {request.method for request in registry.requests} == {"GET", "POST"}
    posts = [request.route for request in registry.requests if request.method == "POST"]
    assert posts == [SECRET]
