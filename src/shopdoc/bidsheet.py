"""The bid sheet: the ad rules' proposed bid changes as a table an operator applies in the ad console.

Render only: every number comes from a finding's evidence (`ads.ctr_bid`, `ads.roi_breakeven`);
nothing is computed here. One row per keyword or plan; when both rules propose a cut for the same
one, the lower bid wins and both reasons are kept. Held raises (pages failing) are not in the sheet.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from shopdoc.errors import UsageError
from shopdoc.model import Finding, Report
from shopdoc.neutral import csv_cell, xlsx_cell

BID_RULES = ("ads.ctr_bid", "ads.roi_breakeven")

COLUMNS = ("level", "campaign", "ad_group", "keyword", "current_bid", "suggested_bid", "change", "ctr",
           "account_ctr", "roi", "reason")

HEADERS = {
    "zh": ("层级", "推广计划", "推广单元", "关键词", "当前出价", "建议出价", "调整幅度", "点击率", "账户平均点击率",
           "投产比", "原因"),
    "en": ("Level", "Campaign", "Ad group", "Keyword", "Current bid", "Suggested bid", "Change", "CTR",
           "Account CTR", "ROI", "Reason"),
}
LEVELS = {"zh": {"campaign": "计划", "keyword": "关键词"}, "en": {"campaign": "Campaign", "keyword": "Keyword"}}
SHEET_TITLE = {"zh": "出价调整", "en": "Bid changes"}
PERCENT_COLUMNS = ("change", "ctr", "account_ctr")


def bid_rows(report: Report) -> list[dict[str, Any]]:
    """One dict per proposed bid change (keys: COLUMNS), sorted by level, plan, unit and keyword."""
    chosen: dict[tuple, dict[str, Any]] = {}
    for finding in report.findings:
        row = _row(finding, report.lang)
        if row is None:
            continue
        key = (row["level"], row["campaign"], row["ad_group"], row["keyword"])
        kept = chosen.get(key)
        if kept is None:
            chosen[key] = row
            continue
        # Two rules on one keyword (low CTR and under break-even): apply the lower bid, keep both reasons.
        low, other = (row, kept) if row["suggested_bid"] < kept["suggested_bid"] else (kept, row)
        chosen[key] = {**low, "reason": f"{low['reason']}；{other['reason']}" if report.lang == "zh"
                       else f"{low['reason']}; {other['reason']}"}
    order = {"campaign": 0, "keyword": 1}
    return sorted(chosen.values(),
                  key=lambda r: (order.get(r["level"], 2), r["campaign"], r["ad_group"], r["keyword"]))


def _row(finding: Finding, lang: str) -> dict[str, Any] | None:
    evidence = finding.evidence
    if finding.rule not in BID_RULES or evidence.get("held") or evidence.get("suggested_bid") is None:
        return None
    if evidence.get("current_bid") is None:
        return None
    return {
        "level": evidence.get("level") or "",
        "campaign": evidence.get("campaign") or "",
        "ad_group": evidence.get("ad_group") or "",
        "keyword": evidence.get("keyword") or "",
        "current_bid": evidence["current_bid"],
        "suggested_bid": evidence["suggested_bid"],
        "change": evidence.get("change"),
        "ctr": evidence.get("ctr"),
        "account_ctr": evidence.get("account_ctr"),
        "roi": evidence.get("roi"),
        "reason": finding.title,
    }


def write_bid_sheet(report: Report, path: str) -> int:
    """Write the bid changes to `path` (.csv as UTF-8 with BOM so Excel shows Chinese, or .xlsx).

    Returns the number of rows written (0 still writes the header, so yesterday's sheet is not
    mistaken for today's). Raises UsageError for another extension or a path that cannot be written.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise UsageError("--bid-sheet: use a .csv or .xlsx file name")
    lang = report.lang if report.lang in HEADERS else "en"
    rows = bid_rows(report)
    try:
        if suffix == ".csv":
            _write_csv(rows, path, lang)
        else:
            _write_xlsx(rows, path, lang)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageError(f"--bid-sheet: cannot write {path}: {reason}") from None
    return len(rows)


def _cells(row: dict[str, Any], lang: str) -> list[Any]:
    return [LEVELS[lang].get(row["level"], row["level"]) if name == "level" else row[name] for name in COLUMNS]


def _write_csv(rows: list[dict[str, Any]], path: str, lang: str) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS[lang])
        for row in rows:
            writer.writerow([_csv_value(name, value) for name, value in zip(COLUMNS, _cells(row, lang))])


def _csv_value(name: str, value: Any) -> str:
    """Text Excel reads back as numbers: '1.32', '-10.0%', '2.35%'."""
    if value is None:
        return ""
    if name in PERCENT_COLUMNS:
        return f"{value:+.1%}" if name == "change" else f"{value:.2%}"
    if name in ("current_bid", "suggested_bid", "roi"):
        return f"{value:.2f}"
    return csv_cell(str(value))  # export text: never a live formula (OWASP CSV injection)


def _write_xlsx(rows: list[dict[str, Any]], path: str, lang: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE[lang]
    sheet.append(list(HEADERS[lang]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    formats = {"current_bid": "0.00", "suggested_bid": "0.00", "roi": "0.00", "change": "+0.0%;-0.0%",
               "ctr": "0.00%", "account_ctr": "0.00%"}
    for row in rows:
        sheet.append(_cells(row, lang))
        for index, name in enumerate(COLUMNS, start=1):
            if name in formats:
                sheet.cell(row=sheet.max_row, column=index).number_format = formats[name]
            else:
                xlsx_cell(sheet.cell(row=sheet.max_row, column=index))  # text, never a formula
    widths = {"campaign": 24, "ad_group": 18, "keyword": 24, "reason": 60}
    for index, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = widths.get(name, 12)
    sheet.freeze_panes = "A2"
    import io

    buffer = io.BytesIO()  # built in memory, written in one go: a full disk is one OSError, not a half zip
    workbook.save(buffer)
    Path(path).write_bytes(buffer.getvalue())
