"""The charts of the visual report, drawn with matplotlib (`visual.draw`) from the plain data of `visual.data`.

Nothing here computes a shop metric: it places, labels and colours. Colours keep one meaning across
charts: blue is the shop's own series, grey dashed a line to hold against (target, break-even,
average), green more and red less, orange a promotion day; to-dos are the severity colours of the
report (red critical, orange warning, grey info).
"""

from __future__ import annotations

import math
from typing import Any

from shopdoc.model import SEVERITY_RANK
from shopdoc.visual.data import AdMap, Bridge, ItemMap, SourceChange, Trend, Visuals
from shopdoc.visual.draw import (MUTED, TEXT, WIDTH, Chart, axis_labels, drawing, legend_row, new_chart, nice_ticks,
                                 point_text)

BLUE = "#2f6fdf"
GREY = "#8a8f98"
GREEN = "#1a9b5b"
RED = "#d9363e"
ORANGE = "#f08c00"
PROMO = "#fff1d6"
VERDICT_COLOUR = {"raise": GREEN, "earns": BLUE, "lower": ORANGE, "creative": ORANGE, "pause": RED, "loses": RED,
                  "testing": GREY}

WORDS = {
    "zh": {
        "gmv": "支付金额", "visitors": "访客数", "conversion_rate": "支付转化率", "aov": "客单价",
        "target": "日目标", "promotion": "活动日", "trend": "近 30 天{name}",
        "bridge_previous_day": "支付金额拆解：和前一天比", "bridge_same_weekday_last_week": "支付金额拆解：和上周同一天比",
        "bridge_visitors": "访客数", "bridge_conversion_rate": "转化率", "bridge_aov": "客单价",
        "sources": "流量来源访客变化（{compare} → {day}）", "conversion": "当天转化率",
        "ads": "推广计划：日均花费 × 投产比（近 {days} 天）", "break_even": "保本 {value}",
        "spend": "日均花费", "roi": "投产比",
        "raise": "加价", "lower": "降价", "pause": "暂停", "creative": "换创意", "earns": "赚钱", "loses": "亏钱", "testing": "测款中",
        "items": "商品：访客数 × 访客价值", "average": "平均 {value}", "item_visitors": "访客数（对数刻度）",
        "visitor_value": "访客价值", "named": "待办里的商品", "more_items": "另有 {n} 个商品未画出",
        "no_data": "没有数据",
    },
    "en": {
        "gmv": "GMV", "visitors": "Visitors", "conversion_rate": "Conversion", "aov": "AOV",
        "target": "daily target", "promotion": "promotion", "trend": "{name}, last 30 days",
        "bridge_previous_day": "GMV split: against the day before",
        "bridge_same_weekday_last_week": "GMV split: against the same day last week",
        "bridge_visitors": "visitors", "bridge_conversion_rate": "conversion", "bridge_aov": "AOV",
        "sources": "Visitors by source ({compare} → {day})", "conversion": "conversion",
        "ads": "Campaigns: spend per day × ROI (last {days} days)", "break_even": "break-even {value}",
        "spend": "spend per day", "roi": "ROI",
        "raise": "raise", "lower": "lower", "pause": "pause", "creative": "new creative", "earns": "earns", "loses": "loses", "testing": "testing",
        "items": "Items: visitors × visitor value", "average": "average {value}", "item_visitors": "visitors (log scale)",
        "visitor_value": "GMV per visitor", "named": "items on the to-do list", "more_items": "{n} more items not drawn",
        "no_data": "no data",
    },
}


# -- numbers as axis labels ---------------------------------------------------------------------------
def compact(value: float, lang: str) -> str:
    """Short axis numbers: 55,000 → 5.5万 / 55k."""
    size = abs(value)
    if lang == "zh":
        if size >= 1e8:
            return _trim(value / 1e8) + "亿"
        if size >= 1e4:
            return _trim(value / 1e4) + "万"
    else:
        if size >= 1e9:
            return _trim(value / 1e9) + "B"
        if size >= 1e6:
            return _trim(value / 1e6) + "M"
        if size >= 1e3:
            return _trim(value / 1e3) + "k"
    return _trim(value)


