"""The single-cell neural member (grngc.models.adjacency): a gene never predicts itself, the score is the
model's own input-output gradient, a regulator list shrinks the weights, and on a seeded chain of genes
the trained model finds the true regulator -> target edges (direction: regulator -> target rows)."""
import numpy as np
import torch

from grngc.cells import cell_mode_scores
from grngc.models.adjacency import AdjacencyDenoiser, fit_adjacency, gradient_scores, noise_level, train_adjacency
from grngc.timecourse import TimeCourse


def chain_cells(n=600, seed=0):
    """g0 -> g1 -> g2 (nonlinear), g3 independent: z-scored cells."""
    rng = np.random.default_rng(seed)
    g0 = rng.normal(size=n)
    g1 = np.tanh(1.5 * g0) + 0.3 * rng.normal(size=n)
    g2 = 0.8 * g1 + 0.3 * rng.normal(size=n)
    g3 = rng.normal(size=n)
    X = np.column_stack([g0, g1, g2, g3])
    return (X - X.mean(0)) / X.std(0)


def test_no_gene_enters_its_own_prediction():
    torch.manual_seed(0)
    model = AdjacencyDenoiser(5)
    with torch.no_grad():
        model.A.normal_()
    z = torch.randn(3, 5, requires_grad=True)
    out = model(z, torch.zeros(3))
    for j in range(5):
        (grad,) = torch.autograd.grad(out[:, j].sum(), z, retain_graph=True)
        assert torch.all(grad[:, j] == 0)  # d z^_j / d z_j = 0 exactly
        assert torch.any(grad[:, np.arange(5) != j] != 0)


def test_score_is_the_mean_absolute_input_output_gradient():
    Z = chain_cells(200)
    model = train_adjacency(Z, settings={"steps": 30}, seed=1)
    S, signed = gradient_scores(model, Z)
    z = torch.as_tensor(Z, dtype=torch.float32).requires_grad_(True)
    J, Js = np.zeros((4, 4)), np.zeros((4, 4))
    for j in range(4):  # autograd through the whole model, one target at a time
        (grad,) = torch.autograd.grad(model(z, torch.zeros(len(Z)))[:, j].sum(), z)
        J[:, j], Js[:, j] = grad.abs().mean(0).numpy(), grad.mean(0).numpy()  # rows: regulator i
    np.testing.assert_allclose(S, J, rtol=1e-4, atol=1e-7)
    np.testing.assert_allclose(signed, Js, rtol=1e-4, atol=1e-7)
    again, _ = fit_adjacency(Z, settings={"steps": 30}, seed=1)
    np.testing.assert_allclose(again, S, rtol=1e-6)  # seeded: the same network twice


def test_finds_the_chain_with_rows_as_regulators():
    Z = chain_cells()
    S, signed = fit_adjacency(Z, seed=0)
    assert np.all(np.diag(S) == 0)
    # the true pairs (either way round: same-time co-expression) outrank every pair with the independent gene
    linked = min(S[0, 1] + S[1, 0], S[1, 2] + S[2, 1])
    assert linked > max(S[3, k] + S[k, 3] for k in range(3))
    assert signed[1, 2] > 0  # g1 raises g2


def test_regulators_shrink_the_weights_and_zero_other_rows():
    Z = chain_cells(200)
    model = AdjacencyDenoiser(4, np.array([0, 1]))
    assert tuple(model.A.shape) == (2, 4)  # |R| x p weights, not p x p
    S, _ = fit_adjacency(Z, np.array([0, 1]), {"steps": 20})
    assert np.all(S[2:] == 0) and S[0, 1] > 0 and S[1, 1] == 0


def test_noise_levels_span_the_closed_forms_penalties():
    s = noise_level(10000, 100, (0.003, 0.3), torch.Generator().manual_seed(0))
    lam = s ** 2 / (1 - s ** 2)
    assert 0.3 * 0.99 < lam.min() and lam.max() < 30 * 1.01  # lambda in [0.003 p, 0.3 p]


def test_single_cell_member_neural_through_cell_mode_scores():
    Z = chain_cells(300)
    tc = TimeCourse(Z, ["g0", "g1", "g2", "g3"], np.linspace(0, 1, 300), np.zeros(300, int), "chain")
    out = cell_mode_scores(tc, ["g0", "g1"], settings={"members": ["neural"], "neural": {"steps": 50}}, seed=3)
    S, signed = out["neural"]
    assert S.shape == (4, 4) and np.all(S[2:] == 0)
    again, _ = cell_mode_scores(tc, ["g0", "g1"], settings={"members": ["neural"], "neural": {"steps": 50}},
                                seed=3)["neural"]
    np.testing.assert_array_equal(S, again)
