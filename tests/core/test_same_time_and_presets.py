"""Same-time inputs, the linear and per-target models, KAN grids that follow the data, presets and
the linear Granger ridge baseline."""
import dataclasses

import numpy as np
import pytest
import torch

from grngc.methods.ridge import granger_ridge
from grngc.granger.gradients import make_windows
from grngc.models import build_model
from grngc.models.kan import KAN
from grngc.core.presets import PRESETS, resolve_config
from grngc.timecourse import TimeCourse
from grngc.granger.gradients import effective_lambda


def _randomize(model):
    torch.manual_seed(3)
    with torch.no_grad():
        for prm in model.parameters():
            prm.normal_(0, 0.5)
    return model


@pytest.mark.parametrize("name", ["linear", "mlp-per-target", "mlp-masked"])
def test_same_time_masks_each_targets_own_present_value(name):
    p, slots = 5, 3  # two past steps and the present
    model = _randomize(build_model(name, p, slots, 4, same_time=True).double())
    x = torch.randn(6, slots, p, dtype=torch.double)
    J = model.input_jacobian(x)
    for j in range(p):
        assert torch.all(J[:, j, -1, j] == 0)  # own same-time value: no gradient at all
        x2 = x.clone()
        x2[:, -1, j] += 10.0  # ... and no effect on its own prediction
        torch.testing.assert_close(model(x2)[:, j], model(x)[:, j])
    assert J[:, 0, -1, 1].abs().sum() > 0  # the other genes' present values do count
    ref = torch.autograd.functional.jacobian(model, x)
    torch.testing.assert_close(J, torch.stack([ref[b, :, b] for b in range(6)]))


def test_same_time_needs_a_masking_model():
    with pytest.raises(ValueError, match="same-time inputs need"):
        build_model("mlp", 4, 2, 8, same_time=True)


def test_masked_mlp_is_one_shared_model_that_needs_same_time_inputs():
    from grngc.timecourse import InputError

    model = build_model("mlp-masked", 6, 2, 8, same_time=True)
    # one hidden layer for every target: its weights do not grow with the number of genes squared x hidden
    assert model.fc1.weight.shape == (8, 2 * 6) and model.fc2.weight.shape == (6, 8)
    with pytest.raises(ValueError, match="needs same-time inputs|same_time=True"):
        build_model("mlp-masked", 6, 2, 8)
    with pytest.raises(InputError, match="mlp-masked.*same-time inputs.*--same-time"):
        resolve_config(model="mlp-masked")
    with pytest.raises(InputError, match="ensemble member 2: model 'mlp-masked'"):
        resolve_config(members=({"model": "ridge"}, {"model": "mlp-masked", "lag": 1}))
    assert resolve_config(model="mlp-masked", same_time=True, lag=0).target == "level"


def test_linear_jacobian_is_its_weight():
    model = _randomize(build_model("linear", 4, 2, 0).double())
    J = model.input_jacobian(torch.randn(3, 2, 4, dtype=torch.double))
    W = model.weight.detach().view(4, 2, 4)
    for b in range(3):
        torch.testing.assert_close(J[b], W)


def test_same_time_windows_end_at_the_target():
    tc = TimeCourse(np.arange(20.0).reshape(10, 2), ["a", "b"], list(range(5)) * 2, ["s1"] * 5 + ["s2"] * 5)
    w = make_windows(tc, lag=1, val_fraction=0.0, same_time=True)
    assert w.inputs.tolist() == [[0, 1], [1, 2], [2, 3], [3, 4], [5, 6], [6, 7], [7, 8], [8, 9]]
    assert (w.inputs[:, -1] == w.targets).all()


def test_kan_grid_update_follows_the_data_and_keeps_the_function():
    torch.manual_seed(0)
    model = KAN(3, 1, hidden=4).double()
    x = (torch.randn(200, 1, 3, dtype=torch.double) * torch.tensor([0.2, 1.0, 5.0])) + torch.tensor([3.0, 0.0, -1.0])
    with torch.no_grad():
        before = model(x)
    model.update_grids(x)
    z = x.flatten(1)
    inner = model.layer1.knots[:, model.layer1.order:-model.layer1.order]  # the grid proper
    assert torch.all(inner[:, 0] <= z.min(0).values) and torch.all(inner[:, -1] >= z.max(0).values)
    assert torch.all(inner[:, -1] - inner[:, 0] < 1.1 * (z.max(0).values - z.min(0).values) + 0.01)
    # the refit keeps what the layer computes on the data (up to the least-squares fit of the old splines)
    with torch.no_grad():
        assert float(((model(x) - before) ** 2).mean() / before.var()) < 0.05


