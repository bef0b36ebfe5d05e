"""Content digests: the grammar the registry's references use, and the check of fetched bytes."""

from __future__ import annotations

import hashlib
import re

from ...safe_text import scrub
from ..errors import ConfigurationError
from .errors import DigestMismatchError

_ALGORITHMS = {"sha256": 64, "sha512": 128}
DIGEST = re.compile(r"(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})")
_SHOWN_HEX = 12


def check_digest(digest: str) -> str:
    if not DIGEST.fullmatch(digest):
        raise ConfigurationError(
            f"{scrub(digest[:80])!r} is not a content digest (sha256: and 64 lower-case hex digits)"
        )
    return digest


def digest_of(data: bytes, algorithm: str = "sha256") -> str:
    return f"{algorithm}:{hashlib.new(algorithm, data).hexdigest()}"


def verify(data: bytes, digest: str, what: str) -> None:
    """DigestMismatchError unless ``data`` hashes to ``digest``."""
    algorithm = check_digest(digest).partition(":")[0]
    actual = digest_of(data, algorithm)
    if actual != digest:
        raise DigestMismatchError(
            f"The registry sent {len(data):,} bytes for {what} that do not match its digest "
            f"{digest[: len(algorithm) + 1 + _SHOWN_HEX]}… (they hash to "
            f"{actual[: len(algorithm) + 1 + _SHOWN_HEX]}…): refused. The registry's storage or a "
            "proxy is corrupting data; try again later"
        )
