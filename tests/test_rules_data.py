"""data.presale (002 六 7: "预售商品的'支付转化率'为0……参考'下单转化率'"): items with order buyers but
0 payment conversion are read as presale and judged by order conversion, here and in the item rules."""

from __future__ import annotations

import pandas as pd
import pytest

from shopdoc.api import build_report, load
from shopdoc.config import Config, merge
from shopdoc.dataset import Dataset
from shopdoc.engine import run_rules
from shopdoc.rules.data import judged_conversion, presale_mask

DAY = "2026-11-22"
RULE = "data.presale"


def items(rows: list[dict]) -> pd.DataFrame:
    base = {"date": DAY, "visitors": 500.0, "buyers": 10.0, "gmv": 10 * 199.0, "conversion_rate": 0.02,
            "order_buyers": 11.0, "order_conversion_rate": 0.022, "_file": "【生意参谋平台】商品_全部.xls"}
    frame = pd.DataFrame([{**base, "item_name": f"商品{row['item_id']}", "_row": 6 + n, **row} for n, row in enumerate(rows)])
    frame["item_id"] = frame["item_id"].astype("str")
    return frame


PRESALE = {"buyers": 0.0, "gmv": 0.0, "conversion_rate": 0.0}


def run(frame: pd.DataFrame, user: dict | None = None, lang: str = "zh"):
    state = run_rules(Dataset(frames={"item_daily": frame}), Config(merge(user or {})), DAY, lang)
    return [f for f in state.findings if f.rule == RULE], [s for s in state.skipped if s.rule == RULE]


@pytest.mark.parametrize(("order_buyers", "presale"), [(2.0, False), (3.0, True), (40.0, True)])
def test_min_order_buyers_both_sides(order_buyers, presale):
    found, _ = run(items([{"item_id": "7001", **PRESALE, "order_buyers": order_buyers}]))
    assert bool(found) is presale


def test_a_paying_item_is_not_presale():
    found, _ = run(items([{"item_id": "5531"}, {"item_id": "5532", "buyers": 1.0, "conversion_rate": 0.002}]))
    assert found == []


def test_presale_finding_lists_items_with_their_order_conversion():
    frame = items([
        {"item_id": "7001", **PRESALE, "visitors": 900.0, "order_buyers": 27.0, "order_conversion_rate": 0.03},
        {"item_id": "7002", **PRESALE, "visitors": 1200.0, "order_buyers": 24.0, "order_conversion_rate": float("nan")},
        {"item_id": "5531"},
    ])
    [finding] = run(frame)[0]
    assert finding.severity == "info" and finding.owner == "operations" and finding.subject == "shop"
    assert [item["item_id"] for item in finding.evidence["items"]] == ["7002", "7001"]  # most visited first
    assert finding.evidence["items"][0]["order_conversion_rate"] == pytest.approx(24 / 1200)  # derived
    assert finding.title == "2 个商品有下单、支付转化率却是 0，按预售看：「商品7002」下单转化率 2.00%、「商品7001」下单转化率 3.00%"


def test_zero_buyers_without_a_conversion_column_is_presale_too():
    frame = items([{"item_id": "7001", "buyers": 0.0, "gmv": 0.0, "order_buyers": 5.0}]).drop(columns=["conversion_rate"])
    [finding] = run(frame, lang="en")[0]
    assert finding.title.startswith("Items with orders but 0 payment conversion, read as presale (1): “商品7001”")


def test_min_order_buyers_is_configurable_and_shared_with_the_item_rules():
    frame = items([{"item_id": "7001", **PRESALE, "order_buyers": 3.0}])
    assert run(frame, {"rules": {RULE: {"min_order_buyers": 4}}})[0] == []


def test_judged_conversion_uses_order_conversion_for_presale_only():
    frame = items([{"item_id": "7001", **PRESALE, "order_conversion_rate": 0.05}, {"item_id": "5531"}])
    mask = presale_mask(frame, 3)
    assert mask.tolist() == [True, False]
    assert judged_conversion(frame, mask).tolist() == pytest.approx([0.05, 0.02])


def test_without_order_buyers_the_rule_is_skipped():
    found, skipped = run(items([{"item_id": "5531"}]).drop(columns=["order_buyers"]))
    assert found == [] and "order_buyers" in skipped[0].reason


def test_end_to_end_from_a_sycm_item_file(tmp_path):
    from exports import sycm_item

    sycm_item(tmp_path / "【生意参谋平台】商品_全部_2026-11-22_2026-11-22.xls", [
        {"统计日期": DAY, "商品ID": "7001", "商品名称": "预售羽绒服", "商品访客数": 1391, "下单买家数": 42,
         "下单转化率": 0.0302, "支付买家数": 0, "支付金额": 0, "商品支付转化率": 0},
        {"统计日期": DAY, "商品ID": "5531", "商品名称": "羊毛大衣", "商品访客数": 2200, "下单买家数": 50,
         "下单转化率": 0.0227, "支付买家数": 44, "支付金额": 17556, "商品支付转化率": 0.02},
    ], DAY, DAY)
    config = Config(merge({}))
    report = build_report(load([str(tmp_path)], config), config, lang="zh")
    [finding] = [f for f in report.findings if f.rule == RULE]
    assert [item["item_id"] for item in finding.evidence["items"]] == ["7001"]
    assert finding.evidence["items"][0]["order_conversion_rate"] == pytest.approx(0.0302)
