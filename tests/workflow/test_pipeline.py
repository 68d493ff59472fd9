"""The Snakemake pipeline end to end on a tiny config: every output, a second run that does nothing,
the report, and a bad sheet that names its row and field."""
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import DEMO, run_snakemake

pytest.importorskip("snakemake")

@pytest.mark.slow
def test_pipeline_end_to_end_rerun_and_report(pipeline_workdir):
    wd = pipeline_workdir([
        ["tc", str(DEMO / "timecourse.h5ad"), str(DEMO / "timecourse_truth.tsv"), "", "",
         str(DEMO / "timecourse_genie3.tsv"), ""],  # the user's GENIE3 file; TIGRESS run by the pipeline
        ["sc", str(DEMO / "cells.h5ad"), str(DEMO / "cells_truth.tsv"), str(DEMO / "cells_tfs.txt"),
         "stage=early", "", ""],
    ])
    run = run_snakemake(wd)
    assert run.returncode == 0, run.stderr[-3000:]
    res = wd / "results"
    for ds in ("tc", "sc"):
        for f in ["prepared.h5ad", "figures/qc.png", "grngc/seed0/edges.tsv", "grngc/seed1/run.json",
                  "grngc/edges.tsv", "grngc/stability.tsv", "figures/stability.png", "network.tsv",
                  "network.graphml", "network_annotated.tsv", "metrics.json", "compare/compare.tsv",
                  "compare/compare.html", "compare/roc.png", "compare/pr.png", "figures/heatmap.png",
                  "figures/network.png", "figures/network.html", "figures/loss.png"]:
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
    run_sc = json.loads((res / "sc" / "grngc" / "seed0" / "run.json").read_text())
    assert "RNA velocity" in run_sc["cell_mode"]["direction"]  # the demo's layers survive preprocessing
    annotated = pd.read_csv(res / "tc" / "network_annotated.tsv", sep="\t")
    assert {"in_reference", "reversed_in_reference", "reference_distance", "regulator_is_tf"} <= set(annotated.columns)
    assert {"sign", "sign_agreement"} <= set(annotated.columns)  # the seeds' signs survive aggregation

    again = run_snakemake(wd, "-n")
    assert again.returncode == 0 and "Nothing to be done" in again.stdout + again.stderr

    report = run_snakemake(wd, "--report", "report.html")
    assert report.returncode == 0, report.stderr[-2000:]
    html = (wd / "report.html").read_text(errors="replace")
    for name in ("qc.png", "roc.png", "heatmap.png", "network.png", "network.html", "loss.png", "compare.html",
                 "summary.png"):
        assert name in html


def test_bad_sheet_stops_before_any_job(pipeline_workdir, tmp_path):
    wd = pipeline_workdir([["tc", str(tmp_path / "missing.h5ad"), "", "", "", "", ""]])
    run = run_snakemake(wd, "-n")
    assert run.returncode != 0
    assert "row 2 (id=tc): field 'path'" in run.stderr + run.stdout
    assert not (wd / "results").exists()


# every file of the malformed-input corpus as a dataset: the rule where it fails (None: it runs, with a warning)
CORPUS_OUTCOMES = {
    "nan_value.csv": "preprocess", "inf_value.csv": "preprocess", "duplicated_genes.csv": "preprocess",
    "missing_time.csv": "preprocess", "non_numeric_time.csv": "preprocess", "nan_time.csv": "preprocess",
    "one_gene.csv": "preprocess", "empty.csv": "preprocess", "non_numeric_gene.csv": "preprocess",
    "not_hdf5.h5ad": "preprocess", "short_series.csv": None, "constant_gene.csv": None, "time_ties.csv": None,
}


