"""Hostile and broken inputs: each is refused alone, in one line, within a time bound and under 1 GiB,
and the good export beside it is still reported (exit 3: report produced, an input could not be read)."""

from __future__ import annotations

import os
import zipfile

import pytest

import exports
from hostile import (GIB, deflate_bomb, good_keywords, keyword_rows, lying_zip, raw_xlsx, run_shopdoc, sheet_xml,
                     sparse_xls, sparse_xlsx, truncated_xls)
from shopdoc.config import Config, defaults, merge
from shopdoc.io import load_paths


def diagnose(folder, *extra, timeout=60):
    """In English: the lines these tests read are the catalogue's English (a Chinese run says the same
    in Chinese, tested in test_messages.py)."""
    lang = () if "--lang" in extra else ("--lang", "en")
    return run_shopdoc("diagnose", str(folder / "in"), "--no-history", "--format", "json", *lang, *extra,
                       cwd=folder, timeout=timeout)


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "in").mkdir()
    good_keywords(tmp_path / "in")
    return tmp_path


def assert_refused_beside_good(run, *words, seconds=20):
    """Exit 3, the good keyword report read, exactly one stderr line naming the bad input."""
    import json

    assert run.code == 3, run.err
    assert "Traceback" not in run.err and "panicked" not in run.err
    assert all(line.startswith("shopdoc: ") for line in run.lines), run.err  # nothing a library printed
    report = json.loads(run.out)
    good = [item for item in report["inputs"] if item["status"] == "ok"]
    assert [item["path"].rsplit("/", 1)[1] for item in good] == ["直通车_关键词报表_20261122.csv"]
    bad = [line for line in run.lines if all(word in line for word in words)]
    assert len(bad) == 1, run.err
    assert run.seconds < seconds
    assert run.peak_bytes < GIB
    return bad[0]


def test_truncated_xls_is_one_line_not_a_panic(folder):
    (folder / "in" / "商品_全部.xls").write_bytes(truncated_xls(folder))
    line = assert_refused_beside_good(diagnose(folder), "商品_全部.xls", "export it again")
    assert "range end index" in line  # calamine's own words, in the one line, nothing more


def test_sparse_xlsx_is_refused_before_calamine_lays_it_out(folder):
    (folder / "in" / "report.xlsx").write_bytes(sparse_xlsx())
    line = assert_refused_beside_good(diagnose(folder), "report.xlsx", "Sheet1", "XFD")
    assert "inputs.limits.max_columns" in line


@pytest.mark.parametrize("ref, words, limit", [
    ("A1234567890", ("1,234,567,890",), "max_rows"),  # ten digits: calamine lays out 1.2 billion rows and aborts
    ("zzzz1048576", ("ZZZZ",), "max_columns"),  # lower case: calamine reads it as ZZZZ
])
def test_positions_calamine_reads_past_the_usual_shape_are_refused_too(folder, ref, words, limit):
    rows = [["日期", "关键词", "花费"]] + [["2026-11-22", f"词{n}", "1.00"] for n in range(30_000)]
    (folder / "in" / "report.xlsx").write_bytes(raw_xlsx({"Sheet1": sheet_xml(rows, cells={
        "D29000": "x"}).replace('r="D29000"', f'r="{ref}"')}))
    line = assert_refused_beside_good(diagnose(folder), "report.xlsx", "Sheet1", *words)
    assert f"inputs.limits.{limit}" in line


def test_a_bad_sheet_does_not_drop_the_good_sheet_of_the_same_workbook(tmp_path):
    good = sheet_xml(keyword_rows(210))
    bad = sheet_xml(cells={"A1": "说明", "B600000": "x", "ZZ2": "y"})
    path = tmp_path / "直通车.xlsx"
    path.write_bytes(raw_xlsx({"关键词": good, "说明": bad}))
    dataset = load_paths([str(path)], Config(merge({"shop": {"lang": "en"}})))
    by_sheet = {item.sheet: item for item in dataset.inputs}
    assert by_sheet["关键词"].status == "ok" and by_sheet["关键词"].rows == 210
    assert by_sheet["说明"].status == "error" and "inputs.limits" in by_sheet["说明"].error


