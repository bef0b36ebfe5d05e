"""Keep secrets out of the HTTP libraries' DEBUG logs.

httpcore's trace logs every response's headers, so with DEBUG logging switched on an IAM token
(``X-Subject-Token``) would be written to whatever handler is configured. The values of secret
headers are replaced with ``***`` before any handler sees the record, and so is every secret the
client sent lately (``remember``), wherever it appears: a server may echo one in any header, such
as ``X-Request-Id``.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable

HTTP_LOGGERS = (
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "httpx",
)
_SECRET_HEADER = re.compile(
    r"""(\(b?['"](?i:x-subject-token|x-auth-token|x-security-token|authorization|x-swr-dockerlogin)['"],\s*b?['"])[^'"]*(['"])"""
)


# Secret values sent lately, most recent last. A session uses one credential and renews its token
# a few times a day, but every AK/SK request has a new signature: 256 keeps those of the requests
# in flight (a few forms each) while the filter stays cheap.
MAX_REMEMBERED_SECRETS = 256
_remembered: OrderedDict[str, None] = OrderedDict()
_remembered_lock = threading.Lock()


def remember(secrets: Iterable[str]) -> None:
    """Mask these values in the HTTP libraries' log records from now on."""
    with _remembered_lock:
        for secret in secrets:
            _remembered[secret] = None
            _remembered.move_to_end(secret)
        while len(_remembered) > MAX_REMEMBERED_SECRETS:
            _remembered.popitem(last=False)


def _remembered_secrets() -> list[str]:
    with _remembered_lock:
        return sorted(_remembered, key=len, reverse=True)


class RedactSecretHeaders(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        redacted = _SECRET_HEADER.sub(r"\1***\2", message)
        for secret in _remembered_secrets():
            redacted = redacted.replace(secret, "***")
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
