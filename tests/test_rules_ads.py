"""ads.ctr_bid, ads.zero_click, ads.roi_breakeven on Datasets built from DataFrames.

Each account has a large "ballast" keyword that fixes the account's CTR, so a test keyword's CTR
can be placed just above or just below a band. The expected lines are computed from the same
numbers the test feeds in, never copied from the output.
"""

from __future__ import annotations

import pandas as pd
import pytest

from shopdoc.config import Config, merge
from shopdoc.dataset import Dataset
from shopdoc.engine import run_rules

DAY = "2026-11-22"


def ad_row(keyword: str | None, impressions: float, clicks: float, *, campaign: str = "爆款-连衣裙",
           ad_group: str = "夏装", bid: float | None = 1.00, cost: float | None = None, gmv: float | None = None,
           date: str | None = DAY, level: str | None = None, **extra) -> dict:
    cost = clicks * 1.0 if cost is None else cost
    return {
        "date": date,
        "level": level or ("keyword" if keyword else "campaign"),
        "campaign": campaign,
        "ad_group": ad_group if keyword else None,
        "keyword": keyword,
        "bid": bid if keyword else None,
        "impressions": impressions,
        "clicks": clicks,
        "cost": cost,
        "gmv": cost * 5 if gmv is None else gmv,
        **extra,
    }


def ballast(ctr: float = 0.02, impressions: float = 99_000, **kw) -> dict:
    """A steady keyword that sets the account CTR (ROI 5, well above break-even)."""
    return ad_row("ballast", impressions, round(impressions * ctr), **kw)


def dataset(rows: list[dict], shop: dict | None = None) -> Dataset:
    frames = {"ad_report": pd.DataFrame(rows)}
    if shop:
        frames["shop_daily"] = pd.DataFrame([{"date": DAY, **shop}])
    return Dataset(frames=frames)


def config(rules: dict | None = None, margin: float | None = None) -> Config:
    user: dict = {"rules": rules or {}}
    if margin is not None:
        user["shop"] = {"gross_margin": margin}
    return Config(merge(user))


def run(rows, *, rules=None, margin=None, shop=None, lang="en", date=DAY):
    return run_rules(dataset(rows, shop), config(rules, margin), date, lang)


def findings(state, rule: str, subject: str | None = None, owner: str | None = None):
    return [f for f in state.findings if f.rule == rule and (subject is None or f.subject == subject)
            and (owner is None or f.owner == owner)]


def skips(state, rule: str, subject: str | None = None):
    return [s for s in state.skipped if s.rule == rule and (subject is None or s.subject == subject)]


def one(items):
    assert len(items) == 1, items
    return items[0]


KW = "keyword:爆款-连衣裙/"


# -- ads.ctr_bid: bands ------------------------------------------------------------------------------
def test_high_ctr_with_good_roi_is_raised_by_the_step_with_contract_evidence():
    state = run([ballast(), ad_row("连衣裙 夏", 1000, 25, bid=1.23)])
    finding = one(findings(state, "ads.ctr_bid", KW + "连衣裙 夏"))
    account = (1980 + 25) / 100_000
    ev = finding.evidence
    assert finding.severity == "warning" and finding.owner == "promotion"
    assert ev["direction"] == "raise"
    assert ev["ctr"] == pytest.approx(0.025)
    assert ev["account_ctr"] == pytest.approx(account, abs=1e-4)
    assert ev["current_bid"] == 1.23
    assert ev["suggested_bid"] == 1.35  # 1.23 x 1.10 = 1.353, rounded to 0.01
    assert ev["change"] == pytest.approx((1.35 - 1.23) / 1.23, abs=1e-4)
    assert (ev["level"], ev["campaign"], ev["ad_group"], ev["keyword"]) == ("keyword", "爆款-连衣裙", "夏装", "连衣裙 夏")
    assert ev["impressions"] == 1000 and ev["clicks"] == 25 and ev["roi"] == 5
    assert "1.23" in finding.action and "1.35" in finding.action
    # Money for a raise: the window's sales times the raise.
    assert finding.money == pytest.approx(125 * (1.35 - 1.23) / 1.23)


