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

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from shopdoc.dataset import Dataset

APPLIED, NOT_APPLIED, UNKNOWN = "applied", "not_applied", "unknown"
PAUSED_STATES = ("paused", "pause", "暂停", "已暂停", "removed", "archived", "删除", "已删除")


KEY_PARTS = ("campaign", "ad_group", "keyword", "match_type")


def distinct(values: "pd.Series") -> tuple["np.ndarray", list[Any]]:
    """A column's integer codes (-1: missing) and its distinct values. A categorical column (the
    history's changes are opened so) gives its own codes and the categories it uses, in their
    order: nothing is hashed; a text column is factorized as objects (quicker than pandas' string
    dtype), its values in order of appearance."""
    import numpy as np
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype(np.intp)
        names = np.asarray(values.cat.categories, dtype=object)
        used = np.bincount(codes + 1, minlength=len(names) + 1)[1:] > 0  # code -1 (missing) counted apart
        if used.all():
            return codes, names.tolist()
        renumbered = np.append(np.where(used, np.cumsum(used) - 1, -1), -1)  # unused categories dropped
        return renumbered[codes], names[used].tolist()
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object).tolist()


def _folded_codes(series: list["pd.Series"]) -> tuple[list["np.ndarray"], int, int]:
    """Codes of the values as an operator compares them (trimmed, case-folded: `upload._norm`),
    one code space for all the series; with the number of codes and the code of "" (no value).
    A categorical series (the history's changes) gives only its distinct values: all are coded in
    one pass, and each distinct name is folded once."""
    import numpy as np
    import pandas as pd

    pieces, parts = [], []  # what each series adds to the joined values; how its rows read them
    for item in series:
        if isinstance(item.dtype, pd.CategoricalDtype):
            codes, uniques = distinct(item)
            pieces.append(np.array(uniques, dtype=object))
            parts.append(codes)  # into its uniques
        else:
            pieces.append(item.to_numpy(dtype=object))
            parts.append(None)  # one value per row
    raw, names = pd.factorize(np.concatenate(pieces) if pieces else np.array([], dtype=object), use_na_sentinel=True)
    # as `upload._norm` does it, once per distinct name; "" last: no value
    folded = np.array([str(name).strip().casefold() for name in np.asarray(names, dtype=object).tolist()] + [""],
                      dtype=object)
    merged, found = pd.factorize(folded)  # by raw code; raw -1 (missing) takes the last: ""
    out, at = [], 0
    for piece, codes in zip(pieces, parts):
        own = merged[raw[at:at + len(piece)]]
        out.append(own if codes is None else np.append(own, merged[-1])[codes])
        at += len(piece)
    return out, len(found), int(merged[-1])


