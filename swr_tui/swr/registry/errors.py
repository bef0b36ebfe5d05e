"""Errors of the registry data plane, each a one-line message a person can act on."""

from __future__ import annotations

from ..errors import AuthenticationError, ConfigurationError, ResponseFormatError


class RegistryAuthError(AuthenticationError):
    """The registry's token dance failed: no usable challenge, a refused login, no token."""


class RealmRefusedError(ConfigurationError):
    """The registry asked for credentials to be sent where swr-tui will not send them."""


class DigestMismatchError(ResponseFormatError):
    """Bytes that do not hash to the digest they were asked for (or announced with)."""
