"""What every renderer shares: grouping, ordering and how a number is written.

Nothing here computes a metric. It only arranges the Report's plain facts and writes numbers the
way an operator reads them: rates as percentages, money with its currency, counts with separators.
"""

from __future__ import annotations

import string
from collections import Counter
from dataclasses import dataclass
from datetime import date as Date
from functools import lru_cache
from typing import Any

from shopdoc.i18n import owner_name
from shopdoc.model import OWNERS, Finding, InputFile, Report, Skip
from shopdoc.report._words import EVIDENCE_LABELS, EVIDENCE_VALUES, HEADLINE, RULE_EVIDENCE_LABELS, words

# Statuses of an input that was not used for the report.
UNUSED_STATUSES = ("error", "unrecognised", "empty")

_PERCENT_KEYS = ("rate", "ctr", "share", "change", "margin")
_MONEY_KEYS = ("aov", "gmv", "cost", "bid", "cpc", "price", "target", "money", "spend", "amount", "sales",
               "shortfall", "loss", "visitor_value", "target_gap")
_COUNT_KEYS = ("visitors", "pageviews", "clicks", "impressions", "buyers", "orders", "units", "count",
               "days", "reviews")
_SIGNED_KEYS = ("change",)
_TEXT_LIMIT = 40
_CNY = {"CNY", "RMB", "元", "¥", "￥"}


