"""The command line end to end: exit codes (SPEC §2), stdout/stderr discipline, init, rules, explain,
inspect and the diagnose options. Exports are small CSV files with Chinese headers, built here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shopdoc.commands import diagnose as diagnose_command
from shopdoc.commands.info import render_starter

SHOPDOC = Path(sys.executable).parent / "shopdoc"
SHOP_HEADER = "统计日期,访客数,浏览量,跳失率,人均浏览量,支付买家数,支付金额,支付转化率,客单价"
ITEM_HEADER = "统计日期,商品ID,商品名称,商品访客数,支付买家数,支付金额,商品支付转化率"


def shop_csv(folder: Path, bounce: str = "71.20%", depth: str = "2.40", conversion: str = "2.22%",
             name: str = "【生意参谋平台】店铺整体_2026-11-22.csv") -> Path:
    """A Sycm shop-overview export: thousands separators, percent strings, one day."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"{SHOP_HEADER}\n2026-11-22,\"8,120\",\"19,500\",{bounce},{depth},180,\"47,700.00\",{conversion},265.00\n",
                    encoding="utf-8")
    return path


def item_csv(folder: Path) -> Path:
    path = folder / "【生意参谋平台】商品_全部_2026-11-22.csv"
    path.write_text(f"{ITEM_HEADER}\n"
                    "2026-11-22,7781,加厚羊毛大衣,\"3,000\",100,\"21,400.00\",3.33%\n"
                    "2026-11-22,5531,羊绒围巾,900,30,\"2,970.00\",3.33%\n", encoding="utf-8")
    return path


def healthy_shop(folder: Path) -> Path:
    """Bounce 55%, depth 3.8: nothing to say about the pages."""
    return shop_csv(folder, bounce="55.00%", depth="3.80")


def not_an_export(folder: Path) -> Path:
    path = folder / "客户名单.csv"
    path.write_text("姓名,电话\n张三,13800000000\n", encoding="utf-8")
    return path


# -- help and usage errors ------------------------------------------------------------------------------
def test_bare_shopdoc_prints_help_and_exits_0():
    result = subprocess.run([str(SHOPDOC)], capture_output=True, text=True)
    assert result.returncode == 0
    assert "Usage: shopdoc" in result.stdout and "diagnose" in result.stdout
    assert result.stderr == ""


def test_unknown_option_is_one_line_and_exit_2(cli):
    result = cli("diagnose", "--bogus")
    assert result.code == 2
    assert result.err.strip().splitlines() == ["shopdoc: No such option: --bogus — see `shopdoc diagnose --help`"]


@pytest.mark.parametrize("bad", ["2026-13-01", "22/11/2026", "yesterday"])
def test_invalid_date_exits_2(cli, tmp_path, bad):
    shop_csv(tmp_path / "exports")
    result = cli("diagnose", "exports", "--no-history", "--date", bad)
    assert result.code == 2
    assert result.err.strip() == f"shopdoc: --date: expected YYYY-MM-DD, got {bad!r}"
    assert result.out == ""


def test_output_into_a_missing_folder_is_refused_before_any_work(cli, tmp_path):
    shop_csv(tmp_path / "exports")
    result = cli("diagnose", "exports", "--no-history", "--output", "reports/today.txt")
    assert result.code == 2
    assert result.err.strip() == "shopdoc: --output reports/today.txt: folder reports does not exist — create it first"
    assert not (tmp_path / "reports").exists()


def test_bid_sheet_must_be_csv_or_xlsx(cli, tmp_path):
    shop_csv(tmp_path / "exports")
    result = cli("diagnose", "exports", "--no-history", "--bid-sheet", "bids.pdf")
    assert result.code == 2
    assert "--bid-sheet bids.pdf: must end in .csv or .xlsx" in result.err


# -- diagnose: exit codes ---------------------------------------------------------------------------------
def test_report_on_stdout_exit_0_by_default(cli, tmp_path):
    shop_csv(tmp_path / "exports")
    item_csv(tmp_path / "exports")
    result = cli("diagnose", "exports", "--no-history")
    assert result.code == 0
    assert "【严重】〔美工〕全店跳失率 71.2%，超过 70% 的及格线" in result.out
    assert "\x1b[" not in result.out  # piped: text, never colour
    assert result.err == ""


