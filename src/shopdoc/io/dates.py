"""The day a file without a date column stands for: from its description rows, else its name.

Sycm writes `统计日期：2026-11-16~2026-11-22` above the header, Google Ads `Oct 3, 2026 - Oct 16, 2026`;
file names carry `_2026-11-22_2026-11-22`, `20261122`, or (Amazon) `BusinessReport-8-04-26.csv`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_TEXT_DATE_RE = re.compile(
    r"(?P<ymd>(?<!\d)(?P<y>20\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})日?(?!\d))"
    r"|(?P<mdy>\b(?P<mon>" + _MONTHS + r")[a-z]*\.?\s+(?P<md>\d{1,2}),?\s+(?P<my>20\d{2})\b)"
    r"|(?P<dmy>(?<!\d)(?P<dd>\d{1,2})[\s-]+(?P<dmon>" + _MONTHS + r")[a-z]*\.?,?[\s-]+(?P<dy>20\d{2})\b)"
    r"|(?P<compact>(?<!\d)(?P<cy>20\d{2})(?P<cm>[01]\d)(?P<cd>[0-3]\d)(?!\d))",
    re.IGNORECASE,
)
# Ranges named by their length, read against the day the file was downloaded: Google Ads writes
# `Last 7 days`, Sycm `最近7天`. `Yesterday` / `昨日` is one day.
_LAST_DAYS_RE = re.compile(r"\b(?:last|past)\s+(\d{1,3})\s+days\b|(?:最近|近)\s*(\d{1,3})\s*[天日]", re.IGNORECASE)
_YESTERDAY_RE = re.compile(r"\byesterday\b|昨日|昨天", re.IGNORECASE)
_ALL_TIME_RE = re.compile(r"^\s*(all time|全部时间|所有时间)\s*$", re.IGNORECASE)
_AMAZON_RE = re.compile(r"(?<!\d)(\d{1,2})-(\d{1,2})-(\d{2})(?!\d)")


@dataclass
class DateRange:
    first: str
    last: str
    where: str  # "description" | "file name" | "download date"
    text: str = ""  # what it was read from: the description line, the file name
    unbounded: bool = False  # `All time`: no first day

    @property
    def single(self) -> bool:
        return self.first == self.last

    @property
    def days(self) -> int:
        return (date.fromisoformat(self.last) - date.fromisoformat(self.first)).days + 1


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[str]:
    """Every date written in a piece of text, in order."""
    text = unicodedata.normalize("NFKC", text)
    found: list[str] = []
    for match in _TEXT_DATE_RE.finditer(text):
        if match.group("ymd"):
            iso = _iso(int(match.group("y")), int(match.group("m")), int(match.group("d")))
        elif match.group("mdy"):
            month = _MONTHS.split("|").index(match.group("mon")[:3].lower()) + 1
            iso = _iso(int(match.group("my")), month, int(match.group("md")))
        elif match.group("dmy"):
            month = _MONTHS.split("|").index(match.group("dmon")[:3].lower()) + 1
            iso = _iso(int(match.group("dy")), month, int(match.group("dd")))
        else:
            iso = _iso(int(match.group("cy")), int(match.group("cm")), int(match.group("cd")))
        if iso:
            found.append(iso)
    return found


def from_description(rows: list[list[Any]], downloaded: str | None = None) -> DateRange | None:
    """The date range named in the rows above the header: dates (`统计日期：2026-11-16~2026-11-22`,
    `1 May 2026 - 8 May 2026`), or a length (`Last 7 days`, `最近7天`, `Yesterday`) counted back from
    the day before `downloaded` (the file's date), or `All time` (unbounded)."""
    for row in rows:
        for cell in row:
            if isinstance(cell, datetime):
                day = cell.date().isoformat()
                return DateRange(day, day, "description", day)
            if isinstance(cell, date):
                return DateRange(cell.isoformat(), cell.isoformat(), "description", cell.isoformat())
            if not isinstance(cell, str) or not cell.strip():
                continue
            text = " ".join(cell.split())
            found = find_dates(text)
            if found:
                return DateRange(min(found), max(found), "description", text)
            if _ALL_TIME_RE.match(text):
                return DateRange("", "", "description", text, unbounded=True)
            length = _LAST_DAYS_RE.search(text)
            days = int(length.group(1) or length.group(2)) if length else (1 if _YESTERDAY_RE.search(text) else 0)
            if days and downloaded:
                last = date.fromisoformat(downloaded) - timedelta(days=1)
                first = last - timedelta(days=days - 1)
                return DateRange(first.isoformat(), last.isoformat(), "download date", text)
    return None


def from_file_name(name: str) -> DateRange | None:
    """The date range in a file name (`_2026-11-09_2026-11-22`, `20261122`, Amazon's `8-04-26`)."""
    stem = re.sub(r"\.[A-Za-z0-9]{2,4}$", "", name)
    found = find_dates(stem)
    if found:
        return DateRange(min(found), max(found), "file name", name)
    if re.match(r"(?i)businessreport", stem):
        match = _AMAZON_RE.search(stem)
        if match:
            iso = _iso(2000 + int(match.group(3)), int(match.group(1)), int(match.group(2)))
            if iso:
                return DateRange(iso, iso, "file name", name)
    return None
