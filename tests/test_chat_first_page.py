"""Nothing hidden from the chat group: message 1 of every set names the files that could not be read
and the rules that said nothing, and gives the report day and how old the data is; stale data is an
alert at the head of every format."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from test_chat_send import Robots, FakeClock, message_text

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture
def robots(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    server = Robots(FakeClock())
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def morning(tmp_path):
    """The sample exports, minus the reviews, plus a file that is not an export."""
    folder = tmp_path / "exports"
    folder.mkdir()
    for export in SAMPLE.iterdir():
        if export.name != "shopdoc.yaml" and not export.name.startswith("评价"):
            shutil.copy(export, folder / export.name)
    (folder / "客户名单.csv").write_text("姓名,电话\n张三,13800000000\n", encoding="utf-8")
    shutil.copy(SAMPLE / "shopdoc.yaml", tmp_path / "shopdoc.yaml")
    return folder


@pytest.mark.parametrize("platform", ["wecom", "dingtalk", "feishu", "slack"])
def test_message_one_names_unreadable_files_and_silent_rules_with_day_and_age(cli, robots, monkeypatch, morning,
                                                                              platform):
    hooks = robots.env()
    for name, value in hooks.items():
        monkeypatch.setenv(name, value)
    result = cli("diagnose", "exports", "--no-history", "--send", platform, "--format", "json")
    assert result.code == 3  # an unreadable file
    assert f"{platform}: 已发送" in result.err
    report = json.loads(result.out)
    silent = sorted({skip["rule"] for skip in report["skipped"] if "subject" not in skip})
    assert "reviews.negative_top_items" in silent
    first = message_text(next(m for m in robots.of(platform) if m["body"].get("msgtype", "markdown") != "image"))
    assert "客户名单.csv" in first
    shown = [rule.replace(".", "[.]").replace("_", "＿") if platform == "slack" else rule for rule in silent]
    assert f"{len(silent)} 条规则没有判断" in first and all(rule in first for rule in shown)
    assert "报告日 2026-11-22，数据截至 2026-11-22（1 天前）" in first


def test_wecom_splits_and_the_note_stays_on_message_one(cli, robots, monkeypatch, morning):
    monkeypatch.setenv("SHOPDOC_WECOM_WEBHOOK", robots.env()["SHOPDOC_WECOM_WEBHOOK"])
    cli("diagnose", "exports", "--no-history", "--send", "wecom", "--lang", "en")
    sent = [message for message in robots.of("wecom") if message["body"].get("msgtype") == "markdown"]
    assert len(sent) > 1
    assert "Report day 2026-11-22, data up to 2026-11-22 (1 day ago)" in message_text(sent[0])
    assert all("Report day" not in message_text(message) for message in sent[1:])


@pytest.mark.parametrize("args", [["--format", "text"], ["--format", "rich"], ["--format", "markdown"],
                                  ["--format", "html"], ["--flavor", "dingtalk"], ["--flavor", "slack"],
                                  ["--flavor", "wecom"]])
def test_stale_data_is_said_at_the_head_of_every_format(cli, monkeypatch, morning, args):
    """At the head of every format, before the list; in a chat message set, in message 1's note."""
    monkeypatch.setenv("SHOPDOC_TODAY", "2026-12-01")
    result = cli("diagnose", "exports", "--no-history", *args)
    alert = "数据停在 2026-11-22，已经 9 天没有更新"
    assert alert in result.out
    if "--flavor" not in args:
        assert result.out.index(alert) < result.out.index("今天先做")  # before the list
        assert result.out.count(alert) == 1
    monkeypatch.setenv("SHOPDOC_TODAY", "2026-11-23")
    assert "数据停在" not in cli("diagnose", "exports", "--no-history", *args).out


def test_stale_data_in_the_json(cli, monkeypatch, morning):
    monkeypatch.setenv("SHOPDOC_TODAY", "2026-12-01")
    report = json.loads(cli("diagnose", "exports", "--no-history", "--format", "json", "--lang", "en").out)
    (alert,) = report["alerts"]
    assert (alert["code"], alert["day"], alert["age"], alert["max_age"]) == ("data.stale", "2026-11-22", 9, 2)
    assert alert["message"].startswith("The data ends on 2026-11-22, 9 days ago")
