"""What SWR attaches to an image digest (cosign signatures, attestations, SBOMs): ListRepoAccessories.

Fields are the SDK's ``AccessoryListAccessories``; built as tolerantly as ``swr.models``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import as_mapping, field_int, field_text

# ListRepoAccessories' own paging: plain ``limit``/``offset`` query parameters (SDK request model
# ListRepoAccessoriesRequest), limit 10 by default and at most 100, the total in the body.
ACCESSORY_DEFAULT_LIMIT = 10
ACCESSORY_MAX_LIMIT = 100


@dataclass(frozen=True)
class Accessory:
    sig_tag: str  # the tag the accessory was pushed as, e.g. sha256-<hex>.sig
    sig_digest: str = ""  # the accessory's own digest
    target_digest: str = ""  # the image digest it is attached to
    kind: str = ""  # the wire's ``type``
    size: int = 0
    created: str = ""
    updated: str = ""
    id: int = 0
    namespace: str = ""
    repository: str = ""
    domain_id: str = ""

    @classmethod
    def from_api(cls, data: object) -> Accessory:
        data = as_mapping(data)
        return cls(
            sig_tag=field_text(data, "sig_tag"),
            sig_digest=field_text(data, "sig_digest"),
            target_digest=field_text(data, "target_digest"),
            kind=field_text(data, "type"),
            size=field_int(data, "size"),
            created=field_text(data, "created_at"),
            updated=field_text(data, "updated_at"),
            id=field_int(data, "id"),
            namespace=field_text(data, "namespace_name"),
            repository=field_text(data, "repo_name"),
            domain_id=field_text(data, "domain_id"),
        )
