"""The history file: how it is recognised, opened, and brought to the current schema.

A history file is an SQLite database with a `meta` table whose `application` is `shopdoc.history`;
its schema version is `PRAGMA user_version`. Anything else at the path (a spreadsheet, another
program's database) is refused and never written to: we read its first bytes and, if it is SQLite,
look at it through a read-only connection before anything opens it for writing.

Schema:

    meta(key, value)                                  application, created_at
    days(shop, date, diagnosed)                       every day stored; diagnosed = findings recorded
    metrics(shop, date, kind, rows, data)             kind: shop_daily item_daily traffic_source dsr
                                                      ad_campaign; data: the day's rows of that kind as
                                                      columnar JSON of canonical fields (see rows.py)
    findings(shop, date, rule, subject, severity, first_seen)
    item_names(shop, item_id, item_name)              the latest name of each item (kept once, not
                                                      per day: names are half of an item export's bytes)
    snoozes(shop, rule, subject, until)               from `shopdoc snooze`
    findings(..., owner, money, currency, top,        (v3) who acts, the money per day, printed to-do
             judged)                                  (1) or a part of one (0), and the numbers the
                                                      subject was judged on as JSON: the evidence and,
                                                      for rules whose outcome is measured, `before`
    changes(shop, date, rows, tally, data, state)     (v3) the day's proposed changes (upload.changes):
                                                      data = each change with the numbers it was
                                                      judged on, as columns (codes and float arrays,
                                                      zlib; see history.loop.pack); state = its status
                                                      (applied...) and outcome, written later in the
                                                      same layout; tally = counts per rule
    actions(shop, key, day, how, note)                (v3) a to-do done on `day`: how = applied
                                                      (seen in the exports) or done (`shopdoc done`)
    outcomes(shop, key, rule, day, done, outcome,     (v3) a to-do done by hand, judged after its
             before, after, judged_on)                outcome window (the bid changes keep theirs in
                                                      `changes`)

Why JSON of canonical fields rather than a typed column per metric: the rules read whole canonical
frames and augment rebuilds such frames, so the store only has to give back what it was given; a
field added to `fields.yaml` tomorrow is stored and returned with no migration.

Version 3 adds what was done and whether it worked (see `shopdoc.history.loop`).

Version 1 kept a row per subject (`metrics(shop, date, kind, subject, fields)`) and had no
`first_seen`, no `days.diagnosed` and no snoozes. Version 2 packs a day's rows of a kind into one
columnar value (a big shop's 20,000 items a day read back in a fraction of the time) and adds the rest.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from shopdoc.errors import HistoryError
from shopdoc.history.first_seen import FirstSeen

APPLICATION = "shopdoc.history"
SCHEMA_VERSION = 3
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 60  # a cron run waits this long for another run's write before giving up


def _v1(conn: sqlite3.Connection) -> None:
    for statement in (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
        "CREATE TABLE days (shop TEXT NOT NULL, date TEXT NOT NULL, PRIMARY KEY (shop, date))",
        "CREATE TABLE metrics (shop TEXT NOT NULL, date TEXT NOT NULL, kind TEXT NOT NULL, "
        "subject TEXT NOT NULL, fields TEXT NOT NULL, PRIMARY KEY (shop, date, kind, subject))",
        "CREATE TABLE findings (shop TEXT NOT NULL, date TEXT NOT NULL, rule TEXT NOT NULL, "
        "subject TEXT NOT NULL, severity TEXT NOT NULL, PRIMARY KEY (shop, date, rule, subject))",
    ):
        conn.execute(statement)
    conn.execute("INSERT INTO meta VALUES ('application', ?)", (APPLICATION,))
    conn.execute("INSERT INTO meta VALUES ('created_at', ?)",
                 (datetime.now().astimezone().isoformat(timespec="seconds"),))


def _v2(conn: sqlite3.Connection) -> None:
    """Columnar day rows; first_seen on findings (backfilled); diagnosed days; snoozes."""
    conn.execute("CREATE TABLE metrics_v2 (shop TEXT NOT NULL, date TEXT NOT NULL, kind TEXT NOT NULL, "
                 "rows INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (shop, date, kind))")
    conn.execute("CREATE TABLE item_names (shop TEXT NOT NULL, item_id TEXT NOT NULL, item_name TEXT NOT NULL, "
                 "PRIMARY KEY (shop, item_id))")
    day_rows: dict[tuple[str, str, str], list[dict]] = {}
    names: dict[tuple[str, str], str] = {}
    for shop, day, kind, fields in conn.execute(
            "SELECT shop, date, kind, fields FROM metrics ORDER BY shop, date, kind, subject"):
        row = json.loads(fields)
        if kind == "item_daily" and row.get("item_id") is not None and row.get("item_name"):
            names[(shop, str(row["item_id"]))] = row.pop("item_name")  # the latest day's name wins
        day_rows.setdefault((shop, day, kind), []).append(row)
    conn.executemany("INSERT INTO item_names VALUES (?, ?, ?)", [(*key, name) for key, name in names.items()])
    for (shop, day, kind), rows in day_rows.items():
        fields = sorted({name for row in rows for name in row})
        data = {name: [row.get(name) for row in rows] for name in fields}
        conn.execute("INSERT INTO metrics_v2 VALUES (?, ?, ?, ?, ?)",
                     (shop, day, kind, len(rows), json.dumps(data, ensure_ascii=False, sort_keys=True,
                                                             separators=(",", ":"))))
    conn.execute("DROP TABLE metrics")
    conn.execute("ALTER TABLE metrics_v2 RENAME TO metrics")
    conn.execute("CREATE INDEX metrics_by_kind ON metrics (shop, kind, date)")
    conn.execute("ALTER TABLE findings ADD COLUMN first_seen TEXT")
    conn.execute("ALTER TABLE days ADD COLUMN diagnosed INTEGER NOT NULL DEFAULT 1")  # v1 stored only diagnosed days
    conn.execute("CREATE TABLE snoozes (shop TEXT NOT NULL, rule TEXT NOT NULL, subject TEXT NOT NULL, "
                 "until TEXT NOT NULL, PRIMARY KEY (shop, rule, subject))")
    for (shop,) in conn.execute("SELECT DISTINCT shop FROM days").fetchall():
        recompute_first_seen(conn, shop, since=None)


def _v3(conn: sqlite3.Connection) -> None:
    """What was done and whether it worked (issue 14): each to-do's owner, money and judged numbers;
    the day's proposed changes; to-dos done; outcomes of the ones done by hand."""
    for column in ("owner TEXT", "money REAL", "currency TEXT", "top INTEGER NOT NULL DEFAULT 1", "judged TEXT"):
        conn.execute(f"ALTER TABLE findings ADD COLUMN {column}")
    conn.execute("CREATE TABLE changes (shop TEXT NOT NULL, date TEXT NOT NULL, rows INTEGER NOT NULL, "
                 "tally TEXT NOT NULL, data BLOB NOT NULL, state BLOB, PRIMARY KEY (shop, date))")
    conn.execute("CREATE TABLE actions (shop TEXT NOT NULL, key TEXT NOT NULL, day TEXT NOT NULL, how TEXT NOT NULL, "
                 "note TEXT, PRIMARY KEY (shop, key))")
    conn.execute("CREATE TABLE outcomes (shop TEXT NOT NULL, key TEXT NOT NULL, rule TEXT NOT NULL, day TEXT NOT NULL, "
                 "done TEXT NOT NULL, outcome TEXT NOT NULL, before TEXT, after TEXT, judged_on TEXT NOT NULL, "
                 "PRIMARY KEY (shop, key, done))")


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1, 2: _v2, 3: _v3}


