"""grngc's GENIE3 against the authors' reference GENIE3 (GENIE3.py: random forest, K = sqrt, 1,000 trees)
on the DREAM4 size-10 time series (samples as rows), so that drift in our implementation is caught.

Usage: python benchmarks/genie3_reference.py [--tolerance 0.02]
Exits 1 when a family mean (AUROC or AUPRC over the 5 networks, 3 seeds each) moves more than
``--tolerance`` from the reference figures below.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import FAMILIES, available  # noqa: E402

from grngc.methods.genie3 import genie3  # noqa: E402
from grngc.evaluate.metrics import evaluate_scores  # noqa: E402

# The reference code's figures on ../shared/data/dream4_size10 (mean over 3 seeds), from issue 11.
REFERENCE_AUROC = [0.824, 0.627, 0.688, 0.692, 0.807]
REFERENCE_AUPRC = [0.453, 0.272, 0.346, 0.323, 0.477]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tolerance", type=float, default=0.02)
    ap.add_argument("--n-jobs", type=int, default=2)
    args = ap.parse_args()
    if not available():
        print("../shared/data not found: this benchmark needs it", file=sys.stderr)
        return 1
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"# GENIE3 against the reference code, DREAM4 size 10 (commit {commit})\n")
    print("| network | AUROC (ours) | AUROC (reference) | AUPRC (ours) | AUPRC (reference) |")
    print("| --- | --- | --- | --- | --- |")
    ours_roc, ours_pr = [], []
    for (name, load), ref_roc, ref_pr in zip(FAMILIES["dream4_10"], REFERENCE_AUROC, REFERENCE_AUPRC):
        tc, truth = load()
        ms = [evaluate_scores(genie3(tc.X, n_trees=1000, seed=s, n_jobs=args.n_jobs), truth) for s in range(3)]
        roc, pr = np.mean([m["auroc"] for m in ms]), np.mean([m["auprc"] for m in ms])
        ours_roc.append(roc)
        ours_pr.append(pr)
        print(f"| {name} | {roc:.3f} | {ref_roc:.3f} | {pr:.3f} | {ref_pr:.3f} |", flush=True)
    d_roc = np.mean(ours_roc) - np.mean(REFERENCE_AUROC)
    d_pr = np.mean(ours_pr) - np.mean(REFERENCE_AUPRC)
    print(f"| MEAN | {np.mean(ours_roc):.3f} | {np.mean(REFERENCE_AUROC):.3f} | {np.mean(ours_pr):.3f} | "
          f"{np.mean(REFERENCE_AUPRC):.3f} |\n")
    drift = abs(d_roc) > args.tolerance or abs(d_pr) > args.tolerance
    print(f"difference of the means: AUROC {d_roc:+.3f}, AUPRC {d_pr:+.3f} (tolerance {args.tolerance}): "
          + ("DRIFT" if drift else "in line with the reference"))
    return 1 if drift else 0


if __name__ == "__main__":
    sys.exit(main())
