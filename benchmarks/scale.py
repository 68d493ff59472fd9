"""Scale: GRNGC's default and GRNBoost2 side by side on simulated networks of growing size.

Usage: python benchmarks/scale.py [--sizes 500x1000,1000x500,...] [--methods grngc,grnboost2]
                                  [--threads 2] [--max-seconds 1800]
       python benchmarks/scale.py --pipeline 20000x2000 [--velocity] [--workdir DIR]

Each case is a `grngc simulate grn` network (Hill kinetics, up to 2 regulators per gene, a third of
the genes unregulated inputs) observed as series of 21 points (samples / 21 series), and each method
runs in a fresh subprocess on the same data and the same number of CPU threads/processes. Printed per
case: seconds (inference only, not the simulation), peak resident memory of the process and of its
worker processes (the larger of the two: GRNBoost2 runs one target per worker) up to the end of the
inference (simulation included) and, separately, after scoring all pairs, AUROC and AUPRC over
all ordered pairs, self-loops excluded. A method that ran longer than ``--max-seconds`` / 4 on a case
is skipped on the cases at least as large in both genes and samples (they cannot cost less). Writes
benchmarks/out/scale.md. Figures are development figures on our own simulator.

``--pipeline CELLSxGENES`` runs the whole Snakemake pipeline (preprocess with diffusion pseudotime from
``stage=early``, infer on two seeds, aggregate, threshold, annotate, figures, compare, summarize, report)
on `simulate grn-cells`-style raw counts (dropouts and library sizes varying) with the repository's
config except: every gene kept (``max_genes`` = genes) and no baseline computed by the pipeline (GENIE3
and TIGRESS take hours at this size; users bring their own). Prints each stage's seconds and peak memory
from Snakemake's benchmark files, and the wall time. ``--velocity`` adds ``spliced`` and ``unspliced``
layers (each count split binomially, a quarter unspliced: a cost check only, the split carries no direction),
so that preprocessing carries them and inference orients the network by RNA velocity.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_SIZES = ("500x1000,1000x1000,2000x1000,5000x1000,10000x1000,1000x500,1500x500,"
                 "500x5000,1000x5000,2000x5000,5000x5000,500x20000,1000x20000,2000x20000")


def simulated(genes: int, samples: int, seed: int = 0):
    """The network of one case and its time course (``samples`` // 21 series of 21 points)."""
    from grngc import simulate

    return simulate.grn(p=genes, n_series=max(1, samples // 21), T=21, seed=seed)


def run_one(method: str, genes: int, samples: int, threads: int) -> dict:
    """Inside the subprocess: simulate, infer with ``method``, score. Returns the figures."""
    import resource

    import numpy as np
    import torch

    from grngc.metrics import evaluate_scores

    torch.set_num_threads(threads)
    tc, truth = simulated(genes, samples)
    t0 = time.perf_counter()
    if method == "grngc":
        from grngc.api import infer_timecourse
        from grngc.presets import resolve_config

        scores = infer_timecourse(tc, resolve_config(progress=False, device="auto"), threads=threads).scores
    elif method == "grnboost2":
        from grngc.methods.grnboost2 import grnboost2
        from grngc.core.scaling import standardize

        scores = grnboost2(standardize(tc.X)[0], n_jobs=threads)
    else:
        raise ValueError(method)
    seconds = time.perf_counter() - t0

    def peak_mb() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return max(own, workers)

    # the method's peak (simulation included), before scoring all genes^2 pairs, whose sorts are the
    # benchmark's cost, not the method's (at 10,000 genes: 10.0 GB, 10.8 GB with scoring; commit f1ff46d)
    inference_peak = peak_mb()
    m = evaluate_scores(np.asarray(scores), truth)
    return {"method": method, "genes": genes, "samples": tc.n_samples, "seconds": round(seconds, 1),
            "peak_memory_mb": round(inference_peak), "peak_with_scoring_mb": round(peak_mb()),
            "auroc": round(m["auroc"], 3), "auprc": round(m["auprc"], 3)}


def run_case(method: str, genes: int, samples: int, threads: int, timeout: float) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", method, str(genes), str(samples),
           "--threads", str(threads)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                             env={**os.environ, "PYTHONWARNINGS": "ignore"})
    except subprocess.TimeoutExpired:
        return {"method": method, "genes": genes, "samples": samples, "seconds": f"> {timeout:.0f} (stopped)"}
    if out.returncode != 0:
        return {"method": method, "genes": genes, "samples": samples, "seconds": "failed: " + out.stderr[-300:]}
    return json.loads([line for line in out.stdout.splitlines() if line.startswith("@@")][-1][2:])


def run_pipeline(cells: int, genes: int, workdir: Path | None, cores: int, velocity: bool = False) -> str:
    """The whole pipeline on simulated single cells; returns the Markdown report of its stages."""
    import shutil
    import tempfile

    import numpy as np
    import pandas as pd
    import yaml

    from grngc import simulate
    from grngc.tables import markdown_table

    started_on = commit()
    wd = workdir or Path(tempfile.mkdtemp(prefix="grngc-scale-"))
    (wd / "config").mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    adata, truth = simulate.grn_cells(genes, n_cells=cells, n_trajectories=max(20, cells // 1000), seed=0)
    zeros = float((adata.X == 0).mean())
    if velocity:
        counts = np.rint(adata.X).astype(np.int64)
        unspliced = np.random.default_rng(1).binomial(counts, 0.25)
        adata.layers["spliced"], adata.layers["unspliced"] = (counts - unspliced).astype(np.float32), unspliced.astype(
            np.float32)
    adata.write_h5ad(wd / "cells.h5ad")
    simulate.truth_to_edges(truth, list(adata.var_names)).to_csv(wd / "truth.tsv", sep="\t", index=False)
    simulate_seconds = time.perf_counter() - t0
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    config["datasets"] = "config/datasets.tsv"
    config["preprocess"]["max_genes"] = genes
    config["compare"]["run_baselines"] = []
    (wd / "config" / "config.yaml").write_text(yaml.safe_dump(config))
    pd.DataFrame([{"id": "cells", "path": str(wd / "cells.h5ad"), "reference": str(wd / "truth.tsv"),
                   "reference_kind": "gold", "pseudotime_root": "stage=early"}]).to_csv(
        wd / "config" / "datasets.tsv", sep="\t", index=False)
    t0 = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "workflow" / "Snakefile"), "--directory", str(wd),
                          "--cores", str(cores)], capture_output=True, text=True)
    if run.returncode == 0:
        run = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "workflow" / "Snakefile"), "--directory",
                              str(wd), "--report", "results/report.html"], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if run.returncode != 0:
        raise RuntimeError(run.stderr[-3000:])
    stages = []
    for f in sorted((wd / "results" / "benchmarks").rglob("*.tsv")):
        b = pd.read_csv(f, sep="\t")
        stages.append({"stage": f.stem, "seconds": round(float(b["s"].iloc[0]), 1),
                       "peak memory (MB)": round(float(b["max_rss"].iloc[0]))})
    metrics = json.loads((wd / "results" / "cells" / "metrics.json").read_text())
    direction = json.loads((wd / "results" / "cells" / "grngc" / "seed0" / "run.json").read_text())["cell_mode"]["direction"]
    layers = ", with spliced/unspliced layers (the network oriented by RNA velocity)" if velocity else ""
    text = (f"# The pipeline on {cells:,} simulated cells x {genes:,} genes{layers} (commit {started_on}, "
            f"--cores {cores})\n\n"
            f"Raw counts, {zeros:.0%} zeros; simulated in {simulate_seconds:.0f} s (not counted). Wall time of "
            f"`snakemake` plus `--report`: {wall / 60:.1f} min; GRNGC AUROC {metrics.get('auroc', float('nan')):.3f}, "
            f"AUPRC {metrics.get('auprc', float('nan')):.3f} (development figure); single-cell mode: {direction}.\n\n"
            f"{markdown_table(pd.DataFrame(stages))}\n")
    if workdir is None:
        shutil.rmtree(wd, ignore_errors=True)
    return text


