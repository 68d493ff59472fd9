"""Per-target MLP: one small network per target gene, evaluated as one batched tensor operation.

Neural-GC's cMLP structure (Tank et al. 2021) without its ``p`` training loops: ONE model, one
optimizer, but no hidden unit is shared between targets, so what the model learns for one target
cannot leak into the gradients of another. Each target also has a linear path (a skip), so the
model contains the linear VAR and starts from it:

.. math::
    \\hat y_j = w_j^\\top \\sigma(W_j \\tilde x_j + b_j) + a_j^\\top \\tilde x_j + c_j, \\qquad
    \\tilde x_j = M_j \\odot \\mathrm{vec}(x)

    \\frac{\\partial \\hat y_j}{\\partial \\tilde x_j} = W_j^\\top (w_j \\odot \\sigma'(W_j \\tilde x_j + b_j)) + a_j

(``sigma`` = SiLU; ``M_j`` masks the target's own same-time value when ``same_time``). The cost of
the forward pass and of the closed-form Jacobian is ``batch x p x hidden x (lag p)``.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from .base import GrangerModel, input_mask


class PerTargetMLP(GrangerModel):
    def __init__(self, n_genes: int, lag: int, hidden: int = 16, same_time: bool = False):
        super().__init__(n_genes, lag)
        self.hidden = hidden
        k = lag * n_genes
        bound = 1 / math.sqrt(k)
        self.w1 = nn.Parameter(torch.empty(n_genes, hidden, k).uniform_(-bound, bound))
        self.b1 = nn.Parameter(torch.empty(n_genes, hidden).uniform_(-bound, bound))
        self.w2 = nn.Parameter(torch.empty(n_genes, hidden).uniform_(-1 / math.sqrt(hidden), 1 / math.sqrt(hidden)))
        self.skip = nn.Parameter(torch.zeros(n_genes, k))
        self.b2 = nn.Parameter(torch.zeros(n_genes))
        self.register_buffer("mask", input_mask(n_genes, lag, same_time))

    def _parts(self, z: torch.Tensor, rows: torch.Tensor | None):
        mask = self.mask if rows is None else self.mask[rows]
        w1 = (self.w1 if rows is None else self.w1[rows]) * mask.unsqueeze(1)  # (m, H, k)
        b1 = self.b1 if rows is None else self.b1[rows]
        pre = torch.einsum("bk,mhk->bmh", z, w1) + b1  # (B, m, H)
        return pre, w1, mask

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = x.flatten(1)
        pre, _, mask = self._parts(z, None)
        return (nn.functional.silu(pre) * self.w2).sum(-1) + z @ (self.skip * mask).T + self.b2

    def input_jacobian(self, x, rows=None, create_graph=True):
        z = x.flatten(1)
        pre, w1, mask = self._parts(z, rows)
        s = torch.sigmoid(pre)
        w2 = self.w2 if rows is None else self.w2[rows]
        d = s * (1 + pre * (1 - s)) * w2  # (B, m, H): d yhat / d pre
        skip = (self.skip if rows is None else self.skip[rows]) * mask
        J = torch.einsum("bmh,mhk->bmk", d, w1) + skip
        if not create_graph:
            J = J.detach()
        return J.view(x.shape[0], -1, self.lag, self.n_genes)