def test_zip_member_that_is_binary_is_named_and_the_csv_beside_it_read(tmp_path):
    good = exports.csv_bytes(keyword_rows())
    path = exports.write_zip(tmp_path / "计划报表.zip", {"关键词.csv": good, "截图.csv": b"\x89PNG\r\n\x1a\n" + bytes(300)})
    dataset = load_paths([str(path)], Config(merge({"shop": {"lang": "en"}})))
    statuses = {item.sheet: (item.status, item.error) for item in dataset.inputs}
    assert statuses["关键词.csv"][0] == "ok"
    assert statuses["截图.csv"][0] == "error" and "PNG" in statuses["截图.csv"][1]
    assert dataset.frames["ad_report"].shape[0] == 12


def test_zip_bomb_member_is_refused_within_the_budget(folder):
    (folder / "shopdoc.yaml").write_text("inputs:\n  limits:\n    max_file_mb: 16\n", encoding="utf-8")
    bomb = deflate_bomb("关键词_全部.csv", 40 << 20)
    assert len(bomb) < 100_000
    (folder / "in" / "bomb.zip").write_bytes(bomb)
    line = assert_refused_beside_good(diagnose(folder, "--config", str(folder / "shopdoc.yaml")),
                                      "bomb.zip", "关键词_全部.csv", "16 MiB")
    assert "inputs.limits.max_file_mb" in line


def test_a_zip_header_that_lies_about_its_size_is_still_bounded(tmp_path):
    limits_config = Config(merge({"shop": {"lang": "en"}}))
    limits_config.data["inputs"]["limits"] = {"max_file_mb": 1}
    data = lying_zip("关键词.csv", b"0" * (3 << 20), declared=100)
    path = tmp_path / "lying.zip"
    path.write_bytes(data)
    item = load_paths([str(path)], limits_config).inputs[0]
    assert item.status == "error" and item.sheet == "关键词.csv"


def test_run_budget_stops_reading_but_names_what_it_skipped(tmp_path):
    (tmp_path / "in").mkdir()
    config = Config(merge({"shop": {"lang": "en"}}))
    config.data["inputs"]["limits"] = {"max_run_mb": 1}
    for n in range(3):
        exports.write_csv(tmp_path / "in" / f"关键词_{n}.csv", keyword_rows(6000))
    dataset = load_paths([str(tmp_path / "in")], config)
    refused = [item for item in dataset.inputs if item.status == "error"]
    assert refused and all("inputs.limits.max_run_mb" in item.error for item in refused)
    assert any(item.status == "ok" for item in dataset.inputs)


def test_too_many_members_read_the_first_and_say_so(tmp_path):
    config = Config(merge({"shop": {"lang": "en"}}))
    config.data["inputs"]["limits"] = {"max_zip_members": 3}
    members = {f"关键词_{n:02}.csv": exports.csv_bytes(keyword_rows(2)) for n in range(8)}
    path = exports.write_zip(tmp_path / "many.zip", members)
    dataset = load_paths([str(path)], config)
    assert sum(item.status == "ok" for item in dataset.inputs) == 3
    errors = [item.error for item in dataset.inputs if item.status == "error"]
    assert len(errors) == 1 and "5 were not" in errors[0] and "max_zip_members" in errors[0]


def test_rows_over_the_limit_are_one_line(tmp_path):
    config = Config(merge({"shop": {"lang": "en"}}))
    config.data["inputs"]["limits"] = {"max_rows": 500}
    path = exports.write_csv(tmp_path / "big.csv", keyword_rows(2000))
    item = load_paths([str(path)], config).inputs[0]
    assert item.status == "error" and "more than 500 rows" in item.error and "max_rows" in item.error