def test_ctr_just_under_the_high_band_is_left_alone():
    state = run([ballast(), ad_row("连衣裙 夏", 1000, 24)])
    # 2.40% against 1.2 x 2.004% = 2.405%: not high.
    assert findings(state, "ads.ctr_bid", KW + "连衣裙 夏") == []


def test_low_ctr_is_lowered_on_one_side_of_the_low_band_only():
    state = run([ballast(), ad_row("低", 1000, 13, bid=0.87), ad_row("够", 1000, 14)])
    low = one(findings(state, "ads.ctr_bid", KW + "低"))
    assert low.evidence["direction"] == "lower"
    assert low.evidence["suggested_bid"] == 0.78  # 0.87 x 0.90 = 0.783
    assert low.evidence["change"] == pytest.approx((0.78 - 0.87) / 0.87, abs=1e-4)
    assert low.money == 13  # spend in the window
    # 1.40% against 0.7 x 1.997% = 1.398%: not low.
    assert findings(state, "ads.ctr_bid", KW + "够") == []


def test_high_ratio_and_low_ratio_come_from_the_config():
    rows = [ballast(), ad_row("高", 1000, 25), ad_row("低", 1000, 13)]
    state = run(rows, rules={"ads.ctr_bid": {"high_ratio": 1.5, "low_ratio": 0.5}})
    assert findings(state, "ads.ctr_bid", KW + "高") == []
    assert findings(state, "ads.ctr_bid", KW + "低") == []
    state = run(rows, rules={"ads.ctr_bid": {"high_ratio": 1.1, "low_ratio": 0.7}})
    assert one(findings(state, "ads.ctr_bid", KW + "高")).evidence["direction"] == "raise"


# -- ads.ctr_bid: minimum sample ---------------------------------------------------------------------
def test_under_min_impressions_is_a_hold_listed_with_its_numbers():
    state = run([ballast(), ad_row("小词", 499, 20), ad_row("够了", 500, 20)])
    assert findings(state, "ads.ctr_bid", KW + "小词") == []
    hold = one(skips(state, "ads.ctr_bid", KW + "小词"))
    assert hold.reason == "hold: not enough data: 499 impressions, needs 500"
    assert one(findings(state, "ads.ctr_bid", KW + "够了")).evidence["direction"] == "raise"


def test_a_raise_needs_min_clicks_but_a_cut_needs_only_impressions():
    rows = [ballast(ctr=0.01), ad_row("九", 500, 9), ad_row("十", 500, 10), ad_row("零", 600, 0)]
    state = run(rows)
    assert one(skips(state, "ads.ctr_bid", KW + "九")).reason == "hold: not enough data: 9 clicks, needs 10"
    assert one(findings(state, "ads.ctr_bid", KW + "十")).evidence["direction"] == "raise"
    assert one(findings(state, "ads.ctr_bid", KW + "零")).evidence["direction"] == "lower"


def test_min_impressions_and_min_clicks_come_from_the_config():
    rows = [ballast(ctr=0.01), ad_row("九", 300, 9)]
    state = run(rows, rules={"ads.ctr_bid": {"min_impressions": 300, "min_clicks": 5}})
    assert one(findings(state, "ads.ctr_bid", KW + "九")).evidence["direction"] == "raise"


def test_holds_beyond_list_holds_are_counted_in_one_line():
    rows = [ballast()] + [ad_row(f"长尾{i}", 100 + i, 1) for i in range(25)]
    state = run(rows, rules={"ads.ctr_bid": {"list_holds": 20}})
    held = [s for s in skips(state, "ads.ctr_bid") if s.subject]
    assert len(held) == 20
    assert held[0].subject == KW + "长尾24"  # most impressions first
    summary = one([s for s in skips(state, "ads.ctr_bid") if s.subject is None and "more" in s.reason])
    assert summary.reason == "hold: 5 more keywords under 500 impressions: not enough data"


# -- ads.ctr_bid: break-even -------------------------------------------------------------------------
def test_a_raise_needs_roi_at_or_above_break_even():
    # gross margin 25% -> break-even ROI exactly 4.0
    rows = [ballast(), ad_row("保本", 1000, 25, cost=25, gmv=100), ad_row("亏", 1000, 25, cost=25, gmv=99)]
    state = run(rows, margin=0.25)
    assert one(findings(state, "ads.ctr_bid", KW + "保本")).evidence["break_even"] == 4.0
    assert findings(state, "ads.ctr_bid", KW + "亏") == []
    note = one(skips(state, "ads.ctr_bid", KW + "亏"))
    assert "below break-even 4.00" in note.reason and "no raise" in note.reason


