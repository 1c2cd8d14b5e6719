"""The visual report: `--format html`, `--chart FILE`, and the chart posted to a chat group.

    visuals = collect(dataset, config, report)   # the charts' numbers (data.py), after the rules
    html = render_html(report, visuals)          # one offline page (html.py)
    write_chart(visuals, "gmv.png", lang)        # the key chart alone, .png or .svg

Importing this package costs nothing; pandas is needed only by `collect` (which a diagnose run
has already loaded) and matplotlib only when a chart is drawn (`visual.draw`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from shopdoc.errors import UsageError

if TYPE_CHECKING:
    from shopdoc.config import Config
    from shopdoc.dataset import Dataset
    from shopdoc.model import Report
    from shopdoc.visual.data import Visuals

CHART_SUFFIXES = (".png", ".svg")
PNG_LIMIT = 2 * 1024 * 1024  # WeCom's image message takes at most 2 MB before base64


def collect(dataset: "Dataset", config: "Config", report: "Report") -> "Visuals":
    from shopdoc.visual.data import collect as collect_data

    return collect_data(dataset, config, report)


def render_html(report: "Report", visuals: "Visuals | None" = None) -> str:
    from shopdoc.visual.html import render

    return render(report, _lang(report.lang), visuals)


def _lang(lang: str) -> str:
    return lang if lang in ("zh", "en") else "en"


def chart_lang(lang: str) -> str:
    """The PNG's language: Chinese needs a font with Chinese glyphs; without one, English labels."""
    from shopdoc.visual.draw import has_cjk_font

    return "en" if lang == "zh" and not has_cjk_font() else _lang(lang)


def key_chart_png(visuals: "Visuals", lang: str) -> bytes | None:
    """The key chart as PNG bytes (None when there is nothing to chart)."""
    from shopdoc.visual.charts import key_chart
    from shopdoc.visual.draw import to_png

    chart = key_chart(visuals, chart_lang(lang))
    return None if chart is None else to_png(chart)


def check_chart_path(path: str) -> None:
    if Path(path).suffix.lower() not in CHART_SUFFIXES:
        raise UsageError(f"--chart {path}: must end in .png or .svg")


def write_chart(visuals: "Visuals", path: str, lang: str) -> bool:
    """Write the key chart to `path` (.png or .svg). False when the exports hold nothing to chart."""
    from shopdoc.visual.charts import key_chart
    from shopdoc.visual.draw import to_svg

    target = Path(path).expanduser()
    if target.suffix.lower() == ".png":
        data = key_chart_png(visuals, lang)
        if data is None:
            return False
        target.write_bytes(data)
        return True
    chart = key_chart(visuals, _lang(lang))
    if chart is None:
        return False
    target.write_text(to_svg(chart, standalone=True), encoding="utf-8")
    return True


__all__ = ["CHART_SUFFIXES", "PNG_LIMIT", "check_chart_path", "collect", "key_chart_png", "render_html", "write_chart"]
