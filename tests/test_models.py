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
    model = build_model(name, 5, 3, 8).double()
    x = torch.randn(4, 3, 5, dtype=torch.double)
    ref = _reference_jacobian(model, x)
    assert model(x).shape == (4, 5)
    torch.testing.assert_close(model.input_jacobian(x), ref)
    rows = torch.tensor([4, 0])
    torch.testing.assert_close(model.input_jacobian(x, rows), ref[:, rows])
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
