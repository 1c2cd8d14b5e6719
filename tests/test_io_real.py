"""Exports as operators really download them (issue 11): genuine 生意参谋 .xls whose code page lies,
every currency, every way of writing a date range, detail tables that are not the shop's day.

Each test builds its file the way the real export is laid out; where the layout comes from a real
public file or from public code that reads such files, the source is noted beside the test.
"""

from __future__ import annotations

import re

import pytest

import exports
from shopdoc.config import Config, defaults
from shopdoc.io import load_paths

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def config() -> Config:
    return Config(defaults())


def only(dataset):
    assert len(dataset.inputs) == 1, [i.error for i in dataset.inputs]
    item = dataset.inputs[0]
    assert item.status == "ok", item.error
    return item


# -- decoding that checks itself ---------------------------------------------------------------------

@pytest.mark.parametrize("codepage", [1252, 936])
def test_sycm_xls_whose_codepage_disagrees_with_its_strings(tmp_path, config, codepage):
    # Genuine 2017 生意参谋 .xls downloads say CODEPAGE 1252 while their strings are UTF-16:
    # python-calamine then reads 来源名称 as `eg\x90n\rTðy` and the file was refused.
    rows = exports.sycm_item_rows([
        {"统计日期": "2017-05-01", "商品ID": "5531", "商品名称": "加厚羊毛衫女冬", "商品访客数": 1391,
         "支付金额": 10384.0, "商品支付转化率": 0.0316},
        {"统计日期": "2017-05-01", "商品ID": "7781", "商品名称": "羊绒围巾", "商品访客数": 233, "支付金额": 990.5},
    ], "2017-05-01", "2017-05-01")
    path = exports.write_xls_codepage(tmp_path / "【生意参谋平台】商品_全部_2017-05-01_2017-05-01.xls",
                                      {"商品效果": rows}, codepage=codepage)
    dataset = load_paths([str(path)], config)
    item = only(dataset)
    assert (item.kind, item.header_row, item.rows) == ("item_daily", 5, 2)
    assert item.columns["商品访客数"] == "visitors"
    assert not any(CONTROL.search(header) for header in item.columns)
    frame = dataset.frames["item_daily"]
    assert frame["item_name"].tolist() == ["加厚羊毛衫女冬", "羊绒围巾"]
    assert frame["visitors"].tolist() == [1391, 233]
    assert frame["date"].tolist() == ["2017-05-01", "2017-05-01"]


def test_a_clean_xls_is_read_by_calamine_alone(tmp_path, config):
    rows = exports.sycm_item_rows([{"统计日期": "2026-11-22", "商品ID": "5531", "商品访客数": 10}],
                                  "2026-11-22", "2026-11-22")
    path = exports.write_xls(tmp_path / "商品.xls", rows)
    item = only(load_paths([str(path)], config))
    assert item.encoding is None  # no second reading


def test_control_characters_in_headers_never_reach_the_error_line(tmp_path, config):
    path = tmp_path / "odd.csv"
    path.write_bytes('"名称\r\x1b[31m","数量\x07",说明\n甲,1,2\n乙,3,4\n'.encode("utf-8"))
    dataset = load_paths([str(path)], config)
    [item] = dataset.inputs
    assert item.status == "unrecognised"
    assert not CONTROL.search(item.error), item.error
    assert "\r" not in item.error and "\n" not in item.error


# -- currency per file -------------------------------------------------------------------------------

AMAZON_IN_SEARCH_TERM = [
    # Amazon.in Sponsored Products search term report: `Rs.` money in the cells and `(₹)` in the sales
    # header (headers as in public scripts that read these reports: `14 Day Total Sales (₹)`,
    # `14 Day Total Orders (#)`; amounts like `Rs.201.68` as downloaded from Amazon.in).
    ["Start Date", "End Date", "Portfolio name", "Campaign Name", "Ad Group Name", "Targeting", "Match Type",
     "Customer Search Term", "Impressions", "Clicks", "Click-Thru Rate (CTR)", "Cost Per Click (CPC)", "Spend",
     "14 Day Total Sales (₹)", "Total Advertising Cost of Sales (ACOS)", "14 Day Total Orders (#)"],
    ["01-May-2026", "07-May-2026", "Not grouped", "SP - shawls", "shawls", "wool shawl", "BROAD",
     "pashmina shawl", "2,233", "31", "1.3883%", "Rs.6.51", "Rs.201.68", "Rs.1,299.00", "15.53%", "1"],
    ["01-May-2026", "07-May-2026", "Not grouped", "SP - shawls", "shawls", "wool shawl", "BROAD",
     "shawl for women", "1,021", "9", "0.8815%", "Rs.7.10", "Rs.63.90", "Rs.0.00", "", "0"],
]


