"""The single-cell mode (grngc.cells): the DAG of cells and its lags, the co-expression ridge against a
reference computation, the rule that picks the mode, and the mode through the API and the CLI."""
import numpy as np
import pytest
from scipy import sparse

from grngc.cells import (CELL_MIN_SAMPLES, cell_dag, cell_mode_scores, choose_kind, coexpression_scores,
                         dag_granger_scores, dag_lags, granger_lead, knn_smoothed, lead_lag, network_direction,
                         orient_by_time, time_direction, velocity_lead)
from grngc.core.scaling import standardize
from grngc.timecourse import InputError, TimeCourse


def test_dag_lags_match_a_hand_computed_case():
    # cells 0 -> 1 -> 2 and 0 -> 2: cell 1's only ancestor is 0; cell 2 averages 0 and 1
    A = sparse.csr_matrix(np.array([[0, 0, 0], [1, 0, 0], [0.5, 0.5, 0]]))
    X = np.array([[1.0, 10.0], [3.0, 30.0], [5.0, 50.0]])
    lag1, lag2 = dag_lags(A, X, 2)
    np.testing.assert_allclose(lag1, [[0, 0], [1, 10], [2, 20]])
    np.testing.assert_allclose(lag2, [[0, 0], [0, 0], [0.5, 5]])  # two steps back from 2: 0 (via 1)


def test_cell_dag_points_from_earlier_neighbours_only():
    rng = np.random.default_rng(0)
    t = np.linspace(0, 1, 60)
    X = np.column_stack([t, t ** 2, np.sin(3 * t)]) + 0.01 * rng.normal(size=(60, 3))
    A = cell_dag(X, t, neighbors=5, n_pcs=2).toarray()
    rows, cols = np.nonzero(A)
    assert (t[cols] < t[rows]).all()  # every ancestor is earlier
    sums = A.sum(1)
    assert sums[0] == 0  # the first cell has no earlier neighbour
    np.testing.assert_allclose(sums[sums > 0], 1.0)
    series = np.repeat(["a", "b"], 30)
    A2 = cell_dag(X, t, series, neighbors=5, n_pcs=2).toarray()
    r2, c2 = np.nonzero(A2)
    assert (series[r2] == series[c2]).all()  # never across series


def test_coexpression_matches_sklearn_ridge_per_target():
    from sklearn.linear_model import Ridge

    rng = np.random.default_rng(1)
    n, p, lam = 80, 6, 0.7
    X = rng.normal(size=(n, p))
    X[:, 3] += 0.8 * X[:, 0]
    Z = standardize(X)[0]
    regs = np.array([True, True, False, True, False, True])
    B = coexpression_scores(Z, regs, lam)
    for j in range(p):
        use = [i for i in np.flatnonzero(regs) if i != j]
        # our objective: |z_j - Z b|^2 / n + lam |b|^2  ->  sklearn's alpha = n * lam
        ref = Ridge(alpha=n * lam, fit_intercept=False).fit(Z[:, use], Z[:, j]).coef_
        np.testing.assert_allclose(B[use, j], ref, atol=1e-10)
        assert np.all(B[~regs, j] == 0) and B[j, j] == 0


def test_dag_granger_finds_the_regulator_whose_past_drives_the_target():
    # the target follows the regulator 0.8 time units later; each cell's ancestors are the cells about
    # 0.8 earlier: the regression puts the regulator's past on the target (i -> j), not the reverse
    rng = np.random.default_rng(2)
    n = 600
    t = np.sort(rng.uniform(0, 10, n))
    grid = np.linspace(-1, 10, 400)  # a smooth, non-periodic signal (a periodic one predicts itself both ways)
    signal = np.convolve(rng.normal(size=400), np.ones(15) / 15, mode="same")

    def level(times):
        return np.interp(times, grid, signal)

    reg = level(t) + 0.05 * rng.normal(size=n)
    target = level(t - 0.8) + 0.05 * rng.normal(size=n)
    X = np.column_stack([reg, target, rng.normal(size=n)])
    gap = t[:, None] - t[None, :]
    A = ((gap > 0.7) & (gap < 0.9)).astype(float)
    A = sparse.csr_matrix(A / np.maximum(A.sum(1, keepdims=True), 1))
    S, W = dag_granger_scores(standardize(X)[0], A, lag=1, lam=0.01)
    assert S[0, 1] > 3 * S[1, 0]
    assert S[0, 1] > 3 * max(S[2, 1], S[0, 2])
    assert W[0, 1] > 0  # an activator: positive coefficient


