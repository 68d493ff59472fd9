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
from conftest import DEMO, ROOT, run_snakemake, snakemake_command

pytestmark = [pytest.mark.slurm, pytest.mark.slow]

# the profile as shipped (workflow/profiles/slurm/config.yaml: its rule-to-partition routing included),
# adapted to a 2-CPU test node without accounting: status from squeue, no account, small memory
SLURM_ARGS = ["--workflow-profile", str(ROOT / "workflow" / "profiles" / "slurm"),
              "--slurm-status-command", "squeue", "--slurm-no-account",
              "--slurm-init-seconds-before-status-checks", "2", "--seconds-between-status-checks", "2",
              "--default-resources", "slurm_partition=cpu", "mem_mb=1000", "runtime=10",
              "--jobs", "4"]
SWEEP = "sweep: {enabled: true, lams: [1.0], lags: [1]}\n"
LOCAL_RULES = {"aggregate_seeds", "sweep", "threshold", "annotate", "figures", "summarize"}


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
    on_slurm = pipeline_workdir(rows, baselines="[]", name="slurm", extra_config=SWEEP)
    local = pipeline_workdir(rows, baselines="[]", name="local", extra_config=SWEEP)
    # the local run goes alongside (the SLURM run mostly waits on the scheduler); seeded, so the same results
    local_run = subprocess.Popen(snakemake_command(local), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    run = run_snakemake(on_slurm, *SLURM_ARGS, env=slurm_env, timeout=600)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-4000:]
    submitted = re.findall(r"submitted with SLURM jobid (\d+) \(log: (\S+?)\)", out)
    rules = {re.search(r"rule_([a-z_]+)/", log).group(1) for _, log in submitted}
    assert {"preprocess", "infer", "sweep_lambda", "compare"} <= rules, rules  # the real work went to SLURM
    assert not rules & LOCAL_RULES, rules  # the seconds-long rules ran on the submitting node (localrules)
    partitions = {re.search(r"(rule_[a-z_]+)/", log).group(1): _partition(slurm_env, jobid) for jobid, log in submitted}
    assert partitions["rule_infer"] == partitions["rule_sweep_lambda"] == "gpu", partitions  # as the profile routes
    assert partitions["rule_preprocess"] == partitions["rule_compare"] == "cpu", partitions
    infer_logs = sorted((on_slurm / ".snakemake" / "slurm_logs" / "rule_infer").glob("*/*.log"))
    assert len(infer_logs) == 2  # one SLURM job per seed, log named by its SLURM job id
    for seed in (0, 1):
        log = (on_slurm / "results" / "logs" / "tc" / f"infer_seed{seed}.log").read_text()
        # the scheduler handed the job its (fake) GPU; torch finds no CUDA, so the job warns and runs on CPU
        assert "a GPU was allocated to this job (CUDA_VISIBLE_DEVICES=0)" in log
    assert "a GPU was allocated to this job" in (on_slurm / "results" / "logs" / "tc" / "sweep_lam1.0.log").read_text()
    assert (on_slurm / "results" / "tc" / "sweep.tsv").exists()

    local_out = local_run.communicate(timeout=600)[0]
    assert local_run.returncode == 0, local_out[-4000:]
    for f in ("grngc/seed0/edges.tsv", "grngc/seed1/edges.tsv", "grngc/edges.tsv", "network.tsv", "sweep.tsv"):
        a = pd.read_csv(on_slurm / "results" / "tc" / f, sep="\t")
        b = pd.read_csv(local / "results" / "tc" / f, sep="\t")
        pd.testing.assert_frame_equal(a, b)


def _partition(env, jobid) -> str:
    """The partition SLURM ran a job in (slurm_cluster keeps finished jobs visible for an hour)."""
    out = subprocess.run(["scontrol", "show", "job", jobid], capture_output=True, text=True, env=env).stdout
    found = re.search(r"Partition=(\S+)", out)
    return found.group(1) if found else f"unknown: {out[:200]}"


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
