"""Cold start to the first frame with data, in a real pseudo-terminal (120x40), each program against
its baseline run alternately so both see the same machine:

- ``cold_start``: ``swr-tui --demo --repo acme/webapp`` against a minimal Textual app of the same
  shape (baseline_app.py);
- ``cold_start_http`` (issue 14): ``swr-tui --endpoint http://127.0.0.1:PORT --repo acme/webapp``
  with ``SWR_TUI_TOKEN`` set, against ``swr-tui fake-registry`` in another process, as a user starts
  it, against the bare app the issue describes (baseline_bare.py)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from export_bench import clean_env, fake_registry_process, swr_tui_command
from pty_timing import terminal_env, time_to_marker
from report import Paired

HERE = Path(__file__).resolve().parent
MARKER = "v2.4.1"  # a row of acme/webapp, and of the baseline's table; shown nowhere else
REPOSITORY = "acme/webapp"


def cold_start(runs: int, warmup: int = 1, pycache: str = "") -> Paired:
    """``pycache``: a PYTHONPYCACHEPREFIX, so both programs start from byte code as installed
    programs do (this machine sets PYTHONDONTWRITEBYTECODE and the editable checkout has none)."""
    env = _byte_code_env(terminal_env(), pycache)
    tui = [*swr_tui_command(), "--demo", "--repo", REPOSITORY]
    baseline = [sys.executable, str(HERE / "baseline_app.py")]
    return _alternate(tui, env, baseline, env, runs, warmup)


def cold_start_http(runs: int, warmup: int = 1, pycache: str = "", compile_first: bool = True) -> Paired:
    """The first frame with tag rows of a real session on loopback HTTP, token auth, no config file.
    ``compile_first``: compileall before the first start (the smoke run skips it: it takes seconds)."""
    if compile_first:
        compile_ahead(pycache)
    with contextlib.ExitStack() as stack:
        home = stack.enter_context(tempfile.TemporaryDirectory(prefix="swr-tui-bench-"))
        url = stack.enter_context(fake_registry_process(0, home, pycache))
        from swr_tui.fake import DEMO_TOKEN

        tui_env = _session_env(home, {"SWR_TUI_TOKEN": DEMO_TOKEN}, pycache)
        bare_env = _session_env(home, {}, pycache)
        tui = [*swr_tui_command(), "--endpoint", url, "--repo", REPOSITORY]
        bare = [sys.executable, str(HERE / "baseline_bare.py")]
        return _alternate(tui, tui_env, bare, bare_env, runs, warmup)


def compile_ahead(pycache: str) -> None:
    """Byte code for both programs before the first timed start, as ``pip install`` writes it: the
    packages they import (swr_tui, textual, rich, httpx and its stack) compiled into ``pycache``; the
    warm-up start then fills in the rest of what is imported (the standard library)."""
    import httpx
    import rich
    import textual

    import swr_tui

    packages = [swr_tui, textual, rich, httpx]
    folders = [str(Path(package.__file__ or "").parent) for package in packages]
    env = _byte_code_env(clean_env(tempfile.gettempdir(), {}), pycache)
    command = [sys.executable, "-m", "compileall", "-q", *folders, str(HERE)]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)  # noqa: S603


def _session_env(home: str, extra: dict[str, str], pycache: str) -> dict[str, str]:
    """``clean_env`` (no credentials, config or proxies of the caller) in the terminal of
    ``terminal_env`` (a plain truecolour xterm, no Textual settings)."""
    terminal = terminal_env()
    env = {
        key: value
        for key, value in clean_env(home, extra, pycache).items()
        if key in terminal or key in extra
    }
    env.update({key: terminal[key] for key in ("TERM", "COLORTERM", "LANG")})
    env["HOME"], env["SWR_TUI_CONFIG"] = home, str(Path(home) / "no-config.toml")
    return _byte_code_env(env, pycache)


def _byte_code_env(env: dict[str, str], pycache: str) -> dict[str, str]:
    env = dict(env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if pycache:
        env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def _alternate(
    figure: Sequence[str], figure_env: dict[str, str], baseline: Sequence[str], baseline_env: dict[str, str],
    runs: int, warmup: int,
) -> Paired:  # fmt: skip
    result = Paired()
    for run in range(warmup + runs):
        pair = [(figure, figure_env, result.figure), (baseline, baseline_env, result.baseline)]
        if run % 2:
            pair.reverse()
        for argv, env, samples in pair:
            elapsed = time_to_marker(argv, MARKER, env=env)
            if run >= warmup:
                samples.append(elapsed)
    return result


if __name__ == "__main__":  # python cold_start.py [RUNS]: the issue 14 pair, samples printed
    found = cold_start_http(
        int(sys.argv[1]) if len(sys.argv) > 1 else 5,
        1,
        str(Path(tempfile.gettempdir()) / "swr-tui-bench-pycache"),
    )
    print("swr-tui", " ".join(f"{s * 1000:.0f}" for s in found.figure))
    print("bare   ", " ".join(f"{s * 1000:.0f}" for s in found.baseline))
    print("ratios ", " ".join(f"{f / b:.2f}" for f, b in zip(found.figure, found.baseline)))
