"""The history through the command line: diagnose with history, `shopdoc history`, `shopdoc snooze`.

Each morning's exports are small CSV files as Sycm writes them (Chinese headers, one day each).
Commands run in-process through `shopdoc.cli.main`, so exit codes and stderr are the real ones; the
read-only case runs in a child process without root's power to write anywhere.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date as Date
from pathlib import Path

import pytest

import shopdoc.commands.snooze as snooze_command
from shopdoc.cli import main
from exports import every_finding
from test_history import DAY, dump, normal_day, run_day, shift  # the library-level builders

SHOP_HEADER = "统计日期,访客数,浏览量,跳失率,人均浏览量,支付买家数,支付金额,支付转化率,客单价\n"
SOURCE_HEADER = "统计日期,流量来源,访客数,支付买家数,支付转化率\n"


def write_day(folder: Path, day: str, visitors: int, gmv: float, search: int) -> Path:
    """One morning's downloads: the shop's day and its traffic sources."""
    folder.mkdir(parents=True, exist_ok=True)
    buyers = round(visitors * 0.03)
    (folder / "店铺整体-日.csv").write_text(
        SHOP_HEADER + f"{day},\"{visitors:,}\",{visitors * 4},48.50%,4.00,{buyers},\"{gmv:,.2f}\",3.00%,{gmv / buyers:.2f}\n",
        encoding="utf-8-sig")
    rows = [("手淘搜索", search), ("直通车", 2500), ("手淘推荐", visitors - search - 2500)]
    (folder / "流量来源.csv").write_text(
        SOURCE_HEADER + "".join(f"{day},{name},{count},{round(count * 0.03)},3.00%\n" for name, count in rows),
        encoding="utf-8-sig")
    return folder


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean user: no config, data dir under tmp, working in tmp."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("SHOPDOC_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli(capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["shopdoc", *args])
    with pytest.raises(SystemExit) as stopped:
        main()
    out, err = capsys.readouterr()
    return stopped.value.code, out, err


def findings(out: str) -> dict[str, dict]:
    return {f"{f['rule']} {f['subject']}": f for f in every_finding(json.loads(out)["findings"])}


# -- diagnose ---------------------------------------------------------------------------------------
def test_two_mornings_of_single_day_exports_compare_through_the_default_history(home, capsys, monkeypatch) -> None:
    yesterday = write_day(home / "1121", shift(DAY, -1), 9000, 60000, 5000)
    today = write_day(home / "1122", DAY, 6000, 40000, 2000)

    code, out, _ = cli(capsys, monkeypatch, "diagnose", str(yesterday), "--format", "json", "--lang", "en")
    assert code == 0 and "sales.gmv_drivers shop" not in findings(out)
    code, out, err = cli(capsys, monkeypatch, "diagnose", str(today), "--format", "json", "--lang", "en")
    assert code == 0 and err == ""
    found = findings(out)
    assert found["sales.gmv_drivers shop"]["evidence"]["compare_date"] == shift(DAY, -1)
    assert found["sales.gmv_drivers shop"]["first_seen"] == DAY
    assert found["traffic.source_change source:手淘搜索"]["evidence"]["change"] == pytest.approx(-0.6)
    assert (home / "data" / "shopdoc" / "history.sqlite3").is_file()

    code, out, _ = cli(capsys, monkeypatch, "diagnose", str(today), "--format", "text", "--lang", "zh")
    assert "已从历史记录补入之前 1 天的数据（2026-11-21）" in out

    before = dump(home / "data" / "shopdoc" / "history.sqlite3")
    cli(capsys, monkeypatch, "diagnose", str(today), "--format", "json")
    assert dump(home / "data" / "shopdoc" / "history.sqlite3") == before


def test_no_history_compares_with_nothing_and_writes_nothing(home, capsys, monkeypatch) -> None:
    cli(capsys, monkeypatch, "diagnose", str(write_day(home / "1121", shift(DAY, -1), 9000, 60000, 5000)), "--format", "json")
    code, out, _ = cli(capsys, monkeypatch, "diagnose", str(write_day(home / "1122", DAY, 6000, 40000, 2000)),
                       "--format", "json", "--no-history", "--history", str(home / "h.sqlite3"))
    assert code == 0 and "sales.gmv_drivers shop" not in findings(out)
    assert all("first_seen" not in f for f in json.loads(out)["findings"])
    assert not (home / "h.sqlite3").exists()


def test_a_file_that_is_not_a_history_stops_the_run_and_is_left_as_it_was(home, capsys, monkeypatch) -> None:
    other = home / "orders.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE orders (id TEXT, total REAL)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    today = write_day(home / "1122", DAY, 6000, 40000, 2000)
    code, out, err = cli(capsys, monkeypatch, "diagnose", str(today), "--history", str(other), "--format", "json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and str(other) in err and "not a shopdoc history" in err and "Traceback" not in err
    assert other.read_bytes() == before


def _unprivileged(command: list[str]) -> list[str]:
    """Run without root's power to write anywhere (CAP_DAC_OVERRIDE), so a read-only file is read-only."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only file cannot be made read-only for this test")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all", *command]


