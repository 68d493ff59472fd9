"""Development check (not a registration): can a transform of the deployed single-cell scores lift early precision
(EPR) on mESC without giving back the AUROC the spreads' weight gained?

Registration 10's default (co-expression ``|b_ij| (d_i d_j)^0.5 sd_i / sd_j^0.5``, grngc.cells) ranks mESC's
references past RegDiffusion on AUROC (0.596 against 0.560) and behind it on EPR (2.37 against 2.91); registration
8's (the same without the spreads) reaches EPR 2.86 at AUROC 0.568. Each transform below is applied to registration
10's scores (the table shows registration 11's deployed fade beside them) before the deployed direction
(grngc.cells.network_direction), and scored as benchmarks/single_cell.py scores (mean AUROC / EPR; mESC: BEELINE's regulators x all genes, the mean of its four networks):

* ``clr``: the context likelihood of relatedness (Faith et al. 2007): ``sqrt(z_row^2 + z_col^2)`` of each score's
  positive z-scores against its regulator's row and its target's column;
* ``hub``: times the regulator's row strength (its scores' sum over the mean row's): hub regulators first;
* ``row-rms``: each regulator's row divided by its root mean square: every regulator's top pairs alike;
* ``cap``: the regulator's sd capped at the genes' median sd, the target's floored at its 0.25 quantile;
* ``knn15``: correlations of cells averaged with their 15 nearest cells (on 30 principal components) first;
* ``variable targets``: registration 8's scores times ``sd_j^0.5`` (the top-ranked targets of RegDiffusion on
  mESC spread more than ours, median sd 0.81 against 0.37: does favouring them help?);
* ``positive x1.25``: a pair whose ridge coefficient is positive times 1.25, a negative one times 0.75 (most of
  mESC's reference pairs are positively co-expressed: 72% of STRING's, 58% of all candidate pairs);
* ``rank ridge``: the ridge on the cells' ranks (a Spearman-like partial correlation), weighted as deployed.

``--top`` prints, for mESC's networks, what the top-k pairs (k = the reference's edges) of registrations 8 and 10
are made of: how many regulators, the largest regulator's share, the median target's and regulator's sd
(``--regdiffusion`` adds RegDiffusion's, trained as the protocol's anchor, about 3 min on 2 cores).

Every figure is a development figure (mESC is a protocol family; the simulator seeds 301 and 311 are not the
registered families'). Run: ``OMP_NUM_THREADS=2 python benchmarks/cell_epr_leads.py [--top [--regdiffusion]]``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import single_cell as sc  # noqa: E402
from cell_variance_weight import deployed_direction, deployed_undirected  # noqa: E402

from grngc.cells import CELL_MODE, cell_mode_scores, knn_smoothed  # noqa: E402
from grngc.cells.coexpression import coexpression_scores, detection_weighted, spread_weighted  # noqa: E402
from grngc.core.moments import column_moments, detection_rates  # noqa: E402
from grngc.core.scaling import standardize  # noqa: E402
from grngc.evaluate.metrics import evaluate_candidates  # noqa: E402

# registration 10's default, which the transforms were tried on (registration 11 deployed the fade since)
REGISTRATION_10 = {"spread_regulator_power": 1.0, "spread_target_power": 0.5, "spread_target_floor": 0.0,
                   "spread_fade": 0.0}
DATASETS = [("mESC (real)", sc.mesc),
            ("simulator 100 genes, seed 301", lambda: sc.sim_differentiation(301)),
            ("simulator 500 genes, seed 311", lambda: sc.sim_differentiation(311, p=500)),
            ("BEELINE dyn-BF_0", lambda: sc.beeline_synthetic("dyn-BF", 0))]


def off_diagonal(S: np.ndarray) -> np.ndarray:
    return np.where(np.eye(len(S), dtype=bool), np.nan, S)


def clr(S: np.ndarray) -> np.ndarray:
    M = off_diagonal(S)
    z_row = (S - np.nanmean(M, 1, keepdims=True)) / (np.nanstd(M, 1, keepdims=True) + 1e-12)
    z_col = (S - np.nanmean(M, 0, keepdims=True)) / (np.nanstd(M, 0, keepdims=True) + 1e-12)
    out = np.sqrt(np.maximum(z_row, 0) ** 2 + np.maximum(z_col, 0) ** 2)
    np.fill_diagonal(out, 0.0)
    return out


def hub(S: np.ndarray) -> np.ndarray:
    strength = np.nansum(off_diagonal(S), 1)
    return S * (strength / strength[strength > 0].mean())[:, None]


def row_rms(S: np.ndarray) -> np.ndarray:
    rms = np.sqrt(np.nanmean(off_diagonal(S) ** 2, 1))
    return S / np.where(rms > 0, rms, 1.0)[:, None]


def capped(S8: np.ndarray, sd: np.ndarray) -> np.ndarray:
    live = sd > 1e-8 * sd.max()
    regulator = np.minimum(sd, np.median(sd[live]))
    target = np.maximum(sd, np.quantile(sd[live], 0.25))
    return S8 * np.where(live, regulator, 0.0)[:, None] / np.where(live, target, np.inf)[None, :] ** 0.5


def weighted_as_registration_10(tc, Z: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """Registration 10's scores with the ridge on ``Z`` (cells transformed) instead of the z-scored log values:
    the same penalty, and the detection rates' and spreads' weights of ``tc``'s own values."""
    B = coexpression_scores(Z, None, CELL_MODE["lambda_factor"] * tc.n_genes)
    S = detection_weighted(np.abs(B), detection_rates(np.asarray(tc.X, float)), CELL_MODE["detection_power"])
    r = REGISTRATION_10
    return spread_weighted(S, sd, r["spread_regulator_power"], r["spread_target_power"], r["spread_target_floor"])


