"""The bid sheet: a view of the ad rules' verdicts, one row per subject, in the report's language,
written linearly as .csv or .xlsx with export text never a live formula."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from types import SimpleNamespace

import pandas as pd
import pytest

from shopdoc.api import build_report
from shopdoc.details import expand_table
from shopdoc.bidsheet import bid_table, write_bid_sheet
from shopdoc.config import Config, merge
from shopdoc.dataset import Dataset
from shopdoc.errors import UsageError

DAY = "2026-11-22"


def row(keyword, impressions, clicks, *, campaign="爆款-连衣裙", bid=1.00, cost=None, gmv=None, **extra):
    cost = clicks * 1.0 if cost is None else cost
    return {"date": DAY, "level": "keyword" if keyword else "campaign", "campaign": campaign,
            "ad_group": "夏装" if keyword else None, "keyword": keyword, "bid": bid if keyword else None,
            "impressions": impressions, "clicks": clicks, "cost": cost, "gmv": cost * 5 if gmv is None else gmv,
            **extra}


ACCOUNT = [
    row("ballast", 99_000, 1980),
    row("连衣裙 夏", 1000, 25, bid=1.20),  # high CTR, ROI 5: raise 1.20 -> 1.32
    row("连衣裙 女", 1000, 10, bid=0.80),  # low CTR but ROI 5: keep the bid, new creative, watch
    row("长裙", 2000, 24, bid=0.50, cost=120, gmv=390),  # low CTR and ROI 3.25 < 3.33: the ROI rule cuts it
    row("零点击", 2000, 0),  # many impressions, no click: pause
    row(None, 30_000, 900, campaign="新品计划"),  # a plan without bids: raise its budget
]


def report(rows=ACCOUNT, lang="zh", shop=None, margin=None):
    frames = {"ad_report": pd.DataFrame(rows)}
    if shop:
        frames["shop_daily"] = pd.DataFrame([{"date": DAY, **shop}])
    user = {"shop": {"gross_margin": margin}} if margin else {}
    return build_report(Dataset(frames=frames), Config(merge(user)), date=DAY, lang=lang,
                        now=datetime(2026, 11, 23, 7, 0))


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to show Chinese"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


ZH_HEADER = ["层级", "推广计划", "推广单元", "关键词", "匹配方式", "处理", "当前出价", "建议出价", "调整幅度", "点击率",
             "投产比", "每天涉及金额", "原因", "待办编号"]


def test_csv_has_one_row_per_subject_with_its_verdict_in_the_report_language(tmp_path):
    path = tmp_path / "改价.csv"
    written = write_bid_sheet(report(), str(path))
    header, *rows = read_csv(path)
    assert header == ZH_HEADER
    by_name = {r[3] or r[1]: r for r in rows}
    assert written == len(rows) == 5
    assert by_name["连衣裙 夏"][:10] == ["关键词", "爆款-连衣裙", "夏装", "连衣裙 夏", "", "加价", "1.20", "1.32",
                                      "+10.0%", "2.50%"]
    assert by_name["连衣裙 夏"][10] == "5.00"
    assert by_name["连衣裙 女"][5:8] == ["观察、换创意图（出价不动）", "0.80", ""]  # makes money: no cut
    assert by_name["长裙"][5:8] == ["降价", "0.50", "0.45"]
    assert by_name["长裙"][12] == "投产比低于保本（毛利率未设置，暂定）"
    assert by_name["零点击"][5] == "暂停或删词"
    assert by_name["新品计划"][:2] == ["计划", "新品计划"] and by_name["新品计划"][6:8] == ["", ""]
    assert [r[0] for r in rows][0] == "计划"  # plans first


def test_a_keyword_below_break_even_is_one_row_cut_by_the_roi_rule(tmp_path):
    path = tmp_path / "bids.csv"
    write_bid_sheet(report(), str(path))
    rows = [r for r in read_csv(path)[1:] if r[3] == "长裙"]
    assert len(rows) == 1  # low CTR too, but one verdict per keyword
    assert rows[0][11] == f"{120 - 390 * 0.3:.2f}"  # the day's loss


def test_a_set_margin_makes_the_reason_final(tmp_path):
    path = tmp_path / "bids.csv"
    write_bid_sheet(report(margin=0.25), str(path))
    assert not [r for r in read_csv(path)[1:] if "暂定" in r[12]]


def test_xlsx_holds_numbers_with_formats_and_english_headers(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "bids.xlsx"
    assert write_bid_sheet(report(lang="en"), str(path)) == 5
    book = load_workbook(path)
    sheet = book.active
    assert sheet.title == "Bid changes"
    values = list(sheet.values)
    assert values[0] == ("Level", "Campaign", "Ad group", "Keyword", "Match type", "Do", "Current bid", "Suggested bid",
                         "Change", "CTR", "ROI", "Money per day", "Reason", "To-do key")
    raised = next(r for r in values[1:] if r[3] == "连衣裙 夏")
    assert raised[:8] == ("Keyword", "爆款-连衣裙", "夏装", "连衣裙 夏", None, "Raise bid", 1.2, 1.32)
    assert raised[8] == pytest.approx(0.1) and raised[9] == pytest.approx(0.025)
    assert raised[12] == "high CTR, ROI above break-even"  # a raise is not a provisional cut
    cut = next(r for r in values[1:] if r[3] == "长裙")
    assert cut[12] == "ROI under break-even (provisional: gross margin not set)"
    row_number = [r[3] for r in values].index("连衣裙 夏") + 1
    assert sheet.cell(row=row_number, column=9).number_format == "+0.0%;-0.0%"
    assert sheet.cell(row=row_number, column=10).number_format == "0.00%"
    assert sheet.cell(row=row_number, column=7).number_format == "0.00"
    assert sheet.freeze_panes == "A2"


def test_held_raises_are_not_in_the_sheet(tmp_path):
    rep = report(shop={"visitors": 5000, "bounce_rate": 0.75, "pages_per_visitor": 3.2})
    path = tmp_path / "bids.csv"
    assert write_bid_sheet(rep, str(path)) == 3
    assert "连衣裙 夏" not in {r[3] for r in read_csv(path)[1:]}


def test_no_verdicts_still_writes_the_header(tmp_path):
    path = tmp_path / "bids.csv"
    assert write_bid_sheet(report(rows=[row("ballast", 99_000, 1980)]), str(path)) == 0
    assert len(read_csv(path)) == 1


def test_the_sheet_the_printed_list_and_the_json_agree(tmp_path):
    rep = report(rows=ACCOUNT + [row("长裙2", 2000, 24, bid=0.60, cost=120, gmv=390)])  # two cuts in one plan
    data = json.loads(json.dumps(rep.to_dict(), default=str))
    details = {}
    for table in data["details"]:
        if table["rule"].startswith("ads."):
            for r in expand_table(table):
                assert r["subject"] not in details, r["subject"]  # one verdict per subject in the JSON
                details[r["subject"]] = (table["msg"], r.get("suggested_bid"), r.get("current_bid", "not shown"))
    # The printed to-dos cover every subject once: one per subject, or one per plan and verdict.
    printed = {}
    for finding in rep.findings:
        if finding.rule.startswith("ads."):
            for subject in finding.values.get("_subjects") or [finding.subject]:
                assert subject not in printed, subject
                printed[subject] = finding.msg.removeprefix("group.")
    assert {s: m for s, (m, _, _) in details.items()} == printed
    assert any(f.count == 2 and f.msg == "group.cut_bid" for f in rep.findings)
    # The sheet is the same rows: the same verdicts and bids.
    sheet = bid_table(rep)
    assert len(sheet) == len(details)
    by_name = {(r["campaign"], r["keyword"] if isinstance(r["keyword"], str) else ""): r for r in sheet.to_dict("records")}
    for subject, (msg, suggested, current) in details.items():
        campaign, _, keyword = subject.split(":", 1)[1].partition("/")
        r = by_name[(campaign, keyword)]
        assert (None if pd.isna(r["suggested_bid"]) else r["suggested_bid"]) == suggested
        if current != "not shown":  # a zero-click pause carries no bids in its evidence
            assert (None if pd.isna(r["current_bid"]) else r["current_bid"]) == current


def fake_report(frame: pd.DataFrame, msg="cut_bid", lang="zh"):
    block = SimpleNamespace(rule="ads.roi_breakeven", msg=msg, frame=frame)
    return SimpleNamespace(blocks=[block], lang=lang, findings=[])


def keyword_frame(keywords: list[str]) -> pd.DataFrame:
    n = len(keywords)
    return pd.DataFrame({"subject": [f"keyword:计划/{k}" for k in keywords], "level": "keyword", "campaign": "计划",
                         "ad_group": "单元", "keyword": keywords, "match_type": None, "current_bid": [1.0] * n,
                         "suggested_bid": [0.9] * n, "change": [-0.1] * n, "ctr": [0.02] * n, "roi": [2.0] * n,
                         "money": [12.5] * n, "provisional": [False] * n})


@pytest.mark.parametrize("name", ["bids.csv", "bids.xlsx"])
def test_export_text_is_never_a_live_formula(tmp_path, name):
    evil = '=HYPERLINK("http://x.example","点我")'
    path = tmp_path / name
    assert write_bid_sheet(fake_report(keyword_frame([evil, "-减价", "正常"])), str(path)) == 3
    if name.endswith(".csv"):
        keywords = [r[3] for r in read_csv(path)[1:]]
        assert "'" + evil in keywords and "'-减价" in keywords and "正常" in keywords
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(path).active
        cells = [sheet.cell(row=i, column=4) for i in range(2, 5)]
        assert {c.value for c in cells} == {evil, "-减价", "正常"}
        assert all(c.data_type == "s" for c in cells)


def test_a_large_sheet_is_written_in_one_pass(tmp_path):
    n = 5000
    frame = keyword_frame([f"词{i}" for i in range(n)])
    for name in ("big.csv", "big.xlsx"):
        assert write_bid_sheet(fake_report(frame), str(tmp_path / name)) == n
    assert len(read_csv(tmp_path / "big.csv")) == n + 1


def test_other_extensions_are_a_usage_error(tmp_path):
    with pytest.raises(UsageError) as error:
        write_bid_sheet(report(), str(tmp_path / "bids.txt"))
    assert error.value.line() == "--bid-sheet: use a .csv or .xlsx file name"
    assert not (tmp_path / "bids.txt").exists()


@pytest.mark.parametrize("name", ["bids.csv", "bids.xlsx"])
def test_an_unwritable_path_is_a_usage_error_with_the_os_reason(tmp_path, name):
    with pytest.raises(UsageError) as error:
        write_bid_sheet(report(), str(tmp_path / "missing-folder" / name))
    assert "No such file or directory" in error.value.line()
    assert error.value.line().startswith("--bid-sheet: cannot write ")


# -- every proposed change, each with the key of the to-do that prints it -------------------------
def test_every_verdict_but_a_held_raise_is_a_change_in_the_sheet():
    from shopdoc.bidsheet import LEFT_OUT
    from shopdoc.rules.ads import VERDICTS

    # held raises (pages failing) are the only verdicts with nothing to apply today
    assert set(LEFT_OUT) == {"raise_held", "raise_held_plan"}
    assert {v for v, (_, _, severity, _) in VERDICTS.items() if v in LEFT_OUT} == set(LEFT_OUT)
    # pauses (critical and zero-click), cuts, raises, plan budget and target-ROI changes all stay in
    assert {"pause", "pause_plan", "pause_floor", "zero", "cut_budget", "cut_target", "raise_budget",
            "raise_target", "lower_budget", "lower_target"} <= set(VERDICTS) - set(LEFT_OUT)


def test_each_row_carries_the_printed_to_dos_key(tmp_path):
    rep = report(rows=ACCOUNT + [row("长裙2", 2000, 24, bid=0.60, cost=120, gmv=390)])  # two cuts in one plan
    sheet = bid_table(rep)
    keys = dict(zip(sheet["subject"], sheet["key"]))
    assert keys["keyword:爆款-连衣裙/长裙"] == keys["keyword:爆款-连衣裙/长裙2"] == \
        "ads.roi_breakeven campaign:爆款-连衣裙 cut_bid"  # the group's key
    assert keys["keyword:爆款-连衣裙/零点击"] == "ads.zero_click keyword:爆款-连衣裙/零点击"
    printed = {f.key for f in rep.findings}
    assert set(keys.values()) <= printed and all(keys.values())
    path = tmp_path / "bids.csv"
    write_bid_sheet(rep, str(path))
    header, *rows = read_csv(path)
    assert header[-1] == "待办编号" and {r[-1] for r in rows} == set(keys.values())


def test_rows_an_account_level_to_do_stands_for_carry_its_key():
    # 24 keywords in 4 plans, all far below break-even: one account-level to-do
    rows = [row("ballast", 99_000, 1980)]
    for plan in range(4):
        for n in range(6):
            rows.append(row(f"词{plan}-{n}", 2000, 40, campaign=f"计划{plan}", bid=1.0, cost=400, gmv=100))
    rep = report(rows=rows)
    sheet = bid_table(rep)
    account = [f for f in rep.findings if f.subject == "account" and f.rule == "ads.roi_breakeven"]
    assert len(account) == 1
    pauses = sheet[sheet["msg"] == "pause"]
    assert len(pauses) == 24 and set(pauses["key"]) == {account[0].key}
