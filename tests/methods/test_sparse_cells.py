"""Atlas scale in the single-cell mode: a sparse X (and sparse spliced/unspliced layers) is read in blocks of
cells, never made dense, and gives the dense input's network; a regulator list shrinks the correlations
computed, not only the output."""
import anndata as ad
import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from grngc.core.api import infer_timecourse, make_config
from grngc.cli import main
from grngc.core import moments
from grngc.timecourse import TimeCourse


def _log_counts(n=300, p=25, seed=0):
    rng = np.random.default_rng(seed)
    driver = rng.gamma(2.0, 1.0, (n, 3))
    rates = 0.3 + driver @ rng.random((3, p))  # shared programmes: genes correlate
    X = np.log1p(rng.poisson(rates * rng.random((n, p)) * 0.8))
    return X, np.sort(rng.random(n))


def test_chunked_moments_and_correlations_match_numpy_on_sparse_input():
    X, _ = _log_counts()
    S = sparse.csr_matrix(X)
    mean, std = moments.column_moments(S, chunk=37)
    assert np.allclose(mean, X.mean(0)) and np.allclose(std, X.std(0))
    rows = np.array([4, 0, 11])
    C = moments.correlation_rows(S, rows, chunk=41, device="cpu")
    assert C.shape == (3, X.shape[1])
    assert np.allclose(C, np.corrcoef(X.T)[rows], atol=1e-12)


def test_sparse_input_gives_the_dense_inputs_network(tmp_path):
    X, t = _log_counts()
    X[:, 5] = 0.0  # a constant gene is dropped in both
    genes = [f"g{k:02d}" for k in range(X.shape[1])][::-1]  # not in name order
    X = X.astype(np.float32)  # as atlases are stored
    for name, values in (("dense", X), ("sparse", sparse.csr_matrix(X))):
        adata = ad.AnnData(values, obs=pd.DataFrame({"time": t}, index=[f"c{k}" for k in range(len(t))]),
                           var=pd.DataFrame(index=genes))
        adata.write_h5ad(tmp_path / f"{name}.h5ad")
        assert main(["infer", str(tmp_path / f"{name}.h5ad"), "-o", str(tmp_path / name), "--kind", "cells"]) == 0
    dense, sp_ = (np.load(tmp_path / k / "scores.npy") for k in ("dense", "sparse"))
    assert np.allclose(dense, sp_, rtol=1e-9, atol=1e-12) and dense.any()
    e_dense, e_sparse = (pd.read_csv(tmp_path / k / "edges.tsv", sep="\t") for k in ("dense", "sparse"))
    assert e_dense[["regulator", "target"]].head(40).equals(e_sparse[["regulator", "target"]].head(40))


def test_a_sparse_input_stays_sparse_until_the_mode_needs_it(monkeypatch):
    X, t = _log_counts(n=250, p=12)
    tc = TimeCourse(sparse.csr_matrix(X), [f"g{k}" for k in range(12)], t, np.zeros(len(t)))
    assert tc.is_sparse and tc.content_hash() == TimeCourse(X, tc.genes, t, np.zeros(len(t))).content_hash()
    densified = []
    real = TimeCourse.densified
    monkeypatch.setattr(TimeCourse, "densified", lambda self: densified.append(1) or real(self))
    infer_timecourse(tc, make_config(progress=False, kind="cells"))
    assert densified == []  # the single-cell mode read it in blocks
    infer_timecourse(tc, make_config(progress=False, model="ridge"))
    assert densified == [1]  # a time-course model needs the dense matrix


@pytest.mark.parametrize("regulators", [None, ["g01", "g07"]])
def test_a_regulator_list_shrinks_the_correlations_computed(monkeypatch, regulators):
    X, t = _log_counts(n=200, p=20)
    tc = TimeCourse(sparse.csr_matrix(X), [f"g{k:02d}" for k in range(20)], t, np.zeros(len(t)))
    shapes = []
    real = moments.correlation_rows
    monkeypatch.setattr(moments, "correlation_rows", lambda X, rows=None, **kw: shapes.append(len(rows)) or real(X, rows, **kw))
    res = infer_timecourse(tc, make_config(progress=False, kind="cells", regulators=regulators))
    assert shapes == [20 if regulators is None else 2]  # |R| x genes, not genes x genes
    if regulators:
        assert set(res.edges().query("score > 0")["regulator"]) <= set(regulators)


