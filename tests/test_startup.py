"""Start-up stays light (SPEC §8: `--help` and `rules` under 150 ms; the timing itself is
`benchmarks/bench.py`'s job). What keeps it light is which modules a command imports, and that is
what these tests pin: each command runs in a fresh interpreter that reports the heavy modules it
ended up with.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "yaml", "rich", "pydantic", "openpyxl", "python_calamine", "sqlite3", "matplotlib", "PIL")

_RUN = """
import json, sys
watch = set(json.loads(sys.argv[2]))
sys.argv = ["shopdoc", *json.loads(sys.argv[1])]
from shopdoc.cli import main
try:
    main()
except SystemExit:
    pass
heavy = sorted({name.split(".")[0] for name in sys.modules} & watch)
sys.__stdout__.write("\\nHEAVY " + json.dumps(heavy) + "\\n")
"""


def heavy_modules(args: list[str], cwd: Path) -> list[str]:
    env = dict(os.environ, XDG_CONFIG_HOME=str(cwd / "xdg-config"), XDG_DATA_HOME=str(cwd / "xdg-data"))
    done = subprocess.run([sys.executable, "-c", _RUN, json.dumps(args), json.dumps(HEAVY)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)
    line = [text for text in done.stdout.splitlines() if text.startswith("HEAVY ")]
    assert line, done.stderr
    return json.loads(line[-1][len("HEAVY "):])


@pytest.mark.parametrize("args", [["--help"], ["rules"], ["rules", "--lang", "en"], ["explain", "ads.ctr_bid"],
                                  ["explain", "no.such_rule"]])
def test_describing_commands_import_nothing_heavy_without_a_config(tmp_path, args):
    assert heavy_modules(args, tmp_path) == []


def test_a_config_file_brings_yaml_and_only_yaml(tmp_path):
    (tmp_path / "shopdoc.yaml").write_text("shop:\n  name: 测试店\n", encoding="utf-8")
    assert heavy_modules(["rules"], tmp_path) == ["yaml"]


def test_subcommand_help_does_not_load_the_command(tmp_path):
    assert heavy_modules(["diagnose", "--help"], tmp_path) == []


def test_the_cli_framework_does_not_pull_pydantic(tmp_path):
    """typer 0.29 validates every option through pydantic (~170 ms a run); the pin keeps it out."""
    done = subprocess.run([sys.executable, "-c", "import typer, sys; print('pydantic' in sys.modules)"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False"
    assert heavy_modules(["rules", "--lang", "zh"], tmp_path) == []


def test_rule_modules_import_nothing_heavy():
    """Rules import pandas inside their functions: listing them must not pay for it."""
    code = ("import sys; from shopdoc.rules import load_rules; rules = load_rules(); "
            f"print(len(rules), sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    count, heavy = done.stdout.split(" ", 1)
    assert int(count) >= 17
    assert heavy.strip() == "[]"


def test_matplotlib_is_imported_only_when_a_chart_is_drawn(tmp_path):
    sample = str(ROOT / "sample_data")
    args = ["diagnose", sample, "--config", str(ROOT / "sample_data" / "shopdoc.yaml"), "--no-history", "-q"]
    text = heavy_modules([*args, "--format", "text", "-o", str(tmp_path / "r.txt")], tmp_path)
    assert "pandas" in text and "matplotlib" not in text and "PIL" not in text
    html = heavy_modules([*args, "--format", "html", "-o", str(tmp_path / "r.html")], tmp_path)
    assert "matplotlib" in html


def test_a_diagnose_run_freezes_what_it_read_and_gives_it_back(monkeypatch, tmp_path):
    """The CLI keeps what it read out of the cycle collector's passes (`gc.freeze` after reading) and
    unfreezes it when the command ends, so a process running many commands (the tests) collects as ever."""
    import gc

    from typer.testing import CliRunner

    from shopdoc.cli import app
    from shopdoc.commands import diagnose

    frozen = []
    original = diagnose.read_inputs

    def reading(*args, **kwargs):
        dataset = original(*args, **kwargs)
        frozen.append(gc.get_freeze_count())
        return dataset

    monkeypatch.setattr(diagnose, "read_inputs", reading)
    before = gc.get_freeze_count()
    result = CliRunner().invoke(app, ["diagnose", str(ROOT / "sample_data"), "--config", str(ROOT / "sample_data/shopdoc.yaml"),
                                      "--no-history", "--format", "json", "-o", str(tmp_path / "r.json")])
    assert result.exit_code in (0, 1), result.output
    assert frozen and frozen[0] > before  # the run's objects were frozen after reading
    assert gc.get_freeze_count() == 0 and gc.isenabled()
