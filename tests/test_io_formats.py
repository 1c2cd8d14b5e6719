"""Every confirmed export shape in FORMATS.md reads as the right kind with the right values."""

from __future__ import annotations

import math

import pytest

import exports
from shopdoc.config import Config, defaults, merge
from shopdoc.io import load_paths


@pytest.fixture(scope="module")
def config() -> Config:
    """English wording: these tests read the warnings (a Chinese report words them in Chinese)."""
    return Config(merge({"shop": {"lang": "en"}}))


def only_input(dataset):
    assert len(dataset.inputs) == 1, [i.error for i in dataset.inputs]
    item = dataset.inputs[0]
    assert item.status == "ok", item.error
    return item


def item_records(day: str) -> list[dict]:
    return [
        {"统计日期": day, "商品ID": "5531", "商品名称": "加厚羊毛衫女冬", "价格": 236, "商品访客数": 1391,
         "商品浏览量": 3120, "平均停留时长": 15.74, "商品详情页跳出率": 0.7748, "商品收藏人数": 88,
         "商品加购人数": 120, "下单买家数": 47, "下单转化率": 0.0338, "支付买家数": 44, "支付件数": 46,
         "支付金额": 10384.0, "商品支付转化率": 0.0316, "访客平均价值": 7.47},
        {"统计日期": day, "商品ID": "643210987654", "商品名称": "预售 羽绒服", "价格": 599, "商品访客数": 812,
         "下单买家数": 12, "支付买家数": 0, "支付金额": 0, "商品支付转化率": 0.0},
        {"统计日期": day, "商品ID": "-", "商品名称": "已删除商品"},
    ]


# -- 生意参谋 ---------------------------------------------------------------------------------------

def test_sycm_item_binary_xls_with_four_description_rows(tmp_path, config):
    path = exports.sycm_item(tmp_path / "【生意参谋平台】商品_全部_2026-11-22_2026-11-22.xls",
                             item_records("2026-11-22"), "2026-11-22", "2026-11-22")
    dataset = load_paths([str(path)], config)
    item = only_input(dataset)
    assert (item.kind, item.file_format, item.header_row, item.rows) == ("item_daily", "xls", 5, 2)
    assert item.dates == ["2026-11-22"]
    assert item.columns["商品访客数"] == "visitors" and item.columns["商品类型"] is None
    frame = dataset.frames["item_daily"]
    hero = frame[frame["item_id"] == "5531"].iloc[0]
    assert hero["visitors"] == 1391 and hero["gmv"] == 10384.0 and hero["price"] == 236
    assert hero["conversion_rate"] == pytest.approx(0.0316)
    assert hero["bounce_rate"] == pytest.approx(0.7748)
    assert hero["avg_stay_seconds"] == pytest.approx(15.74)
    assert hero["_row"] == 6 and hero["_file"] == str(path)
    presale = frame[frame["item_id"] == "643210987654"].iloc[0]
    # Presale: orders but 0 payment conversion is data, not an error.
    assert presale["order_buyers"] == 12 and presale["conversion_rate"] == 0.0
    assert "-" not in set(frame["item_id"])
    assert math.isnan(presale["pageviews"])  # "-" is missing
    assert item.warnings == []


def test_sycm_csv_that_is_really_xls(tmp_path, config):
    path = exports.sycm_item(tmp_path / "【生意参谋平台】商品_全部_2026-11-22_2026-11-22.csv",
                             item_records("2026-11-22"), "2026-11-22", "2026-11-22", as_="csv-xls")
    item = only_input(load_paths([str(path)], config))
    assert (item.kind, item.file_format, item.rows) == ("item_daily", "xls", 2)


def test_html_table_saved_as_xls(tmp_path, config):
    path = exports.sycm_item(tmp_path / "商品排行.xls", item_records("2026-11-21"), "2026-11-21", "2026-11-21",
                             as_="html")
    dataset = load_paths([str(path)], config)
    item = only_input(dataset)
    assert (item.kind, item.file_format, item.header_row) == ("item_daily", "html", 5)
    frame = dataset.frames["item_daily"]
    assert frame.loc[frame["item_id"] == "5531", "visitors"].item() == 1391
    assert frame["date"].unique().tolist() == ["2026-11-21"]


