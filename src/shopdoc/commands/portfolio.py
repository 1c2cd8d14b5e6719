"""`shopdoc diagnose --all`: every shop of `shops:` in a process pool, then the portfolio.

Each shop runs in its own worker process (at most one per core): read its exports, run the rules
with the shared history, write its report to its own file (`-o 'reports/{shop}.json'`). A shop whose
exports are missing or broken, or whose run fails in any way, becomes a failure line in the
portfolio; the others are not stopped. The parent prints the portfolio (ranked) on stdout, each
shop's stderr lines prefixed with its name, then sends: the portfolio first to `--send`, then each
shop's to-dos — per team to its `owners:` targets, the rest to the shop's `send_to` (else `--send`).

Exit code (SPEC §2, the largest wins): 3 when some shop failed or could not read an export (the
portfolio and the other reports were produced), 2 when no shop produced a report, 4 when a message
was not delivered, 1 for `--fail-on`.
"""

from __future__ import annotations

import io
import os
import sys
from contextlib import redirect_stderr
from dataclasses import dataclass, field
from typing import Any

from shopdoc.errors import EXIT_OK, EXIT_PARTIAL_INPUT, EXIT_SEND_FAILED, EXIT_USAGE, ShopdocError, UsageError
from shopdoc.neutral import guard_output

TEMPLATE_OPTIONS = ("--output", "--bid-sheet", "--details")


@dataclass
class Job:
    """What one worker needs: the shop's own config and the run's options (picklable)."""

    name: str
    config: Any
    date: str | None
    lang: str
    fmt: str
    flavor: str
    output: str | None
    bid_sheet: str | None
    details: str | None
    history: str | None
    no_history: bool
    fail_on: str
    strict: bool
    quiet: bool
    keep_report: bool  # the parent sends it: return the report (without its detail rows)
    bid_sheet_format: str = "auto"  # --bid-sheet-format


@dataclass
class Outcome:
    line: Any  # portfolio.ShopLine
    report: Any = None
    log: str = ""
    problems: list[str] = field(default_factory=list)


