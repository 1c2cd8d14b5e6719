"""`shopdoc rules`, `explain`, `init` and `inspect`: everything that describes rather than diagnoses.

All of it is generated from the declarations that drive the diagnosis — the rules' docstrings and
parameters, `config.GROUPS` — so there is never a second copy of a threshold or of its reasoning.
`rules`, `explain` and `init` must stay fast: no pandas here (inspect imports it through the reader).
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from typing import Any

from shopdoc.commands import write_stdout
from shopdoc.config import CONFIG_NAME, GROUPS, Config
from shopdoc.errors import EXIT_OK, EXIT_PARTIAL_INPUT, EXIT_USAGE, UsageError, warning_line
from shopdoc.i18n import owner_name, severity_name
from shopdoc.kinds import KINDS
from shopdoc.params import Param
from shopdoc.rules import Rule, get_rule, load_rules

KIND_NAMES = {lang: {name: kind.labels[lang] for name, kind in KINDS.items()} for lang in ("zh", "en")}


# -- text layout --------------------------------------------------------------------------------------
def _width(text: str) -> int:
    """Display width: a Chinese character takes two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _table(rows: list[list[str]]) -> str:
    """Aligned columns; the last column runs free (it holds the long thresholds)."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "  ".join([*(_pad(cell, widths[i]) for i, cell in enumerate(row[:-1])), row[-1]]).rstrip()
        for row in rows
    )


def show(param: Param, value: Any) -> str:
    """A configured value as the user would write it: 70% for fractions, true/false, a, b for lists."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(item) for item in value) if value else "[]"
    return param.format(value)


def _yes(value: bool, lang: str) -> str:
    return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")


# -- shopdoc rules --------------------------------------------------------------------------------
def _changed(rule: Rule, settings: dict[str, Any], name: str) -> bool:
    return settings.get(name) != rule.defaults().get(name)


def rules_output(config: Config, lang: str, fmt: str) -> str:
    """`shopdoc rules` in any `--format`: text and rich are the aligned table (it has no colours),
    markdown a pipe table, json every rule with its settings as values."""
    if fmt == "json":
        import json

        out = []
        for rule in load_rules():
            settings = config.rule_settings(rule.id)
            out.append({
                "id": rule.id, "owner": settings["owner"], "severity": settings["severity"],
                "enabled": settings["enabled"], "summary": rule.summary,
                "thresholds": {p.name: settings[p.name] for p in rule.params},
                "changed": sorted(name for name in settings if _changed(rule, settings, name)),
            })
        return json.dumps({"schema": "shopdoc.rules/1", "config": config.source, "rules": out},
                          ensure_ascii=False, indent=2) + "\n"
    return rules_table(config, lang, markdown=fmt == "markdown") + "\n"


def rules_table(config: Config, lang: str, markdown: bool = False) -> str:
    """Every rule with its owner, severity, on/off and thresholds as configured (`*` = changed)."""
    head = (["规则", "负责人", "级别", "启用", "门槛（当前配置）"] if lang == "zh"
            else ["RULE", "OWNER", "SEVERITY", "ON", "THRESHOLDS (as configured)"])
    rows = [head]
    any_changed = False
    for rule in load_rules():
        settings = config.rule_settings(rule.id)

        def mark(name: str, text: str) -> str:
            nonlocal any_changed
            if _changed(rule, settings, name):
                any_changed = True
                return text + "*"
            return text

        thresholds = " ".join(mark(p.name, f"{p.name}={show(p, settings[p.name])}") for p in rule.params)
        rows.append([
            rule.id,
            mark("owner", owner_name(settings["owner"], lang)),
            mark("severity", severity_name(settings["severity"], lang)),
            mark("enabled", _yes(settings["enabled"], lang)),
            thresholds,
        ])
    if markdown:
        from shopdoc.commands import markdown_table

        out = markdown_table([[f"`{cell}`" if index in (0, 4) and row is not rows[0] and cell else cell
                               for index, cell in enumerate(row)] for row in rows])
    else:
        out = _table(rows)
    if any_changed:
        source = config.source or "config"
        out += ("\n\n* 与默认值不同（来自 {}）".format(source) if lang == "zh"
                else f"\n\n* differs from the default (set in {source})")
    hint = ("运行 shopdoc explain <规则> 查看规则的依据和改法。" if lang == "zh"
            else "Run shopdoc explain <rule> for what a rule checks, why, and how to fix it.")
    return f"{out}\n\n{hint}"


