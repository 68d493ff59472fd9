"""Comparing several inferred networks on the same data, against one reference.

Per method: AUROC, AUPRC, early precision ratio (EPR), the random predictor's AUPRC.
Between methods: Jaccard index of their top-``k`` edges and Spearman correlation of their scores
over all candidate pairs (self-loops excluded). Edges that only one method puts in its top ``k``.

The consensus ("wisdom of crowds", Marbach et al. 2012; BEELINE's Borda module) ranks every
candidate pair within each method (1 = best, ties averaged), averages the ranks across methods,
and scores a pair ``1 - mean_rank / n_candidates`` (higher is better).
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from ..core.combine import consensus_scores
from .metrics import top_k_pairs, topk_jaccard  # noqa: F401  (sweep and the tests read them here too)
from .metrics import (candidate_matrix, candidate_set, check_predictions, check_reference, evaluate_candidates, regulator_rows,
                      sign_metrics)


def _offdiag(M: np.ndarray) -> np.ndarray:
    return M[~np.eye(M.shape[0], dtype=bool)]


def only_regulators(S: np.ndarray, genes: list[str], regulators) -> np.ndarray:
    """``S`` with the rows of genes that may not regulate set to 0 (``regulators`` None: ``S`` as is)."""
    if regulators is None:
        return S
    S = S.copy()
    S[~regulator_rows(genes, regulators)] = 0.0
    return S


def compare_methods(edges: dict[str, pd.DataFrame], reference: pd.DataFrame | None, genes: list[str],
                    top_k: int | None = None, consensus: bool = False, kind: str = "gold",
                    regulators=None, expression: np.ndarray | None = None) -> dict:
    """Tables comparing methods. ``edges`` maps a method name to its edge list; the metrics cover the
    candidate pairs of the ``kind`` of reference (:func:`grngc.evaluate.metrics.candidate_set`), as annotate's.
    Methods whose edges carry a ``sign`` get sign accuracy on a signed reference, next to the
    correlation sign over ``expression`` (:func:`grngc.evaluate.metrics.sign_metrics`)."""
    from ..io.network import check_duplicate_pairs, check_edge_genes

    for name, e in edges.items():
        check_duplicate_pairs(e, e.attrs.get("source", name))
        check_edge_genes(e, genes, e.attrs.get("source", name))
        check_predictions(e, genes, e.attrs.get("source", name))
    mats = {name: candidate_matrix(e, genes) for name, e in edges.items()}
    if consensus and len(mats) >= 2:
        mats["consensus"] = consensus_scores(list(mats.values()))
    truth = candidate_matrix(reference, genes, column="__present__") if reference is not None else None
    if reference is not None:
        check_reference(reference, genes)
    mask, note = candidate_set(reference, genes, kind, regulators) if reference is not None else (None, None)
    if top_k is None:
        top_k = int(_offdiag(truth).sum()) if truth is not None and _offdiag(truth).sum() > 0 else len(genes)
    rows = []
    for name, M in mats.items():
        row = {"method": name}
        if truth is not None:
            m = evaluate_candidates(truth[mask], M[mask])
            row.update(auroc=m["auroc"], auprc=m["auprc"], epr=m.get("epr"), random_auprc=m["random_auprc"],
                       candidate_pairs=int(mask.sum()), reference_kind=kind)
            if name in edges:
                row.update(sign_metrics(edges[name], reference, genes, mask, int(truth[mask].sum()), expression))
        rows.append(row)
    pairs = []
    tops = {name: top_k_pairs(M, genes, top_k) for name, M in mats.items()}
    for a, b in itertools.combinations(mats, 2):
        xa, xb = _offdiag(mats[a]), _offdiag(mats[b])
        # undefined (not 0) when a method gives every pair the same score
        rho = spearmanr(xa, xb).statistic if np.ptp(xa) > 0 and np.ptp(xb) > 0 else float("nan")
        pairs.append({"method_a": a, "method_b": b, f"top{top_k}_jaccard": topk_jaccard(mats[a], mats[b], top_k, genes),
                      "spearman": float(rho)})
    unique = []
    true_set = set() if truth is None else {(genes[i], genes[j]) for i, j in zip(*np.nonzero(truth)) if i != j}
    for name, top in tops.items():
        others = set().union(*(t for n, t in tops.items() if n != name and n != "consensus")) if len(tops) > 1 else set()
        for r, t in sorted(top - others):
            unique.append({"method": name, "regulator": r, "target": t,
                           "in_reference": (r, t) in true_set if truth is not None else None})
    return {"metrics": pd.DataFrame(rows), "pairwise": pd.DataFrame(pairs), "unique": pd.DataFrame(unique),
            "matrices": mats, "truth": truth, "mask": mask, "note": note, "top_k": top_k}


def plot_curves(result: dict, genes: list[str], outdir) -> list:
    """ROC and PR curves of every method, one axis each; returns the files written."""
    from pathlib import Path

    from sklearn.metrics import precision_recall_curve, roc_curve

    from ..report.plots import message_figure, pyplot, save_figure

    truth = result["truth"]
    outdir = Path(outdir)
    written = [outdir / "roc.png", outdir / "pr.png"]
    if truth is None:  # still write the figures, saying why they are empty
        for path in written:
            message_figure(path, "no reference network given:\nROC and PR curves need one", (4.5, 4.5), 120)
        return written
    mask = result["mask"]
    y = truth[mask].astype(int)
    for kind, path in zip(("roc", "pr"), written):
        fig, ax = pyplot().subplots(figsize=(4.5, 4.5))
        for name, M in result["matrices"].items():
            s = M[mask]
            if kind == "roc":
                fpr, tpr, _ = roc_curve(y, s)
                ax.plot(fpr, tpr, label=name)
            else:
                prec, rec, _ = precision_recall_curve(y, s)
                ax.plot(rec, prec, label=name)
        if kind == "roc":
            ax.plot([0, 1], [0, 1], "k:", lw=0.8)
            ax.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC")
        else:
            ax.axhline(y.mean(), color="k", ls=":", lw=0.8)
            ax.set(xlabel="recall", ylabel="precision", title="Precision-recall")
        ax.legend(fontsize=8)
        fig.tight_layout()
        save_figure(fig, path, dpi=120)
    return written


def write_comparison(result: dict, genes: list[str], prefix, plot_dir=None) -> str:
    """Write :func:`compare_methods`' result next to ``prefix``: ``.md``, ``.html`` and ``.tsv`` (the
    methods' metrics), ``_pairwise.tsv``, ``_unique_topk.tsv``, ``_consensus_edges.tsv`` (with a
    consensus) and, with ``plot_dir``, ``roc.png`` and ``pr.png``. Returns the Markdown text."""
    from pathlib import Path

    from ..io import write_edges, write_text
    from ..io.atomic import write_tsv
    from ..io.network import scores_to_edges
    from ..report.tables import html_tables, markdown_table

    out = Path(prefix)
    md = (["## Methods", markdown_table(result["metrics"]), ""]
          + ([f"Candidate pairs: {result['note']}.", ""] if result["note"] else [])
          + [f"## Between methods (top {result['top_k']})",
             markdown_table(result["pairwise"]) if len(result["pairwise"]) else "(one method)", ""])
    text = "\n".join(md)
    write_text(out.with_suffix(".md"), text + "\n")
    write_text(out.with_suffix(".html"), html_tables([("Methods", result["metrics"]),
                                                       (f"Between methods (top {result['top_k']})", result["pairwise"]),
                                                       ("Edges in one method's top k only", result["unique"])]))
    write_tsv(out.with_suffix(".tsv"), result["metrics"])
    write_tsv(out.with_name(out.stem + "_pairwise.tsv"), result["pairwise"])
    write_tsv(out.with_name(out.stem + "_unique_topk.tsv"), result["unique"])
    if "consensus" in result["matrices"]:
        write_edges(out.with_name(out.stem + "_consensus_edges.tsv"),
                    scores_to_edges(result["matrices"]["consensus"], genes))
    if plot_dir:
        plot_curves(result, genes, plot_dir)
    return text


def summarize(tables: dict[str, str], prefix) -> str:
    """One table across datasets from their compare tables (``{dataset: compare.tsv}``), written as
    ``prefix`` ``.tsv``, ``.md``, ``.html`` and a ``.png`` of AUROC per dataset and method (a message
    figure when no dataset has a reference). Returns the Markdown table."""
    from pathlib import Path

    from ..io import write_text
    from ..io.atomic import write_tsv
    from ..report.plots import message_figure, summary_bars
    from ..report.tables import html_tables, markdown_table

    frames = []
    for name, path in tables.items():
        t = pd.read_csv(path, sep="\t")
        t.insert(0, "dataset", name)
        frames.append(t)
    table = pd.concat(frames, ignore_index=True)
    out = Path(prefix)
    write_tsv(out.with_suffix(".tsv"), table)
    text = markdown_table(table)
    write_text(out.with_suffix(".md"), text + "\n")
    write_text(out.with_suffix(".html"), html_tables([("All datasets", table)]))
    if "auroc" in table and table["auroc"].notna().any():
        summary_bars(table, out.with_suffix(".png"), "auroc")
    else:
        message_figure(out.with_suffix(".png"), "no dataset has a reference network: nothing to score")
    return text
