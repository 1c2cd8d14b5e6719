"""Reporters: the JSON contract (SPEC §5), plain text without ANSI codes, rich and Markdown, both
languages, grouping by owner in the document's hand-off order, new-today marks and the tail sections."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pandas as pd
import pytest

from shopdoc.api import build_report
from shopdoc.config import Config, merge
from shopdoc.dataset import Dataset
from shopdoc.model import DataWarning, Finding, InputFile, Report, Skip
from shopdoc.report import FORMATS, render
from shopdoc.report._format import format_money, format_percent, group_by_owner

ANSI = re.compile(r"\x1b\[")
DAY = "2026-11-22"


def finding(rule, severity, owner, title, *, subject="shop", evidence=None, money=None, first_seen=None, order=0):
    return Finding(rule=rule, severity=severity, owner=owner, subject=subject, title=title, action=f"{title} → 处理",
                   evidence=evidence or {}, money=money, first_seen=first_seen, order=order)


@pytest.fixture
def report() -> Report:
    """A morning's report as the engine would hand it over: already sorted by severity, money, rule."""
    findings = [
        finding("page.bounce_rate", "critical", "design", "全店跳失率 71.2%，超过 70% 的及格线",
                evidence={"value": 0.712, "threshold": 0.7, "visitors": 8120}, first_seen=DAY, order=10000),
        finding("reviews.negative_top_items", "critical", "service", "主推款出现差评",
                subject="review:2981", evidence={"rating": 1, "order_id": "2981"}, first_seen="2026-11-20", order=80000),
        finding("ads.roi_breakeven", "warning", "promotion", "计划 [爆款]*冬装* 投产比低于保本",
                subject="campaign:[爆款]*冬装*", evidence={"roi": 1.8, "breakeven_roi": 3.33, "cost": 1520.6},
                money=820.0, order=60000),
        finding("sales.daily_target", "warning", "operations", "昨天成交额没到日目标",
                evidence={"gmv": 47700.0, "target": 60000.0, "change": -0.205}, order=20000),
        finding("pricing.price_tail", "info", "operations", "3 个商品价格尾数不是 9、8、5",
                subject="item:5531", evidence={"price": 127.0}, order=90000),
    ]
    inputs = [
        InputFile("exports/店铺整体_2026-11-22.csv", "shop_daily", rows=1),
        InputFile("exports/商品排行.xls", "item_daily", rows=120, warnings=[
            DataWarning("exports/商品排行.xls", "conversion above 100%, left out", row=14, column="商品支付转化率", value="130%"),
            DataWarning("exports/商品排行.xls", "ID in scientific notation", row=20, column="商品ID", value="1.07E+11"),
        ]),
        InputFile("exports/直通车.zip", None, status="error", error="zip holds no CSV — download the report again"),
        InputFile("exports/notes.csv", None, status="unrecognised", error="columns match no known export"),
    ]
    skipped = [
        Skip("reviews.dsr_drop", "没有 dsr 导出"),
        Skip("ads.ctr_bid", "点击太少（8 < 10）", subject="keyword:冬装/羊毛大衣"),
        Skip("ads.ctr_bid", "点击太少（3 < 10）", subject="keyword:冬装/大衣女"),
        Skip("ads.zero_click", "展现太少", subject="keyword:冬装/外套"),
    ]
    return Report(shop="demo-shop", date=DAY, generated_at="2026-11-23T07:00:03+08:00", lang="zh", inputs=inputs,
                  metrics={"visitors": 8120, "bounce_rate": 0.712, "pages_per_visitor": 2.41, "conversion_rate": 0.0222,
                           "shop_aov": 265.0, "gmv": 47700.0},
                  findings=findings, skipped=skipped, checklist=["看 3-5 家同行上新"])


def english(report: Report) -> Report:
    report.lang = "en"
    return report


# -- JSON ---------------------------------------------------------------------------------------------
def test_json_has_the_spec_keys_and_types(report):
    data = json.loads(render(report, "json"))
    assert {"schema", "shop", "date", "generated_at", "inputs", "metrics", "findings", "skipped", "summary"} <= set(data)
    assert data["schema"] == "shopdoc.report/2"
    assert (data["shop"], data["date"]) == ("demo-shop", DAY)
    assert datetime.fromisoformat(data["generated_at"]).utcoffset() is not None
    for item in data["inputs"]:
        assert {"path", "kind", "sheet", "rows", "status", "warnings"} <= set(item)
        assert isinstance(item["rows"], int) and isinstance(item["warnings"], list)
    warning = data["inputs"][1]["warnings"][0]
    assert warning == {"file": "exports/商品排行.xls", "reason": "conversion above 100%, left out", "row": 14,
                       "column": "商品支付转化率", "value": "130%", "sheet": None, "code": None}
    for item in data["findings"]:
        assert {"key", "rule", "severity", "owner", "subject", "title", "action", "evidence"} <= set(item)
        assert item["severity"] in ("critical", "warning", "info")
    assert data["findings"][0]["evidence"] == {"value": 0.712, "threshold": 0.7, "visitors": 8120}  # rates fractions
    assert data["findings"][0]["first_seen"] == DAY
    assert data["skipped"][0] == {"rule": "reviews.dsr_drop", "reason": "没有 dsr 导出"}
    assert {k: data["summary"][k] for k in ("critical", "warning", "info", "todos")} == {
        "critical": 2, "warning": 2, "info": 1, "todos": 5}


