"""`shopdoc diagnose`: read the exports, run the rules, print the to-do list, decide the exit code.

Exit codes (SPEC §2), the largest wins: 0 report produced; 1 a finding at or above `--fail-on`;
2 usage, config or input error with nothing usable; 3 report produced but an input could not be
read; 4 report produced but `--send` failed. Report on stdout (or `--output`), everything else on
stderr, one line each.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from shopdoc.commands import write_stdout
from shopdoc.neutral import guard_output
from shopdoc.errors import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_PARTIAL_INPUT,
    EXIT_SEND_FAILED,
    EXIT_USAGE,
    HistoryError,
    ShopdocError,
    UsageError,
)
from shopdoc.messages import say
from shopdoc.model import SEVERITY_RANK, InputFile, Report

# Input statuses that make the run exit 3: the file is there but could not be used.
FAILED_STATUSES = ("error", "unrecognised")
BID_SHEET_SUFFIXES = (".csv", ".xlsx")


def run(
    *,
    paths: list[str],
    date: str | None = None,
    config_path: str | None = None,
    format: str | None = None,
    lang: str | None = None,
    fail_on: str = "none",
    output: str | None = None,
    quiet: bool = False,
    bid_sheet: str | None = None,
    bid_sheet_format: str = "auto",
    details: str | None = None,
    send: list[str] | None = None,
    flavor: str = "generic",
    history: str | None = None,
    no_history: bool = False,
    shop: str | None = None,
    chart: str | None = None,
    strict: bool = False,
    all_shops: bool = False,
) -> int:
    from shopdoc.config import load_config, override

    config = load_config(config_path)
    if all_shops:
        from shopdoc.commands.portfolio import run_all

        return run_all(config, paths=paths, shop=shop, date=date, format=format, lang=lang, fail_on=fail_on,
                       output=output, quiet=quiet, bid_sheet=bid_sheet, bid_sheet_format=bid_sheet_format,
                       details=details, send=send or [],
                       flavor=flavor, history=history, no_history=no_history, chart=chart, strict=strict)
    if shop and config.shops:
        config = config.shop(shop)  # one shop of `shops:`: its settings over the shared ones
    elif shop:
        override(config, "shop.name", shop)
    elif config.shops and not paths:
        raise UsageError(f"{config.source}: lists {len(config.shops)} shops — run one with --shop NAME "
                         f"({', '.join(config.shops[:3])}{'…' if len(config.shops) > 3 else ''}) or all with --all")
    lang = lang or config.lang
    override(config, "shop.lang", lang)  # the inputs' problems are worded in the report's language
    from shopdoc.console import set_lang

    set_lang(lang)
    fmt = choose_format(format, flavor, output)
    check_writable(output, "--output")
    if bid_sheet:
        check_bid_sheet(bid_sheet, bid_sheet_format)
    if details:
        check_details(details)
    if chart:
        from shopdoc.visual import check_chart_path

        check_chart_path(chart)
        check_writable(chart, "--chart")
    if send:
        from shopdoc.chat import check_targets

        check_targets(send, config)  # a mistyped target is a usage error (exit 2), before any work

    if not paths:
        from shopdoc.shops import data_paths

        paths = data_paths(config, date)  # shop.data_dir: a folder, {date}-stamped folders or a glob
    wecom = bool(send) and "wecom" in _platforms(send, config)
    charts = "png" if wecom or (chart and chart.lower().endswith(".png")) else "svg" if fmt == "html" or chart else None
    dataset = read_inputs(paths, config, quiet, charts=charts)
    usable = any(item.status == "ok" for item in dataset.inputs)
    tell_inputs(dataset.inputs, lang, quiet=quiet and usable)  # with nothing usable, every reason is told
    if not usable:
        _say(nothing_usable(paths, dataset.inputs, lang))
        return EXIT_USAGE
    from shopdoc import freshness

    if date and not freshness.day_has_data(dataset, date):  # an empty day is not a clean day
        _say(say("data.day_absent", lang, day=date, span=freshness.span(freshness.all_dates(dataset))))
        return EXIT_USAGE
    day = date or dataset.latest_date()  # from the files, before history adds earlier days
    if date and not quiet:
        _check_day_in_data(dataset, date, lang)
    stale = freshness.stale_alert(dataset.latest_date(), config.data["inputs"].get("max_age_days", freshness.MAX_AGE_DAYS))

    report = build(dataset, config, day, lang, history=history, no_history=no_history)
    if details:
        report.details_file = details  # the rows go to the file; the JSON says where
    visuals = None
    if fmt == "html" or chart or send:  # the charts' numbers, from the dataset with its history days
        from shopdoc.visual import collect

        visuals = collect(dataset, config, report)
    write_report(report, fmt, output, flavor, visuals)

    code = EXIT_OK
    if fail_on != "none" and any(SEVERITY_RANK[f.severity] <= SEVERITY_RANK[fail_on] for f in report.findings):
        code = EXIT_FINDINGS
    if any(item.status in FAILED_STATUSES for item in report.inputs):
        code = max(code, EXIT_PARTIAL_INPUT)
    if stale is not None:
        if not quiet or strict:
            _say(stale.text(lang))
        if strict:
            code = max(code, EXIT_PARTIAL_INPUT)
    if bid_sheet and not write_bids(report, bid_sheet, quiet, bid_sheet_format, dataset):
        code = max(code, EXIT_USAGE)
    if details and not write_detail_rows(report, details, quiet):
        code = max(code, EXIT_USAGE)
    if chart and not write_chart(visuals, chart, report.lang, quiet):
        code = max(code, EXIT_USAGE)
    if send and not deliver(report, send, config, flavor, visuals, quiet=quiet):
        code = max(code, EXIT_SEND_FAILED)
    return code


# -- options ----------------------------------------------------------------------------------------
# `--output` file extensions and the formats they hold; `None`: not a report format at all.
OUTPUT_SUFFIXES: dict[str, tuple[str, ...] | None] = {
    ".json": ("json",),
    ".md": ("markdown",), ".markdown": ("markdown",),
    ".txt": ("text", "rich"), ".text": ("text", "rich"), ".log": ("text", "rich"),
    ".html": ("html",), ".htm": ("html",),
    ".xlsx": None, ".xls": None, ".csv": None, ".pdf": None,
}


def choose_format(format: str | None, flavor: str, output: str | None) -> str:
    """`--format`, else the `--output` file's extension, else markdown when a chat flavour is asked
    for, else rich on a terminal, else text. An extension that contradicts `--format`, or that no
    report format is written as (.xlsx), is refused before any work.

    With an explicit other format, `--flavor` still shapes what `--send` posts.
    """
    suffix = Path(output).suffix.lower() if output else ""
    if suffix in OUTPUT_SUFFIXES:
        formats = OUTPUT_SUFFIXES[suffix]
        if formats is None:
            hint = " (bid changes go to a sheet with --bid-sheet FILE.xlsx)" if suffix in (".xlsx", ".xls", ".csv") else ""
            raise UsageError(f"--output {output}: the report is written as .txt, .md, .json or .html, not {suffix}{hint}")
        if format and format not in formats:
            raise UsageError(f"--output {output}: a {suffix} file holds {formats[0]}, but --format is {format} — "
                             f"change the extension or the format")
        return format or formats[0]
    if format:
        return format
    if flavor != "generic":
        return "markdown"
    return "rich" if output is None and _isatty(sys.stdout) else "text"


def check_writable(path: str | None, option: str) -> None:
    """Refuse before any work when the file could never be written (missing folder, a folder)."""
    if path is None:
        return
    target = Path(path).expanduser()
    if target.is_dir():
        raise UsageError(f"{option} {path}: is a folder — give a file name")
    parent = target.parent
    if not parent.is_dir():
        raise UsageError(f"{option} {path}: folder {parent} does not exist — create it first")


def check_details(path: str) -> None:
    from shopdoc.details import DETAILS_SUFFIXES

    if Path(path).suffix.lower() not in DETAILS_SUFFIXES:
        raise UsageError(f"--details {path}: must end in .csv, .xlsx or .jsonl")
    check_writable(path, "--details")


def check_bid_sheet(path: str, layout: str = "auto") -> None:
    if Path(path).suffix.lower() not in BID_SHEET_SUFFIXES:
        raise UsageError(f"--bid-sheet {path}: must end in .csv or .xlsx")
    if layout != "auto":
        from shopdoc.upload import check_path

        check_path(path, layout)
    check_writable(path, "--bid-sheet")


def _isatty(stream: Any) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def use_color() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org) or TERM is dumb."""
    return _isatty(sys.stdout) and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


