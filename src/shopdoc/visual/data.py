"""What the charts show, worked out from the Dataset (history days included) before anything is drawn.

This is the one place where the visual report computes: every chart reads a plain dataclass from
here, and the drawing code (`charts.py`) only places what it is given. The numbers come from the
exports and the history, never from a finding's wording; the only thing read from the findings is
which subjects the rules named (`named_subjects`), so the maps can highlight them.

Charts summarise: a big account's 100,000 keywords and 20,000 items become at most
`AD_POINTS` campaigns and `ITEM_POINTS` items (the biggest, plus every item a rule named).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from shopdoc.model import SEVERITY_RANK

if TYPE_CHECKING:
    from shopdoc.config import Config
    from shopdoc.dataset import Dataset
    from shopdoc.model import Report

TREND_DAYS = 30
TREND_METRICS = ("gmv", "visitors", "conversion_rate", "aov")
SOURCE_ROWS = 8  # sources shown in the source-change chart: the biggest movers
AD_POINTS = 40  # campaigns on the ad map, by spend
ITEM_POINTS = 200  # items on the item map, by visitors, plus every named item


@dataclass
class Trend:
    """One value per calendar day (None where the day has no shop data), oldest first."""

    days: list[str]
    values: dict[str, list[float | None]]  # TREND_METRICS -> per day
    targets: list[float | None]  # the day's GMV target, None when no monthly target is set
    promotions: dict[str, str] = field(default_factory=dict)  # day -> promotion name

    @property
    def has_data(self) -> bool:
        return any(value is not None for value in self.values["gmv"]) or \
            any(value is not None for value in self.values["visitors"])


@dataclass
class Bridge:
    """GMV of an earlier day, what visitors, conversion and AOV each added, and GMV of the report day."""

    compare: str  # "previous_day" | "same_weekday_last_week"
    compare_day: str
    day: str
    start: float
    end: float
    contributions: dict[str, float]  # visitors, conversion_rate, aov -> money; they add up to end - start


@dataclass
class SourceMove:
    name: str
    visitors: float
    compare_visitors: float
    conversion_rate: float | None  # on the report day

    @property
    def change(self) -> float:
        return self.visitors - self.compare_visitors


@dataclass
class SourceChange:
    day: str
    compare_day: str
    rows: list[SourceMove]  # the biggest movers, biggest change first


@dataclass
class AdPoint:
    campaign: str
    cost: float  # per day over the window
    roi: float
    verdict: str  # raise | lower | pause | creative | testing | earns | loses (the rules' word where they gave one)
    severity: str | None  # of the rule's to-do on this campaign, None when there is none


@dataclass
class AdMap:
    break_even: float | None
    days: int
    points: list[AdPoint]
    total: int  # campaigns in the window (points may be fewer)


@dataclass
class ItemPoint:
    item_id: str
    name: str
    visitors: float
    visitor_value: float
    named: bool  # a rule put this item on the to-do list
    severity: str | None = None  # of the most urgent to-do on it


@dataclass
class ItemMap:
    average: float  # all items' GMV per visitor
    points: list[ItemPoint]
    total: int


@dataclass
class Visuals:
    """Everything the charts need, for one report day."""

    day: str | None
    currency: str
    trend: Trend | None = None
    bridges: list[Bridge] = field(default_factory=list)
    sources: SourceChange | None = None
    ads: AdMap | None = None
    items: ItemMap | None = None


def collect(dataset: "Dataset", config: "Config", report: "Report") -> Visuals:
    """The charts' data for the report day. Each chart is left out (None, or empty) when its data is."""
    day = report.date
    visuals = Visuals(day=day, currency=report.currency)
    if day is None:
        return visuals
    named = named_subjects(report)
    visuals.trend = trend(dataset, config, day)
    visuals.bridges = bridges(dataset, day)
    visuals.sources = source_change(dataset, day)
    visuals.ads = ad_map(dataset, config, day, named)
    visuals.items = item_map(dataset, day, named)
    return visuals


