"""The exit statuses of swr-tui."""

from __future__ import annotations

EXIT_OK, EXIT_REGISTRY, EXIT_USAGE = 0, 1, 2
