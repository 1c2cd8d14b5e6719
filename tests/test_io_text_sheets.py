"""Workbooks of text cells only (生意参谋 and 直通车 write every number as text) are read as Arrow
text columns through fastexcel (`readers._text_tables`, `io.arrow_text`): every table, frame and
warning must be what the python-calamine path makes of the same file, and anything that is not
text only must take the calamine path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from shopdoc.config import Config, merge
from shopdoc.io import arrow_text, read_path, readers
from shopdoc.io.xlsx_guard import _all_text

KEYWORD_HEADER = ["日期", "推广计划", "推广单元", "关键词", "出价", "展现量", "点击量", "点击率", "花费",
                  "平均点击花费", "总成交金额", "总成交笔数", "投入产出比"]
# Text as exports write numbers, and the shapes around them that must read the same on both paths.
ODD_NUMBERS = ["1,391", "2.41%", "1,234.56", "-", "--", "", "¥1,234.50", "2.5万", "1.2E3", " 12 ", "(12.50)",
               "1,2,3", "１２", "12345678901234567890", "-0.5", "5-", ".5", "12.", "-%", "%", "n/a", "3.00",
               "-12.5%", "1.2.3", "abc", "0", "00012", "9" * 15, "1" * 16, "+5", "1 234", "€3,5"]


@pytest.fixture(scope="module")
def config() -> Config:
    return Config(merge({"shop": {"lang": "en"}}))


def write(path: Path, sheets: dict[str, list[list]], write_only: bool = False) -> Path:
    """An .xlsx; `write_only`: openpyxl's streaming mode, which writes inline strings (as the
    benchmark's files and some exporters do) instead of shared strings."""
    import openpyxl

    book = openpyxl.Workbook(write_only=write_only)
    if not write_only:
        book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([None if cell is None else cell for cell in row])
    book.save(path)
    return path


def keyword_rows(count: int, numbers: list[str] = ODD_NUMBERS) -> list[list]:
    rows = [["直通车关键词报表"], ["统计日期：2026-11-22 ~ 2026-11-22"], KEYWORD_HEADER]
    for index in range(count):
        value = numbers[index % len(numbers)]
        rows.append(["2026-11-22", f"计划{index % 7}", f"单元{index % 11}", f"关键词{index}",
                     "2.17", value, str(index % 40), numbers[(index * 3) % len(numbers)], "35.07",
                     value if index % 2 else "1.75", "104.80", "", "2.99"])
    rows.append(["合计", "", "", "", "", "99,999", "", "", "1,234.00", "", "", "", ""])
    return rows


def calamine_only(monkeypatch) -> None:
    monkeypatch.setattr(readers, "_text_tables", lambda *args, **kwargs: None)


def both(path: Path, monkeypatch) -> tuple[list, list]:
    fast = readers.read_tables(str(path))
    with monkeypatch.context() as patch:
        calamine_only(patch)
        slow = readers.read_tables(str(path))
    return fast, slow


def same_tables(fast: list, slow: list) -> None:
    assert [(t.sheet, t.first_row, t.file_format, t.error and str(t.error)) for t in fast] == \
        [(t.sheet, t.first_row, t.file_format, t.error and str(t.error)) for t in slow]
    for one, other in zip(fast, slow):
        assert one.rows == other.rows
        assert list(one.rows) == list(other.rows)
        assert one.rows[:4] == other.rows[:4] and one.rows[-1] == other.rows[-1]


@pytest.mark.parametrize("write_only", [False, True], ids=["shared strings", "inline strings"])
def test_text_sheet_reads_as_columns_and_as_calamine_reads_it(tmp_path, monkeypatch, config, write_only):
    path = write(tmp_path / "直通车_关键词报表_20261122-20261122.xlsx",
                 {"Sheet1": keyword_rows(2500)}, write_only)
    fast, slow = both(path, monkeypatch)
    assert fast[0].columns is not None and slow[0].columns is None  # the fast path was taken
    same_tables(fast, slow)

    (item, frame), = read_path(str(path), config)
    with monkeypatch.context() as patch:
        calamine_only(patch)
        (item_slow, frame_slow), = read_path(str(path), config)
    assert item.status == "ok", item.error
    assert item == item_slow  # kind, header row, dates, currency, every warning with its cells
    pd.testing.assert_frame_equal(frame, frame_slow)
    assert item.warnings  # the odd cells were warned about, the same way on both paths


@pytest.mark.parametrize("marked", [False, True], ids=["percent points", "one cell with %"])
def test_rates_in_percent_points_are_found_in_the_bytes_as_in_the_cells(tmp_path, monkeypatch, config, marked):
    rows = keyword_rows(300, numbers=["1,391", "2,500"])
    for index, row in enumerate(rows[3:-1]):
        row[7] = f"{1 + index % 5}.{index % 10}"  # 点击率 4.1 for 4.1%: every value above 1, no `%`
    rows[10][7] = "3.2%" if marked else rows[10][7]
    path = write(tmp_path / "直通车_关键词报表_20261122-20261122.xlsx", {"Sheet1": rows}, write_only=True)
    (item, frame), = read_path(str(path), config)
    with monkeypatch.context() as patch:
        calamine_only(patch)
        (item_slow, frame_slow), = read_path(str(path), config)
    assert item == item_slow
    pd.testing.assert_frame_equal(frame, frame_slow)
    warned = [w for w in item.warnings if "percent points" in w.reason]
    if marked:  # one cell says the column is in percent: the others stay as written
        assert not warned and frame["ctr"].iloc[7] == pytest.approx(0.032)
        assert frame["ctr"].iloc[1] != pytest.approx(0.021)  # 2.1 read as 2.1, not as 2.1%
    else:
        assert [(w.column, w.value) for w in warned] == [("点击率", "1.0")]
        assert frame["ctr"].iloc[:3].tolist() == pytest.approx([0.01, 0.021, 0.032])


