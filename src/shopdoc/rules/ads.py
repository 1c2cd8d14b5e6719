"""Paid ads (直通车, 万相台, Google Ads, Amazon SP...): CTR-based bids, zero-click keywords, ROI break-even.

Sources: `002_be6fac7e793a1a64.txt` (推广：推广的核心是点击率), `000_f9526efcfbbf2f39.txt` (五、推廣),
`003_01bac92a2fb6a989.txt` (an operator's day: 付费推广分析, and 店铺页面检查 — fix the page first).

Every ad rule judges a window of days ending on the report day, one subject at a time:
`campaign:<name>` (from campaign rows, else from the campaign's keyword rows summed) and
`keyword:<campaign>/<keyword>`. Rates are recomputed from the summed counts (clicks ÷ impressions,
gmv ÷ cost), never averaged from per-day rates, and no sum ever adds two currencies together.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shopdoc.params import count, fraction, positive
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
        ctx.state.cache[key] = _build_view(ctx, window_days)
    return ctx.state.cache[key]


def _build_view(ctx: "RuleContext", window_days: int) -> AdView | None:
    """Aggregate `ad_report` over the window into campaign and keyword subjects (vectorised)."""
    import numpy as np

    frame = ctx.dataset.frame("ad_report")
    if frame is None:
        return None
    rows = _window(_without_flagged(frame, ctx.dataset), ctx.date, window_days)
    data, labels = _normalise(rows) if not rows.empty else (rows, {})
    if data.empty:
        return AdView(_empty(), _empty(), False)
    keyword_rows = data[data["level"] == 1]
    campaign_rows = data[data["level"] == 0]
    from_keywords = _uncovered(keyword_rows[keyword_rows["campaign"] >= 0], campaign_rows, len(labels["day"]))
    campaign_data = campaign_rows if from_keywords.empty else _concat(campaign_rows, from_keywords.assign(bid=np.nan))
    # Money at stake is per day, like every other rule's: window totals are divided by the days covered.
    days = max(int(rows["date"].nunique()), 1) if "date" in rows.columns else 1
    return AdView(
        campaigns=_aggregate(campaign_data, ["campaign"], "campaign", labels).assign(days=days),
        keywords=_aggregate(keyword_rows, _KEYWORD_KEYS, "keyword", labels).assign(days=days),
        has_sales=bool(data["gmv"].notna().any()),
    )


def _per_day(row: Any, amount: float | None) -> float | None:
    """A window total as money per day (the report orders every rule's money on the same footing)."""
    if not amount:
        return None
    return amount / (row.get("days") or 1)


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
    codes, uniques = pd.factorize(rows[name].to_numpy(dtype=object, na_value=None), sort=sort)
    uniques = np.array([clean(str(v)) if clean else str(v).strip() for v in uniques], dtype=object)
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
    source, _ = _codes(rows, "_file")
    data["cost"] = cost.where(cost.notna() | ~_reported(cost, source), 0.0)
    data["gmv"] = gmv.where(gmv.notna() | ~_reported(gmv, source) | data["cost"].isna(), 0.0)
    data["orders"] = _number(rows, "orders")

    pattern = re.compile(_TOTALS, re.I)
    totals = np.zeros(len(data), dtype=bool)
    for key in ("campaign", "ad_group", "keyword"):
        is_total = np.array([bool(pattern.match(v)) for v in labels[key]] + [False], dtype=bool)
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

    return pd.DataFrame(columns=["level", "subject", *_KEYWORD_KEYS, "currency", "mixed", *_SUMS, "bid",
                                 "ctr", "roi", "account_ctr", "account_clicks"])


def _label(codes: "pd.Series", labels: "np.ndarray") -> "np.ndarray":
    import numpy as np

    return np.append(labels, "")[codes.to_numpy()]  # code -1 picks the appended ""


def _aggregate(data: "pd.DataFrame", keys: list[str], level: str, labels: dict[str, "np.ndarray"]) -> "pd.DataFrame":
    """Sum the window per subject; derive CTR and ROI from the sums; mark mixed currencies."""
    import numpy as np

    if data.empty:
        return _empty()
    data = data.assign(currency=data["currency"].where(data["currency"] >= 0).astype("float64"))
    grouped = data.groupby(keys, sort=False)
    out = grouped[list(_SUMS)].sum(min_count=1)
    out["bid"] = grouped["bid"].last()
    currencies = grouped["currency"].agg(["nunique", "first"])
    out["mixed"] = currencies["nunique"] > 1
    out["currency"] = currencies["first"].fillna(-1).astype(np.int64)
    out = out.reset_index()
    for name in [*_KEYWORD_KEYS, "currency"]:
        out[name] = _label(out[name], labels[name]) if name in out.columns else ""
    out["level"] = level
    out["impressions"] = out["impressions"].fillna(0.0)
    out["clicks"] = out["clicks"].fillna(0.0)
    out["ctr"] = out["clicks"] / out["impressions"].where(out["impressions"] > 0)
    out["roi"] = out["gmv"] / out["cost"].where(out["cost"] > 0)
    out["subject"] = _subjects(out, level)
    totals = out[~out["mixed"]].groupby("currency")[["clicks", "impressions"]].sum()
    account = totals["clicks"] / totals["impressions"].where(totals["impressions"] > 0)
    out["account_ctr"] = out["currency"].map(account).where(~out["mixed"])
    out["account_clicks"] = out["currency"].map(totals["clicks"]).where(~out["mixed"])
    return out


def _subjects(out: "pd.DataFrame", level: str) -> "pd.Series":
    """`campaign:<name>` / `keyword:<campaign>/<keyword>`, with the ad group and match type only when needed."""
    if level == "campaign":
        return "campaign:" + out["campaign"]
    subject = "keyword:" + out["campaign"] + "/" + out["keyword"]
    clash = subject.duplicated(keep=False)
    subject = subject.where(~clash, "keyword:" + out["campaign"] + "/" + out["ad_group"] + "/" + out["keyword"])
    clash = subject.duplicated(keep=False)
    return subject.where(~clash, subject + " [" + out["match_type"] + "]")


# -- shared wording and arithmetic -----------------------------------------------------------------
def _break_even(ctx: "RuleContext") -> float | None:
    margin = ctx.config.get("shop", "gross_margin")
    return 1 / margin if margin else None


def _records(frame: "pd.DataFrame") -> list[dict[str, Any]]:
    """The rows a rule acts on, as dicts of plain Python values (the judging itself stays vectorised)."""
    columns = list(frame.columns)
    return [dict(zip(columns, values)) for values in zip(*(frame[name].tolist() for name in columns))]


def _value(row: dict[str, Any], name: str) -> float | None:
    value = row.get(name)
    return None if value is None or value != value else float(value)


def _name(row: Any, lang: str) -> str:
    if row["level"] == "campaign":
        return f"计划「{row['campaign']}」" if lang == "zh" else f"Campaign “{row['campaign']}”"
    if lang == "zh":
        return f"关键词「{row['keyword']}」（计划「{row['campaign']}」）"
    return f"Keyword “{row['keyword']}” (campaign “{row['campaign']}”)"


def _amount(value: float | None, currency: str, lang: str) -> str:
    if value is None:
        return "-"
    if lang == "zh":
        return f"{value:,.2f} 元" if currency in ("", "CNY", "RMB") else f"{value:,.2f} {currency}"
    return f"{value:,.2f} {currency}" if currency else f"{value:,.2f}"


def _step(cap: float, lead: float) -> float:
    """The move: the CTR's lead over (or gap under) the account, at most `cap`. Bands set at the
    account's own CTR (high_ratio below 1, low_ratio of 1) leave no lead: then the full step."""
    return min(cap, lead) if lead > 0 else cap


def _stepped(bid: float, step: float, *, floor: float | None = None, ceiling: float | None = None) -> float:
    """The bid moved by `step` (a signed fraction), to the nearest 0.01, kept within floor and ceiling.

    Exact decimal arithmetic; a half cent goes toward the current bid, so a move never exceeds its
    step (1.25 + 10% = 1.375 -> 1.37). A move too small to show in cents becomes one cent.
    """
    from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal

    exact = Decimal(repr(bid)) * (1 + Decimal(repr(step)))
    suggested = float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_DOWN if step > 0 else ROUND_HALF_UP))
    if step > 0 and suggested <= bid:
        suggested = round(bid + 0.01, 2)
    if step < 0 and suggested >= bid:
        suggested = round(bid - 0.01, 2)
    if ceiling is not None:
        suggested = min(suggested, ceiling)
    if floor is not None:
        suggested = max(suggested, floor)
    return round(suggested, 2)