def group_by_owner(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by who acts, in the order of the document's afternoon hand-off.

    003 (运营的一天, 下午) first lets the operator plan and split the work (运营), then goes through
    推广 (traffic), 美工 (conversion on the page), 客服 (conversion in chat, members) and 内容 —
    the same order as `model.OWNERS`. Within a group the engine's order stands: severity, money at
    stake, rule order.
    """
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.owner, []).append(finding)
    known = [(owner, groups.pop(owner)) for owner in OWNERS if owner in groups]
    return known + sorted(groups.items())


@dataclass(frozen=True)
class Section:
    """A run of to-dos under one heading: the "do these first" head (owner None), or one owner's."""

    owner: str | None
    findings: list[Finding]

    def title(self, lang: str) -> str:
        w = words(lang)
        if self.owner is None:
            return w["first"].format(n=len(self.findings))
        return w["group"].format(owner=owner_title(self.owner, lang), n=len(self.findings))


def is_first(finding: Finding) -> bool:
    """Printed in the "do these first" head: criticals, what the document says to do at once, setup."""
    return finding.severity == "critical" or finding.urgent


def is_held(finding: Finding) -> bool:
    """An old problem not due in full today (`shopdoc.reminders`): one line under "still open"."""
    return bool(finding.reminder and finding.reminder.get("held"))


def still_open(findings: list[Finding]) -> list[Finding]:
    """The old problems printed as one line each, after the to-dos, most severe first."""
    return [f for f in findings if is_held(f)]


def still_open_title(findings: list[Finding], lang: str) -> str:
    return words(lang)["still_open"].format(n=len(findings))


def still_open_line(finding: Finding, lang: str, *, tagged: bool = True) -> str:
    """`〔美工〕全店跳失率 72.4%，超过 70% 的及格线（已持续 12 天，11-28 再完整提醒）`."""
    from shopdoc.report.wording import Writer

    reminder = finding.reminder or {}
    note = words(lang)["still_open_line"].format(days=reminder.get("age_days"),
                                                  next=Writer(lang).format("{d:day}", d=reminder.get("next")))
    name = owner_title(finding.owner, lang)
    tag = (f"〔{name}〕" if lang == "zh" else f"[{name}] ") if tagged else ""
    return f"{tag}{finding.title}（{note}）" if lang == "zh" else f"{tag}{finding.title} ({note})"


def sections(findings: list[Finding]) -> list[Section]:
    """The printed order of every format: the criticals (and urgent to-dos) first, each tagged with
    its owner, then the rest grouped by owner in the afternoon hand-off order. Old problems not
    due in full today are left out (`still_open`: one line each, after the to-dos).

    Setting up what the verdicts rest on (the gross margin) leads the head: without it the ad
    cuts below it are guesses.
    """
    findings = [f for f in findings if not is_held(f)]
    first = sorted((f for f in findings if is_first(f)),
                   key=lambda f: (0 if f.rule.startswith("setup.") else 1, *f.sort_key()))
    out = [Section(None, first)] if first else []
    rest = [f for f in findings if not is_first(f)]
    return out + [Section(owner, items) for owner, items in group_by_owner(rest)]


def title_line(finding: Finding, lang: str, section: Section | None = None) -> str:
    """The to-do's title; in the "do these first" head it names who acts (`〔推广〕…`)."""
    title = marked_title(finding, lang)
    if section is not None and section.owner is None:
        name = owner_title(finding.owner, lang)
        return f"〔{name}〕{title}" if lang == "zh" else f"[{name}] {title}"
    return title


def marked_title(finding: Finding, lang: str) -> str:
    """The title, marked `（暂定）` when its verdict rests on a default the user never set."""
    return words(lang)["provisional"] + finding.title if finding.provisional else finding.title


def part_lines(finding: Finding, lang: str) -> list[str]:
    """What a story or an item diagnosis gathered, one line each: `〔推广〕title：action`."""
    from shopdoc.i18n import severity_name

    out = []
    for part in finding.parts:
        name = owner_title(part.owner, lang)
        tag = f"〔{name}〕" if lang == "zh" else f"[{name}] "
        sev = f"{severity_name(part.severity, lang)}·" if lang == "zh" else f"{severity_name(part.severity, lang)}: "
        action = f"{words(lang)['sep']}{part.action}" if part.action else ""
        out.append(f"{sev}{tag}{marked_title(part, lang)}{action}")
    return out


# A to-do list is read by a person: beyond this many findings of one rule and severity in one
# owner's group, the rest are counted, not listed. Criticals get a longer list (each is a job for
# today, but 700 keywords to pause is a sheet, not a list), notes a shorter one (eight "would raise,
# held for the page" lines say no more than three and a count). The JSON report and the bid sheet
# keep every finding.
LIST_PER_SEVERITY = {"critical": 30, "warning": 10, "info": 3}


@dataclass(frozen=True)
class Folded:
    """The findings of one rule left out of a printed list: how many, their severity, money at stake."""

    rule: str
    severity: str
    owner: str
    count: int
    money: float  # 0 when they are in several currencies: amounts in different currencies are never added
    currency: str | None = None  # their money's ISO code (None: the report's)


def listed(findings: list[Finding],
           limits: dict[str, int] = LIST_PER_SEVERITY) -> tuple[list[Finding], list[Folded]]:
    """The findings to print, in their order, and what is counted instead of printed.

    Findings arrive most urgent first (severity, money, rule), so the ones kept are the ones that
    matter most: 4,000 keyword bid changes become the 10 with the most money at stake and one line.
    A to-do a break is told under (its subject's metric changed since yesterday: `change.*` parts)
    is listed past the limit: the break is news, and a counted line would hide it.
    """
    shown: list[Finding] = []
    kept: Counter = Counter()
    rest: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in findings:
        key = (finding.rule, finding.severity, finding.owner)
        if kept[key] < limits[finding.severity]:
            kept[key] += 1
            shown.append(finding)
        elif any(part.rule.startswith("change.") for part in finding.parts):
            shown.append(finding)
        else:
            rest.setdefault(key, []).append(finding)
    folded = []
    for (rule, severity, owner), items in rest.items():
        codes = {item.currency for item in items if item.money}
        money = sum(item.money or 0.0 for item in items) if len(codes) <= 1 else 0.0
        folded.append(Folded(rule, severity, owner, len(items), money, next(iter(codes), None) if money else None))
    return shown, folded


def folded_line(item: Folded, lang: str, currency: str = "CNY", *, named: bool = True) -> str:
    """`……另有 4,567 条 ads.ctr_bid 同类待办（合计约 3,210 元/天）`, with where the full list is.

    `named=False` leaves the rule id out, for a line placed right under that rule's last item.
    """
    w = words(lang)
    money = w["folded_money"].format(money=format_money(item.money, item.currency or currency, lang)) if item.money else ""
    # Bid changes to apply are in the bid sheet; ad notes (raises held for the page) are not.
    bids = item.rule.startswith("ads.") and item.severity != "info"
    where = w["folded_where_ads"] if bids else w["folded_where"]
    template = w["folded"] if named else w["folded_here"]
    return template.format(n=f"{item.count:,}", rule=item.rule, money=money) + where


def owner_title(owner: str, lang: str) -> str:
    return owner_name(owner, lang)


# -- numbers -------------------------------------------------------------------------------------
def _plain_number(value: float, decimals: int = 2) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".")
    return text


def format_percent(value: float, signed: bool = False) -> str:
    pct = value * 100
    decimals = 2 if abs(pct) < 10 else 1
    text = f"{pct:.{decimals}f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if signed and pct > 0:
        text = "+" + text
    return text + "%"


# Symbols written before an amount; ¥ and 元 are CNY's alone (a yen amount is JP¥). Other codes
# follow the amount (`12 CHF`).
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "INR": "₹", "JPY": "JP¥", "KRW": "₩", "CAD": "CA$",
            "AUD": "A$", "HKD": "HK$", "SGD": "S$", "TWD": "NT$", "NZD": "NZ$", "MXN": "MX$", "BRL": "R$"}
