"""What changed overnight: a shop metric that broke on the report day, or settled at a new level.

Source: `003_01bac92a2fb6a989.txt` (an operator's day): "运营每天早上起来第一件事，是看数据……达标的话做得好的
地方在哪里？不达标的话又差在哪里？" — the morning question is what changed. The test itself is in
`shopdoc.changes` (robust level and spread of the earlier days, weekday-aware).
"""

from __future__ import annotations

from shopdoc.params import count, fraction, positive
from shopdoc.rules import rule
from shopdoc.rules._helpers import short_day

ORDER = 15

# The shop metrics watched, who acts on a change, which way is bad, and how a value is written.
METRICS = {
    "visitors": ("promotion", -1, "count"),
    "conversion_rate": ("service", -1, "pct"),
    "aov": ("operations", -1, "money"),
    "bounce_rate": ("design", +1, "pct"),
    "pages_per_visitor": ("design", -1, "num"),
    "avg_stay_seconds": ("design", -1, "seconds"),
}
NAMES = {
    "zh": {"visitors": "访客数", "conversion_rate": "支付转化率", "aov": "客单价", "bounce_rate": "跳失率",
           "pages_per_visitor": "访问深度", "avg_stay_seconds": "平均停留时长"},
    "en": {"visitors": "Visitors", "conversion_rate": "Conversion", "aov": "AOV", "bounce_rate": "Bounce rate",
           "pages_per_visitor": "Pages per visitor", "avg_stay_seconds": "Average stay"},
}


@rule(
    "change.shop_metrics",
    owner="operations",
    severity="warning",
    needs={"shop_daily": ["date"]},
    params=[
        positive("z", 4.0, "离平常水平至少多少个稳健标准差才算变了", "How many robust standard deviations from the usual level count as a change"),
        fraction("min_change", 0.10, "而且至少变了平常水平的这个比例", "…and at least this fraction of the usual level"),
        count("min_days", 10, "之前至少有这么多天的数据才判断（导出多天或打开历史记录）", "Judge only with at least this many earlier days (several days in the export, or the history)"),
        count("hold", 3, "连续这么多天都在新水平上，就说“新水平”，之后不再每天提醒", "After this many days at a new level, say it is the new normal once, then stay quiet"),
    ],
    messages={
        "break_bad": {
            "zh": ("{name} {since:day} 起突然变差：{value_text}，平常在 {usual_text} 左右（{change_text}）",
                   "这是 {days_text}才出现的变化，不是老问题：先查 {since:day} 前后改过什么（页面、主图、价格、活动、推广计划、"
                   "发货），对上了就改回来；对不上，交给{acts:owner}查原因。"),
            "en": ("{name} turned worse from {since:day}: {value_text}, against a usual {usual_text} ({change_text})",
                   "This changed {days_text}; it is not an old problem. Check what changed around {since:day} (pages, main "
                   "images, prices, promotions, campaigns, shipping) and undo it if it matches; if nothing does, "
                   "{acts:owner} finds out why."),
        },
        "break_good": {
            "zh": ("{name} {since:day} 起明显变好：{value_text}，平常在 {usual_text} 左右（{change_text}）",
                   "弄清楚 {since:day} 前后做对了什么，能复制的用到其他宝贝和计划上。"),
            "en": ("{name} improved from {since:day}: {value_text}, against a usual {usual_text} ({change_text})",
                   "Find out what went right around {since:day} and copy it to other items and campaigns."),
        },
        "new_normal": {
            "zh": ("{name} 从 {since:day} 起一直在 {level_text} 左右，已经 {days} 天（之前 {usual_text}）",
                   "当成新水平看待，之后不再每天提醒{bad_note}。"),
            "en": ("{name} has held at about {level_text} since {since:day}, {days} days now (before: {usual_text})",
                   "Treat it as the new level; it will not be repeated every morning{bad_note}."),
        },
    },
)
def shop_metrics(ctx) -> None:
    """A shop metric that broke on the report day, or settled at a new level, against its usual range.

    [zh]
    检查：访客数、支付转化率、客单价、跳失率、访问深度、平均停留时长，每一项和之前的平常水平比：平常水平取前 14 天的中位数，波动范围取前 28 天的中位数绝对偏差（MAD），够 3 周数据时先去掉星期几的规律（周末和工作日本来就不一样）。报告日偏离平常水平至少 z（默认 4）个稳健标准差、而且至少变了 10%，就是“突然变了”，说出从哪天开始；连续 3 天都在新水平上，就说一次“新水平”，之后不再每天提醒。之前不到 10 天数据不判断。
    原因：《运营的一天》(003)：“运营每天早上起来第一件事，是看数据……不达标的话又差在哪里？”昨天刚发生的变化要马上查是什么改动引起的；老问题按文档的节奏看（“一般每隔一周观察一次”），不用每天喊。
    怎么做：变差了先查变化那天前后改过什么（页面、主图、价格、活动、计划、发货），对上了就改回来；变好了找出原因复制。
    门槛：z = 4、至少变 10%、至少 10 天数据、3 天算新水平，都是我们定的（文档没有给数字）。
    [en]
    Checks: visitors, conversion, AOV, bounce rate, pages per visitor and average stay, each against its usual level: the median of the 14 earlier days, with the spread from the median absolute deviation (MAD) of the 28 earlier days, after taking out the weekday pattern when three weeks of data show one. A report day at least z (4) robust standard deviations and 10% off the usual level is a change, with the day it started; three days in a row at a new level are said once as the new normal, then no more every morning. Fewer than 10 earlier days: not judged.
    Why: "An operator's day" (003): "The first thing every morning is the numbers... off target, where did it fall short?" A change that happened yesterday needs its cause found now; an old problem is checked at the document's pace ("usually once every other week"), not shouted daily.
    Fix: a change for the worse: check what changed around that day (pages, images, prices, promotions, campaigns, shipping) and undo it if it matches; a change for the better: find out what worked and copy it.
    Thresholds: z = 4, a 10% move, 10 earlier days and 3 days for a new normal are ours; the documents give no numbers.
    """
    from shopdoc.changes import detect

    if ctx.date is None:
        ctx.skip(ctx.t("导出里没有日期", "no dates in the exports"))
        return
    frame = ctx.dataset.frame("shop_daily")
    rows = frame[frame["date"].notna()]
    dates = rows["date"].nunique()
    if dates <= ctx.param("min_days"):
        ctx.skip(ctx.t(f"店铺数据只有 {dates} 天，至少要 {ctx.param('min_days') + 1} 天（导出多天或打开历史记录）",
                       f"only {dates} days of shop data, needs {ctx.param('min_days') + 1} (export more days or keep the history)"))
        return
    daily = _daily(rows)
    # Promotion days are no one's usual level: out of the baseline; on one, no change is read.
    from shopdoc.promotions import label, shop_promotions

    promo = shop_promotions(ctx.config, ctx.dataset)(str(daily.index.min()), str(daily.index.max()))
    if ctx.date in promo:
        ctx.skip(ctx.t(f"报告日是{label(*promo[ctx.date], 'zh')}，大促的日子不和平常比",
                       f"the report day is {label(*promo[ctx.date], 'en')}: promotion days are not held against ordinary ones"))
        return
    daily = daily[~daily.index.isin(list(promo))]
    names = NAMES[ctx.lang]
    for metric, (owner, bad, unit) in METRICS.items():
        if metric not in daily.columns:
            continue
        change = detect(daily[metric], ctx.date, z=ctx.param("z"), min_change=ctx.param("min_change"),
                        min_days=ctx.param("min_days"), hold=ctx.param("hold"))
        if change is None:
            continue
        worse = change.direction == bad
        msg = "new_normal" if change.kind == "new_normal" else ("break_bad" if worse else "break_good")
        ctx.finding(
            msg, "shop",
            {metric: change.value, "metric": metric, "usual_level": change.usual, "since": change.since,
             "days": change.days, "level_change": change.change, "score": round(change.score, 2),
             "usual_low": change.low, "usual_high": change.high},
            facet=metric, owner=owner,
            severity="warning" if (msg == "break_bad") else "info",
            name=names[metric], value_text=_text(ctx, unit, change.value), usual_text=_text(ctx, unit, change.usual),
            level_text=_text(ctx, unit, change.level), change_text=_change(ctx, unit, change),
            days_text=_days_text(ctx, change), acts=owner,
            bad_note=(ctx.t("；这是变差的新水平，原因要找到", "; it is a worse level, so its cause still needs finding")
                      if worse else ""),
        )


