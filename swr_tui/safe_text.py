"""Make untrusted strings (registry data, manifests, error bodies) safe to show in a terminal.

Control characters (C0 except the ones asked for, DEL, C1) become visible escapes such as ``\\x1b``,
bidi controls become ``\\u202e``-style escapes so a name cannot reorder what is around it, and
invisible characters (zero-width spaces and joiners) become escapes so two names never look alike.
Nothing here imports Textual: the headless commands use it too.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Invisible characters: ``latest\u200b`` must not pass for ``latest``.
_INVISIBLE = "\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff\U000e0000-\U000e007f"
_SURROGATES = "\ud800-\udfff"  # unpaired ones cannot even be encoded for the terminal
_OTHER = f"{_BIDI}{_INVISIBLE}{_SURROGATES}\u2028\u2029"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_OTHER}]")
_UNSAFE_KEEP_NEWLINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_OTHER}]")

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def scrub(text: str, keep_newlines: bool = False) -> str:
    """Visible escapes for every character that could move the cursor, recolour or reorder text."""
    pattern = _UNSAFE_KEEP_NEWLINES if keep_newlines else _UNSAFE
    return pattern.sub(_escape, text)


def is_clean(text: str) -> bool:
    return _UNSAFE.search(text) is None
