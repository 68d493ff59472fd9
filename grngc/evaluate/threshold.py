"""From scores to a network: threshold it, annotate it against a reference, score it.

Direction: a row ``regulator, target`` is the edge regulator -> target (the regulator's past improves
the prediction of the target).

Thresholds (``method``, ``value``):

* ``top_k``: the ``value`` highest-scoring edges (ties at the cut included);
* ``quantile``: edges scoring at or above the ``value`` quantile of all candidate scores;
* ``score``: edges scoring at least ``value``;
* ``knee``: the knee of the sorted scores (Kneedle, Satopaa et al. 2011): with scores sorted from
  highest to lowest and both axes scaled to [0, 1], the elbow is the point farthest below the chord
  from the first to the last point, where the scores stop dropping fast; the edges above it are kept. Data-driven, no
  value needed; ``value`` (if given) caps the number of edges. Rank-aggregated scores (an ensemble of
  seeds) are evenly spaced and have no knee: then the number of edges is the median knee of the runs'
  own scores (``knee_from``), applied to the aggregated ranking.

Reference kinds: ``gold`` (a complete true network, e.g. DREAM or BEELINE: every unlisted pair is a
negative) and ``partial`` (a TF-target list such as TRRUST: it lists some targets of some TFs, so only
edges *from listed TFs* are evaluated, and an unlisted pair is unknown rather than false, which makes
the metrics lower bounds).
"""
from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from ..io.network import EDGE_ATTRIBUTES
from .metrics import (candidate_matrix, candidate_set, check_reference, evaluate_candidates, reference_coverage,
                      sign_metrics)
from ..timecourse import InputError

THRESHOLDS = ("top_k", "quantile", "score", "knee")


def knee_index(sorted_scores: np.ndarray) -> int:
    """Number of edges kept by the Kneedle cut on scores sorted in decreasing order."""
    y = np.asarray(sorted_scores, dtype=float)
    n = y.size
    if n < 3 or y[0] == y[-1]:
        return n
    x = np.linspace(0.0, 1.0, n)
    yn = (y - y[-1]) / (y[0] - y[-1])
    below_chord = (1.0 - x) - yn  # the chord runs from (0, 1) to (1, 0)
    return max(1, int(np.argmax(below_chord)))  # the elbow point itself starts the flat part


def threshold(edges: pd.DataFrame, method: str = "knee", value: float | None = None,
              knee_from: list[pd.DataFrame] | None = None) -> pd.DataFrame:
    """The edges kept by ``method`` (see the module docstring), highest score first."""
    if method not in THRESHOLDS:
        raise InputError(f"threshold method {method!r}: use one of {', '.join(THRESHOLDS)}")
    if method != "knee" and value is None:
        raise InputError(f"threshold method {method!r} needs a value")
    e = edges[edges["regulator"] != edges["target"]].sort_values("score", ascending=False, kind="mergesort")
    s = e["score"].to_numpy(float)
    if len(e) == 0:
        return e.reset_index(drop=True)
    if method == "top_k":
        k = int(value)
        if k < 1:
            raise InputError(f"threshold top_k={value}: keep at least one edge")
        cut = s[min(k, len(s)) - 1]
    elif method == "quantile":
        if not 0 <= value <= 1:
            raise InputError(f"threshold quantile={value}: a quantile lies in [0, 1]")
        cut = np.quantile(s, value)
    elif method == "score":
        cut = float(value)
    else:
        if knee_from:
            runs = [np.sort(r.loc[r["regulator"] != r["target"], "score"].to_numpy(float))[::-1] for r in knee_from]
            k = int(np.median([knee_index(r) for r in runs]))
        else:
            k = knee_index(s)
        if value is not None:
            k = min(k, int(value))
        cut = s[k - 1]
    return e[s >= cut].reset_index(drop=True)


def _reference_graph(reference: pd.DataFrame) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_edges_from(zip(reference["regulator"], reference["target"]))
    return g


