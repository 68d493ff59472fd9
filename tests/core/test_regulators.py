"""TF-restricted inference: every gene is an input, but only listed regulators are penalized, scored
and evaluated, the same way on every entry point."""
import json

import numpy as np
import pandas as pd
import pytest
import torch

import grngc
from grngc.core.api import make_config
from grngc.cli import main
from grngc.granger.gradients import gradient_penalty, offdiag_mask
from grngc.models import build_model
from grngc.timecourse import InputError

FAST = dict(epochs=20, n_seeds=1, progress=False)


def test_penalty_covers_regulator_inputs_only():
    torch.manual_seed(0)
    model = build_model("mlp", 4, 2, 8).double()
    x = torch.randn(5, 2, 4, dtype=torch.double)
    regs = torch.tensor([1.0, 0.0, 1.0, 0.0])
    J = model.input_jacobian(x, create_graph=False).abs()
    mask = offdiag_mask(4, 2).double() * regs.view(1, 1, -1)
    expected = (J * mask).sum() / (mask.sum() * 5)
    torch.testing.assert_close(gradient_penalty(model, x, regulators=regs).detach(), expected)


def test_only_regulators_score_and_missing_names_are_counted(chain_timecourse, caplog):
    tc = chain_timecourse  # a -> b -> c
    res = grngc.infer_timecourse(tc, make_config(regulators=("a", "x1", "x2"), **FAST))
    assert np.all(res.scores[1:] == 0) and res.scores[0, 1] > 0  # only a regulates
    assert res.record["regulators"]["in_data"] == 1 and res.record["regulators"]["not_in_data"] == 2
    assert "2 of 3 regulators are not genes of the data" in caplog.text
    assert list(res.edges().query("score > 0")["regulator"].unique()) == ["a"]
    with pytest.raises(InputError, match="none of the 2 regulators"):
        grngc.infer_timecourse(tc, make_config(regulators=("x1", "x2"), **FAST))


def test_regulators_on_the_command_line_and_in_evaluation(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 4))
    f = tmp_path / "x.csv"
    pd.DataFrame({"time": np.arange(40.0), **{f"g{k}": X[:, k] for k in range(4)}}).to_csv(f, index=False)
    (tmp_path / "tfs.txt").write_text("g0\ng1\nnot_a_gene\n")
    out = tmp_path / "o"
    assert main(["infer", str(f), "-o", str(out), "--regulators", str(tmp_path / "tfs.txt"), "--epochs", "5",
                 "--n-seeds", "1", "--no-progress"]) == 0
    edges = pd.read_csv(out / "edges.tsv", sep="\t")
    assert set(edges["regulator"]) == {"g0", "g1"}  # only the regulators' rows are the network
    assert len(edges) == 2 * 3
    assert json.loads((out / "run.json").read_text())["regulators"]["not_in_data"] == 1
    ref = tmp_path / "ref.tsv"
    pd.DataFrame({"regulator": ["g0", "g2"], "target": ["g1", "g3"]}).to_csv(ref, sep="\t", index=False)
    assert main(["evaluate", str(out / "edges.tsv"), "--reference", str(ref), "--regulators",
                 str(tmp_path / "tfs.txt"), "-o", str(tmp_path / "e.json")]) == 0
    ev = json.loads((tmp_path / "e.json").read_text())
    assert ev["n_candidates"] == 2 * 3 and ev["n_true_edges"] == 1  # pairs from g0, g1 only
    assert "listed regulators" in ev["note"]


