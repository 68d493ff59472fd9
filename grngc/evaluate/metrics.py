"""Scoring a predicted network against a reference network.

Candidates are all ordered pairs ``(i, j)`` of the dataset's genes with ``i != j`` (self-loops
excluded); a pair missing from the prediction scores 0.

* AUROC and AUPRC (average precision, the step-wise area that sklearn computes).
* Early precision ratio (BEELINE): with ``k`` the number of true edges, take every candidate whose
  score is at least the ``k``-th highest (ties at the cut included), precision among them, divided by
  the network's density ``k / n_candidates`` (the precision of a random predictor).
* The random predictor's AUPRC equals that density.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from ..timecourse import InputError

log = logging.getLogger("grngc")


def candidate_matrix(edges: pd.DataFrame, genes: list[str], column: str = "score") -> np.ndarray:
    """``(p, p)`` matrix of ``edges[column]`` for pairs of ``genes``; missing pairs 0."""
    idx = {g: k for k, g in enumerate(genes)}
    M = np.zeros((len(genes), len(genes)))
    keep = edges["regulator"].isin(idx) & edges["target"].isin(idx)
    e = edges[keep]
    if column in e:
        M[e["regulator"].map(idx).to_numpy(), e["target"].map(idx).to_numpy()] = e[column].to_numpy(float)
    else:
        M[e["regulator"].map(idx).to_numpy(), e["target"].map(idx).to_numpy()] = 1.0
    return M


def early_precision(y_true: np.ndarray, y_score: np.ndarray) -> float:
    k = int(y_true.sum())
    if k == 0:
        return float("nan")
    cut = np.sort(y_score)[::-1][k - 1]
    top = y_score >= cut
    return float(y_true[top].mean())


def evaluate_candidates(y: np.ndarray, s: np.ndarray) -> dict:
    """Metrics of candidate scores ``s`` against 0/1 labels ``y`` (one entry per candidate pair)."""
    y, s = np.asarray(y).astype(int), np.asarray(s).astype(float)
    n_pos, n = int(y.sum()), len(y)
    out = {"n_candidates": n, "n_true_edges": n_pos, "density": n_pos / n if n else float("nan")}
    if n_pos == 0 or n_pos == n:
        out.update(auroc=None, auprc=None, epr=None, random_auprc=None, early_precision=None,
                   note="metrics undefined: the reference has no positive (or no negative) candidate pair")
        return out
    from sklearn.metrics import average_precision_score, roc_auc_score  # slow import: only when scoring

    ep = early_precision(y, s)
    out.update(
        auroc=float(roc_auc_score(y, s)),
        auprc=float(average_precision_score(y, s)),
        early_precision=ep,
        epr=ep / out["density"],
        random_auprc=out["density"],
    )
    return out


def evaluate_scores(scores: np.ndarray, truth: np.ndarray) -> dict:
    """Metrics of a ``(p, p)`` score matrix against a ``(p, p)`` 0/1 truth matrix (edge i -> j)."""
    off = ~np.eye(scores.shape[0], dtype=bool)
    return {"n_genes": scores.shape[0], **evaluate_candidates(truth[off], scores[off])}


def reference_coverage(reference: pd.DataFrame, genes: list[str]) -> dict:
    """How much of a reference network the data's ``genes`` can score: its edges, those joining two
    genes of the data, its self edges, the duplicates the reader dropped and the genes it names."""
    gs = set(genes)
    inside = reference["regulator"].isin(gs) & reference["target"].isin(gs)
    return {"edges": int(len(reference)), "edges_in_genes": int(inside.sum()),
            "self_loops": int((reference["regulator"] == reference["target"]).sum()),
            "duplicates": int(reference.attrs.get("n_duplicates", 0)),
            "genes_named": len(set(reference["regulator"]) | set(reference["target"]))}


REFERENCE_KINDS = ("gold", "partial")


def regulator_rows(genes: list[str], regulators) -> np.ndarray:
    """``(p,)`` bool: which of ``genes`` may regulate (every gene when ``regulators`` is None)."""
    if regulators is None:
        return np.ones(len(genes), dtype=bool)
    return np.isin(genes, list(map(str, regulators)))


def candidate_set(reference: pd.DataFrame, genes: list[str], kind: str = "gold",
                  regulators=None) -> tuple[np.ndarray, str]:
    """``(p, p)`` boolean mask of the pairs a reference can judge, and a note that says which.

    ``gold`` (complete, e.g. DREAM, BEELINE): every ordered pair of distinct genes; an unlisted pair is
    a negative. ``partial`` (a TF-target list such as TRRUST): only pairs whose regulator the reference
    lists, and an unlisted pair counts as a negative although it may be unknown, so precision, AUPRC
    and EPR are lower bounds. With ``regulators`` (gene names) only pairs from those genes are
    candidates, for every method alike (BEELINE's TF-restricted evaluation). Every command (evaluate,
    compare, annotate) scores this one set.
    """
    mask, note = _candidate_set(reference, genes, kind)
    if regulators is not None:
        allowed = regulator_rows(genes, regulators)
        mask &= allowed[:, None]
        note += f"; only pairs from the {int(allowed.sum())} listed regulators among the data's genes are candidates"
    return mask, note


def _candidate_set(reference, genes, kind):
    if kind not in REFERENCE_KINDS:
        raise InputError(f"reference kind {kind!r}: use one of {', '.join(REFERENCE_KINDS)}")
    p = len(genes)
    mask = ~np.eye(p, dtype=bool)
    if kind == "gold":
        return mask, "complete gold standard: every pair it does not list is a negative"
    listed = set(reference["regulator"])
    rows = np.array([g in listed for g in genes])
    mask &= rows[:, None]
    return mask, (f"partial reference (TF-target list): only edges from the {int(rows.sum())} listed TFs among the "
                  "data's genes are evaluated, and a pair it does not list is counted as a negative although it "
                  "may be unknown, so precision, AUPRC and EPR are lower bounds")


def sign_metrics(edges: pd.DataFrame, reference: pd.DataFrame, genes: list[str], mask: np.ndarray, k: int,
                 expression: np.ndarray | None = None) -> dict:
    """Sign accuracy on the reference's signed edges (+1 activation, -1 repression) that the edge list
    ranks in its top ``k`` candidates (``k``: the number of reference edges among them): the share whose
    predicted ``sign`` matches, next to the sign a user would otherwise take, the Spearman correlation of
    regulator and target over the samples of ``expression`` (``(samples, genes)``, as pySCENIC does)."""
    if "sign" not in edges or "sign" not in reference:
        return {}
    from scipy.stats import spearmanr

    idx = {g: k for k, g in enumerate(genes)}
    ref = reference[reference["regulator"].isin(idx) & reference["target"].isin(idx) & (reference["sign"] != 0)]
    e = edges[edges["regulator"].isin(idx) & edges["target"].isin(idx)]
    e = e[mask[e["regulator"].map(idx).to_numpy(), e["target"].map(idx).to_numpy()]]
    top = e.sort_values("score", ascending=False, kind="mergesort").head(k)
    found = top.merge(ref, on=["regulator", "target"], suffixes=("", "_reference"))
    out = {"signed_reference_edges_in_top_k": int(len(found))}
    if len(found):
        out["sign_accuracy"] = float((found["sign"].to_numpy() == found["sign_reference"].to_numpy()).mean())
        if expression is not None:
            rho = [spearmanr(expression[:, idx[r]], expression[:, idx[t]]).statistic
                   for r, t in zip(found["regulator"], found["target"])]
            out["sign_accuracy_correlation"] = float((np.sign(rho) == found["sign_reference"].to_numpy()).mean())
    return out


def evaluate_edges(edges: pd.DataFrame, reference: pd.DataFrame, genes: list[str], kind: str = "gold",
                   regulators=None, expression: np.ndarray | None = None) -> dict:
    """Metrics of an edge list against a reference over the candidate pairs of ``genes``
    (:func:`candidate_set`)."""
    check_reference(reference, genes)
    check_predictions(edges, genes)
    mask, note = candidate_set(reference, genes, kind, regulators)
    scores = candidate_matrix(edges, genes)
    truth = candidate_matrix(reference, genes, column="__present__")
    out = {"n_genes": len(genes), "reference_kind": kind, **evaluate_candidates(truth[mask], scores[mask])}
    out["note"] = f"{out['note']}; {note}" if out.get("note") else note
    listed = int(((scores != 0) & mask).sum())
    if edges.attrs.get("scores_from"):  # a truncated edges.tsv, every pair read from its run's scores.npy
        out["scores_from"] = edges.attrs["scores_from"]
        out["note"] += (f"; every pair scored from {edges.attrs['scores_from']} (the edge list beside it holds "
                        "the top edges only)")
    elif listed < int(mask.sum()):
        out["candidate_pairs_without_score"] = int(mask.sum()) - listed
        out["note"] += (f"; the edge list scores {listed} of the {int(mask.sum())} candidate pairs (a truncated list, "
                        "e.g. edges.tsv above 1,000 genes): the others count as score 0")
    out.update(sign_metrics(edges, reference, genes, mask, int(truth[mask].sum()), expression))
    cov = reference_coverage(reference, genes)
    out["reference_edges_total"] = cov["edges"]
    out["reference_edges_outside_genes"] = cov["edges"] - cov["edges_in_genes"]
    out["reference_self_loops_ignored"] = cov["self_loops"]
    gs = set(genes)
    out["predicted_pairs_outside_genes"] = int(
        (~(edges["regulator"].isin(gs) & edges["target"].isin(gs))).sum())
    named = set(edges["regulator"]) | set(edges["target"])
    out["genes_without_predictions"] = len(gs - named)
    if out["predicted_pairs_outside_genes"] or out["genes_without_predictions"]:
        log.warning(
            "the edge list and the gene list disagree: %d predicted pair(s) name genes outside the %d genes "
            "(ignored), %d of those genes have no prediction (scored 0). Was the edge list computed on other "
            "data? Give the data it was computed on (--genes-from)", out["predicted_pairs_outside_genes"],
            len(genes), out["genes_without_predictions"])
    return out


def check_predictions(edges: pd.DataFrame, genes: list[str], path=None) -> None:
    """Stop when no predicted pair of an edge list joins two genes of the data: every pair would score 0
    and AUROC would read 0.5, "no better than chance", where the truth is "the wrong file". A partial
    match is scored (with a warning and counts, :func:`evaluate_edges`)."""
    path = path or edges.attrs.get("source", "the edge list")
    gs = set(map(str, genes))
    matched = int((edges["regulator"].astype(str).isin(gs) & edges["target"].astype(str).isin(gs)).sum())
    if matched == 0:
        named = sorted(set(map(str, edges["regulator"])) | set(map(str, edges["target"])))
        raise InputError(f"{path}: 0 of its {len(edges)} predicted pairs join two genes of the data (edge list genes "
                         f"e.g. {named[:3]}, data genes e.g. {list(genes)[:3]}); was it computed on other data? "
                         "Give the expression it was computed on (--genes-from) or the edge list of these data")


def check_reference(reference, genes: list[str], path=None) -> None:
    """Stop when no edge of a reference network joins two genes of the data; warn, with counts, about
    what else cannot be scored (every evaluation calls it: evaluate, compare, annotate, from the command
    line, the API or the pipeline)."""
    path = path or reference.attrs.get("source", "the reference")
    cov = reference_coverage(reference, genes)
    if cov["duplicates"]:
        log.warning("%s: %d duplicated edge(s) counted once", path, cov["duplicates"])
    if cov["self_loops"]:
        log.warning("%s: %d self edge(s) ignored (self-loops are not scored)", path, cov["self_loops"])
    scorable = cov["edges"] - cov["self_loops"]
    if cov["edges_in_genes"] == 0:  # every metric would be undefined or 0: a naming problem, not a result
        named = sorted(set(map(str, reference["regulator"])) | set(map(str, reference["target"])))
        raise InputError(f"{path}: none of its {cov['edges']} edges joins two genes of the data (reference genes e.g. "
                         f"{named[:3]}, data genes e.g. {list(genes)[:3]}); check the gene naming (symbols vs "
                         "Ensembl ids, case, organism) or give the reference of these data")
    if cov["edges_in_genes"] < scorable:
        log.warning("%s: %d of %d edges involve genes not in the data and are left out", path,
                    scorable - cov["edges_in_genes"], scorable)


def top_k_pairs(M: np.ndarray, genes: list[str], k: int) -> set[tuple[str, str]]:
    """The ``k`` highest-scoring off-diagonal pairs ``(regulator, target)`` (ties: first in row order)."""
    p = M.shape[0]
    i, j = np.where(~np.eye(p, dtype=bool))
    order = np.argsort(-M[i, j], kind="stable")[:k]
    return {(genes[i[o]], genes[j[o]]) for o in order}


def topk_jaccard(a: np.ndarray, b: np.ndarray, k: int, genes: list[str] | None = None) -> float:
    """Jaccard index of the top-``k`` off-diagonal pairs of two score matrices."""
    genes = list(range(a.shape[0])) if genes is None else genes
    ta, tb = top_k_pairs(a, genes, k), top_k_pairs(b, genes, k)
    return len(ta & tb) / len(ta | tb)
