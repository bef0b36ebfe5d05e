"""``swr-tui inspect``'s output: the JSON object issue 11 specifies, and a table a person reads top
to bottom (what it runs, how it was built, its platforms, who signed it). Table text is scrubbed;
JSON keeps every string as data (escaped by the encoder, never interpreted)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Optional

from ..formatting import human_size, short_digest
from ..safe_text import scrub
from ..swr.image_config import command_line
from .model import ImageView, Platform, Signature

LABEL_WIDTH = 12
# A history instruction longer than this is cut in the table (``…``); JSON keeps it whole.
MAX_INSTRUCTION_CHARS = 100


def inspect_record(
    view: ImageView,
    digest: str,
    media_type: str,
    platforms: Sequence[Platform],
    signatures: Sequence[Signature],
) -> dict[str, Any]:
    """``inspect --output json``: keys reference, digest, media_type, platforms, config, history,
    signatures. ``digest`` and ``media_type`` are the tag's (the list's, for a multi-arch tag)."""
    return {
        "reference": view.reference,
        "digest": digest,
        "media_type": media_type,
        "platforms": [
            {
                "os": platform.os,
                "architecture": platform.architecture,
                "variant": platform.variant,
                "digest": platform.digest,
                "size": platform.size,
                "attestation": platform.attestation,
                "shown": platform == view.platform,
            }
            for platform in platforms
        ],
        "config": view.config.to_output(),
        "history": [
            {
                "created": step.entry.created,
                "created_by": step.entry.created_by,
                "empty_layer": step.entry.empty_layer,
                "layer_digest": step.layer.digest if step.layer is not None else None,
                "layer_size": step.layer.size if step.layer is not None else None,
            }
            for step in view.history.steps
        ],
        "signatures": [
            {"tag": item.tag, "digest": item.digest, "kind": item.kind, "source": item.source}
            for item in signatures
        ],
    }


def inspect_json(record: dict[str, Any]) -> str:
    # ensure_ascii: every control, bidi or invisible character is a \\u escape, never raw.
    return json.dumps(record, indent=2, ensure_ascii=True) + "\n"


def inspect_table(
    view: ImageView,
    digest: str,
    media_type: str,
    platforms: Sequence[Platform],
    signatures: Sequence[Signature],
) -> str:
    lines: list[str] = []
    _fields(
        lines,
        "",
        [
            ("Reference", view.reference),
            ("Digest", digest),
            ("Media type", media_type),
            ("Read from", view.source),
        ],
    )
    if platforms:
        _platforms(lines, view.platform, platforms)
    config = view.config
    lines.append("")
    lines.append("Config")
    _fields(
        lines,
        "  ",
        [
            ("Platform", config.platform or "-"),
            ("Command", command_line(config) or "-"),
            ("User", config.user or "-"),
            ("Working dir", config.working_dir or "-"),
            ("Ports", ", ".join(config.exposed_ports) or "-"),
            ("Volumes", ", ".join(config.volumes) or "-"),
        ],
    )
    _listed(lines, "Env", config.env)
    _listed(lines, "Labels", [f"{key}={value}" for key, value in config.labels])
    if config.labels_dropped:
        lines.append(f"  {'':<{LABEL_WIDTH}} ({config.labels_dropped:,} more labels left out)")
    if config.error:
        lines.append(f"  Note: {scrub(config.error)}")
    _history(lines, view)
    _signatures(lines, signatures)
    return "\n".join(lines) + "\n"


def _fields(lines: list[str], indent: str, pairs: Sequence[tuple[str, str]]) -> None:
    for label, value in pairs:
        lines.append(f"{indent}{label:<{LABEL_WIDTH}} {scrub(value)}".rstrip())


def _listed(lines: list[str], label: str, values: Sequence[str]) -> None:
    if not values:
        lines.append(f"  {label:<{LABEL_WIDTH}} -")
    for index, value in enumerate(values):
        lines.append(f"  {label if index == 0 else '':<{LABEL_WIDTH}} {scrub(value)}")


def _platforms(lines: list[str], shown: Optional[Platform], platforms: Sequence[Platform]) -> None:
    images = sum(1 for platform in platforms if not platform.attestation)
    lines.append("")
    lines.append(f"Platforms ({images} images, {len(platforms) - images} attestations; * shown below)")
    width = max(len(scrub(platform.label)) for platform in platforms)
    for platform in platforms:
        mark = "*" if platform == shown else " "
        lines.append(
            f"  {mark} {scrub(platform.label):<{width}}  {scrub(short_digest(platform.digest))}"
            f"  {human_size(platform.size)}"
        )


def _history(lines: list[str], view: ImageView) -> None:
    steps = view.history.steps
    lines.append("")
    lines.append(f"History ({len(steps):,} steps, {len(view.layers):,} layers)")
    if view.history.mismatch:
        lines.append(f"  Note: {scrub(view.history.mismatch)}")
    instructions = [_cut(scrub(step.instruction) or "-") for step in steps]
    width = min(max((len(text) for text in instructions), default=0), MAX_INSTRUCTION_CHARS)
    for step, instruction in zip(steps, instructions):
        if step.layer is not None:
            layer = f"{short_digest(step.layer.digest)}  {human_size(step.layer.size):>9}"
        else:
            layer = "(no layer)" if step.entry.empty_layer else "-"
        lines.append(f"  {instruction:<{width}}  {scrub(layer)}")
    if view.config.history_dropped:
        lines.append(f"  ({view.config.history_dropped:,} more steps left out)")
    lines.append(f"  {'Total':<{width}}  {'':12}  {human_size(view.total_layer_size):>9}")


def _cut(text: str) -> str:
    return text if len(text) <= MAX_INSTRUCTION_CHARS else text[: MAX_INSTRUCTION_CHARS - 1] + "…"


def _signatures(lines: list[str], signatures: Sequence[Signature]) -> None:
    lines.append("")
    if not signatures:
        lines.append("Signatures   none found")
        return
    lines.append("Signatures")
    for item in signatures:
        name = item.tag or short_digest(item.digest)
        digest = f"  {short_digest(item.digest)}" if item.digest and item.tag else ""
        lines.append(f"  {item.kind:<11} {scrub(name)}{scrub(digest)}  (from {item.source})")
