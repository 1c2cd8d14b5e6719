"""Test plans (ads.test_plan) on a 万相台-shaped 计划报表: judged from 总收藏加购数 (favourites and cart-adds
in one column), and their verdicts in the bid sheet — a winner's budget raise and a loser's pause are
rows with the to-do's key, in every layout, in the history's stored changes and the follow-up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from exports import write_csv
from shopdoc.api import build_report
from shopdoc.bidsheet import bid_table, write_bid_sheet
from shopdoc.config import Config, merge
from shopdoc.followup import APPLIED, NOT_APPLIED, applied
from shopdoc.history.loop import advice_frame
from shopdoc.io import load_paths
from shopdoc.upload import changes, write_change_sheet

DAY = "2026-11-22"
# 万相台 计划报表 (FORMATS.md §B): a title and a date-range line above the header, 点击率 as a fraction,
# favourites and cart-adds only as 总收藏加购数.
HEAD = ["日期", "场景ID", "场景名字", "计划ID", "计划名字", "花费", "展现量", "点击量", "点击率", "总成交金额",
        "总成交笔数", "投入产出比", "总收藏加购数", "引导访问人数"]


def plan(day, pid, scene, name, shown, clicks, cost, gmv, collects):
    return [day, "1", scene, pid, name, cost, shown, clicks, round(clicks / shown, 5) if shown else 0, gmv, 1,
            round(gmv / cost, 2) if cost else 0, collects, clicks]


def wxt_file(path: Path, *, a: float = 8, b: float = 2, days: int = 7, end: str = DAY, b_shown: int = 2000) -> Path:
    """The account's plan adds to cart or favourites at 10% of clicks; test plans A (a/40) and B (b/40)
    run under 货品加速 at ROI 1.0 (far under break-even: never paused on it)."""
    rows = [["万相台 计划报表"], [f"时间范围：{end} 往前 {days} 天"], HEAD]
    for back in range(days):
        day = (dt.date.fromisoformat(end) - dt.timedelta(days=back)).isoformat()
        rows.append(plan(day, "101", "关键词推广", "日常拉新", 20_000, 400, 400.0, 2000.0, 40))
        rows.append(plan(day, "102", "货品加速", "秋装新款A", 2000, 40, 40.0, 40.0, a))
        rows.append(plan(day, "103", "货品加速", "秋装新款B", b_shown, 40 if b_shown else 0, 40.0 if b_shown else 0.0,
                         40.0 if b_shown else 0.0, b if b_shown else 0))
    return write_csv(path, rows)


def diagnose(path: Path, lang: str = "zh", date: str = DAY):
    config = Config(merge({}))
    dataset = load_paths([str(path)], config)
    assert [(i.status, i.kind) for i in dataset.inputs] == [("ok", "ad_report")], [i.error for i in dataset.inputs]
    return build_report(dataset, config, date=date, lang=lang), dataset


def verdicts(report):
    return {f.subject: f for f in report.findings if f.rule == "ads.test_plan"}


# -- 总收藏加购数 -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("a, msg", [(4.7, "even"), (4.8, "winner"), (2.8, "loser"), (2.9, "even")])
def test_wxt_test_plans_are_judged_on_the_combined_column(tmp_path, a, msg):
    """The account's 10%: 4.8 of 40 clicks (12%, 1.2x) wins, 2.8 (7%, 0.7x) loses."""
    report, dataset = diagnose(wxt_file(tmp_path / "计划报表_20261122_081502.csv", a=a, b=4))
    assert "cart_favorites" in dataset.frames["ad_report"].columns
    found = verdicts(report)["campaign:秋装新款A"]
    assert found.msg == msg
    assert found.evidence["test_rate"] == pytest.approx(a / 40) and found.evidence["account_rate"] == pytest.approx(0.10)
    assert found.evidence["cart_rate"] is None and found.evidence["favorite_rate"] is None  # not split in this export
    if msg != "even":
        assert "收藏加购率" in found.title


def test_wxt_short_window_keeps_testing(tmp_path):
    report, _ = diagnose(wxt_file(tmp_path / "计划报表_20261122_081502.csv", days=6))
    assert {f.msg for f in verdicts(report).values()} == {"testing"}
    assert bid_table(report).empty  # nothing to change while a test runs


# -- the bid sheet ----------------------------------------------------------------------------------------
def test_winner_and_loser_are_rows_with_their_keys(tmp_path):
    report, dataset = diagnose(wxt_file(tmp_path / "计划报表_20261122_081502.csv"))
    found = verdicts(report)
    winner, loser = found["campaign:秋装新款A"], found["campaign:秋装新款B"]
    assert (winner.msg, loser.msg) == ("winner", "loser") and loser.money == pytest.approx(40.0)
    table = bid_table(report).set_index("campaign")
    assert list(table.index) == ["秋装新款A", "秋装新款B"]  # the account's own plan earns: no row
    assert table.loc["秋装新款A", "verdict"] == "加日预算（测款测出来了）" and table.loc["秋装新款A", "change"] == 0.3
    assert table.loc["秋装新款A", "key"] == winner.key and table.loc["秋装新款B", "key"] == loser.key
    assert table.loc["秋装新款B", "verdict"] == "暂停测款计划" and table.loc["秋装新款B", "money"] == pytest.approx(40.0)
    assert table.loc["秋装新款A", "level"] == "计划"
    # the sheet and the report agree on the money: the loser's daily spend, counted once
    assert table["money"].sum() == pytest.approx(sum(f.money or 0 for f in found.values()))
    assert write_bid_sheet(report, str(tmp_path / "bids.csv")) == 2


