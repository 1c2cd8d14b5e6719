"""A raw table with a known header and kind, made into canonical columns.

Totals and subtotals go, each cell is parsed by its field's type (whole columns at a time), the
day comes from the date column or else from the description rows or the file name, impossible values
are blanked with a warning, and ad reports get their level and currency.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping as FieldMap
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from shopdoc.io import currency
from shopdoc.io import dates as file_dates
from shopdoc.io import sanity, values
from shopdoc.messages import Said
from shopdoc.dataset import DAY_KINDS
from shopdoc.io.detect import Mapping
from shopdoc.io.fields import Field, KindAliases, header_currency, header_key, header_unit
from shopdoc.io.readers import RawTable
from shopdoc.io.warn import Warnings
from shopdoc.kinds import KINDS

# A row whose leading text cell says it sums other rows (`合计`, `Total: Account`, `Gesamt: Konto`).
_TOTAL_RE = re.compile(r"^(合计|总计|汇总|总合计|全部合计|total|totals|gesamt|grand total)(\s*[:：].*)?$", re.IGNORECASE)
_TOTAL_FIRST = frozenset("合总汇全tTgG")  # what such a cell starts with: the others need no regex
_TOTAL_WORDS = ("合计", "总计", "汇总")
_TEXT_TYPES = ("text", "id")
_NUMERIC_TYPES = ("number", "money", "rate")
_LEVEL_FIELDS = ("carrier", "source", "source_detail", "source_l3", "source_l4")
PLACEHOLDERS = ("此用户没有填写评价。", "此用户没有填写评价", "评价方未及时做出评价,系统默认好评!",
                "评价方未及时做出评价，系统默认好评！", "此用户未填写评价内容", "系统默认好评")
_CHINESE_RE = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Normalised:
    frame: pd.DataFrame
    dates: list[str]
    level: str | None
    currency: str | None = None  # the file's currency (ISO code), None when unknown or no money
    currency_from: str | None = None  # column | cells | header | config | platform | unknown
    dates_from: str | None = None  # `column:统计日期`, `description:统计日期：…`, `file name:…`, `download date:Last 7 days`
    refusal: Said | None = None  # why the table cannot be used as it is (one line), else None


def normalise(table: RawTable, mapping: Mapping, aliases: KindAliases, path: str,
              warnings: Warnings, shop_currency: str | None = None) -> Normalised:
    """`shop_currency`: the ISO code the user set in `shop.currency` (None when left at the default)."""
    kind = mapping.kind
    # A table read as text columns (`RawTable.columns`) keeps them: its cells become Python objects
    # only for the columns that are looked at as cells (texts, dates, ids, the odd warning).
    body = [column.tail(mapping.row + 1) for column in table.columns] if table.columns is not None else None
    cells = _body(table, mapping) if body is None else None
    n = cells.shape[0] if body is None else (len(body[0]) if body else 0)
    first_excel_row = table.first_row + mapping.row + 1
    excel_rows = pd.Series(np.arange(first_excel_row, first_excel_row + n), dtype="int64")
    made: dict[int, pd.Series] = {}

    def raw_column(index: int) -> pd.Series:
        if index in made:
            return made[index]
        if index >= (cells.shape[1] if body is None else len(body)):
            column = pd.Series([None] * n, dtype=object)
        elif body is None:
            column = pd.Series(cells[:, index], dtype=object, copy=False)  # a view: nothing writes to raw cells
        else:
            column = pd.Series(body[index].cells(), dtype=object)
        made[index] = column
        return column

    fields = {name: aliases.fields[name] for name in mapping.fields if name in aliases.fields}
    raw = RawColumns({name: mapping.fields[name] for name in fields}, raw_column,
                     body if body is not None else None)
    headers = {name: mapping.headers[mapping.fields[name]] for name in fields}
    parsed = _parse_columns(fields, raw, headers, table)
    keep = _data_rows(mapping, kind, fields, raw, parsed, raw_column, n)

    if not keep.all():  # totals, notes and empty rows go; the data rows are numbered from 0 again
        raw = raw.kept(keep)
        parsed = {name: (_kept(values, keep), _kept(bad, keep)) for name, (values, bad) in parsed.items()}
        excel_rows = _kept(excel_rows, keep)
    frame = pd.DataFrame({name: column for name, (column, _) in parsed.items()})
    frame["_row"] = excel_rows
    for name, (_, bad) in parsed.items():
        if bad.any():
            warnings.cells(frame["_row"][bad], headers[name], raw[name][bad], warnings.say(_BAD_REASONS[fields[name].type]))
    unreadable = [parsed[name][1].to_numpy(dtype=bool) for name in _PERIOD_FIELDS if name in parsed]
    if any(bad.any() for bad in unreadable):
        # A row whose date cannot be read is left out whole: undated, it would count as the report
        # day and pass another day's numbers off as today's.
        dated = ~np.logical_or.reduce(unreadable)
        frame = frame[dated].reset_index(drop=True)
        raw = raw.kept(dated) if isinstance(raw, RawColumns) else {name: _kept(column, dated) for name, column in raw.items()}
    for name, spec in fields.items():
        if spec.type == "rate":
            frame[name] = _percent_points(frame[name], raw, name, headers[name], warnings)
    dates_from, refusal = None, None
    if kind in DAY_KINDS:
        dates_from, refusal = _fill_period(frame, raw, headers, table, mapping, kind, warnings)
    else:
        dates_from = _fill_date(frame, table, mapping, warnings)
    sanity.check(frame, fields, raw, headers, warnings)
    money_kind = any(spec.type == "money" for spec in aliases.fields.values())
    file_currency, currency_from = _currency(frame, fields, raw, headers, money_kind, shop_currency, warnings)
    step = Step(frame, table, mapping, headers, warnings, raw_column)
    for name in KINDS[kind].steps:  # the kind's own steps, as its declaration names them
        STEPS[name](step)
    frame, level = step.frame, step.level
    if KINDS[kind].one_row_per_day and refusal is None:
        refusal = _not_a_shop_day(frame, mapping, raw_column)
    frame["_file"] = pd.Series(path, index=frame.index, dtype="str")
    frame["_row"] = frame.pop("_row")  # last, after the columns added above
    found = sorted(d for d in frame["date"].dropna().unique()) if "date" in frame.columns else []
    for name in ("week", "month", "quarter"):  # read into date, start_date and window_days
        if name in frame.columns:
            del frame[name]
    return Normalised(frame, found, level, file_currency, currency_from, dates_from, refusal)


class RawColumns(FieldMap):
    """The mapped fields' raw cells by field name, each column made when first looked up.

    `sources` (a table read as text columns): a numeric field's column as its bytes
    (`arrow_text.TextColumn`), which `values.numbers_block` reads without making its cells.
    """

    def __init__(self, indexes: dict[str, int], make: Callable[[int], pd.Series], sources: list | None = None):
        self._indexes, self._make, self._sources = indexes, make, sources

    def __getitem__(self, name: str) -> pd.Series:
        return self._make(self._indexes[name])

    def __iter__(self):
        return iter(self._indexes)

    def __len__(self) -> int:
        return len(self._indexes)

    def __contains__(self, name: object) -> bool:  # Mapping's would make the column to find out
        return name in self._indexes

    def kept(self, keep: np.ndarray) -> "RawColumns | dict[str, pd.Series]":
        """The rows where `keep` is True; a table read as text columns keeps its columns unmade."""
        if self._sources is None:
            return {name: _kept(self[name], keep) for name in self}
        sources = [column.subset(keep) for column in self._sources]
        rows = int(np.count_nonzero(keep))
        made: dict[int, pd.Series] = {}

        def make(index: int) -> pd.Series:
            if index not in made:
                made[index] = (pd.Series(sources[index].cells(), dtype=object) if index < len(sources)
                               else pd.Series([None] * rows, dtype=object))
            return made[index]

        return RawColumns(self._indexes, make, sources)

    def source(self, name: str):
        """What `values.numbers_block` reads for this field: its bytes when there are any."""
        index = self._indexes[name]
        if self._sources is not None and index < len(self._sources):
            return self._sources[index]
        return self[name]

    def mentions(self, name: str, text: str) -> bool:
        """Whether any of the field's cells holds `text` (searched in its bytes when it has them)."""
        index = self._indexes[name]
        if self._sources is not None and index < len(self._sources):
            return self._sources[index].mentions(text)
        return _mentions(self[name], text)

    def head(self, name: str, rows: int) -> list:
        """The field's first cells, without making the rest."""
        index = self._indexes[name]
        if self._sources is not None and index < len(self._sources):
            return self._sources[index].span(0, rows)
        return self[name].iloc[:rows].tolist()


