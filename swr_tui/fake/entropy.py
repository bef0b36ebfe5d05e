"""Deterministic randomness keyed by names, so any record can be rebuilt alone from its key."""

from __future__ import annotations

import hashlib
import random


def rng(*parts: object) -> random.Random:
    # A str seed goes through SHA-512 in random.Random, so the stream is stable across runs and
    # Python versions (unlike hash(), which is salted per process).
    return random.Random("/".join(str(part) for part in parts))


def hex_digest(generator: random.Random) -> str:
    return f"{generator.getrandbits(256):064x}"


def sha256_digest(generator: random.Random) -> str:
    return "sha256:" + hex_digest(generator)


def hex_id(*parts: object, length: int = 32) -> str:
    return hashlib.sha256("/".join(str(part) for part in parts).encode("utf-8")).hexdigest()[:length]