def annotate(network: pd.DataFrame, reference: pd.DataFrame | None, tfs: set[str] | None = None) -> pd.DataFrame:
    """Per edge: its ``sign``, ``sign_agreement`` and ``lag`` where the network has them;
    ``in_reference``, ``reversed_in_reference``, ``reference_distance`` (shortest directed path from
    regulator to target in the reference; empty when there is none); where the reference is signed,
    ``reference_sign`` (+1, -1; empty when the pair is not a signed reference edge) and
    ``sign_matches_reference``; and ``regulator_is_tf`` (from ``tfs``, else from the reference's
    regulators)."""
    out = network[["regulator", "target", "score", *[c for c in EDGE_ATTRIBUTES if c in network]]].copy()
    if reference is not None:
        pairs = set(zip(reference["regulator"], reference["target"]))
        out["in_reference"] = [(r, t) in pairs for r, t in zip(out["regulator"], out["target"])]
        if "sign" in reference:
            signed = {(r, t): int(s) for r, t, s in zip(reference["regulator"], reference["target"], reference["sign"])
                      if s != 0}
            ref_sign = pd.array([signed.get((r, t), pd.NA) for r, t in zip(out["regulator"], out["target"])],
                                dtype="Int64")
            out["reference_sign"] = ref_sign
            if "sign" in out:
                out["sign_matches_reference"] = pd.array(
                    [pd.NA if pd.isna(rs) else bool(s == rs) for s, rs in zip(out["sign"], ref_sign)], dtype="boolean")
        out["reversed_in_reference"] = [(t, r) in pairs for r, t in zip(out["regulator"], out["target"])]
        g = _reference_graph(reference)
        dist = []
        for r, t in zip(out["regulator"], out["target"]):
            try:
                dist.append(nx.shortest_path_length(g, r, t))
            except (nx.NetworkXNoPath, nx.NodeNotFound):
                dist.append(pd.NA)
        out["reference_distance"] = pd.array(dist, dtype="Int64")
    if tfs is None and reference is not None:
        tfs = set(reference["regulator"])
    if tfs is not None:
        out["regulator_is_tf"] = out["regulator"].isin(tfs)
    return out


def evaluate_network(edges: pd.DataFrame, network: pd.DataFrame, reference: pd.DataFrame, genes: list[str],
                     kind: str = "gold", regulators=None, expression: np.ndarray | None = None) -> dict:
    """Ranking metrics of all ``edges``, precision/recall/F1 of the thresholded ``network``, and (for a
    signed reference) sign accuracy next to the correlation sign over ``expression``
    (:func:`grngc.evaluate.metrics.sign_metrics`).

    For a ``partial`` reference only candidates whose regulator is a listed TF count (see the module
    docstring); the result says so in ``note``.
    """
    check_reference(reference, genes)
    mask, note = candidate_set(reference, genes, kind, regulators)
    scores = candidate_matrix(edges, genes)
    truth = candidate_matrix(reference, genes, column="__present__")
    cov = reference_coverage(reference, genes)
    out = {"reference_kind": kind, "note": note, "n_reference_edges": cov["edges"],
           "n_reference_edges_in_genes": cov["edges_in_genes"]}
    if not mask.any():
        out.update(auroc=None, auprc=None, epr=None, random_auprc=None,
                   note=f"metrics undefined: no regulator of the reference is a gene of the data; {note}")
        return out
    y = truth[mask].astype(int)
    m = evaluate_candidates(y, scores[mask])
    if m.get("note"):
        m["note"] = f"{m['note']}; {note}"
    out.update(m)
    out.update(sign_metrics(edges, reference, genes, mask, int(y.sum()), expression))
    sel = candidate_matrix(network.assign(score=1.0), genes)[mask] > 0
    tp = int((sel & (y == 1)).sum())
    precision = tp / sel.sum() if sel.sum() else None
    recall = tp / y.sum() if y.sum() else None
    if precision is None or recall is None:
        f1 = None
    else:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out.update(threshold_edges=int(sel.sum()), threshold_true_positives=tp, precision=precision, recall=recall, f1=f1)
    return out