@dataclass
class Step:
    """What a kind's own normalising step sees and may change (see `Kind.steps`)."""

    frame: pd.DataFrame
    table: RawTable
    mapping: Mapping
    headers: dict[str, str]
    warnings: Warnings
    raw_column: Callable[[int], pd.Series]
    level: str | None = None


def _items_by_title(step: Step) -> None:
    """Shopify's sales by product has no item id: a product is its title."""
    frame = step.frame
    if "item_id" not in frame.columns and "item_name" in frame.columns:
        frame["item_id"] = frame["item_name"]
        step.warnings.add(Said("warn.titles_as_ids"), column=step.headers.get("item_name"))


def _ad_level(step: Step) -> None:
    """Keyword level when the report has keywords or search terms, else campaign level."""
    frame = step.frame
    step.level = "keyword" if ("keyword" in frame.columns or "search_term" in frame.columns) else "campaign"
    frame["level"] = pd.Series(step.level, index=frame.index, dtype="str")
    # The platform the report comes from, by the headers only its exports have: each platform's
    # account has its own CTR baseline (Google Ads and Amazon are both USD, not one account).
    from shopdoc.upload import platform_of

    platform = platform_of(step.mapping.headers)
    if platform is not None:
        frame["platform"] = pd.Series(platform, index=frame.index, dtype="str")


