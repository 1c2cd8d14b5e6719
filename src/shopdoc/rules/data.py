"""Data that is wrong on purpose: presale items show 0 payment conversion.

Source: `002_be6fac7e793a1a64.txt`, 六 7: "有时候的数据是错的。例如预售商品的'支付转化率'为0，此时如何判断商品的
真实转化率呢？答案是参考'下单转化率'或者直接人工统计预售订单量再除以访客数。"

The helpers here are how every item rule recognises presale items and which conversion it judges
them by, so `item.conversion_drop`, `item.traffic_allocation` and `conversion.below_peer` do not
take a presale item for one that nobody buys. Impossible values (conversion above 100% ...) are the
importer's data warnings, not this module's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shopdoc.params import count
from shopdoc.rules import rule
from shopdoc.rules._helpers import column, count_text, item_label, items_on, rate_text, text_of

if TYPE_CHECKING:
    import pandas as pd

    from shopdoc.engine import RuleContext

ORDER = 90

_LISTED = 5  # presale items named in the title; the evidence lists them all


def presale_min_order_buyers(ctx: "RuleContext") -> int:
    """The one threshold for "this is a presale item", read by every item rule from `data.presale`."""
    return ctx.config.rule_settings("data.presale")["min_order_buyers"]


def presale_mask(items: "pd.DataFrame", min_order_buyers: int) -> "pd.Series":
    """Rows with at least `min_order_buyers` order buyers (下单买家数) but nothing paid: presale."""
    order_buyers = column(items, "order_buyers")
    rate, buyers, gmv = column(items, "conversion_rate"), column(items, "buyers"), column(items, "gmv")
    paid_nothing = (rate == 0) | (rate.isna() & ((buyers == 0) | (buyers.isna() & (gmv == 0))))
    return (order_buyers >= max(min_order_buyers, 1)) & paid_nothing


def presale_order_buyers(ctx: "RuleContext", day: str) -> float:
    """The ordering buyers of `day`'s presale items: deposits whose balance is not due yet. The shop's
    order → payment step leaves them out: they are not unpaid orders to chase."""
    items = ctx.dataset.frame("item_daily")
    if items is None or "order_buyers" not in items.columns or "date" not in items.columns:
        return 0.0
    rows = items[items["date"].astype(str) == day]
    if rows.empty:
        return 0.0
    presale = presale_mask(rows, presale_min_order_buyers(ctx))
    return float(column(rows, "order_buyers")[presale].sum())


def payment_conversion(items: "pd.DataFrame") -> "pd.Series":
    """支付转化率, else payment buyers ÷ visitors."""
    visitors = column(items, "visitors")
    return column(items, "conversion_rate").fillna(column(items, "buyers") / visitors.where(visitors > 0))


def order_conversion(items: "pd.DataFrame") -> "pd.Series":
    """下单转化率, else order buyers ÷ visitors."""
    visitors = column(items, "visitors")
    return column(items, "order_conversion_rate").fillna(column(items, "order_buyers") / visitors.where(visitors > 0))


def judged_conversion(items: "pd.DataFrame", presale: "pd.Series") -> "pd.Series":
    """The conversion an item is judged by: payment conversion, or order conversion when presale."""
    return payment_conversion(items).where(~presale, order_conversion(items))


@rule(
    "data.presale",
    owner="operations",
    severity="info",
    needs={"item_daily": ["item_id", "order_buyers"]},
    params=[
        count("min_order_buyers", 3, "下单买家数至少这么多、支付却是 0，才当作预售（一两个未付款的订单很常见）",
              "At least this many order buyers with nothing paid marks a presale item (one or two unpaid orders are common)"),
    ],
    messages={
        "presale": {
            "zh": ("{count} 个商品有下单、支付转化率却是 0，按预售看：{names}",
                   "预售商品付尾款之前支付转化率显示为 0，不是没人买。判断这些商品看下单转化率（或人工统计预售订单量 ÷ 访客数）；"
                   "shopdoc 的单品规则已经按下单转化率判断它们。"),
            "en": ("Items with orders but 0 payment conversion, read as presale ({count}): {names}",
                   "Presale items show 0 payment conversion until the balance is paid; people are buying. Judge them by "
                   "order conversion (or count the presale orders ÷ visitors by hand); shopdoc's item rules already do."),
        },
    },
)
def presale(ctx) -> None:
    """Items with order buyers but 0 payment conversion: presale, judged by order conversion instead.

    [zh]
    检查：报告日下单买家数至少 3 个、支付转化率却是 0（或支付买家数为 0）的商品，当作预售商品列出来，给出它们的下单转化率。单品规则（item.conversion_drop、item.traffic_allocation、conversion.below_peer）对这些商品改用下单转化率和下单金额判断，没有就不判断。
    原因：《电商运营》(002)：“最后要留意，有时候的数据是错的。例如预售商品的‘支付转化率’为0，此时如何判断商品的真实转化率呢？答案是参考‘下单转化率’或者直接人工统计预售订单量再除以访客数。”
    怎么做：这些商品看下单转化率，别因为支付转化率为 0 就降它们的流量或改页面。
    金额：不估（提示数据口径，不是问题本身）。
    [en]
    Checks: items on the report day with at least 3 order buyers but 0 payment conversion (or 0 paying buyers) are listed as presale items with their order conversion. The item rules (item.conversion_drop, item.traffic_allocation, conversion.below_peer) judge them by order conversion and order amount instead, and leave them alone when the export has neither.
    Why: "E-commerce operations" (002): "Mind that the data is sometimes wrong. Presale items, for instance, show a payment conversion of 0. How do you judge their real conversion? Look at the order conversion, or count the presale orders by hand and divide by visitors."
    Fix: judge these items by order conversion; do not cut their traffic or rework their pages because payment conversion reads 0.
    Money: none (a note on how to read the data, not a problem in itself).
    """
    items = items_on(ctx.dataset, ctx.date)
    if items is None:
        ctx.skip(ctx.t("报告日没有商品数据", "no items on the report day"))
        return
    mask = presale_mask(items, presale_min_order_buyers(ctx))
    if not mask.any():
        return
    found = items[mask].assign(order_conversion_rate=order_conversion(items)[mask], visitors=column(items, "visitors")[mask])
    found = found.sort_values("visitors", ascending=False, na_position="last")
    listed = []
    for _, row in found.iterrows():
        listed.append({
            "item_id": row["item_id"], "item_name": text_of(row, "item_name"), "visitors": row["visitors"],
            "order_buyers": row["order_buyers"], "order_conversion_rate": row["order_conversion_rate"],
        })
    shown = [f"{item_label(ctx.lang, item['item_id'], item['item_name'])}{ctx.t('下单转化率', ' order conversion')} {rate_text(item['order_conversion_rate'])}"
             for item in listed[:_LISTED]]
    names = ("、" if ctx.lang == "zh" else "; ").join(shown)
    if len(listed) > _LISTED:
        names += ctx.t(f" 等 {count_text(len(listed))} 个", f" and {len(listed) - _LISTED} more")
    ctx.finding("presale", "shop", {"count": len(listed), "items": listed,
                                     "threshold": presale_min_order_buyers(ctx)}, names=names)
