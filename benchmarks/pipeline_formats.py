"""The whole pipeline on three benchmark formats: DREAM4 size-10 network 1 (DREAM time-series TSV),
BEELINE dyn-LI_2000_0 (a BEELINE folder) and the E. coli SOS time courses (a CSV table with its own
time and series columns), each with its reference; GENIE3 (300 trees) and TIGRESS (300 resamplings)
run by the pipeline; the repository's default config otherwise.

Usage: python benchmarks/pipeline_formats.py [--workdir DIR]
Prints the AUROC / AUPRC table of results/summary.tsv with the commit and the wall time.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
COLUMNS = ["id", "path", "format", "time_key", "series_key", "reference", "reference_kind", "organism", "tfs",
           "pseudotime_root", "genie3", "tigress"]


def sheet_rows() -> list[dict]:
    d4 = SHARED / "dream4_size10" / "insilico_size10_1"
    li = SHARED / "beeline" / "dyn-LI" / "dyn-LI_2000_0"
    sos = SHARED / "sos_ecoli"
    return [
        {"id": "dream4_10_1", "path": d4 / "insilico_size10_1_timeseries.tsv", "format": "dream",
         "reference": SHARED / "dream4_size10" / "DREAM4_GoldStandard_InSilico_Size10_1.tsv"},
        {"id": "beeline_dyn_LI_0", "path": li, "format": "beeline", "reference": li / "refNetwork.csv"},
        {"id": "sos_ecoli", "path": sos / "sos_timeseries_long.csv", "format": "table", "time_key": "time_min",
         "series_key": "experiment", "reference": sos / "sos_goldstandard_nair2015.tsv"},
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workdir", help="keep the run here (default: a temporary folder, removed)")
    args = ap.parse_args()
    if not SHARED.exists():
        print(f"{SHARED} not found: this benchmark needs ../shared/data", file=sys.stderr)
        return 1
    wd = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="grngc-formats-"))
    (wd / "config").mkdir(parents=True, exist_ok=True)
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    config["datasets"] = "config/datasets.tsv"
    (wd / "config" / "config.yaml").write_text(yaml.safe_dump(config))
    rows = pd.DataFrame(sheet_rows()).reindex(columns=COLUMNS).fillna("")
    rows["reference_kind"] = "gold"
    rows.to_csv(wd / "config" / "datasets.tsv", sep="\t", index=False)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=ROOT).stdout.strip()
    t0 = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "workflow" / "Snakefile"), "--directory", str(wd),
                          "--cores", "2"], capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if run.returncode != 0:
        print(run.stdout[-3000:], run.stderr[-3000:], file=sys.stderr)
        return 1
    summary = pd.read_csv(wd / "results" / "summary.tsv", sep="\t")
    print(f"# The pipeline on three formats (commit {commit}, {seconds / 60:.1f} min on this machine)\n")
    cell = summary.assign(v=summary["auroc"].map("{:.3f}".format) + " / " + summary["auprc"].map("{:.3f}".format))
    table = cell.pivot(index="dataset", columns="method", values="v").reset_index()
    print(table.to_markdown(index=False) if hasattr(table, "to_markdown") else table.to_string(index=False))
    if not args.workdir:
        shutil.rmtree(wd, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