def _settings_level(step: Step) -> None:
    """An upload sheet read back (`ad_settings`): a row naming a keyword or target is at keyword
    level, any other row at campaign level (Entity, when there, decides next)."""
    frame = step.frame
    named = pd.Series(False, index=frame.index)
    for name in ("keyword", "targeting_expression"):
        if name in frame.columns:
            named |= frame[name].notna()
    frame["level"] = pd.Series("campaign", index=frame.index, dtype="str").where(~named, "keyword")
    step.level = "keyword" if named.any() else "campaign"


def _bulk_step(step: Step) -> None:
    if "entity" in step.frame.columns:
        step.frame, step.level = _bulk_entities(step.frame, step.headers, step.warnings)


def _breakdown_step(step: Step) -> None:
    step.frame = _breakdowns(step.frame, step.headers, step.warnings)


def _source_step(step: Step) -> None:
    step.level = _source_level(step.frame, step.table, step.mapping)
    step.frame["level"] = pd.Series(step.level, index=step.frame.index, dtype="str")


def _placeholders(step: Step) -> None:
    if "content" in step.frame.columns:
        step.frame["placeholder"] = step.frame["content"].isin(PLACEHOLDERS)


# The steps a kind's declaration may name, in `shopdoc.kinds`.
STEPS: dict[str, Callable[[Step], None]] = {
    "items_by_title": _items_by_title,
    "ad_level": _ad_level,
    "settings_level": _settings_level,
    "bulk_entities": _bulk_step,
    "breakdowns": _breakdown_step,
    "derived_rates": lambda step: _derive_ad_rates(step.frame),
    "source_level": _source_step,
    "review_placeholders": _placeholders,
}


_BAD_REASONS = {  # catalogue codes (shopdoc.messages)
    "number": "value.not_number", "money": "value.not_money", "rate": "value.not_rate",
    "duration": "value.not_duration", "date": "value.not_date", "id": "value.id_rounded",
    "text": "value.unreadable_text",
}


def _body(table: RawTable, mapping: Mapping) -> np.ndarray:
    """The rows under the header as a 2-D object array (columns are sliced from it)."""
    body = table.rows[mapping.row + 1:]
    if not body:
        return np.empty((0, len(mapping.headers)), dtype=object)
    try:
        cells = np.array(body, dtype=object)
    except ValueError:
        cells = None
    if cells is None or cells.ndim != 2:  # ragged rows: pad them
        width = max(len(row) for row in body)
        cells = np.empty((len(body), width), dtype=object)
        cells[:] = ""
        for index, row in enumerate(body):
            cells[index, :len(row)] = row
    return cells


def _kept(column: pd.Series, keep: np.ndarray) -> pd.Series:
    """`column[keep].reset_index(drop=True)`, for a fraction of its cost (it runs for every column)."""
    return pd.Series(column.array[keep], name=column.name)


