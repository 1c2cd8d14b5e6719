"""Text sheets read from their XML while the guard scans it, for the shape streaming writers give.

Platform exports written by streaming writers (Apache POI's SXSSF behind many Java back ends,
xlsxwriter's constant-memory mode, openpyxl's write-only mode) hold every cell as an inline string
in one fixed shape:

    <c r="B2" t="inlineStr"><is><t>推广计划</t></is></c>     (or <t xml:space="preserve">)
    <c r="C2" t="inlineStr"/>                                (no value: not a cell)

The guard (`xlsx_guard`) unpacks each sheet anyway; `TextCells` takes its chunks as they come and
finds, with whole-chunk comparisons in numpy, every cell's position and the bytes of its text:
the text columns (`arrow_text.TextColumn`) then need no second unpacking and no XML parser. It
reads a cell as calamine does (tested against it): entities and line ends resolved, the spaces
around a text without `xml:space="preserve"` trimmed; a cell in any other shape, text holding
`_x` escapes or a NUL, or positions out of order give up, and calamine (fastexcel) reads the
sheet as before. Nothing here decides what a sheet reads as: only how fast.
"""

from __future__ import annotations

import re

import numpy as np

from shopdoc.io.arrow_text import TextColumn

PAD = b"\0" * 64  # past a chunk's end, for the look-ups of its last positions (the guard's too)
_WORD = np.dtype("<u8")


def _words(template: bytes) -> list[tuple[int, int]]:
    """A byte string as (word, mask) pairs of 8 bytes, the last one masked to its length."""
    out = []
    for start in range(0, len(template), 8):
        part = template[start:start + 8]
        mask = (1 << (8 * len(part))) - 1
        out.append((int.from_bytes(part.ljust(8, b"\0"), "little"), mask))
    return out


# After a cell's position (from its closing quote on):
_INLINE = b'" t="inlineStr"><is><t>'
_PRESERVE = b'" t="inlineStr"><is><t xml:space="preserve">'
_EMPTY = (b'" t="inlineStr"/>', b'" t="inlineStr" />')
_CLOSE = b"</t></is></c>"
_TEMPLATES = {name: _words(template) for name, template in
              (("inline", _INLINE), ("preserve", _PRESERVE), ("empty", _EMPTY[0]), ("empty_spaced", _EMPTY[1]),
               ("close", _CLOSE))}
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_SPACE = (32, 9, 10, 13)  # what calamine trims around a text that does not preserve its spaces
_ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6}));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def positions(data: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, ...]:
    """Cell positions as calamine reads them, each starting at `value` in `data` (padded past its
    end): (letters, column, digits, row, upper). Letters in either case (`b1` is column 2), counted
    up to 4 (more are past any sheet's width); digits up to 11 (more are past any row limit); `upper`:
    every letter a capital. The guard (`xlsx_guard._far_cells`) and the reading here share it."""
    letters = np.zeros(value.size, dtype=np.int64)
    column = np.zeros(value.size, dtype=np.int64)
    upper = np.ones(value.size, dtype=bool)
    running = np.ones(value.size, dtype=bool)
    for offset in range(4):
        byte = data[value + offset].astype(np.int64)
        running &= ((byte | 32) >= 97) & ((byte | 32) <= 122)
        letters += running
        upper &= ~running | (byte <= 90)
        column = np.where(running, column * 26 + (byte | 32) - 96, column)
    digits = np.zeros(value.size, dtype=np.int64)
    row = np.zeros(value.size, dtype=np.int64)
    running = np.ones(value.size, dtype=bool)
    at = value + letters
    for offset in range(11):
        byte = data[at + offset].astype(np.int64)
        running &= (byte >= 48) & (byte <= 57)
        digits += running
        row = np.where(running, row * 10 + byte - 48, row)
    return letters, column, digits, row, upper


class NotSimple(Exception):
    """The sheet is not in the one shape read here: calamine reads it."""


def _matches(words: np.ndarray, at: np.ndarray, name: str) -> np.ndarray:
    ok = np.ones(at.size, dtype=bool)
    for offset, (word, mask) in enumerate(_TEMPLATES[name]):
        ok &= (words[at + 8 * offset] & np.uint64(mask)) == np.uint64(word)
    return ok


