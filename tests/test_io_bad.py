"""Bad input is first class: one clear line each, never a traceback; impossible values warned and blanked."""

from __future__ import annotations

import math

import pytest

import exports
from shopdoc.config import Config, defaults, merge
from shopdoc.io import load_paths


@pytest.fixture(scope="module")
def config() -> Config:
    """English wording: these tests read the reasons (a Chinese report words them in Chinese)."""
    return Config(merge({"shop": {"lang": "en"}}))


def read_one(path, config):
    dataset = load_paths([str(path)], config)
    assert len(dataset.inputs) == 1
    return dataset, dataset.inputs[0]


def test_pdf_saved_as_xls_is_not_a_workbook(tmp_path, config):
    path = tmp_path / "【生意参谋平台】商品_全部_2026-11-22_2026-11-22.xls"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    dataset, item = read_one(path, config)
    assert item.status == "error" and not dataset.frames
    assert item.error == "not a spreadsheet or CSV (starts with %PDF) — export it again as .xlsx or .csv"


def test_image_and_damaged_workbook(tmp_path, config):
    png = tmp_path / "screenshot.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert read_one(png, config)[1].error.startswith("not a spreadsheet or CSV (PNG image)")
    broken = tmp_path / "report.xlsx"
    broken.write_bytes(exports.dsr_xlsx(tmp_path / "ok.xlsx", [{"日期": "2026-11-22"}]).read_bytes()[:300])
    item = read_one(broken, config)[1]
    assert item.status == "error" and "export it again" in item.error


def test_missing_path_is_an_error_input(tmp_path, config):
    _, item = read_one(tmp_path / "nope.xls", config)
    assert item.status == "error" and item.error == "file not found — check the path"


def test_empty_file(tmp_path, config):
    path = tmp_path / "直通车_关键词报表.csv"
    path.write_bytes(b"")
    _, item = read_one(path, config)
    assert item.status == "empty" and "empty" in item.error


def test_header_only(tmp_path, config):
    path = exports.ztc_keywords(tmp_path / "直通车_关键词报表.csv", [], total=False)
    dataset, item = read_one(path, config)
    assert item.status == "empty" and item.kind == "ad_report"
    assert item.error == "only a header row, no data rows; check the export's date range"
    assert "ad_report" not in dataset.frames


def test_header_and_total_row_only_is_empty(tmp_path, config):
    path = exports.ztc_keywords(tmp_path / "直通车_关键词报表.csv", [], total=True)
    assert read_one(path, config)[1].status == "empty"


def test_required_column_missing_names_it(tmp_path, config):
    headers = {k: v for k, v in exports.SYCM_SHOP_HEADERS.items() if k not in ("访客数", "支付金额")}
    records = [{"统计日期": "2026-11-22", "浏览量": 24000, "跳失率": 0.71, "支付买家数": 40, "支付转化率": 0.02,
                "客单价": 230.0}]
    path = exports.sycm_shop(tmp_path / "店铺整体.xls", records, "2026-11-22", "2026-11-22", headers=headers)
    dataset, item = read_one(path, config)
    assert item.status == "error" and item.kind == "shop_daily"
    assert item.error.startswith("missing column 访客数, needed for shop_daily")
    assert item.header_row == 4 and item.columns["跳失率"] == "bounce_rate"
    assert not dataset.frames


def test_english_file_missing_column_names_the_english_header(tmp_path, config):
    rows = [["Campaign", "Impressions", "Cost", "Conversions", "Date"], ["Brand", "1,200", "35.10", "2", "2026-11-22"]]
    path = exports.write_csv(tmp_path / "campaigns.csv", rows)
    _, item = read_one(path, config)
    assert item.status == "error" and item.error.startswith("missing column Clicks, needed for ad_report")


def test_unrelated_table_is_unrecognised_not_an_error(tmp_path, config):
    rows = [["订单编号", "买家会员名", "支付单号", "买家应付货款", "买家支付积分", "总金额", "商品ID", "日期", "收货地址"],
            ["3456", "t**1", "2026112222001", "236.00", "0", "236.00", "5531", "2026-11-22", "浙江省杭州市"]]
    path = exports.write_csv(tmp_path / "订单报表.csv", rows)
    _, item = read_one(path, config)
    assert item.status == "unrecognised"
    assert "match no known export" in item.error and "inputs.kinds" in item.error


