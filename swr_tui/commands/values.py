"""A command made concrete for one tag: the placeholders' values, checked against their grammar
(``references``), then substituted into argv or quoted into the shell script."""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from typing import Optional

from .. import references
from ..safe_text import is_clean
from ..swr.models import Tag
from .model import SHELL, ExternalCommand
from .templates import PLACEHOLDERS, Piece, TemplateError, check_argv, shell_word_starts, template_pieces


class CommandRefused(Exception):
    """The command will not run on this tag; ``str()`` is a message for the user."""


def values_for(tag: Tag, namespace: str, repo: str) -> dict[str, Optional[str]]:
    """The placeholders' values for one tag of ``namespace/repo``."""
    return {
        "path": tag.path,
        "internal_path": tag.internal_path,
        "digest": tag.digest,
        "namespace": namespace,
        "repo": repo,
        "tag": tag.name,
    }


def expand(command: ExternalCommand, values: Mapping[str, Optional[str]]) -> list[str]:
    """The argv to run (``[/bin/sh, -c, script]`` for a shell command), or CommandRefused."""
    try:
        if command.shell:
            if not isinstance(command.template, str):
                raise TemplateError("a shell command's template is one script (a string)")
            pieces = template_pieces(command.template)
            starts = shell_word_starts(pieces)
        else:
            argv = command.argv_template
            check_argv(argv)
    except TemplateError as exc:
        raise CommandRefused(f"{command.name} not run: {exc}") from None
    if command.shell:
        out: list[str] = []
        fields = iter(starts)
        for piece in pieces:
            out.append(piece.literal)
            if piece.field is not None:
                value = _value(command, values, piece.field)
                if next(fields) and value.startswith("-"):
                    raise _option_refusal(command, piece.field, value)
                out.append(shlex.quote(value))
        return [SHELL, "-c", "".join(out)]
    expanded = []
    for position, word in enumerate(argv):
        pieces = template_pieces(word)
        argument = "".join(
            piece.literal + ("" if piece.field is None else _value(command, values, piece.field))
            for piece in pieces
        )
        first = pieces[0] if pieces else Piece("", None)  # "" has no pieces
        if first.literal == "" and first.field is not None and argument.startswith("-"):
            raise _option_refusal(command, first.field, _value(command, values, first.field))
        if position == 0 and argument.startswith("~"):
            argument = os.path.expanduser(argument)
        expanded.append(argument)
    return expanded


# What each value may look like: the OCI / SWR grammars (references.py), which hold no shell
# metacharacter, space or quote. Quoting protects a value from the shell swr-tui starts, but not from
# a program that parses its arguments again (ssh joins them into a remote command line; sh -c, eval):
# a value the registry sent that is not a plausible name is refused rather than passed on.
VALUE_GRAMMARS = {
    "path": references.IMAGE_REFERENCE,
    "internal_path": references.IMAGE_REFERENCE,
    "digest": references.IMAGE_DIGEST,
    "namespace": references.NAMESPACE_NAME,
    "repo": references.REPOSITORY_NAME,
    "tag": references.TAG_NAME,
}


def _value(command: ExternalCommand, values: Mapping[str, Optional[str]], field: str) -> str:
    value = values.get(field)
    label = PLACEHOLDERS[field]
    if not value:
        raise CommandRefused(
            f"{command.name} not run: it needs the tag's {label} ({{{field}}}), and this tag has none"
        )
    if not is_clean(value):
        raise CommandRefused(
            f"{command.name} not run: the {label} holds control or invisible characters: "
            f"{references.quoted(value)}"
        )
    return value


def check_values(command: ExternalCommand, values: Mapping[str, Optional[str]]) -> None:
    """CommandRefused unless every value the command uses matches its grammar (``VALUE_GRAMMARS``).

    A second line of defence, before ``expand``'s quoting: it also protects programs that parse
    their arguments again, which no quoting by swr-tui can.
    """
    for field in command.placeholders:
        value = values.get(field)
        if not value:
            continue  # expand says which value is missing
        if not VALUE_GRAMMARS[field].fullmatch(value):
            raise CommandRefused(
                f"{command.name} not run: the {PLACEHOLDERS[field]} {references.quoted(value)} is not a "
                "valid image reference, so it is not handed to a command (only letters, digits and "
                ". _ - : / @ are)"
            )


def _option_refusal(command: ExternalCommand, field: str, value: str) -> CommandRefused:
    return CommandRefused(
        f"{command.name} not run: the {PLACEHOLDERS[field]} {references.quoted(value)} starts with '-' "
        "and would be read as an option"
    )
