"""Conversion against peers: the shop's (and each item's) payment conversion against the peer average.

Source: `002_be6fac7e793a1a64.txt`, 六 2 ("'支付转化率'是店铺的核心数据") and `003_01bac92a2fb6a989.txt`,
下午 五、客户 ("对客服提出一个高于行业平均水平的要求").
"""

from __future__ import annotations

from shopdoc.params import count, fraction
from shopdoc.rules import rule
from shopdoc.rules._helpers import EVIDENCE_LIMIT, clean, column, data_currency, item_label, items_on, text_of, too_few
from shopdoc.rules.data import judged_conversion, presale_mask, presale_min_order_buyers

ORDER = 40

_MORE_LISTED = 5


@rule(
    "conversion.below_peer",
    owner="service",
    severity="warning",
    params=[
        fraction("tolerance", 0.0, "低于同行平均多少（相对比例）才算低；0 表示只要低于就算",
                 "How far under the peer average (relative) counts as below; 0 means any amount"),
        count("min_visitors", 100, "全店访客数少于这个值不判断", "Below this many shop visitors the shop is not judged"),
        count("min_item_visitors", 100, "商品访客数少于这个值不判断", "Items with fewer visitors are not judged"),
        count("top_n", 5, "最多列几个商品，其余只计数", "At most this many items; the rest are counted"),
    ],
    messages={
        "shop": {
            "zh": ("全店支付转化率 {value:.2%}，低于同行平均 {peer_conversion_rate:.2%}",
                   "支付转化率是店铺的核心数据。客服：给每个客服定一个高于同行平均的转化要求，高于平均的分享经验，低于平均的找原因改进；"
                   "运营同时看主推款的详情页、价格和中差评。"),
            "en": ("The shop converts at {value:.2%}, below the peer average of {peer_conversion_rate:.2%}",
                   "Payment conversion is the shop's core number. Customer service: set each agent a conversion target "
                   "above the peer average; those above share what works, those below find what to improve. Operations: "
                   "check the hero item's page, price and negative reviews."),
        },
        "item": {
            "zh": ("{item}{rate_name} {value:.2%}，低于同行平均 {peer_conversion_rate:.2%}",
                   "店铺转化率由单品转化率决定：逐项查这个款的详情页卖点、主图、价格、评价和客服话术，先把它的转化提到同行平均以上。"),
            "en": ("{item} converts at {value:.2%}{rate_note}, below the peer average of {peer_conversion_rate:.2%}",
                   "The shop's conversion is made of its items': check this item's selling points, main image, price, "
                   "reviews and customer service scripts until it converts above its peers."),
        },
        "more": {
            "zh": ("另有 {count} 个商品转化率低于同行平均：{names}", "先处理上面列出的，再逐个看这些款。"),
            "en": ("More items converting below their peers ({count}): {names}", "Handle the ones above first, then these."),
        },
    },
)
def below_peer(ctx) -> None:
    """Payment conversion of the shop (and of items, when the export gives it) below the peer average.

    [zh]
    检查：报告日全店支付转化率和同行平均支付转化率比；商品导出带同行平均时，每个商品也比（预售商品用下单转化率）。低于同行平均就提出来（可配置容差）。全店访客数不到 100、商品访客数不到 100 的不判断；导出没有同行平均时整条规则跳过。商品最多列 5 个（按少成交的金额排），其余只计数。
    原因：《电商运营》(002)：“‘支付转化率’是店铺的核心数据，没有这个数据，其他一切无从谈起。‘付费转化率’大于‘同行平均’，意味着你的产品越受欢迎，访客价值越高；店铺的‘支付转化率’是由具体商品的‘支付转化率’决定的。”《运营的一天》(003)：客服“对于转化的要求，第一步可以用转化率作为一个参考，对客服提出一个高于行业平均水平的要求”。
    怎么做：给客服定高于同行平均的转化要求，高于平均的分享经验、低于平均的改进；低于同行的单品逐项查详情页、主图、价格、评价和话术。
    金额：(同行平均 − 自己的转化率) × 访客数 × 客单价：做到同行平均能多成交的金额。
    [en]
    Checks: the shop's payment conversion on the report day against the peer average; when the item export carries a peer average, each item too (presale items by order conversion). Anything below the peer average is reported (a tolerance is configurable). The shop is not judged under 100 visitors, an item not under 100; without a peer average in the exports the rule is skipped. At most 5 items, by money; the rest are counted.
    Why: "E-commerce operations" (002): "Payment conversion is the shop's core number; without it nothing else matters. Converting above the peer average means your products are wanted and your visitors are worth more. The shop's conversion is made of its items' conversion." "An operator's day" (003): for customer service, "use conversion as the measure and set a target above the industry average".
    Fix: set customer service a conversion target above the peer average, with those above sharing and those below improving; for items below their peers, check page, main image, price, reviews and scripts.
    Money: (peer average − own conversion) × visitors × AOV: the sales that converting at the peer average would add.
    """
    shop = ctx.shop_day()
    shop_peer = shop.get("peer_conversion_rate")
    items = items_on(ctx.dataset, ctx.date)
    item_peers = items is not None and column(items, "peer_conversion_rate").notna().any()
    if shop_peer is None and not item_peers:
        ctx.skip(ctx.t("导出里没有同行平均支付转化率", "skipped, needs peer_conversion_rate (同行平均支付转化率) in the shop or item export"))
        return
    factor = 1 - ctx.param("tolerance")
    if shop_peer is not None:
        _judge_shop(ctx, shop, shop_peer, factor)
    if item_peers:
        _judge_items(ctx, items, factor)


