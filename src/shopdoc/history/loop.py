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
columns (text as codes into its distinct values, numbers as float arrays; the subject only where
it is not the plain one) compressed with zlib (a 100,000-keyword account proposes ~90,000 changes
a day: a row per change would be most of the file). Opened, the text columns are categoricals on
the stored codes: the follow-up matches, counts and writes back on them. What is learnt later
(status, outcome, the numbers after) is a second, small value beside it, so a run never rewrites
the big one. Its `tally` keeps the counts per rule and `next`, the first day one of its changes
can be judged, so a run opens only the days it needs.

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

from shopdoc.bidsheet import AD_RULES  # the rules whose verdicts are the bid sheet's changes
from shopdoc.followup import APPLIED, NOT_DONE, OUTCOMES, UNKNOWN, distinct

if TYPE_CHECKING:
    import sqlite3

    import numpy as np
    import pandas as pd

    from shopdoc.config import Config
    from shopdoc.dataset import Dataset
    from shopdoc.model import Report

# What is kept of each change (upload.change_frame), then what the follow-up adds.
KEPT = ("key", "rule", "msg", "action", "subject", "level_code", "campaign", "ad_group", "keyword", "match_type",
        "current_bid", "new_bid", "impressions", "clicks", "cost", "gmv")
EXACT = ("current_bid", "new_bid")  # kept as float64: a bid is compared with today's to the cent
# What telling applied from not applied needs of the previous day's changes (the rest stays packed).
PENDING = ("key", "rule", "action", "level_code", "campaign", "ad_group", "keyword", "match_type", "current_bid",
           "new_bid")
# What judging a day's changes needs of them (the bids and ad groups stay packed).
JUDGING = ("key", "rule", "msg", "action", "subject", "level_code", "campaign", "keyword", "impressions", "clicks",
           "cost", "gmv", "days")
TEXT = ("key", "rule", "msg", "action", "subject", "level_code", "campaign", "ad_group", "keyword", "match_type")
LATER = ("status", "status_on", "outcome", "judged_on", "after_cost", "after_gmv", "after_roi", "after_clicks", "lost")
STATUSES = (APPLIED, "not_applied", UNKNOWN)
RECENT_DONE_DAYS = 14  # `shopdoc todo` lists to-dos done in the last two weeks


def shift(day: str, days: int) -> str:
    return (Date.fromisoformat(day) + timedelta(days=days)).isoformat()


def outcome_days(config: "Config", rule: str) -> int:
    """The rule's outcome window: rules.<rule>.outcome_days, else history.outcome_days."""
    own = config.data.get("rules", {}).get(rule, {}).get("outcome_days")
    return int(own or config.get("history", "outcome_days") or 7)


SEP = "\x00"  # between the distinct values of a text column (never inside a name: the importers clean it out)