@pytest.mark.slow
def test_bad_datasets_are_named_and_the_others_finish(pipeline_workdir):
    from conftest import ROOT

    bad = ROOT / "tests" / "data" / "bad"
    assert set(CORPUS_OUTCOMES) == {p.name for p in bad.iterdir() if p.suffix in (".csv", ".h5ad")}
    ids = {name: Path(name).stem for name in CORPUS_OUTCOMES}
    rows = [[ids[name], str(bad / name), "", "", "", "", ""] for name in CORPUS_OUTCOMES]
    wd = pipeline_workdir(rows, baselines="[]")
    cfg = wd / "config" / "config.yaml"
    cfg.write_text(cfg.read_text().replace("seeds: [0, 1]", "seeds: [0]"))
    run = run_snakemake(wd, "--keep-going")
    out = run.stdout + run.stderr
    assert run.returncode != 0
    for name, rule in CORPUS_OUTCOMES.items():
        ds = ids[name]
        if rule is None:  # recoverable: it goes all the way
            assert (wd / "results" / ds / "network.tsv").exists(), (name, out[-3000:])
            continue
        # snakemake names the failing rule, and its log path names the dataset; the log says why
        assert re.search(rf"Error in rule {rule}:[^\n]*\n(?:    [^\n]*\n)*?    log: results/logs/{ds}/", out), name
        log = (wd / "results" / "logs" / ds / (f"{rule}.log" if rule == "preprocess" else "infer_seed0.log")).read_text()
        assert "grngc ERROR" in log and name in log, (name, log[-500:])
        assert not (wd / "results" / ds / "network.tsv").exists()
    # a 2-point series stops a model that needs lag + 2 points (tests/cli/test_bad_inputs.py); the default's
    # members (the lag-1 ridge, the same-time masked MLP) need 2 and 1: it runs
    assert "dropping 1 constant gene(s): ['flat']" in (wd / "results/logs/constant_gene/infer_seed0.log").read_text()
    for ds in ("constant_gene", "time_ties"):  # the datasets that can be used went all the way
        for f in ("network_annotated.tsv", "metrics.json", "compare/compare.tsv", "figures/network.png"):
            assert (wd / "results" / ds / f).stat().st_size > 0


@pytest.mark.slow
def test_sweep_one_job_per_lambda_then_recommendation(pipeline_workdir):
    wd = pipeline_workdir([["tc", str(DEMO / "timecourse.h5ad"), "", "", "", "", ""]], baselines="[]")
    with open(wd / "config" / "config.yaml", "a") as fh:
        fh.write("sweep: {enabled: true, lams: [0.3, 3.0], lags: [1, 2]}\n")
    run = run_snakemake(wd, "results/tc/sweep.tsv")
    assert run.returncode == 0, run.stderr[-3000:]
    assert (wd / "results/tc/sweep/lam0.3.tsv").exists() and (wd / "results/tc/sweep/lam3.0.tsv").exists()
    table = pd.read_csv(wd / "results/tc/sweep.tsv", sep="\t")
    assert len(table) == 4 and table["recommended"].sum() == 1


@pytest.mark.slow
def test_killed_run_leaves_no_complete_looking_file_and_rerun_resumes(pipeline_workdir, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from conftest import ROOT

    from grngc import simulate

    tc, _ = simulate.lorenz96(p=12, T=2000, seed=0)  # long enough to be caught mid-training
    data = tmp_path / "lorenz.h5ad"
    simulate.to_anndata(tc).write_h5ad(data)
    wd = pipeline_workdir([["lz", str(data), "", "", "", "", ""]], baselines="[]")
    cfg = wd / "config" / "config.yaml"
    cfg.write_text(cfg.read_text().replace("epochs: 200", "epochs: 400").replace("seeds: [0, 1]", "seeds: [0]"))
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "workflow" / "Snakefile"), "--directory", str(wd), "--cores", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seed0 = wd / "results" / "lz" / "grngc" / "seed0"
    def checkpoints():  # the default ensemble checkpoints each member: checkpoint.member0.pt, ...
        return list(seed0.glob("checkpoint*.pt")) if seed0.exists() else []

    for _ in range(1200):  # until the infer job has written its first checkpoint (every 25 epochs)
        if checkpoints():
            break
        time.sleep(0.1)
    assert checkpoints(), proc.communicate()[0][-2000:]
    # SIGTERM to the training job itself, as SLURM does on preemption or timeout
    jobs = [int(pid) for pid in subprocess.run(["pgrep", "-f", "bin/grngc infer results/lz/prepared.h5ad"],
                                               capture_output=True, text=True).stdout.split()
            if Path(f"/proc/{pid}/cwd").resolve() == wd.resolve()]
    assert jobs
    for pid in jobs:
        os.kill(pid, signal.SIGTERM)
    out = proc.communicate(timeout=120)[0]
    assert proc.returncode != 0 and "Error in rule infer" in out
    assert "checkpoint written" in (wd / "results" / "logs" / "lz" / "infer_seed0.log").read_text()
    assert not (seed0 / "run.json").exists() and not (seed0 / "edges.tsv").exists()  # nothing looks complete
    dry = run_snakemake(wd, "-n", "--rerun-incomplete")
    rules = re.findall(r"^rule (\w+):", dry.stdout + dry.stderr, flags=re.M)
    assert "preprocess" not in rules and "infer" in rules  # finished work is kept, the rest is redone
    assert run_snakemake(wd, "--rerun-incomplete").returncode == 0
    assert "resuming" in (wd / "results" / "logs" / "lz" / "infer_seed0.log").read_text()
    assert (seed0 / "run.json").exists() and not checkpoints()


