"""Key names as Textual spells them, without importing Textual: reading a key a person wrote
(``?``, ``F5``, ``Ctrl+L``), showing one back, and the keys swr-tui keeps for itself."""

from __future__ import annotations

import string
import unicodedata

# swr-tui's own keys, spelled as Textual names them (Binding.key): a command may not take one.
# The app's bindings (SwrApp, TagTable, CatalogTree) must all be in here; a test checks it.
RESERVED_KEYS: frozenset[str] = frozenset(
    (
        *(
            "q",
            "question_mark",
            "slash",
            "s",
            "r",
            "R",
            "c",
            "i",
            "d",
            "y",
            "t",
            "w",
            "p",
            "z",
            "h",
            "v",
            "P",
            "A",
        ),
        *("left_square_bracket", "right_square_bracket"),
        *("escape", "space", "equals_sign", "tab", "shift+tab", "enter"),
        *("up", "down", "k", "j", "g", "G", "home", "end", "pageup", "pagedown"),
        *("ctrl+p", "ctrl+s", "ctrl+q", "ctrl+c", "super+c"),  # super+c: Textual's copy, like ctrl+c
    )
)

_MODIFIERS = ("alt", "ctrl", "hyper", "meta", "shift", "super")  # Textual sorts them alphabetically
_NAMED_KEYS = frozenset(
    {
        "escape",
        "enter",
        "tab",
        "space",
        "backspace",
        "delete",
        "insert",
        "home",
        "end",
        "pageup",
        "pagedown",
        "up",
        "down",
        "left",
        "right",
        *(f"f{number}" for number in range(1, 25)),
    }
)
# textual.keys.KEY_NAME_REPLACEMENTS: Unicode's names for some characters, as Textual shortens them.
_NAME_REPLACEMENTS = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}
# Keys Textual treats as the same key (textual.keys.KEY_ALIASES), mapped to the one that counts.
KEY_ALIASES = {
    "ctrl+i": "tab",
    "ctrl+m": "enter",
    "return": "enter",
    "ctrl+left_square_bracket": "escape",
    "ctrl+left_square_brace": "escape",
    "ctrl+space": "ctrl+at",
    "newline": "ctrl+j",
}


def character_key(character: str) -> str:
    """Textual's name for the key that types ``character`` (``?`` -> ``question_mark``)."""
    if character.isalnum():
        return character
    name = unicodedata.name(character, character).lower().replace("-", "_").replace(" ", "_")
    return _NAME_REPLACEMENTS.get(name, name)


_PUNCTUATION_KEYS = {character_key(char): char for char in string.punctuation}


def key_label(key: str) -> str:
    """How a key reads for a person: ``question_mark`` -> ``?``, ``ctrl+l`` stays ``ctrl+l``."""
    modifiers, _, base = key.rpartition("+")
    base = _PUNCTUATION_KEYS.get(base, base)
    return f"{modifiers}+{base}" if modifiers else base


RESERVED_KEYS_SHOWN = " ".join(
    sorted(
        (key_label(key) for key in RESERVED_KEYS),
        key=lambda label: ("+" in label, len(label) > 1, label.lower(), label),
    )
)


def normalize_key(spelled: str) -> str:
    """The Textual key name for a key as a person writes it (``?``, ``F5``, ``Ctrl+L``, ``D``).

    Raises ValueError, with the reason, for anything Textual would never report as a key.
    """
    if spelled != spelled.strip() and spelled.strip():
        raise ValueError("it has spaces around it")
    if spelled == " ":
        return "space"
    if len(spelled) == 1:
        if not spelled.isprintable() or spelled.isspace():
            raise ValueError("it is not a key you can press")
        return character_key(spelled)
    if not spelled:
        raise ValueError("it is empty (leave key out to run the command from the palette only)")
    *modifiers, base = spelled.split("+")
    modifiers = [modifier.lower() for modifier in modifiers]
    for modifier in modifiers:
        if modifier not in _MODIFIERS:
            raise ValueError(f"{modifier!r} is not a modifier (use {', '.join(_MODIFIERS)})")
    if len(set(modifiers)) != len(modifiers):
        raise ValueError("a modifier is repeated")
    if len(base) == 1:
        if not base.isprintable() or base.isspace():
            raise ValueError("it is not a key you can press")
        if modifiers and base.isalpha() and base != base.lower():
            raise ValueError(f"write {'+'.join(modifiers)}+{base.lower()} (add shift+ for shift)")
        base = character_key(base)
    else:
        base = base.lower()
        if base not in _NAMED_KEYS and base not in _PUNCTUATION_KEYS:
            raise ValueError(
                f"{base!r} is not a key name (a character such as D, or escape, enter, tab, space, "
                "backspace, delete, insert, home, end, pageup, pagedown, up, down, left, right, f1-f24, "
                "with ctrl+, alt+ or shift+ in front)"
            )
    return "+".join([*sorted(modifiers), base])
