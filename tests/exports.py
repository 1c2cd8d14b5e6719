"""Builders that write realistic export files, shaped like the real ones in FORMATS.md.

Tests (and `tools/make_sample_data.py`) describe the rows they need as dicts keyed by the export's
own headers, in plain Python numbers; the builder writes them the way the platform does: Sycm's
binary .xls with description rows and `1,391` / `3.21%` text cells, 直通车's GBK CSV with a 合计 row,
万相台's zip holding one CSV, Google Ads' title and date-range lines, and so on.

    from exports import sycm_item
    path = sycm_item(tmp_path / "商品.xls", [{"商品ID": "5531", "商品访客数": 1391, "支付金额": 8200.5}],
                     start="2026-11-22", end="2026-11-22")

A header missing from a record is written as the platform writes missing values ("-", " --", empty).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any, Iterable

Record = dict[str, Any]
Rows = list[list[Any]]

# -- value formats --------------------------------------------------------------------------------
# count: 1,391   money: 34,895.00   pct: 3.21%   frac: 0.0312 (a number)   num: as given   text: as given


def fmt_count(value: Any) -> Any:
    return f"{int(round(value)):,}" if isinstance(value, (int, float)) else value


def fmt_money(value: Any) -> Any:
    return f"{value:,.2f}" if isinstance(value, (int, float)) else value


def fmt_pct(value: Any) -> Any:
    """A fraction written as Sycm does: 0.0321 -> '3.21%'."""
    return f"{value * 100:.2f}%" if isinstance(value, (int, float)) else value


def fmt_seconds(value: Any) -> Any:
    return f"{value:.2f}" if isinstance(value, (int, float)) else value


FORMATTERS = {"count": fmt_count, "money": fmt_money, "pct": fmt_pct, "sec": fmt_seconds,
              "frac": lambda v: v, "num": lambda v: v, "text": lambda v: v}


def table(headers: dict[str, str], records: Iterable[Record], missing: Any = "-") -> Rows:
    """Header row plus one row per record, each value formatted by its header's type."""
    rows: Rows = [list(headers)]
    for record in records:
        row = []
        for header, kind in headers.items():
            value = record.get(header, missing)
            row.append(missing if value is None else FORMATTERS[kind](value))
        rows.append(row)
    return rows


# -- file writers ---------------------------------------------------------------------------------

def write_xls(path: Path, sheets: Rows | dict[str, Rows]) -> Path:
    """Binary Excel 97 (.xls, OLE), as Sycm downloads it. Dates become date cells."""
    import xlwt

    if not isinstance(sheets, dict):
        sheets = {"Sheet1": sheets}
    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, (dt.date, dt.datetime)):
                    sheet.write(r, c, value, date_style)
                else:
                    sheet.write(r, c, value)
    path = Path(path)
    book.save(str(path))
    return path


def write_xlsx(path: Path, sheets: Rows | dict[str, Rows], number_formats: dict[int, str] | None = None) -> Path:
    """An .xlsx workbook; `number_formats` maps a 0-based column to an Excel format ("0.00%")."""
    import openpyxl

    if not isinstance(sheets, dict):
        sheets = {"Sheet1": sheets}
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([None if value == "" else value for value in row])
        for column, number_format in (number_formats or {}).items():
            for cells in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
                for cell in cells:
                    cell.number_format = number_format
    path = Path(path)
    book.save(path)
    return freeze_zip(path)


# Zip members and workbook properties carry the time they were written; a fixed one keeps files
# built from the same rows byte-identical (sample_data/ does not change when it is rebuilt).
FIXED_TIME = (2026, 11, 22, 8, 15, 2)


def freeze_zip(path: Path) -> Path:
    """Rewrite a zip-based file (.xlsx, .zip) with fixed member times and document dates."""
    import re

    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2026-11-22T08:15:02Z", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            archive.writestr(fixed, data)
    return path