def recompute_first_seen(conn: sqlite3.Connection, shop: str, since: str | None) -> None:
    """Carry `first_seen` through the diagnosed days from `since` on (all days when None).

    Days before `since` keep what is stored; recomputing the later ones keeps them right when an
    earlier day is run again or filled in after the fact.
    """
    days = [row[0] for row in conn.execute(
        "SELECT date FROM days WHERE shop = ? AND diagnosed = 1 ORDER BY date", (shop,))]
    found: dict[str, dict[tuple[str, str], str | None]] = {}
    for day, rule, subject, first in conn.execute(
            "SELECT date, rule, subject, first_seen FROM findings WHERE shop = ?", (shop,)):
        found.setdefault(day, {})[(rule, subject)] = first
    chain = FirstSeen()
    updates = []
    for day in days:
        keys = found.get(day, {})
        if since is not None and day < since:
            chain.seen(day, set(keys), stored={k: v for k, v in keys.items() if v})
            continue
        for key, first in chain.seen(day, set(keys)).items():
            if keys[key] != first:
                updates.append((first, shop, day, *key))
    conn.executemany("UPDATE findings SET first_seen = ? WHERE shop = ? AND date = ? AND rule = ? AND subject = ?",
                     updates)


T = TypeVar("T")


def is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def with_retries(step: Callable[[], T]) -> T:
    """Run `step` again while another run holds the file in a way SQLite does not wait out itself.

    The busy timeout covers the usual case (another run writing). Two runs creating the file at the
    same moment, or one switching it to WAL while another has it open, get "database is locked"
    at once instead: those are retried here, after a short random pause, up to the same timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.02, 0.2))


def _describe(exc: sqlite3.Error) -> str:
    text = str(exc)
    lowered = text.lower()
    if "readonly" in lowered or "read-only" in lowered:
        return "the file or its folder is read-only — make both writable, or choose another --history file"
    if "disk is full" in lowered or "disk full" in lowered:
        return "the disk is full — free some space"
    if "unable to open" in lowered:
        return "cannot open or create the file — check the folder exists and is writable"
    if "locked" in lowered or "busy" in lowered:
        return f"another shopdoc run kept it locked for over {BUSY_TIMEOUT_SECONDS} s — try again"
    return text


def write_problem(path: Path, exc: sqlite3.Error | OSError) -> str:
    """One line for a write that failed (read-only, disk full, locked)."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else None
    reason = reason or (_describe(exc) if isinstance(exc, sqlite3.Error) else str(exc))
    return f"history {path}: could not save this run: {reason}"


