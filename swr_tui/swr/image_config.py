"""An image's config (what it runs, how it was built) -> a frozen ``ImageConfig``, and pure helpers
that turn it into what a person reads: the history paired with the manifest's layers, the command
line, the env as a .env file, the labels as JSON.

``parse_image_config`` takes ShowRepoTagConfig's documented answer (a JSON *string* whose content
is the config) or the config as a plain JSON object, and raises ``ImageConfigError`` for anything
else. Inside a config, odd fields are tolerated as ``swr.models`` tolerates them: a missing field,
a null or a value of the wrong type falls back to empty, and ``error`` says what was odd. Every
string is kept as data, never interpreted: scrub it before display.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Optional, Union

from .errors import ApiUnavailableError, ResponseFormatError, loads_lenient
from .manifest import Descriptor
from .manifest_fields import Problems, describe, read_integer, scalar_text

# 10,000 steps must work (issue 11), and a build a person can read has well under 1,000. A history
# far past that is a broken or hostile config: the steps past this many are dropped, counted in
# ``history_dropped``, and the pairing with the layers then says it does not match.
MAX_HISTORY_ENTRIES = 50_000
# 2 MB of labels must work (issue 11). Label text (keys and values) past this many characters is
# dropped, whole labels at a time, and counted in ``labels_dropped``: the UI and the copy menu
# say how many are left out.
MAX_LABEL_CHARS = 8 * 1024 * 1024
# A real config is kilobytes; 10,000 steps and 2 MB of labels make a few MB. One past this is
# refused with a clear error before it is parsed (it would take seconds and hundreds of MB).
MAX_CONFIG_CHARS = 64 * 1024 * 1024

Pairs = tuple[tuple[str, str], ...]


class ImageConfigError(ResponseFormatError):
    """The answer holds no config object: not JSON, or JSON of another shape."""


class ConfigApiUnavailable(ApiUnavailableError):
    """The management API has no config endpoint here (404/405 for the path itself, not for the
    tag): the caller falls back to the registry's data plane."""


@dataclass(frozen=True)
class HistoryEntry:
    created: str = ""
    created_by: str = ""
    comment: str = ""
    empty_layer: bool = False


@dataclass(frozen=True)
class ImageConfig:
    os: str = ""
    architecture: str = ""
    variant: str = ""
    created: str = ""
    author: str = ""
    user: str = ""
    working_dir: str = ""
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()
    env: tuple[str, ...] = ()  # "NAME=value" as the config carries them
    exposed_ports: tuple[str, ...] = ()
    volumes: tuple[str, ...] = ()
    labels: Pairs = ()
    stop_signal: str = ""
    history: tuple[HistoryEntry, ...] = ()
    diff_ids: tuple[str, ...] = ()
    history_dropped: int = 0
    labels_dropped: int = 0
    error: Optional[str] = None  # what was odd about the fields, if anything

    @property
    def platform(self) -> str:
        return "/".join(part for part in (self.os, self.architecture, self.variant) if part)

    def to_output(self) -> dict[str, Any]:
        """The ``config`` object of ``inspect --output json``, keys as issue 11 lists them."""
        return {
            "os": self.os,
            "architecture": self.architecture,
            "entrypoint": list(self.entrypoint),
            "cmd": list(self.cmd),
            "env": list(self.env),
            "user": self.user,
            "working_dir": self.working_dir,
            "exposed_ports": list(self.exposed_ports),
            "volumes": list(self.volumes),
            "labels": dict(self.labels),
        }


# -- parsing ------------------------------------------------------------------------------------


def parse_image_config(body: Union[str, bytes, dict[str, Any], Any]) -> ImageConfig:
    """``body``: the decoded answer (a string holding the config JSON, or the config object), or
    the config's raw bytes (from the cache or a blob). ImageConfigError for anything else."""
    document = _document(body)
    problems = Problems()
    inner = document.get("config")
    if inner is not None and not isinstance(inner, dict):
        problems.add(f"config is {describe(inner)}, not an object")
    run: dict[str, Any] = inner if isinstance(inner, dict) else {}
    rootfs = document.get("rootfs")
    if rootfs is not None and not isinstance(rootfs, dict):
        problems.add(f"rootfs is {describe(rootfs)}, not an object")
    history, history_dropped = _history(document.get("history"), problems)
    labels, labels_dropped = _labels(run.get("Labels"), problems)
    return ImageConfig(
        os=_string(document, "os", problems),
        architecture=_string(document, "architecture", problems),
        variant=_string(document, "variant", problems),
        created=_string(document, "created", problems),
        author=_string(document, "author", problems),
        user=_string(run, "User", problems),
        working_dir=_string(run, "WorkingDir", problems),
        entrypoint=_command(run, "Entrypoint", problems),
        cmd=_command(run, "Cmd", problems),
        env=_strings(run.get("Env"), "Env", problems),
        exposed_ports=_keys(run.get("ExposedPorts"), "ExposedPorts", problems),
        volumes=_keys(run.get("Volumes"), "Volumes", problems),
        labels=labels,
        stop_signal=_string(run, "StopSignal", problems),
        history=history,
        diff_ids=_strings(rootfs.get("diff_ids") if isinstance(rootfs, dict) else None, "diff_ids", problems),
        history_dropped=history_dropped,
        labels_dropped=labels_dropped,
        error=problems.text(),
    )


