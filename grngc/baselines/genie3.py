"""GENIE3 (Huynh-Thu et al. 2010): one tree ensemble per target gene, feature importances as scores.

For target ``j``, regress ``x_j`` on the other genes (``x_{-j}``) with a random forest (or extra
trees), ``max_features="sqrt"``; ``S[i, j]`` is the impurity importance of ``i``. Expression is
standardized per gene first, as in the reference implementation.
"""
from __future__ import annotations

import numpy as np
from joblib import Parallel, delayed


def _one_target(X, j, regulators, tree_method, n_trees, seed):
    from sklearn.ensemble import ExtraTreesRegressor, RandomForestRegressor

    cls = RandomForestRegressor if tree_method == "rf" else ExtraTreesRegressor
    inputs = [i for i in regulators if i != j]
    est = cls(n_estimators=n_trees, max_features="sqrt", random_state=seed + j, n_jobs=1)
    est.fit(X[:, inputs], X[:, j])
    col = np.zeros(X.shape[1])
    col[inputs] = est.feature_importances_
    return j, col


def genie3(X: np.ndarray, regulators: list[int] | None = None, tree_method: str = "rf",
           n_trees: int = 100, seed: int = 0, n_jobs: int = 1) -> np.ndarray:
    """``(p, p)`` score matrix, ``S[i, j]`` the importance of regulator ``i`` for target ``j``."""
    X = np.asarray(X, float)
    sd = X.std(0)
    X = (X - X.mean(0)) / np.where(sd > 0, sd, 1.0)
    p = X.shape[1]
    regulators = list(range(p)) if regulators is None else list(regulators)
    S = np.zeros((p, p))
    for j, col in Parallel(n_jobs=n_jobs)(
        delayed(_one_target)(X, j, regulators, tree_method, n_trees, seed) for j in range(p)
    ):
        S[:, j] = col
    return S