def _today(dataset: "Dataset", advice: "pd.DataFrame") -> dict[str, Any] | None:
    """Today's side of each piece of advice, by position: the keyword's latest bid and state and its
    impressions on the latest day of the exports (NaN: not in that day's rows; a report without ad
    group or match type: the one keyword of that name in its plan), and its plan's. Matched on
    integer codes of the folded names (no per-row objects, no multi-level index)."""
    import numpy as np
    import pandas as pd

    frames = [dataset.frames.get(kind) for kind in ("ad_report", "ad_settings")]
    frames = [frame for frame in frames if frame is not None and not frame.empty]
    if not frames:
        return None
    wanted = [*KEY_PARTS, "level", "date", "bid", "state", "impressions"]
    rows = pd.concat([frame[[c for c in wanted if c in frame.columns]] for frame in frames], ignore_index=True)
    for name in wanted:
        if name not in rows.columns:
            rows[name] = None
    n_rows = len(rows)
    codes, sizes, empties = {}, {}, {}
    for name in KEY_PARTS:
        advised = advice[name] if name in advice.columns else pd.Series([None] * len(advice), dtype=object)
        (mine, theirs), sizes[name], empties[name] = _folded_codes([rows[name], advised])
        codes[name] = (mine.astype("int64"), theirs.astype("int64"))

    def combined(side: int, parts: tuple[str, ...]) -> "np.ndarray":
        key = np.zeros(len(codes[parts[0]][side]), dtype="int64")
        for name in parts:
            key = key * sizes[name] + codes[name][side]
        return key

    # latest day last: one stable sort on the day's integer code (undated rows first)
    day_codes, days = pd.factorize(rows["date"].astype("object"), sort=True)
    order = np.argsort(day_codes, kind="stable")
    last = str(days[-1]) if len(days) else None
    plan = codes["campaign"][0][order]
    keep = plan != empties["campaign"]
    order = order[keep]
    day = day_codes[order]
    on_last = (day == len(days) - 1) | (day < 0) if last else np.ones(len(order), dtype=bool)
    state = rows["state"].astype("object").to_numpy()[order]
    state = np.where(pd.isna(state) | (state == ""), None, state)
    bid = pd.to_numeric(rows["bid"], errors="coerce").to_numpy(dtype="float64")[order]
    shown = np.where(on_last, pd.to_numeric(rows["impressions"], errors="coerce").to_numpy(dtype="float64")[order],
                     np.nan)
    level = rows["level"].astype("object").to_numpy()[order]
    is_keyword = (codes["keyword"][0][order] != empties["keyword"]) & (level != "campaign")
    table = pd.DataFrame({"bid": bid, "state": state, "shown": shown})

    def last_of(frame: "pd.DataFrame", key: "np.ndarray") -> "pd.DataFrame":
        grouped = frame.groupby(key, sort=False)
        return pd.DataFrame({"bid": grouped["bid"].last(), "state": grouped["state"].last(),
                             "shown": grouped["shown"].sum(min_count=1)})

    full = combined(0, KEY_PARTS)[order][is_keyword]
    loose_key = combined(0, ("campaign", "keyword"))[order][is_keyword]
    by_keyword = table[is_keyword]
    if pd.Index(loose_key).is_unique:  # a row per keyword (a one-day report): each row is its own, nothing grouped
        keywords, loose = by_keyword.set_axis(full), by_keyword.set_axis(loose_key)
    else:
        keywords = last_of(by_keyword, full)
        variants = pd.Series(full).groupby(loose_key).nunique()
        loose = last_of(by_keyword, loose_key)
        loose = loose[variants.reindex(loose.index).to_numpy() == 1]
    plans_shown = table["shown"].groupby(plan[keep]).sum(min_count=1)
    plans_state = table["state"][~is_keyword].groupby(plan[keep][~is_keyword]).last()

    def positions(frame: "pd.DataFrame", key: "np.ndarray") -> "np.ndarray":
        return pd.Index(frame.index).get_indexer(key)  # once per table: its hash table is built per call

    def lookup(frame: "pd.DataFrame", at: "np.ndarray", name: str) -> "np.ndarray":
        values = frame[name].to_numpy()
        out = values[np.maximum(at, 0)] if len(values) else np.full(len(at), None, dtype=object)
        return np.where(at >= 0, out, np.nan if name != "state" else None)

    exact_at = positions(keywords, combined(1, KEY_PARTS))
    near_at = positions(loose, combined(1, ("campaign", "keyword")))
    plan_key = codes["campaign"][1]
    hit, near = exact_at >= 0, near_at >= 0
    out = {}
    for name in ("bid", "state", "shown"):
        out[name] = np.where(hit, lookup(keywords, exact_at, name), lookup(loose, near_at, name))
    out["listed"] = hit | near
    shown_at = positions(plans_shown.to_frame("shown"), plan_key)
    out["plan_shown"] = lookup(plans_shown.to_frame("shown"), shown_at, "shown").astype("float64")
    state_at = positions(plans_state.to_frame("state"), plan_key)
    out["plan_state"] = lookup(plans_state.to_frame("state"), state_at, "state")
    out["last"] = last
    return out


ADVICE_FIELDS = ("campaign", "ad_group", "keyword", "match_type", "level_code", "action", "current_bid", "new_bid")


