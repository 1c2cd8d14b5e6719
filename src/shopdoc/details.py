"""The per-subject rows behind the printed to-dos: JSON `details`, `--details FILE`, the bid sheet.

A block (`model.Block`) is one rule's verdict on many subjects; its frame is the table. Here it
becomes plain columns and rows, without a Python object per subject beyond the row list itself.
"""

from __future__ import annotations

from typing import Any, Iterator

from shopdoc.model import Block

# Columns every details table starts with, when the block has them; then the block's evidence.
# `within`: the key of the to-do a row is told under (a break under the rule judging the same metric).
LEAD = ("subject", "facet", "group", "name", "item_id", "money", "currency", "provisional", "within")
DECIMALS = 4


def block_columns(block: Block) -> list[str]:
    columns = [name for name in LEAD if name in block.frame.columns]
    return columns + [name for name in block.evidence if name in block.frame.columns and name not in columns]


def _column_values(series: Any) -> Any:
    """One column as plain Python values: floats rounded (whole numbers as int), NaN and NA as None."""
    import numpy as np
    import pandas as pd

    if pd.api.types.is_float_dtype(series.dtype):
        numbers = series.to_numpy(dtype=float)
        missing = np.isnan(numbers)
        rounded = np.round(numbers, DECIMALS)
        if not missing.any() and np.array_equal(rounded, np.floor(rounded)) and np.abs(rounded).max(initial=0) < 2**53:
            return rounded.astype(np.int64).astype(object)  # counts: 1391, not 1391.0
        values = rounded.astype(object)
        values[missing] = None
        return values
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_integer_dtype(series.dtype):
        return series.to_numpy(dtype=object)
    return series.to_numpy(dtype=object, na_value=None)


def block_rows(block: Block, columns: list[str] | None = None) -> list[list[Any]]:
    """The block's rows as plain Python values: floats rounded, NaN and NA as None."""
    columns = columns or block_columns(block)
    if not columns:
        return []
    values = [_column_values(block.frame[name]) for name in columns]
    return [list(row) for row in zip(*values)]


# A text column whose distinct values are at most this share of its rows is written as codes into a
# dictionary (a plan's name once, not on each of its 500 keywords' rows).
DICTIONARY_SHARE = 0.5
# Columns that only serve the composition (`group`, `name`): the details have them as campaign/keyword.
COMPOSITION = ("group", "name")


def compact_table(block: Block) -> dict[str, Any]:
    """The JSON `details` entry of one block, compact: columns equal on every row are `constants`;
    repeated text is `dictionaries` + codes; a keyword's subject, when it is `keyword:<campaign>/<keyword>`,
    is left for the reader to rebuild (`subject` names the pattern)."""
    import pandas as pd

    frame = block.frame
    columns = [name for name in block_columns(block) if name not in COMPOSITION or not _has_named(frame)]
    table: dict[str, Any] = {"rule": block.rule, "msg": block.msg, "level": block.level, "severity": block.severity,
                             "owner": block.owner, "values": _plain(block.values)}
    if _keyword_subjects(frame):
        columns.remove("subject")
        table["subject"] = "keyword:{campaign}/{keyword}"
    constants, dictionaries, kept, values = {}, {}, [], []
    rows = len(frame)
    for name in columns:
        series = frame[name]
        numeric = pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype)
        if numeric:
            if rows > 1 and _constant(series):
                constants[name] = _column_values(series.iloc[:1])[0]
                continue
            kept.append(name)
            values.append(_column_values(series).tolist())
            continue
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        if rows > 1 and (len(uniques) == 0 or (len(uniques) == 1 and (codes >= 0).all())):
            constants[name] = str(uniques[0]) if len(uniques) else None
            continue
        kept.append(name)
        if rows > 1 and len(uniques) <= DICTIONARY_SHARE * rows:
            dictionaries[name] = [str(value) for value in uniques]
            values.append(_codes_or_none(codes))
        else:
            values.append(_column_values(series).tolist())
    # Plain lists zip at C speed (zipping numpy object arrays costs a Python call per cell).
    table.update(constants=constants, dictionaries=dictionaries, columns=kept,
                 rows=list(map(list, zip(*values))) if kept else [])
    return table


def _codes_or_none(codes: Any) -> list[Any]:
    """Dictionary codes as a list of ints, None where missing."""
    import numpy as np

    missing = codes < 0
    if not missing.any():
        return codes.tolist()
    out = codes.astype(object)
    out[missing] = None
    return out.tolist()


def _constant(series: Any) -> bool:
    """Every row holds the same number (all missing counts as the same)."""
    import numpy as np

    numbers = series.to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(numbers)
    if missing.all():
        return True
    return not missing.any() and bool((numbers == numbers[0]).all())


