"""Look inside an .xlsx before calamine reads it: what it would cost, never trusting what it declares.

calamine lays a sheet out as one block from its first to its last cell. A 4.8 KB file with cells at
A1 and XFD1048576 asks for 1,048,576 × 16,384 cells (512 GiB), and a failed allocation in Rust
aborts the process: no exception, no report for the good files beside it. So each part of the
archive is streamed through zlib here first (no more than the budget allows; the sizes the archive
declares may lie) and each sheet's cell positions are checked against the limits:

- the cells of a sheet, and the rows × columns of the block calamine would lay out;
- the decompressed bytes of every part (shared strings, sheets, styles), and of the run.

A sheet that is over a limit is refused alone (its siblings are read); a part the workbook itself
needs (shared strings, styles) refuses the workbook. The scan is a few whole-chunk comparisons in
numpy over each sheet's XML (`_far_cells`), which leave the GIL to the reads beside it: about a
twentieth of what calamine takes to read the sheet.
"""

from __future__ import annotations

import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO

from shopdoc.io.limits import Budget, Limits, TooBig, mib
from shopdoc.io.xlsx_text import PAD, TextCells, positions
from shopdoc.messages import Said

CHUNK = 1 << 20
# Parts a sheet lives in, and parts every sheet needs (calamine reads them when it opens the book).
_SHEET_PART = re.compile(r"^xl/(worksheets|chartsheets|dialogsheets|macrosheets)/[^/]+\.xml$", re.I)
# A cell's position as calamine reads it: letters in either case (`b1` is column 2), any number of
# digits (`A1234567890` is a row; calamine lays it out and aborts).
_REF = re.compile(rb'\sr="([A-Za-z]*)([0-9]+)"')
_VALUE = re.compile(rb"([A-Za-z]*)([0-9]+)")  # the same, between the quotes
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


@dataclass
class Verdict:
    problem: Said | None = None  # the whole workbook is refused
    limit: str | None = None
    sheets: dict[str, tuple[Said, str]] = field(default_factory=dict)  # sheet name -> (problem, limit)
    # Sheets that start at A1 and whose first megabyte holds text cells only (exports that write
    # their numbers as text): worth reading as text columns (see `readers._text_sheet`). A hint,
    # not a promise: the reader checks every cell.
    text: set[str] = field(default_factory=set)
    # Text sheets read as the guard scanned them (`xlsx_text`): sheet name -> (rows, text columns).
    cells: dict[str, tuple[int, list]] = field(default_factory=dict)


_FIRST_CELL = re.compile(rb'<c r="([A-Z]{1,4}[0-9]{1,9})"')
_TEXT_TYPES = (b' t="s"', b' t="inlineStr"', b' t="str"')


def _all_text(chunk: bytes) -> bool:
    """Whether a sheet's first chunk starts at A1 and every cell in it is a text cell."""
    first = _FIRST_CELL.search(chunk)
    if first is None or first.group(1) != b"A1":
        return False
    return chunk.count(b"<c ") == sum(chunk.count(kind) for kind in _TEXT_TYPES)


