"""The streamed .xlsx writer (bid sheet, upload layouts, --details): read back by openpyxl (what
Excel-compatible tools see) and by python-calamine (shopdoc's own reader)."""

from __future__ import annotations

import math

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from shopdoc.io.xlsx_write import column_letter, write_xlsx


def test_column_letters():
    assert [column_letter(n) for n in (0, 25, 26, 51, 52, 701, 702)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_values_formats_and_header_read_back(tmp_path):
    path = tmp_path / "sheet.xlsx"
    rows = [["计划A", "羊毛衫 & <女>", 1.62, 0.0312, None, 12, True],
            ["计划B", "", math.nan, math.inf, "  留空格  ", 0, False]]
    count = write_xlsx(str(path), "出价调整表", ["计划", "关键词", "出价", "点击率", "备注", "点击", "暂停"], rows,
                       widths=[24, 24, None, None, 30, None, None],
                       formats=[None, None, "0.00", "0.00%", None, "#,##0", None])
    assert count == 2
    book = load_workbook(path)
    sheet = book["出价调整表"]
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == ["计划", "关键词", "出价", "点击率", "备注", "点击", "暂停"]
    assert all(cell.font.b for cell in sheet[1])
    assert [cell.value for cell in sheet[2]] == ["计划A", "羊毛衫 & <女>", 1.62, 0.0312, None, 12, True]
    assert [cell.value for cell in sheet[3]] == ["计划B", None, None, None, "  留空格  ", 0, False]
    assert sheet["C2"].number_format == "0.00" and sheet["D2"].number_format == "0.00%"
    assert sheet.column_dimensions["A"].width == 24
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("出价调整表").to_python()
    assert calamine[1][:4] == ["计划A", "羊毛衫 & <女>", 1.62, 0.0312]


def test_formula_like_text_is_quoted_text_and_controls_are_taken_out(tmp_path):
    path = tmp_path / "evil.xlsx"
    write_xlsx(str(path), "a[b]:c*?/d\\e" * 3, ["关键词"],
               [['=HYPERLINK("http://evil.example","点我")'], ["+cmd|' /C calc'!A0"], ["坏\x1b[2J字\x07"]])
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert len(sheet.title) <= 31 and not set("[]:*?/\\") & set(sheet.title)
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.data_type for cell in cells] == ["s", "s", "s"]
    assert cells[0].value.startswith("=HYPERLINK") and cells[0].quotePrefix and cells[1].quotePrefix
    assert cells[2].value == "坏\ufffd字\ufffd" and not cells[2].quotePrefix


def test_no_rows_is_a_header_only_sheet(tmp_path):
    path = tmp_path / "empty.xlsx"
    assert write_xlsx(str(path), "details", ["a", "b"], iter(())) == 0
    assert [[cell.value for cell in row] for row in load_workbook(path).active.iter_rows()] == [["a", "b"]]
