"""The portfolio: every shop of `shops:` on one page, ranked by what needs attention first.

Each shop is summed up in one `ShopLine` (plain data, from its Report or from why it failed);
`rank` orders them (shops that failed first: they have no list at all; then by criticals, then by
money at stake per day, then by warnings); `render` writes the page as text, markdown, JSON or HTML;
`chat_digest` is the same page as the first chat message, and `team_digest` one team's share of a
shop (its to-dos and the shop's one-line summary) for `owners:` routing.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from shopdoc.chat.layout import Digest, mark

if TYPE_CHECKING:
    from shopdoc.config import Config
    from shopdoc.model import Report

SCHEMA = "shopdoc.portfolio/1"

_WORDS = {
    "zh": {
        "title": "店铺总览 · {n} 家店",
        "failed": "没跑出来",
        "ranked": "按紧急程度排序",
        "failed_shops": "没跑出来的店",
        "counts": "严重 {critical} · 警告 {warning}",
        "stake": "每天涉及 {money}",
        "gmv": "支付金额 {gmv}",
        "target": " / 日目标 {target}（{ratio:.0%}）",
        "day": "数据日 {day}",
        "age_today": "今天的数据",
        "age": "数据已 {n} 天",
        "top": "先做：{title}",
        "none": "今天没有待办",
        "inputs": "{n} 个文件没读进来",
        "report": "报告：{path}",
        "sum": "{ok} 家出了报告，{failed} 家失败；严重 {critical} 项",
        "sep": "；",
    },
    "en": {
        "title": "Shops overview · {n} shops",
        "failed": "Failed",
        "ranked": "Most urgent first",
        "failed_shops": "Shops that failed",
        "counts": "{critical} critical · {warning} warnings",
        "stake": "{money} a day at stake",
        "gmv": "GMV {gmv}",
        "target": " / day target {target} ({ratio:.0%})",
        "day": "day {day}",
        "age_today": "data from today",
        "age": "data {n} days old",
        "age_one": "data 1 day old",
        "top": "first: {title}",
        "none": "nothing to do today",
        "inputs": "{n} files not read",
        "report": "report: {path}",
        "sum": "{ok} shops reported, {failed} failed; {critical} critical",
        "sep": "; ",
    },
}


def words(lang: str) -> dict[str, str]:
    return _WORDS.get(lang, _WORDS["en"])


@dataclass
class ShopLine:
    """One shop's line in the portfolio: how its run went and what needs doing first."""

    shop: str
    ok: bool
    error: str | None = None  # why the shop has no report (one line)
    date: str | None = None
    data_age: int | None = None  # days between the latest day in its data and today
    critical: int = 0
    warning: int = 0
    info: int = 0
    at_stake: dict[str, float] = field(default_factory=dict)  # per day, per currency
    currency: str = "CNY"
    gmv: float | None = None
    target: float | None = None  # the day's share of the monthly target (rules.sales.daily_target)
    top: str | None = None  # the first to-do's title
    top_owner: str | None = None
    failed_inputs: int = 0  # exports that could not be read (the report was still produced)
    output: str | None = None  # where its report was written
    exit_code: int = 0

    @property
    def money(self) -> float:
        """Money at stake per day, in the shop's currency where it has one (the ranking's second key)."""
        return self.at_stake.get(self.currency, sum(self.at_stake.values()))

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["at_stake"] = [{"amount": round(amount, 2), "currency": code, "per": "day"}
                           for code, amount in self.at_stake.items()]
        for name in ("gmv", "target"):
            if out[name] is not None:
                out[name] = round(out[name], 2)
        return out

    def summary(self, lang: str) -> str:
        """The shop on one line: counts, money at stake, GMV against target, day and data age."""
        from shopdoc.report._format import format_money

        w = words(lang)
        if not self.ok:
            return f"{self.shop}{w['sep']}{w['failed']}{_colon(lang)}{self.error}"
        parts = [self.shop, w["counts"].format(critical=self.critical, warning=self.warning)]
        if self.at_stake:
            money = (" + " if lang == "en" else "、").join(
                format_money(amount, code, lang) for code, amount in self.at_stake.items())
            parts.append(w["stake"].format(money=money))
        if self.gmv is not None:
            text = w["gmv"].format(gmv=format_money(self.gmv, self.currency, lang))
            if self.target:
                text += w["target"].format(target=format_money(self.target, self.currency, lang),
                                           ratio=self.gmv / self.target)
            parts.append(text)
        if self.date:
            parts.append(w["day"].format(day=self.date) + self._age(w))
        if self.failed_inputs:
            parts.append(w["inputs"].format(n=self.failed_inputs))
        return " · ".join(parts)

    def _age(self, w: dict[str, str]) -> str:
        if self.data_age is None:
            return ""
        if self.data_age <= 0:
            return " · " + w["age_today"]
        return " · " + w["age_one" if self.data_age == 1 and "age_one" in w else "age"].format(n=self.data_age)


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def shop_line(report: "Report", config: "Config | None" = None, *, output: str | None = None,
              exit_code: int = 0) -> ShopLine:
    """A shop's line from its report (the config gives the GMV target)."""
    from shopdoc.freshness import data_age

    last = max((day for item in report.inputs for day in (item.dates or [])), default=report.date)
    counts = report.summary
    top = report.findings[0] if report.findings else None
    gmv = report.metrics.get("gmv")
    return ShopLine(
        shop=report.shop, ok=True, date=report.date, data_age=data_age(last),
        critical=counts.get("critical", 0), warning=counts.get("warning", 0), info=counts.get("info", 0),
        at_stake=dict(report.at_stake), currency=report.currency,
        gmv=float(gmv) if isinstance(gmv, (int, float)) and gmv == gmv else None,
        target=day_target(config, report.date) if config is not None else None,
        top=top.title if top else None, top_owner=top.owner if top else None,
        failed_inputs=sum(1 for item in report.inputs if item.status in ("error", "unrecognised")),
        output=output, exit_code=exit_code,
    )


