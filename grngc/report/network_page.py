"""An interactive view of a network: one self-contained HTML page to explore in a browser.

The page inlines vis-network (``grngc/static``), so it opens offline and can be mailed or archived
with the results. Nodes are genes, sized by degree (in + out); an edge ``regulator -> target`` is
coloured by its sign (green activation, red repression, grey unknown), drawn solid where the
reference has it, dashed where it does not, dotted where the reference has it reversed (plain
solid without a reference); hovering shows score, sign and agreement, lag, what decided the direction and reference status.
A search box finds a gene and focuses on it.

The data the page draws is also embedded as JSON (``<script id="grngc-network">``), so that tests
and other tools can read what it holds.
"""
from __future__ import annotations

import html
import json
import logging
from importlib import resources
from pathlib import Path

import pandas as pd

from ..io.atomic import atomic_path

log = logging.getLogger("grngc")

SIGN_COLOURS = {1: "#1a9850", -1: "#d73027", 0: "#8c8c8c"}
SIGN_WORDS = {1: "activation (+)", -1: "repression (-)", 0: "unknown"}


def _reference_status(network: pd.DataFrame, reference: pd.DataFrame | None) -> list[str | None]:
    """Per edge ``"yes"`` / ``"reversed"`` / ``"no"``, or ``None`` where no reference is known: from
    ``reference`` when given, else from an annotated network's ``in_reference`` columns."""
    if reference is not None:
        pairs = set(zip(reference["regulator"], reference["target"]))
        inside = [(r, t) in pairs for r, t in zip(network["regulator"], network["target"])]
        reverse = [(t, r) in pairs for r, t in zip(network["regulator"], network["target"])]
    elif "in_reference" in network:
        inside = network["in_reference"].astype(bool).tolist()
        reverse = (network["reversed_in_reference"].astype(bool).tolist() if "reversed_in_reference" in network
                   else [False] * len(network))
    else:
        return [None] * len(network)
    return ["yes" if i else ("reversed" if r else "no") for i, r in zip(inside, reverse)]


def read_network_table(path) -> pd.DataFrame:
    """A network to draw: a grngc table (edges.tsv, network.tsv, an annotated network) with all its
    columns, or any edge list :func:`grngc.io.read_edges` reads."""
    from ..io import read_edges

    edges = read_edges(path)  # checks the file and its columns, names it in errors
    try:
        table = pd.read_csv(path, sep="\t")
    except (ValueError, pd.errors.ParserError):
        return edges
    if {"regulator", "target", "score"} <= set(table.columns) and len(table) == len(edges):
        return table
    return edges


def view_data(network: pd.DataFrame, reference: pd.DataFrame | None = None, max_edges: int = 1000) -> dict:
    """The nodes and edges the page draws: the ``max_edges`` best-scored edges of ``network``
    (``regulator, target, score`` and optional ``sign``, ``sign_agreement``, ``lag``)."""
    for column in ("regulator", "target", "score"):
        if column not in network:
            raise ValueError(f"the network has no {column!r} column (columns: {list(network.columns)}); give an "
                             "edge list or a thresholded network (grngc threshold, grngc annotate)")
    shown = network.sort_values("score", ascending=False, kind="mergesort").head(max_edges).reset_index(drop=True)
    if len(shown) < len(network):
        log.warning("the interactive view shows the %d best of %d edges (max_edges)", len(shown), len(network))
    status = _reference_status(shown, reference)
    degree = pd.concat([shown["regulator"], shown["target"]]).value_counts()
    out_degree = shown["regulator"].value_counts()
    nodes = [{"id": str(g), "label": str(g), "value": int(d), "out_degree": int(out_degree.get(g, 0)),
              "in_degree": int(d - out_degree.get(g, 0))} for g, d in degree.items()]
    edges = []
    for k, row in shown.iterrows():
        sign = int(row["sign"]) if "sign" in shown and pd.notna(row["sign"]) else 0
        edge = {"from": str(row["regulator"]), "to": str(row["target"]), "score": float(row["score"]),
                "sign": sign, "reference": status[k]}
        if "sign_agreement" in shown and pd.notna(row["sign_agreement"]):
            edge["sign_agreement"] = float(row["sign_agreement"])
        if "lag" in shown and pd.notna(row["lag"]):
            edge["lag"] = int(row["lag"])
        if "direction" in shown and isinstance(row["direction"], str) and row["direction"]:
            edge["direction"] = row["direction"]
        edges.append(edge)
    return {"nodes": nodes, "edges": edges, "edges_total": int(len(network)),
            "has_reference": status[0] is not None if status else reference is not None,
            "colours": {str(k): v for k, v in SIGN_COLOURS.items()},
            "sign_words": {str(k): v for k, v in SIGN_WORDS.items()}}


