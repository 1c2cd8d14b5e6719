"""Between the Dataset's canonical frames and the rows the history keeps (pandas lives here only).

Stored per shop, day and subject, as the canonical fields' values:
- `shop_daily`: the shop's day (subject `shop`), with the ratios `metrics.shop_day` derives when the
  export leaves them out, so `shopdoc history` needs no pandas to show them;
- `item_daily`: one row per item id;
- `traffic_source`: one row per source path (carrier / source / detail / ...);
- `dsr`: the day's scores (subject `shop`);
- `ad_campaign`: the ad report summed per campaign (keyword rows add up to their campaign when the
  export has no campaign-level rows for that day), with CTR, CPC, ROI and conversion derived.
Reviews are not kept: a review is news once, on the day it arrives.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from shopdoc.dataset import Dataset

if TYPE_CHECKING:
    import pandas as pd

HISTORY_FILE = "history"  # the `_file` of rows added from the history

# Dataset kind -> the kind its rows are stored as.
STORED_KIND = {
    "shop_daily": "shop_daily",
    "item_daily": "item_daily",
    "traffic_source": "traffic_source",
    "dsr": "dsr",
    "ad_report": "ad_campaign",
}
SOURCE_LEVELS = ("carrier", "source", "source_detail", "source_l3", "source_l4")
AD_SUMS = ("impressions", "clicks", "cost", "gmv", "orders", "cart_adds")
AD_KEEP = ("campaign_id", "scene", "currency")
# What `metrics.shop_day` derives from other columns when the export leaves it out.
SHOP_DERIVED = ("pages_per_visitor", "aov", "conversion_rate")

Stored = dict[tuple[str, str], list[tuple[str, str]]]  # (date, stored kind) -> [(subject, fields JSON)]


def _plain(value: Any) -> Any:
    """A JSON-ready value, or None for anything missing."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, TypeError):
            return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if not isinstance(value, (str, int, float, bool)):
        return None  # pd.NA, NaT and the like
    return value