def column_number(letters: bytes | str) -> int:
    number = 0
    for char in letters.encode() if isinstance(letters, str) else letters:
        number = number * 26 + ((char & ~32) - 64)  # a lower-case letter counts as its capital
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _far_cells(chunk: bytes, columns: int, rows: int) -> tuple[bool, "np.ndarray"]:
    """Whether the chunk holds a cell whose position is not its first attribute (`<c>`, `<c s=..`),
    and where positions (`r="` ...) that may lie past column `columns` or row `rows` start: a
    superset, each checked exactly by the caller (real exports hold none).

    Whole-chunk comparisons in numpy, a few for each byte, and a few look-ups for each position
    (`xlsx_text.positions`): a third of what two regular expressions took, and without the GIL, so
    the workbook read beside it goes on.
    """
    import numpy as np

    size = len(chunk)
    data = np.frombuffer(chunk + PAD, dtype=np.uint8)
    # `<c` followed by `>`, or by a space and something else than `r="`.
    cell = (data[:size] == 60) & (data[1:size + 1] == 99)
    after = data[2:size + 2]
    odd = bool((cell & (after == 62)).any())
    spaced = np.flatnonzero(cell & (after == 32))
    if not odd and spaced.size:
        odd = not bool(((data[spaced + 3] == 114) & (data[spaced + 4] == 61) & (data[spaced + 5] == 34)).all())
    if odd:
        return True, np.zeros(0, dtype=np.int64)
    found = data[:size] == 114
    found &= data[1:size + 1] == 61
    found &= data[2:size + 2] == 34
    starts = np.flatnonzero(found)
    letters, column, digits, row, _upper = positions(data, starts + 3)
    # Four letters or eleven digits are past any limit; the caller checks each exactly.
    return False, starts[(letters > 3) | (digits > 10) | (column > columns) | (row > rows)]


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, budget: Budget | None,
            what: "str | Said") -> IO[bytes]:
    if info.file_size > limits.max_file_bytes:
        raise TooBig(Said("limit.declared", what=Said("limit.what", what=what), size=mib(info.file_size),
                          max=limits.max_file_mb), "max_file_mb")
    return archive.open(info)


def _chunks(handle: IO[bytes], limits: Limits, budget: Budget | None, what: "str | Said"):
    """The part's bytes in chunks cut at a `<`, counted against the file and run budgets."""
    total, tail = 0, b""
    while True:
        chunk = handle.read(CHUNK)
        if not chunk:
            if tail:
                yield tail
            return
        total += len(chunk)
        if total > limits.max_file_bytes:
            raise TooBig(Said("limit.unpacks", what=Said("limit.what", what=what), max=limits.max_file_mb),
                         "max_file_mb")
        if budget is not None:
            budget.take(len(chunk))
        data = tail + chunk
        cut = data.rfind(b"<c ")  # whole cells in each chunk (`xlsx_text` reads them), else whole tags
        if cut <= 0:
            cut = data.rfind(b"<")
        if cut <= 0:
            tail = b""
            yield data
        else:
            tail = data[cut:]
            yield data[:cut]


@contextmanager
def _ahead(chunks, size: int):
    """The chunks, unpacked one or two ahead on a thread of their own when the part is large (as
    declared: only a choice of speed, the budgets are counted as the chunks come): zlib
    and the scan both leave the GIL, so unpacking and scanning overlap. Bounded (two chunks in
    waiting); an error while unpacking is raised where the chunk would have been."""
    if size < 8 * CHUNK:
        yield chunks
        return
    import queue
    import threading

    waiting: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()
    done = object()

    def offer(item) -> bool:
        """Hand an item over, unless the reader stopped (then False)."""
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def unpack() -> None:
        try:
            for chunk in chunks:
                if not offer(chunk):
                    return
            item = done
        except BaseException as exc:  # noqa: BLE001 - handed to the reader, which raises it
            item = exc
        offer(item)

    def taken():
        while True:
            item = waiting.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    worker = threading.Thread(target=unpack, name="shopdoc-unpack", daemon=True)
    worker.start()
    try:
        yield taken()
    finally:
        stop.set()
        worker.join()


def _drain(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, budget: Budget | None,
           what: "str | Said") -> bytes | None:
    """Unpack a part within the budgets; its bytes when small enough to be worth keeping."""
    keep: list[bytes] = []
    with _stream(archive, info, limits, budget, what) as handle:
        for chunk in _chunks(handle, limits, budget, what):
            if sum(map(len, keep)) < 4 * CHUNK:
                keep.append(chunk)
    return b"".join(keep)


_PREFIXED = re.compile(rb"<\w+:(?:worksheet|sheetData|row|c)\b")
_TAG = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*)>")


