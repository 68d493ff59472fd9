"""Kolmogorov-Arnold Network forecaster (the default model), written here in plain PyTorch.

A KAN layer maps ``x in R^{n_in}`` to ``y in R^{n_out}`` with a learnable function on every edge:

.. math::
    y_o = \\sum_i \\Big( w^{base}_{oi}\\, \\mathrm{silu}(x_i) + \\sum_g c_{oig}\\, B_g(x_i) \\Big) + b_o

where ``B_g`` are cubic B-splines on a uniform grid (as in efficient-KAN). The input Jacobian is
closed form, layer by layer:

.. math::
    \\frac{\\partial y_o}{\\partial x_i} = w^{base}_{oi}\\,\\mathrm{silu}'(x_i)
        + \\sum_g c_{oig}\\, B'_g(x_i), \\qquad
    B'_{g,k}(x) = \\frac{B_{g,k-1}(x) - B_{g+1,k-1}(x)}{h}

(uniform knots, spacing ``h``), and the network's Jacobian is the product of the layers'.
Everything is vectorized over samples, genes and grid points; the only Python loop runs over the
spline order (3 steps of the Cox-de Boor recursion).
"""
from __future__ import annotations

import math

import torch
from torch import nn

from .base import GrangerModel


def _silu_grad(x: torch.Tensor) -> torch.Tensor:
    s = torch.sigmoid(x)
    return s * (1 + x * (1 - s))


class KANLayer(nn.Module):
    def __init__(self, n_in: int, n_out: int, grid_size: int = 6, spline_order: int = 3,
                 grid_range: tuple[float, float] = (-3.0, 3.0), scale_spline: float = 0.1,
                 base: str = "silu"):
        super().__init__()
        if base not in ("silu", "identity"):
            raise ValueError(f"base must be 'silu' or 'identity', not {base!r}")
        self.base = base
        self.n_in, self.n_out, self.order = n_in, n_out, spline_order
        a, b = grid_range
        self.h = (b - a) / grid_size
        knots = a + self.h * torch.arange(-spline_order, grid_size + spline_order + 1, dtype=torch.float32)
        self.register_buffer("knots", knots)
        self.n_basis = grid_size + spline_order
        self.base_weight = nn.Parameter(torch.empty(n_out, n_in))
        nn.init.kaiming_uniform_(self.base_weight, a=math.sqrt(5))
        self.spline_weight = nn.Parameter(torch.randn(n_out, n_in, self.n_basis) * scale_spline / math.sqrt(n_in))
        self.bias = nn.Parameter(torch.zeros(n_out))

    def _bases(self, x: torch.Tensor, order: int) -> torch.Tensor:
        """B-spline bases of the given order at ``x`` (..., n_in) -> (..., n_in, n_knots - 1 - order)."""
        t = self.knots
        xe = x.unsqueeze(-1)
        B = ((xe >= t[:-1]) & (xe < t[1:])).to(x.dtype)
        for k in range(1, order + 1):  # loop over the spline order only
            left = (xe - t[: -(k + 1)]) / (t[k:-1] - t[: -(k + 1)]) * B[..., :-1]
            right = (t[k + 1:] - xe) / (t[k + 1:] - t[1:-k]) * B[..., 1:]
            B = left + right
        return B

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        base = (nn.functional.silu(x) if self.base == "silu" else x) @ self.base_weight.T
        spline = self._bases(x, self.order).flatten(-2) @ self.spline_weight.flatten(1).T
        return base + spline + self.bias

    def jacobian(self, x: torch.Tensor, rows: torch.Tensor | None = None) -> torch.Tensor:
        """``dy/dx`` per sample: (B, n_in) -> (B, n_out, n_in), or only output ``rows`` (B, m, n_in)."""
        lower = self._bases(x, self.order - 1)  # (B, n_in, n_basis + 1)
        dB = (lower[..., :-1] - lower[..., 1:]) / self.h  # uniform knots
        spline_w, base_w = self.spline_weight, self.base_weight
        if rows is not None:  # cost grows with len(rows), not n_out
            spline_w, base_w = spline_w[rows], base_w[rows]
        spline = torch.einsum("big,oig->boi", dB, spline_w)
        if self.base == "identity":
            return spline + base_w.unsqueeze(0)
        return spline + base_w.unsqueeze(0) * _silu_grad(x).unsqueeze(1)


class KAN(GrangerModel):
    """Two KAN layers ``[lag * p -> hidden -> p]``.

    With ``input_layer="linear"`` the first layer is a plain linear map (``hidden`` mixtures of all
    inputs) and only the second is a KAN layer; the gradient with respect to each input is then a
    linear combination of shared terms, so it no longer depends on that input's own marginal
    distribution (with a spline on every input, skewed genes get systematically different gradients).
    """

    def __init__(self, n_genes: int, lag: int, hidden: int = 64, grid_size: int = 6,
                 base: tuple[str, str] = ("silu", "silu"), input_layer: str = "kan"):
        super().__init__(n_genes, lag)
        self.hidden = hidden
        self.input_layer = input_layer
        if input_layer == "kan":
            self.layer1 = KANLayer(lag * n_genes, hidden, grid_size=grid_size, base=base[0])
        elif input_layer == "linear":
            self.layer1 = nn.Linear(lag * n_genes, hidden)
        else:
            raise ValueError(f"input_layer must be 'kan' or 'linear', not {input_layer!r}")
        self.layer2 = KANLayer(hidden, n_genes, grid_size=grid_size, base=base[1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layer2(self.layer1(x.flatten(1)))

    def input_jacobian(self, x, rows=None, create_graph=True):
        z = x.flatten(1)
        h = self.layer1(z)
        J2 = self.layer2.jacobian(h, rows)  # (B, m, hidden)
        if self.input_layer == "linear":
            J = J2 @ self.layer1.weight  # (B, m, lag*p)
        else:
            J = J2 @ self.layer1.jacobian(z)  # (B, m, hidden) @ (B, hidden, lag*p)
        if not create_graph:
            J = J.detach()
        return J.view(x.shape[0], -1, self.lag, self.n_genes)
