"""Aggregating seeds by mean rank and their top-k stability."""
import numpy as np
import pandas as pd
from scipy.stats import rankdata

from grngc.core.combine import aggregate_runs
from grngc.io.network import scores_to_edges


def test_mean_rank_against_numpy_and_stability():
    rng = np.random.default_rng(0)
    genes = ["a", "b", "c", "d"]
    A, B = rng.random((4, 4)), rng.random((4, 4))
    scores, stab = aggregate_runs({"s0": scores_to_edges(A, genes), "s1": scores_to_edges(B, genes)}, genes, top_k=3)
    off = ~np.eye(4, dtype=bool)
    expected = 1 - (rankdata(-A[off]) + rankdata(-B[off])) / 2 / off.sum()
    np.testing.assert_allclose(scores[off], expected)
    assert list(stab.columns) == ["run_a", "run_b", "top_k", "jaccard"] and len(stab) == 1
    same, stab2 = aggregate_runs({"s0": scores_to_edges(A, genes), "s1": scores_to_edges(A * 3, genes)}, genes)
    assert stab2["jaccard"].iloc[0] == 1.0  # rescaled scores: the same network
    assert isinstance(stab2, pd.DataFrame)


def test_seed_aggregate_keeps_sign_and_lag(tmp_path):
    """`grngc aggregate` carries each edge's sign (agreement-weighted vote) and lag (most runs') from the seeds."""
    from grngc.cli import main
    from grngc.io import read_edges

    runs = {  # (sign, agreement, lag) of A -> B and B -> A in three seeds
        "s0": [("A", "B", 0.9, 1, 0.9, 3), ("B", "A", 0.1, -1, 0.8, 1)],
        "s1": [("A", "B", 0.8, -1, 0.6, 3), ("B", "A", 0.2, -1, 0.7, 2)],
        "s2": [("A", "B", 0.7, 1, 0.7, 1), ("B", "A", 0.3, 1, 0.55, 2)],
    }
    args = []
    for name, rows in runs.items():
        f = tmp_path / f"{name}.tsv"
        pd.DataFrame(rows, columns=["regulator", "target", "score", "sign", "sign_agreement", "lag"]).to_csv(
            f, sep="\t", index=False)
        args.append(f"{name}={f}")
    genes = tmp_path / "expression.tsv"  # the data whose genes define the candidate pairs
    pd.DataFrame({"time": [0, 1, 2], "A": [0.1, 0.5, 0.2], "B": [1.0, 0.3, 0.7]}).to_csv(genes, sep="\t", index=False)
    out = tmp_path / "agg.tsv"
    assert main(["aggregate", *args, "--genes-from", str(genes), "-o", str(out)]) == 0
    edges = read_edges(out).set_index(["regulator", "target"])
    ab, ba = edges.loc[("A", "B")], edges.loc[("B", "A")]
    # A -> B: vote 0.8 - 0.2 + 0.4 > 0; agreement with + is mean(0.9, 1 - 0.6, 0.7)
    assert ab["sign"] == 1 and np.isclose(ab["sign_agreement"], (0.9 + 0.4 + 0.7) / 3, atol=1e-4)
    assert ab["lag"] == 3  # two of three seeds
    # B -> A: vote -0.6 - 0.4 + 0.1 < 0
    assert ba["sign"] == -1 and np.isclose(ba["sign_agreement"], (0.8 + 0.7 + 0.45) / 3, atol=1e-4)
    assert ba["lag"] == 2
