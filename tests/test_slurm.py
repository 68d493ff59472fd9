"""The pipeline through a real SLURM scheduler (snakemake-executor-plugin-slurm), infer jobs asking for
a GPU: every job goes through SLURM, the results equal a local run's with the same seeds, and a failing
job is reported as failed rather than hanging. Skips with the reason where the daemons cannot run."""
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest
import slurm_cluster
from conftest import DEMO, ROOT, run_snakemake

pytestmark = [pytest.mark.slurm, pytest.mark.slow]

# what a user's cluster sets in workflow/profiles/slurm/config.yaml, adapted to a 2-CPU test node
# without accounting: status from squeue, no account, small memory, one CPU per GPU
SLURM_ARGS = ["--workflow-profile", str(ROOT / "workflow" / "profiles" / "slurm"),
              "--slurm-status-command", "squeue", "--slurm-no-account",
              "--slurm-init-seconds-before-status-checks", "5", "--seconds-between-status-checks", "3",
              "--default-resources", "slurm_partition=cpu", "mem_mb=1000", "runtime=10",
              "--set-resources", "infer:slurm_partition=gpu", "infer:cpus_per_gpu=1", "baseline:cpus_per_task=1",
              "--jobs", "4"]


@pytest.fixture(scope="module")
def slurm_env():
    pytest.importorskip("snakemake_executor_plugin_slurm")
    reason = slurm_cluster.unavailable_reason()
    if reason:
        pytest.skip(reason)
    # not under pytest's tmp_path: that is private to root (0700), and munged runs as the munge user
    d = Path(tempfile.mkdtemp(prefix="grngc-slurm-"))
    d.chmod(0o755)
    try:
        env = slurm_cluster.start(d)
    except (RuntimeError, OSError, subprocess.CalledProcessError) as err:
        shutil.rmtree(d, ignore_errors=True)
        pytest.skip(f"the SLURM daemons cannot run on this machine: {err}")
    yield env
    slurm_cluster.stop(d)
    shutil.rmtree(d, ignore_errors=True)


def test_pipeline_through_slurm_equals_local_run(slurm_env, pipeline_workdir):
    rows = [["tc", str(DEMO / "timecourse.h5ad"), str(DEMO / "timecourse_truth.tsv"), "", "",
             str(DEMO / "timecourse_genie3.tsv"), ""]]
    on_slurm = pipeline_workdir(rows, baselines="[]", name="slurm")
    local = pipeline_workdir(rows, baselines="[]", name="local")
    run = run_snakemake(on_slurm, *SLURM_ARGS, env=slurm_env, timeout=600)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-4000:]
    submitted = re.findall(r"submitted with SLURM jobid (\d+) \(log: (\S+?)\)", out)
    rules = {re.search(r"rule_([a-z_]+)/", log).group(1) for _, log in submitted}
    assert {"preprocess", "infer", "aggregate_seeds", "threshold", "annotate", "compare", "figures",
            "summarize"} <= rules, rules  # every rule went through the scheduler
    infer_logs = sorted((on_slurm / ".snakemake" / "slurm_logs" / "rule_infer").glob("*/*.log"))
    assert len(infer_logs) == 2  # one SLURM job per seed, log named by its SLURM job id
    for seed in (0, 1):
        log = (on_slurm / "results" / "logs" / "tc" / f"infer_seed{seed}.log").read_text()
        # the scheduler handed the job its (fake) GPU; torch finds no CUDA, so the job warns and runs on CPU
        assert "a GPU was allocated to this job (CUDA_VISIBLE_DEVICES=0)" in log

    assert run_snakemake(local).returncode == 0
    for f in ("grngc/seed0/edges.tsv", "grngc/seed1/edges.tsv", "grngc/edges.tsv", "network.tsv"):
        a = pd.read_csv(on_slurm / "results" / "tc" / f, sep="\t")
        b = pd.read_csv(local / "results" / "tc" / f, sep="\t")
        pd.testing.assert_frame_equal(a, b)


def test_failing_slurm_job_is_reported_not_hung(slurm_env, pipeline_workdir, tmp_path):
    broken = tmp_path / "broken.h5ad"
    broken.write_text("this is not an HDF5 file\n")
    wd = pipeline_workdir([["broken", str(broken), "", "", "", "", ""]], baselines="[]", name="failing")
    run = run_snakemake(wd, *SLURM_ARGS, "--retries", "0", env=slurm_env, timeout=300)  # a hang: TimeoutExpired
    out = run.stdout + run.stderr
    assert run.returncode != 0
    assert "Error in rule preprocess" in out and "SLURM jobid" in out
    assert "not a readable .h5ad" in (wd / "results" / "logs" / "broken" / "preprocess.log").read_text()
    assert not (wd / "results" / "broken" / "prepared.h5ad").exists()  # no partial output
