"""Items: steer traffic to the items whose visitors are worth most, and catch items whose conversion fell.

Source: `002_be6fac7e793a1a64.txt`, 六 2–4 (支付转化率 of single items, 访客价值, 客单价).
Presale items (see `data.py`) are judged by order conversion and order amount, never by their 0
payment conversion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shopdoc.params import count, fraction, positive
from shopdoc.rules import rule
from shopdoc.rules._helpers import (
    EVIDENCE_LIMIT, clean, column, data_currency, item_label, items_on, money_text, rate_text, refund_rates, shift_day, text_of,
    too_few,
)
from shopdoc.rules.data import order_conversion, payment_conversion, presale_mask, presale_min_order_buyers

if TYPE_CHECKING:
    import pandas as pd

ORDER = 50

_MORE_LISTED = 5  # items named in a "more items" note


def visitor_value(items: "pd.DataFrame", presale: "pd.Series") -> "pd.Series":
    """GMV per visitor (访客平均价值 when exported, else 支付金额 ÷ 访客数); presale items by
    下单金额 ÷ 访客数, or NaN (not judged) when the export has no order amount."""
    visitors = column(items, "visitors").where(lambda v: v > 0)
    paid = column(items, "uv_value").fillna(column(items, "gmv") / visitors)
    return paid.where(~presale, column(items, "order_amount") / visitors)


def _more(ctx, key: str, rows: "pd.DataFrame", **values) -> None:
    """One info line for the items beyond `top_n`, so the list stays readable."""
    if rows.empty:
        return
    names = [item_label(ctx.lang, row["item_id"], text_of(row, "item_name")) for _, row in rows.head(_MORE_LISTED).iterrows()]
    shown = ("、" if ctx.lang == "zh" else ", ").join(names)
    if len(rows) > _MORE_LISTED:
        shown += ctx.t(" 等", " and others")
    ctx.finding(key, "shop", {"count": len(rows), "items": [str(i) for i in rows["item_id"].head(EVIDENCE_LIMIT)]},
                severity="info", names=shown, **values)


@rule(
    "item.traffic_allocation",
    owner="promotion",
    severity="warning",
    needs={"item_daily": ["item_id", "visitors"]},
    params=[
        positive("high_value_ratio", 1.5, "访客价值达到商品平均的这个倍数，算值钱", "Visitor value at this multiple of the item average is high"),
        fraction("small_share", 0.05, "值钱的款访客占比不超过这个值，算流量少、该加", "A high-value item at or under this share of item visitors gets too little traffic"),
        fraction("low_value_ratio", 0.50, "访客价值不到商品平均的这个比例，算产出低", "Visitor value under this fraction of the item average is low"),
        fraction("large_share", 0.10, "产出低的款访客占比达到这个值，算流量大、该挪走", "A low-value item at or above this share of item visitors takes too much traffic"),
        fraction("driver_price_ratio", 0.50, "单价不到全店客单价这个比例的款按引流款看，不建议把它的流量挪走",
                 "Items priced under this fraction of the shop AOV are traffic drivers (引流款): never told to give their traffic away"),
        count("min_visitors", 100, "商品访客数少于这个值不判断（访客价值不稳）", "Items with fewer visitors are not judged (their visitor value is noise)"),
        count("top_n", 5, "每个方向最多列几个商品，其余只计数", "At most this many items per direction; the rest are counted"),
    ],
    messages={
        "move_away": {
            "zh": ("{item}占商品访客的 {share:.0%}，访客价值只有 {value_text}，不到商品平均 {average_text} 的 {low_ratio:.0%}",
                   "流量大、产出低：把推广预算和店内入口（首页位置、关联推荐）从这个款挪一部分给访客价值高的款；同时查它转化率和客单价为什么低。"),
            "en": ("{item} takes {share:.0%} of item visitors, yet earns only {value_text}, under {low_ratio:.0%} of the item average of {average_text}",
                   "Much traffic, little return: move part of its ad budget and shop placements (home page slots, related "
                   "items) to items with a higher visitor value, and find out why its conversion and AOV are low."),
        },
        "grow": {
            "zh": ("{item}访客价值 {value_text}，是商品平均 {average_text} 的 {ratio:.1f} 倍，但只占商品访客的 {share:.1%}",
                   "进来的人值钱、流量却少：给它更多流量——加推广预算、放到首页和主推款的关联推荐里、报活动。"),
            "en": ("{item} earns {value_text}, {ratio:.1f}x the item average of {average_text}, yet gets only {share:.1%} of item visitors",
                   "Its visitors are worth a lot but there are few of them: give it more traffic with ad budget, a home "
                   "page slot, related-item links from the hero item, and promotions."),
        },
        "more_grow": {
            "zh": ("另有 {count} 个访客价值高、流量少的款：{names}", "同样考虑给它们更多流量；先处理上面列出的。"),
            "en": ("More items earning well per visitor on little traffic ({count}): {names}", "Consider more traffic for them too, after the ones above."),
        },
        "more_move_away": {
            "zh": ("另有 {count} 个流量大、访客价值低的款：{names}", "同样考虑把流量挪给访客价值高的款；先处理上面列出的。"),
            "en": ("More items taking much traffic for little return ({count}): {names}", "Consider moving their traffic too, after the ones above."),
        },
    },
)
def traffic_allocation(ctx) -> None:
    """Items whose visitors are worth much but few (give them traffic), or many but little (move it).

    [zh]
    检查：报告日每个商品的访客价值（访客平均价值，没有就用支付金额 ÷ 访客数）和商品平均访客价值（全部商品支付金额 ÷ 全部商品访客数）比。访客价值达到平均 1.5 倍、访客占比不超过 5% 的款：提示加流量；访客占比达到 10%、访客价值不到平均一半的款：警告，把流量挪走；但单价不到全店客单价一半的款按引流款看，不叫它挪流量（它的任务是用低价把人带进店，访客价值低不算问题），只在“没有判断”里说一句（一半这个比例是 shopdoc 定的，文档没有给；单价取商品导出的价格，没有就用它的支付金额 ÷ 支付买家数，全店客单价取店铺导出的，没有就用全部商品的支付金额 ÷ 支付买家数）。访客数不到 100 的商品不判断；预售商品用下单金额 ÷ 访客数，没有下单金额就不判断。每个方向最多列 5 个（按金额排），其余只计数。
    原因：《电商运营》(002)：“在相同流量下，尽可能将流量导向单价高、转化率高的产品，降低单价低、转化率低的产品的流量，可以直接提高销售额和客单价。”“当一个商品的‘支付转化率’增加时……这时候就要给更多的流量，产生更多的销量”；“提高店铺的访客价值也可以提高你的竞争力……在同样的流量成本下你的店铺的销售额就会更高”。《品类运营》(000)：“平台需要根据线上流量的情况和商品的销售属性进行商品角色分工，旗舰款、引流款、贵品、高转化、潜力款、季节款等……通过对商品角色分工，实现商品之间的协同作业，共同达到经营目标。”“和商家制定全年的商品计划（哪些商品做引流款，哪些商品做期间款，哪些商品做利润款等）”：引流款的任务是带人进店，不按利润款的访客价值要求它。
    怎么做：访客价值高的款加推广预算、放首页和关联推荐、报活动；流量大产出低的款把预算和店内入口挪一部分出去，同时查它的转化率和客单价。
    金额：加流量的款按访客价值高出平均的部分 × 它现在的访客数（流量翻一倍能多出的成交额）；挪走的款按访客价值低于平均的部分 × 访客数（这些流量放在平均水平的款上能多出的成交额）。
    [en]
    Checks: each item's visitor value on the report day (the exported visitor value, else GMV ÷ visitors) against the item average (all items' GMV ÷ all items' visitors). Items worth 1.5x the average or more with at most 5% of item visitors: give them traffic (info); items with at least 10% of item visitors worth under half the average: move traffic away (warning), unless the item is priced under half the shop AOV: such an item is a traffic driver (引流款) whose low visitor value is its job, so it is left alone with a note among the rules not checked (the half is shopdoc's number, the documents give none; the price is the item export's, else its GMV ÷ buyers; the shop AOV the shop export's, else all items' GMV ÷ buyers). Items under 100 visitors are not judged; presale items are valued by order amount ÷ visitors, and not judged without it. At most 5 items per direction, by money; the rest are counted.
    Why: "E-commerce operations" (002): "With the same traffic, steer it to items with a high price and high conversion and away from cheap, poorly converting ones; that lifts sales and AOV directly." "When an item's conversion rises... give it more traffic." "Raising the value of each visitor makes you more competitive: the same traffic cost brings more sales." "Category operations" (000): "Give items roles by the traffic and how they sell: flagship, traffic driver (引流款), premium, high-converting, potential, seasonal... so that items work together toward the goal." "Plan which items are traffic drivers, which are mid-range, which are profit items (利润款)": a traffic driver's job is to bring people in, not to earn like a profit item.
    Fix: give high-value items ad budget, home page slots, related-item links and promotions; move part of the budget and placements away from high-traffic low-value items and find out why they convert or sell low.
    Money: for items to grow, their visitor value above the average × their current visitors (what doubling their traffic would add); for items to move traffic from, their shortfall against the average × their visitors (what that traffic would bring on an average item).
    """
    items = items_on(ctx.dataset, ctx.date)
    if items is None:
        ctx.skip(ctx.t("报告日没有商品数据", "no items on the report day"))
        return
    presale = presale_mask(items, presale_min_order_buyers(ctx))
    visitors = column(items, "visitors")
    value = visitor_value(items, presale)
    valued = (visitors > 0) & value.notna()
    if not valued.any():
        ctx.skip(ctx.t("商品导出里没有支付金额（或访客平均价值）", "skipped, needs item_daily.gmv (or uv_value)"))
        return
    min_visitors = ctx.param("min_visitors")
    total = float(visitors[valued].sum())
    average = float((value * visitors)[valued].sum()) / total
    judged = valued & (visitors >= min_visitors)
    if not judged.any():
        too_few(ctx, "访客最多的商品访客数", "visitors on the busiest item", float(visitors[valued].max()), min_visitors)
        return
    if average <= 0:
        ctx.skip(ctx.t("报告日商品没有成交，比不了访客价值", "no item sales on the report day to compare visitor values"))
        return
    held = int((valued & ~judged).sum())
    if held:
        ctx.skip(ctx.t(f"{held} 个商品访客数不到 {min_visitors}，未判断", f"{held} items under {min_visitors} visitors not judged"))
    share = visitors / total
    ratio = value / average
    table = items.assign(_visitors=visitors, _value=value, _share=share, _ratio=ratio)
    grow = table[judged & (ratio >= ctx.param("high_value_ratio")) & (share <= ctx.param("small_share"))]
    move = judged & (ratio < ctx.param("low_value_ratio")) & (share >= ctx.param("large_share"))
    driver = _traffic_drivers(ctx, items, presale)
    _note_drivers(ctx, table[move & driver], driver.attrs.get("shop_aov"))
    move = table[move & ~driver]
    top_n = ctx.param("top_n")
    for key, rows in (("grow", grow), ("move_away", move)):
        money = (rows["_value"] - average).abs() * rows["_visitors"]
        rows = rows.assign(_money=money).sort_values("_money", ascending=False)
        for _, row in rows.head(top_n).iterrows():
            ctx.finding(
                key, f"item:{row['item_id']}",
                {"item_id": row["item_id"], "item_name": text_of(row, "item_name"), "visitor_value": row["_value"],
                 "average_visitor_value": average, "ratio": row["_ratio"], "share": row["_share"],
                 "visitors": row["_visitors"], "presale": bool(presale[row.name]),
                 "threshold": ctx.param("high_value_ratio") if key == "grow" else ctx.param("low_value_ratio")},
                severity="info" if key == "grow" else None,
                money=row["_money"], currency=data_currency(ctx, "item_daily"),
                item=item_label(ctx.lang, row["item_id"], text_of(row, "item_name")),
                value_text=_per_visitor(ctx, row["_value"]), average_text=_per_visitor(ctx, average),
                low_ratio=ctx.param("low_value_ratio"),
            )
        _more(ctx, f"more_{key}", rows.iloc[top_n:])


def _traffic_drivers(ctx, items: "pd.DataFrame", presale: "pd.Series") -> "pd.Series":
    """Items priced under `driver_price_ratio` × the shop AOV: traffic drivers (引流款, 000), whose
    low visitor value is their job. The price is the export's, else the item's GMV ÷ buyers; the
    shop AOV the shop export's, else all items' GMV ÷ buyers. `attrs["shop_aov"]` keeps the AOV."""
    gmv, buyers = column(items, "gmv"), column(items, "buyers")
    price = column(items, "price").fillna(gmv / buyers.where(buyers > 0))
    shop_aov = clean(ctx.shop_day().get("aov"))
    if shop_aov is None:
        paid = (~presale) & gmv.notna() & (buyers > 0)
        shop_aov = clean(gmv[paid].sum() / buyers[paid].sum()) if paid.any() else None
    driver = (price < ctx.param("driver_price_ratio") * shop_aov) if shop_aov else price.isna() & price.notna()
    driver = driver.fillna(False).astype(bool)
    driver.attrs["shop_aov"] = shop_aov
    return driver


def _note_drivers(ctx, rows: "pd.DataFrame", shop_aov: float | None) -> None:
    """The finding-free path of a traffic driver: say why it is not told to give its traffic away."""
    if rows.empty or not shop_aov:
        return
    price = column(rows, "price").fillna(column(rows, "gmv") / column(rows, "buyers").where(column(rows, "buyers") > 0))
    named = [(item_label(ctx.lang, row["item_id"], text_of(row, "item_name")), money_text(ctx, price[index], exact=True))
             for index, row in rows.head(_MORE_LISTED).iterrows()]
    ratio = f"{ctx.param('driver_price_ratio'):.0%}"
    aov = money_text(ctx, shop_aov)
    if ctx.lang == "zh":
        shown = "、".join(f"{name}单价 {price_text}" for name, price_text in named)
        ctx.skip(f"{shown}，不到全店客单价 {aov}的 {ratio}，按引流款看：它的任务是用低价把人带进店，访客价值低不算问题，流量不挪走")
    else:
        shown = ", ".join(f"{name} at {price_text}" for name, price_text in named)
        ctx.skip(f"{shown}: priced under {ratio} of the shop AOV of {aov}, so a traffic driver (引流款). Its job is to "
                 "bring people in at a low price; a low visitor value is no fault, and its traffic stays")


def _earlier_days(earlier: "pd.DataFrame", today: "pd.DataFrame", min_order_buyers: int):
    """Today's judged conversion, the presale item ids, and per item over the earlier days: visitors,
    the visitor-weighted conversion (`baseline`), GMV, buyers and the number of days. None when
    nothing has a conversion today. Grouped on integer codes: fast on 20,000 items × 7 days."""
    import numpy as np
    import pandas as pd

    item_codes, item_index = pd.factorize(earlier["item_id"])
    day_codes, _ = pd.factorize(earlier["date"])
    last = ~pd.Series(item_codes * (int(day_codes.max()) + 1) + day_codes).duplicated(keep="last").to_numpy()
    earlier, item_codes = earlier[last], item_codes[last]  # a day read twice counts once
    presale_ids = set(today["item_id"][presale_mask(today, min_order_buyers)]) | \
        set(earlier["item_id"][presale_mask(earlier, min_order_buyers)])

    def judged(rows):
        presale = rows["item_id"].isin(presale_ids)
        return payment_conversion(rows).where(~presale, order_conversion(rows))

    now = judged(today)
    if now.notna().sum() == 0:
        return None
    rate, visitors = judged(earlier), column(earlier, "visitors")
    rated = (rate.notna() & (visitors > 0)).to_numpy()

    def total(values, mask=rated):
        return np.bincount(item_codes, weights=np.where(mask, np.nan_to_num(values), 0.0), minlength=len(item_index))

    history = pd.DataFrame({
        "baseline_visitors": total(visitors.to_numpy()),
        "weighted": total((rate * visitors).to_numpy()),
        "baseline_gmv": total(column(earlier, "gmv").to_numpy(), True),
        "baseline_buyers": total(column(earlier, "buyers").to_numpy(), True),
        "days": total(np.ones(len(earlier))).astype(int),
    }, index=pd.Index(item_index, name="item_id"))
    history["baseline"] = history["weighted"] / history["baseline_visitors"].where(history["baseline_visitors"] > 0)
    return now, presale_ids, history


def _per_visitor(ctx, amount: float) -> str:
    return ctx.t(f"{money_text(ctx, amount)}/人", f"{money_text(ctx, amount)} per visitor")


def _conversion_against_earlier_days(ctx):
    """Each item's conversion today beside its visitor-weighted average of the earlier days, with
    the items comparable and those with visitors enough; None (skips said) when nothing can be judged.
    Shared by item.conversion_drop and item.conversion_rise: one reading of the same numbers."""
    today = items_on(ctx.dataset, ctx.date)
    if today is None or ctx.date is None:
        ctx.skip(ctx.t("报告日没有商品数据", "no items on the report day"))
        return None
    frame = ctx.dataset.frame("item_daily")
    window = [shift_day(ctx.date, -days) for days in range(1, ctx.param("window_days") + 1)]
    earlier = frame[frame["date"].isin(window) & frame["item_id"].notna()] if "date" in frame.columns else frame.iloc[0:0]
    if earlier.empty:
        ctx.skip(ctx.t("没有之前几天的商品数据（导出多天的数据或打开历史记录）",
                       "no item data for earlier days (export several days or keep the history)"))
        return None
    history = _earlier_days(earlier, today, presale_min_order_buyers(ctx))
    if history is None:
        ctx.skip(ctx.t("商品导出里没有支付转化率（或支付买家数）", "skipped, needs item_daily.conversion_rate (or buyers)"))
        return None
    now, presale_ids, history = history
    table = today.assign(_now=now, _visitors=column(today, "visitors"), _gmv=column(today, "gmv"),
                         _buyers=column(today, "buyers")).join(history, on="item_id")
    min_visitors = ctx.param("min_visitors")
    comparable = table["_now"].notna() & (table["baseline"] > 0)
    enough = (table["_visitors"] >= min_visitors) & (table["baseline_visitors"] >= min_visitors)
    held = int((comparable & ~enough).sum())
    if not (comparable & enough).any():
        ctx.skip(ctx.t(f"没有商品在报告日和之前几天都有 {min_visitors} 个以上访客",
                       f"no item had {min_visitors} visitors both on the report day and over the earlier days"))
        return None
    if held:
        ctx.skip(ctx.t(f"{held} 个商品访客数不够（报告日或之前几天不到 {min_visitors}），未判断",
                       f"{held} items with under {min_visitors} visitors on the report day or before not judged"))
    return table, presale_ids, comparable, enough


# Shared by the rules that compare an item with its own earlier days (one reading of the same numbers).
_WINDOW = count("window_days", 7, "和之前最多几天的平均比", "Compare with the average of up to this many earlier days")
_MIN_VISITORS_BOTH = count("min_visitors", 100, "报告日和之前几天合计的访客数都要达到这个值",
                           "Visitors needed on the report day and over the earlier days, each")


@rule(
    "item.conversion_drop",
    owner="design",
    severity="warning",
    needs={"item_daily": ["item_id", "visitors"]},
    params=[
        fraction("min_drop", 0.30, "转化率比前几天平均低了这个比例以上才提出来", "Speak when an item's conversion fell by at least this fraction of its earlier average"),
        _WINDOW,
        _MIN_VISITORS_BOTH,
        count("top_n", 5, "最多列几个商品，其余只计数", "At most this many items; the rest are counted"),
    ],
    messages={
        "drop": {
            "zh": ("{item}{rate_name} {now}，比前 {days} 天平均 {baseline_text} 低了 {drop:.0%}",
                   "美工牵头查原因：详情页和主图最近是否改过、价格和优惠是否变了、有没有新的中差评、有没有同款在抢流量。"
                   "调整后还提不上来，就减少这个款的流量，引到转化率更高的款上。"),
            "en": ("{item}: {rate_name} {now}, {drop:.0%} below its {days}-day average of {baseline_text}",
                   "Find out why, starting with design: was the page or main image changed, did the price or offers change, "
                   "are there new negative reviews, are copies of the item taking its traffic? If repeated fixes do not "
                   "bring it back, send its traffic to items that convert better."),
        },
        "more": {
            "zh": ("另有 {count} 个商品转化率大幅下降：{names}", "先处理上面列出的，再逐个查这些款。"),
            "en": ("More items whose conversion fell sharply ({count}): {names}", "Handle the ones above first, then check these."),
        },
    },
)
def conversion_drop(ctx) -> None:
    """An item's conversion fell sharply against its own earlier days.

    [zh]
    检查：报告日每个商品的支付转化率和它之前最多 7 天的平均（按访客数加权）比，低了 30% 以上就提出来。报告日访客数和之前几天的访客数合计都要达到 100。预售商品（见 data.presale）两边都用下单转化率比。之前的天数来自同一文件里的更早日期或历史记录。最多列 5 个（按少成交的金额排），其余只计数。
    原因：《电商运营》(002)：“店铺的‘支付转化率’是由具体商品的‘支付转化率’决定的……当一个商品的‘支付转化率’下降时，分析下降的原因，做相应的调整，看看这个商品的‘支付转化率’是否可以提高。如果经过多次努力仍无法改善，就有可能减少这种商品的流量，引导流量流向‘支付转化率’更高的商品。”《运营的一天》(003)：同款和中差评“这两个地方会直接影响你转化率”。
    怎么做：查详情页和主图有没有改、价格和优惠有没有变、有没有新的中差评、有没有同款抢流量；多次调整无效就减少它的流量。
    金额：(之前的平均转化率 − 今天的转化率) × 今天的访客数 × 客单价，即今天少成交的金额。
    [en]
    Checks: each item's payment conversion on the report day against the visitor-weighted average of up to 7 earlier days; a fall of 30% or more is reported. The item needs 100 visitors on the report day and 100 over the earlier days. Presale items (see data.presale) are compared on order conversion on both sides. Earlier days come from the same file or the history. At most 5 items, by money; the rest are counted.
    Why: "E-commerce operations" (002): "The shop's conversion is made of its items' conversion... When an item's conversion falls, find out why and adjust; if repeated efforts fail, reduce its traffic and steer it to items that convert better." "An operator's day" (003): copies and negative reviews "directly affect your conversion".
    Fix: check for page or image changes, price and offer changes, new negative reviews and copies; if fixes do not help, cut its traffic.
    Money: (earlier conversion − today's) × today's visitors × AOV: the sales lost today.
    """
    judged = _conversion_against_earlier_days(ctx)
    if judged is None:
        return
    table, presale_ids, comparable, enough = judged
    table["_drop"] = 1 - table["_now"] / table["baseline"]
    dropped = table[comparable & enough & (table["_drop"] >= ctx.param("min_drop"))]
    aov = (dropped["_gmv"] / dropped["_buyers"].where(dropped["_buyers"] > 0)).fillna(
        dropped["baseline_gmv"] / dropped["baseline_buyers"].where(dropped["baseline_buyers"] > 0))
    money = (dropped["baseline"] - dropped["_now"]) * dropped["_visitors"] * aov
    dropped = dropped.assign(_money=money).sort_values(["_money", "_drop"], ascending=False, na_position="last")
    top_n = ctx.param("top_n")
    for _, row in dropped.head(top_n).iterrows():
        presale = row["item_id"] in presale_ids
        ctx.finding(
            "drop", f"item:{row['item_id']}",
            {"item_id": row["item_id"], "item_name": text_of(row, "item_name"), "conversion_rate": row["_now"],
             "baseline_conversion_rate": row["baseline"], "change": -row["_drop"], "days": int(row["days"]), "visitors": row["_visitors"],
             "baseline_visitors": row["baseline_visitors"], "presale": presale, "threshold": ctx.param("min_drop")},
            money=clean(row["_money"]), currency=data_currency(ctx, "item_daily"),
            item=item_label(ctx.lang, row["item_id"], text_of(row, "item_name")),
            rate_name=ctx.t("下单转化率（预售）", "order conversion (presale)") if presale else ctx.t("支付转化率", "conversion"),
            now=rate_text(row["_now"]), baseline_text=rate_text(row["baseline"]), drop=row["_drop"],
        )
    _more(ctx, "more", dropped.iloc[top_n:])


@rule(
    "item.conversion_rise",
    owner="promotion",
    severity="info",
    needs={"item_daily": ["item_id", "visitors"]},
    params=[
        fraction("min_rise", 0.30, "转化率比前几天平均高了这个比例以上才提出来", "Speak when an item's conversion rose by at least this fraction of its earlier average"),
        _WINDOW,
        _MIN_VISITORS_BOTH,
        count("top_n", 3, "最多列几个商品，其余只计数", "At most this many items; the rest are counted"),
    ],
    messages={
        "rise": {
            "zh": ("{item}{rate_name} {now}，比前 {days} 天平均 {baseline_text} 高了 {rise:.0%}：给它更多流量",
                   "这个款变得更吸引人了：加推广预算、放到首页和主推款的关联推荐里，让更多人看到；同时弄清楚转化为什么涨"
                   "（主图、价格、评价、活动），能用的用到其他款上。"),
            "en": ("{item}: {rate_name} {now}, {rise:.0%} above its {days}-day average of {baseline_text}; give it more traffic",
                   "The item has become more attractive: raise its ad budget and put it on the home page and beside the "
                   "hero item so more people see it; find out why it converts better (image, price, reviews, a promotion) "
                   "and use that on other items."),
        },
        "more": {
            "zh": ("另有 {count} 个商品转化率明显上升：{names}", "先给上面列出的加流量，再看这些款。"),
            "en": ("More items whose conversion rose clearly ({count}): {names}", "Give the ones above more traffic first, then look at these."),
        },
    },
)
def conversion_rise(ctx) -> None:
    """An item's conversion rose clearly against its own earlier days, on enough visitors: give it traffic.

    [zh]
    检查：报告日每个商品的支付转化率和它之前最多 7 天的平均（按访客数加权）比，高了 30% 以上就提出来（和 item.conversion_drop 同一套读法、同样的样本要求：报告日和之前几天的访客数各至少 100）。预售商品两边都用下单转化率。最多列 3 个（按多成交的金额排），其余只计数。
    原因：《电商运营》(002)：“当一个商品的‘支付转化率’增加时，意味着这个商品的吸引力增加。这时候就要给更多的流量，产生更多的销量，并分析‘支付转化率’提高的原因是否可以应用到其他商品上。”
    怎么做：加推广预算、放首页和主推款关联推荐；找出转化上涨的原因，复制到其他款。
    门槛：高 30% 是我们定的（文档没有给数字），和下降用同一个幅度。
    金额：(今天的转化率 − 之前的平均) × 今天的访客数 × 客单价，即今天多成交的金额（提示，不计入待处理的金额）。
    [en]
    Checks: each item's payment conversion on the report day against the visitor-weighted average of up to 7 earlier days; a rise of 30% or more is reported (the same reading and sample as item.conversion_drop: 100 visitors on the report day and 100 over the earlier days). Presale items are compared on order conversion. At most 3 items, by money; the rest are counted.
    Why: "E-commerce operations" (002): "When an item's conversion rises, it has become more attractive. Then give it more traffic to sell more, and see whether the reason can be used on other items."
    Fix: more ad budget, the home page and the hero item's related slots; find out why and copy it.
    Threshold: the 30% rise is ours (the documents give no number), the same size as the drop.
    Money: (today's conversion − the earlier average) × today's visitors × AOV: the extra sales today (a note, not money at stake).
    """
    judged = _conversion_against_earlier_days(ctx)
    if judged is None:
        return
    table, presale_ids, comparable, enough = judged
    table["_rise"] = table["_now"] / table["baseline"] - 1
    rose = table[comparable & enough & (table["_rise"] >= ctx.param("min_rise"))]
    aov = (rose["_gmv"] / rose["_buyers"].where(rose["_buyers"] > 0)).fillna(
        rose["baseline_gmv"] / rose["baseline_buyers"].where(rose["baseline_buyers"] > 0))
    money = (rose["_now"] - rose["baseline"]) * rose["_visitors"] * aov
    rose = rose.assign(_money=money).sort_values(["_money", "_rise"], ascending=False, na_position="last")
    top_n = ctx.param("top_n")
    for _, row in rose.head(top_n).iterrows():
        presale = row["item_id"] in presale_ids
        ctx.finding(
            "rise", f"item:{row['item_id']}",
            {"item_id": row["item_id"], "item_name": text_of(row, "item_name"), "conversion_rate": row["_now"],
             "baseline_conversion_rate": row["baseline"], "change": row["_rise"], "days": int(row["days"]),
             "visitors": row["_visitors"], "baseline_visitors": row["baseline_visitors"], "presale": presale,
             "threshold": ctx.param("min_rise")},
            money=clean(row["_money"]), currency=data_currency(ctx, "item_daily"),
            item=item_label(ctx.lang, row["item_id"], text_of(row, "item_name")),
            rate_name=ctx.t("下单转化率（预售）", "order conversion (presale)") if presale else ctx.t("支付转化率", "conversion"),
            now=rate_text(row["_now"]), baseline_text=rate_text(row["baseline"]), rise=row["_rise"],
        )
    _more(ctx, "more", rose.iloc[top_n:])


@rule(
    "item.search_drop",
    owner="promotion",
    severity="warning",
    needs={"item_daily": ["item_id", "search_visitors"]},
    params=[
        fraction("min_drop", 0.50, "搜索引导访客数比之前几天平均少了这个比例以上才提出来", "Speak when an item's search visitors fell by at least this fraction of its earlier average"),
        _WINDOW,
        count("min_visitors", 100, "之前几天平均每天的搜索访客数至少要有这么多", "Earlier days' average search visitors needed per day"),
        count("top_n", 3, "最多列几个商品，其余只计数", "At most this many items; the rest are counted"),
    ],
    messages={
        "drop": {
            "zh": ("{item}搜索引导访客 {now:count}，比前 {days} 天平均 {before:count} 少了 {drop:pct}：搜索排名掉了",
                   "这是排名的问题，不是页面的问题：查这个款最近有没有降权（违规、差评、价格变动、断货）、标题和主图是否改过、"
                   "同款有没有抢了位置；找到原因先恢复，再看要不要用推广把搜索流量带回来。"),
            "en": ("{item}: {now:count} visitors from search, {drop:pct} below its {days}-day average of {before:count}: its search ranking fell",
                   "This is a ranking problem, not a page problem: check whether the item was demoted (a violation, "
                   "bad reviews, a price change, out of stock), whether its title or main image changed, and whether a "
                   "copy took its place; undo the cause first, then decide whether ads should win the search traffic back."),
        },
        "more": {
            "zh": ("另有 {count} 个商品搜索访客大幅减少：{names}", "先查上面列出的，再逐个看这些款。"),
            "en": ("More items whose search visitors fell sharply ({count}): {names}", "Check the ones above first, then these."),
        },
    },
)
def search_drop(ctx) -> None:
    """An item's visitors from search halved against its earlier days: its ranking fell.

    [zh]
    检查：报告日每个商品的搜索引导访客数，和它之前最多 7 天的日平均比，少了 50% 以上就提出来；之前日平均不到 100 个搜索访客的商品不判断。最多列 3 个（按少了的访客数排），其余只计数。主推款掉了排在最前面。
    原因：《运营的一天》(003)：“分析访客数，访客流量来源在哪里？……没达标是因为哪块流量减少了？为什么减少？”搜索访客腰斩，是这个款的搜索排名出了问题，要推广和运营一起查。
    怎么做：查降权（违规、差评、价格、断货）、标题和主图的改动、同款抢位；先恢复原因，再决定要不要用推广补。
    门槛：少 50%、日均 100 个搜索访客是我们定的（文档没有给数字）。
    [en]
    Checks: each item's visitors from search on the report day against its daily average over up to 7 earlier days; a fall of 50% or more is reported. Items averaging under 100 search visitors a day are not judged. At most 3 items, by visitors lost; the rest are counted.
    Why: "An operator's day" (003): "Analyse visitors and where they come from... which traffic fell, and why?" An item whose search visitors halved has lost its search ranking.
    Fix: look for a demotion (violations, bad reviews, price, stock), title and image changes, copies taking its place; undo the cause, then decide whether ads should make up for it.
    Thresholds: the 50% fall and the 100 daily search visitors are ours; the documents give no numbers.
    """
    today = items_on(ctx.dataset, ctx.date)
    frame = ctx.dataset.frame("item_daily")
    if today is None or ctx.date is None or "date" not in frame.columns:
        ctx.skip(ctx.t("报告日没有商品数据", "no items on the report day"))
        return
    window = [shift_day(ctx.date, -days) for days in range(1, ctx.param("window_days") + 1)]
    earlier = frame[frame["date"].isin(window) & frame["item_id"].notna()]
    if earlier.empty:
        ctx.skip(ctx.t("没有之前几天的商品数据（导出多天的数据或打开历史记录）",
                       "no item data for earlier days (export several days or keep the history)"))
        return
    per_day = column(earlier, "search_visitors").groupby([earlier["item_id"], earlier["date"]]).sum(min_count=1)
    before = per_day.groupby(level=0).mean()
    days = per_day.groupby(level=0).size()
    now = column(today, "search_visitors").groupby(today["item_id"]).sum(min_count=1)
    table = before.rename("before").to_frame().join(now.rename("now"), how="inner").join(days.rename("days"))
    enough = table["before"] >= ctx.param("min_visitors")
    if not enough.any():
        ctx.skip(ctx.t(f"没有商品之前几天日均有 {ctx.param('min_visitors')} 个以上搜索访客",
                       f"no item averaged {ctx.param('min_visitors')} search visitors a day before"))
        return
    table["drop"] = 1 - table["now"].fillna(0.0) / table["before"]
    table["lost"] = table["before"] - table["now"].fillna(0.0)
    dropped = table[enough & (table["drop"] >= ctx.param("min_drop"))]
    names = today.drop_duplicates("item_id", keep="last").set_index("item_id")
    hero = ctx.config.get("shop", "hero_item")
    dropped = dropped.assign(_hero=dropped.index.astype(str) == str(hero)).sort_values(["_hero", "lost"], ascending=False)
    top_n = ctx.param("top_n")
    for item_id, row in dropped.head(top_n).iterrows():
        name = text_of(names.loc[item_id], "item_name") if item_id in names.index else None
        ctx.finding(
            "drop", f"item:{item_id}",
            {"item_id": item_id, "item_name": name, "search_visitors": row["now"], "baseline_search_visitors": row["before"],
             "change": -row["drop"], "days": int(row["days"]), "hero": bool(row["_hero"]), "threshold": ctx.param("min_drop")},
            item=item_label(ctx.lang, item_id, name), now=row["now"] if row["now"] == row["now"] else 0.0,
            before=row["before"], drop=row["drop"], days=int(row["days"]),
        )
    more = dropped.iloc[top_n:].assign(item_name=[text_of(names.loc[i], "item_name") if i in names.index else None
                                                  for i in dropped.index[top_n:]]).reset_index()
    _more(ctx, "more", more)


@rule(
    "item.refund_rate",
    owner="service",
    severity="warning",
    needs={"item_daily": ["item_id", "refund_amount"]},
    units={"value": "percent", "threshold": "percent", "shop_refund_rate": "percent", "refund": "money", "gmv": "money",
           "buyers": "count"},
    params=[
        count("window_days", 7, "按最近几天（含报告日）的退款和成交算退款率", "Refund rate over the last this many days, the report day included"),
        count("min_buyers", 30, "窗口期支付买家数少于这个值的商品不判断（推广按退款算投产比也用这个门槛）",
              "Items with fewer paying buyers in the window are not judged (the ad rules' refund-adjusted ROI uses the same guard)"),
        fraction("min_rate", 0.10, "退款金额占支付金额的比例达到这个值才算退款多", "A refund rate (refunds ÷ sales) at or above this counts as high"),
        positive("shop_ratio", 2.0, "而且要达到全店退款率的这个倍数（退款多的类目不会每个款都报）",
                 "…and at least this multiple of the shop's own refund rate (a category that refunds a lot does not flag every item)"),
        count("top_n", 3, "最多列几个商品，其余只计数", "At most this many items; the rest are counted"),
    ],
    messages={
        "high": {
            "zh": ("{item}近 {days} 天退款 {refund:money}，占支付金额的 {value:pct}，是全店退款率 {shop_rate:pct} 的 {ratio:.1f} 倍",
                   "退款多先找货的原因：看退款原因和这个款的中差评（尺码、色差、质量、和描述不符），该改详情页的改详情页、该找工厂的找工厂；"
                   "售后客服跟进每一笔退款，能换货的换货。推广这个款按扣掉退款后的投产比看，别按表面的投产比加价。"),
            "en": ("{item}: {refund:money} refunded over {days} days, {value:pct} of its sales, {ratio:.1f} times the shop's {shop_rate:pct}",
                   "Find the goods' problem first: read the refund reasons and the item's negative reviews (size, colour, "
                   "quality, not as described); fix the page or take it up with the factory; after-sales follows up every "
                   "refund and offers an exchange where it can. Judge this item's ads by their ROI net of refunds, never raise them on the gross ROI."),
        },
        "more": {
            "zh": ("另有 {count} 个商品退款率偏高：{names}", "先处理上面列出的，再逐个看这些款。"),
            "en": ("More items with a high refund rate ({count}): {names}", "Handle the ones above first, then these."),
        },
    },
)
def refund_rate(ctx) -> None:
    """Items whose refunds eat their sales: refund rate by item over a window, against the shop's own.

    [zh]
    检查：最近 window_days 天（默认 7 天，含报告日）每个商品的退款率 = 成功退款金额 ÷ 支付金额（生意参谋商品导出的“成功退款金额”/“售中售后成功退款金额”），达到 min_rate（默认 10%）而且是全店退款率的 shop_ratio 倍（默认 2 倍）以上就提出来。窗口期支付买家不到 min_buyers（默认 30）的商品不判断。最多列 3 个（按多退的金额排），其余只计数。推广规则（ads.roi_breakeven / ads.ctr_bid）按扣掉退款后的投产比判断：推广对得上商品的用这个商品的退款率（买家数够时），对不上的用全店退款率。
    原因：《电商运营》(000)：“产品的质量或者性价比不过关，再多的流量、再好的文案也无济于事。”《运营的一天》(003)：“售后服务的好坏决定了客户再次购买的行为……比如网站上有7天无条件退货。”《电商运营》(002)：“产品要考虑利润率……有利润才能生存和发展”：退掉的钱不是成交，按表面的投产比加推广会亏钱。
    怎么做：看退款原因和中差评，改详情页（尺码表、实拍、色差说明）或找工厂解决质量；售后客服跟进每一笔退款；这个款的推广按扣退款后的投产比管。
    门槛：10% 和全店的 2 倍、30 个买家都是我们定的（文档没有给数字）。
    金额：(这个款的退款率 − 全店退款率) × 窗口期支付金额 ÷ 天数：每天比全店平均多退的钱。
    [en]
    Checks: over the last window_days days (7, the report day included) each item's refund rate = refunds ÷ sales (生意参谋's 成功退款金额 / 售中售后成功退款金额 in the item export); at min_rate (10%) or more and at least shop_ratio (2) times the shop's own refund rate, it is reported. Items with fewer than min_buyers (30) paying buyers in the window are not judged. At most 3 items, by money; the rest are counted. The ad rules (ads.roi_breakeven, ads.ctr_bid) judge ROI net of refunds: with the item's refund rate where an ad names one item (with enough buyers), else the shop's.
    Why: (000): "If the product's quality or value is not there, no amount of traffic or copy helps." An operator's day (003): "After-sales decides whether a customer buys again… e.g. 7-day no-questions returns." (002): "a product must earn its margin": refunded money is not a sale, and raising ads on the gross ROI loses money.
    Fix: read the refund reasons and negative reviews, fix the page (size chart, real photos, colour notes) or the goods with the factory; after-sales follows up every refund; manage the item's ads by ROI net of refunds.
    Thresholds: 10%, twice the shop's rate and 30 buyers are ours; the documents give no numbers.
    Money: (the item's refund rate − the shop's) × the window's sales ÷ days: what it refunds per day above the shop's average.
    """
    days_wanted = ctx.param("window_days")
    per_item, shop = refund_rates(ctx.dataset, ctx.date, days_wanted)
    if per_item is None or per_item.empty or shop is None:
        ctx.skip(ctx.t("窗口期内商品导出没有成功退款金额", "no item refunds (成功退款金额) in the window"))
        return
    enough = per_item["buyers"] >= ctx.param("min_buyers")
    if not enough.any():
        ctx.skip(ctx.t(f"没有商品窗口期支付买家达到 {ctx.param('min_buyers')}",
                       f"no item has {ctx.param('min_buyers')} paying buyers in the window"))
        return
    shop_rate = shop["rate"]
    line = max(ctx.param("min_rate"), ctx.param("shop_ratio") * (shop_rate if shop_rate == shop_rate else 0.0))
    high = per_item[enough & (per_item["rate"] >= line - 1e-12)].copy()
    high["_money"] = (high["rate"] - shop_rate) * high["gmv"] / high["days"].clip(lower=1)
    high = high.sort_values(["_money", "rate"], ascending=False)
    names = {}
    today = items_on(ctx.dataset, ctx.date)
    if today is not None and "item_name" in today.columns:
        names = dict(zip(today["item_id"].astype(str).tolist(), today["item_name"].tolist()))
    top_n = ctx.param("top_n")
    for row in high.head(top_n).to_dict("records"):
        name = names.get(row["item_id"])
        name = None if name is None or name != name else str(name)
        ctx.finding(
            "high", f"item:{row['item_id']}",
            {"item_id": row["item_id"], "item_name": name, "value": row["rate"], "threshold": line,
             "shop_refund_rate": shop_rate, "refund": row["refund"], "gmv": row["gmv"], "buyers": row["buyers"],
             "days": int(row["days"])},
            money=clean(row["_money"]), currency=data_currency(ctx, "item_daily"),
            item=item_label(ctx.lang, row["item_id"], name), refund=row["refund"], value=row["rate"],
            shop_rate=shop_rate, ratio=row["rate"] / shop_rate if shop_rate else float("nan"), days=int(row["days"]),
        )
    more = high.iloc[top_n:].assign(item_name=[names.get(i) for i in high["item_id"].iloc[top_n:].tolist()])
    _more(ctx, "more", more)
