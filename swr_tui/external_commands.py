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

Nothing here imports Textual: ``swr_tui/ui/external.py`` is the app side.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import string
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Optional, TextIO, Union

from . import references
from .safe_text import is_clean, scrub
from .swr.errors import ConfigurationError
from .swr.models import Tag

# The placeholders, in the order the messages list them, with what they are called in messages.
PLACEHOLDERS: dict[str, str] = {
    "path": "pull path",
    "internal_path": "internal (in-VPC) pull path",
    "digest": "digest",
    "namespace": "namespace",
    "repo": "repository name",
    "tag": "tag name",
}

# swr-tui's own keys, spelled as Textual names them (Binding.key): a command may not take one.
# The app's bindings (SwrApp, TagTable, CatalogTree) must all be in here; a test checks it.
RESERVED_KEYS: frozenset[str] = frozenset(
    (
        *("q", "question_mark", "slash", "s", "r", "c", "i", "d", "y", "t", "w", "p", "z"),
        *("escape", "space", "equals_sign", "tab", "shift+tab", "enter"),
        *("up", "down", "k", "j", "g", "G", "home", "end", "pageup", "pagedown"),
        *("ctrl+p", "ctrl+s", "ctrl+q", "ctrl+c", "super+c"),  # super+c: Textual's copy, like ctrl+c
    )
)

COMMAND_KEYS = ("key", "run", "shell", "description", "pause")
SHELL = "/bin/sh"
MAX_NAME_LENGTH = 40
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]*")

# -- key names (what Textual calls a key, without importing Textual) ------------------------------

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
_KEY_ALIASES = {
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


# -- templates -----------------------------------------------------------------------------------


class _TemplateError(ValueError):
    """A template swr-tui will not run; the message names the problem, not the file."""


@dataclass(frozen=True)
class _Piece:
    literal: str  # text before the placeholder, with {{ and }} already made single braces
    field: Optional[str]  # a placeholder name, or None at the end


def _pieces(template: str) -> list[_Piece]:
    """``str.format`` syntax, restricted: ``{name}`` of a known placeholder, ``{{``/``}}`` braces."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:  # a lone { or }
        raise _TemplateError(
            f"{template!r} has an unmatched brace ({exc}); write {{{{ and }}}} for literal braces"
        ) from None
    pieces = []
    for literal, field, spec, conversion in parsed:
        if field is None:
            pieces.append(_Piece(literal, None))
            continue
        written = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if field not in PLACEHOLDERS:
            plain_name = re.match(r"[A-Za-z_]\w*", field)
            if plain_name and plain_name.group() in PLACEHOLDERS and field != plain_name.group():
                raise _TemplateError(
                    f"{written} is not allowed: a placeholder is a plain name such as "
                    f"{{{plain_name.group()}}}, with no attribute or index"
                )
            raise _TemplateError(f"unknown placeholder {written}; use {_placeholder_list()}")
        if conversion or spec:
            raise _TemplateError(
                f"{written} is not allowed: a placeholder is a plain name such as {{{field}}}, "
                "with no conversion (!r) or format spec (:>10)"
            )
        pieces.append(_Piece(literal, field))
    return pieces


def _placeholder_list() -> str:
    names = [f"{{{name}}}" for name in PLACEHOLDERS]
    return ", ".join(names[:-1]) + " or " + names[-1] + " (write {{ and }} for literal braces)"


def _fields(pieces: Sequence[_Piece]) -> list[str]:
    return [piece.field for piece in pieces if piece.field is not None]


_WORD_BREAKS = frozenset(" \t\n;&|()<>")


def _shell_word_starts(pieces: Sequence[_Piece]) -> list[bool]:
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
            raise _TemplateError(
                f"{written} is inside quotes; swr-tui quotes every value itself, so write it bare "
                f"(quoting it again would let a tag name break out)"
            )
        if escaped:
            raise _TemplateError(f"{written} follows a backslash, which would undo swr-tui's quoting")
        if heredoc:
            raise _TemplateError(
                f"{written} is after a here-document (<<), where swr-tui's quoting does not apply"
            )
        starts.append(word_start)
        word_start = False
    if state in ("single", "double", "ansi"):
        raise _TemplateError("a quote is never closed")
    return starts


def _check_argv(argv: Sequence[str]) -> None:
    if not argv:
        raise _TemplateError("run is empty: give the program and its arguments")
    for argument in argv:
        if "\x00" in argument:
            raise _TemplateError("an argument holds a NUL character")
        _pieces(argument)
    if _fields(_pieces(argv[0])):
        raise _TemplateError(
            f"the program {argv[0]!r} holds a placeholder: the registry would choose what runs; "
            "put placeholders in the arguments"
        )


def _check_script(script: str) -> None:
    if not script.strip():
        raise _TemplateError("shell is empty")
    if "\x00" in script:
        raise _TemplateError("shell holds a NUL character")
    _shell_word_starts(_pieces(script))


# -- commands ------------------------------------------------------------------------------------


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
            for name in _fields(_pieces(word)):
                found.setdefault(name)
        return tuple(found)


def _display_word(word: str) -> str:
    if word and re.fullmatch(r"[\w@%+=:,./{}\-]+", word):
        return word
    return shlex.quote(word)


def parse_commands(value: Any, shown: str) -> tuple[ExternalCommand, ...]:
    """The ``commands`` table of config.toml (already parsed); ``shown`` names the file in errors."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise ConfigurationError(
            f'In {shown}: commands must be tables, written [commands.NAME] with run = [...] or shell = "..."'
        )
    commands: list[ExternalCommand] = []
    keys_taken: dict[str, str] = {}
    for name, table in value.items():
        command = _parse_command(name, table, shown)
        if command.key is not None:
            same = _KEY_ALIASES.get(command.key, command.key)
            where = f"In {shown}: [commands.{name}] key '{key_label(command.key)}'"
            if same in RESERVED_KEYS:
                alias = f" (to a terminal, the same key as {key_label(same)})" if same != command.key else ""
                raise ConfigurationError(
                    f"{where}{alias} is one of swr-tui's own keys; pick another "
                    f"(taken: {RESERVED_KEYS_SHOWN})"
                )
            if same in keys_taken:
                raise ConfigurationError(f"{where} is already the key of [commands.{keys_taken[same]}]")
            keys_taken[same] = name
        commands.append(command)
    return tuple(commands)


