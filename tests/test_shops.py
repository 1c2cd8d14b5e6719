"""Many shops in one config (issue 17): `shops:` settings over shared defaults, where each shop's
exports are, `--shop NAME` for one of them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from shopdoc.config import load_config
from shopdoc.errors import ConfigError, UsageError
from shopdoc.shops import data_paths, resolve_data_dir

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def exports(folder: Path) -> Path:
    """The demo shop's exports (sample_data) copied into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in SAMPLE.iterdir():
        if item.name != "shopdoc.yaml":
            shutil.copy(item, folder / item.name)
    return folder


def config_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "agency.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


AGENCY = """
shop:
  gross_margin: 0.3
  currency: CNY
owners:
  推广: dingtalk
rules:
  page.bounce_rate:
    critical: 0.8
shops:
  tmall:
    data_dir: exports/tmall/{date}
    hero_item: 5531
    monthly_target: 1200000
    promotions: ["2026-11-18..2026-11-20 店庆"]
  amazon-us:
    data_dir: exports/amazon/*.csv
    currency: USD
    gross_margin: 0.45
    send_to: slack
    owners:
      客服: [wecom]
    rules:
      page.bounce_rate:
        min_visitors: 300
"""


def test_each_shop_is_its_settings_over_the_shared_ones(tmp_path):
    config = load_config(config_file(tmp_path, AGENCY))
    assert config.shops == ["tmall", "amazon-us"]
    tmall, amazon = config.shop("tmall"), config.shop("amazon-us")
    assert tmall.shop_name == "tmall" and amazon.shop_name == "amazon-us"
    assert tmall.get("shop", "hero_item") == "5531"
    assert tmall.rule_settings("sales.daily_target")["monthly_target"] == 1200000
    assert amazon.rule_settings("sales.daily_target")["monthly_target"] is None
    assert (tmall.get("shop", "currency"), amazon.get("shop", "currency")) == ("CNY", "USD")
    assert (tmall.get("shop", "gross_margin"), amazon.get("shop", "gross_margin")) == (0.3, 0.45)
    # a section merges key by key: the shared critical stays, the shop's guard is added
    assert amazon.rule_settings("page.bounce_rate")["critical"] == 0.8
    assert amazon.rule_settings("page.bounce_rate")["min_visitors"] == 300
    assert tmall.data["owners"] == {"promotion": ["dingtalk"]}
    assert amazon.data["owners"] == {"promotion": ["dingtalk"], "service": ["wecom"]}
    assert (tmall.data["send_to"], amazon.data["send_to"]) == ([], ["slack"])
    assert amazon.is_set("shop", "gross_margin") and tmall.is_set("shop", "gross_margin")
    # each shop its own calendar: the shop's days over the platform's (Western for a dollar shop)
    from shopdoc.promotions import shop_promotions

    assert shop_promotions(tmall)("2026-11-19", "2026-11-19") == {"2026-11-19": ("店庆", "sale")}
    assert shop_promotions(amazon)("2026-11-27", "2026-11-27")["2026-11-27"][0] == "Black Friday / Cyber Monday"


@pytest.mark.parametrize("text, message", [
    ("shops:\n  a:\n    gross_margin: 3\n", "shops.a.gross_margin: must be a fraction between 0 and 1, got 3"),
    ("shops:\n  a:\n    monthly_target: -5\n", "shops.a.monthly_target: must be a number above 0"),
    ("shops:\n  a:\n    rules:\n      page.bounce_rate:\n        critical: 70\n",
     "shops.a.rules.page.bounce_rate.critical: must be a fraction between 0 and 1, got 70"),
    ("shops:\n  a:\n    colour: red\n", "shops.a.colour: unknown setting"),
    ("shops:\n  a:\n    promotions: [\"双11\"]\n", "shops.a.promotions: each entry is `YYYY-MM-DD..YYYY-MM-DD name`"),
    ("shops:\n  a:\n    shop:\n      name: b\n", "shops.a.shop.name: a shop is named by its key"),
    ("shops:\n  a:\n    history:\n      path: x.db\n", "shops.a.history: one history file holds every shop"),
    ("shops:\n  a/b:\n    currency: USD\n", "shops.a/b: a shop name is also a file name"),
    ("shops:\n  - a\n", "shops: must be a mapping"),
    ("owners:\n  美术: dingtalk\n", "owners.美术: unknown team — one of 运营 (operations), 推广 (promotion)"),
    ("owners:\n  推广: 3\n", "owners.推广: must be a chat target or a list of them"),
    ("shops:\n  a:\n    send_to: []\n", "shops.a.send_to: must be a chat target or a list of them"),
])
def test_a_wrong_shop_setting_is_named_by_its_key_path(tmp_path, text, message):
    with pytest.raises(ConfigError) as caught:
        load_config(config_file(tmp_path, text))
    assert message in caught.value.line()


