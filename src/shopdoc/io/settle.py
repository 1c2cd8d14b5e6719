"""After every file is read: the same export downloaded twice is read once, and a lone date far
from all the others (one shop row dated 2099) is a data warning, not the report day.

- **Duplicates.** A browser saves a second download of `kw.csv` as `kw (1).csv`; both in the
  folder would double every cost and every amount at stake. Two inputs of one kind with exactly
  the same rows (whatever their names and formats) are read once: the first in input order; the
  other gets a warning naming both and adds nothing.
- **Outlier dates.** The default report day is the latest day in the data. A day that lies more
  than `OUTLIER_GAP_DAYS` after every other day and holds only a sliver of the rows (at most
  `OUTLIER_SHARE` of them, and at most `OUTLIER_ROWS`) is a typing or export error: its rows are
  left out with a warning, so the real day's data is judged and nothing is stored in the history
  under a day that has not happened. (The machine's clock is not consulted: cron boxes and test
  machines keep odd time.) `--date` still picks any
  day; it is checked against the days that remain.
"""

from __future__ import annotations

from datetime import date as Date
from typing import TYPE_CHECKING

from shopdoc.dataset import DAY_KINDS
from shopdoc.model import DataWarning
from shopdoc.messages import say

if TYPE_CHECKING:
    import pandas as pd

    from shopdoc.dataset import Dataset

OUTLIER_GAP_DAYS = 7
OUTLIER_SHARE = 0.05
OUTLIER_ROWS = 50


def settle(dataset: "Dataset", lang: str = "en") -> None:
    """`lang` words the warnings (the report's language)."""
    _read_duplicates_once(dataset, lang)
    _drop_outlier_days(dataset, lang)


def _fingerprint(frame: "pd.DataFrame") -> tuple:
    import pandas as pd

    body = frame.drop(columns=[name for name in ("_file", "_row") if name in frame.columns])
    body = body.reindex(sorted(body.columns), axis=1)
    hashed = pd.util.hash_pandas_object(body.astype(str), index=False)
    return (tuple(body.columns), len(body), int(hashed.sum()), int((hashed * 31).cumsum().iloc[-1]) if len(body) else 0)


def _read_duplicates_once(dataset: "Dataset", lang: str) -> None:
    for kind, frame in list(dataset.frames.items()):
        if "_file" not in frame.columns or frame["_file"].nunique() < 2:
            continue
        seen: dict[tuple, str] = {}
        dropped: list[str] = []
        parts = sorted(frame.groupby("_file", sort=False), key=lambda pair: _is_copy(pair[0]))  # stable
        for path, part in parts:
            key = _fingerprint(part)
            if key in seen:
                dropped.append(path)
                _warn(dataset, path, kind, code="warn.second_download",
                      reason=say("warn.second_download", lang, n=len(part), other=seen[key]))
            else:
                seen[key] = path
        if dropped:
            dataset.frames[kind] = frame[~frame["_file"].isin(dropped)].reset_index(drop=True)


def _is_copy(path: str) -> bool:
    """`kw (1).csv`, `kw(2).xlsx`, `kw - 副本.csv`, `kw - Copy.csv`: the name a second copy gets."""
    import os
    import re

    stem = os.path.splitext(os.path.basename(path))[0]
    return re.search(r"(\s?\(\d+\)|\s-\s(副本|Copy|copy)(\s?\(\d+\))?)$", stem) is not None


def _warn(dataset: "Dataset", path: str, kind: str | None, *, reason: str, code: str, row: int | None = None,
          value: str | None = None) -> None:
    for item in dataset.inputs:
        if item.path == path and (kind is None or item.kind == kind) and item.status == "ok":
            item.warnings.append(DataWarning(path, reason, row=row, value=value, sheet=item.sheet, code=code))
            return


def _drop_outlier_days(dataset: "Dataset", lang: str) -> None:
    counts: dict[str, int] = {}
    for kind in DAY_KINDS:
        frame = dataset.frame(kind)
        if frame is not None and "date" in frame.columns:
            for day, count in frame["date"].dropna().value_counts().items():
                counts[str(day)] = counts.get(str(day), 0) + int(count)
    total = sum(counts.values())
    outliers: list[str] = []
    days = sorted(counts)
    while len(days) > 1:
        last, before = days[-1], days[-2]
        try:
            gap = (Date.fromisoformat(last) - Date.fromisoformat(before)).days
        except ValueError:
            break
        sliver = counts[last] <= min(OUTLIER_ROWS, OUTLIER_SHARE * total)
        if gap > OUTLIER_GAP_DAYS and sliver:
            outliers.append(last)
            days.pop()
        else:
            break
    if not outliers:
        return
    latest = days[-1] if days else None
    for kind, frame in list(dataset.frames.items()):
        if "date" not in frame.columns:
            continue
        odd = frame["date"].isin(outliers)
        if not odd.any():
            continue
        for (path, day), part in frame[odd].groupby(["_file", "date"], sort=False):
            rows = part["_row"].tolist() if "_row" in part.columns else []
            gap = (Date.fromisoformat(day) - Date.fromisoformat(latest)).days
            _warn(dataset, path, kind, code="warn.far_day",
                  reason=say("warn.far_day", lang, n=len(part), day=day, gap=gap, latest=latest),
                  row=int(rows[0]) if rows else None, value=day)
        dataset.frames[kind] = frame[~odd].reset_index(drop=True)
