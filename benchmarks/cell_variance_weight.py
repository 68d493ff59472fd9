"""Development check (not a registration): does weighting the single-cell co-expression by the genes' spreads help?

The deployed co-expression scores ``i -> j`` by ``|b_ij| (d_i d_j)^0.5`` with ``b_ij`` the ridge coefficient of
the z-scored regulator ``i`` for the z-scored target ``j`` (grngc.cells.coexpression) and ``d`` the detection
rates. Here the same scores are multiplied by ``(sd_i / sd_j)^a``, ``sd`` a gene's standard deviation of the
log-normalized values the mode reads (a = 0: the deployed scores). AUROC of the undirected scores (no time, no
velocity), and with ``--directed`` of the scores oriented as the deployed mode orients them (RNA velocity where the
data have the layers, weight 0.9; otherwise time, the mean of the lead-lag and the Granger lead, on at most 50
genes, weight 0.9), the weight applied before the direction.

Found by looking at mESC's references (RegDiffusion's scores rank regulators with a large spread and targets with
a small one higher than ours), so every figure here is a development figure; the datasets are mESC and seeds of
our simulator and BEELINE's replicate 0 that the registered families use too (mESC, dyn-*_0) or do not (the
simulator seeds 301, 311, 331, 341). A default built on it needs a registration of benchmarks/single_cell_rules.py
first. Run: ``OMP_NUM_THREADS=2 python benchmarks/cell_variance_weight.py [--directed]``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import single_cell as sc  # noqa: E402

from grngc.core.moments import detection_rates  # noqa: E402
from grngc.evaluate.metrics import evaluate_candidates  # noqa: E402

POWERS = (0.0, 0.5, 1.0)
DATASETS = [("mESC (real)", sc.mesc),
            ("simulator 100 genes, seed 301", lambda: sc.sim_differentiation(301)),
            ("simulator 500 genes, seed 311", lambda: sc.sim_differentiation(311, p=500)),
            ("simulator 30 genes no layers, seed 331", lambda: sc.sim_differentiation(331, p=30, velocity=False)),
            ("simulator dropouts (capture 0.03), seed 341", lambda: sc.sim_differentiation(341, capture=0.03)),
            *[(f"BEELINE {n}_0", lambda n=n: sc.beeline_synthetic(n, 0)) for n in ("dyn-LI", "dyn-CY", "dyn-BF")]]


def deployed_undirected(X: np.ndarray, lambda_factor: float = 0.03, detection_power: float = 0.5):
    """``(S, sd)``: the deployed co-expression's undirected scores on dense ``X`` (cells x genes) and the spreads."""
    sd = X.std(0)
    sd = np.where(sd == 0, 1.0, sd)
    Z = (X - X.mean(0)) / sd
    n, p = Z.shape
    P = np.linalg.inv(Z.T @ Z / n + lambda_factor * p * np.eye(p))
    S = np.abs(P / np.diag(P)[None, :])  # |b_ij| = |P_ij| / P_jj
    np.fill_diagonal(S, 0.0)
    w = detection_rates(X) ** detection_power
    return S * np.outer(w, w), sd


def deployed_direction(tc, S: np.ndarray) -> np.ndarray:
    """``S`` oriented as the deployed single-cell mode orients it (grngc.cells.CELL_MODE's direction rules)."""
    from grngc.cells import CELL_MODE, orient_by_time, time_direction, velocity_lead

    if tc.velocity is not None:
        return orient_by_time(S, velocity_lead(*tc.velocity), CELL_MODE["velocity_weight"])
    if tc.n_genes <= CELL_MODE["direction_max_genes"]:
        D = time_direction(tc.X, tc.time, tc.series, {"direction_estimator": CELL_MODE["direction_estimator"]})
        return orient_by_time(S, D, CELL_MODE["direction_weight"])
    return S


def main(argv=None) -> int:
    directed = "--directed" in (sys.argv[1:] if argv is None else argv)
    print(f"# Variance weight (sd_i / sd_j)^a on the deployed co-expression, mean AUROC, "
          f"{'oriented as deployed' if directed else 'undirected'} (commit {sc.commit()})\n")
    print("| dataset | genes | " + " | ".join(f"a = {a:g}" for a in POWERS) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in POWERS) + " |")
    for name, load in DATASETS:
        tc, sets = load()
        S, sd = deployed_undirected(np.asarray(tc.X, float))
        ratio = np.outer(sd, 1.0 / sd)
        cells = []
        for a in POWERS:
            W = S * ratio ** a
            if directed:
                W = deployed_direction(tc, W)
            per = {label: evaluate_candidates(truth[mask], W[mask])["auroc"] for label, truth, mask in sets}
            detail = " (" + ", ".join(f"{k} {v:.3f}" for k, v in per.items()) + ")" if len(per) > 1 else ""
            cells.append(f"{np.mean(list(per.values())):.3f}{detail}")
        print(f"| {name} | {tc.n_genes} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
