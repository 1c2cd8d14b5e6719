"""From a file's bytes to raw tables: lists of rows of cells, exactly as the export holds them.

Nothing here knows about kinds or fields. A reader either returns the tables of a file (one per
sheet that holds data) or raises `InputError` with one line that says what is wrong and what to do.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from shopdoc.errors import InputError
from shopdoc.io import xls
from shopdoc.io.sniff import describe_start, sniff, zip_kind

EXPORT_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".zip")
DELIMITERS = (",", ";", "\t")
HEADER_AREA = 30  # rows scanned for the header (and lines sniffed for the delimiter)

_EXPORT_AGAIN = "export it again as .xlsx or .csv"


@dataclass
class RawTable:
    """One table of cells: a CSV, one sheet of a workbook, or one HTML table."""

    rows: list[list[Any]]
    file_format: str  # xlsx, xls, html, csv, zip:csv ...
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    first_row: int = 1  # Excel row number of rows[0] (calamine skips leading empty rows)
    name: str = ""  # the file (or zip member) name, for dates in file names
    notes: list[str] = field(default_factory=list)

    @property
    def decimal_comma(self) -> bool:
        """Localised exports with `;` as delimiter write `1.234,56`."""
        return self.delimiter == ";"


def read_tables(path: str) -> list[RawTable]:
    """Every table in the file at `path`. Raises InputError for a file that cannot be read."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
            fmt = sniff(head)
            if fmt == "zip":
                fmt = zip_kind(path)
            if fmt in ("xls", "xlsx"):  # calamine reads the file itself: faster than from bytes
                tables = _read_workbook(path, path, fmt)
                for table in tables:
                    table.name = os.path.basename(path)
                return tables
            data = head + handle.read()
    except FileNotFoundError:
        raise InputError(path, "file not found", hint="check the path") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(path, f"cannot be opened ({exc.strerror})", hint="check the file's permissions") from None
    return read_bytes(path, data, os.path.basename(path))


def read_bytes(path: str, data: bytes, name: str, in_zip: bool = False) -> list[RawTable]:
    fmt = sniff(data[:4096])
    if fmt == "zip":
        fmt = zip_kind(data)
    if fmt == "empty":
        return []
    if fmt.startswith("foreign:"):
        what = fmt.split(":", 1)[1]
        start = f"starts with {describe_start(data)}" if what == "%PDF" else what
        raise InputError(path, f"not a spreadsheet or CSV ({start})", hint=_EXPORT_AGAIN)
    if fmt == "xml":
        raise InputError(path, "an Excel 2003 XML spreadsheet, which shopdoc does not read",
                         hint="open it in Excel and save it as .xlsx")
    prefix = "zip:" if in_zip else ""
    if fmt in ("xls", "xlsx"):
        tables = _read_workbook(path, data, fmt)
    elif fmt == "zip":
        if in_zip:
            raise InputError(path, "a zip inside a zip", hint="unzip it and give shopdoc the export inside")
        return _read_zip(path, data)
    elif fmt == "html":
        tables = _read_html(path, data)
    else:
        tables = [_read_text(path, data)]
    for table in tables:
        table.file_format = prefix + table.file_format
        table.name = name
    return tables


# -- workbooks -------------------------------------------------------------------------------------

def _read_workbook(path: str, source: str | bytes, fmt: str) -> list[RawTable]:
    from python_calamine import CalamineWorkbook

    try:
        if isinstance(source, bytes):
            book = CalamineWorkbook.from_filelike(io.BytesIO(source))
        else:
            book = CalamineWorkbook.from_path(source)
    except Exception as exc:  # calamine raises its own types, and ValueError/TypeError for damaged files
        message = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        if "password" in message.lower() or type(exc).__name__ == "PasswordError":
            raise InputError(path, "the workbook is password-protected",
                             hint="save a copy without a password") from None
        raise InputError(path, f"the workbook cannot be opened ({message})", hint=_EXPORT_AGAIN) from None
    tables: list[RawTable] = []
    for sheet_name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(sheet_name)
            rows = sheet.to_python()
            start = sheet.start
        except Exception as exc:
            raise InputError(path, f"cannot be read ({str(exc)[:120]})", sheet=sheet_name,
                             hint=_EXPORT_AGAIN) from None
        if not _has_data(rows):
            continue
        first_row = (start[0] + 1) if start else 1
        tables.append(RawTable(rows=rows, file_format=fmt, sheet=sheet_name, first_row=first_row))
    if fmt == "xls" and any(xls.garbled_cells(table.rows) for table in tables):
        return _reread_xls(path, source, tables)
    return tables


def _reread_xls(path: str, source: str | bytes, tables: list[RawTable]) -> list[RawTable]:
    """calamine decoded the strings of this .xls through the wrong code page (see `io.xls`):
    xlrd's reading, when it is the cleaner one."""
    try:
        sheets = xls.read_xlrd(source)
    except Exception:  # xlrd refuses what calamine half-read: keep calamine's, garbled as it is
        return tables
    again = [RawTable(rows=rows, file_format="xls", sheet=name, first_row=first, encoding="utf-16 (xlrd)")
             for name, rows, first in sheets if _has_data(rows)]
    if sum(xls.garbled_cells(table.rows) for table in again) < sum(xls.garbled_cells(table.rows) for table in tables):
        return again
    return tables


