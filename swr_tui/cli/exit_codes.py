"""The exit statuses of swr-tui."""

from __future__ import annotations

EXIT_OK, EXIT_REGISTRY, EXIT_USAGE = 0, 1, 2
# ``vulns --fail-on``: the command worked and found a vulnerability at or above the threshold.
EXIT_VULNERABLE = 3
