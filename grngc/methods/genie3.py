"""GENIE3 (Huynh-Thu et al. 2010) and its time-lagged variant (dynGENIE3-style).

For each target gene ``j`` a tree ensemble (random forest or extra trees, ``max_features="sqrt"``)
regresses ``j`` on the candidate regulators; ``S[i, j]`` is the impurity importance of ``i``:

* ``genie3``: ``x_j`` on ``x_{-j}`` at the same sample (the original, steady-state method);
* ``genie3_lagged``: ``x_j(t+1)`` (``target="next"``) or ``x_j(t+1) - x_j(t)`` (``"derivative"``) on
  ``x(t)`` of the regulators, pairs taken within each series only (Huynh-Thu & Geurts 2018).

Expression is standardized per gene, as in the reference implementation. Parallel over targets
(joblib), seeded (``random_state = seed + j``).
"""
from __future__ import annotations

import numpy as np

from ..core.scaling import consecutive_pairs, standardize
from .registry import Method, Param
from ..timecourse import TimeCourse


def _standardize(X):
    return standardize(np.asarray(X, float))[0]


def _one_target(inputs, y, j, regulators, tree_method, n_trees, seed):
    from sklearn.ensemble import ExtraTreesRegressor, RandomForestRegressor

    cls = RandomForestRegressor if tree_method == "rf" else ExtraTreesRegressor
    regs = [i for i in regulators if i != j]
    est = cls(n_estimators=n_trees, max_features="sqrt", random_state=seed + j, n_jobs=1)
    est.fit(inputs[:, regs], y)
    col = np.zeros(inputs.shape[1])
    col[regs] = est.feature_importances_
    return j, col


def _run(inputs, outputs, regulators, tree_method, n_trees, seed, n_jobs):
    from joblib import Parallel, delayed  # here, not at import: the registry loads at every CLI start

    if tree_method not in ("rf", "et"):
        raise ValueError(f"tree_method must be 'rf' (random forest) or 'et' (extra trees), not {tree_method!r}")
    p = inputs.shape[1]
    regulators = list(range(p)) if regulators is None else list(regulators)
    S = np.zeros((p, p))
    jobs = (delayed(_one_target)(inputs, outputs[:, j], j, regulators, tree_method, n_trees, seed) for j in range(p))
    for j, col in Parallel(n_jobs=n_jobs)(jobs):
        S[:, j] = col
    return S


def genie3(X: np.ndarray, regulators: list[int] | None = None, tree_method: str = "rf",
           n_trees: int = 100, seed: int = 0, n_jobs: int = 1) -> np.ndarray:
    """``(p, p)`` scores, ``S[i, j]`` the importance of regulator ``i`` for target ``j`` (same sample)."""
    Xs = _standardize(X)
    return _run(Xs, Xs, regulators, tree_method, n_trees, seed, n_jobs)


def genie3_lagged(tc: TimeCourse, regulators: list[int] | None = None, target: str = "derivative",
                  tree_method: str = "rf", n_trees: int = 100, seed: int = 0, n_jobs: int = 1) -> np.ndarray:
    """Time-lagged GENIE3: predict the next step (or its change) from ``x(t)``, within series."""
    Xs = _standardize(tc.X)
    now, nxt = consecutive_pairs(tc)
    if target == "next":
        y = Xs[nxt]
    elif target == "derivative":
        dt = (tc.time[nxt] - tc.time[now])[:, None]
        y = (Xs[nxt] - Xs[now]) / np.where(dt > 0, dt, 1.0)
    else:
        raise ValueError(f"target must be 'next' or 'derivative', not {target!r}")
    return _run(Xs[now], y, regulators, tree_method, n_trees, seed, n_jobs)


N_TREES = Param("n_trees", 1000, "GENIE3: trees per target (default: 1000)")
TREE_METHOD = Param("tree_method", "rf", "GENIE3: random forest or extra trees", ("rf", "et"))


def run_genie3(tc: TimeCourse, regulators=None, seed: int = 0, n_jobs: int = 1, n_trees: int = 1000,
               tree_method: str = "rf") -> np.ndarray:
    return genie3(tc.X, regulators, tree_method, n_trees, seed, n_jobs)


def run_genie3_lagged(tc: TimeCourse, regulators=None, seed: int = 0, n_jobs: int = 1, n_trees: int = 1000,
                      tree_method: str = "rf") -> np.ndarray:
    return genie3_lagged(tc, regulators, "derivative", tree_method, n_trees, seed, n_jobs)


METHODS = (
    Method("genie3", ("model", "baseline"), "GENIE3: tree ensembles on the same sample",
           "Huynh-Thu, Irrthum, Wehenkel & Geurts, PLoS ONE 5, e12776 (2010)", run="grngc.methods.genie3:run_genie3",
           params=(N_TREES, TREE_METHOD)),
    Method("genie3-lagged", ("baseline",), "time-lagged GENIE3: the change to the next sample from this one",
           "Huynh-Thu & Geurts, dynGENIE3, Sci Rep 8, 3384 (2018)", run="grngc.methods.genie3:run_genie3_lagged",
           params=(N_TREES, TREE_METHOD), uses_time=True),
)