def test_csv_with_nul_control_long_cell_and_mixed_encodings_is_read_with_warnings(tmp_path):
    rows = keyword_rows(6)
    rows[2][3] = "羊毛\x00衫"
    rows[3][3] = "羊毛衫\x07"
    rows[4][3] = "长" * 140_000
    text = exports.csv_bytes(rows, encoding="utf-8")
    gbk_line = "2026-11-22,计划A,单元1,开衫GBK,1.2,3000,50,60.0,300.0,3\r\n".encode("gbk")
    path = tmp_path / "直通车_关键词.csv"
    path.write_bytes(text + gbk_line)
    dataset = load_paths([str(path)], Config(merge({"shop": {"lang": "en"}})))
    item = dataset.inputs[0]
    assert item.status == "ok" and item.rows == 7, item.error
    keywords = list(dataset.frames["ad_report"]["keyword"])
    assert "开衫GBK" in keywords and "羊毛衫" in keywords
    reasons = " | ".join(w.reason for w in item.warnings)
    assert "NUL" in reasons and "32,767" in reasons


def test_review_text_holding_escape_sequences_is_read_not_refused(tmp_path):
    rows = [["评价时间", "商品ID", "评价等级", "评价内容", "订单号"]] + [
        ["2026-11-22 10:00", "5531", "差评", f"质量差\x1b[2J\x1b]0;owned\x07第{i}条", f"88{i}"] for i in range(5)]
    path = exports.write_csv(tmp_path / "评价.csv", rows, encoding="utf-8")
    dataset = load_paths([str(path)], Config(merge({"shop": {"lang": "en"}})))
    assert dataset.inputs[0].status == "ok", dataset.inputs[0].error
    assert dataset.frames["review"].shape[0] == 5


def test_huge_file_of_nuls_is_refused_by_size_without_reading_it(folder):
    huge = folder / "in" / "空白.csv"
    with open(huge, "wb") as handle:
        handle.truncate(2 * GIB)  # sparse: 2 GiB of NULs that take no disk
    assert_refused_beside_good(diagnose(folder), "空白.csv", "over the limit of 256 MiB", seconds=20)


def test_a_fifo_given_by_name_does_not_hang(folder):
    fifo = folder / "in" / "pipe.csv"
    os.mkfifo(fifo)
    run = run_shopdoc("diagnose", str(fifo), str(folder / "in" / "直通车_关键词报表_20261122.csv"),
                      "--no-history", "--format", "json", cwd=folder, timeout=30)
    assert run.code == 3 and "pipe.csv: 不是普通文件（是管道或设备）" in run.err  # the user's language (zh here)


def test_damaged_zip_is_one_line(tmp_path):
    path = tmp_path / "计划.zip"
    data = exports.write_zip(tmp_path / "ok.zip", {"计划.csv": exports.csv_bytes(keyword_rows())}).read_bytes()
    path.write_bytes(data[:40] + b"\x00" * 30 + data[70:])
    item = load_paths([str(path)], Config(merge({"shop": {"lang": "en"}}))).inputs[0]
    assert item.status == "error" and "please report" not in item.error


def test_member_names_in_utf8_without_the_flag_are_not_mojibake(tmp_path):
    path = tmp_path / "计划.zip"
    name = "关键词报表.csv".encode("utf-8")
    placeholder = b"k" * (len(name) - 4) + b".csv"  # ASCII: written without the UTF-8 flag
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(placeholder.decode(), exports.csv_bytes(keyword_rows()))
        archive.writestr("说明.csv", b"\x89PNG\r\n\x1a\n" + bytes(100))
    path.write_bytes(path.read_bytes().replace(placeholder, name))
    sheets = {item.sheet for item in load_paths([str(path)], Config(merge({"shop": {"lang": "en"}}))).inputs}
    assert "关键词报表.csv" in sheets


def test_real_xls_renamed_xlsx_and_the_reverse_are_read_by_content(tmp_path):
    xls = exports.write_xls(tmp_path / "a.xls", keyword_rows())
    xlsx = exports.write_xlsx(tmp_path / "b.xlsx", keyword_rows())
    os.rename(xls, tmp_path / "a.xlsx")
    os.rename(xlsx, tmp_path / "b.xls")
    dataset = load_paths([str(tmp_path / "a.xlsx"), str(tmp_path / "b.xls")], Config(merge({"shop": {"lang": "en"}})))
    assert [item.status for item in dataset.inputs] == ["ok", "ok"]


def test_csv_cells_over_the_limit_are_one_line(tmp_path):
    config = Config(merge({"shop": {"lang": "en"}}))
    config.data["inputs"]["limits"] = {"max_cells": 100}
    path = exports.write_csv(tmp_path / "wide.csv", keyword_rows(20))  # 21 rows × 10 columns
    item = load_paths([str(path)], config).inputs[0]
    assert item.status == "error" and "more than 100 cells" in item.error and "max_cells" in item.error


