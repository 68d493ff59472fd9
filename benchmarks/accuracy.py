"""Accuracy of GRNGC with its fixed defaults against GENIE3 on the same data.

Usage: python benchmarks/accuracy.py [--families simulated,dream3_100,dream4_10,beeline] [--out DIR]

Nothing here is tuned on the data it scores: GRNGC runs with its default preset unchanged; GENIE3
runs with sklearn random forests, 100 trees, ``max_features="sqrt"``. Prints one row per dataset
(AUROC and AUPRC, self-loops excluded) and the mean per family, and writes them as TSV and Markdown.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import FAMILIES, available  # noqa: E402

from grngc.methods.genie3 import genie3  # noqa: E402
from grngc.evaluate.metrics import evaluate_scores  # noqa: E402
from grngc.report.tables import markdown_table  # noqa: E402
from grngc.core.api import infer_timecourse  # noqa: E402
from grngc.core.presets import resolve_config  # noqa: E402

DEFAULT_FAMILIES = ["simulated", "lorenz96_p100", "dream3_100", "dream4_10", "beeline"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--families", default=",".join(DEFAULT_FAMILIES))
    ap.add_argument("--out", default="benchmarks/out")
    ap.add_argument("--no-genie3", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if not available():
        print("../shared/data not found: only the simulated families can run", file=sys.stderr)
    cfg = resolve_config(progress=False)  # the default preset, as `grngc infer` runs it
    print(f"GRNGC defaults: model={cfg.model} lag={cfg.lag} hidden={cfg.hidden} lam={cfg.lam} "
          f"({cfg.lam_scaling}) target={cfg.target} n_seeds={cfg.n_seeds} epochs<={cfg.epochs}", flush=True)
    rows = []
    for fam in args.families.split(","):
        for name, load in FAMILIES[fam]:
            tc, truth = load()
            t0 = time.perf_counter()
            S = infer_timecourse(tc, cfg).scores  # the path `grngc infer` takes
            m = evaluate_scores(S, truth)
            row = {"family": fam, "dataset": name, "genes": tc.n_genes, "samples": tc.n_samples,
                   "series": len(tc.series_slices()), "grngc_auroc": m["auroc"], "grngc_auprc": m["auprc"],
                   "grngc_seconds": time.perf_counter() - t0, "random_auprc": m["random_auprc"]}
            if not args.no_genie3:
                t0 = time.perf_counter()
                g = evaluate_scores(genie3(tc.X, n_trees=100, seed=0, n_jobs=args.threads), truth)
                row.update(genie3_auroc=g["auroc"], genie3_auprc=g["auprc"], genie3_seconds=time.perf_counter() - t0)
            rows.append(row)
            print("  " + "  ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()),
                  flush=True)
    df = pd.DataFrame(rows)
    cols = [c for c in df.columns if c.endswith(("auroc", "auprc"))]
    summary = df.groupby("family", sort=False)[cols].mean().reset_index()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    df.to_csv(out / "accuracy.tsv", sep="\t", index=False, float_format="%.4f")
    md = "## Per dataset\n\n" + markdown_table(df) + \
         "\n\n## Mean per family\n\n" + markdown_table(summary) + "\n"
    (out / "accuracy.md").write_text(md)
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