def _has_data(rows: list[list[Any]]) -> bool:
    return any(any(cell not in ("", None) for cell in row) for row in rows)


# -- zip archives ----------------------------------------------------------------------------------

def _member_name(info: zipfile.ZipInfo) -> str:
    """Chinese names in zips made on Windows are GBK without the UTF-8 flag; zipfile reads cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _read_zip(path: str, data: bytes) -> list[RawTable]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [
            (info, _member_name(info)) for info in archive.infolist()
            if not info.is_dir() and not _member_name(info).startswith("__MACOSX/")
        ]
        exports = [
            (info, name) for info, name in members
            if name.lower().endswith(EXPORT_SUFFIXES) and not is_hidden(os.path.basename(name))
        ]
        if not exports:
            listed = ", ".join(name for _, name in members[:3]) or "nothing"
            raise InputError(path, f"the zip holds no export file (found {listed})",
                             hint="unzip it and check what it contains")
        tables: list[RawTable] = []
        for info, name in sorted(exports, key=lambda pair: pair[1]):
            try:
                member = archive.read(info)
            except (zipfile.BadZipFile, RuntimeError, OSError, NotImplementedError) as exc:
                raise InputError(path, f"cannot unpack {name} ({exc})", hint="unzip it by hand and read the file inside") from None
            base = os.path.basename(name)
            for table in read_bytes(path, member, base, in_zip=True):
                if len(exports) > 1:
                    table.sheet = base if table.sheet is None else f"{base}/{table.sheet}"
                tables.append(table)
        return tables


def is_hidden(name: str) -> bool:
    """Hidden files and Excel's lock files (`~$报表.xlsx`) are not exports."""
    return name.startswith((".", "~$"))


# -- HTML tables saved as .xls ---------------------------------------------------------------------

class _TableParser(HTMLParser):
    """Collects the text of every <td>/<th> of every <table>, one list of rows per table."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._stack: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._close_row()
            self._row = []
        elif tag in ("td", "th") and self._stack:
            if self._row is None:
                self._row = []
            self._close_cell()
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() and 0 < int(span) < 100 else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_row()
        elif tag == "table" and self._stack:
            self._close_row()
            self.tables.append(self._stack.pop())

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _close_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            text = " ".join("".join(self._cell).split())
            self._row.extend([text] + [""] * (self._span - 1))
        self._cell = None
        self._span = 1

    def _close_row(self) -> None:
        self._close_cell()
        if self._row is not None and self._stack:
            self._stack[-1].append(self._row)
        self._row = None

    def close(self) -> None:
        super().close()
        while self._stack:
            self._close_row()
            self.tables.append(self._stack.pop())


def _read_html(path: str, data: bytes) -> list[RawTable]:
    text, encoding = decode(path, data)
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    tables = [rows for rows in parser.tables if _has_data(rows)]
    if not tables:
        raise InputError(path, "an HTML page with no table in it", hint=_EXPORT_AGAIN)
    out = []
    for number, rows in enumerate(tables, start=1):
        out.append(RawTable(rows=_pad(rows), file_format="html", encoding=encoding,
                            sheet=f"table {number}" if len(tables) > 1 else None))
    return out


# -- text (CSV, TSV, TXT) ----------------------------------------------------------------------------

def decode(path: str, data: bytes) -> tuple[str, str]:
    """Text and the encoding that decoded it: UTF-16 (BOM or zero bytes), UTF-8 (with or without
    BOM), then GB18030 (which covers GBK). Raises InputError when none fits."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    elif data[:200][1::2].count(0) > min(len(data), 200) // 2 * 0.8 and len(data) >= 8:
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError(path, "text in an unknown encoding (not UTF-8, GBK/GB18030 or UTF-16)",
                     hint="open it in Excel and save it as .xlsx or as CSV UTF-8")


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the header area into the widest consistent rows.

    Description rows above the header have one cell whatever the delimiter, so they do not vote;
    a `,` inside unquoted numbers (`1,316.14` in a tab file) splits rows unevenly and loses.
    """
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        widths: dict[int, int] = {}
        for row in csv.reader(lines, delimiter=delimiter):
            if len(row) > 1:
                widths[len(row)] = widths.get(len(row), 0) + 1
        score = max((width * count for width, count in widths.items()), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_text(path: str, data: bytes) -> RawTable:
    text, encoding = decode(path, data)
    if "\x00" in text:
        raise InputError(path, "not a spreadsheet or CSV (binary data)", hint=_EXPORT_AGAIN)
    head = text[:20000].splitlines()[:HEADER_AREA]
    delimiter = sniff_delimiter(head)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(path, f"broken CSV ({exc})", hint="open it in Excel and save it as .xlsx") from None
    return RawTable(rows=_pad(rows), file_format="csv" if delimiter != "\t" else "tsv",
                    encoding=encoding, delimiter=delimiter)


def _pad(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows of one width (CSV rows may be ragged: description lines hold one cell)."""
    width = max((len(row) for row in rows), default=0)
    if all(len(row) == width for row in rows):
        return rows
    return [row + [""] * (width - len(row)) if len(row) < width else row for row in rows]
