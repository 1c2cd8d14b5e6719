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
from shopdoc.rules._helpers import clean, count_text, rate_text, rows_exactly_on, shift_day, too_few

if TYPE_CHECKING:
    import pandas as pd

    from shopdoc.dataset import Dataset

ORDER = 30

_LEVELS = ("source", "source_detail", "source_l3", "source_l4")
# A lower level set to one of these marks a subtotal (Sycm writes 汇总); blanks mean "no deeper level".
_NOT_A_NAME = {"", "-", "--", "汇总", "合计", "总计", "小计"}

_DETAIL = boolean(
    "detail", False, "按二级来源（来源明细）判断；默认按一级来源", "Judge second-level sources (来源明细) instead of first-level ones",
)
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


@rule(
    "traffic.source_change",
    owner="promotion",
    severity="warning",
    needs={"traffic_source": ["source", "visitors"]},
    params=[
        fraction("min_change", 0.20, "访客数比前一天变化达到这个比例才提出来", "Speak when a source's visitors changed by at least this fraction"),
        count("top_n", 3, "减少最多、增加最多的来源各列几个", "How many losing and how many gaining sources to list"),
        _MIN_VISITORS,
        _DETAIL,
    ],
    messages={
        "lost": {
            "zh": ("「{name}」访客比前一天少了 {drop}（{before} → {now}），转化率 {conversion}",
                   "推广查清这块流量为什么少了：计划是否暂停或没钱了、出价是否被挤下去、活动是否结束、搜索排名是否掉了；"
                   "算清楚要补多少流量、需要多少预算。"),
            "en": ("{name} brought {drop} fewer visitors than the day before ({before} → {now}), converting at {conversion}",
                   "Find out why this traffic fell: a paused or out-of-budget campaign, outbid keywords, an ended "
                   "promotion, a lost search ranking. Work out how much traffic to win back and what it will cost."),
        },
        "gained": {
            "zh": ("「{name}」访客比前一天多了 {rise}（{before} → {now}），转化率 {conversion}",
                   "看清是什么带来的（活动、出价、排名、内容），转化好就继续加码，能复制的做法用到其他宝贝上。"),
            "en": ("{name} brought {rise} more visitors than the day before ({before} → {now}), converting at {conversion}",
                   "Find out what brought it (a promotion, bids, ranking, content); if it converts, push it further "
                   "and copy what worked to other items."),
        },
    },
)
def source_change(ctx) -> None:
    """Traffic sources that lost or gained the most visitors against the previous day.

    [zh]
    检查：报告日每个流量来源（默认一级来源，可改为二级来源）的访客数和前一天比，变化达到 20% 的来源里，减少最多的列 3 个（警告）、增加最多的列 3 个（提示），并给出各自的支付转化率（今天和前一天）。汇总行不参与，同一层级只算一次。两天中访客数较多的那天不到 100 的来源不判断。前一天的数据来自同一个文件里的更早日期或历史记录。
    原因：《运营的一天》(003)：“分析访客数，访客流量来源在哪里？达标的话，是哪块流量增多了？投入的成本是多少？没达标是因为哪块流量减少了？为什么减少？这些都要做到心中有数。”
    怎么做：减少的来源交给推广查原因（计划、出价、活动、排名），算出要补多少流量和预算；增加的来源看是什么带来的，转化好就加码并复制到其他宝贝。
    金额：减少的访客数 × 这个来源前一天的访客价值（支付金额 ÷ 访客数），即今天少进账的成交额。
    [en]
    Checks: each traffic source's visitors on the report day (first-level sources by default, second-level optionally) against the day before; among sources that moved by at least 20%, the 3 that lost the most (warning) and the 3 that gained the most (info), each with its payment conversion today and the day before. Subtotal rows are ignored and one level is judged, so nothing is counted twice. Sources under 100 visitors on both days are not judged. The previous day comes from earlier dates in the same file or from the history.
    Why: "An operator's day" (003): "Analyse visitors: where does the traffic come from? On target, which traffic grew, and at what cost? Off target, which traffic fell, and why? Know all of this."
    Fix: hand the losing sources to promotion to find the cause (campaigns, bids, promotions, rankings) and what it costs to win the traffic back; for gaining sources, find what brought them and, if they convert, push and copy it.
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
    table = before.add_prefix("compare_").join(today, how="left")
    table["visitors"] = table["visitors"].fillna(0.0)  # gone today: it brought nobody
    table["name"] = table["name"].fillna(table["compare_name"])
    table["visitors_delta"] = table["visitors"] - table["compare_visitors"]
    table["change"] = table["visitors_delta"] / table["compare_visitors"].where(table["compare_visitors"] > 0)
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
    for key, rows in (("lost", losers), ("gained", gainers)):
        for _, row in rows.iterrows():
            _emit_change(ctx, key, row, previous_day)


def _emit_change(ctx, key: str, row, previous_day: str) -> None:
    conversion = row["conversion_rate"] if row["visitors"] > 0 else None
    compare_conversion = row["compare_conversion_rate"]
    value_before = clean(row["compare_gmv"] / row["compare_visitors"]) if row["compare_visitors"] > 0 else None
    money = -row["visitors_delta"] * value_before if key == "lost" and value_before is not None else None
    conversion_note = ctx.t(f"{rate_text(conversion)}（前一天 {rate_text(compare_conversion)}）",
                            f"{rate_text(conversion)} (the day before: {rate_text(compare_conversion)})")
    ctx.finding(
        key, f"source:{row['name']}",
        {"change": row["change"], "visitors": row["visitors"], "compare_visitors": row["compare_visitors"],
         "visitors_delta": row["visitors_delta"], "conversion_rate": conversion,
         "compare_conversion_rate": compare_conversion, "compare_date": previous_day,
         "threshold": ctx.param("min_change"), "source": row["name"]},
        severity="info" if key == "gained" else None,
        money=money,
        name=row["name"], drop=f"{-row['change']:.1%}", rise=f"{row['change']:.1%}",
        before=count_text(row["compare_visitors"]), now=count_text(row["visitors"]), conversion=conversion_note,
    )


@rule(
    "traffic.source_quality",
    owner="promotion",
    severity="warning",
    needs={"traffic_source": ["source", "visitors"]},
    params=[
        positive("high_ratio", 1.5, "来源转化率达到全店平均的这个倍数，算转化好", "A source converting at this multiple of the shop average converts well"),
        fraction("small_share", 0.10, "转化好的来源占访客不超过这个比例，算量小、值得加大", "A well-converting source at or under this share of visitors is small: grow it"),
        fraction("low_ratio", 0.50, "来源转化率不到全店平均的这个比例，算转化差", "A source converting under this fraction of the shop average converts badly"),
        fraction("large_share", 0.20, "转化差的来源占访客达到这个比例，算量大、要查是否对路", "A badly converting source at or above this share of visitors is large: check its fit"),
        text_list("ignore_sources", ["自主访问", "购物车", "我的淘宝", "直接访问", "已买到商品"],
                  "不建议“加大”的来源（老买家回访，转化天然高，也没法买量）", "Sources never suggested for growing (returning buyers: they convert by nature and cannot be bought)"),
        _MIN_VISITORS,
        _DETAIL,
    ],
    messages={
        "poor_fit": {
            "zh": ("「{name}」占访客的 {share:.0%}，转化率只有 {conversion}，不到全店平均 {shop_conversion} 的 {low_ratio:.0%}",
                   "查这块流量和宝贝是否对路：关键词、定向人群、活动是不是引来了不买的人。付费来源收紧定向或降低出价，把预算挪到转化高的来源。"),
            "en": ("{name} brings {share:.0%} of visitors but converts at only {conversion}, under {low_ratio:.0%} of the shop's {shop_conversion}",
                   "Check whether this traffic fits the items: keywords, targeting or promotions may be bringing people "
                   "who do not buy. For paid sources, tighten targeting or lower bids and move budget to sources that convert."),
        },
        "grow": {
            "zh": ("「{name}」转化率 {conversion}，是全店平均 {shop_conversion} 的 {ratio:.1f} 倍，但只占访客的 {share:.1%}",
                   "这块流量转化好、量还小：想办法加大（加预算、加词、报相关活动、做相关内容），既能多来访客，又能拉高全店转化率。"),
            "en": ("{name} converts at {conversion}, {ratio:.1f}x the shop's {shop_conversion}, yet brings only {share:.1%} of visitors",
                   "This traffic converts and is still small: grow it (budget, keywords, matching promotions or content). "
                   "It brings more visitors and lifts the shop's conversion at the same time."),
        },
    },
)
def source_quality(ctx) -> None:
    """Sources that convert well but are small (grow them), and large sources that convert badly.

    [zh]
    检查：报告日各流量来源的支付转化率和全店平均比。转化率达到全店平均 1.5 倍、访客占比不超过 10% 的来源：提示加大（自主访问、购物车这类老买家回访的来源除外）。访客占比达到 20%、转化率不到全店平均一半的来源：警告，查是否对路。访客数不到 100 的来源不判断。全店平均取店铺导出的支付转化率，没有就用各来源的支付买家数 ÷ 访客数。
    原因：《电商运营》(002)：“先提高‘付费转化率’，再提高‘访问量’，事半功倍。分析访问量最重要的是分析流量来源，分析不同流量来源的数量和付费转化率，找出付费转化率较高的流量来源并想办法提高，既能增加访问量又能提高整体付费转化率。”
    怎么做：转化好的小来源加预算、加词、报相关活动；转化差的大来源查关键词和人群是否对路，付费的收紧定向或降出价，把钱挪到转化高的来源。
    金额：转化差的来源按全店平均转化率能多成交的金额（访客数 × 转化率差 × 全店客单价）；加大建议不估金额。
    [en]
    Checks: each source's payment conversion on the report day against the shop average. Sources converting at 1.5x the average or better with at most 10% of visitors: grow them (returning-buyer sources such as direct visits and the cart excepted). Sources with at least 20% of visitors converting under half the average: a warning to check their fit. Sources under 100 visitors are not judged. The shop average is the shop export's conversion rate, else buyers ÷ visitors over the sources.
    Why: "E-commerce operations" (002): "Raise paid conversion first, then visits: twice the result for the effort. The key to visits is the traffic sources: compare their volume and paid conversion, find the sources that convert best and grow them; that adds visitors and lifts overall conversion."
    Fix: give small well-converting sources more budget, keywords and matching promotions; check keywords and audiences of large badly converting sources, tighten targeting or lower bids on paid ones, and move money to sources that convert.
    Money: for badly converting sources, the GMV they would bring at the shop's conversion (visitors × conversion gap × shop AOV); growth suggestions carry no estimate.
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
    shop = ctx.shop_day()
    shop_conversion = shop.get("conversion_rate")
    rated = table[table["conversion_rate"].notna()]
    if shop_conversion is None:
        shop_conversion = float((rated["conversion_rate"] * rated["visitors"]).sum() / rated["visitors"].sum())
    if not shop_conversion:
        ctx.skip(ctx.t("全店支付转化率为 0，无法比较各来源", "the shop converted nobody; nothing to compare sources with"))
        return
    shop_aov = shop.get("aov")
    if shop_aov is None and table["buyers"].sum() > 0 and table["gmv"].notna().any():
        shop_aov = float(table["gmv"].sum() / table["buyers"].sum())
    share = table["visitors"] / total
    ratio = table["conversion_rate"] / shop_conversion
    judged = (table["visitors"] >= min_visitors) & table["conversion_rate"].notna()
    held = int((~judged & table["conversion_rate"].notna()).sum())
    if held:
        ctx.skip(ctx.t(f"{held} 个来源访客数不到 {min_visitors}，未判断", f"{held} sources under {min_visitors} visitors not judged"))
    ignored = set(ctx.param("ignore_sources"))
    returning = table["path"].map(lambda path: bool(ignored.intersection(path.split("|"))))
    grow = judged & ~returning & (ratio >= ctx.param("high_ratio")) & (share <= ctx.param("small_share"))
    poor = judged & (ratio < ctx.param("low_ratio")) & (share >= ctx.param("large_share"))
    for key, mask in (("poor_fit", poor), ("grow", grow)):
        for name, row in table[mask].iterrows():
            gap = shop_conversion - row["conversion_rate"]
            money = row["visitors"] * gap * shop_aov if key == "poor_fit" and shop_aov else None
            ctx.finding(
                key, f"source:{row['name']}",
                {"conversion_rate": row["conversion_rate"], "shop_conversion_rate": shop_conversion,
                 "ratio": ratio[name], "share": share[name], "visitors": row["visitors"], "source": row["name"],
                 "threshold": ctx.param("low_ratio") if key == "poor_fit" else ctx.param("high_ratio")},
                severity="info" if key == "grow" else None,
                money=money,
                name=row["name"], conversion=rate_text(row["conversion_rate"]), shop_conversion=rate_text(shop_conversion),
                low_ratio=ctx.param("low_ratio"),
            )


def source_moves(ctx, compare_day: str) -> "pd.DataFrame | None":
    """First-level sources of two days side by side (visitors, visitors_delta), for other rules'
    explanations (`sales.gmv_drivers`, `sales.daily_target`). None without both days."""
    today = sources_of(ctx, ctx.date)
    before = sources_of(ctx, compare_day, report_day=False)
    if today is None or before is None:
        return None
    table = before.add_prefix("compare_").join(today, how="outer")
    table["name"] = table["name"].fillna(table["compare_name"])
    table["visitors"] = table["visitors"].fillna(0.0)
    table["compare_visitors"] = table["compare_visitors"].fillna(0.0)
    table["visitors_delta"] = table["visitors"] - table["compare_visitors"]
    return table