def _judge_shop(ctx, shop: dict, peer: float, factor: float) -> None:
    conversion, visitors = shop.get("conversion_rate"), shop.get("visitors")
    if conversion is None:
        ctx.skip(ctx.t("报告日没有全店支付转化率", "no shop conversion on the report day"), subject="shop")
        return
    if visitors is not None and visitors < ctx.param("min_visitors"):
        too_few(ctx, "访客数", "visitors", visitors, ctx.param("min_visitors"), subject="shop")
        return
    if conversion >= peer * factor:
        return
    aov = shop.get("aov")
    money = (peer - conversion) * visitors * aov if visitors and aov else None
    ctx.finding("shop", "shop", {"value": conversion, "threshold": peer * factor, "peer_conversion_rate": peer,
                                 "visitors": visitors},
                money=money, currency=data_currency(ctx, "shop_daily"))


def _judge_items(ctx, items, factor: float) -> None:
    presale = presale_mask(items, presale_min_order_buyers(ctx))
    conversion = judged_conversion(items, presale)
    peer = column(items, "peer_conversion_rate")
    visitors = column(items, "visitors")
    comparable = conversion.notna() & peer.notna()
    enough = visitors >= ctx.param("min_item_visitors")
    held = int((comparable & ~enough).sum())
    if held:
        ctx.skip(ctx.t(f"{held} 个商品访客数不到 {ctx.param('min_item_visitors')}，未和同行比",
                       f"{held} items under {ctx.param('min_item_visitors')} visitors not compared with peers"))
    below = comparable & enough & (conversion < peer * factor)
    if not below.any():
        return
    gmv, buyers = column(items, "gmv"), column(items, "buyers")
    aov = (gmv / buyers.where(buyers > 0)).where(~presale, column(items, "order_amount") / column(items, "order_buyers"))
    money = (peer - conversion) * visitors * aov
    table = items.assign(_conversion=conversion, _peer=peer, _visitors=visitors, _money=money, _presale=presale)[below]
    table = table.sort_values(["_money", "_visitors"], ascending=False, na_position="last")
    top_n = ctx.param("top_n")
    for _, row in table.head(top_n).iterrows():
        ctx.finding(
            "item", f"item:{row['item_id']}",
            {"item_id": row["item_id"], "item_name": text_of(row, "item_name"), "value": row["_conversion"],
             "threshold": row["_peer"] * factor, "peer_conversion_rate": row["_peer"], "visitors": row["_visitors"],
             "presale": bool(row["_presale"])},
            money=clean(row["_money"]), currency=data_currency(ctx, "item_daily", "shop_daily"),
            item=item_label(ctx.lang, row["item_id"], text_of(row, "item_name")),
            rate_name="下单转化率（预售）" if row["_presale"] else "支付转化率",
            rate_note=" (order conversion, presale)" if row["_presale"] else "",
        )
    rest = table.iloc[top_n:]
    if not rest.empty:
        names = [item_label(ctx.lang, row["item_id"], text_of(row, "item_name")) for _, row in rest.head(_MORE_LISTED).iterrows()]
        shown = ("、" if ctx.lang == "zh" else ", ").join(names) + (ctx.t(" 等", " and others") if len(rest) > _MORE_LISTED else "")
        ctx.finding("more", "shop", {"count": len(rest), "items": [str(i) for i in rest["item_id"].head(EVIDENCE_LIMIT)]},
                    severity="info", names=shown)


