"""The history store: what one diagnose run reads from and writes to the history file.

    store = open_history(path_or_None, config)
    store.augment(dataset, shop, date)   # before the rules: earlier days the files do not hold
    store.follow_up(dataset, shop, date) # before the rules: earlier advice today's exports can answer
    store.annotate(report)               # after: first_seen on each finding; snoozed ones set aside
    store.record(dataset, report)        # save the day (replacing an earlier run of that day)
    store.close()

Reading never fails a run: a history that can be read but not written (read-only file or folder,
full disk) still feeds augment and annotate, and `record` then raises HistoryError with the reason
so the caller can print it beside the report. Only a file that is not a shopdoc history, is damaged,
or comes from a newer shopdoc is refused outright (at open, exit 2).
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shopdoc.errors import HistoryError
from shopdoc.history.first_seen import REOPEN_AFTER_DAYS, FirstSeen
from shopdoc.history.schema import open_database, recompute_first_seen, with_retries, write_problem
from shopdoc.kinds import KINDS
from shopdoc.model import SEVERITY_RANK, Finding, Report

if TYPE_CHECKING:
    from shopdoc.config import Config
    from shopdoc.dataset import Dataset
    from shopdoc.history.rows import Stored

HISTORY_NAME = "history.sqlite3"
WINDOW_DAYS = 35  # earlier days given to the rules: enough for week-over-week and a month's trend
ITEM_WINDOW_DAYS = 7  # items: 20,000 rows a day in a big shop; a week covers the item rules' default
# The kinds whose earlier days the rules get. Not ad_report, though its campaign totals are stored:
# the ad rules judge a window of days (`window_days`) and divide window totals by the number of days
# they see, so campaign-only history rows would turn one-day keyword totals into "per day" amounts
# seven times too small, and mix a week of campaigns with a day of keywords. Adding "ad_report" here
# is all it takes once those rules count days per subject.
AUGMENTED_KINDS = tuple(name for name, kind in KINDS.items() if kind.augmented)  # declared in shopdoc.kinds
ITEM_KEEP_DAYS = 90  # item rows are most of the file (thousands a day); older ones are dropped


def history_path(path: str | None, config: "Config") -> Path:
    """--history PATH, else the config's history.path (relative to the config file), else the
    user data dir. A relative path in the config means beside the config: cron starts in $HOME."""
    if path:
        return Path(path).expanduser()
    configured = config.get("history", "path")
    if configured:
        resolved = Path(configured).expanduser()
        if not resolved.is_absolute() and config.source:
            resolved = Path(config.source).parent / resolved
        return resolved
    from shopdoc.config import user_data_dir

    return user_data_dir() / HISTORY_NAME


def open_history(path: str | None, config: "Config", *, create: bool = True) -> "HistoryStore":
    """Open the history for a run. Raises HistoryError for a file that must not be touched."""
    resolved = history_path(path, config)
    conn, problem = open_database(resolved, create=create)
    return HistoryStore(resolved, conn, problem, config)


@dataclass(frozen=True)
class Snooze:
    rule: str
    subject: str  # exact subject, `*` for the whole rule, or a pattern with `*`
    until: str  # ISO day on which the finding is back on the list
    source: str = "history"  # or "config"

    def covers(self, finding: Finding, day: str) -> bool:
        return finding.rule == self.rule and day < self.until and (
            subject_matches(self.subject, finding.subject) or subject_matches(self.subject, stored_subject(finding)))


def every_finding(findings: list[Finding]) -> list[Finding]:
    """The to-dos and what stories and item diagnoses gathered under them: each is stored, has its
    own first_seen and can be snoozed by its key."""
    out: list[Finding] = []
    for finding in findings:
        out.append(finding)
        if finding.parts:
            out += every_finding(finding.parts)
    return out


def stored_subject(finding: Finding) -> str:
    """The subject as the history stores it: with its facet (`shop below_peer`), so two findings of
    one rule on one subject are two rows, and the key (rule + this) is the report's key."""
    return f"{finding.subject} {finding.facet}" if finding.facet else finding.subject


