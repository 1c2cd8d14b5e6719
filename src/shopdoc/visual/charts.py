"""The charts of the visual report, each a `Scene` drawn from the plain data of `visual.data`.

Nothing here computes a shop metric: it scales, places and labels. Colours keep one meaning across
charts: blue is the shop's own series, grey dashed a line to hold against (target, break-even,
average), green more and red less, orange a promotion day; to-dos are the severity colours of the
report (red critical, orange warning, grey info).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from shopdoc.visual.data import AdMap, Bridge, ItemMap, SourceChange, Trend, Visuals
from shopdoc.visual.scene import Circle, Group, Line, Polyline, Rect, Scene, Text

BLUE = "#2f6fdf"
GREY = "#8a8f98"
LIGHT = "#e6e8ec"
TEXT = "#333"
MUTED = "#6b7280"
GREEN = "#1a9b5b"
RED = "#d9363e"
ORANGE = "#f08c00"
PROMO = "#fff1d6"
SEVERITY = {"critical": RED, "warning": ORANGE, "info": GREY}
VERDICT_COLOUR = {"raise": GREEN, "earns": BLUE, "lower": ORANGE, "creative": ORANGE, "pause": RED, "loses": RED}

WIDTH = 400  # chart units; a phone shows them at ~0.9 px, a desktop column at ~1.2 px

WORDS = {
    "zh": {
        "gmv": "支付金额", "visitors": "访客数", "conversion_rate": "支付转化率", "aov": "客单价",
        "target": "日目标", "promotion": "活动日", "trend": "近 30 天{name}",
        "bridge_previous_day": "支付金额拆解：和前一天比", "bridge_same_weekday_last_week": "支付金额拆解：和上周同一天比",
        "bridge_visitors": "访客数", "bridge_conversion_rate": "转化率", "bridge_aov": "客单价",
        "sources": "流量来源访客变化（{compare} → {day}）", "conversion": "当天转化率",
        "ads": "推广计划：日均花费 × 投产比（近 {days} 天）", "break_even": "保本 {value}",
        "spend": "日均花费", "roi": "投产比",
        "raise": "加价", "lower": "降价", "pause": "暂停", "creative": "换创意", "earns": "赚钱", "loses": "亏钱",
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
        "raise": "raise", "lower": "lower", "pause": "pause", "creative": "new creative", "earns": "earns", "loses": "loses",
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


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round axis values covering [low, high]."""
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 0.5 and len(ticks) < count + 3:
        ticks.append(round(value, 10))
        value += step
    return ticks


@dataclass
class Area:
    """The plotting area inside a chart, and the scale from data to chart units."""

    left: float
    top: float
    right: float
    bottom: float
    x_low: float = 0.0
    x_high: float = 1.0
    y_low: float = 0.0
    y_high: float = 1.0
    log_x: bool = False

    def x(self, value: float) -> float:
        low, high = self.x_low, self.x_high
        if self.log_x:
            value, low, high = math.log10(max(value, 1e-9)), math.log10(low), math.log10(high)
        span = (high - low) or 1.0
        return self.left + (value - low) / span * (self.right - self.left)

    def y(self, value: float) -> float:
        span = (self.y_high - self.y_low) or 1.0
        return self.bottom - (value - self.y_low) / span * (self.bottom - self.top)


def _title(scene: Scene, text: str) -> None:
    scene.add(Text(8, 18, text, size=14, fill=TEXT, bold=True))


def _y_grid(scene: Scene, area: Area, ticks: list[float], label) -> None:
    for tick in ticks:
        y = area.y(tick)
        scene.add(Line(area.left, y, area.right, y, stroke=LIGHT),
                  Text(area.left - 4, y + 4, label(tick), size=10.5, fill=MUTED, anchor="end"))