def _evidence(row: Any, **extra: Any) -> dict[str, Any]:
    """The evidence every ad finding carries (SPEC §5), plus the rule's own numbers."""
    return {
        "level": row["level"],
        "campaign": row["campaign"],
        "ad_group": row["ad_group"] or None,
        "keyword": row["keyword"] or None,
        "match_type": row["match_type"] or None,
        "currency": row["currency"] or None,
        "impressions": _value(row, "impressions"),
        "clicks": _value(row, "clicks"),
        "cost": _value(row, "cost"),
        "gmv": _value(row, "gmv"),
        "ctr": _value(row, "ctr"),
        "roi": _value(row, "roi"),
        **extra,
    }


def _hold(ctx: "RuleContext", frame: "pd.DataFrame", mask: "pd.Series", field: str, needed: float,
          level: str) -> None:
    """Hold the subjects in `mask` (not enough data): the first `list_holds` by impressions one by one,
    the rest as one count, so a long tail of small keywords is counted, never silently dropped."""
    held = frame.loc[mask, list(dict.fromkeys(["subject", "impressions", field]))]
    if held.empty:
        return
    top = held.sort_values("impressions", ascending=False, kind="stable").head(ctx.param("list_holds"))
    for row in _records(top):
        ctx.skip(_not_enough(ctx, field, row[field], needed), subject=row["subject"])
    rest = len(held) - len(top)
    if rest > 0:
        noun = ctx.t("个计划" if level == "campaign" else "个关键词", "campaigns" if level == "campaign" else "keywords")
        ctx.skip(ctx.t(f"观察中：另有 {rest:,} {noun}{_FIELD_ZH[field]}不到 {needed:,}，数据不够，暂不判断",
                       f"hold: {rest:,} more {noun} under {needed:,} {_FIELD_EN[field]}: not enough data"))


_FIELD_ZH = {"impressions": "展现", "clicks": "点击", "cost": "花费"}
_FIELD_EN = {"impressions": "impressions", "clicks": "clicks", "cost": "spend"}


