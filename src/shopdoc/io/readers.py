"""From a file's bytes to raw tables: lists of rows of cells, exactly as the export holds them.

Nothing here knows about kinds or fields. A reader either returns the tables of a file (one per
sheet that holds data) or raises `InputError` with one line that says what is wrong and what to do.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Callable, Iterator

from shopdoc.errors import InputError
from shopdoc.io import xls
from shopdoc.io.limits import DEFAULTS, Budget, Limits, TooBig, mib, setting
from shopdoc.io.native import quiet_native_stderr
from shopdoc.io.sniff import describe_start, sniff, zip_kind
from shopdoc.messages import Said

EXPORT_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".zip")
DELIMITERS = (",", ";", "\t")
HEADER_AREA = 30  # rows scanned for the header (and lines sniffed for the delimiter)

_EXPORT_AGAIN = Said("hint.export_again")


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
    modified: str | None = None  # the day the file (or zip member) was saved: `Last 7 days` counts from it
    notes: list[Said] = field(default_factory=list)  # data warnings about the whole table
    error: InputError | None = None  # this sheet or zip member could not be read (rows is empty)
    # A sheet of text cells only, read as Arrow text columns (`arrow_text.TextColumn`, one per
    # column of `rows`): `rows` is then a view made from them on demand (`arrow_text.ColumnRows`),
    # and `normalise` reads the columns themselves.
    columns: list[Any] | None = None

    @property
    def decimal_comma(self) -> bool:
        """Localised exports with `;` as delimiter write `1.234,56`."""
        return self.delimiter == ";"


def read_tables(path: str, limits: Limits | None = None, budget: Budget | None = None,
                guarded: Callable[[], None] | None = None) -> list[RawTable]:
    """Every table in the file at `path`. Raises InputError for a file that cannot be read at all;
    a sheet or zip member that cannot be read is a table with its `error` set, beside the others.

    `guarded` is called once, when what holds the GIL before the parse is done: a workbook's guard
    (`xlsx_guard`, `xls_guard`), after which the parse is native code that releases it; for any
    other file, at once (see `io.load_paths`)."""
    if guarded is not None and not isinstance(guarded, _Once):
        guarded = _Once(guarded)
        try:
            return read_tables(path, limits, budget, guarded)
        finally:
            guarded()
    limits = limits or DEFAULTS
    budget = budget or Budget(limits)
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block on open, /dev/zero never ends
            raise InputError(path, Said("read.not_regular"), hint=Said("hint.give_file"))
        if info.st_size > limits.max_file_bytes:
            raise _too_big(path, TooBig(Said("limit.file_size", size=mib(info.st_size), max=limits.max_file_mb),
                                        "max_file_mb"))
        with open(path, "rb") as handle:
            head = handle.read(4096)
            fmt = sniff(head)
            if fmt == "zip":
                fmt = zip_kind(path)
            if fmt in ("xls", "xlsx"):  # calamine reads the file itself: faster than from bytes
                budget.take(info.st_size)
                matches = path.lower().endswith((".xls",) if fmt == "xls" else (".xlsx", ".xlsm"))
                # calamine opens a path by its extension; a renamed workbook is read from its bytes
                source = path if matches else head + handle.read()
                tables = _read_workbook(path, source, fmt, limits, budget, guarded)
                for table in tables:
                    table.name = os.path.basename(path)
                return _dated(tables, _saved_on(handle))
            if guarded is not None:
                guarded()
            data = head + handle.read(limits.max_file_bytes + 1 - len(head))
            budget.take(len(data))
            saved = _saved_on(handle)
    except FileNotFoundError:
        raise InputError(path, Said("read.not_found"), hint=Said("hint.check_path")) from None
    except IsADirectoryError:
        raise InputError(path, Said("read.is_folder")) from None
    except TooBig as exc:
        raise _too_big(path, exc) from None
    except OSError as exc:
        raise InputError(path, Said("read.cannot_open", why=exc.strerror), hint=Said("hint.permissions")) from None
    return _dated(read_bytes(path, data, os.path.basename(path), limits=limits, budget=budget), saved)


class _Once:
    """A callback that runs on its first call only."""

    def __init__(self, callback: Callable[[], None]):
        self.callback: Callable[[], None] | None = callback

    def __call__(self) -> None:
        callback, self.callback = self.callback, None
        if callback is not None:
            callback()


def _saved_on(handle: Any) -> str | None:
    import datetime as dt

    try:
        return dt.date.fromtimestamp(os.fstat(handle.fileno()).st_mtime).isoformat()
    except (OSError, ValueError, OverflowError):
        return None


def _dated(tables: list[RawTable], saved: str | None) -> list[RawTable]:
    for table in tables:
        table.modified = table.modified or saved
    return tables


def _too_big(path: str, exc: TooBig, sheet: str | None = None) -> InputError:
    return InputError(path, exc.reason, sheet=sheet, hint=setting(exc.limit))


def _fatal(exc: BaseException) -> bool:
    """Exceptions that must stop the run; everything else (calamine's PanicException included,
    which derives from BaseException) ends only the file or sheet it came from."""
    return isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError))


def _short(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0][:120] if text else type(exc).__name__)


def read_bytes(path: str, data: bytes, name: str, in_zip: bool = False, *, limits: Limits | None = None,
               budget: Budget | None = None) -> list[RawTable]:
    limits = limits or DEFAULTS
    budget = budget or Budget(limits)
    fmt = sniff(data[:4096])
    if fmt == "zip":
        fmt = zip_kind(data)
    if fmt == "empty":
        return []
    if fmt.startswith("foreign:"):
        what = fmt.split(":", 1)[1]
        start = Said("read.starts_with", start=describe_start(data)) if what == "%PDF" else what
        raise InputError(path, Said("read.foreign", what=start), hint=_EXPORT_AGAIN)
    if fmt == "xml":
        raise InputError(path, Said("read.xml_2003"), hint=Said("hint.save_xlsx"))
    prefix = "zip:" if in_zip else ""
    if fmt in ("xls", "xlsx"):
        tables = _read_workbook(path, data, fmt, limits, budget)
    elif fmt == "zip":
        if in_zip:
            raise InputError(path, Said("read.zip_in_zip"), hint=Said("hint.unzip_inner"))
        return _read_zip(path, data, limits, budget)
    elif fmt == "html":
        tables = _read_html(path, data, limits)
    else:
        tables = [_read_text(path, data, limits)]
    for table in tables:
        table.file_format = prefix + table.file_format
        table.name = name
    return tables


# -- workbooks -------------------------------------------------------------------------------------

def _read_workbook(path: str, source: str | bytes, fmt: str, limits: Limits = DEFAULTS,
                   budget: Budget | None = None, guarded: Callable[[], None] | None = None) -> list[RawTable]:
    """Each sheet that holds data. A sheet that is over a limit or that calamine fails on (a panic
    on a truncated .xls included) is a table with its error; the other sheets are still read.
    `guarded`: called when the guard is done (see `read_tables`)."""
    refused: dict[str, tuple[str, str]] = {}
    if fmt == "xlsx":
        refused, text, made = _check_xlsx(path, source, limits, budget)
        if guarded is not None:
            guarded()
        if text:
            with quiet_native_stderr():
                tables = _text_tables(path, source, text, limits, refused, made)
            if tables is not None:
                return tables
    elif fmt == "xls":
        refused = _check_xls(source, limits)
        if guarded is not None:
            guarded()
        if refused:  # calamine lays out every sheet of an .xls as it opens it: read the others with xlrd
            return _xlrd_tables(path, source, refused)
    with quiet_native_stderr():
        return _calamine_tables(path, source, fmt, limits, refused)


def _text_tables(path: str, source: str | bytes, text: set[str], limits: Limits,
                 refused: dict[str, tuple[str, str]], made: dict | None = None) -> list[RawTable] | None:
    """The workbook read by fastexcel, when every sheet is text only (numbers written as text, as
    生意参谋 and 直通车 export them) or refused; None when some sheet is not (calamine reads it).

    fastexcel parses with calamine too, a third faster, into Arrow text columns without the GIL,
    and Python strings are made from them column by column at C speed (`io.arrow_text`). Its
    cells are calamine's: a text cell is the same string, an empty one "" (python-calamine's
    `to_python`). Every cell is checked to be text (`dtype_coercion="strict"` over all rows): a
    sheet that turns out to hold a number, a date or an error further down sends the workbook to
    calamine, so what a sheet reads as never depends on the path taken.

    `made`: sheets the guard already read into text columns as it scanned them (`xlsx_text`, the
    shape streaming writers give): fastexcel only names them.
    """
    made = made or {}
    try:
        import fastexcel

        from shopdoc.io.arrow_text import ColumnRows, text_columns
    except ImportError:  # pragma: no cover - a dependency
        return None
    tables: list[RawTable] = []
    try:
        reader = fastexcel.read_excel(source)
        names = list(reader.sheet_names)
        if not all(name in text or name in refused for name in names):
            return None
        for name in names:
            if name in refused:
                reason, limit = refused[name]
                tables.append(_failed(path, "xlsx", name, InputError(path, reason, sheet=name, hint=setting(limit))))
                continue
            if name in made:
                height, columns = made.pop(name)
                over = _over(height, len(columns), limits)
            else:
                sheet = reader.load_sheet(name, header_row=None, dtype_coercion="strict", schema_sample_rows=None)
                over = _over(sheet.height, sheet.width, limits)
                if not over:
                    height, columns = text_columns(sheet)
                del sheet
            if over:
                tables.append(_failed(path, "xlsx", name, _too_big(path, over, name)))
                continue
            rows = ColumnRows(columns, height)
            if any(column.data.size for column in columns):  # `_has_data`: some cell is not ""
                tables.append(RawTable(rows=rows, file_format="xlsx", sheet=name, first_row=1, columns=columns))
    except BaseException as exc:  # not text after all, or anything fastexcel stumbles on: calamine says
        if _fatal(exc):
            raise
        return None
    return tables


def _calamine_tables(path: str, source: str | bytes, fmt: str, limits: Limits,
                     refused: dict[str, tuple[str, str]]) -> list[RawTable]:
    from python_calamine import CalamineWorkbook

    try:
        if isinstance(source, bytes):
            book = CalamineWorkbook.from_filelike(io.BytesIO(source))
        else:
            book = CalamineWorkbook.from_path(source)
        sheet_names = list(book.sheet_names)
    except BaseException as exc:  # calamine raises its own types, ValueError, and panics on damaged files
        if _fatal(exc):
            raise
        message = _short(exc)
        if "password" in message.lower() or type(exc).__name__ == "PasswordError":
            raise InputError(path, Said("read.password"), hint=Said("hint.no_password")) from None
        raise InputError(path, Said("read.workbook_unopenable", why=message), hint=_EXPORT_AGAIN) from None
    tables: list[RawTable] = []
    for sheet_name in sheet_names:
        if sheet_name in refused:
            reason, limit = refused[sheet_name]
            tables.append(_failed(path, fmt, sheet_name, InputError(path, reason, sheet=sheet_name, hint=setting(limit))))
            continue
        try:
            sheet = book.get_sheet_by_name(sheet_name)
            height, width = sheet.height, sheet.width
            over = _over(height, width, limits)
            if over:
                tables.append(_failed(path, fmt, sheet_name, _too_big(path, over, sheet_name)))
                continue
            rows = sheet.to_python()
            start = sheet.start
        except BaseException as exc:
            if _fatal(exc):
                raise
            tables.append(_failed(path, fmt, sheet_name, InputError(
                path, Said("read.sheet_unreadable", why=_short(exc)), sheet=sheet_name, hint=_EXPORT_AGAIN)))
            continue
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
        return again + [table for table in tables if table.error is not None]
    return tables


def _check_xlsx(path: str, source: str | bytes, limits: Limits,
                budget: Budget | None) -> tuple[dict[str, tuple[str, str]], set[str], dict]:
    """Sheets that must not be handed to calamine (see `xlsx_guard`), the sheets that look text
    only, and those of them read as the guard scanned them; raises for the whole book."""
    from shopdoc.io.xlsx_guard import check_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
            verdict = check_workbook(archive, limits, budget)
    except TooBig as exc:
        raise _too_big(path, exc) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise InputError(path, Said("read.workbook_damaged", why=_short(exc)), hint=_EXPORT_AGAIN) from None
    if verdict.problem:
        raise InputError(path, verdict.problem, hint=setting(verdict.limit or "max_file_mb"))
    return verdict.sheets, verdict.text, verdict.cells


def _over(height: int, width: int, limits: Limits) -> TooBig | None:
    if height > limits.max_rows:
        return TooBig(Said("limit.rows", rows=height, max=limits.max_rows), "max_rows")
    if width > limits.max_columns:
        return TooBig(Said("limit.columns", columns=width, max=limits.max_columns), "max_columns")
    if height * width > limits.max_cells:
        return TooBig(Said("limit.cells", rows=height, columns=width, max=limits.max_cells), "max_cells")
    return None


def _check_xls(source: str | bytes, limits: Limits) -> dict[str, tuple[Said, str]]:
    """Sheets of a binary .xls whose cells span more than the limits (see `xls_guard`)."""
    from shopdoc.io.xls_guard import oversized_sheets

    if isinstance(source, str):
        with open(source, "rb") as handle:
            source = handle.read()
    return oversized_sheets(source, limits)


def _xlrd_tables(path: str, source: str | bytes, refused: dict[str, tuple[Said, str]]) -> list[RawTable]:
    """The sheets of an .xls that are within the limits, read by xlrd (which loads one sheet at a
    time and never the refused ones), and a failed table for each refused sheet."""
    tables = [_failed(path, "xls", name, InputError(path, reason, sheet=name, hint=setting(limit)))
              for name, (reason, limit) in refused.items()]
    try:
        sheets = xls.read_xlrd(source, skip=frozenset(refused))
    except Exception as exc:  # xlrd is stricter than calamine; the refused sheets are still named
        return tables + [_failed(path, "xls", None, InputError(
            path, Said("read.other_sheets_unreadable", why=_short(exc)), hint=_EXPORT_AGAIN))]
    return [RawTable(rows=rows, file_format="xls", sheet=name, first_row=first, encoding="utf-16 (xlrd)")
            for name, rows, first in sheets if _has_data(rows)] + tables


def _failed(path: str, fmt: str, sheet: str | None, error: InputError) -> RawTable:
    return RawTable(rows=[], file_format=fmt, sheet=sheet, error=error)


def _has_data(rows: list[list[Any]]) -> bool:
    return any(any(cell not in ("", None) for cell in row) for row in rows)


# -- zip archives ----------------------------------------------------------------------------------

def _member_name(info: zipfile.ZipInfo) -> str:
    """Names without the UTF-8 flag are read as cp437 by zipfile: Windows zips write GBK there,
    other tools UTF-8 without saying so."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)


