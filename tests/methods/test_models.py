"""Every model's input Jacobian against torch.autograd.functional.jacobian on a tiny model."""
import pytest
import torch

from grngc.models import MODELS, build_model
from grngc.models.base import GrangerModel
from grngc.models.kan import KANLayer


def _reference_jacobian(model, x):
    J = torch.autograd.functional.jacobian(model, x)  # (B, p, B, lag, p)
    return torch.stack([J[b, :, b] for b in range(x.shape[0])])


@pytest.mark.parametrize("name", sorted(MODELS))
def test_input_jacobian_matches_autograd(name):
    torch.manual_seed(0)
    # mlp-masked exists only with same-time inputs (it hides each target's own present value)
    model = build_model(name, 5, 3, 8, same_time=name == "mlp-masked").double()
    with torch.no_grad():  # models that start at zero (linear, kan-additive) would match trivially
        for param in model.parameters():
            param.add_(0.3 * torch.randn_like(param))
    x = torch.randn(4, 3, 5, dtype=torch.double)
    ref = _reference_jacobian(model, x)
    assert model(x).shape == (4, 5)
    # KAN knots are laid out in float32 (kan-paper's spacing 0.4 is not exact there), so the closed form's
    # uniform spacing is right to float32's precision only
    tol = dict(rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(model.input_jacobian(x), ref, **tol)
    rows = torch.tensor([4, 0])
    torch.testing.assert_close(model.input_jacobian(x, rows), ref[:, rows], **tol)
    # the generic batched reverse-mode path agrees too
    torch.testing.assert_close(GrangerModel.input_jacobian(model, x, rows), ref[:, rows])


def test_kan_bsplines_partition_of_unity_and_derivative():
    layer = KANLayer(3, 2, grid_size=6).double()
    x = torch.linspace(-2.9, 2.9, 50, dtype=torch.double).view(-1, 1).expand(-1, 3).contiguous()
    B = layer._bases(x, layer.order)
    torch.testing.assert_close(B.sum(-1), torch.ones(50, 3, dtype=torch.double))
    # finite differences of the layer against its closed-form Jacobian
    eps = 1e-6
    J = layer.jacobian(x)
    for i in range(3):
        e = torch.zeros(3, dtype=torch.double)
        e[i] = eps
        fd = (layer(x + e) - layer(x - e)) / (2 * eps)
        torch.testing.assert_close(J[:, :, i], fd, atol=1e-6, rtol=1e-5)


def test_unknown_model_is_a_clear_error():
    with pytest.raises(ValueError, match="choose one of"):
        build_model("transformer", 3, 1, 4)


def test_additive_kan_starts_as_the_linear_model_and_masks_same_time():
    """With its splines at zero the additive KAN computes the linear model; its own same-time input is masked."""
    from grngc.models import AdditiveKAN, Linear

    torch.manual_seed(1)
    kan, lin = AdditiveKAN(4, 2, same_time=True).double(), Linear(4, 2, same_time=True).double()
    W = torch.randn(4, 8, dtype=torch.double)
    with torch.no_grad():
        kan.layer.base_weight.copy_(W)
        lin.weight.copy_(W)
    x = torch.randn(6, 2, 4, dtype=torch.double)
    torch.testing.assert_close(kan(x), lin(x))
    with torch.no_grad():
        kan.layer.spline_weight.normal_()
    J = kan.input_jacobian(x)
    assert torch.all(J[:, torch.arange(4), -1, torch.arange(4)] == 0)  # target j never sees its own x_j(t)
    assert torch.all(J[:, 0, 0, 1] != 0)  # a past value of another gene is seen
