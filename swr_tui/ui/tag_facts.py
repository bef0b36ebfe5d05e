"""The highlighted tag as labelled facts and copyable references (no widgets here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

from ..formatting import human_size, parse_api_time, relative_age
from ..swr.models import Tag


def format_time(value: str, utc_first: bool, now: datetime) -> str:
    """'2026-11-01 09:00:00 UTC · 3h ago · 10:00:00 CET local', local first when asked."""
    moment = parse_api_time(value)
    if moment is None:
        return value or "-"
    utc = moment.astimezone(timezone.utc)
    local = moment.astimezone()
    age = relative_age(moment, now)
    utc_text = utc.strftime("%Y-%m-%d %H:%M:%S UTC")
    if local.utcoffset() == utc.utcoffset():
        return f"{utc_text} · {age}"
    local_text = local.strftime("%Y-%m-%d %H:%M:%S ") + (local.tzname() or "local")
    if utc_first:
        return f"{utc_text} · {age} · {local_text}"
    return f"{local_text} · {age} · {utc_text}"


def tag_facts(tag: Tag, utc_first: bool, now: datetime) -> list[tuple[str, str]]:
    size = f"{tag.size:,} bytes ({human_size(tag.size)})" if tag.size else "-"
    return [
        ("Tag", tag.name),
        ("Digest", tag.digest or "-"),
        ("Image ID", tag.image_id or "-"),
        ("Size", size),
        ("Created", format_time(tag.created, utc_first, now)),
        ("Updated", format_time(tag.updated, utc_first, now)),
        ("Pull", tag.path or "-"),
        ("Internal", tag.internal_path or "-"),
        ("Schema", str(tag.schema) if tag.schema else "-"),
        ("Type", tag.kind),
        ("Trusted", "yes" if tag.is_trusted else "no"),
    ]


@dataclass(frozen=True)
class CopyChoice:
    key: str
    label: str
    text: str


def repository_reference(tag: Tag) -> Optional[str]:
    """``host/ns/repo`` from the pull path (the tag cut off its end; a registry port is kept)."""
    suffix = f":{tag.name}"
    if tag.path and tag.path.endswith(suffix):
        return tag.path[: -len(suffix)]
    return None


def copy_choices(tag: Tag) -> list[CopyChoice]:
    """What the copy menu offers, leaving out what this tag lacks."""
    choices = []
    if tag.path:
        choices.append(CopyChoice("p", "Pull path", tag.path))
    if tag.internal_path:
        choices.append(CopyChoice("i", "Internal (in-VPC) pull path", tag.internal_path))
    if tag.digest:
        choices.append(CopyChoice("d", "Digest", tag.digest))
    repo = repository_reference(tag)
    if repo and tag.digest:
        choices.append(CopyChoice("r", "repo@digest", f"{repo}@{tag.digest}"))
        choices.append(CopyChoice("t", "repo:tag@digest", f"{tag.path}@{tag.digest}"))
    if tag.path:
        choices.append(CopyChoice("D", "docker pull command", f"docker pull {tag.path}"))
    return choices
