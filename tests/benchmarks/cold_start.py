"""Cold start to the first frame with data, in a real pseudo-terminal (120x40): ``swr-tui --demo
--repo acme/webapp`` against a minimal Textual app of the same shape (baseline_app.py), run
alternately so both see the same machine."""

from __future__ import annotations

import sys
from pathlib import Path

from export_bench import swr_tui_command
from pty_timing import terminal_env, time_to_marker
from report import Paired

HERE = Path(__file__).resolve().parent
MARKER = "v2.4.1"  # a row of acme/webapp, and of the baseline's table; shown nowhere else


def cold_start(runs: int, warmup: int = 1, pycache: str = "") -> Paired:
    """``pycache``: a PYTHONPYCACHEPREFIX, so both programs start from byte code as installed
    programs do (this machine sets PYTHONDONTWRITEBYTECODE and the editable checkout has none)."""
    result = Paired()
    extra = {"PYTHONPYCACHEPREFIX": pycache} if pycache else {}
    env = terminal_env(extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    tui = [*swr_tui_command(), "--demo", "--repo", "acme/webapp"]
    baseline = [sys.executable, str(HERE / "baseline_app.py")]
    for run in range(warmup + runs):
        pair = [(tui, result.figure), (baseline, result.baseline)]
        if run % 2:
            pair.reverse()
        for argv, samples in pair:
            elapsed = time_to_marker(argv, MARKER, env=env)
            if run >= warmup:
                samples.append(elapsed)
    return result
