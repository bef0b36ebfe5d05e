"""Keep secrets out of the HTTP libraries' DEBUG logs.

httpcore's trace logs every response's headers, so with DEBUG logging switched on an IAM token
(``X-Subject-Token``) would be written to whatever handler is configured. The values of secret
headers are replaced with ``***`` before any handler sees the record.
"""

from __future__ import annotations

import logging
import re

HTTP_LOGGERS = (
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "httpx",
)
_SECRET_HEADER = re.compile(
    r"""(\(b?['"](?i:x-subject-token|x-auth-token|x-security-token|authorization)['"],\s*b?['"])[^'"]*(['"])"""
)


class RedactSecretHeaders(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        redacted = _SECRET_HEADER.sub(r"\1***\2", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


_FILTER = RedactSecretHeaders()


def install() -> None:
    """Idempotent: a logger holds a filter object once."""
    for name in HTTP_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
