"""Customers: how many of the shop's buyers come back (会员运营).

Source: `003_01bac92a2fb6a989.txt`, 下午 五、客户 ("新顾客流量成本是老顾客的6倍"), and
`002_be6fac7e793a1a64.txt` 推广 5 ("通过老顾客维护，提高复购率").
"""

from __future__ import annotations

from shopdoc.params import count, fraction
from shopdoc.rules import rule
from shopdoc.rules._helpers import column, shift_day

ORDER = 45


@rule(
    "customers.returning_share",
    owner="service",
    severity="info",
    needs={"item_daily": ["returning_buyers"]},
    units={"value": "percent", "threshold": "percent", "returning_gmv_share": "percent",
           "returning_visitor_share": "percent", "returning_buyers": "count", "paying_buyers": "count"},
    params=[
        count("window_days", 7, "按最近几天（含报告日）的支付买家算", "Count the paying buyers of the last this many days, the report day included"),
        fraction("min_share", 0.15, "老买家占支付买家的比例低于这个值就提出来", "Speak when returning buyers are under this share of the paying buyers"),
        count("min_buyers", 100, "窗口期支付买家少于这个数不判断", "Below this many paying buyers in the window the rule stays silent"),
    ],
    messages={
        "low": {
            "zh": ("近 {days} 天支付买家 {paying_buyers:count} 人，老买家只有 {returning_buyers:count} 人（{value:pct}），不到 {threshold:pct}",
                   "新顾客的流量成本是老顾客的 6 倍：客服把会员运营当成一个指标来做——买过的人加进会员群/微淘，上新和活动先通知老顾客，"
                   "售后做好让人愿意回购；每周看一次老买家占比有没有涨。"),
            "en": ("Of {paying_buyers:count} paying buyers over {days} days, only {returning_buyers:count} ({value:pct}) bought before, under {threshold:pct}",
                   "A new customer's traffic costs six times a returning one's: make membership a customer-service "
                   "target — bring buyers into the member group, tell them first about new items and promotions, and "
                   "give after-sales that makes them come back; check the returning share once a week."),
        },
    },
)
def returning_share(ctx) -> None:
    """Returning buyers' share of the paying buyers, where the item export gives it (支付老买家数).

    [zh]
    检查：最近 window_days 天（默认 7 天，含报告日）商品导出里支付老买家数之和 ÷（支付老买家数 + 支付新买家数）之和（没有新买家数时除以支付买家数），低于 min_share（默认 15%）就提出来。窗口期支付买家不到 min_buyers（默认 100）不判断。同一个人买了两个款会在两个款里各算一次，占比按这样的合计算。数据里同时给出老买家支付金额的占比、店铺导出的老访客占比。导出没有复购率，复购只能用老买家占比来看。
    原因：《运营的一天》(003)：“现在竞争越来越激烈，流量成本也越来越贵，新顾客流量成本是老顾客的6倍，因此客服需要多一个功能和指标：如何把顾客沉淀下来，做好会员运营？”《电商运营》(002)：“通过老顾客维护，提高复购率。”
    怎么做：客服把会员运营当指标：会员群/微淘沉淀买家，上新和活动先通知老顾客，做好售后促回购，每周看一次占比。
    门槛：15%、100 个买家是我们定的（文档只给了 6 倍的成本差，没有给占比的数字）。
    金额：不算金额（老顾客是长期的账，不是今天的钱）。
    [en]
    Checks: over the last window_days days (7, the report day included), the item export's returning paying buyers (支付老买家数) ÷ (returning + new paying buyers) — ÷ paying buyers when new buyers are not exported; under min_share (15%) it is reported. Under min_buyers (100) paying buyers in the window the rule stays silent. A buyer of two items counts in both; the share is of these sums. The numbers also give returning buyers' share of sales (老买家支付金额) and the shop export's returning-visitor share. No export carries a repurchase rate; the returning-buyer share stands in for it.
    Why: An operator's day (003): "Competition and traffic costs keep rising; a new customer's traffic costs six times a returning one's, so customer service needs one more job and target: keeping customers — membership." (002): "keep old customers and raise repurchase."
    Fix: customer service makes membership a target: bring buyers into a member group, tell returning customers first about new items and promotions, give after-sales that earns the next order, and check the share weekly.
    Thresholds: 15% and 100 buyers are ours (the documents give the six-times cost, not a share).
    Money: none (returning customers are a long-term account, not today's money).
    """
    if ctx.date is None:
        ctx.skip(ctx.t("没有报告日", "no report day"))
        return
    frame = ctx.dataset.frame("item_daily")
    window = {shift_day(ctx.date, -back) for back in range(ctx.param("window_days"))}
    rows = frame[frame["date"].isin(window)] if "date" in frame.columns else frame
    if "item_id" in rows.columns:
        rows = rows.drop_duplicates(["item_id", "date"] if "date" in rows.columns else ["item_id"], keep="last")
    returning = column(rows, "returning_buyers")
    if returning.notna().sum() == 0:
        ctx.skip(ctx.t("窗口期内商品导出没有支付老买家数", "no returning buyers (支付老买家数) in the window"))
        return
    new = column(rows, "new_buyers")
    known = returning.notna()
    total = float((returning + new)[known & new.notna()].sum()) if new[known].notna().all() else float(
        column(rows, "buyers")[known].sum())
    back = float(returning[known].sum())
    if total < ctx.param("min_buyers"):
        ctx.skip(ctx.t(f"窗口期支付买家 {total:,.0f} 人，至少要 {ctx.param('min_buyers')}",
                       f"only {total:,.0f} paying buyers in the window, needs {ctx.param('min_buyers')}"))
        return
    share = back / total
    if share >= ctx.param("min_share") - 1e-12:
        return
    gmv = column(rows, "gmv")[known].sum()
    returning_gmv = column(rows, "returning_gmv")
    shop = ctx.dataset.frame("shop_daily")
    visitor_share = None
    if shop is not None and "date" in shop.columns and "returning_visitors" in shop.columns:
        days = shop[shop["date"].isin(window)]
        visitors = column(days, "visitors").sum()
        visitor_share = float(column(days, "returning_visitors").sum() / visitors) if visitors > 0 else None
    days = int(rows["date"].nunique()) if "date" in rows.columns else 1
    ctx.finding(
        "low", "shop",
        {"value": share, "threshold": ctx.param("min_share"), "returning_buyers": back, "paying_buyers": total,
         "returning_gmv_share": float(returning_gmv.sum() / gmv) if returning_gmv.notna().any() and gmv > 0 else None,
         "returning_visitor_share": visitor_share, "days": days},
        value=share, threshold=ctx.param("min_share"), returning_buyers=back, paying_buyers=total, days=days,
    )
