"""Old problems at the document's cadence (`shopdoc.reminders`): a page problem open for days is one
line with its age, said in full again every 7 days (003: "一般每隔一周观察一次"), at once when it breaks
again; in every format."""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest

from shopdoc.api import build_report
from shopdoc.config import Config, merge
from shopdoc.dataset import Dataset
from shopdoc.history import open_history

START = "2026-08-01"


def shop_days(days: int, *, bounce: float = 0.75, jump: dict[str, float] | None = None) -> pd.DataFrame:
    """A shop with a weekday pattern and noise, its bounce rate over the 70% line every day."""
    rng = random.Random(3)
    index = pd.date_range(START, periods=days, freq="D")
    rows = []
    for day in index:
        rate = bounce * (1 + rng.gauss(0, 0.01))
        rate = (jump or {}).get(day.strftime("%Y-%m-%d"), rate)
        rows.append({"date": day.strftime("%Y-%m-%d"), "visitors": round(8000 * (1.3 if day.day_of_week >= 5 else 1)
                                                                          * (1 + rng.gauss(0, 0.03))),
                     "bounce_rate": rate})
    return pd.DataFrame(rows).assign(_file="店铺整体.xls", _row=lambda f: f.index + 2)


def mornings(tmp_path, frame: pd.DataFrame, user: dict | None = None) -> dict[str, object]:
    """Run every day with a one-day export and the history, as cron would; the reports by day."""
    config = Config(merge({"shop": {"name": "s"}, **(user or {})}))
    store = open_history(str(tmp_path / "h.sqlite3"), config)
    reports = {}
    for day in frame["date"]:
        dataset = Dataset(frames={"shop_daily": frame[frame["date"] == day].reset_index(drop=True)})
        store.augment(dataset, "s", day)
        report = build_report(dataset, config, date=day, lang="zh", history=store)
        store.annotate(report)
        store.record(dataset, report)
        reports[day] = report
    store.close()
    return reports


def page(report):
    return next(f for f in report.findings if f.rule == "page.bounce_rate")


def test_a_chronic_page_problem_is_one_line_with_its_age_and_reminds_weekly(tmp_path):
    reports = mornings(tmp_path, shop_days(16))
    first, day8, day12, day15 = (reports[d] for d in ("2026-08-01", "2026-08-08", "2026-08-12", "2026-08-15"))
    assert page(first).reminder is None  # new: in full
    assert page(reports["2026-08-02"]).reminder == {"age_days": 2, "remind_days": 7, "held": True, "next": "2026-08-08"}
    assert page(day8).reminder["held"] is False  # a week on: in full again
    assert page(day12).reminder == {"age_days": 12, "remind_days": 7, "held": True, "next": "2026-08-15"}
    assert page(day15).reminder["held"] is False
    from shopdoc.report import text

    out = text.render(day12, "zh")
    assert "== 还没解决的老问题（1 项" in out
    line = next(line for line in out.splitlines() if "全店跳失率" in line)
    assert line.startswith("【严重】〔美工〕全店跳失率") and line.endswith("（已持续 12 天，08-15 再完整提醒）")
    assert "今天先做" not in out and "page.bounce_rate shop" not in out  # not a to-do today: one line
    full = text.render(day8, "zh")
    assert "（已持续 8 天，每 7 天完整提醒一次）" in full and "page.bounce_rate shop" in full


def test_a_break_on_an_old_problem_is_said_in_full_that_day(tmp_path):
    reports = mornings(tmp_path, shop_days(20, jump={"2026-08-19": 0.85}))
    assert page(reports["2026-08-18"]).reminder["held"] is True
    broke = page(reports["2026-08-19"])
    assert broke.msg == "critical.broke" and broke.reminder is None and "08-19 起突然变差" in broke.title


def test_the_cadence_is_configurable_and_every_format_says_it(tmp_path):
    reports = mornings(tmp_path, shop_days(5), {"rules": {"page": {"bounce_rate": {"remind_days": 2}}}})
    assert [page(r).reminder and page(r).reminder["held"] for r in reports.values()] == [None, True, False, True, False]
    held = reports["2026-08-04"]
    from shopdoc.chat.layout import arrange, digest
    from shopdoc.report import markdown, terminal
    from shopdoc.visual.html import todo_section

    assert "## 还没解决的老问题（1 项" in markdown.render(held, "zh")
    assert "还没解决的老问题" in terminal.render(held, "zh") and "已持续 4 天" in terminal.render(held, "zh")
    assert 'class="still-open"' in todo_section(held, "zh")
    chat = digest(held)
    assert any("已持续 4 天" in getattr(piece, "title", "") for piece in chat.pieces)
    document = json.loads(json.dumps(held.to_dict(), ensure_ascii=False, default=str))
    (entry,) = [f for f in document["findings"] if f["rule"] == "page.bounce_rate"]
    assert entry["reminder"] == {"age_days": 4, "remind_days": 2, "held": True, "next": "2026-08-05"}


@pytest.mark.parametrize("value", [0, -1, 1.5, "7", True])
def test_remind_days_must_be_a_whole_number_of_days(value):
    from shopdoc.config import load_config  # noqa: F401
    from shopdoc.errors import ConfigError

    with pytest.raises(ConfigError, match="remind_days"):
        Config(merge({"rules": {"page": {"bounce_rate": {"remind_days": value}}}}))


def test_an_old_problem_that_got_worse_is_said_in_full():
    """Open 5 days at a 7-day cadence: held, unless it was less severe when last seen."""
    from shopdoc.model import Finding, Report
    from shopdoc.reminders import apply_cadence

    def report() -> Report:
        finding = Finding(rule="page.bounce_rate", severity="critical", owner="design", subject="shop",
                          first_seen="2026-08-01", msg="critical")
        return Report(shop="s", date="2026-08-05", generated_at="", lang="zh", findings=[finding])

    config = Config(merge({}))
    same, worse = report(), report()
    apply_cadence(same, config, {("page.bounce_rate", "shop"): "critical"})
    apply_cadence(worse, config, {("page.bounce_rate", "shop"): "warning"})
    assert same.findings[0].reminder["held"] is True and worse.findings[0].reminder is None
