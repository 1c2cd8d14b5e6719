"""`shopdoc snooze RULE SUBJECT --days N`: keep a known problem off the list for a while.

The snooze is stored in the history under the shop's name; `snooze:` entries in the config work the
same way (for problems the team has decided to live with). A snoozed finding is still recorded in
the history, so its `first_seen` is right when it comes back.

`--days N` means the next N report days, counted from the report day the operator is looking at:
the latest day diagnosed for the shop (a run on the 23rd reports the 22nd; snoozing 3 days then keeps
the 23rd, 24th and 25th quiet, and the 26th reports it), or yesterday when nothing is stored.

Only a rule and subject the shop's history has seen can be snoozed: a typo would otherwise snooze
nothing and say it worked. Problems to live with before they show up go in the config's `snooze:`.
"""

from __future__ import annotations

import difflib
import re
import sys
from datetime import date as Date
from datetime import timedelta

from shopdoc.config import Config
from shopdoc.errors import UsageError
from shopdoc.history import HistoryStore, Snooze, config_snoozes, open_history

SUBJECT_KINDS = ("item", "campaign", "keyword", "source", "review")


def check_rule(rule_id: str) -> str:
    from shopdoc.rules import get_rule, load_rules

    if get_rule(rule_id) is not None:
        return rule_id
    known = [rule.id for rule in load_rules()]
    close = difflib.get_close_matches(rule_id, known, n=1, cutoff=0.5)
    hint = f" — did you mean {close[0]!r}?" if close else " — `shopdoc rules` lists them"
    raise UsageError(f"unknown rule {rule_id!r}{hint}")


def check_subject(subject: str) -> str:
    """`*`, `shop`, or `<kind>:<name>` as in the report's `subject` (a `*` inside is a wildcard)."""
    subject = subject.strip()
    if subject in ("*", "shop"):
        return subject
    kind, sep, name = subject.partition(":")
    if sep and kind in SUBJECT_KINDS and name:
        return subject
    hint = f" — did you mean 'item:{subject}'?" if re.fullmatch(r"\d+", subject) else ""
    raise UsageError(
        f"SUBJECT {subject!r}: must be the finding's subject as the report shows it — shop, item:<id>, "
        f"campaign:<name>, keyword:<campaign>/<keyword>, source:<name>, review:<id> — or * for the whole rule{hint}"
    )


def parse_until(until: str) -> str:
    try:
        return Date.fromisoformat(until).isoformat()
    except ValueError:
        raise UsageError(f"--until: expected YYYY-MM-DD, got {until!r}") from None


def snooze_until(store: HistoryStore, shop: str, days: int, today: Date | None = None) -> str:
    """The day the finding is back: after the next `days` report days from the latest report day."""
    last = store.last_diagnosed(shop)
    base = Date.fromisoformat(last) if last else (today or Date.today()) - timedelta(days=1)
    return (base + timedelta(days=days + 1)).isoformat()


def check_seen(store: HistoryStore, shop: str, rule_id: str, subject: str, zh: bool) -> None:
    """Refuse a rule + subject the shop's history never had a finding for, with the closest ones."""
    from shopdoc.history import subject_matches

    seen = store.seen_subjects(shop)
    subjects = seen.get(rule_id, set())
    # A stored subject may carry its facet (`shop below_peer`): the subject alone names them all.
    if any(subject_matches(subject, known) or known.startswith(subject + " ") for known in subjects):
        return
    if not seen:
        raise UsageError(f"店铺 {shop} 的历史记录里还没有任何问题：先运行 shopdoc diagnose；"
                         "还没出现的问题可以写在配置的 snooze: 里" if zh else
                         f"the history has no findings for shop {shop} yet: run shopdoc diagnose first, or put "
                         "a problem you expect under snooze: in the config")
    pairs = [f"{rule} {known}" for rule, known_set in seen.items() for known in known_set]
    close = difflib.get_close_matches(f"{rule_id} {subject}", pairs, n=3, cutoff=0.6)
    if zh:
        hint = f"，是不是 {'、'.join(close)}？" if close else (
            f"；这条规则出现过的对象：{'、'.join(sorted(subjects)[:5])}" if subjects else "；这条规则在这家店还没有出现过")
        raise UsageError(f"店铺 {shop} 的历史记录里没有 {rule_id} {subject}{hint}")
    hint = f" — did you mean {' or '.join(repr(c) for c in close)}?" if close else (
        f"; this rule has seen: {', '.join(sorted(subjects)[:5])}" if subjects else "; this rule has no findings for this shop")
    raise UsageError(f"no finding {rule_id} {subject} in the history of shop {shop}{hint}")


