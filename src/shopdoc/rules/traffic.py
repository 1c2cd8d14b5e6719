"""Traffic sources: which sources moved since yesterday, and which convert well or badly.

Source: `003_01bac92a2fb6a989.txt` (an operator's day): "分析访客数，访客流量来源在哪里？达标的话，是哪块流量
增多了？……没达标是因为哪块流量减少了？为什么减少？" and `002_be6fac7e793a1a64.txt`: "分析不同流量来源的
数量和付费转化率，找出付费转化率较高的流量来源并想办法提高".
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from shopdoc.params import boolean, count, fraction, positive, text_list
from shopdoc.rules import rule
from shopdoc.rules._helpers import clean, column, count_text, data_currency, items_on, rate_text, rows_exactly_on, shift_day, too_few

if TYPE_CHECKING:
    import pandas as pd

    from shopdoc.dataset import Dataset

ORDER = 30

_LEVELS = ("source", "source_detail", "source_l3", "source_l4")
# A lower level set to one of these marks a subtotal (Sycm writes 汇总); blanks mean "no deeper level".
_NOT_A_NAME = {"", "-", "--", "汇总", "合计", "总计", "小计"}

# What kind of traffic a source is, by its name at any level (Sycm 一级/二级来源, other platforms'
# channels). The ONE declaration every traffic rule words its advice from: free traffic is won with
# titles, keywords, main images and page fit, never with bids; paid traffic with bids, targeting and
# budget; returning visitors (自主访问: the cart, 我的淘宝) have already chosen and convert by nature.
# The lists are ours: the documents name 直通车/钻展 as paid and 免费流量 as free but give no list.
# A name not listed is judged by its words (免费/自然 free, 付费 paid); else its kind is unknown and
# the advice names neither bids nor titles alone.
SOURCE_KINDS: dict[str, tuple[str, ...]] = {
    "returning": ("自主访问", "购物车", "我的淘宝", "直接访问", "已买到商品", "收藏夹", "宝贝收藏", "店铺收藏",
                  "Direct", "Returning"),
    "paid": ("付费流量", "直通车", "万相台", "万相台无界", "全站推广", "引力魔方", "超级推荐", "钻石展位", "钻展",
             "淘宝客", "淘宝联盟", "品销宝", "超级直播", "聚划算", "京东快车", "京准通", "多多搜索", "多多场景",
             "Paid Search", "Paid Social", "Display", "Shopping ads", "cpc"),
    "free": ("淘内免费", "手淘搜索", "手淘推荐", "手淘首页", "猜你喜欢", "手淘其他店铺商品详情", "淘内免费其他",
             "手淘问大家", "手淘拍立淘", "手淘找相似", "手淘消息中心", "手淘旺信", "手淘淘金币", "逛逛", "订阅",
             "淘宝搜索", "天猫搜索", "自然搜索", "Organic Search", "Organic Social"),
}
# Free sources that are search: their visitors come from a ranking on a searched word.
SEARCH_SOURCES = ("手淘搜索", "淘宝搜索", "天猫搜索", "自然搜索", "Organic Search")
_KIND_OF = {name.casefold(): kind for kind, names in SOURCE_KINDS.items() for name in names}
_KIND_WORDS = (("免费", "free"), ("自然", "free"), ("organic", "free"), ("付费", "paid"), ("paid", "paid"))


def source_kind(path: str) -> str | None:
    """"free", "paid", "returning" or None (unknown) for a source path (`淘内免费|手淘搜索`): the
    deepest level the declaration knows decides, then the words in the names."""
    levels = [level for level in str(path).split("|") if level]
    for level in reversed(levels):
        kind = _KIND_OF.get(level.casefold())
        if kind:
            return kind
    for level in reversed(levels):
        for word, kind in _KIND_WORDS:
            if word in level.casefold():
                return kind
    return None


def is_search(path: str) -> bool:
    """A source (or one of its levels) is free search traffic."""
    names = {name.casefold() for name in SEARCH_SOURCES}
    return any(level.casefold() in names for level in str(path).split("|"))

_DETAIL = boolean(
    "detail", False, "按二级来源（来源明细）判断；默认按一级来源", "Judge second-level sources (来源明细) instead of first-level ones",
)
# Fewer items than this cannot show that search fell shop-wide (ours; the documents give no number).
_SHOPWIDE_MIN_ITEMS = 3

_MIN_VISITORS = count(
    "min_visitors", 100, "来源访客数少于这个值不判断（样本太小）", "Sources with fewer visitors than this are not judged",
)


def _level_name(value) -> str:
    """A source level's name; "" when blank, missing or a subtotal marker."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == "<NA>":
        return ""
    text = str(value).strip()
    return "" if text in _NOT_A_NAME else text


