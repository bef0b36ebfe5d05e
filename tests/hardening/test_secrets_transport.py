"""Issue #4, secrets and transport: no secret in any output, private credential files, TLS verified by
default, plain http only to loopback hosts, and not one request that could change the registry.

Every leak check captures everything a run produced (stdout and stderr of ``cli.main`` and of a real
``python -m swr_tui`` process, every log record at DEBUG including httpx/httpcore, str/repr and the
full traceback of every error, reprs of the settings and auth objects, the app's toasts, its
screenshot, the bytes it wrote to the terminal and Textual's own log file) and then searches all of
it for each secret, raw and base64-encoded. The fake registry accepts only its DEMO_* credentials,
so the "accepted" runs use those (and search for them), the "rejected" runs use the probes below.
"""

from __future__ import annotations

import ast
import asyncio
import base64
import contextlib
import getpass
import html
import io
import json
import logging
import os
import re
import shutil
import ssl
import stat
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Optional

import pytest
import textual.constants
from app_harness import AppUI, RecordingClipboard, launch
from textual.command import CommandPalette
from textual.widgets._header import HeaderTitle

from swr_tui.cli import main
from swr_tui.cli.parser import build_parser
from swr_tui.fake import (
    DEMO_AK,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_REGION,
    DEMO_SK,
    DEMO_TOKEN,
    DEMO_USER,
    FakeRegistry,
    FaultRule,
)
from swr_tui.fake.loopback import _Server
from swr_tui.settings.model import CliOptions
from swr_tui.settings.resolve import build_client, resolve_settings
from swr_tui.swr.auth import AkSkAuth, PasswordAuth, TokenAuth
from swr_tui.swr.client import SwrClient
from swr_tui.swr.errors import SwrError, TransportError
from swr_tui.swr.retry import RetryPolicy
from swr_tui.ui import app as app_module
from swr_tui.ui.app import SwrApp

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE = REPO_ROOT / "swr_tui"

AK_PROBE = "AKIDSECRETPROBE0001"
SK_PROBE = "SK-secret-probe-7c41d2e9b05a"
TOKEN_PROBE = "TOKEN-secret-probe-5b93a0f1c6"
PASSWORD_PROBE = "pw-secret-probe-e2d17c84"
STS_PROBE = "STS-secret-probe-0a6f3b5d19"
ISSUED_PROBE = "TOKEN-issued-secret-probe-44c2"  # a token "IAM" issues in the echo tests

KINDS = ("token", "aksk", "password")
INSECURE_WARNING = "TLS NOT VERIFIED"
NO_CHANGE_METHODS = frozenset({"GET"})
IAM_LOGIN_PATH = "/v3/auth/tokens"
CREATE_SECRET_PATH = "/v2/manage/utils/secret"
LOGGERS = ("", "httpx", "httpcore", "asyncio", "textual", "swr_tui")
posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")


# -- what a run produced -----------------------------------------------------------------------------


def b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


class Evidence:
    """Every text a run produced, each with where it came from."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []

    def add(self, where: str, value: object) -> None:
        self.texts.append((where, value if isinstance(value, str) else repr(value)))

    def add_error(self, where: str, error: BaseException) -> None:
        self.add(f"str({where})", str(error))
        self.add(f"repr({where})", repr(error))
        self.add(f"args of {where}", error.args)
        self.add(f"traceback of {where}", "".join(traceback.format_exception_only(type(error), error)))

    def add_chain(self, where: str, error: BaseException) -> None:
        """The full traceback as Python prints it, chained causes and contexts included."""
        self.add(f"full traceback of {where}", "".join(_format_exception(error)))

    def add_logs(self, caplog: pytest.LogCaptureFixture, response_headers: bool = False) -> None:
        """Every log record; httpcore's trace of response headers only when asked for, because it
        shows the token IAM issues (see test_the_token_iam_issues_stays_out_of_debug_logs)."""
        for record in caplog.records:
            if not response_headers and record.getMessage().startswith(_RESPONSE_HEADERS_TRACE):
                continue
            self.add(f"log record {record.name}", f"{record.getMessage()} args={record.args!r}")
            if record.exc_info and record.exc_info[1] is not None:
                self.add(f"log traceback {record.name}", "".join(_format_exception(record.exc_info[1])))

    def add_warnings(self, recwarn: pytest.WarningsRecorder) -> None:
        for warning in recwarn.list:
            self.add("python warning", f"{warning.category.__name__}: {warning.message}")

    def joined(self) -> str:
        return "\n".join(text for _, text in self.texts)

    def leaks(self, secrets: tuple[str, ...]) -> list[str]:
        found = []
        for secret in dict.fromkeys(secret for secret in secrets if secret):
            for form, shown in ((secret, "raw"), (b64(secret), "base64")):
                for where, text in self.texts:
                    if form in text:
                        found.append(f"{secret!r} ({shown}) in {where}")
        return found

    def assert_clean(self, *secrets: str) -> None:
        assert self.texts, "nothing was captured"
        leaks = self.leaks(secrets)
        assert not leaks, "secrets leaked:\n" + "\n".join(leaks)


_RESPONSE_HEADERS_TRACE = "receive_response_headers.complete"


def _format_exception(error: BaseException) -> list[str]:
    return traceback.format_exception(type(error), error, error.__traceback__)


def debug_logging(caplog: pytest.LogCaptureFixture) -> None:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)


class CliRun:
    def __init__(self, argv: list[str], evidence: Optional[Evidence] = None) -> None:
        out, err = io.StringIO(), io.StringIO()
        self.argv = argv
        self.code = main(argv, out=out, err=err)
        self.out, self.err = out.getvalue(), err.getvalue()
        if evidence is not None:
            evidence.add(f"stdout of swr-tui {' '.join(argv)}", self.out)
            evidence.add(f"stderr of swr-tui {' '.join(argv)}", self.err)


def run_cli(*argv: str, evidence: Optional[Evidence] = None) -> CliRun:
    return CliRun(list(argv), evidence)


def run_process(
    *argv: str, env: dict[str, str], cwd: Path, evidence: Optional[Evidence] = None
) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ)
    full_env.update(env)
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), full_env.get("PYTHONPATH")]))
    done = subprocess.run(  # noqa: S603 - this interpreter with fixed arguments
        [sys.executable, "-m", "swr_tui", *argv],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=30,
        check=False,
    )
    if evidence is not None:
        evidence.add(f"process stdout of {' '.join(argv)}", done.stdout)
        evidence.add(f"process stderr of {' '.join(argv)}", done.stderr)
    return done


# -- credentials per kind ------------------------------------------------------------------------


def credentials_env(kind: str, endpoint: str, accepted: bool) -> dict[str, str]:
    """Environment for one auth kind; ``accepted`` picks the fake's DEMO values, else the probes."""
    env = {"SWR_TUI_ENDPOINT": endpoint}
    if kind == "token":
        env["SWR_TUI_TOKEN"] = DEMO_TOKEN if accepted else TOKEN_PROBE
    elif kind == "aksk":
        env["HUAWEICLOUD_SDK_AK"] = DEMO_AK if accepted else AK_PROBE
        env["HUAWEICLOUD_SDK_SK"] = DEMO_SK if accepted else SK_PROBE
        env["HUAWEICLOUD_SDK_SECURITY_TOKEN"] = STS_PROBE  # signed and sent; the fake does not check it
    else:
        env.update(
            SWR_TUI_USERNAME=DEMO_USER,
            SWR_TUI_DOMAIN=DEMO_DOMAIN,
            SWR_TUI_PASSWORD=DEMO_PASSWORD if accepted else PASSWORD_PROBE,
            SWR_TUI_REGION=DEMO_REGION,
            HUAWEICLOUD_SDK_IAM_ENDPOINT=endpoint,
        )
    return env


