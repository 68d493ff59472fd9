"""The malformed-input corpus (tests/data/bad/) through the command line: a clear error naming the
file, the field and the fix, exit code 2, no partial outputs, the input untouched; recoverable
conditions warn and are recorded."""
import hashlib
import json
from pathlib import Path

import anndata as ad
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from grngc.cli import main

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
FAST = ["--epochs", "5", "--n-seeds", "1", "--hidden", "8", "--no-progress"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def _fails_cleanly(path: Path, tmp_path: Path, caplog, *patterns, command="infer", extra=()):
    before = _sha(path)
    out = tmp_path / "out"
    argv = [command, str(path), "-o", str(out), *extra] + (FAST if command == "infer" else [])
    assert main(argv) == 2
    msg = caplog.text
    assert path.name in msg, msg
    for pat in patterns:
        assert pat in msg, msg
    assert not out.exists() or not any(out.iterdir())  # nothing that looks like a result
    assert _sha(path) == before  # the input is left alone


@pytest.mark.parametrize("name, patterns", [
    ("nan_value.csv", ["non-finite", "'g1'", "impute or remove"]),
    ("inf_value.csv", ["non-finite", "'g1'"]),
    ("duplicated_genes.csv", ["duplicated column names ['g1']", "make gene names unique"]),
    ("missing_time.csv", ["no time column 'time'", "--time-key"]),
    ("non_numeric_time.csv", ["is not a number ('early')", "numeric time"]),
    ("nan_time.csv", ["'time' is missing for sample 1", "fill it in"]),
    ("short_series.csv", ["series 'b' has 2 time point(s)", "at least lag + 2 = 4", "lower --lag"]),
    ("one_gene.csv", ["1 gene(s)", "at least 2 genes"]),
    ("empty.csv", ["empty"]),
    ("non_numeric_gene.csv", ["['g2'] are not numeric"]),
    ("not_hdf5.h5ad", ["not a readable .h5ad", "re-export"]),
])
def test_corpus_file_fails_cleanly(name, patterns, tmp_path, caplog):
    _fails_cleanly(BAD / name, tmp_path, caplog, *patterns)


def _h5ad(tmp_path, name, X, obs_names=None, obs=None):
    n = X.shape[0]
    obs = obs if obs is not None else pd.DataFrame({"time": np.arange(n, dtype=float)})
    obs.index = pd.Index(obs_names if obs_names is not None else [f"s{i}" for i in range(n)], dtype=object)
    path = tmp_path / name
    ad.AnnData(X, obs=obs, var=pd.DataFrame(index=pd.Index(["g1", "g2", "g3"], dtype=object))).write_h5ad(path)
    return path


def test_sparse_matrix_with_explicit_nan(tmp_path, caplog):
    X = sp.csr_matrix(np.arange(30, dtype=np.float32).reshape(10, 3))
    X.data[4] = np.nan  # stored, not an implicit zero
    _fails_cleanly(_h5ad(tmp_path, "sparse_nan.h5ad", X), tmp_path, caplog, "non-finite")


def test_duplicated_sample_ids(tmp_path, caplog):
    path = _h5ad(tmp_path, "dup_ids.h5ad", np.ones((6, 3), np.float32) + np.arange(18).reshape(6, 3),
                 obs_names=["a", "a", "b", "c", "d", "e"])
    _fails_cleanly(path, tmp_path, caplog, "sample ids (obs_names) must be unique", "obs_names_make_unique")


def test_truncated_h5ad(tmp_path, caplog):
    good = _h5ad(tmp_path, "good.h5ad", np.arange(30, dtype=np.float32).reshape(10, 3))
    cut = tmp_path / "truncated.h5ad"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    _fails_cleanly(cut, tmp_path, caplog, "not a readable .h5ad")


def test_h5ad_without_time_key(tmp_path, caplog):
    path = _h5ad(tmp_path, "no_time.h5ad", np.arange(30, dtype=np.float32).reshape(10, 3),
                 obs=pd.DataFrame({"stage": ["x"] * 10}))
    _fails_cleanly(path, tmp_path, caplog, "obs has no time column 'time'", "compute a pseudotime")


def test_negative_values_where_counts_are_expected(tmp_path, caplog):
    X = np.arange(30, dtype=np.float32).reshape(10, 3)
    X[3, 1] = -2
    path = _h5ad(tmp_path, "negative.h5ad", X)
    before = _sha(path)
    assert main(["preprocess", str(path), "-o", str(tmp_path / "prep.h5ad"), "--normalize", "always"]) == 2
    assert "negative.h5ad" in caplog.text and "is negative" in caplog.text and "normalize: never" in caplog.text
    assert not (tmp_path / "prep.h5ad").exists() and _sha(path) == before


def test_constant_gene_is_dropped_warned_and_recorded(tmp_path, caplog):
    out = tmp_path / "out"
    assert main(["infer", str(BAD / "constant_gene.csv"), "-o", str(out), "--series-key", "series", *FAST]) == 0
    assert "flat" in caplog.text and "constant" in caplog.text
    run = json.loads((out / "run.json").read_text())
    assert run["dropped_genes"] == ["flat"]
    edges = pd.read_csv(out / "edges.tsv", sep="\t")
    assert (edges.loc[(edges.regulator == "flat") | (edges.target == "flat"), "score"] == 0).all()


def test_time_ties_warn_and_are_recorded(tmp_path, caplog):
    out = tmp_path / "out"
    assert main(["infer", str(BAD / "time_ties.csv"), "-o", str(out), "--lag", "1", *FAST]) == 0
    assert "share their time" in caplog.text
    assert json.loads((out / "run.json").read_text())["input"]["time_ties"]["samples"] == 6


def _evaluate_against(tmp_path, reference_text: str, capsys) -> dict:
    """`grngc evaluate` of a two-edge prediction on genes g1, g2 against the given reference."""
    edges = tmp_path / "edges.tsv"
    edges.write_text("regulator\ttarget\tscore\ng1\tg2\t1\ng2\tg1\t0.5\n")
    ref = tmp_path / "ref.tsv"
    ref.write_text(reference_text)
    genes_from = tmp_path / "genes.csv"
    genes_from.write_text("time,g1,g2\n0,1,2\n1,2,1\n2,3,5\n")
    assert main(["evaluate", str(edges), "--reference", str(ref), "--genes-from", str(genes_from)]) == 0
    return json.loads(capsys.readouterr().out)


def test_reference_naming_no_gene_stops(tmp_path, caplog, capsys):
    """Exit 0 with 'auroc: null' looked like a result; it is a naming problem: non-zero exit, the fix."""
    edges = tmp_path / "edges.tsv"
    edges.write_text("regulator\ttarget\tscore\ng1\tg2\t1\ng2\tg1\t0.5\n")
    ref = tmp_path / "ref.tsv"
    ref.write_text("regulator\ttarget\nTP53\tMDM2\nMYC\tCDK4\n")
    genes_from = tmp_path / "genes.csv"
    genes_from.write_text("time,g1,g2\n0,1,2\n1,2,1\n2,3,5\n")
    assert main(["evaluate", str(edges), "--reference", str(ref), "--genes-from", str(genes_from)]) != 0
    assert "ref.tsv: none of its 2 edges joins two genes of the data" in caplog.text
    assert capsys.readouterr().out == ""


def test_an_edge_list_of_other_genes_stops_evaluate_and_compare(tmp_path, caplog, capsys):
    """AUROC 0.5 with exit 0 read as 'no better than chance'; it is the wrong file: non-zero exit, the file,
    how many of its pairs matched, the fix; nothing written. A partial match is still scored."""
    edges = tmp_path / "other.tsv"
    edges.write_text("regulator\ttarget\tscore\nTP53\tMDM2\t1\nMYC\tCDK4\t0.5\nMYC\tg1\t0.2\n")
    ref = tmp_path / "ref.tsv"
    ref.write_text("regulator\ttarget\ng1\tg2\n")
    genes_from = tmp_path / "genes.csv"
    genes_from.write_text("time,g1,g2\n0,1,2\n1,2,1\n2,3,5\n")
    out = tmp_path / "metrics.json"
    assert main(["evaluate", str(edges), "--reference", str(ref), "--genes-from", str(genes_from),
                 "-o", str(out)]) != 0
    assert "other.tsv: 0 of its 3 predicted pairs join two genes of the data" in caplog.text
    assert "--genes-from" in caplog.text and capsys.readouterr().out == "" and not out.exists()
    assert main(["compare", f"grngc={edges}", "--reference", str(ref), "--genes-from", str(genes_from),
                 "-o", str(tmp_path / "cmp")]) != 0
    assert not list(tmp_path.glob("cmp*"))
    edges.write_text("regulator\ttarget\tscore\nTP53\tMDM2\t1\ng1\tg2\t0.5\n")  # one of two pairs matches
    assert main(["evaluate", str(edges), "--reference", str(ref), "--genes-from", str(genes_from)]) == 0
    assert json.loads(capsys.readouterr().out)["predicted_pairs_outside_genes"] == 1


def test_reference_duplicated_and_self_edges_are_counted(tmp_path, caplog, capsys):
    result = _evaluate_against(tmp_path, "regulator\ttarget\ng1\tg2\ng1\tg2\ng2\tg2\n", capsys)
    assert "1 duplicated edge(s)" in caplog.text and "1 self edge(s) ignored" in caplog.text
    assert result["auroc"] == 1.0


def test_baseline_file_with_other_genes_stops(tmp_path, caplog):
    genes_from = tmp_path / "genes.csv"
    genes_from.write_text("time,g1,g2\n0,1,2\n1,2,1\n2,3,5\n")
    ours = tmp_path / "ours.tsv"
    ours.write_text("regulator\ttarget\tscore\ng1\tg2\t1\ng2\tg1\t0.5\n")
    genie3 = tmp_path / "genie3.tsv"
    genie3.write_text("regulatoryGene\ttargetGene\tweight\nG1\tG2\t0.3\n")  # other case: other genes
    assert main(["compare", f"grngc={ours}", f"genie3={genie3}", "--genes-from", str(genes_from),
                 "-o", str(tmp_path / "cmp")]) == 2
    assert "genie3.tsv: 2 gene name(s) differ from the data's only by case" in caplog.text
    assert not list(tmp_path.glob("cmp*"))
