"""Sales rules (003, 判断数据是否达标 and 店铺分析): the day's target, and the GMV split into
visitors × conversion × AOV against the day before and the same weekday last week.

Frames are shaped like the importer's canonical Sycm frames (several days in one shop frame, a
traffic-source frame whose 汇总 subtotal rows were dropped); one end-to-end test reads real-looking files.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math

import pandas as pd
import pytest

from shopdoc.api import build_report, load
from shopdoc.config import Config, merge
from shopdoc.dataset import Dataset
from shopdoc.engine import run_rules
from shopdoc.errors import ConfigError
from shopdoc.rules.sales import day_target, gmv_factors, split_gmv_change
from exports import every_finding

DAY = "2026-11-22"  # a Sunday
PREVIOUS = "2026-11-21"
LAST_WEEK = "2026-11-15"


def shop_frame(days: dict[str, dict]) -> pd.DataFrame:
    """Sycm 店铺整体, one row per day: visitors, buyers, GMV and the export's own rates."""
    rows = []
    for n, (day, values) in enumerate(days.items()):
        row = {"date": day, "visitors": 8000.0, "buyers": 160.0, "gmv": 40000.0, "bounce_rate": 0.55,
               "pages_per_visitor": 3.8, "_file": "【生意参谋平台】店铺整体.xls", "_row": 5 + n}
        row.update(values)
        row.setdefault("conversion_rate", row["buyers"] / row["visitors"] if row["visitors"] else float("nan"))
        row.setdefault("aov", row["gmv"] / row["buyers"] if row["buyers"] else float("nan"))
        rows.append(row)
    return pd.DataFrame(rows)


def source_frame(days: dict[str, dict[tuple[str, str], int]]) -> pd.DataFrame:
    """Sycm 店铺来源 after import: level-2 rows only (the 汇总 rows are dropped by the importer)."""
    rows = []
    for day, sources in days.items():
        for (level1, level2), visitors in sources.items():
            rows.append({"date": day, "carrier": "无线端", "source": level1, "source_detail": level2,
                         "visitors": float(visitors), "buyers": visitors * 0.02, "gmv": visitors * 0.02 * 250,
                         "_file": "无线店铺流量来源.csv", "_row": 7 + len(rows)})
    return pd.DataFrame(rows)


def run(frames: dict, user: dict | None = None, lang: str = "zh", date: str = DAY):
    return run_rules(Dataset(frames=frames), Config(merge(user or {})), date, lang)


def findings(state, rule_id: str):
    return [f for f in every_finding(state.findings) if f.rule == rule_id]


def skips(state, rule_id: str):
    return [s for s in state.skipped if s.rule == rule_id]


TARGET = {"rules": {"sales.daily_target": {"monthly_target": 900000}}}  # November: 30 days, 30,000 a day


# -- the day's share of the month -------------------------------------------------------------------
def test_day_target_even_split_is_month_over_days():
    assert day_target(DAY, 900000, None) == pytest.approx(900000 / 30)
    assert day_target("2026-02-10", 280000, None) == pytest.approx(10000)


def test_day_target_by_weekday_weights_adds_up_to_the_month():
    weights = [1, 1, 1, 1, 1.2, 2, 2]
    year, month = 2026, 11
    days = [dt.date(year, month, d).isoformat() for d in range(1, calendar.monthrange(year, month)[1] + 1)]
    shares = [day_target(day, 900000, weights) for day in days]
    assert sum(shares) == pytest.approx(900000)
    sunday, monday = day_target(DAY, 900000, weights), day_target("2026-11-23", 900000, weights)
    assert sunday == pytest.approx(2 * monday)


def test_weights_must_be_seven_numbers():
    with pytest.raises(ConfigError) as error:
        merge({"rules": {"sales.daily_target": {"weights": [1, 1, 1, 1, 1, 2]}}})
    assert error.value.key == "rules.sales.daily_target.weights"
    with pytest.raises(ConfigError):
        merge({"rules": {"sales": {"daily_target": {"weights": [0, 0, 0, 0, 0, 0, 0]}}}})
    merge({"rules": {"sales": {"daily_target": {"weights": [1, 1, 1, 1, 1.2, 1.5, 1.5]}}}})


