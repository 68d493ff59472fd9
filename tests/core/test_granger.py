import numpy as np
import pytest
import torch

from grngc.granger.gradients import gradient_penalty, granger_scores, make_windows, offdiag_mask
from grngc.models import build_model
from grngc.timecourse import InputError, TimeCourse


def test_windows_never_cross_series():
    # two series of 5 points; lag 2 gives 3 windows per series
    tc = TimeCourse(np.arange(20.0).reshape(10, 2), ["a", "b"], list(range(5)) * 2, ["s1"] * 5 + ["s2"] * 5)
    w = make_windows(tc, lag=2, val_fraction=0.34)
    assert w.inputs.tolist() == [[0, 1], [1, 2], [2, 3], [5, 6], [6, 7], [7, 8]]
    assert w.targets.tolist() == [2, 3, 4, 7, 8, 9]
    # the held-out windows are the tail of each series
    assert w.is_val.tolist() == [False, False, True, False, False, True]
    for inp, tgt in zip(w.inputs, w.targets):
        assert len({tc.series[i] for i in [*inp, tgt]}) == 1


def test_short_series_is_named():
    tc = TimeCourse(np.random.rand(8, 2), ["a", "b"], [0, 1, 2, 3, 4, 0, 1, 2], ["long"] * 5 + ["short"] * 3)
    with pytest.raises(InputError, match=r"series 'short' has 3 time point.*lag \+ 2 = 4"):
        make_windows(tc, lag=2)


def _exact_penalty(model, x):
    J = model.input_jacobian(x).abs()
    m = offdiag_mask(model.n_genes, model.lag)
    return float((J * m).sum().detach() / (m.sum() * x.shape[0]))


@pytest.mark.parametrize("name", ["kan", "mlp"])
def test_stochastic_penalty_is_unbiased(name):
    torch.manual_seed(0)
    p, m = 6, 2
    model = build_model(name, p, 2, 8).double()
    x = torch.randn(10, 2, p, dtype=torch.double)
    exact = _exact_penalty(model, x)
    assert float(gradient_penalty(model, x).detach()) == pytest.approx(exact, rel=1e-12)
    # expectation over every subset of m rows equals the exact penalty
    import itertools

    subsets = list(itertools.combinations(range(p), m))
    mean = np.mean([float(gradient_penalty(model, x, torch.tensor(s)).detach()) for s in subsets])
    assert mean == pytest.approx(exact, rel=1e-10)


def test_penalty_is_differentiable_and_excludes_self():
    torch.manual_seed(0)
    model = build_model("mlp", 4, 1, 8).double()
    x = torch.randn(5, 1, 4, dtype=torch.double)
    pen = gradient_penalty(model, x)
    pen.backward()
    assert all(p.grad is not None for p in model.parameters() if p.requires_grad and p.dim() > 1)
    # scores: S[i, j] = mean |d y_j / d x_i|
    S = granger_scores(model, x)
    J = torch.autograd.functional.jacobian(model, x)  # (5, 4, 5, 1, 4)
    ref = torch.stack([J[b, :, b, 0, :] for b in range(5)]).abs().mean(0).T  # (in, out)
    np.testing.assert_allclose(S, ref.numpy(), rtol=1e-10)


def test_scores_in_row_blocks_match_full():
    torch.manual_seed(1)
    model = build_model("kan", 7, 2, 8).double()
    x = torch.randn(9, 2, 7, dtype=torch.double)
    np.testing.assert_allclose(granger_scores(model, x, batch_size=4, rows_per_pass=3), granger_scores(model, x),
                               rtol=1e-10)


def test_scores_under_a_memory_bound_match_full():
    """A chunk budget of one window's Jacobian at a time gives the same scores, signs and lag profile."""
    torch.manual_seed(2)
    model = build_model("mlp", 6, 2, 8).double()
    x = torch.randn(11, 2, 6, dtype=torch.double)
    S, detail = granger_scores(model, x, detail=True)
    S1, detail1 = granger_scores(model, x, detail=True, rows_per_pass=2, max_elements=2 * 2 * 6)  # one window
    np.testing.assert_allclose(S1, S, rtol=1e-10)
    for a, b in zip(detail1.__dict__.values(), detail.__dict__.values()):
        np.testing.assert_allclose(a, b, rtol=1e-10)


def test_linear_scores_from_one_window_equal_the_mean_over_all():
    """The linear model's Jacobian is its weight matrix, so scoring reads one window; the result equals
    the mean over every window of the exact reverse-mode Jacobian (the generic GrangerModel path)."""
    from grngc.models.base import GrangerModel

    torch.manual_seed(3)
    model = build_model("linear", 5, 2, 0, same_time=True).double()
    with torch.no_grad():
        model.weight.normal_()
    x = torch.randn(13, 2, 5, dtype=torch.double)  # one past slot and the same-time slot
    S, detail = granger_scores(model, x, detail=True)
    J = GrangerModel.input_jacobian(model, x, create_graph=False)  # (13, 5, 2, 5), by autograd
    np.testing.assert_allclose(S, J.abs().mean((0, 2)).T.numpy(), rtol=1e-12)
    np.testing.assert_allclose(detail.signed, J.sum(2).mean(0).T.numpy(), rtol=1e-12)
    np.testing.assert_allclose(detail.positive, (J.sum(2) > 0).double().mean(0).T.numpy())
    assert (J[:, range(5), 1, range(5)] == 0).all()  # the target's own present value is masked
