"""Exports as operators really download them (issue 11): genuine 生意参谋 .xls whose code page lies,
every currency, every way of writing a date range, detail tables that are not the shop's day.

Each test builds its file the way the real export is laid out; where the layout comes from a real
public file or from public code that reads such files, the source is noted beside the test.
"""

from __future__ import annotations

import re

import pytest

import exports
from shopdoc.config import Config, defaults
from shopdoc.io import load_paths

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def config() -> Config:
    return Config(defaults())


def only(dataset):
    assert len(dataset.inputs) == 1, [i.error for i in dataset.inputs]
    item = dataset.inputs[0]
    assert item.status == "ok", item.error
    return item


# -- decoding that checks itself ---------------------------------------------------------------------

@pytest.mark.parametrize("codepage", [1252, 936])
def test_sycm_xls_whose_codepage_disagrees_with_its_strings(tmp_path, config, codepage):
    # Genuine 2017 生意参谋 .xls downloads say CODEPAGE 1252 while their strings are UTF-16:
    # python-calamine then reads 来源名称 as `eg\x90n\rTðy` and the file was refused.
    rows = exports.sycm_item_rows([
        {"统计日期": "2017-05-01", "商品ID": "5531", "商品名称": "加厚羊毛衫女冬", "商品访客数": 1391,
         "支付金额": 10384.0, "商品支付转化率": 0.0316},
        {"统计日期": "2017-05-01", "商品ID": "7781", "商品名称": "羊绒围巾", "商品访客数": 233, "支付金额": 990.5},
    ], "2017-05-01", "2017-05-01")
    path = exports.write_xls_codepage(tmp_path / "【生意参谋平台】商品_全部_2017-05-01_2017-05-01.xls",
                                      {"商品效果": rows}, codepage=codepage)
    dataset = load_paths([str(path)], config)
    item = only(dataset)
    assert (item.kind, item.header_row, item.rows) == ("item_daily", 5, 2)
    assert item.columns["商品访客数"] == "visitors"
    assert not any(CONTROL.search(header) for header in item.columns)
    frame = dataset.frames["item_daily"]
    assert frame["item_name"].tolist() == ["加厚羊毛衫女冬", "羊绒围巾"]
    assert frame["visitors"].tolist() == [1391, 233]
    assert frame["date"].tolist() == ["2017-05-01", "2017-05-01"]


def test_a_clean_xls_is_read_by_calamine_alone(tmp_path, config):
    rows = exports.sycm_item_rows([{"统计日期": "2026-11-22", "商品ID": "5531", "商品访客数": 10}],
                                  "2026-11-22", "2026-11-22")
    path = exports.write_xls(tmp_path / "商品.xls", rows)
    item = only(load_paths([str(path)], config))
    assert item.encoding is None  # no second reading


def test_control_characters_in_headers_never_reach_the_error_line(tmp_path, config):
    path = tmp_path / "odd.csv"
    path.write_bytes('"名称\r\x1b[31m","数量\x07",说明\n甲,1,2\n乙,3,4\n'.encode("utf-8"))
    dataset = load_paths([str(path)], config)
    [item] = dataset.inputs
    assert item.status == "unrecognised"
    assert not CONTROL.search(item.error), item.error
    assert "\r" not in item.error and "\n" not in item.error