def knn_scores(tc, sd: np.ndarray) -> np.ndarray:
    return weighted_as_registration_10(tc, knn_smoothed(standardize(np.asarray(tc.X, float))[0], 15, 30), sd)


def rank_ridge(tc, sd: np.ndarray) -> np.ndarray:
    from scipy.stats import rankdata

    return weighted_as_registration_10(tc, standardize(rankdata(np.asarray(tc.X, float), axis=0))[0], sd)


def transforms(tc) -> dict:
    S10, signs = cell_mode_scores(tc, settings=REGISTRATION_10)["coexpression"]
    S10 = S10.astype(float)
    S8 = deployed_undirected(tc).astype(float)  # registration 8's: no spreads
    sd = column_moments(np.asarray(tc.X, float))[1]
    deployed = cell_mode_scores(tc)["coexpression"][0].astype(float)
    return {"registration 8": S8, "registration 10": S10, "registration 11 (deployed: the fade)": deployed,
            "clr": clr(S10), "hub": hub(S10), "row-rms": row_rms(S10), "cap": capped(S8, sd), "knn15": knn_scores(tc, sd),
            "variable targets": S8 * np.sqrt(sd)[None, :], "positive x1.25": S10 * np.where(signs > 0, 1.25, 0.75),
            "rank ridge": rank_ridge(tc, sd)}


def scored(tc, sets, S) -> tuple[float, float]:
    W = deployed_direction(tc, S)
    per = [evaluate_candidates(truth[mask], W[mask]) for _, truth, mask in sets]
    return float(np.mean([m["auroc"] for m in per])), float(np.mean([m["epr"] for m in per]))


def top_pairs(with_regdiffusion: bool) -> None:
    tc, sets = sc.mesc()
    sd = column_moments(np.asarray(tc.X, float))[1]
    nets = {"registration 8": deployed_undirected(tc),
            "registration 10": cell_mode_scores(tc, settings=REGISTRATION_10)["coexpression"][0],
            "registration 11 (deployed)": cell_mode_scores(tc)["coexpression"][0]}
    nets = {k: deployed_direction(tc, S.astype(float)) for k, S in nets.items()}
    if with_regdiffusion:
        nets["RegDiffusion"] = sc.anchor_scores(tc, "regdiffusion")
    print(f"# mESC: what the top-k pairs are made of (commit {sc.commit()})\n")
    print("| network | scores | precision at k | regulators in the top k | largest regulator's pairs | "
          "median target sd | median regulator sd |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, truth, mask in sets:
        k = int(truth[mask].sum())
        for name, S in nets.items():
            flat = np.argsort(np.where(mask, S, -np.inf), axis=None)[::-1][:k]
            rows, cols = np.unravel_index(flat, S.shape)
            counts = np.unique(rows, return_counts=True)[1]
            print(f"| {label} (k {k}) | {name} | {truth[rows, cols].mean():.4f} | {len(counts)} | {counts.max()} | "
                  f"{np.median(sd[cols]):.2f} | {np.median(sd[rows]):.2f} |", flush=True)


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--top" in args:
        top_pairs("--regdiffusion" in args)
        return 0
    print(f"# Transforms of the single-cell scores, mean AUROC / EPR, oriented as deployed (commit {sc.commit()})\n")
    rows = {}
    for name, load in DATASETS:
        tc, sets = load()
        for transform, S in transforms(tc).items():
            rows.setdefault(transform, []).append(scored(tc, sets, S))
        print(f"(scored {name})", file=sys.stderr, flush=True)
    print("| transform | " + " | ".join(name for name, _ in DATASETS) + " |")
    print("| --- | " + " | ".join("---" for _ in DATASETS) + " |")
    for transform, figures in rows.items():
        print(f"| {transform} | " + " | ".join(f"{a:.3f} / {e:.2f}" for a, e in figures) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
