"""Traffic-source rules (003: 哪块流量减少了; 002: 找出付费转化率较高的流量来源): which sources moved
since the day before, and which convert well but are small or badly but are large.

Frames are shaped like the importer's Sycm 店铺来源 frame: 流量载体 / 一级来源 / 二级来源, several days in
one frame, with and without the `汇总` subtotal rows.
"""

from __future__ import annotations

import pandas as pd
import pytest

from shopdoc.api import build_report, load
from shopdoc.config import Config, merge
from shopdoc.dataset import Dataset
from shopdoc.engine import run_rules
from shopdoc.rules.traffic import source_table

DAY = "2026-11-22"
PREVIOUS = "2026-11-21"


def sources(days: dict[str, dict[tuple, tuple]], subtotals: bool = False) -> pd.DataFrame:
    """{day: {(一级来源, 二级来源): (visitors, buyers)}}; GMV at 250 per buyer. `subtotals` adds Sycm's
    `汇总` rows (一级来源 totals) the way the export has them, before their second-level rows."""
    rows = []
    for day, table in days.items():
        groups: dict[str, list] = {}
        for (level1, level2), (visitors, buyers) in table.items():
            groups.setdefault(level1, []).append((level2, visitors, buyers))
        for level1, members in groups.items():
            if subtotals:
                visitors, buyers = sum(m[1] for m in members), sum(m[2] for m in members)
                rows.append({"date": day, "carrier": "无线端", "source": level1, "source_detail": "汇总",
                             "visitors": float(visitors), "buyers": float(buyers), "gmv": buyers * 250.0,
                             "conversion_rate": buyers / visitors})
            for level2, visitors, buyers in members:
                rows.append({"date": day, "carrier": "无线端", "source": level1, "source_detail": level2,
                             "visitors": float(visitors), "buyers": float(buyers), "gmv": buyers * 250.0,
                             "conversion_rate": buyers / visitors if visitors else float("nan")})
    frame = pd.DataFrame(rows)
    frame["_file"] = "【生意参谋平台】无线店铺流量来源.csv"
    frame["_row"] = range(7, 7 + len(frame))
    return frame


def shop(conversion: float, visitors: float = 10000.0, day: str = DAY) -> pd.DataFrame:
    return pd.DataFrame([{"date": day, "visitors": visitors, "buyers": visitors * conversion,
                          "gmv": visitors * conversion * 250, "conversion_rate": conversion,
                          "_file": "店铺整体.xls", "_row": 5}])


def run(frames: dict, user: dict | None = None, lang: str = "zh"):
    return run_rules(Dataset(frames=frames), Config(merge(user or {})), DAY, lang)


def findings(state, rule_id: str):
    return [f for f in state.findings if f.rule == rule_id]


def skips(state, rule_id: str):
    return [s for s in state.skipped if s.rule == rule_id]


TWO_DAYS = {
    PREVIOUS: {("淘内免费", "手淘搜索"): (3000, 60), ("淘内免费", "手淘推荐"): (1000, 10),
               ("付费流量", "直通车"): (2000, 40), ("自主访问", "购物车"): (400, 40)},
    DAY: {("淘内免费", "手淘搜索"): (1800, 40), ("淘内免费", "手淘推荐"): (1000, 10),
          ("付费流量", "直通车"): (2600, 52), ("自主访问", "购物车"): (380, 38)},
}


# -- one level, never counted twice -------------------------------------------------------------------
@pytest.mark.parametrize("subtotals", [True, False])
def test_source_table_counts_each_first_level_source_once(subtotals):
    dataset = Dataset(frames={"traffic_source": sources(TWO_DAYS, subtotals=subtotals)})
    table = source_table(dataset, DAY).set_index("name")
    assert table.loc["淘内免费", "visitors"] == 2800  # the 汇总 row, or its two rows summed: never 5,600
    assert table.loc["淘内免费", "conversion_rate"] == pytest.approx(50 / 2800)
    assert list(table.index) == ["淘内免费", "付费流量", "自主访问"]


