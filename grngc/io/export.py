"""Networks for other tools: BEELINE ``rankedEdges.csv``, SIF (Cytoscape), GraphML (with signs and lags)."""
from __future__ import annotations

import pandas as pd

from .atomic import atomic_path
from .network import EDGE_ATTRIBUTES


def write_beeline_ranked(path, edges: pd.DataFrame) -> None:
    """BEELINE ``rankedEdges.csv``: tab-separated ``Gene1  Gene2  EdgeWeight`` (Gene1 -> Gene2), plus
    ``Sign`` (+1 activation, -1 repression) when the edges carry one; BEELINE reads the first three."""
    out = edges.rename(columns={"regulator": "Gene1", "target": "Gene2", "score": "EdgeWeight", "sign": "Sign"})
    cols = ["Gene1", "Gene2", "EdgeWeight"] + (["Sign"] if "Sign" in out else [])
    with atomic_path(path) as tmp:
        out[cols].to_csv(tmp, sep="\t", index=False, float_format="%.6g")


def sif_interaction(sign) -> str:
    """SIF interaction type of an edge of this sign: ``activates`` (+1), ``represses`` (-1), else ``regulates``."""
    return {1: "activates", -1: "represses"}.get(int(sign), "regulates")


def write_sif(path, edges: pd.DataFrame) -> None:
    """Cytoscape SIF: ``regulator  interaction  target`` per line (direction regulator -> target); the
    interaction is ``activates`` / ``represses`` where the edge has a sign, else ``regulates``."""
    signs = edges["sign"] if "sign" in edges else [0] * len(edges)
    with atomic_path(path) as tmp:
        with open(tmp, "w") as fh:
            for r, t, sign in zip(edges["regulator"], edges["target"], signs):
                fh.write(f"{r}\t{sif_interaction(sign)}\t{t}\n")


def write_graphml(path, edges: pd.DataFrame) -> None:
    """GraphML of a directed graph; each edge carries its ``score`` and, where known, ``sign``,
    ``sign_agreement`` and ``lag``."""
    import networkx as nx

    g = nx.DiGraph()
    extra = [c for c in EDGE_ATTRIBUTES if c in edges]
    for row in edges[["regulator", "target", "score", *extra]].itertuples(index=False):
        attrs = {"score": float(row.score)}
        for c in extra:
            value = getattr(row, c)
            attrs[c] = float(value) if c == "sign_agreement" else int(value)
        g.add_edge(str(row.regulator), str(row.target), **attrs)
    with atomic_path(path) as tmp:
        nx.write_graphml(g, tmp)


def read_graphml(path) -> pd.DataFrame:
    import networkx as nx

    g = nx.read_graphml(path)
    extra = [c for c in EDGE_ATTRIBUTES if all(c in d for _, _, d in g.edges(data=True))] if g.number_of_edges() else []
    rows = [(u, v, float(d.get("score", 1.0)), *(d[c] for c in extra)) for u, v, d in g.edges(data=True)]
    return pd.DataFrame(rows, columns=["regulator", "target", "score", *extra])
