"""Conversion against peers: the shop's (and each item's) payment conversion against the peer average.

Source: `002_be6fac7e793a1a64.txt`, 六 2 ("'支付转化率'是店铺的核心数据") and `003_01bac92a2fb6a989.txt`,
下午 五、客户 ("对客服提出一个高于行业平均水平的要求").
"""

from __future__ import annotations

from shopdoc.params import count, fraction
from shopdoc.rules import rule
from shopdoc.rules._helpers import (
    EVIDENCE_LIMIT, clean, column, data_currency, item_label, items_on, shift_day, shop_on, text_of, too_few,
)
from shopdoc.rules.data import judged_conversion, presale_mask, presale_min_order_buyers, presale_order_buyers

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
    检查：报告日下单买家数里付款的比例（支付买家数 ÷ 下单买家数）。低于 90% 是警告，说出漏了多少人。预售商品（data.presale 认出的：有下单、没支付）的下单买家不算在内，定金付了、尾款还没到期，不是要催付的人；剩下的下单买家数不到 30 不判断；大促预售和付尾款的日子不判断（尾款没付是正常的）。
    原因：《电商运营》(000)：“购物漏斗的数据分析和优化，从曝光-点击-下单-付款，每个环节需要通过数据分析找到优化方案，小小的变化就会带来GMV量的增长。”下单了没付款的人，是离成交最近的人。
    怎么做：客服当天催付，问清卡在哪里；连续几天偏低就查下单页的优惠、运费和支付方式。
    门槛：90% 是我们定的（文档没有给数字）。
    金额：没付款的人数 × 客单价，即这一步漏掉的成交。
    [en]
    Checks: of the buyers who ordered on the report day, the share who paid (paying buyers ÷ ordering buyers). Under 90% is a warning naming how many were lost. The ordering buyers of presale items (as data.presale tells them: orders, nothing paid) are left out: their deposit is paid and the balance not yet due, nobody to chase. Below 30 remaining ordering buyers the rule stays silent; presale and balance-payment days of a big promotion are not judged (unpaid balances are normal then).
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
    presale = presale_order_buyers(ctx, ctx.date) if ctx.date else 0.0
    orders -= presale  # presale deposits: their balance is not due, nobody to chase
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
        {"value": share, "threshold": ctx.param("min_paid_share"), "order_buyers": orders, "buyers": paid,
         **({"presale_orders": presale} if presale else {})},
        money=unpaid * aov if aov else None, currency=data_currency(ctx, "shop_daily"),
        orders=orders, paid=paid, share=share, unpaid=unpaid,
    )


# -- conversion.funnel ---------------------------------------------------------------------------
# The shop funnel's steps (000: 曝光-点击-下单-付款): name, the count before and after it, whose it is,
# the count before it needed to judge a day, and the kind of export it is read from.
FUNNEL_STEPS = (
    ("click", "impressions", "clicks", "promotion", "min_impressions"),
    ("order", "visitors", "order_buyers", "design", "min_visitors"),
    ("payment", "payable_orders", "buyers", "service", "min_orders"),
)