# -- shopdoc explain ------------------------------------------------------------------------------
def find_rule(rule_id: str) -> Rule:
    rule = get_rule(rule_id)
    if rule is not None:
        return rule
    ids = [r.id for r in load_rules()]
    by_name = [rid for rid in ids if rid.split(".", 1)[-1] == rule_id]
    import difflib  # only for a mistyped id: keeps `rules` and `explain` start-up lean

    close = by_name or difflib.get_close_matches(rule_id, ids, n=3, cutoff=0.5)
    hint = f" — did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise UsageError(f"unknown rule {rule_id!r}{hint} (`shopdoc rules` lists every rule)")


_LABELS = {
    "zh": {"owner": "负责人", "severity": "级别", "on": "已启用", "off": "已关闭", "thresholds": "门槛（当前值）",
           "default": "默认", "changed": "* 你的配置改过的值（{}）", "where": "在配置文件里改：rules.{}.<名称>"},
    "en": {"owner": "owner", "severity": "severity", "on": "on", "off": "switched off",
           "thresholds": "Thresholds (current values)", "default": "default",
           "changed": "* changed by your config ({})", "where": "Change them in the config under rules.{}.<name>"},
}


def explain_rule(rule_id: str, config: Config, lang: str) -> str:
    """What the rule checks, why (the document), how to fix, money, and its thresholds now."""
    rule = find_rule(rule_id)
    settings = config.rule_settings(rule.id)
    words = _LABELS[lang]
    sep = "：" if lang == "zh" else ": "
    status = words["on"] if settings["enabled"] else words["off"]
    lines = [
        f"{rule.id} · {words['owner']}{sep}{owner_name(settings['owner'], lang)} · "
        f"{words['severity']}{sep}{severity_name(settings['severity'], lang)} · {status}"
    ]
    if lang == "en":
        lines.append(rule.summary)
    sections = rule.sections(lang) or rule.sections("en" if lang == "zh" else "zh")
    if sections:
        lines.append("")
        lines += [f"{label}{sep}{text}" for label, text in sections]
    if settings.get("remind_days", 1) > 1:
        days = settings["remind_days"]
        lines.append(f"提醒{sep}老问题每 {days} 天完整提醒一次，其余日子在“还没解决的老问题”里一行带过（rules.{rule.id}.remind_days）"
                     if lang == "zh" else
                     f"Reminders{sep}an open problem is said in full every {days} days, one line under \"still open\" "
                     f"otherwise (rules.{rule.id}.remind_days)")
    if rule.params:
        lines += ["", words["thresholds"] + sep.rstrip()]
        rows, changed = [], False
        for param in rule.params:
            value = show(param, settings[param.name])
            if _changed(rule, settings, param.name):
                changed = True
                value += "*"
            default = show(param, param.default)
            help_text = f"{param.describe(lang)}，{words['default']} {default}" if lang == "zh" \
                else f"{param.describe(lang)} ({words['default']} {default})"
            rows.append([f"  {param.name}", value, help_text])
        lines.append(_table(rows))
        if changed:
            lines.append(words["changed"].format(config.source or "config"))
        lines.append(words["where"].format(rule.id))
    return "\n".join(lines)


