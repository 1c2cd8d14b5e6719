"""The bid sheet written from a real report: which rows, what numbers, which language, which file."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import datetime

import pandas as pd
import pytest

from shopdoc.api import build_report
from shopdoc.bidsheet import write_bid_sheet
from shopdoc.config import Config, merge
from shopdoc.dataset import Dataset
from shopdoc.errors import UsageError

DAY = "2026-11-22"


def row(keyword, impressions, clicks, *, campaign="爆款-连衣裙", bid=1.00, cost=None, gmv=None):
    cost = clicks * 1.0 if cost is None else cost
    return {"date": DAY, "level": "keyword" if keyword else "campaign", "campaign": campaign,
            "ad_group": "夏装" if keyword else None, "keyword": keyword, "bid": bid if keyword else None,
            "impressions": impressions, "clicks": clicks, "cost": cost, "gmv": cost * 5 if gmv is None else gmv}


ACCOUNT = [
    row("ballast", 99_000, 1980),
    row("连衣裙 夏", 1000, 25, bid=1.20),  # high CTR, ROI 5: raise 1.20 -> 1.32
    row("连衣裙 女", 1000, 10, bid=0.80),  # low CTR: lower 0.80 -> 0.72
    row("长裙", 2000, 24, bid=0.50, cost=120, gmv=390),  # low CTR and ROI 3.25 < 3.33: the ROI rule cuts it
    row(None, 30_000, 150, campaign="新品计划"),  # low CTR campaign without bids: not in the sheet
]


def report(rows=ACCOUNT, lang="zh", shop=None):
    frames = {"ad_report": pd.DataFrame(rows)}
    if shop:
        frames["shop_daily"] = pd.DataFrame([{"date": DAY, **shop}])
    return build_report(Dataset(frames=frames), Config(merge({})), date=DAY, lang=lang,
                        now=datetime(2026, 11, 23, 7, 0))


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to show Chinese"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_csv_has_one_row_per_change_in_the_report_language(tmp_path):
    path = tmp_path / "改价.csv"
    written = write_bid_sheet(report(), str(path))
    header, *rows = read_csv(path)
    assert header == ["层级", "推广计划", "推广单元", "关键词", "当前出价", "建议出价", "调整幅度", "点击率",
                      "账户平均点击率", "投产比", "原因"]
    assert written == len(rows) == 3
    by_keyword = {r[3]: r for r in rows}
    assert by_keyword["连衣裙 夏"][:7] == ["关键词", "爆款-连衣裙", "夏装", "连衣裙 夏", "1.20", "1.32", "+10.0%"]
    assert by_keyword["连衣裙 夏"][7] == "2.50%"
    assert by_keyword["连衣裙 夏"][9] == "5.00"
    assert by_keyword["连衣裙 女"][4:7] == ["0.80", "0.72", "-10.0%"]
    assert "点击率只有 1.00%" in by_keyword["连衣裙 女"][10]
    assert "新品计划" not in {r[1] for r in rows}


def test_a_keyword_below_break_even_is_cut_once_by_the_roi_rule(tmp_path):
    rep = report()
    cuts = [f for f in rep.findings if f.subject == "keyword:爆款-连衣裙/长裙" and f.evidence.get("suggested_bid")]
    assert {f.rule for f in cuts} == {"ads.roi_breakeven"}  # low CTR too, but one verdict per keyword
    path = tmp_path / "bids.csv"
    write_bid_sheet(rep, str(path))
    rows = [r for r in read_csv(path)[1:] if r[3] == "长裙"]
    assert len(rows) == 1
    assert rows[0][5] == f"{cuts[0].evidence['suggested_bid']:.2f}"
    assert "保本投产比" in rows[0][10]


def test_two_cuts_on_one_keyword_give_one_row_with_the_lower_bid_and_both_reasons(tmp_path):
    rep = report()
    cut = next(f for f in rep.findings if f.subject == "keyword:爆款-连衣裙/长裙" and f.evidence.get("suggested_bid"))
    ctr_cut = replace(cut, rule="ads.ctr_bid", title="关键词「长裙」点击率只有 1.20%",
                      evidence={**cut.evidence, "suggested_bid": 0.46})
    rep.findings.append(ctr_cut)
    path = tmp_path / "bids.csv"
    write_bid_sheet(rep, str(path))
    rows = [r for r in read_csv(path)[1:] if r[3] == "长裙"]
    assert len(rows) == 1
    assert cut.evidence["suggested_bid"] == 0.45
    assert rows[0][5] == "0.45"  # the lower of the two suggestions
    assert "点击率" in rows[0][10] and "保本投产比" in rows[0][10]


def test_xlsx_holds_numbers_with_formats_and_english_headers(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "bids.xlsx"
    assert write_bid_sheet(report(lang="en"), str(path)) == 3
    sheet = load_workbook(path).active
    assert sheet.title == "Bid changes"
    values = list(sheet.values)
    assert values[0] == ("Level", "Campaign", "Ad group", "Keyword", "Current bid", "Suggested bid", "Change", "CTR",
                         "Account CTR", "ROI", "Reason")
    raised = next(r for r in values[1:] if r[3] == "连衣裙 夏")
    assert raised[:6] == ("Keyword", "爆款-连衣裙", "夏装", "连衣裙 夏", 1.2, 1.32)
    assert raised[6] == pytest.approx(0.1)
    assert raised[7] == pytest.approx(0.025)
    assert raised[10].startswith("Keyword “连衣裙 夏”")
    row_number = [r[3] for r in values].index("连衣裙 夏") + 1
    assert sheet.cell(row=row_number, column=7).number_format == "+0.0%;-0.0%"
    assert sheet.cell(row=row_number, column=8).number_format == "0.00%"


def test_held_raises_are_not_in_the_sheet(tmp_path):
    rep = report(shop={"visitors": 5000, "bounce_rate": 0.75, "pages_per_visitor": 3.2})
    assert any(f.evidence.get("held") for f in rep.findings)
    path = tmp_path / "bids.csv"
    assert write_bid_sheet(rep, str(path)) == 2
    assert "连衣裙 夏" not in {r[3] for r in read_csv(path)[1:]}


def test_no_changes_still_writes_the_header(tmp_path):
    path = tmp_path / "bids.csv"
    assert write_bid_sheet(report(rows=[row("ballast", 99_000, 1980)]), str(path)) == 0
    assert len(read_csv(path)) == 1


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
