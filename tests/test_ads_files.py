"""The ad rules on real-shaped export files, read through `shopdoc.io.load_paths`.

直通车 keyword CSV in GBK with its 合计 row, a 万相台 campaign report zipped with CTR as fractions,
a Google Ads keyword report with its title, date-range and `Total:` lines, and an Amazon Sponsored
Products search-term report (.xlsx): high-CTR plans raised, low-CTR ones that make money given a
creative task (never cut), low-CTR ones that lose money lowered, many-impression keywords without a
click flagged, low-data ones held, totals never judged.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from exports import google_ads_keywords, wxt_plans_zip, ztc_keywords
from shopdoc.api import build_report
from shopdoc.bidsheet import write_bid_sheet
from shopdoc.config import Config, merge
from shopdoc.io import load_paths

DAY = "2026-11-22"


def load(*paths: Path):
    config = Config(merge({}))
    dataset = load_paths([str(p) for p in paths], config)
    assert [item.status for item in dataset.inputs] == ["ok"] * len(dataset.inputs), \
        [(item.path, item.error) for item in dataset.inputs]
    return dataset, config


def diagnose(*paths: Path, lang: str = "en", date: str | None = DAY):
    dataset, config = load(*paths)
    return build_report(dataset, config, date=date, lang=lang)


def by_subject(report, rule: str) -> dict:
    """The rule's verdicts by subject, from the report's blocks (one row per subject), with the
    printed to-do's action where the subject has a to-do of its own."""
    actions = {f.subject: f.action for f in report.findings if f.rule == rule and f.count == 1}
    out = {}
    for block in report.blocks:
        if block.rule != rule:
            continue
        for row in block.frame.to_dict("records"):
            assert row["subject"] not in out, row["subject"]
            evidence = {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
            out[row["subject"]] = SimpleNamespace(evidence=evidence, owner=block.owner, verdict=block.msg,
                                                  action=actions.get(row["subject"], ""))
    return out


def held(report, rule: str) -> dict:
    return {s.subject: s.reason for s in report.skipped if s.rule == rule and s.subject}


def all_subjects(report) -> set[str]:
    rows = {s for b in report.blocks for s in b.frame["subject"]}
    return rows | {s.subject for s in report.skipped if s.subject}


# -- 直通车 keyword report: GBK CSV with a 合计 row -----------------------------------------------------
ZTC_PLAN, ZTC_UNIT = "爆款连衣裙", "夏季新款"


def ztc(keyword, impressions, clicks, cost, gmv, bid):
    return {"日期": DAY, "推广计划": ZTC_PLAN, "推广单元": ZTC_UNIT, "关键词": keyword, "出价": bid,
            "展现量": impressions, "点击量": clicks, "点击率": clicks / impressions, "花费": cost,
            "平均点击花费": cost / clicks if clicks else None, "总成交金额": gmv,
            "投入产出比": gmv / cost if cost and gmv else None}


ZTC_ROWS = [
    ztc("连衣裙 女", 20_000, 400, 400.0, 2000.0, 1.00),  # the account's bulk
    ztc("连衣裙 夏 新款", 2_000, 80, 96.0, 480.0, 1.20),  # 4.00%, ROI 5: raise
    ztc("雪纺连衣裙", 3_000, 20, 20.0, 100.0, 0.80),  # 0.67% but ROI 5: new creative, watch, keep the bid
    ztc("亏钱短裙", 3_000, 20, 20.0, 20.0, 0.80),  # 0.67% and ROI 1.0: lower
    ztc("裙子", 1_500, 0, 0.0, None, 0.50),  # many impressions, no click
    ztc("碎花裙 长款", 120, 2, 2.0, None, 0.60),  # too little data: hold
]


@pytest.fixture
def ztc_file(tmp_path):
    path = ztc_keywords(tmp_path / "直通车_关键词报表_20261122.csv", ZTC_ROWS, encoding="gbk")
    assert "合计".encode("gbk") in path.read_bytes()
    return path


def test_ztc_keyword_csv_raises_lowers_flags_and_holds(ztc_file):
    report = diagnose(ztc_file, lang="zh")
    kw = "keyword:" + ZTC_PLAN + "/"
    ctr = by_subject(report, "ads.ctr_bid")
    account = (400 + 80 + 20 + 20 + 0 + 2) / (20_000 + 2_000 + 3_000 + 3_000 + 1_500 + 120)

    raised = ctr[kw + "连衣裙 夏 新款"]
    assert raised.evidence["direction"] == "raise"
    assert (raised.evidence["current_bid"], raised.evidence["suggested_bid"]) == (1.20, 1.32)
    assert raised.evidence["account_ctr"] == pytest.approx(account, abs=1e-4)
    assert raised.evidence["ad_group"] == ZTC_UNIT
    assert raised.action.startswith("出价从 1.20 加到 1.32")

    creative = ctr[kw + "雪纺连衣裙"]
    assert creative.owner == "design" and creative.evidence["direction"] == "creative"
    assert creative.evidence["suggested_bid"] is None and "出价不动" in creative.action
    lowered = ctr[kw + "亏钱短裙"]
    assert lowered.evidence["direction"] == "lower" and lowered.evidence["suggested_bid"] == 0.72

    zero = by_subject(report, "ads.zero_click")
    assert list(zero) == [kw + "裙子"]
    assert "暂停或删掉" in zero[kw + "裙子"].action

    assert held(report, "ads.ctr_bid")[kw + "碎花裙 长款"] == "观察中：数据不够，展现 120，至少要 500"


def test_ztc_totals_row_is_never_judged_nor_counted(ztc_file):
    report = diagnose(ztc_file)
    expected = {"keyword:" + ZTC_PLAN + "/" + row["关键词"] for row in ZTC_ROWS} | {"campaign:" + ZTC_PLAN}
    assert all_subjects(report) <= expected
    # Every judgement is held against the keywords' own sums: a 合计 row counted in would halve nothing
    # but double the impressions and clicks of the account.
    ctr = by_subject(report, "ads.ctr_bid")
    account_ctrs = [f.evidence["account_ctr"] for f in ctr.values()]
    assert account_ctrs and all(v == pytest.approx(522 / 29_620, abs=1e-4) for v in account_ctrs)
    assert sum(f.evidence["impressions"] for f in ctr.values()) == 8_000


def test_ztc_bid_sheet_from_the_file(ztc_file, tmp_path):
    report = diagnose(ztc_file, lang="zh")
    sheet = tmp_path / "改价表.csv"
    assert write_bid_sheet(report, str(sheet)) == 4  # raise, creative, lower, pause (zero clicks)
    text = sheet.read_text(encoding="utf-8-sig")
    assert "连衣裙 夏 新款,,加价,1.20,1.32,+10.0%" in text
    assert "亏钱短裙,,降价,0.80,0.72,-10.0%" in text
    assert "雪纺连衣裙,,观察、换创意图（出价不动）,0.80,,," in text


# -- 万相台 campaign report: a zip, CTR as fractions ----------------------------------------------------
def wxt(name, impressions, clicks, ctr, cost, gmv, plan_id):
    record = {"日期": DAY, "场景ID": "1", "场景名字": "关键词推广", "计划ID": plan_id, "计划名字": name,
              "花费": cost, "展现量": impressions, "点击率": ctr, "总成交金额": gmv, "投入产出比": round(gmv / cost, 2)}
    if clicks is not None:
        record["点击量"] = clicks
    return record


WXT_ROWS = [
    wxt("新品推广", 5_000, 50, 0.01, 60.0, 300.0, "101"),  # 1.0% but ROI 5: new creative, keep the budget
    wxt("爆款拉新", 20_000, 800, 0.04, 800.0, 4000.0, "102"),  # 4.0%, ROI 5: raise
    wxt("日常推广", 30_000, None, 0.025, 750.0, 3750.0, "103"),  # clicks only through CTR 0.025
]


def test_wxt_plan_zip_raises_budget_lowers_and_asks_design_for_images(tmp_path):
    path = wxt_plans_zip(tmp_path / "计划报表_20261122.zip", WXT_ROWS)
    report = diagnose(path, lang="zh")
    ctr = by_subject(report, "ads.ctr_bid")
    # 日常推广's clicks come from its fractional CTR: 30,000 x 0.025 = 750.
    account = (50 + 800 + 750) / 55_000
    raised = ctr["campaign:爆款拉新"]
    assert raised.evidence["direction"] == "raise"
    assert raised.evidence["account_ctr"] == pytest.approx(account, abs=1e-4)
    assert raised.evidence["current_bid"] is None and raised.evidence.get("suggested_bid") is None
    assert "出价和日限额各提高 10%" in raised.action
    creative = ctr["campaign:新品推广"]
    assert creative.evidence["direction"] == "creative" and creative.evidence["ctr"] == pytest.approx(0.01)
    assert creative.owner == "design" and "换主图" in creative.action
    assert "campaign:日常推广" not in ctr
    # Plans have no bids to change: their rows say what to do, with no bid.
    assert write_bid_sheet(report, str(tmp_path / "bids.csv")) == 2


# -- Google Ads keyword report: title, date range, Total: rows ------------------------------------------
def gads(keyword, match, impressions, clicks, cost, value, cpc="1.50"):
    return {"Keyword status": "Enabled", "Keyword": keyword, "Match type": match, "Campaign": "US - Dresses",
            "Ad group": "Dresses", "Max. CPC": cpc, "Currency code": "USD", "Impr.": f"{impressions:,}",
            "Clicks": f"{clicks:,}", "CTR": f"{clicks / impressions:.2%}", "Avg. CPC": f"{cost / clicks:.2f}" if clicks else " --",
            "Cost": f"{cost:,.2f}", "Conversions": "1", "Conv. value": f"{value:,.2f}",
            "Conv. value / cost": f"{value / cost:.2f}" if cost else " --"}


GADS_ROWS = [
    gads("summer dress", "Exact match", 10_000, 300, 450.0, 2250.0),
    gads("floral dress", "Phrase match", 1_200, 60, 90.0, 450.0),  # 5%: raise 1.50 -> 1.65
    gads("cheap dress", "Broad match", 2_000, 20, 30.0, 0.0, cpc="0.80"),  # 1%: lower 0.80 -> 0.72
    gads("dress", "Broad match", 1_500, 0, 0.0, 0.0),  # zero clicks
    gads("maxi dress sale", "Broad match", 80, 3, 4.5, 0.0),  # hold
]


def test_google_ads_keyword_report_with_title_date_and_total_lines(tmp_path):
    path = google_ads_keywords(tmp_path / "Keyword report.csv", GADS_ROWS, date_range="Nov 16, 2026 - Nov 22, 2026")
    report = diagnose(path)
    kw = "keyword:US - Dresses/"
    ctr = by_subject(report, "ads.ctr_bid")
    account = 383 / 14_780
    raised = ctr[kw + "floral dress"]
    assert (raised.evidence["current_bid"], raised.evidence["suggested_bid"]) == (1.50, 1.65)
    assert raised.evidence["currency"] == "USD"
    assert raised.evidence["account_ctr"] == pytest.approx(account, abs=1e-4)  # Total: rows not counted
    assert raised.evidence["match_type"] == "Phrase match"
    lowered = ctr[kw + "cheap dress"]
    assert (lowered.evidence["current_bid"], lowered.evidence["suggested_bid"]) == (0.80, 0.72)
    assert lowered.evidence["currency"] == "USD" and lowered.evidence["roi"] == 0
    assert list(by_subject(report, "ads.zero_click")) == [kw + "dress"]
    assert held(report, "ads.ctr_bid")[kw + "maxi dress sale"] == "hold: not enough data: 80 impressions, needs 500"
    assert not [s for s in all_subjects(report) if "Total" in s or s.endswith("/")]


# -- Amazon Sponsored Products search-term report (.xlsx) -----------------------------------------------
AMAZON_HEADERS = ["Start Date", "End Date", "Portfolio name", "Currency", "Campaign Name", "Ad Group Name", "Targeting",
                  "Match Type", "Customer Search Term", "Impressions", "Clicks", "Click-Thru Rate (CTR)",
                  "Cost Per Click (CPC)", "Spend", "7 Day Total Sales ", "Total Advertising Cost of Sales (ACoS) ",
                  "Total Return on Advertising Spend (RoAS)", "7 Day Total Orders (#)", "7 Day Conversion Rate"]


def amazon_search_terms(path: Path, rows: list[tuple]) -> Path:
    """(targeting, match, search term, impressions, clicks, spend, sales) per row, as Amazon writes the xlsx:
    date cells, numbers as numbers, rates as fractions shown as percentages."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sponsored Product Search Term R"
    sheet.append(AMAZON_HEADERS)
    for targeting, match, term, impressions, clicks, spend, sales in rows:
        sheet.append([dt.datetime(2026, 11, 16), dt.datetime(2026, 11, 22), "Not grouped", "USD",
                      "SP - Dresses - Manual", "Dresses", targeting, match, term, impressions, clicks,
                      clicks / impressions, spend / clicks if clicks else None, spend, sales,
                      spend / sales if sales else None, sales / spend if spend else None, 1 if sales else 0,
                      1 / clicks if clicks and sales else 0])
        for column, number_format in ((1, "mm/dd/yyyy"), (2, "mm/dd/yyyy"), (12, "0.00%"), (13, "$#,##0.00"),
                                      (14, "$#,##0.00"), (15, "$#,##0.00"), (16, "0.00%"), (19, "0.00%")):
            sheet.cell(row=sheet.max_row, column=column).number_format = number_format
    book.save(path)
    return path


AMAZON_ROWS = [
    ("summer dress", "EXACT", "summer dress", 10_000, 180, 180.0, 900.0),
    ("floral dress", "PHRASE", "floral dress women", 600, 30, 30.0, 150.0),
    ("floral dress", "PHRASE", "floral dress long", 600, 30, 30.0, 150.0),  # 60 / 1,200 = 5%: raise
    ("dress", "BROAD", "dress", 3_000, 15, 15.0, 75.0),
    ("dress", "BROAD", "red dress", 1_000, 5, 5.0, 25.0),  # 20 / 4,000 = 0.5%, ROI 5: creative, keep the bid
    ("cheap maxi dress", "BROAD", "cheap maxi dress", 1_200, 0, 0.0, 0.0),  # zero clicks
    ("boho dress", "BROAD", "boho dress", 200, 2, 2.0, 0.0),  # hold
]


def test_amazon_search_term_report_is_judged_per_targeting(tmp_path):
    path = amazon_search_terms(tmp_path / "Sponsored_Products_Search_term_report.xlsx", AMAZON_ROWS)
    report = diagnose(path, date=None)
    kw = "keyword:SP - Dresses - Manual/"
    ctr = by_subject(report, "ads.ctr_bid")
    raised = ctr[kw + "floral dress"]
    assert raised.evidence["impressions"] == 1_200 and raised.evidence["clicks"] == 60
    assert raised.evidence["direction"] == "raise" and raised.evidence["current_bid"] is None
    assert raised.action.startswith("Raise this keyword's bid by 10%")
    assert raised.evidence["account_ctr"] == pytest.approx(262 / 16_600, abs=1e-4)
    assert ctr[kw + "dress"].evidence["direction"] == "creative"
    assert kw + "summer dress" not in ctr
    assert list(by_subject(report, "ads.zero_click")) == [kw + "cheap maxi dress"]
    assert "needs 500" in held(report, "ads.ctr_bid")[kw + "boho dress"]


# -- several reports in one folder ----------------------------------------------------------------------
def test_one_folder_keeps_currencies_and_plans_apart(tmp_path, ztc_file):
    wxt_plans_zip(tmp_path / "计划报表_20261122.zip", WXT_ROWS)
    google_ads_keywords(tmp_path / "Keyword report.csv", GADS_ROWS, date_range="Nov 16, 2026 - Nov 22, 2026")
    amazon_search_terms(tmp_path / "Sponsored_Products_Search_term_report.xlsx", AMAZON_ROWS)
    report = diagnose(tmp_path)
    ctr = by_subject(report, "ads.ctr_bid")
    # Each platform and currency is its own account: Google Ads and Amazon are both USD, yet each
    # keyword keeps the account CTR its platform had alone.
    assert ctr["keyword:US - Dresses/floral dress"].evidence["account_ctr"] == pytest.approx(383 / 14_780, abs=1e-4)
    assert ctr["keyword:SP - Dresses - Manual/floral dress"].evidence["account_ctr"] == pytest.approx(
        262 / 16_600, abs=1e-4)
    assert ctr["keyword:" + ZTC_PLAN + "/连衣裙 夏 新款"].evidence["account_ctr"] == pytest.approx(522 / 29_620, abs=1e-4)
    # The 直通车 plan (from its keywords) and the 万相台 plans share the CNY campaign level.
    cny_campaigns = (50 + 800 + 750 + 522) / (55_000 + 29_620)
    assert ctr["campaign:爆款拉新"].evidence["account_ctr"] == pytest.approx(cny_campaigns, abs=1e-4)
    assert {b.frame["currency"].iloc[0] for b in report.blocks if b.rule.startswith("ads.")} == {"CNY", "USD"}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".jsonl"])
def test_details_file_holds_every_judged_subject_and_the_json_names_it(cli, tmp_path, ztc_file, suffix):
    """`--details FILE`: one row per subject of every bulk verdict, in the file; the JSON's details
    are then empty and say where they went. A formula-like keyword stays text."""
    import csv
    import json

    import openpyxl

    out = tmp_path / ("details" + suffix)
    report = tmp_path / "report.json"
    result = cli("diagnose", str(ztc_file), "--no-history", "-o", str(report), "--details", str(out))
    assert result.code == 0, result.err
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["details"] == [] and data["details_file"] == str(out)
    expected = {"keyword:" + ZTC_PLAN + "/" + row["关键词"] for row in ZTC_ROWS
                if row["关键词"] != "连衣裙 女"} | {"campaign:" + ZTC_PLAN}
    if suffix == ".csv":
        with out.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    elif suffix == ".jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    else:
        sheet = openpyxl.load_workbook(out, read_only=True).active
        header, *body = [list(row) for row in sheet.iter_rows(values_only=True)]
        rows = [dict(zip(header, row)) for row in body]
    subjects = [row["subject"] for row in rows]
    assert len(subjects) == len(set(subjects))  # one verdict per subject
    assert set(subjects) & expected and set(subjects) <= expected | {"keyword:" + ZTC_PLAN + "/连衣裙 女"}
    assert {"rule", "msg", "level", "severity", "money"} <= set(rows[0])
    assert f"行明细" in result.err and str(out) in result.err


def test_details_file_with_a_wrong_suffix_is_refused_before_any_work(cli, tmp_path, ztc_file):
    result = cli("diagnose", str(ztc_file), "--no-history", "--details", str(tmp_path / "rows.txt"))
    assert result.code == 2 and "--details" in result.err and ".jsonl" in result.err


# -- the window per subject (issue 11) -----------------------------------------------------------------
def test_money_per_day_divides_each_subjects_total_by_the_days_it_covers(tmp_path):
    # A one-day 万相台 plan report beside a 7-day Google Ads keyword report whose window is only in
    # its description line: each subject's money per day is its own total over its own days.
    wxt_plans_zip(tmp_path / "计划报表_20261122.zip", WXT_ROWS)
    google_ads_keywords(tmp_path / "Keyword report.csv", GADS_ROWS, date_range="Nov 16, 2026 - Nov 22, 2026")
    report = diagnose(tmp_path)
    lowered = by_subject(report, "ads.ctr_bid")["keyword:US - Dresses/cheap dress"]
    assert lowered.evidence["money"] == pytest.approx(30.0 / 7, abs=0.01)  # $30 over 7 days, no sales
    raised = by_subject(report, "ads.ctr_bid")["campaign:爆款拉新"]
    assert raised.evidence["cost"] == pytest.approx(800.0)  # the one day's spend stays the day's


# -- a test plan over seven mornings of one-day downloads, through the history --------------------------
def test_a_test_plan_gets_its_verdict_from_seven_one_day_downloads_kept_in_the_history(tmp_path):
    """Each morning's 万相台 计划报表 holds one day; the history keeps the days, so on the seventh
    morning the 测款 plan is judged (its cart-add rate 12% against the account's 6%: a winner), and
    on the mornings before it keeps testing. It is never paused for its ROI of 1."""
    from exports import days as last_days
    from shopdoc.history import open_history

    config = Config(merge({"shop": {"name": "测款店", "gross_margin": 0.30}}))
    db = tmp_path / "history.sqlite"
    verdicts = []
    for day in last_days(DAY, 7):
        folder = tmp_path / day
        folder.mkdir()
        rows = [dict(wxt("秋冬新品测款", 2_000, 20, 0.01, 20.0, 20.0, "201"), 日期=day, 场景名字="货品加速", 总购物车数=2.4),
                dict(wxt("日常推广", 40_000, 1_000, 0.025, 1_000.0, 5_000.0, "202"), 日期=day, 总购物车数=60)]
        path = wxt_plans_zip(folder / f"计划报表_{day.replace('-', '')}.zip", rows)
        dataset = load_paths([str(path)], config)
        store = open_history(str(db), config)
        try:
            store.augment(dataset, config.shop_name, day)
            report = build_report(dataset, config, date=day, lang="en", history=store)
            store.annotate(report)
            store.record(dataset, report)
        finally:
            store.close()
        found = [f for f in report.findings if f.rule == "ads.test_plan"]
        verdicts.append((found[0].msg, found[0].evidence["days"]) if found else None)
        assert not [f for f in report.findings if f.rule == "ads.roi_breakeven" and "测款" in f.subject]
    # 20 clicks a day: the 100-click guard is met on day 5, the 7-day window on day 7.
    assert verdicts == [("testing", n) for n in range(1, 7)] + [("winner", 7)]
