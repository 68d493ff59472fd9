"""Kolmogorov-Arnold Network forecaster, written here in plain PyTorch.

A KAN layer maps ``x in R^{n_in}`` to ``y in R^{n_out}`` with a learnable function on every edge:

.. math::
    y_o = \\sum_i \\Big( w^{base}_{oi}\\, b(x_i) + \\sum_g c_{oig}\\, B_{ig}(x_i) \\Big) + \\beta_o

where ``b`` is the base activation (``identity``, as the GRNGC authors use, or ``silu``) and
``B_{ig}`` are cubic B-splines on a uniform grid of input ``i`` (as in efficient-KAN). The input
Jacobian is closed form, layer by layer:

.. math::
    \\frac{\\partial y_o}{\\partial x_i} = w^{base}_{oi}\\, b'(x_i)
        + \\sum_g c_{oig}\\, B'_{ig}(x_i), \\qquad
    B'_{g,k}(x) = \\frac{B_{g,k-1}(x) - B_{g+1,k-1}(x)}{h_i}

(uniform knots of spacing ``h_i``), and the network's Jacobian is the product of the layers'.

**Grids that follow the data.** With a fixed grid, a gene whose values sit where the splines are
flat (or outside their support) gets systematically smaller gradients than one in the middle of
the grid: its Granger scores then say where its values lie, not whom it regulates. ``update_grid``
(efficient-KAN's ``update_grid`` with ``grid_eps = 1``, pykan's ``update_grid_from_samples``) moves
each input's grid onto the range its values take and refits the spline coefficients by least
squares so that the layer computes the same function; :meth:`KAN.update_grids` does it for every
layer's inputs, and training can call it early on (``GRNGCConfig.kan_grid_updates``; off by
default: on the development families it measured worse than the fixed grid, docs/accuracy-history.md).
With the identity base a value outside the grid still has the linear weight's gradient.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from .base import GrangerModel, input_mask


def _silu_grad(x: torch.Tensor) -> torch.Tensor:
    s = torch.sigmoid(x)
    return s * (1 + x * (1 - s))


class KANLayer(nn.Module):
    def __init__(self, n_in: int, n_out: int, grid_size: int = 6, spline_order: int = 3,
                 grid_range: tuple[float, float] = (-3.0, 3.0), scale_spline: float = 0.1,
                 base: str = "silu", bias: bool = True, init: str = "normal"):
        super().__init__()
        if base not in ("silu", "identity"):
            raise ValueError(f"base must be 'silu' or 'identity', not {base!r}")
        self.base = base
        self.n_in, self.n_out, self.order, self.grid_size = n_in, n_out, spline_order, grid_size
        lo = torch.full((n_in,), float(grid_range[0]))
        hi = torch.full((n_in,), float(grid_range[1]))
        self.register_buffer("knots", self._uniform_knots(lo, hi))  # (n_in, grid_size + 2 order + 1)
        self.n_basis = grid_size + spline_order
        self.base_weight = nn.Parameter(torch.empty(n_out, n_in))
        nn.init.kaiming_uniform_(self.base_weight, a=math.sqrt(5))
        self.spline_scaler = None
        if init == "normal":
            self.spline_weight = nn.Parameter(torch.randn(n_out, n_in, self.n_basis) * scale_spline / math.sqrt(n_in))
        elif init == "efficient-kan":  # efficient-KAN's (the authors' KAN): splines fitted to small noise at
            # the grid points, times a trainable per-edge scaler (the product trains slowly under Adam)
            self.spline_weight = nn.Parameter(self._noise_coefficients(scale_noise=0.1))
            self.spline_scaler = nn.Parameter(torch.empty(n_out, n_in))
            nn.init.kaiming_uniform_(self.spline_scaler, a=math.sqrt(5))
        else:
            raise ValueError(f"init must be 'normal' or 'efficient-kan', not {init!r}")
        self.bias = nn.Parameter(torch.zeros(n_out)) if bias else None

    @torch.no_grad()
    def _noise_coefficients(self, scale_noise: float) -> torch.Tensor:
        """efficient-KAN's ``curve2coeff`` of uniform noise (amplitude ``scale_noise / grid_size``) drawn at
        the ``grid_size + 1`` grid points: the least-squares spline coefficients, ``(n_out, n_in, n_basis)``."""
        points = self.knots[:, self.order:self.order + self.grid_size + 1].T  # (grid_size + 1, n_in)
        noise = (torch.rand(self.grid_size + 1, self.n_in, self.n_out) - 0.5) * scale_noise / self.grid_size
        A = self._bases(points, self.order).transpose(0, 1)  # (n_in, grid_size + 1, n_basis)
        coef = torch.linalg.lstsq(A, noise.transpose(0, 1)).solution  # (n_in, n_basis, n_out)
        return coef.permute(2, 0, 1).contiguous()

    @property
    def scaled_spline_weight(self) -> torch.Tensor:
        """The spline coefficients in use: times the per-edge scaler where the layer has one."""
        if self.spline_scaler is None:
            return self.spline_weight
        return self.spline_weight * self.spline_scaler.unsqueeze(-1)

    def _uniform_knots(self, lo: torch.Tensor, hi: torch.Tensor) -> torch.Tensor:
        h = (hi - lo) / self.grid_size
        steps = torch.arange(-self.order, self.grid_size + self.order + 1, dtype=lo.dtype, device=lo.device)
        return lo.unsqueeze(1) + h.unsqueeze(1) * steps

    @property
    def h(self) -> torch.Tensor:
        """Knot spacing of each input, ``(n_in,)``."""
        return self.knots[:, 1] - self.knots[:, 0]

    def _bases(self, x: torch.Tensor, order: int) -> torch.Tensor:
        """B-spline bases of the given order at ``x`` (..., n_in) -> (..., n_in, n_knots - 1 - order)."""
        t = self.knots
        xe = x.unsqueeze(-1)
        B = ((xe >= t[:, :-1]) & (xe < t[:, 1:])).to(x.dtype)
        for k in range(1, order + 1):  # loop over the spline order only
            left = (xe - t[:, : -(k + 1)]) / (t[:, k:-1] - t[:, : -(k + 1)]) * B[..., :-1]
            right = (t[:, k + 1:] - xe) / (t[:, k + 1:] - t[:, 1:-k]) * B[..., 1:]
            B = left + right
        return B

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        base = (nn.functional.silu(x) if self.base == "silu" else x) @ self.base_weight.T
        spline = self._bases(x, self.order).flatten(-2) @ self.scaled_spline_weight.flatten(1).T
        return base + spline + (self.bias if self.bias is not None else 0.0)

    def jacobian(self, x: torch.Tensor, rows: torch.Tensor | None = None) -> torch.Tensor:
        """``dy/dx`` per sample: (B, n_in) -> (B, n_out, n_in), or only output ``rows`` (B, m, n_in)."""
        lower = self._bases(x, self.order - 1)  # (B, n_in, n_basis + 1)
        dB = (lower[..., :-1] - lower[..., 1:]) / self.h.unsqueeze(-1)  # uniform knots per input
        spline_w, base_w = self.scaled_spline_weight, self.base_weight
        if rows is not None:  # cost grows with len(rows), not n_out
            spline_w, base_w = spline_w[rows], base_w[rows]
        spline = torch.einsum("big,oig->boi", dB, spline_w)
        if self.base == "identity":
            return spline + base_w.unsqueeze(0)
        return spline + base_w.unsqueeze(0) * _silu_grad(x).unsqueeze(1)

    @torch.no_grad()
    def update_grid(self, x: torch.Tensor, margin: float = 0.01) -> None:
        """Put each input's grid on the range of ``x[:, i]`` (widened by ``margin`` of it) and refit the
        spline coefficients by least squares on ``x``, so that the layer's function is kept on the data."""
        if self.spline_scaler is not None:  # fold the scaler into the coefficients first
            self.spline_weight.copy_(self.scaled_spline_weight)
            self.spline_scaler.fill_(1.0)
        old = self._bases(x, self.order)  # (B, n_in, n_basis)
        values = torch.einsum("big,oig->iob", old, self.spline_weight)  # (n_in, n_out, B)
        lo, hi = x.min(0).values, x.max(0).values
        pad = margin * (hi - lo) + 1e-3
        self.knots.copy_(self._uniform_knots(lo - pad, hi + pad))
        new = self._bases(x, self.order).transpose(0, 1)  # (n_in, B, n_basis)
        coef = torch.linalg.lstsq(new, values.transpose(1, 2)).solution  # (n_in, n_basis, n_out)
        self.spline_weight.copy_(coef.permute(2, 0, 1))