# -- shopdoc init -------------------------------------------------------------------------------------
_STARTER = {
    "zh": {
        "head": [
            "shopdoc 配置文件（由 shopdoc init 生成）",
            "",
            "这里的每个值都是默认值，出自运营文档（003《运营的一天》等）。只改需要改的，删掉的行按默认值处理。",
            "比例写成小数：0.7 就是 70%。",
            "shopdoc 先找当前文件夹的 shopdoc.yaml，再找用户配置文件夹里的（Linux ~/.config/shopdoc，",
            "macOS ~/Library/Application Support/shopdoc，Windows %APPDATA%\\shopdoc），也可以用 --config 指定。",
            "改完运行 shopdoc rules 看当前门槛，shopdoc explain <规则> 看每条规则的依据。",
            "",
            "每天早上 7:30 自动体检并发到钉钉群：运行 crontab -e，加上下面这一行。钉钉机器人的地址和加签密钥",
            "写在同一文件夹的 shopdoc.env 里（SHOPDOC_DINGTALK_WEBHOOK、SHOPDOC_DINGTALK_SECRET），定时任务先读它。",
            "导出文件放在这个文件夹，或者在下面的 shop.data_dir 写上导出文件夹。",
        ],
        "windows": "Windows 用任务计划程序：在命令提示符里运行下面这一行，机器人地址用 "
                   "setx SHOPDOC_DINGTALK_WEBHOOK \"地址\" 保存：",
        "rules": [
            "每条规则都可以：enabled: false 关掉；severity: critical / warning / info 改级别；",
            "owner: operations（运营）/ promotion（推广）/ design（美工）/ service（客服）/ content（内容）改负责人；",
            "remind_days: 问题连续几天都在时，每隔几天完整提醒一次（其余日子在“还没解决的老问题”里一行带过；1 = 每天）；",
            "outcome_days: 做了以后过几天看效果（默认 history.outcome_days = 7）。",
        ],
        "rules_title": "规则",
        "default": "默认",
        "empty": "默认不填",
        "inputs": [
            "导出文件识别（可选）。文件类型按列名自动识别；认不出时运行 shopdoc inspect <文件> 看原因。",
            "inputs:",
            "  max_age_days: 2   # 最新数据比今天早这么多天以上，报告开头提醒（--strict 时退出码 3），默认 2",
            "  kinds:      # 按文件名通配符指定类型：shop_daily item_daily traffic_source ad_report review dsr",
            "    \"店铺整体*.xls\": shop_daily",
            "  aliases:    # 导出改了列名时，给字段加上新列名",
            "    shop_daily:",
            "      visitors: [店铺访客数UV]",
            "    ad_report:",
            "      cost: [消耗(元)]",
        ],
        "snooze": [
            "暂时不提醒的已知问题（可选；也可以运行 shopdoc snooze 规则 对象 --days 7）：",
            "snooze:",
            "  - {rule: pricing.price_tail, subject: \"item:5531\", until: 2026-12-31}",
        ],
        "written": "已写入 {path}\n下一步：改好店铺名（shop.name）和毛利率（shop.gross_margin），然后运行：\n"
                   "  shopdoc diagnose <导出文件夹>",
        "env_new": "机器人地址和密钥写在 {path}（只有你能读）。",
        "env_kept": "{path} 已经有了，没有改动。",
        "env_open": "注意：{path} 别人也能读，请运行 chmod 600 {path}",
        "schedule": "每天 7:30 自动运行：运行 crontab -e，加上这一行（配置文件开头也有）：",
        "schedule_win": "每天 7:30 自动运行：在命令提示符里运行这一行（配置文件开头也有）：",
    },
    "en": {
        "head": [
            "shopdoc configuration (written by shopdoc init)",
            "",
            "Every value here is the default, taken from the operating documents (003 \"an operator's day\" and",
            "others). Change only what you need; a line you delete falls back to its default.",
            "Rates are fractions: 0.7 means 70%.",
            "shopdoc reads ./shopdoc.yaml, then the one in your user config folder (Linux ~/.config/shopdoc,",
            "macOS ~/Library/Application Support/shopdoc, Windows %APPDATA%\\shopdoc), or the file given by --config.",
            "Run shopdoc rules to see the thresholds in force and shopdoc explain <rule> for the reasoning.",
            "",
            "Check the shop every morning at 7:30 and post to a DingTalk group: run crontab -e and add the line",
            "below. The robot's URL and secret go in shopdoc.env beside this file (SHOPDOC_DINGTALK_WEBHOOK,",
            "SHOPDOC_DINGTALK_SECRET), which the job reads first. Keep the exports in this folder, or set",
            "shop.data_dir below to the folder they are downloaded to.",
        ],
        "windows": "On Windows, use Task Scheduler: run this line once in a Command Prompt, and keep the robot's URL "
                   "with setx SHOPDOC_DINGTALK_WEBHOOK \"URL\":",
        "rules": [
            "Every rule takes: enabled: false to switch it off; severity: critical / warning / info;",
            "owner: operations / promotion / design / service / content;",
            "remind_days: a problem open for days is said in full every this many days (one line under \"still open\" otherwise; 1 = daily).",
            "outcome_days: days after it was done before its outcome is judged (default: history.outcome_days, 7).",
        ],
        "rules_title": "Rules",
        "default": "default",
        "empty": "default: empty",
        "inputs": [
            "Reading exports (optional). Kinds are detected from the columns; when a file is not recognised,",
            "run shopdoc inspect <file> to see why.",
            "inputs:",
            "  max_age_days: 2   # warn at the top of the report (exit 3 with --strict) when the data is older (default 2)",
            "  kinds:      # pin a kind by file-name pattern: shop_daily item_daily traffic_source ad_report review dsr",
            "    \"BusinessReport*.csv\": item_daily",
            "  aliases:    # extra column headers for a field, when an export renames a column",
            "    shop_daily:",
            "      visitors: [Unique visitors]",
            "    ad_report:",
            "      cost: [Total spend]",
        ],
        "snooze": [
            "Known findings to keep quiet for a while (optional; or run shopdoc snooze RULE SUBJECT --days 7):",
            "snooze:",
            "  - {rule: pricing.price_tail, subject: \"item:5531\", until: 2026-12-31}",
        ],
        "written": "Wrote {path}\nNext: set your shop name (shop.name) and gross margin (shop.gross_margin), then run:\n"
                   "  shopdoc diagnose <exports folder>",
        "env_new": "Put the robots' webhooks and secrets in {path} (readable by you only).",
        "env_kept": "{path} already exists; left as it is.",
        "env_open": "Warning: others can read {path}; run chmod 600 {path}",
        "schedule": "To run every morning at 7:30, run crontab -e and add this line (it is also at the top of the config):",
        "schedule_win": "To run every morning at 7:30, run this once in a Command Prompt (it is also at the top of the config):",
    },
}


