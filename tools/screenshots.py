"""Regenerate the README's screenshots of the demo shop's HTML report (docs/report-*.png).

    .venv/bin/python tools/screenshots.py        # needs Chromium (apt-get install chromium) and a CJK font

Renders `shopdoc diagnose sample_data --format html` and photographs it in headless Chromium at
desktop width (1200 px) and phone width (390 px, as a 2x phone screen shows it), with the network
cut off, exactly as `tests/test_browser.py` opens it.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import find_browser, open_pages  # noqa: E402

from shopdoc.api import build_report, load  # noqa: E402
from shopdoc.config import load_config  # noqa: E402
from shopdoc.visual import collect, render_html  # noqa: E402

SHOTS = {  # name: (width, height, scale, crop to width)
    "report-desktop.png": (1200, 2600, 1, 1200),
    "report-phone.png": (390, 1700, 2, 390),
}


def main() -> int:
    browser = find_browser()
    if browser is None:
        print("no Chromium found: apt-get install chromium", file=sys.stderr)
        return 2
    config = load_config(str(ROOT / "sample_data" / "shopdoc.yaml"))
    dataset = load([str(ROOT / "sample_data")], config)
    report = build_report(dataset, config)
    html = render_html(report, collect(dataset, config, report))
    from PIL import Image

    pages = open_pages(browser, [(html, width, height, scale) for width, height, scale, _ in SHOTS.values()])
    for (name, (_, _, scale, crop)), page in zip(SHOTS.items(), pages):
        image = Image.open(io.BytesIO(page.screenshot)).convert("RGB")
        image = image.crop((0, 0, int(crop * scale), image.height))
        target = ROOT / "docs" / name
        image.save(target, optimize=True)
        print(f"wrote {target.relative_to(ROOT)} {image.size[0]}x{image.size[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