def test_detection_rates_count_the_cells_above_each_genes_lowest_value_dense_or_sparse():
    X, _ = _log_counts()
    X[:, 2] += 1.0  # a gene never at zero: its lowest value is 1, not 0
    n = len(X)
    X[:, 3] = np.linspace(5.0, 2.0, n)  # each block of 37 cells lower than the last: the lowest is the last cell
    X[:, 4] = X[:, 3]
    X[[5, 50, n - 1], 4] = 1.0  # the lowest value held by cells of three blocks
    expected = (X > X.min(0)).mean(0)
    assert 0.2 < expected[0] < 0.95  # the case has dropouts
    assert expected[3] == 1 - 1 / n and expected[4] == 1 - 3 / n and n > 3 * 37
    for values in (X, sparse.csr_matrix(X)):
        np.testing.assert_allclose(moments.detection_rates(values, chunk=37), expected)
        mean, std, detection = moments.column_statistics(values, chunk=37)  # one pass for all three
        np.testing.assert_allclose(mean, X.mean(0), rtol=1e-12)
        np.testing.assert_allclose(std, X.std(0), rtol=1e-12)
        np.testing.assert_array_equal(detection, expected)


def test_the_detection_weight_multiplies_each_pair_by_both_genes_rates():
    from grngc.cells import cell_mode_scores, detection_weighted

    S = np.arange(12.0).reshape(3, 4)[:, :3]
    d = np.array([1.0, 0.5, 0.25])
    np.testing.assert_allclose(detection_weighted(S.copy(), d, 2.0), S * np.outer(d, d) ** 2)
    X, t = _log_counts()
    tc = TimeCourse(X, [f"g{k}" for k in range(X.shape[1])], t, np.zeros(len(t), int), "case")
    alone = {"members": ("coexpression",), "spread_regulator_power": 0.0, "spread_target_power": 0.0}  # no spreads
    plain = cell_mode_scores(tc, settings={**alone, "detection_power": 0.0})["coexpression"]
    weighted = cell_mode_scores(tc, settings={**alone, "detection_power": 0.5})["coexpression"]
    rates = (X > X.min(0)).mean(0)
    np.testing.assert_allclose(weighted[0], plain[0] * np.sqrt(np.outer(rates, rates)))
    np.testing.assert_array_equal(weighted[1], plain[1])  # the signs are the ridge coefficients' own
    assert plain[1].dtype == np.int8 and set(np.unique(plain[1])) == {-1, 0, 1}
    gaussian = np.random.default_rng(1).normal(size=X.shape)  # no dropouts: one lowest cell per gene
    tc_full = TimeCourse(gaussian, tc.genes, t, tc.series, "no dropouts")
    full = [cell_mode_scores(tc_full, settings={**alone, "detection_power": b})["coexpression"][0]
            for b in (0.0, 1.0)]
    np.testing.assert_allclose(full[1], full[0] * ((len(t) - 1) / len(t)) ** 2)  # the same ranking


