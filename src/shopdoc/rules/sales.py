"""Sales: is the day on target, and which of traffic, conversion and AOV moved the GMV.

Source: `003_01bac92a2fb6a989.txt` (an operator's day), 上午 一、判断数据是否达标 and 二、店铺分析.
"""

from __future__ import annotations

import math
from datetime import date as Date, timedelta

from shopdoc.params import count, fraction, positive, weekday_weights
from shopdoc.rules import rule
from shopdoc.rules._helpers import (
    clean, count_text, data_currency, money_text, rate_text, shift_day, shop_on, short_day, signed_pct, too_few, weekday,
)
from shopdoc.rules.traffic import source_moves

ORDER = 20

FACTORS = ("visitors", "conversion_rate", "aov")
_FACTOR_NAMES = {
    "zh": {"visitors": "访客数", "conversion_rate": "转化率", "aov": "客单价"},
    "en": {"visitors": "visitors", "conversion_rate": "conversion", "aov": "AOV"},
}


def day_target(day: str, monthly_target: float, weights: list[float] | None,
               promotion_days: dict[str, float] | None = None) -> float:
    """The day's share of the monthly target: even, or by weekday weights (Monday first), times the
    weight of a promotion day (`promotion_days`: day → weight); the month's shares add up to the target."""
    parsed = Date.fromisoformat(day)
    first = parsed.replace(day=1)
    days = ((first + timedelta(days=32)).replace(day=1) - first).days
    extra = promotion_days or {}

    def weight(d: Date) -> float:
        return (weights[d.weekday()] if weights else 1.0) * extra.get(d.isoformat(), 1.0)

    month_weight = sum(weight(Date(parsed.year, parsed.month, d)) for d in range(1, days + 1))
    return monthly_target * weight(parsed) / month_weight


def promotion_weights(ctx, day: str) -> dict[str, float]:
    """The month's promotion days (sale and balance-payment phases) weighted by `promotion_weight`."""
    from shopdoc.promotions import month_days, shop_promotions

    factor = ctx.param("promotion_weight")
    if factor == 1:
        return {}
    month = month_days(day)
    found = shop_promotions(ctx.config, ctx.dataset)(month[0], month[-1])
    return {d: factor for d, (_, phase) in found.items() if phase in ("sale", "balance")}


def gmv_factors(metrics: dict) -> tuple[float, float, float] | None:
    """(visitors, buyers, gmv) of a day, so that visitors × conversion × AOV is exactly the GMV.

    Buyers come from the export, else visitors × conversion rate, else GMV ÷ AOV; conversion is then
    buyers ÷ visitors and AOV is GMV ÷ buyers, which makes the product exact.
    """
    visitors, gmv = clean(metrics.get("visitors")), clean(metrics.get("gmv"))
    if not visitors or gmv is None:
        return None
    buyers = clean(metrics.get("buyers"))
    if buyers is None and metrics.get("conversion_rate") is not None:
        buyers = visitors * metrics["conversion_rate"]
    if buyers is None and metrics.get("aov"):
        buyers = gmv / metrics["aov"]
    if buyers is None:
        return None
    return visitors, buyers, gmv


def split_gmv_change(before: tuple[float, float, float], after: tuple[float, float, float]) -> dict[str, float]:
    """The GMV change split into visitors, conversion and AOV contributions (LMDI, additive).

    GMV = visitors × conversion × AOV, so ln(GMV₁/GMV₀) is the sum of the three factors' log ratios.
    Weighting each log ratio by the logarithmic mean L(GMV₁, GMV₀) = (GMV₁ − GMV₀) / ln(GMV₁/GMV₀)
    turns them into money that adds up exactly to GMV₁ − GMV₀, with no leftover "interaction" term,
    whatever the size of the change (Ang, "LMDI decomposition approach", 2005). Needs sales on both days.
    """
    (v0, b0, g0), (v1, b1, g1) = before, after
    start = {"visitors": v0, "conversion_rate": b0 / v0, "aov": g0 / b0}
    end = {"visitors": v1, "conversion_rate": b1 / v1, "aov": g1 / b1}
    weight = (g1 - g0) / (math.log(g1) - math.log(g0)) if g1 != g0 else g1
    return {name: weight * math.log(end[name] / start[name]) for name in FACTORS}


def _factor_values(factors: tuple[float, float, float]) -> dict[str, float]:
    visitors, buyers, gmv = factors
    return {"visitors": visitors, "conversion_rate": buyers / visitors, "aov": gmv / buyers if buyers else float("nan")}


