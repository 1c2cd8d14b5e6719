"""matplotlib, set up once for the report's charts, and a chart written out as SVG or PNG.

matplotlib is imported here and only when a chart is drawn (`--format html`, `--chart`, WeCom's
image): `shopdoc --help` and text reports never pay for it. No pyplot, so no GUI backend and no
global state: every chart is a `Figure` of its own, written by the Agg canvas (PNG) or the SVG one.

- SVG (the HTML report, `--chart x.svg`): text stays text (`svg.fonttype: none`), so the browser
  sets Chinese in the reader's own fonts (`FONT_STACK`) and nothing is embedded or fetched.
- PNG (WeCom, `--chart x.png`): drawn with the first installed font of `CJK_FONTS` (matplotlib falls
  back glyph by glyph along the list). Without one, Chinese cannot be drawn, so the PNG's labels are
  in English (`has_cjk_font`); the SVG and the HTML page are unaffected.

matplotlib keeps a font cache; unless `MPLCONFIGDIR` says where, it goes to shopdoc's own cache
folder (a temporary folder when that is not writable), so a cron job never warns about it.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import warnings
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Fonts with Chinese glyphs, the usual one of each system first; Latin-only fonts last.
CJK_FONTS = ("PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
             "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "SimHei", "Heiti SC")
LATIN_FONTS = ("Segoe UI", "Roboto", "Arial", "DejaVu Sans")
FONT_STACK = "-apple-system, " + ", ".join(f"'{name}'" for name in (*CJK_FONTS, *LATIN_FONTS)) + ", sans-serif"

WIDTH = 400.0  # points; a phone shows a chart at ~0.9 px a point, a desktop column at ~1.2
PNG_DPI = 144  # 2 px a point: 800 px wide

TEXT = "#333333"
MUTED = "#6b7280"
LIGHT = "#e6e8ec"

STYLE = {
    "svg.fonttype": "none",
    "text.parse_math": False,  # a "$" in an item or campaign name is a dollar sign, not TeX
    "font.family": "sans-serif",
    "font.sans-serif": [*CJK_FONTS, *LATIN_FONTS],
    "font.size": 10.5,
    "axes.unicode_minus": False,
    "text.color": TEXT,
    "axes.edgecolor": LIGHT,
    "axes.labelcolor": MUTED,
    "axes.labelsize": 10.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.spines.left": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": LIGHT,
    "grid.linewidth": 1.0,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "xtick.major.size": 0,
    "ytick.major.size": 0,
    "xtick.major.pad": 5,
    "ytick.major.pad": 4,
    "legend.fontsize": 9.5,
    "legend.frameon": False,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "path.simplify": False,  # at most 30 points a line: every day stays a vertex
}


def _config_dir() -> None:
    """Where matplotlib keeps its font cache, decided once, before it is imported."""
    if os.environ.get("MPLCONFIGDIR"):
        return
    import tempfile
    from pathlib import Path

    import platformdirs

    for folder in (Path(platformdirs.user_cache_dir("shopdoc", appauthor=False)) / "matplotlib",
                   Path(tempfile.gettempdir()) / f"shopdoc-matplotlib-{os.getuid() if hasattr(os, 'getuid') else 'user'}"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            os.environ["MPLCONFIGDIR"] = str(folder)
            return


@functools.cache
def _matplotlib() -> Any:
    _config_dir()
    import matplotlib
    from matplotlib.figure import Figure  # noqa: F401  (the module the charts use)

    return matplotlib


def has_cjk_font() -> bool:
    """Whether matplotlib finds a font with Chinese glyphs to draw the PNG with."""
    _matplotlib()
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return any(name in installed for name in CJK_FONTS)


@dataclass
class Chart:
    """One chart: its id in the page (`trend-gmv`, `bridge-previous_day`, `sources`, `ads`, `items`),
    its title, the matplotlib figure, and the series drawn (each an element `id="<chart>.<series>"`)."""

    name: str
    title: str
    figure: "Figure"
    ax: "Axes"
    drawn: list[str] = field(default_factory=list)

    def gid(self, series: str) -> str:
        """The id of a series' element; a series drawn as several artists gets `.1`, `.2`… after it."""
        count = self.drawn.count(series)
        self.drawn.append(series)
        return f"{self.name}.{series}" + (f".{count}" if count else "")

    def series(self) -> list[str]:
        return list(dict.fromkeys(self.drawn))

    def x_points(self, points: float) -> float:
        """A distance from the figure's left edge in points, as a figure fraction."""
        return points / WIDTH

    def y_points(self, points: float) -> float:
        """A distance from the figure's top edge in points, as a figure fraction (from the bottom)."""
        return 1 - points / (self.figure.get_figheight() * 72)