def test_json_keeps_chinese_readable_and_stays_valid_with_nan(report):
    report.metrics["aov_ratio"] = float("nan")
    text = render(report, "json")
    assert "全店跳失率" in text and "\\u" not in text
    assert json.loads(text)["metrics"]["aov_ratio"] is None
    assert text.startswith('{\n  "schema"')  # indent 2


# -- text ---------------------------------------------------------------------------------------------
def test_text_has_no_ansi_codes_in_either_language(report):
    assert not ANSI.search(render(report, "text"))
    assert not ANSI.search(render(english(report), "text"))
    assert not ANSI.search(render(report, "markdown"))
    assert not ANSI.search(render(report, "rich", color=False))


def test_rich_colour_only_when_asked(report):
    assert ANSI.search(render(report, "rich", color=True))


def test_text_groups_by_owner_in_the_hand_off_order(report):
    text = render(report, "text")
    headings = re.findall(r"^== 负责人：(\S+)（(\d+) 项） ==$", text, re.M)
    # the two criticals (美工, 客服) are in the "do these first" head above the owner groups
    assert text.index("== 今天先做（2 项） ==") < text.index("== 负责人：运营")
    assert headings == [("运营", "2"), ("推广", "1")]
    operations = text.split("== 负责人：运营")[1].split("== 负责人：推广")[0]
    # within a group: severity first (the engine's order is kept)
    assert operations.index("【警告】昨天成交额没到日目标") < operations.index("【提示】3 个商品价格尾数")


def test_group_order_follows_owners_not_severity():
    findings = [finding("page.bounce_rate", "critical", "design", "A"), finding("x.y", "info", "operations", "B"),
                finding("x.z", "warning", "content", "C"), finding("x.w", "warning", "promotion", "D")]
    assert [owner for owner, _ in group_by_owner(findings)] == ["operations", "promotion", "design", "content"]


def test_text_header_shows_shop_date_and_key_numbers(report):
    lines = render(report, "text").splitlines()
    assert lines[0] == "店铺体检 · demo-shop · 2026-11-22（生成于 2026-11-23 07:00）"
    assert lines[1] == "访客数 8,120 · 跳失率 71.2% · 访问深度 2.41 · 支付转化率 2.22% · 客单价 265 元 · 支付金额 47,700 元"
    assert lines[2] == "今日待办 5 项：严重 2 · 警告 2 · 提示 1"


def test_text_finding_block_in_chinese(report):
    text = render(report, "text")
    assert ("【严重】〔美工〕全店跳失率 71.2%，超过 70% 的及格线（今天新出现）\n"
            "    怎么做：全店跳失率 71.2%，超过 70% 的及格线 → 处理\n"
            "    数据：当前 71.2% · 门槛 70% · 访客数 8,120\n"
            "    规则：page.bounce_rate shop\n") in text
    assert "【严重】〔客服〕主推款出现差评（已持续 3 天）" in text
    assert "数据：投产比 1.8 · 保本投产比 3.33 · 花费 1,521 元 · 涉及约 820 元/天" in text
    assert "数据：成交额 47,700 元 · 目标 60,000 元 · 变化 -20.5%" in text


def test_text_finding_block_in_english(report):
    text = render(english(report), "text")
    assert "[CRITICAL] [Design] 全店跳失率 71.2%，超过 70% 的及格线  (new today)" in text
    assert "[CRITICAL] [Customer service] 主推款出现差评  (open 3 days)" in text
    assert "    Numbers: ROI 1.8 · break-even ROI 3.33 · spend ¥1,521 · about ¥820 a day at stake" in text
    assert "== Owner: Operations (2) ==" in text
    assert "5 to-dos today: critical 2 · warning 2 · info 1" in text


def test_no_age_mark_without_history(report):
    for item in report.findings:
        item.first_seen = None
    text = render(report, "text")
    assert "今天新出现" not in text and "已持续" not in text


