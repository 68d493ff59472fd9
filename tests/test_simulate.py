import numpy as np

from grngc import simulate


def test_lorenz96_truth_is_the_ring_of_neighbours():
    tc, truth = simulate.lorenz96(p=6, T=50, burn_in=50)
    assert tc.X.shape == (50, 6) and np.isfinite(tc.X).all()
    # x_j depends on x_{j-1}, x_{j-2}, x_{j+1}: edges (j-1) -> j, (j-2) -> j, (j+1) -> j
    for j in range(6):
        assert {i for i in range(6) if truth[i, j]} == {(j - 1) % 6, (j - 2) % 6, (j + 1) % 6}
    assert np.trace(truth) == 0


def test_var_is_stationary_and_truth_matches_coefficients():
    tc, truth = simulate.var(p=8, T=300, lag=2, seed=1)
    assert np.abs(tc.X).max() < 10  # stationary: no blow-up
    assert np.trace(truth) == 0
    assert (truth.sum(0) == max(int(8 * 0.2) - 1, 1)).all()  # each target has the same number of regulators


def test_grn_has_series_hill_dynamics_and_no_self_loops():
    tc, truth = simulate.grn(p=8, n_series=3, T=15, seed=2)
    assert tc.X.shape == (45, 8) and (tc.X >= 0).all()
    assert len(tc.series_slices()) == 3
    assert np.trace(truth) == 0 and truth.sum() > 0
    a = simulate.to_anndata(tc, truth)
    assert a.obs["time"].tolist()[:3] == [0.0, 0.5, 1.0]
    assert (a.varp["true_network"] == truth).all()


def test_grn_knows_its_signs_through_the_cli(tmp_path):
    """`simulate grn` keeps activators (+1) and repressors (-1): varp['true_network_sign'] and the truth file's
    sign column, which read_reference reads back; the sign of an edge is the sign of its Hill term."""
    import anndata as ad

    from grngc.cli import main
    from grngc.io import read_reference

    tc, signs = simulate.grn(p=12, n_series=2, T=5, seed=4, signed=True)
    _, truth = simulate.grn(p=12, n_series=2, T=5, seed=4)
    assert set(np.unique(signs)) == {-1, 0, 1} and ((signs != 0) == (truth == 1)).all()
    out = tmp_path / "sim.h5ad"
    assert main(["simulate", "grn", "-o", str(out), "-p", "12", "-T", "5", "--n-series", "2", "--seed", "4"]) == 0
    a = ad.read_h5ad(out)
    assert (a.varp["true_network"] == truth).all() and (a.varp["true_network_sign"] == signs).all()
    ref = read_reference(tmp_path / "sim_truth.tsv")
    genes = list(a.var_names)
    back = np.zeros_like(signs)
    back[[genes.index(g) for g in ref["regulator"]], [genes.index(g) for g in ref["target"]]] = ref["sign"]
    assert (back == signs).all()


def test_grn_cells_stages_are_time_terciles():
    """obs['stage'] is early/mid/late by simulated time, so `stage=early` roots the pseudotime at the start."""
    adata, _ = simulate.grn_cells(p=6, n_cells=300, n_trajectories=10, seed=1)
    t = adata.obs["sim_time"]
    by_stage = {s: t[adata.obs["stage"] == s] for s in ("early", "mid", "late")}
    assert by_stage["early"].max() <= by_stage["mid"].min() and by_stage["mid"].max() <= by_stage["late"].min()
    assert all(len(v) == 100 for v in by_stage.values())


def test_differentiation_cells_counts_truth_and_velocity_layers():
    adata, sign = simulate.differentiation_cells(p=12, n_cells=150, n_master=2, seed=4, velocity=True)
    assert adata.shape == (150, 12) and (adata.X >= 0).all() and np.allclose(adata.X, np.round(adata.X))
    assert np.trace(sign) == 0 and set(np.unique(sign)) <= {-1, 0, 1}
    assert (adata.varp["true_network_sign"] == sign).all()
    # two masters have no regulators; every other gene has at least one
    in_degree = (sign != 0).sum(0)
    assert (in_degree == 0).sum() == 2
    assert set(adata.uns["simulation"]["master_regulators"]) == set(np.asarray(adata.var_names)[in_degree == 0])
    np.testing.assert_array_equal(adata.X, adata.layers["spliced"] + adata.layers["unspliced"])
    assert set(adata.obs["stage"]) == {"early", "mid", "late"}
    again, _ = simulate.differentiation_cells(p=12, n_cells=150, n_master=2, seed=4, velocity=True)
    np.testing.assert_array_equal(adata.X, again.X)  # seeded


def test_differentiation_cells_carry_the_network_in_coexpression():
    # the truth is visible in the cells: true pairs correlate more than false ones (what GENIE3 needs)
    adata, sign = simulate.differentiation_cells(p=30, n_cells=600, seed=5)
    X = np.log1p(adata.X / adata.X.sum(1, keepdims=True) * 1e4)
    C = np.abs(np.nan_to_num(np.corrcoef(X.T)))
    truth = (sign != 0) | (sign != 0).T
    off = ~np.eye(30, dtype=bool)
    assert C[truth & off].mean() > C[~truth & off].mean() + 0.05


def test_differentiation_cells_run_one_master_regulator_per_20_genes():
    for p, masters in ((30, 2), (60, 3)):  # at least two programs; one per 20 genes above 40
        adata, sign = simulate.differentiation_cells(p=p, n_cells=40, seed=6)
        assert len(adata.uns["simulation"]["master_regulators"]) == masters
        assert ((sign != 0).sum(0) == 0).sum() == masters
