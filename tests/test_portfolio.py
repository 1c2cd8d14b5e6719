"""`diagnose --all` (issue 17): shops run in parallel and isolated, the portfolio ranks them, and
`owners:` routes each team only its to-dos."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from shopdoc.model import Finding, Report
from shopdoc.portfolio import ShopLine, chat_digest, rank, render, shop_line, team_digest

from tests.test_shops import exports


def agency(tmp_path: Path, extra: str = "", shops: str = "") -> str:
    exports(tmp_path / "ex" / "a")
    exports(tmp_path / "ex" / "b")
    broken = tmp_path / "ex" / "c"
    broken.mkdir(parents=True)
    (broken / "生意参谋_店铺整体.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    text = (f"{extra}shops:\n"
            f"  a:\n    data_dir: ex/a\n    monthly_target: 1200000\n"
            f"  b:\n    data_dir: ex/b\n    gross_margin: 0.6\n"
            f"  c:\n    data_dir: ex/c\n{shops}")
    path = tmp_path / "agency.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_three_shops_one_broken_export(cli, tmp_path):
    agency(tmp_path)
    (tmp_path / "reports").mkdir()
    result = cli("diagnose", "--config", "agency.yaml", "--all", "-o", "reports/{shop}.json",
                 "--history", "history.db", "--format", "json")
    assert result.code == 3, result.err  # a shop failed: the portfolio and the other reports were produced
    # two full reports, each in its own file
    assert sorted(path.name for path in (tmp_path / "reports").iterdir()) == ["a.json", "b.json"]
    for name in ("a", "b"):
        report = json.loads((tmp_path / "reports" / f"{name}.json").read_text(encoding="utf-8"))
        assert report["shop"] == name and report["findings"] and report["summary"]["critical"] >= 1
    # one failure line, saying what failed
    page = json.loads(result.out)
    assert page["schema"] == "shopdoc.portfolio/1"
    assert page["summary"] == {**page["summary"], "shops": 3, "ok": 2, "failed": 1}
    failed = [shop for shop in page["shops"] if not shop["ok"]]
    assert [shop["shop"] for shop in failed] == ["c"] and page["shops"][0]["shop"] == "c"
    assert "生意参谋_店铺整体.xlsx" in failed[0]["error"]
    assert [line for line in result.err.splitlines() if "failed:" in line] == [
        line for line in result.err.splitlines() if line.startswith("shopdoc: [c] failed: ")]
    # one history file holds every shop
    with sqlite3.connect(tmp_path / "history.db") as conn:
        shops = {row[0] for row in conn.execute("SELECT DISTINCT shop FROM days")}
    assert shops == {"a", "b"}


def test_every_shop_failing_is_exit_2_and_a_plain_output_needs_shop(cli, tmp_path):
    (tmp_path / "agency.yaml").write_text("shops:\n  x:\n    data_dir: nowhere\n  y:\n    data_dir: nowhere/*.csv\n",
                                          encoding="utf-8")
    result = cli("diagnose", "--config", "agency.yaml", "--all", "--no-history", "--format", "text")
    assert result.code == 2
    assert result.out.count("x") >= 1 and "nowhere" in result.out
    result = cli("diagnose", "--config", "agency.yaml", "--all", "-o", "report.json")
    assert result.code == 2 and "{shop}" in result.err
    result = cli("diagnose", "--config", "agency.yaml", "--all", "-o", "missing/{shop}.json")
    assert result.code == 2 and "folder missing does not exist" in result.err
    result = cli("diagnose", "--config", "agency.yaml", "--all", "some/path")
    assert result.code == 2 and "data_dir" in result.err
    (tmp_path / "one.yaml").write_text("shop:\n  name: solo\n", encoding="utf-8")
    result = cli("diagnose", "--config", "one.yaml", "--all")
    assert result.code == 2 and "no shops: section" in result.err


def line(shop: str, critical: int = 0, money: float = 0.0, warning: int = 0, **kw) -> ShopLine:
    return ShopLine(shop=shop, ok=True, critical=critical, warning=warning,
                    at_stake={"CNY": money} if money else {}, date="2026-11-22", **kw)


def test_the_summary_ranks_failed_then_criticals_then_money():
    lines = [line("calm", 0, 50.0, 3), line("rich", 2, 9000.0), line("burning", 3, 10.0),
             ShopLine(shop="broken", ok=False, error="no exports in ex/c"), line("poor", 2, 100.0),
             line("noisy", 0, 50.0, 5)]
    assert [each.shop for each in rank(lines)] == ["broken", "burning", "rich", "poor", "noisy", "calm"]
    text = render(lines, "text", "en")
    assert text.index("1. broken") < text.index("2. burning") < text.index("3. rich") < text.index("6. calm")
    assert "no exports in ex/c" in text
    page = json.loads(render(lines, "json", "en"))
    assert [shop["shop"] for shop in page["shops"]] == ["broken", "burning", "rich", "poor", "noisy", "calm"]
    assert page["summary"]["critical"] == 7 and page["summary"]["at_stake"] == [
        {"amount": 9210.0, "currency": "CNY", "per": "day"}]
    markdown = render(lines, "markdown", "zh")
    assert markdown.index("**burning**") < markdown.index("**rich**")
    assert "<table>" in render(lines, "html", "en")
    chat = chat_digest(lines, "en", "2026-11-22")
    titles = [piece.title for piece in chat.pieces if hasattr(piece, "title")]
    assert titles[0] == "broken" and titles[1].startswith("1. burning") and titles[2].startswith("2. rich")
    assert chat.title() == "Shops overview · 6 shops · 2026-11-22"


def test_a_shop_line_has_its_day_data_age_gmv_against_target_and_top_todo(tmp_path):
    from shopdoc.api import diagnose
    from shopdoc.config import load_config

    path = tmp_path / "one.yaml"
    path.write_text("shop:\n  name: demo\nrules:\n  sales.daily_target:\n    monthly_target: 3000000\n", encoding="utf-8")
    config = load_config(str(path))
    report = diagnose([str(exports(tmp_path / "ex"))], config)
    summary = shop_line(report, config)
    assert summary.date == "2026-11-22" and summary.data_age == 1  # SHOPDOC_TODAY is the morning after
    assert summary.gmv == pytest.approx(report.metrics["gmv"])
    assert summary.target == pytest.approx(100000.0)  # 3,000,000 over November's 30 days
    assert summary.top == report.findings[0].title and summary.critical == report.summary["critical"]
    text = summary.summary("zh")
    assert "日目标 100,000 元" in text and "数据日 2026-11-22" in text and "数据已 1 天" in text


def finding(owner: str, title: str, severity: str = "warning") -> Finding:
    return Finding(rule="page.bounce_rate", severity=severity, owner=owner, subject=f"item:{title}", title=title,
                   action=f"do {title}")


def test_owner_routing_sends_each_team_only_its_todos(tmp_path):
    from shopdoc.chat.layout import Item, Skipped
    from shopdoc.commands.portfolio import send_plan
    from shopdoc.config import load_config

    path = tmp_path / "agency.yaml"
    path.write_text("owners:\n  推广: promo\n  客服: [service]\nshops:\n  a:\n    send_to: ops\n"
                    "    owners:\n      美工: promo\n  b: {}\n", encoding="utf-8")
    config = load_config(str(path))
    shops = {name: config.shop(name) for name in config.shops}
    plan = send_plan(shops, ["agency"])
    assert plan["a"] == [(["promo"], ["promotion", "design"], False), (["service"], ["service"], False),
                         (["ops"], ["operations", "content"], True)]
    assert plan["b"][-1] == (["agency"], ["operations", "design", "content"], True)  # no send_to: --send

    report = Report(shop="a", date="2026-11-22", generated_at="", lang="en", checklist=["look at peers"], findings=[
        finding("promotion", "cut bids", "critical"), finding("design", "new main image"),
        finding("service", "answer the bad review"), finding("operations", "check stock")])
    summary = line("a", 1, 120.0, 3)
    sent = {}
    for targets, owners, default in plan["a"]:
        chat = team_digest(report, owners, summary, default=default)
        sent[targets[0]] = chat
    titles = {target: {piece.title.split("] ", 1)[-1] for piece in chat.pieces if isinstance(piece, Item)}
              for target, chat in sent.items()}  # a critical is tagged with who acts: "[Promotion] cut bids"
    assert titles == {"promo": {"cut bids", "new main image"}, "service": {"answer the bad review"},
                      "ops": {"check stock"}}
    for chat in sent.values():  # each with the shop's one-line summary, nothing else on top
        notes = [piece for piece in chat.pieces if isinstance(piece, Skipped)]
        assert [note.notes for note in notes] == [(summary.summary("en"),)]
    assert any(getattr(piece, "text", None) == "look at peers" for piece in sent["ops"].pieces)
    assert not any(getattr(piece, "text", None) for piece in sent["promo"].pieces)


def test_all_sends_the_portfolio_first_then_each_team(cli, tmp_path, monkeypatch):
    from shopdoc.chat import send as chat_send

    posted: list[tuple[str, str]] = []

    def deliver(platform, target, payload, **_):
        posted.append((target.name, json.dumps(payload, ensure_ascii=False)))
        return None

    monkeypatch.setattr(chat_send, "deliver", deliver)
    for name in ("AGENCY", "PROMO", "OPS"):
        monkeypatch.setenv(f"{name}_HOOK", f"https://hooks.slack.com/services/{name}")
    targets = ("send:\n  targets:\n"
               + "".join(f"    {name.lower()}:\n      platform: slack\n      webhook_env: {name}_HOOK\n"
                         for name in ("AGENCY", "PROMO", "OPS"))
               + "owners:\n  推广: promo\n")
    agency(tmp_path, targets, shops="    send_to: ops\n")
    result = cli("diagnose", "--config", "agency.yaml", "--all", "--no-history", "--send", "agency", "--lang", "en")
    assert result.code == 3, result.err
    assert posted[0][0] == "agency" and "Shops overview" in posted[0][1]
    by_target: dict[str, list[str]] = {}
    for target, body in posted[1:]:
        by_target.setdefault(target, []).append(body)
    assert set(by_target) == {"promo", "agency"}  # shop c (send_to: ops) failed: nothing of it is sent
    routine = "peer shops"  # the daily checklist goes to the shop's default target, not to a team
    assert not any(routine in body for body in by_target["promo"])
    assert any(routine in body for body in by_target["agency"])
    assert all(body.count("Promotion") >= 1 for body in by_target["promo"])


def test_the_library_example_runs_one_shop_as_a_task(tmp_path, monkeypatch):
    import runpy

    agency(tmp_path)
    monkeypatch.chdir(tmp_path)
    example = Path(__file__).resolve().parent.parent / "examples" / "one_shop_task.py"
    task = runpy.run_path(str(example))["shop_task"]
    summary = task("agency.yaml", "a")
    assert summary["ok"] and summary["shop"] == "a" and summary["target"] == pytest.approx(40000.0)
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["shop"] == "a"


def test_a_shop_that_kills_its_worker_fails_alone(cli, tmp_path, monkeypatch):
    import os

    from shopdoc.commands import portfolio

    one_shop = portfolio._one_shop

    def dies_on_a(job):
        if job.name == "a":
            os._exit(9)  # as the kernel's out-of-memory killer would end it
        return one_shop(job)

    monkeypatch.setattr(portfolio, "_one_shop", dies_on_a)  # forked workers inherit it
    monkeypatch.setattr(portfolio, "workers", lambda count: 2)
    agency(tmp_path)
    (tmp_path / "reports").mkdir()
    result = cli("diagnose", "--config", "agency.yaml", "--all", "--no-history", "-o", "reports/{shop}.json",
                 "--format", "json")
    assert result.code == 3, result.err
    page = {shop["shop"]: shop for shop in json.loads(result.out)["shops"]}
    assert page["b"]["ok"] and not page["a"]["ok"] and not page["c"]["ok"]
    assert "worker process died" in page["a"]["error"]
    assert sorted(path.name for path in (tmp_path / "reports").iterdir()) == ["b.json"]
