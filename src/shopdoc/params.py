"""Typed, validated settings: rule thresholds and global config values.

Each parameter knows its default, how to check a user's value, and how to describe itself in both
languages, so the config validator, `shopdoc rules`, `shopdoc explain` and `shopdoc init` all read
from the same declaration.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable

Check = Callable[[Any], str | None]  # returns an error reason, or None when the value is fine

LARGEST = 10**12  # no amount, count or ratio in a shop's config comes near this
MAX_DAYS = 3660  # a window of days: ten years at most (date arithmetic past that overflows)


def looks_secret(value: str) -> bool:
    """A URL, or a token or secret pasted where a plain value belongs: never echoed in an error.
    Names are words; tokens are long runs of hex or of mixed-case letters and digits."""
    if "://" in value or re.search(r"[0-9a-fA-F]{16,}", value) or re.search(r"(?i)(token|secret|sign|key)=", value):
        return True
    return (len(value) >= 16 and "_" not in value and " " not in value and any(c.isdigit() for c in value)
            and any(c.islower() for c in value) and any(c.isupper() for c in value))


def shown(value: Any) -> str:
    """A config value as an error message may quote it: never a URL or a secret, never a whole
    list or mapping, never a page of text."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple, set)):
        return "a list"
    if isinstance(value, str) and looks_secret(value):
        return "a value that looks like a URL or a secret (not shown)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _is_number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and abs(value) <= LARGEST)


def _fraction(value: Any) -> str | None:
    if not _is_number(value) or not 0 <= value <= 1:
        return f"must be a fraction between 0 and 1, got {shown(value)}"
    return None


def _positive(value: Any) -> str | None:
    if not _is_number(value) or value <= 0:
        return f"must be a number above 0 (and below {LARGEST:,}), got {shown(value)}"
    return None


def _non_negative(value: Any) -> str | None:
    if not _is_number(value) or value < 0:
        return f"must be a number of 0 or more (and below {LARGEST:,}), got {shown(value)}"
    return None


def _count(value: Any) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= LARGEST:
        return f"must be a whole number of 0 or more (and below {LARGEST:,}), got {shown(value)}"
    return None


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false, got {shown(value)}"


def _text(value: Any) -> str | None:
    return None if value is None or isinstance(value, str) else f"must be text, got {shown(value)}"


def _text_list(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return f"must be a list of texts, got {shown(value)}"
    return None


def _weekday_weights(value: Any) -> str | None:
    if (
        not isinstance(value, list)
        or len(value) != 7
        or not all(_is_number(item) and item >= 0 for item in value)
        or not any(value)
    ):
        return f"must be a list of 7 numbers of 0 or more (Monday to Sunday), not all 0, got {shown(value)}"
    return None


_DAYS_ENTRY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?\s+(\S.*)$")


def parse_days_entry(entry: str) -> tuple[str, str, str] | None:
    """`2026-11-18..2026-11-20 店庆` → (start, end, name); None when it is not that shape or not a date."""
    from datetime import date

    match = _DAYS_ENTRY.match(entry.strip())
    if not match:
        return None
    start, end, name = match.group(1), match.group(2) or match.group(1), match.group(3).strip()
    try:
        if date.fromisoformat(end) < date.fromisoformat(start):
            return None
    except ValueError:
        return None
    return start, end, name


def _days_list(value: Any) -> str | None:
    reason = _text_list(value)
    if reason:
        return reason
    for item in value:
        if parse_days_entry(item) is None:
            return f"each entry is `YYYY-MM-DD..YYYY-MM-DD name` (or one day and a name), got {shown(item)}"
    return None


CHECKS: dict[str, Check] = {
    "days_list": _days_list,
    "fraction": _fraction,
    "positive": _positive,
    "non_negative": _non_negative,
    "count": _count,
    "boolean": _boolean,
    "text": _text,
    "text_list": _text_list,
    "weekday_weights": _weekday_weights,
}


@dataclass(frozen=True)
class Param:
    name: str
    default: Any
    check: str
    zh: str
    en: str
    optional: bool = False  # None is allowed (feature off until configured)

    def validate(self, value: Any) -> str | None:
        if value is None and self.optional:
            return None
        reason = CHECKS[self.check](value)
        if reason is None and self.name.endswith("_days") and _is_number(value) and value > MAX_DAYS:
            return f"must be at most {MAX_DAYS:,} days, got {shown(value)}"
        return reason

    def describe(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def format(self, value: Any) -> str:
        """A value as an operator reads it: fractions as percentages."""
        if value is None:
            return "-"
        if self.check == "fraction":
            return f"{value:.0%}" if round(value * 100, 6) == int(value * 100) else f"{value:.1%}"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)


def fraction(name: str, default: float | None, zh: str, en: str, **kw: Any) -> Param:
    return Param(name, default, "fraction", zh, en, **kw)


def positive(name: str, default: float | None, zh: str, en: str, **kw: Any) -> Param:
    return Param(name, default, "positive", zh, en, **kw)


def non_negative(name: str, default: float | None, zh: str, en: str, **kw: Any) -> Param:
    return Param(name, default, "non_negative", zh, en, **kw)


def count(name: str, default: int | None, zh: str, en: str, **kw: Any) -> Param:
    return Param(name, default, "count", zh, en, **kw)


def boolean(name: str, default: bool, zh: str, en: str, **kw: Any) -> Param:
    return Param(name, default, "boolean", zh, en, **kw)


def text(name: str, default: str | None, zh: str, en: str, **kw: Any) -> Param:
    return Param(name, default, "text", zh, en, **kw)


def text_list(name: str, default: list[str], zh: str, en: str, **kw: Any) -> Param:
    return Param(name, default, "text_list", zh, en, **kw)


def days_list(name: str, default: list[str], zh: str, en: str, **kw: Any) -> Param:
    return Param(name, default, "days_list", zh, en, **kw)


def weekday_weights(name: str, default: list[float] | None, zh: str, en: str, **kw: Any) -> Param:
    return Param(name, default, "weekday_weights", zh, en, **kw)


@dataclass
class ParamGroup:
    """A named block of parameters in the config (`shop`, `ads`, ...)."""

    name: str
    params: list[Param] = field(default_factory=list)
    zh: str = ""
    en: str = ""
