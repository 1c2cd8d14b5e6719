"""What was done and whether it worked (issue 14): the history's side of the follow-up.

Each diagnose run with history on:

1. before the rules, `due(conn, shop, day, config)` gathers what today's exports can answer:
   - the previous advice day's proposed changes (`pending`), to see which were applied;
   - the changes whose outcome window has passed (`changes`), to judge them;
   - the to-dos done by hand whose window has passed (`todos`), to judge them;
   and hands it to the rules on the Dataset (`dataset.followup`). The rule `followup.outcomes`
   does the looking and judging (`shopdoc.followup`) and puts the answers on the report;
2. after, `save(conn, ...)` stores today's advice, the statuses and outcomes found, and marks the
   to-dos applied.

Storage (schema.py, version 3). A day's changes are one row of `changes`: every change of the bid
sheet with its key, rule, verdict, names, bids and the window's numbers it was judged on, as
columnar JSON compressed with zlib (a 100,000-keyword account proposes ~90,000 changes a day: a
row per change would be most of the file). Its `tally` keeps the counts per rule and `next`, the
first day one of its changes can be judged, so a run opens only the days it needs.

Choices (README "What was done"):
- a change is applied on the day the exports first show it (`followup.applied`); it is checked on
  the next run only (the morning after the advice; a change advised again is checked again then);
- a to-do is applied when at least one of its changes is (a grouped to-do: one of its keywords);
  it is done when `shopdoc done KEY` says so; a story's member key done or applied counts for
  the story (the folded to-do's key is in `members`);
- a change's outcome is judged once, on the first run `outcome_days` (history.outcome_days, or
  rules.<rule>.outcome_days) after the day it was applied (the day after the advice when it
  was not): worked / no change / worse / too little data / not done.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from shopdoc.followup import APPLIED, NOT_DONE, OUTCOMES, UNKNOWN

if TYPE_CHECKING:
    import sqlite3

    import pandas as pd

    from shopdoc.config import Config
    from shopdoc.dataset import Dataset
    from shopdoc.model import Report

# What is kept of each change (upload.change_frame), then what the follow-up adds.
KEPT = ("key", "rule", "msg", "action", "subject", "level_code", "campaign", "ad_group", "keyword", "match_type",
        "current_bid", "new_bid", "impressions", "clicks", "cost", "gmv", "money")
LATER = ("status", "status_on", "outcome", "judged_on", "after_cost", "after_gmv", "after_roi", "after_clicks", "lost")
STATUSES = (APPLIED, "not_applied", UNKNOWN)
AD_RULES = ("ads.ctr_bid", "ads.roi_breakeven", "ads.zero_click")
RECENT_DONE_DAYS = 14  # `shopdoc todo` lists to-dos done in the last two weeks


def shift(day: str, days: int) -> str:
    return (Date.fromisoformat(day) + timedelta(days=days)).isoformat()


def outcome_days(config: "Config", rule: str) -> int:
    """The rule's outcome window: rules.<rule>.outcome_days, else history.outcome_days."""
    own = config.data.get("rules", {}).get(rule, {}).get("outcome_days")
    return int(own or config.get("history", "outcome_days") or 7)


def pack(columns: dict[str, list[Any]]) -> bytes:
    from shopdoc.history.rows import encode

    return zlib.compress(encode(columns).encode("utf-8"), 6)


def unpack(blob: bytes) -> dict[str, list[Any]]:
    return json.loads(zlib.decompress(blob).decode("utf-8"))


@dataclass
class Day:
    """One advice day's changes as stored, opened for the follow-up."""

    date: str
    columns: dict[str, list[Any]]

    @property
    def rows(self) -> int:
        return len(self.columns.get("key", []))

    def frame(self) -> "pd.DataFrame":
        import pandas as pd

        frame = pd.DataFrame(self.columns)
        for name in (*KEPT, *LATER):
            if name not in frame.columns:
                frame[name] = None
        return frame


@dataclass
class Due:
    """What the history asks of today's exports (dataset.followup), and, after the rule, the answers."""

    day: str
    shop: str
    pending: Day | None = None  # the previous advice day: which changes were applied?
    changes: list[Day] = field(default_factory=list)  # days with changes to judge today
    todos: list[dict[str, Any]] = field(default_factory=list)  # to-dos done by hand, to judge
    done_keys: dict[str, str] = field(default_factory=dict)  # key -> day, to-dos marked done by hand
    windows: dict[str, int] = field(default_factory=dict)  # rule -> outcome days
    min_change: float = 0.10
    # Filled by the rule `followup.outcomes`:
    statuses: list[Any] | None = None  # per row of `pending`
    judged: dict[str, "pd.DataFrame"] = field(default_factory=dict)  # day -> outcome columns for its due rows
    judged_rows: dict[str, Any] = field(default_factory=dict)  # day -> positions judged
    todo_outcomes: list[dict[str, Any]] = field(default_factory=list)