def run(
    config: Config,
    *,
    rule_id: str | None,
    subject: str | None,
    days: int | None,
    until: str | None,
    list_only: bool,
    clear: bool,
    shop: str | None,
    path: str | None,
    lang: str,
) -> int:
    zh = lang == "zh"
    shop = shop or config.shop_name
    if list_only and (clear or days is not None or until):
        raise UsageError("--list cannot be combined with --clear, --days or --until")
    if not list_only and not clear and rule_id is None:
        raise UsageError("give RULE and SUBJECT and --days N (or --list, or --clear) — see `shopdoc snooze --help`")
    rule_id = check_rule(rule_id) if rule_id else None
    subject = check_subject(subject) if subject else None
    if not config.get("history", "enabled"):
        print("shopdoc: " + ("配置里关闭了历史记录（history.enabled: false），这里的暂停提醒要打开历史记录才生效；"
                             "也可以写在配置的 snooze: 里" if zh else
                             "the history is off in the config (history.enabled: false), so snoozes stored here "
                             "only apply once it is on; `snooze:` entries in the config always apply"),
              file=sys.stderr)
    with open_history(path, config, create=not list_only) as store:
        if list_only:
            entries = [*config_snoozes(config), *store.snoozes(shop)]
            print(render_list(entries, shop, lang, store.last_diagnosed(shop)))
            return 0
        if clear:
            removed = store.clear_snoozes(shop, rule_id, subject)
            print(f"已取消 {removed} 条暂停提醒（店铺 {shop}）" if zh
                  else f"Cleared {removed} snooze{'s' if removed != 1 else ''} for shop {shop}")
            _mention_config(config, rule_id, subject, zh)
            return 0
        if subject is None:
            raise UsageError("SUBJECT is missing: the finding's subject (shop, item:<id>, ...) or * for the whole rule")
        if (days is None) == (until is None):
            raise UsageError("give how long: --days N (N ≥ 1) or --until YYYY-MM-DD")
        if days is not None and days < 1:
            raise UsageError(f"--days: must be 1 or more, got {days}")
        assert rule_id is not None
        check_seen(store, shop, rule_id, subject, zh)
        back = parse_until(until) if until else snooze_until(store, shop, days or 1)
        store.snooze(shop, rule_id, subject, back)
    print(f"已暂停提醒：{rule_id} {subject}（店铺 {shop}），{back} 起重新列出" if zh
          else f"Snoozed {rule_id} {subject} for shop {shop}: back on the list from {back}")
    return 0


def _mention_config(config: Config, rule_id: str | None, subject: str | None, zh: bool) -> None:
    left = [entry for entry in config.data.get("snooze", [])
            if (rule_id is None or entry["rule"] == rule_id) and (subject is None or entry["subject"] == subject)]
    if left:
        where = config.source or "the config"
        print(f"配置文件 {where} 里还有 {len(left)} 条 snooze，要在那里删除" if zh
              else f"{len(left)} snooze entr{'ies' if len(left) != 1 else 'y'} in {where} still apply; remove them there",
              file=sys.stderr)


def render_list(snoozes: list[Snooze], shop: str, lang: str, last_day: str | None) -> str:
    """Every snooze of the shop; those whose day has come by the latest report marked as ended."""
    zh = lang == "zh"
    if not snoozes:
        return f"店铺 {shop} 没有暂停提醒的问题" if zh else f"Nothing snoozed for shop {shop}"
    lines = [f"店铺 {shop} 暂停提醒的问题：" if zh else f"Snoozed for shop {shop}:"]
    for entry in sorted(snoozes, key=lambda s: (s.until, s.rule, s.subject)):
        source = ("配置" if entry.source == "config" else "snooze") if zh else entry.source
        ended = last_day is not None and entry.until <= last_day
        when = (f"{entry.until} 起重新列出" + ("，已到期" if ended else "") if zh
                else f"back from {entry.until}" + (", ended" if ended else ""))
        lines.append(f"  {entry.rule}  {entry.subject}  {when}" + (f"（{source}）" if zh else f" ({source})"))
    return "\n".join(lines)