# -- what the rules named ---------------------------------------------------------------------------
def named_subjects(report: "Report") -> dict[str, tuple[str, str | None]]:
    """subject -> (severity, verdict word) of the most urgent to-do on it.

    The one place that reads findings: when the finding model changes, only this adapter does.
    The verdict is the ad rules' `direction` (raise, lower, pause, creative) where they give one.
    """
    out: dict[str, tuple[str, str | None]] = {}
    for finding in report.findings:
        known = out.get(finding.subject)
        if known is None or SEVERITY_RANK[finding.severity] < SEVERITY_RANK[known[0]]:
            direction = finding.evidence.get("direction") if isinstance(finding.evidence, dict) else None
            out[finding.subject] = (finding.severity, direction if isinstance(direction, str) else None)
    return out


# -- promotion days -----------------------------------------------------------------------------------
def promotion_days(config: "Config", first: str, last: str) -> dict[str, str]:
    """Promotion days between `first` and `last` (day -> name), drawn on the trend charts.

    From the promotion calendar (`shopdoc.promotions`): the platform's big days and the shop's own.
    """
    from shopdoc.promotions import label, shop_promotions

    lang = config.lang if config.lang in ("zh", "en") else "en"
    return {day: label(event, phase, lang) for day, (event, phase) in shop_promotions(config)(first, last).items()}


# -- 30-day trend ---------------------------------------------------------------------------------------
def _calendar(last: str, days: int) -> list[str]:
    end = Date.fromisoformat(last)
    return [(end - timedelta(days=offset)).isoformat() for offset in range(days - 1, -1, -1)]


def trend(dataset: "Dataset", config: "Config", day: str) -> Trend | None:
    from shopdoc.rules._helpers import shop_on

    frame = dataset.frame("shop_daily")
    if frame is None:
        return None
    days = _calendar(day, TREND_DAYS)
    dated = set(frame["date"].dropna()) if "date" in frame.columns else set()
    values: dict[str, list[float | None]] = {name: [] for name in TREND_METRICS}
    for each in days:
        if each == day:
            from shopdoc.metrics import shop_day

            metrics = shop_day(dataset, day)  # the report day also counts undated rows
        else:
            metrics = shop_on(dataset, each) if each in dated else {}
        for name in TREND_METRICS:
            values[name].append(_number(metrics.get(name)))
    result = Trend(days=days, values=values, targets=_targets(config, days),
                   promotions=promotion_days(config, days[0], days[-1]))
    return result if result.has_data else None


def _targets(config: "Config", days: list[str]) -> list[float | None]:
    from shopdoc.rules.sales import day_target

    settings = config.rule_settings("sales.daily_target")
    monthly = settings.get("monthly_target")
    if not monthly or not settings.get("enabled", True):
        return [None] * len(days)
    return [day_target(each, monthly, settings.get("weights")) for each in days]


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


# -- GMV bridge ---------------------------------------------------------------------------------------
def bridges(dataset: "Dataset", day: str) -> list[Bridge]:
    """The report day's GMV against the day before and the same weekday last week, split into
    visitors × conversion × AOV contributions the way `sales.gmv_drivers` splits it (LMDI)."""
    from shopdoc.metrics import shop_day
    from shopdoc.rules._helpers import shift_day, shop_on
    from shopdoc.rules.sales import gmv_factors, split_gmv_change

    now = gmv_factors(shop_day(dataset, day))
    if now is None or min(now) <= 0:
        return []
    out = []
    for compare, days in (("previous_day", 1), ("same_weekday_last_week", 7)):
        compare_day = shift_day(day, -days)
        before = gmv_factors(shop_on(dataset, compare_day))
        if before is None or min(before) <= 0:
            continue
        out.append(Bridge(compare, compare_day, day, before[2], now[2], split_gmv_change(before, now)))
    return out


# -- traffic sources ----------------------------------------------------------------------------------
def source_change(dataset: "Dataset", day: str) -> SourceChange | None:
    """First-level sources of the report day against the day before, biggest movers first."""
    from shopdoc.rules._helpers import shift_day
    from shopdoc.rules.traffic import source_table

    compare_day = shift_day(day, -1)
    today = source_table(dataset, day)
    before = source_table(dataset, compare_day, report_day=False)
    if today is None or before is None:
        return None
    rows: dict[str, SourceMove] = {}
    for key, row in today.iterrows():
        rows[key] = SourceMove(row["name"], float(row["visitors"]), 0.0, _number(row["conversion_rate"]))
    for key, row in before.iterrows():
        move = rows.setdefault(key, SourceMove(row["name"], 0.0, 0.0, None))
        move.compare_visitors = float(row["visitors"])
    moved = sorted(rows.values(), key=lambda move: abs(move.change), reverse=True)[:SOURCE_ROWS]
    return SourceChange(day, compare_day, moved) if moved else None