def test_break_even_follows_the_configured_gross_margin():
    rows = [ballast(), ad_row("三倍", 1000, 25, cost=25, gmv=75)]  # ROI 3.0
    assert findings(run(rows, margin=0.5), "ads.ctr_bid", KW + "三倍")  # break-even 2.0
    assert not findings(run(rows, margin=0.30), "ads.ctr_bid", KW + "三倍")  # break-even 3.33


def test_high_ctr_without_sales_data_is_held_not_raised():
    rows = [ballast(), ad_row("无成交", 1000, 25)]
    for row in rows:
        row.pop("gmv")
    state = run(rows)
    assert findings(state, "ads.ctr_bid", KW + "无成交") == []
    assert "no sales" in one(skips(state, "ads.ctr_bid", KW + "无成交")).reason


# -- ads.ctr_bid: pages first ------------------------------------------------------------------------
FAILING_PAGES = {"visitors": 5000, "bounce_rate": 0.75, "pages_per_visitor": 3.2}


def test_raises_are_held_while_bounce_rate_is_critical():
    state = run([ballast(), ad_row("连衣裙 夏", 1000, 25), ad_row("低", 1000, 10)], shop=FAILING_PAGES, lang="zh")
    assert any(f.rule == "page.bounce_rate" and f.severity == "critical" for f in state.findings)
    held = one(findings(state, "ads.ctr_bid", KW + "连衣裙 夏"))
    assert held.evidence["held"] is True
    assert held.severity == "info"  # the page finding is today's job; the raise only waits
    assert held.evidence["direction"] == "raise"
    assert "suggested_bid" not in held.evidence
    assert held.action.startswith("先把页面调好：跳失率 75.0%")
    assert "现在加价只会亏钱" in held.action
    # Cuts are not held: lowering a bad bid never needs good pages.
    assert one(findings(state, "ads.ctr_bid", KW + "低")).evidence["suggested_bid"] == 0.9


def test_raises_are_held_while_visit_depth_is_critical():
    shop = {"visitors": 5000, "bounce_rate": 0.50, "pages_per_visitor": 2.1}
    held = one(findings(run([ballast(), ad_row("连衣裙 夏", 1000, 25)], shop=shop), "ads.ctr_bid", KW + "连衣裙 夏"))
    assert held.evidence["held"] is True
    assert "pages per visitor is 2.10" in held.action


def test_raises_go_ahead_when_pages_pass():
    shop = {"visitors": 5000, "bounce_rate": 0.65, "pages_per_visitor": 3.0}
    finding = one(findings(run([ballast(), ad_row("连衣裙 夏", 1000, 25)], shop=shop), "ads.ctr_bid", KW + "连衣裙 夏"))
    assert "held" not in finding.evidence
    assert finding.evidence["suggested_bid"] == 1.1


# -- ads.ctr_bid: step, floor, ceiling ---------------------------------------------------------------
def test_the_step_is_capped_and_follows_the_ctr_lead_below_the_cap():
    rows = [ballast(), ad_row("一点三", 1000, 26), ad_row("三倍", 1000, 60)]
    state = run(rows, rules={"ads.ctr_bid": {"raise_step": 0.5}})
    account = (1980 + 26 + 60) / 100_000 * 100_000 / 101_000
    lead = 0.026 / account - 1
    assert 0.2 < lead < 0.5
    assert one(findings(state, "ads.ctr_bid", KW + "一点三")).evidence["suggested_bid"] == round(1 + lead, 2)
    assert one(findings(state, "ads.ctr_bid", KW + "三倍")).evidence["suggested_bid"] == 1.5  # capped at +50%


def test_bands_set_at_or_below_the_account_still_move_bids_the_right_way():
    rows = [ballast(), ad_row("略低", 1000, 19, bid=1.00)]  # 1.9% against ~2.0%
    state = run(rows, rules={"ads.ctr_bid": {"high_ratio": 0.9, "low_ratio": 0.5}})
    assert one(findings(state, "ads.ctr_bid", KW + "略低")).evidence["suggested_bid"] == 1.10