def _not_enough(ctx: "RuleContext", field: str, value: float, needed: float) -> str:
    """'hold: not enough data: 120 impressions, needs 500'."""
    if field == "cost":
        return ctx.t(f"观察中：数据不够，花费 {value:,.2f}，至少要 {needed:,}",
                     f"hold: not enough data: spent {value:,.2f}, needs {needed:,}")
    return ctx.t(f"观察中：数据不够，{_FIELD_ZH[field]} {value:,.0f}，至少要 {needed:,}",
                 f"hold: not enough data: {value:,.0f} {field}, needs {needed:,}")


def _list_notes(ctx: "RuleContext", notes: list[tuple[float, str, str]], rest_zh: str, rest_en: str) -> None:
    """Skips with a reason per subject (impressions, subject, reason): the biggest `list_holds`, then a count."""
    notes.sort(key=lambda note: -note[0])
    limit = ctx.param("list_holds")
    for _, subject, reason in notes[:limit]:
        ctx.skip(reason, subject=subject)
    if len(notes) > limit:
        rest = len(notes) - limit
        ctx.skip(ctx.t(rest_zh.format(rest=rest), rest_en.format(rest=rest)))


def _skip_mixed(ctx: "RuleContext", frame: "pd.DataFrame") -> None:
    for subject in frame.loc[frame["mixed"], "subject"]:
        ctx.skip(ctx.t("多个币种混在一起，不判断（分币种导出后再看）",
                       "mixed currencies in the window, not judged (export one currency per file)"), subject=subject)


def _page_blockers(ctx: "RuleContext") -> list[str]:
    """Why raises wait: the critical page findings, in the report's words."""
    reasons = []
    for finding in ctx.state.findings:
        if finding.rule in _PAGE_RULES and finding.severity == "critical":
            value, threshold = finding.evidence.get("value"), finding.evidence.get("threshold")
            if finding.rule == "page.bounce_rate" and value is not None:
                reasons.append(ctx.t(f"跳失率 {value:.1%}，超过 {threshold:.0%}",
                                     f"bounce rate is {value:.1%}, above {threshold:.0%}"))
            elif value is not None:
                reasons.append(ctx.t(f"访问深度 {value:.2f}，没到 {threshold}",
                                     f"pages per visitor is {value:.2f}, not above {threshold}"))
    return reasons