def _cells(n=300, p=5, ties=False, seed=0):
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, 1, n) if not ties else np.repeat(np.arange(5.0), n // 5)
    X = rng.normal(size=(n, p)) + t[:, None]
    return TimeCourse(X, [f"g{k}" for k in range(p)], t, np.zeros(n, int))


def test_mode_rule():
    assert choose_kind(_cells())[0] == "cells"  # one long series, irregular pseudotime
    assert choose_kind(_cells(ties=True))[0] == "cells"  # five time labels over 300 cells: ties
    short = _cells(n=CELL_MIN_SAMPLES - 1)
    assert choose_kind(short)[0] == "bulk"
    rng = np.random.default_rng(0)
    n = 500  # one long, evenly sampled series (a simulated system, a long recording): a time course
    even = TimeCourse(rng.normal(size=(n, 4)), list("abcd"), np.arange(n, dtype=float), np.zeros(n, int))
    assert choose_kind(even)[0] == "bulk"
    many = TimeCourse(rng.normal(size=(400, 4)), list("abcd"), rng.uniform(0, 1, 400), np.repeat(np.arange(10), 40))
    assert choose_kind(many)[0] == "bulk"  # ten series
    assert choose_kind(even, "cells")[0] == "cells" and choose_kind(_cells(), "bulk")[0] == "bulk"
    with pytest.raises(InputError, match="kind 'cell'"):
        choose_kind(even, "cell")


def test_api_runs_the_single_cell_mode_on_cells_and_the_named_model_when_asked():
    from grngc.core.api import infer

    tc = _cells()
    res = infer(tc.X, tc.time, genes=tc.genes)
    assert res.record["mode"]["mode"] == "cells"
    assert res.scores.shape == (5, 5) and np.all(np.diag(res.scores) == 0)
    bulk = infer(tc.X, tc.time, genes=tc.genes, kind="bulk", epochs=5, n_seeds=1)
    assert bulk.record["mode"]["mode"] == "bulk"
    one = infer(tc.X, tc.time, genes=tc.genes, model="ridge", lag=1, target="level")
    assert one.record["mode"]["mode"] == "model"


def test_cell_mode_scores_only_regulator_rows():
    from grngc.core.api import infer

    tc = _cells()
    res = infer(tc.X, tc.time, genes=tc.genes, regulators=("g0", "g2"))
    rows = np.flatnonzero(np.abs(res.scores).sum(1))
    assert set(rows) <= {0, 2}
    edges = res.edges()
    assert set(edges.loc[edges.score > 0, "regulator"]) <= {"g0", "g2"}


def test_cell_mode_direction_follows_the_regression():
    # g1 = 2 g0 + noise; g2 independent: the top edges join g0 and g1, and the row is the regulator
    rng = np.random.default_rng(3)
    n = 400
    g0 = rng.normal(size=n)
    X = np.column_stack([g0, 2 * g0 + 0.5 * rng.normal(size=n), rng.normal(size=n), rng.normal(size=n)])
    tc = TimeCourse(X, ["g0", "g1", "g2", "g3"], rng.uniform(0, 1, n), np.zeros(n, int))
    S = cell_mode_scores(tc, regulators=["g0"])["coexpression"][0]
    assert S[0, 1] == S.max() and S[1, 0] == 0  # only g0 regulates: the edge is g0 -> g1


def test_lag_zero_picks_the_level_and_says_so(caplog):
    from grngc.core.presets import resolve_config

    with caplog.at_level("INFO", logger="grngc"):
        cfg = resolve_config("default", model="linear", lag=0, same_time=True)
    assert cfg.target == "level" and "predicting the level" in caplog.text
    with pytest.raises(InputError, match="needs lag >= 1"):
        resolve_config("default", model="linear", lag=0, same_time=True, target="delta")


def test_cli_kind_flag(tmp_path):
    from grngc.cli import main
    from grngc.simulate import to_anndata

    tc = _cells()
    to_anndata(tc).write_h5ad(tmp_path / "c.h5ad")
    assert main(["infer", str(tmp_path / "c.h5ad"), "-o", str(tmp_path / "out")]) == 0
    import json

    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert run["mode"]["mode"] == "cells"


def _wave_cells(n=400, seed=0):
    """Cells along pseudotime: gene a switches on at 0.4, gene b (a's target) follows at 0.6, c is noise."""
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, 1, n)
    a = 1 / (1 + np.exp(-(t - 0.4) / 0.05))
    b = 1 / (1 + np.exp(-(t - 0.6) / 0.05))
    X = np.column_stack([a, b, rng.normal(size=n)]) + 0.05 * rng.normal(size=(n, 3))
    return X, t


