"""The manifest string SWR returns with each tag -> a summary: kind, config, layers, platforms.

``parse_manifest`` never raises. Whatever arrives (truncated JSON, an empty string, numbers sent as
strings, nulls, a document nested 100k levels deep) becomes a summary whose ``error`` says what is
odd, with ``pretty`` holding text fit to show: the pretty-printed JSON, or the raw text when it is
not JSON. Strings in the summary are untrusted: scrub them before display.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, NamedTuple, Optional

from .manifest_fields import (
    Pairs,
    Problems,
    describe,
    escape_surrogates,
    is_int,
    read_annotations,
    read_integer,
    read_required_string,
    read_size,
    read_string,
    short,
)

DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json"
SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws"

REFERENCE_TYPE = "vnd.docker.reference.type"
REFERENCE_DIGEST = "vnd.docker.reference.digest"
ATTESTATION_TYPE = "attestation-manifest"

KIND_LABELS = {
    "docker-v2": "Docker image manifest v2",
    "oci-manifest": "OCI image manifest",
    "docker-manifest-list": "Docker manifest list",
    "oci-index": "OCI image index",
    "schema1": "Docker schema 1 (deprecated)",
    "unknown": "Unknown manifest",
    "invalid": "Invalid JSON",
    "empty": "Empty manifest",
}

_KIND_BY_MEDIA_TYPE = {
    DOCKER_V2: "docker-v2",
    OCI_MANIFEST: "oci-manifest",
    DOCKER_LIST: "docker-manifest-list",
    OCI_INDEX: "oci-index",
    SCHEMA1: "schema1",
    SCHEMA1_SIGNED: "schema1",
}
_IMAGE_KINDS = ("docker-v2", "oci-manifest")
_LIST_KINDS = ("docker-manifest-list", "oci-index")


class Descriptor(NamedTuple):
    """A NamedTuple, not a frozen dataclass: an index or image may list tens of thousands, and a
    NamedTuple is built several times faster."""

    media_type: str
    digest: str
    size: int
    annotations: Pairs = ()


@dataclass(frozen=True)
class PlatformEntry:
    os: str
    architecture: str
    variant: str
    os_version: str
    digest: str
    size: int
    media_type: str
    is_attestation: bool
    attests: str

    @property
    def label(self) -> str:
        if self.is_attestation:
            return "attestation"
        label = "/".join(part for part in (self.os, self.architecture, self.variant) if part)
        if not label:
            label = "no platform"
        if self.os_version:
            label += f" ({self.os_version})"
        return label


@dataclass(frozen=True)
class ManifestSummary:
    kind: str
    kind_label: str
    media_type: str = ""
    schema_version: Optional[int] = None
    config: Optional[Descriptor] = None
    layers: tuple[Descriptor, ...] = ()
    total_layer_size: int = 0
    platforms: tuple[PlatformEntry, ...] = ()
    annotations: Pairs = ()
    schema1_name: str = ""
    schema1_tag: str = ""
    schema1_architecture: str = ""
    history_count: int = 0
    error: Optional[str] = None
    pretty: str = ""
    line_count: int = 0

    @property
    def is_list(self) -> bool:
        return self.kind in _LIST_KINDS

    @property
    def images(self) -> tuple[PlatformEntry, ...]:
        """The platform entries of a list that are images, not attestations."""
        return tuple(entry for entry in self.platforms if not entry.is_attestation)

    @property
    def attestations(self) -> tuple[PlatformEntry, ...]:
        return tuple(entry for entry in self.platforms if entry.is_attestation)


def parse_manifest(raw: str) -> ManifestSummary:
    """Summarise a manifest string. Never raises."""
    text = _as_text(raw)
    try:
        return _parse(text)
    except Exception as exc:  # the contract is "never raise": a bug here must not crash the UI
        return _unreadable("invalid", text, f"could not read the manifest ({type(exc).__name__})")


def parse_manifest_streaming(raw: str) -> tuple[ManifestSummary, Optional[Iterator[str]]]:
    """The summary at once, and the pretty-printed JSON as chunks to read when convenient.

    Pretty-printing is most of the cost of a big manifest (``indent=`` makes ``json`` use its
    pure-Python encoder), so a viewer can show the summary and the first screenful before the
    rest is written. The summary's ``pretty`` is empty when chunks are returned; finish it with
    ``with_pretty``. Never raises; a document that cannot be streamed comes back whole.
    """
    text = _as_text(raw)
    try:
        document, summary = _read(text)
    except Exception as exc:  # the contract is "never raise"
        return _unreadable("invalid", text, f"could not read the manifest ({type(exc).__name__})"), None
    if document is _UNREAD:
        return summary, None
    chunks = json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(document)
    return summary, chunks


def with_pretty(summary: ManifestSummary, pretty: str) -> ManifestSummary:
    pretty = _encodable(pretty)
    return replace(summary, pretty=pretty, line_count=count_lines(pretty))


def _as_text(raw: object) -> str:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, (bytes, bytearray)):
        return bytes(raw).decode("utf-8", errors="replace")
    return "" if raw is None else str(raw)


def count_lines(text: str) -> int:
    """Lines as a viewer splitting on newlines shows them (a final newline adds no line)."""
    if not text:
        return 0
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def _unreadable(kind: str, text: str, error: Optional[str]) -> ManifestSummary:
    return ManifestSummary(
        kind=kind, kind_label=KIND_LABELS[kind], error=error, pretty=text, line_count=count_lines(text)
    )


_UNREAD = object()


def _parse(text: str) -> ManifestSummary:
    document, summary = _read(text)
    if document is _UNREAD:
        return summary
    pretty = _pretty(document)
    if pretty is None:
        return replace(
            summary,
            pretty=text,
            line_count=count_lines(text),
            error=_join(summary.error, "the JSON is nested too deeply to pretty-print"),
        )
    return replace(summary, pretty=pretty, line_count=count_lines(pretty))


def _read(text: str) -> tuple[Any, ManifestSummary]:
    """(document, summary without the pretty text), or (_UNREAD, a finished summary)."""
    if not text.strip():
        return _UNREAD, _unreadable("empty", text, None)
    body = text[1:] if text.startswith("\ufeff") else text
    try:
        document = json.loads(body)
    except json.JSONDecodeError as exc:
        return _UNREAD, _unreadable("invalid", text, f"{exc.msg} at line {exc.lineno} column {exc.colno}")
    except RecursionError:
        return _UNREAD, _unreadable("invalid", text, "the JSON is nested too deeply to read")
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        return _UNREAD, _unreadable("invalid", text, str(exc))

    problems = Problems()
    if not isinstance(document, dict):
        problems.add(f"the manifest is {describe(document)}, not a JSON object")
        return document, ManifestSummary(
            kind="unknown", kind_label=KIND_LABELS["unknown"], error=problems.text()
        )
    return document, _summarise(document, "", 0, problems)


def _encodable(pretty: str) -> str:
    """A lone surrogate (legal as a JSON escape) cannot be encoded for the terminal: escape it back."""
    if not pretty.isascii():
        try:
            pretty.encode("utf-8")
        except UnicodeEncodeError:
            return escape_surrogates(pretty)
    return pretty


def _join(first: Optional[str], second: str) -> str:
    return f"{first}; {second}" if first else second


def _pretty(document: Any) -> Optional[str]:
    try:
        pretty = json.dumps(document, indent=2, ensure_ascii=False)
    except (RecursionError, ValueError):
        return None
    return _encodable(pretty)


def _summarise(document: dict[str, Any], pretty: str, line_count: int, problems: Problems) -> ManifestSummary:
    media_type = read_string(document, "mediaType", "mediaType", problems)
    schema_version = _schema_version(document, problems)
    kind = _kind(document, media_type, schema_version, problems)

    config = None
    if "config" in document:
        config = _descriptor(document["config"], "config", problems)
    elif kind in _IMAGE_KINDS:
        problems.add("no config descriptor")

    if kind == "schema1":
        layers = _schema1_layers(document, problems)
    elif "layers" in document:
        layers = _descriptors(document["layers"], "layers", problems)
    else:
        layers = ()
        if kind in _IMAGE_KINDS:
            problems.add("no layers list")

    platforms: tuple[PlatformEntry, ...] = ()
    if "manifests" in document:
        platforms = _platforms(document["manifests"], problems)
    elif kind in _LIST_KINDS:
        problems.add("no manifests list")

    history = document.get("history")
    if kind == "schema1" and history is not None and not isinstance(history, list):
        problems.add(f"history is {describe(history)}, not a list")

    return ManifestSummary(
        kind=kind,
        kind_label=KIND_LABELS[kind],
        media_type=media_type,
        schema_version=schema_version,
        config=config,
        layers=layers,
        total_layer_size=sum(layer.size for layer in layers),
        platforms=platforms,
        annotations=read_annotations(document.get("annotations"), "annotations", problems),
        schema1_name=read_string(document, "name", "name", problems) if kind == "schema1" else "",
        schema1_tag=read_string(document, "tag", "tag", problems) if kind == "schema1" else "",
        schema1_architecture=(
            read_string(document, "architecture", "architecture", problems) if kind == "schema1" else ""
        ),
        history_count=len(history) if isinstance(history, list) else 0,
        error=problems.text(),
        pretty=pretty,
        line_count=line_count,
    )


def _kind(
    document: dict[str, Any], media_type: str, schema_version: Optional[int], problems: Problems
) -> str:
    if media_type:
        kind = _KIND_BY_MEDIA_TYPE.get(media_type)
        if kind is None:
            problems.add(f"unrecognised media type {short(media_type)}")
            return "unknown"
    elif schema_version == 1 or "fsLayers" in document:
        kind = "schema1"
    elif "manifests" in document:
        # The OCI spec lets mediaType be left out; an index is then known by its manifests list.
        kind = "oci-index"
    elif "config" in document or "layers" in document:
        kind = "oci-manifest"
    else:
        problems.add("no mediaType, config, layers, manifests or fsLayers: not an image manifest")
        return "unknown"
    expected = 1 if kind == "schema1" else 2
    if schema_version is not None and schema_version != expected:
        problems.add(f"schemaVersion is {schema_version}, expected {expected}")
    return kind


def _schema_version(document: dict[str, Any], problems: Problems) -> Optional[int]:
    if "schemaVersion" not in document:
        return None
    value = document["schemaVersion"]
    number = read_integer(value)
    if number is None:
        problems.add(f"schemaVersion is {describe(value)}, not a number")
    elif not is_int(value):
        problems.add(f"schemaVersion is {describe(value)}, not an integer")
    return number


def _descriptor(value: Any, where: str, problems: Problems) -> Optional[Descriptor]:
    if not isinstance(value, dict):
        problems.add(f"{where} is {describe(value)}, not an object")
        return None
    media_type, digest, size = value.get("mediaType", ""), value.get("digest"), value.get("size")
    # The well-formed case, kept cheap: an index or image can list tens of thousands of these.
    if (
        type(media_type) is str
        and type(digest) is str
        and type(size) is int
        and size >= 0
        and "annotations" not in value
    ):
        return Descriptor(media_type, digest, size)
    return Descriptor(
        media_type=read_string(value, "mediaType", f"{where}.mediaType", problems),
        digest=read_required_string(value, "digest", f"{where}.digest", problems),
        size=read_size(value, f"{where}.size", problems),
        annotations=read_annotations(value.get("annotations"), f"{where}.annotations", problems),
    )


def _descriptors(value: Any, where: str, problems: Problems) -> tuple[Descriptor, ...]:
    if not isinstance(value, list):
        problems.add(f"{where} is {describe(value)}, not a list")
        return ()
    found = (_descriptor(item, f"{where}[{index}]", problems) for index, item in enumerate(value))
    return tuple(descriptor for descriptor in found if descriptor is not None)


def _schema1_layers(document: dict[str, Any], problems: Problems) -> tuple[Descriptor, ...]:
    """Schema 1 lists layers top first, by blobSum only: sizes are unknown and stay 0."""
    value = document.get("fsLayers")
    if value is None:
        problems.add("no fsLayers list")
        return ()
    if not isinstance(value, list):
        problems.add(f"fsLayers is {describe(value)}, not a list")
        return ()
    layers = []
    for index, item in enumerate(value):
        where = f"fsLayers[{index}]"
        if not isinstance(item, dict):
            problems.add(f"{where} is {describe(item)}, not an object")
            continue
        layers.append(Descriptor("", read_required_string(item, "blobSum", f"{where}.blobSum", problems), 0))
    return tuple(layers)


def _platforms(value: Any, problems: Problems) -> tuple[PlatformEntry, ...]:
    if not isinstance(value, list):
        problems.add(f"manifests is {describe(value)}, not a list")
        return ()
    entries = []
    for index, item in enumerate(value):
        where = f"manifests[{index}]"
        if not isinstance(item, dict):
            problems.add(f"{where} is {describe(item)}, not an object")
            continue
        platform = item.get("platform")
        if platform is None:
            platform = {}
        elif not isinstance(platform, dict):
            problems.add(f"{where}.platform is {describe(platform)}, not an object")
            platform = {}
        annotations = dict(read_annotations(item.get("annotations"), f"{where}.annotations", problems))
        os_name = read_string(platform, "os", f"{where}.platform.os", problems)
        architecture = read_string(platform, "architecture", f"{where}.platform.architecture", problems)
        is_attestation = annotations.get(REFERENCE_TYPE) == ATTESTATION_TYPE or (
            os_name == architecture == "unknown" and REFERENCE_DIGEST in annotations
        )
        entries.append(
            PlatformEntry(
                os=os_name,
                architecture=architecture,
                variant=read_string(platform, "variant", f"{where}.platform.variant", problems),
                os_version=read_string(platform, "os.version", f"{where}.platform.os.version", problems),
                digest=read_required_string(item, "digest", f"{where}.digest", problems),
                size=read_size(item, f"{where}.size", problems),
                media_type=read_string(item, "mediaType", f"{where}.mediaType", problems),
                is_attestation=is_attestation,
                attests=annotations.get(REFERENCE_DIGEST, "") if is_attestation else "",
            )
        )
    return tuple(entries)