def test_no_header_in_first_30_rows(tmp_path, config):
    path = tmp_path / "notes.txt"
    path.write_text("\n".join(f"第{i}行说明" for i in range(40)), encoding="utf-8")
    _, item = read_one(path, config)
    assert item.status == "unrecognised"
    assert item.error == "no header row in the first 30 rows"


def test_undecodable_text(tmp_path, config):
    path = tmp_path / "export.csv"
    path.write_bytes(b"\xe6\x97\xa5\xe6\x9c\x9f,\xff\xfe\xfd\x80\x81 x,\x81\xff\n1,2,3\n" * 3)
    _, item = read_one(path, config)
    assert item.status == "error"
    assert "unknown encoding" in item.error and "UTF-8" in item.error


def test_folder_without_exports(tmp_path, config):
    (tmp_path / "readme.md").write_text("x")
    _, item = read_one(tmp_path, config)
    assert item.status == "empty" and "no export files" in item.error


def test_zip_without_exports(tmp_path, config):
    path = exports.write_zip(tmp_path / "报表.zip", {"说明.pdf": b"%PDF-1.4"})
    _, item = read_one(path, config)
    assert item.status == "error" and "zip holds no export file" in item.error


def test_one_bad_file_does_not_stop_the_others(tmp_path, config):
    (tmp_path / "a_broken.xls").write_bytes(b"%PDF-1.4 nope")
    exports.dsr_xlsx(tmp_path / "b_dsr.xlsx", [{"日期": "2026-11-22", "描述相符": 4.8, "服务态度": 4.8, "物流服务": 4.7}])
    dataset = load_paths([str(tmp_path)], config)
    assert [i.status for i in dataset.inputs] == ["error", "ok"]
    assert dataset.has("dsr", "logistics")


# -- impossible values ---------------------------------------------------------------------------------

def test_conversion_above_100_percent_is_warned_and_blanked(tmp_path, config):
    records = [
        {"统计日期": "2026-11-22", "商品ID": "5531", "商品名称": "羊毛衫", "商品访客数": 1000, "支付买家数": 30,
         "支付金额": 7000.0, "商品支付转化率": 0.03},
        {"统计日期": "2026-11-22", "商品ID": "5532", "商品名称": "围巾", "商品访客数": 250, "支付买家数": 20,
         "支付金额": 1800.0, "商品支付转化率": 1.352},
    ]
    path = exports.sycm_item(tmp_path / "items.xls", records, "2026-11-22", "2026-11-22")
    dataset, item = read_one(path, config)
    assert item.status == "ok" and item.rows == 2  # what could be read is still loaded
    frame = dataset.frames["item_daily"]
    bad = frame[frame["item_id"] == "5532"].iloc[0]
    assert math.isnan(bad["conversion_rate"]) and bad["gmv"] == 1800.0  # the rest of the row stays
    assert frame.loc[frame["item_id"] == "5531", "conversion_rate"].item() == pytest.approx(0.03)
    [warning] = item.warnings
    assert (warning.row, warning.column, warning.value) == (7, "商品支付转化率", "135.20%")
    assert "above 100%" in warning.reason and warning.file == str(path)


def test_clicks_above_impressions_blanks_both(tmp_path, config):
    records = [{"日期": "2026-11-22", "推广计划": "A", "关键词": "羊毛衫", "展现量": 120, "点击量": 150, "花费": 80.0,
                "总成交金额": 300.0},
               {"日期": "2026-11-22", "推广计划": "A", "关键词": "毛衣", "展现量": 3000, "点击量": 90, "花费": 100.0}]
    path = exports.ztc_keywords(tmp_path / "kw.csv", records, total=False)
    dataset, item = read_one(path, config)
    frame = dataset.frames["ad_report"]
    first = frame.iloc[0]
    assert math.isnan(first["clicks"]) and math.isnan(first["impressions"]) and first["cost"] == 80.0
    assert frame.iloc[1]["clicks"] == 90
    [warning] = item.warnings
    assert (warning.row, warning.column, warning.value) == (2, "点击量", "150")
    assert "more clicks than impressions" in warning.reason


