"""Sign accuracy (activation +1 / repression -1) of GRNGC's default against the correlation sign, on the
BEELINE development families, whose reference networks carry a sign (refNetwork.csv Type +/-), and on
networks of `grngc simulate grn`, which know their activators and repressors (50 genes, 10 series x 21
points, seeds 1-3; they need no shared data).

Usage: python benchmarks/signs.py [--no-beeline]
For each dataset: the signed reference edges among GRNGC's top k (k = the number of reference edges),
the share whose GRNGC sign is right, and the share whose Spearman-correlation sign (regulator vs target
over the cells, what pySCENIC uses) is right, on the same edges.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import SHARED, available  # noqa: E402


def simulated(seed: int):
    """A signed `simulate grn` network: (name, time course, signed reference)."""
    from grngc import simulate

    tc, signs = simulate.grn(p=50, n_series=10, T=21, seed=seed, signed=True)
    return f"grn_p50_seed{seed}", tc, simulate.truth_to_edges(signs, tc.genes)


def main() -> int:
    beeline = "--no-beeline" not in sys.argv
    if beeline and not available():
        print("../shared/data not found: the BEELINE part needs it (--no-beeline skips it)", file=sys.stderr)
        return 1
    import torch

    from grngc.core.api import infer_timecourse
    from grngc.io import read_expression, read_reference
    from grngc.evaluate.metrics import candidate_matrix, sign_metrics
    from grngc.core.presets import resolve_config

    torch.set_num_threads(1)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    rows = []
    datasets = []
    if beeline:
        for fam in ("dyn-LI", "dyn-CY", "dyn-BF"):
            for rep in range(3):
                d = SHARED / f"beeline/{fam}/{fam}_2000_{rep}"
                datasets.append((fam, d.name, lambda d=d: read_expression(d),
                                 lambda d=d: read_reference(d / "refNetwork.csv")))
    for seed in (1, 2, 3):
        datasets.append(("simulate grn", f"grn_p50_seed{seed}", lambda s=seed: simulated(s)[1],
                         lambda s=seed: simulated(s)[2]))
    for fam, name, load_data, load_reference in datasets:
        tc, ref = load_data(), load_reference()
        res = infer_timecourse(tc, resolve_config(progress=False, device="cpu"))
        mask = ~np.eye(tc.n_genes, dtype=bool)
        k = int(candidate_matrix(ref, tc.genes, column="__present__")[mask].sum())
        m = sign_metrics(res.edges(), ref, tc.genes, mask, k, tc.X)
        rows.append({"family": fam, "dataset": name, **m})
        print(rows[-1], flush=True)
    df = pd.DataFrame(rows)
    fam = df.groupby("family", sort=False)[["signed_reference_edges_in_top_k", "sign_accuracy",
                                           "sign_accuracy_correlation"]].mean().round(3)
    print(f"\n# Sign accuracy (commit {commit}; default preset; development figures, mean over 3 datasets per "
          "family)\n")
    print(fam.reset_index().to_markdown(index=False))
    print(f"\nall: GRNGC {df['sign_accuracy'].mean():.3f}, correlation {df['sign_accuracy_correlation'].mean():.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