def test_html_detected_after_bom_and_whitespace_in_any_case(tmp_path, config):
    rows = exports.sycm_item_rows(item_records("2026-11-22"), "2026-11-22", "2026-11-22")
    data = b"\xef\xbb\xbf\r\n  " + exports.html_bytes(rows).replace(b"<table", b"<TABLE").replace(b"</table", b"</TABLE")
    path = tmp_path / "report.xls"
    path.write_bytes(data.replace(b"<html", b"<HTML", 1))
    item = only_input(load_paths([str(path)], config))
    assert (item.kind, item.file_format, item.rows) == ("item_daily", "html", 2)


def test_sycm_sources_gbk_csv_drops_subtotals(tmp_path, config):
    records = [
        {"统计日期": "2026-11-22", "流量载体": "无线端", "一级来源": "淘内免费", "二级来源": "手淘搜索", "三级来源": "-",
         "访客数": 2100, "支付买家数": 42, "支付转化率": 0.02, "支付金额": 9100.5, "客单价": 216.68},
        {"统计日期": "2026-11-22", "流量载体": "无线端", "一级来源": "淘内免费", "二级来源": "手淘推荐", "三级来源": "-",
         "访客数": 1300, "支付买家数": 13, "支付转化率": 0.01, "支付金额": 2600.0},
        {"统计日期": "2026-11-22", "流量载体": "无线端", "一级来源": "付费流量", "二级来源": "直通车", "三级来源": "-",
         "访客数": 900, "支付买家数": 27, "支付转化率": 0.03, "支付金额": 6500.0},
    ]
    path = exports.sycm_sources(tmp_path / "【生意参谋平台】无线店铺流量来源-2026-11-22_2026-11-22.csv", records,
                                "2026-11-22", "2026-11-22")
    assert path.read_bytes().decode("gbk")  # really GBK
    dataset = load_paths([str(path)], config)
    item = only_input(dataset)
    assert (item.kind, item.encoding, item.header_row, item.rows) == ("traffic_source", "gb18030", 6, 3)
    frame = dataset.frames["traffic_source"]
    assert "汇总" not in set(frame["source_detail"])
    assert frame["visitors"].sum() == 4300  # no double counting from subtotal rows
    search = frame[frame["source_detail"] == "手淘搜索"].iloc[0]
    assert search["source"] == "淘内免费" and search["gmv"] == 9100.5 and search["conversion_rate"] == 0.02
    assert item.columns["访客数环比"] is None  # the …环比 columns are not mapped


# -- 阿里妈妈 ---------------------------------------------------------------------------------------

def test_ztc_keyword_report_gbk_with_total_row(tmp_path, config):
    records = [
        {"日期": "2026-11-22", "推广计划": "羊毛衫-搜索", "推广单元": "5531", "关键词": "羊毛衫女", "出价": 1.35,
         "展现量": 12850, "点击量": 530, "点击率": 0.0412, "花费": 651.9, "平均点击花费": 1.23, "平均展现排名": 8,
         "总成交金额": 3850.0, "总成交笔数": 16, "投入产出比": 5.91, "总购物车数": 41},
        {"日期": "2026-11-22", "推广计划": "羊毛衫-搜索", "推广单元": "5531", "关键词": "毛衣 女 冬", "出价": 0.9,
         "展现量": 4200, "点击量": 0, "点击率": 0.0, "花费": 0, "总成交金额": 0, "总成交笔数": 0, "投入产出比": 0},
    ]
    path = exports.ztc_keywords(tmp_path / "直通车_关键词报表_20261122-20261122.csv", records)
    dataset = load_paths([str(path)], config)
    item = only_input(dataset)
    assert (item.kind, item.level, item.rows) == ("ad_report", "keyword", 2)
    frame = dataset.frames["ad_report"]
    first = frame.iloc[0]
    assert first["ctr"] == pytest.approx(0.0412) and first["impressions"] == 12850 and first["roi"] == 5.91
    assert first["bid"] == 1.35 and first["currency"] == "CNY" and first["level"] == "keyword"
    assert frame["cost"].sum() == pytest.approx(651.9)  # the 合计 row is gone


