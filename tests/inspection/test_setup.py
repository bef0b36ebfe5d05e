"""``build_inspector``: one place that builds a real session's Inspector from its settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from swr_tui.settings.inspector_setup import build_inspector, open_cache
from swr_tui.settings.model import CliOptions
from swr_tui.settings.resolve import build_client, resolve_settings
from swr_tui.swr.errors import ConfigurationError


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    path.write_text('[cache]\nmax_mb = 7\n[ui]\nplatform = "linux/arm64"\n')
    monkeypatch.setenv("SWR_TUI_CONFIG", str(path))
    monkeypatch.setenv("SWR_TUI_TOKEN", "MIItoken-for-the-setup-test")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return path


async def test_a_region_gives_a_registry_the_config_sizes_the_cache_and_picks_the_platform(
    config: Path, tmp_path: Path
) -> None:
    settings = resolve_settings(CliOptions(region="cn-north-4"))
    async with build_client(settings) as client:
        inspector = build_inspector(settings, client)
        assert inspector.registry is not None
        assert inspector.registry.endpoint == "https://swr.cn-north-4.myhuaweicloud.com"
        assert inspector.cache is not None
        assert inspector.cache.max_bytes == 7 * 1024 * 1024
        assert inspector.cache.path == tmp_path / "xdg" / "swr-tui" / "content"
        assert inspector.platform == "linux/arm64"
        flagged = build_inspector(settings, client, no_cache=True, platform="linux/arm/v7")
        assert (flagged.cache, flagged.platform) == (None, "linux/arm/v7")
        await inspector.aclose()
        await flagged.aclose()
        assert client.auth is not None
        assert client.auth is client._auth


async def test_an_endpoint_without_a_region_has_no_data_plane(config: Path) -> None:
    settings = resolve_settings(CliOptions(endpoint="https://swr-api.example.test"))
    async with build_client(settings) as client:
        assert build_inspector(settings, client).registry is None


def test_open_cache() -> None:
    assert open_cache(0) is None
    assert open_cache(None, no_cache=True) is None
    cache = open_cache(None)
    assert cache is not None
    assert cache.max_bytes == 200 * 1024 * 1024
    with pytest.raises(ConfigurationError, match="max_mb"):
        open_cache(-3)


async def test_no_secret_in_the_inspectors_repr(config: Path) -> None:
    settings = resolve_settings(CliOptions(region="cn-north-4"))
    async with build_client(settings) as client:
        inspector = build_inspector(settings, client)
        shown = repr(inspector)
        await inspector.aclose()
    assert "MIItoken-for-the-setup-test" not in shown
    assert "swr.cn-north-4.myhuaweicloud.com" in shown
