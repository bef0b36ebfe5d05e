"""One external command, as ``[commands.NAME]`` declares it."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Optional, Union

from .templates import fields, template_pieces

SHELL = "/bin/sh"


@dataclass(frozen=True)
class ExternalCommand:
    """One ``[commands.NAME]`` table. ``template`` is the argv template, or the script if ``shell``."""

    name: str
    template: Union[tuple[str, ...], str]
    key: Optional[str] = None  # a Textual key name (``D``, ``ctrl+l``, ``f5``); None: palette only
    shell: bool = False
    pause: bool = True
    description: str = ""

    @property
    def argv_template(self) -> tuple[str, ...]:
        return () if isinstance(self.template, str) else tuple(self.template)

    @property
    def display(self) -> str:
        """How the command reads in help: ``dive {path}``; a shell script as written."""
        if isinstance(self.template, str):
            return self.template
        return " ".join(_display_word(word) for word in self.template)

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The placeholders the command uses, each once, in order."""
        words = [self.template] if isinstance(self.template, str) else list(self.template)
        found: dict[str, None] = {}
        for word in words:
            for name in fields(template_pieces(word)):
                found.setdefault(name)
        return tuple(found)


def _display_word(word: str) -> str:
    if word and re.fullmatch(r"[\w@%+=:,./{}\-]+", word):
        return word
    return shlex.quote(word)