def test_each_edge_gets_the_lag_that_carries_it(tmp_path):
    """b follows a one step later, c follows a three steps later: with lag 3 the edge a -> b gets lag 1
    and a -> c lag 3, in the result, in edges.tsv and in run.json's lag profile."""
    rng = np.random.default_rng(0)
    T = 400
    X = rng.normal(size=(T, 4))
    for t in range(3, T):
        X[t, 1] = 0.9 * X[t - 1, 0] + 0.2 * rng.normal()
        X[t, 2] = 0.9 * X[t - 3, 0] + 0.2 * rng.normal()
    f = tmp_path / "x.csv"
    pd.DataFrame({"time": np.arange(T, dtype=float), **{g: X[:, k] for k, g in enumerate("abcd")}}).to_csv(f, index=False)
    out = tmp_path / "o"
    assert main(["infer", str(f), "-o", str(out), "--model", "linear", "--lag", "3", "--target", "level",
                 "--n-seeds", "1", "--no-progress"]) == 0
    edges = pd.read_csv(out / "edges.tsv", sep="\t").set_index(["regulator", "target"])
    assert edges.loc[("a", "b"), "lag"] == 1 and edges.loc[("a", "c"), "lag"] == 3
    profile = json.loads((out / "run.json").read_text())["lag_profile_top_edges"]
    assert profile["a -> c"]["lag 3"] > 0.9
    one_slot = grngc.infer_timecourse(grngc.TimeCourse(X, list("abcd"), np.arange(T, dtype=float), np.zeros(T)),
                                      make_config(model="linear", lag=1, **FAST))
    assert "lag" not in one_slot.edges().columns  # one lag: nothing to tell


def _activation_and_repression(T: int) -> np.ndarray:
    """Genes a, b, c, d: b follows +a and c follows -a one step later; d is noise."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(T, 4))
    for t in range(1, T):
        X[t, 1] = 0.9 * X[t - 1, 0] + 0.2 * rng.normal()
        X[t, 2] = -0.9 * X[t - 1, 0] + 0.2 * rng.normal()
    return X


def test_signs_say_activation_or_repression():
    """a -> b is +1, a -> c is -1, for one model, the ridge member and the default ensemble, with the
    share of windows that agree."""
    T = 400
    X = _activation_and_repression(T)
    tc = grngc.TimeCourse(X, list("abcd"), np.arange(T, dtype=float), np.zeros(T))
    for cfg in (make_config(model="mlp", lag=1, **FAST), make_config(model="ridge", lag=1),
                make_config(**FAST)):
        e = grngc.infer_timecourse(tc, cfg).edges().set_index(["regulator", "target"])
        assert e.loc[("a", "b"), "sign"] == 1 and e.loc[("a", "c"), "sign"] == -1, cfg.model
        assert 0.5 <= e.loc[("a", "b"), "sign_agreement"] <= 1.0


@pytest.fixture
def signed_run(tmp_path):
    """The ridge's edges on data where a activates b and represses c, the data file, and a BEELINE
    reference with those signs (Type +/-)."""
    T = 300
    X = _activation_and_repression(T)
    f = tmp_path / "x.csv"
    pd.DataFrame({"time": np.arange(T, dtype=float), **{g: X[:, k] for k, g in enumerate("abcd")}}).to_csv(f, index=False)
    out = tmp_path / "o"
    assert main(["infer", str(f), "-o", str(out), "--model", "ridge", "--lag", "1", "--no-progress"]) == 0
    ref = tmp_path / "refNetwork.csv"
    ref.write_text("Gene1,Gene2,Type\na,b,+\na,c,-\n")
    return out, f, ref


def test_sign_accuracy_next_to_the_correlation_sign(tmp_path, signed_run):
    """A reference with signs (BEELINE Type +/-): evaluate reports how many signed reference edges the
    top k holds and the share whose sign is right, for the edges' signs and for the correlation sign."""
    out, f, ref = signed_run
    assert main(["evaluate", str(out / "edges.tsv"), "--reference", str(ref), "--genes-from", str(f),
                 "-o", str(tmp_path / "e.json")]) == 0
    ev = json.loads((tmp_path / "e.json").read_text())
    assert ev["signed_reference_edges_in_top_k"] == 2 and ev["sign_accuracy"] == 1.0
    assert "sign_accuracy_correlation" in ev  # x(t) vs x(t) correlation over samples: lagged effects blur it


