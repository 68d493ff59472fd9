"""compare on three tiny edge lists with known metrics; writers round-trip the direction."""
import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata

from grngc.cli import main
from grngc.evaluate.compare import compare_methods
from grngc.core.combine import consensus_scores, descending_ranks
from grngc.io import read_edges
from grngc.io.export import read_graphml, write_beeline_ranked, write_graphml, write_sif

GENES = ["a", "b", "c"]
REF = pd.DataFrame({"regulator": ["a", "b"], "target": ["b", "c"]})


def _edges(pairs_scores):
    return pd.DataFrame([(r, t, s) for (r, t), s in pairs_scores.items()], columns=["regulator", "target", "score"])


PERFECT = _edges({("a", "b"): 3, ("b", "c"): 2, ("c", "a"): 1})
REVERSED = _edges({("b", "a"): 3, ("c", "b"): 2, ("a", "c"): 1})  # every edge backwards
HALF = _edges({("a", "b"): 3, ("c", "a"): 2})


def test_metrics_of_known_edge_lists():
    res = compare_methods({"perfect": PERFECT, "reversed": REVERSED, "half": HALF}, REF, GENES, consensus=True)
    m = res["metrics"].set_index("method")
    assert m.loc["perfect", "auroc"] == 1.0 and m.loc["perfect", "auprc"] == 1.0
    assert m.loc["perfect", "epr"] == pytest.approx(3.0)  # precision 1 / density 2/6
    # reversed: both positives score 0, below 3 negatives and tied with the fourth (c->a, missing)
    assert m.loc["reversed", "auroc"] == pytest.approx(1 / 8)
    # half: a->b (3) first, c->a (2) a negative, then b->c tied at 0 with 3 negatives: AUROC (4 + 0.5 * 3) / 8
    assert m.loc["half", "auroc"] == pytest.approx((4 + 1.5) / 8)
    assert m.loc["perfect", "random_auprc"] == pytest.approx(2 / 6)
    pw = res["pairwise"].set_index(["method_a", "method_b"])
    assert pw.loc[("perfect", "half"), "top2_jaccard"] == pytest.approx(1 / 3)  # {ab, bc} vs {ab, ca}
    assert pw.loc[("perfect", "reversed"), "top2_jaccard"] == 0.0
    uniq = res["unique"]
    assert set(map(tuple, uniq[uniq.method == "reversed"][["regulator", "target"]].to_numpy())) == {("b", "a"), ("c", "b")}
    assert "consensus" in set(m.index)


def test_descending_ranks_and_consensus_match_scipy_rankdata():
    rng = np.random.default_rng(0)
    for v in (rng.random(500), rng.integers(0, 7, 500).astype(np.float32), np.zeros(5), np.array([2.0])):
        np.testing.assert_array_equal(descending_ranks(v), rankdata(-v))
    mats = [rng.integers(0, 4, (9, 9)).astype(float), rng.random((9, 9)).astype(np.float32), rng.random((9, 9))]
    off = ~np.eye(9, dtype=bool)
    reference = np.zeros((9, 9))
    reference[off] = 1.0 - np.mean([rankdata(-M[off]) for M in mats], axis=0) / off.sum()
    np.testing.assert_allclose(consensus_scores(mats), reference, rtol=0, atol=1e-15)


def test_consensus_is_mean_rank():
    A = np.array([[0, 3, 1], [2, 0, 0], [0, 0, 0]], float)
    C = consensus_scores([A, A])
    off = ~np.eye(3, dtype=bool)
    assert np.argmax(C[off]) == np.argmax(A[off])
    assert np.all(np.diag(C) == 0)


@pytest.mark.parametrize("writer,reader", [(write_beeline_ranked, read_edges), (write_graphml, read_graphml)])
def test_writers_keep_direction(tmp_path, writer, reader):
    path = tmp_path / "net"
    writer(path, PERFECT)
    back = reader(path)
    assert list(zip(back.regulator, back.target)) == [("a", "b"), ("b", "c"), ("c", "a")]
    np.testing.assert_allclose(back.score, [3, 2, 1])


def test_sif_lines(tmp_path):
    write_sif(tmp_path / "n.sif", PERFECT)
    assert (tmp_path / "n.sif").read_text().splitlines()[0] == "a\tregulates\tb"


SIGNED = pd.DataFrame({"regulator": ["a", "b", "c"], "target": ["b", "c", "a"], "score": [3.0, 2.0, 1.0],
                       "sign": [1, -1, 0], "sign_agreement": [0.9, 0.75, 0.0], "lag": [1, 3, 2]})


