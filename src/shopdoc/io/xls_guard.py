"""Look inside a binary .xls before calamine reads it: how big each sheet's block of cells is.

calamine lays a sheet out as one block from its first to its last cell, before shopdoc can see how
big it is. A 5.6 KB .xls with cells at A1 and IV65536 asks for 65,536 × 256 cells: over a gigabyte
of memory for nothing. So the workbook stream is walked here first, record by record (BIFF8: a
2-byte type and a 2-byte length), and the row and column of every cell record of every sheet are
noted, never trusting the DIMENSIONS record a file declares. A sheet whose block is over the limits
is refused alone; the others are read.

Anything odd in the file (not an OLE2 compound document, no Workbook stream, a record cut short) is
left to calamine, which reads or refuses it on its own, as before: this only ever refuses sheets.
"""

from __future__ import annotations

import struct

from shopdoc.io.limits import Limits
from shopdoc.messages import Said

_BOF, _EOF, _BOUNDSHEET = 0x0809, 0x000A, 0x0085
# Cell records whose data starts with row (2 bytes) and column (2 bytes).
_CELLS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0201, 0x0204, 0x0205, 0x00D6, 0x0406}
_MULTI = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column, ..., last column (last 2 bytes)


def _workbook_stream(data: bytes) -> bytes | None:
    import io
    import logging

    from xlrd import compdoc

    try:
        doc = compdoc.CompDoc(data, logfile=io.StringIO(), ignore_workbook_corruption=True)
        for name in ("Workbook", "Book"):
            stream = doc.get_named_stream(name)
            if stream:
                return bytes(stream)
    except Exception:  # a damaged container: calamine says what is wrong with it
        logging.getLogger(__name__).debug("xls container not probed", exc_info=True)
    return None


def _sheet_names(stream: bytes) -> dict[int, str]:
    """BOF offset of each sheet -> its name, from the BOUNDSHEET records of the globals."""
    names: dict[int, str] = {}
    position, size = 0, len(stream)
    while position + 4 <= size:
        kind, length = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4:position + 4 + length]
        if kind == _BOUNDSHEET and len(body) >= 8:
            offset, chars, flags = struct.unpack_from("<I", body)[0], body[6], body[7]
            raw = body[8:8 + chars * (2 if flags & 1 else 1)]
            names[offset] = raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
        elif kind == _EOF:
            break
        position += 4 + length
    return names


def oversized_sheets(data: bytes, limits: Limits) -> dict[str, tuple[Said, str]]:
    """Sheet name -> (what is over, the limit) for each sheet calamine must not lay out."""
    stream = _workbook_stream(data)
    if not stream:
        return {}
    names = _sheet_names(stream)
    refused: dict[str, tuple[Said, str]] = {}
    for offset, name in names.items():
        box = _cell_box(stream, offset)
        if box is None:
            continue
        first_row, last_row, first_col, last_col = box
        height, width = last_row - first_row + 1, last_col - first_col + 1
        if height > limits.max_rows:
            refused[name] = Said("limit.rows", rows=height, max=limits.max_rows), "max_rows"
        elif width > limits.max_columns:
            refused[name] = Said("limit.columns", columns=width, max=limits.max_columns), "max_columns"
        elif height * width > limits.max_cells:
            refused[name] = Said("limit.cells", rows=height, columns=width, max=limits.max_cells), "max_cells"
    return refused


def _cell_box(stream: bytes, offset: int) -> tuple[int, int, int, int] | None:
    """(first row, last row, first column, last column) of the cells of the sheet whose BOF is at
    `offset`, or None when it holds none (or the record there is not a BOF)."""
    size = len(stream)
    if offset + 4 > size or struct.unpack_from("<H", stream, offset)[0] != _BOF:
        return None
    first_row = first_col = 1 << 30
    last_row = last_col = -1
    position = offset
    depth = 0
    while position + 4 <= size:
        kind, length = struct.unpack_from("<HH", stream, position)
        start = position + 4
        position = start + length
        if kind == _BOF:
            depth += 1
        elif kind == _EOF:
            depth -= 1
            if depth <= 0:
                break
        elif kind in _CELLS and length >= 4:
            row, col = struct.unpack_from("<HH", stream, start)
            first_row, last_row = min(first_row, row), max(last_row, row)
            first_col, last_col = min(first_col, col), max(last_col, col)
        elif kind in _MULTI and length >= 6 and position <= size:
            row, col = struct.unpack_from("<HH", stream, start)
            last = struct.unpack_from("<H", stream, position - 2)[0]
            first_row, last_row = min(first_row, row), max(last_row, row)
            first_col, last_col = min(first_col, col), max(last_col, max(col, last))
    return None if last_row < 0 else (first_row, last_row, first_col, last_col)
