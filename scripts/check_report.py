"""Look at a Snakemake report as a person would: render it in headless Chromium (a screenshot of the
front page) and check every embedded figure: a real PNG, not blank.

Usage: python scripts/check_report.py results/report.html [--screenshot report.png]
Needs the Debian package `chromium` for the screenshot (skipped, with a note, where it is absent).
Exit status 1 when a figure is missing, broken or blank.
"""
from __future__ import annotations

import argparse
import base64
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np


def embedded_pngs(html: str) -> list[tuple[str, bytes]]:
    # Snakemake embeds results as data URIs: data:image/png;charset=utf8;filename=NAME;base64,...
    return [(name, base64.b64decode(data)) for name, data in
            re.findall(r"data:image/png;(?:charset=[^;]*;)?filename=([^;]+);base64,([A-Za-z0-9+/=]+)", html)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report")
    ap.add_argument("--screenshot", default="report_screenshot.png")
    args = ap.parse_args()
    html = Path(args.report).read_text(errors="replace")
    import matplotlib.image as mpimg

    pngs = embedded_pngs(html)
    bad = 0
    for name, data in pngs:
        img = mpimg.imread(io.BytesIO(data), format="png")
        blank = float(np.std(img)) < 1e-3
        bad += blank
        print(f"{name}: {img.shape[1]}x{img.shape[0]} px{'  BLANK' if blank else ''}")
    print(f"{len(pngs)} embedded PNG figures, {bad} blank")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser:
        out = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                              "--window-size=1400,1000", "--virtual-time-budget=15000",
                              f"--screenshot={Path(args.screenshot).resolve()}",
                              Path(args.report).resolve().as_uri()], capture_output=True, text=True, timeout=120)
        shot = Path(args.screenshot)
        if out.returncode != 0 or not shot.exists():
            print("chromium could not render the report:", out.stderr[-500:])
            return 1
        img = mpimg.imread(shot)
        print(f"chromium rendered the report: {shot} ({img.shape[1]}x{img.shape[0]}, "
              f"{'blank' if np.std(img) < 1e-3 else 'not blank'})")
        bad += np.std(img) < 1e-3
    else:
        print("chromium not installed (apt-get install chromium): no screenshot taken")
    return 1 if bad or not pngs else 0


if __name__ == "__main__":
    sys.exit(main())
