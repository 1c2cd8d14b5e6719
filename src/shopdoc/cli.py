"""The command line: a thin layer over the library. Heavy imports happen inside the commands."""

from __future__ import annotations

import atexit
import gc
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from shopdoc.errors import EXIT_OK, EXIT_USAGE, ShopdocError, UsageError

app = typer.Typer(
    name="shopdoc",
    help="The shop doctor: reads your morning exports and prints today's to-do list.\n\n"
    "店铺医生：读取每天早上下载的生意参谋、直通车、评价等导出文件，给出今天的待办清单。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    rich = "rich"
    text = "text"
    markdown = "markdown"
    json = "json"
    html = "html"


class FailOn(str, Enum):
    none = "none"
    warning = "warning"
    critical = "critical"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class Flavor(str, Enum):
    generic = "generic"
    dingtalk = "dingtalk"
    wecom = "wecom"
    feishu = "feishu"
    slack = "slack"


def _err(message: str) -> None:
    print(f"shopdoc: {message}", file=sys.stderr)


def _config(path: Optional[str]):
    from shopdoc.config import load_config

    return load_config(path)


def _check_date(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"--date: expected YYYY-MM-DD, got {value!r}") from None


@app.command()
def diagnose(
    paths: list[str] = typer.Argument(None, help="Export files or folders (default: shop.data_dir, else the current folder)."),
    date: Optional[str] = typer.Option(None, "--date", help="Report day YYYY-MM-DD (default: the latest day in the data)."),
    config: Optional[str] = typer.Option(None, "--config", help="Config file (default: ./shopdoc.yaml, then the user config dir)."),
    format: Optional[Format] = typer.Option(None, "--format", help="rich on a terminal, text when piped; html is one offline page with charts."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="Report language (default: config, else the locale)."),
    fail_on: FailOn = typer.Option(FailOn.none, "--fail-on", help="Exit 1 when a finding is at or above this severity."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Write the report to FILE instead of stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or warnings on stderr; errors only."),
    bid_sheet: Optional[str] = typer.Option(None, "--bid-sheet", help="Write the proposed bid changes to FILE (.csv or .xlsx)."),
    send: Optional[list[str]] = typer.Option(None, "--send", help="Post the report to a chat bot (dingtalk, wecom, feishu, slack or a configured target); repeatable."),
    flavor: Flavor = typer.Option(Flavor.generic, "--flavor", help="Markdown flavour for --format markdown."),
    history: Optional[str] = typer.Option(None, "--history", help="History database file."),
    no_history: bool = typer.Option(False, "--no-history", help="Do not read or write the history."),
    shop: Optional[str] = typer.Option(None, "--shop", help="Shop name (overrides shop.name in the config)."),
    chart: Optional[str] = typer.Option(None, "--chart", help="Write the key chart (30-day GMV against the target) to FILE (.png or .svg)."),
) -> None:
    """Read every export found, run the rules, print the to-do list. 读取导出文件，给出今日待办。"""
    from shopdoc.commands.diagnose import run

    raise typer.Exit(run(
        paths=paths or [], date=_check_date(date), config_path=config,
        format=format.value if format else None, lang=lang.value if lang else None,
        fail_on=fail_on.value, output=output, quiet=quiet, bid_sheet=bid_sheet, send=send or [],
        flavor=flavor.value, history=history, no_history=no_history, shop=shop, chart=chart,
    ))


@app.command()
def rules(
    config: Optional[str] = typer.Option(None, "--config", help="Config file."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="Language."),
) -> None:
    """List every rule: id, owner, severity and its thresholds as configured. 列出所有规则。"""
    from shopdoc.commands.info import rules_table

    cfg = _config(config)
    print(rules_table(cfg, lang.value if lang else cfg.lang))


@app.command()
def explain(
    rule_id: str = typer.Argument(..., metavar="RULE_ID", help="A rule id, e.g. page.bounce_rate."),
    config: Optional[str] = typer.Option(None, "--config", help="Config file."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="Language."),
) -> None:
    """What a rule checks, why, how to fix, and its thresholds. 解释一条规则。"""
    from shopdoc.commands.info import explain_rule

    cfg = _config(config)
    print(explain_rule(rule_id, cfg, lang.value if lang else cfg.lang))


@app.command()
def init(
    directory: str = typer.Argument(".", metavar="DIR", help="Where to write shopdoc.yaml."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing shopdoc.yaml."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="Language of the comments."),
) -> None:
    """Write a commented starter config and a cron example. 生成配置文件模板。"""
    from shopdoc.commands.info import write_starter

    print(write_starter(Path(directory), force=force, lang=lang.value if lang else None))


@app.command()
def inspect(
    paths: list[str] = typer.Argument(..., metavar="PATH", help="Export files or folders."),
    config: Optional[str] = typer.Option(None, "--config", help="Config file."),
    format: Optional[Format] = typer.Option(None, "--format", help="text or json."),
) -> None:
    """Show how each file is read: kind, header row, column mapping, dates, warnings. 查看文件识别结果。"""
    from shopdoc.commands.info import inspect_paths

    raise typer.Exit(inspect_paths(paths, _config(config), format.value if format else None))


class HistoryFormat(str, Enum):
    text = "text"
    json = "json"


@app.command("history")
def history_command(
    history: Optional[str] = typer.Option(None, "--history", help="History database file (default: history.path in the config, else the user data dir)."),
    shop: Optional[str] = typer.Option(None, "--shop", help="Only this shop (default: every shop stored)."),
    days: int = typer.Option(14, "--days", help="How many days to show, ending on the latest stored day."),
    format: HistoryFormat = typer.Option(HistoryFormat.text, "--format", help="text or json."),
    config: Optional[str] = typer.Option(None, "--config", help="Config file."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="Language."),
) -> None:
    """Stored days per shop: key metrics over time, week-over-week change. 查看历史数据和走势。"""
    from shopdoc.commands.history import show_history

    cfg = _config(config)
    raise typer.Exit(show_history(cfg, path=history, shop=shop, days=days, format=format.value,
                                  lang=lang.value if lang else cfg.lang))


@app.command("snooze")
def snooze_command(
    rule_id: Optional[str] = typer.Argument(None, metavar="RULE", help="A rule id, e.g. ads.zero_click."),
    subject: Optional[str] = typer.Argument(None, metavar="SUBJECT", help="The finding's subject as the report shows it (shop, item:5531, campaign:NAME ...), or * for the whole rule."),
    days: Optional[int] = typer.Option(None, "--days", help="Keep it quiet for the next N report days."),
    until: Optional[str] = typer.Option(None, "--until", help="Or: back on the list from this day (YYYY-MM-DD)."),
    list_only: bool = typer.Option(False, "--list", help="Show what is snoozed."),
    clear: bool = typer.Option(False, "--clear", help="Remove snoozes (all of the shop's, or of RULE [SUBJECT])."),
    shop: Optional[str] = typer.Option(None, "--shop", help="Shop name (overrides shop.name in the config)."),
    history: Optional[str] = typer.Option(None, "--history", help="History database file."),
    config: Optional[str] = typer.Option(None, "--config", help="Config file."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="Language."),
) -> None:
    """Keep a known finding off the list for N days. 暂停提醒某个问题 N 天。"""
    from shopdoc.commands.snooze import run

    cfg = _config(config)
    raise typer.Exit(run(cfg, rule_id=rule_id, subject=subject, days=days, until=until, list_only=list_only,
                         clear=clear, shop=shop, path=history, lang=lang.value if lang else cfg.lang))


def main() -> None:
    """Console entry point: turns every user-fixable error into one line and the SPEC's exit code."""
    # numpy's OpenBLAS starts a thread per core that spins after its calls. shopdoc does no linear
    # algebra, and on a small machine those threads take the cores the file reads need (half a
    # second of a large account). Set before pandas is first imported; a user's own setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # At exit the cycle collector would walk every object pandas and the data left behind, only to
    # find the process is ending anyway (~0.1 s of a morning run). Frozen, they are skipped; files,
    # connections and streams are closed by the commands themselves, not by a collection.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    from shopdoc.console import prepare

    prepare()  # never a UnicodeEncodeError: GBK and ASCII consoles get plain equivalents
    try:
        code = app(standalone_mode=False)
    except ShopdocError as exc:
        _err(exc.line())
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except typer.Abort:
        sys.exit(130)
    except Exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `shopdoc`: the help is the answer
            print(exc.format_message())
            sys.exit(EXIT_OK)
        if type(exc).__module__.startswith(("click", "typer")) and hasattr(exc, "format_message"):
            _err(exc.format_message() + " — see `shopdoc --help`")
            sys.exit(EXIT_USAGE)
        if os.environ.get("SHOPDOC_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} — please report this (set SHOPDOC_DEBUG=1 for details)")
        sys.exit(EXIT_USAGE)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


__all__ = ["app", "main"]