class KAN(GrangerModel):
    """Two KAN layers ``[lag * p -> hidden -> p]``.

    ``base`` is the base activation of each layer; ``grid_range`` the initial grid (moved onto the
    data by :meth:`update_grids`). With ``input_layer="linear"`` the first layer is a plain linear map.
    """

    def __init__(self, n_genes: int, lag: int, hidden: int = 64, grid_size: int = 6,
                 base: tuple[str, str] = ("identity", "identity"), input_layer: str = "kan",
                 grid_range: tuple[float, float] = (-3.0, 3.0), bias: bool = True, init: str = "normal"):
        super().__init__(n_genes, lag)
        self.hidden = hidden
        self.input_layer = input_layer
        if input_layer == "kan":
            self.layer1 = KANLayer(lag * n_genes, hidden, grid_size=grid_size, base=base[0], grid_range=grid_range,
                                   bias=bias, init=init)
        elif input_layer == "linear":
            self.layer1 = nn.Linear(lag * n_genes, hidden, bias=bias)
        else:
            raise ValueError(f"input_layer must be 'kan' or 'linear', not {input_layer!r}")
        self.layer2 = KANLayer(hidden, n_genes, grid_size=grid_size, base=base[1], grid_range=grid_range, bias=bias,
                               init=init)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layer2(self.layer1(x.flatten(1)))

    @torch.no_grad()
    def update_grids(self, x: torch.Tensor) -> None:
        """:meth:`KANLayer.update_grid` for every KAN layer, on that layer's inputs for windows ``x``."""
        z = x.flatten(1)
        if self.input_layer == "kan":
            self.layer1.update_grid(z)
        self.layer2.update_grid(self.layer1(z))

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