def _data_rows(mapping: Mapping, kind: str, fields: dict[str, Field], raw: dict[str, pd.Series],
               parsed: dict[str, tuple], raw_column, n: int) -> np.ndarray:
    """Which body rows are data: not empty, not a note line, not a total or subtotal."""
    if n == 0:
        return np.zeros(0, dtype=bool)
    filled = np.zeros(n, dtype="int64")
    for value, bad in parsed.values():  # a cell is filled when it read as something, or failed to
        filled += value.notna().to_numpy(dtype=bool) | bad.to_numpy(dtype=bool)
    # A row with one cell filled among several columns is a note (`数据来源：生意参谋`), not data.
    keep = filled > (1 if len(raw) >= 3 else 0)
    # Totals: the leading text cells (`合计`, `Total: Account` sit in the first columns).
    by_index = {index: name for name, index in mapping.fields.items()}
    checked: dict[str, bool] = {}

    def may_total(name: str) -> bool:
        if name not in checked:
            checked[name] = _may_total(parsed[name][0])
        return checked[name]

    for index in range(min(3, len(mapping.headers))):
        name = by_index.get(index)
        if name in parsed and fields[name].type in _TEXT_TYPES:
            if may_total(name):
                keep &= ~_hits(parsed[name][0], _says_total)
        elif _may_total(raw_column(index)):
            keep &= ~_hits(raw_column(index), _says_total)
    # Subtotals: any source level `汇总` (Sycm), or 合计/总计/汇总 in a name or id column.
    for name in (*_LEVEL_FIELDS, "item_id", "keyword", "campaign", "item_name", "ad_group"):
        if name in parsed and may_total(name):
            keep &= ~parsed[name][0].isin(_TOTAL_WORDS).to_numpy(dtype=bool)
    if kind == "item_daily" and "item_id" in raw:
        keep &= ~_hits(raw["item_id"], lambda text: text == "-")
    return keep


def _says_total(text: str) -> bool:
    """`合计`, `Total: Account`: the cell sums other rows. Most cells fail on their first character."""
    return text[:1] in _TOTAL_FIRST and _TOTAL_RE.match(text) is not None


# Words every total cell holds, casefolded (`总合计`, `Totals`, `Grand total` included).
_TOTAL_PARTS = ("合计", "总计", "汇总", "total", "gesamt")


def _may_total(column: pd.Series) -> bool:
    """Whether a column may hold a total or subtotal cell (`_says_total`, `_TOTAL_WORDS`): one
    search over its text cells joined, so the columns without one (nearly all) need no test per
    cell. Cells of other types (numbers, dates) print without such words."""
    cells = column.tolist()
    try:
        joined = "\n".join(cells)
    except TypeError:
        joined = "\n".join([cell for cell in cells if type(cell) is str])
    # As re.IGNORECASE matches: `ſ` is an `s`. Of what casefold does beyond lower() (a quarter of
    # its cost on 100,000 Chinese cells) only that can make one of the words.
    joined = joined.casefold() if "ſ" in joined else joined.lower()
    return any(part in joined for part in _TOTAL_PARTS)


def _hits(column: pd.Series, test: Callable[[str], bool]) -> np.ndarray:
    """A row mask from a test on each cell's text (stripped; numbers and dates read as they print),
    run once per distinct cell. Missing cells never hit."""
    def run(cells: pd.Series) -> pd.DataFrame:
        hit = [not gone and test(str(cell).strip()) for cell, gone in zip(cells.tolist(), cells.isna().tolist())]
        return pd.DataFrame({"hit": np.array(hit, dtype=bool)}, index=cells.index)

    return values.by_unique(column, run)["hit"].fillna(False).to_numpy(dtype=bool)


def _parse_columns(fields: dict[str, Field], raw: dict[str, pd.Series], headers: dict[str, str],
                   table: RawTable) -> dict[str, tuple[pd.Series, pd.Series]]:
    """Every mapped column as (values, could-not-read mask), in the export's column order."""
    numeric = {name: spec for name, spec in fields.items() if spec.type in _NUMERIC_TYPES}
    # `;`-delimited localised exports write `1.234,56`; one such cell says how the whole file reads.
    decimal_comma = table.decimal_comma and any(values.has_decimal_comma(raw[name]) for name in numeric)
    source = raw.source if isinstance(raw, RawColumns) else raw.__getitem__
    parsed = values.numbers_block(
        {name: source(name) for name in numeric},
        {name: values.NumberColumn(spec.type == "rate", spec.type == "rate" and header_unit(headers[name]) == "%")
         for name, spec in numeric.items()},
        decimal_comma,
    )
    parsed.update({name: _parse(spec, raw[name]) for name, spec in fields.items() if name not in numeric})
    return {name: parsed[name] for name in fields}


