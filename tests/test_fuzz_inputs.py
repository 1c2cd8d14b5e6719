"""Property-based fuzzing (hypothesis) of what turns an export's bytes into data: the value parsers,
the readers on random bytes and on real exports truncated or with bytes flipped, and a whole
morning run on a keyword report whose cells are hostile.

Whatever comes in: no exception escapes (a file or sheet that cannot be read is an error naming it,
never a crash of the run, and never the catch-all "please report this"), nothing hangs (each call has
a time bound), what comes out is bounded by the limits, and no number that is not finite gets past
the parsers. The examples are derandomized so CI sees the same ones every run; set
SHOPDOC_FUZZ_EXAMPLES (e.g. 2000) and SHOPDOC_FUZZ_RANDOM=1 to fuzz harder locally.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import tempfile
import time
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import exports
from hostile import keyword_rows, raw_xlsx, sheet_xml
from shopdoc.config import Config, defaults
from shopdoc.errors import InputError
from shopdoc.io import load_paths, values
from shopdoc.io.limits import Budget, Limits
from shopdoc.io.readers import HEADER_AREA, read_bytes

SCALE = int(os.environ.get("SHOPDOC_FUZZ_EXAMPLES", "0"))
RANDOM = os.environ.get("SHOPDOC_FUZZ_RANDOM") == "1"


def fuzz(examples: int):
    return settings(max_examples=SCALE or examples, deadline=None, derandomize=not RANDOM, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])


# Small limits, so that random inputs can reach them and the bounds are checked, not assumed.
LIMITS = Limits(max_file_mb=1, max_run_mb=4, max_rows=200, max_columns=30, max_cells=3000, max_cell_chars=500,
                max_zip_members=4)
SECONDS = 10  # one parse or read of a few kilobytes; a hang shows as far more
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HOSTILE_CELLS = ["1E+400", "-1e999", "inf", "-inf", "NaN", "∞", "1e-400", "9" * 400, "1,391", "54.94%", "2.5万",
                 "1.2亿", "--", "(12.50)", "¥34,895.00", "1.234,56", "00:01:23", "45:99:99", "2026-13-01",
                 "20261122", "2099-11-22", "0000-00-00", "2026-11-16~2026-11-22", "44000", "-0", "+", "%", "万",
                 "\x00", "\x1b[2J", "\x9b31m", "\u202e", "=HYPERLINK(\"http://x\")", "1.07E+11", "合计", "Total"]
cells = st.one_of(
    st.text(max_size=40),
    st.sampled_from(HOSTILE_CELLS),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
    st.none(),
    st.datetimes(),
)
columns = st.lists(cells, min_size=1, max_size=40)


# -- the value parsers ------------------------------------------------------------------------------

def bounded(call, *args, **kwargs):
    started = time.monotonic()
    result = call(*args, **kwargs)
    assert time.monotonic() - started < SECONDS, f"{call.__name__} took over {SECONDS} s"
    return result


@fuzz(300)
@given(columns, st.booleans(), st.booleans(), st.booleans())
def test_numbers_are_finite_or_missing_and_never_raise(raw, percent, percent_header, decimal_comma):
    series = pd.Series(raw, dtype=object)
    parsed, bad = bounded(values.numbers, series, percent=percent, percent_header=percent_header,
                          decimal_comma=decimal_comma)
    assert len(parsed) == len(series) and len(bad) == len(series)
    array = parsed.to_numpy(dtype="float64")
    assert not np.isinf(array).any(), list(zip(raw, array))
    assert bad.dtype == bool


@fuzz(200)
@given(columns)
def test_durations_ids_texts_and_dates_never_raise(raw):
    series = pd.Series(raw, dtype=object)
    seconds, _ = bounded(values.durations, series)
    assert len(seconds) == len(series) and not np.isinf(seconds.to_numpy(dtype="float64")).any()
    ids, _ = bounded(values.ids, series)
    assert len(ids) == len(series)
    texts = bounded(values.texts, series)
    assert not any(CONTROL.search(text) for text in texts if isinstance(text, str))
    days, _ = bounded(values.dates, series)
    for day in days:
        if isinstance(day, str) and day not in ("nan", "NaT", "None"):
            assert pd.Timestamp(day).strftime("%Y-%m-%d") == day  # a real day, written as ISO


# -- the readers: random bytes, and real exports truncated or with bytes flipped ---------------------

@lru_cache(maxsize=1)
def seeds() -> dict[str, bytes]:
    """One valid file of every format the readers know, built once."""
    rows = keyword_rows(30)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        built = {
            "kw.csv": exports.csv_bytes(rows),
            "kw_gbk.csv": exports.csv_bytes(rows, encoding="gbk"),
            "kw_utf16.txt": exports.csv_bytes(rows, encoding="utf-16", delimiter="\t"),
            "kw.xlsx": exports.write_xlsx(root / "kw.xlsx", rows).read_bytes(),
            "kw.xls": exports.write_xls(root / "kw.xls", rows).read_bytes(),
            "kw_html.xls": exports.html_bytes(rows),
            "kw.zip": exports.write_zip(root / "kw.zip", {"关键词.csv": exports.csv_bytes(rows),
                                                          "说明.csv": exports.csv_bytes(rows[:3])}).read_bytes(),
            "raw.xlsx": raw_xlsx({"关键词": sheet_xml(rows), "说明": sheet_xml(cells={"A1": "x", "C9": 1})}),
        }
    return built


@st.composite
def damaged(draw):
    """A seed cut short, with bytes flipped, or with random bytes spliced in."""
    name = draw(st.sampled_from(sorted(seeds())))
    data = bytearray(seeds()[name])
    for _ in range(draw(st.integers(0, 6))):
        where = draw(st.integers(0, len(data) - 1))
        data[where] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        where = draw(st.integers(0, len(data)))
        data[where:where] = draw(st.binary(max_size=64))
    if draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data)))]
    return name, bytes(data)


def check_tables(tables, data: bytes) -> None:
    for table in tables:
        if table.error is not None:
            assert isinstance(table.error, InputError) and table.error.line()
            assert "please report" not in table.error.line()
            continue
        assert len(table.rows) <= LIMITS.max_rows + HEADER_AREA
        width = max((len(row) for row in table.rows), default=0)
        assert width <= LIMITS.max_columns
        if table.file_format.endswith(("csv", "tsv")):
            assert all(len(str(cell)) <= LIMITS.max_cell_chars for row in table.rows for cell in row)
        else:
            assert len(table.rows) * width <= LIMITS.max_cells


def read_fuzzed(data: bytes, name: str):
    started = time.monotonic()
    try:
        tables = read_bytes("fuzz/" + name, data, name, limits=LIMITS, budget=Budget(LIMITS))
    except InputError as refused:  # the whole file: one line, naming it
        assert refused.line().startswith("fuzz/" + name) and "please report" not in refused.line()
        tables = []
    assert time.monotonic() - started < SECONDS
    check_tables(tables, data)


@fuzz(300)
@given(st.binary(max_size=4096), st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a.zip", "a.txt"]))
def test_random_bytes_are_read_or_refused_in_one_line(data, name):
    read_fuzzed(data, name)


@fuzz(300)
@given(st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<html><table>", b"\xef\xbb\xbf",
                        b"\xff\xfe", b"<?xml"]), st.binary(max_size=2048))
def test_random_bytes_behind_a_known_signature(signature, rest):
    read_fuzzed(signature + rest, "a.bin")


@fuzz(400)
@given(damaged())
def test_damaged_exports_are_read_or_refused_in_one_line(case):
    name, data = case
    read_fuzzed(data, name)


@fuzz(60)
@given(damaged())
def test_damaged_files_through_the_whole_reading_never_lose_the_good_file(tmp_path, case):
    """From the path on (sniffing, calamine from the path, detection, normalising): the damaged file
    is ok, empty, unrecognised or one error; the good file beside it is always read."""
    name, data = case
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / name).write_bytes(data)
    good = exports.write_csv(folder / "直通车_关键词_好.csv", keyword_rows(5))
    config = Config(defaults())
    config.data["inputs"]["limits"] = {field: getattr(LIMITS, field) for field in ("max_file_mb", "max_rows",
                                                                                  "max_columns", "max_cells",
                                                                                  "max_cell_chars", "max_zip_members")}
    started = time.monotonic()
    dataset = load_paths([str(folder)], config)
    assert time.monotonic() - started < SECONDS
    statuses = {(item.path, item.sheet): item for item in dataset.inputs}
    assert statuses[(str(good), None)].status == "ok"
    for item in dataset.inputs:
        assert item.status in ("ok", "empty", "unrecognised", "error")
        assert "please report" not in (item.error or ""), item.error
        for frame in dataset.frames.values():
            numeric = frame.select_dtypes("number").to_numpy(dtype="float64")
            assert not np.isinf(numeric).any()


# -- a whole morning run on hostile cells ------------------------------------------------------------

@fuzz(15)
@given(st.lists(st.tuples(st.integers(1, 12), st.integers(0, 9), cells), min_size=1, max_size=12),
       st.sampled_from(["json", "text", "markdown"]))
def test_a_keyword_report_with_hostile_cells_still_gives_a_bounded_report(cli, tmp_path, edits, fmt):
    rows = keyword_rows(12)
    for row, column, value in edits:
        rows[row][column] = "" if value is None else value
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    exports.write_csv(folder / "直通车_关键词报表_20261122.csv", rows, encoding="utf-8")
    started = time.monotonic()
    run = cli("diagnose", str(folder), "--no-history", "--format", fmt)
    assert time.monotonic() - started < 30
    assert run.code in (0, 1, 2, 3), run.err
    assert "Traceback" not in run.err and "please report" not in run.err and "internal error" not in run.err
    assert all(line.startswith("shopdoc: ") for line in run.err.splitlines() if line.strip()), run.err
    assert len(run.out) < 100_000  # twelve rows make a short report, whatever they hold
    assert not CONTROL.search(run.out)
    for word in ("Infinity", "inf 元", "nan 元", "NaN"):
        assert word not in run.out
    if fmt == "json" and run.code != 2:
        report = json.loads(run.out, parse_constant=lambda name: pytest.fail(f"{name} in the JSON"))
        assert all(math.isfinite(f["money"]) for f in report["findings"] if f.get("money") is not None)
