"""Many shops (issue 17): `shopdoc diagnose --all` on N demo-sized shops against N separate
`shopdoc diagnose --shop NAME` processes run one after another.

    .venv/bin/python benchmarks/shops.py               # 50 shops
    .venv/bin/python benchmarks/shops.py --shops 10 --runs 1

Each shop is a copy of sample_data (the demo shop). Both sides use one fresh history file and
write each shop's JSON report to its own file. Printed: wall and CPU time of both sides (CPU of the
whole process tree), the ratio judged (target: --all ≤ 0.5× the separate runs) and the peak RSS of
--all summed over its processes (sampled every 20 ms from /proc; target < 1 GiB). A report, not a
test: it always exits 0.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"


def make_shops(where: Path, count: int) -> Path:
    lines = ["history:\n  enabled: true\n", "shops:\n"]
    for index in range(count):
        name = f"shop{index:02d}"
        folder = where / "exports" / name
        folder.mkdir(parents=True)
        for item in SAMPLE.iterdir():
            if item.name != "shopdoc.yaml":
                shutil.copy(item, folder / item.name)
        lines.append(f"  {name}:\n    data_dir: {folder}\n    monthly_target: {1_000_000 + 10_000 * index}\n")
    config = where / "agency.yaml"
    config.write_text("".join(lines), encoding="utf-8")
    return config


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and every process under it."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{entry}/statm", "rb") as handle:
                pages = int(handle.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = pages * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def timed(commands: list[list[str]], cwd: Path, *, sample: bool) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds of the children, peak tree RSS in bytes, worst exit code)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    peak, worst = 0, 0
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for command in commands:
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        while process.poll() is None:
            if sample:
                peak = max(peak, tree_rss(process.pid))
            time.sleep(0.02)
        worst = max(worst, process.returncode)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, peak, worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shops", type=int, default=50)
    parser.add_argument("--runs", type=int, default=1, help="rounds of both sides, interleaved (best wall kept)")
    args = parser.parse_args()
    shopdoc = [sys.executable, "-m", "shopdoc", "diagnose", "--config", "agency.yaml", "--quiet", "--format", "json"]
    with tempfile.TemporaryDirectory(prefix="shopdoc-shops-") as tmp:
        where = Path(tmp)
        make_shops(where, args.shops)
        names = [f"shop{index:02d}" for index in range(args.shops)]
        best: dict[str, tuple[float, float, int, int]] = {}
        for run in range(args.runs):
            for side in ("all", "separate"):
                out = where / f"{side}{run}"
                out.mkdir()
                history = ["--history", str(out / "history.db")]
                if side == "all":
                    commands = [[*shopdoc, "--all", "-o", str(out / "{shop}.json"), *history]]
                else:
                    commands = [[*shopdoc, "--shop", name, "-o", str(out / f"{name}.json"), *history] for name in names]
                result = timed(commands, where, sample=side == "all")
                written = len(list(out.glob("*.json")))
                print(f"  run {run + 1} {side:8}: {result[0]:6.2f} s wall, {result[1]:6.2f} s CPU, exit {result[3]}, "
                      f"{written} reports", flush=True)
                if side not in best or result[0] < best[side][0]:
                    best[side] = result
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        every, separate = best["all"], best["separate"]
        ratio = every[0] / separate[0]
        print(f"{args.shops} demo shops, {cores} cores")
        print(f"  --all            {every[0]:6.2f} s wall  {every[1]:6.2f} s CPU")
        print(f"  separate runs    {separate[0]:6.2f} s wall  {separate[1]:6.2f} s CPU")
        print(f"  ratio --all / separate (wall): {ratio:.2f}  (target ≤ 0.50) {'ok' if ratio <= 0.5 else 'OVER'}")
        print(f"  ratio --all / separate (CPU):  {every[1] / separate[1]:.2f}")
        print(f"  peak RSS of --all (all processes): {every[2] / 2**20:.0f} MiB  (target < 1024 MiB) "
              f"{'ok' if every[2] < 2**30 else 'OVER'}")


if __name__ == "__main__":
    main()