# -- ads.ctr_bid -----------------------------------------------------------------------------------
@rule(
    "ads.ctr_bid",
    owner="promotion",
    severity="warning",
    needs={"ad_report": ["impressions", "clicks"]},
    params=[
        _WINDOW,
        positive("high_ratio", 1.2, "点击率达到账户平均的这个倍数算高：加价", "CTR at or above this multiple of the account's CTR is high: raise"),
        positive("low_ratio", 0.7, "点击率不超过账户平均的这个倍数算低：降价、换图", "CTR at or below this multiple of the account's CTR is low: lower, new creative"),
        count("min_impressions", 500, "展现少于这个数先观察，不判断", "Below this many impressions: hold, not judged"),
        count("min_clicks", 10, "加价前至少要有这么多点击", "Clicks needed before a raise"),
        fraction("raise_step", 0.10, "每次加价的最大幅度（0.10 = 加 10%）", "Largest bid raise in one go (0.10 = +10%)"),
        _LOWER_STEP,
        _MIN_BID,
        positive("max_bid", None, "加价不超过这个出价；不填则不设上限", "Never suggest a bid above this; empty means no ceiling",
                 optional=True),
        _LIST_HOLDS,
    ],
    messages={
        "raise_bid": {
            "zh": ("{name}点击率 {ctr:.2%}，高于账户平均 {account_ctr:.2%}，投产比 {roi:.2f} 过了保本线 {break_even:.2f}",
                   "出价从 {current_bid:.2f} 加到 {suggested_bid:.2f}（+{change:.0%}），预算跟着放一点；三天后看点击率和投产比稳不稳。"),
            "en": ("{name} has a {ctr:.2%} CTR against the account's {account_ctr:.2%}, and ROI {roi:.2f} clears break-even {break_even:.2f}",
                   "Raise the bid from {current_bid:.2f} to {suggested_bid:.2f} (+{change:.0%}) and give it a little more budget; "
                   "check in three days that CTR and ROI hold."),
        },
        "raise_budget": {
            "zh": ("{name}点击率 {ctr:.2%}，高于账户平均 {account_ctr:.2%}，投产比 {roi:.2f} 过了保本线 {break_even:.2f}",
                   "把这个计划的出价和日限额各提高 {change:.0%}；三天后看点击率和投产比稳不稳。"),
            "en": ("{name} has a {ctr:.2%} CTR against the account's {account_ctr:.2%}, and ROI {roi:.2f} clears break-even {break_even:.2f}",
                   "Raise this campaign's bids and daily budget by {change:.0%}; check in three days that CTR and ROI hold."),
        },
        "raise_nobid": {
            "zh": ("{name}点击率 {ctr:.2%}，高于账户平均 {account_ctr:.2%}，投产比 {roi:.2f} 过了保本线 {break_even:.2f}",
                   "把这个词的出价提高 {change:.0%}（导出里没有当前出价）；三天后看点击率和投产比稳不稳。"),
            "en": ("{name} has a {ctr:.2%} CTR against the account's {account_ctr:.2%}, and ROI {roi:.2f} clears break-even {break_even:.2f}",
                   "Raise this keyword's bid by {change:.0%} (the export does not show its current bid); check in three "
                   "days that CTR and ROI hold."),
        },
        "raise_held": {
            "zh": ("{name}点击率 {ctr:.2%}，高于账户平均 {account_ctr:.2%}，本该加价，先不加",
                   "先把页面调好：{page_reason}，现在加价只会亏钱。页面达标后再把出价提高 {change:.0%}。"),
            "en": ("{name} has a {ctr:.2%} CTR against the account's {account_ctr:.2%} and would earn a raise, but not yet",
                   "Fix the pages first: {page_reason}; more paid traffic now only loses money. Raise the bid "
                   "by {change:.0%} once the pages pass."),
        },
        "lower_bid": {
            "zh": ("{name}点击率只有 {ctr:.2%}，低于账户平均 {account_ctr:.2%}",
                   "出价从 {current_bid:.2f} 降到 {suggested_bid:.2f}（{change:.0%}），窗口期花了 {spend}；观察三天，点击率还上不来就删词。"),
            "en": ("{name} has only a {ctr:.2%} CTR against the account's {account_ctr:.2%}",
                   "Lower the bid from {current_bid:.2f} to {suggested_bid:.2f} ({change:.0%}); it spent {spend} in the window. "
                   "Watch it for three days and delete the keyword if CTR does not recover."),
        },
        "lower_floor": {
            "zh": ("{name}点击率只有 {ctr:.2%}，低于账户平均 {account_ctr:.2%}，出价已经到底",
                   "出价 {current_bid:.2f} 已经到 {min_bid:.2f} 的下限，再降没用：暂停或删掉这个词，窗口期花了 {spend}。"),
            "en": ("{name} has only a {ctr:.2%} CTR against the account's {account_ctr:.2%}, and its bid is already at the floor",
                   "The bid of {current_bid:.2f} is at the {min_bid:.2f} floor, so lowering it further does nothing: "
                   "pause or delete it; it spent {spend} in the window."),
        },
        "lower_budget": {
            "zh": ("{name}点击率只有 {ctr:.2%}，低于账户平均 {account_ctr:.2%}",
                   "把这个计划的出价和日限额各降低 {cut:.0%}（窗口期花了 {spend}），预算挪给点击率高的计划；同时让美工换图测图。"),
            "en": ("{name} has only a {ctr:.2%} CTR against the account's {account_ctr:.2%}",
                   "Cut this campaign's bids and daily budget by {cut:.0%} (it spent {spend} in the window) and move the "
                   "money to campaigns with a higher CTR; have design test new creatives."),
        },
        "lower_nobid": {
            "zh": ("{name}点击率只有 {ctr:.2%}，低于账户平均 {account_ctr:.2%}",
                   "把这个词的出价降低 {cut:.0%}（导出里没有当前出价），窗口期花了 {spend}；观察三天，点击率还上不来就删词。"),
            "en": ("{name} has only a {ctr:.2%} CTR against the account's {account_ctr:.2%}",
                   "Lower this keyword's bid by {cut:.0%} (the export does not show its current bid); it spent {spend} "
                   "in the window. Watch it for three days and delete it if CTR does not recover."),
        },
        "creative": {
            "zh": ("{name}点击率只有 {ctr:.2%}（账户平均 {account_ctr:.2%}），推广图吸引不了人",
                   "换主图/创意图：从客服聊天和买家评价里找买家最在意的点（质量、价格、款式），做 2–3 张新图横向测图，留点击率高的。"),
            "en": ("{name} has only a {ctr:.2%} CTR (account {account_ctr:.2%}): its creative does not draw clicks",
                   "Change the main image and creatives: take what buyers care about from chats and reviews (quality, "
                   "price, style), test 2–3 new images side by side and keep the one with the best CTR."),
        },
    },
)
def ctr_bid(ctx: "RuleContext") -> None:
    """CTR-based bids: raise plans and keywords whose CTR beats the account's, lower the ones below it.

    [zh]
    检查：最近 window_days 天（含报告日）每个推广计划和每个关键词的点击率（点击量 ÷ 展现量，按汇总后的数算），和同币种账户的平均点击率比：达到 high_ratio 倍且投产比不低于保本投产比（1 ÷ 毛利率，默认毛利率 30% → 3.33）就加价；不超过 low_ratio 倍就降价，计划点击率低还要美工换图。展现不到 min_impressions 先观察（逐条列出，最多 list_holds 条，其余合计）；加价还要至少 min_clicks 次点击；展现很多却零点击的词交给 ads.zero_click；点击率低、投产比又低于保本、ads.roi_breakeven 会处理的，出价只由它来降（或暂停），这里只留给美工的换图任务。每次加价幅度 = 点击率高出账户平均的比例，最多 raise_step，不超过 max_bid；降价最多 lower_step，不低于 min_bid；建议出价保留两位小数。全店跳失率或访问深度严重不及格时，加价先压着不加，并说明原因（只作提示：今天要做的是调页面）。
    原因：《电商运营》(002)：“推广的核心是点击率……在推广的过程中观察不同计划的点击率，然后提高点击率较高计划的出价和预算，同时降低点击率较低计划的出价和预算，从而可以从整体上提高点击率。”“直通车的点击率越高，质量得分会越高，从而降低点击单价。”《运营的一天》(003) 付费推广分析：“分析它的点击率、平均点击花费、展现排名、转化率、成交额、投入产出比等等。如果点击率偏低，该如何换图？分析词语的去留，怎么加新词，追加哪些词的价格，降低哪些词的价格，删除哪些词，观察哪些词。”店铺页面检查：跳失率和访问深度达不到，“你首先要做的不是加大推广，而是调整页面”，否则“不管怎么推都会亏钱”。
    怎么做：高点击率、投产比过保本线的加价加预算；点击率低的降价，计划整体点击率低的换主图、做新创意横向测图；导出里有出价就按建议出价改（--bid-sheet 导出改价表），没有出价的计划调出价和日限额。页面不及格时先调页面再加价。
    金额：按天算：降价看窗口期内的日均花费；加价看预计每天多出的成交额（窗口期日均成交额 × 加价幅度）。
    [en]
    Checks: over the last window_days days up to the report day, each campaign's and keyword's CTR (clicks ÷ impressions, from the summed counts) against the account's CTR in the same currency. At high_ratio times the account or more, with ROI at or above break-even (1 ÷ gross margin; the default 30% margin gives 3.33): raise. At low_ratio times or less: lower, and a low-CTR campaign also gets a new-creative task for design. Under min_impressions a subject is held (watched, not judged; listed one by one up to list_holds, the rest counted); a raise also needs min_clicks; keywords with many impressions and no click are left to ads.zero_click; a low-CTR subject whose ROI is below break-even and that ads.roi_breakeven judges gets its bid cut (or pause) from that rule alone, and only the creative task here. A raise is the CTR's lead over the account, at most raise_step and never above max_bid; a cut is at most lower_step and never below min_bid; bids are rounded to 0.01. While the shop's bounce rate or pages per visitor is critical, raises are held back: the finding says why and is only info, because today's job is the page.
    Why: Document 002: "The core of promotion is CTR... watch each plan's CTR, then raise the bid and budget of plans with a higher CTR and lower those of plans with a lower CTR, which lifts CTR overall." "The higher a 直通车 CTR, the higher the quality score, which lowers the cost per click." An operator's day (003), paid-ads review: "analyse its CTR, average CPC, rank, conversion, sales and ROI. If CTR is low, how should the image change? Decide which keywords stay, which new ones to add, whose bids to raise, whose to lower, which to delete and which to watch." And on pages: when bounce rate and visit depth fail, "the first thing to do is not more promotion but fixing the pages", or "however you promote, you lose money".
    Fix: raise bid and budget where CTR is high and ROI clears break-even; lower where CTR is low, and refresh a low-CTR campaign's main image and creatives with side-by-side tests. Apply the suggested bids (--bid-sheet writes them out); campaigns without bids get their bids and daily budget adjusted. Fix failing pages before any raise.
    Money: per day: for a cut, the window's average daily spend; for a raise, the extra daily sales expected (the window's average daily sales × the raise).
    """
    view = ad_view(ctx, ctx.param("window_days"))
    if view is None or not view.levels():
        ctx.skip(ctx.t("窗口期内没有推广数据", "no ad rows in the window"))
        return
    break_even = _break_even(ctx)
    blockers = _page_blockers(ctx)
    zero_click = ctx.config.rule_settings("ads.zero_click")
    for level, frame in view.levels():
        _skip_mixed(ctx, frame)
        frame = frame[~frame["mixed"]]
        no_clicks = frame["account_clicks"].fillna(0) <= 0
        if no_clicks.any():
            ctx.skip(ctx.t(f"{'计划' if level == 'campaign' else '关键词'}在窗口期内一次点击都没有，没有平均点击率可比",
                           f"no {level} clicks in the window: no account CTR to compare with"))
        frame = frame[~no_clicks]
        if frame.empty:
            continue
        if level == "keyword" and zero_click["enabled"]:
            # Many impressions, no clicks: ads.zero_click says pause; lowering the bid would contradict it.
            frame = frame[~((frame["clicks"] == 0) & (frame["impressions"] >= zero_click["min_impressions"]))]
        if level == "campaign" and frame["currency"].nunique() == 1:
            ctx.metrics["ad_account_ctr"] = round(float(frame["account_ctr"].iloc[0]), 4)
        _judge_ctr(ctx, frame, level, break_even, blockers)