# -- reading ------------------------------------------------------------------------------------------
def read_inputs(paths: list[str], config, quiet: bool, *, charts: str | None = None):
    """Read every export (a bad or missing file becomes a failed input, never a crash).

    Progress goes to stderr only when it is a terminal and not `--quiet` (see shopdoc.progress).
    `charts` ("svg" or "png"): the run will draw, so matplotlib is imported while the last file is parsed.
    """
    import gc
    from functools import partial

    from shopdoc.api import load
    from shopdoc.progress import progress_for

    # What a run imports and reads lives until it exits: the collector is paused while it is made
    # (see `io.collector_paused`) and then told to leave it be (`gc.freeze`), or its first passes after
    # reading walk all of it again for nothing (30-40 ms, on the demo as on a large account). A
    # command's process only: a program that imports shopdoc as a library keeps its collector as is.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with progress_for(quiet=quiet) as progress:
            return load(paths, config, progress=progress, idle=partial(_import_the_rest, charts))
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _import_the_rest(charts: str | None = None) -> None:
    """What the run imports after reading (rules' helpers, the composition, the reporters), done
    while the last and biggest file is still being parsed (0.05-0.1 s a run); matplotlib too when
    the run draws (~0.2 s, see `visual.draw.prepare`). When the reads end too soon for this (the
    demo's small files), each is imported where it is first needed."""
    import importlib

    for name in ("statistics", "shopdoc.changes", "shopdoc.freshness", "shopdoc.promotions", "shopdoc.diagnosis",
                 "shopdoc.details", "shopdoc.report", "shopdoc.report._format", "shopdoc.report.wording",
                 "shopdoc.history.rows"):
        try:
            importlib.import_module(name)
        except ImportError:  # pragma: no cover - a module renamed: it is imported when needed
            continue
    if charts:
        from shopdoc.visual.draw import prepare

        try:
            prepare(png=charts == "png")
        except ImportError:  # pragma: no cover - a broken install: raised again where the first chart is drawn
            pass


