"""Platforms as people write them (``linux/arm64/v8``): checked, and matched against a list's children."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Optional

from ..safe_text import scrub
from ..swr.errors import ConfigurationError
from .model import Platform

DEFAULT_PLATFORM = "linux/amd64"
# os/architecture[/variant], each part as the OCI image spec's values are spelled (lower case,
# digits, and . _ - inside: linux, arm64, v8, windows, ppc64le, s390x).
_PLATFORM = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*){1,2}")
# A platform longer than this is not one (the longest real one, linux/mips64le/..., is ~20).
MAX_PLATFORM_CHARS = 64


def check_platform(text: object, where: str = "--platform") -> str:
    """``text`` if it is ``os/architecture[/variant]`` (lower case); ConfigurationError if not."""
    if isinstance(text, str) and len(text) <= MAX_PLATFORM_CHARS and _PLATFORM.fullmatch(text):
        return text
    shown = scrub(text[:MAX_PLATFORM_CHARS]) if isinstance(text, str) else type(text).__name__
    raise ConfigurationError(
        f"{where} must be os/architecture[/variant] in lower case, such as linux/amd64 or "
        f"linux/arm64/v8, not {shown!r}"
    )


def matching_platform(platforms: Sequence[Platform], wanted: str) -> Optional[Platform]:
    """The image child that is ``wanted``: exactly, else by os/architecture alone (``linux/arm64``
    matches ``linux/arm64/v8`` both ways)."""
    images = [platform for platform in platforms if not platform.attestation]
    for platform in images:
        if platform.label == wanted:
            return platform
    for platform in images:
        if f"{platform.os}/{platform.architecture}" == wanted:
            return platform
    for platform in images:  # linux/arm64/v8 asked for, linux/arm64 listed: arm64's only variant
        if not platform.variant and wanted.startswith(f"{platform.os}/{platform.architecture}/"):
            return platform
    return None


def default_platform(platforms: Sequence[Platform], wanted: Optional[str]) -> Optional[Platform]:
    """``wanted`` if the list has it, else linux/amd64, else the first image (never an attestation)."""
    for choice in (wanted, DEFAULT_PLATFORM):
        found = matching_platform(platforms, choice) if choice else None
        if found is not None:
            return found
    return next((platform for platform in platforms if not platform.attestation), None)


def platform_names(platforms: Sequence[Platform]) -> str:
    return ", ".join(platform.label for platform in platforms if not platform.attestation) or "none"
