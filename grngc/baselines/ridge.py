"""Linear Granger ridge: the linear baseline every neural Granger model has to beat.

For each target ``j`` a ridge regression of the standardized ``x_j(t)`` (``target="level"``) or of
its change ``x_j(t) - x_j(t-1)`` (``"delta"``) on ALL genes' standardized ``x(t-1)``, pairs taken
within each series only:

.. math::
    \\hat\\beta_{\\cdot j} = \\arg\\min_\\beta \\sum_t (y_j(t) - x(t-1)^\\top \\beta)^2 + \\alpha_j \\|\\beta\\|_2^2,
    \\qquad S_{ij} = |\\hat\\beta_{ij}|

with ``alpha_j`` chosen per target by efficient leave-one-out cross-validation (sklearn's
``RidgeCV(alpha_per_target=True)``) over a log grid. ``S[i, j]`` scores the edge ``i -> j``.
"""
from __future__ import annotations

import numpy as np

from ..granger import consecutive_pairs, standardize
from ..timecourse import TimeCourse


def granger_ridge(tc: TimeCourse, target: str = "level", alphas=None, signed: bool = False) -> np.ndarray:
    """``(p, p)`` scores ``|beta[i, j]|`` of the lag-1 ridge VAR (edge ``i -> j``); diagonal 0. With
    ``signed`` the coefficients themselves (their sign: activation or repression)."""
    from sklearn.linear_model import RidgeCV

    Xs = standardize(tc.X)[0]
    now, nxt = consecutive_pairs(tc)
    if target == "level":
        y = Xs[nxt]
    elif target == "delta":
        y = Xs[nxt] - Xs[now]
    else:
        raise ValueError(f"target must be 'level' or 'delta', not {target!r}")
    alphas = np.logspace(-3, 4, 15) if alphas is None else alphas
    fit = RidgeCV(alphas=alphas, alpha_per_target=True).fit(Xs[now], y)
    S = fit.coef_.T.copy() if signed else np.abs(fit.coef_).T  # coef_ is (targets, inputs)
    np.fill_diagonal(S, 0.0)
    return S