def failed_line(shop: str, error: str, exit_code: int = 2) -> ShopLine:
    return ShopLine(shop=shop, ok=False, error=error, exit_code=exit_code)


def day_target(config: "Config", day: str | None) -> float | None:
    """The day's GMV target of a shop (its monthly target split as `sales.daily_target` splits it)."""
    if not day:
        return None
    settings = config.rule_settings("sales.daily_target")
    monthly = settings.get("monthly_target")
    if not monthly:
        return None
    from shopdoc.rules.sales import day_target as split

    return split(day, monthly, settings.get("weights"))


def rank(lines: list[ShopLine]) -> list[ShopLine]:
    """Failed shops first (they have no list at all), then most criticals, most money at stake, most
    warnings; ties keep the config's order. Money in different currencies is compared as written."""
    order = {id(line): index for index, line in enumerate(lines)}
    return sorted(lines, key=lambda line: (line.ok, -line.critical, -line.money, -line.warning, order[id(line)]))


# -- rendering ------------------------------------------------------------------------------------
def render(lines: list[ShopLine], fmt: str, lang: str, *, generated_at: str | None = None) -> str:
    ranked = rank(lines)
    if fmt == "json":
        return json.dumps(to_dict(ranked, generated_at), ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return _markdown(ranked, lang)
    if fmt == "html":
        return _html(ranked, lang)
    return _text(ranked, lang)  # text and rich


def to_dict(ranked: list[ShopLine], generated_at: str | None = None) -> dict[str, Any]:
    ok = [line for line in ranked if line.ok]
    totals: dict[str, float] = {}
    for line in ok:
        for code, amount in line.at_stake.items():
            totals[code] = totals.get(code, 0.0) + amount
    return {
        "schema": SCHEMA,
        "generated_at": generated_at,
        "shops": [{"rank": index, **line.to_dict()} for index, line in enumerate(ranked, 1)],
        "summary": {"shops": len(ranked), "ok": len(ok), "failed": len(ranked) - len(ok),
                    "critical": sum(line.critical for line in ok), "warning": sum(line.warning for line in ok),
                    "at_stake": [{"amount": round(amount, 2), "currency": code, "per": "day"}
                                 for code, amount in totals.items()]},
    }


def _head(ranked: list[ShopLine], lang: str) -> tuple[str, str]:
    w = words(lang)
    ok = [line for line in ranked if line.ok]
    return (w["title"].format(n=len(ranked)),
            w["sum"].format(ok=len(ok), failed=len(ranked) - len(ok), critical=sum(line.critical for line in ok)))


def _top(line: ShopLine, lang: str) -> str:
    w = words(lang)
    if not line.ok:
        return ""
    return w["top"].format(title=line.top) if line.top else w["none"]


def _text(ranked: list[ShopLine], lang: str) -> str:
    title, total = _head(ranked, lang)
    out = [title, total, ""]
    for index, line in enumerate(ranked, 1):
        out.append(f"{index}. {line.summary(lang)}")
        if line.ok:
            out.append(f"   {_top(line, lang)}")
            if line.output:
                out.append("   " + words(lang)["report"].format(path=line.output))
    return "\n".join(out) + "\n"


def _markdown(ranked: list[ShopLine], lang: str) -> str:
    from shopdoc.chat.escape import markdown as md

    title, total = _head(ranked, lang)
    out = [f"## {md(title)}", "", md(total), ""]
    for index, line in enumerate(ranked, 1):
        if not line.ok:
            out.append(f"{index}. **{md(line.shop)}** — {md(words(lang)['failed'])}{_colon(lang)}{md(line.error)}")
            continue
        rest = md(line.summary(lang)[len(line.shop):].lstrip(" ·"))
        out.append(f"{index}. **{md(line.shop)}** · {rest}  \n   {md(_top(line, lang))}")
    return "\n".join(out) + "\n"


def _html(ranked: list[ShopLine], lang: str) -> str:
    from html import escape

    title, total = _head(ranked, lang)
    rows = "\n".join(
        f"<tr><td>{index}</td><td>{escape(line.shop)}</td><td>{escape(line.summary(lang)[len(line.shop):].lstrip(' ·;；'))}</td>"
        f"<td>{escape(_top(line, lang))}</td></tr>"
        for index, line in enumerate(ranked, 1))
    return (f"<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title></head>"
            f"<body><h1>{escape(title)}</h1><p>{escape(total)}</p>\n<table>\n{rows}\n</table></body></html>\n")


# -- chat -----------------------------------------------------------------------------------------
def chat_digest(lines: list[ShopLine], lang: str, day: str | None = None) -> "Digest":
    """The portfolio as one chat report: the shops that failed (each with why), then one line per
    shop, most urgent first, each with its top to-do."""
    from shopdoc.chat.escape import clean
    from shopdoc.chat.layout import Counts, Item

    ranked = rank(lines)
    title, total = _head(ranked, lang)
    w = words(lang)
    ok = [line for line in ranked if line.ok]
    pieces: list[Any] = [Counts(critical=sum(line.critical for line in ok), warning=sum(line.warning for line in ok),
                                info=sum(line.info for line in ok))]
    pieces += [Item(severity="critical", owner=w["failed_shops"], title=clean(line.shop), action=clean(line.error or ""))
               for line in ranked if not line.ok]
    for index, line in enumerate(ok, 1):
        severity = "critical" if line.critical else "warning" if line.warning else "info"
        pieces.append(Item(severity=severity, owner=w["ranked"], title=clean(f"{index}. {line.summary(lang)}"),
                           action=clean(_top(line, lang))))
    return _Portfolio(shop=clean(title), date=day or "", lang=lang, pieces=tuple(pieces))


class _Portfolio(Digest):
    """A Digest whose header is the portfolio's own ("店铺总览 · 3 家店 · 2026-11-22")."""

    def title(self, page: int = 1, pages: int = 1) -> str:
        return " · ".join(part for part in (self.shop, self.date) if part) + mark(self.lang, page, pages)


def team_digest(report: "Report", owners: list[str] | None, line: ShopLine, *, default: bool = False) -> "Digest":
    """One team's message of a shop: only the to-dos of `owners` (None: all of them), with the shop's
    one-line summary on top. The shop's `default` target (the to-dos no team is routed) also gets
    the daily checklist."""
    from shopdoc.chat.escape import clean
    from shopdoc.chat.layout import Skipped, digest

    findings = [finding for finding in report.findings if owners is None or finding.owner in owners]
    part = replace(report, findings=findings, checklist=report.checklist if default else [])
    chat = digest(part)
    note = Skipped(0, (), (clean(line.summary(report.lang)),))
    pieces = tuple(note if isinstance(piece, Skipped) else piece for piece in chat.pieces)
    return replace(chat, pieces=pieces)
