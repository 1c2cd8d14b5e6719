"""Change detection: did a metric break on the report day, or settle at a new level?

An operator's eye is on change: bounce 65.9% → 72.4% overnight is a break that happened yesterday,
not a chronic problem. For one metric's daily series this module answers, for the report day:

- **break**: the day (or the last two days) sit far outside the metric's usual range — the range
  read from the days before, robustly (median and MAD, so one odd day does not move it), after taking
  out the weekday pattern when there are enough weeks to see one;
- **new normal**: the last `hold` days (3) all sit beyond that range on the same side — said once,
  on the day the level has held long enough, then quiet;
- nothing, on noise the size of the metric's ordinary swing.

Pure functions on plain series: no Dataset, no wording. Thresholds are ours (the documents ask
"what changed and why" every morning, never how big a change must be): a move of at least `z`
robust standard deviations and at least `min_change` of the usual level, judged on at least
`min_days` earlier days.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# 1.4826 × MAD estimates the standard deviation of normal noise.
MAD_SCALE = 1.4826
# The usual level: the median of this many days before the change; its spread: of these many.
LEVEL_DAYS = 14
SPREAD_DAYS = 28
# Weekday pattern: only with at least this many days (three of each weekday), read from up to
# SEASON_WINDOW days (eight of each: a weekday's median of four noisy days is itself off by a few %).
SEASON_DAYS = 21
SEASON_WINDOW = 56
# A spread never below this share of the level: a metric flat for a month is not "infinitely" sure.
MIN_SPREAD = 0.02


@dataclass(frozen=True)
class Change:
    kind: str  # "break" | "new_normal"
    since: str  # the first day of the change (ISO date)
    value: float  # the report day's value
    level: float  # the new level (median of the changed days)
    usual: float  # the usual level before it (weekday-adjusted to the report day)
    low: float  # the usual range: usual ± z × spread, in the report day's terms
    high: float
    change: float  # relative change of the level against the usual one
    days: int  # days the change has lasted, the report day included
    score: float  # robust z of the report day

    @property
    def direction(self) -> int:
        return 1 if self.level > self.usual else -1


def detect(series: "pd.Series", day: str, *, z: float = 4.0, min_change: float = 0.10, min_days: int = 10,
           hold: int = 3) -> Change | None:
    """The change of `series` (a float per ISO date) on `day`, if any. See the module docstring."""
    import numpy as np
    import pandas as pd

    values = pd.Series(series, dtype="float64").dropna()
    values.index = pd.to_datetime(values.index)
    values = values[~values.index.duplicated(keep="last")].sort_index()
    report = pd.Timestamp(day)
    if report not in values.index:
        return None
    values = values[values.index <= report]
    factor = _weekday_factors(values[values.index < report])
    adjusted = values / values.index.day_of_week.map(factor).to_numpy()
    days = [report - pd.Timedelta(days=back) for back in range(hold, -1, -1)]  # D-hold … D
    # Find the earliest start S in D-hold+1 … D from which every day to D sits beyond the range of
    # the days before S, on one side. If D-hold already did, the level settled earlier: stay quiet.
    found = None
    for start in days:
        before = adjusted[adjusted.index < start]
        if len(before) < min_days:
            continue
        usual, spread = _level(before)
        run = adjusted[(adjusted.index >= start) & (adjusted.index <= report)]
        if len(run) != (report - start).days + 1:  # a missing day breaks the run
            continue
        scores = (run - usual) / spread
        moved = (run - usual).abs() >= min_change * abs(usual)
        if (scores.abs() >= z).all() and moved.all() and (np.sign(scores) == np.sign(scores.iloc[0])).all():
            found = (start, usual, spread, run)
            break
    if found is None:
        return None
    start, usual, spread, run = found
    length = (report - start).days + 1
    if length > hold:
        return None  # settled before today: said on the day it held for `hold` days
    kind = "new_normal" if length == hold else "break"
    scale = factor[report.day_of_week]
    level = float(run.median()) * scale
    usual_today = usual * scale
    return Change(
        kind=kind, since=start.date().isoformat(), value=float(values[report]), level=level, usual=usual_today,
        low=(usual - z * spread) * scale, high=(usual + z * spread) * scale,
        change=level / usual_today - 1 if usual_today else float("nan"), days=length,
        score=float((adjusted[report] - usual) / spread),
    )


def _level(before: "pd.Series") -> tuple[float, float]:
    """The usual level (median of the last LEVEL_DAYS) and its robust spread (MAD of the last SPREAD_DAYS)."""
    import numpy as np

    level = float(before.iloc[-LEVEL_DAYS:].median())
    window = before.iloc[-SPREAD_DAYS:].to_numpy()
    spread = MAD_SCALE * float(np.median(np.abs(window - np.median(window))))
    return level, max(spread, MIN_SPREAD * abs(level), 1e-12)


def _weekday_factors(before: "pd.Series") -> dict[int, float]:
    """Each weekday's level against the whole (medians), when there are weeks enough to see it."""
    flat = {weekday: 1.0 for weekday in range(7)}
    recent = before.iloc[-SEASON_WINDOW:]
    if len(recent) < SEASON_DAYS:
        return flat
    overall = float(recent.median())
    if not overall:
        return flat
    by_day = recent.groupby(recent.index.day_of_week).median() / overall
    return {weekday: float(min(max(by_day.get(weekday, 1.0), 0.5), 2.0)) for weekday in range(7)}