class AdditiveKAN(GrangerModel):
    """One KAN layer ``[lag * p -> p]``: a generalized additive VAR.

    .. math::
        \\hat y_j = \\sum_{l, i} M_{jli}\\, \\phi_{jli}(x_{l,i}) + \\beta_j, \\qquad
        \\phi_{jli}(x) = w_{jli}\\, x + \\sum_g c_{jlig} B_{lig}(x)

    Each edge carries its own univariate function, a linear term (the identity base) plus a cubic
    B-spline correction, so ``d yhat_j / d x_{l,i} = M_{jli} \\phi'_{jli}(x_{l,i})`` depends on that
    edge alone: no hidden layer mixes regulators, and with the splines at zero the model IS
    :class:`~grngc.models.linear.Linear` (the method's linear special case), which it starts from
    (all weights zero). ``M`` masks each target's own same-time value (``same_time``). ``grid_size``
    1 (one cubic piece over the grid, the smoothest correction) is what the earlier protocol measured
    (docs/accuracy-history.md); finer grids fitted noise on simulated networks.
    """

    def __init__(self, n_genes: int, lag: int, hidden: int = 0, same_time: bool = False, grid_size: int = 1,
                 grid_range: tuple[float, float] = (-3.0, 3.0)):
        super().__init__(n_genes, lag)
        self.layer = KANLayer(lag * n_genes, n_genes, grid_size=grid_size, base="identity", grid_range=grid_range)
        with torch.no_grad():
            self.layer.base_weight.zero_()
            self.layer.spline_weight.zero_()
        self.register_buffer("mask", input_mask(n_genes, lag, same_time))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = x.flatten(1)
        layer = self.layer
        base = z @ (layer.base_weight * self.mask).T
        spline_w = layer.spline_weight * self.mask.unsqueeze(-1)
        spline = layer._bases(z, layer.order).flatten(-2) @ spline_w.flatten(1).T
        return base + spline + layer.bias

    @torch.no_grad()
    def update_grids(self, x: torch.Tensor) -> None:
        """:meth:`KANLayer.update_grid` on the flattened windows ``x``."""
        self.layer.update_grid(x.flatten(1))

    def input_jacobian(self, x, rows=None, create_graph=True):
        J = self.layer.jacobian(x.flatten(1), rows)  # (B, m, lag*p)
        J = J * (self.mask if rows is None else self.mask[rows]).unsqueeze(0)
        if not create_graph:
            J = J.detach()
        return J.view(x.shape[0], -1, self.lag, self.n_genes)
