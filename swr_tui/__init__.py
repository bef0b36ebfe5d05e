import sys as _sys

__version__ = "0.1.0"

# httpx imports its own command line (httpx._main: click, pygments, rich's progress bars and syntax
# highlighting) whenever click is installed: about 30 ms of imports on the way to the first frame, of
# which swr-tui uses nothing. A module set to None in sys.modules makes that import fail, and httpx
# then defines a stub `main` (its fallback for an install without click). Issue 14.
if "httpx" not in _sys.modules:
    _sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
