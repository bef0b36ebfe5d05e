"""An image at depth, with no UI: its config and history, each platform of a multi-arch tag, and its
signatures, read through the content cache from the management API or the registry's data plane."""

from __future__ import annotations

from .inspector import Inspector
from .model import ImageView, Platform, Signature
from .platforms import check_platform

__all__ = ["ImageView", "Inspector", "Platform", "Signature", "check_platform"]
