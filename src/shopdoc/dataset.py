"""The Dataset: every export read, normalised onto canonical fields, one frame per kind.

Contract between the importers (`shopdoc.io`) and the rules:
- `frames[kind]` is a pandas DataFrame whose columns are canonical field names (see
  `data/fields.yaml`), plus `_file` (source path) and `_row` (1-based row in the source file, as a
  user sees it in Excel) so a rule can point at the evidence;
- `date` is an ISO string `YYYY-MM-DD` (or missing when nothing gave one);
- rates are fractions (0.7748), money and counts are floats, ids are text (`"5531"`);
- a value that cannot be right has already been blanked (NaN) by the importer, with a data warning
  on its input, so the rule that would be misled never sees it;
- every row of the day kinds (`DAY_KINDS`) carries its period: `date` is its last day,
  `start_date` its first, and `window_days` how many days its numbers cover (1 for a row per day;
  7 for a weekly row, an Amazon Start Date..End Date row or a file whose description says
  `1 May 2026 - 7 May 2026`; missing when nothing dated the file). Money per day of a subject is
  its window total divided by the days its rows cover — never by the number of distinct dates;
- `ad_report` rows carry `level` ("campaign" or "keyword");
- every row of a kind that holds money (`shop_daily`, `item_daily`, `traffic_source`, `ad_report`:
  the kinds with a `money` field in `data/fields.yaml`) carries `currency`, the ISO code of its
  amounts (`CNY`, `USD`, `INR` ...), or missing when neither the file nor `shop.currency` says it.
  Usually one per file; a file with a currency column, or with `$` on some rows and `€` on others,
  has one per row. Amounts in different currencies must never be added or compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from shopdoc.kinds import KINDS
from shopdoc.model import InputFile

if TYPE_CHECKING:
    import pandas as pd

# Kinds that describe the shop's day; their dates decide the default report day. Reviews and DSR
# keep arriving after midnight, so they only decide it when nothing else has a date.
DAY_KINDS = tuple(name for name, kind in KINDS.items() if kind.period == "days")
# The kinds whose money is the shop's own: the report's currency when `shop.currency` is not set.
SHOP_MONEY = tuple(name for name, kind in KINDS.items() if kind.shop_money)


@dataclass
class Dataset:
    frames: dict[str, "pd.DataFrame"] = field(default_factory=dict)
    inputs: list[InputFile] = field(default_factory=list)
    # What the history hands the follow-up rule: earlier advice to check against today's exports
    # (`shopdoc.history.loop.Due`); None without history.
    followup: Any = None

    def remembered(self, name: str, key: Any, kinds: tuple[str, ...], make: "Callable[[], Any]") -> Any:
        """`make()`, made once per `name`, `key` and the frames of `kinds` it reads: what several rules
        ask of the same day (a day's items or shop numbers, refund rates) is worked out once a run, and
        again only when one of those frames is replaced. The caller copies what it hands out."""
        memo = self.__dict__.setdefault("_remembered", {})
        sources = tuple(self.frames.get(kind) for kind in kinds)
        found = memo.get((name, key))
        if found is None or any(was is not now for was, now in zip(found[0], sources)):
            found = memo[(name, key)] = (sources, make())
        return found[1]

    def frame(self, kind: str) -> "pd.DataFrame | None":
        frame = self.frames.get(kind)
        return None if frame is None or frame.empty else frame

    def has(self, kind: str, *fields: str) -> bool:
        """True when the kind was read and every field has at least one value."""
        frame = self.frame(kind)
        if frame is None:
            return False
        return all(name in frame.columns and frame[name].notna().any() for name in fields)

    def missing(self, kind: str, fields: list[str]) -> list[str]:
        frame = self.frame(kind)
        if frame is None:
            return list(fields)
        return [name for name in fields if name not in frame.columns or not frame[name].notna().any()]

    def dates(self, kinds: tuple[str, ...] = DAY_KINDS) -> list[str]:
        found: set[str] = set()
        for kind in kinds:
            frame = self.frame(kind)
            if frame is not None and "date" in frame.columns:
                found.update(d for d in frame["date"].dropna().unique() if d)
        return sorted(found)

    def currencies(self, kinds: tuple[str, ...] = SHOP_MONEY) -> set[str]:
        """The currencies (ISO codes) the money of `kinds` is in: by default the shop's own exports
        (ad reports may hold several accounts in several currencies)."""
        codes: set[str] = set()
        for kind in kinds:
            frame = self.frame(kind)
            if frame is not None and "currency" in frame.columns:
                codes.update(str(code) for code in frame["currency"].dropna().unique())
        return codes

    def currency(self, kinds: tuple[str, ...] = SHOP_MONEY) -> str | None:
        """The one currency of `kinds`; None when they mix currencies or none is known."""
        codes = self.currencies(kinds)
        return codes.pop() if len(codes) == 1 else None

    def latest_date(self) -> str | None:
        """The report day: the day the most kinds of export have rows for, the latest of those.

        A morning's downloads end on yesterday; one export holding a few rows of today (or a stray
        later day) has less evidence than the shop, item, source and ad exports that all end on
        yesterday, so it does not move the day. Reviews decide only when nothing else has a date.
        """
        kinds = DAY_KINDS if self.dates() else ("review", "dsr")
        count: dict[str, int] = {}
        for kind in kinds:
            frame = self.frame(kind)
            if frame is not None and "date" in frame.columns:
                for day in frame["date"].dropna().unique():
                    if day:
                        count[day] = count.get(day, 0) + 1
        if not count:
            return None
        most = max(count.values())
        return max(day for day, n in count.items() if n == most)

    def on(self, kind: str, date: str | None) -> "pd.DataFrame | None":
        """Rows of a kind on one day. Rows without a date count as the report day (single-day files)."""
        frame = self.frame(kind)
        if frame is None:
            return None
        if date is None or "date" not in frame.columns:
            return frame
        rows = frame[(frame["date"] == date) | frame["date"].isna()]
        return None if rows.empty else rows
