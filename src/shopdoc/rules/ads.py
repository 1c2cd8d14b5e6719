"""Paid ads (直通车, 万相台, Google Ads, Amazon SP...): CTR-based bids, zero-click keywords, ROI break-even.

Sources: `002_be6fac7e793a1a64.txt` (推广：推广的核心是点击率), `000_f9526efcfbbf2f39.txt` (五、推廣),
`003_01bac92a2fb6a989.txt` (an operator's day: 付费推广分析, and 店铺页面检查 — fix the page first).

Every ad rule judges a window of days ending on the report day, on two levels of subjects:
`campaign:<name>` (from campaign rows, else from the campaign's keyword rows summed) and
`keyword:<campaign>/<keyword>`. Rates are recomputed from the summed counts (clicks ÷ impressions,
gmv ÷ cost), never averaged from per-day rates, and no sum ever adds two currencies together.

The judging is one vectorised pass shared by the three rules (`judge`: a table in, a verdict column
out, testable without the engine), so a subject has one verdict across rules and levels: zero clicks
first, then ROI against break-even, then CTR; a plan and its own keywords are never both cut for the
same spend (`LEVEL_SHARE`). Each rule then emits its verdicts in bulk, one `ctx.emit` per message
and level; the diagnosis groups them per plan, or into one to-do for the account.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shopdoc.params import count, fraction, positive, text_list
from shopdoc.rules import rule

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from shopdoc.engine import RuleContext

ORDER = 70

_SUMS = ("impressions", "clicks", "cost", "gmv", "orders")
_KEYWORD_KEYS = ["campaign", "ad_group", "keyword", "match_type"]
# Totals and subtotal rows; the importer drops them, this is the guard should one slip through.
_TOTALS = r"^\s*(合计|总计|汇总|total|gesamt)\s*([:：].*)?$"
_TOTALS_FIRST = frozenset("合总汇tTgG")  # the first letters of _TOTALS' words, either case
_PAGE_RULES = ("page.bounce_rate", "page.visit_depth")

# -- shared parameters (same defaults on every ad rule that uses them) -----------------------------
_WINDOW = count(
    "window_days", 7,
    "按最近几天的数据判断（截至报告日，含报告日）；导出没有日期的行算在窗口内",
    "Judge the last this many days up to and including the report day; undated rows count as inside",
)
_LOWER_STEP = fraction(
    "lower_step", 0.10, "每次降价的最大幅度（0.10 = 降 10%）", "Largest bid cut in one go (0.10 = -10%)",
)
_MIN_BID = positive(
    "min_bid", 0.10, "降价不低于这个出价（按账户币种）", "Never suggest a bid below this (in the account's currency)",
)
_LIST_HOLDS = count(
    "list_holds", 20,
    "数据不够、先观察的计划/词最多逐条列出这么多个（展现多的在前），其余合并成一条",
    "List at most this many held (not enough data) subjects one by one, most impressions first; the rest as one count",
)


# -- reading the ad report -------------------------------------------------------------------------
@dataclass
class AdView:
    """The window's ad numbers per subject, one frame per level, plus the account's CTR per currency."""

    campaigns: "pd.DataFrame"
    keywords: "pd.DataFrame"
    has_sales: bool

    def levels(self) -> list[tuple[str, "pd.DataFrame"]]:
        return [(name, frame) for name, frame in (("campaign", self.campaigns), ("keyword", self.keywords))
                if not frame.empty]


def ad_view(ctx: "RuleContext", window_days: int) -> AdView | None:
    """The window's subjects, computed once per run and window (the three ad rules share it)."""
    key = ("ads.view", ctx.date, window_days)
    if key not in ctx.state.cache:
        ctx.state.cache[key] = build_view(ctx.dataset, ctx.date, window_days)
    return ctx.state.cache[key]


def build_view(dataset: Any, date: str | None, window_days: int) -> AdView | None:
    """Aggregate `ad_report` over the window into campaign and keyword subjects (vectorised)."""
    import numpy as np

    frame = dataset.frame("ad_report")
    if frame is None:
        return None
    rows = _window(_without_flagged(frame, dataset), date, window_days)
    data, labels = _normalise(rows) if not rows.empty else (rows, {})
    if data.empty:
        return AdView(_empty(), _empty(), False)
    keyword_rows = data[data["level"] == 1]
    campaign_rows = data[data["level"] == 0]
    from_keywords = _uncovered(keyword_rows[keyword_rows["campaign"] >= 0], campaign_rows, len(labels["day"]))
    campaign_data = campaign_rows if from_keywords.empty else _concat(campaign_rows, from_keywords.assign(bid=np.nan))
    # Money at stake is per day, like every other rule's: a subject's window totals are divided by the
    # days they cover — the dated days of the window, or the span of a subject's own rows when a row
    # stands for more days than that (a 7-day report, a range in the file name).
    days = max(len(labels["day"]), 1)  # the distinct dates (labels keep one per raw value, blank ones too)
    return AdView(
        campaigns=_with_days(_aggregate(campaign_data, ["campaign"], "campaign", labels), campaign_data,
                             ["campaign"], days),
        keywords=_with_days(_aggregate(keyword_rows, _KEYWORD_KEYS, "keyword", labels), keyword_rows,
                            _KEYWORD_KEYS, days),
        has_sales=bool(data["gmv"].notna().any()),
    )


def _with_days(out: "pd.DataFrame", data: "pd.DataFrame", keys: list[str], days: int) -> "pd.DataFrame":
    """`days` per subject: the window's dated days, or more when the subject's rows span more."""
    import numpy as np

    if out.empty or data.empty or "span" not in data.columns:
        return out.assign(days=days)
    if len(out) == len(data):  # a subject per row, in row order (`_aggregate`)
        span = data["span"].to_numpy()
    else:
        span = data.groupby(keys, sort=False)["span"].max().to_numpy()
    return out.assign(days=np.maximum(span, days))


def _concat(*frames: "pd.DataFrame") -> "pd.DataFrame":
    import pandas as pd

    return pd.concat([frame for frame in frames if not frame.empty])


_JUDGED_FIELDS = {*_SUMS, "ctr", "cpc", "roi", "bid", "date", "end_date", "currency"}


def _without_flagged(frame: "pd.DataFrame", dataset: Any) -> "pd.DataFrame":
    """Leave out rows the importer warned about in a field these rules read (clicks above
    impressions...): the rest of such a row would mislead. Warnings on other columns do not count."""
    import pandas as pd

    flagged = {
        (item.path, warning.row)
        for item in dataset.inputs if item.kind == "ad_report"
        for warning in item.warnings
        if warning.row is not None
        and (warning.column is None or item.columns.get(warning.column, warning.column) in _JUDGED_FIELDS)
    }
    if not flagged or "_file" not in frame.columns or "_row" not in frame.columns:
        return frame
    rows = pd.MultiIndex.from_arrays([frame["_file"].astype("str"), pd.to_numeric(frame["_row"], errors="coerce")])
    return frame[~rows.isin(list(flagged))]


def _window(frame: "pd.DataFrame", date: str | None, window_days: int) -> "pd.DataFrame":
    """Rows whose period touches [report day - window + 1, report day]. Undated rows count as inside."""
    if not date or "date" not in frame.columns:
        return frame
    start = (dt.date.fromisoformat(date) - dt.timedelta(days=max(window_days, 1) - 1)).isoformat()
    first = frame["date"]
    # Summary reports (Amazon: Start Date .. End Date) count when their period reaches into the window.
    last = frame["end_date"].fillna(first) if "end_date" in frame.columns else first
    keep = first.isna() | ((first <= date) & (last >= start))
    return frame[keep]


def _codes(rows: "pd.DataFrame", name: str, *, sort: bool = False,
           clean: Any = None) -> tuple["np.ndarray", "np.ndarray"]:
    """A text column as integer codes and its distinct values; -1 where missing or blank.

    Text columns repeat a handful of names over 100,000 rows: every string operation runs once per
    distinct value, and grouping runs on the integer codes.
    """
    import numpy as np
    import pandas as pd

    if name not in rows.columns:
        return np.full(len(rows), -1, dtype=np.int64), np.array([], dtype=object)
    column = rows[name]
    if isinstance(column.dtype, pd.StringDtype):  # factorized as it is: no object copy of 100,000 cells first
        codes, uniques = pd.factorize(column, sort=sort)
        uniques = uniques.tolist()
    else:
        codes, uniques = pd.factorize(column.to_numpy(dtype=object, na_value=None), sort=sort)
    if clean:
        uniques = np.array([clean(str(v)) for v in uniques], dtype=object)
    else:
        uniques = np.array([v.strip() if type(v) is str else str(v).strip() for v in uniques], dtype=object)
    blank = np.flatnonzero(uniques == "")
    if blank.size:
        codes = np.where(np.isin(codes, blank), -1, codes)
    return codes.astype(np.int64), uniques


def _number(rows: "pd.DataFrame", name: str) -> "pd.Series":
    import pandas as pd

    if name not in rows.columns:
        return pd.Series(float("nan"), index=rows.index, dtype="float64")
    return pd.to_numeric(rows[name], errors="coerce").astype("float64")


def _normalise(rows: "pd.DataFrame") -> tuple["pd.DataFrame", dict[str, "np.ndarray"]]:
    """Integer-coded keys, level and day, plus the counts with gaps derived; and the code labels."""
    import numpy as np
    import pandas as pd

    names = {"campaign": "campaign", "ad_group": "ad_group", "keyword": "keyword", "match_type": "match_type"}
    codes, labels = {}, {}
    for key, column in names.items():
        codes[key], labels[key] = _codes(rows, column)
    # A plan without a name is known by its id or scene (京准通 keyword rows carry only 营销场景);
    # a search-term row without a targeting keyword by its search term.
    for key, fallbacks in (("campaign", ("campaign_id", "scene")), ("keyword", ("search_term",))):
        for fallback in fallbacks:
            missing = codes[key] == -1
            if missing.any():
                other, other_labels = _codes(rows, fallback)
                offset = len(labels[key])
                codes[key] = np.where(missing & (other >= 0), other + offset, codes[key])
                labels[key] = np.concatenate([labels[key], other_labels])
    codes["currency"], labels["currency"] = _codes(rows, "currency", clean=lambda value: value.strip().upper())
    # Carried, never grouped on: the plan type (全站推 plans are steered by target ROI), the item, and
    # the platform the file came from (its account's CTR is its own: Google Ads and Amazon are both USD).
    for key in ("scene", "item_id", "platform"):
        codes[key], labels[key] = _codes(rows, key)
    day, days = _codes(rows, "date", sort=True)
    codes["day"] = np.where(day < 0, len(days), day)  # undated rows: the report day, after every date
    labels["day"] = days
    # level: 0 campaign, 1 keyword; rows whose file did not say are keyword rows when they name one.
    level, levels = _codes(rows, "level")
    known = np.array([{"campaign": 0, "keyword": 1}.get(value, -1) for value in levels] + [-1])[level]
    codes["level"] = np.where(known >= 0, known, (codes["keyword"] >= 0).astype(np.int64))

    data = pd.DataFrame(codes, index=rows.index)
    data["bid"] = _number(rows, "bid")
    impressions, clicks, ctr = _number(rows, "impressions"), _number(rows, "clicks"), _number(rows, "ctr")
    cost, cpc = _number(rows, "cost"), _number(rows, "cpc")
    gmv, roi = _number(rows, "gmv"), _number(rows, "roi")
    # Fill a missing count from the rate the export gave, so the window's rate comes from sums.
    impressions = impressions.fillna(clicks / ctr.where(ctr > 0))
    clicks = clicks.fillna((impressions * ctr).round())
    # A row missing one of the pair says nothing about CTR: keep it out of both sums.
    counted = impressions.notna() & clicks.notna()
    data["impressions"] = impressions.where(counted)
    data["clicks"] = clicks.where(counted)
    cost = cost.fillna(cpc * data["clicks"])
    gmv = gmv.fillna(roi * cost)
    # Within a file that reports spend and sales, "-" (blank) means none: a keyword that sold nothing.
    # (The files are told apart only when some cost or sales are blank: hashing 100,000 paths costs.)
    source = _codes(rows, "_file")[0] if cost.isna().any() or gmv.isna().any() else None
    data["cost"] = cost if source is None else cost.where(cost.notna() | ~_reported(cost, source), 0.0)
    data["gmv"] = gmv if source is None else gmv.where(gmv.notna() | ~_reported(gmv, source) | data["cost"].isna(), 0.0)
    data["orders"] = _number(rows, "orders")
    # The days a row stands for: a report of the last 7 days dated by its description line is one row
    # per subject over 7 days (its `window_days`), a daily report one day per row.
    data["span"] = _number(rows, "window_days").fillna(1.0).clip(lower=1.0)

    pattern = re.compile(_TOTALS, re.I)
    totals = np.zeros(len(data), dtype=bool)
    for key in ("campaign", "ad_group", "keyword"):
        # Only a label starting (after blanks) like one of the words can match: the rest skip the regex.
        is_total = np.array([v.lstrip()[:1] in _TOTALS_FIRST and bool(pattern.match(v)) for v in labels[key]]
                            + [False], dtype=bool)
        totals |= is_total[codes[key]]
    # A plan row without a plan, or a keyword row without a keyword, is a totals row whose label
    # sat in another column (直通车 puts 合计 under 日期): never a subject, never in the account's sums.
    nameless = ((codes["level"] == 0) & (codes["campaign"] == -1)) | ((codes["level"] == 1) & (codes["keyword"] == -1))
    data = data[~totals & ~nameless]
    # Latest day last (undated after them), so `last()` per keyword is its current bid.
    return data.iloc[np.argsort(data["day"].to_numpy(), kind="stable")], labels


def _reported(values: "pd.Series", source: "np.ndarray") -> "np.ndarray":
    """Whether each row's file has this column filled anywhere."""
    import numpy as np

    filled = np.bincount(source + 1, weights=values.notna().to_numpy(), minlength=source.max() + 2) > 0
    return filled[source + 1]


def _uncovered(keyword_rows: "pd.DataFrame", campaign_rows: "pd.DataFrame", undated: int) -> "pd.DataFrame":
    """Keyword rows of campaign-days that no campaign row covers (a keyword-only source).

    A campaign report and a keyword report of the same plan and day must not be added together;
    an undated row (day code `undated`) on either side covers the whole window.
    """
    import numpy as np

    if keyword_rows.empty or campaign_rows.empty:
        return keyword_rows
    width = undated + 1
    plan, day = keyword_rows["campaign"].to_numpy(), keyword_rows["day"].to_numpy()
    plans = campaign_rows["campaign"].to_numpy()
    covered = plans * width + campaign_rows["day"].to_numpy()
    plans_undated = plans[campaign_rows["day"].to_numpy() == undated]
    drop = (np.isin(plan * width + day, covered) | np.isin(plan, plans_undated)
            | ((day == undated) & np.isin(plan, plans)))
    return keyword_rows[~drop]


def _empty() -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame(columns=["level", "subject", *_KEYWORD_KEYS, "currency", "platform", "scene", "item_id", "mixed",
                                 *_SUMS,
                                 "bid", "ctr", "roi", "account_ctr", "account_clicks", "days"])


def _label(codes: "pd.Series", labels: "np.ndarray") -> "np.ndarray":
    import numpy as np

    return np.append(labels, "")[codes.to_numpy()]  # code -1 picks the appended ""


