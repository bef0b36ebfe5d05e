"""The fake's Enterprise Edition: two instances (one Running with scan results, one Creating), their
namespaces, repositories, artifacts and vulnerability reports, all derived from one anchor time.

Records are shaped as the SDK's models (``Instance``, ``Namespace``, ``Repository``, ``Artifact``,
``ArtifactTag``, ``NativeReportSummary``, ``VulnerabilityReports``, ``Vulnerability``). The
100,000-tag repository is never a list: each artifact is built from its index on demand (index 0 is
the newest push), like the basic edition's big repositories.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Optional

from swr_tui.fake.entropy import hex_id
from swr_tui.fake.tags import swr_time

RUNNING_ID = "3c1d8e6a-7f20-4b59-9a4e-5d6c7b8a9e01"
RUNNING_NAME = "acme-prod"
CREATING_ID = "9b2e4f7c-1a3d-4e6f-8b0c-2d4e6f8a0b13"
CREATING_NAME = "acme-next"
APPS = "apps"
CI = "ci"
LEGACY = "legacy"
SHOWCASE_REPO = "webapp"  # an artifact with 3 tags, an untagged one, a multi-arch index
DEEP_REPO = "team/tools/builder"  # several "/" in its name
BIG_REPO = "builds"  # in CI: 100,000 tags, one per artifact
CVE_REPO = "base"  # in LEGACY: an artifact with 2,000 vulnerabilities
BIG_COUNT = 100_000
MANY_CVES = 2_000
REPORT_TYPE = "application/vnd.security.vulnerability.report; version=1.1"
SCANNER = {"name": "Trivy", "vendor": "Aqua Security", "version": "v0.50.1"}
# The severities a report can hold, most severe first, with the CVSS v3 score they get here.
SEVERITY_SCORES = (("Critical", 9.8), ("High", 7.5), ("Medium", 5.3), ("Low", 2.1), ("Unknown", None))
IMAGE_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
INDEX_MANIFEST = "application/vnd.oci.image.index.v1+json"
IMAGE_CONFIG = "application/vnd.docker.container.image.v1+json"


@dataclass(frozen=True)
class FakeArtifact:
    """``cves``: how many vulnerabilities its report holds (None: never scanned)."""

    id: int
    digest: str
    pushed: datetime
    tags: tuple[str, ...] = ()
    index: bool = False
    size: int = 0
    pulled: Optional[datetime] = None
    cves: Optional[int] = None
    texts: tuple[str, ...] = ()  # hostile text the report's records carry (the hostile registry)


@dataclass(frozen=True)
class FakeRepository:
    namespace: str
    name: str
    id: int
    count: int
    artifact: Callable[[int], FakeArtifact]  # by index, newest first
    description: str = ""
    locate: Optional[Callable[[str], Optional[int]]] = None  # digest -> index, where scanning is slow
    tag_names: Optional[Callable[[int], tuple[str, ...]]] = None  # without building the artifact

    def names(self, index: int) -> tuple[str, ...]:
        return self.tag_names(index) if self.tag_names is not None else self.artifact(index).tags

    def artifacts(self, offset: int, limit: int) -> list[FakeArtifact]:
        return [self.artifact(index) for index in range(offset, min(offset + limit, self.count))]

    def find(self, digest: str) -> Optional[FakeArtifact]:
        if self.locate is not None:
            index = self.locate(digest)
            indexes: Sequence[int] = () if index is None else (index,)
        else:
            indexes = range(self.count)
        return next((self.artifact(i) for i in indexes if self.artifact(i).digest == digest), None)


@dataclass(frozen=True)
class FakeNamespace:
    name: str
    id: int
    public: bool = False
    auto_scan: bool = True


@dataclass(frozen=True)
class FakeInstance:
    id: str
    name: str
    status: str
    created: datetime
    spec: str = "swr_ee_pro"
    description: str = ""
    namespaces: tuple[FakeNamespace, ...] = ()
    repositories: tuple[FakeRepository, ...] = ()

    def repository(self, namespace: str, name: str) -> Optional[FakeRepository]:
        return next((r for r in self.repositories if r.namespace == namespace and r.name == name), None)

    def namespace(self, name: str) -> Optional[FakeNamespace]:
        return next((ns for ns in self.namespaces if ns.name == name), None)


@dataclass(frozen=True)
class Enterprise:
    anchor: datetime
    region: str
    instances: tuple[FakeInstance, ...] = field(default_factory=tuple)

    def instance(self, instance_id: str) -> Optional[FakeInstance]:
        return next((item for item in self.instances if item.id == instance_id), None)


def digest_of(*parts: object) -> str:
    return "sha256:" + hex_id("ee", *parts, length=64)


def _fixed(artifacts: Sequence[FakeArtifact]) -> Callable[[int], FakeArtifact]:
    return lambda index: artifacts[index]


def _big_digest(number: int) -> str:
    """The build number in the digest's first 12 hex digits: a digest finds its artifact at once."""
    return f"sha256:{number:012x}{hex_id('ee', BIG_REPO, number, length=52)}"


