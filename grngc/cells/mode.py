"""The single-cell mode: the rule that chooses it (:func:`choose_kind`) and its members' networks
(:func:`cell_mode_scores`): co-expression (:mod:`.coexpression`), Granger over the DAG of cells (:mod:`.dag`),
the neural member (:mod:`grngc.models.adjacency`)."""
from __future__ import annotations

import logging
import time as _time

import numpy as np

from ..core.scaling import standardize
from ..evaluate.metrics import regulator_rows
from ..timecourse import TimeCourse
from .coexpression import coexpression_from_correlation, detection_weighted, spread_weighted
from .dag import cell_dag, dag_granger_scores, knn_smoothed
from .settings import CELL_GAP_CV, CELL_MAX_SERIES, CELL_MEMBERS, CELL_MIN_SAMPLES, CELL_MODE

log = logging.getLogger("grngc")


def data_shape(tc: TimeCourse) -> dict:
    """The measurable properties the mode rule reads: series, the longest series' samples, whether
    times tie within a series, and the coefficient of variation of the gaps between distinct times."""
    slices = tc.series_slices()
    longest = max(sl.stop - sl.start for _, sl in slices)
    cvs = []
    for _, sl in slices:
        gaps = np.diff(np.unique(tc.time[sl]))
        if len(gaps) > 1 and gaps.mean() > 0:
            cvs.append(float(gaps.std() / gaps.mean()))
    return {"n_series": len(slices), "longest_series": int(longest), "time_ties": tc.time_ties() is not None,
            "gap_cv": max(cvs) if cvs else 0.0}


def choose_kind(tc: TimeCourse, kind: str = "auto") -> tuple[str, str]:
    """``("cells" | "bulk", why)``. ``kind`` "cells" or "bulk" is taken as given; "auto" sends to the
    single-cell mode an input with at most :data:`CELL_MAX_SERIES` series, one of at least
    :data:`CELL_MIN_SAMPLES` samples, whose times tie or are irregularly spaced (gap CV above
    :data:`CELL_GAP_CV`): cells ordered by pseudotime. Evenly spaced long series stay bulk."""
    if kind in ("cells", "bulk"):
        return kind, f"kind={kind!r} given"
    if kind != "auto":
        from ..timecourse import InputError

        raise InputError(f"kind {kind!r}: use 'auto', 'cells' (single cells ordered by pseudotime) or 'bulk' "
                         "(time courses)")
    s = data_shape(tc)
    few_long = s["n_series"] <= CELL_MAX_SERIES and s["longest_series"] >= CELL_MIN_SAMPLES
    pseudotime_like = s["time_ties"] or s["gap_cv"] > CELL_GAP_CV
    why = (f"{s['n_series']} series, longest {s['longest_series']} samples, time ties {s['time_ties']}, "
           f"time-gap CV {s['gap_cv']:.2f}")
    if few_long and pseudotime_like:
        return "cells", why + f": single cells (<= {CELL_MAX_SERIES} series, >= {CELL_MIN_SAMPLES} samples, tied or " \
                              f"irregular times)"
    return "bulk", why + ": time courses"


def spreads_weigh(settings: dict | None = None) -> bool:
    """Whether the single-cell mode with ``settings`` (over :data:`CELL_MODE`) weighs co-expressed pairs by the
    genes' spreads (:func:`grngc.cells.spread_weighted`), which ranks a pair's two directions apart: the one
    condition :func:`cell_mode_scores` applies and a run's record reports."""
    s = {**CELL_MODE, **(settings or {})}
    return "coexpression" in s["members"] and bool(s["spread_regulator_power"] or s["spread_target_power"])


def spread_description(settings: dict | None = None) -> str:
    """The spreads' weight of ``settings`` (over :data:`CELL_MODE`) in words, as the log and a run's record say it."""
    s = {**CELL_MODE, **(settings or {})}
    floor = f" (floored at its {s['spread_target_floor']:g} quantile)" if s["spread_target_floor"] else ""
    fade = f", fading as the pair's co-expression quantile q^{s['spread_fade']:g} nears 1" if s["spread_fade"] else ""
    return f"sd_regulator^{s['spread_regulator_power']:g} / sd_target^{s['spread_target_power']:g}{floor}{fade}"


