"""What changed overnight for one item, traffic source or campaign: the same test as the shop's.

Source: `003_01bac92a2fb6a989.txt` (an operator's day): "接着我们精准到几个主要的单品……没达标是因为哪块流量减少
了？为什么减少？" and for paid traffic "分析它的点击率……投入产出比". The test is `shopdoc.changes.detect_many`
(the shop rule's `detect`, vectorised over subjects).
"""

from __future__ import annotations

from datetime import date as Date
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from shopdoc.params import count, fraction, positive
from shopdoc.rules import rule

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

ORDER = 16

# Per level: metric -> (bad direction, unit of the wording, owner, the rule judging the same subject
# and metric, whose to-do a break is told under). Rising cost is the bad way for a campaign (a
# budget or bid that ran away); its collapse shows as fewer paid visitors.
METRICS: dict[str, dict[str, tuple[int, str, str, str | None]]] = {
    "item": {"visitors": (-1, "count", "promotion", None),
             "conversion_rate": (-1, "pct", "design", "item.conversion_drop"),
             "gmv": (-1, "money", "operations", None)},
    "source": {"visitors": (-1, "count", "promotion", "traffic.source_change"),
               "conversion_rate": (-1, "pct", "promotion", "traffic.source_quality")},
    "campaign": {"cost": (+1, "money", "promotion", None),
                 "roi": (-1, "num", "promotion", "ads.roi_breakeven"),
                 "ctr": (-1, "pct", "promotion", "ads.ctr_bid")},
}
JUDGED_BY = {(level, metric): spec[3] for level, metrics in METRICS.items() for metric, spec in metrics.items() if spec[3]}

_NAMES = {
    "zh": {"visitors": "访客数", "conversion_rate": "支付转化率", "gmv": "成交额", "cost": "花费", "roi": "投产比",
           "ctr": "点击率"},
    "en": {"visitors": "visitors", "conversion_rate": "conversion", "gmv": "sales", "cost": "spend", "roi": "ROI",
           "ctr": "CTR"},
}
_LEVEL = {"zh": {"item": "商品", "source": "来源", "campaign": "计划"},
          "en": {"item": "items", "source": "sources", "campaign": "campaigns"}}
_SUBJECT = {"zh": {"item": "「{name}」", "source": "「{name}」", "campaign": "计划「{name}」"},
            "en": {"item": "“{name}”", "source": "{name}", "campaign": "campaign “{name}”"}}
_WHAT = {  # what to check first, per level
    "item": {"zh": "这个款 {since:day} 前后改过什么（标题、主图、价格、库存、活动、推广计划）",
             "en": "what changed on this item around {since:day} (title, main image, price, stock, promotions, campaigns)"},
    "source": {"zh": "这个入口 {since:day} 前后有什么变化（活动结束、计划停了、搜索排名掉了）",
               "en": "what changed at this entrance around {since:day} (a promotion ended, a campaign stopped, a ranking fell)"},
    "campaign": {"zh": "这个计划 {since:day} 前后改过什么（出价、预算、人群、创意、定向、宝贝）",
                 "en": "what changed in this campaign around {since:day} (bids, budget, audiences, creatives, targeting, items)"},
}
_GROUP_WHAT = {
    "item": {"zh": "全店 {group:day} 改过什么（活动、价格、类目、推广计划、发货），而不是一个个款查",
             "en": "what changed shop-wide on {group:day} (promotions, prices, categories, campaigns, shipping) rather than item by item"},
    "source": {"zh": "全店 {group:day} 改过什么（活动、推广计划、店铺是否被降权）",
               "en": "what changed shop-wide on {group:day} (promotions, campaigns, a ranking penalty)"},
    "campaign": {"zh": "账户 {group:day} 改过什么（出价、预算、人群、创意），平台规则是否变了",
                 "en": "what changed in the account on {group:day} (bids, budgets, audiences, creatives), or on the platform"},
}