def _judge_ctr(ctx: "RuleContext", frame: "pd.DataFrame", level: str, break_even: float | None,
               blockers: list[str]) -> None:
    high_line = frame["account_ctr"] * ctx.param("high_ratio")
    low_line = frame["account_ctr"] * ctx.param("low_ratio")
    few_impressions = frame["impressions"] < ctx.param("min_impressions")
    high = (frame["ctr"] >= high_line) & ~few_impressions
    low = (frame["ctr"] <= low_line) & ~high & ~few_impressions
    few_clicks = high & (frame["clicks"] < ctx.param("min_clicks"))
    _hold(ctx, frame, few_impressions, "impressions", ctx.param("min_impressions"), level)
    _hold(ctx, frame, few_clicks, "clicks", ctx.param("min_clicks"), level)

    frame = frame.assign(high_line=high_line, low_line=low_line)
    notes = []
    for row in _records(frame[high & ~few_clicks]):
        note = _raise(ctx, row, break_even, blockers, row["high_line"])
        if note:
            notes.append((row["impressions"], row["subject"], note))
    _list_notes(ctx, notes, "另有 {rest:,} 个点击率高的没有加价（投产比不够或到了出价上限）",
                "{rest:,} more with a high CTR not raised (ROI short of break-even, or at the bid ceiling)")
    cut_for_roi = _cut_by_roi_rule(ctx, frame, break_even)
    for row in _records(frame[low].assign(cut_for_roi=cut_for_roi[low])):
        _lower(ctx, row, row["low_line"], bid_cut=not row["cut_for_roi"])