def test_the_spread_weight_multiplies_by_the_regulators_spread_and_divides_by_the_targets():
    from grngc.cells import cell_mode_scores, spread_weighted

    S = np.ones((3, 3)) - np.eye(3)
    sd = np.array([2.0, 1.0, 0.0])  # the third gene constant
    expected = np.array([[0, 2, 0], [0.5, 0, 0], [0, 0, 0]])  # sd_i / sd_j; a constant gene's pairs 0
    np.testing.assert_allclose(spread_weighted(S.copy(), sd, 1.0, 1.0), expected)
    np.testing.assert_allclose(spread_weighted(S.copy(), sd, 0.0, 2.0), [[0, 1, 0], [0.25, 0, 0], [0, 0, 0]])
    noise = np.array([2.0, 1.0, np.full(1000, 0.1).std()])  # a constant column's sd is float noise (1e-17)
    assert noise[2] > 0 and not spread_weighted(S.copy(), noise, 1.0, 1.0)[:, 2].any()
    sd4 = np.array([4.0, 2.0, 1.0, 0.5])  # the target's sd floored at the median of the four, 1.5
    floored = spread_weighted(np.ones((4, 4)), sd4, 0.0, 1.0, target_floor=0.5)
    np.testing.assert_allclose(floored[0], [1 / 4, 1 / 2, 1 / 1.5, 1 / 1.5])
    X, t = _log_counts()
    X[:, 3] *= 5.0  # a gene that spreads more: its rows rank higher, its column lower
    tc = TimeCourse(X, [f"g{k}" for k in range(X.shape[1])], t, np.zeros(len(t), int), "case")
    off = {"members": ("coexpression",), "detection_power": 0.0, "spread_regulator_power": 0.0,
           "spread_target_power": 0.0, "spread_target_floor": 0.0, "spread_fade": 0.0}
    plain = cell_mode_scores(tc, settings=off)["coexpression"]
    weighted = cell_mode_scores(tc, settings={**off, "spread_regulator_power": 0.5, "spread_target_power": 1.0}
                                )["coexpression"]
    sd = X.std(0)
    np.testing.assert_allclose(weighted[0], plain[0] * np.sqrt(sd)[:, None] / sd[None, :])
    assert weighted[0][3].sum() > plain[0][3].sum() and weighted[0][:, 3].sum() < plain[0][:, 3].sum()
    np.testing.assert_array_equal(weighted[1], plain[1])  # the signs are the ridge coefficients' own
    sparse_tc = TimeCourse(sparse.csr_matrix(X), tc.genes, t, tc.series, "case (sparse)")
    on_sparse = cell_mode_scores(sparse_tc, settings={**off, "spread_regulator_power": 0.5, "spread_target_power": 1.0})
    np.testing.assert_allclose(on_sparse["coexpression"][0], weighted[0], rtol=1e-9, atol=1e-12)


def _velocity_counts(n=300, p=14, seed=4):
    """Spliced and unspliced counts with dropouts (many zeros), gene 0 driving gene 1's unspliced RNA."""
    rng = np.random.default_rng(seed)
    level = rng.gamma(2.0, 1.0, (n, p))
    unspliced = rng.poisson(level * 0.5).astype(float)
    unspliced[:, 1] = rng.poisson(0.2 + 2.0 * level[:, 0])  # gene 1's production follows gene 0's level
    level[:, 1] = 0.5 * unspliced[:, 1] + rng.gamma(2.0, 1.0, n)  # and its spliced RNA its own production
    spliced = rng.poisson(level).astype(np.float32)
    return spliced, unspliced.astype(np.float32)


@pytest.mark.parametrize("regulators", [None, np.array([0, 1, 0, 1] + [0] * 10, bool)])
def test_velocity_in_blocks_matches_the_dense_direction(regulators):
    from grngc.cells import velocity_lead
    from grngc.cells.direction import velocity_lead_in_blocks

    s, u = (np.log1p(v.astype(float)) for v in _velocity_counts())
    dense = velocity_lead(s, u)
    for layers in ((s, u), (sparse.csr_matrix(s), sparse.csr_matrix(u))):
        blocks = velocity_lead_in_blocks(*layers, regulators, chunk=37, rows_per_block=3)
        if regulators is None:
            np.testing.assert_allclose(blocks, dense, atol=1e-12)
        else:  # the regulators' rows only; the others are not computed
            np.testing.assert_allclose(blocks[regulators], dense[regulators], atol=1e-12)
            assert not blocks[~regulators].any()
            rows = velocity_lead_in_blocks(*layers, regulators, chunk=37, rows_per_block=3, rows_only=True)
            np.testing.assert_array_equal(rows, blocks[regulators])  # the same rows, without the zero ones
    assert dense[0, 1] > 0.2  # 0 -> 1: the case has a direction to find