def test_wanxiangtai_zip_holding_one_csv(tmp_path, config):
    records = [
        {"日期": "2026-11-22", "场景ID": "1", "场景名字": "关键词推广", "计划ID": "3301", "计划名字": "羊毛衫拉新",
         "花费": 820.5, "展现量": 26000, "点击量": 811, "点击率": 0.0312, "总成交金额": 2150.0, "总成交笔数": 9,
         "投入产出比": 2.62, "总购物车数": 35},
    ]
    path = exports.wxt_plans_zip(tmp_path / "万相台_计划报表_20261122_081502.zip", records)
    dataset = load_paths([str(path)], config)
    item = only_input(dataset)
    assert (item.kind, item.file_format, item.encoding, item.level) == ("ad_report", "zip:csv", "utf-8-sig", "campaign")
    row = dataset.frames["ad_report"].iloc[0]
    assert row["ctr"] == pytest.approx(0.0312)  # a fraction stays a fraction
    assert row["campaign"] == "羊毛衫拉新" and row["campaign_id"] == "3301" and row["date"] == "2026-11-22"


# -- Google Ads, Amazon, Shopify --------------------------------------------------------------------

GOOGLE_ROWS = [
    {"Keyword status": "Enabled", "Keyword": "wool sweater women", "Match type": "Phrase match",
     "Campaign": "Search - Sweaters", "Ad group": "Wool", "Max. CPC": "1.20", "Currency code": "USD",
     "Impr.": "12,480", "Clicks": "612", "CTR": "4.90%", "Avg. CPC": "0.86", "Cost": "1,316.14",
     "Conversions": "21.00", "Conv. value": "3,950.00", "Conv. value / cost": "3.00"},
    {"Keyword status": "Enabled", "Keyword": "cashmere cardigan", "Match type": "Exact match",
     "Campaign": "Search - Sweaters", "Ad group": "Cashmere", "Max. CPC": " --", "Currency code": "USD",
     "Impr.": "3,015", "Clicks": "0", "CTR": "0.00%", "Avg. CPC": " --", "Cost": "0.00", "Conversions": "0.00",
     "Conv. value": "0.00", "Conv. value / cost": " --"},
]


@pytest.mark.parametrize("utf16", [False, True])
def test_google_ads_keyword_report(tmp_path, config, utf16):
    path = exports.google_ads_keywords(tmp_path / "Keyword report.csv", GOOGLE_ROWS,
                                       date_range="Nov 22, 2026 - Nov 22, 2026", utf16=utf16)
    dataset = load_paths([str(path)], config)
    item = only_input(dataset)
    assert (item.kind, item.level, item.header_row, item.rows) == ("ad_report", "keyword", 3, 2)
    assert item.encoding == ("utf-16" if utf16 else "utf-8")
    assert item.dates == ["2026-11-22"]
    frame = dataset.frames["ad_report"]
    first, second = frame.iloc[0], frame.iloc[1]
    assert first["cost"] == pytest.approx(1316.14) and first["impressions"] == 12480
    assert first["ctr"] == pytest.approx(0.049) and first["currency"] == "USD" and first["bid"] == 1.2
    assert math.isnan(second["bid"]) and math.isnan(second["roi"])  # " --" is missing
    assert not frame["keyword"].str.startswith("Total").any()


def test_google_ads_date_range_without_day_column_takes_last_day_and_warns(tmp_path, config):
    path = exports.google_ads_keywords(tmp_path / "Keyword report.csv", GOOGLE_ROWS)
    item = only_input(load_paths([str(path)], config))
    assert item.dates == ["2026-10-16"]
    assert any("2026-10-03 to 2026-10-16" in w.reason for w in item.warnings)