def _messages() -> dict[str, dict[str, tuple[str, str]]]:
    """Each level × metric: the single break, the breaks of one day grouped, and the new level."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for level, metrics in METRICS.items():
        for metric, (bad, unit, _, _) in metrics.items():
            zh_way, en_way = ("突然涨了", "jumped") if bad > 0 else ("突然变差", "fell")
            names = {lang: _NAMES[lang][metric] for lang in ("zh", "en")}
            subject = {lang: _SUBJECT[lang][level] for lang in ("zh", "en")}
            what = _WHAT[level]
            out[f"{level}.{metric}"] = {
                "zh": (f"{subject['zh']}{names['zh']} {{since:day}} 起{zh_way}：{{{metric}:{unit}}}，平常在 {{usual_{metric}:{unit}}} 左右"
                       "（{change:spct}）",
                       f"这是 {{since:day}} 才出现的变化，不是老问题：先查{what['zh']}，对上了就改回来；对不上，{{acts:owner}}查原因。"),
                "en": (f"{subject['en']}: {names['en']} {en_way} from {{since:day}}: {{{metric}:{unit}}}, against a usual "
                       f"{{usual_{metric}:{unit}}} ({{change:spct}})",
                       f"This is new since {{since:day}}, not an old problem: check {what['en']} and undo it if it matches; "
                       "if nothing does, {acts:owner} finds out why."),
            }
            out[f"group.{level}.{metric}"] = {
                "zh": (f"{{group:day}} 起 {{n}} 个{_LEVEL['zh'][level]}的{names['zh']}同一天{zh_way}：{{worst}}",
                       f"同一天一起变的，多半是同一个原因：先查{_GROUP_WHAT[level]['zh']}；完整名单见 --details。"),
                "en": (f"{{n}} {_LEVEL['en'][level]}: {names['en']} {en_way} on the same day, {{group:day}}: {{worst}}",
                       f"Changes on one day usually share one cause: check {_GROUP_WHAT[level]['en']}; the full list is "
                       "in --details."),
            }
            out[f"{level}.{metric}.new_normal"] = {
                "zh": (f"{subject['zh']}{names['zh']}从 {{since:day}} 起一直在 {{level_{metric}:{unit}}} 左右（之前 {{usual_{metric}:{unit}}}）",
                       "已经 {days} 天，当成新水平看待，之后不再每天提醒；变差的原因还要找到。"),
                "en": (f"{subject['en']}: {names['en']} has held at about {{level_{metric}:{unit}}} since {{since:day}} "
                       f"(before: {{usual_{metric}:{unit}}})",
                       "{days} days now: treat it as the new level; it will not be repeated every morning, but its cause still "
                       "needs finding."),
            }
            out[f"group.{level}.{metric}.new_normal"] = {
                "zh": (f"{{n}} 个{_LEVEL['zh'][level]}的{names['zh']}从 {{group:day}} 起停在变差后的新水平：{{worst}}",
                       "当成新水平看待，之后不再每天提醒；完整名单见 --details。"),
                "en": (f"{{n}} {_LEVEL['en'][level]}: {names['en']} has held at a worse level since {{group:day}}: {{worst}}",
                       "Treat it as the new level; it will not be repeated every morning. The full list is in --details."),
            }
    return out


@rule(
    "change.subjects",
    owner="operations",
    severity="warning",
    needs={},
    params=[
        positive("z", 4.0, "离平常水平至少多少个稳健标准差才算变了", "How many robust standard deviations from the usual level count as a change"),
        fraction("min_change", 0.15, "而且至少变了平常水平的这个比例（单个商品、来源、计划的波动比全店大）",
                 "…and at least this fraction of the usual level (one item, source or campaign swings more than the shop)"),
        count("min_days", 10, "之前至少有这么多天的数据才判断（导出多天或打开历史记录）", "Judge only with at least this many earlier days (several days in the export, or the history)"),
        count("hold", 3, "连续这么多天都在新水平上，就说“新水平”，之后不再每天提醒", "After this many days at a new level, say it is the new normal once, then stay quiet"),
        count("min_visitors", 100, "商品、来源平常每天访客数少于这个值不判断（样本太小）",
              "Items and sources with fewer usual visitors a day are not judged (too small a sample)"),
        count("min_clicks", 50, "计划平常每天点击少于这个值不判断", "Campaigns with fewer usual clicks a day are not judged"),
        count("window_days", 35, "往前看多少天（历史记录里的）", "How many earlier days to read (from the history)"),
    ],
    messages=_messages(),
)
def subjects(ctx) -> None:
    """An item, traffic source or campaign metric that broke on the report day, or settled at a new level.

    [zh]
    检查：每个商品的访客数、支付转化率、成交额，每个一级流量来源的访客数和转化率，每个推广计划的花费、投产比、点击率，和全店指标用同一个检验（见 change.shop_metrics）：平常水平取前 14 天中位数，波动取前 28 天的 MAD，够 3 周先去掉星期几的规律；报告日偏离至少 4 个稳健标准差、而且至少变了 15%，就是“突然变了”，说出从哪天开始；连续 3 天在新水平上说一次“新水平”。只说变差的方向（商品和来源的访客、转化、成交额变少，计划的投产比、点击率变低、花费突然变多）；变好的交给 item.conversion_rise 这类规则。同一天变差的归成一条待办（“11-22 起 38 个商品的访客数同一天突然变差”），完整名单在 --details。已经有规则在判断同一个对象同一个指标的（商品转化率下降、来源访客变化、计划投产比、点击率），变化写在那条待办下面，不重复列。平常每天访客不到 100 的商品和来源、点击不到 50 的计划不判断；之前不到 10 天数据不判断；大促日不和平常比。
    原因：《运营的一天》(003)：“接着我们精准到几个主要的单品……没达标是因为哪块流量减少了？为什么减少？这些都要做到心中有数。”直通车要“分析它的点击率、平均点击花费……投入产出比”。昨天刚发生的变化要马上查是哪个改动引起的。
    怎么做：一个对象变了，查它那天前后改过什么；很多对象同一天一起变，查全店或账户那天改过什么。
    门槛：z = 4、至少变 15%、10 天数据、3 天算新水平、访客 100、点击 50，都是我们定的（文档没有给数字）。
    [en]
    Checks: each item's visitors, conversion and sales, each first-level traffic source's visitors and conversion, each campaign's spend, ROI and CTR, with the shop's test (see change.shop_metrics): the usual level is the median of the 14 earlier days, the spread the MAD of the 28 earlier days, after the weekday pattern once three weeks show one; a report day at least 4 robust standard deviations and 15% off is a change, with the day it started; three days at a new level are said once as the new normal. Only the bad direction is a to-do (fewer visitors, lower conversion or sales, lower ROI or CTR, a spend jump); rises are for rules such as item.conversion_rise. Subjects that changed on the same day are one to-do ("38 items: visitors fell on the same day, 11-22"), the full list in --details. Where a rule already judges the same subject and metric (item conversion drop, source change, campaign ROI, CTR), the change is told under its to-do, never twice. Items and sources under 100 usual visitors a day and campaigns under 50 usual clicks are not judged; fewer than 10 earlier days: not judged; promotion days are not held against ordinary ones.
    Why: "An operator's day" (003): "Then we narrow it down to the main items... if it fell short, which traffic fell, and why? Know all of this." Paid traffic: "analyse its CTR, average cost per click... return on spend". A change that happened yesterday needs its cause found now.
    Fix: one subject changed: check what changed on it around that day; many on one day: check what changed shop- or account-wide that day.
    Thresholds: z = 4, a 15% move, 10 earlier days, 3 days for a new normal, 100 visitors and 50 clicks are ours; the documents give none.
    """
    if ctx.date is None:
        ctx.skip(ctx.t("导出里没有日期", "no dates in the exports"))
        return
    from shopdoc.promotions import label, shop_promotions

    import pandas as pd

    # The window: the last `window_days` ordinary days before the report day. Promotion days are
    # no one's usual level: left out, as the shop rule leaves them out (after 双11 the window
    # reaches back past it).
    window = ctx.param("window_days")
    first = (Date.fromisoformat(ctx.date) - timedelta(days=window + 120)).isoformat()
    promo = shop_promotions(ctx.config, ctx.dataset)(first, ctx.date)
    if ctx.date in promo:
        ctx.skip(ctx.t(f"报告日是{label(*promo[ctx.date], 'zh')}，大促的日子不和平常比",
                       f"the report day is {label(*promo[ctx.date], 'en')}: promotion days are not held against ordinary ones"))
        return
    calendar = pd.date_range(first, ctx.date, freq="D")
    days = calendar[~calendar.strftime("%Y-%m-%d").isin(list(promo))][-(window + 1):]
    start = days[0].strftime("%Y-%m-%d")
    judged = 0
    for level, gather in (("item", _items), ("source", _sources), ("campaign", _campaigns)):
        table = gather(ctx, days, start)
        if table is None:
            continue
        judged += _judge(ctx, level, table, days)
    if not judged:
        ctx.skip(ctx.t(f"商品、来源、计划都不够 {ctx.param('min_days') + 1} 天数据或样本太小（导出多天或打开历史记录）",
                       f"no item, source or campaign has {ctx.param('min_days') + 1} days of data and a big enough sample "
                       "(export more days or keep the history)"))


def _enough_days(ctx, kind: str, stored: str, start: str) -> bool:
    """Whether the files and the history hold more than `min_days` days of a kind in the window: a
    one-day export without history costs nothing here (100,000 keyword rows are not summed for it)."""
    frame = ctx.dataset.frame(kind)
    if frame is None:
        return False
    days = {str(day) for day in frame["date"].dropna().unique()} if "date" in frame.columns else {ctx.date}
    if len(days) > ctx.param("min_days"):
        return True
    if ctx.history is not None and hasattr(ctx.history, "stored_dates"):
        days |= ctx.history.stored_dates(ctx.config.shop_name, stored, start, ctx.date)
    return len(days) > ctx.param("min_days")


class Table:
    """One level's subjects × days: a matrix per metric, the sample guard's base, names."""

    def __init__(self, subjects: list[str], names: list[str], metrics: dict[str, "np.ndarray"], base: "np.ndarray",
                 item_ids: list[str] | None = None, currency: str | None = None):
        self.subjects, self.names, self.metrics, self.base = subjects, names, metrics, base
        self.item_ids, self.currency = item_ids, currency


def _matrix(subject_codes: "np.ndarray", day_codes: "np.ndarray", values: "np.ndarray", shape: tuple[int, int]) -> "np.ndarray":
    import numpy as np

    out = np.full(shape, np.nan)
    ok = (day_codes >= 0) & ~np.isnan(values)
    out[subject_codes[ok], day_codes[ok]] = values[ok]  # a repeated (subject, day): the last row wins
    return out


def _day_codes(dates: Any, days: "pd.DatetimeIndex") -> "np.ndarray":
    import numpy as np

    import pandas as pd

    labels = pd.Index(days.strftime("%Y-%m-%d"))
    return np.asarray(labels.get_indexer(pd.Index(dates).astype(str)), dtype="int64")  # -1: not a window day


def _long(ctx, kind: str, stored: str, fields: tuple[str, ...], days: "pd.DatetimeIndex", start: str,
          rows_of) -> "pd.DataFrame | None":
    """A kind's rows of the window: the loaded frame's (files, and what `augment` added) and, with
    the history on, its stored days the frame lacks. `rows_of` turns a frame into the level's rows."""
    import pandas as pd

    from shopdoc.history.rows import file_rows

    frame = ctx.dataset.frame(kind)
    if frame is None:
        return None
    parts = []
    own = file_rows(frame, ctx.date)
    if "window_days" in own.columns:  # a 7-day total is no day
        own = own[own["window_days"].fillna(1).to_numpy() == 1]
    loaded = rows_of(own) if len(own) else None
    if loaded is not None and len(loaded):
        parts.append(loaded)
    have = set(map(str, loaded["date"].unique())) if loaded is not None and len(loaded) else set()
    if frame is not None and "_file" in frame.columns:  # rows `augment` added from the history
        from shopdoc.history.rows import HISTORY_FILE

        added = frame[frame["_file"] == HISTORY_FILE]
        if len(added):
            extra = rows_of(added)
            if extra is not None and len(extra):
                extra = extra[~extra["date"].astype(str).isin(have)]
                parts.append(extra)
                have |= set(map(str, extra["date"].unique()))
    if ctx.history is not None and hasattr(ctx.history, "stored_days"):
        for day, columns in ctx.history.stored_days(ctx.config.shop_name, stored, start, ctx.date, have, fields):
            if not columns:
                continue
            size = len(next(iter(columns.values())))
            part = pd.DataFrame({name: columns.get(name, [None] * size) for name in fields})
            part["date"] = day
            part = rows_of(part)
            if part is not None and len(part):
                parts.append(part)
    if not parts:
        return None
    return pd.concat(parts, ignore_index=True)