# -- sales.daily_target -----------------------------------------------------------------------------
def test_daily_target_without_a_monthly_target_is_skipped_and_says_which_key():
    state = run({"shop_daily": shop_frame({DAY: {"gmv": 1000.0}})})
    assert findings(state, "sales.daily_target") == []
    assert "rules.sales.daily_target.monthly_target" in skips(state, "sales.daily_target")[0].reason


@pytest.mark.parametrize(
    ("gmv", "severity", "key"),
    [
        (20000.0, "critical", "critical"),  # 66.7%: under the 70% floor
        (21000.0, "warning", "below"),  # exactly 70%: at the floor is not under it
        (29999.0, "warning", "below"),
        (30000.0, "info", "reached"),  # on target
        (36000.0, "info", "reached"),
    ],
)
def test_daily_target_both_sides_of_target_and_floor(gmv, severity, key):
    state = run({"shop_daily": shop_frame({DAY: {"gmv": gmv}})}, TARGET)
    [finding] = findings(state, "sales.daily_target")
    assert finding.severity == severity
    assert finding.evidence["threshold"] == pytest.approx(30000)
    assert finding.evidence["value"] == pytest.approx(gmv)
    assert finding.evidence["completion"] == pytest.approx(gmv / 30000, abs=1e-4)  # evidence keeps 4 decimals
    if key == "reached":
        assert finding.money is None
        assert "达到日目标" in finding.title
    else:
        assert finding.money == pytest.approx(30000 - gmv)
        assert "没达到日目标" in finding.title or "不到 70%" in finding.title
    assert state.metrics["gmv_target"] == pytest.approx(30000)


def test_daily_target_above_names_what_went_well_against_the_day_before():
    shop = shop_frame({PREVIOUS: {"visitors": 8000.0, "buyers": 160.0, "gmv": 32000.0},
                       DAY: {"visitors": 9000.0, "buyers": 171.0, "gmv": 34200.0}})
    sources = source_frame({PREVIOUS: {("淘内免费", "手淘搜索"): 3000, ("付费流量", "直通车"): 2000},
                            DAY: {("淘内免费", "手淘搜索"): 3900, ("付费流量", "直通车"): 2000}})
    state = run({"shop_daily": shop, "traffic_source": sources},
                {"rules": {"sales.daily_target": {"monthly_target": 960000}}})  # 32,000 a day
    [finding] = findings(state, "sales.daily_target")
    assert finding.severity == "info"
    went_well = finding.evidence["went_well"]
    assert "visitors" in went_well and "source:淘内免费" in went_well
    assert "conversion_rate" not in went_well  # 171/9000 = 1.9% is below 160/8000 = 2.0%
    assert "访客数 +12.5%" in finding.action and "「淘内免费」访客多了 900" in finding.action
    assert finding.evidence["compare_date"] == PREVIOUS


def test_daily_target_below_names_what_fell_in_english():
    shop = shop_frame({PREVIOUS: {"visitors": 8000.0, "buyers": 160.0, "gmv": 32000.0},
                       DAY: {"visitors": 8000.0, "buyers": 120.0, "gmv": 24000.0}})
    state = run({"shop_daily": shop}, TARGET, lang="en")
    [finding] = findings(state, "sales.daily_target")
    assert finding.severity == "warning"
    assert finding.evidence["fell"] == ["conversion_rate"]
    assert "conversion 2.00% → 1.50%" in finding.action
    assert "below the day's target of ¥30,000" in finding.title


def test_daily_target_weekday_weights_change_the_day_target():
    weights = [1, 1, 1, 1, 1, 2, 2]
    state = run({"shop_daily": shop_frame({DAY: {"gmv": 40000.0}})},
                {"rules": {"sales.daily_target": {"monthly_target": 900000, "weights": weights}}})
    [finding] = findings(state, "sales.daily_target")
    # November 2026: 21 weekdays at 1 and 9 weekend days at 2, so a Sunday's share is 2/39 of the month.
    assert finding.evidence["threshold"] == pytest.approx(900000 * 2 / 39, abs=1e-3)
    assert finding.severity == "warning"  # 40,000 would beat the even 30,000 but not the Sunday's 46,154