def _reference_bin_means(X, t, bins):
    """Each gene's mean in ``bins`` equal-count bins of the cells ordered by ``t``."""
    order = np.argsort(t, kind="stable")
    cuts = np.linspace(0, len(t), bins + 1).round().astype(int)
    return np.array([X[order][a:b].mean(0) for a, b in zip(cuts[:-1], cuts[1:])])


def test_lead_lag_matches_a_reference_computation_and_reads_time():
    X, t = _wave_cells()
    D = lead_lag(X, t, bins=20, max_shift=3)
    M = _reference_bin_means(X, t, 20)  # then numpy's correlation per shift
    ref = np.zeros((3, 3))
    for tau in (1, 2, 3):
        for i in range(3):
            for j in range(3):
                ref[i, j] += (abs(np.corrcoef(M[:-tau, i], M[tau:, j])[0, 1])
                              - abs(np.corrcoef(M[:-tau, j], M[tau:, i])[0, 1])) / 3
    np.testing.assert_allclose(D, ref, atol=1e-10)
    np.testing.assert_allclose(D, -D.T, atol=1e-12)  # antisymmetric
    assert D[0, 1] > 0.05  # a moves first: a -> b
    np.testing.assert_allclose(lead_lag(X, -t, bins=20, max_shift=3), -D, atol=1e-10)  # reversed time: b -> a


def test_lead_lag_per_series_and_too_short_series():
    X, t = _wave_cells()
    series = np.repeat(["s1", "s2"], 200)
    D = lead_lag(X, t, series, bins=20, max_shift=3)
    assert D[0, 1] > 0
    assert not lead_lag(X[:20], t[:20], bins=20, max_shift=4).any()  # 4 bins of 5 cells: too short, no direction


def _partial_correlation(y, x, z):
    """corr(y, x | z) by residuals of least squares on [1, z]."""
    Z = np.column_stack([np.ones_like(z), z])
    ry = y - Z @ np.linalg.lstsq(Z, y, rcond=None)[0]
    rx = x - Z @ np.linalg.lstsq(Z, x, rcond=None)[0]
    return np.corrcoef(ry, rx)[0, 1]


def test_granger_lead_matches_a_partial_correlation_reference_and_reads_time():
    X, t = _wave_cells()
    D = granger_lead(X, t, bins=40, max_shift=2)
    M = _reference_bin_means(X, t, 40)
    ref = np.zeros((3, 3))
    for tau in (1, 2):
        for i in range(3):
            for j in range(3):
                if i != j:  # i's earlier mean on j's later one, given j's earlier one; minus the other way
                    ref[i, j] += (abs(_partial_correlation(M[tau:, j], M[:-tau, i], M[:-tau, j]))
                                  - abs(_partial_correlation(M[tau:, i], M[:-tau, j], M[:-tau, i]))) / 2
    np.testing.assert_allclose(D, ref, atol=1e-8)
    np.testing.assert_allclose(D, -D.T, atol=1e-12)
    assert D[0, 1] > 0.05  # a's level comes before b's change: a -> b
    assert granger_lead(X, -t, bins=40, max_shift=2)[1, 0] > 0.05  # reversed time: b -> a
    assert not granger_lead(X[:45], t[:45], bins=40, max_shift=2).any()  # 9 bins: too few points per shift
    assert granger_lead(X[:50], t[:50], bins=40, max_shift=2).any()  # 10 bins: enough


