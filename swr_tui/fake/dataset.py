"""The fake registry's data: namespaces, repositories and shared repositories, all derived from one
seed and one anchor time, so every run with the same seed serves the same bytes.

Names are fixed (tests and the demo refer to them); the seed drives ids, times, sizes, digests,
manifests, descriptions and which ``acme-dev`` repositories exist.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Optional, Union

from swr_tui.fake import manifests
from swr_tui.fake.credentials import DEMO_DOMAIN, DEMO_DOMAIN_ID, DEMO_REGION, DEMO_USER
from swr_tui.fake.entropy import hex_id, rng
from swr_tui.fake.tags import (
    BuildNumbers,
    ExplicitTags,
    GeneratedTags,
    SemVer,
    TagRecord,
    TagSource,
)

DEFAULT_ANCHOR = datetime(2026, 11, 1, 12, 0, 0, tzinfo=timezone.utc)
INTERNAL_REGISTRY = "100.125.0.198:20202"

AUTH_MANAGE = 7
AUTH_EDIT = 3
AUTH_READ = 1

MAIN_NAMESPACE = "acme"
DEV_NAMESPACE = "acme-dev"
READ_ONLY_NAMESPACE = "partners"
EMPTY_NAMESPACE = "sandbox"
# Shown only with ``mode::visible``: the user holds a grant on one repository in it, not on it.
VISIBLE_ONLY_NAMESPACE = "vendor-shared"

SHOWCASE_REPO = "webapp"  # a few dozen tags of every manifest kind
NESTED_REPO = "team/app"
BIG_REPO = "ci-builds"  # 100,000 tags, generated on demand
BIG_REPO_TAGS = 100_000
NIGHTLY_REPO = "nightly"  # 10,000 generated tags: the headless-export benchmark's repository
NIGHTLY_REPO_TAGS = 10_000
EMPTY_REPO = "new-service"  # no tags yet
SINGLE_TAG_REPO = "postgres-backup"  # exactly one tag


@dataclass(frozen=True)
class Namespace:
    id: int
    name: str
    creator_name: str
    auth: int
    visible_only: bool = False


@dataclass(frozen=True)
class Repository:
    id: int
    ns_id: int
    namespace: str
    name: str
    category: str
    description: str
    is_public: bool
    num_download: int
    size: int
    created: datetime
    updated: datetime
    creator_id: str
    creator_name: str
    domain_id: str
    domain_name: str
    tags: TagSource

    @property
    def num_images(self) -> int:
        return self.tags.count

    def pull_path(self, region: str) -> str:
        return f"swr.{region}.myhuaweicloud.com/{self.namespace}/{self.name}"

    def internal_path(self) -> str:
        return f"{INTERNAL_REGISTRY}/{self.namespace}/{self.name}"


@dataclass(frozen=True)
class SharedRepository:
    repository: Repository
    center: str  # "self": mine, shared out; "thirdparty": shared with me by another account
    status: bool  # True while the share is in force, False once it has expired


@dataclass(frozen=True)
class Dataset:
    seed: int
    anchor: datetime
    region: str
    domain_name: str
    domain_id: str
    namespaces: tuple[Namespace, ...]
    repositories: tuple[Repository, ...]
    shared: tuple[SharedRepository, ...]

    def namespace(self, name: str) -> Optional[Namespace]:
        return next((ns for ns in self.namespaces if ns.name == name), None)

    def repositories_in(self, namespace: str) -> list[Repository]:
        return [repo for repo in self.repositories if repo.namespace == namespace]

    def repository(self, namespace: str, name: str) -> Optional[Repository]:
        """Own repositories, and those other accounts share with this one (their tags are readable)."""
        for repo in self.repositories:
            if repo.namespace == namespace and repo.name == name:
                return repo
        for share in self.shared:
            repo = share.repository
            if share.center == "thirdparty" and repo.namespace == namespace and repo.name == name:
                return repo
        return None

    def tag(self, namespace: str, repository: str, tag: str) -> Optional[TagRecord]:
        repo = self.repository(namespace, repository)
        index = repo.tags.index_of(tag) if repo else None
        return repo.tags.record(index) if repo and index is not None else None


# (name, kind); kinds: docker, oci, docker-list, oci-index, oci-index-att, schema1, broken,
# "same:<tag>" (same manifest, so same digest, as an earlier tag), "cosign:<tag>" (its signature).
SHOWCASE_TAGS: tuple[tuple[str, str], ...] = (
    ("v0.9.0", "schema1"),
    ("v0.9.1", "schema1"),
    ("v1.0.0", "docker"),
    ("v1.0.1", "docker"),
    ("v1.0.2", "docker"),
    ("v1.1.0", "docker"),
    ("v1.1.1", "docker"),
    ("v1.1.2", "docker"),
    ("v1.2.0", "oci"),
    ("v1.2.1", "oci"),
    ("v1.2.2", "oci"),
    ("v1.3.0", "docker-list"),
    ("v1.3.1", "docker-list"),
    ("v1.3.2", "docker-list"),
    ("v1.4.0", "oci-index"),
    ("v1.4.1", "broken"),
    ("v1.4.2", "oci-index-att"),
    ("v1.5.0", "docker"),
    ("v1.5.1", "oci"),
    ("v1.6.0", "docker-list"),
    ("v1.6.1", "oci-index-att"),
    ("v2.0.0-rc.1", "oci-index-att"),
    ("v2.0.0", "oci-index-att"),
    ("v2.1.0", "oci"),
    ("v2.2.0", "docker-list"),
    ("v2.3.0", "oci-index-att"),
    ("dev-3f9c2ab", "docker"),
    ("v2.3.1", "oci-index-att"),
    ("v2.4.0", "oci-index-att"),
    ("v2.4.1", "oci-index-att"),
    ("latest", "same:v2.4.1"),
    ("sha256-{digest}.sig", "cosign:v2.4.1"),
)
NESTED_TAGS: tuple[tuple[str, str], ...] = (
    ("v0.1.0", "docker"),
    ("v0.1.1", "docker"),
    ("v0.2.0", "docker"),
    ("v0.2.1", "oci"),
    ("v0.3.0", "docker"),
    ("v0.3.1", "docker"),
    ("main", "docker"),
    ("latest", "same:v0.3.1"),
)
SINGLE_TAG: tuple[tuple[str, str], ...] = (("15.4-alpine", "docker"),)

TagPlan = Union[int, tuple[tuple[str, str], ...]]  # a count of generated semver tags, or explicit tags

# (name, category, tags, description)
SHOWCASE_REPOS: tuple[tuple[str, str, TagPlan, str], ...] = (
    (
        SHOWCASE_REPO,
        "app_server",
        SHOWCASE_TAGS,
        "Customer-facing web application (multi-arch, cosign-signed)",
    ),
    (NESTED_REPO, "app_server", NESTED_TAGS, "Team A's order service"),
    (EMPTY_REPO, "app_server", (), "Created for the Q4 launch; nothing pushed yet"),
    (SINGLE_TAG_REPO, "database", SINGLE_TAG, "Nightly pg_dump sidecar"),
)
MAIN_REPOS: tuple[tuple[str, str, TagPlan, str], ...] = (
    ("nginx", "app_server", 23, "Hardened nginx with the company TLS defaults"),
    ("redis", "database", 14, "Redis 7 with persistence tuned for the session store"),
    ("mysql", "database", 9, "MySQL 8.0 base for the reporting replicas"),
    ("ubuntu", "linux", 17, "Ubuntu 22.04 base image, patched weekly"),
    ("alpine", "linux", 31, "Alpine base with ca-certificates and tzdata"),
    ("python", "lang", 26, "Python 3.12 slim runtime with internal pip index configured"),
    ("golang", "lang", 12, "Go toolchain image for multi-stage builds"),
    ("spring-boot-demo", "framework_app", 7, "Spring Boot 3 sample service used in onboarding"),
    ("iis-site", "windows", 4, "IIS site on Windows Server Core ltsc2022"),
    ("edge-agent", "arm", 11, "Telemetry agent for the ARM edge gateways"),
    ("tools/debug", "other", 5, "curl, dig, tcpdump and friends for debugging pods"),
)
PARTNER_REPOS: tuple[tuple[str, str, TagPlan, str], ...] = (
    ("sdk-samples", "other", 6, "Sample clients for the partner API"),
    ("connector", "app_server", 10, "Partner data connector (read-only mirror)"),
    ("docs-site", "app_server", 3, "Static documentation site for partners"),
)
VISIBLE_ONLY_REPOS: tuple[tuple[str, str, TagPlan, str], ...] = (
    ("vendor-agent", "app_server", 8, "Monitoring agent supplied by the vendor"),
)
# (namespace, domain name, repo name, category, tags, description, share in force)
THIRD_PARTY_SHARES: tuple[tuple[str, str, str, str, int, str, bool], ...] = (
    ("bigvendor", "bigvendor-intl", "monitoring-agent", "app_server", 19, "Vendor monitoring agent", True),
    ("bigvendor", "bigvendor-intl", "log-shipper", "app_server", 6, "Ships container logs to LTS", True),
    ("contractor-x", "contractor-x", "legacy-api", "framework_app", 4, "The old API, handed over", False),
)
# (repo in the main namespace, status)
OWN_SHARES: tuple[tuple[str, bool], ...] = ((SHOWCASE_REPO, True), ("nginx", True), ("mysql", False))

DEV_TEAMS = (
    "billing", "checkout", "search", "identity", "payments", "catalog", "inventory", "shipping",
    "notifications", "analytics", "reporting", "recommend", "pricing", "loyalty", "fraud", "gateway",
    "profile", "media", "chat", "orders", "returns", "tax", "ledger", "crm", "etl",
)  # fmt: skip
DEV_COMPONENTS = {
    "api": "app_server",
    "worker": "app_server",
    "web": "framework_app",
    "cron": "other",
    "migrations": "database",
    "consumer": "app_server",
    "exporter": "other",
    "admin": "framework_app",
    "sidecar": "other",
    "proxy": "app_server",
    "scheduler": "app_server",
    "ui": "framework_app",
}
DEV_REPO_COUNT = 250

CREATORS = (DEMO_USER, "ci-bot", "alice.wang", "bob.li", "chen.yu")


class _Builder:
    """Hands out ids in creation order and builds each repository from its own seeded stream."""

    def __init__(self, seed: int, anchor: datetime, real_configs: bool = False) -> None:
        self.seed = seed
        self.anchor = anchor
        self.real_configs = real_configs
        base = rng(seed, "ids")
        self.next_repo_id = 310_000 + base.randrange(10_000)
        self.next_tag_base = 40_000_000 + base.randrange(1_000_000)

    def repository(
        self,
        namespace: Namespace,
        name: str,
        category: str,
        tag_plan: TagPlan,
        description: str,
        big: bool = False,
        domain_name: str = DEMO_DOMAIN,
        domain_id: str = DEMO_DOMAIN_ID,
    ) -> Repository:
        generator = rng(self.seed, "repo", namespace.name, name)
        repo_id = self.next_repo_id
        self.next_repo_id += 1 + generator.randrange(3)
        id_base = self.next_tag_base
        self.next_tag_base += 200_000
        key = f"{self.seed}/{namespace.name}/{name}"
        explicit = not isinstance(tag_plan, int)
        if big and isinstance(tag_plan, int):
            newest = self.anchor - timedelta(minutes=7)
            tags: TagSource = GeneratedTags(
                key, tag_plan, newest, 900, BuildNumbers(), id_base, 0.1, real_configs=self.real_configs
            )
        else:
            newest = self.anchor - timedelta(seconds=2 * 3600 + generator.randrange(40 * 86_400))
            if isinstance(tag_plan, int):
                step = generator.randint(6 * 3600, 12 * 86_400)
                share = generator.random() / 2
                tags = GeneratedTags(
                    key, tag_plan, newest, step, SemVer(), id_base, share, real_configs=self.real_configs
                )
            else:
                reference = f"{namespace.name}/{name}"
                tags = _explicit_tags(key, reference, tag_plan, newest, id_base, self.real_configs)
        if tags.count:
            oldest_created, _ = tags.times(0)
            created = oldest_created - timedelta(seconds=generator.randint(60, 7 * 86_400))
            _, updated = tags.times(tags.count - 1)
            if explicit:
                size = sum(tags.record(index).size for index in range(tags.count))
            else:
                size = tags.count * generator.randint(2_000_000, 30_000_000)
        else:
            created = updated = newest
            size = 0
        is_public = generator.random() < 0.35
        creator = generator.choice(CREATORS)
        return Repository(
            id=repo_id,
            ns_id=namespace.id,
            namespace=namespace.name,
            name=name,
            category=category,
            description=description,
            is_public=is_public,
            num_download=int(10 ** generator.uniform(0, 5.5 if is_public else 3.5)) if tags.count else 0,
            size=size,
            created=created,
            updated=updated,
            creator_id=hex_id(self.seed, "user", creator),
            creator_name=creator,
            domain_id=domain_id,
            domain_name=domain_name,
            tags=tags,
        )


def _explicit_tags(
    key: str,
    reference: str,
    specs: tuple[tuple[str, str], ...],
    newest: datetime,
    id_base: int,
    real_configs: bool = False,
) -> ExplicitTags:
    generator = rng(key, "explicit")
    # Gaps are drawn newest-first so the newest tag sits exactly at ``newest``.
    gaps = []
    for _, kind in reversed(specs):
        close = kind.startswith(("same:", "cosign:"))
        gaps.append(generator.randint(3, 40) if close else generator.randint(3 * 3600, 9 * 86_400))
    times = []
    moment = newest
    for gap in gaps:
        times.append(moment)
        moment -= timedelta(seconds=gap)
    times.reverse()

    records: list[TagRecord] = []
    by_name: dict[str, TagRecord] = {}
    for index, ((name, kind), updated) in enumerate(zip(specs, times)):
        built = _build(generator, kind, by_name, reference, name, updated, real_configs)
        if name.startswith("sha256-{digest}"):
            subject = by_name[kind.partition(":")[2]]
            name = name.format(digest=subject.digest[len("sha256:") :])
        repushed = generator.random() < 0.2
        created = updated - timedelta(seconds=generator.randint(60, 3 * 86_400) if repushed else 0)
        record = TagRecord(index, id_base + index, name, built, created, updated, generator.random() < 0.7)
        records.append(record)
        by_name[name] = record
    return ExplicitTags(records)


def _build(
    generator: random.Random,
    kind: str,
    earlier: dict[str, TagRecord],
    reference: str,
    name: str,
    created: datetime,
    real_configs: bool = False,
) -> manifests.Built:
    if kind.startswith("same:"):
        return earlier[kind.partition(":")[2]].built
    if kind.startswith("cosign:"):
        subject = earlier[kind.partition(":")[2]]
        return manifests.cosign_signature(generator, subject.built, f"{reference}:{subject.name}")
    if kind in ("docker", "oci"):
        real = manifests.LINUX_AMD64 if real_configs else None
        return manifests.random_image(generator, oci=kind == "oci", docker_cli_share=0.3, real_config=real)
    if kind == "docker-list":
        return manifests.manifest_list(generator, oci=False, real_configs=real_configs)
    if kind in ("oci-index", "oci-index-att"):
        attestations = kind == "oci-index-att"
        return manifests.manifest_list(
            generator, oci=True, with_attestations=attestations, real_configs=real_configs
        )
    if kind == "schema1":
        return manifests.schema1_manifest(generator, reference, name, created)
    if kind == "broken":
        return manifests.broken_manifest(generator)
    raise ValueError(f"unknown tag kind {kind!r}")


def build_dataset(
    seed: int = 0, anchor: Optional[datetime] = None, region: str = DEMO_REGION, real_configs: bool = False
) -> Dataset:
    """``real_configs``: images get config blobs with real bytes (their digests change), which the
    data plane serves; off by default, so the digests the tests know stay as they are."""
    anchor = (anchor or DEFAULT_ANCHOR).astimezone(timezone.utc)
    builder = _Builder(seed, anchor, real_configs)
    ns_base = 1_340_000 + rng(seed, "namespaces").randrange(10_000)
    namespaces = (
        Namespace(ns_base, MAIN_NAMESPACE, "acme-admin", AUTH_MANAGE),
        Namespace(ns_base + 17, DEV_NAMESPACE, "acme-admin", AUTH_EDIT),
        Namespace(ns_base + 29, READ_ONLY_NAMESPACE, "partner-admin", AUTH_READ),
        Namespace(ns_base + 41, EMPTY_NAMESPACE, DEMO_USER, AUTH_MANAGE),
        # The auth a repo-level grant reports on its namespace is unverified; read is the safe guess.
        Namespace(ns_base + 58, VISIBLE_ONLY_NAMESPACE, "vendor-admin", AUTH_READ, visible_only=True),
    )
    main, dev, partners, _, visible_only = namespaces

    repos = [builder.repository(main, *spec) for spec in SHOWCASE_REPOS]
    big_description = "One tag per CI pipeline run of the monorepo"
    repos.append(builder.repository(main, BIG_REPO, "other", BIG_REPO_TAGS, big_description, big=True))
    repos += [builder.repository(main, *spec) for spec in MAIN_REPOS]
    repos += _dev_repositories(seed, builder, dev)
    repos += [builder.repository(partners, *spec) for spec in PARTNER_REPOS]
    repos += [builder.repository(visible_only, *spec) for spec in VISIBLE_ONLY_REPOS]

    shared = [
        SharedRepository(
            next(r for r in repos if r.namespace == MAIN_NAMESPACE and r.name == name), "self", ok
        )
        for name, ok in OWN_SHARES
    ]
    for ns_name, domain_name, name, category, count, description, in_force in THIRD_PARTY_SHARES:
        owner = Namespace(ns_base + 900 + len(shared), ns_name, f"{domain_name}-admin", AUTH_READ)
        domain_id = hex_id(seed, "domain", domain_name)
        repo = builder.repository(owner, name, category, count, description, False, domain_name, domain_id)
        shared.append(SharedRepository(repo, "thirdparty", in_force))
    # Built last so that adding it moved no other repository's ids.
    nightly_description = "Nightly builds of the main branch"
    repos.append(
        builder.repository(main, NIGHTLY_REPO, "other", NIGHTLY_REPO_TAGS, nightly_description, big=True)
    )

    return Dataset(
        seed=seed,
        anchor=anchor,
        region=region,
        domain_name=DEMO_DOMAIN,
        domain_id=DEMO_DOMAIN_ID,
        namespaces=namespaces,
        repositories=tuple(repos),
        shared=tuple(shared),
    )


def _dev_repositories(seed: int, builder: _Builder, namespace: Namespace) -> list[Repository]:
    generator = rng(seed, "acme-dev")
    pairs = [(team, component) for team in DEV_TEAMS for component in DEV_COMPONENTS]
    chosen = generator.sample(pairs, DEV_REPO_COUNT)
    repos = []
    for team, component in chosen:
        count = 0 if generator.random() < 0.08 else generator.randint(1, 60)
        description = f"{team.capitalize()} {component} (development builds)"
        repos.append(
            builder.repository(
                namespace, f"{team}-{component}", DEV_COMPONENTS[component], count, description
            )
        )
    return repos