@pytest.mark.parametrize("lock", ["file", "folder"])
def test_a_read_only_history_still_prints_the_report_and_says_why_not_saved(tmp_path: Path, lock: str) -> None:
    folder = tmp_path / "history"
    folder.mkdir()
    path = folder / "history.sqlite3"
    run_day(path, normal_day(shift(DAY, -1)), shift(DAY, -1))
    before = dump(path)
    today = write_day(tmp_path / "1122", DAY, 6000, 40000, 2000)
    (folder if lock == "folder" else path).chmod(0o555 if lock == "folder" else 0o444)
    try:
        done = subprocess.run(
            _unprivileged([sys.executable, "-m", "shopdoc", "diagnose", str(today), "--history", str(path),
                           "--format", "json", "--config", str(_config(tmp_path))]),
            capture_output=True, text=True, timeout=120, env={**os.environ, "XDG_DATA_HOME": str(tmp_path)})
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["findings"], "the report is printed in full"
    # The history could still be read: yesterday's numbers were compared with.
    assert findings(done.stdout)["sales.gmv_drivers shop"]["evidence"]["compare_date"] == shift(DAY, -1)
    assert done.stderr.strip().splitlines() == [
        f"shopdoc: history {path}: could not save this run: the file or its folder is read-only — "
        "make both writable, or choose another --history file"]
    assert dump(path) == before


