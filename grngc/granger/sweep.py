"""Choosing lambda and lag without a true network.

For every (lambda, lag) the sweep trains ``seeds`` models and reports two things that need no
ground truth:

* ``val_mse`` -- the forecasting error on the held-out tail of each series (lower is better);
* ``stability`` -- mean pairwise Jaccard index of the top-``k`` edges (``k = p``) across seeds
  (higher means the ranking does not depend on the seed; BEELINE reports the same quantity).

The recommended setting follows the one-standard-error rule: the largest lambda (sparsest model)
whose held-out error is within one standard error of the best, ties broken by stability. The
standard error (``val_mse_se``) is that of the mean over held-out windows: each window's error
(averaged over genes and seeds) at the epoch early stopping chose, ``sd / sqrt(windows)``. Two
caveats: windows of one series are correlated, so it understates the uncertainty, and the same tail
chose the epoch, so ``val_mse`` is slightly optimistic for every row alike.
"""
from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd

from ..evaluate.compare import only_regulators, topk_jaccard
from ..timecourse import TimeCourse
from .train import GRNGCConfig, fit_one, model_seed


def sweep(tc: TimeCourse, cfg: GRNGCConfig, lams=(0.3, 1.0, 3.0, 10.0), lags=(1, 2, 3), seeds: int = 2) -> pd.DataFrame:
    rows = []
    for lam, lag in itertools.product(lams, lags):
        c = dataclasses.replace(cfg, lam=lam, lag=lag, n_seeds=1)
        runs = [fit_one(tc, c, model_seed(cfg.seed, s)) for s in range(seeds)]
        scores = [only_regulators(r.scores, tc.genes, cfg.regulators) for r in runs]
        pairs = list(itertools.combinations(range(seeds), 2))
        stab = np.mean([topk_jaccard(scores[a], scores[b], tc.n_genes) for a, b in pairs]) if pairs else np.nan
        mse, se = held_out_error(runs)
        rows.append({"lam": lam, "lag": lag, "val_mse": mse, "val_mse_se": se,
                     "stability": stab, "best_epoch": np.mean([r.best_epoch for r in runs])})
    return recommend(pd.DataFrame(rows))


def held_out_error(runs) -> tuple[float, float]:
    """Mean held-out forecasting error of the runs and its standard error over held-out windows."""
    per_window = np.mean([r.val_window_mse for r in runs], axis=0)
    n = len(per_window)
    return float(per_window.mean()), float(per_window.std(ddof=1) / np.sqrt(n)) if n > 1 else 0.0


def recommend(table: pd.DataFrame) -> pd.DataFrame:
    """Mark the recommended row (one-standard-error rule, see the module docstring); tables of
    separate sweep jobs (one lambda each) are concatenated first."""
    table = table.drop(columns=["recommended"], errors="ignore").reset_index(drop=True)
    best = table.loc[table["val_mse"].idxmin()]
    ok = table[table["val_mse"] <= best["val_mse"] + best["val_mse_se"]]
    pick = ok.sort_values(["lam", "stability"], ascending=[False, False]).index[0]
    table["recommended"] = table.index == pick
    return table
