"""Every entry point (Python API, CLI, preprocessing) checks the same things with the same message:
bad values stop inference instead of being silently dropped, and a key the user names must exist."""
import anndata as ad
import numpy as np
import pandas as pd
import pytest

import grngc
from grngc.cli import main
from grngc.io.expression import load_anndata
from grngc.timecourse import InputError

FAST = dict(epochs=3, n_seeds=1, hidden=4, progress=False, device="cpu")


def _X(n=12, p=3, seed=0):
    return np.random.default_rng(seed).normal(size=(n, p))


@pytest.mark.parametrize("change, message", [
    (lambda X, t, g: X.__setitem__((3, 1), np.nan), "non-finite expression value(s) (NaN or inf), first in gene 'g1'"),
    (lambda X, t, g: t.__setitem__(5, np.inf), "time has NaN or infinite values"),
    (lambda X, t, g: g.__setitem__(2, "g0"), "duplicated gene names ['g0']"),
])
def test_api_rejects_what_the_cli_rejects(change, message):
    X, t, genes = _X(), np.arange(12, dtype=float), ["g0", "g1", "g2"]
    change(X, t, genes)
    with pytest.raises(InputError) as err:
        grngc.infer(X, time=t, genes=genes, **FAST)
    assert message in str(err.value)
    assert "--" not in str(err.value)  # no command-line advice in an API error


def test_api_rejects_one_gene():
    with pytest.raises(InputError, match="a network needs at least 2 genes"):
        grngc.infer(_X(p=1), **FAST)


def test_anndata_api_rejects_nan():
    a = ad.AnnData(_X(), obs=pd.DataFrame({"time": np.arange(12.0)}, index=[f"c{i}" for i in range(12)]))
    a.X[0, 0] = np.nan
    with pytest.raises(InputError, match="non-finite"):
        grngc.infer_anndata(a, **FAST)


def _adata(path=None):
    obs = pd.DataFrame({"t": np.tile(np.arange(6.0), 2), "series": np.repeat(["a", "b"], 6)},
                       index=[f"c{i}" for i in range(12)])
    a = ad.AnnData(_X(), obs=obs, var=pd.DataFrame(index=["g0", "g1", "g2"]))
    if path is not None:
        a.write_h5ad(path)
    return a


def test_named_series_key_must_exist_in_api():
    with pytest.raises(InputError) as err:
        grngc.infer_anndata(_adata(), time_key="t", series_key="replicate", **FAST)
    msg = str(err.value)
    assert "no series column 'replicate'" in msg and "'series'" in msg and "'t'" in msg  # the columns listed


def test_unnamed_series_key_takes_the_series_column():
    a = _adata()
    grngc.infer_anndata(a, time_key="t", **FAST)
    assert a.uns["grngc"]["input"]["n_series"] == 2


def test_named_keys_must_exist_on_the_command_line(tmp_path, caplog):
    path = tmp_path / "d.h5ad"
    _adata(path)
    out = tmp_path / "out"
    argv = ["infer", str(path), "-o", str(out), "--time-key", "t", "--epochs", "2", "--n-seeds", "1", "--no-progress"]
    assert main(argv + ["--series-key", "replicate"]) == 2
    assert "no series column 'replicate'" in caplog.text and "'series'" in caplog.text
    assert not out.exists() or not any(out.iterdir())
    caplog.clear()
    assert main(["infer", str(path), "-o", str(out), "--time-key", "dpt_psuedotime", "--no-progress"]) == 2
    assert "no time column 'dpt_psuedotime'" in caplog.text


def test_preprocess_does_not_turn_a_mistyped_time_key_into_a_pseudotime(tmp_path):
    path = tmp_path / "d.h5ad"
    _adata(path)
    with pytest.raises(InputError, match="no time column 'dpt_psuedotime'"):
        load_anndata(path, time_key="dpt_psuedotime")
    with pytest.raises(InputError, match="no series column 'replicate'"):
        load_anndata(path, time_key="t", series_key="replicate")
    a = load_anndata(path, time_key="t")  # named and present: copied to obs["time"]
    assert np.array_equal(a.obs["time"], a.obs["t"])
    assert "time" not in load_anndata(path).obs  # unnamed and absent: a pseudotime comes later