def _factor_text(ctx, name: str, before: float, now: float) -> str:
    label = _FACTOR_NAMES[ctx.lang][name]
    if name == "conversion_rate":
        return f"{label} {rate_text(before)} → {rate_text(now)}"
    change = signed_pct(now / before - 1) if before else ""
    if name == "aov":
        return f"{label} {change}（{money_text(ctx, before)} → {money_text(ctx, now)}）" if ctx.lang == "zh" \
            else f"{label} {change} ({money_text(ctx, before)} → {money_text(ctx, now)})"
    return f"{label} {change}（{count_text(before)} → {count_text(now)}）" if ctx.lang == "zh" \
        else f"{label} {change} ({count_text(before)} → {count_text(now)})"


def _source_text(ctx, row) -> str:
    """「淘内免费」访客少了 1,290（-20.8%，「手淘搜索」就少了 1,290）: the source, and the second-level
    source that made most of it (traffic.source_moves)."""
    change = row["visitors_delta"]
    pct = signed_pct(change / row["compare_visitors"]) if row["compare_visitors"] else ""
    child = row.get("main_child")
    child = child if isinstance(child, str) and child else None
    moved = count_text(abs(row.get("main_child_delta", 0.0) or 0.0)) if child else ""
    if ctx.lang == "zh":
        note = [pct] if pct else []
        if child:
            note.append(f"「{child}」就{'多了' if change > 0 else '少了'} {moved}")
        return f"「{row['name']}」访客{'多了' if change > 0 else '少了'} {count_text(abs(change))}" + (f"（{'，'.join(note)}）" if note else "")
    note = [pct] if pct else []
    if child:
        note.append(f"{child} {'+' if change > 0 else '-'}{moved}")
    return f"{row['name']} {'+' if change > 0 else '-'}{count_text(abs(change))} visitors" + (f" ({'; '.join(note)})" if note else "")


# Where to look when traffic fell, by the kind of the source that fell (traffic.SOURCE_KINDS).
_CAUSES = {
    "zh": {"search": "搜索排名、标题主图、搜索需求，出价管不了", "free": "主图点击率、收藏加购、上新和活动，出价管不了",
           "paid": "计划、出价、预算、定向", None: "计划、出价、活动、排名"},
    "en": {"search": "search ranking, titles and main images, search demand; bids do not reach it",
           "free": "main image CTR, favourites and add-to-carts, new items and promotions; bids do not reach it",
           "paid": "campaigns, bids, budget, targeting", None: "campaigns, bids, promotions, rankings"},
}


def _causes(ctx, source) -> str:
    if source is None:
        return _CAUSES[ctx.lang][None]
    kind = "search" if source.get("kind") == "free" and bool(source.get("search")) else source.get("kind")
    return _CAUSES[ctx.lang].get(kind if kind in ("search", "free", "paid") else None)


def _top_source(ctx, compare_day: str, direction: int):
    """The first-level source that moved most in `direction` (+1 gained, -1 lost), or None."""
    moves = source_moves(ctx, compare_day)
    if moves is None or moves.empty:
        return None
    row = moves.loc[(moves["visitors_delta"] * direction).idxmax()]
    return row if row["visitors_delta"] * direction > 0 else None


def _day_moves(ctx, today: dict, compare_day: str, direction: int) -> tuple[list[str], list[str]]:
    """What moved in `direction` against `compare_day`: (factor names, readable texts)."""
    before = gmv_factors(shop_on(ctx.dataset, compare_day))
    now = gmv_factors(today)
    if before is None or now is None:
        return [], []
    start, end = _factor_values(before), _factor_values(now)
    names, texts = [], []
    for name in FACTORS:
        known = not (math.isnan(start[name]) or math.isnan(end[name]))
        if known and (end[name] - start[name]) * direction > 0:
            names.append(name)
            texts.append(_factor_text(ctx, name, start[name], end[name]))
    source = _top_source(ctx, compare_day, direction)
    if source is not None:
        names.append(f"source:{source['name']}")
        texts.append(_source_text(ctx, source))
    return names, texts


