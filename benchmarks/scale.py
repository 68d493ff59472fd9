"""Scale: GRNGC's default and GRNBoost2 side by side on simulated networks of growing size.

Usage: python benchmarks/scale.py [--sizes 500x1000,1000x500,...] [--methods grngc,grnboost2]
                                  [--threads 2] [--max-seconds 1800]
       python benchmarks/scale.py --pipeline 20000x2000 [--velocity] [--workdir DIR]
       python benchmarks/scale.py --atlas 5000x20000,20000x100000 [--tfs 1500] [--tfs-only] [--velocity] [--preprocess]
                                  [--writers N] [--threads 2]

Each case is a `grngc simulate grn` network (Hill kinetics, up to 2 regulators per gene, a third of
the genes unregulated inputs) observed as series of 21 points (samples / 21 series), and each method
runs in a fresh subprocess on the same data and the same number of CPU threads/processes. Printed per
case: seconds (inference only, not the simulation), peak resident memory of the process and of its
worker processes (the larger of the two: GRNBoost2 runs one target per worker) up to the end of the
inference (simulation included) and, separately, after scoring all pairs, AUROC and AUPRC over
all ordered pairs, self-loops excluded. A method that ran longer than ``--max-seconds`` / 4 on a case
is skipped on the cases at least as large in both genes and samples (they cannot cost less). Writes
``--out`` (default benchmarks/out/scale.md; scale_atlas.md and scale_pipeline.md for the modes below).
Figures are development figures on our own simulator.

``--pipeline CELLSxGENES`` runs the whole Snakemake pipeline (preprocess with diffusion pseudotime from
``stage=early``, infer on two seeds, aggregate, threshold, annotate, figures, compare, summarize, report)
on `simulate grn-cells`-style raw counts (dropouts and library sizes varying) with the repository's
config except: every gene kept (``max_genes`` = genes) and no baseline computed by the pipeline (GENIE3
and TIGRESS take hours at this size; users bring their own). Prints each stage's seconds and peak memory
from Snakemake's benchmark files, and the wall time. ``--velocity`` adds ``spliced`` and ``unspliced``
layers (each count split binomially, a quarter unspliced: a cost check only, the split carries no direction),
so that preprocessing carries them and inference orients the network by RNA velocity.

``--atlas GENESxCELLS,...`` times ``grngc infer --kind cells`` (the single-cell mode) on a sparse atlas:
log1p counts of cells along a pseudotime, each gene driven by a few of 20 smooth programmes, about 10%
of the entries non-zero, stored as CSR float32 in an .h5ad (the usual shape of an atlas). Each case runs
twice in a fresh process: every gene a candidate regulator, and ``--tfs`` genes only (``--regulators``,
as a TF list would). Printed per case: the file's non-zeros, wall seconds of ``grngc infer`` (reading
and writing included), its peak resident memory (``wait4``) and its per-stage log lines (read,
correlations, ridge, write: seconds and memory). Cost, not accuracy: the data has no reference network.
The device is ``auto`` (a GPU when present). ``--velocity`` adds sparse ``spliced`` and ``unspliced`` count
layers (a quarter of each count unspliced, binomially), so that the network is oriented by RNA velocity read
in blocks of cells (cost only: the split carries no direction). ``--preprocess`` times ``grngc preprocess``
(the pipeline's first stage: 2,000 highly variable genes, diffusion pseudotime from the first cell) on the
same atlas instead of inference. ``--writers N`` draws the atlas in N processes (other random draws).
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

    from grngc.evaluate.metrics import evaluate_scores

    torch.set_num_threads(threads)
    tc, truth = simulated(genes, samples)
    t0 = time.perf_counter()
    if method == "grngc":
        from grngc.core.api import infer_timecourse
        from grngc.core.presets import resolve_config

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
    from grngc.report.tables import markdown_table

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


ATLAS_BLOCK = 2000  # cells drawn at a time


def atlas_block(rng, tt, centres, widths, loadings, base, velocity: bool):
    """One block of the atlas's cells (pseudotimes ``tt``): CSR log1p counts, and (``velocity``) CSR spliced
    and unspliced counts (a quarter of each count unspliced, binomially: a cost check, the split carries no
    direction)."""
    import numpy as np
    import scipy.sparse as sp

    activity = np.exp(-0.5 * ((tt[:, None] - centres) / widths) ** 2)  # (cells, programmes)
    counts = rng.poisson(base + 0.08 * activity @ loadings).astype(np.float32)
    if not velocity:
        return sp.csr_matrix(np.log1p(counts)), None, None
    u = rng.binomial(counts.astype(np.int64), 0.25).astype(np.float32)
    return sp.csr_matrix(np.log1p(counts)), sp.csr_matrix(counts - u), sp.csr_matrix(u)


def _seeded_atlas_block(seed: int, k: int, *args):
    import numpy as np

    return atlas_block(np.random.default_rng([seed, k]), *args)


def write_atlas(genes: int, cells: int, path: Path, seed: int = 0, programmes: int = 20, velocity: bool = False,
                writers: int = 1) -> int:
    """A sparse atlas as described in the module docstring; returns its number of non-zeros. ``velocity``:
    also sparse ``spliced`` and ``unspliced`` count layers. ``writers`` > 1 draws the blocks of cells in that
    many processes, each block from a seed of its own: the same design and about the same non-zeros, other
    random draws than the one-process atlas (which every CPU figure in scale_results/ was measured on)."""
    import anndata as ad
    import numpy as np
    import pandas as pd
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    t = np.sort(rng.random(cells))
    centres, widths = rng.random(programmes), 0.1 + 0.3 * rng.random(programmes)
    loadings = (rng.random((programmes, genes)) < 3 / programmes) * rng.gamma(2.0, 0.5, (programmes, genes))
    base = rng.gamma(1.0, 0.02, genes)
    starts = range(0, cells, ATLAS_BLOCK)
    shared = (centres, widths, loadings, base, velocity)
    if writers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(writers) as pool:
            parts = list(pool.map(_seeded_atlas_block, [seed] * len(starts), range(len(starts)),
                                  [t[a:a + ATLAS_BLOCK] for a in starts], *([v] * len(starts) for v in shared)))
    else:  # one random stream, block after block
        parts = [atlas_block(rng, t[a:a + ATLAS_BLOCK], *shared) for a in starts]
    X = sp.vstack([x for x, _, _ in parts], format="csr")
    layers = ({"spliced": sp.vstack([s for _, s, _ in parts], format="csr"),
               "unspliced": sp.vstack([u for _, _, u in parts], format="csr")} if velocity else {})
    del parts
    obs = pd.DataFrame({"time": t}, index=[f"cell{k}" for k in range(cells)])
    ad.AnnData(X, obs=obs, var=pd.DataFrame(index=[f"gene{k:05d}" for k in range(genes)]),
               layers=layers).write_h5ad(path)
    return int(X.nnz)


# runs a command and prints its peak resident memory (KB): the wrapper's only child is that command
PEAK_OF_CHILD = ("import resource, subprocess, sys; rc = subprocess.run(sys.argv[1:]).returncode; "
                 "print('@@peak', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, flush=True); sys.exit(rc)")


PREPROCESS_ARGS = ["--pseudotime", "dpt", "--root", "cell:cell0", "--genes", "hvg", "--max-genes", "2000"]


def timed_grngc(args: list[str], threads: int, timeout: float) -> dict:
    """``grngc ARGS`` in a fresh process: wall seconds, peak memory (``wait4``), its stage log lines."""
    cmd = [sys.executable, "-c", PEAK_OF_CHILD, sys.executable, "-m", "grngc"] + args
    t0 = time.perf_counter()
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout,
                             env={**os.environ, "OMP_NUM_THREADS": str(threads)})
    except subprocess.TimeoutExpired:
        return {"seconds": f"> {timeout:.0f} (stopped)"}
    seconds = time.perf_counter() - t0
    text = out.stdout + out.stderr
    peak = [line.split()[1] for line in out.stdout.splitlines() if line.startswith("@@peak")]
    stages = [line.split(": ", 1)[-1].strip() for line in text.splitlines()
              if any(k in line for k in ("read ", "correlations of", "ridge coefficients in", "weighted by the genes' spreads",
                                         "direction from", "oriented",
                                         "wrote the network", "done in", "genes out"))]
    return {"seconds": round(seconds, 1), "rc": out.returncode, "peak_gb": round(int(peak[0]) / 2**20, 2) if peak else None,
            "stages": stages, "log_tail": text[-600:]}


def run_atlas(sizes: str, tfs: int, threads: int, timeout: float, velocity: bool = False,
              every_gene: bool = True, writers: int = 1, preprocess: bool = False) -> str:
    import multiprocessing
    import tempfile
    from concurrent.futures import ProcessPoolExecutor

    from grngc.report.tables import markdown_table
    import pandas as pd

    rows, notes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for size in sizes.split(","):
            genes, cells = (int(v) for v in size.split("x"))
            h5ad = tmp / f"atlas_{genes}x{cells}.h5ad"
            t0 = time.perf_counter()
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                # in a process of its own: the GB it allocates are not held beside the inference's
                nnz = pool.submit(write_atlas, genes, cells, h5ad, velocity=velocity, writers=writers).result()
            print(f"{size}: wrote {nnz:,} non-zeros in {time.perf_counter() - t0:.0f} s", flush=True)
            cases = []  # (column, label, grngc's arguments)
            if preprocess:  # the pipeline's first stage instead of inference
                cases.append(("step", "grngc preprocess " + " ".join(PREPROCESS_ARGS),
                              ["preprocess", str(h5ad), "-o", str(tmp / "pre.h5ad")] + PREPROCESS_ARGS))
            else:
                infer = ["infer", str(h5ad), "--kind", "cells", "--threads", str(threads), "--force"]
                if tfs:  # the cheap one first
                    tf_file = tmp / "tfs.txt"
                    tf_file.write_text("".join(f"gene{k:05d}\n" for k in range(0, genes, max(1, genes // tfs))[:tfs]))
                    cases.append(("regulators", f"{tfs} TFs",
                                  infer + ["-o", str(tmp / f"out_{size}_tfs"), "--regulators", str(tf_file)]))
                if every_gene:
                    cases.append(("regulators", "every gene", infer + ["-o", str(tmp / f"out_{size}_all")]))
            for column, label, args in cases:
                r = timed_grngc(args, threads, timeout)
                rows.append({"genes": genes, "cells": cells, "non-zeros": nnz, column: label,
                             "seconds": r["seconds"], "rc": r.get("rc"), "peak memory GB": r.get("peak_gb")})
                notes.append(f"- {size}, {label}: " + "; ".join(r.get("stages", [])) if r.get("rc") == 0
                             else f"- {size}, {label}: {r.get('log_tail', r['seconds'])}")
                print(rows[-1], flush=True)
                print(notes[-1], flush=True)
    layers = ("; sparse spliced/unspliced layers" + ("" if preprocess else ": direction from RNA velocity")
              if velocity else "")
    what = "preprocessing (grngc preprocess)" if preprocess else "single-cell mode"
    return (f"# Atlas scale, {what} (commit {commit()}; {threads} CPU threads; device auto{layers})\n\n"
            f"{markdown_table(pd.DataFrame(rows))}\n\nPer stage (from each run's log):\n\n" + "\n".join(notes) + "\n")


def commit() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                          cwd=ROOT).stdout.strip() or "unknown"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=DEFAULT_SIZES, help="GENESxSAMPLES,... (default: %(default)s)")
    ap.add_argument("--methods", default="grngc,grnboost2")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-seconds", type=float, default=1800, help="stop a case after this long")
    ap.add_argument("--out", help="the report's path (default: benchmarks/out/scale.md, scale_atlas.md with --atlas, "
                                   "scale_pipeline.md with --pipeline)")
    ap.add_argument("--pipeline", metavar="CELLSxGENES", help="time the whole pipeline on simulated cells instead")
    ap.add_argument("--velocity", action="store_true", help="--pipeline, --atlas: cells with spliced/unspliced layers")
    ap.add_argument("--workdir", help="--pipeline: keep the run here (default: a temporary folder, removed)")
    ap.add_argument("--atlas", metavar="GENESxCELLS,...", help="time the single-cell mode on sparse atlases instead")
    ap.add_argument("--tfs", type=int, default=1500, help="--atlas: also run with this many regulators (0: not)")
    ap.add_argument("--tfs-only", action="store_true", help="--atlas: only the run with --tfs regulators")
    ap.add_argument("--preprocess", action="store_true", help="--atlas: time grngc preprocess (highly variable "
                                                               "genes, diffusion pseudotime) instead of infer")
    ap.add_argument("--writers", type=int, default=1, help="--atlas: draw the atlas in this many processes (other "
                                                           "random draws than the default one; for a GPU node's minutes)")
    ap.add_argument("--one", nargs=3, metavar=("METHOD", "GENES", "SAMPLES"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        method, genes, samples = args.one
        print("@@" + json.dumps(run_one(method, int(genes), int(samples), args.threads)), flush=True)
        return 0
    sys.path.insert(0, str(ROOT))
    if args.atlas:
        text = run_atlas(args.atlas, args.tfs, args.threads, args.max_seconds, args.velocity, not args.tfs_only,
                         args.writers, args.preprocess)
        out = Path(args.out or HERE / "out" / "scale_atlas.md")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
        print(text)
        return 0
    if args.pipeline:
        cells, genes = (int(v) for v in args.pipeline.split("x"))
        text = run_pipeline(cells, genes, Path(args.workdir) if args.workdir else None, args.threads, args.velocity)
        out = Path(args.out or HERE / "out" / "scale_pipeline.md")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
        print(text)
        return 0
    from grngc.report.tables import markdown_table

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
    out = Path(args.out or HERE / "out" / "scale.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
