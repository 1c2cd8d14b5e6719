"""Change detection for items, traffic sources and campaigns (rule `change.subjects`) on generated
histories: 35 days with a weekday pattern and noise, breaks injected on known subjects and days."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shopdoc.changes import detect_many
from shopdoc.config import Config, merge
from shopdoc.dataset import Dataset
from shopdoc.engine import run_rules
from exports import every_finding

END = "2026-08-30"  # a Sunday, no promotion in the 35 days before
DAYS = pd.date_range(end=END, periods=35, freq="D")


def series(rng: np.random.Generator, level: float, *, noise: float = 0.03, weekend: float = 0.3,
           shift: dict[str, float] | None = None, days: pd.DatetimeIndex = DAYS) -> np.ndarray:
    values = level * np.where(days.day_of_week >= 5, 1 + weekend, 1.0) * (1 + rng.normal(0, noise, len(days)))
    for start, factor in (shift or {}).items():
        values = np.where(days >= pd.Timestamp(start), values * factor, values)
    return values


def items_frame(n: int = 40, *, breaks: dict[int, dict] | None = None, seed: int = 1, days=DAYS) -> pd.DataFrame:
    """`n` items a day; `breaks` {item: {metric: {day: factor}}} for visitors / conversion."""
    rng = np.random.default_rng(seed)
    parts = []
    for item in range(n):
        spec = (breaks or {}).get(item, {})
        visitors = np.round(series(rng, rng.uniform(400, 3000), shift=spec.get("visitors"), days=days))
        rate = series(rng, rng.uniform(0.02, 0.05), weekend=0.0, noise=0.02, shift=spec.get("conversion"), days=days)
        buyers = np.round(visitors * rate)
        price = rng.uniform(80, 300)
        parts.append(pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "item_id": f"90{item:04d}",
                                   "item_name": f"款{item}", "visitors": visitors, "buyers": buyers,
                                   "gmv": buyers * price}))
    return pd.concat(parts, ignore_index=True).assign(_file="商品.xls", _row=lambda f: f.index + 2)


def run(frames: dict[str, pd.DataFrame], lang: str = "zh", user: dict | None = None, date: str = END):
    return run_rules(Dataset(frames=frames), Config(merge(user or {})), date, lang)


def changes(state) -> list:
    return [f for f in every_finding(state.findings) if f.rule == "change.subjects"]


def test_one_item_break_is_its_own_to_do_with_its_day_and_not_before():
    frame = items_frame(breaks={3: {"visitors": {END: 0.5}}})
    state = run({"item_daily": frame})
    (found,) = changes(state)
    assert found.key == "change.subjects item:900003 visitors" and found.evidence["since"] == END
    assert found.severity == "warning" and found.owner == "promotion"
    assert found.title.startswith("「款3」访客数 08-30 起突然变差") and found.evidence["change"] == pytest.approx(-0.5, abs=0.05)
    assert "不是老问题" in found.action
    before = run({"item_daily": frame[frame["date"] < END]}, date="2026-08-29")
    assert changes(before) == []


def test_many_items_breaking_on_one_day_are_one_to_do():
    frame = items_frame(n=60, breaks={i: {"visitors": {END: 0.6}} for i in range(30)})
    found = changes(run({"item_daily": frame}))
    (group,) = found
    assert group.count == 30 and group.subject == "day:2026-08-30" and group.facet == "item.visitors"
    assert group.title.startswith("08-30 起 30 个商品的访客数同一天突然变差：「款") and len(group.worst) == 3
    details = next(b for b in run({"item_daily": frame}).blocks if b.rule == "change.subjects")
    assert len(details.frame) == 30  # every item in the details


def test_noise_as_large_as_the_weekly_swing_is_not_flagged():
    """200 items, 30% weekend swing and 3% noise, judged on each of the last 10 days: no change."""
    frame = items_frame(n=200, seed=7)
    for day in DAYS[-10:].strftime("%Y-%m-%d"):
        assert changes(run({"item_daily": frame[frame["date"] <= day]}, date=day)) == [], day


def test_an_item_level_change_becomes_the_new_normal_on_its_third_day():
    start = "2026-08-28"
    frame = items_frame(breaks={5: {"conversion": {start: 0.5}}}, seed=3)
    said = {}
    for day in ("2026-08-27", "2026-08-28", "2026-08-29", "2026-08-30"):
        said[day] = [(f.msg, f.evidence.get("since")) for f in changes(run({"item_daily": frame[frame["date"] <= day]},
                                                                             date=day))]
    assert said["2026-08-27"] == []
    assert said["2026-08-28"] == [("item.conversion_rate", start)]
    assert said["2026-08-29"] == [("item.conversion_rate", start)]
    assert said["2026-08-30"] == [("item.conversion_rate.new_normal", start)]


def test_small_items_and_rises_are_not_to_dos():
    frame = items_frame(breaks={1: {"visitors": {END: 1.6}}})
    assert changes(run({"item_daily": frame})) == []  # a rise: not a to-do
    small = items_frame(n=3, breaks={0: {"visitors": {END: 0.5}}})
    small["visitors"] = (small["visitors"] / 20).round()  # ~20-150 visitors a day
    small.loc[small["item_id"] == "900000", "visitors"] = 99.0
    small.loc[(small["item_id"] == "900000") & (small["date"] == END), "visitors"] = 40.0
    assert changes(run({"item_daily": small})) == []  # usual 99 visitors: under the 100 guard
    small.loc[small["item_id"] == "900000", "visitors"] = 100.0
    small.loc[(small["item_id"] == "900000") & (small["date"] == END), "visitors"] = 40.0
    assert [f.subject for f in changes(run({"item_daily": small}))] == ["item:900000"]  # at the guard: judged


def test_ten_earlier_days_at_least():
    frame = items_frame(breaks={2: {"visitors": {END: 0.5}}})
    kept = frame["date"] >= DAYS[-11].strftime("%Y-%m-%d")
    assert len(changes(run({"item_daily": frame[kept]}))) == 1  # 10 earlier days: judged
    kept = frame["date"] >= DAYS[-10].strftime("%Y-%m-%d")
    assert changes(run({"item_daily": frame[kept]})) == []


def test_a_source_break_is_told_under_the_source_change_rule():
    rng = np.random.default_rng(2)
    rows = []
    for name, level, shift in (("淘内免费", 5000, {END: 0.6}), ("付费流量", 2000, None), ("自主访问", 800, None)):
        visitors = np.round(series(rng, level, shift=shift))
        rows.append(pd.DataFrame({"date": DAYS.strftime("%Y-%m-%d"), "source": name, "visitors": visitors,
                                  "buyers": np.round(visitors * 0.03)}))
    frame = pd.concat(rows, ignore_index=True).assign(_file="流量来源.csv", _row=lambda f: f.index + 2)
    state = run({"traffic_source": frame})
    (lost,) = [f for f in state.findings if f.rule == "traffic.source_change" and f.subject == "source:淘内免费"]
    assert [p.key for p in lost.parts] == ["change.subjects source:淘内免费 visitors"]
    assert lost.evidence["changed_since"] == END
    assert not [f for f in state.findings if f.rule == "change.subjects"]  # not counted twice


def test_campaign_breaks_spend_up_roi_down():
    rng = np.random.default_rng(4)
    rows = []
    for n in range(6):
        clicks = np.round(series(rng, 300))
        cost = clicks * rng.uniform(0.8, 1.5) * (1 + rng.normal(0, 0.02, len(DAYS)))
        roi = series(rng, 4.0, weekend=0.0, noise=0.03)
        if n == 0:
            cost = np.where(DAYS == pd.Timestamp(END), cost * 1.8, cost)
        if n == 1:
            roi = np.where(DAYS == pd.Timestamp(END), roi * 0.5, roi)
        rows.append(pd.DataFrame({"date": DAYS.strftime("%Y-%m-%d"), "campaign": f"计划{n}", "level": "campaign",
                                  "impressions": clicks * 30, "clicks": clicks, "cost": cost, "gmv": cost * roi,
                                  "window_days": 1}))
    frame = pd.concat(rows, ignore_index=True).assign(_file="计划.csv", _row=lambda f: f.index + 2)
    found = {(f.subject, f.facet): f for f in changes(run({"ad_report": frame}, user={"shop": {"gross_margin": 0.2}}))}
    assert sorted(found) == [("campaign:计划0", "cost"), ("campaign:计划1", "roi")]
    assert found[("campaign:计划0", "cost")].title.startswith("计划「计划0」花费 08-30 起突然涨了")
    assert found[("campaign:计划1", "roi")].evidence["change"] == pytest.approx(-0.5, abs=0.05)


def test_detect_many_is_cheap_on_a_large_account():
    import time

    rng = np.random.default_rng(1)
    values = rng.uniform(100, 3000, (20_000, 1)) * np.where(DAYS.day_of_week >= 5, 1.3, 1.0) \
        * (1 + rng.normal(0, 0.03, (20_000, len(DAYS))))
    started = time.process_time()
    detect_many(values, DAYS)
    assert time.process_time() - started < 1.0


def test_single_day_exports_are_judged_from_the_history(tmp_path):
    """One item export a day: the 34 earlier days come from the history (items: further back than the
    week `augment` gives the item rules), and the campaign totals it keeps."""
    from shopdoc.history import open_history
    from shopdoc.model import Report

    config = Config(merge({"shop": {"name": "s"}}))
    frame = items_frame(breaks={4: {"visitors": {END: 0.5}}})
    store = open_history(str(tmp_path / "h.sqlite3"), config)
    for day in DAYS[:-1].strftime("%Y-%m-%d"):
        store.record(Dataset(frames={"item_daily": frame[frame["date"] == day]}),
                     Report(shop="s", date=day, generated_at="", lang="zh"))
    today = Dataset(frames={"item_daily": frame[frame["date"] == END]})
    store.augment(today, "s", END)
    state = run_rules(today, config, END, "zh", history=store)
    store.close()
    assert [f.key for f in changes(state)] == ["change.subjects item:900004 visitors"]
    assert changes(run_rules(Dataset(frames={"item_daily": frame[frame["date"] == END]}), config, END, "zh")) == []


def test_detect_many_says_what_detect_says():
    """The vectorised test is the shop rule's test: the same verdict, day, usual level and new level."""
    from shopdoc.changes import detect

    rng = np.random.default_rng(11)
    days = pd.date_range(end=END, periods=42, freq="D")
    rows = []
    for n in range(150):
        shift = {days[int(rng.integers(25, 42))]: float(rng.choice([0.6, 0.8, 1.3]))} if n % 2 else None
        rows.append(series(rng, float(rng.uniform(300, 5000)), noise=float(rng.choice([0.03, 0.05])), shift=shift,
                           days=days))
    many = detect_many(np.array(rows), days)
    for n, values in enumerate(rows):
        one = detect(pd.Series(values, index=days.strftime("%Y-%m-%d")), END)
        assert (0 if one is None else {"break": 1, "new_normal": 2}[one.kind]) == many.kind[n], n
        if one is not None:
            assert days[many.since[n]].strftime("%Y-%m-%d") == one.since
            assert many.usual[n] == pytest.approx(one.usual) and many.level[n] == pytest.approx(one.level)


