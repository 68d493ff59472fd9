"""How often the lag of an edge is right: simulated linear and nonlinear networks where every edge acts
with one known delay (1, 2 or 3 steps), GRNGC with lag 3 (the linear model, and the shared MLP).

Usage: python benchmarks/lags.py
For the true edges, the share whose reported lag (the lag carrying the largest mean |gradient|) equals
the true delay; among all true edges and among those in the top k (k = number of true edges).
"""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd


def simulate(p: int, n_series: int, T: int, seed: int, nonlinear: bool):
    """Each gene has 1-2 regulators, each acting with its own delay d in {1, 2, 3}."""
    from grngc.timecourse import TimeCourse

    rng = np.random.default_rng(seed)
    delay = np.zeros((p, p), dtype=int)
    weight = np.zeros((p, p))
    for j in range(p):
        for i in rng.choice([k for k in range(p) if k != j], size=rng.integers(1, 3), replace=False):
            delay[i, j] = rng.integers(1, 4)
            weight[i, j] = rng.choice([-1, 1]) * rng.uniform(0.4, 0.8)
    blocks = []
    for _ in range(n_series):
        X = rng.normal(size=(T + 3, p))
        for t in range(3, T + 3):
            drive = sum(weight[i, j] * X[t - delay[i, j], i] * np.eye(p)[j] for i, j in zip(*np.nonzero(delay)))
            X[t] = 0.3 * X[t - 1] + (np.tanh(2 * drive) if nonlinear else drive) + 0.3 * rng.normal(size=p)
        blocks.append(X[3:])
    X = np.vstack(blocks)
    tc = TimeCourse(X, [f"g{k}" for k in range(p)], np.tile(np.arange(T, dtype=float), n_series),
                    np.repeat(np.arange(n_series), T))
    return tc, delay


def main() -> int:
    import torch

    from grngc.core.api import infer_timecourse
    from grngc.core.presets import resolve_config

    torch.set_num_threads(1)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    rows = []
    for nonlinear in (False, True):
        for seed in range(3):
            tc, delay = simulate(20, n_series=5, T=100, seed=seed, nonlinear=nonlinear)
            true = delay > 0
            for model in ("linear", "mlp"):
                res = infer_timecourse(tc, resolve_config(model=model, lag=3, target="level", progress=False,
                                                          device="cpu"))
                k = int(true.sum())
                off = ~np.eye(tc.n_genes, dtype=bool)
                cut = np.sort(res.scores[off])[::-1][k - 1]
                top = true & (res.scores >= cut)
                right = res.lags == delay
                rows.append({"simulation": "tanh" if nonlinear else "linear", "seed": seed, "model": model,
                             "lag right, all true edges": right[true].mean(),
                             "lag right, true edges in the top k": right[top].mean() if top.any() else np.nan,
                             "true edges in the top k": int(top.sum()), "true edges": k})
                print(rows[-1], flush=True)
    df = pd.DataFrame(rows)
    table = df.groupby(["simulation", "model"], sort=False)[["lag right, all true edges",
                                                             "lag right, true edges in the top k"]].mean().round(3)
    print(f"\n# Lag of each edge (commit {commit}; 20 genes, 5 series x 100 steps, delays 1-3, 3 seeds; chance 1/3)\n")
    print(table.reset_index().to_markdown(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