def _scalar(value: Any) -> str:
    """A YAML scalar exactly as safe_load reads it back (quoted only when it must be)."""
    import yaml

    if value is None:
        return ""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6).strip()
    return text[:-3].rstrip() if text.endswith("\n...") or text.endswith("...") else text


def _param_lines(param: Param, value: Any, indent: str, words: dict[str, Any], lang: str) -> list[str]:
    if param.default is None or param.default == []:
        default = words["empty"]
    else:
        default = f"{words['default']} {show(param, param.default)}"
    help_text = f"{param.describe(lang)}，{default}" if lang == "zh" else f"{param.describe(lang)} ({default})"
    scalar = _scalar(value)
    return [f"{indent}# {help_text}", f"{indent}{param.name}:{' ' + scalar if scalar else ''}"]


def _rule_title(rule: Rule, lang: str) -> str:
    if lang == "zh":
        checks = dict(rule.sections("zh")).get("检查", "")
        first = checks.split("。")[0]
        return f"{rule.id}（{owner_name(rule.owner, lang)}）：{first}" if first else rule.id
    return f"{rule.id} ({owner_name(rule.owner, lang).lower()}): {rule.summary}"


def render_starter(lang: str, directory: Path | None = None) -> str:
    """The commented starter config: every global setting and every rule's thresholds at their defaults.

    With `directory` (what `init` writes), the schedule lines carry this machine's paths; without it
    (the repository's `config/shopdoc.yaml`), example paths."""
    from shopdoc.commands.schedule import lines_for

    words = _STARTER[lang]
    cron, schtasks = lines_for(directory)
    lines = [f"# {line}".rstrip() for line in words["head"]]
    lines += [f"#   {cron}", "#", f"# {words['windows']}", f"#   {schtasks}"]
    for group in GROUPS:
        title = group.zh if lang == "zh" else group.en
        lines += ["", f"# ── {title} ──", f"{group.name}:"]
        for param in group.params:
            lines += _param_lines(param, param.default, "  ", words, lang)
    lines += ["", f"# ── {words['rules_title']} ──"]
    lines += [f"# {line}" for line in words["rules"]]
    lines.append("rules:")
    family = None
    for rule in load_rules():
        name_family, name = rule.id.split(".", 1)
        if name_family != family:
            family = name_family
            lines.append(f"  {family}:")
        lines += [f"    # {_rule_title(rule, lang)}", f"    {name}:"]
        defaults = rule.defaults()
        lines += [f"      enabled: {_scalar(defaults['enabled'])}",
                  f"      severity: {defaults['severity']}",
                  f"      owner: {defaults['owner']}",
                  f"      remind_days: {defaults['remind_days']}"]
        for param in rule.params:
            lines += _param_lines(param, param.default, "      ", words, lang)
    lines.append("")
    lines += [f"# {line}".rstrip() for line in words["inputs"]]
    lines.append("")
    lines += [f"# {line}".rstrip() for line in words["snooze"]]
    return "\n".join(lines) + "\n"


