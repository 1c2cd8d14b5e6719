"""Text columns out of an Arrow record batch, without pyarrow.

fastexcel (calamine in Rust, like python-calamine) hands a sheet over through the Arrow C data
interface (`__arrow_c_array__`: two PyCapsules holding the C structs the Arrow spec fixes). A sheet
whose cells are all text arrives as string columns: an offsets buffer and one UTF-8 data buffer per
column. Each column becomes a list of Python strings here with one decode and one split at C
speed (a NUL byte between cells: a cell that holds one is never passed here, see `text_columns`),
None for an empty cell.

pyarrow would do the same, but with it installed pandas 3 switches every `str` column of the
program to Arrow storage (other regex engine, other costs): shopdoc keeps numpy-backed strings.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence

import numpy as np


class _Schema(ctypes.Structure):
    pass


_Schema._fields_ = [
    ("format", ctypes.c_char_p), ("name", ctypes.c_char_p), ("metadata", ctypes.c_char_p),
    ("flags", ctypes.c_int64), ("n_children", ctypes.c_int64),
    ("children", ctypes.POINTER(ctypes.POINTER(_Schema))), ("dictionary", ctypes.POINTER(_Schema)),
    ("release", ctypes.c_void_p), ("private_data", ctypes.c_void_p),
]


class _Array(ctypes.Structure):
    pass


_Array._fields_ = [
    ("length", ctypes.c_int64), ("null_count", ctypes.c_int64), ("offset", ctypes.c_int64),
    ("n_buffers", ctypes.c_int64), ("n_children", ctypes.c_int64),
    ("buffers", ctypes.POINTER(ctypes.c_void_p)), ("children", ctypes.POINTER(ctypes.POINTER(_Array))),
    ("dictionary", ctypes.POINTER(_Array)), ("release", ctypes.c_void_p), ("private_data", ctypes.c_void_p),
]

_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_pointer.restype = ctypes.c_void_p
_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]

_OFFSETS = {b"u": ctypes.c_int32, b"U": ctypes.c_int64}  # utf8, large utf8
_NULL = b"n"  # a column with no cell in it


class NotText(Exception):
    """The batch holds something other than text columns: read the sheet another way."""


class TextColumn:
    """A column of text cells as Arrow lays them out: one UTF-8 buffer and each cell's offsets.

    Cells become Python strings only when asked for (`cells`, `take`): the numeric columns of a
    large export are read from the bytes (`values.numbers_block`) and never need them. An empty
    cell reads as "", as python-calamine's `to_python` gives it.
    """

    __slots__ = ("offsets", "data", "_cells")

    def __init__(self, offsets: np.ndarray, data: np.ndarray):
        self.offsets = offsets  # int64, len(self) + 1, into data
        self.data = data  # uint8
        self._cells: list[str] | None = None

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def tail(self, start: int) -> "TextColumn":
        """The cells from `start` on (the bytes are shared)."""
        return TextColumn(self.offsets[start:], self.data)

    def cells(self) -> list[str]:
        if self._cells is None:
            self._cells = _split(self.offsets, self.data)
        return self._cells

    def mentions(self, text: str) -> bool:
        """Whether any cell holds `text`: one search of the column's bytes, no cell made."""
        return text.encode() in self.data[self.offsets[0]:self.offsets[-1]].tobytes()

    def span(self, start: int, stop: int) -> list[str]:
        """Cells start..stop (made for them alone unless the whole column was)."""
        if self._cells is not None:
            return self._cells[start:stop]
        stop = min(stop, len(self))
        return _split(self.offsets[start:stop + 1], self.data) if stop > start else []

    def take(self, mask: np.ndarray) -> np.ndarray:
        """The cells where `mask` is True, as an object array."""
        if self._cells is not None:
            return np.array(self._cells, dtype=object)[mask]
        out = np.empty(int(np.count_nonzero(mask)), dtype=object)
        out[:] = self.subset(mask).cells()
        return out

    def subset(self, mask: np.ndarray) -> "TextColumn":
        """The cells where `mask` is True, as a column of their own (their bytes gathered)."""
        rows = np.flatnonzero(mask)
        starts, stops = self.offsets[rows], self.offsets[rows + 1]
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(stops - starts, out=offsets[1:])
        index = np.repeat(starts - offsets[:-1], stops - starts) + np.arange(offsets[-1])
        return TextColumn(offsets, self.data[index])


