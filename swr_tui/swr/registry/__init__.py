"""The registry data plane (OCI distribution API) of SWR's pull host: no UI, GET only."""

from __future__ import annotations

from .client import MAX_CONFIG_BLOB_BYTES, MAX_MANIFEST_BYTES, Manifest, RegistryClient
from .errors import DigestMismatchError, RealmRefusedError, RegistryAuthError
from .login import LoginChain, RegistryLogin, long_term_login
from .secret import TemporaryLogin

__all__ = [
    "MAX_CONFIG_BLOB_BYTES",
    "MAX_MANIFEST_BYTES",
    "DigestMismatchError",
    "LoginChain",
    "Manifest",
    "RealmRefusedError",
    "RegistryAuthError",
    "RegistryClient",
    "RegistryLogin",
    "TemporaryLogin",
    "long_term_login",
]