def _parse_command(name: Any, table: Any, shown: str) -> ExternalCommand:
    if not isinstance(name, str) or not _NAME.fullmatch(name) or len(name) > MAX_NAME_LENGTH:
        raise ConfigurationError(
            f"In {shown}: command name '{scrub(str(name))}' must be letters, digits, '_', '.', '+' or '-' "
            f"(at most {MAX_NAME_LENGTH}), starting with a letter or digit"
        )
    where = f"In {shown}: [commands.{name}]"
    if not isinstance(table, dict):
        raise ConfigurationError(f"{where} must be a table, written [commands.{name}] with run = [...]")
    unknown = sorted(key for key in table if key not in COMMAND_KEYS)
    if unknown:
        raise ConfigurationError(
            f"{where}: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
            f"a command has {', '.join(COMMAND_KEYS)}"
        )
    if ("run" in table) == ("shell" in table):
        raise ConfigurationError(
            f"{where} needs exactly one of run (the program and its arguments, run without a shell) "
            "or shell (a /bin/sh script, every value quoted)"
        )
    template: Union[tuple[str, ...], str]
    try:
        if "run" in table:
            template = _run_template(table["run"])
            _check_argv(template)
        else:
            script = table["shell"]
            if not isinstance(script, str):
                raise _TemplateError("shell must be a string: the script /bin/sh runs")
            _check_script(script)
            template = script
    except _TemplateError as exc:
        raise ConfigurationError(f"{where}: {exc}") from None
    key = table.get("key")
    if key is not None:
        if not isinstance(key, str):
            raise ConfigurationError(f'{where}: key must be a string such as "D", "ctrl+l" or "f5"')
        try:
            key = normalize_key(key)
        except ValueError as exc:
            raise ConfigurationError(f"{where}: key '{scrub(key)}' is not a key: {exc}") from None
    description = table.get("description", "")
    if not isinstance(description, str):
        raise ConfigurationError(f"{where}: description must be a string")
    pause = table.get("pause", True)
    if not isinstance(pause, bool):
        raise ConfigurationError(f"{where}: pause must be true or false")
    return ExternalCommand(
        name=name,
        template=template,
        key=key,
        shell="shell" in table,
        pause=pause,
        description=description.strip(),
    )


def _run_template(run: Any) -> tuple[str, ...]:
    if isinstance(run, str):
        try:
            return tuple(shlex.split(run))
        except ValueError as exc:  # "No closing quotation"
            raise _TemplateError(f"run cannot be split into arguments: {exc}") from None
    if isinstance(run, list):
        if not all(isinstance(item, str) for item in run):
            raise _TemplateError('every item of run must be a string, e.g. run = ["dive", "{path}"]')
        return tuple(run)
    raise _TemplateError('run must be a list of arguments (run = ["dive", "{path}"]) or a string')


