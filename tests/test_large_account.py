"""A large account read as an operator reads it (issue 10): thousands of keywords, most of them under
a break-even line that rests on a default the user never set.

The account: 40 plans × 5 units × 30 keywords (6,000 keyword rows on the report day), ROI around 3.00
(under the 3.33 break-even of the default 30% margin) with a spread, CTRs spread around the account's,
some keywords with no clicks at all; a shop overview and an item export. Built as the importers hand
it over (frames), so the test is about the diagnosis, not about reading files (the benchmark reads
the same shape from `.xlsx`).
"""

from __future__ import annotations

import random
import re

import pandas as pd
import pytest

from shopdoc.api import build_report
from shopdoc.config import Config, merge
from shopdoc.dataset import Dataset
from shopdoc.report import render
from shopdoc.report._format import listed, sections
from shopdoc.rules.ads import CUTS

DAY = "2026-11-22"
PLANS, UNITS, WORDS = 40, 5, 30
BREAK_EVEN = 1 / 0.30


def ad_rows(seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for p in range(PLANS):
        campaign = f"计划{p:03d}-羊毛衫"
        for u in range(UNITS):
            unit = f"单元{p:03d}{u}"
            for w in range(WORDS):
                impressions = rng.randint(3_000, 20_000)
                ctr = max(0.0, rng.gauss(0.03, 0.01)) if rng.random() > 0.03 else 0.0
                clicks = round(impressions * ctr)
                cost = round(clicks * rng.uniform(0.6, 1.6), 2)
                roi = max(0.2, rng.gauss(3.0, 0.6))
                rows.append({"date": DAY, "level": "keyword", "campaign": campaign, "ad_group": unit,
                             "keyword": f"词{p:03d}{u}{w:02d}", "bid": round(rng.uniform(0.5, 2.5), 2),
                             "impressions": float(impressions), "clicks": float(clicks), "cost": cost,
                             "gmv": round(cost * roi, 2), "_file": "直通车_关键词报表.xlsx", "_row": len(rows) + 2})
    return rows


def shop_rows() -> list[dict]:
    out = []
    for back, (visitors, buyers, gmv) in {1: (52_000, 1_040, 260_000.0), 0: (50_000, 950, 240_000.0)}.items():
        day = (pd.Timestamp(DAY) - pd.Timedelta(days=back)).date().isoformat()
        out.append({"date": day, "visitors": float(visitors), "pageviews": visitors * 3.2, "bounce_rate": 0.62,
                    "buyers": float(buyers), "gmv": gmv, "_file": "店铺整体.xlsx", "_row": 5 + back})
    return out


@pytest.fixture(scope="module")
def report():
    dataset = Dataset(frames={"ad_report": pd.DataFrame(ad_rows()), "shop_daily": pd.DataFrame(shop_rows())})
    return build_report(dataset, Config(merge({})), date=DAY, lang="zh")


def ad_rows_of(report) -> pd.DataFrame:
    frames = [block.frame.assign(rule=block.rule, msg=block.msg, level=block.level)
              for block in report.blocks if block.rule.startswith("ads.")]
    return pd.concat(frames, ignore_index=True)


def test_the_printed_list_fits_on_a_screen_or_two_and_starts_with_the_margin(report):
    assert len(report.findings) < 60
    text = render(report, "text")
    count = int(re.search(r"今日待办 (\d+) 项", text).group(1))
    assert count == len(report.findings) < 60
    head = text.split("\n== ")[0]
    assert "假设：毛利率未配置，按 30% 估算：保本投产比 3.33" in head
    first = sections(report.findings)[0].findings[0]
    assert first.rule == "setup.gross_margin"
    assert "shop.gross_margin" in first.action
    # the cuts that rest on it say they are provisional
    cuts = [f for f in report.findings if f.rule == "ads.roi_breakeven"]
    assert cuts and all(f.provisional for f in cuts)
    assert report.assumptions[0].key == "shop.gross_margin"


def test_most_of_the_account_under_the_line_is_one_account_level_to_do(report):
    rows = ad_rows_of(report)
    judged = (rows["level"] == "keyword").sum()
    account = [f for f in report.findings if f.subject == "account" and f.rule == "ads.roi_breakeven"
               and not f.values.get("rest")]
    assert len(account) >= 1
    biggest = max(account, key=lambda f: f.count)
    assert biggest.count >= 0.5 * judged * 0.5  # a verdict covering most of the judged keywords
    assert len(biggest.worst) == 3 and biggest.worst[0]["money"] >= biggest.worst[-1]["money"]


def test_no_money_is_counted_twice(report):
    """Each ad subject's money reaches the head once: the printed to-dos of a verdict (plans, the
    account, "and N more") add up to the verdict's rows, and the head adds the to-dos once."""
    rows = ad_rows_of(report)
    for (rule, msg), group in rows.groupby(["rule", "msg"]):
        todos = [f for f in report.findings if f.rule == rule and (f.msg.split(".")[-1] == msg)]
        printed = sum(f.money or 0.0 for f in todos)
        assert printed == pytest.approx(group["money"].fillna(0.0).sum(), rel=1e-6, abs=0.01), (rule, msg)
    counted = sum(f.money for f in report.findings if f.money and f.severity != "info" and not f.within)
    assert report.at_stake["CNY"] == pytest.approx(counted)


def test_no_plan_is_cut_together_with_its_own_keywords(report):
    rows = ad_rows_of(report)
    cut = rows[rows["msg"].isin(CUTS)]
    plans = set(cut.loc[cut["level"] == "campaign", "campaign"])
    keyword_plans = set(cut.loc[cut["level"] == "keyword", "campaign"])
    assert not plans & keyword_plans


def test_nothing_at_or_above_break_even_is_cut(report):
    rows = ad_rows_of(report)
    cut = rows[rows["msg"].isin(CUTS) & (rows["msg"] != "zero")]
    assert len(cut) > 1000
    assert (cut["roi"] < BREAK_EVEN).all()
    low_ctr = rows[rows["msg"].str.startswith("creative")]
    assert len(low_ctr) and (low_ctr["roi"] >= BREAK_EVEN).all()  # low CTR that earns: a creative task


def test_keys_are_unique_and_every_format_starts_with_the_same_first_ten(report):
    keys = [f.key for f in report.findings]
    assert len(keys) == len(set(keys))
    first_ten = [f for s in sections(report.findings) for f in listed(s.findings)[0]][:10]
    text = render(report, "text")
    positions = [text.find(f.title) for f in first_ten]
    assert -1 not in positions and positions == sorted(positions)
    assert first_ten[0].rule == "setup.gross_margin"
    severities = [f.severity for f in first_ten[1:]]
    assert severities == sorted(severities, key=["critical", "warning", "info"].index)


def test_the_library_hands_over_the_table(report):
    """`api` users get every subject as one DataFrame, the same rows the JSON details hold."""
    from shopdoc.details import details_frame

    table = details_frame(report.blocks)
    assert len(table) == sum(len(block) for block in report.blocks) > 4000
    assert list(table.columns[:5]) == ["rule", "msg", "level", "severity", "owner"]
    assert table["subject"].is_unique