def commit() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                          cwd=ROOT).stdout.strip() or "unknown"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=DEFAULT_SIZES, help="GENESxSAMPLES,... (default: %(default)s)")
    ap.add_argument("--methods", default="grngc,grnboost2")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-seconds", type=float, default=1800, help="stop a case after this long")
    ap.add_argument("--out", default=str(HERE / "out" / "scale.md"))
    ap.add_argument("--pipeline", metavar="CELLSxGENES", help="time the whole pipeline on simulated cells instead")
    ap.add_argument("--velocity", action="store_true", help="--pipeline: cells with spliced/unspliced layers")
    ap.add_argument("--workdir", help="--pipeline: keep the run here (default: a temporary folder, removed)")
    ap.add_argument("--one", nargs=3, metavar=("METHOD", "GENES", "SAMPLES"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        method, genes, samples = args.one
        print("@@" + json.dumps(run_one(method, int(genes), int(samples), args.threads)), flush=True)
        return 0
    sys.path.insert(0, str(ROOT))
    if args.pipeline:
        cells, genes = (int(v) for v in args.pipeline.split("x"))
        text = run_pipeline(cells, genes, Path(args.workdir) if args.workdir else None, args.threads, args.velocity)
        out = Path(args.out).with_name("scale_pipeline.md")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
        print(text)
        return 0
    from grngc.tables import markdown_table

    import pandas as pd

    started_on = commit()  # the code the cases run; HEAD may move while they do
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    rows, slow = [], {}  # method -> the (genes, samples) cases it was slow on
    for genes, samples in sizes:
        for method in args.methods.split(","):
            if any(genes >= g and samples >= n for g, n in slow.get(method, [])):
                rows.append({"method": method, "genes": genes, "samples": samples,
                             "seconds": "skipped (a case no larger took > max-seconds / 4)"})
            else:
                rows.append(run_case(method, genes, samples, args.threads, args.max_seconds))
                sec = rows[-1]["seconds"]
                if not isinstance(sec, (int, float)) or sec > args.max_seconds / 4:
                    slow.setdefault(method, []).append((genes, samples))
            print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    text = (f"# Scale (commit {started_on}; {args.threads} CPU threads/processes; development figures on "
            f"`simulate grn`)\n\n{markdown_table(table)}\n")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