def new_chart(name: str, title: str, height: float, *, left: float, right: float, top: float, bottom: float) -> Chart:
    """A blank chart `WIDTH` × `height` points with its plotting area inset by the margins (points)
    and its title at the top left. Fixed margins: no layout pass, and labels can be placed before drawing."""
    from matplotlib.figure import Figure

    with drawing():
        figure = Figure(figsize=(WIDTH / 72, height / 72), dpi=72)
        figure.subplots_adjust(left=left / WIDTH, right=1 - right / WIDTH, top=1 - top / height, bottom=bottom / height)
        ax = figure.add_subplot()
    chart = Chart(name, title, figure, ax)
    figure.text(chart.x_points(8), chart.y_points(18), title, fontsize=14, fontweight="bold", color=TEXT)
    return chart


@contextlib.contextmanager
def drawing():
    """The charts' matplotlib settings while a chart is built or written.

    matplotlib measures text with the installed fonts: a glyph none of them has (Chinese on a machine
    without a CJK font) only makes the SVG's layout an estimate, since its reader sets the text in
    their own fonts, so that warning is not shown."""
    global _depth
    if _depth:  # already inside: matplotlib copies every setting on each rc_context
        yield
        return
    with _matplotlib().rc_context(STYLE), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from")
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1


_depth = 0


_AUTO_ID = re.compile(r' id="(?:figure|axes|patch|line2d|text|matplotlib\.axis|xtick|ytick|legend|PathCollection|'
                      r'PolyCollection|LineCollection|PatchCollection|FillBetweenPolyCollection)_\d+"')


def to_svg(chart: Chart, *, standalone: bool = False) -> str:
    """The chart as an `<svg>` element for the HTML page, or as a standalone .svg file's text.

    matplotlib's metadata block is dropped, and its text is given the page's font stack. Inline, its
    numbered group ids (figure_1, axes_1…, the same in every chart) are dropped too, so the page's ids
    stay unique; the series keep theirs."""
    buffer = io.StringIO()
    with drawing():
        rc = _matplotlib().rcParams
        salt, rc["svg.hashsalt"] = rc["svg.hashsalt"], chart.name  # the chart's clip-path ids: its own, every run alike
        try:
            chart.figure.savefig(buffer, format="svg", metadata={"Date": None})
        finally:
            rc["svg.hashsalt"] = salt
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    svg = re.sub(r"font-family: [^;\"]*", "font-family: " + FONT_STACK, svg)
    head, body = svg.split(">", 1)
    view_box = re.search(r'viewBox="([^"]*)"', head).group(1)
    label = f' role="img" aria-label="{escape(chart.title)}" data-chart="{chart.name}"'
    if standalone:
        width, height = (float(part) for part in view_box.split()[2:])
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
                f'xmlns:xlink="http://www.w3.org/1999/xlink" width="{width * 2:g}" height="{height * 2:g}" '
                f'viewBox="{view_box}"{label}>{body}')
    return f'<svg viewBox="{view_box}"{label}>' + _AUTO_ID.sub("", body)


def to_png(chart: Chart, dpi: int = PNG_DPI) -> bytes:
    """The chart as PNG bytes, drawn by the Agg canvas, `dpi / 72` pixels a point."""
    buffer = io.BytesIO()
    with drawing():
        chart.figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