def csv_bytes(rows: Rows, encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode(encoding)


def write_csv(path: Path, rows: Rows, encoding: str = "utf-8-sig", delimiter: str = ",") -> Path:
    path = Path(path)
    path.write_bytes(csv_bytes(rows, encoding, delimiter))
    return path


def html_bytes(rows: Rows, encoding: str = "utf-8") -> bytes:
    """An HTML table, as some platforms save a '.xls' (Excel opens it with a warning)."""
    import html

    lines = ['<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head>',
             f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}"></head><body>',
             '<table border="1">']
    for index, row in enumerate(rows):
        tag = "th" if index == 0 else "td"
        cells = "".join(f"<{tag}>{html.escape(str(value))}</{tag}>" for value in row)
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</table></body></html>")
    return "\n".join(lines).encode(encoding)


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    """A zip of export files (Chinese member names stored as UTF-8)."""
    path = Path(path)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


def _xls_bytes(sheets: Rows | dict[str, Rows]) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return write_xls(Path(folder) / "t.xls", sheets).read_bytes()


# -- 生意参谋 (Sycm) ---------------------------------------------------------------------------------

def sycm_preamble(title: str, start: str, end: str, lines: int = 4) -> Rows:
    """The description rows above a Sycm header: title, 统计日期, then notes."""
    rows: Rows = [[title], [f"统计日期：{start}~{end}"], ["终端：所有终端"], ["说明：以上数据仅作为参考，具体以实际交易数据为准"],
                  ["注：数据已剔除刷单等异常交易"]]
    return rows[:lines]


SYCM_SHOP_HEADERS = {
    "统计日期": "text", "访客数": "count", "浏览量": "count", "跳失率": "pct", "人均浏览量（访问深度）": "num",
    "平均停留时长": "sec", "支付买家数": "count", "支付金额": "money", "支付转化率": "pct", "客单价": "money",
    "老访客数": "count", "新访客数": "count", "下单买家数": "count", "下单金额": "money", "下单转化率": "pct",
    "同行平均支付转化率": "pct",
}


def sycm_shop(path: Path, records: list[Record], start: str, end: str, *, headers: dict[str, str] | None = None,
              preamble_lines: int = 3) -> Path:
    """Sycm 店铺整体 as binary .xls: description rows, then one row per day (统计日期 2026-11-22)."""
    preamble = sycm_preamble("生意参谋-店铺整体", start, end, lines=preamble_lines)
    if preamble_lines >= 3:
        preamble[2] = [""]
    return write_xls(path, preamble + table(headers or SYCM_SHOP_HEADERS, records))


SYCM_ITEM_HEADERS = {
    "统计日期": "text", "商品ID": "text", "商品名称": "text", "主商品ID": "text", "商品类型": "text", "货号": "text",
    "商品状态": "text", "价格": "money", "商品访客数": "count", "商品浏览量": "count", "平均停留时长": "sec",
    "商品详情页跳出率": "pct", "商品收藏人数": "count", "商品加购件数": "count", "商品加购人数": "count",
    "下单买家数": "count", "下单件数": "count", "下单金额": "money", "下单转化率": "pct", "支付买家数": "count",
    "支付件数": "count", "支付金额": "money", "商品支付转化率": "pct", "支付新买家数": "count",
    "支付老买家数": "count", "访客平均价值": "money", "成功退款金额": "money", "搜索引导访客数": "count",
    "搜索引导支付买家数": "count", "搜索引导支付转化率": "pct",
}


def sycm_item_rows(records: list[Record], start: str, end: str, headers: dict[str, str] | None = None) -> Rows:
    return sycm_preamble("生意参谋-商品效果", start, end, lines=4) + table(headers or SYCM_ITEM_HEADERS, records)


def sycm_item(path: Path, records: list[Record], start: str, end: str, *, as_: str = "xls",
              headers: dict[str, str] | None = None) -> Path:
    """Sycm 商品排行 (全部): 4 description rows, header on row 5.

    `as_`: "xls" (binary, the real download), "csv-xls" (binary xls saved under the .csv name
    Sycm sometimes uses: pass a .csv path), "html" (an HTML table saved as .xls), "csv" (GBK text).
    """
    rows = sycm_item_rows(records, start, end, headers)
    path = Path(path)
    if as_ in ("xls", "csv-xls"):
        path.write_bytes(_xls_bytes(rows))
    elif as_ == "html":
        path.write_bytes(html_bytes(rows))
    elif as_ == "csv":
        write_csv(path, rows, encoding="gbk")
    else:
        raise ValueError(as_)
    return path