def test_paper_preset_is_the_published_recipe():
    cfg = resolve_config(preset="paper")
    assert (cfg.model, cfg.hidden, cfg.lag, cfg.target, cfg.lr, cfg.lam, cfg.epochs) == ("kan-paper", 128, 1, "level",
                                                                                       0.01, 0.008, 200)
    assert cfg.batch_size is None and not cfg.early_stopping and cfg.n_seeds == 1
    assert cfg.penalize_self and cfg.stitch_series  # as the authors' code: every entry, series joined
    # lambda on the SUM of the p * p * lag penalized entries (the diagonal included), whatever the sample size
    assert effective_lambda(cfg, 10, 50) == pytest.approx(0.008 * 100)
    series = resolve_config(preset="paper-series")
    assert not series.stitch_series and dataclasses.replace(series, stitch_series=True) == cfg
    assert resolve_config(preset="paper", epochs=5).epochs == 5  # explicit settings win
    assert dataclasses.asdict(resolve_config(preset="default")) == dataclasses.asdict(resolve_config())
    with pytest.raises(ValueError, match="unknown preset 'papr'; choose one of default, consensus, paper"):
        resolve_config(preset="papr")
    assert set(PRESETS) == {"default", "consensus", "paper", "paper-series"}


def test_paper_preset_runs_end_to_end():
    from grngc.core.api import infer_timecourse
    from grngc.simulate import var

    tc, truth = var(p=5, T=120, lag=1, seed=0)
    res = infer_timecourse(tc, resolve_config(preset="paper", epochs=20, progress=False))
    assert res.scores.shape == (5, 5) and len(res.record["runs"]) == 1
    assert res.record["runs"][0]["best_epoch"] == 19  # the last epoch, not the best held-out one


def test_stitched_series_join_in_natural_order_and_windows_cross():
    """--preset paper joins the series end to end as the authors' code does (2 before 10)."""
    from grngc.core.run import stitched
    from grngc.granger.gradients import make_windows
    from grngc.timecourse import TimeCourse

    X = np.arange(18.0).reshape(9, 2)
    tc = TimeCourse(X, ["a", "b"], [0, 1, 2] * 3, ["10"] * 3 + ["2"] * 3 + ["1"] * 3)
    one = stitched(tc)
    assert one.series_slices() == [("0", slice(0, 9))]
    np.testing.assert_array_equal(one.X[:, 0], [12, 14, 16, 6, 8, 10, 0, 2, 4])  # series 1, 2, 10
    assert len(make_windows(one, lag=1, val_fraction=0).targets) == 8  # 2 of them cross a junction
    assert len(make_windows(tc, lag=1, val_fraction=0).targets) == 6


def test_the_penalty_covers_the_diagonal_when_asked():
    import torch

    from grngc.granger.gradients import gradient_penalty, offdiag_mask
    from grngc.models import build_model

    torch.manual_seed(0)
    model = build_model("kan-paper", 4, 1, 8).double()
    x = torch.randn(6, 1, 4, dtype=torch.double)
    J = model.input_jacobian(x, create_graph=False).abs()
    torch.testing.assert_close(gradient_penalty(model, x, include_self=True).detach(), J.mean())
    off = offdiag_mask(4, 1).double()
    torch.testing.assert_close(gradient_penalty(model, x).detach(), (J * off).sum() / (off.sum() * 6))


def test_efficient_kan_initial_splines_and_scaler():
    """kan-paper starts as efficient-KAN: spline coefficients fitted to noise of amplitude 0.1 / grid at
    the grid points (tiny), a trainable per-edge scaler, and its Jacobian equals autograd's."""
    import torch

    from grngc.models import build_model

    torch.manual_seed(0)
    model = build_model("kan-paper", 5, 1, 8).double()
    layer = model.layer1
    assert layer.spline_scaler is not None and layer.spline_scaler.shape == (8, 5)
    grid = layer.knots[:, layer.order:layer.order + layer.grid_size + 1].T.double()
    values = torch.einsum("gib,oib->gio", layer._bases(grid, layer.order), layer.spline_weight)
    assert values.abs().max() <= 0.5 * 0.1 / 5 + 1e-6  # the fitted curve stays within the noise's amplitude
    x = torch.randn(3, 1, 5, dtype=torch.double)
    J = model.input_jacobian(x, create_graph=False)
    auto = torch.autograd.functional.jacobian(lambda z: model(z.view(1, 1, 5)).squeeze(0), x[0].view(-1))
    torch.testing.assert_close(J[0, :, 0, :], auto)


