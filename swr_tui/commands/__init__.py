"""External commands from config.toml: ``dive {path}`` or ``trivy image {path}`` on the highlighted tag.

A ``[commands.NAME]`` table maps an optional key to a command; the app suspends, runs it in the
terminal and comes back. The rules that keep a hostile tag name from running anything:

- ``run`` (a list, or a string split like a shell would, by ``shlex``) becomes argv: no shell runs,
  each placeholder's value is substituted *inside* one argument, literally, never re-split or
  re-formatted. The program (the first argument) cannot hold a placeholder.
- ``shell`` is the opt-in: ``/bin/sh -c SCRIPT`` where every value is ``shlex.quote()``d. A
  placeholder inside quotes, after a backslash or in a here-document would undo that quoting, so
  such scripts are refused when the file is read.
- A value holding control characters (C0, DEL, C1, bidi controls...) is refused, and so is a value
  that would start an argument with ``-`` (``--output=/etc/x`` as a tag name is an option injection).

Modules: ``keys`` (key names), ``templates`` (placeholders and the shell rules), ``model`` (the
command), ``parsing`` (the config.toml tables), ``values`` (a tag's values, their grammar, expansion),
``runner`` (the foreground run). Nothing here imports Textual: ``swr_tui/ui/external.py`` is the
app side.

The names below are imported when first used: the browser's start needs the key names (``keys``),
not the rules that run a command (issue 14).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy_names import lazy_names

if TYPE_CHECKING:
    from .keys import RESERVED_KEYS, RESERVED_KEYS_SHOWN, character_key, key_label, normalize_key
    from .model import SHELL, ExternalCommand
    from .parsing import COMMAND_KEYS, parse_commands
    from .runner import describe_exit, program_missing, run_foreground
    from .templates import PLACEHOLDERS
    from .values import VALUE_GRAMMARS, CommandRefused, check_values, expand, values_for

_MODULE_OF = {
    **dict.fromkeys(
        ("RESERVED_KEYS", "RESERVED_KEYS_SHOWN", "character_key", "key_label", "normalize_key"), "keys"
    ),
    **dict.fromkeys(("SHELL", "ExternalCommand"), "model"),
    **dict.fromkeys(("COMMAND_KEYS", "parse_commands"), "parsing"),
    **dict.fromkeys(("describe_exit", "program_missing", "run_foreground"), "runner"),
    "PLACEHOLDERS": "templates",
    **dict.fromkeys(("VALUE_GRAMMARS", "CommandRefused", "check_values", "expand", "values_for"), "values"),
}

__all__ = [
    "COMMAND_KEYS",
    "PLACEHOLDERS",
    "RESERVED_KEYS",
    "RESERVED_KEYS_SHOWN",
    "SHELL",
    "VALUE_GRAMMARS",
    "CommandRefused",
    "ExternalCommand",
    "character_key",
    "check_values",
    "describe_exit",
    "expand",
    "key_label",
    "normalize_key",
    "parse_commands",
    "program_missing",
    "run_foreground",
    "values_for",
]


if not TYPE_CHECKING:  # so that mypy still checks every name imported from here
    __getattr__, __dir__ = lazy_names(__name__, _MODULE_OF, __all__)
