"""Change detection on 60 generated mornings per shop, with known injected breaks (issue 15).

    .venv/bin/python benchmarks/changes.py [--shops 50] [--subjects 2000] [--seed 1] [--large]

Each shop has a daily metric with a weekday pattern (weekends 30% up) and 3% day-to-day noise, 28
days of history before the 60 mornings, and one injected break of ±15–40% on a random morning that
lasts (a level change). Every morning `shopdoc.changes.detect` is asked about the report day, as the
rule asks it. Printed: the share of breaks found on their first day (target ≥ 90%), and false breaks
per 30 quiet shop-days (a change said on a day that is neither the break's day nor the two after it,
when the level is still settling; target ≤ 1), with CPU beside wall time. A report, not a test.

The same for items, sources and campaigns (`shopdoc.changes.detect_many`, as rule `change.subjects`
asks it: all subjects of a morning at once, 35 days each, a 15% minimum move): `--subjects`
subjects with 5% day-to-day noise (an item's few hundred visitors a day are noisier than the
shop's thousands), the same weekday pattern and one ±20–50% break each (then ±15–40%: at 5% noise
a move under ~20% is within 4 robust standard deviations, so some of those are missed by design). Then the time of one
morning of 20,000 items × 35 days, the test alone, and with `--large` the whole rule reading those
35 days from a history file.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import pandas as pd  # noqa: E402

import numpy as np  # noqa: E402

from shopdoc.changes import detect, detect_many  # noqa: E402

HISTORY, MORNINGS = 28, 60


def shop(rng: random.Random) -> tuple[pd.Series, str, float]:
    days = pd.date_range(end="2026-11-22", periods=HISTORY + MORNINGS, freq="D")
    at = days[HISTORY + rng.randrange(5, MORNINGS - 5)]
    size = rng.choice([-1, 1]) * rng.uniform(0.15, 0.40)
    level = rng.uniform(500, 50_000)
    values = [level * (1.3 if day.day_of_week >= 5 else 1.0) * (1 + rng.gauss(0, 0.03)) * (1 + size if day >= at else 1)
              for day in days]
    return pd.Series(values, index=days.strftime("%Y-%m-%d")), at.strftime("%Y-%m-%d"), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shops", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--large", action="store_true", help="also time the rule on 20,000 items read from a history file")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    wall, cpu = time.perf_counter(), time.process_time()
    found = false = quiet = asked = 0
    for _ in range(args.shops):
        series, at, _ = shop(rng)
        settling = set(pd.date_range(at, periods=3, freq="D").strftime("%Y-%m-%d"))
        for day in series.index[HISTORY:]:
            change = detect(series, day)
            asked += 1
            if day == at:
                found += change is not None and change.since == at
            elif day not in settling:
                quiet += 1
                false += change is not None
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{args.shops} shops × {MORNINGS} mornings, one break each (±15–40%), weekday pattern, 3% noise")
    print(f"breaks found on their day: {found}/{args.shops} = {found / args.shops:.0%}  (target ≥ 90%)")
    print(f"false breaks: {false} in {quiet} quiet shop-days = {false / quiet * 30:.2f} per 30  (target ≤ 1)")
    print(f"time: {wall:.2f} s wall, {cpu:.2f} s CPU for {asked:,} mornings ({cpu / asked * 1000:.2f} ms CPU each)")
    subjects(args.subjects, args.seed)
    large(args.large)


WINDOW = 35  # the days change.subjects reads (rules.change.subjects.window_days)


def subject_matrix(count: int, rng: np.random.Generator, *, noise: float = 0.05,
                   sizes: tuple[float, float] = (0.20, 0.50)) -> tuple[np.ndarray, pd.DatetimeIndex, np.ndarray]:
    """`count` subjects × (HISTORY + MORNINGS) days with one break each; the break's column per subject."""
    days = pd.date_range(end="2026-08-30", periods=HISTORY + MORNINGS, freq="D")  # no promotion in the window
    at = rng.integers(HISTORY + 5, HISTORY + MORNINGS - 5, count)
    size = rng.choice([-1, 1], count) * rng.uniform(*sizes, count)
    level = rng.uniform(200, 5000, count)[:, None]
    weekday = np.where(days.day_of_week >= 5, 1.3, 1.0)[None, :]
    after = np.arange(len(days))[None, :] >= at[:, None]
    values = level * weekday * (1 + rng.normal(0, noise, (count, len(days)))) * np.where(after, 1 + size[:, None], 1.0)
    return values, days, at


