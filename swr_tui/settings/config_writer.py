"""Write profiles into config.toml, keeping the user's comments and layout (tomlkit), privately.

The file is created 0600 in a 0700 directory, and every save replaces it atomically (a private
temporary file renamed over it), so a crash never leaves half a config and others never read it.
A symlinked config.toml (dotfiles) is written through: the file it points to is replaced, the link
stays. Secrets are never written: a profile names where credentials come from, not what they are.

Only ``[profiles.NAME]`` tables are edited; profiles written as dotted keys, inline tables, arrays
or plain values are refused rather than rewritten. Before anything is written, the new text is read
back with tomllib and the app's own parser, and the save is refused (file untouched) unless the
profile reads back exactly as written and nothing else in the file changed.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

from ..private_files import WRITABLE_BY_OTHERS, describe_os_error, open_to_others, write_private_text
from ..swr.errors import ConfigurationError
from .config_paths import read_settings_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9 / 3.10 only
    import tomli as tomllib

T = TypeVar("T")

PRIVATE_DIR_MODE = 0o700
NEW_FILE_HEADER = (
    "swr-tui configuration: profiles (where to connect, which credential source), [watch] and\n"
    "[commands.NAME]. Secrets never go here: they stay in the environment or in credential files.\n"
    'See the README, section "config.toml" under "Authentication".'
)


# -- public API -------------------------------------------------------------------------------------


def save_profile(
    path: Path, name: str, values: Mapping[str, Any], *, make_default: bool = False, shown: str = ""
) -> bool:
    """Add ``[profiles.NAME]``, or update it in place if it exists; returns whether it existed.

    Keys whose value is None or "" are left out (an existing table keeps its own value for them);
    the other keys are set. An existing table keeps its other keys and its comments.
    """
    check_profile_name(name)
    shown = shown or str(path)
    document, original = _load(path, shown)
    wanted = {key: value for key, value in values.items() if value is not None and value != ""}

    def edit() -> tuple[bool, dict[str, Any]]:
        existed, table = _put_profile(document, name, wanted, shown)
        if make_default:
            _put_default(document, name)
        return existed, table

    existed, expected = _edit(edit, shown)
    _save(path, shown, document, original, name, expected, name if make_default else None)
    return existed


def set_default_profile(path: Path, name: str, *, shown: str = "") -> None:
    """Make ``name`` the profile used when none is chosen on the command line or in the environment."""
    check_profile_name(name)
    shown = shown or str(path)
    document, original = _load(path, shown)
    _edit(lambda: _put_default(document, name), shown)
    _save(path, shown, document, original, None, None, name)


def profile_exists(path: Path, name: str, *, shown: str = "") -> bool:
    """Whether config.toml has ``[profiles.NAME]`` (False if the file is missing).

    A file that cannot be read or is not valid TOML raises ConfigurationError.
    """
    shown = shown or str(path)
    text = _read(path, shown)
    if text is None:
        return False
    profiles = _toml(text, shown).get("profiles")
    return isinstance(profiles, dict) and isinstance(profiles.get(name), dict)


def directory_warning(path: Path, *, shown: str = "") -> Optional[str]:
    """A warning to show when the folder of config.toml is writable by group or others, else None.

    Such a folder lets another user replace config.toml, and config.toml can run commands
    ([commands]). Existing folders are never changed here; the person decides.
    """
    folder = Path(path).parent
    folders = [folder, Path(os.path.realpath(path)).parent]
    for candidate in dict.fromkeys(folders):
        mode = open_to_others(candidate, WRITABLE_BY_OTHERS, folder=True)
        if mode is not None:
            where = os.path.dirname(shown) if shown and candidate == folder else str(candidate)
            return (
                f"{where} is writable by other users (mode {mode:o}), who could replace "
                f"config.toml, and config.toml can run commands ([commands]): run chmod 700 {where}"
            )
    return None


def commands_warning(path: Path, *, shown: str = "") -> Optional[str]:
    """Said at start-up when config.toml has [commands] that other users could change: the file,
    or its folder, is writable by group or others."""
    if not os.path.exists(path):  # nothing to warn about; its folder matters only for a file
        return None
    shown = shown or str(path)
    mode = open_to_others(path, WRITABLE_BY_OTHERS)
    if mode is not None:
        return (
            f"{shown} can be changed by other users (mode {mode:o}) and its [commands] run "
            f"programs on your tags: run chmod 600 {shown}"
        )
    return directory_warning(path, shown=shown)


def check_profile_name(name: str) -> None:
    """Names stay simple so that `--profile NAME` and `[profiles.NAME]` need no quoting."""
    if not name or not all(ch.isalnum() or ch in "-_." for ch in name) or not name.isascii():
        raise ConfigurationError(
            f"Profile name {name!r} is not usable: use letters, digits, '-', '_' or '.' (e.g. prod-cn)"
        )


# -- editing the document ---------------------------------------------------------------------------


def _edit(change: Callable[[], T], shown: str) -> T:
    """Run a tomlkit edit; any tomlkit failure becomes a ConfigurationError (nothing is written)."""
    try:
        return change()
    except ConfigurationError:
        raise
    except Exception as error:  # tomlkit raises ValueError, TypeError, KeyError and its own errors
        raise ConfigurationError(
            f"Cannot update {shown} ({type(error).__name__}: {error}); it was left as it was"
        ) from None


def _profile_chunks(document: Any, name: str, shown: str) -> list[Any]:
    """The top-level ``profiles`` tables (several when out of order), checked to hold only
    ``[profiles.NAME]`` tables; any other form is refused."""
    from tomlkit.items import AoT, InlineTable, Table

    chunks = []
    for key, item in document.body:
        if key is None or key.key != "profiles":
            continue
        form = None
        if isinstance(item, Table) and key.is_dotted():
            form = "dotted keys (profiles.NAME.KEY = ...)"
        elif isinstance(item, InlineTable):
            form = "an inline table (profiles = { ... })"
        elif isinstance(item, AoT):
            form = "an array of tables ([[profiles]])"
        elif not isinstance(item, Table):
            form = "a plain value (profiles = ...)"
        else:
            for child_key, child in item.value.body:
                if child_key is None:
                    continue
                child_name = child_key.as_string().strip()
                if isinstance(child, Table) and child_key.is_dotted():
                    form = f"dotted keys ({child_name}.KEY = ... under [profiles])"
                elif isinstance(child, InlineTable):
                    form = f"an inline table (profiles.{child_name} = {{ ... }})"
                elif not isinstance(child, Table):
                    form = f"a plain value or array (profiles.{child_name} = ...)"
                if form:
                    break
        if form:
            raise ConfigurationError(
                f"Cannot save to {shown}: its profiles are written as {form}, which swr-tui does not "
                f"edit. Write each profile as a [profiles.NAME] table (e.g. [profiles.{name}] with "
                'region = "..." on the next line) and save again'
            )
        chunks.append(item)
    return chunks


def _put_profile(
    document: Any, name: str, values: Mapping[str, Any], shown: str
) -> tuple[bool, dict[str, Any]]:
    """Set ``values`` in ``[profiles.NAME]``; returns whether it existed and the table expected."""
    import tomlkit

    chunks = _profile_chunks(document, name, shown)
    for chunk in chunks:
        for key, child in chunk.value.body:
            if key is not None and key.key == name:
                expected = {**child.unwrap(), **values}
                _update_table(child, values)
                return True, expected
    table = tomlkit.table()
    for key, value in values.items():
        table[key] = value
    if not chunks:
        holder = tomlkit.table(is_super_table=True)
        holder[name] = table
        document.append("profiles", holder)
        return False, dict(values)
    chunk = chunks[-1]
    chunk_index = next(i for i, (_, item) in enumerate(document.body) if item is chunk)
    followed = _last_key_index(document.body) != chunk_index
    children = [child for key, child in chunk.value.body if key is not None]
    moved: list[Any] = []
    if children:
        last = children[-1]
        if followed:
            moved = _take_trailing_comments(last)
        _end_with_blank_line(last)
    elif not chunk.is_super_table():
        _end_with_blank_line(chunk)  # an empty [profiles] header
    if followed:
        table.add(tomlkit.nl())
        for comment in moved:
            table.add(comment)
    chunk.append(name, table)
    return False, dict(values)


def _update_table(table: Any, values: Mapping[str, Any]) -> None:
    """Set keys in place: existing ones keep their comments; new ones go after the last key, so
    they never land under a comment that describes the next table."""
    import tomlkit
    from tomlkit.items import AoT, Comment, Table

    for key, value in values.items():
        if key in table:
            table[key] = value
            continue
        body = table.value.body
        last = None
        for index, (item_key, item) in enumerate(body):
            if item_key is not None and not isinstance(item, (Table, AoT)):
                last = index
        if last is None:
            position = 0
            while position < len(body) and isinstance(body[position][1], Comment):
                position += 1
        else:
            position = last + 1
        item = tomlkit.item(value)
        if last is not None:
            item.trivia.indent = body[last][1].trivia.indent
        if position >= len(body):
            _end_line(body)
            table.append(key, item)
        else:
            table.value._insert_at(position, key, item)


def _put_default(document: Any, name: str) -> None:
    """Set ``default_profile``; a new one goes after the file's opening comment (the header this
    module writes, or the first comment block) and before the comments describing the first
    table, with a blank line after it."""
    import tomlkit
    from tomlkit.items import AoT, Comment, Table, Whitespace

    if "default_profile" in document:
        document["default_profile"] = name
        return
    body = document.body
    first_table = next(
        (i for i, (key, item) in enumerate(body) if key is not None and isinstance(item, (Table, AoT))),
        len(body),
    )
    header = [f"# {line}" for line in NEW_FILE_HEADER.splitlines()]
    lines = [item.as_string().strip() for _, item in body[: len(header)]]
    if lines == header and all(isinstance(item, Comment) for _, item in body[: len(header)]):
        opening = len(header)
    else:
        opening = 0
        while opening < first_table and isinstance(body[opening][1], Comment):
            opening += 1
    if opening:
        position = opening
        while position < first_table and isinstance(body[position][1], Whitespace):
            position += 1
    else:
        position = first_table
        while position > 0 and isinstance(body[position - 1][1], Comment):
            position -= 1
    item = tomlkit.item(name)
    if position > 0 and not isinstance(body[position - 1][1], Whitespace):
        item.trivia.indent = "\n"
    if position < len(body) and not isinstance(body[position][1], Whitespace):
        item.trivia.trail = "\n\n"
    if position >= len(body):
        document.append("default_profile", item)
    else:
        document._insert_at(position, "default_profile", item)


def _take_trailing_comments(table: Any) -> list[Any]:
    """Remove and return the comment block ending ``table`` when a blank line separates it from
    the table's keys: it describes whatever follows, so a new table must not come between them."""
    from tomlkit.items import Comment, Whitespace

    body = table.value.body
    start = len(body)
    while start > 0 and body[start - 1][0] is None and isinstance(body[start - 1][1], Comment):
        start -= 1
    if start == len(body) or start == 0 or not isinstance(body[start - 1][1], Whitespace):
        return []
    taken = [item for _, item in body[start:]]
    del body[start:]  # unkeyed items at the very end: no key's index moves
    return taken


