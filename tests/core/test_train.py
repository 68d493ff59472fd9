import numpy as np
import pytest

from grngc.core.api import infer, infer_timecourse
from grngc.evaluate.metrics import evaluate_scores
from grngc.granger.gradients import effective_lambda
from grngc.granger.train import GRNGCConfig, fit_one


@pytest.mark.parametrize("model", ["mlp", "kan"])
def test_chain_direction_a_b_c(chain_timecourse, fast_settings, model):
    """a -> b -> c: the past of a predicts b, so a -> b must outrank b -> a (and likewise b -> c)."""
    res = infer_timecourse(chain_timecourse, GRNGCConfig(model=model, seed=0, **fast_settings))
    S = res.scores
    a, b, c = 0, 1, 2
    assert S[a, b] > S[b, a]
    assert S[b, c] > S[c, b]
    assert S[a, b] > S[a, c] and S[b, c] > S[c, a]
    top2 = res.edges().head(2)
    assert set(zip(top2.regulator, top2.target)) == {("a", "b"), ("b", "c")}


def test_same_seed_same_scores_other_seed_differs(chain_timecourse, fast_settings):
    cfg = GRNGCConfig(seed=3, **fast_settings)
    s1 = fit_one(chain_timecourse, cfg, 3).scores
    s2 = fit_one(chain_timecourse, cfg, 3).scores
    s3 = fit_one(chain_timecourse, cfg, 4).scores
    np.testing.assert_array_equal(s1, s2)
    assert not np.array_equal(s1, s3)


def test_early_stopping_uses_held_out_loss(chain_timecourse, fast_settings):
    r = fit_one(chain_timecourse, GRNGCConfig(**fast_settings), 0)
    h = r.history
    assert r.best_epoch == int(np.argmin(h["val_mse"]))
    assert len(h["val_mse"]) == len(h["train_mse"]) <= fast_settings["epochs"]


def test_lambda_scaling():
    cfg = GRNGCConfig(lam=2.0, lag=2)
    assert effective_lambda(cfg, 10, 100) == pytest.approx(2.0 * 20 * np.sqrt(np.log(20) / 100))
    assert effective_lambda(GRNGCConfig(lam=2.0, lam_scaling="none"), 10, 100) == 2.0


def test_array_api_recovers_simulated_var(fast_settings):
    from grngc import simulate

    tc, truth = simulate.var(p=5, T=400, lag=1, seed=2)
    res = infer(tc.X, time=tc.time, genes=tc.genes, seed=0, lag=1, **fast_settings)
    assert evaluate_scores(res.scores, truth)["auroc"] > 0.9
    assert np.all(np.diag(res.scores) == 0)


def test_constant_gene_dropped_and_recorded(chain_timecourse, fast_settings):
    tc = chain_timecourse
    X = np.column_stack([tc.X, np.full(tc.n_samples, 3.0)])
    with pytest.warns(UserWarning, match="constant gene.*'flat'"):
        res = infer(X, time=tc.time, series=tc.series, genes=[*tc.genes, "flat"], **fast_settings)
    assert res.record["dropped_genes"] == ["flat"]
    assert np.all(res.scores[3] == 0) and np.all(res.scores[:, 3] == 0)
    assert len(res.edges()) == 12


def test_anndata_api_stores_varp_and_uns(tiny_adata, fast_settings, tmp_path):
    import anndata as ad

    from grngc import infer_anndata

    out = infer_anndata(tiny_adata, copy=True, **fast_settings)
    assert out.varp["grngc"].shape == (3, 3)
    rec = out.uns["grngc"]  # a plain nested dict, not a JSON string
    assert list(rec["genes"]) == ["a", "b", "c"] and rec["config"]["model"] == "mlp"
    assert len(rec["runs"]["0"]["history"]["val_mse"]) > 0  # the loss curves, per model
    out.write_h5ad(tmp_path / "o.h5ad")  # ... and it survives .h5ad
    back = ad.read_h5ad(tmp_path / "o.h5ad").uns["grngc"]
    assert list(back["genes"]) == ["a", "b", "c"] and back["score"] == rec["score"]
    assert "grngc" not in tiny_adata.varp  # copy=True leaves the input alone
    S = out.varp["grngc"]
    assert S[0, 1] > S[1, 0]


