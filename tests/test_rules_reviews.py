"""Review rules (003: 主推款的中差评每天点击去看一下……其他款不用管; 002: DSR动态评分): one critical per
new negative review on the top-N items, the rest counted; DSR below peers or falling.

Review frames come in both real shapes: 评价等级 好评/中评/差评, and 评分 1–5 stars without a level."""

from __future__ import annotations

import pandas as pd
import pytest

from shopdoc.api import build_report, load
from shopdoc.config import Config, merge
from shopdoc.dataset import Dataset
from shopdoc.engine import run_rules
from shopdoc.rules.reviews import excerpt

DAY = "2026-11-22"
NEGATIVE = "reviews.negative_top_items"
DSR = "reviews.dsr_drop"


def items(visitors: dict[str, float]) -> pd.DataFrame:
    rows = [{"date": DAY, "item_id": item_id, "item_name": f"商品{item_id}", "visitors": count,
             "_file": "商品排行.xls", "_row": 6 + n} for n, (item_id, count) in enumerate(visitors.items())]
    return pd.DataFrame(rows)


# Seven items: 1001 has the most visitors, 1006 and 1007 are outside the top 5.
TRAFFIC = {"1001": 9000.0, "1002": 5000.0, "1003": 3000.0, "1004": 2000.0, "1005": 1500.0, "1006": 900.0, "1007": 50.0}


def reviews(rows: list[dict], day: str = DAY) -> pd.DataFrame:
    base = {"date": day, "_file": "评价管理.xlsx"}
    frame = pd.DataFrame([{**base, "_row": 2 + n, **row} for n, row in enumerate(rows)])
    for name in ("item_id", "order_id"):
        if name in frame.columns:
            frame[name] = frame[name].astype("str")
    return frame


def run(frames: dict, user: dict | None = None, lang: str = "zh", rule_id: str = NEGATIVE):
    state = run_rules(Dataset(frames=frames), Config(merge(user or {})), DAY, lang)
    return [f for f in state.findings if f.rule == rule_id], [s for s in state.skipped if s.rule == rule_id]


# -- excerpts -----------------------------------------------------------------------------------------
def test_excerpt_skips_placeholders_and_cuts_to_60_characters():
    assert excerpt("此用户没有填写评价。", "追评：穿了一周就起球") == "追评：穿了一周就起球"
    assert excerpt("评价方未及时做出评价，系统默认好评！") is None  # full-width punctuation too
    assert excerpt("此用户未填写评价内容", None) is None
    long = "质量很差" * 20
    cut = excerpt(long)
    assert len(cut) == 60 and cut.endswith("…") and cut.startswith("质量很差")
    assert excerpt("  衣服\n有线头  ") == "衣服 有线头"


# -- reviews.negative_top_items: levels -----------------------------------------------------------------
LEVELS = [
    {"item_id": "1001", "item_name": "商品1001", "level": "差评", "content": "起球严重，和图片颜色差很多", "order_id": "3345566778899"},
    {"item_id": "1003", "item_name": "商品1003", "level": "中评", "content": "此用户没有填写评价。", "order_id": "3345566778800"},
    {"item_id": "1001", "item_name": "商品1001", "level": "好评", "content": "很好", "order_id": "3345566778801"},
    {"item_id": "1006", "item_name": "商品1006", "level": "差评", "content": "破了", "order_id": "3345566778802"},
    {"item_id": "1007", "item_name": "商品1007", "level": "中评", "content": "一般", "order_id": "3345566778803"},
    {"item_id": "1007", "item_name": "商品1007", "level": "差评", "content": "退货", "order_id": "3345566778804"},
]


def test_one_critical_per_negative_review_on_the_top_items():
    found, _ = run({"item_daily": items(TRAFFIC), "review": reviews(LEVELS)})
    critical = [f for f in found if f.severity == "critical"]
    assert [f.subject for f in critical] == ["review:3345566778899", "review:3345566778800"]
    first = critical[0]
    assert first.owner == "service"
    assert first.evidence["excerpt"] == "起球严重，和图片颜色差很多"
    assert first.evidence["order_id"] == "3345566778899" and first.evidence["rank"] == 1
    assert first.title == "「商品1001」（流量第 1 名）新增差评：起球严重，和图片颜色差很多"
    assert "订单 3345566778899" in first.action
    assert critical[1].evidence["excerpt"] is None
    assert critical[1].title.endswith("新增中评：（买家没写内容）")