def run_all(config, *, paths: list[str], shop: str | None, date: str | None, format: str | None, lang: str | None,
            fail_on: str, output: str | None, quiet: bool, bid_sheet: str | None, details: str | None,
            send: list[str], flavor: str, history: str | None, no_history: bool, chart: str | None,
            strict: bool, bid_sheet_format: str = "auto") -> int:
    from shopdoc.commands.diagnose import _say, choose_format, write_stdout
    from shopdoc.console import set_lang

    if not config.shops:
        raise UsageError(f"--all: {config.source or 'the config'} has no shops: section — list the shops "
                         "(name: data_dir and settings) there, or run one shop without --all")
    if paths:
        raise UsageError("--all: each shop reads its own shops.NAME.data_dir — give no PATH")
    if shop:
        raise UsageError("--all runs every shop: drop --shop NAME (or drop --all to run one)")
    if chart:
        raise UsageError("--chart is for one shop: run --shop NAME --chart FILE")
    for option, value in zip(TEMPLATE_OPTIONS, (output, bid_sheet, details)):
        if value and "{shop}" not in value and len(config.shops) > 1:
            raise UsageError(f"{option} {value}: every shop needs its own file — put {{shop}} in the name, "
                             f"e.g. {option} 'reports/{{shop}}{os.path.splitext(value)[1]}'")
    for option, value in zip(TEMPLATE_OPTIONS, (output, bid_sheet, details)):
        folder = os.path.dirname(value or "")
        if folder and "{" not in folder and not os.path.isdir(os.path.expanduser(folder)):
            raise UsageError(f"{option} {value}: folder {folder} does not exist — create it first")
    from shopdoc.commands.diagnose import BID_SHEET_SUFFIXES
    from shopdoc.details import DETAILS_SUFFIXES

    for option, value, suffixes in (("--bid-sheet", bid_sheet, BID_SHEET_SUFFIXES), ("--details", details, DETAILS_SUFFIXES)):
        if value and os.path.splitext(value)[1].lower() not in suffixes:  # before any shop runs
            raise UsageError(f"{option} {value}: must end in {', '.join(suffixes)}")
    lang = lang or config.lang
    set_lang(lang)
    fmt = choose_format(format, flavor, _example(output))
    shops = {name: config.shop(name) for name in config.shops}
    plan = send_plan(shops, send)
    _check_sends(shops, send, config)

    if not no_history and (history or config.get("history", "enabled")):
        from shopdoc.commands.diagnose import open_store

        open_store(config, history, no_history).close()  # made once here, not raced by the workers
    jobs = [Job(name=name, config=shop_config, date=date, lang=lang, fmt=fmt, flavor=flavor, output=output,
                bid_sheet=bid_sheet, details=details, history=history, no_history=no_history, fail_on=fail_on,
                strict=strict, quiet=quiet, keep_report=bool(plan.get(name)), bid_sheet_format=bid_sheet_format)
            for name, shop_config in shops.items()]
    outcomes = run_pool(jobs)
    for outcome in outcomes:
        for text in outcome.log.splitlines():
            print(f"[{outcome.line.shop}] {text}" if not text.startswith("shopdoc: ")
                  else f"shopdoc: [{outcome.line.shop}] {text[len('shopdoc: '):]}", file=sys.stderr)
        if not outcome.line.ok:
            _say(f"[{outcome.line.shop}] failed: {outcome.line.error}")

    from shopdoc.portfolio import render

    lines = [outcome.line for outcome in outcomes]
    # The page: --format, else markdown for a chat flavour, else text (the reports' -o suffix is theirs)
    page_fmt = format or ("markdown" if flavor != "generic" else "text")
    page_fmt = "text" if page_fmt == "rich" else page_fmt
    write_stdout(guard_output(render(lines, page_fmt, lang, generated_at=_now())))

    code = max((outcome.line.exit_code for outcome in outcomes), default=EXIT_OK)
    if not any(line.ok for line in lines):
        code = max(code, EXIT_USAGE)
    elif not all(line.ok for line in lines):
        code = max(code, EXIT_PARTIAL_INPUT)
    if (send or plan) and not deliver_all(lines, outcomes, shops, plan, send, config, lang, quiet=quiet):
        code = max(code, EXIT_SEND_FAILED)
    return code


def _example(output: str | None) -> str | None:
    return output.replace("{shop}", "shop").replace("{date}", "day") if output else None


def _now() -> str:
    from datetime import datetime

    return datetime.now().astimezone().isoformat(timespec="seconds")


# -- the pool -------------------------------------------------------------------------------------
def workers(count: int) -> int:
    """Processes for `count` shops: at most one per core this process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(count, cores))


def run_pool(jobs: list[Job]) -> list[Outcome]:
    """Every job, each isolated in a worker process; outcomes in the jobs' order. A worker that dies
    (out of memory, killed) takes the pool down with it: the shops it took down run again, each in
    a process of its own, so only the shop that kills its worker fails."""
    if len(jobs) == 1:
        return [run_job(jobs[0])]
    import multiprocessing

    from shopdoc.portfolio import failed_line

    _warm()  # imported once here, shared by the forked workers instead of imported in each
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    outcomes = _round(jobs, workers(len(jobs)), context)
    for index, job in enumerate(jobs):
        if outcomes[index] is None:
            outcomes[index] = _round([job], 1, context)[0] or Outcome(failed_line(
                job.name, "the run stopped: its worker process died (out of memory, or killed)"))
    return outcomes  # type: ignore[return-value]


def _round(jobs: list[Job], size: int, context) -> list[Outcome | None]:
    """One pool over `jobs`; None for a job whose worker pool broke under it."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from shopdoc.portfolio import failed_line

    outcomes: list[Outcome | None] = []
    with ProcessPoolExecutor(max_workers=size, mp_context=context) as pool:
        futures = [pool.submit(run_job, job) for job in jobs]
        for job, future in zip(jobs, futures):
            try:
                outcomes.append(future.result())
            except BrokenProcessPool:
                outcomes.append(None)
            except Exception as exc:  # the outcome could not come back (e.g. not picklable)
                outcomes.append(Outcome(failed_line(job.name, f"internal error ({type(exc).__name__}: {exc}) — please report this")))
    return outcomes


