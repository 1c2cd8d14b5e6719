"""The terminal report (rich): the only renderer that knows about colour and width.

Built from rich `Text` objects, never markup strings, so text from the exports (`[赠品]` in an item
name) cannot turn into styling. Colour is decided by the caller (TTY, `NO_COLOR`); without it the
output is the same layout in plain characters.
"""

from __future__ import annotations

import io

from shopdoc.i18n import severity_name
from shopdoc.model import Finding, Report
from shopdoc.report import _format as fmt
from shopdoc.report._words import words

STYLES = {"critical": "bold white on red", "warning": "bold black on yellow", "info": "bold white on blue"}
TITLE_STYLES = {"critical": "bold red", "warning": "yellow", "info": "cyan"}


def render(report: Report, lang: str, *, color: bool = False, width: int | None = None) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or 100,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    _header(console, report, lang)
    w = words(lang)
    if not report.findings:
        console.print()
        console.print(w["no_findings"], style="green")
    for section in fmt.sections(report.findings):
        console.print()
        console.rule(section.title(lang), style="bold")
        shown, folded = fmt.listed(section.findings)
        for finding in shown:
            _finding(console, finding, report, lang, section)
        for item in folded:
            console.print(fmt.folded_line(item, lang, report.currency), style="dim")
    held = fmt.still_open(report.findings)
    if held:
        from rich.text import Text

        console.print()
        console.rule(fmt.still_open_title(held, lang), style="dim")
        for finding in held:
            line = Text()
            line.append(f" {severity_name(finding.severity, lang)} ", style=STYLES[finding.severity])
            line.append(" " + fmt.still_open_line(finding, lang), style="dim")
            console.print(line)
    _tail(console, report, lang)
    out = buffer.getvalue()
    if not color:  # without colour it is plain text: no padding spaces at line ends
        out = "\n".join(line.rstrip() for line in out.split("\n"))
    return out


def _header(console, report: Report, lang: str) -> None:
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    w = words(lang)
    # Pack the numbers into lines by hand, so a narrow terminal wraps between numbers, never inside one.
    room = console.width - 4
    cells: list[Text] = [Text()]
    for label, value in fmt.headline(report, lang):
        cell = Text.assemble((f"{label} ", "dim"), (value, "bold"))
        line = cells[-1]
        if line.cell_len and line.cell_len + 3 + cell.cell_len > room:
            cells.append(Text())
            line = cells[-1]
        if line.cell_len:
            line.append("   ")
        line.append_text(cell)
    cells = [line for line in cells if line.cell_len]
    counts = Text(w["todo"].format(n=len(report.findings)) + w["sep"])
    for index, (severity, n) in enumerate(report.summary.items()):
        if index:
            counts.append(" · ")
        counts.append(f"{severity_name(severity, lang)} {n}", style=TITLE_STYLES[severity] if n else "dim")
    body = Group(*cells, counts, *(Text(line, style="bold") for line in fmt.head_lines(report, lang)))
    title = " · ".join(part for part in (w["title"], report.shop, report.date or "") if part)
    console.print(Panel(body, title=Text(title, style="bold"), title_align="left",
                        subtitle=Text(f"{w['generated']} {fmt.generated(report)}", style="dim"),
                        subtitle_align="right", expand=True))


def _finding(console, finding: Finding, report: Report, lang: str, section: "fmt.Section | None" = None) -> None:
    from rich.padding import Padding
    from rich.text import Text

    w = words(lang)
    head = Text()
    head.append(f" {severity_name(finding.severity, lang)} ", style=STYLES[finding.severity])
    head.append(" ")
    head.append(fmt.title_line(finding, lang, section), style=TITLE_STYLES[finding.severity])
    age = fmt.age_label(finding, report.date, lang)
    if age:
        head.append(f"  {age}", style="bold magenta" if age == w["new"] else "dim")
    console.print(head)
    body = Text()
    body.append(f"{w['action']}{w['sep']}", style="bold")
    body.append(finding.action)
    for line in fmt.part_lines(finding, lang):
        body.append(f"\n{w['part']}{w['sep']}", style="bold")
        body.append(line)
    evidence = fmt.evidence_line(finding, lang, report.currency)
    if evidence:
        body.append(f"\n{w['evidence']}{w['sep']}", style="bold")
        body.append(evidence)
    body.append(f"\n{finding.key}", style="dim")
    console.print(Padding(body, (0, 0, 0, 4), expand=False))


def _tail(console, report: Report, lang: str) -> None:
    from rich.text import Text

    w = words(lang)
    followup = fmt.followup_section(report)
    if followup:
        console.print()
        console.print(Text(followup[0], style="bold"))
        for line in followup[1]:
            console.print(_indented(Text(f"- {line}")))
    skips = fmt.rule_skips(report)
    held = fmt.holds(report)
    if skips or held:
        console.print()
        if skips:
            console.print(Text(w["skipped"].format(n=len(skips)), style="bold dim"))
            for skip in skips:
                console.print(_indented(Text(f"- {skip.rule}{w['sep']}{skip.reason}", style="dim")))
        if held:
            items = w["list_sep"].join(w["held_item"].format(rule=rule, n=n) for rule, n in held)
            console.print(Text(f"{w['held']}{w['sep']}{items}", style="dim"))
    if report.checklist:
        console.print()
        console.print(Text(w["checklist"], style="bold"))
        for item in report.checklist:
            console.print(_indented(Text(f"☐ {item}")))
    files = fmt.warning_files(report)
    if files:
        console.print()
        console.print(Text(w["warnings"].format(n=fmt.warning_total(report)), style="bold yellow"))
        for path, n, example in files:
            console.print(_indented(Text(w["warnings_file"].format(path=path, n=n, example=example))))
        console.print(Text(f"  {w['warnings_more']}", style="dim"))
    unused = fmt.unused_inputs(report)
    if unused:
        console.print()
        console.print(Text(w["unread"].format(n=len(unused)), style="bold red"))
        for path, reason in unused:
            line = Text(path, style="bold")
            line.append(f"{w['sep']}{reason}")
            console.print(_indented(line))
        if not any("shopdoc inspect" in reason for _, reason in unused):
            console.print(Text(f"  {w['unread_hint']}", style="dim"))
    if report.notes:
        console.print()
        console.print(Text(w["notes"], style="bold"))
        for note in report.notes:
            console.print(_indented(Text(note, style="dim")))


def _indented(text, indent: int = 2):
    """Wrapped lines keep their indent (a long checklist item stays readable on a narrow terminal)."""
    from rich.padding import Padding

    return Padding(text, (0, 0, 0, indent), expand=False)
