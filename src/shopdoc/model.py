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

KINDS = ("shop_daily", "item_daily", "traffic_source", "ad_report", "review", "dsr")


@dataclass
class DataWarning:
    """A value that cannot be right, or a quirk the user should know about."""

    file: str
    reason: str
    row: int | None = None  # 1-based row number as the user sees it in Excel
    column: str | None = None  # the source column header
    value: str | None = None
    sheet: str | None = None

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
        return out


@dataclass
class Finding:
    """One item on the to-do list."""

    rule: str
    severity: Severity
    owner: str
    subject: str  # shop | item:<id> | campaign:<name> | keyword:<campaign>/<kw> | source:<name> | review:<id>
    title: str
    action: str
    evidence: dict[str, Any] = field(default_factory=dict)
    money: float | None = None  # estimated money at stake per day, for ordering
    first_seen: str | None = None  # set when history is on
    order: int = 0  # the rule's position in the registry, for stable ordering

    def sort_key(self) -> tuple:
        money = -(self.money or 0.0)
        return (SEVERITY_RANK[self.severity], money, self.order)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity,
            "owner": self.owner,
            "subject": self.subject,
            "title": self.title,
            "action": self.action,
            "evidence": self.evidence,
        }
        if self.money is not None:
            out["money"] = round(self.money, 2)
        if self.first_seen is not None:
            out["first_seen"] = self.first_seen
        return out


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
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    alerts: list[Any] = field(default_factory=list)  # freshness.Alert (stale data): said first, worded at render time
    checklist: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # run-level notes (history off, snoozed count...)
    currency: str = "CNY"  # shop.currency: how reporters write money; not part of the JSON contract

    @property
    def summary(self) -> dict[str, int]:
        counts = {name: 0 for name in SEVERITIES}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    @property
    def failed_inputs(self) -> list[InputFile]:
        return [item for item in self.inputs if item.status == "error"]

    def to_dict(self) -> dict[str, Any]:
        """The JSON report (SPEC §5)."""
        return {
            "schema": "shopdoc.report/1",
            "shop": self.shop,
            "date": self.date,
            "generated_at": self.generated_at,
            "lang": self.lang,
            "alerts": [alert.to_dict(self.lang) for alert in self.alerts],
            "inputs": [item.to_dict() for item in self.inputs],
            "metrics": self.metrics,
            "findings": [finding.to_dict() for finding in self.findings],
            "skipped": [skip.to_dict() for skip in self.skipped],
            "checklist": self.checklist,
            "notes": self.notes,
            "summary": self.summary,
        }