def test_number_shapes_parse_from_bytes_as_from_strings():
    from shopdoc.io import values

    cells = ODD_NUMBERS * 3 + ["12" * 20, "1," * 20 + "5", "7"]
    column = text_column(cells)
    from_bytes = values.numbers_block({"x": column}, {"x": values.NumberColumn(True)})["x"]
    from_text = values.numbers_block({"x": pd.Series(cells, dtype=object)}, {"x": values.NumberColumn(True)})["x"]
    pd.testing.assert_series_equal(from_bytes[0], from_text[0])
    pd.testing.assert_series_equal(from_bytes[1], from_text[1])


def text_column(cells: list[str]) -> arrow_text.TextColumn:
    data = [cell.encode("utf-8") for cell in cells]
    offsets = np.concatenate(([0], np.cumsum([len(piece) for piece in data]))).astype(np.int64)
    return arrow_text.TextColumn(offsets, np.frombuffer(b"".join(data), dtype=np.uint8).copy())


def test_text_column_cells_spans_and_takes():
    cells = ["", "a", "", "产品", "1,391", "", "x y"]
    column = text_column(cells)
    assert column.span(0, 3) == ["", "a", ""] and column.span(3, 99) == cells[3:]
    assert column.take(np.array([False, True, False, True, False, True, True])).tolist() == ["a", "产品", "", "x y"]
    assert column.cells() == cells and column.tail(4).cells() == cells[4:]
    assert column.mentions("产") and column.mentions(",") and not column.tail(4).mentions("a")
    assert column.subset(np.array([True, True, False, False, True, False, False])).mentions("1,3")
    assert not column.subset(np.array([True, False, True, False, False, True, True])).mentions("a")
    rows = arrow_text.ColumnRows([column, text_column([str(n) for n in range(7)])], 7)
    assert rows == [[cell, str(n)] for n, cell in enumerate(cells)]
    assert rows[-1] == ["x y", "6"] and rows[1:5:2] == [["a", "1"], ["产品", "3"]]


def test_a_number_further_down_sends_the_workbook_to_calamine(tmp_path, monkeypatch):
    rows = keyword_rows(3000, ["1,391", "2.41%"])
    rows[2900][5] = 1391.0  # a real number cell, far below the first megabyte the guard looks at
    path = write(tmp_path / "kw.xlsx", {"Sheet1": rows})
    fast, slow = both(path, monkeypatch)
    assert fast[0].columns is None
    same_tables(fast, slow)
    assert fast[0].rows[2900][5] == 1391.0


def test_every_sheet_must_be_text_for_the_fast_path(tmp_path, monkeypatch):
    numbers = [["日期", "访客数"], ["2026-11-22", 1391]]
    path = write(tmp_path / "two.xlsx", {"文本": keyword_rows(50), "数字": numbers})
    fast, slow = both(path, monkeypatch)
    assert all(table.columns is None for table in fast)
    same_tables(fast, slow)

    path = write(tmp_path / "both.xlsx", {"一": keyword_rows(50), "二": keyword_rows(20)})
    fast, slow = both(path, monkeypatch)
    assert [table.sheet for table in fast] == ["一", "二"] and all(table.columns is not None for table in fast)
    same_tables(fast, slow)

    path = write(tmp_path / "empty.xlsx", {"一": keyword_rows(50), "空": []})  # no A1 to start from
    fast, slow = both(path, monkeypatch)
    assert [table.sheet for table in fast] == ["一"] and fast[0].columns is None
    same_tables(fast, slow)


def test_hidden_sheets_are_read_on_both_paths(tmp_path, monkeypatch):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "可见"
    for row in keyword_rows(20):
        book.active.append(row)
    hidden = book.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    for row in keyword_rows(10):
        hidden.append(row)
    book.save(tmp_path / "hidden.xlsx")
    fast, slow = both(tmp_path / "hidden.xlsx", monkeypatch)
    assert [table.sheet for table in fast] == ["可见", "隐藏"] and all(table.columns is not None for table in fast)
    same_tables(fast, slow)


def test_a_sheet_that_does_not_start_at_a1_is_read_by_calamine(tmp_path, monkeypatch):
    path = write(tmp_path / "late.xlsx", {"Sheet1": [[None, None], [None, "统计日期"], [None, "2026-11-22"]]})
    fast, slow = both(path, monkeypatch)
    assert fast[0].columns is None and fast[0].first_row == 2
    same_tables(fast, slow)


def test_renamed_workbook_read_from_bytes_takes_the_fast_path(tmp_path, monkeypatch):
    path = write(tmp_path / "kw.xlsx", {"Sheet1": keyword_rows(30)})
    renamed = path.rename(tmp_path / "kw.csv")
    fast, slow = both(renamed, monkeypatch)
    assert fast[0].columns is not None
    same_tables(fast, slow)


def test_guard_hint_reads_the_first_chunk_only_as_a_hint():
    assert _all_text(b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>x</t></is></c></row>')
    assert not _all_text(b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2"><v>12</v></c></row>')
    assert not _all_text(b'<row r="2"><c r="B2" t="s"><v>0</v></c></row>')
    assert not _all_text(b'<row r="1"><c r="A1" t="n"><v>1</v></c></row>')
    assert not _all_text(b"<sheetData/>")