def secret_values(env: dict[str, str]) -> tuple[str, ...]:
    names = (
        "SWR_TUI_TOKEN",
        "HUAWEICLOUD_SDK_AK",
        "HUAWEICLOUD_SDK_SK",
        "HUAWEICLOUD_SDK_SECURITY_TOKEN",
        "SWR_TUI_PASSWORD",
    )
    return tuple(env[name] for name in names if name in env)


def sent_tokens(registry: FakeRegistry) -> tuple[str, ...]:
    """Every token that went over the wire, e.g. the ones the fake IAM issued during the run."""
    return tuple(
        {
            request.headers["x-auth-token"]
            for request in registry.requests
            if "x-auth-token" in request.headers
        }
    )


def set_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)


# -- the TUI under Pilot -------------------------------------------------------------------------


class Session(AppUI):
    """One running SwrApp through the app harness, and all it showed, gathered as evidence."""

    def header(self) -> str:
        """The header's title line as drawn, after the header's own ellipsis."""
        title = self.app.screen.query_one(HeaderTitle)
        return title.render_line(0).text

    def collect(self, evidence: Evidence) -> None:
        app = self.app
        evidence.add("notify() calls", "\n".join(f"{n.severity} {n.title}: {n.message}" for n in self.notes))
        evidence.add("app notifications", "\n".join(f"{n.title}: {n.message}" for n in app._notifications))
        for toast in app.screen.query("Toast"):
            evidence.add("toast on screen", str(toast.render()))
        svg = app.export_screenshot()
        evidence.add("screenshot (svg)", svg)
        evidence.add("screenshot (text)", html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " "))
        evidence.add("terminal writes", "".join(self.written))
        evidence.add("terminal writes (decoded OSC 52)", "\n".join(_osc52_payloads(self.written)))
        evidence.add("header", f"{app.title} {app.sub_title} {self.header()}")
        evidence.add("repr(app.client)", repr(app.client))
        with contextlib.suppress(Exception):
            evidence.add("status line", str(app.browser.query_one("#status").content))


def _osc52_payloads(written: list[str]) -> list[str]:
    decoded = []
    for payload in re.findall(r"\x1b\]52;c;([A-Za-z0-9+/=]+)\x07", "".join(written)):
        decoded.append(base64.b64decode(payload).decode("utf-8", "replace"))
    return decoded


def running(
    app: SwrApp, size: tuple[int, int] = (160, 48), unawaited: tuple[str, ...] = ()
) -> contextlib.AbstractAsyncContextManager[Session]:
    return launch(app, Session, size=size, unawaited=unawaited)


class TuiLaunch:
    """What ``swr-tui`` (the TUI command) handed to run_app, captured instead of running it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[SwrClient, dict[str, Any]]] = []
        monkeypatch.setattr(app_module, "run_app", self._record)

    def _record(self, client: SwrClient, **options: Any) -> None:
        self.calls.append((client, options))

    def app(self) -> SwrApp:
        assert len(self.calls) == 1, "the TUI command did not start the app"
        client, options = self.calls[0]
        return SwrApp(client, environ={}, clipboard=RecordingClipboard({}), **options)

    def close(self) -> None:
        """Close the clients of apps that were never run (a running app closes its own)."""
        for client, _ in self.calls:
            asyncio.run(client.aclose())


def palette_hits(app: SwrApp) -> list[str]:
    if not isinstance(app.screen, CommandPalette):
        return []
    options = app.screen.query_one("CommandList").options  # type: ignore[attr-defined]
    return [str(option.prompt).splitlines()[0] for option in options]


async def open_webapp(session: Session) -> None:
    app = session.app
    await session.press("enter")  # expands acme, the first namespace
    app.catalog.move_cursor(session.repository_node("acme", "webapp"))
    await session.press("enter")
    assert app.table.query is not None
    assert app.table.query.full_name == "acme/webapp"


async def browse_briefly(session: Session) -> None:
    """Namespaces, repositories, tags, end, a copy key and reload (TUI sessions are slow to drive)."""
    await open_webapp(session)
    await session.press("end")
    await session.press("c")
    await session.press("r")
    assert len(session.app.system_clipboard.copied) == 1


async def browse_everything(session: Session) -> None:
    """Namespaces, repositories, tags, end, filter, sort, reload, time zone, copy keys, copy menu,
    help and the palette's go-to: every view and key that talks to the registry or shows data."""
    app = session.app
    await open_webapp(session)
    await session.press("end", "home", "pagedown")
    await session.press("slash")
    await session.press("v", "2", "enter")
    assert app.table.query.tag_filter == "v2"
    await session.press("escape")
    await session.press("s")
    await session.press("r")
    await session.press("t")
    await session.press("c")
    await session.press("i")
    await session.press("d")
    await session.press("y")
    await session.press("1")  # the copy menu's first choice
    await session.press("question_mark")
    await session.press("escape")
    await session.press("ctrl+p")
    await session.settle()
    await session.pilot.press(*"ci-builds")
    await session.wait_until(lambda: any("acme/ci-builds" in hit for hit in palette_hits(app)[:1]))
    await session.press("enter")
    assert app.table.query.full_name == "acme/ci-builds"
    await session.press("end")  # a 100000-tag repository: the last page
    await session.press("shift+tab")
    await session.press("r")
    assert len(app.system_clipboard.copied) == 4


