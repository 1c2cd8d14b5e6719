"""`load_paths` reads files side by side: what lands in the Dataset must not depend on which read
finished first, a reader's failure stays that file's error, and the progress hook hears of every file."""

from __future__ import annotations

import threading
import time

import pytest

import exports
import shopdoc.io as io
from shopdoc.config import Config, defaults, merge
from shopdoc.io import load_paths
from shopdoc.progress import Progress


@pytest.fixture(scope="module")
def config() -> Config:
    return Config(merge({"shop": {"lang": "en"}}))


def keywords(day: str, keyword: str, clicks: int) -> list[dict]:
    return [{"日期": day, "推广计划": "羊毛衫-计划01", "推广单元": "单元01", "关键词": keyword, "出价": 1.2,
             "展现量": 1000, "点击量": clicks, "点击率": clicks / 1000, "花费": clicks * 1.1, "总成交金额": 236.0,
             "总成交笔数": 1}]


@pytest.fixture
def folder(tmp_path):
    """Two keyword reports of different days and a DSR file, the first one biggest."""
    exports.ztc_keywords(tmp_path / "a_关键词报表_20261121.csv",
                         keywords("2026-11-21", "羊毛衫女", 40) * 300, total=True)
    exports.ztc_keywords(tmp_path / "b_关键词报表_20261122.csv", keywords("2026-11-22", "高领毛衣", 20))
    exports.dsr_xlsx(tmp_path / "c_DSR.xlsx", [{"日期": "2026-11-22", "描述相符": 4.8, "服务态度": 4.8, "物流服务": 4.7}])
    (tmp_path / "d_报表.csv").write_bytes(b"%PDF-1.4 not an export")
    return tmp_path


def slowed(monkeypatch, seconds: dict[str, float]) -> None:
    """Reads of the named files take longer, so they finish after the others."""
    read = io._read

    def late(path, progress, *budget):
        for name, delay in seconds.items():
            if path.endswith(name):
                time.sleep(delay)
        return read(path, progress, *budget)

    monkeypatch.setattr(io, "_read", late)


def summary(dataset) -> tuple:
    frame = dataset.frames["ad_report"]
    return ([(i.path, i.status, i.rows, i.error, [w.reason for w in i.warnings]) for i in dataset.inputs],
            frame["keyword"].tolist(), frame["_row"].tolist())


def test_the_dataset_is_in_input_order_whatever_read_finishes_first(folder, config, monkeypatch):
    plain = summary(load_paths([str(folder)], config))
    assert [path.rsplit("/", 1)[1] for path, *_ in plain[0]] == [
        "a_关键词报表_20261121.csv", "b_关键词报表_20261122.csv", "c_DSR.xlsx", "d_报表.csv"]
    assert plain[1][0] == "羊毛衫女" and plain[1][-1] == "高领毛衣"  # rows of a, then of b
    slowed(monkeypatch, {"a_关键词报表_20261121.csv": 0.3, "c_DSR.xlsx": 0.2})
    assert summary(load_paths([str(folder)], config)) == plain


def test_a_bug_in_a_reader_is_that_files_error_not_a_crash(folder, config, monkeypatch):
    from shopdoc.io import readers

    read_tables = readers.read_tables

    def broken(path, *limits):
        if path.endswith("c_DSR.xlsx"):
            raise RuntimeError("index out of range")
        return read_tables(path, *limits)

    monkeypatch.setattr(readers, "read_tables", broken)
    dataset = load_paths([str(folder)], config)
    statuses = {item.path.rsplit("/", 1)[1]: (item.status, item.error) for item in dataset.inputs}
    assert statuses["c_DSR.xlsx"] == (
        "error", "could not be read (RuntimeError: index out of range) — please report this with the file")
    assert statuses["a_关键词报表_20261121.csv"][0] == statuses["b_关键词报表_20261122.csv"][0] == "ok"
    assert statuses["d_报表.csv"][0] == "error" and "%PDF" in statuses["d_报表.csv"][1]


class Recorder(Progress):
    def __init__(self) -> None:
        self.announced: list[str] = []
        self.read: list[str] = []
        self.threads: set[str] = set()
        self._lock = threading.Lock()

    def files(self, paths: list[str]) -> None:
        self.announced.extend(paths)

    def reading(self, path: str):
        with self._lock:
            self.read.append(path)
            self.threads.add(threading.current_thread().name)
        return super().reading(path)


def test_the_progress_hook_hears_of_every_file_before_and_during_the_read(folder, config):
    recorder = Recorder()
    dataset = load_paths([str(folder)], config, progress=recorder)
    paths = [item.path for item in dataset.inputs]
    assert recorder.announced == paths
    assert sorted(recorder.read) == sorted(paths)
    assert all(name.startswith("shopdoc-read") for name in recorder.threads)  # read off the main thread


def test_reads_start_with_the_biggest_file(tmp_path):
    for name, size in (("small.csv", 10), ("big.xlsx", 5000), ("middle.csv", 300), ("same.csv", 300)):
        (tmp_path / name).write_bytes(b"x" * size)
    files = {number: str(tmp_path / name) for number, name in
             enumerate(["small.csv", "middle.csv", "gone.csv", "big.xlsx", "same.csv"])}
    order = [files[number].rsplit("/", 1)[1] for number, _ in io._biggest_first(files)]
    assert order == ["big.xlsx", "middle.csv", "same.csv", "small.csv", "gone.csv"]  # ties keep input order
