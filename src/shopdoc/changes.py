"""Change detection: did a metric break on the report day, or settle at a new level?

An operator's eye is on change: bounce 65.9% → 72.4% overnight is a break that happened yesterday,
not a chronic problem. For one metric's daily series this module answers, for the report day:

- **break**: the day (or the last two days) sit far outside the metric's usual range — the range
  read from the days before, robustly (median and MAD, so one odd day does not move it), after taking
  out the weekday pattern when there are enough weeks to see one (each day against the week around
  it, so a level change inside the window is not mistaken for a weekday pattern);
- **new normal**: the last `hold` days (3) all sit beyond that range on the same side — said once,
  on the day the level has held long enough, then quiet (also when one ordinary-looking day came
  between: most of the days before the start already well off means the level moved earlier);
- nothing, on noise the size of the metric's ordinary swing.

`detect` judges one series (the shop's metrics); `detect_many` the same test on a subjects × days
matrix (every item, source or campaign of a morning at once).

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
TREND_DAYS = 7  # a day is held against the median of the week around it
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
            # Most of the `hold` days before the start already sat well off (half the distance) on the
            # same side: the level moved earlier, and one ordinary-looking day between does not make it new.
            pre = before.iloc[-hold:]
            side = np.sign(scores.iloc[0])
            beyond = (((pre - usual) / spread * side >= z / 2) & ((pre - usual) * side >= min_change / 2 * abs(usual))).sum()
            if beyond * 2 > hold:
                return None
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
    """Each weekday's level against its own week, when there are weeks enough to see it: the median,
    per weekday, of each day over the centred 7-day median around it. Against its own week rather
    than the whole window, so a level change inside the window does not read as a weekday pattern."""
    flat = {weekday: 1.0 for weekday in range(7)}
    recent = before.iloc[-SEASON_WINDOW:]
    if len(recent) < SEASON_DAYS:
        return flat
    trend = recent.rolling(TREND_DAYS, center=True).median()  # full weeks only, as `detect_many`
    ratio = (recent / trend.where(trend != 0)).dropna()
    if ratio.empty:
        return flat
    by_day = ratio.groupby(ratio.index.day_of_week).median()
    return {weekday: float(min(max(by_day.get(weekday, 1.0), 0.5), 2.0)) for weekday in range(7)}


@dataclass(frozen=True)
class Changes:
    """`detect_many`'s answer: one entry per subject (row of the matrix), numpy arrays.

    `kind` 0 = nothing, 1 = break, 2 = new normal; the rest as in `Change` (NaN where kind is 0).
    """

    kind: "np.ndarray"
    since: "np.ndarray"  # column index of the first changed day (-1: none)
    value: "np.ndarray"
    usual: "np.ndarray"
    level: "np.ndarray"
    change: "np.ndarray"
    days: "np.ndarray"
    score: "np.ndarray"

    @property
    def direction(self) -> "np.ndarray":
        import numpy as np

        return np.sign(self.level - self.usual)


def detect_many(values: "np.ndarray", days: "pd.DatetimeIndex", *, z: float = 4.0, min_change: float = 0.10,
                min_days: int = 10, hold: int = 3) -> Changes:
    """`detect` for many subjects at once: `values` is subjects × days (calendar days in order, the
    last column the report day; NaN = no value, e.g. a promotion day or a day the subject was not in
    the export). The same test as `detect`, vectorised over subjects: 20,000 items × 35 days in a
    few tenths of a second. Windows are counted in calendar columns (the last 14, the last 28 days),
    so a subject with gaps is judged on the values those days hold.
    """
    import warnings

    import numpy as np

    values = np.asarray(values, dtype="float64")
    subjects, width = values.shape
    empty = np.full(subjects, np.nan)
    none = Changes(kind=np.zeros(subjects, dtype="int8"), since=np.full(subjects, -1), value=values[:, -1].copy()
                   if width else empty, usual=empty, level=empty.copy(), change=empty.copy(),
                   days=np.zeros(subjects, dtype="int64"), score=empty.copy())
    if width < 2 or not subjects:
        return none
    weekdays = np.asarray(days.day_of_week)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        factor = _weekday_factors_many(values[:, :-1], weekdays[:-1])
        adjusted = values / factor[:, weekdays]
        kind = np.zeros(subjects, dtype="int8")
        since = np.full(subjects, -1)
        usual = np.full(subjects, np.nan)
        spread = np.full(subjects, np.nan)
        open_ = np.ones(subjects, dtype=bool)  # no start found yet
        settled = np.zeros(subjects, dtype=bool)
        report = width - 1
        for start in range(report - hold, report + 1):  # D-hold … D: the earliest start wins
            if start < 1:
                continue
            before = adjusted[:, :start]
            enough = np.count_nonzero(~np.isnan(before), axis=1) >= min_days
            level = np.nanmedian(before[:, -LEVEL_DAYS:], axis=1)
            window = before[:, -SPREAD_DAYS:]
            mad = np.nanmedian(np.abs(window - np.nanmedian(window, axis=1)[:, None]), axis=1)
            scale = np.maximum(np.maximum(MAD_SCALE * mad, MIN_SPREAD * np.abs(level)), 1e-12)
            run = adjusted[:, start:]
            scores = (run - level[:, None]) / scale[:, None]
            side = np.sign(scores[:, :1])
            hit = (enough & ~np.isnan(run).any(axis=1) & (np.abs(scores) >= z).all(axis=1)
                   & (np.abs(run - level[:, None]) >= min_change * np.abs(level)[:, None]).all(axis=1)
                   & (np.sign(scores) == side).all(axis=1) & (side[:, 0] != 0))
            new = hit & open_
            # as `detect`: most of the `hold` days before the start already well off → it moved earlier
            pre = before[:, -hold:]
            beyond = (((pre - level[:, None]) / scale[:, None] * side >= z / 2)
                      & ((pre - level[:, None]) * side >= min_change / 2 * np.abs(level)[:, None]))
            earlier = np.count_nonzero(beyond, axis=1) * 2 > hold
            if start == report - hold:
                settled |= new  # the level held before today: said on its day, quiet now
            else:
                settled |= new & earlier
            if start != report - hold:
                take = new & ~earlier
                since[take] = start
                usual[take] = level[take]
                spread[take] = scale[take]
            open_ &= ~hit
        found = (since >= 0) & ~settled
        length = np.where(found, report - since + 1, 0)
        kind[found] = np.where(length[found] == hold, 2, 1)
        today = factor[:, weekdays[-1]]
        level_run = np.full(subjects, np.nan)
        for start in np.unique(since[found]):
            rows = found & (since == start)
            level_run[rows] = np.nanmedian(adjusted[rows, start:], axis=1)
        usual_today = usual * today
        level_today = level_run * today
    since[~found] = -1
    return Changes(
        kind=kind, since=since, value=values[:, -1].copy(), usual=np.where(found, usual_today, np.nan),
        level=np.where(found, level_today, np.nan),
        change=np.where(found & (usual_today != 0), level_today / np.where(usual_today == 0, 1, usual_today) - 1, np.nan),
        days=length, score=np.where(found, (adjusted[:, -1] - usual) / spread, np.nan),
    )


def _weekday_factors_many(before: "np.ndarray", weekdays: "np.ndarray") -> "np.ndarray":
    """`_weekday_factors` per subject: subjects × 7, 1.0 where a subject has under SEASON_DAYS values."""
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view

    recent = before[:, -SEASON_WINDOW:]
    weekdays = weekdays[-SEASON_WINDOW:]
    out = np.ones((before.shape[0], 7))
    seen = np.count_nonzero(~np.isnan(recent), axis=1) >= SEASON_DAYS
    if not seen.any():
        return out
    # The week around each day: full windows only (np.median, not nanmedian: ten times quicker on
    # 20,000 subjects; a window with a missing day, and the first and last 3 days, have no trend).
    half = TREND_DAYS // 2
    trend = np.full(recent.shape, np.nan)
    if recent.shape[1] >= TREND_DAYS:
        trend[:, half:recent.shape[1] - half] = np.median(sliding_window_view(recent, TREND_DAYS, axis=1), axis=2)
    ratio = recent / np.where(trend == 0, np.nan, trend)
    for weekday in range(7):
        columns = ratio[:, weekdays == weekday]
        if not columns.shape[1]:
            continue
        by_day = np.nanmedian(columns, axis=1)
        by_day = np.where(np.isnan(by_day), 1.0, np.clip(by_day, 0.5, 2.0))
        out[:, weekday] = np.where(seen, by_day, 1.0)
    return out