def _end_with_blank_line(table: Any) -> None:
    import tomlkit
    from tomlkit.items import Whitespace

    body = table.value.body
    if not body or not isinstance(body[-1][1], Whitespace):
        _end_line(body)
        table.add(tomlkit.nl())


def _end_line(body: list[Any]) -> None:
    """Make the last item end its line (the file's last line may lack a newline)."""
    from tomlkit.items import AoT, Table, Whitespace

    if body and not isinstance(body[-1][1], (Whitespace, Table, AoT)):
        trivia = body[-1][1].trivia
        if "\n" not in trivia.trail:
            trivia.trail += "\n"


def _last_key_index(body: list[Any]) -> Optional[int]:
    keyed = [index for index, (key, _) in enumerate(body) if key is not None]
    return keyed[-1] if keyed else None


# -- reading, checking, writing ---------------------------------------------------------------------


def _read(path: Path, shown: str) -> Optional[str]:
    try:
        return read_settings_text(path)
    except (FileNotFoundError, NotADirectoryError):
        return None  # a new file (a folder on the way that is not one fails when writing)
    except UnicodeDecodeError:
        raise ConfigurationError(f"Config file {shown} is not UTF-8 text; fix it before saving") from None
    except OSError as error:
        raise ConfigurationError(f"Cannot read config file {shown}: {error.strerror or error}") from None


