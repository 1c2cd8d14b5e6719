"""Cell values to typed columns, a whole column at a time (no Python loop per row).

Workbook cells arrive as floats, ints, dates or text; CSV cells as text such as `1,391`, `¥34,895.00`,
`2.5万`, `77.48%`, ` --`, `00:01:23`. Each parser returns the parsed column and a mask of the cells
that held something but could not be read, so the caller can warn about them.

Numeric workbook cells take a fast path (one numpy conversion per column). Text is read once per
distinct cell for long columns (`by_unique`: exports repeat themselves, a handful of dates, tens of
campaigns, rates with two decimals), and for the numeric columns of a table all in one pass
(`numbers_block`). The shapes nearly every cell has (`2,106`, `54.94%`, a plain id, a review's
time) are told apart with Python's own string methods, and only the rest goes through pandas'
regex string methods: their fixed cost per call would otherwise dominate small files, and their
cost per cell large ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from shopdoc.io.currency import TOKENS
from shopdoc.neutral import _SUSPECT, clean_text

MISSING = frozenset({"", "-", "--", "---", "—", "–", "n/a", "N/A", "NA", "null", "NULL", "None", "nan", "NaN", "/"})
# Currency symbols and codes (`Rs.201.68`, `US$12`, `12.50 EUR`, `99元`; `万元` keeps its 万), separators,
# spaces and trailing count units go before a cell is read as a number.
_CURRENCY_RE = "|".join(re.escape(token) for token in sorted(set(TOKENS) - {"万元"}, key=len, reverse=True))
_STRIP_RE = re.compile(rf"Rs\.|(?i:{_CURRENCY_RE})|[\s,，+]|[星分次个人件笔单]$")
# What is left of a number once currency, separators and spaces are gone: `-12.5`, `(12.50)`,
# `77.48%`, `2.5万`, `1.2亿`, `1E+3`.
_NUMBER_RE = (r"^(?P<open>\()?(?P<sign>[-])?(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\)?"
              r"(?P<unit>[%％万亿])?$")
_UNIT_CODES = {"%": 1, "％": 1, "万": 2, "亿": 3}
_SCALE = np.array([1.0, 1.0, 1e4, 1e8])  # a `%` on a plain number column is a label, not a scale
_RATE_SCALE = np.array([1.0, 0.01, 1e4, 1e8])
_DURATION_RE = r"^\d+:\d{1,2}(:\d{1,2}(\.\d+)?)?$"
SCIENTIFIC_RE = r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$"

Parsed = tuple[pd.Series, pd.Series]  # (values, could-not-read mask)
SMALL = 2000  # columns up to this many rows are parsed directly, without `by_unique`


def by_unique(raw: pd.Series, func: Callable[[pd.Series], pd.DataFrame], *, always: bool = False) -> pd.DataFrame:
    """Apply `func` to each distinct cell once and spread its result rows back over `raw`.

    `func` gets the distinct cells as an object Series and returns a DataFrame with one row each.
    Missing cells (None/NaN) get a row of missing values. A short column is passed to `func` as
    it is, unless `always` (for columns such as dates, with very few distinct values).
    """
    if not always and (len(raw) <= SMALL or _mostly_distinct(raw)):  # nothing to gain from factorising
        result = func(raw.astype(object))
        result.index = raw.index
        return result
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    result = func(pd.Series(np.asarray(uniques, dtype=object), dtype=object))
    take = np.where(codes >= 0, codes, 0)
    missing = codes < 0
    out = {}
    for name in result.columns:
        column = result[name]
        if len(column) == 0:
            out[name] = pd.Series([None] * len(raw), index=raw.index, dtype=object)
            continue
        spread = pd.Series(column.to_numpy().take(take), index=raw.index, dtype=column.dtype)
        if missing.any():
            spread = spread & ~missing if column.dtype == bool else spread.mask(missing)
        out[name] = spread
    return pd.DataFrame(out, index=raw.index)


def _mostly_distinct(raw: pd.Series) -> bool:
    """Whether a column's first cells are nearly all different (keywords, titles, order numbers):
    factorising it would cost more than it spares."""
    sample = raw.iloc[:SMALL].tolist()
    try:
        return len(set(sample)) > 0.9 * len(sample)
    except TypeError:  # an unhashable cell: factorise as ever
        return False


def _text(cells: pd.Series) -> pd.Series:
    """Cells as stripped text, missing tokens (`-`, `--`, ` --`, empty) as NA. (`str(cell)` is what
    `astype("str")` writes; a comprehension costs a fraction of four pandas string methods.)"""
    values = cells.tolist()
    if pd.api.types.infer_dtype(values, skipna=False) == "string":  # text cells only (a workbook of text)
        text = [None if (stripped := cell.strip()) in MISSING else stripped for cell in values]
    else:
        text = [None if gone or (stripped := str(cell).strip()) in MISSING else stripped
                for cell, gone in zip(values, cells.isna().tolist())]
    return pd.Series(text, index=cells.index, dtype="str")


def _fast_numbers(raw: pd.Series) -> pd.Series:
    """Numeric cells as floats, everything else NaN (see `_numeric_cells`)."""
    return pd.Series(_numeric_cells(raw.to_numpy(dtype=object)), index=raw.index)


def _numeric_cells(cells: np.ndarray) -> np.ndarray:
    """Numeric cells as floats, everything else NaN. Workbook columns of plain numbers convert in
    one numpy call; anything with text in it goes through `pd.to_numeric`."""
    if pd.api.types.infer_dtype(cells, skipna=True) == "string":  # all text (CSV): the string path reads it
        return np.full(len(cells), np.nan)
    try:
        return cells.astype("float64")
    except (ValueError, TypeError):
        return np.asarray(pd.to_numeric(cells, errors="coerce"), dtype="float64")


def has_decimal_comma(raw: pd.Series) -> bool:
    """A cell like `12,50` or `1.234,56`: a comma followed by one or two digits at the end."""
    def test(cells: pd.Series) -> pd.DataFrame:
        return pd.DataFrame({"hit": cells.astype("str").str.contains(r"\d,\d{1,2}\s*%?$", regex=True)})

    return bool(by_unique(raw, test)["hit"].fillna(False).any())


def _result(values: pd.Series, bad: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"value": values, "bad": bad.astype(bool)})


# -- numbers ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NumberColumn:
    """How to read one numeric column: a rate (`%` divides by 100) and whether its header says `(%)`."""

    percent: bool = False
    percent_header: bool = False


def numbers(raw: pd.Series, *, percent: bool = False, percent_header: bool = False,
            decimal_comma: bool = False) -> Parsed:
    """Numbers from cells: `1,391`, `34,895.00`, `¥12.5`, `2.5万`, `1.2亿`, `-`/`--` missing.

    With `percent` (a rate column), a value written with `%` is divided by 100 and a plain one is
    taken as is (`77.48%` -> 0.7748, `0.0333` stays): exports of the same rate differ, and one file
    may mix both. `percent_header` (the header says `(%)`) divides plain values by 100 too.
    `decimal_comma` (a localised file) reads `1.234,56` as 1234.56 and `1.234` as 1234.
    """
    return numbers_block({"value": raw}, {"value": NumberColumn(percent, percent_header)}, decimal_comma)["value"]


def numbers_block(columns: dict[str, pd.Series], how: dict[str, NumberColumn],
                  decimal_comma: bool = False) -> dict[str, Parsed]:
    """Parse the numeric columns of one table together.

    Plain numeric cells (workbooks) convert column by column in one numpy call. The text cells of
    all columns are then read together, once per distinct cell, so pandas' fixed cost per call is
    paid once per table rather than once per column (a Sycm item report has 25 such columns).
    """
    parsed: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    pending: list[tuple[str, np.ndarray, np.ndarray]] = []
    for name, raw in columns.items():
        if _is_bytes(raw):  # text cells as bytes (`arrow_text.TextColumn`): every cell goes to the text path
            if decimal_comma:
                raw = np.array(raw.cells(), dtype=object)
            else:
                parsed[name] = (np.full(len(raw), np.nan), np.zeros(len(raw), dtype=bool))
                pending.append((name, raw, np.ones(len(raw), dtype=bool)))
                continue
        cells = raw if isinstance(raw, np.ndarray) else raw.to_numpy(dtype=object)
        if decimal_comma:
            values = np.full(len(cells), np.nan)
        else:
            values = _numeric_cells(cells)
            if how[name].percent_header:
                values = values / 100
        parsed[name] = (values, np.zeros(len(cells), dtype=bool))
        todo = np.isnan(values)  # text, and missing cells (which stay NaN, and are not unreadable)
        if todo.any():
            pending.append((name, cells, todo))
    # Each column's text cells: the plain ones (`2,106`, `54.94%`) all at once, column by column;
    # the rest of every column together, once per distinct cell.
    read: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    for _, cells, todo in pending:
        text = cells if todo.all() else cells[todo]
        if _is_bytes(text):
            number, percent, negative, plain = _plain_bytes(text)
        elif decimal_comma:
            number, percent, plain = np.full(len(text), np.nan), np.zeros(len(text), dtype=bool), np.zeros(len(text), dtype=bool)
            negative = np.zeros(len(text), dtype=bool)
        else:
            number, percent, negative, plain = _plain_numbers(text)
        read.append((text, number, percent.astype("int64"), negative, ~plain))
    unreadable = [np.zeros(len(text), dtype=bool) for text, *_ in read]
    if any(rest.any() for *_, rest in read):
        parts = by_unique(pd.Series(np.concatenate([text.take(rest) if _is_bytes(text) else text[rest]
                                                    for text, *_, rest in read]), dtype=object),
                          lambda distinct: _number_parts(distinct, decimal_comma))
        number_of, negative_of = parts["number"].to_numpy(dtype="float64"), parts["negative"].to_numpy(dtype=bool)
        unit_of = parts["unit"].fillna(0).to_numpy(dtype="int64")  # missing cells have none
        bad_of = parts["bad"].to_numpy(dtype=bool)
        start = 0
        for (text, number, unit, negative, rest), bad in zip(read, unreadable):
            stop = start + int(rest.sum())
            number[rest], unit[rest], negative[rest] = number_of[start:stop], unit_of[start:stop], negative_of[start:stop]
            bad[rest] = bad_of[start:stop]
            start = stop
    for (name, _, todo), (_, number, unit, negative, _), unread in zip(pending, read, unreadable):
        spec = how[name]
        scale = (_RATE_SCALE if spec.percent else _SCALE)[unit]
        if spec.percent_header:
            scale = np.where(unit == 0, 0.01, scale)
        values, bad = parsed[name]
        values[todo] = number * scale * np.where(negative, -1.0, 1.0)
        bad[todo] = unread
    for values, bad in parsed.values():
        _refuse_non_finite(values, bad)
    def index(name: str) -> pd.Index:
        column = columns[name]
        return pd.RangeIndex(len(column)) if _is_bytes(column) or isinstance(column, np.ndarray) else column.index

    return {name: (pd.Series(values, index=index(name)), pd.Series(bad, index=index(name)))
            for name, (values, bad) in parsed.items()}


def _is_bytes(column) -> bool:
    """A column of text cells kept as bytes (`arrow_text.TextColumn`)."""
    return hasattr(column, "offsets")


LARGEST = 1e15  # no count or amount of one shop comes near; past it arithmetic soon overflows to inf


def _refuse_non_finite(values: np.ndarray, bad: np.ndarray) -> None:
    """`1E+400`, `inf` and absurd magnitudes become unreadable cells (a data warning), never a value
    a rule or a renderer sees."""
    with np.errstate(invalid="ignore"):
        absurd = np.isinf(values) | (np.abs(values) > LARGEST)
    if absurd.any():
        values[absurd] = np.nan
        bad[absurd] = True


def _number_parts(cells: pd.Series, decimal_comma: bool) -> pd.DataFrame:
    """Each cell's unsigned number, unit code (0 none, 1 %, 2 万, 3 亿), sign, and whether it held
    something that is not a number (missing tokens such as `-` are not)."""
    text = [None if gone else str(cell) for cell, gone in zip(cells.tolist(), cells.isna().tolist())]  # astype("str")
    missing = np.array([cell is None or cell.strip() in MISSING for cell in text], dtype=bool)
    groups = _number_groups(text, missing, decimal_comma)
    number = np.asarray(pd.to_numeric(groups["number"], errors="coerce"), dtype="float64")
    return pd.DataFrame({
        "number": number,
        "unit": np.array([_UNIT_CODES.get(unit, 0) for unit in groups["unit"]], dtype="int64"),
        "negative": (groups["sign"] == "-") | ~pd.isna(groups["open"]),
        "bad": np.isnan(number) & ~missing,
    }, index=cells.index)


def _number_groups(text: list[str | None], missing: np.ndarray, decimal_comma: bool) -> dict[str, np.ndarray]:
    """`_NUMBER_RE`'s groups (open, sign, number, unit) of each cell, once currency, separators and
    spaces are stripped. Plain cells most exports are made of, and missing tokens, skip the regexes."""
    if decimal_comma:
        localised = pd.Series(text, dtype="str").str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        return _regex_groups(localised)
    groups = _plain_groups(text)
    rest = pd.isna(groups["number"]) & ~missing
    if rest.any():
        found = _regex_groups(pd.Series([cell for cell, other in zip(text, rest) if other], dtype="str"))
        for name, column in groups.items():
            column[rest] = found[name]
    return groups


def _regex_groups(text: pd.Series) -> dict[str, np.ndarray]:
    found = text.str.replace(_STRIP_RE, "", regex=True).str.extract(_NUMBER_RE)
    return {name: found[name].to_numpy(dtype=object) for name in ("open", "sign", "number", "unit")}


_PLAIN_CHARS = frozenset("0123456789.,-%")


def _plain_groups(text: list[str | None]) -> dict[str, np.ndarray]:
    """The groups of the cells written with digits, `.`, `,`, a leading `-` and a trailing `%`
    only — `2,106`, `54.94%`, `-3.5` — by string methods (None for any other cell).

    The regex path strips the commas and reads the same groups from what is left, so both paths
    agree on every such cell; this one costs a fraction of a microsecond a cell instead of two
    regex passes through pandas.
    """
    signs, numbers, units = [], [], []
    for cell in text:
        sign = unit = number = None
        if cell is not None and _PLAIN_CHARS.issuperset(cell):
            body = cell.replace(",", "")
            if body.startswith("-"):
                sign, body = "-", body[1:]
            if body.endswith("%"):
                unit, body = "%", body[:-1]
            if body.replace(".", "", 1).isdigit():  # `12`, `12.5`, `12.`, `.5`; not `.`, `1.2.3`, `5-`
                number = body
            else:
                sign = unit = None
        signs.append(sign)
        numbers.append(number)
        units.append(unit)
    return {"open": np.full(len(text), None, dtype=object), "sign": np.array(signs, dtype=object),
            "number": np.array(numbers, dtype=object), "unit": np.array(units, dtype=object)}


# -- durations -------------------------------------------------------------------------------------

def durations(raw: pd.Series) -> Parsed:
    """Seconds from `00:01:23`, `1:23`, `83`, `15.74`, or a time cell from a workbook."""
    values = _fast_numbers(raw)
    bad = pd.Series(False, index=raw.index)
    todo = values.isna().to_numpy() & raw.notna().to_numpy()
    if todo.any():
        parsed = by_unique(raw[todo], _parse_durations)
        values[todo] = parsed["value"].astype("float64")
        bad[todo] = parsed["bad"].fillna(False).astype(bool)
    array, flags = values.to_numpy(dtype="float64", copy=True), bad.to_numpy(dtype=bool, copy=True)
    _refuse_non_finite(array, flags)  # `1E400` seconds is unreadable, not forever
    return pd.Series(array, index=raw.index), pd.Series(flags, index=raw.index)


def _parse_durations(cells: pd.Series) -> pd.DataFrame:
    values = pd.Series(np.nan, index=cells.index, dtype="float64")
    bad = pd.Series(False, index=cells.index)
    text = _text(cells).dropna()
    clock = text.str.match(_DURATION_RE).astype(bool)
    if clock.any():
        parts = text[clock].str.split(":", expand=True).apply(pd.to_numeric, errors="coerce")
        if parts.shape[1] == 2:
            seconds = parts[0] * 60 + parts[1]
        else:  # h:m:s, with m:s rows mixed in
            seconds = (parts[0] * 3600 + parts[1] * 60 + parts[2]).where(parts[2].notna(),
                                                                        parts[0] * 60 + parts[1])
        values[seconds.index] = seconds
    rest = text[~clock]
    if not rest.empty:
        parsed, rest_bad = numbers(rest.astype(object))
        values[rest.index] = parsed
        bad[rest.index] = rest_bad
    return _result(values, bad)


# -- ids and text ----------------------------------------------------------------------------------

def ids(raw: pd.Series) -> Parsed:
    """Ids as text: a workbook's 5531.0 becomes `5531`. Returns (ids, scientific-notation mask).

    An id like `1.07E+11` has lost its digits in a spreadsheet; it is kept as given and flagged.
    """
    def parse(cells: pd.Series) -> pd.DataFrame:
        text = _text(cells)
        scientific = pd.Series(False, index=text.index)
        # Most ids are plain digits (`652318809541`): nothing to fix or flag, no regex to run.
        other = text.notna() & ~text.str.isdigit().fillna(False).astype(bool)
        if other.any():
            text[other] = text[other].str.replace(r"^(-?\d+)\.0+$", r"\1", regex=True)
            scientific[other] = text[other].str.match(SCIENTIFIC_RE).fillna(False).astype(bool)
        return pd.DataFrame({"value": text, "bad": scientific})

    parsed = by_unique(raw, parse)
    return parsed["value"].astype("str"), parsed["bad"].fillna(False).astype(bool)


def texts(raw: pd.Series) -> pd.Series:
    """Text cells, stripped; an integral float from a workbook (a keyword `618` typed as a number)
    reads as it looks."""
    def parse(cells: pd.Series) -> pd.DataFrame:
        text = _text(cells)
        if _needs_cleaning(text):
            text = text.map(clean_text, na_action="ignore")  # escapes, controls, bidi overrides: see shopdoc.neutral
        if text.notna().any() and pd.api.types.infer_dtype(cells, skipna=True) != "string":
            text = text.str.replace(r"^(-?\d+)\.0$", r"\1", regex=True)
        return pd.DataFrame({"value": text})

    return by_unique(raw, parse)["value"].astype("str")


def _needs_cleaning(text: pd.Series) -> bool:
    """Whether `clean_text` would change any cell: it leaves text without controls, bidi marks,
    tabs or line breaks as it is, so one search over the joined column spares a call per cell."""
    joined = " ".join(text.dropna().tolist())
    return bool(_SUSPECT.search(joined)) or "\n" in joined or "\r" in joined or "\t" in joined


# -- dates -----------------------------------------------------------------------------------------

_DATE_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d.%m.%Y", "%m/%d/%Y", "%m/%d/%y", "%Y年%m月%d日",
                 "%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%d-%b-%Y", "%d-%B-%Y", "%d-%b-%y",
                 "%Y/%m/%d", "%Y.%m.%d", "%b. %d, %Y", "%d %b, %Y",
                 "%B %Y", "%b %Y", "%Y-%m", "%Y/%m", "%Y年%m月")  # the last five: Month columns


def dates(raw: pd.Series) -> Parsed:
    """ISO dates (`2026-11-22`) from date cells, `2026/11/22`, `20261122`, `Nov 22, 2026`,
    `2026-11-22 10:31:05`, Excel serial numbers, and ranges `2026-11-16~2026-11-22` (the last day)."""
    def parse(cells: pd.Series) -> pd.DataFrame:
        found = _parse_days(cells)
        iso = found.dt.strftime("%Y-%m-%d").astype("str")
        return pd.DataFrame({"value": iso, "bad": found.isna() & _text(cells).notna()})

    parsed = by_unique(raw, parse, always=True)
    return parsed["value"].astype("str"), parsed["bad"].fillna(False).astype(bool)


# What joins the two ends of a range in a cell: `2026-11-16~2026-11-22`, `2026-05-01 至 2026-05-07`,
# `May 1, 2026 - May 7, 2026`, `1 May 2026 to 7 May 2026`, `2026/05/01–2026/05/07`.
RANGE_SPLIT = r"\s*[~～至–—]\s*|\s+-\s+|\s+to\s+|(?<=\d)-(?=\d{4}[-/.]\d)"


def date_starts(raw: pd.Series) -> pd.Series:
    """The first day (ISO) of each cell that holds a range (`2026-11-16~2026-11-22`), NA elsewhere;
    `dates` reads such a cell as its last day."""
    def parse(cells: pd.Series) -> pd.DataFrame:
        text = _text(cells)
        ranged = text.str.contains(RANGE_SPLIT, regex=True).fillna(False).astype(bool)
        out = pd.Series(pd.NA, index=cells.index, dtype="str")
        if ranged.any():
            first = text[ranged].str.split(RANGE_SPLIT, regex=True).str[0].str.strip()
            found = parse_dates(first.astype(object))
            out[ranged] = found.dt.strftime("%Y-%m-%d").astype("str")
        return pd.DataFrame({"value": out})

    if not any(isinstance(cell, str) for cell in raw.iloc[:50].tolist()):
        return pd.Series(pd.NA, index=raw.index, dtype="str")
    return by_unique(raw, parse, always=True)["value"].astype("str")


_DATE_TIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?")


def _parse_days(cells: pd.Series) -> pd.Series:
    """`parse_dates` of distinct cells, with `2026-11-22 23:32:27` cut to its day first: a review
    export's 评价时间 holds ten thousand distinct times but only a week of days, and only the day
    is read (`parse_dates` drops the time the same way, a cell at a time)."""
    given = cells.tolist()
    timed = [isinstance(cell, str) and _DATE_TIME_RE.fullmatch(cell) is not None for cell in given]
    if not any(timed):
        return parse_dates(cells)
    days = pd.Series([cell[:10] if cut else cell for cell, cut in zip(given, timed)], index=cells.index, dtype=object)
    return by_unique(days, lambda distinct: pd.DataFrame({"day": parse_dates(distinct)}), always=True)["day"]


def parse_dates(values: pd.Series) -> pd.Series:
    """Datetimes (NaT where unreadable) from a Series of mixed cells."""
    text = values.astype("str")
    if text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).all():  # the usual case, and date cells
        return _plausible(pd.to_datetime(text, format="%Y-%m-%d", errors="coerce"))
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    numeric = pd.to_numeric(values, errors="coerce")
    serial = numeric.between(20000, 80000)  # Excel serial days: 1954..2119
    if serial.any():
        out[serial] = pd.to_datetime(numeric[serial], unit="D", origin="1899-12-30").dt.floor("D")
    compact = numeric.between(19000101, 21001231) & (numeric % 1 == 0)
    if compact.any():
        out[compact] = pd.to_datetime(numeric[compact].astype("int64").astype(str), format="%Y%m%d", errors="coerce")
    rest = out.isna() & numeric.isna()
    if rest.any():
        text = _text(values[rest]).dropna()
        # A range (weekly Sycm files, `Oct 3, 2026 - Oct 16, 2026`) stands for its last day.
        text = text.str.split(RANGE_SPLIT, regex=True).str[-1].str.strip()
        text = text.str.replace(r"(?<=\d)[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?.*$", "", regex=True)
        found = pd.to_datetime(text, format="ISO8601", errors="coerce")
        for fmt in _DATE_FORMATS:
            missing = found.isna()
            if not missing.any():
                break
            found[missing] = pd.to_datetime(text[missing], format=fmt, errors="coerce")
        if getattr(found.dt, "tz", None) is not None:
            found = found.dt.tz_localize(None)
        out[found.index] = _plausible(found)
    return out


def _plausible(days: pd.Series) -> pd.Series:
    """Days an export can hold (1990..2100) as datetime64[ns]; anything else (a typo like 3781-01-01,
    outside what nanosecond timestamps hold) is unreadable, like any other bad date cell."""
    return days.where((days >= "1990-01-01") & (days <= "2100-12-31")).astype("datetime64[ns]")



# -- the plain cells of a whole table, at C speed ----------------------------------------------------

# Cells per pass, and the longest cell read here (`-999,999,999,999.99%` has 20 characters; longer
# ones go the careful way): the byte arrays of a pass stay within a few MiB, whatever the file holds.
_CHUNK_CELLS = 16384
_LONGEST = 32
_MAX_DIGITS = 15  # a mantissa this long is exact in a float64 (< 2**53): `m / 10**d` then rounds as `float()` does
_POW10 = np.array([float(10 ** power) for power in range(_MAX_DIGITS + 1)])
_SEPARATOR = "\x01"
# Byte classes: 0 ignored (`,` and the separator between cells), 1 digit, 2 `.`, 3 anything else.
_CLASS = np.full(256, 3, dtype=np.uint8)
_CLASS[[ord(","), ord(_SEPARATOR)]] = 0
_CLASS[ord("0"):ord("9") + 1] = 1
_CLASS[ord(".")] = 2


def _plain_numbers(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What `_plain_groups` and `pd.to_numeric` make of the cells written with ASCII digits, `.` and
    `,` only, with an optional leading `-` and trailing `%` (and at most 15 digits), for a whole
    column at once: (number, is-percent, negative, read), `read` False for every other cell (text
    for the careful path, missing tokens, a `,` first or last, workbook numbers).

    The cells are joined into one byte string and taken apart with numpy: a 100,000-row keyword
    report's numeric columns cost a few dozen numpy passes instead of Python calls per cell. The
    value is the digits as an integer divided by a power of ten: both are exact in a float64, so
    the one rounding of the division gives the float `float()` reads from the text.
    """
    n = len(cells)
    number = np.full(n, np.nan)
    percent, negative, read = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    for start in range(0, n, _CHUNK_CELLS):
        stop = min(n, start + _CHUNK_CELLS)
        _plain_chunk(cells[start:stop].tolist(), number[start:stop], percent[start:stop], negative[start:stop],
                     read[start:stop])
    return number, percent, negative, read


