"""Runs the registered rules over a Dataset and collects findings, skips and metrics.

Rules are pure: they read the Dataset (and history, when given), the configured thresholds, and
emit findings through their RuleContext. They never open files and never print.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any

from shopdoc.config import Config
from shopdoc.dataset import Dataset
from shopdoc.metrics import shop_day
from shopdoc.model import Block, Finding, Skip
from shopdoc.rules import Rule, load_rules


@dataclass
class RunState:
    """What the rules share during one run: metrics and the findings emitted so far."""

    metrics: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)  # bulk verdicts: many subjects, one message each
    # Facts a rule shares with later rules and with the diagnosis (`page.critical`, `ads.judged`…):
    # numbers and names, never sentences.
    facts: dict[str, Any] = field(default_factory=dict)
    assumptions: list[Any] = field(default_factory=list)
    # Work several rules of one family need (e.g. the ad report summed per keyword), computed once
    # per run; keys are the family's own. Never reaches the report.
    cache: dict[Any, Any] = field(default_factory=dict)


class RuleContext:
    """Everything one rule may use, and the only way it reports what it found."""

    def __init__(
        self,
        rule: Rule,
        config: Config,
        dataset: Dataset,
        date: str | None,
        lang: str,
        state: RunState,
        history: Any = None,
    ):
        self.rule = rule
        self.config = config
        self.settings = config.rule_settings(rule.id)
        self.dataset = dataset
        self.date = date
        self.lang = lang
        self.state = state
        self.history = history

    # -- reading -------------------------------------------------------------------------------
    def param(self, name: str) -> Any:
        return self.settings[name]

    @property
    def metrics(self) -> dict[str, Any]:
        return self.state.metrics

    def t(self, zh: str, en: str) -> str:
        """Inline wording for short phrases; whole messages belong in the rule's `messages`."""
        return zh if self.lang == "zh" else en

    def shop_day(self) -> dict[str, Any]:
        """The shop's metrics on the report day, worked out once per run for every rule."""
        key = ("shop_day", self.date)
        if key not in self.state.cache:
            self.state.cache[key] = shop_day(self.dataset, self.date)
        return dict(self.state.cache[key])

    def has_critical(self, rule_id: str) -> bool:
        """Whether a rule that ran earlier already found something critical (e.g. page health)."""
        return any(f.rule == rule_id and f.severity == "critical" for f in self.state.findings) or any(
            b.rule == rule_id and b.severity == "critical" for b in self.state.blocks)

    # -- reporting -----------------------------------------------------------------------------
    def finding(
        self,
        msg: str,
        subject: str,
        evidence: dict[str, Any],
        *,
        facet: str | None = None,
        severity: str | None = None,
        owner: str | None = None,
        money: float | None = None,
        currency: str | None = None,
        **values: Any,
    ) -> Finding:
        """Emit one to-do, worded later from the rule's `messages[msg]` in the report language.

        `severity=None` means the rule's configured severity (its main finding); pass a fixed
        severity ("info") for the notes a rule adds beside it. Templates see `evidence` and `values`.
        `facet` tells two findings of one rule on one subject apart (its key: rule subject facet).
        """
        if msg not in self.rule.messages:
            raise KeyError(f"{self.rule.id}: no wording for message {msg!r}")
        finding = Finding(
            rule=self.rule.id,
            severity=severity or self.settings["severity"],
            owner=owner or self.settings["owner"],
            subject=subject,
            evidence=_plain(evidence),
            money=None if money is None or money != money else float(money),
            order=self.rule.order,
            msg=msg,
            values=values,
            facet=facet,
            currency=currency,
        )
        self.state.findings.append(finding)
        return finding

    def emit(
        self,
        msg: str,
        frame: Any,
        *,
        evidence: list[str] | tuple[str, ...],
        level: str,
        severity: str | None = None,
        owner: str | None = None,
        **values: Any,
    ) -> Block | None:
        """Emit one verdict on many subjects at once: `frame` has a row per subject (see `model.Block`).

        Nothing is made per row: the diagnosis groups the rows into to-dos (per `group`, or one for
        the account), and the rows themselves are the details and the bid sheet.
        """
        if frame is None or not len(frame):
            return None
        for name in ("subject", "money"):
            if name not in frame.columns:
                raise KeyError(f"{self.rule.id}: emit({msg!r}) needs a {name!r} column")
        if msg not in self.rule.messages:
            raise KeyError(f"{self.rule.id}: no wording for message {msg!r}")
        block = Block(
            rule=self.rule.id, msg=msg, frame=frame.reset_index(drop=True),
            severity=severity or self.settings["severity"], owner=owner or self.settings["owner"],
            order=self.rule.order, level=level, evidence=tuple(evidence), values=values,
        )
        self.state.blocks.append(block)
        return block

    def skip(self, reason: str, subject: str | None = None) -> None:
        self.state.skipped.append(Skip(self.rule.id, reason, subject))


