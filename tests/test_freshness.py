"""Stale or absent data must not look like a clean day: under cron a failed download would read as a
quiet shop. A report day no export has is exit 2; data older than `inputs.max_age_days` against today
is said (exit 3 under --strict)."""

from __future__ import annotations

import json

import pytest

from test_cli import shop_csv


@pytest.fixture
def exports(tmp_path):
    shop_csv(tmp_path / "exports")  # one day: 2026-11-22
    return tmp_path / "exports"


def test_a_day_no_export_has_is_exit_2_in_one_line(cli, exports):
    result = cli("diagnose", "exports", "--no-history", "--date", "2026-11-01")
    assert (result.code, result.out) == (2, "")
    assert result.err == "shopdoc: --date 2026-11-01：所有导出里都没有这一天的数据（导出覆盖 2026-11-22），没有可以报告的内容\n"
    later = cli("diagnose", "exports", "--no-history", "--date", "2027-01-01", "--lang", "en")
    assert later.code == 2 and later.err.count("\n") == 1 and "no export has data for that day" in later.err


def test_a_day_only_the_dsr_export_has_is_reported_with_a_warning(cli, exports):
    (exports / "DSR.csv").write_text("日期,描述相符,服务态度,物流服务\n2026-11-23,4.8,4.8,4.7\n", encoding="utf-8")
    result = cli("diagnose", "exports", "--no-history", "--date", "2026-11-23", "--format", "json")
    assert result.code == 0 and json.loads(result.out)["date"] == "2026-11-23"
    assert "--date 2026-11-23：导出里没有这一天的行" in result.err


@pytest.mark.parametrize("today, stale", [("2026-11-23", False), ("2026-11-24", False), ("2026-11-25", True),
                                          ("2026-12-01", True)])
def test_data_older_than_max_age_days_is_said_and_fails_strict(cli, exports, monkeypatch, today, stale):
    monkeypatch.setenv("SHOPDOC_TODAY", today)
    result = cli("diagnose", "exports", "--no-history")
    assert result.code == 0
    assert ("数据停在 2026-11-22" in result.err) is stale
    strict = cli("diagnose", "exports", "--no-history", "--strict", "--quiet")
    assert strict.code == (3 if stale else 0)
    assert ("数据停在 2026-11-22" in strict.err) is stale  # --quiet does not hide why --strict failed


def test_stale_line_words_and_max_age_days_from_the_config(cli, exports, monkeypatch, tmp_path):
    monkeypatch.setenv("SHOPDOC_TODAY", "2026-12-01")
    result = cli("diagnose", "exports", "--no-history", "--lang", "en")
    assert ("shopdoc: The data ends on 2026-11-22, 9 days ago (the limit is 2): check that the latest exports were "
            "downloaded before acting on this list\n") in result.err
    (tmp_path / "shopdoc.yaml").write_text("inputs:\n  max_age_days: 10\n", encoding="utf-8")
    assert "2026-11-22" not in cli("diagnose", "exports", "--no-history").err
    (tmp_path / "shopdoc.yaml").write_text("inputs:\n  max_age_days: soon\n", encoding="utf-8")
    bad = cli("diagnose", "exports", "--no-history")
    assert bad.code == 2 and "inputs.max_age_days: must be a whole number of days (0 or more)" in bad.err


def test_findings_from_an_earlier_day_say_which(cli, exports):
    """The DSR export stops on the 21st; the report is the 22nd's: its DSR to-do names its day."""
    rows = "".join(f"2026-11-{day},4.80,4.80,4.60,4.80,4.80,4.78\n" for day in range(14, 22))
    (exports / "DSR_店铺评分.csv").write_text(
        "日期,描述相符,服务态度,物流服务,同行平均描述相符,同行平均服务态度,同行平均物流服务\n" + rows, encoding="utf-8")
    report = json.loads(cli("diagnose", "exports", "--no-history", "--format", "json").out)
    (dsr,) = [f for f in report["findings"] if f["rule"] == "reviews.dsr_drop"]
    assert dsr["title"].endswith("（2026-11-21 的数据）")
    english = json.loads(cli("diagnose", "exports", "--no-history", "--format", "json", "--lang", "en").out)
    (dsr,) = [f for f in english["findings"] if f["rule"] == "reviews.dsr_drop"]
    assert dsr["title"].endswith(" (data from 2026-11-21)")
    shop = [f for f in report["findings"] if f["rule"] == "page.bounce_rate"]
    assert shop and not shop[0]["title"].endswith("的数据）")  # the report day's own data says nothing
