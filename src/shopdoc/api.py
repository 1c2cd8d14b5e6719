"""The library entry point: paths in, Report out. The CLI is a thin layer over this."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable

from shopdoc.config import Config, load_config
from shopdoc.dataset import Dataset
from shopdoc.engine import report_currency, run_rules
from shopdoc.i18n import CHECKLIST
from shopdoc.metrics import shop_day
from shopdoc.model import Report

if TYPE_CHECKING:
    from shopdoc.progress import Progress


def load(paths: list[str], config: Config, progress: "Progress | bool" = False,
         idle: "Callable[[], None] | None" = None) -> Dataset:
    """Read every export under `paths` (files or folders). Never raises for a bad file.

    `progress`: a `shopdoc.progress.Progress` the importers report each file to (True: a bar on
    stderr when it is a terminal; False: none). `idle`: run while only the last read is left to
    wait for (see `io.load_paths`).
    """
    from shopdoc.io import load_paths

    return load_paths(paths, config, progress=progress, idle=idle)


def checklist(config: Config, lang: str) -> list[str]:
    if not config.get("checklist", "enabled"):
        return []
    return list(config.get("checklist", "items") or CHECKLIST[lang])


def build_report(
    dataset: Dataset,
    config: Config,
    *,
    date: str | None = None,
    lang: str | None = None,
    history: Any = None,
    now: datetime | None = None,
) -> Report:
    """Run the rules on a loaded Dataset for one report day; say whether its data is fresh."""
    from shopdoc.freshness import MAX_AGE_DAYS, mark_other_days, stale_alert

    report = _rules_report(dataset, config, date=date, lang=lang, history=history, now=now)
    mark_other_days(report)
    stale = stale_alert(dataset.latest_date(), config.data["inputs"].get("max_age_days", MAX_AGE_DAYS))
    report.alerts = [stale] if stale else []
    return report


def _rules_report(
    dataset: Dataset,
    config: Config,
    *,
    date: str | None = None,
    lang: str | None = None,
    history: Any = None,
    now: datetime | None = None,
) -> Report:
    """Run the rules on a loaded Dataset for one report day."""
    lang = lang or config.lang
    date = date or dataset.latest_date()
    metrics = shop_day(dataset, date)
    state = run_rules(dataset, config, date, lang, history=history, metrics=metrics)
    generated = (now or datetime.now().astimezone()).isoformat(timespec="seconds")
    currency = report_currency(dataset, config)
    followup = state.facts.get("followup")
    if followup:
        from shopdoc.report.wording import followup_words

        followup = followup_words(followup, lang, currency)
    return Report(
        shop=config.shop_name,
        date=date,
        generated_at=generated,
        lang=lang,
        inputs=dataset.inputs,
        metrics=state.metrics,
        findings=state.findings,
        blocks=state.blocks,
        assumptions=state.assumptions,
        skipped=state.skipped,
        checklist=checklist(config, lang),
        currency=currency,
        followup=followup,
    )


def diagnose(
    paths: list[str],
    config: Config | None = None,
    *,
    date: str | None = None,
    lang: str | None = None,
) -> Report:
    """Read the exports and return the day's report (no history, no output).

    `report.findings` are the to-dos as printed; `report.blocks` the bulk verdicts, a DataFrame each
    (`shopdoc.details.details_frame(report.blocks)` joins them into one table).
    """
    config = config or load_config()
    return build_report(load(paths, config), config, date=date, lang=lang)