def test_granger_ridge_matches_a_closed_form_ridge_and_finds_the_var():
    from grngc.core.scaling import standardize
    from grngc.simulate import var

    tc, truth = var(p=6, T=400, lag=1, seed=2)
    alpha = 3.0
    S = granger_ridge(tc, alphas=[alpha])
    Xs = standardize(tc.X)[0]
    A, Y = Xs[:-1], Xs[1:]
    A1 = np.hstack([A, np.ones((len(A), 1))])
    reg = alpha * np.eye(7)
    reg[-1, -1] = 0  # the intercept is not penalized
    beta = np.linalg.solve(A1.T @ A1 + reg, A1.T @ Y)[:-1]  # (inputs, targets)
    ref = np.abs(beta)
    np.fill_diagonal(ref, 0)
    np.testing.assert_allclose(S, ref, rtol=1e-6, atol=1e-9)
    off = ~np.eye(6, dtype=bool)
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(truth[off], S[off]) > 0.95
    assert roc_auc_score(truth[off], S.T[off]) < 0.8  # direction: regulator -> target


@pytest.mark.parametrize("n, p", [(80, 12), (25, 40)])  # more samples than inputs, and fewer
def test_leave_one_out_ridge_matches_sklearn_ridgecv(n, p):
    """Our blockwise leave-one-out ridge picks each target's alpha and coefficients as sklearn's
    RidgeCV(alpha_per_target=True) does (the reference it replaces), whatever the block size."""
    from sklearn.linear_model import RidgeCV

    from grngc.methods.ridge import ridge_loo

    rng = np.random.default_rng(4)
    X = rng.normal(size=(n, p))
    Y = X @ (rng.normal(size=(p, 30)) * (rng.random((p, 30)) < 0.2)) + rng.normal(size=(n, 30)) + 2.0
    alphas = np.logspace(-3, 4, 15)
    ref = RidgeCV(alphas=alphas, alpha_per_target=True).fit(X, Y)
    assert len(np.unique(ref.alpha_)) > 1  # the targets do not all pick one alpha
    for block in (7, 256):
        np.testing.assert_allclose(ridge_loo(X, Y, alphas, block=block), ref.coef_.T, rtol=1e-8, atol=1e-10)


def test_cli_ridge_baseline_and_paper_preset(tmp_path):
    from grngc.cli import main
    from grngc.io import read_edges
    from grngc.simulate import to_anndata, var

    tc, truth = var(p=5, T=150, lag=1, seed=1)
    f = tmp_path / "var.h5ad"
    to_anndata(tc, truth).write_h5ad(f)
    assert main(["baseline", "ridge", str(f), "-o", str(tmp_path / "ridge.tsv")]) == 0
    e = read_edges(tmp_path / "ridge.tsv")
    assert list(e.columns[:3]) == ["regulator", "target", "score"] and len(e) == 20
    top = e.iloc[0]
    assert truth[tc.genes.index(top["regulator"]), tc.genes.index(top["target"])] == 1
    out = tmp_path / "paper"
    assert main(["infer", str(f), "-o", str(out), "--preset", "paper", "--epochs", "3", "--no-progress"]) == 0
    import json

    cfg = json.loads((out / "run.json").read_text())["config"]
    assert (cfg["model"], cfg["lag"], cfg["target"], cfg["epochs"], cfg["lam_scaling"]) == ("kan-paper", 1, "level", 3, "sum")


