"""`--format html`: the morning report as one self-contained page, with its charts inline.

One file, nothing to fetch: styles are inline, charts are inline SVG, there is no script and no
font, image or link to load, and a Content-Security-Policy of `default-src 'none'` makes the
browser refuse anything else should it ever creep in. It reads on a phone (one column under
700 px), prints to PDF (no chart split over a page), and is in the report's language.

The to-do list is the same as the text report's — the same findings in the same order, folded the
same way — written by `todo_section`, the one function that knows the printed to-dos.
"""

from __future__ import annotations

from html import escape

from shopdoc.i18n import severity_name
from shopdoc.model import Finding, Report
from shopdoc.report import _format as fmt
from shopdoc.report._words import words
from shopdoc.visual.data import Visuals
from shopdoc.visual.draw import FONT_STACK

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

PAGE_WORDS = {
    "zh": {"charts": "图表", "trends": "近 30 天走势", "bridge": "支付金额拆解", "maps": "流量来源、推广和商品", "tail": "其他", "no_charts": "导出数据里没有可以画图的内容。",
           "printed": "这份报告是一个离线文件，可以直接转发或打印。"},
    "en": {"charts": "Charts", "trends": "Last 30 days", "bridge": "What moved GMV", "maps": "Traffic sources, ads and items", "tail": "More", "no_charts": "The exports hold nothing to chart.",
           "printed": "This report is one offline file: forward it or print it as it is."},
}

STYLE = """
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1f2328;font:15px/1.55 %(font)s;-webkit-text-size-adjust:100%%}
main{max-width:1040px;margin:0 auto;padding:16px}
header h1{font-size:22px;margin:4px 0 2px}
.meta{color:#6b7280;font-size:13px}
.numbers{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}
.numbers div{background:#fff;border-radius:8px;padding:6px 10px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.numbers b{display:block;font-size:16px}
.numbers span{color:#6b7280;font-size:12px}
.summary{font-weight:600;margin:8px 0 4px}
.sev{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;color:#fff;margin-right:6px;vertical-align:1px}
.sev-critical{background:#d9363e}.sev-warning{background:#f08c00}.sev-info{background:#8a8f98}
section{background:#fff;border-radius:10px;padding:12px 14px;margin:14px 0;box-shadow:0 1px 2px rgba(0,0,0,.06)}
h2{font-size:17px;margin:4px 0 8px}
h3{font-size:15px;margin:14px 0 6px;color:#374151}
ol.todo{list-style:none;padding:0;margin:0}
ol.todo li{border-left:4px solid #8a8f98;padding:6px 10px;margin:8px 0;background:#fafbfc;border-radius:0 6px 6px 0}
ol.todo li.critical{border-color:#d9363e}ol.todo li.warning{border-color:#f08c00}
.title{font-weight:600}
.age{color:#6b7280;font-size:12px;margin-left:6px}
.action,.evidence,.rule{font-size:14px;margin-top:2px}
.evidence,.rule{color:#4b5563}
.rule code{font-size:12px;background:#eef0f3;border-radius:3px;padding:0 4px;word-break:break-all}
li.folded{border-left-style:dashed;color:#4b5563;font-size:14px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:12px}
figure{margin:0;break-inside:avoid;page-break-inside:avoid}
figure svg{width:100%%;height:auto;display:block;border:1px solid #eceef1;border-radius:6px}
ul.plain{padding-left:18px;margin:4px 0}
.foot{color:#6b7280;font-size:12px;text-align:center;margin:18px 0}
@media (max-width:700px){main{padding:10px}.grid{grid-template-columns:1fr}section{padding:10px}header h1{font-size:19px}}
@media print{body{background:#fff;-webkit-print-color-adjust:exact;print-color-adjust:exact}h2,h3{break-after:avoid;page-break-after:avoid}main{max-width:none;padding:0}section{box-shadow:none;border:1px solid #ddd;break-inside:auto}
.grid{grid-template-columns:1fr 1fr}ol.todo li{break-inside:avoid}}
""" % {"font": FONT_STACK}


def render(report: Report, lang: str, visuals: Visuals | None = None) -> str:
    """The whole page. Without `visuals` (a Report alone, e.g. from the library) it has no charts."""
    w, p = words(lang), PAGE_WORDS[lang]
    title = " · ".join(part for part in (w["title"], report.shop, report.date or "") if part)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body><main>",
        _header(report, lang, title),
        _charts(visuals, lang) if visuals is not None else "",
        todo_section(report, lang),
        _tail(report, lang),
        f'<p class="foot">{escape(p["printed"])} {escape(w["generated"])} {escape(fmt.generated(report))} · shopdoc</p>',
        "</main></body></html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _header(report: Report, lang: str, title: str) -> str:
    w = words(lang)
    numbers = "".join(f"<div><span>{escape(label)}</span><b>{escape(value)}</b></div>"
                      for label, value in fmt.headline(report, lang))
    counts = " ".join(f'<span class="sev sev-{name}">{escape(severity_name(name, lang))} {n}</span>'
                      for name, n in report.summary.items())
    return (f"<header><h1>{escape(title)}</h1>"
            f'<div class="meta">{escape(w["generated"])} {escape(fmt.generated(report))}</div>'
            + (f'<div class="numbers">{numbers}</div>' if numbers else "")
            + f'<div class="summary">{escape(w["todo"].format(n=len(report.findings)))} {counts}</div>'
            + "".join(f'<div class="assumed">{escape(line)}</div>' for line in fmt.head_lines(report, lang))
            + "</header>")