SYCM_SOURCE_HEADERS = {
    "统计日期": "text", "流量载体": "text", "一级来源": "text", "二级来源": "text", "三级来源": "text",
    "访客数": "count", "访客数环比": "pct", "新访客": "count", "平均停留时长": "sec", "加购人数": "count",
    "商品收藏人数": "count", "支付买家数": "count", "支付买家数环比": "pct", "支付转化率": "pct",
    "支付转化率环比": "pct", "支付金额": "money", "支付金额环比": "pct", "客单价": "money", "UV价值": "money",
    "下单买家数": "count", "下单转化率": "pct",
}


def with_subtotals(records: list[Record]) -> list[Record]:
    """Sycm's layout: each 一级来源 first as a subtotal row (二级来源 = 汇总), then its sources."""
    out: list[Record] = []
    groups: dict[tuple, list[Record]] = {}
    for record in records:
        groups.setdefault((record.get("统计日期"), record.get("一级来源")), []).append(record)
    for (day, level1), members in groups.items():
        subtotal: Record = {"统计日期": day, "流量载体": members[0].get("流量载体", "无线端"), "一级来源": level1,
                            "二级来源": "汇总", "三级来源": "汇总"}
        for field in ("访客数", "新访客", "加购人数", "商品收藏人数", "支付买家数", "支付金额", "下单买家数"):
            if all(isinstance(m.get(field), (int, float)) for m in members):
                subtotal[field] = sum(m[field] for m in members)
        if subtotal.get("访客数"):
            subtotal["支付转化率"] = subtotal.get("支付买家数", 0) / subtotal["访客数"]
            subtotal["UV价值"] = subtotal.get("支付金额", 0) / subtotal["访客数"]
        if subtotal.get("支付买家数"):
            subtotal["客单价"] = subtotal["支付金额"] / subtotal["支付买家数"]
        out.append(subtotal)
        out.extend(members)
    return out


def sycm_sources(path: Path, records: list[Record], start: str, end: str, *, subtotals: bool = True,
                 encoding: str = "gbk", as_: str = "csv") -> Path:
    """Sycm 无线店铺流量来源: 5 description rows, GBK CSV (or binary xls), `汇总` subtotal rows,
    "-" in the …环比 columns when there is no value."""
    rows = sycm_preamble("生意参谋-无线店铺流量来源", start, end, lines=5)
    rows += table(SYCM_SOURCE_HEADERS, with_subtotals(records) if subtotals else records)
    if as_ == "xls":
        return write_xls(path, rows)
    return write_csv(path, rows, encoding=encoding)


# -- 阿里妈妈 直通车 / 万相台 ---------------------------------------------------------------------------

ZTC_KEYWORD_HEADERS = {
    "日期": "text", "推广计划": "text", "推广单元": "text", "关键词": "text", "出价": "money", "展现量": "count",
    "点击量": "count", "点击率": "pct", "花费": "money", "平均点击花费": "money", "平均展现排名": "num",
    "总成交金额": "money", "总成交笔数": "count", "投入产出比": "num", "总购物车数": "count",
}


def ztc_keywords(path: Path, records: list[Record], *, total: bool = True, encoding: str = "gbk") -> Path:
    """直通车 keyword report as a GBK CSV, with a `合计` row at the end."""
    records = list(records)
    if total:
        records.append(_ad_total(records, "日期", ("展现量", "点击量", "花费", "总成交金额", "总成交笔数", "总购物车数")))
    return write_csv(path, table(ZTC_KEYWORD_HEADERS, records), encoding=encoding)


def _ad_total(records: list[Record], label: str, sums: tuple[str, ...]) -> Record:
    total: Record = {label: "合计"}
    for field in sums:
        total[field] = sum(r.get(field) or 0 for r in records)
    if total.get("展现量"):
        total["点击率"] = total.get("点击量", 0) / total["展现量"]
    if total.get("花费"):
        total["投入产出比"] = round(total.get("总成交金额", 0) / total["花费"], 2)
    return total