def test_max_bid_caps_a_raise_and_stops_one_already_at_it():
    rows = [ballast(), ad_row("差一点", 1000, 25, bid=1.20), ad_row("到顶", 1000, 25, bid=1.30)]
    state = run(rows, rules={"ads.ctr_bid": {"max_bid": 1.25}})
    assert one(findings(state, "ads.ctr_bid", KW + "差一点")).evidence["suggested_bid"] == 1.25
    assert findings(state, "ads.ctr_bid", KW + "到顶") == []
    assert "ceiling" in one(skips(state, "ads.ctr_bid", KW + "到顶")).reason


def test_min_bid_floors_a_cut_and_a_bid_at_the_floor_is_told_to_pause():
    rows = [ballast(), ad_row("差一点", 1000, 5, bid=0.11), ad_row("到底", 1000, 5, bid=0.10)]
    state = run(rows)
    assert one(findings(state, "ads.ctr_bid", KW + "差一点")).evidence["suggested_bid"] == 0.10
    floor = one(findings(state, "ads.ctr_bid", KW + "到底"))
    assert floor.evidence["direction"] == "lower"
    assert "suggested_bid" not in floor.evidence
    assert "pause or delete" in floor.action
    state = run(rows, rules={"ads.ctr_bid": {"min_bid": 0.05}})
    assert one(findings(state, "ads.ctr_bid", KW + "到底")).evidence["suggested_bid"] == 0.09


def test_suggested_bids_round_to_the_cent_without_overshooting_the_step():
    rows = [ballast(), ad_row("半分", 1000, 25, bid=1.25), ad_row("降半分", 1000, 10, bid=0.75),
            ad_row("一分", 1000, 25, bid=0.05)]
    state = run(rows)
    assert one(findings(state, "ads.ctr_bid", KW + "半分")).evidence["suggested_bid"] == 1.37  # 1.375
    assert one(findings(state, "ads.ctr_bid", KW + "降半分")).evidence["suggested_bid"] == 0.68  # 0.675
    # 0.05 + 10% = 0.055: the smallest real raise is one cent.
    assert one(findings(state, "ads.ctr_bid", KW + "一分")).evidence["suggested_bid"] == 0.06


def test_keywords_without_a_bid_in_the_export_are_told_in_keyword_terms():
    rows = [ballast(bid=None), ad_row("高", 1000, 25, bid=None), ad_row("低", 1000, 10, bid=None),
            ad_row("亏", 2000, 50, bid=None, cost=100, gmv=300)]
    state = run(rows, lang="zh")
    raised = one(findings(state, "ads.ctr_bid", KW + "高"))
    assert raised.action.startswith("把这个词的出价提高 10%（导出里没有当前出价）")
    assert raised.evidence["current_bid"] is None and "suggested_bid" not in raised.evidence
    assert one(findings(state, "ads.ctr_bid", KW + "低")).action.startswith("把这个词的出价降低 10%")
    cut = one(findings(state, "ads.roi_breakeven", KW + "亏"))
    assert cut.action.startswith("把这个词的出价降低 10%") and cut.evidence["change"] == -0.1


# -- ads.ctr_bid: the window -------------------------------------------------------------------------
def test_only_the_window_is_judged_and_its_length_is_configurable():
    rows = [
        ballast(),
        ad_row("旧爆", 5000, 500, date="2026-11-15"),  # 8 days before: outside a 7-day window
        ad_row("旧爆", 1000, 10, date="2026-11-16"),  # 7th day back: inside
        ad_row("旧爆", 1000, 10, date="2026-11-23"),  # after the report day: never counted
    ]
    state = run(rows)
    week = one(findings(state, "ads.ctr_bid", KW + "旧爆"))
    assert week.evidence["direction"] == "lower"
    assert week.evidence["impressions"] == 1000
    fortnight = one(findings(run(rows, rules={"ads.ctr_bid": {"window_days": 14}}), "ads.ctr_bid", KW + "旧爆"))
    assert fortnight.evidence["direction"] == "raise"
    assert fortnight.evidence["impressions"] == 6000