@pytest.mark.parametrize(
    ("make", "fail_on", "code"),
    [
        (shop_csv, "critical", 1),  # bounce 71%: critical
        (shop_csv, "warning", 1),
        (shop_csv, "none", 0),
        (healthy_shop, "warning", 0),
        (healthy_shop, "critical", 0),
    ],
)
def test_fail_on(cli, tmp_path, make, fail_on, code):
    make(tmp_path / "exports")
    result = cli("diagnose", "exports", "--no-history", "--fail-on", fail_on)
    assert result.code == code


def test_fail_on_warning_catches_a_warning_only_day(cli, tmp_path):
    folder = tmp_path / "exports"
    healthy_shop(folder)
    item_csv(folder)  # shop AOV 265 vs hero 214: 1.24x, a warning
    assert cli("diagnose", "exports", "--no-history", "--fail-on", "critical").code == 0
    assert cli("diagnose", "exports", "--no-history", "--fail-on", "warning").code == 1


def test_nothing_readable_exits_2_with_reasons_and_no_report(cli, tmp_path):
    (tmp_path / "exports").mkdir()
    not_an_export(tmp_path / "exports")
    result = cli("diagnose", "exports", "missing.csv", "--no-history", "--quiet")
    assert result.code == 2
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert any(line.startswith("shopdoc: exports/客户名单.csv: ") for line in lines)
    assert any(line.startswith("shopdoc: missing.csv: ") for line in lines)
    assert lines[-1].startswith("shopdoc: 没有可以报告的内容：exports, missing.csv 里的 2 个文件都用不了")
    assert "Traceback" not in result.err


def test_empty_folder_exits_2(cli, tmp_path):
    (tmp_path / "exports").mkdir()
    result = cli("diagnose", "exports", "--no-history")
    assert result.code == 2
    assert "这个文件夹里没有导出文件（.csv" in result.err and result.out == ""
    english = cli("diagnose", "exports", "--no-history", "--lang", "en")
    assert "exports: no export files (.csv" in english.err  # --lang words the inputs' problems too


def test_one_unreadable_input_exits_3_named_on_stderr_and_in_the_report(cli, tmp_path):
    folder = tmp_path / "exports"
    healthy_shop(folder)
    not_an_export(folder)
    result = cli("diagnose", "exports", "--no-history", "--format", "json")
    assert result.code == 3
    assert "shopdoc: exports/客户名单.csv: " in result.err
    report = json.loads(result.out)
    statuses = {Path(item["path"]).name: item["status"] for item in report["inputs"]}
    assert statuses["客户名单.csv"] == "unrecognised"
    assert statuses["【生意参谋平台】店铺整体_2026-11-22.csv"] == "ok"


def test_largest_exit_code_wins(cli, tmp_path):
    folder = tmp_path / "exports"
    shop_csv(folder)  # critical finding -> 1
    not_an_export(folder)  # unreadable -> 3
    assert cli("diagnose", "exports", "--no-history", "--fail-on", "critical").code == 3


def test_binary_garbage_is_a_line_not_a_traceback(tmp_path):
    folder = tmp_path / "exports"
    healthy_shop(folder)
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 this is not really a workbook" + bytes(range(256)))
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    result = subprocess.run([str(SHOPDOC), "diagnose", str(folder), "--no-history"], capture_output=True,
                            text=True, env=env, cwd=tmp_path)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert any("broken.xlsx" in line for line in result.stderr.splitlines())


# -- diagnose: options ---------------------------------------------------------------------------------------
def test_output_writes_utf8_and_keeps_stdout_empty(cli, tmp_path):
    shop_csv(tmp_path / "exports")
    result = cli("diagnose", "exports", "--no-history", "--output", "today.md", "--format", "markdown")
    assert result.code == 0 and result.out == ""
    text = (tmp_path / "today.md").read_text(encoding="utf-8")
    assert text.startswith("# 店铺体检 · my-shop · 2026-11-22")
    assert "- **严重** 〔美工〕全店跳失率 71.2%" in text


def test_data_warnings_counted_on_stderr_unless_quiet(cli, tmp_path):
    folder = tmp_path / "exports"
    shop_csv(folder, conversion="130%")  # impossible: left out with a data warning
    not_an_export(folder)
    loud = cli("diagnose", "exports", "--no-history")
    assert "1 条数据提醒，这些值没有参与判断" in loud.err
    assert "1 data warning; those values were left out" in cli("diagnose", "exports", "--no-history", "--lang", "en").err
    assert "数据提醒（共 1 条" in loud.out
    quiet = cli("diagnose", "exports", "--no-history", "--quiet")
    assert "数据提醒" not in quiet.err
    assert "客户名单.csv" in quiet.err  # an unreadable file is an error: always told
    assert quiet.code == 3


