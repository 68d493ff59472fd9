"""Figures of an inferred network: score heatmap, the thresholded network drawn, loss curves, and a
summary across datasets. Each function writes one PNG atomically."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..io.atomic import atomic_path


def pyplot():
    """matplotlib.pyplot on the non-interactive Agg backend (jobs have no display)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig, path, dpi: int = 110) -> None:
    """Write ``fig`` as PNG atomically (creating the folder) and free it."""
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=dpi, format="png")
    pyplot().close(fig)


def message_figure(path, text: str, figsize=(5, 2), dpi: int = 100) -> None:
    """A figure that only says ``text``: written where a figure is expected but cannot be drawn, so
    that pipelines need no branch and readers see why."""
    fig, ax = pyplot().subplots(figsize=figsize)
    ax.text(0.5, 0.5, text, ha="center", va="center")
    ax.axis("off")
    save_figure(fig, path, dpi)


def score_heatmap(scores: np.ndarray, genes: list[str], path, truth: np.ndarray | None = None,
                  max_genes: int = 60, title: str = "") -> None:
    """Heatmap of ``scores[regulator, target]`` written to ``path`` (see :func:`draw_heatmap`)."""
    n = min(len(genes), max_genes)
    size = 2.5 + 0.18 * n
    fig, ax = pyplot().subplots(figsize=(size + 1, size))
    draw_heatmap(ax, scores, genes, truth, max_genes, title)
    fig.tight_layout()
    save_figure(fig, path)