def test_daily_target_without_an_earlier_day_says_it_cannot_tell():
    state = run({"shop_daily": shop_frame({DAY: {"gmv": 31000.0}})}, TARGET)
    [finding] = findings(state, "sales.daily_target")
    assert "没有前一天的数据" in finding.action


# -- the split --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("before", "after"),
    [
        ((8000, 160, 40000), (5600, 112, 28000)),  # visitors only
        ((8000, 160, 40000), (8000, 120, 30000)),  # conversion only
        ((8000, 160, 40000), (8000, 160, 30000)),  # AOV only
        ((8000, 160, 40000), (9100, 150, 47000)),  # all three, mixed signs
        ((120, 3, 297), (15000, 410, 123000)),  # a large jump
    ],
)
def test_split_contributions_add_up_exactly_to_the_change(before, after):
    contributions = split_gmv_change(before, after)
    assert set(contributions) == {"visitors", "conversion_rate", "aov"}
    assert sum(contributions.values()) == pytest.approx(after[2] - before[2], rel=1e-9, abs=1e-6)


def test_split_puts_a_pure_change_on_its_own_factor():
    visitors_only = split_gmv_change((8000, 160, 40000), (5600, 112, 28000))
    assert visitors_only["visitors"] == pytest.approx(-12000)
    assert visitors_only["conversion_rate"] == pytest.approx(0, abs=1e-9)
    assert visitors_only["aov"] == pytest.approx(0, abs=1e-9)


def test_factors_make_the_product_exact_whatever_the_export_gives():
    from_buyers = gmv_factors({"visitors": 8000, "gmv": 40000, "buyers": 160})
    from_rate = gmv_factors({"visitors": 8000, "gmv": 40000, "conversion_rate": 0.02})
    from_aov = gmv_factors({"visitors": 8000, "gmv": 40000, "aov": 250})
    for factors in (from_buyers, from_rate, from_aov):
        assert factors[1] == pytest.approx(160)
    assert gmv_factors({"visitors": 8000, "gmv": 40000}) is None


# -- sales.gmv_drivers ------------------------------------------------------------------------------
def _drivers(previous: dict, today: dict, **frames):
    state = run({"shop_daily": shop_frame({PREVIOUS: previous, DAY: today}), **frames})
    return findings(state, "sales.gmv_drivers"), state


def test_visitors_as_the_driver_names_the_source_that_lost_most():
    sources = source_frame({PREVIOUS: {("淘内免费", "手淘搜索"): 4000, ("淘内免费", "手淘推荐"): 1500, ("付费流量", "直通车"): 2500},
                            DAY: {("淘内免费", "手淘搜索"): 2200, ("淘内免费", "手淘推荐"): 1400, ("付费流量", "直通车"): 2000}})
    [finding], state = _drivers({"visitors": 8000.0, "buyers": 160.0, "gmv": 40000.0},
                                {"visitors": 5600.0, "buyers": 112.0, "gmv": 28000.0}, traffic_source=sources)
    evidence = finding.evidence
    assert evidence["driver"] == "visitors"
    assert evidence["change"] == pytest.approx(-0.30)
    assert sum(evidence["contributions"].values()) == pytest.approx(-12000, abs=0.01)
    assert evidence["source"] == "淘内免费"  # 5,500 → 3,600 over its second-level rows
    assert evidence["source_visitors_delta"] == pytest.approx(-1900)
    assert evidence["compare_date"] == PREVIOUS and evidence["compare"] == "previous_day"
    assert finding.severity == "warning" and finding.money == pytest.approx(12000)
    assert "主要是访客数少了" in finding.title and "「淘内免费」访客少了 1,900" in finding.action
    assert state.metrics["gmv_change_previous_day"] == pytest.approx(-0.30)


