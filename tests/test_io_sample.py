"""sample_data/ (the demo) reads completely, as the kinds, days and rows it was built with."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from shopdoc.config import load_config
from shopdoc.io import load_paths

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"

# file name -> (kind, format, header row, rows, first day, last day, ad level)
EXPECTED = {
    "DSR_店铺评分.xlsx": ("dsr", "xlsx", 1, 14, "2026-11-09", "2026-11-22", None),
    "【生意参谋平台】商品_全部_2026-11-16_2026-11-22.xls": ("item_daily", "xls", 5, 25 * 7, "2026-11-16", "2026-11-22", None),
    "【生意参谋平台】店铺整体_2026-11-09_2026-11-22.xls": ("shop_daily", "xls", 4, 14, "2026-11-09", "2026-11-22", None),
    "【生意参谋平台】无线店铺流量来源-2026-11-21_2026-11-22.csv": ("traffic_source", "csv", 6, 24, "2026-11-21", "2026-11-22", "source"),
    "万相台_计划报表_20261122_081502.zip": ("ad_report", "zip:csv", 1, 4, "2026-11-22", "2026-11-22", "campaign"),
    "直通车_关键词报表_20261116-20261122.csv": ("ad_report", "csv", 1, 30 * 7, "2026-11-16", "2026-11-22", "keyword"),
    "评价管理_2026-11-22.xlsx": ("review", "xlsx", 1, 61, "2026-11-20", "2026-11-22", None),
}


@pytest.fixture(scope="module")
def dataset():
    return load_paths([str(SAMPLE)], load_config(str(SAMPLE / "shopdoc.yaml")))


def test_every_sample_file_reads_as_built(dataset):
    seen = {}
    for item in dataset.inputs:
        assert item.status == "ok", (item.path, item.error)
        assert item.warnings == [], [w.line() for w in item.warnings]
        seen[Path(item.path).name] = (item.kind, item.file_format, item.header_row, item.rows, item.dates[0],
                                      item.dates[-1], item.level)
    assert seen == EXPECTED


def test_sample_report_day_and_the_demo_story(dataset):
    assert dataset.latest_date() == "2026-11-22"
    shop = dataset.frames["shop_daily"].set_index("date")
    day, before = shop.loc["2026-11-22"], shop.loc["2026-11-21"]
    assert day["bounce_rate"] == pytest.approx(0.724) and day["pages_per_visitor"] == 2.31
    assert day["gmv"] / before["gmv"] - 1 == pytest.approx(-0.15, abs=0.01)
    assert day["conversion_rate"] < day["peer_conversion_rate"]
    items = dataset.frames["item_daily"]
    today = items[items["date"] == "2026-11-22"].sort_values("visitors", ascending=False)
    hero = today.iloc[0]
    config = load_config(str(SAMPLE / "shopdoc.yaml"))
    assert hero["item_id"] == config.get("shop", "hero_item")
    assert day["aov"] / (hero["gmv"] / hero["buyers"]) == pytest.approx(1.18, abs=0.01)
    presale = today[(today["order_buyers"] > 0) & (today["buyers"] == 0)]
    assert len(presale) == 1 and presale["conversion_rate"].item() == 0.0
    sources = dataset.frames["traffic_source"]
    assert "汇总" not in set(sources["source_detail"])
    search = sources[sources["source_detail"] == "手淘搜索"].set_index("date")["visitors"]
    assert search["2026-11-22"] / search["2026-11-21"] - 1 == pytest.approx(-0.30, abs=0.01)


def test_sample_data_is_what_the_generator_builds(tmp_path):
    """Rebuilding gives the committed files byte for byte: nobody edits sample_data/ by hand."""
    spec = importlib.util.spec_from_file_location("make_sample_data", ROOT / "tools" / "make_sample_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    built = {path.name: path.read_bytes() for path in module.build(tmp_path)}
    committed = {path.name: path.read_bytes() for path in SAMPLE.iterdir() if path.is_file()}
    assert built.keys() == committed.keys()
    for name, data in built.items():
        assert data == committed[name], f"{name} differs: run tools/make_sample_data.py"


def test_sample_data_stays_small():
    assert sum(path.stat().st_size for path in SAMPLE.iterdir()) < 300_000
