"""The config: YAML errors with line and column, validated values with key paths, rule overrides
reflected in findings, every command refusing an invalid file, and one source for the defaults."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from shopdoc.commands.info import render_starter
from shopdoc.config import Config, defaults, load_config, merge
from shopdoc.dataset import Dataset
from shopdoc.engine import run_rules
from shopdoc.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]
DAY = "2026-11-22"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- reading and validating ------------------------------------------------------------------------
def test_broken_yaml_names_file_line_and_column(tmp_path):
    path = write(tmp_path / "shopdoc.yaml", "shop:\n  name: demo\n  gross_margin: [0.3\nrules: {}\n")
    with pytest.raises(ConfigError) as error:
        load_config(str(path))
    message = error.value.line()
    assert message.startswith(f"{path}: line 4, column ")
    assert "fix the YAML syntax" in message


def test_invalid_threshold_is_refused_with_key_path_and_reason(tmp_path):
    path = write(tmp_path / "shopdoc.yaml", "rules:\n  page:\n    bounce_rate:\n      critical: 70\n")
    with pytest.raises(ConfigError) as error:
        load_config(str(path))
    assert error.value.line() == f"{path}: rules.page.bounce_rate.critical: must be a fraction between 0 and 1, got 70"


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ({"shopp": {"name": "x"}}, "shopp: unknown setting — did you mean 'shop'?"),
        ({"shop": {"gross_margn": 0.3}}, "shop.gross_margn: unknown setting — did you mean 'gross_margin'?"),
        ({"rules": {"page.bounce_rat": {"critical": 0.7}}}, "did you mean 'page.bounce_rate'?"),
        ({"rules": {"page": {"bounce_rate": {"critcal": 0.7}}}}, "rules.page.bounce_rate.critcal: unknown setting — did you mean 'critical'?"),
        ({"rules": {"page.bounce_rate": {"severity": "fatal"}}}, "must be one of critical, warning, info, got 'fatal'"),
        ({"rules": {"page.bounce_rate": {"owner": "boss"}}}, "rules.page.bounce_rate.owner: must be one of operations"),
        ({"shop": {"lang": "fr"}}, "shop.lang: must be one of zh, en, got 'fr'"),
    ],
)
def test_unknown_or_wrong_keys_say_what_was_meant(user, expected):
    with pytest.raises(ConfigError) as error:
        merge(user)
    assert expected in error.value.line()


def test_nested_and_dotted_rule_keys_mean_the_same():
    nested = merge({"rules": {"page": {"bounce_rate": {"critical": 0.65}}}})
    dotted = merge({"rules": {"page.bounce_rate": {"critical": 0.65}}})
    assert nested["rules"]["page.bounce_rate"]["critical"] == 0.65
    assert nested == dotted
    assert nested["rules"]["page.bounce_rate"]["aim"] == 0.60  # the rest keeps its default


def test_hero_item_written_as_a_number_is_an_item_id():
    assert merge({"shop": {"hero_item": 5531}})["shop"]["hero_item"] == "5531"


def test_empty_file_means_defaults(tmp_path):
    path = write(tmp_path / "shopdoc.yaml", "# nothing yet\n")
    assert load_config(str(path)).data == defaults()


# -- overrides reflected in the findings ------------------------------------------------------------
def shop_dataset(bounce: float) -> Dataset:
    frame = pd.DataFrame([{"date": DAY, "visitors": 8120.0, "pageviews": 32480.0, "bounce_rate": bounce,
                           "_file": "店铺.csv", "_row": 2}])
    return Dataset(frames={"shop_daily": frame})


def bounce_findings(user: dict, bounce: float = 0.75):
    state = run_rules(shop_dataset(bounce), Config(merge(user)), DAY, "zh")
    return [f for f in state.findings if f.rule == "page.bounce_rate"], state


def test_rule_switched_off_is_skipped_and_says_so():
    found, state = bounce_findings({"rules": {"page": {"bounce_rate": False}}})
    assert found == []
    assert {s.rule: s.reason for s in state.skipped}["page.bounce_rate"] == "配置中已关闭"
    found, _ = bounce_findings({"rules": {"page.bounce_rate": {"enabled": False}}})
    assert found == []


def test_severity_and_owner_changed_in_config_show_in_findings():
    found, _ = bounce_findings({"rules": {"page.bounce_rate": {"severity": "warning", "owner": "operations"}}})
    assert [(f.severity, f.owner) for f in found] == [("warning", "operations")]


def test_threshold_changed_in_config_moves_the_line():
    assert bounce_findings({}, bounce=0.66)[0][0].severity == "info"
    found, _ = bounce_findings({"rules": {"page.bounce_rate": {"critical": 0.65}}}, bounce=0.66)
    assert [(f.severity, f.evidence["threshold"]) for f in found] == [("critical", 0.65)]


# -- every command refuses an invalid config ----------------------------------------------------------
BAD = "rules:\n  page:\n    bounce_rate:\n      critical: 70\n"
REASON = "rules.page.bounce_rate.critical: must be a fraction between 0 and 1, got 70"


@pytest.mark.parametrize(
    "args",
    [
        ["diagnose", ".", "--no-history"],
        ["rules"],
        ["explain", "page.bounce_rate"],
        ["inspect", "."],
        ["history"],
        ["snooze", "--list"],
    ],
)
def test_every_command_refuses_an_invalid_config_with_exit_2(cli, tmp_path, args):
    bad = write(tmp_path / "bad.yaml", BAD)
    result = cli(*args, "--config", str(bad))
    assert result.code == 2
    assert result.err.strip() == f"shopdoc: {bad}: {REASON}"
    assert "Traceback" not in result.err and result.out == ""


def test_invalid_config_found_in_the_current_folder_is_refused_too(cli, tmp_path):
    write(tmp_path / "shopdoc.yaml", BAD)
    result = cli("rules")
    assert result.code == 2
    assert REASON in result.err


def test_missing_config_file_is_one_line(cli):
    result = cli("rules", "--config", "nope.yaml")
    assert result.code == 2
    assert result.err.strip() == "shopdoc: config file not found: nope.yaml — check the --config path"


# -- one source for the defaults ------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_starter_config_loads_back_equal_to_the_defaults(lang):
    text = render_starter(lang)
    assert merge(yaml.safe_load(text)) == defaults()
    # every threshold appears with its help text
    for rule_id, settings in defaults()["rules"].items():
        assert f"    {rule_id.split('.', 1)[1]}:\n" in text, rule_id


def test_starter_comments_speak_the_users_language():
    zh, en = render_starter("zh"), render_starter("en")
    assert "# 跳失率达到或超过这个值：页面不及格，默认 70%" in zh
    assert "# At or above this bounce rate the pages fail (default 70%)" in en
    cron = ("30 7 * * * . /home/me/shop/shopdoc.env && cd /home/me/shop && /home/me/.local/bin/shopdoc diagnose "
            "--send dingtalk >> shopdoc.log 2>&1")
    assert f"#   {cron}" in zh and f"#   {cron}" in en
    assert "#   schtasks /Create /SC DAILY /ST 07:30 /TN shopdoc" in zh
    # inputs.kinds / inputs.aliases examples are there, commented out, and valid once uncommented
    lines = zh.splitlines()
    start = lines.index("# inputs:")
    end = lines.index("", start)
    example = yaml.safe_load("\n".join(line[2:] for line in lines[start:end]))
    assert merge(example)["inputs"]["kinds"] == {"店铺整体*.xls": "shop_daily"}


def test_repository_config_is_exactly_the_rendered_starter():
    """config/shopdoc.yaml is `shopdoc init config --lang zh --force`; regenerate it when rules change."""
    shipped = (REPO / "config" / "shopdoc.yaml").read_text(encoding="utf-8")
    assert shipped == render_starter("zh"), (
        "config/shopdoc.yaml drifted from the defaults: run `shopdoc init config --lang zh --force`"
    )


# -- where the config and the history live: the platform's own folders (platformdirs) ------------------
def test_config_and_history_folders_follow_the_platform(monkeypatch, tmp_path):
    import platformdirs
    from platformdirs.macos import MacOS
    from platformdirs.windows import Windows

    from shopdoc.config import user_config_dir, user_data_dir
    from shopdoc.history.store import history_path

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    if platformdirs.PlatformDirs.__name__ == "Unix":  # Linux: XDG
        assert user_config_dir() == tmp_path / "xdg-config" / "shopdoc"
        assert user_data_dir() == tmp_path / "xdg-data" / "shopdoc"
        assert history_path(None, Config(defaults())).parent == tmp_path / "xdg-data" / "shopdoc"

    monkeypatch.setattr(platformdirs, "PlatformDirs", Windows)  # %APPDATA% roams, the history stays local
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", r"C:\Users\me\AppData\Roaming")
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", r"C:\Users\me\AppData\Local")
    assert str(user_config_dir()).replace("\\", "/") == "C:/Users/me/AppData/Roaming/shopdoc"
    assert str(user_data_dir()).replace("\\", "/") == "C:/Users/me/AppData/Local/shopdoc"

    monkeypatch.setattr(platformdirs, "PlatformDirs", MacOS)
    monkeypatch.delenv("XDG_CONFIG_HOME")  # (platformdirs honours XDG on a Mac too, when it is set)
    monkeypatch.delenv("XDG_DATA_HOME")
    assert str(user_config_dir()).endswith("Library/Application Support/shopdoc")
    assert str(user_data_dir()).endswith("Library/Application Support/shopdoc")
