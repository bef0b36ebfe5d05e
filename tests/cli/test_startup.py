"""The TUI's start (issue 14): what it does not import, the collector paused until the app returns,
the trust store read ahead on a thread with exactly httpx's own result."""

from __future__ import annotations

import gc
import io
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from swr_tui.cli import main
from swr_tui.cli.startup import CollectorPause, TlsPreload
from swr_tui.fake import DEMO_TOKEN

# What the first frame needs (swr_tui.ui.app and what cmd_tui imports on a real session's path).
START_PATH = (
    "swr_tui.cli",
    "swr_tui.cli.tui",
    "swr_tui.ui.app",
    "swr_tui.settings.resolve",
    "swr_tui.settings.inspector_setup",
    "swr_tui.settings.profiles",
)
# ...and what it must not import: httpx's command line and its libraries, the clipboard library,
# the screens and features a first frame does not show, the headless commands' output.
NOT_ON_THE_START_PATH = (
    "click",
    "pygments",
    "rich.progress",
    "rich.syntax",
    "pyperclip",
    "tomlkit",
    "swr_tui.export",
    "swr_tui.output",
    "swr_tui.swr.diff",
    "swr_tui.swr.governance_api",
    "swr_tui.ui.screens.help",
    "swr_tui.ui.screens.diff",
    "swr_tui.ui.screens.history",
    "swr_tui.ui.screens.vulnerabilities",
    "swr_tui.swr.enterprise.client",
    "swr_tui.swr.enterprise.scans",
    "swr_tui.inspection.enterprise",
    # external commands: their rules and the suspend-and-run, with the first command run
    "swr_tui.commands.model",
    "swr_tui.commands.runner",
    "swr_tui.ui.external",
)


def test_the_start_path_leaves_out_what_the_first_frame_does_not_need() -> None:
    code = "import sys\n" + "".join(f"import {name}\n" for name in START_PATH)
    code += "print('\\n'.join(name for name, module in sys.modules.items() if module is not None))"
    done = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = set(done.stdout.split())
    assert set(START_PATH) <= loaded  # the probe did import the start path
    assert "httpx" in loaded
    assert "textual.app" in loaded
    assert sorted(name for name in NOT_ON_THE_START_PATH if name in loaded) == []


def test_httpx_still_offers_its_main_when_its_command_line_is_skipped() -> None:
    code = "import swr_tui, httpx, sys; print(callable(httpx.main), sys.modules['httpx._main'])"
    done = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == ["True", "None"]


# -- the collector ------------------------------------------------------------------------------


@pytest.fixture
def collector_on() -> Any:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_pauses_until_resumed(collector_on: None) -> None:
    pause = CollectorPause(max_s=60.0)
    pause.pause()
    assert not gc.isenabled()
    assert pause.paused
    pause.resume()
    assert gc.isenabled()
    assert not pause.paused
    pause.resume()  # twice is harmless
    assert gc.isenabled()


def test_the_collector_resumes_by_itself_after_the_longest_pause(collector_on: None) -> None:
    pause = CollectorPause(max_s=0.001)
    pause.pause()
    timer = pause._timer
    assert timer is not None
    timer.join(5)
    assert gc.isenabled()
    assert not pause.paused


def test_a_collector_someone_else_turned_off_stays_off(collector_on: None) -> None:
    gc.disable()
    pause = CollectorPause(max_s=60.0)
    pause.pause()
    pause.resume()
    assert not gc.isenabled()
    assert not pause.paused


def test_the_tui_runs_with_the_collector_paused_and_gives_it_back(
    collector_on: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from swr_tui.ui import app as app_module

    seen: list[Any] = []

    def record(client: Any, **options: Any) -> None:
        import asyncio

        seen.append((gc.isenabled(), client._http._transport._pool._ssl_context))
        asyncio.run(client.aclose())

    monkeypatch.setattr(app_module, "run_app", record)
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    err = io.StringIO()
    assert main(["--region", "cn-south-1"], out=io.StringIO(), err=err) == 0, err.getvalue()
    [(collecting, context)] = seen
    assert collecting is False
    assert gc.isenabled()
    # The client got the context read ahead, with httpx's own settings and the same trust store.
    reference = httpx.create_ssl_context()
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.cert_store_stats() == reference.cert_store_stats()


# -- the trust store read ahead ------------------------------------------------------------------


def test_the_trust_store_read_ahead_is_httpx_s_own() -> None:
    context = TlsPreload(True).result()
    reference = httpx.create_ssl_context(verify=True, trust_env=True)
    assert isinstance(context, ssl.SSLContext)
    assert (context.verify_mode, context.check_hostname, context.options, context.minimum_version) == (
        reference.verify_mode,
        reference.check_hostname,
        reference.options,
        reference.minimum_version,
    )
    assert context.cert_store_stats() == reference.cert_store_stats()
    assert context.cert_store_stats()["x509_ca"] > 10


def test_the_read_ahead_follows_ssl_cert_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import certifi

    bundle = tmp_path / "one.pem"
    pem = Path(certifi.where()).read_text()
    bundle.write_text(pem[: pem.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")] + "\n")
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    context = TlsPreload(True).result()
    assert isinstance(context, ssl.SSLContext)
    assert context.cert_store_stats()["x509_ca"] == 1


def test_a_trust_store_that_cannot_be_read_is_left_to_httpx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    assert TlsPreload(True).result() is True  # httpx then raises its own error, as before
    with pytest.raises(FileNotFoundError):
        httpx.AsyncClient(verify=True)


def test_other_verify_values_pass_through_untouched() -> None:
    context = ssl.create_default_context()
    assert TlsPreload(False).result() is False
    assert TlsPreload(context).result() is context


def test_a_headless_command_gets_the_trust_store_read_ahead(
    live: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from swr_tui.settings import resolve

    given: list[Any] = []
    build_client = resolve.build_client

    def recording(settings: Any, *args: Any, **kwargs: Any) -> Any:
        given.append(kwargs.get("verify"))
        return build_client(settings, *args, **kwargs)

    monkeypatch.setattr(resolve, "build_client", recording)
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    out, err = io.StringIO(), io.StringIO()
    assert main(["namespaces", "--endpoint", live, "--output", "json"], out=out, err=err) == 0, err.getvalue()
    assert "acme" in out.getvalue()
    [verify] = given
    assert isinstance(verify, ssl.SSLContext)
    assert verify.cert_store_stats() == httpx.create_ssl_context().cert_store_stats()