@rule(
    "sales.daily_target",
    owner="operations",
    severity="warning",
    needs={"shop_daily": ["gmv"]},
    params=[
        positive("monthly_target", None, "月销售额目标（元）；不填则不判断是否达标",
                 "Monthly sales target; empty switches the target check off", optional=True),
        weekday_weights("weights", None, "按星期分配日目标的权重，周一到周日 7 个数，例如 [1,1,1,1,1.2,1.5,1.5]；不填则按天平均",
                        "Weekday weights for splitting the month, Monday to Sunday, e.g. [1,1,1,1,1.2,1.5,1.5]; empty splits evenly",
                        optional=True),
        positive("promotion_weight", 1.0, "大促正式开卖和付尾款的日子，日目标按平常一天的几倍算（1 = 不区分）；整月目标不变",
                 "How many ordinary days' target a promotion sale or balance-payment day carries (1: no difference); "
                 "the month's target stays the same"),
        fraction("critical_floor", 0.70, "支付金额不到日目标的这个比例：严重", "Under this fraction of the day's target is critical"),
    ],
    messages={
        "critical": {
            "zh": ("{day} 支付金额 {gmv_text}，只完成日目标 {target_text} 的 {completion:.0%}，不到 {critical_floor:.0%}",
                   "差 {shortfall_text}。差在哪里：{moves}。先看下面的 GMV 拆解和流量来源变化，把原因分给推广、美工、客服，今天就补。"),
            "en": ("GMV on {day} was {gmv_text}, only {completion:.0%} of the day's target of {target_text} (under {critical_floor:.0%})",
                   "Short by {shortfall_text}. What fell: {moves}. Use the GMV split and the source changes below to "
                   "find the cause and hand it to promotion, design or customer service today."),
        },
        "below": {
            "zh": ("{day} 支付金额 {gmv_text}，没达到日目标 {target_text}（完成 {completion:.0%}）",
                   "差 {shortfall_text}。差在哪里：{moves}。对照 GMV 拆解和流量来源变化找出原因，分给对应的人处理。"),
            "en": ("GMV on {day} was {gmv_text}, below the day's target of {target_text} ({completion:.0%})",
                   "Short by {shortfall_text}. What fell: {moves}. Use the GMV split and the source changes to find the cause and hand it on."),
        },
        "reached": {
            "zh": ("{day} 支付金额 {gmv_text}，达到日目标 {target_text}（完成 {completion:.0%}）",
                   "做得好的地方：{moves}。想想能不能复制到其他宝贝和其他流量来源。"),
            "en": ("GMV on {day} was {gmv_text}, on target ({completion:.0%} of {target_text})",
                   "What went well: {moves}. See whether it can be copied to other items and traffic sources."),
        },
    },
    units={"value": "money", "threshold": "money"},
)
def daily_target(ctx) -> None:
    """The report day's GMV against its share of the monthly target.

    [zh]
    检查：报告日的支付金额和日目标比。日目标 = 月目标按天平均分，或按配置的周一到周日权重分。没达到是警告，不到日目标的 70% 是严重；达到是提示，并说出和前一天比做得好的地方（访客数、转化率、客单价、哪个流量来源多了）。没配置月目标时不判断。
    原因：《运营的一天》(003)：“运营每天早上起来第一件事，是看数据。按照之前计划，把每月的销售量或者销售额落实到每日，这时候要做一个简单的判断：销售达标还是不达标？判断之后，就会有一个整体的思维分析：达标的话做得好的地方在哪里？不达标的话又差在哪里？”
    怎么做：不达标就对照 GMV 拆解（sales.gmv_drivers）和流量来源变化找出差在流量、转化率还是客单价，分给推广、美工、客服；达标就找出做得好的地方，复制到其他宝贝。
    金额：日目标 − 支付金额（差多少）。
    [en]
    Checks: the report day's GMV against the day's share of the monthly target, split evenly over the month or by configured Monday-to-Sunday weights. Below target is a warning, under 70% of it critical; on target is info naming what beat the day before (visitors, conversion, AOV, the source that grew most). Without a configured monthly target the rule is skipped.
    Why: "An operator's day" (003): "The first thing every morning is the numbers. Break the monthly sales plan down to each day and make a simple call: on target or not? Then think it through: on target, what went well? Off target, where did it fall short?"
    Fix: off target, use the GMV split (sales.gmv_drivers) and the source changes to find whether traffic, conversion or AOV fell, and hand it on; on target, find what worked and copy it to other items.
    Money: the day's target minus its GMV (the shortfall).
    """
    monthly_target = ctx.param("monthly_target")
    if monthly_target is None:
        ctx.skip(ctx.t("没有设置月目标：在配置里设 rules.sales.daily_target.monthly_target",
                       "no monthly target: set rules.sales.daily_target.monthly_target"))
        return
    if ctx.date is None:
        ctx.skip(ctx.t("导出里没有日期，算不出当天的目标", "no date in the exports to find the day's target"))
        return
    today = ctx.shop_day()
    gmv = today.get("gmv")
    if gmv is None:
        ctx.skip(ctx.t("报告日没有支付金额", "no GMV on the report day"))
        return
    target = day_target(ctx.date, monthly_target, ctx.param("weights"), promotion_weights(ctx, ctx.date))
    ctx.metrics["gmv_target"] = round(target, 2)
    ratio = gmv / target
    reached = gmv >= target
    previous_day = shift_day(ctx.date, -1)
    names, texts = _day_moves(ctx, today, previous_day, +1 if reached else -1)
    if texts:
        moves = ("、" if ctx.lang == "zh" else "; ").join(texts) + ctx.t(f"（和前一天 {short_day(previous_day, 'zh')} 比）",
                                                                         f" (against {short_day(previous_day, 'en')})")
    else:
        moves = ctx.t("没有前一天的数据可比，看不出具体是哪块", "no earlier day to compare with, so it cannot say which part")
    floor = ctx.param("critical_floor")
    key = "reached" if reached else ("critical" if ratio < floor else "below")
    shortfall = max(target - gmv, 0.0)
    ctx.finding(
        key, "shop",
        {"value": gmv, "threshold": target, "completion": ratio, "monthly_target": monthly_target, "critical_floor": floor,
         "shortfall": shortfall, ("went_well" if reached else "fell"): names, "compare_date": previous_day if names else None},
        severity="info" if reached else ("critical" if key == "critical" else None),
        money=None if reached else shortfall, currency=data_currency(ctx, "shop_daily"),
        day=short_day(ctx.date, ctx.lang), gmv_text=money_text(ctx, gmv), target_text=money_text(ctx, target),
        shortfall_text=money_text(ctx, shortfall), moves=moves,
    )


