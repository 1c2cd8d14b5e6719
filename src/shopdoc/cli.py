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
    add_completion=True,
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


class ListFormat(str, Enum):
    """`--format` of the commands that describe (rules, inspect, history): the report's less html."""

    rich = "rich"
    text = "text"
    markdown = "markdown"
    json = "json"


class FailOn(str, Enum):
    none = "none"
    info = "info"
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


class BidSheetFormat(str, Enum):
    auto = "auto"
    ztc = "ztc"
    google_ads_editor = "google-ads-editor"
    amazon_bulk = "amazon-bulk"


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


def _show_version(value: bool) -> None:
    if value:
        from shopdoc import __version__

        print(f"shopdoc {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", is_eager=True, callback=_show_version,
                                 help="Print the version and exit."),
) -> None:
    """The shop doctor: reads your morning exports and prints today's to-do list."""


# Options shared by several commands: the same name, metavar and help everywhere.
def _config_option():
    return typer.Option(None, "--config", metavar="FILE",
                        help="Config file (default: ./shopdoc.yaml, then the user config folder).")


def _lang_option():
    return typer.Option(None, "--lang", help="Language of the output (default: shop.lang in the config, else the locale).")


def _format_option(what: str):
    return typer.Option(None, "--format", help=f"Output format (default: {what}).")


def _lang(lang: Optional[Lang], cfg) -> str:
    return lang.value if lang else cfg.lang


@app.command()
def diagnose(
    paths: list[str] = typer.Argument(None, metavar="[PATH]...", help="Export files or folders (default: shop.data_dir, else the current folder)."),
    date: Optional[str] = typer.Option(None, "--date", metavar="DATE", help="Report day YYYY-MM-DD (default: the latest day in the data)."),
    config: Optional[str] = _config_option(),
    format: Optional[Format] = typer.Option(None, "--format", help="Output format (default: rich on a terminal, text when piped, else from the --output extension); html is one offline page with charts."),
    lang: Optional[Lang] = _lang_option(),
    fail_on: FailOn = typer.Option(FailOn.none, "--fail-on", help="Exit 1 when a finding is at or above this severity."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the report to FILE instead of stdout; .json, .md and .txt choose the format."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or warnings on stderr; errors only."),
    strict: bool = typer.Option(False, "--strict", help="Exit 3 when the data is older than inputs.max_age_days."),
    bid_sheet: Optional[str] = typer.Option(None, "--bid-sheet", metavar="FILE", help="Write every proposed ad change to FILE (.csv or .xlsx)."),
    bid_sheet_format: BidSheetFormat = typer.Option(BidSheetFormat.auto, "--bid-sheet-format", help="Layout of --bid-sheet: auto (by the ad reports' platform), ztc (直通车/万相台 改价表), google-ads-editor (Editor's CSV import), amazon-bulk (Sponsored Products bulk sheet, from a bulk file's IDs)."),
    details: Optional[str] = typer.Option(None, "--details", metavar="FILE", help="Write every subject's row (each keyword, item…) to FILE (.csv, .xlsx or .jsonl) instead of into the JSON report."),
    send: Optional[list[str]] = typer.Option(None, "--send", metavar="TARGET", help="Post the report to a chat bot (dingtalk, wecom, feishu, slack or a configured target); repeatable."),
    flavor: Flavor = typer.Option(Flavor.generic, "--flavor", help="Markdown flavour for --format markdown."),
    history: Optional[str] = typer.Option(None, "--history", metavar="FILE", help="History database file."),
    no_history: bool = typer.Option(False, "--no-history", help="Do not read or write the history."),
    shop: Optional[str] = typer.Option(None, "--shop", metavar="NAME", help="Run this shop of the config's shops: (without shops:, overrides shop.name)."),
    all_shops: bool = typer.Option(False, "--all", help="Run every shop of the config's shops: in parallel (one process per core) and print the shops ranked."),
    chart: Optional[str] = typer.Option(None, "--chart", metavar="FILE", help="Write the key chart (30-day GMV against the target) to FILE (.png or .svg)."),
) -> None:
    """Read every export found, run the rules, print the to-do list. 读取导出文件，给出今日待办。

    \b
    Examples:
      shopdoc diagnose ~/Downloads/exports
      shopdoc diagnose exports --date 2026-11-22 --lang en
      shopdoc diagnose exports --send dingtalk --fail-on critical
      shopdoc diagnose exports -o report.json --bid-sheet bids.xlsx
      shopdoc diagnose exports -o report.json --details keywords.csv
      shopdoc diagnose --config agency.yaml --all -o 'reports/{shop}.json' --send dingtalk
    """
    import gc

    from shopdoc.commands.diagnose import run

    try:
        code = run(
            paths=paths or [], date=_check_date(date), config_path=config,
            format=format.value if format else None, lang=lang.value if lang else None,
            fail_on=fail_on.value, output=output, quiet=quiet, bid_sheet=bid_sheet, bid_sheet_format=bid_sheet_format.value,
            details=details, send=send or [],
            flavor=flavor.value, history=history, no_history=no_history, shop=shop, chart=chart, strict=strict,
            all_shops=all_shops,
        )
    finally:
        gc.unfreeze()  # what the reading froze (`commands.diagnose.read_inputs`) is the collector's again
    raise typer.Exit(code)