def test_time_direction_picks_the_estimator():
    X, t = _wave_cells()
    ll, gr = lead_lag(X, t), granger_lead(X, t)
    np.testing.assert_allclose(time_direction(X, t, settings={"direction_estimator": "lead_lag"}), ll)
    np.testing.assert_allclose(time_direction(X, t, settings={"direction_estimator": "granger"}), gr)
    np.testing.assert_allclose(time_direction(X, t, settings={"direction_estimator": "both"}), (ll + gr) / 2)
    with pytest.raises(ValueError, match="direction estimator 'sideways'"):
        time_direction(X, t, settings={"direction_estimator": "sideways"})


def test_orient_by_time_shares_the_pair_score_between_directions():
    rng = np.random.default_rng(1)
    S = np.abs(rng.normal(size=(4, 4)))
    np.fill_diagonal(S, 0)
    D = rng.normal(scale=0.1, size=(4, 4))
    D = D - D.T
    assert orient_by_time(S, D, 0.0) is S
    out = orient_by_time(S, D, 0.5)
    np.testing.assert_allclose(out + out.T, S + S.T)  # direction moves score within a pair, never adds any
    assert ((out > out.T) == (D > 0))[~np.eye(4, dtype=bool)].all()  # the gene moving first is the regulator
    R = np.array([True, True, False, False])
    S_r = S.copy()
    S_r[~R] = 0
    out_r = orient_by_time(S_r, D, 0.5, R)
    assert not out_r[~R].any()  # non-regulators stay without out-edges
    np.testing.assert_allclose(out_r[0, 2], S_r[0, 2] * (1 + 0.5 * np.tanh(10 * D[0, 2])))
    with pytest.raises(ValueError, match="direction weight"):
        orient_by_time(S, D, 1.0)


def test_cell_mode_direction_through_the_api(monkeypatch):
    from grngc import cells
    from grngc.core.api import infer

    X, t = _wave_cells()
    monkeypatch.setitem(cells.CELL_MODE, "direction_weight", 0.9)
    res = infer(X, t, genes=["a", "b", "c"], kind="cells")
    assert res.record["mode"]["mode"] == "cells"
    assert res.scores[0, 1] > res.scores[1, 0]  # a -> b, read from time
    back = infer(X, -t, genes=["a", "b", "c"], kind="cells")
    assert back.scores[1, 0] > back.scores[0, 1]


def test_time_orients_only_up_to_direction_max_genes(monkeypatch, caplog):
    from grngc import cells
    from grngc.core.api import infer

    assert cells.direction_weight(50) == (0.9, cells.direction_weight(50)[1])
    assert cells.direction_weight(51)[0] == 0.0 and "51 genes > 50" in cells.direction_weight(51)[1]
    X, t = _wave_cells()
    monkeypatch.setitem(cells.CELL_MODE, "direction_max_genes", 2)  # 3 genes: above the cap, time is off
    with caplog.at_level("INFO", logger="grngc"):
        res = infer(X, t, genes=["a", "b", "c"], kind="cells")
    assert "direction from time off" in caplog.text and "direction from time off" in res.record["cell_mode"]["direction"]
    flipped = infer(X, -t, genes=["a", "b", "c"], kind="cells")
    np.testing.assert_allclose(res.scores, flipped.scores)  # time no longer moves the network


def _velocity_cells(n=2000, seed=0):
    """Cells with layers where gene 0 regulates gene 1: ``u_1`` (gene 1's production) follows ``s_0``; each
    gene's spliced level follows its own unspliced one; gene 2 is co-expressed with gene 0 only."""
    rng = np.random.default_rng(seed)
    s0 = rng.normal(size=n)
    u0 = 0.7 * s0 + 0.5 * rng.normal(size=n)
    u1 = 0.8 * s0 + 0.6 * rng.normal(size=n)
    s1 = 0.8 * u1 + 0.6 * rng.normal(size=n)
    s2 = 0.6 * s0 + 0.8 * rng.normal(size=n)
    u2 = 0.7 * s2 + 0.5 * rng.normal(size=n)
    S, U = np.column_stack([s0, s1, s2]), np.column_stack([u0, u1, u2])
    return S + 5.0, U + 5.0  # levels, not z-scores: velocity_lead standardizes