def _toml(text: str, shown: str) -> dict[str, Any]:
    try:
        document: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigurationError(
            f"Config file {shown} is not valid TOML ({error}); fix it before saving"
        ) from None
    return document


def _load(path: Path, shown: str) -> tuple[Any, Optional[str]]:
    """The document to edit, and the file's text (None for a new file, which gets a header)."""
    import tomlkit

    text = _read(path, shown)
    if text is None:
        document = tomlkit.document()
        for line in NEW_FILE_HEADER.splitlines():
            document.add(tomlkit.comment(line))
        document.add(tomlkit.nl())
        return document, None
    try:
        return tomlkit.parse(text), text
    except Exception as error:  # tomlkit raises its own ParseError family
        raise ConfigurationError(
            f"Config file {shown} is not valid TOML ({error}); fix it before saving"
        ) from None


def _save(
    path: Path,
    shown: str,
    document: Any,
    original: Optional[str],
    name: Optional[str],
    expected: Optional[Mapping[str, Any]],
    default: Optional[str],
) -> None:
    import tomlkit

    text = _edit(lambda: tomlkit.dumps(document), shown)
    _verify(text, original, path, shown, name, expected, default)
    _write(path, text, shown)


def _verify(
    text: str,
    original: Optional[str],
    path: Path,
    shown: str,
    name: Optional[str],
    expected: Optional[Mapping[str, Any]],
    default: Optional[str],
) -> None:
    """Read the new text back as the app will; refuse the save unless it says what was meant."""
    from .config_file import parse_config

    def refuse(why: str) -> ConfigurationError:
        return ConfigurationError(f"Not saved: {why}; {shown} was left as it was")

    before = _toml(original, shown) if original is not None else {}
    try:
        after = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise refuse(f"the updated file would not be valid TOML ({error})") from None
    home = Path(os.path.expanduser("~"))
    try:
        parsed = parse_config(after, path, shown, home)
    except ConfigurationError as error:
        raise refuse(f"the updated file would not load ({error})") from None
    if name is not None and expected is not None:
        profiles = after.get("profiles")
        table = profiles.get(name) if isinstance(profiles, dict) else None
        meant = parse_config({"profiles": {name: dict(expected)}}, path, shown, home).get(name)
        if table != dict(expected) or parsed.get(name) != meant:
            raise refuse(f"profile {name!r} would not read back as written")
    if default is not None and (after.get("default_profile") != default or parsed.default_profile != default):
        raise refuse(f"default_profile would not read back as {default!r}")
    if _rest(before, name, default) != _rest(after, name, default):
        raise refuse("other settings in the file would change")


