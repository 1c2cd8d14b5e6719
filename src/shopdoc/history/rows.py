"""Between the Dataset's canonical frames and what the history keeps (pandas lives here only).

Each day's rows of a kind are stored together, as columns: `{"visitors": [...], "item_id": [...]}`,
one list per canonical field, in row order, `null` where a value is missing. A big shop's day is
20,000 item rows; stored as one columnar JSON they are written and read back in a few hundredths
of a second, where a row per item took seconds (measured: 14 days x 20,000 items read back in about
2 s as rows, well under 0.5 s as columns).

What is kept of each kind:
- `shop_daily`: the shop's day (the last row, as `metrics.shop_day` takes it), with the ratios
  `shop_day` derives when the export leaves them out, so `shopdoc history` needs no pandas;
- `item_daily`: one row per item id (the last one when a file repeats an item);
- `traffic_source`: the rows as exported (every source level: the rules pick theirs);
- `dsr`: the day's scores (the last row);
- `ad_campaign`: the ad report summed per campaign (keyword rows add up to their campaign when the
  export has no campaign-level rows that day), with CTR, CPC, ROI and conversion derived.
Reviews are not kept: a review is news once, on the day it arrives.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from shopdoc.dataset import Dataset
from shopdoc.kinds import KINDS

if TYPE_CHECKING:
    import pandas as pd

HISTORY_FILE = "history"  # the `_file` of rows added from the history

# Dataset kind -> the kind its rows are stored as (declared with the kind, in `shopdoc.kinds`).
STORED_KIND = {name: kind.history[0] for name, kind in KINDS.items() if kind.history}
AD_SUMS = ("impressions", "clicks", "cost", "gmv", "orders", "cart_adds", "favorites", "cart_favorites")
AD_KEEP = ("campaign_id", "scene", "currency", "platform")  # platform: each platform's account is its own
# What `metrics.shop_day` derives from other columns when the export leaves it out.
SHOP_DERIVED = ("pages_per_visitor", "aov", "conversion_rate")

Columns = dict[str, list[Any]]
Stored = dict[tuple[str, str], tuple[int, str]]  # (date, stored kind) -> (rows, columnar JSON)
# Kept once per item rather than per day (see schema.py): half the bytes of an item export.
ITEM_NAME = "item_name"


def encode(columns: Columns) -> str:
    """Stable text: the same day stored twice gives the same bytes."""
    return json.dumps(columns, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, TypeError):
            return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value if isinstance(value, (str, int, float, bool)) else None  # pd.NA, NaT...


def _canonical(frame: "pd.DataFrame") -> list[str]:
    return [name for name in frame.columns if not str(name).startswith("_") and name != "date"]


def to_columns(frame: "pd.DataFrame") -> Columns:
    """The frame's canonical columns as JSON-ready lists; columns with no value at all left out."""
    import pandas as pd

    out: Columns = {}
    for name in _canonical(frame):
        series = frame[name]
        if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
            # 9000 rather than 9000.0: a third shorter to store and quicker to read back.
            values = [None if value != value or value in (math.inf, -math.inf)
                      else int(value) if value.is_integer() and abs(value) < 2**53 else value
                      for value in series.astype("float64").tolist()]
        else:
            values = [_plain(value) for value in series.tolist()]
            values = [str(value) if value is not None and not isinstance(value, (int, float, bool)) else value
                      for value in values]
        if any(value is not None for value in values):
            out[str(name)] = values
    return out


def file_rows(frame: "pd.DataFrame", report_date: str) -> "pd.DataFrame":
    """The rows read from files (not added from history); an undated row is the report day's."""
    if "_file" in frame.columns:
        frame = frame[frame["_file"] != HISTORY_FILE]
    if "date" not in frame.columns:
        return frame.assign(date=report_date)
    return frame.assign(date=frame["date"].fillna(report_date))


def stored_rows(dataset: Dataset, report_date: str) -> tuple[Stored, dict[str, str]]:
    """Every day the files hold, per kind, as (row count, columnar JSON) to store; and the items'
    names (the latest day's). Each kind is converted once for all its days, then split by day."""
    out: Stored = {}
    names: dict[str, str] = {}
    for kind, stored_kind in STORED_KIND.items():
        frame = dataset.frame(kind)
        if frame is None:
            continue
        kept = _KEEP[kind](file_rows(frame, report_date))
        if kept is None or kept.empty:
            continue
        columns = to_columns(kept)
        if kind == "item_daily" and ITEM_NAME in columns:
            named = zip(columns["item_id"], columns.pop(ITEM_NAME))
            names.update((str(item_id), name) for item_id, name in named if name)
        for day, rows in _split_by_day([str(day) for day in kept["date"].tolist()], columns).items():
            count = len(next(iter(rows.values()))) if rows else 0
            if rows:
                out[(day, stored_kind)] = (count, encode(rows))
    return out, names


def _split_by_day(dates: list[str], columns: Columns) -> dict[str, Columns]:
    positions: dict[str, list[int]] = {}
    for position, day in enumerate(dates):
        positions.setdefault(day, []).append(position)
    if len(positions) == 1:
        return {dates[0]: columns}
    out = {}
    for day, taken in positions.items():
        rows = {name: [values[i] for i in taken] for name, values in columns.items()}
        out[day] = {name: values for name, values in rows.items() if any(v is not None for v in values)}
    return out


def _last_per_day(rows: "pd.DataFrame") -> "pd.DataFrame":
    """One row per day, the last one, as `metrics.shop_day` takes it."""
    return rows.groupby("date", sort=True).tail(1)