def test_amazon_business_report(tmp_path, config):
    records = [{"(Parent) ASIN": "B0C1PARENT", "(Child) ASIN": "B0C1CHILD1", "Title": "Merino Wool Jumper",
                "SKU": "MW-JMP-01", "Sessions – Total": "1,204", "Page Views – Total": "1,877",
                "Units Ordered": "61", "Unit Session Percentage": "5.07%", "Ordered Product Sales": "£3,049.39",
                "Total Order Items": "58"}]
    path = exports.amazon_business_report(tmp_path / "BusinessReport-8-04-26.csv", records)
    dataset = load_paths([str(path)], config)
    item = only_input(dataset)
    assert item.kind == "item_daily" and item.dates == ["2026-08-04"]
    row = dataset.frames["item_daily"].iloc[0]
    assert row["item_id"] == "MW-JMP-01" and row["visitors"] == 1204 and row["pageviews"] == 1877
    assert row["gmv"] == pytest.approx(3049.39) and row["conversion_rate"] == pytest.approx(0.0507)


def test_shopify_sessions(tmp_path, config):
    records = [{"Day": "2026-11-21", "Online store visitors": 1830, "Sessions": 2240, "Conversion rate": 0.0183,
                "Bounce rate": 0.52, "Average session duration": "00:01:23", "Pageviews": 6120},
               {"Day": "2026-11-22", "Online store visitors": 1702, "Sessions": 2075, "Conversion rate": 0.0171,
                "Bounce rate": 0.55, "Average session duration": "95", "Pageviews": 5530}]
    path = exports.shopify_sessions(tmp_path / "sessions_over_time.csv", records)
    dataset = load_paths([str(path)], config)
    item = only_input(dataset)
    assert item.kind == "shop_daily" and item.dates == ["2026-11-21", "2026-11-22"]
    frame = dataset.frames["shop_daily"]
    assert frame["visitors"].tolist() == [1830, 1702]  # visitors, not sessions
    assert frame["avg_stay_seconds"].tolist() == [83, 95]
    assert frame["bounce_rate"].tolist() == [0.52, 0.55]


# -- 京东 ------------------------------------------------------------------------------------------

def test_jd_sku_xlsx_with_total_row_and_full_width_brackets(tmp_path, config):
    records = [{"时间": "2026-11-22", "SKU": 100012345678, "SKU名称": "保温杯 500ml", "成交金额（元）": 2990,
                "成交商品件数": 31, "成交单量": 30, "成交客户数": 29, "成交转化率": 0.0413, "客单价（元）": 103.1,
                "商品浏览量": 1500, "商品访客数": 702},
               {"时间": "2026-11-22", "SKU": 100012345679, "SKU名称": "保温杯 1L", "成交金额（元）": 1250,
                "成交客户数": 9, "成交转化率": 0.0225, "商品访客数": 400}]
    path = exports.jd_sku_xlsx(tmp_path / "商品明细.xlsx", records)
    dataset = load_paths([str(path)], config)
    item = only_input(dataset)
    assert (item.kind, item.file_format, item.rows) == ("item_daily", "xlsx", 2)
    assert item.columns["成交金额（元）"] == "gmv" and item.columns["客单价（元）"] == "aov"
    frame = dataset.frames["item_daily"]
    assert frame["item_id"].tolist() == ["100012345678", "100012345679"]  # floats back to ids
    assert frame["gmv"].tolist() == [2990, 1250] and frame["conversion_rate"].iloc[0] == pytest.approx(0.0413)


# -- reviews and DSR ------------------------------------------------------------------------------

def test_review_export_with_levels(tmp_path, config):
    records = [
        {"评价时间": "2026-11-22 09:12:45", "商品ID": "5531", "商品名称": "加厚羊毛衫女冬", "评价等级": "差评",
         "评价内容": "起球严重，洗一次就变形", "订单号": "3456789012345678901", "买家昵称": "t**1"},
        {"评价时间": "2026-11-21 20:01:02", "商品ID": "5531", "商品名称": "加厚羊毛衫女冬", "评价等级": "好评",
         "评价内容": "此用户没有填写评价。", "订单号": "3456789012345678902", "买家昵称": "a**9"},
    ]
    path = exports.reviews_xlsx(tmp_path / "评价管理.xlsx", records,
                                headers={k: v for k, v in exports.REVIEW_HEADERS.items() if k != "评分"})
    dataset = load_paths([str(path)], config)
    item = only_input(dataset)
    assert item.kind == "review" and item.dates == ["2026-11-21", "2026-11-22"]
    frame = dataset.frames["review"]
    assert frame["level"].tolist() == ["差评", "好评"]
    assert frame["order_id"].iloc[0] == "3456789012345678901"
    assert frame["placeholder"].tolist() == [False, True]