def subjects(count: int, seed: int) -> None:
    for sizes in ((0.20, 0.50), (0.15, 0.40)):
        found_on(count, seed, sizes)
    rng = np.random.default_rng(seed)
    big, days, _ = subject_matrix(20_000, rng)
    window = slice(HISTORY + MORNINGS - WINDOW - 1, HISTORY + MORNINGS)
    for _ in range(2):  # the second run: numpy warm
        wall, cpu = time.perf_counter(), time.process_time()
        detect_many(big[:, window], days[window], min_change=0.15)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"\none morning of 20,000 items × {WINDOW + 1} days, the test alone: {wall:.2f} s wall, {cpu:.2f} s CPU")


def found_on(count: int, seed: int, sizes: tuple[float, float]) -> None:
    """Every subject judged on each of the 60 mornings, all subjects of a morning at once."""
    rng = np.random.default_rng(seed)
    values, days, at = subject_matrix(count, rng, sizes=sizes)
    wall, cpu = time.perf_counter(), time.process_time()
    found = false = quiet = 0
    for morning in range(HISTORY, HISTORY + MORNINGS):
        window = slice(max(0, morning - WINDOW), morning + 1)
        result = detect_many(values[:, window], days[window], min_change=0.15)
        changed = result.kind > 0
        on_day = at == morning
        found += int((changed & on_day & (result.days == 1)).sum())
        settling = (morning >= at) & (morning < at + 3)
        quiet += int((~settling).sum())
        false += int((changed & ~settling).sum())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    low, high = (round(bound * 100) for bound in sizes)
    print(f"\n{count:,} items/sources/campaigns × {MORNINGS} mornings, one break each (±{low}–{high}%), weekday pattern, 5% noise")
    print(f"breaks found on their day: {found}/{count} = {found / count:.0%}  (target ≥ 90%)")
    print(f"false breaks: {false} in {quiet:,} quiet subject-days = {false / quiet * 30:.2f} per 30  (target ≤ 1)")
    print(f"time: {wall:.2f} s wall, {cpu:.2f} s CPU for {MORNINGS} mornings of {count:,} subjects")


def large(run: bool) -> None:
    """The whole rule on 20,000 items: 35 stored days in a history file, today's export in memory."""
    if not run:
        return
    import tempfile

    from shopdoc.config import Config, merge
    from shopdoc.dataset import Dataset
    from shopdoc.engine import RuleContext, RunState
    from shopdoc.history import open_history
    from shopdoc.model import Report
    from shopdoc.rules import get_rule

    rng = np.random.default_rng(7)
    values, days, _ = subject_matrix(20_000, rng)
    days, values = days[-(WINDOW + 1):], values[:, -(WINDOW + 1):]
    ids = np.array([f"6523{n:08d}" for n in range(20_000)], dtype=object)
    config = Config(merge({"shop": {"name": "big"}}))
    with tempfile.TemporaryDirectory() as folder:
        store = open_history(str(Path(folder) / "h.sqlite3"), config)
        frames = {}
        for column, day in enumerate(days.strftime("%Y-%m-%d")):
            visitors = np.round(values[:, column])
            frames[day] = pd.DataFrame({"date": day, "item_id": ids, "item_name": ids, "visitors": visitors,
                                        "buyers": np.round(visitors * 0.03), "gmv": np.round(visitors * 0.03) * 99.0,
                                        "_file": "items.xls", "_row": np.arange(20_000) + 2})
            if column < WINDOW:
                store.record(Dataset(frames={"item_daily": frames[day]}), Report(shop="big", date=day, generated_at="", lang="zh"))
        today = days[-1].strftime("%Y-%m-%d")
        dataset = Dataset(frames={"item_daily": frames[today]})
        store.augment(dataset, "big", today)
        rule = get_rule("change.subjects")
        state = RunState()
        wall, cpu = time.perf_counter(), time.process_time()
        rule.func(RuleContext(rule, config, dataset, today, "zh", state, store))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        store.close()
    rows = sum(len(block) for block in state.blocks)
    print(f"the rule on 20,000 items, 35 days read from the history: {wall:.2f} s wall, {cpu:.2f} s CPU "
          f"({rows} subject changes in {len(state.blocks)} blocks)")


if __name__ == "__main__":
    main()
