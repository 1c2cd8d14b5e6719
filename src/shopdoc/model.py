"""Plain data that flows from the importers through the rules to the reporters.

Nothing here computes anything: rules fill these in, reporters render them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from shopdoc.errors import location

Severity = Literal["critical", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("critical", "warning", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}

# Who acts on a finding (the document's afternoon step: hand each problem to the team that acts).
OWNERS = ("operations", "promotion", "design", "service", "content")

KINDS = ("shop_daily", "item_daily", "traffic_source", "ad_report", "review", "dsr", "ad_settings")


@dataclass
class DataWarning:
    """A value that cannot be right, or a quirk the user should know about."""

    file: str
    reason: str
    row: int | None = None  # 1-based row number as the user sees it in Excel
    column: str | None = None  # the source column header
    value: str | None = None
    sheet: str | None = None
    code: str | None = None  # the catalogue code of `reason` (shopdoc.messages), for programs reading the JSON

    def line(self) -> str:
        value = f" ({self.value!r})" if self.value is not None else ""
        return f"{location(self.file, self.sheet, self.row, self.column)}: {self.reason}{value}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class InputFile:
    """How one file (or one sheet of a workbook) was read."""

    path: str
    kind: str | None = None
    sheet: str | None = None
    rows: int = 0
    status: Literal["ok", "error", "unrecognised", "empty"] = "ok"
    warnings: list[DataWarning] = field(default_factory=list)
    error: str | None = None
    error_code: str | None = None  # the catalogue code of `error` (shopdoc.messages)
    file_format: str | None = None  # xlsx, xls, html, csv, zip:csv ...
    encoding: str | None = None
    header_row: int | None = None  # 1-based
    columns: dict[str, str | None] = field(default_factory=dict)  # source header -> canonical field
    dates: list[str] = field(default_factory=list)
    level: str | None = None  # ad_report: "campaign" or "keyword"
    currency: str | None = None  # ISO code of the file's money (None: unknown, or no money in it)
    dates_from: str | None = None  # `column:统计日期`, `description:<line>`, `file name:<name>`, `download date:<line>`
    currency_from: str | None = None  # column | cells | header | config | platform | unknown; None: no money

    def to_dict(self) -> dict[str, Any]:
        """The JSON report's `inputs` entry (SPEC §5)."""
        out: dict[str, Any] = {
            "path": self.path,
            "kind": self.kind,
            "sheet": self.sheet,
            "rows": self.rows,
            "status": self.status,
            "warnings": [w.to_dict() for w in self.warnings],
        }
        if self.error:
            out["error"] = self.error
        if self.error_code:
            out["error_code"] = self.error_code
        return out


def finding_key(rule: str, subject: str, facet: str | None = None) -> str:
    """`rule subject[ facet]`: unique in a report; history, snooze and first_seen use it."""
    return f"{rule} {subject} {facet}" if facet else f"{rule} {subject}"


@dataclass
class Finding:
    """One item on the to-do list as printed: one subject, or many subjects sharing one verdict.

    Rules hand over the message key (`msg`) and the values; `title` and `action` are written once,
    by `shopdoc.wording`, in the report's language, only for the to-dos that are printed.
    """

    rule: str
    severity: Severity
    owner: str
    subject: str  # shop | item:<id> | campaign:<name> | keyword:<campaign>/<kw> | source:<name> | review:<id>
    title: str = ""
    action: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    money: float | None = None  # estimated money at stake per day, counted once in the report's total
    first_seen: str | None = None  # set when history is on
    order: int = 0  # the rule's position in the registry, for stable ordering
    msg: str = ""  # the rule's message key the wording comes from
    values: dict[str, Any] = field(default_factory=dict)  # what the wording needs beyond the evidence
    facet: str | None = None  # which side of a subject (e.g. DSR `below_peer` / `falling`): makes the key unique
    currency: str | None = None  # ISO code of `money` (None: the shop's currency)
    count: int = 1  # subjects this to-do stands for (a grouped to-do: > 1)
    worst: list[dict[str, Any]] = field(default_factory=list)  # grouped: the worst few {subject, name, money}
    members: list[str] = field(default_factory=list)  # keys of findings folded into this one (one story)
    parts: list["Finding"] = field(default_factory=list)  # the folded findings, printed as "还有：…" lines
    urgent: bool = False  # the document says "as fast as possible": printed in "Do these first"
    provisional: bool = False  # rests on a default the user never set (see Report.assumptions)
    within: str | None = None  # key of the to-do whose money already counts this one's (not added twice)
    # An old problem at its rule's cadence (`shopdoc.reminders`): {age_days, remind_days, held, next};
    # held = printed as one line under "still open" today, in full again on `next`.
    reminder: dict[str, Any] | None = None

    @property
    def key(self) -> str:
        return finding_key(self.rule, self.subject, self.facet)

    def sort_key(self) -> tuple:
        money = -(self.money or 0.0)
        # "and N more" (the rest of a verdict listed one by one) comes after the ones listed
        rest = 1 if self.values.get("rest") else 0
        return (SEVERITY_RANK[self.severity], rest, money, self.order)

    def to_dict(self, currency: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "rule": self.rule,
            "severity": self.severity,
            "owner": self.owner,
            "subject": self.subject,
            "title": self.title,
            "action": self.action,
            "evidence": self.evidence,
        }
        if self.facet:
            out["facet"] = self.facet
        if self.money is not None:
            out["money"] = {"amount": round(self.money, 2), "currency": self.currency or currency, "per": "day"}
        if self.count != 1 or self.worst:
            out["count"] = self.count
            out["worst"] = self.worst
        if self.members:
            out["members"] = self.members
        if self.parts:
            out["parts"] = [part.to_dict(currency) for part in self.parts]
        if self.provisional:
            out["provisional"] = True
        if self.within:
            out["within"] = self.within
        if self.first_seen is not None:
            out["first_seen"] = self.first_seen
        if self.reminder is not None:
            out["reminder"] = self.reminder
        return out