def test_a_report_entirely_outside_the_window_is_skipped_with_the_reason():
    state = run([ballast(date="2026-11-01"), ad_row("旧", 1000, 0, date="2026-11-01")])
    assert [f for f in state.findings if f.rule.startswith("ads.")] == []
    assert {s.rule: s.reason for s in state.skipped if s.rule.startswith("ads.")} == {
        "ads.ctr_bid": "no ad rows in the window",
        "ads.zero_click": "no keyword-level ad rows in the window",
        "ads.roi_breakeven": "no ad rows in the window",
    }


def test_undated_rows_and_periods_reaching_into_the_window_count():
    rows = [
        ballast(),
        ad_row("无日期", 1000, 25, date=None),
        ad_row("区间", 1000, 25, date="2026-10-24", end_date=DAY),  # Amazon: Start Date .. End Date
        ad_row("过期", 1000, 25, date="2026-10-01", end_date="2026-10-31"),
    ]
    state = run(rows)
    assert one(findings(state, "ads.ctr_bid", KW + "无日期")).evidence["direction"] == "raise"
    assert one(findings(state, "ads.ctr_bid", KW + "区间")).evidence["direction"] == "raise"
    assert findings(state, "ads.ctr_bid", KW + "过期") == []
    assert skips(state, "ads.ctr_bid", KW + "过期") == []


def test_the_current_bid_is_the_latest_days_bid():
    rows = [ballast(), ad_row("改过价", 500, 13, bid=0.80, date="2026-11-20"),
            ad_row("改过价", 500, 12, bid=1.00, date="2026-11-21")]
    finding = one(findings(run(rows), "ads.ctr_bid", KW + "改过价"))
    assert finding.evidence["current_bid"] == 1.00


# -- ads.ctr_bid: derived rates ----------------------------------------------------------------------
def test_ctr_comes_from_summed_counts_not_averaged_daily_rates():
    rows = [
        ballast(),
        ad_row("两天", 1000, 50, date="2026-11-21", ctr=0.05),
        ad_row("两天", 9000, 80, date="2026-11-22", ctr=0.0089),
    ]
    finding = one(findings(run(rows), "ads.ctr_bid", KW + "两天"))
    # 1.30% from the sums, against an account of 2.11k / 109k = 1.94%: low.
    # Averaging the daily rates would say (5% + 0.89%) / 2 = 2.9%: high.
    assert finding.evidence["ctr"] == pytest.approx(130 / 10_000)
    assert finding.evidence["direction"] == "lower"


def test_missing_impressions_come_from_ctr_and_missing_sales_from_roi():
    rows = [ballast(), ad_row("推算", None, 25, cost=25, ctr=0.025), ad_row("投产", 1000, 25, cost=25, roi=4.0)]
    rows[2].pop("gmv")
    for row in rows[:2]:
        row["roi"] = None
    state = run(rows, margin=0.25)
    derived = one(findings(state, "ads.ctr_bid", KW + "推算"))
    assert derived.evidence["impressions"] == 1000
    roi = one(findings(state, "ads.ctr_bid", KW + "投产"))
    assert roi.evidence["roi"] == 4.0 and roi.evidence["gmv"] == 100


# -- ads.ctr_bid: currencies -------------------------------------------------------------------------
def test_each_currency_has_its_own_account_ctr_and_mixed_subjects_are_skipped():
    rows = [
        ballast(ctr=0.01, currency="CNY"),
        ad_row("shoes", 99_000, 4950, campaign="US", currency="USD"),  # USD account CTR 5%
        ad_row("boots", 1000, 50, campaign="US", currency="USD"),
        ad_row("两种钱", 600, 30, currency="CNY", date="2026-11-21"),
        ad_row("两种钱", 600, 30, currency="USD", date="2026-11-22"),
    ]
    state = run(rows)
    # 5% beats the CNY account's 1% but is ordinary among USD keywords.
    assert findings(state, "ads.ctr_bid", "keyword:US/boots") == []
    assert findings(state, "ads.ctr_bid", KW + "两种钱") == []
    assert "mixed currencies" in one(skips(state, "ads.ctr_bid", KW + "两种钱")).reason