@rule(
    "sales.gmv_drivers",
    owner="operations",
    severity="warning",
    needs={"shop_daily": ["visitors", "gmv"]},
    params=[
        fraction("min_change", 0.10, "支付金额变化达到这个比例才拆解", "Split the GMV change only when it is at least this fraction"),
        count("min_visitors", 100, "两天中任一天访客数少于这个值不判断", "Below this many visitors on either day the rule stays silent"),
    ],
    messages={
        "down_visitors": {
            "zh": ("支付金额比{compare_label}少了 {drop}（{before} → {now}），主要是访客数少了",
                   "拆解：{split}。流量减少{source_note}：找推广一起查是哪块流量少了、为什么少（{causes}），"
                   "要补多少流量、要多少预算。{items_note}"),
            "en": ("GMV fell {drop} against {compare_label}, {before} → {now}, mainly on fewer visitors",
                   "Breakdown: {split}. Traffic fell{source_note}: work out with promotion which traffic fell and why "
                   "({causes}), and what it costs to win it back.{items_note}"),
        },
        "down_conversion_rate": {
            "zh": ("支付金额比{compare_label}少了 {drop}（{before} → {now}），主要是转化率掉了",
                   "拆解：{split}。转化率掉了：查主推款详情页和主图是否改过、价格和优惠是否变了、有没有新的中差评、客服接待是否跟上。{items_note}"),
            "en": ("GMV fell {drop} against {compare_label}, {before} → {now}, mainly on conversion",
                   "Breakdown: {split}. Conversion fell: check whether the hero item's page or main image changed, prices or "
                   "offers changed, new negative reviews appeared, or customer service kept up.{items_note}"),
        },
        "down_aov": {
            "zh": ("支付金额比{compare_label}少了 {drop}（{before} → {now}），主要是客单价低了",
                   "拆解：{split}。客单价低了：看关联销售、搭配套餐、满减满赠是否还在，是不是低价款卖得多了。{items_note}"),
            "en": ("GMV fell {drop} against {compare_label}, {before} → {now}, mainly on a lower AOV",
                   "Breakdown: {split}. AOV fell: check that related sales, bundles and spend-more offers are still live, "
                   "and whether cheap items took a bigger share of sales.{items_note}"),
        },
        "promotion": {
            "zh": ("支付金额比{compare_label}变了 {move}（{before} → {now}）：{promo_day} 是{promo}，不按平常的涨跌看",
                   "大促前后本来就大起大落：和可比的日子比（大促前一周的同一天，或去年同期），看大促的余热还剩多少，"
                   "别当成下滑去砍推广。"),
            "en": ("GMV moved {move} against {compare_label}, {before} → {now}: {promo_day} is {promo}, so it is not read "
                   "as an ordinary rise or fall",
                   "Sales swing around big promotions: compare with a comparable day (the same weekday before the "
                   "promotion, or last year's), see how much of the promotion's lift is left, and do not cut ads "
                   "as if sales had collapsed."),
        },
        "up": {
            "zh": ("支付金额比{compare_label}多了 {rise}（{before} → {now}），主要靠{driver_name}",
                   "拆解：{split}。{source_note}弄清楚做对了什么，能复制的用到其他宝贝和来源上。"),
            "en": ("GMV rose {rise} against {compare_label}, {before} → {now}, mainly on {driver_name}",
                   "Breakdown: {split}. {source_note}Find out what worked and copy it to other items and sources."),
        },
    },
)
def gmv_drivers(ctx) -> None:
    """GMV against the day before and the same weekday last week, split into visitors × conversion × AOV.

    [zh]
    检查：报告日支付金额和前一天、上周同一天比（数据来自同一文件里的更早日期或历史记录）。变化达到 10% 时，把变化拆成访客数、转化率、客单价三块各贡献多少钱，说出主要原因（贡献最大的那块）：下降是警告，上涨是提示。主要原因是访客数、又有流量来源数据时，说出少得（或多得）最多的一级来源。两天中任一天访客数不到 100 不判断。
    拆法：支付金额 = 访客数 × 转化率 × 客单价（转化率 = 支付买家数 ÷ 访客数，客单价 = 支付金额 ÷ 支付买家数，保证乘积正好等于支付金额），用对数平均迪氏指数（LMDI）拆分：每块的贡献 = L × ln(今天的值 ÷ 对比日的值)，L = (今天支付金额 − 对比日支付金额) ÷ ln(今天支付金额 ÷ 对比日支付金额)。三块加起来正好等于支付金额的变化，没有说不清的“交叉项”。
    原因：《运营的一天》(003)：“一般来说是三个核心：流量、转化率、客单价。客单价几乎不怎么变化，转化率在一定时间内也是比较均衡的，那最重要的是什么呢？分析访客数，访客流量来源在哪里？……没达标是因为哪块流量减少了？为什么减少？”
    怎么做：访客数少了交给推广查流量来源；转化率掉了查详情页、价格、中差评、客服；客单价低了查关联销售和套餐。涨了也要弄清楚原因，复制到其他宝贝。
    金额：下降时为少了的支付金额（对比日 − 报告日）。
    [en]
    Checks: the report day's GMV against the day before and the same weekday last week (earlier dates in the same file, or the history). When it moved by at least 10%, the change is split into what visitors, conversion and AOV each contributed in money, and the largest contributor is named the driver: a fall is a warning, a rise is info. When the driver is visitors and traffic sources are present, the first-level source that lost (or gained) the most visitors is named. Below 100 visitors on either day the rule stays silent.
    Split: GMV = visitors × conversion × AOV (conversion = buyers ÷ visitors and AOV = GMV ÷ buyers, so the product is exactly the GMV), decomposed with the log-mean Divisia index (LMDI): each factor contributes L × ln(today's value ÷ the earlier value), with L = (GMV today − GMV then) ÷ ln(GMV today ÷ GMV then). The three contributions add up exactly to the GMV change, with no unexplained interaction term.
    Why: "An operator's day" (003): "There are three cores: traffic, conversion, AOV. AOV hardly changes and conversion is fairly steady over time, so what matters most? Analyse visitors and where they come from... Off target, which traffic fell, and why?"
    Fix: fewer visitors goes to promotion with the source that fell; lower conversion means checking the item pages, prices, negative reviews and customer service; lower AOV means checking related sales and bundles. When GMV rose, find out why and copy it.
    Money: on a fall, the GMV lost (the earlier day's GMV minus the report day's).
    """
    if ctx.date is None:
        ctx.skip(ctx.t("导出里没有日期，无法和前一天比", "no date in the exports to compare days"))
        return
    today = ctx.shop_day()
    now = gmv_factors(today)
    if now is None:
        ctx.skip(ctx.t("报告日缺少访客数、支付金额或支付买家数（或转化率、客单价）",
                       "skipped, needs visitors, GMV and buyers (or conversion rate or AOV) on the report day"))
        return
    min_visitors = ctx.param("min_visitors")
    if now[0] < min_visitors:
        too_few(ctx, "访客数", "visitors", now[0], min_visitors)
        return
    compared = False
    for compare, days in (("previous_day", 1), ("same_weekday_last_week", 7)):
        compare_day = shift_day(ctx.date, -days)
        before = gmv_factors(shop_on(ctx.dataset, compare_day))
        if before is None:
            continue
        compared = True
        if before[0] < min_visitors:
            too_few(ctx, f"{compare_day} 的访客数", f"visitors on {compare_day}", before[0], min_visitors, subject=compare)
            continue
        if before[2] <= 0 or now[2] <= 0 or before[1] <= 0 or now[1] <= 0:
            ctx.skip(ctx.t(f"{compare_day} 或报告日没有成交，拆不了", f"no sales on {compare_day} or the report day to split"),
                     subject=compare)
            continue
        _speak(ctx, compare, compare_day, before, now)
    if not compared:
        ctx.skip(ctx.t("没有前一天或上周同一天的店铺数据（导出多天的数据或打开历史记录）",
                       "no shop data for the day before or the same day last week (export several days or keep the history)"))