def write_starter(directory: Path, force: bool = False, lang: str | None = None) -> str:
    """Write DIR/shopdoc.yaml; never overwrite without --force. Returns the message to print."""
    from shopdoc.config import _locale_lang

    lang = lang or _locale_lang()
    directory = Path(directory).expanduser()
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory}: is a file, not a folder — give the folder to write {CONFIG_NAME} into")
    target = directory / CONFIG_NAME
    if target.exists() and not force:
        raise UsageError(f"{target} already exists — use --force to overwrite it")
    from shopdoc.commands.schedule import lines_for, readable_by_others, write_env_file

    try:
        directory.mkdir(parents=True, exist_ok=True)
        folder = directory.resolve()
        target.write_text(render_starter(lang, folder), encoding="utf-8")
        env, written = write_env_file(folder, lang)
    except OSError as exc:
        raise UsageError(f"{target}: cannot write: {exc.strerror or exc}") from None
    words = _STARTER[lang]
    cron, schtasks = lines_for(folder)
    out = [words["written"].format(path=target), words["env_new" if written else "env_kept"].format(path=env)]
    if readable_by_others(env):
        out.append(words["env_open"].format(path=env))
    if sys.platform == "win32":
        out += [words["schedule_win"], f"  {schtasks}"]
    else:
        out += [words["schedule"], f"  {cron}"]
    return "\n".join(out)


# -- shopdoc inspect --------------------------------------------------------------------------------
def inspect_paths(paths: list[str], config: Config, fmt: str | None, lang: str | None = None) -> int:
    """How each file was read, then which rules will be skipped. Exit 3 if a file failed, 2 if all did.
    text and rich are the same layout (it has no colours); markdown puts each file's table in a block."""
    from shopdoc.engine import skipped_for_missing

    lang = lang or config.lang
    from shopdoc.config import override

    override(config, "shop.lang", lang)  # the files' problems are worded in this language
    from shopdoc.api import load

    dataset = load(list(paths), config)
    skipped = skipped_for_missing(dataset, lang)
    if fmt == "json":
        import json

        out = {
            "inputs": [_input_json(item) for item in dataset.inputs],
            "skipped": [skip.to_dict() for skip in skipped],
        }
        text = json.dumps(out, ensure_ascii=False, indent=2, default=str) + "\n"
    else:
        text = _inspect_text(dataset, skipped, lang, markdown=fmt == "markdown")
    write_stdout(text)
    if not any(item.status == "ok" for item in dataset.inputs):
        return EXIT_USAGE
    if any(item.status in ("error", "unrecognised") for item in dataset.inputs):
        return EXIT_PARTIAL_INPUT
    return EXIT_OK


def _input_json(item) -> dict[str, Any]:
    out = item.to_dict()
    out.update({
        "format": item.file_format,
        "encoding": item.encoding,
        "header_row": item.header_row,
        "columns": dict(item.columns),
        "dates": list(item.dates),
        "dates_from": item.dates_from,
        "level": item.level,
        "currency": item.currency,
        "currency_from": item.currency_from,
        "error": item.error,
    })
    return out


_INSPECT = {
    "zh": {"kind": "类型", "format": "格式", "header": "表头", "header_row": "第 {} 行", "dates": "日期",
           "rows": "行数", "columns": "列", "unmapped": "未识别", "warnings": "数据提醒", "error": "问题",
           "status": {"error": "读取失败", "unrecognised": "认不出是哪种导出", "empty": "没有数据行"},
           "skipped": "会跳过的规则（缺少导出或字段）", "none_skipped": "所有规则需要的导出和字段都有了。",
           "nothing": "没有找到导出文件（.csv .tsv .txt .xlsx .xlsm .xls .zip）。", "more": "……还有 {} 条",
           "dates_where": {"column": "来自“{}”列", "description": "来自表头上方的说明：{}",
                                                    "file name": "来自文件名：{}",
                                                    "download date": "说明里的“{}”，从文件保存日往前数"},
           "currency": "货币", "currency_unknown": "文件里没写 —— 在配置里设 shop.currency（如 USD）",
           "currency_from": {"column": "来自币种列", "cells": "来自金额里的符号", "header": "来自表头的单位",
                             "config": "来自配置 shop.currency", "platform": "中文平台导出，默认人民币"}},
    "en": {"kind": "kind", "format": "format", "header": "header", "header_row": "row {}", "dates": "dates",
           "rows": "rows", "columns": "columns", "unmapped": "unmapped", "warnings": "warnings", "error": "problem",
           "status": {"error": "could not be read", "unrecognised": "not a recognised export", "empty": "no data rows"},
           "skipped": "Rules that will be skipped (missing export or field)",
           "none_skipped": "Every rule has the exports and fields it needs.",
           "nothing": "No export files found (.csv .tsv .txt .xlsx .xlsm .xls .zip).", "more": "... and {} more",
           "dates_where": {"column": "from the {} column", "description": "from the line above the header: {}",
                                                     "file name": "from the file name: {}",
                                                     "download date": "\"{}\" in the description, counted back from the day the file was saved"},
           "currency": "currency", "currency_unknown": "not in the file — set shop.currency in the config (e.g. USD)",
           "currency_from": {"column": "from its currency column", "cells": "from the symbols in its amounts",
                             "header": "from a header's unit", "config": "from shop.currency in the config",
                             "platform": "a Chinese platform's export, in yuan"}},
}
_MAX_WARNINGS = 20


