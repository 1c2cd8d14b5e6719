"""Change detection on 60 generated mornings per shop, with known injected breaks (issue 15).

    .venv/bin/python benchmarks/changes.py [--shops 50] [--seed 1]

Each shop has a daily metric with a weekday pattern (weekends 30% up) and 3% day-to-day noise, 28
days of history before the 60 mornings, and one injected break of ±15–40% on a random morning that
lasts (a level change). Every morning `shopdoc.changes.detect` is asked about the report day, as the
rule asks it. Printed: the share of breaks found on their first day (target ≥ 90%), and false breaks
per 30 quiet shop-days (a change said on a day that is neither the break's day nor the two after it,
when the level is still settling; target ≤ 1), with CPU beside wall time. A report, not a test.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import pandas as pd  # noqa: E402

from shopdoc.changes import detect  # noqa: E402

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


if __name__ == "__main__":
    main()
