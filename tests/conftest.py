"""Shared test fixtures: every test runs as a clean user, and `cli` drives the real entry point."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from shopdoc.cli import main


@pytest.fixture(autouse=True)
def clean_user(tmp_path_factory, monkeypatch):
    """No personal config, a throw-away data dir (history), a Chinese locale: as on a fresh machine.
    Subprocesses started by a test inherit the same environment."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    # The morning after the test exports' day (2026-11-22), so their data is fresh; tests of
    # staleness move the day themselves.
    monkeypatch.setenv("SHOPDOC_TODAY", "2026-11-23")


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path):
    """Run the real entry point in-process from `tmp_path` (stdout is not a TTY, as under cron):
    `cli("diagnose", ...)` gives code, out and err."""
    monkeypatch.chdir(tmp_path)

    def call(*args: str) -> SimpleNamespace:
        monkeypatch.setattr(sys, "argv", ["shopdoc", *args])
        capsys.readouterr()
        with pytest.raises(SystemExit) as stopped:
            main()
        out, err = capsys.readouterr()
        return SimpleNamespace(code=stopped.value.code, out=out, err=err)

    return call


# -- every report the tests produce validates against the JSON Schema (schema/report-2.schema.json) --
_SCHEMA_PATH = __import__("pathlib").Path(__file__).resolve().parent.parent / "schema" / "report-2.schema.json"


@pytest.fixture(autouse=True)
def report_schema(monkeypatch):
    """Wrap `Report.to_dict`: whatever a test renders (JSON, chat, history) is checked on the way,
    against the schema and for keys that are unique in the report."""
    import json

    import jsonschema

    from shopdoc.model import Report

    validator = _validator(json.loads(_SCHEMA_PATH.read_text(encoding="utf-8")), jsonschema)
    original = Report.to_dict

    def checked(self, **options):
        data = original(self)  # with its details made, even when the caller asks for them lazily
        plain = json.loads(json.dumps(data, ensure_ascii=False, default=str))
        errors = sorted(validator.iter_errors(plain), key=lambda e: list(e.path))
        assert not errors, f"report does not match {_SCHEMA_PATH.name}: " + "; ".join(
            f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5])
        keys = [finding["key"] for finding in data["findings"]]
        assert len(keys) == len(set(keys)), f"keys printed twice: {sorted({k for k in keys if keys.count(k) > 1})}"
        return original(self, **options) if options else data

    monkeypatch.setattr(Report, "to_dict", checked)


_VALIDATORS: dict = {}


def _validator(schema, jsonschema):
    if "v" not in _VALIDATORS:
        jsonschema.Draft202012Validator.check_schema(schema)
        _VALIDATORS["v"] = jsonschema.Draft202012Validator(schema)
    return _VALIDATORS["v"]
