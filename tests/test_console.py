"""Any console: the main commands under a GBK stdout (a Chinese Windows console, redirect or scheduled
task) and a UTF-8 one. Output never crashes on a character; what GBK lacks gets a plain equivalent.

Most runs are in-process with real text streams of the given encoding (what Python gives a process
whose console writes GBK); one runs the installed command with `PYTHONIOENCODING=gbk` end to end.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from shopdoc import console
from shopdoc.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
SHOPDOC = Path(sys.executable).parent / "shopdoc"


@pytest.fixture
def run_on(monkeypatch, tmp_path):
    """Run the entry point with stdout and stderr as text streams in `encoding`; give back the
    decoded output (decoding strictly: a wrong byte fails the test)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PYTHONIOENCODING", raising=False)

    def call(encoding: str, *args: str) -> SimpleNamespace:
        out = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict", newline="")
        err = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict", newline="")
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        monkeypatch.setattr(sys, "argv", ["shopdoc", *args])
        with pytest.raises(SystemExit) as stopped:
            main()
        out.flush()
        err.flush()
        return SimpleNamespace(code=stopped.value.code, encoding=out.encoding,
                               out=out.buffer.getvalue().decode(out.encoding),
                               err=err.buffer.getvalue().decode(err.encoding))

    return call


DIAGNOSE = ["diagnose", str(SAMPLE), "--config", str(SAMPLE / "shopdoc.yaml"), "--no-history"]


@pytest.mark.parametrize("args, plain", [
    (["--flavor", "dingtalk"], "【严重】"),
    (["--flavor", "slack"], "【严重】"),
    (["--format", "rich"], "[ ]"),
    (["--lang", "en", "--format", "text"], "CNY "),
    (["--lang", "en", "--flavor", "feishu"], "[critical]"),
])
def test_diagnose_on_a_gbk_console_writes_plain_equivalents(run_on, args, plain):
    result = run_on("gbk", *DIAGNOSE, *args)
    assert result.code == 0, result.err
    assert "internal error" not in result.err
    assert plain in result.out
    same = run_on("utf-8", *DIAGNOSE, *args)
    assert result.out.count("?") == same.out.count("?")  # nothing fell through to a bare "?"
    assert len(result.out.splitlines()) == len(same.out.splitlines())


@pytest.mark.parametrize("args, wanted", [
    (["--flavor", "dingtalk"], "🔴"),
    (["--format", "rich"], "☐"),
    (["--lang", "en", "--format", "text"], "¥"),
])
def test_diagnose_on_a_utf8_console_keeps_the_real_characters(run_on, args, wanted):
    result = run_on("utf-8", *DIAGNOSE, *args)
    assert result.code == 0 and wanted in result.out


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
@pytest.mark.parametrize("args", [["rules"], ["rules", "--lang", "en"], ["explain", "ads.ctr_bid"],
                                  ["inspect", str(SAMPLE)], ["history"], ["--help"], ["diagnose", "--help"]])
def test_describing_commands_on_both_consoles(run_on, encoding, args):
    result = run_on(encoding, *args)
    assert result.code == 0, result.err
    assert result.out.strip()


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_the_error_line_is_readable_on_both_consoles(run_on, tmp_path, encoding):
    result = run_on(encoding, "diagnose", str(tmp_path / "没有这个文件夹"))
    assert result.code == 2
    assert "没有这个文件夹" in result.err and "internal error" not in result.err


def test_an_ascii_locale_is_switched_to_utf8():
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    os.environ.pop("PYTHONIOENCODING", None)
    console.prepare_stream(stream)
    assert stream.encoding == "utf-8"


def test_plain_equivalents_follow_the_report_language():
    console.set_lang("en")
    try:
        assert console.plain("\U0001F534", "gbk") == "[critical]"
    finally:
        console.set_lang("zh")
    assert console.plain("\U0001F534", "gbk") == "【严重】"
    assert console.plain("\U0001F534", "ascii") == "[critical]"
    assert console.plain("☐", "gbk") == "[ ]"
    assert console.plain("¥", "gbk") == "CNY "
    assert console.plain("\u4e00", "ascii") == "?"


def test_installed_command_under_pythonioencoding_gbk():
    """End to end, as a Chinese Windows console or scheduled task runs it."""
    env = dict(os.environ, PYTHONIOENCODING="gbk")
    done = subprocess.run([str(SHOPDOC), *DIAGNOSE, "--flavor", "dingtalk"], capture_output=True, env=env,
                          timeout=60)
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    text = done.stdout.decode("gbk")  # strict: every byte is GBK
    assert "【严重】" in text and "demo-shop" in text
    missing = subprocess.run([str(SHOPDOC), "diagnose", "没有这个文件夹"], capture_output=True, env=env, timeout=60)
    assert missing.returncode == 2
    assert "没有这个文件夹" in missing.stderr.decode("gbk")
