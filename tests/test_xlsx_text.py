"""Text sheets read as the guard scans them (`io.xlsx_text`): the same cells calamine reads.

Streaming writers give every cell as an inline string; those sheets are read from the XML the
guard unpacks anyway. Each sheet here is read both ways, by `read_tables` (the fast path when the
shape allows) and by python-calamine alone, and must read the same, cell for cell: spaces calamine
trims, entities, line ends, empty cells of both kinds, ragged description rows, chunk edges. Shapes
the fast path does not read (rich text, `_x` escapes, shared strings, prefixed tags, a number cell)
go to calamine and read the same too.
"""

from __future__ import annotations

import io
import random

import pytest

from hostile import raw_xlsx
from shopdoc.io import readers, xlsx_guard
from shopdoc.io.xlsx_guard import check_workbook

_HEAD = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
_TAIL = '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'


def _ref(row: int, column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def _cell(row: int, column: int, text: str | None, preserve: bool = False) -> str:
    if text is None:
        return f'<c r="{_ref(row, column)}" t="inlineStr"/>'
    tag = '<t xml:space="preserve">' if preserve else "<t>"
    return f'<c r="{_ref(row, column)}" t="inlineStr"><is>{tag}{text}</t></is></c>'


def _sheet(rows: list[list[str]]) -> str:
    return _HEAD + "".join(f'<row r="{number}">{"".join(cells)}</row>' for number, cells in enumerate(rows, 1)) + _TAIL


def _both(tmp_path, xml: str, monkeypatch, chunk: int = 1 << 20):
    """(what read_tables reads, what calamine reads, whether the fast path read it)."""
    from python_calamine import CalamineWorkbook

    monkeypatch.setattr(xlsx_guard, "CHUNK", chunk)
    data = raw_xlsx({"Sheet1": xml})
    path = tmp_path / "report.xlsx"
    path.write_bytes(data)
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        fast = "Sheet1" in check_workbook(archive, readers.DEFAULTS).cells
    tables = readers.read_tables(str(path))
    ours = [list(row) for row in tables[0].rows] if tables else []
    theirs = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return ours, theirs, fast


WORDS = ["日期", "推广计划", "新款 针织衫", "1,391", "1.44%", "连衣裙女", "V领", "¥35.07", "a b", "x"]
ODD = [" 前后空格 ", "\t制表\t", "\n换行\n", "&amp;", "T恤&amp;衬衫", "&lt;b&gt;", "&#20013;&#x6587;", "&#32;a&#10;",
       "a\r\nb", "a\rb", "", "  ", "引号\"和'", "a>b"]


def test_an_export_in_the_streaming_shape_reads_as_calamine_reads_it(tmp_path, monkeypatch):
    rows = [[_cell(1, 1, "生意参谋-商品效果")], [_cell(2, 1, "统计日期：2026-11-22~2026-11-22")], [_cell(3, 1, None)]]
    rows.append([_cell(4, c, w) for c, w in enumerate(["日期", "推广计划", "关键词", "花费", "点击率"], 1)])
    for r in range(5, 400):
        rows.append([_cell(r, c, random.Random(r * 7 + c).choice(WORDS)) for c in range(1, 6)])
    ours, theirs, fast = _both(tmp_path, _sheet(rows), monkeypatch, chunk=2048)
    assert fast
    assert ours == theirs


@pytest.mark.parametrize("seed", range(12))
def test_random_sheets_read_as_calamine_reads_them(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    rows = []
    width = rng.randint(1, 30)
    for r in range(1, rng.randint(2, 120)):
        cells = []
        for c in range(1, width + 1):
            roll = rng.random()
            if roll < 0.15:
                continue  # no cell at all
            if roll < 0.22:
                cells.append(_cell(r, c, None))
            elif roll < 0.35:
                cells.append(_cell(r, c, rng.choice(ODD), preserve=rng.random() < 0.5))
            else:
                cells.append(_cell(r, c, rng.choice(WORDS)))
        rows.append(cells)
    rows[0].insert(0, _cell(1, 1, "A1")) if not rows[0] or 'r="A1"' not in rows[0][0] else None
    ours, theirs, fast = _both(tmp_path, _sheet(rows), monkeypatch, chunk=rng.choice([512, 1024, 4096, 1 << 20]))
    assert ours == theirs
    assert fast or "_x" in "".join(map("".join, rows)) or not ours  # read here unless an `_x` escape came up


@pytest.mark.parametrize("cell", [
    '<c r="B2" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is></c>',  # rich text
    '<c r="B2" t="inlineStr"><is><t>a_x000D_b</t></is></c>',  # an _x escape
    '<c r="B2" t="inlineStr"><is><t>a</t><rPh sb="0" eb="1"><t>ア</t></rPh></is></c>',  # phonetic run
    '<c r="B2"><v>3.5</v></c>',  # a number
    '<c r="B2" s="1" t="inlineStr"><is><t>styled</t></is></c>',  # another attribute first
    '<c r="b2" t="inlineStr"><is><t>lower</t></is></c>',  # a lower-case position
    '<c r="B02" t="inlineStr"><is><t>zero</t></is></c>',  # a leading zero
    '<c r="B2" t="str"><f>A1</f><v>formula</v></c>',  # a formula's text
])
def test_other_shapes_go_to_calamine_and_read_the_same(tmp_path, monkeypatch, cell):
    rows = [[_cell(1, 1, "日期"), _cell(1, 2, "花费")], [_cell(2, 1, "2026-11-22"), cell]]
    rows += [[_cell(r, 1, "2026-11-22"), _cell(r, 2, str(r))] for r in range(3, 60)]
    ours, theirs, fast = _both(tmp_path, _sheet(rows), monkeypatch, chunk=1024)
    assert not fast
    assert ours == theirs


def test_a_cell_in_a_prefixed_tag_in_a_later_chunk_is_not_lost(tmp_path, monkeypatch):
    rows = [[_cell(r, 1, "2026-11-22"), _cell(r, 2, str(r))] for r in range(1, 200)]
    rows[150][1] = '<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="B151" ' \
                   't="inlineStr"><x:is><x:t>藏起来的</x:t></x:is></x:c>'
    ours, theirs, fast = _both(tmp_path, _sheet(rows), monkeypatch, chunk=1024)
    assert not fast
    assert ours == theirs


@pytest.mark.parametrize("rows, why", [
    ([[_cell(1, 2, "B1 first")], [_cell(2, 1, "a"), _cell(2, 2, "b")]], "the block starts at B1"),
    ([[_cell(1, 1, "a"), _cell(1, 2, "b")], [_cell(3, 1, "c"), _cell(3, 2, "d")], [_cell(2, 1, "e"), _cell(2, 2, "f")]],
     "rows out of order"),
    ([[_cell(1, 1, "a"), _cell(1, 2, "b")], [_cell(2, 1, "a"), _cell(2, 1, "again")]], "a cell given twice"),
])
def test_positions_calamine_places_by_its_own_rules_go_to_calamine(tmp_path, monkeypatch, rows, why):
    ours, theirs, fast = _both(tmp_path, _sheet(rows), monkeypatch)
    assert not fast, why
    assert ours == theirs


def test_cells_of_a_row_in_any_order_are_placed_by_their_positions(tmp_path, monkeypatch):
    rows = [[_cell(1, 1, "a"), _cell(1, 2, "b")], [_cell(2, 2, "d"), _cell(2, 1, "c")]]
    ours, theirs, fast = _both(tmp_path, _sheet(rows), monkeypatch)
    assert ours == theirs == [["a", "b"], ["c", "d"]]


def test_the_last_cells_empty_text_counts_and_a_valueless_cell_does_not(tmp_path, monkeypatch):
    rows = [[_cell(1, 1, "a"), _cell(1, 2, "b")], [_cell(2, 1, "c"), _cell(2, 3, "")], [_cell(3, 1, None), _cell(3, 4, None)]]
    ours, theirs, fast = _both(tmp_path, _sheet(rows), monkeypatch)
    assert fast
    assert ours == theirs == [["a", "b", ""], ["c", "", ""]]


def test_a_sheet_past_the_cell_limit_is_refused_and_what_was_gathered_let_go(monkeypatch):
    """Gathering stops at the cell limit (the sheet is refused anyway): memory stays bounded."""
    import zipfile

    from shopdoc.io.limits import Limits
    from shopdoc.io.xlsx_text import TextCells

    made: list[TextCells] = []
    monkeypatch.setattr(xlsx_guard, "TextCells", lambda limit: made.append(TextCells(limit)) or made[-1])
    monkeypatch.setattr(xlsx_guard, "CHUNK", 1024)
    rows = [[_cell(r, c, "x") for c in range(1, 5)] for r in range(1, 101)]  # 400 cells
    with zipfile.ZipFile(io.BytesIO(raw_xlsx({"Sheet1": _sheet(rows)}))) as archive:
        verdict = check_workbook(archive, Limits(max_cells=300))
    assert verdict.sheets["Sheet1"][1] == "max_cells"
    assert made[0].parts is None and "Sheet1" not in verdict.cells


def test_a_workbook_written_by_openpyxls_write_only_mode_reads_as_calamine_reads_it(tmp_path, monkeypatch):
    """A real streaming writer (openpyxl write-only: inline strings, `<c .../>` for blanks; the
    benchmark's exports are written this way): read here, cell for cell as calamine reads it."""
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("关键词报表")
    sheet.append(["数据说明：直通车 关键词报表"])
    sheet.append([])
    sheet.append(["日期", "推广计划", "关键词", "花费", "点击率"])
    rng = random.Random(3)
    for n in range(3_000):
        sheet.append(["2026-11-22", f"计划{n % 7}", rng.choice(WORDS + [" 前后空格 ", "T恤&衬衫", "a<b", "换\n行", ""]),
                      f"{rng.random() * 100:,.2f}", f"{rng.random():.2%}"])
    path = tmp_path / "直通车_关键词报表.xlsx"
    book.save(path)
    monkeypatch.setattr(xlsx_guard, "CHUNK", 8192)
    import zipfile

    with zipfile.ZipFile(path) as archive:
        assert "关键词报表" in check_workbook(archive, readers.DEFAULTS).cells
    ours = [list(row) for row in readers.read_tables(str(path))[0].rows]
    assert ours == CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
