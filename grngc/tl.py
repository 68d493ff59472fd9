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
    from .api import infer_anndata

    return infer_anndata(adata, time_key=time_key, series_key=series_key, layer=layer, key_added=key_added,
                         copy=copy, preset=preset, threads=threads, **settings)


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
    """GENIE3 (random forest, sqrt features; Huynh-Thu et al. 2010) on the observations, stored in
    ``adata.varp[key_added]``. ``regulators``: candidate regulators (default: every gene)."""
    from .baselines import genie3 as run

    X = _dense(adata, layer)
    adata.varp[key_added] = run(X, regulators=_regulator_index(adata, regulators), n_trees=n_trees, seed=seed,
                                n_jobs=n_jobs)


def tigress(adata, R: int = 1000, alpha: float = 0.4, L: int = 5, regulators: list[str] | None = None,
            key_added: str = "tigress", seed: int = 0, n_jobs: int = 1, layer: str | None = None) -> None:
    """TIGRESS (stability selection over randomized LARS; Haury et al. 2012), stored in
    ``adata.varp[key_added]``."""
    from .baselines import tigress as run

    X = _dense(adata, layer)
    adata.varp[key_added] = run(X, regulators=_regulator_index(adata, regulators), R=R, alpha=alpha, L=L,
                                seed=seed, n_jobs=n_jobs)


def threshold(adata_or_edges, method: str = "knee", value: float | None = None, key: str = "grngc") -> pd.DataFrame:
    """The thresholded network (``top_k``, ``quantile``, ``score`` or ``knee``; :func:`grngc.network.threshold`)
    of an AnnData's ``varp[key]`` or of an edge table. Returns ``regulator, target, score``."""
    from .network import threshold as cut

    return cut(_edges(adata_or_edges, key), method, value)


def evaluate(adata_or_edges, reference, kind: str = "gold", key: str = "grngc",
             genes: list[str] | None = None) -> dict:
    """AUROC, AUPRC, early precision ratio and counts of the network against ``reference`` (a table
    ``regulator, target`` or a file in any format :func:`grngc.io.read_reference` reads); ``kind``
    ``"gold"`` (complete) or ``"partial"`` (a TF-target list). Candidates: the AnnData's genes (or
    ``genes``)."""
    from .io import read_reference
    from .metrics import evaluate_edges

    ref = reference if isinstance(reference, pd.DataFrame) else read_reference(reference)
    if genes is None:
        if isinstance(adata_or_edges, pd.DataFrame):
            genes = sorted(set(adata_or_edges["regulator"]) | set(adata_or_edges["target"]))
        else:
            genes = list(map(str, adata_or_edges.var_names))
    return evaluate_edges(_edges(adata_or_edges, key), ref, genes, kind)


def _edges(adata_or_edges, key):
    if isinstance(adata_or_edges, pd.DataFrame):
        return adata_or_edges
    from .get import edges

    return edges(adata_or_edges, key)


def _dense(adata, layer):
    import scipy.sparse as sparse

    X = adata.layers[layer] if layer is not None else adata.X
    return np.asarray(X.toarray() if sparse.issparse(X) else X, dtype=float)
