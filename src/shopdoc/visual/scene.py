"""A chart as a list of shapes, written out as inline SVG (the HTML report) or as a PNG (chat robots).

Why not a charting library: the HTML report must be one offline file with no request of any kind,
and a morning run must stay quick. Inline SVG needs no script, no font file and no image request;
it scales to a phone and prints sharp. The five charts use six shapes (line, polyline, rect,
circle, text, group), so the drawing code is ours and small, and the same shapes are rasterised
with Pillow for WeCom, which takes a PNG and nothing else. Pillow is imported only then.

Coordinates are in the chart's own units (its `width` × `height` view box); SVG scales them to the
page, the PNG writer multiplies them by its `scale`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Union

FONT_STACK = ("-apple-system, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', "
              "'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Segoe UI', Roboto, Arial, sans-serif")


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = "#999"
    width: float = 1.0
    dash: str | None = None


@dataclass
class Polyline:
    points: list[tuple[float, float]]
    stroke: str
    width: float = 2.0
    dash: str | None = None


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    opacity: float = 1.0


@dataclass
class Circle:
    cx: float
    cy: float
    r: float
    fill: str
    stroke: str | None = None
    opacity: float = 1.0


@dataclass
class Text:
    x: float
    y: float
    text: str
    size: float = 12.0
    fill: str = "#333"
    anchor: str = "start"  # start | middle | end
    bold: bool = False


@dataclass
class Group:
    """Shapes that belong together, e.g. one series; `series` names it in the SVG (data-series)."""

    series: str
    shapes: list["Shape"] = field(default_factory=list)
    title: str | None = None  # a tooltip in the browser


Shape = Union[Line, Polyline, Rect, Circle, Text, Group]


@dataclass
class Scene:
    name: str  # the chart's id: trend-gmv, bridge, sources, ads, items
    width: float
    height: float
    title: str
    shapes: list[Shape] = field(default_factory=list)

    def add(self, *shapes: Shape) -> None:
        self.shapes.extend(shapes)

    def series(self) -> list[str]:
        return [shape.series for shape in self.shapes if isinstance(shape, Group)]


# -- SVG ----------------------------------------------------------------------------------------------
def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(shape: Shape) -> str:
    if isinstance(shape, Group):
        title = f"<title>{escape(shape.title)}</title>" if shape.title else ""
        inner = "".join(_svg(item) for item in shape.shapes)
        return f'<g data-series="{escape(shape.series)}">{title}{inner}</g>'
    if isinstance(shape, Line):
        dash = f' stroke-dasharray="{shape.dash}"' if shape.dash else ""
        return (f'<line x1="{_n(shape.x1)}" y1="{_n(shape.y1)}" x2="{_n(shape.x2)}" y2="{_n(shape.y2)}" '
                f'stroke="{shape.stroke}" stroke-width="{_n(shape.width)}"{dash}/>')
    if isinstance(shape, Polyline):
        dash = f' stroke-dasharray="{shape.dash}"' if shape.dash else ""
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape.points)
        return (f'<polyline points="{points}" fill="none" stroke="{shape.stroke}" stroke-width="{_n(shape.width)}" '
                f'stroke-linejoin="round" stroke-linecap="round"{dash}/>')
    if isinstance(shape, Rect):
        opacity = f' fill-opacity="{shape.opacity}"' if shape.opacity != 1 else ""
        return (f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(max(shape.w, 0))}" '
                f'height="{_n(max(shape.h, 0))}" fill="{shape.fill}"{opacity}/>')
    if isinstance(shape, Circle):
        stroke = f' stroke="{shape.stroke}"' if shape.stroke else ""
        opacity = f' fill-opacity="{shape.opacity}"' if shape.opacity != 1 else ""
        return f'<circle cx="{_n(shape.cx)}" cy="{_n(shape.cy)}" r="{_n(shape.r)}" fill="{shape.fill}"{stroke}{opacity}/>'
    if isinstance(shape, Text):
        weight = ' font-weight="bold"' if shape.bold else ""
        return (f'<text x="{_n(shape.x)}" y="{_n(shape.y)}" font-size="{_n(shape.size)}" fill="{shape.fill}" '
                f'text-anchor="{shape.anchor}"{weight}>{escape(shape.text)}</text>')
    raise TypeError(f"not a shape: {shape!r}")


def to_svg(scene: Scene, *, standalone: bool = False) -> str:
    """The chart as an `<svg>` element (inline in HTML), or a standalone .svg file's text."""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
    xmlns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    size = f' width="{_n(scene.width * 2)}" height="{_n(scene.height * 2)}"' if standalone else ""
    body = "".join(_svg(shape) for shape in scene.shapes)
    return (f'{head}<svg{xmlns} viewBox="0 0 {_n(scene.width)} {_n(scene.height)}"{size} role="img" '
            f'aria-label="{escape(scene.title)}" data-chart="{scene.name}" font-family="{escape(FONT_STACK)}">'
            f'<rect width="100%" height="100%" fill="#fff"/>{body}</svg>')


