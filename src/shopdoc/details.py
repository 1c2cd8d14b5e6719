"""The per-subject rows behind the printed to-dos: JSON `details`, `--details FILE`, the bid sheet.

A block (`model.Block`) is one rule's verdict on many subjects; its frame is the table. Here it
becomes plain columns and rows, without a Python object per subject beyond the row list itself.
"""

from __future__ import annotations

from typing import Any

from shopdoc.model import Block

# Columns every details table starts with, when the block has them; then the block's evidence.
LEAD = ("subject", "facet", "group", "name", "item_id", "money", "currency", "provisional")
DECIMALS = 4


def block_columns(block: Block) -> list[str]:
    columns = [name for name in LEAD if name in block.frame.columns]
    return columns + [name for name in block.evidence if name in block.frame.columns and name not in columns]


def block_rows(block: Block, columns: list[str] | None = None) -> list[list[Any]]:
    """The block's rows as plain Python values: floats rounded, NaN and NA as None."""
    import numpy as np
    import pandas as pd

    columns = columns or block_columns(block)
    frame = block.frame[columns]
    out = {}
    for name in columns:
        series = frame[name]
        if pd.api.types.is_float_dtype(series.dtype):
            values = series.round(DECIMALS).to_numpy(dtype=object)
            values[np.isnan(series.to_numpy(dtype=float))] = None
        elif pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_integer_dtype(series.dtype):
            values = series.to_numpy(dtype=object)
        else:
            values = series.astype(object).where(series.notna(), None).to_numpy(dtype=object)
        out[name] = values
    if not columns:
        return []
    return [list(row) for row in zip(*(out[name] for name in columns))]


def details_table(blocks: list[Block]) -> list[dict[str, Any]]:
    """One entry per block: rule, message, level, severity, columns and rows (JSON `details`)."""
    tables = []
    for block in blocks:
        if not len(block):
            continue
        columns = block_columns(block)
        tables.append({"rule": block.rule, "msg": block.msg, "level": block.level, "severity": block.severity,
                       "owner": block.owner, "values": _plain(block.values), "columns": columns,
                       "rows": block_rows(block, columns)})
    return tables


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

    Linear in the rows: csv and jsonl stream, xlsx uses openpyxl's write-only workbook. Text cells
    that a spreadsheet would run as a formula are written as text (see shopdoc.neutral).
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
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from shopdoc.neutral import clean_text, is_formula_like

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("details")
    sheet.append(columns)
    for row in iter_detail_rows(blocks, columns):
        cells = []
        for value in row:
            if isinstance(value, str):
                value = clean_text(value)
                if is_formula_like(value):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"
                    value = cell
            cells.append(value)
        sheet.append(cells)
        count += 1
    workbook.save(path)
    return count
