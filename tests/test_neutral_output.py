"""Export text written back out is inert: no live formula in the bid sheet, no escape sequence on the
terminal or in chat, and a number that is not finite is a data warning, never a value."""

from __future__ import annotations

import csv
import os

import pytest

import exports
from hostile import GIB, keyword_rows, run_shopdoc
from shopdoc.neutral import clean_text, csv_cell, guard_output, guard_output_bytes, is_formula_like

PAYLOADS = ['=HYPERLINK("http://evil.example/x","点我")', "+cmd|' /C calc'!A0", "=WEBSERVICE(\"http://e.x\")",
            "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "＝1+1"]
TERMINAL = ["\x1b[2J清屏", "\x1b]8;;http://evil.example\x1b\\链接\x1b]8;;\x1b\\", "\x1b]52;c;aGVsbG8=\x07剪贴板",
            "\x1b]0;标题\x07", "\x9b31m红", "\u202egpj.exe", "回车\r覆盖", "删除\x7f", "\x1bc重置"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_like_cells_get_the_owasp_quote(payload):
    assert csv_cell(payload).startswith("'")


@pytest.mark.parametrize("number", ["-12.5", "+3%", "1,391", "-0.5", "3"])
def test_plain_numbers_stay_numbers(number):
    assert not is_formula_like(number) and csv_cell(number) == number


@pytest.mark.parametrize("payload", TERMINAL)
def test_clean_text_leaves_no_control_and_shows_where_it_cut(payload):
    text = clean_text(payload)
    assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f or 0x202a <= ord(c) <= 0x202e for c in text)
    assert clean_text(text) == text  # idempotent: io and the writers may both apply it


def test_guard_keeps_colour_codes_only():
    assert guard_output("\x1b[1;31m红\x1b[0m \x1b]0;x\x07", colour=True) == "\x1b[1;31m红\x1b[0m \ufffd"


def ad_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    rows = keyword_rows(2)
    header = rows[0]
    for index, text in enumerate(PAYLOADS + TERMINAL):
        # low CTR and ROI under break-even: each payload gets a bid change in the sheet
        rows.append(["2026-11-22", f"计划{text}", "单元1", text, 1.0, 50_000, 60, 300.0, 975.0, 3])
    rows += [["2026-11-22", "计划A", "单元1", f"均衡{i}", 1.0, 10_000, 300, 300.0, 3000.0, 30] for i in range(40)]
    exports.write_csv(folder / "直通车_关键词.csv", [header] + rows[1:], encoding="utf-8")
    reviews = [["评价时间", "商品ID", "商品名称", "评价等级", "评价内容", "订单号"]] + [
        ["2026-11-22 10:00", "5531", f"商品{text}", "差评", f"差{text}评", f"88{n}"] for n, text in enumerate(TERMINAL)]
    exports.write_csv(folder / "评价.csv", reviews, encoding="utf-8")
    return folder


def test_bid_sheet_holds_no_live_formula(tmp_path):
    from openpyxl import load_workbook

    folder = ad_folder(tmp_path)
    for name in ("bids.xlsx", "bids.csv"):
        run = run_shopdoc("diagnose", str(folder), "--no-history", "--bid-sheet", str(tmp_path / name),
                          "--format", "text", cwd=tmp_path)
        assert run.code == 0 and run.lines == [f"shopdoc: 已把 59 条出价调整写入 {tmp_path / name}"], run.err
        assert run.seconds < 30 and run.peak_bytes < GIB
    sheet = load_workbook(tmp_path / "bids.xlsx").active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.value for cell in cells if cell.data_type == "f"]
    keywords = {cell.value for cell in cells if cell.column == 4}
    assert 'HYPERLINK("http://evil.example/x","点我")' in " ".join(map(str, keywords))
    with open(tmp_path / "bids.csv", encoding="utf-8-sig", newline="") as handle:
        written = [cell for row in csv.reader(handle) for cell in row]
    assert not [cell for cell in written if is_formula_like(cell)]
    assert any(cell.startswith("'=HYPERLINK") for cell in written)