# -- before the rules ---------------------------------------------------------------------------------
def due(conn: "sqlite3.Connection", shop: str, day: str, config: "Config") -> Due:
    """Gather the advice today's exports can answer (see the module's docstring)."""
    from shopdoc.followup import MEASURES

    windows = {rule: outcome_days(config, rule) for rule in (*AD_RULES, *MEASURES)}
    out = Due(day=day, shop=shop, windows=windows,
              min_change=float(config.get("history", "min_change") if config.get("history", "min_change")
                               is not None else 0.10))
    out.done_keys = dict(conn.execute("SELECT key, day FROM actions WHERE shop = ? AND how = 'done' AND day <= ?",
                                      (shop, day)).fetchall())
    previous = conn.execute("SELECT date, data FROM changes WHERE shop = ? AND date < ? ORDER BY date DESC LIMIT 1",
                            (shop, day)).fetchone()
    opened: dict[str, Day] = {}
    if previous is not None:
        opened[previous[0]] = Day(previous[0], unpack(previous[1]))
        out.pending = opened[previous[0]]
    for date, tally in conn.execute("SELECT date, tally FROM changes WHERE shop = ? AND date < ?", (shop, day)):
        nxt = json.loads(tally).get("next")
        if nxt is not None and nxt <= day:
            if date not in opened:
                blob = conn.execute("SELECT data FROM changes WHERE shop = ? AND date = ?", (shop, date)).fetchone()[0]
                opened[date] = Day(date, unpack(blob))
            out.changes.append(opened[date])
    out.changes.sort(key=lambda d: d.date)
    # To-dos done by hand (or applied) whose window has passed and that have no outcome yet.
    judged = {(key, done) for key, done in conn.execute("SELECT key, done FROM outcomes WHERE shop = ?", (shop,))}
    for key, done_on in conn.execute("SELECT key, day FROM actions WHERE shop = ? AND day <= ?", (shop, day)):
        rule = key.split(" ", 1)[0]
        if rule not in MEASURES or (key, done_on) in judged or shift(done_on, windows[rule]) > day:
            continue
        row = conn.execute("SELECT date, judged, subject FROM findings WHERE shop = ? AND rule = ? "
                           "AND ? = rule || ' ' || subject AND date <= ? ORDER BY date DESC LIMIT 1",
                           (shop, rule, key, done_on)).fetchone()
        if row is None:
            continue
        before = (json.loads(row[1]) if row[1] else {}).get("before")
        out.todos.append({"key": key, "rule": rule, "subject": row[2].split(" ", 1)[0], "advised": row[0],
                          "done": done_on, "before": before})
    return out


def before_numbers(dataset: "Dataset", report: "Report", config: "Config") -> dict[str, dict[str, Any]]:
    """key -> the subject's outcome metrics over the outcome window up to the report day, for the
    to-dos whose rule has an outcome measure (what 'before' is when one is done)."""
    from shopdoc.followup import MEASURES, measure
    from shopdoc.history.store import every_finding

    out: dict[str, dict[str, Any]] = {}
    if report.date is None:
        return out
    for finding in every_finding(report.findings):
        if finding.rule in MEASURES and finding.key not in out:
            start = shift(report.date, 1 - outcome_days(config, finding.rule))
            found = measure(dataset, finding.rule, finding.subject, start, report.date)
            if found:
                out[finding.key] = found
    return out


# -- after the rules ----------------------------------------------------------------------------------
def advice_columns(report: "Report", dataset: "Dataset") -> dict[str, list[Any]] | None:
    """Today's proposed changes as stored (KEPT columns, plus the days each rule's window held)."""
    from shopdoc.history.rows import to_columns
    from shopdoc.upload import change_frame

    frame = change_frame(report, dataset)
    if frame.empty:
        return None
    frame = frame[[name for name in KEPT if name in frame.columns]]
    columns = to_columns(frame)
    columns["days"] = [_ad_days(dataset, report.date)] * len(frame)
    for name in ("key", "rule", "action", "subject"):
        columns.setdefault(name, [None] * len(frame))
    return columns


def _ad_days(dataset: "Dataset", day: str | None) -> int:
    """How many days the ad report's numbers cover: its dated days, or a row's own span when longer."""
    frame = dataset.frame("ad_report")
    if frame is None or "date" not in frame.columns:
        return 1
    dates = frame["date"].dropna()
    if day is not None:
        dates = dates[dates <= day]
    span = int(frame["window_days"].max()) if "window_days" in frame.columns and frame["window_days"].notna().any() else 1
    return max(int(dates.nunique()), span, 1)


