"""What an image reference, a digest, a tag or a repository name may look like (OCI / SWR grammars).

A value the registry sent is handed on (to an external command, to the clipboard) only when it
matches: none of these grammars allows a shell metacharacter, a space, a quote, a newline or a
control character, so a value cannot smuggle a second command line into whatever reads it next.
Nothing here imports Textual.
"""

from __future__ import annotations

import re
from typing import Optional

from .safe_text import is_clean, scrub

COMPONENT = r"[A-Za-z0-9][A-Za-z0-9._-]*"
TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
DIGEST = r"[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]+"
REFERENCE = rf"{COMPONENT}(?::[0-9]+)?(?:/{COMPONENT})+(?::{TAG})?(?:@{DIGEST})?"

IMAGE_REFERENCE = re.compile(REFERENCE)
IMAGE_DIGEST = re.compile(DIGEST)
NAMESPACE_NAME = re.compile(COMPONENT)
REPOSITORY_NAME = re.compile(rf"{COMPONENT}(?:/{COMPONENT})*")
TAG_NAME = re.compile(TAG)

# How much of a refused value a message quotes (escaped): enough to recognise it, one line.
QUOTED_LIMIT = 80


def clip(text: str, limit: int = QUOTED_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(value: str) -> str:
    """A value for a message: escaped (``scrub``), then cut to ``QUOTED_LIMIT`` characters."""
    return clip(scrub(value))


def reference_problem(value: str, grammar: re.Pattern[str]) -> Optional[str]:
    """Why ``value`` does not match ``grammar`` (a short clause), or None when it does."""
    if grammar.fullmatch(value):
        return None
    if "\n" in value or "\r" in value:
        return "it holds line breaks (pasted into a shell, each line would run as a command)"
    if not is_clean(value):
        return "it holds control or invisible characters"
    if any(char.isspace() for char in value):
        return "it holds spaces"
    if grammar is IMAGE_DIGEST:
        return "it is not of the form algorithm:hex"
    return "only letters, digits and . _ - : / @ make an image reference"