def _fields(record: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    out = {}
    for name, value in record.items():
        if name.startswith("_") or name == "date" or name in drop:
            continue
        value = _plain(value)
        if value is not None:
            out[name] = value
    return out


def encode(fields: dict[str, Any]) -> str:
    """Stable text for a row: the same day stored twice gives the same bytes."""
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def file_rows(frame: "pd.DataFrame", report_date: str) -> "pd.DataFrame":
    """The rows read from files (not added from history); an undated row is the report day's."""
    if "_file" in frame.columns:
        frame = frame[frame["_file"] != HISTORY_FILE]
    if "date" not in frame.columns:
        return frame.assign(date=report_date)
    return frame.assign(date=frame["date"].fillna(report_date))


def stored_rows(dataset: Dataset, report_date: str) -> Stored:
    """Every day the files hold, as rows to store."""
    out: Stored = {}
    for kind, stored_kind in STORED_KIND.items():
        frame = dataset.frame(kind)
        if frame is None:
            continue
        frame = file_rows(frame, report_date)
        for day, rows in frame.groupby("date", sort=True):
            subjects = _SUBJECTS[kind](rows)
            if subjects:
                out[(str(day), stored_kind)] = [(subject, encode(fields)) for subject, fields in subjects]
    return out


def _shop(rows: "pd.DataFrame") -> list[tuple[str, dict[str, Any]]]:
    import pandas as pd

    from shopdoc.metrics import shop_day

    record = rows.to_dict("records")[-1]  # one row per day; the last one wins, as in metrics.shop_day
    fields = _fields(record)
    derived = shop_day(Dataset(frames={"shop_daily": pd.DataFrame([record])}), None)
    for name in SHOP_DERIVED:
        if name not in fields and derived.get(name) is not None:
            fields[name] = derived[name]
    return [("shop", fields)] if fields else []


def _dsr(rows: "pd.DataFrame") -> list[tuple[str, dict[str, Any]]]:
    fields = _fields(rows.to_dict("records")[-1])
    return [("shop", fields)] if fields else []


def _items(rows: "pd.DataFrame") -> list[tuple[str, dict[str, Any]]]:
    if "item_id" not in rows.columns:
        return []
    by_item: dict[str, dict[str, Any]] = {}
    for record in rows.to_dict("records"):
        item_id = _plain(record.get("item_id"))
        if item_id is not None:
            by_item[str(item_id)] = _fields(record)
    return list(by_item.items())


def _sources(rows: "pd.DataFrame") -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    used: dict[str, int] = {}
    for record in rows.to_dict("records"):
        path = [str(value) for name in SOURCE_LEVELS if (value := _plain(record.get(name))) not in (None, "")]
        if not path:
            continue
        subject = " / ".join(path)
        used[subject] = used.get(subject, 0) + 1
        if used[subject] > 1:  # the same source listed twice (two devices, two files): keep both
            subject = f"{subject} #{used[subject]}"
        out.append((subject, _fields(record)))
    return out


def _campaigns(rows: "pd.DataFrame") -> list[tuple[str, dict[str, Any]]]:
    """Per campaign: the campaign-level rows when the day has them, else its keywords summed."""
    if "campaign" not in rows.columns and "campaign_id" not in rows.columns:
        return []
    if "level" in rows.columns and (rows["level"] == "campaign").any():
        rows = rows[rows["level"] == "campaign"]
    name = rows["campaign"] if "campaign" in rows.columns else rows["campaign_id"]
    if "campaign_id" in rows.columns:
        name = name.fillna(rows["campaign_id"])
    rows = rows.assign(_campaign=name)
    rows = rows[rows["_campaign"].notna()]
    out = []
    for campaign, group in rows.groupby("_campaign", sort=True):
        fields: dict[str, Any] = {"campaign": str(campaign)}
        for column in AD_KEEP:
            if column in group.columns:
                values = group[column].dropna().unique()
                if len(values) == 1:
                    fields[column] = _plain(values[0])
        for column in AD_SUMS:
            if column in group.columns and group[column].notna().any():
                fields[column] = _plain(group[column].sum())
        _derive_ad_ratios(fields)
        out.append((str(campaign), {k: v for k, v in fields.items() if v is not None}))
    return out


def _derive_ad_ratios(fields: dict[str, Any]) -> None:
    def ratio(numerator: str, denominator: str) -> float | None:
        top, bottom = fields.get(numerator), fields.get(denominator)
        return round(top / bottom, 6) if top is not None and bottom else None

    for name, value in (("ctr", ratio("clicks", "impressions")), ("cpc", ratio("cost", "clicks")),
                        ("roi", ratio("gmv", "cost")), ("conversion_rate", ratio("orders", "clicks"))):
        if value is not None:
            fields[name] = value


_SUBJECTS = {
    "shop_daily": _shop,
    "item_daily": _items,
    "traffic_source": _sources,
    "dsr": _dsr,
    "ad_report": _campaigns,
}


def dates_in(frame: "pd.DataFrame", report_date: str) -> set[str]:
    """The days a loaded frame already holds (an undated row is the report day)."""
    if "date" not in frame.columns:
        return {report_date}
    days = {str(day) for day in frame["date"].dropna().unique()}
    if frame["date"].isna().any():
        days.add(report_date)
    return days


def with_history(frame: "pd.DataFrame", kind: str, rows: list[tuple[str, dict[str, Any]]]) -> "pd.DataFrame":
    """The frame with earlier days' rows in front, in its own columns and dtypes.

    Columns the files do not have today are not added: a rule that needs a field must find it in
    today's export, not only in the history.
    """
    import pandas as pd

    frame = frame.copy()
    for column in ("date", "_file", "_row"):
        if column not in frame.columns:  # an undated single-day file: its rows stay the report day's
            frame[column] = None
    records = []
    for day, fields in rows:
        record = {name: value for name, value in fields.items() if name in frame.columns}
        record.update(date=day, _file=HISTORY_FILE, _row=None)
        if kind == "ad_report":
            record["level"] = "campaign"
        records.append(record)
    history = pd.DataFrame.from_records(records, columns=list(frame.columns))
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
