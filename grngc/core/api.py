"""Python API: GRNGC on arrays (:func:`infer`) and on AnnData, scanpy-style (:func:`infer_anndata`)."""
from __future__ import annotations

import logging

import numpy as np

from ..config import GRNGCConfig
from .record import to_uns
from .result import GRNGCResult
from .run import infer_checked
from .runtime import cpu_threads, torch_threads
from ..timecourse import TimeCourse

__all__ = ["GRNGCResult", "infer", "infer_anndata", "infer_timecourse", "make_config"]

log = logging.getLogger("grngc")


def make_config(config: GRNGCConfig | None = None, preset: str | None = None, **overrides) -> GRNGCConfig:
    """``config`` (or the defaults), then the named ``preset`` ("default" or "paper"), then ``overrides``.
    Without either, the "default" preset; an explicit ``config`` alone is taken as it is."""
    from .presets import resolve_config

    if preset is None and config is None:
        preset = "default"
    return resolve_config(preset, config, **overrides)


def infer(X, time=None, series=None, genes=None, config: GRNGCConfig | None = None, preset: str | None = None,
          threads: int | str | None = "auto", **settings) -> GRNGCResult:
    """Infer a gene network from time-ordered expression.

    Parameters
    ----------
    X
        ``(n_samples, n_genes)`` expression; rows need not be sorted.
    time
        Time or pseudotime per sample; row order when ``None``.
    series
        Series label per sample (replicates, trajectories); one series when ``None``.
    genes
        Gene names; ``g0, g1, ...`` when ``None``.
    config, preset, **settings
        A :class:`~grngc.granger.train.GRNGCConfig`, a named preset (``"default"``, or ``"paper"`` for the
        published recipe; see :mod:`grngc.core.presets`) and/or any field of the config (``model``,
        ``lag``, ``same_time``, ``target``, ``lam``, ``epochs``, ``seed``, ``device``, ...), applied in
        that order.
    threads
        torch CPU threads for this call ("auto": 1, see :func:`cpu_threads`); restored afterwards.

    Returns
    -------
    :class:`GRNGCResult` with ``scores[i, j]`` for the edge ``i -> j``.
    """
    X = np.asarray(X, dtype=float)
    n, p = X.shape
    tc = TimeCourse(
        X,
        list(genes) if genes is not None else [f"g{i}" for i in range(p)],
        np.arange(n, dtype=float) if time is None else np.asarray(time, float),
        np.zeros(n, int) if series is None else np.asarray(series),
    )
    return infer_timecourse(tc, make_config(config, preset, **settings), threads=threads)


def infer_timecourse(tc: TimeCourse, cfg: GRNGCConfig, checkpoint=None, resume: bool = False,
                     threads: int | str | None = "auto") -> GRNGCResult:
    """Run GRNGC on a :class:`TimeCourse`; constant genes score 0 and are listed in the record.

    Parameters
    ----------
    tc
        The time course (checked first by :func:`grngc.io.expression.validate`, as on every path).
    cfg
        The settings (:func:`make_config` / :func:`grngc.core.presets.resolve_config`).
    checkpoint
        A :class:`grngc.core.runtime.Checkpointer` that saves the training state as it goes.
    resume
        Continue from ``checkpoint`` when it was written for the same settings and input.
    threads
        torch CPU threads (:func:`cpu_threads`; "auto" = 1, measured best on a shared machine).

    Returns
    -------
    :class:`GRNGCResult`: ``scores[i, j]`` for the edge ``genes[i] -> genes[j]`` and the run record.
    """
    from .runtime import run_progress

    with torch_threads(threads), run_progress(cfg.progress):
        res = infer_checked(tc, cfg, checkpoint, resume)
    res.record["cpu_threads"] = cpu_threads(threads)
    return res


def infer_anndata(adata, time_key: str | None = None, series_key: str | None = None, layer: str | None = None,
                  key_added: str = "grngc", copy: bool = False, config: GRNGCConfig | None = None,
                  preset: str | None = None, threads: int | str | None = "auto", **settings):
    """Scanpy-style GRNGC on an AnnData (also :func:`grngc.tl.infer`).

    Parameters
    ----------
    adata
        Observations ordered by ``obs[time_key]`` within ``obs[series_key]``.
    time_key, series_key
        ``obs`` columns; unset: ``time`` and, when present, ``series``. A named key must exist.
    layer
        Use ``adata.layers[layer]`` instead of ``X``.
    key_added
        Stores ``adata.varp[key_added]`` (``(n_vars, n_vars)``, entry ``[i, j]`` scores the edge
        ``var_names[i] -> var_names[j]``), where known ``varp[key_added + "_sign"]`` (+1 / -1),
        ``varp[key_added + "_sign_agreement"]`` and ``varp[key_added + "_lag"]`` (read back as columns
        by :func:`grngc.get.edges`), and the run record, a plain nested dict (settings,
        per-model loss curves, versions; :func:`to_uns`), in ``adata.uns[key_added]``.
    copy
        Work on a copy and return it.
    config, preset, threads, **settings
        As in :func:`infer`.

    Returns
    -------
    The AnnData when ``copy`` is true, else ``None``.
    """
    from ..io.expression import timecourse_from_anndata

    cfg = make_config(config, preset, **settings)  # a bad setting stops before any data is read
    adata = adata.copy() if copy else adata
    tc = timecourse_from_anndata(adata, time_key, series_key, layer, velocity=cfg.velocity, sparse=True)
    res = infer_timecourse(tc, cfg, threads=threads)
    adata.varp[key_added] = res.scores
    for suffix, values in (("_sign", res.signs), ("_sign_agreement", res.sign_agreement), ("_lag", res.lags)):
        if values is not None:
            adata.varp[key_added + suffix] = values
    adata.uns[key_added] = to_uns(res.record)
    return adata if copy else None