@rule(
    "conversion.order_to_payment",
    owner="service",
    severity="warning",
    units={"value": "percent", "threshold": "percent", "order_buyers": "count"},
    needs={"shop_daily": ["buyers", "order_buyers"]},
    params=[
        fraction("min_paid_share", 0.90, "下单的人里付款的比例低于这个值就提出来（催付）", "Speak when fewer than this share of the people who ordered paid"),
        count("min_orders", 30, "下单买家数少于这个值不判断", "Below this many ordering buyers the rule stays silent"),
    ],
    messages={
        "unpaid": {
            "zh": ("{orders:count} 人下单，只有 {paid:count} 人付款（{share:pct}），下单到付款这一步漏了 {unpaid:count} 人",
                   "客服今天就催付：给下单没付款的买家发消息问清卡在哪（运费、优惠没用上、还在比价），能解决的当场解决；"
                   "连续几天都低，查下单页的优惠、运费和支付方式是不是出了问题。"),
            "en": ("{orders:count} buyers ordered but only {paid:count} paid ({share:pct}): {unpaid:count} lost between order and payment",
                   "Customer service chases the unpaid orders today: message the buyers who ordered and did not pay, "
                   "ask what stopped them (shipping cost, a coupon that did not apply, still comparing) and solve what "
                   "can be solved; if it stays low for days, check the checkout's offers, shipping and payment options."),
        },
    },
)
def order_to_payment(ctx) -> None:
    """The funnel's last step: of the buyers who ordered, how many paid.

    [zh]
    检查：报告日下单买家数里付款的比例（支付买家数 ÷ 下单买家数）。低于 90% 是警告，说出漏了多少人。下单买家数不到 30 不判断；大促预售和付尾款的日子不判断（尾款没付是正常的）。
    原因：《电商运营》(000)：“购物漏斗的数据分析和优化，从曝光-点击-下单-付款，每个环节需要通过数据分析找到优化方案，小小的变化就会带来GMV量的增长。”下单了没付款的人，是离成交最近的人。
    怎么做：客服当天催付，问清卡在哪里；连续几天偏低就查下单页的优惠、运费和支付方式。
    门槛：90% 是我们定的（文档没有给数字）。
    金额：没付款的人数 × 客单价，即这一步漏掉的成交。
    [en]
    Checks: of the buyers who ordered on the report day, the share who paid (paying buyers ÷ ordering buyers). Under 90% is a warning naming how many were lost. Below 30 ordering buyers the rule stays silent; presale and balance-payment days of a big promotion are not judged (unpaid balances are normal then).
    Why: (000): "Analyse and optimise the shopping funnel, exposure – click – order – payment: every step needs its own fix, and a small change grows GMV." People who ordered and did not pay are the closest to buying.
    Fix: customer service chases the unpaid orders the same day; if it stays low, check the checkout's offers, shipping and payment options.
    Threshold: 90% is ours; the documents give no number.
    Money: unpaid buyers × AOV: the sales lost at this step.
    """
    shop = ctx.shop_day()
    orders, paid = shop.get("order_buyers"), shop.get("buyers")
    if not orders or paid is None:
        ctx.skip(ctx.t("报告日没有下单买家数或支付买家数", "no ordering or paying buyers on the report day"))
        return
    if orders < ctx.param("min_orders"):
        ctx.skip(ctx.t(f"下单买家只有 {orders:.0f} 人，至少要 {ctx.param('min_orders')}",
                       f"only {orders:.0f} ordering buyers, needs {ctx.param('min_orders')}"))
        return
    from shopdoc.promotions import promotion_on

    promotion = promotion_on(ctx.config, ctx.dataset, ctx.date) if ctx.date else None
    if promotion is not None and promotion[2] in ("presale", "balance"):
        ctx.skip(ctx.t("报告日是大促预售或付尾款的日子，下单没付款是正常的", "a presale or balance-payment day: unpaid orders are normal"))
        return
    share = paid / orders
    if share >= ctx.param("min_paid_share"):
        return
    unpaid = orders - paid
    aov = shop.get("aov")
    ctx.finding(
        "unpaid", "shop",
        {"value": share, "threshold": ctx.param("min_paid_share"), "order_buyers": orders, "buyers": paid},
        money=unpaid * aov if aov else None, currency=data_currency(ctx, "shop_daily"),
        orders=orders, paid=paid, share=share, unpaid=unpaid,
    )
