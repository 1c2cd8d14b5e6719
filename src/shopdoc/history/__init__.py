"""The history: each run's metrics and findings kept in an SQLite file (SPEC §6).

Most operators download one day at a time; the history is what lets "against yesterday" and
"against the same day last week" work from single-day exports, marks what is new on the to-do list
(`first_seen`), and keeps snoozed problems quiet. See `store.py` for how a run uses it, `schema.py`
for the file itself, `rows.py` for what is kept of each export kind.
"""

from shopdoc.history.schema import SCHEMA_VERSION
from shopdoc.history.store import (
    HISTORY_NAME,
    WINDOW_DAYS,
    HistoryStore,
    Snooze,
    apply_config_snoozes,
    config_snoozes,
    history_path,
    open_history,
    subject_matches,
)

__all__ = [
    "HISTORY_NAME",
    "SCHEMA_VERSION",
    "WINDOW_DAYS",
    "HistoryStore",
    "Snooze",
    "apply_config_snoozes",
    "config_snoozes",
    "history_path",
    "open_history",
    "subject_matches",
]