def _plain(value: Any) -> Any:
    """Evidence as JSON-ready plain values (numpy scalars to Python, NaN to None, floats rounded)."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:  # fast path: thousands of ad findings
        return value
    if kind is float:
        return None if value != value else round(value, 4)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return round(value, 4)
    return value


def _needs_reason(rule: Rule, dataset: Dataset, lang: str) -> str | None:
    for kind, fields in rule.needs.items():
        if dataset.frame(kind) is None:
            return f"没有 {kind} 导出" if lang == "zh" else f"no {kind} export"
        missing = dataset.missing(kind, fields)
        if missing:
            names = ", ".join(missing)
            return f"缺少字段：{kind}.{names}" if lang == "zh" else f"skipped, needs {kind}.{names}"
    return None


def skipped_for_missing(dataset: Dataset, lang: str = "en") -> list[Skip]:
    """Rules that will be skipped for want of a kind or field (for `shopdoc inspect`)."""
    return [
        Skip(rule.id, reason)
        for rule in load_rules()
        if (reason := _needs_reason(rule, dataset, lang))
    ]


def report_currency(dataset: Dataset, config: Config) -> str:
    """How the report writes money that carries no currency of its own (the head's AOV and sales):
    `shop.currency` when the user set it, else the one currency of the shop's own exports (an
    Amazon.com Business Report is in USD), else the default (CNY)."""
    if not config.is_set("shop", "currency"):
        code = dataset.currency()
        if code:
            return code
    return config.get("shop", "currency") or "CNY"


def run_rules(
    dataset: Dataset,
    config: Config,
    date: str | None,
    lang: str,
    history: Any = None,
    metrics: dict[str, Any] | None = None,
) -> RunState:
    state = RunState(metrics=dict(metrics or {}))
    for rule in load_rules():
        if not config.rule_enabled(rule.id):
            state.skipped.append(Skip(rule.id, "配置中已关闭" if lang == "zh" else "switched off in config"))
            continue
        reason = _needs_reason(rule, dataset, lang)
        if reason:
            state.skipped.append(Skip(rule.id, reason))
            continue
        context = RuleContext(rule, config, dataset, date, lang, state, history)
        try:
            rule.func(context)
        except Exception as exc:  # one broken rule must not cost the operator the whole morning list
            if os.environ.get("SHOPDOC_DEBUG"):
                raise
            print(f"shopdoc: rule {rule.id} failed ({type(exc).__name__}: {exc}); "
                  "its findings are missing — please report this", file=sys.stderr)
            state.skipped.append(Skip(rule.id, f"internal error: {type(exc).__name__}: {exc}"))
    from shopdoc.diagnosis import compose
    from shopdoc.report.wording import word

    compose(state, config, lang)
    state.findings.sort(key=Finding.sort_key)
    word(state.findings, lang, report_currency(dataset, config))
    return state