def test_source_table_second_level_with_detail():
    dataset = Dataset(frames={"traffic_source": sources(TWO_DAYS, subtotals=True)})
    table = source_table(dataset, DAY, detail=True).set_index("name")
    assert table.loc["淘内免费 / 手淘搜索", "visitors"] == 1800
    assert "淘内免费" not in table.index  # the 汇总 row is not a second-level source


def test_source_table_prefers_whole_shop_rows_over_carrier_rows():
    whole = sources({DAY: {("淘内免费", "手淘搜索"): (1000, 10)}}).assign(carrier=pd.NA)
    by_carrier = pd.concat([sources({DAY: {("淘内免费", "手淘搜索"): (800, 8)}}),
                            sources({DAY: {("淘内免费", "手淘搜索"): (200, 2)}}).assign(carrier="PC端")])
    table = source_table(Dataset(frames={"traffic_source": pd.concat([whole, by_carrier], ignore_index=True)}), DAY)
    assert table["visitors"].tolist() == [1000]


# -- traffic.source_change ----------------------------------------------------------------------------
def test_losing_and_gaining_sources_with_their_conversion():
    state = run({"traffic_source": sources(TWO_DAYS, subtotals=True)})
    found = findings(state, "traffic.source_change")
    lost = [f for f in found if f.severity == "warning"]
    gained = [f for f in found if f.severity == "info"]
    assert [f.subject for f in lost] == ["source:淘内免费"]
    assert [f.subject for f in gained] == ["source:付费流量"]
    evidence = lost[0].evidence
    assert evidence["change"] == pytest.approx(-0.30)  # 4,000 → 2,800
    assert evidence["compare_visitors"] == 4000 and evidence["visitors"] == 2800
    assert evidence["conversion_rate"] == pytest.approx(50 / 2800, abs=1e-4)
    assert evidence["compare_conversion_rate"] == pytest.approx(70 / 4000, abs=1e-4)
    assert lost[0].money == pytest.approx(1200 * (70 * 250 / 4000))  # lost visitors × yesterday's visitor value
    assert gained[0].evidence["change"] == pytest.approx(0.30)
    assert "「淘内免费」访客比前一天少了 30.0%（4,000 → 2,800）" in lost[0].title
    assert "转化率 1.79%（前一天 1.75%）" in lost[0].title


@pytest.mark.parametrize(("today", "speaks"), [(800, True), (801, False), (1200, True), (1199, False)])
def test_min_change_both_sides(today, speaks):
    frame = sources({PREVIOUS: {("淘内免费", "手淘搜索"): (1000, 10)}, DAY: {("淘内免费", "手淘搜索"): (today, 10)}})
    assert bool(findings(run({"traffic_source": frame}), "traffic.source_change")) is speaks


@pytest.mark.parametrize(("larger_day", "judged"), [(99, False), (100, True)])
def test_min_visitors_guard_holds_small_sources_and_says_so(larger_day, judged):
    frame = sources({PREVIOUS: {("淘内免费", "手淘搜索"): (larger_day, 2), ("付费流量", "直通车"): (5000, 50)},
                     DAY: {("淘内免费", "手淘搜索"): (40, 1), ("付费流量", "直通车"): (5000, 50)}})
    state = run({"traffic_source": frame})
    assert bool(findings(state, "traffic.source_change")) is judged
    held = skips(state, "traffic.source_change")
    assert bool(held) is not judged
    if held:
        assert "1 个来源访客数不到 100" in held[0].reason


def test_a_source_gone_today_lost_all_its_visitors():
    frame = sources({PREVIOUS: {("淘内免费", "手淘搜索"): (1000, 10), ("付费流量", "直通车"): (600, 6)},
                     DAY: {("淘内免费", "手淘搜索"): (1000, 10)}})
    [finding] = findings(run({"traffic_source": frame}), "traffic.source_change")
    assert finding.subject == "source:付费流量"
    assert finding.evidence["change"] == pytest.approx(-1.0)


