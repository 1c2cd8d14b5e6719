"""Pricing: prices should end in 9, 8 or 5.

Source: `000_f9526efcfbbf2f39.txt` (品類運營, 定價模塊): "商品價格位數一般是'9/8/5為結尾'".
"""

from __future__ import annotations

from shopdoc.params import count, text_list
from shopdoc.rules import rule
from shopdoc.rules._helpers import EVIDENCE_LIMIT, clean, column, item_label, items_on, money_text, text_of

ORDER = 95



def price_text(price: float) -> str:
    """A price as the shop shows it: 199, 19.9, 12.34 (no trailing zeros)."""
    return f"{price:.2f}".rstrip("0").rstrip(".")


def suggested_price(price: float, endings: list[str]) -> float | None:
    """The nearest price at or below `price` that ends in one of the single-digit `endings`, at the
    same precision (100 → 99, 19.6 → 19.5, 132 → 129); None when no ending is a single digit."""
    digits = {int(ending) for ending in endings if len(ending) == 1 and ending.isdigit()}
    if not digits:
        return None
    text = price_text(price)
    decimals = len(text.split(".")[1]) if "." in text else 0
    units = round(price * 10**decimals)
    for candidate in range(units, max(units - 10, 0), -1):
        if candidate % 10 in digits:
            return candidate / 10**decimals
    return None


@rule(
    "pricing.price_tail",
    owner="operations",
    severity="info",
    needs={"item_daily": ["item_id", "price"]},
    params=[
        text_list("endings", ["9", "8", "5"], "价格尾数应该是这些数字之一", "Prices should end in one of these digits"),
        count("listed", 10, "标题里最多列出几个商品（访客多的在前），其余只计数",
              "At most this many items named in the finding (most visited first); the rest are counted"),
    ],
    messages={
        "tail": {
            "zh": ("{count} 个商品价格尾数不是 {endings_text}：{names}",
                   "定价时价格尾数一般用 9、8、5：改价前先算好利润和已报名活动的价格要求，建议价是不高于原价、最近的合规尾数。"),
            "en": ("Item prices not ending in {endings_text} ({count}): {names}",
                   "Prices usually end in 9, 8 or 5. Before repricing, check the margin and any price commitments of "
                   "registered promotions; the suggestion is the nearest such price at or below the current one."),
        },
    },
)
def price_tail(ctx) -> None:
    """Item prices that do not end in 9, 8 or 5.

    [zh]
    检查：报告日商品导出里每个商品的价格尾数（最后一位有效数字：199、19.9、128、25 都合规，100、132、19.6 不合规）。不合规的合成一条提示，访客多的排前面，最多列 10 个，每个给出不高于原价、最近的合规价格作为建议；证据里列访客最多的 100 个，另给总数。
    原因：《品类运营》(000)：“定价模块有2个关键点，一个是商品价格位数一般是‘9/8/5为结尾’，第二是相对定价，同时推出不同价格的商品，让客户比对。”
    怎么做：改价前算好利润、看清已报名活动对价格的要求，改成建议的尾数价格。
    金额：不估。
    [en]
    Checks: each item's price on the report day by its last significant digit (199, 19.9, 128 and 25 pass; 100, 132 and 19.6 do not). The items that do not pass make one info finding, most visited first, at most 10 named, each with the nearest passing price at or below the current one as a suggestion; the evidence lists the 100 most visited and the total count.
    Why: "Category operations" (000): "Pricing has two keys: prices generally end in 9, 8 or 5; and relative pricing, offering items at different prices side by side so customers compare."
    Fix: check the margin and any promotion's price commitments, then reprice to the suggested ending.
    Money: none estimated.
    """
    items = items_on(ctx.dataset, ctx.date)
    if items is None:
        ctx.skip(ctx.t("报告日没有商品数据", "no items on the report day"))
        return
    endings = tuple(ctx.param("endings"))
    if not endings:
        return
    priced = items.assign(_price=column(items, "price"), _visitors=column(items, "visitors"))
    priced = priced[priced["_price"] > 0]
    if priced.empty:
        ctx.skip(ctx.t("报告日的商品都没有价格", "no item prices on the report day"))
        return
    # A catalogue of 20,000 items has a few hundred price points: each is judged once.
    passing = [price for price in priced["_price"].unique() if price_text(price).endswith(endings)]
    wrong = priced[~priced["_price"].isin(passing)].sort_values("_visitors", ascending=False, na_position="last",
                                                                kind="stable")
    if wrong.empty:
        return
    listed = []
    for _, row in wrong.head(max(EVIDENCE_LIMIT, ctx.param("listed"))).iterrows():
        price = float(row["_price"])
        listed.append({"item_id": row["item_id"], "item_name": text_of(row, "item_name"), "price": price,
                       "suggested": suggested_price(price, list(endings)), "visitors": clean(row["_visitors"])})
    shown = []
    for item in listed[: ctx.param("listed")]:
        label = f"{item_label(ctx.lang, item['item_id'], item['item_name'])}{ctx.t('', ' ')}{money_text(ctx, item['price'], exact=True)}"
        if item["suggested"] is not None:
            label += ctx.t(f"（可改 {price_text(item['suggested'])}）", f" (try {price_text(item['suggested'])})")
        shown.append(label)
    names = ("、" if ctx.lang == "zh" else "; ").join(shown)
    if len(wrong) > ctx.param("listed"):
        names += ctx.t(f" 等 {len(wrong)} 个", f" and {len(wrong) - ctx.param('listed')} more")
    ctx.finding("tail", "shop", {"count": len(wrong), "endings": list(endings), "items": listed},
                names=names, endings_text="/".join(endings))
