"""Refunds: the refund rate by item (item.refund_rate) and ROI net of refunds in the ad rules.

Files are shaped like the real downloads: the 生意参谋 商品 export (.xls, its 成功退款金额 column) and
the 万相台 计划报表 zip. A refund rate is refunds ÷ sales over the window (7 days); an item is flagged
at 10% or more and twice the shop's rate; an ad that clears break-even on its gross ROI but not net
of refunds is cut, never raised.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from exports import days, sycm_item, wxt_plans_zip
from shopdoc.api import build_report
from shopdoc.config import Config, merge
from shopdoc.dataset import Dataset
from shopdoc.engine import run_rules
from shopdoc.io import load_paths

DAY = "2026-11-22"
WEEK = days(DAY, 7)
BALLAST = ("652300000001", "常规款毛衣", 100, 40_000.0, 0.02)  # id, name, buyers a day, sales a day, refund rate


def item_file(tmp_path: Path, items: list[tuple], *, week: list[str] = WEEK) -> Path:
    """(item id, name, buyers a day, sales a day, refund rate) per item, on every day of `week`."""
    records = []
    for day in week:
        for item_id, name, buyers, gmv, rate in items:
            records.append({"统计日期": day, "商品ID": item_id, "商品名称": name, "商品访客数": buyers * 40,
                            "支付买家数": buyers, "支付金额": gmv, "商品支付转化率": 1 / 40,
                            "成功退款金额": round(gmv * rate, 2) if rate is not None else None})
    return sycm_item(tmp_path / f"【生意参谋平台】商品_全部_{week[0]}_{week[-1]}.xls", records, week[0], week[-1])


def diagnose(*paths: Path, lang: str = "en", user: dict | None = None):
    config = Config(merge(user or {}))
    dataset = load_paths([str(p) for p in paths], config)
    assert all(item.status == "ok" for item in dataset.inputs), [(i.path, i.error) for i in dataset.inputs]
    return build_report(dataset, config, date=DAY, lang=lang)


def refunds(report, subject: str | None = None):
    return [f for f in report.findings if f.rule == "item.refund_rate" and (subject is None or f.subject == subject)
            or any(p.rule == "item.refund_rate" and (subject is None or p.subject == subject) for p in f.parts)]


def flagged(report) -> set[str]:
    found = set()
    for finding in report.findings:
        for part in [finding, *finding.parts]:
            if part.rule == "item.refund_rate" and part.msg == "high":
                found.add(part.subject)
    return found


# -- item.refund_rate ---------------------------------------------------------------------------------
@pytest.mark.parametrize("rate, high", [(0.099, False), (0.10, True), (0.15, True)])
def test_an_item_refunding_a_tenth_of_its_sales_is_flagged(tmp_path, rate, high):
    report = diagnose(item_file(tmp_path, [BALLAST, ("652300000002", "缩水打底衫", 40, 2_000.0, rate)]))
    assert ("item:652300000002" in flagged(report)) is high


@pytest.mark.parametrize("shop_rate, high", [(0.06, True), (0.065, False)])
def test_and_only_at_twice_the_shops_own_rate(tmp_path, shop_rate, high):
    """In a shop that refunds 6-7% of everything, a 12.5% item is flagged only at twice the shop."""
    ballast = BALLAST[:4] + (shop_rate,)
    report = diagnose(item_file(tmp_path, [ballast, ("652300000002", "缩水打底衫", 40, 400.0, 0.125)]))
    # The shop's rate is the items' refunds over their sales; the small item barely moves it.
    assert ("item:652300000002" in flagged(report)) is high


@pytest.mark.parametrize("buyers, judged", [(4, False), (5, True)])  # 28 and 35 buyers in the 7 days
def test_an_item_needs_30_buyers_in_the_window(tmp_path, buyers, judged):
    report = diagnose(item_file(tmp_path, [BALLAST, ("652300000002", "缩水打底衫", buyers, 2_000.0, 0.30)]))
    assert ("item:652300000002" in flagged(report)) is judged


def test_the_finding_says_refunds_rate_and_the_money_above_the_shops(tmp_path):
    report = diagnose(item_file(tmp_path, [BALLAST, ("652300000002", "缩水打底衫", 40, 2_000.0, 0.20)]), lang="zh")
    [finding] = [p for f in report.findings for p in [f, *f.parts] if p.rule == "item.refund_rate"]
    shop = (40_000 * 0.02 + 2_000 * 0.20) / 42_000
    assert finding.evidence["value"] == pytest.approx(0.20, abs=1e-4)
    assert finding.evidence["shop_refund_rate"] == pytest.approx(shop, abs=1e-4)
    assert finding.money == pytest.approx((0.20 - shop) * 2_000, rel=1e-3)  # per day above the shop's rate
    assert "近 7 天退款 2,800 元" in finding.title and "20%" in finding.title
    assert finding.owner == "service"


def test_without_a_refund_column_the_rule_says_so(tmp_path):
    report = diagnose(item_file(tmp_path, [BALLAST[:4] + (None,)]))
    assert any(s.rule == "item.refund_rate" and "refund" in s.reason for s in report.skipped)
    assert not flagged(report)


def test_the_lines_come_from_the_config(tmp_path):
    path = item_file(tmp_path, [BALLAST, ("652300000002", "缩水打底衫", 40, 2_000.0, 0.08)])
    assert not flagged(diagnose(path))
    assert flagged(diagnose(path, user={"rules": {"item": {"refund_rate": {"min_rate": 0.08}}}})) == {"item:652300000002"}


# -- ROI net of refunds ---------------------------------------------------------------------------------
def wxt(name: str, clicks: int, cost: float, gmv: float, plan_id: str) -> dict:
    impressions = clicks * 40
    return {"日期": DAY, "场景ID": "1", "场景名字": "关键词推广", "计划ID": plan_id, "计划名字": name, "花费": cost,
            "展现量": impressions, "点击量": clicks, "点击率": clicks / impressions, "总成交金额": gmv,
            "投入产出比": round(gmv / cost, 2)}


PLANS = [wxt("日常推广", 2_000, 2_000.0, 10_000.0, "1"), wxt("毛衣拉新", 400, 400.0, 1_400.0, "2")]  # ROI 5 and 3.5


@pytest.mark.parametrize("refund, cut", [(0.04, False), (0.05, True)])  # 3.5 net: 3.36 and 3.325 against 3.33
def test_an_ad_above_break_even_only_before_refunds_is_cut(tmp_path, refund, cut):
    plans = wxt_plans_zip(tmp_path / "计划报表_20261122.zip", PLANS)
    items = item_file(tmp_path, [BALLAST[:4] + (refund,)])
    report = diagnose(plans, items, lang="zh", user={"shop": {"gross_margin": 0.30}})
    found = [f for f in report.findings if f.rule == "ads.roi_breakeven" and f.subject == "campaign:毛衣拉新"]
    assert bool(found) is cut
    if cut:
        [finding] = found
        assert finding.msg == "refund_budget" and finding.evidence["direction"] == "lower"
        assert finding.evidence["refund_rate"] == pytest.approx(0.05, abs=1e-4)
        assert finding.evidence["net_roi"] == pytest.approx(3.5 * 0.95, abs=1e-3)
        assert "投产比 3.50 看着过了保本 3.33，扣掉退款（5%）后只有 3.33" in finding.title or "3.32" in finding.title
        # money: the daily loss net of refunds = spend − sales × (1 − refunds) × margin
        assert finding.money == pytest.approx(400 - 1_400 * 0.95 * 0.30, abs=0.01)
    # Without refund data the same plan clears break-even and is not cut.
    plain = diagnose(plans, lang="zh", user={"shop": {"gross_margin": 0.30}})
    assert not [f for f in plain.findings if f.rule == "ads.roi_breakeven" and f.subject == "campaign:毛衣拉新"]


def test_a_shop_rate_under_the_buyer_guard_is_not_used(tmp_path):
    plans = wxt_plans_zip(tmp_path / "计划报表_20261122.zip", PLANS)
    items = item_file(tmp_path, [("652300000001", "常规款毛衣", 4, 40_000.0, 0.30)])  # 28 buyers in the week
    report = diagnose(plans, items, user={"shop": {"gross_margin": 0.30}})
    assert not [f for f in report.findings if f.rule == "ads.roi_breakeven" and f.subject == "campaign:毛衣拉新"]


def _ad(keyword: str, clicks: int, gmv: float, item_id: str, bid: float = 1.0) -> dict:
    return {"date": DAY, "level": "keyword", "campaign": "毛衣", "ad_group": "毛衣", "keyword": keyword, "bid": bid,
            "impressions": clicks * 25, "clicks": clicks, "cost": float(clicks), "gmv": gmv, "item_id": item_id}


def _items(rates: dict[str, float]) -> pd.DataFrame:
    rows = [{"date": day, "item_id": item, "item_name": item, "visitors": 400.0, "buyers": 10.0, "gmv": 1_000.0,
             "refund_amount": 1_000.0 * rate} for day in WEEK for item, rate in rates.items()]
    return pd.DataFrame(rows)


def test_a_keyword_is_judged_net_of_its_own_items_refunds_and_never_raised_on_the_gross_roi():
    """Two keywords at ROI 4 with a CTR far above the account's: the one selling an item that refunds
    30% nets 2.8 (under 3.33) and is cut; the other (2% refunds, 3.92 net) is raised."""
    ads = [_ad("ballast", 1_000, 5_000.0, "X") | {"impressions": 100_000},
           _ad("退款多", 100, 400.0, "A"), _ad("退款少", 100, 400.0, "B")]
    dataset = Dataset(frames={"ad_report": pd.DataFrame(ads), "item_daily": _items({"A": 0.30, "B": 0.02, "X": 0.02})})
    state = run_rules(dataset, Config(merge({"shop": {"gross_margin": 0.30}})), DAY, "en")
    verdicts = {row["subject"]: block.msg for block in state.blocks for row in block.frame.to_dict("records")}
    verdicts |= {f.subject: f.msg for f in state.findings if f.rule.startswith("ads.")}
    assert verdicts["keyword:毛衣/退款多"] == "refund_bid"
    assert verdicts["keyword:毛衣/退款少"] == "raise_bid"


def test_the_bid_sheet_says_the_cut_is_for_refunds(tmp_path):
    from shopdoc.bidsheet import write_bid_sheet

    plans = wxt_plans_zip(tmp_path / "计划报表_20261122.zip", PLANS)
    items = item_file(tmp_path, [BALLAST[:4] + (0.10,)])
    report = diagnose(plans, items, lang="zh", user={"shop": {"gross_margin": 0.30}})
    sheet = tmp_path / "改价表.csv"
    assert write_bid_sheet(report, str(sheet)) >= 1
    text = sheet.read_text(encoding="utf-8-sig")
    line = next(row for row in text.splitlines() if "毛衣拉新" in row)
    assert "扣掉退款后投产比低于保本" in line and "降出价和日限额" in line


def test_shopify_returns_are_negative_and_count_by_their_size():
    """Shopify's total sales report writes Returns as a negative amount: the shop's refund rate is its size."""
    from shopdoc.rules._helpers import refund_rates

    shop = pd.DataFrame([{"date": day, "gmv": 1_000.0, "buyers": 10.0, "refund_amount": -80.0} for day in WEEK])
    _, rates = refund_rates(Dataset(frames={"shop_daily": shop}), DAY, 7)
    assert rates["rate"] == pytest.approx(0.08) and rates["buyers"] == 70
