"""Readers on small hand-written files in each format, including series boundaries."""
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from grngc.io import detect_format, read_expression
from grngc.timecourse import InputError


def test_dream_timeseries_blocks_become_series(tmp_path):
    f = tmp_path / "ts.tsv"
    f.write_text('"Time"\t"G1"\t"G2"\n\n0.0\t1\t2\n10.0\t3\t4\n20.0\t5\t6\n\n0.0\t7\t8\n10.0\t9\t10\n20.0\t11\t12\n')
    assert detect_format(f) == "dream"
    tc = read_expression(f)
    assert tc.genes == ["G1", "G2"]
    assert [s for s, _ in tc.series_slices()] == ["0", "1"]
    assert tc.X[:, 0].tolist() == [1, 3, 5, 7, 9, 11]
    assert tc.time.tolist() == [0, 10, 20, 0, 10, 20]


def test_table_with_series_and_unsorted_rows(tmp_path):
    f = tmp_path / "t.csv"
    pd.DataFrame({"series": ["A", "A", "B", "A", "B"], "time": [2, 0, 1, 1, 0],
                  "g1": [2.0, 0.0, 11.0, 1.0, 10.0], "g2": [1, 2, 3, 4, 5]}).to_csv(f, index=False)
    tc = read_expression(f)
    assert detect_format(f) == "table"
    assert tc.genes == ["g1", "g2"]
    assert tc.series.tolist() == ["A", "A", "A", "B", "B"]
    assert tc.X[:, 0].tolist() == [0.0, 1.0, 2.0, 10.0, 11.0]


def test_tsv_table_without_series_is_one_series(tmp_path):
    f = tmp_path / "t.tsv"
    f.write_text("Time\tx\ty\n1\t1\t5\n0\t2\t6\n2\t3\t8\n")
    tc = read_expression(f, time_key="time")  # case-insensitive column match
    assert tc.X[:, 0].tolist() == [2, 1, 3]
    assert len(tc.series_slices()) == 1


