"""`shopdoc history --repair`: copy what is still readable of a damaged history into a new file.

A history file damaged by a crash, a failing disk or a sync tool is refused by every run (exit 2),
untouched. Repairing it builds a fresh history beside it, copies every row SQLite can still read,
table by table and a few hundred rows at a time (stepping past rows on damaged pages), then puts
the new file in place and keeps the damaged one as `<name>.damaged-<time>` (with its -wal and
-shm files), so nothing is ever lost by repairing.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from shopdoc.errors import HistoryError
from shopdoc.history.schema import SQLITE_MAGIC, open_database

# Each table with the columns copied (the current schema's).
TABLES = {
    "days": ("shop", "date", "diagnosed"),
    "metrics": ("shop", "date", "kind", "rows", "data"),
    "findings": ("shop", "date", "rule", "subject", "severity", "first_seen", "owner", "money", "currency", "top",
                 "judged"),
    "item_names": ("shop", "item_id", "item_name"),
    "snoozes": ("shop", "rule", "subject", "until"),
    "changes": ("shop", "date", "rows", "tally", "data", "state"),
    "actions": ("shop", "key", "day", "how", "note"),
    "outcomes": ("shop", "key", "rule", "day", "done", "outcome", "before", "after", "judged_on"),
}
CHUNK = 500
SECONDS = 60  # per table: stepping past damage stops after this
MAX_STEPS = 20_000  # rowids stepped over one by one past damage, per table


@dataclass
class Repaired:
    path: Path
    kept: Path
    copied: dict[str, int] = field(default_factory=dict)
    lost: dict[str, str] = field(default_factory=dict)  # table -> why some or all of it could not be read


def repair(path: Path) -> Repaired:
    if not path.is_file():
        raise HistoryError(f"history {path}: no such file — nothing to repair")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise HistoryError(f"history {path}: is not an SQLite database — it cannot be repaired as a history")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    fresh = path.with_name(f"{path.name}.repairing-{stamp}")
    source = _open_source(path)
    result = Repaired(path, path.with_name(f"{path.name}.damaged-{stamp}"))
    try:
        conn, problem = open_database(fresh)
        if conn is None or problem:
            raise HistoryError(f"history {path}: cannot write the repaired copy beside it ({problem})")
        try:
            source.text_factory = lambda raw: raw.decode("utf-8", "replace")
            for table, columns in TABLES.items():
                present = _present(source, table, columns)
                if present:
                    result.copied[table] = _copy(source, conn, table, present, result.lost)
        finally:
            conn.close()
    except BaseException:
        source.close()
        for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    source.close()
    for suffix in ("", "-wal", "-shm"):
        old = Path(f"{path}{suffix}")
        if old.exists():
            os.replace(old, Path(f"{result.kept}{suffix}"))
    os.replace(fresh, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{fresh}{suffix}").unlink(missing_ok=True)
    return result


def _open_source(path: Path) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        conn.execute("SELECT 1").fetchall()
        return conn
    except sqlite3.Error:
        return sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None)


def _present(source: sqlite3.Connection, table: str, columns: tuple[str, ...]) -> tuple[str, ...]:
    """The columns the damaged file has (a file of an older schema lacks the newer ones)."""
    try:
        have = {row[1] for row in source.execute(f"PRAGMA table_info({table})").fetchall()}
    except sqlite3.Error:
        return columns
    if not have:  # not in a file of an older schema (or unreadable: then the copy says why)
        exists = source.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
        return columns if exists else ()
    return tuple(name for name in columns if name in have)


def _copy(source: sqlite3.Connection, target: sqlite3.Connection, table: str, columns: tuple[str, ...],
          lost: dict[str, str]) -> int:
    """Rows of `table` in rowid order; a chunk that fails is read again row by row."""
    names = ", ".join(columns)
    insert = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({', '.join('?' for _ in columns)})"
    try:
        top = source.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
    except sqlite3.Error as exc:
        lost[table] = str(exc)
        top = None
    copied, last, steps = 0, 0, 0
    deadline = time.monotonic() + SECONDS
    target.execute("BEGIN")
    try:
        while True:
            try:
                rows = source.execute(f"SELECT rowid, {names} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT {CHUNK}",
                                      (last,)).fetchall()
            except sqlite3.Error as exc:
                lost.setdefault(table, str(exc))
                if top is None or last >= top or steps >= MAX_STEPS or time.monotonic() > deadline:
                    break
                last, steps = last + 1, steps + 1
                try:
                    row = source.execute(f"SELECT {names} FROM {table} WHERE rowid = ?", (last,)).fetchone()
                except sqlite3.Error:
                    continue
                if row is not None:
                    copied += _insert(target, insert, [row])
                continue
            rows = [row for row in rows if row[0] is not None and row[0] > last]  # damaged order: never go back
            if not rows:
                break
            copied += _insert(target, insert, [row[1:] for row in rows])
            last = max(row[0] for row in rows)
        target.execute("COMMIT")
    except BaseException:
        target.execute("ROLLBACK")
        raise
    return copied


def _insert(target: sqlite3.Connection, insert: str, rows: list[tuple]) -> int:
    count = 0
    for row in rows:
        try:
            target.execute(insert, row)
            count += 1
        except sqlite3.IntegrityError:  # a NULL where the schema wants a value: that row is unreadable
            continue
    return count