def tally(columns: dict[str, list[Any]], windows: dict[str, int], advised: str) -> dict[str, Any]:
    """Counts per rule (advised, each status, each outcome) and `next`: the first day a change of
    this day can be judged (None when all are)."""
    per: dict[str, dict[str, int]] = {}
    rules = columns.get("rule") or [None] * len(columns.get("key", []))
    statuses = columns.get("status") or [None] * len(rules)
    status_on = columns.get("status_on") or [None] * len(rules)
    outcomes = columns.get("outcome") or [None] * len(rules)
    nxt = None
    for rule, status, on, outcome in zip(rules, statuses, status_on, outcomes):
        counts = per.setdefault(str(rule), {})
        counts["advised"] = counts.get("advised", 0) + 1
        if status:
            counts[status] = counts.get(status, 0) + 1
        if outcome:
            counts[outcome] = counts.get(outcome, 0) + 1
        else:
            when = shift(on or shift(advised, 1), windows.get(str(rule), 7))
            nxt = when if nxt is None or when < nxt else nxt
    return {"rules": per, "next": nxt}


def save(conn: "sqlite3.Connection", shop: str, day: str, columns: dict[str, list[Any]] | None,
         windows: dict[str, int], followup: Due | None) -> None:
    """Inside the run's write transaction: today's advice (`advice_columns`), and what the
    follow-up found."""
    touched: dict[str, Day] = {}
    if followup is not None and followup.pending is not None and followup.statuses is not None:
        pending = followup.pending
        old = pending.columns.get("status") or [None] * pending.rows
        old_on = pending.columns.get("status_on") or [None] * pending.rows
        status, status_on = [], []
        for was, was_on, now in zip(old, old_on, followup.statuses):
            if was == APPLIED or (now == UNKNOWN and was):  # applied once stays applied, on its day
                status.append(was)
                status_on.append(was_on)
            else:
                status.append(now)
                status_on.append(day)
        pending.columns["status"], pending.columns["status_on"] = status, status_on
        touched[pending.date] = pending
        applied_keys = sorted({key for key, now in zip(pending.columns["key"], followup.statuses)
                               if key and now == APPLIED})
        # A to-do marked done by hand stays so; an application seen again moves the day on.
        conn.executemany("INSERT INTO actions (shop, key, day, how, note) VALUES (?, ?, ?, 'applied', NULL) "
                         "ON CONFLICT (shop, key) DO UPDATE SET day = excluded.day "
                         "WHERE actions.how = 'applied' AND actions.day < excluded.day",
                         [(shop, key, day) for key in applied_keys])
    if followup is not None:
        for stored in followup.changes:
            judged = followup.judged.get(stored.date)
            positions = followup.judged_rows.get(stored.date)
            if judged is None or positions is None:
                continue
            n = stored.rows
            for name in ("outcome", "judged_on", *LATER[4:]):
                stored.columns.setdefault(name, [None] * n)
            for name in ("status", "status_on"):
                stored.columns.setdefault(name, [None] * n)
            for column in judged.columns:
                values = judged[column].tolist()
                target = stored.columns.setdefault(column, [None] * n)
                for position, value in zip(positions, values):
                    target[position] = value
            for position in positions:
                stored.columns["judged_on"][position] = day
            touched[stored.date] = stored
        for row in followup.todo_outcomes:
            conn.execute("INSERT OR REPLACE INTO outcomes (shop, key, rule, day, done, outcome, before, after, judged_on) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (shop, row["key"], row["rule"], row["advised"], row["done"], row["outcome"],
                          json.dumps(row.get("before"), ensure_ascii=False), json.dumps(row.get("after"), ensure_ascii=False),
                          day))
    for stored in touched.values():
        conn.execute("UPDATE changes SET tally = ?, data = ? WHERE shop = ? AND date = ?",
                     (json.dumps(tally(stored.columns, windows, stored.date)), pack(stored.columns), shop, stored.date))
    if columns is None:
        conn.execute("DELETE FROM changes WHERE shop = ? AND date = ?", (shop, day))
    else:
        conn.execute("INSERT OR REPLACE INTO changes (shop, date, rows, tally, data) VALUES (?, ?, ?, ?, ?)",
                     (shop, day, len(columns["key"]), json.dumps(tally(columns, windows, day)), pack(columns)))


# -- `shopdoc done`, `shopdoc todo`, `shopdoc history --actions` -------------------------------------------
def mark_done(conn: "sqlite3.Connection", shop: str, key: str, day: str, note: str | None) -> None:
    conn.execute("INSERT INTO actions (shop, key, day, how, note) VALUES (?, ?, ?, 'done', ?) "
                 "ON CONFLICT (shop, key) DO UPDATE SET day = excluded.day, how = 'done', note = excluded.note",
                 (shop, key, day, note))