def test_review_export_with_star_ratings(tmp_path, config):
    records = [{"日期": "2026-11-22", "SKU": "颜色:灰色;尺码:M", "评分": 2, "评论内容": "偏小一码", "用户昵称": "x**2"},
               {"日期": "2026-11-22", "SKU": "颜色:白色;尺码:L", "评分": 5, "评论内容": "很暖和", "用户昵称": "y**3"}]
    headers = {"评论内容": "text", "追加评论": "text", "评分": "num", "日期": "text", "SKU": "text",
               "用户昵称": "text", "商家回复": "text"}
    path = exports.write_csv(tmp_path / "评论.csv", exports.table(headers, records, missing=""))
    dataset = load_paths([str(path)], config)
    assert only_input(dataset).kind == "review"
    frame = dataset.frames["review"]
    assert frame["rating"].tolist() == [2, 5] and frame["buyer"].tolist() == ["x**2", "y**3"]


def test_dsr(tmp_path, config):
    records = [{"日期": day, "描述相符": 4.82, "服务态度": 4.85, "物流服务": value, "同行平均描述相符": 4.78,
                "同行平均服务态度": 4.80, "同行平均物流服务": 4.79}
               for day, value in zip(exports.days("2026-11-22", 3), (4.83, 4.80, 4.76))]
    path = exports.dsr_xlsx(tmp_path / "DSR_店铺评分.xlsx", records)
    dataset = load_paths([str(path)], config)
    item = only_input(dataset)
    assert item.kind == "dsr" and item.rows == 3
    assert dataset.frames["dsr"]["logistics"].tolist() == [4.83, 4.80, 4.76]