def _rest(data: Mapping[str, Any], name: Optional[str], default: Optional[str]) -> dict[str, Any]:
    """``data`` without what a save may change: profile ``name`` and, when set, default_profile."""
    rest = dict(data)
    if default is not None:
        rest.pop("default_profile", None)
    profiles = rest.get("profiles")
    if name is not None and isinstance(profiles, dict):
        others = {key: value for key, value in profiles.items() if key != name}
        if others:
            rest["profiles"] = others
        else:
            del rest["profiles"]
    return rest


def _write(path: Path, text: str, shown: str) -> None:
    """Replace the file atomically; a symlink is followed, so the file it points to is replaced."""
    target = Path(os.path.realpath(path))
    try:
        _private_directory(target.parent)
        write_private_text(target, text)
    except OSError as error:
        raise ConfigurationError(f"Cannot save {shown}: {describe_os_error(error, str(target))}") from None


def _private_directory(directory: Path) -> None:
    """Create each missing folder of ``directory`` 0700, whatever the umask; existing ones are kept."""
    missing: list[Path] = []
    current = directory
    while not current.is_dir():
        if current.exists() or current.is_symlink():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(current))
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, PRIVATE_DIR_MODE)
        except FileExistsError:
            if folder.is_dir():
                continue  # made meanwhile by someone else: not ours to change
            raise
        os.chmod(folder, PRIVATE_DIR_MODE)  # mkdir's mode is filtered by the umask