@pytest.mark.parametrize("regulators", [None, ["g00", "g03", "g07"]])
def test_sparse_velocity_layers_stay_sparse_and_give_the_dense_layers_network(tmp_path, monkeypatch, regulators):
    import json

    from grngc.cells import direction
    from grngc.io.expression import read_h5ad

    in_blocks = []
    real = direction.velocity_lead_in_blocks
    monkeypatch.setattr(direction, "velocity_lead_in_blocks", lambda *a, **kw: in_blocks.append(1) or real(*a, **kw))

    spliced, unspliced = _velocity_counts()
    n, p = spliced.shape
    genes = [f"g{k:02d}" for k in range(p)]
    genes[2], genes[9] = genes[9], genes[2]  # not in name order: the network is mapped back
    obs = pd.DataFrame({"time": np.linspace(0, 1, n)}, index=[f"c{k}" for k in range(n)])
    X = np.log1p(spliced + unspliced).astype(np.float32)
    for name, wrap in (("dense", np.asarray), ("sparse", sparse.csr_matrix)):
        adata = ad.AnnData(wrap(X), obs=obs, var=pd.DataFrame(index=genes),
                           layers={"spliced": wrap(spliced), "unspliced": wrap(unspliced)})
        adata.write_h5ad(tmp_path / f"{name}.h5ad")
    tc_sparse = read_h5ad(tmp_path / "sparse.h5ad", sparse=True)
    tc_dense = read_h5ad(tmp_path / "dense.h5ad")
    assert all(sparse.issparse(v) for v in tc_sparse.velocity)  # an atlas's layers are not made dense
    for v_sparse, v_dense in zip(tc_sparse.velocity, tc_dense.velocity):  # normalized as counts, the same values
        np.testing.assert_array_equal(v_sparse.toarray(), v_dense)
    assert tc_sparse.content_hash() == tc_dense.content_hash()
    changed = read_h5ad(tmp_path / "sparse.h5ad", sparse=True)
    changed.velocity[1].data[0] += 1.0
    assert changed.content_hash() != tc_sparse.content_hash()  # the layers are part of what identifies the input
    regs = []
    if regulators:
        (tmp_path / "tfs.txt").write_text("\n".join(regulators) + "\n")
        regs = ["--regulators", str(tmp_path / "tfs.txt")]
    for name in ("dense", "sparse"):
        assert main(["infer", str(tmp_path / f"{name}.h5ad"), "-o", str(tmp_path / name), "--kind", "cells"]
                    + regs) == 0
        assert json.loads((tmp_path / name / "run.json").read_text())["direction_from"] == "velocity+spread"
        assert in_blocks == ([1] if name == "sparse" else [])  # the sparse layers were read in blocks of cells
    dense, sp_ = (np.load(tmp_path / k / "scores.npy") for k in ("dense", "sparse"))
    assert np.allclose(dense, sp_, rtol=1e-9, atol=1e-12) and dense.any()
    assert dense[0, 1] > dense[1, 0]  # 0 -> 1, oriented by the layers in both
    if regulators:
        assert not dense[[genes.index(g) for g in genes if g not in regulators]].any()
        assert dense[0, 1] > 0


def test_velocity_rows_of_a_regulator_list_map_back_past_a_constant_regulator_and_a_new_gene_order():
    """Sparse layers with a regulator list: the direction comes as the regulators' rows alone and is mapped to
    the input's genes; a constant regulator (dropped before the fit) and genes out of name order give the
    network of dense layers (the whole direction matrix)."""
    spliced, unspliced = (np.log1p(v.astype(float)) for v in _velocity_counts())
    n, p = spliced.shape
    spliced[:, 5] = unspliced[:, 5] = 0.0  # gene g05 expressed in no cell: constant, dropped
    X = np.log1p(np.expm1(spliced) + np.expm1(unspliced))
    genes = [f"g{k:02d}" for k in range(p)]
    genes[0], genes[11] = genes[11], genes[0]  # the input's order is not the fit's
    time = np.linspace(0, 1, n)
    regs = ["g11", "g05", "g03", "g07", "g01"]
    nets = {}
    for name, wrap in (("dense", np.asarray), ("sparse", sparse.csr_matrix)):
        tc = TimeCourse(wrap(X), genes, time, np.zeros(n, int), name, (wrap(spliced), wrap(unspliced)))
        nets[name] = infer_timecourse(tc, make_config(kind="cells", regulators=regs, progress=False)).scores
    np.testing.assert_allclose(nets["sparse"], nets["dense"], rtol=1e-9, atol=1e-12)
    rows = [genes.index(g) for g in regs]
    assert nets["dense"][rows].any() and not np.delete(nets["dense"], rows, axis=0).any()
    assert not nets["dense"][genes.index("g05")].any()  # the constant regulator has no edge