def applied(advised: Iterable[dict[str, Any]], dataset: "Dataset") -> "pd.DataFrame":
    """One row per piece of advice: key, subject, action, old and new bid, today's bid, state and
    impressions, and `status` (applied / not_applied / unknown)."""
    import pandas as pd

    rows = list(advised)
    frame = pd.DataFrame({name: [row.get(name) for row in rows] for name in ("key", "subject", *ADVICE_FIELDS)})
    found = applied_frame(frame, dataset)
    return pd.DataFrame({"key": frame["key"], "subject": frame["subject"], "action": frame["action"],
                         "old_bid": frame["current_bid"], "new_bid": frame["new_bid"],
                         "today_bid": found["today_bid"], "today_state": found["today_state"],
                         "today_impressions": found["today_impressions"], "status": found["status"]})


def applied_frame(advice: "pd.DataFrame", dataset: "Dataset") -> "pd.DataFrame":
    """The same, column by column (a 100,000-keyword account's advice in one pass): `advice` has
    ADVICE_FIELDS; the result has today_bid, today_state, today_impressions and status, by position."""
    import numpy as np
    import pandas as pd

    found = _applied(advice, dataset)
    return pd.DataFrame({"today_bid": np.where(np.isnan(found["bid"]), None, found["bid"]).astype(object),
                         "today_state": found["state"],
                         "today_impressions": np.where(np.isnan(found["shown"]), None, found["shown"]).astype(object),
                         "status": found["status"]})


def applied_status(advice: "pd.DataFrame", dataset: "Dataset") -> "np.ndarray":
    """Only the status of each piece of advice (what the history keeps), by position."""
    return _applied(advice, dataset)["status"]


def _applied(advice: "pd.DataFrame", dataset: "Dataset") -> dict[str, "np.ndarray"]:
    """Today's bid, state and impressions of each piece of advice, and its status (arrays)."""
    import numpy as np
    import pandas as pd

    advice = advice.reset_index(drop=True)
    n = len(advice)
    found = _today(dataset, advice) if n else None
    is_plan = (advice["level_code"] == "campaign").to_numpy(dtype=bool)
    bid = np.full(n, np.nan)
    shown = np.full(n, np.nan)
    state = np.full(n, None, dtype=object)
    listed = np.zeros(n, dtype=bool)
    plan_shown = np.full(n, np.nan)
    if found is not None:
        bid = np.where(is_plan, np.nan, found["bid"].astype("float64"))
        shown = np.where(is_plan, found["plan_shown"], found["shown"].astype("float64"))
        state = np.where(is_plan, found["plan_state"], found["state"]).astype(object)
        listed = np.where(is_plan, ~np.isnan(found["plan_shown"]), found["listed"])
        plan_shown = found["plan_shown"]
    state = np.where(pd.isna(state), None, state).astype(object)
    old = pd.to_numeric(advice["current_bid"], errors="coerce").to_numpy(dtype="float64")
    new = pd.to_numeric(advice["new_bid"], errors="coerce").to_numpy(dtype="float64")
    status = np.full(n, UNKNOWN, dtype=object)
    with np.errstate(invalid="ignore"):
        # a bid: moved the advised way and landed within one step of the suggestion
        known = (advice["action"] == "bid").to_numpy(dtype=bool) & ~np.isnan(old) & ~np.isnan(new) & ~np.isnan(bid) \
            & (old != new)
        toward = (bid - old) * (new - old) > 0
        close = np.abs(bid - new) <= np.abs(new - old) + 1e-9
        status[known] = np.where(toward & close, APPLIED, NOT_APPLIED)[known]
        # a pause: the state says so; else no impressions today; else gone from a report that lists its plan
        pause = (advice["action"] == "pause").to_numpy(dtype=bool)
        at = np.flatnonzero(pause & (state != None))  # noqa: E711  (an object array: elementwise)
        folded = [str(value).strip().casefold() for value in state[at]]  # only a pause reads the state
        has_state = np.zeros(n, dtype=bool)
        has_state[at] = [value != "" for value in folded]
        paused = np.zeros(n, dtype=bool)
        paused[at] = [value in PAUSED_STATES for value in folded]
        status[has_state] = np.where(paused, APPLIED, NOT_APPLIED)[has_state]
        by_shown = pause & ~has_state & listed & ~np.isnan(shown)
        status[by_shown] = np.where(shown == 0, APPLIED, NOT_APPLIED)[by_shown]
        gone = pause & ~has_state & ~by_shown & ~is_plan & ~np.isnan(plan_shown)
        status[gone] = APPLIED
    return {"bid": bid, "state": state, "shown": shown, "status": status}