# -- expanding -----------------------------------------------------------------------------------


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
                raise _TemplateError("a shell command's template is one script (a string)")
            pieces = _pieces(command.template)
            starts = _shell_word_starts(pieces)
        else:
            argv = command.argv_template
            _check_argv(argv)
    except _TemplateError as exc:
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
        pieces = _pieces(word)
        argument = "".join(
            piece.literal + ("" if piece.field is None else _value(command, values, piece.field))
            for piece in pieces
        )
        first = pieces[0] if pieces else _Piece("", None)  # "" has no pieces
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
            f"{_clip(scrub(value))}"
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
                f"{command.name} not run: the {PLACEHOLDERS[field]} {_clip(scrub(value))} is not a valid "
                "image reference, so it is not handed to a command (only letters, digits and . _ - : / @ "
                "are)"
            )


def _option_refusal(command: ExternalCommand, field: str, value: str) -> CommandRefused:
    return CommandRefused(
        f"{command.name} not run: the {PLACEHOLDERS[field]} {_clip(scrub(value))} starts with '-' "
        "and would be read as an option"
    )


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- running -------------------------------------------------------------------------------------


def program_missing(argv: Sequence[str], path: Optional[str] = None) -> Optional[str]:
    """A message when argv's program is not on PATH (or not executable), else None.

    Checked before the app suspends, so a typo is a toast, not a flash of the bare terminal.
    """
    program = argv[0]
    if shutil.which(program, path=path) is not None:
        return None
    if os.sep in program:
        return f"{program}: no such program (or it is not executable)"
    return f"{program}: command not found on PATH"


def describe_exit(name: str, status: int) -> str:
    if status < 0:
        try:
            signal_name = signal.Signals(-status).name
        except ValueError:
            signal_name = f"signal {-status}"
        return f"{name} was ended by {signal_name}"
    return f"{name} exited with status {status}"


def run_foreground(
    argv: Sequence[str],
    *,
    pause: bool = True,
    name: str = "",
    terminal_in: Optional[int] = None,
    terminal_out: Optional[TextIO] = None,
) -> int:
    """Run ``argv`` on the inherited terminal (never through a shell unless argv is one) and return
    its exit status (negative: the signal that ended it).

    ``ctrl+c`` reaches the command, not swr-tui. With ``pause``, ask for Enter before returning,
    so the output can be read; EOF returns at once. ``terminal_in`` (a file descriptor) and
    ``terminal_out`` default to the process's stdin and stdout, which is the terminal once the app
    has suspended.
    """
    name = name or os.path.basename(argv[0])
    out = sys.__stdout__ if terminal_out is None else terminal_out
    with _interrupts_go_to_the_child():
        try:
            status = subprocess.run(list(argv), check=False).returncode  # noqa: S603 - no shell
        except OSError as exc:  # vanished since the PATH check, not executable, not a program
            _say(out, f"\n[swr-tui] {name}: {exc.strerror or exc}")
            status = 126 if isinstance(exc, PermissionError) else 127
    if pause:
        _say(out, f"\n[swr-tui] {describe_exit(name, status)}. Press Enter to return to swr-tui.")
        _wait_for_enter(terminal_in)
    return status


def _say(out: Optional[TextIO], text: str) -> None:
    if out is None:
        return
    try:
        out.write(text)
        out.flush()
    except (OSError, ValueError):
        pass


class _Interrupted(Exception):
    pass


def _raise_interrupted(signum: int, frame: Any) -> None:
    raise _Interrupted


def _ignore(signum: int, frame: Any) -> None:
    """A handler that does nothing. Unlike SIG_IGN, a handler is reset to the default in the
    child at exec, so the command itself still stops on ctrl+c."""


def _on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def _interrupts_go_to_the_child(handler: Callable[[int, Any], None] = _ignore) -> Iterator[None]:
    """While the command runs, ctrl+c (SIGINT) and ctrl+\\ (SIGQUIT) go to the whole foreground
    process group: the command should stop, swr-tui should not. (Signals can only be handled on
    the main thread; elsewhere nothing changes.)"""
    saved: dict[int, Any] = {}
    if _on_main_thread():
        for signum in (signal.SIGINT, getattr(signal, "SIGQUIT", None)):
            if signum is not None:
                saved[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, previous in saved.items():
            signal.signal(signum, previous)


def _wait_for_enter(terminal_in: Optional[int]) -> None:
    """Read up to a newline (or a carriage return, should the command have left the terminal raw);
    EOF, an error or ctrl+c return at once."""
    if terminal_in is None:
        stream = sys.__stdin__
        if stream is None:
            return
        try:
            terminal_in = stream.fileno()
        except (OSError, ValueError):
            return
    with _interrupts_go_to_the_child(_raise_interrupted):
        try:
            for byte in _bytes(terminal_in):
                if byte in (b"\n", b"\r"):
                    return
        except (_Interrupted, OSError):
            return


def _bytes(fd: int) -> Iterator[bytes]:
    while True:
        byte = os.read(fd, 1)
        if not byte:
            return
        yield byte
