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