def test_a_level_that_moved_days_ago_is_not_new_again_after_one_ordinary_day():
    """Down 40% from 5 days ago, one day back near the usual level in between: no "break today"."""
    from shopdoc.changes import detect

    rng = np.random.default_rng(5)
    days = pd.date_range(end=END, periods=40, freq="D")
    values = series(rng, 1000.0, noise=0.02, shift={days[-5]: 0.6}, days=days)
    values[-2] = values[-9]  # the day before: as usual
    one = pd.Series(values, index=days.strftime("%Y-%m-%d"))
    assert detect(one, END) is None and detect_many(values[None, :], days).kind[0] == 0
    values[-5:-2] = values[-12:-9]  # …but with the three days before it ordinary, today is a break
    assert detect(pd.Series(values, index=days.strftime("%Y-%m-%d")), END).kind == "break"


def test_campaigns_whose_spend_jumped_on_one_day_are_one_to_do_naming_the_biggest_jumps():
    rng = np.random.default_rng(8)
    rows = []
    for n in range(8):
        clicks = np.round(series(rng, 200 + 100 * n))
        cost = clicks * 1.2 * (1 + rng.normal(0, 0.02, len(DAYS)))
        if n < 4:
            cost = np.where(DAYS == pd.Timestamp(END), cost * (1.5 + 0.2 * n), cost)
        rows.append(pd.DataFrame({"date": DAYS.strftime("%Y-%m-%d"), "campaign": f"计划{n}", "level": "campaign",
                                  "impressions": clicks * 30, "clicks": clicks, "cost": cost, "gmv": cost * 6.0,
                                  "window_days": 1}))
    frame = pd.concat(rows, ignore_index=True).assign(_file="计划.csv", _row=lambda f: f.index + 2)
    (group,) = [f for f in run({"ad_report": frame}, user={"shop": {"gross_margin": 0.4}}).findings
                if f.rule == "change.subjects"]
    assert group.count == 4 and group.facet == "campaign.cost" and group.severity == "warning"
    assert group.title.startswith("08-30 起 4 个计划的花费同一天突然涨了：「计划3」、「计划2」、「计划1」")


