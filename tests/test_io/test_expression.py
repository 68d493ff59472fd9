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