ITEM_FIELDS = ("item_id", "visitors", "buyers", "gmv", "conversion_rate")


def _item_rows(frame: "pd.DataFrame") -> "pd.DataFrame | None":
    import pandas as pd

    if "item_id" not in frame.columns or "visitors" not in frame.columns:
        return None
    out = pd.DataFrame({"date": frame["date"].astype(str).to_numpy(), "subject": frame["item_id"].astype(str).to_numpy()})
    for name in ("visitors", "buyers", "gmv", "conversion_rate"):
        out[name] = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype="float64") if name in frame.columns else float("nan")
    out = out[frame["item_id"].notna().to_numpy()]
    return out


def _items(ctx, days: "pd.DatetimeIndex", start: str) -> Table | None:
    import numpy as np
    import pandas as pd

    if not _enough_days(ctx, "item_daily", "item_daily", start):
        return None
    rows = _long(ctx, "item_daily", "item_daily", ITEM_FIELDS, days, start, _item_rows)
    if rows is None:
        return None
    codes, subjects = pd.factorize(rows["subject"])
    shape = (len(subjects), len(days))
    day_codes = _day_codes(rows["date"].to_numpy(), days)
    visitors = _matrix(codes, day_codes, rows["visitors"].to_numpy(), shape)
    gmv = _matrix(codes, day_codes, rows["gmv"].to_numpy(), shape)
    buyers = _matrix(codes, day_codes, rows["buyers"].to_numpy(), shape)
    rate = _matrix(codes, day_codes, rows["conversion_rate"].to_numpy(), shape)
    with np.errstate(all="ignore"):
        conversion = np.where(np.isnan(buyers), rate, buyers / np.where(visitors > 0, visitors, np.nan))
    metrics = {"visitors": visitors, "conversion_rate": conversion}
    if not np.isnan(gmv).all():
        metrics["gmv"] = gmv
    names = list(subjects)
    frame = ctx.dataset.frame("item_daily")
    if "item_name" in frame.columns:
        known = dict(zip(frame["item_id"].astype(str).tolist(), frame["item_name"].tolist()))
        names = [str(known.get(subject) or subject) for subject in subjects]
    from shopdoc.rules._helpers import data_currency

    return Table([f"item:{s}" for s in subjects], names, metrics, visitors, item_ids=list(subjects),
                 currency=data_currency(ctx, "item_daily"))