def _losing_campaigns(broken: int = 0) -> pd.DataFrame:
    """8 campaigns under break-even (ROI 2.0 at a 40% margin): 5 cut to-dos and one "and 3 more";
    `broken`, the smallest, has its ROI halve on the report day."""
    rng = np.random.default_rng(4)
    rows = []
    for n in range(8):
        clicks = np.round(series(rng, 300 + 100 * n))
        cost = clicks * 1.2 * (1 + rng.normal(0, 0.02, len(DAYS)))
        roi = series(rng, 2.0, weekend=0.0, noise=0.03)
        if n == broken:
            roi = np.where(DAYS == pd.Timestamp(END), roi * 0.5, roi)
        rows.append(pd.DataFrame({"date": DAYS.strftime("%Y-%m-%d"), "campaign": f"计划{n}", "level": "campaign",
                                  "impressions": clicks * 30, "clicks": clicks, "cost": cost, "gmv": cost * roi,
                                  "window_days": 1}))
    return pd.concat(rows, ignore_index=True).assign(_file="计划.csv", _row=lambda f: f.index + 2)


def test_a_break_whose_to_do_is_in_and_n_more_is_told_under_that_line_and_kept_in_the_details():
    from shopdoc.api import build_report
    from shopdoc.report.text import render

    config = Config(merge({"shop": {"gross_margin": 0.4}}))
    report = build_report(Dataset(frames={"ad_report": _losing_campaigns()}), config, date=END, lang="zh")
    rest = [f for f in report.findings if f.rule == "ads.roi_breakeven" and f.subject == "account"]
    assert len(rest) == 1 and rest[0].values["rest"] and rest[0].count == 3
    assert "campaign:计划0" not in {f.subject for f in report.findings}  # its to-do is one of the 3 more
    (part,) = rest[0].parts
    assert part.key == "change.subjects campaign:计划0 roi" and part.within == rest[0].key
    assert part.title.startswith("计划「计划0」投产比 08-30 起突然变差")
    assert part.title in render(report, "zh")  # printed under the "and 3 more" to-do
    # the details keep the break, with the to-do it is told under; the money is the cut's, once
    data = report.to_dict()
    (table,) = [t for t in data["details"] if t["rule"] == "change.subjects"]
    within = table["columns"].index("within")
    assert [row[within] for row in table["rows"]] == [rest[0].key]
    assert "「计划0」 100.32 元" in rest[0].action  # the cut's money, named once (the break has none)
    assert not [f for f in report.findings if f.rule == "change.subjects"]
    assert part.money is None


