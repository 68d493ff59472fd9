import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from grngc.evaluate.metrics import early_precision, evaluate_edges, evaluate_scores


def test_against_sklearn_self_loops_excluded():
    rng = np.random.default_rng(3)
    S = rng.random((6, 6))
    T = (rng.random((6, 6)) < 0.3).astype(int)
    T[0, 1] = 1
    np.fill_diagonal(S, 100.0)  # a huge diagonal must not matter
    m = evaluate_scores(S, T)
    off = ~np.eye(6, dtype=bool)
    assert m["auroc"] == pytest.approx(roc_auc_score(T[off], S[off]))
    assert m["auprc"] == pytest.approx(average_precision_score(T[off], S[off]))
    assert m["n_candidates"] == 30
    assert m["random_auprc"] == pytest.approx(T[off].sum() / 30)


def test_early_precision_includes_ties_at_the_cut():
    y = np.array([1, 1, 0, 0, 0, 0])
    s = np.array([0.9, 0.5, 0.5, 0.5, 0.1, 0.0])
    # k = 2 true edges; 2nd-highest score 0.5 is tied with two negatives: top = 4 pairs, 2 true
    assert early_precision(y, s) == pytest.approx(0.5)


def test_evaluate_edges_missing_pairs_score_zero_and_epr():
    genes = ["a", "b", "c"]
    ref = pd.DataFrame({"regulator": ["a", "b"], "target": ["b", "c"]})
    edges = pd.DataFrame({"regulator": ["a", "b", "x"], "target": ["b", "c", "a"], "score": [3.0, 2.0, 9.0]})
    m = evaluate_edges(edges, ref, genes)
    assert m["auroc"] == 1.0 and m["auprc"] == 1.0
    assert m["epr"] == pytest.approx(1.0 / (2 / 6))
    assert m["predicted_pairs_outside_genes"] == 1


def test_reference_without_known_genes_stops_not_half():
    """No reference edge joins two genes of the data: a naming problem, stopped with the fix, never an
    AUROC of 0.5 or null. A reference with some edges inside still scores (undefined only without negatives)."""
    from grngc.timecourse import InputError

    ref = pd.DataFrame({"regulator": ["x"], "target": ["y"]})
    edges = pd.DataFrame({"regulator": ["a"], "target": ["b"], "score": [1.0]})
    with pytest.raises(InputError, match="none of its 1 edges joins two genes of the data"):
        evaluate_edges(edges, ref, ["a", "b"])
    m = evaluate_edges(edges, pd.DataFrame({"regulator": ["a", "x"], "target": ["b", "y"]}), ["a", "b"])
    assert m["reference_edges_outside_genes"] == 1
