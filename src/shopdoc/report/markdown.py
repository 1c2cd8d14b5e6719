"""Generic Markdown: a heading per owner, a bullet per finding with its severity in bold.

Uses only what every Markdown viewer renders (headings, bullets, bold, inline code), so it pastes
well into a wiki, an issue or a chat that is not one of the flavoured platforms
(`shopdoc.chat.render_flavor` does DingTalk, WeCom, Feishu and Slack).
"""

from __future__ import annotations

import re

from shopdoc.i18n import severity_name
from shopdoc.model import Finding, Report
from shopdoc.report import _format as fmt
from shopdoc.report._words import words

# Text from the exports (item names, keywords) must not turn into markup or links.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def render(report: Report, lang: str) -> str:
    w = words(lang)
    title = " · ".join(part for part in (w["title"], report.shop, report.date or "") if part)
    lines = [f"# {escape(title)}", ""]
    numbers = fmt.headline(report, lang)
    if numbers:
        lines += [" · ".join(f"{label} **{value}**" for label, value in numbers), ""]
    lines.append(f"**{fmt.summary_line(report, lang)}**")
    lines += [f"\n{escape(line)}" for line in fmt.head_lines(report, lang)]
    if not report.findings:
        lines += ["", w["no_findings"]]
    for section in fmt.sections(report.findings):
        lines += ["", f"## {section.title(lang)}", ""]
        shown, folded = fmt.listed(section.findings)
        for finding in shown:
            lines += _finding(finding, report, lang, section)
        lines += [f"- {escape(fmt.folded_line(item, lang, report.currency))}" for item in folded]
    held = fmt.still_open(report.findings)
    if held:
        lines += ["", f"## {fmt.still_open_title(held, lang)}", ""]
        lines += [f"- **{severity_name(f.severity, lang)}** {escape(fmt.still_open_line(f, lang))}" for f in held]
    lines += _tail(report, lang)
    return "\n".join(lines).rstrip() + "\n"


def _finding(finding: Finding, report: Report, lang: str, section: fmt.Section | None = None) -> list[str]:
    w = words(lang)
    head = f"- **{severity_name(finding.severity, lang)}** {escape(fmt.title_line(finding, lang, section))}"
    age = fmt.age_label(finding, report.date, lang)
    if age:
        head += f" _{age}_" if lang == "en" else f"（{age}）"
    out = [head, f"  - {w['action']}{w['sep']}{escape(finding.action)}"]
    out += [f"  - {w['part']}{w['sep']}{escape(line)}" for line in fmt.part_lines(finding, lang)]
    evidence = fmt.evidence_line(finding, lang, report.currency)
    if evidence:
        out.append(f"  - {w['evidence']}{w['sep']}{escape(evidence)}")
    key = finding.key.replace("`", "'")
    out.append(f"  - {w['rule']}{w['sep']}`{key}`")
    return out


def _tail(report: Report, lang: str) -> list[str]:
    w = words(lang)
    lines: list[str] = []
    followup = fmt.followup_section(report)
    if followup:
        lines += ["", f"## {escape(followup[0])}", ""]
        lines += [f"- {escape(line)}" for line in followup[1]]
    skips = fmt.rule_skips(report)
    if skips:
        lines += ["", f"### {w['skipped'].format(n=len(skips))}", ""]
        lines += [f"- `{skip.rule}`{w['sep']}{escape(skip.reason)}" for skip in skips]
    held = fmt.holds(report)
    if held:
        items = w["list_sep"].join(w["held_item"].format(rule=f"`{rule}`", n=n) for rule, n in held)
        lines += ["", f"{w['held']}{w['sep']}{items}"]
    if report.checklist:
        lines += ["", f"### {w['checklist']}", ""]
        lines += [f"- [ ] {escape(item)}" for item in report.checklist]
    files = fmt.warning_files(report)
    if files:
        lines += ["", f"### {w['warnings'].format(n=fmt.warning_total(report))}", ""]
        lines += [f"- {escape(w['warnings_file'].format(path=path, n=n, example=example))}"
                  for path, n, example in files]
    unused = fmt.unused_inputs(report)
    if unused:
        lines += ["", f"### {w['unread'].format(n=len(unused))}", ""]
        lines += [f"- `{path}`{w['sep']}{escape(reason)}" for path, reason in unused]
    if report.notes:
        lines += ["", f"### {w['notes']}", ""]
        lines += [f"- {escape(note)}" for note in report.notes]
    return lines
