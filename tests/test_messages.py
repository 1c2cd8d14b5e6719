"""The message catalogue reads as each language's operators write it: no English words in a Chinese
message other than ids, units and the names of commands, options and config keys; no Chinese in an
English one; the same placeholders in both."""

from __future__ import annotations

import re
import string

import pytest

from shopdoc.messages import CATALOGUE, say

# Latin words a Chinese operator writes as they are: ids, units, and the names of formats and programs.
ALLOWED_LATIN = {"shopdoc", "inspect", "ID", "DSR", "ROI", "CTR", "UV", "CNY", "GMV", "SKU",
                 "MiB", "Excel", "CSV", "XML", "HTML", "UTF", "GBK", "GB", "NUL", "Windows"}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _latin_words(text: str) -> list[str]:
    text = re.sub(r"\{[^}]*\}", " ", text)            # placeholders
    text = re.sub(r"`[^`]*`", " ", text)              # commands quoted as typed
    text = re.sub(r"--[a-z-]+", " ", text)            # option names
    text = re.sub(r"\b[a-z_]+(\.[a-z_]+)+\b", " ", text)  # config keys, rule ids
    text = re.sub(r"\b[a-z]+(_[a-z]+)+\b", " ", text)    # field names (start_date, window_days)
    text = re.sub(r"\.[a-z]{2,4}\b", " ", text)       # file extensions
    return [word for word in re.findall(r"[A-Za-z]{2,}", text) if word not in ALLOWED_LATIN]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_each_message_in_its_own_language(code):
    entry = CATALOGUE[code]
    assert set(entry) == {"zh", "en"}
    assert _latin_words(entry["zh"]) == [], entry["zh"]
    assert not CJK.search(entry["en"]), entry["en"]
    assert _fields(entry["zh"]) - {"s"} == _fields(entry["en"]) - {"s"}


def test_the_check_catches_what_it_should():
    assert _latin_words("columns (…) match no known export") != []
    assert _latin_words("运行 `shopdoc inspect a.csv` 看 {n} 个 ID，改 inputs.max_age_days 或 --strict") == []
    assert CJK.search("3 条 warnings")
    assert _latin_words("按 start_date 读，超过 12 MiB 的 CSV 文件") == []
    assert _latin_words("请 export it again") == ["export", "it", "again"]


def test_plurals_in_english():
    assert say("send.sent", "en", n=1) == "sent 1 message"
    assert say("send.sent", "en", n=2) == "sent 2 messages"
    assert say("send.sent", "zh", n=2) == "已发送 2 条消息"


def test_data_warnings_in_the_reports_language(cli, tmp_path):
    from test_cli import shop_csv

    shop_csv(tmp_path / "exports", conversion="130%")  # impossible: left out with a data warning
    zh = cli("inspect", "exports", "--lang", "zh")
    assert "比率超过 100%，没有参与判断" in zh.out and "left out" not in zh.out
    en = cli("inspect", "exports", "--lang", "en")
    assert "rate above 100%, left out" in en.out and "没有参与判断" not in en.out
    report = cli("diagnose", "exports", "--no-history", "--lang", "en", "--format", "json")
    (warning,) = [w for item in __import__("json").loads(report.out)["inputs"] for w in item["warnings"]]
    assert warning["reason"] == "rate above 100%, left out"


def _exports_with_problems(folder):
    from test_cli import shop_csv

    shop_csv(folder, conversion="130%")  # a data warning: an impossible rate
    (folder / "直通车_关键词报表.xls").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")  # unreadable
    return folder


def _report_tail(text: str, heading: str) -> str:
    return text[text.index(heading):]


def test_input_errors_and_data_warnings_in_a_chinese_report(cli, tmp_path):
    _exports_with_problems(tmp_path / "exports")
    zh = cli("diagnose", "exports", "--no-history", "--lang", "zh", "--format", "text")
    assert zh.code == 3
    tail = _report_tail(zh.out, "数据提醒")
    assert "比率超过 100%，没有参与判断" in tail and "第 2 行，「支付转化率」列：" in tail
    assert "不是表格也不是 CSV（开头是 %PDF）：重新导出成 .xlsx 或 .csv" in tail
    names = re.compile(r"\S*\.(csv|xls)|%PDF|'[^']*'")  # file names and the values read stay as they are
    assert _latin_words(names.sub(" ", tail)) == [], tail


def test_input_errors_and_data_warnings_in_an_english_report(cli, tmp_path):
    _exports_with_problems(tmp_path / "exports")
    en = cli("diagnose", "exports", "--no-history", "--lang", "en", "--format", "text")
    tail = _report_tail(en.out, "Data warnings")
    assert "row 2, column 支付转化率: rate above 100%, left out" in tail
    assert "not a spreadsheet or CSV (starts with %PDF) — export it again as .xlsx or .csv" in tail
    assert "没有参与判断" not in tail and "重新导出" not in tail
    inspect = cli("inspect", "exports", "--lang", "zh")
    assert "不是表格也不是 CSV" in inspect.out and "第 2 行" in inspect.out and "not a spreadsheet" not in inspect.out


def test_a_reason_is_data_until_it_is_shown():
    from shopdoc.errors import InputError
    from shopdoc.messages import Said

    error = InputError("a.xlsx", Said("read.password"), sheet="商品", hint=Said("hint.no_password"))
    assert error.line() == "a.xlsx, sheet 商品: the workbook is password-protected — save a copy without a password"
    assert error.line("zh") == "a.xlsx，工作表「商品」：工作簿设了密码：另存一份不带密码的"
    nested = Said("read.foreign", what=Said("read.starts_with", start="%PDF"))
    assert (nested.words("zh"), str(nested)) == ("不是表格也不是 CSV（开头是 %PDF）", "not a spreadsheet or CSV (starts with %PDF)")
    with pytest.raises(KeyError):
        Said("read.no_such_code")


def test_thousands_in_the_count_of_to_dos():
    from shopdoc.report._words import words

    assert words("zh")["todo"].format(n=6060) == "今日待办 6,060 项"
    assert words("en")["todo"].format(n=6060) == "6,060 to-dos today"


def test_inspect_does_not_send_you_to_inspect(cli, tmp_path):
    from test_cli import not_an_export, shop_csv

    shop_csv(tmp_path / "exports")
    not_an_export(tmp_path / "exports")
    inspect = cli("inspect", "exports", "--lang", "zh")
    assert "对不上任何一种导出" in inspect.out and "shopdoc inspect" not in inspect.out + inspect.err
    diagnose = cli("diagnose", "exports", "--no-history", "--lang", "zh", "--format", "text")
    assert "（inputs.kinds）：运行 `shopdoc inspect 'exports/客户名单.csv'` 看它的列名" in diagnose.err