def _speak(ctx, compare: str, compare_day: str, before, now) -> None:
    change = (now[2] - before[2]) / before[2]
    ctx.metrics[f"gmv_change_{compare}"] = round(change, 4)
    if abs(change) < ctx.param("min_change"):
        return
    from shopdoc.promotions import promotion_on

    promotion = promotion_on(ctx.config, ctx.dataset, compare_day, ctx.date)
    if promotion is not None:  # a big day on either side: the swing is the promotion's, not the shop's
        from shopdoc.promotions import label

        day, event, phase = promotion
        ctx.finding(
            "promotion", "shop",
            {"change": change, "gmv": now[2], "compare_gmv": before[2], "compare": compare, "compare_date": compare_day,
             "promotion": event, "phase": phase, "promotion_date": day},
            facet=None if compare == "previous_day" else compare, severity="info",
            compare_label=_compare_label(ctx, compare, compare_day), move=signed_pct(change),
            before=money_text(ctx, before[2]), now=money_text(ctx, now[2]),
            promo=label(event, phase, ctx.lang), promo_day=short_day(day, ctx.lang),
        )
        return
    contributions = split_gmv_change(before, now)
    direction = 1 if change > 0 else -1
    driver = max(FACTORS, key=lambda name: contributions[name] * direction)
    start, end = _factor_values(before), _factor_values(now)
    evidence = {
        "driver": driver, "change": change, "gmv": now[2], "compare_gmv": before[2], "compare": compare,
        "compare_date": compare_day, "contributions": contributions, "threshold": ctx.param("min_change"),
        **{name: end[name] for name in FACTORS}, **{f"compare_{name}": start[name] for name in FACTORS},
    }
    source_note = ""
    source = None
    if driver == "visitors":
        source = _top_source(ctx, compare_day, direction)
        if source is not None:
            evidence["source"] = source["name"]
            evidence["source_visitors_delta"] = source["visitors_delta"]
            source_note = ctx.t(f"，其中{_source_text(ctx, source)}", f", mostly {_source_text(ctx, source)}") if direction < 0 \
                else ctx.t(f"其中{_source_text(ctx, source)}。", f"Most of it: {_source_text(ctx, source)}. ")
    names = _FACTOR_NAMES[ctx.lang]
    split = ("、" if ctx.lang == "zh" else ", ").join(
        f"{names[name]} {'+' if contributions[name] >= 0 else ''}{money_text(ctx, contributions[name])}" for name in FACTORS
    )
    label = _compare_label(ctx, compare, compare_day)
    driver_detail = _factor_text(ctx, driver, start[driver], end[driver])
    items_note = ""
    moved = _item_moves(ctx, compare_day, direction)
    if moved:
        evidence["items"] = moved
        ctx.state.facts.setdefault("sales.item_moves", {})[compare] = moved
        if direction < 0:
            items_note = ctx.t("拖累最多的商品：", " The items that lost most: ") + (
                "、" if ctx.lang == "zh" else "; ").join(_item_text(ctx, item) for item in moved) + ctx.t("。", ".")
    ctx.finding(
        f"down_{driver}" if direction < 0 else "up", "shop", evidence, facet=None if compare == "previous_day" else compare,
        severity="info" if direction > 0 else None,
        money=before[2] - now[2] if direction < 0 else None, currency=data_currency(ctx, "shop_daily"),
        compare_label=label, drop=f"{-change:.1%}", rise=f"{change:.1%}",
        before=money_text(ctx, before[2]), now=money_text(ctx, now[2]), split=split, source_note=source_note,
        driver_name=driver_detail, items_note=items_note, causes=_causes(ctx, source),
    )