def _document(body: object) -> dict[str, Any]:
    if isinstance(body, (bytes, bytearray)):
        _check_size(len(body), "bytes")
        body = _loads(bytes(body), "The registry's answer for the image config")
    if isinstance(body, str):
        _check_size(len(body), "characters")
        body = _loads(body, "The image config the registry sent")
    if isinstance(body, dict):
        return body
    raise ImageConfigError(
        f"The registry's answer for the image config is {describe(body)}, not a config object "
        "(a JSON object, or a string holding one). Check that --endpoint points at an SWR API"
    )


def _check_size(size: int, unit: str) -> None:
    if size > MAX_CONFIG_CHARS:
        raise ImageConfigError(
            f"The image config is {size:,} {unit}, more than the {MAX_CONFIG_CHARS:,} swr-tui reads: "
            "a real config is a few kilobytes, so it was not parsed"
        )


def _loads(raw: Union[str, bytes], what: str) -> Any:
    size = f"{len(raw):,} {'characters' if isinstance(raw, str) else 'bytes'}"
    try:
        return json.loads(raw) if isinstance(raw, str) else loads_lenient(raw)
    except RecursionError:
        raise ImageConfigError(f"{what} is JSON nested too deeply to read ({size})") from None
    except ValueError:
        start = raw[:40] if isinstance(raw, str) else raw[:40].decode("utf-8", "replace")
        raise ImageConfigError(
            f"{what} is not JSON ({size}, starting {json.dumps(start)}). "
            "A proxy or gateway may be in the way: check --endpoint"
        ) from None


def _string(data: dict[str, Any], key: str, problems: Problems) -> str:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value or ""
    problems.add(f"{key} is {describe(value)}, not a string")
    return scalar_text(value)


def _strings(value: Any, where: str, problems: Problems) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.add(f"{where} is {describe(value)}, not a list")
        return ()
    kept = tuple(item for item in value if isinstance(item, str))
    if len(kept) != len(value):
        problems.add(f"{where} holds {len(value) - len(kept)} items that are not strings (left out)")
    return kept


def _command(data: dict[str, Any], key: str, problems: Problems) -> tuple[str, ...]:
    value = data.get(key)
    if isinstance(value, str):  # an old builder's shell form: one string
        return (value,)
    return _strings(value, key, problems)


def _keys(value: Any, where: str, problems: Problems) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, dict):
        return tuple(str(key) for key in value)
    if isinstance(value, list):  # seen from hand-written configs; the keys are what matters
        return _strings(value, where, problems)
    problems.add(f"{where} is {describe(value)}, not an object")
    return ()


def _labels(value: Any, problems: Problems) -> tuple[Pairs, int]:
    if value is None:
        return (), 0
    if not isinstance(value, dict):
        problems.add(f"Labels is {describe(value)}, not an object")
        return (), 0
    pairs: list[tuple[str, str]] = []
    used = 0
    for index, (key, item) in enumerate(value.items()):
        text = item if isinstance(item, str) else scalar_text(item)
        if not isinstance(item, str):
            problems.add(f"the label {json.dumps(key[:60])} is {describe(item)}, not a string")
        used += len(key) + len(text)
        if used > MAX_LABEL_CHARS:
            return tuple(pairs), len(value) - index
        pairs.append((key, text))
    return tuple(pairs), 0


def _history(value: Any, problems: Problems) -> tuple[tuple[HistoryEntry, ...], int]:
    if value is None:
        return (), 0
    if not isinstance(value, list):
        problems.add(f"history is {describe(value)}, not a list")
        return (), 0
    entries = []
    odd = 0
    for item in value[:MAX_HISTORY_ENTRIES]:
        if not isinstance(item, dict):
            odd += 1
            item = {}
        entries.append(
            HistoryEntry(
                created=_text(item.get("created")),
                created_by=_text(item.get("created_by")),
                comment=_text(item.get("comment")),
                empty_layer=_flag(item.get("empty_layer")),
            )
        )
    if odd:
        problems.add(f"history holds {odd} steps that are not objects (shown empty)")
    return tuple(entries), max(0, len(value) - MAX_HISTORY_ENTRIES)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else scalar_text(value)


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    number = read_integer(value) if not isinstance(value, bool) else None
    return value is True or bool(number)


# -- what a person reads --------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryStep:
    entry: HistoryEntry
    instruction: str  # ``created_by`` cleaned of the shell noise
    layer: Optional[Descriptor]  # None for an empty step, or when the history does not match


@dataclass(frozen=True)
class HistoryPairing:
    steps: tuple[HistoryStep, ...]
    mismatch: str = ""  # empty when each non-empty step got its layer; else why none did

    @property
    def matches(self) -> bool:
        return not self.mismatch


