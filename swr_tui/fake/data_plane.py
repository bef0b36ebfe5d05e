"""The fake registry's data plane: the OCI distribution API SWR serves on its pull host.

``GET /v2/`` answers 401 with a Bearer challenge; the realm (``/swr/auth/v2/registry/auth/``)
takes Basic credentials (``data_plane_auth``) and gives a token for ``repository:NS/REPO:pull``;
manifests, blobs and referrers need that token. Manifests are the tags' own bytes (their digests
are the real sha256), child manifests of every list are served too, and config blobs are served
when the data set was built with real configs. CreateSecret (``POST /v2/manage/utils/secret``)
issues temporary logins, as the SDK's ``CreateSecretResponse`` has them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections import OrderedDict
from datetime import datetime
from typing import Callable, Optional
from urllib.parse import parse_qsl

from swr_tui.fake import data_plane_faults as kinds
from swr_tui.fake import data_plane_routes as routes
from swr_tui.fake.data_plane_auth import BEARER_TTL_S, DataPlaneAuth, basic_credentials
from swr_tui.fake.dataset import Dataset, Repository
from swr_tui.fake.faults import FaultPlan
from swr_tui.fake.manifests import OCI_INDEX, OCI_MANIFEST, SCHEMA1_SIGNED, Built
from swr_tui.fake.object_storage import DEFAULT_HOST, ObjectStorage
from swr_tui.fake.replies import Reply
from swr_tui.fake.wire import FakeRequest

SERVICE = "dockyard"
# Digests seen in served manifests, so a blob or child asked for later is found without a scan.
MAX_INDEXED_DIGESTS = 20_000
# A digest not indexed yet is looked for among this many newest tags of the repository (a
# 100,000-tag repository is not built whole to answer one request).
MAX_SCANNED_TAGS = 2_000
COSIGN_ARTIFACT_TYPES = {
    ".sig": "application/vnd.dev.cosign.artifact.sig.v1+json",
    ".att": "application/vnd.dsse.envelope.v1+json",
    ".sbom": "application/vnd.dev.cosign.artifact.sbom.v1+json",
}
_LOOPBACK_PREFIXES = ("127.", "localhost", "[::1]")


def distribution_error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"errors": [{"code": code, "message": message, "detail": None}]})


def media_type_of(built: Built) -> str:
    if built.schema == 1:
        return SCHEMA1_SIGNED
    try:
        declared = json.loads(built.text).get("mediaType")
    except (ValueError, AttributeError, RecursionError):
        declared = None
    return declared if isinstance(declared, str) else OCI_MANIFEST


class DataPlane:
    def __init__(self, dataset: Callable[[], Dataset], plan: FaultPlan, region: str) -> None:
        self._dataset = dataset
        self.plan = plan
        self.auth = DataPlaneAuth(region)
        self.object_storage: Optional[ObjectStorage] = None
        self._lock = threading.Lock()
        self._manifests: OrderedDict[str, Built] = OrderedDict()  # (repo key + digest) -> manifest
        self._blobs: OrderedDict[str, bytes] = OrderedDict()

    # -- entry points -------------------------------------------------------------------------

    def answer(self, request: FakeRequest, route: str, path: dict[str, str], now: datetime) -> Reply:
        if route == routes.OBJECTS:
            storage = self.object_storage
            return (
                storage.answer(request) if storage else distribution_error(404, "NOT_FOUND", "no such object")
            )
        if request.method != "GET":
            reply = distribution_error(405, "UNSUPPORTED", f"{request.method} is not allowed: read only")
            reply.headers["Allow"] = "GET"
            return reply
        if route == routes.TOKEN:
            return self._token(request, now)
        if route == routes.REGISTRY:
            problem = self._bearer_problem(request, None, route, now)
            return self._challenge(request, route, None, problem) if problem else Reply(200, {})
        repository = path["name"]
        problem = self._bearer_problem(request, repository, route, now)
        if problem:
            return self._challenge(request, route, repository, problem)
        repo = self._repository(repository)
        if repo is None:
            return distribution_error(
                404, "NAME_UNKNOWN", f"repository name not known to registry: {repository}"
            )
        if route == routes.MANIFEST:
            return self._manifest(repo, path["reference"])
        if route == routes.BLOB:
            return self._blob(repo, path["reference"])
        return self._referrers(repo, path["reference"])

    def create_secret(self, request: FakeRequest, now: datetime, host: str) -> Reply:
        """CreateSecret, already authenticated: a temporary login for the registry ``host``."""
        if request.method != "POST":
            reply = distribution_error(405, "UNSUPPORTED", "CreateSecret is POST")
            reply.headers["Allow"] = "POST"
            return reply
        user, password, expires = self.auth.issue_login(now)
        auth = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        headers = {
            "X-Swr-Dockerlogin": f"docker login -u {user} -p {password} {host}",
            "X-Swr-Expireat": expires.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        }
        return Reply(200, {"auths": {host: {"auth": auth}}}, headers=headers)

    # -- authentication -----------------------------------------------------------------------

    def _bearer_problem(
        self, request: FakeRequest, repository: Optional[str], route: str, now: datetime
    ) -> str:
        header = request.header("Authorization") or ""
        if not header.lower().startswith("bearer "):
            return "authentication required"
        rule = self.plan.has(route, kinds.BEARER_EXPIRED)
        max_uses = None
        if rule is not None:
            max_uses = int(rule.arg) if isinstance(rule.arg, int) else 1
        problem = self.auth.bearer_problem(header[7:].strip(), repository, now, max_uses)
        if problem == "token expired" and rule is not None:
            self.plan.fire(route, kinds.BEARER_EXPIRED)  # counted, as every fault's firings are
        return problem

    def _realm(self, request: FakeRequest) -> str:
        host = request.header("Host") or "localhost"
        scheme = "http" if host.startswith(_LOOPBACK_PREFIXES) else "https"
        return f"{scheme}://{host}{routes.TOKEN_PATH}"

    def _challenge(self, request: FakeRequest, route: str, repository: Optional[str], problem: str) -> Reply:
        reply = distribution_error(401, "UNAUTHORIZED", problem)
        realm = self._realm(request)
        if self.plan.fire(route, kinds.REALM_ELSEWHERE):
            realm = f"http://{DEFAULT_HOST}:9{routes.TOKEN_PATH}"
        challenge = f'Bearer realm="{realm}",service="{SERVICE}"'
        if repository is not None:
            challenge += f',scope="repository:{repository}:pull",error="invalid_token"'
        if self.plan.fire(route, kinds.BAD_WWW_AUTHENTICATE):
            challenge = 'Bearer realm="https://unterminated,service=dockyard'
        if not self.plan.fire(route, kinds.NO_WWW_AUTHENTICATE):
            reply.headers["WWW-Authenticate"] = challenge
        return reply

    def _token(self, request: FakeRequest, now: datetime) -> Reply:
        query = parse_qsl(request.raw_query, keep_blank_values=True)
        credentials = basic_credentials(request.header("Authorization"))
        if credentials is None or not self.auth.login_ok(*credentials, now):
            reply = distribution_error(401, "UNAUTHORIZED", "authentication required")
            reply.headers["WWW-Authenticate"] = f'Basic realm="{self._realm(request)}"'
            return reply
        if dict(query).get("service") != SERVICE:
            return distribution_error(400, "UNSUPPORTED", f"service must be {SERVICE}")
        granted = set()
        for key, value in query:
            kind, _, rest = value.partition(":")
            name, _, actions = rest.rpartition(":")
            if (
                key == "scope"
                and kind == "repository"
                and "pull" in actions.split(",")
                and self._repository(name)
            ):
                granted.add(name)
        token = self.auth.issue_bearer(frozenset(granted), now)
        body: dict[str, object] = {"token": token, "expires_in": BEARER_TTL_S, "issued_at": now.isoformat()}
        if self.plan.fire(routes.TOKEN, kinds.NO_TOKEN):
            del body["token"]
        return Reply(200, body)

    # -- content ------------------------------------------------------------------------------

    def _repository(self, name: str) -> Optional[Repository]:
        namespace, _, repository = name.partition("/")
        return self._dataset().repository(namespace, repository) if repository else None

    def _remember(self, repo: Repository, built: Built) -> None:
        with self._lock:
            for item in (built, *built.children):
                self._manifests[f"{repo.namespace}/{repo.name}@{item.digest}"] = item
                self._manifests.move_to_end(f"{repo.namespace}/{repo.name}@{item.digest}")
                if item.config_blob is not None:
                    digest = "sha256:" + hashlib.sha256(item.config_blob).hexdigest()
                    self._blobs[f"{repo.namespace}/{repo.name}@{digest}"] = item.config_blob
            for held in (self._manifests, self._blobs):
                while len(held) > MAX_INDEXED_DIGESTS:
                    held.popitem(last=False)

    def _indexed(self, repo: Repository, digest: str) -> tuple[Optional[Built], Optional[bytes]]:
        key = f"{repo.namespace}/{repo.name}@{digest}"
        with self._lock:
            return self._manifests.get(key), self._blobs.get(key)

    def _find(self, repo: Repository, digest: str) -> tuple[Optional[Built], Optional[bytes]]:
        found = self._indexed(repo, digest)
        if found != (None, None):
            return found
        tags = repo.tags
        for index in range(tags.count - 1, max(-1, tags.count - 1 - MAX_SCANNED_TAGS), -1):
            self._remember(repo, tags.record(index).built)
            found = self._indexed(repo, digest)
            if found != (None, None):
                return found
        return None, None

    def _manifest(self, repo: Repository, reference: str) -> Reply:
        if reference.startswith("sha256:"):
            built, _ = self._find(repo, reference)
        else:
            index = repo.tags.index_of(reference)
            built = repo.tags.record(index).built if index is not None else None
            if built is not None:
                self._remember(repo, built)
        if built is None:
            return distribution_error(404, "MANIFEST_UNKNOWN", f"manifest unknown: {reference}")
        reply = Reply(200, raw=built.text.encode("utf-8"), content_type=media_type_of(built))
        reply.headers["Docker-Content-Digest"] = built.digest
        return reply

    def _blob(self, repo: Repository, digest: str) -> Reply:
        _, blob = self._find(repo, digest)
        if blob is None:
            return distribution_error(404, "BLOB_UNKNOWN", f"blob unknown to registry: {digest}")
        if self.plan.fire(routes.BLOB, kinds.BLOB_MISMATCH):
            blob = blob[:-2] + b" }" if len(blob) > 2 else b"{}"
        redirect = self.plan.fire(routes.BLOB, kinds.BLOB_REDIRECT)
        if redirect is not None:
            storage = self._storage(str(redirect.rule.arg or DEFAULT_HOST))
            return Reply(302, None, headers={"Location": storage.put(blob)})
        reply = Reply(200, raw=blob, content_type="application/octet-stream")
        reply.headers["Docker-Content-Digest"] = digest
        return reply

    def _storage(self, host: str) -> ObjectStorage:
        with self._lock:
            if self.object_storage is None or self.object_storage.host != host:
                self.object_storage = ObjectStorage(host)
            return self.object_storage

    def _referrers(self, repo: Repository, digest: str) -> Reply:
        """Cosign's tags for ``digest`` (``sha256-<hex>.sig`` and kin) as an OCI index."""
        manifests = []
        for suffix, artifact_type in COSIGN_ARTIFACT_TYPES.items():
            index = repo.tags.index_of(digest.replace(":", "-", 1) + suffix)
            if index is None:
                continue
            built = repo.tags.record(index).built
            self._remember(repo, built)
            manifests.append(
                {
                    "mediaType": OCI_MANIFEST,
                    "digest": built.digest,
                    "size": built.size,
                    "artifactType": artifact_type,
                }
            )
        document = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": manifests}
        return Reply(200, document, content_type=OCI_INDEX)
