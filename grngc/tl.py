"""``grngc.tl``: tools on an AnnData, as scanpy users expect (``sc.tl``). Each stores its network in
``adata.varp[key_added]`` (entry ``[i, j]`` = edge ``var_names[i] -> var_names[j]``); read it back
with :func:`grngc.get.edges`."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .timecourse import InputError


def infer(adata, time_key: str | None = None, series_key: str | None = None, layer: str | None = None,
          key_added: str = "grngc", copy: bool = False, preset: str | None = None,
          threads: int | str | None = "auto", **settings):
    """Infer a gene network with GRNGC from observations ordered in time (or pseudotime).

    Parameters
    ----------
    adata
        AnnData: observations are samples or cells, ``var`` genes, ``X`` normalized log expression.
    time_key, series_key
        ``obs`` columns with time (or pseudotime) and series (replicate, lineage); unset: the columns
        ``time`` and, when present, ``series``. A named column must exist.
    layer
        Use ``adata.layers[layer]`` instead of ``X``.
    key_added
        Where the scores (``varp``) and the run record (``uns``, a nested dict) go.
    copy
        Work on a copy and return it.
    preset
        ``"default"`` (chosen leave-one-family-out) or ``"paper"`` (the published recipe).
    threads
        torch CPU threads ("auto" = 1).
    **settings
        Any :class:`grngc.GRNGCConfig` field (``model``, ``lag``, ``same_time``, ``lam``, ``epochs``,
        ``seed``, ``device``, ...).

    Returns
    -------
    The AnnData when ``copy``, else ``None``.
    """
    from .core.api import infer_anndata

    return infer_anndata(adata, time_key=time_key, series_key=series_key, layer=layer, key_added=key_added,
                         copy=copy, preset=preset, threads=threads, **settings)


def baseline(adata, method: str, time_key: str | None = None, series_key: str | None = None,
             regulators: list[str] | None = None, key_added: str | None = None, seed: int = 0, n_jobs: int = 1,
             layer: str | None = None, **params) -> None:
    """Run a method registered beside GRNGC (:mod:`grngc.methods`, role ``baseline``: ``genie3``,
    ``genie3-lagged``, ``grnboost2``, ``tigress``, ``ridge``, ``correlation``) on the same data, as
    ``grngc baseline`` and the pipeline do.

    Parameters
    ----------
    adata
        AnnData (normalized log expression in ``X`` or ``layer``).
    method
        A baseline's name (``grngc.methods.names("baseline")``).
    time_key, series_key
        As for :func:`infer`; read only by the methods that use the order of the samples
        (``genie3-lagged``, ``ridge``).
    regulators
        Candidate regulators (gene names; default: every gene).
    key_added
        ``varp`` key of the scores (default: the method's name).
    seed, n_jobs, layer
        Random seed, parallel jobs over targets, AnnData layer instead of ``X``.
    **params
        The method's own parameters (``grngc.methods.get(method).params``: ``n_trees``, ``resamples``, ...).

    Returns
    -------
    None; ``adata.varp[key_added]``, entry ``[i, j]`` the edge ``var_names[i] -> var_names[j]``.
    """
    from .methods import get, run_baseline
    from .timecourse import TimeCourse

    m = get(method, "baseline")
    unknown = set(params) - {p.name for p in m.params}
    if unknown:
        raise InputError(f"{method} has no parameter {sorted(unknown)}; it takes {[p.name for p in m.params]}")
    genes = list(map(str, adata.var_names))
    if m.uses_time:
        from .io.expression import timecourse_from_anndata

        tc = timecourse_from_anndata(adata, time_key, series_key, layer)
    else:  # the same sample only: the order of the observations does not matter
        X = _dense(adata, layer)
        tc = TimeCourse(X, genes, np.arange(len(X), dtype=float), np.zeros(len(X), int), "<AnnData>")
    order = [tc.genes.index(g) for g in genes]  # tc's gene order -> the AnnData's
    regs = _regulator_index(adata, regulators)
    regs = None if regs is None else [order[i] for i in regs]
    S = run_baseline(method, tc, regs, seed=seed, n_jobs=n_jobs, **params)
    adata.varp[key_added or method] = S[np.ix_(order, order)]


def _regulator_index(adata, regulators):
    if regulators is None:
        return None
    names = list(map(str, adata.var_names))
    idx = [names.index(g) for g in regulators if g in names]
    if not idx:
        raise InputError(f"none of the {len(regulators)} regulators is a gene of the data")
    return idx


def genie3(adata, n_trees: int = 1000, regulators: list[str] | None = None, key_added: str = "genie3",
           seed: int = 0, n_jobs: int = 1, layer: str | None = None) -> None:
    """GENIE3 (Huynh-Thu et al. 2010): per target, a random forest on the other genes at the same
    observation; the score of ``i -> j`` is regulator ``i``'s importance for target ``j``.

    Parameters
    ----------
    adata
        AnnData (normalized log expression in ``X`` or ``layer``).
    n_trees
        Trees per forest (the reference code's 1,000 by default; features sqrt(p)).
    regulators
        Candidate regulators (gene names; default: every gene).
    key_added
        ``varp`` key of the ``(n_vars, n_vars)`` scores.
    seed, n_jobs, layer
        Random seed, parallel jobs over targets, AnnData layer instead of ``X``.

    Returns
    -------
    None; the scores are in ``adata.varp[key_added]`` (:func:`grngc.get.edges` reads them).
    """
    from .methods.genie3 import genie3 as run

    X = _dense(adata, layer)
    adata.varp[key_added] = run(X, regulators=_regulator_index(adata, regulators), n_trees=n_trees, seed=seed,
                                n_jobs=n_jobs)


def tigress(adata, R: int = 1000, alpha: float = 0.4, L: int = 5, regulators: list[str] | None = None,
            key_added: str = "tigress", seed: int = 0, n_jobs: int = 1, layer: str | None = None) -> None:
    """TIGRESS (Haury et al. 2012): stability selection over randomized LARS; the score of ``i -> j`` is
    the area under ``i``'s selection-frequency curve over the first ``L`` LARS steps for target ``j``.

    Parameters
    ----------
    adata
        AnnData (normalized log expression in ``X`` or ``layer``).
    R, alpha, L
        Resampling rounds (each two half-samples), the lower bound of the random feature weights
        ``U(alpha, 1)``, and the LARS steps scored.
    regulators, key_added, seed, n_jobs, layer
        As for :func:`genie3`.

    Returns
    -------
    None; the scores are in ``adata.varp[key_added]``.
    """
    from .methods.tigress import tigress as run

    X = _dense(adata, layer)
    adata.varp[key_added] = run(X, regulators=_regulator_index(adata, regulators), R=R, alpha=alpha, L=L,
                                seed=seed, n_jobs=n_jobs)


def threshold(adata_or_edges, method: str = "knee", value: float | None = None, key: str = "grngc") -> pd.DataFrame:
    """The thresholded network of an AnnData's ``varp[key]`` or of an edge table.

    Parameters
    ----------
    adata_or_edges
        AnnData with ``varp[key]``, or a table ``regulator, target, score``.
    method
        ``top_k`` (the ``value`` best edges), ``quantile`` (at or above that quantile), ``score`` (at
        least ``value``) or ``knee`` (the elbow of the sorted scores; ``value`` caps the count).
    value
        The threshold's parameter (see ``method``).
    key
        ``varp`` key when given an AnnData.

    Returns
    -------
    DataFrame ``regulator, target, score`` of the kept edges, highest score first.
    """
    from .evaluate.threshold import threshold as cut

    return cut(_edges(adata_or_edges, key), method, value)


def evaluate(adata_or_edges, reference, kind: str = "gold", key: str = "grngc",
             genes: list[str] | None = None) -> dict:
    """Score a network against a reference network.

    Parameters
    ----------
    adata_or_edges
        AnnData with ``varp[key]``, or a table ``regulator, target, score``.
    reference
        A table ``regulator, target`` or a file in any format :func:`grngc.io.read_reference` reads
        (DREAM gold standard, BEELINE refNetwork, TRRUST, headed CSV/TSV).
    kind
        ``"gold"`` (complete: every unlisted pair is a negative) or ``"partial"`` (a TF-target list:
        only pairs from its regulators are scored).
    key
        ``varp`` key when given an AnnData.
    genes
        Candidate genes (default: the AnnData's genes, or those the edge table names).

    Returns
    -------
    dict with ``auroc``, ``auprc``, ``epr``, ``random_auprc``, counts and a ``note`` on the candidates;
    for a signed reference and signed edges also ``sign_accuracy`` (and, given an AnnData, the
    correlation sign's ``sign_accuracy_correlation`` over its cells/samples).
    """
    from .evaluate.metrics import evaluate_edges

    expression = None if isinstance(adata_or_edges, pd.DataFrame) else _dense(adata_or_edges, None)
    if genes is not None and expression is not None and list(genes) != _genes(adata_or_edges):
        expression = None  # the correlation needs the AnnData's genes in order
    return evaluate_edges(_edges(adata_or_edges, key), _reference(reference),
                          genes if genes is not None else _genes(adata_or_edges), kind, expression=expression)


def _reference(reference) -> pd.DataFrame:
    """A reference given as a table, or a file in any format :func:`grngc.io.read_reference` reads."""
    from .io import read_reference
    from .io.reference import reference_frame

    return reference_frame(reference) if isinstance(reference, pd.DataFrame) else read_reference(reference)


def _genes(adata_or_edges) -> list[str]:
    """The candidate genes: the AnnData's, or those an edge table names."""
    if isinstance(adata_or_edges, pd.DataFrame):
        edges = _edges(adata_or_edges, None)
        return sorted(set(edges["regulator"]) | set(edges["target"]))
    return list(map(str, adata_or_edges.var_names))


def _edges(adata_or_edges, key):
    if isinstance(adata_or_edges, pd.DataFrame):
        from .io.network import edges_frame

        return edges_frame(adata_or_edges)
    from .get import edges

    return edges(adata_or_edges, key)


def _dense(adata, layer):
    import scipy.sparse as sparse

    X = adata.layers[layer] if layer is not None else adata.X
    return np.asarray(X.toarray() if sparse.issparse(X) else X, dtype=float)
