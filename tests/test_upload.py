"""Upload-ready change sheets (`--bid-sheet-format`): each layout against the platform's documented
header list, and the Google Ads Editor and Amazon bulk sheets read back by shopdoc's own importer
giving the same changes."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from exports import google_ads_keywords, write_xlsx, ztc_keywords
from shopdoc.api import build_report
from shopdoc.bidsheet import bid_table
from shopdoc.config import Config, merge
from shopdoc.errors import UsageError
from shopdoc.io import load_paths
from shopdoc.upload import (AMAZON_HEADERS_OUT, GOOGLE_HEADERS_OUT, ZTC_HEADERS_OUT, changes, choose_layout,
                            criterion_type, platforms, write_change_sheet)
from test_ads_files import AMAZON_ROWS, GADS_ROWS, ZTC_ROWS, amazon_search_terms

DAY = "2026-11-22"
README = Path(__file__).resolve().parent.parent / "README.md"

# -- the documented header lists ---------------------------------------------------------------------
# Google Ads Editor, "Import a CSV file in Google Ads Editor — CSV file columns":
# https://support.google.com/google-ads/editor/answer/57747 (also
# https://support.google.com/adwords/editor/answer/57747). "Capitalization and spaces don't matter";
# headers with their documented alternates. Leaving a field blank means "no change".
GOOGLE_EDITOR_SOURCE = "https://support.google.com/google-ads/editor/answer/57747"
GOOGLE_EDITOR_DOCUMENTED = {
    "Campaign": ("Campaign name",),
    "Campaign type": (),
    "Budget": ("Campaign daily budget", "Daily budget", "Campaign budget"),
    "Campaign Status": (),
    "Ad group": ("Ad group name",),
    "Ad Group Status": (),
    "Keyword": (),
    "Criterion Type": ("Match type",),
    "Max CPC": ("Max. CPC", "Default max. CPC"),
    "Status": (),
}

# Amazon Ads bulk operations, Sponsored Products sheet ("Sponsored Products Campaigns"), the bulk file's
# columns: https://bulksheetpro.com/learn/anatomy-of-a-bulk-sheet/ ("Product, Entity, Operation, Campaign
# ID, Ad Group ID, Portfolio ID, Ad ID, Keyword ID, Product Targeting ID, and on and on": the first nine,
# in order), and the complete list in Shaun-Hannibal/AmazonAdsAuditDashboard
# .windsurf/docs/Sponsored_Products_Campaigns.md ("Complete Column List"); "ASIN (Informational only)"
# as Amazon's generators write it (BULK_COLUMNS, "official format", in public bulk-sheet generators).
AMAZON_BULK_SOURCES = ("https://bulksheetpro.com/learn/anatomy-of-a-bulk-sheet/",
                       "github.com/Shaun-Hannibal/AmazonAdsAuditDashboard/.windsurf/docs/Sponsored_Products_Campaigns.md")
AMAZON_BULK_FIRST = ["Product", "Entity", "Operation", "Campaign ID", "Ad Group ID", "Portfolio ID", "Ad ID",
                     "Keyword ID", "Product Targeting ID"]
AMAZON_BULK_DOCUMENTED = set(AMAZON_BULK_FIRST) | {
    "Campaign Name", "Ad Group Name", "Campaign Name (Informational only)", "Ad Group Name (Informational only)",
    "Portfolio Name (Informational only)", "Start Date", "End Date", "State", "Campaign State (Informational only)",
    "Ad Group State (Informational only)", "Daily Budget", "SKU", "ASIN", "ASIN (Informational only)",
    "Eligibility Status (Informational only)", "Reason for Ineligibility (Informational only)",
    "Ad Group Default Bid", "Ad Group Default Bid (Informational only)", "Bid", "Bidding Strategy", "Placement",
    "Percentage", "Targeting Type", "Keyword Text", "Native Language Keyword", "Native Language Locale",
    "Match Type", "Product Targeting Expression", "Resolved Product Targeting Expression (Informational only)",
}
AMAZON_UPDATE_NEEDS = {"Product", "Entity", "Operation", "Campaign ID", "Ad Group ID", "Keyword ID",
                       "Product Targeting ID", "State", "Bid", "Daily Budget"}


def editor_key(header: str) -> str:
    return re.sub(r"[\s_]", "", header).lower()  # Editor: capitalisation and spaces do not matter


def test_google_ads_editor_headers_are_editors_own():
    documented = {editor_key(name) for name, alternates in GOOGLE_EDITOR_DOCUMENTED.items()
                  for name in (name, *alternates)}
    assert all(editor_key(header) in documented for header in GOOGLE_HEADERS_OUT), GOOGLE_EDITOR_SOURCE
    assert [h for h in GOOGLE_HEADERS_OUT if h in ("Campaign", "Ad group", "Keyword", "Criterion Type", "Max CPC",
                                                     "Status", "Campaign Status")] == \
        ["Campaign", "Campaign Status", "Ad group", "Keyword", "Criterion Type", "Max CPC", "Status"]


def test_amazon_bulk_headers_are_the_bulk_files_own():
    assert set(AMAZON_HEADERS_OUT) <= AMAZON_BULK_DOCUMENTED, AMAZON_BULK_SOURCES
    assert list(AMAZON_HEADERS_OUT[:9]) == AMAZON_BULK_FIRST
    assert AMAZON_UPDATE_NEEDS <= set(AMAZON_HEADERS_OUT)
    assert len(set(AMAZON_HEADERS_OUT)) == len(AMAZON_HEADERS_OUT)


def test_ztc_headers_are_the_ones_the_readme_documents():
    text = README.read_text(encoding="utf-8")
    section = text.split("### Change sheets", 1)[1].split("\n### ", 1)[0]
    line = re.search(r"\*\*ztc\*\* columns: (.+?) \(English", section, re.S).group(1)
    assert [name.strip() for name in line.replace("\n", " ").split(",")] == list(ZTC_HEADERS_OUT["zh"])


@pytest.mark.parametrize("match, criterion", [("Exact match", "Exact"), ("PHRASE", "Phrase"), ("broad", "Broad"),
                                              (None, ""), ("精准匹配", "")])
def test_criterion_type_from_a_reports_match_type(match, criterion):
    assert criterion_type(match) == criterion


# -- reading the fixtures ------------------------------------------------------------------------------
def diagnose(*paths: Path, lang: str = "en", date: str | None = DAY):
    config = Config(merge({}))
    dataset = load_paths([str(p) for p in paths], config)
    assert all(item.status == "ok" for item in dataset.inputs), [(i.path, i.error) for i in dataset.inputs]
    return build_report(dataset, config, date=date, lang=lang), dataset


def read_back(path: Path):
    dataset = load_paths([str(path)], Config(merge({})))
    [item] = dataset.inputs
    assert (item.status, item.kind) == ("ok", "ad_settings"), (item.status, item.kind, item.error)
    return dataset.frames["ad_settings"]


def clean(value):
    return None if value is None or value != value or value == "" else value


# -- Google Ads Editor -------------------------------------------------------------------------------
def test_google_ads_editor_sheet_read_back_gives_the_same_changes(tmp_path):
    source = google_ads_keywords(tmp_path / "Keyword report.csv", GADS_ROWS, date_range="Nov 16, 2026 - Nov 22, 2026")
    report, dataset = diagnose(source)
    assert platforms(report.inputs) == ["google"] and choose_layout("auto", report.inputs) == "google-ads-editor"
    sheet = tmp_path / "editor.csv"
    written = write_change_sheet(report, str(sheet), "auto", dataset)
    assert written.layout == "google-ads-editor"
    raw = sheet.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # Editor reads the first header as it is
    with open(sheet, encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert tuple(header) == GOOGLE_HEADERS_OUT and len(rows) == written.rows
    expected = {}
    for change in changes(report, dataset):
        if change["action"] == "bid" and change["new_bid"] is not None:
            expected[change["keyword"]] = (round(change["new_bid"], 2), None)
        elif change["action"] == "pause":
            expected[change["keyword"]] = (None, "Paused")
    assert expected == {"floral dress": (1.65, None), "cheap dress": (0.72, None), "dress": (None, "Paused")}
    frame = read_back(sheet)
    got = {row["keyword"]: (clean(row.get("bid")), clean(row.get("state"))) for row in frame.to_dict("records")}
    assert got == expected
    assert set(frame["campaign"]) == {"US - Dresses"} and set(frame["ad_group"]) == {"Dresses"}
    assert dict(zip(frame["keyword"], frame["match_type"])) == {"floral dress": "Phrase", "cheap dress": "Broad",
                                                                "dress": "Broad"}


def test_an_editor_sheet_must_be_csv(tmp_path):
    source = google_ads_keywords(tmp_path / "Keyword report.csv", GADS_ROWS, date_range="Nov 16, 2026 - Nov 22, 2026")
    report, dataset = diagnose(source)
    with pytest.raises(UsageError) as error:
        write_change_sheet(report, str(tmp_path / "editor.xlsx"), "google-ads-editor", dataset)
    assert "google-ads-editor layout is written as .csv" in error.value.line()
    # auto: the general sheet, and a line saying how to get the Editor one
    written = write_change_sheet(report, str(tmp_path / "auto.xlsx"), "auto", dataset)
    assert written.layout == "table" and "google-ads-editor layout is .csv only" in written.notes[0]


# -- Amazon bulk -----------------------------------------------------------------------------------------
BULK_HEADERS = ["Product", "Entity", "Operation", "Campaign ID", "Ad Group ID", "Portfolio ID", "Ad ID", "Keyword ID",
                "Product Targeting ID", "Campaign Name", "Ad Group Name", "Campaign Name (Informational only)",
                "Ad Group Name (Informational only)", "State", "Daily Budget", "Bid", "Keyword Text", "Match Type",
                "Product Targeting Expression", "Impressions", "Clicks", "Spend", "Sales", "Orders"]


def bulk(entity, **values):
    common = {"Product": "Sponsored Products", "Entity": entity, "Campaign ID": "2001",
              "Campaign Name (Informational only)": "SP - Dresses - Manual", "State": "enabled"}
    common.update(values)
    return [common.get(header, "") for header in BULK_HEADERS]


def keyword(kid, text, match, bid, impressions, clicks, spend, sales):
    return bulk("Keyword", **{"Ad Group ID": "3001", "Ad Group Name (Informational only)": "Dresses", "Keyword ID": kid,
                              "Keyword Text": text, "Match Type": match, "Bid": bid, "Impressions": impressions,
                              "Clicks": clicks, "Spend": spend, "Sales": sales})


def amazon_bulk_file(path: Path) -> Path:
    rows = [BULK_HEADERS,
            bulk("Campaign", **{"Campaign Name": "SP - Dresses - Manual", "Daily Budget": 50, "Impressions": 17_400,
                                "Clicks": 270, "Spend": 255.0, "Sales": 1_275.0}),
            bulk("Ad Group", **{"Ad Group ID": "3001", "Ad Group Name": "Dresses"}),
            keyword("4001", "summer dress", "exact", 1.00, 10_000, 180, 180.0, 900.0),
            keyword("4002", "floral dress", "phrase", 1.20, 1_200, 60, 60.0, 300.0),  # 5%: raise
            keyword("4003", "cheap maxi dress", "broad", 0.90, 1_200, 0, 0.0, 0.0),  # no click: pause
            keyword("4004", "dress", "broad", 0.80, 4_000, 20, 20.0, 100.0),  # creative: not uploaded
            bulk("Product Targeting", **{"Ad Group ID": "3001", "Ad Group Name (Informational only)": "Dresses",
                                         "Product Targeting ID": "5001", "Product Targeting Expression": 'asin="B0DRESS001"',
                                         "Bid": 0.75, "Impressions": 1_000, "Clicks": 10, "Spend": 50.0, "Sales": 10.0})]
    return write_xlsx(path, {"Sponsored Products Campaigns": rows})


def test_amazon_bulk_sheet_read_back_gives_the_same_changes(tmp_path):
    source = amazon_bulk_file(tmp_path / "bulk-a1b2c3-20261122.xlsx")
    report, dataset = diagnose(source, date=None)
    assert choose_layout("auto", report.inputs) == "amazon-bulk"
    sheet = tmp_path / "upload.xlsx"
    written = write_change_sheet(report, str(sheet), "auto", dataset)
    assert written.layout == "amazon-bulk"
    expected = {}
    for change in changes(report, dataset):
        target = change["ids"].get("keyword_id") or change["ids"].get("product_targeting_id")
        if change["action"] == "bid" and change["new_bid"] is not None:
            expected[target] = (change["new_bid"], None)
        elif change["action"] == "pause":
            expected[target] = (None, "paused")
    assert expected["4002"] == (1.32, None) and expected["4003"] == (None, "paused")
    assert "4004" not in expected  # a new creative is not uploaded
    assert any("not in the Amazon bulk sheet (a new creative is not uploaded)" in note for note in written.notes)

    from openpyxl import load_workbook

    book = load_workbook(sheet)
    assert book.sheetnames == ["Sponsored Products Campaigns"]
    values = list(book.active.values)
    assert values[0] == AMAZON_HEADERS_OUT and len(values) - 1 == written.rows == len(expected)
    frame = read_back(sheet)
    assert set(frame["operation"]) == {"Update"} and set(frame["product"]) == {"Sponsored Products"}
    assert set(frame["campaign_id"]) == {"2001"} and set(frame["ad_group_id"]) == {"3001"}
    ids = frame["keyword_id"].fillna(frame["product_targeting_id"])
    got = {target: (clean(bid), clean(state)) for target, bid, state in zip(ids, frame["bid"], frame["state"])}
    assert got == expected


def test_amazon_reports_without_ids_say_which_file_to_download(tmp_path):
    source = amazon_search_terms(tmp_path / "Sponsored_Products_Search_term_report.xlsx", AMAZON_ROWS)
    report, dataset = diagnose(source, date=None)
    with pytest.raises(UsageError) as error:
        write_change_sheet(report, str(tmp_path / "upload.xlsx"), "amazon-bulk", dataset)
    line = error.value.line()
    assert "no IDs" in line and "Bulk operations" in line and "\n" not in line
    written = write_change_sheet(report, str(tmp_path / "auto.xlsx"), "auto", dataset)
    assert written.layout == "table" and written.rows == len(bid_table(report)) and written.notes == [line]


# -- 直通车 ----------------------------------------------------------------------------------------------
def test_ztc_sheet_has_every_change_with_its_key(tmp_path):
    source = ztc_keywords(tmp_path / "直通车_关键词报表_20261122.csv", ZTC_ROWS, encoding="gbk")
    report, dataset = diagnose(source, lang="zh")
    assert choose_layout("auto", report.inputs) == "ztc"
    sheet = tmp_path / "改价.xlsx"
    written = write_change_sheet(report, str(sheet), "auto", dataset)
    from openpyxl import load_workbook

    header, *rows = list(load_workbook(sheet).active.values)
    assert header == ZTC_HEADERS_OUT["zh"] and written.rows == len(rows) == len(bid_table(report))
    by_keyword = {r[3]: r for r in rows}
    assert by_keyword["连衣裙 夏 新款"][5:9] == (1.2, 1.32, "+10%", "改出价")
    assert by_keyword["裙子"][8] == "暂停" and by_keyword["裙子"][6] is None
    assert by_keyword["雪纺连衣裙"][8] == "换创意图（出价不动）"
    printed = {f.key for f in report.findings} | {p.key for f in report.findings for p in f.parts}
    assert all(r[11] in printed for r in rows)
    # the .csv reads back as the day's settings, each row with its to-do key
    write_change_sheet(report, str(tmp_path / "改价.csv"), "ztc", dataset)
    frame = read_back(tmp_path / "改价.csv")
    assert sorted(frame["key"]) == sorted(r[11] for r in rows)
    assert dict(zip(frame["keyword"], frame["bid"]))["连衣裙 夏 新款"] == 1.32


def test_cli_refuses_an_editor_sheet_that_is_not_csv_before_any_work(cli, tmp_path):
    result = cli("diagnose", "nowhere", "--no-history", "--bid-sheet", "bids.xlsx", "--bid-sheet-format",
                 "google-ads-editor")
    assert result.code == 2
    assert "--bid-sheet bids.xlsx: the google-ads-editor layout is written as .csv" in result.err


def test_cli_writes_the_platforms_layout_and_says_what_it_left_out(cli, tmp_path):
    amazon_bulk_file(tmp_path / "bulk-a1b2c3-20261122.xlsx")
    result = cli("diagnose", str(tmp_path / "bulk-a1b2c3-20261122.xlsx"), "--no-history", "--lang", "en",
                 "--bid-sheet", "up.xlsx", "--format", "text")
    assert result.code in (0, 1), result.err
    assert "bid change" in result.err and "not in the Amazon bulk sheet" in result.err
    from openpyxl import load_workbook

    assert next(load_workbook(tmp_path / "up.xlsx").active.values) == AMAZON_HEADERS_OUT
