"""Shop-level metrics of one day, derived the same way for every rule and every report."""

from __future__ import annotations

import math
from typing import Any

from shopdoc.dataset import Dataset


def _value(rows, name: str) -> float | None:
    if rows is None or name not in rows.columns:
        return None
    values = rows[name].dropna()
    if values.empty:
        return None
    return float(values.iloc[-1])


SHOP_FIELDS = ("visitors", "pageviews", "bounce_rate", "pages_per_visitor", "avg_stay_seconds", "buyers",
               "orders", "order_buyers", "gmv", "conversion_rate", "aov", "returning_visitors",
               "order_conversion_rate", "peer_conversion_rate")


def _last_values(rows, names: tuple[str, ...]) -> dict[str, float]:
    """Each column's last value that is not missing (`_value` of each), the columns read as one
    block: the report, its rules and its charts ask for a day's shop numbers some fifty times a run."""
    import numpy as np

    present = [name for name in names if rows is not None and name in rows.columns]
    if not present:
        return {}
    try:
        block = rows[present].to_numpy(dtype="float64", na_value=np.nan)
    except (TypeError, ValueError):  # a column that is not numbers: one by one, as ever
        return {name: value for name in present if (value := _value(rows, name)) is not None}
    filled = ~np.isnan(block)
    last = len(block) - 1 - np.argmax(filled[::-1], axis=0)
    values = block[last, np.arange(len(present))].tolist()
    return {name: value for name, value, known in zip(present, values, filled.any(axis=0).tolist()) if known}


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def shop_day(dataset: Dataset, date: str | None) -> dict[str, Any]:
    """The shop's numbers for `date` from the shop export (one row per day; the last one wins).

    Asked some fifty times a run (the rules, the report's head, the trend chart) for a few days: made
    once per dataset, shop export and day; each caller gets its own dict."""
    return dict(dataset.remembered("shop_day", date, ("shop_daily",), lambda: _shop_day(dataset, date)))


def _shop_day(dataset: Dataset, date: str | None) -> dict[str, Any]:
    metrics: dict[str, Any] = _last_values(dataset.on("shop_daily", date), SHOP_FIELDS)
    # Derive what the export left out but its other columns imply.
    if "pages_per_visitor" not in metrics:
        derived = _ratio(metrics.get("pageviews"), metrics.get("visitors"))
        if derived is not None:
            metrics["pages_per_visitor"] = derived
    if "aov" not in metrics:
        derived = _ratio(metrics.get("gmv"), metrics.get("buyers") or metrics.get("orders"))
        if derived is not None:
            metrics["aov"] = derived
    if "conversion_rate" not in metrics:
        derived = _ratio(metrics.get("buyers"), metrics.get("visitors"))
        if derived is not None:
            metrics["conversion_rate"] = derived
    if "returning_visitors" in metrics and metrics.get("visitors"):
        metrics["returning_share"] = metrics["returning_visitors"] / metrics["visitors"]
    if "aov" in metrics:
        metrics["shop_aov"] = metrics["aov"]
    return {key: _clean(value) for key, value in metrics.items()}


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
        return round(value, 4)
    return value


def item_day(dataset: Dataset, date: str | None):
    """Item rows of the day (ids as text). An item repeated in the exports keeps all its rows."""
    rows = dataset.on("item_daily", date)
    if rows is None or "item_id" not in rows.columns:
        return None
    rows = rows[rows["item_id"].notna()]
    return None if rows.empty else rows


def hero_item(dataset: Dataset, date: str | None, configured: str | None) -> dict[str, Any] | None:
    """The hero (主推款): the configured item id, else the item with the most visitors that day."""
    items = item_day(dataset, date)
    if items is None:
        return None
    if configured:
        chosen = items[items["item_id"] == str(configured)]
        if chosen.empty:
            return {"item_id": str(configured), "missing": True}
        row = chosen.iloc[0]
    else:
        if "visitors" not in items.columns or items["visitors"].notna().sum() == 0:
            return None
        row = items.loc[items["visitors"].idxmax()]
    aov = _row_value(row, "aov")
    if aov is None:
        gmv, buyers = _row_value(row, "gmv"), _row_value(row, "buyers")
        aov = _ratio(gmv, buyers)
    return {
        "item_id": str(row["item_id"]),
        "item_name": _row_text(row, "item_name"),
        "visitors": _row_value(row, "visitors"),
        "aov": aov,
        "buyers": _row_value(row, "buyers"),
        "configured": bool(configured),
    }


def _row_value(row, name: str) -> float | None:
    if name not in row.index:
        return None
    value = row[name]
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def _row_text(row, name: str) -> str | None:
    if name not in row.index or row[name] is None:
        return None
    value = row[name]
    return None if isinstance(value, float) and math.isnan(value) else str(value)