# -- did it work? -----------------------------------------------------------------------------------
# Outcomes, in the order the report and `shopdoc history --actions` count them.
WORKED, NO_CHANGE, WORSE, TOO_LITTLE, NOT_DONE = "worked", "no_change", "worse", "too_little", "not_done"
OUTCOMES = (WORKED, NO_CHANGE, WORSE, TOO_LITTLE, NOT_DONE)
HALF = 0.5  # a cut that halved the subject's sales made things worse (issue 14: 成交额掉了一半)


@dataclass(frozen=True)
class Measure:
    """What tells whether a rule's advice worked: the subject's metrics (+1: higher is better), where
    they are read, the field that counts the sample and the rule's own guard on it (per day)."""

    kind: str  # shop_daily | item_daily | dsr
    metrics: tuple[tuple[str, int], ...]
    sample: str | None = None
    guard: str | None = None  # the rule's parameter: the least sample per day that is judged
    min_change: float | None = None  # instead of history.min_change (DSR moves in hundredths)


# Page work: bounce and depth; an item fix: the item's conversion; service work: DSR. The bid and
# creative advice of the ad rules is judged per change (`judge_changes`). A rule not listed has no
# outcome measured: its to-dos are counted as done or not, never as worked.
MEASURES: dict[str, Measure] = {
    "page.bounce_rate": Measure("shop_daily", (("bounce_rate", -1), ("pages_per_visitor", 1)), "visitors", "min_visitors"),
    "page.visit_depth": Measure("shop_daily", (("bounce_rate", -1), ("pages_per_visitor", 1)), "visitors", "min_visitors"),
    "item.conversion_drop": Measure("item_daily", (("conversion_rate", 1),), "visitors", "min_visitors"),
    "conversion.below_peer": Measure("shop_daily", (("conversion_rate", 1),), "visitors", "min_visitors"),
    "reviews.dsr_drop": Measure("dsr", (("description", 1), ("service", 1), ("logistics", 1)), min_change=0.01),
    "reviews.negative_top_items": Measure("dsr", (("description", 1), ("service", 1), ("logistics", 1)),
                                          min_change=0.01),
}


def measure(dataset: "Dataset", rule: str, subject: str, start: str, end: str) -> dict[str, Any] | None:
    """The subject's metrics of `rule` over the days start..end (each day's value weighted by its
    sample), with `sample` (per day) and `days`; None when the exports hold none of those days."""
    import pandas as pd

    spec = MEASURES.get(rule)
    if spec is None:
        return None
    frame = dataset.frame(spec.kind)
    if frame is None or "date" not in frame.columns:
        return None
    rows = frame[(frame["date"] >= start) & (frame["date"] <= end)]
    if spec.kind == "item_daily":
        if not subject.startswith("item:") or "item_id" not in rows.columns:
            return None
        rows = rows[rows["item_id"].astype(str) == subject[5:]]
    rows = rows.drop_duplicates("date", keep="last") if spec.kind != "item_daily" else rows.drop_duplicates(
        ["date", "item_id"], keep="last")
    if rows.empty:
        return None
    weight = pd.to_numeric(rows[spec.sample], errors="coerce") if spec.sample and spec.sample in rows.columns else None
    out: dict[str, Any] = {"days": int(rows["date"].nunique())}
    for name, _ in spec.metrics:
        values = pd.to_numeric(rows[name], errors="coerce") if name in rows.columns else None
        derived = {"pages_per_visitor": "pageviews", "conversion_rate": "buyers"}.get(name)
        if (values is None or values.isna().all()) and derived and {derived, "visitors"} <= set(rows.columns):
            visitors = pd.to_numeric(rows["visitors"], errors="coerce")
            values = pd.to_numeric(rows[derived], errors="coerce") / visitors.where(visitors > 0)
        if values is None or values.isna().all():
            continue
        if weight is not None and (weight[values.notna()] > 0).any():
            w = weight.where(values.notna() & (weight > 0))
            out[name] = round(float((values * w).sum() / w.sum()), 6)
        else:
            out[name] = round(float(values.mean()), 6)
    if weight is not None and weight.notna().any():
        out["sample"] = round(float(weight.sum()) / out["days"], 2)
    return out if len(out) > 1 + ("sample" in out) else None


