"""The JSON renderer's layout: an item per line, written by json's C encoder, and still valid JSON
when a value is NaN, a numpy scalar or something json has no type for."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

from shopdoc.model import DataWarning, Finding, InputFile, Report, Skip
from shopdoc.report import render, render_json


def report(**metrics) -> Report:
    findings = [Finding("ads.ctr_bid", "warning", "promotion", f"keyword:计划{n}/羊毛衫", f"点击率低 {n}", "降低出价",
                        evidence={"ctr": 0.012, "account_ctr": 0.025, "direction": "lower", "current_bid": 1.2,
                                  "suggested_bid": 1.0}, money=12.5 + n) for n in range(3)]
    inputs = [InputFile("exports/商品.xls", "item_daily", rows=120, warnings=[
        DataWarning("exports/商品.xls", "rate above 100%, left out", row=14, column="商品支付转化率", value="130%")])]
    return Report(shop="demo-shop", date="2026-11-22", generated_at="2026-11-23T07:00:03+08:00", lang="zh",
                  inputs=inputs, metrics={"visitors": 8120, "bounce_rate": 0.712, **metrics}, findings=findings,
                  skipped=[Skip("reviews.dsr_drop", "没有 dsr 导出")], checklist=["看 3-5 家同行上新"])


def test_each_finding_input_and_skip_sits_on_a_line_of_its_own():
    text = render(report(), "json")
    lines = text.splitlines()
    assert lines[0] == "{" and lines[1] == '  "schema": "shopdoc.report/2",' and lines[-1] == "}"
    finding_lines = [line for line in lines if line.startswith('    {"key": "ads.ctr_bid ')]
    assert len(finding_lines) == 3
    assert json.loads(finding_lines[0].rstrip(","))["evidence"]["direction"] == "lower"
    assert '    {"rule": "reviews.dsr_drop", "reason": "没有 dsr 导出"}' in lines
    assert '  "findings": [' in lines and '  "notes": [],' in lines  # empty lists stay on the key's line
    data = json.loads(text)
    assert [f["money"]["amount"] for f in data["findings"]] == [12.5, 13.5, 14.5]
    assert {f["money"]["currency"] for f in data["findings"]} == {"CNY"}
    assert data["inputs"][0]["warnings"][0]["value"] == "130%"
    assert "\\u" not in text and text.endswith("}\n")


def test_nan_numpy_scalars_and_other_values_still_make_valid_json():
    text = render_json(report(aov_ratio=float("nan"), gmv=np.float64(47700.5), buyers=np.int64(180),
                              peak=np.float64("inf"), hero=np.bool_(True), since=date(2026, 11, 1)))
    metrics = json.loads(text)["metrics"]  # strict: NaN would not parse
    assert metrics["aov_ratio"] is None and metrics["peak"] is None
    assert (metrics["gmv"], metrics["buyers"], metrics["hero"], metrics["since"]) == (47700.5, 180, True, "2026-11-01")
    assert isinstance(metrics["buyers"], int)


def test_numpy_values_without_a_nan_need_no_cleaning_pass(monkeypatch):
    """The tree-walking clean-up is for a NaN only; thousands of findings must not pay for it."""
    import shopdoc.report as reports

    expected = json.loads(render_json(report(gmv=47700.5, buyers=180)))

    def walk(value):
        raise AssertionError("cleaned a report that needed no cleaning")

    monkeypatch.setattr(reports, "_json_safe", walk)
    assert json.loads(render_json(report(gmv=np.float64(47700.5), buyers=np.int64(180)))) == expected


def test_the_schema_file_is_the_contract_and_catches_a_broken_report():
    """schema/report-2.schema.json is valid JSON Schema; a report missing a key or with money as a
    bare number (the /1 shape) fails it, so the autouse check in conftest can fail."""
    import jsonschema

    from conftest import _SCHEMA_PATH

    schema = json.loads(_SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(render(report(), "json"))
    jsonschema.validate(data, schema)
    old = json.loads(json.dumps(data))
    old["findings"][0]["money"] = 12.5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(old, schema)
    del data["details"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_details_are_compact_and_expand_back_to_every_subject():
    """Columns equal on every row become constants, repeated plan names codes into a dictionary, the
    keyword's subject is rebuilt from its plan and keyword: the rows read back exactly."""
    import pandas as pd

    from shopdoc.details import compact_table, expand_table
    from shopdoc.model import Block

    frame = pd.DataFrame({
        "subject": [f"keyword:计划{p}/词{n}" for p in range(3) for n in range(4)],
        "money": [1.5, 2.0, 0.0, 3.25] * 3, "currency": "CNY", "provisional": True,
        "campaign": [f"计划{p}" for p in range(3) for _ in range(4)], "keyword": [f"词{n}" for _ in range(3) for n in range(4)],
        "impressions": [1391.0, 1200.0, 800.0, 50.0] * 3, "roi": [2.98834, 1.2, None, 3.0] * 3,
    })
    block = Block("ads.roi_breakeven", "cut_bid", frame, "warning", "promotion", 70, "keyword",
                  evidence=("campaign", "keyword", "impressions", "roi"))
    table = compact_table(block)
    assert table["constants"] == {"currency": "CNY", "provisional": True}
    assert table["dictionaries"]["campaign"] == ["计划0", "计划1", "计划2"]
    assert table["subject"] == "keyword:{campaign}/{keyword}" and "subject" not in table["columns"]
    assert table["dictionaries"]["keyword"] == ["词0", "词1", "词2", "词3"]
    assert table["rows"][0] == [1.5, 0, 0, 1391, 2.9883]  # codes; counts as integers, rates rounded
    rows = expand_table(table)
    assert [r["subject"] for r in rows] == list(frame["subject"])
    assert rows[2]["roi"] is None and rows[5]["campaign"] == "计划1" and rows[5]["currency"] == "CNY"


def test_input_errors_and_data_warnings_carry_their_catalogue_code(tmp_path):
    """Programs read the reason code, people the words (in the report's language)."""
    from shopdoc.api import build_report, load
    from shopdoc.config import Config, merge

    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (tmp_path / "shop.csv").write_text("统计日期,访客数,支付转化率,支付金额\n2026-11-22,8000,130%,40000\n", encoding="utf-8")
    config = Config(merge({"shop": {"lang": "zh"}}))
    data = json.loads(render_json(build_report(load([str(tmp_path)], config), config)))
    by_path = {item["path"].rsplit("/", 1)[-1]: item for item in data["inputs"]}
    assert by_path["empty.csv"]["error_code"] == "input.file_empty"
    assert by_path["bad.xlsx"]["status"] == "error" and by_path["bad.xlsx"]["error_code"]
    assert by_path["bad.xlsx"]["error_code"] in __import__("shopdoc.messages").messages.CATALOGUE
    warnings = by_path["shop.csv"]["warnings"]
    assert warnings and all(w["code"] for w in warnings) and "100%" in warnings[0]["reason"]
