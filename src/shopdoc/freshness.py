"""Is the data fresh? Under cron a failed download must not read as a quiet shop.

- A report day that no export has a row for is not a report at all (`diagnose` exits 2).
- Data whose latest day is more than `inputs.max_age_days` (default 2) before today is stale: an
  alert at the head of every format, and exit 3 under `--strict`.

Alerts are data — a reason code and its parameters — worded at render time from `shopdoc.messages`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any

from shopdoc.messages import say

MAX_AGE_DAYS = 2


def today() -> Date:
    """The calendar day of the run; `SHOPDOC_TODAY=YYYY-MM-DD` pretends another (tests, replaying
    an old morning)."""
    import os

    pretend = os.environ.get("SHOPDOC_TODAY")
    if pretend:
        try:
            return Date.fromisoformat(pretend)
        except ValueError:
            pass
    return Date.today()


@dataclass(frozen=True)
class Alert:
    """Something about the whole run the reader must see before the list (stale data...)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return say(self.code, lang, **self.params)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, **self.params}
        if lang:
            out["message"] = self.text(lang)
        return out


def span(dates: list[str]) -> str:
    if not dates:
        return "-"
    return dates[0] if len(dates) == 1 else f"{dates[0]}..{dates[-1]}"


def all_dates(dataset) -> list[str]:
    return dataset.dates(tuple(dataset.frames))


def day_has_data(dataset, day: str) -> bool:
    """True when some export has a row for `day` (an undated single-day file counts: it is read as
    the report day's)."""
    if day in all_dates(dataset):
        return True
    for kind in dataset.frames:
        frame = dataset.frame(kind)
        if frame is not None and ("date" not in frame.columns or frame["date"].isna().any()):
            return True
    return False


def data_age(last_day: str | None, now: Date | None = None) -> int | None:
    """Whole days between the latest day in the data and today (0: today's data)."""
    if not last_day:
        return None
    return ((now or today()) - Date.fromisoformat(last_day)).days


def stale_alert(last_day: str | None, max_age: int, now: Date | None = None) -> Alert | None:
    age = data_age(last_day, now)
    if age is None or age <= max_age:
        return None
    return Alert("data.stale", {"day": last_day, "age": age, "max_age": max_age})


def mark_other_days(report) -> None:
    """A to-do whose data is not from the report day says the day it is from (a DSR export that
    stops on the 22nd, read for the 25th): `evidence["date"]` is the day its numbers are from."""
    for finding in report.findings:
        day = finding.evidence.get("date") if isinstance(finding.evidence, dict) else None
        if isinstance(day, str) and report.date and day != report.date:
            suffix = say("data.from_day", report.lang, day=day)
            if not finding.title.endswith(suffix):
                finding.title += suffix


__all__ = ["mark_other_days", "Alert", "MAX_AGE_DAYS", "today", "span", "day_has_data", "data_age", "stale_alert", "all_dates"]
