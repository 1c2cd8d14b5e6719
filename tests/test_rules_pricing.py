"""pricing.price_tail (000: "商品價格位數一般是'9/8/5為結尾'"): one info finding listing the items
whose prices end otherwise, most visited first, each with a suggested price."""

from __future__ import annotations

import pandas as pd
import pytest

from shopdoc.api import build_report, load
from shopdoc.config import Config, merge
from shopdoc.dataset import Dataset
from shopdoc.engine import run_rules
from shopdoc.rules.pricing import price_text, suggested_price

DAY = "2026-11-22"
RULE = "pricing.price_tail"


def items(prices: dict[str, float], visitors: dict[str, float] | None = None) -> pd.DataFrame:
    rows = [{"date": DAY, "item_id": item_id, "item_name": f"商品{item_id}", "price": price,
             "visitors": (visitors or {}).get(item_id, 100.0), "_file": "商品排行.xls", "_row": 6 + n}
            for n, (item_id, price) in enumerate(prices.items())]
    return pd.DataFrame(rows)


def run(frame: pd.DataFrame, user: dict | None = None, lang: str = "zh"):
    state = run_rules(Dataset(frames={"item_daily": frame}), Config(merge(user or {})), DAY, lang)
    return [f for f in state.findings if f.rule == RULE], [s for s in state.skipped if s.rule == RULE]


@pytest.mark.parametrize(("price", "text"), [(199.0, "199"), (19.9, "19.9"), (19.90, "19.9"), (12.34, "12.34"), (100.0, "100")])
def test_price_text_drops_trailing_zeros(price, text):
    assert price_text(price) == text


@pytest.mark.parametrize(("price", "suggested"), [(100.0, 99.0), (132.0, 129.0), (137.0, 135.0), (19.6, 19.5),
                                                  (12.34, 12.29), (1.0, None)])
def test_suggested_price_is_the_nearest_passing_price_at_or_below(price, suggested):
    result = suggested_price(price, ["9", "8", "5"])
    assert result == (pytest.approx(suggested) if suggested is not None else None)


@pytest.mark.parametrize(("price", "flagged"), [(199.0, False), (19.9, False), (128.0, False), (25.0, False),
                                                (100.0, True), (132.0, True), (19.6, True), (1299.5, False)])
def test_each_side_of_the_9_8_5_ending(price, flagged):
    found, _ = run(items({"5531": price}))
    assert bool(found) is flagged


def test_one_finding_listing_the_items_most_visited_first():
    frame = items({"1": 100.0, "2": 199.0, "3": 132.0, "4": 19.6}, visitors={"1": 50.0, "3": 900.0, "4": 300.0})
    [finding] = run(frame)[0]
    assert finding.severity == "info" and finding.subject == "shop" and finding.owner == "operations"
    assert [item["item_id"] for item in finding.evidence["items"]] == ["3", "4", "1"]
    assert finding.evidence["items"][0]["suggested"] == 129.0
    assert finding.title == ("3 个商品价格尾数不是 9/8/5：「商品3」132 元（可改 129）、「商品4」19.6 元（可改 19.5）、"
                             "「商品1」100 元（可改 99）")


def test_the_list_stays_readable():
    frame = items({str(n): 100.0 + 10 * n for n in range(12)})
    [finding] = run(frame, {"rules": {RULE: {"listed": 3}}}, lang="en")[0]
    assert finding.evidence["count"] == 12 and len(finding.evidence["items"]) == 12
    assert finding.title.count("try") == 3 and finding.title.endswith("and 9 more")


def test_endings_are_configurable():
    found, _ = run(items({"1": 199.0, "2": 100.0}), {"rules": {RULE: {"endings": ["0", "9"]}}})
    assert found == []


def test_missing_prices_are_not_judged():
    found, skipped = run(items({"1": float("nan")}))
    assert found == [] and skipped


def test_end_to_end_from_a_sycm_item_file(tmp_path):
    from exports import sycm_item

    sycm_item(tmp_path / "【生意参谋平台】商品_全部.xls", [
        {"统计日期": DAY, "商品ID": "5531", "商品名称": "羊毛大衣", "价格": 1299.0, "商品访客数": 2200},
        {"统计日期": DAY, "商品ID": "5532", "商品名称": "羊绒围巾", "价格": 260.0, "商品访客数": 800},
    ], DAY, DAY)
    config = Config(merge({}))
    report = build_report(load([str(tmp_path)], config), config, lang="zh")
    [finding] = [f for f in report.findings if f.rule == RULE]
    assert [item["item_id"] for item in finding.evidence["items"]] == ["5532"]
    assert "「羊绒围巾」260 元（可改 259）" in finding.title