def pair_history(config: ImageConfig, layers: Sequence[Descriptor]) -> HistoryPairing:
    """Each non-empty step with its layer, in order. When the counts disagree (or the history was
    cut) no step gets a layer: a wrong pairing would be worse than none, and ``mismatch`` says so."""
    building = sum(1 for entry in config.history if not entry.empty_layer)
    mismatch = ""
    if config.history_dropped:
        mismatch = (
            f"The history was cut at {len(config.history):,} steps ({config.history_dropped:,} more "
            "left out), so its steps are not paired with the layers"
        )
    elif config.history and building != len(layers):
        mismatch = (
            f"The history does not match the manifest: {building:,} steps make layers, the manifest "
            f"has {len(layers):,} layers, so no step is paired with a layer"
        )
    elif config.diff_ids and len(config.diff_ids) != len(layers):
        mismatch = (
            f"The config does not match the manifest: it lists {len(config.diff_ids):,} layers "
            f"(rootfs), the manifest {len(layers):,}, so no step is paired with a layer"
        )
    remaining = iter(() if mismatch else layers)
    steps = tuple(
        HistoryStep(
            entry, clean_created_by(entry.created_by), None if entry.empty_layer else next(remaining, None)
        )
        for entry in config.history
    )
    return HistoryPairing(steps, mismatch)


# The legacy builder: "/bin/sh -c #(nop)  CMD [...]" for metadata steps, "/bin/sh -c apt-get ..."
# for RUN, with "|2 A=1 B=2 " before it when build args were set; BuildKit: "RUN /bin/sh -c x #
# buildkit". Matched as text only: nothing in it is run or expanded.
_NOP = re.compile(r"^(?:\|\d+ .*?)?/bin/(?:ba)?sh -c #\(nop\)\s*", re.DOTALL)
_SHELL_RUN = re.compile(r"^(?:\|\d+ .*?)?/bin/(?:ba)?sh -c\s+", re.DOTALL)
_BUILDKIT_RUN = re.compile(r"^RUN (?:\|\d+ .*?)?/bin/(?:ba)?sh -c\s+", re.DOTALL)
_BUILDKIT_SUFFIX = " # buildkit"


def clean_created_by(created_by: str) -> str:
    """A step as a Dockerfile line: ``/bin/sh -c #(nop)  ENV A=1`` -> ``ENV A=1``, ``/bin/sh -c
    make`` -> ``RUN make``, BuildKit's ``RUN /bin/sh -c make # buildkit`` -> ``RUN make``."""
    text = created_by.strip()
    if text.endswith(_BUILDKIT_SUFFIX):
        text = text[: -len(_BUILDKIT_SUFFIX)].rstrip()
    nop = _NOP.match(text)
    if nop:
        return text[nop.end() :].strip()
    run = _BUILDKIT_RUN.match(text) or _SHELL_RUN.match(text)
    if run:
        return "RUN " + text[run.end() :].strip()
    return text


def command_line(config: ImageConfig) -> str:
    """Entrypoint then cmd as one shell command line, each word quoted where the shell needs it."""
    return " ".join(shlex.quote(word) for word in (*config.entrypoint, *config.cmd))


_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_ENV_PLAIN_VALUE = re.compile(r"^[A-Za-z0-9_./:@%+,=-]*$")
# C1 controls, bidi and invisible characters, line separators and lone surrogates: inside JSON
# strings they are written as \uXXXX (json.dumps does so for C0 itself), so copied text cannot
# reorder or hide what surrounds it.
_UNSAFE_PAST_C0 = "\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff"
_ENV_LITERAL_VALUE = re.compile(f"^[^'\x00-\x1f{_UNSAFE_PAST_C0}]*$")
_JSON_UNSAFE = re.compile(f"[{_UNSAFE_PAST_C0}]")


def env_file_text(config: ImageConfig) -> str:
    """The env as a .env file (the dotenv dialect docker compose reads), one variable a line. A
    value with anything but plain characters is single-quoted (taken literally, ``$`` included);
    one holding a quote, a line break or a control character is double-quoted with JSON escapes.
    A name that is not a variable name becomes a comment, so no entry can add a line of its own."""
    lines = []
    for item in config.env:
        name, has_value, value = item.partition("=")
        if not _ENV_NAME.match(name):
            lines.append(f"# left out, not a variable name: {_json_string(item)}")
        elif not has_value:
            lines.append(f"{name}=")
        elif _ENV_PLAIN_VALUE.match(value):
            lines.append(f"{name}={value}")
        elif _ENV_LITERAL_VALUE.match(value):
            lines.append(f"{name}='{value}'")
        else:
            lines.append(f"{name}={_json_string(value)}")
    return "".join(line + "\n" for line in lines)


def labels_json(config: ImageConfig) -> str:
    """The labels as one pretty JSON object (key order kept)."""
    return _escape_unsafe(json.dumps(dict(config.labels), indent=2, ensure_ascii=False))


def _json_string(text: str) -> str:
    return _escape_unsafe(json.dumps(text, ensure_ascii=False))


def _escape_unsafe(text: str) -> str:
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