_CODES = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "₹": "INR", "RS.": "INR", "RS": "INR"}


def format_money(value: float, currency: str | None, lang: str) -> str:
    """An amount in its currency: `1,234 元` / `¥1,234` for CNY, `$276.15`, `₹201.68`, `€9.5`, `12 CHF`;
    without a known currency, the amount alone (never 元 for money that may not be yuan)."""
    # ¥410.80, not ¥410.8: cents are written as cents; whole amounts and amounts of 1,000 or more
    # without them (an operator rounds those).
    rounded = round(value, 2)
    amount = (f"{value:,.0f}" if abs(value) >= 1000 or float(rounded).is_integer() else f"{rounded:,.2f}")
    code = (currency or "").strip()
    code = _CODES.get(code.upper(), code.upper())
    if code in _CNY:
        return f"{amount} 元" if lang == "zh" else f"¥{amount}"
    if not code or code in ("NAN", "<NA>", "NONE"):
        return amount
    symbol = _SYMBOLS.get(code, currency.strip() if len(currency.strip()) == 1 else None)
    if symbol:
        return f"-{symbol}{amount[1:]}" if amount.startswith("-") else f"{symbol}{amount}"
    return f"{amount} {code}"


def format_count(value: float) -> str:
    return f"{round(value):,}"


def format_value(value: Any, unit: str, *, currency: str = "CNY", lang: str = "en", signed: bool = False) -> str:
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, (int, float)):
        if unit == "percent":
            return format_percent(value, signed)
        if unit == "money":
            return format_money(value, currency, lang)
        if unit == "count":
            return format_count(value)
        if unit == "times":
            return f"{_plain_number(value)} 倍" if lang == "zh" else f"{_plain_number(value)}x"
        return _plain_number(value)
    text = str(value)
    pair = EVIDENCE_VALUES.get(text)
    if pair:
        return pair[0] if lang == "zh" else pair[1]
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…"


def _matches(key: str, names: tuple[str, ...]) -> bool:
    return any(key == name or key.endswith("_" + name) for name in names)


@lru_cache(maxsize=None)
def _template_units(rule_id: str) -> dict[str, str]:
    """Units the rule's own wording gives its placeholders.

    `{value:.1%}` says value is a rate; `{value:.2f}x` or `{value:.2f} 倍` says it is a multiple.
    Reading the rule's wording keeps one place that knows what each number is.
    """
    from shopdoc.rules import get_rule

    rule = get_rule(rule_id)
    units: dict[str, str] = {}
    if rule is None:
        return units
    units.update(rule.units)  # what the rule declares wins over what its wording suggests
    formatter = string.Formatter()
    for by_lang in rule.messages.values():
        for pair in by_lang.values():
            for template in pair:
                try:
                    parts = list(formatter.parse(template))
                except ValueError:
                    continue
                for index, (_, name, spec, _) in enumerate(parts):
                    if not name:
                        continue
                    after = parts[index + 1][0] if index + 1 < len(parts) else ""
                    if name in rule.units:
                        continue
                    if spec and spec.endswith("%"):
                        units[name] = "percent"
                    elif after.startswith("x") or after.lstrip().startswith("倍"):
                        units.setdefault(name, "times")
    return units


def evidence_unit(rule_id: str, key: str) -> str:
    unit = _template_units(rule_id).get(key)
    if unit:
        return unit
    if _matches(key, _PERCENT_KEYS):
        return "percent"
    if _matches(key, _MONEY_KEYS):
        return "money"
    if _matches(key, _COUNT_KEYS):
        return "count"
    return "number"


def evidence_items(finding: Finding, lang: str, currency: str = "CNY") -> list[tuple[str, str]]:
    """The finding's key numbers as (label, written value), in the order the rule gave them; money
    in the finding's own currency when it has one (a USD ad account in a CNY shop)."""
    currency = finding.currency or currency
    items: list[tuple[str, str]] = []
    evidence = finding.evidence
    # The number and the line it was held against come first, then the other labelled numbers. A
    # threshold is shown only beside its value and in the value's unit (a 3% CTR line, not 0.03).
    first = ["value", "threshold"] if "value" in evidence else []
    keys = [key for key in first if key in evidence] + [
        key for key in evidence if key not in ("value", "threshold")
    ]
    for key in keys:
        value = evidence[key]
        label = RULE_EVIDENCE_LABELS.get(finding.rule, {}).get(key) or EVIDENCE_LABELS.get(key)
        if value is None or isinstance(value, (list, dict)) or label is None:
            continue
        name = label[0] if lang == "zh" else label[1]
        unit = evidence_unit(finding.rule, "value" if key == "threshold" else key)
        items.append((name, format_value(value, unit, currency=currency, lang=lang,
                                         signed=_matches(key, _SIGNED_KEYS))))
    return items


