"""`shopdoc history`: the stored days of each shop, key metrics over time, week-over-week change.

Reads the history file only (no pandas): fast enough to run in a login script.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date as Date
from datetime import timedelta
from pathlib import Path
from typing import Any

from shopdoc.commands import write_stdout
from shopdoc.config import Config
from shopdoc.errors import UsageError
from shopdoc.history import HistoryStore, open_history
from shopdoc.i18n import severity_name

BLOCKS = "▁▂▃▄▅▆▇█"

# (canonical field, zh label, en label, how to show it)
METRICS = [
    ("visitors", "访客数", "Visitors", "count"),
    ("gmv", "支付金额", "GMV", "money"),
    ("conversion_rate", "支付转化率", "Conversion", "rate"),
    ("aov", "客单价", "AOV", "money"),
    ("bounce_rate", "跳失率", "Bounce rate", "rate"),
    ("pages_per_visitor", "访问深度", "Pages/visitor", "depth"),
]


def sparkline(values: list[float | None]) -> str:
    """▁▂▃▄▅▆▇█ scaled between the lowest and highest value; a blank for a day not stored."""
    present = [value for value in values if value is not None]
    if not present:
        return " " * len(values)
    low, high = min(present), max(present)
    span = high - low
    out = []
    for value in values:
        if value is None:
            out.append(" ")
        elif span == 0:
            out.append(BLOCKS[3])
        else:
            out.append(BLOCKS[round((value - low) / span * (len(BLOCKS) - 1))])
    return "".join(out)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


# How many decimals each kind of number means: a rate to a hundredth of a percent, money to the cent.
DECIMALS = {"count": 0, "money": 2, "rate": 4, "depth": 2}
HOW = {name: how for name, _, _, how in METRICS}


def _plain(value: Any, how: str | None = None) -> Any:
    """A number rounded to what it means (no 0.020800000000000003), 9000.0 as 9000, in the JSON."""
    if isinstance(value, float):
        if how is not None:
            value = round(value, DECIMALS[how])
        return int(value) if value.is_integer() else value
    return value


def trends(days: list[dict[str, Any]], first: str, last: str) -> dict[str, dict[str, Any]]:
    """Per metric over the calendar days first..last: sparkline, latest, same day last week, change.

    A rate's change is the difference in percentage points (61.5% → 72.4% is +10.9 points, stored
    as 0.109 with `change_unit: points`); every other change is relative (`change_unit: relative`)."""
    by_day = {day["date"]: day["metrics"] for day in days}
    start, end = Date.fromisoformat(first), Date.fromisoformat(last)
    calendar = [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]
    week_ago = (end - timedelta(days=7)).isoformat()
    out = {}
    for name, _, _, how in METRICS:
        values = [_number(by_day.get(day, {}).get(name)) for day in calendar]
        latest = values[-1] if values else None
        before = _number(by_day.get(week_ago, {}).get(name))
        if how == "rate":
            change = latest - before if latest is not None and before is not None else None
        else:
            change = (latest - before) / before if latest is not None and before else None
        out[name] = {
            "latest": _plain(latest, how),
            "week_ago": _plain(before, how),
            "wow_change": round(change, 4) if change is not None else None,
            "change_unit": "points" if how == "rate" else "relative",
            "sparkline": sparkline(values),
        }
    return out


def shop_summary(store: HistoryStore, shop: str, days: int) -> dict[str, Any] | None:
    span = store.span(shop)
    if span is None:
        return None
    first_stored, last, count = span
    first = max(first_stored, (Date.fromisoformat(last) - timedelta(days=days - 1)).isoformat())
    # Also the day a week before the latest, for the latest day's week-over-week change.
    since = min(first, (Date.fromisoformat(last) - timedelta(days=7)).isoformat())
    stored = store.shop_days(shop, since)
    shown = [day for day in stored if day["date"] >= first]
    return {
        "shop": shop,
        "stored_days": count,
        "first_date": first_stored,
        "last_date": last,
        "from": first,
        "days": [{"date": day["date"], **{name: _plain(day["metrics"].get(name), how) for name, _, _, how in METRICS},
                  "findings": day["findings"]} for day in shown],
        "trends": trends(stored, first, last),
    }


def existing_history(config: Config, path: str | None, lang: str) -> HistoryStore:
    """The history a report reads, never made by reading it: a mistyped --history is not an empty one."""
    if path and not Path(path).expanduser().exists():
        raise UsageError(f"--history {path}: 没有这个文件" if lang == "zh" else f"--history {path}: no such file")
    return open_history(path, config, create=False)


def _shops(store: HistoryStore, shop: str | None, lang: str) -> list[str]:
    """The shops a report covers: `--shop`'s (which the history must know), else every one it holds."""
    known = store.shops()
    if shop and shop not in known:
        raise UsageError(_unknown_shop(shop, known, store, lang))
    return [shop] if shop else known