def test_negatives_on_other_items_are_counted_in_one_info():
    found, _ = run({"item_daily": items(TRAFFIC), "review": reviews(LEVELS)})
    [others] = [f for f in found if f.severity == "info"]
    assert others.evidence["count"] == 3
    assert others.evidence["items"][0] == {"item_id": "1007", "item_name": "商品1007", "count": 2}
    assert others.title == "其他款新增 3 条中差评（只计数）：「商品1007」2 条、「商品1006」1 条"


@pytest.mark.parametrize(("top_n", "critical"), [(5, 2), (6, 3)])
def test_top_n_decides_which_items_are_raised(top_n, critical):
    found, _ = run({"item_daily": items(TRAFFIC), "review": reviews(LEVELS)}, {"rules": {NEGATIVE: {"top_n": top_n}}})
    assert len([f for f in found if f.severity == "critical"]) == critical


def test_only_the_report_days_reviews_are_new():
    old = reviews(LEVELS[:1], day="2026-11-21")
    found, _ = run({"item_daily": items(TRAFFIC), "review": pd.concat([old, reviews(LEVELS[1:2])], ignore_index=True)})
    assert [f.subject for f in found] == ["review:3345566778800"]


def test_the_same_review_in_two_files_is_raised_once():
    twice = pd.concat([reviews(LEVELS[:1]), reviews(LEVELS[:1]).assign(_file="评价管理(1).xlsx")], ignore_index=True)
    found, _ = run({"item_daily": items(TRAFFIC), "review": twice})
    assert len(found) == 1


# -- star ratings -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("rating", "negative"), [(1, True), (3, True), (4, False), (5, False)])
def test_star_ratings_at_or_under_three_are_negative(rating, negative):
    frame = reviews([{"item_id": "1002", "rating": float(rating), "content": "尺码偏小", "order_id": "2001"}])
    found, _ = run({"item_daily": items(TRAFFIC), "review": frame})
    assert bool(found) is negative
    if negative:
        assert found[0].title == f"「商品1002」（流量第 2 名）新增 {rating} 星评价：尺码偏小"


def test_a_review_without_an_order_id_points_at_its_row_in_english():
    frame = reviews([{"item_id": "1001", "rating": 2.0, "content": "Too small"}])
    [finding] = run({"item_daily": items(TRAFFIC), "review": frame}, lang="en")[0]
    assert finding.subject == "review:2"
    assert "row 2 of the review export" in finding.action
    assert finding.title == "New 2-star review on “商品1001” (#1 by visitors): Too small"


def test_reviews_matched_by_item_name_when_the_export_has_no_item_id():
    frame = reviews([{"item_name": "商品1002", "level": "差评", "content": "色差", "order_id": "9"}])
    [finding] = run({"item_daily": items(TRAFFIC), "review": frame})[0]
    assert finding.severity == "critical" and finding.evidence["rank"] == 2


# -- when the top items cannot be ranked ------------------------------------------------------------------
def test_without_an_item_export_negatives_are_only_counted_and_it_says_why():
    found, _ = run({"review": reviews(LEVELS)})
    [finding] = found
    assert finding.severity == "info" and finding.evidence["count"] == 5
    assert "没有商品导出" in finding.title
    assert finding.evidence["reviews"][0]["order_id"] == "3345566778899"


def test_without_an_item_export_the_configured_hero_is_still_raised():
    found, _ = run({"review": reviews(LEVELS)}, {"shop": {"hero_item": "1001"}})
    assert [f.severity for f in found] == ["critical", "info"]
    assert found[0].subject == "review:3345566778899"


def test_no_level_or_rating_column_is_a_skip():
    frame = reviews([{"item_id": "1001", "content": "一般", "order_id": "1"}])
    found, skipped = run({"item_daily": items(TRAFFIC), "review": frame})
    assert found == [] and "评价等级或评分" in skipped[0].reason


# -- reviews.dsr_drop ------------------------------------------------------------------------------------
def dsr(rows: dict[str, tuple[float, float, float]], peers: tuple[float, float, float] | None = (4.78, 4.80, 4.77)) -> pd.DataFrame:
    out = []
    for n, (day, (description, service, logistics)) in enumerate(rows.items()):
        row = {"date": day, "description": description, "service": service, "logistics": logistics,
               "_file": "店铺DSR.xlsx", "_row": 2 + n}
        if peers:
            row.update(peer_description=peers[0], peer_service=peers[1], peer_logistics=peers[2])
        out.append(row)
    return pd.DataFrame(out)


