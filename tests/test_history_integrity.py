"""A damaged history is refused untouched with a way out (--repair); a disk that fails never stops the report."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
PAGE = 4096


@pytest.fixture
def history(cli, tmp_path) -> Path:
    path = tmp_path / "h.sqlite3"
    run = cli("diagnose", str(SAMPLE), "--config", str(SAMPLE / "shopdoc.yaml"), "--history", str(path))
    assert run.code == 0, run.err
    return path


def damage(path: Path, first_page: int, only: str | None = None) -> None:
    """Scribble over every other page from `first_page` on (page 1, the schema, stays readable);
    with `only`, over every other page of that table (SQLite's dbstat says which)."""
    pages = None
    if only:
        with sqlite3.connect(path) as conn:
            pages = {row[0] for row in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", (only,))}
    data = bytearray(path.read_bytes())
    for page in range(first_page, len(data) // PAGE, 2):
        if pages is None or page + 1 in pages:  # dbstat counts pages from 1
            data[page * PAGE + 8:page * PAGE + 200] = b"\xa5" * 192
    path.write_bytes(bytes(data))


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_a_damaged_history_is_refused_untouched_with_the_repair_command(cli, history):
    damage(history, 3)
    before = history.read_bytes()
    run = cli("diagnose", str(SAMPLE), "--config", str(SAMPLE / "shopdoc.yaml"), "--history", str(history))
    assert run.code == 2
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and "is damaged" in lines[0] and "shopdoc history --repair" in lines[0]
    assert history.read_bytes() == before


def test_repair_copies_what_is_readable_and_keeps_the_damaged_file(cli, history):
    days, findings = count(history, "days"), count(history, "findings")
    damage(history, 15, only="metrics")  # the metrics are hit, days and findings are not
    run = cli("history", "--repair", "--history", str(history), "--lang", "en")
    assert run.code == 0, run.err
    kept = [path for path in history.parent.iterdir() if ".damaged-" in path.name and path.name.endswith(tuple("0123456789"))]
    assert len(kept) == 1 and f"kept as {kept[0]}" in run.out
    assert count(history, "days") == days and count(history, "findings") == findings
    with sqlite3.connect(history) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    again = cli("diagnose", str(SAMPLE), "--config", str(SAMPLE / "shopdoc.yaml"), "--history", str(history))
    assert again.code == 0, again.err


def test_an_io_error_opening_the_history_still_prints_the_report(cli, history, monkeypatch):
    from shopdoc.history import schema

    def failing(path):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(schema, "_read_only_connection", failing)
    run = cli("diagnose", str(SAMPLE), "--config", str(SAMPLE / "shopdoc.yaml"), "--history", str(history))
    assert run.code == 0 and run.out.strip()
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and "could not be used for this run (disk I/O error)" in lines[0]


def test_a_full_disk_while_saving_still_prints_the_report(cli, history, monkeypatch):
    from shopdoc.history.store import HistoryStore

    def full(self, *args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(HistoryStore, "_save", full)
    run = cli("diagnose", str(SAMPLE), "--config", str(SAMPLE / "shopdoc.yaml"), "--history", str(history))
    assert run.code == 0 and run.out.strip()
    assert run.err.strip().splitlines() == [f"shopdoc: history {history}: could not save this run: the disk is full — free some space"]


def test_a_damaged_history_in_its_own_process_is_one_line_fast_and_small(history, tmp_path):
    """The same refusal from the real command in a child process: exit 2 (SPEC: not a history file,
    nothing reported), one line naming the file and the way out, the file byte for byte as it was,
    within a time bound and under 1 GiB."""
    from hostile import GIB, run_shopdoc

    damage(history, 3)
    before = history.read_bytes()
    run = run_shopdoc("diagnose", str(SAMPLE), "--config", str(SAMPLE / "shopdoc.yaml"), "--history", str(history),
                      cwd=tmp_path, timeout=60)
    assert run.code == 2 and "Traceback" not in run.err
    assert len(run.lines) == 1 and str(history) in run.lines[0] and "shopdoc history --repair" in run.lines[0]
    assert history.read_bytes() == before
    assert run.seconds < 30 and run.peak_bytes < GIB
