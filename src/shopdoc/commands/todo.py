"""`shopdoc done KEY [--note TEXT]` and `shopdoc todo`: what was done of the to-do list.

A to-do is known by its key as the report prints it (rule + subject + facet: `ads.ctr_bid
keyword:爆款连衣裙/雪纺连衣裙`). `done` marks it done on the latest report day of the shop; the
bid changes the exports show applied are marked by the next diagnose run itself. `todo` lists the
latest day's to-dos: open, done (lately: two weeks) and ignored (listed history.ignore_after_days
days or more and not done, or snoozed), with their ages. A story's to-do counts as done when one of
its member keys is (see `shopdoc.history.loop`). Reads the history only (no pandas).
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from shopdoc.commands import write_stdout
from shopdoc.config import Config
from shopdoc.errors import UsageError
from shopdoc.commands.history import existing_history
from shopdoc.history import config_snoozes
from shopdoc.history.store import HistoryStore

WORDS = {
    "zh": {"open": "待做", "done": "已做", "ignored": "没理会", "none": "（无）", "applied": "导出里看到已改",
           "by_hand": "手动标记", "snoozed": "已暂停提醒", "not_done": "列了 {days} 天没做", "age": "已列 {days} 天", "new": "今天新出现", "per_day": "{money}/天",
           "title": "【{shop}】{date} 的待办：待做 {open} 项，已做 {done} 项，没理会 {ignored} 项",
           "marked": "已标记为已做（{day}）：{key}", "empty": "店铺 {shop} 的历史记录里还没有待办：先运行 shopdoc diagnose"},
    "en": {"open": "Open", "done": "Done", "ignored": "Ignored", "none": "(none)", "applied": "applied (seen in the exports)",
           "by_hand": "marked done", "snoozed": "snoozed", "not_done": "listed {days} days, not done", "age": "open {days} days", "new": "new today",
           "per_day": "{money} a day",
           "title": "[{shop}] to-dos of {date}: {open} open, {done} done, {ignored} ignored",
           "marked": "Marked done ({day}): {key}", "empty": "No to-dos stored for shop {shop} yet: run shopdoc diagnose first"},
}


def _conn(store: HistoryStore, lang: str):
    conn = store._conn
    if conn is None:
        raise UsageError(f"history {store.path}: 还没有历史记录，先运行 shopdoc diagnose" if lang == "zh"
                         else f"history {store.path}: does not exist yet — run `shopdoc diagnose` once first")
    return conn


def mark_done(config: Config, *, key: str, note: str | None, shop: str | None, path: str | None, lang: str) -> int:
    from shopdoc.history.loop import known_keys, mark_done as mark
    from shopdoc.history.schema import with_retries, write_problem

    shop = shop or config.shop_name
    store = existing_history(config, path, lang)
    try:
        conn = _conn(store, lang)
        key = " ".join(key.split())
        keys = known_keys(conn, shop)
        if key not in keys:
            close = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
            if lang == "zh":
                hint = f"，是不是 {close[0]!r}？" if close else "；`shopdoc todo` 列出所有待办编号"
                raise UsageError(f"店铺 {shop} 的历史记录里没有待办 {key!r}{hint}")
            hint = f" — did you mean {close[0]!r}?" if close else "; `shopdoc todo` lists the keys"
            raise UsageError(f"no to-do {key!r} in shop {shop}'s history{hint}")
        day = store.last_diagnosed(shop)
        if store.problem:
            raise UsageError(store.problem)
        try:
            with_retries(lambda: mark(conn, shop, key, day, note))
        except Exception as exc:  # sqlite3.Error: read-only, full disk, locked
            raise UsageError(write_problem(store.path, exc)) from None
    finally:
        store.close()
    write_stdout(WORDS["zh" if lang == "zh" else "en"]["marked"].format(day=day, key=key) + "\n")
    return 0


def show_todo(config: Config, *, shop: str | None, path: str | None, format: str, lang: str) -> int:
    from shopdoc.history.loop import todo_list

    store = existing_history(config, path, lang)
    try:
        conn = _conn(store, lang)
        shops = [shop] if shop else (store.shops() or [config.shop_name])
        snoozes = [*config_snoozes(config)]
        ignore_after = int(config.get("history", "ignore_after_days") or 7)
        lists = []
        for name in shops:
            stored = [*snoozes, *store.snoozes(name)]

            def snoozed(rule: str, subject: str, day: str, stored=stored) -> bool:
                from shopdoc.history.store import subject_matches

                return any(s.rule == rule and day < s.until and subject_matches(s.subject, subject) for s in stored)

            lists.append(todo_list(conn, name, ignore_after, snoozed))
    finally:
        store.close()
    if format == "json":
        write_stdout(json.dumps({"schema": "shopdoc.todo/1", "history": str(store.path), "shops": lists},
                                ensure_ascii=False, indent=2) + "\n")
        return 0
    currency = config.get("shop", "currency") if config.is_set("shop", "currency") else None
    write_stdout(render(lists, lang, markdown=format == "markdown", currency=currency) + "\n")
    return 0


def render(lists: list[dict[str, Any]], lang: str, markdown: bool = False, currency: str | None = None) -> str:
    from shopdoc.report._format import format_money

    w = WORDS["zh" if lang == "zh" else "en"]
    sep = "：" if lang == "zh" else ": "
    bullet = "- " if markdown else "  "
    lines: list[str] = []
    for found in lists:
        if found["date"] is None:
            lines.append(w["empty"].format(shop=found["shop"]))
            continue
        lines.append(w["title"].format(shop=found["shop"], date=found["date"], open=len(found["open"]),
                                       done=len(found["done"]), ignored=len(found["ignored"])))
        for part in ("open", "done", "ignored"):
            lines += ["", f"{'### ' if markdown else ''}{w[part]}"]
            if not found[part]:
                lines.append(bullet + w["none"])
            for entry in found[part]:
                extra = [w["age"].format(days=entry["age_days"]) if entry["age_days"] else w["new"]]
                if part == "done":
                    extra = [entry["done_on"], w["applied"] if entry["how"] == "applied" else w["by_hand"]]
                    if entry.get("note"):
                        extra.append(entry["note"])
                elif part == "ignored":
                    extra.append(w["snoozed"] if entry["why"] == "snoozed" else w["not_done"].format(days=entry["age_days"]))
                if entry.get("money"):
                    money = format_money(float(entry["money"]), entry.get("currency") or currency, lang)
                    extra.append(w["per_day"].format(money=money))
                joined = ("，" if lang == "zh" else ", ").join(str(item) for item in extra)
                key = f"`{entry['key']}`" if markdown else entry["key"]
                lines.append(f"{bullet}{key}{sep}{joined}")
    return "\n".join(lines)