def test_lang_shop_and_json(cli, tmp_path):
    shop_csv(tmp_path / "exports")
    result = cli("diagnose", "exports", "--no-history", "--lang", "en", "--shop", "north-store", "--format", "json")
    report = json.loads(result.out)
    assert report["shop"] == "north-store" and report["lang"] == "en"
    bounce = next(f for f in report["findings"] if f["rule"] == "page.bounce_rate")
    assert bounce["title"] == "Shop bounce rate is 71.2%, above the 70% limit"
    assert bounce["evidence"]["value"] == pytest.approx(0.712)


def test_date_option_picks_the_day_and_refuses_a_day_no_export_has(cli, tmp_path):
    shop_csv(tmp_path / "exports")
    result = cli("diagnose", "exports", "--no-history", "--date", "2026-11-22", "--format", "json")
    assert result.code == 0 and json.loads(result.out)["date"] == "2026-11-22"
    result = cli("diagnose", "exports", "--no-history", "--date", "2026-11-20", "--format", "json", "--lang", "en")
    assert (result.code, result.out) == (2, "")
    assert result.err == ("shopdoc: --date 2026-11-20: no export has data for that day (they cover 2026-11-22); "
                          "nothing to report\n")


def test_config_language_and_switched_off_rule(cli, tmp_path):
    shop_csv(tmp_path / "exports")
    (tmp_path / "shopdoc.yaml").write_text("shop:\n  lang: en\nrules:\n  page.bounce_rate: false\n", encoding="utf-8")
    result = cli("diagnose", "exports", "--no-history")
    assert "[CRITICAL] Shop bounce rate" not in result.out
    assert "  - page.bounce_rate: switched off in config" in result.out
    assert "[CRITICAL] [Design] Pages per visitor is only 2.40" in result.out


def test_colour_follows_tty_and_no_color(monkeypatch):
    class Tty:
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdout", Tty())
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert diagnose_command.use_color()
    assert diagnose_command.choose_format(None, "generic", None) == "rich"
    monkeypatch.setenv("NO_COLOR", "1")
    assert not diagnose_command.use_color()
    monkeypatch.setattr(sys, "stdout", open(os.devnull, "w"))
    monkeypatch.delenv("NO_COLOR")
    assert not diagnose_command.use_color()
    assert diagnose_command.choose_format(None, "generic", None) == "text"
    assert diagnose_command.choose_format(None, "dingtalk", None) == "markdown"


# -- init ------------------------------------------------------------------------------------------------------
def test_init_writes_once_and_force_overwrites(cli, tmp_path):
    first = cli("init", "shop-a", "--lang", "zh")
    target = tmp_path / "shop-a" / "shopdoc.yaml"
    assert first.code == 0 and target.read_text(encoding="utf-8") == render_starter("zh", target.parent.resolve())
    assert "已写入" in first.out and "shopdoc diagnose" in first.out
    target.write_text("shop:\n  name: 我的店\n", encoding="utf-8")
    again = cli("init", "shop-a")
    assert again.code == 2
    assert again.err.strip() == "shopdoc: shop-a/shopdoc.yaml already exists — use --force to overwrite it"
    assert target.read_text(encoding="utf-8") == "shop:\n  name: 我的店\n"  # untouched
    forced = cli("init", "shop-a", "--force", "--lang", "en")
    assert forced.code == 0 and target.read_text(encoding="utf-8") == render_starter("en", target.parent.resolve())


def test_init_output_is_a_working_config(cli, tmp_path):
    cli("init", ".", "--lang", "en")
    shop_csv(tmp_path / "exports")
    assert cli("rules").code == 0
    assert cli("diagnose", "exports", "--no-history").code == 0


