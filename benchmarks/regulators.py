"""TF-restricted inference measured: GRNGC's default and GENIE3 with and without a regulator list, on
the BEELINE development families, where the genes with an out-edge in the reference stand in for the
TFs (as BEELINE's TF-restricted evaluation does). Every figure is scored on the same candidate set:
pairs from the listed regulators (self-pairs excluded).

Usage: python benchmarks/regulators.py [--families beeline_LI,beeline_CY,beeline_BF]
GENIE3's unrestricted scores come from the protocol's cache (benchmarks/protocol) when present, else are computed.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from protocol import cache as P  # noqa: E402
from protocol.compute import run_method  # noqa: E402
from protocol.report import commit  # noqa: E402
from datasets import FAMILIES, available  # noqa: E402

from grngc.methods.genie3 import genie3  # noqa: E402
from grngc.evaluate.metrics import evaluate_candidates  # noqa: E402
from grngc.core.presets import resolve_config  # noqa: E402
from grngc.report.tables import markdown_table  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--families", default="beeline_LI,beeline_CY,beeline_BF")
    args = ap.parse_args()
    if not available():
        print("../shared/data not found: this benchmark needs it", file=sys.stderr)
        return 1
    from grngc.core.api import infer_timecourse

    out = Path(__file__).resolve().parent / "out" / "protocol"
    rows = []
    for fam in args.families.split(","):
        for name, load in FAMILIES[fam]:
            tc, truth = P.load_dataset(out, name, load)
            regs = [g for g, out in zip(tc.genes, truth.sum(1)) if out > 0]
            idx = [tc.genes.index(g) for g in regs]
            mask = ~np.eye(tc.n_genes, dtype=bool)
            mask[np.setdiff1d(np.arange(tc.n_genes), idx)] = False
            f = P.score_file(out, "genie3", name)
            scores = {"default, all genes as regulators": infer_timecourse(
                tc, resolve_config(progress=False, device="cpu")).scores,
                "genie3, all genes as regulators": np.load(f) if f.exists() else run_method("genie3", tc, 1)}
            scores["default, regulators given"] = infer_timecourse(
                tc, resolve_config(regulators=tuple(regs), progress=False, device="cpu")).scores
            scores["genie3, regulators given"] = genie3(tc.X, regulators=idx, n_trees=300, seed=0)
            for method, S in scores.items():
                m = evaluate_candidates(truth[mask], S[mask])
                rows.append({"family": fam, "dataset": name, "regulators": len(regs), "method": method,
                             "auroc": m["auroc"], "auprc": m["auprc"]})
            print(name, {k: round(r["auroc"], 3) for k, r in zip(scores, rows[-len(scores):])}, flush=True)
    df = pd.DataFrame(rows)
    fam = df.groupby(["family", "method"], sort=False)[["auroc", "auprc"]].mean().round(3).reset_index()
    print(f"\n# Regulator lists (commit {commit()}): AUROC / AUPRC on pairs from the regulators\n")
    print(markdown_table(fam))
    print("\nmeans over families:")
    print(markdown_table(df.groupby("method", sort=False)[["auroc", "auprc"]].mean().round(3).reset_index()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
