"""An image at depth, with no UI: its config and history, each platform of a multi-arch tag, and its
signatures, read through the content cache from the management API or the registry's data plane.

The names below are imported when first used: the browser's first frame needs the model's types
(``swr_tui.inspection.model``), not the Inspector, its registry client and its disk cache (issue 14).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy_names import lazy_names

if TYPE_CHECKING:
    from .inspector import Inspector
    from .model import ImageView, Platform, Signature
    from .platforms import check_platform

__all__ = ["ImageView", "Inspector", "Platform", "Signature", "check_platform"]

_MODULE_OF = {
    "Inspector": "inspector",
    "ImageView": "model",
    "Platform": "model",
    "Signature": "model",
    "check_platform": "platforms",
}


if not TYPE_CHECKING:  # so that mypy still checks every name imported from here
    __getattr__, __dir__ = lazy_names(__name__, _MODULE_OF, __all__)