def test_text_tail_sections(report):
    text = render(report, "text")
    assert "没有判断的规则（1 条）：\n  - reviews.dsr_drop：没有 dsr 导出" in text
    assert "数据不足、暂不判断：ads.ctr_bid 2 个，ads.zero_click 1 个" in text
    assert "keyword:冬装/羊毛大衣" not in text  # holds are counted, not listed
    assert "例行检查（导出数据看不到，需要自己看）：\n  [ ] 看 3-5 家同行上新" in text
    assert "数据提醒（共 2 条，这些值没有参与判断）：\n  exports/商品排行.xls：2 条，例如 第 14 行，「商品支付转化率」列：conversion above 100%, left out（“130%”）" in text
    assert "  exports/直通车.zip：zip holds no CSV — download the report again" in text
    assert "  exports/notes.csv：columns match no known export" in text


def test_text_with_nothing_found(report):
    report.findings = []
    text = render(report, "text")
    assert "今日待办 0 项：严重 0 · 警告 0 · 提示 0" in text
    assert "今天没有发现需要处理的问题。" in text
    assert "== 负责人" not in text


# -- rich and markdown --------------------------------------------------------------------------------------
def test_rich_shows_header_groups_and_numbers_without_markup_injection(report):
    out = render(report, "rich", width=100)
    assert "店铺体检 · demo-shop · 2026-11-22" in out
    assert "跳失率 71.2%" in out and "今日待办 5 项" in out
    assert out.index("今天先做（2 项）") < out.index("负责人：运营") < out.index("负责人：推广")
    assert "负责人：美工" not in out and "〔美工〕全店跳失率" in out
    assert "计划 [爆款]*冬装* 投产比低于保本" in out  # square brackets from an export are text, not style
    assert "当前 71.2% · 门槛 70% · 访客数 8,120" in out
    assert all(len(line) <= 100 for line in out.splitlines())


def test_rich_respects_the_width(report):
    narrow = render(report, "rich", width=60)
    from rich.cells import cell_len

    assert max(cell_len(line) for line in narrow.splitlines()) <= 60


def test_markdown_headings_bullets_and_escaping(report):
    md = render(report, "markdown")
    assert md.startswith("# 店铺体检 · demo-shop · 2026-11-22\n")
    assert "## 今天先做（2 项）" in md  # the criticals, each naming who acts, before the owner groups
    assert "- **严重** 〔美工〕全店跳失率 71.2%，超过 70% 的及格线（今天新出现）" in md
    assert "- **警告** 计划 \\[爆款\\]\\*冬装\\* 投产比低于保本" in md
    assert "  - 规则：`ads.roi_breakeven campaign:[爆款]*冬装*`" in md
    assert "- [ ] 看 3-5 家同行上新" in md
    md_en = render(english(report), "markdown")
    assert "## Do these first (2)" in md_en and "- **critical** \\[Design\\] " in md_en


def test_every_format_renders_an_empty_report():
    empty = Report(shop="s", date=None, generated_at="2026-11-23T07:00:00+08:00", lang="en")
    for fmt in FORMATS:
        assert render(empty, fmt)


# -- numbers ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "text"),
    [(0.712, "71.2%"), (0.7, "70%"), (0.0333, "3.33%"), (0.05, "5%"), (1.0, "100%"), (0.0, "0%")],
)
def test_percentages(value, text):
    assert format_percent(value) == text


@pytest.mark.parametrize(
    ("amount", "currency", "lang", "text"),
    [(47700.0, "CNY", "zh", "47,700 元"), (47700.0, "CNY", "en", "¥47,700"), (0.85, "元", "zh", "0.85 元"),
     (1234.5, "$", "en", "$1,234"), (99.5, "USD", "en", "$99.50"), (-12.0, "$", "en", "-$12"),
     (276.15, "USD", "zh", "$276.15"), (201.68, "INR", "en", "₹201.68"), (201.68, "INR", "zh", "₹201.68"),
     (9.5, "EUR", "zh", "€9.50"), (3.0, "GBP", "en", "£3"), (500.0, "JPY", "en", "JP¥500"),
     (12.0, "CHF", "en", "12 CHF"), (12.0, "", "zh", "12"), (12.0, None, "en", "12")],
)
def test_money(amount, currency, lang, text):
    assert format_money(amount, currency, lang) == text


def test_currency_from_config_reaches_the_report():
    frame = pd.DataFrame([{"date": DAY, "visitors": 500.0, "gmv": 1234.0, "buyers": 20.0, "_file": "s.csv", "_row": 2}])
    config = Config(merge({"shop": {"currency": "$", "lang": "en"}}))
    report = build_report(Dataset(frames={"shop_daily": frame}), config)
    assert report.currency == "$"
    assert "Sales $1,234" in render(report, "text")


