"""Tiny seeded fixtures shared by the tests."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from grngc.timecourse import TimeCourse


@pytest.fixture(autouse=True)
def _single_thread():
    torch.set_num_threads(1)


@pytest.fixture
def chain_timecourse() -> TimeCourse:
    """a -> b -> c: each gene follows the previous gene's value one step back, plus noise.

    Several series, so that windows crossing series boundaries would be wrong.
    """
    rng = np.random.default_rng(0)
    blocks, times, series = [], [], []
    for s in range(6):
        T = 60
        X = np.zeros((T, 3))
        X[:, 0] = rng.normal(size=T)
        for t in range(1, T):
            X[t, 1] = 0.9 * np.tanh(2 * X[t - 1, 0]) + 0.1 * rng.normal()
            X[t, 2] = 0.9 * np.tanh(2 * X[t - 1, 1]) + 0.1 * rng.normal()
        blocks.append(X)
        times.append(np.arange(T, dtype=float))
        series.append(np.full(T, f"r{s}"))
    return TimeCourse(np.vstack(blocks), ["a", "b", "c"], np.concatenate(times), np.concatenate(series), "chain")


@pytest.fixture
def tiny_adata(chain_timecourse):
    import anndata as ad

    tc = chain_timecourse
    obs = pd.DataFrame({"time": tc.time, "series": tc.series}, index=[f"c{k}" for k in range(tc.n_samples)])
    return ad.AnnData(tc.X.astype(np.float32), obs=obs, var=pd.DataFrame(index=tc.genes))


@pytest.fixture
def fast_settings() -> dict:
    """Small, quick training settings for tests (the defaults are for real data)."""
    return dict(epochs=150, min_epochs=30, patience=40, hidden=16, n_seeds=1, progress=False)


# ---- the Snakemake pipeline on a tiny config (tests/test_pipeline.py, tests/test_slurm.py) ----
ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "resources" / "demo"
TINY_CONFIG = """
datasets: config/datasets.tsv
infer: {{epochs: 200, seeds: [0, 1], n_seeds: 1, threads: 1, gpu: 1, mem_mb: 1000, runtime: 10}}
compare: {{run_baselines: {baselines}, genie3_trees: 20, tigress_resamples: 20}}
threshold: {{method: knee}}
"""


@pytest.fixture
def pipeline_workdir(tmp_path):
    """Make a working directory with a tiny config and a sheet of the given rows (lists of cells for
    id, path, reference, tfs, pseudotime_root, genie3, tigress)."""

    def make(rows, baselines="[genie3, tigress]", name="run", extra_config=""):
        wd = tmp_path / name
        (wd / "config").mkdir(parents=True)
        (wd / "config" / "config.yaml").write_text(TINY_CONFIG.format(baselines=baselines) + extra_config)
        header = "id\tpath\treference\ttfs\tpseudotime_root\tgenie3\ttigress\n"
        (wd / "config" / "datasets.tsv").write_text(header + "".join("\t".join(r) + "\n" for r in rows))
        return wd

    return make


def snakemake_command(workdir, *args) -> list[str]:
    """snakemake on the repository's Snakefile in ``workdir``, with this interpreter."""
    return [sys.executable, "-m", "snakemake", "-s", str(ROOT / "workflow" / "Snakefile"), "--directory", str(workdir),
            "--cores", "2", *args]


def run_snakemake(workdir, *args, env=None, timeout=900):
    return subprocess.run(snakemake_command(workdir, *args), capture_output=True, text=True, env=env, timeout=timeout)
