"""Which row is the header, and which kind of export is this? Decided from the columns.

The header is the row, among the first 30, that maps the most aliases for the best kind. A kind
counts only when its signature fields are there (an item report needs an item id, an ad report
clicks with impressions or cost...). When two kinds fit, the one that maps more columns wins, and on
a tie the more specific one (an item report is not a shop report because both have 访客数).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from shopdoc.io.fields import KindAliases, header_key
from shopdoc.io.readers import HEADER_AREA
from shopdoc.kinds import KINDS

# All of it from each kind's one declaration (`shopdoc.kinds`).
# Most specific first: ties go to the earlier kind. shop_daily is what is left when nothing more
# specific fits.
SPECIFICITY = tuple(sorted(KINDS, key=lambda name: KINDS[name].tie))

# Each kind's signature: alternatives, each a set of fields that must all be mapped.
SIGNATURES: dict[str, list[tuple[str, ...]]] = {name: list(kind.signatures) for name, kind in KINDS.items()}

# Columns that say "this is not the whole shop's day": their presence rules shop_daily out.
NOT_SHOP = {name: kind.not_shop for name, kind in KINDS.items() if kind.not_shop}

# A sheet name that names the kind breaks a tie toward it.
SHEET_HINTS = {name: re.compile(kind.sheet_hint, re.I) for name, kind in KINDS.items() if kind.sheet_hint}


@dataclass
class Mapping:
    """A header row read for one kind: which column index holds which canonical field."""

    kind: str
    row: int  # index into the table's rows
    headers: list[str]  # the header row's cells as text
    fields: dict[str, int] = field(default_factory=dict)  # canonical field -> column index
    score: int = 0

    @property
    def columns(self) -> dict[str, str | None]:
        """Source header -> canonical field (None when unmapped), as `inspect` shows it."""
        by_index = {index: name for name, index in self.fields.items()}
        out: dict[str, str | None] = {}
        for index, header in enumerate(self.headers):
            if header:
                out.setdefault(header, by_index.get(index))
        return out


@dataclass
class Detection:
    mapping: Mapping | None
    missing: list[str] = field(default_factory=list)  # signature fields missing (error)
    candidate: Mapping | None = None  # the best partial fit, when the signature failed


def cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    return ""  # numbers and dates are never headers


def map_row(cells: list[Any], table: KindAliases, row: int,
            known: tuple[list[str], list[str]] | None = None) -> Mapping:
    """Map one row's cells onto a kind's fields; `known` is the row's (headers, header keys) when
    already worked out for another kind."""
    if known is None:
        headers = [cell_text(cell) for cell in cells]
        keys = [header_key(header) if header else "" for header in headers]
    else:
        headers, keys = known
    best: dict[str, tuple[int, int]] = {}  # field -> (priority, column)
    for column, key in enumerate(keys):
        if not key:
            continue
        hit = table.index.get(key)
        if hit is None:
            continue
        name, priority = hit
        if name not in best or priority < best[name][0]:
            best[name] = (priority, column)
    fields = {name: column for name, (_, column) in sorted(best.items(), key=lambda kv: kv[1][1])}
    return Mapping(table.kind, row, headers, fields, score=len(fields))


def signature_ok(kind: str, fields: dict[str, int] | set[str]) -> bool:
    return any(all(name in fields for name in alternative) for alternative in SIGNATURES[kind])


def missing_for(kind: str, fields: dict[str, int] | set[str]) -> list[str]:
    """The fields of the closest signature alternative that are not mapped."""
    gaps = [[name for name in alternative if name not in fields] for alternative in SIGNATURES[kind]]
    return min(gaps, key=len) if gaps else []


def _allowed(mapping: Mapping, row_maps: dict[str, Mapping]) -> bool:
    if not signature_ok(mapping.kind, mapping.fields):
        return False
    if mapping.kind == "shop_daily":
        for kind, names in NOT_SHOP.items():
            other = row_maps.get(kind)
            if other and any(name in other.fields for name in names):
                return False
    return True


def detect(rows: list[list[Any]], tables: dict[str, KindAliases], pinned: str | None = None,
           sheet: str | None = None) -> Detection:
    """Find the header row and kind of a raw table."""
    kinds = [pinned] if pinned else list(SPECIFICITY)
    best: tuple | None = None
    best_mapping: Mapping | None = None
    partial: Mapping | None = None
    for index, cells in enumerate(rows[:HEADER_AREA]):
        if sum(1 for cell in cells if isinstance(cell, str) and cell.strip()) < 2:
            continue  # title and description rows have one cell
        headers = [cell_text(cell) for cell in cells]
        known = (headers, [header_key(header) if header else "" for header in headers])
        row_maps = {kind: map_row(cells, tables[kind], index, known) for kind in kinds}
        for kind in kinds:
            mapping = row_maps[kind]
            if mapping.score == 0:
                continue
            if _allowed(mapping, row_maps):
                hint = 1 if sheet and kind in SHEET_HINTS and SHEET_HINTS[kind].search(sheet) else 0
                key = (mapping.score, hint, -SPECIFICITY.index(kind), -index)
                if best is None or key > best:
                    best, best_mapping = key, mapping
            elif partial is None or mapping.score > partial.score:
                partial = mapping
    if best_mapping is not None:
        return Detection(best_mapping)
    if partial is not None and _looks_meant(partial, pinned):
        return Detection(None, missing=missing_for(partial.kind, partial.fields), candidate=partial)
    return Detection(None, candidate=partial)


def _looks_meant(mapping: Mapping, pinned: str | None) -> bool:
    """A table that maps a good part of its columns onto a kind is that kind with columns missing;
    an unrelated table that shares two headers (an order export has 日期 and 商品ID) is not."""
    if pinned:
        return True
    named = sum(1 for header in mapping.headers if header)
    return mapping.score >= 3 and mapping.score * 2 >= named


def first_alias(table: KindAliases, name: str, headers: list[str]) -> str:
    """The alias of a field to name in a message, in the script the file's headers are written in."""
    aliases = table.fields[name].aliases if name in table.fields else (name,)
    chinese = any(re.search(r"[\u4e00-\u9fff]", header) for header in headers)
    for alias in aliases:
        if bool(re.search(r"[\u4e00-\u9fff]", alias)) == chinese:
            return alias
    return aliases[0] if aliases else name
