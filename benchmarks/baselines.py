"""GENIE3, TIGRESS, GRNGC and their mean-rank consensus on the small development sets.

Usage: python benchmarks/baselines.py [--families dream4_10,beeline] [--out benchmarks/out]

GENIE3 runs as in its paper's DREAM4 setting (random forest, 1000 trees, sqrt features, all
samples pooled); TIGRESS with R = 1000, alpha = 0.4, L = 5; GRNGC with its defaults. The consensus
averages the three methods' ranks (Borda). Prints AUROC/AUPRC per dataset and family means, and
whether the consensus beats each member.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import FAMILIES  # noqa: E402

from grngc.methods.genie3 import genie3  # noqa: E402
from grngc.methods.tigress import tigress  # noqa: E402
from grngc.core.combine import consensus_scores  # noqa: E402
from grngc.evaluate.metrics import evaluate_scores  # noqa: E402
from grngc.report.tables import markdown_table  # noqa: E402
from grngc.core.api import infer_timecourse  # noqa: E402
from grngc.core.presets import resolve_config  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--families", default="dream4_10,beeline")
    ap.add_argument("--out", default="benchmarks/out")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    rows = []
    for fam in args.families.split(","):
        for name, load in FAMILIES[fam]:
            tc, truth = load()
            S = {"grngc": infer_timecourse(tc, resolve_config(progress=False)).scores,
                 "genie3": genie3(tc.X, n_trees=1000, seed=0, n_jobs=args.threads),
                 "tigress": tigress(tc.X, R=1000, alpha=0.4, L=5, seed=0, n_jobs=args.threads)}
            S["consensus"] = consensus_scores([S["grngc"], S["genie3"], S["tigress"]])
            for method, M in S.items():
                m = evaluate_scores(M, truth)
                rows.append({"family": fam, "dataset": name, "method": method, "auroc": m["auroc"], "auprc": m["auprc"]})
            print("  " + name + "  " + "  ".join(f"{r['method']}={r['auroc']:.3f}" for r in rows[-4:]), flush=True)
    df = pd.DataFrame(rows)
    wide = df.pivot_table(index=["family", "dataset"], columns="method", values=["auroc", "auprc"], sort=False)
    fam_mean = df.groupby(["family", "method"], sort=False)[["auroc", "auprc"]].mean().reset_index()
    lines = ["## Mean per family", markdown_table(fam_mean), ""]
    au = wide["auroc"]
    for member in ("grngc", "genie3", "tigress"):
        wins = int((au["consensus"] > au[member]).sum())
        lines.append(f"- consensus AUROC above {member} on {wins} of {len(au)} datasets")
    text = "\n".join(lines) + "\n"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    df.to_csv(out / "baselines.tsv", sep="\t", index=False, float_format="%.4f")
    (out / "baselines.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