def _big_index(digest: str) -> Optional[int]:
    try:
        number = int(digest[len("sha256:") : len("sha256:") + 12], 16)
    except ValueError:
        return None
    return BIG_COUNT - 1 - number if 0 <= number < BIG_COUNT else None


def _big_names(index: int) -> tuple[str, ...]:
    return (f"build-{BIG_COUNT - 1 - index:06d}",)


def _big(anchor: datetime) -> Callable[[int], FakeArtifact]:
    def build(index: int) -> FakeArtifact:
        number = BIG_COUNT - 1 - index
        return FakeArtifact(
            id=5_000_000 + number,
            digest=_big_digest(number),
            pushed=anchor - timedelta(minutes=10 + index),
            tags=_big_names(index),
            size=40_000_000 + number % 1000 * 1024,
        )

    return build


def _showcase(anchor: datetime) -> list[FakeArtifact]:
    return [
        FakeArtifact(
            1001,
            digest_of(SHOWCASE_REPO, "v2"),
            anchor - timedelta(hours=2),
            ("v2.4.1", "latest", "stable"),
            size=52_428_800,
            pulled=anchor - timedelta(minutes=5),
            cves=len(SEVERITY_SCORES) * 2,
        ),
        FakeArtifact(
            1002, digest_of(SHOWCASE_REPO, "untagged"), anchor - timedelta(hours=5), size=51_200_000
        ),
        FakeArtifact(
            1003,
            digest_of(SHOWCASE_REPO, "index"),
            anchor - timedelta(days=1),
            ("v2.4.0-multiarch",),
            index=True,
            size=104_857_600,
            pulled=anchor - timedelta(days=1, minutes=-30),
        ),
        FakeArtifact(
            1004, digest_of(SHOWCASE_REPO, "v1"), anchor - timedelta(days=30), ("v1.0.0",), size=48_000_000
        ),
    ]


def build_enterprise(anchor: datetime, region: str) -> Enterprise:
    showcase = _showcase(anchor)
    deep = [FakeArtifact(2001, digest_of(DEEP_REPO), anchor - timedelta(hours=8), ("v1",), size=9_000_000)]
    old = [
        FakeArtifact(
            3001,
            digest_of(CVE_REPO),
            anchor - timedelta(days=400),
            ("2019",),
            size=70_000_000,
            cves=MANY_CVES,
        )
    ]
    repositories = (
        FakeRepository(APPS, SHOWCASE_REPO, 101, len(showcase), _fixed(showcase), "The shop's web front end"),
        FakeRepository(APPS, DEEP_REPO, 102, len(deep), _fixed(deep), "Builder image, nested name"),
        FakeRepository(CI, BIG_REPO, 103, BIG_COUNT, _big(anchor), "Every CI build", _big_index, _big_names),
        FakeRepository(LEGACY, CVE_REPO, 104, len(old), _fixed(old), "An old base image, never patched"),
    )
    running = FakeInstance(
        RUNNING_ID,
        RUNNING_NAME,
        "Running",
        anchor - timedelta(days=200),
        description="Production registry",
        namespaces=(FakeNamespace(APPS, 11), FakeNamespace(CI, 12), FakeNamespace(LEGACY, 13, public=True)),
        repositories=repositories,
    )
    creating = FakeInstance(
        CREATING_ID, CREATING_NAME, "Creating", anchor - timedelta(minutes=3), spec="swr_ee_basic"
    )
    return Enterprise(anchor, region, (running, creating))


