"""The follow-up's cost on a 100,000-keyword account over 90 mornings (issue 14).

    .venv/bin/python benchmarks/loop.py [--size 100k] [--mornings 90]

The account is `generate.py`'s (one report day, ~90% of its keywords get a bid change: the
generated ROI sits under the default break-even); the exports then show a third of the advised bid
changes applied, so each morning sees some applied and judges them on their numbers. Its report is built once; then, for each of 90
mornings, the history does what a diagnose run with history does beyond the rules for the loop:
`loop.due` (open yesterday's advice and the days whose outcome window has passed), the follow-up
rule itself (`followup.outcomes`: `applied_status` on yesterday's ~90,000 changes, `judge_changes` on
the day due, the worse to-dos; the ad view it reads is the one the ad rules left in the run's
cache), and the write (`loop.advice_frame` + `loop.save`, the findings' judged numbers). Printed:
the file's size after 90 mornings (limit 1 GiB) and the time the loop adds to a run (mean and
worst morning, limit 1 s; then apart, the mornings that only check yesterday's changes and the ones
that also judge a day's outcomes), CPU beside wall, and the ratio of each to its limit from this
run. Each morning starts from the ad rules' cache alone (a copy): nothing the follow-up computes is
carried to the next. A report, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

GIB = 1024**3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--mornings", type=int, default=90)
    parser.add_argument("--root", type=Path, default=HERE / ".generated")
    args = parser.parse_args()

    from generate import account, parse_size

    from shopdoc.api import build_report, load
    from shopdoc.config import load_config
    from shopdoc.history import open_history
    from shopdoc.engine import RuleContext, RunState
    from shopdoc.history.loop import AD_RULES, advice_frame, due, save, shift
    from shopdoc.rules import get_rule
    from shopdoc.rules.ads import ad_view

    acct = account(args.root, parse_size(args.size), log=lambda *a: None)
    config = load_config(str(acct.config))
    dataset = load([str(acct.folder)], config)
    report = build_report(dataset, config, lang="zh")
    rule = get_rule("followup.outcomes")
    state = RunState()  # the ad rules' view of the day, as the run has it cached when the follow-up rule runs
    ad_view(RuleContext(get_rule("ads.roi_breakeven"), config, dataset, report.date, "zh", state), 7)
    # The operator applies a third of the advised bid changes: from the second morning on, the exports
    # show those keywords at their new bid (so a third of each day is judged on its numbers, not skipped).
    advice = advice_frame(report, dataset)
    bids = advice[advice["action"] == "bid"].iloc[::3][["campaign", "keyword", "new_bid"]].dropna()
    ads = dataset.frames["ad_report"]
    moved = ads[["campaign", "keyword"]].astype("object").merge(
        bids.astype({"campaign": "object", "keyword": "object"}), on=["campaign", "keyword"], how="left")["new_bid"]
    dataset.frames["ad_report"] = ads.assign(bid=moved.where(moved.notna(), ads["bid"]).to_numpy())
    print(f"account: {acct.keyword_rows:,} keyword rows, report day {report.date}; "
          f"{int(moved.notna().sum()):,} keywords shown at their advised bid")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.sqlite3"
        store = open_history(str(path), config)
        conn = store._conn
        first = shift(report.date, -(args.mornings - 1))
        walls, cpus, judging, rows = [], [], [], 0
        windows = {rule: 7 for rule in AD_RULES}
        for n in range(args.mornings):
            day = shift(first, n)
            wall, cpu = time.perf_counter(), time.process_time()
            found = due(conn, config.shop_name, day, config)  # before the rules
            dataset.followup = found
            run = RunState(cache=dict(state.cache))  # only what the ad rules left: nothing carried to the next morning
            rule.func(RuleContext(rule, config, dataset, report.date, "zh", run))  # the rule: applied? worked?
            columns = advice_frame(report, dataset)  # the write
            conn.execute("BEGIN IMMEDIATE")
            save(conn, config.shop_name, day, columns, windows, found)
            conn.execute("INSERT OR IGNORE INTO days (shop, date, diagnosed) VALUES (?, ?, 1)", (config.shop_name, day))
            conn.execute("COMMIT")
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            judging.append(bool(found.changes))
            rows = len(columns) if columns is not None else 0
        store.close()
        size = sum(os.path.getsize(p) for p in Path(folder).iterdir())
        check = sqlite3.connect(path)
        judged = check.execute("SELECT COUNT(*) FROM changes WHERE tally LIKE '%\"next\": null%'").fetchone()[0]
        check.close()
    worst = max(walls)
    mean = sum(walls) / len(walls)
    print(f"changes per morning: {rows:,}; mornings: {args.mornings} ({judged} of them fully judged)")
    print(f"history on disk after {args.mornings} mornings: {size / 2**20:,.1f} MiB "
          f"(limit 1 GiB: {size / GIB:.2f}x of it)")
    cpu_mean = sum(cpus) / len(cpus)
    print(f"added per run: mean {mean:.3f} s wall / {cpu_mean:.3f} s CPU (limit 1 s: {mean:.2f}x wall, {cpu_mean:.2f}x CPU); "
          f"worst morning {worst:.3f} s wall / {cpus[walls.index(worst)]:.3f} s CPU")
    for name, which in (("only yesterday's changes to check", False), ("a day's outcomes judged too", True)):
        picked = [n for n, judged_today in enumerate(judging) if judged_today == which]
        if picked:
            print(f"  {len(picked)} mornings with {name}: mean {sum(walls[n] for n in picked) / len(picked):.3f} s wall / "
                  f"{sum(cpus[n] for n in picked) / len(picked):.3f} s CPU, worst {max(walls[n] for n in picked):.3f} s wall / "
                  f"{max(cpus[n] for n in picked):.3f} s CPU")
    ten = min(10, len(cpus))
    print(f"first {ten} mornings: {sum(walls[:ten]) / ten:.3f} s wall / {sum(cpus[:ten]) / ten:.3f} s CPU; last {ten}: "
          f"{sum(walls[-ten:]) / ten:.3f} s wall / {sum(cpus[-ten:]) / ten:.3f} s CPU (a longer history costs no more)")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
