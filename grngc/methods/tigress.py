"""TIGRESS (Haury et al. 2012): stability selection over randomized LARS.

For each target ``j``, repeated ``R`` times: split the samples at random into two halves; on each
half multiply every candidate regulator's column by an independent ``U(alpha, 1)`` weight and run
LARS (``sklearn.linear_model.lars_path``) for ``L`` steps. ``F_k(i)`` is the fraction of the ``2R``
runs in which regulator ``i`` entered within the first ``k`` steps. The score is the area under the
selection-frequency curve:

.. math::
    S_{ij} = \\frac{1}{L} \\sum_{k=1}^{L} F_k(i)

Defaults follow the paper's DREAM5 settings: ``R = 1000``, ``alpha = 0.4``, ``L = 5`` (a smaller
``R`` is fine for small networks: the frequencies are averages).
"""
from __future__ import annotations

import numpy as np

from ..core.scaling import standardize
from .registry import Method, Param


def _standardize(X):
    return standardize(X)[0]


def _one_target(X, j, regulators, R, alpha, L, seed):
    from sklearn.linear_model import lars_path

    rng = np.random.default_rng(seed + j)
    regs = np.array([i for i in regulators if i != j])
    n = X.shape[0]
    steps = min(L, len(regs))
    counts = np.zeros((steps, len(regs)))
    for _ in range(R):
        perm = rng.permutation(n)
        for half in (perm[: n // 2], perm[n // 2:]):
            A = _standardize(X[np.ix_(half, regs)]) * rng.uniform(alpha, 1.0, len(regs))
            y = X[half, j] - X[half, j].mean()
            _, active, _ = lars_path(A, y, method="lar", max_iter=steps)
            for k, i in enumerate(active[:steps]):
                counts[k:, i] += 1  # entered at step k+1: selected for every k' >= k+1
    freq = counts / (2 * R)
    col = np.zeros(X.shape[1])
    col[regs] = freq.sum(0) / L
    return j, col


def tigress(X: np.ndarray, regulators: list[int] | None = None, R: int = 1000, alpha: float = 0.4,
            L: int = 5, seed: int = 0, n_jobs: int = 1) -> np.ndarray:
    """``(p, p)`` scores, ``S[i, j]`` the area under regulator ``i``'s selection-frequency curve for ``j``."""
    from joblib import Parallel, delayed  # here, not at import: the registry loads at every CLI start

    X = _standardize(np.asarray(X, float))
    p = X.shape[1]
    regulators = list(range(p)) if regulators is None else list(regulators)
    S = np.zeros((p, p))
    for j, col in Parallel(n_jobs=n_jobs)(delayed(_one_target)(X, j, regulators, R, alpha, L, seed) for j in range(p)):
        S[:, j] = col
    return S


def run(tc, regulators=None, seed: int = 0, n_jobs: int = 1, resamples: int = 1000) -> np.ndarray:
    return tigress(tc.X, regulators, R=resamples, seed=seed, n_jobs=n_jobs)


METHODS = (Method("tigress", ("baseline",), "TIGRESS: stability selection over randomized LARS",
                  "Haury et al., BMC Syst Biol 6, 145 (2012)", run="grngc.methods.tigress:run",
                  params=(Param("resamples", 1000, "TIGRESS resampling rounds R (default: 1000)"),)),)