# -- the wire shapes ----------------------------------------------------------------------------


def access_address(instance: FakeInstance, region: str) -> str:
    return f"{instance.name}-{instance.id[:8]}.swr-ee.{region}.myhuaweicloud.com"


def instance_shape(instance: FakeInstance, region: str, project_id: str) -> dict[str, Any]:
    return {
        "id": instance.id,
        "name": instance.name,
        "description": instance.description,
        "vpc_id": hex_id("vpc", instance.id),
        "subnet_id": hex_id("subnet", instance.id),
        "spec": instance.spec,
        "version": "v2",
        "charge_mode": "postPaid",
        "access_address": access_address(instance, region) if instance.status == "Running" else "",
        "created_at": swr_time(instance.created),
        "updated_at": swr_time(instance.created),
        "expires_at": "",
        "status": instance.status,
        "obs_bucket_name": f"swr-ee-{instance.id[:8]}",
        "project_id": project_id,
        "enterprise_project_id": "0",
        "user_def_obs": False,
        "vpc_name": "vpc-prod",
        "vpc_cidr": "192.168.0.0/16",
        "subnet_name": "subnet-registry",
        "subnet_cidr": "192.168.1.0/24",
    }


def namespace_shape(instance: FakeInstance, namespace: FakeNamespace, created: datetime) -> dict[str, Any]:
    count = sum(1 for repo in instance.repositories if repo.namespace == namespace.name)
    return {
        "name": namespace.name,
        "namespace_id": namespace.id,
        "metadata": {
            "public": "true" if namespace.public else "false",
            "auto_scan": "true" if namespace.auto_scan else "false",
            "prevent_vul": "false",
            "severity": "high",
        },
        "created_at": swr_time(created),
        "updated_at": swr_time(created),
        "repo_count": count,
    }


def repository_shape(instance: FakeInstance, repo: FakeRepository, namespace_id: int) -> dict[str, Any]:
    newest = repo.artifact(0)
    oldest = repo.artifact(repo.count - 1)
    tag_count = (
        BIG_COUNT if repo.count == BIG_COUNT else sum(len(a.tags) for a in repo.artifacts(0, repo.count))
    )
    return {
        "id": repo.id,
        "name": repo.name,
        "namespace_name": repo.namespace,
        "namespace_id": namespace_id,
        "tag_count": tag_count,
        "pull_count": repo.id * 7,
        "artifact_count": repo.count,
        "description": repo.description,
        "created_at": swr_time(oldest.pushed),
        "updated_at": swr_time(newest.pushed),
    }


def artifact_shape(repo: FakeRepository, artifact: FakeArtifact, with_scan: bool = False) -> dict[str, Any]:
    pulled = swr_time(artifact.pulled) if artifact.pulled else ""
    shape: dict[str, Any] = {
        "digest": artifact.digest,
        "id": artifact.id,
        "repository_id": repo.id,
        "repository_name": repo.name,
        "type": "IMAGE",
        "namespace_id": 0,
        "media_type": IMAGE_CONFIG if not artifact.index else INDEX_MANIFEST,
        "manifest_media_type": INDEX_MANIFEST if artifact.index else IMAGE_MANIFEST,
        "pull_time": pulled,
        "push_time": swr_time(artifact.pushed),
        "size": artifact.size,
        "tags": [
            {
                "id": artifact.id * 10 + number,
                "repository_id": repo.id,
                "artifact_id": artifact.id,
                "name": name,
                "push_time": swr_time(artifact.pushed),
                "pull_time": pulled,
            }
            for number, name in enumerate(artifact.tags)
        ],
    }
    if with_scan:
        shape["scan_overview"] = scan_overview(artifact)
    return shape