@dataclass
class Block:
    """Many subjects, one verdict: what a rule emits in bulk (`RuleContext.emit`).

    `frame` has one row per subject: `subject`, `money` (per day, NaN: none), the `evidence` columns,
    and optionally `facet`, `currency`, `group` (what a grouped to-do is per: the campaign of a
    keyword), `name` (how a worst-few list names the subject), `item_id` (links it to an item).
    The printed to-dos are composed from blocks (`shopdoc.diagnosis`); the rows themselves are the
    report's `details`, the bid sheet and `--details FILE`.
    """

    rule: str
    msg: str
    frame: Any  # pandas.DataFrame
    severity: Severity
    owner: str
    order: int
    level: str
    evidence: tuple[str, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.frame)


@dataclass
class Assumption:
    """A default the user never set that a verdict rests on; said in the report's head."""

    key: str  # e.g. `shop.gross_margin`
    values: dict[str, Any] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)  # rules whose findings rest on it

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "values": self.values, "rules": self.rules}


@dataclass
class Skip:
    """A rule (or one subject of it) that stayed silent, and why."""

    rule: str
    reason: str
    subject: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"rule": self.rule, "reason": self.reason}
        if self.subject:
            out["subject"] = self.subject
        return out


@dataclass
class Report:
    shop: str
    date: str | None
    generated_at: str
    lang: str
    inputs: list[InputFile] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)  # the to-dos as printed
    blocks: list[Block] = field(default_factory=list)  # every subject of the bulk verdicts (details, bid sheet)
    assumptions: list[Assumption] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    alerts: list[Any] = field(default_factory=list)  # freshness.Alert (stale data): said first, worded at render time
    checklist: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # run-level notes (history off, snoozed count...)
    details_file: str | None = None  # --details FILE: the rows are there, not in the JSON
    # Earlier advice, applied or not and whether it worked (rule followup.outcomes, with history):
    # {"applied": {...} | None, "outcomes": [...], "title": ..., "lines": [...]} worded by report.wording.
    followup: dict[str, Any] | None = None
    currency: str = "CNY"  # shop.currency: how reporters write money; not part of the JSON contract

    @property
    def summary(self) -> dict[str, int]:
        counts = {name: 0 for name in SEVERITIES}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    @property
    def at_stake(self) -> dict[str, float]:
        """Money at stake per day and currency, each amount counted once.

        Notes (info) are not at stake; a to-do whose money is already inside another's (`within`:
        a keyword inside its plan's story, a source shift inside the GMV change) is not added again.
        """
        totals: dict[str, float] = {}
        for finding in self.findings:
            if finding.severity == "info" or finding.within or not finding.money:
                continue
            code = finding.currency or self.currency
            totals[code] = totals.get(code, 0.0) + finding.money
        return totals

    @property
    def failed_inputs(self) -> list[InputFile]:
        return [item for item in self.inputs if item.status == "error"]

    def to_dict(self, *, lazy_details: bool = False) -> dict[str, Any]:
        """The JSON report (SPEC §5, `schema/report-2.schema.json`); `lazy_details`: the details
        tables as an iterator that makes each as it is asked for, for a writer that writes them one
        at a time (`report.render_json_bytes`)."""
        from shopdoc.details import details_tables

        return {
            "schema": "shopdoc.report/2",
            "shop": self.shop,
            "date": self.date,
            "generated_at": self.generated_at,
            "lang": self.lang,
            "alerts": [alert.to_dict(self.lang) for alert in self.alerts],
            "inputs": [item.to_dict() for item in self.inputs],
            "metrics": self.metrics,
            "currency": self.currency,
            "assumptions": [item.to_dict() for item in self.assumptions],
            "findings": [finding.to_dict(self.currency) for finding in self.findings],
            "details": [] if self.details_file else (details_tables(self.blocks) if lazy_details
                                                      else list(details_tables(self.blocks))),
            **({"details_file": self.details_file} if self.details_file else {}),
            **({"followup": self.followup} if self.followup else {}),
            "skipped": [skip.to_dict() for skip in self.skipped],
            "checklist": self.checklist,
            "notes": self.notes,
            "summary": {**self.summary, "todos": len(self.findings),
                        "at_stake": [{"amount": round(amount, 2), "currency": code, "per": "day"}
                                     for code, amount in self.at_stake.items()]},
        }
