"""`first_seen`: since when a problem has been on the list.

What we chose (SPEC §5 leaves it open): a finding is the same problem as an earlier one when its
(rule, subject) matches. It keeps the `first_seen` of its last sighting when that sighting was
recent: at most `REOPEN_AFTER_RUNS` diagnosed days in between went without it, and it was seen within
the last `REOPEN_AFTER_DAYS` calendar days. Otherwise it is new again, `first_seen` = the day itself.

Days without a run (weekends the operator skipped) do not count as the problem going away: only
days that were diagnosed and did not find it do.
"""

from __future__ import annotations

from datetime import date as Date

Key = tuple[str, str]  # (rule, subject)

REOPEN_AFTER_RUNS = 2
REOPEN_AFTER_DAYS = 35


class FirstSeen:
    """Walks the diagnosed days in date order and carries each problem's first day forward."""

    def __init__(self) -> None:
        self._last: dict[Key, tuple[str, str, int]] = {}  # key -> (last day seen, first_seen, run index)
        self._runs = 0

    def seen(self, day: str, keys: set[Key], stored: dict[Key, str] | None = None) -> dict[Key, str]:
        """Record one diagnosed day; return each key's `first_seen`.

        `stored` (key -> first_seen) is trusted as is, for days before the ones being recomputed.
        """
        result: dict[Key, str] = {}
        for key in keys:
            result[key] = stored[key] if stored and key in stored else self.carried(day, key)
        for key, first in result.items():
            self._last[key] = (day, first, self._runs)
        self._runs += 1
        return result

    def carried(self, day: str, key: Key) -> str:
        """`first_seen` of `key` if it were found on `day`, the next diagnosed day."""
        last = self._last.get(key)
        if last is None:
            return day
        last_day, first, index = last
        missed_runs = self._runs - index - 1
        gap = (Date.fromisoformat(day) - Date.fromisoformat(last_day)).days
        if missed_runs > REOPEN_AFTER_RUNS or gap > REOPEN_AFTER_DAYS:
            return day
        return first