def show_history(config: Config, *, path: str | None, shop: str | None, days: int, format: str, lang: str) -> int:
    if days < 1:
        raise UsageError(f"--days: must be 1 or more, got {days}")
    store = existing_history(config, path, lang)
    try:
        summaries = [summary for name in _shops(store, shop, lang) if (summary := shop_summary(store, name, days))]
    finally:
        store.close()
    if format == "json":
        text = json.dumps({"schema": "shopdoc.history/2", "history": str(store.path), "shops": summaries},
                          ensure_ascii=False, indent=2)
    else:
        text = render_text(summaries, str(store.path), lang, markdown=format == "markdown")
    write_stdout(text + "\n")
    return 0


ACTION_COLUMNS = {
    "zh": ("规则", "建议", "照做", "照做比例", "有效", "没变化", "变差", "数据太少", "没做", "有效比例"),
    "en": ("Rule", "Advised", "Followed", "Followed %", "Worked", "No change", "Worse", "Too little data", "Not done",
           "Worked %"),
}


def show_actions(config: Config, *, path: str | None, shop: str | None, format: str, lang: str) -> int:
    """`shopdoc history --actions`: per rule, advice given, followed, and the outcomes judged."""
    from shopdoc.history.loop import action_summary

    store = existing_history(config, path, lang)
    try:
        conn = store._conn
        shops = [{"shop": name, "rules": action_summary(conn, name) if conn is not None else []}
                 for name in _shops(store, shop, lang)]
    finally:
        store.close()
    if format == "json":
        write_stdout(json.dumps({"schema": "shopdoc.actions/1", "history": str(store.path), "shops": shops},
                                ensure_ascii=False, indent=2) + "\n")
        return 0
    zh = lang == "zh"
    lines = [f"历史记录：{store.path}" if zh else f"History: {store.path}",
             "（改价类规则按改价表的每一行算，其他规则按每条待办算）" if zh else
             "(the ad rules count each row of the bid sheet; the other rules each to-do)"]
    for entry in shops:
        lines += ["", f"【{entry['shop']}】" if zh else f"[{entry['shop']}]"]
        rows = [list(ACTION_COLUMNS["zh" if zh else "en"])]
        for r in entry["rules"]:
            share = (lambda v: "-" if v is None else f"{v:.0%}")
            rows.append([r["rule"], str(r["advised"]), str(r["followed"]), share(r["followed_share"]), str(r["worked"]),
                         str(r["no_change"]), str(r["worse"]), str(r["too_little"]), str(r["not_done"]),
                         share(r["worked_share"])])
        lines += _table(rows, right_from=1, markdown=format == "markdown")
    write_stdout("\n".join(lines) + "\n")
    return 0


def repair_history(config: Config, *, path: str | None, lang: str) -> int:
    """`shopdoc history --repair`: a fresh file with every row still readable; the damaged one kept."""
    from shopdoc.history.repair import repair
    from shopdoc.history.store import history_path

    result = repair(history_path(path, config))
    total = sum(result.copied.values())
    if lang == "zh":
        print(f"历史记录已修复：{result.path}（复制了 {total:,} 行可读数据）\n损坏的文件保留在：{result.kept}")
        if result.lost:
            print("这些表有读不出来的部分：" + "，".join(sorted(result.lost)))
    else:
        print(f"History repaired: {result.path} ({total:,} readable rows copied)\nThe damaged file is kept as {result.kept}")
        if result.lost:
            print("Tables with unreadable parts: " + ", ".join(sorted(result.lost)))
    return 0


