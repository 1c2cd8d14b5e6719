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

FORMATS = ("rich", "text", "markdown", "json")


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
    if fmt == "rich":
        from shopdoc.report import terminal

        return terminal.render(report, lang, color=color, width=width)
    raise UsageError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")


def render_json(report: Report) -> str:
    """SPEC §5: `Report.to_dict()`, UTF-8 text (not \\u escapes), rates as fractions, valid JSON."""
    return json.dumps(_json_safe(report.to_dict()), ensure_ascii=False, indent=2) + "\n"


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


__all__ = ["FORMATS", "render", "render_json"]