def test_table_non_numeric_gene_column_named(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("time,g1,g2\n0,1,a\n1,2,b\n")
    with pytest.raises(InputError, match=r"t.csv.*\['g2'\].*not numeric"):
        read_expression(f)


def test_beeline_lineages_are_series_and_na_cells_left_out(tmp_path):
    expr = pd.DataFrame({"c1": [1.0, 2], "c2": [3.0, 4], "c3": [5.0, 6], "c4": [7.0, 8]}, index=["gA", "gB"])
    expr.to_csv(tmp_path / "ExpressionData.csv")
    pd.DataFrame({"PseudoTime1": [0.1, 0.3, None, 0.2], "PseudoTime2": [None, 0.5, 0.1, None]},
                 index=["c1", "c2", "c3", "c4"]).to_csv(tmp_path / "PseudoTime.csv")
    assert detect_format(tmp_path) == "beeline"
    tc = read_expression(tmp_path)
    assert tc.genes == ["gA", "gB"]
    slices = dict(tc.series_slices())
    assert tc.X[slices["PseudoTime1"], 0].tolist() == [1.0, 7.0, 3.0]  # c1, c4, c2 by pseudotime
    assert tc.X[slices["PseudoTime2"], 0].tolist() == [5.0, 3.0]  # c3, c2; c2 lies on both lineages


@pytest.mark.parametrize("sparse", [False, True])
def test_h5ad_dense_sparse_layer_and_keys(tmp_path, sparse):
    import anndata as ad

    X = np.arange(12, dtype=np.float32).reshape(6, 2)
    obs = pd.DataFrame({"pt": [0.5, 0.1, 0.3, 0.2, 0.0, 0.4], "rep": list("aaabbb")}, index=[f"c{i}" for i in range(6)])
    a = ad.AnnData(sp.csr_matrix(X) if sparse else X, obs=obs, var=pd.DataFrame(index=["u", "v"]))
    a.layers["raw"] = X * 10
    f = tmp_path / "d.h5ad"
    a.write_h5ad(f)
    tc = read_expression(f, time_key="pt", series_key="rep")
    assert tc.series.tolist() == list("aaabbb")
    assert tc.X[:, 0].tolist() == [2.0, 4.0, 0.0, 8.0, 6.0, 10.0]
    tc_raw = read_expression(f, time_key="pt", series_key="rep", layer="raw")
    np.testing.assert_allclose(tc_raw.X, tc.X * 10)
    with pytest.raises(InputError, match=r"obs has no time column 'time'.*--time-key"):
        read_expression(f)


@pytest.mark.parametrize("name,content,message", [
    ("empty.tsv", "", "empty"),
    ("nan.csv", "time,g1,g2\n0,1,2\n1,,3\n", r"nan.csv.*non-finite.*'g1'"),
    ("dup.tsv", '"Time"\t"G1"\t"G1"\n0\t1\t2\n1\t2\t3\n', "duplicated gene names"),
    ("x.h5ad", "not hdf5", "not a readable .h5ad"),
])
def test_bad_inputs_get_named_errors(tmp_path, name, content, message):
    f = tmp_path / name
    f.write_text(content)
    with pytest.raises(InputError, match=message):
        read_expression(f)


def _simulated(tmp_path, **obs):
    from grngc.simulate import grn, to_anndata

    tc, _ = grn(p=6, n_series=3, T=11, seed=3)
    adata = to_anndata(tc)
    for k, v in obs.items():
        adata.obs[k] = v
    return adata


def test_missing_series_labels_stop_naming_the_samples(tmp_path):
    """NaN series labels were pooled into a made-up series of their own ("in 5 series")."""
    adata = _simulated(tmp_path)
    adata.obs["series"] = adata.obs["series"].astype(object)
    adata.obs.iloc[[2, 7], adata.obs.columns.get_loc("series")] = np.nan
    f = tmp_path / "s.h5ad"
    adata.write_h5ad(f)
    with pytest.raises(InputError, match=r"obs\['series'\] is missing for 2 sample\(s\)"):
        read_expression(f)
    t = tmp_path / "s.csv"
    df = pd.DataFrame({"time": [0, 1, 2, 0], "series": ["a", "a", None, "b"], "g1": [1.0, 2, 3, 4], "g2": [1.0, 0, 1, 0]})
    df.to_csv(t, index=False)
    with pytest.raises(InputError, match="column 'series' is missing for 1 sample"):
        read_expression(t)


def test_a_counts_layer_with_negative_values_stops(tmp_path):
    adata = _simulated(tmp_path)
    adata.layers["counts"] = adata.X - 1.0  # z-scores or residuals stored under the name "counts"
    f = tmp_path / "s.h5ad"
    adata.write_h5ad(f)
    with pytest.raises(InputError, match="layer 'counts' is named as counts but holds negative values"):
        read_expression(f, layer="counts")
    from grngc.io.expression import load_anndata

    with pytest.raises(InputError, match="negative values"):
        load_anndata(f, layer="counts")


def test_a_key_that_differs_in_case_gets_did_you_mean(tmp_path):
    adata = _simulated(tmp_path)
    adata.obs["Time"] = adata.obs.pop("time")
    f = tmp_path / "s.h5ad"
    adata.write_h5ad(f)
    with pytest.raises(InputError, match="did you mean 'Time'"):
        read_expression(f, time_key="time")


def test_a_transposed_cell_matrix_stops_and_many_genes_warn(tmp_path, caplog):
    """Cells as variables (500 'genes' named cell0..., 20 'samples' named like genes) stop with the fix; a
    plain wide matrix (25 genes per sample) only warns."""
    import anndata as ad

    from grngc.io.expression import check_orientation
    from grngc.io.preprocess import PreprocessConfig, preprocess

    rng = np.random.default_rng(0)
    cells = ad.AnnData(rng.poisson(2.0, (20, 500)).astype(np.float32),
                       obs=pd.DataFrame({"time": np.arange(20.0)}, index=[f"Sox{k}" for k in range(20)]),
                       var=pd.DataFrame(index=[f"cell{k}" for k in range(500)]))
    with pytest.raises(InputError, match="is the matrix transposed"):
        check_orientation(20, 500, list(cells.obs_names), list(cells.var_names), "x.h5ad")
    with pytest.raises(InputError, match="is the matrix transposed"):
        preprocess(cells, PreprocessConfig(root="cell:cell3"), source="x.h5ad")
    f = tmp_path / "t.h5ad"
    cells.write_h5ad(f)
    with pytest.raises(InputError, match="is the matrix transposed"):
        read_expression(f)
    with caplog.at_level("WARNING", logger="grngc"):
        check_orientation(4, 100, [f"s{k}" for k in range(4)], [f"G{k}" for k in range(100)], "wide.csv")
    assert "25 genes per sample" in caplog.text


def test_missing_series_labels_stop_preprocessing_too():
    from grngc.io.preprocess import PreprocessConfig, preprocess

    adata = _simulated(None)
    adata.obs["series"] = adata.obs["series"].astype(object)
    adata.obs.iloc[[0], adata.obs.columns.get_loc("series")] = None
    with pytest.raises(InputError, match=r"obs\['series'\] is missing for 1 sample"):
        preprocess(adata, PreprocessConfig(), source="s.h5ad")