# -- servers -------------------------------------------------------------------------------------


Reply = tuple[int, dict[str, str], bytes]
EchoAnswer = Callable[[str, str, dict[str, str], bytes], Reply]


class EchoServer:
    """A loopback HTTP server whose answers come from ``answer(method, path, headers, body)``."""

    def __init__(self, answer: EchoAnswer) -> None:
        self.requests: list[tuple[str, str]] = []
        self.headers: list[dict[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {name.lower(): value for name, value in self.headers.items()}
                outer.requests.append((self.command, self.path))
                outer.headers.append(headers)
                status, reply_headers, reply = answer(self.command, self.path, headers, body)
                self.send_response_only(status)
                for name, value in reply_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


@contextlib.contextmanager
def echo_server(answer: EchoAnswer) -> Iterator[EchoServer]:
    server = EchoServer(answer)
    try:
        yield server
    finally:
        server.stop()


def json_reply(status: int, document: object, **headers: str) -> Reply:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(document).encode("utf-8")


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, and its key (made with openssl)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603 - the system's openssl with fixed arguments
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=swr-tui self-signed test",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return cert, key


@pytest.fixture
def tls_live(registry: FakeRegistry, tls_files: tuple[Path, Path]) -> Iterator[str]:
    """``registry`` over https on loopback, with the self-signed certificate."""
    cert, key = tls_files
    httpd = _Server(("127.0.0.1", 0), registry)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.stopping.set()
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        thread.join()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private working directory and XDG directories, all under tmp_path."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        folder = tmp_path / "xdg" / name.lower()
        folder.mkdir(parents=True)
        monkeypatch.setenv(name, str(folder))
    return cwd


@pytest.fixture
def textual_log(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Textual's own log (what devtools would show), written to a file outside the test's tree."""
    path = tmp_path_factory.mktemp("textual-log") / "textual.log"
    monkeypatch.setattr(textual.constants, "LOG_FILE", str(path))
    return path


def tree(root: Path) -> dict[str, int]:
    """Every path under ``root`` with its permission bits."""
    return {str(path.relative_to(root)): stat.S_IMODE(path.lstat().st_mode) for path in root.rglob("*")}


def private_cache_files(root: Path) -> list[Path]:
    """The content cache's files (public data by digest: manifests, configs, accessory lists),
    each checked to be 0600 in 0700 folders: the only files a session may write."""
    content = root / "xdg-cache" / "swr-tui" / "content"
    files = [path for path in content.rglob("*") if path.is_file()]
    folders = [content, *(path for path in content.rglob("*") if path.is_dir())]
    assert {stat.S_IMODE(path.stat().st_mode) for path in files} <= {0o600}
    assert {stat.S_IMODE(path.stat().st_mode) for path in folders} == {0o700}
    return files


def is_allowed_post(method: str, route: str, path: str) -> bool:
    """The two POSTs swr-tui may send: the IAM login, and CreateSecret (a temporary registry login)."""
    return method == "POST" and (
        (route == "iam" and path == IAM_LOGIN_PATH) or (route == "secret" and path == CREATE_SECRET_PATH)
    )


def assert_read_only(registry: FakeRegistry, kind: str) -> None:
    requests = registry.requests
    assert requests, "no request reached the registry"
    changing = [
        (request.method, request.path)
        for request in requests
        if request.method not in NO_CHANGE_METHODS
        and not is_allowed_post(request.method, request.route, request.path)
    ]
    assert changing == [], f"requests that are not GET (nor the IAM login, nor CreateSecret): {changing}"
    logins = [request for request in requests if request.route == "iam"]
    if kind == "password":
        assert logins, "password login never logged in"
        assert all(request.method == "POST" for request in logins)
    else:
        assert logins == []


# == 1. secrets never appear ====================================================================


@pytest.mark.parametrize("kind", KINDS)
def test_a_full_session_leaks_nothing_writes_no_file_and_only_reads(
    kind: str,
    live: str,
    registry: FakeRegistry,
    tmp_path: Path,
    workdir: Path,
    textual_log: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    recwarn: pytest.WarningsRecorder,
) -> None:
    """Accepted DEMO credentials of each kind: the headless commands, a real process and a TUI session
    (every view and key with a token; a shorter walk with AK/SK and with password login)."""
    debug_logging(caplog)
    env = credentials_env(kind, live, accepted=True)
    set_env(monkeypatch, env)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    before = tree(tmp_path)
    evidence = Evidence()

    for argv in (
        ["inspect", "acme/webapp:v1.2.0"],
        ["inspect", "acme/webapp:v1.2.0", "-o", "json"],
        ["namespaces"],
        ["namespaces", "-o", "json"],
        ["repos"],
        ["repos", "acme", "--filter", "web", "-o", "csv"],
        ["repos", "--shared"],
        ["tags", "acme/webapp"],
        ["tags", "acme/team/app", "--all", "--with-manifest", "-o", "json"],
        ["tags", "acme/webapp", "--filter", "v2", "--order", "asc", "-o", "tsv"],
    ):
        result = run_cli(*argv, evidence=evidence)
        assert result.code == 0, result.err
    done = run_process("tags", "acme/webapp", "--all", "-o", "json", env=env, cwd=workdir, evidence=evidence)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 32

    launch = TuiLaunch(monkeypatch)
    assert run_cli(evidence=evidence).code == 0
    app = launch.app()

    async def drive() -> None:
        async with running(app) as session:
            await (browse_everything if kind == "token" else browse_briefly)(session)
            session.collect(evidence)

    asyncio.run(drive())

    evidence.add_logs(caplog)
    evidence.add_warnings(recwarn)
    assert textual_log.stat().st_size > 0  # Textual's log was captured
    evidence.add("textual log", textual_log.read_text(encoding="utf-8"))
    assert "HTTP Request: GET" in evidence.joined()  # httpx's DEBUG log was captured
    assert "acme/webapp" in evidence.joined()
    # The request log holds the secrets the wire carried (and only there): search for them all.
    issued = [token for token in sent_tokens(registry) if token != DEMO_TOKEN]
    assert bool(issued) == (kind == "password")  # the token the fake IAM issued is searched for too
    cached = private_cache_files(tmp_path)
    assert cached, "inspect filled the content cache"
    for path in cached:
        evidence.add(f"cache file {path.name}", path.read_bytes().decode("utf-8", "replace"))
    evidence.assert_clean(*secret_values(env), *issued)

    assert_read_only(registry, kind)
    after = {path: mode for path, mode in tree(tmp_path).items() if not path.startswith("xdg-cache")}
    assert after == before, "the session created or changed files outside the content cache"


@pytest.mark.parametrize("kind", KINDS)
def test_rejected_credentials_leak_nowhere(
    kind: str,
    live: str,
    registry: FakeRegistry,
    workdir: Path,
    textual_log: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    recwarn: pytest.WarningsRecorder,
) -> None:
    """The probes (the fake refuses them): CLI, a real process, the errors, every repr, and the TUI."""
    debug_logging(caplog)
    env = credentials_env(kind, live, accepted=False)
    set_env(monkeypatch, env)
    evidence = Evidence()

    result = run_cli("namespaces", evidence=evidence)
    assert result.code == 1
    assert "Authentication failed" in result.err
    result = run_cli("tags", "acme/webapp", "--all", evidence=evidence)
    assert result.code == 1
    done = run_process("namespaces", env=env, cwd=workdir, evidence=evidence)
    assert done.returncode == 1
    assert "Authentication failed" in done.stderr

    settings = resolve_settings(CliOptions())
    auth = settings.credentials.auth(settings)
    client = SwrClient(settings.endpoint, auth, timeout=settings.timeout, verify=settings.verify())
    built = build_client(settings)
    evidence.add("repr(build_client(settings))", repr(built))
    asyncio.run(built.aclose())
    for name, value in (("settings", settings), ("credentials", settings.credentials), ("auth", auth)):
        evidence.add(f"repr({name})", repr(value))
        evidence.add(f"str({name})", str(value))
    evidence.add("settings.label()", settings.label())
    evidence.add("repr(client)", repr(client))

    async def use_the_client() -> None:
        async with client:
            for call in (
                client.list_namespaces(),
                client.list_repositories("acme"),
                client.list_tags("acme", "webapp"),
                client.show_tag("acme", "webapp", "latest"),
            ):
                with pytest.raises(SwrError) as caught:
                    await call
                evidence.add_error("the client's error", caught.value)
                evidence.add_chain("the client's error", caught.value)
                assert "Authentication failed" in str(caught.value)
        evidence.add("repr(auth) after use", repr(auth))

    asyncio.run(use_the_client())

    launch = TuiLaunch(monkeypatch)
    assert run_cli("--repo", "acme/webapp", evidence=evidence).code == 0
    app = launch.app()

    async def drive() -> None:
        async with running(app, unawaited=("reveal",)) as session:
            await session.press("r")
            assert any("Check the credentials" in note.text for note in session.notes)
            session.collect(evidence)

    asyncio.run(drive())

    evidence.add_logs(caplog)
    evidence.add_warnings(recwarn)
    evidence.add("textual log", textual_log.read_text(encoding="utf-8"))
    assert "HTTP Request: " in evidence.joined()  # httpx's log was captured
    assert "Authentication failed" in evidence.joined()
    evidence.assert_clean(*secret_values(env))
    assert_read_only(registry, kind)


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        ("closed-port", "Cannot connect"),
        ("self-signed", "could not be verified"),
        ("timeout=1", "Timed out"),
        ("drop", "broke before the answer"),
        ("status=500", "HTTP 500"),
        ("429", "Too many requests"),
    ],
)
async def test_transport_and_server_failures_leak_nothing(
    fault: str,
    says: str,
    registry: FakeRegistry,
    live: str,
    request: pytest.FixtureRequest,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each auth kind with the probes meets a failure before any 401: errors, chains and logs stay clean."""
    debug_logging(caplog)
    evidence = Evidence()
    endpoint = live
    if fault == "closed-port":
        endpoint = "http://127.0.0.1:9"  # discard: nothing listens there
    elif fault == "self-signed":
        endpoint = request.getfixturevalue("tls_live")
    else:
        kind, _, arg = fault.partition("=")
        registry.faults.add(FaultRule("*", kind, int(arg) if arg else None))
    auths: list[Any] = [
        TokenAuth(TOKEN_PROBE),
        AkSkAuth(AK_PROBE, SK_PROBE, security_token=STS_PROBE),
        PasswordAuth(endpoint, DEMO_USER, DEMO_DOMAIN, PASSWORD_PROBE, DEMO_REGION),
    ]
    # Only the timeout fault needs a short deadline; the others fail at once, and a loaded machine
    # must not turn a refused connection into a timeout.
    timeout = 5.0
    if fault.startswith("timeout"):
        auths.pop()  # the IAM login ignores the timeout: test_the_iam_login_honours_the_timeout
        timeout = 0.3
    for auth in auths:
        async with SwrClient(endpoint, auth, timeout=timeout, retry=RetryPolicy(retries=0)) as client:
            with pytest.raises(SwrError) as caught:
                await client.list_namespaces()
        evidence.add_error(f"{fault} with {auth.kind}", caught.value)
        evidence.add_chain(f"{fault} with {auth.kind}", caught.value)
        evidence.add("repr(auth)", repr(auth))
        assert says in str(caught.value)
    evidence.add_logs(caplog)
    evidence.assert_clean(TOKEN_PROBE, AK_PROBE, SK_PROBE, STS_PROBE, PASSWORD_PROBE)


def _echo_everything(status: int) -> EchoAnswer:
    """Every answer is ``status`` with a message quoting each credential header back."""

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        quoted = "; ".join(
            f"{name}={headers[name]}"
            for name in ("x-auth-token", "x-security-token", "authorization")
            if name in headers
        )
        return json_reply(
            status, {"error_code": "APIGW.0301", "error_msg": f"Rejected credentials: {quoted}"}
        )

    return answer


def _echo_signature_only(method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
    signature = headers.get("authorization", "").rpartition("Signature=")[2]
    return json_reply(403, {"error_code": "APIGW.0302", "error_msg": f"signature {signature} is not allowed"})


def _echo_issued_token(method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
    if path.startswith(IAM_LOGIN_PATH):
        return json_reply(201, {"token": {}}, **{"X-Subject-Token": ISSUED_PROBE})
    token = headers.get("x-auth-token", "")
    return json_reply(
        403, {"errors": [{"errorCode": "SVCSTG.SWR.4030000", "errorMessage": f"token {token}"}]}
    )


def _echo_access_key(method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
    access = re.search(r"Access=([^,\s]+)", headers.get("authorization", ""))
    key = access.group(1) if access else ""
    return json_reply(
        403, {"error_code": "APIGW.0302", "error_msg": f"The access key {key} may not call this API"}
    )


def _echo_password(method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
    if path.startswith(IAM_LOGIN_PATH):
        sent = json.loads(body)["auth"]["identity"]["password"]["user"]["password"]
        return json_reply(
            400, {"error": {"code": 400, "title": "Bad Request", "message": f"Invalid password {sent}"}}
        )
    return json_reply(500, {"error_code": "X", "error_msg": "not reached"})


ECHO_CASES = {
    "token-401": (_echo_everything(401), "token"),
    "token-400": (_echo_everything(400), "token"),
    "token-403": (_echo_everything(403), "token"),
    "token-404": (_echo_everything(404), "token"),
    "token-500": (_echo_everything(500), "token"),
    "aksk-authorization-and-security-token-403": (_echo_everything(403), "aksk"),
    "aksk-signature-only-403": (_echo_signature_only, "aksk"),
    "password-issued-token-403": (_echo_issued_token, "password"),
}
ECHO_BUGS = {
    "aksk-access-key-403": (
        _echo_access_key,
        "aksk",
        "BUG swr_tui/swr/errors.py: _request_secrets redacts the whole Authorization value and its "
        "Signature, but not its Access=AK part, so an error that quotes the access key prints it",
    ),
    "password-in-iam-error-400": (
        _echo_password,
        "password",
        "BUG swr_tui/swr/auth.py: PasswordAuth.accept_login does not redact the password (it is in the "
        "request body, not a header) from IAM's error message",
    ),
}


def _auth_for(kind: str, url: str) -> Any:
    if kind == "token":
        return TokenAuth(TOKEN_PROBE)
    if kind == "aksk":
        return AkSkAuth(AK_PROBE, SK_PROBE, security_token=STS_PROBE)
    return PasswordAuth(url, DEMO_USER, DEMO_DOMAIN, PASSWORD_PROBE, DEMO_REGION)


def _no_retries() -> RetryPolicy:
    return RetryPolicy(retries=0)


async def _echo_check(answer: EchoAnswer, kind: str, caplog: pytest.LogCaptureFixture) -> None:
    debug_logging(caplog)
    evidence = Evidence()
    with echo_server(answer) as server:
        async with SwrClient(server.url, _auth_for(kind, server.url), retry=_no_retries()) as client:
            with pytest.raises(SwrError) as caught:
                await client.list_tags("acme", "webapp")
        evidence.add_error("the echoed error", caught.value)
        evidence.add_chain("the echoed error", caught.value)
        if kind == "token":  # the same through the command line
            with pytest.MonkeyPatch.context() as patch:
                set_env(patch, {"SWR_TUI_ENDPOINT": server.url, "SWR_TUI_TOKEN": TOKEN_PROBE})
                patch.setattr("swr_tui.swr.client.RetryPolicy", _no_retries)
                result = await asyncio.to_thread(run_cli, "tags", "acme/webapp", evidence=evidence)
            assert result.code == 1
        # What went over the wire, whole and in parts: the Authorization value, its signature.
        sent = [
            value
            for headers in server.headers
            for name, value in headers.items()
            if name in ("x-auth-token", "x-security-token", "authorization")
        ]
        sent += [value.rpartition("Signature=")[2] for value in sent if "Signature=" in value]
    evidence.add_logs(caplog)
    if caught.value.status != 401:  # 401 gives advice only; otherwise the server's words are shown
        assert "***" in str(caught.value), str(caught.value)
    evidence.assert_clean(TOKEN_PROBE, SK_PROBE, STS_PROBE, PASSWORD_PROBE, ISSUED_PROBE, AK_PROBE, *sent)


@pytest.mark.parametrize("case", sorted(ECHO_CASES))
async def test_secrets_echoed_by_the_server_are_redacted(case: str, caplog: pytest.LogCaptureFixture) -> None:
    answer, kind = ECHO_CASES[case]
    await _echo_check(answer, kind, caplog)


@pytest.mark.parametrize("case", sorted(ECHO_BUGS))
async def test_secrets_echoed_outside_the_headers_are_redacted(
    case: str, caplog: pytest.LogCaptureFixture
) -> None:
    answer, kind, _ = ECHO_BUGS[case]
    await _echo_check(answer, kind, caplog)


async def test_an_issued_token_that_is_not_ascii_is_refused_without_quoting_it() -> None:
    """A token IAM sends that no header can carry is a clear error, not a UnicodeEncodeError."""
    issued = ISSUED_PROBE + "\u00e9"

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        return json_reply(201, {"token": {}}, **{"X-Subject-Token": issued})

    with echo_server(answer) as server:
        auth = PasswordAuth(server.url, DEMO_USER, DEMO_DOMAIN, PASSWORD_PROBE, DEMO_REGION)
        async with SwrClient(server.url, auth, retry=_no_retries()) as client:
            with pytest.raises(SwrError) as caught:
                await client.list_namespaces()
        assert [path for _, path in server.requests] == [f"{IAM_LOGIN_PATH}?nocatalog=true"]
    message = str(caught.value)
    assert message == f"IAM ({server.url}) answered the login with a token that is not plain ASCII text"
    assert ISSUED_PROBE not in repr(caught.value)


def test_a_token_with_a_stray_newline_is_never_quoted(
    live: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    debug_logging(caplog)
    evidence = Evidence()
    token = TOKEN_PROBE + "\nX-Injected: 1"
    monkeypatch.setenv("SWR_TUI_TOKEN", token)
    monkeypatch.setenv("SWR_TUI_ENDPOINT", live)
    result = run_cli("namespaces", evidence=evidence)
    assert result.code in (1, 2)

    async def direct() -> None:
        async with SwrClient(live, TokenAuth(token), retry=RetryPolicy(retries=0)) as client:
            with pytest.raises(SwrError) as caught:
                await client.list_namespaces()
        evidence.add_error("the header error", caught.value)
        evidence.add_chain("the header error", caught.value)

    asyncio.run(direct())
    evidence.add_logs(caplog)
    evidence.assert_clean(TOKEN_PROBE)


def test_the_token_iam_issues_stays_out_of_debug_logs(
    live: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    debug_logging(caplog)
    set_env(monkeypatch, credentials_env("password", live, accepted=True))
    assert run_cli("namespaces").code == 0
    issued = sent_tokens(registry)
    assert issued
    evidence = Evidence()
    evidence.add_logs(caplog, response_headers=True)
    evidence.assert_clean(DEMO_PASSWORD, *issued)


async def test_the_iam_login_honours_the_timeout(registry: FakeRegistry, live: str) -> None:
    registry.faults.add(FaultRule("iam", "timeout", 5.0))
    auth = PasswordAuth(live, DEMO_USER, DEMO_DOMAIN, DEMO_PASSWORD, DEMO_REGION)
    started = time.monotonic()
    async with SwrClient(live, auth, timeout=0.3, retry=RetryPolicy(retries=0)) as client:
        with pytest.raises(SwrError) as caught:
            await client.list_namespaces()
    assert "Timed out" in str(caught.value)
    assert time.monotonic() - started < 4.0  # well before the login's 5 s, even on a loaded machine


# == 2. secrets never come from argv ============================================================

SECRET_WORDS = frozenset(
    {
        "token",
        "password",
        "passwd",
        "pass",
        "pw",
        "secret",
        "ak",
        "sk",
        "key",
        "credential",
        "credentials",
        "auth",
    }
)


def _all_actions(parser: Any) -> Iterator[Any]:
    for action in parser._actions:
        yield action
        choices = getattr(action, "choices", None)
        if isinstance(choices, dict):
            for sub in choices.values():
                yield from _all_actions(sub)


def test_no_command_line_option_takes_a_secret() -> None:
    seen = set()
    for action in _all_actions(build_parser()):
        names = [*action.option_strings, action.dest or ""]
        for name in names:
            seen.add(name)
            words = set(re.split(r"[-_]+", name.strip("-").lower()))
            assert not words & SECRET_WORDS, f"option {name} looks like it takes a secret"
    assert {"--username", "--domain", "--ca-bundle", "--insecure"} <= seen  # the parser was walked


def test_a_password_flag_is_a_usage_error(live: str, registry: FakeRegistry) -> None:
    for flag in ("--password", "--token", "--sk", "--ak", "--secret-key"):
        result = run_cli("namespaces", "--endpoint", live, flag, "x")
        assert result.code == 2, flag
        assert result.err.count("\n") == 1
    assert registry.requests == []


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_password_is_prompted_in_a_terminal(
    live: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts: list[str] = []

    def fake_getpass(prompt: str = "Password: ", stream: Any = None) -> str:
        prompts.append(prompt)
        return DEMO_PASSWORD

    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", live)
    result = run_cli(
        "namespaces",
        "--endpoint",
        live,
        "--region",
        DEMO_REGION,
        "--username",
        DEMO_USER,
        "--domain",
        DEMO_DOMAIN,
    )
    assert result.code == 0, result.err
    assert len(prompts) == 1
    assert DEMO_USER in prompts[0]
    assert DEMO_PASSWORD not in result.out + result.err
    assert_read_only(registry, "password")


def test_the_password_comes_from_the_environment_without_a_terminal(
    live: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_prompt(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("asked for a password without a terminal")

    monkeypatch.setattr(getpass, "getpass", no_prompt)
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    set_env(monkeypatch, credentials_env("password", live, accepted=True))
    monkeypatch.delenv("SWR_TUI_PASSWORD")
    result = run_cli("namespaces")
    assert result.code == 2
    assert "SWR_TUI_PASSWORD" in result.err
    assert registry.requests == []

    monkeypatch.setenv("SWR_TUI_PASSWORD", DEMO_PASSWORD)
    result = run_cli("namespaces")
    assert result.code == 0, result.err
    assert DEMO_PASSWORD not in result.out + result.err


# == 3. credential files ===========================================================================


def _write(path: Path, text: str, mode: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def _sdk_file(home: Path, mode: int) -> Path:
    return _write(home / ".huaweicloud" / "credentials", f"[basic]\nak = {DEMO_AK}\nsk = {DEMO_SK}\n", mode)


def _koocli_file(home: Path, mode: int) -> Path:
    profile = {
        "name": "default",
        "mode": "AKSK",
        "accessKeyId": DEMO_AK,
        "secretAccessKey": DEMO_SK,
        "region": DEMO_REGION,
    }
    document = {"authEncrypt": "false", "current": "default", "profiles": [profile]}
    return _write(home / ".hcloud" / "config.json", json.dumps(document), mode)


CREDENTIAL_FILES = {
    "sdk": (_sdk_file, "~/.huaweicloud/credentials"),
    "koocli": (_koocli_file, "~/.hcloud/config.json"),
}


@posix_only
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o600, 0o400], ids=oct)
@pytest.mark.parametrize("source", sorted(CREDENTIAL_FILES))
def test_a_credential_file_others_can_read_gets_a_warning_naming_it(
    source: str, mode: int, live: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    write, shown = CREDENTIAL_FILES[source]
    write(Path.home(), mode)
    exposed = bool(mode & 0o044)

    settings = resolve_settings(CliOptions(endpoint=live))
    assert settings.credentials.kind == "aksk"
    assert shown in settings.credentials.source
    result = run_cli("namespaces", "--endpoint", live)
    assert result.code == 0, result.err
    warnings = [line for line in result.err.splitlines() if line.startswith("swr-tui: warning: ")]
    if exposed:
        assert len(settings.warnings) == 1
        assert shown in settings.warnings[0]
        assert f"{mode:o}" in settings.warnings[0]
        assert len(warnings) == 1
        assert shown in warnings[0]
        assert "chmod 600" in warnings[0]
    else:
        assert settings.warnings == ()
        assert warnings == []
        assert result.err == ""
    for secret in (DEMO_AK, DEMO_SK):
        assert secret not in result.err + result.out + " ".join(settings.warnings)


@posix_only
def test_a_named_credentials_file_and_the_tui_command_warn_too(
    tmp_path: Path, live: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "elsewhere" / "swr.ini", f"[basic]\nak = {DEMO_AK}\nsk = {DEMO_SK}\n", 0o644)
    monkeypatch.setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", str(path))
    launch = TuiLaunch(monkeypatch)
    result = run_cli("--endpoint", live)
    assert result.code == 0, result.err
    launch.close()
    assert len(launch.calls) == 1
    assert result.err.startswith("swr-tui: warning: ")
    assert str(path) in result.err
    assert DEMO_SK not in result.err


@posix_only
def test_koocli_keys_not_used_give_no_warning(live: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _koocli_file(Path.home(), 0o644)
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    settings = resolve_settings(CliOptions(endpoint=live))
    assert settings.credentials.kind == "token"
    assert settings.warnings == ()


# == 4. TLS, --insecure and plain http ============================================================


def test_settings_verify_tls_unless_insecure(tls_files: tuple[Path, Path]) -> None:
    cert, _ = tls_files
    env = {"SWR_TUI_TOKEN": TOKEN_PROBE}
    assert resolve_settings(CliOptions(endpoint="https://swr.example.com"), env).verify() is True
    context = resolve_settings(
        CliOptions(endpoint="https://swr.example.com", ca_bundle=str(cert)), env
    ).verify()
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    insecure = resolve_settings(CliOptions(endpoint="https://swr.example.com", insecure=True), env)
    assert insecure.verify() is False


async def test_the_default_client_refuses_a_self_signed_certificate(
    tls_live: str, registry: FakeRegistry
) -> None:
    async with SwrClient(tls_live, TokenAuth(DEMO_TOKEN), retry=RetryPolicy(retries=0)) as client:
        with pytest.raises(TransportError) as caught:
            await client.list_namespaces()
    message = str(caught.value)
    assert "could not be verified" in message
    assert "--ca-bundle" in message
    assert registry.requests == []  # nothing was sent over the unverified connection


@pytest.mark.parametrize("kind", ["token", "password"])
def test_the_cli_verifies_tls_and_trusts_a_ca_bundle_or_insecure(
    kind: str,
    tls_live: str,
    tls_files: tuple[Path, Path],
    registry: FakeRegistry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cert, _ = tls_files
    env = credentials_env(kind, tls_live, accepted=True)
    set_env(monkeypatch, env)
    refused = run_cli("namespaces")
    assert refused.code == 1
    assert refused.err.count("\n") == 1
    assert "could not be verified" in refused.err
    assert "--ca-bundle" in refused.err
    assert registry.requests == []  # the IAM login (password) did not go out either
    for extra in (["--ca-bundle", str(cert)], ["--insecure"]):
        result = run_cli("namespaces", *extra)
        assert result.code == 0, result.err
        assert "acme" in result.out
    for secret in secret_values(env):
        assert secret not in refused.err
    assert_read_only(registry, kind)


def _header_warning_kept(session: Session) -> None:
    assert INSECURE_WARNING in session.app.sub_title
    assert INSECURE_WARNING in session.header()


async def test_insecure_shows_a_warning_in_the_header_that_stays(registry: FakeRegistry) -> None:
    client = SwrClient("https://swr.test.invalid", TokenAuth(DEMO_TOKEN), transport=registry.transport())
    app = SwrApp(client, label="swr.test.invalid", insecure=True, environ={})
    async with running(app) as session:
        _header_warning_kept(session)
        await session.press("enter")
        app.catalog.move_cursor(session.repository_node("acme", "webapp"))
        await session.press("enter")
        _header_warning_kept(session)
        for keys in (("ctrl+p", "escape"), ("s",), ("r",)):  # a screen on top and back, then reloads
            await session.press(*keys)
            _header_warning_kept(session)
    safe = SwrApp(SwrClient("https://swr.test.invalid", TokenAuth(DEMO_TOKEN)), label="swr.test.invalid")
    assert INSECURE_WARNING not in safe.sub_title


def test_the_tui_command_passes_insecure_to_the_app(live: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    for argv, insecure in ((["--endpoint", live], False), (["--endpoint", live, "--insecure"], True)):
        launch = TuiLaunch(monkeypatch)
        assert run_cli(*argv).code == 0
        assert launch.calls[0][1]["insecure"] is insecure
        assert (INSECURE_WARNING in launch.app().sub_title) is insecure
        assert DEMO_TOKEN not in launch.calls[0][1]["label"]
        launch.close()


async def test_the_insecure_warning_is_visible_on_an_80_column_terminal(
    live: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    launch = TuiLaunch(monkeypatch)
    assert (await asyncio.to_thread(run_cli, "--endpoint", live, "--insecure")).code == 0
    async with running(launch.app(), size=(80, 24)) as session:
        assert INSECURE_WARNING in session.app.sub_title
        assert INSECURE_WARNING in session.header()


REMOTE_PLAIN_HTTP = [
    "http://example.com",
    "http://swr.example.com:8080/",
    "http://10.1.2.3",
    "http://192.168.0.10:5000",
    "http://0.0.0.0:8080",
    "http://[::]:8080",
    "http://[fe80::1]:8080",
    "http://127.0.0.1.nip.io",
    "http://localhost.example.com",
]
LOOPBACK_PLAIN_HTTP = [
    "http://127.0.0.1:8080",
    "http://127.10.20.30",
    "http://localhost:5000",
    "http://LOCALHOST",
    "http://[::1]:8080",
    "http://[::ffff:127.0.0.1]:8080",
]


@pytest.mark.parametrize("endpoint", REMOTE_PLAIN_HTTP)
def test_plain_http_to_another_host_is_refused_without_insecure(
    endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", TOKEN_PROBE)
    result = run_cli("namespaces", "--endpoint", endpoint, "--timeout", "1")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "plain http://" in result.err
    assert "--insecure" in result.err
    assert TOKEN_PROBE not in result.err
    settings = resolve_settings(CliOptions(endpoint=endpoint, insecure=True))
    assert settings.endpoint.startswith("http://")
    assert settings.verify() is False


@pytest.mark.parametrize("endpoint", LOOPBACK_PLAIN_HTTP)
def test_plain_http_to_loopback_is_accepted(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", TOKEN_PROBE)
    settings = resolve_settings(CliOptions(endpoint=endpoint))
    assert settings.endpoint.lower() == endpoint.lower().rstrip("/")
    assert settings.insecure is False


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_plain_http_to_loopback_works_end_to_end(
    host: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWR_TUI_TOKEN", DEMO_TOKEN)
    bind = "127.0.0.1" if host == "localhost" else host
    try:
        server = registry.serve(bind)
    except OSError:
        pytest.skip(f"cannot listen on {bind}")
    with server:
        shown = f"[{host}]" if ":" in host else host
        result = run_cli("namespaces", "--endpoint", f"http://{shown}:{server.port}")
    assert result.code == 0, result.err
    assert "acme" in result.out


def test_plain_http_iam_endpoint_elsewhere_is_refused(
    live: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_env(monkeypatch, credentials_env("password", live, accepted=True))
    monkeypatch.setenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", "http://iam.example.com")
    result = run_cli("namespaces")
    assert result.code == 2
    assert "IAM endpoint" in result.err
    assert "plain http://" in result.err
    assert DEMO_PASSWORD not in result.err
    assert registry.requests == []


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_a_redirect_is_never_followed(status: int) -> None:
    """Redirects could move a request (and its credentials) to plain http or another host."""

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        return status, {"Location": "http://swr.example.com/v2/manage/namespaces"}, b""

    with echo_server(answer) as server:
        async with SwrClient(server.url, TokenAuth(TOKEN_PROBE), retry=RetryPolicy(retries=0)) as client:
            with pytest.raises(SwrError) as caught:
                await client.list_namespaces()
        assert server.requests == [("GET", "/v2/manage/namespaces")]
    assert TOKEN_PROBE not in str(caught.value)


# == 5. nothing that changes the registry =========================================================

_CHANGING_VERBS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_VERB_METHODS = frozenset({"post", "put", "patch", "delete", "request", "stream", "send", "build_request"})


def _code_files() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "fake" not in path.relative_to(PACKAGE).parts)


def test_the_code_only_ever_sends_get_besides_the_iam_login_and_create_secret() -> None:
    """Static check over swr_tui (the fake registry aside): no httpx call but GET, bar two POSTs."""
    files = _code_files()
    assert PACKAGE / "swr" / "client.py" in files
    assert PACKAGE / "ui" / "app.py" in files
    found: list[str] = []
    for path in files:
        relative = path.relative_to(REPO_ROOT).as_posix()
        tree_ = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        for node in ast.walk(tree_):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _VERB_METHODS
            ):
                found.append(f"{relative}:{node.lineno} .{node.func.attr}(")
            elif isinstance(node, ast.Constant) and node.value in _CHANGING_VERBS:
                found.append(f"{relative}:{node.lineno} {node.value!r}")
    allowed = [
        entry for entry in found if entry.startswith("swr_tui/swr/auth.py:") and entry.endswith("'POST'")
    ]
    assert len(allowed) == 1, found  # PasswordAuth.login_request
    create_secret = [
        entry
        for entry in found
        if entry.startswith("swr_tui/swr/registry/secret.py:") and entry.endswith(" .post(")
    ]
    assert len(create_secret) == 1, found  # TemporaryLogin.__call__
    # ContentCache.put stores bytes on disk under their digest: a method of the cache, not of httpx.
    cache_puts = [
        entry
        for entry in found
        if entry.startswith("swr_tui/inspection/data_plane.py:") and entry.endswith(" .put(")
    ]
    assert len(cache_puts) == 1, found  # CachedPlane._store: self.cache.put(digest, content)
    assert "self.cache.put(digest, content)" in (PACKAGE / "inspection" / "data_plane.py").read_text(
        encoding="utf-8"
    )
    assert [entry for entry in found if entry not in allowed + create_secret + cache_puts] == []
    secret = (PACKAGE / "swr" / "registry" / "secret.py").read_text(encoding="utf-8")
    assert f'SECRET_PATH = "{CREATE_SECRET_PATH}"' in secret
    assert ".post(SECRET_PATH, " in secret
    registry = (PACKAGE / "swr" / "registry" / "client.py").read_text(encoding="utf-8")
    assert set(re.findall(r"self\._http\.(\w+)\(", registry)) == {"aclose", "get"}
    source = (PACKAGE / "swr" / "auth.py").read_text(encoding="utf-8")
    login = source[source.index("def login_request") : source.index("def accept_login")]
    assert '"POST"' in login
    assert IAM_LOGIN_PATH in login
    client = (PACKAGE / "swr" / "client.py").read_text(encoding="utf-8")
    assert set(re.findall(r"self\._http\.(\w+)\(", client)) == {"aclose", "get"}