def test_preset_reaches_infer_and_only_given_settings_override_it(pipeline_workdir):
    wd = pipeline_workdir([["tc", str(DEMO / "timecourse.h5ad"), "", "", "", "", ""]], baselines="[]")
    cfg = wd / "config" / "config.yaml"
    cfg.write_text(cfg.read_text().replace("infer: {epochs: 200,", "infer: {preset: paper, lag: 2, input_dropout: 0.5,"))
    run = run_snakemake(wd, "-n", "-p")
    assert run.returncode == 0, run.stderr
    infer_cmds = [line for line in run.stdout.splitlines() if " infer " in line and "--preset" in line]
    assert infer_cmds and all("--preset paper" in c and "--lag 2" in c and "--input-dropout 0.5" in c
                              for c in infer_cmds)
    assert not any("--model" in c or "--epochs" in c or "--lam " in c for c in infer_cmds)
    cfg.write_text(cfg.read_text().replace("preset: paper", "preset: papr"))
    bad = run_snakemake(wd, "-n")
    assert bad.returncode != 0 and "papr" in bad.stdout + bad.stderr


def test_grnboost2_is_a_pipeline_baseline(pipeline_workdir):
    wd = pipeline_workdir([["tc", str(DEMO / "timecourse.h5ad"), str(DEMO / "timecourse_truth.tsv"), "", "", "", ""]],
                          baselines="[grnboost2]")
    run = run_snakemake(wd, "-n", "-p")
    assert run.returncode == 0, run.stderr
    assert "baseline grnboost2" in run.stdout
    compare = [line for line in run.stdout.splitlines() if " compare " in line]
    assert compare and "grnboost2=results/tc/baselines/grnboost2.tsv" in compare[0]


def test_regulators_from_the_sheet_reach_inference_and_every_evaluation(pipeline_workdir):
    tfs = str(DEMO / "cells_tfs.txt")
    wd = pipeline_workdir([["tc", str(DEMO / "timecourse.h5ad"), str(DEMO / "timecourse_truth.tsv"), tfs, "", "", ""]],
                          baselines="[genie3]")
    cfg = wd / "config" / "config.yaml"
    cfg.write_text(cfg.read_text().replace("infer: {epochs: 200,", "infer: {regulators: tfs, epochs: 200,"))
    run = run_snakemake(wd, "-n", "-p")
    assert run.returncode == 0, run.stderr
    for command in (" infer ", "baseline genie3", " compare ", " annotate "):
        lines = [line for line in run.stdout.splitlines() if command in line and "bin/grngc " in line]
        assert lines and all(f"--regulators '{tfs}'" in line for line in lines), command


def test_velocity_off_in_the_config_reaches_inference(pipeline_workdir):
    wd = pipeline_workdir([["sc", str(DEMO / "cells.h5ad"), str(DEMO / "cells_truth.tsv"), "", "stage=early", "", ""]],
                          baselines="[]")
    cfg = wd / "config" / "config.yaml"
    run = run_snakemake(wd, "-n", "-p")
    assert run.returncode == 0, run.stderr
    infer = [line for line in run.stdout.splitlines() if " infer " in line and "bin/grngc " in line]
    assert infer and not any("--no-velocity" in line for line in infer)  # the default: velocity on
    cfg.write_text(cfg.read_text().replace("infer: {epochs: 200,", "infer: {velocity: false, epochs: 200,"))
    run = run_snakemake(wd, "-n", "-p")
    assert run.returncode == 0, run.stderr
    infer = [line for line in run.stdout.splitlines() if " infer " in line and "bin/grngc " in line]
    assert infer and all("--no-velocity" in line for line in infer)
