"""An answer's body read with a cap on its decoded size: a gzip bomb unpacks a thousandfold, so the
size on the wire says nothing about the memory it takes."""

from __future__ import annotations

from typing import Optional

import httpx

from .errors import ResponseFormatError, iam_endpoint_of

# The largest real answer is a page of 1,000 tags with each manifest inline: a few MB, tens of MB
# with some 5 MB manifests. A page where all 1,000 are 5 MB (5 GB) could not be parsed in memory
# anyway; 256 MiB holds any page a person can use, and stops a gzip bomb (3 MB on the wire, 3 GB
# unpacked) after about a second of unpacking.
MAX_BODY_BYTES = 256 * 1024 * 1024


class BodyTooLargeError(ResponseFormatError):
    """The decoded body passed the cap; reading stopped there."""

    def __init__(self, limit: int, iam_endpoint: Optional[str] = None) -> None:
        super().__init__(f"An answer was over {size_text(limit)} once decompressed; reading stopped")
        self.limit = limit
        self.iam_endpoint = iam_endpoint  # set when it was the IAM login's answer


def size_text(size: int) -> str:
    return f"{size // (1024 * 1024)} MiB" if size >= 1024 * 1024 else f"{size:,} bytes"


async def read_capped(response: httpx.Response, limit: int = MAX_BODY_BYTES) -> None:
    """Read the body as ``Response.aread`` does, but stop as soon as the decoded size passes
    ``limit``. Afterwards ``response.content`` holds it."""
    if hasattr(response, "_content"):  # given whole (not streamed), or read already
        return
    chunks = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError(limit, iam_endpoint_of(response))
        chunks.append(chunk)
    # What Response.aread stores: a later aread (httpx's own, in an auth flow) then reads nothing.
    response._content = b"".join(chunks)
