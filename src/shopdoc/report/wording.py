"""The one place a finding's words are written: its rule's message, its values, the report's language.

Templates are `str.format` templates whose specs may name a unit, written by one formatter:

    {cost:money}   1,234 元 / ¥1,234 / $1,234.50  (the finding's currency)
    {ctr:pct}      3.2%        {change:spct}  +10% / -9.8%
    {clicks:count} 21,040      {roi:num}      1.24        {day:day}  11-21

A missing value, None or NaN prints as "—". Plain specs (`{roi:.2f}`) work as in `str.format`.
"""

from __future__ import annotations

import string
from typing import Any

from shopdoc.model import Finding
from shopdoc.report._format import _plain_number, format_count, format_money, format_percent

DASH = "—"


class Writer(string.Formatter):
    """`str.format` with units, in one language and currency."""

    def __init__(self, lang: str, currency: str | None = None):
        super().__init__()
        self.lang = lang
        self.currency = currency

    def get_value(self, key, args, kwargs):  # a placeholder the values lack stays visible, never raises
        if isinstance(key, str):
            return kwargs.get(key, _Missing(key))
        return super().get_value(key, args, kwargs)

    def format_field(self, value: Any, spec: str) -> str:
        if isinstance(value, _Missing):
            return "{" + value.name + "}"
        if value is None or (isinstance(value, float) and value != value):
            return DASH
        unit = _UNITS.get(spec)
        if unit is None:
            if not spec and type(value) is int and abs(value) >= 1000:
                return f"{value:,}"  # 65,816 keywords: a count is read with its separators
            return super().format_field(value, spec)
        if isinstance(value, str) and spec not in ("owner", "day"):
            return value
        return unit(self, value)

    def money(self, value: float, currency: str | None = None) -> str:
        return format_money(float(value), currency or self.currency, self.lang)

    def write(self, template: str, values: dict[str, Any]) -> str:
        return self.vformat(template, (), values)


class _Missing:
    def __init__(self, name: str):
        self.name = name

    def __format__(self, spec: str) -> str:
        return "{" + self.name + "}"


def _day(writer: Writer, value: Any) -> str:
    """`11-21` in Chinese, `Nov 21` in English: how an operator names a recent day."""
    text = str(value)
    if len(text) < 10:
        return text
    if writer.lang == "zh":
        return text[5:10]
    from datetime import date

    try:
        return date.fromisoformat(text[:10]).strftime("%b %d").replace(" 0", " ")
    except ValueError:
        return text[5:10]


_UNITS = {
    "money": lambda w, v: w.money(v),
    "pct": lambda w, v: format_percent(float(v)),
    "spct": lambda w, v: format_percent(float(v), signed=True),
    "count": lambda w, v: format_count(float(v)),
    "num": lambda w, v: _plain_number(round(float(v), 2)),
    "day": _day,
    "owner": lambda w, v: _owner(v, w.lang),
}


def _owner(owner: str, lang: str) -> str:
    from shopdoc.i18n import owner_name

    return owner_name(owner, lang)


def template(rule_id: str, msg: str, lang: str) -> tuple[str, str]:
    from shopdoc.diagnosis import message
    from shopdoc.rules import get_rule

    rule = get_rule(rule_id)
    messages = rule.messages if rule is not None else message(rule_id) or {}
    try:
        return messages[msg][lang]
    except (AttributeError, KeyError):
        raise KeyError(f"{rule_id}: no {lang!r} wording for message {msg!r}") from None


def write(rule_id: str, msg: str, values: dict[str, Any], lang: str, currency: str | None = None) -> tuple[str, str]:
    """(title, action) of one message with its values."""
    title, action = template(rule_id, msg, lang)
    writer = Writer(lang, currency)
    return writer.write(title, values), writer.write(action, values)


REST = {"zh": "其余计划：", "en": "Other campaigns: "}


def worst_text(worst: list[dict[str, Any]], lang: str, currency: str | None) -> str:
    """「复古开衫」198.94 元、「打底针织衫女」118.60 元 — the worst few of a grouped to-do, by money."""
    writer = Writer(lang, currency)
    parts = []
    for item in worst:
        money = item.get("money")
        amount = f" {writer.money(money)}" if money else ""
        parts.append(f"「{item['name']}」{amount}" if lang == "zh" else f"“{item['name']}”{amount}")
    return ("、" if lang == "zh" else ", ").join(parts)


def word(findings: list[Finding], lang: str, currency: str | None = None) -> None:
    """Write the title and action of every finding (and of the parts folded into it) that has none."""
    for finding in findings:
        if finding.msg and not finding.title:
            values = {**finding.evidence, **finding.values}
            if finding.worst and "worst" not in values:
                values["worst"] = worst_text(finding.worst, lang, finding.currency or currency)
            if isinstance(values.get("money"), (int, float)):  # `money` is always an amount: written as one
                values["money"] = Writer(lang, finding.currency or currency).money(values["money"])
            finding.title, finding.action = write(finding.rule, finding.msg, values, lang,
                                                  finding.currency or currency)
            if values.get("rest"):  # what is left of a verdict after the plans listed one by one
                finding.title = REST[lang] + finding.title
        if finding.parts:
            word(finding.parts, lang, currency)


FOLLOWUP_RULE = "followup.outcomes"


def followup_words(summary: dict[str, Any], lang: str, currency: str | None = None) -> dict[str, Any]:
    """The section "上周做的事，效果如何": its title and one line per piece of earlier advice, from
    the follow-up rule's messages (`section`, `line.*`, `count.*`)."""
    writer = Writer(lang, currency)

    def line(msg: str, values: dict[str, Any]) -> str:
        return writer.write(template(FOLLOWUP_RULE, msg, lang)[0], values)

    lines = []
    applied = summary.get("applied")
    if applied:
        lines.append(line("line.applied", applied))
    sep = "，" if lang == "zh" else ", "
    for entry in summary.get("outcomes", []):
        counts = sep.join(line(f"count.{name}", {"n": entry[name]})
                          for name in ("worked", "no_change", "worse", "too_little", "not_done") if entry.get(name))
        lines.append(line(f"line.{entry['action']}", {**entry, "counts": counts}))
    return {**summary, "title": line("section", {}), "lines": lines}