def test_velocity_lead_matches_a_partial_correlation_reference_and_reads_the_layers():
    S, U = _velocity_cells()
    V = velocity_lead(S, U)
    ref = np.zeros((3, 3))
    for i in range(3):
        for j in range(3):
            if i != j:  # i's spliced level on j's unspliced one given j's spliced one, minus the other way
                ref[i, j] = (abs(_partial_correlation(U[:, j], S[:, i], S[:, j]))
                             - abs(_partial_correlation(U[:, i], S[:, j], S[:, i])))
    np.testing.assert_allclose(V, ref, atol=1e-8)
    np.testing.assert_allclose(V, -V.T, atol=1e-12)
    assert V[0, 1] > 0.2  # 0 -> 1
    assert velocity_lead(U, S)[1, 0] > 0.2  # the layers swapped: the direction turns


def test_network_direction_reads_velocity_at_any_size_and_time_otherwise(monkeypatch):
    from grngc import cells

    S, U = _velocity_cells(600)
    t = np.arange(600.0)
    tc = TimeCourse(S + U, ["a", "b", "c"], t, np.zeros(600), "layers", (S, U))
    monkeypatch.setitem(cells.CELL_MODE, "direction_max_genes", 2)  # time would be off at 3 genes
    D, w, why = network_direction(tc, {"velocity_weight": 0.9})
    np.testing.assert_allclose(D, velocity_lead(S, U))
    assert w == 0.9 and "RNA velocity" in why
    D, w, why = network_direction(tc, {"velocity_weight": 0.0})
    assert D is None and w == 0.0 and "layers not used" in why
    no_layers = TimeCourse(S + U, ["a", "b", "c"], t, np.zeros(600), "no layers")
    D, w, why = network_direction(no_layers, {"velocity_weight": 0.9, "direction_max_genes": 50})
    # the default reads time as the mean of the lead-lag and the Granger lead (registration 6)
    np.testing.assert_allclose(D, (cells.lead_lag(no_layers.X, t) + cells.granger_lead(no_layers.X, t)) / 2)
    assert w == 0.9 and "direction from time (both)" in why


def test_velocity_layers_follow_the_cells_through_the_timecourse():
    S, U = _velocity_cells(50)
    t = np.random.default_rng(2).permutation(50).astype(float)
    tc = TimeCourse(S + U, ["a", "b", "c"], t, np.zeros(50), "layers", (S, U))
    order = np.argsort(t)
    np.testing.assert_allclose(tc.X, (S + U)[order])
    np.testing.assert_allclose(tc.velocity[0], S[order]) and np.testing.assert_allclose(tc.velocity[1], U[order])
    sub = tc.subset_genes(["c", "a"])
    np.testing.assert_allclose(sub.velocity[1], U[order][:, [2, 0]])
    assert tc.content_hash() != TimeCourse(S + U, ["a", "b", "c"], t, np.zeros(50)).content_hash()
    with pytest.raises(InputError, match="spliced and unspliced layers must have the shape"):
        TimeCourse(S + U, ["a", "b", "c"], t, np.zeros(50), "bad", (S[:, :2], U))


def test_tl_infer_orients_by_velocity_layers():
    import anndata as ad
    import pandas as pd

    from grngc import tl

    S, U = _velocity_cells(600)
    rng = np.random.default_rng(3)
    # counts, with 30 bystander genes so that scaling each cell to the median total does not couple a, b, c
    counts_s, counts_u = (np.column_stack([rng.poisson(np.exp(L - 3)), rng.poisson(10, (600, 30))]).astype(np.float32)
                          for L in (S, U))
    adata = ad.AnnData(np.log1p(counts_s + counts_u), obs=pd.DataFrame({"time": rng.random(600)}),
                       var=pd.DataFrame(index=["a", "b", "c"] + [f"x{k}" for k in range(30)]),
                       layers={"spliced": counts_s, "unspliced": counts_u})
    before = adata.copy()
    res = tl.infer(adata, time_key="time", kind="cells", copy=True)
    assert "RNA velocity" in res.uns["grngc"]["cell_mode"]["direction"]
    net = res.varp["grngc"]
    assert net[0, 1] > net[1, 0]  # a -> b from the layers, not from the random time
    np.testing.assert_array_equal(adata.layers["spliced"], before.layers["spliced"])  # the input untouched
    off = tl.infer(adata, time_key="time", kind="cells", velocity=False, copy=True)
    assert "layers not read" in off.uns["grngc"]["cell_mode"]["direction"]
    adata.layers["unspliced"][0, 0] = -1.0
    with pytest.raises(InputError, match="layer 'unspliced' has negative.*velocity=False"):
        tl.infer(adata, time_key="time", kind="cells", copy=True)
    tl.infer(adata, time_key="time", kind="cells", velocity=False, copy=True)  # the layers are not read
    with pytest.raises(InputError, match="velocity='no'"):
        tl.infer(adata, time_key="time", velocity="no", copy=True)


