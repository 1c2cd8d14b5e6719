"""The message catalogue: what shopdoc says about its inputs and its run, in each language.

Code that finds a problem records a reason code and its parameters (data); the words are written
when the message is shown, in the report's language, from one entry here:

    say("data.stale", "zh", day="2026-11-22", age=9, max_age=2)
    → "数据停在 2026-11-22，已经 9 天没有更新（超过 2 天）：先确认今天的导出下载了"

Chinese reads as an operator writes it; no English words in it other than ids, units and the
names of commands and options (`tests/test_messages.py` keeps it so), and no Chinese in English.
Placeholders are `str.format` fields; `{n}` with a plural `{s}` in English.
"""

from __future__ import annotations

from typing import Any

CATALOGUE: dict[str, dict[str, str]] = {
    # -- freshness --------------------------------------------------------------------------------
    "data.stale": {
        "zh": "数据停在 {day}，已经 {age} 天没有更新（超过 {max_age} 天）：先确认最新的导出下载了，再看下面的待办",
        "en": "The data ends on {day}, {age} days ago (more than {max_age}): check that the latest exports "
              "were downloaded before acting on this list",
    },
    "data.day_absent": {
        "zh": "--date {day}：所有导出里都没有这一天的数据（导出覆盖 {span}），没有可以报告的内容",
        "en": "--date {day}: no export has data for that day (they cover {span}); nothing to report",
    },
    "data.from_day": {
        "zh": "（{day} 的数据）",
        "en": " (data of {day})",
    },
    # -- inputs -----------------------------------------------------------------------------------
    "input.unreadable": {
        "zh": "读取失败",
        "en": "could not be read",
    },
    "input.unrecognised": {
        "zh": "认不出是哪种导出：运行 `shopdoc inspect {path}` 看它的列名",
        "en": "not a recognised export: run `shopdoc inspect {path}` to see its columns",
    },
    "input.inspect_hint": {
        "zh": "运行 `shopdoc inspect {path}` 看它的列名",
        "en": "run `shopdoc inspect {path}` to see its columns",
    },
    "input.empty": {
        "zh": "没有数据行",
        "en": "no data rows",
    },
    "input.warnings": {
        "zh": "{n} 条数据提醒，这些值没有参与判断（`shopdoc inspect {path}` 会列出来）",
        "en": "{n} data warning{s}; those values were left out (`shopdoc inspect {path}` lists them)",
    },
    "input.none_found": {
        "zh": "没有可以报告的内容：{where} 里没有导出文件（.csv .tsv .txt .xlsx .xlsm .xls .zip），"
              "请给出导出文件所在的文件夹",
        "en": "nothing to report: no export files (.csv .tsv .txt .xlsx .xlsm .xls .zip) in {where}; "
              "give the folder your exports are downloaded to",
    },
    "input.none_usable": {
        "zh": "没有可以报告的内容：{where} 里的 {n} 个文件都用不了（原因见上面）",
        "en": "nothing to report: none of the {n} file{s} in {where} could be used (reasons above)",
    },
    "input.day_missing": {
        "zh": "--date {day}：导出里没有这一天的行（导出覆盖 {span}）",
        "en": "--date {day}: the exports have no rows for that day (they cover {span})",
    },
    "input.folder_unreadable": {
        "zh": "文件夹打不开（{why}）",
        "en": "the folder cannot be read ({why})",
    },
    "input.folder_empty": {
        "zh": "这个文件夹里没有导出文件（{suffixes}）",
        "en": "no export files ({suffixes}) in this folder",
    },
    "input.file_empty": {
        "zh": "文件是空的：请重新导出",
        "en": "the file is empty; export it again",
    },
    "input.header_only": {
        "zh": "只有表头，没有数据行：检查导出时选的日期范围",
        "en": "only a header row, no data rows; check the export's date range",
    },
    "input.missing_column": {
        "zh": "缺少 {kind} 需要的列 {columns}：导出时带上这一列，或者在配置里把你的列名对应上（inputs.aliases）",
        "en": "missing column {columns}, needed for {kind}; export it with that column, or map yours in the "
              "config (inputs.aliases)",
    },
    "input.no_header_pinned": {
        "zh": "前 {rows} 行里找不到 {kind} 的表头",
        "en": "no header row for {kind} in the first {rows} rows",
    },
    "input.no_header": {
        "zh": "前 {rows} 行里找不到表头",
        "en": "no header row in the first {rows} rows",
    },
    "input.unknown_columns": {
        "zh": "列名（{columns}……）对不上任何一种导出；可以在配置里按文件名指定类型（inputs.kinds）",
        "en": "its columns ({columns}, …) match no known export; you can pin its kind by file name in the "
              "config (inputs.kinds)",
    },
    # -- data warnings (one cell, or one column of a file) -----------------------------------------
    "value.not_number": {"zh": "不是数字，没有参与判断", "en": "not a number, left out"},
    "value.not_money": {"zh": "不是金额，没有参与判断", "en": "not an amount, left out"},
    "value.not_rate": {"zh": "不是比率，没有参与判断", "en": "not a rate, left out"},
    "value.not_duration": {"zh": "不是时长，没有参与判断", "en": "not a duration, left out"},
    "value.not_date": {"zh": "不是日期，这一行没有参与判断", "en": "not a date, left out"},
    "value.id_rounded": {
        "zh": "ID 被表格写成了科学计数法，已经被四舍五入：导出时把 ID 列设成文本",
        "en": "id in scientific notation: the spreadsheet rounded it; export the id column as text",
    },
    "value.unreadable_text": {"zh": "文字读不出来", "en": "unreadable text"},
    "value.rate_above": {"zh": "比率超过 100%，没有参与判断", "en": "rate above 100%, left out"},
    "value.rate_outside": {"zh": "比率不在 0–100% 之间，没有参与判断", "en": "rate outside 0–100%, left out"},
    "value.negative": {"zh": "{field}是负数，没有参与判断", "en": "negative {field}, left out"},
    "value.clicks_above_impressions": {
        "zh": "点击量比展现量还多，两个都没有参与判断",
        "en": "more clicks than impressions, both left out",
    },
    "value.buyers_above_visitors": {
        "zh": "支付买家数比访客数还多，没有参与判断",
        "en": "more paying buyers than visitors, left out",
    },
    "value.more_rows": {"zh": "{reason}（另有 {n} 行同样的问题）", "en": "{reason}, and {n} more row{s} like this"},
    # -- after the report -------------------------------------------------------------------------
    "send.sent": {
        "zh": "已发送 {n} 条消息",
        "en": "sent {n} message{s}",
    },
    "details.written": {
        "zh": "已把 {n} 行明细（每个关键词、商品一行）写入 {path}",
        "en": "wrote {n} detail row{s} (one per keyword, item…) to {path}",
    },
    "bids.written": {
        "zh": "已把 {n} 条出价调整写入 {path}",
        "en": "wrote {n} bid change{s} to {path}",
    },
    # -- the chat message's first page ------------------------------------------------------------
    "chat.day": {
        "zh": "报告日 {day}，数据截至 {last}（{age}）",
        "en": "Report day {day}, data up to {last} ({age})",
    },
    "chat.age_today": {"zh": "今天", "en": "today"},
    "chat.age_days": {"zh": "{n} 天前", "en": "{n} day{s} ago"},
    "chat.unreadable": {
        "zh": "{n} 个文件读不了：{names}",
        "en": "{n} file{s} could not be read: {names}",
    },
    "chat.skipped": {
        "zh": "{n} 条规则没有判断（缺少导出或数据）：{names}",
        "en": "{n} rule{s} said nothing (an export or its data is missing): {names}",
    },
}


def say(code: str, lang: str, **params: Any) -> str:
    """The message for `code` in `lang` (English when the language has no entry)."""
    entry = CATALOGUE[code]
    template = entry.get(lang) or entry["en"]
    if "n" in params and "s" not in params:
        params["s"] = "" if params["n"] == 1 else "s"
    return template.format(**params)


__all__ = ["CATALOGUE", "say"]
