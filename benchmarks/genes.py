"""The bulk default and the one-model GRNGC candidates at many genes: seconds and peak memory.

Usage: python benchmarks/genes.py [--genes 1000,10000] [--series 10] [--points 21] [--threads 2]
                                  [--methods default,masked_now,...] [--max-seconds 600]

Each case is a ``grngc.simulate.grn`` network (Hill kinetics) observed as ``--series`` series of
``--points`` time points (the DREAM4 shape at 10 x 21), and each method runs in a fresh subprocess on
the same data (``device='auto'``: the GPU when one is present). Printed per case: seconds of inference
(not the simulation), peak resident memory of the process, peak GPU memory (allocated by torch) when
on a GPU, which members ran (run.json's ``members``; the log says which were skipped) and AUROC over
every ordered pair. A method that ran past ``--max-seconds`` is stopped and marked so, and skipped on
the larger cases. Figures are development figures on our own simulator. ``benchmarks/gpu.sh`` runs
it at 1,000 and 10,000 genes on a GPU; on 2 CPU cores, ``--genes 200`` takes a minute or two.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

# The protocol's one-model candidates (benchmarks/protocol/candidates.py) beside the default preset.
METHODS = ("default", "ridge", "linear_lag1", "masked_now", "masked_same_time_delta", "mlp")

CASE = """
import json, resource, sys, time, dataclasses
import numpy as np, torch
sys.path.insert(0, {root!r}); sys.path.insert(0, {here!r})
torch.set_num_threads({threads})
from grngc import simulate
from grngc.core.api import infer_timecourse
from grngc.evaluate.metrics import evaluate_scores
from grngc.core.presets import resolve_config
from protocol.candidates import MODELS
tc, truth = simulate.grn(p={p}, n_series={series}, T={points}, seed=0)
name = {name!r}
if name == "default":
    cfg = resolve_config(progress=False, kind="bulk")
elif name == "ridge":
    cfg = resolve_config(model="ridge", progress=False)
else:
    cfg = resolve_config(progress=False, **MODELS[name])
if torch.cuda.is_available():
    torch.cuda.reset_peak_memory_stats()
t0 = time.perf_counter()
res = infer_timecourse(tc, cfg, threads={threads})
sec = time.perf_counter() - t0
rec = res.record
members = [m["settings"].get("model") for m in rec.get("members", [])] or [rec["config"]["model"]]
out = dict(method=name, genes={p}, samples=tc.n_samples, seconds=round(sec, 1), device=rec.get("device"),
           members="+".join(members), skipped=len(rec["config"].get("members") or []) - len(rec.get("members", [])),
           peak_rss_gb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
           peak_gpu_gb=round(torch.cuda.max_memory_allocated() / 2**30, 2) if torch.cuda.is_available() else None,
           auroc=round(evaluate_scores(res.scores, truth)["auroc"], 3))
print("@@" + json.dumps(out))
"""


def run_case(name: str, p: int, args) -> dict:
    code = CASE.format(root=str(ROOT), here=str(HERE), threads=args.threads, p=p, series=args.series,
                       points=args.points, name=name)
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=args.max_seconds,
                             env={**os.environ, "PYTHONWARNINGS": "ignore"})
    except subprocess.TimeoutExpired:
        return dict(method=name, genes=p, seconds=f"> {args.max_seconds} (stopped)")
    if out.returncode != 0:
        return dict(method=name, genes=p, seconds="failed", error=out.stderr.strip().splitlines()[-1][:200])
    return json.loads([line for line in out.stdout.splitlines() if line.startswith("@@")][-1][2:])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--genes", default="1000,10000")
    ap.add_argument("--series", type=int, default=10)
    ap.add_argument("--points", type=int, default=21)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--max-seconds", type=float, default=600)
    args = ap.parse_args(argv)
    import pandas as pd

    from grngc.report.tables import markdown_table

    rows, stopped = [], set()
    for p in map(int, args.genes.split(",")):
        for name in args.methods.split(","):
            if name in stopped:
                rows.append(dict(method=name, genes=p, seconds="skipped (stopped on a smaller case)"))
                continue
            row = run_case(name, p, args)
            if not isinstance(row.get("seconds"), float):
                stopped.add(name)
            rows.append(row)
            print(json.dumps(row), flush=True)
    text = markdown_table(pd.DataFrame(rows))
    print(text)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "genes.md").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