def _entity(found: re.Match) -> str:
    named, decimal, hexadecimal = found.groups()
    if named:
        return _NAMED[named]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise NotSimple("character reference")
    return chr(code)


def _special(raw: bytes, preserve: bool) -> bytes:
    """A text with an entity, a carriage return or spaces at its ends, as calamine reads it."""
    text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        if "&" in _ENTITY.sub("", text):
            raise NotSimple("entity")  # one XML does not define: calamine says what it makes of it
        text = _ENTITY.sub(_entity, text)
    if not preserve:
        text = text.strip(" \t\n\r")
    if "\0" in text:
        raise NotSimple("nul")
    return text.encode("utf-8")


def _chunk_cells(chunk: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(rows, columns, lengths, text bytes) of the cells with a value in a chunk of whole cells."""
    size = len(chunk)
    data = np.frombuffer(chunk + PAD, dtype=np.uint8)
    words = np.ndarray(shape=(size + len(PAD) - 8,), dtype=_WORD, buffer=data, strides=(1,))
    if b":" in chunk and _PREFIXED_CELL.search(chunk):
        raise NotSimple("a cell in a prefixed tag")  # calamine reads it; here it would go unseen
    tags = np.flatnonzero(data[:size] == 60)  # every `<`: the rest is looked up at these
    name = data[tags + 1]
    after = data[tags + 2]
    cell = name == 99
    cell &= (after == 32) | (after == 62) | (after == 9) | (after == 10) | (after == 13) | (after == 47)
    starts = tags[cell]
    if (data[starts + 2] != 32).any():
        raise NotSimple("a cell without a position")  # `<c>`, `<c/>`, `<c` and a line break
    if starts.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, np.zeros(0, dtype=np.uint8)
    if not ((data[starts + 3] == 114) & (data[starts + 4] == 61) & (data[starts + 5] == 34)).all():
        raise NotSimple("attribute before the position")
    letters, column, digits, row, upper = positions(data, starts + 6)
    if ((letters == 0) | (letters > 3) | ~upper).any():
        raise NotSimple("column")
    if ((digits == 0) | (digits > 9)).any() or (data[starts + 6 + letters] == 48).any():
        raise NotSimple("row")
    quote = starts + 6 + letters + digits
    inline = _matches(words, quote, "inline")
    preserve = np.zeros(starts.size, dtype=bool)
    empty = np.zeros(starts.size, dtype=bool)
    rest = np.flatnonzero(~inline)
    if rest.size:  # rare: a text keeping its spaces, a cell without a value
        preserve[rest] = _matches(words, quote[rest], "preserve")
        empty[rest] = _matches(words, quote[rest], "empty") | _matches(words, quote[rest], "empty_spaced")
        if not (inline | preserve | empty).all():
            raise NotSimple("cell shape")
    full = ~empty
    key = (row << 15) + column  # columns stop at 18,278 (ZZZ); document order must be row, column order
    if key.size > 1 and not (key[1:] > key[:-1]).all():
        raise NotSimple("order")
    text_start = np.where(preserve, quote + len(_PRESERVE), quote + len(_INLINE))[full]
    # A text runs to the first `<` after it, which must be `</t></is></c>` (no markup inside).
    which = np.searchsorted(tags, text_start)
    if (which >= tags.size).any():
        raise NotSimple("unclosed text")
    text_end = tags[which]
    if not _matches(words, text_end, "close").all():
        raise NotSimple("text")
    lengths = text_end - text_start
    inside = np.zeros(text_start.size, dtype=np.int64)
    # Rare, and looked for in the chunk's bytes first: an entity, a carriage return, a NUL, an `_x`.
    if b"&" in chunk or b"\r" in chunk or b"\0" in chunk or (b"_" in chunk and b"_x" in chunk):
        data_marks = (data[:size] == 38) | (data[:size] == 13) | (data[:size] == 0) \
            | ((data[:size] == 95) & (data[1:size + 1] == 120))
        bounds = np.empty(2 * text_start.size, dtype=np.int64)
        bounds[0::2], bounds[1::2] = text_start, text_end
        inside = np.add.reduceat(data_marks.view(np.uint8), bounds.clip(max=size - 1), dtype=np.int64)[0::2]
        inside = np.where(lengths > 0, inside, 0)
    spaced = np.zeros(text_start.size, dtype=bool)
    plain = ~preserve[full] & (lengths > 0)
    if plain.any():
        spaced[plain] = np.isin(data[text_start[plain]], _SPACE) | np.isin(data[text_end[plain] - 1], _SPACE)
    rows, columns = row[full], column[full]
    order = np.argsort(columns, kind="stable")  # by column, rows in order within each
    special = (inside > 0) | spaced
    if special.any():
        keep = preserve[full]
        pieces = [chunk[begin:end] for begin, end in zip(text_start.tolist(), text_end.tolist())]
        for index in np.flatnonzero(special).tolist():
            if b"_x" in pieces[index]:
                raise NotSimple("an _x escape")  # calamine's own escapes: left to it
            pieces[index] = _special(pieces[index], bool(keep[index]))
        ordered = [pieces[index] for index in order.tolist()]
        lengths = np.fromiter(map(len, ordered), dtype=np.int64, count=len(ordered))
        text = np.frombuffer(b"".join(ordered), dtype=np.uint8)
    else:
        lengths = lengths[order]
        offsets = np.zeros(lengths.size + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        index = np.repeat(text_start[order] - offsets[:-1], lengths) + np.arange(offsets[-1])
        text = data[index]
    return rows[order].astype(np.int32), columns[order].astype(np.int32), lengths.astype(np.int32), text


class TextCells:
    """Collects a sheet's cells chunk by chunk (`add`); `columns` gives the sheet as text columns,
    or None when some part of it is not in the shape read here (calamine then reads it). Past
    `max_cells` cells it gives up (the sheet is over the limits anyway): what it holds stays
    within 12 bytes a cell and the text."""

    def __init__(self, max_cells: int | None = None) -> None:
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] | None = []
        self.room = max_cells

    def add(self, chunk: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """The rows and columns of the chunk's cells (every position in it), or None once the
        sheet is found not to be in the shape read here."""
        if self.parts is None:
            return None
        try:
            part = _chunk_cells(chunk)
        except NotSimple:
            self.parts = None
            return None
        if self.room is not None:
            self.room -= part[0].size
            if self.room < 0:
                self.parts = None  # the positions are still returned, for the guard's judgement
                return part[0], part[1]
        if part[0].size:
            self.parts.append(part)
        return part[0], part[1]

    def columns(self) -> tuple[int, list[TextColumn]] | None:
        parts, self.parts = self.parts, None
        if not parts:
            return None
        width = int(max(part[1].max() for part in parts))
        height = int(max(part[0].max() for part in parts))
        if min(part[0].min() for part in parts) != 1 or min(part[1].min() for part in parts) != 1:
            return None  # calamine's block starts at the first cell: only a sheet starting at A1
        pieces: list[list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = [[] for _ in range(width)]
        for rows, columns, lengths, text in parts:
            cuts = np.searchsorted(columns, np.arange(1, width + 2))
            sizes = np.concatenate(([0], np.cumsum(lengths)))
            for number in range(width):
                begin, end = cuts[number], cuts[number + 1]
                if end > begin:
                    pieces[number].append((rows[begin:end], lengths[begin:end], text[sizes[begin]:sizes[end]]))
        out = []
        for number in range(width):
            sizes = np.zeros(height + 1, dtype=np.int64)
            if pieces[number]:
                rows = np.concatenate([piece[0] for piece in pieces[number]])
                if rows.size > 1 and not (rows[1:] > rows[:-1]).all():
                    return None  # rows out of order across chunks, or a cell given twice
                sizes[rows] = np.concatenate([piece[1] for piece in pieces[number]])
                data = np.concatenate([piece[2] for piece in pieces[number]])
            else:
                data = np.zeros(0, dtype=np.uint8)
            out.append(TextColumn(np.cumsum(sizes), data))  # sizes[0] is 0: row i + 1 ends at [i + 1]
        return height, out