@pytest.mark.parametrize(("lost", "says"), [
    ({("淘内免费", "手淘搜索"): (4000, 2200)}, "「淘内免费」访客少了 1,800（-45.0%，「手淘搜索」就少了 1,800）：找推广一起查是哪块流量少了、"
                                          "为什么少（搜索排名、标题主图、搜索需求，出价管不了）"),
    ({("淘内免费", "手淘推荐"): (4000, 2200)}, "为什么少（主图点击率、收藏加购、上新和活动，出价管不了）"),
    ({("付费流量", "直通车"): (4000, 2200)}, "「付费流量」访客少了 1,800（-45.0%，「直通车」就少了 1,800）：找推广一起查是哪块流量少了、"
                                        "为什么少（计划、出价、预算、定向）"),
    ({("淘外流量", "抖音"): (4000, 2200)}, "为什么少（计划、出价、活动、排名）"),
])
def test_the_source_that_fell_is_named_down_to_its_second_level_with_causes_by_kind(lost, says):
    steady = {("自主访问", "购物车"): (1000, 1000)}
    sources = source_frame({PREVIOUS: {key: before for key, (before, _) in {**lost, **steady}.items()},
                            DAY: {key: now for key, (_, now) in {**lost, **steady}.items()}})
    [finding], _ = _drivers({"visitors": 5000.0, "buyers": 100.0, "gmv": 25000.0},
                            {"visitors": 3200.0, "buyers": 64.0, "gmv": 16000.0}, traffic_source=sources)
    assert says in finding.action


def test_conversion_as_the_driver():
    [finding], _ = _drivers({"visitors": 8000.0, "buyers": 160.0, "gmv": 40000.0},
                            {"visitors": 8100.0, "buyers": 120.0, "gmv": 30600.0})
    assert finding.evidence["driver"] == "conversion_rate"
    assert "转化率掉了" in finding.title
    assert "source" not in finding.evidence


def test_aov_as_the_driver():
    [finding], _ = _drivers({"visitors": 8000.0, "buyers": 160.0, "gmv": 40000.0},
                            {"visitors": 8000.0, "buyers": 162.0, "gmv": 32400.0})
    assert finding.evidence["driver"] == "aov"
    assert finding.evidence["contributions"]["aov"] < 0
    assert "客单价低了" in finding.title


def test_a_rise_is_info_naming_its_driver():
    [finding], _ = _drivers({"visitors": 8000.0, "buyers": 160.0, "gmv": 40000.0},
                            {"visitors": 10000.0, "buyers": 200.0, "gmv": 50000.0})
    assert finding.severity == "info" and finding.money is None
    assert finding.evidence["driver"] == "visitors" and finding.evidence["change"] == pytest.approx(0.25)
    assert "多了 25.0%" in finding.title


@pytest.mark.parametrize(("gmv_today", "speaks"), [(36000.0, True), (36001.0, False), (44000.0, True), (43999.0, False)])
def test_min_change_both_sides(gmv_today, speaks):
    found, _ = _drivers({"visitors": 8000.0, "buyers": 160.0, "gmv": 40000.0},
                        {"visitors": 8000.0, "buyers": 160.0, "gmv": gmv_today})
    assert bool(found) is speaks


def test_same_weekday_last_week_from_the_same_frame():
    shop = shop_frame({LAST_WEEK: {"visitors": 8000.0, "buyers": 160.0, "gmv": 40000.0},
                       DAY: {"visitors": 8000.0, "buyers": 120.0, "gmv": 30000.0}})
    state = run({"shop_daily": shop}, lang="en")
    [finding] = findings(state, "sales.gmv_drivers")
    assert finding.evidence["compare"] == "same_weekday_last_week"
    assert finding.evidence["compare_date"] == LAST_WEEK
    assert "the same day last week (Sunday Nov 15)" in finding.title


def test_both_comparisons_speak_when_both_moved():
    shop = shop_frame({LAST_WEEK: {"gmv": 50000.0}, PREVIOUS: {"gmv": 40000.0}, DAY: {"gmv": 30000.0}})
    found = findings(run({"shop_daily": shop}), "sales.gmv_drivers")
    # one story: the day before leads, the week compare is a part of it (the same lost sales)
    assert [f.evidence["compare"] for f in found] == ["previous_day", "same_weekday_last_week"]