def test_a_break_under_a_printed_to_do_stays_in_the_details_too():
    from shopdoc.api import build_report

    config = Config(merge({"shop": {"gross_margin": 0.4}}))
    report = build_report(Dataset(frames={"ad_report": _losing_campaigns(broken=7)}), config, date=END, lang="en")
    (host,) = [f for f in report.findings if f.subject == "campaign:计划7"]
    assert [p.key for p in host.parts] == ["change.subjects campaign:计划7 roi"]
    (table,) = [t for t in report.to_dict()["details"] if t["rule"] == "change.subjects"]
    assert [row[table["columns"].index("within")] for row in table["rows"]] == [host.key]


def test_a_to_do_with_a_break_is_listed_past_the_per_rule_limit():
    from shopdoc.model import Finding
    from shopdoc.report._format import listed

    def todo(n, parts=()):
        return Finding(rule="ads.roi_breakeven", severity="warning", owner="promotion", subject=f"campaign:{n}",
                       evidence={}, money=100.0 - n, msg="cut_budget", parts=list(parts))

    brk = Finding(rule="change.subjects", severity="warning", owner="promotion", subject="campaign:12",
                  evidence={}, msg="campaign.roi")
    findings = [todo(n, [brk] if n == 12 else []) for n in range(14)]
    shown, folded = listed(findings, {"critical": 30, "warning": 10, "info": 3})
    assert [f.subject for f in shown][-1] == "campaign:12" and len(shown) == 11
    assert folded[0].count == 3


def test_a_break_whose_host_prints_nowhere_is_its_own_to_do():
    """Defensive: a break judged by a rule that left no to-do holding its subject is not dropped."""
    from shopdoc.diagnosis import _keep_told_rows, _subject_changes_into_their_rules
    from shopdoc.engine import RunState
    from shopdoc.model import Block

    rows = pd.DataFrame({"subject": ["campaign:计划9"], "money": [np.nan], "metric": ["roi"], "since": [END],
                         "roi": [1.0], "usual_roi": [2.0], "change": [-0.5], "name": ["计划9"], "days": [1]})
    block = Block(rule="change.subjects", msg="campaign.roi", frame=rows.iloc[:0], severity="warning",
                  owner="promotion", order=16, level="campaign", evidence=("roi", "usual_roi", "change", "since"))
    state = RunState()
    judged = [("ads.roi_breakeven", block, rows.copy())]
    _subject_changes_into_their_rules(state, judged)
    _keep_told_rows(state, judged)
    (own,) = state.findings
    assert own.key == "change.subjects campaign:计划9" and own.within is None and own.money is None
    assert list(state.blocks[0].frame["within"]) == [own.key]
