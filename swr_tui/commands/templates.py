"""Command templates: ``str.format`` syntax restricted to known placeholders, and the shell rules
that refuse a placeholder swr-tui's quoting would not protect (inside quotes, after a backslash,
in a here-document)."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

# The placeholders, in the order the messages list them, with what they are called in messages.
PLACEHOLDERS: dict[str, str] = {
    "path": "pull path",
    "internal_path": "internal (in-VPC) pull path",
    "digest": "digest",
    "namespace": "namespace",
    "repo": "repository name",
    "tag": "tag name",
}


class TemplateError(ValueError):
    """A template swr-tui will not run; the message names the problem, not the file."""


@dataclass(frozen=True)
class Piece:
    literal: str  # text before the placeholder, with {{ and }} already made single braces
    field: Optional[str]  # a placeholder name, or None at the end


def template_pieces(template: str) -> list[Piece]:
    """``str.format`` syntax, restricted: ``{name}`` of a known placeholder, ``{{``/``}}`` braces."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:  # a lone { or }
        raise TemplateError(
            f"{template!r} has an unmatched brace ({exc}); write {{{{ and }}}} for literal braces"
        ) from None
    pieces = []
    for literal, field, spec, conversion in parsed:
        if field is None:
            pieces.append(Piece(literal, None))
            continue
        written = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if field not in PLACEHOLDERS:
            plain_name = re.match(r"[A-Za-z_]\w*", field)
            if plain_name and plain_name.group() in PLACEHOLDERS and field != plain_name.group():
                raise TemplateError(
                    f"{written} is not allowed: a placeholder is a plain name such as "
                    f"{{{plain_name.group()}}}, with no attribute or index"
                )
            raise TemplateError(f"unknown placeholder {written}; use {_placeholder_list()}")
        if conversion or spec:
            raise TemplateError(
                f"{written} is not allowed: a placeholder is a plain name such as {{{field}}}, "
                "with no conversion (!r) or format spec (:>10)"
            )
        pieces.append(Piece(literal, field))
    return pieces


def _placeholder_list() -> str:
    names = [f"{{{name}}}" for name in PLACEHOLDERS]
    return ", ".join(names[:-1]) + " or " + names[-1] + " (write {{ and }} for literal braces)"


def fields(pieces: Sequence[Piece]) -> list[str]:
    return [piece.field for piece in pieces if piece.field is not None]


_WORD_BREAKS = frozenset(" \t\n;&|()<>")


def shell_word_starts(pieces: Sequence[Piece]) -> list[bool]:
    """For each placeholder of a shell script: does it start a word? Refuses placeholders the
    quoting would not protect: inside '...', "..." or $'...', after a backslash, in a here-document."""
    state = "normal"  # normal, single, double, ansi (i.e. $'...'), comment
    escaped = False
    word_start = True
    heredoc = False
    starts: list[bool] = []
    for piece in pieces:
        text = piece.literal
        index = 0
        while index < len(text):
            char = text[index]
            if state == "comment":
                if char == "\n":
                    state, word_start = "normal", True
            elif state == "single":
                if char == "'":
                    state = "normal"
            elif state in ("double", "ansi"):
                if escaped:
                    escaped = False
                elif char == "\\":
                    escaped = True
                elif char == ('"' if state == "double" else "'"):
                    state = "normal"
            elif escaped:
                escaped, word_start = False, False
            elif char == "\\":
                escaped, word_start = True, False
            elif char == "'":
                state, word_start = "single", False
            elif char == '"':
                state, word_start = "double", False
            elif char == "$" and text.startswith("$'", index):
                state, word_start = "ansi", False
                index += 1
            elif char == "#" and word_start:
                state = "comment"
            elif text.startswith("<<<", index):  # a here-string: one word, quoted as any other
                word_start = True
                index += 2
            elif text.startswith("<<", index):
                heredoc = True
                word_start = True
                index += 1
            else:
                word_start = char in _WORD_BREAKS
            index += 1
        if piece.field is None:
            break
        written = "{" + piece.field + "}"
        if state == "comment":
            starts.append(False)
            continue
        if state != "normal":
            raise TemplateError(
                f"{written} is inside quotes; swr-tui quotes every value itself, so write it bare "
                f"(quoting it again would let a tag name break out)"
            )
        if escaped:
            raise TemplateError(f"{written} follows a backslash, which would undo swr-tui's quoting")
        if heredoc:
            raise TemplateError(
                f"{written} is after a here-document (<<), where swr-tui's quoting does not apply"
            )
        starts.append(word_start)
        word_start = False
    if state in ("single", "double", "ansi"):
        raise TemplateError("a quote is never closed")
    return starts


def check_argv(argv: Sequence[str]) -> None:
    if not argv:
        raise TemplateError("run is empty: give the program and its arguments")
    for argument in argv:
        if "\x00" in argument:
            raise TemplateError("an argument holds a NUL character")
        template_pieces(argument)
    if fields(template_pieces(argv[0])):
        raise TemplateError(
            f"the program {argv[0]!r} holds a placeholder: the registry would choose what runs; "
            "put placeholders in the arguments"
        )


def check_script(script: str) -> None:
    if not script.strip():
        raise TemplateError("shell is empty")
    if "\x00" in script:
        raise TemplateError("shell holds a NUL character")
    shell_word_starts(template_pieces(script))
