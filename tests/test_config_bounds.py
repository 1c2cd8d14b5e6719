"""Config files that are hostile or wrong: bounded, validated, refused with the key path, never echoing secrets."""

from __future__ import annotations

import pytest

from hostile import GIB, run_shopdoc

BILLION_LAUGHS = "".join(
    f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9 if prev else ['"lol"'] * 9) + "]\n"
    for prev, name in zip([None, "a", "b", "c", "d", "e", "f", "g"], "abcdefgh"))


@pytest.mark.parametrize("text, expected", [
    (BILLION_LAUGHS, "aliases (*name) expand to more than 100,000 values"),
    ("a: " + "[" * 3000 + "]" * 3000 + "\n", "nested more than 40 levels deep"),
    ("snooze:\n  - {rule: pricing.price_tail, until: 2026-13-01}\n", "snooze[0].until: must be a day as YYYY-MM-DD"),
    ("shop:\n  gross_margin: .nan\n", "shop.gross_margin: must be a fraction between 0 and 1, got nan"),
    ("rules:\n  sales.daily_target:\n    monthly_target: .inf\n", "rules.sales.daily_target.monthly_target: must be a number above 0"),
    ("rules:\n  item.conversion_drop:\n    window_days: 99999999999999999999\n",
     "rules.item.conversion_drop.window_days: must be a whole number"),
    ("rules:\n  item.conversion_drop:\n    window_days: 100000\n", "must be at most 3,660 days"),
    ("inputs:\n  aliases:\n    item_daily:\n      vistors: [UV]\n", "inputs.aliases.item_daily.vistors: unknown field of item_daily — did you mean 'visitors'?"),
    ("inputs:\n  limits:\n    max_row: 10\n", "inputs.limits.max_row: unknown setting — did you mean 'max_rows'?"),
    ("inputs:\n  limits:\n    max_rows: -1\n", "inputs.limits.max_rows: must be a whole number above 0"),
])
def test_bad_config_is_one_line_with_file_and_key_fast_and_small(tmp_path, text, expected):
    config = tmp_path / "shopdoc.yaml"
    config.write_text(text, encoding="utf-8")
    run = run_shopdoc("rules", "--config", str(config), cwd=tmp_path, timeout=20)
    assert run.code == 2
    assert len(run.lines) == 1 and str(config.name) in run.lines[0] and expected in run.lines[0], run.err
    assert run.seconds < 10 and run.peak_bytes < GIB


@pytest.mark.parametrize("text", [
    "send:\n  targets:\n    ops: {platform: 'https://oapi.dingtalk.com/robot/send?access_token=5f3a9c0e1d2b4a6f8e7d', webhook_env: OPS}\n",
    "send:\n  targets:\n    ops: {platform: dingtalk, webhook_env: ['https://oapi.dingtalk.com/robot/send?access_token=5f3a9c0e1d2b4a6f8e7d']}\n",
    "shop:\n  name: ['https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX']\n",
    "'https://oapi.dingtalk.com/robot/send?access_token=5f3a9c0e1d2b4a6f8e7d': 1\n",
])
def test_config_errors_never_echo_a_url_or_secret(tmp_path, text):
    from shopdoc.config import ConfigError, merge, read_yaml

    config = tmp_path / "shopdoc.yaml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        merge(read_yaml(config), source=str(config))
    line = refused.value.line()
    assert "5f3a9c0e1d2b4a6f8e7d" not in line and "XXXXXXXX" not in line and "://" not in line, line
