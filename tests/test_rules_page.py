"""Page health rules (003, 店铺页面检查): bounce rate, visit depth, shop AOV against the hero item.

Every threshold on both sides, the returning-visitor line, the minimum-sample guards, and what
happens when an export or a field is missing. Datasets are built directly from DataFrames.
"""

from __future__ import annotations

import pandas as pd
import pytest

from shopdoc.config import Config, merge
from shopdoc.dataset import Dataset
from shopdoc.engine import run_rules

DAY = "2026-11-22"


def shop_frame(**values) -> pd.DataFrame:
    row = {"date": DAY, "visitors": 8120.0, "pageviews": 32480.0, "bounce_rate": 0.55, "buyers": 180.0,
           "gmv": 47700.0, "_file": "店铺整体.csv", "_row": 5}
    row.update(values)
    return pd.DataFrame([{k: v for k, v in row.items() if v is not ...}])


def item_frame(rows: list[dict]) -> pd.DataFrame:
    base = {"date": DAY, "_file": "商品排行.csv"}
    return pd.DataFrame([{**base, "_row": 6 + n, **row} for n, row in enumerate(rows)])


def run(dataset: Dataset, user: dict | None = None, lang: str = "zh"):
    config = Config(merge(user or {}))
    return run_rules(dataset, config, DAY, lang)


def findings(state, rule_id: str):
    return [f for f in state.findings if f.rule == rule_id]


def skips(state, rule_id: str):
    return [s for s in state.skipped if s.rule == rule_id]


# -- page.bounce_rate ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("bounce", "severity", "threshold"),
    [
        (0.75, "critical", 0.70),
        (0.70, "critical", 0.70),  # at the pass line: fails
        (0.6999, "info", 0.60),  # just under: passes with the note to aim under 60%
        (0.60, "info", 0.60),
        (0.5999, None, None),  # under the aim: healthy, silent
    ],
)
def test_bounce_rate_both_sides_of_70_and_60(bounce, severity, threshold):
    state = run(Dataset(frames={"shop_daily": shop_frame(bounce_rate=bounce)}))
    found = findings(state, "page.bounce_rate")
    if severity is None:
        assert found == []
        assert skips(state, "page.bounce_rate") == []
        return
    assert [f.severity for f in found] == [severity]
    assert found[0].evidence["threshold"] == threshold
    assert found[0].evidence["value"] == pytest.approx(bounce)
    assert found[0].owner == "design" and found[0].subject == "shop"


def test_bounce_rate_critical_wording_says_fix_pages_before_traffic():
    state = run(Dataset(frames={"shop_daily": shop_frame(bounce_rate=0.712)}))
    finding = findings(state, "page.bounce_rate")[0]
    assert finding.title == "全店跳失率 71.2%，超过 70% 的及格线"
    assert "别加推广" in finding.action
    english = findings(run(Dataset(frames={"shop_daily": shop_frame(bounce_rate=0.712)}), lang="en"),
                       "page.bounce_rate")[0]
    assert english.title == "Shop bounce rate is 71.2%, above the 70% limit"


@pytest.mark.parametrize(
    ("bounce", "key_threshold", "severity"),
    [
        (0.52, 0.50, "critical"),  # returning-heavy shop over 50%: fails its own line
        (0.50, 0.50, "critical"),
        (0.4999, None, None),  # under 50%: healthy for a returning-heavy shop
        (0.72, 0.70, "critical"),  # over the general line too: reported against 70%
    ],
)
def test_bounce_rate_returning_heavy_shop_is_held_to_50(bounce, key_threshold, severity):
    frame = shop_frame(bounce_rate=bounce, returning_visitors=4060.0)  # 50% of 8120
    state = run(Dataset(frames={"shop_daily": frame}))
    found = findings(state, "page.bounce_rate")
    if severity is None:
        assert found == []
        return
    assert [f.severity for f in found] == [severity]
    assert found[0].evidence["threshold"] == key_threshold
    assert found[0].evidence["returning_share"] == pytest.approx(0.5)


