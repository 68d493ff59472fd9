"""Preprocessing: normalization decisions, gene selection, pseudotime ordering, binning."""
import numpy as np
import pytest

from grngc import simulate
from grngc.io.preprocess import PreprocessConfig, bin_along_time, data_kind, preprocess
from grngc.timecourse import InputError


@pytest.fixture(scope="module")
def cells():
    return simulate.grn_cells(p=8, n_cells=200, n_trajectories=10, seed=1)


def test_data_kind():
    assert data_kind(np.array([[0, 3], [5, 1]], float)) == "counts"
    assert data_kind(np.log1p(np.array([[0, 3.5], [5, 1]]))) == "log"
    assert data_kind(np.array([[-1.0, 2.0]])) == "other"


def test_counts_are_normalized_like_scanpy(cells):
    import scanpy as sc

    adata, _ = cells
    out, record, _ = preprocess(adata, PreprocessConfig(root="stage=early"), "cells")
    ref = adata.copy()
    sc.pp.normalize_total(ref, target_sum=1e4)
    sc.pp.log1p(ref)
    np.testing.assert_allclose(np.asarray(out.X), np.asarray(ref[out.obs_names, out.var_names].X), rtol=1e-5)
    assert "normalize_total" in record["normalization"]


def test_log_data_left_alone_in_auto_and_warned_in_always(tiny_adata, caplog):
    a = tiny_adata.copy()
    a.X = np.abs(np.asarray(a.X)) + 0.1  # non-integer, small: looks log-transformed
    out, record, _ = preprocess(a, PreprocessConfig(), "x")
    np.testing.assert_allclose(np.asarray(out.X), np.asarray(a[out.obs_names].X), rtol=1e-6)
    assert record["normalization"].startswith("none")
    preprocess(a, PreprocessConfig(normalize="always"), "x")
    assert "already log-transformed" in caplog.text


def test_negative_values_with_normalize_always_stop(tiny_adata):
    with pytest.raises(InputError, match="negative"):
        preprocess(tiny_adata, PreprocessConfig(normalize="always"), "x.h5ad")


def test_dpt_orders_cells_along_true_time(cells):
    from scipy.stats import spearmanr

    adata, _ = cells
    out, record, qc = preprocess(adata, PreprocessConfig(root="stage=early"), "cells")
    assert "diffusion pseudotime" in record["time"]
    true_time = adata.obs.loc[out.obs_names, "sim_time"].to_numpy()
    assert spearmanr(out.obs["time"], true_time)[0] > 0.5
    assert np.all(np.diff(out.obs["time"].to_numpy()) >= 0)  # rows ordered by pseudotime
    assert qc["embedding"].shape == (out.n_obs, 2)


def test_missing_root_names_the_fix(cells):
    adata, _ = cells
    with pytest.raises(InputError, match="pseudotime_root"):
        preprocess(adata, PreprocessConfig(), "cells.h5ad")
    with pytest.raises(InputError, match="no cell has"):
        preprocess(adata, PreprocessConfig(root="stage=nope"), "cells.h5ad")


def test_gene_selection(cells):
    adata, _ = cells
    out, _, _ = preprocess(adata, PreprocessConfig(root="stage=early", genes="hvg", max_genes=4), "c")
    assert out.n_vars == 4
    out, _, _ = preprocess(adata, PreprocessConfig(root="stage=early", genes="tfs_targets", tfs=["g3", "zz"],
                                                   max_genes=3), "c")
    assert out.var_names[0] == "g3" and out.n_vars == 3 and out.var["is_tf"].tolist() == [True, False, False]
    with pytest.raises(InputError, match="none of the"):
        preprocess(adata, PreprocessConfig(root="stage=early", genes="tfs_targets", tfs=["zz"]), "c")


def test_binning_averages_within_series():
    X = np.arange(12, dtype=float).reshape(6, 2)
    Xb, tb, sb = bin_along_time(X, np.arange(6.0), np.array(["a"] * 4 + ["b"] * 2), 2)
    np.testing.assert_allclose(Xb, [[1, 2], [5, 6], [8, 9], [10, 11]])
    assert sb.tolist() == ["a", "a", "b", "b"] and tb.tolist() == [0.5, 2.5, 4.0, 5.0]


