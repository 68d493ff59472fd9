"""Soak test (a script, not a test): `grngc infer` on 20 simulated datasets in a row in one process,
then on one 3,000-gene dataset; prints time and memory per dataset and whether memory grows from run
to run.

Usage: python benchmarks/soak.py [--runs 20] [--large-genes 3000] [--threads 2] [--out benchmarks/out]

Per run: wall time, the process's resident memory after the run (current RSS; a leak shows as a rising
line) and the peak RSS so far. The large dataset runs in a fresh process so that its peak is its own.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def current_rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def soak(runs: int, workdir: Path) -> list[dict]:
    import gc

    from grngc import simulate
    from grngc.cli import main

    rows = []
    for k in range(runs):
        kind = ("grn", "lorenz96", "var")[k % 3]
        if kind == "grn":
            tc, _ = simulate.grn(p=30, n_series=10, T=21, seed=k)
        elif kind == "lorenz96":
            tc, _ = simulate.lorenz96(p=40, T=600, seed=k)
        else:
            tc, _ = simulate.var(p=30, T=600, seed=k)
        path = workdir / f"d{k}.h5ad"
        simulate.to_anndata(tc).write_h5ad(path)
        t0 = time.perf_counter()
        rc = main(["infer", str(path), "-o", str(workdir / f"out{k}"), "--seed", str(k), "--no-progress",
                   "--checkpoint-every", "0"])
        gc.collect()
        rows.append({"run": k + 1, "data": f"{kind} {tc.n_genes} genes x {tc.n_samples}", "rc": rc,
                     "seconds": round(time.perf_counter() - t0, 1), "rss_after_mb": round(current_rss_mb()),
                     "peak_rss_mb": round(peak_rss_mb())})
        print(rows[-1], flush=True)
    return rows


LARGE = """
import json, resource, sys, time, tempfile
sys.path.insert(0, {root!r})
from pathlib import Path
from grngc import simulate
from grngc.cli import main
tc, truth = simulate.lorenz96(p={p}, T={T}, seed=0)
d = Path(tempfile.mkdtemp())
simulate.to_anndata(tc).write_h5ad(d / "large.h5ad")
t0 = time.perf_counter()
rc = main(["infer", str(d / "large.h5ad"), "-o", str(d / "out"), "--no-progress"])
secs = time.perf_counter() - t0
run = json.load(open(d / "out" / "run.json"))
from grngc.io import read_edges
from grngc.evaluate.metrics import evaluate_edges
m = evaluate_edges(read_edges(d / "out" / "edges.tsv"), simulate.truth_to_edges(truth, tc.genes), tc.genes)
print("@@" + json.dumps({{"data": "Lorenz-96 {p} genes x {T} samples", "rc": rc, "seconds": round(secs, 1),
      "epochs": run["runs"][0]["epochs_run"], "auroc": round(m["auroc"], 3),
      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--large-genes", type=int, default=3000)
    ap.add_argument("--large-samples", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default=str(HERE / "out"))
    args = ap.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        rows = soak(args.runs, Path(tmp))
    rss = [r["rss_after_mb"] for r in rows]
    half = len(rss) // 2
    growth = (sum(rss[half:]) / len(rss[half:])) - (sum(rss[:half]) / max(half, 1)) if len(rss) > 1 else 0.0
    print(f"RSS after each run: first {rss[0]} MB, last {rss[-1]} MB, min {min(rss)}, max {max(rss)}; mean of the "
          f"second half minus the first half: {growth:+.0f} MB")
    large = None
    if args.large_genes:
        env = {**os.environ, "OMP_NUM_THREADS": str(args.threads), "PYTHONWARNINGS": "ignore"}
        out = subprocess.run([sys.executable, "-c", LARGE.format(root=str(HERE.parent), p=args.large_genes,
                                                                  T=args.large_samples)],
                             capture_output=True, text=True, env=env)
        if out.returncode != 0:
            print(out.stderr[-3000:])
            return 1
        large = json.loads([l for l in out.stdout.splitlines() if l.startswith("@@")][-1][2:])
        print(large)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "soak.json").write_text(json.dumps({"runs": rows, "rss_growth_mb": growth, "large": large},
                                                         indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
