"""``grngc.pl``: plots that draw into a matplotlib ``ax`` you give (a new figure when ``None``) and return
it, as ``sc.pl`` does."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .report import plots


def _ax(ax, figsize, ncols: int = 1):
    if ax is not None:
        return ax
    fig, ax = plots.pyplot().subplots(1, ncols, figsize=figsize)
    return ax


def heatmap(adata, key: str = "grngc", truth=None, max_genes: int = 60, ax=None, title: str = ""):
    """Scores as a regulator x target heatmap (rows regulate columns).

    Parameters
    ----------
    adata
        AnnData with ``varp[key]``.
    key
        ``varp`` key (``"grngc"``, ``"genie3"``, ...).
    truth
        A ``(p, p)`` 0/1 array or a reference table ``regulator, target``: true edges are circled.
    max_genes
        Larger networks show the genes with the highest total score.
    ax
        matplotlib axes to draw into (a new figure when ``None``).
    title
        Axes title.

    Returns
    -------
    The axes.
    """
    genes = list(map(str, adata.var_names))
    if isinstance(truth, pd.DataFrame):
        from .evaluate.metrics import candidate_matrix

        truth = candidate_matrix(truth, genes, column="__present__")
    ax = _ax(ax, (7, 6))
    return plots.draw_heatmap(ax, np.asarray(adata.varp[key]), genes, truth, max_genes, title)


def network(adata_or_edges, key: str = "grngc", ax=None, title: str = "", max_edges: int = 150):
    """A network drawn with arrows regulator -> target, widths by score.

    Parameters
    ----------
    adata_or_edges
        AnnData after :func:`grngc.tl.infer` (its ``varp[key]``; the best ``max_edges`` edges are drawn),
        or a table ``regulator, target, score`` (e.g. :func:`grngc.tl.threshold`); with an
        ``in_reference`` column (``grngc annotate``), edges in the reference are green, reversed ones orange.
    key
        ``varp`` key when given an AnnData.
    ax, title
        Axes to draw into (new when ``None``), title.
    max_edges
        Draw at most this many, the best first.

    Returns
    -------
    The axes.
    """
    if isinstance(adata_or_edges, pd.DataFrame):
        edges = adata_or_edges
    else:
        from .get import edges as get_edges

        edges = get_edges(adata_or_edges, key, top=max_edges)
    return plots.draw_network(_ax(ax, (7, 6)), edges, title, max_edges)


def loss(adata, key: str = "grngc", ax=None):
    """Forecasting loss per epoch of every model of the run.

    Parameters
    ----------
    adata
        AnnData after :func:`grngc.tl.infer` (the record in ``uns[key]``).
    key
        ``uns`` key.
    ax
        One axes: the held-out loss (the one that picks the epoch); two axes: training and held-out;
        ``None``: a new figure with both.

    Returns
    -------
    The axes given (or the two new ones).
    """
    if key not in adata.uns:
        from .timecourse import InputError

        raise InputError(f"adata.uns has no {key!r} (keys: {list(adata.uns)}); run grngc.tl.infer(adata) first")
    if ax is not None and not isinstance(ax, (list, tuple, np.ndarray)):
        plots.draw_loss([None, ax], {key: adata.uns[key]})
        return ax
    ax = _ax(ax, (10, 4), ncols=2)
    return plots.draw_loss(ax, {key: adata.uns[key]})


def roc(adata_or_edges, reference, kind: str = "gold", key: str = "grngc", ax=None, label: str | None = None):
    """ROC curve of the network against ``reference``.

    Parameters
    ----------
    adata_or_edges, reference, kind, key
        As for :func:`grngc.tl.evaluate`.
    ax, label
        Axes to draw into (new when ``None``), the curve's legend label (default: ``key``).

    Returns
    -------
    The axes.
    """
    return _curve("roc", adata_or_edges, reference, kind, key, ax, label)


def pr(adata_or_edges, reference, kind: str = "gold", key: str = "grngc", ax=None, label: str | None = None):
    """Precision-recall curve of the network against ``reference``; the dotted line is a random
    ranking. Parameters and return value as for :func:`roc`."""
    return _curve("pr", adata_or_edges, reference, kind, key, ax, label)


def _curve(which, adata_or_edges, reference, kind, key, ax, label):
    from sklearn.metrics import precision_recall_curve, roc_curve

    y, s = _labels(adata_or_edges, reference, kind, key)
    ax = _ax(ax, (4.5, 4.5))
    if which == "roc":
        fpr, tpr, _ = roc_curve(y, s)
        ax.plot(fpr, tpr, label=label or key)
        ax.plot([0, 1], [0, 1], "k:", lw=0.8)
        ax.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC")
    else:
        prec, rec, _ = precision_recall_curve(y, s)
        ax.plot(rec, prec, label=label or key)
        ax.axhline(y.mean(), color="k", ls=":", lw=0.8)
        ax.set(xlabel="recall", ylabel="precision", title="Precision-recall")
    return ax


def _labels(adata_or_edges, reference, kind, key):
    from .evaluate.metrics import candidate_matrix, candidate_set
    from .tl import _edges, _genes, _reference

    ref, edges, genes = _reference(reference), _edges(adata_or_edges, key), _genes(adata_or_edges)
    mask, _ = candidate_set(ref, genes, kind)
    truth = candidate_matrix(ref, genes, column="__present__")
    return truth[mask].astype(int), candidate_matrix(edges, genes)[mask]


def interactive(adata_or_edges, path, reference=None, key: str = "grngc", top: int | None = None,
                title: str = "", max_edges: int = 1000):
    """The network as one self-contained, offline HTML page to explore (:mod:`grngc.report.network_page`):
    nodes sized by degree, edges coloured by sign and styled by the reference, hover details, gene search.

    Parameters
    ----------
    adata_or_edges
        AnnData with ``varp[key]`` (its best ``top`` edges, default the number of genes), or an edge
        table ``regulator, target, score`` (e.g. :func:`grngc.tl.threshold`; optional ``sign``,
        ``sign_agreement``, ``lag``, ``in_reference``).
    path
        HTML file to write.
    reference
        Reference network (a table ``regulator, target`` or a file) to style the edges by.
    key, top, title, max_edges
        ``varp`` key; edges taken from an AnnData; page title; most edges drawn.

    Returns
    -------
    The path written.
    """
    from .report.network_page import interactive_network
    from .tl import _edges, _reference

    edges = _edges(adata_or_edges, key)
    if not isinstance(adata_or_edges, pd.DataFrame):
        edges = edges.head(top or adata_or_edges.n_vars)
    return interactive_network(edges, path, _reference(reference) if reference is not None else None,
                               title=title, max_edges=max_edges)