def test_orienting_in_tiles_is_the_whole_matrix_formula():
    from grngc.cells import orient_by_time

    rng = np.random.default_rng(5)
    S = np.abs(rng.normal(size=(11, 11)))
    D = rng.normal(size=(11, 11))
    D -= D.T
    for R in (np.ones(11, bool), rng.random(11) < 0.5):
        U = np.where(R[:, None] & R[None, :], (S + S.T) / 2.0, S)  # the pair's score, then the direction's share
        expected = U * (1.0 + 0.9 * np.tanh(10.0 * D))
        expected[~R] = 0.0
        np.fill_diagonal(expected, 0.0)
        for block in (3, 4, 2048):
            np.testing.assert_array_equal(orient_by_time(S, D, 0.9, R, block=block), expected)
            np.testing.assert_array_equal(orient_by_time(S, D[R], 0.9, R, block=block), expected)  # R's rows alone
        inplace = S.copy()
        assert orient_by_time(inplace, D, 0.9, R, in_place=True, block=3) is inplace
        np.testing.assert_array_equal(inplace, expected)
    with pytest.raises(ValueError, match="regulators' rows"):
        orient_by_time(S, D[:, :4], 0.9, R)


def test_sparse_count_layers_are_normalized_as_the_dense_ones_duplicates_and_empty_layers_included():
    from grngc.io.expression import velocity_layers

    rng = np.random.default_rng(6)
    s = rng.poisson(1.0, (40, 5)).astype(np.float32)
    u = np.zeros((40, 5), np.float32)  # a layer with nothing stored
    rows, cols = np.nonzero(s)
    counts = s[rows, cols]
    parts = np.column_stack([np.floor(counts / 2), counts - np.floor(counts / 2)]).ravel()  # each count in two entries
    indptr = np.r_[0, np.cumsum(2 * np.bincount(rows, minlength=len(s)))]
    dup = sparse.csr_matrix((parts, np.repeat(cols, 2), indptr), shape=s.shape)
    assert not dup.has_canonical_format and np.allclose(dup.toarray(), s)
    expected = velocity_layers(ad.AnnData(s, layers={"spliced": s, "unspliced": u}))
    got = velocity_layers(ad.AnnData(s, layers={"spliced": dup, "unspliced": sparse.csr_matrix(u)}), sparse=True)
    for g, e in zip(got, expected):
        assert sparse.issparse(g)
        np.testing.assert_allclose(g.toarray(), e, rtol=1e-12)


def test_every_gene_ridge_in_place_equals_the_inverse_and_reuses_the_correlations_memory():
    """At atlas size with every gene a regulator the coefficients are written over the correlations (one
    genes x genes matrix, not three); they equal the inverse's."""
    from grngc.cells.coexpression import _every_gene_in_place, coexpression_from_correlation

    X, _ = _log_counts(n=300, p=25)
    Z = (X - X.mean(0)) / X.std(0)
    C = Z.T @ Z / len(Z)
    every = np.ones(25, bool)
    expected = coexpression_from_correlation(C.copy(), every, 0.75)  # torch's inverse
    P = np.linalg.inv(C + 0.75 * np.eye(25))
    np.testing.assert_allclose(expected, np.where(np.eye(25, dtype=bool), 0.0, -P / np.diag(P)[None, :]), atol=1e-12)
    work = C.copy()
    out = coexpression_from_correlation(work, every, 0.75, overwrite=True)
    assert np.shares_memory(out, work)
    np.testing.assert_allclose(out, expected, atol=1e-12)
    broken = C.copy()
    broken[3, 3] = np.nan
    with pytest.raises(RuntimeError, match="not positive definite"):
        _every_gene_in_place(broken, 0.75)
    regulators = every.copy()
    regulators[5:] = False  # not every gene a regulator: the torch path, C_R untouched
    C_R = C[regulators].copy()
    coexpression_from_correlation(C_R, regulators, 0.75, overwrite=True)
    np.testing.assert_array_equal(C_R, C[regulators])