@pytest.mark.parametrize("fmt, flavor", [("text", None), ("rich", None), ("json", None), ("markdown", "generic"),
                                         ("markdown", "dingtalk"), ("markdown", "wecom"), ("markdown", "feishu"),
                                         ("markdown", "slack")])
def test_terminal_and_chat_output_carry_no_escape(tmp_path, fmt, flavor):
    folder = ad_folder(tmp_path)
    extra = ["--flavor", flavor] if flavor else []
    run = run_shopdoc("diagnose", str(folder), "--no-history", "--format", fmt, *extra, cwd=tmp_path)
    assert run.code == 0 and not run.err.strip(), run.err
    assert run.seconds < 30 and run.peak_bytes < GIB
    for stream in (run.out, run.err):
        bad = [c for c in stream if (ord(c) < 32 and c not in "\n") or 0x7f <= ord(c) <= 0x9f
               or 0x202a <= ord(c) <= 0x202e]
        assert not bad, sorted(set(bad))
    assert "差" in run.out  # the reviews are there, only inert


def test_bid_sheet_on_a_full_disk_is_one_line(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    folder = ad_folder(tmp_path)
    for name in ("full.xlsx", "full.csv"):
        os.symlink("/dev/full", tmp_path / name)
        run = run_shopdoc("diagnose", str(folder), "--no-history", "--bid-sheet", str(tmp_path / name),
                          "--format", "text", cwd=tmp_path)
        assert "Traceback" not in run.err
        lines = [line for line in run.lines if name in line]
        assert len(lines) == 1 and "No space left" in lines[0], run.err
        assert run.out.strip()  # the report still printed


def test_non_finite_number_is_a_data_warning_not_a_crash(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    rows = keyword_rows(30)
    rows[3][7] = "1E+400"
    rows[4][5] = "inf"
    exports.write_csv(folder / "直通车_关键词.csv", rows, encoding="utf-8")
    for fmt in ("text", "markdown", "json"):
        run = run_shopdoc("diagnose", str(folder), "--no-history", "--format", fmt, cwd=tmp_path)
        assert run.code == 0 and run.out.strip(), run.err
        assert len(run.lines) == 1 and "直通车_关键词.csv: 2 条数据提醒" in run.lines[0], run.err  # one line, the file
        assert run.seconds < 30 and run.peak_bytes < GIB
        assert "Infinity" not in run.out and "NaN" not in run.out and "∞" not in run.out
    import json

    report = json.loads(run.out)
    (item,) = report["inputs"]
    assert item["status"] == "ok" and item["rows"] == 30  # the rows beside the bad cells are all read
    warned = {(w["row"], w["column"]) for w in item["warnings"]}
    assert (4, "花费") in warned and (5, "展现量") in warned  # header on row 1
    judged = {row[0] for block in report["details"] if block["rule"] == "ads.ctr_bid" for row in block["rows"]}
    assert judged  # ads.ctr_bid still judges the keywords beside the bad cells (the issue: its findings vanished)


def test_the_utf8_guard_finds_what_the_text_guard_finds():
    """A JSON file is guarded as bytes: each character the text guard takes out, the bytes guard
    finds too, and nothing else (Chinese, ¥, emoji and the rest of UTF-8 pass untouched)."""
    suspect = [chr(code) for code in [*range(0, 9), *range(11, 32), *range(0x7F, 0xA0), 0x200E, 0x200F,
                                      *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x061C]]
    for char in suspect:
        text = f'{{"keyword": "针织衫{char}女"}}'
        assert guard_output_bytes(text.encode()) == guard_output(text).encode(), repr(char)
        assert guard_output(text) != text, repr(char)
    fine = "".join(chr(code) for code in [9, 10, 0xA0, 0xA5, 0x2028, 0x200B, 0x2069 + 1, 0x202F, 0x4E2D, 0x1F600])
    fine += "".join(chr(code) for code in range(0x2000, 0x2100) if chr(code) not in suspect)
    assert guard_output_bytes(fine.encode()) == fine.encode() == guard_output(fine).encode()