def _aggregate(data: "pd.DataFrame", keys: list[str], level: str, labels: dict[str, "np.ndarray"]) -> "pd.DataFrame":
    """Sum the window per subject; derive CTR and ROI from the sums; mark mixed currencies."""
    import numpy as np
    import pandas as pd

    if data.empty:
        return _empty()
    if _one_row_each(data, keys):
        # A one-day report has a row per keyword: each row is its subject as it stands (what the
        # grouping below gives for one row), without grouping 100,000 rows into 100,000 groups.
        out = data[[*keys, *_SUMS, "bid", "scene", "platform", "item_id"]].reset_index(drop=True)
        out["mixed"] = False
        out["currency"] = data["currency"].to_numpy()
    else:
        data = data.assign(**{name: data[name].where(data[name] >= 0).astype("float64")
                              for name in ("currency", "scene", "item_id", "platform")})
        grouped = data.groupby(keys, sort=False)
        out = grouped[list(_SUMS)].sum(min_count=1)
        out["bid"] = grouped["bid"].last()
        out["scene"] = grouped["scene"].last().fillna(-1).astype(np.int64)
        out["platform"] = grouped["platform"].first().fillna(-1).astype(np.int64)
        items = grouped["item_id"].agg(["nunique", "first"])
        # A subject linked to one item names it; one that spreads over several names none.
        out["item_id"] = items["first"].where(items["nunique"] == 1).fillna(-1).astype(np.int64)
        currencies = grouped["currency"].agg(["nunique", "first"])
        out["mixed"] = currencies["nunique"] > 1
        out["currency"] = currencies["first"].fillna(-1).astype(np.int64)
        out = out.reset_index()
    currency_codes = out["currency"].to_numpy()
    platform_codes = out["platform"].to_numpy()
    texts = {}  # the key labels as object arrays: the subjects are made from them, not from the columns
    for name in [*_KEYWORD_KEYS, "currency", "scene", "item_id", "platform"]:
        if name in out.columns:
            texts[name] = _label(out[name], labels[name])
        out[name] = texts.get(name, "")
    out["level"] = level
    out["impressions"] = out["impressions"].fillna(0.0)
    out["clicks"] = out["clicks"].fillna(0.0)
    out["ctr"] = out["clicks"] / out["impressions"].where(out["impressions"] > 0)
    out["roi"] = out["gmv"] / out["cost"].where(out["cost"] > 0)
    out["subject"] = _subjects(texts, level)
    # The account per platform and currency label (two codes may clean to one label), summed on
    # integer keys: a Google Ads and an Amazon account in USD each have their own CTR.
    same, _ = pd.factorize(np.append(labels["currency"], ""))  # code -1 is the label ""
    platform, _ = pd.factorize(np.append(labels["platform"], ""))
    key = same[currency_codes] * (int(platform.max()) + 1) + platform[platform_codes]
    clean = ~out["mixed"].to_numpy(dtype=bool)
    totals = out[["clicks", "impressions"]][clean].groupby(key[clean]).sum()
    account = totals["clicks"] / totals["impressions"].where(totals["impressions"] > 0)
    out["account_ctr"] = pd.Series(account.reindex(key).to_numpy(), index=out.index).where(clean)
    out["account_clicks"] = pd.Series(totals["clicks"].reindex(key).to_numpy(), index=out.index).where(clean)
    return out


def _one_row_each(data: "pd.DataFrame", keys: list[str]) -> bool:
    """Whether no two rows share the integer-coded `keys` (each row is a subject of its own)."""
    import numpy as np
    import pandas as pd

    combined = np.zeros(len(data), dtype=np.int64)
    for name in keys:
        codes = data[name].to_numpy(dtype=np.int64)  # -1 (missing) and up: shifted to 0 and up
        combined, _ = pd.factorize(combined * (int(codes.max(initial=0)) + 2) + codes + 1)
    return int(combined.max(initial=-1)) + 1 == len(data)


def _subjects(out: Any, level: str) -> list[str]:
    """`campaign:<name>` / `keyword:<campaign>/<keyword>`, with the ad group and match type only when needed.

    `out` maps the key names to their labels per subject (a frame, or object arrays). Built as
    Python strings (a string dtype's concatenation costs several passes per `+`); a clash is looked
    for only when the plain subjects are not all distinct.
    """
    import numpy as np
    import pandas as pd

    campaign = np.asarray(out["campaign"], dtype=object).tolist()
    if level == "campaign":
        return ["campaign:" + name for name in campaign]
    keyword = np.asarray(out["keyword"], dtype=object).tolist()
    subject = ["keyword:" + plan + "/" + word for plan, word in zip(campaign, keyword)]
    if len(set(subject)) == len(subject):
        return subject
    subject = np.array(subject, dtype=object)
    clash = pd.Series(subject, dtype=object).duplicated(keep=False).to_numpy()
    group = np.asarray(out["ad_group"], dtype=object)
    for i in np.flatnonzero(clash):
        subject[i] = "keyword:" + campaign[i] + "/" + group[i] + "/" + keyword[i]
    clash = pd.Series(subject, dtype=object).duplicated(keep=False).to_numpy()
    match = np.asarray(out["match_type"], dtype=object)
    for i in np.flatnonzero(clash):
        subject[i] = subject[i] + " [" + match[i] + "]"
    return subject.tolist()


# -- judging: one verdict per subject, across the three rules and both levels ---------------------
# Plans steered by a target ROI (淘宝/天猫 全站推广, 万相台 货品全站推): the platform bids for them, so a
# bid cut does not apply; the levers are the target ROI and the budget. Matched in the plan's name
# and in its type (场景名字 / 营销场景 / Campaign type).
TARGET_ROI_PLANS = ("全站推", "货品全站推", "万相台")

# Ours, not the documents': when a plan and its own keywords are both cut, the keywords carry the
# cut when they hold at least this share of the plan's loss; else the plan does.
LEVEL_SHARE = 0.5

# verdict -> (rule, direction, severity (None: the rule's own), owner (None: the rule's own))
VERDICTS: dict[str, tuple[str, str, str | None, str | None]] = {
    "zero": ("ads.zero_click", "pause", None, None),
    "pause": ("ads.roi_breakeven", "pause", "critical", None),
    "pause_plan": ("ads.roi_breakeven", "pause", "critical", None),
    "pause_floor": ("ads.roi_breakeven", "pause", None, None),
    "cut_bid": ("ads.roi_breakeven", "lower", None, None),
    "cut_nobid": ("ads.roi_breakeven", "lower", None, None),
    "cut_budget": ("ads.roi_breakeven", "lower", None, None),
    "cut_target": ("ads.roi_breakeven", "lower", None, None),
    # above break-even on the gross ROI, under it once refunds are taken off
    "refund_bid": ("ads.roi_breakeven", "lower", None, None),
    "refund_nobid": ("ads.roi_breakeven", "lower", None, None),
    "refund_budget": ("ads.roi_breakeven", "lower", None, None),
    "refund_target": ("ads.roi_breakeven", "lower", None, None),
    "lower_bid": ("ads.ctr_bid", "lower", None, None),
    "lower_floor": ("ads.ctr_bid", "lower", None, None),
    "lower_nobid": ("ads.ctr_bid", "lower", None, None),
    "lower_budget": ("ads.ctr_bid", "lower", None, None),
    "lower_target": ("ads.ctr_bid", "lower", None, None),
    "raise_bid": ("ads.ctr_bid", "raise", None, None),
    "raise_nobid": ("ads.ctr_bid", "raise", None, None),
    "raise_budget": ("ads.ctr_bid", "raise", None, None),
    "raise_target": ("ads.ctr_bid", "raise", None, None),
    "raise_held": ("ads.ctr_bid", "raise", "info", None),
    "raise_held_plan": ("ads.ctr_bid", "raise", "info", None),
    "creative": ("ads.ctr_bid", "creative", None, "design"),
    "creative_keyword": ("ads.ctr_bid", "creative", "info", "design"),
}
CUTS = frozenset(v for v, (_, direction, _, _) in VERDICTS.items() if direction in ("lower", "pause"))


@dataclass(frozen=True)
class Judging:
    """What the verdicts depend on besides the numbers: the margin and each rule's settings
    (None when the rule is switched off). Built from a Config, so it is testable without the engine."""

    margin: float | None
    provisional: bool  # the margin is the default the user never set: cuts on it are provisional
    ctr: dict[str, Any] | None
    roi: dict[str, Any] | None
    zero: dict[str, Any] | None
    pages_failing: bool = False  # page.bounce_rate / page.visit_depth critical: raises wait
    test: dict[str, Any] | None = None  # ads.test_plan: its plans are judged by it, not by ROI or CTR

    @property
    def break_even(self) -> float | None:
        return 1 / self.margin if self.margin else None

    @classmethod
    def from_config(cls, config: Any, *, pages_failing: bool = False) -> "Judging":
        def settings(rule_id: str) -> dict[str, Any] | None:
            return config.rule_settings(rule_id) if config.rule_enabled(rule_id) else None

        margin = config.get("shop", "gross_margin")
        return cls(margin=margin, provisional=_margin_assumed(config), ctr=settings("ads.ctr_bid"),
                   roi=settings("ads.roi_breakeven"), zero=settings("ads.zero_click"), pages_failing=pages_failing,
                   test=settings("ads.test_plan"))


def _margin_assumed(config: Any) -> bool:
    """Whether shop.gross_margin is the built-in default rather than the user's own number."""
    return not config.is_set("shop", "gross_margin")


def judge(campaigns: "pd.DataFrame", keywords: "pd.DataFrame",
          judging: Judging) -> tuple["pd.DataFrame", "pd.DataFrame"]:
    """The verdict per subject for both levels (frames as `_build_view` makes them), vectorised.

    Adds `verdict` ("" = none; see VERDICTS), `rule`, `direction`, `money` (per day), `loss`
    (window), `break_even`, `current_bid`, `suggested_bid`, `change`, `provisional`, `target_roi`
    (plan steered by target ROI), `group`, `name`; why a subject is held (`hold_ctr`, `hold_roi`,
    `hold_zero`: the field short of its minimum) or not raised (`note_ctr`); and `covered_by`
    where the other level carries the cut for the same spend (`cut_share`, `cut_keywords` on plans).
    """
    campaigns = _judge_level(campaigns, "campaign", judging)
    keywords = _judge_level(keywords, "keyword", judging)
    return _one_level_per_loss(campaigns, keywords)


def _target_roi(frame: "pd.DataFrame") -> "np.ndarray":
    return _marked(frame, TARGET_ROI_PLANS)


def test_plans(frame: "pd.DataFrame", markers: Any) -> "np.ndarray":
    """Which rows belong to a test plan (货品加速 / 测款): a marker in the plan's name or type."""
    import numpy as np

    if not len(frame) or not markers:
        return np.zeros(len(frame), dtype=bool)
    return _marked(frame, [str(mark) for mark in markers])


def _marked(frame: "pd.DataFrame", marks: Any) -> "np.ndarray":
    """Rows whose plan's name or type (scene) holds one of `marks`; each distinct name looked at once
    (100,000 keyword rows name a few hundred plans)."""
    import numpy as np
    import pandas as pd

    hit = np.zeros(len(frame), dtype=bool)
    for name in ("campaign", "scene"):
        if name in frame.columns and len(frame):
            codes, names = pd.factorize(frame[name].astype(str))
            # a missing name (code -1) picks the appended False
            hit |= np.array([any(mark in value for mark in marks) for value in names] + [False], dtype=bool)[codes]
    return hit


def _stepped_array(bid: "np.ndarray", step: "np.ndarray", *, floor: float | None = None,
                   ceiling: float | None = None) -> "np.ndarray":
    """`_stepped` for arrays: the bid moved by `step`, to the cent, a half cent toward the current
    bid, at least one cent, kept within floor and ceiling."""
    import numpy as np

    with np.errstate(invalid="ignore"):
        cents = np.round(bid * 100 * (1 + step), 6)  # 1.25 x 1.1 x 100 = 137.50000000000003 -> 137.5
        moved = np.where(step > 0, np.ceil(cents - 0.5), np.floor(cents + 0.5))
        now = np.round(bid * 100, 6)
        moved = np.where((step > 0) & (moved <= now), np.floor(now) + 1, moved)
        moved = np.where((step < 0) & (moved >= now), np.ceil(now) - 1, moved)
        suggested = moved / 100
        if ceiling is not None:
            suggested = np.minimum(suggested, ceiling)
        if floor is not None:
            suggested = np.maximum(suggested, floor)
    return np.round(suggested, 2)


