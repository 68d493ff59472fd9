"""GRNBoost2 (Moerman et al. 2019, arboreto; the first step of pySCENIC), written here with arboreto's
recipe so that no dask is needed (arboreto 0.1.6's dask layer fails with dask >= 2024.3,
aertslab/arboreto#42).

For each target ``j``, a stochastic gradient-boosting regression of ``x_j`` on the candidate
regulators (the target itself excluded), with arboreto's ``SGBM_KWARGS``: learning rate 0.01, up to
5,000 trees of depth 3, 10% of the features per split, 90% of the samples per tree. Early stopping
is arboreto's out-of-bag heuristic: stop at round ``m`` once the mean out-of-bag improvement over the
last 25 rounds is negative. The score of ``i -> j`` is regulator ``i``'s feature importance times the
number of trees fitted (arboreto's denormalization: regressions that ran longer weigh more), on the
expression as given (no standardization, as in arboreto).
"""
from __future__ import annotations

import numpy as np

from .registry import Method

SGBM_KWARGS = {"learning_rate": 0.01, "n_estimators": 5000, "max_features": 0.1, "subsample": 0.9}
EARLY_STOP_WINDOW = 25


class OutOfBagStop:
    """sklearn ``monitor``: stop when the mean out-of-bag improvement of the last ``window`` rounds is < 0."""

    def __init__(self, window: int = EARLY_STOP_WINDOW):
        self.window = window

    def __call__(self, i: int, regressor, _locals) -> bool:
        if i < self.window - 1:
            return False
        return bool(np.mean(regressor.oob_improvement_[i - self.window + 1: i + 1]) < 0)


def _one_target(X, j, regulators, seed):
    from sklearn.ensemble import GradientBoostingRegressor

    regs = np.array([i for i in regulators if i != j])
    model = GradientBoostingRegressor(random_state=seed, **SGBM_KWARGS)
    model.fit(X[:, regs], X[:, j], monitor=OutOfBagStop())
    col = np.zeros(X.shape[1])
    col[regs] = model.feature_importances_ * len(model.estimators_)
    return j, col, len(model.estimators_)


def grnboost2(X: np.ndarray, regulators: list[int] | None = None, seed: int = 0, n_jobs: int = 1) -> np.ndarray:
    """``(p, p)`` scores, ``S[i, j]`` the (denormalized) importance of regulator ``i`` for target ``j``."""
    from joblib import Parallel, delayed  # here, not at import: the registry loads at every CLI start

    X = np.asarray(X, dtype=float)
    p = X.shape[1]
    regulators = list(range(p)) if regulators is None else list(regulators)
    S = np.zeros((p, p))
    # processes (joblib's loky backend) over targets; they are shut down when the call returns
    for j, col, _ in Parallel(n_jobs=n_jobs)(delayed(_one_target)(X, j, regulators, seed) for j in range(p)):
        S[:, j] = col
    return S


def run(tc, regulators=None, seed: int = 0, n_jobs: int = 1) -> np.ndarray:
    return grnboost2(tc.X, regulators, seed, n_jobs)


METHODS = (Method("grnboost2", ("baseline",), "GRNBoost2: gradient boosting on the same sample (arboreto's recipe)",
                  "Moerman et al., Bioinformatics 35, 2159 (2019)", run="grngc.methods.grnboost2:run"),)
