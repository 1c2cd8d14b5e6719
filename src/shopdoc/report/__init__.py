"""Reporters: one renderer per format, each turning the same plain Report into text.

Renderers only arrange and word what the rules found; they never compute a metric. Only the
terminal renderer (`rich`) knows about colour, and only when the caller asks for it.

    from shopdoc.report import render
    print(render(report, "text"))
"""

from __future__ import annotations

import json
import math
from typing import Any

from shopdoc.errors import UsageError
from shopdoc.model import Report

FORMATS = ("rich", "text", "markdown", "json", "html")


def render(report: Report, fmt: str, *, color: bool = False, width: int | None = None) -> str:
    """The report in one of FORMATS, in the report's language. `color` only affects `rich`."""
    lang = report.lang if report.lang in ("zh", "en") else "en"
    if fmt == "json":
        return render_json(report)
    if fmt == "text":
        from shopdoc.report import text

        return text.render(report, lang)
    if fmt == "markdown":
        from shopdoc.report import markdown

        return markdown.render(report, lang)
    if fmt == "html":  # the page without charts; `shopdoc.visual.render_html` adds them
        from shopdoc.visual import render_html

        return render_html(report)
    if fmt == "rich":
        from shopdoc.report import terminal

        return terminal.render(report, lang, color=color, width=width)
    raise UsageError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")


def render_json(report: Report) -> str:
    """SPEC §5: `Report.to_dict()`, UTF-8 text (not \\u escapes), rates as fractions, valid JSON."""
    return render_json_bytes(report).decode("utf-8")


def render_json_bytes(report: Report) -> bytes:
    """`render_json` as the UTF-8 a file gets (what `--output` writes, without a decode and an
    encode of 9 MB).

    Laid out with one input, finding or skip per line: a large account has thousands of
    findings, and a line each keeps the file greppable and lets json's C encoder write it (an
    indented dump goes through the pure-Python one, several times slower). The details tables are
    made and written one at a time, so only one verdict's rows are Python lists at once.
    """
    import gc

    # A large account's details are 100,000 small row lists, none in a cycle: the collector would
    # walk the whole heap again and again while they are made, and find nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _layout(report.to_dict(lazy_details=True))
    except (TypeError, ValueError):  # a NaN, or a key json cannot write: clean the whole tree
        return _layout(_json_safe(report.to_dict()))
    finally:
        if collecting:
            gc.enable()


def _plain_scalar(value: Any) -> Any:
    """What json cannot write by itself: a numpy scalar as the Python number, anything else as text."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
    return str(value)


# allow_nan=False: NaN would be written as `NaN`, which is not JSON; raising sends the report
# through `_json_safe` instead. Evidence already went through `engine._plain`, so that is rare.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_plain_scalar)
_ROW_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_plain_scalar, separators=(",", ":"))


def _encoded(value: Any) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")


def _layout(data: dict[str, Any]) -> bytes:
    """The top level indented, each element of a list on a line of its own; the details tables
    (a list, or an iterator making each as it is written) a line each."""
    lines = []
    for key, value in data.items():
        if key == "details":  # a table per verdict: its header on one line, a row per line
            tables = [_table(table) for table in value]
            lines.append(b"  " + _encoded(key) + (b": [\n" + b",\n".join(tables) + b"\n  ]" if tables else b": []"))
        elif isinstance(value, list) and value:
            items = b",\n".join(b"    " + _encoded(item) for item in value)
            lines.append(b"  " + _encoded(key) + b": [\n" + items + b"\n  ]")
        else:
            lines.append(b"  " + _encoded(key) + b": " + _encoded(value))
    return b"{\n" + b",\n".join(lines) + b"\n}\n"


def _table(table: dict[str, Any]) -> bytes:
    """A details table on one line: its header, then its rows written tight (a large account has
    100,000 rows: every byte of a row is 100 kB of the file, every Python call per row 0.1 s)."""
    head = {key: value for key, value in table.items() if key != "rows"}
    return b"    " + _encoded(head)[:-1] + b', "rows": ' + _rows(table["rows"]) + b"}"


def _rows(rows: list) -> bytes:
    """A details table's rows, tight. orjson writes the same text as json's C encoder (shortest
    float digits, UTF-8, `,` and `:` without spaces; 1e-05 as 0.00001) in a seventh of the time (100,000 rows: 0.05 s
    against 0.3 s). It writes NaN and infinities as null, as `_json_safe` does for the json path;
    what it refuses (an int past 64 bits) goes to the json encoder."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - a dependency; json's encoder writes the same text
        return _ROW_ENCODER.encode(rows).encode("utf-8")
    try:
        return orjson.dumps(rows, default=_plain_scalar)
    except TypeError:
        return _ROW_ENCODER.encode(rows).encode("utf-8")


def _json_safe(value: Any) -> Any:
    """NaN and infinities are not JSON: they become null; numpy scalars become Python numbers."""
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


__all__ = ["FORMATS", "render", "render_json", "render_json_bytes"]
