"""Old binary Excel (.xls, BIFF8) that checks its own decoding.

python-calamine reads a BIFF8 workbook's strings through the code page its CODEPAGE record names.
Excel writes 1200 (UTF-16) there, and the strings are UTF-16 whatever it says; but some exporters
(genuine 2017 生意参谋 downloads among them) write 1252, and calamine then turns `来源名称` into
`eg\\x90n\\rTðy` and `2017-05-01` into `2\\x000\\x001…`. xlrd ignores the record for BIFF8, as Excel
does. So the text calamine returns is checked: when the cells above and in the header look garbled
(control characters, replacement characters, Latin letters inside Chinese, private-use code points),
the workbook is read again with xlrd, and xlrd's reading is kept when it is the cleaner one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

# Characters no export header or description line holds. Tab and line feed appear in wrapped
# header cells; a lone carriage return, NUL, C1 controls, U+FFFD and private-use code points do not.
_BAD_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff]|\r(?!\n)")
_LATIN_IN_CJK_RE = re.compile(r"[\u4e00-\u9fff][\u00c0-\u024f]|[\u00c0-\u024f][\u4e00-\u9fff]")
HEADER_AREA = 30


def garbled(text: str) -> bool:
    """True when a cell's text shows a wrong decoding (see the module's docstring)."""
    if _BAD_RE.search(text) or _LATIN_IN_CJK_RE.search(text):
        return True
    return any(unicodedata.category(ch) == "Cn" for ch in text)  # unassigned code points


def garbled_cells(rows: list[list[Any]], limit: int = HEADER_AREA) -> int:
    """How many text cells in the first `limit` rows look garbled."""
    return sum(1 for row in rows[:limit] for cell in row if isinstance(cell, str) and garbled(cell))


def printable(text: str) -> str:
    """Text safe for one terminal line: control characters shown as `�`, line breaks as spaces."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _BAD_RE.sub("\ufffd", text)


def read_xlrd(source: str | bytes, skip: frozenset[str] = frozenset()) -> list[tuple[str, list[list[Any]], int]]:
    """(sheet name, rows, Excel row number of the first row) of every sheet that holds data,
    read by xlrd; cells as calamine gives them (text, float, date/datetime, bool, "" when empty).
    The sheets named in `skip` are never loaded."""
    import xlrd

    if isinstance(source, bytes):
        book = xlrd.open_workbook(file_contents=source, on_demand=True)
    else:
        book = xlrd.open_workbook(source, on_demand=True)
    try:
        out = []
        for index, name in enumerate(book.sheet_names()):
            if name in skip:
                continue
            sheet = book.sheet_by_index(index)
            rows = [[_cell(book, sheet.cell(r, c)) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
            first = 0
            while first < len(rows) and all(cell == "" for cell in rows[first]):
                first += 1
            rows = rows[first:]
            if rows:
                out.append((name, rows, first + 1))
            book.unload_sheet(index)
        return out
    finally:
        book.release_resources()


def _cell(book: Any, cell: Any) -> Any:
    import xlrd

    kind, value = cell.ctype, cell.value
    if kind == xlrd.XL_CELL_TEXT:
        return value
    if kind == xlrd.XL_CELL_NUMBER:
        return int(value) if float(value).is_integer() and abs(value) < 2**53 else value
    if kind == xlrd.XL_CELL_DATE:
        try:
            when = xlrd.xldate.xldate_as_datetime(value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return value
        return when.date() if when.time() == dt.time(0) else when
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    return ""  # empty, blank, error cells