def test_bounce_rate_returning_share_just_under_half_uses_the_general_lines():
    frame = shop_frame(bounce_rate=0.55, returning_visitors=4059.0)  # 49.99%
    assert findings(run(Dataset(frames={"shop_daily": frame})), "page.bounce_rate") == []
    frame = shop_frame(bounce_rate=0.62, returning_visitors=4059.0)
    assert [f.severity for f in findings(run(Dataset(frames={"shop_daily": frame})), "page.bounce_rate")] == ["info"]


def test_bounce_rate_minimum_visitors_guard():
    quiet = run(Dataset(frames={"shop_daily": shop_frame(bounce_rate=0.9, visitors=99.0, pageviews=300.0)}))
    assert findings(quiet, "page.bounce_rate") == []
    assert "99" in skips(quiet, "page.bounce_rate")[0].reason
    judged = run(Dataset(frames={"shop_daily": shop_frame(bounce_rate=0.9, visitors=100.0, pageviews=300.0)}))
    assert [f.severity for f in findings(judged, "page.bounce_rate")] == ["critical"]


# -- page.visit_depth ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("depth", "severity", "threshold"),
    [
        (2.2, "critical", 2.5),
        (2.5, "critical", 2.5),  # "at least 2.5": 2.5 itself does not pass (<= 2.5 critical)
        (2.51, "info", 3.5),
        (3.5, "info", 3.5),
        (3.51, None, None),  # above the aim: healthy
    ],
)
def test_visit_depth_both_sides_of_2_5_and_3_5(depth, severity, threshold):
    state = run(Dataset(frames={"shop_daily": shop_frame(pages_per_visitor=depth)}))
    found = findings(state, "page.visit_depth")
    if severity is None:
        assert found == []
        return
    assert [f.severity for f in found] == [severity]
    assert found[0].evidence["threshold"] == threshold


def test_visit_depth_derived_from_pageviews_when_the_column_is_missing():
    frame = shop_frame(pageviews=16240.0)  # 16240 / 8120 = 2.0 pages per visitor
    found = findings(run(Dataset(frames={"shop_daily": frame})), "page.visit_depth")
    assert [f.severity for f in found] == ["critical"]
    assert found[0].evidence["value"] == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("depth", "severity", "threshold"),
    [(3.9, "critical", 4.0), (4.0, "critical", 4.0), (4.01, None, None), (2.4, "critical", 2.5)],
)
def test_visit_depth_returning_heavy_shop_is_held_to_4(depth, severity, threshold):
    frame = shop_frame(pages_per_visitor=depth, returning_visitors=5000.0)
    found = findings(run(Dataset(frames={"shop_daily": frame})), "page.visit_depth")
    if severity is None:
        assert found == []
        return
    assert [(f.severity, f.evidence["threshold"]) for f in found] == [(severity, threshold)]


def test_visit_depth_minimum_visitors_guard():
    quiet = run(Dataset(frames={"shop_daily": shop_frame(visitors=80.0, pages_per_visitor=1.5)}))
    assert findings(quiet, "page.visit_depth") == []
    assert skips(quiet, "page.visit_depth")
    judged = run(Dataset(frames={"shop_daily": shop_frame(visitors=100.0, pages_per_visitor=1.5)}))
    assert [f.severity for f in findings(judged, "page.visit_depth")] == ["critical"]


def test_visit_depth_day_without_visitors_is_judged_not_crashed():
    """A day whose visitors cell is empty (blanked as impossible) must not break the rule."""
    frame = pd.concat([shop_frame(date="2026-11-21", pages_per_visitor=3.0),
                       shop_frame(visitors=float("nan"), pages_per_visitor=2.0)], ignore_index=True)
    state = run(Dataset(frames={"shop_daily": frame}))
    assert not [s for s in state.skipped if "internal error" in s.reason]
    assert [f.severity for f in findings(state, "page.visit_depth")] == ["critical"]


# -- page.aov_ratio --------------------------------------------------------------------------------
def aov_dataset(shop_aov: float, hero_aov: float, hero_buyers: float = 40.0, hero_id: str = "7781",
                shop_buyers: float = 180.0) -> Dataset:
    shop = shop_frame(aov=shop_aov, buyers=shop_buyers, gmv=shop_aov * shop_buyers)
    items = item_frame([
        {"item_id": hero_id, "item_name": "加厚羊毛大衣", "visitors": 3000.0, "buyers": hero_buyers,
         "gmv": hero_aov * hero_buyers},
        {"item_id": "5531", "item_name": "羊绒围巾", "visitors": 900.0, "buyers": 30.0, "gmv": 30.0 * 99},
    ])
    return Dataset(frames={"shop_daily": shop, "item_daily": items})


