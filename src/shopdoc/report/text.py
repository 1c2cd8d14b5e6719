"""Plain text: stable, cron- and pipe-safe (never an ANSI code), one finding per block.

Read by people in a log file or a mail from cron and by `grep`: every finding starts with its
severity marker at the start of a line, and the layout does not depend on the terminal.
"""

from __future__ import annotations

from shopdoc.i18n import severity_name
from shopdoc.model import Finding, Report
from shopdoc.report import _format as fmt
from shopdoc.report._words import words


def marker(severity: str, lang: str) -> str:
    name = severity_name(severity, lang)
    return f"【{name}】" if lang == "zh" else f"[{name.upper()}] "


def render(report: Report, lang: str) -> str:
    w = words(lang)
    lines: list[str] = []
    title = " · ".join(part for part in (w["title"], report.shop, report.date or "") if part)
    lines.append(f"{title}（{w['generated']} {fmt.generated(report)}）" if lang == "zh"
                 else f"{title} ({w['generated']} {fmt.generated(report)})")
    numbers = fmt.headline(report, lang)
    if numbers:
        lines.append(" · ".join(f"{label} {value}" for label, value in numbers))
    lines.append(fmt.summary_line(report, lang))
    lines += fmt.head_lines(report, lang)

    if not report.findings:
        lines += ["", w["no_findings"]]
    for section in fmt.sections(report.findings):
        lines += ["", f"== {section.title(lang)} =="]
        shown, folded = fmt.listed(section.findings)
        for finding in shown:
            lines += _finding(finding, report, lang, section)
        lines += [fmt.folded_line(item, lang, report.currency) for item in folded]
    held = fmt.still_open(report.findings)
    if held:
        lines += ["", f"== {fmt.still_open_title(held, lang)} =="]
        lines += [f"{marker(f.severity, lang)}{fmt.still_open_line(f, lang)}" for f in held]

    lines += _tail(report, lang)
    return "\n".join(lines).rstrip() + "\n"


def _finding(finding: Finding, report: Report, lang: str, section: fmt.Section | None = None) -> list[str]:
    w = words(lang)
    head = f"{marker(finding.severity, lang)}{fmt.title_line(finding, lang, section)}"
    age = fmt.age_label(finding, report.date, lang)
    if age:
        head += f"  ({age})" if lang == "en" else f"（{age}）"
    out = [head, f"    {w['action']}{w['sep']}{finding.action}"]
    out += [f"    {w['part']}{w['sep']}{line}" for line in fmt.part_lines(finding, lang)]
    evidence = fmt.evidence_line(finding, lang, report.currency)
    if evidence:
        out.append(f"    {w['evidence']}{w['sep']}{evidence}")
    out.append(f"    {w['rule']}{w['sep']}{finding.key}")
    return out


def _tail(report: Report, lang: str) -> list[str]:
    """Everything after the to-do list: what was not checked, the routine, data quality."""
    w = words(lang)
    lines: list[str] = []
    followup = fmt.followup_section(report)
    if followup:
        lines += ["", f"== {followup[0]} =="]
        lines += [f"  - {line}" for line in followup[1]]
    skips = fmt.rule_skips(report)
    if skips:
        lines += ["", w["skipped"].format(n=len(skips)) + w["sep"].rstrip()]
        lines += [f"  - {skip.rule}{w['sep']}{skip.reason}" for skip in skips]
    held = fmt.holds(report)
    if held:
        items = w["list_sep"].join(w["held_item"].format(rule=rule, n=n) for rule, n in held)
        lines += ["", f"{w['held']}{w['sep']}{items}"]
    if report.checklist:
        lines += ["", w["checklist"] + w["sep"].rstrip()]
        lines += [f"  [ ] {item}" for item in report.checklist]
    files = fmt.warning_files(report)
    if files:
        lines += ["", w["warnings"].format(n=fmt.warning_total(report)) + w["sep"].rstrip()]
        lines += [f"  {w['warnings_file'].format(path=path, n=n, example=example)}" for path, n, example in files]
        lines.append(f"  {w['warnings_more']}")
    unused = fmt.unused_inputs(report)
    if unused:
        lines += ["", w["unread"].format(n=len(unused)) + w["sep"].rstrip()]
        lines += [f"  {path}{w['sep']}{reason}" for path, reason in unused]
        if not any("shopdoc inspect" in reason for _, reason in unused):
            lines.append(f"  {w['unread_hint']}")
    if report.notes:
        lines += ["", w["notes"] + w["sep"].rstrip()]
        lines += [f"  {note}" for note in report.notes]
    return lines