@rule(
    "conversion.funnel",
    owner="operations",
    severity="warning",
    units={"value": "percent", "baseline": "percent", "threshold": "percent", "change": "percent"},
    params=[
        fraction("min_drop", 0.20, "这一步的转化比自己前几天的中位数低了这个比例以上，算这一步断了",
                 "A step converting this much below its own median of the earlier days is broken"),
        count("window_days", 7, "和之前最多几天比（取中位数）", "Compare with the median of up to this many earlier days"),
        count("min_days", 3, "之前至少要有几天能比，不够不判断", "Earlier days needed to compare with"),
        count("min_impressions", 1000, "推广展现少于这个数的日子不算曝光→点击这一步", "Days under this many ad impressions do not count for the click step"),
        count("min_visitors", 100, "访客少于这个数的日子不算访客→下单这一步", "Days under this many visitors do not count for the order step"),
        count("min_orders", 30, "下单买家少于这个数的日子不算下单→付款这一步", "Days under this many ordering buyers do not count for the payment step"),
    ],
    messages={
        "click": {
            "zh": ("漏斗断在曝光→点击：推广点击率 {value:pct}，前 {days} 天一般 {baseline:pct}（{change:spct}）",
                   "推广查这一步：主图和创意最近换过没有、出价和排名是不是掉了、人群和关键词是不是变了；曝光还在、点击少了，先换回点击率高的图。"),
            "en": ("The funnel broke at impression → click: the ads' CTR is {value:pct}, usually {baseline:pct} over the last {days} days ({change:spct})",
                   "Promotion checks this step: were main images or creatives changed, did bids or rank fall, did the "
                   "audiences or keywords change? The impressions are there and the clicks are not: go back to the images that drew clicks."),
        },
        "order": {
            "zh": ("漏斗断在访客→下单：下单转化率 {value:pct}，前 {days} 天一般 {baseline:pct}（{change:spct}）",
                   "人来了不下单：美工和运营查主推款的详情页、价格和优惠、库存和 SKU、新的中差评和同款，今天改过什么先改回来。"),
            "en": ("The funnel broke at visit → order: order conversion is {value:pct}, usually {baseline:pct} over the last {days} days ({change:spct})",
                   "Visitors come and do not order: design and operations check the hero items' pages, prices and "
                   "offers, stock and SKUs, new negative reviews and copies; undo what changed today."),
        },
        "payment": {
            "zh": ("漏斗断在下单→付款：下单的人里付款的 {value:pct}，前 {days} 天一般 {baseline:pct}（{change:spct}）",
                   "客服今天催付：问清下单没付款的人卡在哪（运费、优惠没用上、支付方式）；同时查下单页的优惠和运费是不是改坏了。"),
            "en": ("The funnel broke at order → payment: {value:pct} of the buyers who ordered paid, usually {baseline:pct} over the last {days} days ({change:spct})",
                   "Customer service chases the unpaid orders today and asks what stopped them (shipping, a coupon that "
                   "did not apply, payment options); check whether the checkout's offers or shipping changed."),
        },
    },
)
def funnel(ctx) -> None:
    """The shop funnel (impressions → clicks → orders → payments): which step broke against the shop's own recent days.

    [zh]
    检查：报告日漏斗的三步——曝光→点击（推广报表的点击量 ÷ 展现量）、访客→下单（下单买家数 ÷ 访客数）、下单→付款（支付买家数 ÷ 下单买家数）——各和自己之前最多 window_days 天（默认 7 天）的中位数比，低了 min_drop（默认 20%）以上算这一步断了；几步都断时说掉得最多的一步，其余写在数据里。每一步都要之前至少 min_days 天（默认 3 天）能比，当天和之前的日子都要够量：展现 1,000、访客 100、下单买家 30，不够的日子不算。大促预售和付尾款的日子不判断下单→付款。下单→付款低于 90% 的绝对线已经由 conversion.order_to_payment 提出时，这里不再重复；访客→下单断了、同时 conversion.below_peer 也提出转化低于同行时，金额算在那条里；支付转化率当天突然变差（change.shop_metrics）时也一样，不重复计算。
    原因：《电商运营》(000)：“购物漏斗的数据分析和优化，从曝光-点击-下单-付款，每个环节需要通过数据分析找到优化方案，小小的变化就会带来GMV量的增长。”先找到断在哪一步，才知道该谁去修。
    怎么做：曝光→点击断了交给推广（主图、创意、出价、人群）；访客→下单断了交给美工和运营（详情页、价格、库存、评价）；下单→付款断了交给客服催付、查下单页。
    门槛：20%、7 天中位数、3 天和各步的最少量都是我们定的（文档没有给数字）。
    金额：这一步比平常少转化的人 × 后面各步今天的转化 × 客单价：即这一步漏掉的成交。
    [en]
    Checks: the funnel's three steps on the report day — impression → click (the ad report's clicks ÷ impressions), visit → order (ordering buyers ÷ visitors) and order → payment (paying buyers ÷ ordering buyers) — each against its own median over up to window_days (7) earlier days; a step min_drop (20%) or more below it is broken; when several are, the worst is named and the others are in the numbers. Each step needs min_days (3) earlier days to compare with, and days count only with enough volume (1,000 impressions, 100 visitors, 30 ordering buyers). The payment step is not judged on presale or balance-payment days. When conversion.order_to_payment already reports unpaid orders under its 90% line, the payment step is not repeated here; a broken order step's money sits inside conversion.below_peer's when that rule also reports the shop under its peers, and inside change.shop_metrics' when conversion broke overnight: never counted twice.
    Why: (000): "Analyse and optimise the shopping funnel, exposure – click – order – payment: every step needs its own fix, and a small change grows GMV." Finding the step that broke says who fixes it.
    Fix: a broken click step goes to promotion (images, creatives, bids, audiences); a broken order step to design and operations (pages, price, stock, reviews); a broken payment step to customer service (chase the orders) and the checkout.
    Thresholds: 20%, the 7-day median, 3 days and the per-step volumes are ours; the documents give no numbers.
    Money: the people lost at the step against usual × today's conversion of the steps after it × AOV: the sales lost at that step.
    """
    from statistics import median

    if ctx.date is None:
        ctx.skip(ctx.t("没有报告日", "no report day"))
        return
    earlier = [shift_day(ctx.date, -back) for back in range(1, ctx.param("window_days") + 1)]
    counts = {day: _funnel_counts(ctx, day) for day in [ctx.date, *earlier]}
    from shopdoc.promotions import promotion_on

    promotion = promotion_on(ctx.config, ctx.dataset, ctx.date)
    balance_day = promotion is not None and promotion[2] in ("presale", "balance")
    broken, judged = [], 0
    for step, before, after, owner, guard in FUNNEL_STEPS:
        if step == "payment" and balance_day:
            continue
        need = ctx.param(guard)
        rates = {day: c[after] / c[before] for day, c in counts.items()
                 if c.get(before) is not None and c.get(after) is not None and c[before] >= max(need, 1)}
        if ctx.date not in rates:
            continue
        history = [rates[day] for day in earlier if day in rates]
        if len(history) < ctx.param("min_days"):
            continue
        judged += 1
        baseline = median(history)
        today = rates[ctx.date]
        if baseline <= 0 or today >= baseline * (1 - ctx.param("min_drop")) - 1e-12:
            continue
        broken.append((1 - today / baseline, step, before, after, owner, today, baseline, len(history)))
    if not judged:
        ctx.skip(ctx.t(f"漏斗的每一步之前都不到 {ctx.param('min_days')} 天能比（导出多天的数据或打开历史记录）",
                       f"no funnel step has {ctx.param('min_days')} earlier days to compare with (export several days or keep the history)"))
        return
    if not broken:
        return
    broken.sort(reverse=True)
    drop, step, before, after, owner, today, baseline, days = broken[0]
    if step == "payment" and any(f.rule == "conversion.order_to_payment" for f in ctx.state.findings):
        ctx.skip(ctx.t("下单→付款这一步已由 conversion.order_to_payment 提出", "the payment step is already reported by conversion.order_to_payment"))
        return
    now = counts[ctx.date]
    lost = (baseline - today) * now[before]
    downstream = {"click": ("order_per_click",), "order": ("paid_share",), "payment": ()}[step]
    value = lost
    for name in downstream:
        value = value * now[name] if now.get(name) is not None else None
        if value is None:
            break
    aov = now.get("aov")
    money = value * aov if value is not None and aov else None
    finding = ctx.finding(
        step, "shop",
        {"step": step, "value": today, "baseline": baseline, "change": today / baseline - 1,
         "threshold": baseline * (1 - ctx.param("min_drop")), before: now[before], after: now[after], "days": days,
         "also": [other[1] for other in broken[1:]]},
        owner=owner, money=money, currency=data_currency(ctx, "shop_daily"),
        value=today, baseline=baseline, change=today / baseline - 1, days=days,
    )
    if step in ("order", "payment"):
        # The same lost sales as a conversion under the peers' or a conversion that broke overnight
        # (change.shop_metrics): the money sits in that finding, never counted twice.
        same = next((f for f in ctx.state.findings if f.rule == "conversion.below_peer" and f.subject == "shop"
                     and step == "order"), None) or next(
            (f for f in ctx.state.findings if f.rule == "change.shop_metrics"
             and f.evidence.get("metric") == "conversion_rate"), None)
        if same is not None:
            finding.within = same.key