def test_top_n_limits_each_direction():
    before = {("淘内免费", f"来源{n}"): (1000, 10) for n in range(5)}
    today = {("淘内免费", f"来源{n}"): (500 - n * 10, 5) for n in range(5)}
    frame = sources({PREVIOUS: before, DAY: today})
    found = findings(run({"traffic_source": frame}, {"rules": {"traffic.source_change": {"detail": True, "top_n": 2}}}),
                     "traffic.source_change")
    assert [f.subject for f in found] == ["source:淘内免费 / 来源4", "source:淘内免费 / 来源3"]  # lost most first


def test_without_the_day_before_it_is_skipped():
    state = run({"traffic_source": sources({DAY: TWO_DAYS[DAY]})})
    assert findings(state, "traffic.source_change") == []
    assert PREVIOUS in skips(state, "traffic.source_change")[0].reason


def test_english_wording():
    [lost, _] = findings(run({"traffic_source": sources(TWO_DAYS)}, lang="en"), "traffic.source_change")
    assert lost.title.startswith("淘内免费 brought 30.0% fewer visitors than the day before (4,000 → 2,800)")


# -- traffic.source_quality ---------------------------------------------------------------------------
def quality(table: dict, user: dict | None = None, conversion: float = 0.02):
    frames = {"traffic_source": sources({DAY: table}), "shop_daily": shop(conversion)}
    return run(frames, user)


BIG = {("淘内免费", "手淘搜索"): (9000, 180)}  # 2.0%, the shop's average


@pytest.mark.parametrize(("buyers", "grows"), [(31, True), (30, True), (29, False)])  # 3.1%, 3.0% (1.5x), 2.9%
def test_grow_a_small_source_converting_well_both_sides_of_the_ratio(buyers, grows):
    state = quality({**BIG, ("付费流量", "直通车"): (1000, buyers)})
    found = [f for f in findings(state, "traffic.source_quality") if f.subject == "source:付费流量"]
    assert bool(found) is grows
    if grows:
        assert found[0].severity == "info" and found[0].money is None
        assert found[0].evidence["share"] == pytest.approx(0.10)  # exactly the small-share line: still small


@pytest.mark.parametrize(("visitors", "grows"), [(990, True), (1010, False)])  # share 9.9% against 10.1%
def test_grow_only_when_small_both_sides_of_the_share(visitors, grows):
    state = quality({**BIG, ("付费流量", "直通车"): (visitors, visitors * 0.04)})
    assert bool([f for f in findings(state, "traffic.source_quality") if f.subject == "source:付费流量"]) is grows


def test_returning_buyer_sources_are_never_suggested_for_growing():
    state = quality({**BIG, ("自主访问", "购物车"): (400, 60)})  # 15%: converts by nature
    assert findings(state, "traffic.source_quality") == []


@pytest.mark.parametrize(("buyers", "poor"), [(29, True), (30, False)])  # 0.97% and 1.0% against 2.0%
def test_large_source_converting_far_below_both_sides(buyers, poor):
    state = quality({**BIG, ("付费流量", "直通车"): (3000, buyers)})  # 25% of visitors
    found = [f for f in findings(state, "traffic.source_quality") if f.subject == "source:付费流量"]
    assert bool(found) is poor
    if poor:
        assert found[0].severity == "warning"
        # what it would add converting at the line (half the others' 2.0%), not at their whole average
        assert found[0].money == pytest.approx(3000 * (0.5 * 0.02 - buyers / 3000) * 250)


def test_a_poor_source_under_the_large_share_is_left_alone():
    state = quality({**BIG, ("付费流量", "直通车"): (1500, 5)})  # 15.8% of visitors
    assert findings(state, "traffic.source_quality") == []


@pytest.mark.parametrize(("visitors", "judged"), [(99, False), (100, True)])
def test_min_visitors_per_source(visitors, judged):
    state = quality({**BIG, ("付费流量", "直通车"): (visitors, 10)})
    assert bool(findings(state, "traffic.source_quality")) is judged
    assert bool(skips(state, "traffic.source_quality")) is not judged