def pack(frame: "pd.DataFrame") -> bytes:
    """A day's changes as compact bytes: each text column as int32 codes into its distinct values
    (names repeat over thousands of keywords; a categorical column gives its own), each number
    column as float64 or float32; zlib level 1.
    Layout: 4-byte header length, the JSON header (per column: name, kind, how many distinct
    values), the arrays and the distinct values (UTF-8, NUL-separated) one after another."""
    import numpy as np
    import pandas as pd

    header, parts = [], []
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
            kind = "f8" if name in EXACT else "f4"  # counts and money: float32 keeps 7 digits, half the bytes
            header.append({"name": name, "kind": kind})
            parts.append(values.to_numpy(dtype="float64", na_value=np.nan).astype(kind).tobytes())
            continue
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
        else:
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
        names = np.asarray(uniques, dtype=object).tolist()
        try:
            text = SEP.join(names)
        except TypeError:  # a value that is not text (a number in a text column)
            names = [str(value) for value in names]
            text = SEP.join(names)
        if text.count(SEP) != max(len(names) - 1, 0):  # a NUL inside a name (the importers clean them out)
            text = SEP.join(name.replace(SEP, " ") for name in names)
        encoded = text.encode("utf-8")
        header.append({"name": name, "kind": "str", "count": len(names), "bytes": len(encoded)})
        parts += [codes.astype("int32").tobytes(), encoded]
    head = json.dumps({"rows": len(frame), "columns": header}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return zlib.compress(len(head).to_bytes(4, "little") + head + b"".join(parts), 1)


def unpack(blob: bytes, columns: tuple[str, ...] | None = None) -> "pd.DataFrame":
    """The frame `pack` made, text columns as categoricals (their codes as stored: nothing is
    hashed again downstream); only `columns` when given (the others are stepped over)."""
    import numpy as np
    import pandas as pd

    raw = zlib.decompress(blob)
    size = int.from_bytes(raw[:4], "little")
    head = json.loads(raw[4:4 + size].decode("utf-8"))
    n, at, out = head["rows"], 4 + size, {}
    for column in head["columns"]:
        wanted = columns is None or column["name"] in columns
        if column["kind"] in ("f8", "f4"):
            width = 8 if column["kind"] == "f8" else 4
            if wanted:
                out[column["name"]] = np.frombuffer(raw, dtype=f"float{width * 8}", count=n, offset=at).astype("float64")
            at += width * n
            continue
        codes = np.frombuffer(raw, dtype="int32", count=n, offset=at)
        at += 4 * n
        text = raw[at:at + column["bytes"]].decode("utf-8") if wanted else ""
        at += column["bytes"]
        if not wanted:
            continue
        values = pd.Index(text.split(SEP) if column["count"] else [], dtype=object)
        if values.is_unique:  # -1 (missing) is NaN
            out[column["name"]] = pd.Categorical.from_codes(codes, categories=values, validate=False)
        else:  # two names made one when stored (a NUL inside a name)
            out[column["name"]] = np.append(values.to_numpy(), None)[codes]
    return pd.DataFrame(out, index=pd.RangeIndex(n))


@dataclass
class Day:
    """One advice day's changes as stored, opened for the follow-up (a row per change)."""

    date: str
    frame: "pd.DataFrame"

    @property
    def rows(self) -> int:
        return len(self.frame)

    expanded: bool = False

    def with_subjects(self) -> "pd.DataFrame":
        """The frame with every subject written out (only the ones that are not plain are stored)."""
        if not self.expanded:
            self.frame = expand_subjects(self.frame)
            self.expanded = True
        return self.frame

    @classmethod
    def opened(cls, date: str, blob: bytes, state: bytes | None = None,
               columns: tuple[str, ...] | None = None) -> "Day":
        frame = unpack(blob, columns)
        if state:
            later = unpack(state)
            for name in later.columns:
                frame[name] = later[name].array
        for name in ((*KEPT, *LATER) if columns is None else (*columns, *LATER)):
            if name not in frame.columns:
                frame[name] = None if name in TEXT or name in ("status", "status_on", "outcome", "judged_on") \
                    else float("nan")
        return cls(date, frame)


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
    previous = conn.execute("SELECT date, data, state FROM changes WHERE shop = ? AND date < ? ORDER BY date DESC "
                            "LIMIT 1", (shop, day)).fetchone()
    opened: dict[str, Day] = {}
    ready = [date for date, tally in conn.execute("SELECT date, tally FROM changes WHERE shop = ? AND date < ?",
                                                  (shop, day))
             if (json.loads(tally).get("next") or "9999") <= day]
    if previous is not None:  # only what telling applied needs, unless that day is also judged today
        opened[previous[0]] = Day.opened(*previous, columns=tuple(dict.fromkeys((*PENDING, *JUDGING)))
                                         if previous[0] in ready else PENDING)
        out.pending = opened[previous[0]]
    for date in ready:
        if date not in opened:
            blob, state = conn.execute("SELECT data, state FROM changes WHERE shop = ? AND date = ?",
                                       (shop, date)).fetchone()
            opened[date] = Day.opened(date, blob, state, columns=JUDGING)
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
def advice_frame(report: "Report", dataset: "Dataset") -> "pd.DataFrame | None":
    """Today's proposed changes as stored: the bid sheet's rows (`bidsheet.ad_frames`, the keys of
    `bidsheet.todo_keys`, the actions and new bids as `upload.change_frame` says them) straight from
    the ad verdicts, unsorted and without the console's IDs (what the sheet adds for an upload),
    with the days the ad report's numbers cover."""
    import numpy as np
    import pandas as pd

    from shopdoc.bidsheet import JUDGED, ad_frames, todo_keys
    from shopdoc.rules.ads import _stepped_array
    from shopdoc.upload import BID, BID_BY_STEP, action_of

    blocks = [(verdict, frame, rule_id) for verdict, frame, rule_id in ad_frames(report) if not frame.empty]
    if not blocks:
        return None
    block = np.repeat(np.arange(len(blocks)), [len(frame) for _, frame, _ in blocks])

    def text(name: str) -> "pd.Series":  # the blocks' column as objects (no string dtype inferred)
        return pd.Series(np.concatenate([frame[name].to_numpy(dtype=object) if name in frame.columns
                                         else np.full(len(frame), None, dtype=object) for _, frame, _ in blocks]),
                         dtype=object)

    def number(name: str) -> "np.ndarray":
        return np.concatenate([pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype="float64")
                               if name in frame.columns else np.full(len(frame), np.nan) for _, frame, _ in blocks])

    def coded(name: str) -> "pd.Categorical":  # coded once: packing and the plain subjects (`_compact`) read the codes
        codes, names = pd.factorize(text(name).to_numpy(dtype=object), use_na_sentinel=True)
        return pd.Categorical.from_codes(codes, categories=pd.Index(names, dtype=object), validate=False)

    def per_block(values: list[str]) -> "pd.Categorical":  # one value per block: no string hashed per row
        names, codes = np.unique(np.array(values, dtype=object), return_inverse=True)
        return pd.Categorical.from_codes(codes[block], categories=list(names))

    verdicts = [verdict for verdict, _, _ in blocks]
    is_bid = np.array([verdict in BID for verdict in verdicts])[block]
    by_step = np.array([verdict in BID_BY_STEP for verdict in verdicts])[block]
    table = {name: text(name) for name in ("subject", "ad_group", "match_type")}
    table.update({name: coded(name) for name in ("campaign", "keyword")})
    keys = todo_keys(report)
    table["key"] = pd.Series([keys.get(subject) for subject in table["subject"].tolist()], dtype=object)
    table["rule"] = per_block([rule_id for _, _, rule_id in blocks])
    table["msg"] = per_block(verdicts)
    table["action"] = per_block([action_of(verdict) for verdict in verdicts])
    table["level_code"] = coded("level")
    current, change = number("current_bid"), number("change")
    stepped = _stepped_array(current, np.nan_to_num(change, nan=0.0))
    table["new_bid"] = np.where(is_bid, number("suggested_bid"),
                                np.where(by_step & ~np.isnan(current) & ~np.isnan(change), stepped, np.nan))
    table["current_bid"] = current
    for name in JUDGED:
        table[name] = number(name)
    table["days"] = np.full(len(block), float(_ad_days(dataset, report.date)))
    return pd.DataFrame({name: table[name] for name in (*KEPT, "days")})


