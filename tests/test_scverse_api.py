"""The scanpy-style API: grngc.tl / grngc.get / grngc.pl, and the end-to-end example in docs/."""
import runpy
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import grngc  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def test_public_api_is_listed_and_documented():
    assert {"tl", "get", "pl", "infer", "infer_anndata", "GRNGCConfig"} <= set(dir(grngc))
    doc = grngc.tl.infer.__doc__
    assert "Parameters" in doc and "time_key" in doc and "Returns" in doc
    for f in (grngc.get.edges, grngc.tl.threshold, grngc.tl.evaluate, grngc.tl.genie3, grngc.tl.tigress,
              grngc.pl.heatmap, grngc.pl.network, grngc.pl.loss, grngc.pl.roc, grngc.pl.pr, grngc.pl.interactive):
        assert f.__doc__, f


def test_tl_get_pl_on_an_anndata(tiny_adata, fast_settings):
    adata = tiny_adata
    grngc.tl.infer(adata, **{**fast_settings, "model": "linear"})
    edges = grngc.get.edges(adata)
    assert list(edges.columns) == ["regulator", "target", "score", "sign", "sign_agreement", "lag"] and len(edges) == 6
    assert set(edges["sign"]) <= {-1, 0, 1} and adata.varp["grngc_sign"].shape == (3, 3)
    assert tuple(edges.iloc[0][["regulator", "target"]]) in {("a", "b"), ("b", "c")}  # regulator -> target
    assert set(grngc.get.edges(adata, regulators=["a"])["regulator"]) == {"a"}
    assert len(grngc.get.edges(adata, top=2)) == 2
    ref = pd.DataFrame({"regulator": ["a", "b"], "target": ["b", "c"]})
    m = grngc.tl.evaluate(adata, ref)
    assert m["auroc"] == pytest.approx(grngc.tl.evaluate(edges, ref, genes=["a", "b", "c"])["auroc"])
    signed = grngc.tl.evaluate(adata, ref.assign(sign=[1, 1]))  # a signed reference: sign accuracy, both ways
    assert {"sign_accuracy", "sign_accuracy_correlation"} <= set(signed)
    net = grngc.tl.threshold(adata, "top_k", 2)
    assert len(net) == 2
    grngc.tl.genie3(adata, n_trees=20)
    assert adata.varp["genie3"].shape == (3, 3)
    fig, ax = plt.subplots(1, 4)
    assert grngc.pl.heatmap(adata, truth=ref, ax=ax[0]) is ax[0]
    assert grngc.pl.network(net, ax=ax[1]) is ax[1]
    assert grngc.pl.roc(adata, ref, ax=ax[2]) is ax[2] and len(ax[2].lines) == 2
    assert grngc.pl.pr(adata, ref, ax=ax[3], key="genie3") is ax[3]
    axes = grngc.pl.loss(adata)
    assert len(axes) == 2 and len(axes[0].lines) >= 1
    plt.close("all")
    with pytest.raises(grngc.InputError, match="run grngc.tl.infer"):
        grngc.get.edges(adata, key="missing")


def test_the_documented_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["example.py", str(tmp_path / "example.png")])
    runpy.run_path(str(ROOT / "docs" / "example.py"), run_name="__main__")
    assert (tmp_path / "example.png").stat().st_size > 10_000