def _unknown_shop(shop: str, known: list[str], store: HistoryStore, lang: str) -> str:
    import difflib

    close = difflib.get_close_matches(shop, known, n=1)
    if lang == "zh":
        hint = f"，是不是 {close[0]!r}？" if close else (f"；已有：{'、'.join(known)}" if known else "；还没有任何店铺")
        return f"--shop: 历史记录 {store.path} 里没有店铺 {shop!r}{hint}"
    hint = f" — did you mean {close[0]!r}?" if close else (f"; stored: {', '.join(known)}" if known else "; it is empty")
    return f"--shop: no shop {shop!r} in history {store.path}{hint}"


# -- text ---------------------------------------------------------------------------------------
def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - _width(text))
    return space + text if right else text + space


def fmt(value: float | None, how: str) -> str:
    if value is None:
        return "-"
    if how == "count":
        return f"{value:,.0f}"
    if how == "money":
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.2f}"
    if how == "rate":
        return f"{value:.2%}"
    return f"{value:.2f}"


def _change(value: float | None, unit: str, lang: str) -> str:
    if value is None:
        return "-"
    if unit == "points":
        points = f"{value * 100:+.1f}"
        return f"{points} 个百分点" if lang == "zh" else f"{points} pts"
    return f"{value:+.1%}"


def _findings(counts: dict[str, int] | None, lang: str) -> str:
    if counts is None:
        return "-"
    total = sum(counts.values())
    critical = counts.get("critical", 0)
    if not critical:
        return str(total)
    return f"{total}（{severity_name('critical', lang)} {critical}）" if lang == "zh" else f"{total} ({critical} critical)"


def _table(rows: list[list[str]], right_from: int, markdown: bool = False) -> list[str]:
    if markdown:
        from shopdoc.commands import markdown_table

        return markdown_table(rows).splitlines()
    widths = [max(_width(row[col]) for row in rows) for col in range(len(rows[0]))]
    return ["  ".join(_pad(cell, widths[col], right=col >= right_from) for col, cell in enumerate(row)).rstrip()
            for row in rows]


def render_text(summaries: list[dict[str, Any]], path: str, lang: str, markdown: bool = False) -> str:
    """The text layout (also `--format rich`: it has no colours); `markdown` makes pipe tables."""
    zh = lang == "zh"
    if not summaries:
        return (f"还没有历史记录：{path}\n运行一次 shopdoc diagnose 之后就有了。" if zh
                else f"No history stored yet: {path}\nIt fills up with every `shopdoc diagnose` run.")
    lines = [f"历史记录：{path}" if zh else f"History: {path}"]
    for summary in summaries:
        shown = len(summary["days"])
        lines += ["", (f"【{summary['shop']}】共 {summary['stored_days']} 天（{summary['first_date']} 至 "
                       f"{summary['last_date']}），下面是 {summary['from']} 起的 {shown} 天" if zh else
                       f"[{summary['shop']}] {summary['stored_days']} days stored ({summary['first_date']} to "
                       f"{summary['last_date']}); showing {shown} from {summary['from']}")]
        header = (["指标", "走势", summary["last_date"], "上周同日", "周同比"] if zh
                  else ["Metric", "Trend", summary["last_date"], "Week ago", "WoW"])
        rows = [header]
        for name, label_zh, label_en, how in METRICS:
            trend = summary["trends"][name]
            rows.append([label_zh if zh else label_en, trend["sparkline"], fmt(trend["latest"], how),
                         fmt(trend["week_ago"], how), _change(trend["wow_change"], trend["change_unit"], lang)])
        lines += _table(rows, right_from=2, markdown=markdown)
        lines.append("")
        rows = [(["日期"] + [label for _, label, _, _ in METRICS] + ["待办"]) if zh
                else (["Date"] + [label for _, _, label, _ in METRICS] + ["Findings"])]
        for day in summary["days"]:
            rows.append([day["date"], *(fmt(_number(day[name]), how) for name, _, _, how in METRICS),
                         _findings(day["findings"], lang)])
        lines += _table(rows, right_from=1, markdown=markdown)
    return "\n".join(lines)