def _sources(ctx, days: "pd.DatetimeIndex", start: str) -> Table | None:
    """First-level sources per day, as the traffic rules read them (`traffic.source_table`); the
    history's earlier days are already in the dataset (`augment` gives sources 35 days)."""
    import numpy as np
    import pandas as pd

    from shopdoc.rules.traffic import source_table

    if not _enough_days(ctx, "traffic_source", "traffic_source", start):
        return None
    per_day = []
    for day in days.strftime("%Y-%m-%d"):
        table = source_table(ctx.dataset, day, report_day=(day == ctx.date))
        if table is not None:
            per_day.append(table.assign(date=day))
    if not per_day:
        return None
    rows = pd.concat(per_day)
    codes, subjects = pd.factorize(rows["name"])
    shape = (len(subjects), len(days))
    day_codes = _day_codes(rows["date"].to_numpy(), days)
    visitors = _matrix(codes, day_codes, rows["visitors"].to_numpy(dtype="float64"), shape)
    conversion = _matrix(codes, day_codes, rows["conversion_rate"].to_numpy(dtype="float64"), shape)
    metrics = {"visitors": visitors}
    if not np.isnan(conversion).all():
        metrics["conversion_rate"] = conversion
    return Table([f"source:{s}" for s in subjects], list(subjects), metrics, visitors)


