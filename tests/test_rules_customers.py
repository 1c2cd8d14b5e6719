"""customers.returning_share (003: "新顾客流量成本是老顾客的6倍"): returning buyers' share of the paying
buyers, from the 生意参谋 商品 export's 支付老买家数 / 支付新买家数 (.xls, as downloaded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from exports import days, sycm_item
from shopdoc.api import build_report
from shopdoc.config import Config, merge
from shopdoc.io import load_paths

DAY = "2026-11-22"
RULE = "customers.returning_share"


def item_file(tmp_path: Path, returning: int, new: int, *, n_days: int = 7, with_new: bool = True) -> Path:
    """Two items a day; `returning` and `new` paying buyers a day in all."""
    records = []
    week = days(DAY, n_days)
    for day in week:
        for item_id, share in (("652300000001", 0.75), ("652300000002", 0.25)):
            back, first = round(returning * share), round(new * share)
            record = {"统计日期": day, "商品ID": item_id, "商品名称": f"毛衣{item_id[-1]}", "商品访客数": 2000,
                      "支付买家数": back + first, "支付金额": (back + first) * 200.0, "支付老买家数": back}
            if with_new:
                record["支付新买家数"] = first
            records.append(record)
    return sycm_item(tmp_path / f"【生意参谋平台】商品_全部_{week[0]}_{week[-1]}.xls", records, week[0], week[-1])


def diagnose(path: Path, lang: str = "en", user: dict | None = None):
    config = Config(merge(user or {}))
    dataset = load_paths([str(path)], config)
    return build_report(dataset, config, date=DAY, lang=lang)


def found(report):
    return [p for f in report.findings for p in [f, *f.parts] if p.rule == RULE]


@pytest.mark.parametrize("returning, low", [(12, True), (16, False)])  # 12% and 16% of 100 a day
def test_a_share_under_15_percent_is_reported(tmp_path, returning, low):
    report = diagnose(item_file(tmp_path, returning, 100 - returning))
    assert bool(found(report)) is low


def test_at_the_line_it_is_not(tmp_path):
    assert not found(diagnose(item_file(tmp_path, 16, 92 - 8)))  # 16 of 100: 16%
    assert not found(diagnose(item_file(tmp_path, 12, 68)))  # 12 of 80: exactly 15%


@pytest.mark.parametrize("n_days, judged", [(1, False), (2, True)])  # 80 and 160 paying buyers in the window
def test_100_paying_buyers_are_needed(tmp_path, n_days, judged):
    report = diagnose(item_file(tmp_path, 8, 72, n_days=n_days))
    assert bool(found(report)) is judged
    if not judged:
        assert any(s.rule == RULE and "needs 100" in s.reason for s in report.skipped)


def test_the_finding_words_the_share_and_the_six_times(tmp_path):
    [finding] = found(diagnose(item_file(tmp_path, 8, 92), lang="zh"))
    assert finding.evidence["value"] == pytest.approx(0.08) and finding.evidence["paying_buyers"] == 700
    assert "老买家只有 56 人（8%）" in finding.title and "6 倍" in finding.action
    assert finding.owner == "service" and finding.money is None


def test_without_new_buyers_the_share_is_of_the_paying_buyers(tmp_path):
    [finding] = found(diagnose(item_file(tmp_path, 8, 92, with_new=False)))
    assert finding.evidence["value"] == pytest.approx(0.08)


def test_the_field_is_read_from_the_sycm_header(tmp_path):
    config = Config(merge({}))
    dataset = load_paths([str(item_file(tmp_path, 8, 92))], config)
    frame = dataset.frame("item_daily")
    assert {"returning_buyers", "new_buyers"} <= set(frame.columns)