def _parse(spec: Field, raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(values, could-not-read mask) of one non-numeric column by its field's type."""
    if spec.type == "duration":
        return values.durations(raw)
    if spec.type == "date":
        return values.dates(raw)
    if spec.type == "id":
        return values.ids(raw)
    return values.texts(raw), pd.Series(False, index=raw.index)


def _mentions(cells: pd.Series, text: str) -> bool:
    return bool(cells.dropna().astype("str").str.contains(text, regex=False).any())


def _percent_points(parsed: pd.Series, raw: "RawColumns | dict[str, pd.Series]", name: str, header: str,
                    warnings: Warnings) -> pd.Series:
    """A rate column written as percent points without `%` (`4.12` for 4.12%) is read as such.

    Only when no cell in the column has `%` and most values are above 1 (no fraction can be):
    one wrong cell among fractions stays an impossible value for the sanity check.
    """
    values = parsed.to_numpy(dtype="float64")
    plain = values[~np.isnan(values)]
    if plain.size == 0 or (plain <= 1).mean() >= 0.5 or (plain > 100).any():
        return parsed
    if raw.mentions(name, "%") if isinstance(raw, RawColumns) else _mentions(raw[name], "%"):
        return parsed
    cells = raw.head(name, 100) if isinstance(raw, RawColumns) else raw[name].iloc[:100].tolist()
    example = next((str(cell).strip() for cell in cells if cell == cell and str(cell or "").strip()), "")
    warnings.add(Said("warn.percent_points"), column=header, value=example)
    return parsed / 100


def _fill_date(frame: pd.DataFrame, table: RawTable, mapping: Mapping, warnings: Warnings) -> str | None:
    """Reviews and DSR: no date column, the description rows above the header, else the file name,
    say the day. Returns where the date came from (see `Normalised.dates_from`)."""
    if "date" in frame.columns and frame["date"].notna().any():
        return f"column:{mapping.headers[mapping.fields['date']]}"
    found = _file_range(table, mapping)
    if found is None or found.unbounded:
        frame["date"] = pd.Series(pd.NA, index=frame.index, dtype="str")
        return None
    frame["date"] = pd.Series(found.last, index=frame.index, dtype="str")
    return f"{found.where}:{found.text}"


def _file_range(table: RawTable, mapping: Mapping) -> file_dates.DateRange | None:
    return (file_dates.from_description(table.rows[:mapping.row], table.modified)
            or file_dates.from_file_name(table.name))


_PERIOD_FIELDS = ("date", "week", "month")
_WINDOW_STARTS = frozenset({"startdate", "开始日期", "开始时间"})  # header keys of a row window's first day


def _fill_period(frame: pd.DataFrame, raw: dict[str, pd.Series], headers: dict[str, str], table: RawTable,
                 mapping: Mapping, kind: str, warnings: Warnings) -> tuple[str | None, Said | None]:
    """Every row's period: `date` (its last day), `start_date` (its first) and `window_days` (how
    many days its numbers cover), so money per day can be worked out per subject.

    From, in order: the date column (a range cell `2026-11-16~2026-11-22` is a week; Amazon's Start
    Date .. End Date); a Week or Month column; else the description rows above the header
    (`统计日期：…`, `1 May 2026 - 8 May 2026`, `Last 7 days` from the day the file was saved), else the
    file name. Returns (where the dates came from, a refusal when the table cannot be read right).
    """
    index = frame.index
    where: str | None = None
    if "date" in frame.columns and frame["date"].notna().any():
        last = frame["date"]
        first = values.date_starts(raw["date"]).fillna(last)
        where = f"column:{headers['date']}"
        # Start Date .. End Date (Amazon's search term report) when the date column is the start; in a
        # campaign report whose rows have their own Date, End Date is when the campaign stops.
        if ("end_date" in frame.columns and frame["end_date"].notna().any()
                and header_key(headers["date"]) in _WINDOW_STARTS):
            first, last = last, frame["end_date"].fillna(last)
            where += f" .. {headers['end_date']}"
    elif any(name in frame.columns and frame[name].notna().any() for name in ("week", "month", "quarter")):
        name = next(name for name in ("week", "month", "quarter") if name in frame.columns and frame[name].notna().any())
        first, last = _periods(frame[name], raw[name], name)
        where = f"column:{headers[name]}"
    else:
        found = _file_range(table, mapping)
        if found is None or found.unbounded:
            if len(frame) > 1 and KINDS[kind].one_row_per_day:
                why = Said("refuse.why.description", text=found.text) if found else Said("refuse.why.nothing")
                return None, Said("refuse.undated_days", n=len(frame), why=why)
            if found is not None:
                warnings.add(Said("warn.undated_description", text=found.text))
            else:
                warnings.add(Said("warn.undated"))
            frame["date"] = pd.Series(pd.NA, index=index, dtype="str")
            frame["start_date"] = pd.Series(pd.NA, index=index, dtype="str")
            frame["window_days"] = pd.Series(pd.NA, index=index, dtype="Int64")
            return (f"{found.where}:{found.text}" if found else None), None
        first = pd.Series(found.first, index=index, dtype="str")
        last = pd.Series(found.last, index=index, dtype="str")
        where = f"{found.where}:{found.text}"
        if not found.single:
            warnings.add(Said("warn.range_totals", where=Said("warn.where." + found.where.replace(" ", "_")),
                              first=found.first, last=found.last, days=found.days))
    days = (pd.to_datetime(last, errors="coerce") - pd.to_datetime(first, errors="coerce")).dt.days + 1
    backwards = days < 1
    if backwards.any():
        warnings.cells(frame["_row"][backwards], headers.get("end_date", "date"), last[backwards],
                       warnings.say("value.backwards"))
        first = first.where(~backwards, last)
        days = days.where(~backwards, 1)
    frame["date"] = last.astype("str")
    frame["start_date"] = first.astype("str")
    frame["window_days"] = days.astype("Int64")
    if KINDS[kind].one_row_per_day and (days > 1).any():
        longest = int(days.max())
        warnings.add(Said("warn.period_totals", days=longest))
    return where, None


def _periods(parsed: pd.Series, raw: pd.Series, name: str) -> tuple[pd.Series, pd.Series]:
    """(first day, last day) of each Week or Month cell: a week starts on its day and lasts 7 days
    (`2026-04-27`, or a range `Apr 27 - May 3, 2026`), a month is the calendar month it names."""
    if name == "quarter":  # `Q2 2026`, `2026 Q2`, `2026年第2季度`, or the quarter's first day
        text = parsed.astype("str").str.strip()
        found = text.str.extract(r"(?i)q([1-4])\D*(\d{4})|(\d{4})\D*q([1-4])|(\d{4})年?第([1-4])季度")
        year = found[1].fillna(found[2]).fillna(found[4])
        number = found[0].fillna(found[3]).fillna(found[5])
        start = pd.to_datetime(year + "-" + ((number.astype("float") - 1) * 3 + 1).astype("Int64").astype("str") + "-01",
                               errors="coerce")
        start = start.fillna(pd.to_datetime(values.dates(raw)[0], errors="coerce"))
        period = start.dt.to_period("Q")
        return (period.dt.start_time.dt.strftime("%Y-%m-%d").astype("str"),
                period.dt.end_time.dt.strftime("%Y-%m-%d").astype("str"))
    starts = values.date_starts(raw)
    day = pd.to_datetime(parsed, errors="coerce")
    if name == "week":
        first = starts.fillna(parsed)
        last = parsed.where(starts.notna(), (day + pd.Timedelta(days=6)).dt.strftime("%Y-%m-%d"))
    else:
        first = day.dt.to_period("M").dt.start_time.dt.strftime("%Y-%m-%d")
        last = day.dt.to_period("M").dt.end_time.dt.strftime("%Y-%m-%d")
    return first.astype("str"), last.astype("str")


_DETAIL_TITLE_RE = re.compile(r"来源详情|关键词|搜索词|search term|keyword", re.IGNORECASE)


def _source_level(frame: pd.DataFrame, table: RawTable, mapping: Mapping) -> str:
    """A traffic-source table's grain: `keyword` for a detail table whose rows are search keywords
    (生意参谋 无线三级流量来源详情: 来源名称 holds the keywords of one source), else `source`."""
    if "keyword" in frame.columns and frame["keyword"].notna().any():
        return "keyword"
    above = [cell for row in table.rows[:mapping.row] for cell in row if isinstance(cell, str)]
    return "keyword" if _DETAIL_TITLE_RE.search(" ".join([table.sheet or "", *above])) else "source"


def _not_a_shop_day(frame: pd.DataFrame, mapping: Mapping, raw_column) -> Said | None:
    """A shop's day is one row per day (or one total). Several rows on one day that differ by an
    unmapped text column (来源名称, 关键词, 设备 ...) are a detail table read as the shop: refused,
    rather than letting its last row pass for the shop's day."""
    if len(frame) < 2 or frame["date"].isna().all() or not frame["date"].duplicated().any():
        return None
    mapped = set(mapping.fields.values())
    for index, header in enumerate(mapping.headers):
        if index in mapped or not header:
            continue
        cells = raw_column(index)
        text = cells[cells.map(lambda cell: isinstance(cell, str) and cell.strip() not in values.MISSING)]
        if len(text) >= 2 and text.nunique() > 1 and not text.str.strip().str.match(r"^[\d.,%+\-\s]+$").all():
            repeated = int(frame["date"].value_counts().max())
            return Said("refuse.detail_table", n=repeated, header=header)
    return None


def _currency(frame: pd.DataFrame, fields: dict[str, Field], raw: dict[str, pd.Series], headers: dict[str, str],
              money_kind: bool, shop_currency: str | None, warnings: Warnings) -> tuple[str | None, str | None]:
    """The `currency` column (an ISO code on every row) of a kind that holds money, and the file's
    currency with where it came from (see `io.currency`): the export's own column per row, else
    symbols in the money cells, else a currency unit in a money header (`花费(元)`, `Sales (₹)`), else
    `shop.currency` when the user set it, else CNY for Chinese exports. Unknown: missing (NA)."""
    if not money_kind:
        return None, None
    money = [name for name, spec in fields.items() if spec.type == "money" and name in raw]
    found: Counter = Counter()
    for name in money:
        found.update(currency.in_cells(raw.head(name, 5000) if isinstance(raw, RawColumns)
                                       else raw[name].iloc[:5000].tolist()))
    code, where = None, None
    if found:
        code, where = found.most_common(1)[0][0], "cells"
    else:
        for name in money:
            code = header_currency(headers[name])
            if code:
                where = "header"
                break
    if code is None and shop_currency:
        code, where = shop_currency, "config"
    if code is None and any(_CHINESE_RE.search(header) for header in headers.values()):
        code, where = "CNY", "platform"
    column = pd.Series(code, index=frame.index, dtype="str")
    if len(found) > 1:  # `$` on some rows, `€` on others: each row keeps what its own cells show
        column = _row_currencies(frame.index, [raw[name] for name in money]).fillna(column)
        warnings.add(Said("warn.currencies", codes=", ".join(sorted(found))))
    if "currency" in frame.columns and frame["currency"].notna().any():
        given = frame["currency"].map(lambda text: None if pd.isna(text) else
                                      (currency.code_of(text) or str(text).strip().upper()))
        column = given.astype("str").fillna(column)
        code, where = column.dropna().mode().iloc[0] if column.notna().any() else code, "column"
    frame["currency"] = column
    return code, where or "unknown"


def _row_currencies(index: pd.Index, columns: list[pd.Series]) -> pd.Series:
    """Each row's currency from the first of its money cells that shows one (NA where none does)."""
    out = pd.Series(pd.NA, index=index, dtype="str")
    for raw in columns:
        codes = pd.Series([currency.in_cell(cell) if isinstance(cell, str) else None for cell in raw.tolist()],
                          index=index, dtype="str")
        out = out.fillna(codes)
    return out


# Amazon bulk operations file: each row is one entity with its own numbers; only campaigns and what
# is bid on (keywords, product targets) are judged, each at its level.
_ENTITY_LEVELS = {"campaign": "campaign", "keyword": "keyword", "product targeting": "keyword"}


def _bulk_entities(frame: pd.DataFrame, headers: dict[str, str], warnings: Warnings) -> tuple[pd.DataFrame, str]:
    """Rows of an Amazon bulk sheet by Entity: Campaign rows at campaign level, Keyword and Product
    Targeting rows at keyword level (a target's expression as its keyword); ad groups, product ads,
    negative keywords and bidding adjustments are not subjects and would count their spend twice."""
    entity = frame["entity"].fillna("").astype("str").str.strip().str.lower()
    levels = entity.map(_ENTITY_LEVELS)
    other = levels.isna() & frame["entity"].notna()
    if other.any():
        kinds = ", ".join(sorted(set(frame.loc[other, "entity"].astype("str")))[:4])
        warnings.add(Said("warn.other_entities", n=int(other.sum()), kinds=kinds), column=headers.get("entity"))
    keep = ~other
    frame = frame[keep].reset_index(drop=True)
    levels = levels[keep].reset_index(drop=True)
    frame["level"] = levels.fillna(frame["level"]).astype("str")
    if "targeting_expression" in frame.columns:
        targets = frame["level"].eq("keyword") & frame.get("keyword", pd.Series(pd.NA, index=frame.index)).isna()
        frame["keyword"] = frame.get("keyword", pd.Series(pd.NA, index=frame.index, dtype="str")).where(
            ~targets, frame["targeting_expression"])
    frame.loc[frame["level"] == "campaign", [name for name in ("keyword", "ad_group") if name in frame.columns]] = pd.NA
    level = "keyword" if frame["level"].eq("keyword").any() else "campaign"
    return frame.drop(columns=["entity"]), level


# What an ad report's rows add up to when a breakdown splits them (device, network): summed.
_AD_SUMMED = ("impressions", "clicks", "cost", "gmv", "orders", "cart_adds", "favorites", "cart_favorites", "direct_gmv")
_AD_RATES = ("ctr", "cpc", "cpm", "roi", "conversion_rate", "cost_per_order", "avg_rank")
# Breakdown labels that, standing in a campaign or keyword cell, are a segment's total, not a subject.
_BREAKDOWN_RE = re.compile(
    r"^(computers?|mobile (phones|devices)( with full browsers)?|tablets?( with full browsers)?|tv screens|"
    r"google search|search partners|display network|youtube( search| videos)?|cross-network|"
    r"计算机|电脑|移动设备|手机|平板电脑|电视屏幕|pc端?|无线端?|移动端|"
    r"q[1-4] ?\d{4}|\d{4} ?q[1-4]|\d{4}年?第[1-4一二三四]季度)$", re.IGNORECASE)


def _breakdowns(frame: pd.DataFrame, headers: dict[str, str], warnings: Warnings) -> pd.DataFrame:
    """Rows split by device or network are summed per subject and period; rows whose campaign (or
    keyword) cell is only a breakdown label (`Mobile phones`, `Q2 2026`) are segment totals, left out."""
    subject = next((name for name in ("campaign", "keyword", "search_term") if name in frame.columns), None)
    if subject is not None:
        label = frame[subject].fillna("").astype("str")
        segment_rows = values.by_unique(label, lambda cells: pd.DataFrame(
            {"hit": cells.astype("str").str.strip().str.match(_BREAKDOWN_RE).fillna(False).astype(bool)})
        )["hit"].to_numpy(dtype=bool)
        if segment_rows.any():
            warnings.add(Said("warn.breakdown_rows", n=int(segment_rows.sum()),
                              labels=", ".join(sorted(set(label[segment_rows].str.strip()))[:4])), column=headers.get(subject))
            frame = frame[~segment_rows].reset_index(drop=True)
    if "segment" not in frame.columns or frame["segment"].nunique() < 2:
        return frame.drop(columns=["segment"], errors="ignore")
    summed = [name for name in _AD_SUMMED if name in frame.columns]
    keys = [name for name in frame.columns if name not in (*summed, *_AD_RATES, "segment", "_row")
            and not name.endswith("_derived")]
    filled = frame[keys].astype("object").where(frame[keys].notna(), "\0")  # groupby drops missing keys
    grouped = frame.groupby([filled[name] for name in keys], sort=False, dropna=False)
    out = grouped[summed].sum(min_count=1).reset_index(drop=True)
    firsts = grouped[[*keys, "_row"]].first().reset_index(drop=True)
    out = pd.concat([firsts, out], axis=1)
    shown = ", ".join(str(value) for value in frame["segment"].dropna().unique()[:4])
    warnings.add(Said("warn.segments", column=headers["segment"], shown=shown, rows=len(frame), into=len(out)),
                 column=headers["segment"])
    return out


# Counts an export may leave out but imply through a rate: (count, from, times or divided by rate).
_DERIVED_COUNTS = (("impressions", "clicks", "ctr", "divide"), ("clicks", "impressions", "ctr", "times"),
                   ("orders", "clicks", "conversion_rate", "times"))


def _derive_counts(frame: pd.DataFrame) -> None:
    """A missing count worked out from another count and a rate the export gave (impressions =
    clicks ÷ CTR) is a whole number, rounded, and marked: `<count>_derived` is True on those rows."""
    for name, base, rate, how in _DERIVED_COUNTS:
        if base not in frame.columns or rate not in frame.columns:
            continue
        given = frame[name] if name in frame.columns else pd.Series(np.nan, index=frame.index)
        usable = given.isna() & frame[base].notna() & (frame[rate] > 0)
        if not usable.any():
            continue
        value = frame[base] / frame[rate] if how == "divide" else frame[base] * frame[rate]
        frame[name] = given.where(~usable, value.round())
        frame[f"{name}_derived"] = usable.astype(bool)


def _derive_ad_rates(frame: pd.DataFrame) -> None:
    """Missing counts from their rates (rounded, marked derived), then CTR, ROI and CPC from their
    parts when the export leaves them out."""
    def ratio(top: str, bottom: str) -> pd.Series:
        denominator = frame[bottom].where(frame[bottom] > 0)
        return frame[top] / denominator

    _derive_counts(frame)

    if "ctr" not in frame.columns and {"clicks", "impressions"} <= set(frame.columns):
        frame["ctr"] = ratio("clicks", "impressions")
    if "roi" not in frame.columns and {"gmv", "cost"} <= set(frame.columns):
        frame["roi"] = ratio("gmv", "cost")
    if "cpc" not in frame.columns and {"cost", "clicks"} <= set(frame.columns):
        frame["cpc"] = ratio("cost", "clicks")
