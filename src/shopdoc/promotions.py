"""The promotion calendar: the platforms' big days with their phases.

A morning after 双11 always reads as a collapse against the day before, and a month's target split
evenly over its days asks as much of a quiet Tuesday as of the 11th. The calendar says which days
are promotion days, and which phase: `warmup` (预热/蓄水: people add to cart and wait), `presale`
(预售: deposits, payments deferred), `sale` (正式开卖), `balance` (付尾款: presale orders are paid).

The dates are the usual windows of each event, ours: the platforms move them a few days every year
(双11 presale has opened between 10-14 and 10-24 since 2020). A shop whose calendar differs sets its
own days in the config (`shop.promotions`), which win over the built-in ones.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

# Chinese platforms (淘宝/天猫, 京东, 抖店): name, and per phase the (month, day) windows.
CN_EVENTS: dict[str, dict[str, tuple[tuple[int, int], tuple[int, int]]]] = {
    "年货节": {"sale": ((1, 10), (1, 20))},
    "38节": {"warmup": ((3, 1), (3, 3)), "sale": ((3, 4), (3, 8))},
    "618": {"warmup": ((5, 13), (5, 19)), "presale": ((5, 20), (5, 30)), "balance": ((5, 31), (6, 2)),
            "sale": ((6, 3), (6, 18))},
    "99划算节": {"sale": ((9, 5), (9, 9))},
    "双11": {"warmup": ((10, 14), (10, 20)), "presale": ((10, 21), (10, 30)), "balance": ((10, 31), (11, 3)),
             "sale": ((11, 4), (11, 11))},
    "双12": {"sale": ((12, 10), (12, 12))},
}
PHASE_NAMES = {
    "zh": {"warmup": "预热", "presale": "预售", "balance": "付尾款", "sale": "正式开卖"},
    "en": {"warmup": "warm-up", "presale": "presale", "balance": "balance payment", "sale": "sale"},
}
# Platforms read as Western (Amazon, Shopify, Google Ads accounts): their big days instead.
WESTERN = ("amazon", "shopify", "google_ads")


def _western(year: int) -> dict[str, tuple[str, str]]:
    """Black Friday to Cyber Monday, and Prime Day (two days, in mid-July: the second Tuesday)."""
    november = date(year, 11, 1)
    thanksgiving = november + timedelta(days=(3 - november.weekday()) % 7 + 21)  # 4th Thursday
    out = {}
    for offset in range(1, 5):  # Friday to Monday
        out[(thanksgiving + timedelta(days=offset)).isoformat()] = ("Black Friday / Cyber Monday", "sale")
    july = date(year, 7, 1)
    tuesday = july + timedelta(days=(1 - july.weekday()) % 7 + 7)
    for offset in range(2):
        out[(tuesday + timedelta(days=offset)).isoformat()] = ("Prime Day", "sale")
    return out


def _cn(year: int) -> dict[str, tuple[str, str]]:
    out = {}
    for name, phases in CN_EVENTS.items():
        for phase, (start, end) in phases.items():
            day = date(year, *start)
            while day <= date(year, *end):
                out[day.isoformat()] = (name, phase)
                day += timedelta(days=1)
    return out


def promotion_days(first: str, last: str, *, western: bool = False,
                   own: Iterable[dict] | None = None) -> dict[str, tuple[str, str]]:
    """Day → (event, phase) for every promotion day from `first` to `last` (ISO dates, inclusive).

    `own`: the shop's own days, `{"name", "start", "end", "phase"}` (phase defaults to `sale`); they
    win over the platform's.
    """
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    out: dict[str, tuple[str, str]] = {}
    for year in range(start.year, end.year + 1):
        out.update(_western(year) if western else _cn(year))
    for entry in own or ():
        day, stop = date.fromisoformat(str(entry["start"])), date.fromisoformat(str(entry.get("end") or entry["start"]))
        while day <= stop:
            out[day.isoformat()] = (str(entry["name"]), str(entry.get("phase") or "sale"))
            day += timedelta(days=1)
    return {day: value for day, value in sorted(out.items()) if first <= day <= last}


def month_days(day: str) -> list[str]:
    parsed = date.fromisoformat(day)
    first = parsed.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return [(first + timedelta(days=n)).isoformat() for n in range((following - first).days)]


_CNY = {"CNY", "RMB", "元", "¥", "￥"}


def shop_promotions(config, dataset=None):
    """A function (first, last) → {day: (event, phase)} for this shop: the platform calendar (Chinese,
    or Western when the shop's money is not yuan) and the shop's own days from `shop.promotions`."""
    from shopdoc.params import parse_days_entry

    own = []
    for entry in config.get("shop", "promotions") or []:
        parsed = parse_days_entry(entry)
        if parsed:
            own.append({"start": parsed[0], "end": parsed[1], "name": parsed[2]})
    currencies = set()
    if dataset is not None:
        currencies = {str(item.currency).upper() for item in dataset.inputs if getattr(item, "currency", None)}
    if not currencies:
        currencies = {str(config.get("shop", "currency") or "CNY").upper()}
    western = not (currencies & _CNY)

    def days(first: str, last: str) -> dict[str, tuple[str, str]]:
        return promotion_days(first, last, western=western, own=own)

    return days


def label(event: str, phase: str, lang: str) -> str:
    """`双11付尾款` / `Singles' Day balance payment`: how a report names a promotion day."""
    name = PHASE_NAMES[lang].get(phase, phase)
    return f"{event}{name}" if lang == "zh" else f"{event} {name}"


def promotion_on(config, dataset, *days: str) -> tuple[str, str, str] | None:
    """(day, event, phase) of the first of `days` that is a promotion day for this shop, or None."""
    calendar = shop_promotions(config, dataset)
    for day in days:
        found = calendar(day, day).get(day)
        if found:
            return day, found[0], found[1]
    return None