def _cut_by_roi_rule(ctx: "RuleContext", frame: "pd.DataFrame", break_even: float | None) -> "pd.Series":
    """Subjects `ads.roi_breakeven` will cut or pause. A low CTR on those gets no second bid cut: one
    keyword should not read "lower the bid 10%" and "pause it" on the same list, and the ROI verdict
    carries the money reason. (Its creative finding for design still stands.)"""
    import pandas as pd

    settings = ctx.config.rule_settings("ads.roi_breakeven")
    if break_even is None or not settings["enabled"]:
        return pd.Series(False, index=frame.index)
    return ((frame["cost"] >= settings["min_cost"]) & (frame["clicks"] >= settings["min_clicks"])
            & frame["gmv"].notna() & (frame["roi"].fillna(0) < break_even) & (frame["cost"] > 0))


def _raise(ctx: "RuleContext", row: Any, break_even: float | None, blockers: list[str],
           line: float) -> str | None:
    """Raise a high-CTR subject, or hold the raise back and say why; returns the reason when not raised."""
    roi, subject = _value(row, "roi"), row["subject"]
    if break_even is None:
        return ctx.t("毛利率为 0，算不出保本投产比，不加价", "gross margin is 0: no break-even ROI, no raise")
    if roi is None:
        return ctx.t(f"观察中：点击率 {row['ctr']:.2%} 高，但导出没有成交金额，确认不了投产比，先不加价",
                     f"hold: CTR {row['ctr']:.2%} is high, but the export has no sales to check ROI against break-even")
    if roi < break_even:
        return ctx.t(f"点击率 {row['ctr']:.2%} 高，但投产比 {roi:.2f} 低于保本 {break_even:.2f}，不加价（见 ads.roi_breakeven）",
                     f"CTR {row['ctr']:.2%} is high but ROI {roi:.2f} is below break-even {break_even:.2f}: "
                     "no raise (see ads.roi_breakeven)")
    step = _step(ctx.param("raise_step"), row["ctr"] / row["account_ctr"] - 1)
    bid, ceiling = _value(row, "bid"), ctx.param("max_bid")
    evidence = _evidence(row, direction="raise", account_ctr=row["account_ctr"], threshold=line,
                         break_even=break_even, current_bid=bid)
    name = _name(row, ctx.lang)
    if blockers:
        # Not today's job: the page is (it is the critical finding above); this only says what waits.
        ctx.finding("raise_held", subject, {**evidence, "held": True, "change": step}, severity="info",
                    name=name, page_reason=ctx.t("；", "; ").join(blockers))
        return None
    gmv = _value(row, "gmv") or 0.0
    if bid is None:
        key = "raise_budget" if row["level"] == "campaign" else "raise_nobid"
        ctx.finding(key, subject, {**evidence, "change": step}, money=_per_day(row, gmv * step), name=name)
        return None
    if ceiling is not None and bid >= ceiling:
        return ctx.t(f"点击率高、投产比过保本，但出价 {bid:.2f} 已到上限 {ceiling:.2f}，不再加",
                     f"CTR and ROI qualify, but the bid {bid:.2f} is already at the {ceiling:.2f} ceiling")
    suggested = _stepped(bid, step, ceiling=ceiling)
    change = (suggested - bid) / bid
    ctx.finding("raise_bid", subject, {**evidence, "suggested_bid": suggested, "change": change},
                money=_per_day(row, gmv * change), name=name)
    return None


