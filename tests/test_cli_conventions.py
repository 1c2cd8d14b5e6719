"""CLI conventions (clig.dev, ruff, gh): --version, completion, metavars, examples in every command's
help, errors pointing to the command's own help, one set of --format choices, --lang wherever words
are printed, --fail-on info, -o choosing or refusing by extension, a closed pipe is not an error,
no spinner under NO_COLOR."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shopdoc import __version__
from shopdoc.commands import diagnose as diagnose_command
from shopdoc.progress import TerminalProgress, progress_for
from test_cli import healthy_shop, shop_csv

SHOPDOC = Path(sys.executable).parent / "shopdoc"
COMMANDS = ["diagnose", "rules", "explain", "init", "inspect", "history", "snooze"]


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(cli, flag):
    result = cli(flag)
    assert (result.code, result.out, result.err) == (0, f"shopdoc {__version__}\n", "")


def test_shell_completion_script(cli, monkeypatch):
    # What `--show-completion` prints, asked for by shell name: that option guesses the shell from the
    # parent processes, which a test run (or cron, CI) may not have.
    monkeypatch.setenv("_SHOPDOC_COMPLETE", "source_bash")
    result = cli()
    assert result.code == 0 and "_SHOPDOC_COMPLETE" in result.out and "complete " in result.out
    monkeypatch.delenv("_SHOPDOC_COMPLETE")
    assert "--show-completion" in cli("--help").out and "--install-completion" in cli("--help").out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_has_examples_and_real_metavars(cli, command):
    result = cli(command, "--help")
    assert result.code == 0
    assert "Examples:" in result.out and f"shopdoc {command}" in result.out.split("Examples:")[1]
    assert "TEXT" not in result.out and "<str>" not in result.out and "INTEGER" not in result.out


def test_diagnose_help_names_its_arguments(cli):
    out = cli("diagnose", "--help").out
    for shown in ("--date DATE", "--config FILE", "--output FILE", "--bid-sheet FILE", "--send TARGET",
                  "--history FILE", "--shop NAME", "[PATH]..."):
        assert shown in out, shown


@pytest.mark.parametrize("args, where", [
    (["diagnose", "--bogus"], "shopdoc diagnose --help"),
    (["history", "--days", "many"], "shopdoc history --help"),
    (["rules", "--format", "pdf"], "shopdoc rules --help"),
    (["nosuch"], "shopdoc --help"),
])
def test_usage_errors_point_to_that_commands_help(cli, args, where):
    result = cli(*args)
    assert result.code == 2 and result.err.count("\n") == 1 and f"see `{where}`" in result.err


@pytest.mark.parametrize("command", ["rules", "inspect", "history"])
def test_format_has_the_same_choices_everywhere(cli, command):
    out = cli(command, "--help").out
    assert "--format <rich|text|markdown|json>" in out
    assert "--format <rich|text|markdown|json|html>" in cli("diagnose", "--help").out  # the report adds html


@pytest.mark.parametrize("command", ["diagnose", "rules", "explain", "init", "inspect", "history", "snooze"])
def test_lang_on_every_command_that_prints_words(cli, command):
    assert "--lang <zh|en>" in cli(command, "--help").out


def test_rules_and_inspect_as_json_and_markdown(cli, tmp_path):
    rules = json.loads(cli("rules", "--format", "json").out)
    assert rules["schema"] == "shopdoc.rules/1"
    bounce = next(rule for rule in rules["rules"] if rule["id"] == "page.bounce_rate")
    assert bounce["thresholds"]["critical"] == 0.7 and bounce["owner"] == "design"
    assert cli("rules", "--format", "markdown").out.startswith("| 规则 |")
    shop_csv(tmp_path / "exports")
    inspected = cli("inspect", "exports", "--format", "markdown", "--lang", "en")
    assert inspected.code == 0 and "### exports/" in inspected.out and "| kind | shop_daily" in inspected.out
    assert "| 类型 |" in cli("inspect", "exports", "--format", "markdown", "--lang", "zh").out


def test_fail_on_info(cli, tmp_path):
    """A day whose only findings are info: `--fail-on info` exits 1, `--fail-on warning` 0."""
    shop_csv(tmp_path / "exports", bounce="65.00%", depth="3.80")  # bounce passes, above the aim: info
    result = cli("diagnose", "exports", "--no-history", "--fail-on", "info", "--format", "json")
    severities = {finding["severity"] for finding in json.loads(result.out)["findings"]}
    assert severities == {"info"} and result.code == 1
    assert cli("diagnose", "exports", "--no-history", "--fail-on", "warning").code == 0


@pytest.mark.parametrize("name, check", [
    ("report.json", lambda text: json.loads(text)["schema"].startswith("shopdoc.report/")),
    ("report.md", lambda text: text.startswith("#")),
    ("report.txt", lambda text: not text.startswith(("{", "#"))),
])
def test_output_extension_chooses_the_format(cli, tmp_path, name, check):
    shop_csv(tmp_path / "exports")
    result = cli("diagnose", "exports", "--no-history", "-o", name)
    assert result.code == 0 and result.out == ""
    assert check((tmp_path / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("args, words", [
    (["-o", "report.xlsx"], "not .xlsx (bid changes go to a sheet with --bid-sheet FILE.xlsx)"),
    (["-o", "report.json", "--format", "text"], "a .json file holds json, but --format is text"),
    (["-o", "report.md", "--format", "json"], "a .md file holds markdown, but --format is json"),
])
def test_output_extension_that_contradicts_is_refused_before_any_work(cli, tmp_path, args, words):
    shop_csv(tmp_path / "exports")
    result = cli("diagnose", "exports", "--no-history", *args)
    assert result.code == 2 and words in result.err and result.out == ""
    assert not any(tmp_path.glob("report.*"))


@pytest.mark.parametrize("command", [["rules"], ["history"], ["explain", "ads.ctr_bid"], ["--help"],
                                     ["diagnose", "exports", "--no-history"]])
def test_a_closed_pipe_is_a_quiet_exit(tmp_path, command):
    """`shopdoc rules | true`, `shopdoc history | head -1`: the reader left; no error, no noise."""
    shop_csv(tmp_path / "exports")
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    reader, writer = os.pipe()
    os.close(reader)  # like `| true`: nobody reads
    done = subprocess.run([str(SHOPDOC), *command], stdout=writer, stderr=subprocess.PIPE, cwd=tmp_path, env=env,
                          timeout=60)
    os.close(writer)
    assert done.returncode == 0 and done.stderr == b""
    head = subprocess.run(f"'{SHOPDOC}' {' '.join(command)} | head -1", shell=True, capture_output=True,
                          cwd=tmp_path, env=env, timeout=60)
    assert head.returncode == 0 and head.stderr == b"" and head.stdout.count(b"\n") == 1


class _Terminal:
    def isatty(self):
        return True

    def write(self, text):
        return len(text)

    def flush(self):
        pass


def test_no_progress_under_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert isinstance(progress_for(stream=_Terminal()), TerminalProgress)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not isinstance(progress_for(stream=_Terminal()), TerminalProgress)


def test_choose_format_from_the_output_name():
    assert diagnose_command.choose_format(None, "generic", "out/today.JSON") == "json"
    assert diagnose_command.choose_format(None, "dingtalk", "msg.md") == "markdown"
    assert diagnose_command.choose_format("rich", "generic", "today.txt") == "rich"
    assert diagnose_command.choose_format(None, "generic", "report") == "text"