def judge(rule: str, before: dict[str, Any] | None, after: dict[str, Any] | None, guard: float | None,
          min_change: float) -> str:
    """worked / no_change / worse / too_little for a to-do done: each metric's move the good way
    (relative to before) against `min_change`; too little when either side is missing or its
    sample per day is under the rule's guard."""
    spec = MEASURES[rule]
    if not before or not after:
        return TOO_LITTLE
    if guard is not None and spec.sample and (
            (before.get("sample") or 0) < guard or (after.get("sample") or 0) < guard):
        return TOO_LITTLE
    tolerance = spec.min_change if spec.min_change is not None else min_change
    better = worse = False
    compared = False
    for name, sign in spec.metrics:
        old, new = before.get(name), after.get(name)
        if old is None or new is None or not old:
            continue
        compared = True
        move = sign * (new - old) / abs(old)
        better |= move >= tolerance - 1e-12
        worse |= move <= -tolerance + 1e-12
    if not compared:
        return TOO_LITTLE
    if better and not worse:
        return WORKED
    if worse and not better:
        return WORSE
    return NO_CHANGE


def judge_changes(due: "pd.DataFrame", after: "pd.DataFrame", guards: dict[str, dict[str, float]],
                  min_change: float) -> "pd.DataFrame":
    """Outcomes of the ad advice in `due` (one row per change, with its status and its numbers
    before: impressions, clicks, cost, gmv over `days`) from `after` (the ad view's subjects today:
    subject, impressions, clicks, cost, gmv, days). Per change: ROI and cost for a bid or budget,
    cost for a pause, CTR for a new creative; the advising rule's guard (`guards[rule]`: min_clicks,
    min_cost, min_impressions) on the window after. Returns outcome and the after numbers (per day).

    - raise: worked when sales per day rose by min_change and ROI did not fall by it; worse when ROI
      fell by min_change without sales rising by it;
    - cut (a lower bid or budget): worse when sales per day fell by half or more (or ROI fell by
      min_change); worked when ROI rose by min_change;
    - pause: worked when cost per day fell by min_change (or the subject is gone), else no change;
    - creative: CTR up by min_change worked, down by it worse;
    - not applied (and not marked done): not_done.
    """
    import numpy as np
    import pandas as pd

    due = due.reset_index(drop=True)
    n = len(due)
    table = after.set_index("subject") if len(after) else None  # one row per subject (the ad view's)
    found = pd.Index(table.index).get_indexer(due["subject"].astype("object")) if table is not None else None

    def column(name: str) -> np.ndarray:
        if table is None or name not in table.columns:
            return np.full(n, np.nan)
        values = table[name].to_numpy(dtype="float64")
        return np.where(found >= 0, values[np.maximum(found, 0)], np.nan) if len(values) else np.full(n, np.nan)

    def before(name: str) -> np.ndarray:
        return pd.to_numeric(due[name], errors="coerce").to_numpy(dtype="float64") if name in due.columns \
            else np.full(n, np.nan)

    days_b = np.maximum(np.nan_to_num(before("days"), nan=1.0), 1.0)
    days_a = np.maximum(np.nan_to_num(column("days"), nan=1.0), 1.0)
    imp_a, clk_a, cost_a, gmv_a = column("impressions"), column("clicks"), column("cost"), column("gmv")
    present = ~np.isnan(imp_a)
    imp_b, clk_b, cost_b, gmv_b = before("impressions"), before("clicks"), before("cost"), before("gmv")
    with np.errstate(invalid="ignore", divide="ignore"):
        roi_b, roi_a = gmv_b / np.where(cost_b > 0, cost_b, np.nan), gmv_a / np.where(cost_a > 0, cost_a, np.nan)
        ctr_b, ctr_a = clk_b / np.where(imp_b > 0, imp_b, np.nan), clk_a / np.where(imp_a > 0, imp_a, np.nan)
        sales_b, sales_a = gmv_b / days_b, np.nan_to_num(gmv_a, nan=0.0) / days_a
        spend_b, spend_a = cost_b / days_b, np.nan_to_num(cost_a, nan=0.0) / days_a
        roi_move = (roi_a - roi_b) / np.abs(roi_b)
        sales_move = (sales_a - sales_b) / np.abs(sales_b)
        spend_move = (spend_a - spend_b) / np.abs(spend_b)
        ctr_move = (ctr_a - ctr_b) / np.abs(ctr_b)
    tol = min_change - 1e-12
    rule_codes, rules = distinct(due["rule"])
    action = due["action"].astype("object").to_numpy()
    msg_codes, msgs = distinct(due["msg"])
    raise_ = np.array([str(m).startswith("raise") for m in msgs] + [False], dtype=bool)[msg_codes]

    def guard(name: str) -> np.ndarray:  # per distinct rule; code -1 (no rule) takes the last: none
        return np.array([float((guards.get(rule) or {}).get(name) or 0.0) for rule in rules] + [0.0])[rule_codes]

    enough = present & (np.nan_to_num(clk_a) >= guard("min_clicks")) & (np.nan_to_num(cost_a) >= guard("min_cost"))
    shown_enough = present & (np.nan_to_num(imp_a) >= guard("min_impressions"))
    outcome = np.full(n, TOO_LITTLE, dtype=object)
    with np.errstate(invalid="ignore"):
        sized = np.isin(action, ("bid", "budget", "target"))
        up = sized & raise_
        up_worse = (roi_move <= -tol) & ~(sales_move >= tol)
        up_worked = (sales_move >= tol) & ~(roi_move <= -tol)
        down = sized & ~raise_
        down_worse = (sales_move <= -HALF + 1e-12) | (roi_move <= -tol)
        down_worked = ~down_worse & (roi_move >= tol)
        pick = up & enough
        outcome[pick] = np.where(up_worse, WORSE, np.where(up_worked, WORKED, NO_CHANGE))[pick]
        # a cut's sales may have fallen under the guard: that fall is itself the answer
        pick = down & (enough | (present & (sales_move <= -HALF + 1e-12) & (np.nan_to_num(clk_b) >= guard("min_clicks"))))
        outcome[pick] = np.where(down_worse, WORSE, np.where(down_worked, WORKED, NO_CHANGE))[pick]
        pause = action == "pause"
        saved = ~present | (spend_move <= -tol) | (spend_b == 0) & (spend_a == 0)
        outcome[pause] = np.where(saved, WORKED, NO_CHANGE)[pause]
        creative = action == "creative"
        pick = creative & shown_enough
        outcome[pick] = np.where(ctr_move >= tol, WORKED, np.where(ctr_move <= -tol, WORSE, NO_CHANGE))[pick]
    done = due["status"].astype("object").to_numpy() == APPLIED
    outcome[~done] = NOT_DONE

    def plain(values: np.ndarray, digits: int) -> np.ndarray:  # NaN: not known
        return np.round(values, digits)

    return pd.DataFrame({"outcome": outcome, "after_cost": plain(np.where(present, spend_a, np.nan), 2),
                         "after_gmv": plain(np.where(present, sales_a, np.nan), 2),
                         "after_roi": plain(roi_a, 4), "after_clicks": plain(clk_a, 0),
                         "lost": plain(np.where(present | (sales_b > 0), sales_b - sales_a, np.nan), 2)})