def test_scaled_input_is_warned_that_the_gene_weights_are_flat(caplog):
    """Values scaled to unit variance (sc.pp.scale) leave the detection and spread weights nothing to read:
    the mode says so in the log; log-normalized values get no such warning."""
    import logging

    from grngc.cells import cell_mode_scores

    X, t = _log_counts()
    scaled = (X - X.mean(0)) / X.std(0)
    with caplog.at_level(logging.WARNING, logger="grngc"):
        cell_mode_scores(TimeCourse(X, [f"g{k}" for k in range(X.shape[1])], t, np.zeros(len(t), int), "log values"))
        assert "sc.pp.scale" not in caplog.text
        cell_mode_scores(TimeCourse(scaled, [f"g{k}" for k in range(X.shape[1])], t, np.zeros(len(t), int), "scaled"))
    assert "scaled: every gene has mean 0 and standard deviation 1" in caplog.text


def test_velocity_layers_normalize_their_own_copies_and_leave_the_anndata_untouched():
    """float64 count layers (which the reader could share) are scaled and log1p'd in copies: the caller's
    AnnData keeps its counts, dense or sparse, and the values equal numpy's log1p(v * median total / total)."""
    import anndata as ad
    import scipy.sparse as sp

    from grngc.io.expression import velocity_layers

    rng = np.random.default_rng(4)
    s, u = rng.poisson(2.0, (50, 6)).astype(np.float64), rng.poisson(1.0, (50, 6)).astype(np.float64)
    total = (s.sum(1) + u.sum(1))[:, None]
    factor = np.median(total) / np.maximum(total, 1.0)
    for to in (np.asarray, sp.csr_matrix):
        adata = ad.AnnData(np.log1p(s + u), layers={"spliced": to(s.copy()), "unspliced": to(u.copy())})
        for sparse in (False, True):
            got_s, got_u = velocity_layers(adata, "x", sparse=sparse)
            dense = [g.toarray() if sp.issparse(g) else g for g in (got_s, got_u)]
            np.testing.assert_allclose(dense[0], np.log1p(s * factor), rtol=1e-12)
            np.testing.assert_allclose(dense[1], np.log1p(u * factor), rtol=1e-12)
            stored = [adata.layers[k].toarray() if sp.issparse(adata.layers[k]) else adata.layers[k]
                      for k in ("spliced", "unspliced")]
            np.testing.assert_array_equal(stored[0], s)  # the counts, as given
            np.testing.assert_array_equal(stored[1], u)


def test_sparse_and_dense_input_get_the_same_non_finite_message_and_data_kind():
    import scipy.sparse as sp

    from grngc.io import expression
    from grngc.io.expression import data_kind, validate
    from grngc.timecourse import InputError

    rng = np.random.default_rng(6)
    X = rng.poisson(0.5, (40, 5)).astype(float)
    assert data_kind(X) == data_kind(sp.csr_matrix(X)) == "counts"
    L = np.log1p(X)
    assert data_kind(L) == data_kind(sp.csr_matrix(L)) == "log"
    expression.KIND_BLOCK, saved = 3, expression.KIND_BLOCK  # many blocks: the same answers
    try:
        assert data_kind(X) == data_kind(sp.csr_matrix(X)) == "counts"
        assert data_kind(L) == "log" and data_kind(-L) == "other" and data_kind(L * 100) == "other"
        X[7, 0], X[5, 2] = np.inf, np.nan
        messages = []
        for M in (X, sp.csr_matrix(X)):
            with pytest.raises(InputError) as err:
                validate(TimeCourse(M, list("abcde"), np.arange(40.0), np.zeros(40), "f.h5ad"))
            messages.append(str(err.value))
    finally:
        expression.KIND_BLOCK = saved
    assert messages[0] == messages[1]
    assert "2 non-finite expression value(s)" in messages[0] and "gene 'c' at sample 5" in messages[0]