@app.command()
def rules(
    config: Optional[str] = _config_option(),
    lang: Optional[Lang] = _lang_option(),
    format: Optional[ListFormat] = _format_option("text"),
) -> None:
    """List every rule: id, owner, severity and its thresholds as configured. 列出所有规则。

    \b
    Examples:
      shopdoc rules
      shopdoc rules --config shop2.yaml --lang en
      shopdoc rules --format json
    """
    from shopdoc.commands import write_stdout
    from shopdoc.commands.info import rules_output

    cfg = _config(config)
    write_stdout(rules_output(cfg, _lang(lang, cfg), format.value if format else "text"))


@app.command()
def explain(
    rule_id: str = typer.Argument(..., metavar="RULE", help="A rule id, e.g. page.bounce_rate."),
    config: Optional[str] = _config_option(),
    lang: Optional[Lang] = _lang_option(),
) -> None:
    """What a rule checks, why, how to fix, and its thresholds. 解释一条规则。

    \b
    Examples:
      shopdoc explain page.bounce_rate
      shopdoc explain ads.ctr_bid --lang en
    """
    from shopdoc.commands import write_stdout
    from shopdoc.commands.info import explain_rule

    cfg = _config(config)
    write_stdout(explain_rule(rule_id, cfg, _lang(lang, cfg)) + "\n")


@app.command()
def init(
    directory: str = typer.Argument(".", metavar="[DIR]", help="Where to write shopdoc.yaml and shopdoc.env (default: the current folder)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing shopdoc.yaml (shopdoc.env is never overwritten)."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="Language of the comments (default: the locale)."),
) -> None:
    """Write a commented starter config, a private env file for the chat robots, and the cron line. 生成配置文件模板。

    \b
    Examples:
      shopdoc init ~/shop
      shopdoc init . --lang en --force
    """
    from shopdoc.commands import write_stdout
    from shopdoc.commands.info import write_starter

    write_stdout(write_starter(Path(directory), force=force, lang=lang.value if lang else None) + "\n")


@app.command()
def inspect(
    paths: list[str] = typer.Argument(..., metavar="PATH...", help="Export files or folders."),
    config: Optional[str] = _config_option(),
    format: Optional[ListFormat] = _format_option("text"),
    lang: Optional[Lang] = _lang_option(),
) -> None:
    """Show how each file is read: kind, header row, column mapping, dates, warnings. 查看文件识别结果。

    \b
    Examples:
      shopdoc inspect 【生意参谋平台】商品_全部_2026-11-22.xls
      shopdoc inspect exports --format json
    """
    from shopdoc.commands.info import inspect_paths

    cfg = _config(config)
    raise typer.Exit(inspect_paths(paths, cfg, format.value if format else None, lang=_lang(lang, cfg)))


@app.command("history")
def history_command(
    history: Optional[str] = typer.Option(None, "--history", metavar="FILE", help="History database file (default: history.path in the config, else the user data folder)."),
    shop: Optional[str] = typer.Option(None, "--shop", metavar="NAME", help="Only this shop (default: every shop stored)."),
    days: int = typer.Option(14, "--days", metavar="N", help="How many days to show, ending on the latest stored day."),
    format: Optional[ListFormat] = _format_option("text"),
    config: Optional[str] = _config_option(),
    lang: Optional[Lang] = _lang_option(),
    repair: bool = typer.Option(False, "--repair", help="Copy what is readable of a damaged history into a new file (the damaged one is kept)."),
    actions: bool = typer.Option(False, "--actions", help="Per rule: how often its advice was followed and how often it worked."),
) -> None:
    """Stored days per shop: key metrics over time, week-over-week change. 查看历史数据和走势。

    \b
    Examples:
      shopdoc history
      shopdoc history --shop my-shop --days 30
      shopdoc history --format json
      shopdoc history --repair      # a damaged file: copy what is readable into a new one
      shopdoc history --actions     # per rule: advice followed, and whether it worked
    """
    from shopdoc.commands.history import repair_history, show_actions, show_history

    cfg = _config(config)
    if actions:
        raise typer.Exit(show_actions(cfg, path=history, shop=shop, format=format.value if format else "text",
                                      lang=_lang(lang, cfg)))
    if repair:
        raise typer.Exit(repair_history(cfg, path=history, lang=_lang(lang, cfg)))
    raise typer.Exit(show_history(cfg, path=history, shop=shop, days=days, format=format.value if format else "text",
                                  lang=_lang(lang, cfg)))


