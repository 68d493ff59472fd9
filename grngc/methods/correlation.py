r"""Spearman correlation: the co-expression baseline every GRN method is measured against (BEELINE).

.. math::
    S_{ij} = |\rho_{\mathrm{Spearman}}(x_i, x_j)|,

symmetric, so it says nothing about direction.
"""
from __future__ import annotations

import numpy as np

from .registry import Method


def correlation(X: np.ndarray) -> np.ndarray:
    """``(p, p)`` absolute Spearman correlations of the genes (columns of ``X``); diagonal 0, a constant
    gene 0 everywhere."""
    from scipy.stats import rankdata

    R = rankdata(np.asarray(X, float), axis=0)
    R -= R.mean(0)
    norm = np.sqrt((R ** 2).sum(0))
    R /= np.where(norm > 0, norm, 1.0)
    S = np.abs(R.T @ R)
    np.fill_diagonal(S, 0.0)
    return S


def run(tc, regulators=None, seed: int = 0, n_jobs: int = 1) -> np.ndarray:
    return correlation(tc.X)  # grngc.methods.run_baseline keeps the regulators' rows


METHODS = (Method("correlation", ("baseline",), "|Spearman correlation| (symmetric: no direction)",
                  "Spearman, Am J Psychol 15 (1904); a baseline of BEELINE (Pratapa et al., Nat Methods 17, 2020)",
                  run="grngc.methods.correlation:run"),)