def test_the_ztc_layout_says_budget_and_pause(tmp_path):
    report, dataset = diagnose(wxt_file(tmp_path / "计划报表_20261122_081502.csv"))
    sheet = tmp_path / "改价.csv"
    written = write_change_sheet(report, str(sheet), "ztc", dataset)
    import csv

    with open(sheet, encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert written.rows == 2
    by_plan = {row[1]: row for row in rows}
    assert by_plan["秋装新款A"][8] == "日限额 +30%" and by_plan["秋装新款B"][8] == "暂停计划"
    assert by_plan["秋装新款B"][11] == "ads.test_plan campaign:秋装新款B"


def test_a_known_budget_gives_the_new_budget(tmp_path):
    report, dataset = diagnose(wxt_file(tmp_path / "计划报表_20261122_081502.csv"), lang="en")
    dataset.frames["ad_report"]["budget"] = 200.0  # a report that carries the plan's daily budget
    rows = {row["campaign"]: row for row in changes(report, dataset)}
    assert rows["秋装新款A"]["action"] == "budget" and rows["秋装新款A"]["new_budget"] == pytest.approx(260.0)
    assert rows["秋装新款B"]["action"] == "pause" and rows["秋装新款B"]["new_budget"] is None
    assert rows["秋装新款A"]["verdict"] == "Raise budget (test found a winner)"
    sheet = tmp_path / "bids.csv"
    write_change_sheet(report, str(sheet), "ztc", dataset)
    assert "Daily budget 200.00 → 260.00 (+30%)" in sheet.read_text(encoding="utf-8-sig")


# -- history and follow-up ----------------------------------------------------------------------------------
def test_the_history_keeps_them_and_the_next_day_sees_the_pause(tmp_path):
    report, dataset = diagnose(wxt_file(tmp_path / "计划报表_20261122_081502.csv"))
    stored = advice_frame(report, dataset).set_index("campaign")
    assert stored.loc["秋装新款A", "action"] == "budget" and stored.loc["秋装新款B", "action"] == "pause"
    assert set(stored["rule"]) == {"ads.test_plan"} and stored.loc["秋装新款B", "key"] == "ads.test_plan campaign:秋装新款B"
    assert stored.loc["秋装新款B", "cost"] == pytest.approx(280.0)  # the window's numbers it was judged on
    advice = changes(report, dataset)
    # day 2: plan B shows no impressions (paused as advised); without it paused, not applied
    for shown, status in ((0, APPLIED), (2000, NOT_APPLIED)):
        day2 = tmp_path / f"day2-{shown}" / "计划报表_20261123_081502.csv"
        day2.parent.mkdir()
        _, today = diagnose(wxt_file(day2, days=1, end="2026-11-23", b_shown=shown), date="2026-11-23")
        found = applied(advice, today).set_index("subject")
        assert found.loc["campaign:秋装新款B", "status"] == status
        assert found.loc["campaign:秋装新款A", "status"] == "unknown"  # a budget the exports do not show


def test_two_mornings_with_the_history_store_and_follow_them(tmp_path, cli, monkeypatch):
    """Day 1 (7 days of 万相台 plans): the two verdicts stored as changes; day 2 (a one-day download,
    plan B shown no more): the pause applied, the budget unknown (the export shows no budget)."""
    import json
    import sqlite3

    from shopdoc.history.loop import Day

    history = tmp_path / "h.sqlite3"
    for day, kwargs in (("2026-11-22", {}), ("2026-11-23", {"days": 1, "end": "2026-11-23", "b_shown": 0})):
        monkeypatch.setenv("SHOPDOC_TODAY", day)
        folder = tmp_path / day
        folder.mkdir()
        wxt_file(folder / f"计划报表_{day.replace('-', '')}_081502.csv", **kwargs)
        out = tmp_path / f"{day}.json"
        result = cli("diagnose", str(folder), "--history", str(history), "--format", "json", "-o", str(out))
        assert result.code == 0, result.err
    conn = sqlite3.connect(history)
    blob, state = conn.execute("SELECT data, state FROM changes WHERE date = ?", ("2026-11-22",)).fetchone()
    conn.close()
    frame = Day.opened("2026-11-22", blob, state).with_subjects()
    stored = {row["subject"]: row for row in frame.astype(object).where(frame.notna(), None).to_dict("records")}
    assert set(stored) == {"campaign:秋装新款A", "campaign:秋装新款B"}
    assert stored["campaign:秋装新款B"]["action"] == "pause" and stored["campaign:秋装新款B"]["status"] == "applied"
    assert stored["campaign:秋装新款A"]["action"] == "budget" and stored["campaign:秋装新款A"]["status"] == "unknown"
    second = json.loads((tmp_path / "2026-11-23.json").read_text(encoding="utf-8"))
    assert second["followup"]["applied"]["advised"] == 2 and second["followup"]["applied"]["applied"] == 1