def test_auto_ensemble_size_and_seed_offsets(chain_timecourse, fast_settings):
    from grngc.granger.train import resolved_n_seeds

    assert resolved_n_seeds(GRNGCConfig(), chain_timecourse) == 5  # 3 genes x 360 samples: small
    big = GRNGCConfig(n_seeds="auto")
    from grngc.timecourse import TimeCourse

    tc = TimeCourse(np.zeros((1000, 100)), [f"g{i}" for i in range(100)], np.arange(1000), np.zeros(1000))
    assert resolved_n_seeds(big, tc) == 1
    res = infer_timecourse(chain_timecourse, GRNGCConfig(seed=7, **{**fast_settings, "n_seeds": 2}))
    assert [r["seed"] for r in res.record["runs"]] == [70_000, 70_001]  # grngc.granger.train.model_seed


def test_penalty_sparsifies_the_causal_structure(chain_timecourse, fast_settings):
    """The default penalty (lam=1) concentrates score mass on the true edges a -> b, b -> c vs lam=0."""
    def share_on_true(lam):
        S = fit_one(chain_timecourse, GRNGCConfig(lam=lam, **fast_settings), 0).scores
        off = ~np.eye(3, dtype=bool)
        return (S[0, 1] + S[1, 2]) / S[off].sum()

    assert share_on_true(1.0) > share_on_true(0.0) + 0.05


def test_cpu_fallback_when_cuda_missing(monkeypatch, caplog):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert GRNGCConfig(device="cuda").resolved_device().type == "cpu"
    assert "CUDA is not available" in caplog.text
    assert GRNGCConfig(device="auto").resolved_device().type == "cpu"


def test_gene_and_sample_order_do_not_change_the_network(chain_timecourse, fast_settings):
    """Users report this failing in other GRN tools: shuffled input, same network (CPU)."""
    tc = chain_timecourse
    rng = np.random.default_rng(1)
    rows, cols = rng.permutation(tc.n_samples), [2, 0, 1]
    a = infer(tc.X, time=tc.time, series=tc.series, genes=tc.genes, **fast_settings)
    b = infer(tc.X[rows][:, cols], time=tc.time[rows], series=tc.series[rows],
              genes=[tc.genes[c] for c in cols], **fast_settings)
    np.testing.assert_array_equal(b.scores, a.scores[np.ix_(cols, cols)])
    pd_a = a.edges().set_index(["regulator", "target"])["score"]
    pd_b = b.edges().set_index(["regulator", "target"])["score"]
    assert pd_a.sort_index().equals(pd_b.sort_index())


def test_warns_when_the_model_learns_nothing(caplog):
    from grngc import simulate
    from grngc.granger.train import GRNGCConfig, fit

    tc, _ = simulate.lorenz96(p=200, T=60, seed=0)  # far fewer samples than genes
    fit(tc, GRNGCConfig(progress=False, epochs=55, n_seeds=1, hidden=16))
    assert "did not improve after the first epoch" in caplog.text and "60 samples for 200 genes" in caplog.text


def test_runs_with_different_seeds_share_no_model(chain_timecourse):
    """The pipeline's seeds [0, 1, 2] run one job each; model k of seed s trains with s * 10,000 + k."""
    from grngc.core.api import infer_timecourse
    from grngc.core.presets import resolve_config
    from grngc.granger.train import model_seed

    seeds = {}
    for s in (0, 1):
        rec = infer_timecourse(chain_timecourse, resolve_config(model="linear", n_seeds=3, epochs=2, min_epochs=1,
                                                                seed=s, progress=False)).record
        seeds[s] = {r["seed"] for r in rec["runs"]}
    assert seeds[0] == {0, 1, 2} and seeds[1] == {10_000, 10_001, 10_002}
    assert model_seed(2, 4) == 20_004


def test_near_constant_gene_dropped_and_recorded(chain_timecourse, fast_settings):
    """A gene with std 1e-9 (float noise) would be z-scored into signal; it is dropped like a constant one."""
    tc = chain_timecourse
    almost = 3.0 + 1e-9 * np.random.default_rng(0).normal(size=tc.n_samples)
    X = np.column_stack([tc.X, almost])
    with pytest.warns(UserWarning, match=r"constant gene.*'almost'.*below 1e-08 x the median"):
        res = infer(X, time=tc.time, series=tc.series, genes=[*tc.genes, "almost"], **fast_settings)
    assert res.record["dropped_genes"] == ["almost"]
    assert np.all(res.scores[3] == 0) and np.all(res.scores[:, 3] == 0)


