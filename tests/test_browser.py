"""The HTML report in a real browser: headless Chromium (the distribution's package; `.ci/run`
installs it), network cut off. Every chart must have drawn its series, nothing may be requested or
logged as an error, and the page's visible text must hold every printed to-do.

Three pages load at once (a few seconds in all): the demo shop at desktop width, the same at phone
width, and a copy with one planted request, which proves the checks can fail. The demo's report is
also printed to PDF, as an operator would from the browser's print dialog.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from browser import find_browser, open_pages, pdf_fill_colours, pdf_pages, print_pdf
from shopdoc.api import build_report, load
from shopdoc.config import load_config
from shopdoc.visual import collect, render_html

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
BROWSER = find_browser()

pytestmark = pytest.mark.skipif(BROWSER is None and not os.environ.get("CI"),
                                reason="no Chromium here (.ci/run installs it; apt-get install chromium)")

EXPECTED_SERIES = {
    "trend-gmv": {"gmv", "target"},
    "trend-visitors": {"visitors"},
    "trend-conversion_rate": {"conversion_rate"},
    "trend-aov": {"aov"},
    "bridge-previous_day": {"start", "visitors", "conversion_rate", "aov", "end"},
    "bridge-same_weekday_last_week": {"start", "visitors", "conversion_rate", "aov", "end"},
    "sources": {"gained", "lost"},
    "ads": {"break_even", "campaigns"},
    "items": {"items", "named", "average"},
}


@pytest.fixture(scope="module")
def demo():
    config = load_config(str(SAMPLE / "shopdoc.yaml"))
    dataset = load([str(SAMPLE)], config)
    report = build_report(dataset, config)
    return report, render_html(report, collect(dataset, config, report))


@pytest.fixture(scope="module")
def pages(demo):
    assert BROWSER is not None, "Chromium is missing: .ci/run installs it (apt-get install chromium)"
    _, html = demo
    planted = html.replace("</main>", '<img src="https://cdn.example.com/chart.png" alt=""></main>', 1)
    desktop, phone, bad = open_pages(BROWSER, [(html, 1200, 2400, 1), (html, 390, 2400, 1), (planted, 800, 600, 1)])
    return {"desktop": desktop, "phone": phone, "bad": bad}


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_every_chart_drew_its_series(pages, width):
    page = pages[width]
    drawn = {chart["chart"]: chart for chart in page.charts}
    assert set(drawn) == set(EXPECTED_SERIES)
    for name, series in EXPECTED_SERIES.items():
        chart = drawn[name]
        assert chart["width"] > 200 and chart["height"] > 100, (name, chart)
        assert series <= set(chart["series"]), (name, chart["series"])
        for each in series:
            box = chart["series"][each]
            assert box["shapes"] > 0 and (box["width"] > 0 or box["height"] > 0), (name, each, box)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_nothing_requested_and_no_console_errors(pages, width):
    page = pages[width]
    assert page.problems == [] and page.console == []


def test_the_checks_catch_a_request(pages):
    page = pages["bad"]
    assert any("cdn.example.com" in problem for problem in page.problems)
    assert any("cdn.example.com" in line for line in page.console)


def printed_todos(html: str) -> list[str]:
    """The text of each to-do item in the report's source (title, action, numbers, rule), tags removed."""
    import re
    from html import unescape

    items = re.findall(r'<li class="(?:\w+)"[^>]*>(.*?)</li>', html, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]


def test_page_text_holds_every_printed_todo(pages, demo):
    report, html = demo
    todos = printed_todos(html)
    assert len(todos) > 20  # every printed to-do and every "…and N more" line
    text = " ".join(pages["desktop"].text.split())
    for todo in todos:
        for part in todo.split(" "):  # inline elements may be laid out with or without a space between them
            assert part in text, (part, todo)
    position = 0
    for todo in todos:  # and in the same order as in the source
        first = todo.split(" ")[1] if " " in todo else todo
        position = text.find(first, position)
        assert position != -1, todo


def test_phone_width_is_one_column_without_sideways_scrolling(pages):
    phone = pages["phone"]
    assert phone.viewport == 390 and phone.page_width <= 390
    widths = {chart["chart"]: chart["width"] for chart in phone.charts}
    assert all(340 <= width <= 390 for width in widths.values()), widths  # one chart across the screen


def test_screenshot_shows_the_report(pages):
    from PIL import Image

    shot = Image.open(io.BytesIO(pages["desktop"].screenshot))
    assert shot.size == (1200, 2400)
    colours = shot.convert("RGB").getcolors(1 << 24)
    assert len(colours) > 500  # text, charts and colour, not a blank or error page
    blue = sum(count for count, colour in colours if colour == (0x2F, 0x6F, 0xDF))
    assert blue > 200  # the series' blue (trend lines, the report day's GMV bar) was painted


def test_dots_and_bars_have_their_tooltips(pages, demo):
    """Hovering a dot or bar shows its name and numbers: each shape holds its own SVG <title>."""
    report, _ = demo
    drawn = {chart["chart"]: chart for chart in pages["desktop"].charts}
    campaigns = drawn["ads"]["series"]["campaigns"]
    assert len(campaigns["tips"]) == campaigns["shapes"]  # one a dot
    assert any(tip.startswith("羊毛衫-核心词 · ") and "投产比" in tip for tip in campaigns["tips"]), campaigns["tips"]
    named = drawn["items"]["series"]["named"]["tips"]
    assert any(tip.startswith("秋冬加厚高领羊毛衫女") and "访客数 1,818" in tip for tip in named), named
    assert drawn["bridge-previous_day"]["series"]["visitors"]["tips"] == ["访客数 -6,595元"]


@pytest.fixture(scope="module")
def pdf(demo):
    assert BROWSER is not None, "Chromium is missing: .ci/run installs it (apt-get install chromium)"
    return print_pdf(BROWSER, demo[1])


def test_the_report_prints_to_pdf_with_its_charts(pdf, demo):
    import re

    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000
    assert pdf_pages(pdf) > 1  # the to-do list and the charts run over several pages
    # colours only the charts paint (the shop's blue series, green bars, promotion days): they were printed
    chart_only = {"#2f6fdf", "#1a9b5b", "#fff1d6"}
    page_without_charts = re.sub(r"<svg.*?</svg>", "", demo[1], flags=re.S).lower()
    assert not any(colour in page_without_charts for colour in chart_only)
    assert chart_only <= pdf_fill_colours(pdf), sorted(pdf_fill_colours(pdf))