def draw_heatmap(ax, scores: np.ndarray, genes: list[str], truth: np.ndarray | None = None,
                 max_genes: int = 60, title: str = ""):
    """Draw the heatmap of ``scores[regulator, target]`` (rows regulators, columns targets) into ``ax``;
    true edges circled. Large networks show the ``max_genes`` genes with the highest total score.
    Returns ``ax``."""
    fig = ax.figure
    S = np.array(scores, dtype=float)
    np.fill_diagonal(S, np.nan)
    keep = np.arange(len(genes))
    if len(genes) > max_genes:
        keep = np.sort(np.argsort(-(np.nansum(S, 0) + np.nansum(S, 1)), kind="mergesort")[:max_genes])
    S = S[np.ix_(keep, keep)]
    names = [genes[i] for i in keep]
    im = ax.imshow(S, cmap="magma_r", interpolation="nearest")
    if truth is not None:
        ti, tj = np.nonzero(truth[np.ix_(keep, keep)])
        off = ti != tj
        ax.scatter(tj[off], ti[off], s=60 * 10 / max(10, len(keep)), facecolors="none", edgecolors="tab:cyan",
                   linewidths=1.2, label="reference edge")
        ax.legend(loc="upper right", bbox_to_anchor=(1, 1.12), fontsize=7, frameon=False)
    fs = max(4, min(9, 300 // max(1, len(keep))))
    ax.set_xticks(range(len(names)), names, rotation=90, fontsize=fs)
    ax.set_yticks(range(len(names)), names, fontsize=fs)
    ax.set(xlabel="target", ylabel="regulator")
    ax.set_title(title or "Granger scores (row regulates column)", fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.046, label="score")
    return ax


def network_drawing(network: pd.DataFrame, path, title: str = "", max_edges: int = 150) -> None:
    """The thresholded network written to ``path`` (see :func:`draw_network`)."""
    if len(network) == 0:
        message_figure(path, "no edges above the threshold", figsize=(7, 6), dpi=110)
        return
    fig, ax = pyplot().subplots(figsize=(7, 6))
    draw_network(ax, network, title, max_edges)
    fig.tight_layout()
    save_figure(fig, path)


def draw_network(ax, network: pd.DataFrame, title: str = "", max_edges: int = 150):
    """Draw the network (arrows regulator -> target, width by score) into ``ax``. With an
    ``in_reference`` column, edges in the reference are green, reversed ones orange, others grey.
    Returns ``ax``."""
    import networkx as nx

    net = network.sort_values("score", ascending=False, kind="mergesort").head(max_edges)
    g = nx.DiGraph()
    g.add_edges_from(zip(net["regulator"], net["target"]))
    if g.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no edges", ha="center", va="center")
        ax.axis("off")
        return ax
    nodes = sorted(g.nodes)  # a circle in name order is readable up to a few dozen genes
    pos = (nx.circular_layout(nodes) if len(nodes) <= 40
           else nx.spring_layout(g, seed=0, k=1.5 / np.sqrt(g.number_of_nodes())))
    colors, legend = [], {}
    for row in net.itertuples():
        if "in_reference" in net and bool(row.in_reference):
            c, lab = "tab:green", "in reference"
        elif "reversed_in_reference" in net and bool(row.reversed_in_reference):
            c, lab = "tab:orange", "reversed in reference"
        elif "in_reference" in net:
            c, lab = "0.6", "not in reference"
        else:
            c, lab = "0.4", "edge"
        colors.append(c)
        legend[lab] = c
    w = net["score"].to_numpy(float)
    widths = 0.8 + 2.2 * (w - w.min()) / (np.ptp(w) or 1.0)
    nx.draw_networkx_nodes(g, pos, ax=ax, node_color="white", edgecolors="0.2", node_size=420)
    nx.draw_networkx_labels(g, pos, ax=ax, font_size=7)
    nx.draw_networkx_edges(g, pos, ax=ax, edgelist=list(zip(net["regulator"], net["target"])), edge_color=colors,
                           width=widths, arrows=True, arrowsize=12, node_size=420, connectionstyle="arc3,rad=0.08")
    for lab, c in legend.items():
        ax.plot([], [], color=c, lw=2, label=lab)
    ax.legend(fontsize=7, frameon=False, loc="lower left")
    ax.set_title(title or f"Network ({len(net)} edges)", fontsize=9)
    ax.axis("off")
    return ax


def loss_curves(records: dict[str, dict], path, title: str = "") -> None:
    """Training and held-out forecasting loss per epoch of every model in every run record
    (``run.json``), written to ``path`` (see :func:`draw_loss`)."""
    fig, ax = pyplot().subplots(1, 2, figsize=(10, 4), sharex=True)
    draw_loss(ax, records)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    save_figure(fig, path)


def _runs(rec: dict) -> list[dict]:
    """A record's runs, from run.json (a list) or from ``adata.uns`` (a dict keyed "0", "1", ...)."""
    runs = rec["runs"]
    return [runs[k] for k in sorted(runs, key=int)] if isinstance(runs, dict) else list(runs)


def draw_loss(ax, records: dict[str, dict]):
    """Draw training (``ax[0]``) and held-out (``ax[1]``) forecasting loss per epoch of every model of
    every record; the chosen epoch dotted. ``ax[0]`` may be ``None`` (held-out only). Returns ``ax``."""
    train_ax, val_ax = ax[0], ax[1]
    drawn = [a for a in (train_ax, val_ax) if a is not None]
    for name, rec in records.items():
        runs = _runs(rec)
        for k, run in enumerate(runs):
            h = run["history"]
            label = f"{name} model {k}" if len(runs) > 1 else name
            line, = val_ax.plot(h["val_mse"], lw=0.9, label=label)
            val_ax.axvline(run["best_epoch"], color=line.get_color(), ls=":", lw=0.7)
            if train_ax is not None:
                train_ax.plot(h["train_mse"], lw=0.9, color=line.get_color(), label=label)
    if train_ax is not None:
        train_ax.set(xlabel="epoch", ylabel="training forecasting MSE", title="Training")
    val_ax.set(xlabel="epoch", ylabel="held-out forecasting MSE", title="Held-out (dotted: chosen epoch)")
    n_runs = sum(len(_runs(r)) for r in records.values())
    if n_runs == 0:  # the single-cell mode and the ridge train nothing
        for a in drawn:
            a.text(0.5, 0.5, "closed form: no model was trained", ha="center", va="center", transform=a.transAxes)
        return ax
    for a in drawn:
        a.set_yscale("log")
    if n_runs <= 12:
        drawn[0].legend(fontsize=6, frameon=False)
    return ax


def summary_bars(table: pd.DataFrame, path, metric: str = "auroc") -> None:
    """Bars of ``metric`` per dataset and method (columns ``dataset, method, <metric>``)."""
    plt = pyplot()
    t = table.dropna(subset=[metric])
    datasets = list(dict.fromkeys(table["dataset"]))
    methods = list(dict.fromkeys(table["method"]))
    fig, ax = plt.subplots(figsize=(2 + 1.6 * len(datasets), 4))
    width = 0.8 / max(1, len(methods))
    for k, m in enumerate(methods):
        vals = [t[(t["dataset"] == d) & (t["method"] == m)][metric].mean() for d in datasets]
        ax.bar(np.arange(len(datasets)) + k * width, vals, width, label=m)
    if metric == "auroc":
        ax.axhline(0.5, color="k", ls=":", lw=0.8)
    ax.set_xticks(np.arange(len(datasets)) + width * (len(methods) - 1) / 2, datasets, fontsize=8)
    ax.set(ylabel=metric.upper(), ylim=(0, 1), title=f"{metric.upper()} per dataset and method")
    ax.legend(fontsize=7, frameon=False, ncol=min(4, len(methods)))
    fig.tight_layout()
    save_figure(fig, path)


def plot_qc(out, qc: dict, path, title: str = "") -> None:
    """Four panels: sample totals, mean-variance with kept genes, the ordering, expression along time."""
    fig, ax = pyplot().subplots(2, 2, figsize=(10, 8))
    ax[0, 0].hist(qc["totals"], bins=40, color="0.4")
    ax[0, 0].set(xlabel="total expression per sample (input)", ylabel="samples", title="Sample totals")
    kept = np.isin(qc["genes"], qc["chosen"])
    ax[0, 1].scatter(qc["mean"][~kept], qc["var"][~kept], s=6, c="0.7", label="dropped")
    ax[0, 1].scatter(qc["mean"][kept], qc["var"][kept], s=6, c="tab:red", label=f"kept ({kept.sum()})")
    ax[0, 1].set(xlabel="mean (normalized)", ylabel="variance", title="Gene selection")
    ax[0, 1].legend(frameon=False)
    if qc["embedding"] is not None:
        sca = ax[1, 0].scatter(qc["embedding"][:, 0], qc["embedding"][:, 1], c=qc["time"], s=8,
                               cmap="viridis")
        fig.colorbar(sca, ax=ax[1, 0], label="diffusion pseudotime")
        ax[1, 0].set(xlabel="DC1", ylabel="DC2", title="Cells in diffusion space")
    else:
        for s in pd.unique(out.obs["series"].astype(str)):
            ax[1, 0].hist(out.obs["time"][out.obs["series"].astype(str) == s], bins=30, alpha=0.5)
        ax[1, 0].set(xlabel="time", ylabel="samples", title=f"Time per series ({out.obs['series'].nunique()})")
    import scipy.sparse as sp

    from ..core.moments import column_variance

    top = np.argsort(-column_variance(out.X), kind="mergesort")[:30]
    X = out.X[:, top]
    X = np.asarray(X.toarray() if sp.issparse(X) else X)  # the 30 genes shown, not every gene, made dense
    Z = (X - X.mean(0)) / (X.std(0) + 1e-12)
    im = ax[1, 1].imshow(Z.T, aspect="auto", cmap="RdBu_r", vmin=-2.5, vmax=2.5, interpolation="nearest")
    ax[1, 1].set_yticks(range(len(top)), [out.var_names[i] for i in top], fontsize=6)
    ax[1, 1].set(xlabel="samples, ordered by series and time", title="Expression (z-score) along time")
    fig.colorbar(im, ax=ax[1, 1])
    fig.suptitle(title)
    fig.tight_layout()
    save_figure(fig, path, dpi=100)