def subject_matches(pattern: str, subject: str) -> bool:
    """`*` matches any run of characters; everything else literally (item names hold [ ] and ?)."""
    if pattern == subject or pattern == "*":
        return True
    if "*" not in pattern:
        return False
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, subject, re.S) is not None


def config_snoozes(config: "Config") -> list[Snooze]:
    return [Snooze(entry["rule"], entry["subject"], entry["until"], "config") for entry in config.data.get("snooze", [])]


def set_aside_snoozed(report: Report, snoozes: list[Snooze]) -> list[Finding]:
    """Take the snoozed findings out of the report and say how many in its notes."""
    day = report.date or Date.today().isoformat()
    kept, snoozed = [], []
    for finding in report.findings:
        (snoozed if any(s.covers(finding, day) for s in snoozes) else kept).append(finding)
    report.findings = kept
    if snoozed:
        count = len(snoozed)
        report.notes.append(
            f"{count} 条已暂停提醒的问题没有列出（shopdoc snooze --list 查看）" if report.lang == "zh"
            else f"{count} snoozed finding{'s' if count != 1 else ''} not listed (see `shopdoc snooze --list`)"
        )
    return snoozed


def apply_config_snoozes(report: Report, config: "Config") -> list[Finding]:
    """Config `snooze:` entries for a run without history (--no-history)."""
    return set_aside_snoozed(report, config_snoozes(config))