WXT_PLAN_HEADERS = {
    "日期": "text", "场景ID": "text", "场景名字": "text", "计划ID": "text", "计划名字": "text", "花费": "num",
    "展现量": "num", "点击量": "num", "点击率": "frac", "总成交金额": "num", "总成交笔数": "num",
    "投入产出比": "num", "总购物车数": "num", "引导访问人数": "num",
}


def wxt_plans_zip(path: Path, records: list[Record], member: str = "计划报表_20261122_081502.csv") -> Path:
    """万相台 计划报表: a .zip holding one UTF-8-BOM CSV; ratios as plain fractions (0.0312)."""
    return write_zip(path, {member: csv_bytes(table(WXT_PLAN_HEADERS, records, missing=""), "utf-8-sig")})


# -- Google Ads, Amazon, Shopify ------------------------------------------------------------------

GOOGLE_KEYWORD_HEADERS = {
    "Keyword status": "text", "Keyword": "text", "Match type": "text", "Campaign": "text", "Ad group": "text",
    "Max. CPC": "text", "Currency code": "text", "Impr.": "text", "Clicks": "text", "CTR": "text",
    "Avg. CPC": "text", "Cost": "text", "Conversions": "text", "Conv. value": "text", "Conv. value / cost": "text",
}


def google_ads_keywords(path: Path, records: list[Record], date_range: str = "Oct 3, 2026 - Oct 16, 2026", *,
                        utf16: bool = False, totals: bool = True) -> Path:
    """Google Ads keyword report from the web UI: title line, date-range line, header, rows with
    "1,316.14" and " --", and `Total: …` footer rows. `utf16`: the UTF-16 tab-separated variant."""
    rows: Rows = [["Keyword report"], [date_range]]
    body = table(GOOGLE_KEYWORD_HEADERS, records, missing=" --")
    rows += body
    if totals:
        width = len(GOOGLE_KEYWORD_HEADERS)
        for label in ("Total: Keywords", "Total: Search", "Total: Account"):
            rows.append([label] + [" --"] * 6 + ["1,000", "80", "8.00%", "0.50", "40.00", "3.00", "150.00", "3.75"][: width - 7])
    if utf16:
        return write_csv(path, rows, encoding="utf-16", delimiter="\t")
    return write_csv(path, rows, encoding="utf-8")


AMAZON_BUSINESS_HEADERS = {
    "(Parent) ASIN": "text", "(Child) ASIN": "text", "Title": "text", "SKU": "text", "Sessions – Total": "text",
    "Session Percentage – Total": "text", "Page Views – Total": "text", "Featured Offer (Buy Box) Percentage": "text",
    "Units Ordered": "text", "Unit Session Percentage": "text", "Ordered Product Sales": "text",
    "Total Order Items": "text",
}


def amazon_business_report(path: Path, records: list[Record]) -> Path:
    """Amazon Business Report (by ASIN) CSV: en-dash headers, `£1,234.56` sales, `12.50%` rates.
    Name it like Amazon does: `BusinessReport-8-04-26.csv` (M-DD-YY)."""
    return write_csv(path, table(AMAZON_BUSINESS_HEADERS, records, missing=""), encoding="utf-8")


SHOPIFY_SESSIONS_HEADERS = {
    "Day": "text", "Online store visitors": "num", "Sessions": "num", "Sessions with cart additions": "num",
    "Sessions that reached checkout": "num", "Sessions that completed checkout": "num", "Conversion rate": "frac",
    "Bounce rate": "frac", "Average session duration": "text", "Pageviews": "num",
}


def shopify_sessions(path: Path, records: list[Record]) -> Path:
    """Shopify sessions-over-time CSV (plain UTF-8, ISO days, rates as fractions)."""
    return write_csv(path, table(SHOPIFY_SESSIONS_HEADERS, records, missing=""), encoding="utf-8")


# -- 京东商智 ------------------------------------------------------------------------------------------

