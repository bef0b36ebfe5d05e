"""SDK-HMAC-SHA256 request signing, as the official Huawei Cloud Python SDK computes it.

Pure functions over plain values so that the client (through ``auth.AkSkAuth``) and the fake
registry (to verify signatures) share one implementation.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Optional
from urllib.parse import parse_qsl, quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_HEADER = "X-Sdk-Date"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()
UNSIGNED_PAYLOAD_HEADER = "x-sdk-content-sha256"


def encode(value: str) -> str:
    """RFC 3986 encoding: only ``A-Za-z0-9-_.~`` stay as they are."""
    return quote(value, safe="~")


def sdk_date(moment: Optional[datetime] = None) -> str:
    moment = moment or datetime.now(timezone.utc)
    return moment.strftime(DATE_FORMAT)


def parse_sdk_date(value: str) -> datetime:
    return datetime.strptime(value, DATE_FORMAT).replace(tzinfo=timezone.utc)


def canonical_query(params: Iterable[tuple[str, str]]) -> str:
    """Sorted by key then value, each part encoded; also the exact query string sent on the wire."""
    return "&".join(f"{encode(key)}={encode(value)}" for key, value in sorted(params))


def canonical_query_from_raw(raw_query: str) -> str:
    return canonical_query(parse_qsl(raw_query, keep_blank_values=True))


def canonical_uri(raw_path: str) -> str:
    segments = unquote(raw_path).split("/")
    path = "/".join(encode(segment) for segment in segments)
    return path if path.endswith("/") else path + "/"


def signed_header_names(header_names: Iterable[str]) -> list[str]:
    """Lower-cased, sorted names; the SDK leaves out every name containing an underscore."""
    return sorted({name.lower() for name in header_names if "_" not in name})


def payload_hash(body: bytes, headers: Mapping[str, str]) -> str:
    if not body:
        return EMPTY_BODY_SHA256
    lowered = {key.lower(): value for key, value in headers.items()}
    unsigned = lowered.get(UNSIGNED_PAYLOAD_HEADER)
    if unsigned:
        return unsigned
    return hashlib.sha256(body).hexdigest()


def canonical_request(
    method: str,
    raw_path: str,
    raw_query: str,
    headers: Mapping[str, str],
    signed_headers: list[str],
    body: bytes,
) -> str:
    lowered = {key.lower(): str(value).strip() for key, value in headers.items()}
    header_block = "".join(f"{name}:{lowered.get(name, '')}\n" for name in signed_headers)
    return "\n".join(
        [
            method.upper(),
            canonical_uri(raw_path),
            canonical_query_from_raw(raw_query),
            header_block,
            ";".join(signed_headers),
            payload_hash(body, headers),
        ]
    )


def string_to_sign(canonical: str, date: str) -> str:
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{date}\n{digest}"


def signature(secret_key: str, to_sign: str) -> str:
    return hmac.new(secret_key.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization_header(access_key: str, signed_headers: list[str], signature_hex: str) -> str:
    return (
        f"{ALGORITHM} Access={access_key}, SignedHeaders={';'.join(signed_headers)}, "
        f"Signature={signature_hex}"
    )


def sign(
    method: str,
    raw_path: str,
    raw_query: str,
    headers: Mapping[str, str],
    body: bytes,
    access_key: str,
    secret_key: str,
) -> str:
    """The Authorization value for a request whose headers already hold X-Sdk-Date and Host."""
    date = _header(headers, DATE_HEADER)
    if date is None:
        raise ValueError("the request has no X-Sdk-Date header")
    names = signed_header_names(headers.keys())
    canonical = canonical_request(method, raw_path, raw_query, headers, names, body)
    return authorization_header(access_key, names, signature(secret_key, string_to_sign(canonical, date)))


class ParsedAuthorization:
    """The three parts of an ``SDK-HMAC-SHA256`` Authorization value."""

    __slots__ = ("access_key", "signature", "signed_headers")

    def __init__(self, access_key: str, signed_headers: list[str], signature_hex: str) -> None:
        self.access_key = access_key
        self.signed_headers = signed_headers
        self.signature = signature_hex

    @classmethod
    def parse(cls, value: str) -> Optional[ParsedAuthorization]:
        algorithm, _, rest = value.strip().partition(" ")
        if algorithm != ALGORITHM:
            return None
        parts = {}
        for item in rest.split(","):
            key, sep, val = item.strip().partition("=")
            if sep:
                parts[key] = val
        if not {"Access", "SignedHeaders", "Signature"} <= parts.keys():
            return None
        return cls(parts["Access"], parts["SignedHeaders"].split(";"), parts["Signature"])


def verify(
    method: str,
    raw_path: str,
    raw_query: str,
    headers: Mapping[str, str],
    body: bytes,
    secret_key: str,
    authorization: ParsedAuthorization,
) -> bool:
    """Recompute the signature over the headers the client said it signed (used by the fake)."""
    date = _header(headers, DATE_HEADER)
    if date is None:
        return False
    canonical = canonical_request(method, raw_path, raw_query, headers, authorization.signed_headers, body)
    expected = signature(secret_key, string_to_sign(canonical, date))
    return hmac.compare_digest(expected.encode(), authorization.signature.encode("utf-8", "replace"))


def _header(headers: Mapping[str, str], name: str) -> Optional[str]:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None