def test_exports_carry_sign_and_lag(tmp_path):
    """A known activator a -> b and repressor b -> c keep their signs in SIF, GraphML and BEELINE exports."""
    write_sif(tmp_path / "n.sif", SIGNED)
    assert (tmp_path / "n.sif").read_text().splitlines() == [
        "a\tactivates\tb", "b\trepresses\tc", "c\tregulates\ta"]
    write_graphml(tmp_path / "n.graphml", SIGNED)
    back = read_graphml(tmp_path / "n.graphml")
    assert list(back["sign"]) == [1, -1, 0] and list(back["lag"]) == [1, 3, 2]
    np.testing.assert_allclose(back["sign_agreement"], [0.9, 0.75, 0.0])
    write_beeline_ranked(tmp_path / "rankedEdges.csv", SIGNED)
    table = pd.read_csv(tmp_path / "rankedEdges.csv", sep="\t")
    assert list(table.columns) == ["Gene1", "Gene2", "EdgeWeight", "Sign"] and list(table["Sign"]) == [1, -1, 0]
    assert list(read_edges(tmp_path / "rankedEdges.csv")["regulator"]) == ["a", "b", "c"]  # still reads as edges


@pytest.mark.parametrize("content", [
    "regulatoryGene,targetGene,weight\na,b,0.9\nb,a,0.1\n",  # GENIE3 R getLinkList
    "TF\ttarget\timportance\na\tb\t0.9\nb\ta\t0.1\n",  # arboreto / pySCENIC
    "Gene1\tGene2\tEdgeWeight\na\tb\t0.9\nb\ta\t0.1\n",  # BEELINE rankedEdges
    "source,target,weight\na,b,0.9\nb,a,0.1\n",  # decoupler
    "a\tb\t0.9\nb\ta\t0.1\n",  # GENIE3 python / TIGRESS / DREAM predictions, headerless
])
def test_result_formats_read_with_direction(tmp_path, content):
    f = tmp_path / "res.txt"
    f.write_text(content)
    e = read_edges(f)
    assert list(zip(e.regulator, e.target, e.score)) == [("a", "b", 0.9), ("b", "a", 0.1)]


def test_compare_cli_writes_tables_plots_and_reports_case_mismatch(tmp_path, caplog):
    data = tmp_path / "d.csv"
    rng = np.random.default_rng(0)
    pd.DataFrame({"time": range(6), "a": rng.random(6), "b": rng.random(6), "c": rng.random(6)}).to_csv(data, index=False)
    ref = tmp_path / "ref.tsv"
    ref.write_text("regulator\ttarget\na\tb\nb\tc\n")
    paths = {}
    for name, e in {"perfect": PERFECT, "half": HALF}.items():
        paths[name] = tmp_path / f"{name}.tsv"
        e.to_csv(paths[name], sep="\t", index=False)
    upper = tmp_path / "upper.tsv"
    upper.write_text("regulator\ttarget\tscore\nA\tb\t1\n")
    out = tmp_path / "cmp" / "table"
    # a method whose names differ from the data's only by case would be scored as chance and enter the
    # consensus: it stops the comparison, naming the file and the names, and nothing is written
    assert main(["compare", f"perfect={paths['perfect']}", f"half={paths['half']}", f"upper={upper}",
                 "--reference", str(ref), "--genes-from", str(data), "--consensus", "-o", str(out)]) != 0
    assert "upper.tsv: 1 gene name(s) differ from the data's only by case" in caplog.text and "'A': 'a'" in caplog.text
    assert not out.parent.exists()
    assert main(["compare", f"perfect={paths['perfect']}", f"half={paths['half']}",
                 "--reference", str(ref), "--genes-from", str(data), "--consensus", "--plot", str(tmp_path / "plots"),
                 "-o", str(out)]) == 0
    t = pd.read_csv(out.with_suffix(".tsv"), sep="\t").set_index("method")
    assert t.loc["perfect", "auroc"] == 1.0
    assert "consensus" in t.index
    assert (tmp_path / "plots" / "roc.png").stat().st_size > 1000
    assert (tmp_path / "plots" / "pr.png").exists()
    assert out.with_suffix(".md").read_text().startswith("## Methods")


def test_baseline_and_convert_cli(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    X[:, 1] = 2 * X[:, 0] + 0.05 * rng.normal(size=60)
    data = tmp_path / "d.csv"
    pd.DataFrame({"time": range(60), "a": X[:, 0], "b": X[:, 1], "c": X[:, 2]}).to_csv(data, index=False)
    tfs = tmp_path / "tfs.txt"
    tfs.write_text("a\nc\n")
    out = tmp_path / "genie3.tsv"
    assert main(["baseline", "genie3", str(data), "--regulators", str(tfs), "--n-trees", "50", "-o", str(out)]) == 0
    e = read_edges(out).set_index(["regulator", "target"])["score"]
    assert e[("a", "b")] > 3 * e[("c", "b")]
    assert set(e[e > 0].index.get_level_values("regulator")) <= {"a", "c"}
    assert main(["convert", str(out), "--to", "beeline", "--top", "2", "-o", str(tmp_path / "rankedEdges.csv")]) == 0
    lines = (tmp_path / "rankedEdges.csv").read_text().splitlines()
    assert len(lines) == 3 and lines[0] == "Gene1\tGene2\tEdgeWeight" and lines[1].startswith("a\t")
    bad = tmp_path / "none.txt"
    bad.write_text("x\ny\n")
    assert main(["baseline", "tigress", str(data), "--regulators", str(bad), "-o", str(tmp_path / "t.tsv")]) == 2
    assert not (tmp_path / "t.tsv").exists()
