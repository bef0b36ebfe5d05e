"""The fields of one tag in `tags --output json/csv`, in export files and in `Tag.to_output`, in the
order the README documents them: written out here once so the tests pin the contract, not the code."""

from __future__ import annotations

TAG_OUTPUT_KEYS = [
    "tag",
    "digest",
    "size",
    "created",
    "updated",
    "path",
    "internal_path",
    "image_id",
    "schema",
    "tag_type",
]