def _sheet_cost(open_part, limits: Limits, budget: Budget | None, what: "str | Said",
                hint: dict[str, bool] | None = None, size: int = 0, collect=None) -> tuple[Said, str] | None:
    """Why a sheet must not be laid out by calamine, or None.

    The first megabyte (where the header is) gives a width W and so a number of rows R that fits
    the cell budget; a scan then looks for any position past W or R. A sheet that holds some is
    scanned again with the wider bound (real exports never are). Cells written without a
    position (calamine places them side by side) are counted one by one.
    """
    columns = 0
    for _ in range(4):
        result = _scan(open_part, limits, budget if columns == 0 else None, what, columns,
                       hint if columns == 0 else None, size, collect if columns == 0 else None)
        if isinstance(result, int):
            columns = result
            continue
        if result == "odd":
            if hint is not None:
                hint["text"] = False  # read as calamine places its cells
            return _walk(open_part, limits, what)
        return result
    return Said("limit.spans_cells", max=limits.max_cells), "max_cells"


def _scan(open_part, limits: Limits, budget: Budget | None, what: "str | Said", columns: int,
          hint: dict[str, bool] | None = None, size: int = 0, collect=None):
    learn = columns == 0
    bound = 0
    far_columns = far_rows = 0
    with open_part() as handle, _ahead(_chunks(handle, limits, budget, what), size) as chunks:
        for chunk in chunks:
            if not bound:
                if _PREFIXED.search(chunk):
                    return "odd"
                if learn:
                    for letters, _digits in _REF.findall(chunk):
                        columns = max(columns, column_number(letters) if letters else 0)
                columns = max(columns, 1)
                if columns > limits.max_columns:
                    return _judge(columns, 0, 1, limits)
                bound = max(1, min(limits.max_rows, limits.max_cells // columns))
            if hint is not None and "text" not in hint:
                hint["text"] = _all_text(chunk)
            # Every cell's exact position when the text reader read the chunk; else the positions
            # the scan finds may lie far, each read exactly.
            read = collect(chunk) if collect is not None and hint is not None and hint.get("text") else None
            if read is None:
                collect = None  # not read there: the rest is only scanned
                odd, starts = _far_cells(chunk, columns, bound)
                if odd:
                    return "odd"
                read = _exact(chunk, starts.tolist())
            rows_here, columns_here = read
            far_columns = max(far_columns, _past(columns_here, columns))
            far_rows = max(far_rows, _past(rows_here, bound))
    return _judge(max(columns, far_columns), far_rows, bound, limits) if far_rows or far_columns <= columns \
        else max(columns, far_columns)


def _exact(chunk: bytes, starts: list[int]) -> tuple["np.ndarray", "np.ndarray"]:
    """The rows and columns of the positions (`r="` ...) starting at `starts`, read exactly."""
    import numpy as np

    rows, columns = [], []
    for start in starts:
        found = _VALUE.fullmatch(chunk, start + 3, max(chunk.find(b'"', start + 3), start + 3))
        if found:
            letters, digits = found.groups()
            rows.append(int(digits))
            columns.append(column_number(letters) if letters else 0)
    return np.array(rows, dtype=object), np.array(columns, dtype=object)  # rows past 64 bits included


def _past(values: "np.ndarray", limit: int) -> int:
    """The largest of `values` past `limit`, else 0."""
    largest = int(values.max()) if values.size else 0
    return largest if largest > limit else 0


def _judge(width: int, last_row: int, bound: int, limits: Limits) -> tuple[Said, str] | None:
    if width > limits.max_columns:
        return (Said("limit.far_column", letters=column_letters(width), width=width, max=limits.max_columns),
                "max_columns")
    if last_row > limits.max_rows:
        return Said("limit.far_row", row=last_row, max=limits.max_rows), "max_rows"
    if width * max(last_row, 1) > limits.max_cells or (last_row > bound):
        return Said("limit.span", width=width, rows=last_row, max=limits.max_cells), "max_cells"
    return None


def _walk(open_part, limits: Limits, what: "str | Said") -> tuple[Said, str] | None:
    """Every row and cell placed as calamine places them (slow; for sheets written unusually)."""
    row = width = height = cells = 0
    column = 0
    with open_part() as handle:
        for chunk in _chunks(handle, limits, None, what):
            for tag, attrs in _TAG.findall(chunk):
                found = re.search(rb'\br="([A-Za-z]*)([0-9]+)"', attrs)
                if tag == b"row":
                    row = int(found.group(2)) if found and found.group(2) else row + 1
                    column = 0
                    continue
                cells += 1
                if found and found.group(1):
                    column, row_here = column_number(found.group(1)), int(found.group(2))
                else:
                    column, row_here = column + 1, row
                width, height = max(width, column), max(height, row_here)
            if cells > limits.max_cells or width > limits.max_columns or height > limits.max_rows:
                break
    if cells > limits.max_cells:
        return Said("limit.holds_cells", max=limits.max_cells), "max_cells"
    return _judge(width, height, limits.max_rows, limits)


def _attributes(tag: bytes) -> dict[str, str]:
    return {name.decode("utf-8", "replace").split(":")[-1]: value.decode("utf-8", "replace")
            for name, value in _ATTR.findall(tag)}


def _sheet_names(archive: zipfile.ZipFile, limits: Limits, budget: Budget | None) -> dict[str, str]:
    """Part name -> sheet name, from the workbook and its relationships (empty if they are odd)."""
    try:
        book = _drain(archive, archive.getinfo("xl/workbook.xml"), limits, budget, "xl/workbook.xml") or b""
        rels = _drain(archive, archive.getinfo("xl/_rels/workbook.xml.rels"), limits, budget, "workbook relationships") or b""
    except KeyError:
        return {}
    targets = {}
    for tag in _REL_TAG.findall(rels):
        attrs = _attributes(tag)
        target = attrs.get("Target", "").lstrip("/")
        if not target.startswith("xl/"):
            target = "xl/" + target
        targets[attrs.get("Id")] = target
    names = {}
    for tag in _SHEET_TAG.findall(book):
        attrs = _attributes(tag)
        part = targets.get(attrs.get("id"))
        if part and "name" in attrs:
            import html

            names[part] = html.unescape(attrs["name"])
    return names


def check_workbook(archive: zipfile.ZipFile, limits: Limits, budget: Budget | None = None) -> Verdict:
    """What calamine may read of this workbook."""
    verdict = Verdict()
    infos = archive.infolist()
    names = _sheet_names(archive, limits, budget)
    for info in infos:
        if info.is_dir():
            continue
        part = info.filename
        sheet = names.get(part)
        try:
            if _SHEET_PART.match(part):
                what = Said("where.sheet", sheet=sheet) if sheet else part
                _stream(archive, info, limits, budget, what).close()
                hint: dict[str, bool] = {}
                cells = TextCells(limits.max_cells)
                problem = _sheet_cost(lambda: archive.open(info), limits, budget, what, hint, info.file_size,
                                      cells.add)
                if problem:
                    verdict.sheets[sheet or part] = problem
                elif sheet and hint.get("text"):
                    verdict.text.add(sheet)
                    made = cells.columns()
                    if made is not None:
                        verdict.cells[sheet] = made
            elif part.lower().endswith((".xml", ".rels", ".bin")) or part.startswith("xl/"):
                _drain(archive, info, limits, budget, part)
        except TooBig as exc:
            if _SHEET_PART.match(part):
                verdict.sheets[sheet or part] = (exc.reason, exc.limit)
            else:
                verdict.problem, verdict.limit = Said("read.in_part", part=part, reason=exc.reason), exc.limit
                return verdict
    return verdict