def test_the_average_is_the_other_sources_without_a_shop_export():
    frame = sources({DAY: {**BIG, ("付费流量", "直通车"): (500, 20)}})
    [finding] = findings(run({"traffic_source": frame}), "traffic.source_quality")
    assert finding.evidence["others_conversion_rate"] == pytest.approx(0.02)  # 淘内免费 alone: 直通车 is not its own yardstick
    assert finding.evidence["shop_conversion_rate"] is None


def test_without_conversion_it_is_skipped():
    frame = sources({DAY: BIG}).drop(columns=["buyers", "conversion_rate"])
    state = run({"traffic_source": frame})
    assert "没有支付转化率" in skips(state, "traffic.source_quality")[0].reason


# -- the yardstick leaves out returning visitors, and free traffic is never told to bid less ---------------
@pytest.mark.parametrize(("buyers", "poor"), [(89, True), (90, False)])  # 0.99% and 1.0% against 直通车's 2.0%
def test_returning_visitors_do_not_inflate_the_average_both_sides(buyers, poor):
    # The cart converts at 10%: with it the others would average 5.4% and 淘内免费 would always be "poor".
    state = quality({("淘内免费", "手淘搜索"): (9000, buyers), ("付费流量", "直通车"): (2000, 40),
                     ("自主访问", "购物车"): (1500, 150)}, conversion=0.0224)
    found = [f for f in findings(state, "traffic.source_quality") if f.subject == "source:淘内免费"]
    assert bool(found) is poor
    if poor:
        assert found[0].evidence["others_conversion_rate"] == pytest.approx(0.02)
        assert found[0].evidence["returning_sources"] == ["自主访问"]
        assert "不到其他来源平均 2.00%（不算自主访问这类老买家回访）的 50%" in found[0].title


@pytest.mark.parametrize(("level1", "level2", "kind", "says", "never"), [
    ("淘内免费", "手淘搜索", "free", "标题和关键词", "降低出价"),
    ("付费流量", "直通车", "paid", "收紧定向或降低出价", "标题"),
    ("淘外流量", "抖音", None, "活动、内容或渠道", "出价"),
])
def test_poor_fit_advice_follows_the_kind_of_traffic(level1, level2, kind, says, never):
    state = quality({(level1, level2): (9000, 45), ("付费流量" if kind != "paid" else "淘内免费",
                                                    "万相台" if kind != "paid" else "手淘推荐"): (3000, 90)})
    [finding] = [f for f in findings(state, "traffic.source_quality") if f.subject == f"source:{level1}"]
    assert finding.evidence["source_kind"] == kind
    assert says in finding.action and never not in finding.action


@pytest.mark.parametrize(("level1", "level2", "says", "never"), [
    ("淘内免费", "手淘搜索", "标题和关键词", "预算"),
    ("付费流量", "直通车", "加预算", "标题"),
])
def test_grow_advice_follows_the_kind_of_traffic(level1, level2, says, never):
    other = ("付费流量", "万相台") if level1 == "淘内免费" else ("淘内免费", "手淘推荐")
    state = quality({other: (9000, 180), (level1, level2): (500, 25)})
    [finding] = [f for f in findings(state, "traffic.source_quality") if f.subject == f"source:{level1}"]
    assert finding.severity == "info" and says in finding.action and never not in finding.action


def test_poor_fit_free_traffic_in_english_names_titles_not_bids():
    frames = {"traffic_source": sources({DAY: {("淘内免费", "手淘搜索"): (9000, 45), ("付费流量", "直通车"): (3000, 90)}})}
    [finding] = findings(run(frames, lang="en"), "traffic.source_quality")
    assert finding.title == ("淘内免费 brings 75% of visitors but converts at only 0.50%, under 50% of the other sources' 3.00%")
    assert "titles and keywords" in finding.action and "bid" in finding.action and "lower bids" not in finding.action


