"""A second download read once; a lone far-off date is a warning, not the report day."""

from __future__ import annotations

import json

import exports
from hostile import good_keywords, keyword_rows, run_shopdoc
from shopdoc.config import Config, defaults, merge
from shopdoc.io import load_paths


def test_the_same_export_downloaded_twice_is_read_once_with_a_warning_naming_both(tmp_path):
    first = good_keywords(tmp_path, "kw.csv")
    second = tmp_path / "kw (1).csv"
    second.write_bytes(first.read_bytes())
    dataset = load_paths([str(tmp_path)], Config(merge({"shop": {"lang": "en"}})))
    assert len(dataset.frames["ad_report"]) == 12
    warned = [w.reason for item in dataset.inputs for w in item.warnings if "second download" in w.reason]
    assert len(warned) == 1 and str(first) in warned[0]
    assert [item.path for item in dataset.inputs if any("second download" in w.reason for w in item.warnings)] == [str(second)]


def test_same_rows_in_another_format_count_as_the_same_export(tmp_path):
    exports.write_csv(tmp_path / "kw.csv", keyword_rows())
    exports.write_xlsx(tmp_path / "kw.xlsx", keyword_rows())
    assert len(load_paths([str(tmp_path)], Config(merge({"shop": {"lang": "en"}}))).frames["ad_report"]) == 12


def test_different_days_are_not_duplicates(tmp_path):
    exports.write_csv(tmp_path / "a.csv", keyword_rows())
    other = keyword_rows()
    for row in other[1:]:
        row[0] = "2026-11-21"
    exports.write_csv(tmp_path / "b.csv", other)
    assert len(load_paths([str(tmp_path)], Config(merge({"shop": {"lang": "en"}}))).frames["ad_report"]) == 24


def test_a_lone_row_dated_2099_is_a_warning_not_the_report_day(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    rows = keyword_rows(60)
    rows[7][0] = "2099-11-22"
    exports.write_csv(folder / "直通车_关键词.csv", rows, encoding="utf-8")
    run = run_shopdoc("diagnose", str(folder), "--no-history", "--format", "json", cwd=tmp_path)
    report = json.loads(run.out)
    assert report["date"] == "2026-11-22", run.err
    warnings = [w for item in report["inputs"] for w in item["warnings"] if w.get("value") == "2099-11-22"]
    # worded in the report's language (Chinese here), with its catalogue code for programs
    assert len(warnings) == 1 and warnings[0]["row"] == 8 and "没有当作报告日" in warnings[0]["reason"]
    assert warnings[0]["code"]
    assert "2099" not in json.dumps(report["findings"])


def test_a_real_new_day_is_kept_even_with_a_gap(tmp_path):
    old = keyword_rows(20)
    new = keyword_rows(20)
    for row in new[1:]:
        row[0] = "2026-12-10"
    exports.write_csv(tmp_path / "a.csv", old)
    exports.write_csv(tmp_path / "b.csv", new)
    assert load_paths([str(tmp_path)], Config(merge({"shop": {"lang": "en"}}))).latest_date() == "2026-12-10"


def test_the_day_most_exports_reach_is_the_report_day_not_a_few_rows_of_today():
    """The shop, item and ad exports end on 11-22; the ad report also holds a few rows of 11-23 (a
    download made in the morning): 11-22 has the most evidence and is the report day."""
    import pandas as pd

    from shopdoc.dataset import Dataset

    shop = pd.DataFrame({"date": ["2026-11-21", "2026-11-22"], "visitors": [9000.0, 8000.0]})
    items = pd.DataFrame({"date": ["2026-11-22"], "item_id": ["1"], "visitors": [100.0]})
    ads = pd.DataFrame({"date": ["2026-11-22", "2026-11-23"], "campaign": ["a", "a"], "clicks": [10.0, 2.0]})
    assert Dataset(frames={"shop_daily": shop, "item_daily": items, "ad_report": ads}).latest_date() == "2026-11-22"
    # with one export alone, its latest day
    assert Dataset(frames={"ad_report": ads}).latest_date() == "2026-11-23"
    # a tie in evidence: the later day
    assert Dataset(frames={"shop_daily": shop, "ad_report": ads}).latest_date() == "2026-11-22"