def vulnerability(artifact: FakeArtifact, number: int) -> dict[str, Any]:
    """The report's ``number``-th record. Real reports leave fields out: every 5th has no fix
    version, every 7th no CVSS, every 11th only an id and a severity."""
    severity, score = SEVERITY_SCORES[number % len(SEVERITY_SCORES)]
    text = artifact.texts[number % len(artifact.texts)] if artifact.texts else ""
    cve = f"CVE-{2019 + number % 5}-{10000 + number}"
    if number % 11 == 10:
        return {"id": cve + text, "severity": severity}
    record: dict[str, Any] = {
        "id": cve + text,
        "package": f"lib{number % 37}{text}",
        "version": f"1.{number % 9}.{number % 4}",
        "severity": severity,
        "description": f"A flaw in lib{number % 37}. {text}",
        "links": [f"https://nvd.nist.gov/vuln/detail/{cve}"],
        "artifact_digests": [artifact.digest],
        "cwe_ids": [f"CWE-{number % 900 + 20}"],
    }
    if number % 5 != 4:
        record["fix_version"] = f"1.{number % 9}.{number % 4 + 1}"
    if number % 7 != 6 and score is not None:
        record["preferred_cvss"] = {
            "score_v3": score,
            "score_v2": score - 0.5,
            "vector_v3": "",
            "vector_v2": "",
        }
    return record


def _counts(artifact: FakeArtifact) -> dict[str, int]:
    counts: dict[str, int] = {}
    for number in range(artifact.cves or 0):
        severity = SEVERITY_SCORES[number % len(SEVERITY_SCORES)][0]
        counts[severity] = counts.get(severity, 0) + 1
    return counts


def scan_overview(artifact: FakeArtifact) -> dict[str, Any]:
    if artifact.cves is None:
        return {}
    counts = _counts(artifact)
    worst = next((name for name, _ in SEVERITY_SCORES if counts.get(name)), "None")
    return {
        REPORT_TYPE: {
            "report_id": hex_id("report", artifact.digest),
            "scan_status": "Success",
            "severity": worst,
            "duration": 12,
            "summary": {
                "total": artifact.cves,
                "fixable": artifact.cves - artifact.cves // 5,
                "summary": counts,
            },
            "start_time": swr_time(artifact.pushed + timedelta(minutes=1)),
            "end_time": swr_time(artifact.pushed + timedelta(minutes=1, seconds=12)),
            "complete_percent": 100,
            "scanner": SCANNER,
        }
    }


def vulnerability_report(artifact: FakeArtifact) -> dict[str, Any]:
    if artifact.cves is None:
        return {}
    overview = scan_overview(artifact)[REPORT_TYPE]
    return {
        REPORT_TYPE: {
            "generated_at": overview["end_time"],
            "severity": overview["severity"],
            "scanner": SCANNER,
            "vulnerabilities": [vulnerability(artifact, number) for number in range(artifact.cves)],
        }
    }


def build_history(artifact: FakeArtifact) -> list[dict[str, Any]]:
    created = swr_time(artifact.pushed - timedelta(minutes=3))
    steps = [
        ("/bin/sh -c #(nop) ADD file:0a1b2c in / ", False, 3_000_000),
        ('/bin/sh -c #(nop)  CMD ["sh"]', True, 0),
        ("RUN /bin/sh -c apk add --no-cache ca-certificates # buildkit", False, 1_200_000),
        ("COPY app /app # buildkit", False, max(0, artifact.size - 4_200_000)),
        ('ENTRYPOINT ["/app"]', True, 0),
    ]
    return [
        {
            "created_at": created,
            "created_by": command,
            "empty_layer": empty,
            "mediaType": "" if empty else "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "size": size,
            "digest": "" if empty else digest_of(artifact.digest, "layer", number),
        }
        for number, (command, empty, size) in enumerate(steps)
    ]


def accessories(artifact: FakeArtifact) -> list[dict[str, Any]]:
    if not artifact.tags or artifact.index:
        return []
    return [
        {
            "id": artifact.id * 100 + number,
            "artifact_id": artifact.id * 100 + number,
            "subject_artifact_id": artifact.id,
            "size": 1_500 + number,
            "digest": digest_of(artifact.digest, kind),
            "type": kind,
            "created_at": swr_time(artifact.pushed + timedelta(minutes=2)),
        }
        for number, kind in enumerate(("signature.cosign", "sbom.spdx"))
    ]