def _compare_label(ctx, compare: str, compare_day: str) -> str:
    if compare == "previous_day":
        return ctx.t(f"前一天（{short_day(compare_day, 'zh')}）", f"the day before ({short_day(compare_day, 'en')})")
    return ctx.t(f"上周同一天（上{weekday(compare_day, 'zh')} {short_day(compare_day, 'zh')}）",
                 f"the same day last week ({weekday(compare_day, 'en')} {short_day(compare_day, 'en')})")


# Items named as moving the shop's GMV: at most this many, each moving at least this share of the
# shop's change. Ours: the documents ask which item and why, not how many to name.
ITEMS_NAMED = 3
ITEM_SHARE = 0.10


def _item_moves(ctx, compare_day: str, direction: int) -> list[dict]:
    """The items whose GMV moved the shop's most, each split into visitors × conversion × AOV like the
    shop (from the item export's own earlier day, or the history): what an operator looks at next."""
    frame = ctx.dataset.frame("item_daily")
    if frame is None or "date" not in frame.columns or "gmv" not in frame.columns or "visitors" not in frame.columns:
        return []
    columns = [name for name in ("visitors", "gmv", "buyers") if name in frame.columns]
    both = frame[frame["date"].isin([ctx.date, compare_day])]
    if both.empty:
        return []
    sums = both.groupby(["item_id", "date"])[columns].sum(min_count=1).unstack("date")
    if ctx.date not in sums["gmv"].columns or compare_day not in sums["gmv"].columns:
        return []
    gmv_now, gmv_then = sums["gmv"][ctx.date].fillna(0.0), sums["gmv"][compare_day].fillna(0.0)
    delta = (gmv_now - gmv_then) * direction
    shop_change = abs(float((gmv_now - gmv_then).sum())) or 1.0
    top = delta[delta > ITEM_SHARE * shop_change].nlargest(ITEMS_NAMED)
    names = frame.drop_duplicates("item_id", keep="last").set_index("item_id")["item_name"] \
        if "item_name" in frame.columns else None
    out = []
    for item_id in top.index:
        row = {"item_id": str(item_id), "name": str(names.get(item_id, item_id)) if names is not None else str(item_id),
               "gmv": round(float(gmv_now[item_id]), 2), "compare_gmv": round(float(gmv_then[item_id]), 2)}
        visitors = sums["visitors"]
        v0, v1 = float(visitors[compare_day].get(item_id, 0) or 0), float(visitors[ctx.date].get(item_id, 0) or 0)
        row.update(visitors=v1, compare_visitors=v0)
        if "buyers" in sums:
            b0, b1 = float(sums["buyers"][compare_day].get(item_id, 0) or 0), float(sums["buyers"][ctx.date].get(item_id, 0) or 0)
            if v0 and v1:
                row.update(conversion_rate=round(b1 / v1, 4), compare_conversion_rate=round(b0 / v0, 4))
            if min(v0, v1, b0, b1, row["gmv"], row["compare_gmv"]) > 0:
                parts = split_gmv_change((v0, b0, row["compare_gmv"]), (v1, b1, row["gmv"]))
                row["driver"] = max(FACTORS, key=lambda name: parts[name] * direction)
        out.append(row)
    return out


def _item_text(ctx, item: dict) -> str:
    head = f"「{item['name']}」{money_text(ctx, item['compare_gmv'])} → {money_text(ctx, item['gmv'])}"
    driver = item.get("driver")
    if driver == "conversion_rate" and item.get("conversion_rate") is not None:
        why = _factor_text(ctx, driver, item["compare_conversion_rate"], item["conversion_rate"])
    elif driver == "visitors":
        why = _factor_text(ctx, driver, item["compare_visitors"], item["visitors"])
    else:
        return head
    return head + (f"（主要是{why}）" if ctx.lang == "zh" else f" (mainly {why})")
