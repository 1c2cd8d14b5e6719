"""Was yesterday's advice applied? Yesterday's change rows against today's exports.

The change rows are `upload.changes` of the day the advice was given (each with its to-do key,
action, old and new bid); today's side is what the ad exports read today show of each subject:
its latest bid, its state when the export has one (Amazon bulk files, Google Ads Editor exports,
shopdoc's own sheets read back), and its impressions on today's latest day.

- a bid change is applied when the bid moved the advised way and landed within one step of the
  suggestion (|today − new| ≤ |new − old|: an operator who rounds 1.46 to 1.45 applied it);
- a pause is applied when the state says paused, or, without a state, when the subject shows no
  impressions today (or is gone from a report that still lists its plan);
- anything the exports cannot show (a budget, a target ROI, a new creative) stays `unknown`: the
  user marks it done by hand.

A library function only: storing each day's rows and saying it in the report is the history's
part (issue 14, "what was done").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    import pandas as pd

    from shopdoc.dataset import Dataset

APPLIED, NOT_APPLIED, UNKNOWN = "applied", "not_applied", "unknown"
PAUSED_STATES = ("paused", "pause", "暂停", "已暂停", "removed", "archived", "删除", "已删除")


def today_state(dataset: "Dataset") -> tuple["pd.DataFrame", "pd.DataFrame", str | None]:
    """Per keyword (keys as `upload._KEYS`) and per campaign: latest bid, latest state, and
    impressions on the latest day of the exports (NaN: not in that day's rows); and that day."""
    import pandas as pd

    from shopdoc.upload import _KEYS, _keyed

    frames = [dataset.frames.get(kind) for kind in ("ad_report", "ad_settings")]
    frames = [frame for frame in frames if frame is not None and not frame.empty]
    empty = pd.DataFrame(columns=["bid", "state", "impressions"])
    if not frames:
        return empty, empty, None
    wanted = ["campaign", "ad_group", "keyword", "match_type", "level", "date", "bid", "state", "impressions"]
    rows = pd.concat([frame[[c for c in wanted if c in frame.columns]] for frame in frames], ignore_index=True)
    for name in wanted:
        if name not in rows.columns:
            rows[name] = None
    rows = pd.concat([rows, _keyed(rows)], axis=1)
    rows = rows[rows["_c"] != ""].sort_values("date", kind="stable", na_position="first")
    dates = rows["date"].dropna()
    last = str(dates.max()) if len(dates) else None
    on_last = rows["date"].isna() | (rows["date"] == last) if last else pd.Series(True, index=rows.index)
    rows["state"] = rows["state"].astype("object").where(rows["state"].notna() & (rows["state"] != ""), None)
    rows["bid"] = pd.to_numeric(rows["bid"], errors="coerce")
    rows["shown"] = pd.to_numeric(rows["impressions"], errors="coerce").where(on_last)
    is_keyword = (rows["_k"] != "") & (rows["level"].astype("object") != "campaign")
    kw = rows[is_keyword].groupby(list(_KEYS), sort=False)
    keywords = pd.DataFrame({"bid": kw["bid"].last(), "state": kw["state"].last(),
                             "impressions": kw["shown"].sum(min_count=1)})
    plans = rows.groupby("_c", sort=False)
    own = rows[~is_keyword].groupby("_c", sort=False)
    campaigns = pd.DataFrame({"impressions": plans["shown"].sum(min_count=1)})
    campaigns["state"] = own["state"].last().reindex(campaigns.index)
    campaigns["bid"] = float("nan")
    return keywords, campaigns, last


def applied(advised: Iterable[dict[str, Any]], dataset: "Dataset") -> "pd.DataFrame":
    """One row per piece of advice: key, subject, action, old and new bid, today's bid, state and
    impressions, and `status` (applied / not_applied / unknown)."""
    import pandas as pd

    from shopdoc.upload import _norm

    keywords, campaigns, _ = today_state(dataset)
    names = ("bid", "state", "impressions")

    def records(frame: "pd.DataFrame") -> dict[Any, dict[str, Any]]:  # looked up per row: plain dicts
        columns = [frame[name].tolist() for name in names]
        return {index: {name: (None if value is None or value != value else value)
                        for name, value in zip(names, values)} for index, values in zip(frame.index, zip(*columns))}

    by_key, by_plan = records(keywords), records(campaigns)
    by_name: dict[tuple[str, str], list[Any]] = {}
    for index in by_key:
        by_name.setdefault((index[0], index[2]), []).append(index)
    out = []
    for row in advised:
        level = row.get("level_code")
        c = _norm(row.get("campaign"))
        if level == "campaign":
            found = by_plan.get(c)
        else:
            key = (c, _norm(row.get("ad_group")), _norm(row.get("keyword")), _norm(row.get("match_type")))
            found = by_key.get(key)
            if found is None:  # a report without ad group or match type: the one keyword of that name
                same = by_name.get((c, key[2]), [])
                found = by_key[same[0]] if len(same) == 1 else None
        today = found or {"bid": None, "state": None, "impressions": None}
        plan_listed = by_plan.get(c, {}).get("impressions") is not None
        out.append({"key": row.get("key"), "subject": row.get("subject"), "action": row.get("action"),
                    "old_bid": row.get("current_bid"), "new_bid": row.get("new_bid"), "today_bid": today["bid"],
                    "today_state": today["state"], "today_impressions": today["impressions"],
                    "status": _status(row, today, found is not None, plan_listed)})
    return pd.DataFrame(out, columns=["key", "subject", "action", "old_bid", "new_bid", "today_bid", "today_state",
                                      "today_impressions", "status"])


def _status(row: dict[str, Any], today: dict[str, Any], listed: bool, plan_listed: bool) -> str:
    action = row.get("action")
    if action == "bid":
        old, new, now = row.get("current_bid"), row.get("new_bid"), today["bid"]
        if old is None or new is None or now is None or old == new:
            return UNKNOWN
        toward = (now - old) * (new - old) > 0
        return APPLIED if toward and abs(now - new) <= abs(new - old) + 1e-9 else NOT_APPLIED
    if action == "pause":
        state = today["state"]
        if state is not None:
            return APPLIED if str(state).strip().casefold() in PAUSED_STATES else NOT_APPLIED
        shown = today["impressions"]
        if listed and shown is not None:
            return APPLIED if shown == 0 else NOT_APPLIED
        # not in today's rows while its plan is: a paused keyword is left out of the report
        return APPLIED if plan_listed and row.get("level_code") != "campaign" else UNKNOWN
    return UNKNOWN