# -- ads.ctr_bid: campaigns --------------------------------------------------------------------------
def test_campaigns_from_keyword_rows_speak_of_budget_and_low_ones_get_a_creative_task():
    rows = [
        ad_row("a", 50_000, 1000, campaign="稳定"),
        ad_row("b", 25_000, 200, campaign="弱计划"),
        ad_row("c", 25_000, 200, campaign="弱计划"),
        ad_row("d", 20_000, 600, campaign="强计划", gmv=3000),
    ]
    state = run(rows, lang="zh")
    weak = one(findings(state, "ads.ctr_bid", "campaign:弱计划", owner="promotion"))
    assert weak.evidence["impressions"] == 50_000 and weak.evidence["ctr"] == pytest.approx(0.008)
    assert weak.evidence["account_ctr"] == pytest.approx(2000 / 120_000, abs=1e-4)
    assert "current_bid" in weak.evidence and weak.evidence["current_bid"] is None
    assert "日限额" in weak.action
    creative = one(findings(state, "ads.ctr_bid", "campaign:弱计划", owner="design"))
    assert "换主图" in creative.action and "测图" in creative.action
    strong = one(findings(state, "ads.ctr_bid", "campaign:强计划"))
    assert strong.evidence["direction"] == "raise" and "日限额" in strong.action
    assert "suggested_bid" not in strong.evidence
    # Low-CTR keywords get no creative task: their problem is the keyword, not the image.
    assert not [f for f in state.findings if f.owner == "design" and f.subject.startswith("keyword:")]


def test_campaign_rows_win_over_the_same_days_keyword_rows():
    rows = [
        ad_row(None, 30_000, 900, campaign="爆款-连衣裙"),
        ad_row("a", 10_000, 200),
        ad_row("b", 10_000, 200),
        ad_row(None, 30_000, 300, campaign="其他"),
    ]
    state = run(rows)
    finding = one(findings(state, "ads.ctr_bid", "campaign:爆款-连衣裙"))
    assert finding.evidence["impressions"] == 30_000  # not 50,000


def test_totals_rows_are_never_judged():
    rows = [
        ballast(),
        ad_row("合计", 1000, 200),
        ad_row(None, 200_000, 100, campaign="合计"),
        ad_row("x", 1000, 200, campaign="Total: Account"),
        ad_row("低", 1000, 10),
    ]
    state = run(rows)
    subjects = {f.subject for f in state.findings} | {s.subject for s in state.skipped}
    assert not [s for s in subjects if s and ("合计" in s or "Total" in s)]
    # and they do not count toward the account CTR either
    assert one(findings(state, "ads.ctr_bid", KW + "低")).evidence["account_ctr"] == pytest.approx(1990 / 100_000, abs=1e-4)


def test_wording_reads_like_an_operator_in_both_languages():
    rows = [ballast(), ad_row("连衣裙 夏", 1000, 25), ad_row("低", 1000, 10)]
    zh = run(rows, lang="zh")
    raise_zh = one(findings(zh, "ads.ctr_bid", KW + "连衣裙 夏"))
    assert "点击率 2.50%" in raise_zh.title and "投产比" in raise_zh.title
    assert raise_zh.action.startswith("出价从 1.00 加到 1.10")
    assert "降到 0.90" in one(findings(zh, "ads.ctr_bid", KW + "低")).action
    en = run(rows, lang="en")
    assert one(findings(en, "ads.ctr_bid", KW + "连衣裙 夏")).action.startswith("Raise the bid from 1.00 to 1.10")


def test_severity_and_owner_follow_the_config():
    state = run([ballast(), ad_row("低", 1000, 10)], rules={"ads.ctr_bid": {"severity": "info", "owner": "operations"}})
    finding = one(findings(state, "ads.ctr_bid", KW + "低"))
    assert (finding.severity, finding.owner) == ("info", "operations")


# -- ads.zero_click ----------------------------------------------------------------------------------
def test_zero_click_keywords_at_min_impressions_are_flagged_and_below_held():
    rows = [ballast(), ad_row("零点击", 1000, 0, cost=3.5), ad_row("差一次", 999, 0), ad_row("有点击", 1000, 1)]
    state = run(rows)
    flagged = one(findings(state, "ads.zero_click", KW + "零点击"))
    assert flagged.evidence["impressions"] == 1000 and flagged.evidence["clicks"] == 0
    assert flagged.money == 3.5
    assert "Pause or delete" in flagged.action and "3.50" in flagged.action
    assert one(skips(state, "ads.zero_click", KW + "差一次")).reason == "hold: not enough data: 999 impressions, needs 1,000"
    assert findings(state, "ads.zero_click", KW + "有点击") == []
    # ctr_bid leaves it to zero_click: no contradicting "lower the bid 10%" beside "pause".
    assert findings(state, "ads.ctr_bid", KW + "零点击") == []
    assert one(findings(state, "ads.ctr_bid", KW + "差一次")).evidence["direction"] == "lower"