def test_table_series_key_must_exist(tmp_path):
    from grngc.io.expression import read_expression

    f = tmp_path / "t.csv"
    pd.DataFrame({"time": np.arange(6.0), "g0": _X(6, 1)[:, 0], "g1": _X(6, 1, 1)[:, 0]}).to_csv(f, index=False)
    assert read_expression(f).n_genes == 2
    with pytest.raises(InputError, match="no series column 'rep'"):
        read_expression(f, series_key="rep")


def test_raw_counts_warn_and_are_recorded_on_the_api(caplog):
    counts = np.random.default_rng(1).poisson(5.0, size=(12, 3)).astype(float)
    with pytest.warns(UserWarning, match="looks like raw counts"):
        res = grngc.infer(counts, **FAST)
    assert res.record["input"]["data_kind"] == "counts"
    a = ad.AnnData(counts, obs=pd.DataFrame({"time": np.arange(12.0)}, index=[f"c{i}" for i in range(12)]))
    with pytest.warns(UserWarning, match="looks like raw counts"):
        grngc.infer_anndata(a, **FAST)
    assert grngc.infer(np.log1p(counts) + 0.01, **FAST).record["input"]["data_kind"] == "log"


def test_threads_default_to_one_and_are_restored():
    import torch

    from grngc.core.runtime import cpu_threads

    before = torch.get_num_threads()
    res = grngc.infer(_X(), **FAST)
    assert res.record["cpu_threads"] == 1 and torch.get_num_threads() == before
    assert grngc.infer(_X(), threads=2, **FAST).record["cpu_threads"] == 2
    assert cpu_threads("auto") == cpu_threads(None) == 1
    with pytest.raises(InputError, match="threads=0"):
        grngc.infer(_X(), threads=0, **FAST)


def test_threads_on_the_command_line(tmp_path):
    import json

    f = tmp_path / "t.csv"
    pd.DataFrame({"time": np.arange(12.0), "a": _X()[:, 0], "b": _X()[:, 1]}).to_csv(f, index=False)
    assert main(["infer", str(f), "-o", str(tmp_path / "o"), "--threads", "2", "--epochs", "2", "--n-seeds", "1",
                 "--no-progress"]) == 0
    assert json.loads((tmp_path / "o" / "run.json").read_text())["cpu_threads"] == 2


def _table(tmp_path, name, seed):
    f = tmp_path / name
    X = _X(seed=seed)
    pd.DataFrame({"time": np.arange(12.0), **{f"g{k}": X[:, k] for k in range(3)}}).to_csv(f, index=False)
    return f


def test_an_output_folder_of_another_input_is_refused_unless_forced(tmp_path, caplog):
    a, b, out = _table(tmp_path, "a.csv", 0), _table(tmp_path, "b.csv", 1), tmp_path / "out"
    fast = ["--epochs", "2", "--n-seeds", "1", "--no-progress"]
    assert main(["infer", str(a), "-o", str(out), *fast]) == 0
    assert main(["infer", str(a), "-o", str(out), *fast]) == 0  # the same input: a rerun replaces
    first = (out / "run.json").read_text()
    assert main(["infer", str(b), "-o", str(out), *fast]) == 2
    assert "holds the results of another input" in caplog.text and "a.csv" in caplog.text and "--force" in caplog.text
    assert (out / "run.json").read_text() == first  # untouched
    (out / "notes.txt").write_text("mine")
    assert main(["infer", str(b), "-o", str(out), "--force", *fast]) == 0
    import json

    assert json.loads((out / "run.json").read_text())["input"]["source"].endswith("b.csv")
    assert (out / "notes.txt").read_text() == "mine"  # --force removes grngc's files only


