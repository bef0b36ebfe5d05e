"""The ``[commands.NAME]`` tables of config.toml, checked: a command that could be made to run
something else, or that takes one of swr-tui's keys, is refused when the file is read."""

from __future__ import annotations

import re
import shlex
from typing import Any, Union

from ..safe_text import scrub
from ..swr.errors import ConfigurationError
from .keys import KEY_ALIASES, RESERVED_KEYS, RESERVED_KEYS_SHOWN, key_label, normalize_key
from .model import ExternalCommand
from .templates import TemplateError, check_argv, check_script

COMMAND_KEYS = ("key", "run", "shell", "description", "pause")
MAX_NAME_LENGTH = 40
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]*")


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
            same = KEY_ALIASES.get(command.key, command.key)
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
            check_argv(template)
        else:
            script = table["shell"]
            if not isinstance(script, str):
                raise TemplateError("shell must be a string: the script /bin/sh runs")
            check_script(script)
            template = script
    except TemplateError as exc:
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
            raise TemplateError(f"run cannot be split into arguments: {exc}") from None
    if isinstance(run, list):
        if not all(isinstance(item, str) for item in run):
            raise TemplateError('every item of run must be a string, e.g. run = ["dive", "{path}"]')
        return tuple(run)
    raise TemplateError('run must be a list of arguments (run = ["dive", "{path}"]) or a string')