def _read_zip(path: str, data: bytes, limits: Limits = DEFAULTS, budget: Budget | None = None) -> list[RawTable]:
    """Each export inside, read alone: a member that is damaged, over a limit or not an export is a
    table with its error naming it, and the members beside it are still read."""
    budget = budget or Budget(limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _ZIP_ERRORS as exc:
        raise InputError(path, Said("read.zip_damaged", why=_short(exc)), hint=Said("hint.download_again")) from None
    with archive:
        members = [
            (info, _member_name(info)) for info in infos
            if not info.is_dir() and not _member_name(info).startswith("__MACOSX/")
        ]
        exports = [
            (info, name) for info, name in members
            if name.lower().endswith(EXPORT_SUFFIXES) and not is_hidden(os.path.basename(name))
        ]
        if not exports:
            listed = ", ".join(name for _, name in members[:3]) or Said("read.zip_nothing")
            raise InputError(path, Said("read.zip_no_export", found=listed), hint=Said("hint.unzip_check"))
        exports.sort(key=lambda pair: pair[1])
        tables: list[RawTable] = []
        several = len(exports) > 1
        for info, name in exports[:limits.max_zip_members]:
            base = os.path.basename(name)
            try:
                member = _unpack(archive, info, limits, budget)
                found = read_bytes(path, member, base, in_zip=True, limits=limits, budget=budget)
            except TooBig as exc:
                found = [_failed(path, "zip", name, InputError(path, exc.reason, sheet=name, hint=setting(exc.limit)))]
            except InputError as exc:
                found = [_failed(path, "zip", name, InputError(path, exc.reason, sheet=name, hint=exc.hint))]
            except BaseException as exc:
                if _fatal(exc):
                    raise
                found = [_failed(path, "zip", name, InputError(
                    path, Said("read.zip_unpack", why=_short(exc)), sheet=name, hint=Said("hint.unzip_by_hand")))]
            for table in found:
                table.modified = _member_saved_on(info)
                if table.error is not None:
                    table.error.sheet = name if table.error.sheet in (None, name) else f"{name}/{table.error.sheet}"
                    table.sheet = table.error.sheet
                elif several:
                    table.sheet = base if table.sheet is None else f"{base}/{table.sheet}"
                tables.append(table)
        left = len(exports) - limits.max_zip_members
        if left > 0:
            tables.append(_failed(path, "zip", None, InputError(
                path, Said("read.zip_too_many", total=len(exports), read=limits.max_zip_members, left=left),
                hint=setting("max_zip_members"))))
        return tables


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, budget: Budget) -> bytes:
    """A member's bytes, never more than the limits allow, whatever its header declares."""
    if info.file_size > limits.max_file_bytes:
        raise TooBig(Said("limit.declared", what="", size=mib(info.file_size), max=limits.max_file_mb), "max_file_mb")
    pieces, total = [], 0
    with archive.open(info) as handle:  # a megabyte at a time: one read would inflate up to the limit at once
        while piece := handle.read(1 << 20):
            total += len(piece)
            if total > limits.max_file_bytes:
                raise TooBig(Said("limit.unpacks", what="", max=limits.max_file_mb), "max_file_mb")
            pieces.append(piece)
    budget.take(total)
    return b"".join(pieces)


