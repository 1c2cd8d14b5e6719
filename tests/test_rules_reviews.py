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


# -- the follow-up review (追评): shown, and a failed compensation is escalated, never repeated -------------
FAILED_COMPENSATION = {"item_id": "1001", "item_name": "秋冬加厚高领羊毛衫女 套头慢热毛衣", "level": "差评", "rating": 1,
                       "content": "穿了两次就起球严重，领口也松了，和描述的不起球完全不符",
                       "append_content": "联系客服只给了5元补偿，不满意", "order_id": "3456789012345696547"}


def test_a_follow_up_saying_the_compensation_failed_escalates():
    [finding] = run({"item_daily": items(TRAFFIC), "review": reviews([FAILED_COMPENSATION])})[0]
    assert finding.title == ("「秋冬加厚高领羊毛衫女 套头慢热毛衣」（流量第 1 名）新增差评：穿了两次就起球严重，领口也松了，"
                             "和描述的不起球完全不符；追评：联系客服只给了5元补偿，不满意")
    assert finding.evidence["follow_up"] == "联系客服只给了5元补偿，不满意" and finding.evidence["compensation_failed"] is True
    assert "给合理补偿" not in finding.action and "直接返现" not in finding.action  # not the compensation that failed
    assert "客服主管打电话" in finding.action and "退货退款" in finding.action and "3456789012345696547" in finding.action


@pytest.mark.parametrize(("follow_up", "escalates"), [
    ("联系客服只给了5元补偿，不满意", True),
    ("返现才给3块，太少了", True),
    ("客服给了补偿，挺满意的", False),         # compensation that worked
    ("不满意，穿一次就起球", False),            # unhappy, but no compensation tried yet
    (None, False),
])
def test_escalation_needs_both_a_compensation_and_discontent(follow_up, escalates):
    row = {**FAILED_COMPENSATION, "append_content": follow_up}
    [finding] = run({"item_daily": items(TRAFFIC), "review": reviews([row])})[0]
    assert finding.evidence["compensation_failed"] is escalates
    assert ("客服主管打电话" in finding.action) is escalates
    assert ("给合理补偿（直接返现最有效）" in finding.action) is not escalates
    assert ("；追评：" in finding.title) is (follow_up is not None)


def test_the_follow_up_and_the_escalation_in_english():
    [finding] = run({"item_daily": items(TRAFFIC), "review": reviews([FAILED_COMPENSATION])}, lang="en")[0]
    assert finding.title.endswith("; follow-up: 联系客服只给了5元补偿，不满意")
    assert finding.action.startswith("The sooner the better, and escalate:")
    assert "do not offer the same again" in finding.action and "return with a full refund" in finding.action


def test_a_follow_up_read_from_a_review_export_column_named_追评(tmp_path):
    from exports import reviews_xlsx, sycm_item

    sycm_item(tmp_path / "【生意参谋平台】商品_全部.xls",
              [{"统计日期": DAY, "商品ID": item_id, "商品名称": f"商品{item_id}", "商品访客数": visitors}
               for item_id, visitors in TRAFFIC.items()], DAY, DAY)
    reviews_xlsx(tmp_path / "评价管理.xlsx", [
        {"评价时间": f"{DAY} 10:21:05", "商品ID": "1001", "商品名称": "商品1001", "评价等级": "差评",
         "评价内容": "起球严重", "追评": "联系客服只给了5元补偿，不满意", "订单号": "3345566778899"},
    ], headers={"评价时间": "text", "商品ID": "text", "商品名称": "text", "评价等级": "text", "评价内容": "text",
                "追评": "text", "订单号": "text"})
    config = Config(merge({}))
    report = build_report(load([str(tmp_path)], config), config, lang="zh")
    [finding] = [f for f in report.findings if f.rule == NEGATIVE]
    assert finding.evidence["follow_up"] == "联系客服只给了5元补偿，不满意" and "退货退款" in finding.action


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
        [finding] = below_peer
        assert (finding.subject, finding.facet, finding.key) == ("shop", "description", "reviews.dsr_drop shop description")
        assert finding.evidence["value"] == 4.77 and finding.evidence["peer"] == 4.78
        assert finding.evidence["gap"] == pytest.approx(0.01)
        assert finding.title == "店铺DSR 描述相符 4.77，低于同行平均 4.78"
        assert finding.action.startswith("描述相符靠商品本身")


@pytest.mark.parametrize(("today", "falling"), [(4.78, True), (4.79, False)])  # -0.02 and -0.01 within 7 days
def test_dsr_falling_both_sides_of_the_drop(today, falling):
    frame = dsr({"2026-11-15": (4.80, 4.85, 4.80), "2026-11-18": (4.79, 4.85, 4.80), DAY: (today, 4.85, 4.80)}, peers=None)
    found, _ = run({"dsr": frame}, rule_id=DSR)
    assert bool(found) is falling
    if falling:
        [finding] = found
        assert finding.evidence["compare_date"] == "2026-11-15" and finding.facet == "description"
        assert finding.title == "店铺DSR 描述相符 在下降：4.80 → 4.78（和 11-15 比，-0.02）"


@pytest.mark.parametrize(("today", "peer", "keys"), [
    (4.74, 4.78, ["below_and_falling"]),   # the demo's 物流服务: one to-do with both facts
    (4.74, 4.70, ["falling"]),
    (4.80, 4.81, ["below_peer"]),
    (4.80, 4.79, []),
])
def test_one_finding_per_score_carrying_both_facts(today, peer, keys):
    frame = dsr({"2026-11-15": (4.85, 4.85, 4.81), DAY: (4.85, 4.85, today)}, peers=(4.80, 4.80, peer))
    found, _ = run({"dsr": frame}, rule_id=DSR)
    assert [f.msg for f in found] == keys
    assert len({f.key for f in found}) == len(found)
    if keys == ["below_and_falling"]:
        [finding] = found
        assert finding.key == "reviews.dsr_drop shop logistics"
        assert finding.title == "店铺DSR 物流服务 4.74，低于同行平均 4.78，而且还在下降（和 11-15 比：4.81 → 4.74，-0.07）"
        assert finding.evidence["drop"] == pytest.approx(0.07) and finding.evidence["gap"] == pytest.approx(0.04)
        assert finding.action.startswith("物流服务靠发货和快递") and "催仓库尽快发货" in finding.action


def test_two_scores_down_are_two_findings_with_their_own_keys_and_fixes():
    frame = dsr({"2026-11-15": (4.85, 4.85, 4.81), DAY: (4.75, 4.85, 4.74)}, peers=(4.80, 4.80, 4.78))
    found, _ = run({"dsr": frame}, rule_id=DSR, lang="en")
    assert [f.key for f in found] == ["reviews.dsr_drop shop description", "reviews.dsr_drop shop logistics"]
    assert found[0].action.startswith("Item as described comes from the item itself")
    assert found[1].title == ("The shop's DSR for shipping is 4.74, under the peer average of 4.78, and still falling "
                              "(4.81 on Nov 15 → 4.74, -0.07)")


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
    assert found[0].title == "The shop's DSR for item as described is 4.70, under the peer average of 4.78"


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
    # one score below its peers and falling: one to-do carrying both facts, not two on one subject
    dsr_findings = [(f.key, f.title) for f in report.findings if f.rule == DSR]
    assert dsr_findings == [("reviews.dsr_drop shop description",
                             "店铺DSR 描述相符 4.78，低于同行平均 4.79，而且还在下降（和 11-16 比：4.81 → 4.78，-0.03）")]