def test_a_csv_with_a_stray_cr_or_old_mac_line_ends_is_read(tmp_path):
    rows = keyword_rows(5)
    text = exports.csv_bytes(rows, encoding="utf-8").decode("utf-8")
    stray = tmp_path / "直通车_关键词_stray.csv"
    stray.write_bytes(text.replace("羊毛衫2", "羊毛\r衫2", 1).encode("utf-8"))  # unquoted CR inside a cell
    mac = tmp_path / "直通车_关键词_mac.csv"
    mac.write_bytes(text.replace("\r\n", "\r").encode("utf-8"))
    for path in (stray, mac):
        item = load_paths([str(path)], Config(defaults())).inputs[0]
        assert item.status == "ok", item.error


def test_repeated_csv_cells_share_one_string(tmp_path):
    """A big keyword report repeats its day, plans and units: each distinct cell is held once
    (a 1 M-row CSV read in 376 MiB instead of 888 MiB; see benchmarks/hostile.py)."""
    from shopdoc.io.readers import read_tables

    path = exports.write_csv(tmp_path / "kw.csv", keyword_rows(50))
    rows = read_tables(str(path))[0].rows
    assert len({id(row[0]) for row in rows[1:]}) == 1 and len({id(row[1]) for row in rows[1:]}) == 1


@pytest.mark.parametrize("lang, words", [
    ("zh", "超过 500 行：如果文件确实没问题，在配置里调高 inputs.limits.max_rows"),
    ("en", "more than 500 rows — raise inputs.limits.max_rows in the config if the file is genuine"),
])
def test_a_refusal_is_one_line_in_the_report_language(tmp_path, lang, words):
    (tmp_path / "in").mkdir()
    good_keywords(tmp_path / "in")
    exports.write_csv(tmp_path / "in" / "big.csv", keyword_rows(2000))
    (tmp_path / "shopdoc.yaml").write_text("inputs:\n  limits:\n    max_rows: 500\n", encoding="utf-8")
    run = diagnose(tmp_path, "--config", str(tmp_path / "shopdoc.yaml"), "--lang", lang)
    assert assert_refused_beside_good(run, "big.csv") == f"shopdoc: {tmp_path / 'in' / 'big.csv'}: {words}"


def test_sparse_xls_sheet_is_refused_before_calamine_lays_it_out(folder):
    (folder / "in" / "商品.xls").write_bytes(sparse_xls(folder))
    run = diagnose(folder)
    assert run.code == 3 and "Traceback" not in run.err
    line, = [line for line in run.lines if "商品.xls" in line]
    assert "[说明]" in line and "65,536 rows × 256 columns" in line and "inputs.limits.max_cells" in line
    import json

    read = {(item["path"].rsplit("/", 1)[1], item.get("sheet")): item["status"] for item in json.loads(run.out)["inputs"]}
    assert read[("商品.xls", "关键词")] == "ok"  # the good sheet of the same workbook
    assert read[("直通车_关键词报表_20261122.csv", None)] == "ok"
    assert run.seconds < 20 and run.peak_bytes < GIB / 2  # 1 GiB before: calamine laid out 16.7 M cells (about 130-360 MiB now, with the good file read beside it)


def test_a_folder_that_can_be_listed_but_not_entered_is_unreadable_not_empty(cli, tmp_path, monkeypatch):
    """(r-- without x: the names list, every stat fails; root ignores modes, so the stat is made to fail.)"""
    folder = tmp_path / "exports"
    folder.mkdir()
    good_keywords(folder)
    real_stat = os.stat

    def no_entry(path, *args, **kwargs):
        if str(path).startswith(str(folder) + os.sep):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", no_entry)
    run = cli("diagnose", str(folder), "--no-history", "--lang", "en")
    assert run.code == 2, run.err
    lines = [line for line in run.err.splitlines() if line.strip()]
    assert any(f"{folder}: the folder cannot be read (Permission denied)" in line for line in lines), run.err
    assert "no export files" not in run.err
