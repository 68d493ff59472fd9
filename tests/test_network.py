"""Thresholds, annotation against a reference, and metrics at the threshold (grngc/evaluate/threshold.py)."""
import numpy as np
import pandas as pd
import pytest

from grngc.evaluate.threshold import annotate, evaluate_network, knee_index, threshold
from grngc.timecourse import InputError


def _edges(scores):
    return pd.DataFrame({"regulator": [f"r{k}" for k in range(len(scores))],
                         "target": [f"t{k}" for k in range(len(scores))], "score": scores})


def test_knee_of_a_sharp_drop():
    s = np.array([10, 9, 8.5, 1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    assert knee_index(s) == 3  # the cut sits at the drop: 10, 9, 8.5 kept
    assert len(threshold(_edges(s), "knee")) in (3, 4)


def test_threshold_methods_and_ties():
    e = _edges([5, 4, 4, 3, 1])
    assert len(threshold(e, "top_k", 2)) == 3  # tie at the cut included
    assert len(threshold(e, "score", 3.5)) == 3
    assert len(threshold(e, "quantile", 0.5)) == 3
    with pytest.raises(InputError, match="needs a value"):
        threshold(e, "top_k")


def test_knee_from_runs_sets_the_edge_count():
    agg = _edges(np.linspace(1, 0, 10))  # evenly spaced ranks: no knee of their own
    run = _edges([10, 9, 1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3])
    assert len(threshold(agg, "knee", knee_from=[run, run])) == knee_index(run["score"].to_numpy())


def test_annotate_direction_distance_and_tf():
    ref = pd.DataFrame({"regulator": ["a", "b"], "target": ["b", "c"]})
    net = pd.DataFrame({"regulator": ["a", "b", "a", "c"], "target": ["b", "a", "c", "a"], "score": [4, 3, 2, 1]})
    out = annotate(net, ref).set_index(["regulator", "target"])
    assert out.loc[("a", "b"), "in_reference"] and not out.loc[("b", "a"), "in_reference"]
    assert out.loc[("b", "a"), "reversed_in_reference"]
    assert out.loc[("a", "c"), "reference_distance"] == 2
    assert pd.isna(out.loc[("c", "a"), "reference_distance"])
    assert out["regulator_is_tf"].tolist() == [True, True, True, False]


def test_metrics_at_threshold_against_hand_count():
    genes = ["a", "b", "c"]
    ref = pd.DataFrame({"regulator": ["a", "b"], "target": ["b", "c"]})
    edges = pd.DataFrame({"regulator": ["a", "b", "a", "c", "b", "c"], "target": ["b", "c", "c", "a", "a", "b"],
                          "score": [6, 5, 4, 3, 2, 1]})
    net = edges.head(3)
    m = evaluate_network(edges, net, ref, genes)
    assert m["auroc"] == 1.0 and m["threshold_true_positives"] == 2
    assert m["precision"] == pytest.approx(2 / 3) and m["recall"] == 1.0 and m["f1"] == pytest.approx(0.8)


def test_partial_reference_counts_only_listed_tfs():
    genes = ["a", "b", "c", "d"]
    ref = pd.DataFrame({"regulator": ["a"], "target": ["b"]})  # a TF-target list naming only TF a
    edges = pd.DataFrame({"regulator": ["c", "a", "a", "a"], "target": ["d", "b", "c", "d"], "score": [9, 5, 1, 0.5]})
    m = evaluate_network(edges, edges.head(2), ref, genes, kind="partial")
    assert m["n_candidates"] == 3  # a -> b, a -> c, a -> d; c -> d is not judged
    assert m["auroc"] == 1.0 and "partial reference" in m["note"] and "lower bounds" in m["note"]


def test_reference_without_data_genes_stops_not_half():
    from grngc.timecourse import InputError

    ref = pd.DataFrame({"regulator": ["x"], "target": ["y"]})
    edges = pd.DataFrame({"regulator": ["a"], "target": ["b"], "score": [1.0]})
    with pytest.raises(InputError, match="none of its 1 edges joins two genes"):
        evaluate_network(edges, edges, ref, ["a", "b"], kind="partial")
