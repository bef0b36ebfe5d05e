"""The highlighted tag as labelled facts and copyable references (no widgets here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

from ..formatting import human_size, plausible_time, relative_age, short_digest
from ..references import IMAGE_DIGEST, IMAGE_REFERENCE, quoted, reference_problem
from ..swr.cosign import signature_kind
from ..swr.image_config import ImageConfig, env_file_text, labels_json
from ..swr.models import Tag
from .digests import DigestIndex


def format_time(value: str, utc_first: bool, now: datetime) -> str:
    """'2026-11-01 09:00:00 UTC · 3h ago · 10:00:00 CET local', local first when asked; the value as
    sent (the caller scrubs it) when it is no plausible time, such as year 1 at +14:00."""
    moment = plausible_time(value)
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
class CopySource:
    """A registry value a copied text holds: copied only if it matches its grammar."""

    what: str  # "pull path", "digest"...: how messages name it
    value: str
    is_digest: bool = False

    @property
    def problem(self) -> Optional[str]:
        """Why the value is not a well-formed image reference (or digest), None when it is."""
        return reference_problem(self.value, IMAGE_DIGEST if self.is_digest else IMAGE_REFERENCE)


@dataclass(frozen=True)
class CopyChoice:
    key: str
    label: str
    text: str
    sources: tuple[CopySource, ...] = ()
    preview: str = ""  # what the menu shows instead of the text (a summary of a long one)

    @property
    def refusal(self) -> Optional[str]:
        """Why the text must not reach a clipboard (pasted into a shell, a newline in a pull path
        runs what follows it), or None. The value is quoted escaped and cut, never raw."""
        for source in self.sources:
            problem = source.problem
            if problem is not None:
                kind = "digest" if source.is_digest else "image reference"
                return f"The {source.what} '{quoted(source.value)}' is not a valid {kind}: {problem}"
        return None


def value_choice(key: str, label: str, what: str, value: str, is_digest: bool = False) -> CopyChoice:
    """A choice that copies one registry value as it is."""
    return CopyChoice(key, label, value, (CopySource(what, value, is_digest),))


def repository_reference(tag: Tag) -> Optional[str]:
    """``host/ns/repo`` from the pull path (the tag cut off its end; a registry port is kept)."""
    suffix = f":{tag.name}"
    if tag.path and tag.path.endswith(suffix):
        return tag.path[: -len(suffix)]
    return None


def copy_choices(tag: Tag) -> list[CopyChoice]:
    """What the copy menu offers, leaving out what this tag lacks."""
    choices = []
    path = CopySource("pull path", tag.path)
    digest = CopySource("digest", tag.digest, is_digest=True)
    if tag.path:
        choices.append(value_choice("p", "Pull path", "pull path", tag.path))
    if tag.internal_path:
        choices.append(
            value_choice("i", "Internal (in-VPC) pull path", "internal pull path", tag.internal_path)
        )
    if tag.digest:
        choices.append(value_choice("d", "Digest", "digest", tag.digest, is_digest=True))
    repo = repository_reference(tag)
    if repo and tag.digest:
        repository = CopySource("repository", repo)
        choices.append(CopyChoice("r", "repo@digest", f"{repo}@{tag.digest}", (repository, digest)))
        choices.append(CopyChoice("t", "repo:tag@digest", f"{tag.path}@{tag.digest}", (path, digest)))
    if tag.path:
        choices.append(CopyChoice("D", "docker pull command", f"docker pull {tag.path}", (path,)))
    return choices


def config_choices(config: Optional[ImageConfig]) -> list[CopyChoice]:
    """The loaded image config's env and labels, whole (the pane cuts long values). Free text, not a
    reference: nothing to refuse; the terminal gets it base64-encoded (OSC 52)."""
    if config is None:
        return []
    choices = []
    if config.env:
        variables = f"{len(config.env):,} variable{'' if len(config.env) == 1 else 's'}, one a line"
        choices.append(CopyChoice("e", "Env as a .env file", env_file_text(config), preview=variables))
    if config.labels:
        labels = f"{len(config.labels):,} label{'' if len(config.labels) == 1 else 's'}, one JSON object"
        choices.append(CopyChoice("l", "Labels as JSON", labels_json(config), preview=labels))
    return choices


SAME_DIGEST_LIMIT = 10


def _listed(names: list[str], limit: int = SAME_DIGEST_LIMIT) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" … {len(names) - limit:,} more" if len(names) > limit else "")


def digest_facts(tag: Tag, index: Optional[DigestIndex]) -> list[tuple[str, str]]:
    """'Same digest' (other loaded tags), 'Signs' (for a signature tag) and 'Signed by' rows.

    Only what is loaded is known here: a tag not yet fetched is absent (the palette's digest
    search pages through the whole repository). Values are raw tag names: the caller scrubs.
    """
    if index is None:
        return []
    rows: list[tuple[str, str]] = []
    others = [name for _, name in index.others(tag)]
    if others:
        rows.append(("Same digest", _listed(others)))
    signed = signature_kind(tag.name)
    if signed is not None:
        kind, target = signed
        targets = [name for _, name in index.tags_with(target)]
        signs = _listed(targets) if targets else f"{short_digest(target)}, not loaded"
        rows.append(("Signs", f"{signs} ({kind})"))
    signers = index.signers(tag.digest)
    if signers:
        rows.append(("Signed by", _listed([f"{name} ({kind})" for _, name, kind in signers])))
    return rows
