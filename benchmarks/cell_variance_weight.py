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
first (registrations 9 and 10 did). Run: ``OMP_NUM_THREADS=2 python benchmarks/cell_variance_weight.py [--directed]``;
``--orientation``: how often a truth's regulator is the gene that spreads more.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import single_cell as sc  # noqa: E402
from cell_simulator import one_way_right  # noqa: E402

from grngc.cells import spread_weighted  # noqa: E402
from grngc.core.moments import column_moments  # noqa: E402
from grngc.evaluate.metrics import evaluate_candidates  # noqa: E402

POWERS = (0.0, 0.5, 1.0)
DATASETS = [("mESC (real)", sc.mesc),
            ("simulator 100 genes, seed 301", lambda: sc.sim_differentiation(301)),
            ("simulator 500 genes, seed 311", lambda: sc.sim_differentiation(311, p=500)),
            ("simulator 30 genes no layers, seed 331", lambda: sc.sim_differentiation(331, p=30, velocity=False)),
            ("simulator dropouts (capture 0.03), seed 341", lambda: sc.sim_differentiation(341, capture=0.03)),
            *[(f"BEELINE {n}_0", lambda n=n: sc.beeline_synthetic(n, 0)) for n in ("dyn-LI", "dyn-CY", "dyn-BF")]]


def deployed_undirected(tc) -> np.ndarray:
    """Registration 8's co-expression scores on ``tc`` (the deployed mode without the spreads' weight, which
    registration 10 deployed after this check) before any direction (grngc.cells.cell_mode_scores)."""
    from grngc.cells import cell_mode_scores

    no_spread = {"spread_regulator_power": 0.0, "spread_target_power": 0.0, "spread_target_floor": 0.0}
    return cell_mode_scores(tc, settings=no_spread)["coexpression"][0]


def orientation() -> None:
    """Is the spreads' order a direction? Of each truth's one-way edges (``i -> j`` without ``j -> i``), the
    fraction whose regulator has the larger sd (0.5: no better than a coin)."""
    print(f"# One-way edges whose regulator spreads more than its target (commit {sc.commit()})\n")
    print("| dataset | network | one-way edges | regulator's sd larger |")
    print("| --- | --- | --- | --- |")
    for name, load in DATASETS:
        tc, sets = load()
        sd = column_moments(tc.X)[1]
        for label, truth, _ in sets:  # the "direction" sd_i - sd_j, right where > 0 on a one-way edge
            right = one_way_right(np.subtract.outer(sd, sd), truth)
            print(f"| {name} | {label} | {np.count_nonzero(truth & ~truth.T)} | {right:.3f} |", flush=True)


def deployed_direction(tc, S: np.ndarray) -> np.ndarray:
    """``S`` oriented as the deployed single-cell mode orients it (grngc.cells.network_direction)."""
    from grngc.cells import network_direction, orient_by_time

    D, weight, _ = network_direction(tc)
    return orient_by_time(S, D, weight) if weight else S


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--orientation" in args:
        orientation()
        return 0
    directed = "--directed" in args
    print(f"# Variance weight (sd_i / sd_j)^a on the deployed co-expression, mean AUROC, "
          f"{'oriented as deployed' if directed else 'undirected'} (commit {sc.commit()})\n")
    print("| dataset | genes | " + " | ".join(f"a = {a:g}" for a in POWERS) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in POWERS) + " |")
    for name, load in DATASETS:
        tc, sets = load()
        S = deployed_undirected(tc)
        sd = column_moments(tc.X)[1]
        cells = []
        for a in POWERS:
            W = spread_weighted(S.copy(), sd, a, a)  # (sd_i / sd_j)^a
            if directed:
                W = deployed_direction(tc, W)
            per = {label: evaluate_candidates(truth[mask], W[mask])["auroc"] for label, truth, mask in sets}
            detail = " (" + ", ".join(f"{k} {v:.3f}" for k, v in per.items()) + ")" if len(per) > 1 else ""
            cells.append(f"{np.mean(list(per.values())):.3f}{detail}")
        print(f"| {name} | {tc.n_genes} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