# -- rules and explain ---------------------------------------------------------------------------------------------
def test_rules_lists_every_rule_with_thresholds_as_configured(cli, tmp_path):
    from shopdoc.rules import load_rules

    result = cli("rules", "--lang", "en")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split() == ["RULE", "OWNER", "SEVERITY", "ON", "THRESHOLDS", "(as", "configured)"]
    for rule in load_rules():
        assert any(line.startswith(rule.id + " ") for line in lines), rule.id
    bounce = next(line for line in lines if line.startswith("page.bounce_rate "))
    assert "critical=70% aim=60%" in bounce and "Design" in bounce
    (tmp_path / "shopdoc.yaml").write_text("rules:\n  page:\n    bounce_rate: {critical: 0.65, owner: operations}\n",
                                           encoding="utf-8")
    changed = cli("rules", "--lang", "en").out
    bounce = next(line for line in changed.splitlines() if line.startswith("page.bounce_rate "))
    assert "critical=65%*" in bounce and "Operations*" in bounce
    assert "* differs from the default (set in " in changed


def test_rules_in_chinese(cli):
    out = cli("rules", "--lang", "zh").out
    assert out.splitlines()[0].split() == ["规则", "负责人", "级别", "启用", "门槛（当前配置）"]
    assert any(line.startswith("page.visit_depth") and "美工" in line and "严重" in line for line in out.splitlines())


def test_explain_in_chinese_from_the_rules_docstring(cli):
    result = cli("explain", "page.bounce_rate", "--lang", "zh")
    assert result.code == 0
    out = result.out
    assert out.startswith("page.bounce_rate · 负责人：美工 · 级别：严重 · 已启用\n")
    assert "\n检查：全店跳失率。" in out
    assert "原因：《运营的一天》(003)：“跳失率：一般来讲跳失率要在70%以下" in out
    assert "\n怎么做：先调页面再加推广。" in out
    assert "  critical            70%  跳失率达到或超过这个值：页面不及格，默认 70%" in out


def test_explain_in_english_with_money_and_changed_values(cli, tmp_path):
    (tmp_path / "shopdoc.yaml").write_text("rules:\n  page.aov_ratio:\n    min_ratio: 1.5\n", encoding="utf-8")
    out = cli("explain", "page.aov_ratio", "--lang", "en").out
    assert out.startswith("page.aov_ratio · owner: Design · severity: warning · on\n"
                          "Shop AOV against the hero item's AOV")
    assert "\nWhy: \"An operator's day\" (003): \"Shop AOV should be at least 1.3 times" in out
    assert "\nMoney: the extra GMV today's buyers would bring at 1.3x." in out
    assert "min_ratio   1.5*" in out and "(default 1.3)" in out
    assert "* changed by your config (" in out


def test_explain_unknown_rule_suggests(cli):
    result = cli("explain", "page.bounce")
    assert result.code == 2
    assert result.err.strip() == ("shopdoc: unknown rule 'page.bounce' — did you mean 'page.bounce_rate'? "
                                  "(`shopdoc rules` lists every rule)")
    assert "'page.visit_depth'" in cli("explain", "visit_depth").err


# -- inspect ----------------------------------------------------------------------------------------------------------
def test_inspect_shows_kind_header_and_mapping(cli, tmp_path):
    folder = tmp_path / "exports"
    shop_csv(folder)
    result = cli("inspect", "exports")
    assert result.code == 0
    out = result.out
    assert "类型  shop_daily（店铺整体数据）" in out
    assert "表头  第 1 行" in out
    assert "跳失率 → bounce_rate" in out
    assert "会跳过的规则（缺少导出或字段）：" in out and "page.aov_ratio：没有 item_daily 导出" in out


def test_inspect_json_and_exit_codes(cli, tmp_path):
    folder = tmp_path / "exports"
    shop_csv(folder)
    not_an_export(folder)
    result = cli("inspect", "exports", "--format", "json")
    assert result.code == 3
    data = json.loads(result.out)
    by_name = {Path(item["path"]).name: item for item in data["inputs"]}
    shop = by_name["【生意参谋平台】店铺整体_2026-11-22.csv"]
    assert shop["kind"] == "shop_daily" and shop["header_row"] == 1 and shop["rows"] == 1
    assert shop["columns"]["人均浏览量"] == "pages_per_visitor"
    assert by_name["客户名单.csv"]["status"] == "unrecognised"
    assert {"rule": "page.aov_ratio", "reason": "没有 item_daily 导出"} in data["skipped"]
    only_bad = cli("inspect", "exports/客户名单.csv")
    assert only_bad.code == 2
    assert "客户名单.csv" in only_bad.out  # the details are shown even when nothing could be used