def test_zero_click_threshold_comes_from_the_config():
    rows = [ballast(), ad_row("零点击", 800, 0)]
    state = run(rows, rules={"ads.zero_click": {"min_impressions": 800}})
    assert findings(state, "ads.zero_click", KW + "零点击")
    state = run(rows, rules={"ads.zero_click": False})
    assert findings(state, "ads.zero_click") == []
    assert one(findings(state, "ads.ctr_bid", KW + "零点击")).evidence["direction"] == "lower"


def test_zero_click_needs_keyword_rows():
    state = run([ad_row(None, 5000, 0, campaign="计划")])
    assert findings(state, "ads.zero_click") == []
    assert skips(state, "ads.zero_click")


# -- ads.roi_breakeven -------------------------------------------------------------------------------
def roi_row(keyword, cost, gmv, clicks=50, bid=1.00, **kw):
    return ad_row(keyword, 2000, clicks, cost=cost, gmv=gmv, bid=bid, **kw)


def test_roi_below_break_even_is_cut_one_step_and_at_break_even_is_fine():
    # margin 25%: break-even 4.0, critical under 2.0
    state = run([ballast(), roi_row("亏", 100, 399), roi_row("平", 100, 400)], margin=0.25)
    cut = one(findings(state, "ads.roi_breakeven", KW + "亏"))
    assert cut.severity == "warning"
    assert cut.evidence["direction"] == "lower" and cut.evidence["suggested_bid"] == 0.9
    assert cut.evidence["break_even"] == 4.0 and cut.evidence["roi"] == pytest.approx(3.99)
    assert cut.money == pytest.approx(100 - 399 * 0.25)
    assert cut.evidence["loss"] == pytest.approx(0.25)
    assert findings(state, "ads.roi_breakeven", KW + "平") == []


def test_roi_under_the_critical_ratio_is_critical_pause():
    state = run([ballast(), roi_row("停", 100, 199), roi_row("降", 100, 200)], margin=0.25)
    pause = one(findings(state, "ads.roi_breakeven", KW + "停"))
    assert pause.severity == "critical" and pause.evidence["direction"] == "pause"
    assert "suggested_bid" not in pause.evidence
    assert pause.action.startswith("Pause it now")
    assert one(findings(state, "ads.roi_breakeven", KW + "降")).severity == "warning"
    state = run([ballast(), roi_row("停", 100, 199)], margin=0.25, rules={"ads.roi_breakeven": {"critical_ratio": 0}})
    assert one(findings(state, "ads.roi_breakeven", KW + "停")).severity == "warning"


def test_roi_needs_min_cost_and_min_clicks_else_holds():
    rows = [ballast(), roi_row("少花", 99.99, 0), roi_row("够花", 100, 0),
            roi_row("少点", 300, 0, clicks=19), roi_row("够点", 300, 0, clicks=20)]
    state = run(rows)
    assert one(skips(state, "ads.roi_breakeven", KW + "少花")).reason == "hold: not enough data: spent 99.99, needs 100"
    assert one(findings(state, "ads.roi_breakeven", KW + "够花")).severity == "critical"
    assert one(skips(state, "ads.roi_breakeven", KW + "少点")).reason == "hold: not enough data: 19 clicks, needs 20"
    assert one(findings(state, "ads.roi_breakeven", KW + "够点"))
    state = run(rows, rules={"ads.roi_breakeven": {"min_cost": 50, "min_clicks": 10}})
    assert findings(state, "ads.roi_breakeven", KW + "少花") and findings(state, "ads.roi_breakeven", KW + "少点")