# -- the to-do list ------------------------------------------------------------------------------------
def todo_key(finding: Finding) -> str:
    """The key a to-do is known by in every format: rule, subject and facet."""
    return finding.key


def todo_section(report: Report, lang: str) -> str:
    """The printed to-dos, grouped by owner, in the text report's order and folding."""
    w = words(lang)
    out = ['<section id="todo">']
    if not report.findings:
        out.append(f"<p>{escape(w['no_findings'])}</p>")
    for section in fmt.sections(report.findings):
        out.append(f"<h2>{escape(section.title(lang))}</h2>")
        out.append('<ol class="todo">')
        shown, folded = fmt.listed(section.findings)
        out += [_todo(finding, report, lang, section) for finding in shown]
        out += [f'<li class="folded">{escape(fmt.folded_line(item, lang, report.currency))}</li>' for item in folded]
        out.append("</ol>")
    held = fmt.still_open(report.findings)
    if held:
        out.append(f'<h2 class="still-open">{escape(fmt.still_open_title(held, lang))}</h2>')
        out.append('<ul class="still-open">')
        out += [f'<li class="{f.severity}" data-key="{escape(todo_key(f))}"><span class="sev sev-{f.severity}">'
                f'{escape(severity_name(f.severity, lang))}</span>{escape(fmt.still_open_line(f, lang))}</li>' for f in held]
        out.append("</ul>")
    out.append("</section>")
    return "\n".join(out)


def _todo(finding: Finding, report: Report, lang: str, section: "fmt.Section | None" = None) -> str:
    w = words(lang)
    age = fmt.age_label(finding, report.date, lang)
    lines = [
        f'<li class="{finding.severity}" data-key="{escape(todo_key(finding))}">',
        f'<div><span class="sev sev-{finding.severity}">{escape(severity_name(finding.severity, lang))}</span>'
        f'<span class="title">{escape(fmt.title_line(finding, lang, section))}</span>'
        + (f'<span class="age">{escape(age)}</span>' if age else "") + "</div>",
        f'<div class="action">{escape(w["action"])}{escape(w["sep"])}{escape(finding.action)}</div>',
    ]
    lines += [f'<div class="part">{escape(w["part"])}{escape(w["sep"])}{escape(line)}</div>'
              for line in fmt.part_lines(finding, lang)]
    evidence = fmt.evidence_line(finding, lang, report.currency)
    if evidence:
        lines.append(f'<div class="evidence">{escape(w["evidence"])}{escape(w["sep"])}{escape(evidence)}</div>')
    lines.append(f'<div class="rule">{escape(w["rule"])}{escape(w["sep"])}<code>{escape(finding.key)}</code></div></li>')
    return "".join(lines)


# -- charts ------------------------------------------------------------------------------------------------
_SECTIONS = (("trends", ("trend-",)), ("bridge", ("bridge-",)), ("maps", ("sources", "ads", "items")))


def _charts(visuals: Visuals, lang: str) -> str:
    from shopdoc.visual.charts import all_charts
    from shopdoc.visual.draw import drawing, to_svg

    p = PAGE_WORDS[lang]
    out = ['<section id="charts">', f"<h2>{escape(p['charts'])}</h2>"]
    with drawing():
        charts = all_charts(visuals, lang)
        svgs = {chart.name: to_svg(chart) for chart in charts}
    if not charts:
        out.append(f"<p>{escape(p['no_charts'])}</p>")
    for name, prefixes in _SECTIONS:
        chosen = [chart for chart in charts if chart.name.startswith(prefixes)]
        if not chosen:
            continue
        out.append(f'<h3>{escape(p[name])}</h3><div class="grid">')
        out += [f"<figure>{svgs[chart.name]}</figure>" for chart in chosen]
        out.append("</div>")
    out.append("</section>")
    return "\n".join(out)


# -- after the list ----------------------------------------------------------------------------------------
def _tail(report: Report, lang: str) -> str:
    w = words(lang)
    blocks: list[str] = []

    def block(heading: str, items: list[str]) -> None:
        blocks.append(f"<h3>{escape(heading)}</h3><ul class=\"plain\">" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")

    followup = fmt.followup_section(report)
    if followup:
        block(followup[0], [escape(line) for line in followup[1]])
    if report.checklist:
        block(w["checklist"], [f"☐ {escape(item)}" for item in report.checklist])
    skips = fmt.rule_skips(report)
    if skips:
        block(w["skipped"].format(n=len(skips)), [f"<code>{escape(s.rule)}</code>{escape(w['sep'])}{escape(s.reason)}" for s in skips])
    held = fmt.holds(report)
    if held:
        block(w["held"], [escape(w["held_item"].format(rule=rule, n=n)) for rule, n in held])
    files = fmt.warning_files(report)
    if files:
        block(w["warnings"].format(n=fmt.warning_total(report)),
              [escape(w["warnings_file"].format(path=path, n=n, example=example)) for path, n, example in files]
              + [escape(w["warnings_more"])])
    unused = fmt.unused_inputs(report)
    if unused:
        block(w["unread"].format(n=len(unused)), [escape(f"{path}{w['sep']}{reason}") for path, reason in unused])
    if report.notes:
        block(w["notes"], [escape(note) for note in report.notes])
    if not blocks:
        return ""
    return f'<section id="more"><h2>{escape(PAGE_WORDS[lang]["tail"])}</h2>' + "".join(blocks) + "</section>"