# -- 30-day trend -------------------------------------------------------------------------------------
def trend_chart(trend: Trend, name: str, lang: str, currency: str) -> Scene:
    w = WORDS[lang]
    scene = Scene(f"trend-{name}", WIDTH, 200, w["trend"].format(name=w[name]))
    _title(scene, scene.title)
    values = trend.values[name]
    targets = trend.targets if name == "gmv" else [None] * len(trend.days)
    known = [v for v in values if v is not None] + [t for t in targets if t is not None]
    if not known:
        scene.add(Text(WIDTH / 2, 110, w["no_data"], fill=MUTED, anchor="middle"))
        return scene
    low, high = min(known), max(known)
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    ticks = nice_ticks(max(low - pad, 0.0), high + pad, 3)
    area = Area(54, 34, WIDTH - 14, 170, 0, max(len(trend.days) - 1, 1), ticks[0], ticks[-1])
    step = (area.right - area.left) / max(len(trend.days) - 1, 1)
    promotions = Group("promotions", title=w["promotion"])
    for index, day in enumerate(trend.days):
        if day in trend.promotions:
            promotions.shapes.append(Rect(area.x(index) - step / 2, area.top, step, area.bottom - area.top, PROMO))
    if promotions.shapes:
        scene.add(promotions)
    _y_grid(scene, area, ticks, lambda tick: value_text(name, tick, currency, lang))
    for index in sorted({0, (len(trend.days) - 1) // 2, len(trend.days) - 1}):
        anchor = "start" if index == 0 else ("end" if index == len(trend.days) - 1 else "middle")
        scene.add(Text(area.x(index), area.bottom + 16, short_day(trend.days[index], lang), size=10.5, fill=MUTED,
                       anchor=anchor))
    if any(t is not None for t in targets):
        target = Group("target", title=w["target"])
        for run in _runs(targets):
            target.shapes.append(Polyline([(area.x(i), area.y(v)) for i, v in run], GREY, width=1.5, dash="5 4"))
        scene.add(target)
        scene.add(Text(area.right, 30, "- - " + w["target"], size=10.5, fill=MUTED, anchor="end"))
    series = Group(name, title=w[name])
    for run in _runs(values):
        if len(run) == 1:
            index, value = run[0]
            series.shapes.append(Circle(area.x(index), area.y(value), 2.5, BLUE))
        else:
            series.shapes.append(Polyline([(area.x(i), area.y(v)) for i, v in run], BLUE, width=2.2))
    scene.add(series)
    last = values[-1]
    if last is not None:
        x, y = area.x(len(values) - 1), area.y(last)
        below = targets[-1] is not None and last < targets[-1]
        scene.add(Circle(x, y, 4, RED if below else BLUE, stroke="#fff"),
                  Text(x - 6, y - 8 if y > area.top + 16 else y + 16, value_text(name, last, currency, lang),
                       size=11.5, fill=RED if below else TEXT, anchor="end", bold=True))
    return scene


def _runs(values: list[float | None]) -> list[list[tuple[int, float]]]:
    """Consecutive known values, so a missing day is a gap in the line, not a slope."""
    runs: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for index, value in enumerate(values):
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((index, value))
    if current:
        runs.append(current)
    return runs


# -- GMV bridge -------------------------------------------------------------------------------------------
def bridge_chart(bridge: Bridge, lang: str, currency: str) -> Scene:
    w = WORDS[lang]
    scene = Scene(f"bridge-{bridge.compare}", WIDTH, 230, w[f"bridge_{bridge.compare}"])
    _title(scene, scene.title)
    steps = [("visitors", bridge.contributions["visitors"]), ("conversion_rate", bridge.contributions["conversion_rate"]),
             ("aov", bridge.contributions["aov"])]
    levels = [bridge.start]
    for _, amount in steps:
        levels.append(levels[-1] + amount)
    low, high = min(0.0, *levels, bridge.end), max(*levels, bridge.end)
    ticks = nice_ticks(low, high * 1.08, 4)
    area = Area(54, 40, WIDTH - 10, 186, 0, 5, ticks[0], ticks[-1])
    _y_grid(scene, area, ticks, lambda tick: money(tick, currency, lang))
    slot = (area.right - area.left) / 5
    bar = slot * 0.6

    def column(index: int, series: str, top: float, bottom: float, colour: str, label: str, caption: str) -> None:
        x = area.left + slot * index + (slot - bar) / 2
        y1, y2 = sorted((area.y(top), area.y(bottom)))
        group = Group(series, [Rect(x, y1, bar, max(y2 - y1, 1.0), colour)], title=f"{caption} {label}")
        scene.add(group,
                  Text(x + bar / 2, y1 - 5, label, size=11, fill=TEXT, anchor="middle", bold=series in ("start", "end")),
                  Text(x + bar / 2, area.bottom + 16, caption, size=11, fill=MUTED, anchor="middle"))

    column(0, "start", bridge.start, 0, GREY, money(bridge.start, currency, lang), short_day(bridge.compare_day, lang))
    for index, (name, amount) in enumerate(steps, 1):
        before, after = levels[index - 1], levels[index]
        column(index, name, before, after, GREEN if amount >= 0 else RED, money(amount, currency, lang, signed=True),
               w[f"bridge_{name}"])
        scene.add(Line(area.left + slot * index - (slot - bar) / 2, area.y(before),
                       area.left + slot * index + (slot - bar) / 2, area.y(before), stroke=GREY, dash="2 2"))
    column(4, "end", bridge.end, 0, BLUE, money(bridge.end, currency, lang), short_day(bridge.day, lang))
    change = (bridge.end - bridge.start) / bridge.start if bridge.start else 0.0
    scene.add(Text(WIDTH - 10, 18, percent(change, signed=True), size=13, fill=GREEN if change >= 0 else RED,
                   anchor="end", bold=True))
    return scene


# -- traffic sources -----------------------------------------------------------------------------------
def source_chart(change: SourceChange, lang: str) -> Scene:
    w = WORDS[lang]
    rows = change.rows
    height = 56 + 26 * len(rows)
    title = w["sources"].format(compare=short_day(change.compare_day, lang), day=short_day(change.day, lang))
    scene = Scene("sources", WIDTH, height, title)
    _title(scene, title)
    biggest = max(abs(row.change) for row in rows) or 1.0
    # columns: source name | change in visitors | bar around `middle` | conversion on the day
    middle, half = 268.0, 54.0
    scene.add(Line(middle, 30, middle, height - 10, stroke=GREY))
    gained, lost = Group("gained"), Group("lost")
    for index, row in enumerate(rows):
        y = 40 + 26 * index
        length = abs(row.change) / biggest * half
        up = row.change >= 0
        colour = GREEN if up else RED
        (gained if up else lost).shapes.append(
            Rect(middle if up else middle - length, y, max(length, 1.0), 16, colour))
        name = row.name if len(row.name) <= 8 else row.name[:7] + "…"
        scene.add(Text(8, y + 12.5, name, size=11.5, fill=TEXT))
        label = ("+" if up else "-") + compact(abs(row.change), lang)
        if row.compare_visitors:
            label += f" ({percent(row.change / row.compare_visitors, signed=True)})"
        scene.add(Text(middle - half - 8, y + 12.5, label, size=10.5, fill=colour, anchor="end"))
        if row.conversion_rate is not None:
            scene.add(Text(WIDTH - 6, y + 12.5, percent(row.conversion_rate), size=10.5, fill=MUTED, anchor="end"))
    scene.add(Text(WIDTH - 6, 32, w["conversion"], size=10, fill=MUTED, anchor="end"))
    scene.add(gained, lost)
    return scene


# -- ad map ---------------------------------------------------------------------------------------------
def ad_chart(ads: AdMap, lang: str, currency: str) -> Scene:
    w = WORDS[lang]
    scene = Scene("ads", WIDTH, 280, w["ads"].format(days=ads.days))
    _title(scene, scene.title)
    costs = [point.cost for point in ads.points]
    rois = [point.roi for point in ads.points] + ([ads.break_even] if ads.break_even else [])
    y_ticks = nice_ticks(0.0, max(rois) * 1.1, 4)
    x_ticks = nice_ticks(0.0, max(costs) * 1.15, 4)
    area = Area(44, 40, WIDTH - 16, 236, x_ticks[0], x_ticks[-1], y_ticks[0], y_ticks[-1])
    _y_grid(scene, area, y_ticks, lambda tick: _trim(tick))
    for tick in x_ticks:
        scene.add(Text(area.x(tick), area.bottom + 15, money(tick, currency, lang), size=10, fill=MUTED, anchor="middle"))
    scene.add(Text(area.right, area.bottom + 30, w["spend"], size=10.5, fill=MUTED, anchor="end"),
              Text(8, 32, w["roi"], size=10.5, fill=MUTED))
    if ads.break_even:
        y = area.y(ads.break_even)
        scene.add(Group("break_even", [
            Rect(area.left, y, area.right - area.left, area.bottom - y, "#fdecec"),
            Line(area.left, y, area.right, y, stroke=RED, width=1.2, dash="5 4"),
            Text(area.right - 2, y - 5, w["break_even"].format(value=_trim(round(ads.break_even, 2))), size=10.5,
                 fill=RED, anchor="end"),
        ], title=w["break_even"].format(value=_trim(round(ads.break_even, 2)))))
    points = Group("campaigns")
    labels = []
    for point in ads.points:
        colour = VERDICT_COLOUR.get(point.verdict, BLUE)
        tip = f"{point.campaign}: {money(point.cost, currency, lang)} · ROI {_trim(round(point.roi, 2))} · {w.get(point.verdict, point.verdict)}"
        points.shapes.append(Group(f"campaign:{point.campaign}", [
            Circle(area.x(point.cost), area.y(point.roi), 6 if point.severity else 4.5, colour, stroke="#fff")], title=tip))
        if point.severity or len(ads.points) <= 8:
            labels.append(point)
    scene.add(points)
    placed = Labels(area, [(area.x(p.cost), area.y(p.roi), 6.0 if p.severity else 4.5) for p in ads.points])
    if ads.break_even:
        line = area.y(ads.break_even)
        placed.block((area.right - 70, line - 16, area.right, line))  # the break-even line's own label
    placed.block_ticks(y_ticks)
    for point in sorted(labels, key=lambda p: (p.severity is None, -p.cost))[:10]:
        name = point.campaign if len(point.campaign) <= 10 else point.campaign[:9] + "…"
        text = f"{name} · {w.get(point.verdict, point.verdict)}"
        label = placed.place(area.x(point.cost), area.y(point.roi), text, VERDICT_COLOUR.get(point.verdict, TEXT))
        if label is not None:
            scene.add(label)
    return scene


class Labels:
    """Point labels that do not overlap: each goes right of its point, else left, else is left out
    (the point keeps its tooltip)."""

    def __init__(self, area: Area, dots: list[tuple[float, float, float]] = (), size: float = 10.5):
        self.area, self.size = area, size
        self.boxes = [(x - r, y - r, x + r, y + r) for x, y, r in dots]  # labels keep off every dot

    def _width(self, text: str) -> float:
        return sum(self.size if ord(char) > 0x2e80 else self.size * 0.6 for char in text)

    def place(self, x: float, y: float, text: str, colour: str) -> Text | None:
        width, rise = self._width(text), self.size * 0.95
        # (anchor, text x, baseline) to try: right of the dot, left of it, above it, below it
        for anchor, at, baseline in (("start", x + 9, y + 4), ("end", x - 9, y + 4),
                                     ("middle", x, y - 9), ("middle", x, y + 9 + rise)):
            left = at if anchor == "start" else (at - width if anchor == "end" else at - width / 2)
            box = (left, baseline - rise, left + width, baseline + self.size * 0.25)
            inside = box[0] >= 2 and box[2] <= WIDTH - 2 and box[1] >= self.area.top - 12 and box[3] <= self.area.bottom
            if inside and not any(_overlap(box, other) for other in self.boxes):
                self.boxes.append(box)
                return Text(at, baseline, text, size=self.size, fill=colour, anchor=anchor)
        return None

    def block(self, box: tuple[float, float, float, float]) -> None:
        self.boxes.append(box)

    def block_ticks(self, ticks: list[float]) -> None:
        """Keep labels off the y axis' numbers."""
        for tick in ticks:
            y = self.area.y(tick)
            self.boxes.append((0.0, y - 8, self.area.left - 2, y + 6))


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# -- item map ---------------------------------------------------------------------------------------------
def item_chart(items: ItemMap, lang: str, currency: str) -> Scene:
    w = WORDS[lang]
    scene = Scene("items", WIDTH, 280, w["items"])
    _title(scene, scene.title)
    visitors = [point.visitors for point in items.points]
    values = [point.visitor_value for point in items.points] + [items.average]
    y_ticks = nice_ticks(0.0, max(values) * 1.1, 4)
    low = 10 ** math.floor(math.log10(max(min(visitors), 1.0)))
    high = 10 ** math.ceil(math.log10(max(max(visitors), low * 10)))
    area = Area(50, 40, WIDTH - 16, 236, low, high, y_ticks[0], y_ticks[-1], log_x=True)
    _y_grid(scene, area, y_ticks, lambda tick: money(tick, currency, lang))
    tick = low
    while tick <= high:
        scene.add(Text(area.x(tick), area.bottom + 15, compact(tick, lang), size=10, fill=MUTED, anchor="middle"))
        tick *= 10
    scene.add(Text(area.right, area.bottom + 30, w["item_visitors"], size=10.5, fill=MUTED, anchor="end"),
              Text(8, 32, w["visitor_value"], size=10.5, fill=MUTED))
    y = area.y(items.average)
    average = w["average"].format(value=money(items.average, currency, lang))
    scene.add(Group("average", [Line(area.left, y, area.right, y, stroke=GREY, width=1.2, dash="5 4"),
                                Text(area.left + 2, y - 5, average, size=10.5, fill=MUTED)], title=average))
    others, named = Group("items"), Group("named", title=w["named"])
    for point in items.points:
        tip = f"{point.name} ({point.item_id}): {compact(point.visitors, lang)} · {money(point.visitor_value, currency, lang)}"
        dot = Circle(area.x(point.visitors), area.y(point.visitor_value), 6 if point.named else 3.5,
                     ORANGE if point.named else BLUE, stroke="#fff" if point.named else None,
                     opacity=1.0 if point.named else 0.45)
        (named if point.named else others).shapes.append(Group(f"item:{point.item_id}", [dot], title=tip))
    scene.add(others, named)
    placed = Labels(area, [(area.x(p.visitors), area.y(p.visitor_value), 6.0 if p.named else 3.5) for p in items.points])
    placed.block((area.left, y - 16, area.left + placed._width(average) + 4, y))  # the average line's own label
    placed.block_ticks(y_ticks)
    for point in [p for p in items.points if p.named][:8]:
        name = point.name if len(point.name) <= 12 else point.name[:11] + "…"
        label = placed.place(area.x(point.visitors), area.y(point.visitor_value), name, TEXT)
        if label is not None:
            scene.add(label)
    if items.total > len(items.points):
        scene.add(Text(area.left - 40, area.bottom + 30, w["more_items"].format(n=f"{items.total - len(items.points):,}"),
                       size=10.5, fill=MUTED))
    return scene


# -- all of them -----------------------------------------------------------------------------------------
def all_charts(visuals: Visuals, lang: str) -> list[Scene]:
    """Every chart the data allows, in the order of the report: trends, bridges, sources, ads, items."""
    scenes: list[Scene] = []
    if visuals.trend is not None:
        scenes += [trend_chart(visuals.trend, name, lang, visuals.currency)
                   for name in ("gmv", "visitors", "conversion_rate", "aov")]
    scenes += [bridge_chart(bridge, lang, visuals.currency) for bridge in visuals.bridges]
    if visuals.sources is not None:
        scenes.append(source_chart(visuals.sources, lang))
    if visuals.ads is not None:
        scenes.append(ad_chart(visuals.ads, lang, visuals.currency))
    if visuals.items is not None:
        scenes.append(item_chart(visuals.items, lang, visuals.currency))
    return scenes


def key_chart(visuals: Visuals, lang: str) -> Scene | None:
    """The one chart for a chat group: 30 days of GMV against the daily target (the document's first
    question every morning: on target or not), else the day's GMV split, else none."""
    if visuals.trend is not None and sum(value is not None for value in visuals.trend.values["gmv"]) >= 2:
        return trend_chart(visuals.trend, "gmv", lang, visuals.currency)
    if visuals.bridges:
        return bridge_chart(visuals.bridges[0], lang, visuals.currency)
    return None