def _plain_bytes(column) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`_plain_numbers` of a column kept as UTF-8 bytes and offsets (`arrow_text.TextColumn`): the
    same numpy passes over its bytes with the separator put between the cells, no Python string
    made. A non-ASCII byte is "anything else" to `_plain_digits`, as a non-ASCII cell is "" to
    `_plain_chunk`: such cells go the careful way on both paths."""
    n = len(column)
    if (column.data == ord(_SEPARATOR)).any():  # the separator inside a cell: as Python strings
        return _plain_numbers(np.array(column.cells(), dtype=object))
    number = np.full(n, np.nan)
    percent, negative, read = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    offsets = column.offsets
    for start in range(0, n, _CHUNK_CELLS):
        stop = min(n, start + _CHUNK_CELLS)
        cells = stop - start
        first, last = int(offsets[start]), int(offsets[stop])
        lengths = np.diff(offsets[start:stop + 1])
        data = np.full(last - first + cells, ord(_SEPARATOR), dtype=np.uint8)
        data[np.arange(last - first) + np.repeat(np.arange(cells), lengths)] = column.data[first:last]
        _plain_digits(data, cells, number[start:stop], percent[start:stop], negative[start:stop], read[start:stop])
    return number, percent, negative, read


def _plain_chunk(text: list, number: np.ndarray, percent: np.ndarray, negative: np.ndarray,
                 read: np.ndarray) -> None:
    n = len(text)
    try:
        joined = _SEPARATOR.join(text) + _SEPARATOR
    except TypeError:  # a workbook's number or date among the text: not plain
        text = [cell if type(cell) is str else "" for cell in text]
        joined = _SEPARATOR.join(text) + _SEPARATOR
    if len(joined) > n * (_LONGEST + 1) or not joined.isascii() or joined.count(_SEPARATOR) != n:
        # rare: such cells are left to the careful path
        text = [cell if len(cell) <= _LONGEST and cell.isascii() and _SEPARATOR not in cell else "" for cell in text]
        joined = _SEPARATOR.join(text) + _SEPARATOR
    _plain_digits(np.frombuffer(joined.encode("ascii"), dtype=np.uint8), n, number, percent, negative, read)


def _plain_digits(data: np.ndarray, n: int, number: np.ndarray, percent: np.ndarray, negative: np.ndarray,
                  read: np.ndarray) -> None:
    """The numpy passes of `_plain_chunk` over `n` cells' bytes, each cell followed by the separator."""
    ends = np.flatnonzero(data == ord(_SEPARATOR))  # each cell's separator
    starts = np.empty(n, dtype=np.int64)
    starts[0], starts[1:] = 0, ends[:-1] + 1
    kind = _CLASS[data]
    digit = kind == 1
    digits_before = np.cumsum(digit, dtype=np.int64)  # digits up to and including each byte

    def count(mask: np.ndarray, running: np.ndarray | None = None) -> np.ndarray:
        total = np.cumsum(mask, dtype=np.int64) if running is None else running
        return total[ends] - np.where(starts > 0, total[starts - 1], 0)

    digits = count(digit, digits_before)
    minus = data[starts] == ord("-")
    pct = (data[ends - 1] == ord("%")) & (ends > starts)
    ok = ((digits >= 1) & (digits <= _MAX_DIGITS) & (count(kind == 2) <= 1)
          & (count(kind == 3) == minus.astype(np.int64) + pct))
    if not ok.any():
        return
    # Each byte's digits after it in its cell: a digit's weight is 10 ** that, and a `.`'s count is
    # the cell's decimals.
    after = np.repeat(digits_before[ends], ends - starts + 1) - digits_before
    np.minimum(after, _MAX_DIGITS, out=after)  # only cells with too many digits reach past it: not read
    weights = np.where(digit, (data.astype(np.float64) - ord("0")) * _POW10[after], 0.0)
    mantissa = np.add.reduceat(weights, starts)
    decimals = np.add.reduceat(np.where(kind == 2, after, 0), starts)
    number[ok] = mantissa[ok] / _POW10[decimals[ok]]
    percent[ok], negative[ok], read[ok] = pct[ok], minus[ok], True