def test_dpt_on_more_cells_than_scanpys_exact_neighbour_cutoff():
    """Above 8,192 cells scanpy's default neighbours (pynndescent) failed with scipy's sparse arrays; the
    pseudotime of 9,000 cells still orders them along the true time."""
    from scipy.stats import spearmanr

    adata, _ = simulate.grn_cells(p=8, n_cells=9000, n_trajectories=30, seed=3)
    out, record, _ = preprocess(adata, PreprocessConfig(root="stage=early"), "many cells")
    assert out.n_obs == 9000 and "diffusion pseudotime" in record["time"]
    assert spearmanr(out.obs["time"], adata.obs.loc[out.obs_names, "sim_time"])[0] > 0.5


def test_velocity_layers_follow_the_cells_and_genes_normalized_as_x():
    from grngc.io.expression import timecourse_from_anndata

    adata, _ = simulate.differentiation_cells(p=12, n_cells=300, velocity=True, seed=4)
    out, record, _ = preprocess(adata, PreprocessConfig(root="stage=early", genes="hvg", max_genes=8, n_pcs=5),
                                "velocity cells")
    assert record["velocity_layers"] == ["spliced", "unspliced"]
    raw = adata[out.obs_names, out.var_names]
    factor = 1e4 / np.asarray(adata[out.obs_names].X.sum(axis=1)).reshape(-1, 1)  # X = spliced + unspliced
    for layer in ("spliced", "unspliced"):  # the same cells and genes as X, scaled as X is, log1p
        np.testing.assert_allclose(out.layers[layer], np.log1p(np.asarray(raw.layers[layer]) * factor), rtol=1e-5)
    tc = timecourse_from_anndata(out, "time", None, None)
    assert tc.velocity is not None and tc.velocity[0].shape == (out.n_obs, 8)
    binned, record, _ = preprocess(adata, PreprocessConfig(root="stage=early", n_bins=10, n_pcs=5), "velocity cells")
    assert binned.layers["unspliced"].shape == binned.X.shape == (10, 12)
    plain, record, _ = preprocess(simulate.differentiation_cells(p=12, n_cells=300, seed=4)[0],
                                  PreprocessConfig(root="stage=early", n_pcs=5), "plain cells")
    assert not plain.layers and "velocity_layers" not in record


@pytest.mark.parametrize("pseudotime", ["obs", "dpt"])
def test_a_sparse_atlas_stays_sparse_through_preprocessing_and_matches_the_dense_result(pseudotime, tmp_path):
    import scipy.sparse as sp

    from grngc.report.plots import plot_qc

    dense, _ = simulate.differentiation_cells(p=12, n_cells=300, velocity=True, seed=4)
    if pseudotime == "obs":
        dense.obs["time"] = np.random.default_rng(0).random(dense.n_obs)
    atlas = dense.copy()
    atlas.X = sp.csr_matrix(atlas.X)
    for k in ("spliced", "unspliced"):
        atlas.layers[k] = sp.csr_matrix(atlas.layers[k])
    cfg = PreprocessConfig(root="stage=early", genes="hvg", max_genes=8, n_pcs=5, pseudotime=pseudotime)
    out_dense, rec_dense, _ = preprocess(dense, cfg, "dense")
    out, rec, qc = preprocess(atlas, cfg, "sparse")
    assert sp.issparse(out.X) and all(sp.issparse(v) for v in out.layers.values())  # no cells x genes dense copy
    assert list(out.var_names) == list(out_dense.var_names) and rec["normalization"] == rec_dense["normalization"]
    if pseudotime == "obs":  # the same cells in the same order, the same values
        assert list(out.obs_names) == list(out_dense.obs_names)
        np.testing.assert_allclose(out.X.toarray(), out_dense.X, rtol=1e-6)
        for k in ("spliced", "unspliced"):
            np.testing.assert_allclose(out.layers[k].toarray(), out_dense.layers[k], rtol=1e-6)
    else:  # PCA on sparse data: the same pseudotime to rounding
        t_dense = out_dense.obs["time"].reindex(out.obs_names).to_numpy()
        np.testing.assert_allclose(out.obs["time"].to_numpy(), t_dense, atol=1e-5)
    plot_qc(out, qc, tmp_path / "qc.png", title="sparse")
    assert (tmp_path / "qc.png").stat().st_size > 10_000
