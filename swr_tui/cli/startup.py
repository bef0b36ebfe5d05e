"""What the TUI's start does to draw its first frame sooner (issue 14), each measured on the path from
``swr-tui --endpoint URL --repo NS/REPO`` to the first frame with tag rows; none changes behaviour.

- httpx's own command line (click, pygments, rich's progress bars) is not imported with httpx
  (swr_tui/__init__.py, as it must come before the first import of httpx);
- the cyclic garbage collector pauses while the start allocates its ~90,000 long-lived objects
  (modules, classes, widgets, styles), which it would otherwise walk again and again for nothing;
- the TLS trust store (about 150 certificates parsed from a PEM file) is read on a thread while the
  interface is imported, instead of on the way to the first request.
"""

from __future__ import annotations

import gc
import ssl
import threading
from typing import Optional, Union

# The first frame with data comes within about 0.5 s on loopback, plus two round trips; collection
# resumes at the latest this long after the pause, so a slow start cannot keep it off for long.
GC_PAUSE_MAX_S = 3.0

Verify = Union[bool, ssl.SSLContext]


class CollectorPause:
    """``gc.disable()`` from ``pause()`` until ``resume()`` or GC_PAUSE_MAX_S, whichever is first.
    Objects are still freed by reference counting; only cycles wait, for a few seconds at most."""

    def __init__(self, max_s: float = GC_PAUSE_MAX_S) -> None:
        self.max_s = max_s
        self._timer: Optional[threading.Timer] = None
        self._lock = threading.Lock()
        self.paused = False

    def pause(self) -> None:
        with self._lock:
            if self.paused or not gc.isenabled():  # collection already off: someone else's choice
                return
            gc.disable()
            self.paused = True
            self._timer = threading.Timer(self.max_s, self.resume)
            self._timer.daemon = True
            self._timer.start()

    def resume(self) -> None:
        with self._lock:
            if not self.paused:
                return
            self.paused = False
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            gc.enable()


class TlsPreload:
    """httpx's default TLS context (``verify=True``: certifi's CA file, or SSL_CERT_FILE/SSL_CERT_DIR)
    built on a thread; ``result()`` waits for it. Anything else (False, a --ca-bundle context) is
    passed through, and a failure gives back ``True``, so that httpx itself builds the context and
    raises exactly as it did without the preload."""

    def __init__(self, verify: Verify) -> None:
        self._verify = verify
        self._context: Optional[ssl.SSLContext] = None
        self._thread: Optional[threading.Thread] = None
        if verify is True:
            self._thread = threading.Thread(target=self._load, name="swr-tui-tls", daemon=True)
            self._thread.start()

    def _load(self) -> None:
        try:
            import httpx

            self._context = httpx.create_ssl_context(verify=True, trust_env=True)
        except Exception:
            self._context = None

    def result(self) -> Verify:
        if self._thread is None:
            return self._verify
        self._thread.join()
        return self._context if self._context is not None else self._verify