def interactive_network(network: pd.DataFrame, path, reference: pd.DataFrame | None = None, title: str = "",
                        max_edges: int = 1000) -> Path:
    """Write the network as one self-contained HTML page (see the module docstring); returns ``path``.

    Parameters
    ----------
    network
        Edges ``regulator -> target`` with ``score`` (and ``sign``, ``sign_agreement``, ``lag``, or an
        annotated network's ``in_reference`` / ``reversed_in_reference``, where known).
    path
        The HTML file to write.
    reference
        A reference network ``regulator, target`` to style edges by (else the annotation's columns).
    title
        Page title.
    max_edges
        Draw at most this many edges (the best-scored): browsers slow down past a few thousand.
    """
    data = view_data(network, reference, max_edges)
    script = resources.files("grngc.report").joinpath("static/vis-network.min.js").read_text(encoding="utf-8")
    payload = json.dumps(data).replace("</", "<\\/")  # never closes the script element early
    heading = html.escape(title or "grngc network")
    shown = len(data["edges"])
    caption = (f"{len(data['nodes'])} genes, {shown} edges"
               + (f" (the {shown} best of {data['edges_total']})" if shown < data["edges_total"] else ""))
    page = _PAGE.format(title=heading, caption=html.escape(caption), payload=payload,
                        vis=script.replace("</script", "<\\/script"), app=_APP)
    path = Path(path)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(page, encoding="utf-8")
    return path


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
  body {{ font-family: sans-serif; margin: 0; display: flex; flex-direction: column; height: 100vh; overflow: hidden; }}
  header {{ padding: 8px 12px; border-bottom: 1px solid #ddd; display: flex; gap: 16px; align-items: center;
           flex-wrap: wrap; }}
  header h1 {{ font-size: 16px; margin: 0; }}
  /* flex-basis 0: the box takes the space the header leaves (at least 300 px), never its canvas's size, so
     vis-network's 100%-high canvas cannot grow the page (it did, without end, and painted nothing) */
  #graph {{ flex: 1 1 0; min-height: 300px; position: relative; overflow: hidden; }}
  .legend span {{ margin-right: 12px; font-size: 13px; }}
  .swatch {{ display: inline-block; width: 22px; height: 0; border-top: 3px solid; vertical-align: middle;
            margin-right: 4px; }}
  #search-status {{ font-size: 13px; color: #a00; }}
</style>
</head>
<body>
<header>
  <h1>{title}</h1>
  <span id="caption">{caption}</span>
  <form id="search"><input id="search-box" list="genes" placeholder="find a gene" aria-label="find a gene">
    <datalist id="genes"></datalist> <button type="submit">find</button> <span id="search-status"></span></form>
  <div class="legend" id="legend"></div>
</header>
<div id="graph"></div>
<script id="grngc-network" type="application/json">{payload}</script>
<script>{vis}</script>
<script>{app}</script>
</body>
</html>
"""

_APP = r"""
(function () {
  var data = JSON.parse(document.getElementById("grngc-network").textContent);
  var dash = {yes: false, no: [8, 6], reversed: [2, 5]};
  var refWords = {yes: "in the reference", no: "not in the reference", reversed: "reversed in the reference"};
  function tooltip(lines) {
    var el = document.createElement("div");
    el.style.whiteSpace = "pre";
    el.textContent = lines.join("\n");
    return el;
  }
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return {id: n.id, label: n.label, value: n.value,
            title: tooltip([n.id, "regulates " + n.out_degree + ", regulated by " + n.in_degree])};
  }));
  var edges = new vis.DataSet(data.edges.map(function (e, k) {
    var lines = [e.from + " -> " + e.to, "score " + e.score.toPrecision(4),
                 "sign " + data.sign_words[String(e.sign)] +
                 (e.sign_agreement !== undefined ? " (" + Math.round(100 * e.sign_agreement) + "% of windows)" : "")];
    if (e.lag !== undefined) lines.push("lag " + e.lag);
    if (e.direction !== undefined) {
      var from = e.direction.split("+"), spread = from.indexOf("spread") >= 0;
      from = from.filter(function (d) { return d !== "spread" && d !== "undirected"; });
      lines.push((from.length ? "direction from " + from.join(" and ")
                              : "direction not inferred (co-expressed pair)") +
                 (spread ? (from.length ? ", " : "; ") + "ranked also by the genes' spreads" : ""));
    }
    if (e.reference) lines.push(refWords[e.reference]);
    return {id: k, from: e.from, to: e.to, arrows: "to", color: {color: data.colours[String(e.sign)]},
            dashes: e.reference ? dash[e.reference] : false, width: e.reference === "yes" ? 3 : 1.5,
            title: tooltip(lines)};
  }));
  var network = new vis.Network(document.getElementById("graph"), {nodes: nodes, edges: edges}, {
    nodes: {shape: "dot", scaling: {min: 8, max: 30}, font: {size: 14}},
    edges: {smooth: {type: "continuous"}},
    interaction: {hover: true, tooltipDelay: 100},
    physics: {stabilization: {iterations: 200}, barnesHut: {springLength: 120}}
  });
  network.once("stabilizationIterationsDone", function () { network.setOptions({physics: false}); });
  window.grngcNetwork = network;
  window.grngcData = {nodes: nodes, edges: edges};

  var legend = document.getElementById("legend");
  [["1", "activation"], ["-1", "repression"], ["0", "sign unknown"]].forEach(function (s) {
    legend.insertAdjacentHTML("beforeend", '<span><i class="swatch" style="border-color:' + data.colours[s[0]] +
                              '"></i>' + s[1] + "</span>");
  });
  if (data.has_reference) {
    legend.insertAdjacentHTML("beforeend", "<span>solid: in the reference, dashed: not, dotted: reversed</span>");
  }
  var list = document.getElementById("genes");
  data.nodes.forEach(function (n) { var o = document.createElement("option"); o.value = n.id; list.appendChild(o); });
  document.getElementById("search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var name = document.getElementById("search-box").value.trim();
    var status = document.getElementById("search-status");
    var hit = nodes.get(name) || nodes.get({filter: function (n) { return n.id.toLowerCase() === name.toLowerCase(); }})[0];
    if (!hit) { status.textContent = name + ": not in this network"; return; }
    status.textContent = "";
    network.selectNodes([hit.id]);
    network.focus(hit.id, {scale: 1.5, animation: false});
  });
})();
"""