def test_members_are_rank_averaged(tmp_path):
    from grngc.core.api import infer_timecourse
    from grngc.core.combine import consensus_scores
    from grngc.simulate import var
    from grngc.core.runtime import Checkpointer

    tc, _ = var(p=5, T=100, lag=1, seed=4)
    a = dict(model="linear", epochs=30, n_seeds=1, progress=False)
    b = dict(model="mlp-per-target", hidden=4, same_time=True, target="level", lag=1, epochs=30, n_seeds=1,
             progress=False)
    ra = infer_timecourse(tc, resolve_config(**a))
    rb = infer_timecourse(tc, resolve_config(**b))
    ck = Checkpointer(tmp_path / "checkpoint.pt", every=5)
    both = infer_timecourse(tc, resolve_config(members=(a, b), combine="rank"), checkpoint=ck)
    np.testing.assert_allclose(both.scores, consensus_scores([ra.scores, rb.scores]))
    assert [m["config"]["model"] for m in both.record["members"]] == ["linear", "mlp-per-target"]
    assert len(both.record["runs"]) == 2 and not list(tmp_path.iterdir())  # member checkpoints removed
    # "shares" (the default's way): each member's scores over its target's total, then the rank mean
    shared = infer_timecourse(tc, resolve_config(members=(a, b), combine="shares"))
    shares = [np.abs(S) / np.abs(S).sum(0, keepdims=True) for S in (ra.scores, rb.scores)]
    np.testing.assert_allclose(shared.scores, consensus_scores(shares))
    with pytest.raises(ValueError, match="combine='mean': choose one of rank, shares"):
        resolve_config(members=(a, b), combine="mean")


def test_default_is_the_chosen_ensemble_and_a_model_setting_asks_for_one_model():
    from grngc.core.api import make_config
    from grngc.config import GRNGCConfig
    from grngc.core.presets import DEFAULT_MEMBERS

    cfg = resolve_config()
    assert cfg.members == DEFAULT_MEMBERS and make_config() == cfg
    assert resolve_config(epochs=7).members == tuple({**m, "epochs": 7} for m in DEFAULT_MEMBERS)
    one = resolve_config(model="linear")
    assert one.members == () and one.model == "linear"
    assert make_config(GRNGCConfig(seed=3)).members == ()  # an explicit config is taken as it is


def test_lag_zero_windows_hold_the_same_time_point_only(chain_timecourse):
    tc = chain_timecourse
    win = make_windows(tc, 0, val_fraction=0.0, same_time=True)
    assert win.inputs.shape == (tc.n_samples, 1) and np.array_equal(win.inputs[:, 0], win.targets)
    with pytest.raises(ValueError, match="lag must be >= 1"):
        make_windows(tc, 0)  # without same-time inputs a window would be empty
    from grngc.core.api import infer_timecourse

    with pytest.raises(ValueError, match=r"target 'delta' \(x\(t\) - x\(t-1\)\) needs lag >= 1"):
        infer_timecourse(tc, resolve_config(model="mlp-per-target", same_time=True, lag=0, target="delta",
                                            epochs=2, n_seeds=1, progress=False))


def test_same_time_only_model_finds_a_same_time_edge():
    """x1(t) = 2 x0(t) + noise, x2 independent: regressing each gene on the others at the same time
    point scores 0 <-> 1 above every pair with 2 (the direction is not identifiable here)."""
    rng = np.random.default_rng(0)
    x0 = rng.normal(size=300)
    X = np.c_[x0, 2 * x0 + 0.3 * rng.normal(size=300), rng.normal(size=300)]
    tc = TimeCourse(X, ["a", "b", "c"], np.arange(300.0), np.zeros(300))
    from grngc.core.api import infer_timecourse

    S = infer_timecourse(tc, resolve_config(model="mlp-per-target", hidden=4, same_time=True, lag=0,
                                            target="level", epochs=150, n_seeds=1, progress=False)).scores
    assert min(S[0, 1], S[1, 0]) > max(S[0, 2], S[2, 0], S[1, 2], S[2, 1])


def test_ridge_model_is_the_ridge_baseline(chain_timecourse):
    from grngc.core.api import infer_timecourse

    res = infer_timecourse(chain_timecourse, resolve_config(model="ridge", lag=1, target="level"))
    base = granger_ridge(chain_timecourse, target="level")
    np.testing.assert_allclose(res.scores, base / base[~np.eye(3, dtype=bool)].mean())  # relative units
    assert res.record["runs"] == []  # closed form: nothing trained
    assert res.scores[0, 1] > res.scores[1, 0]  # a -> b, regulator -> target
    with pytest.raises(ValueError, match="lag-1 ridge VAR"):
        infer_timecourse(chain_timecourse, resolve_config(model="ridge", lag=2))


def test_members_above_their_max_genes_are_skipped():
    from grngc.core.members import active_members, member_configs

    cfg = resolve_config(members=({"model": "linear"}, {"model": "ridge", "lag": 1},
                                  {"model": "mlp-per-target", "max_genes": 50}))
    assert [c.model for c in member_configs(cfg, 50)] == ["linear", "ridge", "mlp-per-target"]
    assert [c.model for c in member_configs(cfg, 51)] == ["linear", "ridge"]
    assert all("max_genes" not in m or m is cfg.members[2] for m in active_members(cfg, 10))