@app.command("snooze")
def snooze_command(
    rule_id: Optional[str] = typer.Argument(None, metavar="RULE", help="A rule id, e.g. ads.zero_click."),
    subject: Optional[str] = typer.Argument(None, metavar="SUBJECT", help="The finding's subject as the report shows it (shop, item:5531, campaign:NAME ...), or * for the whole rule."),
    days: Optional[int] = typer.Option(None, "--days", metavar="N", help="Keep it quiet for the next N report days."),
    until: Optional[str] = typer.Option(None, "--until", metavar="DATE", help="Or: back on the list from this day (YYYY-MM-DD)."),
    list_only: bool = typer.Option(False, "--list", help="Show what is snoozed."),
    clear: bool = typer.Option(False, "--clear", help="Remove snoozes (all of the shop's, or of RULE [SUBJECT])."),
    shop: Optional[str] = typer.Option(None, "--shop", metavar="NAME", help="Shop name (overrides shop.name in the config)."),
    history: Optional[str] = typer.Option(None, "--history", metavar="FILE", help="History database file."),
    config: Optional[str] = _config_option(),
    lang: Optional[Lang] = _lang_option(),
) -> None:
    """Keep a known finding off the list for N days. 暂停提醒某个问题 N 天。

    \b
    Examples:
      shopdoc snooze pricing.price_tail item:5531 --days 7
      shopdoc snooze ads.zero_click '*' --until 2026-12-31
      shopdoc snooze --list
    """
    from shopdoc.commands.snooze import run

    cfg = _config(config)
    raise typer.Exit(run(cfg, rule_id=rule_id, subject=subject, days=days, until=until, list_only=list_only,
                         clear=clear, shop=shop, path=history, lang=_lang(lang, cfg)))


@app.command("done")
def done_command(
    key: str = typer.Argument(..., metavar="KEY", help="The to-do's key as the report prints it (rule subject [facet])."),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help="What was done (kept with it)."),
    shop: Optional[str] = typer.Option(None, "--shop", metavar="NAME", help="Shop name (overrides shop.name in the config)."),
    history: Optional[str] = typer.Option(None, "--history", metavar="FILE", help="History database file."),
    config: Optional[str] = _config_option(),
    lang: Optional[Lang] = _lang_option(),
) -> None:
    """Mark a to-do done (an answered review, a fixed page). 标记待办已做。

    \b
    Examples:
      shopdoc done 'reviews.negative_top_items item:5531' --note '已联系买家'
      shopdoc done 'page.bounce_rate shop' --note 'new hero image'
    """
    from shopdoc.commands.todo import mark_done

    cfg = _config(config)
    raise typer.Exit(mark_done(cfg, key=key, note=note, shop=shop, path=history, lang=_lang(lang, cfg)))


@app.command("todo")
def todo_command(
    shop: Optional[str] = typer.Option(None, "--shop", metavar="NAME", help="Only this shop (default: every shop stored)."),
    history: Optional[str] = typer.Option(None, "--history", metavar="FILE", help="History database file."),
    format: Optional[ListFormat] = _format_option("text"),
    config: Optional[str] = _config_option(),
    lang: Optional[Lang] = _lang_option(),
) -> None:
    """The to-dos: open, done and ignored, with their ages. 待办：待做、已做、没理会。

    \b
    Examples:
      shopdoc todo
      shopdoc todo --shop my-shop --format json
    """
    from shopdoc.commands.todo import show_todo

    cfg = _config(config)
    raise typer.Exit(show_todo(cfg, shop=shop, path=history, format=format.value if format else "text",
                               lang=_lang(lang, cfg)))


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
        code = app(standalone_mode=False, prog_name="shopdoc")
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
    except BrokenPipeError:  # `shopdoc rules | head -1`: the reader has what it wanted
        _quiet_stdout()
        sys.exit(EXIT_OK)
    except SystemExit as exc:
        # click's own answer to a closed pipe while it prints help is exit 1; it is not a failure
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":
            _quiet_stdout()
            sys.exit(EXIT_OK)
        raise
    except Exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `shopdoc`: the help is the answer
            print(exc.format_message())
            sys.exit(EXIT_OK)
        if type(exc).__module__.startswith(("click", "typer")) and hasattr(exc, "format_message"):
            ctx = getattr(exc, "ctx", None)
            where = ctx.command_path if ctx is not None and ctx.command_path else "shopdoc"
            _err(exc.format_message() + f" — see `{where} --help`")
            sys.exit(EXIT_USAGE)
        if os.environ.get("SHOPDOC_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} — please report this (set SHOPDOC_DEBUG=1 for details)")
        sys.exit(EXIT_USAGE)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _quiet_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush has nowhere to fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


__all__ = ["app", "main"]