def _config(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "shopdoc.yaml"
    path.write_text("shop:\n  name: demo-shop\n", encoding="utf-8")
    return path


# -- shopdoc history --------------------------------------------------------------------------------
@pytest.fixture
def nine_days(home: Path) -> Path:
    path = home / "h.sqlite3"
    for back in range(8, -1, -1):
        day = shift(DAY, -back)
        run_day(path, normal_day(day, visitors=9000 - 300 * back, gmv=60000 - 1000 * back), day)
    return path


def test_history_shows_the_stored_days_with_trends_as_json(nine_days, capsys, monkeypatch) -> None:
    code, out, _ = cli(capsys, monkeypatch, "history", "--history", str(nine_days), "--format", "json", "--days", "14")
    assert code == 0
    shown = json.loads(out)
    assert shown["schema"] == "shopdoc.history/2" and [s["shop"] for s in shown["shops"]] == ["demo-shop"]
    shop = shown["shops"][0]
    assert shop["stored_days"] == 9 and (shop["first_date"], shop["last_date"]) == (shift(DAY, -8), DAY)
    assert [d["visitors"] for d in shop["days"]] == [9000 - 300 * back for back in range(8, -1, -1)]
    conn = sqlite3.connect(nine_days)
    stored = dict(conn.execute("SELECT severity, COUNT(*) FROM findings WHERE date = ? GROUP BY severity", (DAY,)))
    conn.close()
    assert shop["days"][-1]["findings"] == {name: stored.get(name, 0) for name in ("critical", "warning", "info")}
    assert sum(shop["days"][-1]["findings"].values()) > 0
    visitors = shop["trends"]["visitors"]
    assert (visitors["latest"], visitors["week_ago"]) == (9000, 9000 - 300 * 7)
    assert visitors["wow_change"] == pytest.approx(9000 / 6900 - 1, abs=1e-4)
    assert visitors["sparkline"] == "▁▂▃▄▅▅▆▇█"
    assert shop["trends"]["bounce_rate"]["sparkline"] == "▄" * 9  # flat
    assert shop["trends"]["pages_per_visitor"]["latest"] == pytest.approx(3.8)


def test_history_text_lists_metrics_with_sparklines(nine_days, capsys, monkeypatch) -> None:
    code, out, _ = cli(capsys, monkeypatch, "history", "--history", str(nine_days), "--days", "5", "--lang", "zh")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"历史记录：{nine_days}"
    assert "【demo-shop】共 9 天（2026-11-14 至 2026-11-22），下面是 2026-11-18 起的 5 天" in out
    visitors = next(line for line in lines if line.startswith("访客数"))
    assert visitors.split() == ["访客数", "▁▃▅▆█", "9,000", "6,900", "+30.4%"]
    assert sum(1 for line in lines if line.startswith("2026-11-")) == 5
    code, out, _ = cli(capsys, monkeypatch, "history", "--history", str(nine_days), "--days", "5", "--lang", "en")
    assert next(line for line in out.splitlines() if line.startswith("Visitors")).split()[-1] == "+30.4%"


def test_history_of_an_unknown_shop_or_a_missing_file(nine_days, home, capsys, monkeypatch) -> None:
    code, _, err = cli(capsys, monkeypatch, "history", "--history", str(nine_days), "--shop", "demo-shp", "--lang", "en")
    assert code == 2 and "did you mean 'demo-shop'?" in err
    missing = home / "none.sqlite3"
    code, out, err = cli(capsys, monkeypatch, "history", "--history", str(missing), "--lang", "en")
    assert code == 2 and out == "" and err == f"shopdoc: --history {missing}: no such file\n"
    assert not missing.exists()
    code, out, _ = cli(capsys, monkeypatch, "history", "--lang", "en")  # the default place, before any run
    assert code == 0 and "No history stored yet" in out


# -- shopdoc snooze ---------------------------------------------------------------------------------
def test_snooze_keeps_a_finding_off_the_list_until_its_day(home, capsys, monkeypatch) -> None:
    # The cron run on the 23rd reported the 22nd; the operator snoozes that morning.
    real_until = snooze_command.snooze_until
    monkeypatch.setattr(snooze_command, "snooze_until",
                        lambda store, shop, days: real_until(store, shop, days, today=Date.fromisoformat(shift(DAY, 1))))
    history = str(home / "h.sqlite3")
    days = {n: write_day(home / f"day{n}", shift(DAY, n), 9000 - 1500 * (n + 1), 60000 - 10000 * (n + 1), 2000)
            for n in range(-1, 3)}
    cli(capsys, monkeypatch, "diagnose", str(days[-1]), "--history", history, "--format", "json")
    code, out, _ = cli(capsys, monkeypatch, "diagnose", str(days[0]), "--history", history, "--format", "json")
    assert "sales.gmv_drivers shop" in findings(out)

    code, out, _ = cli(capsys, monkeypatch, "snooze", "sales.gmv_drivers", "shop", "--days", "1", "--history", history,
                       "--lang", "en")
    assert code == 0 and out.strip() == f"Snoozed sales.gmv_drivers shop for shop my-shop: back on the list from {shift(DAY, 2)}"
    code, out, _ = cli(capsys, monkeypatch, "snooze", "--list", "--history", history, "--lang", "en")
    assert f"sales.gmv_drivers  shop  back from {shift(DAY, 2)} (history)" in out

    code, out, _ = cli(capsys, monkeypatch, "diagnose", str(days[1]), "--history", history, "--format", "text", "--lang", "en")
    assert "1 snoozed finding not listed" in out and "GMV fell" not in out
    code, out, _ = cli(capsys, monkeypatch, "diagnose", str(days[2]), "--history", history, "--format", "json")
    assert findings(out)["sales.gmv_drivers shop"]["first_seen"] == DAY  # still the same problem

    code, out, _ = cli(capsys, monkeypatch, "snooze", "--clear", "sales.gmv_drivers", "--history", history, "--lang", "en")
    assert out.strip() == "Cleared 1 snooze for shop my-shop"


def test_snooze_days_count_report_days_from_the_latest_one_seen(home) -> None:
    from shopdoc.config import Config, merge
    from shopdoc.history import open_history

    path = home / "h.sqlite3"
    run_day(path, normal_day(DAY), DAY)
    with open_history(str(path), Config(merge({"shop": {"name": "demo-shop"}}))) as store:
        morning_after = Date.fromisoformat(shift(DAY, 1))
        assert snooze_command.snooze_until(store, "demo-shop", 3, today=morning_after) == shift(DAY, 4)
        # Data running two days behind the calendar: still the next 3 report days after the 22nd.
        assert snooze_command.snooze_until(store, "demo-shop", 3, today=Date.fromisoformat(shift(DAY, -2))) == shift(DAY, 4)
        # Run weeks later on the same data: still counted from the report day, not from today.
        later = Date.fromisoformat(shift(DAY, 30))
        assert snooze_command.snooze_until(store, "demo-shop", 3, today=later) == shift(DAY, 4)
        assert snooze_command.snooze_until(store, "other-shop", 1, today=morning_after) == shift(DAY, 2)


def test_snooze_checks_what_it_is_given(home, capsys, monkeypatch) -> None:
    history = str(home / "h.sqlite3")
    code, _, err = cli(capsys, monkeypatch, "snooze", "sales.gmv_driver", "shop", "--days", "3", "--history", history)
    assert code == 2 and "unknown rule 'sales.gmv_driver' — did you mean 'sales.gmv_drivers'?" in err
    code, _, err = cli(capsys, monkeypatch, "snooze", "sales.gmv_drivers", "shop", "--days", "0", "--history", history)
    assert code == 2 and "--days: must be 1 or more, got 0" in err
    code, _, err = cli(capsys, monkeypatch, "snooze", "item.conversion_drop", "5531", "--days", "3", "--history", history)
    assert code == 2 and "did you mean 'item:5531'?" in err
    code, _, err = cli(capsys, monkeypatch, "snooze", "item.conversion_drop", "item:5531", "--history", history)
    assert code == 2 and "--days N" in err
    assert not Path(history).exists() or "Traceback" not in err
    # Nothing diagnosed yet: nothing to snooze (a typo would otherwise snooze nothing and say it worked).
    code, _, err = cli(capsys, monkeypatch, "snooze", "item.conversion_drop", "item:5531", "--until", "2026-12-01",
                       "--shop", "shop-b", "--history", history, "--lang", "zh")
    assert code == 2 and "店铺 shop-b 的历史记录里还没有任何问题：先运行 shopdoc diagnose" in err
    write_day(home / "b", DAY, 6000, 40000, 2000)
    write_day(home / "b0", shift(DAY, -1), 9000, 60000, 5000)
    cli(capsys, monkeypatch, "diagnose", str(home / "b0"), "--shop", "shop-b", "--history", history)
    cli(capsys, monkeypatch, "diagnose", str(home / "b"), "--shop", "shop-b", "--history", history)
    code, _, err = cli(capsys, monkeypatch, "snooze", "traffic.source_change", "source:手淘搜素", "--days", "2",
                       "--shop", "shop-b", "--history", history, "--lang", "en")
    assert code == 2 and "did you mean 'traffic.source_change source:手淘搜索'?" in err
    code, out, _ = cli(capsys, monkeypatch, "snooze", "traffic.source_change", "source:手淘搜索", "--days", "2",
                       "--shop", "shop-b", "--history", history, "--lang", "zh")
    # two report days from the report day (the 22nd), whatever day it is today
    assert code == 0 and out.strip() == (f"已暂停提醒：traffic.source_change source:手淘搜索（店铺 shop-b），"
                                          f"{shift(DAY, 3)} 起重新列出")
    code, out, _ = cli(capsys, monkeypatch, "snooze", "--list", "--history", history, "--lang", "en")
    assert out.strip() == "Nothing snoozed for shop my-shop"  # shop-b's snooze is shop-b's


def test_config_snoozes_are_checked_and_apply_without_history(home, capsys, monkeypatch) -> None:
    bad = home / "bad.yaml"
    bad.write_text("snooze:\n  - rule: sales.gmv_driver\n    until: 2026-12-01\n", encoding="utf-8")
    code, _, err = cli(capsys, monkeypatch, "diagnose", str(home), "--config", str(bad))
    assert code == 2 and "snooze[0].rule: unknown rule 'sales.gmv_driver'" in err and "sales.gmv_drivers" in err
    bad.write_text("snooze:\n  - rule: sales.gmv_drivers\n    until: 1.12.2026\n", encoding="utf-8")
    code, _, err = cli(capsys, monkeypatch, "diagnose", str(home), "--config", str(bad))
    assert code == 2 and "snooze[0].until: must be a day as YYYY-MM-DD" in err

    good = home / "shopdoc.yaml"
    good.write_text(f"snooze:\n  - rule: traffic.source_change\n    subject: '*'\n    until: {shift(DAY, 1)}\n",
                    encoding="utf-8")
    folder = home / "two-days"
    write_day(folder, shift(DAY, -1), 9000, 60000, 5000)
    both = (folder / "流量来源.csv").read_text(encoding="utf-8-sig")
    write_day(folder / "today", DAY, 6000, 40000, 2000)
    today_sources = (folder / "today" / "流量来源.csv").read_text(encoding="utf-8-sig").split("\n", 1)[1]
    (folder / "流量来源.csv").write_text(both + today_sources, encoding="utf-8-sig")  # a two-day source export
    # only the source export reaches DAY (the shop export ends the day before, which has more
    # evidence and would be the report day), so the day is asked for
    code, out, _ = cli(capsys, monkeypatch, "diagnose", str(folder), "--no-history", "--format", "text", "--lang", "en",
                       "--date", DAY)
    assert code == 0 and "1 snoozed finding not listed" in out and "fewer visitors than the day before" not in out
    code, out, _ = cli(capsys, monkeypatch, "diagnose", str(folder), "--no-history", "--format", "text", "--lang", "en",
                       "--config", str(_config(home / "plain")), "--date", DAY)
    assert "snoozed" not in out and "fewer visitors than the day before" in out  # the same data, no snooze


def _shop_day(folder: Path, day: str, bounce: str, conversion: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "店铺整体-日.csv").write_text(
        SHOP_HEADER + f"{day},\"8,000\",\"24,000\",{bounce},3.00,166,\"44,117.30\",{conversion},265.77\n",
        encoding="utf-8-sig")
    return folder


def _floats(value):
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _floats(item)
    elif isinstance(value, list):
        for item in value:
            yield from _floats(item)


def test_history_gives_rate_changes_in_points_and_numbers_without_float_noise(home, capsys, monkeypatch) -> None:
    history = str(home / "h.sqlite3")
    week_ago = _shop_day(home / "a", shift(DAY, -7), "61.50%", "2.08%")
    today = _shop_day(home / "b", DAY, "72.40%", "2.08%")
    for folder in (week_ago, today):
        assert cli(capsys, monkeypatch, "diagnose", str(folder), "--history", history, "--format", "json")[0] == 0
    code, out, _ = cli(capsys, monkeypatch, "history", "--history", history, "--format", "json")
    shown = json.loads(out)["shops"][0]
    bounce = shown["trends"]["bounce_rate"]
    assert (bounce["latest"], bounce["week_ago"]) == (0.724, 0.615)
    assert bounce["wow_change"] == 0.109 and bounce["change_unit"] == "points"
    assert shown["trends"]["gmv"]["change_unit"] == "relative"
    assert shown["days"][-1]["conversion_rate"] == 0.0208  # 2.08% parses as 0.020800000000000003
    for number in _floats(shown):
        assert number == round(number, 4), number
    code, out, _ = cli(capsys, monkeypatch, "history", "--history", history, "--lang", "zh")
    assert next(line for line in out.splitlines() if line.startswith("跳失率")).endswith("+10.9 个百分点")
    code, out, _ = cli(capsys, monkeypatch, "history", "--history", history, "--lang", "en")
    assert next(line for line in out.splitlines() if line.startswith("Bounce rate")).endswith("+10.9 pts")
    code, out, _ = cli(capsys, monkeypatch, "history", "--history", history, "--format", "markdown", "--lang", "en")
    assert "| Bounce rate |" in out and "|---|" in out