def evidence_line(finding: Finding, lang: str, currency: str = "CNY", sep: str = " · ") -> str:
    parts = [f"{label} {value}" for label, value in evidence_items(finding, lang, currency)]
    if finding.money:
        parts.append(words(lang)["money"].format(money=format_money(finding.money, finding.currency or currency, lang)))
    return sep.join(parts)


def age_label(finding: Finding, report_date: str | None, lang: str) -> str | None:
    """'new today' when first seen on the report day, else 'open N days'; nothing without history."""
    if not finding.first_seen or not report_date:
        return None
    if finding.first_seen >= report_date:
        return words(lang)["new"]
    try:
        days = (Date.fromisoformat(report_date) - Date.fromisoformat(finding.first_seen)).days + 1
    except ValueError:
        return None
    if finding.reminder:
        return words(lang)["remind_every"].format(days=days, every=finding.reminder["remind_days"])
    return words(lang)["open_days"].format(days=days)


def headline(report: Report, lang: str) -> list[tuple[str, str]]:
    """The day's key shop numbers that the report has, as (label, written value)."""
    out = []
    for key, unit, zh, en in HEADLINE:
        value = report.metrics.get(key)
        if value is None and key == "shop_aov":
            value = report.metrics.get("aov")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append((zh if lang == "zh" else en, format_value(value, unit, currency=report.currency, lang=lang)))
    return out


def generated(report: Report) -> str:
    """`2026-11-23T07:00:03+08:00` as a person reads it: `2026-11-23 07:00`."""
    return report.generated_at[:16].replace("T", " ")


def summary_line(report: Report, lang: str) -> str:
    from shopdoc.i18n import severity_name

    counts = report.summary
    parts = [f"{severity_name(sev, lang)} {n}" for sev, n in counts.items()]
    return f"{words(lang)['todo'].format(n=len(report.findings))}{words(lang)['sep']}{' · '.join(parts)}"


def head_lines(report: Report, lang: str) -> list[str]:
    """Under the counts: what the run must say first (stale data), the money at stake (each amount
    once), and every default the verdicts rest on."""
    from shopdoc.report.wording import write

    w = words(lang)
    out = [alert.text(lang) for alert in report.alerts]  # stale data: before anything is trusted
    if report.at_stake:
        money = (" + " if lang == "en" else "、").join(
            format_money(amount, code, lang) for code, amount in report.at_stake.items())
        out.append(w["at_stake"].format(money=money))
    for assumption in report.assumptions:
        name = "assumed_margin_net" if "gross_roi" in assumption.values else "assumed_margin"
        title, _ = write("setup.gross_margin", name, assumption.values, lang, report.currency) \
            if assumption.key == "shop.gross_margin" else (assumption.key, "")
        out.append(f"{w['assumed']}{w['sep']}{title}")
    return out


# -- the sections after the findings --------------------------------------------------------------
def rule_skips(report: Report) -> list[Skip]:
    """Rules that did not run at all (no export, missing field, switched off, too little data)."""
    return [skip for skip in report.skipped if not skip.subject]


def holds(report: Report) -> list[tuple[str, int]]:
    """Subjects held for lack of data (keywords, items...), counted per rule in report order."""
    counts = Counter(skip.rule for skip in report.skipped if skip.subject)
    order = {skip.rule: index for index, skip in enumerate(report.skipped)}
    return sorted(counts.items(), key=lambda pair: order[pair[0]])


def input_name(item: InputFile) -> str:
    return f"{item.path} [{item.sheet}]" if item.sheet else item.path


def unused_inputs(report: Report) -> list[tuple[str, str]]:
    out = []
    for item in report.inputs:
        if item.status in UNUSED_STATUSES:
            out.append((input_name(item), item.error or item.status))
    return out


def warning_files(report: Report) -> list[tuple[str, int, str]]:
    """(file, number of data warnings, the first one) for every input with warnings, in the report's language."""
    from shopdoc.errors import warning_line

    return [(input_name(item), len(item.warnings), warning_line(item.warnings[0], report.lang, file=False))
            for item in report.inputs if item.warnings]


def warning_total(report: Report) -> int:
    return sum(len(item.warnings) for item in report.inputs)


def followup_section(report: Report) -> tuple[str, list[str]] | None:
    """(title, lines) of "上周做的事，效果如何" when the history had earlier advice to look at."""
    found = getattr(report, "followup", None)
    if not found or not found.get("lines"):
        return None
    return found["title"], list(found["lines"])