def test_negative_visitors_and_buyers_above_visitors(tmp_path, config):
    records = [{"统计日期": "2026-11-21", "访客数": -5, "支付金额": 100.0},
               {"统计日期": "2026-11-22", "访客数": 100, "支付买家数": 140, "支付金额": 3000.0}]
    path = exports.sycm_shop(tmp_path / "shop.xls", records, "2026-11-21", "2026-11-22")
    dataset, item = read_one(path, config)
    frame = dataset.frames["shop_daily"]
    assert math.isnan(frame["visitors"].iloc[0]) and math.isnan(frame["buyers"].iloc[1])
    assert frame["visitors"].iloc[1] == 100
    reasons = {(w.row, w.column): w.reason for w in item.warnings}
    assert "negative visitors" in reasons[(5, "访客数")]
    assert "more paying buyers than visitors" in reasons[(6, "支付买家数")]


def test_many_bad_values_are_summarised_not_listed(tmp_path, config):
    records = [{"日期": "2026-11-22", "推广计划": "A", "关键词": f"词{i}", "展现量": 10, "点击量": 20} for i in range(45)]
    path = exports.ztc_keywords(tmp_path / "kw.csv", records, total=False)
    _, item = read_one(path, config)
    assert len(item.warnings) == 21
    assert item.warnings[-1].reason.endswith("and 25 more rows like this")


def test_unreadable_values_and_scientific_ids_are_warned(tmp_path, config):
    records = [{"统计日期": "2026-11-22", "商品ID": "1.07E+11", "商品名称": "羊毛衫", "商品访客数": "很多",
                "支付金额": 100.0},
               {"统计日期": "2026-11-22", "商品ID": "5531", "商品名称": "围巾", "商品访客数": 10, "支付金额": 50.0}]
    path = exports.sycm_item(tmp_path / "items.xls", records, "2026-11-22", "2026-11-22")
    dataset, item = read_one(path, config)
    frame = dataset.frames["item_daily"]
    assert frame["item_id"].tolist() == ["1.07E+11", "5531"]  # kept as given
    assert math.isnan(frame["visitors"].iloc[0])
    by_column = {w.column: w for w in item.warnings}
    assert by_column["商品ID"].value == "1.07E+11" and "scientific notation" in by_column["商品ID"].reason
    assert by_column["商品访客数"].value == "很多" and by_column["商品访客数"].row == 6


def test_rates_written_as_percent_points_are_read_as_percentages(tmp_path, config):
    rows = [["日期", "推广计划", "展现量", "点击量", "点击率"],
            ["2026-11-22", "A", "1000", "41", "4.1"], ["2026-11-22", "B", "2000", "50", "2.5"]]
    path = exports.write_csv(tmp_path / "plans.csv", rows)
    dataset, item = read_one(path, config)
    assert dataset.frames["ad_report"]["ctr"].tolist() == pytest.approx([0.041, 0.025])
    assert any("percent points" in w.reason for w in item.warnings)


@pytest.mark.parametrize("bad_day", ["3781-01-01", "1066-10-14", "3781/01/01 08:00"])
def test_a_date_out_of_any_export_range_is_one_warned_cell_not_a_lost_file(tmp_path, config, bad_day):
    path = tmp_path / "店铺整体.csv"
    path.write_text("统计日期,访客数,浏览量,跳失率\n"
                    f"2026-11-21,\"9,120\",\"21,000\",66.00%\n{bad_day},\"8,120\",\"19,500\",71.20%\n"
                    "2026-11-22,\"8,120\",\"19,500\",72.40%\n", encoding="utf-8")
    dataset, shop = read_one(path, config)
    assert shop.status == "ok"
    assert dataset.frames["shop_daily"]["date"].tolist() == ["2026-11-21", "2026-11-22"]
    (warning,) = shop.warnings
    assert (warning.row, warning.column, warning.value) == (3, "统计日期", bad_day)
    assert "not a date" in warning.reason
