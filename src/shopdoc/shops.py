"""Many shops in one config (`shops:`): where each shop's exports are, and one shop's report from
the library without touching global state.

    from shopdoc.config import load_config
    from shopdoc.shops import diagnose_shop

    report = diagnose_shop(load_config("agency.yaml").shop("tmall-flagship"))

A shop's `data_dir` is a folder, a folder with date-stamped subfolders (`exports/tmall/{date}`: the
report day's, else the latest), or a file glob (`exports/tmall/*.xlsx`, `exports/*/tmall-*.csv`).
"""

from __future__ import annotations

import glob
import os
import re
from datetime import date as Date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shopdoc.config import Config
    from shopdoc.model import Report

DATE_FIELD = "{date}"
# The date a `{date}` folder is stamped with: 2026-12-05, 2026_12_05, 20261205.
_STAMP = r"(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})"
_GLOB_CHARS = re.compile(r"[*?\[]")


def data_paths(config: "Config", day: str | None = None) -> list[str]:
    """The paths a shop's exports are read from: `shop.data_dir` resolved (see the module), else '.'.

    A pattern that matches nothing is returned as is, so the reader names it as missing.
    """
    where = config.get("shop", "data_dir") or "."
    return resolve_data_dir(str(where), day)


def resolve_data_dir(where: str, day: str | None = None) -> list[str]:
    where = os.path.expanduser(where)
    if DATE_FIELD in where:
        found = _dated(where, day)
        return [found] if found else [where.replace(DATE_FIELD, day or "YYYY-MM-DD")]
    if _GLOB_CHARS.search(where):
        return sorted(glob.glob(where)) or [where]
    return [where]


def _dated(pattern: str, day: str | None) -> str | None:
    """The path `pattern` names for `day` (its `{date}` filled in), else the latest stamped one that
    is not after `day`."""
    head, _, tail = pattern.partition(DATE_FIELD)
    candidates = glob.glob(glob.escape(head) + "*" + glob.escape(tail).replace(DATE_FIELD, "*"))
    regex = re.compile(re.escape(head) + _STAMP + re.escape(tail) + r"/?$")
    stamped: list[tuple[str, str]] = []
    for path in candidates:
        match = regex.match(path)
        if not match:
            continue
        try:
            stamp = Date(*(int(part) for part in match.groups())).isoformat()
        except ValueError:
            continue
        if day is None or stamp <= day:
            stamped.append((stamp, path))
    return max(stamped)[1] if stamped else None


def diagnose_shop(config: "Config", *, date: str | None = None, lang: str | None = None,
                  paths: list[str] | None = None) -> "Report":
    """One shop's report: its exports read from its `data_dir` (or `paths`); no history, nothing
    printed, nothing global changed. `config` is one shop's config
    (`load_config(...).shop(name)`, or a one-shop config)."""
    from shopdoc.api import build_report, load

    dataset = load(paths or data_paths(config, date), config)
    return build_report(dataset, config, date=date, lang=lang)


def output_path(template: str, shop: str, day: str | None) -> Path:
    """`-o 'reports/{shop}.json'` for one shop (`{date}` is its report day)."""
    return Path(template.replace("{shop}", shop).replace(DATE_FIELD, day or "undated")).expanduser()