def _warm() -> None:
    import pandas  # noqa: F401

    import shopdoc.api  # noqa: F401
    import shopdoc.diagnosis  # noqa: F401
    import shopdoc.report  # noqa: F401
    from shopdoc.rules import load_rules

    load_rules()


def run_job(job: Job) -> Outcome:
    """One shop, start to end; never raises (what went wrong is its failure line)."""
    from shopdoc.portfolio import failed_line

    buffer = io.StringIO()
    with redirect_stderr(buffer):
        try:
            outcome = _one_shop(job)
        except ShopdocError as exc:
            outcome = Outcome(failed_line(job.name, exc.line(), getattr(exc, "exit_code", EXIT_USAGE)))
        except Exception as exc:  # a bug on one shop's data must not stop the others
            outcome = Outcome(failed_line(job.name, f"internal error ({type(exc).__name__}: {exc}) — please report this"))
    outcome.log = buffer.getvalue()
    return outcome


def _one_shop(job: Job) -> Outcome:
    from shopdoc import freshness
    from shopdoc.commands.diagnose import (FAILED_STATUSES, build, check_bid_sheet, check_details, check_writable,
                                           nothing_usable, tell_inputs, write_bids, write_detail_rows, write_report)
    from shopdoc.config import override
    from shopdoc.console import set_lang
    from shopdoc.errors import EXIT_FINDINGS
    from shopdoc.messages import say
    from shopdoc.model import SEVERITY_RANK
    from shopdoc.portfolio import failed_line, shop_line
    from shopdoc.shops import data_paths, output_path

    config = job.config
    override(config, "shop.lang", job.lang)
    set_lang(job.lang)
    paths = data_paths(config, job.date)
    from shopdoc.api import load

    dataset = load(paths, config)
    usable = any(item.status == "ok" for item in dataset.inputs)
    tell_inputs(dataset.inputs, job.lang, quiet=job.quiet and usable)
    if not usable:
        reasons = [f"{item.path}: {item.error}" for item in dataset.inputs if item.error][:1]
        return Outcome(failed_line(job.name, "; ".join([nothing_usable(paths, dataset.inputs, job.lang), *reasons])))
    if job.date and not freshness.day_has_data(dataset, job.date):
        return Outcome(failed_line(job.name, say("data.day_absent", job.lang, day=job.date,
                                                 span=freshness.span(freshness.all_dates(dataset)))))
    day = job.date or dataset.latest_date()
    files = {option: str(output_path(value, job.name, day)) if value else None
             for option, value in zip(TEMPLATE_OPTIONS, (job.output, job.bid_sheet, job.details))}
    for option, template in zip(TEMPLATE_OPTIONS, (job.output, job.bid_sheet, job.details)):
        if template and "{" in os.path.dirname(template):  # reports/{shop}/…: the shop's own folder
            os.makedirs(os.path.dirname(files[option]), exist_ok=True)
    check_writable(files["--output"], "--output")
    if files["--bid-sheet"]:
        check_bid_sheet(files["--bid-sheet"], job.bid_sheet_format)
    if files["--details"]:
        check_details(files["--details"])
    stale = freshness.stale_alert(dataset.latest_date(), config.data["inputs"].get("max_age_days", freshness.MAX_AGE_DAYS))
    report = build(dataset, config, day, job.lang, history=job.history, no_history=job.no_history)
    if files["--details"]:
        report.details_file = files["--details"]
    if files["--output"]:
        write_report(report, job.fmt, files["--output"], job.flavor)
    code = EXIT_OK
    if job.fail_on != "none" and any(SEVERITY_RANK[f.severity] <= SEVERITY_RANK[job.fail_on] for f in report.findings):
        code = EXIT_FINDINGS
    if any(item.status in FAILED_STATUSES for item in report.inputs) or (stale is not None and job.strict):
        code = max(code, EXIT_PARTIAL_INPUT)
    if files["--bid-sheet"] and not write_bids(report, files["--bid-sheet"], job.quiet, job.bid_sheet_format, dataset):
        code = max(code, EXIT_USAGE)
    if files["--details"] and not write_detail_rows(report, files["--details"], job.quiet):
        code = max(code, EXIT_USAGE)
    line = shop_line(report, config, output=files["--output"], exit_code=code)
    if not job.keep_report:
        return Outcome(line)
    report.blocks = []  # the rows stay in the worker: chat needs the to-dos only
    return Outcome(line, report)