def _member_saved_on(info: zipfile.ZipInfo) -> str | None:
    import datetime as dt

    try:
        return dt.date(*info.date_time[:3]).isoformat()
    except ValueError:
        return None


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


def _read_html(path: str, data: bytes, limits: Limits = DEFAULTS) -> list[RawTable]:
    text, encoding = decode(path, data)
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    tables = [rows for rows in parser.tables if _has_data(rows)]
    for rows in tables:
        over = _over(len(rows), max((len(row) for row in rows), default=0), limits)
        if over:
            raise _too_big(path, over)
    if not tables:
        raise InputError(path, Said("read.html_no_table"), hint=_EXPORT_AGAIN)
    out = []
    for number, rows in enumerate(tables, start=1):
        out.append(RawTable(rows=_pad(rows), file_format="html", encoding=encoding,
                            sheet=f"table {number}" if len(tables) > 1 else None))
    return out


# -- text (CSV, TSV, TXT) ----------------------------------------------------------------------------

def decode(path: str, data: bytes) -> tuple[str, str]:
    """Text and the encoding that decoded it: UTF-16 (BOM or zero bytes), UTF-8 (with or without
    BOM), Windows-1252 when the bytes are a Western single-byte text (see `_single_byte_text`),
    then GB18030 (which covers GBK). A file with both UTF-8 and GBK lines (two exports pasted
    together) is read line by line, each in the encoding that fits: `utf-8+gb18030`. Bytes that fit
    neither become U+FFFD, counted in the encoding name's `+replaced`."""
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
    body, bom = (data[3:], "utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else (data, "utf-8")
    try:
        return body.decode("utf-8"), bom
    except UnicodeDecodeError as exc:
        utf8_until = exc.start
    if _single_byte_text(data):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _has_utf8_lines(body[utf8_until - 65536 if utf8_until > 65536 else 0:]):
        return text, "gb18030"
    counter = [0]
    text = body.decode("utf-8", errors=_mixed_handler(counter))
    if counter[0] > max(2, len(data) // 500):  # not a few stray bytes: an encoding shopdoc does not know
        raise InputError(path, Said("read.unknown_encoding"), hint=Said("hint.save_xlsx_or_utf8"))
    return text, "utf-8+gb18030" + (f"+replaced:{counter[0]}" if counter[0] else "")


_HIGH_RUN_RE = re.compile(rb"[\x80-\xff]+")


def _single_byte_text(data: bytes) -> bool:
    """Whether text that is not UTF-8 is in a Western single-byte code page (Windows-1252, as Excel
    for Windows saves "CSV (Comma delimited)" in English, French or German), not GBK.

    GBK writes every Chinese character as two bytes above 0x7F, so its non-ASCII bytes come in runs
    of two, four, six ...; Windows-1252 writes `£`, `€`, `é` or an en dash as one byte between ASCII
    ones (`£1,234.56`, `Sessions – Total`, `Crème`). Most runs of one byte: Windows-1252. Read as
    GBK instead, `Crème` would become `Cr鑝e` without a word.
    """
    runs = [len(run) for run in _HIGH_RUN_RE.findall(data[:200_000])]
    return bool(runs) and sum(1 for length in runs if length == 1) * 2 > len(runs)


def _has_utf8_lines(body: bytes) -> bool:
    """Whether some lines with non-ASCII text read as UTF-8 (GBK text almost never does): a file
    that is GBK throughout has none."""
    seen = 0
    for line in body.splitlines():
        if max(line, default=0) < 0x80:
            continue
        try:
            line.decode("utf-8")
            return True
        except UnicodeDecodeError:
            seen += 1
            if seen > 2000:
                return False
    return False


def _mixed_handler(counter: list[int]):
    """A codec error handler: bytes that are not UTF-8 are read as GB18030 (up to the end of their
    line), else replaced by U+FFFD."""
    name = f"shopdoc-mixed-{id(counter)}"

    def handle(exc: UnicodeError):
        assert isinstance(exc, UnicodeDecodeError)
        data, start = exc.object, exc.start
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        # the run of bytes that UTF-8 refuses, up to the line end
        piece = bytes(data[start:end])
        for stop in range(len(piece), 0, -1):
            try:
                return piece[:stop].decode("gb18030"), start + stop
            except UnicodeDecodeError:
                continue
        counter[0] += 1
        return "\ufffd", start + 1

    codecs.register_error(name, handle)
    return name


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


def _read_text(path: str, data: bytes, limits: Limits = DEFAULTS) -> RawTable:
    """A CSV/TSV/TXT. NUL bytes (a download cut short, a tool padding its output) are dropped with
    a note, not a refusal; rows stop at the row limit; a cell longer than `max_cell_chars` is cut."""
    text, encoding = decode(path, data)
    notes = []
    if "+replaced:" in encoding:
        encoding, count = encoding.split("+replaced:")
        notes.append(Said("warn.replaced_bytes", n=int(count)))
    if "\x00" in text:
        notes.append(Said("warn.nul_bytes", n=text.count(chr(0))))
        text = text.replace("\x00", "")
    head = text[:20000].splitlines()[:HEADER_AREA]
    delimiter = sniff_delimiter(head)
    csv.field_size_limit(max(limits.max_file_bytes, 131072))
    rows: list[list[Any]] = []
    cut = cells = 0
    seen: dict[str, str] = {}  # one string object per distinct cell: exports repeat days, plans, bids
    try:
        for row in csv.reader(_lines(text), delimiter=delimiter):
            if len(rows) >= limits.max_rows + HEADER_AREA:
                raise _too_big(path, TooBig(Said("limit.more_rows", max=limits.max_rows), "max_rows"))
            if len(row) > limits.max_columns:
                raise _too_big(path, TooBig(Said("limit.row_columns", row=len(rows) + 1, columns=len(row),
                                                 max=limits.max_columns), "max_columns"))
            cells += len(row)
            if cells > limits.max_cells:
                raise _too_big(path, TooBig(Said("limit.more_cells", max=limits.max_cells, row=len(rows) + 1),
                                            "max_cells"))
            for index, cell in enumerate(row):
                if len(cell) > limits.max_cell_chars:
                    row[index] = cell[:limits.max_cell_chars]
                    cut += 1
            rows.append(list(map(seen.setdefault, row, row)) if len(seen) < _DISTINCT
                        else list(map(seen.get, row, row)))
    except csv.Error as exc:
        raise InputError(path, Said("read.broken_csv", why=str(exc)), hint=Said("hint.save_xlsx")) from None
    if cut:
        notes.append(Said("warn.long_cells", n=cut, max=limits.max_cell_chars))
    return RawTable(rows=_pad(rows), file_format="csv" if delimiter != "\t" else "tsv",
                    encoding=encoding, delimiter=delimiter, notes=notes)


_DISTINCT = 200_000  # distinct cells shared per file; past that, new ones are kept as read
_LONE_CR = re.compile(r"\r(?!\n)")


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` with their endings, as `csv.reader` wants them, cut from the string as
    they are needed (io.StringIO would first copy the text at four bytes per character). Text that
    ends lines with a lone CR (old Mac files, a stray CR in a cell) goes through io.StringIO, which
    splits there too."""
    if _LONE_CR.search(text):
        yield from io.StringIO(text, newline="")
        return
    start, size, find = 0, len(text), text.find
    while start < size:
        end = find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end + 1]
        start = end + 1


def _pad(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows of one width (CSV rows may be ragged: description lines hold one cell)."""
    width = max((len(row) for row in rows), default=0)
    if all(len(row) == width for row in rows):
        return rows
    return [row + [""] * (width - len(row)) if len(row) < width else row for row in rows]