def test_cli_carries_velocity_layers_from_simulate_through_preprocess_to_the_network(tmp_path):
    import json

    import anndata as ad

    from grngc.cli import main

    sim, prep, out = tmp_path / "sim.h5ad", tmp_path / "prep.h5ad", tmp_path / "out"
    assert main(["simulate", "cells", "--velocity", "-p", "12", "--cells", "300", "--seed", "3", "-o", str(sim)]) == 0
    assert main(["preprocess", str(sim), "--root", "stage=early", "-o", str(prep)]) == 0
    assert set(ad.read_h5ad(prep).layers) == {"spliced", "unspliced"}
    assert main(["infer", str(prep), "-o", str(out)]) == 0
    run = json.loads((out / "run.json").read_text())
    assert run["mode"]["mode"] == "cells" and "RNA velocity" in run["cell_mode"]["direction"]
    assert main(["infer", str(prep), "--no-velocity", "-o", str(tmp_path / "off")]) == 0
    assert "RNA velocity" not in json.loads((tmp_path / "off" / "run.json").read_text())["cell_mode"]["direction"]


def test_each_edge_says_what_decided_its_direction(tmp_path, monkeypatch):
    """edges.tsv, get.edges and run.json: ``velocity`` with spliced/unspliced layers, ``pseudotime`` when
    time orients the pairs, ``spread`` when only the genes' spreads order them (``+spread`` beside the
    others), ``undirected`` when nothing does (co-expression only), ``time`` for a model that reads the
    past; read back from the file."""
    import anndata as ad

    from grngc import cells, get, tl
    from grngc.core.api import infer_timecourse
    from grngc.io import read_edges
    from grngc.io.outdir import write_run
    from grngc.core.presets import resolve_config

    S, U = _velocity_cells(600)
    t = np.arange(600.0)
    cfg = resolve_config(kind="cells", progress=False)
    with_layers = infer_timecourse(TimeCourse(S + U, ["a", "b", "c"], t, np.zeros(600), "layers", (S, U)), cfg)
    assert with_layers.record["direction_from"] == "velocity+spread"  # the default weighs the spreads too
    assert set(with_layers.edges()["direction"]) == {"velocity+spread"}
    assert "spreads" in with_layers.record["cell_mode"]["direction"]
    from grngc.core.run import direction_meaning

    assert direction_meaning("velocity+spread").startswith("from RNA velocity")
    assert "not inferred" not in direction_meaning("velocity+spread")  # velocity did infer it
    assert direction_meaning("spread").startswith("not inferred")
    no_layers = TimeCourse(S + U, ["a", "b", "c"], t, np.zeros(600), "no layers")
    assert infer_timecourse(no_layers, cfg).record["direction_from"] == "pseudotime+spread"  # 3 genes <= 50
    monkeypatch.setitem(cells.CELL_MODE, "direction_max_genes", 2)
    by_spread = infer_timecourse(no_layers, cfg)
    assert by_spread.record["direction_from"] == "spread"
    m = cells.CELL_MODE
    weight = (m["spread_regulator_power"], m["spread_target_power"], m["spread_target_floor"], m["spread_fade"])
    monkeypatch.setitem(cells.CELL_MODE, "spread_regulator_power", 0.0)
    monkeypatch.setitem(cells.CELL_MODE, "spread_target_power", 0.0)
    flat = infer_timecourse(no_layers, cfg)
    assert flat.record["direction_from"] == "undirected"
    sd = (S + U).std(0)  # the spreads' weight (its floor and fade as deployed) is all that tells the two apart
    expected = cells.spread_weighted(flat.scores.copy(), sd, *weight)
    np.testing.assert_allclose(by_spread.scores, expected, rtol=1e-12)
    assert not np.allclose(by_spread.scores, flat.scores)
    write_run(tmp_path / "run", flat)
    assert set(read_edges(tmp_path / "run" / "edges.tsv")["direction"]) == {"undirected"}
    write_run(tmp_path / "spread", by_spread)
    assert set(read_edges(tmp_path / "spread" / "edges.tsv")["direction"]) == {"spread"}
    # bulk: a model of the past is directed by time; a same-time model is not
    ridge = infer_timecourse(no_layers, resolve_config(model="ridge", lag=1, progress=False))
    assert set(ridge.edges()["direction"]) == {"time"}
    same_time = resolve_config(model="linear", lag=0, same_time=True, target="level", epochs=5, n_seeds=1,
                               progress=False)
    assert infer_timecourse(no_layers, same_time).record["direction_from"] == "undirected"
    adata = ad.AnnData((S + U).astype(np.float32), obs={"time": t})
    adata.var_names = ["a", "b", "c"]
    tl.infer(adata, kind="cells", time_key="time", progress=False)
    assert set(get.edges(adata)["direction"]) == {"undirected"}  # the settings above still apply


