"""The day a file without a date column stands for: from its description rows, else its name.

Sycm writes `统计日期：2026-11-16~2026-11-22` above the header, Google Ads `Oct 3, 2026 - Oct 16, 2026`;
file names carry `_2026-11-22_2026-11-22`, `20261122`, or (Amazon) `BusinessReport-8-04-26.csv`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_TEXT_DATE_RE = re.compile(
    r"(?P<ymd>(?<!\d)(?P<y>20\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})日?(?!\d))"
    r"|(?P<mdy>\b(?P<mon>" + _MONTHS + r")[a-z]*\.?\s+(?P<md>\d{1,2}),?\s+(?P<my>20\d{2})\b)"
    r"|(?P<compact>(?<!\d)(?P<cy>20\d{2})(?P<cm>[01]\d)(?P<cd>[0-3]\d)(?!\d))",
    re.IGNORECASE,
)
_AMAZON_RE = re.compile(r"(?<!\d)(\d{1,2})-(\d{1,2})-(\d{2})(?!\d)")


@dataclass
class DateRange:
    first: str
    last: str
    where: str  # "description" | "file name"

    @property
    def single(self) -> bool:
        return self.first == self.last


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
        else:
            iso = _iso(int(match.group("cy")), int(match.group("cm")), int(match.group("cd")))
        if iso:
            found.append(iso)
    return found


def from_description(rows: list[list[Any]]) -> DateRange | None:
    """The date range named in the rows above the header."""
    for row in rows:
        for cell in row:
            if isinstance(cell, datetime):
                day = cell.date().isoformat()
                return DateRange(day, day, "description")
            if isinstance(cell, date):
                return DateRange(cell.isoformat(), cell.isoformat(), "description")
            if isinstance(cell, str) and cell.strip():
                found = find_dates(cell)
                if found:
                    return DateRange(min(found), max(found), "description")
    return None


def from_file_name(name: str) -> DateRange | None:
    """The date range in a file name (`_2026-11-09_2026-11-22`, `20261122`, Amazon's `8-04-26`)."""
    stem = re.sub(r"\.[A-Za-z0-9]{2,4}$", "", name)
    found = find_dates(stem)
    if found:
        return DateRange(min(found), max(found), "file name")
    if re.match(r"(?i)businessreport", stem):
        match = _AMAZON_RE.search(stem)
        if match:
            iso = _iso(2000 + int(match.group(3)), int(match.group(1)), int(match.group(2)))
            if iso:
                return DateRange(iso, iso, "file name")
    return None
