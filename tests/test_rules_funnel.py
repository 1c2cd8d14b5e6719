"""conversion.funnel (000: "从曝光-点击-下单-付款，每个环节需要通过数据分析找到优化方案"): which step of the
shop funnel broke against the shop's own recent days, on export-shaped files — the 生意参谋 店铺整体 .xls
(访客数, 下单买家数, 支付买家数) and the 直通车 keyword CSV (展现量, 点击量)."""

from __future__ import annotations

from pathlib import Path

import pytest

from exports import days, sycm_shop, ztc_keywords
from shopdoc.api import build_report
from shopdoc.config import Config, merge
from shopdoc.io import load_paths

DAY = "2026-11-22"
RULE = "conversion.funnel"


def shop_file(tmp_path: Path, *, n_days: int = 8, order_today: float = 0.03, paid_today: float = 0.95,
              visitors: int = 8000, peer: float | None = None) -> Path:
    """Usual days: 3% of visitors order and 95% of them pay; the report day as given."""
    records = []
    week = days(DAY, n_days)
    for day in week:
        order_rate, paid = (order_today, paid_today) if day == DAY else (0.03, 0.95)
        order_buyers = round(visitors * order_rate)
        buyers = round(order_buyers * paid)
        record = {"统计日期": day, "访客数": visitors, "支付买家数": buyers, "支付金额": buyers * 250.0,
                  "支付转化率": buyers / visitors, "客单价": 250.0, "下单买家数": order_buyers,
                  "下单转化率": order_buyers / visitors}
        if peer is not None:
            record["同行平均支付转化率"] = peer
        records.append(record)
    return sycm_shop(tmp_path / f"【生意参谋平台】店铺整体_{week[0]}_{week[-1]}.xls", records, week[0], week[-1])


def ad_file(tmp_path: Path, *, ctr_today: float, n_days: int = 8) -> Path:
    records = []
    for day in days(DAY, n_days):
        ctr = ctr_today if day == DAY else 0.03
        shown = 20_000
        clicks = round(shown * ctr)
        records.append({"日期": day, "推广计划": "毛衣", "推广单元": "毛衣", "关键词": "毛衣女", "出价": 1.2,
                        "展现量": shown, "点击量": clicks, "点击率": clicks / shown, "花费": clicks * 1.0,
                        "总成交金额": clicks * 5.0, "总成交笔数": 1, "投入产出比": 5.0})
    return ztc_keywords(tmp_path / "直通车_关键词报表.csv", records)


def diagnose(*paths: Path, lang: str = "en", user: dict | None = None):
    config = Config(merge(user or {}))
    dataset = load_paths([str(p) for p in paths], config)
    assert all(item.status == "ok" for item in dataset.inputs), [(i.path, i.error) for i in dataset.inputs]
    return build_report(dataset, config, date=DAY, lang=lang)


def funnel(report):
    return [p for f in report.findings for p in [f, *f.parts] if p.rule == RULE]


@pytest.mark.parametrize("order_today, broken", [(0.0241, False), (0.0239, True)])  # 20% under 3% is 2.4%
def test_the_order_step_breaks_at_a_fifth_under_its_median(tmp_path, order_today, broken):
    found = funnel(diagnose(shop_file(tmp_path, order_today=order_today)))
    assert bool(found) is broken
    if broken:
        [finding] = found
        assert (finding.msg, finding.owner) == ("order", "design")
        assert finding.evidence["baseline"] == pytest.approx(0.03, abs=1e-4)
        # 49 fewer ordering buyers than usual (240 → 191 of 8,000); 181 of the 191 paid today; 250 each.
        assert finding.money == pytest.approx((0.03 - 191 / 8000) * 8000 * (181 / 191) * 250, rel=1e-3)


@pytest.mark.parametrize("n_days, judged", [(3, False), (4, True)])  # 2 and 3 earlier days
def test_three_earlier_days_are_needed(tmp_path, n_days, judged):
    report = diagnose(shop_file(tmp_path, n_days=n_days, order_today=0.015))
    assert bool(funnel(report)) is judged
    if not judged:
        assert any(s.rule == RULE and "3 earlier days" in s.reason for s in report.skipped)


def test_days_under_100_visitors_do_not_count(tmp_path):
    assert not funnel(diagnose(shop_file(tmp_path, visitors=99, order_today=0.015)))


def test_the_click_step_names_promotion(tmp_path):
    report = diagnose(shop_file(tmp_path), ad_file(tmp_path, ctr_today=0.02), lang="zh")
    [finding] = funnel(report)
    assert (finding.msg, finding.owner) == ("click", "promotion")
    assert "漏斗断在曝光→点击" in finding.title and "3%" in finding.title
    assert not funnel(diagnose(shop_file(tmp_path), ad_file(tmp_path, ctr_today=0.025)))


def test_the_worst_step_is_named_and_the_others_listed(tmp_path):
    report = diagnose(shop_file(tmp_path, order_today=0.02), ad_file(tmp_path, ctr_today=0.015))
    [finding] = funnel(report)
    assert finding.msg == "click" and finding.evidence["also"] == ["order"]  # -50% beats -33%


def test_the_payment_step_is_order_to_payments_and_never_said_twice(tmp_path):
    path = shop_file(tmp_path, paid_today=0.70)
    report = diagnose(path)
    assert not funnel(report)
    assert [f.rule for f in report.findings if f.rule == "conversion.order_to_payment"]
    alone = diagnose(path, user={"rules": {"conversion": {"order_to_payment": {"enabled": False}}}})
    [finding] = funnel(alone)
    assert (finding.msg, finding.owner) == ("payment", "service")


def test_a_broken_order_step_keeps_its_money_inside_the_peer_shortfall(tmp_path):
    report = diagnose(shop_file(tmp_path, order_today=0.015, peer=0.04))
    [finding] = funnel(report)
    below = next(f for f in report.findings if f.rule == "conversion.below_peer")
    assert finding.within == below.key


def test_a_broken_order_step_beside_an_overnight_conversion_break_is_counted_once(tmp_path):
    """14 steady days then a collapse: change.shop_metrics says conversion broke, the funnel names the
    order step; the head counts the lost sales once."""
    report = diagnose(shop_file(tmp_path, n_days=15, order_today=0.012))
    [finding] = funnel(report)
    breaks = [p for f in report.findings for p in [f, *f.parts]
              if p.rule == "change.shop_metrics" and p.evidence.get("metric") == "conversion_rate"]
    assert breaks and finding.within == breaks[0].key
    assert finding.money and not breaks[0].money  # the lost sales are the GMV story's, not a third time here