def _printable(text: str) -> str:
    from shopdoc.io.xls import printable

    return printable(text)


def _paren(text: str, lang: str) -> str:
    return f"（{text}）" if lang == "zh" else f" ({text})"


def _inspect_text(dataset, skipped, lang: str, markdown: bool = False) -> str:
    words = _INSPECT[lang]
    sep = "：" if lang == "zh" else ": "
    blocks: list[str] = []
    if not dataset.inputs:
        blocks.append(words["nothing"])
    for item in dataset.inputs:
        title = f"{item.path} [{item.sheet}]" if item.sheet else item.path
        rows: list[list[str]] = []
        if item.status != "ok":
            rows.append([words["error"], f"{words['status'].get(item.status, item.status)}"
                         + (f"{sep}{item.error}" if item.error else "")])
        if item.kind:
            kind = f"{item.kind}（{KIND_NAMES[lang].get(item.kind, item.kind)}）" if lang == "zh" \
                else f"{item.kind} ({KIND_NAMES[lang].get(item.kind, item.kind)})"
            if item.level:
                kind += f" · {item.level}"
            rows.append([words["kind"], kind])
        file_format = " · ".join(part for part in (item.file_format, item.encoding) if part)
        if file_format:
            rows.append([words["format"], file_format])
        if item.header_row:
            rows.append([words["header"], words["header_row"].format(item.header_row)])
        if item.dates:
            dates = item.dates[0] if len(item.dates) == 1 else f"{item.dates[0]} .. {item.dates[-1]} ({len(item.dates)})"
            if item.dates_from:
                source, _, text = item.dates_from.partition(":")
                dates += _paren(words["dates_where"].get(source, source).format(_printable(text)[:80]), lang)
            rows.append([words["dates"], dates])
        if item.status == "ok" and item.currency_from:  # a kind that holds money
            if item.currency:
                rows.append([words["currency"], f"{item.currency}{_paren(words['currency_from'][item.currency_from], lang)}"])
            else:
                rows.append([words["currency"], words["currency_unknown"]])
        if item.status == "ok" or item.rows:
            rows.append([words["rows"], f"{item.rows:,}"])
        for index, (source, field) in enumerate(item.columns.items()):
            rows.append([words["columns"] if index == 0 else "", f"{source} → {field or words['unmapped']}"])
        for index, warning in enumerate(item.warnings[:_MAX_WARNINGS]):
            rows.append([f"{words['warnings']} ({len(item.warnings)})" if index == 0 else "", warning_line(warning, lang)])
        if len(item.warnings) > _MAX_WARNINGS:
            rows.append(["", words["more"].format(len(item.warnings) - _MAX_WARNINGS)])
        if markdown:
            from shopdoc.commands import markdown_table

            block = [f"### {title}"]
            if rows:
                block += ["", markdown_table([["", ""], *rows])]
            blocks.append("\n".join(block))
            continue
        block = [title]
        if rows:
            block.append(_indent(_table(rows)))
        blocks.append("\n".join(line for line in block if line.strip()))
    if skipped:
        lines = [("### " if markdown else "") + words["skipped"] + ("" if markdown else sep.rstrip())]
        if markdown:
            lines.append("")
        lines += [f"{'-' if markdown else '  -'} {skip.rule}{sep}{skip.reason}" for skip in skipped]
        blocks.append("\n".join(lines))
    elif dataset.inputs:
        blocks.append(words["none_skipped"])
    return "\n\n".join(blocks) + "\n"


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" if line.strip() else "" for line in text.splitlines())


__all__ = ["rules_output", "rules_table", "explain_rule", "write_starter", "render_starter", "inspect_paths", "find_rule"]
