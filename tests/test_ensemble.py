"""Aggregating seeds by mean rank and their top-k stability."""
import numpy as np
import pandas as pd
from scipy.stats import rankdata

from grngc.ensemble import aggregate_runs
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