def test_a_skipped_member_is_named_in_the_log_and_run_json(chain_timecourse, caplog):
    """The ensemble must not become another method above a size without saying so (issue 37)."""
    from grngc.core.api import infer_timecourse

    cfg = resolve_config(members=({"model": "ridge", "lag": 1, "target": "level"},
                                  {"model": "linear", "lag": 1, "max_genes": 2, "epochs": 5}), progress=False)
    with caplog.at_level("INFO", logger="grngc"):
        res = infer_timecourse(chain_timecourse, cfg)  # 3 genes > max_genes 2
    assert [m["settings"]["model"] for m in res.record["members"]] == ["ridge"]
    assert res.record["members_skipped"] == [{"settings": dict(cfg.members[1]), "why": "3 genes > max_genes 2"}]
    assert "ensemble member linear skipped" in caplog.text


def test_per_target_shares_put_targets_on_one_scale():
    from grngc.core.combine import per_target_shares

    M = np.array([[0.0, 2.0, 0.0], [6.0, 0.0, 0.0], [2.0, -2.0, 5.0]])
    S = per_target_shares(M)
    np.testing.assert_allclose(S, [[0, 0.5, 0], [0.75, 0, 0], [0.25, 0.5, 0]])  # |M|, diagonal out, column sums 1


def test_run_record_says_what_the_score_is(chain_timecourse):
    from grngc.core.api import infer_timecourse
    from grngc.core.record import SCORE_ENSEMBLE, SCORE_MODEL

    one = infer_timecourse(chain_timecourse, resolve_config(model="ridge", lag=1, target="level"))
    assert one.record["score"] == SCORE_MODEL
    both = infer_timecourse(chain_timecourse, resolve_config(members=({"model": "ridge", "lag": 1},
                                                                      {"model": "ridge", "lag": 1, "target": "level"})))
    assert both.record["score"] == SCORE_ENSEMBLE
    off = ~np.eye(3, dtype=bool)
    assert both.scores[off].min() >= 0 and both.scores[off].max() < 1  # a mean rank in [0, 1)


def test_kan_grid_size_reaches_kan_models_only_and_stops_without_one(tmp_path):
    from grngc.cli import main
    from grngc.simulate import to_anndata, var
    from grngc.timecourse import InputError

    cfg = resolve_config(kan_grid_size=3, members=({"model": "linear"}, {"model": "kan-additive", "lag": 1}))
    assert cfg.kan_grid_size is None and cfg.members[1]["kan_grid_size"] == 3 and "kan_grid_size" not in cfg.members[0]
    assert resolve_config(model="kan-additive", kan_grid_size=3).kan_grid_size == 3
    with pytest.raises(InputError, match="no model here is a KAN"):
        resolve_config(kan_grid_size=2)  # the default ensemble has no KAN member
    tc, _ = var(p=4, T=60, seed=0)
    f = tmp_path / "v.h5ad"
    to_anndata(tc).write_h5ad(f)
    assert main(["infer", str(f), "-o", str(tmp_path / "out"), "--kan-grid-size", "2", "--no-progress"]) == 2
    assert not (tmp_path / "out").exists()


def test_genie3_member_is_genie3_and_the_consensus_preset_keeps_signs():
    """The consensus preset's forest member is GENIE3 itself (300 trees, the run's seed), scaled as a model's
    scores are; it has no signs, so the ensemble's signs come from the members that have them."""
    from grngc.core.api import infer_timecourse
    from grngc.methods.genie3 import genie3
    from grngc.simulate import var
    from grngc.core.combine import relative_scale

    tc, _ = var(p=5, T=60, lag=1, seed=2)
    one = infer_timecourse(tc, resolve_config(model="genie3", seed=3, progress=False))
    used = tc.canonical()
    ref = genie3(used.X, n_trees=300, seed=3)
    np.fill_diagonal(ref, 0.0)
    order = [used.genes.index(g) for g in tc.genes]
    np.testing.assert_allclose(one.scores, (ref / relative_scale(ref))[np.ix_(order, order)])
    assert one.signs is None
    res = infer_timecourse(tc, resolve_config("consensus", epochs=5, progress=False))
    assert [m["settings"]["model"] for m in res.record["members"]] == ["ridge", "mlp-per-target", "genie3"]
    assert res.signs is not None and set(np.unique(res.signs)) <= {-1.0, 0.0, 1.0}
