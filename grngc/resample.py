"""Irregularly sampled series (cells ordered by pseudotime) averaged into equal-count bins.

Single cells ordered by pseudotime are not a time course: consecutive cells come from different
cells (in BoolODE data, from different simulations), so ``x(t) - x(t-1)`` between neighbours is
mostly noise. Averaging ``b`` consecutive cells (a metacell) per step divides that noise variance
by ``b`` and turns the ordering into a series that lagged models can read. Regularly sampled
series (bulk time courses, simulations) are left as they are.
"""
from __future__ import annotations

import numpy as np

from .timecourse import TimeCourse


def is_irregular(time: np.ndarray, tol: float = 0.05) -> bool:
    """True when steps vary (coefficient of variation > ``tol``) or times repeat."""
    d = np.diff(time)
    if len(d) == 0:
        return False
    if np.any(d <= 0):
        return True
    return float(d.std() / d.mean()) > tol


def bin_series(tc: TimeCourse, cells_per_bin: int = 10, min_bins: int = 20) -> tuple[TimeCourse, list[str]]:
    """Average consecutive samples of each irregular series in equal-count bins.

    A series is binned only if it is irregular and long enough to keep ``min_bins`` bins; the
    returned list names the series that were binned.
    """
    Xs, ts, ss, binned = [], [], [], []
    for name, sl in tc.series_slices():
        X, t = tc.X[sl], tc.time[sl]
        n_bins = len(t) // cells_per_bin
        if cells_per_bin > 1 and n_bins >= min_bins and is_irregular(t):
            groups = np.array_split(np.arange(len(t)), n_bins)
            X = np.stack([X[g].mean(0) for g in groups])
            t = np.array([t[g].mean() for g in groups])
            binned.append(name)
        Xs.append(X)
        ts.append(t)
        ss.append(np.full(len(t), name))
    if not binned:
        return tc, []
    out = TimeCourse(np.vstack(Xs), tc.genes, np.concatenate(ts), np.concatenate(ss), tc.source, list(tc.notes))
    return out, binned