# -- PNG ------------------------------------------------------------------------------------------------
# Fonts with Chinese glyphs, where common systems keep them. Without one, Pillow cannot draw Chinese
# and the PNG is drawn with English labels (see `has_cjk_font`).
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)
LATIN_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "C:/Windows/Fonts/arial.ttf",
               "/System/Library/Fonts/Helvetica.ttc")


def cjk_font() -> str | None:
    from pathlib import Path

    return next((path for path in CJK_FONTS if Path(path).is_file()), None)


def has_cjk_font() -> bool:
    return cjk_font() is not None


def _font_loader(scale: float):
    from pathlib import Path

    from PIL import ImageFont

    path = cjk_font() or next((p for p in LATIN_FONTS if Path(p).is_file()), None)
    cache: dict[tuple[float, bool], object] = {}

    def font(size: float, bold: bool):
        key = (size, bold)
        if key not in cache:
            pixels = max(int(round(size * scale)), 6)
            cache[key] = ImageFont.truetype(path, pixels) if path else ImageFont.load_default(pixels)
        return cache[key]

    return font


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(char * 2 for char in colour)
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _blend(colour: str, opacity: float) -> tuple[int, int, int]:
    red, green, blue = _rgb(colour)
    return (round(255 - (255 - red) * opacity), round(255 - (255 - green) * opacity), round(255 - (255 - blue) * opacity))


def to_png(scene: Scene, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes (white background), `scale` pixels per chart unit."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (int(scene.width * scale), int(scene.height * scale)), "white")
    draw = ImageDraw.Draw(image)
    font = _font_loader(scale)

    def s(value: float) -> float:
        return value * scale

    def paint(shape: Shape) -> None:
        if isinstance(shape, Group):
            for item in shape.shapes:
                paint(item)
        elif isinstance(shape, Line):
            width = max(int(round(s(shape.width))), 1)
            if shape.dash:
                _dashed(draw, (s(shape.x1), s(shape.y1)), (s(shape.x2), s(shape.y2)), _rgb(shape.stroke), width,
                        [s(float(part)) for part in shape.dash.replace(",", " ").split()])
            else:
                draw.line([(s(shape.x1), s(shape.y1)), (s(shape.x2), s(shape.y2))], fill=_rgb(shape.stroke), width=width)
        elif isinstance(shape, Polyline):
            points = [(s(x), s(y)) for x, y in shape.points]
            width = max(int(round(s(shape.width))), 1)
            if len(points) > 1 and shape.dash:
                pattern = [s(float(part)) for part in shape.dash.replace(",", " ").split()]
                for start, end in zip(points, points[1:]):
                    _dashed(draw, start, end, _rgb(shape.stroke), width, pattern)
            elif len(points) > 1:
                draw.line(points, fill=_rgb(shape.stroke), width=width, joint="curve")
        elif isinstance(shape, Rect):
            if shape.w > 0 and shape.h > 0:
                draw.rectangle([s(shape.x), s(shape.y), s(shape.x + shape.w), s(shape.y + shape.h)],
                               fill=_blend(shape.fill, shape.opacity))
        elif isinstance(shape, Circle):
            box = [s(shape.cx - shape.r), s(shape.cy - shape.r), s(shape.cx + shape.r), s(shape.cy + shape.r)]
            draw.ellipse(box, fill=_blend(shape.fill, shape.opacity),
                         outline=_rgb(shape.stroke) if shape.stroke else None)
        elif isinstance(shape, Text):
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.anchor]
            draw.text((s(shape.x), s(shape.y)), shape.text, fill=_rgb(shape.fill), font=font(shape.size, shape.bold),
                      anchor=anchor)

    for shape in scene.shapes:
        paint(shape)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _dashed(draw, start, end, fill, width, pattern) -> None:
    import math

    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1)
    if length == 0 or not pattern:
        return
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    position, index, on = 0.0, 0, True
    while position < length:
        step = min(pattern[index % len(pattern)], length - position)
        if on:
            draw.line([(x1 + ux * position, y1 + uy * position),
                       (x1 + ux * (position + step), y1 + uy * (position + step))], fill=fill, width=width)
        position += step
        index += 1
        on = not on