def test_evaluate_warns_when_edges_and_genes_disagree(caplog):
    from grngc.evaluate.metrics import evaluate_edges

    edges = pd.DataFrame({"regulator": ["a", "b", "x"], "target": ["b", "a", "a"], "score": [3.0, 2.0, 1.0]})
    ref = pd.DataFrame({"regulator": ["a"], "target": ["b"]})
    out = evaluate_edges(edges, ref, ["a", "b", "c"])
    assert out["predicted_pairs_outside_genes"] == 1 and out["genes_without_predictions"] == 1
    assert "the edge list and the gene list disagree" in caplog.text


def test_large_inputs_write_top_edges_and_say_so(tmp_path, caplog):
    """Above --all-pairs-below genes edges.tsv holds the top edges (overall and per target), run.json says
    so, scores.npy keeps every pair, and evaluation counts the missing pairs as 0 and says so."""
    import json

    f = tmp_path / "t.csv"
    X = np.random.default_rng(0).normal(size=(30, 5))
    pd.DataFrame({"time": np.arange(30.0), **{f"g{k}": X[:, k] for k in range(5)}}).to_csv(f, index=False)
    out = tmp_path / "o"
    fast = ["--epochs", "2", "--n-seeds", "1", "--no-progress", "--model", "ridge", "--lag", "1"]
    assert main(["infer", str(f), "-o", str(out), "--all-pairs-below", "3", "--top-edges", "4", "--per-target", "1",
                 *fast]) == 0
    edges = pd.read_csv(out / "edges.tsv", sep="\t")
    rec = json.loads((out / "run.json").read_text())["edges_tsv"]
    assert not rec["all_pairs"] and rec["rows"] == len(edges) < 20 and rec["pairs"] == 20
    assert set(edges["target"]) == {f"g{k}" for k in range(5)}  # every target keeps its best regulator
    assert np.load(out / "scores.npy").shape == (5, 5)
    ref = tmp_path / "ref.tsv"
    pd.DataFrame({"regulator": ["g0"], "target": ["g1"]}).to_csv(ref, sep="\t", index=False)
    # beside its run's scores.npy, the truncated list is scored on every pair: the matrix's own figures
    assert main(["evaluate", str(out / "edges.tsv"), "--reference", str(ref), "-o", str(tmp_path / "e.json")]) == 0
    ev = json.loads((tmp_path / "e.json").read_text())
    from grngc.evaluate.metrics import evaluate_scores

    S = np.load(out / "scores.npy")
    truth = np.zeros((5, 5), bool)
    truth[0, 1] = True
    assert ev["scores_from"] == str(out / "scores.npy") and "candidate_pairs_without_score" not in ev
    assert ev["auroc"] == pytest.approx(evaluate_scores(S, truth)["auroc"]) and "scores.npy" in ev["note"]
    assert main(["compare", f"grngc={out / 'edges.tsv'}", "--reference", str(ref), "--genes-from", str(f),
                 "-o", str(tmp_path / "cmp")]) == 0
    cmp = pd.read_csv(tmp_path / "cmp.tsv", sep="\t").set_index("method")
    assert cmp.loc["grngc", "auroc"] == pytest.approx(ev["auroc"], abs=1e-3)
    # a bare truncated list (no run beside it) is scored as it is, and says so
    bare = tmp_path / "bare" / "edges.tsv"
    bare.parent.mkdir()
    bare.write_text((out / "edges.tsv").read_text())
    assert main(["evaluate", str(bare), "--reference", str(ref), "-o", str(tmp_path / "b.json")]) == 0
    ev = json.loads((tmp_path / "b.json").read_text())
    assert ev["candidate_pairs_without_score"] == 20 - len(edges) and "count as score 0" in ev["note"]
    assert main(["infer", str(f), "-o", str(out), "--all-pairs-below", "3", "--all-pairs", *fast]) == 0
    assert len(pd.read_csv(out / "edges.tsv", sep="\t")) == 20