def _lower(ctx: "RuleContext", row: Any, line: float, *, bid_cut: bool = True) -> None:
    subject, name = row["subject"], _name(row, ctx.lang)
    bid, floor = _value(row, "bid"), ctx.param("min_bid")
    step = _step(ctx.param("lower_step"), 1 - row["ctr"] / row["account_ctr"])
    cost = _value(row, "cost")
    spend = _amount(cost, row["currency"], ctx.lang)
    evidence = _evidence(row, direction="lower", account_ctr=row["account_ctr"], threshold=line, current_bid=bid)
    if not bid_cut:
        pass
    elif bid is None:
        key = "lower_budget" if row["level"] == "campaign" else "lower_nobid"
        ctx.finding(key, subject, {**evidence, "change": -step}, money=_per_day(row, cost), name=name, spend=spend, cut=step)
    else:
        suggested = _stepped(bid, -step, floor=floor)
        if suggested >= bid:
            ctx.finding("lower_floor", subject, {**evidence, "min_bid": floor}, money=_per_day(row, cost), name=name, spend=spend)
        else:
            change = (suggested - bid) / bid
            ctx.finding("lower_bid", subject, {**evidence, "suggested_bid": suggested, "change": change},
                        money=_per_day(row, cost), name=name, spend=spend)
    if row["level"] == "campaign":
        # The creative shows for every keyword of the plan: a plan-wide low CTR points at the image.
        ctx.finding("creative", subject, {**evidence, "direction": "creative"}, owner="design", name=name)


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
    messages={
        "zero": {
            "zh": ("关键词「{keyword}」（计划「{campaign}」）展现 {impressions:,.0f} 次，一次点击都没有",
                   "暂停或删掉这个词；舍不得删就先查词和宝贝是否相关、换成精准匹配。{spent}"),
            "en": ("Keyword “{keyword}” (campaign “{campaign}”) had {impressions:,.0f} impressions and not one click",
                   "Pause or delete it; if you want to keep it, check that it matches the product and switch it to "
                   "exact match.{spent}"),
        },
    },
)
def zero_click(ctx: "RuleContext") -> None:
    """Keywords shown many times that nobody clicks: pause or delete them.

    [zh]
    检查：最近 window_days 天每个关键词的展现和点击：展现达到 min_impressions 次、点击为 0 的词要暂停或删除；展现不够的 0 点击词先观察。
    原因：《运营的一天》(003) 付费推广分析：“分析词语的去留……删除哪些词，观察哪些词”；《电商运营》(002)：“推广的核心是点击率”，只展现不被点的词拉低计划的点击率和质量得分，让别的词的点击更贵。
    怎么做：暂停或删除；要保留就先查词和宝贝是否相关、改精准匹配。
    金额：这些词在窗口期内的日均花费（按点击扣费时通常是 0，按展现扣费的会有花费）。
    [en]
    Checks: each keyword's impressions and clicks over the last window_days days: min_impressions or more with no click at all is paused or deleted; zero-click keywords with fewer impressions are held and watched.
    Why: An operator's day (003), paid-ads review: "decide which keywords stay... which to delete and which to watch"; document 002: "the core of promotion is CTR" — keywords shown but never clicked drag the plan's CTR and quality score down and make the other keywords' clicks dearer.
    Fix: pause or delete them; to keep one, check it matches the product and switch it to exact match.
    Money: their average daily spend in the window (usually 0 when billed per click; CPM-billed keywords do spend).
    """
    view = ad_view(ctx, ctx.param("window_days"))
    frame = view.keywords if view is not None else None
    if frame is None or frame.empty:
        ctx.skip(ctx.t("窗口期内没有关键词级别的推广数据", "no keyword-level ad rows in the window"))
        return
    _skip_mixed(ctx, frame)
    frame = frame[~frame["mixed"]]
    needed = ctx.param("min_impressions")
    zero = (frame["clicks"] == 0) & (frame["impressions"] > 0)
    enough = frame["impressions"] >= needed
    _hold(ctx, frame, zero & ~enough, "impressions", needed, "keyword")
    for row in _records(frame[zero & enough]):
        cost = _value(row, "cost")
        spent = ctx.t(f"窗口期花了 {_amount(cost, row['currency'], 'zh')}。",
                      f" It spent {_amount(cost, row['currency'], 'en')} in the window.") if cost else ""
        ctx.finding("zero", row["subject"], _evidence(row, direction="pause", threshold=needed),
                    money=_per_day(row, cost), spent=spent)


