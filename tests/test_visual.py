"""The visual report: the charts' numbers, the offline HTML page, `--chart`, and charts in chat.

The demo shop (`sample_data/`, exports shaped like real Sycm, 直通车 and 万相台 downloads) drives the
end-to-end tests; the charts' arithmetic is checked on frames shaped like the importer's output.
The page itself is opened in a real browser by `test_browser.py`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

from shopdoc.api import build_report, load
from shopdoc.config import Config, load_config, merge
from shopdoc.dataset import Dataset
from shopdoc.report import _format as fmt
from shopdoc.report import render
from shopdoc.visual import collect, render_html
from shopdoc.visual.charts import all_charts, key_chart
from shopdoc.visual.data import ITEM_POINTS, Visuals
from shopdoc.visual.html import todo_key
from shopdoc.visual.draw import to_png, to_svg
from exports import every_finding

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def demo():
    config = load_config(str(SAMPLE / "shopdoc.yaml"))
    dataset = load([str(SAMPLE)], config)
    report = build_report(dataset, config)
    return dataset, config, report, collect(dataset, config, report)


def shop_days(end: str, count: int, gmv=lambda n: 40000.0 + 500 * n) -> pd.DataFrame:
    """A Sycm 店铺整体 frame of `count` days up to `end`, as the importer (or the history) gives it."""
    last = pd.Timestamp(end)
    rows = []
    for n in range(count):
        day = (last - pd.Timedelta(days=count - 1 - n)).date().isoformat()
        visitors, buyers = 8000.0 + 10 * n, 160.0 + n
        rows.append({"date": day, "visitors": visitors, "buyers": buyers, "gmv": gmv(n),
                     "conversion_rate": buyers / visitors, "aov": gmv(n) / buyers, "_file": "店铺整体.xls", "_row": 5 + n})
    return pd.DataFrame(rows)


# -- the charts' numbers ----------------------------------------------------------------------------------
def test_trend_is_thirty_calendar_days_ending_on_the_report_day_with_gaps_for_missing_days():
    frame = shop_days("2026-11-22", 40)
    frame = frame[frame["date"] != "2026-11-10"]  # a day nobody downloaded
    config = Config(merge({"rules": {"sales": {"daily_target": {"monthly_target": 1_500_000}}}}))
    dataset = Dataset(frames={"shop_daily": frame})
    report = build_report(dataset, config, date="2026-11-22")
    trend = collect(dataset, config, report).trend
    assert trend.days[0] == "2026-10-24" and trend.days[-1] == "2026-11-22" and len(trend.days) == 30
    gmv = dict(zip(trend.days, trend.values["gmv"]))
    assert gmv["2026-11-10"] is None
    assert gmv["2026-11-22"] == pytest.approx(40000 + 500 * 39)
    # the month's target spread over its days: October has 31, November 30
    assert trend.targets == [pytest.approx(1_500_000 / 31)] * 8 + [pytest.approx(50000.0)] * 22
    # the promotion calendar marks 双11's phases inside the 30 days
    assert trend.promotions["2026-10-24"] == "双11预售" and trend.promotions["2026-11-11"] == "双11正式开卖"
    assert "2026-11-12" not in trend.promotions


def test_no_monthly_target_means_no_target_line():
    dataset = Dataset(frames={"shop_daily": shop_days("2026-11-22", 10)})
    config = Config(merge({}))
    visuals = collect(dataset, config, build_report(dataset, config, date="2026-11-22"))
    assert visuals.trend.targets == [None] * 30
    assert "target" not in all_charts(visuals, "zh")[0].series()


def test_promotion_days_from_the_hook_are_shaded(monkeypatch):
    from shopdoc.visual import data

    monkeypatch.setattr(data, "promotion_days", lambda config, first, last: {"2026-11-11": "双11"})
    dataset = Dataset(frames={"shop_daily": shop_days("2026-11-22", 20)})
    config = Config(merge({}))
    visuals = collect(dataset, config, build_report(dataset, config, date="2026-11-22"))
    scene = all_charts(visuals, "zh")[0]
    assert visuals.trend.promotions == {"2026-11-11": "双11"} and "promotions" in scene.series()


def test_bridges_add_up_to_the_gmv_change(demo):
    _, _, report, visuals = demo
    compares = [bridge.compare for bridge in visuals.bridges]
    assert compares == ["previous_day", "same_weekday_last_week"]
    for bridge in visuals.bridges:
        assert sum(bridge.contributions.values()) == pytest.approx(bridge.end - bridge.start)
        assert bridge.end == pytest.approx(report.metrics["gmv"])
    # the same split the rule wrote into its evidence
    split = {f.evidence["compare"]: f.evidence["contributions"] for f in every_finding(report.findings) if f.rule == "sales.gmv_drivers"}
    assert len(split) == 2
    for bridge in visuals.bridges:
        assert split[bridge.compare] == pytest.approx(bridge.contributions, rel=1e-3)


def test_source_change_lists_movers_against_the_day_before(demo):
    _, _, _, visuals = demo
    sources = visuals.sources
    assert (sources.day, sources.compare_day) == ("2026-11-22", "2026-11-21")
    free = next(row for row in sources.rows if row.name == "淘内免费")
    assert free.change == pytest.approx(-1290)  # the figure the traffic.source_change to-do states
    assert abs(sources.rows[0].change) == max(abs(row.change) for row in sources.rows)


def test_ad_map_has_break_even_and_the_rules_verdicts(demo):
    _, _, _, visuals = demo
    ads = visuals.ads
    assert ads.break_even == pytest.approx(1 / 0.30)
    by_name = {point.campaign: point for point in ads.points}
    # A test plan (货品加速) is judged by ads.test_plan, never paused on ROI: on the map it is testing.
    assert by_name["开衫测款"].verdict == "testing"
    assert by_name["老客召回-人群"].verdict == "raise"
    assert by_name["开衫测款"].roi == pytest.approx(510.2 / 410.8, rel=0.05)
    assert all(point.verdict in ("earns", "loses", "raise", "lower", "pause", "creative", "testing") for point in ads.points)


def test_item_map_highlights_the_items_the_rules_named(demo):
    from shopdoc.visual.data import named_subjects

    _, _, report, visuals = demo
    named = {subject[5:] for subject in named_subjects(report) if subject.startswith("item:")}
    drawn = {point.item_id for point in visuals.items.points if point.named}
    assert drawn == named and {"652318809545", "652318809543"} <= named  # traffic_allocation (grow), conversion_drop


def test_a_big_shop_is_summarised_not_plotted_point_by_point():
    items = pd.DataFrame({"date": "2026-11-22", "item_id": [str(5000 + n) for n in range(5000)],
                          "item_name": [f"商品{n}" for n in range(5000)], "visitors": [float(10 + n % 900) for n in range(5000)],
                          "gmv": [float(n % 37) * 20 for n in range(5000)]})
    dataset = Dataset(frames={"item_daily": items})
    config = Config(merge({}))
    report = build_report(dataset, config, date="2026-11-22")
    visuals = collect(dataset, config, report)
    points = visuals.items.points
    named = sum(point.named for point in points)
    assert named and len(points) <= ITEM_POINTS + named and visuals.items.total == 5000
    svg = to_svg(all_charts(visuals, "en")[-1])
    assert svg.count("<use ") == len(points) and f"{5000 - len(points):,} more items not drawn" in svg


def test_nothing_to_chart_gives_no_charts_and_no_key_chart():
    reviews = pd.DataFrame({"date": ["2026-11-22"], "item_id": ["1"], "rating": [5.0], "content": ["好"]})
    dataset = Dataset(frames={"review": reviews})
    config = Config(merge({}))
    visuals = collect(dataset, config, build_report(dataset, config, date="2026-11-22"))
    assert all_charts(visuals, "zh") == [] and key_chart(visuals, "zh") is None
    assert "导出数据里没有可以画图的内容" in render_html(build_report(dataset, config, date="2026-11-22"), visuals)


# -- the page -----------------------------------------------------------------------------------------------
def test_html_is_self_contained_and_offline(demo):
    _, _, report, visuals = demo
    page = render_html(report, visuals)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "default-src 'none'" in page
    # nothing that could make a request: no script, no external reference of any kind
    assert "<script" not in page and "<link" not in page and "<img" not in page and "@import" not in page
    # references inside a chart point at the same chart (a marker's shape, a clip path), never out of the page
    assert not re.search(r"""(src|href)\s*=\s*(?!["']?#)|url\((?!#)""", page, re.I)
    assert re.search(r'xlink:href="#', page) and re.search(r"url\(#", page)
    assert not re.search(r"https?://", page)


def test_html_has_the_same_todos_in_the_same_order_as_the_text_report(demo):
    _, _, report, visuals = demo
    page = render_html(report, visuals)
    keys = [m.replace("&gt;", ">").replace("&amp;", "&") for m in re.findall(r'<li class="\w+" data-key="([^"]*)"', page)]
    printed = [todo_key(f) for section in fmt.sections(report.findings) for f in fmt.listed(section.findings)[0]]
    assert keys == printed and len(keys) > 20
    text = render(report, "text")
    titles = [line.split("】", 1)[1].split("（")[0] for line in text.splitlines() if line.startswith("【")]
    from html import escape

    position = page.find('id="todo"')
    for title in titles:  # every printed title, one after the other
        position = page.find(escape(title), position + 1)
        assert position != -1, title


def test_html_has_every_chart_with_its_series(demo):
    _, _, report, visuals = demo
    page = render_html(report, visuals)
    charts = re.findall(r'data-chart="([\w-]+)"', page)
    assert charts == ["trend-gmv", "trend-visitors", "trend-conversion_rate", "trend-aov", "bridge-previous_day",
                      "bridge-same_weekday_last_week", "sources", "ads", "items"]
    for chart, series in (("trend-gmv", "gmv"), ("trend-gmv", "target"), ("trend-visitors", "visitors"),
                          ("trend-conversion_rate", "conversion_rate"), ("trend-aov", "aov"), ("trend-gmv", "promotions"),
                          ("bridge-previous_day", "start"), ("bridge-previous_day", "end"), ("sources", "lost"),
                          ("ads", "break_even"), ("ads", "campaigns"), ("items", "named"), ("items", "average")):
        assert f'id="{chart}.{series}"' in page, (chart, series)
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # matplotlib's own numbered ids are not repeated chart after chart


def test_html_in_english_has_english_frame(demo):
    dataset, config, _, _ = demo
    report = build_report(dataset, config, lang="en")
    page = render_html(report, collect(dataset, config, report))
    assert '<html lang="en">' in page and "GMV, last 30 days" in page and "Owner: " in page
    assert "近 30 天" not in page


def test_hostile_export_text_cannot_become_markup(demo):
    _, _, report, _ = demo
    from shopdoc.visual.data import ItemMap, ItemPoint

    points = [ItemPoint("1", '<script>alert(1)</script>"><img src=x>', 500, 3.0, True),
              ItemPoint("2", "$5 off $x^2$ \\frac", 90, 1.0, True)]  # a dollar sign is not TeX to matplotlib
    page = render_html(report, Visuals(day="2026-11-22", currency="CNY", items=ItemMap(2.0, points, 2)))
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;ale…" in page and "$5 off $x^2…" in page  # as text, shortened to 12 characters
    # the tooltips hold the whole name, escaped, each in its own dot
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;\"&gt;&lt;img src=x&gt; (1)\n" in page
    assert "<title>$5 off $x^2$ \\frac (2)\n" in page


def test_each_dot_and_bar_has_its_own_tooltip(demo):
    _, _, report, visuals = demo
    charts = {chart.name: chart for chart in all_charts(visuals, report.lang)}
    ads = to_svg(charts["ads"])
    group = ads[ads.index('<g id="ads.campaigns">'):]
    dots = re.findall(r"<(path|use)\b[^>]*><title>([^<]*)</title></\1>", group[:group.index("</g>")])
    assert [tip.split(" · ")[0] for _, tip in dots] == [point.campaign for point in visuals.ads.points]
    assert all("日均花费" in tip and "投产比" in tip for _, tip in dots)
    items = to_svg(charts["items"])
    assert items.count("<title>") == len(visuals.items.points)
    bridge = to_svg(charts["bridge-previous_day"])
    assert re.search(r'<g id="bridge-previous_day.end">\s*<path [^>]*><title>11-22 4.41万元</title></path>', bridge)
    assert to_svg(charts["sources"]).count("<title>") == len(visuals.sources.rows)


# -- the command line ------------------------------------------------------------------------------------
def test_diagnose_writes_html_and_the_chart(cli, tmp_path):
    code = cli("diagnose", str(SAMPLE), "--config", str(SAMPLE / "shopdoc.yaml"), "--no-history",
               "-o", "report.html", "--chart", "gmv.png")
    assert code.code == 0, code.err
    page = (tmp_path / "report.html").read_text(encoding="utf-8")  # -o *.html picks the html format
    assert 'data-chart="trend-gmv"' in page
    png = (tmp_path / "gmv.png").read_bytes()
    assert png.startswith(PNG_MAGIC) and 10_000 < len(png) < 2 * 1024 * 1024
    code = cli("diagnose", str(SAMPLE), "--config", str(SAMPLE / "shopdoc.yaml"), "--no-history", "--format", "json",
               "--chart", "gmv.svg")
    assert code.code == 0 and code.out.lstrip().startswith("{")
    svg = (tmp_path / "gmv.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in svg and 'id="trend-gmv.target"' in svg


def test_chart_with_a_wrong_suffix_is_refused_before_any_work(cli):
    code = cli("diagnose", str(SAMPLE), "--chart", "gmv.jpg")
    assert code.code == 2 and "--chart gmv.jpg: must end in .png or .svg" in code.err


def test_report_url_must_be_http(tmp_path):
    from shopdoc.errors import ConfigError

    with pytest.raises(ConfigError, match="report.url"):
        merge({"report": {"url": "ftp://example.com/r.html"}})
    assert merge({"report": {"url": "https://example.com/{date}.html"}})["report"]["url"]


# -- PNG ------------------------------------------------------------------------------------------------------
def test_key_chart_png_is_a_real_image(demo):
    from PIL import Image
    import io

    _, _, _, visuals = demo
    png = to_png(key_chart(visuals, "en"))
    image = Image.open(io.BytesIO(png))
    assert image.size == (800, 400)
    colours = {colour for _, colour in image.convert("RGB").getcolors(1 << 20)}
    assert (0x2F, 0x6F, 0xDF) in colours  # the GMV line was drawn in the series' blue


# -- chat -----------------------------------------------------------------------------------------------------
def test_wecom_gets_the_chart_as_an_image_and_others_a_link(demo):
    from shopdoc.chat.visual import extra_messages, report_link

    _, _, report, visuals = demo
    from shopdoc.visual import key_chart_png

    png = key_chart_png(visuals, "zh")
    url = report_link("https://reports.example.com/{shop}/{date}.html", "demo shop", "2026-11-22")
    assert url == "https://reports.example.com/demo%20shop/2026-11-22.html"
    extras = extra_messages(png, url, "zh")
    image, link = extras("wecom")
    assert image["msgtype"] == "image"
    raw = base64.b64decode(image["image"]["base64"])
    assert raw == png and image["image"]["md5"] == hashlib.md5(raw).hexdigest()
    assert url in link["markdown"]["content"]
    (dingtalk,) = extras("dingtalk")
    assert url in dingtalk["markdown"]["text"]
    (feishu,) = extras("feishu")
    assert feishu["content"]["post"]["zh_cn"]["content"][0][0] == {"tag": "a", "text": feishu["content"]["post"]["zh_cn"]["content"][0][0]["text"], "href": url}
    (slack,) = extras("slack")
    assert f"<{url}|" in slack["blocks"][0]["text"]["text"]
    assert extra_messages(png, None, "zh")("slack") == []


def test_an_image_over_two_megabytes_is_not_sent():
    from shopdoc.chat.visual import image_message

    assert image_message(b"x" * (2 * 1024 * 1024 + 1)) is None
    assert image_message(b"x" * 100)["image"]["md5"] == hashlib.md5(b"x" * 100).hexdigest()


def test_send_wecom_posts_the_report_then_the_chart(cli, monkeypatch, tmp_path):
    from test_chat_send import FakeClock, Robots

    robots = Robots(FakeClock())
    robots.thread.start()
    try:
        for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        monkeypatch.setenv("SHOPDOC_WECOM_WEBHOOK", robots.env()["SHOPDOC_WECOM_WEBHOOK"])
        (tmp_path / "shopdoc.yaml").write_text(
            (SAMPLE / "shopdoc.yaml").read_text(encoding="utf-8") + "report:\n  url: https://r.example.com/{date}.html\n",
            encoding="utf-8")
        code = cli("diagnose", str(SAMPLE), "--no-history", "-q", "--format", "json", "--send", "wecom")
        assert code.code == 0, code.err
        bodies = [request["body"] for request in robots.of("wecom")]
        assert [body["msgtype"] for body in bodies] == ["markdown"] * (len(bodies) - 2) + ["image", "markdown"]
        assert "https://r.example.com/2026-11-22.html" in bodies[-1]["markdown"]["content"]
        assert robots.problems == []
    finally:
        robots.server.shutdown()
        robots.server.server_close()


def test_readme_shows_the_demo_screenshots():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("report-desktop.png", "report-phone.png"):
        shot = ROOT / "docs" / name
        assert f"docs/{name}" in readme and shot.read_bytes().startswith(PNG_MAGIC)


def test_trend_of_single_day_downloads_comes_from_the_history(cli, tmp_path):
    """An operator downloads one day each morning: the 30-day trend is the history's days plus today's file."""
    history = tmp_path / "history.sqlite3"
    header = "统计日期,访客数,浏览量,跳失率,人均浏览量,支付买家数,支付金额,支付转化率,客单价\n"
    for n, day in enumerate(("2026-11-20", "2026-11-21", "2026-11-22")):
        folder = tmp_path / day
        folder.mkdir()
        gmv = 40000 + 2000 * n
        (folder / f"【生意参谋平台】店铺整体_{day}_{day}.csv").write_text(
            header + f'{day},"8,000","19,500",55.20%,3.40,160,"{gmv:,}.00",2.00%,{gmv / 160:.2f}\n', encoding="utf-8")
        code = cli("diagnose", str(folder), "--history", str(history), "-q", "-o", f"{day}.html", "--chart", f"{day}.svg")
        assert code.code == 0
        assert ("nothing to chart yet" in code.err) == (n == 0)
    page = (tmp_path / "2026-11-22.html").read_text(encoding="utf-8")
    svg = (tmp_path / "2026-11-22.svg").read_text(encoding="utf-8")
    (line,) = re.findall(r'<g id="trend-gmv\.gmv">\s*<path d="([^"]+)"', svg)
    assert re.findall(r"[ML]", line) == ["M", "L", "L"]  # three days joined into one line: two from the history, one from today
    assert 'data-chart="bridge-previous_day"' in page  # the day before came from the history too
    assert not (tmp_path / "2026-11-20.svg").exists()  # one day is not a trend: nothing to chart yet


def test_every_robot_links_to_the_published_report(cli, monkeypatch, tmp_path):
    from test_chat_send import FakeClock, Robots

    robots = Robots(FakeClock())
    robots.link = "https://r.example.com/demo-shop/2026-11-22.html"
    robots.thread.start()
    try:
        for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        for name, value in robots.env().items():
            monkeypatch.setenv(name, value)
        (tmp_path / "shopdoc.yaml").write_text(
            (SAMPLE / "shopdoc.yaml").read_text(encoding="utf-8")
            + "report:\n  url: https://r.example.com/{shop}/{date}.html\n", encoding="utf-8")
        code = cli("diagnose", str(SAMPLE), "--no-history", "-q", "--format", "json",
                   *[arg for name in ("dingtalk", "feishu", "slack") for arg in ("--send", name)])
        assert code.code == 0, code.err
        dingtalk, feishu, slack = (robots.of(name)[-1]["body"] for name in ("dingtalk", "feishu", "slack"))
        assert f"]({robots.link})" in dingtalk["markdown"]["text"]
        (paragraph,) = feishu["content"]["post"]["zh_cn"]["content"]
        assert paragraph[0]["tag"] == "a" and paragraph[0]["href"] == robots.link
        assert slack["blocks"][0]["text"]["text"].startswith(f"<{robots.link}|")
        assert all(request["body"].get("msgtype") != "image" for request in robots.received)  # images: WeCom only
        assert robots.problems == []
    finally:
        robots.server.shutdown()
        robots.server.server_close()


def test_a_report_address_cannot_break_the_link_markup():
    from shopdoc.chat.visual import link_message

    url = "https://r.example.com/a (b)|c>d.html"
    assert "](https://r.example.com/a%20%28b%29%7Cc%3Ed.html)" in link_message("dingtalk", url, "en")["markdown"]["text"]
    assert link_message("slack", url, "en")["blocks"][0]["text"]["text"].startswith("<https://r.example.com/a%20%28b%29%7Cc%3Ed.html|")


def test_without_a_chinese_font_the_png_is_in_english(monkeypatch):
    from shopdoc.visual import chart_lang, draw

    assert chart_lang("zh") == ("zh" if draw.has_cjk_font() else "en")
    monkeypatch.setattr(draw, "has_cjk_font", lambda: False)
    assert chart_lang("zh") == "en" and chart_lang("en") == "en"


@pytest.mark.parametrize("cache", ["folder", "a file"])
def test_matplotlib_keeps_its_cache_in_shopdocs_quietly(tmp_path, cache):
    """Unless MPLCONFIGDIR says where, matplotlib's font cache goes to shopdoc's cache folder, or to a
    temporary one when that cannot be made; either way nothing is printed."""
    import os
    import subprocess
    import sys

    home = tmp_path / "cache"
    if cache == "a file":
        home.write_text("not a folder")
    env = {key: value for key, value in os.environ.items() if key != "MPLCONFIGDIR"}
    env.update(XDG_CACHE_HOME=str(home), PYTHONPATH=str(ROOT / "src"))
    code = ("import os; from shopdoc.visual.draw import _matplotlib, has_cjk_font; _matplotlib(); has_cjk_font(); "
            "print(os.environ['MPLCONFIGDIR'])")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == ""
    folder = Path(done.stdout.strip())
    if cache == "folder":
        assert folder == home / "shopdoc" / "matplotlib"
    else:
        assert folder.name.startswith("shopdoc-matplotlib") and folder.is_dir()


def test_the_maps_label_every_item_and_campaign_on_the_list(demo):
    """Labels never overlap, and none the rules named is left out for want of room (the demo's
    named items crowd around the average line)."""
    from html import escape

    from shopdoc.visual.charts import _short

    _, _, _, visuals = demo
    charts = {chart.name: to_svg(chart) for chart in all_charts(visuals, "zh")}
    named = [point for point in visuals.items.points if point.named]
    assert len(named) >= 4
    for point in named:
        assert f">{escape(_short(point.name, 12))}</text>" in charts["items"], point.name
    urgent = [point for point in visuals.ads.points if point.severity]
    assert urgent
    for point in urgent:
        assert f">{escape(_short(point.campaign, 10))} · " in charts["ads"], point.campaign


def test_matplotlib_imported_while_the_last_export_is_parsed_draws_the_same_charts(tmp_path):
    """A run that will draw imports matplotlib in the reading's idle hook (`diagnose._import_the_rest`),
    the Agg canvas too for a PNG; every artist's `set` still takes its properties though their
    docstrings are skipped, and a chart drawn after it is a full chart."""
    import subprocess
    import sys

    code = """
import sys
from shopdoc.commands.diagnose import _import_the_rest
_import_the_rest("png")
assert "matplotlib.figure" in sys.modules and "matplotlib.backends.backend_agg" in sys.modules
from shopdoc.visual import draw
from matplotlib.lines import Line2D
line = Line2D([0, 1], [0, 1])
line.set(color="red", linewidth=3, gid="x")
assert (line.get_color(), line.get_linewidth(), line.get_gid()) == ("red", 3, "x")
chart = draw.new_chart("t", "title", 200, left=54, right=14, top=34, bottom=30)
print(len(draw.to_svg(chart)))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "MPLCONFIGDIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) > 500


def test_axes_keep_their_labels_and_grid_without_matplotlibs_ticks(demo):
    _, _, report, visuals = demo
    charts = {chart.name: chart for chart in all_charts(visuals, report.lang)}
    svg = to_svg(charts["ads"])
    for label in ("0元", "200元", "400元", "600元", "日均花费"):  # spend per day, the x axis
        assert f">{label}<" in svg, label
    assert not charts["ads"].ax.xaxis.get_visible() and not charts["ads"].ax.yaxis.get_visible()
    trend = to_svg(charts["trend-gmv"])
    assert re.search(r">\d+(\.\d+)?万元<", trend)  # the y axis in 万元
    assert ">11-22<" in trend  # the report day under the line's end


def test_legends_name_each_key_in_one_row(demo):
    """The legends are plain artists laid out as matplotlib lays out a one-row legend
    (`draw.legend_row`): each key's words side by side on one baseline, the trend's ending at the
    plot's right edge (386 points from the left), the ad map's starting at the figure's left."""
    _, _, _, visuals = demo
    charts = {chart.name: to_svg(chart) for chart in all_charts(visuals, "zh")}

    def placed(svg: str, words: str) -> tuple[float, float]:
        found = re.search(r'<text [^>]*x="([\d.]+)" y="([\d.]+)"[^>]*>' + words + "</text>", svg)
        assert found, words
        return float(found[1]), float(found[2])

    promotion, target = placed(charts["trend-gmv"], "活动日"), placed(charts["trend-gmv"], "日目标")
    assert promotion[1] == target[1] and promotion[0] < target[0]
    assert target[0] + 3 * 9.5 == pytest.approx(386 - 0.7 * 9.5)  # three 9.5-point characters, then 0.7 em of padding
    raise_, testing = placed(charts["ads"], "加价"), placed(charts["ads"], "测款中")
    assert raise_[1] == testing[1] and 20 < raise_[0] < testing[0]