def _judge_level(frame: "pd.DataFrame", level: str, j: Judging) -> "pd.DataFrame":
    import numpy as np
    import pandas as pd

    f = frame.reset_index(drop=True)  # a new frame: its columns are set whole, never the caller's
    n = len(f)

    def col(name: str) -> "np.ndarray":
        return f[name].to_numpy(dtype="float64", na_value=np.nan) if name in f.columns else np.full(n, np.nan)

    impressions, clicks, cost, gmv = col("impressions"), col("clicks"), col("cost"), col("gmv")
    ctr, roi, bid, account = col("ctr"), col("roi"), col("bid"), col("account_ctr")
    # Refunds (item.refund_rate's reading): the sales that stay, and the ROI net of them, decide whether a
    # subject earns; a subject without a refund rate is taken at its gross sales.
    refund = np.clip(np.nan_to_num(col("refund_rate"), nan=0.0), 0.0, 1.0)
    net_roi = roi * (1 - refund)
    days = np.maximum(np.nan_to_num(col("days"), nan=1.0), 1.0)
    ok = ~f["mixed"].to_numpy(dtype=bool) if n else np.zeros(0, dtype=bool)
    # A test plan (and its keywords) is judged over its test window by ads.test_plan: never cut,
    # paused or raised here on its ROI or CTR.
    testing = test_plans(f, j.test["markers"]) if j.test is not None else np.zeros(n, dtype=bool)
    ok = ok & ~testing
    be = j.break_even
    margin = j.margin or 0.0
    steered = _target_roi(f) if level == "campaign" else np.zeros(n, dtype=bool)

    verdict = np.full(n, "", dtype=object)
    suggested, change, money = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    hold_ctr, hold_roi, hold_zero, note_ctr = (np.full(n, "", dtype=object) for _ in range(4))
    loss = cost - gmv * (1 - refund) * margin if be is not None else np.full(n, np.nan)
    roi_known = ~np.isnan(roi) & (cost > 0)
    losing_roi = roi_known & (np.nan_to_num(net_roi) < be) if be is not None else np.zeros(n, dtype=bool)

    judged_ctr, judged_roi, judged_zero = (np.zeros(n, dtype=bool) for _ in range(3))

    def put(mask: "np.ndarray", name: str) -> None:
        verdict[mask & (verdict == "")] = name

    with np.errstate(invalid="ignore", divide="ignore"):
        # ads.zero_click: many impressions, not one click.
        zero_many = np.zeros(n, dtype=bool)
        if j.zero is not None and level == "keyword":
            zero = ok & (clicks == 0) & (impressions > 0)
            zero_many = zero & (impressions >= j.zero["min_impressions"])
            judged_zero = ok & (impressions >= j.zero["min_impressions"])
            hold_zero[zero & ~zero_many] = "impressions"
            put(zero_many, "zero")
            money = np.where(zero_many & (cost > 0), cost / days, money)

        # ads.roi_breakeven: below break-even with enough spend and clicks.
        roi_cut = np.zeros(n, dtype=bool)
        if j.roi is not None and be is not None:
            losing = ok & (cost > 0) & ~np.isnan(gmv) & (np.nan_to_num(net_roi) < be)
            refunded = np.nan_to_num(roi) >= be  # under break-even only once refunds are taken off
            few_cost = losing & (cost < j.roi["min_cost"])
            few_clicks = losing & ~few_cost & (clicks < j.roi["min_clicks"])
            hold_roi[few_cost] = "cost"
            hold_roi[few_clicks] = "clicks"
            roi_cut = losing & ~few_cost & ~few_clicks & (verdict == "")
            judged_roi = (ok & (cost > 0) & ~np.isnan(gmv) & (cost >= j.roi["min_cost"])
                          & (clicks >= j.roi["min_clicks"]))
            ratio = j.roi["critical_ratio"] or 0.0
            critical = roi_cut & (np.nan_to_num(roi) < ratio * be)
            step = j.roi["lower_step"]
            if level == "keyword":
                put(critical, "pause")
                with_bid = roi_cut & ~critical & ~np.isnan(bid)
                cut = _stepped_array(bid, np.full(n, -step), floor=j.roi["min_bid"])
                at_floor = with_bid & (cut >= bid)
                put(at_floor, "pause_floor")
                put(with_bid & ~at_floor & refunded, "refund_bid")
                put(with_bid & ~at_floor, "cut_bid")
                suggested = np.where(with_bid & ~at_floor, cut, suggested)
                change = np.where(with_bid & ~at_floor, (cut - bid) / bid, change)
                put(roi_cut & ~critical & np.isnan(bid) & refunded, "refund_nobid")
                put(roi_cut & ~critical & np.isnan(bid), "cut_nobid")
                change = np.where(roi_cut & ~critical & np.isnan(bid), -step, change)
            else:
                put(critical, "pause_plan")
                put(roi_cut & ~critical & refunded & steered, "refund_target")
                put(roi_cut & ~critical & refunded & ~steered, "refund_budget")
                put(roi_cut & ~critical & steered, "cut_target")
                put(roi_cut & ~critical & ~steered, "cut_budget")
                change = np.where(roi_cut & ~critical, -step, change)
            money = np.where(roi_cut, loss / days, money)

        # ads.ctr_bid: against the account's CTR on the same platform, in the same currency.
        if j.ctr is not None:
            s = j.ctr
            base = ok & (np.nan_to_num(col("account_clicks")) > 0)
            if level == "keyword" and j.zero is not None:
                base &= ~((clicks == 0) & (impressions >= j.zero["min_impressions"]))
            few = base & (impressions < s["min_impressions"])
            hold_ctr[few] = "impressions"
            judged = judged_ctr = base & ~few
            high = judged & (ctr >= account * s["high_ratio"])
            low = judged & ~high & (ctr <= account * s["low_ratio"])
            few_clicks = high & (clicks < s["min_clicks"])
            hold_ctr[few_clicks] = "clicks"
            candidates = high & ~few_clicks
            if be is None:
                note_ctr[candidates] = "no_margin"
                earns = np.zeros(n, dtype=bool)
            else:
                note_ctr[candidates & ~roi_known] = "no_sales"
                note_ctr[candidates & roi_known & (net_roi < be)] = "below_break_even"
                earns = candidates & roi_known & (net_roi >= be)
            lead = ctr / account - 1
            up = np.where(lead > 0, np.minimum(s["raise_step"], lead), s["raise_step"])
            if j.pages_failing:
                held = earns & (verdict == "")
                put(held, "raise_held" if level == "keyword" else "raise_held_plan")
                change = np.where(held, up, change)
            else:
                ceiling = s["max_bid"]
                has_bid = earns & ~np.isnan(bid) & (level == "keyword")
                topped = has_bid & (bid >= ceiling) if ceiling is not None else np.zeros(n, dtype=bool)
                note_ctr[topped] = "ceiling"
                raised = has_bid & ~topped
                new = _stepped_array(bid, up, ceiling=ceiling)
                put(raised, "raise_bid")
                suggested = np.where(raised, new, suggested)
                change = np.where(raised, (new - bid) / bid, change)
                no_bid = earns & ~has_bid
                put(no_bid & steered, "raise_target")
                put(no_bid & ~steered, "raise_budget" if level == "campaign" else "raise_nobid")
                change = np.where(no_bid, up, change)
                money = np.where(raised | no_bid, np.nan_to_num(gmv) * change / days, money)
            # Low CTR: a cut only where the subject also loses money and the ROI rule did not cut it.
            ctr_cut = low & losing_roi & (verdict == "")
            down = np.where(1 - ctr / account > 0, np.minimum(s["lower_step"], 1 - ctr / account), s["lower_step"])
            if level == "keyword":
                with_bid = ctr_cut & ~np.isnan(bid)
                cut = _stepped_array(bid, -down, floor=s["min_bid"])
                at_floor = with_bid & (cut >= bid)
                put(at_floor, "lower_floor")
                put(with_bid & ~at_floor, "lower_bid")
                suggested = np.where(with_bid & ~at_floor, cut, suggested)
                change = np.where(with_bid & ~at_floor, (cut - bid) / bid, change)
                put(ctr_cut & np.isnan(bid), "lower_nobid")
                change = np.where(ctr_cut & np.isnan(bid), -s["lower_step"], change)
            else:
                put(ctr_cut & steered, "lower_target")
                put(ctr_cut & ~steered, "lower_budget")
                change = np.where(ctr_cut, -s["lower_step"], change)
            money = np.where(ctr_cut, loss / days, money)
            # Low CTR on a subject that makes money (or whose ROI is unknown): never cut; new creative, watch.
            put(low & ~losing_roi, "creative" if level == "campaign" else "creative_keyword")

    judged_any = verdict != ""
    for holds in (hold_ctr, hold_roi, hold_zero):
        holds[judged_any] = ""  # a subject with a verdict is not also "watched"
    note_ctr[judged_any] = ""
    codes, kinds = pd.factorize(verdict)  # a handful of verdicts: look each up once
    rules = np.array([VERDICTS[v][0] if v else "" for v in kinds] + [""], dtype=object)[codes] if n else verdict
    directions = np.array([VERDICTS[v][1] if v else "" for v in kinds] + [""], dtype=object)[codes] if n else verdict
    f["verdict"], f["rule"], f["direction"] = verdict, rules, directions
    f["money"] = money
    f["loss"] = np.where(loss > 0, loss, np.nan)  # a loss is a loss: subjects that earn show none
    f["break_even"] = be if be is not None else np.nan
    f["net_roi"] = np.where(refund > 0, net_roi, np.nan)
    f["refund_rate"] = np.where(refund > 0, refund, np.nan)
    f["current_bid"] = bid
    f["suggested_bid"] = np.where(judged_any, suggested, np.nan)
    f["change"] = np.where(judged_any, change, np.nan)
    # A cut or pause on the default margin is provisional (the report says so and puts setting it first).
    f["provisional"] = j.provisional & np.isin(verdict, list(CUTS - {"zero"})) & roi_known
    f["target_roi"] = steered
    f["test_plan"] = testing
    f["hold_ctr"], f["hold_roi"], f["hold_zero"], f["note_ctr"] = hold_ctr, hold_roi, hold_zero, note_ctr
    # a keyword's to-do is its plan's (Python strings: a string dtype's `+` costs several passes)
    f["group"] = [plan if plan != plan else "campaign:" + plan for plan in f["campaign"].astype(str).tolist()] if n else ""
    f["name"] = (f["campaign"] if level == "campaign" else f["keyword"]).astype(str) if n else ""
    f["covered_by"] = ""
    f["judged_ctr"], f["judged_roi"], f["judged_zero"] = judged_ctr, judged_roi, judged_zero
    return f


def _creative_once(campaigns: "pd.DataFrame", keywords: "pd.DataFrame") -> "pd.DataFrame":
    """A plan whose own CTR is low gets the new-creative task; its low-CTR keywords are the same
    story (the plan's images show for all of them), so they get no second one."""
    import pandas as pd

    plans = campaigns[campaigns["verdict"] == "creative"]
    if plans.empty:
        return keywords
    told = pd.MultiIndex.from_arrays([plans["campaign"], plans["currency"]])
    same = (keywords["verdict"] == "creative_keyword").to_numpy() & pd.MultiIndex.from_arrays(
        [keywords["campaign"], keywords["currency"]]).isin(told)
    if not same.any():
        return keywords
    keywords = keywords.copy()
    for name in ("verdict", "rule", "direction"):
        keywords.loc[same, name] = ""
    keywords.loc[same, "provisional"] = False
    keywords.loc[same, "covered_by"] = "campaign"
    return keywords