# -- ads.roi_breakeven -----------------------------------------------------------------------------
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
    messages={
        "cut_bid": {
            "zh": ("{name}投产比 {roi:.2f}，低于保本投产比 {break_even:.2f}",
                   "出价从 {current_bid:.2f} 降到 {suggested_bid:.2f}（{change:.0%}），三天后投产比还不到保本线就暂停。窗口期亏了约 {loss_text}。"),
            "en": ("{name} returns ROI {roi:.2f}, below the {break_even:.2f} break-even",
                   "Cut the bid from {current_bid:.2f} to {suggested_bid:.2f} ({change:.0%}); pause it if ROI is still "
                   "under break-even in three days. It lost about {loss_text} in the window."),
        },
        "cut_budget": {
            "zh": ("{name}投产比 {roi:.2f}，低于保本投产比 {break_even:.2f}",
                   "把出价和日限额降低 {cut:.0%}，三天后投产比还不到保本线就暂停。窗口期亏了约 {loss_text}。"),
            "en": ("{name} returns ROI {roi:.2f}, below the {break_even:.2f} break-even",
                   "Cut its bids and daily budget by {cut:.0%}; pause it if ROI is still under break-even in three "
                   "days. It lost about {loss_text} in the window."),
        },
        "cut_nobid": {
            "zh": ("{name}投产比 {roi:.2f}，低于保本投产比 {break_even:.2f}",
                   "把这个词的出价降低 {cut:.0%}（导出里没有当前出价），三天后投产比还不到保本线就暂停。窗口期亏了约 {loss_text}。"),
            "en": ("{name} returns ROI {roi:.2f}, below the {break_even:.2f} break-even",
                   "Cut this keyword's bid by {cut:.0%} (the export does not show its current bid); pause it if ROI is "
                   "still under break-even in three days. It lost about {loss_text} in the window."),
        },
        "pause": {
            "zh": ("{name}投产比只有 {roi:.2f}，不到保本投产比 {break_even:.2f} 的 {critical_ratio:.0%}",
                   "先暂停（关键词直接删掉）：窗口期花了 {spend}，亏了约 {loss_text}。查清宝贝转化和页面问题再重开。"),
            "en": ("{name} returns only ROI {roi:.2f}, under {critical_ratio:.0%} of the {break_even:.2f} break-even",
                   "Pause it now (delete a keyword outright): it spent {spend} in the window and lost about {loss_text}. "
                   "Find out why the item does not convert before switching it back on."),
        },
        "pause_floor": {
            "zh": ("{name}投产比 {roi:.2f}，低于保本投产比 {break_even:.2f}，出价已经到底",
                   "出价 {current_bid:.2f} 已到 {min_bid:.2f} 的下限，降不动了：暂停或删掉。窗口期亏了约 {loss_text}。"),
            "en": ("{name} returns ROI {roi:.2f}, below the {break_even:.2f} break-even, with its bid at the floor",
                   "The bid of {current_bid:.2f} is at the {min_bid:.2f} floor, so there is nothing left to cut: "
                   "pause or delete it. It lost about {loss_text} in the window."),
        },
    },
)
def roi_breakeven(ctx: "RuleContext") -> None:
    """Plans and keywords whose ROI is below break-even (1 ÷ gross margin): cut the bid or pause.

    [zh]
    检查：最近 window_days 天每个推广计划和关键词的投产比（成交金额 ÷ 花费，按汇总后的数算；导出没有成交金额时用投入产出比 × 花费），和保本投产比（1 ÷ shop.gross_margin，默认毛利率 30% → 3.33）比。花费至少 min_cost、点击至少 min_clicks 才判断，不够的先观察。低于保本：降价一档（lower_step，不低于 min_bid）；低于保本的 critical_ratio（默认一半）为严重：直接暂停。
    原因：《运营的一天》(003) 付费推广分析：每天看热销单品的“点击率、平均点击花费、展现排名、转化率、成交额、投入产出比”，决定“降低哪些词的价格，删除哪些词”。《电商运营》(002)：“产品要考虑利润率……有利润才能生存和发展”。投产比低于 1 ÷ 毛利率，每花一块推广费赚回的毛利不到一块，推得越多亏得越多。
    怎么做：导出里有出价的降到建议出价（--bid-sheet 导出改价表），没有出价的计划降出价和日限额；严重的先暂停，查清转化问题再开。
    金额：窗口期内平均每天亏掉的钱 = (花费 − 成交金额 × 毛利率) ÷ 天数。
    [en]
    Checks: each campaign's and keyword's ROI over the last window_days days (sales ÷ spend from the summed counts; ROI × spend when the export has no sales column) against break-even, 1 ÷ shop.gross_margin (the default 30% margin gives 3.33). Judged only with at least min_cost spend and min_clicks clicks; below that, held. Under break-even: cut the bid one step (lower_step, never below min_bid). Under critical_ratio of break-even (half, by default): critical, pause.
    Why: An operator's day (003), paid-ads review: every morning check the hot items' "CTR, average CPC, rank, conversion, sales and ROI" and decide "whose bids to lower and which keywords to delete". Document 002: "a product must earn its margin... only profit keeps a shop alive". Below 1 ÷ margin, each unit of ad spend brings back less than a unit of gross profit: the more you promote, the more you lose.
    Fix: apply the suggested lower bid (--bid-sheet writes it out), or cut a campaign's bids and daily budget; pause the critical ones and find out why the item does not convert before switching them back on.
    Money: the average daily loss in the window = (spend − sales × gross margin) ÷ days.
    """
    view = ad_view(ctx, ctx.param("window_days"))
    if view is None or not view.levels():
        ctx.skip(ctx.t("窗口期内没有推广数据", "no ad rows in the window"))
        return
    if not view.has_sales:
        ctx.skip(ctx.t("缺少字段：ad_report.gmv（或投入产出比）", "skipped, needs ad_report.gmv (or roi)"))
        return
    break_even = _break_even(ctx)
    if break_even is None:
        ctx.skip(ctx.t("毛利率为 0，算不出保本投产比", "gross margin is 0: no break-even ROI"))
        return
    ctx.metrics["break_even_roi"] = round(break_even, 2)
    margin = ctx.config.get("shop", "gross_margin")
    for level, frame in view.levels():
        _skip_mixed(ctx, frame)
        frame = frame[~frame["mixed"]]
        losing = (frame["cost"] > 0) & (frame["roi"].fillna(0) < break_even) & frame["gmv"].notna()
        few_cost = losing & (frame["cost"] < ctx.param("min_cost"))
        few_clicks = losing & ~few_cost & (frame["clicks"] < ctx.param("min_clicks"))
        _hold(ctx, frame, few_cost, "cost", ctx.param("min_cost"), level)
        _hold(ctx, frame, few_clicks, "clicks", ctx.param("min_clicks"), level)
        for row in _records(frame[losing & ~few_cost & ~few_clicks]):
            _cut(ctx, row, break_even, margin)


def _cut(ctx: "RuleContext", row: Any, break_even: float, margin: float) -> None:
    row["roi"] = _value(row, "roi") or 0.0
    cost, gmv = _value(row, "cost") or 0.0, _value(row, "gmv") or 0.0
    loss = cost - gmv * margin
    bid, floor, step = _value(row, "bid"), ctx.param("min_bid"), ctx.param("lower_step")
    critical_ratio = ctx.param("critical_ratio")
    evidence = _evidence(row, break_even=break_even, loss=loss, threshold=break_even, current_bid=bid)
    values = {
        "name": _name(row, ctx.lang), "spend": _amount(cost, row["currency"], ctx.lang),
        "loss_text": _amount(loss, row["currency"], ctx.lang), "critical_ratio": critical_ratio,
    }
    if row["roi"] < critical_ratio * break_even:
        ctx.finding("pause", row["subject"], {**evidence, "direction": "pause"}, severity="critical",
                    money=_per_day(row, loss), **values)
        return
    if bid is None:
        key = "cut_budget" if row["level"] == "campaign" else "cut_nobid"
        ctx.finding(key, row["subject"], {**evidence, "direction": "lower", "change": -step},
                    money=_per_day(row, loss), cut=step, **values)
        return
    suggested = _stepped(bid, -step, floor=floor)
    if suggested >= bid:
        ctx.finding("pause_floor", row["subject"], {**evidence, "direction": "pause", "min_bid": floor},
                    money=_per_day(row, loss), **values)
        return
    ctx.finding("cut_bid", row["subject"],
                {**evidence, "direction": "lower", "suggested_bid": suggested, "change": (suggested - bid) / bid},
                money=_per_day(row, loss), **values)
