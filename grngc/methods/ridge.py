"""Linear Granger ridge: the linear baseline every neural Granger model has to beat.

For each target ``j`` a ridge regression of the standardized ``x_j(t)`` (``target="level"``) or of
its change ``x_j(t) - x_j(t-1)`` (``"delta"``) on ALL genes' standardized ``x(t-1)``, pairs taken
within each series only:

.. math::
    \\hat\\beta_{\\cdot j} = \\arg\\min_\\beta \\sum_t (y_j(t) - x(t-1)^\\top \\beta)^2 + \\alpha_j \\|\\beta\\|_2^2,
    \\qquad S_{ij} = |\\hat\\beta_{ij}|

with ``alpha_j`` chosen per target by efficient leave-one-out cross-validation over a log grid (what
sklearn's ``RidgeCV(alpha_per_target=True)`` computes; tests check the two agree), an unpenalized
intercept per target. ``S[i, j]`` scores the edge ``i -> j``.

Leave-one-out in closed form: with the centred inputs ``X = U diag(s) V^T`` (thin SVD over the
nonzero spectrum) and the centred targets ``Y``, the hat matrix of penalty ``alpha`` is
``H = 11^T / n + U diag(s^2 / (s^2 + alpha)) U^T``, and the leave-one-out residual of sample ``t`` is
``(Y - H Y)_t / (1 - H_tt)``. Targets are processed in blocks, so memory stays at a few copies of the
data whatever the number of genes (sklearn holds every target's residuals for every alpha).
"""
from __future__ import annotations

import numpy as np

from ..core.scaling import consecutive_pairs, standardize
from .registry import Method
from ..timecourse import TimeCourse


def granger_ridge(tc: TimeCourse, target: str = "level", alphas=None, signed: bool = False) -> np.ndarray:
    """``(p, p)`` scores ``|beta[i, j]|`` of the lag-1 ridge VAR (edge ``i -> j``); diagonal 0. With
    ``signed`` the coefficients themselves (their sign: activation or repression)."""
    if target not in ("level", "delta"):
        raise ValueError(f"target must be 'level' or 'delta', not {target!r}")
    Xs = standardize(tc.X)[0]
    now, nxt = consecutive_pairs(tc)
    inputs, y = Xs[now], Xs[nxt]
    if target == "delta":
        y -= inputs
    del Xs  # at single-cell sizes every copy of the data counts
    alphas = np.logspace(-3, 4, 15) if alphas is None else alphas
    coef = ridge_loo(inputs, y, alphas, overwrite=True)  # (inputs, targets)
    S = coef if signed else np.abs(coef)
    np.fill_diagonal(S, 0.0)
    return S


def ridge_loo(X: np.ndarray, Y: np.ndarray, alphas, block: int = 256, overwrite: bool = False) -> np.ndarray:
    """Ridge coefficients ``(inputs, targets)`` of ``Y`` on ``X`` with an intercept, each target's
    penalty the one of ``alphas`` with the least leave-one-out squared error (the first on a tie).
    With ``overwrite`` (float64 arrays the caller no longer needs) both are centred in place."""
    as_float = np.asarray if overwrite else np.array  # np.array copies; np.asarray only to change the type
    Xc, Yc = as_float(X, dtype=np.float64), as_float(Y, dtype=np.float64)
    n = Xc.shape[0]
    Xc -= Xc.mean(0)
    Yc -= Yc.mean(0)
    U, s, V = _thin_svd(Xc)
    del Xc
    UtY = U.T @ Yc
    lev_base = 1.0 / n  # the intercept's share of every sample's leverage
    best_err = np.full(Yc.shape[1], np.inf)
    best_alpha = np.zeros(Yc.shape[1])
    for alpha in alphas:
        shrink = s ** 2 / (s ** 2 + alpha)
        denom = 1.0 - (lev_base + np.einsum("tk,k,tk->t", U, shrink, U))  # 1 - H_tt
        for start in range(0, Yc.shape[1], block):
            cols = slice(start, start + block)
            resid = Yc[:, cols] - U @ (shrink[:, None] * UtY[:, cols])
            err = np.mean((resid / denom[:, None]) ** 2, axis=0)
            better = err < best_err[cols]
            best_err[cols] = np.where(better, err, best_err[cols])
            best_alpha[cols] = np.where(better, alpha, best_alpha[cols])
    coef = np.empty((V.shape[0], Yc.shape[1]))
    for alpha in np.unique(best_alpha):
        cols = best_alpha == alpha
        coef[:, cols] = V @ ((s / (s ** 2 + alpha))[:, None] * UtY[:, cols])
    return coef


def _thin_svd(X: np.ndarray):
    """``U, s, V`` with ``X = U diag(s) V^T`` over the singular values above round-off, from the
    eigen-decomposition of the smaller of ``X^T X`` and ``X X^T`` (cheaper than an SVD of ``X``)."""
    n, p = X.shape
    gram = X.T @ X if n >= p else X @ X.T
    ev, vec = np.linalg.eigh(gram)
    keep = ev > ev.max() * max(n, p) * np.finfo(float).eps
    s = np.sqrt(ev[keep])
    if n >= p:
        V = vec[:, keep]
        U = X @ V
        U /= s
        return U, s, V
    U = vec[:, keep]
    return U, s, (X.T @ U) / s


def run(tc: TimeCourse, regulators=None, seed: int = 0, n_jobs: int = 1) -> np.ndarray:
    return granger_ridge(tc)  # every gene an input; grngc.methods.run_baseline keeps the regulators' rows


METHODS = (Method("ridge", ("model", "baseline"),
                  "the linear Granger ridge: lag 1, level, penalty per target by leave-one-out",
                  "Granger, Econometrica 37 (1969); ridge: Hoerl & Kennard, Technometrics 12 (1970)",
                  run="grngc.methods.ridge:run", uses_time=True),)
