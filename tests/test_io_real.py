"""Exports as operators really download them (issue 11): genuine 生意参谋 .xls whose code page lies,
every currency, every way of writing a date range, detail tables that are not the shop's day.

Each test builds its file the way the real export is laid out; where the layout comes from a real
public file or from public code that reads such files, the source is noted beside the test.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

import exports
from shopdoc.config import Config, defaults, merge
from shopdoc.io import load_paths

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def config() -> Config:
    return Config(merge({"shop": {"lang": "en"}}))


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
    item = only(load_paths([str(path)], Config(merge({"shop": {"lang": "en"}}))))
    assert (item.currency, item.currency_from) == (None, "unknown")
    configured = Config(merge({"shop": {"currency": "$"}}))
    dataset = load_paths([str(path)], configured)
    assert (only(dataset).currency, only(dataset).currency_from) == ("USD", "config")
    assert dataset.frames["shop_daily"]["currency"].tolist() == ["USD"]


def test_inspect_shows_the_currency_and_where_it_came_from(tmp_path, cli):
    path = exports.write_xlsx(tmp_path / "search_terms.xlsx", AMAZON_IN_SEARCH_TERM)
    result = cli("inspect", str(path))
    assert re.search(r"货币\s+INR（来自金额里的符号）", result.out), result.out


# -- dates in every form, and the window each row covers ------------------------------------------------

def test_google_ads_utf16_with_a_day_first_range_line(tmp_path, config):
    # Google Ads UI download: UTF-16 tab-separated, title line, then the range written day-first
    # (`1 May 2026 - 8 May 2026`, as non-US accounts get it), no Day column.
    records = [{"Keyword status": "Enabled", "Keyword": "wool scarf", "Match type": "Phrase match",
                "Campaign": "CA - Search", "Ad group": "Scarves", "Currency code": "CAD", "Impr.": "1,316",
                "Clicks": "80", "CTR": "6.08%", "Cost": "276.15", "Conversions": "4.00", "Conv. value": "520.00"}]
    path = exports.google_ads_keywords(tmp_path / "Search keyword report.csv", records,
                                       date_range="1 May 2026 - 8 May 2026", utf16=True)
    dataset = load_paths([str(path)], config)
    item = only(dataset)
    assert (item.kind, item.encoding, item.dates) == ("ad_report", "utf-16", ["2026-05-08"])
    assert item.dates_from == "description:1 May 2026 - 8 May 2026"
    row = dataset.frames["ad_report"].iloc[0]
    assert (row["date"], row["start_date"], row["window_days"]) == ("2026-05-08", "2026-05-01", 8)
    assert (row["currency"], row["cost"]) == ("CAD", 276.15)


@pytest.mark.parametrize("lang, said", [
    ("en", r"dates\s+2026-05-08 \(from the line above the header: 1 May 2026 - 8 May 2026\)"),
    ("zh", r"2026-05-08（来自表头上方的说明：1 May 2026 - 8 May 2026）")])
def test_inspect_shows_where_the_date_came_from(tmp_path, cli, lang, said):
    path = exports.google_ads_keywords(tmp_path / "Search keyword report.csv", [
        {"Keyword": "wool scarf", "Campaign": "CA - Search", "Ad group": "Scarves", "Currency code": "CAD",
         "Impr.": "1,316", "Clicks": "80", "Cost": "276.15"}], date_range="1 May 2026 - 8 May 2026", utf16=True)
    result = cli("inspect", str(path), "--lang", lang)
    assert re.search(said, result.out), result.out
    assert "CAD" in result.out


SERIAL_2026_05_01 = 46143  # days since 1899-12-30


@pytest.mark.parametrize("cell", ["2026-05-01", "2026/05/01", "20260501", 20260501, "1 May 2026", "May 1, 2026",
                                  "01-May-2026", "2026年5月1日", SERIAL_2026_05_01, "2026-05-01 09:12:00"])
def test_a_date_cell_in_every_form_exports_write(tmp_path, config, cell):
    rows = [["统计日期", "访客数", "支付金额"], [cell, 120, "500.00"]]
    dataset = load_paths([str(exports.write_xlsx(tmp_path / "店铺.xlsx", rows))], config)
    item = only(dataset)
    assert item.dates == ["2026-05-01"] and item.dates_from == "column:统计日期"
    assert dataset.frames["shop_daily"]["window_days"].tolist() == [1]


@pytest.mark.parametrize("cell", ["2026-05-01~2026-05-07", "2026-05-01 至 2026-05-07", "2026-05-01 - 2026-05-07",
                                  "May 1, 2026 - May 7, 2026", "1 May 2026 to 7 May 2026"])
def test_a_range_cell_is_a_row_over_the_whole_range(tmp_path, config, cell):
    # Sycm week files write 统计日期 as `2026-05-01~2026-05-07` on every row.
    rows = [["统计日期", "商品ID", "商品访客数", "支付金额"], [cell, "5531", 900, "4,500.00"]]
    dataset = load_paths([str(exports.write_xlsx(tmp_path / "商品.xlsx", rows))], config)
    row = dataset.frames["item_daily"].iloc[0]
    assert (row["date"], row["start_date"], row["window_days"]) == ("2026-05-07", "2026-05-01", 7)


def test_amazon_start_and_end_date_make_the_row_window(tmp_path, config):
    path = exports.write_xlsx(tmp_path / "Sponsored_Products_Search_term_report.xlsx", AMAZON_IN_SEARCH_TERM)
    dataset = load_paths([str(path)], config)
    frame = dataset.frames["ad_report"]
    assert frame["date"].tolist() == ["2026-05-07"] * 2
    assert frame["window_days"].tolist() == [7, 7]
    assert only(dataset).dates_from == "column:Start Date .. End Date"


def test_a_file_name_range_is_the_window_when_nothing_else_dates_the_file(tmp_path, config):
    rows = [["计划名字", "展现量", "点击量", "花费"], ["双11大促", 12000, 300, "450.00"]]
    path = exports.write_xlsx(tmp_path / "直通车_计划报表_20261116-20261122.xlsx", rows)
    dataset = load_paths([str(path)], config)
    row = dataset.frames["ad_report"].iloc[0]
    assert (row["date"], row["window_days"]) == ("2026-11-22", 7)
    assert only(dataset).dates_from.startswith("file name:")


def test_last_7_days_counts_back_from_the_day_the_file_was_saved(tmp_path, config):
    import datetime as dt
    import os

    path = exports.google_ads_keywords(tmp_path / "Keyword report.csv", [
        {"Keyword": "wool scarf", "Campaign": "US", "Ad group": "Scarves", "Impr.": "1,000", "Clicks": "50",
         "Cost": "$80.00"}], date_range="Last 7 days", totals=False)
    saved = dt.datetime(2026, 5, 9, 7, 30).timestamp()
    os.utime(path, (saved, saved))
    dataset = load_paths([str(path)], config)
    row = dataset.frames["ad_report"].iloc[0]
    assert (row["date"], row["start_date"], row["window_days"]) == ("2026-05-08", "2026-05-02", 7)
    assert only(dataset).dates_from == "download date:Last 7 days"


def test_a_weekly_shopify_file_keeps_every_week(tmp_path, config):
    # Shopify "Visitors over time" by week: a Week column (the week's first day), 53 rows.
    import datetime as dt

    first = dt.date(2025, 5, 5)
    rows = [["Week", "Online store visitors", "Sessions", "Conversion rate"]]
    rows += [[(first + dt.timedelta(weeks=i)).isoformat(), 700 + i, 900 + i, 0.021] for i in range(53)]
    path = exports.write_csv(tmp_path / "Visitors over time.csv", rows)
    dataset = load_paths([str(path)], config)
    item = only(dataset)
    frame = dataset.frames["shop_daily"]
    assert item.rows == 53 and item.dates_from == "column:Week"
    assert frame["window_days"].unique().tolist() == [7]
    assert frame.iloc[-1][["start_date", "date", "visitors"]].tolist() == ["2026-05-04", "2026-05-10", 752]
    assert any("totals over 7 days" in w.reason for w in item.warnings)


@pytest.mark.parametrize("month", ["2026-04", "Apr 2026", "2026年4月"])
def test_a_monthly_file_keeps_every_month_as_its_calendar_month(tmp_path, config, month):
    # Google Ads / Shopify segmented by Month, 生意参谋 by 月: each row is the whole month.
    rows = [["Month", "Sessions", "Total sales"], [month, "21,000", "$36,120.00"]]
    dataset = load_paths([str(exports.write_csv(tmp_path / "Sessions by month.csv", rows))], config)
    item = only(dataset)
    row = dataset.frames["shop_daily"].iloc[0]
    assert (row["start_date"], row["date"], row["window_days"]) == ("2026-04-01", "2026-04-30", 30)
    assert item.dates_from == "column:Month" and item.currency == "USD"
    assert any("totals over 30 days" in w.reason for w in item.warnings)


def test_an_undated_shop_file_of_many_rows_is_refused(tmp_path, config):
    rows = [["Online store visitors", "Sessions"]] + [[700 + i, 900 + i] for i in range(53)]
    path = exports.write_csv(tmp_path / "visitors.csv", rows)
    [item] = load_paths([str(path)], config).inputs
    assert item.status == "error"
    assert "53 rows and no date column" in item.error and "Day" in item.error


# -- kind by content, with granularity ----------------------------------------------------------------

def sycm_keyword_detail_rows() -> list[list]:
    """生意参谋 无线三级流量来源详情 (2017 download): two 数据说明 lines above the header, one row per
    search keyword of 手淘搜索. Layout as the issue describes the genuine files; keywords invented."""
    return [
        ["数据说明：本表为无线三级流量来源详情，统计日期：2017-05-01"],
        ["数据说明：来源名称为访客进店的搜索关键词"],
        ["来源名称", "访客数", "浏览量", "浏览量占比", "店内跳转人数", "跳出本店人数", "收藏人数", "加购人数",
         "下单买家数", "下单转化率", "支付件数", "支付买家数", "支付转化率"],
        ["羊毛衫女", 120, 310, "12.50%", 60, 60, 4, 9, 3, "2.50%", 3, 3, "2.50%"],
        ["羊毛衫女冬 加厚", 57, 140, "5.64%", 30, 27, 2, 5, 1, "1.75%", 1, 1, "1.75%"],
        ["高领毛衣", 8, 9, "0.36%", 1, 7, 0, 0, 0, "0.00%", 0, 0, "0.00%"],
    ]


@pytest.mark.parametrize("as_", ["xls-codepage-1252", "xlsx"])
def test_sycm_keyword_source_detail_is_a_keyword_level_source_table(tmp_path, config, as_):
    rows = sycm_keyword_detail_rows()
    if as_ == "xlsx":  # the same export re-saved as .xlsx
        path = exports.write_xlsx(tmp_path / "无线三级流量来源详情.xlsx", {"无线三级流量来源详情": rows})
    else:
        path = exports.write_xls_codepage(tmp_path / "【生意参谋平台】无线三级流量来源详情.xls",
                                          {"无线三级流量来源详情": rows})
    dataset = load_paths([str(path)], config)
    item = only(dataset)
    assert (item.kind, item.level, item.header_row, item.rows) == ("traffic_source", "keyword", 3, 3)
    assert "shop_daily" not in dataset.frames
    frame = dataset.frames["traffic_source"]
    assert frame["source"].tolist() == ["羊毛衫女", "羊毛衫女冬 加厚", "高领毛衣"]
    assert frame["visitors"].tolist() == [120, 57, 8]
    assert frame["date"].tolist() == ["2017-05-01"] * 3 and item.currency == "CNY"


def test_a_detail_table_is_never_the_shops_day(tmp_path, config):
    # Rows by device on one day with only shop columns mapped: not a shop day to take the last row of.
    rows = [["统计日期", "终端类型", "访客数", "支付金额"],
            ["2026-11-22", "无线端", 7000, "30,000.00"], ["2026-11-22", "PC端", 1120, "5,400.00"]]
    [item] = load_paths([str(exports.write_xlsx(tmp_path / "店铺.xlsx", rows))], config).inputs
    assert item.status == "error" and item.kind == "shop_daily"
    assert "2 rows on one day that differ by 终端类型" in item.error


# -- counts are counts; breakdown rows ------------------------------------------------------------------

def test_a_device_split_google_ads_report_is_summed_per_campaign(tmp_path, config):
    # Campaign report segmented by Device (Google Ads UI download: title, range line, header).
    rows = [["Campaign report"], ["May 1, 2026 - May 7, 2026"],
            ["Campaign", "Device", "Currency code", "Impr.", "Clicks", "CTR", "Cost", "Conversions", "Conv. value"],
            ["Scarves US", "Computers", "USD", "1,000", "40", "4.00%", "60.00", "2.00", "180.00"],
            ["Scarves US", "Mobile phones", "USD", "3,000", "60", "2.00%", "90.00", "1.00", "90.00"],
            ["Scarves US", "Tablets", "USD", "200", " --", " --", "0.00", "0.00", "0.00"],
            ["Hats US", "Mobile phones", "USD", "500", "5", "1.00%", "4.00", "0.00", "0.00"],
            ["Total: Account", " --", " --", "4,700", "105", "2.23%", "154.00", "3.00", "270.00"]]
    path = exports.write_csv(tmp_path / "Campaign report.csv", rows)
    dataset = load_paths([str(path)], config)
    item = only(dataset)
    frame = dataset.frames["ad_report"].set_index("campaign")
    assert sorted(frame.index) == ["Hats US", "Scarves US"]
    scarves = frame.loc["Scarves US"]
    assert (scarves["impressions"], scarves["clicks"], scarves["cost"], scarves["gmv"]) == (4200, 100, 150.0, 270.0)
    assert scarves["ctr"] == pytest.approx(100 / 4200)
    assert scarves["window_days"] == 7 and scarves["currency"] == "USD"
    assert any("split by Device" in w.reason for w in item.warnings)


def test_breakdown_total_rows_are_not_campaigns(tmp_path, config):
    rows = [["Campaign report"], ["Q1 2026 - Q2 2026"],
            ["Campaign", "Impr.", "Clicks", "Cost"],
            ["Scarves US", "4,200", "100", "150.00"],
            ["Q1 2026", "2,000", "50", "70.00"], ["Mobile phones", "3,000", "60", "90.00"]]
    dataset = load_paths([str(exports.write_csv(tmp_path / "Campaign report.csv", rows))], config)
    assert dataset.frames["ad_report"]["campaign"].tolist() == ["Scarves US"]


def test_counts_derived_from_a_rate_are_whole_and_marked(tmp_path, config):
    # A keyword report with clicks and CTR but no impressions column: 31 ÷ 1.3883% = 2232.9…
    rows = [["Campaign Name", "Targeting", "Clicks", "Click-Thru Rate (CTR)", "Spend"],
            ["SP - shawls", "wool shawl", "31", "1.3883%", "$201.68"],
            ["SP - shawls", "pashmina", "0", "0.00%", "$0.00"]]
    dataset = load_paths([str(exports.write_xlsx(tmp_path / "keywords.xlsx", rows))], config)
    frame = dataset.frames["ad_report"]
    assert frame["impressions"].iloc[0] == 2233 and frame["impressions_derived"].tolist() == [True, False]
    assert pd.isna(frame["impressions"].iloc[1])


# -- cross-file sanity ---------------------------------------------------------------------------------

def test_impossible_numbers_across_files_are_warned_naming_both(tmp_path, config):
    shop = exports.sycm_shop(tmp_path / "店铺整体.xls", [
        {"统计日期": "2026-11-21", "访客数": 1500, "支付金额": 20000.0},
        {"统计日期": "2026-11-22", "访客数": 1000, "支付金额": 8000.0}], "2026-11-21", "2026-11-22")
    items = exports.sycm_item(tmp_path / "商品.xls", [
        {"统计日期": "2026-11-22", "商品ID": "5531", "商品访客数": 1391, "支付金额": 5000.0},
        {"统计日期": "2026-11-22", "商品ID": "7781", "商品访客数": 300, "支付金额": 900.0}], "2026-11-22", "2026-11-22")
    plans = exports.wxt_plans_zip(tmp_path / "万相台.zip", [
        {"日期": "2026-11-22", "计划名字": "双11", "花费": 900, "展现量": 20000, "点击量": 400, "总成交金额": 12000},
        {"日期": "2026-11-21", "计划名字": "双11", "花费": 900, "展现量": 20000, "点击量": 400, "总成交金额": 12000}])
    dataset = load_paths([str(shop), str(items), str(plans)], config)
    by_path = {item.path: item for item in dataset.inputs}
    ad_lines = [w.line() for w in by_path[str(plans)].warnings]
    assert len(ad_lines) == 1, ad_lines  # only the 22nd: 12,000 against the shop's 8,000
    assert "12,000" in ad_lines[0] and "8,000" in ad_lines[0] and "2026-11-22" in ad_lines[0]
    assert str(shop) in ad_lines[0]
    item_lines = [w.line() for w in by_path[str(items)].warnings]
    assert len(item_lines) == 1 and "item 5531 has 1,391 visitors, more than the shop's 1,000" in item_lines[0]
    assert str(shop) in item_lines[0]


# -- more of the exports operators have ----------------------------------------------------------------

BULK_HEADERS = ["Product", "Entity", "Operation", "Campaign ID", "Ad Group ID", "Keyword ID", "Campaign Name",
                "Ad Group Name", "Campaign Name (Informational only)", "Ad Group Name (Informational only)",
                "Start Date", "End Date", "State", "Daily Budget", "SKU", "Bid", "Keyword Text", "Match Type",
                "Product Targeting Expression", "Impressions", "Clicks", "Click-through Rate", "Spend", "Sales",
                "Orders", "Units", "Conversion Rate", "ACOS", "CPC", "ROAS"]


def bulk_row(entity: str, **values) -> list:
    return [values.get(header, "") for header in BULK_HEADERS]


def test_amazon_bulk_sponsored_products_sheet_is_an_ad_report_by_entity(tmp_path, config):
    # Amazon Ads bulk operations file, sheet `Sponsored Products Campaigns` (columns as in Amazon's
    # bulksheets documentation): every entity on its own row with its own numbers.
    common = {"Product": "Sponsored Products", "Campaign ID": "1001", "Campaign Name (Informational only)": "SP wool",
              "State": "enabled"}
    rows = [BULK_HEADERS,
            bulk_row("", **common, Entity="Campaign", **{"Campaign Name": "SP wool", "Daily Budget": 20,
                     "Impressions": 5000, "Clicks": 90, "Spend": 81.0, "Sales": 300.0, "Orders": 6}),
            bulk_row("", **common, Entity="Ad Group", **{"Ad Group Name": "scarves", "Impressions": 5000,
                     "Clicks": 90, "Spend": 81.0, "Sales": 300.0}),
            bulk_row("", **common, Entity="Product Ad", **{"SKU": "WS-01", "Impressions": 5000, "Clicks": 90, "Spend": 81.0}),
            bulk_row("", **common, Entity="Keyword", **{"Ad Group Name (Informational only)": "scarves", "Bid": 0.9,
                     "Keyword Text": "wool scarf", "Match Type": "exact", "Impressions": 3000, "Clicks": 60,
                     "Spend": 54.0, "Sales": 240.0, "Orders": 5}),
            bulk_row("", **common, Entity="Product Targeting", **{"Ad Group Name (Informational only)": "scarves",
                     "Bid": 0.7, "Product Targeting Expression": 'asin="B0WOOL0001"', "Impressions": 2000,
                     "Clicks": 30, "Spend": 27.0, "Sales": 60.0, "Orders": 1}),
            bulk_row("", **common, Entity="Negative Keyword", **{"Keyword Text": "cheap", "Match Type": "negativeExact"})]
    path = exports.write_xlsx(tmp_path / "bulk-a1b2c3-20260508.xlsx", {"Portfolios": [["Portfolio ID"]],
                                                                        "Sponsored Products Campaigns": rows})
    dataset = load_paths([str(path)], config)
    [item] = [i for i in dataset.inputs if i.status == "ok"]
    assert (item.kind, item.level) == ("ad_report", "keyword")
    frame = dataset.frames["ad_report"]
    assert frame["level"].tolist() == ["campaign", "keyword", "keyword"]
    assert frame["keyword"].fillna("").tolist() == ["", "wool scarf", 'asin="B0WOOL0001"']
    assert frame["campaign"].tolist() == ["SP wool"] * 3
    assert frame.loc[frame["level"] == "keyword", "cost"].sum() == 81.0  # no ad group or product ad counted again
    assert any("other entities" in w.reason for w in item.warnings)


def test_amazon_business_report_by_date_is_the_shops_day(tmp_path, config):
    rows = [["Date", "Ordered Product Sales", "Units Ordered", "Total Order Items", "Page Views - Total",
             "Sessions - Total", "Unit Session Percentage"],
            ["05/01/2026", "$1,234.56", "12", "11", "820", "600", "2.00%"],
            ["05/02/2026", "$980.00", "9", "9", "700", "540", "1.67%"]]
    dataset = load_paths([str(exports.write_csv(tmp_path / "BusinessReport-5-03-26.csv", rows))], config)
    item = only(dataset)
    assert (item.kind, item.dates, item.currency) == ("shop_daily", ["2026-05-01", "2026-05-02"], "USD")
    assert dataset.frames["shop_daily"]["gmv"].tolist() == [1234.56, 980.0]


def test_shopify_sales_by_product_is_an_item_table_over_its_file_name_range(tmp_path, config):
    rows = [["Product title", "Product vendor", "Product type", "Net quantity", "Gross sales", "Discounts",
             "Returns", "Net sales", "Taxes", "Total sales"],
            ["Merino scarf", "Wool Co", "Scarves", "14", "€840.00", "-€42.00", "€0.00", "€798.00", "€151.62", "€949.62"],
            ["Cashmere hat", "Wool Co", "Hats", "3", "€270.00", "€0.00", "-€90.00", "€180.00", "€34.20", "€214.20"]]
    path = exports.write_csv(tmp_path / "Sales by product - 2026-05-01 - 2026-05-07.csv", rows)
    dataset = load_paths([str(path)], config)
    item = only(dataset)
    assert (item.kind, item.currency) == ("item_daily", "EUR")
    frame = dataset.frames["item_daily"]
    assert frame["item_id"].tolist() == ["Merino scarf", "Cashmere hat"]
    assert frame["units"].tolist() == [14, 3] and frame["gmv"].tolist() == [949.62, 214.20]
    assert frame["window_days"].tolist() == [7, 7] and frame["date"].tolist() == ["2026-05-07"] * 2


def test_google_ads_search_term_and_ad_group_reports(tmp_path, config):
    terms = [["Search terms report"], ["May 1, 2026 - May 7, 2026"],
             ["Search term", "Match type", "Added/Excluded", "Campaign", "Ad group", "Keyword", "Currency code",
              "Impr.", "Clicks", "Cost", "Conversions"],
             ["merino wool scarf", "Phrase match", "None", "Scarves US", "Scarves", "wool scarf", "USD", "420", "21",
              "30.10", "1.00"],
             ["Total: Search terms", " --", " --", " --", " --", " --", " --", "420", "21", "30.10", "1.00"]]
    groups = [["Ad group report"], ["May 1, 2026 - May 7, 2026"],
              ["Ad group", "Campaign", "Ad group status", "Currency code", "Impr.", "Clicks", "Cost", "Conv. value"],
              ["Scarves", "Scarves US", "Enabled", "USD", "1,316", "80", "120.00", "520.00"]]
    dataset = load_paths([str(exports.write_csv(tmp_path / "Search terms report.csv", terms)),
                          str(exports.write_csv(tmp_path / "Ad group report.csv", groups))], config)
    first, second = dataset.inputs
    assert (first.kind, first.level, first.rows) == ("ad_report", "keyword", 1)
    assert (second.kind, second.level, second.rows) == ("ad_report", "campaign", 1)
    frame = dataset.frames["ad_report"]
    assert frame["search_term"].tolist()[0] == "merino wool scarf"
    assert frame["ad_group"].tolist() == ["Scarves", "Scarves"] and set(frame["window_days"]) == {7}


# -- the report writes each amount in its file's currency -----------------------------------------------

def usd_business_reports(tmp_path):
    """An Amazon.com seller's morning: the Business Report by date (14 days, sales fall on the last)
    and by ASIN for the last day, `$` in every amount, no `shop.currency` in the config."""
    import datetime as dt

    first = dt.date(2026, 5, 1)
    by_date = [["Date", "Ordered Product Sales", "Units Ordered", "Total Order Items", "Page Views - Total",
                "Sessions - Total", "Unit Session Percentage"]]
    for day in range(14):
        sales, units = (2400.0, 24) if day < 13 else (900.0, 9)
        by_date.append([(first + dt.timedelta(days=day)).strftime("%m/%d/%Y"), f"${sales:,.2f}", str(units),
                        str(units), "3,600", "1,200", f"{units / 1200:.2%}"])
    dates = exports.write_csv(tmp_path / "BusinessReport-5-15-26.csv", by_date)
    return dates


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_usd_accounts_findings_say_dollars_and_the_json_says_usd(tmp_path, config, lang):
    import json

    from shopdoc.api import build_report
    from shopdoc.report import render, render_json

    dataset = load_paths([str(usd_business_reports(tmp_path))], config)
    assert only(dataset).currency == "USD"
    report = build_report(dataset, config, date="2026-05-14", lang=lang)
    [drop] = [f for f in report.findings if f.rule == "sales.gmv_drivers"]
    assert drop.currency == "USD" and drop.money == pytest.approx(1500.0)
    assert "$2,400" in drop.title and "$900" in drop.title
    assert "¥" not in drop.title + drop.action and "元" not in drop.title + drop.action
    text = render(report, "text")
    assert "$1,500" in text and "¥" not in text and " 元" not in text
    payload = json.loads(render_json(report))
    [money] = [f["money"] for f in payload["findings"] if f["rule"] == "sales.gmv_drivers"]
    assert money == {"amount": 1500.0, "currency": "USD", "per": "day"}


# -- text that is neither UTF-8 nor GBK ---------------------------------------------------------------

def test_a_windows_1252_csv_from_excel_is_read_as_such_not_as_gbk(tmp_path, config):
    # An Amazon.co.uk Business Report opened in Excel for Windows and saved as "CSV (Comma delimited)":
    # Windows-1252, so `£` is one byte (0xA3), the en dash of `Sessions – Total` 0x96, `’` 0x92, `é`
    # 0xE9. Read as GBK, `Café` and `Men’s` came out as Chinese characters and every `£` as U+FFFD.
    rows = [["(Parent) ASIN", "(Child) ASIN", "Title", "Sessions – Total", "Units Ordered", "Ordered Product Sales"],
            ["B0PARENT01", "B0CHILD001", "Men’s Merino Scarf – Navy", "1,204", "31", "£1,234.56"],
            ["B0PARENT01", "B0CHILD002", "Café crème wool hat", "310", "4", "£96.00"]]
    path = exports.write_csv(tmp_path / "BusinessReport-11-22-26.csv", rows, encoding="cp1252")
    dataset = load_paths([str(path)], config)
    item = only(dataset)
    assert (item.kind, item.encoding, item.currency) == ("item_daily", "cp1252", "GBP")
    assert item.columns["Sessions – Total"] == "visitors"
    frame = dataset.frames["item_daily"]
    assert frame["item_name"].tolist() == ["Men’s Merino Scarf – Navy", "Café crème wool hat"]
    assert frame["gmv"].tolist() == [1234.56, 96.0] and frame["visitors"].tolist() == [1204, 310]
    assert not item.warnings


def test_gbk_with_a_few_latin_words_stays_gbk(tmp_path, config):
    rows = [["计划名字", "关键词", "展现量", "点击量", "花费"],
            ["双11 iPhone壳", "手机壳 女款", 12000, 300, "450.00"], ["春季", "T恤 男", 900, 12, "30.50"]]
    path = exports.write_csv(tmp_path / "直通车_关键词_20261122.csv", rows, encoding="gbk")
    item = only(load_paths([str(path)], config))
    assert item.encoding == "gb18030"


def test_an_amazon_in_ad_report_is_written_in_rupees(tmp_path, config):
    from shopdoc.api import build_report
    from shopdoc.report import render

    rows = [row[:] for row in AMAZON_IN_SEARCH_TERM]
    for number in range(12):  # enough keywords for the ad rules to judge
        clicks = 20 + number
        rows.append(["01-May-2026", "07-May-2026", "Not grouped", "SP - shawls", "shawls", f"shawl {number}", "BROAD",
                     f"shawl term {number}", f"{1500 + 100 * number:,}", str(clicks), "", "", f"Rs.{clicks * 6.5:.2f}",
                     "Rs.0.00", "", "0"])
    path = exports.write_xlsx(tmp_path / "Sponsored_Products_Search_term_report.xlsx", rows)
    dataset = load_paths([str(path)], config)
    report = build_report(dataset, config, lang="en")
    text = render(report, "text")
    assert "₹" in text and "¥" not in text and "Rs." not in text, text
    assert {b.frame["currency"].iloc[0] for b in report.blocks} == {"INR"}
    assert set(report.at_stake) == {"INR"}


def test_folded_findings_in_two_currencies_are_never_added_up():
    from shopdoc.model import Finding
    from shopdoc.report._format import folded_line, listed

    def finding(number: int, currency: str) -> Finding:
        return Finding(rule="ads.zero_click", severity="info", owner="promotion", subject=f"keyword:k{number}",
                       evidence={}, money=10.0, order=1, msg="x", currency=currency)

    _, [mixed] = listed([finding(n, "USD") for n in range(3)] + [finding(n + 3, "CNY") for n in range(3)],
                        limits={"critical": 1, "warning": 1, "info": 1})
    assert mixed.count == 5 and mixed.money == 0.0  # not 50 of nothing in particular
    assert "$" not in folded_line(mixed, "en") and "¥" not in folded_line(mixed, "en")
    _, [dollars] = listed([finding(n, "USD") for n in range(3)], limits={"critical": 1, "warning": 1, "info": 1})
    assert (dollars.money, dollars.currency) == (20.0, "USD") and "$20" in folded_line(dollars, "en", "CNY")


def test_two_marketplaces_read_together_are_warned_naming_each_currency(tmp_path, config):
    # Amazon.com and Amazon.in Business Reports by date in one folder: one shop's day cannot be both.
    def business_report(name: str, money: str) -> str:
        rows = [["Date", "Ordered Product Sales", "Units Ordered", "Total Order Items", "Sessions - Total"],
                ["05/01/2026", money, "12", "11", "600"], ["05/02/2026", money, "9", "9", "540"]]
        return str(exports.write_csv(tmp_path / name, rows))

    dataset = load_paths([business_report("BusinessReport-us.csv", "$1,234.56"),
                          business_report("BusinessReport-in.csv", "Rs.98,000.00")], config)
    us, india = dataset.inputs
    assert (us.currency, india.currency) == ("USD", "INR")
    for item in (us, india):
        [line] = [w.line() for w in item.warnings if "several currencies" in w.reason]
        assert "USD: BusinessReport-us.csv" in line and "INR: BusinessReport-in.csv" in line
        assert "shops:" in line
    one = load_paths([business_report("BusinessReport-us2.csv", "$1,000.00")], config)
    assert not [w for w in only(one).warnings if "several currencies" in w.reason]


# -- real downloads from public repositories (tests/real/README.md says where each comes from) ---------

REAL = __import__("pathlib").Path(__file__).parent / "real"


@pytest.mark.parametrize("name, rows, currency, dates, spend, sales, symbol", [
    ("amazon-us-sp-search-term-report-2022-08-01.xlsx", 50, "USD", ["2022-08-01"], 42.99, 54.95, "$"),
    ("amazon-in-sp-search-term-report-2020-02.xlsx", 923, "INR", ["2020-02-01", "2020-02-29"], 47108.12, 70853.92, "₹"),
])
def test_real_amazon_search_term_reports(config, name, rows, currency, dates, spend, sales, symbol):
    from shopdoc.api import build_report
    from shopdoc.report import render

    dataset = load_paths([str(REAL / name)], config)
    item = only(dataset)
    assert (item.kind, item.level, item.rows, item.header_row) == ("ad_report", "keyword", rows, 1)
    assert (item.currency, item.currency_from) == (currency, "column")
    assert (item.dates[0], item.dates[-1]) == (dates[0], dates[-1])
    frame = dataset.frames["ad_report"]
    assert frame["cost"].sum() == pytest.approx(spend) and frame["gmv"].sum() == pytest.approx(sales)
    assert set(frame["currency"]) == {currency} and set(frame["window_days"]) == {1}
    assert frame["search_term"].notna().all() and frame["keyword"].notna().all()
    # Amazon's conversion is orders ÷ clicks: 3 orders from 1 click is 300%, not a wrong value.
    assert not [w for w in item.warnings if "100%" in w.reason], [w.line() for w in item.warnings]
    report = build_report(dataset, config, lang="en")
    assert report.blocks and {b.frame["currency"].iloc[0] for b in report.blocks} == {currency}
    text = render(report, "text")
    assert symbol in text and "¥" not in text and " 元" not in text


def test_an_ad_conversion_above_100_percent_is_kept_only_when_orders_exceed_clicks(tmp_path, config):
    rows = [["Date", "Campaign Name", "Targeting", "Impressions", "Clicks", "Spend", "7 Day Total Orders (#)",
             "7 Day Conversion Rate"],
            ["2026-05-01", "SP", "wool shawl", "900", "1", "$0.80", "3", "300.00%"],   # one click, three orders
            ["2026-05-01", "SP", "pashmina", "900", "10", "$8.00", "1", "150.00%"]]    # cannot be
    dataset = load_paths([str(exports.write_csv(tmp_path / "search_terms.csv", rows))], config)
    frame = dataset.frames["ad_report"]
    assert frame["conversion_rate"].iloc[0] == pytest.approx(3.0) and pd.isna(frame["conversion_rate"].iloc[1])
    [warning] = [w for w in only(dataset).warnings if "100%" in w.reason]
    assert warning.row == 3


def test_real_amazon_in_campaign_report_with_rupee_amounts(tmp_path, config):
    # The file the issue quotes: `Rs.201.68` spends, `14 Day Total Sales (₹)`, and a Start Date that is the
    # campaign's start, not the row's window (each row is its Date).
    dataset = load_paths([str(REAL / "amazon-in-sp-campaign-report-2020-02.csv")], config)
    item = only(dataset)
    assert (item.kind, item.level, item.rows, item.currency) == ("ad_report", "campaign", 182, "INR")
    frame = dataset.frames["ad_report"]
    assert frame["cost"].sum() == pytest.approx(47108.12) and frame["gmv"].sum() == pytest.approx(71129.81)
    assert frame["cost"].notna().all() and not [w for w in item.warnings if "amount" in w.reason]
    assert set(frame["window_days"]) == {1} and frame["campaign"].nunique() == 10
    assert (item.dates[0], item.dates[-1]) == ("2020-02-01", "2020-02-29")
    # A campaign with an end date keeps its rows on their own days.
    rows = (REAL / "amazon-in-sp-campaign-report-2020-02.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    ended = [rows[0]] + [line.replace('"Jan 18, 2020",,', '"Jan 18, 2020","Mar 31, 2020",') for line in rows[1:]]
    path = tmp_path / "Sponsored Products Campaign report.csv"
    path.write_text("\n".join(ended) + "\n", encoding="utf-8")
    assert "End Date" in header
    again = load_paths([str(path)], config)
    assert only(again).dates[-1] == "2020-02-29" and set(again.frames["ad_report"]["window_days"]) == {1}


def test_real_amazon_in_placement_report_is_summed_per_campaign_and_day(config):
    # Each campaign's day split by Placement (Top of Search, Rest of search, Product pages): one row
    # per campaign and day after summing, so no campaign is counted three times as three subjects.
    dataset = load_paths([str(REAL / "amazon-in-sp-placement-report-2020-02.xlsx")], config)
    item = only(dataset)
    frame = dataset.frames["ad_report"]
    assert (item.kind, item.level, len(frame)) == ("ad_report", "campaign", 182)
    assert not frame.duplicated(["campaign", "date"]).any()
    assert frame["cost"].sum() == pytest.approx(47108.12) and frame["gmv"].sum() == pytest.approx(71129.81)
    assert any("split by Placement" in w.reason for w in item.warnings)


@pytest.mark.parametrize("name, level, rows, subject", [
    ("google-ads-search-keyword-report-2026-05-01-08.csv", "keyword", 17, "keyword"),
    ("google-ads-search-terms-report-2026-05-01-08.csv", "keyword", 18, "search_term"),
])
def test_real_google_ads_utf16_reports_with_a_day_first_range_line(config, name, level, rows, subject):
    from shopdoc.api import build_report
    from shopdoc.report import render

    dataset = load_paths([str(REAL / name)], config)
    item = only(dataset)
    assert (item.kind, item.level, item.rows, item.header_row) == ("ad_report", level, rows, 3)
    assert (item.encoding, item.currency, item.currency_from) == ("utf-16", "CAD", "column")
    assert item.dates == ["2026-05-08"] and item.dates_from == "description:1 May 2026 - 8 May 2026"
    frame = dataset.frames["ad_report"]
    assert set(frame["start_date"]) == {"2026-05-01"} and set(frame["window_days"]) == {8}
    assert not frame[subject].astype("str").str.contains("Total").any()  # nine Total: lines left out
    assert frame["cost"].sum() == pytest.approx(0.12) and frame["clicks"].sum() == 1
    text = render(build_report(dataset, config, lang="en"), "text")
    assert "¥" not in text and " 元" not in text


def test_real_shopify_sessions_by_month_keep_each_calendar_month(config):
    dataset = load_paths([str(REAL / "shopify-sessions-over-time-by-month-2024.csv")], config)
    item = only(dataset)
    assert (item.kind, item.rows, item.dates_from) == ("shop_daily", 12, "column:Month")
    frame = dataset.frames["shop_daily"]
    assert frame["start_date"].tolist()[:2] == ["2024-01-01", "2024-02-01"]
    assert frame["date"].tolist()[:2] == ["2024-01-31", "2024-02-29"]  # 2024 is a leap year
    assert frame["window_days"].tolist() == [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    # this year's visitors, never the previous year's columns beside them
    assert frame["visitors"].tolist()[:3] == [11614, 9252, 8732] and frame["visitors"].iloc[8] == 77306
    assert (item.currency, item.currency_from) == (None, "unknown")  # visitors only: no money to say
    assert any("totals over 31 days" in w.reason for w in item.warnings)