def cell_mode_scores(tc: TimeCourse, regulators=None, settings: dict | None = None, device: str = "cpu",
                     seed: int = 0) -> dict:
    """The single-cell mode's member networks on ``tc`` (every gene z-scored; constant genes are the
    caller's business): ``{member: (S, signed)}`` for the members of ``settings`` (:data:`CELL_MODE`
    by default), ``S`` the score matrix (``S[i, j]``: ``i -> j``) and ``signed`` its signed coefficients
    (co-expression: their signs alone, int8, so that an atlas holds one genes x genes float matrix, not two).
    ``tc.X`` may be sparse (an atlas): the co-expression member reads it in blocks of cells
    (:mod:`grngc.core.moments`), never as one dense matrix; ``device`` runs those closed forms (``auto``:
    a GPU when present; the neural member trains there, from ``seed``)."""
    from ..core.moments import (column_moments, column_statistics, correlation_rows, detection_rates, device_for,
                                peak_memory_gb)

    s = {**CELL_MODE, **(settings or {})}
    unknown = set(s["members"]) - set(CELL_MEMBERS)
    if unknown:
        raise ValueError(f"unknown single-cell member(s) {sorted(unknown)}; choose from {CELL_MEMBERS}")
    lam = s["lambda_factor"] * tc.n_genes
    device = device_for(device)
    R = regulator_rows(tc.genes, regulators)  # bool mask, None: every gene
    out = {}
    for member in s["members"]:
        if member == "coexpression":
            R = np.ones(tc.n_genes, bool) if R is None else R
            t0 = _time.perf_counter()
            # a sparse atlas: the detection rates come with the moments' passes over the cells, not two more
            mean, std, detection = column_statistics(tc.X) if tc.is_sparse else (*column_moments(tc.X), None)
            moments = (mean, std)
            weighted = s["detection_power"] or s["spread_regulator_power"] or s["spread_target_power"]
            if weighted and np.allclose(mean, 0.0, atol=1e-3) and np.allclose(std, 1.0, atol=1e-3):
                log.warning("%s: every gene has mean 0 and standard deviation 1 (scaled, as sc.pp.scale does): the "
                            "detection rates' and spreads' weights cannot tell the genes apart; give the log-normalized "
                            "values (adata.X before scaling, or that layer: --layer, API layer=)", tc.source)
            C_R = correlation_rows(tc.X, np.flatnonzero(R), device=device, moments=moments)
            log.info("single-cell mode: correlations of %d regulator(s) x %d genes over %d cells in %.1f s on %s "
                     "(peak memory so far %.2f GB)", int(R.sum()), tc.n_genes, tc.n_samples,
                     _time.perf_counter() - t0, device, peak_memory_gb())
            B = coexpression_from_correlation(C_R, R, lam, device, overwrite=True)  # C_R is not needed after
            del C_R
            log.info("single-cell mode: ridge coefficients in %.1f s (peak memory so far %.2f GB)",
                     _time.perf_counter() - t0, peak_memory_gb())
            # B becomes S = |B| in place and its signs int8 (the ufuncs write through their buffers, no
            # float temporary): one genes x genes float matrix at atlas size, not two
            signs = np.sign(B, out=np.empty(B.shape, np.int8), casting="unsafe")
            S, B = np.abs(B, out=B), signs
            if s["detection_power"]:  # rank pairs of often-missed genes lower (registration 8)
                d = detection_rates(tc.X) if detection is None else detection
                S = detection_weighted(S, d, s["detection_power"])
                log.info("single-cell mode: pairs weighted by detection rates (median %.2f) to the power %g",
                         float(np.median(d)), s["detection_power"])
            if spreads_weigh(s):  # the regulator that spreads more, the target that is not flat (registrations 9-11)
                S = spread_weighted(S, std, s["spread_regulator_power"], s["spread_target_power"],
                                    s["spread_target_floor"], s["spread_fade"])
                log.info("single-cell mode: pairs weighted by the genes' spreads, %s (peak memory so far %.2f GB)",
                         spread_description(s), peak_memory_gb())
            out[member] = (S, B)
        elif member == "neural":
            from ..models.adjacency import fit_adjacency

            neural = dict(s["neural"])
            Z = standardize(tc.densified().X)[0]  # mini-batches of cells are drawn from one dense copy
            if neural.get("knn"):
                Z = knn_smoothed(Z, int(neural.pop("knn")), s["n_pcs"])
            rows = None if R is None else np.flatnonzero(R)
            out[member] = fit_adjacency(Z, rows, neural, seed, device)
            log.info("single-cell member neural: peak memory so far %.2f GB", peak_memory_gb())
        else:
            X = tc.densified().X  # the DAG member reads every cell at once
            A = cell_dag(X, tc.time, tc.series, s["neighbors"], s["n_pcs"])
            out[member] = dag_granger_scores(standardize(X)[0], A, s["lag"], lam)
    return out


