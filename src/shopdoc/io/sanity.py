"""Values that cannot be right are warned about and blanked, so no rule is misled by them.

The operating document itself warns that exported data is sometimes wrong. A conversion rate above
100%, more clicks than impressions, more buyers than visitors, a negative visitor count: each gives a
data warning naming file, row and column, and the value becomes NaN. The rest of the row stays.
Presale items (orders but 0 payment conversion) are not wrong; a rule handles them.
"""

from __future__ import annotations

import pandas as pd

from shopdoc.io.fields import Field
from shopdoc.io.warn import Warnings

# Counts that cannot be negative.
COUNTS = ("visitors", "pageviews", "clicks", "impressions", "buyers", "order_buyers", "units", "orders",
          "favorites", "add_to_cart", "returning_visitors", "new_visitors", "cart_adds", "cart_favorites")

# (smaller, larger, which to blank): the first can never exceed the second.
PAIRS = (
    ("clicks", "impressions", ("clicks", "impressions"), "value.clicks_above_impressions"),
    ("buyers", "visitors", ("buyers",), "value.buyers_above_visitors"),
)


def check(frame: pd.DataFrame, fields: dict[str, Field], raw: dict[str, pd.Series],
          headers: dict[str, str], warnings: Warnings) -> None:
    """Blank impossible values in `frame` (in place), with a warning for each."""
    rows = frame["_row"]
    for name, spec in fields.items():
        if name not in frame.columns or spec.type != "rate":
            continue
        values = frame[name]
        wrong = (values > 1) | (values < 0)
        if name == "conversion_rate" and {"orders", "clicks"} <= set(frame.columns):
            # An ad report's conversion is orders ÷ clicks, and one click can bring several orders
            # (Amazon's 14 Day Conversion Rate of 300%: 3 orders from 1 click): right when the
            # row's own counts say so.
            wrong &= ~((values > 1) & (frame["orders"] > frame["clicks"]))
        if wrong.any():
            reason = warnings.say("value.rate_above" if (values[wrong] > 1).all() else "value.rate_outside")
            warnings.cells(rows[wrong], headers[name], raw[name][wrong], reason)
            frame.loc[wrong, name] = float("nan")
    for name in COUNTS:
        if name not in frame.columns:
            continue
        wrong = frame[name] < 0
        if wrong.any():
            warnings.cells(rows[wrong], headers[name], raw[name][wrong],
                           warnings.say("value.negative", field=headers[name] if warnings.lang == "zh" else name.replace("_", " ")))
            frame.loc[wrong, name] = float("nan")
    for small, large, blank, reason in PAIRS:
        if small not in frame.columns or large not in frame.columns:
            continue
        wrong = frame[small] > frame[large]
        if wrong.any():
            warnings.cells(rows[wrong], headers[small], raw[small][wrong], warnings.say(reason))
            for name in blank:
                frame.loc[wrong, name] = float("nan")


# -- across files ------------------------------------------------------------------------------------
# (kind, field, how many of its rows, shop field, what it says): a single day's number in one export
# that the shop's own number for that day can never be below.
ACROSS = (
    ("ad_report", "gmv", "sum", "gmv", "warn.across.ad_gmv"),
    ("item_daily", "visitors", "max", "visitors", "warn.across.item_visitors"),
    ("item_daily", "buyers", "max", "buyers", "warn.across.item_buyers"),
    ("item_daily", "gmv", "max", "gmv", "warn.across.item_gmv"),
)


def across(dataset, lang: str = "en") -> None:
    """Numbers that contradict another file of the same day become data warnings naming both files:
    ad GMV above the shop's GMV, an item with more visitors (buyers, sales) than the shop. Only
    single-day rows in the same currency are compared. The numbers stay: which file is wrong is for
    the user to see."""
    from shopdoc.messages import say
    from shopdoc.model import DataWarning

    shop = _single_days(dataset.frame("shop_daily"))
    if shop is None:
        return
    shop_days = shop.groupby("date", sort=False).tail(1).set_index("date")
    for kind, name, how, limit_name, reason in ACROSS:
        rows = _single_days(dataset.frame(kind))
        if rows is None or name not in rows.columns or limit_name not in shop_days.columns:
            continue
        currencies = rows["currency"].fillna("") if "currency" in rows.columns else pd.Series("", index=rows.index)
        for (day, currency), group in rows.groupby([rows["date"], currencies]):
            if day not in shop_days.index:
                continue
            shop_row = shop_days.loc[day]
            limit = shop_row[limit_name]
            if pd.isna(limit) or (currency and isinstance(shop_row.get("currency"), str)
                                  and shop_row.get("currency") != currency):
                continue
            values = group[name].dropna()
            if values.empty:
                continue
            value = values.sum() if how == "sum" else values.max()
            if value <= limit * 1.001:
                continue
            at = values.idxmax() if how == "max" else values.index[0]
            subject = group.loc[at].get("item_id") or group.loc[at].get("item_name") or ""
            file, shop_file = group.loc[at, "_file"], shop_row["_file"]
            text = say(reason, lang, value=_number(value), limit=_number(limit), subject=subject)
            warning = DataWarning(file, say("warn.across", lang, text=text, day=day, shop_file=shop_file),
                                  row=None if how == "sum" else int(group.loc[at, "_row"]), code=reason)
            target = next((item for item in dataset.inputs if item.path == file and item.kind == kind), None)
            if target is not None:
                target.warnings.append(warning)


def currencies(dataset, lang: str = "en") -> None:
    """The shop's own exports (shop, items, sources) in more than one currency — two marketplaces read
    together — are a data warning on each of them, naming every file and its currency: the shop's day
    is one row per day, and amounts in different currencies are never added or compared, so the
    run cannot say one shop's numbers. The advice: one marketplace per shop (`shops:`)."""
    import os

    from shopdoc.dataset import SHOP_MONEY
    from shopdoc.messages import say
    from shopdoc.model import DataWarning

    if len(dataset.currencies(SHOP_MONEY)) < 2:
        return
    files = [item for item in dataset.inputs if item.status == "ok" and item.kind in SHOP_MONEY and item.currency]
    named = ("；" if lang == "zh" else "; ").join(f"{item.currency}: {os.path.basename(item.path)}" for item in files)
    for item in files:
        item.warnings.append(DataWarning(item.path, say("warn.currencies", lang, files=named), sheet=item.sheet))


def _single_days(frame):
    if frame is None or "date" not in frame.columns:
        return None
    rows = frame[frame["date"].notna()]
    if "window_days" in rows.columns:
        rows = rows[rows["window_days"].fillna(1) == 1]
    if "_file" in rows.columns:
        rows = rows[rows["_file"] != "history"]
    return None if rows.empty else rows


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.2f}"
