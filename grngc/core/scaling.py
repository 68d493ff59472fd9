"""Per-gene scaling and the lag-1 pairs of samples, in numpy (no torch), for every method."""
from __future__ import annotations

import numpy as np

from ..timecourse import TimeCourse


def consecutive_pairs(tc: TimeCourse) -> tuple[np.ndarray, np.ndarray]:
    """Row indices ``(now, next)`` of every pair of consecutive samples within a series (none crosses
    from one series into the next): the lag-1 pairs of the baselines that regress the next step."""
    now, nxt = [], []
    for _, sl in tc.series_slices():
        idx = np.arange(sl.start, sl.stop)
        now.append(idx[:-1])
        nxt.append(idx[1:])
    return np.concatenate(now), np.concatenate(nxt)


def standardize(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-gene z-scores; a constant gene gets scale 1 (it stays 0)."""
    mean = X.mean(0)
    std = X.std(0)
    std = np.where(std > 0, std, 1.0)
    return (X - mean) / std, mean, std


def gaussianize(X: np.ndarray) -> np.ndarray:
    """Per-gene rank-based inverse normal transform: ``Phi^-1((rank - 1/2) / n)``, ties averaged.

    Every gene then has the same (standard normal) marginal, so no gene's gradients are inflated
    or damped by a skewed or heavy-tailed distribution.
    """
    from scipy.stats import norm, rankdata

    n = X.shape[0]
    return norm.ppf((rankdata(X, axis=0) - 0.5) / n)