def _split(offsets: np.ndarray, data: np.ndarray) -> list[str]:
    """The cells between consecutive offsets as Python strings: the bytes with a NUL between each
    two cells, decoded once and split once."""
    rows = len(offsets) - 1
    if rows <= 0:
        return []
    first, last = int(offsets[0]), int(offsets[-1])
    body = data[first:last]
    joined = np.zeros(body.size + rows - 1, dtype=np.uint8)
    keep = np.ones(joined.size, dtype=bool)
    keep[offsets[1:-1] - first + np.arange(rows - 1)] = False
    joined[keep] = body
    return joined.tobytes().decode("utf-8").split("\x00")


def text_columns(batch) -> tuple[int, list[TextColumn]]:
    """(rows, columns) of an object with `__arrow_c_array__` whose columns are all text (or all
    empty), the bytes copied out of Arrow's buffers; NotText otherwise."""
    schema_capsule, array_capsule = batch.__arrow_c_array__()  # alive until the copies are made
    schema = ctypes.cast(_pointer(schema_capsule, b"arrow_schema"), ctypes.POINTER(_Schema)).contents
    array = ctypes.cast(_pointer(array_capsule, b"arrow_array"), ctypes.POINTER(_Array)).contents
    if schema.format != b"+s" or array.offset != 0 or schema.n_children != array.n_children:
        raise NotText(schema.format)
    rows = int(array.length)
    columns = []
    for index in range(schema.n_children):
        fmt = schema.children[index].contents.format
        child = array.children[index].contents
        if child.length != rows:
            raise NotText(fmt)
        if fmt == _NULL:
            columns.append(TextColumn(np.zeros(rows + 1, dtype=np.int64), np.zeros(0, dtype=np.uint8)))
        elif fmt in _OFFSETS:
            columns.append(_column(child, _OFFSETS[fmt]))
        else:
            raise NotText(fmt)
    return rows, columns


def _buffer(address: int | None, ctype, size: int) -> np.ndarray:
    if not address or size == 0:
        return np.zeros(size, dtype=ctype)
    return np.ctypeslib.as_array(ctypes.cast(address, ctypes.POINTER(ctype)), shape=(size,))


def _column(child: _Array, offset_type) -> TextColumn:
    rows, start = int(child.length), int(child.offset)
    offsets = _buffer(child.buffers[1], offset_type, start + rows + 1)[start:].astype(np.int64)
    first, last = int(offsets[0]), int(offsets[-1])
    data = _buffer(child.buffers[2], ctypes.c_uint8, last)[first:last].copy()
    offsets -= first
    if data.size and not data.all():  # a NUL inside a cell: `_split` would cut it there
        raise NotText(b"nul")
    if child.null_count != 0 and child.buffers[0]:  # -1: not counted
        valid = np.unpackbits(_buffer(child.buffers[0], ctypes.c_uint8, (start + rows + 7) // 8),
                              bitorder="little")[start:start + rows].astype(bool)
        if not valid.all() and (offsets[1:] - offsets[:-1])[~valid].any():
            raise NotText(b"null with bytes")  # Arrow allows it; an empty cell then is not ""
    return TextColumn(offsets, data)


class ColumnRows(Sequence):
    """The rows of a table kept as text columns, made when asked for: the header area for
    detection, the description rows above the header; only a caller that walks every row pays for
    every cell. Compares equal to the list of rows it stands for."""

    def __init__(self, columns: list[TextColumn], height: int):
        self.columns, self.height = columns, height

    def __len__(self) -> int:
        return self.height

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, step = key.indices(self.height)
            if step != 1:
                return self[start:stop][::step]
            if stop <= start:
                return []
            return [list(row) for row in zip(*(column.span(start, stop) for column in self.columns))] \
                if self.columns else [[] for _ in range(stop - start)]
        index = key + self.height if key < 0 else key
        if not 0 <= index < self.height:
            raise IndexError(key)
        return self[index:index + 1][0]

    def __iter__(self):
        for start in range(0, self.height, 4096):
            yield from self[start:start + 4096]

    def __eq__(self, other) -> bool:
        if isinstance(other, (list, ColumnRows)):
            return len(other) == self.height and list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"ColumnRows({self.height} rows × {len(self.columns)} columns)"
