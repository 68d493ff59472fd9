"""The authors' recipe as ``--preset paper`` runs it, against their code's figures on DREAM3 size 100.

``paper`` follows the authors' code (series joined end to end); ``paper-series`` keeps windows inside
each series. AUROC over every ordered pair, self-loops excluded, at the last epoch (the recipe's
scores). The authors' KAN run faithfully gave 0.555 0.542 0.612 0.543 0.562 (mean 0.563) on the
same files (../shared/METHOD-NOTES.md).

Run: ``python benchmarks/paper_preset.py [--presets paper,paper-series] [--threads 2]``; prints the
table and the commit it ran on.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import SHARED, dream3_100  # noqa: E402

FAITHFUL = (0.555, 0.542, 0.612, 0.543, 0.562)


def commit() -> str:
    root = Path(__file__).resolve().parents[1]
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "grngc"], capture_output=True,
                           text=True).stdout.strip()
    return head + (" (with uncommitted changes)" if dirty else "")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--presets", default="paper,paper-series")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    if not SHARED.exists():
        print(f"no benchmark data at {SHARED}")
        return 1
    import torch

    from grngc.core.api import infer_timecourse, make_config
    from grngc.evaluate.metrics import evaluate_scores

    torch.set_num_threads(args.threads)
    rows = {}
    for preset in args.presets.split(","):
        rows[preset] = []
        for i in range(5):
            tc, truth = dream3_100(i)
            t0 = time.perf_counter()
            res = infer_timecourse(tc, make_config(preset=preset, progress=False))
            rows[preset].append(evaluate_scores(res.scores, truth)["auroc"])
            print(f"{preset} dream3_100_{i}: {rows[preset][-1]:.3f} ({time.perf_counter() - t0:.0f} s)", flush=True)
    print(f"\n# DREAM3 size 100, AUROC at the last epoch (commit {commit()})\n")
    print("| | " + " | ".join(f"net {i}" for i in range(5)) + " | mean |")
    print("| --- " * 7 + "|")
    print("| authors' code, run faithfully | " + " | ".join(f"{v:.3f}" for v in FAITHFUL) + f" | {np.mean(FAITHFUL):.3f} |")
    for preset, v in rows.items():
        print(f"| --preset {preset} | " + " | ".join(f"{x:.3f}" for x in v) + f" | {np.mean(v):.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