@pytest.mark.parametrize(("visitors", "judged"), [(99, False), (100, True)])
def test_a_source_with_too_few_others_to_compare_is_held(visitors, judged):
    state = quality({("淘内免费", "手淘搜索"): (9000, 10), ("自主访问", "购物车"): (400, 40),
                     ("付费流量", "直通车"): (visitors, 3)})
    assert bool([f for f in findings(state, "traffic.source_quality") if f.subject == "source:淘内免费"]) is judged
    reasons = " ".join(s.reason for s in skips(state, "traffic.source_quality"))
    assert ("没有足够的其他来源可比" in reasons) is not judged


@pytest.mark.parametrize(("path", "kind"), [
    ("淘内免费|手淘搜索", "free"), ("无线端|淘内免费", "free"), ("付费流量|直通车", "paid"), ("付费流量|聚划算", "paid"),
    ("自主访问|购物车", "returning"), ("我的淘宝", "returning"), ("淘外流量|抖音", None), ("自然搜索", "free"),
    ("Organic Search", "free"), ("Paid Search", "paid"), ("站内免费其他", "free"), ("其他付费渠道", "paid"),
])
def test_one_declaration_says_which_sources_are_free_paid_or_returning(path, kind):
    from shopdoc.rules.traffic import source_kind

    assert source_kind(path) == kind


# -- traffic.source_change: the child that moved, the causes by kind, shop-wide search --------------------
def test_a_first_level_loss_names_the_second_level_source_that_lost_it():
    [lost, _] = findings(run({"traffic_source": sources(TWO_DAYS)}), "traffic.source_change")
    assert lost.subject == "source:淘内免费"
    assert "，其中「手淘搜索」就少了 1,200（3,000 → 1,800）" in lost.title
    assert lost.evidence["main_child"]["name"] == "手淘搜索" and lost.evidence["main_child"]["share"] == pytest.approx(1.0)
    assert "搜索排名" in lost.action and "计划是否暂停" not in lost.action  # free search causes, not paid ones