def test_sycm_shop_daily(tmp_path, config):
    records = [{"统计日期": day, "访客数": v, "浏览量": v * 3, "跳失率": 0.62, "人均浏览量（访问深度）": 3.0,
                "平均停留时长": 41.2, "支付买家数": v // 50, "支付金额": v * 5.5, "支付转化率": 0.02, "客单价": 275.0,
                "老访客数": v // 5, "下单转化率": 0.024, "同行平均支付转化率": 0.021}
               for day, v in zip(exports.days("2026-11-22", 2), (9000, 8100))]
    path = exports.sycm_shop(tmp_path / "【生意参谋平台】店铺整体_2026-11-21_2026-11-22.xls", records,
                             "2026-11-21", "2026-11-22")
    dataset = load_paths([str(path)], config)
    item = only_input(dataset)
    assert (item.kind, item.header_row, item.dates) == ("shop_daily", 4, ["2026-11-21", "2026-11-22"])
    frame = dataset.frames["shop_daily"]
    assert frame["pages_per_visitor"].tolist() == [3.0, 3.0]
    assert frame["peer_conversion_rate"].tolist() == [0.021, 0.021]
    assert frame["visitors"].tolist() == [9000, 8100]


# -- several sheets, folders, config ------------------------------------------------------------------

def test_workbook_with_several_sheets_yields_one_input_per_sheet(tmp_path, config):
    dsr = exports.table(exports.DSR_HEADERS, [{"日期": "2026-11-22", "描述相符": 4.8, "服务态度": 4.8, "物流服务": 4.7}])
    reviews = exports.table(exports.REVIEW_HEADERS, [{"评价时间": "2026-11-22", "商品ID": "5531", "评分": 1,
                                                      "评价内容": "质量差"}], missing="")
    path = exports.write_xlsx(tmp_path / "店铺.xlsx", {"DSR": dsr, "评价": reviews, "空白": []})
    dataset = load_paths([str(path)], config)
    assert [(i.sheet, i.kind, i.status) for i in dataset.inputs] == [("DSR", "dsr", "ok"), ("评价", "review", "ok")]


def test_folder_reads_exports_sorted_and_skips_hidden_and_lock_files(tmp_path, config):
    exports.dsr_xlsx(tmp_path / "b_dsr.xlsx", [{"日期": "2026-11-22", "描述相符": 4.8, "服务态度": 4.8, "物流服务": 4.7}])
    exports.sycm_item(tmp_path / "a_items.xls", item_records("2026-11-22"), "2026-11-22", "2026-11-22")
    (tmp_path / "~$b_dsr.xlsx").write_bytes(b"lock")
    (tmp_path / ".hidden.csv").write_text("x,y\n1,2\n")
    (tmp_path / "notes.md").write_text("not an export")
    dataset = load_paths([str(tmp_path)], config)
    assert [i.path.rsplit("/", 1)[-1] for i in dataset.inputs] == ["a_items.xls", "b_dsr.xlsx"]
    assert set(dataset.frames) == {"item_daily", "dsr"}


def test_no_paths_reads_the_configured_data_dir(tmp_path):
    exports.dsr_xlsx(tmp_path / "dsr.xlsx", [{"日期": "2026-11-22", "描述相符": 4.8, "服务态度": 4.8, "物流服务": 4.7}])
    dataset = load_paths([], Config(merge({"shop": {"data_dir": str(tmp_path)}})))
    assert [i.kind for i in dataset.inputs] == ["dsr"]


def test_rows_of_a_kind_from_several_files_are_concatenated(tmp_path, config):
    for day in ("2026-11-21", "2026-11-22"):
        exports.sycm_item(tmp_path / f"items_{day}.xls", item_records(day), day, day)
    dataset = load_paths([str(tmp_path)], config)
    frame = dataset.frames["item_daily"]
    assert len(frame) == 4 and sorted(frame["date"].unique()) == ["2026-11-21", "2026-11-22"]
    assert list(frame.columns[-2:]) == ["_file", "_row"]
    assert dataset.latest_date() == "2026-11-22"


def test_pinned_kind_and_extra_aliases(tmp_path):
    rows = [["日子", "UV", "成交额"], ["2026-11-22", "8,100", "44,550.00"]]
    path = exports.write_csv(tmp_path / "my_shop.csv", rows)
    unknown = load_paths([str(path)], Config(defaults())).inputs[0]
    assert unknown.status == "unrecognised"
    config = Config(merge({"inputs": {"kinds": {"my_shop*.csv": "shop_daily"},
                                      "aliases": {"shop_daily": {"date": ["日子"], "visitors": ["UV"],
                                                                 "gmv": ["成交额"]}}}}))
    dataset = load_paths([str(path)], config)
    item = only_input(dataset)
    assert item.kind == "shop_daily" and dataset.frames["shop_daily"]["gmv"].tolist() == [44550.0]
    assert dataset.frames["shop_daily"]["date"].tolist() == ["2026-11-22"]


def test_pinned_kind_without_its_columns_is_an_error_naming_them(tmp_path):
    path = exports.dsr_xlsx(tmp_path / "dsr.xlsx", [{"日期": "2026-11-22", "描述相符": 4.8, "服务态度": 4.8, "物流服务": 4.7}])
    config = Config(merge({"inputs": {"kinds": {"dsr.xlsx": "ad_report"}}}))
    item = load_paths([str(path)], config).inputs[0]
    assert item.status == "error" and item.kind == "ad_report"
    assert ("missing column" in item.error or "缺少" in item.error) and "展现量" in item.error


@pytest.mark.parametrize("label", ["Total: Account", "TOTAL", "Grand Total", "Geſamt", "总合计"])
def test_a_totals_row_is_dropped_however_its_word_is_cased(tmp_path, config, label):
    """The cheap pre-check (is any total word in the column at all?) lowercases the column's text;
    `ſ` (an `s` to re.IGNORECASE) takes the full casefold."""
    rows = [["日期", "推广计划", "关键词", "展现量", "点击量", "花费"],
            ["2026-11-22", "毛衣-休闲款", "加厚毛衣", "1,000", "41", "35.07"],
            ["2026-11-22", "毛衣-休闲款", "羊绒毛衣", "2,000", "50", "40.00"],
            [label, "", "", "3,000", "91", "75.07"]]
    path = exports.write_csv(tmp_path / "直通车_关键词报表.csv", rows)
    frame = load_paths([str(path)], config).frames["ad_report"]
    assert frame["keyword"].tolist() == ["加厚毛衣", "羊绒毛衣"] and frame["cost"].sum() == pytest.approx(75.07)
