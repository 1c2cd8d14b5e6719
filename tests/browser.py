"""Open an HTML report in headless Chromium with the network cut off, and report what the page did.

`open_pages` loads each page once (several at a time): one run both screenshots the page and dumps
its DOM after a probe script, added to a copy of the page, has measured every chart, collected
every problem (blocked or failed requests, script errors, console errors) and read the page's
visible text. Chromium's own console log on stderr is a second net for console messages.

The copy differs from the report only by the probe: the report's Content-Security-Policy is kept
and extended by `script-src 'nonce-probe'`, so the probe may run and nothing else may load.
Requests that got past the policy would still fail: every host resolves to nothing and the proxy
is a closed local port.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

PROBE = """<script nonce="probe">
window.__problems = [];
addEventListener("securitypolicyviolation", e => __problems.push("blocked " + e.blockedURI + " (" + e.violatedDirective + ")"));
addEventListener("error", e => __problems.push("error " + (e.message || (e.target && (e.target.src || e.target.href)) || e.type)), true);
for (const level of ["error", "warn"]) {
  const original = console[level];
  console[level] = (...args) => { __problems.push("console." + level + " " + args.join(" ")); original.apply(console, args); };
}
addEventListener("load", () => setTimeout(() => {
  const charts = [...document.querySelectorAll("svg[data-chart]")].map(svg => {
    const box = svg.getBoundingClientRect();
    const series = {};  // a series is drawn as elements with id "<chart>.<series>" or "<chart>.<series>.<n>"
    for (const group of svg.querySelectorAll("[id]")) {
      const [chart, name] = group.id.split(".");
      if (chart !== svg.dataset.chart || !name) continue;
      const b = group.getBBox();
      const seen = series[name] || {width: 0, height: 0, shapes: 0, tips: []};
      series[name] = {width: Math.max(seen.width, b.width), height: Math.max(seen.height, b.height),
                      shapes: seen.shapes + group.querySelectorAll("path, use, rect, circle, polyline").length,
                      // a shape's own <title>: the tooltip the browser shows over that dot or bar
                      tips: seen.tips.concat([...group.querySelectorAll("path > title, use > title")].map(t => t.textContent))};
    }
    return {chart: svg.dataset.chart, width: box.width, height: box.height, series};
  });
  const host = window.parent !== window ? parent.document : document;  // a phone-width frame reports to its host
  const out = host.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({charts, problems: __problems, text: document.body.innerText,
                                    viewport: innerWidth, page_width: document.documentElement.scrollWidth});
  host.body.appendChild(out);
}, 50));
</script>"""


def find_browser() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class Page:
    charts: list[dict]
    problems: list[str]  # from the probe
    console: list[str]  # Chromium's console log lines (stderr)
    text: str
    viewport: int
    page_width: int
    screenshot: bytes


def probed(html: str) -> str:
    """The report with the probe added (and allowed by its policy)."""
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert policy, "the report has no Content-Security-Policy"
    html = html.replace(policy.group(0), policy.group(0).replace(policy.group(1), policy.group(1) + "; script-src 'nonce-probe'"), 1)
    return html.replace("<head>", "<head>" + PROBE, 1)


# Headless Chromium's window is at least 500 px wide; a narrower page (a phone) is loaded into a frame
# of that width inside a host page. `srcdoc` keeps the frame same-origin, so its probe reports to the host.
MIN_WINDOW = 500


def framed(html: str, width: int, height: int) -> str:
    from html import escape

    return (f'<!DOCTYPE html><html><body style="margin:0;background:#fff">'
            f'<iframe style="width:{width}px;height:{height}px;border:0;display:block" srcdoc="{escape(html)}"></iframe>'
            f"</body></html>")


def _flags(browser: str, profile: Path) -> list[str]:
    """Headless, quiet, and cut off: every host resolves to nothing, the proxy is a closed port."""
    return [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
        "--disable-extensions", "--disable-background-networking", "--disable-sync", "--disable-component-update",
        "--mute-audio", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
        "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
        "--virtual-time-budget=3000",
    ]


def print_pdf(browser: str, html: str, timeout: float = 60.0) -> bytes:
    """The page as the browser prints it to PDF (A4/Letter by the locale, no header or footer), the
    report as it is: no probe. Empty bytes when Chromium wrote nothing."""
    work = Path(tempfile.mkdtemp(prefix="shopdoc-pdf-"))
    try:
        page, pdf = work / "report.html", work / "report.pdf"
        page.write_text(html, encoding="utf-8")
        subprocess.run([*_flags(browser, work / "profile"), "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                        page.as_uri()], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                       env={**os.environ, "LANG": "C.UTF-8"}, timeout=timeout)
        return pdf.read_bytes() if pdf.exists() else b""
    finally:
        shutil.rmtree(work, ignore_errors=True)


def pdf_pages(pdf: bytes) -> int:
    """How many pages the PDF has (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def pdf_fill_colours(pdf: bytes) -> set[str]:
    """The RGB fill colours painted on the PDF's pages, as #rrggbb (from its Flate content streams)."""
    import zlib

    colours = set()
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for r, g, b in re.findall(rb"(?<![\d.])([\d.]+) ([\d.]+) ([\d.]+) rg\b", content):
            colours.add("#" + "".join(f"{round(float(part) * 255):02x}" for part in (r, g, b)))
    return colours


def _command(browser: str, page: Path, shot: Path, profile: Path, width: int, height: int, scale: float) -> list[str]:
    return [*_flags(browser, profile), f"--window-size={width},{height}", f"--force-device-scale-factor={scale}",
            f"--screenshot={shot}", "--dump-dom", page.as_uri()]


def open_pages(browser: str, pages: list[tuple[str, int, int, float]], timeout: float = 60.0) -> list[Page]:
    """Load each (html, width, height, scale) at once; one Page each, in order."""
    work = Path(tempfile.mkdtemp(prefix="shopdoc-browser-"))
    try:
        runs = []
        for index, (html, width, height, scale) in enumerate(pages):
            page, shot, profile = work / f"page{index}.html", work / f"shot{index}.png", work / f"profile{index}"
            page_html = probed(html)
            window = width
            if width < MIN_WINDOW:
                page_html, window = framed(page_html, width, height), MIN_WINDOW
            page.write_text(page_html, encoding="utf-8")
            process = subprocess.Popen(_command(browser, page, shot, profile, window, height, scale),
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                       env={**os.environ, "LANG": "C.UTF-8"})
            runs.append((process, shot))
        out = []
        for process, shot in runs:
            stdout, stderr = process.communicate(timeout=timeout)
            dom = stdout.decode("utf-8", "replace")
            found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
            assert found, f"the probe did not run (exit {process.returncode}): {stderr.decode('utf-8', 'replace')[-2000:]}"
            import html as html_module

            data = json.loads(html_module.unescape(found.group(1)))
            console = [line for line in stderr.decode("utf-8", "replace").splitlines() if ":CONSOLE" in line]
            out.append(Page(data["charts"], data["problems"], console, data["text"], data["viewport"],
                            data["page_width"], shot.read_bytes() if shot.exists() else b""))
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)