def _has_named(frame: Any) -> bool:
    return "campaign" in frame.columns or "keyword" in frame.columns


def _keyword_subjects(frame: Any) -> bool:
    """Every row's subject is `keyword:<campaign>/<keyword>` (a missing campaign or keyword never is)."""
    if not {"subject", "campaign", "keyword"} <= set(frame.columns):
        return False
    for subject, plan, word in zip(frame["subject"].tolist(), frame["campaign"].tolist(), frame["keyword"].tolist()):
        if type(plan) is not str:
            plan = _text(plan)
        if type(word) is not str:
            word = _text(word)
        if plan is None or word is None or subject != "keyword:" + plan + "/" + word:
            return False
    return True


def _text(value: Any) -> str | None:
    """A value as `astype(str)` writes it; None where missing."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def details_tables(blocks: list[Block]) -> Iterator[dict[str, Any]]:
    """One compact table per block (JSON `details`), made as they are asked for: see `compact_table`."""
    return (compact_table(block) for block in blocks if len(block))


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in values.items():
        if hasattr(value, "item") and not isinstance(value, (str, bytes)):
            value = value.item()
        if isinstance(value, float) and value != value:
            value = None
        out[key] = value
    return out


# -- --details FILE -------------------------------------------------------------------------------
DETAILS_SUFFIXES = (".csv", ".xlsx", ".jsonl")
HEAD = ("rule", "msg", "level", "severity", "owner")


def details_columns(blocks: list[Block]) -> list[str]:
    """Every block's columns in one header: the verdict's own first, then each column once."""
    columns: list[str] = list(HEAD)
    for block in blocks:
        for name in block_columns(block):
            if name not in columns:
                columns.append(name)
    return columns


def iter_detail_rows(blocks: list[Block], columns: list[str]):
    """One list per subject, in `columns` order (None where a block has no such column)."""
    for block in blocks:
        if not len(block):
            continue
        own = block_columns(block)
        head = [block.rule, block.msg, block.level, block.severity, block.owner]
        where = [own.index(name) if name in own else None for name in columns[len(HEAD):]]
        for row in block_rows(block, own):
            yield head + [row[index] if index is not None else None for index in where]


def write_details(blocks: list[Block], path: str) -> int:
    """Write every subject's row of the bulk verdicts to `path` (.csv, .xlsx, .jsonl); returns rows.

    Linear in the rows: csv and jsonl stream, xlsx is streamed XML (`shopdoc.io.xlsx_write`). Text
    cells that a spreadsheet would run as a formula are written as text (see shopdoc.neutral).
    """
    import csv
    import json
    from pathlib import Path

    from shopdoc.neutral import csv_cell

    suffix = Path(path).suffix.lower()
    columns = details_columns(blocks)
    count = 0
    if suffix == ".jsonl":
        encoder = json.JSONEncoder(ensure_ascii=False)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            for row in iter_detail_rows(blocks, columns):
                handle.write(encoder.encode(dict(zip(columns, row))) + "\n")
                count += 1
        return count
    if suffix == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in iter_detail_rows(blocks, columns):
                writer.writerow([csv_cell(value) if isinstance(value, str) else value for value in row])
                count += 1
        return count
    from shopdoc.io.xlsx_write import write_xlsx

    return write_xlsx(path, "details", columns, iter_detail_rows(blocks, columns), bold_header=False,
                      freeze_header=False)


def expand_table(table: dict[str, Any]) -> list[dict[str, Any]]:
    """A JSON `details` entry back to one dict per subject (for readers of the report, and tests)."""
    columns = table["columns"]
    dictionaries = table.get("dictionaries", {})
    out = []
    for row in table["rows"]:
        record = dict(table.get("constants", {}))
        for name, value in zip(columns, row):
            words = dictionaries.get(name)
            record[name] = words[value] if words is not None and value is not None else value
        if "subject" in table and "subject" not in record:
            record["subject"] = table["subject"].format(**record)
        out.append(record)
    return out


def details_frame(blocks: list[Block]) -> Any:
    """Every subject of every bulk verdict as one pandas DataFrame (rule, msg, level, severity, owner,
    then the blocks' columns): the table behind the printed to-dos, for code that uses shopdoc as a
    library (`shopdoc.api.diagnose(...).blocks`)."""
    import pandas as pd

    frames = [block.frame.assign(rule=block.rule, msg=block.msg, level=block.level, severity=block.severity,
                                 owner=block.owner) for block in blocks if len(block)]
    if not frames:
        return pd.DataFrame(columns=list(HEAD))
    table = pd.concat(frames, ignore_index=True, sort=False)
    return table[list(HEAD) + [name for name in table.columns if name not in HEAD]]
