"""Reviews: new negative reviews on the top items, and DSR scores.

Source: `003_01bac92a2fb6a989.txt` (an operator's day), 上午 六、同款、差评; `002_be6fac7e793a1a64.txt`,
六 5 (DSR动态评分) and 客服 2–4 (handling 中差评).

Review text is data: it goes into the evidence and the message values as it is; escaping it for a
chat platform is the chat module's job.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from shopdoc.params import count, non_negative, positive
from shopdoc.rules import rule
from shopdoc.rules._helpers import EVIDENCE_LIMIT, clean, column, item_label, items_on, shift_day, short_day, text_of

if TYPE_CHECKING:
    import pandas as pd

ORDER = 80

# Texts the platforms put in when the buyer wrote nothing: not content (SPEC §3, FORMATS I).
PLACEHOLDERS = ("此用户没有填写评价。", "评价方未及时做出评价,系统默认好评!", "此用户未填写评价内容")
NEGATIVE_LEVELS = {"中评", "差评", "neutral", "negative"}
EXCERPT_CHARS = 60

# A follow-up review (追评) saying the compensation already offered did not satisfy the buyer: a word
# of each list. The next step is to escalate, never to offer the same again (002: "如果顾客仍不满意，可以
# 提高补偿金额"). The words are ours; the documents give none.
COMPENSATION_WORDS = ("补偿", "返现", "赔偿", "赔付", "红包", "退款", "退了", "优惠券", "赠品", "小礼品")
UNSATISFIED_WORDS = ("不满意", "不接受", "不认可", "太少", "只给", "才给", "就给了", "敷衍", "打发", "没用", "没解决",
                     "不解决", "不处理")

_PUNCTUATION = re.compile(r"[\s。.,，!！:：]+")
_PLACEHOLDER_KEYS = {_PUNCTUATION.sub("", text) for text in PLACEHOLDERS}


def excerpt(*texts: str | None, limit: int = EXCERPT_CHARS) -> str | None:
    """The first real text (placeholders skipped), on one line, at most `limit` characters."""
    for text in texts:
        if not text:
            continue
        line = " ".join(str(text).split())
        if not line or _PUNCTUATION.sub("", line) in _PLACEHOLDER_KEYS:
            continue
        return line if len(line) <= limit else line[: limit - 1] + "…"
    return None


def compensation_failed(text: str | None) -> bool:
    """A follow-up that says the compensation offered did not satisfy the buyer
    ("联系客服只给了5元补偿，不满意")."""
    if not text:
        return False
    return any(word in text for word in COMPENSATION_WORDS) and any(word in text for word in UNSATISFIED_WORDS)


def negative_mask(reviews: "pd.DataFrame", max_rating: float) -> "pd.Series":
    """中评/差评 by level, or a rating at or under `max_rating` (of 5)."""
    negative = column(reviews, "rating") <= max_rating
    if "level" in reviews.columns:
        level = reviews["level"].astype("string").str.strip().str.lower()
        negative = negative | level.isin(NEGATIVE_LEVELS).fillna(False).astype(bool)
    return negative


@rule(
    "reviews.negative_top_items",
    owner="service",
    severity="critical",
    needs={"review": []},
    params=[
        count("top_n", 5, "流量前几的款要逐条看中差评", "Negative reviews are raised one by one on this many top items by visitors"),
        positive("max_rating", 3, "评分不超过这个值（满分 5）算中差评", "A rating at or under this (of 5) counts as negative"),
    ],
    messages={
        "negative": {
            "zh": ("{item}（流量第 {rank} 名）新增{kind}：{excerpt_text}{follow_up_note}",
                   "越快越好：今天就联系买家（{order_note}）问清原因，给合理补偿（直接返现最有效）后请对方修改评价；"
                   "实在改不了就回评，别争吵，写给以后看评价的顾客看。"),
            "en": ("New {kind} on {item} (#{rank} by visitors): {excerpt_text}{follow_up_note}",
                   "The sooner the better: contact the buyer today ({order_note}), find out what went wrong, offer fair "
                   "compensation (a cash refund works best) and ask them to revise the review. If they will not, reply "
                   "calmly, writing for the future shoppers who will read it."),
        },
        "escalate": {
            "zh": ("{item}（流量第 {rank} 名）新增{kind}：{excerpt_text}{follow_up_note}",
                   "越快越好，而且要升级处理：追评说已经给过补偿、买家还是不满意，别再给同样的补偿。今天由客服主管打电话给买家"
                   "（{order_note}），先道歉，直接提出退货退款（来回运费我们出）或换新，或者明显提高补偿；处理好了再请对方修改评价。"
                   "实在改不了就回评，说明已经主动提出退货退款，别争吵，写给以后看评价的顾客看。"),
            "en": ("New {kind} on {item} (#{rank} by visitors): {excerpt_text}{follow_up_note}",
                   "The sooner the better, and escalate: the follow-up says compensation was already given and the buyer "
                   "is still unhappy, so do not offer the same again. Today a service lead phones the buyer ({order_note}), "
                   "apologises and offers a return with a full refund (we pay shipping both ways) or a replacement, or "
                   "clearly more compensation; once it is settled, ask them to revise the review. If they will not, reply "
                   "that a return and refund were offered, calmly, writing for the future shoppers who will read it."),
        },
        "others": {
            "zh": ("其他款新增 {count} 条中差评（只计数）：{names}",
                   "其他款不用每天花时间处理，精力放在流量前 {top_n} 的款上；同一个款中差评集中出现时再看原因。"),
            "en": ("New negative reviews on other items, counted only ({count}): {names}",
                   "Do not spend the morning on other items; keep the time for the top {top_n}. Look into an item only "
                   "when its negative reviews pile up."),
        },
        "unranked": {
            "zh": ("新增 {count} 条中差评，但{reason}，排不出流量前 {top_n} 的款（只计数）",
                   "{fix}；现在先到后台看主推款有没有新的中差评，有就马上联系买家处理。"),
            "en": ("New negative reviews ({count}), counted only: {reason}, so the top {top_n} items cannot be picked out",
                   "{fix}. Meanwhile check the hero items' new negative reviews in the back office and contact those buyers now."),
        },
    },
)
def negative_top_items(ctx) -> None:
    """New 中评/差评 (or ≤ 3 stars) on the report day: one critical each on the top items, others counted.

    [zh]
    检查：报告日新增的中差评（评价等级为中评、差评，或评分不超过 3 分/满分 5 分）。落在报告日访客数前 5 的商品（和配置的主推款）上的，每条一个严重提醒，带评价摘录（最多 60 字，“此用户没有填写评价。”这类系统默认文字不算内容）、追评（导出有追评时）和订单号；追评说已经给过补偿、买家还是不满意（比如“联系客服只给了5元补偿，不满意”：同时有补偿类的词和不满意类的词，词表是 shopdoc 定的），就不再叫客服给同样的补偿，而是升级：客服主管打电话、提出退货退款或换新、或者明显提高补偿；其他商品上的只合计成一条提示。按商品ID对应，评价导出没有商品ID时按商品名称对应。没有商品导出（或评价导出里没有商品ID和名称）时排不出前 5 的款：只有配置的主推款的中差评逐条提醒，其余只计数并说明原因。没有评价日期的行算作报告日的。
    原因：《运营的一天》(003)：“第2个要检查的地方，是主推款的中差评每天点击去看一下，主推款有没有出现差评，如果有差评，你就要想办法解决了，越快越好。”“其他款不用管，你没那么多时间的，重点放主推款就行了，其它款即便有差评也可以不用去管。”“这两个地方会直接影响你转化率。”
    怎么做：《电商运营》(002)：第一时间联系顾客，了解清楚为什么给中差评，给予补偿（直接返现最有效）后请求修改；“开始可以给顾客合理的补偿金额，如果顾客仍不满意，可以提高补偿金额”；回评里也可以请顾客“寄回商品……来回邮费都由我们承担”。实在不愿修改就回评，不争吵、不过分解释，想着别的顾客看了会怎么想。
    金额：不估（转化率的损失算不出来，但按文档这是当天最急的事之一）。
    [en]
    Checks: new negative reviews on the report day (level 中评 or 差评, or a rating of 3 or less out of 5). On the top 5 items by visitors that day (and the configured hero item) each one is a critical finding with an excerpt (at most 60 characters; placeholder texts such as "此用户没有填写评价。" are not content), the follow-up review (追评) when the export has one, and the order id. When the follow-up says compensation was already given and the buyer is still unhappy ("联系客服只给了5元补偿，不满意": a compensation word and a discontent word, from shopdoc's own lists), the action does not offer the same compensation again but escalates: a service lead phones, offers a return and refund or a replacement, or clearly more compensation; negatives on other items are counted in one info finding. Reviews are matched to items by item id, else by item name. Without an item export (or without item ids and names in the reviews) the top 5 cannot be ranked: only the configured hero item's negatives are raised one by one, the rest are counted and the reason given. Rows without a review date count as the report day.
    Why: "An operator's day" (003): "The second thing to check is the hero items' negative reviews: look every day, and if there is one, deal with it, the sooner the better." "Other items? Leave them, you don't have that much time; focus on the hero items, even if the others get bad reviews." "Both directly affect your conversion."
    Fix: "E-commerce operations" (002): contact the buyer at once, find out why, compensate (a cash refund works best) and ask them to revise; "start with a fair amount; if the customer is still unhappy, raise it"; a reply may ask the customer to "send the item back... we pay the postage both ways". If they will not revise, reply calmly, writing for the shoppers who will read it.
    Money: none estimated (the conversion it costs cannot be measured, but the document makes it one of the day's most urgent jobs).
    """
    reviews = ctx.dataset.on("review", ctx.date)
    if reviews is None:
        ctx.skip(ctx.t("报告日没有新评价", "no reviews on the report day"))
        return
    if "rating" not in reviews.columns and "level" not in reviews.columns:
        ctx.skip(ctx.t("评价导出里没有评价等级或评分", "skipped, needs review.level or review.rating"))
        return
    negative = reviews[negative_mask(reviews, ctx.param("max_rating"))]
    keys = [name for name in ("order_id", "item_id", "content") if name in negative.columns]
    if "order_id" in keys:
        negative = negative.drop_duplicates(keys, keep="last")  # the same review read from two files
    if negative.empty:
        return
    top_n = ctx.param("top_n")
    ranks, names, reason = _top_items(ctx, negative, top_n)
    rank = _ranks(negative, ranks, names)
    item_names = {item_id: name for name, (_, item_id) in names.items()}
    on_top = rank.notna()
    for (_, row), position in zip(negative[on_top].iterrows(), rank[on_top]):
        _raise(ctx, row, int(position), item_names)
    others = negative[~on_top]
    if others.empty:
        return
    counted = _count_by_item(others)
    if reason is None:
        ctx.finding("others", "shop", {"count": len(others), "items": counted},
                    severity="info", top_n=top_n, names=_counted_text(ctx, counted))
    else:
        reason_text, fix = reason
        ctx.finding("unranked", "shop",
                    {"count": len(others), "items": counted,
                     "reviews": [{"order_id": text_of(row, "order_id"), "excerpt": _excerpt_of(row)}
                                 for _, row in others.head(5).iterrows()]},
                    severity="info", top_n=top_n, reason=reason_text, fix=fix)


def _texts(frame, name: str) -> "pd.Series":
    """A text column stripped, blanks as missing; all missing when the export lacks it."""
    import pandas as pd

    if name not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    text = frame[name].astype("string").str.strip()
    return text.mask(text == "")


def _top_items(ctx, negative, top_n: int):
    """{item id: rank}, {item name: (rank, item id)} of the top items, and why ranking is
    impossible (or None)."""
    hero = ctx.config.get("shop", "hero_item")
    ranks: dict[str, int] = {}
    names: dict[str, tuple[int, str]] = {}
    if not (_texts(negative, "item_id").notna() | _texts(negative, "item_name").notna()).any():
        return ranks, names, (ctx.t("评价导出里没有商品ID或商品名称", "the review export has no item id or name"),
                              ctx.t("导出评价时带上商品ID（或商品名称）", "Export the reviews with the item id (or name)"))
    items = items_on(ctx.dataset, ctx.date)
    if items is None or column(items, "visitors").notna().sum() == 0:
        if hero:
            ranks[str(hero)] = 1
        return ranks, names, (ctx.t("没有商品导出（带访客数）", "there is no item export with visitors"),
                              ctx.t("把生意参谋商品排行（带商品ID和访客数）一起导出", "Add the item ranking export (item id and visitors)"))
    ranked = items.assign(_visitors=column(items, "visitors")).sort_values("_visitors", ascending=False)
    for rank, (_, row) in enumerate(ranked.head(top_n).iterrows(), start=1):
        ranks[str(row["item_id"])] = rank
        name = text_of(row, "item_name")
        if name:
            names.setdefault(name, (rank, str(row["item_id"])))
    if hero and str(hero) not in ranks:
        position = ranked.index[ranked["item_id"] == str(hero)]
        ranks[str(hero)] = int(ranked.index.get_loc(position[0])) + 1 if len(position) else 1
    return ranks, names, None


def _ranks(negative, ranks: dict[str, int], names: dict[str, tuple[int, str]]) -> "pd.Series":
    """Each review's item rank among the top items (NaN: not a top item), by item id, else by name."""
    ids, item_names = _texts(negative, "item_id"), _texts(negative, "item_name")
    by_id = ids.map(ranks).astype("float64")
    by_name = item_names.map({name: rank for name, (rank, _) in names.items()}).astype("float64")
    return by_id.where(ids.notna(), by_name)


def _excerpt_of(row) -> str | None:
    return excerpt(text_of(row, "content"), text_of(row, "append_content"))


def _raise(ctx, row, rank: int, item_names: dict[str, str]) -> None:
    order_id = text_of(row, "order_id")
    source_row = clean(row.get("_row"))
    subject = f"review:{order_id}" if order_id else f"review:{int(source_row) if source_row is not None else row.name}"
    level = text_of(row, "level")
    rating = clean(row.get("rating"))
    if level and level.lower() in NEGATIVE_LEVELS:
        kind = level if ctx.lang == "zh" else ("neutral review" if level in ("中评", "neutral") else "negative review")
    else:
        kind = ctx.t(f" {rating:g} 星评价", f"{rating:g}-star review") if rating is not None else ctx.t("中差评", "negative review")
    text = excerpt(text_of(row, "content"))
    follow_up = excerpt(text_of(row, "append_content"))
    failed = compensation_failed(follow_up)
    if order_id:
        order_note = ctx.t(f"订单 {order_id}", f"order {order_id}")
    else:
        where = f"{os.path.basename(text_of(row, '_file'))} " if text_of(row, "_file") else ""
        order_note = ctx.t(f"订单号见评价导出 {where}第 {int(source_row)} 行" if source_row is not None else "在评价导出里找到这条",
                           f"see {where}row {int(source_row)} of the review export" if source_row is not None else "find it in the review export")
    item_name = text_of(row, "item_name") or item_names.get(text_of(row, "item_id") or "")
    found = ctx.finding(
        "escalate" if failed else "negative", subject,
        {"item_id": text_of(row, "item_id"), "item_name": item_name, "rank": rank, "level": level, "rating": rating,
         "excerpt": text, "follow_up": follow_up, "compensation_failed": failed, "order_id": order_id,
         "date": text_of(row, "date"), "file": text_of(row, "_file"), "row": int(source_row) if source_row is not None else None},
        item=item_label(ctx.lang, text_of(row, "item_id"), item_name), kind=kind,
        excerpt_text=text or ctx.t("（买家没写内容）", "(no text)"), order_note=order_note,
        follow_up_note=ctx.t(f"；追评：{follow_up}", f"; follow-up: {follow_up}") if follow_up else "",
    )
    found.urgent = True  # 003: "越快越好" — in the "do these first" head, and first in its item's diagnosis


def _count_by_item(rows) -> list[dict]:
    """Negative reviews per item, most first."""
    import pandas as pd

    keys = pd.DataFrame({"item_id": _texts(rows, "item_id").fillna(""), "item_name": _texts(rows, "item_name").fillna("")})
    counts = keys.value_counts(sort=True).head(EVIDENCE_LIMIT)
    return [{"item_id": item_id or None, "item_name": name or None, "count": int(number)}
            for (item_id, name), number in counts.items()]


def _counted_text(ctx, counted: list[dict]) -> str:
    shown = [f"{item_label(ctx.lang, c['item_id'], c['item_name'])}{ctx.t('', ' ')}{c['count']}" + ctx.t(" 条", "") for c in counted[:5]
             if c["item_id"] or c["item_name"]]
    text = ("、" if ctx.lang == "zh" else ", ").join(shown) or ctx.t("商品未知", "items unknown")
    return text + (ctx.t(" 等", " and others") if len(counted) > 5 else "")


DSR_NAMES = {
    "zh": {"description": "描述相符", "service": "服务态度", "logistics": "物流服务"},
    "en": {"description": "item as described", "service": "service", "logistics": "shipping"},
}
# What lifts each score (002, 客服 and DSR): the first sentence of each score's to-do.
_DSR_FIX = {
    "zh": {"description": "描述相符靠商品本身：对照最近的中差评看质量、色差和尺码问题，详情页和主图写实，别夸大。",
           "service": "服务态度靠客服：看最近的聊天记录和售后处理，响应要快，售后问题尽快给满意的解决方案。",
           "logistics": "物流服务靠发货和快递：拍下后看留言、催仓库尽快发货、及时跟进物流异常订单并通知买家，常出问题就换快递。"},
    "en": {"description": "Item as described comes from the item itself: check recent negative reviews for quality, colour "
                          "and sizing complaints, and keep the page and main image true to the item.",
           "service": "Service comes from customer service: go through recent chats and after-sales cases, answer fast, "
                      "and settle after-sales problems quickly.",
           "logistics": "Shipping comes from dispatch and the courier: read order notes, push the warehouse to ship fast, "
                        "chase delayed parcels and tell the buyer, and change courier if problems keep coming."},
}


@rule(
    "reviews.dsr_drop",
    owner="service",
    severity="warning",
    needs={"dsr": []},
    params=[
        non_negative("peer_gap", 0.0, "比同行平均低多少分才提出来；0 表示只要低于就算", "How many points under the peer average to speak; 0 means any amount"),
        positive("max_drop", 0.02, "在对比天数内下降达到这么多分就提出来", "Speak when a score fell this many points within the window"),
        count("window_days", 7, "和多少天以前的评分比", "Compare with the score up to this many days earlier"),
    ],
    messages={
        "below_peer": {
            "zh": ("店铺DSR {score} {value}，低于同行平均 {peer}",
                   "{fix}三项评分不是独立的，买家对一方面不满意，其他分也不会给高；适当给顾客额外的赠品和惊喜。"),
            "en": ("The shop's DSR for {score} is {value}, under the peer average of {peer}",
                   "{fix} The three scores move together: a buyer unhappy with one thing marks the others down too. "
                   "Small gifts or surprises help."),
        },
        "falling": {
            "zh": ("店铺DSR {score} 在下降：{compare} → {value}（和 {since} 比，-{drop}）",
                   "{fix}从最近的中差评和售后记录里找是哪些订单拉低的，及时跟进，给不满意的顾客合理补偿。"),
            "en": ("The shop's DSR for {score} is falling: {compare} → {value} (-{drop} against {since})",
                   "{fix} Find the orders behind it in recent negative reviews and after-sales cases, follow them up "
                   "and compensate unhappy buyers fairly."),
        },
        "below_and_falling": {
            "zh": ("店铺DSR {score} {value}，低于同行平均 {peer}，而且还在下降（和 {since} 比：{compare} → {value}，-{drop}）",
                   "{fix}从最近的中差评和售后记录里找是哪些订单拉低的，及时跟进，给不满意的顾客合理补偿。"
                   "三项评分不是独立的，买家对一方面不满意，其他分也不会给高；适当给顾客额外的赠品和惊喜。"),
            "en": ("The shop's DSR for {score} is {value}, under the peer average of {peer}, and still falling "
                   "({compare} on {since} → {value}, -{drop})",
                   "{fix} Find the orders behind it in recent negative reviews and after-sales cases, follow them up "
                   "and compensate unhappy buyers fairly. The three scores move together: a buyer unhappy with one "
                   "thing marks the others down too. Small gifts or surprises help."),
        },
    },
)
def dsr_drop(ctx) -> None:
    """DSR scores (描述相符, 服务态度, 物流服务) below the peer average, or falling: one finding per score.

    [zh]
    检查：店铺DSR三项评分（描述相符、服务态度、物流服务），每项最多一条警告。同一项的两件事写在同一条里：低于同行平均（导出带同行平均时），和/或和 7 天内最早一天的评分比下降 0.02 分以上。取报告日的评分，报告日没有就取报告日之前最近的一天。
    原因：《电商运营》(002)：“‘DSR动态评分’是对产品满意度和物流饱满度……客服满意度的指标，这是反馈顾客满意度的数据。虽然是3个评分指标，但却不是独立的。提高任意一个指标，都可以促进3个评分的提升，因为在顾客对某一个方面不满意时其他的分数也不会给高。商品质量、物流速度、客服付是最基本的要求，做好这三点‘DSR动态评分’一般不会太差。”客服部分：“提醒库房尽快发货，并且及时跟进物流异常订单，出现的问题尽快联系物流公司解决，并且及时通知顾客留意并致歉”；“做到这几点，基本上店铺的DSR评分会高出同行。”
    怎么做：按哪一项低来做：描述相符看商品质量和详情页是否写实，服务态度看客服响应和售后处理，物流服务催发货、跟进物流异常、必要时换快递；从最近的中差评和售后记录里找原因；给顾客额外的赠品和惊喜。
    金额：不估。
    [en]
    Checks: the shop's three DSR scores (item as described, service, shipping), at most one warning per score. It carries both facts about the score: below the peer average (when the export gives it), and/or fallen 0.02 points or more against the earliest day within 7 days. The report day's scores are used, else the latest day before it.
    Why: "E-commerce operations" (002): "DSR scores are the customers' verdict on the product, shipping and service. They are three scores but not independent: raising any one lifts all three, because a customer unhappy with one thing will not score the others high. Quality, shipping speed and service are the basics; get them right and DSR will not be bad." On customer service: "Remind the warehouse to ship fast, follow up delivery problems promptly, settle them with the courier, and tell the customer and apologise"; "do this and the shop's DSR will be above its peers'."
    Fix: act on the score that is low: item quality and a truthful page for item as described, response and after-sales for service, fast dispatch, chasing delivery problems and if need be another courier for shipping; find the cause in recent negative reviews and after-sales cases; add gifts and surprises.
    Money: none estimated.
    """
    frame = ctx.dataset.frame("dsr")
    dimensions = [name for name in DSR_NAMES["en"] if name in frame.columns and column(frame, name).notna().any()]
    if not dimensions:
        ctx.skip(ctx.t("DSR 导出里没有描述相符、服务态度、物流服务", "skipped, needs dsr.description, service or logistics"))
        return
    current, current_date = _current_dsr(ctx, frame)
    if current is None:
        ctx.skip(ctx.t("报告日和之前都没有 DSR 评分", "no DSR scores on or before the report day"))
        return
    earlier = _earlier_dsr(ctx, frame, current_date)
    if earlier is None:
        ctx.skip(ctx.t("没有之前几天的 DSR 评分，判断不了是否在下降", "no earlier DSR scores to tell whether they are falling"),
                 subject="shop")
    earlier_row, earlier_date = earlier if earlier is not None else (None, None)
    for name in dimensions:
        value, peer = clean(current.get(name)), clean(current.get(f"peer_{name}"))
        if value is None:
            continue
        before = clean(earlier_row.get(name)) if earlier_row is not None else None
        below = peer is not None and value < peer - ctx.param("peer_gap")
        falling = before is not None and before - value >= ctx.param("max_drop") - 1e-9
        if not (below or falling):
            continue
        key = "below_and_falling" if below and falling else ("below_peer" if below else "falling")
        evidence = {"dimension": name, "value": value, "date": current_date}
        if below:
            evidence.update(peer=peer, gap=peer - value, peer_gap=ctx.param("peer_gap"))
        if falling:
            evidence.update(compare=before, drop=before - value, compare_date=earlier_date, max_drop=ctx.param("max_drop"))
        ctx.finding(
            key, "shop", evidence, facet=name,
            score=DSR_NAMES[ctx.lang][name], value=f"{value:.2f}", peer=f"{peer:.2f}" if peer is not None else "-",
            compare=f"{before:.2f}" if before is not None else "-", drop=f"{before - value:.2f}" if falling else "-",
            since=short_day(earlier_date, ctx.lang) if falling else "", fix=_DSR_FIX[ctx.lang][name],
        )


def _current_dsr(ctx, frame):
    """The report day's DSR row (undated rows count as the report day), else the latest before it."""
    rows = ctx.dataset.on("dsr", ctx.date)
    if rows is not None:
        return rows.iloc[-1], ctx.date
    if ctx.date is None or "date" not in frame.columns:
        return None, None
    before = frame[frame["date"].notna() & (frame["date"] < ctx.date)]
    if before.empty:
        return None, None
    latest = before.sort_values("date").iloc[-1]
    return latest, latest["date"]


def _earlier_dsr(ctx, frame, current_date: str | None):
    """The earliest DSR row within `window_days` before `current_date`, with its date."""
    if current_date is None or "date" not in frame.columns:
        return None
    start = shift_day(current_date, -ctx.param("window_days"))
    window = frame[frame["date"].notna() & (frame["date"] >= start) & (frame["date"] < current_date)]
    if window.empty:
        return None
    row = window.sort_values("date", kind="stable").iloc[0]
    return row, row["date"]
