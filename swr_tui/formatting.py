"""Formatting shared by the headless output and the TUI: sizes, digests, API times, ages."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

from .safe_text import scrub

_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")


def human_size(size: int) -> str:
    """1536 -> '1.5 KiB'; binary units, so the figure never disagrees with ``du`` on the layer."""
    value = float(max(size, 0))
    for unit in _UNITS:
        if value < 1024 or unit == _UNITS[-1]:
            if unit == "B":
                return f"{int(value)} B"
            return f"{value:.1f} {unit}" if value < 100 else f"{value:.0f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def short_digest(digest: str, length: int = 12) -> str:
    """'sha256:0123456789abcdef…' -> '0123456789ab'."""
    _, sep, hexpart = digest.partition(":")
    return (hexpart if sep else digest)[:length]


def parse_api_time(value: str) -> Optional[datetime]:
    """SWR's UTC strings ('2018-07-06T06:18:55Z', with or without fraction or offset) as aware datetimes."""
    text = value.strip()
    if not text:
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    if " " in text and "T" not in text:
        text = text.replace(" ", "T", 1)
    if "." in text:
        head, _, tail = text.partition(".")
        digits = "".join(ch for ch in tail if ch.isdigit())
        text = f"{head}.{digits[:6].ljust(6, '0')}{tail[len(digits) :]}"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# Registry times outside these years are placeholders or junk ("0001-01-01T00:00:00+14:00"): shown
# as sent, never as "2027y ago". Registries postdate 1970; 2200 leaves room for any clock error.
PLAUSIBLE_YEARS = (1970, 2200)


def plausible_time(value: str) -> Optional[datetime]:
    """``parse_api_time``, but None for a time UTC cannot hold or outside ``PLAUSIBLE_YEARS``."""
    moment = parse_api_time(value)
    if moment is None:
        return None
    try:
        year = moment.astimezone(timezone.utc).year
    except (OverflowError, ValueError):  # year 1 at +14:00 is before datetime.min in UTC
        return None
    return moment if PLAUSIBLE_YEARS[0] <= year <= PLAUSIBLE_YEARS[1] else None


def age_text(value: str, now: Optional[datetime] = None) -> str:
    """How long ago an API time was; the value as sent (escaped) when it is no plausible time."""
    moment = plausible_time(value)
    if moment is None:
        return scrub(value.strip()) or "-"
    return relative_age(moment, now)


def relative_age(moment: Optional[datetime], now: Optional[datetime] = None) -> str:
    """'just now', '5m ago', '3h ago', '12d ago', '4mo ago', '2y ago'; 'in 5m' for future times."""
    if moment is None:
        return "-"
    now = now or datetime.now(timezone.utc)
    seconds = (now - moment).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 45:
        return "just now"
    amount, unit = _largest_unit(seconds)
    return f"in {amount}{unit}" if future else f"{amount}{unit} ago"


_AGE_UNITS = ((3600, 60, "m"), (86400, 3600, "h"), (86400 * 45, 86400, "d"), (86400 * 365, 86400 * 30, "mo"))


def _largest_unit(seconds: float) -> tuple[int, str]:
    for limit, size, unit in _AGE_UNITS:
        if seconds < limit:
            return max(1, round(seconds / size)), unit
    return max(1, int(seconds // (86400 * 365))), "y"


def counted(count: int, noun: str) -> str:
    """'1 tag', '2 tags', '1,204 tags': a count with its noun, singular for one."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