def _ad_days(dataset: "Dataset", day: str | None) -> int:
    """How many days the ad report's numbers cover: its dated days, or a row's own span when longer."""
    frame = dataset.frame("ad_report")
    if frame is None or "date" not in frame.columns:
        return 1
    dates = distinct(frame["date"])[1]  # a few days over many rows: compared once each
    dated = sum(1 for date in dates if day is None or date <= day)
    span = int(frame["window_days"].max()) if "window_days" in frame.columns and frame["window_days"].notna().any() else 1
    return max(dated, span, 1)


def tally(frame: "pd.DataFrame", windows: dict[str, int], advised: str) -> dict[str, Any]:
    """Counts per rule (advised, each status, each outcome) and `next`: the first day a change of
    this day can be judged (None when all are). Counted on integer codes; a day just advised has
    no status, outcome nor status_on column yet."""
    import numpy as np

    rule_codes, rules = distinct(frame["rule"])
    if (rule_codes < 0).any():  # no rule: counted under ""
        rules.append("")
        rule_codes = np.where(rule_codes < 0, len(rules) - 1, rule_codes)
    per: dict[str, dict[str, int]] = {str(rule): {"advised": int(n)}
                                      for rule, n in zip(rules, np.bincount(rule_codes, minlength=len(rules)))}
    for name in ("status", "outcome"):
        codes, found = distinct(frame[name]) if name in frame.columns else (None, [])
        if not found:
            continue
        seen = codes >= 0
        pairs = np.bincount(rule_codes[seen] * len(found) + codes[seen], minlength=len(rules) * len(found))
        for at in np.flatnonzero(pairs):
            per[str(rules[at // len(found)])][str(found[at % len(found)])] = int(pairs[at])
    open_ = frame["outcome"].isna().to_numpy() if "outcome" in frame.columns else np.ones(len(frame), dtype=bool)
    nxt = None
    if open_.any():
        start_codes, starts = distinct(frame["status_on"][open_]) if "status_on" in frame.columns \
            else (np.full(int(open_.sum()), -1), [])
        starts.append(shift(advised, 1))  # not seen applied: judged from the day after the advice
        start_codes = np.where(start_codes < 0, len(starts) - 1, start_codes)
        pairs = np.unique(start_codes * len(rules) + rule_codes[open_]).tolist()
        nxt = min(shift(str(starts[pair // len(rules)]), windows.get(str(rules[pair % len(rules)]), 7))
                  for pair in pairs)
    return {"rules": per, "next": nxt}


def save(conn: "sqlite3.Connection", shop: str, day: str, advice: "pd.DataFrame | None",
         windows: dict[str, int], followup: Due | None) -> None:
    """Inside the run's write transaction: today's advice (`advice_frame`), and what the follow-up
    found (statuses of the previous day's changes, outcomes of the days judged, to-dos applied)."""
    import numpy as np
    import pandas as pd

    touched: dict[str, Day] = {}
    if followup is not None and followup.pending is not None and followup.statuses is not None:
        pending = followup.pending
        frame = pending.frame
        now = np.asarray(followup.statuses, dtype=object)
        # applied once stays applied, on its day; an answer the exports cannot give keeps an earlier one
        keep = (frame["status"] == APPLIED).to_numpy() | ((now == UNKNOWN) & frame["status"].notna().to_numpy())
        changed = np.flatnonzero(~keep)
        frame["status"] = _written(frame["status"], changed, now[changed])
        frame["status_on"] = _written(frame["status_on"], changed, day)
        touched[pending.date] = pending
        key_codes, keys = distinct(frame["key"])
        applied_keys = sorted(str(keys[code]) for code in np.unique(key_codes[(now == APPLIED) & (key_codes >= 0)]))
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
            frame = stored.frame
            for column in judged.columns:
                if column == "outcome":
                    frame[column] = _written(frame[column], positions, judged[column])
                else:
                    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype="float64", copy=True)
                    values[positions] = judged[column].to_numpy(dtype="float64")
                    frame[column] = values
            frame["judged_on"] = _written(frame["judged_on"], positions, day)
            touched[stored.date] = stored
        for row in followup.todo_outcomes:
            conn.execute("INSERT OR REPLACE INTO outcomes (shop, key, rule, day, done, outcome, before, after, judged_on) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (shop, row["key"], row["rule"], row["advised"], row["done"], row["outcome"],
                          json.dumps(row.get("before"), ensure_ascii=False), json.dumps(row.get("after"), ensure_ascii=False),
                          day))
    for stored in touched.values():
        conn.execute("UPDATE changes SET tally = ?, state = ? WHERE shop = ? AND date = ?",
                     (json.dumps(tally(stored.frame, windows, stored.date)), pack(stored.frame[list(LATER)]), shop,
                      stored.date))
    if advice is None:
        conn.execute("DELETE FROM changes WHERE shop = ? AND date = ?", (shop, day))
    else:
        conn.execute("INSERT OR REPLACE INTO changes (shop, date, rows, tally, data, state) VALUES (?, ?, ?, ?, ?, NULL)",
                     (shop, day, len(advice), json.dumps(tally(advice, windows, day)), pack(_compact(advice))))


def _written(column: "pd.Series", positions: "np.ndarray", values: Any) -> "pd.Categorical":
    """A text column with `values` (one, or one per position) written at `positions`, as a
    categorical: packing and counting it then hash no string."""
    import numpy as np
    import pandas as pd

    codes, names = distinct(column)
    new_codes, new_names = (np.zeros(len(positions), dtype=np.intp), [values]) if isinstance(values, str) \
        else distinct(values if isinstance(values, pd.Series) else pd.Series(values, dtype=object))
    at = {name: code for code, name in enumerate(names)}
    remap = np.array([at.setdefault(name, len(at)) for name in new_names] + [-1], dtype=np.intp)  # -1: missing
    codes = codes.copy()
    codes[positions] = remap[new_codes]
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(at), dtype=object), validate=False)


def _plain_subjects(frame: "pd.DataFrame", rows: "np.ndarray | None" = None) -> list[str]:
    """`campaign:<plan>` / `keyword:<plan>/<word>` (of `rows` only, when given): the subject as
    `rules.ads` makes it when no two keywords clash (then it adds the ad group or match type).
    Built on the names' codes: a plan's prefix once per plan, one join per change."""
    import numpy as np

    def coded(column: str) -> tuple["np.ndarray", list[str]]:  # a missing name (code -1) is ""
        codes, names = distinct(frame[column])
        return (codes if rows is None else codes[rows]), [*map(str, names), ""]

    (plan_codes, plans), (word_codes, words), (level_codes, levels) = map(coded, ("campaign", "keyword", "level_code"))
    as_plan = [f"campaign:{plan}" for plan in plans]
    prefix = [f"keyword:{plan}/" for plan in plans]
    is_plan = np.array([level == "campaign" for level in levels])[level_codes]
    return [as_plan[plan] if plan_level else prefix[plan] + words[word]
            for plan, word, plan_level in zip(plan_codes.tolist(), word_codes.tolist(), is_plan.tolist())]


def _compact(frame: "pd.DataFrame") -> "pd.DataFrame":
    """The subject kept only where it is not the plain one (a clash): the longest text of the day,
    rebuilt from the names for the changes that are looked up (`expand_subjects`)."""
    import numpy as np
    import pandas as pd

    subject = frame["subject"].astype("object").to_numpy(dtype=object)
    plain = np.array(_plain_subjects(frame), dtype=object)
    return frame.assign(subject=pd.Series(np.where(subject == plain, None, subject), index=frame.index, dtype=object))


def expand_subjects(frame: "pd.DataFrame", rows: "np.ndarray | None" = None) -> "pd.DataFrame":
    """The frame with the subjects `_compact` left out written out (at the positions `rows` only,
    when given: the changes looked up in today's numbers)."""
    import numpy as np
    import pandas as pd

    subject = frame["subject"].to_numpy(dtype=object, copy=True)
    missing = np.flatnonzero(pd.isna(subject)) if rows is None else rows[pd.isna(subject[rows])]
    if len(missing):
        subject[missing] = _plain_subjects(frame, missing)
        frame["subject"] = subject
    return frame


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
