"""Does our cell simulator guide development? For variants of :func:`grngc.simulate.differentiation_cells`
on development seeds (never the seeds of ``benchmarks/single_cell.py``'s families): GENIE3's and the
correlation's AUROC (all ordered pairs), the single-cell default's AUROC, that of its scores made
symmetric (S + S^T) and with pseudotime reversed, and the share of one-way true edges that the lead-lag
orients right with the diffusion pseudotime and with the simulated time, and the share the Granger lead
(``grngc.cells.granger_lead``) orients right with the diffusion pseudotime. For a variant with
spliced/unspliced counts, also the share that RNA velocity orients right (``grngc.cells.velocity_lead``: no
pseudotime at all), and the AUROC of the co-expression oriented by it (weight 0.9) and by it with the two
layers swapped (the velocity analogue of reversing pseudotime).

Run: ``python benchmarks/cell_simulator.py [--variants NAME,...] [--seeds 301,302] [--genes 100]``.
Prints a table and its commit. Every figure here is a development figure of the simulator.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import single_cell as sc  # noqa: E402

from grngc.cells import granger_lead, lead_lag, orient_by_time, velocity_lead  # noqa: E402
from grngc.evaluate.metrics import evaluate_candidates  # noqa: E402

# simulator keyword arguments per variant ("default": the simulator's own defaults)
VARIANTS = {
    "default": {},  # one master per 20 genes (registration 4 of benchmarks/single_cell_rules.py), capture 0.5 (5)
    "two_masters": {"n_master": 2},  # the default before registration 4
    "masters5": {"n_master": 5},
    "masters10": {"n_master": 10},
    "capture1": {"capture": 1.0},
    "two_masters_capture1": {"n_master": 2, "capture": 1.0},
    "masters10_capture1": {"n_master": 10, "capture": 1.0},
    "velocity": {"velocity": True},  # spliced and unspliced counts: the velocity direction column
    "velocity_capture0.3": {"velocity": True, "capture": 0.3},  # the default capture before registration 5
    "velocity_capture0.5": {"velocity": True, "capture": 0.5},
    "velocity_capture1": {"velocity": True, "capture": 1.0},
}


GRANGER = "coexpression_c0.03+granger_w0.9_upto200"  # a registration-4 candidate: time read by the Granger lead
VELOCITY = {"velocity_weight": 0.9}  # the single-cell default with RNA velocity's direction at weight 0.9


def simulate(seed: int, p: int, kw: dict):
    """``(tc, truth, the same cells ordered by the simulated time)``; ``tc.velocity`` holds the layers of a
    variant that has them."""
    from grngc.io.expression import timecourse_from_anndata

    adata, out, tc, truth = sc.simulated_cells(seed, p, **kw)
    true_time_tc = out.copy()  # the same cells ordered by the simulated time, for the lead-lag's ceiling
    true_time_tc.obs["time"] = adata.obs["sim_time"].reindex(out.obs_names).to_numpy(float)
    true_time_tc = timecourse_from_anndata(true_time_tc, "time", None, None, source="simulated time")
    return tc, truth, true_time_tc


def auroc(S, truth):
    mask = ~np.eye(len(truth), dtype=bool)
    return float(evaluate_candidates(truth[mask], S[mask])["auroc"])


def one_way_right(D, truth) -> float:
    i, j = np.nonzero(truth & ~truth.T)
    return float(np.mean(D[i, j] > 0)) if len(i) else float("nan")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--seeds", default="301,302")
    ap.add_argument("--genes", type=int, default=100)
    ap.add_argument("--no-genie3", action="store_true")
    args = ap.parse_args(argv)
    rows = []
    for name in args.variants.split(","):
        for seed in [int(s) for s in args.seeds.split(",")]:
            t0 = time.perf_counter()
            tc, truth, true_time = simulate(seed, args.genes, VARIANTS[name])
            S = sc.grngc_default(tc)
            rev = sc.TimeCourse(tc.X, tc.genes, -np.asarray(tc.time, float), tc.series, "reversed", tc.velocity)
            row = {"variant": name, "seed": seed, "edges": int(truth.sum()),
                   "correlation": auroc(sc.anchor_scores(tc, "spearman"), truth),
                   "default": auroc(S, truth), "symmetric": auroc(S + S.T, truth),
                   "reversed": auroc(sc.grngc_default(rev), truth),
                   "granger-oriented": auroc(sc.candidate_scores(tc, GRANGER), truth),
                   "lead-lag right (pseudotime)": one_way_right(lead_lag(tc.X, tc.time), truth)}
            row["Granger lead right (pseudotime)"] = one_way_right(granger_lead(tc.X, tc.time), truth)
            row["lead-lag right (true time)"] = one_way_right(lead_lag(true_time.X, true_time.time), truth)
            if tc.velocity is not None:
                row["velocity right (no pseudotime)"] = one_way_right(velocity_lead(*tc.velocity), truth)
                row["velocity-oriented"] = auroc(sc.grngc_default(tc, VELOCITY), truth)
                swapped = sc.TimeCourse(tc.X, tc.genes, tc.time, tc.series, "layers swapped", tc.velocity[::-1])
                row["velocity, layers swapped"] = auroc(sc.grngc_default(swapped, VELOCITY), truth)
                # velocity and the Granger lead of pseudotime averaged: does time add to velocity?
                S = sc.candidate_scores(tc, "coexpression_c0.03")
                both = (velocity_lead(*tc.velocity) + granger_lead(tc.X, tc.time, tc.series)) / 2
                row["velocity+Granger-oriented"] = auroc(orient_by_time(S, both, 0.9), truth)
                reversed_both = (velocity_lead(*tc.velocity) + granger_lead(tc.X, -tc.time, tc.series)) / 2
                row["velocity+Granger, pseudotime reversed"] = auroc(orient_by_time(S, reversed_both, 0.9), truth)
            if not args.no_genie3:
                row["genie3"] = auroc(sc.anchor_scores(tc, "genie3"), truth)
            row["seconds"] = time.perf_counter() - t0
            rows.append(row)
            print(pd.DataFrame([row]).to_string(index=False, float_format="%.3f"), flush=True)
    df = pd.DataFrame(rows)
    print(f"\n# Cell simulator variants, {args.genes} genes x 1,000 cells, seeds {args.seeds} (commit {sc.commit()})\n")
    print(df.groupby("variant", sort=False).mean(numeric_only=True).drop(columns="seed").to_markdown(floatfmt=".3f"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