JD_SKU_HEADERS = {
    "时间": "text", "SKU": "text", "SKU名称": "text", "一级类目": "text", "成交金额（元）": "num",
    "成交商品件数": "num", "成交单量": "num", "成交客户数": "num", "成交转化率": "text", "客单价（元）": "num",
    "商品浏览量": "num", "商品访客数": "num", "商品人均浏览量": "num", "加购客户数": "num", "加购转化率": "text",
    "商详平均停留时长（秒）": "num",
}


def jd_sku_xlsx(path: Path, records: list[Record], *, total: bool = True) -> Path:
    """JD 商智 商品明细 SKU export: full-width （元） headers, counts as floats (1.0), rates as
    "50.00%" text, a `合计` row in the SKU column."""
    records = [{key: float(value) if isinstance(value, int) else value for key, value in r.items()} for r in records]
    for record in records:
        for key in ("成交转化率", "加购转化率"):
            if isinstance(record.get(key), float):
                record[key] = fmt_pct(record[key])
    if total:
        totals: Record = {"时间": records[0].get("时间") if records else "", "SKU": "合计"}
        for key in ("成交金额（元）", "成交商品件数", "成交单量", "成交客户数", "商品浏览量", "商品访客数"):
            totals[key] = float(sum(r.get(key) or 0 for r in records))
        records.append(totals)
    return write_xlsx(path, table(JD_SKU_HEADERS, records, missing=""))


# -- reviews and DSR ------------------------------------------------------------------------------

REVIEW_HEADERS = {
    "评价时间": "text", "商品ID": "text", "商品名称": "text", "评价等级": "text", "评分": "num", "评价内容": "text",
    "追评内容": "text", "订单号": "text", "买家昵称": "text",
}
PLACEHOLDER_TEXTS = ("此用户没有填写评价。", "评价方未及时做出评价,系统默认好评!")


def reviews_xlsx(path: Path, records: list[Record], *, headers: dict[str, str] | None = None) -> Path:
    """A review export (.xlsx): 评价等级 好评/中评/差评 and/or 评分 1–5 stars, placeholder texts."""
    return write_xlsx(path, table(headers or REVIEW_HEADERS, records, missing=""))


DSR_HEADERS = {
    "日期": "text", "描述相符": "num", "服务态度": "num", "物流服务": "num", "同行平均描述相符": "num",
    "同行平均服务态度": "num", "同行平均物流服务": "num",
}


def dsr_xlsx(path: Path, records: list[Record]) -> Path:
    """DSR 店铺评分 by day (.xlsx)."""
    return write_xlsx(path, table(DSR_HEADERS, records, missing=""))


# -- helpers for tests ----------------------------------------------------------------------------

def days(end: str, count: int) -> list[str]:
    """`count` ISO days ending on `end`, oldest first."""
    last = dt.date.fromisoformat(end)
    return [(last - dt.timedelta(days=count - 1 - i)).isoformat() for i in range(count)]


def write_xls_codepage(path: Path, sheets: Rows | dict[str, Rows], codepage: int = 1252) -> Path:
    """A BIFF8 .xls whose CODEPAGE record says `codepage` while its strings are UTF-16, as some
    exporters write them (genuine 2017 生意参谋 downloads: CODEPAGE 1252). Excel and xlrd read the
    strings as UTF-16 whatever the record says; python-calamine decodes them through the code page."""
    write_xls(path, sheets)
    data = path.read_bytes()
    record = b"\x42\x00\x02\x00\xb0\x04"  # CODEPAGE, 2 bytes, 1200 (what xlwt writes)
    assert data.count(record) == 1
    path.write_bytes(data.replace(record, b"\x42\x00\x02\x00" + codepage.to_bytes(2, "little")))
    return path


def every_finding(findings):
    """The to-dos and every finding a story or an item diagnosis gathered under one (`parts`):
    what the rules found, however the list is composed. Takes Finding objects or JSON dicts."""
    out = []
    for finding in findings:
        out.append(finding)
        parts = finding.get("parts", []) if isinstance(finding, dict) else finding.parts
        out += every_finding(parts)
    return out