@pytest.mark.parametrize(("search_today", "named"), [(495, True), (505, False)])  # 505 of 1,010 lost (50%); 495 of 1,010 (49%)
def test_the_child_is_named_from_half_of_the_change_both_sides(search_today, named):
    lost_search = 1000 - search_today
    frame = sources({PREVIOUS: {("淘内免费", "手淘搜索"): (1000, 10), ("淘内免费", "手淘推荐"): (1000, 10),
                                ("淘内免费", "淘内免费其他"): (1000, 10)},
                     DAY: {("淘内免费", "手淘搜索"): (search_today, 5), ("淘内免费", "手淘推荐"): (1000 - (1010 - lost_search) // 2, 5),
                           ("淘内免费", "淘内免费其他"): (1000 - (1010 - lost_search + 1) // 2, 5)}})
    [lost] = findings(run({"traffic_source": frame}), "traffic.source_change")
    assert lost.evidence["visitors_delta"] == -1010
    assert ("main_child" in lost.evidence) is named
    assert ("其中「手淘搜索」" in lost.title) is named


@pytest.mark.parametrize(("level1", "level2", "says", "never"), [
    ("淘内免费", "手淘推荐", "主图点击率", "出价是否"),
    ("付费流量", "直通车", "出价是否被挤下去", "标题"),
    ("淘外流量", "抖音", "活动是否结束", "不是出价的事"),
])
def test_loss_causes_follow_the_kind_of_traffic(level1, level2, says, never):
    frame = sources({PREVIOUS: {(level1, level2): (1000, 10)}, DAY: {(level1, level2): (500, 5)}})
    [lost] = findings(run({"traffic_source": frame}), "traffic.source_change")
    assert says in lost.action and never not in lost.action


def search_items(before: list[float], today: list[float]) -> pd.DataFrame:
    """Sycm 商品排行 rows of both days with 搜索引导访客数."""
    rows = [{"date": day, "item_id": str(1000 + n), "item_name": f"商品{n}", "visitors": 500.0, "search_visitors": value}
            for day, values in ((PREVIOUS, before), (DAY, today)) for n, value in enumerate(values)]
    return pd.DataFrame(rows).assign(_file="【生意参谋平台】商品_全部.xls", _row=lambda f: range(6, 6 + len(f)))


@pytest.mark.parametrize(("before", "today", "shopwide"), [
    ([300, 200, 100, 100, 50], [200, 150, 60, 90, 60], True),   # 4 of 5 (80%) fell
    ([300, 200, 100, 100], [200, 150, 60, 120], False),         # 3 of 4 (75%)
    ([300, 200, 100], [100, 100, 50], True),                    # all 3
    ([300, 200], [100, 100], False),                            # too few items to say
])
def test_search_falling_on_almost_every_item_is_a_shop_wide_search_problem(before, today, shopwide):
    frames = {"traffic_source": sources(TWO_DAYS), "item_daily": search_items(before, today)}
    [lost, _] = findings(run(frames), "traffic.source_change")
    assert lost.evidence["search_items"]["shopwide"] is shopwide
    assert ("是全店的搜索问题" in lost.title) is shopwide
    assert ("降权" in lost.action) is shopwide
    if shopwide and len(before) == 3:
        assert "；全部 3 个商品的搜索访客都少了（合计 600 → 250），是全店的搜索问题" in lost.title
    if shopwide and len(before) == 5:
        assert "；5 个商品里 4 个的搜索访客都少了" in lost.title


def test_without_search_visitors_in_the_item_export_nothing_is_said_about_items():
    frames = {"traffic_source": sources(TWO_DAYS), "item_daily": search_items([300, 200, 100], [100, 100, 50]).drop(columns="search_visitors")}
    [lost, _] = findings(run(frames), "traffic.source_change")
    assert "search_items" not in lost.evidence and "全店" not in lost.title


def test_paid_sources_are_never_asked_about_items_search():
    frame = sources({PREVIOUS: {("付费流量", "直通车"): (1000, 10)}, DAY: {("付费流量", "直通车"): (500, 5)}})
    [lost] = findings(run({"traffic_source": frame, "item_daily": search_items([300, 200, 100], [100, 100, 50])}),
                      "traffic.source_change")
    assert "search_items" not in lost.evidence


def test_english_names_the_child_and_the_shop_wide_fall():
    frames = {"traffic_source": sources(TWO_DAYS), "item_daily": search_items([300, 200, 100], [100, 100, 50])}
    [lost, _] = findings(run(frames, lang="en"), "traffic.source_change")
    assert lost.title.endswith("; 手淘搜索 alone lost 1,200 (3,000 → 1,800); all 3 items lost search visitors "
                               "(600 → 250 in all): search fell shop-wide")
    assert "demoted" in lost.action


# -- end to end: a Sycm 店铺来源 GBK CSV with 汇总 rows, two days ----------------------------------------
def test_end_to_end_from_a_sycm_source_file(tmp_path):
    from exports import sycm_sources

    records = []
    for day, search, ztc in ((PREVIOUS, 5000, 300), (DAY, 3000, 300)):
        records += [
            {"统计日期": day, "流量载体": "无线端", "一级来源": "淘内免费", "二级来源": "手淘搜索", "三级来源": "-",
             "访客数": search, "支付买家数": search // 50, "支付金额": search // 50 * 250.0, "支付转化率": 0.02},
            {"统计日期": day, "流量载体": "无线端", "一级来源": "付费流量", "二级来源": "直通车", "三级来源": "-",
             "访客数": ztc, "支付买家数": ztc // 25, "支付金额": ztc // 25 * 250.0, "支付转化率": 0.04},
        ]
    sycm_sources(tmp_path / "【生意参谋平台】无线店铺流量来源-2026-11-22.csv", records, PREVIOUS, DAY)
    config = Config(merge({}))
    report = build_report(load([str(tmp_path)], config), config, lang="zh")
    [change] = [f for f in report.findings if f.rule == "traffic.source_change"]
    assert change.subject == "source:淘内免费" and change.evidence["change"] == pytest.approx(-0.4)
    [quality_finding] = [f for f in report.findings if f.rule == "traffic.source_quality"]
    assert quality_finding.subject == "source:付费流量" and quality_finding.severity == "info"