def _one_level_per_loss(campaigns: "pd.DataFrame", keywords: "pd.DataFrame") -> tuple["pd.DataFrame", "pd.DataFrame"]:
    """A plan and its own keywords are never both cut for the same spend: where both are, the level
    that explains the loss keeps the cut. The plan's cut keywords carrying LEVEL_SHARE or more of the
    plan's loss: the keywords are cut, the plan is not; else the plan is cut and its keywords are not.
    A zero-click keyword that spent nothing shares no spend with its plan and keeps its pause."""
    import numpy as np
    import pandas as pd

    campaigns = campaigns.assign(cut_share=np.nan, cut_keywords=0)
    if campaigns.empty or keywords.empty:
        return campaigns, keywords
    keywords = _creative_once(campaigns, keywords)
    codes, verdicts = pd.factorize(keywords["verdict"])  # a handful of verdicts: each tested once
    cut_verdict = np.array([v in CUTS for v in verdicts] + [False], dtype=bool)[codes]
    zero = np.array([v == "zero" for v in verdicts] + [False], dtype=bool)[codes]
    kw_cut = pd.Series(cut_verdict & (~zero | (keywords["cost"] > 0).to_numpy()), index=keywords.index)
    if not kw_cut.any():
        return campaigns, keywords
    stake = keywords["loss"].fillna(keywords["cost"]).clip(lower=0).where(kw_cut, 0.0)
    keys = [keywords["campaign"], keywords["currency"]]
    per_plan = pd.DataFrame({"stake": stake, "n": kw_cut.astype(int)}).groupby(keys).sum()
    plan_keys = pd.MultiIndex.from_arrays([campaigns["campaign"], campaigns["currency"]])
    found = per_plan.reindex(plan_keys)
    n_cut = found["n"].fillna(0).to_numpy()
    plan_cut = campaigns["verdict"].isin(CUTS).to_numpy() & (n_cut > 0)
    plan_loss = campaigns["loss"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(plan_loss > 0, found["stake"].fillna(0).to_numpy() / plan_loss, np.inf)
    keywords_carry = plan_cut & (share >= LEVEL_SHARE - 1e-9)  # at the line to the cent, the keywords
    plan_carries = plan_cut & ~keywords_carry

    campaigns = campaigns.copy()
    campaigns["cut_share"] = np.where(plan_cut, np.minimum(share, 1.0), np.nan)
    campaigns["cut_keywords"] = np.where(plan_cut, n_cut, 0).astype(int)
    for name in ("verdict", "rule", "direction"):
        campaigns.loc[keywords_carry, name] = ""
    campaigns.loc[keywords_carry, ["money", "suggested_bid", "change"]] = np.nan
    campaigns.loc[keywords_carry, "provisional"] = False
    campaigns.loc[keywords_carry, "covered_by"] = "keywords"

    if not plan_carries.any():  # every cut plan leaves its cut to its keywords: none of them is dropped
        return campaigns, keywords
    carried = pd.MultiIndex.from_arrays([campaigns["campaign"][plan_carries], campaigns["currency"][plan_carries]])
    dropped = kw_cut.to_numpy() & pd.MultiIndex.from_arrays(keys).isin(carried)
    keywords = keywords.copy()
    for name in ("verdict", "rule", "direction"):
        keywords.loc[dropped, name] = ""
    keywords.loc[dropped, ["money", "suggested_bid", "change"]] = np.nan
    keywords.loc[dropped, "provisional"] = False
    keywords.loc[dropped, "covered_by"] = "campaign"
    return campaigns, keywords


# -- shared: the run's verdicts, emitting, holds ---------------------------------------------------
# The evidence of each verdict (the JSON details' columns: kept to what the verdict rests on; the
# break-even is one number per run, a value of the wording). The frame also carries what the bid
# sheet shows beside it (FRAME_ONLY), and the standard columns (subject, money, group, name, item_id,
# currency, provisional).
_ROI_EVIDENCE = ["campaign", "keyword", "impressions", "clicks", "cost", "gmv", "roi", "refund_rate", "net_roi", "loss",
                 "current_bid", "suggested_bid", "change", "direction"]
_CTR_EVIDENCE = ["campaign", "keyword", "impressions", "clicks", "cost", "gmv", "ctr", "account_ctr", "roi", "loss",
                 "current_bid", "suggested_bid", "change", "direction"]
_ZERO_EVIDENCE = ["campaign", "keyword", "impressions", "clicks", "cost", "direction"]
_BIDS = ("current_bid", "suggested_bid", "change", "refund_rate", "net_roi")  # only where some row has one
FRAME_ONLY = ["level", "ad_group", "match_type", "ctr", "roi", "current_bid", "suggested_bid", "change"]


def ad_verdicts(ctx: "RuleContext") -> tuple[AdView, "pd.DataFrame", "pd.DataFrame"] | None:
    """The view and both levels' verdicts for the calling rule's window, judged once per run (the
    three ad rules share them, so a subject has one verdict across rules and levels)."""
    window = ctx.param("window_days")
    view = ad_view(ctx, window)
    if view is None or not view.levels():
        return None
    blockers = _page_blockers(ctx)
    key = ("ads.verdicts", ctx.date, window, bool(blockers))
    if key not in ctx.state.cache:
        judging = Judging.from_config(ctx.config, pages_failing=bool(blockers))
        rates = _refund_rates(ctx, window)
        campaigns, keywords = judge(_with_refunds(view.campaigns, rates), _with_refunds(view.keywords, rates), judging)
        ctx.state.cache[key] = (view, campaigns, keywords)
    return ctx.state.cache[key]


def _refund_rates(ctx: "RuleContext", window: int) -> tuple[dict[str, float], float | None] | None:
    """The refund rates ads are judged net of (item.refund_rate's reading, its window and buyer guard):
    per item id with enough buyers, and the shop's; None when the exports carry no refunds or that
    rule is switched off."""
    if not ctx.config.rule_enabled("item.refund_rate"):
        return None
    from shopdoc.rules._helpers import refund_rates

    settings = ctx.config.rule_settings("item.refund_rate")
    per_item, shop = refund_rates(ctx.dataset, ctx.date, settings["window_days"])
    if shop is None:
        return None
    guard = settings["min_buyers"]
    items = {} if per_item is None else {
        item: rate for item, rate, buyers in zip(per_item["item_id"].tolist(), per_item["rate"].tolist(), per_item["buyers"].tolist())
        if buyers >= guard and rate == rate}
    return items, (shop["rate"] if shop["buyers"] >= guard and shop["rate"] == shop["rate"] else None)


def _with_refunds(frame: "pd.DataFrame", rates: tuple[dict[str, float], float | None] | None) -> "pd.DataFrame":
    """The subjects with `refund_rate`: their item's when the ad names one item that has a rate, else the shop's."""
    import numpy as np

    if rates is None or frame.empty:
        return frame
    items, shop = rates
    default = np.nan if shop is None else shop
    ids = frame["item_id"].astype(str).tolist() if "item_id" in frame.columns else [""] * len(frame)
    return frame.assign(refund_rate=[items.get(item, default) for item in ids])


def _emit_verdicts(ctx: "RuleContext", level: str, frame: "pd.DataFrame", evidence: list[str],
                   **values: Any) -> None:
    """One bulk emit per verdict of this rule at this level."""
    import numpy as np

    base, codes, verdicts = _emit_base(ctx, frame)
    for verdict in sorted(v for v in verdicts if v and VERDICTS[v][0] == ctx.rule.id):
        positions = np.flatnonzero(codes == verdicts.index(verdict))
        _, _, severity, owner = VERDICTS[verdict]
        # What the verdict rests on: a gain has no loss; bids only where the export has them.
        columns = [name for name in evidence if (name != "loss" or verdict in CUTS)
                   and (name not in _BIDS or base[name].iloc[positions].notna().any())]
        _emit(ctx, verdict, _emit_frame(base, positions, columns), evidence=columns, severity=severity,
              owner=owner, level=level, **values)


# Every column an emitted frame may carry (the standard ones, any rule's evidence, FRAME_ONLY).
_EMITTED = list(dict.fromkeys(["subject", "money", "group", "name", "item_id", "provisional", "currency",
                               *_CTR_EVIDENCE, *_ROI_EVIDENCE, *_ZERO_EVIDENCE, *FRAME_ONLY]))


def _emit_base(ctx: "RuleContext", frame: "pd.DataFrame") -> tuple["pd.DataFrame", "np.ndarray", list[str]]:
    """A level's judged frame as emitted frames take it (blank text as missing, money finite or
    missing), and its verdicts as codes: made once per frame, shared by the three rules' emits."""
    import numpy as np
    import pandas as pd

    key = ("ads.emit_base", id(frame))
    cached = ctx.state.cache.get(key)
    if cached is not None and cached[0] is frame:
        return cached[1]
    out = frame[[name for name in _EMITTED if name in frame.columns]].copy()
    for name in ("currency", "item_id", "ad_group", "keyword", "match_type"):
        if name in out.columns:
            out[name] = out[name].where(out[name] != "", None)
    out["money"] = out["money"].astype("float64").where(np.isfinite(out["money"].astype("float64")))
    codes, verdicts = pd.factorize(frame["verdict"])
    result = (out, codes, [str(v) for v in verdicts])
    ctx.state.cache[key] = (frame, result)
    return result


def _emit_frame(base: "pd.DataFrame", positions: "np.ndarray", evidence: list[str]) -> "pd.DataFrame":
    columns = ["subject", "money", "group", "name", "item_id", "provisional", *evidence,
               *[c for c in FRAME_ONLY if c not in evidence]]
    return base.take(positions)[[*columns, "currency"]].reset_index(drop=True)


def _emit(ctx: "RuleContext", msg: str, frame: "pd.DataFrame", *, evidence: list[str], severity: str | None,
          owner: str | None, level: str, **values: Any) -> None:
    ctx.emit(msg, frame, evidence=evidence, severity=severity, owner=owner, level=level, **values)


def _records(frame: "pd.DataFrame") -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values (only for the few rows said one by one)."""
    columns = list(frame.columns)
    return [dict(zip(columns, values)) for values in zip(*(frame[name].tolist() for name in columns))]


def _hold(ctx: "RuleContext", frame: "pd.DataFrame", column: str, level: str) -> None:
    """Hold the subjects short of a minimum (`column` names the field): the first `list_holds` by
    impressions one by one, the rest as one count per field, so a long tail is counted, never dropped."""
    import numpy as np
    import pandas as pd

    codes, fields = pd.factorize(frame[column])  # "" (not held) and the few fields held for
    fields = list(fields)
    if not [name for name in fields if name != ""]:
        return
    needed = {"impressions": ctx.param("min_impressions") if "min_impressions" in ctx.settings else None,
              "clicks": ctx.param("min_clicks") if "min_clicks" in ctx.settings else None,
              "cost": ctx.param("min_cost") if "min_cost" in ctx.settings else None}
    for field in ("impressions", "clicks", "cost"):
        if field not in fields:
            continue
        rows = frame[list(dict.fromkeys(["subject", "impressions", field]))].iloc[
            np.flatnonzero(codes == fields.index(field))]
        top = rows.sort_values("impressions", ascending=False, kind="stable").head(ctx.param("list_holds"))
        for subject, value in zip(top["subject"].tolist(), top[field].tolist()):
            ctx.skip(_not_enough(ctx, field, value, needed[field]), subject=subject)
        rest = len(rows) - len(top)
        if rest > 0:
            noun = ctx.t("个计划" if level == "campaign" else "个关键词", "campaigns" if level == "campaign" else "keywords")
            ctx.skip(ctx.t(f"观察中：另有 {rest:,} {noun}{_FIELD_ZH[field]}不到 {needed[field]:,}，数据不够，暂不判断",
                           f"hold: {rest:,} more {noun} under {needed[field]:,} {_FIELD_EN[field]}: not enough data"))


_FIELD_ZH = {"impressions": "展现", "clicks": "点击", "cost": "花费"}
_FIELD_EN = {"impressions": "impressions", "clicks": "clicks", "cost": "spend"}


def _not_enough(ctx: "RuleContext", field: str, value: float, needed: float) -> str:
    """'hold: not enough data: 120 impressions, needs 500'."""
    if field == "cost":
        return ctx.t(f"观察中：数据不够，花费 {value:,.2f}，至少要 {needed:,}",
                     f"hold: not enough data: spent {value:,.2f}, needs {needed:,}")
    return ctx.t(f"观察中：数据不够，{_FIELD_ZH[field]} {value:,.0f}，至少要 {needed:,}",
                 f"hold: not enough data: {value:,.0f} {field}, needs {needed:,}")


def _skip_mixed(ctx: "RuleContext", frame: "pd.DataFrame") -> None:
    for subject in frame.loc[frame["mixed"].astype(bool), "subject"].head(ctx.param("list_holds")):
        ctx.skip(ctx.t("多个币种混在一起，不判断（分币种导出后再看）",
                       "mixed currencies in the window, not judged (export one currency per file)"), subject=subject)


def _covered(ctx: "RuleContext", campaigns: "pd.DataFrame", keywords: "pd.DataFrame") -> None:
    """Say where a cut went to the other level (one line per plan, never one per keyword)."""
    limit = ctx.param("list_holds")
    plans = campaigns[campaigns["covered_by"] == "keywords"].sort_values("loss", ascending=False).head(limit)
    for row in _records(plans[["subject", "cut_keywords", "cut_share"]]):
        ctx.skip(ctx.t(f"计划的亏损主要在 {row['cut_keywords']} 个关键词上（占 {row['cut_share']:.0%}），按关键词处理，计划本身不动",
                       f"{row['cut_keywords']} of its keywords carry {row['cut_share']:.0%} of the loss: they are "
                       "cut, the campaign is not"), subject=row["subject"])
    covered = keywords[keywords["covered_by"] == "campaign"]
    if covered.empty:
        return
    counts = covered.groupby("campaign", sort=False).size().sort_values(ascending=False).head(limit)
    for plan, n in counts.items():
        ctx.skip(ctx.t(f"计划「{plan}」整体已降价（或暂停），其中 {n} 个亏损关键词不再逐个降价",
                       f"campaign “{plan}” is cut as a whole: its {n} losing keywords are not cut one by one"),
                 subject=f"campaign:{plan}")


def _page_blockers(ctx: "RuleContext") -> list[str]:
    """Why raises wait: the critical page findings, in the report's words."""
    reasons = []
    metrics = None
    for rule_id, field in (("page.bounce_rate", "bounce_rate"), ("page.visit_depth", "pages_per_visitor")):
        if not ctx.has_critical(rule_id):
            continue
        metrics = metrics if metrics is not None else ctx.shop_day()
        value = metrics.get(field)
        settings = ctx.config.rule_settings(rule_id)
        if field == "bounce_rate":
            line = settings["critical"] if value is not None and value >= settings["critical"] else settings["returning_critical"]
            reasons.append(ctx.t(f"跳失率 {value:.1%}，超过 {line:.0%}", f"bounce rate is {value:.1%}, above {line:.0%}")
                           if value is not None else ctx.t("跳失率不及格", "the bounce rate fails"))
        else:
            line = settings["critical"] if value is not None and value <= settings["critical"] else settings["returning_critical"]
            reasons.append(ctx.t(f"访问深度 {value:.2f}，没到 {line}", f"pages per visitor is {value:.2f}, not above {line}")
                           if value is not None else ctx.t("访问深度不及格", "pages per visitor fail"))
    return reasons


_WORST = {  # how a grouped or account-level to-do names its worst few (by money), per kind of verdict
    "loss": ("亏得最多的：{worst}。", "The worst: {worst}."),
    "gain": ("加得最多的：{worst}。", "The biggest: {worst}."),
    "names": ("例如：{worst}。", "For example: {worst}."),
}


def _with_worst(messages: dict[str, dict[str, tuple[str, str]]]) -> dict[str, dict[str, tuple[str, str]]]:
    """The rule's messages with the worst few named at the end of every grouped and account-level action."""
    out = {}
    for key, wording in messages.items():
        kind, _, verdict = key.partition(".")
        if kind not in ("group", "account"):
            out[key] = wording
            continue
        direction = VERDICTS[verdict][1]
        worst = _WORST["loss" if direction in ("lower", "pause") and verdict != "zero" else
                       "gain" if direction == "raise" and not verdict.startswith("raise_held") else "names"]
        out[key] = {"zh": (wording["zh"][0], wording["zh"][1] + worst[0]),
                    "en": (wording["en"][0], wording["en"][1] + " " + worst[1])}
    return out


def _one_account(frame: "pd.DataFrame") -> bool:
    """Whether the subjects are one ad account's: one currency on one platform."""
    return frame["currency"].nunique() == 1 and frame["platform"].nunique() == 1


def _break_even(ctx: "RuleContext") -> float | None:
    margin = ctx.config.get("shop", "gross_margin")
    return 1 / margin if margin else None


# -- ads.ctr_bid -----------------------------------------------------------------------------------
_KW_ZH, _KW_EN = "关键词「{keyword}」（计划「{campaign}」）", "Keyword “{keyword}” (campaign “{campaign}”)"
_PLAN_ZH, _PLAN_EN = "计划「{campaign}」", "Campaign “{campaign}”"
_HIGH_ZH = "点击率 {ctr:.2%}，高于账户平均 {account_ctr:.2%}，投产比 {roi:.2f} 过了保本线 {break_even:.2f}"
_HIGH_EN = " has a {ctr:.2%} CTR against the account's {account_ctr:.2%}, and ROI {roi:.2f} clears break-even {break_even:.2f}"
_LOW_ZH = "点击率只有 {ctr:.2%}（账户平均 {account_ctr:.2%}），投产比 {roi:.2f} 也低于保本 {break_even:.2f}"
_LOW_EN = " has only a {ctr:.2%} CTR (account {account_ctr:.2%}) and ROI {roi:.2f}, under the {break_even:.2f} break-even"


@rule(
    "ads.ctr_bid",
    owner="promotion",
    severity="warning",
    needs={"ad_report": ["impressions", "clicks"]},
    params=[
        _WINDOW,
        positive("high_ratio", 1.2, "点击率达到账户平均的这个倍数算高：加价", "CTR at or above this multiple of the account's CTR is high: raise"),
        positive("low_ratio", 0.7, "点击率不超过账户平均的这个倍数算低：换图、观察（亏钱的才降价）",
                 "CTR at or below this multiple of the account's CTR is low: new creative and watch (cut only if it loses money)"),
        count("min_impressions", 500, "展现少于这个数先观察，不判断", "Below this many impressions: hold, not judged"),
        count("min_clicks", 10, "加价前至少要有这么多点击", "Clicks needed before a raise"),
        fraction("raise_step", 0.10, "每次加价的最大幅度（0.10 = 加 10%）", "Largest bid raise in one go (0.10 = +10%)"),
        _LOWER_STEP,
        _MIN_BID,
        positive("max_bid", None, "加价不超过这个出价；不填则不设上限", "Never suggest a bid above this; empty means no ceiling",
                 optional=True),
        _LIST_HOLDS,
    ],
    messages=_with_worst({
        "raise_bid": {
            "zh": (_KW_ZH + _HIGH_ZH,
                   "出价从 {current_bid:.2f} 加到 {suggested_bid:.2f}（+{change:.0%}），预算跟着放一点；三天后看点击率和投产比稳不稳。"),
            "en": (_KW_EN + _HIGH_EN,
                   "Raise the bid from {current_bid:.2f} to {suggested_bid:.2f} (+{change:.0%}) and give it a little more budget; "
                   "check in three days that CTR and ROI hold."),
        },
        "group.raise_bid": {
            "zh": ("计划「{group}」：{n} 个关键词点击率高、投产比过保本线 {break_even:.2f}",
                   "按改价表（--bid-sheet）把这 {n} 个词的出价加上去（每个最多 +{raise_step:.0%}），预算跟着放一点，三天后看点击率和投产比稳不稳。"
                   "预计每天多成交约 {money:money}。"),
            "en": ("Campaign “{group}”: {n} keywords with a high CTR and ROI above the {break_even:.2f} break-even",
                   "Raise their bids as the bid sheet says (--bid-sheet; at most +{raise_step:.0%} each) with a little more "
                   "budget, and check in three days that CTR and ROI hold. About {money:money} more sales a day."),
        },
        "account.raise_bid": {
            "zh": ("{n} 个关键词点击率高、投产比过保本线 {break_even:.2f}，可以加价（占判断过的词 {share:.0%}）",
                   "按改价表（--bid-sheet）逐个加价（每个最多 +{raise_step:.0%}），三天后看点击率和投产比稳不稳。"
                   "预计每天多成交约 {money:money}。"),
            "en": ("{n} keywords ({share:.0%} of those judged) have a high CTR and ROI above the {break_even:.2f} break-even",
                   "Raise their bids as the bid sheet says (--bid-sheet; at most +{raise_step:.0%} each) and check "
                   "in three days that CTR and ROI hold. About {money:money} more sales a day."),
        },
        "raise_nobid": {
            "zh": (_KW_ZH + _HIGH_ZH, "把这个词的出价提高 {change:.0%}（导出里没有当前出价）；三天后看点击率和投产比稳不稳。"),
            "en": (_KW_EN + _HIGH_EN,
                   "Raise this keyword's bid by {change:.0%} (the export does not show its current bid); check in three "
                   "days that CTR and ROI hold."),
        },
        "group.raise_nobid": {
            "zh": ("计划「{group}」：{n} 个关键词点击率高、投产比过保本线 {break_even:.2f}",
                   "把这 {n} 个词的出价各提高最多 {raise_step:.0%}（导出里没有当前出价），三天后看点击率和投产比稳不稳。"
                   "预计每天多成交约 {money:money}。"),
            "en": ("Campaign “{group}”: {n} keywords with a high CTR and ROI above the {break_even:.2f} break-even",
                   "Raise each of their bids by up to {raise_step:.0%} (the export does not show current bids) and check in "
                   "three days that CTR and ROI hold. About {money:money} more sales a day."),
        },
        "account.raise_nobid": {
            "zh": ("{n} 个关键词点击率高、投产比过保本线 {break_even:.2f}，可以加价（占判断过的词 {share:.0%}）",
                   "把这些词的出价各提高最多 {raise_step:.0%}，三天后看点击率和投产比稳不稳。预计每天多成交约 {money:money}。"),
            "en": ("{n} keywords ({share:.0%} of those judged) have a high CTR and ROI above the {break_even:.2f} break-even",
                   "Raise each of their bids by up to {raise_step:.0%} and check in three days that CTR and ROI "
                   "hold. About {money:money} more sales a day."),
        },
        "raise_budget": {
            "zh": (_PLAN_ZH + _HIGH_ZH, "把这个计划的出价和日限额各提高 {change:.0%}；三天后看点击率和投产比稳不稳。"),
            "en": (_PLAN_EN + _HIGH_EN, "Raise this campaign's bids and daily budget by {change:.0%}; check in three days that CTR and ROI hold."),
        },
        "account.raise_budget": {
            "zh": ("{n} 个计划点击率高、投产比过保本线 {break_even:.2f}（占判断过的计划 {share:.0%}）",
                   "把这些计划的出价和日限额各提高最多 {raise_step:.0%}，三天后看点击率和投产比稳不稳。预计每天多成交约 {money:money}。"),
            "en": ("{n} campaigns ({share:.0%} of those judged) have a high CTR and ROI above the {break_even:.2f} break-even",
                   "Raise their bids and daily budgets by up to {raise_step:.0%} and check in three days that CTR "
                   "and ROI hold. About {money:money} more sales a day."),
        },
        "raise_target": {
            "zh": (_PLAN_ZH + _HIGH_ZH,
                   "全站推按目标投产比出价，不用改出价：日预算提高 {change:.0%}，目标投产比不动；三天后看投产比稳不稳。"),
            "en": (_PLAN_EN + _HIGH_EN,
                   "This campaign bids to a target ROI, so leave bids alone: raise its daily budget by {change:.0%} and keep "
                   "the target ROI; check in three days that ROI holds."),
        },
        "account.raise_target": {
            "zh": ("{n} 个全站推计划点击率高、投产比过保本线 {break_even:.2f}（占判断过的计划 {share:.0%}）",
                   "日预算各提高最多 {raise_step:.0%}，目标投产比不动。预计每天多成交约 {money:money}。"),
            "en": ("{n} target-ROI campaigns ({share:.0%} of those judged) have a high CTR and ROI above the {break_even:.2f} break-even",
                   "Raise their daily budgets by up to {raise_step:.0%} and keep their target ROI. About {money:money} "
                   "more sales a day."),
        },
        "raise_held": {
            "zh": (_KW_ZH + "点击率 {ctr:.2%}，高于账户平均 {account_ctr:.2%}，本该加价，先不加",
                   "先把页面调好：{page_reason}，现在加价只会亏钱。页面达标后再把出价提高 {change:.0%}。"),
            "en": (_KW_EN + " has a {ctr:.2%} CTR against the account's {account_ctr:.2%} and would earn a raise, but not yet",
                   "Fix the pages first: {page_reason}; more paid traffic now only loses money. Raise the bid by {change:.0%} "
                   "once the pages pass."),
        },
        "group.raise_held": {
            "zh": ("计划「{group}」：{n} 个关键词本该加价，先不加", "先把页面调好：{page_reason}，现在加价只会亏钱。页面达标后再加。"),
            "en": ("Campaign “{group}”: {n} keywords would earn a raise, but not yet",
                   "Fix the pages first: {page_reason}; more paid traffic now only loses money. Raise them once the pages pass."),
        },
        "account.raise_held": {
            "zh": ("{n} 个关键词本该加价，先不加（页面不及格）", "先把页面调好：{page_reason}，现在加价只会亏钱。页面达标后再加。"),
            "en": ("{n} keywords would earn a raise, but not while the pages fail",
                   "Fix the pages first: {page_reason}; more paid traffic now only loses money. Raise them once the pages pass."),
        },
        "raise_held_plan": {
            "zh": (_PLAN_ZH + "点击率 {ctr:.2%}，高于账户平均 {account_ctr:.2%}，本该加预算，先不加",
                   "先把页面调好：{page_reason}，现在加预算只会亏钱。页面达标后再把出价和日限额提高 {change:.0%}。"),
            "en": (_PLAN_EN + " has a {ctr:.2%} CTR against the account's {account_ctr:.2%} and would earn more budget, but not yet",
                   "Fix the pages first: {page_reason}; more paid traffic now only loses money. Raise its bids and budget by "
                   "{change:.0%} once the pages pass."),
        },
        "account.raise_held_plan": {
            "zh": ("{n} 个计划本该加预算，先不加（页面不及格）", "先把页面调好：{page_reason}，现在加预算只会亏钱。页面达标后再加。"),
            "en": ("{n} campaigns would earn more budget, but not while the pages fail",
                   "Fix the pages first: {page_reason}; more paid traffic now only loses money. Raise them once the pages pass."),
        },
        "lower_bid": {
            "zh": (_KW_ZH + _LOW_ZH,
                   "出价从 {current_bid:.2f} 降到 {suggested_bid:.2f}（{change:.0%}），同时换创意图测图；三天后点击率和投产比还上不来就删词。"),
            "en": (_KW_EN + _LOW_EN,
                   "Lower the bid from {current_bid:.2f} to {suggested_bid:.2f} ({change:.0%}) and test a new creative; delete "
                   "the keyword if CTR and ROI have not recovered in three days."),
        },
        "group.lower_bid": {
            "zh": ("计划「{group}」：{n} 个关键词点击率低、投产比也低于保本 {break_even:.2f}",
                   "按改价表（--bid-sheet）把这 {n} 个词降价（每个最多 -{lower_step:.0%}），同时换创意图测图；三天后还上不来就删词。"
                   "每天亏约 {money:money}。"),
            "en": ("Campaign “{group}”: {n} keywords with a low CTR and ROI under the {break_even:.2f} break-even",
                   "Lower their bids as the bid sheet says (--bid-sheet; at most -{lower_step:.0%} each) and test new creatives; "
                   "delete the ones that have not recovered in three days. They lose about {money:money} a day."),
        },
        "account.lower_bid": {
            "zh": ("{n} 个关键词点击率低、投产比也低于保本 {break_even:.2f}（占判断过的词 {share:.0%}）",
                   "按改价表（--bid-sheet）降价（每个最多 -{lower_step:.0%}），三天后还上不来就删词。每天亏约 {money:money}。"),
            "en": ("{n} keywords ({share:.0%} of those judged) have a low CTR and ROI under the {break_even:.2f} break-even",
                   "Lower their bids as the bid sheet says (--bid-sheet; at most -{lower_step:.0%} each) and delete "
                   "the ones that have not recovered in three days. They lose about {money:money} a day."),
        },
        "lower_floor": {
            "zh": (_KW_ZH + _LOW_ZH + "，出价已经到底",
                   "出价 {current_bid:.2f} 已经到下限 {min_bid:.2f}，再降没用：暂停或删掉这个词。"),
            "en": (_KW_EN + _LOW_EN + ", and its bid is already at the floor",
                   "The bid of {current_bid:.2f} is at the {min_bid:.2f} floor, so lowering it further does nothing: pause or "
                   "delete it."),
        },
        "group.lower_floor": {
            "zh": ("计划「{group}」：{n} 个关键词点击率低、亏钱，出价已经到底",
                   "出价都在下限 {min_bid:.2f}，再降没用：暂停或删掉这 {n} 个词。每天亏约 {money:money}。"),
            "en": ("Campaign “{group}”: {n} keywords with a low CTR lose money with their bids at the floor",
                   "Their bids are at the {min_bid:.2f} floor: pause or delete them. They lose about {money:money} a day."),
        },
        "account.lower_floor": {
            "zh": ("{n} 个关键词点击率低、亏钱，出价已经到底（占判断过的词 {share:.0%}）",
                   "出价都在下限 {min_bid:.2f}：暂停或删掉。每天亏约 {money:money}。"),
            "en": ("{n} keywords ({share:.0%} of those judged) with a low CTR lose money with their bids at the floor",
                   "Their bids are at the {min_bid:.2f} floor: pause or delete them. They lose about {money:money} a "
                   "day."),
        },
        "lower_nobid": {
            "zh": (_KW_ZH + _LOW_ZH,
                   "把这个词的出价降低 {lower_step:.0%}（导出里没有当前出价），同时换创意图测图；三天后还上不来就删词。"),
            "en": (_KW_EN + _LOW_EN,
                   "Lower this keyword's bid by {lower_step:.0%} (the export does not show its current bid) and test a new "
                   "creative; delete it if CTR and ROI have not recovered in three days."),
        },
        "group.lower_nobid": {
            "zh": ("计划「{group}」：{n} 个关键词点击率低、投产比也低于保本 {break_even:.2f}",
                   "把这 {n} 个词的出价各降低 {lower_step:.0%}（导出里没有当前出价），三天后还上不来就删词。每天亏约 {money:money}。"),
            "en": ("Campaign “{group}”: {n} keywords with a low CTR and ROI under the {break_even:.2f} break-even",
                   "Lower each of their bids by {lower_step:.0%} (the export does not show current bids); delete the ones that "
                   "have not recovered in three days. They lose about {money:money} a day."),
        },
        "account.lower_nobid": {
            "zh": ("{n} 个关键词点击率低、投产比也低于保本 {break_even:.2f}（占判断过的词 {share:.0%}）",
                   "出价各降低 {lower_step:.0%}，三天后还上不来就删词。每天亏约 {money:money}。"),
            "en": ("{n} keywords ({share:.0%} of those judged) have a low CTR and ROI under the {break_even:.2f} break-even",
                   "Lower each of their bids by {lower_step:.0%}; delete the ones that have not recovered in three "
                   "days. They lose about {money:money} a day."),
        },
        "lower_budget": {
            "zh": (_PLAN_ZH + _LOW_ZH,
                   "把这个计划的出价和日限额各降低 {lower_step:.0%}，预算挪给点击率高、赚钱的计划；同时让美工换图测图。"),
            "en": (_PLAN_EN + _LOW_EN,
                   "Cut this campaign's bids and daily budget by {lower_step:.0%} and move the money to campaigns that earn; "
                   "have design test new creatives."),
        },
        "account.lower_budget": {
            "zh": ("{n} 个计划点击率低、投产比也低于保本 {break_even:.2f}（占判断过的计划 {share:.0%}）",
                   "这些计划的出价和日限额各降低 {lower_step:.0%}，同时换图测图。每天亏约 {money:money}。"),
            "en": ("{n} campaigns ({share:.0%} of those judged) have a low CTR and ROI under the {break_even:.2f} break-even",
                   "Cut their bids and daily budgets by {lower_step:.0%} and test new creatives. They lose about "
                   "{money:money} a day."),
        },
        "lower_target": {
            "zh": (_PLAN_ZH + _LOW_ZH,
                   "全站推按目标投产比出价，不用改出价：把目标投产比提到保本线 {break_even:.2f} 以上，或日预算降低 {lower_step:.0%}；"
                   "同时让美工换图测图。"),
            "en": (_PLAN_EN + _LOW_EN,
                   "This campaign bids to a target ROI, so leave bids alone: raise the target ROI above the {break_even:.2f} "
                   "break-even, or cut its daily budget by {lower_step:.0%}; have design test new creatives."),
        },
        "account.lower_target": {
            "zh": ("{n} 个全站推计划点击率低、投产比也低于保本 {break_even:.2f}（占判断过的计划 {share:.0%}）",
                   "把目标投产比提到保本线以上，或日预算降低 {lower_step:.0%}。每天亏约 {money:money}。"),
            "en": ("{n} target-ROI campaigns ({share:.0%} of those judged) have a low CTR and ROI under the {break_even:.2f} break-even",
                   "Raise their target ROI above break-even, or cut their daily budgets by {lower_step:.0%}. They "
                   "lose about {money:money} a day."),
        },
        "creative": {
            "zh": (_PLAN_ZH + "点击率只有 {ctr:.2%}（账户平均 {account_ctr:.2%}），推广图吸引不了人",
                   "出价和预算不动（它不亏钱）：换主图/创意图，从客服聊天和买家评价里找买家最在意的点（质量、价格、款式），"
                   "做 2–3 张新图横向测图，留点击率高的。"),
            "en": (_PLAN_EN + " has only a {ctr:.2%} CTR (account {account_ctr:.2%}): its creative does not draw clicks",
                   "Keep its bids and budget (it does not lose money). Change the main image and creatives: take what buyers "
                   "care about from chats and reviews (quality, price, style), test 2–3 new images side by side and keep "
                   "the one with the best CTR."),
        },
        "account.creative": {
            "zh": ("{n} 个计划点击率低于账户平均（占判断过的计划 {share:.0%}），但不亏钱", "出价不动，让美工换主图/创意图横向测图。"),
            "en": ("{n} campaigns ({share:.0%} of those judged) have a low CTR but do not lose money",
                   "Keep their bids; have design test new main images and creatives."),
        },
        "creative_keyword": {
            "zh": (_KW_ZH + "点击率只有 {ctr:.2%}（账户平均 {account_ctr:.2%}），但不亏钱",
                   "出价不动，先观察：查这个词和宝贝对不对路，给它所在的单元换创意图测图；三天后点击率还上不来再考虑删词。"),
            "en": (_KW_EN + " has only a {ctr:.2%} CTR (account {account_ctr:.2%}) but does not lose money",
                   "Keep its bid and watch it: check the keyword fits the item and test a new creative in its ad group; "
                   "consider deleting it only if CTR has not recovered in three days."),
        },
        "group.creative_keyword": {
            "zh": ("计划「{group}」：{n} 个关键词点击率低于账户平均，但不亏钱",
                   "出价不动，先观察：查词和宝贝对不对路，给单元换创意图测图；三天后还上不来再考虑删词。"),
            "en": ("Campaign “{group}”: {n} keywords have a low CTR but do not lose money",
                   "Keep their bids and watch them: check they fit the item and test new creatives in their ad groups; "
                   "consider deleting only those that have not recovered in three days."),
        },
        "account.creative_keyword": {
            "zh": ("{n} 个关键词点击率低于账户平均（占判断过的词 {share:.0%}），但不亏钱",
                   "出价不动，先观察；点击率普遍低，先看主图/创意图：让美工做新图横向测图。"),
            "en": ("{n} keywords ({share:.0%} of those judged) have a low CTR but do not lose money",
                   "Keep their bids and watch them; with CTR low across the account, look at the main images and creatives "
                   "first and have design test new ones."),
        },
    }),
)
def ctr_bid(ctx: "RuleContext") -> None:
    """CTR-based bids: raise plans and keywords whose CTR beats the account's and that earn; a low CTR is a creative task.

    [zh]
    检查：最近 window_days 天（含报告日）每个推广计划和每个关键词的点击率（点击量 ÷ 展现量，按汇总后的数算），和同一平台、同一币种的账户平均点击率比（平台按导出的表头认：直通车/万相台、Google Ads、Amazon；Google Ads 和 Amazon 都是美元，也是两个账户）：点击率高、投产比过保本线的加价；点击率低的，赚钱就换图、观察，亏钱才降价。达到 high_ratio 倍、投产比不低于保本投产比（1 ÷ 毛利率，默认毛利率 30% → 3.33）就加价：幅度 = 点击率高出账户平均的比例，最多 raise_step，不超过 max_bid，建议出价保留两位小数；全站推计划（计划名或类型含“全站推”“万相台”）按目标投产比出价，只加日预算。不超过 low_ratio 倍算点击率低：赚钱（投产比不低于保本）或算不出投产比的，出价不动，换图、观察；投产比低于保本的才降价（ads.roi_breakeven 已经降价或暂停的，这里不再降），最多 lower_step，不低于 min_bid。展现不到 min_impressions 先观察（逐条列出，最多 list_holds 条，其余合计）；加价还要至少 min_clicks 次点击；展现很多却零点击的词交给 ads.zero_click。全店跳失率或访问深度严重不及格时，加价先压着不加，并说明原因。
    原因：《电商运营》(002)：“推广的核心是点击率……提高点击率较高计划的出价和预算，同时降低点击率较低计划的出价和预算。”《运营的一天》(003) 付费推广分析：“如果点击率偏低，该如何换图？分析词语的去留……降低哪些词的价格，删除哪些词，观察哪些词。”赚钱的词点击率低，降价只会少赚：先换图、观察。店铺页面检查：跳失率和访问深度达不到，“你首先要做的不是加大推广，而是调整页面”。
    怎么做：高点击率、过保本线的加价加预算（--bid-sheet 导出改价表）；点击率低但赚钱的换主图、做新创意横向测图、观察这个词；点击率低又亏钱的降价，三天后还上不来就删词。同一个计划的词很多时合成一条待办。
    金额：按天算：加价看预计每天多出的成交额（窗口期日均成交额 × 加价幅度）；降价看每天亏掉的钱。
    [en]
    Checks: over the last window_days days up to the report day, each campaign's and keyword's CTR (clicks ÷ impressions, from the summed counts) against the account's CTR on the same platform in the same currency (the platform is told by the export's headers: 直通车/万相台, Google Ads, Amazon; Google Ads and Amazon are both USD yet two accounts). At high_ratio times the account or more, with ROI at or above break-even (1 ÷ gross margin; the default 30% margin gives 3.33): raise, by the CTR's lead over the account, at most raise_step and never above max_bid, bids rounded to 0.01; a target-ROI plan (全站推/万相台 in its name or type) gets more budget, not a bid. At low_ratio times or less the CTR is low: a subject that earns (ROI at or above break-even) or whose ROI is unknown keeps its bid and gets a new creative and a watch; only one that also loses money is cut (at most lower_step, never below min_bid), and not here when ads.roi_breakeven already cuts or pauses it. Under min_impressions a subject is held (listed up to list_holds, the rest counted); a raise also needs min_clicks; keywords with many impressions and no click are left to ads.zero_click. While the shop's bounce rate or pages per visitor is critical, raises are held back and the finding says why.
    Why: Document 002: "The core of promotion is CTR... raise the bid and budget of plans with a higher CTR and lower those of plans with a lower CTR." An operator's day (003), paid-ads review: "If CTR is low, how should the image change? Decide which keywords stay... whose bids to lower, which to delete and which to watch." Cutting a keyword that makes money only loses money: change the image and watch it first. And on pages: when bounce rate and visit depth fail, "the first thing to do is not more promotion but fixing the pages".
    Fix: raise bid and budget where CTR is high and ROI clears break-even (--bid-sheet writes the bids out); where CTR is low but the subject earns, test new main images and creatives and watch the keyword; where it is low and loses money, lower the bid and delete the keyword if it has not recovered in three days. Many keywords of one campaign make one to-do.
    Money: per day: for a raise, the extra daily sales expected (the window's average daily sales × the raise); for a cut, the daily loss.
    """
    judged = ad_verdicts(ctx)
    if judged is None:
        ctx.skip(ctx.t("窗口期内没有推广数据", "no ad rows in the window"))
        return
    _, campaigns, keywords = judged
    blockers = _page_blockers(ctx)
    values = {
        "break_even": _break_even(ctx) or float("nan"), "raise_step": ctx.param("raise_step"),
        "lower_step": ctx.param("lower_step"), "min_bid": ctx.param("min_bid"),
        "page_reason": ctx.t("；", "; ").join(blockers),
    }
    for level, frame in (("campaign", campaigns), ("keyword", keywords)):
        if frame.empty:
            continue
        _skip_mixed(ctx, frame)
        clean = frame[~frame["mixed"].astype(bool)]
        if (clean["account_clicks"].fillna(0) <= 0).any():
            ctx.skip(ctx.t(f"{'计划' if level == 'campaign' else '关键词'}在窗口期内一次点击都没有，没有平均点击率可比",
                           f"no {level} clicks in the window: no account CTR to compare with"))
        if level == "campaign" and not clean.empty and _one_account(clean) and clean["account_ctr"].notna().any():
            ctx.metrics["ad_account_ctr"] = round(float(clean["account_ctr"].dropna().iloc[0]), 4)
        ctx.state.facts[f"judged.ads.ctr_bid.{level}"] = int(frame["judged_ctr"].sum())
        _hold(ctx, frame, "hold_ctr", level)
        _not_raised(ctx, frame)
        _emit_verdicts(ctx, level, frame, _CTR_EVIDENCE, **values)


def _not_raised(ctx: "RuleContext", frame: "pd.DataFrame") -> None:
    """High CTR but no raise: say why, the biggest `list_holds` one by one, then a count."""
    notes = frame[frame["note_ctr"] != ""].sort_values("impressions", ascending=False, kind="stable")
    if notes.empty:
        return
    limit = ctx.param("list_holds")
    for row in _records(notes.head(limit)[["subject", "note_ctr", "ctr", "roi", "break_even", "current_bid"]]):
        ctx.skip(_why_not(ctx, row), subject=row["subject"])
    if len(notes) > limit:
        rest = len(notes) - limit
        ctx.skip(ctx.t(f"另有 {rest:,} 个点击率高的没有加价（投产比不够或到了出价上限）",
                       f"{rest:,} more with a high CTR not raised (ROI short of break-even, or at the bid ceiling)"))


def _why_not(ctx: "RuleContext", row: dict[str, Any]) -> str:
    ctr, roi, line = row["ctr"], row["roi"], row["break_even"]
    if row["note_ctr"] == "no_margin":
        return ctx.t("毛利率为 0，算不出保本投产比，不加价", "gross margin is 0: no break-even ROI, no raise")
    if row["note_ctr"] == "no_sales":
        return ctx.t(f"观察中：点击率 {ctr:.2%} 高，但导出没有成交金额，确认不了投产比，先不加价",
                     f"hold: CTR {ctr:.2%} is high, but the export has no sales to check ROI against break-even")
    if row["note_ctr"] == "below_break_even":
        return ctx.t(f"点击率 {ctr:.2%} 高，但投产比 {roi:.2f} 低于保本 {line:.2f}，不加价（见 ads.roi_breakeven）",
                     f"CTR {ctr:.2%} is high but ROI {roi:.2f} is below break-even {line:.2f}: no raise (see ads.roi_breakeven)")
    bid, ceiling = row["current_bid"], ctx.param("max_bid")
    return ctx.t(f"点击率高、投产比过保本，但出价 {bid:.2f} 已到上限 {ceiling:.2f}，不再加",
                 f"CTR and ROI qualify, but the bid {bid:.2f} is already at the {ceiling:.2f} ceiling")


# -- ads.zero_click --------------------------------------------------------------------------------
@rule(
    "ads.zero_click",
    owner="promotion",
    severity="warning",
    needs={"ad_report": ["keyword", "impressions", "clicks"]},
    params=[
        _WINDOW,
        count("min_impressions", 1000, "展现达到这个数还没有一次点击：暂停或删词", "This many impressions without a click: pause or delete"),
        _LIST_HOLDS,
    ],
    messages=_with_worst({
        "zero": {
            "zh": (_KW_ZH + "展现 {impressions:,.0f} 次，一次点击都没有",
                   "暂停或删掉这个词；舍不得删就先查词和宝贝是否相关、换成精准匹配。"),
            "en": (_KW_EN + " had {impressions:,.0f} impressions and not one click",
                   "Pause or delete it; if you want to keep it, check that it matches the product and switch it to exact match."),
        },
        "group.zero": {
            "zh": ("计划「{group}」：{n} 个关键词展现很多、一次点击都没有",
                   "暂停或删掉这 {n} 个词（舍不得删的先查和宝贝是否相关、改精准匹配）。"),
            "en": ("Campaign “{group}”: {n} keywords shown many times without a single click",
                   "Pause or delete them (to keep one, check it matches the product and switch it to exact match)."),
        },
        "account.zero": {
            "zh": ("{n} 个关键词展现很多、一次点击都没有（占判断过的词 {share:.0%}）",
                   "批量暂停或删掉这些词（改价表里有全部名单），舍不得删的先查和宝贝是否相关、改精准匹配。"),
            "en": ("{n} keywords ({share:.0%} of those judged) were shown many times without a single click",
                   "Pause or delete them in bulk (the bid sheet lists them all); to keep one, check it matches the product "
                   "and switch it to exact match."),
        },
    }),
)
def zero_click(ctx: "RuleContext") -> None:
    """Keywords shown many times that nobody clicks: pause or delete them.

    [zh]
    检查：最近 window_days 天每个关键词的展现和点击：展现达到 min_impressions 次、点击为 0 的词要暂停或删除；展现不够的 0 点击词先观察。同一个计划的多个词合成一条待办。
    原因：《运营的一天》(003) 付费推广分析：“分析词语的去留……删除哪些词，观察哪些词”；《电商运营》(002)：“推广的核心是点击率”，只展现不被点的词拉低计划的点击率和质量得分，让别的词的点击更贵。
    怎么做：暂停或删除；要保留就先查词和宝贝是否相关、改精准匹配。
    金额：这些词在窗口期内的日均花费（按点击扣费时通常是 0，按展现扣费的会有花费）。
    [en]
    Checks: each keyword's impressions and clicks over the last window_days days: min_impressions or more with no click at all is paused or deleted; zero-click keywords with fewer impressions are held and watched. Many keywords of one campaign make one to-do.
    Why: An operator's day (003), paid-ads review: "decide which keywords stay... which to delete and which to watch"; document 002: "the core of promotion is CTR" — keywords shown but never clicked drag the plan's CTR and quality score down and make the other keywords' clicks dearer.
    Fix: pause or delete them; to keep one, check it matches the product and switch it to exact match.
    Money: their average daily spend in the window (usually 0 when billed per click; CPM-billed keywords do spend).
    """
    judged = ad_verdicts(ctx)
    if judged is None or judged[2].empty:
        ctx.skip(ctx.t("窗口期内没有关键词级别的推广数据", "no keyword-level ad rows in the window"))
        return
    keywords = judged[2]
    ctx.state.facts["judged.ads.zero_click.keyword"] = int(keywords["judged_zero"].sum())
    _skip_mixed(ctx, keywords)
    _hold(ctx, keywords, "hold_zero", "keyword")
    _emit_verdicts(ctx, "keyword", keywords, _ZERO_EVIDENCE)


# -- ads.roi_breakeven -----------------------------------------------------------------------------
_ROI_ZH = "投产比 {roi:.2f}，低于保本投产比 {break_even:.2f}"
_ROI_EN = " has an ROI of {roi:.2f}, below the {break_even:.2f} break-even"
_REFUND_ZH = "投产比 {roi:.2f} 看着过了保本 {break_even:.2f}，扣掉退款（{refund_rate:pct}）后只有 {net_roi:.2f}"
_REFUND_EN = " has an ROI of {roi:.2f}, above the {break_even:.2f} break-even, but only {net_roi:.2f} net of refunds ({refund_rate:pct})"
_PAUSE_ZH = "投产比只有 {roi:.2f}，不到保本投产比 {break_even:.2f} 的 {critical_ratio:.0%}"
_PAUSE_EN = " has an ROI of only {roi:.2f}, less than {critical_ratio:.0%} of the {break_even:.2f} break-even"


@rule(
    "ads.roi_breakeven",
    owner="promotion",
    severity="warning",
    needs={"ad_report": ["cost"]},
    params=[
        _WINDOW,
        positive("min_cost", 100, "窗口期花费达到这个数才判断投产比", "Spend in the window needed before ROI is judged"),
        count("min_clicks", 20, "至少要有这么多点击才判断投产比", "Clicks needed before ROI is judged"),
        fraction("critical_ratio", 0.5, "投产比不到保本投产比的这个比例：严重，直接暂停（设为 0 则不升级）",
                 "ROI below this share of break-even is critical: pause (0 never escalates)"),
        _LOWER_STEP,
        _MIN_BID,
        _LIST_HOLDS,
    ],
    messages=_with_worst({
        "cut_bid": {
            "zh": (_KW_ZH + _ROI_ZH,
                   "出价从 {current_bid:.2f} 降到 {suggested_bid:.2f}（{change:.0%}），三天后投产比还不到保本线就暂停。"),
            "en": (_KW_EN + _ROI_EN,
                   "Cut the bid from {current_bid:.2f} to {suggested_bid:.2f} ({change:.0%}); pause it if ROI is still under "
                   "break-even in three days."),
        },
        "group.cut_bid": {
            "zh": ("计划「{group}」：{n} 个关键词投产比低于保本 {break_even:.2f}",
                   "按改价表（--bid-sheet）把这 {n} 个词降价约 {lower_step:.0%}，三天后投产比还不到保本线就暂停。"
                   "每天亏约 {money:money}。"),
            "en": ("Campaign “{group}”: {n} keywords return ROI under the {break_even:.2f} break-even",
                   "Cut their bids by about {lower_step:.0%} as the bid sheet says (--bid-sheet); pause the ones "
                   "still under break-even in three days. They lose about {money:money} a day."),
        },
        "account.cut_bid": {
            "zh": ("{n} 个关键词投产比低于保本 {break_even:.2f}（占判断过的词 {share:.0%}）",
                   "按改价表（--bid-sheet）降价约 {lower_step:.0%}，三天后还不到保本线就暂停。每天亏约 {money:money}。"),
            "en": ("{n} keywords ({share:.0%} of those judged) return ROI under the {break_even:.2f} break-even",
                   "Cut their bids by about {lower_step:.0%} as the bid sheet says (--bid-sheet); pause the ones "
                   "still under break-even in three days. They lose about {money:money} a day."),
        },
        "cut_nobid": {
            "zh": (_KW_ZH + _ROI_ZH,
                   "把这个词的出价降低 {lower_step:.0%}（导出里没有当前出价），三天后投产比还不到保本线就暂停。"),
            "en": (_KW_EN + _ROI_EN,
                   "Cut this keyword's bid by {lower_step:.0%} (the export does not show its current bid); pause it if ROI is "
                   "still under break-even in three days."),
        },
        "group.cut_nobid": {
            "zh": ("计划「{group}」：{n} 个关键词投产比低于保本 {break_even:.2f}",
                   "把这 {n} 个词的出价各降低 {lower_step:.0%}（导出里没有当前出价），三天后还不到保本线就暂停。"
                   "每天亏约 {money:money}。"),
            "en": ("Campaign “{group}”: {n} keywords return ROI under the {break_even:.2f} break-even",
                   "Cut each of their bids by {lower_step:.0%} (the export does not show current bids); pause the "
                   "ones still under break-even in three days. They lose about {money:money} a day."),
        },
        "account.cut_nobid": {
            "zh": ("{n} 个关键词投产比低于保本 {break_even:.2f}（占判断过的词 {share:.0%}）",
                   "出价各降低 {lower_step:.0%}，三天后还不到保本线就暂停。每天亏约 {money:money}。"),
            "en": ("{n} keywords ({share:.0%} of those judged) return ROI under the {break_even:.2f} break-even",
                   "Cut each of their bids by {lower_step:.0%}; pause the ones still under break-even in three "
                   "days. They lose about {money:money} a day."),
        },
        "cut_budget": {
            "zh": (_PLAN_ZH + _ROI_ZH, "把这个计划的出价和日限额降低 {lower_step:.0%}，三天后投产比还不到保本线就暂停计划。"),
            "en": (_PLAN_EN + _ROI_EN,
                   "Cut its bids and daily budget by {lower_step:.0%}; pause the campaign if ROI is still under break-even in "
                   "three days."),
        },
        "account.cut_budget": {
            "zh": ("{n} 个计划投产比低于保本 {break_even:.2f}（占判断过的计划 {share:.0%}）",
                   "这些计划的出价和日限额各降低 {lower_step:.0%}，三天后还不到保本线就暂停。每天亏约 {money:money}。"),
            "en": ("{n} campaigns ({share:.0%} of those judged) return ROI under the {break_even:.2f} break-even",
                   "Cut their bids and daily budgets by {lower_step:.0%}; pause the ones still under break-even "
                   "in three days. They lose about {money:money} a day."),
        },
        "cut_target": {
            "zh": (_PLAN_ZH + _ROI_ZH,
                   "全站推按目标投产比出价，不用改出价：把目标投产比提到保本线 {break_even:.2f} 以上，或把日预算降低 {lower_step:.0%}；"
                   "三天后投产比还不到保本线就暂停计划。"),
            "en": (_PLAN_EN + _ROI_EN,
                   "This campaign bids to a target ROI, so leave bids alone: raise the target ROI above the {break_even:.2f} "
                   "break-even, or cut the daily budget by {lower_step:.0%}; pause the campaign if ROI is still under "
                   "break-even in three days."),
        },
        "account.cut_target": {
            "zh": ("{n} 个全站推计划投产比低于保本 {break_even:.2f}（占判断过的计划 {share:.0%}）",
                   "把目标投产比提到保本线以上，或日预算降低 {lower_step:.0%}。每天亏约 {money:money}。"),
            "en": ("{n} target-ROI campaigns ({share:.0%} of those judged) return ROI under the {break_even:.2f} break-even",
                   "Raise their target ROI above break-even, or cut their daily budgets by {lower_step:.0%}. They "
                   "lose about {money:money} a day."),
        },
        "refund_bid": {
            "zh": (_KW_ZH + _REFUND_ZH, "按扣退款后的投产比它在亏钱：出价从 {current_bid:.2f} 降到 {suggested_bid:.2f}（{change:.0%}），"
                   "同时查这个款为什么退款多；三天后扣退款后的投产比还不到保本线就暂停。"),
            "en": (_KW_EN + _REFUND_EN, "Net of refunds it loses money: cut the bid from {current_bid:.2f} to {suggested_bid:.2f} "
                   "({change:.0%}) and find out why the item is refunded so much; pause it if its net ROI is still under "
                   "break-even in three days."),
        },
        "group.refund_bid": {
            "zh": ("计划「{group}」：{n} 个关键词投产比看着过了保本 {break_even:.2f}，扣掉退款后没过",
                   "按改价表（--bid-sheet）把这 {n} 个词降价约 {lower_step:.0%}，同时查宝贝为什么退款多。每天亏约 {money:money}。"),
            "en": ("Campaign “{group}”: {n} keywords clear the {break_even:.2f} break-even only before refunds",
                   "Cut their bids by about {lower_step:.0%} as the bid sheet says (--bid-sheet) and find out why the "
                   "items are refunded so much. They lose about {money:money} a day."),
        },
        "account.refund_bid": {
            "zh": ("{n} 个关键词投产比看着过了保本 {break_even:.2f}，扣掉退款后没过（占判断过的词 {share:.0%}）",
                   "按改价表（--bid-sheet）降价约 {lower_step:.0%}，同时查退款多的原因。每天亏约 {money:money}。"),
            "en": ("{n} keywords ({share:.0%} of those judged) clear the {break_even:.2f} break-even only before refunds",
                   "Cut their bids by about {lower_step:.0%} as the bid sheet says (--bid-sheet) and find out why "
                   "refunds are high. They lose about {money:money} a day."),
        },
        "refund_nobid": {
            "zh": (_KW_ZH + _REFUND_ZH, "按扣退款后的投产比它在亏钱：出价降低 {lower_step:.0%}（导出里没有当前出价），同时查这个款为什么退款多。"),
            "en": (_KW_EN + _REFUND_EN, "Net of refunds it loses money: cut its bid by {lower_step:.0%} (the export does not "
                   "show its current bid) and find out why the item is refunded so much."),
        },
        "group.refund_nobid": {
            "zh": ("计划「{group}」：{n} 个关键词投产比看着过了保本 {break_even:.2f}，扣掉退款后没过",
                   "这 {n} 个词的出价各降低 {lower_step:.0%}，同时查宝贝为什么退款多。每天亏约 {money:money}。"),
            "en": ("Campaign “{group}”: {n} keywords clear the {break_even:.2f} break-even only before refunds",
                   "Cut each of their bids by {lower_step:.0%} and find out why the items are refunded so much. They "
                   "lose about {money:money} a day."),
        },
        "account.refund_nobid": {
            "zh": ("{n} 个关键词投产比看着过了保本 {break_even:.2f}，扣掉退款后没过（占判断过的词 {share:.0%}）",
                   "出价各降低 {lower_step:.0%}，同时查退款多的原因。每天亏约 {money:money}。"),
            "en": ("{n} keywords ({share:.0%} of those judged) clear the {break_even:.2f} break-even only before refunds",
                   "Cut each of their bids by {lower_step:.0%} and find out why refunds are high. They lose about "
                   "{money:money} a day."),
        },
        "refund_budget": {
            "zh": (_PLAN_ZH + _REFUND_ZH, "按扣退款后的投产比它在亏钱：出价和日限额降低 {lower_step:.0%}，同时查推的款为什么退款多。"),
            "en": (_PLAN_EN + _REFUND_EN, "Net of refunds it loses money: cut its bids and daily budget by {lower_step:.0%} "
                   "and find out why its items are refunded so much."),
        },
        "account.refund_budget": {
            "zh": ("{n} 个计划投产比看着过了保本 {break_even:.2f}，扣掉退款后没过（占判断过的计划 {share:.0%}）",
                   "出价和日限额各降低 {lower_step:.0%}，同时查退款多的原因。每天亏约 {money:money}。"),
            "en": ("{n} campaigns ({share:.0%} of those judged) clear the {break_even:.2f} break-even only before refunds",
                   "Cut their bids and daily budgets by {lower_step:.0%} and find out why refunds are high. They lose "
                   "about {money:money} a day."),
        },
        "refund_target": {
            "zh": (_PLAN_ZH + _REFUND_ZH, "全站推按目标投产比出价：把目标投产比提到 {break_even:.2f} ÷ (1 − 退款率) 以上，或把日预算降低 {lower_step:.0%}。"),
            "en": (_PLAN_EN + _REFUND_EN, "It bids to a target ROI: raise the target above {break_even:.2f} ÷ (1 − the refund "
                   "rate), or cut its daily budget by {lower_step:.0%}."),
        },
        "account.refund_target": {
            "zh": ("{n} 个全站推计划投产比看着过了保本 {break_even:.2f}，扣掉退款后没过（占判断过的计划 {share:.0%}）",
                   "把目标投产比按退款率提高，或日预算降低 {lower_step:.0%}。每天亏约 {money:money}。"),
            "en": ("{n} target-ROI campaigns ({share:.0%} of those judged) clear the {break_even:.2f} break-even only before refunds",
                   "Raise their target ROI for the refunds, or cut their daily budgets by {lower_step:.0%}. They lose "
                   "about {money:money} a day."),
        },
        "pause": {
            "zh": (_KW_ZH + _PAUSE_ZH, "先暂停这个词，查清宝贝转化和详情页的问题，再决定删掉还是重开。"),
            "en": (_KW_EN + _PAUSE_EN,
                   "Pause the keyword now, find out why the item does not convert, then delete it or switch it back on."),
        },
        "group.pause": {
            "zh": ("计划「{group}」：{n} 个关键词投产比不到保本 {break_even:.2f} 的 {critical_ratio:.0%}",
                   "先暂停这 {n} 个词，查清宝贝转化和详情页的问题，再决定删掉还是重开。每天亏约 {money:money}。"),
            "en": ("Campaign “{group}”: {n} keywords return under {critical_ratio:.0%} of the {break_even:.2f} break-even",
                   "Pause them now, find out why the item does not convert, then delete them or switch them back "
                   "on. They lose about {money:money} a day."),
        },
        "account.pause": {
            "zh": ("{n} 个关键词投产比不到保本 {break_even:.2f} 的 {critical_ratio:.0%}（占判断过的词 {share:.0%}）",
                   "先批量暂停这些词（改价表里有全部名单），查清宝贝转化和详情页的问题。每天亏约 {money:money}。"),
            "en": ("{n} keywords ({share:.0%} of those judged) return under {critical_ratio:.0%} of the {break_even:.2f} break-even",
                   "Pause them in bulk (the bid sheet lists them all) and find out why the items do not convert. "
                   "They lose about {money:money} a day."),
        },
        "pause_plan": {
            "zh": (_PLAN_ZH + _PAUSE_ZH, "先暂停这个计划，查清宝贝转化和详情页的问题再重开。"),
            "en": (_PLAN_EN + _PAUSE_EN,
                   "Pause the campaign now and find out why the item does not convert before switching it back on."),
        },
        "account.pause_plan": {
            "zh": ("{n} 个计划投产比不到保本 {break_even:.2f} 的 {critical_ratio:.0%}（占判断过的计划 {share:.0%}）",
                   "先暂停这些计划，查清宝贝转化和详情页的问题再重开。每天亏约 {money:money}。"),
            "en": ("{n} campaigns ({share:.0%} of those judged) return under {critical_ratio:.0%} of the {break_even:.2f} break-even",
                   "Pause them now and find out why the items do not convert. They lose about {money:money} a day."),
        },
        "pause_floor": {
            "zh": (_KW_ZH + _ROI_ZH + "，出价已经到底", "出价 {current_bid:.2f} 已到下限 {min_bid:.2f}，降不动了：暂停这个词。"),
            "en": (_KW_EN + _ROI_EN + ", with its bid at the floor",
                   "The bid of {current_bid:.2f} is at the {min_bid:.2f} floor, so there is nothing left to cut: pause it."),
        },
        "group.pause_floor": {
            "zh": ("计划「{group}」：{n} 个关键词投产比低于保本 {break_even:.2f}，出价已经到底",
                   "出价都在下限 {min_bid:.2f}，降不动了：暂停这 {n} 个词。每天亏约 {money:money}。"),
            "en": ("Campaign “{group}”: {n} keywords under the {break_even:.2f} break-even with their bids at the floor",
                   "Their bids are at the {min_bid:.2f} floor: pause them. They lose about {money:money} a day."),
        },
        "account.pause_floor": {
            "zh": ("{n} 个关键词投产比低于保本 {break_even:.2f}，出价已经到底（占判断过的词 {share:.0%}）",
                   "出价都在下限 {min_bid:.2f}：暂停这些词。每天亏约 {money:money}。"),
            "en": ("{n} keywords ({share:.0%} of those judged) under the {break_even:.2f} break-even with their bids at the floor",
                   "Their bids are at the {min_bid:.2f} floor: pause them. They lose about {money:money} a day."),
        },
    }),
)
def roi_breakeven(ctx: "RuleContext") -> None:
    """Plans and keywords whose ROI is below break-even (1 ÷ gross margin): cut or pause, at one level.

    [zh]
    检查：最近 window_days 天每个推广计划和关键词的投产比（成交金额 ÷ 花费，按汇总后的数算；导出没有成交金额时用投入产出比 × 花费），和保本投产比（1 ÷ shop.gross_margin，没配置时按默认毛利率 30% → 3.33 暂定）比：低于保本降价，低于一半暂停；计划和它自己的关键词只降一层。花费至少 min_cost、点击至少 min_clicks 才判断，不够的先观察。低于保本：关键词降价一档（lower_step，不低于 min_bid），计划降出价和日限额；全站推计划（计划名或类型含“全站推”“万相台”）按目标投产比出价，改成提高目标投产比或降日预算；低于保本的 critical_ratio（默认一半）为严重：暂停关键词或计划。一个计划和它自己的关键词不会因为同一笔花费都被降：被降的关键词占计划亏损一半以上就降关键词、计划不动，否则降计划、关键词不动。没配置毛利率时按默认 30%（保本 3.33）估算，结论是暂定的，待办会说明。
    原因：《运营的一天》(003) 付费推广分析：每天看热销单品的“点击率、平均点击花费、展现排名、转化率、成交额、投入产出比”，决定“降低哪些词的价格，删除哪些词”。《电商运营》(002)：“产品要考虑利润率……有利润才能生存和发展”。投产比低于 1 ÷ 毛利率，每花一块推广费赚回的毛利不到一块，推得越多亏得越多。
    怎么做：先确认毛利率配置是真的；关键词按改价表降价（--bid-sheet），计划降出价和日限额，全站推提高目标投产比或降预算；严重的先暂停，查清转化问题再开。同一个计划的词很多时合成一条待办。
    金额：窗口期内平均每天亏掉的钱 = (花费 − 成交金额 × 毛利率) ÷ 天数；计划和它的关键词只算一次。
    [en]
    Checks: each campaign's and keyword's ROI over the last window_days days (sales ÷ spend from the summed counts; ROI × spend when the export has no sales column) against break-even, 1 ÷ shop.gross_margin. Judged only with at least min_cost spend and min_clicks clicks; below that, held. Under break-even: a keyword's bid is cut one step (lower_step, never below min_bid), a campaign's bids and daily budget are cut; a target-ROI plan (全站推/万相台 in its name or type) gets a higher target ROI or a lower budget instead. Under critical_ratio of break-even (half, by default): critical, pause the keyword or the campaign. A campaign and its own keywords are never both cut for the same spend: when the cut keywords carry half the campaign's loss or more, they are cut and the campaign is not; otherwise the campaign is cut and they are not. Without a configured margin the default 30% (break-even 3.33) is used and the cuts say they are provisional.
    Why: An operator's day (003), paid-ads review: every morning check the hot items' "CTR, average CPC, rank, conversion, sales and ROI" and decide "whose bids to lower and which keywords to delete". Document 002: "a product must earn its margin... only profit keeps a shop alive". Below 1 ÷ margin, each unit of ad spend brings back less than a unit of gross profit: the more you promote, the more you lose.
    Fix: make sure the configured margin is real; apply the suggested keyword bids (--bid-sheet), cut a campaign's bids and daily budget, raise a target-ROI plan's target or cut its budget; pause the critical ones and find out why the item does not convert before switching them back on. Many keywords of one campaign make one to-do.
    Money: the average daily loss in the window = (spend − sales × gross margin) ÷ days; a campaign and its keywords are counted once.
    """
    judged = ad_verdicts(ctx)
    if judged is None:
        ctx.skip(ctx.t("窗口期内没有推广数据", "no ad rows in the window"))
        return
    view, campaigns, keywords = judged
    if not view.has_sales:
        ctx.skip(ctx.t("缺少字段：ad_report.gmv（或投入产出比）", "skipped, needs ad_report.gmv (or roi)"))
        return
    break_even = _break_even(ctx)
    if break_even is None:
        ctx.skip(ctx.t("毛利率为 0，算不出保本投产比", "gross margin is 0: no break-even ROI"))
        return
    ctx.metrics["break_even_roi"] = round(break_even, 2)
    ctx.state.facts["ads.break_even_used"] = True
    clean = campaigns[~campaigns["mixed"].astype(bool) & campaigns["gmv"].notna() & (campaigns["cost"] > 0)]
    if not clean.empty and _one_account(clean):
        # Net of refunds where they are known: the sales that stay are what the margin is earned on.
        kept = clean["gmv"] * (1 - clean["refund_rate"].fillna(0.0)) if "refund_rate" in clean else clean["gmv"]
        ctx.state.facts["ads.account_roi"] = float(kept.sum() / clean["cost"].sum())
        if "refund_rate" in clean and clean["refund_rate"].notna().any():
            ctx.state.facts["ads.account_roi_gross"] = float(clean["gmv"].sum() / clean["cost"].sum())
    values = {"break_even": break_even, "critical_ratio": ctx.param("critical_ratio"),
              "lower_step": ctx.param("lower_step"), "min_bid": ctx.param("min_bid")}
    for level, frame in (("campaign", campaigns), ("keyword", keywords)):
        if frame.empty:
            continue
        _skip_mixed(ctx, frame)
        ctx.state.facts[f"judged.ads.roi_breakeven.{level}"] = int(frame["judged_roi"].sum())
        _hold(ctx, frame, "hold_roi", level)
        _emit_verdicts(ctx, level, frame, _ROI_EVIDENCE, **values)
    _covered(ctx, campaigns, keywords)
    _tests_left_out(ctx, campaigns, keywords)


def _tests_left_out(ctx: "RuleContext", campaigns: "pd.DataFrame", keywords: "pd.DataFrame") -> None:
    """One line per test plan: judged by ads.test_plan over its window, not by ROI here."""
    plans = set(campaigns.loc[campaigns["test_plan"].astype(bool), "campaign"]) if "test_plan" in campaigns else set()
    if "test_plan" in keywords:
        plans |= set(keywords.loc[keywords["test_plan"].astype(bool), "campaign"])
    for plan in sorted(plans)[:ctx.param("list_holds")]:
        ctx.skip(ctx.t("测款计划：按测款窗口的收藏加购率判断（ads.test_plan），不按投产比暂停或降价",
                       "a test plan: judged by its cart-add and favourite rate over the test window (ads.test_plan), "
                       "never paused or cut on ROI"), subject=f"campaign:{plan}")


# -- ads.test_plan ---------------------------------------------------------------------------------
_TEST_ZH = "测款计划「{campaign}」"
_TEST_EN = "Test campaign “{campaign}”"


@rule(
    "ads.test_plan",
    owner="promotion",
    severity="warning",
    needs={"ad_report": ["clicks"]},
    units={"test_rate": "percent", "account_rate": "percent", "cart_rate": "percent", "favorite_rate": "percent",
           "clicks": "count", "days": "count"},
    params=[
        text_list("markers", ["测款", "货品加速"],
                  "计划名或计划类型（场景）里带这些字的是测款计划：按测款窗口的收藏加购率判断，不按投产比暂停或降价",
                  "A plan whose name or type (scene) holds one of these is a test plan: judged by its cart-add and "
                  "favourite rate over the test window, never paused or cut on ROI"),
        count("test_days", 7, "测款窗口：看最近几天（含报告日），数据满这么多天才下结论",
              "The test window: the last this many days up to the report day; a verdict needs data on that many days"),
        count("min_clicks", 100, "测款窗口里点击少于这个数不下结论，继续测", "Fewer clicks in the window: no verdict, keep testing"),
        positive("win_ratio", 1.2, "收藏加购率达到账户其他计划的这个倍数：测出来了，加预算",
                 "A cart-add + favourite rate at this multiple of the account's other plans or more: a winner, give it budget"),
        fraction("lose_ratio", 0.7, "收藏加购率不到账户其他计划的这个倍数：没测出来，测款期满就停",
                 "A rate at or under this share of the account's other plans: a loser, stop it once the window is over"),
        fraction("budget_step", 0.3, "测出来的计划日预算一次加多少（0.3 = 加 30%；改价表里是一行日预算调整）",
                 "How much a winner's daily budget is raised in one go (0.3 = +30%; one budget row in the bid sheet)"),
    ],
    messages={
        "testing": {
            "zh": (_TEST_ZH + "还在测：数据里有 {days} 天（测款看满 {test_days} 天）、{clicks:count} 次点击，{rate_name} {rate:pct}（账户其他计划 {account_rate:pct}）",
                   "测款看收藏加购，不看一天的投产比：别因为投产比低就暂停或降价，跑满 {test_days} 天、至少 {min_clicks:count} 次点击再下结论。"),
            "en": (_TEST_EN + " is still testing: {days} of its {test_days} test days and {clicks:count} clicks in the data, {rate_name_en} {rate:pct} (the account's other campaigns {account_rate:pct})",
                   "A test is judged by cart-adds and favourites, not by a day's ROI: do not pause or cut it for a low ROI; "
                   "decide after {test_days} days and at least {min_clicks:count} clicks."),
        },
        "winner": {
            "zh": (_TEST_ZH + "测出来了：{days} 天{rate_name} {rate:pct}，是账户其他计划 {account_rate:pct} 的 {ratio:.1f} 倍",
                   "这个款有人要：日预算先加 {change:.0%}（改价表里有这一行），再把它转成主推的计划、加出价，给它更多流量；详情页和库存跟上。"),
            "en": (_TEST_EN + " found a winner: over {days} days its {rate_name_en} is {rate:pct}, {ratio:.1f} times the account's other campaigns' {account_rate:pct}",
                   "Buyers want this item: raise its daily budget by {change:.0%} now (a row of the bid sheet), then move it "
                   "into a main campaign with higher bids, and make sure its page and stock can take the traffic."),
        },
        "loser": {
            "zh": (_TEST_ZH + "没测出来：{days} 天{rate_name}只有 {rate:pct}，不到账户其他计划 {account_rate:pct} 的 {lose_ratio:.0%}",
                   "测款期满，暂停这个计划（改价表里有这一行），别再给这个款花推广费；要再测就先换主图、卖点或价格。"),
            "en": (_TEST_EN + " did not find a winner: over {days} days its {rate_name_en} is only {rate:pct}, under {lose_ratio:.0%} of the account's other campaigns' {account_rate:pct}",
                   "The test window is over: pause the campaign (a row of the bid sheet) and spend no more on this item; "
                   "to test again, change its main image, selling points or price first."),
        },
        "even": {
            "zh": (_TEST_ZH + "测款期满，{rate_name} {rate:pct} 和账户其他计划 {account_rate:pct} 差不多",
                   "没有测出明显的好坏：不加预算；换一版主图或卖点再测一轮，或者停掉测款、按投产比当普通计划管。"),
            "en": (_TEST_EN + " ends its test with a cart-add rate of {rate:pct}, close to the account's other campaigns' {account_rate:pct}",
                   "No clear result: no extra budget; test again with a new main image or selling point, or end the test "
                   "and manage it as an ordinary campaign by its ROI."),
        },
    },
)
def test_plan(ctx: "RuleContext") -> None:
    """Test plans (货品加速 / 测款) judged by cart-add and favourite rate over their test window, not by a day's ROI.

    [zh]
    检查：计划名或类型（场景名字）里带 markers（默认“测款”“货品加速”）的是测款计划。最近 test_days 天（默认 7 天，含报告日）它的收藏加购率 =（加购数 + 收藏数）÷ 点击量（万相台只给合在一起的“总收藏加购数”时用它；导出没有收藏数时只算加购），和同平台、同币种账户里其他计划同一窗口的收藏加购率比。每天只下载一天的报表也行：历史记录（--history）里存下的前几天会补进测款窗口。数据不满 test_days 天或点击不到 min_clicks：继续测（提示）。满了：达到账户的 win_ratio 倍（默认 1.2）是测出来了，加预算；不到 lose_ratio（默认 0.7）是没测出来，停掉；中间的说明没测出好坏。测款计划和它的关键词不归 ads.roi_breakeven / ads.ctr_bid 管：不会因为一天投产比低被暂停或降价。
    原因：《运营的一天》(003)：“同样一款衣服，你如果上早了，测出来的数据可能非常差！一个款本身点击率可能有4%，但上的时间节点没对，测出来点击率只有2%，收藏加购也非常差。而且，更重要的是，新品期也浪费掉了！”测款测的是这个款有没有人要（点击、收藏加购），不是第一天赚不赚钱；按一天的投产比把它停掉，新品期就白费了。
    怎么做：测款期内不看投产比、不停；期满看收藏加购率：好的转主推、加预算，差的停掉，换图或换价再测。--bid-sheet 里测出来的是一行日预算调整（报表有当前日预算时写出新日预算，没有时写“日限额 +30%”），没测出来的是一行暂停计划。
    门槛：7 天、100 次点击、1.2 倍、0.7 倍和预算一次加 30% 都是我们定的（文档没有给数字）；比较对象是同一账户其他计划的收藏加购率。
    金额：只有没测出来、要停的计划算金额：停掉后每天省下的推广费（窗口期花费 ÷ 天数）；还在测和测出来的不算（测款是为了找款，不按当天的钱判断）。
    [en]
    Checks: a plan whose name or type (scene) holds one of `markers` (测款, 货品加速 by default) is a test plan. Over the last test_days days (7 by default, up to the report day) its cart-add + favourite rate = (cart adds + favourites) ÷ clicks (万相台's 总收藏加购数 when the export gives the two only as one column; cart adds alone when it has no favourites), against the same rate of the account's other campaigns on the same platform and currency in the same window. A one-day report each morning is enough: the days the history (--history) keeps fill the test window. Fewer than test_days days of data or min_clicks clicks: keep testing (a note). After that: win_ratio (1.2) times the account or more is a winner, give it budget; lose_ratio (0.7) or less is a loser, stop it; in between, no clear result. Test plans and their keywords are left out of ads.roi_breakeven and ads.ctr_bid: never paused or cut for one day's ROI.
    Why: An operator's day (003): "Launch the same garment too early and the test data can be terrible: an item that would draw a 4% CTR tests at 2%, with poor favourites and cart-adds, and its new-item period is wasted." A test asks whether buyers want the item (clicks, favourites, cart-adds), not whether it paid on day one; pausing it on a day's ROI wastes the new-item period.
    Fix: during the test leave ROI aside and keep it running; at the end, move a winner into a main campaign with more budget, stop a loser, and test again with a new image or price. In --bid-sheet a winner is a daily-budget row (the new budget when a report shows the current one, else "daily budget +30%") and a loser a campaign pause row.
    Thresholds: 7 days, 100 clicks, 1.2x, 0.7x and the 30% budget step are ours; the documents give no numbers. The comparison is the account's other campaigns' rate.
    Money: only a loser has money: the daily spend that stopping it saves (the window's spend ÷ days); a running test or a winner has none (a test finds items; it is not judged by the day's money).
    """
    import numpy as np

    frame = ctx.dataset.frame("ad_report")
    days_wanted = ctx.param("test_days")
    plans = _with_stored_days(ctx, _plan_days(ctx, _window(_without_flagged(frame, ctx.dataset), ctx.date, days_wanted)),
                              days_wanted)
    if plans.empty:
        ctx.skip(ctx.t("窗口期内没有推广数据", "no ad rows in the window"))
        return
    plans["testing"] = test_plans(plans, ctx.param("markers"))
    if not plans["testing"].any():
        return
    if not {"cart_adds", "favorites", "cart_favorites"} & set(frame.columns):
        ctx.skip(ctx.t("推广报表里没有加购数或收藏数（总购物车数、收藏宝贝数、总收藏加购数），测款计划判断不了（也不按投产比停）",
                       "skipped, needs ad_report.cart_adds, favorites or cart_favorites (总购物车数, 收藏宝贝数, "
                       "总收藏加购数) to judge the test plans (they are not paused on ROI either)"))
        return
    totals = plans.groupby(["campaign", "account", "testing"], sort=False).agg(
        impressions=("impressions", "sum"), cost=("cost", "sum"), clicks=("clicks", "sum"),
        cart_adds=("cart_adds", "sum"), favorites=("favorites", "sum"), collected=("collected", "sum"),
        has_carts=("has_carts", "any"), has_favorites=("has_favorites", "any"), has_split=("has_split", "any"),
        days=("date", "nunique")).reset_index()
    for row in _records(totals[totals["testing"]]):
        account = plans[(plans["account"] == row["account"]) & ~plans["testing"]]
        favorites = bool(row["has_favorites"]) and bool(account["has_favorites"].any())
        # with favourites: cart-adds + favourites, or 万相台's one 总收藏加购数 column (`collected`)
        rate = _collect_rate(row["collected"] if favorites else row["cart_adds"], 0.0, row["clicks"])
        base = _collect_rate(account["collected"].sum() if favorites else account["cart_adds"].sum(), 0.0,
                             account["clicks"].sum())
        days = max(int(row["days"]), 1)
        evidence = {"campaign": row["campaign"], "impressions": row["impressions"], "clicks": row["clicks"],
                    "cost": row["cost"], "days": days, "test_rate": rate,
                    "account_rate": base,
                    "cart_rate": _collect_rate(row["cart_adds"], 0.0, row["clicks"]) if row["has_carts"] else None,
                    "favorite_rate": _collect_rate(0.0, row["favorites"], row["clicks"])
                    if favorites and row["has_split"] else None}
        subject = f"campaign:{row['campaign']}"
        values = {"rate": rate, "test_days": days_wanted, "min_clicks": ctx.param("min_clicks"), "lose_ratio": ctx.param("lose_ratio"),
                  "rate_name": "收藏加购率" if favorites else "加购率",
                  "rate_name_en": "cart-add + favourite rate" if favorites else "cart-add rate"}
        if days < days_wanted or row["clicks"] < ctx.param("min_clicks") or rate is None or base is None:
            ctx.finding("testing", subject, {**evidence, "direction": "testing"}, severity="info", **values)
            continue
        ratio = rate / base if base > 0 else float("inf")
        if ratio >= ctx.param("win_ratio") - 1e-9:  # at the line to the rounding, a winner
            step = ctx.param("budget_step")  # the bid sheet's budget row: current budget x (1 + step)
            ctx.finding("winner", subject, {**evidence, "ratio": ratio, "direction": "raise", "change": step},
                        ratio=ratio, **values)
        elif ratio <= ctx.param("lose_ratio") + 1e-9:
            daily = plans.loc[plans["campaign"] == row["campaign"], "cost"].sum() / days  # the spend it stops
            currency = str(row["account"]).rsplit("/", 1)[-1] or None  # the money in its account's currency
            ctx.finding("loser", subject, {**evidence, "ratio": ratio, "direction": "pause"}, money=daily if np.isfinite(daily) else None,
                        currency=currency, ratio=ratio, **values)
        else:
            ctx.finding("even", subject, {**evidence, "ratio": ratio}, severity="info", ratio=ratio, **values)


def _with_stored_days(ctx: "RuleContext", plans: "pd.DataFrame", days: int) -> "pd.DataFrame":
    """The plan days the files hold, plus the window's earlier days the history keeps (each morning's
    one-day 万相台 report adds a day): a test plan reaches its verdict on daily downloads."""
    import pandas as pd

    if ctx.history is None or not hasattr(ctx.history, "stored_days") or ctx.date is None:
        return plans
    start = (dt.date.fromisoformat(ctx.date) - dt.timedelta(days=max(days, 1) - 1)).isoformat()
    have = set(plans["date"].tolist()) if not plans.empty else set()
    fields = ("campaign", "scene", "currency", "platform", "clicks", "cost", "cart_adds", "favorites", "cart_favorites")
    known = dict(zip(plans["campaign"].tolist(), plans["account"].tolist())) if not plans.empty else {}
    parts = [plans] if not plans.empty else []
    for day, columns in ctx.history.stored_days(ctx.config.shop_name, "ad_campaign", start, ctx.date, have, fields):
        if "campaign" not in columns:
            continue
        size = len(columns["campaign"])
        stored = pd.DataFrame({name: columns.get(name, [None] * size) for name in fields})
        currency = stored["currency"].astype("string").fillna("").str.strip().str.upper()
        platform = stored["platform"].astype("string").fillna("")
        # A day stored before the platform was kept: the plan's account as today's files give it.
        account = [known.get(plan, f"{p}/{c}") if not p else f"{p}/{c}"
                   for plan, p, c in zip(stored["campaign"], platform, currency)]
        parts.append(_collects(pd.DataFrame({
            "campaign": stored["campaign"].astype("string"), "date": day,
            "scene": stored["scene"].astype("string").fillna(""), "account": account,
            "impressions": float("nan"), "clicks": _number(stored, "clicks"), "cost": _number(stored, "cost"),
            "cart_adds": _number(stored, "cart_adds"), "favorites": _number(stored, "favorites"),
            "cart_favorites": _number(stored, "cart_favorites"),
        }).dropna(subset=["campaign"])))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else plans


def _collect_rate(cart_adds: float, favorites: float, clicks: float) -> float | None:
    import math

    total = (0.0 if cart_adds != cart_adds else cart_adds) + (0.0 if favorites != favorites else favorites)
    return total / clicks if clicks and not math.isnan(clicks) and clicks > 0 else None


def _plan_days(ctx: "RuleContext", rows: "pd.DataFrame") -> "pd.DataFrame":
    """Per plan and day: the plan-level rows when the day has them, else its keyword rows summed; with
    its account (platform and currency), clicks, cart adds, favourites and spend.

    ads.test_plan and conversion.funnel ask for it, over the same rows on a one-day report: made once
    per run and selection of rows; each caller gets its own copy."""
    made = ctx.state.cache.setdefault(("ads.plan_days",), [])
    for index, columns, days in made:
        if columns == list(rows.columns) and index.equals(rows.index):
            return days.copy(deep=False)
    days = _plan_days_of(rows)
    made.append((rows.index, list(rows.columns), days))
    return days.copy(deep=False)


def _plan_days_of(rows: "pd.DataFrame") -> "pd.DataFrame":
    """`_plan_days`, grouped on integer codes: the text of a plan, a day, a scene or an account is
    looked at once per distinct value."""
    import numpy as np
    import pandas as pd

    if rows.empty:
        return pd.DataFrame()
    name = rows["campaign"] if "campaign" in rows.columns else pd.Series(pd.NA, index=rows.index)
    if "campaign_id" in rows.columns:
        name = name.fillna(rows["campaign_id"])
    named = name.notna().to_numpy()
    rows, name = rows[named], name[named]

    def coded(column: "pd.Series | None") -> tuple["np.ndarray", "np.ndarray"]:
        """Codes and labels of a text column; a blank or missing cell is the last label, ""."""
        if column is None:
            return np.zeros(len(rows), dtype=np.int64), np.array([""], dtype=object)
        codes, uniques = pd.factorize(column if isinstance(column.dtype, pd.StringDtype) else column.astype("string"))
        labels = np.append(np.asarray(uniques, dtype=object), "")
        blank = (codes < 0) | np.isin(codes, np.flatnonzero(labels[:-1] == ""))
        return np.where(blank, len(labels) - 1, codes), labels

    text = {key: coded(rows[key] if key in rows.columns else None)
            for key in ("scene", "currency", "platform", "date", "level")}
    plan, plans = coded(name)
    day, days = text["date"]
    numbers = pd.DataFrame({
        "impressions": _number(rows, "impressions"), "clicks": _number(rows, "clicks"), "cost": _number(rows, "cost"),
        "cart_adds": _number(rows, "cart_adds"), "favorites": _number(rows, "favorites"),
        "cart_favorites": _number(rows, "cart_favorites")})
    numbers = _collects(numbers)
    # A keyword row of a plan-day that has its own plan-level row is counted there already.
    level, levels = text["level"]
    plan_level = (levels == "campaign")[level]
    group = plan * len(days) + day
    keep = ~(np.isin(group, group[plan_level]) & ~plan_level)
    group, numbers = group[keep], numbers[keep]
    ids, firsts = pd.factorize(group)  # plan-days in order of their first row
    count = len(firsts)
    first_row = np.zeros(count, dtype=np.int64)
    first_row[ids[::-1]] = np.flatnonzero(keep)[::-1]  # reversed: the first write of each id wins last
    last_row = np.zeros(count, dtype=np.int64)
    last_row[ids] = np.flatnonzero(keep)

    def label(key: str, at: "np.ndarray") -> "pd.array":
        codes, labels = text[key]
        return labels[codes[at]]

    platform, currency = label("platform", first_row), label("currency", first_row)
    accounts = {pair: f"{pair[0]}/{pair[1].strip().upper()}" for pair in set(zip(platform, currency))}
    out = pd.DataFrame({
        "campaign": pd.array(plans[firsts // len(days)], dtype="string"),
        "date": pd.array(days[firsts % len(days)], dtype="string"),
        "scene": pd.array(label("scene", last_row), dtype="string"),
        "account": pd.array([accounts[pair] for pair in zip(platform, currency)], dtype="string"),
    })
    for column in ("impressions", "clicks", "cost", "cart_adds", "favorites", "collected"):
        out[column] = np.bincount(ids, weights=np.nan_to_num(numbers[column].to_numpy(dtype="float64")),
                                  minlength=count)
    for column in ("has_carts", "has_favorites", "has_split"):
        out[column] = np.bincount(ids, weights=numbers[column].to_numpy(dtype="float64"), minlength=count) > 0
    return out


def _collects(data: "pd.DataFrame") -> "pd.DataFrame":
    """Per row what buyers collected: cart-adds + favourites where the export splits them, 万相台's one
    总收藏加购数 column (`cart_favorites`) where it does not, cart-adds alone where there are no favourites;
    with which of them the row has."""
    split = data["favorites"].notna()
    combined = data["cart_favorites"].notna() & ~split
    carts = data["cart_adds"].fillna(0.0)
    collected = carts.where(~split, carts + data["favorites"]).where(~combined, data["cart_favorites"])
    return data.assign(collected=collected, has_carts=data["cart_adds"].notna(), has_split=split,
                       has_favorites=split | combined).drop(columns=["cart_favorites"])
