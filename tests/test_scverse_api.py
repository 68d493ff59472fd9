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
    assert {"pp", "tl", "get", "pl", "infer", "infer_anndata", "GRNGCConfig"} <= set(dir(grngc))
    doc = grngc.tl.infer.__doc__
    assert "Parameters" in doc and "time_key" in doc and "Returns" in doc
    for f in (grngc.pp.preprocess, grngc.get.edges, grngc.tl.threshold, grngc.tl.evaluate, grngc.tl.genie3, grngc.tl.tigress,
              grngc.pl.heatmap, grngc.pl.network, grngc.pl.loss, grngc.pl.roc, grngc.pl.pr, grngc.pl.interactive):
        assert f.__doc__, f


def test_tl_get_pl_on_an_anndata(tiny_adata, fast_settings):
    adata = tiny_adata
    grngc.tl.infer(adata, **{**fast_settings, "model": "linear"})
    edges = grngc.get.edges(adata)
    assert list(edges.columns) == ["regulator", "target", "score", "sign", "sign_agreement", "lag", "direction"] and len(edges) == 6
    assert set(edges["direction"]) == {"time"}  # a lagged linear model: the past decided each direction
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
    fig, ax = plt.subplots(1, 2)  # scanpy's habits: the AnnData that tl filled, one ax
    assert grngc.pl.network(adata, ax=ax[0]) is ax[0] and len(ax[0].patches) >= 1  # arrows drawn
    assert grngc.pl.loss(adata, ax=ax[1]) is ax[1] and len(ax[1].lines) >= 1
    plt.close("all")
    with pytest.raises(grngc.InputError, match="run grngc.tl.infer"):
        grngc.get.edges(adata, key="missing")


def test_pp_preprocess_in_place_or_on_a_copy_as_scanpy():
    """grngc.pp.preprocess changes the AnnData it is given and returns None (copy=True: returns a new
    one, the input untouched); the result equals grngc.io.preprocess.preprocess's (the reference)."""
    from grngc.io.preprocess import PreprocessConfig, preprocess
    from grngc.simulate import differentiation_cells

    adata, _ = differentiation_cells(p=12, n_cells=300, seed=2)
    before = adata.copy()
    copied = grngc.pp.preprocess(adata, root="stage=early", copy=True)
    assert adata.shape == before.shape and np.array_equal(adata.X, before.X)  # untouched
    reference, _, _ = preprocess(before.copy(), PreprocessConfig(root="stage=early"))
    assert grngc.pp.preprocess(adata, root="stage=early") is None
    for result in (adata, copied):
        np.testing.assert_allclose(result.X, reference.X)
        assert list(result.obs_names) == list(reference.obs_names)
        assert result.obs["time"].is_monotonic_increasing and "grngc_preprocess" in result.uns
    with pytest.raises(grngc.InputError, match="unknown setting"):
        grngc.pp.preprocess(before, root="stage=early", max_gene=5)


def test_the_documented_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["example.py", str(tmp_path / "example.png")])
    runpy.run_path(str(ROOT / "docs" / "example.py"), run_name="__main__")
    assert (tmp_path / "example.png").stat().st_size > 10_000
