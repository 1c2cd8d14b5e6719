"""Cell values, headers, dates and delimiters: the quirks of real exports, one at a time."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

import exports
from shopdoc.config import Config, defaults, merge
from shopdoc.io import load_paths
from shopdoc.io import values
from shopdoc.io.dates import from_description, from_file_name
from shopdoc.io.fields import alias_tables, header_key
from shopdoc.io.readers import sniff_delimiter
from shopdoc.io.sniff import sniff


def cells(*items) -> pd.Series:
    return pd.Series(list(items), dtype=object)


def listed(series: pd.Series) -> list:
    return [None if (isinstance(v, float) and math.isnan(v)) or v is pd.NA else v for v in series.tolist()]


# -- headers ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("人均停留时长（秒）", "人均停留时长(秒)"),
    ("人均停留时长(秒)", "人均停留时长"),
    ("Sessions – Total", "Sessions - Total"),
    ("7 Day Total Sales ", "7 Day Total Sales"),
    ("Click-Thru Rate (CTR)", "click-thru rate (ctr)"),
    ("成交金额（元）", "成交金额"),
    ("点击率(%)", "点击率"),
    ("统计日期：", "统计日期:"),
    (" 访客数", "访客数"),
])
def test_header_forms_match(a, b):
    assert header_key(a) == header_key(b)


def test_different_headers_stay_different():
    assert header_key("Sessions - Total") != header_key("Sessions - Total - B2B")
    assert header_key("Click-Thru Rate (CTR)") != header_key("Click-Thru Rate")


def test_first_alias_wins_when_two_columns_map_one_field():
    tables = alias_tables()
    assert tables["shop_daily"].match("Online store visitors")[0] == "visitors"
    assert tables["shop_daily"].match("Online store visitors")[1] < tables["shop_daily"].match("Sessions")[1]


def test_user_alias_redirects_a_builtin_header():
    tables = alias_tables({"shop_daily": {"sessions": ["Sessions"]}})
    assert tables["shop_daily"].match("Sessions")[0] == "sessions"


# -- numbers ------------------------------------------------------------------------------------------

def test_numbers_from_text_and_workbook_cells():
    parsed, bad = values.numbers(cells("1,391", "34,895.00", "¥12.50", "￥8", "$1,316.14", "£3,049.39", "2.5万",
                                       "1.2亿", 5531.0, 7, "-", "--", " --", "", None, "很多"))
    assert listed(parsed) == [1391, 34895, 12.5, 8, 1316.14, 3049.39, 25000, 1.2e8, 5531, 7,
                              None, None, None, None, None, None]
    assert bad.tolist() == [False] * 15 + [True]


def test_rates_percent_strings_and_fractions():
    parsed, _ = values.numbers(cells("77.48%", "0.0333", 0.0312, "3.21 %", "-"), percent=True)
    assert parsed.iloc[:4].tolist() == pytest.approx([0.7748, 0.0333, 0.0312, 0.0321])
    assert math.isnan(parsed.iloc[4])


def test_rate_column_mixing_forms_in_one_file():
    parsed, _ = values.numbers(cells("4.12%", "0.0412", 0.05), percent=True)
    assert parsed.tolist() == pytest.approx([0.0412, 0.0412, 0.05])


def test_percent_header_means_plain_values_are_percent():
    parsed, _ = values.numbers(cells("4.12", 5.0), percent=True, percent_header=True)
    assert parsed.tolist() == pytest.approx([0.0412, 0.05])


def test_plain_cells_and_the_shapes_around_them():
    """`2,106` and `54.94%` skip the regexes; whatever is shaped a little differently still reads
    (or fails) exactly as before, on either side of `SMALL`."""
    shapes = cells("2,106", "54.94%", "-3.5", "12.", ".5", "007", "1,234.5%", "-", "1.2.3", "5-", "(12.50)",
                   "¥1,234.5", " 42 ", "+5", "2.5万", "12次", "%", "1e3", "nan", "1_000")
    expected = [2106, 54.94, -3.5, 12, 0.5, 7, 1234.5, None, None, None, -12.5, 1234.5, 42, 5, 25000, 12, None, 1000,
                None, None]
    unreadable = [False] * 7 + [False, True, True] + [False] * 6 + [True, False, False, True]
    for column in (shapes, pd.Series(list(shapes) * (values.SMALL // len(shapes) + 1), dtype=object)):
        parsed, bad = values.numbers(column)
        assert listed(parsed.iloc[:len(shapes)]) == expected
        assert bad.iloc[:len(shapes)].tolist() == unreadable
    rates, _ = values.numbers(cells("54.94%", "0.5494", "-1.5%"), percent=True)
    assert rates.tolist() == pytest.approx([0.5494, 0.5494, -0.015])


def test_decimal_comma():
    parsed, _ = values.numbers(cells("1.234,56", "12,5", "3", "1.234"), decimal_comma=True)
    assert parsed.tolist() == [1234.56, 12.5, 3, 1234]
    assert values.has_decimal_comma(cells("1.234", "12,50"))
    assert not values.has_decimal_comma(cells("1,234", "12.50"))


def test_durations():
    parsed, bad = values.durations(cells("00:01:23", "1:05", 15.74, "15.74", dt.time(0, 2, 0), "-", "x"))
    assert listed(parsed) == [83, 65, 15.74, 15.74, 120, None, None]
    assert bad.tolist() == [False] * 6 + [True]


def test_ids_stay_text():
    parsed, scientific = values.ids(cells(5531.0, "5531", 643210987654.0, 12, "1.07E+11", "-", None, " 88 "))
    assert listed(parsed) == ["5531", "5531", "643210987654", "12", "1.07E+11", None, None, "88"]
    assert scientific.tolist() == [False, False, False, False, True, False, False, False]


def test_plain_digit_ids_and_the_others():
    parsed, scientific = values.ids(cells("652318809541", "0652318809541", "5531.00", "-5531.0", "1.07E+11", "A-88"))
    assert listed(parsed) == ["652318809541", "0652318809541", "5531", "-5531", "1.07E+11", "A-88"]
    assert scientific.tolist() == [False, False, False, False, True, False]


def test_review_times_read_as_their_day():
    times = [f"2026-11-{16 + n % 7} {n % 24:02d}:{n % 60:02d}:{(n * 7) % 60:02d}" for n in range(values.SMALL + 500)]
    column = pd.Series(times + ["2026-11-31 10:00:00", "2026-11-16 00:00:00~2026-11-22 23:59:59", "2026-11-22T08:15"],
                       dtype=object)
    parsed, bad = values.dates(column)
    assert parsed.iloc[:3].tolist() == ["2026-11-16", "2026-11-17", "2026-11-18"]
    assert sorted(set(parsed.iloc[:len(times)])) == [f"2026-11-{day}" for day in range(16, 23)]
    assert listed(parsed.iloc[len(times):]) == [None, "2026-11-22", "2026-11-22"]  # no 31 November; a range's last day
    assert bad.iloc[len(times):].tolist() == [True, False, False] and not bad.iloc[:len(times)].any()


def test_dates_in_every_form():
    parsed, bad = values.dates(cells("2026/11/22", "2026-11-22", "20261122", 20261122.0, "Nov 22, 2026",
                                     dt.date(2026, 11, 22), dt.datetime(2026, 11, 22, 10, 3), 46348.0,
                                     "2026-11-22 10:31:05", "2026-11-16~2026-11-22", "2026年11月22日",
                                     None, "昨天"))
    assert listed(parsed) == ["2026-11-22"] * 11 + [None, None]
    assert bad.tolist() == [False] * 12 + [True]


# -- dates outside the table --------------------------------------------------------------------------

def test_date_from_description_rows():
    single = from_description([["生意参谋-商品效果"], ["统计日期：2026-11-22~2026-11-22"]])
    assert (single.first, single.last, single.single) == ("2026-11-22", "2026-11-22", True)
    week = from_description([["统计日期：2026-11-16~2026-11-22"]])
    assert (week.first, week.last, week.single) == ("2026-11-16", "2026-11-22", False)
    google = from_description([["Keyword report"], ['"Oct 3, 2026 - Oct 16, 2026"']])
    assert (google.first, google.last) == ("2026-10-03", "2026-10-16")
    assert from_description([["Campaign report"], ["All time"]]).unbounded


@pytest.mark.parametrize("name, first, last", [
    ("【生意参谋平台】商品_全部_2026-11-22_2026-11-22.xls", "2026-11-22", "2026-11-22"),
    ("【生意参谋平台】店铺整体_2026-11-09_2026-11-22.xls", "2026-11-09", "2026-11-22"),
    ("计划报表_20261122_081502.csv", "2026-11-22", "2026-11-22"),
    ("直通车_关键词报表_20261116-20261122.csv", "2026-11-16", "2026-11-22"),
    ("BusinessReport-8-04-26.csv", "2026-08-04", "2026-08-04"),
])
def test_date_from_file_name(name, first, last):
    found = from_file_name(name)
    assert (found.first, found.last) == (first, last)


def test_single_day_description_dates_a_file_without_date_column(tmp_path):
    rows = exports.sycm_preamble("生意参谋-商品效果", "2026-11-22", "2026-11-22") + [
        ["商品ID", "商品名称", "商品访客数", "支付金额"], ["5531", "羊毛衫", "1,391", "8,200.00"]]
    path = exports.write_xls(tmp_path / "商品.xls", rows)
    dataset = load_paths([str(path)], Config(merge({"shop": {"lang": "en"}})))
    assert dataset.inputs[0].dates == ["2026-11-22"] and dataset.inputs[0].warnings == []


def test_multi_day_description_without_date_column_takes_the_last_day_with_a_warning(tmp_path):
    rows = exports.sycm_preamble("生意参谋-商品效果", "2026-11-16", "2026-11-22") + [
        ["商品ID", "商品名称", "商品访客数", "支付金额"], ["5531", "羊毛衫", "1,391", "8,200.00"]]
    path = exports.write_xls(tmp_path / "商品_2026-11-01_2026-11-02.xls", rows)
    item = load_paths([str(path)], Config(merge({"shop": {"lang": "en"}}))).inputs[0]
    assert item.dates == ["2026-11-22"]  # description rows before the file name
    assert "2026-11-16 to 2026-11-22" in item.warnings[0].reason


def test_file_name_dates_a_file_without_date_column_or_description(tmp_path):
    path = exports.write_csv(tmp_path / "商品_20261121.csv", [["商品ID", "商品访客数"], ["5531", "10"]])
    assert load_paths([str(path)], Config(merge({"shop": {"lang": "en"}}))).inputs[0].dates == ["2026-11-21"]


def test_no_date_anywhere_is_a_warning_and_the_rows_count_for_the_report_day(tmp_path):
    path = exports.write_csv(tmp_path / "商品.csv", [["商品ID", "商品访客数"], ["5531", "10"]])
    dataset = load_paths([str(path)], Config(merge({"shop": {"lang": "en"}})))
    assert dataset.inputs[0].dates == [] and "report day" in dataset.inputs[0].warnings[0].reason
    assert len(dataset.on("item_daily", "2026-11-22")) == 1


# -- sniffing and delimiters ---------------------------------------------------------------------------

@pytest.mark.parametrize("head, expected", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "xls"),
    (b"PK\x03\x04rest", "zip"),
    (b"\xef\xbb\xbf <TABLE border=1>", "html"),
    (b"\r\n<!DOCTYPE html><html>", "html"),
    (b"%PDF-1.4", "foreign:%PDF"),
    (b"\xef\xbb\xbf\xe6\x97\xa5\xe6\x9c\x9f,a\r\n", "text"),
    (b"", "empty"),
])
def test_sniff(head, expected):
    assert sniff(head) == expected


def test_delimiter_sniffed_from_the_header_area():
    assert sniff_delimiter(["Keyword report", "Oct 3, 2026 - Oct 16, 2026", "Keyword\tClicks\tCost",
                            "shoes\t1,316\t12.5", "boots\t20\t1,316.14"]) == "\t"
    assert sniff_delimiter(["Kampagne;Klicks;Kosten", "Marke;1.234;12,50", "Schuhe;20;3,10"]) == ";"
    assert sniff_delimiter(["统计日期：2026-11-22", "日期,计划,花费", '2026-11-22,A,"1,391.00"']) == ","


def test_semicolon_file_with_dot_decimals_reads_them_as_such(tmp_path):
    rows = [["Campaign", "Impressions", "Clicks", "Cost", "Day"], ["Brand", "1234", "56", "12.50", "2026-11-22"]]
    path = exports.write_csv(tmp_path / "campaigns.csv", rows, delimiter=";")
    row = load_paths([str(path)], Config(merge({"shop": {"lang": "en"}}))).frames["ad_report"].iloc[0]
    assert (row["impressions"], row["cost"]) == (1234, 12.5)


def test_semicolon_file_with_comma_decimals(tmp_path):
    rows = [["Kampagne", "Impressionen", "Klicks", "Kosten", "Tag"],
            ["Marke", "1.234", "56", "12,50", "22.11.2026"], ["Gesamt: Konto", "1.234", "56", "12,50", ""]]
    path = exports.write_csv(tmp_path / "kampagnen.csv", rows, delimiter=";")
    config = Config(merge({"inputs": {"aliases": {"ad_report": {"campaign": ["Kampagne"], "impressions": ["Impressionen"],
                                                                "clicks": ["Klicks"], "cost": ["Kosten"],
                                                                "date": ["Tag"]}}}}))
    dataset = load_paths([str(path)], config)
    assert dataset.inputs[0].status == "ok" and dataset.inputs[0].rows == 1
    row = dataset.frames["ad_report"].iloc[0]
    assert (row["impressions"], row["cost"], row["date"]) == (1234, 12.5, "2026-11-22")


def test_long_columns_read_the_same_as_short_ones():
    """Past `SMALL` rows parsing goes through the distinct values; the results must not change."""
    short = cells("1,391", "3.21%", "-", None, 7.0, "2.5万", "x")
    long = pd.Series(list(short) * (values.SMALL // len(short) + 2), dtype=object)
    for percent in (False, True):
        few, few_bad = values.numbers(short, percent=percent)
        many, many_bad = values.numbers(long, percent=percent)
        assert listed(many.iloc[:len(short)]) == listed(few) and many_bad.iloc[:len(short)].tolist() == few_bad.tolist()
    ids, _ = values.ids(pd.Series([5531.0, "88", None] * 1000, dtype=object))
    assert listed(ids.iloc[:3]) == ["5531", "88", None]


@pytest.mark.parametrize("label", ["合计", "总计", "汇总", "Total", "Total: Account", "Total: Campaigns",
                                   "Gesamt: Konto", "Total : compte", " 合计 "])
def test_total_rows_are_dropped(tmp_path, label):
    rows = [["Campaign", "Impr.", "Clicks", "Cost", "Day"], ["Brand", "1,200", "40", "35.10", "2026-11-22"],
            [label, "1,200", "40", "35.10", ""]]
    path = exports.write_csv(tmp_path / "campaigns.csv", rows)
    dataset = load_paths([str(path)], Config(merge({"shop": {"lang": "en"}})))
    assert dataset.inputs[0].rows == 1 and dataset.frames["ad_report"]["campaign"].tolist() == ["Brand"]


@pytest.mark.parametrize("label", ["全部合计", "GRAND TOTAL", "Grand total：Account", "总合计", "汇总"])
def test_more_total_rows_are_dropped(tmp_path, label):
    rows = [["Campaign", "Impr.", "Clicks", "Cost", "Day"], ["Brand", "1,200", "40", "35.10", "2026-11-22"],
            [label, "1,200", "40", "35.10", ""]]
    path = exports.write_csv(tmp_path / "campaigns.csv", rows)
    assert load_paths([str(path)], Config(merge({"shop": {"lang": "en"}}))).frames["ad_report"]["campaign"].tolist() == ["Brand"]


@pytest.mark.parametrize("name", ["Totally Warm", "总裁同款", "全棉秋衣", "Gesamtpaket", "grand", "合身款"])
def test_names_that_only_start_like_a_total_stay(tmp_path, name):
    rows = [["Campaign", "Impr.", "Clicks", "Cost", "Day"], ["Brand", "1,200", "40", "35.10", "2026-11-22"],
            [name, "900", "30", "20.00", "2026-11-22"]]
    path = exports.write_csv(tmp_path / "campaigns.csv", rows)
    assert load_paths([str(path)], Config(merge({"shop": {"lang": "en"}}))).frames["ad_report"]["campaign"].tolist() == ["Brand", name]


@pytest.mark.parametrize("symbol, code", [("$", "USD"), ("£", "GBP"), ("¥", "CNY"), ("￥", "CNY")])
def test_ad_currency_from_money_symbols(tmp_path, symbol, code):
    rows = [["Campaign Name", "Impressions", "Clicks", "Spend", "7 Day Total Sales "],
            ["Jumpers", "5,100", "80", f"{symbol}61.20", f"{symbol}410.00"]]
    path = exports.write_csv(tmp_path / "Sponsored_Products_Search_term_report.csv", rows)
    row = load_paths([str(path)], Config(merge({"shop": {"lang": "en"}}))).frames["ad_report"].iloc[0]
    assert (row["currency"], row["cost"], row["gmv"]) == (code, 61.2, 410.0)
    assert row["roi"] == pytest.approx(410 / 61.2) and row["ctr"] == pytest.approx(80 / 5100)  # derived


def test_zip_holding_an_xlsx_and_gbk_member_names(tmp_path):
    import zipfile

    xlsx = exports.dsr_xlsx(tmp_path / "inner.xlsx", [{"日期": "2026-11-22", "描述相符": 4.8, "服务态度": 4.8,
                                                       "物流服务": 4.7}]).read_bytes()
    path = tmp_path / "DSR.zip"
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("店铺评分.xlsx".encode("gbk").decode("cp437"))  # how Windows zips Chinese names
        archive.writestr(info, xlsx)
    dataset = load_paths([str(path)], Config(merge({"shop": {"lang": "en"}})))
    item = dataset.inputs[0]
    assert (item.status, item.kind, item.file_format) == ("ok", "dsr", "zip:xlsx")


def test_zip_with_several_exports_names_each_member(tmp_path):
    one = exports.csv_bytes(exports.table(exports.DSR_HEADERS, [{"日期": "2026-11-21", "描述相符": 4.8, "服务态度": 4.8,
                                                                 "物流服务": 4.7}], missing=""))
    two = exports.csv_bytes(exports.table(exports.DSR_HEADERS, [{"日期": "2026-11-22", "描述相符": 4.8, "服务态度": 4.8,
                                                                 "物流服务": 4.6}], missing=""))
    path = exports.write_zip(tmp_path / "reports.zip", {"a.csv": one, "b.csv": two, "__MACOSX/._a.csv": b"x"})
    dataset = load_paths([str(path)], Config(merge({"shop": {"lang": "en"}})))
    assert [(i.sheet, i.status) for i in dataset.inputs] == [("a.csv", "ok"), ("b.csv", "ok")]
    assert dataset.frames["dsr"]["logistics"].tolist() == [4.7, 4.6]


def test_sheet_name_breaks_a_tie_between_kinds():
    from shopdoc.io.detect import detect

    rows = [["商品ID", "访客数", "评分"], ["5531", "120", "2"]]
    # An item report (商品ID + 访客数) and a review export (商品ID + 评分) map two columns each.
    assert detect(rows, alias_tables()).mapping.kind == "item_daily"
    assert detect(rows, alias_tables(), sheet="评价管理").mapping.kind == "review"


def test_plain_numbers_at_c_speed_read_as_the_careful_path_does():
    """`_plain_numbers` (numpy over the joined bytes) reads exactly the cells `_plain_groups` reads,
    to the same float, and leaves every other cell (and any with 16+ digits) to the careful path."""
    import random

    pick = random.Random(10)
    shapes = ["2,106", "54.94%", "-3.5", "12.", ".5", "007", "1,234.5%", "-", "1.2.3", "5-", "(12.50)", "¥1,234.5",
              " 42 ", "+5", "%", "1e3", "nan", "", "-%", "--5", "5%%", "%5", ".", "-.", "0", "-0", "１２", "1,2,3",
              "123456789012345", "1234567890123456", "0.1", "0.000000000000001", "9,007,199,254,740,993", "²", "5,%",
              "1\x012", ",5", "5,", "99999999999999.9%", "0.30000000000000004", "1" + "," * 40 + "2"]
    for _ in range(20000):
        shapes.append("".join(pick.choice("0123456789.,-%") for _ in range(pick.randint(1, 9))))
        shapes.append(f"{pick.uniform(0, 10 ** pick.randint(0, 12)):,.{pick.randint(0, 4)}f}")
    cells_ = np.array(shapes + [5.0, None, 3], dtype=object)
    number, percent, negative, read = values._plain_numbers(cells_)
    groups = values._plain_groups([cell if isinstance(cell, str) else None for cell in cells_])
    expected = np.asarray(pd.to_numeric(groups["number"], errors="coerce"), dtype="float64")
    careful = ~np.isnan(expected)
    assert not (read & ~careful).any()
    assert all(sum(char.isdigit() for char in cell) > 15 or cell[:1] == "," or cell[-1:] == "," or len(cell) > 32
               for cell in cells_[careful & ~read])
    long, _ = values.numbers(pd.Series(["1" + "," * 40 + "2", "1" * 15 + "." + "0" * 30, "7"] * values.SMALL, dtype=object))
    assert long.iloc[:3].tolist() == [12.0, float("1" * 15), 7.0]  # past `_LONGEST`: the careful path
    assert np.array_equal(number[read], expected[read])
    assert (percent[read] == (groups["unit"][read] == "%")).all()
    assert (negative[read] == (groups["sign"][read] == "-")).all()


def test_mostly_distinct_columns_read_the_same_without_factorising(monkeypatch):
    """A long column of nearly all different cells (keywords, titles, order numbers) is read
    directly, not through its distinct values; the results must be the same either way."""
    distinct = [f"关键词{n}" if n % 3 else f"{n:,}" for n in range(values.SMALL * 2)]
    column = pd.Series(distinct + ["-", None, " 合计 ", "1.07E+11", 5531.0, "x\x1b[2Jy"], dtype=object)
    assert values._mostly_distinct(column)
    direct = (values.texts(column), values.ids(column), values.numbers(column))
    monkeypatch.setattr(values, "_mostly_distinct", lambda raw: False)
    factorised = (values.texts(column), values.ids(column), values.numbers(column))
    assert listed(direct[0]) == listed(factorised[0])
    assert listed(direct[1][0]) == listed(factorised[1][0]) and direct[1][1].tolist() == factorised[1][1].tolist()
    assert listed(direct[2][0]) == listed(factorised[2][0]) and direct[2][1].tolist() == factorised[2][1].tolist()