def _funnel_counts(ctx, day: str) -> dict:
    """A day's funnel counts: ad impressions and clicks (summed over the ad report's plans), visitors,
    ordering and paying buyers, AOV, and the conversions after each step."""
    shop = ctx.shop_day() if day == ctx.date else shop_on(ctx.dataset, day)
    counts = {name: shop.get(name) for name in ("visitors", "order_buyers", "buyers", "aov")}
    ads = ctx.state.cache.get(("funnel.ads",))
    if ads is None:
        ads = ctx.state.cache[("funnel.ads",)] = _ad_days(ctx)
    counts["impressions"], counts["clicks"] = ads.get(day, (None, None))
    visitors, orders, buyers = counts["visitors"], counts["order_buyers"], counts["buyers"]
    # the payment step counts the orders due to pay: presale deposits wait for their balance day
    counts["payable_orders"] = orders - presale_order_buyers(ctx, day) if orders is not None else None
    counts["paid_share"] = buyers / counts["payable_orders"] if counts["payable_orders"] and buyers is not None else None
    conversion = buyers / visitors if visitors and buyers is not None else None
    # a lost click is a lost visit: it converts at the shop's payment conversion (AOV applied after)
    counts["order_per_click"] = conversion
    return counts


def _ad_days(ctx) -> dict:
    """Ad impressions and clicks per day from one-day rows (plan rows, else the plan's keywords)."""
    frame = ctx.dataset.frame("ad_report")
    if frame is None or "date" not in frame.columns:
        return {}
    if "window_days" in frame.columns:
        span = frame["window_days"]
        frame = frame[span.isna() | (span.astype("float64") <= 1)]
    from shopdoc.rules.ads import _plan_days

    plans = _plan_days(ctx, frame[frame["date"].notna()])
    if plans.empty:
        return {}
    per_day = plans.groupby("date")[["impressions", "clicks"]].sum(min_count=1)
    return {str(day): (row["impressions"], row["clicks"]) for day, row in per_day.iterrows()
            if row["impressions"] == row["impressions"] and row["clicks"] == row["clicks"]}