@pytest.mark.parametrize(("description", "below"), [(4.77, True), (4.78, False), (4.79, False)])
def test_dsr_below_peer_both_sides(description, below):
    found, _ = run({"dsr": dsr({DAY: (description, 4.85, 4.80)})}, rule_id=DSR)
    below_peer = [f for f in found if "低于同行" in f.title]
    assert bool(below_peer) is below
    if below:
        assert below_peer[0].evidence["scores"] == {"description": {"value": 4.77, "peer": 4.78, "gap": pytest.approx(0.01)}}
        assert below_peer[0].title == "店铺DSR低于同行平均：描述相符 4.77（同行 4.78）"


@pytest.mark.parametrize(("today", "falling"), [(4.78, True), (4.79, False)])  # -0.02 and -0.01 within 7 days
def test_dsr_falling_both_sides_of_the_drop(today, falling):
    frame = dsr({"2026-11-15": (4.80, 4.85, 4.80), "2026-11-18": (4.79, 4.85, 4.80), DAY: (today, 4.85, 4.80)}, peers=None)
    found, _ = run({"dsr": frame}, rule_id=DSR)
    assert bool(found) is falling
    if falling:
        [finding] = found
        assert finding.evidence["compare_date"] == "2026-11-15"
        assert finding.title == "店铺DSR在下降（和 11-15 比）：描述相符 4.80 → 4.78（-0.02）"


def test_dsr_falling_ignores_days_outside_the_window():
    frame = dsr({"2026-11-10": (4.90, 4.90, 4.90), "2026-11-20": (4.80, 4.85, 4.80), DAY: (4.80, 4.85, 4.80)}, peers=None)
    found, _ = run({"dsr": frame}, rule_id=DSR)
    assert found == []


def test_dsr_without_earlier_days_says_it_cannot_judge_a_fall():
    found, skipped = run({"dsr": dsr({DAY: (4.90, 4.90, 4.90)})}, rule_id=DSR)
    assert found == [] and "之前几天" in skipped[0].reason


def test_dsr_uses_the_latest_day_before_the_report_day_when_it_has_none():
    found, _ = run({"dsr": dsr({"2026-11-20": (4.70, 4.85, 4.80)})}, rule_id=DSR, lang="en")
    assert found[0].evidence["date"] == "2026-11-20"
    assert found[0].title == "The shop's DSR is below the peer average: item as described 4.70 (peers 4.78)"


# -- end to end: a review export and an item ranking read from files ------------------------------------------
def test_end_to_end_from_review_and_item_files(tmp_path):
    from exports import dsr_xlsx, reviews_xlsx, sycm_item

    sycm_item(tmp_path / "【生意参谋平台】商品_全部.xls",
              [{"统计日期": DAY, "商品ID": item_id, "商品名称": f"商品{item_id}", "商品访客数": visitors}
               for item_id, visitors in TRAFFIC.items()], DAY, DAY)
    reviews_xlsx(tmp_path / "评价管理.xlsx", [
        {"评价时间": f"{DAY} 10:21:05", "商品ID": "1002", "商品名称": "商品1002", "评价等级": "差评",
         "评价内容": "发错颜色了，客服一直不回复", "订单号": "3345566778899", "买家昵称": "t**1"},
        {"评价时间": f"{DAY} 12:00:00", "商品ID": "1007", "商品名称": "商品1007", "评价等级": "中评",
         "评价内容": "评价方未及时做出评价,系统默认好评!", "订单号": "3345566778898"},
        {"评价时间": f"{DAY} 13:00:00", "商品ID": "1001", "商品名称": "商品1001", "评价等级": "好评",
         "评价内容": "很暖和", "订单号": "3345566778897"},
    ])
    dsr_xlsx(tmp_path / "店铺DSR.xlsx", [
        {"日期": "2026-11-16", "描述相符": 4.81, "服务态度": 4.83, "物流服务": 4.80},
        {"日期": DAY, "描述相符": 4.78, "服务态度": 4.83, "物流服务": 4.80, "同行平均描述相符": 4.79,
         "同行平均服务态度": 4.80, "同行平均物流服务": 4.77},
    ])
    config = Config(merge({}))
    report = build_report(load([str(tmp_path)], config), config, lang="zh")
    negative = [f for f in report.findings if f.rule == NEGATIVE]
    assert [(f.severity, f.subject) for f in negative] == [("critical", "review:3345566778899"), ("info", "shop")]
    assert report.findings[0] is negative[0]  # critical first on the morning list
    dsr_findings = sorted(f.title for f in report.findings if f.rule == DSR)
    assert dsr_findings == ["店铺DSR低于同行平均：描述相符 4.78（同行 4.79）",
                            "店铺DSR在下降（和 11-16 比）：描述相符 4.81 → 4.78（-0.03）"]