def tell_inputs(inputs: list[InputFile], lang: str = "en", quiet: bool = False) -> None:
    """stderr: every file that could not be read (always), data-warning counts (unless --quiet)."""
    sep = ": "  # `file: why`, as compilers say it, in both languages
    for item in inputs:
        name = f"{item.path} [{item.sheet}]" if item.sheet else item.path
        if item.status == "unrecognised" and item.error:
            hint = say("input.inspect_hint", lang, path=_quoted(item.path))
            _say(f"{name}{sep}{item.error}{say('where.hint', lang, hint=hint)}")
        elif item.status in FAILED_STATUSES:
            _say(f"{name}{sep}{item.error or _status_words(item, lang)}")
        elif item.status == "empty" and not quiet:
            _say(f"{name}{sep}{item.error or say('input.empty', lang)}")
        if item.warnings and not quiet:
            _say(f"{name}{sep}{say('input.warnings', lang, n=len(item.warnings), path=item.path)}")


def _quoted(path: str) -> str:
    import shlex

    return shlex.quote(path)


def _status_words(item: InputFile, lang: str) -> str:
    if item.status == "unrecognised":
        return say("input.unrecognised", lang, path=item.path)
    return say("input.unreadable", lang)


def nothing_usable(paths: list[str], inputs: list[InputFile], lang: str = "en") -> str:
    where = ", ".join(paths)
    if not inputs:
        return say("input.none_found", lang, where=where)
    return say("input.none_usable", lang, where=where, n=len(inputs))


def _check_day_in_data(dataset, day: str, lang: str = "en") -> None:
    from shopdoc.freshness import span

    dates = dataset.dates() or dataset.dates(("review", "dsr"))
    if dates and day not in dates:
        _say(say("input.day_missing", lang, day=day, span=span(dates)))


# -- the report -------------------------------------------------------------------------------------
def build(dataset, config, day: str | None, lang: str, *, history: str | None, no_history: bool) -> Report:
    """Run the rules, with the history store around them when it is on."""
    from shopdoc.api import build_report

    store = open_store(config, history, no_history)
    if store is None:
        report = build_report(dataset, config, date=day, lang=lang)
        from shopdoc.history import apply_config_snoozes

        apply_config_snoozes(report, config)  # `snooze:` in the config applies without history too
        return report
    try:
        try:
            store.augment(dataset, config.shop_name, day)
        except HistoryError as exc:
            _say(f"history: {exc.line()} — comparing with earlier days is off for this run")
        store.follow_up(dataset, config.shop_name, day)  # yesterday's advice: applied? last week's: worked?
        report = build_report(dataset, config, date=day, lang=lang, history=store)
        try:
            store.annotate(report)
            store.record(dataset, report)
        except HistoryError as exc:  # read-only file, full disk: the report still prints
            _say(exc.line())
        return report
    finally:
        store.close()


def open_store(config, path: str | None, no_history: bool):
    """The history store, or None when history is off."""
    if no_history or not (path or config.get("history", "enabled")):
        return None
    from shopdoc.history import open_history

    return open_history(path, config)  # None: history.path (beside the config), else the user data dir; HistoryError: exit 2