def test_drop_regulators_hides_whole_regulators_and_keeps_the_mean():
    import torch

    from grngc.granger.train import drop_regulators

    x = torch.ones(4000, 3, 5)
    assert drop_regulators(x, 0.0) is x
    torch.manual_seed(0)
    y = drop_regulators(x, 0.5)
    # a regulator is hidden or kept in all its slots at once; kept ones are scaled by 1 / (1 - q)
    assert set(torch.unique(y).tolist()) == {0.0, 2.0}
    assert torch.all(y.amin(1) == y.amax(1))
    assert abs(float(y.mean()) - 1.0) < 0.02 and abs(float((y == 0).float().mean()) - 0.5) < 0.02


def _near_copy_of_regulator(seed=0, T=400):
    """y(t) = x1(t-1) + noise, where x2 is x1 plus a little noise (a near-copy that does not act on y)."""
    from grngc.timecourse import TimeCourse

    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=T)
    x2 = x1 + 0.3 * rng.normal(size=T)
    y = np.r_[0.0, x1[:-1]] + 0.3 * rng.normal(size=T)
    z = rng.normal(size=T)
    return TimeCourse(np.column_stack([x1, x2, y, z]), ["x1", "x2", "y", "z"], np.arange(T, dtype=float),
                      np.zeros(T, dtype=int))


def test_input_dropout_spreads_credit_over_correlated_regulators(fast_settings):
    """With the L1 penalty alone x1 carries y's forecast and its near-copy x2 gets little; hiding
    regulators at random during training makes the forecast draw on both (as a random forest's
    feature subsampling does): x2's share of y's credit rises. What that is worth on real networks
    (where a correlated regulator is often a true one, and sometimes not) is the protocol's to say."""
    tc = _near_copy_of_regulator()
    share = {}
    for q in (0.0, 0.5):
        S = fit_one(tc, GRNGCConfig(model="linear", lag=1, target="level", input_dropout=q, seed=0,
                                    **{**fast_settings, "epochs": 400, "patience": 400}), 0).scores
        share[q] = S[1, 2] / S[0, 2]
        assert S[0, 2] == S[:, 2].max() and S[1, 2] > S[3, 2]  # x1 first, its copy above the unrelated z
    assert share[0.5] > share[0.0] + 0.1, share  # measured: 0.69 -> 0.88


def test_input_dropout_out_of_range_is_refused(chain_timecourse, fast_settings):
    from grngc.core.presets import resolve_config
    from grngc.timecourse import InputError

    with pytest.raises(ValueError, match=r"input_dropout \(--input-dropout\).*not 1.0"):
        fit_one(chain_timecourse, GRNGCConfig(input_dropout=1.0, **fast_settings), 0)
    with pytest.raises(InputError, match=r"input_dropout \(--input-dropout\).*not -0.1"):
        resolve_config(input_dropout=-0.1)  # the API stops here, before any data is read
    tc = chain_timecourse
    with pytest.raises(InputError, match="input_dropout"):
        infer(tc.X, time=tc.time, series=tc.series, genes=tc.genes, input_dropout=1.5, **fast_settings)


class _Terminal:
    """A stderr that says it is a terminal (tqdm draws bars only on one) and records what is written."""

    def __init__(self, tty: bool):
        self.tty, self.text = tty, ""

    def isatty(self):
        return self.tty

    def write(self, s):
        self.text += s

    def flush(self):
        pass


@pytest.mark.parametrize("tty", [True, False])
def test_one_progress_bar_per_inference_and_none_outside_a_terminal(monkeypatch, chain_timecourse, tty):
    """tl.infer printed ten bars per call (286 KB into a log file): now one bar for the whole run, whose
    total grows with each model, and nothing at all when stderr is not a terminal."""
    import sys

    import grngc.core.runtime as train
    from grngc.core.api import infer_timecourse, make_config

    err = _Terminal(tty)
    monkeypatch.setattr(sys, "stderr", err)
    bars = []
    real = train.run_progress

    def counting(enabled):
        bars.append(enabled)
        return real(enabled)

    monkeypatch.setattr(train, "run_progress", counting)
    infer_timecourse(chain_timecourse, make_config(epochs=15, n_seeds=2, progress=True))
    assert len(bars) == 1
    if tty:
        import re

        totals = {int(m) for m in re.findall(r"grngc:[^|]*\|[^|]*\|\s*\d+/(\d+)", err.text)}
        assert totals and max(totals) >= 2 * 15  # one bar, its total the sum of the models' epochs
    else:
        assert err.text == ""
