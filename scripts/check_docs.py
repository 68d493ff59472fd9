"""Look at the built documentation site as a person would: open every page in headless Chromium, check
that it paints (ink: pixels other than the white background, not a blank page), that its height is the same on a second load, that
every image on it loaded, and save a screenshot of the front page.

Usage: python scripts/check_docs.py docs/_build/html [--screenshot docs/_build/front.png]
Needs the Debian package `chromium` (skipped, with a note and exit 0, where it is absent).
Exit status 1 when a page is blank, its height changes, or an image is broken.
"""
from __future__ import annotations

import argparse
import io
import shutil
import sys
from pathlib import Path

import numpy as np

GENERATED = {"genindex.html", "search.html", "py-modindex.html"}  # Sphinx's own index pages: not ours to check


def pages(site: Path) -> list[str]:
    """Every page the build wrote from docs/, front page first."""
    found = sorted(p.name for p in site.glob("*.html") if p.name not in GENERATED)
    return sorted(found, key=lambda name: name != "index.html")


def ink_share(png: bytes) -> float:
    """Share of the screenshot's pixels that are not the white background (text, code, figures)."""
    import matplotlib.image as mpimg

    img = mpimg.imread(io.BytesIO(png), format="png")[..., :3]
    return float(np.mean(img.min(-1) < 0.9))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site")
    ap.add_argument("--screenshot", default=None)
    args = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium not installed (apt-get install chromium): the site was built, not looked at")
        return 0
    from playwright.sync_api import sync_playwright

    site, bad = Path(args.site).resolve(), 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for name in pages(site):
            heights = []
            for _ in range(2):
                page.goto((site / name).as_uri())
                page.wait_for_load_state("load")
                heights.append(page.evaluate("document.body.scrollHeight"))
            broken = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
                                   ".map(i => i.src)")
            png = page.screenshot(full_page=False)
            ink = ink_share(png)
            ok = heights[0] == heights[1] and heights[0] > 300 and not broken and ink > 0.02
            bad += not ok
            print(f"{name}: height {heights[0]} px (again {heights[1]}), ink {ink:.1%} of the first screen, "
                  f"{len(broken)} broken image(s){'' if ok else '  <- FAILED'}")
            if name == "index.html" and args.screenshot:
                Path(args.screenshot).write_bytes(page.screenshot(full_page=True))
        browser.close()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