def test_compare_and_annotate_report_signs(tmp_path, signed_run):
    """compare gives sign accuracy per signed method; annotate marks each edge's reference sign and whether
    it matches, and its metrics hold the sign accuracy next to the correlation sign."""
    out, f, ref = signed_run
    unsigned = tmp_path / "unsigned.tsv"  # a method without signs (GENIE3-like) gets no sign columns
    pd.read_csv(out / "edges.tsv", sep="\t")[["regulator", "target", "score"]].to_csv(unsigned, sep="\t", index=False)
    assert main(["compare", f"grngc={out / 'edges.tsv'}", f"genie3={unsigned}", "--reference", str(ref),
                 "--genes-from", str(f), "-o", str(tmp_path / "cmp" / "compare")]) == 0
    table = pd.read_csv(tmp_path / "cmp" / "compare.tsv", sep="\t").set_index("method")
    assert table.loc["grngc", "sign_accuracy"] == 1.0 and table.loc["grngc", "signed_reference_edges_in_top_k"] == 2
    assert "sign_accuracy_correlation" in table and pd.isna(table.loc["genie3", "sign_accuracy"])

    net = tmp_path / "network.tsv"
    assert main(["threshold", str(out / "edges.tsv"), "--method", "top_k", "--value", "2", "-o", str(net)]) == 0
    assert main(["annotate", str(net), "--edges", str(out / "edges.tsv"), "--genes-from", str(f),
                 "--reference", str(ref), "-o", str(tmp_path / "ann.tsv"), "--metrics", str(tmp_path / "m.json")]) == 0
    ann = pd.read_csv(tmp_path / "ann.tsv", sep="\t").set_index(["regulator", "target"])
    assert ann.loc[("a", "b"), "reference_sign"] == 1 and ann.loc[("a", "c"), "reference_sign"] == -1
    assert ann.loc[("a", "b"), "sign"] == 1 and ann.loc[("a", "c"), "sign"] == -1
    assert ann["sign_matches_reference"].all()
    metrics = json.loads((tmp_path / "m.json").read_text())
    assert metrics["sign_accuracy"] == 1.0 and "sign_accuracy_correlation" in metrics


def test_default_ensemble_with_regulators_lists_only_their_rows_everywhere():
    """edges.tsv, GRNGCResult.edges and get.edges: non-regulator rows (score 0, with a made-up sign) are no
    part of a network restricted to regulators."""
    import anndata as ad

    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 5))
    res = grngc.infer(X, np.arange(60.0), genes=[f"g{k}" for k in range(5)], regulators=["g0", "g3"], progress=False)
    e = res.edges()
    assert set(e["regulator"]) == {"g0", "g3"} and len(e) == 2 * 4
    adata = ad.AnnData(X, obs=pd.DataFrame({"time": np.arange(60.0)}, index=[f"s{k}" for k in range(60)]),
                       var=pd.DataFrame(index=[f"g{k}" for k in range(5)]))
    grngc.tl.infer(adata, regulators=["g0", "g3"], progress=False)
    assert set(grngc.get.edges(adata)["regulator"]) == {"g0", "g3"}


def test_get_edges_with_regulators_that_do_not_match():
    import anndata as ad

    adata = ad.AnnData(np.zeros((3, 3)), var=pd.DataFrame(index=["x", "y", "z"]))
    adata.varp["grngc"] = np.array([[0, 0.9, 0.1], [0, 0, 0.5], [0.2, 0, 0]])
    with pytest.raises(InputError, match="none of the 2 regulators"):
        grngc.get.edges(adata, regulators=["X", "Y"])
    with pytest.warns(UserWarning, match="1 of 2 regulators are not genes"):
        e = grngc.get.edges(adata, regulators=["x", "nope"])
    assert set(e["regulator"]) == {"x"}