# -- ads ------------------------------------------------------------------------------------------------
def ad_map(dataset: "Dataset", config: "Config", day: str, named: dict[str, tuple[str, str | None]]) -> AdMap | None:
    """Spend per day and ROI per campaign over the ad rules' window, with the break-even line.

    A campaign's own rows (campaign-level reports) are used when there are any, else its keyword
    rows are summed; campaigns without sales in the window have no ROI and are left off the map.
    """
    frame = dataset.frame("ad_report")
    if frame is None or "campaign" not in frame.columns or "cost" not in frame.columns or "gmv" not in frame.columns:
        return None
    window = int(config.rule_settings("ads.roi_breakeven").get("window_days") or 7)
    start = (Date.fromisoformat(day) - timedelta(days=window - 1)).isoformat()
    rows = frame
    if "date" in frame.columns:
        dates = frame["date"]
        rows = frame[dates.isna() | ((dates >= start) & (dates <= day))]
    rows = rows[rows["campaign"].notna()]
    if rows.empty:
        return None
    level = rows["level"] if "level" in rows.columns else None
    campaign_rows = rows[level == "campaign"] if level is not None else rows
    keyword_rows = rows[level != "campaign"] if level is not None else rows.iloc[0:0]
    own = campaign_rows.groupby("campaign", sort=False)[["cost", "gmv"]].sum(min_count=1)
    summed = keyword_rows[~keyword_rows["campaign"].isin(own.index)].groupby("campaign", sort=False)[["cost", "gmv"]].sum(min_count=1)
    totals = own if summed.empty else (summed if own.empty else _concat(own, summed))
    totals = totals[(totals["cost"] > 0) & totals["gmv"].notna()]
    days = max(int(rows["date"].nunique()), 1) if "date" in rows.columns else 1
    margin = config.get("shop", "gross_margin")
    break_even = 1 / margin if margin else None
    points = []
    for campaign, row in totals.sort_values("cost", ascending=False).head(AD_POINTS).iterrows():
        roi = float(row["gmv"]) / float(row["cost"])
        severity, verdict = named.get(f"campaign:{campaign}", (None, None))
        if verdict is None:
            verdict = "earns" if break_even is None or roi >= break_even else "loses"
        points.append(AdPoint(str(campaign), float(row["cost"]) / days, roi, verdict, severity))
    return AdMap(break_even, days, points, len(totals)) if points else None


def _concat(*frames):
    import pandas as pd

    return pd.concat(frames)


# -- items ------------------------------------------------------------------------------------------------
def item_map(dataset: "Dataset", day: str, named: dict[str, tuple[str, str | None]]) -> ItemMap | None:
    """Visitors against visitor value (GMV per visitor) of the report day's items."""
    from shopdoc.rules._helpers import column, items_on
    from shopdoc.rules.items import visitor_value

    items = items_on(dataset, day)
    if items is None or "visitors" not in items.columns:
        return None
    visitors = column(items, "visitors")
    value = visitor_value(items, visitors != visitors)  # no item treated as presale: paid GMV per visitor
    valued = (visitors > 0) & value.notna()
    if not valued.any():
        return None
    table = items.assign(_visitors=visitors, _value=value)[valued]
    average = float((table["_value"] * table["_visitors"]).sum() / table["_visitors"].sum())
    ids = table["item_id"].astype(str)
    is_named = ids.map(lambda item: f"item:{item}" in named)
    top = table.sort_values("_visitors", ascending=False).head(ITEM_POINTS)
    chosen = _concat(top, table[is_named & ~table.index.isin(top.index)])
    names = chosen["item_name"] if "item_name" in chosen.columns else chosen["item_id"]
    points = [
        ItemPoint(str(item_id), str(name) if isinstance(name, str) and name else str(item_id),
                  float(visits), float(worth), f"item:{item_id}" in named, named.get(f"item:{item_id}", (None,))[0])
        for item_id, name, visits, worth in zip(chosen["item_id"], names, chosen["_visitors"], chosen["_value"])
    ]
    return ItemMap(average, points, int(valued.sum()))
