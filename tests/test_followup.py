"""Was yesterday's advice applied? Day 1's change rows against day 2's exports (`shopdoc.followup`)."""

from __future__ import annotations

from pathlib import Path

from exports import write_xlsx, ztc_keywords
from shopdoc.api import build_report
from shopdoc.config import Config, merge
from shopdoc.followup import APPLIED, NOT_APPLIED, UNKNOWN, applied
from shopdoc.io import load_paths
from shopdoc.upload import changes
from test_ads_files import ZTC_ROWS, ztc
from test_upload import BULK_HEADERS, amazon_bulk_file, bulk, keyword

DAY1, DAY2 = "2026-11-22", "2026-11-23"


def load(path: Path):
    config = Config(merge({}))
    dataset = load_paths([str(path)], config)
    assert all(item.status == "ok" for item in dataset.inputs), [(i.path, i.error) for i in dataset.inputs]
    return dataset, config


def advice(path: Path, date: str | None = DAY1):
    dataset, config = load(path)
    report = build_report(dataset, config, date=date, lang="en")
    return {row["keyword"] or row["campaign"]: row for row in changes(report, dataset)}


def day2(rows: list[dict]) -> list[dict]:
    return [{**r, "日期": DAY2} for r in rows]


def test_ztc_next_morning_bids_moved_and_words_gone(tmp_path):
    (tmp_path / "d1").mkdir()
    given = advice(ztc_keywords(tmp_path / "d1" / "直通车_关键词报表_20261122.csv", ZTC_ROWS))
    assert given["连衣裙 夏 新款"]["new_bid"] == 1.32 and given["亏钱短裙"]["new_bid"] == 0.72
    assert given["裙子"]["action"] == "pause"
    rows = {r["关键词"]: dict(r) for r in ZTC_ROWS}
    rows["亏钱短裙"]["出价"] = 0.73  # cut as advised, rounded: within one step of 0.72
    rows["连衣裙 夏 新款"]["出价"] = 1.20  # the raise not done
    del rows["裙子"]  # the zero-click word paused: gone from the report
    (tmp_path / "d2").mkdir()
    path = ztc_keywords(tmp_path / "d2" / "直通车_关键词报表_20261123.csv", day2(list(rows.values())))
    dataset, _ = load(path)
    found = applied(given.values(), dataset).set_index("subject")["status"].to_dict()
    kw = "keyword:爆款连衣裙/"
    assert found[kw + "亏钱短裙"] == APPLIED
    assert found[kw + "连衣裙 夏 新款"] == NOT_APPLIED
    assert found[kw + "裙子"] == APPLIED
    assert found[kw + "雪纺连衣裙"] == UNKNOWN  # a new creative: the exports cannot show it


def test_a_bid_moved_the_wrong_way_or_past_a_step_is_not_applied(tmp_path):
    (tmp_path / "d1").mkdir()
    given = advice(ztc_keywords(tmp_path / "d1" / "直通车_关键词报表_20261122.csv", ZTC_ROWS))
    rows = {r["关键词"]: dict(r) for r in ZTC_ROWS}
    rows["亏钱短裙"]["出价"] = 0.90  # raised instead of cut
    rows["连衣裙 夏 新款"]["出价"] = 1.50  # raised far past the suggestion (1.32): more than one step
    rows["裙子"] = ztc("裙子", 1_500, 0, 0.0, None, 0.50)  # still shown: not paused
    (tmp_path / "d2").mkdir()
    dataset, _ = load(ztc_keywords(tmp_path / "d2" / "直通车_关键词报表_20261123.csv", day2(list(rows.values()))))
    found = applied(given.values(), dataset).set_index("subject")["status"].to_dict()
    kw = "keyword:爆款连衣裙/"
    assert (found[kw + "亏钱短裙"], found[kw + "连衣裙 夏 新款"], found[kw + "裙子"]) == (NOT_APPLIED,) * 3


def test_exports_of_several_days_are_read_at_their_latest_day(tmp_path):
    """Day 1's report read again beside day 2's (each keyword on two rows): the latest day decides."""
    (tmp_path / "d1").mkdir()
    given = advice(ztc_keywords(tmp_path / "d1" / "直通车_关键词报表_20261122.csv", ZTC_ROWS))
    rows = {r["关键词"]: dict(r) for r in ZTC_ROWS}
    rows["亏钱短裙"]["出价"] = 0.73  # cut as advised on day 2 (day 1's row still has the old bid)
    del rows["裙子"]  # paused: gone from day 2's report, still in day 1's
    (tmp_path / "d2").mkdir()
    ztc_keywords(tmp_path / "d2" / "直通车_关键词报表_20261122.csv", [{**r, "日期": DAY1} for r in ZTC_ROWS])
    ztc_keywords(tmp_path / "d2" / "直通车_关键词报表_20261123.csv", day2(list(rows.values())))
    dataset, _ = load(tmp_path / "d2")
    found = applied(given.values(), dataset).set_index("subject")["status"].to_dict()
    kw = "keyword:爆款连衣裙/"
    assert found[kw + "亏钱短裙"] == APPLIED  # day 2's bid, not day 1's
    assert found[kw + "连衣裙 夏 新款"] == NOT_APPLIED
    assert found[kw + "裙子"] == APPLIED  # no impressions on the latest day


def test_amazon_states_and_bids_from_the_next_bulk_file(tmp_path):
    (tmp_path / "d1").mkdir()
    given = advice(amazon_bulk_file(tmp_path / "d1" / "bulk-20261122.xlsx"), date=None)
    assert given["floral dress"]["new_bid"] == 1.32 and given["cheap maxi dress"]["action"] == "pause"
    rows = [BULK_HEADERS,
            keyword("4002", "floral dress", "phrase", 1.32, 1_300, 66, 80.0, 330.0),
            keyword("4003", "cheap maxi dress", "broad", 0.90, 0, 0, 0.0, 0.0)]
    rows[2][BULK_HEADERS.index("State")] = "paused"
    rows.append(bulk("Campaign", **{"Campaign Name": "SP - Dresses - Manual", "Daily Budget": 50}))
    (tmp_path / "d2").mkdir()
    dataset, _ = load(write_xlsx(tmp_path / "d2" / "bulk-20261123.xlsx", {"Sponsored Products Campaigns": rows}))
    found = applied(given.values(), dataset)
    by_key = dict(zip(found["subject"], zip(found["status"], found["today_state"])))
    assert by_key["keyword:SP - Dresses - Manual/floral dress"][0] == APPLIED
    assert by_key["keyword:SP - Dresses - Manual/cheap maxi dress"] == (APPLIED, "paused")
    assert all(found["key"].notna())
