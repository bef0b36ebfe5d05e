"""The fault kinds of the registry data plane (grammar in ``faults``). The data plane consults
them itself (``FaultPlan.fire``), as each needs its own state: a token's uses, a second server."""

from __future__ import annotations

BEARER_EXPIRED = "bearer-expired"  # 401 on a bearer token once it was used N times (default 1)
BLOB_MISMATCH = "blob-mismatch"  # a blob's bytes that do not match its digest
BLOB_REDIRECT = "blob-redirect"  # 302 to object storage on another loopback host (=HOST)
NO_WWW_AUTHENTICATE = "no-www-authenticate"  # the 401 of GET /v2/ without a challenge
BAD_WWW_AUTHENTICATE = "bad-www-authenticate"  # a challenge that cannot be parsed
REALM_ELSEWHERE = "realm-elsewhere"  # a realm on another host, over plain http
NO_TOKEN = "no-token"  # noqa: S105 (a fault kind) a token answer without a token

DATA_PLANE_KINDS = (
    BEARER_EXPIRED,
    BLOB_MISMATCH,
    BLOB_REDIRECT,
    NO_WWW_AUTHENTICATE,
    BAD_WWW_AUTHENTICATE,
    REALM_ELSEWHERE,
    NO_TOKEN,
)
