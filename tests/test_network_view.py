"""The interactive network page: what it holds, and that it works offline in headless Chromium."""
import json
import re
import shutil

import pandas as pd
import pytest

from grngc.cli import main
from grngc.report.network_page import interactive_network, view_data

# a known activator a -> b, a repressor b -> c, an unsigned c -> d; the reference has a -> b, d -> c
NETWORK = pd.DataFrame({"regulator": ["a", "b", "c"], "target": ["b", "c", "d"], "score": [0.9, 0.5, 0.2],
                        "sign": [1, -1, 0], "sign_agreement": [0.95, 0.8, 0.0], "lag": [1, 3, 2],
                        "direction": ["time", "velocity+spread", "undirected"]})
REFERENCE = pd.DataFrame({"regulator": ["a", "d"], "target": ["b", "c"]})


def test_view_data_nodes_edges_signs_and_reference_status():
    data = view_data(NETWORK, REFERENCE)
    assert {n["id"]: n["value"] for n in data["nodes"]} == {"a": 1, "b": 2, "c": 2, "d": 1}  # degree
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    assert [edges[k]["sign"] for k in [("a", "b"), ("b", "c"), ("c", "d")]] == [1, -1, 0]
    assert [edges[k]["reference"] for k in [("a", "b"), ("b", "c"), ("c", "d")]] == ["yes", "no", "reversed"]
    assert edges[("b", "c")]["lag"] == 3 and edges[("a", "b")]["sign_agreement"] == 0.95
    assert [edges[k]["direction"] for k in [("a", "b"), ("b", "c"), ("c", "d")]] == ["time", "velocity+spread", "undirected"]
    top = view_data(NETWORK, None, max_edges=2)
    assert [(e["from"], e["to"]) for e in top["edges"]] == [("a", "b"), ("b", "c")] and top["edges_total"] == 3
    assert all(e["reference"] is None for e in top["edges"]) and not top["has_reference"]


def test_view_data_reads_an_annotated_network():
    annotated = NETWORK.assign(in_reference=[True, False, False], reversed_in_reference=[False, False, True])
    assert [e["reference"] for e in view_data(annotated)["edges"]] == ["yes", "no", "reversed"]


def test_view_needs_regulator_target_score():
    with pytest.raises(ValueError, match="no 'score' column"):
        view_data(NETWORK.drop(columns="score"))


def test_cli_writes_one_self_contained_page(tmp_path):
    f = tmp_path / "network.tsv"
    NETWORK.to_csv(f, sep="\t", index=False)
    ref = tmp_path / "ref.tsv"
    REFERENCE.to_csv(ref, sep="\t", index=False)
    out = tmp_path / "net.html"
    assert main(["plot", "interactive", str(f), "--reference", str(ref), "-o", str(out), "--title", "demo <net>"]) == 0
    page = out.read_text()
    assert not re.search(r"<(script|link)[^>]+(src|href)=", page)  # nothing loaded from elsewhere
    assert "vis-network" in page and "demo &lt;net&gt;" in page
    data = json.loads(re.search(r'<script id="grngc-network" type="application/json">(.*?)</script>', page, re.S)[1])
    assert len(data["nodes"]) == 4 and len(data["edges"]) == 3


def test_interactive_network_of_a_missing_file_is_a_clear_error(tmp_path):
    assert main(["plot", "interactive", str(tmp_path / "nope.tsv"), "-o", str(tmp_path / "n.html")]) != 0
    assert not (tmp_path / "n.html").exists()


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


@pytest.mark.skipif(_chromium() is None, reason="no Chromium on this machine (CI installs the Debian package)")
def test_page_loads_offline_in_headless_chromium(tmp_path):
    """Loaded with every non-file request blocked: the graph holds the expected nodes and edges (read from
    the page), the search box finds a gene, and the console stays free of errors."""
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    out = interactive_network(NETWORK, tmp_path / "net.html", REFERENCE, title="test")
    errors, requests = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))

            def offline(route):
                requests.append(route.request.url)
                return route.continue_() if route.request.url.startswith("file:") else route.abort()

            page.route("**/*", offline)
            page.goto(out.as_uri())
            page.wait_for_function("window.grngcData !== undefined", timeout=20000)
            assert page.evaluate("[grngcData.nodes.length, grngcData.edges.length]") == [4, 3]
            assert page.evaluate("grngcNetwork.body.data.edges.get({filter: e => e.from === 'b'})[0].to") == "c"
            hover = page.evaluate("grngcNetwork.body.data.edges.get({filter: e => e.from === 'c'})[0].title.textContent")
            assert "direction not inferred (co-expressed pair)" in hover  # what a person reads on hovering
            hover = page.evaluate("grngcNetwork.body.data.edges.get({filter: e => e.from === 'b'})[0].title.textContent")
            assert "direction from velocity, ranked also by the genes' spreads" in hover
            page.fill("#search-box", "C")  # case-insensitive
            page.click("#search button[type=submit]")
            assert page.evaluate("grngcNetwork.getSelectedNodes()") == ["c"]
            page.fill("#search-box", "zzz")
            page.click("#search button[type=submit]")
            assert "not in this network" in page.inner_text("#search-status")
        finally:
            browser.close()
    assert errors == []
    assert all(u.startswith("file:") for u in requests)


def test_pl_interactive_from_anndata(tmp_path):
    """The Python API: the best `top` edges of an AnnData's varp scores, direction row -> column."""
    import anndata as ad
    import numpy as np

    import grngc

    adata = ad.AnnData(np.zeros((3, 3), dtype=np.float32), var=pd.DataFrame(index=["x", "y", "z"]))
    adata.varp["grngc"] = np.array([[0, 0.9, 0.1], [0, 0, 0.5], [0.2, 0, 0]])
    out = grngc.pl.interactive(adata, tmp_path / "net.html", top=2)
    page = out.read_text()
    data = json.loads(re.search(r'<script id="grngc-network" type="application/json">(.*?)</script>', page, re.S)[1])
    assert [(e["from"], e["to"]) for e in data["edges"]] == [("x", "y"), ("y", "z")]


@pytest.mark.skipif(_chromium() is None, reason="no Chromium on this machine (CI installs the Debian package)")
def test_page_draws_the_network_and_keeps_its_height(tmp_path):
    """What a person sees: a screenshot of the page in headless Chromium has coloured pixels where the
    graph is (nodes and edges painted on the canvas), and the page height is the same after 3 seconds
    (a canvas sized 100% of a growing flex box once made the page grow without end and paint nothing)."""
    import io

    import numpy as np
    from PIL import Image

    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    out = interactive_network(NETWORK, tmp_path / "net.html", REFERENCE, title="test")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            page.goto(out.as_uri())
            page.wait_for_function("window.grngcNetwork !== undefined", timeout=20000)
            page.wait_for_timeout(1000)
            height = page.evaluate("document.documentElement.scrollHeight")
            canvas_height = page.evaluate("document.querySelector('#graph canvas').height")
            page.wait_for_timeout(3000)
            assert page.evaluate("document.documentElement.scrollHeight") == height
            assert height <= 700 + 1  # the page fits the window
            assert canvas_height > 200
            shot = np.asarray(Image.open(io.BytesIO(page.locator("#graph").screenshot())).convert("RGB")).astype(int)
        finally:
            browser.close()
    coloured = (shot.max(axis=2) - shot.min(axis=2)) > 40  # saturated pixels: node fills, coloured edges
    assert coloured.sum() > 200, f"only {coloured.sum()} coloured pixels in the graph area"
