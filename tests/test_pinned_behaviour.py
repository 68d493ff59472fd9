"""Today's behaviour, pinned before the redesign (issue 25) moves code: every command's ``--help`` text,
the pipeline's job graph on the demo sheet (``snakemake -n``), and the default's AUROC on the demo time
course. A difference fails with the file to compare; if the change is intended, rewrite the pins with
``python tests/pinned/update.py`` and say so in the commit."""
import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PINNED = Path(__file__).resolve().parent / "pinned"
DEMO = ROOT / "resources" / "demo"
COMMANDS = ("infer", "evaluate", "simulate", "compare", "baseline", "convert", "sweep", "sweep-merge", "preprocess",
            "aggregate", "threshold", "annotate", "plot", "summarize")
CONFIG = """datasets: config/datasets.tsv
infer: {epochs: 200, seeds: [0, 1], n_seeds: 1, threads: 1, gpu: 1, mem_mb: 1000, runtime: 10}
compare: {run_baselines: [genie3, tigress], genie3_trees: 20, tigress_resamples: 20}
threshold: {method: knee}
"""


def help_texts() -> dict[str, str]:
    """``grngc --help`` and each command's, at a fixed width of 100 columns."""
    from grngc.cli import main

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        out = {}
        for name, argv in [("grngc", ["--help"])] + [(c, [c, "--help"]) for c in COMMANDS]:
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf), pytest.raises(SystemExit):
                main(argv)
            out[name] = buf.getvalue()
        return out
    finally:
        if old is None:
            os.environ.pop("COLUMNS")
        else:
            os.environ["COLUMNS"] = old


def dryrun_jobs(workdir: Path) -> str:
    """``snakemake -n``'s job counts per rule on the demo sheet (a time course and single cells)."""
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "config").mkdir(parents=True)
    (workdir / "config" / "config.yaml").write_text(CONFIG)
    rows = [["tc", DEMO / "timecourse.h5ad", DEMO / "timecourse_truth.tsv", "", "", DEMO / "timecourse_genie3.tsv", ""],
            ["sc", DEMO / "cells.h5ad", DEMO / "cells_truth.tsv", DEMO / "cells_tfs.txt", "stage=early", "", ""]]
    (workdir / "config" / "datasets.tsv").write_text(
        "id\tpath\treference\ttfs\tpseudotime_root\tgenie3\ttigress\n"
        + "".join("\t".join(map(str, r)) + "\n" for r in rows))
    run = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "workflow" / "Snakefile"), "--directory",
                          str(workdir), "--cores", "2", "-n"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    stats = (run.stdout + run.stderr).split("Job stats:")[1]
    jobs = re.findall(r"^(\w+)\s+(\d+)$", stats, flags=re.M)
    return "".join(f"{rule}\t{count}\n" for rule, count in jobs)


def demo_auroc() -> float:
    """The default's AUROC on the demo time course against its truth (one run, seed 0, one thread)."""
    from grngc.core.api import infer_timecourse, make_config
    from grngc.io import read_expression, read_reference
    from grngc.evaluate.metrics import evaluate_edges

    tc = read_expression(DEMO / "timecourse.h5ad")
    res = infer_timecourse(tc, make_config(progress=False), threads=1)
    return evaluate_edges(res.edges(), read_reference(DEMO / "timecourse_truth.tsv"), tc.genes)["auroc"]


def test_help_texts_are_unchanged():
    for name, text in help_texts().items():
        pinned = (PINNED / "help" / f"{name}.txt").read_text()
        assert text == pinned, f"`grngc {name} --help` differs from tests/pinned/help/{name}.txt"


def test_the_pipelines_job_graph_is_unchanged(tmp_path):
    assert dryrun_jobs(tmp_path / "dry") == (PINNED / "dryrun_jobs.tsv").read_text()


def test_the_demo_score_is_unchanged():
    # 90 candidate pairs, 9 true: one swapped pair moves the AUROC by 0.0014, and float differences between
    # CPUs may swap a near-tie; a change of the method moves it by more than four swaps.
    assert abs(demo_auroc() - float((PINNED / "demo_auroc.txt").read_text())) <= 0.006