def render_report(report: Report, fmt: str, flavor: str, *, color: bool, width: int | None, visuals=None) -> str:
    if fmt == "html":
        from shopdoc.visual import render_html

        return render_html(report, visuals)
    if fmt == "markdown" and flavor != "generic":
        from shopdoc.chat import render_flavor

        return render_flavor(report, flavor)
    from shopdoc.report import render

    return render(report, fmt, color=color, width=width)


def write_report(report: Report, fmt: str, output: str | None, flavor: str, visuals=None) -> None:
    if output:
        try:
            if fmt == "json":  # written as UTF-8 bytes, never decoded (a large account's is 9 MB)
                from shopdoc.neutral import guard_output_bytes
                from shopdoc.report import render_json_bytes

                Path(output).expanduser().write_bytes(guard_output_bytes(render_json_bytes(report)))
                return
            text = guard_output(render_report(report, fmt, flavor, color=False, width=None, visuals=visuals))
            Path(output).expanduser().write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"--output {output}: cannot write: {exc.strerror or exc}") from None
        return
    color = fmt == "rich" and use_color()
    width = _terminal_width() if fmt == "rich" and _isatty(sys.stdout) else None
    write_stdout(guard_output(render_report(report, fmt, flavor, color=color, width=width, visuals=visuals),
                              colour=color))


def _terminal_width() -> int:
    import shutil

    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 140))


# -- after the report -------------------------------------------------------------------------------
def write_bids(report: Report, path: str, quiet: bool, layout: str = "auto", dataset: Any = None) -> bool:
    from shopdoc.upload import write_change_sheet

    try:
        written = write_change_sheet(report, path, layout, dataset)
        rows = written.rows
    except ShopdocError as exc:
        _say(exc.line())
        return False
    except OSError as exc:
        _say(f"--bid-sheet {path}: cannot write: {exc.strerror or exc}")
        return False
    if not quiet:
        _say(say("bids.written", report.lang, n=rows, path=path))
        for note in written.notes:
            _say(note)
    return True


def write_detail_rows(report: Report, path: str, quiet: bool) -> bool:
    from shopdoc.details import write_details

    try:
        rows = write_details(report.blocks, path)
    except OSError as exc:
        _say(f"--details {path}: cannot write: {exc.strerror or exc}")
        return False
    if not quiet:
        _say(say("details.written", report.lang, n=rows, path=path))
    return True


def write_chart(visuals, path: str, lang: str, quiet: bool) -> bool:
    from shopdoc.visual import write_chart as write

    try:
        written = write(visuals, path, lang)
    except OSError as exc:
        _say(f"--chart {path}: cannot write: {exc.strerror or exc}")
        return False
    if not written:  # not an error: on the first morning there is no trend yet
        _say(f"--chart {path}: not written, nothing to chart yet — it needs shop GMV on two days "
             "(export several days, or keep the history on)")
        return True
    if not quiet:
        _say(f"wrote the chart to {path}")
    return True


def deliver(report: Report, targets: list[str], config, flavor: str, visuals=None, *, quiet: bool = False) -> bool:
    """Post to the chat bots; one stderr line per target ("dingtalk: sent 2 messages", or why not).
    True when all were delivered. After the report's text, WeCom gets the key chart as an image, and
    every robot a link to the HTML report when `report.url` is set (see `shopdoc.chat.visual`)."""
    from shopdoc.chat import send_report

    extras = chat_extras(report, targets, config, visuals)

    def sent(target: str, count: int) -> None:
        if not quiet:
            _say(f"{target}: {say('send.sent', report.lang, n=count)}")

    try:
        failures = send_report(report, targets, config, flavor=flavor, on_sent=sent, extras=extras)
    except ShopdocError as exc:
        failures = [exc.line()]
    for line in failures:
        _say(line)
    return not failures


def _platforms(targets: list[str], config) -> set[str]:
    """The chat platforms `--send` posts to (a configured robot's name stands for its platform)."""
    from shopdoc.chat.send import configured_targets

    configured = configured_targets(config)
    return {configured[name]["platform"] if name in configured else name for name in targets}


def chat_extras(report: Report, targets: list[str], config, visuals):
    """What `--send` posts after the text: the PNG only when a WeCom robot is among the targets."""
    from shopdoc.chat.visual import extra_messages, report_link

    url = report_link(config.get("report", "url"), report.shop, report.date)
    png = None
    if visuals is not None and "wecom" in _platforms(targets, config):
        from shopdoc.visual import key_chart_png

        png = key_chart_png(visuals, report.lang)
    if png is None and url is None:
        return None
    return extra_messages(png, url, report.lang)


def _say(message: str) -> None:
    print(f"shopdoc: {guard_output(message)}", file=sys.stderr)