# -- sending --------------------------------------------------------------------------------------
Route = tuple[list[str], "list[str] | None", bool]  # targets, owner ids (None: all), the shop's default target


def send_plan(shops: dict[str, Any], send: list[str]) -> dict[str, list[Route]]:
    """Per shop, what goes where: each routed team's targets with its owner ids (teams sharing a
    target share one message), then the shop's default targets (`send_to`, else `--send`) with
    every to-do no team is routed."""
    from shopdoc.model import OWNERS

    plan: dict[str, list[Route]] = {}
    for name, config in shops.items():
        routes: dict[tuple[str, ...], list[str]] = {}
        for owner, targets in (config.data.get("owners") or {}).items():
            routes.setdefault(tuple(targets), []).append(owner)
        pairs: list[Route] = [(list(targets), owners, False) for targets, owners in routes.items()]
        default = list(config.data.get("send_to") or send)
        if default:
            routed = {owner for owners in routes.values() for owner in owners}
            pairs.append((default, [o for o in OWNERS if o not in routed] if routed else None, True))
        if pairs:
            plan[name] = pairs
    return plan


def _check_sends(shops: dict[str, Any], send: list[str], config) -> None:
    """Every target a message will go to must be known: a usage error before any shop runs."""
    from shopdoc.chat import check_targets

    if send:
        check_targets(send, config)
    for name, shop_config in shops.items():
        named = [*(shop_config.data.get("send_to") or []),
                 *(target for targets in (shop_config.data.get("owners") or {}).values() for target in targets)]
        if named:
            try:
                check_targets(named, shop_config)
            except UsageError as exc:
                raise UsageError(f"shops.{name}: {exc}") from None


def deliver_all(lines, outcomes, shops, plan, send, config, lang: str, *, quiet: bool) -> bool:
    """The portfolio to `--send` first, then every shop's messages; True when all were delivered."""
    from shopdoc.chat.send import send_digest
    from shopdoc.commands.diagnose import _say
    from shopdoc.messages import say
    from shopdoc.portfolio import chat_digest, team_digest

    failures: list[str] = []

    def told(prefix: str):
        def sent(target: str, count: int) -> None:
            if not quiet:
                _say(f"{prefix}{target}: {say('send.sent', lang, n=count)}")
        return sent

    if send:
        day = max((line.date for line in lines if line.date), default=None)
        failures += send_digest(chat_digest(lines, lang, day), send, config, on_sent=told(""))
    for outcome in outcomes:
        name = outcome.line.shop
        if outcome.report is None or name not in plan:
            continue
        for targets, owners, default in plan[name]:
            chat = team_digest(outcome.report, owners, outcome.line, default=default)
            failures += [f"[{name}] {line}" for line in
                         send_digest(chat, targets, shops[name], on_sent=told(f"[{name}] "))]
    for line in failures:
        _say(line)
    return not failures