class HistoryStore:
    def __init__(self, path: Path, conn: sqlite3.Connection | None, problem: str | None, config: "Config"):
        self.path = path
        self.problem = problem  # why this file cannot be written (read-only, disk full...), if so
        self.config = config
        self._conn = conn
        self._snoozed: list[Finding] = []
        self._days_added: list[str] = []

    def __enter__(self) -> "HistoryStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self._conn is None:
            return []
        try:
            return self._conn.execute(sql, params).fetchall()
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            # A page damaged deep in the file: read nothing more, write nothing; record() says why.
            self.problem = f"history {self.path}: cannot be read ({exc}) — it was left untouched; " \
                           "move it away or pass another --history file"
            self.close()
            return []

    # -- one diagnose run ----------------------------------------------------------------------
    def augment(self, dataset: "Dataset", shop: str, date: str | None) -> dict[str, int]:
        """Add stored rows of the WINDOW_DAYS before `date` that the loaded files do not hold.

        Only kinds the files have are extended (see AUGMENTED_KINDS), and never on a day the files
        have: today's export always wins over what was stored. Returns rows added per kind.
        """
        from shopdoc.history.rows import STORED_KIND, dates_in, with_history

        if date is None:
            return {}
        added: dict[str, int] = {}
        days: set[str] = set()
        for kind in AUGMENTED_KINDS:
            stored_kind = STORED_KIND[kind]
            frame = dataset.frame(kind)
            if frame is None:
                continue
            start = (Date.fromisoformat(date) - timedelta(days=self._window(kind))).isoformat()
            have = sorted(dates_in(frame, date))
            rows = self._read(
                f"SELECT date, rows, data FROM metrics WHERE shop = ? AND kind = ? AND date >= ? AND date < ? "
                f"AND date NOT IN ({', '.join('?' for _ in have)}) ORDER BY date",
                (shop, stored_kind, start, date, *have))
            if rows:
                names = self._item_names(shop) if kind == "item_daily" and "item_name" in frame.columns else None
                dataset.frames[kind] = with_history(frame, kind, rows, names)
                added[kind] = sum(row[1] for row in rows)
                days.update(row[0] for row in rows)
        self._days_added = sorted(days)
        return added

    def stored_days(self, shop: str, stored_kind: str, since: str, until: str, skip: set[str] | frozenset = frozenset(),
                    fields: tuple[str, ...] | None = None) -> list[tuple[str, dict[str, list]]]:
        """The stored days of a kind from `since` to before `until`, minus `skip` (days the files
        hold), as (day, columns) with only `fields` kept: what change detection reads beyond the
        days `augment` gives the rules (items: 35 days rather than a week; campaign totals)."""
        import orjson

        out = []
        for day, data in self._read("SELECT date, data FROM metrics WHERE shop = ? AND kind = ? AND date >= ? "
                                    "AND date < ? ORDER BY date", (shop, stored_kind, since, until)):
            if day in skip:
                continue
            columns = orjson.loads(data)  # 20k items x 35 days: the parse is the cost
            out.append((day, columns if fields is None else {name: columns[name] for name in fields if name in columns}))
        return out

    def stored_dates(self, shop: str, stored_kind: str, since: str, until: str) -> set[str]:
        """The days of a kind stored from `since` to before `until` (no data read)."""
        return {row[0] for row in self._read("SELECT date FROM metrics WHERE shop = ? AND kind = ? AND date >= ? "
                                             "AND date < ?", (shop, stored_kind, since, until))}

    def follow_up(self, dataset: "Dataset", shop: str, date: str | None) -> None:
        """Hand the rules the earlier advice today's exports can answer (`history.loop.due`)."""
        from shopdoc.history.loop import due

        if date is None or self._conn is None:
            return
        try:
            dataset.followup = due(self._conn, shop, date, self.config)
        except (sqlite3.Error, ValueError, KeyError, TypeError) as exc:  # never the morning list for it
            self.problem = self.problem or f"history {self.path}: cannot read the earlier advice ({exc})"

    def _item_names(self, shop: str) -> dict[str, str]:
        return dict(self._read("SELECT item_id, item_name FROM item_names WHERE shop = ?", (shop,)))

    def _window(self, kind: str) -> int:
        """Days of history given to the rules. Items are thousands of rows a day: a week (or as many
        days as item.conversion_drop is set to compare with), not a month."""
        if kind != "item_daily":
            return WINDOW_DAYS
        configured = self.config.data.get("rules", {}).get("item.conversion_drop", {}).get("window_days") or 0
        return max(ITEM_WINDOW_DAYS, int(configured))

    def annotate(self, report: Report) -> None:
        """Set `first_seen` on each finding, set snoozed findings aside, and note both."""
        if report.date and self._conn is not None:
            self._first_seen(report)
            from shopdoc.reminders import apply_cadence

            before = {key: severity for key, (_, severity) in getattr(self, "_last_severity", {}).items()}
            apply_cadence(report, self.config, before)  # old problems at their rule's cadence (needs first_seen)
        self._snoozed = set_aside_snoozed(report, [*config_snoozes(self.config), *self.snoozes(report.shop)])
        if self._days_added:
            first, last, count = self._days_added[0], self._days_added[-1], len(self._days_added)
            span = first if first == last else (f"{first} 至 {last}" if report.lang == "zh" else f"{first} to {last}")
            report.notes.append(
                f"已从历史记录补入之前 {count} 天的数据（{span}），用来和前一天、上周同一天对比" if report.lang == "zh"
                else f"Used {count} earlier day{'s' if count != 1 else ''} from the history ({span}) "
                     "to compare with the day before and the same day last week"
            )

    def _first_seen(self, report: Report) -> None:
        assert report.date is not None
        start = (Date.fromisoformat(report.date) - timedelta(days=REOPEN_AFTER_DAYS)).isoformat()
        params = (report.shop, start, report.date)
        days = [row[0] for row in self._read(
            "SELECT date FROM days WHERE shop = ? AND diagnosed = 1 AND date >= ? AND date < ? ORDER BY date", params)]
        found: dict[str, dict[tuple[str, str], str]] = {}
        self._last_severity: dict[tuple[str, str], tuple[str, str]] = {}  # key -> (day, severity) last seen
        for day, rule, subject, first, severity in self._read(
                "SELECT date, rule, subject, first_seen, severity FROM findings WHERE shop = ? AND date >= ? AND date < ?",
                params):
            found.setdefault(day, {})[(rule, subject)] = first or day
            if (rule, subject) not in self._last_severity or self._last_severity[(rule, subject)][0] < day:
                self._last_severity[(rule, subject)] = (day, severity)
        chain = FirstSeen()
        for day in days:
            keys = found.get(day, {})
            chain.seen(day, set(keys), stored=keys)
        for finding in every_finding(report.findings):
            finding.first_seen = chain.carried(report.date, (finding.rule, stored_subject(finding)))

    def record(self, dataset: "Dataset", report: Report) -> None:
        """Save the report day's metrics and findings, and every other day the files hold.

        One transaction: a run stored halfway never exists. Re-running a day replaces what that
        day's kinds stored before (a day's item export run again replaces its items; a kind not in
        today's files keeps what an earlier run of the day stored) and all of that day's findings.
        """
        from shopdoc.history.rows import stored_rows

        if self.problem:
            raise HistoryError(self.problem)
        if report.date is None or self._conn is None:
            return
        from shopdoc.history.loop import AD_RULES, advice_frame, before_numbers, outcome_days

        rows, names = stored_rows(dataset, report.date)  # the pandas work, before taking the write lock
        findings = _one_per_subject([*every_finding(report.findings), *self._snoozed])
        top = {finding.key for finding in [*report.findings, *self._snoozed]}
        before = before_numbers(dataset, report, self.config)
        judged = {f.key: _judged(f, before.get(f.key)) for f in findings}
        advice = advice_frame(report, dataset)
        followup = getattr(dataset, "followup", None)
        windows = followup.windows if followup is not None else {r: outcome_days(self.config, r) for r in AD_RULES}
        shop, day = report.shop, report.date

        def loop(conn: sqlite3.Connection) -> None:
            from shopdoc.history.loop import save

            save(conn, shop, day, advice, windows, followup)

        try:
            with_retries(lambda: self._save(rows, names, findings, shop, day, top, judged, loop))
        except sqlite3.Error as exc:
            raise HistoryError(write_problem(self.path, exc)) from None

    def _save(self, rows: "Stored", names: dict[str, str], findings: list[Finding], shop: str, day: str,
              top: set[str] | None = None, judged: dict[str, str | None] | None = None, loop: Any = None) -> None:
        conn = self._conn
        assert conn is not None
        try:
            conn.execute("BEGIN IMMEDIATE")
            for (row_day, kind), (count, data) in rows.items():
                conn.execute("INSERT OR REPLACE INTO metrics (shop, date, kind, rows, data) VALUES (?, ?, ?, ?, ?)",
                             (shop, row_day, kind, count, data))
                conn.execute("INSERT INTO days (shop, date, diagnosed) VALUES (?, ?, 0) ON CONFLICT DO NOTHING",
                             (shop, row_day))
            conn.executemany("INSERT INTO item_names (shop, item_id, item_name) VALUES (?, ?, ?) "
                             "ON CONFLICT (shop, item_id) DO UPDATE SET item_name = excluded.item_name "
                             "WHERE item_name != excluded.item_name",
                             [(shop, item_id, name) for item_id, name in names.items()])
            conn.execute("INSERT INTO days (shop, date, diagnosed) VALUES (?, ?, 1) "
                         "ON CONFLICT (shop, date) DO UPDATE SET diagnosed = 1", (shop, day))
            conn.execute("DELETE FROM findings WHERE shop = ? AND date = ?", (shop, day))
            conn.executemany(
                "INSERT INTO findings (shop, date, rule, subject, severity, first_seen, owner, money, currency, top, "
                "judged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(shop, day, f.rule, stored_subject(f), f.severity, f.first_seen, f.owner,
                  None if f.money is None else round(f.money, 2), f.currency,
                  1 if top is None or f.key in top else 0, (judged or {}).get(f.key)) for f in findings])
            if loop is not None:
                loop(conn)
            recompute_first_seen(conn, shop, since=day)
            keep_from = (Date.fromisoformat(day) - timedelta(days=ITEM_KEEP_DAYS)).isoformat()
            conn.execute("DELETE FROM metrics WHERE shop = ? AND kind = 'item_daily' AND date < ?", (shop, keep_from))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            raise

    # -- snoozes -------------------------------------------------------------------------------
    def snoozes(self, shop: str) -> list[Snooze]:
        """Snoozes stored for a shop (all, also expired ones not yet cleared)."""
        return [Snooze(rule, subject, until) for rule, subject, until in self._read(
            "SELECT rule, subject, until FROM snoozes WHERE shop = ? ORDER BY until, rule, subject", (shop,))]

    def snooze(self, shop: str, rule: str, subject: str, until: str) -> None:
        self._write("INSERT INTO snoozes (shop, rule, subject, until) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (shop, rule, subject) DO UPDATE SET until = excluded.until",
                    (shop, rule, subject, until))

    def clear_snoozes(self, shop: str, rule: str | None = None, subject: str | None = None) -> int:
        sql, params = "DELETE FROM snoozes WHERE shop = ?", [shop]
        if rule:
            sql, params = sql + " AND rule = ?", [*params, rule]
        if subject:
            sql, params = sql + " AND subject = ?", [*params, subject]
        return self._write(sql, tuple(params))

    def _write(self, sql: str, params: tuple) -> int:
        if self.problem:
            raise HistoryError(self.problem)
        if self._conn is None:
            raise HistoryError(f"history {self.path}: does not exist yet — run `shopdoc diagnose` once first")
        conn = self._conn
        try:
            return with_retries(lambda: conn.execute(sql, params).rowcount)
        except sqlite3.Error as exc:
            raise HistoryError(write_problem(self.path, exc)) from None

    # -- reading for `shopdoc history` --------------------------------------------------------
    def shops(self) -> list[str]:
        return [row[0] for row in self._read("SELECT DISTINCT shop FROM days ORDER BY shop")]

    def shop_days(self, shop: str, since: str | None = None) -> list[dict[str, Any]]:
        """Stored days of a shop (from `since`): the shop's metrics and the findings per severity."""
        since = since or "0000-00-00"
        metrics = {day: {name: values[-1] for name, values in json.loads(data).items() if values}
                   for day, data in self._read(
                       "SELECT date, data FROM metrics WHERE shop = ? AND kind = 'shop_daily' AND date >= ?", (shop, since))}
        counts: dict[str, dict[str, int]] = {}
        for day, severity, count in self._read(
                "SELECT date, severity, COUNT(*) FROM findings WHERE shop = ? AND date >= ? GROUP BY date, severity",
                (shop, since)):
            counts.setdefault(day, {})[severity] = count
        out = []
        for day, diagnosed in self._read(
                "SELECT date, diagnosed FROM days WHERE shop = ? AND date >= ? ORDER BY date", (shop, since)):
            findings = None
            if diagnosed:
                findings = {name: counts.get(day, {}).get(name, 0) for name in SEVERITY_RANK}
            out.append({"date": day, "metrics": metrics.get(day, {}), "findings": findings})
        return out

    def span(self, shop: str) -> tuple[str, str, int] | None:
        """(first day, last day, number of days) stored for a shop, or None."""
        rows = self._read("SELECT MIN(date), MAX(date), COUNT(*) FROM days WHERE shop = ?", (shop,))
        return rows[0] if rows and rows[0][2] else None

    def seen_subjects(self, shop: str) -> dict[str, set[str]]:
        """Every (rule, subject) the shop's history has a finding for: what `snooze` may name."""
        seen: dict[str, set[str]] = {}
        for rule, subject in self._read("SELECT DISTINCT rule, subject FROM findings WHERE shop = ?", (shop,)):
            seen.setdefault(rule, set()).add(subject)
        return seen

    def last_diagnosed(self, shop: str) -> str | None:
        rows = self._read("SELECT MAX(date) FROM days WHERE shop = ? AND diagnosed = 1", (shop,))
        return rows[0][0] if rows else None


def _judged(finding: Finding, before: dict[str, Any] | None) -> str | None:
    """What the history keeps of the numbers a to-do was judged on: its evidence's numbers, the
    outcome metrics `before` (rules with an outcome measure), the member keys of a story."""
    numbers = {name: value for name, value in finding.evidence.items()
               if isinstance(value, (int, float)) and not isinstance(value, bool)}
    out: dict[str, Any] = {}
    if numbers:
        out["numbers"] = numbers
    if before:
        out["before"] = before
    if finding.members:
        out["members"] = finding.members
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")) if out else None


def _one_per_subject(findings: list[Finding]) -> list[Finding]:
    """One stored row per key (rule, subject, facet); a snoozed finding and a listed one may share it."""
    chosen: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        key = (finding.rule, stored_subject(finding))
        if key not in chosen or SEVERITY_RANK[finding.severity] < SEVERITY_RANK[chosen[key].severity]:
            chosen[key] = finding
    return list(chosen.values())
