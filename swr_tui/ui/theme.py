"""Colours the terminal can show: the 16-colour theme, and NO_COLOR that stays readable with it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.filter import LineFilter, Monochrome, NoColor

# Textual's theme that paints with the terminal's own 16-colour palette (no approximated truecolour).
FEW_COLOURS_THEME = "ansi-dark"

_NO_COLOR_FOR_ANSI = NoColor()
_NO_COLOR_FOR_TRUECOLOUR = Monochrome()


def few_colours(environ: Mapping[str, str]) -> bool:
    """A 16-colour terminal: use the terminal's own palette rather than approximated truecolour."""
    if environ.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return False
    term = environ.get("TERM", "")
    return (
        bool(term) and "256" not in term and "direct" not in term and term not in ("xterm-kitty", "alacritty")
    )


def readable_filters(filters: Sequence[LineFilter], native_ansi: bool) -> list[LineFilter]:
    """``filters`` with NO_COLOR's filter fitting the theme in use.

    Textual picks that filter once, for the theme it starts with (Monochrome for a truecolour theme,
    NoColor for an ANSI one). Monochrome over ANSI colours turns every cell black on black: the app
    switches to the ANSI theme after that choice on a 16-colour terminal, and the palette can switch
    themes at any time, so the filter is chosen again for every frame."""
    wanted = _NO_COLOR_FOR_ANSI if native_ansi else _NO_COLOR_FOR_TRUECOLOUR
    return [wanted if isinstance(entry, (Monochrome, NoColor)) else entry for entry in filters]