def _campaign_rows(frame: "pd.DataFrame") -> "pd.DataFrame | None":
    import pandas as pd

    if "campaign" not in frame.columns:
        return None
    out = pd.DataFrame({"date": frame["date"].astype(str).to_numpy(), "subject": frame["campaign"].astype(str).to_numpy()})
    for name in ("impressions", "clicks", "cost", "gmv"):
        out[name] = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype="float64") if name in frame.columns else float("nan")
    return out[frame["campaign"].notna().to_numpy()]


def _campaigns(ctx, days: "pd.DatetimeIndex", start: str) -> Table | None:
    """Each campaign's day: the ad report's campaign rows (else its keywords summed), as the history
    keeps them (`history.rows`), beside the stored days. Only one-day rows: a 7-day total is no day."""
    import numpy as np
    import pandas as pd

    from shopdoc.history.rows import KEEP, file_rows

    if not _enough_days(ctx, "ad_report", "ad_campaign", start):
        return None
    frame = ctx.dataset.frame("ad_report")
    rows = None
    if frame is not None:
        if "window_days" in frame.columns:
            frame = frame[frame["window_days"].fillna(1) == 1]
        if len(frame):
            rows = KEEP["per_campaign"](file_rows(frame, ctx.date))
    parts = [] if rows is None or not len(rows) else [_campaign_rows(rows)]
    have = set(parts[0]["date"]) if parts else set()
    if ctx.history is not None and hasattr(ctx.history, "stored_days"):
        fields = ("campaign", "impressions", "clicks", "cost", "gmv")
        for day, columns in ctx.history.stored_days(ctx.config.shop_name, "ad_campaign", start, ctx.date, have, fields):
            if "campaign" in columns:
                size = len(columns["campaign"])
                stored = pd.DataFrame({name: columns.get(name, [None] * size) for name in fields}).assign(date=day)
                parts.append(_campaign_rows(stored))
    parts = [part for part in parts if part is not None and len(part)]
    if not parts:
        return None
    rows = pd.concat(parts, ignore_index=True)
    codes, subjects = pd.factorize(rows["subject"])
    shape = (len(subjects), len(days))
    day_codes = _day_codes(rows["date"].to_numpy(), days)
    matrix = {name: _matrix(codes, day_codes, rows[name].to_numpy(), shape)
              for name in ("impressions", "clicks", "cost", "gmv")}
    with np.errstate(all="ignore"):
        metrics = {"cost": matrix["cost"],
                   "roi": matrix["gmv"] / np.where(matrix["cost"] > 0, matrix["cost"], np.nan),
                   "ctr": matrix["clicks"] / np.where(matrix["impressions"] > 0, matrix["impressions"], np.nan)}
    metrics = {name: values for name, values in metrics.items() if not np.isnan(values).all()}
    from shopdoc.rules._helpers import data_currency

    return Table([f"campaign:{s}" for s in subjects], list(subjects), metrics, matrix["clicks"],
                 currency=data_currency(ctx, "ad_report"))