def test_knn_smoothing_averages_each_cell_with_its_nearest_cells_on_principal_components():
    from sklearn.decomposition import PCA
    from sklearn.neighbors import NearestNeighbors

    rng = np.random.default_rng(3)
    Z = standardize(rng.normal(size=(80, 6)) + np.linspace(0, 3, 80)[:, None])[0]
    pcs = PCA(n_components=4, svd_solver="full").fit_transform(Z)
    _, idx = NearestNeighbors(n_neighbors=6).fit(pcs).kneighbors(pcs)
    expected = standardize(Z[idx].mean(1))[0]
    np.testing.assert_allclose(knn_smoothed(Z, 5, n_pcs=4), expected, atol=1e-10)


def test_cell_mode_signs_are_the_ridge_coefficients_signs_as_int8_and_none_off_the_regulators():
    """The signs of the single-cell network are those of the co-expression ridge coefficients (reference:
    :func:`coexpression_scores` on the z-scored cells), stored as int8 (-1, 0, +1: a genes x genes float64
    would be 3.2 GB at 20,000 genes), and 0 in the rows of genes that are not regulators."""
    from grngc.core.api import infer_timecourse, make_config

    rng = np.random.default_rng(3)
    n, p = 400, 12
    driver = rng.normal(size=(n, 2))
    X = driver @ rng.normal(size=(2, p)) + 0.7 * rng.normal(size=(n, p))
    genes = [f"g{k:02d}" for k in range(p)]
    tc = TimeCourse(X, genes, np.sort(rng.random(n)), np.zeros(n, int), "signs")
    regulators = ["g01", "g04", "g05", "g10"]
    R = np.isin(genes, regulators)
    res = infer_timecourse(tc, make_config(kind="cells", regulators=regulators, progress=False))
    assert res.signs.dtype == np.int8
    expected = np.sign(coexpression_scores(standardize(tc.X)[0], R, 0.03 * p))
    expected[~R] = 0
    np.testing.assert_array_equal(res.signs, expected.astype(np.int8))
    assert (res.signs[R] != 0).sum() == R.sum() * (p - 1)  # every regulator -> target pair has a sign
    edges = res.edges()
    assert set(edges["sign"]) == {-1, 1} and set(edges["regulator"]) == set(regulators)


