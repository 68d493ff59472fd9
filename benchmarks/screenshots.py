"""Screenshots for the README: the interactive network page of the bundled demo, as a person sees it
in headless Chromium (the same check tests/test_network_view.py makes: coloured pixels, a stable height).

Run: ``python benchmarks/screenshots.py`` (needs Chromium and playwright); writes docs/img/network.png
and prints the commit it ran on.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commit() -> str:
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip() or "unknown"


def network_page(path: Path) -> Path:
    """The demo time course through the Python API: infer, knee threshold, the page styled by its truth."""
    import anndata as ad

    import grngc

    adata = ad.read_h5ad(ROOT / "resources/demo/timecourse.h5ad")
    grngc.tl.infer(adata, progress=False)
    edges = grngc.tl.threshold(adata, "knee")
    truth = grngc.io.read_reference(ROOT / "resources/demo/timecourse_truth.tsv")
    return grngc.pl.interactive(edges, path, reference=truth, title="grngc demo: time course (10 genes)")


def screenshot(page: Path, out: Path, width: int = 1000, height: int = 620) -> dict:
    import io

    import numpy as np
    from PIL import Image
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        raise SystemExit("no Chromium on this machine (Debian: apt install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            tab = browser.new_page(viewport={"width": width, "height": height})
            tab.goto(page.as_uri())
            tab.wait_for_function("window.grngcNetwork !== undefined", timeout=20000)
            tab.wait_for_timeout(3000)  # let the layout settle
            h0 = tab.evaluate("document.documentElement.scrollHeight")
            tab.wait_for_timeout(1000)
            h1 = tab.evaluate("document.documentElement.scrollHeight")
            png = tab.screenshot()
        finally:
            browser.close()
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    coloured = int(((img.max(axis=2) - img.min(axis=2)) > 40).sum())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(png)
    return {"height_stable": h0 == h1, "page_height": h1, "coloured_pixels": coloured}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        page = network_page(Path(tmp) / "network.html")
        check = screenshot(page, ROOT / "docs/img/network.png")
    print(f"docs/img/network.png (commit {commit()}): page height {check['page_height']} px, stable "
          f"{check['height_stable']}, {check['coloured_pixels']} coloured pixels")
    return 0 if check["height_stable"] and check["coloured_pixels"] > 200 else 1


if __name__ == "__main__":
    sys.exit(main())
