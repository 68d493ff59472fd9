"""Aggregating runs with different seeds (or settings) into one network, and how stable they are.

Aggregation is by mean rank (Borda, as in :func:`grngc.compare.consensus_scores`): every candidate
pair is ranked within each run, ranks are averaged, and the score is ``1 - mean_rank / n_candidates``.
Rank averaging makes runs of different score scales count equally.

Signs and lags travel with the ranks: each run's signs vote, weighted by how clearly its windows agree
(:func:`vote_signs`), and an edge's lag is the one most runs gave it.

Stability (as BEELINE reports it): the Jaccard index of the top-``k`` edges of every pair of runs,
with ``k`` the number of genes unless given. 1 means the runs agree on their strongest edges.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .compare import consensus_scores, topk_jaccard
from .metrics import candidate_matrix


def vote_signs(signs: list[np.ndarray], agreements: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """One sign per edge from several runs or members.

    .. math::
        s = \\operatorname{sign} \\sum_r s_r (2 a_r - 1), \\qquad
        a = \\frac{1}{R} \\sum_r \\begin{cases} a_r & s_r = s \\\\ 1 - a_r & \\text{otherwise} \\end{cases}

    where ``s_r`` is run ``r``'s sign and ``a_r`` the fraction of its windows with that sign: a run whose
    windows split evenly does not vote, and ``a`` is the runs' mean agreement with the chosen sign
    (0 where the vote ties, with sign 0)."""
    vote = sum(s * (2 * a - 1) for s, a in zip(signs, agreements))
    sign = np.sign(vote)
    agreement = np.mean([np.where(s == sign, a, 1 - a) for s, a in zip(signs, agreements)], axis=0)
    return sign, np.where(sign == 0, 0.0, agreement)


def edge_attributes(edge_lists: dict[str, pd.DataFrame], genes: list[str]) -> dict[str, np.ndarray]:
    """``(p, p)`` matrices of the runs' combined ``sign`` and ``sign_agreement`` (when every run has them,
    :func:`vote_signs`) and ``lag`` (when every run has one: the lag most runs gave, the shorter on ties)."""
    lists = list(edge_lists.values())
    out = {}
    if all("sign" in e and "sign_agreement" in e for e in lists):
        out["sign"], out["sign_agreement"] = vote_signs([candidate_matrix(e, genes, "sign") for e in lists],
                                                        [candidate_matrix(e, genes, "sign_agreement") for e in lists])
    if all("lag" in e for e in lists):
        lags = np.stack([candidate_matrix(e, genes, "lag") for e in lists]).astype(int)  # 0: pair not listed
        counts = np.stack([(lags == v).sum(0) for v in range(lags.max() + 1)])
        counts[0] = 0  # a missing pair is no vote
        out["lag"] = counts.argmax(0)  # argmax takes the first (shortest) lag among ties
    return out


def aggregate_runs(edge_lists: dict[str, pd.DataFrame], genes: list[str], top_k: int | None = None):
    """Mean-rank scores ``(p, p)`` over runs and the pairwise top-``k`` Jaccard table."""
    mats = {name: candidate_matrix(e, genes) for name, e in edge_lists.items()}
    scores = consensus_scores(list(mats.values())) if len(mats) > 1 else next(iter(mats.values()))
    k = top_k or len(genes)
    rows = [{"run_a": a, "run_b": b, "top_k": k, "jaccard": topk_jaccard(mats[a], mats[b], k, genes)}
            for a, b in itertools.combinations(mats, 2)]
    return scores, pd.DataFrame(rows, columns=["run_a", "run_b", "top_k", "jaccard"])


def plot_stability(stability: pd.DataFrame, runs: list[str], path, title: str = "") -> None:
    """Heatmap of the pairwise top-k Jaccard indices between runs."""
    from .plots import pyplot, save_figure

    plt = pyplot()
    n = len(runs)
    M = np.eye(n)
    idx = {r: i for i, r in enumerate(runs)}
    for row in stability.itertuples():
        M[idx[row.run_a], idx[row.run_b]] = M[idx[row.run_b], idx[row.run_a]] = row.jaccard
    k = int(stability["top_k"].iloc[0]) if len(stability) else 0
    fig, ax = plt.subplots(figsize=(1.2 + 0.6 * n, 1.0 + 0.6 * n))
    im = ax.imshow(M, vmin=0, vmax=1, cmap="viridis")
    for i in range(n):
        for j in range(n):
            ax.text(j, i, f"{M[i, j]:.2f}", ha="center", va="center", color="w" if M[i, j] < 0.6 else "k", fontsize=8)
    ax.set_xticks(range(n), runs, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(n), runs, fontsize=8)
    mean = stability["jaccard"].mean() if len(stability) else float("nan")
    ax.set_title(f"{title}\ntop-{k} Jaccard between runs (mean {mean:.2f})", fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.046)
    fig.tight_layout()
    save_figure(fig, path)
