"""The workflow as HPC users deploy it from the Snakemake workflow catalog: `snakedeploy deploy-workflow`
into a fresh directory, the user's own Snakefile `module`s it (`use rule * from grngc`), the user's own
sample sheet and config, run to the pipeline's summary and Snakemake's report."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DEMO, ROOT

pytestmark = pytest.mark.slow


def release_source(dest: Path) -> Path:
    """What a user gets from the repository: its tracked files (and new ones not ignored) as they are in
    this checkout, not the checkout itself (no .venv, no results)."""
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-co", "--exclude-standard"], capture_output=True,
                           text=True, check=True).stdout.split()
    for rel in files:
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    return dest


def test_deployed_as_a_module_runs_the_users_sheet_to_the_report(tmp_path):
    snakedeploy = Path(sys.executable).with_name("snakedeploy")
    if not snakedeploy.exists():
        pytest.skip("snakedeploy is not installed (pip install -e .[test])")
    source = release_source(tmp_path / "grngc-workflow")
    user = tmp_path / "my-project"
    deploy = subprocess.run([str(snakedeploy), "deploy-workflow", str(source), str(user), "--branch", "main",
                             "--name", "grngc"], capture_output=True, text=True)
    assert deploy.returncode == 0, deploy.stderr
    snakefile = (user / "workflow" / "Snakefile").read_text()
    assert "module grngc:" in snakefile and "use rule * from grngc" in snakefile
    assert (user / "config" / "README.md").exists()  # the catalog's config page travels with the config
    # snakedeploy writes a local source's Snakefile relative to the source root ("workflow/Snakefile"), which
    # would resolve inside the user's own workflow/; a user points it at the source, as github(...) does
    assert '"workflow/Snakefile"' in snakefile
    (user / "workflow" / "Snakefile").write_text(snakefile.replace('"workflow/Snakefile"',
                                                                   repr(str(source / "workflow" / "Snakefile"))))
    # the user's own data and sheet, in the user's own folder
    (user / "data").mkdir()
    shutil.copy(DEMO / "timecourse.h5ad", user / "data" / "my_timecourse.h5ad")
    shutil.copy(DEMO / "timecourse_truth.tsv", user / "data" / "my_reference.tsv")
    (user / "config" / "datasets.tsv").write_text("id\tpath\treference\n"
                                                  "mine\tdata/my_timecourse.h5ad\tdata/my_reference.tsv\n")
    (user / "config" / "config.yaml").write_text(
        "datasets: config/datasets.tsv\n"
        "infer: {epochs: 200, seeds: [0], n_seeds: 1, threads: 1, mem_mb: 1000, runtime: 10}\n"
        "compare: {run_baselines: [genie3], genie3_trees: 20}\n")
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "snakemake", "--cores", "2"], cwd=user, capture_output=True,
                         text=True, env=env, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    summary = (user / "results" / "summary.tsv").read_text()
    assert "mine" in summary and "genie3" in summary
    assert (user / "results" / "mine" / "compare" / "compare.tsv").exists()
    infer_log = (user / "results" / "logs" / "mine" / "infer_seed0.log").read_text()
    import grngc

    assert f"grngc {grngc.__version__} (" in infer_log  # the job names the grngc it imported
    assert not (source / "results").exists()  # everything lands in the user's folder, nothing in the source
    report = subprocess.run([sys.executable, "-m", "snakemake", "--report", "report.html"], cwd=user,
                            capture_output=True, text=True, env=env, timeout=300)
    assert report.returncode == 0, report.stderr[-3000:]
    assert (user / "report.html").stat().st_size > 100_000
