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
        "en": "The data ends on {day}, {age} days ago (the limit is {max_age}): check that the latest exports "
              "were downloaded before acting on this list",
    },
    "data.day_absent": {
        "zh": "--date {day}：所有导出里都没有这一天的数据（导出覆盖 {span}），没有可以报告的内容",
        "en": "--date {day}: no export has data for that day (they cover {span}); nothing to report",
    },
    "data.from_day": {
        "zh": "（{day} 的数据）",
        "en": " (data from {day})",
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
    "input.bug": {
        "zh": "读取失败（{error}）：请把这个文件和这行提示一起反馈给我们",
        "en": "could not be read ({error}) — please report this with the file",
    },
    # -- where in a file (an error's or a warning's place) -----------------------------------------
    "where.sheet": {"zh": "工作表「{sheet}」", "en": "sheet {sheet}"},
    "where.row": {"zh": "第 {row} 行", "en": "row {row}"},
    "where.column": {"zh": "「{column}」列", "en": "column {column}"},
    "where.sep": {"zh": "，", "en": ", "},
    "where.then": {"zh": "：", "en": ": "},
    "where.hint": {"zh": "：{hint}", "en": " — {hint}"},
    # -- a file that cannot be read (the reason, then what to do) ----------------------------------
    "read.not_regular": {"zh": "不是普通文件（是管道或设备）", "en": "is not a regular file (a pipe or a device)"},
    "read.not_found": {"zh": "找不到这个文件", "en": "file not found"},
    "read.is_folder": {"zh": "这是文件夹，不是文件", "en": "is a folder, not a file"},
    "read.cannot_open": {"zh": "打不开（{why}）", "en": "cannot be opened ({why})"},
    "read.foreign": {"zh": "不是表格也不是 CSV（{what}）", "en": "not a spreadsheet or CSV ({what})"},
    "read.starts_with": {"zh": "开头是 {start}", "en": "starts with {start}"},
    "read.xml_2003": {
        "zh": "这是 Excel 2003 的 XML 表格，shopdoc 读不了",
        "en": "an Excel 2003 XML spreadsheet, which shopdoc does not read",
    },
    "read.zip_in_zip": {"zh": "压缩包里面还套着压缩包", "en": "a zip inside a zip"},
    "read.password": {"zh": "工作簿设了密码", "en": "the workbook is password-protected"},
    "read.workbook_unopenable": {"zh": "工作簿打不开（{why}）", "en": "the workbook cannot be opened ({why})"},
    "read.sheet_unreadable": {"zh": "读不出来（{why}）", "en": "cannot be read ({why})"},
    "read.other_sheets_unreadable": {"zh": "其余工作表读不出来（{why}）", "en": "the other sheets cannot be read ({why})"},
    "read.workbook_damaged": {"zh": "工作簿已损坏（{why}）", "en": "the workbook is damaged ({why})"},
    "read.zip_damaged": {"zh": "压缩包已损坏（{why}）", "en": "a damaged zip archive ({why})"},
    "read.zip_no_export": {
        "zh": "压缩包里没有导出文件（只有 {found}）",
        "en": "the zip holds no export file (found {found})",
    },
    "read.zip_nothing": {"zh": "空的", "en": "nothing"},
    "read.zip_unpack": {"zh": "解压失败（{why}）", "en": "cannot unpack it ({why})"},
    "read.zip_too_many": {
        "zh": "里面有 {total:,} 个导出文件，只读了前 {read:,} 个，{left:,} 个没有读",
        "en": "holds {total:,} export files; the first {read:,} were read, {left:,} were not",
    },
    "read.html_no_table": {"zh": "网页里没有表格", "en": "an HTML page with no table in it"},
    "read.unknown_encoding": {
        "zh": "文字编码认不出来（不是 UTF-8、GBK/GB18030、UTF-16，也不是 Windows-1252）",
        "en": "text in an unknown encoding (not UTF-8, GBK/GB18030, UTF-16 or Windows-1252)",
    },
    "read.broken_csv": {"zh": "CSV 格式坏了（{why}）", "en": "broken CSV ({why})"},
    "read.in_part": {"zh": "{part}：{reason}", "en": "{part}: {reason}"},
    "hint.export_again": {"zh": "重新导出成 .xlsx 或 .csv", "en": "export it again as .xlsx or .csv"},
    "hint.give_file": {"zh": "请给出导出文件本身", "en": "give shopdoc the export file itself"},
    "hint.check_path": {"zh": "检查一下路径", "en": "check the path"},
    "hint.permissions": {"zh": "检查文件的权限", "en": "check the file's permissions"},
    "hint.save_xlsx": {"zh": "用 Excel 打开，另存为 .xlsx", "en": "open it in Excel and save it as .xlsx"},
    "hint.save_xlsx_or_utf8": {
        "zh": "用 Excel 打开，另存为 .xlsx 或“CSV UTF-8”",
        "en": "open it in Excel and save it as .xlsx or as CSV UTF-8",
    },
    "hint.unzip_inner": {"zh": "解压后把里面的导出文件交给 shopdoc", "en": "unzip it and give shopdoc the export inside"},
    "hint.no_password": {"zh": "另存一份不带密码的", "en": "save a copy without a password"},
    "hint.download_again": {"zh": "重新下载", "en": "download it again"},
    "hint.unzip_check": {"zh": "解压看看里面是什么", "en": "unzip it and check what it contains"},
    "hint.unzip_by_hand": {"zh": "手动解压，读里面的文件", "en": "unzip it by hand and read the file inside"},
    "hint.limit": {
        "zh": "如果文件确实没问题，在配置里调高 inputs.limits.{limit}",
        "en": "raise inputs.limits.{limit} in the config if the file is genuine",
    },
    # -- over a reading limit (inputs.limits) -------------------------------------------------------
    "limit.file_size": {"zh": "文件有 {size}，超过上限 {max:,} MiB", "en": "the file is {size}, over the limit of {max:,} MiB"},
    "limit.run": {
        "zh": "这次已经读了 {used:,} MiB，再读这个文件就超过上限 {max:,} MiB",
        "en": "the run has already read {used:,} MiB and this would pass the limit of {max:,} MiB",
    },
    "limit.rows": {"zh": "{rows:,} 行，超过上限 {max:,}", "en": "{rows:,} rows, over the limit of {max:,}"},
    "limit.columns": {"zh": "{columns:,} 列，超过上限 {max:,}", "en": "{columns:,} columns, over the limit of {max:,}"},
    "limit.cells": {
        "zh": "{rows:,} 行 × {columns:,} 列，超过上限 {max:,} 个单元格",
        "en": "{rows:,} rows × {columns:,} columns, over the limit of {max:,} cells",
    },
    "limit.more_rows": {"zh": "超过 {max:,} 行", "en": "more than {max:,} rows"},
    "limit.more_cells": {"zh": "到第 {row:,} 行已超过 {max:,} 个单元格", "en": "more than {max:,} cells (by row {row:,})"},
    "limit.row_columns": {
        "zh": "第 {row:,} 行有 {columns:,} 列，超过上限 {max:,}",
        "en": "row {row:,} has {columns:,} columns, over the limit of {max:,}",
    },
    "limit.declared": {
        "zh": "{what}声明解压后有 {size}，超过上限 {max:,} MiB",
        "en": "{what}says it unpacks to {size}, over the limit of {max:,} MiB",
    },
    "limit.unpacks": {
        "zh": "{what}解压后超过 {max:,} MiB",
        "en": "{what}unpacks to more than {max:,} MiB",
    },
    "limit.what": {"zh": "{what} ", "en": "{what} "},
    "limit.spans_cells": {"zh": "范围超过 {max:,} 个单元格", "en": "spans more than {max:,} cells"},
    "limit.far_column": {
        "zh": "有单元格在 {letters} 列（第 {width:,} 列），超过上限 {max:,} 列",
        "en": "has a cell in column {letters} (column {width:,}), over the limit of {max:,} columns",
    },
    "limit.far_row": {
        "zh": "有一行的行号是 {row:,}，超过上限 {max:,} 行",
        "en": "has a row numbered {row:,}, over the limit of {max:,} rows",
    },
    "limit.span": {
        "zh": "{width:,} 列 × {rows:,} 行，超过 {max:,} 个单元格",
        "en": "spans {width:,} columns over {rows:,} rows, more than {max:,} cells",
    },
    "limit.holds_cells": {"zh": "超过 {max:,} 个单元格", "en": "holds more than {max:,} cells"},
    # -- data warnings (one cell, or one column of a file) -----------------------------------------
    "value.not_number": {"zh": "不是数字，没有参与判断", "en": "not a number, left out"},
    "value.not_money": {"zh": "不是金额，没有参与判断", "en": "not an amount, left out"},
    "value.not_rate": {"zh": "不是比率，没有参与判断", "en": "not a rate, left out"},
    "value.not_duration": {"zh": "不是时长，没有参与判断", "en": "not a duration, left out"},
    "value.not_date": {"zh": "不是日期，这一行没有参与判断", "en": "not a date, left out"},
    "value.id_rounded": {
        "zh": "ID 被表格写成了科学计数法，已经被四舍五入：导出时把 ID 列设成文本",
        "en": "ID in scientific notation: the spreadsheet rounded it; export the ID column as text",
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
    "value.backwards": {"zh": "结束日期早于开始日期，按一天算", "en": "ends before it starts, read as one day"},
    # -- data warnings about a whole table ----------------------------------------------------------
    "warn.replaced_bytes": {
        "zh": "{n:,} 个字节不属于任何文字编码，已换成 \ufffd",
        "en": "{n:,} bytes fit no text encoding and were replaced by \ufffd",
    },
    "warn.nul_bytes": {"zh": "去掉了 {n:,} 个 NUL 字节", "en": "{n:,} NUL bytes dropped"},
    "warn.long_cells": {
        "zh": "{n:,} 个单元格超过 {max:,} 个字符，已截到这个长度",
        "en": "{n:,} cells longer than {max:,} characters were cut to that length",
    },
    "warn.titles_as_ids": {
        "zh": "没有商品 ID 列：按商品标题区分商品",
        "en": "no item id column: items are known by their title",
    },
    "warn.percent_points": {
        "zh": "比率没有写 %（写成了百分数的数值），按百分比读",
        "en": "rates written as percent points without %, read as percentages",
    },
    "warn.undated_description": {
        "zh": "说明行写的是 {text!r}，没有具体日期：这些行都算作报告日，也算不出每天的花费，请下载带日期范围的报表",
        "en": "the description says {text!r}: no dates, so its rows count for the report day and money "
              "per day cannot be worked out — download a dated range",
    },
    "warn.undated": {
        "zh": "没有日期列，表头上方和文件名里也没有日期：这些行都算作报告日",
        "en": "no date column and no date above the header or in the file name: its rows count for the report day",
    },
    "warn.range_totals": {
        "zh": "没有日期列；{where}覆盖 {first} 到 {last}（{days} 天）：每行是 {days} 天的合计，记在 {last}",
        "en": "no date column; the {where} covers {first} to {last} ({days} days): its rows are {days}-day "
              "totals, dated {last}",
    },
    "warn.where.description": {"zh": "说明行", "en": "description"},
    "warn.where.file_name": {"zh": "文件名", "en": "file name"},
    "warn.where.download_date": {"zh": "下载日期", "en": "download date"},
    "warn.period_totals": {
        "zh": "每行是 {days} 天的合计，不是单日数据：各行保留自己的周期（start_date、window_days），逐日对比需要按天的报表",
        "en": "rows are totals over {days} days, not single days: each keeps its period (start_date, "
              "window_days); day-by-day comparisons need a report by day",
    },
    "warn.currencies": {
        "zh": "金额用了几种货币（{codes}）：每行保留自己的货币，不同货币的金额不会相加",
        "en": "money in several currencies ({codes}): each row keeps its own; amounts in different currencies "
              "are never added up",
    },
    "warn.other_entities": {
        "zh": "{n} 行是其他层级（{kinds}），没有参与判断：它们的数字和所属计划重复",
        "en": "{n} row{s} of other entities ({kinds}) left out: their numbers repeat their campaign's",
    },
    "warn.breakdown_rows": {
        "zh": "{n} 行是细分汇总（{labels}），不是计划，没有参与判断",
        "en": "{n} row{s} are breakdown totals ({labels}), not campaigns: left out",
    },
    "warn.segments": {
        "zh": "数据按{column}拆开了（{shown}）：已按对象和日期加总，{rows} 行合成 {into} 行",
        "en": "rows split by {column} ({shown}): summed per subject and day, {rows} rows into {into}",
    },
    "warn.second_download": {
        "zh": "和 {other} 的 {n:,} 行完全一样（下载了两次？）：只读了那个文件，删掉其中一个",
        "en": "the same {n:,} rows as {other} (a second download?): read once, from that file — delete one of the two",
    },
    "warn.far_day": {
        "zh": "{n:,} 行的日期是 {day}，比其他数据晚 {gap:,} 天（其他数据最晚到 {latest}）：没有参与判断，"
              "也没有当作报告日，请检查导出里的日期",
        "en": "{n:,} row{s} dated {day}, {gap:,} days after the other days (latest otherwise {latest}): left out, "
              "not taken as the report day — check the date in the export",
    },
    "warn.across": {
        "zh": "{day} 这一天{text}（{shop_file}）：两个导出有一个不对，或者不是同一个店铺",
        "en": "{text} on {day} in {shop_file} — one of the two exports is wrong or they are not the same shop",
    },
    "warn.across.ad_gmv": {
        "zh": "推广成交金额 {value} 比店铺成交金额 {limit} 还高",
        "en": "ad-attributed GMV {value} is above the shop's GMV {limit}",
    },
    "warn.across.item_visitors": {
        "zh": "商品 {subject} 的访客数 {value} 比店铺的 {limit} 还多",
        "en": "item {subject} has {value} visitors, more than the shop's {limit}",
    },
    "warn.across.item_buyers": {
        "zh": "商品 {subject} 的支付买家数 {value} 比店铺的 {limit} 还多",
        "en": "item {subject} has {value} paying buyers, more than the shop's {limit}",
    },
    "warn.across.item_gmv": {
        "zh": "商品 {subject} 的成交金额 {value} 比店铺成交金额 {limit} 还高",
        "en": "item {subject} sold {value}, more than the shop's GMV {limit}",
    },
    "warn.currencies": {
        "zh": "店铺自己的导出用了几种货币（{files}）：不同货币的金额不会相加或比较，所以这些数据说不出一个店铺的"
              "情况 —— 每个站点作为一个店铺来跑（配置里的 `shops:`）",
        "en": "the shop's exports are in several currencies ({files}): their amounts are never added or "
              "compared, so read each marketplace as its own shop (shops: in the config)",
    },
    # -- a table that cannot be used as it is -----------------------------------------------------
    "refuse.undated_days": {
        "zh": "{n} 行数据却没有日期列（{why}）：分不清哪行是哪天，导出时带上日期（或周）列",
        "en": "{n} rows and no date column ({why}): which row is which day cannot be told — export it with "
              "its Day (or Week) column",
    },
    "refuse.why.description": {"zh": "说明行写的是 {text!r}", "en": "its description says {text!r}"},
    "refuse.why.nothing": {"zh": "表头上方和文件名里也没有日期", "en": "no date above the header or in the file name"},
    "refuse.detail_table": {
        "zh": "同一天有 {n} 行，{header}各不相同：这是明细表，不是店铺整体的日数据。在配置里对应 {header}"
              "（inputs.aliases），或者指定这个文件的类型（inputs.kinds）",
        "en": "{n} rows on one day that differ by {header}: a detail table, not the shop's day — map {header} "
              "in the config (inputs.aliases) or pin the file's kind (inputs.kinds)",
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
        "en": "{n} rule{s} not checked (an export or its data is missing): {names}",
    },
}


def say(code: str, lang: str, **params: Any) -> str:
    """The message for `code` in `lang` (English when the language has no entry). A value that is
    itself a `Said` is worded in the same language."""
    entry = CATALOGUE[code]
    template = entry.get(lang) or entry["en"]
    params = {name: words(value, lang) for name, value in params.items()}
    if "n" in params and "s" not in params:
        params["s"] = "" if params["n"] == 1 else "s"
    return template.format(**params)


class Said:
    """A message not worded yet: its catalogue code and values. Code that runs before the report's
    language is known (a file's reader, a reading limit) keeps this; the report words it (`words`).
    `str()` is the English, for logs and exceptions."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, **params: Any):
        if code not in CATALOGUE:
            raise KeyError(code)
        self.code, self.params = code, params

    def words(self, lang: str) -> str:
        return say(self.code, lang, **self.params)

    def __str__(self) -> str:
        return self.words("en")

    def __repr__(self) -> str:
        return f"Said({self.code!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Said) and (self.code, self.params) == (other.code, other.params)

    def __hash__(self) -> int:
        return hash(self.code)


def words(text: "str | Said | Any", lang: str) -> Any:
    """`text` in `lang`: a Said is worded, anything else is returned as it is."""
    return text.words(lang) if isinstance(text, Said) else text


__all__ = ["CATALOGUE", "Said", "say", "words"]
