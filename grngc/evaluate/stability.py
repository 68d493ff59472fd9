"""How stable runs with different seeds are (their aggregation is :func:`grngc.core.combine.aggregate_runs`).

Stability (as BEELINE reports it): the Jaccard index of the top-``k`` edges of every pair of runs,
with ``k`` the number of genes unless given. 1 means the runs agree on their strongest edges.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def plot_stability(stability: pd.DataFrame, runs: list[str], path, title: str = "") -> None:
    """Heatmap of the pairwise top-k Jaccard indices between runs."""
    from ..report.plots import pyplot, save_figure

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