def test_an_unknown_shop_is_a_usage_error_with_a_suggestion(tmp_path):
    config = load_config(config_file(tmp_path, AGENCY))
    with pytest.raises(UsageError, match="did you mean 'tmall'"):
        config.shop("tmal")


def test_data_dir_date_stamped_folders_and_globs(tmp_path):
    for day in ("2026-11-20", "2026-11-21", "20261122", "not-a-day"):
        (tmp_path / "tmall" / day).mkdir(parents=True)
    pattern = str(tmp_path / "tmall" / "{date}")
    assert resolve_data_dir(pattern) == [str(tmp_path / "tmall" / "20261122")]  # the latest
    assert resolve_data_dir(pattern, "2026-11-21") == [str(tmp_path / "tmall" / "2026-11-21")]
    assert resolve_data_dir(pattern, "2026-11-20") == [str(tmp_path / "tmall" / "2026-11-20")]
    assert resolve_data_dir(pattern, "2026-11-19") == [str(tmp_path / "tmall" / "2026-11-19")]  # named as missing
    (tmp_path / "amazon").mkdir()
    for name in ("b.csv", "a.csv", "notes.txt"):
        (tmp_path / "amazon" / name).write_text("x")
    assert resolve_data_dir(str(tmp_path / "amazon" / "*.csv")) == [str(tmp_path / "amazon" / n) for n in ("a.csv", "b.csv")]
    assert resolve_data_dir(str(tmp_path / "none" / "*.csv")) == [str(tmp_path / "none" / "*.csv")]


def test_data_paths_of_a_one_shop_config(tmp_path):
    config = load_config(config_file(tmp_path, f"shop:\n  data_dir: {tmp_path}\n"))
    assert data_paths(config) == [str(tmp_path)]
    assert load_config(config_file(tmp_path, "shop: {}\n")).shops == []


def test_diagnose_shop_runs_one_shop_of_the_config(cli, tmp_path):
    exports(tmp_path / "exports" / "tmall" / "2026-11-22")
    config_file(tmp_path, AGENCY)
    result = cli("diagnose", "--config", "agency.yaml", "--shop", "tmall", "--format", "json", "--no-history")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["shop"] == "tmall" and report["date"] == "2026-11-22"
    assert any(item["status"] == "ok" for item in report["inputs"])


def test_a_config_with_shops_needs_a_shop_or_all(cli, tmp_path):
    config_file(tmp_path, AGENCY)
    result = cli("diagnose", "--config", "agency.yaml", "--no-history")
    assert result.code == 2
    assert "--shop NAME" in result.err and "--all" in result.err
    result = cli("diagnose", "--config", "agency.yaml", "--shop", "tmal", "--no-history")
    assert result.code == 2 and "did you mean 'tmall'" in result.err


def test_shop_without_shops_section_still_names_the_shop(cli, tmp_path):
    exports(tmp_path / "data")
    result = cli("diagnose", "data", "--shop", "my-other-shop", "--format", "json", "--no-history")
    assert result.code == 0, result.err
    assert json.loads(result.out)["shop"] == "my-other-shop"