# -- from a real rule run -------------------------------------------------------------------------------------
def test_report_from_rules_in_both_languages():
    shop = pd.DataFrame([{"date": DAY, "visitors": 8120.0, "pageviews": 19570.0, "bounce_rate": 0.712, "buyers": 180.0,
                          "gmv": 47700.0, "_file": "shop.csv", "_row": 2}])
    items = pd.DataFrame([{"date": DAY, "item_id": "7781", "item_name": "加厚羊毛大衣", "visitors": 3000.0,
                           "buyers": 100.0, "gmv": 21400.0, "_file": "items.csv", "_row": 2}])
    dataset = Dataset(frames={"shop_daily": shop, "item_daily": items})
    zh = render(build_report(dataset, Config(merge({})), lang="zh"), "text")
    en = render(build_report(dataset, Config(merge({})), lang="en"), "text")
    assert "【严重】〔美工〕全店跳失率 71.2%，超过 70% 的及格线" in zh
    assert "【警告】全店客单价 265 元只有主推款（加厚羊毛大衣）客单价 214 元的 1.24 倍，不到 1.3 倍" in zh
    assert "数据：当前 1.24 倍 · 门槛 1.3 倍" in zh  # the rule's wording says the ratio is a multiple
    assert "[CRITICAL] [Design] Shop bounce rate is 71.2%, above the 70% limit" in en
    assert "Numbers: actual 1.24x · threshold 1.3x" in en


def test_a_long_run_of_one_rule_is_listed_up_to_ten_and_counted_after():
    """A big account's thousands of keyword bid cuts: the ten with most money listed, the rest one line.
    Critical findings get thirty; the JSON keeps every finding."""
    findings = [finding("reviews.negative_top_items", "critical", "service", f"差评 {n}", subject=f"review:{n}",
                        order=80000) for n in range(12)]
    findings += [finding("ads.ctr_bid", "warning", "promotion", f"关键词「词{n}」点击率低", subject=f"keyword:p/词{n}",
                         money=100.0 - n, order=70000) for n in range(25)]
    report = Report(shop="demo-shop", date=DAY, generated_at="2026-11-23T07:00:03+08:00", lang="zh",
                    findings=findings)
    text = render(report, "text")
    assert all(f"差评 {n}" in text for n in range(12))
    assert "「词9」" in text and "「词10」" not in text
    assert "……另有 15 条 ads.ctr_bid 同类待办（合计约 1,245 元/天），完整清单见 --format json，出价改动可用 --bid-sheet 导出" in text
    markdown = render(report, "markdown")
    assert "「词10」" not in markdown and "另有 15 条" in markdown
    assert len(json.loads(render(report, "json"))["findings"]) == 37
    english = render(Report(shop="s", date=DAY, generated_at=report.generated_at, lang="en", findings=findings), "text")
    assert "…and 15 more like this from ads.ctr_bid (about ¥1,245 a day in all)" in english


def test_criticals_are_listed_up_to_thirty_per_rule():
    findings = [finding("ads.roi_breakeven", "critical", "promotion", f"暂停「词{n}」", subject=f"keyword:p/词{n}",
                        money=1000.0 - n, order=70000) for n in range(31)]
    report = Report(shop="demo-shop", date=DAY, generated_at="2026-11-23T07:00:03+08:00", lang="zh",
                    findings=findings)
    text = render(report, "text")
    assert "「词29」" in text and "「词30」" not in text
    assert "……另有 1 条 ads.roi_breakeven 同类待办（合计约 970 元/天）" in text


def test_notes_are_listed_up_to_three_per_rule():
    findings = [finding("ads.ctr_bid", "info", "promotion", f"「词{n}」本该加价，先不加", subject=f"keyword:p/词{n}",
                        order=70000) for n in range(8)]
    report = Report(shop="demo-shop", date=DAY, generated_at="2026-11-23T07:00:03+08:00", lang="zh",
                    findings=findings)
    text = render(report, "text")
    assert "「词2」" in text and "「词3」" not in text
    assert "……另有 5 条 ads.ctr_bid 同类待办，完整清单见 --format json" in text
    assert "--bid-sheet" not in text  # held raises are not bid changes to apply


def test_a_sales_target_is_named_a_target_not_a_threshold():
    from shopdoc.report._format import evidence_line

    target = finding("sales.daily_target", "warning", "operations", "没到日目标",
                     evidence={"value": 44117.3, "threshold": 55000.0, "completion": 0.802})
    assert evidence_line(target, "zh").startswith("成交额 44,117 元 · 日目标 55,000 元")
    assert evidence_line(target, "en").startswith("sales ¥44,117 · day's target ¥55,000")
    bounce = finding("page.bounce_rate", "critical", "design", "跳失率", evidence={"value": 0.712, "threshold": 0.7})
    assert evidence_line(bounce, "zh") == "当前 71.2% · 门槛 70%"
    assert evidence_line(bounce, "en") == "actual 71.2% · threshold 70%"
