"""The Snakemake pipeline end to end on a tiny config: every output, a second run that does nothing,
the report, and a bad sheet that names its row and field."""
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "resources" / "demo"

pytest.importorskip("snakemake")

CONFIG = """
datasets: config/datasets.tsv
infer: {{epochs: 200, seeds: [0, 1], n_seeds: 1, threads: 1, gpu: 1}}
compare: {{run_baselines: [genie3, tigress], genie3_trees: 20, tigress_resamples: 20}}
threshold: {{method: knee}}
sweep: {{enabled: {sweep}}}
"""


def _snakemake(workdir, *args):
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "--directory", str(workdir),
           "--cores", "2", *args]
    return subprocess.run(cmd, capture_output=True, text=True)


def _workdir(tmp_path, sheet_rows, sweep="false"):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.yaml").write_text(CONFIG.format(sweep=sweep))
    header = "id\tpath\treference\ttfs\tpseudotime_root\tgenie3\ttigress\n"
    (tmp_path / "config" / "datasets.tsv").write_text(header + "".join("\t".join(r) + "\n" for r in sheet_rows))
    return tmp_path


@pytest.mark.slow
def test_pipeline_end_to_end_rerun_and_report(tmp_path):
    wd = _workdir(tmp_path, [
        ["tc", str(DEMO / "timecourse.h5ad"), str(DEMO / "timecourse_truth.tsv"), "", "",
         str(DEMO / "timecourse_genie3.tsv"), ""],  # the user's GENIE3 file; TIGRESS run by the pipeline
        ["sc", str(DEMO / "cells.h5ad"), str(DEMO / "cells_truth.tsv"), str(DEMO / "cells_tfs.txt"),
         "stage=early", "", ""],
    ])
    run = _snakemake(wd)
    assert run.returncode == 0, run.stderr[-3000:]
    res = wd / "results"
    for ds in ("tc", "sc"):
        for f in ["prepared.h5ad", "figures/qc.png", "grngc/seed0/edges.tsv", "grngc/seed1/run.json",
                  "grngc/edges.tsv", "grngc/stability.tsv", "figures/stability.png", "network.tsv",
                  "network.graphml", "network_annotated.tsv", "metrics.json", "compare/compare.tsv",
                  "compare/compare.html", "compare/roc.png", "compare/pr.png", "figures/heatmap.png",
                  "figures/network.png", "figures/loss.png"]:
            assert (res / ds / f).stat().st_size > 0, f"{ds}/{f} empty"
        assert (res / "logs" / ds / "infer_seed0.log").exists()
        assert (res / "benchmarks" / ds / "infer_seed0.tsv").exists()
    assert not (res / "tc" / "baselines" / "genie3.tsv").exists()  # the sheet's file is used instead
    assert (res / "tc" / "baselines" / "tigress.tsv").exists()
    summary = pd.read_csv(res / "summary.tsv", sep="\t")
    assert set(summary["dataset"]) == {"tc", "sc"}
    assert set(summary["method"]) == {"grngc", "genie3", "tigress", "consensus"}
    metrics = json.loads((res / "tc" / "metrics.json").read_text())
    assert metrics["auroc"] > 0.7 and metrics["threshold_edges"] >= 1  # the simulated network is recovered
    prepared_sc = json.loads((res / "sc" / "preprocess.json").read_text())
    assert "diffusion pseudotime" in prepared_sc["time"] and "log1p" in prepared_sc["normalization"]
    annotated = pd.read_csv(res / "tc" / "network_annotated.tsv", sep="\t")
    assert {"in_reference", "reversed_in_reference", "reference_distance", "regulator_is_tf"} <= set(annotated.columns)

    again = _snakemake(wd, "-n")
    assert again.returncode == 0 and "Nothing to be done" in again.stdout + again.stderr

    report = _snakemake(wd, "--report", "report.html")
    assert report.returncode == 0, report.stderr[-2000:]
    html = (wd / "report.html").read_text(errors="replace")
    for name in ("qc.png", "roc.png", "heatmap.png", "network.png", "loss.png", "compare.html", "summary.png"):
        assert name in html


def test_bad_sheet_stops_before_any_job(tmp_path):
    wd = _workdir(tmp_path, [["tc", str(tmp_path / "missing.h5ad"), "", "", "", "", ""]])
    run = _snakemake(wd, "-n")
    assert run.returncode != 0
    assert "row 2 (id=tc): field 'path'" in run.stderr + run.stdout
    assert not (wd / "results").exists()