def todo_list(conn: "sqlite3.Connection", shop: str, ignore_after: int, snoozed: Any = None) -> dict[str, Any]:
    """The to-dos of the latest diagnosed day and the ones done lately: open, done and ignored, with
    ages. Ignored: listed `ignore_after` days or more and not done, or snoozed (`snoozed(rule, subject,
    day)` says so). Done: its key, or a member key of its story, was applied or marked done on or
    after the day it was first listed."""
    row = conn.execute("SELECT MAX(date) FROM days WHERE shop = ? AND diagnosed = 1", (shop,)).fetchone()
    last = row[0] if row else None
    out: dict[str, Any] = {"shop": shop, "date": last, "open": [], "done": [], "ignored": []}
    if last is None:
        return out
    actions = {key: (day, how, note) for key, day, how, note in conn.execute(
        "SELECT key, day, how, note FROM actions WHERE shop = ?", (shop,))}
    since = shift(last, -RECENT_DONE_DAYS)
    rows = conn.execute(
        "SELECT date, rule, subject, severity, owner, money, currency, first_seen, judged FROM findings "
        "WHERE shop = ? AND top = 1 AND date >= ? ORDER BY date", (shop, since)).fetchall()
    latest: dict[str, tuple] = {}
    for row in rows:
        latest[f"{row[1]} {row[2]}"] = row  # the latest day each key was listed
    for key, (date, rule, subject, severity, owner, money, currency, first, judged) in latest.items():
        first = first or date
        members = (json.loads(judged).get("members") if judged else None) or []
        found = [actions[k] for k in (key, *members) if k in actions and actions[k][0] >= first]
        entry = {"key": key, "rule": rule, "subject": subject.split(" ", 1)[0], "severity": severity, "owner": owner,
                 "money": money, "currency": currency, "first_seen": first, "last_listed": date,
                 "age_days": (Date.fromisoformat(last) - Date.fromisoformat(first)).days}
        if found:
            day, how, note = max(found)
            entry.update(done_on=day, how=how, note=note)
            out["done"].append(entry)
        elif date != last:
            continue  # gone from the list without being marked: not a to-do any more
        elif snoozed is not None and snoozed(rule, subject, last):
            entry["why"] = "snoozed"
            out["ignored"].append(entry)
        elif entry["age_days"] >= ignore_after:
            entry["why"] = "not_done"
            out["ignored"].append(entry)
        else:
            out["open"].append(entry)
    for name in ("open", "ignored"):
        out[name].sort(key=lambda e: (-(e["money"] or 0), e["key"]))
    out["done"].sort(key=lambda e: (e["done_on"], e["key"]), reverse=True)
    return out


def known_keys(conn: "sqlite3.Connection", shop: str) -> list[str]:
    return [row[0] for row in conn.execute(
        "SELECT DISTINCT rule || ' ' || subject FROM findings WHERE shop = ? ORDER BY 1", (shop,))]


def action_summary(conn: "sqlite3.Connection", shop: str) -> list[dict[str, Any]]:
    """Per rule: how much advice was given, how much was followed, and the outcomes judged.

    The ad rules count changes (a row of the bid sheet each); the other rules count to-dos (a key
    each, however many days it was listed)."""
    per: dict[str, dict[str, int]] = {}

    def add(rule: str, name: str, n: int = 1) -> None:
        counts = per.setdefault(rule, {"advised": 0, "followed": 0, **{o: 0 for o in OUTCOMES}})
        counts[name] = counts.get(name, 0) + n

    for (text,) in conn.execute("SELECT tally FROM changes WHERE shop = ?", (shop,)):
        for rule, counts in json.loads(text).get("rules", {}).items():
            add(rule, "advised", counts.get("advised", 0))
            add(rule, "followed", counts.get(APPLIED, 0))
            for outcome in OUTCOMES:
                add(rule, outcome, counts.get(outcome, 0))
    actions = {key for (key,) in conn.execute("SELECT key FROM actions WHERE shop = ?", (shop,))}
    for rule, key in conn.execute("SELECT DISTINCT rule, rule || ' ' || subject FROM findings "
                                  "WHERE shop = ? AND top = 1", (shop,)):
        if rule in AD_RULES:
            continue
        add(rule, "advised")
        if key in actions:
            add(rule, "followed")
    for rule, outcome in conn.execute("SELECT rule, outcome FROM outcomes WHERE shop = ?", (shop,)):
        add(rule, outcome)
    out = []
    for rule in sorted(per):
        counts = per[rule]
        judged = sum(counts[o] for o in OUTCOMES if o not in (NOT_DONE, "too_little"))
        out.append({"rule": rule, **counts,
                    "followed_share": round(counts["followed"] / counts["advised"], 4) if counts["advised"] else None,
                    "worked_share": round(counts["worked"] / judged, 4) if judged else None})
    return out