def test_amazon_in_rupees_in_cells_and_header(tmp_path, config):
    path = exports.write_xlsx(tmp_path / "Sponsored_Products_Search_term_report.xlsx", AMAZON_IN_SEARCH_TERM)
    dataset = load_paths([str(path)], config)
    item = only(dataset)
    assert (item.kind, item.currency, item.currency_from) == ("ad_report", "INR", "cells")
    assert item.columns["14 Day Total Sales (₹)"] == "gmv"
    frame = dataset.frames["ad_report"]
    assert frame["cost"].tolist() == [201.68, 63.90]
    assert frame["gmv"].tolist() == [1299.0, 0.0]
    assert frame["currency"].tolist() == ["INR", "INR"]
    assert not [w for w in item.warnings if "amount" in w.reason]


def test_header_unit_alone_says_the_currency(tmp_path, config):
    rows = [row[:] for row in AMAZON_IN_SEARCH_TERM]
    for row in rows[1:]:
        row[11], row[12], row[13] = (cell.replace("Rs.", "").replace(",", "") for cell in row[11:14])
    path = exports.write_xlsx(tmp_path / "search_terms.xlsx", rows)
    dataset = load_paths([str(path)], config)
    item = only(dataset)
    assert (item.currency, item.currency_from) == ("INR", "header")
    assert dataset.frames["ad_report"]["gmv"].tolist() == [1299.0, 0.0]


def test_google_ads_currency_code_column_per_row(tmp_path, config):
    records = [
        {"Keyword status": "Enabled", "Keyword": "wool scarf", "Match type": "Phrase match", "Campaign": "US",
         "Ad group": "Scarves", "Currency code": "USD", "Impr.": "1,316", "Clicks": "80", "Cost": "276.15"},
        {"Keyword status": "Enabled", "Keyword": "echarpe laine", "Match type": "Exact match", "Campaign": "FR",
         "Ad group": "Echarpes", "Currency code": "EUR", "Impr.": "900", "Clicks": "30", "Cost": "40.10"},
    ]
    path = exports.google_ads_keywords(tmp_path / "Keyword report.csv", records)
    dataset = load_paths([str(path)], config)
    item = only(dataset)
    assert item.currency_from == "column"
    assert dataset.frames["ad_report"]["currency"].tolist() == ["USD", "EUR"]


def test_shop_and_item_frames_carry_a_currency_on_every_row(tmp_path, config):
    shop = exports.sycm_shop(tmp_path / "店铺整体.xls", [{"统计日期": "2026-11-22", "访客数": 100, "支付金额": 500.0}],
                             "2026-11-22", "2026-11-22")
    amazon = exports.amazon_business_report(tmp_path / "BusinessReport-8-04-26.csv", [
        {"(Parent) ASIN": "B0PARENT01", "(Child) ASIN": "B0CHILD001", "Title": "Wool scarf", "Sessions – Total": "120",
         "Units Ordered": "3", "Ordered Product Sales": "£1,234.56"},
        {"(Parent) ASIN": "B0PARENT01", "(Child) ASIN": "B0CHILD002", "Title": "Wool hat", "Sessions – Total": "80",
         "Units Ordered": "0", "Ordered Product Sales": "£0.00"}])
    dataset = load_paths([str(shop), str(amazon)], config)
    assert dataset.frames["shop_daily"]["currency"].tolist() == ["CNY"]
    assert dataset.frames["item_daily"]["currency"].tolist() == ["GBP", "GBP"]
    assert dataset.frames["item_daily"]["gmv"].tolist() == [1234.56, 0.0]
    shop_input, amazon_input = dataset.inputs
    assert (shop_input.currency, shop_input.currency_from) == ("CNY", "platform")
    assert (amazon_input.currency, amazon_input.currency_from) == ("GBP", "cells")


def test_an_english_export_without_a_currency_is_unknown_unless_configured(tmp_path):
    from shopdoc.config import merge

    path = exports.shopify_sessions(tmp_path / "sessions.csv", [
        {"Day": "2026-05-01", "Online store visitors": 120, "Sessions": 150, "Conversion rate": 0.02}])
    item = only(load_paths([str(path)], Config(defaults())))
    assert (item.currency, item.currency_from) == (None, "unknown")
    configured = Config(merge({"shop": {"currency": "$"}}))
    dataset = load_paths([str(path)], configured)
    assert (only(dataset).currency, only(dataset).currency_from) == ("USD", "config")
    assert dataset.frames["shop_daily"]["currency"].tolist() == ["USD"]


def test_inspect_shows_the_currency_and_where_it_came_from(tmp_path, cli):
    path = exports.write_xlsx(tmp_path / "search_terms.xlsx", AMAZON_IN_SEARCH_TERM)
    result = cli("inspect", str(path))
    assert re.search(r"货币\s+INR（来自金额里的符号）", result.out), result.out