def _trim(value: float) -> str:
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:.1f}".rstrip("0").rstrip(".")


def percent(value: float, signed: bool = False) -> str:
    text = f"{value * 100:.2f}".rstrip("0").rstrip(".") if abs(value) < 0.1 else f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return ("+" if signed and value > 0 else "") + text + "%"


def money(value: float, currency: str, lang: str, signed: bool = False) -> str:
    sign = "+" if signed and value > 0 else ("-" if value < 0 else "")
    amount = compact(abs(value), lang) if abs(value) >= 1e4 else f"{abs(value):,.0f}" if abs(value) >= 100 else _trim(abs(value))
    if currency.upper() in ("CNY", "RMB") or currency in ("元", "¥", "￥"):
        return f"{sign}{amount}元" if lang == "zh" else f"{sign}¥{amount}"
    if len(currency) == 1:
        return f"{sign}{currency}{amount}"
    return f"{sign}{amount} {currency}"


def value_text(name: str, value: float, currency: str, lang: str) -> str:
    if name == "conversion_rate":
        return percent(value)
    if name in ("gmv", "aov"):
        return money(value, currency, lang)
    return compact(value, lang)


def short_day(day: str, lang: str) -> str:
    month, date = int(day[5:7]), int(day[8:10])
    if lang == "zh":
        return f"{month}-{date:02d}"
    return ("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()[month - 1]) + f" {date}"


def _runs(values: list[float | None]) -> list[list[int]]:
    """Indexes of consecutive known values: a missing day is a gap in the line, not a slope."""
    runs: list[list[int]] = []
    for index, value in enumerate(values):
        if value is None:
            continue
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _nan(values: list[float | None]) -> list[float]:
    return [math.nan if value is None else value for value in values]


# -- 30-day trend -------------------------------------------------------------------------------------
def trend_chart(trend: Trend, name: str, lang: str, currency: str) -> Chart:
    w = WORDS[lang]
    chart = new_chart(f"trend-{name}", w["trend"].format(name=w[name]), 200, left=54, right=14, top=34, bottom=30)
    ax = chart.ax
    values = trend.values[name]
    targets = trend.targets if name == "gmv" else [None] * len(trend.days)
    known = [v for v in values if v is not None] + [t for t in targets if t is not None]
    count = len(trend.days)
    if not known:
        ax.set_axis_off()
        ax.text(0.5, 0.5, w["no_data"], transform=ax.transAxes, ha="center", va="center", color=MUTED)
        return chart
    low, high = min(known), max(known)
    pad = (high - low) * 0.12 or abs(high) * 0.1 or 1.0
    ax.set_ylim(max(low - pad, 0.0) if low >= 0 else low - pad, high + pad)
    ax.set_xlim(-0.5, count - 0.5)
    ticks = nice_ticks(*ax.get_ylim(), minimum=3)
    axis_labels(chart, "y", ticks, [value_text(name, tick, currency, lang) for tick in ticks], grid=True)
    ends = sorted({0, (count - 1) // 2, count - 1})
    axis_labels(chart, "x", ends, [short_day(trend.days[index], lang) for index in ends],
                align=["left" if index == 0 else "right" if index == count - 1 else "center" for index in ends])
    legend: list[tuple[tuple[str, Any], str]] = []
    promoted = [index for index, day in enumerate(trend.days) if day in trend.promotions]
    if promoted:
        spans = [(run[0] - 0.5, len(run)) for run in _runs([1.0 if i in promoted else None for i in range(count)])]
        ax.broken_barh(spans, (0, 1), transform=ax.get_xaxis_transform(), color=PROMO, linewidth=0,
                       gid=chart.gid("promotions"), zorder=0)
        legend.append((("patch", PROMO), w["promotion"]))
    if any(t is not None for t in targets):
        ax.plot(range(count), _nan(targets), color=GREY, linewidth=1.5, dashes=(4, 3), gid=chart.gid("target"))
        legend.append((("line", {"color": GREY, "linewidth": 1.5, "dashes": (4, 3)}), w["target"]))
    alone = [run[0] for run in _runs(values) if len(run) == 1]  # a day with no day beside it is a dot
    ax.plot(range(count), _nan(values), color=BLUE, linewidth=2.2, solid_joinstyle="round", solid_capstyle="round",
            marker="o" if alone else None, markersize=4, markevery=alone or None, gid=chart.gid(name))
    last = values[-1]
    if last is not None:
        below = targets[-1] is not None and last < targets[-1]
        colour = RED if below else BLUE
        ax.scatter([count - 1], [last], s=49, color=colour, edgecolors="white", linewidths=1, zorder=3)
        bottom, top = ax.get_ylim()
        near_top = last > bottom + (top - bottom) * 0.75  # the label goes under the dot, clear of the legend
        point_text(chart, count - 1, last, value_text(name, last, currency, lang), -7, -15 if near_top else 7,
                   ha="right", fontsize=11.5, fontweight="bold", color=RED if below else TEXT)
    if legend:  # above the plot, at its right
        _, _, right, top = ax.bbox.extents
        legend_row(chart, legend, x=right, y=top, anchor="right", pad=0.3, handle_length=1.8, handle_pad=0.4,
                   spacing=1.0)
    return chart


# -- GMV bridge -------------------------------------------------------------------------------------------
def bridge_chart(bridge: Bridge, lang: str, currency: str) -> Chart:

    w = WORDS[lang]
    chart = new_chart(f"bridge-{bridge.compare}", w[f"bridge_{bridge.compare}"], 230, left=54, right=10, top=40, bottom=28)
    ax = chart.ax
    steps = [(name, bridge.contributions[name]) for name in ("visitors", "conversion_rate", "aov")]
    levels = [bridge.start]
    for _, amount in steps:
        levels.append(levels[-1] + amount)
    low, high = min(0.0, *levels, bridge.end), max(*levels, bridge.end)
    ax.set_ylim(low, high * 1.12)
    ax.set_xlim(-0.5, 4.5)
    ticks = nice_ticks(*ax.get_ylim())
    axis_labels(chart, "y", ticks, [money(tick, currency, lang) for tick in ticks], grid=True)
    columns = [("start", bridge.start, 0.0, GREY, money(bridge.start, currency, lang), short_day(bridge.compare_day, lang))]
    for index, (name, amount) in enumerate(steps, 1):
        columns.append((name, levels[index], levels[index - 1], GREEN if amount >= 0 else RED,
                        money(amount, currency, lang, signed=True), w[f"bridge_{name}"]))
    columns.append(("end", bridge.end, 0.0, BLUE, money(bridge.end, currency, lang), short_day(bridge.day, lang)))
    for index, (series, top, bottom, colour, label, caption) in enumerate(columns):
        low_end, high_end = sorted((top, bottom))
        ax.bar(index, max(high_end - low_end, (high * 0.004)), bottom=low_end, width=0.6, color=colour,
               gid=chart.tip(chart.gid(series), [f"{caption} {label}"]))
        point_text(chart, index, high_end, label, 0, 4, ha="center", fontsize=11,
                   fontweight="bold" if series in ("start", "end") else "normal")
        if 0 < index < 4:  # where the step before it ended
            ax.plot([index - 1.3, index - 0.3], [columns[index - 1][1]] * 2, color=GREY, linewidth=1, dashes=(2, 2))
    axis_labels(chart, "x", list(range(5)), [column[5] for column in columns])
    change = (bridge.end - bridge.start) / bridge.start if bridge.start else 0.0
    chart.figure.text(chart.x_points(WIDTH - 10), chart.y_points(18), percent(change, signed=True), ha="right",
                      fontsize=13, fontweight="bold", color=GREEN if change >= 0 else RED)
    return chart


# -- traffic sources -----------------------------------------------------------------------------------
def source_chart(change: SourceChange, lang: str) -> Chart:
    """Rows: the source's name | the change in visitors | a bar either side of zero | the day's conversion."""
    from matplotlib.transforms import blended_transform_factory

    w = WORDS[lang]
    rows = change.rows
    title = w["sources"].format(compare=short_day(change.compare_day, lang), day=short_day(change.day, lang))
    middle, half = 268.0, 54.0
    chart = new_chart("sources", title, 56 + 26 * len(rows), left=middle - half, right=WIDTH - middle - half, top=36,
                      bottom=20)
    ax = chart.ax
    ax.set_axis_off()
    biggest = max(abs(row.change) for row in rows) or 1.0
    ax.set_xlim(-biggest, biggest)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.axvline(0, color=GREY, linewidth=1)
    row_at = blended_transform_factory(chart.figure.transFigure, ax.transData)
    for index, row in enumerate(rows):
        up = row.change >= 0
        colour = GREEN if up else RED
        name = row.name if len(row.name) <= 8 else row.name[:7] + "…"
        label = ("+" if up else "-") + compact(abs(row.change), lang)
        if row.compare_visitors:
            label += f" ({percent(row.change / row.compare_visitors, signed=True)})"
        tip = f"{row.name}: {compact(row.compare_visitors, lang)} → {compact(row.visitors, lang)} {label}"
        if row.conversion_rate is not None:
            tip += f" · {w['conversion']} {percent(row.conversion_rate)}"
        ax.barh(index, row.change or biggest * 0.01, height=0.62, color=colour,
                gid=chart.tip(chart.gid("gained" if up else "lost"), [tip]))
        chart.figure.text(chart.x_points(8), index, name, transform=row_at, va="center", fontsize=11.5)
        chart.figure.text(chart.x_points(middle - half - 8), index, label, transform=row_at, va="center", ha="right",
                          fontsize=10.5, color=colour)
        if row.conversion_rate is not None:
            chart.figure.text(chart.x_points(WIDTH - 6), index, percent(row.conversion_rate), transform=row_at,
                              va="center", ha="right", fontsize=10.5, color=MUTED)
    chart.figure.text(chart.x_points(WIDTH - 6), chart.y_points(32), w["conversion"], ha="right", fontsize=10, color=MUTED)
    return chart


# -- point labels ----------------------------------------------------------------------------------------------
class Labels:
    """Point labels that do not overlap: each goes right of its point, else left, above or below, else
    is left out. Worked out in points on the page (the figure is 72 dpi while it is built)."""

    def __init__(self, chart: Chart, dots: list[tuple[float, float, float]], size: float = 10.0):
        self.chart, self.size = chart, size
        self.ax = chart.ax
        self.boxes = [self._dot(x, y, r) for x, y, r in dots]  # labels keep off every dot
        self.labels: list[tuple[float, float, float, float]] = []  # and off each other, lines included
        left, bottom, right, top = self.ax.bbox.extents
        self.room = (left, bottom, WIDTH - 2, top + 10)

    def _dot(self, x: float, y: float, r: float) -> tuple[float, float, float, float]:
        px, py = self.ax.transData.transform((x, y))
        return (px - r, py - r, px + r, py + r)

    def _crosses(self, x1: float, y1: float, x2: float, y2: float) -> bool:
        """Whether the line from a dot to its label would run through another label."""
        points = [(x1 + (x2 - x1) * step / 12, y1 + (y2 - y1) * step / 12) for step in range(1, 12)]
        return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in self.labels for x, y in points)

    def width(self, text: str) -> float:
        return sum(self.size if ord(char) > 0x2E80 else self.size * 0.6 for char in text)

    def block(self, box: tuple[float, float, float, float]) -> None:
        """Keep labels and their lines off a label drawn otherwise (the average's, the break-even's)."""
        self.boxes.append(box)
        self.labels.append(box)

    def line(self, y: float) -> None:
        """Keep labels off a horizontal line at `y` (data), so no line strikes through one."""
        py = self.ax.transData.transform((1, y))[1]
        self.boxes.append((0.0, py - 1.5, WIDTH, py + 1.5))

    def place(self, x: float, y: float, r: float, text: str, colour: str, *, reach: bool = True) -> bool:
        """Label the dot at (x, y) of radius r; `reach`: further out with a line when nothing close is free."""
        px, py = self.ax.transData.transform((x, y))
        width, rise, drop = self.width(text), self.size * 0.8, self.size * 0.25
        # (alignment, offset from the dot in points to the text's anchor on its baseline): beside the
        # dot, above or below it, diagonally off it; then further out, joined to the dot by a thin line
        side, middle = r + 2, -self.size * 0.3
        tries = [("left", r + 5, middle), ("right", -r - 5, middle), ("center", 0, r + 3), ("center", 0, -r - 3 - rise),
                 ("left", side, r * 0.6 + 2), ("left", side, -r * 0.6 - 2 - rise), ("right", -side, r * 0.6 + 2),
                 ("right", -side, -r * 0.6 - 2 - rise)]
        if reach:
            tries += _FAR
        for index, (align, dx, dy) in enumerate(tries):
            left = px + dx - (0 if align == "left" else width if align == "right" else width / 2)
            box = (left, py + dy - drop, left + width, py + dy + rise)
            room = self.room
            inside = box[0] >= room[0] and box[2] <= room[2] and box[1] >= room[1] and box[3] <= room[3]
            if inside and not any(_overlap(box, other) for other in self.boxes) and \
                    (index < 8 or not self._crosses(px, py, px + dx, py + dy)):
                self.boxes.append(box)
                self.labels.append(box)
                style = {"ha": align, "va": "baseline", "fontsize": self.size, "color": colour}
                if index < 8:
                    point_text(self.chart, x, y, text, dx, dy, **style)
                else:  # further out: joined to its dot by a thin line
                    self.ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", **style,
                                     arrowprops={"arrowstyle": "-", "color": GREY, "linewidth": 0.8, "shrinkA": 1,
                                                 "shrinkB": r})
                return True
        return False


# Any free spot in the plot, the nearest first (offsets in points, centred above the dot's text line).
_FAR = [("center", dx, dy) for dx, dy in sorted(
    ((dx, dy) for dx in range(-160, 161, 16) for dy in range(-120, 121, 8) if abs(dy) >= 14 or abs(dx) >= 48),
    key=lambda spot: math.hypot(spot[0], spot[1] * 1.5))]


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _short(name: str, size: int) -> str:
    return name if len(name) <= size else name[:size - 1] + "…"


# -- ad map ---------------------------------------------------------------------------------------------
def ad_chart(ads: AdMap, lang: str, currency: str) -> Chart:
    w = WORDS[lang]
    chart = new_chart("ads", w["ads"].format(days=ads.days), 300, left=44, right=16, top=40, bottom=64)
    ax = chart.ax
    costs = [point.cost for point in ads.points]
    rois = [point.roi for point in ads.points] + ([ads.break_even] if ads.break_even else [])
    ax.set_xlim(0, max(costs) * 1.15)
    ax.set_ylim(0, max(rois) * 1.12)
    ticks = nice_ticks(*ax.get_xlim())
    axis_labels(chart, "x", ticks, [money(tick, currency, lang) for tick in ticks])
    ticks = nice_ticks(*ax.get_ylim())
    axis_labels(chart, "y", ticks, [_trim(tick) for tick in ticks], grid=True)
    chart.figure.text(chart.x_points(8), chart.y_points(33), w["roi"], fontsize=10.5, color=MUTED)
    chart.figure.text(chart.x_points(WIDTH - 16), chart.y_points(300 - 34), w["spend"], ha="right", fontsize=10.5,
                      color=MUTED)
    radius = [6.0 if point.severity else 4.5 for point in ads.points]
    labels = Labels(chart, [(p.cost, p.roi, r) for p, r in zip(ads.points, radius)])
    if ads.break_even:
        be_label = w["break_even"].format(value=_trim(round(ads.break_even, 2)))
        ax.axhspan(0, ads.break_even, color="#fdecec", linewidth=0, zorder=0, gid=chart.gid("break_even"))
        ax.axhline(ads.break_even, color=RED, linewidth=1.2, dashes=(5, 4), gid=chart.gid("break_even"))
        point_text(chart, 1, ads.break_even, be_label, -2, 4, transform=ax.get_yaxis_transform(), ha="right",
                   fontsize=10.5, color=RED)
        right, line = ax.bbox.extents[2], ax.transData.transform((1, ads.break_even))[1]
        labels.block((right - labels.width(be_label) - 4, line, right, line + 16))
        labels.line(ads.break_even)
    colours = [VERDICT_COLOUR.get(point.verdict, BLUE) for point in ads.points]
    ax.scatter(costs, [point.roi for point in ads.points], s=[(2 * r) ** 2 for r in radius], c=colours,
               edgecolors="white", linewidths=1, zorder=3,
               gid=chart.tip(chart.gid("campaigns"), [
                   f"{point.campaign} · {w.get(point.verdict, point.verdict)}\n{w['spend']} "
                   f"{money(point.cost, currency, lang)} · {w['roi']} {_trim(round(point.roi, 2))}"
                   for point in ads.points]))
    shown = [point for point in ads.points if point.severity or len(ads.points) <= 8]
    for point in sorted(shown, key=lambda p: (SEVERITY_RANK.get(p.severity or "", 9), -p.cost))[:10]:  # most urgent first
        labels.place(point.cost, point.roi, 6.0 if point.severity else 4.5,
                     f"{_short(point.campaign, 10)} · {w.get(point.verdict, point.verdict)}",
                     VERDICT_COLOUR.get(point.verdict, TEXT), reach=point.severity is not None)
    by_colour: dict[str, list[str]] = {}  # one legend entry a colour: "亏钱 / 暂停"
    for point in sorted(ads.points, key=lambda p: list(VERDICT_COLOUR).index(p.verdict) if p.verdict in VERDICT_COLOUR else 9):
        words = by_colour.setdefault(VERDICT_COLOUR.get(point.verdict, BLUE), [])
        if w.get(point.verdict, point.verdict) not in words:
            words.append(w.get(point.verdict, point.verdict))
    legend_row(chart, [(("dot", colour), " / ".join(words)) for colour, words in by_colour.items()], x=2, y=0,
               anchor="left", pad=0.2, handle_pad=0.1, spacing=0.9)
    return chart


# -- item map ---------------------------------------------------------------------------------------------
def item_chart(items: ItemMap, lang: str, currency: str) -> Chart:
    w = WORDS[lang]
    chart = new_chart("items", w["items"], 296, left=50, right=16, top=40, bottom=60)
    ax = chart.ax
    visitors = [point.visitors for point in items.points]
    values = [point.visitor_value for point in items.points] + [items.average]
    low = 10 ** math.floor(math.log10(max(min(visitors), 1.0)))
    high = 10 ** math.ceil(math.log10(max(max(visitors), low * 10)))
    ax.set_xscale("log")
    ax.set_xlim(low, high)
    ax.set_ylim(0, max(values) * 1.12)
    decades = []
    tick = low
    while tick <= high:
        decades.append(tick)
        tick *= 10
    axis_labels(chart, "x", decades, [compact(value, lang) for value in decades])
    ticks = nice_ticks(*ax.get_ylim())
    axis_labels(chart, "y", ticks, [money(tick, currency, lang) for tick in ticks], grid=True)
    chart.figure.text(chart.x_points(8), chart.y_points(33), w["visitor_value"], fontsize=10.5, color=MUTED)
    chart.figure.text(chart.x_points(WIDTH - 16), chart.y_points(296 - 34), w["item_visitors"], ha="right",
                      fontsize=10.5, color=MUTED)
    average = w["average"].format(value=money(items.average, currency, lang))
    ax.axhline(items.average, color=GREY, linewidth=1.2, dashes=(5, 4), gid=chart.gid("average"))
    point_text(chart, 0, items.average, average, 2, 4, transform=ax.get_yaxis_transform(), fontsize=10.5, color=MUTED)
    named = [point for point in items.points if point.named]

    def item_tip(point) -> str:
        return (f"{point.name} ({point.item_id})\n{w['visitors']} {compact(point.visitors, lang)} · "
                f"{w['visitor_value']} {money(point.visitor_value, currency, lang)}")

    others = [point for point in items.points if not point.named]
    labels = Labels(chart, [(p.visitors, p.visitor_value, 6.0 if p.named else 3.5) for p in items.points])
    left, line = ax.bbox.extents[0], ax.transData.transform((1, items.average))[1]
    labels.block((left, line, left + labels.width(average) + 6, line + 16))
    labels.line(items.average)
    if others:
        ax.scatter([p.visitors for p in others], [p.visitor_value for p in others], s=49, color=BLUE, alpha=0.45,
                   linewidths=0, gid=chart.tip(chart.gid("items"), [item_tip(p) for p in others]))
    if named:
        ax.scatter([p.visitors for p in named], [p.visitor_value for p in named], s=144, color=ORANGE,
                   edgecolors="white", linewidths=1, zorder=3, gid=chart.tip(chart.gid("named"), [item_tip(p) for p in named]))
    for point in sorted(named, key=lambda p: (SEVERITY_RANK.get(p.severity or "", 9), -p.visitors))[:8]:  # most urgent first
        labels.place(point.visitors, point.visitor_value, 6.0, _short(point.name, 12), TEXT)
    if items.total > len(items.points):
        chart.figure.text(chart.x_points(8), chart.y_points(296 - 12),
                          w["more_items"].format(n=f"{items.total - len(items.points):,}"), fontsize=10.5, color=MUTED)
    return chart


# -- all of them -----------------------------------------------------------------------------------------
def all_charts(visuals: Visuals, lang: str) -> list[Chart]:
    """Every chart the data allows, in the order of the report: trends, bridges, sources, ads, items."""
    charts: list[Chart] = []
    with drawing():
        if visuals.trend is not None:
            charts += [trend_chart(visuals.trend, name, lang, visuals.currency)
                       for name in ("gmv", "visitors", "conversion_rate", "aov")]
        charts += [bridge_chart(bridge, lang, visuals.currency) for bridge in visuals.bridges]
        if visuals.sources is not None:
            charts.append(source_chart(visuals.sources, lang))
        if visuals.ads is not None and visuals.ads.points:
            charts.append(ad_chart(visuals.ads, lang, visuals.currency))
        if visuals.items is not None and visuals.items.points:
            charts.append(item_chart(visuals.items, lang, visuals.currency))
    return charts


def key_chart(visuals: Visuals, lang: str) -> Chart | None:
    """The one chart for a chat group: 30 days of GMV against the daily target (the document's first
    question every morning: on target or not), else the day's GMV split, else none."""
    if visuals.trend is not None and sum(value is not None for value in visuals.trend.values["gmv"]) >= 2:
        with drawing():
            return trend_chart(visuals.trend, "gmv", lang, visuals.currency)
    if visuals.bridges:
        with drawing():
            return bridge_chart(visuals.bridges[0], lang, visuals.currency)
    return None