def test_roi_cut_respects_the_floor_and_campaigns_without_bids_cut_budget():
    rows = [ballast(), roi_row("到底", 100, 350, bid=0.10), ad_row(None, 20_000, 300, campaign="亏计划", cost=300, gmv=1000)]
    state = run(rows, margin=0.25, lang="zh")
    floor = one(findings(state, "ads.roi_breakeven", KW + "到底"))
    assert floor.evidence["direction"] == "pause" and "下限" in floor.action
    assert "suggested_bid" not in floor.evidence
    campaign = one(findings(state, "ads.roi_breakeven", "campaign:亏计划"))
    assert campaign.severity == "warning" and campaign.evidence["roi"] == pytest.approx(1000 / 300, abs=1e-4)
    assert campaign.evidence["change"] == -0.1 and "suggested_bid" not in campaign.evidence
    assert "日限额" in campaign.action
    assert campaign.money == pytest.approx(300 - 1000 * 0.25)


def test_roi_breakeven_without_sales_columns_is_skipped_with_the_reason():
    rows = [ballast(), roi_row("亏", 100, 0)]
    for row in rows:
        row.pop("gmv")
    state = run(rows)
    assert findings(state, "ads.roi_breakeven") == []
    assert one(skips(state, "ads.roi_breakeven")).reason == "skipped, needs ad_report.gmv (or roi)"


def test_blank_sales_in_a_file_that_reports_sales_count_as_none_sold():
    rows = [ballast(_file="zhitongche.csv"), roi_row("没卖出", 200, None, _file="zhitongche.csv")]
    rows[1]["gmv"] = None
    state = run(rows)
    finding = one(findings(state, "ads.roi_breakeven", KW + "没卖出"))
    assert finding.evidence["roi"] == 0 and finding.money == 200


def test_rows_the_importer_warned_about_are_left_out():
    from shopdoc.model import DataWarning, InputFile

    rows = [ballast(_file="a.csv", _row=2), roi_row("坏行", 200, 0, _file="a.csv", _row=3)]
    data = dataset(rows)
    data.inputs.append(InputFile("a.csv", kind="ad_report", columns={"点击量": "clicks", "商品ID": "item_id"}, warnings=[
        DataWarning("a.csv", "clicks above impressions", row=3, column="点击量", value="2500")]))
    state = run_rules(data, config(), DAY, "en")
    assert findings(state, "ads.roi_breakeven", KW + "坏行") == []
    # A warning about a column the ad rules never read leaves the row in.
    data.inputs[0].warnings = [DataWarning("a.csv", "id in scientific notation", row=3, column="商品ID", value="1.07E+11")]
    state = run_rules(data, config(), DAY, "en")
    assert one(findings(state, "ads.roi_breakeven", KW + "坏行")).severity == "critical"


def test_break_even_is_reported_in_the_metrics():
    state = run([ballast()], margin=0.4)
    assert state.metrics["break_even_roi"] == 2.5


# -- one verdict per subject -------------------------------------------------------------------------
def _low_ctr_losing_campaign() -> list[dict]:
    # account CTR 2% from the ballast campaign; "清仓" has CTR 1% and ROI 2.0 (< 3.33) on 300 spend
    return [ballast(campaign="日常"), ad_row(None, 30_000, 300, campaign="清仓", cost=300, gmv=600)]


def test_low_ctr_below_break_even_is_cut_by_the_roi_rule_only_and_keeps_the_creative_task():
    state = run(_low_ctr_losing_campaign())
    assert one(findings(state, "ads.roi_breakeven", "campaign:清仓")).evidence["direction"] == "lower"
    ctr = findings(state, "ads.ctr_bid", "campaign:清仓")
    assert [f.owner for f in ctr] == ["design"]  # the new-creative task; no second bid cut for promotion
    assert ctr[0].evidence["direction"] == "creative"


def test_low_ctr_is_cut_by_the_ctr_rule_when_the_roi_rule_would_not_judge_it():
    for rules in ({"ads.roi_breakeven": False}, {"ads.roi_breakeven": {"min_cost": 301}}):
        state = run(_low_ctr_losing_campaign(), rules=rules)
        assert not findings(state, "ads.roi_breakeven", "campaign:清仓")
        lower = one(findings(state, "ads.ctr_bid", "campaign:清仓", owner="promotion"))
        assert lower.evidence["direction"] == "lower"