@pytest.mark.parametrize(
    ("shop_aov", "flagged"),
    [(200.0 * 1.29, True), (200.0 * 1.3, False), (200.0 * 1.31, False), (200.0, True)],
)
def test_aov_ratio_both_sides_of_1_3(shop_aov, flagged):
    state = run(aov_dataset(shop_aov=shop_aov, hero_aov=200.0))
    found = findings(state, "page.aov_ratio")
    assert bool(found) is flagged
    assert state.metrics["aov_ratio"] == pytest.approx(shop_aov / 200.0, abs=1e-3)
    if flagged:
        finding = found[0]
        assert finding.severity == "warning" and finding.owner == "design"
        assert finding.evidence["hero_item_id"] == "7781"
        # money: what today's 180 buyers would add at 1.3x the hero's AOV
        assert finding.money == pytest.approx(180 * (1.3 * 200.0 - shop_aov))
        assert "加厚羊毛大衣" in finding.title


def test_aov_ratio_hero_is_the_item_with_most_visitors_unless_configured():
    dataset = aov_dataset(shop_aov=250.0, hero_aov=214.0)  # 7781 has most visitors: 1.17x -> flagged
    state = run(dataset)
    assert findings(state, "page.aov_ratio")[0].evidence["hero_item_id"] == "7781"
    # configured hero 5531 (AOV 99): 250 / 99 = 2.5x -> healthy
    state = run(dataset, {"shop": {"hero_item": 5531}})
    assert findings(state, "page.aov_ratio") == []
    assert state.metrics["hero_item_id"] == "5531"


def test_aov_ratio_configured_hero_missing_from_export_is_skipped():
    state = run(aov_dataset(shop_aov=250.0, hero_aov=214.0), {"shop": {"hero_item": "9999"}})
    assert findings(state, "page.aov_ratio") == []
    assert "9999" in skips(state, "page.aov_ratio")[0].reason


def test_aov_ratio_minimum_hero_buyers_guard():
    quiet = run(aov_dataset(shop_aov=200.0, hero_aov=200.0, hero_buyers=9.0))
    assert findings(quiet, "page.aov_ratio") == []
    assert "9" in skips(quiet, "page.aov_ratio")[0].reason
    judged = run(aov_dataset(shop_aov=200.0, hero_aov=200.0, hero_buyers=10.0))
    assert len(findings(judged, "page.aov_ratio")) == 1


def test_aov_ratio_threshold_from_config():
    dataset = aov_dataset(shop_aov=200.0 * 1.4, hero_aov=200.0)
    assert findings(run(dataset), "page.aov_ratio") == []
    assert len(findings(run(dataset, {"rules": {"page.aov_ratio": {"min_ratio": 1.5}}}), "page.aov_ratio")) == 1


# -- missing inputs ----------------------------------------------------------------------------------
def test_missing_exports_skip_the_rules_without_error():
    state = run(Dataset(frames={"item_daily": item_frame([{"item_id": "1", "visitors": 10.0}])}))
    reasons = {s.rule: s.reason for s in state.skipped}
    assert reasons["page.bounce_rate"] == "没有 shop_daily 导出"
    assert reasons["page.visit_depth"] == "没有 shop_daily 导出"
    assert not [f for f in state.findings if f.rule.startswith("page.")]


def test_missing_field_skips_with_the_field_named():
    frame = shop_frame(bounce_rate=...)  # an export without 跳失率
    state = run(Dataset(frames={"shop_daily": frame}), lang="en")
    assert {s.rule: s.reason for s in state.skipped}["page.bounce_rate"] == "skipped, needs shop_daily.bounce_rate"
    # no item export: the AOV check says so instead of guessing a hero
    assert {s.rule: s.reason for s in state.skipped}["page.aov_ratio"] == "no item_daily export"