def test_spreads_weigh_is_the_condition_the_scores_apply():
    from grngc.cells import CELL_MODE, spreads_weigh

    assert spreads_weigh() == bool(CELL_MODE["spread_regulator_power"] or CELL_MODE["spread_target_power"])
    assert spreads_weigh({"spread_regulator_power": 0.0, "spread_target_power": 0.5})
    assert not spreads_weigh({"spread_regulator_power": 0.0, "spread_target_power": 0.0})
    assert not spreads_weigh({"members": ("neural",), "spread_regulator_power": 1.0})  # no co-expression member
    rng = np.random.default_rng(5)  # the weight applied, or not, as the condition says
    X = np.exp(rng.normal(size=(300, 5)) * np.array([0.2, 0.5, 1.0, 1.5, 2.0]))
    tc = TimeCourse(np.log1p(X), list("abcde"), np.arange(300.0), np.zeros(300), "spreads")
    off = {"spread_regulator_power": 0.0, "spread_target_power": 0.0, "spread_target_floor": 0.0, "spread_fade": 0.0}
    on = {**off, "spread_regulator_power": 1.0, "spread_target_power": 0.5}
    S_off = cells_scores(tc, off)
    S_on = cells_scores(tc, on)
    sd = tc.X.std(0)
    np.testing.assert_allclose(S_on, S_off * sd[:, None] / np.sqrt(sd[None, :]), rtol=1e-12)


def cells_scores(tc, settings):
    from grngc.cells import cell_mode_scores

    return cell_mode_scores(tc, settings={"members": ("coexpression",), **settings})["coexpression"][0]


def test_the_spreads_weight_fades_where_the_coexpression_is_strong(monkeypatch):
    """spread_weighted(fade=g): S_ij w_ij^(1 - q_ij^g), q the fraction of scored pairs at most S_ij, against
    scipy's ranks; a constant gene stays at weight 0 even at the top; blocks of rows give the same matrix."""
    from scipy.stats import rankdata

    from grngc.cells import coexpression, spread_weighted

    rng = np.random.default_rng(8)
    S = rng.random((6, 6))
    np.fill_diagonal(S, 0.0)
    S[4] = 0.0  # a non-regulator row
    sd = np.array([0.5, 1.0, 2.0, 0.0, 1.5, 0.8])  # gene 3 constant
    scored = S > 0
    q = np.zeros_like(S)
    q[scored] = rankdata(S[scored], method="max") / scored.sum()
    live = sd > 0
    w = np.where(live, sd, 0.0)[:, None] ** 1.0 * np.where(live, np.maximum(sd, np.quantile(sd[live], 0.25)), np.inf)[
        None, :] ** -0.5
    expected = S * np.where(w > 0, np.where(w > 0, w, 1.0) ** (1 - q ** 4), 0.0)
    got = spread_weighted(S.copy(), sd, 1.0, 0.5, 0.25, fade=4)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert (got[3] == 0).all() and (got[:, 3] == 0).all()  # the constant gene, whatever its co-expression
    top = np.unravel_index(np.argmax(np.where(live[:, None] & live[None, :], S, 0)), S.shape)
    assert got[top] == pytest.approx(S[top])  # the strongest pair keeps its score (q = 1: weight 1)
    np.testing.assert_allclose(spread_weighted(S.copy(), sd, 1.0, 0.5, 0.25), S * w, rtol=1e-12)  # no fade
    monkeypatch.setattr(coexpression, "FADE_BLOCK_PAIRS", 7)  # one row per block
    np.testing.assert_array_equal(spread_weighted(S.copy(), sd, 1.0, 0.5, 0.25, fade=4), got)


def test_the_fade_reads_an_atlas_quantiles_off_a_grid_within_its_resolution(monkeypatch):
    from grngc.cells import coexpression, spread_weighted

    rng = np.random.default_rng(9)
    S = rng.random((40, 40))
    np.fill_diagonal(S, 0.0)
    sd = rng.random(40) + 0.2
    exact = spread_weighted(S.copy(), sd, 1.0, 1.0, 0.25, fade=16)
    monkeypatch.setattr(coexpression, "FADE_EXACT_PAIRS", 100)  # 1,560 scored pairs: the grid path
    monkeypatch.setattr(coexpression, "FADE_GRID", 1 << 16)
    gridded = spread_weighted(S.copy(), sd, 1.0, 1.0, 0.25, fade=16)
    # q below the exact one by less than 2^-16: the weight's exponent 1 - q^16 within 16 x 2^-16 of it
    w = spread_weighted(np.ones_like(S), sd, 1.0, 1.0, 0.25)
    bound = np.abs(np.log(np.where(w > 0, w, 1.0))) * 16 / 2 ** 16
    assert np.all(np.abs(np.log(gridded[S > 0] / exact[S > 0])) <= bound[S > 0] + 1e-12)
    assert not np.array_equal(gridded, exact)  # the grid path ran