@pytest.mark.parametrize(("visitors_before", "judged"), [(99.0, False), (100.0, True)])
def test_min_visitors_on_the_earlier_day(visitors_before, judged):
    found, state = _drivers({"visitors": visitors_before, "buyers": 4.0, "gmv": 1000.0},
                            {"visitors": 8000.0, "buyers": 160.0, "gmv": 40000.0})
    assert bool(found) is judged
    held = [s for s in skips(state, "sales.gmv_drivers") if s.subject == "previous_day"]
    assert bool(held) is not judged


def test_min_visitors_on_the_report_day():
    found, state = _drivers({"visitors": 8000.0, "buyers": 160.0, "gmv": 40000.0},
                            {"visitors": 99.0, "buyers": 2.0, "gmv": 500.0})
    assert found == []
    assert "99" in skips(state, "sales.gmv_drivers")[0].reason


def test_no_earlier_day_is_a_skip_not_a_finding():
    state = run({"shop_daily": shop_frame({DAY: {}})})
    assert findings(state, "sales.gmv_drivers") == []
    assert "历史" in skips(state, "sales.gmv_drivers")[0].reason


def test_undated_rows_do_not_count_as_an_earlier_day():
    shop = pd.concat([shop_frame({DAY: {"gmv": 30000.0}}),
                      shop_frame({PREVIOUS: {"gmv": 40000.0}}).assign(date=math.nan)], ignore_index=True)
    state = run({"shop_daily": shop})
    assert findings(state, "sales.gmv_drivers") == []


# -- end to end: real-looking Sycm files through the importer ----------------------------------------
def test_end_to_end_from_sycm_files(tmp_path):
    from exports import sycm_shop, sycm_sources

    sycm_shop(tmp_path / "【生意参谋平台】店铺整体.xls", [
        {"统计日期": PREVIOUS, "访客数": 8200, "支付金额": 41000, "支付买家数": 164, "支付转化率": 0.02, "客单价": 250},
        {"统计日期": DAY, "访客数": 5740, "支付金额": 28700, "支付买家数": 115, "支付转化率": 0.02, "客单价": 249.57},
    ], PREVIOUS, DAY)
    sycm_sources(tmp_path / "【生意参谋平台】无线店铺流量来源.csv", [
        {"统计日期": PREVIOUS, "流量载体": "无线端", "一级来源": "淘内免费", "二级来源": "手淘搜索", "访客数": 4000, "支付买家数": 80, "支付金额": 20000},
        {"统计日期": PREVIOUS, "流量载体": "无线端", "一级来源": "付费流量", "二级来源": "直通车", "访客数": 4200, "支付买家数": 84, "支付金额": 21000},
        {"统计日期": DAY, "流量载体": "无线端", "一级来源": "淘内免费", "二级来源": "手淘搜索", "访客数": 3900, "支付买家数": 78, "支付金额": 19500},
        {"统计日期": DAY, "流量载体": "无线端", "一级来源": "付费流量", "二级来源": "直通车", "访客数": 1840, "支付买家数": 37, "支付金额": 9200},
    ], PREVIOUS, DAY)
    config = Config(merge({"rules": {"sales.daily_target": {"monthly_target": 1500000}}}))
    report = build_report(load([str(tmp_path)], config), config, lang="zh")
    [drivers] = [f for f in every_finding(report.findings) if f.rule == "sales.gmv_drivers"]
    assert drivers.evidence["driver"] == "visitors"
    assert drivers.evidence["source"] == "付费流量"  # the 汇总 rows were not counted twice
    assert drivers.evidence["change"] == pytest.approx(28700 / 41000 - 1)
    [target] = [f for f in every_finding(report.findings) if f.rule == "sales.daily_target"]
    assert target.severity == "critical"  # 28,700 of 50,000 is under 70%
    assert target.money == pytest.approx(50000 - 28700)
    assert report.checklist  # the routine checklist still prints after the findings