def _shop(rows: "pd.DataFrame") -> "pd.DataFrame":
    """The shop's days, each with what `metrics.shop_day` derives when the export leaves it out."""
    from shopdoc.metrics import shop_day

    rows = _last_per_day(rows).copy()
    for index in rows.index:
        row = rows.loc[[index]]
        missing = [name for name in SHOP_DERIVED if name not in rows.columns or row[name].isna().all()]
        if not missing:
            continue
        derived = shop_day(Dataset(frames={"shop_daily": row}), None)
        for name in missing:
            if derived.get(name) is not None:
                if name not in rows.columns:
                    rows[name] = float("nan")
                rows.loc[index, name] = derived[name]
    return rows


def _items(rows: "pd.DataFrame") -> "pd.DataFrame | None":
    if "item_id" not in rows.columns:
        return None
    rows = rows[rows["item_id"].notna()]
    return rows.drop_duplicates(["date", "item_id"], keep="last")


def _sources(rows: "pd.DataFrame") -> "pd.DataFrame":
    return rows


def _campaigns(rows: "pd.DataFrame") -> "pd.DataFrame | None":
    """Per day and campaign: the campaign-level rows when the day has them, else its keywords summed."""
    if "campaign" not in rows.columns and "campaign_id" not in rows.columns:
        return None
    if "level" in rows.columns:
        campaign_level = rows["level"] == "campaign"
        days_with_campaigns = set(rows.loc[campaign_level, "date"])
        rows = rows[campaign_level | ~rows["date"].isin(days_with_campaigns)]
    name = rows["campaign"] if "campaign" in rows.columns else rows["campaign_id"]
    if "campaign_id" in rows.columns:
        name = name.fillna(rows["campaign_id"])
    rows = rows.assign(campaign=name)[name.notna()]
    if rows.empty:
        return None
    groups = rows.groupby(["date", "campaign"], sort=True)
    table = groups.size().to_frame("_rows")
    for column in AD_SUMS:
        if column in rows.columns and rows[column].notna().any():
            table[column] = groups[column].sum(min_count=1)
    for column in AD_KEEP:
        if column in rows.columns:
            # Only when the campaign's rows agree on it (a campaign id, its scene, its currency).
            table[column] = groups[column].first().where(groups[column].nunique() == 1)
    for ratio, top, bottom in (("ctr", "clicks", "impressions"), ("cpc", "cost", "clicks"),
                               ("roi", "gmv", "cost"), ("conversion_rate", "orders", "clicks")):
        if top in table.columns and bottom in table.columns:
            table[ratio] = (table[top] / table[bottom].where(table[bottom] > 0)).round(6)
    return table.drop(columns="_rows").reset_index()


# How a kind's day is kept, by the name its declaration gives (`Kind.history`).
KEEP = {
    "shop_day": _shop,
    "per_item": _items,
    "as_exported": _sources,
    "last_row": _last_per_day,
    "per_campaign": _campaigns,
}
_KEEP = {name: KEEP[kind.history[1]] for name, kind in KINDS.items() if kind.history}


def dates_in(frame: "pd.DataFrame", report_date: str) -> set[str]:
    """The days a loaded frame already holds (an undated row is the report day)."""
    if "date" not in frame.columns:
        return {report_date}
    days = {str(day) for day in frame["date"].dropna().unique()}
    if frame["date"].isna().any():
        days.add(report_date)
    return days


def stored_columns(frame: "pd.DataFrame", kind: str) -> list[str]:
    """The frame's canonical columns the history can fill (all but date, _file, _row, ad level)."""
    skip = {"date", "level"} if kind == "ad_report" else {"date"}
    return [name for name in frame.columns if not str(name).startswith("_") and name not in skip]


def with_history(frame: "pd.DataFrame", kind: str, days: list[tuple[str, int, str]],
                 names: dict[str, str] | None = None) -> "pd.DataFrame":
    """The frame with earlier days' rows (date, row count, columnar JSON) in front, in its own
    columns and dtypes; item names filled in from `names`.

    Columns the files do not have today are not added: a rule that needs a field must find it in
    today's export, not only in the history.
    """
    import numpy as np
    import pandas as pd

    columns = stored_columns(frame, kind)
    gathered: Columns = {name: [] for name in ["date", *columns]}
    for day, count, data in days:
        stored = json.loads(data)
        gathered["date"].extend([day] * count)
        for name in columns:
            gathered[name].extend(stored.get(name) or [None] * count)
    for name in columns:  # numbers straight into float arrays (None -> NaN): no per-value type guessing
        if pd.api.types.is_float_dtype(frame[name].dtype):
            try:
                gathered[name] = np.array(gathered[name], dtype="float64")
            except (TypeError, ValueError):
                pass
    history = pd.DataFrame(gathered)
    if names is not None and ITEM_NAME in columns and "item_id" in history.columns:
        history[ITEM_NAME] = history["item_id"].map(names)
    history["_file"] = HISTORY_FILE
    history["_row"] = None
    if kind == "ad_report":
        history["level"] = "campaign"

    frame = frame.copy()
    for column in ("date", "_file", "_row"):
        if column not in frame.columns:  # an undated single-day file: its rows stay the report day's
            frame[column] = None
    history = history.reindex(columns=frame.columns)
    for column in frame.columns:
        target = frame[column].dtype
        if pd.api.types.is_integer_dtype(target) and not isinstance(target, pd.api.extensions.ExtensionDtype):
            frame[column] = frame[column].astype("Int64")  # keeps 5 as 5 beside history's missing values
            target = frame[column].dtype
        try:
            history[column] = history[column].astype(target)
        except (TypeError, ValueError):
            pass
    return pd.concat([history, frame], ignore_index=True)
