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
  the image config of every ``tags`` tag carries the corpus in env, labels, command, user, working
  dir and history (``hostile_configs``);
- ``hostile-errors``: repository ``err-<entry>`` answers its tag list with HTTP 403 whose
  ``error_msg`` is that corpus string (``err-code``: a hostile ``error_code`` too);
- ``hostile-broken``: its repository list answers 400 with a hostile message and code;
- a repository shared with this account from a hostile-named namespace;
- Enterprise Edition instances, artifacts and scan reports carrying the corpus (``hostile_enterprise``).

Strings with a lone surrogate travel as the JSON escape ``\\ud800`` (they cannot be UTF-8).
"""

from __future__ import annotations

import json
import re
from dataclasses import fields, replace
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
from swr_tui.fake.entropy import hex_id
from swr_tui.fake.hostile_configs import with_hostile_text
from swr_tui.fake.hostile_corpus import (
    BIG_REPO,
    BIG_TAGS,
    BROKEN_NAMESPACE,
    BY_NAME,
    COMBINED_MESSAGE,
    CORPUS,
    DOT_REPOS,
    ERROR_CODE_REPO,
    ERROR_PREFIX,
    ERRORS_NAMESPACE,
    FIELD_TAGS,
    FIELDS_REPO,
    HOSTILE_CODE,
    HOSTILE_NAMESPACE,
    MANIFEST_KINDS,
    NAMESPACE_REPO,
    NESTED_DEPTH,
    SHALLOW_NESTED_DEPTH,
    TAGS_REPO,
    error_repository,
    repo_name_entries,
)
from swr_tui.fake.hostile_enterprise import with_hostile_instances
from swr_tui.fake.hostile_governance import hostile_governance
from swr_tui.fake.hostile_manifests import (
    big_layers_manifest,
    big_line_manifest,
    hostile_manifest,
    nested_manifest,
    plain_image,
)
from swr_tui.fake.manifests import Built
from swr_tui.fake.registry import FakeRegistry, Faults, Latency
from swr_tui.fake.replies import Reply, swr_error
from swr_tui.fake.tags import ExplicitTags, TagRecord, TagSource

_SURROGATE = re.compile("[\ud800-\udfff]")


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
    plain = plain_image("digest")
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
    return [(name, built.get(name) or plain_image(name)) for name in BIG_TAGS]


def _with_wire_fields(tags: TagSource, wire: dict[str, dict[str, str]]) -> ExplicitTags:
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
        [(name, plain_image(name)) for name in FIELD_TAGS],
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
        repos.append(_repository(ids, hostile, name, [(f"dot-{len(name)}", plain_image(name))], newest))
    # Descriptions of every corpus string, the ones that cannot be repository names included.
    repos.append(
        _repository(
            ids,
            hostile,
            "descriptions",
            [("latest", plain_image("descriptions"))],
            newest,
            description=" ".join(entry.text for entry in CORPUS),
        )
    )

    errors = add_namespace(ERRORS_NAMESPACE)
    for entry in CORPUS:
        repos.append(
            _repository(ids, errors, error_repository(entry), [("latest", plain_image(entry.name))], newest)
        )
    repos.append(_repository(ids, errors, ERROR_CODE_REPO, [("latest", plain_image("code"))], newest))

    broken = add_namespace(BROKEN_NAMESPACE)
    repos.append(_repository(ids, broken, "never-listed", [("latest", plain_image("broken"))], newest))

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
        self.enterprise = with_hostile_instances(self.enterprise)

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
        reply = hostile_governance(route.name, route.params, reply) or reply
        if _carries_hostile_config(route, reply):
            reply.payload = with_hostile_text(reply.payload)
        return _SurrogateSafeReply(**{field.name: getattr(reply, field.name) for field in fields(reply)})


def _carries_hostile_config(route: routes.Route, reply: Reply) -> bool:
    where = (route.params.get("namespace"), route.params.get("repository"))
    return (
        reply.status == 200
        and route.name == routes.CONFIG
        and isinstance(reply.payload, str)
        and where == (HOSTILE_NAMESPACE, TAGS_REPO)
    )


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