def _daily(rows):
    """One row per day: the shop's numbers, with the rates derived as the rules derive them."""
    import pandas as pd

    columns = [name for name in ("visitors", "pageviews", "buyers", "gmv", "bounce_rate", "pages_per_visitor",
                                 "avg_stay_seconds", "conversion_rate", "aov") if name in rows.columns]
    daily = rows.groupby("date")[columns].last()
    if "conversion_rate" not in daily and {"buyers", "visitors"} <= set(daily.columns):
        daily["conversion_rate"] = daily["buyers"] / daily["visitors"].where(daily["visitors"] > 0)
    if "aov" not in daily and {"gmv", "buyers"} <= set(daily.columns):
        daily["aov"] = daily["gmv"] / daily["buyers"].where(daily["buyers"] > 0)
    if "pages_per_visitor" not in daily and {"pageviews", "visitors"} <= set(daily.columns):
        daily["pages_per_visitor"] = daily["pageviews"] / daily["visitors"].where(daily["visitors"] > 0)
    return daily.apply(pd.to_numeric, errors="coerce")


def _text(ctx, unit: str, value: float) -> str:
    from shopdoc.rules._helpers import count_text, money_text, rate_text

    if unit == "pct":
        return rate_text(value)
    if unit == "count":
        return count_text(value)
    if unit == "money":
        return money_text(ctx, value)
    number = f"{value:.2f}".rstrip("0").rstrip(".")
    return ctx.t(f"{number} 秒", f"{number} s") if unit == "seconds" else number


def _change(ctx, unit: str, change) -> str:
    """A rate moves in percentage points; anything else in per cent."""
    if unit == "pct":
        points = (change.value - change.usual) * 100
        return ctx.t(f"{points:+.1f} 个百分点", f"{points:+.1f} points")
    return f"{(change.value / change.usual - 1) * 100:+.0f}%" if change.usual else ""


def _days_text(ctx, change) -> str:
    if change.days <= 1:
        return ctx.t(f"{short_day(change.since, 'zh')} 当天", f"on {short_day(change.since, 'en')}")
    return ctx.t(f"{short_day(change.since, 'zh')} 起这 {change.days} 天", f"over the last {change.days} days")