def _refuse(path: Path, why: str) -> HistoryError:
    return HistoryError(
        f"history {path}: {why} — it was left untouched; pass another file with --history "
        "(or --no-history), or move that file away"
    )


def _uri(path: Path, mode: str) -> str:
    return f"{path.resolve().as_uri()}?mode={mode}"


def _check_header(path: Path) -> bool:
    """True when the file holds something (an SQLite database); False when empty. Raises if foreign."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except IsADirectoryError:
        raise HistoryError(f"history {path}: is a folder — pass a file path to --history") from None
    except PermissionError:
        raise HistoryError(f"history {path}: cannot be read (permission denied)") from None
    if not head:
        return False
    if head != SQLITE_MAGIC:
        raise _refuse(path, "is not a shopdoc history (not an SQLite database)")
    return True


def _version_of(conn: sqlite3.Connection, path: Path) -> int:
    """The file's schema version; 0 for an empty database. Raises for someone else's database."""
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if not tables and version == 0:
            return 0
        application = None
        if "meta" in tables:
            row = conn.execute("SELECT value FROM meta WHERE key = 'application'").fetchone()
            application = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise _refuse(path, f"is a damaged or foreign database ({exc})") from None
    if application != APPLICATION:
        raise _refuse(path, "is an SQLite database, but not a shopdoc history")
    if version > SCHEMA_VERSION:
        raise HistoryError(f"history {path}: was written by a newer shopdoc (schema {version}, this one "
                           f"knows {SCHEMA_VERSION}) — upgrade shopdoc, or pass another --history file")
    return version


def _read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that cannot write. In a read-only folder SQLite cannot make the WAL index a
    reader needs; nobody can be writing there either, so the file is read as it stands."""
    conn = sqlite3.connect(_uri(path, "ro"), uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        if os.access(path.parent, os.W_OK):  # others may be writing: reading past their locks is not safe
            raise
    return sqlite3.connect(_uri(path, "ro") + "&immutable=1", uri=True, isolation_level=None)


class Unavailable(Exception):
    """The file cannot be looked at right now (disk I/O error, no space for SQLite's lock files):
    not a reason to call it damaged, nor to stop the report."""


def _io_trouble(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and any(
        words in text for words in ("disk i/o error", "unable to open", "disk is full", "database or disk is full"))


def repair_advice(path: Path) -> str:
    return (f"it was left untouched; `shopdoc history --repair --history {path}` copies what is still "
            "readable into a new file (the damaged one is kept beside it), or pass another --history file")


def _inspect(path: Path, *, check: bool = True) -> int:
    """Look at an existing database without opening it for writing: whose it is, its schema, and
    (with `check`) `PRAGMA quick_check`, so a damaged file is refused before anything writes to it."""
    try:
        conn = _read_only_connection(path)
    except sqlite3.DatabaseError as exc:
        if _io_trouble(exc):
            raise Unavailable(str(exc)) from None
        raise _refuse(path, f"is a damaged or foreign database ({exc})") from None
    try:
        conn.execute("BEGIN")  # one snapshot: another run may be creating the tables right now
        try:
            version = _version_of(conn, path)
        except HistoryError:
            raise
        if check and version:
            _quick_check(conn, path)
        return version
    except sqlite3.DatabaseError as exc:
        if _io_trouble(exc):
            raise Unavailable(str(exc)) from None
        raise HistoryError(f"history {path}: is damaged ({exc}) — {repair_advice(path)}") from None
    finally:
        conn.close()


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """SQLite's own check of every page and index, without the slow cross-checks of integrity_check."""
    found = [row[0] for row in conn.execute("PRAGMA quick_check(3)").fetchall()]
    if found != ["ok"]:
        lines = [line.strip() for line in str(found[0]).splitlines() if line.strip() and "***" not in line] if found else []
        first = (lines[0] if lines else "no answer")[:100]
        raise HistoryError(f"history {path}: is damaged (SQLite's check says: {first}) — {repair_advice(path)}")


def open_database(path: Path, *, create: bool = True) -> tuple[sqlite3.Connection | None, str | None]:
    """Open (and create or upgrade) the history at `path`.

    Returns (connection, None), or (connection or None, reason) when the file can be read at best but
    not written: a read-only file or folder, a full disk. Those are not fatal: the report still
    prints, and saving the day says why it could not. A file that is not ours, is damaged or is from
    a newer shopdoc raises HistoryError: it must be refused, never replaced.
    """
    exists = path.exists()
    has_data = _check_header(path) if exists else False
    try:
        version = _inspect(path) if has_data else 0
    except Unavailable as exc:  # an I/O error or a full disk: the report prints without history
        return None, f"history {path}: could not be used for this run ({exc}) — check the disk"
    if not exists and not create:
        return None, None
    if not exists:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return None, write_problem(path, exc)
    try:
        conn = sqlite3.connect(_uri(path, "rwc"), uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error as exc:
        return _read_only(path, version, exc)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        conn.execute("PRAGMA synchronous = NORMAL")
        with_retries(lambda: conn.execute("PRAGMA journal_mode = WAL"))
        if version < SCHEMA_VERSION:
            with_retries(lambda: migrate(conn, path))
    except HistoryError:
        conn.close()
        raise
    except sqlite3.OperationalError as exc:
        conn.close()
        return _read_only(path, version, exc)
    return conn, None


def _read_only(path: Path, version: int, exc: sqlite3.Error) -> tuple[sqlite3.Connection | None, str]:
    """The file cannot be written: keep reading it when it is already in the current schema."""
    problem = write_problem(path, exc)
    if version != SCHEMA_VERSION:
        return None, problem
    try:
        conn = _read_only_connection(path)
        conn.execute("SELECT 1 FROM meta").fetchall()
    except sqlite3.Error:
        return None, problem
    return conn, problem


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the file to SCHEMA_VERSION in one transaction; another run may be doing the same."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _version_of(conn, path)  # again, under the write lock: another run may have done it
        for step in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[step](conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