def _sum(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def source_table(dataset: "Dataset", day: str | None, *, detail: bool = False, report_day: bool = True) -> "pd.DataFrame | None":
    """One row per traffic source of a day, judged at one level so nothing is counted twice.

    A source's own row (first-level row, or second-level row with `detail`) is used when the export
    has it; otherwise its rows one level deeper are summed. Subtotal markers (`汇总`) count as "no
    deeper level", so a `淘内免费 / 汇总` row is 淘内免费's own row. When a day holds both whole-shop
    rows (no 流量载体) and per-carrier rows, only the whole-shop rows are used. Columns: `name`,
    `path` (the level names joined by `|`), visitors, buyers, gmv, conversion_rate (buyers ÷
    visitors when buyers are known, else the visitor-weighted export rate); sorted by visitors.
    A source export has tens to hundreds of rows: plain Python over them is quicker than pandas.
    """
    import pandas as pd

    if report_day:
        rows = dataset.on("traffic_source", day)
    else:
        rows = rows_exactly_on(dataset, "traffic_source", day) if day else None
    if rows is None or "source" not in rows.columns or "visitors" not in rows.columns:
        return None
    levels = [name for name in _LEVELS if name in rows.columns]
    wanted = 2 if detail and "source_detail" in levels else 1
    numbers = ("visitors", "buyers", "gmv", "conversion_rate")
    entries = []
    for record in rows[[name for name in ("carrier", *levels, *numbers) if name in rows.columns]].to_dict("records"):
        visitors = clean(record["visitors"])
        if visitors is None:
            continue
        names = [_level_name(record[name]) for name in levels]
        depth = next((index for index, name in enumerate(names) if not name), len(names))
        entries.append({"carrier": _level_name(record.get("carrier")), "names": names, "depth": depth,
                        **{name: clean(record.get(name)) for name in numbers}})
    if any(entry["carrier"] for entry in entries) and not all(entry["carrier"] for entry in entries):
        entries = [entry for entry in entries if not entry["carrier"]]  # whole-shop rows win
    if wanted == 2:  # a first-level source without second-level rows stands for itself
        deepest: dict[tuple, int] = {}
        for entry in entries:
            top = (entry["carrier"], entry["names"][0])
            deepest[top] = max(deepest.get(top, 0), entry["depth"])
        for entry in entries:
            if entry["depth"] == 1 and deepest[(entry["carrier"], entry["names"][0])] == 1:
                entry["depth"] = 2
    # The same row read from two files of one day counts once (the last one).
    unique = {(entry["carrier"], *entry["names"]): entry for entry in entries if entry["depth"] >= wanted}
    groups: dict[tuple, list[dict]] = {}
    for entry in unique.values():
        groups.setdefault((entry["carrier"], *entry["names"][:wanted]), []).append(entry)
    table = []
    for key, members in groups.items():
        shallowest = min(member["depth"] for member in members)
        members = [member for member in members if member["depth"] == shallowest]
        visitors = sum(member["visitors"] for member in members)
        buyers, gmv = _sum([m["buyers"] for m in members]), _sum([m["gmv"] for m in members])
        rated = [m for m in members if m["conversion_rate"] is not None]
        rated_visitors = sum(m["visitors"] for m in rated)
        if buyers is not None and visitors > 0:
            conversion = buyers / visitors
        elif rated_visitors > 0:
            conversion = sum(m["conversion_rate"] * m["visitors"] for m in rated) / rated_visitors
        else:
            conversion = None
        table.append({"key": "|".join(key), "carrier": key[0], "levels": [part for part in key[1:] if part],
                      "visitors": visitors, "buyers": buyers, "gmv": gmv, "conversion_rate": conversion})
    if not table:
        return None
    show_carrier = len({row["carrier"] for row in table}) > 1
    for row in table:
        parts = ([row["carrier"]] if show_carrier and row["carrier"] else []) + row["levels"]
        row["name"] = " / ".join(parts)
        row["path"] = "|".join(([row["carrier"]] if row["carrier"] else []) + row["levels"])
    frame = pd.DataFrame(table).drop(columns=["carrier", "levels"]).set_index("key")
    frame[["buyers", "gmv", "conversion_rate"]] = frame[["buyers", "gmv", "conversion_rate"]].astype("float64")
    return frame.sort_values("visitors", ascending=False, kind="stable")


def sources_of(ctx, day: str | None, *, detail: bool = False, report_day: bool = True) -> "pd.DataFrame | None":
    """`source_table` computed once per run and shared by the rules that need it (never mutate it)."""
    cache = getattr(ctx.state, "cache", None)
    if cache is None:
        return source_table(ctx.dataset, day, detail=detail, report_day=report_day)
    key = ("traffic.source_table", day, detail, report_day)
    if key not in cache:
        cache[key] = source_table(ctx.dataset, day, detail=detail, report_day=report_day)
    return cache[key]


_LOST_TITLE = {
    "zh": "「{name}」访客比前一天少了 {drop}（{before} → {now}），转化率 {conversion}{child_note}{shopwide_note}",
    "en": "{name} brought {drop} fewer visitors than the day before ({before} → {now}), converting at {conversion}{child_note}{shopwide_note}",
}
_GAINED_TITLE = {
    "zh": "「{name}」访客比前一天多了 {rise}（{before} → {now}），转化率 {conversion}{child_note}",
    "en": "{name} brought {rise} more visitors than the day before ({before} → {now}), converting at {conversion}{child_note}",
}


def _change_messages(lost: dict[str, tuple[str, str]], gained: dict[str, tuple[str, str]]) -> dict:
    """The rule's wording: one title per direction, the action by the kind of traffic (SOURCE_KINDS)."""
    messages = {}
    for kind, (zh, en) in lost.items():
        messages["lost" + kind] = {"zh": (_LOST_TITLE["zh"], zh), "en": (_LOST_TITLE["en"], en)}
    for kind, (zh, en) in gained.items():
        messages["gained" + kind] = {"zh": (_GAINED_TITLE["zh"], zh), "en": (_GAINED_TITLE["en"], en)}
    return messages


@rule(
    "traffic.source_change",
    owner="promotion",
    severity="warning",
    needs={"traffic_source": ["source", "visitors"]},
    params=[
        fraction("min_change", 0.20, "访客数比前一天变化达到这个比例才提出来", "Speak when a source's visitors changed by at least this fraction"),
        count("top_n", 3, "减少最多、增加最多的来源各列几个", "How many losing and how many gaining sources to list"),
        fraction("main_child_share", 0.50, "一个二级来源占了一级来源变化的这个比例以上，就点名是它", "Name the second-level source that made at least this share of its first-level source's change"),
        fraction("shopwide_share", 0.80, "商品导出里这个比例以上的商品搜索访客都少了，算全店的搜索问题", "When at least this share of items lost search visitors, search fell shop-wide"),
        _MIN_VISITORS,
        _DETAIL,
    ],
    messages=_change_messages(
        lost={
            "": ("推广查清这块流量为什么少了：计划是否暂停或没钱了、出价是否被挤下去、活动是否结束、搜索排名是否掉了；"
                 "算清楚要补多少流量、需要多少预算。",
                 "Find out why this traffic fell: a paused or out-of-budget campaign, outbid keywords, an ended "
                 "promotion, a lost search ranking. Work out how much traffic to win back and what it will cost."),
            "_paid": ("这是付费流量：查计划是否暂停或日限额花完了、出价是否被挤下去、人群和定向是否改过；"
                      "算清楚要补多少流量、需要多少预算。",
                      "This is paid traffic: check for a paused campaign or a spent daily budget, outbid keywords, "
                      "changed audiences or targeting. Work out how much traffic to win back and what it will cost."),
            "_free": ("这是免费流量，不是出价的事：推荐流量看主图点击率、收藏加购和转化（平台按这些给推荐），"
                      "查最近有没有换主图、上新是不是停了、活动是不是结束了。",
                      "This is free traffic, so bids have nothing to do with it: recommendation traffic follows the main "
                      "image's CTR, favourites, add-to-carts and conversion. Check for a changed main image, a pause in "
                      "new items, an ended promotion."),
            "_search": ("这是免费的搜索流量，不是出价的事：查搜索排名为什么掉了——标题和关键词最近有没有改、主图点击率有没有掉、"
                        "销量和转化是不是下滑了、有没有同款在抢排名；再看这些词的搜索需求（生意参谋 市场 → 搜索人气）是不是整体在降。",
                        "This is free search traffic, so bids have nothing to do with it: find out why the search ranking "
                        "fell. Were titles or keywords changed? Did the main image's CTR drop? Did sales or conversion "
                        "slip? Is a copy taking the ranking? Then check whether searches for these words fell overall "
                        "(生意参谋 market → search popularity)."),
            "_shopwide": ("全店的款搜索访客都在少，问题不在某一个款：先查店铺是否被降权或处罚（体检中心、违规扣分）、"
                          "DSR 和退款纠纷是否变差，再看这些词的搜索需求（生意参谋 市场 → 搜索人气）是不是整体在降；"
                          "最后才是主推款的标题和主图。出价管不了这块流量。",
                          "Every item is losing search visitors, so no single item is the problem: first check whether "
                          "the shop was demoted or penalised (shop health centre, violation points) and whether DSR or "
                          "refund disputes worsened, then whether searches for these words fell overall (生意参谋 market "
                          "→ search popularity); the hero items' titles and main images come last. Bids do not reach "
                          "this traffic."),
        },
        gained={
            "": ("看清是什么带来的（活动、出价、排名、内容），转化好就继续加码，能复制的做法用到其他宝贝上。",
                 "Find out what brought it (a promotion, bids, ranking, content); if it converts, push it further "
                 "and copy what worked to other items."),
            "_paid": ("看清是哪个计划、哪些词或人群带来的；转化好、投产比过保本线就继续加预算，做法用到其他宝贝上。",
                      "Find out which campaign, keywords or audiences brought it; if it converts above break-even, add "
                      "budget and copy the setup to other items."),
            "_free": ("看清是什么带来的（标题或主图的改动、排名上升、活动、上新）；转化好就保持，做法用到其他宝贝上。",
                      "Find out what brought it (a title or main image change, a better ranking, a promotion, new items); "
                      "if it converts, keep it and copy what worked to other items."),
        },
    ),
)
def source_change(ctx) -> None:
    """Traffic sources that lost or gained the most visitors against the previous day.

    [zh]
    检查：报告日每个流量来源（默认一级来源，可改为二级来源）的访客数和前一天比，变化达到 20% 的来源里，减少最多的列 3 个（警告）、增加最多的列 3 个（提示），并给出各自的支付转化率（今天和前一天）。汇总行不参与，同一层级只算一次。两天中访客数较多的那天不到 100 的来源不判断。前一天的数据来自同一个文件里的更早日期或历史记录。按一级来源判断时，一个二级来源占了这次变化的一半以上（比如淘内免费少的访客几乎都是手淘搜索少的），就点名是它。原因按来源的类型给（哪些来源算免费、付费见 traffic.py 的 SOURCE_KINDS，是 shopdoc 自己定的清单）：免费的搜索流量讲搜索排名、标题、主图和搜索需求，付费流量讲计划、出价、预算和定向。搜索流量少了而商品导出带搜索引导访客数时，看有多少商品的搜索访客也少了：80% 以上（至少 3 个商品）都少了，就说是全店的搜索问题，不是某个款的（一半、80% 这两个比例是 shopdoc 定的，文档没有给）。
    原因：《运营的一天》(003)：“分析访客数，访客流量来源在哪里？达标的话，是哪块流量增多了？投入的成本是多少？没达标是因为哪块流量减少了？为什么减少？这些都要做到心中有数。”《电商运营》(002)：“如何降低访客成本？1）增加免费流量；2）提高付费推广的点击率；3）降低付费推广的点击单价。”
    怎么做：减少的来源交给推广查原因：付费的查计划、出价、预算和定向，免费的查搜索排名、标题主图和搜索需求，全店的搜索都掉了先查店铺是否被降权；算出要补多少流量和预算。增加的来源看是什么带来的，转化好就加码并复制到其他宝贝。
    金额：减少的访客数 × 这个来源前一天的访客价值（支付金额 ÷ 访客数），即今天少进账的成交额。
    [en]
    Checks: each traffic source's visitors on the report day (first-level sources by default, second-level optionally) against the day before; among sources that moved by at least 20%, the 3 that lost the most (warning) and the 3 that gained the most (info), each with its payment conversion today and the day before. Subtotal rows are ignored and one level is judged, so nothing is counted twice. Sources under 100 visitors on both days are not judged. The previous day comes from earlier dates in the same file or from the history. Judging first-level sources, a second-level source that made at least half of the change is named (淘内免费 fell because 手淘搜索 fell). The causes follow the kind of source (free and paid are declared in SOURCE_KINDS in traffic.py, shopdoc's own list): free search traffic gets search ranking, titles, main images and search demand; paid traffic campaigns, bids, budget and targeting. When search traffic fell and the item export has search visitors, it counts the items whose search visitors fell too: 80% or more of them (at least 3 items) makes it a shop-wide search problem, not one item's (the half and the 80% are shopdoc's numbers; the documents give none).
    Why: "An operator's day" (003): "Analyse visitors: where does the traffic come from? On target, which traffic grew, and at what cost? Off target, which traffic fell, and why? Know all of this." "E-commerce operations" (002): "How to lower the cost of a visitor? 1) more free traffic; 2) a higher CTR on paid ads; 3) a lower cost per click."
    Fix: hand the losing sources to promotion to find the cause (paid: campaigns, bids, budget, targeting; free: search ranking, titles, main images, search demand; all items' search falling: a shop demotion first) and what it costs to win the traffic back; for gaining sources, find what brought them and, if they convert, push and copy it.
    Money: the lost visitors × the source's visitor value the day before (payment amount ÷ visitors): the GMV that did not come in today.
    """
    if ctx.date is None:
        ctx.skip(ctx.t("没有报告日期，无法和前一天比", "no report date to compare with the day before"))
        return
    detail = ctx.param("detail")
    today = sources_of(ctx, ctx.date, detail=detail)
    if today is None:
        ctx.skip(ctx.t("报告日没有流量来源数据", "no traffic sources on the report day"))
        return
    previous_day = shift_day(ctx.date, -1)
    before = sources_of(ctx, previous_day, detail=detail, report_day=False)
    if before is None:
        ctx.skip(ctx.t(f"没有前一天（{previous_day}）的流量来源数据，无法比较",
                       f"no traffic sources for the day before ({previous_day}) to compare with"))
        return
    table = _moves(before, today)
    judged = table[["visitors", "compare_visitors"]].max(axis=1) >= ctx.param("min_visitors")
    held = int((~judged).sum())
    if not judged.any():
        ctx.skip(ctx.t(f"所有来源两天的访客数都不到 {ctx.param('min_visitors')}，不判断",
                       f"no source had {ctx.param('min_visitors')} visitors on either day"))
        return
    if held:
        ctx.skip(ctx.t(f"{held} 个来源访客数不到 {ctx.param('min_visitors')}，未判断",
                       f"{held} sources under {ctx.param('min_visitors')} visitors not judged"))
    speaks = judged & (table["change"].abs() >= ctx.param("min_change"))
    top_n = ctx.param("top_n")
    losers = table[speaks & (table["change"] < 0)].sort_values("visitors_delta").head(top_n)
    gainers = table[speaks & (table["change"] > 0)].sort_values("visitors_delta", ascending=False).head(top_n)
    children = None
    if not detail and not (losers.empty and gainers.empty):
        children_today = sources_of(ctx, ctx.date, detail=True)
        children_before = sources_of(ctx, previous_day, detail=True, report_day=False)
        if children_today is not None and children_before is not None:
            children = _moves(children_before, children_today)
    for key, rows in (("lost", losers), ("gained", gainers)):
        for _, row in rows.iterrows():
            _emit_change(ctx, key, row, previous_day, _main_child(ctx, row, children))


def _moves(before: "pd.DataFrame", today: "pd.DataFrame") -> "pd.DataFrame":
    """Sources of the day before joined with today's: visitors (0 when gone today), the change."""
    table = before.add_prefix("compare_").join(today, how="left")
    table["visitors"] = table["visitors"].fillna(0.0)  # gone today: it brought nobody
    table["name"] = table["name"].fillna(table["compare_name"])
    table["path"] = table["path"].fillna(table["compare_path"])
    table["visitors_delta"] = table["visitors"] - table["compare_visitors"]
    table["change"] = table["visitors_delta"] / table["compare_visitors"].where(table["compare_visitors"] > 0)
    return table


def _main_child(ctx, row, children: "pd.DataFrame | None") -> dict | None:
    """The second-level source that made at least `main_child_share` of a first-level source's change."""
    return _child_of(row, children, ctx.param("main_child_share"))


def _child_of(row, children: "pd.DataFrame | None", min_share: float) -> dict | None:
    if children is None or not row["visitors_delta"] or not isinstance(row["path"], str):
        return None
    own = children[children["path"].str.startswith(row["path"] + "|")]
    if own.empty:
        return None
    moved = own["visitors_delta"] if row["visitors_delta"] > 0 else -own["visitors_delta"]
    best = own.loc[moved.idxmax()]
    share = best["visitors_delta"] / row["visitors_delta"]
    if share < min_share - 1e-9:
        return None
    return {"name": best["path"].split("|")[-1], "path": best["path"], "visitors": float(best["visitors"]),
            "compare_visitors": float(best["compare_visitors"]), "visitors_delta": float(best["visitors_delta"]),
            "share": float(share)}


def _search_by_item(ctx, previous_day: str) -> dict | None:
    """How many items lost search visitors against the day before (item export's 搜索引导访客数);
    None when the export does not have them for both days."""
    today = items_on(ctx.dataset, ctx.date)
    before = rows_exactly_on(ctx.dataset, "item_daily", previous_day)
    if today is None or before is None or "search_visitors" not in today.columns or "search_visitors" not in before.columns:
        return None
    now = column(today, "search_visitors").groupby(today["item_id"]).last()
    then = column(before, "search_visitors").groupby(before["item_id"]).last()
    both = (then > 0) & now.reindex(then.index).notna()
    if not both.any():
        return None
    then, now = then[both], now.reindex(then.index)[both]
    return {"items": int(len(then)), "fell": int((now < then).sum()),
            "search_visitors": float(now.sum()), "compare_search_visitors": float(then.sum())}


def _emit_change(ctx, key: str, row, previous_day: str, child: dict | None) -> None:
    conversion = row["conversion_rate"] if row["visitors"] > 0 else None
    compare_conversion = row["compare_conversion_rate"]
    value_before = clean(row["compare_gmv"] / row["compare_visitors"]) if row["compare_visitors"] > 0 else None
    money = -row["visitors_delta"] * value_before if key == "lost" and value_before is not None else None
    conversion_note = ctx.t(f"{rate_text(conversion)}（前一天 {rate_text(compare_conversion)}）",
                            f"{rate_text(conversion)} (the day before: {rate_text(compare_conversion)})")
    path = child["path"] if child else row["path"]
    kind = source_kind(path)
    child_note = ""
    if child:
        moved = count_text(abs(child["visitors_delta"]))
        numbers = f"{count_text(child['compare_visitors'])} → {count_text(child['visitors'])}"
        child_note = (ctx.t(f"，其中「{child['name']}」就少了 {moved}（{numbers}）", f"; {child['name']} alone lost {moved} ({numbers})")
                      if key == "lost" else
                      ctx.t(f"，其中「{child['name']}」就多了 {moved}（{numbers}）", f"; {child['name']} alone gained {moved} ({numbers})"))
    search = _search_by_item(ctx, previous_day) if key == "lost" and kind == "free" and is_search(path) else None
    shopwide = bool(search and search["items"] >= _SHOPWIDE_MIN_ITEMS
                    and search["fell"] >= ctx.param("shopwide_share") * search["items"] - 1e-9)
    shopwide_note = ""
    if shopwide:
        numbers = f"{count_text(search['compare_search_visitors'])} → {count_text(search['search_visitors'])}"
        items, fell = search["items"], search["fell"]
        shopwide_note = ctx.t(
            (f"；全部 {items} 个商品的搜索访客都少了" if fell == items else f"；{items} 个商品里 {fell} 个的搜索访客都少了")
            + f"（合计 {numbers}），是全店的搜索问题",
            (f"; all {items} items lost search visitors" if fell == items else f"; {fell} of {items} items lost search visitors")
            + f" ({numbers} in all): search fell shop-wide")
    if key == "lost":
        suffix = "_shopwide" if shopwide else ("_search" if kind == "free" and is_search(path) else
                                                {"free": "_free", "paid": "_paid"}.get(kind or "", ""))
    else:
        suffix = {"free": "_free", "paid": "_paid"}.get(kind or "", "")
    evidence = {"change": row["change"], "visitors": row["visitors"], "compare_visitors": row["compare_visitors"],
                "visitors_delta": row["visitors_delta"], "conversion_rate": conversion,
                "compare_conversion_rate": compare_conversion, "compare_date": previous_day,
                "threshold": ctx.param("min_change"), "source": row["name"], "source_kind": kind}
    if child:
        evidence["main_child"] = child
    if search:
        evidence["search_items"] = {**search, "shopwide": shopwide}
    ctx.finding(
        key + suffix, f"source:{row['name']}", evidence,
        severity="info" if key == "gained" else None,
        money=money, currency=data_currency(ctx, "traffic_source", "shop_daily"),
        name=row["name"], drop=f"{-row['change']:.1%}", rise=f"{row['change']:.1%}",
        before=count_text(row["compare_visitors"]), now=count_text(row["visitors"]), conversion=conversion_note,
        child_note=child_note, shopwide_note=shopwide_note,
    )


@rule(
    "traffic.source_quality",
    owner="promotion",
    severity="warning",
    needs={"traffic_source": ["source", "visitors"]},
    params=[
        positive("high_ratio", 1.5, "来源转化率达到其他来源平均的这个倍数，算转化好", "A source converting at this multiple of the other sources' average converts well"),
        fraction("small_share", 0.10, "转化好的来源占访客不超过这个比例，算量小、值得加大", "A well-converting source at or under this share of visitors is small: grow it"),
        fraction("low_ratio", 0.50, "来源转化率不到其他来源平均的这个比例，算转化差", "A source converting under this fraction of the other sources' average converts badly"),
        fraction("large_share", 0.20, "转化差的来源占访客达到这个比例，算量大、要查是否对路", "A badly converting source at or above this share of visitors is large: check its fit"),
        text_list("ignore_sources", list(SOURCE_KINDS["returning"]),
                  "老买家回访的来源：不建议“加大”，也不算进比较用的平均（转化天然高，也没法买量）",
                  "Returning-visitor sources: never suggested for growing and left out of the average sources are compared with (they convert by nature and cannot be bought)"),
        _MIN_VISITORS,
        _DETAIL,
    ],
    messages={
        "poor_fit_paid": {
            "zh": ("「{name}」占访客的 {share:.0%}，转化率只有 {conversion}，不到{compared}的 {low_ratio:.0%}",
                   "这是付费流量：查关键词和定向人群是不是引来了不买的人，收紧定向或降低出价，把预算挪到转化高的来源。"),
            "en": ("{name} brings {share:.0%} of visitors but converts at only {conversion}, under {low_ratio:.0%} of {compared}",
                   "This is paid traffic: check whether its keywords and targeting bring people who do not buy, tighten "
                   "targeting or lower bids, and move budget to sources that convert."),
        },
        "poor_fit_free": {
            "zh": ("「{name}」占访客的 {share:.0%}，转化率只有 {conversion}，不到{compared}的 {low_ratio:.0%}",
                   "这是免费流量，不是出价的事：看它带来的人和宝贝对不对路——标题和关键词是不是引来了不买的人、"
                   "主图和价格是否和这些人对得上、详情页能不能接住；把这些入口的流量多引到转化好的款上。"),
            "en": ("{name} brings {share:.0%} of visitors but converts at only {conversion}, under {low_ratio:.0%} of {compared}",
                   "This is free traffic, so bids have nothing to do with it: check whether it fits the items. Do the "
                   "titles and keywords draw people who do not buy? Do the main image and price match them? Does the "
                   "item page hold them? Point these entrances at the items that convert."),
        },
        "poor_fit": {
            "zh": ("「{name}」占访客的 {share:.0%}，转化率只有 {conversion}，不到{compared}的 {low_ratio:.0%}",
                   "查这块流量和宝贝是否对路：带来它的活动、内容或渠道是不是引来了不买的人；调整投放的内容和人群，"
                   "精力放到转化高的来源上。"),
            "en": ("{name} brings {share:.0%} of visitors but converts at only {conversion}, under {low_ratio:.0%} of {compared}",
                   "Check whether this traffic fits the items: the promotion, content or channel behind it may bring "
                   "people who do not buy. Adjust what is shown and to whom, and put the effort into sources that convert."),
        },
        "grow_paid": {
            "zh": ("「{name}」转化率 {conversion}，是{compared}的 {ratio:.1f} 倍，但只占访客的 {share:.1%}",
                   "这块付费流量转化好、量还小：加预算、加词、适当提高出价，既能多来访客，又能拉高全店转化率。"),
            "en": ("{name} converts at {conversion}, {ratio:.1f}x {compared}, yet brings only {share:.1%} of visitors",
                   "This paid traffic converts and is still small: give it more budget and keywords and raise bids a "
                   "little. It brings more visitors and lifts the shop's conversion at the same time."),
        },
        "grow_free": {
            "zh": ("「{name}」转化率 {conversion}，是{compared}的 {ratio:.1f} 倍，但只占访客的 {share:.1%}",
                   "这块免费流量转化好、量还小：想办法多拿——优化标题和关键词、提高主图点击率、报相关活动，"
                   "争取这个入口更多展现；既能多来访客，又能拉高全店转化率。"),
            "en": ("{name} converts at {conversion}, {ratio:.1f}x {compared}, yet brings only {share:.1%} of visitors",
                   "This free traffic converts and is still small: win more of it with better titles and keywords, a "
                   "main image that gets clicked, and matching promotions. It brings more visitors and lifts the shop's "
                   "conversion at the same time."),
        },
        "grow": {
            "zh": ("「{name}」转化率 {conversion}，是{compared}的 {ratio:.1f} 倍，但只占访客的 {share:.1%}",
                   "这块流量转化好、量还小：想办法加大（报相关活动、做相关内容、多在这个渠道露出），既能多来访客，又能拉高全店转化率。"),
            "en": ("{name} converts at {conversion}, {ratio:.1f}x {compared}, yet brings only {share:.1%} of visitors",
                   "This traffic converts and is still small: grow it (matching promotions, content, more presence on "
                   "this channel). It brings more visitors and lifts the shop's conversion at the same time."),
        },
    },
)
def source_quality(ctx) -> None:
    """Sources that convert well but are small (grow them), and large sources that convert badly.

    [zh]
    检查：报告日各流量来源的支付转化率和其他来源的平均比。其他来源的平均是它们的支付买家数 ÷ 访客数，不算这个来源自己，也不算老买家回访的来源（自主访问、购物车、我的淘宝、直接访问、已买到商品、收藏夹这类：这些人已经选好了，转化天然高，算进去会把平均抬高）。转化率达到这个平均 1.5 倍、访客占比不超过 10% 的来源：提示加大（回访来源除外）。访客占比达到 20%、转化率不到这个平均一半的来源：警告，查是否对路。访客数不到 100 的来源不判断；其他来源合计不到 100 个访客时也不判断。建议按来源的类型给：免费来源（淘内免费、手淘搜索、自然搜索……）讲标题、关键词、主图和页面是否对路，付费来源（直通车、万相台、淘宝客……）讲出价、定向和预算。哪些来源算回访、免费、付费是 shopdoc 自己定的清单（文档没有给），在 traffic.py 的 SOURCE_KINDS 里，回访清单可以用 ignore_sources 改。
    原因：《电商运营》(002)：“先提高‘付费转化率’，再提高‘访问量’，事半功倍。分析访问量最重要的是分析流量来源，分析不同流量来源的数量和付费转化率，找出付费转化率较高的流量来源并想办法提高，既能增加访问量又能提高整体付费转化率。”“如何降低访客成本？1）增加免费流量；2）提高付费推广的点击率；3）降低付费推广的点击单价。”
    怎么做：转化好的小来源：付费的加预算、加词，免费的优化标题关键词和主图、报活动；转化差的大来源：付费的收紧定向或降出价，把钱挪到转化高的来源，免费的查标题关键词、主图价格和详情页是否对路。
    金额：转化差的来源转化率提到及格线（其他来源平均的 50%）能多成交的金额（访客数 × 差的转化率 × 全店客单价）；不按其他来源的整个平均算，免费流量很少能转化得和付费流量一样；加大建议不估金额。
    [en]
    Checks: each source's payment conversion on the report day against the average of the other sources. That average is their buyers ÷ visitors, leaving out the source itself and the returning-visitor sources (自主访问, the cart, 我的淘宝, direct visits, 已买到商品, favourites: those visitors have already chosen and would lift the average). Sources converting at 1.5x that average or better with at most 10% of visitors: grow them (returning sources excepted). Sources with at least 20% of visitors converting under half of it: a warning to check their fit. Sources under 100 visitors are not judged, nor any source when the other sources have under 100 visitors together. The advice follows the kind of source: free sources (淘内免费, 手淘搜索, organic search...) get titles, keywords, main image and page fit; paid ones (直通车, 万相台, 淘宝客...) bids, targeting and budget. Which sources count as returning, free or paid is shopdoc's own list (the documents give none), declared in SOURCE_KINDS in traffic.py; ignore_sources overrides the returning list.
    Why: "E-commerce operations" (002): "Raise paid conversion first, then visits: twice the result for the effort. The key to visits is the traffic sources: compare their volume and paid conversion, find the sources that convert best and grow them; that adds visitors and lifts overall conversion." "How to lower the cost of a visitor? 1) more free traffic; 2) a higher CTR on paid ads; 3) a lower cost per click."
    Fix: small well-converting sources: more budget and keywords when paid, better titles, keywords, main image and promotions when free; large badly converting sources: tighten targeting or lower bids when paid and move the money, check titles, keywords, main image, price and page fit when free.
    Money: for badly converting sources, the GMV they would add converting at the line (half the other sources' average): visitors × the conversion short of it × shop AOV; not at the others' whole average, which free traffic rarely reaches; growth suggestions carry no estimate.
    """
    table = sources_of(ctx, ctx.date, detail=ctx.param("detail"))
    if table is None:
        ctx.skip(ctx.t("报告日没有流量来源数据", "no traffic sources on the report day"))
        return
    if table["conversion_rate"].notna().sum() == 0:
        ctx.skip(ctx.t("流量来源导出里没有支付转化率（或支付买家数）", "skipped, needs traffic_source.conversion_rate (or buyers)"))
        return
    min_visitors = ctx.param("min_visitors")
    total = float(table["visitors"].sum())
    if total < min_visitors:
        too_few(ctx, "来源访客数合计", "visitors over all sources", total, min_visitors)
        return
    ignored = {name.casefold() for name in ctx.param("ignore_sources")}
    returning = table["path"].map(lambda path: any(level.casefold() in ignored for level in path.split("|")))
    rated = table["conversion_rate"].notna() & (table["visitors"] > 0)
    # Each source against the others: the non-returning rated sources' buyers and visitors, less its own.
    pool = rated & ~returning
    buyers = (table["conversion_rate"] * table["visitors"]).where(pool, 0.0)
    visitors = table["visitors"].where(pool, 0.0)
    other_visitors = visitors.sum() - visitors
    others = (buyers.sum() - buyers) / other_visitors.where(other_visitors > 0)
    shop = ctx.shop_day()
    shop_aov = shop.get("aov")
    if shop_aov is None and table["buyers"].sum() > 0 and table["gmv"].notna().any():
        shop_aov = float(table["gmv"].sum() / table["buyers"].sum())
    share = table["visitors"] / total
    ratio = table["conversion_rate"] / others.where(others > 0)
    big_enough = rated & (table["visitors"] >= min_visitors)
    judged = big_enough & (other_visitors >= min_visitors) & ratio.notna()
    held = int((rated & ~big_enough).sum())
    if held:
        ctx.skip(ctx.t(f"{held} 个来源访客数不到 {min_visitors}，未判断", f"{held} sources under {min_visitors} visitors not judged"))
    alone = int((big_enough & ~judged).sum())
    if alone:
        ctx.skip(ctx.t(f"{alone} 个来源没有足够的其他来源可比（回访来源不算，其他来源合计不到 {min_visitors} 个访客），未判断",
                       f"{alone} sources not judged: the other sources (returning visitors left out) have under {min_visitors} visitors together"))
    grow = judged & ~returning & (ratio >= ctx.param("high_ratio")) & (share <= ctx.param("small_share"))
    poor = judged & (ratio < ctx.param("low_ratio")) & (share >= ctx.param("large_share"))
    left_out = _listed(ctx, [row["name"] for _, row in table[returning & rated].iterrows()])
    for key, mask in (("poor_fit", poor), ("grow", grow)):
        for name, row in table[mask].iterrows():
            kind = source_kind(row["path"])
            message = f"{key}_{kind}" if kind in ("free", "paid") else key
            baseline = float(others[name])
            # What it would bring converting at the line this rule accepts (low_ratio × the others'),
            # not at the others' full average: free search traffic rarely converts like paid traffic.
            gap = ctx.param("low_ratio") * baseline - row["conversion_rate"]
            money = row["visitors"] * gap * shop_aov if key == "poor_fit" and shop_aov else None
            compared = (ctx.t(f"其他来源平均 {rate_text(baseline)}（不算{left_out}这类老买家回访）",
                              f"the other sources' {rate_text(baseline)} (returning visitors from {left_out} left out)")
                        if left_out else ctx.t(f"其他来源平均 {rate_text(baseline)}", f"the other sources' {rate_text(baseline)}"))
            ctx.finding(
                message, f"source:{row['name']}",
                {"conversion_rate": row["conversion_rate"], "others_conversion_rate": baseline,
                 "shop_conversion_rate": shop.get("conversion_rate"), "ratio": ratio[name], "share": share[name],
                 "visitors": row["visitors"], "source": row["name"], "source_kind": kind,
                 "returning_sources": [str(n) for n in table.loc[returning & rated, "name"]],
                 "threshold": ctx.param("low_ratio") if key == "poor_fit" else ctx.param("high_ratio")},
                severity="info" if key == "grow" else None,
                money=money, currency=data_currency(ctx, "traffic_source", "shop_daily"),
                name=row["name"], conversion=rate_text(row["conversion_rate"]), compared=compared,
                low_ratio=ctx.param("low_ratio"),
            )


def _listed(ctx, names: list[str], limit: int = 2) -> str:
    """`购物车、我的淘宝等` / `购物车, 我的淘宝 and others`: the first few names of a list."""
    if not names:
        return ""
    shown = ("、" if ctx.lang == "zh" else ", ").join(names[:limit])
    if len(names) > limit:
        shown += ctx.t("等", " and others")
    return shown


def source_moves(ctx, compare_day: str) -> "pd.DataFrame | None":
    """First-level sources of two days side by side (visitors, visitors_delta), for other rules'
    explanations (`sales.gmv_drivers`, `sales.daily_target`). `main_child` names the second-level
    source that made most of a source's move (as `traffic.source_change` does, at its
    `main_child_share`), `kind` is the traffic's kind (SOURCE_KINDS) of that child, else of the
    source. None without both days."""
    today = sources_of(ctx, ctx.date)
    before = sources_of(ctx, compare_day, report_day=False)
    if today is None or before is None:
        return None
    table = before.add_prefix("compare_").join(today, how="outer")
    table["name"] = table["name"].fillna(table["compare_name"])
    table["path"] = table["path"].fillna(table["compare_path"])
    table["visitors"] = table["visitors"].fillna(0.0)
    table["compare_visitors"] = table["compare_visitors"].fillna(0.0)
    table["visitors_delta"] = table["visitors"] - table["compare_visitors"]
    children_today = sources_of(ctx, ctx.date, detail=True)
    children_before = sources_of(ctx, compare_day, detail=True, report_day=False)
    children = _moves(children_before, children_today) if children_today is not None and children_before is not None else None
    share = ctx.config.rule_settings("traffic.source_change").get("main_child_share", 0.5)
    found = [_child_of(row, children, share) for _, row in table.iterrows()]
    table["main_child"] = [child["name"] if child else None for child in found]
    table["main_child_delta"] = [child["visitors_delta"] if child else float("nan") for child in found]
    table["kind"] = [source_kind(child["path"] if child else path) for child, path in zip(found, table["path"])]
    table["search"] = [is_search(child["path"] if child else path) for child, path in zip(found, table["path"])]
    return table
