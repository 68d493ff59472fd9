"""The command line end to end: simulate -> infer -> evaluate, and clear errors on bad input."""
import json

import numpy as np
import pandas as pd
import pytest

from grngc.cli import main

FAST = ["--epochs", "150", "--hidden", "32", "--n-seeds", "1", "--no-progress"]


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    d = tmp_path_factory.mktemp("sim")
    assert main(["simulate", "var", "-p", "6", "-T", "500", "--var-lag", "1", "--seed", "1",
                 "-o", str(d / "var.h5ad")]) == 0
    return d


def test_infer_and_evaluate_recover_simulated_network(simulated, tmp_path, capsys):
    out = tmp_path / "res"
    assert main(["infer", str(simulated / "var.h5ad"), "-o", str(out), "--seed", "0", "--lag", "1", *FAST]) == 0
    edges = pd.read_csv(out / "edges.tsv", sep="\t")
    assert list(edges.columns) == ["regulator", "target", "score", "sign", "sign_agreement", "direction"]  # regulator -> target
    assert len(edges) == 6 * 5 and (edges.regulator != edges.target).all()
    assert edges.score.is_monotonic_decreasing
    S = np.load(out / "scores.npy")
    genes = json.loads((out / "run.json").read_text())["genes"]
    top = edges.iloc[0]
    assert S[genes.index(top.regulator), genes.index(top.target)] == pytest.approx(top.score, rel=1e-5)
    run = json.loads((out / "run.json").read_text())
    for key in ("config", "runs", "versions", "input", "genes", "seconds_total"):
        assert key in run
    assert run["input"]["sha256"] and run["runs"][0]["history"]["val_mse"]
    capsys.readouterr()
    metrics_path = tmp_path / "m.json"
    assert main(["evaluate", str(out / "edges.tsv"), "--reference", str(simulated / "var_truth.tsv"),
                 "--genes-from", str(simulated / "var.h5ad"), "-o", str(metrics_path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(metrics_path.read_text())
    assert printed["auroc"] > 0.9 and printed["n_candidates"] == 30


def test_same_seed_same_edges(simulated, tmp_path):
    for name in ("a", "b"):
        assert main(["infer", str(simulated / "var.h5ad"), "-o", str(tmp_path / name), "--seed", "5", *FAST]) == 0
    assert (tmp_path / "a/edges.tsv").read_text() == (tmp_path / "b/edges.tsv").read_text()


def test_bad_input_exit_code_message_and_no_outputs(tmp_path, caplog):
    bad = tmp_path / "bad.csv"
    bad.write_text("time,g1,g2\n0,1,2\n1,inf,3\n2,1,1\n")
    before = bad.read_bytes()
    out = tmp_path / "out"
    assert main(["infer", str(bad), "-o", str(out)]) == 2
    assert "bad.csv" in caplog.text and "non-finite" in caplog.text
    assert not out.exists()
    assert bad.read_bytes() == before


def test_dream_input_through_cli(tmp_path):
    rng = np.random.default_rng(0)
    lines = ['"Time"\t"G1"\t"G2"\t"G3"']
    for s in range(3):
        lines.append("")
        for t in range(12):
            lines.append("\t".join([str(t * 10.0), *map(str, rng.random(3))]))
    f = tmp_path / "ts.tsv"
    f.write_text("\n".join(lines) + "\n")
    assert main(["infer", str(f), "-o", str(tmp_path / "o"), "--seed", "0", "--model", "kan", "--kan-grid-size", "2",
                 *FAST]) == 0
    run = json.loads((tmp_path / "o/run.json").read_text())
    assert run["input"]["n_series"] == 3 and run["config"]["model"] == "kan"
    assert run["config"]["kan_grid_size"] == 2


def test_input_dropout_through_cli(tmp_path, capsys, chain_timecourse):
    tc = chain_timecourse
    f = tmp_path / "chain.csv"
    pd.DataFrame(tc.X, columns=tc.genes).assign(time=tc.time, series=tc.series).to_csv(f, index=False)
    with pytest.raises(SystemExit) as err:
        main(["infer", str(f), "-o", str(tmp_path / "bad"), "--input-dropout", "1", *FAST])
    assert err.value.code == 2 and "--input-dropout" in capsys.readouterr().err
    assert not (tmp_path / "bad").exists()
    assert main(["infer", str(f), "-o", str(tmp_path / "o"), "--model", "linear", "--lag", "1",
                 "--input-dropout", "0.5", *FAST]) == 0
    assert json.loads((tmp_path / "o/run.json").read_text())["config"]["input_dropout"] == 0.5


def test_evaluate_takes_the_reference_either_way_and_stops_on_no_match(simulated, tmp_path, caplog):
    """`grngc evaluate EDGES REF` as the API takes it; a reference none of whose edges names the data's
    genes (Ensembl ids against symbols) exits non-zero with the message instead of 'auroc: null'."""
    out = tmp_path / "res"
    assert main(["infer", str(simulated / "var.h5ad"), "-o", str(out), "--model", "ridge"]) == 0  # lag 1 picked
    truth = simulated / "var_truth.tsv"
    assert main(["evaluate", str(out / "edges.tsv"), str(truth), "-o", str(tmp_path / "a.json")]) == 0
    assert main(["evaluate", str(out / "edges.tsv"), "--reference", str(truth), "-o", str(tmp_path / "b.json")]) == 0
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()
    ids = tmp_path / "ids.tsv"
    ref = pd.read_csv(truth, sep="\t")
    ref.assign(regulator="ENSG" + ref["regulator"], target="ENSG" + ref["target"]).to_csv(ids, sep="\t", index=False)
    assert main(["evaluate", str(out / "edges.tsv"), str(ids), "-o", str(tmp_path / "c.json")]) != 0
    assert "ids.tsv: none of its" in caplog.text and "gene naming" in caplog.text
    assert not (tmp_path / "c.json").exists()
    assert main(["evaluate", str(out / "edges.tsv")]) != 0  # no reference at all


def test_ridge_with_another_lag_is_a_clear_error(simulated, tmp_path, caplog):
    assert main(["infer", str(simulated / "var.h5ad"), "-o", str(tmp_path / "r"), "--model", "ridge", "--lag", "2"]) != 0
    assert "model 'ridge' is the lag-1 ridge VAR" in caplog.text and "Traceback" not in caplog.text
    assert not (tmp_path / "r").exists()