def _judge(ctx, level: str, table: Table, days: "pd.DatetimeIndex") -> int:
    """Emit the level's bad breaks and new levels; return how many subjects were judged."""
    import warnings

    import numpy as np
    import pandas as pd

    from shopdoc.changes import LEVEL_DAYS, detect_many

    minimum = ctx.param("min_clicks") if level == "campaign" else ctx.param("min_visitors")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        usual_base = np.nanmedian(table.base[:, -LEVEL_DAYS - 1:-1], axis=1)
        earlier = np.count_nonzero(~np.isnan(table.base[:, :-1]), axis=1)
    sampled = (usual_base >= minimum) & ~np.isnan(table.base[:, -1]) & (earlier >= ctx.param("min_days"))
    ctx.state.facts[f"judged.change.subjects.{level}"] = int(sampled.sum())
    if not sampled.any():
        return 0
    day_names = days.strftime("%Y-%m-%d")
    subjects = np.asarray(table.subjects, dtype=object)
    names = np.asarray(table.names, dtype=object)
    told: set[str] = set()  # items whose visitors or conversion broke: their sales follow, said once
    for metric, values in table.metrics.items():
        bad, _, owner, _ = METRICS[level][metric]
        found = detect_many(values[sampled], days, z=ctx.param("z"), min_change=ctx.param("min_change"),
                            min_days=ctx.param("min_days"), hold=ctx.param("hold"))
        worse = (found.kind > 0) & (found.direction == bad)
        picked = np.flatnonzero(worse)
        rows = np.flatnonzero(sampled)[picked]
        if level == "item" and metric == "gmv" and told:
            keep = ~np.isin(subjects[rows], list(told))
            picked, rows = picked[keep], rows[keep]
        if not len(picked):
            continue
        told.update(subjects[rows])
        since = day_names[found.since[picked]].to_numpy().astype(str)
        base = "visitors" if level != "campaign" else "clicks"
        # Evidence named by metric (`visitors`, `usual_visitors`, `level_visitors`): the report writes
        # each number in its metric's unit, and the JSON says what it is.
        frame = pd.DataFrame({
            "subject": subjects[rows], "money": np.nan, "metric": metric,
            metric: found.value[picked], f"usual_{metric}": found.usual[picked], f"level_{metric}": found.level[picked],
            "change": found.change[picked], "since": since, "days": found.days[picked],
            "score": np.round(found.score[picked], 2), base: table.base[rows, -1],
            "group": np.char.add("day:", since), "facet": metric, "name": names[rows],
        })
        # The worst of a group are the biggest moves: a rate's move weighted by its visitors or clicks.
        moved = np.abs(frame[f"usual_{metric}"] - frame[metric])
        frame["rank"] = moved * (table.base[rows, -1] if METRICS[level][metric][1] in ("pct", "num") else 1.0)
        if table.item_ids is not None:
            frame["item_id"] = np.asarray(table.item_ids, dtype=object)[rows]
            ctx.state.facts.setdefault("item_names", {}).update(zip(frame["item_id"].tolist(), frame["name"].tolist()))
        if table.currency:
            frame["currency"] = table.currency
        settled = found.kind[picked] == 2
        evidence = (metric, f"usual_{metric}", "change", "since", "days", *((base,) if base != metric else ()))
        for msg, part, severity, shown in ((f"{level}.{metric}", frame[~settled], None, evidence),
                                           (f"{level}.{metric}.new_normal", frame[settled], "info",
                                            (*evidence[:2], f"level_{metric}", *evidence[2:]))):
            if len(part):
                ctx.emit(msg, part, evidence=shown, level=level, severity=severity, owner=owner, acts=owner)
    return int(sampled.sum())
